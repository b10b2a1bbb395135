"""Session logs: the events of both directions of a Realtime session, each with its direction and
the time it was received, one record per event.

A record has two forms (``docs/session-logs.md`` describes them for users):

- **Protobuf**: a ``realtime.bridge.v1.SessionRecord`` (``proto/bridge/v1/session.proto``): the
  event in ``server_event`` or ``client_event``, and ``received_unix_nano``, nanoseconds since the
  Unix epoch. A log is a stream of them, each prefixed with its varint length
  (:mod:`bridge.framing`).
- **JSON Lines**: one envelope per line, the event embedded as its exact JSON text::

      {"direction":"client","received_unix_nano":1733590000000000000,"event":{"type":...}}

  ``direction`` is ``"server"`` or ``"client"``, ``received_unix_nano`` an integer from 0 to
  2**64 - 1; the three keys are required and no other is allowed.

A line that is a plain event (an object with a ``type``) is a record too: its direction is the one
its type belongs to (:func:`event_direction`; a type neither direction knows is a server event,
carried generically), and it has no time. Its ``SessionRecord`` leaves ``received_unix_nano`` unset,
and converts back to the plain event, so a plain JSON Lines log of both directions round-trips
exactly.

The event itself goes through :func:`bridge.json_to_binary` / :func:`bridge.binary_to_json` with
``kind="event"`` or ``kind="client_event"``; the envelope around it is read with msgspec, the event's
text taken as :class:`msgspec.Raw` (never parsed into Python objects here), and the ``SessionRecord``
bytes are the event's bytes with a field tag and length in front and the time behind, exactly what
``SessionRecord.SerializeToString(deterministic=True)`` writes.

>>> line = b'{"direction":"client","received_unix_nano":5,"event":{"type":"input_audio_buffer.clear"}}'
>>> record = session_record_to_binary(line)
>>> from bridge.v1.session_pb2 import SessionRecord
>>> message = SessionRecord.FromString(record)
>>> message.client_event.type, message.received_unix_nano
('input_audio_buffer.clear', 5)
>>> session_record_to_json(record) == line
True
>>> session_record_to_json(session_record_to_binary(b'{"type": "session.created"}'))
b'{"type":"session.created"}'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal, Union

import msgspec

from bridge._json import fail
from bridge._paths import reroot
from bridge._schema import CLIENT, SERVER
from bridge.convert import _field_frame, binary_to_json, drift_of_binary, json_to_binary
from bridge.errors import ValidationError, Violation
from bridge.framing import encode_varint, read_varint
from bridge.v1.realtime_pb2 import ClientEvent, ServerEvent
from bridge.v1.session_pb2 import SessionRecord

__all__ = [
    "CLIENT_EVENT_TYPES",
    "SERVER_EVENT_TYPES",
    "EventDirection",
    "event_direction",
    "session_envelope",
    "drift_of_session_record",
    "frame_of_line",
    "line_of_frame",
    "session_record",
    "session_record_to_binary",
    "session_record_to_json",
]

#: Which side sent an event.
EventDirection = Literal["server", "client"]

#: The event types the schema knows as client events (``input_audio_buffer.append``, ...), from the
#: schema's own table.
CLIENT_EVENT_TYPES: frozenset[str] = frozenset(CLIENT.plans)
#: The event types the schema knows as server events (``response.done``, ...).
SERVER_EVENT_TYPES: frozenset[str] = frozenset(SERVER.plans)

#: ``kind`` of the converters for each direction.
_KIND: dict[str, Literal["event", "client_event"]] = {"server": "event", "client": "client_event"}
_WIRE_VARINT, _WIRE_I64, _WIRE_LEN, _WIRE_I32 = 0, 1, 2, 5
_MAX_TIME = 2**64 - 1


def _tag(field: Any, wire: int) -> bytes:
    """A field's key on the wire (one byte: every field read here has a number below 16)."""
    if field.number >= 16:
        raise ImportError(f"bridge.session: {field.full_name} needs a key of more than one byte")
    return bytes((field.number << 3 | wire,))


_RECORD = SessionRecord.DESCRIPTOR.fields_by_name
#: The ``SessionRecord`` field that holds an event of each direction, and its key.
_DIRECTION_OF_FIELD: dict[int, EventDirection] = {
    _RECORD["server_event"].number: "server", _RECORD["client_event"].number: "client",
}
_TAG: dict[EventDirection, bytes] = {
    direction: _tag(SessionRecord.DESCRIPTOR.fields_by_number[number], _WIRE_LEN)
    for number, direction in _DIRECTION_OF_FIELD.items()
}
_DIRECTION_OF_TAG: dict[int, EventDirection] = {tag[0]: direction for direction, tag in _TAG.items()}
#: ``received_unix_nano`` (fixed64), and its key.
_TIME_FIELD = _RECORD["received_unix_nano"].number
_TIME_TAG = _tag(_RECORD["received_unix_nano"], _WIRE_I64)
#: The key of an event's ``type``, the first field the converters write (a ``ClientEvent``'s is the same).
_TYPE_TAG = _tag(ServerEvent.DESCRIPTOR.fields_by_name["type"], _WIRE_LEN)
if _tag(ClientEvent.DESCRIPTOR.fields_by_name["type"], _WIRE_LEN) != _TYPE_TAG:
    raise ImportError("bridge.session: ServerEvent.type and ClientEvent.type differ on the wire")


def event_direction(event_type: str) -> EventDirection:
    """The direction an event type belongs to: ``"client"`` for a client event type of the schema,
    ``"server"`` for any other (server event types and types the schema does not know)."""
    return "client" if event_type in CLIENT_EVENT_TYPES else "server"


def session_envelope(event: bytes, direction: EventDirection, received_unix_nano: int) -> bytes:
    """The JSON Lines envelope of one event (without a line ending): ``event``, the JSON text of the
    event as it was sent, is embedded as it is; line breaks in it, which JSON allows only as
    whitespace between tokens, become spaces so that the record stays on one line.

    >>> session_envelope(b'{"type": "response.cancel"}', "client", 1733590000000000000)
    b'{"direction":"client","received_unix_nano":1733590000000000000,"event":{"type": "response.cancel"}}'
    """
    if direction not in _KIND:
        raise ValueError(f"direction must be 'server' or 'client', not {direction!r}")
    if not 0 <= received_unix_nano <= _MAX_TIME:
        raise ValueError(f"received_unix_nano must be from 0 to 2**64 - 1, not {received_unix_nano}")
    event = bytes(event).strip()
    if b"\n" in event or b"\r" in event:
        event = event.replace(b"\r\n", b" ").replace(b"\n", b" ").replace(b"\r", b" ")
    return _envelope_line(direction, received_unix_nano, event)


def session_record(event: bytes, direction: EventDirection, received_unix_nano: int | None = None) -> bytes:
    """The ``SessionRecord`` bytes of one event already in protobuf (``event``: the bytes of a
    ``ServerEvent`` for ``"server"``, of a ``ClientEvent`` for ``"client"``), with no conversion:
    the event's bytes are embedded as they are, behind its field's tag and length, and the time
    (when given) after them, as ``SessionRecord.SerializeToString(deterministic=True)`` writes it.
    For a recorder that already holds events as protobuf (the session relay's ``--record``); the
    event's bytes are not checked.

    >>> from bridge.v1.session_pb2 import SessionRecord
    >>> event = json_to_binary(b'{"type":"input_audio_buffer.clear"}', kind="client_event")
    >>> SessionRecord.FromString(session_record(event, "client", 5)).client_event.type
    'input_audio_buffer.clear'
    """
    if direction not in _KIND:
        raise ValueError(f"direction must be 'server' or 'client', not {direction!r}")
    if received_unix_nano is not None and not 0 <= received_unix_nano <= _MAX_TIME:
        raise ValueError(f"received_unix_nano must be from 0 to 2**64 - 1, not {received_unix_nano}")
    return _record(direction, bytes(event), received_unix_nano)


def session_record_to_binary(line: bytes | bytearray | memoryview | str, *, strict: bool = False) -> bytes:
    """One record of a session log in JSON (an envelope, or a plain event routed by its ``type``)
    -> the bytes of its ``SessionRecord``.

    Raises :class:`~bridge.ValidationError` with every violation: of the envelope (paths ``$``,
    ``$.direction``, ``$.received_unix_nano``), and of the event (its paths under ``$.event`` in
    an envelope, under ``$`` in a plain line).
    """
    return _record(*_record_of_line(line, strict))


def _record_of_line(line: bytes | bytearray | memoryview | str, strict: bool) -> tuple[EventDirection, bytes, int | None]:
    """:func:`session_record_to_binary`'s record in pieces: its direction, the bytes of its event
    and its time (``None``: none)."""
    if type(line) is bytes:
        data = line
    else:
        try:
            data = line.encode() if isinstance(line, str) else bytes(line)
        except UnicodeEncodeError as error:  # a str holding lone surrogates: bad input, as the converters say
            raise fail(error, line) from None
    # The usual lines, told at a glance: an event whose first key is its type, and an envelope as
    # this module writes it (a bad one goes the long way below, which says what is wrong).
    if data.startswith(_COMPACT_START):  # (what _PLAIN_START matches, without the regex's cost)
        end = data.find(b'"', _TYPE_AT)
        if end > 0 and data.find(b"\\", _TYPE_AT, end) < 0:
            direction: EventDirection = "client" if data[_TYPE_AT:end] in _CLIENT_TYPE_BYTES else "server"
            return direction, json_to_binary(data, kind=_KIND[direction], strict=strict), None
    elif (written := _DIRECTION_OF_HEAD.get(data[:_HEAD_SIZE])) is not None:
        time_end = data.find(_EVENT_KEY, _HEAD_SIZE, _HEAD_SIZE + 20 + len(_EVENT_KEY))  # 1 to 20 digits
        digits = data[_HEAD_SIZE:time_end]
        end = _stripped_end(data)
        if (time_end > 0 and digits.isdigit() and (digits[0] != _ZERO or len(digits) == 1) and data[end - 1] == _CLOSE
                and (received := int(digits)) <= _MAX_TIME):
            try:
                event = json_to_binary(data[time_end + len(_EVENT_KEY) : end - 1], kind=_KIND[written], strict=strict)
            except ValidationError:
                pass
            else:
                return written, event, received
    plain = _PLAIN_START.match(data)
    if plain is not None:
        direction = "client" if plain[1] in _CLIENT_TYPE_BYTES else "server"
        return direction, json_to_binary(data, kind=_KIND[direction], strict=strict), None
    head = _head(data)
    if head is None or head.type is not msgspec.UNSET or (head.event is msgspec.UNSET and head.direction is msgspec.UNSET):
        direction = _route(head)
        return direction, json_to_binary(data, kind=_KIND[direction], strict=strict), None
    envelope = _envelope(data)
    try:
        event = json_to_binary(bytes(envelope.event), kind=_KIND[envelope.direction], strict=strict)
    except ValidationError as error:
        raise ValidationError(_under_event(error.violations)) from None
    return envelope.direction, event, envelope.received_unix_nano


def session_record_to_json(data: bytes | bytearray | memoryview, *, strict: bool = False) -> bytes:
    """The bytes of a ``SessionRecord`` -> its JSON line (without a line ending): the envelope when
    the record has a time, the plain event when it has none.

    A bare ``ServerEvent`` or ``ClientEvent`` (a frame of a single-direction log, such as
    ``rtbridge decode --server`` writes) is read too, as the plain event, its direction that of its
    type. The two are told apart by their first field: a bare event starts with its ``type``
    (field 1, text), a record with an event message (field 1 or 2, starting with its own ``type``
    tag). Fields of a record other than its three are skipped, as protobuf skips unknown fields.
    """
    return _line(*_event_of(bytes(data)), strict)


def drift_of_session_record(data: bytes | bytearray | memoryview) -> list[Violation]:
    """:func:`bridge.drift_of_binary` of the event a ``SessionRecord`` (or a bare event) holds, its
    paths those of :func:`session_record_to_json`'s line: under ``$.event`` in an envelope."""
    return _drift(*_event_of(bytes(data)))


# ------------------------------------------------------------------------ a log's records (batch)
# What bridge.batch runs for each record of a session log: the conversion and the drift of the
# event it holds in one go, from the pieces the conversion already has (the event's protobuf
# bytes), rather than the record read again; and the output as the log holds it.


def frame_of_line(line: bytes, strict: bool = False) -> tuple[bytes, list[Violation]]:
    """One line of a JSON session log -> its record as a delimited frame (the ``SessionRecord`` of
    :func:`session_record_to_binary` with its varint length in front, :mod:`bridge.framing`) and
    :func:`drift_of_session_record` of that record, in one go: what a log converter writes and
    counts for each line (``rtbridge decode``). Raises what :func:`session_record_to_binary` raises."""
    direction, event, received = _record_of_line(line, strict)
    time = b"" if received is None else _time_field(received)
    return _field_frame(_TAG[direction], event, time), _drift(direction, event, received)


def line_of_frame(payload: bytes, strict: bool = False) -> tuple[bytes, list[Violation]]:
    """The payload of one frame of a delimited session log -> its JSON line with a line ending
    (:func:`session_record_to_json`'s) and :func:`drift_of_session_record` of the payload, in one
    go (``rtbridge encode``). Raises what :func:`session_record_to_json` raises."""
    direction, event, received = _event_of(payload)
    return _line(direction, event, received, strict, b"\n"), _drift(direction, event, received)


def _line(direction: EventDirection, event: bytes, received: int | None, strict: bool, ending: bytes = b"") -> bytes:
    """The JSON line of a record's pieces, then ``ending``."""
    try:
        text = binary_to_json(event, kind=_KIND[direction], strict=strict)
    except ValidationError as error:
        raise (error if received is None else ValidationError(_under_event(error.violations))) from None
    if received is None:
        return text + ending if ending else text
    return _envelope_line(direction, received, text, ending)


def _envelope_line(direction: EventDirection, received: int, event: bytes, ending: bytes = b"") -> bytes:
    """An envelope as this module writes it: ``{"direction":...,"received_unix_nano":...,"event":...}``."""
    return b"".join((_ENVELOPE_HEAD[direction], b"%d" % received, _EVENT_KEY, event, b"}", ending))


def _drift(direction: EventDirection, event: bytes, received: int | None) -> list[Violation]:
    """:func:`bridge.drift_of_binary` of a record's event, at the paths of its JSON line."""
    found = drift_of_binary(event, _KIND[direction])
    return _under_event(found) if found and received is not None else found


# ------------------------------------------------------------------------------------- JSON side


class _Head(msgspec.Struct):
    """The keys that tell an envelope from a plain event, and the plain event's type."""

    type: Union[msgspec.Raw, msgspec.UnsetType] = msgspec.UNSET
    event: Union[msgspec.Raw, msgspec.UnsetType] = msgspec.UNSET
    direction: Union[msgspec.Raw, msgspec.UnsetType] = msgspec.UNSET


class _Envelope(msgspec.Struct, forbid_unknown_fields=True):
    """A session-log line: ``{"direction", "received_unix_nano", "event"}``."""

    direction: Literal["server", "client"]
    received_unix_nano: Annotated[int, msgspec.Meta(ge=0)]  # (and at most _MAX_TIME: checked after)
    event: msgspec.Raw


#: How an event the bridge wrote starts: its type first, compact.
_COMPACT_START = b'{"type":"'
_TYPE_AT = len(_COMPACT_START)
#: The client event types as the bytes of a line's type (a type with bytes that are not UTF-8, which
#: :func:`event_direction` reads with replacement characters, is no client type either way).
_CLIENT_TYPE_BYTES = frozenset(name.encode() for name in CLIENT_EVENT_TYPES)
#: An event whose first key is its type (the type's text without escapes).
_PLAIN_START = re.compile(rb'[ \t]*\{[ \t]*"type"[ \t]*:[ \t]*"([^"\\]*)"')
#: What :func:`session_record_to_json` (and :func:`session_envelope`) writes before an envelope's time, and between it and the
#: event. An envelope as written (its time 1 to 20 digits, without leading zeros) is read at a glance.
_ENVELOPE_HEAD: dict[EventDirection, bytes] = {d: b'{"direction":"%s","received_unix_nano":' % d.encode() for d in _TAG}
_EVENT_KEY = b',"event":'
#: The direction of an envelope as :func:`session_record_to_json` writes it, by its first bytes
#: (to its time; the same length for both directions).
_DIRECTION_OF_HEAD: dict[bytes, EventDirection] = {head: direction for direction, head in _ENVELOPE_HEAD.items()}
_HEAD_SIZE = len(_ENVELOPE_HEAD["server"])
if {len(head) for head in _DIRECTION_OF_HEAD} != {_HEAD_SIZE}:
    raise ImportError("bridge.session: the envelopes of the two directions start with heads of different lengths")
_CLOSE, _ZERO = ord("}"), ord("0")
#: What bridge.batch's compiled record loop reads and writes as the routes above do (passed to it
#: at bridge.batch's seam): the envelopes' heads, the key between an envelope's time and its event,
#: and the keys of a record's event fields and time.
_LINE_LAYOUT = (_ENVELOPE_HEAD, _EVENT_KEY, _TAG, _TIME_TAG)
_decode_head: Callable[[bytes], _Head] = msgspec.json.Decoder(_Head).decode
_decode_envelope: Callable[[bytes], _Envelope] = msgspec.json.Decoder(_Envelope).decode
_decode_str: Callable[[bytes], str] = msgspec.json.Decoder(str).decode


def _stripped_end(data: bytes) -> int:
    """``len(data.rstrip())``, without the copy for a line that ends as this module writes them."""
    if data.endswith(b"}\n"):
        return len(data) - 1
    return len(data) if data.endswith(b"}") else len(data.rstrip())


def _head(data: bytes) -> _Head | None:
    """The routing keys of a line; ``None`` when it is not a JSON object (the event converter then
    says what is wrong with it, as for any event)."""
    try:
        return _decode_head(data)
    except (msgspec.DecodeError, RecursionError, UnicodeError):
        return None


def _route(head: _Head | None) -> EventDirection:
    """The direction of a plain event: its type's, server when it has no readable type."""
    if head is None or head.type is msgspec.UNSET:
        return "server"
    try:
        return event_direction(_decode_str(head.type))
    except msgspec.DecodeError:  # not a string: the server converter reports it
        return "server"


def _envelope(data: bytes) -> _Envelope:
    try:
        envelope = _decode_envelope(data)
    except msgspec.ValidationError as error:
        found = reroot(error, "$")
        if found.kind == "unknown_key":
            found = found._replace(message=f"{found.message} (a session envelope holds only direction, received_unix_nano and event)")
        raise ValidationError([found]) from None
    except msgspec.DecodeError as error:  # malformed JSON past what the head read
        raise ValidationError.at("$", f"JSON is malformed: {error}", "malformed") from None
    if envelope.received_unix_nano > _MAX_TIME:  # (msgspec bounds an int to int64 only)
        raise ValidationError.at("$.received_unix_nano", f"Expected `int` <= {_MAX_TIME}", "range")
    return envelope


def _under_event(violations: Iterable[Violation]) -> list[Violation]:
    """``violations`` of an event, their paths moved under the envelope's ``$.event``."""
    return [v._replace(path="$.event" + v.path[1:]) for v in violations]


def _record(direction: EventDirection, event: bytes, received_unix_nano: int | None) -> bytes:
    """The ``SessionRecord`` bytes, as protobuf writes them: the event's field, then the time's."""
    time = b"" if received_unix_nano is None else _time_field(received_unix_nano)
    return b"".join((_TAG[direction], encode_varint(len(event)), event, time))


def _time_field(received_unix_nano: int) -> bytes:
    """``received_unix_nano`` on the wire: its key, then the fixed64."""
    return _TIME_TAG + received_unix_nano.to_bytes(8, "little")


# --------------------------------------------------------------------------------- binary side


def _event_of(data: bytes) -> tuple[EventDirection, bytes, int | None]:
    """A record's direction, event bytes and time (``None``: none, as for a bare event, whose
    direction is its type's)."""
    whole = _as_written(data)
    if whole is not None:
        return whole
    bare = _bare_event_type(data)
    if bare is not None:
        return event_direction(bare), data, None
    return _split(data)


def _as_written(data: bytes) -> tuple[EventDirection, bytes, int | None] | None:
    """A record as :func:`session_record_to_binary` writes it (the event's field, then the time's
    if any), read at a glance; ``None`` for anything else, which :func:`_split` reads."""
    direction = _DIRECTION_OF_TAG.get(data[0]) if data else None
    if direction is None or len(data) < 3:
        return None
    length = data[1]
    if length < 0x80:  # the event's length in one byte (up to 127) or two (up to 16 KiB): most records
        start = 2
    elif data[2] < 0x80:
        length, start = (length & 0x7F) | data[2] << 7, 3
    else:
        try:
            length, start = _read_varint(data, 1)
        except ValidationError:
            return None
    end = start + length
    if data[start : start + 1] != _TYPE_TAG:  # not an event message starting with its type
        return None
    if end == len(data):
        return direction, data[start:end], None
    if end + 9 == len(data) and data[end : end + 1] == _TIME_TAG:
        return direction, data[start:end], int.from_bytes(data[end + 1 :], "little")
    return None


def _bare_event_type(data: bytes) -> str | None:
    """The ``type`` of a bare event message (its first field, field 1 holding text); ``None`` for
    what is a ``SessionRecord`` (field 1 holding a message, which starts with its own type's key,
    or another of its fields first)."""
    if not data:
        return ""
    if data[:1] != _TYPE_TAG:
        is_record = data[0] in _DIRECTION_OF_TAG or data[:1] == _TIME_TAG
        return None if is_record else ""  # neither: the server converter says what is wrong with it
    try:
        length, start = _read_varint(data, 1)
    except ValidationError:
        return ""
    if length and data[start : start + 1] == _TYPE_TAG:
        return None
    return data[start : start + length].decode("utf-8", "replace")


def _split(data: bytes) -> tuple[EventDirection, bytes, int | None]:
    """A ``SessionRecord``'s direction, event bytes and time, read off the wire: a member of the
    ``event`` oneof that occurs twice is merged (its pieces joined, as protobuf merges a message
    field), a different member replaces it (as a oneof does), and the last time counts."""
    direction: EventDirection | None = None
    pieces: list[bytes] = []
    received: int | None = None
    position = 0
    size = len(data)
    while position < size:
        key, position = _read_varint(data, position)
        field, wire = key >> 3, key & 7
        if field == 0:
            raise _malformed("field number 0")
        if (field in _DIRECTION_OF_FIELD and wire != _WIRE_LEN) or (field == _TIME_FIELD and wire != _WIRE_I64):
            raise _malformed(f"field {field} has wire type {wire}")
        if wire == _WIRE_LEN:
            length, position = _read_varint(data, position)
            end = position + length
            if end > size:
                raise _malformed("truncated field")
            member = _DIRECTION_OF_FIELD.get(field)
            if member is not None:
                if member != direction:
                    direction, pieces = member, []
                pieces.append(data[position:end])
            position = end
        elif wire in (_WIRE_I64, _WIRE_I32):
            end = position + (8 if wire == _WIRE_I64 else 4)
            if end > size:
                raise _malformed("truncated field")
            if field == _TIME_FIELD:
                received = int.from_bytes(data[position:end], "little")
            position = end
        elif wire == _WIRE_VARINT:
            _, position = _read_varint(data, position)
        else:
            raise _malformed(f"unsupported wire type {wire}")
    if direction is None:
        raise ValidationError.at("$", "the SessionRecord holds no event (neither server_event nor client_event)", "missing")
    return direction, b"".join(pieces), received


def _read_varint(data: bytes, position: int) -> tuple[int, int]:
    try:
        return read_varint(data, position)
    except ValueError as error:
        raise _malformed(str(error)) from None


def _malformed(what: str) -> ValidationError:
    return ValidationError.at("$", f"malformed protobuf: not a SessionRecord: {what}", "malformed")
