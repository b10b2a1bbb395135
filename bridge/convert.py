"""The public conversions: JSON bytes ⇄ Structs ⇄ protobuf messages ⇄ protobuf bytes.

Every function raises :class:`~bridge.errors.ValidationError` for bad input, listing each violation
with its JSON path, and nothing else for data (a ``TypeError`` means the caller passed the wrong kind
of object). ``strict=True`` additionally rejects unknown keys, unknown enum values and the documented
limits; the default mode carries them through.
"""

from __future__ import annotations

from typing import Any, Literal, Union

from google.protobuf.message import DecodeError, Message

from bridge import _accel, _binary, _drift, _json, _strict, framing
from bridge._guards import TOO_DEEP, on_fresh_stack, too_deep
from bridge._schema import CLIENT, RESPONSE_PLAN, SERVER, Direction, plan_for
from bridge.errors import ValidationError, Violation, ViolationKind
from bridge.models import ClientEvent, RealtimeResponse, ServerEvent
from bridge.v1 import realtime_pb2

__all__ = [
    "Kind",
    "binary_to_json",
    "decode_client_event",
    "decode_event",
    "decode_response",
    "drift",
    "drift_of_binary",
    "encode",
    "from_proto",
    "json_to_binary",
    "to_proto",
]

#: What a document holds: a server event, a client event, or a bare ``realtime.response`` object.
Kind = Literal["event", "client_event", "response"]
Model = Union[RealtimeResponse, ServerEvent, ClientEvent]
JsonInput = Union[bytes, bytearray, memoryview, str]

_MESSAGES: dict[str, type[Message]] = {
    "event": realtime_pb2.ServerEvent,
    "client_event": realtime_pb2.ClientEvent,
    "response": realtime_pb2.RealtimeResponse,
}
_DIRECTIONS: dict[type[Message], Direction] = {SERVER.envelope: SERVER, CLIENT.envelope: CLIENT}
_REFUSED = _json.REFUSED
_EVENT_DECODERS = _json.EVENT_DECODERS


def decode_event(data: JsonInput, *, strict: bool = False) -> ServerEvent:
    """Decode one server event from JSON.

    Every event type of the beta and GA protocols becomes its own class, named after its type
    (``conversation.item.added`` -> :class:`~bridge.ConversationItemAddedEvent`); any other type a
    :class:`~bridge.GenericEvent` that keeps all its keys.
    """
    return _guarded(decode_event, _decode_event, data, strict, SERVER)


def decode_client_event(data: JsonInput, *, strict: bool = False) -> ClientEvent:
    """Decode one client event (what a client sends upstream: ``session.update``,
    ``input_audio_buffer.append``, ...) from JSON: each type its own class, any other a
    :class:`~bridge.GenericClientEvent`."""
    return _guarded(decode_client_event, _decode_event, data, strict, CLIENT)


def decode_response(data: JsonInput, *, strict: bool = False) -> RealtimeResponse:
    """Decode a bare ``realtime.response`` object from JSON."""
    return _guarded(decode_response, _decode_response, data, strict)


def _guarded(public: Any, decode: Any, data: JsonInput, strict: bool, *args: Any) -> Any:
    """``decode(data, strict, *args)``, whatever the caller's stack and buffer: a document within
    MAX_DEPTH that meets the recursion limit (the caller's stack was short) is decoded again on a
    fresh stack, and a non-contiguous memoryview (msgspec reads contiguous buffers only) as bytes."""
    try:
        return decode(data, strict, *args)
    except RecursionError:
        return on_fresh_stack(public, data, strict=strict)
    except BufferError:
        if isinstance(data, memoryview) and not data.contiguous:
            return public(data.tobytes(), strict=strict)
        raise


def _decode_event(data: JsonInput, strict: bool, direction: Direction) -> Any:
    if too_deep(data):
        raise ValidationError.at("$", TOO_DEEP, "too_deep")
    if strict:
        return _check(*_json.decode_event_partial(data, direction))
    try:  # msgspec: one call into the Structs for a document the schema fully describes
        obj = _EVENT_DECODERS[direction](data)
    except _REFUSED:
        return _json.raise_or_return(*_json.decode_event_after_fast(data, direction))
    except UnicodeEncodeError as error:
        raise _json.fail(error, data) from None
    return obj if not _json.unchecked_text(obj, data) else _json.decode_event(data, direction)


def _decode_response(data: JsonInput, strict: bool) -> Any:
    if not strict:
        return _json.decode(data, RESPONSE_PLAN)
    return _check(*_json.decode_partial(data, RESPONSE_PLAN))


#: ``encode(obj) -> bytes``: a model instance (a response or an event) as compact JSON, unknown keys
#: inline; a NaN or an infinity, which JSON cannot hold, is a ValidationError. (The implementation
#: itself: this is on the hot path.)
encode = _json.encode


def to_proto(obj: Model, *, strict: bool = False) -> Message:
    """The protobuf message for a model instance: ``RealtimeResponse`` for a response,
    ``ServerEvent`` for a server event, ``ClientEvent`` for a client event."""
    plan = plan_for(obj)
    if strict:
        _check(obj)
    try:
        if plan.envelope is not None:  # an event: its keys in its member of the envelope's oneof
            return plan.envelope.pb(**_binary.envelope_kwargs(obj, plan))
        kwargs = _binary.to_kwargs(obj, plan)
    except _binary.Unrepresentable as error:
        raise ValidationError.at(error.path, error.message, error.kind) from None
    except (TypeError, ValueError) as error:  # as below
        raise _unrepresentable(error) from None
    try:
        return plan.pb(**kwargs)
    except (TypeError, ValueError) as error:  # a hand-built Struct holding a value of the wrong type
        raise _unrepresentable(error) from None


def _unrepresentable(error: TypeError | ValueError) -> ValidationError:
    """The error for a value protobuf refused: of the wrong type, or out of its field's range."""
    kind: ViolationKind = "type" if isinstance(error, TypeError) else "range"
    return ValidationError.at("$", f"cannot represent in protobuf: {error}", kind)


def from_proto(message: Message, *, strict: bool = False) -> Model:
    """The model instance a ``ServerEvent``, ``ClientEvent`` or ``RealtimeResponse`` message stands for."""
    errors: list[Violation] = []
    try:
        direction = _DIRECTIONS.get(type(message))
        if direction is not None:
            obj = _binary.from_event(message, direction, errors)
        elif isinstance(message, realtime_pb2.RealtimeResponse):
            obj = _binary.from_message(message, RESPONSE_PLAN, "$", errors)
        else:
            raise TypeError(
                f"expected a ServerEvent, ClientEvent or RealtimeResponse message, got {type(message).__name__}"
            )
    except RecursionError:  # JSON text within MAX_DEPTH, on a short stack
        return on_fresh_stack(from_proto, message, strict=strict)
    if errors:
        raise ValidationError(errors)
    if strict:
        _check(obj)
    return obj


def drift(obj: Model) -> list[Violation]:
    """What in ``obj`` (a decoded event or response) the schema did not type, each with its JSON
    path: keys it does not know, values of the wrong JSON type, and an event type that is not one
    of its direction's. Empty for a document the schema fully describes.

    The default (tolerant) decode keeps unknown keys and values of the wrong type, exactly as they
    arrived, in the ``extra`` of the object that holds them, and leaves such a field unset: this
    lists them, with the message strict mode would reject each with. Unknown enum values and
    limits are typed and carried, and only strict mode reports them.
    """
    errors: list[Violation] = []
    _strict.check(obj, plan_for(obj), "$", errors, drift_only=True)
    return errors


def drift_of_binary(data: bytes, kind: Kind = "event") -> list[Violation]:
    """:func:`drift` of what protobuf bytes of a ``ServerEvent`` (``kind="event"``), ``ClientEvent``
    (``"client_event"``) or ``RealtimeResponse`` (``"response"``) stand for, read off the bytes:
    equal to ``drift(from_proto(message))`` for every input :func:`binary_to_json` accepts.

    Cheap where there is nothing to say, as in most events: bytes that hold no ``json_fidelity``
    record with ``unknown_keys`` (a ``bytes.find``, and a look at each place it finds), and whose
    type is one of their direction's, are answered without being parsed; the others are parsed
    and only their records of kept keys walked, never converted. Malformed protobuf that has to be
    parsed is a :class:`~bridge.ValidationError`; bytes the fast path answers are not checked
    further (that is :func:`binary_to_json`'s job).
    """
    if type(data) is not bytes:
        data = bytes(data)
    try:
        if not _may_drift(data, kind):
            return []
    except KeyError:
        _message_class(kind)  # says what kind is
        raise
    message = _MESSAGES[kind]()
    try:
        message.ParseFromString(data)
    except DecodeError as error:
        raise ValidationError.at("$", f"malformed protobuf: {error}", "malformed") from None
    found = _drift.of_message(message)
    return found if found is not None else drift(from_proto(message))


def json_to_binary(data: JsonInput, *, kind: Kind = "event", strict: bool = False) -> bytes:
    """JSON text of a server event (``kind="event"``), a client event (``"client_event"``) or a
    response (``"response"``) → protobuf bytes (a ``ServerEvent``, ``ClientEvent`` or
    ``RealtimeResponse``)."""
    _message_class(kind)
    decode = decode_event if kind == "event" else decode_client_event if kind == "client_event" else decode_response
    return _write_binary(decode(data, strict=strict))


def _write_binary(obj: Model) -> bytes:
    """A model instance as deterministic protobuf bytes."""
    return to_proto(obj).SerializeToString(deterministic=True)


def binary_to_json(data: bytes, *, kind: Kind = "event", strict: bool = False) -> bytes:
    """Protobuf bytes of a ``ServerEvent`` (``kind="event"``), ``ClientEvent`` (``"client_event"``)
    or ``RealtimeResponse`` (``"response"``) → JSON text."""
    message = _message_class(kind)()
    try:
        message.ParseFromString(data)
    except DecodeError as error:
        raise ValidationError.at("$", f"malformed protobuf: {error}", "malformed") from None
    return encode(from_proto(message, strict=strict))


def _message_class(kind: str) -> type[Message]:
    try:
        return _MESSAGES[kind]
    except KeyError:
        raise ValueError(f"kind must be 'event', 'client_event' or 'response', not {kind!r}") from None


def _check(obj: Any, errors: list[Violation] | None = None) -> Any:
    """``obj`` if strict mode finds nothing beyond ``errors`` (violations already found) in it.

    A strict decode is the tolerant decode (``errors``: what it could not read) and this check of
    what it made, so its result is the public class either way; one order of violations whichever
    decoder ran."""
    errors = [] if errors is None else errors
    _strict.check(obj, plan_for(obj), "$", errors)
    if errors:
        raise ValidationError(errors)
    return obj


# ----------------------------------------------------------------------------- the compiled paths
# The one place where the accelerators (bridge._accel: the extensions, when built and not switched
# off) meet the functions above. Each compiled function takes the name of exactly one pure twin,
# which it runs for every input it declines (``__wrapped__``); the pure functions never ask for it.
# json_to_binary looks both of its stages up here by name: the decoders, then the writer; the
# one-pass writer in front of it takes the events it can write without either stage.

if _accel.in_front_of is not None:  # bridge._decoder: JSON -> Structs in one pass
    decode_event, decode_client_event, decode_response = _accel.in_front_of(
        decode_event, decode_client_event, decode_response
    )
if _accel.binary_in_front_of is not None:  # bridge._speedups: protobuf bytes -> JSON in one pass
    binary_to_json = _accel.binary_in_front_of(binary_to_json)
if _accel.writer_in_front_of is not None:  # bridge._speedups: Structs -> protobuf bytes
    _write_binary = _accel.writer_in_front_of(_write_binary)
if _accel.fused_in_front_of is not None:  # bridge._decoder: JSON -> protobuf bytes in one pass
    json_to_binary = _accel.fused_in_front_of(json_to_binary)

#: drift_of_binary's scan of the bytes: bridge._speedups' when it is in use, else its pure twin
#: (the same answers: tests/test_drift_binary.py).
_may_drift = _accel.may_drift if _accel.may_drift is not None else _drift.may_drift
#: The frame of a log's record (bridge.session writes a SessionRecord's with it):
#: bridge._speedups' when it is in use, else bridge.framing's pure twin (the same bytes:
#: tests/test_framing.py).
_field_frame = _accel.field_frame if _accel.field_frame is not None else framing._field_frame

#: The names the compiled paths take when they are in use (each then has its pure twin as
#: ``__wrapped__``): what a test or the fuzz harness puts back to run the pure path alone.
FRONTED = ("decode_event", "decode_client_event", "decode_response", "binary_to_json", "_write_binary",
           "json_to_binary")
