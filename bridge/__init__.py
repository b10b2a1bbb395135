"""Lossless bridge between OpenAI Realtime API JSON and protocol buffers.

>>> import bridge
>>> event = bridge.decode_event(b'{"type": "response.created", "event_id": "e1", "response": {"usage": null}}')
>>> event.response.usage is None
True
>>> bridge.binary_to_json(bridge.json_to_binary(bridge.encode(event)))
b'{"type":"response.created","event_id":"e1","response":{"usage":null}}'
"""

from bridge._guards import MAX_DEPTH
from bridge.convert import (
    binary_to_json,
    decode_event,
    decode_response,
    encode,
    from_proto,
    json_to_binary,
    to_proto,
)
from bridge.errors import ValidationError, Violation
from bridge.models import (
    UNSET,
    AudioOutputFormat,
    CachedTokensDetails,
    ContentPart,
    ConversationItem,
    CustomVoice,
    Extra,
    GenericEvent,
    InputTokenDetails,
    JsonValue,
    McpError,
    McpTool,
    OutputTokenDetails,
    RealtimeResponse,
    ResponseAudio,
    ResponseAudioOutput,
    ResponseCreatedEvent,
    ResponseDoneEvent,
    ResponseError,
    ServerEvent,
    StatusDetails,
    Usage,
)

__version__ = "0.1.0"

__all__ = [
    "MAX_DEPTH",
    "UNSET",
    "AudioOutputFormat",
    "CachedTokensDetails",
    "ContentPart",
    "ConversationItem",
    "CustomVoice",
    "Extra",
    "GenericEvent",
    "InputTokenDetails",
    "JsonValue",
    "McpError",
    "McpTool",
    "OutputTokenDetails",
    "RealtimeResponse",
    "ResponseAudio",
    "ResponseAudioOutput",
    "ResponseCreatedEvent",
    "ResponseDoneEvent",
    "ResponseError",
    "ServerEvent",
    "StatusDetails",
    "Usage",
    "ValidationError",
    "Violation",
    "binary_to_json",
    "decode_event",
    "decode_response",
    "encode",
    "from_proto",
    "json_to_binary",
    "to_proto",
]
