"""Validation (docs/library.md, "Errors"): what is rejected, with which paths, in which mode.

Each table row is one bad input with the exact paths of the violations it must produce (as a
multiset: a problem reported twice is a defect too) and a fragment of the first message. Inputs
that cannot be read or routed are rejected in both modes and through every entry point; a value of
the wrong type (a *misfit*) is rejected in strict mode with that path, and in default mode carried
exactly, the same path reported by ``bridge.drift``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

import bridge
from bridge.v1 import fidelity_pb2, realtime_pb2

DEEP = 100_000


@dataclass(frozen=True)
class Bad:
    id: str
    data: bytes
    paths: tuple[str, ...]
    fragment: str
    kind: str = "event"
    misfit: bool = False

    def param(self) -> Any:
        return pytest.param(self, id=self.id)


def _event(response: str) -> bytes:
    return f'{{"type":"response.done","event_id":"e1","response":{response}}}'.encode()


def _error(call: Callable[[], Any]) -> bridge.ValidationError:
    with pytest.raises(bridge.ValidationError) as caught:
        call()
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.violations and all(isinstance(v, bridge.Violation) for v in error.violations)
    return error


def _violations(call: Callable[[], Any]) -> tuple[bridge.Violation, ...]:
    return _error(call).violations


def _check(violations: tuple[bridge.Violation, ...], paths: tuple[str, ...], fragment: str) -> None:
    assert Counter(v.path for v in violations) == Counter(paths), violations
    assert any(fragment in v.message for v in violations), violations


# ------------------------------------------------------------------------------------ bad JSON

BAD_JSON = [
    # Not JSON at all.
    Bad("empty", b"", ("$",), "truncated"),
    Bad("whitespace", b" \n\t ", ("$",), "truncated"),
    Bad("unclosed", b'{"type":"response.done"', ("$",), "truncated"),
    Bad("trailing-garbage", b'{"type":"x"} {}', ("$",), "trailing characters"),
    Bad("single-quotes", b"{'type':'x'}", ("$",), "malformed"),
    Bad("trailing-comma", b'{"type":"x",}', ("$",), "malformed"),
    Bad("nan", _event('{"temperature":NaN}'), ("$",), "malformed"),
    Bad("infinity", _event('{"temperature":Infinity}'), ("$",), "malformed"),
    Bad("minus-infinity", _event('{"temperature":-Infinity}'), ("$",), "malformed"),
    Bad("nan-in-unknown-key", _event('{"future":[1,NaN]}'), ("$",), "malformed"),
    Bad("nan-in-generic-event", b'{"type":"rate_limits.updated","x":NaN}', ("$",), "malformed"),
    Bad("lone-surrogate-escape", _event('{"id":"\\udc00"}'), ("$",), "surrogate"),
    # Valid JSON, not an object.
    Bad("array", b"[]", ("$",), "Expected `object`, got `array`"),
    Bad("null", b"null", ("$",), "Expected `object`, got `null`"),
    Bad("number", b"42", ("$",), "Expected `object`, got `int`"),
    Bad("string", b'"response.done"', ("$",), "Expected `object`, got `str`"),
    Bad("response-array", b"[]", ("$",), "Expected `object`, got `array`", kind="response"),
    Bad("response-null", b"null", ("$",), "Expected `object`, got `null`", kind="response"),
    Bad("response-empty", b"", ("$",), "truncated", kind="response"),
    # The envelope.
    Bad("missing-type", b'{"event_id":"e1"}', ("$",), "`type`"),
    Bad("type-null", b'{"type":null}', ("$.type",), "Expected `str`, got `null`"),
    Bad("type-number", b'{"type":5,"event_id":"e1"}', ("$.type",), "Expected `str`, got `int`"),
    Bad("event-id-number", b'{"type":"response.done","event_id":7}', ("$.event_id",), "got `int`", misfit=True),
    Bad("generic-event-id-number", b'{"type":"error","event_id":[]}', ("$.event_id",), "got `array`", misfit=True),
    Bad("response-not-object", b'{"type":"response.created","response":"resp_1"}', ("$.response",),
        "Expected `object`, got `str`", misfit=True),
    # Wrong JSON types for known fields, at every depth.
    Bad("id-number", _event('{"id":1}'), ("$.response.id",), "got `int`", misfit=True),
    Bad("status-bool", _event('{"status":true}'), ("$.response.status",), "got `bool`", misfit=True),
    Bad("voice-number", _event('{"voice":3}'), ("$.response.voice",), "got `int`", misfit=True),
    Bad("status-details-string", _event('{"status_details":"cancelled"}'), ("$.response.status_details",),
        "Expected `object`, got `str`", misfit=True),
    Bad("error-code-number", _event('{"status_details":{"type":"failed","error":{"code":500}}}'),
        ("$.response.status_details.error.code",), "got `int`", misfit=True),
    Bad("output-object", _event('{"output":{}}'), ("$.response.output",), "Expected `array`, got `object`", misfit=True),
    Bad("output-item-null", _event('{"output":[{},null]}'), ("$.response.output[1]",), "got `null`", misfit=True),
    Bad("output-item-array", _event('{"output":[[]]}'), ("$.response.output[0]",), "Expected `object`, got `array`", misfit=True),
    Bad("content-type-number", _event('{"output":[{},{},{"content":[{"type":5}]}]}'),
        ("$.response.output[2].content[0].type",), "got `int`", misfit=True),
    Bad("content-part-null", _event('{"output":[{"content":[{"type":"text"},null]}]}'),
        ("$.response.output[0].content[1]",), "got `null`", misfit=True),
    Bad("content-object", _event('{"output":[{"content":{"type":"text"}}]}'),
        ("$.response.output[0].content",), "Expected `array`, got `object`", misfit=True),
    Bad("arguments-object", _event('{"output":[{"type":"function_call","arguments":{"sign":"Aquarius"}}]}'),
        ("$.response.output[0].arguments",), "got `object`", misfit=True),
    Bad("modality-null", _event('{"modalities":["text",null]}'), ("$.response.modalities[1]",), "got `null`", misfit=True),
    Bad("modality-number", _event('{"modalities":[1]}'), ("$.response.modalities[0]",), "got `int`", misfit=True),
    Bad("metadata-array", _event('{"metadata":[]}'), ("$.response.metadata",), "got `array`", misfit=True),
    Bad("metadata-value-number", _event('{"metadata":{"a":1}}'), ("$.response.metadata.a",), "got `int`", misfit=True),
    Bad("metadata-value-null", _event('{"metadata":{"request id":null}}'), ('$.response.metadata["request id"]',),
        "got `null`", misfit=True),
    Bad("usage-string", _event('{"usage":"none"}'), ("$.response.usage",), "got `str`", misfit=True),
    Bad("tokens-string", _event('{"usage":{"total_tokens":"275"}}'), ("$.response.usage.total_tokens",), "got `str`", misfit=True),
    Bad("tokens-float", _event('{"usage":{"total_tokens":1.5}}'), ("$.response.usage.total_tokens",), "got `float`", misfit=True),
    Bad("tokens-bool", _event('{"usage":{"input_tokens":false}}'), ("$.response.usage.input_tokens",), "got `bool`", misfit=True),
    Bad("cached-image-tokens-string",
        _event('{"usage":{"input_token_details":{"cached_tokens_details":{"image_tokens":"0"}}}}'),
        ("$.response.usage.input_token_details.cached_tokens_details.image_tokens",), "got `str`", misfit=True),
    Bad("output-details-array", _event('{"usage":{"output_token_details":[]}}'),
        ("$.response.usage.output_token_details",), "got `array`", misfit=True),
    Bad("temperature-string", _event('{"temperature":"0.8"}'), ("$.response.temperature",), "got `str`", misfit=True),
    Bad("max-output-tokens-float", _event('{"max_output_tokens":4096.5}'), ("$.response.max_output_tokens",),
        "got `float`", misfit=True),
    Bad("max-output-tokens-bool", _event('{"max_output_tokens":true}'), ("$.response.max_output_tokens",),
        "got `bool`", misfit=True),
    Bad("max-output-tokens-array", _event('{"max_output_tokens":[]}'), ("$.response.max_output_tokens",),
        "got `array`", misfit=True),
    Bad("bare-response-id-number", b'{"id":1}', ("$.id",), "got `int`", kind="response", misfit=True),
    Bad("bare-response-item-status", b'{"output":[{"status":{}}]}', ("$.output[0].status",), "got `object`",
        kind="response", misfit=True),
    # Numbers out of range.
    Bad("tokens-above-int64", _event('{"usage":{"total_tokens":9223372036854775808}}'),
        ("$.response.usage.total_tokens",), "<= 9223372036854775807", misfit=True),
    Bad("tokens-below-int64", _event('{"usage":{"output_token_details":{"text_tokens":-9223372036854775809}}}'),
        ("$.response.usage.output_token_details.text_tokens",), ">= -9223372036854775808", misfit=True),
    Bad("tokens-huge", _event('{"usage":{"total_tokens":' + "9" * 40 + "}}"),
        ("$.response.usage.total_tokens",), "9223372036854775807", misfit=True),
    Bad("max-output-tokens-above-int64", _event('{"max_output_tokens":18446744073709551616}'),
        ("$.response.max_output_tokens",), "9223372036854775807", misfit=True),
    Bad("temperature-overflow", _event('{"temperature":1e400}'), ("$.response.temperature",), "out of range", misfit=True),
]


@pytest.mark.parametrize("bad", [b.param() for b in BAD_JSON])
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_bad_json(bad: Bad, strict: bool) -> None:
    decode = bridge.decode_event if bad.kind == "event" else bridge.decode_response
    if bad.misfit and not strict:
        obj = decode(bad.data)
        _check(tuple(bridge.drift(obj)), bad.paths, bad.fragment)
        blob = bridge.json_to_binary(bad.data, kind=bad.kind)
        assert bridge.binary_to_json(blob, kind=bad.kind) == bridge.encode(obj)
        assert json.loads(bridge.encode(obj)) == json.loads(bad.data)  # every value, as it came
        return
    _check(_violations(lambda: decode(bad.data, strict=strict)), bad.paths, bad.fragment)
    _check(_violations(lambda: bridge.json_to_binary(bad.data, kind=bad.kind, strict=strict)), bad.paths, bad.fragment)


@pytest.mark.parametrize("bad", [b.param() for b in BAD_JSON if b.data.isascii() and not b.misfit])
def test_bad_json_as_text(bad: Bad) -> None:
    decode = bridge.decode_event if bad.kind == "event" else bridge.decode_response
    _check(_violations(lambda: decode(bad.data.decode())), bad.paths, bad.fragment)


def test_every_violation_in_a_document_is_reported() -> None:
    data = _event(
        '{"id":1,"status":2,"future":{"kept":true},'
        '"output":[{"id":"ok","content":[{"type":"text","text":"fine"}]},'
        '{"role":[],"content":[{"type":3},{"transcript":{},"future":1}]}],'
        '"usage":{"total_tokens":"x","input_token_details":{"cached_tokens_details":{"audio_tokens":1.5}}},'
        '"max_output_tokens":false}'
    ).replace(b'"e1"', b"9")
    expected = (
        "$.event_id",
        "$.response.id",
        "$.response.status",
        "$.response.output[1].role",
        "$.response.output[1].content[0].type",
        "$.response.output[1].content[1].transcript",
        "$.response.usage.total_tokens",
        "$.response.usage.input_token_details.cached_tokens_details.audio_tokens",
        "$.response.max_output_tokens",
    )
    unknown = ("$.response.future", "$.response.output[1].content[1].future")
    for call in (lambda: bridge.decode_event(data, strict=True), lambda: bridge.json_to_binary(data, strict=True)):
        violations = _violations(call)
        assert Counter(v.path for v in violations) == Counter(expected + unknown)
    message = str(_error(lambda: bridge.decode_event(data, strict=True)))
    assert f"{len(expected) + len(unknown)} violations" in message
    assert all(f"`{path}`" in message for path in expected)
    # The default mode carries every one of them, and says where each is.
    drift = bridge.drift(bridge.decode_event(data))
    assert Counter(v.path for v in drift) == Counter(expected + unknown)
    assert json.loads(bridge.binary_to_json(bridge.json_to_binary(data))) == json.loads(data)


def test_strict_reports_type_errors_and_drift_together() -> None:
    """In strict mode one pass names every problem: the wrong types and the drift beside them."""
    data = _event('{"id":1,"status":"paused","phase":"final","usage":{"total_tokens":"x","cost":1}}')
    violations = _violations(lambda: bridge.decode_event(data, strict=True))
    assert Counter(v.path for v in violations) == Counter(
        ["$.response.id", "$.response.status", "$.response.phase", "$.response.usage.total_tokens",
         "$.response.usage.cost"]
    )


def test_every_bad_list_element_is_reported() -> None:
    data = _event('{"modalities":[1,"text",null],"output":[null,{},7]}')
    paths = {v.path for v in _violations(lambda: bridge.decode_event(data, strict=True))}
    assert paths == {"$.response.modalities[0]", "$.response.modalities[2]", "$.response.output[0]",
                     "$.response.output[2]"}


def test_every_bad_metadata_value_is_reported() -> None:
    data = _event('{"metadata":{"a":1,"b":"fine","c":[]}}')
    paths = {v.path for v in _violations(lambda: bridge.decode_event(data, strict=True))}
    assert paths == {"$.response.metadata.a", "$.response.metadata.c"}


# -------------------------------------------------------------------------- input that is not UTF-8


@pytest.mark.parametrize(
    "data",
    [
        _event('{"id":"\xff"}').replace(b"\xc3\xbf", b"\xff"),
        _event('{"future":"\xff"}').replace(b"\xc3\xbf", b"\xff"),
        b'{"type":"response.audio.delta","delta":"\xc0\x80"}',
        b'{"type":"response.audio.delta","\xed\xa0\x80":1}',
        b'{"type":"response.done","event_id":"\xf4\x90\x80\x80"}',
        b'{"type":"\x80"}',
        b'{"type":"response.done","response":{"metadata":{"k":"\xff"}}}',
        b'{"type":"response.done","response":{"modalities":["\xc3"]}}',
    ],
    ids=["known-field", "unknown-key", "generic-payload", "generic-key", "beyond-u10ffff", "event-type", "metadata",
         "modality"],
)
def test_invalid_utf8_is_rejected(data: bytes) -> None:
    """JSON text must be UTF-8; bytes that are not are a ValidationError, never a crash, and never
    carried on into binary (where they would come back out as invalid JSON)."""
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    for call in (lambda: bridge.decode_event(data), lambda: bridge.json_to_binary(data)):
        violations = _violations(call)
        assert all(v.path.startswith("$") for v in violations)


@pytest.mark.parametrize(
    "text",
    ['{"type":"error","x":"\ud800"}', '{"type":"response.done","response":{"id":"\udfff"}}'],
    ids=["high", "low"],
)
def test_text_with_lone_surrogates_is_rejected(text: str) -> None:
    """A ``str`` holding a lone surrogate is not Unicode text: a ValidationError, not a crash."""
    _violations(lambda: bridge.decode_event(text))
    _violations(lambda: bridge.json_to_binary(text))


# ----------------------------------------------------------------------------------- deep nesting


def _deep(open_: str, close: str, depth: int = DEEP) -> str:
    return open_ * depth + "1" + close * depth


DEEP_INPUTS = {
    "unknown-key-arrays": _event('{"future":' + _deep("[", "]") + "}"),
    "unknown-key-objects": _event('{"future":' + _deep('{"a":', "}") + "}"),
    "inside-an-item": _event('{"output":[{"content":[{"future":' + _deep("[", "]") + "}]}]}"),
    "envelope-key": b'{"type":"response.done","future":' + _deep("[", "]").encode() + b"}",
    "generic-event": b'{"type":"future.created","session":' + _deep('{"a":', "}").encode() + b"}",
    "beside-a-type-error": _event('{"id":1,"future":' + _deep("[", "]") + "}"),
}


@pytest.mark.parametrize("data", DEEP_INPUTS.values(), ids=DEEP_INPUTS.keys())
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_deep_nesting_is_a_validation_error(data: bytes, strict: bool) -> None:
    for call in (lambda: bridge.decode_event(data, strict=strict), lambda: bridge.json_to_binary(data, strict=strict)):
        violations = _violations(call)
        assert any("deep" in v.message for v in violations), violations


def test_deep_bare_response_is_a_validation_error() -> None:
    data = ('{"future":' + _deep("[", "]") + "}").encode()
    violations = _violations(lambda: bridge.json_to_binary(data, kind="response"))
    assert any("deep" in v.message for v in violations)


def test_moderate_nesting_is_carried() -> None:
    data = _event('{"future":' + _deep("[", "]", 200) + "}")
    assert json.loads(bridge.binary_to_json(bridge.json_to_binary(data))) == json.loads(data)


# ------------------------------------------------------------------------------------ strict mode

_MANY = {f"k{i}": "v" for i in range(17)}


@dataclass(frozen=True)
class Drift:
    id: str
    response: dict[str, Any]
    paths: tuple[str, ...]
    fragment: str

    def param(self) -> Any:
        return pytest.param(self, id=self.id)


def _item(**members: Any) -> dict[str, Any]:
    return {"output": [{"type": "message"}, members]}


STRICT = [
    # Unknown keys at every level.
    Drift("response-key", {"phase": "final"}, ("$.response.phase",), "unknown key"),
    Drift("status-details-key", {"status_details": {"type": "failed", "retry": True}},
          ("$.response.status_details.retry",), "unknown key"),
    Drift("error-key", {"status_details": {"error": {"param": None}}}, ("$.response.status_details.error.param",),
          "unknown key"),
    Drift("item-key", _item(phase="commentary"), ("$.response.output[1].phase",), "unknown key"),
    Drift("content-part-key", _item(content=[{"type": "text", "annotations": []}]),
          ("$.response.output[1].content[0].annotations",), "unknown key"),
    Drift("usage-key", {"usage": {"cost": 0.01}}, ("$.response.usage.cost",), "unknown key"),
    Drift("input-details-key", {"usage": {"input_token_details": {"video_tokens": 1}}},
          ("$.response.usage.input_token_details.video_tokens",), "unknown key"),
    Drift("cached-details-key", {"usage": {"input_token_details": {"cached_tokens_details": {"x": 1}}}},
          ("$.response.usage.input_token_details.cached_tokens_details.x",), "unknown key"),
    Drift("output-details-key", {"usage": {"output_token_details": {"reasoning_tokens": 3}}},
          ("$.response.usage.output_token_details.reasoning_tokens",), "unknown key"),
    Drift("non-identifier-key", {"a b": 1}, ('$.response["a b"]',), "unknown key"),
    Drift("null-unknown-key", {"future": None}, ("$.response.future",), "unknown key"),
    # Enum values outside the known sets.
    Drift("object", {"object": "realtime.response.v2"}, ("$.response.object",), "Invalid enum value"),
    Drift("status", {"status": "paused"}, ("$.response.status",), "Invalid enum value"),
    Drift("status-case", {"status": "Completed"}, ("$.response.status",), "Invalid enum value"),
    Drift("status-details-type", {"status_details": {"type": "expired"}}, ("$.response.status_details.type",),
          "Invalid enum value"),
    Drift("status-details-reason", {"status_details": {"reason": "timeout"}}, ("$.response.status_details.reason",),
          "Invalid enum value"),
    Drift("item-type", _item(type="web_search_call"), ("$.response.output[1].type",), "Invalid enum value"),
    Drift("item-object", _item(object="realtime.thing"), ("$.response.output[1].object",), "Invalid enum value"),
    Drift("item-status", _item(status="queued"), ("$.response.output[1].status",), "Invalid enum value"),
    Drift("item-role", _item(role="narrator"), ("$.response.output[1].role",), "Invalid enum value"),
    Drift("content-type", _item(content=[{"type": "text"}, {"type": "video"}]),
          ("$.response.output[1].content[1].type",), "Invalid enum value"),
    Drift("modality", {"modalities": ["text", "video", "audio", ""]},
          ("$.response.modalities[1]", "$.response.modalities[3]"), "Invalid enum value"),
    Drift("audio-format", {"output_audio_format": "opus"}, ("$.response.output_audio_format",), "Invalid enum value"),
    Drift("max-output-tokens-string", {"max_output_tokens": "unlimited"}, ("$.response.max_output_tokens",),
          "Invalid enum value"),
    # The seed's limits.
    Drift("metadata-17-pairs", {"metadata": _MANY}, ("$.response.metadata",), "at most 16 pairs"),
    Drift("metadata-key-65", {"metadata": {"k" * 65: "v"}}, ("$.response.metadata",), "longer than 64"),
    Drift("metadata-astral-key-65", {"metadata": {"😀" * 65: "v"}}, ("$.response.metadata",), "longer than 64"),
    Drift("metadata-value-513", {"metadata": {"k": "v" * 513}}, ("$.response.metadata.k",), "at most 512"),
    Drift("metadata-astral-value-513", {"metadata": {"k": "𝄞" * 513}}, ("$.response.metadata.k",), "at most 512"),
    Drift("temperature-low", {"temperature": 0.59}, ("$.response.temperature",), ">= 0.6"),
    Drift("temperature-high", {"temperature": 1.21}, ("$.response.temperature",), "<= 1.2"),
    Drift("temperature-zero", {"temperature": 0}, ("$.response.temperature",), ">= 0.6"),
    Drift("temperature-negative", {"temperature": -1.0}, ("$.response.temperature",), ">= 0.6"),
]

#: Within the schema: strict accepts each of these.
STRICT_OK = {
    "metadata-16-pairs": {"metadata": {f"k{i}": "v" for i in range(16)}},
    "metadata-key-64": {"metadata": {"k" * 64: "v" * 512}},
    "metadata-astral-64-512": {"metadata": {"😀" * 64: "𝄞" * 512}},
    "metadata-empty": {"metadata": {}},
    "temperature-bounds": {"temperature": 0.6, "output": [{"type": "message"}]},
    "temperature-upper": {"temperature": 1.2},
    "temperature-null": {"temperature": None},
    "voice-open-set": {"voice": "a-voice-from-tomorrow"},
    "max-output-tokens-int": {"max_output_tokens": 4096},
    "max-output-tokens-inf": {"max_output_tokens": "inf"},
    "nulls-everywhere": {"id": None, "status": None, "status_details": {"type": None, "error": None}, "output": None,
                         "usage": {"input_token_details": None}, "metadata": None, "modalities": None},
    "every-known-enum": {
        "object": "realtime.response", "status": "incomplete", "output_audio_format": "g711_alaw",
        "modalities": ["audio", "text"], "status_details": {"type": "incomplete", "reason": "content_filter"},
        "output": [{"type": "function_call_output", "object": "realtime.item", "status": "in_progress",
                    "role": "system", "content": [{"type": "input_audio"}, {"type": "item_reference"}]}],
    },
}


def _document(response: dict[str, Any]) -> bytes:
    return json.dumps({"type": "response.done", "event_id": "e1", "response": response}, ensure_ascii=False).encode()


@pytest.mark.parametrize("drift", [d.param() for d in STRICT])
def test_strict_rejects(drift: Drift) -> None:
    data = _document(drift.response)
    default = bridge.decode_event(data)  # default mode carries it
    assert json.loads(bridge.binary_to_json(bridge.json_to_binary(data))) == json.loads(data)
    blob = bridge.json_to_binary(data)
    calls = {
        "decode_event": lambda: bridge.decode_event(data, strict=True),
        "json_to_binary": lambda: bridge.json_to_binary(data, strict=True),
        "binary_to_json": lambda: bridge.binary_to_json(blob, strict=True),
        "from_proto": lambda: bridge.from_proto(realtime_pb2.ServerEvent.FromString(blob), strict=True),
        "to_proto": lambda: bridge.to_proto(default, strict=True),
    }
    for name, call in calls.items():
        violations = _violations(call)
        assert Counter(v.path for v in violations) == Counter(drift.paths), name
        assert all(drift.fragment in v.message for v in violations), name


@pytest.mark.parametrize("drift", [d.param() for d in STRICT])
def test_strict_rejects_bare_response(drift: Drift) -> None:
    data = json.dumps(drift.response).encode()
    paths = tuple(p.replace("$.response", "$", 1) for p in drift.paths)
    for call in (lambda: bridge.decode_response(data, strict=True),
                 lambda: bridge.json_to_binary(data, kind="response", strict=True)):
        violations = _violations(call)
        assert Counter(v.path for v in violations) == Counter(paths)


@pytest.mark.parametrize("response", STRICT_OK.values(), ids=STRICT_OK.keys())
def test_strict_accepts(response: dict[str, Any]) -> None:
    data = _document(response)
    assert bridge.decode_event(data, strict=True) == bridge.decode_event(data)
    out = bridge.binary_to_json(bridge.json_to_binary(data, strict=True), strict=True)
    assert json.loads(out) == json.loads(data)


def test_strict_reports_every_violation_at_once() -> None:
    response = {
        "object": "realtime.response.v2",
        "status": "paused",
        "phase": "final",
        "status_details": {"type": "expired", "reason": "timeout", "error": {"type": "x", "param": None}},
        "output": [
            {"type": "message", "role": "assistant", "content": [{"type": "text", "text": "hi"}]},
            {"type": "web_search_call", "status": "queued", "role": "narrator", "server": "s",
             "content": [{"type": "video", "annotations": []}, {"type": "audio"}]},
        ],
        "modalities": ["text", "video"],
        "output_audio_format": "opus",
        "temperature": 2.0,
        "max_output_tokens": "unlimited",
        "metadata": {**_MANY, "k" * 65: "v" * 513},
        "usage": {"cost": 1, "input_token_details": {"cached_tokens_details": {"video_tokens": 0}},
                  "output_token_details": {"reasoning_tokens": 0}},
    }
    data = json.dumps({"type": "response.done", "event_id": "e1", "trace": {}, "response": response}).encode()
    expected = Counter([
        "$.trace",
        "$.response.object",
        "$.response.status",
        "$.response.phase",
        "$.response.status_details.type",
        "$.response.status_details.reason",
        "$.response.status_details.error.param",
        "$.response.output[1].type",
        "$.response.output[1].status",
        "$.response.output[1].role",
        "$.response.output[1].server",
        "$.response.output[1].content[0].type",
        "$.response.output[1].content[0].annotations",
        "$.response.modalities[1]",
        "$.response.output_audio_format",
        "$.response.temperature",
        "$.response.max_output_tokens",
        "$.response.metadata",  # 18 pairs
        "$.response.metadata",  # a 65-character key
        "$.response.metadata." + "k" * 65,  # its 513-character value
        "$.response.usage.cost",
        "$.response.usage.input_token_details.cached_tokens_details.video_tokens",
        "$.response.usage.output_token_details.reasoning_tokens",
    ])
    blob = bridge.json_to_binary(data)
    for call in (lambda: bridge.decode_event(data, strict=True), lambda: bridge.binary_to_json(blob, strict=True)):
        error = _error(call)
        assert Counter(v.path for v in error.violations) == expected
        assert len(str(error).splitlines()) == sum(expected.values()) + 1


def test_strict_keeps_generic_event_payloads() -> None:
    """The keys of other event types are their payload, not schema drift."""
    data = b'{"type":"future.created","event_id":"e1","session":{"anything":[1,{"x":null}]},"z":"\xf0\x9f\x98\x80"}'
    event = bridge.decode_event(data, strict=True)
    assert isinstance(event, bridge.GenericEvent)
    assert set(event.extra) == {"session", "z"}
    assert json.loads(bridge.binary_to_json(bridge.json_to_binary(data, strict=True), strict=True)) == json.loads(data)


def test_strict_checks_a_generic_events_typed_keys() -> None:
    _check(_violations(lambda: bridge.decode_event(b'{"type":"error","event_id":1}', strict=True)),
           ("$.event_id",), "got `int`")


# --------------------------------------------------------------------------------------- binary


def _response(**fields: Any) -> realtime_pb2.ServerEvent:
    return realtime_pb2.ServerEvent(type="response.done", response=realtime_pb2.RealtimeResponse(**fields))


def _fidelity(**fields: Any) -> fidelity_pb2.JsonFidelity:
    return fidelity_pb2.JsonFidelity(**fields)


def _unknown_enum(field: int, value: str, index: int = 0) -> fidelity_pb2.UnknownEnumValue:
    return fidelity_pb2.UnknownEnumValue(field=field, index=index, value=value)


_R = realtime_pb2.RealtimeResponse.DESCRIPTOR.fields_by_name
_ID, _STATUS, _OUTPUT, _MODALITIES = (_R[n].number for n in ("id", "status", "output", "modalities"))
_VALID = bridge.json_to_binary(_event('{"id":"resp_1","status":"completed","output":[{"id":"item_1"}]}'))

#: ``(id, protobuf bytes, paths, fragment)``; a path ending in ``*`` matches any path it starts.
BAD_BINARY: list[tuple[str, bytes, tuple[str, ...], str]] = [
    ("garbage", b"\xff\xff\xff\xff", ("$",), "malformed protobuf"),
    ("truncated", _VALID[:-3], ("$",), "malformed protobuf"),
    ("length-overrun", b"\x1a\x7f\x0a\x01", ("$",), "malformed protobuf"),
    ("invalid-wire-type", b"\x0e\x00", ("$",), "malformed protobuf"),
    ("end-group-without-start", b"\x0c", ("$",), "malformed protobuf"),
    ("string-not-utf8", b"\x0a\x02\xff\xfe", ("$",), "malformed protobuf"),
    ("no-type", realtime_pb2.ServerEvent(event_id="e1").SerializeToString(), ("$.type",), "`type`"),
    ("generic-event-with-response",
     realtime_pb2.ServerEvent(type="error", response=realtime_pb2.RealtimeResponse(id="r")).SerializeToString(),
     ("$.response",), "not a field"),
    ("set-and-null", _response(id="r", json_fidelity=_fidelity(null_fields=[_ID])).SerializeToString(),
     ("$.response.id",), "both set and marked null"),
    ("set-and-empty", _response(output=[realtime_pb2.ConversationItem(id="i")],
                                json_fidelity=_fidelity(empty_fields=[_OUTPUT])).SerializeToString(),
     ("$.response.output",), "both set and marked empty"),
    ("null-and-empty", _response(json_fidelity=_fidelity(null_fields=[_OUTPUT], empty_fields=[_OUTPUT]))
     .SerializeToString(), ("$.response.output",), "marked"),
    ("null-field-number-unknown", _response(json_fidelity=_fidelity(null_fields=[99])).SerializeToString(),
     ("$.response",), "99"),
    ("empty-scalar", _response(json_fidelity=_fidelity(empty_fields=[_ID])).SerializeToString(),
     ("$.response.id",), "not a list or map"),
    ("unknown-key-invalid-json", _response(json_fidelity=_fidelity(unknown_keys={"future": b"{"})).SerializeToString(),
     ("$.response.future",), "JSON"),
    ("unknown-key-empty-json", _response(json_fidelity=_fidelity(unknown_keys={"future": b""})).SerializeToString(),
     ("$.response.future",), "JSON"),
    ("unknown-key-two-values", _response(json_fidelity=_fidelity(unknown_keys={"future": b"1 2"})).SerializeToString(),
     ("$.response.future",), "JSON"),
    ("unknown-key-nan", _response(json_fidelity=_fidelity(unknown_keys={"future": b"NaN"})).SerializeToString(),
     ("$.response.future",), "JSON"),
    ("unknown-key-too-deep", _response(json_fidelity=_fidelity(
        unknown_keys={"future": _deep("[", "]").encode()})).SerializeToString(), ("$.response.future",), "deep"),
    ("unknown-key-not-utf8", _response(json_fidelity=_fidelity(unknown_keys={"future": b'"\xff"'}))
     .SerializeToString(), ("$.response.future*",), ""),
    ("unknown-key-collides", _response(id="r", json_fidelity=_fidelity(unknown_keys={"id": b'"r2"'}))
     .SerializeToString(), ("$.response.id",), "collides"),
    ("unknown-key-collides-unset-field", _response(json_fidelity=_fidelity(unknown_keys={"status": b'"x"'}))
     .SerializeToString(), ("$.response.status",), "could hold"),
    ("unknown-key-collides-union", _response(json_fidelity=_fidelity(unknown_keys={"max_output_tokens": b"1"}))
     .SerializeToString(), ("$.response.max_output_tokens",), "could hold"),
    ("unknown-key-is-type", realtime_pb2.ServerEvent(type="future.event", json_fidelity=_fidelity(
        unknown_keys={"type": b'"x"'})).SerializeToString(), ("$.type",), "collides"),
    ("unknown-key-is-event-id", realtime_pb2.ServerEvent(type="response.done", json_fidelity=_fidelity(
        unknown_keys={"event_id": b'"x"'})).SerializeToString(), ("$.event_id",), "could hold"),
    ("enum-zero-unexplained", _response(status=0).SerializeToString(), ("$.response.status",), "no JSON value"),
    ("enum-number-unknown", _response(status=99).SerializeToString(), ("$.response.status",), "no JSON value"),
    ("repeated-enum-zero-unexplained", _response(modalities=[1, 0]).SerializeToString(),
     ("$.response.modalities[1]",), "no JSON value"),
    ("unknown-enum-wrong-index", _response(modalities=[1, 0], json_fidelity=_fidelity(
        unknown_enum_values=[_unknown_enum(_MODALITIES, "video", index=0)])).SerializeToString(),
     ("$.response.modalities*",), "no JSON value"),
    ("union-enum-zero", _response(max_output_tokens_limit=0).SerializeToString(),
     ("$.response.max_output_tokens",), "no JSON value"),
    ("nested-enum-zero", _response(output=[realtime_pb2.ConversationItem(), realtime_pb2.ConversationItem(type=0)])
     .SerializeToString(), ("$.response.output[1].type",), "no JSON value"),
    ("content-enum-zero", _response(output=[realtime_pb2.ConversationItem(content=[realtime_pb2.ContentPart(type=0)])])
     .SerializeToString(), ("$.response.output[0].content[0].type",), "no JSON value"),
    # unknown_enum_values entries that explain nothing contradict the message they are in.
    ("unknown-enum-for-unset-field", _response(json_fidelity=_fidelity(
        unknown_enum_values=[_unknown_enum(_STATUS, "paused")])).SerializeToString(), ("$.response*",), ""),
    ("unknown-enum-for-set-field", _response(status=2, json_fidelity=_fidelity(
        unknown_enum_values=[_unknown_enum(_STATUS, "paused")])).SerializeToString(), ("$.response*",), ""),
    ("unknown-enum-twice", _response(status=0, json_fidelity=_fidelity(
        unknown_enum_values=[_unknown_enum(_STATUS, "a"), _unknown_enum(_STATUS, "b")])).SerializeToString(),
     ("$.response*",), ""),
    ("unknown-enum-for-string-field", _response(json_fidelity=_fidelity(
        unknown_enum_values=[_unknown_enum(_ID, "x")])).SerializeToString(), ("$.response*",), ""),
]


def _check_paths(violations: tuple[bridge.Violation, ...], paths: tuple[str, ...], fragment: str) -> None:
    exact = Counter(p for p in paths if not p.endswith("*"))
    prefixes = [p[:-1] for p in paths if p.endswith("*")]
    got = [v.path for v in violations]
    assert Counter(p for p in got if p in exact) == exact, violations
    rest = [p for p in got if p not in exact]
    if prefixes:
        assert rest and all(any(p.startswith(prefix) for prefix in prefixes) for p in rest), violations
    else:
        assert not rest, violations
    assert any(fragment in v.message for v in violations), violations


@pytest.mark.parametrize(
    ("blob", "paths", "fragment"), [row[1:] for row in BAD_BINARY], ids=[row[0] for row in BAD_BINARY]
)
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_bad_binary(blob: bytes, paths: tuple[str, ...], fragment: str, strict: bool) -> None:
    _check_paths(_violations(lambda: bridge.binary_to_json(blob, strict=strict)), paths, fragment)
    if not fragment.startswith("malformed"):
        message = realtime_pb2.ServerEvent.FromString(blob)
        _check_paths(_violations(lambda: bridge.from_proto(message, strict=strict)), paths, fragment)


def test_bad_binary_response_kind() -> None:
    blob = realtime_pb2.RealtimeResponse(id="r", json_fidelity=_fidelity(null_fields=[_ID])).SerializeToString()
    _check(_violations(lambda: bridge.binary_to_json(blob, kind="response")), ("$.id",), "both set and marked null")
    _check(_violations(lambda: bridge.binary_to_json(b"\xff", kind="response")), ("$",), "malformed protobuf")


def test_every_contradiction_in_a_message_is_reported() -> None:
    message = _response(
        id="r",
        status=0,
        output=[realtime_pb2.ConversationItem(role=0), realtime_pb2.ConversationItem(
            content=[realtime_pb2.ContentPart(json_fidelity=_fidelity(unknown_keys={"text": b'"fits"'}))])],
        json_fidelity=_fidelity(null_fields=[_ID], unknown_keys={"future": b"{"}),
    )
    expected = Counter([
        "$.response.id",
        "$.response.status",
        "$.response.output[0].role",
        "$.response.output[1].content[0].text",
        "$.response.future",
    ])
    assert Counter(v.path for v in _violations(lambda: bridge.binary_to_json(message.SerializeToString()))) == expected


def test_strict_applies_to_binary_input() -> None:
    blob = _response(status=0, json_fidelity=_fidelity(
        unknown_keys={"phase": b'"final"'}, unknown_enum_values=[_unknown_enum(_STATUS, "paused")])).SerializeToString()
    assert json.loads(bridge.binary_to_json(blob)) == {"type": "response.done",
                                                      "response": {"status": "paused", "phase": "final"}}
    violations = _violations(lambda: bridge.binary_to_json(blob, strict=True))
    assert Counter(v.path for v in violations) == Counter(["$.response.phase", "$.response.status"])


# ------------------------------------------------------------------------- hand-built model objects


@pytest.mark.parametrize(
    "obj",
    [
        bridge.RealtimeResponse(max_output_tokens=True),
        bridge.RealtimeResponse(max_output_tokens=1.5),
        bridge.RealtimeResponse(id=1),
        bridge.RealtimeResponse(usage=bridge.Usage(total_tokens=2**64)),
    ],
    ids=["union-bool", "union-float", "str-field-int", "int64-overflow"],
)
def test_to_proto_rejects_what_protobuf_cannot_hold(obj: Any) -> None:
    """A hand-built Struct holding a value of the wrong type: a ValidationError, not a crash."""
    assert all(v.path.startswith("$") for v in _violations(lambda: bridge.to_proto(obj)))


def test_encode_rejects_an_unknown_key_that_shadows_a_field() -> None:
    obj = bridge.RealtimeResponse(id="r", extra=bridge.Extra({"id": b'"r2"'}))
    _check(_violations(lambda: bridge.encode(obj)), ("$.id",), "collides")


def test_kind_is_checked() -> None:
    with pytest.raises(ValueError, match="kind"):
        bridge.json_to_binary(b'{"type":"x"}', kind="session")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kind"):
        bridge.binary_to_json(b"", kind="session")  # type: ignore[arg-type]


def test_a_validation_error_needs_a_violation() -> None:
    with pytest.raises(ValueError):
        bridge.ValidationError([])
    single = bridge.ValidationError.at("$.response.id", "Expected `str`")
    assert single.violations == (bridge.Violation("$.response.id", "Expected `str`"),)
    assert single.violations[0].kind == "other"  # a violation made outside the bridge says no kind
    assert bridge.ValidationError.at("$.x", "Expected `str`", "type").violations[0].kind == "type"
    assert str(single) == "Expected `str` - at `$.response.id`"
