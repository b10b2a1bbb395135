from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class JsonFidelity(_message.Message):
    __slots__ = ("null_fields", "empty_fields", "unknown_keys", "unknown_enum_values", "base64_text")
    class UnknownKeysEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: bytes
        def __init__(self, key: _Optional[str] = ..., value: _Optional[bytes] = ...) -> None: ...
    class Base64TextEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: str
        def __init__(self, key: _Optional[int] = ..., value: _Optional[str] = ...) -> None: ...
    NULL_FIELDS_FIELD_NUMBER: _ClassVar[int]
    EMPTY_FIELDS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_KEYS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_ENUM_VALUES_FIELD_NUMBER: _ClassVar[int]
    BASE64_TEXT_FIELD_NUMBER: _ClassVar[int]
    null_fields: _containers.RepeatedScalarFieldContainer[int]
    empty_fields: _containers.RepeatedScalarFieldContainer[int]
    unknown_keys: _containers.ScalarMap[str, bytes]
    unknown_enum_values: _containers.RepeatedCompositeFieldContainer[UnknownEnumValue]
    base64_text: _containers.ScalarMap[int, str]
    def __init__(self, null_fields: _Optional[_Iterable[int]] = ..., empty_fields: _Optional[_Iterable[int]] = ..., unknown_keys: _Optional[_Mapping[str, bytes]] = ..., unknown_enum_values: _Optional[_Iterable[_Union[UnknownEnumValue, _Mapping]]] = ..., base64_text: _Optional[_Mapping[int, str]] = ...) -> None: ...

class UnknownEnumValue(_message.Message):
    __slots__ = ("field", "index", "value")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    field: int
    index: int
    value: str
    def __init__(self, field: _Optional[int] = ..., index: _Optional[int] = ..., value: _Optional[str] = ...) -> None: ...
