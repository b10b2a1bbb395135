"""The upstream connection: TLS always verified (a private CA only when the operator names it),
the caller's query added to the operator's URL, Azure's header, frames websockets itself refuses,
and many sessions opened and abandoned leaving nothing behind."""

from __future__ import annotations

import asyncio
import pathlib
import ssl
import threading

import grpc
import pytest
from _certs import make_certificates
from websockets.asyncio.server import ServerConnection

from bridge.relay._outcomes import ENDINGS, Ending
from bridge.relay.client import AsyncSessionClient, SessionClient
from tests._relay import KEY, Upstream, event, relay, relay_server

CREATED = event("session.created", event_id="e0", session={"type": "realtime"})


async def _created_then_close(connection: ServerConnection) -> None:
    await connection.send(CREATED)
    await connection.close(1000)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return make_certificates(tmp_path_factory.mktemp("certs"))


def _server_tls(certificates) -> ssl.SSLContext:  # type: ignore[no-untyped-def]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates.server_cert, certificates.server_key)
    return context


def test_tls_to_the_upstream_is_verified_and_a_private_ca_must_be_named(certificates) -> None:  # type: ignore[no-untyped-def]
    with Upstream(_created_then_close, ssl=_server_tls(certificates)) as upstream:
        with relay(upstream) as channel:  # the system's CAs do not know the test CA
            refused = SessionClient(channel, model="m", timeout=30)
            assert list(refused) == []
        with relay(upstream, ca_file=str(certificates.ca)) as channel:
            trusted = SessionClient(channel, model="m", timeout=30)
            types = [e.type for e in trusted]
    assert refused.ended is not None and refused.ended.outcome == ENDINGS[Ending.UNREACHABLE].outcome
    assert refused.code() == grpc.StatusCode.UNAVAILABLE and "TLS" in refused.ended.reason
    assert types == ["session.created"] and trusted.code() == grpc.StatusCode.OK
    assert len(upstream.requests) == 1  # the unverified handshake never reached HTTP


def test_the_query_is_the_operator_s_plus_the_caller_s_and_azure_s_header_carries_the_key() -> None:
    with Upstream(_created_then_close) as upstream:
        url = upstream.url + "?api-version=2025-08-28"
        with relay(url, auth="api-key") as channel:
            session = SessionClient(channel, model="my deployment&x=1", intent="realtime", timeout=30)
            list(session)
    (request,) = upstream.requests
    assert request.path == "/v1/realtime?api-version=2025-08-28&model=my+deployment%26x%3D1&intent=realtime"
    assert request.headers["api-key"] == KEY and "Authorization" not in request.headers


def test_a_query_key_the_operator_set_cannot_be_overridden() -> None:
    with Upstream(_created_then_close) as upstream, relay(upstream.url + "?model=fixed") as channel:
        session = SessionClient(channel, model="other", timeout=30)
        list(session)
        fixed = SessionClient(channel, timeout=30)  # no model: the operator's is enough
        list(fixed)
    assert session.code() == grpc.StatusCode.INVALID_ARGUMENT and session.ended is not None
    assert "already sets model" in session.ended.reason
    assert fixed.code() == grpc.StatusCode.OK and [r.path for r in upstream.requests] == ["/v1/realtime?model=fixed"]


def test_a_frame_of_invalid_utf_8_is_not_an_event() -> None:
    async def invalid(connection: ServerConnection) -> None:
        await connection.send(CREATED)
        # A text frame whose payload is not UTF-8: websockets on the relay's side closes with 1007.
        from websockets.frames import Frame, Opcode

        connection.protocol.send_frame(Frame(Opcode.TEXT, b"\xff\xfe"))
        connection.send_data()
        await asyncio.wait_for(connection.wait_closed(), 30)

    with Upstream(invalid) as upstream, relay(upstream) as channel:
        session = SessionClient(channel, model="m", timeout=30)
        types = [e.type for e in session]
    assert types == ["session.created"] and session.code() == grpc.StatusCode.DATA_LOSS
    assert session.ended is not None and session.ended.upstream_close_code == 1007


def _rss() -> int:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_a_thousand_sessions_opened_and_abandoned_leave_nothing_behind() -> None:
    """Sessions cancelled right after opening, or whose channel is closed under them, 200 a round
    for five rounds: every one ends, its upstream socket is closed, the relay holds no session
    afterwards, and memory (this process: relay, upstream and callers) levels off instead of
    growing round over round."""
    opened, closed = [0], [0]
    lock = threading.Lock()

    async def counting(connection: ServerConnection) -> None:
        with lock:
            opened[0] += 1
        try:
            await connection.send(CREATED)
            await asyncio.wait_for(connection.wait_closed(), 60)
        finally:
            with lock:
                closed[0] += 1

    async def abandon(address: str, sessions: int) -> None:
        async with grpc.aio.insecure_channel(address) as aio:
            calls = [AsyncSessionClient(aio, model="m", timeout=60) for _ in range(sessions)]
            await asyncio.gather(*(call.open() for call in calls))
            for call in calls[::2]:
                assert (await anext(call.__aiter__())).type == "session.created"
                call.cancel()
        # The other half: the channel closed under them.

    rounds, per_round, rss = 5, 200, []
    with Upstream(counting) as upstream, relay_server(upstream, max_sessions=per_round) as (server, _channel):
        assert server._started is not None and server._started.relay is not None
        sessions = server._started.relay.sessions
        for _ in range(rounds):
            asyncio.run(abandon(server.address, per_round))
            for _ in range(600):
                if not sessions and closed[0] == opened[0]:
                    break
                threading.Event().wait(0.05)
            assert not sessions and opened[0] == closed[0]
            rss.append(_rss())
    assert opened[0] == rounds * per_round
    growth = [after - before for before, after in zip(rss, rss[1:])]
    assert sum(growth[1:]) <= max(growth[0], 0) + rss[0] // 10, rss  # a plateau, not a leak
