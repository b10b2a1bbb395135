from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor
JSON_VALUE_FIELD_NUMBER: _ClassVar[int]
json_value: _descriptor.FieldDescriptor
LIMITS_FIELD_NUMBER: _ClassVar[int]
limits: _descriptor.FieldDescriptor
BASE64_FIELD_NUMBER: _ClassVar[int]
base64: _descriptor.FieldDescriptor
JSON_KEY_FIELD_NUMBER: _ClassVar[int]
json_key: _descriptor.FieldDescriptor
REPLACED_BY_FIELD_NUMBER: _ClassVar[int]
replaced_by: _descriptor.FieldDescriptor
EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
event_type: _descriptor.FieldDescriptor
FLAT_EVENT_TYPES_FIELD_NUMBER: _ClassVar[int]
flat_event_types: _descriptor.FieldDescriptor

class FieldLimits(_message.Message):
    __slots__ = ("min", "max", "max_pairs", "max_key_length", "max_value_length")
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    MAX_PAIRS_FIELD_NUMBER: _ClassVar[int]
    MAX_KEY_LENGTH_FIELD_NUMBER: _ClassVar[int]
    MAX_VALUE_LENGTH_FIELD_NUMBER: _ClassVar[int]
    min: float
    max: float
    max_pairs: int
    max_key_length: int
    max_value_length: int
    def __init__(self, min: _Optional[float] = ..., max: _Optional[float] = ..., max_pairs: _Optional[int] = ..., max_key_length: _Optional[int] = ..., max_value_length: _Optional[int] = ...) -> None: ...
