from bridge.v1 import realtime_pb2 as _realtime_pb2
from bridge.v1 import service_pb2 as _service_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SessionOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SESSION_OUTCOME_UNSPECIFIED: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_CALLER_CLOSED: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_UPSTREAM_CLOSED: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_UPSTREAM_FAILED: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_UPSTREAM_REFUSED: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_UPSTREAM_UNREACHABLE: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_UPSTREAM_STALLED: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_UPSTREAM_PROTOCOL_ERROR: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_CALLER_TOO_SLOW: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_IDLE: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_DURATION_LIMIT: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_DRAINED: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_SESSION_LIMIT: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_INVALID_REQUEST: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_CALLER_CANCELLED: _ClassVar[SessionOutcome]
    SESSION_OUTCOME_INTERNAL: _ClassVar[SessionOutcome]
SESSION_OUTCOME_UNSPECIFIED: SessionOutcome
SESSION_OUTCOME_CALLER_CLOSED: SessionOutcome
SESSION_OUTCOME_UPSTREAM_CLOSED: SessionOutcome
SESSION_OUTCOME_UPSTREAM_FAILED: SessionOutcome
SESSION_OUTCOME_UPSTREAM_REFUSED: SessionOutcome
SESSION_OUTCOME_UPSTREAM_UNREACHABLE: SessionOutcome
SESSION_OUTCOME_UPSTREAM_STALLED: SessionOutcome
SESSION_OUTCOME_UPSTREAM_PROTOCOL_ERROR: SessionOutcome
SESSION_OUTCOME_CALLER_TOO_SLOW: SessionOutcome
SESSION_OUTCOME_IDLE: SessionOutcome
SESSION_OUTCOME_DURATION_LIMIT: SessionOutcome
SESSION_OUTCOME_DRAINED: SessionOutcome
SESSION_OUTCOME_SESSION_LIMIT: SessionOutcome
SESSION_OUTCOME_INVALID_REQUEST: SessionOutcome
SESSION_OUTCOME_CALLER_CANCELLED: SessionOutcome
SESSION_OUTCOME_INTERNAL: SessionOutcome

class ConnectRequest(_message.Message):
    __slots__ = ("open", "event", "batch")
    OPEN_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    BATCH_FIELD_NUMBER: _ClassVar[int]
    open: SessionOpen
    event: _realtime_pb2.ClientEvent
    batch: _service_pb2.ClientEventBatch
    def __init__(self, open: _Optional[_Union[SessionOpen, _Mapping]] = ..., event: _Optional[_Union[_realtime_pb2.ClientEvent, _Mapping]] = ..., batch: _Optional[_Union[_service_pb2.ClientEventBatch, _Mapping]] = ...) -> None: ...

class SessionOpen(_message.Message):
    __slots__ = ("model", "intent", "call_id", "strict")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    INTENT_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    model: str
    intent: str
    call_id: str
    strict: bool
    def __init__(self, model: _Optional[str] = ..., intent: _Optional[str] = ..., call_id: _Optional[str] = ..., strict: _Optional[bool] = ...) -> None: ...

class ConnectResponse(_message.Message):
    __slots__ = ("connected", "events", "rejected", "ended")
    CONNECTED_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    ENDED_FIELD_NUMBER: _ClassVar[int]
    connected: SessionConnected
    events: _service_pb2.ServerEventBatch
    rejected: ClientEventRejected
    ended: SessionEnded
    def __init__(self, connected: _Optional[_Union[SessionConnected, _Mapping]] = ..., events: _Optional[_Union[_service_pb2.ServerEventBatch, _Mapping]] = ..., rejected: _Optional[_Union[ClientEventRejected, _Mapping]] = ..., ended: _Optional[_Union[SessionEnded, _Mapping]] = ...) -> None: ...

class SessionConnected(_message.Message):
    __slots__ = ("session_id", "upstream_request_id")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    upstream_request_id: str
    def __init__(self, session_id: _Optional[str] = ..., upstream_request_id: _Optional[str] = ...) -> None: ...

class ClientEventRejected(_message.Message):
    __slots__ = ("sequence", "error")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    error: _service_pb2.ConversionError
    def __init__(self, sequence: _Optional[int] = ..., error: _Optional[_Union[_service_pb2.ConversionError, _Mapping]] = ...) -> None: ...

class SessionEnded(_message.Message):
    __slots__ = ("outcome", "code", "reason", "upstream_close_code", "upstream_close_reason", "upstream_http_status", "client_events_sent", "client_events_rejected", "server_events_delivered", "server_events_undelivered", "records_dropped")
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_CLOSE_CODE_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_CLOSE_REASON_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_HTTP_STATUS_FIELD_NUMBER: _ClassVar[int]
    CLIENT_EVENTS_SENT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_EVENTS_REJECTED_FIELD_NUMBER: _ClassVar[int]
    SERVER_EVENTS_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    SERVER_EVENTS_UNDELIVERED_FIELD_NUMBER: _ClassVar[int]
    RECORDS_DROPPED_FIELD_NUMBER: _ClassVar[int]
    outcome: SessionOutcome
    code: int
    reason: str
    upstream_close_code: int
    upstream_close_reason: str
    upstream_http_status: int
    client_events_sent: int
    client_events_rejected: int
    server_events_delivered: int
    server_events_undelivered: int
    records_dropped: int
    def __init__(self, outcome: _Optional[_Union[SessionOutcome, str]] = ..., code: _Optional[int] = ..., reason: _Optional[str] = ..., upstream_close_code: _Optional[int] = ..., upstream_close_reason: _Optional[str] = ..., upstream_http_status: _Optional[int] = ..., client_events_sent: _Optional[int] = ..., client_events_rejected: _Optional[int] = ..., server_events_delivered: _Optional[int] = ..., server_events_undelivered: _Optional[int] = ..., records_dropped: _Optional[int] = ...) -> None: ...
