"""``bridge.drift_of_binary`` (issue 22): the drift of protobuf bytes, read off the bytes.

It must say exactly what ``bridge.drift`` says of the decoded document, for every input
``binary_to_json`` accepts: the stored corpora (tests/data, fuzz/corpus, fuzz/regressions), a
value of the wrong type at every depth of every event of both directions, generated documents, and
bytes no converter writes (a field given twice, corrupted bytes, audio that looks like a record).
Most events must be answered without being parsed: those are the ones the service counts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from google.protobuf.message import DecodeError
from hypothesis import given
from hypothesis import strategies as st

import bridge
from bridge import _accel, _drift, convert
from bridge._schema import CLIENT, SERVER
from bridge.v1 import fidelity_pb2, realtime_pb2
from tests.strategies import corrupted, documents, json_text
from tests.test_properties import SETTINGS
from tests.test_tolerant import _EVENTS, _misfits

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("event", "client_event", "response")
_MESSAGES = {
    "event": realtime_pb2.ServerEvent,
    "client_event": realtime_pb2.ClientEvent,
    "response": realtime_pb2.RealtimeResponse,
}
_DECODE = {"event": bridge.decode_event, "client_event": bridge.decode_client_event, "response": bridge.decode_response}


def _decoded_drift(blob: bytes, kind: str) -> list[bridge.Violation]:
    """What ``bridge.drift`` says of the document the bytes hold, decoded the long way."""
    return bridge.drift(bridge.from_proto(_MESSAGES[kind].FromString(blob)))


def _accepted(blob: bytes, kind: str) -> bool:
    try:
        bridge.binary_to_json(blob, kind=kind)
    except bridge.ValidationError:
        return False
    return True


def _same(found: list[bridge.Violation], expected: list[bridge.Violation]) -> bool:
    """The same violations as ``bridge.drift`` of a document decoded from JSON: protobuf keeps
    the kept keys of an object in no order, so they come back sorted, which the JSON's need not be."""
    return sorted(found) == sorted(expected)


def _assert_scans_agree(blob: bytes, kind: str) -> None:
    """The compiled scan (bridge._speedups), when built, answers as its pure twin."""
    if _accel.may_drift is not None:
        assert _accel.may_drift(blob, kind) is _drift.may_drift(blob, kind), (kind, blob)


def _assert_agrees(blob: bytes, kind: str) -> list[bridge.Violation]:
    _assert_scans_agree(blob, kind)
    found = bridge.drift_of_binary(blob, kind)
    assert found == _decoded_drift(blob, kind), (kind, blob)
    return found


# ------------------------------------------------------------------------------ the stored corpora


def _json_documents() -> Iterator[tuple[str, bytes]]:
    """Every JSON document of tests/data: the fixtures, and each line of the logs."""
    for path in sorted((ROOT / "tests" / "data").rglob("*")):
        if path.suffix == ".json":
            yield path.name, path.read_bytes()
        elif path.suffix == ".jsonl":
            for number, line in enumerate(path.read_bytes().splitlines(), 1):
                if line.strip():
                    yield f"{path.name}:{number}", line


def _stored_inputs() -> list[Path]:
    """fuzz/corpus and fuzz/regressions (each input's first byte selects a target: the rest is
    the document)."""
    return sorted(
        path for folder in ("corpus", "regressions") for path in (ROOT / "fuzz" / folder).iterdir()
        if path.is_file() and not path.name.startswith(".") and path.name != "README.md"
    )


def test_the_fixtures_and_logs_of_tests_data() -> None:
    checked = drifted = 0
    for name, text in _json_documents():
        try:
            envelope = msgspec.json.decode(text)
        except msgspec.DecodeError:
            envelope = None  # (a corrupted line: each converter refuses it below)
        if isinstance(envelope, dict) and "direction" in envelope and "event" in envelope:  # a session envelope
            text = msgspec.json.encode(envelope["event"])
        for kind in KINDS:
            try:
                decoded = _DECODE[kind](text)
            except bridge.ValidationError:
                continue
            blob = bridge.json_to_binary(text, kind=kind)
            found = _assert_agrees(blob, kind)
            assert _same(found, bridge.drift(decoded)), name
            checked += 1
            drifted += bool(found)
    assert checked >= 40 and drifted  # every fixture, and the mixed log's events read both ways


def test_every_stored_fuzz_input_read_as_json_and_as_protobuf_of_each_kind() -> None:
    inputs = _stored_inputs()
    assert len(inputs) >= 150
    as_json = as_binary = 0
    for path in inputs:
        document = path.read_bytes()[1:]
        for kind in KINDS:
            try:
                blob = bridge.json_to_binary(document, kind=kind)
            except bridge.ValidationError:
                pass
            else:
                _assert_agrees(blob, kind)
                as_json += 1
            if _accepted(document, kind):
                _assert_agrees(document, kind)
                as_binary += 1
            else:
                _assert_scans_agree(document, kind)  # (bytes of any shape: the same answer)
    assert as_json >= 100 and as_binary >= 20


# ------------------------------------------------------------------------- drift at every depth


@pytest.mark.parametrize(("side", "event_type"), _EVENTS, ids=[f"{s}:{t}" for s, t in _EVENTS])
def test_a_value_of_the_wrong_type_anywhere_in_any_event(side: str, event_type: str) -> None:
    direction = SERVER if side == "server" else CLIENT
    kind = "event" if side == "server" else "client_event"
    for data, where in _misfits(direction, event_type):
        blob = bridge.json_to_binary(data, kind=kind)
        assert [v.path for v in _assert_agrees(blob, kind)] == [where], data
    # The event with nothing of the kind: no drift, and no parse to say so.
    plain = bridge.json_to_binary(msgspec.json.encode({"type": event_type, "event_id": None}), kind=kind)
    assert not _drift.may_drift(plain, kind) and bridge.drift_of_binary(plain, kind) == []
    # In the other direction's envelope, the type is the drift.
    other = "client_event" if kind == "event" else "event"
    misrouted = bridge.json_to_binary(msgspec.json.encode({"type": event_type}), kind=other)
    [hint] = _assert_agrees(misrouted, other)
    assert hint.path == "$.type" and f"{event_type!r} is a" in hint.message


@SETTINGS
@given(documents(), st.data())
def test_generated_documents(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    kind, document = case
    text = data.draw(json_text(document))
    blob = bridge.json_to_binary(text, kind=kind)
    assert _same(_assert_agrees(blob, kind), bridge.drift(_DECODE[kind](text)))


@SETTINGS
@given(documents(), st.data())
def test_corrupted_bytes_either_agree_or_are_refused(case: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    """Bytes no converter wrote: where the long way accepts them, the answer is the same; where it
    does not, a ValidationError or a list (the function does not validate what it need not read),
    never another exception."""
    kind, document = case
    blob = data.draw(corrupted(bridge.json_to_binary(msgspec.json.encode(document), kind=kind)))
    for any_kind in KINDS:
        _assert_scans_agree(blob, any_kind)
    try:
        message = _MESSAGES[kind].FromString(blob)
        expected = bridge.drift(bridge.from_proto(message))
    except (DecodeError, bridge.ValidationError):
        with contextlib.suppress(bridge.ValidationError):
            assert isinstance(bridge.drift_of_binary(blob, kind), list)
        return
    assert bridge.drift_of_binary(blob, kind) == expected


# -------------------------------------------------------------------------- the cheap answers


def test_the_compiled_scan_is_in_use_where_the_extensions_are() -> None:
    assert convert._may_drift is (_accel.may_drift if _accel.available else _drift.may_drift)
    if _accel.available:  # (and it takes bytes only: drift_of_binary hands it bytes)
        with pytest.raises(TypeError):
            _accel.may_drift(bytearray(b"\n\x01x"), "event")  # type: ignore[misc, arg-type]


@SETTINGS
@given(st.binary(max_size=64), st.sampled_from(KINDS))
def test_the_compiled_scan_reads_any_bytes_as_the_pure_one(blob: bytes, kind: str) -> None:
    _assert_scans_agree(blob, kind)
    _assert_scans_agree(bridge.json_to_binary(b'{"type":"error","error":"boom"}') + blob, kind)


def test_the_keys_the_scan_looks_for_are_those_protobuf_writes() -> None:
    kept = realtime_pb2.ServerEvent(json_fidelity=fidelity_pb2.JsonFidelity(unknown_keys={"k": b"1"}))
    record = kept.json_fidelity.SerializeToString()
    assert kept.SerializeToString() == _drift.FIDELITY_KEY + bytes([len(record)]) + record
    assert record.startswith(_drift.UNKNOWN_KEYS_KEY)
    nulls = realtime_pb2.RealtimeResponse(json_fidelity=fidelity_pb2.JsonFidelity(null_fields=[4]))
    assert nulls.SerializeToString().startswith(_drift.FIDELITY_KEY)


def test_events_without_drift_are_answered_without_a_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records of nulls and empty lists (real events are full of them) do not make a parse."""
    blobs = []
    for _, text in _json_documents():
        try:
            event = bridge.decode_event(text)
        except bridge.ValidationError:
            continue
        if not bridge.drift(event):
            blobs.append(bridge.json_to_binary(text))
    with_records = [b for b in blobs if _drift.FIDELITY_KEY in b]
    assert len(blobs) >= 15 and len(with_records) >= 10

    def no_parse(message: Any) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(_drift, "of_message", no_parse)
    for blob in blobs:
        assert bridge.drift_of_binary(blob) == []


def test_a_type_given_twice_is_read_as_protobuf_reads_it() -> None:
    known = realtime_pb2.ServerEvent(type="session.created").SerializeToString()
    unknown = realtime_pb2.ServerEvent(type="x-made-up").SerializeToString()
    for blob, drifts in ((known + unknown, True), (unknown + known, False)):  # the last one counts
        assert bool(_assert_agrees(blob, "event")) is drifts
    # Without a type, the member says it.
    member = realtime_pb2.ServerEvent(error=realtime_pb2.ErrorEvent()).SerializeToString()
    assert _assert_agrees(member, "event") == [] and not _drift.may_drift(member, "event")


def test_audio_that_looks_like_a_record_costs_a_walk_not_a_wrong_answer() -> None:
    record = realtime_pb2.ServerEvent(json_fidelity=fidelity_pb2.JsonFidelity(unknown_keys={"k": b"1"})).SerializeToString()
    large = bytes(range(256)) * 8 + record  # a large event is read field by field: its audio is skipped
    for audio, parsed in ((record, True), (_drift.FIDELITY_KEY + b"\x02\x08\x01", False), (_drift.FIDELITY_KEY, False),
                          (large, False)):
        append = bridge.decode_client_event(msgspec.json.encode({"type": "input_audio_buffer.append", "audio": audio}))
        blob = bridge.json_to_binary(bridge.encode(append), kind="client_event")
        assert _drift.may_drift(blob, "client_event") is parsed
        assert _assert_agrees(blob, "client_event") == []


def test_bytes_that_do_not_parse_are_a_validation_error_and_kind_is_checked() -> None:
    blob = bridge.json_to_binary(b'{"type":"error","error":"boom"}')
    with pytest.raises(bridge.ValidationError) as caught:
        bridge.drift_of_binary(blob[:-1])
    assert caught.value.violations[0].message.startswith("malformed protobuf")
    with pytest.raises(ValueError, match="kind must be"):
        bridge.drift_of_binary(blob, "session")  # type: ignore[arg-type]
    for form in (bytearray(blob), memoryview(blob)):
        assert bridge.drift_of_binary(form) == bridge.drift_of_binary(blob) != []  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------ the logs


def test_every_log_conversion_counts_the_records_that_carry_drift() -> None:
    """``Stats.drifted``, which the CLI's summary prints, for encode and decode as for validate,
    in logs of each kind; a strict run rejects those records, but for an event type of no class,
    which it carries and counts."""
    import io

    from bridge import batch

    server = [b'{"type":"error","error":"boom"}', b'{"type":"response.output_text.delta","delta":"hi"}',
              b'{"type":"x-made-up"}']
    client = [b'{"type":"input_audio_buffer.append","audio":"AAAA","x":1}', b'{"type":"input_audio_buffer.clear"}']
    session = [b'{"direction":"client","received_unix_nano":5,"event":' + client[0] + b"}", *server, client[1]]
    for kind, lines, drifted, refused in (("event", server, 2, 1), ("client_event", client, 1, 1), ("session", session, 3, 2)):
        text = b"".join(line + b"\n" for line in lines)
        binary = io.BytesIO()
        encoded = batch.jsonl_to_delimited(io.BytesIO(text), binary, kind=kind)
        assert (encoded.converted, encoded.drifted) == (len(lines), drifted), kind
        decoded = batch.delimited_to_jsonl(io.BytesIO(binary.getvalue()), io.BytesIO(), kind=kind)
        assert (decoded.converted, decoded.drifted) == (len(lines), drifted), kind
        listed: list[batch.Drift] = []
        valid = batch.validate_jsonl(io.BytesIO(text), kind=kind, on_drift=listed.append)
        assert valid.drifted == len(listed) == drifted
        strict = batch.jsonl_to_delimited(io.BytesIO(text), io.BytesIO(), kind=kind, strict=True)
        assert (strict.rejected, strict.drifted) == (refused, drifted - refused), kind
    # A session record with a time holds its event under $.event.
    [first] = [d for d in listed if d.line == 1]
    assert [v.path for v in first.violations] == ["$.event.x"]
