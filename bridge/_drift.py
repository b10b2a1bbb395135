"""Drift read off protobuf bytes (:func:`bridge.drift_of_binary`): a scan that answers most events
without parsing them, and a walk of the parsed message for the others.

What the schema did not type is recorded in protobuf in two places only: the ``unknown_keys`` of
the ``json_fidelity`` record of the object that held it (unknown keys and values of the wrong type,
at any depth), and the envelope's ``type`` (an event type of no class of its direction). So
:func:`may_drift` reads the bytes only as far as it must to rule both out:

- Kept keys: the bytes (or a message field in them) are searched for the key of a
  ``json_fidelity`` field (``bytes.find``, in C); each place it occurs is read as a record (its
  length, within the bytes) and searched for the key of ``unknown_keys``. Every real record is one
  of those places, and one that keeps anything holds that key; so if no place does, nothing was
  kept. (A place that only looks like a record, in audio say, costs a parse, never a wrong answer.)
  Records of nulls and empty lists, which most real events have, are answered so.
- The type: a small event (up to :data:`_LARGE` bytes, most of them) laid out as the converters
  write it (:func:`_as_written`: ``type``, ``event_id``, the field holding the rest, the envelope's
  record of nulls) is read in a few comparisons; any other is read field by field (:func:`_scan`),
  its last ``type`` counting (as protobuf reads a field given twice; without one, the member of
  the ``event`` oneof says the type).
- A large event is read field by field throughout, its message fields too while they are large,
  the small ones searched as above: its large ``bytes`` and strings (audio, transcripts) are
  skipped rather than searched (searching costs about a nanosecond a byte, reading a field a few
  hundred), so the cost grows with its fields, not its audio.

:mod:`bridge._speedups` compiles this scan (``may_drift`` there: the same reading of the same
bytes, in C, about a tenth of the time), which :func:`bridge.drift_of_binary` runs when the
accelerators are in use; the functions here are its pure twin.

Anything that may drift is parsed (upb) and walked by :func:`of_message` as :func:`bridge.drift`
walks the Structs: the same violations, in the same order, without building the Structs.

Every key is derived from the descriptors (:data:`FIDELITY_KEY`, :data:`UNKNOWN_KEYS_KEY`, the
envelopes' ``type`` and members, each message's message fields), never written out.
"""

from __future__ import annotations

from typing import Any, Final, cast

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from msgspec import Raw

from bridge._json import misfit
from bridge._paths import join
from bridge._schema import CLIENT, FIDELITY, FIDELITY_FIELD, PLANS, RESPONSE_PLAN, SERVER, Direction, FieldKind, MessagePlan
from bridge._strict import type_drift
from bridge.errors import Violation
from bridge.framing import encode_varint, read_varint

__all__ = ["FIDELITY_KEY", "UNKNOWN_KEYS_KEY", "may_drift", "of_message"]

#: Protobuf's wire types: a varint, 64 bits, length-delimited (strings, bytes, messages), 32 bits.
_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5
#: A message field longer than this is read field by field rather than searched (searching costs
#: about a nanosecond a byte, reading a field about 300).
_LARGE: Final = 1024


def _key(field: FieldDescriptor) -> int:
    """The key (number and wire type) in front of a value of ``field``, a length-delimited one."""
    if field.type not in (FieldDescriptor.TYPE_MESSAGE, FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_BYTES):
        raise ImportError(f"bridge._drift: {field.full_name} is not length-delimited")
    return field.number << 3 | _LEN


def _messages() -> list[Descriptor]:
    """Every message the converters write: the envelopes and the message of every plan."""
    return [cast(Descriptor, pb.DESCRIPTOR) for pb in {plan.pb for plan in PLANS.values()} | {SERVER.envelope, CLIENT.envelope}]


def _one_key(fields: list[FieldDescriptor]) -> int:
    """The key the fields share: the scan below looks for one."""
    keys = {_key(field) for field in fields}
    if len(keys) != 1:
        raise ImportError(f"bridge._drift: {sorted(f.full_name for f in fields)} differ on the wire")
    return keys.pop()


_FIDELITY: Final = _one_key([m.fields_by_name[FIDELITY_FIELD] for m in _messages() if FIDELITY_FIELD in m.fields_by_name])
_UNKNOWN_KEYS: Final = _key(cast(Descriptor, FIDELITY.DESCRIPTOR).fields_by_name["unknown_keys"])
#: The key of ``json_fidelity`` as it stands in the bytes, the same in every message (checked on import).
FIDELITY_KEY: Final = encode_varint(_FIDELITY)
#: The key of an entry of ``JsonFidelity.unknown_keys``.
UNKNOWN_KEYS_KEY: Final = encode_varint(_UNKNOWN_KEYS)

#: A message's fields that hold messages (maps aside: their entries keep nothing), by key: what the
#: scan reads inside, each with its own.
_Children = dict[int, Any]


def _children(descriptor: Descriptor, made: dict[str, _Children]) -> _Children:
    children = made.get(descriptor.full_name)
    if children is None:
        children = made[descriptor.full_name] = {}
        for field in descriptor.fields:
            sub = field.message_type
            if sub is not None and field.name != FIDELITY_FIELD and not sub.GetOptions().map_entry:
                children[_key(field)] = _children(sub, made)
    return children


_MADE: Final[dict[str, _Children]] = {}


class _Side:
    """What the scan needs of one envelope (a direction's, or none: a bare response): the key of
    its ``type``, its message fields, and for each of its event types (as the bytes spell them)
    the key of the member that holds the event's keys (empty for a type whose keys are the
    envelope's own fields)."""

    __slots__ = ("body_of", "children", "id_key", "members", "type_key")

    def __init__(self, message: type[Message], direction: Direction | None) -> None:
        descriptor = cast(Descriptor, message.DESCRIPTOR)
        self.children = _children(descriptor, _MADE)
        self.type_key = self.id_key = -1
        self.body_of: dict[bytes, bytes] = {}
        self.members: frozenset[int] = frozenset()
        if direction is not None:
            fields = descriptor.fields_by_name
            self.type_key, self.id_key = _key(fields["type"]), _key(fields["event_id"])
            if self.type_key >= 0x80 or self.id_key >= 0x80:
                raise ImportError("bridge._drift: the scan reads one-byte keys for an envelope's type and event_id")
            self.members = frozenset(_key(field) for field in descriptor.oneofs_by_name["event"].fields)
            self.body_of = {event_type.encode(): _body(plan, fields) for event_type, plan in direction.plans.items()}


def _body(plan: MessagePlan, fields: Any) -> bytes:
    """The key of the envelope's field that holds the other keys of an event of ``plan``: its
    member, or the one message field of an event whose keys are the envelope's own (``response``);
    empty if there is no such one field."""
    if plan.envelope is not None:
        return encode_varint(_key(fields[plan.envelope.member]))
    held = [field for field in plan.fields if field.kind is FieldKind.MESSAGE]
    return encode_varint(_key(fields[held[0].pb_name])) if len(held) == 1 else b""


_SIDES: Final = {
    "event": _Side(SERVER.envelope, SERVER),
    "client_event": _Side(CLIENT.envelope, CLIENT),
    "response": _Side(RESPONSE_PLAN.pb, None),
}
_DIRECTIONS: Final[dict[type[Message], Direction]] = {SERVER.envelope: SERVER, CLIENT.envelope: CLIENT}


def may_drift(data: bytes, kind: str) -> bool:
    """False when ``data``, protobuf bytes of a ``kind`` document, certainly hold no drift (see the
    module docstring); True when they must be parsed to tell (bytes that do not read as protobuf
    fields included: the parse says what is wrong)."""
    side = _SIDES[kind]
    try:
        size = len(data)
        if (
            size <= _LARGE
            and (FIDELITY_KEY not in data or not _looks_kept(data, 0, size))
            and (side.type_key < 0 or _as_written(data, side))
        ):
            return False  # nothing kept at any depth, and a type of the direction
        return _scan(data, 0, len(data), side.children, side)
    except (IndexError, ValueError):  # a field or a varint cut short
        return True


def _as_written(data: bytes, side: _Side) -> bool:
    """Whether ``data`` is an event of a known type laid out as the converters (and protobuf's
    deterministic serialization) write it: its ``type`` first, maybe its ``event_id``, then the
    field of its type that holds its other keys (its member, or ``response``), maybe the envelope's
    own ``json_fidelity`` record, and nothing else (so no second ``type``). A few bytes compared:
    the common case, answered before the field-by-field reading :func:`_scan` does."""
    if data[0] != side.type_key or data[1] >= 0x80:
        return False
    position = 2 + data[1]
    body = side.body_of.get(data[2:position])
    if body is None:  # a type of no class of the direction
        return False
    size = len(data)
    if position < size and data[position] == side.id_key:
        if data[position + 1] >= 0x80:
            return False
        position += 2 + data[position + 1]
    if position == size:
        return True
    if body and data.startswith(body, position):
        position += len(body)
        if data[position] < 0x80:  # (under 128 bytes)
            position += 1 + data[position]
        else:
            length, position = read_varint(data, position)
            position += length
        if position == size:
            return True
    if not data.startswith(FIDELITY_KEY, position):
        return False
    position += len(FIDELITY_KEY)
    return data[position] < 0x80 and position + 1 + data[position] == size  # (a record of nulls: short)


def _scan(data: bytes, position: int, end: int, children: _Children, side: _Side | None = None) -> bool:
    """Whether the message in ``data[position:end]`` (its message fields: ``children``; an envelope:
    ``side``) may hold drift."""
    type_key = side.type_key if side is not None else -1
    last: bytes | None = None
    member = False
    while position < end:
        key = data[position]
        if key < 0x80:
            position += 1
        else:
            key, position = read_varint(data, position)
        wire = key & 7
        if wire == _LEN:
            length = data[position]
            if length < 0x80:
                position += 1
            else:
                length, position = read_varint(data, position)
            stop = position + length
            if stop > end:
                return True
            if key == _FIDELITY:
                if _keeps(data, position, stop):
                    return True
            elif key == type_key:
                last = data[position:stop]
            else:
                inside = children.get(key)
                if inside is not None:
                    if side is not None and key in side.members:
                        member = True
                    if _scan(data, position, stop, inside) if length > _LARGE else _looks_kept(data, position, stop):
                        return True
            position = stop
        elif wire == _VARINT:
            position = read_varint(data, position)[1]
        elif wire == _I64:
            position += 8
        elif wire == _I32:
            position += 4
        else:  # groups, and what is no wire type
            return True
    if position != end:
        return True
    if side is None or type_key < 0:
        return False
    return last not in side.body_of if last is not None else not member


def _keeps(data: bytes, position: int, end: int) -> bool:
    """Whether the ``json_fidelity`` record in ``data[position:end]`` has ``unknown_keys``."""
    while position < end:
        key, position = read_varint(data, position)
        if key == _UNKNOWN_KEYS:
            return True
        wire = key & 7
        if wire == _LEN:
            length, position = read_varint(data, position)
            position += length
        elif wire == _VARINT:
            position = read_varint(data, position)[1]
        else:
            return True  # no field of a record: the parse says what is wrong
    return position != end


def _looks_kept(data: bytes, start: int, end: int) -> bool:
    """Whether some place in ``data[start:end]`` may be a ``json_fidelity`` record holding
    ``unknown_keys`` (see the module docstring)."""
    find, key = data.find, FIDELITY_KEY
    at = find(key, start, end)
    while at >= 0:
        position = at + len(key)
        if position < end and data[position] < 0x80:  # (a record under 128 bytes: most)
            length, position = data[position], position + 1
        else:
            try:
                length, position = read_varint(data, position)
            except ValueError:  # not a record's length: not a record
                length, position = -1, end
        if length >= 0 and position + length <= end and find(UNKNOWN_KEYS_KEY, position, position + length) >= 0:
            return True
        at = find(key, at + 1, end)
    return False


def of_message(message: Message) -> list[Violation] | None:
    """:func:`bridge.drift` of what a parsed ``ServerEvent``, ``ClientEvent`` or ``RealtimeResponse``
    stands for; ``None`` for an envelope that contradicts itself (no type, or a type and a member
    of another type), which only decoding it reports."""
    found: list[Violation] = []
    direction = _DIRECTIONS.get(type(message))
    if direction is None:
        _walk(message, RESPONSE_PLAN, "$", found)
        return found
    envelope = cast(Any, message)
    member = envelope.WhichOneof("event")
    plan = direction.plan_of(envelope.type) if envelope.HasField("type") else None
    if member is not None:
        candidate = direction.by_member[member]
        if plan is None:
            plan = candidate
        elif plan is not candidate:
            return None
    elif plan is None:
        return None
    if plan.envelope is None:  # the envelope's own fields hold the event's keys
        _walk(message, plan, "$", found)
    elif member is not None:  # (an event without its member has no keys but its envelope's)
        _walk(getattr(envelope, member), plan, "$", found)
    return found


def _walk(message: Any, plan: MessagePlan, path: str, found: list[Violation]) -> None:
    """Append the drift of ``message`` (a ``plan.pb``, at ``path``): the order of
    :func:`bridge._strict.check`: a generic event's type, the kept keys (sorted, as the Struct's
    ``extra`` read from protobuf is), then the objects inside, in the order of the fields."""
    if plan.extra_is_data:
        hint = type_drift(plan, message.type, path)
        if hint is not None:
            found.append(hint)
    if message.HasField(FIDELITY_FIELD):
        kept = getattr(message, FIDELITY_FIELD).unknown_keys
        if kept:
            by_name = plan.by_name
            for key in sorted(kept):
                field = by_name.get(key)
                if field is not None:  # a value that did not fit its field
                    found.extend(misfit(Raw(kept[key]), field, join(path, key)))
                elif not plan.extra_is_data:
                    found.append(Violation(join(path, key), "unknown key", "unknown_key"))
    for field in plan.nested:
        if field.kind is FieldKind.UNION:
            name = message.WhichOneof(field.name)
            if name is None:
                continue
            held = next(m for m in field.members if m.name == name)
            if held.message is not None:
                _walk(getattr(message, name), held.message, join(path, field.name), found)
            continue
        sub = field.message
        assert sub is not None  # a nested field that is no union is a MESSAGE field
        if field.repeated:
            field_path = join(path, field.name)
            for index, item in enumerate(getattr(message, field.pb_name)):
                _walk(item, sub, f"{field_path}[{index}]", found)
        elif message.HasField(field.pb_name):
            _walk(getattr(message, field.pb_name), sub, join(path, field.name), found)
