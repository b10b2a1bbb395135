from bridge.v1 import realtime_pb2 as _realtime_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SessionRecord(_message.Message):
    __slots__ = ("server_event", "client_event", "received_unix_nano")
    SERVER_EVENT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_EVENT_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_UNIX_NANO_FIELD_NUMBER: _ClassVar[int]
    server_event: _realtime_pb2.ServerEvent
    client_event: _realtime_pb2.ClientEvent
    received_unix_nano: int
    def __init__(self, server_event: _Optional[_Union[_realtime_pb2.ServerEvent, _Mapping]] = ..., client_event: _Optional[_Union[_realtime_pb2.ClientEvent, _Mapping]] = ..., received_unix_nano: _Optional[int] = ...) -> None: ...
