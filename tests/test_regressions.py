"""Inputs that once broke the bridge, kept forever, each with the behaviour it must have now.

Every input a fuzzer, a property test or a review ever found goes here (or, for the coverage-guided
fuzzer, into ``fuzz/regressions/``), so that a bug fixed once stays fixed whatever Hypothesis
happens to generate. Each case runs through the public functions in the compiled and the pure path
(``RTBRIDGE_PURE_PYTHON=1`` in a second process), in both modes: both must give the same outcome,
and bad input must be a :class:`bridge.ValidationError`, never another exception.
"""

from __future__ import annotations

import inspect
import json
import os
import pathlib
import subprocess
import sys
import textwrap
from typing import Any

import pytest

import bridge
from bridge import _accel
from bridge._guards import MAX_DEPTH, TOO_DEEP
from bridge.v1 import fidelity_pb2, realtime_pb2

ROOT = pathlib.Path(__file__).resolve().parent.parent
TIMEOUT = 120


def _violations(call: Any, *, with_kind: bool = False) -> list[tuple[str, ...]]:
    with pytest.raises(bridge.ValidationError) as caught:
        call()
    return [tuple(v) if with_kind else (v.path, v.message) for v in caught.value.violations]


# ---------------------------------------------------------- invalid UTF-8 where the fast path fails
# msgspec 0.23 reports invalid UTF-8 as a DecodeError (before: UnicodeDecodeError), which escaped
# from the lossless path of any document the fast path had refused (an unknown key, an event type
# without a Struct of its own, a type error elsewhere).

BAD_UTF8 = [
    # (kind, document, the violations it must give)
    ("event", b'{"type":"x","event_id":"\x80"}', [("$.event_id", "invalid UTF-8")]),
    ("response", b'{"x":1,"id":"\x80"}', [("$.id", "invalid UTF-8")]),
    ("response", b'{"x":1,"metadata":{"a":"\xff"}}', [("$.metadata.a", "invalid UTF-8")]),
    ("event", b'{"type": "rate_limits.updated", "event_id": "\x80vent_10"}', [("$.event_id", "invalid UTF-8")]),
    ("response", b'{"x":1,"modalities":["text","\xc3"]}', [("$.modalities[1]", "invalid UTF-8")]),
    ("response", b'{"x":1,"voice":"\xfe"}', [("$.voice", "invalid UTF-8")]),
    ("response", b'{"x":1,"voice":{"id":"\xfe"}}', [("$.voice.id", "invalid UTF-8")]),
    ("response", b'{"x":1,"output":[{"id":"ok"},{"id":"\xff"}]}', [("$.output[1].id", "invalid UTF-8")]),
    ("response", b'{"x":1,"output":[{"content":[{"text":"\xed\xa0\x80"}]}]}',
     [("$.output[0].content[0].text", "invalid UTF-8")]),
    ("response", b'{"x":1,"status_details":{"error":{"type":"\x80"}}}', [("$.status_details.error.type", "invalid UTF-8")]),
    ("event", b'{"type":"response.done","x":1,"response":{"id":"\x80"}}', [("$.response.id", "invalid UTF-8")]),
    ("event", b'{"type":"\xff","x":1}', [("$.type", "invalid UTF-8")]),
    ("response", b'{"id":"r","future":"\xff"}', [("$.future", "invalid UTF-8")]),
    ("response", b'{"id":5,"x":"\xc3","status":"finished"}', None),  # with a type error beside it
    # Raw JSON fields (an MCP tool's schema and annotations): msgspec's fast decoder accepts the
    # document and keeps the text unchecked, so binary_to_json refused what json_to_binary wrote.
    ("event", b'{"type":"response.done","response":{"output":[{"type":"mcp_list_tools","tools":'
              b'[{"name":"t","annotations":{"a":"\xff"}}]}]}}',
     [("$.response.output[0].tools[0].annotations", "invalid UTF-8")]),
    ("response", b'{"output":[{"tools":[{"input_schema":"\xff"}]}]}', [("$.output[0].tools[0].input_schema", "invalid UTF-8")]),
    ("response", b'{"output":[{"tools":[{"name":"ok"},{"input_schema":["\xc3"]}]}]}',
     [("$.output[0].tools[1].input_schema", "invalid UTF-8")]),
    ("response", b'{"x":1,"output":[{"tools":[{"input_schema":{"\xc3":1}}]}]}',
     [("$.output[0].tools[0].input_schema", "invalid UTF-8")]),
]


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize(("kind", "data", "expected"), BAD_UTF8)
def test_invalid_utf8_is_a_validation_error_at_its_path(kind: str, data: bytes, expected: Any, strict: bool) -> None:
    decode = bridge.decode_event if kind == "event" else bridge.decode_response
    for call in (lambda: decode(data, strict=strict), lambda: bridge.json_to_binary(data, kind=kind, strict=strict)):
        found = _violations(call)
        if expected is not None and not strict:
            assert found == expected
        assert any(message == "invalid UTF-8" for _, message in found), found


#: Inputs Hypothesis found, as it printed them, kept as data (tests/data/regressions/).
FOUND = [
    (case["kind"], bytes.fromhex(case["hex"]))
    for case in map(json.loads, (ROOT / "tests" / "data" / "regressions" / "corrupted_json.jsonl").read_text().splitlines())
]


@pytest.mark.parametrize(("kind", "data"), FOUND, ids=[f"found-{i}" for i in range(len(FOUND))])
def test_inputs_hypothesis_found_are_rejected_or_carried(kind: str, data: bytes) -> None:
    """What tests/test_properties.py::test_corrupted_json_is_rejected_or_carried asks of them."""
    for strict in (False, True):
        try:
            blob = bridge.json_to_binary(data, kind=kind, strict=strict)
        except bridge.ValidationError as error:
            assert error.violations and all(v.path.startswith("$") for v in error.violations)
        else:
            json.loads(bridge.binary_to_json(blob, kind=kind))


#: Invalid UTF-8 in the value of a key that is given again later in its object: the later value
#: replaces it unread, but the document is still not UTF-8 (test_fuzz found the first, in a client
#: event; the others put it in a typed string, in a raw field and at the top level).
REPLACED = [
    ("client_event", FOUND[-1][1], 301),
    ("event", b'{"type":"response.text.delta","delta":"\xc3_","delta":"ok"}', 39),
    ("event", b'{"type":"response.done","response":{"metadata":{"a":"\xc3"},"metadata":{"a":"b"}}}', 53),
    ("event", b'{"type":"x","a":"\xff","a":1}', 17),
]


@pytest.mark.parametrize(("kind", "data", "at"), REPLACED)
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_invalid_utf8_in_a_replaced_value_is_rejected(kind: str, data: bytes, at: int, strict: bool) -> None:
    expected = (("$", f"invalid UTF-8 at byte {at}, in the value of a key given again later", "invalid_text"),)
    for call in (bridge.json_to_binary, getattr(bridge.json_to_binary, "__wrapped__", bridge.json_to_binary)):
        with pytest.raises(bridge.ValidationError) as caught:
            call(data, kind=kind, strict=strict)  # type: ignore[operator]
        assert tuple(map(tuple, caught.value.violations)) == expected


# ------------------------------------------------------------------------ lone surrogate escapes


@pytest.mark.parametrize(
    ("data", "escape"),
    [
        (b'{"type":"x","event_id":"\\ud800"}', "\\ud800"),
        (b'{"type":"x","a":"\\udc00"}', "\\udc00"),
        (b'{"type":"x","a":"\\ud800\\u0041"}', "\\ud800"),
        (b'{"\\ud83d":1,"type":"x"}', "\\ud83d"),
        (b'{"type":"x","a":"\\\\\\ud800"}', "\\ud800"),  # an escaped backslash, then the escape
    ],
)
def test_a_lone_surrogate_escape_is_named(data: bytes, escape: str) -> None:
    for strict in (False, True):
        found = _violations(lambda: bridge.decode_event(data, strict=strict))
        assert found == [("$", f"lone surrogate escape {escape} (half of a UTF-16 pair is not Unicode)")]


def test_a_surrogate_pair_and_an_escaped_backslash_are_not_lone() -> None:
    event = bridge.decode_event(b'{"type":"x","event_id":"\\ud83d\\ude00 \\\\ud800"}')
    assert event.event_id == "\U0001f600 \\ud800"


def test_truncated_json_is_still_truncated() -> None:
    assert _violations(lambda: bridge.decode_event(b'{"type":"x","event_id":"abc')) == [
        ("$", "Input data was truncated")
    ]


# ---------------------------------------------------------------------------------- the nesting


def _nested(depth: int, where: str = "$.response.x") -> bytes:
    """A response.done event whose document nests exactly ``depth`` levels, through an unknown key
    at ``$.response.x`` (the event and the response are the first two levels)."""
    inner = depth - 2
    return b'{"type":"response.done","response":{"x":' + b"[" * inner + b"]" * inner + b"}}"


def test_max_depth_is_the_documented_limit() -> None:
    assert bridge.MAX_DEPTH == MAX_DEPTH == 256
    assert str(MAX_DEPTH) in TOO_DEEP


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_nesting_up_to_the_limit_is_carried_and_one_more_is_refused(strict: bool) -> None:
    deepest, too_deep = _nested(MAX_DEPTH), _nested(MAX_DEPTH + 1)
    if not strict:  # strict mode refuses the unknown key
        blob = bridge.json_to_binary(deepest)
        assert json.loads(bridge.binary_to_json(blob)) == json.loads(deepest)
    for call in (bridge.decode_event, bridge.json_to_binary):
        assert _violations(lambda: call(too_deep, strict=strict)) == [("$", TOO_DEEP)]
    def generic(depth: int) -> bytes:  # a GenericEvent: every key is kept as raw text
        return b'{"type":"future.created","session":' + b'{"a":' * (depth - 1) + b"1" + b"}" * depth
    assert type(bridge.decode_event(generic(MAX_DEPTH), strict=strict)) is bridge.GenericEvent
    assert _violations(lambda: bridge.decode_event(generic(MAX_DEPTH + 1), strict=strict)) == [("$", TOO_DEEP)]


def test_a_deep_caller_stack_does_not_change_the_verdict() -> None:
    """How deep a document may nest does not depend on how deep the caller's stack is."""
    deepest, too_deep = _nested(MAX_DEPTH), _nested(MAX_DEPTH + 1)
    expected = bridge.json_to_binary(deepest)
    limit = sys.getrecursionlimit()

    def at_depth(depth: int, call: Any) -> Any:
        return call() if depth == 0 else at_depth(depth - 1, call)

    for room in (40, 150, 300):  # frames left free below the recursion limit
        depth = limit - room - len(_stack())
        assert at_depth(depth, lambda: bridge.json_to_binary(deepest)) == expected
        assert at_depth(depth, lambda: bridge.binary_to_json(expected)) == bridge.encode(bridge.decode_event(deepest))
        assert at_depth(depth, lambda: _violations(lambda: bridge.json_to_binary(too_deep))) == [("$", TOO_DEEP)]
        assert at_depth(depth, lambda: bridge.decode_response(b'{"x":' + b"[" * 255 + b"]" * 255 + b"}")).extra


def _stack() -> list[Any]:
    return inspect.stack(0)


def _fidelity_event(key_value: bytes) -> bytes:
    """A ServerEvent whose response carries one unknown key with ``key_value`` as its JSON text."""
    fidelity = fidelity_pb2.JsonFidelity(unknown_keys={"x": key_value})
    return realtime_pb2.ServerEvent(type="response.done", response=realtime_pb2.RealtimeResponse(json_fidelity=fidelity)
                                    ).SerializeToString()


def test_json_text_in_binary_input_has_the_same_limit_where_it_stands() -> None:
    ok = _fidelity_event(b"[" * (MAX_DEPTH - 2) + b"]" * (MAX_DEPTH - 2))
    assert bridge.binary_to_json(ok) == _nested(MAX_DEPTH)
    deep = _fidelity_event(b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1))
    assert _violations(lambda: bridge.binary_to_json(deep)) == [("$.response.x", TOO_DEEP)]


# ------------------------------------------------------------------------ the compiled protobuf reader


@pytest.mark.parametrize(
    "blob",
    [
        b"\x8a\x80\x80\x80\x80\x00\x01x",  # the tag of `type` in six bytes
        b"\x0a\x81\x80\x80\x80\x80\x00x",  # its length in six bytes
        b"\x0a\x81\x80\x80\x80\x80\x80\x80\x80\x80\x00x",  # ... in ten
        b"\x8a\x80\x80\x80\x10\x01x",  # a tag beyond 32 bits
    ],
)
def test_varints_longer_than_upb_reads_are_malformed(blob: bytes) -> None:
    found = _violations(lambda: bridge.binary_to_json(blob))
    assert len(found) == 1 and found[0][0] == "$" and found[0][1].startswith("malformed protobuf")


def test_five_byte_tags_and_lengths_are_read() -> None:
    assert bridge.binary_to_json(b"\x8a\x80\x80\x80\x00\x01x") == b'{"type":"x"}'
    assert bridge.binary_to_json(b"\x0a\x81\x80\x80\x80\x00x") == b'{"type":"x"}'


def _strided(data: bytes) -> memoryview:
    spread = memoryview(bytes(b for byte in data for b in (byte, 0)))[::2]
    assert not spread.contiguous and spread.tobytes() == data
    return spread


def test_a_non_contiguous_memoryview_is_read() -> None:
    text = b'{"type":"response.done","event_id":"e","response":{"id":"r"}}'
    blob = bridge.json_to_binary(text)
    assert bridge.binary_to_json(_strided(blob)) == bridge.binary_to_json(blob)
    for strict in (False, True):
        assert bridge.json_to_binary(_strided(text), strict=strict) == blob
        assert bridge.decode_event(_strided(text), strict=strict) == bridge.decode_event(text)
        assert bridge.decode_response(_strided(b'{"id":"r"}'), strict=strict).id == "r"
        generic = b'{"type":"x","event_id":"e"}'
        assert bridge.decode_event(_strided(generic), strict=strict) == bridge.decode_event(generic)


# --------------------------------------------------------------- Python code run while writing

_MUTATE = textwrap.dedent(
    """
    import gc, sys
    import bridge
    from bridge import _accel
    at = int(sys.argv[1])
    doc = (b'{"type":"response.done","response":{"id":"r","output":['
           + b",".join(b'{"id":"i%d","type":"message","role":"r%d","content":[{"type":"text","text":"%s"}]}'
                       % (i, i, b"x" * 200) for i in range(50))
           + b'],"modalities":["text","smell"]}}')
    event = bridge.decode_event(doc)
    output = event.response.output
    seen = 0
    def callback(phase, info):
        global seen
        if phase == "start":
            seen += 1
            if seen == at:
                output.clear()  # the list being written loses every item ...
                event.response = None  # ... and the response its last reference
    gc.callbacks.append(callback)
    gc.set_threshold(1)
    results = [_accel.struct_to_binary(event) for _ in range(3)]
    gc.callbacks.remove(callback)
    gc.set_threshold(700)
    assert all(r is None or isinstance(r, bytes) for r in results), results
    assert results[-1] == bridge.to_proto(event).SerializeToString(deterministic=True)
    print(seen)
    """
)


@pytest.mark.parametrize("at", [1, 2, 3, 5, 8])
def test_a_gc_callback_that_changes_the_object_being_written_is_safe(at: int) -> None:
    """struct_to_binary allocates while it writes, so a gc callback (any Python code) can run and
    change the object: it must hold what it reads (this read freed memory, and crashed)."""
    assert _accel.struct_to_binary is not None, "bridge._speedups is not built"
    done = subprocess.run([sys.executable, "-c", _MUTATE, str(at)], capture_output=True, timeout=TIMEOUT, cwd=ROOT,
                          env={k: v for k, v in os.environ.items() if k != _accel.ENV_VAR}, check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert int(done.stdout) >= 1  # the callback did run


# ------------------------------------------------------------ compiled and pure: the same verdicts

_OUTCOMES = textwrap.dedent(
    """
    import json, sys
    import bridge
    out = []
    for name, kind, strict, hexdata in json.load(sys.stdin):
        data = bytes.fromhex(hexdata)
        function = getattr(bridge, name)
        args = {"strict": strict} if name.startswith("decode") else {"kind": kind, "strict": strict}
        try:
            result = function(data, **args)
        except bridge.ValidationError as error:
            out.append(["invalid", [list(v) for v in error.violations]])
        except Exception as error:
            out.append(["crash", type(error).__name__, str(error)])
        else:
            out.append(["ok", (bridge.encode(result) if name.startswith("decode") else result).hex()])
    print(json.dumps(out))
    """
)


def _regression_inputs() -> list[tuple[str, str, bool, str]]:
    json_docs = [(kind, data) for kind, data, _ in BAD_UTF8] + FOUND
    json_docs += [("event", _nested(MAX_DEPTH)), ("event", _nested(MAX_DEPTH + 1)),
                  ("event", b'{"type":"x","event_id":"\\ud800"}')]
    blobs = [b"\x8a\x80\x80\x80\x80\x00\x01x", b"\x0a\x81\x80\x80\x80\x80\x00x", b"\x8a\x80\x80\x80\x00\x01x",
             _fidelity_event(b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1)),
             _fidelity_event(b"[" * (MAX_DEPTH - 2) + b"]" * (MAX_DEPTH - 2)), _fidelity_event(b'"\\ud800"')]
    cases = []
    for strict in (False, True):
        for kind, data in json_docs:
            name = "decode_event" if kind == "event" else "decode_response"
            cases += [(name, kind, strict, data.hex()), ("json_to_binary", kind, strict, data.hex())]
        cases += [("binary_to_json", "event", strict, blob.hex()) for blob in blobs]
    return cases


def _outcomes(pure: bool, cases: list[tuple[str, str, bool, str]]) -> list[Any]:
    env = {k: v for k, v in os.environ.items() if k != _accel.ENV_VAR}
    if pure:
        env[_accel.ENV_VAR] = "1"
    done = subprocess.run([sys.executable, "-c", _OUTCOMES], input=json.dumps(cases).encode(), capture_output=True,
                          timeout=TIMEOUT, cwd=ROOT, env=env, check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads(done.stdout)


def test_compiled_and_pure_paths_agree_on_every_regression() -> None:
    cases = _regression_inputs()
    compiled, pure = _outcomes(False, cases), _outcomes(True, cases)
    assert [o for o in compiled + pure if o[0] == "crash"] == []
    for case, a, p in zip(cases, compiled, pure, strict=True):
        assert a == p, case


# --------------------------------------------------------- what a user of the service and CLI saw


def test_the_service_answers_invalid_argument_for_bad_text(address: str) -> None:
    """The escaped DecodeError made the service answer INTERNAL."""
    from bridge.client import BridgeClient

    with BridgeClient(address) as client:
        for kind, data, expected in BAD_UTF8:
            call = client.event_from_json if kind == "event" else client.response_from_json
            with pytest.raises(bridge.ValidationError) as caught:
                call(data, timeout=30)
            assert [tuple(v) for v in caught.value.violations] == _violations(
                lambda: (bridge.decode_event if kind == "event" else bridge.decode_response)(data), with_kind=True
            )
        results = list(client.stream_events_from_json([data for kind, data, _ in BAD_UTF8 if kind == "event"]))
        assert results and all(not r.ok and isinstance(r.error, bridge.ValidationError) for r in results)


def test_the_cli_reports_bad_text_and_converts_the_rest(tmp_path: pathlib.Path) -> None:
    """The escaped DecodeError stopped `rtbridge decode` with a traceback."""
    good = b'{"type":"response.done","event_id":"e","response":{"id":"r"}}'
    bad = [data for kind, data, _ in BAD_UTF8 if kind == "event"]
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"\n".join([good, *bad, good]) + b"\n")
    rtbridge = pathlib.Path(sys.executable).parent / "rtbridge"
    done = subprocess.run([str(rtbridge), "decode", str(log), "-o", str(tmp_path / "out.bin")], capture_output=True,
                          timeout=TIMEOUT, check=False)
    assert done.returncode == 1, done.stderr.decode()
    assert b"Traceback" not in done.stderr and b"invalid UTF-8" in done.stderr
    framed = (tmp_path / "out.bin").read_bytes()
    assert framed.count(bridge.json_to_binary(good)) == 2
