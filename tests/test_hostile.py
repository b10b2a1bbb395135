"""Hostile input to the library and the command line, beyond the table of ``test_validation.py``.

Every case ends in one of two ways: a result that round-trips without losing anything, or a
:class:`bridge.ValidationError` whose violations name JSON paths. Nothing else (a ``RecursionError``,
a ``MemoryError``, a crash, a silently changed value) is acceptable.

- the bytes of a JSON document: a BOM, other encodings, every truncation of a real document, bad
  numbers and escapes, trailing bytes;
- duplicate keys (the documented rule: the last one wins, in both modes);
- a wrong JSON type for every field of every kind, derived from the models so a new field is
  covered the day it is added; the int64 range of every integer field;
- size: strings of tens of megabytes, hundreds of thousands of items;
- protobuf bytes: truncated varints, lengths past the end, wrong wire types, unknown fields,
  non-finite doubles, every truncation of a real message;
- the ``rtbridge`` command line fed a log of all of the above.
"""

from __future__ import annotations

import io
import json
import math
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import msgspec.inspect as mi
import pytest
from google.protobuf.descriptor import FieldDescriptor

import bridge
from bridge import cli
from bridge.framing import encode_varint, iter_frames, write_frame
from bridge.v1 import realtime_pb2

DATA = Path(__file__).parent / "data"
EXAMPLES = sorted((DATA / "examples").glob("*.json")) + sorted((DATA / "ga").glob("*.json"))
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MB = 1_000_000


def _violations(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bridge.Violation, ...]:
    """The violations of the ValidationError that ``call(*args, **kwargs)`` raises, each at a path."""
    with pytest.raises(bridge.ValidationError) as caught:
        call(*args, **kwargs)
    violations = caught.value.violations
    assert violations and all(v.path.startswith("$") for v in violations), violations
    return violations


def _paths(call: Callable[..., Any], *args: Any, **kwargs: Any) -> list[str]:
    return [v.path for v in _violations(call, *args, **kwargs)]


def _round_trip(data: bytes | str, *, kind: str = "event", strict: bool = False) -> bytes:
    """JSON -> protobuf bytes -> JSON."""
    return bridge.binary_to_json(bridge.json_to_binary(data, kind=kind, strict=strict), kind=kind, strict=strict)


def _event(response: str) -> bytes:
    return f'{{"type":"response.done","event_id":"e1","response":{response}}}'.encode()


# ------------------------------------------------------------------------------- document bytes

#: Malformed documents, each rejected as a whole (path ``$``) in both modes.
MALFORMED = {
    "bom": b'\xef\xbb\xbf{"type":"error"}',
    "bom-between-tokens": b'{\xef\xbb\xbf"type":"error"}',
    "utf-16": '{"type":"error"}'.encode("utf-16"),
    "utf-32": '{"type":"error"}'.encode("utf-32"),
    "nul-between-tokens": b'{"type":"error"\x00}',
    "trailing-nul": b'{"type":"error"}\x00',
    "two-documents": b'{"type":"error"}{"type":"error"}',
    "trailing-bracket": b'{"type":"error"}]',
    "trailing-comma-after": b'{"type":"error"},',
    "raw-tab-in-string": _event('{"id":"a\tb"}'),
    "raw-newline-in-unknown-key": _event('{"future":"a\nb"}'),
    "raw-nul-in-payload": b'{"type":"error","x":"a\x00b"}',
    "invalid-escape": b'{"type":"error","x":"\\x"}',
    "invalid-escape-known-field": _event('{"id":"\\q"}'),
    "short-unicode-escape": b'{"type":"error","x":"\\u12"}',
    "lone-surrogate-in-payload": b'{"type":"error","x":"\\ud800"}',
    "lone-surrogate-in-unknown-key": _event('{"future":["\\udc00"]}'),
    "lone-surrogate-in-key": b'{"type":"error","\\ud800":1}',
    "leading-zero": b'{"type":"error","x":01}',
    "plus-sign": b'{"type":"error","x":+1}',
    "trailing-dot": b'{"type":"error","x":1.}',
    "leading-dot": b'{"type":"error","x":.5}',
    "hex": b'{"type":"error","x":0x10}',
    "bare-exponent": b'{"type":"error","x":1e}',
    "lowercase-nan": _event('{"temperature":nan}'),
    "inf": b'{"type":"error","x":inf}',
    "undefined": b'{"type":"error","x":undefined}',
    "true-capitalised": _event('{"output":[{"approve":True}]}'),
    "comment": b'{"type":"error" /* hi */}',
    "unquoted-key": b'{type:"error"}',
}

#: Valid JSON that is not an object, beyond the cases of test_validation.
NOT_OBJECTS = {
    "true": b"true", "false": b"false", "negative-zero": b"-0", "exponent": b"1e5", "nul-string": b'"\\u0000"',
}


@pytest.mark.parametrize("data", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_malformed_documents_are_rejected_as_a_whole(data: bytes, strict: bool) -> None:
    assert _paths(bridge.decode_event, data, strict=strict) == ["$"]
    assert _paths(bridge.json_to_binary, data, strict=strict) == ["$"]


@pytest.mark.parametrize("data", NOT_OBJECTS.values(), ids=NOT_OBJECTS.keys())
@pytest.mark.parametrize("kind", ["event", "response"])
def test_top_level_must_be_an_object(data: bytes, kind: str) -> None:
    (violation,) = _violations(bridge.json_to_binary, data, kind=kind)
    assert violation.path == "$" and "Expected `object`" in violation.message


def test_a_bom_as_text_is_rejected_and_inside_a_string_is_carried() -> None:
    """The rule: JSON text starts at its first token, so a leading byte order mark is malformed
    input (RFC 8259 forbids sending one); U+FEFF inside a string is an ordinary character."""
    assert _paths(bridge.decode_event, '\ufeff{"type":"error"}') == ["$"]
    data = '{"type":"error","x":"\ufeff","\ufeff":1}'.encode()
    assert json.loads(_round_trip(data)) == json.loads(data)


def test_insignificant_whitespace_is_accepted_everywhere() -> None:
    data = b' \r\n\t{ "type" :\r\n"response.done" , "response" : { "id" : "r" } } \r\n\t'
    assert _round_trip(data) == b'{"type":"response.done","response":{"id":"r"}}'


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_truncation_of_a_real_document_is_rejected(path: Path) -> None:
    """Cut a real payload at every byte: each proper prefix is malformed, and says so at ``$``."""
    data = msgspec.json.encode(msgspec.json.decode(path.read_bytes()))  # compact: fewer, denser cuts
    for cut in range(len(data)):
        prefix = data[:cut]
        assert _paths(bridge.json_to_binary, prefix) == ["$"], (cut, prefix[-40:])
        assert _paths(bridge.decode_event, prefix, strict=True) == ["$"], (cut, prefix[-40:])


# ------------------------------------------------------------------------------- duplicate keys


@dataclass(frozen=True)
class Duplicate:
    """A document with a repeated key and the JSON it stands for under "the last one wins"."""

    id: str
    data: bytes
    means: dict[str, Any]
    #: What strict mode reports: each unknown key once, however often it occurs.
    unknown: tuple[str, ...] = ()


DUPLICATES = [
    Duplicate("known-field", _event('{"id":"a","id":"b"}'),
              {"type": "response.done", "event_id": "e1", "response": {"id": "b"}}),
    Duplicate("known-field-escaped-key", _event('{"id":"a","\\u0069d":"b"}'),
              {"type": "response.done", "event_id": "e1", "response": {"id": "b"}}),
    Duplicate("known-field-first-of-wrong-type", _event('{"id":1,"id":"b"}'),
              {"type": "response.done", "event_id": "e1", "response": {"id": "b"}}),
    Duplicate("unknown-key", _event('{"future":1,"future":[2]}'),
              {"type": "response.done", "event_id": "e1", "response": {"future": [2]}}, ("$.response.future",)),
    Duplicate("nested-item", _event('{"output":[{"role":"user","x":1,"role":"assistant","x":2}]}'),
              {"type": "response.done", "event_id": "e1", "response": {"output": [{"role": "assistant", "x": 2}]}},
              ("$.response.output[0].x",)),
    Duplicate("metadata-key", _event('{"metadata":{"k":"1","k":"2"}}'),
              {"type": "response.done", "event_id": "e1", "response": {"metadata": {"k": "2"}}}),
    Duplicate("whole-response-replaced-not-merged",
              b'{"type":"response.done","response":{"id":"a"},"response":{"status":"completed"}}',
              {"type": "response.done", "response": {"status": "completed"}}),
    Duplicate("event-type-typed-then-generic", b'{"type":"response.done","type":"future.event","x":1}',
              {"type": "future.event", "x": 1}),
    Duplicate("event-type-generic-then-typed", b'{"type":"future.event","event_id":"e","type":"response.created"}',
              {"type": "response.created", "event_id": "e"}),
    Duplicate("event-id", b'{"type":"response.done","event_id":"a","event_id":"b"}',
              {"type": "response.done", "event_id": "b"}),
    Duplicate("generic-payload", b'{"type":"future.created","session":{"a":1},"session":{"b":2}}',
              {"type": "future.created", "session": {"b": 2}}),
    Duplicate("enum-unknown-then-known", _event('{"status":"paused","status":"completed"}'),
              {"type": "response.done", "event_id": "e1", "response": {"status": "completed"}}),
    Duplicate("metadata-17-keys-16-distinct",
              _event("{\"metadata\":{" + ",".join(f'"k{i % 16}":"v{i}"' for i in range(17)) + "}}"),
              {"type": "response.done", "event_id": "e1",
               "response": {"metadata": {f"k{i % 16}": f"v{i}" for i in range(17)}}}),
]


@pytest.mark.parametrize("case", [pytest.param(d, id=d.id) for d in DUPLICATES])
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_duplicate_keys_last_one_wins(case: Duplicate, strict: bool) -> None:
    """Through every path and in both modes the document means what its last occurrence says, and
    the key comes back once; strict mode reports a repeated unknown key once."""
    if strict and case.unknown:
        assert _paths(bridge.decode_event, case.data, strict=True) == list(case.unknown)
        assert _paths(bridge.json_to_binary, case.data, strict=True) == list(case.unknown)
        return
    out = _round_trip(case.data, strict=strict)
    assert json.loads(out) == case.means
    for key in _keys(case.means):
        assert out.count(json.dumps(key).encode() + b":") == _count_key(case.means, key), key
    assert json.loads(bridge.encode(bridge.decode_event(case.data, strict=strict))) == case.means


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _count_key(value: Any, key: str) -> int:
    return sum(1 for k in _keys(value) if k == key)


def test_duplicate_keys_strict_mode_judges_the_last_value() -> None:
    """Strict mode applies the same rule: the value it checks is the last one."""
    assert _paths(bridge.decode_event, _event('{"status":"completed","status":"paused"}'), strict=True) == [
        "$.response.status"
    ]
    long_last = _event('{"metadata":{"k":"v","k":"' + "v" * 513 + '"}}')
    assert _paths(bridge.json_to_binary, long_last, strict=True) == ["$.response.metadata.k"]
    short_last = _event('{"metadata":{"k":"' + "v" * 513 + '","k":"v"}}')
    assert json.loads(_round_trip(short_last, strict=True))["response"]["metadata"] == {"k": "v"}
    assert _paths(bridge.decode_event, _event('{"id":"b","id":1}'), strict=True) == ["$.response.id"]


def test_a_repeated_unknown_key_is_one_unknown_key() -> None:
    """Default mode keeps the last value; strict mode reports the key once, not once per occurrence."""
    data = _event('{"future":1,"future":2,"output":[{"x":1,"x":2}]}')
    event = bridge.decode_event(data)
    assert dict(event.response.extra) == {"future": msgspec.Raw(b"2")}
    assert sorted(_paths(bridge.decode_event, data, strict=True)) == ["$.response.future", "$.response.output[0].x"]


# --------------------------------------------------------------------- every field, every kind

#: A JSON value of each type; a field of each kind accepts some types and must refuse the others.
JSON_TYPES: dict[str, Any] = {"string": "s", "integer": 7, "float": 1.5, "bool": True, "array": [], "object": {}}


@dataclass(frozen=True)
class Field:
    """A key of the schema: where it sits in an event, its kind, and the JSON types it accepts."""

    path: tuple[str | int, ...]
    kind: str
    accepts: frozenset[str]
    #: For lists and maps: a good element, then wrong ones with the violation's path relative to
    #: the field.
    good_element: Any = None
    bad_elements: tuple[tuple[Any, str], ...] = ()

    @property
    def json_path(self) -> str:
        return _json_path(self.path)


def _json_path(path: tuple[str | int, ...]) -> str:
    out = "$"
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else f".{step}"
    return out


def _place(path: tuple[str | int, ...], value: Any) -> Any:
    """A JSON value holding ``value`` at ``path`` and nothing else."""
    if not path:
        return value
    head, *rest = path
    inner = _place(tuple(rest), value)
    return [inner] if isinstance(head, int) else {head: inner}


def _document(path: tuple[str | int, ...], value: Any) -> bytes:
    return msgspec.json.encode({"type": "response.done", **_place(path, value)})


def _members(field_type: Any) -> list[Any]:
    types = field_type.types if isinstance(field_type, mi.UnionType) else (field_type,)
    return [t for t in types if not isinstance(t, mi.NoneType)]


def _is_enum(cls: type, name: str) -> bool:
    message = getattr(realtime_pb2, cls.__name__, realtime_pb2.ServerEvent)
    descriptor = message.DESCRIPTOR.fields_by_name.get(name)
    return descriptor is not None and descriptor.type == FieldDescriptor.TYPE_ENUM


def _fields(cls: type, prefix: tuple[str | int, ...], seen: tuple[type, ...] = ()) -> Iterator[Field]:
    """Every key of ``cls`` and of the objects inside it, read from the models (``msgspec.inspect``)."""
    for info in mi.type_info(cls).fields:
        if info.name == "extra":
            continue
        path = (*prefix, info.encode_name)
        members = _members(info.type)
        kinds = [type(m).__name__ for m in members]
        if kinds == ["StrType"]:
            yield Field(path, "enum" if _is_enum(cls, info.name) else "string", frozenset({"string"}))
        elif kinds == ["IntType"]:
            yield Field(path, "int64", frozenset({"integer"}))
        elif kinds == ["IntType", "FloatType"]:
            yield Field(path, "double", frozenset({"integer", "float"}))
        elif kinds == ["BoolType"]:
            yield Field(path, "bool", frozenset({"bool"}))
        elif kinds == ["RawType"]:
            yield Field(path, "raw", frozenset(JSON_TYPES))
        elif kinds == ["BytesType"]:  # base64: any string (what is not canonical is kept as text)
            yield Field(path, "base64", frozenset({"string"}))
        elif kinds == ["StructType"]:
            yield Field(path, "message", frozenset({"object"}))
        elif kinds == ["DictType"]:
            yield Field(path, "map", frozenset({"object"}), "v", ((7, ".k"), ([], ".k")))
        elif kinds == ["ListType"]:
            item = members[0].item_type
            if isinstance(item, mi.StructType):
                yield Field(path, "list", frozenset({"array"}), {}, (("s", "[1]"), (7, "[1]"), ([], "[1]")))
            else:
                yield Field(path, "list", frozenset({"array"}), "text", ((7, "[1]"), ({}, "[1]"), (True, "[1]")))
        elif sorted(kinds) in (["StrType", "StructType"], ["IntType", "StrType"], ["IntType", "StructType"]):
            names = {"StrType": "string", "StructType": "object", "IntType": "integer"}
            yield Field(path, "union", frozenset(names[kind] for kind in kinds))
        else:  # pragma: no cover - a new kind of field: extend this table
            raise AssertionError(f"unclassified field {_json_path(path)}: {kinds}")
        for member in members:
            inner = member.item_type if isinstance(member, mi.ListType) else member
            if isinstance(inner, mi.StructType) and inner.cls not in seen:
                at = (*path, 0) if isinstance(member, mi.ListType) else path
                yield from _fields(inner.cls, at, (*seen, cls))


FIELDS = list(_fields(bridge.ResponseDoneEvent, ()))
_BY_PATH = {f.json_path: f for f in FIELDS}


def test_the_field_table_covers_every_kind() -> None:
    kinds = {f.kind for f in FIELDS}
    assert kinds == {"string", "enum", "int64", "double", "bool", "message", "list", "map", "union", "raw", "base64"}
    assert len(FIELDS) > 60
    assert "$.response.output[0].tools[0].input_schema" in _BY_PATH
    assert "$.response.audio.output.voice.id" in _BY_PATH  # the object member of a union


def _wrong_values() -> Iterator[Any]:
    for field in FIELDS:
        for name, value in JSON_TYPES.items():
            if name not in field.accepts:
                yield pytest.param(field, value, field.json_path, id=f"{field.json_path}={name}")
        if field.kind == "int64":  # floats where integers belong, however integral
            for text in ("1.0", "1e2", "-0.0"):
                yield pytest.param(field, msgspec.Raw(text.encode()), field.json_path, id=f"{field.json_path}={text}")
        for element, suffix in field.bad_elements:
            if field.kind == "map":
                bad: Any = {"a": field.good_element, "k": element}
            else:
                bad = [field.good_element, element]
            name = type(element).__name__
            yield pytest.param(field, bad, field.json_path + suffix, id=f"{field.json_path}{suffix}={name}")


@pytest.mark.parametrize(("field", "value", "where"), list(_wrong_values()))
def test_a_wrong_json_type_is_named_at_its_path(field: Field, value: Any, where: str) -> None:
    """Strict mode: exactly one violation, at the field (or element), through decoding and
    conversion: the rest of the document is fine. Default mode: the value is carried as it came
    (tolerant reading), and ``bridge.drift`` names the same path."""
    data = _document(field.path, value)
    assert _paths(bridge.decode_event, data, strict=True) == [where]
    assert _paths(bridge.json_to_binary, data, strict=True) == [where]
    event = bridge.decode_event(data)
    assert [v.path for v in bridge.drift(event)] == [where]
    assert bridge.binary_to_json(bridge.json_to_binary(data)) == bridge.encode(event) == data


@pytest.mark.parametrize("field", [f for f in FIELDS if f.kind == "raw"], ids=lambda f: f.json_path)
@pytest.mark.parametrize(
    "text",
    [b"null", b'""', b"0", b"-0.0", b"1e999", b"123456789012345678901234567890", b"true", b"[]", b"{}",
     b'{ "a" :\n [1 , {"b": null}] }', b'"\\u00e9\\ud83d\\ude00"', b'"\xc3\xa9"'],
)
def test_a_raw_json_field_carries_any_value_byte_for_byte(field: Field, text: bytes) -> None:
    """A raw JSON field has no wrong type: every value, spacing and escapes included, comes back
    as the exact text it arrived as."""
    data = _document(field.path, msgspec.Raw(text))
    key = json.dumps(field.path[-1]).encode()
    for strict in (False, True):
        out = _round_trip(data, strict=strict)
        assert key + b":" + text in out, out
        assert json.loads(out) == json.loads(data)


INT64_FIELDS = [f for f in FIELDS if f.kind == "int64" or f.json_path == "$.response.max_output_tokens"]


@pytest.mark.parametrize("field", INT64_FIELDS, ids=lambda f: f.json_path)
def test_int64_range_of_every_integer_field(field: Field) -> None:
    """The ends of int64 come back digit for digit; one past either end, or far beyond, is named
    in strict mode and carried as its exact text (and named by ``drift``) in default mode."""
    for number in (INT64_MIN, -1, 0, INT64_MAX):
        data = _document(field.path, number)
        out = _round_trip(data)
        assert f":{number}".encode() in out and json.loads(out) == json.loads(data)
    for number in (INT64_MAX + 1, INT64_MIN - 1, 2**64, -(2**64), 10**40):
        data = _document(field.path, number)
        assert _paths(bridge.json_to_binary, data, strict=True) == [field.json_path]
        assert _paths(bridge.decode_event, data, strict=True) == [field.json_path]
        assert [v.path for v in bridge.drift(bridge.decode_event(data))] == [field.json_path]
        assert _round_trip(data) == data


def test_integers_beyond_64_bits_are_carried_exactly_where_the_schema_does_not_type_them() -> None:
    """In unknown keys, generic event payloads and raw JSON fields a number is kept as its text."""
    huge = "-" + "9" * 400
    documents = [
        _event('{"future":' + huge + "}"),
        b'{"type":"rate_limits.updated","remaining":' + huge.encode() + b"}",
        _event('{"output":[{"type":"mcp_list_tools","tools":[{"annotations":[' + huge + "]}]}]}"),
    ]
    for data in documents:
        assert huge.encode() in _round_trip(data)


# ------------------------------------------------------------------------------------------- size


@pytest.fixture(scope="module")
def huge_text() -> str:
    """24 MB of text: two- and four-byte UTF-8 characters, a JSON escape, then ASCII."""
    return ("é😀\\" * 2_000_000) + "x" * 6 * MB


@pytest.mark.parametrize(
    "place",
    [
        lambda s: {"type": "response.done", "response": {"output": [{"content": [{"transcript": s}]}]}},
        lambda s: {"type": "response.audio.delta", "event_id": "e", "delta": s},
        lambda s: {"type": "response.done", "response": {"future": {"blob": s}}},
        lambda s: {"type": "response.done", "response": {"metadata": {"k": s}}},
    ],
    ids=["known-field", "generic-payload", "unknown-key", "metadata-value"],
)
def test_a_string_of_tens_of_megabytes_is_carried_whole(place: Callable[[str], Any], huge_text: str) -> None:
    document = place(huge_text)
    data = json.dumps(document, ensure_ascii=False).encode()
    assert len(data) > 20 * MB
    out = _round_trip(data)
    assert json.loads(out) == document  # not a character lost, none changed
    assert bridge.decode_event(out) == bridge.decode_event(data)


def test_strict_mode_rejects_a_huge_metadata_value_with_one_violation(huge_text: str) -> None:
    data = json.dumps({"type": "response.done", "response": {"metadata": {"k": huge_text}}}).encode()
    (violation,) = _violations(bridge.json_to_binary, data, strict=True)
    assert violation.path == "$.response.metadata.k" and "at most 512" in violation.message
    assert len(violation.message) < 200  # the error names the problem; it does not echo the value


MANY = 200_000


@pytest.mark.parametrize(
    "make",
    [
        lambda: {"type": "response.done", "response": {"output": [{"id": str(i), "role": "x"} for i in range(MANY)]}},
        lambda: {"type": "response.done", "response": {"modalities": ["text", "audio"] * MANY}},
        lambda: {"type": "response.done", "response": {"metadata": {f"k{i}": str(i) for i in range(MANY)}}},
        lambda: {"type": "response.done", "response": {"future": list(range(-MANY, MANY))}},
        lambda: {"type": "rate_limits.updated", **{f"k{i}": i for i in range(MANY // 2)}},
    ],
    ids=["items", "enum-list", "map-pairs", "unknown-key-array", "generic-keys"],
)
def test_hundreds_of_thousands_of_items_are_carried(make: Callable[[], dict[str, Any]]) -> None:
    document = make()
    data = json.dumps(document).encode()
    assert json.loads(_round_trip(data)) == document


def test_hundreds_of_thousands_of_bad_items_are_each_reported() -> None:
    data = json.dumps({"type": "response.done", "response": {"output": [{"id": i} for i in range(100_000)]}}).encode()
    paths = _paths(bridge.json_to_binary, data, strict=True)
    assert paths == [f"$.response.output[{i}].id" for i in range(100_000)]
    drift = bridge.drift(bridge.decode_event(data))  # carried by default, each one named
    assert [v.path for v in drift] == paths


def test_strict_limits_are_one_violation_each_however_large_the_input() -> None:
    metadata = {f"k{i}": "v" for i in range(MANY)}
    data = json.dumps({"type": "response.done", "response": {"metadata": metadata, "temperature": 1e308}}).encode()
    assert sorted(_paths(bridge.decode_event, data, strict=True)) == [
        "$.response.metadata",
        "$.response.temperature",
    ]


def test_deep_nesting_inside_a_raw_json_field_is_a_validation_error() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    data = _event('{"output":[{"type":"mcp_list_tools","tools":[{"input_schema":' + deep + "}]}]}")
    for strict in (False, True):
        assert any("deep" in v.message for v in _violations(bridge.json_to_binary, data, strict=strict))


def test_deep_nesting_where_a_string_belongs_is_a_validation_error() -> None:
    data = _event('{"id":' + "[" * 100_000 + "]" * 100_000 + "}")
    assert _violations(bridge.json_to_binary, data)


# --------------------------------------------------------------------------------------- protobuf

VALID_EVENT = realtime_pb2.ServerEvent(type="response.done", event_id="e1",
                                       response=realtime_pb2.RealtimeResponse(id="r", status=2))
VALID_BLOB = VALID_EVENT.SerializeToString()
VALID_JSON = bridge.binary_to_json(VALID_BLOB)


def _tag(number: int, wire_type: int) -> bytes:
    return encode_varint(number << 3 | wire_type)


def _length_delimited(number: int, payload: bytes) -> bytes:
    return _tag(number, 2) + encode_varint(len(payload)) + payload


MALFORMED_PROTOBUF = {
    "truncated-varint-in-tag": VALID_BLOB + b"\x80",
    "truncated-varint-value": VALID_BLOB + _tag(999, 0) + b"\xff\xff",
    "truncated-length": VALID_BLOB + _tag(999, 2) + b"\x80",
    "varint-of-eleven-bytes": VALID_BLOB + _tag(999, 0) + b"\xff" * 10 + b"\x01",
    "length-past-the-end": VALID_BLOB + _tag(999, 2) + b"\x05abc",
    "nested-length-past-the-end": _tag(1, 2) + b"\x01a" + _tag(3, 2) + b"\x02" + _tag(1, 2) + b"\x09r",
    "length-beyond-2-gib": _tag(1, 2) + b"\xff\xff\xff\xff\x0f",
    "length-beyond-2-to-62": _tag(1, 2) + b"\xff" * 8 + b"\x3f",
    "fixed64-cut": VALID_BLOB + _tag(999, 1) + b"\x00" * 7,
    "fixed32-cut": VALID_BLOB + _tag(999, 5) + b"\x00" * 3,
    "field-number-zero": b"\x00\x01" + VALID_BLOB,
    "field-number-too-large": encode_varint(2**29 << 3) + b"\x01",
    "wire-type-7": VALID_BLOB + _tag(999, 7),
    "unclosed-group": VALID_BLOB + _tag(999, 3),
    "mismatched-group-end": VALID_BLOB + _tag(999, 3) + _tag(998, 4),
    "groups-nested-100000-deep": VALID_BLOB + _tag(999, 3) * 100_000,
    "response-truncated": VALID_BLOB[:-1],
}


@pytest.mark.parametrize("blob", MALFORMED_PROTOBUF.values(), ids=MALFORMED_PROTOBUF.keys())
@pytest.mark.parametrize("kind", ["event", "response"])
def test_malformed_protobuf_is_rejected_as_a_whole(blob: bytes, kind: str) -> None:
    (violation,) = _violations(bridge.binary_to_json, blob, kind=kind)
    assert violation.path == "$" and "malformed protobuf" in violation.message


UNKNOWN_FIELDS = {
    "varint": _tag(999, 0) + encode_varint(2**64 - 1),
    "fixed64": _tag(999, 1) + b"\x01" * 8,
    "length-delimited": _length_delimited(999, b"anything \xff at all"),
    "fixed32": _tag(999, 5) + b"\x01" * 4,
    "group": _tag(999, 3) + _tag(1, 0) + b"\x01" + _tag(999, 4),
    "largest-field-number": _tag(2**29 - 1, 0) + b"\x01",
    "reserved-range": _tag(19000, 0) + b"\x01",
}


@pytest.mark.parametrize("extra", UNKNOWN_FIELDS.values(), ids=UNKNOWN_FIELDS.keys())
def test_unknown_fields_are_carried_as_protobuf_does(extra: bytes) -> None:
    """A field number the schema does not know parses (protobuf keeps it as an unknown field) and
    conversion proceeds, at the top level and inside nested messages; JSON has no place for it."""
    assert bridge.binary_to_json(VALID_BLOB + extra) == VALID_JSON
    assert bridge.binary_to_json(extra + VALID_BLOB) == VALID_JSON
    response = VALID_EVENT.response.SerializeToString() + extra
    nested = _length_delimited(1, b"response.done") + _length_delimited(2, b"e1") + _length_delimited(3, response)
    assert bridge.binary_to_json(nested) == VALID_JSON
    message = realtime_pb2.ServerEvent.FromString(VALID_BLOB + extra)
    assert extra in message.SerializeToString()  # protobuf keeps it for whoever passes the message on
    assert bridge.encode(bridge.from_proto(message)) == VALID_JSON
    assert bridge.binary_to_json(VALID_EVENT.response.SerializeToString() + extra, kind="response") == (
        b'{"id":"r","status":"completed"}'
    )


def test_a_known_field_with_the_wrong_wire_type_is_an_unknown_field() -> None:
    """Protobuf parsers treat a known number with another wire type as an unknown field: the value
    is not read into the field, and conversion judges what is left."""
    type_as_varint = _tag(1, 0) + b"\x05" + _length_delimited(2, b"e1")
    assert _paths(bridge.binary_to_json, type_as_varint) == ["$.type"]
    id_as_fixed32 = VALID_BLOB + _tag(3, 2) + b"\x05" + _tag(1, 5) + b"\x00\x00\x00\x00"
    assert bridge.binary_to_json(id_as_fixed32) == VALID_JSON  # the response message merges; `id` keeps "r"
    status_as_fixed64 = _length_delimited(1, b"response.done") + _length_delimited(3, _tag(3, 1) + b"\x02" * 8)
    assert bridge.binary_to_json(status_as_fixed64) == b'{"type":"response.done","response":{}}'


def test_repeated_and_split_fields_follow_protobuf() -> None:
    """A scalar given twice: the last wins; a message given twice: merged; a repeated enum packed
    or not: the same list."""
    twice = _length_delimited(1, b"error") + _length_delimited(1, b"session.created")
    assert bridge.binary_to_json(twice) == b'{"type":"session.created"}'
    merged = (_length_delimited(1, b"response.done") + _length_delimited(3, _length_delimited(1, b"r"))
              + _length_delimited(3, _tag(3, 0) + b"\x02"))
    assert bridge.binary_to_json(merged) == b'{"type":"response.done","response":{"id":"r","status":"completed"}}'
    modalities = realtime_pb2.RealtimeResponse.DESCRIPTOR.fields_by_name["modalities"].number
    packed = _length_delimited(modalities, b"\x01\x02")
    unpacked = _tag(modalities, 0) + b"\x01" + _tag(modalities, 0) + b"\x02"
    assert bridge.binary_to_json(packed, kind="response") == bridge.binary_to_json(unpacked, kind="response")
    assert json.loads(bridge.binary_to_json(packed, kind="response")) == {"modalities": ["text", "audio"]}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_truncation_of_a_real_message_is_rejected_or_read_as_protobuf_reads_it(path: Path) -> None:
    """Cut real protobuf bytes at every byte: a cut inside a field is malformed; a cut between
    top-level fields is a shorter message, which converts (or is rejected) exactly as that message."""
    blob = bridge.json_to_binary(path.read_bytes())
    for cut in range(len(blob)):
        prefix = blob[:cut]
        try:
            message = realtime_pb2.ServerEvent.FromString(prefix)
        except Exception:  # noqa: BLE001 - protobuf's DecodeError: the bridge must say malformed
            assert _paths(bridge.binary_to_json, prefix) == ["$"], cut
            continue
        try:
            expected: Any = bridge.encode(bridge.from_proto(message))
        except bridge.ValidationError as error:
            expected = [tuple(v) for v in error.violations]
        try:
            got: Any = bridge.binary_to_json(prefix)
        except bridge.ValidationError as error:
            got = [tuple(v) for v in error.violations]
        assert got == expected, cut


_MAP_ORDER_PROBE = """
import sys, bridge
data = b'{"metadata":{' + b",".join(b'"k%d":"v"' % i for i in range(12)) + b'}}'
sys.stdout.buffer.write(bridge.binary_to_json(bridge.json_to_binary(data, kind="response"), kind="response"))
"""


def test_json_from_binary_does_not_depend_on_the_process() -> None:
    """The JSON made from given protobuf bytes is the same in every process: a protobuf map has no
    order, so the bridge must give its entries one (as it does for unknown keys), not take the
    order of the runtime's hash table, which is seeded per process."""
    outputs = {
        subprocess.run([sys.executable, "-c", _MAP_ORDER_PROBE], capture_output=True, check=True, timeout=60).stdout
        for _ in range(4)
    }
    assert len(outputs) == 1, outputs


_NAN_WITH_PAYLOAD = struct.unpack("<d", b"\x01\x00\x00\x00\x00\x00\xf8\x7f")[0]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, _NAN_WITH_PAYLOAD],
                         ids=["nan", "inf", "-inf", "nan-payload"])
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_a_non_finite_double_in_protobuf_is_rejected_not_turned_into_null(value: float, strict: bool) -> None:
    """JSON has no NaN or infinity. A double holding one must be rejected at its path: writing
    ``null`` (what JSON encoders do) would change the value and make it look like an explicit null."""
    blob = realtime_pb2.ServerEvent(type="response.done", response=realtime_pb2.RealtimeResponse(temperature=value))
    assert _paths(bridge.binary_to_json, blob.SerializeToString(), strict=strict) == ["$.response.temperature"]
    assert _paths(bridge.from_proto, blob, strict=strict) == ["$.response.temperature"]


@pytest.mark.parametrize("value", [math.nan, math.inf], ids=["nan", "inf"])
def test_a_non_finite_double_in_a_model_is_rejected_by_encode(value: float) -> None:
    obj = bridge.RealtimeResponse(temperature=value)
    assert _paths(bridge.encode, obj) == ["$.temperature"]


# ------------------------------------------------------------------------------- the command line

DEEP_LINE = b'{"type":"response.done","response":{"future":' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
BIG_DELTA = "é😀" * 2_000_000

#: (line, what it becomes: a JSON value it converts to, None for a blank line, or a rejection:
#: a tuple of the expected violation paths, ``"$*"`` meaning any path under ``$``).
LOG: list[tuple[bytes, Any]] = [
    (b'\xef\xbb\xbf{"type":"session.created","event_id":"e1"}', ("$",)),  # a BOM at the start of the file
    (b'{"type":"response.created","event_id":"e2","response":{"id":"r","status":"in_progress"}}\r',
     {"type": "response.created", "event_id": "e2", "response": {"id": "r", "status": "in_progress"}}),
    (b"\x00", ("$",)),
    (b'{"type":"response.audio.delta","delta":"\xff\xfe"}', ("$*",)),
    (DEEP_LINE, ("$*",)),
    (b"\r", None),
    (b"   \t", None),
    (json.dumps({"type": "response.audio.delta", "delta": BIG_DELTA}, ensure_ascii=False).encode(),
     {"type": "response.audio.delta", "delta": BIG_DELTA}),
    (b'{"type":"response.done","type":"rate_limits.updated","x":1,"x":[2]}', {"type": "rate_limits.updated", "x": [2]}),
    (b'{"type":"error","n":-123456789012345678901234567890}', {"type": "error", "n": -123456789012345678901234567890}),
    (b'{"type":"x"} trailing', ("$",)),
    (b"[]", ("$",)),
    (b'{"type":"response.done","response":{"usage":{"total_tokens":1.0}}}',  # a misfit, carried
     {"type": "response.done", "response": {"usage": {"total_tokens": 1.0}}}),
    (b'{"type":"response.done","response":{"temperature":NaN}}', ("$",)),
    (b'{"type":"response.done","response":{"id":"last line, no newline"}}',
     {"type": "response.done", "response": {"id": "last line, no newline"}}),
]


def test_the_cli_converts_a_hostile_log_losing_nothing(tmp_path: Path) -> None:
    """Every line of the log is converted (and comes back as the same JSON) or rejected with its
    line number, its violations and, when it is text, the line itself; blank lines are skipped."""
    log, binary, rejects, back = (tmp_path / name for name in ("log.jsonl", "log.bin", "rejects.jsonl", "back.jsonl"))
    log.write_bytes(b"\n".join(line for line, _ in LOG))
    assert cli.main(["decode", str(log), "-o", str(binary), "--rejects", str(rejects), "-q"]) == cli.EXIT_REJECTED

    expected_rejects = {n: paths for n, (_, paths) in enumerate(LOG, 1) if isinstance(paths, tuple)}
    records = [json.loads(line) for line in rejects.read_bytes().splitlines()]
    assert [r["line"] for r in records] == list(expected_rejects)
    for record in records:
        line = LOG[record["line"] - 1][0]
        paths = [v["path"] for v in record["violations"]]
        expected = expected_rejects[record["line"]]
        if expected == ("$*",):
            assert paths and all(p.startswith("$") for p in paths)
        else:
            assert paths == list(expected), record
        try:
            text: str | None = line.rstrip(b"\r").decode()
        except UnicodeDecodeError:
            text = None
        assert record.get("text") == text

    assert cli.main(["encode", str(binary), "-o", str(back), "-q"]) == cli.EXIT_OK
    converted = [meaning for _, meaning in LOG if isinstance(meaning, dict)]
    assert [json.loads(line) for line in back.read_bytes().splitlines()] == converted


def test_the_cli_reads_a_hostile_binary_stream_up_to_where_it_breaks(tmp_path: Path) -> None:
    """Frames that are garbage or empty are rejected at their offsets and the run goes on; unknown
    fields are carried; a length prefix claiming a terabyte ends the run at its offset."""
    good = [bridge.json_to_binary(b'{"type":"error","n":%d}' % n) for n in range(3)]
    frames = [good[0], b"\xff\xff\xff", b"", good[1] + UNKNOWN_FIELDS["group"], good[2]]
    stream = io.BytesIO()
    offsets = []
    for payload in frames:
        offsets.append(stream.tell())
        write_frame(stream, payload)
    tail_offset = stream.tell()
    stream.write(encode_varint(2**40) + b"not a terabyte")
    binary, out, rejects = tmp_path / "in.bin", tmp_path / "out.jsonl", tmp_path / "rejects.jsonl"
    binary.write_bytes(stream.getvalue())

    assert cli.main(["encode", str(binary), "-o", str(out), "--rejects", str(rejects), "-q"]) == cli.EXIT_REJECTED
    assert [json.loads(line) for line in out.read_bytes().splitlines()] == [{"type": "error", "n": n} for n in range(3)]
    records = [json.loads(line) for line in rejects.read_bytes().splitlines()]
    assert [r["offset"] for r in records] == [offsets[1], offsets[2], tail_offset]
    assert [[v["path"] for v in r["violations"]] for r in records] == [["$"], ["$.type"], ["$"]]
    assert "malformed protobuf" in records[0]["violations"][0]["message"]
    assert "exceeds the limit" in records[2]["violations"][0]["message"]
    assert len(list(iter_frames(io.BytesIO(stream.getvalue()[:tail_offset])))) == len(frames)
