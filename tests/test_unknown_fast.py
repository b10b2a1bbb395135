"""The compiled lossless decoder (``bridge._lossless``) against the pure lossless path.

For JSON with unknown keys the accelerator must return exactly what the pure walk in
:mod:`bridge._json` returns (equal Structs of the same classes, byte-identical ``bridge.encode``),
or decline (``None``) so that the walk runs and produces the result or the ValidationError. These
tests hold it to that on every fixture with unknown keys injected at every level, on generated
documents, escaped and duplicate keys, invalid UTF-8, deep nesting and malformed JSON; and they
check that it does not decline the documents it is built for.
"""

from __future__ import annotations

import copy
import json
import pathlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bridge
from bridge import _accel
from bridge._schema import RESPONSE_PLAN
from tests.strategies import documents, json_text
from tests.test_speedups import SETTINGS

try:
    from bridge import _lossless
except ImportError:  # pragma: no cover - CI builds the extension
    _lossless = None

DATA = pathlib.Path(__file__).parent / "data"
FIXTURES = sorted(DATA.glob("examples/*.json")) + sorted(DATA.glob("ga/*.json"))
NEW_VALUE = {"arm": "b", "weight": 0.5, "tags": ["beta", None, 12345678901234567890123]}


@pytest.fixture(autouse=True)
def _built() -> None:
    """Without the extension there is nothing to compare: a failure (the install builds it), not a skip."""
    if _lossless is None:
        pytest.fail("bridge._lossless is not built: build it with `pip install -e .`")


def _outcome(call: Callable[[], Any]) -> tuple[Any, ...]:
    try:
        obj = call()
    except bridge.ValidationError as error:
        return ("invalid", error.violations)
    return ("ok", obj, type(obj), bridge.encode(obj))


def _pure(data: Any, kind: str) -> tuple[Any, ...]:
    saved = _accel.decode_unknown, _accel.decode_event_unknown
    _accel.decode_unknown = _accel.decode_event_unknown = None
    try:
        return _outcome(lambda: _decode(data, kind))
    finally:
        _accel.decode_unknown, _accel.decode_event_unknown = saved


def _decode(data: Any, kind: str) -> Any:
    return bridge.decode_event(data) if kind == "event" else bridge.decode_response(data)


def _fast(data: Any, kind: str) -> Any:
    return _lossless.decode_event_unknown(data) if kind == "event" else _lossless.decode_unknown(data, RESPONSE_PLAN)


def _check(data: Any, kind: str, *, handled: bool | None = None) -> Any:
    """The accelerated outcome equals the pure one (the accelerator's answer where it gives one);
    ``handled`` says whether it must answer (True) or decline (False)."""
    expected = _pure(data, kind)
    got = _fast(data, kind)
    if handled is not None:
        assert (got is not None) is handled
    if got is not None:
        assert expected[0] == "ok", expected
        assert got == expected[1]
        assert type(got) is expected[2]
        assert bridge.encode(got) == expected[3]
    assert _outcome(lambda: _decode(data, kind)) == expected  # the dispatch, end to end
    return got


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
    """Any valid document, with unknown keys holding any JSON: decoded here, never declined."""
    kind, document = case
    text = data.draw(json_text(document))
    _check(text, kind, handled=_pure(text, kind)[0] == "ok")


#: Bytes that matter to a JSON parser, and then any byte (invalid UTF-8 included).
_BYTES = st.one_of(st.sampled_from(b'{}[]",:\\0-.eEu \x00\x80\xbf\xc0\xed\xf4\xff'), st.integers(0, 255))


@SETTINGS
@given(documents(), st.data())
def test_corrupted_documents(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    """Flip, drop or insert bytes: the same Structs or the same violations (what the scanner
    accepts, msgspec and the pure path accept too)."""
    kind, document = case
    text = bytearray(json.dumps(document, ensure_ascii=data.draw(st.booleans())).encode())
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        at = data.draw(st.integers(0, len(text)), label="at")
        edit = data.draw(st.sampled_from(("replace", "delete", "insert")), label="edit")
        byte = data.draw(_BYTES, label="byte")
        if edit == "insert":
            text.insert(at, byte)
        elif at < len(text):
            if edit == "delete":
                del text[at]
            else:
                text[at] = byte
    _check(bytes(text), kind)


def test_handles_str_bytearray_and_memoryview() -> None:
    text = '{"type": "response.done", "x": "é😀", "response": {"id": "r", "y": [1, 2.5e-3, true]}}'
    for data in (text, text.encode(), bytearray(text.encode()), memoryview(text.encode())):
        got = _check(data, "event", handled=True)
        assert bytes(got.response.extra["y"]) == b"[1, 2.5e-3, true]"
    # What is not a contiguous buffer is msgspec's to refuse.
    assert _lossless.decode_event_unknown(memoryview(text.encode())[::2]) is None
    assert _lossless.decode_unknown(5, RESPONSE_PLAN) is None


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
    got = _check(b'{"delta":"AAAA","type":"response.audio.delta","event_id":"e","response":{"id":"r"}}', "event",
                 handled=True)
    assert type(got) is bridge.GenericEvent and set(got.extra) == {"delta", "response"}
    _check(b'{"type":"response.done","response":{"__bridge_extra__":{"a":1},"extra":2}}', "event", handled=True)
    _check(b'{"type":5,"x":1}', "event", handled=False)
    _check(b'{"x":1}', "event", handled=False)


def test_strict_mode_sees_the_same_unknown_keys() -> None:
    data = b'{"type":"response.done","x":1,"response":{"output":[{"id":"i","y":2}]}}'
    with pytest.raises(bridge.ValidationError) as fast:
        bridge.decode_event(data, strict=True)
    saved = _accel.decode_unknown, _accel.decode_event_unknown
    _accel.decode_unknown = _accel.decode_event_unknown = None
    try:
        with pytest.raises(bridge.ValidationError) as pure:
            bridge.decode_event(data, strict=True)
    finally:
        _accel.decode_unknown, _accel.decode_event_unknown = saved
    assert fast.value.violations == pure.value.violations
    assert {v.path for v in fast.value.violations} == {"$.x", "$.response.output[0].y"}
