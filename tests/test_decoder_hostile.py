"""Hostile input for the compiled decoder (``bridge._decoder``), judged against the pure path.

Contract under attack: for any input the decoder returns exactly what the pure path returns (equal
Structs of the same classes, values of the same Python types, strings of the same CPython kind,
identical ``bridge.encode`` bytes) or declines (``None``); it never crashes, leaks, reads outside its
input or raises for data. ``tests/test_decoder.py`` holds the broad checks; these go after the
corners: the event ``type`` dispatch, string kinds and UTF-8 next to escapes, the stack/heap
boundary of the unescape buffer, learned key orders and enum hints, number edges, input types,
truncation at every byte, numbers that run into the end of the buffer, and reference counts.
"""

from __future__ import annotations

import array
import json
import math
import pathlib
import struct
import subprocess
import sys
import textwrap

import msgspec
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import bridge
from bridge._schema import RESPONSE_PLAN
from tests.test_decoder import FIXTURES, _check, _decoder, _fast, _pure
from tests.test_speedups import SETTINGS

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _kind_of(data: bytes) -> str:
    return "response" if json.loads(data).get("object") == "realtime.response" else "event"


def _compact(path: pathlib.Path) -> bytes:
    return json.dumps(json.loads(path.read_bytes()), separators=(",", ":"), ensure_ascii=False).encode()


# ------------------------------------------------------------------------------ the event "type"


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize(
    "data",
    [
        # A generic type first, a known one after it: the pure path takes the last (a tagged event).
        b'{"type":"error","type":"response.done"}',
        b'{"type":"error","type":"response.created","response":{"id":"r"}}',
        b'{"type":"error","event_id":"e","type":"response.created","response":{"id":"r", "status":"completed"}}',
        b'{"type":"foo","typ\\u0065":"response.done","response":{"id":"r"}}',
        b'{"type":"foo","type":"response\\u002edone"}',
        # Known first, anything after it; generic twice; type not first; odd type values.
        b'{"type":"response.done","type":"error"}',
        b'{"type":"response.done","typ\\u0065":"response.done"}',
        b'{"type":"foo","type":"bar","x":1}',
        b'{"x":{"type":"response.done"},"type":"error"}',
        b'{"x":1,"event_id":"e","type":"response.done","response":{"id":"r"}}',
        b'{"\\u0074ype":"response.created","event_id":"e"}',
        b'{"type":"response\\u002edone","response":{"id":"r"}}',
        b'{"type":"\\u00e9"}',
        b'{"type":"response.done\\u0000"}',
        b'{"type":"x","type":5}',
        b'{"type":"x","type":null}',
        b'{"type":null}',
        b'{"type":["response.done"]}',
        b'{"Type":"response.done"}',
        b'{}',
    ],
)
def test_event_type_dispatch(data: bytes, strict: bool) -> None:
    """Where the ``type`` comes, how often and how it is written: the same event class as the pure
    path (a ``GenericEvent`` where the pure path makes a ``ResponseDoneEvent`` is a different
    Struct, and its ``response`` stays raw text)."""
    _check(data, "event", strict=strict)


_TYPE_KEYS = st.sampled_from(["type", "typ\\u0065", "\\u0074ype", "event_id", "response", "x"])
_TYPE_VALUES = st.sampled_from(['"response.done"', '"response.created"', '"error"', '"response\\u002edone"', '"x"',
                                "null", "5", '{"id":"r"}', "[]"])


@SETTINGS
@given(st.lists(st.tuples(_TYPE_KEYS, _TYPE_VALUES), min_size=1, max_size=5), st.booleans())
@example([("type", '"error"'), ("type", '"response.done"')], False)
def test_event_type_dispatch_generated(members: list[tuple[str, str]], strict: bool) -> None:
    data = ("{" + ",".join(f'"{key}":{value}' for key, value in members) + "}").encode()
    _check(data, "event", strict=strict)


# ---------------------------------------------------------------------------------------- strings

#: UTF-8 of every width and every edge, escapes of every kind, and invalid bytes.
_PIECES = (
    [b"a", b"abcdefghijklmnop", b"\x7f", b"\xc2\x80", b"\xc3\xa9", b"\xc3\xbf", b"\xc4\x80", b"\xdf\xbf",
     b"\xe0\xa0\x80", b"\xe2\x82\xac", b"\xef\xbf\xbf", b"\xf0\x90\x80\x80", b"\xf4\x8f\xbf\xbf",
     b"\\u0000", b"\\u007f", b"\\u0080", b"\\u00e9", b"\\u00ff", b"\\u0100", b"\\uffff", b"\\ud83d\\ude00",
     b"\\uDBFF\\uDFFF", b"\\n", b'\\"', b"\\\\", b"\\/", b"\\b\\f\\r\\t"],
    [b"\\ud800", b"\\udc00", b"\\ud800\\u0041", b"\x80", b"\xbf", b"\xc0\x80", b"\xc1\xbf", b"\xc3", b"\xe2\x82",
     b"\xed\xa0\x80", b"\xe0\x9f\xbf", b"\xf0\x80\x80\x80", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xff",
     b"\x1f", b"\x00", b'"', b"\\", b"\\u12", b"\\x", b"\\U0041"],
)
_PIECE = st.one_of(st.sampled_from(_PIECES[0]), st.sampled_from(_PIECES[0]), st.sampled_from(_PIECES[1]))

#: Where a string goes: every place that makes a str (value, key, map key and value, enum, the
#: event type) and those that only skip it (unknown values).
_PLACES = [
    (b'{"id":%s}', "response"),
    (b'{"id":"r",%s:1}', "response"),
    (b'{"metadata":{%s:%s}}', "response"),
    (b'{"status":%s,"output":[{"role":%s}],"modalities":[%s]}', "response"),
    (b'{"type":%s,"x":%s}', "event"),
    (b'{"type":"response.done","response":{%s:%s,"id":%s}}', "event"),
    (b'{"id":"r","x":[%s,{"k":%s}]}', "response"),
]


@SETTINGS
@given(st.lists(_PIECE, max_size=80), st.sampled_from(_PLACES), st.booleans())
@example([b"a"] * 15 + [b"\xc4\x80"], (b'{"id":%s}', "response"), False)  # the kind decided at byte 16
@example([b"\xc3\xa9"] * 8 + [b"\\n"] + [b"a"] * 240, (b'{"id":%s}', "response"), False)  # heap buffer
@example([b"\xc3"] + [b"\\u00e9"], (b'{"id":%s}', "response"), False)  # a cut sequence before an escape
def test_strings_from_pieces(pieces: list[bytes], place: tuple[bytes, str], strict: bool) -> None:
    template, kind = place
    data = template.replace(b"%s", b'"' + b"".join(pieces) + b'"')
    _check(data, kind, strict=strict)


@pytest.mark.parametrize("size", [250, 254, 255, 256, 257, 258, 511, 1000])
@pytest.mark.parametrize("unit", [b"a", b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80"], ids=["1", "2", "3", "4"])
def test_escaped_strings_around_the_stack_buffer(size: int, unit: bytes) -> None:
    """Escaped strings whose raw size is around the 256-byte stack buffer, with the escape first,
    last, or everywhere, in every place a str is made."""
    body = (unit * size)[:size]
    for text in (b"\\n" + body, body + b"\\u00e9", body + b"\\ud83d\\ude00", b"\\u0000" * (size // 6), body + b"\\\\"):
        for template, kind in _PLACES[:3] + _PLACES[4:5]:
            got = _check(template.replace(b"%s", b'"' + text + b'"'), kind)
            if got is not None and template == _PLACES[0][0]:
                assert got.id == json.loads(b'"' + text + b'"')


# ---------------------------------------------------------------------------------------- numbers

_NUMBER = msgspec.json.Decoder(int | float)


def _finite(bits: int) -> float | None:
    value = struct.unpack("<d", bits.to_bytes(8, "little"))[0]
    return value if math.isfinite(value) else None


@SETTINGS
@given(
    st.one_of(
        st.integers(0, 2**64 - 1).map(_finite).filter(lambda v: v is not None).flatmap(
            lambda v: st.sampled_from([repr(v), f"{v:.17e}", f"{v:.16e}", f"{v:.25e}", f"{v:.40g}"])),
        st.from_regex(r"\A-?(0|[1-9][0-9]{0,45})(\.[0-9]{1,45})?([eE][-+]?0{0,5}[0-9]{1,3})?\Z"),
    )
)
@example("9223372036854775807")
@example("-9223372036854775808")
@example("9223372036854775808")
@example("1844674407370955161")
@example("18446744073709551615")
@example("2.4703282292062327e-324")
@example("2.4703282292062328e-324")
@example("1.7976931348623158e308")
@example("0.000000000000000000000000000000000000000000001e45")
@example("100000000000000000000000000000000000000000000e-44")
@example("9007199254740993")
@example("9007199254740993e0")
@example("1e-0000022")
def test_temperature_is_bit_identical_to_msgspec(number: str) -> None:
    """``temperature`` (int | float): the decoder's value is msgspec's, type and bits, or it declines."""
    got = _fast(f'{{"temperature":{number}}}'.encode(), "response")
    try:
        expected = _NUMBER.decode(number.encode())
    except msgspec.ValidationError:
        expected = None
    if got is None:
        return
    assert expected is not None
    assert type(got.temperature) is type(expected)
    if type(expected) is float:
        assert struct.pack("<d", got.temperature) == struct.pack("<d", expected)
    else:
        assert got.temperature == expected


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize(
    "number",
    ["0.6", "0.59999999999999998", "0.5999999999999999", "1.2", "1.2000000000000002", "1.19999999999999996", "1",
     "2", "0", "-0", "-0.0", "6e-1", "12e-1", "0.6e0", "120e-2", "1.0", "1e0", "true", "null", '"1"'],
)
def test_temperature_limits(number: str, strict: bool) -> None:
    _check(f'{{"temperature":{number}}}'.encode(), "response", strict=strict)


# ------------------------------------------------------------------------------- keys and enums


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_learned_key_order_and_enum_hints_are_only_hints(strict: bool) -> None:
    """Teach the tables an order (and the enums a last value), then send near misses of it."""
    documents = [
        b'{"id":"r","object":"realtime.response","status":"completed"}',
        b'{"id":"r","objects":1,"status":"x"}',
        b'{"id":"r","obj":1}',
        b'{"id":"r","object\\"":1}',
        b'{"id":"r","objec":1,"object":"a"}',
        b'{"id":"r","Object":1}',
        b'{"status":"completed","id":"r","object":"o"}',
        b'{"id":"r","object":"realtime.response","status":"completed "}',
        b'{"id":"r","object":"realtime.response","status":"complete"}',
        b'{"id":"r","object":"realtime.response","status":"completed\\u0000"}',
        b'{"id":"r","object":"realtime.response","status":"completed"',
        b'{"status":"\\u0063ompleted"}',
        (b'{"status":"in_progress","output":[{"status":"in_progress","role":"assistant"},{"status":"completed",'
         b'"role":"user"},{"status":"cancelled","role":"system"},{"status":"cancelled","role":"systemx"}]}'),
        b'{"modalities":["text","audio","text","audi","\\u0074ext"]}',
        b'{"max_output_tokens":"inf"}',
        b'{"max_output_tokens":"in"}',
        b'{"max_output_tokens":"\\u0069nf"}',
        b'{"max_output_tokens":9223372036854775807}',
    ]
    for _ in range(2):
        for data in documents:
            _check(data, "response", strict=strict)


@pytest.mark.parametrize(
    "data",
    [
        b'{"id":"a","\\u0069d":"b"}',
        b'{"\\u0069d":"a","id":"b","x":1,"\\u0078":2}',
        b'{"id":"r","x":1,"y":2,"x":3,"y":4,"x":5}',
        b'{"usage":{"total_tokens":1},"usage":null}',
        b'{"usage":null,"usage":{"total_tokens":1}}',
        b'{"output":[],"output":[{"id":"i"}],"id":"r"}',
        b'{"metadata":{"k":"v","k":"w","j":"x"},"metadata":{"a":"b"}}',
        b'{"output":[{"tools":[{"input_schema":{"a" : [1 , 2]} ,"input_schema": null}]}]}',
        b'{"__bridge_extra__":1,"extra":2,"__bridge_extra__":3}',
        b'{"id":"r","":1,"":2}',
        b'{"id":"r","\\u0000":1}',
        b'{"id":"r","voice":"alloy","voice":{"id":"v"}}',
        b'{"id":"r","voice":{"id":"v"},"voice":"alloy"}',
    ],
)
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_duplicate_and_escaped_keys(data: bytes, strict: bool) -> None:
    _check(data, "response", strict=strict)


@pytest.mark.parametrize(
    "data",
    [
        b'{"metadata":{"' + "\U0001f600".encode() * 64 + b'":"v"}}',
        b'{"metadata":{"' + "\U0001f600".encode() * 65 + b'":"v"}}',
        b'{"metadata":{"k":"' + "\U0001f600".encode() * 512 + b'"}}',
        b'{"metadata":{"k":"' + "\U0001f600".encode() * 513 + b'"}}',
        b'{"metadata":{"k":"' + b"\\u00e9" * 512 + b'"}}',
        b'{"metadata":{"k":"' + b"x" * 600 + b'","k":"v"}}',
        b'{"metadata":{' + b",".join(b'"k%d":"v"' % i for i in range(16)) + b"}}",
        b'{"metadata":{' + b",".join(b'"k%d":"v"' % (i % 16) for i in range(40)) + b"}}",
        b'{"metadata":{"k":1}}',
        b'{"metadata":{"k":null}}',
        b'{"metadata":[]}',
    ],
)
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_metadata_limits(data: bytes, strict: bool) -> None:
    _check(data, "response", strict=strict)


# ------------------------------------------------------------------------------------ input types


class _Str(str):
    pass


class _Bytes(bytes):
    pass


def test_str_subclass_is_judged_as_the_pure_path_judges_it() -> None:
    """msgspec refuses a str subclass with a TypeError; the decoder must not decode what the pure
    path refuses (the public function would answer where the pure one raises)."""
    for text, decode in (('{"type":"response.done","response":{"id":"r"}}', bridge.decode_event),
                         ('{"id":"r"}', bridge.decode_response)):
        with pytest.raises(TypeError):
            decode.__wrapped__(_Str(text))
        with pytest.raises(TypeError):
            decode(_Str(text))


def test_other_buffers() -> None:
    text = b'{"type":"response.done","response":{"id":"r","x":[1]}} '
    for data in (_Bytes(text), array.array("b", text), array.array("B", text), bytearray(text),
                 memoryview(bytearray(text)), memoryview(text + b" " * (-len(text) % 4)).cast("i"), memoryview(text)[:-1]):
        _check(data, "event")
    for data in ("\ud800", '{"type":"x","y":"\ud800"}', '{"type":"x","\ud800":1}'):
        _check(data, "event", handled=False)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_views_never_read_past_their_end(path: pathlib.Path) -> None:
    """A memoryview ending where the document ends, over bytes that go on: what follows is never
    part of the document."""
    data = _compact(path)
    expected = _fast(data, _kind_of(data))
    for tail in (b"0", b"1e5", b'"', b"}", b"\x80", b",\"x\":1}"):
        view = memoryview(data + tail)[: len(data)]
        got = _check(view, _kind_of(data), handled=True)
        assert bridge.encode(got) == bridge.encode(expected)
        for cut in range(len(data) - 40, len(data)):
            _check(memoryview(data + tail)[:cut], _kind_of(data), handled=False)


_GUARD_PAGE = textwrap.dedent(
    """
    import ctypes, mmap, sys
    from bridge import _decoder
    from bridge._schema import RESPONSE_PLAN
    page = mmap.PAGESIZE
    memory = mmap.mmap(-1, 2 * page)
    address = ctypes.addressof((ctypes.c_char * (2 * page)).from_buffer(memory))
    doc = sys.argv[1].encode()
    memory[page - len(doc):page] = doc
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    assert libc.mprotect(address + page, page, 0) == 0  # PROT_NONE: a read past the document faults
    view = memoryview(memory)[page - len(doc):page]
    print(_decoder.decode(view, RESPONSE_PLAN, False), _decoder.decode_event(view, False))
    """
)


@pytest.mark.parametrize(
    "document",
    [
        '{"temperature":1.000000000000000000000001',  # many digits: CPython's parser runs on
        '{"temperature":0.12345678901234567890123456789e5',
        '{"temperature":1e5',
        '{"temperature":123456789012345678901234',
        '{"id":"abc',
        '{"id":"\\u00e9',
        '{"status":"complete',
        '{"id":"r","x":tru',
    ],
)
def test_documents_cut_at_a_guard_page(document: str) -> None:
    """A truncated document at the very end of readable memory: declined, never a fault."""
    result = subprocess.run([sys.executable, "-c", _GUARD_PAGE, document], check=False, cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert result.stdout.split() == ["None", "None"]


# --------------------------------------------------------------------- truncation and whitespace


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_every_truncation_and_every_whitespace(path: pathlib.Path) -> None:
    data = _compact(path)
    kind = _kind_of(data)
    for cut in range(len(data)):
        assert _fast(data[:cut], kind) is None and _fast(data[:cut], kind, True) is None
        assert _pure(data[:cut], kind)[0] == "invalid"
    for at in range(0, len(data) + 1, 3):
        _check(data[:at] + b" \t\n\r" + data[at:], kind)
        _check(data[:at] + b"\x0c" + data[at:], kind)


# ------------------------------------------------------------------------------ reference counts


def test_reference_counts_on_the_attack_corpus() -> None:
    corpus = [_compact(path) for path in FIXTURES]
    corpus += [c[:k] for c in corpus[:4] for k in range(0, len(c), 11)]
    corpus += [
        b'{"type":"error","type":"response.done","x":1}',
        b'{"id":"a","id":"b","x":1,"x":2,"usage":{"total_tokens":1},"usage":{"total_tokens":2}}',
        b'{"metadata":{"k":"v","k":"w"},"metadata":{"a":"b"}}',
        b'{"output":[{"content":[{"type":"text"}],"content":null}]}',
        b'{"id":"r","\\u0078":1,"\\u0078":[2]}',
        b'{"status":"\\u0063ompleted","temperature":0.5}',
        b'{"id":"' + b"\\n" * 300 + b'","x":"\xff"}',
    ]

    def run() -> None:
        for data in corpus:
            for strict in (False, True):
                _decoder.decode_event(data, strict)
                _decoder.decode(data, RESPONSE_PLAN, strict)
                _decoder.decode(bytearray(data), RESPONSE_PLAN, strict)

    run()
    watched = [msgspec.UNSET, None, True, False, "completed", "response.done", "text", "inf"]
    before = [sys.getrefcount(o) for o in watched]
    for _ in range(30):
        run()
    assert [sys.getrefcount(o) for o in watched] == before


def test_decoded_values_are_owned_not_borrowed() -> None:
    """Results outlive their input (no pointers into it) and hold their own references."""
    text = b'{"type":"response.done","response":{"id":"r","status":"completed","x":[1],"metadata":{"k":"v"}}}'
    data = bytearray(text)
    got = _decoder.decode_event(data, False)
    data[:] = b"x" * len(data)
    del data
    assert bridge.encode(got) == _pure(text, "event")[3]
    assert isinstance(got.response.extra["x"], msgspec.Raw)

