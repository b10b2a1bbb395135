from bridge.v1 import realtime_pb2 as _realtime_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventFromJsonRequest(_message.Message):
    __slots__ = ("json", "strict")
    JSON_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    json: bytes
    strict: bool
    def __init__(self, json: _Optional[bytes] = ..., strict: _Optional[bool] = ...) -> None: ...

class EventFromJsonResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: _realtime_pb2.ServerEvent
    def __init__(self, event: _Optional[_Union[_realtime_pb2.ServerEvent, _Mapping]] = ...) -> None: ...

class EventToJsonRequest(_message.Message):
    __slots__ = ("event", "strict")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    event: _realtime_pb2.ServerEvent
    strict: bool
    def __init__(self, event: _Optional[_Union[_realtime_pb2.ServerEvent, _Mapping]] = ..., strict: _Optional[bool] = ...) -> None: ...

class EventToJsonResponse(_message.Message):
    __slots__ = ("json",)
    JSON_FIELD_NUMBER: _ClassVar[int]
    json: bytes
    def __init__(self, json: _Optional[bytes] = ...) -> None: ...

class ResponseFromJsonRequest(_message.Message):
    __slots__ = ("json", "strict")
    JSON_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    json: bytes
    strict: bool
    def __init__(self, json: _Optional[bytes] = ..., strict: _Optional[bool] = ...) -> None: ...

class ResponseFromJsonResponse(_message.Message):
    __slots__ = ("response",)
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    response: _realtime_pb2.RealtimeResponse
    def __init__(self, response: _Optional[_Union[_realtime_pb2.RealtimeResponse, _Mapping]] = ...) -> None: ...

class ResponseToJsonRequest(_message.Message):
    __slots__ = ("response", "strict")
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    response: _realtime_pb2.RealtimeResponse
    strict: bool
    def __init__(self, response: _Optional[_Union[_realtime_pb2.RealtimeResponse, _Mapping]] = ..., strict: _Optional[bool] = ...) -> None: ...

class ResponseToJsonResponse(_message.Message):
    __slots__ = ("json",)
    JSON_FIELD_NUMBER: _ClassVar[int]
    json: bytes
    def __init__(self, json: _Optional[bytes] = ...) -> None: ...

class StreamEventsFromJsonRequest(_message.Message):
    __slots__ = ("json", "batch", "strict")
    JSON_FIELD_NUMBER: _ClassVar[int]
    BATCH_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    json: bytes
    batch: JsonBatch
    strict: bool
    def __init__(self, json: _Optional[bytes] = ..., batch: _Optional[_Union[JsonBatch, _Mapping]] = ..., strict: _Optional[bool] = ...) -> None: ...

class StreamEventsFromJsonResponse(_message.Message):
    __slots__ = ("sequence", "event", "error", "results")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    event: _realtime_pb2.ServerEvent
    error: ConversionError
    results: _containers.RepeatedCompositeFieldContainer[StreamEventsFromJsonResponse]
    def __init__(self, sequence: _Optional[int] = ..., event: _Optional[_Union[_realtime_pb2.ServerEvent, _Mapping]] = ..., error: _Optional[_Union[ConversionError, _Mapping]] = ..., results: _Optional[_Iterable[_Union[StreamEventsFromJsonResponse, _Mapping]]] = ...) -> None: ...

class StreamEventsToJsonRequest(_message.Message):
    __slots__ = ("event", "batch", "strict")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    BATCH_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    event: _realtime_pb2.ServerEvent
    batch: ServerEventBatch
    strict: bool
    def __init__(self, event: _Optional[_Union[_realtime_pb2.ServerEvent, _Mapping]] = ..., batch: _Optional[_Union[ServerEventBatch, _Mapping]] = ..., strict: _Optional[bool] = ...) -> None: ...

class StreamEventsToJsonResponse(_message.Message):
    __slots__ = ("sequence", "json", "error", "results")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    json: bytes
    error: ConversionError
    results: _containers.RepeatedCompositeFieldContainer[StreamEventsToJsonResponse]
    def __init__(self, sequence: _Optional[int] = ..., json: _Optional[bytes] = ..., error: _Optional[_Union[ConversionError, _Mapping]] = ..., results: _Optional[_Iterable[_Union[StreamEventsToJsonResponse, _Mapping]]] = ...) -> None: ...

class ClientEventFromJsonRequest(_message.Message):
    __slots__ = ("json", "strict")
    JSON_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    json: bytes
    strict: bool
    def __init__(self, json: _Optional[bytes] = ..., strict: _Optional[bool] = ...) -> None: ...

class ClientEventFromJsonResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: _realtime_pb2.ClientEvent
    def __init__(self, event: _Optional[_Union[_realtime_pb2.ClientEvent, _Mapping]] = ...) -> None: ...

class ClientEventToJsonRequest(_message.Message):
    __slots__ = ("event", "strict")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    event: _realtime_pb2.ClientEvent
    strict: bool
    def __init__(self, event: _Optional[_Union[_realtime_pb2.ClientEvent, _Mapping]] = ..., strict: _Optional[bool] = ...) -> None: ...

class ClientEventToJsonResponse(_message.Message):
    __slots__ = ("json",)
    JSON_FIELD_NUMBER: _ClassVar[int]
    json: bytes
    def __init__(self, json: _Optional[bytes] = ...) -> None: ...

class StreamClientEventsFromJsonRequest(_message.Message):
    __slots__ = ("json", "batch", "strict")
    JSON_FIELD_NUMBER: _ClassVar[int]
    BATCH_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    json: bytes
    batch: JsonBatch
    strict: bool
    def __init__(self, json: _Optional[bytes] = ..., batch: _Optional[_Union[JsonBatch, _Mapping]] = ..., strict: _Optional[bool] = ...) -> None: ...

class StreamClientEventsFromJsonResponse(_message.Message):
    __slots__ = ("sequence", "event", "error", "results")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    event: _realtime_pb2.ClientEvent
    error: ConversionError
    results: _containers.RepeatedCompositeFieldContainer[StreamClientEventsFromJsonResponse]
    def __init__(self, sequence: _Optional[int] = ..., event: _Optional[_Union[_realtime_pb2.ClientEvent, _Mapping]] = ..., error: _Optional[_Union[ConversionError, _Mapping]] = ..., results: _Optional[_Iterable[_Union[StreamClientEventsFromJsonResponse, _Mapping]]] = ...) -> None: ...

class StreamClientEventsToJsonRequest(_message.Message):
    __slots__ = ("event", "batch", "strict")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    BATCH_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    event: _realtime_pb2.ClientEvent
    batch: ClientEventBatch
    strict: bool
    def __init__(self, event: _Optional[_Union[_realtime_pb2.ClientEvent, _Mapping]] = ..., batch: _Optional[_Union[ClientEventBatch, _Mapping]] = ..., strict: _Optional[bool] = ...) -> None: ...

class StreamClientEventsToJsonResponse(_message.Message):
    __slots__ = ("sequence", "json", "error", "results")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    json: bytes
    error: ConversionError
    results: _containers.RepeatedCompositeFieldContainer[StreamClientEventsToJsonResponse]
    def __init__(self, sequence: _Optional[int] = ..., json: _Optional[bytes] = ..., error: _Optional[_Union[ConversionError, _Mapping]] = ..., results: _Optional[_Iterable[_Union[StreamClientEventsToJsonResponse, _Mapping]]] = ...) -> None: ...

class JsonBatch(_message.Message):
    __slots__ = ("json",)
    JSON_FIELD_NUMBER: _ClassVar[int]
    json: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, json: _Optional[_Iterable[bytes]] = ...) -> None: ...

class ServerEventBatch(_message.Message):
    __slots__ = ("events",)
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[_realtime_pb2.ServerEvent]
    def __init__(self, events: _Optional[_Iterable[_Union[_realtime_pb2.ServerEvent, _Mapping]]] = ...) -> None: ...

class ClientEventBatch(_message.Message):
    __slots__ = ("events",)
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[_realtime_pb2.ClientEvent]
    def __init__(self, events: _Optional[_Iterable[_Union[_realtime_pb2.ClientEvent, _Mapping]]] = ...) -> None: ...

class ConversionError(_message.Message):
    __slots__ = ("code", "message", "violations")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    code: int
    message: str
    violations: _containers.RepeatedCompositeFieldContainer[Violation]
    def __init__(self, code: _Optional[int] = ..., message: _Optional[str] = ..., violations: _Optional[_Iterable[_Union[Violation, _Mapping]]] = ...) -> None: ...

class Violation(_message.Message):
    __slots__ = ("path", "message", "kind")
    PATH_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    path: str
    message: str
    kind: str
    def __init__(self, path: _Optional[str] = ..., message: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...
