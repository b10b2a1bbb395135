"""Property-based tests of fidelity (docs/guarantees.md, "Lossless round trip") and of strict mode.

Generated documents have every key independently missing, ``null`` or set, unknown keys with
arbitrary JSON values at every level, enum strings outside the known sets, extreme integers and
floats, and any Unicode. Each must come back as the same JSON through every path:

* JSON -> protobuf bytes -> JSON (``json_to_binary`` / ``binary_to_json``);
* JSON -> Struct -> JSON (``decode_*`` / ``encode``);
* JSON -> Struct -> protobuf message -> bytes -> message -> Struct -> JSON.

Runs a moderate number of examples by default; under ``CI`` the run is derandomized so that it is
reproducible. ``RTBRIDGE_HYPOTHESIS_EXAMPLES=2000`` runs a longer search locally.
"""

from __future__ import annotations

import json
import os
import struct
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import bridge
from bridge.v1 import realtime_pb2
from tests.strategies import canonical, corrupted, documents, json_text, strict_violations

_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")
SETTINGS = settings(
    max_examples=int(os.environ.get("RTBRIDGE_HYPOTHESIS_EXAMPLES", "100")),
    derandomize=_CI,
    database=None if _CI else settings.default.database,
    deadline=None,  # shared, noisy machines: no timing assertions
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)

_MESSAGES = {"event": realtime_pb2.ServerEvent, "response": realtime_pb2.RealtimeResponse}


def _decode(kind: str, data: Any, strict: bool = False) -> Any:
    return (bridge.decode_event if kind == "event" else bridge.decode_response)(data, strict=strict)


def _assert_same_json(produced: bytes, document: dict[str, Any]) -> None:
    parsed = json.loads(produced)
    assert parsed == document  # the contract as docs/guarantees.md states it
    assert canonical(parsed) == canonical(document)  # and no `true` turned into `1`, no digits lost


# ---------------------------------------------------------------------------------------- fidelity


@SETTINGS
@given(documents(), st.data())
def test_binary_round_trip(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    kind, document = case
    text = data.draw(json_text(document), label="json")
    blob = bridge.json_to_binary(text, kind=kind)
    _assert_same_json(bridge.binary_to_json(blob, kind=kind), document)


@SETTINGS
@given(documents(), st.data())
def test_struct_round_trip(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    kind, document = case
    obj = _decode(kind, data.draw(json_text(document), label="json"))
    encoded = bridge.encode(obj)
    _assert_same_json(encoded, document)
    assert _decode(kind, encoded) == obj


@SETTINGS
@given(documents())
def test_proto_message_round_trip(case: tuple[str, dict[str, Any]]) -> None:
    kind, document = case
    obj = _decode(kind, json.dumps(document))
    message = bridge.to_proto(obj)
    assert isinstance(message, _MESSAGES[kind])
    parsed = _MESSAGES[kind].FromString(message.SerializeToString())
    assert parsed == message
    back = bridge.from_proto(parsed)
    assert back == obj
    _assert_same_json(bridge.encode(back), document)


@SETTINGS
@given(documents(drift=False))
def test_documented_payloads_round_trip(case: tuple[str, dict[str, Any]]) -> None:
    """Documents with no drift at all take the decoder's fast path; they too come back whole."""
    kind, document = case
    text = json.dumps(document)
    _assert_same_json(bridge.binary_to_json(bridge.json_to_binary(text, kind=kind), kind=kind), document)
    _assert_same_json(bridge.encode(_decode(kind, text)), document)


@SETTINGS
@given(documents())
@example(("event", {"type": "response.done", "response": {"temperature": 0.1, "x": 12345678901234567890123}}))
@example(("response", {"max_output_tokens": 2**63 - 1, "usage": {"total_tokens": -(2**63)}}))
def test_binary_form_is_stable(case: tuple[str, dict[str, Any]]) -> None:
    """Converting the JSON that came back from binary gives the same bytes again: nothing drifts
    however many times a payload crosses the bridge."""
    kind, document = case
    once = bridge.json_to_binary(json.dumps(document), kind=kind)
    twice = bridge.json_to_binary(bridge.binary_to_json(once, kind=kind), kind=kind)
    assert twice == once


def _every_path(kind: str, text: bytes, document: dict[str, Any]) -> None:
    """``text`` comes back as ``document`` through binary bytes, Structs and proto messages."""
    _assert_same_json(bridge.binary_to_json(bridge.json_to_binary(text, kind=kind), kind=kind), document)
    obj = _decode(kind, text)
    _assert_same_json(bridge.encode(obj), document)
    message = _MESSAGES[kind].FromString(bridge.to_proto(obj).SerializeToString())
    assert bridge.from_proto(message) == obj
    _assert_same_json(bridge.encode(bridge.from_proto(message)), document)


_FLOATS = [0.8, 0.1, 0.30000000000000004, -0.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e16,
           -123456789.12345679]


@pytest.mark.parametrize("value", _FLOATS, ids=[repr(v) for v in _FLOATS])
def test_floats_keep_every_bit(value: float) -> None:
    """A double survives bit for bit (``==`` alone would let ``-0.0`` become ``0.0``)."""
    document = {"type": "response.done", "response": {"temperature": value}}
    out = json.loads(bridge.binary_to_json(bridge.json_to_binary(json.dumps(document))))
    assert struct.pack("<d", out["response"]["temperature"]) == struct.pack("<d", value)
    _every_path("event", json.dumps(document).encode(), document)


@pytest.mark.parametrize("number", [2**53 + 1, -(2**63) + 1, 10**20 + 1], ids=["2**53+1", "-2**63+1", "10**20+1"])
def test_integers_in_a_float_field_are_exact_or_rejected(number: int) -> None:
    """A JSON integer a double cannot hold exactly, in ``temperature``: carried exactly or rejected
    with a ValidationError, never silently rounded."""
    text = f'{{"type":"response.done","response":{{"temperature":{number}}}}}'
    try:
        blob = bridge.json_to_binary(text)
    except bridge.ValidationError as error:
        assert [v.path for v in error.violations] == ["$.response.temperature"]
        return
    assert canonical(json.loads(bridge.binary_to_json(blob))) == canonical(json.loads(text))


_PLACES = {
    "envelope": lambda member: ("event", {"type": "response.done", **member}),
    "response": lambda member: ("event", {"type": "response.created", "response": {"id": "r", **member}}),
    "item": lambda member: ("event", {"type": "response.done", "response": {"output": [{"id": "i", **member}]}}),
    "usage": lambda member: ("response", {"usage": {"total_tokens": 1, **member}}),
    "generic": lambda member: ("event", {"type": "error", **member}),
}


@pytest.mark.parametrize("value", [None, {}, [], {"a": "1"}, 1, "x"], ids=["null", "{}", "[]", "object", "1", "str"])
@pytest.mark.parametrize("name", ["__bridge_extra__", "extra", "json_fidelity", "unknown_keys"])
@pytest.mark.parametrize("place", _PLACES.values(), ids=_PLACES.keys())
def test_keys_named_like_internals_are_carried(place: Any, name: str, value: Any) -> None:
    """Keys spelled like the bridge's own names are ordinary unknown keys, whatever they hold."""
    kind, document = place({name: value})
    _every_path(kind, json.dumps(document).encode(), document)


@pytest.mark.parametrize(
    "data",
    [
        b'{"type":"rate_limits.updated","x":1e400}',
        b'{"type":"response.done","response":{"future":[-1e400]}}',
        b'{"type":"response.done","response":{"future":{"tiny":1e-400}}}',
        b'{"type":"error","x":123456789012345678901234567890e999999}',
    ],
    ids=["overflow", "negative-overflow", "underflow", "huge-exponent"],
)
def test_binary_made_from_json_is_always_readable(data: bytes) -> None:
    """Numbers beyond a double in an unknown key: whatever ``json_to_binary`` accepts,
    ``binary_to_json`` must give back as it came (here: the number's exact text)."""
    try:
        blob = bridge.json_to_binary(data)
    except bridge.ValidationError as error:
        assert error.violations  # rejecting on the way in is consistent too
        return
    out = bridge.binary_to_json(blob)
    number = data.rsplit(b":", 1)[1].strip(b"[]{}")
    assert number in out


# ------------------------------------------------------------------------------------------ strict


def _paths(error: bridge.ValidationError) -> list[str]:
    return sorted(v.path for v in error.violations)


@SETTINGS
@given(documents())
def test_strict_reports_exactly_the_drift(case: tuple[str, dict[str, Any]]) -> None:
    """Strict mode rejects a document iff it has unknown keys, unknown enum values or values beyond
    the documented limits, and then names every one of them (per an independent oracle)."""
    kind, document = case
    expected = strict_violations(document, kind)
    text = json.dumps(document)
    if expected:
        for convert in (
            lambda: _decode(kind, text, strict=True),
            lambda: bridge.json_to_binary(text, kind=kind, strict=True),
        ):
            with pytest.raises(bridge.ValidationError) as caught:
                convert()
            assert Counter(_paths(caught.value)) == Counter(expected)
        return
    # Accepted: the same objects, JSON and binary as the default mode gives.
    strict, lenient = _decode(kind, text, strict=True), _decode(kind, text)
    assert strict == lenient
    _assert_same_json(bridge.encode(strict), document)
    assert bridge.to_proto(strict) == bridge.to_proto(lenient)
    assert bridge.json_to_binary(text, kind=kind, strict=True) == bridge.json_to_binary(text, kind=kind)


@SETTINGS
@given(documents())
def test_strict_applies_to_binary_input(case: tuple[str, dict[str, Any]]) -> None:
    """Binary made in default mode, read back in strict mode, meets the same verdict."""
    kind, document = case
    expected = strict_violations(document, kind)
    blob = bridge.json_to_binary(json.dumps(document), kind=kind)
    if expected:
        with pytest.raises(bridge.ValidationError) as caught:
            bridge.binary_to_json(blob, kind=kind, strict=True)
        assert Counter(_paths(caught.value)) == Counter(expected)
    else:
        _assert_same_json(bridge.binary_to_json(blob, kind=kind, strict=True), document)


# ------------------------------------------------------------------------- bad input never crashes



@SETTINGS
@given(documents(), st.data())
def test_corrupted_json_is_rejected_or_carried(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    """Flip, drop or insert bytes in valid JSON: the result is either rejected with a
    ValidationError or converted into valid JSON, never a crash."""
    kind, document = case
    text = data.draw(corrupted(json.dumps(document, ensure_ascii=False).encode()))
    try:
        blob = bridge.json_to_binary(text, kind=kind)
    except bridge.ValidationError as error:
        assert error.violations and all(v.path.startswith("$") for v in error.violations)
        return
    json.loads(bridge.binary_to_json(blob, kind=kind))


@SETTINGS
@given(documents(), st.data())
def test_corrupted_binary_is_rejected_or_carried(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    """Corrupt valid protobuf bytes: ``binary_to_json`` raises ValidationError or returns valid JSON
    (UTF-8, parseable), never a crash."""
    kind, document = case
    blob = bytearray(bridge.json_to_binary(json.dumps(document), kind=kind))
    if blob:
        for _ in range(data.draw(st.integers(1, 3), label="edits")):
            at = data.draw(st.integers(0, len(blob) - 1), label="at")
            blob[at] = data.draw(st.integers(0, 255), label="byte")
    blob += data.draw(st.binary(max_size=4), label="tail")
    try:
        out = bridge.binary_to_json(bytes(blob), kind=kind)
    except bridge.ValidationError as error:
        assert error.violations and all(v.path.startswith("$") for v in error.violations)
        return
    json.loads(out.decode("utf-8"))
