"""The service's messages on the wire: envelopes of tags and lengths around the converters' bytes.

Every request and response message of ``service.proto`` is a thin envelope around one document or
a list of them (JSON text, or the bytes of a ``ServerEvent`` / ``RealtimeResponse``). On the wire an
embedded message field is its tag, a varint length and the message's own bytes, so the service need
not build message objects: it frames the bytes :func:`bridge.json_to_binary` returns into a
response (:func:`unary`, :func:`result`, :func:`batch_entry`), and hands the bytes a request
carries straight to :func:`bridge.binary_to_json`.

Requests are read by protobuf's own parser (upb, in C), but only as far as the envelope
(:func:`event_from_json`, ..., :func:`stream_to_json`, each giving an :data:`Envelope`):

- the ``...FromJson`` requests hold nothing but ``bytes`` and ``bool`` fields, so their generated
  classes already leave the JSON as bytes;
- the ``...ToJson`` requests are read with *envelope mirrors*: the same messages, declared in a
  descriptor pool of their own under the same names (a parse error reads as it would with the
  generated class), whose embedded message fields are ``repeated bytes``, so that the event's
  bytes come out as the client sent them, unparsed.

The mirrors keep protobuf's semantics: a singular message field sent more than once is the merge
of its occurrences, which for bytes is their concatenation (:func:`embedded`); a ``oneof`` goes to
the member seen last. What an envelope holds is not parsed here: an event that is not valid
protobuf is the converter's to report, for that event alone.

Output is exactly what the generated classes serialise for the same fields: field order by number,
a zero ``sequence`` left out (proto3), a present ``oneof`` member written even when empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import Message

from bridge.v1 import service_pb2

__all__ = [
    "ERROR",
    "VALUE",
    "Batch",
    "Envelope",
    "batch_entry",
    "embedded",
    "error_result",
    "event_from_json",
    "event_to_json",
    "response_from_json",
    "response_to_json",
    "result",
    "stream_from_json",
    "stream_to_json",
    "unary",
    "varint",
]


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


#: Varints below this are looked up, not computed: every length of a typical event, the sequence
#: numbers of the first 16 384 events of a stream.
_CACHED: Final = 1 << 14
_VARINTS: Final[tuple[bytes, ...]] = tuple(_encode_varint(n) for n in range(_CACHED))


def varint(value: int) -> bytes:
    """``value`` (>= 0) as a protobuf base-128 varint."""
    return _VARINTS[value] if value < _CACHED else _encode_varint(value)


# Tags (field number << 3 | wire type 2, length-delimited; 0 for the varint ``sequence``).
_FIELD_1: Final = b"\x0a"  # the payload of every unary response (event, json, response, json)
_SEQUENCE: Final = b"\x08"  # a stream result's ``sequence`` (field 1, varint)
#: A stream result's ``oneof result`` member: ``event``/``json`` (field 2) or ``error`` (field 3).
VALUE: Final = b"\x12"
ERROR: Final = b"\x1a"
_RESULTS: Final = b"\x22"  # an entry of a batch response's ``results`` (field 4)


def unary(payload: bytes) -> bytes:
    """A unary response (``EventFromJsonResponse``, ``EventToJsonResponse``, ...): ``payload`` as
    its field 1, the only field each of them has."""
    size = len(payload)
    return _FIELD_1 + (_VARINTS[size] if size < _CACHED else _encode_varint(size)) + payload


def result(sequence: int, payload: bytes, tag: bytes = VALUE) -> bytes:
    """A stream response answering one event: ``sequence`` and the converted ``payload``
    (``tag`` :data:`VALUE`) or a serialised ``ConversionError`` (:data:`ERROR`)."""
    size = len(payload)
    length = _VARINTS[size] if size < _CACHED else _encode_varint(size)
    if sequence == 0:
        return tag + length + payload
    return _SEQUENCE + (_VARINTS[sequence] if sequence < _CACHED else _encode_varint(sequence)) + tag + length + payload


def error_result(sequence: int, error: Message) -> bytes:
    """A stream response whose result is the ``ConversionError`` ``error``."""
    return result(sequence, error.SerializeToString(), ERROR)


def batch_entry(sequence: int, payload: bytes, tag: bytes = VALUE) -> bytes:
    """One entry of a batch response's ``results`` (field 4), its own tag and length included: the
    response is the concatenation of its entries, and its size their total length. The entry is
    the result :func:`result` would make for the same arguments."""
    size = len(payload)
    length = _VARINTS[size] if size < _CACHED else _encode_varint(size)
    if sequence == 0:
        inner = 1 + len(length) + size
        return b"".join((_RESULTS, _VARINTS[inner] if inner < _CACHED else _encode_varint(inner), tag, length, payload))
    number = _VARINTS[sequence] if sequence < _CACHED else _encode_varint(sequence)
    inner = 2 + len(number) + len(length) + size
    entry_length = _VARINTS[inner] if inner < _CACHED else _encode_varint(inner)
    return b"".join((_RESULTS, entry_length, _SEQUENCE, number, tag, length, payload))


def embedded(occurrences: Sequence[bytes]) -> bytes:
    """The bytes of a singular message field that a mirror read as ``repeated bytes``: protobuf
    merges the occurrences of such a field, which is parsing their concatenation."""
    return occurrences[0] if len(occurrences) == 1 else b"".join(occurrences)


class Batch:
    """The ``batch`` of a stream request: the JSON text, or the protobuf bytes, of each event."""

    __slots__ = ("items",)

    def __init__(self, items: Sequence[bytes]) -> None:
        self.items = items


#: What a request carries (one document, or a :class:`Batch` of them) and its ``strict`` flag.
Envelope = tuple[bytes | Batch, bool]


def event_from_json(data: bytes) -> Envelope:
    """An ``EventFromJsonRequest``: its JSON and ``strict``."""
    request = service_pb2.EventFromJsonRequest.FromString(data)
    return request.json, request.strict


def response_from_json(data: bytes) -> Envelope:
    """A ``ResponseFromJsonRequest``: its JSON and ``strict``."""
    request = service_pb2.ResponseFromJsonRequest.FromString(data)
    return request.json, request.strict


def stream_from_json(data: bytes) -> Envelope:
    """A ``StreamEventsFromJsonRequest``: its JSON or its :class:`Batch` of JSON, and ``strict``."""
    request = service_pb2.StreamEventsFromJsonRequest.FromString(data)
    if request.WhichOneof("input") == "batch":
        return Batch(request.batch.json), request.strict
    return request.json, request.strict


def event_to_json(data: bytes) -> Envelope:
    """An ``EventToJsonRequest``: the bytes of its ``ServerEvent`` (empty when unset) and ``strict``."""
    request = _EVENT_TO_JSON.FromString(data)
    return (embedded(request.event) if request.event else b""), request.strict


def response_to_json(data: bytes) -> Envelope:
    """A ``ResponseToJsonRequest``: the bytes of its ``RealtimeResponse`` and ``strict``."""
    request = _RESPONSE_TO_JSON.FromString(data)
    return (embedded(request.response) if request.response else b""), request.strict


def stream_to_json(data: bytes) -> Envelope:
    """A ``StreamEventsToJsonRequest``: the bytes of its ``ServerEvent`` or a :class:`Batch` of
    them, and ``strict``. Neither member set is an empty event, as protobuf reads an unset field."""
    request = _STREAM_TO_JSON.FromString(data)
    events, batches = request.event, request.batch
    if not batches:
        return (embedded(events) if events else b""), request.strict
    if events:  # both members of the oneof sent: the one seen last wins, read off the wire in order
        return _last_member(data), request.strict
    return Batch(_RAW_BATCH.FromString(embedded(batches)).events), request.strict


def _last_member(data: bytes) -> bytes | Batch:
    """The ``input`` of a request (that protobuf parsed) holding both members of its ``oneof``:
    the member seen last, merged over its occurrences since the other one last appeared (setting
    one member of a oneof clears the other)."""
    member = 0
    chunks: list[bytes] = []
    position, end = 0, len(data)
    while position < end:
        key, position = _read_varint(data, position)
        number, wire_type = key >> 3, key & 7
        if wire_type != 2:
            position = _skip(data, position, wire_type, number)
            continue
        size, position = _read_varint(data, position)
        chunk, position = data[position : position + size], position + size
        if number not in (1, 3):
            continue  # strict sent as bytes, or an unknown field
        if number != member:
            member, chunks = number, []
        chunks.append(chunk)
    merged = b"".join(chunks)
    return merged if member == 1 else Batch(_RAW_BATCH.FromString(merged).events)


def _skip(data: bytes, position: int, wire_type: int, number: int) -> int:
    """The position after a field that is not length-delimited (well formed: protobuf parsed it)."""
    if wire_type == 0:
        return _read_varint(data, position)[1]
    if wire_type == 1:
        return position + 8
    if wire_type == 5:
        return position + 4
    if wire_type == 3:  # a group: skip fields up to its end-group tag
        while True:
            key, position = _read_varint(data, position)
            if key == (number << 3 | 4):
                return position
            if key & 7 == 2:
                size, position = _read_varint(data, position)
                position += size
            else:
                position = _skip(data, position, key & 7, key >> 3)
    raise ValueError(f"unexpected wire type {wire_type}")  # pragma: no cover - upb refused it already


def _read_varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, position
        shift += 7


def _mirrors() -> dict[str, Any]:
    """The envelope mirrors of the ``...ToJson`` requests (see the module docstring). Message
    classes made at run time from a descriptor: their fields are not known statically (``Any``)."""
    f = descriptor_pb2.FieldDescriptorProto
    file = descriptor_pb2.FileDescriptorProto(
        name="bridge/service/wire_mirrors.proto", package="realtime.bridge.v1", syntax="proto3"
    )
    layouts = {
        "EventToJsonRequest": (("event", 1, f.TYPE_BYTES, f.LABEL_REPEATED), ("strict", 2, f.TYPE_BOOL, f.LABEL_OPTIONAL)),
        "ResponseToJsonRequest": (
            ("response", 1, f.TYPE_BYTES, f.LABEL_REPEATED),
            ("strict", 2, f.TYPE_BOOL, f.LABEL_OPTIONAL),
        ),
        "StreamEventsToJsonRequest": (
            ("event", 1, f.TYPE_BYTES, f.LABEL_REPEATED),
            ("strict", 2, f.TYPE_BOOL, f.LABEL_OPTIONAL),
            ("batch", 3, f.TYPE_BYTES, f.LABEL_REPEATED),
        ),
        "ServerEventBatch": (("events", 1, f.TYPE_BYTES, f.LABEL_REPEATED),),
    }
    for name, fields in layouts.items():
        message = file.message_type.add(name=name)
        for field_name, number, kind, label in fields:
            message.field.add(name=field_name, number=number, type=kind, label=label)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"realtime.bridge.v1.{name}"))
        for name in layouts
    }


_MIRRORS: Final = _mirrors()
_EVENT_TO_JSON: Final = _MIRRORS["EventToJsonRequest"]
_RESPONSE_TO_JSON: Final = _MIRRORS["ResponseToJsonRequest"]
_STREAM_TO_JSON: Final = _MIRRORS["StreamEventsToJsonRequest"]
_RAW_BATCH: Final = _MIRRORS["ServerEventBatch"]
