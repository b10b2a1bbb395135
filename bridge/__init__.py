"""Lossless bridge between OpenAI Realtime API JSON and protocol buffers.

>>> import bridge
>>> event = bridge.decode_event(b'{"type": "response.created", "event_id": "e1", "response": {"usage": null}}')
>>> event.response.usage is None
True
>>> bridge.binary_to_json(bridge.json_to_binary(bridge.encode(event)))
b'{"type":"response.created","event_id":"e1","response":{"usage":null}}'

``__all__`` is the package's API: the conversions, the errors, the session-log functions and the
models' shared types. Every model class of :mod:`bridge.models` (one per message of the schema, one
per event type; ``bridge.models.__all__``) is an attribute here too (``bridge.ResponseDoneEvent``),
and ``dir(bridge)`` lists them.
"""

from bridge import models
from bridge._guards import MAX_DEPTH
from bridge.convert import (
    binary_to_json,
    decode_client_event,
    decode_event,
    decode_response,
    drift,
    drift_of_binary,
    encode,
    from_proto,
    json_to_binary,
    to_proto,
)
from bridge.errors import ValidationError, Violation
from bridge.models import *  # noqa: F403 - every model, as bridge.X (see __dir__)
from bridge.models import UNSET, Base64Text, ClientEvent, Extra, RealtimeResponse, ServerEvent
from bridge.session import (
    CLIENT_EVENT_TYPES,
    SERVER_EVENT_TYPES,
    EventDirection,
    event_direction,
    session_envelope,
    session_record_to_binary,
    session_record_to_json,
)

__version__ = "0.1.0"

__all__ = [
    "CLIENT_EVENT_TYPES",
    "MAX_DEPTH",
    "SERVER_EVENT_TYPES",
    "EventDirection",
    "ValidationError",
    "Violation",
    "binary_to_json",
    "decode_client_event",
    "decode_event",
    "decode_response",
    "drift",
    "drift_of_binary",
    "encode",
    "event_direction",
    "from_proto",
    "json_to_binary",
    "session_envelope",
    "session_record_to_binary",
    "session_record_to_json",
    "to_proto",
    # The models' shared types (every model class: bridge.models.__all__).
    "UNSET",
    "Base64Text",
    "ClientEvent",
    "Extra",
    "RealtimeResponse",
    "ServerEvent",
    "models",
]


def __dir__() -> list[str]:
    return sorted({*__all__, *models.__all__, "__version__"})
