"""``rtbridge serve --upstream ... --record DIR`` (bridge.relay.recorder): a session recorded both
ways in order with receive times, that ``rtbridge encode`` reads back to the JSON the upstream sent
and received; a recorder that cannot keep up (tiny queue, writes blocked) drops records and counts
them, a disk error is logged once and counted, and the session is unaffected by either."""

from __future__ import annotations

import argparse
import json
import logging
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY
from websockets.asyncio.server import ServerConnection

import bridge
from bridge.framing import iter_frames
from bridge.relay import recorder as recorder_module
from bridge.relay._config import RelayConfig
from bridge.relay.client import SessionClient
from bridge.relay.recorder import Recorder
from bridge.service._command import add_arguments, config_from_args
from bridge.service.app import BackgroundServer, ServerConfig
from bridge.v1.realtime_pb2 import ClientEvent
from bridge.v1.session_pb2 import SessionRecord
from bridge.v1.session_service_pb2 import SessionEnded, SessionOutcome
from tests._relay import KEY, Upstream, event, relay

RTBRIDGE = Path(sys.executable).parent / "rtbridge"
CREATED = event("session.created", event_id="e0", session={"type": "realtime", "model": "gpt-realtime"})
#: How long a test holds the recorder's writes (released earlier, always; a bound, not a timing).
HOLD = 30.0


def _delta(n: int) -> str:
    return event("response.output_audio.delta", event_id=f"d{n}", response_id="r", item_id="i", output_index=0,
                 content_index=0, delta="AAECAw==")


def _append(n: int) -> ClientEvent:
    return ClientEvent.FromString(bridge.json_to_binary(event("input_audio_buffer.append", event_id=f"c{n}", audio="AAECAw=="),
                                                        kind="client_event"))


def _records(path: Path) -> list[SessionRecord]:
    with path.open("rb") as stream:
        return [SessionRecord.FromString(frame.payload) for frame in iter_frames(stream)]


def _recording(directory: Path, session_id: str) -> Path:
    found = list(directory.glob(f"*/*-{session_id}.bin"))
    assert len(found) == 1, found
    return found[0]


def test_a_session_is_recorded_both_ways_in_order_and_rtbridge_encode_reads_it_back(tmp_path: Path) -> None:
    async def echo(connection: ServerConnection) -> None:
        await connection.send(CREATED)
        async for frame in connection:
            upstream.received.append(frame)
            await connection.send(_delta(len(upstream.received)))

    records_dir = tmp_path / "records"
    began = time.time_ns()
    with (
        Upstream(echo) as upstream,
        relay(upstream, record_dir=str(records_dir)) as channel,
        SessionClient(channel, model="gpt-realtime", timeout=30) as session,
    ):
        for n, _server_event in enumerate(session):  # one event up after each event down
            if n < 3:
                session.send(_append(n))
            else:
                session.close()
    finished = time.time_ns()
    assert session.ended is not None and session.ended.outcome == SessionOutcome.SESSION_OUTCOME_CALLER_CLOSED
    assert session.ended.records_dropped == 0
    assert session.connected is not None
    path = _recording(records_dir, session.connected.session_id)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    day = time.strftime("%Y%m%d", time.gmtime(began / 1e9)), time.strftime("%Y%m%d", time.gmtime(finished / 1e9))
    assert path.parent.name in day and path.name[6] == "-" and path.name[:6].isdigit()

    records = _records(path)
    assert [r.WhichOneof("event") for r in records] == ["server_event", "client_event"] * 3 + ["server_event"]
    assert [r.server_event.event_id or r.client_event.event_id for r in records] == ["e0", "c0", "d1", "c1", "d2", "c2", "d3"]
    times = [r.received_unix_nano for r in records]
    assert all(r.HasField("received_unix_nano") for r in records)
    assert began <= times[0] and times == sorted(times) and times[-1] <= finished
    # The recorded bytes are those that crossed: the caller's events as sent, the upstream's converted.
    assert [r.client_event for r in records if r.HasField("client_event")] == [_append(n) for n in range(3)]

    # rtbridge encode gives back the JSON the upstream received (byte for byte) and sent (as JSON).
    out = tmp_path / "session.jsonl"
    done = subprocess.run([str(RTBRIDGE), "encode", str(path), "-o", str(out)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["direction"] for line in lines] == ["server", "client"] * 3 + ["server"]
    assert [line["received_unix_nano"] for line in lines] == times
    assert [json.dumps(line["event"], separators=(",", ":")) for line in lines if line["direction"] == "client"] == upstream.received
    sent = [CREATED, _delta(1), _delta(2), _delta(3)]
    assert [line["event"] for line in lines if line["direction"] == "server"] == [json.loads(text) for text in sent]


def _held_writer(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """Make the recorder's writer stop at the first record it takes until ``release`` is set (at
    most HOLD seconds); ``entered`` is set when it has stopped there. Returns (entered, release)."""
    entered, release = threading.Event(), threading.Event()
    record = recorder_module.session_record

    def held(*args: Any) -> bytes:
        entered.set()
        release.wait(HOLD)
        return record(*args)

    monkeypatch.setattr(recorder_module, "session_record", held)
    return entered, release


def test_a_recorder_that_cannot_keep_up_drops_and_counts_records_and_the_session_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    burst = 40

    async def flood(connection: ServerConnection) -> None:
        await connection.send(CREATED)
        async for frame in connection:
            upstream.received.append(frame)
            for n in range(burst):
                await connection.send(_delta(n))
            await connection.send(event("response.done", event_id="done", response={"id": "r"}))

    _entered, release = _held_writer(monkeypatch)
    dropped_before = REGISTRY.get_sample_value("rtbridge_session_records_dropped_total") or 0.0
    try:
        with Upstream(flood) as upstream, relay(upstream, record_dir=str(tmp_path), record_queue=2, metrics=True) as channel:
            with SessionClient(channel, model="m", timeout=30) as session:
                session.send(_append(0))
                types = []
                for server_event in session:
                    types.append(server_event.type)
                    if server_event.type == "response.done":
                        session.close()
            dropped_after = REGISTRY.get_sample_value("rtbridge_session_records_dropped_total") or 0.0
            release.set()
    finally:
        release.set()
    # The session: every event delivered, in order, as without a recorder.
    assert types == ["session.created", *["response.output_audio.delta"] * burst, "response.done"]
    ended = session.ended
    assert ended is not None and ended.outcome == SessionOutcome.SESSION_OUTCOME_CALLER_CLOSED
    assert (ended.client_events_sent, ended.server_events_delivered) == (1, burst + 2)
    # The records: the one the writer held and the two the queue holds got through, at most.
    total = 1 + burst + 2
    assert total - 3 <= ended.records_dropped <= total - 2
    assert dropped_after - dropped_before == ended.records_dropped
    assert session.connected is not None
    records = _records(_recording(tmp_path, session.connected.session_id))
    assert len(records) + ended.records_dropped == total
    # Those kept are in the upstream's order, none twice (the client event's place among them is
    # when it came: the caller sent it while the upstream sent session.created).
    ids = ["e0", *[f"d{n}" for n in range(burst)], "done"]
    kept = [r.server_event.event_id for r in records if r.HasField("server_event")]
    assert kept == [i for i in ids if i in kept]
    assert [r.client_event.event_id for r in records if r.HasField("client_event")] in ([], ["c0"])


def test_a_disk_error_is_logged_once_per_session_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def echo(connection: ServerConnection) -> None:
        await connection.send(CREATED)
        async for frame in connection:
            upstream.received.append(frame)
            await connection.send(_delta(len(upstream.received)))

    def full(_fd: int, _data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(recorder_module, "_write_all", full)
    errors_before = REGISTRY.get_sample_value("rtbridge_session_record_errors_total") or 0.0
    with (
        caplog.at_level(logging.ERROR, logger="bridge.relay"),
        Upstream(echo) as upstream,
        relay(upstream, record_dir=str(tmp_path), metrics=True) as channel,
        SessionClient(channel, model="m", timeout=30) as session,
    ):
        for n, _server_event in enumerate(session):
            if n < 5:
                session.send(_append(n))
            else:
                session.close()
    errors_after = REGISTRY.get_sample_value("rtbridge_session_record_errors_total") or 0.0
    ended = session.ended
    assert ended is not None and ended.outcome == SessionOutcome.SESSION_OUTCOME_CALLER_CLOSED
    assert (ended.client_events_sent, ended.server_events_delivered, ended.records_dropped) == (5, 6, 0)
    assert errors_after - errors_before == 11  # every record of the session: none was written
    assert session.connected is not None
    failures = [r for r in caplog.records if "recording to" in r.getMessage()]
    assert len(failures) == 1
    assert session.connected.session_id in failures[0].getMessage() and "No space left on device" in failures[0].getMessage()


def test_the_byte_budget_drops_what_does_not_fit_and_counts_it_in_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = _held_writer(monkeypatch)
    payload = bridge.json_to_binary(_delta(0), kind="event")
    recorder = Recorder(str(tmp_path), 100, max_bytes=len(payload) * 5 // 2)
    ended = SessionEnded()
    recording = recorder.open("0123456789abcdef", ended)
    try:
        recording.server(payload)
        assert entered.wait(HOLD)  # the writer holds the first; it no longer waits in the queue
        for _ in range(4):
            recording.server(payload)  # two fit in the budget of two and a half, the next two do not
        assert ended.records_dropped == 2
    finally:
        release.set()
        recording.close()
        recorder.close()
    assert len(_records(Path(recording.path))) == 3


def test_a_session_that_ends_while_the_queue_is_full_has_its_file_closed_after_its_last_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = _held_writer(monkeypatch)
    recorder = Recorder(str(tmp_path), 1)
    ended = SessionEnded()
    recording = recorder.open("0123456789abcdef", ended)
    payload = bridge.json_to_binary(_delta(0), kind="event")
    try:
        recording.server(payload)
        assert entered.wait(HOLD)
        recording.server(payload)  # the queue's one place
        recording.close()  # finds the queue full: the writer closes the file after the record queued
        release.set()
        deadline = time.monotonic() + HOLD
        path = Path(recording.path)
        while not (path.exists() and len(_records(path)) == 2 and recording.fd is None):
            assert time.monotonic() < deadline, "the file was not written and closed"
            time.sleep(0.01)
        assert ended.records_dropped == 0
    finally:
        release.set()
        recorder.close()


def test_an_unusable_record_directory_is_a_startup_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    config = ServerConfig(port=0, relay=RelayConfig("ws://127.0.0.1:9/v1/realtime", key=KEY, record_dir=str(tmp_path / "file" / "x")))
    with pytest.raises(OSError, match=r"cannot record sessions in .*file/x"):
        BackgroundServer(config).start()


def test_rtbridge_serve_with_an_unusable_record_directory_exits_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    done = subprocess.run(
        [str(RTBRIDGE), "serve", "--port", "0", "--upstream", "ws://127.0.0.1:9/v1/realtime", "--record", str(tmp_path / "file" / "x")],
        capture_output=True, text=True, timeout=60, env={**os.environ, "OPENAI_API_KEY": KEY}, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"rtbridge: error: cannot record sessions in {tmp_path / 'file' / 'x'}: Not a directory"]


def test_the_record_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    args: Any = parser.parse_args(["--upstream", "wss://example.com/v1/realtime", "--record", str(tmp_path), "--record-queue", "7"])
    relay_config = config_from_args(args).relay
    assert relay_config is not None
    assert (relay_config.record_dir, relay_config.record_queue) == (str(tmp_path), 7)
    assert config_from_args(parser.parse_args(["--upstream", "wss://example.com/v1/realtime"])).relay.record_dir is None  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="--record needs --upstream"):
        config_from_args(parser.parse_args(["--record", str(tmp_path)]))
    with pytest.raises(ValueError, match="record queue must be at least 1"):
        config_from_args(parser.parse_args(["--upstream", "wss://example.com/v1/realtime", "--record-queue", "0"]))
    assert os.listdir(tmp_path) == []  # parsing records nothing
