"""The service's messages on the wire: envelopes of tags and lengths around the converters' bytes.

Every request and response message of ``service.proto`` is a thin envelope around one document or
a list of them (JSON text, or the bytes of a ``ServerEvent`` / ``ClientEvent`` /
``RealtimeResponse``). On the wire an
embedded message field is its tag, a varint length and the message's own bytes, so the service need
not build message objects: it frames the bytes :func:`bridge.json_to_binary` returns into a
response (:func:`unary`, :func:`result`, :func:`batch_entry`), and hands the bytes a request
carries straight to :func:`bridge.binary_to_json`.

Requests are read by protobuf's own parser (upb, in C), but only as far as the envelope
(:func:`reader` makes each conversion's reader from its entry in :mod:`bridge.service._rpcs`,
:data:`READERS` holds them by RPC name; each gives an :data:`Envelope`):

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

import contextlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, cast

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from bridge.framing import encode_varint, read_varint
from bridge.service._rpcs import CONVERSIONS, Rpc

__all__ = [
    "ERROR",
    "READERS",
    "VALUE",
    "Batch",
    "Envelope",
    "batch_entry",
    "batch_head",
    "embedded",
    "fields_of",
    "error_result",
    "result",
    "unary",
    "key",
    "last_member",
    "mirror",
    "reader",
    "varint",
]


_encode_varint = encode_varint


#: Varints below this are looked up, not computed: every length of a typical event, the sequence
#: numbers of the first 16 384 events of a stream.
_CACHED: Final = 1 << 14
_VARINTS: Final[tuple[bytes, ...]] = tuple(_encode_varint(n) for n in range(_CACHED))


def varint(value: int) -> bytes:
    """``value`` (>= 0) as a protobuf base-128 varint."""
    return _VARINTS[value] if value < _CACHED else _encode_varint(value)


_F = FieldDescriptor
#: Protobuf's wire type of each field type that is not a varint (0).
_WIRE_TYPES: Final = {
    _F.TYPE_DOUBLE: 1, _F.TYPE_FIXED64: 1, _F.TYPE_SFIXED64: 1, _F.TYPE_FLOAT: 5, _F.TYPE_FIXED32: 5,
    _F.TYPE_SFIXED32: 5, _F.TYPE_STRING: 2, _F.TYPE_BYTES: 2, _F.TYPE_MESSAGE: 2,
}


def key(field: FieldDescriptor) -> bytes:
    """The encoded key (field number and wire type) that precedes a value of the singular
    ``field`` on the wire."""
    return _encode_varint(field.number << 3 | _WIRE_TYPES.get(field.type, 0))


def _one_key(*fields: FieldDescriptor) -> bytes:
    """The key the fields share: the framing below serves every message they belong to."""
    keys = {key(field) for field in fields}
    if len(keys) != 1:
        raise ImportError(f"bridge.service.wire: {[f.full_name for f in fields]} differ on the wire")
    return keys.pop()


def fields_of(message: type[Message]) -> Mapping[str, FieldDescriptor]:
    """The fields of a generated message class, by name (with upb, descriptors are its own class)."""
    return cast(Descriptor, message.DESCRIPTOR).fields_by_name


#: The responses of the conversions, unary and stream (the framing below serves them all).
_UNARY_RESPONSES: Final = tuple(fields_of(rpc.response) for rpc in CONVERSIONS if not rpc.response_streaming)
_STREAM_RESPONSES: Final = tuple(
    (fields_of(rpc.response), rpc.output_field) for rpc in CONVERSIONS if rpc.response_streaming
)
#: The payload of every unary response, its only field (``event``, ``json``, ``response``, ...).
_FIELD_1: Final = _one_key(*(next(iter(fields.values())) for fields in _UNARY_RESPONSES))
_SEQUENCE: Final = _one_key(*(fields["sequence"] for fields, _ in _STREAM_RESPONSES))
#: A stream result's ``oneof result`` member: the converted document (``event`` / ``json``) ...
VALUE: Final = _one_key(*(fields[value] for fields, value in _STREAM_RESPONSES))
#: ... or its ``ConversionError``.
ERROR: Final = _one_key(*(fields["error"] for fields, _ in _STREAM_RESPONSES))
#: An entry of a batch response's ``results``.
_RESULTS: Final = _one_key(*(fields["results"] for fields, _ in _STREAM_RESPONSES))
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


def batch_head(sequence: int, size: int, tag: bytes = VALUE) -> bytes:
    """What precedes a payload of ``size`` bytes in its entry of a batch response's ``results``:
    the entry's tag and length, its ``sequence`` and the result's tag and length. A batch response
    is the concatenation of head, payload, head, payload, ...: each payload is copied once, into
    the response."""
    length = _VARINTS[size] if size < _CACHED else _encode_varint(size)
    if sequence == 0:
        inner = 1 + len(length) + size
        return b"".join((_RESULTS, _VARINTS[inner] if inner < _CACHED else _encode_varint(inner), tag, length))
    number = _VARINTS[sequence] if sequence < _CACHED else _encode_varint(sequence)
    inner = 2 + len(number) + len(length) + size
    entry_length = _VARINTS[inner] if inner < _CACHED else _encode_varint(inner)
    return b"".join((_RESULTS, entry_length, _SEQUENCE, number, tag, length))


def batch_entry(sequence: int, payload: bytes, tag: bytes = VALUE) -> bytes:
    """One entry of a batch response's ``results``, its own tag and length included (the result
    :func:`result` would make for the same arguments, as an entry)."""
    return batch_head(sequence, len(payload), tag) + payload


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


def reader(rpc: Rpc) -> Callable[[bytes], Envelope]:
    """How a request of the conversion ``rpc`` is read: its document (or :class:`Batch` of them)
    and ``strict``, parsed no further (see the module docstring)."""
    document = rpc.input_field
    if rpc.conversion == "from_json":  # the generated class leaves the JSON as bytes
        parse = rpc.request.FromString
        if not rpc.request_streaming:

            def from_json(data: bytes) -> Envelope:
                request: Any = parse(data)
                return getattr(request, document), request.strict

            return from_json

        def stream_from_json(data: bytes) -> Envelope:
            request: Any = parse(data)
            if request.WhichOneof("input") == "batch":
                return Batch(request.batch.json), request.strict
            return getattr(request, document), request.strict

        return stream_from_json
    envelope = mirror(cast(Descriptor, rpc.request.DESCRIPTOR))
    if not rpc.request_streaming:

        def to_json(data: bytes) -> Envelope:
            request = envelope.FromString(data)
            occurrences = getattr(request, document)
            return (embedded(occurrences) if occurrences else b""), request.strict

        return to_json
    fields = fields_of(rpc.request)
    numbers = (fields[document].number, fields["batch"].number)
    raw_batch = mirror(cast(Descriptor, fields["batch"].message_type))

    def stream_to_json(data: bytes) -> Envelope:
        request = envelope.FromString(data)
        documents, batches = getattr(request, document), request.batch
        if not batches:  # neither member set is an empty document, as protobuf reads an unset field
            return (embedded(documents) if documents else b""), request.strict
        if documents:  # both members of the oneof sent: the one seen last wins, read off the wire in order
            number, merged = last_member(data, numbers)
            return (merged if number == numbers[0] else Batch(raw_batch.FromString(merged).events)), request.strict
        return Batch(raw_batch.FromString(embedded(batches)).events), request.strict

    return stream_to_json


def last_member(data: bytes, numbers: Sequence[int]) -> tuple[int, bytes]:
    """The member of a ``oneof`` (its field ``numbers``) of a message that protobuf parsed with
    more than one of them present: the member seen last, and its bytes merged over its occurrences
    since another member last appeared (setting one member of a oneof clears the others)."""
    member = 0
    chunks: list[bytes] = []
    position, end = 0, len(data)
    while position < end:
        key, position = read_varint(data, position)
        number, wire_type = key >> 3, key & 7
        if wire_type != 2:
            position = _skip(data, position, wire_type, number)
            continue
        size, position = read_varint(data, position)
        chunk, position = data[position : position + size], position + size
        if number not in numbers:
            continue  # a scalar sent as bytes, or an unknown field
        if number != member:
            member, chunks = number, []
        chunks.append(chunk)
    return member, b"".join(chunks)


def _skip(data: bytes, position: int, wire_type: int, number: int) -> int:
    """The position after a field that is not length-delimited (well formed: protobuf parsed it)."""
    if wire_type == 0:
        return read_varint(data, position)[1]
    if wire_type == 1:
        return position + 8
    if wire_type == 5:
        return position + 4
    if wire_type == 3:  # a group: skip fields up to its end-group tag
        while True:
            key, position = read_varint(data, position)
            if key == (number << 3 | 4):
                return position
            if key & 7 == 2:
                size, position = read_varint(data, position)
                position += size
            else:
                position = _skip(data, position, key & 7, key >> 3)
    raise ValueError(f"unexpected wire type {wire_type}")  # pragma: no cover - upb refused it already


_MIRROR_POOL: Final = descriptor_pool.DescriptorPool()


def mirror(descriptor: Descriptor) -> Any:
    """The envelope mirror of a request (or batch) message (see the module docstring): a copy of
    the generated message in a pool of its own, each message field made ``repeated bytes`` (out of
    its ``oneof``, which cannot hold a repeated field). A message class made at run time from a
    descriptor: its fields are not known statically (``Any``)."""
    with contextlib.suppress(KeyError):
        return message_factory.GetMessageClass(_MIRROR_POOL.FindMessageTypeByName(descriptor.full_name))
    file = descriptor_pb2.FileDescriptorProto(
        name=f"bridge/service/wire_mirrors/{descriptor.name}.proto", package=descriptor.file.package, syntax="proto3"
    )
    mirror = file.message_type.add()
    descriptor.CopyToProto(mirror)
    for field in mirror.field:
        if field.type == field.TYPE_MESSAGE:
            field.type, field.label = field.TYPE_BYTES, field.LABEL_REPEATED
            field.ClearField("type_name")
            field.ClearField("oneof_index")
            field.ClearField("proto3_optional")
    if all(not field.HasField("oneof_index") for field in mirror.field):
        mirror.ClearField("oneof_decl")
    _MIRROR_POOL.Add(file)
    return message_factory.GetMessageClass(_MIRROR_POOL.FindMessageTypeByName(descriptor.full_name))


#: The reader of each conversion's requests, by RPC name.
READERS: Final = {rpc.name: reader(rpc) for rpc in CONVERSIONS}
