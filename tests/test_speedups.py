"""The compiled accelerator (``bridge._speedups``) against the pure-Python path, byte for byte.

The accelerator writes protobuf bytes straight from the Structs and JSON straight from protobuf
bytes. For every input it must either return exactly what the pure path returns or decline
(``None``), leaving the pure path to produce the result or the ValidationError. These tests hold it
to that on the fixtures, on generated documents (beta and GA shapes with nulls, missing keys,
unknown keys, unknown enum values, any Unicode, extreme numbers), on hand-built Structs holding
values of the wrong type, and on corrupted and non-canonical binary input; and they check that it
does not decline what it is built to handle.

The install builds the extension (``pip install -e .``; CI too), so a missing build fails here.
With ``RTBRIDGE_PURE_PYTHON=1`` the public functions take the pure path, which the tests check;
the comparisons call the extension directly and run either way.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import bridge
from bridge import _accel, convert
from bridge.v1 import fidelity_pb2, realtime_pb2
from tests._pure import pure_path
from tests.strategies import documents, holds_base64_text

DATA = pathlib.Path(__file__).parent / "data"
FIXTURES = sorted(DATA.glob("*/*.json"))
LOG_LINES = [line for line in (DATA / "cli" / "mixed.jsonl").read_bytes().splitlines() if line.strip()]
MESSAGES = {"event": realtime_pb2.ServerEvent, "response": realtime_pb2.RealtimeResponse}
PURE = os.environ.get(_accel.ENV_VAR, "").strip().lower() not in ("", "0", "false", "no")

try:
    from bridge import _speedups
except ImportError as error:  # pragma: no cover - CI builds the extension
    _speedups = None
    MISSING = str(error)
else:
    MISSING = ""

_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")
SETTINGS = settings(
    max_examples=int(os.environ.get("RTBRIDGE_HYPOTHESIS_EXAMPLES", 100)),
    derandomize=_CI,
    database=None if _CI else settings.default.database,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


@pytest.fixture(autouse=True)
def _built() -> None:
    """These tests compare the extension with the pure path: without the extension there is
    nothing to compare, which is a failure (the install builds it; CI too), not a skip."""
    if _speedups is None:
        pytest.fail(f"bridge._speedups is not built ({MISSING}): build it with `pip install -e .`")


# --------------------------------------------------------------------------------- the two paths


_pure_path = pure_path  # (tests/_pure.py)


def _outcome(call: Callable[[], bytes]) -> tuple[Any, ...]:
    """What a conversion did: its bytes, or the violations (or the exception) it raised."""
    try:
        return ("ok", call())
    except bridge.ValidationError as error:
        return ("invalid", error.violations)
    except Exception as error:  # a TypeError for a non-model, say: the same one both ways
        return ("raised", type(error), str(error))


def _pure_binary(obj: Any) -> tuple[Any, ...]:
    return _outcome(lambda: bridge.to_proto(obj).SerializeToString(deterministic=True))


def _pure_json(blob: bytes, kind: str) -> tuple[Any, ...]:
    with _pure_path():
        return _outcome(lambda: bridge.binary_to_json(blob, kind=kind))


def _accelerated_binary(obj: Any) -> tuple[Any, ...]:
    """The accelerator's answer, or the pure path's where it declines (what the dispatch does)."""
    got = _speedups.struct_to_binary(obj)
    return ("ok", got) if got is not None else _pure_binary(obj)


def _accelerated_json(blob: bytes, kind: str) -> tuple[Any, ...]:
    got = _speedups.binary_to_json(blob, kind)
    return ("ok", got) if got is not None else _pure_json(blob, kind)


def _check_model(obj: Any, kind: str) -> None:
    """Both directions for a valid model instance: identical bytes, and never declined (but for
    base64 that is not canonical, whose exact text is the pure path's to keep)."""
    expected = bridge.to_proto(obj).SerializeToString(deterministic=True)
    may_decline = holds_base64_text(obj)
    got = _speedups.struct_to_binary(obj)
    assert got == expected or (got is None and may_decline)
    pure_json = _pure_json(expected, kind)
    assert pure_json[0] == "ok"
    got_json = _speedups.binary_to_json(expected, kind)
    assert got_json == pure_json[1] or (got_json is None and may_decline)


def _check_blob(blob: bytes, kind: str) -> None:
    """Any bytes: the same JSON or the same violations, accelerated or not."""
    assert _accelerated_json(blob, kind) == _pure_json(blob, kind)


def _decode(kind: str, data: Any, strict: bool = False) -> Any:
    return (bridge.decode_event if kind == "event" else bridge.decode_response)(data, strict=strict)


# ------------------------------------------------------------------------------------ the switch


def test_the_accelerator_is_in_use_unless_the_pure_path_is_forced() -> None:
    if PURE:
        assert not _accel.available and _accel.struct_to_binary is None and _accel.binary_to_json is None
        assert _accel.ENV_VAR in _accel.reason
    else:
        module = _speedups
        assert _accel.available and _accel.reason == ""
        assert _accel.struct_to_binary is module.struct_to_binary
        assert _accel.binary_to_json is module.binary_to_json


@pytest.mark.parametrize(("value", "expected"), [("1", False), ("0", True), ("", True)])
def test_the_environment_variable_switches_it(value: str, expected: bool) -> None:
    env = {**os.environ, _accel.ENV_VAR: value}
    script = "import bridge._accel as a; print(a.available, a.struct_to_binary is None)"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60,
                         check=True, cwd=pathlib.Path(__file__).parent.parent).stdout.split()
    assert out == [str(expected), str(not expected)]


def test_the_public_functions_are_the_compiled_fronts_of_their_pure_twins() -> None:
    """Each compiled function takes the name of one pure function (its ``__wrapped__``), in one
    place (the end of bridge.convert); json_to_binary runs the fronted decoder, then the fronted
    writer. Both paths give the same bytes."""
    assert set(convert.FRONTED) == {"decode_event", "decode_client_event", "decode_response", "binary_to_json",
                                    "_write_binary", "json_to_binary"}
    if not _accel.available:  # RTBRIDGE_PURE_PYTHON=1: no front, the pure functions under their names
        assert not [name for name in convert.FRONTED if hasattr(getattr(convert, name), "__wrapped__")]
        return
    data = (DATA / "examples" / "07_beta_wire_response_done_cancelled_partial_audio.json").read_bytes()
    with _pure_path():
        blob = bridge.json_to_binary(data)
        text = bridge.binary_to_json(blob)
        assert not hasattr(bridge.binary_to_json, "__wrapped__")  # the pure twin itself
    assert bridge.json_to_binary(data) == blob and bridge.binary_to_json(blob) == text
    assert bridge.binary_to_json.__wrapped__(blob) == text
    assert convert._write_binary.__wrapped__(bridge.decode_event(data)) == blob


def test_the_pure_functions_never_call_a_compiled_one() -> None:
    """An input the compiled reader declines is read by it once, in its front: the pure twin that
    takes over never asks the compiled functions again (none is called from Python code at all)."""
    from bridge import _decoder

    compiled = {id(f) for f in (_speedups.struct_to_binary, _speedups.binary_to_json, _decoder.decode,
                                _decoder.decode_event, _decoder.json_to_binary)}
    calls: list[str] = []

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "c_call" and id(arg) in compiled:
            calls.append(arg.__name__)

    blob = realtime_pb2.ServerEvent(type="response.done", response=realtime_pb2.RealtimeResponse(id="r"))
    declined = blob.SerializeToString() + b"\x08\x01"  # an unknown field: the compiled reader declines it
    assert _speedups.binary_to_json(declined, "event") is None
    odd = b'{"type":"response.output_audio.delta","delta":"AAA"}'  # not canonical base64: declined too
    sys.setprofile(profile)
    try:
        bridge.binary_to_json(declined)
        bridge.binary_to_json(declined, strict=True)
        bridge.json_to_binary(odd)
        bridge.decode_event(odd)
        with pytest.raises(bridge.ValidationError, match="not canonical base64"):
            bridge.decode_event(odd, strict=True)
    finally:
        sys.setprofile(None)
    assert calls == []
    for name in convert.FRONTED:
        pure = getattr(getattr(convert, name), "__wrapped__", getattr(convert, name))  # (RTBRIDGE_PURE_PYTHON=1)
        assert "_accel" not in pure.__code__.co_names, name


# -------------------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture(path: pathlib.Path) -> None:
    data = path.read_bytes()
    _check_model(bridge.decode_event(data), "event")
    _check_model(bridge.decode_event(data, strict=True), "event")  # strict mode
    _check_model(bridge.decode_event(data).response, "response")


@pytest.mark.parametrize("line", LOG_LINES, ids=range(len(LOG_LINES)))
def test_log_line(line: bytes) -> None:
    """Every event type of a real session log (the generic ones carry all their keys as unknown)."""
    try:
        event = bridge.decode_event(line)
    except bridge.ValidationError:
        return  # the log has deliberately broken lines; they never reach the binary converters
    _check_model(event, "event")


def test_a_large_response_grows_the_buffers_and_widens_lengths() -> None:
    """Over the C stack buffer, and sub-messages whose lengths need two and three varint bytes."""
    event = json.loads((DATA / "examples" / "07_beta_wire_response_done_cancelled_partial_audio.json").read_bytes())
    event["response"]["output"] *= 40
    event["response"]["output"][3]["content"][0]["transcript"] = "é✓😀\n" * 10_000
    _check_model(bridge.decode_event(json.dumps(event)), "event")


def test_strings_are_escaped_as_msgspec_escapes_them() -> None:
    text = "".join(chr(c) for c in range(0x80)) + "\u0080\u07ff\u0800\u2028\u2029\ud7ff\ue000\ufeff\uffff😀\U0010ffff"
    response = bridge.RealtimeResponse(id=text, metadata={text: text}, extra=bridge.Extra({text: b'"x"'}))
    _check_model(response, "response")


@pytest.mark.parametrize("char", ["a", "é", "–", "😀"], ids=["ascii", "latin-1", "bmp", "astral"])
@pytest.mark.parametrize("length", [0, 1, 42, 127, 128, 5000, 70000])
def test_strings_of_every_width_and_length(char: str, length: int) -> None:
    """Strings are encoded from their 1-, 2- or 4-byte code points; lengths needing 1-3 varint bytes."""
    text = (char + "x") * (length // 2) + char * (length % 2)
    _check_model(bridge.RealtimeResponse(id=text, output=[bridge.ConversationItem(name=text)]), "response")


def test_every_character_class_at_every_offset_of_a_word() -> None:
    """Plain text is skipped 8 bytes at a time: an escape or a multi-byte character anywhere in or
    across a word must still be seen."""
    specials = [chr(c) for c in range(0x80)] + ["é", "\u2028", "\uffff", "😀"]
    for char in specials:
        for offset in range(17):
            _check_model(bridge.RealtimeResponse(id="a" * offset + char + "b" * (16 - offset)), "response")


@pytest.mark.parametrize("value", [0.8, 1.0, -0.0, 1e16, 1e22, 1e-7, 5e-324, 1.7976931348623157e308,
                                   0.1 + 0.2, 123456789.123, 3, -2, 2**53])
def test_numbers_in_a_double(value: float) -> None:
    """Floats are formatted as msgspec formats them; JSON integers held exactly are accepted."""
    _check_model(bridge.RealtimeResponse(temperature=value), "response")


@pytest.mark.parametrize("value", [-(2**63), 2**63 - 1, -1, 0, 1, 2**31, -(2**31) - 1])
def test_int64_extremes(value: int) -> None:
    response = bridge.RealtimeResponse(max_output_tokens=value, usage=bridge.Usage(total_tokens=value))
    _check_model(response, "response")


def test_map_entries_are_ordered_as_each_side_orders_them() -> None:
    """Binary: as upb's deterministic serializer, bytewise except that a key comes after the keys it
    is a prefix of ("xy" before "x"). JSON: sorted, as the pure path sorts them."""
    keys = ["x", "", "xyz", "xy", "y", "é", "e", "\U0001f600", "\uffff"]
    _check_model(bridge.RealtimeResponse(metadata={k: k for k in keys}), "response")
    _check_model(bridge.RealtimeResponse(extra=bridge.Extra({k: b"0" for k in keys})), "response")


def test_a_map_of_many_keys_comes_back_in_the_pure_paths_order() -> None:
    metadata = {f"k{i:02}{'é' * (i % 3)}": str(i) for i in range(40)}
    _check_model(bridge.RealtimeResponse(metadata=metadata), "response")
    _check_model(bridge.RealtimeResponse(metadata={"only": ""}), "response")
    _check_model(bridge.RealtimeResponse(metadata={"": "v", "b": "", "a": "x"}), "response")


def _map_entries(*pairs: tuple[str, str]) -> bytes:
    """RealtimeResponse bytes whose metadata map entries are exactly ``pairs``, repeats included."""
    return b"".join(realtime_pb2.RealtimeResponse(metadata={key: value}).SerializeToString() for key, value in pairs)


@pytest.mark.parametrize("pairs", [
    (("a", "1"), ("b", "2")),
    (("b", "2"), ("a", "1")),
    tuple((f"key{i}", str(i)) for i in range(30, 0, -1)),
    (("é", "x"), ("e", "y"), ("", "z"), ("ex", "w")),
], ids=["two", "two-reversed", "thirty", "unicode"])
def test_map_entries_in_any_wire_order_come_back_sorted(pairs: tuple[tuple[str, str], ...]) -> None:
    blob = _map_entries(*pairs)
    _check_blob(blob, "response")
    text = _speedups.binary_to_json(blob, "response")
    assert text is not None and list(msgspec.json.decode(text)["metadata"]) == sorted(k for k, _ in pairs)
    with_invalid_value = _map_entries(*pairs[:-1], (pairs[-1][0], "ok")).replace(b"ok", b"\xff\xfe")
    _check_blob(with_invalid_value, "response")


@pytest.mark.parametrize("pairs", [
    (("a", "1"), ("a", "2")),
    (("a", "1"), ("b", "2"), ("a", "3")),
    (("a", "\u00e9"), ("b", "2"), ("a", "3")),
], ids=["twice", "interleaved", "dropped-value-unicode"])
def test_a_repeated_map_key_is_left_to_the_pure_path(pairs: tuple[tuple[str, str], ...]) -> None:
    """Not what a serializer writes (the runtime keeps the last value): declined, same outcome."""
    blob = _map_entries(*pairs)
    _check_blob(blob, "response")
    assert _speedups.binary_to_json(blob, "response") is None


def test_unknown_keys_and_values_are_kept_and_trimmed_as_the_pure_path_does() -> None:
    extra = bridge.Extra({"z": b" [1, 2] ", "a": b'{"n": 123456789012345678901234567890}', "m": b"null"})
    _check_model(bridge.RealtimeResponse(extra=extra), "response")
    _check_model(bridge.GenericEvent(type="x.y", extra=extra), "event")


# ----------------------------------------------------------------------------- generated documents


def _check_document(kind: str, document: dict[str, Any]) -> None:
    text = json.dumps(document)
    _check_model(_decode(kind, text), kind)
    try:
        strict = _decode(kind, text, strict=True)
    except bridge.ValidationError:
        return
    _check_model(strict, kind)


@SETTINGS
@given(documents())
@example(("response", {"temperature": 1, "voice": {"id": "v"}, "max_output_tokens": "soon", "modalities": ["x", "text"]}))
def test_generated_documents(case: tuple[str, dict[str, Any]]) -> None:
    """Beta and GA documents (tests/strategies.py generates both shapes)."""
    _check_document(*case)


@SETTINGS
@given(documents(), st.data())
def test_corrupted_binary_is_judged_as_the_pure_path_judges_it(case: tuple[str, dict[str, Any]],
                                                               data: st.DataObject) -> None:
    """Bytes flipped, cut or appended in valid protobuf: same JSON or same violations."""
    kind, document = case
    with _pure_path():
        blob = bytearray(bridge.json_to_binary(json.dumps(document), kind=kind))
    edit = data.draw(st.sampled_from(("flip", "cut", "append")), label="edit")
    if edit == "flip" and blob:
        for _ in range(data.draw(st.integers(1, 3), label="flips")):
            blob[data.draw(st.integers(0, len(blob) - 1), label="at")] = data.draw(st.integers(0, 255), label="byte")
    elif edit == "cut":
        del blob[data.draw(st.integers(0, len(blob)), label="at"):]
    else:
        blob += data.draw(st.binary(max_size=6), label="tail")
    _check_blob(bytes(blob), kind)


# ---------------------------------------------------------------------- declined, never guessed


def _fidelity(**fields: Any) -> fidelity_pb2.JsonFidelity:
    return fidelity_pb2.JsonFidelity(**fields)


def _unknown_enum(field: int, value: str, index: int = 0) -> fidelity_pb2.UnknownEnumValue:
    return fidelity_pb2.UnknownEnumValue(field=field, index=index, value=value)


def _response(**fields: Any) -> bytes:
    return realtime_pb2.RealtimeResponse(**fields).SerializeToString()


_R = {f.name: f.number for f in realtime_pb2.RealtimeResponse.DESCRIPTOR.fields}
_VALID = realtime_pb2.ServerEvent(type="response.done", event_id="e", response=realtime_pb2.RealtimeResponse(
    id="r", status=2, modalities=[1, 2], metadata={"a": "b"}, output=[realtime_pb2.ConversationItem(id="i")],
)).SerializeToString(deterministic=True)

#: Binary input a canonical writer does not produce, or that contradicts itself: ``(id, kind, bytes)``.
UNUSUAL_BINARY = [
    ("empty-event", "event", b""),
    ("empty-response", "response", b""),
    ("garbage", "event", b"\xff\xff\xff\xff"),
    ("truncated", "event", _VALID[:-3]),
    ("group-wire-type", "event", b"\x0b\x0c"),
    ("string-not-utf8", "event", b"\x0a\x02\xff\xfe"),
    ("surrogate-in-utf8", "response", b"\x0a\x03\xed\xa0\x80"),
    ("overlong-utf8", "response", b"\x0a\x02\xc0\xaf"),
    ("no-type", "event", realtime_pb2.ServerEvent(event_id="e").SerializeToString()),
    ("generic-with-response", "event",
     realtime_pb2.ServerEvent(type="error", response=realtime_pb2.RealtimeResponse()).SerializeToString()),
    ("unknown-field", "response", _response(id="r") + b"\xc8\x01\x01"),
    ("field-twice-last-wins", "response", _response(id="a") + _response(id="b")),
    ("message-twice-merges", "response", _response(usage=realtime_pb2.Usage(total_tokens=1))
     + _response(usage=realtime_pb2.Usage(input_tokens=2))),
    ("oneof-both-members", "response", _response(voice_name="a") + _response(voice_custom=realtime_pb2.CustomVoice())),
    ("unpacked-enums", "response", b"\x50\x01\x50\x02"),
    ("packed-enums-in-pieces", "response", _response(modalities=[1]) + _response(modalities=[2])),
    ("repeated-interleaved", "response", _response(output=[realtime_pb2.ConversationItem(id="1")]) + _response(id="r")
     + _response(output=[realtime_pb2.ConversationItem(id="2")])),
    ("fields-out-of-order", "response", _response(status=2) + _response(id="r")),
    ("enum-zero-unexplained", "response", _response(status=0)),
    ("enum-number-unknown", "response", _response(status=99)),
    ("enum-beyond-int32", "response", b"\x18\x80\x80\x80\x80\x10"),
    ("bool-not-0-or-1", "response",
     realtime_pb2.ConversationItem(approve=True).SerializeToString().replace(b"\x78\x01", b"\x78\x02")),
    ("int64-varint-too-long", "response", b"\x68" + b"\xff" * 9 + b"\x7f"),
    ("double-nan", "response", _response(temperature=float("nan"))),
    ("double-infinite", "response", _response(temperature=float("inf"))),
    ("double-nan-payload", "response", b"\x61" + bytes.fromhex("010000000000f87f")),
    ("set-and-null", "response", _response(id="r", json_fidelity=_fidelity(null_fields=[_R["id"]]))),
    ("null-twice", "response", _response(json_fidelity=_fidelity(null_fields=[_R["id"], _R["id"]]))),
    ("null-and-empty", "response", _response(json_fidelity=_fidelity(null_fields=[_R["output"]],
                                                                      empty_fields=[_R["output"]]))),
    ("null-unknown-number", "response", _response(json_fidelity=_fidelity(null_fields=[99]))),
    ("empty-scalar", "response", _response(json_fidelity=_fidelity(empty_fields=[_R["id"]]))),
    ("null-for-second-oneof-member", "response", _response(json_fidelity=_fidelity(null_fields=[_R["voice_custom"]]))),
    ("unknown-key-collides", "response", _response(json_fidelity=_fidelity(unknown_keys={"id": b'"x"'}))),
    ("unknown-key-invalid-json", "response", _response(json_fidelity=_fidelity(unknown_keys={"k": b"{"}))),
    ("unknown-key-not-utf8", "response", _response(json_fidelity=_fidelity(unknown_keys={"k": b'"\xff"'}))),
    ("unknown-key-padded", "response", _response(json_fidelity=_fidelity(unknown_keys={"k": b" 1 "}))),
    ("unknown-key-type-of-event", "event", realtime_pb2.ServerEvent(
        type="response.done", json_fidelity=_fidelity(unknown_keys={"type": b'"x"'})).SerializeToString()),
    ("unknown-enum-explains-nothing", "response",
     _response(json_fidelity=_fidelity(unknown_enum_values=[_unknown_enum(_R["status"], "paused")]))),
    ("unknown-enum-for-set-value", "response",
     _response(status=2, json_fidelity=_fidelity(unknown_enum_values=[_unknown_enum(_R["status"], "paused")]))),
    ("unknown-enum-twice", "response", _response(status=0, json_fidelity=_fidelity(
        unknown_enum_values=[_unknown_enum(_R["status"], "a"), _unknown_enum(_R["status"], "b")]))),
    ("unknown-enum-for-string-field", "response",
     _response(json_fidelity=_fidelity(unknown_enum_values=[_unknown_enum(_R["id"], "x")]))),
    ("unknown-enum-is-known", "response", _response(status=0, json_fidelity=_fidelity(
        unknown_enum_values=[_unknown_enum(_R["status"], "completed")]))),
    ("unknown-enum-explained", "response", _response(status=0, modalities=[1, 0], json_fidelity=_fidelity(
        unknown_enum_values=[_unknown_enum(_R["status"], "paused"), _unknown_enum(_R["modalities"], "video", 1)]))),
    ("raw-field-invalid", "response", realtime_pb2.RealtimeResponse(output=[realtime_pb2.ConversationItem(
        tools=[realtime_pb2.McpTool(input_schema=b"{")])]).SerializeToString()),
    ("raw-field-empty", "response", realtime_pb2.RealtimeResponse(output=[realtime_pb2.ConversationItem(
        tools=[realtime_pb2.McpTool(input_schema=b"")])]).SerializeToString()),
    ("map-entry-missing-value", "response", b"\x32\x03\x0a\x01k"),
    ("map-duplicate-keys", "response", b"\x32\x06\x0a\x01k\x12\x011" + b"\x32\x06\x0a\x01k\x12\x012"),
    ("fidelity-empty", "response", _response(json_fidelity=_fidelity())),
    ("valid", "event", _VALID),
]


@pytest.mark.parametrize(("kind", "blob"), [row[1:] for row in UNUSUAL_BINARY], ids=[row[0] for row in UNUSUAL_BINARY])
def test_unusual_binary_is_judged_as_the_pure_path_judges_it(kind: str, blob: bytes) -> None:
    _check_blob(blob, kind)


#: Hand-built Structs the accelerator must leave to the pure path (most are ValidationErrors there).
UNUSUAL_MODELS = [
    ("union-bool", bridge.RealtimeResponse(max_output_tokens=True)),
    ("union-float", bridge.RealtimeResponse(max_output_tokens=1.5)),
    ("str-field-int", bridge.RealtimeResponse(id=1)),
    ("int64-overflow", bridge.RealtimeResponse(usage=bridge.Usage(total_tokens=2**64))),
    ("int64-bool", bridge.RealtimeResponse(usage=bridge.Usage(total_tokens=True))),
    ("double-inexact-int", bridge.RealtimeResponse(temperature=2**53 + 1)),
    ("double-huge-int", bridge.RealtimeResponse(temperature=10**400)),
    ("double-str", bridge.RealtimeResponse(temperature="hot")),
    ("double-nan", bridge.RealtimeResponse(temperature=float("nan"))),
    ("double-infinite", bridge.RealtimeResponse(temperature=float("-inf"))),
    ("lone-surrogate", bridge.RealtimeResponse(id="\ud800")),
    ("lone-surrogate-in-latin-1-text", bridge.RealtimeResponse(id="café" + "\udfff")),
    ("lone-surrogate-in-astral-text", bridge.RealtimeResponse(id="😀" * 100 + "\udc00")),
    ("lone-surrogate-in-a-map", bridge.RealtimeResponse(metadata={"k": "v\ud800"})),
    ("lone-surrogate-in-an-unknown-enum", bridge.RealtimeResponse(status="x\ud800")),
    ("lone-surrogate-in-key", bridge.RealtimeResponse(extra=bridge.Extra({"\udfff": b"1"}))),
    ("enum-not-str", bridge.RealtimeResponse(status=2)),
    ("enum-list-not-str", bridge.RealtimeResponse(modalities=["text", 1])),
    ("list-is-tuple", bridge.RealtimeResponse(modalities=("text",))),
    ("message-of-wrong-class", bridge.RealtimeResponse(usage=bridge.CustomVoice(id="x"))),
    ("list-holding-none", bridge.RealtimeResponse(output=[None])),
    ("map-value-not-str", bridge.RealtimeResponse(metadata={"a": 1})),
    ("map-key-not-str", bridge.RealtimeResponse(metadata={"a": "1", 2: "b"})),
    ("unknown-key-not-str", bridge.RealtimeResponse(extra=bridge.Extra({"a": b"1", 2: b"2"}))),
    ("raw-is-bytes", bridge.McpTool(input_schema=b"{}")),
    ("bool-is-int", bridge.ConversationItem(approve=1)),
    ("not-a-model", bridge.Extra({})),
    ("model-subclass-not-registered", type("Sub", (bridge.CustomVoice,), {})(id="x")),
]


@pytest.mark.parametrize("obj", [row[1] for row in UNUSUAL_MODELS], ids=[row[0] for row in UNUSUAL_MODELS])
def test_unusual_models_are_left_to_the_pure_path(obj: Any) -> None:
    assert _speedups.struct_to_binary(obj) is None
    assert _accelerated_binary(obj) == _pure_binary(obj)


def test_unknown_kind_is_left_to_the_pure_path() -> None:
    assert _speedups.binary_to_json(_VALID, "session") is None
    assert _speedups.binary_to_json("not bytes", "event") is None
    assert _speedups.binary_to_json(bytearray(_VALID), "event") == _speedups.binary_to_json(memoryview(_VALID), "event")
    assert _speedups.binary_to_json(bytearray(_VALID), "event") == _pure_json(_VALID, "event")[1]


def test_kept_json_text_is_checked_and_trimmed_by_the_pure_paths_own_function() -> None:
    """The accelerator checks kept JSON text with the pure path's own function: same trimming."""
    blob = _response(json_fidelity=_fidelity(unknown_keys={"k": b" \t[1,2]\n"}))
    assert _speedups.binary_to_json(blob, "response") == _pure_json(blob, "response")[1] == b'{"k":[1,2]}'
    assert msgspec.json.decode(_speedups.binary_to_json(blob, "response")) == {"k": [1, 2]}


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")], ids=["nan", "inf", "-inf"])
def test_non_finite_doubles_are_declined_in_both_directions(value: float) -> None:
    """JSON has no NaN or infinity; what they become (an error, not ``null``) is the pure path's call."""
    assert _speedups.binary_to_json(_response(temperature=value), "response") is None
    assert _speedups.struct_to_binary(bridge.RealtimeResponse(temperature=value)) is None
