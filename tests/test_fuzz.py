"""Fuzzing: arbitrary JSON text and arbitrary protobuf bytes, and mutations of valid inputs.

Whatever arrives, the library gives one of two answers:

- a :class:`bridge.ValidationError` with at least one violation, every path starting at ``$``;
- a result that round-trips: its JSON converts back to the very same protobuf bytes, and it means
  what the input meant (duplicate keys: the last one wins; numbers: the same value).

Anything else (another exception, a crash, a changed value) fails the test. The generators reach
past the parser: objects use the schema's own key names, values of every JSON type land on every
field, objects repeat keys, protobuf messages are built field by field from the descriptors
(contradictory fidelity records, out-of-range enums, NaN doubles) as well as byte by byte. Both
directions: server events (``kind="event"``), client events (``kind="client_event"``, shaped after
every client event class, and the fuzz seeds' client events mutated) and bare responses.

Hypothesis runs under the ``rtbridge-fuzz`` settings profile; with ``CI`` set, the
``rtbridge-fuzz-ci`` profile derandomizes it (same examples every run, no example database).
``RTBRIDGE_FUZZ_EXAMPLES=5000`` searches longer locally.
"""

from __future__ import annotations

import base64
import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import msgspec
import msgspec.inspect as mi
from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bridge
from bridge.framing import encode_varint
from bridge.v1 import options_pb2, realtime_pb2

settings.register_profile(
    "rtbridge-fuzz",
    max_examples=int(os.environ.get("RTBRIDGE_FUZZ_EXAMPLES", "800")),
    deadline=None,  # shared, noisy machines: no timing assertions
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=True,
)
settings.register_profile(
    "rtbridge-fuzz-ci", parent=settings.get_profile("rtbridge-fuzz"), derandomize=True, database=None
)
_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")
FUZZ = settings.get_profile("rtbridge-fuzz-ci" if _CI else "rtbridge-fuzz")

DATA = Path(__file__).parent / "data"


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


_SEED_FILES = [*sorted((DATA / "examples").glob("*.json")), *sorted((DATA / "ga").glob("*.json"))]
#: Valid JSON documents: the example payloads (compact) and the lines of a session log as captured.
SEEDS: list[bytes] = [msgspec.json.encode(msgspec.json.decode(p.read_bytes())) for p in _SEED_FILES] + [
    line for line in (DATA / "cli" / "mixed.jsonl").read_bytes().splitlines() if line.strip() and _is_json(line)
]
ENVELOPES = ("ServerEvent", "ClientEvent")
_MESSAGES = {"event": realtime_pb2.ServerEvent, "client_event": realtime_pb2.ClientEvent,
             "response": realtime_pb2.RealtimeResponse}


# ------------------------------------------------------------------------------------- the oracle


def _rejected(error: bridge.ValidationError) -> None:
    assert error.violations, "a ValidationError without violations"
    assert all(isinstance(v.path, str) and v.path.startswith("$") for v in error.violations), error.violations
    # Every violation says what kind it is, named where it was found (never "other", the kind of a
    # violation made outside the bridge).
    assert all(v.kind in bridge.errors.VIOLATION_KINDS - {"other"} for v in error.violations), error.violations


def _meaning(value: Any) -> Any:
    """Parsed JSON in a form where ``==`` means "the same JSON": ``true`` is not ``1``, numbers
    compare by value, objects ignore key order (duplicates were resolved by the parser: the last
    one wins, as in the bridge)."""
    if value is None or isinstance(value, (bool, str)):
        return (type(value).__name__, value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, list):
        return ("array", tuple(_meaning(v) for v in value))
    return ("object", tuple(sorted(((k, _meaning(v)) for k, v in value.items()), key=lambda kv: kv[0])))


def check_json(data: bytes | str, kind: str, strict: bool) -> None:
    """JSON in: rejected with paths, or converted so that nothing is lost."""
    try:
        blob = bridge.json_to_binary(data, kind=kind, strict=strict)
    except bridge.ValidationError as error:
        _rejected(error)
        return
    out = bridge.binary_to_json(blob, kind=kind, strict=strict)
    assert bridge.json_to_binary(out, kind=kind, strict=strict) == blob
    assert _meaning(json.loads(out)) == _meaning(json.loads(data))
    decoded = _DECODERS[kind](data, strict=strict)
    assert _meaning(json.loads(bridge.encode(decoded))) == _meaning(json.loads(data))


_DECODERS = {"event": bridge.decode_event, "client_event": bridge.decode_client_event, "response": bridge.decode_response}


def check_binary(blob: bytes, kind: str, strict: bool) -> None:
    """Protobuf in: rejected with paths, or converted to JSON that converts back to itself."""
    try:
        out = bridge.binary_to_json(blob, kind=kind, strict=strict)
    except bridge.ValidationError as error:
        _rejected(error)
        return
    out.decode("utf-8")
    again = bridge.json_to_binary(out, kind=kind, strict=strict)
    back = bridge.binary_to_json(again, kind=kind, strict=strict)
    assert _meaning(json.loads(back)) == _meaning(json.loads(out))
    # Byte for byte on the binary side. (The order of a map's entries in the JSON is checked
    # across processes in test_hostile.py; here it would make the verdict depend on the run.)
    assert bridge.json_to_binary(back, kind=kind, strict=strict) == again
    message = _MESSAGES[kind].FromString(blob)
    assert not _non_finite(message), "a NaN or infinity became JSON"


def _non_finite(message: Message) -> bool:
    """Whether a double anywhere in ``message`` is NaN or infinite."""
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        if field.type == FieldDescriptor.TYPE_DOUBLE and any(not math.isfinite(v) for v in values):
            return True
        nested = field.type == FieldDescriptor.TYPE_MESSAGE and not _is_map(field)
        if nested and any(_non_finite(v) for v in values):
            return True
    return False


def _is_map(field: FieldDescriptor) -> bool:
    return field.type == FieldDescriptor.TYPE_MESSAGE and field.message_type.GetOptions().map_entry


# ------------------------------------------------------------------------------------- JSON text


def _known_keys(cls: type, seen: set[type]) -> set[str]:
    seen.add(cls)
    keys: set[str] = set()
    for info in mi.type_info(cls).fields:
        keys.add(info.encode_name)
        types = info.type.types if isinstance(info.type, mi.UnionType) else (info.type,)
        for member in types:
            inner = member.item_type if isinstance(member, mi.ListType) else member
            if isinstance(inner, mi.StructType) and inner.cls not in seen:
                keys |= _known_keys(inner.cls, seen)
    return keys


#: The client event classes by their type (``GenericClientEvent`` has none).
CLIENT_EVENT_CLASSES = {c.__struct_config__.tag: c for c in get_args(bridge.ClientEvent) if c.__struct_config__.tag}
KNOWN_KEYS = sorted(
    set().union(*(_known_keys(c, set()) for c in (bridge.ResponseDoneEvent, *CLIENT_EVENT_CLASSES.values())))
    - {"__bridge_extra__"} | {"type"}
)
ENUM_SPELLINGS = sorted(
    value.GetOptions().Extensions[options_pb2.json_value]
    for enum in realtime_pb2.DESCRIPTOR.enum_types_by_name.values()
    for value in enum.values
    if value.number
)
EVENT_TYPES = ("response.done", "response.created", "error", "session.created", "response.audio.delta",
               "input_audio_buffer.append", "session.update", "conversation.item.create", "response.create",
               "future.event")

_whitespace = st.sampled_from(("", "", "", " ", "\n  ", "\t", "\r\n"))
_strings = st.one_of(st.text(max_size=8), st.sampled_from(ENUM_SPELLINGS), st.sampled_from(EVENT_TYPES))


@st.composite
def _string_literal(draw: Callable[..., Any], strings: st.SearchStrategy[str] = _strings) -> str:
    return json.dumps(draw(strings), ensure_ascii=draw(st.booleans()))


_numbers = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(json.dumps),
    st.sampled_from(("-0", "0.0", "-0.0", "1E+2", "1e-400", "1e400", "5e-324", "9223372036854775808", "1.5")),
)
_leaves = st.one_of(st.sampled_from(("null", "true", "false")), _numbers, _string_literal())
_keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=5)).map(json.dumps)


@st.composite
def _array(draw: Callable[..., Any], children: st.SearchStrategy[str]) -> str:
    items = draw(st.lists(children, max_size=4))
    ws = draw(_whitespace)
    return "[" + ws + ("," + ws).join(items) + ws + "]"


@st.composite
def _object(
    draw: Callable[..., Any], children: st.SearchStrategy[str], pairs: list[tuple[str, str]] | None = None
) -> str:
    """An object's text, members in any order; keys may repeat (``_keys`` favours the schema's
    names, which ``pairs`` use too)."""
    members = list(pairs or []) + draw(st.lists(st.tuples(_keys, children), max_size=5))
    members = draw(st.permutations(members))
    ws = draw(_whitespace)
    return "{" + ws + ("," + ws).join(f"{k}{ws}:{ws}{v}" for k, v in members) + ws + "}"


json_values = st.recursive(_leaves, lambda children: st.one_of(_array(children), _object(children)), max_leaves=25)


@st.composite
def _events(draw: Callable[..., Any]) -> str:
    """An object shaped like a server event: a ``type`` (usually a string), perhaps an
    ``event_id`` and a ``response`` whose keys are mostly the schema's."""
    pairs = [('"type"', draw(st.one_of(_string_literal(st.sampled_from(EVENT_TYPES)), _leaves)))]
    if draw(st.booleans()):
        pairs.append(('"event_id"', draw(_leaves)))
    if draw(st.booleans()):
        pairs.append(('"response"', draw(_object(json_values))))
    return draw(_object(json_values, pairs))


def _typed(t: Any) -> st.SearchStrategy[str]:
    """JSON text of a value of the model type ``t`` (``msgspec.inspect``); integers stray past
    int64 now and then."""
    if isinstance(t, mi.UnionType):
        return st.one_of(*(_typed(m) for m in t.types))
    if isinstance(t, mi.NoneType):
        return st.just("null")
    if isinstance(t, mi.StrType):
        return _string_literal()
    if isinstance(t, mi.BoolType):
        return st.sampled_from(("true", "false"))
    if isinstance(t, mi.IntType):
        return st.one_of(st.integers(-(2**63), 2**63 - 1), st.integers(-(2**65), 2**65)).map(str)
    if isinstance(t, mi.FloatType):
        return st.floats(allow_nan=False, allow_infinity=False).map(json.dumps)
    if isinstance(t, mi.RawType):
        return json_values
    if isinstance(t, mi.BytesType):  # base64: canonical, or text that is not (kept exactly)
        return st.one_of(st.binary(max_size=40).map(lambda b: json.dumps(base64.b64encode(b).decode())),
                         _string_literal(st.text("AB+/=-_\n ", max_size=12)))
    if isinstance(t, mi.ListType):
        return _array(_typed(t.item_type))
    if isinstance(t, mi.DictType):
        return _object(_string_literal(), pairs=None)
    if isinstance(t, mi.StructType):
        return _shaped(t.cls)
    raise AssertionError(f"no strategy for {t}")  # pragma: no cover - a new kind of field


_SHAPED: dict[type, st.SearchStrategy[str]] = {}


def _shaped(cls: type) -> st.SearchStrategy[str]:
    """An object of the model ``cls``: each key missing, null, of its type or (rarely) any JSON,
    plus unknown and repeated keys."""
    if cls not in _SHAPED:
        fields = [(json.dumps(f.encode_name), _typed(f.type)) for f in mi.type_info(cls).fields if f.name != "extra"]

        @st.composite
        def shaped(draw: Callable[..., Any]) -> str:
            pairs = []
            for key, value in fields:
                state = draw(st.integers(0, 9))
                if state < 4:
                    pairs.append((key, draw(value)))
                elif state == 4:
                    pairs.append((key, "null"))
                elif state == 5:
                    pairs.append((key, draw(json_values)))
            return draw(_object(json_values, pairs)) if draw(st.booleans()) else _join(pairs)

        _SHAPED[cls] = st.deferred(shaped)
    return _SHAPED[cls]


def _join(pairs: list[tuple[str, str]]) -> str:
    return "{" + ",".join(f"{k}:{v}" for k, v in pairs) + "}"


@st.composite
def _shaped_events(draw: Callable[..., Any]) -> str:
    """A response event: a model-shaped envelope, its ``type`` first or last."""
    type_pair = f'"type":{json.dumps(draw(st.sampled_from(("response.created", "response.done"))))}'
    inner = draw(_shaped(bridge.ResponseDoneEvent))[1:-1]
    members = [type_pair, inner] if inner.strip() else [type_pair]
    return "{" + ",".join(members if draw(st.booleans()) else members[::-1]) + "}"


@st.composite
def _shaped_client_events(draw: Callable[..., Any]) -> str:
    """A client event of any class, model-shaped (audio as base64 or not), its ``type`` first or last."""
    event_type = draw(st.sampled_from(sorted(CLIENT_EVENT_CLASSES)))
    inner = draw(_shaped(CLIENT_EVENT_CLASSES[event_type]))[1:-1]
    members = [f'"type":{json.dumps(event_type)}'] + ([inner] if inner.strip() else [])
    return "{" + ",".join(members if draw(st.booleans()) else members[::-1]) + "}"


_documents = st.one_of(_shaped_events(), _shaped_client_events(), _shaped(bridge.RealtimeResponse), _events(), json_values)
KINDS = ("event", "client_event", "response")


@FUZZ
@given(_documents, st.sampled_from(KINDS), st.booleans(), st.booleans())
def test_arbitrary_json_text(text: str, kind: str, strict: bool, as_bytes: bool) -> None:
    check_json(text.encode() if as_bytes else text, kind, strict)


@FUZZ
@given(st.one_of(st.binary(max_size=80), st.text(st.characters(exclude_categories=()), max_size=40)),
       st.sampled_from(KINDS), st.booleans())
def test_arbitrary_bytes_and_text_as_json(data: bytes | str, kind: str, strict: bool) -> None:
    check_json(data, kind, strict)


# --------------------------------------------------------------------------- mutations of JSON

_BYTE = st.one_of(st.sampled_from(b'{}[]",:\\0123456789-+.eEtfn \x00\x7f\x80\xbf\xc3\xed\xf0\xff'), st.integers(0, 255))


@st.composite
def _mutated_bytes(draw: Callable[..., Any], seed: bytes) -> bytes:
    """``seed`` after a few edits: replace, insert, delete, duplicate or move a span, truncate,
    or splice in a piece of another seed."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        end = draw(st.integers(at, min(len(data), at + 16)))
        op = draw(st.sampled_from(("replace", "insert", "delete", "duplicate", "move", "truncate", "splice")))
        if op == "replace" and at < len(data):
            data[at] = draw(_BYTE)
        elif op == "insert":
            data[at:at] = bytes(draw(st.lists(_BYTE, min_size=1, max_size=4)))
        elif op == "delete":
            del data[at:end]
        elif op == "duplicate":
            data[end:end] = data[at:end]
        elif op == "move":
            piece = data[at:end]
            del data[at:end]
            to = draw(st.integers(0, len(data)))
            data[to:to] = piece
        elif op == "truncate":
            del data[at:]
        elif op == "splice":
            other = draw(st.sampled_from(SEEDS))
            start = draw(st.integers(0, len(other)))
            data[at:end] = other[start : start + draw(st.integers(0, 40))]
    return bytes(data)


def _node_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            paths += _node_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += _node_paths(item, (*path, index))
    return paths


def _render(value: Any, duplicate: tuple[Any, ...], extra: str, first: bool) -> str:
    """``value`` as JSON text; the object at ``duplicate`` gets one more member, ``extra``,
    placed before the others (which then win) or after them (then it wins)."""

    def walk(node: Any, path: tuple[Any, ...]) -> str:
        if isinstance(node, dict):
            members = [f"{json.dumps(k)}:{walk(v, (*path, k))}" for k, v in node.items()]
            if path == duplicate:
                members.insert(0 if first else len(members), extra)
            return "{" + ",".join(members) + "}"
        if isinstance(node, list):
            return "[" + ",".join(walk(v, (*path, i)) for i, v in enumerate(node)) + "]"
        return json.dumps(node)

    return walk(value, ())


@st.composite
def _mutated_structure(draw: Callable[..., Any], seed: bytes) -> str:
    """``seed`` with one node changed: replaced by any JSON value, removed, wrapped in an array,
    or its object given a repeated key."""
    document = json.loads(seed)
    path = draw(st.sampled_from(_node_paths(document)))
    op = draw(st.sampled_from(("replace", "remove", "wrap", "repeat-key")))
    if op == "repeat-key":
        target = document
        for step in path:
            target = target[step]
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from(sorted(target)))
            return _render(document, path, f"{json.dumps(key)}:{draw(json_values)}", draw(st.booleans()))
        op = "replace"
    if not path:
        return draw(json_values)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if op == "remove":
        del parent[last]
    elif op == "wrap":
        parent[last] = [parent[last]]
    else:
        return _render_replacing(document, path, draw(json_values))
    return json.dumps(document)


def _render_replacing(document: Any, path: tuple[Any, ...], text: str) -> str:
    marker = "\x00rtbridge-fuzz\x00"
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = marker
    return json.dumps(document).replace(json.dumps(marker), text, 1)


@FUZZ
@given(st.sampled_from(SEEDS).flatmap(lambda seed: st.one_of(_mutated_bytes(seed), _mutated_structure(seed))),
       st.booleans())
def test_mutated_valid_json(data: bytes | str, strict: bool) -> None:
    check_json(data, "event", strict)


#: Client events (tests/data has none): the fuzz seeds' (fuzz/make_corpus.py), one of each kind the
#: bridge types specially, values of the wrong type among them; the first byte selects the target.
CLIENT_SEEDS = [
    document for p in sorted((DATA.parent.parent / "fuzz" / "corpus").glob("decode_client_event-client_event-lenient--*"))
    if _is_json(document := p.read_bytes()[1:])
]


@FUZZ
@given(st.sampled_from(CLIENT_SEEDS).flatmap(lambda seed: st.one_of(_mutated_bytes(seed), _mutated_structure(seed))),
       st.booleans())
def test_mutated_valid_client_json(data: bytes | str, strict: bool) -> None:
    check_json(data, "client_event", strict)


# ---------------------------------------------------------------------------------- protobuf bytes

_KNOWN_NUMBERS = sorted({f.number for m in realtime_pb2.DESCRIPTOR.message_types_by_name.values() for f in m.fields})
_field_numbers = st.one_of(st.sampled_from(_KNOWN_NUMBERS), st.sampled_from((19, 999, 2**29 - 1)), st.integers(1, 40))


@st.composite
def _wire_message(draw: Callable[..., Any], depth: int = 3) -> bytes:
    """Protobuf wire format built field by field: known and unknown numbers, every wire type,
    nested messages, text, JSON text and noise as payloads; rarely a byte out of place."""
    out = bytearray()
    for _ in range(draw(st.integers(0, 6))):
        number = draw(_field_numbers)
        wire = draw(st.sampled_from((0, 2, 2, 2, 1, 5, 3)))
        out += encode_varint(number << 3 | wire)
        if wire == 0:
            out += encode_varint(draw(st.one_of(st.integers(0, 20), st.integers(0, 2**64 - 1))))
        elif wire == 1:
            out += draw(st.binary(min_size=8, max_size=8))
        elif wire == 5:
            out += draw(st.binary(min_size=4, max_size=4))
        elif wire == 3:
            out += draw(_wire_message(0)) + encode_varint(number << 3 | 4)
        else:
            payload = draw(st.one_of(
                _wire_message(depth - 1) if depth else st.just(b""),
                _strings.map(str.encode),
                json_values.map(str.encode),
                st.binary(max_size=12),
            ))
            out += encode_varint(len(payload)) + payload
    if out and draw(st.integers(0, 9)) == 0:
        out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    return bytes(out)


@FUZZ
@given(st.one_of(st.binary(max_size=120), _wire_message()), st.sampled_from(("event", "client_event", "response")),
       st.booleans())
def test_arbitrary_protobuf_bytes(blob: bytes, kind: str, strict: bool) -> None:
    check_binary(blob, kind, strict)


_GENERIC_TYPES = st.one_of(st.sampled_from(EVENT_TYPES), st.text(max_size=6))


def _scalar(field: FieldDescriptor) -> st.SearchStrategy[Any]:
    t = field.type
    if t == FieldDescriptor.TYPE_STRING:
        return _GENERIC_TYPES if field.name == "type" and field.containing_type.name in ENVELOPES else _strings
    if t == FieldDescriptor.TYPE_DOUBLE:
        return st.one_of(st.floats(0.5, 1.3), st.floats(), st.integers(-3, 3).map(float))
    if t == FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if t == FieldDescriptor.TYPE_ENUM:
        named = st.sampled_from([v.number for v in field.enum_type.values if v.number])
        return st.one_of(named, named, st.integers(0, 9))
    if t == FieldDescriptor.TYPE_BYTES:
        return st.one_of(json_values.map(str.encode), st.binary(max_size=6))
    if t == FieldDescriptor.TYPE_UINT32:
        return st.one_of(st.integers(0, 20), st.sampled_from((100, 2**32 - 1)))
    if t == FieldDescriptor.TYPE_INT64:
        return st.one_of(st.integers(-5, 5), st.integers(-(2**63), 2**63 - 1))
    raise AssertionError(f"no strategy for {field.full_name}")  # pragma: no cover - a new field type


@st.composite
def _proto_message(draw: Callable[..., Any], descriptor: Descriptor, depth: int = 3) -> Message:
    """A message with a random subset of its fields set to random values of their types: the
    structure is valid protobuf, the content anything (fidelity records that contradict the
    fields, enum numbers without a name, NaN, keys that collide)."""
    message = message_factory.GetMessageClass(descriptor)()
    events = tuple(descriptor.oneofs_by_name["event"].fields) if descriptor.name in ENVELOPES else ()
    if events and depth and (member := draw(st.one_of(st.none(), st.sampled_from(events)))) is not None:
        # An envelope holds one event: mostly under its own type (else a contradiction to report).
        getattr(message, member.name).CopyFrom(draw(_proto_message(member.message_type, depth - 1)))
        if draw(st.integers(0, 3)):
            message.type = member.message_type.GetOptions().Extensions[options_pb2.event_type]
    for field in descriptor.fields:
        if field in events:
            continue
        odds = 6 if field.name == "json_fidelity" else 3  # fidelity records are rare, and usually wrong
        if draw(st.integers(1, odds)) != 1:
            continue
        if _is_map(field):
            key_field, value_field = (field.message_type.fields_by_name[name] for name in ("key", "value"))
            keys = (st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=4)) if key_field.type == FieldDescriptor.TYPE_STRING
                    else st.integers(0, 12))  # field numbers (json_fidelity.base64_text)
            entries = draw(st.dictionaries(keys, _scalar(value_field), max_size=3))
            getattr(message, field.name).update(entries)
        elif field.type == FieldDescriptor.TYPE_MESSAGE:
            if not depth:
                continue
            count = draw(st.integers(0, 2)) if field.is_repeated else 1
            children = [draw(_proto_message(field.message_type, depth - 1)) for _ in range(count)]
            if field.is_repeated:
                getattr(message, field.name).extend(children)
            else:
                getattr(message, field.name).CopyFrom(children[0])
        elif field.is_repeated:
            getattr(message, field.name).extend(draw(st.lists(_scalar(field), max_size=3)))
        else:
            setattr(message, field.name, draw(_scalar(field)))
    return message


@FUZZ
@given(st.sampled_from(("event", "client_event", "response")).flatmap(
    lambda kind: st.tuples(st.just(kind), _proto_message(_MESSAGES[kind].DESCRIPTOR))), st.booleans())
def test_arbitrary_protobuf_messages(case: tuple[str, Message], strict: bool) -> None:
    kind, message = case
    check_binary(message.SerializeToString(), kind, strict)
    try:
        obj = bridge.from_proto(message, strict=strict)
    except bridge.ValidationError as error:
        _rejected(error)
        return
    assert bridge.to_proto(obj) == _MESSAGES[kind].FromString(bridge.json_to_binary(bridge.encode(obj), kind=kind))


def _valid(seed: bytes) -> bool:
    try:
        bridge.json_to_binary(seed)
    except bridge.ValidationError:
        return False
    return True


BLOB_SEEDS = [bridge.json_to_binary(seed) for seed in SEEDS if _valid(seed)]


@st.composite
def _mutated_blob(draw: Callable[..., Any], seed: bytes) -> bytes:
    """Valid protobuf after a few edits: flip a bit, change, insert or delete bytes, duplicate a
    span, truncate, or append a field."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        end = draw(st.integers(at, min(len(data), at + 12)))
        op = draw(st.sampled_from(("flip", "byte", "insert", "delete", "duplicate", "truncate", "append")))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "byte" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif op == "delete":
            del data[at:end]
        elif op == "duplicate":
            data[end:end] = data[at:end]
        elif op == "truncate":
            del data[at:]
        else:
            data += draw(_wire_message(1))
    return bytes(data)


@FUZZ
@given(st.sampled_from(BLOB_SEEDS).flatmap(_mutated_blob), st.booleans())
def test_mutated_valid_protobuf(blob: bytes, strict: bool) -> None:
    check_binary(blob, "event", strict)
