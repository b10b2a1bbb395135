"""The compiled decoder where it meets the rest of the library: the public entry points it takes
over, the errors the pure path reports behind it, what is done with the objects it makes, threads,
the ``RTBRIDGE_PURE_PYTHON`` switch and the CLI.

The contract: every outcome of ``bridge.decode_event`` / ``bridge.decode_response`` (the result, its
class and values, its ``bridge.encode`` bytes; or the ``ValidationError`` with its exact
``violations``; or any other exception's type) is the pure path's: the ``__wrapped__`` function,
with every compiled front out of the way (``tests/_pure.py``). ``tests/test_decoder.py`` and
``tests/test_decoder_hostile.py`` attack the parser; this module attacks the integration.
"""

from __future__ import annotations

import array
import contextlib
import copy
import gc
import inspect
import json
import os
import pathlib
import pickle
import random
import re
import subprocess
import sys
import threading
import typing
from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import bridge
from bridge import _accel, convert
from bridge.models import Extra
from tests._pure import pure_path
from tests.strategies import documents, json_text, strict_violations
from tests.test_decoder import FIXTURES, _same_tree
from tests.test_speedups import SETTINGS

try:
    from bridge import _decoder
except ImportError:  # pragma: no cover - CI builds the extension
    _decoder = None

ROOT = pathlib.Path(__file__).resolve().parent.parent
RTBRIDGE = pathlib.Path(sys.executable).parent / "rtbridge"
TIMEOUT = 120
PUBLIC = {"event": bridge.decode_event, "response": bridge.decode_response}


@pytest.fixture(autouse=True)
def _built() -> None:
    """Without the extension in front of the public functions there is nothing to compare: a
    failure (the install builds it), not a skip."""
    if _decoder is None or not hasattr(bridge.decode_event, "__wrapped__"):
        pytest.fail("bridge._decoder is not built or not in front of bridge.decode_event: `pip install -e .`")


# ------------------------------------------------------------------------------------------ helpers


_pure_path = pure_path  # (tests/_pure.py)


def _result(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """("ok", object), ("invalid", (violations, message, context type, suppressed)) or ("raised", type)."""
    try:
        return "ok", function(*args, **kwargs)
    except bridge.ValidationError as error:
        assert type(error) is bridge.ValidationError
        assert error.args == (str(error),) and error.__cause__ is None
        # what a traceback shows: the same message, and the same exception "during handling" (or none)
        return "invalid", (error.violations, str(error), type(error.__context__), error.__suppress_context__)
    except Exception as error:  # noqa: BLE001 - the type is what is compared
        return "raised", type(error)


def _public(data: Any, kind: str, strict: Any = False) -> tuple[str, Any]:
    return _result(PUBLIC[kind], data, strict=strict)


def _pure(data: Any, kind: str, strict: Any = False) -> tuple[str, Any]:
    with _pure_path():
        return _result(PUBLIC[kind].__wrapped__, data, strict=strict)


def _assert_same(got: tuple[str, Any], expected: tuple[str, Any]) -> None:
    assert got[0] == expected[0], (got, expected)
    if got[0] != "ok":
        assert got[1] == expected[1]
        return
    a, b = got[1], expected[1]
    assert type(a) is type(b)
    assert a == b and b == a
    assert bridge.encode(a) == bridge.encode(b)
    _same_tree(a, b)


def _compare(data: Any, kind: str, strict: Any = False) -> tuple[str, Any]:
    """The public function's outcome, asserted equal to the pure path's."""
    got, expected = _public(data, kind, strict), _pure(data, kind, strict)
    _assert_same(got, expected)
    return got


def _kind_of(data: bytes) -> str:
    return "response" if json.loads(data).get("object") == "realtime.response" else "event"


FIXTURE_DATA = [(path.stem, _kind_of(path.read_bytes()), path.read_bytes()) for path in FIXTURES]


# ---------------------------------------------------------------------------- 1. error reports


#: Values of every JSON type, put in place of any member or item: most are the wrong type where
#: they land, some are unknown enum values or beyond a limit in strict mode.
_WRONG = st.sampled_from([
    5, -1, 0, 2**64, -(2**63) - 1, 1.5, -0.0, 1e300, 0.59, 1.21, "x", "completed", "finished", "", "inf", True,
    False, None, [], [1, "a"], [None], ["text", "smell"], {}, {"a": 1}, {"id": 5}, {"type": "x"}, [{"id": 1}],
    {"k" * 65: "v"}, {f"k{i}": "v" for i in range(17)},
])
_WRONG_BYTE = st.integers(0, 255)


def _slots(value: Any) -> Iterator[tuple[Any, Any]]:
    """(container, key or index) for every member and item of a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield value, key
            yield from _slots(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield value, index
            yield from _slots(item)


@st.composite
def _broken_documents(draw: Callable[..., Any]) -> tuple[str, bytes | str]:
    """A generated document (unknown keys and enum values included) with wrong values put at up to
    four places at any depth, maybe cut short or given an invalid UTF-8 byte, as JSON text; its
    kind sometimes swapped (an event read as a response and the other way round)."""
    kind, document = draw(documents())
    slots = list(_slots(document))
    if slots:
        for _ in range(draw(st.integers(0, 4), label="wrong values")):
            container, key = draw(st.sampled_from(slots))
            container[key] = draw(_WRONG)
    text = draw(json_text(document))
    damage = draw(st.sampled_from(("none", "none", "none", "cut", "utf8", "byte")), label="damage")
    if damage != "none":
        raw = bytearray(text.encode() if isinstance(text, str) else text)
        at = draw(st.integers(0, len(raw)), label="at")
        if damage == "cut":
            del raw[at:]
        else:
            raw.insert(at, draw(st.sampled_from(b"\xff\xc3\xed\x80{}[]\",:\\0-") if damage == "utf8" else _WRONG_BYTE))
        text = bytes(raw)
    if draw(st.integers(0, 4)) == 0:
        kind = "response" if kind == "event" else "event"
    return kind, text


@SETTINGS
@given(_broken_documents())
@example(("response", b'{"status":"finished","x":1,"usage":{"total_tokens":"3","y":[]},"output":[{"status":5}]}'))
@example(("event", b'{"type":"response.done","response":{"temperature":5,"metadata":{"k":1},"voice":{"id":2,"z":0}}}'))
def test_violations_equal_the_pure_paths_in_both_modes(case: tuple[str, bytes | str]) -> None:
    """Wrong types at several depths, unknown keys and enum values, limits, truncation and invalid
    UTF-8, mixed: the same violations (paths and messages, in order) or the same result."""
    kind, data = case
    for strict in (False, True):
        _compare(data, kind, strict)


@SETTINGS
@given(documents(), st.data())
def test_strict_mode_reports_every_violation_the_oracle_expects(case: tuple[str, dict[str, Any]],
                                                                 data: st.DataObject) -> None:
    """The independent oracle of tests/strategies.py: strict mode through the public function
    reports exactly the paths it expects (as the pure path does), in the pure path's order."""
    kind, document = case
    text = data.draw(json_text(document))
    got = _compare(text, kind, True)
    expected = strict_violations(document, kind)
    if got[0] == "ok":
        assert expected == []
    else:
        assert got[0] == "invalid" and sorted({v.path for v in got[1][0]}) == sorted(set(expected))


_INVALID = [
    # wrong types at several depths, and all of them at once
    ("response", b'{"id":5}'),
    ("response", (b'{"id":5,"status":7,"output":[{"id":1,"content":[{"type":2,"text":[]}]}],"usage":{"total_tokens":"x",'
                  b'"input_token_details":{"cached_tokens":1.5,"cached_tokens_details":{"text_tokens":true}}}}')),
    ("response", b'{"output":[{"id":"a"},5,null,{"id":[]},{"content":{}}]}'),
    ("response", b'{"metadata":{"a":1,"b":"ok","c":null},"modalities":["text",1,null],"voice":5}'),
    ("response", b'{"voice":{"id":5,"x":1},"audio":{"output":{"format":{"type":1,"rate":"x"},"voice":[]}}}'),
    ("response", b'{"usage":{"total_tokens":99999999999999999999,"output_tokens":-99999999999999999999}}'),
    ("response", b'{"temperature":"hot","max_output_tokens":1.5,"output":[{"approve":"yes","error":{"code":"x"}}]}'),
    ("event", b'{"type":"response.done","response":5}'),
    ("event", b'{"type":"response.done","event_id":5,"response":{"id":5,"output":[{"status":1}]},"x":1}'),
    ("event", b'{"type":"response.created","response":{"status_details":{"error":{"type":5},"reason":1}}}'),
    ("event", b'{"type":5}'),
    ("event", b'{"type":null,"x":1}'),
    ("event", b'{"x":1}'),
    ("event", b'{"type":"error","event_id":5}'),
    ("event", b'{"type":"response.done","response":{"output":[{"tools":[{"name":1,"input_schema":{"a":[1,2]}}]}]}}'),
    # unknown keys and enum values, limits (strict mode), mixed with wrong types
    ("response", b'{"status":"finished","x":1,"output":[{"role":"robot","y":2,"status":5}],"z":{}}'),
    ("response", b'{"temperature":5,"metadata":{"' + b"k" * 65 + b'":"' + b"v" * 513 + b'"},"modalities":["smell"]}'),
    ("response", b'{"metadata":{' + b",".join(b'"k%d":"v"' % i for i in range(17)) + b'},"temperature":0.5,"x":1}'),
    ("response", (b'{"max_output_tokens":"soon","output_modalities":["text","smell",3],"audio":{"output":'
                  b'{"format":{"type":"audio/mp3","rate":"x"},"w":1}}}')),
    ("response", b'{"status_details":{"type":"done","reason":"bored","error":{"type":"x","extra":1}},"extra":2}'),
    ("event", b'{"type":"response.done","x":1,"response":{"status":"weird","output":[{"id":"i","y":2}]}}'),
    ("event", b'{"type":"response.created","response":{"temperature":-1,"voice":{"id":"v","q":1}},"p":[]}'),
    ("event", b'{"type":"session.created","session":{"x":1},"event_id":"e"}'),
    # a key given twice, the first value beyond the schema (strict: the last value is valid)
    ("response", b'{"status":"x","status":"completed"}'),
    ("response", b'{"temperature":5,"temperature":1,"output":[{"role":"robot","role":"user"}]}'),
    ("response", b'{"metadata":{"k":"' + b"v" * 600 + b'"},"metadata":{}}'),
    ("event", b'{"type":"response.done","response":{"x":1},"response":{"id":"r"}}'),
    ("event", b'{"type":"response.done","response":{"id":"r"},"response":{"id":5}}'),
    # malformed JSON, truncation, trailing data, non-objects
    ("response", b'{"id":"r"'),
    ("response", b'{"id":"r",}'),
    ("response", b'{"id":"r"} {}'),
    ("response", b""),
    ("response", b"   "),
    ("response", b"[]"),
    ("response", b"null"),
    ("response", b'"str"'),
    ("event", b"5"),
    ("event", b'{"type":"response.done","response":{"id":"r","output":[{"id":"i"'),
    ("event", b'{"type":"response.done","response":{"status":"finished","x":1,"output":[1,'),
    ("event", b'{"type":"response.done","response":{"id":"r"}}\x00'),
    ("response", b'\xef\xbb\xbf{"id":"r"}'),  # a byte order mark
    # invalid UTF-8 and lone surrogates, with other violations
    ("response", b'{"id":"\xff","status":"finished","x":1}'),
    ("response", b'{"id":5,"x":"\xc3","status":"finished"}'),
    ("response", b'{"metadata":{"k":"\xed\xa0\x80"},"output":[{"id":5,"\xff":1}]}'),
    ("event", b'{"type":"response.done","response":{"id":"\xff"},"x":"\xfe"}'),
    ("event", b'{"type":"\xff","x":1}'),
    ("response", b'{"id":"\\ud800","status":"finished"}'),
    ("response", b'{"x":"\\udc00","status":5}'),
    ("event", b'{"type":"response.done","response":{"output":[{"content":[{"text":"\\ud83d"}]}]},"y":"\\ude00"}'),
    # limits of the nesting
    ("response", b'{"x":' + b"[" * 70 + b"]" * 70 + b',"status":"finished","id":5}'),
    ("event", b'{"type":"response.done","response":{"output":[{"tools":[{"input_schema":' + b"[" * 5000 + b"]" * 5000
              + b"}]}]}}"),
]


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize(("kind", "data"), _INVALID, ids=lambda v: v if isinstance(v, str) else "")
def test_targeted_invalid_documents(kind: str, data: bytes, strict: bool) -> None:
    other = "response" if kind == "event" else "event"
    for variant in _inputs_of(data):
        _compare(variant, kind, strict)
        _compare(variant, other, strict)


def _inputs_of(data: bytes) -> list[Any]:
    """``data`` as every kind of input the public functions take."""
    out: list[Any] = [data, bytearray(data), memoryview(data)]
    try:
        out.append(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return out


def test_lone_surrogates_in_a_str_argument() -> None:
    """A str that cannot be UTF-8 at all: the decoder declines, the pure path reports it."""
    for text in ('{"id":"\ud800"}', '{"type":"response.done","response":{"x":"\udfff"}}', '{"\ud800":1}'):
        for kind in ("event", "response"):
            for strict in (False, True):
                assert _compare(text, kind, strict)[0] == "invalid"


# ----------------------------------------------------------------------- 2. downstream of decoding


_RAW_REPR = re.compile(r"<msgspec\.Raw object at 0x[0-9a-f]+>")


def _nodes(value: Any) -> Iterator[Any]:
    """Every object of a decoded tree, depth first."""
    yield value
    if isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            yield from _nodes(getattr(value, name))
    elif isinstance(value, Extra):
        for key in value:
            yield key
            yield value[key]
    elif isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _nodes(item)


#: Objects whose reference counts say something: every one is owned by the tree alone.
_OWNED = (msgspec.Struct, Extra, msgspec.Raw, list, dict, float)


def _refcounts(tree: Any) -> list[tuple[type, int]]:
    nodes = list(_nodes(tree))[1:]  # the root: as many references as its callers hold
    return [(type(n), sys.getrefcount(n)) for n in nodes if isinstance(n, _OWNED)]


def _downstream(accelerated: Any, pure: Any, data: Any, kind: str, strict: bool) -> None:
    """Everything done with a decoded object behaves alike for one from the decoder and one from
    the pure path."""
    a, p = accelerated, pure
    # identity of what the tree holds: classes, gc tracking, reference counts
    assert [(type(n), gc.is_tracked(n)) for n in _nodes(a)] == [(type(n), gc.is_tracked(n)) for n in _nodes(p)]
    assert _refcounts(a) == _refcounts(p)
    assert _RAW_REPR.sub("Raw", repr(a)) == _RAW_REPR.sub("Raw", repr(p))
    assert _result(hash, a)[0] == _result(hash, p)[0]
    # the converters
    blob = _result(_proto_bytes, a)
    assert blob == _result(_proto_bytes, p)
    for check in (False, True):
        _assert_messages(_result(bridge.to_proto, a, strict=check), _result(bridge.to_proto, p, strict=check))
    binary = _result(bridge.json_to_binary, data, kind=kind, strict=strict)
    with _pure_path():
        assert binary == _result(bridge.json_to_binary, data, kind=kind, strict=strict)
    assert binary[0] == "ok" and binary == blob
    for check in (False, True):
        back = _result(bridge.binary_to_json, binary[1], kind=kind, strict=check)
        with _pure_path():
            assert back == _result(bridge.binary_to_json, binary[1], kind=kind, strict=check)
        _assert_same(_result(bridge.from_proto, bridge.to_proto(a), strict=check),
                     _result(bridge.from_proto, bridge.to_proto(p), strict=check))
    # pickling: the public classes, equal values
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        pickled = _result(_pickled, a, protocol)
        _assert_same(pickled, _result(_pickled, p, protocol))
        assert pickled[0] == "ok" or protocol < 2  # (protocols 0 and 1 cannot pickle an Extra)
        if pickled[0] == "ok":
            assert type(pickled[1]).__module__ == "bridge.models"
    # copies: the same classes, independent where they should be
    for how in (copy.copy, copy.deepcopy):
        ca, cp = how(a), how(p)
        _assert_same(("ok", ca), ("ok", cp))
        assert ca == a and cp == p
    deep = copy.deepcopy(a)
    for node_a, node_d in zip(_nodes(a), _nodes(deep), strict=True):
        if isinstance(node_a, (list, dict, msgspec.Struct, Extra)):
            assert node_a is not node_d
    # msgspec's own functions
    assert msgspec.structs.astuple(a) == msgspec.structs.astuple(p)
    assert msgspec.structs.asdict(a) == msgspec.structs.asdict(p)
    assert [type(v) for v in msgspec.structs.astuple(a)] == [type(v) for v in msgspec.structs.astuple(p)]
    for name in a.__struct_fields__:
        ra = msgspec.structs.replace(a, **{name: getattr(p, name)})
        rp = msgspec.structs.replace(p, **{name: getattr(a, name)})
        _assert_same(("ok", ra), ("ok", rp))
    assert _result(msgspec.json.encode, a) == _result(msgspec.json.encode, p)
    assert _result(msgspec.to_builtins, a) == _result(msgspec.to_builtins, p)
    # the objects stay alive and intact after a collection (of the young generation, where they
    # are: a full one per example would cost seconds in a process that holds the whole suite)
    gc.collect(0)
    assert bridge.encode(a) == bridge.encode(p)


def _proto_bytes(obj: Any) -> bytes:
    return bridge.to_proto(obj).SerializeToString(deterministic=True)


def _pickled(obj: Any, protocol: int) -> Any:
    return pickle.loads(pickle.dumps(obj, protocol))


def _assert_messages(got: tuple[str, Any], expected: tuple[str, Any]) -> None:
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert type(got[1]) is type(expected[1]) and got[1] == expected[1]
    else:
        assert got[1] == expected[1]


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize(("name", "kind", "data"), FIXTURE_DATA, ids=lambda v: v if isinstance(v, str) else "")
def test_fixtures_downstream(name: str, kind: str, data: bytes, strict: bool) -> None:
    a, p = _compare(data, kind, strict), _pure(data, kind, strict)
    assert a[0] == "ok"
    _downstream(a[1], p[1], data, kind, strict)
    if strict:  # the public class, as the default mode gives it
        public = bridge.decode_event(data) if kind == "event" else bridge.decode_response(data)
        assert type(a[1]) is type(public)
        assert a[1] == public and public == a[1]
        assert type(pickle.loads(pickle.dumps(a[1]))) is type(public)
        assert pickle.dumps(pickle.loads(pickle.dumps(a[1]))) == pickle.dumps(pickle.loads(pickle.dumps(public)))


@SETTINGS
@given(documents(), st.data())
def test_generated_documents_downstream(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    kind, document = case
    text = data.draw(json_text(document))
    for strict in (False, True):
        got = _compare(text, kind, strict)
        if got[0] == "ok":
            _downstream(got[1], _pure(text, kind, strict)[1], text, kind, strict)


def test_unknown_keys_downstream_with_values_of_every_kind() -> None:
    data = (b'{"type":"response.done","x":{"a":[1,2.5,-0.0,1e400,true,null,"\\u00e9\xc3\xa9"]},"response":{"id":"r",'
            b'"output":[{"id":"i","q":123456789012345678901234567890,"content":[{"type":"text","w":"\xf0\x9f\x98\x80"}]}],'
            b'"metadata":{"k":"v"},"voice":{"id":"v","z":[]},"usage":{"total_tokens":3,"y":{}}}}')
    got = _compare(data, "event", False)
    assert got[0] == "ok" and got[1].extra and got[1].response.output[0].extra
    _downstream(got[1], _pure(data, "event")[1], data, "event", False)
    # an unknown key that collides with a known one only when encoded: the same error either way
    collide = b'{"type":"response.done","response":{"id":"r","extra":1}}'
    a, p = _compare(collide, "event"), _pure(collide, "event")
    _downstream(a[1], p[1], collide, "event", False)


def test_nan_set_on_a_decoded_object_is_refused_alike() -> None:
    """A decoded object changed afterwards: encode and to_proto judge it as they judge the pure one."""
    data = FIXTURE_DATA[0][2]
    for strict in (False, True):
        a, p = _compare(data, "event", strict)[1], _pure(data, "event", strict)[1]
        for obj in (a, p):
            obj.response.temperature = float("nan")
        assert _result(bridge.encode, a) == _result(bridge.encode, p)
        assert _result(bridge.encode, a)[0] == "invalid"
        a.response.output, p.response.output = [5], [5]
        assert _result(bridge.to_proto, a) == _result(bridge.to_proto, p)


# -------------------------------------------------------------------------- 3. the entry points


@pytest.mark.parametrize("kind", ["event", "response"])
def test_entry_points_look_like_the_pure_functions(kind: str) -> None:
    function = PUBLIC[kind]
    pure = function.__wrapped__
    assert inspect.isfunction(pure) and pure.__module__ == "bridge.convert"
    assert getattr(bridge, function.__name__) is function is getattr(convert, function.__name__)
    for attribute in ("__name__", "__qualname__", "__module__", "__doc__", "__annotations__", "__kwdefaults__"):
        assert getattr(function, attribute) == getattr(pure, attribute), attribute
    assert function.__doc__ and function.__name__ == f"decode_{kind}"
    assert inspect.signature(function) == inspect.signature(pure)
    parameters = inspect.signature(function).parameters
    assert parameters["strict"].kind is inspect.Parameter.KEYWORD_ONLY and parameters["strict"].default is False
    assert inspect.getdoc(function) == inspect.getdoc(pure)
    assert typing.get_type_hints(function) == typing.get_type_hints(pure)
    assert inspect.getsource(function) == inspect.getsource(pure)
    assert inspect.getmodule(function) is inspect.getmodule(pure) is convert
    assert inspect.unwrap(function) is pure
    assert pickle.loads(pickle.dumps(function)) is function
    assert copy.deepcopy(function) is function


class _Str(str):
    pass


class _Bytes(bytes):
    pass


class _BoolFails:
    def __bool__(self) -> bool:
        raise ZeroDivisionError("no truth here")


class _Truth:
    """Truthy or falsy as told, counting how often it is asked."""

    def __init__(self, value: bool) -> None:
        self.value, self.asked = value, 0

    def __bool__(self) -> bool:
        self.asked += 1
        return self.value


_VALID = {
    "event": b'{"type":"response.done","event_id":"e","response":{"id":"r","status":"completed","x":1}}',
    "response": b'{"id":"r","status":"completed","x":1}',
}
_STRICT_OK = {"event": b'{"type":"response.done","response":{"id":"r","status":"completed"}}',
              "response": b'{"id":"r","status":"completed"}'}


@pytest.mark.parametrize("kind", ["event", "response"])
def test_strict_is_keyword_only_and_any_truth_value(kind: str) -> None:
    function = PUBLIC[kind]
    for data in (_VALID[kind], _STRICT_OK[kind]):
        for args in ((data, True), (data, False), (data, True, True), ()):
            with pytest.raises(TypeError):
                function(*args)
            with pytest.raises(TypeError):
                function.__wrapped__(*args)
        with pytest.raises(TypeError):
            function(data, strict=True, extra=1)
        with pytest.raises(TypeError):
            function(data=data, strict=True, data2=1)
        assert _compare(data, kind, strict=False) == _public(data, kind)
        for strict in (1, 0, "yes", "", None, [], [0], 2.5, 0.0, float("nan"), _Truth(True), _Truth(False)):
            _compare(data, kind, strict)
        # a keyword-given data works like a positional one
        _assert_same(_result(function, data=data), _pure(data, kind))
        _assert_same(_result(function, data=data, strict=1), _pure(data, kind, True))
        # a truth value that fails: its own exception, from either
        assert _public(data, kind, _BoolFails()) == _pure(data, kind, _BoolFails()) == ("raised", ZeroDivisionError)
    # Asked once, as by the pure function.
    for value in (True, False):
        a, p = _Truth(value), _Truth(value)
        _public(_VALID[kind], kind, a), _pure(_VALID[kind], kind, p)
        assert a.asked == p.asked == 1


def _bad_arguments(kind: str) -> list[Any]:
    text = _VALID[kind]
    two_d = memoryview(bytearray(text[: len(text) // 2 * 2])).cast("B", (2, len(text) // 2))
    released = memoryview(text)
    released.release()
    ints = array.array("I")
    ints.frombytes(text + b" " * (-len(text) % 4))
    return [
        5, 5.0, None, [], [1], {}, object(), True, text.decode().split(), (text,), iter(text),
        _Str(text.decode()), _Bytes(text), _Bytes(b"{"), _Str("{"),
        memoryview(text)[::2], memoryview(text)[::-1], memoryview(text)[1:], memoryview(text)[:-1],
        memoryview(array.array("i", [1, 2, 3])), memoryview(ints), ints, memoryview(ints).cast("B"),
        memoryview(text).cast("c"), two_d, released, array.array("u", text.decode()),
        bytearray(), memoryview(b""), b"", "",
    ]


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize("kind", ["event", "response"])
def test_wrong_argument_types_fail_alike(kind: str, strict: bool) -> None:
    for data in _bad_arguments(kind):
        _compare(data, kind, strict)
        for convert_kind in ("event", "response"):
            got = _result(bridge.json_to_binary, data, kind=convert_kind, strict=strict)
            with _pure_path():
                assert got == _result(bridge.json_to_binary, data, kind=convert_kind, strict=strict), data


def test_a_bytearray_changed_between_calls_is_read_afresh() -> None:
    data = bytearray(_VALID["response"])
    first = _compare(data, "response")[1]
    data[data.index(b"completed"):data.index(b"completed") + 9] = b"cancelled"
    second = _compare(data, "response")[1]
    assert (first.status, second.status) == ("completed", "cancelled")
    data[:] = b'{"id":5'
    assert _compare(data, "response")[0] == "invalid"


# ---------------------------------------------------------------------------- 4. concurrency


def _variants(seed: int) -> list[tuple[str, bytes]]:
    """The fixtures with their keys in another order at every level, enum values changed (known and
    unknown ones), unknown keys added and some of them broken: one list a thread."""
    rng = random.Random(seed)
    statuses = ["completed", "incomplete", "in_progress", "cancelled", "failed", "finished", "x"]

    def shuffle(value: Any) -> Any:
        if isinstance(value, dict):
            items = [(k, shuffle(v)) for k, v in value.items()]
            rng.shuffle(items)
            if "status" in value and rng.random() < 0.5:
                items.append(("status", rng.choice(statuses)))
            if rng.random() < 0.2:
                items.insert(rng.randrange(len(items) + 1), (f"x{seed}", [seed, {"k": None}]))
            return dict(items)
        if isinstance(value, list):
            return [shuffle(v) for v in value]
        return value

    out = []
    for _, kind, data in FIXTURE_DATA:
        text = json.dumps(shuffle(json.loads(data)), ensure_ascii=rng.random() < 0.5).encode()
        if rng.random() < 0.15:
            text = text[: rng.randrange(len(text))]
        elif rng.random() < 0.1:
            text = text.replace(b'"id"', b'"id":5,"ID"', 1)
        out.append((kind, text))
    return out


def _signature(outcome: tuple[str, Any]) -> tuple[Any, ...]:
    if outcome[0] == "ok":
        return ("ok", type(outcome[1]), bridge.encode(outcome[1]))
    return outcome


def test_threads_decoding_at_once_get_the_pure_results() -> None:
    threads_count, rounds = 4, 30
    corpora = [_variants(seed) for seed in range(threads_count)]
    expected = [
        [{strict: _signature(_pure(data, kind, strict)) for strict in (False, True)} for kind, data in corpus]
        for corpus in corpora
    ]
    failures: list[Any] = []
    stop = threading.Event()
    start = threading.Barrier(threads_count + 1)

    def work(index: int) -> None:
        start.wait()
        try:
            for round_ in range(rounds):
                strict = bool((round_ + index) % 2)
                for (kind, data), want in zip(corpora[index], expected[index], strict=True):
                    got = _signature(_public(data, kind, strict))
                    if got != want[strict]:
                        failures.append((index, kind, strict, data[:80], got, want[strict]))
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append((index, repr(error)))

    def collect() -> None:
        start.wait()
        while not stop.wait(0.001):
            gc.collect(0)  # the young generation, where the decoders' objects are

    def run() -> None:
        workers = [threading.Thread(target=work, args=(i,)) for i in range(threads_count)]
        collector = threading.Thread(target=collect)
        for thread in (*workers, collector):
            thread.start()
        for thread in workers:
            thread.join(TIMEOUT)
        stop.set()
        collector.join(TIMEOUT)
        assert not any(t.is_alive() for t in (*workers, collector))
        stop.clear()
        start.reset()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    try:
        run()  # warm up: interned strings, learned hints, thread machinery
        gc.collect()
        before = [sys.getrefcount(o) for o in (msgspec.UNSET, None, True, False)]
        run()
        gc.collect()
        after = [sys.getrefcount(o) for o in (msgspec.UNSET, None, True, False)]
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
    assert after == before


class _Finalized:
    """Garbage in a reference cycle, with a finalizer that runs Python code (and may switch threads)
    when a collection finds it: in the middle of a decode, with a collection at every allocation."""

    def __init__(self) -> None:
        self.cycle = self

    def __del__(self) -> None:
        [str(i) for i in range(3)]


def test_collections_at_every_allocation() -> None:
    corpus = _variants(5) + [(kind, data) for _, kind, data in FIXTURE_DATA]
    expected = [{strict: _signature(_pure(data, kind, strict)) for strict in (False, True)} for kind, data in corpus]
    thresholds = gc.get_threshold()
    gc.set_threshold(1, 1, 1)
    try:
        got = []
        for _ in range(3):
            for kind, data in corpus:
                _Finalized()
                got.append({strict: _signature(_public(data, kind, strict)) for strict in (False, True)})
    finally:
        gc.set_threshold(*thresholds)
    assert got == expected * 3


def test_reference_counts_stable_through_the_public_functions() -> None:
    """Results and errors, strict and default, through the public entry points (the compiled
    wrapper, the pure fallback and its calls back into the decoder)."""
    corpus = [(kind, data) for _, kind, data in FIXTURE_DATA] + [(kind, data) for kind, data in _INVALID]
    corpus += _variants(7)

    def once() -> None:
        for kind, data in corpus:
            for strict in (False, True):
                _public(data, kind, strict)
                with contextlib.suppress(Exception):
                    bridge.json_to_binary(data, kind=kind, strict=strict)

    once()
    gc.collect()
    objects = (msgspec.UNSET, None, True, False, "completed", "realtime.response", Extra, msgspec.Raw,
               bridge.RealtimeResponse, bridge.ResponseDoneEvent, bridge.GenericEvent)
    before = [sys.getrefcount(o) for o in objects]
    for _ in range(20):
        once()
    gc.collect()
    assert [sys.getrefcount(o) for o in objects] == before


# ----------------------------------------------------------- 5. RTBRIDGE_PURE_PYTHON=1 in a subprocess


_REPORT = r"""
import inspect, json, pickle, sys
import bridge
from bridge import _accel
inputs = [bytes.fromhex(h) for h in json.load(sys.stdin)]
out = {
    "wrapped": hasattr(bridge.decode_event, "__wrapped__") or hasattr(bridge.decode_response, "__wrapped__"),
    "function": inspect.isfunction(bridge.decode_event) and inspect.isfunction(bridge.decode_response),
    "decoder": _accel.decode is not None or _accel.decode_event is not None,
    "signature": [str(inspect.signature(bridge.decode_event)), str(inspect.signature(bridge.decode_response))],
    "doc": [bridge.decode_event.__doc__, bridge.decode_response.__doc__],
    "results": [],
}
for data in inputs:
    for kind in ("event", "response"):
        for strict in (False, True):
            function = bridge.decode_event if kind == "event" else bridge.decode_response
            try:
                obj = function(data, strict=strict)
            except bridge.ValidationError as error:
                result = ["invalid", [list(v) for v in error.violations]]
            except Exception as error:
                result = ["raised", type(error).__name__]
            else:
                result = ["ok", type(obj).__module__, type(obj).__qualname__, bridge.encode(obj).hex(),
                          bridge.json_to_binary(data, kind=kind, strict=strict).hex(), pickle.dumps(obj).hex()]
            out["results"].append(result)
json.dump(out, sys.stdout)
"""


def _report(pure: bool, inputs: list[bytes]) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != _accel.ENV_VAR}
    if pure:
        env[_accel.ENV_VAR] = "1"
    done = subprocess.run([sys.executable, "-c", _REPORT], input=json.dumps([d.hex() for d in inputs]).encode(),
                          capture_output=True, timeout=TIMEOUT, cwd=ROOT, env=env, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def test_pure_python_switch_gives_the_same_results_in_another_process() -> None:
    inputs = [data for _, _, data in FIXTURE_DATA] + [data for _, data in _INVALID] + [d for _, d in _variants(3)]
    inputs += [json.dumps(json.loads(data), separators=(",", ":"), ensure_ascii=False).encode()
               for _, _, data in FIXTURE_DATA]
    pure, accelerated = _report(True, inputs), _report(False, inputs)
    assert (pure["wrapped"], pure["function"], pure["decoder"]) == (False, True, False)
    assert (accelerated["wrapped"], accelerated["function"], accelerated["decoder"]) == (True, False, True)
    assert pure["signature"] == accelerated["signature"] and pure["doc"] == accelerated["doc"]
    assert len(pure["results"]) == 4 * len(inputs)
    for index, (a, p) in enumerate(zip(accelerated["results"], pure["results"], strict=True)):
        if a[0] == "ok":  # pickles: the same objects (their bytes may share interned strings differently)
            loaded_a, loaded_p = pickle.loads(bytes.fromhex(a.pop())), pickle.loads(bytes.fromhex(p.pop()))
            _assert_same(("ok", loaded_a), ("ok", loaded_p))
            assert type(loaded_a).__module__ == "bridge.models" and bridge.encode(loaded_a).hex() == a[3]
        assert a == p, (inputs[index // 4][:100], index % 4, a, p)
    assert sum(r[0] == "ok" for r in pure["results"]) >= 2 * len(FIXTURE_DATA)  # not all errors


# --------------------------------------------------------------------------------------- 6. CLI


def _log() -> bytes:
    done = next(data for name, kind, data in FIXTURE_DATA if "every_item" in name)
    created = next(data for name, kind, data in FIXTURE_DATA if kind == "event" and "created" in name)
    compact = json.dumps(json.loads(done), separators=(",", ":"), ensure_ascii=False).encode()
    unknown = json.loads(created)
    unknown["x_new"] = {"a": [1, 2.5, None]}
    unknown["response"]["phase"] = "final"
    lines = [
        compact,  # valid
        json.dumps(unknown).encode(),  # unknown keys (strict: invalid)
        b'{"type":"response.done","response":{"status":"finished","temperature":5,"x":1,"output":[{"role":"robot"}]}}',
        compact[: len(compact) // 2],  # malformed: truncated
        b'{"type":"response.audio.delta","event_id":"e","delta":"AAAA"}',  # a generic event
        b"",
        b'{"type":"response.done","response":{"id":5,"usage":{"total_tokens":"3"},"output":[{"status":1}]}}',
        b'{"type":"response.done","response":{"id":"\xff","x":"\xc3"}}',  # invalid UTF-8
        b"[1,2]",
        b'{"type":"response.done","response":{"metadata":{' + b",".join(b'"k%d":"v"' % i for i in range(17)) + b"}}}",
        b'{"\\u0074ype":"response.created","event_id":"e","response":{"\\u0069d":"r","id":"s"}}\r',
        b'{"type":"response.done","response":{"id":"\\ud800"}}',
        b'{"type":"session.created","session":{"x":1}}',
        json.dumps(json.loads(created), indent=1).replace("\n", " ").encode(),
        b'{"type":"response.done","response":{"output":[' + b"[" * 100 + b"]" * 100 + b"]}}",
    ]
    lines += [text for kind, text in _variants(11) if kind == "event"]
    return b"\n".join(lines) + b"\n"


def _rtbridge(pure: bool, *args: Any, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    assert RTBRIDGE.exists(), f"console script missing: {RTBRIDGE} (run `pip install -e .`)"
    env = {k: v for k, v in os.environ.items() if k != _accel.ENV_VAR}
    if pure:
        env[_accel.ENV_VAR] = "1"
    return subprocess.run([str(RTBRIDGE), *map(str, args)], input=b"", capture_output=True, timeout=TIMEOUT, env=env,
                          cwd=cwd, check=False)


_SPEED = re.compile(rb"[0-9.]+ MB in [0-9.]+ s \([0-9.]+ MB/s\)")


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_cli_output_is_byte_identical_with_and_without_the_decoder(tmp_path: pathlib.Path, strict: bool) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(_log())
    flags = ["--strict"] if strict else []
    outputs = {}
    for pure in (False, True):
        run = tmp_path / ("pure" if pure else "fast")
        run.mkdir()  # the same relative names in both runs: the summaries name them
        decoded = _rtbridge(pure, "decode", log, "-o", "log.bin", "--rejects", "rejects.jsonl", *flags, cwd=run)
        on_stderr = _rtbridge(pure, "decode", log, "-o", "quiet.bin", "-q", *flags, cwd=run)
        validated = _rtbridge(pure, "validate", log, "-q", *flags, cwd=run)
        encoded = _rtbridge(pure, "encode", "log.bin", "-o", "back.jsonl", "--rejects", "back.rejects", *flags, cwd=run)
        outputs[pure] = [
            (r.returncode, r.stdout, _SPEED.sub(b"", r.stderr)) for r in (decoded, on_stderr, validated, encoded)
        ] + [(run / name).read_bytes() for name in ("log.bin", "rejects.jsonl", "back.jsonl", "quiet.bin", "back.rejects")]
    assert outputs[False] == outputs[True]
    fast = outputs[False]
    assert fast[0][0] == 1 and fast[4] and fast[5]  # something converted, something rejected
    rejected = [json.loads(line)["line"] for line in fast[5].splitlines()]
    assert {4, 8, 9, 12} <= set(rejected) and (3 in rejected) is strict and (2 in rejected) is strict
