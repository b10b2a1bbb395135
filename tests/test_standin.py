"""The local Realtime stand-in (issue 25): ``bridge.relay.standin.Replay`` in-process and
``rtbridge replay`` as a process, each met by a plain websockets client on 127.0.0.1. The handshake
rules, the play (groups of server events triggered by client events, in order, timed or fast), what
it records of each connection, and each fault."""

from __future__ import annotations

import asyncio
import doctest
import json
import os
import select
import signal
import socket
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Literal

import pytest
from test_cli import RTBRIDGE
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedError, InvalidStatus

import bridge
from bridge import batch
from bridge.relay import standin
from bridge.relay.standin import Fault, Replay, ScriptError, read_script, recordings

DATA = Path(__file__).parent / "data" / "relay"
LOGS = sorted(DATA.glob("*.jsonl"))
#: Bound of every wait; none is expected to come near it.
TIMEOUT = 30
#: How long a test waits to see that something does NOT happen.
QUIET = 0.3
KEY = "sk-test-standin"
AUTH = {"Authorization": f"Bearer {KEY}"}
MODEL = "?model=gpt-realtime"


def server(n: int, at: int | None = None) -> tuple[str, str, int | None]:
    return "server", json.dumps({"type": "response.output_text.delta", "event_id": f"s{n}", "delta": f"d{n}"}), at


def client(n: int, at: int | None = None, kind: str = "response.create") -> tuple[str, str, int | None]:
    return "client", json.dumps({"type": kind, "event_id": f"c{n}"}), at


#: Group 0: s0, s1; after c0: s2, s3; after c1: s4.
SCRIPT = [server(0), server(1), client(0), server(2), server(3), client(1), server(4)]


def run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(asyncio.wait_for(scenario(), TIMEOUT))


def dial(replay: Replay, query: str = MODEL, headers: dict[str, str] | None = None, path: str = "/v1/realtime") -> Any:
    return connect(
        f"ws://127.0.0.1:{replay.port}{path}{query}",
        additional_headers=AUTH if headers is None else headers,
        open_timeout=TIMEOUT,
        close_timeout=1,
    )


async def recv(ws: ClientConnection) -> str | bytes:
    return await asyncio.wait_for(ws.recv(), TIMEOUT)


async def event_ids(ws: ClientConnection, count: int) -> list[str]:
    return [json.loads(await recv(ws))["event_id"] for _ in range(count)]


async def nothing_more(ws: ClientConnection) -> bool:
    """Whether nothing arrives for a while."""
    try:
        await asyncio.wait_for(ws.recv(), QUIET)
    except asyncio.TimeoutError:  # (TimeoutError itself from Python 3.11)
        return True
    return False


async def refused(
    replay: Replay, query: str = MODEL, headers: dict[str, str] | None = None, path: str = "/v1/realtime"
) -> tuple[int, dict[str, Any], Any]:
    """The status, JSON body and headers of a refused handshake."""
    with pytest.raises(InvalidStatus) as caught:
        async with dial(replay, query, headers, path):
            pass
    response = caught.value.response
    return response.status_code, json.loads(response.body), response.headers


# ------------------------------------------------------------------------------------ handshake


def test_a_handshake_as_the_api_takes_it_is_accepted_and_recorded() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, key=KEY) as replay, dial(replay) as ws:
            assert replay.url == f"ws://127.0.0.1:{replay.port}/v1/realtime"
            await event_ids(ws, 2)
            seen = replay.connections[0]
            assert seen.status == 101
            assert seen.path == "/v1/realtime?model=gpt-realtime" and seen.query == {"model": "gpt-realtime"}
            assert seen.headers["Authorization"] == f"Bearer {KEY}"
            assert ws.response.headers["x-request-id"] == seen.request_id

    run(scenario)


@pytest.mark.parametrize("query", ["?model=gpt-realtime", "?call_id=rtc_123", "?intent=transcription", "?intent=realtime&model=m"])
def test_the_query_may_name_a_model_a_call_or_a_transcription(query: str) -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True) as replay, dial(replay, query) as ws:
            assert await event_ids(ws, 2) == ["s0", "s1"]

    run(scenario)


def test_a_wrong_path_is_404_with_a_json_error() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True) as replay:
            status, body, headers = await refused(replay, path="/v1/chat")
            assert status == 404 and body["error"]["type"] == "invalid_request_error"
            assert headers["x-request-id"] == replay.connections[0].request_id
            assert replay.connections[0].status == 404
            await replay.connections[0].ended.wait()

    run(scenario)


@pytest.mark.parametrize("query", ["", "?model=", "?intent=realtime", "?intent=voice&model=m", "?voice=alloy"])
def test_a_query_without_model_call_id_or_transcription_intent_is_400(query: str) -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True) as replay:
            status, body, _ = await refused(replay, query)
            assert status == 400 and set(body["error"]) >= {"message", "type", "code"}

    run(scenario)


@pytest.mark.parametrize(
    ("auth", "headers", "status"),
    [
        ("bearer", {}, 401),
        ("bearer", {"Authorization": "Bearer "}, 401),
        ("bearer", {"Authorization": f"Basic {KEY}"}, 401),
        ("bearer", {"Authorization": "Bearer sk-wrong-key"}, 401),
        ("bearer", {"api-key": KEY}, 401),
        ("bearer", {"Authorization": f"Bearer {KEY}"}, 101),
        ("api-key", {"api-key": KEY}, 101),
        ("api-key", {"Authorization": f"Bearer {KEY}"}, 401),
        ("api-key", {"api-key": "sk-wrong-key"}, 401),
    ],
)
def test_the_credential_is_checked_against_the_key(auth: Any, headers: dict[str, str], status: int) -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, key=KEY, auth=auth) as replay:
            if status == 101:
                async with dial(replay, headers=headers) as ws:
                    assert await event_ids(ws, 1) == ["s0"]
            else:
                got, body, _ = await refused(replay, headers=headers)
                assert got == 401 and "sk-wrong-key" not in json.dumps(body) and KEY not in json.dumps(body)

    run(scenario)


def test_without_a_key_any_non_empty_bearer_credential_is_accepted() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True) as replay:
            async with dial(replay, headers={"Authorization": "Bearer anything"}) as ws:
                assert await event_ids(ws, 1) == ["s0"]
            assert (await refused(replay, headers={}))[0] == 401

    run(scenario)


def test_an_openai_beta_header_gets_the_error_event_and_close_4000() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True) as replay, dial(replay, headers={**AUTH, "OpenAI-Beta": "realtime=v1"}) as ws:
            error = json.loads(await recv(ws))
            assert error == {
                "type": "error",
                "error": {
                    "type": "invalid_request_error",
                    "code": "beta_api_shape_disabled",
                    "message": "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.",
                },
            }
            with pytest.raises(ConnectionClosed) as closed:
                await recv(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4000
            assert closed.value.rcvd.reason == "beta_api_shape_disabled"

    run(scenario)


@pytest.mark.parametrize("status", [401, 403, 429, 503])
def test_refuse_answers_every_handshake_with_its_status_and_a_json_body(status: int) -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, faults=[f"refuse={status}"]) as replay:
            for _ in range(2):
                got, body, headers = await refused(replay)
                assert got == status and "message" in body["error"] and headers["x-request-id"].startswith("req_")
            assert [seen.status for seen in replay.connections] == [status, status]

    run(scenario)


# ----------------------------------------------------------------------------------------- play


def test_each_client_event_triggers_the_server_events_recorded_after_it() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True) as replay, dial(replay) as ws:
            assert await event_ids(ws, 2) == ["s0", "s1"]  # on connect
            assert await nothing_more(ws)
            await ws.send(SCRIPT[2][1])
            assert await event_ids(ws, 2) == ["s2", "s3"]
            assert await nothing_more(ws)
            await ws.send(SCRIPT[5][1])
            assert await event_ids(ws, 1) == ["s4"]
            assert await nothing_more(ws)
            assert replay.connections[0].mismatches == []

    run(scenario)


def test_every_connection_plays_the_script_from_its_start() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True) as replay:
            async with dial(replay) as first, dial(replay) as second:
                await first.send(SCRIPT[2][1])
                assert await event_ids(first, 4) == ["s0", "s1", "s2", "s3"]
                assert await event_ids(second, 2) == ["s0", "s1"]
                await second.send('{"type": "response.create", "event_id": "other"}')
                assert await event_ids(second, 2) == ["s2", "s3"]
            await asyncio.gather(*(seen.ended.wait() for seen in replay.connections))
            assert [seen.frames for seen in replay.connections] == [
                [SCRIPT[2][1]],
                ['{"type": "response.create", "event_id": "other"}'],
            ]

    run(scenario)


@pytest.mark.parametrize("log", LOGS, ids=lambda path: path.stem)
def test_a_recorded_session_plays_back_in_order(log: Path) -> None:
    script = read_script(log)

    async def scenario() -> None:
        async with Replay(script, fast=True) as replay, dial(replay) as ws:
            received = []
            for direction, text, _ in script:
                if direction == "client":
                    await ws.send(text)
            for _ in range(sum(direction == "server" for direction, _, _ in script)):
                received.append(await recv(ws))
            assert received == [text for direction, text, _ in script if direction == "server"]
            assert await nothing_more(ws)
            assert replay.connections[0].frames == [text for direction, text, _ in script if direction == "client"]
            assert replay.connections[0].mismatches == []

    run(scenario)


def test_recorded_timing_delays_each_event_from_its_trigger() -> None:
    second = 1_000_000_000
    script = [server(0, 5 * second), server(1, 5 * second + round(QUIET * second))]  # s1: QUIET after the first record

    async def scenario() -> float:
        async with Replay(script) as replay:
            started = time.monotonic()
            async with dial(replay) as ws:
                assert await event_ids(ws, 2) == ["s0", "s1"]
                return time.monotonic() - started

    # A lower bound, which no scheduling can break: s1 cannot leave before its recorded delay.
    assert run(scenario) >= QUIET - 0.02


def test_fast_drops_the_recorded_timing() -> None:
    hour = 3600 * 1_000_000_000
    script = [client(0, 0), server(0, hour), server(1, 2 * hour)]

    async def scenario() -> None:
        async with Replay(script, fast=True) as replay, dial(replay) as ws:
            await ws.send(script[0][1])
            assert await event_ids(ws, 2) == ["s0", "s1"]  # (an hour and two, if it kept the timing)

    run(scenario)


def test_a_client_event_of_another_type_is_logged_and_play_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True) as replay, dial(replay) as ws:
            await event_ids(ws, 2)
            await ws.send(json.dumps({"type": "input_audio_buffer.clear"}))
            assert await event_ids(ws, 2) == ["s2", "s3"]
            await ws.send(SCRIPT[5][1])
            await ws.send(SCRIPT[5][1])  # past the script's end
            assert await event_ids(ws, 1) == ["s4"]
            assert await nothing_more(ws)
            assert replay.connections[0].mismatches == [
                "client event 0: expected 'response.create', got 'input_audio_buffer.clear'",
                "client event 2, past the script's end: expected None, got 'response.create'",
            ]

    run(scenario)
    assert "expected 'response.create', got 'input_audio_buffer.clear'" in caplog.text


@pytest.mark.parametrize(
    "sent", ['{"type": "conversation.item.create"}', "not JSON", b"\x00binary"], ids=["other-type", "not-json", "binary"]
)
def test_strict_script_closes_with_1008_on_an_unscripted_event(sent: str | bytes) -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, strict_script=True) as replay, dial(replay) as ws:
            await event_ids(ws, 2)
            await ws.send(sent)
            with pytest.raises(ConnectionClosed) as closed:
                await recv(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
            await replay.connections[0].ended.wait()
            assert replay.connections[0].frames == [sent]

    run(scenario)


def test_strict_script_closes_on_an_event_past_the_script() -> None:
    async def scenario() -> None:
        script = [server(0), client(0)]
        async with Replay(script, fast=True, strict_script=True) as replay, dial(replay) as ws:
            await event_ids(ws, 1)
            await ws.send(script[1][1])
            assert await nothing_more(ws)
            await ws.send(script[1][1])
            with pytest.raises(ConnectionClosed) as closed:
                await recv(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008

    run(scenario)


def test_close_at_end_closes_once_the_last_scripted_event_is_played() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, close_at_end=1000) as replay, dial(replay) as ws:
            await ws.send(SCRIPT[2][1])
            await ws.send(SCRIPT[5][1])
            assert await event_ids(ws, 5) == ["s0", "s1", "s2", "s3", "s4"]
            with pytest.raises(ConnectionClosed) as closed:
                await recv(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000
            await replay.connections[0].ended.wait()
            assert replay.connections[0].close_code == 1000

    run(scenario)


def test_close_at_end_waits_for_the_scripted_client_events_after_the_last_server_event() -> None:
    script = [server(0), client(0)]

    async def scenario() -> None:
        async with Replay(script, fast=True, close_at_end=4001) as replay, dial(replay) as ws:
            await event_ids(ws, 1)
            assert await nothing_more(ws)
            await ws.send(script[1][1])
            with pytest.raises(ConnectionClosed) as closed:
                await recv(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001

    run(scenario)


def test_every_client_frame_is_recorded_exactly_and_in_order() -> None:
    event = bridge.json_to_binary(b'{"type": "input_audio_buffer.append", "audio": "AAAA", "event_id": "c1"}', kind="client_event")
    frames: list[str | bytes] = [
        bridge.binary_to_json(event, kind="client_event").decode(),
        '{ "type" : "response.create",\n  "x": "\\u00e9" }',
        b"\x01\x02 binary",
        "{}",
    ]

    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True) as replay:
            async with dial(replay) as ws:
                for frame in frames:
                    await ws.send(frame)
                await event_ids(ws, 5)
            await replay.connections[0].ended.wait()
            seen = replay.connections[0]
            assert seen.frames == frames
            assert bridge.json_to_binary(seen.frames[0], kind="client_event") == event
            assert seen.close_code == 1000

    run(scenario)


def test_a_client_that_goes_during_the_handshake_is_seen_gone() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True) as replay:
            _, writer = await asyncio.open_connection("127.0.0.1", replay.port)
            writer.write(
                b"GET /v1/realtime?model=m HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                b"Authorization: Bearer k\r\n\r\n"
            )
            writer.close()  # without reading the answer
            await writer.wait_closed()
            while not replay.connections:
                await asyncio.sleep(0.01)
            await replay.connections[0].ended.wait()  # (bounded by run's TIMEOUT)

    run(scenario)


def test_keep_frames_false_keeps_none_and_still_follows_the_script() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, keep_frames=False) as replay, dial(replay) as ws:
            await ws.send('{"type": "session.update"}')
            assert await event_ids(ws, 4) == ["s0", "s1", "s2", "s3"]
            assert replay.connections[0].frames == []
            assert replay.connections[0].mismatches == ["client event 0: expected 'response.create', got 'session.update'"]

    run(scenario)


# --------------------------------------------------------------------------------------- faults


def test_drop_aborts_the_connection_without_a_close_frame() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, faults=["drop@1"]) as replay, dial(replay) as ws:
            assert await event_ids(ws, 1) == ["s0"]
            with pytest.raises(ConnectionClosedError) as closed:
                await recv(ws)
            assert closed.value.rcvd is None  # no close frame came
            await replay.connections[0].ended.wait()

    run(scenario)


def test_stall_stops_reading_and_writing_so_pings_go_unanswered() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, faults=["stall@1"]) as replay, dial(replay) as ws:
            assert await event_ids(ws, 1) == ["s0"]
            await ws.send(SCRIPT[2][1])
            pong = await ws.ping()
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(pong, QUIET)
            assert await nothing_more(ws)
            assert replay.connections[0].frames == []  # what it sent was never read
            ws.transport.abort()
        # leaving the block ended the stalled connection too (bounded by TIMEOUT)
        assert replay.connections[0].ended.is_set()

    run(scenario)


@pytest.mark.parametrize(("fault", "code", "reason"), [("close=1011@2", 1011, ""), ("close=4000:beta shape@2", 4000, "beta shape")])
def test_close_closes_with_the_code_and_reason(fault: str, code: int, reason: str) -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, faults=[fault]) as replay, dial(replay) as ws:
            await ws.send(SCRIPT[2][1])
            assert await event_ids(ws, 2) == ["s0", "s1"]
            with pytest.raises(ConnectionClosed) as closed:
                await recv(ws)
            assert closed.value.rcvd is not None and (closed.value.rcvd.code, closed.value.rcvd.reason) == (code, reason)

    run(scenario)


def test_a_fault_at_the_end_of_the_script_comes_after_its_last_event() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, faults=["close=1001@5"]) as replay, dial(replay) as ws:
            await ws.send(SCRIPT[2][1])
            await ws.send(SCRIPT[5][1])
            assert await event_ids(ws, 5) == ["s0", "s1", "s2", "s3", "s4"]
            with pytest.raises(ConnectionClosed) as closed:
                await recv(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001

    run(scenario)


def test_binary_and_garbage_frames_come_in_the_script_which_goes_on() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, faults=["binary@1", "garbage@1"]) as replay, dial(replay) as ws:
            first, binary, garbage, second = [await recv(ws) for _ in range(4)]
            assert json.loads(first)["event_id"] == "s0" and json.loads(second)["event_id"] == "s1"
            assert isinstance(binary, bytes)
            assert isinstance(garbage, str)
            with pytest.raises(json.JSONDecodeError):
                json.loads(garbage)

    run(scenario)


def test_oversize_sends_a_json_event_of_exactly_that_size() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, faults=["oversize=100000@0"]) as replay, dial(replay) as ws:
            oversize = await recv(ws)
            assert isinstance(oversize, str) and len(oversize.encode()) == 100_000
            assert json.loads(oversize)["type"] == "response.output_text.delta"
            bridge.json_to_binary(oversize)  # a valid event
            assert await event_ids(ws, 2) == ["s0", "s1"]

    run(scenario)


def test_burst_sends_the_next_events_back_to_back_whatever_their_triggers() -> None:
    async def scenario() -> None:
        async with Replay(SCRIPT, fast=True, faults=["burst=3@1"]) as replay, dial(replay) as ws:
            assert await event_ids(ws, 4) == ["s0", "s1", "s2", "s3"]  # s2, s3 before their trigger
            assert await nothing_more(ws)
            await ws.send(SCRIPT[2][1])  # its group went out already
            assert await nothing_more(ws)
            await ws.send(SCRIPT[5][1])
            assert await event_ids(ws, 1) == ["s4"]

    run(scenario)


def test_a_burst_ignores_the_recorded_timing() -> None:
    hour = 3600 * 1_000_000_000
    script = [server(0, 0), server(1, hour), server(2, 2 * hour)]

    async def scenario() -> None:
        async with Replay(script, faults=["burst=2@1"]) as replay, dial(replay) as ws:
            assert await event_ids(ws, 3) == ["s0", "s1", "s2"]

    run(scenario)


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("drop@0", Fault("drop", 0)),
        ("stall@12", Fault("stall", 12)),
        ("close=1011@3", Fault("close", 3, 1011)),
        ("close=1011:oops: a@b@3", Fault("close", 3, 1011, "oops: a@b")),
        ("binary@2", Fault("binary", 2)),
        ("garbage@2", Fault("garbage", 2)),
        ("oversize=2000000@1", Fault("oversize", 1, 2_000_000)),
        ("burst=50@0", Fault("burst", 0, 50)),
        ("refuse=503", Fault("refuse", 0, 503)),
    ],
)
def test_faults_parse_and_print_back(text: str, fault: Fault) -> None:
    assert Fault.parse(text) == fault
    assert Fault.parse(str(fault)) == fault


def test_the_module_examples_hold() -> None:
    results = doctest.testmod(standin)
    assert results.attempted and not results.failed


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("explode@1", "the kind must be one of"),
        ("drop", "with @K"),
        ("drop@-1", "with @K"),
        ("drop@x", "with @K"),
        ("drop=3@1", "drop with no =VALUE"),
        ("close@1", "close=VALUE"),
        ("close=abc@1", "is not a close code"),
        ("close=1005@1", "not a close code a peer may send"),
        ("close=2000@1", "not a close code a peer may send"),
        ("close=1000:" + "r" * 124 + "@1", "at most 123 bytes"),
        ("burst=0@1", "at least one event"),
        ("oversize=10@1", "the smallest event is"),
        ("refuse=503@0", "takes no @K"),
        ("refuse=200", "400-599"),
    ],
)
def test_a_bad_fault_is_refused_saying_why(text: str, says: str) -> None:
    with pytest.raises(ValueError, match="fault") as caught:
        Fault.parse(text)
    assert says in str(caught.value)


def test_a_fault_past_the_script_or_a_bad_close_code_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="only 5 server events"):
        Replay(SCRIPT, faults=["drop@6"])
    with pytest.raises(ValueError, match="close_at_end"):
        Replay(SCRIPT, close_at_end=1006)
    with pytest.raises(ValueError, match="direction"):
        Replay([("upstream", "{}", None)])


# -------------------------------------------------------------------------------------- scripts


def test_a_session_log_reads_as_its_events_with_direction_and_time(tmp_path: Path) -> None:
    script = read_script(DATA / "voice-turn.jsonl")
    lines = (DATA / "voice-turn.jsonl").read_bytes().splitlines()
    assert len(script) == len(lines)
    for (direction, text, received), line in zip(script, lines, strict=True):
        envelope = json.loads(line)
        assert (direction, received) == (envelope["direction"], envelope["received_unix_nano"])
        kind: Literal["event", "client_event"] = "event" if direction == "server" else "client_event"
        assert text.encode() == bridge.binary_to_json(bridge.json_to_binary(json.dumps(envelope["event"]), kind=kind), kind=kind)
    # the same log as length-delimited SessionRecords (rtbridge decode) reads the same
    binary = tmp_path / "voice-turn.bin"
    with (DATA / "voice-turn.jsonl").open("rb") as src, binary.open("wb") as dst:
        batch.jsonl_to_delimited(src, dst, kind="session")
    assert read_script(binary) == script


def test_plain_lines_are_routed_by_type_and_have_no_time() -> None:
    script = read_script(DATA / "function-call.jsonl")
    assert {received for _, _, received in script} == {None}
    assert [direction for direction, _, _ in script[:4]] == ["server", "client", "server", "client"]


def test_a_log_with_bad_records_is_refused_naming_each(tmp_path: Path) -> None:
    log = tmp_path / "bad.jsonl"
    good = (DATA / "error.jsonl").read_bytes().splitlines()
    log.write_bytes(b"\n".join([good[0], b'{"type": 5}', good[1], b"{oops"]) + b"\n")
    with pytest.raises(ScriptError) as caught:
        read_script(log)
    assert [rejection.line for rejection in caught.value.rejections] == [2, 4]
    assert "line 2: $.type: Expected `str`, got `int`" in str(caught.value)


def test_an_unknown_name_says_which_recordings_there_are(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="neither a file nor a shipped recording") as caught:
        read_script("no-such-recording")
    assert (", ".join(recordings()) or "none yet") in str(caught.value)
    (tmp_path / "text.jsonl").write_text("just some\nplain text\n")
    with pytest.raises(ScriptError, match="plain text"):
        read_script(tmp_path / "text.jsonl")


@pytest.mark.parametrize("name", recordings() or ["(none shipped yet)"])
def test_each_shipped_recording_reads_by_name(name: str) -> None:
    if name == "(none shipped yet)":
        assert recordings() == []
        return
    script = read_script(name)
    assert script and {direction for direction, _, _ in script} == {"server", "client"}


# ------------------------------------------------------------------------------------------ CLI


class Replaying:
    """``rtbridge replay ARGS`` as a process: started, its URL read off its first line."""

    def __init__(self, *args: object, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [str(RTBRIDGE), "replay", *map(str, args)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        assert self.process.stdout is not None
        output = b""
        deadline = time.monotonic() + TIMEOUT
        while b"\n" not in output:
            remaining = deadline - time.monotonic()
            assert remaining > 0 and self.process.poll() is None, output
            if select.select([self.process.stdout], [], [], remaining)[0]:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                assert chunk, "stdout closed before the URL came"
                output += chunk
        self.first_line = output.decode().splitlines()[0]

    def stop(self, signum: int) -> tuple[int, str]:
        self.process.send_signal(signum)
        try:
            _, stderr = self.process.communicate(timeout=TIMEOUT)
        finally:
            self.process.kill()
        return self.process.returncode, stderr.decode()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_rtbridge_replay_serves_the_log_until_a_signal_then_exits_0(signum: int) -> None:
    replaying = Replaying(DATA / "error.jsonl", "--port", 0, "--fast", "--key-env", "STANDIN_KEY", env={"STANDIN_KEY": KEY})
    url = replaying.first_line
    assert url.startswith("ws://127.0.0.1:") and url.endswith("/v1/realtime")

    async def scenario() -> None:
        async with connect(url + MODEL, additional_headers=AUTH, open_timeout=TIMEOUT) as ws:
            assert json.loads(await recv(ws))["type"] == "session.created"
            await ws.send(read_script(DATA / "error.jsonl")[1][1])
            assert json.loads(await recv(ws))["type"] == "error"
        with pytest.raises(InvalidStatus) as caught:
            async with connect(url + MODEL, additional_headers={"Authorization": "Bearer wrong"}, open_timeout=TIMEOUT):
                pass
        assert caught.value.response.status_code == 401

    run(scenario)
    returncode, stderr = replaying.stop(signum)
    assert returncode == 0, stderr
    assert KEY not in stderr and "Traceback" not in stderr


def test_rtbridge_replay_injects_the_faults_it_is_given(tmp_path: Path) -> None:
    (tmp_path / "key").write_text(f"{KEY}\n")
    replaying = Replaying(
        DATA / "voice-turn.jsonl", "--port", 0, "--fast", "--fault", "close=1011:bye@1", "--auth", "api-key", "--key-file", tmp_path / "key"
    )

    async def scenario() -> None:
        async with connect(replaying.first_line + MODEL, additional_headers={"api-key": KEY}, open_timeout=TIMEOUT) as ws:
            assert json.loads(await recv(ws))["type"] == "session.created"
            await ws.send(read_script(DATA / "voice-turn.jsonl")[1][1])  # the trigger of server event 1
            with pytest.raises(ConnectionClosed) as closed:
                await recv(ws)
            assert closed.value.rcvd is not None and (closed.value.rcvd.code, closed.value.rcvd.reason) == (1011, "bye")

    run(scenario)
    assert replaying.stop(signal.SIGTERM)[0] == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["no-such-recording", "--port", "0"], "neither a file nor a shipped recording"),
        ([DATA / "voice-turn.jsonl", "--port", "0", "--fault", "drop"], "say at which server event"),
        ([DATA / "voice-turn.jsonl", "--port", "0", "--key-env", "STANDIN_UNSET_VARIABLE"], "STANDIN_UNSET_VARIABLE is unset"),
        ([DATA / "voice-turn.jsonl", "--port", "0", "--key-file", DATA / "no-such-key"], "cannot read the key file"),
        ([DATA / "voice-turn.jsonl", "--port", "0", "--key-file", os.devnull], "is empty"),
        ([DATA / "voice-turn.jsonl", "--port", "70000"], "0-65535"),
        ([DATA / "voice-turn.jsonl"], "--port"),
    ],
)
def test_rtbridge_replay_refuses_bad_options_with_exit_2(args: list[object], says: str) -> None:
    result = subprocess.run([str(RTBRIDGE), "replay", *map(str, args)], capture_output=True, timeout=TIMEOUT)
    assert result.returncode == 2 and says in result.stderr.decode()


def test_rtbridge_replay_says_when_it_cannot_listen_with_exit_1() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([str(RTBRIDGE), "replay", DATA / "error.jsonl", "--port", str(port)], capture_output=True, timeout=TIMEOUT)
    assert result.returncode == 1
    assert f"rtbridge: error: cannot listen on 127.0.0.1:{port}" in result.stderr.decode()
