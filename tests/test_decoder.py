"""The compiled decoder (``bridge._decoder``) against the pure path (msgspec, the lossless walk,
strict mode's check).

In both modes the decoder must return exactly what the pure path returns (equal Structs of the same
classes, byte-identical ``bridge.encode``), or decline (``None``) so that the pure path runs and
produces the result or the ValidationError. These tests hold it to that on every fixture, with
unknown keys injected at every level, on generated documents, strings of every kind, numbers,
escaped and duplicate keys, invalid UTF-8, deep nesting and malformed JSON; and they check that it
does not decline the documents it is built for.
"""

from __future__ import annotations

import copy
import json
import pathlib
import re
import struct
import sys
from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import bridge
from bridge._schema import RESPONSE_PLAN
from tests.strategies import corrupted, documents, holds_base64_text, json_text
from tests.test_speedups import SETTINGS

try:
    from bridge import _decoder
except ImportError:  # pragma: no cover - CI builds the extension
    _decoder = None

DATA = pathlib.Path(__file__).parent / "data"
FIXTURES = sorted(DATA.glob("examples/*.json")) + sorted(DATA.glob("ga/*.json"))
NEW_VALUE = {"arm": "b", "weight": 0.5, "tags": ["beta", None, 12345678901234567890123]}


@pytest.fixture(autouse=True)
def _built() -> None:
    """Without the extension there is nothing to compare: a failure (the install builds it), not a skip."""
    if _decoder is None:
        pytest.fail("bridge._decoder is not built: build it with `pip install -e .`")


def _outcome(call: Callable[[], Any]) -> tuple[Any, ...]:
    try:
        obj = call()
    except bridge.ValidationError as error:
        return ("invalid", error.violations)
    return ("ok", obj, type(obj), bridge.encode(obj))


def _pure(data: Any, kind: str, strict: bool = False) -> tuple[Any, ...]:
    """The outcome of the pure path: the functions the compiled entry points wrap."""
    function = bridge.decode_event if kind == "event" else bridge.decode_response
    pure = getattr(function, "__wrapped__", function)  # without the accelerator: itself
    return _outcome(lambda: pure(data, strict=strict))


def _decode(data: Any, kind: str, strict: bool = False) -> Any:
    if kind == "event":
        return bridge.decode_event(data, strict=strict)
    return bridge.decode_response(data, strict=strict)


def _fast(data: Any, kind: str, strict: bool = False) -> Any:
    return _decoder.decode_event(data, strict) if kind == "event" else _decoder.decode(data, RESPONSE_PLAN, strict)


def _check(data: Any, kind: str, *, handled: bool | None = None, strict: bool = False) -> Any:
    """The accelerated outcome equals the pure one (the accelerator's answer where it gives one);
    ``handled`` says whether it must answer (True) or decline (False)."""
    expected = _pure(data, kind, strict)
    got = _fast(data, kind, strict)
    if handled is not None:
        assert (got is not None) is handled
    if got is not None:
        assert expected[0] == "ok", expected
        assert got == expected[1]
        assert type(got) is expected[2]
        assert bridge.encode(got) == expected[3]
        _same_tree(got, expected[1])
    assert _outcome(lambda: _decode(data, kind, strict)) == expected  # the dispatch, end to end
    return got


def _same_tree(got: Any, expected: Any) -> None:
    """Field for field the same values of the same types (``==`` alone lets 1 == 1.0 == True pass),
    and every str in the canonical form CPython's own decoder makes."""
    assert type(got) is type(expected)
    if isinstance(got, msgspec.Struct):
        for name in got.__struct_fields__:
            _same_tree(getattr(got, name), getattr(expected, name))
    elif isinstance(got, list):
        assert len(got) == len(expected)
        for a, b in zip(got, expected, strict=True):
            _same_tree(a, b)
    elif isinstance(got, dict):
        assert list(got) == list(expected)
        for key in got:
            _same_tree(key, next(k for k in expected if k == key))
            _same_tree(got[key], expected[key])
    elif isinstance(got, float):
        assert struct.pack("<d", got) == struct.pack("<d", expected)  # -0.0 is not 0.0
    elif isinstance(got, str):
        assert got == expected and got.encode("utf-8").decode("utf-8") == got
        assert sys.getsizeof(got) == sys.getsizeof(expected)  # same kind: canonical
    elif type(got) is bridge.models.Extra:
        assert list(got) == list(expected) and all(bytes(got[k]) == bytes(expected[k]) for k in got)
    else:
        assert got == expected


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


_SCHEMA_FREE = ("input_schema", "annotations", "metadata")  # values that are data, not models


def _typed_objects(value: Any) -> Iterator[dict[str, Any]]:
    """The objects of a document that the schema types (not those inside kept JSON values)."""
    if isinstance(value, dict):
        yield value
        for key, item in value.items():
            if key not in _SCHEMA_FREE:
                yield from _typed_objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _typed_objects(item)


def _fixture_cases() -> Iterator[tuple[str, str, bytes]]:
    for path in FIXTURES:
        document = json.loads(path.read_bytes())
        kind = "response" if document.get("object") == "realtime.response" else "event"
        count = len(list(_typed_objects(document)))
        for index in range(count):
            changed = copy.deepcopy(document)
            target = list(_typed_objects(changed))[index]
            target["x_new"] = NEW_VALUE
            target["phase"] = "final"
            yield f"{path.stem}-{index}", kind, json.dumps(changed).encode()
        everywhere = copy.deepcopy(document)
        for target in list(_typed_objects(everywhere)):
            target["x_everywhere"] = [1, {"a": None}]
        yield f"{path.stem}-all", kind, json.dumps(everywhere, indent=2).encode()


@pytest.mark.parametrize(("name", "kind", "data"), list(_fixture_cases()), ids=lambda v: v if isinstance(v, str) else "")
def test_fixtures_with_unknown_keys_at_every_level(name: str, kind: str, data: bytes) -> None:
    got = _check(data, kind, handled=True)
    assert got.extra or any(o.get("x_new") or o.get("x_everywhere") for o in _objects(json.loads(data)))


@SETTINGS
@given(documents(), st.data())
def test_generated_documents(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    """Any valid document, with unknown keys holding any JSON: decoded here, never declined, but
    for base64 that is not canonical (its exact text is the pure path's to keep)."""
    kind, document = case
    text = data.draw(json_text(document))
    pure = _pure(text, kind)
    _check(text, kind, handled=pure[0] == "ok" and not holds_base64_text(pure[1]))



@SETTINGS
@given(documents(), st.data())
def test_corrupted_documents(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    """Flip, drop or insert bytes: the same Structs or the same violations (what the scanner
    accepts, msgspec and the pure path accept too)."""
    kind, document = case
    text = data.draw(corrupted(json.dumps(document, ensure_ascii=data.draw(st.booleans())).encode()))
    _check(text, kind)


def test_handles_str_bytearray_and_memoryview() -> None:
    text = '{"type": "response.done", "x": "é😀", "response": {"id": "r", "y": [1, 2.5e-3, true]}}'
    for data in (text, text.encode(), bytearray(text.encode()), memoryview(text.encode())):
        got = _check(data, "event", handled=True)
        assert bytes(got.response.extra["y"]) == b"[1, 2.5e-3, true]"
    # What is not a contiguous buffer is msgspec's to refuse.
    assert _decoder.decode_event(memoryview(text.encode())[::2]) is None
    assert _decoder.decode(5, RESPONSE_PLAN) is None


def test_escaped_keys() -> None:
    # An escaped known key is the known key; an escaped unknown key is kept by its decoded name.
    got = _check(b'{"type":"response.done","\\u0072esponse":{"\\u0069d":"r","x\\n\\"y":1}}', "event", handled=True)
    assert got.response.id == "r" and {k: bytes(v) for k, v in got.response.extra.items()} == {'x\n"y': b"1"}
    _check(b'{"\\u0074ype":"response.created","event_id":"e","z":{}}', "event", handled=True)
    _check(b'{"type":"response.\\u0064one","z":{}}', "event", handled=True)
    _check(b'{"id":"r","\\ud83d\\ude00":"\\uD83D\\uDE00"}', "response", handled=True)  # a surrogate pair
    for lone in (b'"\\ud800"', b'"\\udc00\\ud800"', b'"\\ud800\\u0041"', b'"\\ud800\\n"'):
        _check(b'{"id":"r","x":' + lone + b"}", "response", handled=False)  # the pure path decides


def test_duplicate_keys_match_the_pure_path() -> None:
    _check(b'{"id":"r","x":1,"y":2,"x":3}', "response", handled=True)  # first place, last value
    _check(b'{"id":"r","x":1,"id":"s"}', "response")
    _check(b'{"usage":{"x":1},"usage":{"total_tokens":3,"y":2},"z":0}', "response")
    _check(b'{"type":"response.done","type":"response.created","x":1}', "event")
    _check(b'{"type":"error","type":"x","x":1}', "event")


def test_invalid_utf8_in_an_unknown_value() -> None:
    for data in (
        b'{"id":"r","x":"\xff"}',
        b'{"id":"r","x":["ok","\xc3"]}',
        b'{"output":[{"id":"i","x":{"k":"\xed\xa0\x80"}}]}',  # an encoded surrogate
        b'{"id":"r","\xff":1}',
    ):
        assert _check(data, "response", handled=False) is None
        assert _pure(data, "response")[0] == "invalid"


@pytest.mark.parametrize("depth", [10, 63, 64, 65, 200, 5000])
def test_deep_nesting(depth: int) -> None:
    inner = b"[" * depth + b"]" * depth
    _check(b'{"id":"r","x":' + inner + b"}", "response")
    objects = b'{"a":' * depth + b"1" + b"}" * depth
    _check(b'{"type":"x","p":' + objects + b"}", "event")


@pytest.mark.parametrize(
    "data",
    [
        b'{"id":"r","x":01}',
        b'{"id":"r","x":1.}',
        b'{"id":"r","x":-}',
        b'{"id":"r","x":[1,]}',
        b'{"id":"r","x":{"a":1,}}',
        b'{"id":"r","x":tru}',
        b'{"id":"r","x":"a\x01"}',
        b'{"id":"r","x":"\\x"}',
        b'{"id":"r","x":"\\u12g4"}',
        b'{"id":"r","x":1} x',
        b'{"id":"r","x":1',
        b'{"id":"r","x":NaN}',
        b'{"id":5,"x":1}',
        b'{"output":[null],"x":1}',
        b'{"usage":{"total_tokens":"3"},"x":1}',
        b'{"usage":{"total_tokens":99999999999999999999},"x":1}',
        b'{"voice":{"id":"v","x":1},"y":2}',
        b'{"voice":"alloy","y":2}',
        b'[1]',
        b"null",
        b" \n{\"x\" : -0.0e+5 , \"id\" : \"r\" }\r\n",
    ],
)
def test_malformed_or_mistyped_documents(data: bytes) -> None:
    _check(data, "response")


def test_generic_events_and_keys_named_like_internals() -> None:
    got = _check(b'{"delta":"AAAA","type":"response.future.delta","event_id":"e","response":{"id":"r"}}', "event",
                 handled=True)
    assert type(got) is bridge.GenericEvent and set(got.extra) == {"delta", "response"}
    _check(b'{"type":"response.done","response":{"__bridge_extra__":{"a":1},"extra":2}}', "event", handled=True)
    _check(b'{"type":5,"x":1}', "event", handled=False)
    _check(b'{"x":1}', "event", handled=False)


def test_strict_mode_sees_the_same_unknown_keys() -> None:
    data = b'{"type":"response.done","x":1,"response":{"output":[{"id":"i","y":2}]}}'
    with pytest.raises(bridge.ValidationError) as fast:
        bridge.decode_event(data, strict=True)
    with pytest.raises(bridge.ValidationError) as pure:
        getattr(bridge.decode_event, "__wrapped__", bridge.decode_event)(data, strict=True)
    assert fast.value.violations == pure.value.violations
    assert {v.path for v in fast.value.violations} == {"$.x", "$.response.output[0].y"}


# --------------------------------------------------------------------------- both modes, every kind


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixtures_are_decoded_not_declined(path: pathlib.Path, strict: bool) -> None:
    data = path.read_bytes()
    kind = "response" if json.loads(data).get("object") == "realtime.response" else "event"
    _check(data, kind, handled=True, strict=strict)
    _check(json.dumps(json.loads(data), separators=(",", ":"), ensure_ascii=False).encode(), kind, handled=True,
           strict=strict)


@SETTINGS
@given(documents(), st.data())
def test_generated_documents_strict(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    """Strict mode: a document within the schema gives the public classes; one beyond it (an unknown
    key or enum value, a limit) is declined, and the pure path reports it."""
    kind, document = case
    text = data.draw(json_text(document))
    got = _check(text, kind, strict=True)
    assert (got is not None) is (_pure(text, kind, strict=True)[0] == "ok")


_CHARACTERS = st.one_of(
    st.characters(max_codepoint=0x7F),
    st.characters(min_codepoint=0x80, max_codepoint=0xFF),
    st.characters(min_codepoint=0x100, max_codepoint=0xFFFF, blacklist_categories=("Cs",)),
    st.characters(min_codepoint=0x10000),
)


@SETTINGS
@given(st.text(_CHARACTERS, max_size=40), st.booleans(), st.sampled_from(["id", "x_unknown", "metadata"]))
@example("", False, "id")
@example("é" * 9 + "a" * 17, False, "id")  # latin-1 after and across an 8-byte word
@example("a" * 15 + "–", False, "id")  # one character beyond latin-1 decides the kind
@example("😀", True, "id")
def test_strings_of_every_kind(text: str, ascii_only: bool, where: str) -> None:
    """ASCII, latin-1, BMP and astral strings, written raw or as escapes: the same str, in the
    narrowest kind (CPython compares kinds before characters: a wider one would never be equal)."""
    value = json.dumps(text, ensure_ascii=ascii_only)
    if where == "metadata":
        data = f'{{"id":"r","metadata":{{{value}:{value}}}}}'
    else:
        data = f'{{"type":"response.done","{where}":{value},"response":{{"id":{value}}}}}'
    kind = "response" if where == "metadata" else "event"
    got = _check(data.encode(), kind, handled=True)
    assert (got.metadata[text] if where == "metadata" else got.response.id) == text


@pytest.mark.parametrize(
    "raw",
    [b"\xff", b"\xc0\x80", b"\xc1\xbf", b"\xc3", b"a\xc3(", b"\xe2\x82", b"\xe0\x80\x80", b"\xed\xa0\x80",
     b"\xf0\x80\x80\x80", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\x80", b"abcdefgh\xbf", b"\xe2\x82\xac\x80"],
)
@pytest.mark.parametrize("where", ["key", "value", "enum", "map"])
def test_invalid_utf8_in_decoded_strings_is_declined(raw: bytes, where: str) -> None:
    quoted = b'"' + raw + b'"'
    data = {
        "key": b'{"id":"r",' + quoted + b":1}",
        "value": b'{"id":' + quoted + b"}",
        "enum": b'{"status":' + quoted + b"}",
        "map": b'{"metadata":{"k":' + quoted + b"}}",
    }[where]
    assert _check(data, "response", handled=False) is None
    assert _pure(data, "response")[0] == "invalid"


_DOUBLES = st.floats(allow_nan=False, allow_infinity=False)


@SETTINGS
@given(st.one_of(_DOUBLES.map(repr), _DOUBLES.map(lambda f: f"{f:.17e}"), _DOUBLES.map(lambda f: f"{f:.3g}"),
                 st.from_regex(r"\A-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][-+]?[0-9]{1,3})?\Z")))
@example("0.8")
@example("-0.0")
@example("1e22")
@example("1e23")
@example("9007199254740993.0")
@example("2.2250738585072011e-308")
@example("4.9e-324")
@example("1.7976931348623157e308")
@example("1e309")
@example("0E401")
@example("-0e-999")
def test_numbers_are_read_exactly_as_msgspec_reads_them(number: str) -> None:
    data = f'{{"temperature":{number}}}'.encode()
    got = _check(data, "response")
    try:
        expected = msgspec.json.decode(number.encode())
    except msgspec.ValidationError:  # out of a double's range: refused by both paths
        assert got is None
        return
    if got is not None:
        assert got.temperature == expected and type(got.temperature) is type(expected)
        assert struct.pack("<d", got.temperature) == struct.pack("<d", expected) if type(expected) is float else True
    else:  # declined only for an integer beyond int64 or a written exponent far beyond a double's
        exponent = re.search(r"[eE]([-+]?[0-9]+)", number)
        assert (type(expected) is int and not -(2**63) <= expected < 2**63) or (exponent and abs(int(exponent[1])) > 350)


@pytest.mark.parametrize(
    ("number", "handled"),
    [(str(-(2**63)), True), (str(2**63 - 1), True), (str(2**63), False), (str(-(2**63) - 1), False), ("-0", True),
     ("0", True), ("1.0", False), ("1e3", False), ("12345678901234567890", False)],
)
def test_int64_fields(number: str, handled: bool) -> None:
    got = _check(f'{{"usage":{{"total_tokens":{number}}}}}'.encode(), "response", handled=handled)
    if got is not None:
        assert got.usage.total_tokens == int(number) and type(got.usage.total_tokens) is int


def test_strict_limits_and_enums() -> None:
    ok = b'{"id":"r","status":"completed","temperature":0.6,"metadata":{"k":"v"},"modalities":["text"]}'
    got = _check(ok, "response", handled=True, strict=True)
    assert type(got) is bridge.RealtimeResponse and got == bridge.decode_response(ok)  # the public class
    for bad in (
        b'{"status":"finished"}',
        b'{"modalities":["text","smell"]}',
        b'{"temperature":0.59}',
        b'{"temperature":2}',
        b'{"metadata":{"' + b"k" * 65 + b'":"v"}}',
        b'{"metadata":{"k":"' + "é".encode() * 513 + b'"}}',
        b'{"metadata":{' + b",".join(b'"k%d":"v"' % i for i in range(17)) + b"}}",
        b'{"x":1}',
        b'{"status":"\\u0063ompleted","max_output_tokens":"infinite"}',
    ):
        _check(bad, "response", handled=False, strict=True)
        _check(bad, "response", handled=True)  # the default mode carries all of them
    _check(b'{"status":"\\u0063ompleted","max_output_tokens":"inf"}', "response", handled=True, strict=True)
    _check(b'{"metadata":{' + b",".join(b'"k":"%d"' % i for i in range(17)) + b"}}", "response", handled=True,
           strict=True)  # 17 pairs of one key: one pair


def test_known_keys_twice_and_nulls() -> None:
    got = _check(b'{"id":"a","usage":null,"id":"b","output":[],"metadata":null,"voice":{"id":"v"}}', "response",
                 handled=True)
    assert got.id == "b" and got.usage is None and got.output == [] and got.metadata is None
    _check(b'{"output":[{"content":null,"content":[{"type":"text"}]}]}', "response", handled=True)
    _check(b'{"output":[{"tools":[{"input_schema":null,"annotations":{"a":[1,{}]}}]}]}', "response", handled=True)


def test_no_reference_leaks_on_results_or_declines() -> None:
    """Slots filled in place and UNSET counted once an object: the counts must balance, whether a
    document decodes or is declined halfway through an object."""
    documents = [path.read_bytes() for path in FIXTURES] + [
        b'{"type":"response.done","response":{"id":"r","output":[{"id":"i","status":5}]}}',  # declined deep
        b'{"type":"response.done","x":{"y":1},"response":{"id":"r","usage":{"total_tokens":"3"}}}',
        b'{"id":"a","id":"b","metadata":{"k":"v","k":"w"},"x":[1]}',
    ]
    for data in documents:  # warm up: interned strings, caches
        _decoder.decode_event(data, False), _decoder.decode(data, RESPONSE_PLAN, True)
    before = sys.getrefcount(msgspec.UNSET), sys.getrefcount(None), sys.getrefcount("completed")
    for _ in range(200):
        for data in documents:
            _decoder.decode_event(data, False)
            _decoder.decode_event(data, True)
            _decoder.decode(data, RESPONSE_PLAN, False)
    assert (sys.getrefcount(msgspec.UNSET), sys.getrefcount(None), sys.getrefcount("completed")) == before


def test_keys_and_enum_values_one_byte_off_are_not_taken_for_known_ones() -> None:
    """A key (or an enum value) that differs from a known one in any single byte, or is one byte
    longer or shorter, is an unknown key (a value to decode as a string), never the known one."""
    names = {f.encode_name for model in (bridge.RealtimeResponse, bridge.ConversationItem, bridge.InputTokenDetails)
             for f in msgspec.structs.fields(model) if f.name != "extra"}
    for name in sorted(names):
        variants = {name[:i] + "#" + name[i + 1:] for i in range(len(name))} | {name + "s", name[:-1]}
        for key in sorted(variants - names):
            item, details = json.dumps({key: 1, "id": "i"}).encode(), json.dumps({key: 1}).encode()
            got = _check(b'{"output":[' + item + b'],"usage":{"input_token_details":' + details + b"}}", "response",
                         handled=True)
            assert set(got.output[0].extra) == {key} and set(got.usage.input_token_details.extra) == {key}
    for status in ("completed", "complete", "completes", "Completed", "completeD", "in_progres", "in_progress!"):
        got = _check(json.dumps({"status": status, "output": [{"status": status}]}).encode(), "response", handled=True)
        assert got.status == status and got.output[0].status == status
