"""The relay's limits and the endings of its own side: a caller too slow to read (and the
backpressure that comes before it), the drain at shutdown, a failure of the relay itself."""

from __future__ import annotations

import asyncio
import threading

import grpc
import pytest
from websockets.asyncio.server import ServerConnection

from bridge.relay import _session
from bridge.relay._outcomes import ENDINGS, Ending
from bridge.relay.client import SessionClient
from tests._relay import Upstream, event, relay, relay_server

CREATED = event("session.created", event_id="e0", session={"type": "realtime"})


def _delta(n: int, size: int) -> str:
    return event("response.output_text.delta", event_id=f"e{n}", response_id="r", item_id="i", output_index=0,
                 content_index=0, delta="x" * size)


def test_a_caller_that_stops_reading_slows_the_upstream_then_ends_too_slow() -> None:
    """While the caller reads nothing, the relay's buffer fills, it stops reading the upstream, and
    the upstream's sends stall: what it sent stops growing, far short of what it had. When one
    write to the caller stays blocked for the lag limit, the session ends with RESOURCE_EXHAUSTED."""
    total, sent = 20000, []

    async def flood(connection: ServerConnection) -> None:
        await connection.send(CREATED)
        for n in range(total):
            await connection.send(_delta(n, 8000))
            sent.append(n)
        await connection.wait_closed()

    with Upstream(flood) as upstream, relay(upstream, buffer_events=8, max_lag=3.0) as channel:
        session = SessionClient(channel, model="m", timeout=60)
        events = iter(session)
        assert next(events).type == "session.created"
        samples = [len(sent)]
        while not upstream.closed.is_set() and len(samples) < 100 and (len(samples) < 3 or samples[-1] != samples[-3]):
            upstream.closed.wait(0.25)
            samples.append(len(sent))
        assert not upstream.closed.is_set() and samples[-1] == samples[-3] < total, samples  # held back
        assert upstream.closed.wait(30)  # then the relay gave up on the caller and closed the upstream
        delivered = 0
        with pytest.raises(grpc.RpcError) as raised:  # no `ended`: the caller was not reading
            for _ in events:
                delivered += 1
    assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "blocked for 3s" in raised.value.details() and session.ended is None
    assert delivered <= samples[-1]


def test_sessions_open_at_shutdown_are_drained_with_what_was_queued_and_new_ones_refused() -> None:
    async def chatty(connection: ServerConnection) -> None:
        await connection.send(CREATED)
        await connection.send(_delta(1, 10))
        await connection.wait_closed()
        closes.append(connection.close_code)

    closes: list[int | None] = []
    with Upstream(chatty) as upstream, relay_server(upstream, grace=1.0) as (server, channel):
        session = SessionClient(channel, model="m", timeout=30)
        events = iter(session)
        assert [next(events).type, next(events).type] == ["session.created", "response.output_text.delta"]
        stopping = threading.Thread(target=server.stop)
        stopping.start()
        rest = list(events)
        stopping.join(20)
        assert upstream.closed.wait(10)
    assert rest == [] and session.ended is not None
    assert session.ended.outcome == ENDINGS[Ending.DRAINED].outcome
    assert session.code() == grpc.StatusCode.UNAVAILABLE and "shut down" in session.ended.reason
    assert closes == [1001]


def test_a_draining_relay_admits_no_session() -> None:
    from bridge.relay._config import RelayConfig
    from bridge.relay.servicer import SessionServicer

    async def drained() -> tuple[Ending, str] | None:
        relay_ = SessionServicer(RelayConfig("ws://127.0.0.1:9/v1/realtime", key="k"), max_message_bytes=1 << 20)
        assert relay_.admission() is None
        await relay_.drain(0.0)
        return relay_.admission()

    refusal = asyncio.run(drained())
    assert refusal is not None and refusal[0] is Ending.DRAINING
    assert ENDINGS[Ending.DRAINING].code == grpc.StatusCode.UNAVAILABLE


def test_a_failure_of_the_relay_is_internal_with_a_request_id_and_what_came_before_delivered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    convert = _session.json_to_binary

    def failing(text: str, **options: object) -> bytes:
        if "boom" in text:
            raise RuntimeError("a bug")
        return convert(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(_session, "json_to_binary", failing)
    with Upstream(lambda c: _send_then_wait(c, CREATED, event("boom"))) as upstream, relay(upstream) as channel:
        session = SessionClient(channel, model="m", timeout=30)
        types = [e.type for e in session]
    assert types == ["session.created"] and session.ended is not None
    assert session.code() == grpc.StatusCode.INTERNAL
    assert session.ended.outcome == ENDINGS[Ending.INTERNAL].outcome and "request id" in session.ended.reason


async def _send_then_wait(connection: ServerConnection, *frames: str) -> None:
    for frame in frames:
        await connection.send(frame)
    await asyncio.wait_for(connection.wait_closed(), 30)


def test_an_upstream_that_stops_reading_ends_the_session_stalled_after_the_lag_limit() -> None:
    async def deaf(connection: ServerConnection) -> None:
        await connection.send(CREATED)
        connection.transport.pause_reading()  # reads nothing, answers no ping ...
        await asyncio.sleep(3)  # ... for longer than the relay waits
        connection.transport.resume_reading()
        await asyncio.wait_for(connection.wait_closed(), 30)

    from bridge.v1.realtime_pb2 import ClientEvent

    append = ClientEvent(type="input_audio_buffer.append")
    append.input_audio_buffer_append.audio = bytes(range(256)) * 80  # 20 KiB, 27 KiB as base64
    with Upstream(deaf) as upstream, relay(upstream, max_lag=0.5) as channel:
        session = SessionClient(channel, model="m", timeout=60)
        events = iter(session)
        assert next(events).type == "session.created"
        for _ in range(400):  # 11 MB: far more than the socket buffers hold
            session.send(append)
        assert list(events) == []
    assert session.ended is not None and session.ended.outcome == ENDINGS[Ending.UPSTREAM_STALLED].outcome
    assert session.code() == grpc.StatusCode.UNAVAILABLE and "send to the upstream was blocked" in session.ended.reason
    assert 0 < session.ended.client_events_sent < 400


def test_a_caller_that_vanishes_ends_its_session_and_the_upstream_is_closed_going_away() -> None:
    """The caller's process dies mid-session (its sockets closed by the kernel, no gRPC goodbye):
    the relay ends the session and closes the upstream with 1001."""
    import subprocess
    import sys

    closes: list[int | None] = []

    async def waiting(connection: ServerConnection) -> None:
        await connection.send(CREATED)
        await asyncio.wait_for(connection.wait_closed(), 60)
        closes.append(connection.close_code)

    caller = (
        "import os, sys, grpc\n"
        "from bridge.relay.client import SessionClient\n"
        "channel = grpc.insecure_channel(sys.argv[1])\n"
        "session = SessionClient(channel, model='m', timeout=60)\n"
        "assert next(iter(session)).type == 'session.created'\n"
        "print('connected', flush=True)\n"
        "os._exit(0)\n"
    )
    with Upstream(waiting) as upstream, relay_server(upstream) as (server, _channel):
        done = subprocess.run([sys.executable, "-c", caller, server.address], capture_output=True, text=True, timeout=60)
        assert done.stdout == "connected\n", done.stderr
        assert upstream.closed.wait(30)
        assert server._started is not None and server._started.relay is not None
        for _ in range(200):
            if not server._started.relay.sessions:
                break
            threading.Event().wait(0.05)
        assert not server._started.relay.sessions
    assert closes == [1001]
