"""Every row of the relay's outcome table (bridge/relay/_outcomes.py), each made to happen: an
upstream that behaves so, or a caller that does; the session's ``ended``, the call's status, and
what was delivered."""

from __future__ import annotations

import asyncio
import http
import json
import socket
from collections.abc import Callable
from typing import Any

import grpc
import pytest
from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.http11 import Response

import bridge
from bridge.relay._outcomes import ENDINGS, Ending
from bridge.relay.client import SessionClient
from bridge.v1.realtime_pb2 import ClientEvent
from tests._relay import Upstream, event, relay

CREATED = event("session.created", event_id="e0", session={"type": "realtime"})
DELTA = event("response.output_text.delta", event_id="e1", response_id="r", item_id="i", output_index=0, content_index=0, delta="hi")


def _sends(*frames: str | bytes) -> Callable[[ServerConnection], Any]:
    async def handler(connection: ServerConnection) -> None:
        for frame in frames:
            await connection.send(frame)
        await asyncio.wait_for(connection.wait_closed(), 30)  # the relay ends the session first

    return handler


def _then_close(code: int, reason: str = "", *frames: str) -> Callable[[ServerConnection], Any]:
    async def handler(connection: ServerConnection) -> None:
        for frame in (CREATED, *frames):
            await connection.send(frame)
        await connection.close(code, reason)

    return handler


async def _drop(connection: ServerConnection) -> None:
    await connection.send(CREATED)
    connection.transport.abort()  # no close frame


async def _stall(connection: ServerConnection) -> None:
    await connection.send(CREATED)
    connection.transport.pause_reading()  # pings go unanswered
    await asyncio.sleep(30)


def _refuse(status: int) -> Callable[..., Response]:
    def process_request(_connection: ServerConnection, _request: Any) -> Response:
        body = json.dumps({"error": {"message": "refused", "code": str(status)}}).encode()
        return Response(status, http.HTTPStatus(status).phrase, Headers({"Content-Type": "application/json"}), body)

    return process_request


def _session(channel: grpc.Channel, **open_: Any) -> tuple[SessionClient, list[str]]:
    """Run a session that sends nothing and reads until the relay ends it."""
    open_.setdefault("model", "gpt-realtime")
    session = SessionClient(channel, timeout=30, **open_)
    types = [event.type for event in session]
    return session, types


#: Ending -> (upstream handler, process_request or None, relay options, events delivered before the end)
UPSTREAM_ROWS: dict[Ending, tuple[Any, Any, dict[str, Any], list[str]]] = {
    Ending.UPSTREAM_CLOSED: (_then_close(1000, "", DELTA), None, {}, ["session.created", "response.output_text.delta"]),
    Ending.UPSTREAM_BETA_SHAPE: (
        _then_close(4000, "beta_api_shape_disabled", event("error", event_id="e9", error={
            "type": "invalid_request_error", "code": "beta_api_shape_disabled", "message": "The Realtime Beta API is no longer supported."})),
        None, {}, ["session.created", "error"],
    ),
    Ending.UPSTREAM_GONE: (_then_close(1011, "upstream failure"), None, {}, ["session.created"]),
    Ending.UPSTREAM_POLICY: (_then_close(1008), None, {}, ["session.created"]),
    Ending.UPSTREAM_TOO_BIG: (_then_close(1009), None, {}, ["session.created"]),
    Ending.UPSTREAM_BLAMES_RELAY: (_then_close(1003), None, {}, ["session.created"]),
    Ending.UPSTREAM_OTHER_CLOSE: (_then_close(4321, "who knows"), None, {}, ["session.created"]),
    Ending.REFUSED_UNAUTHENTICATED: (_sends(), _refuse(401), {}, []),
    Ending.REFUSED_FORBIDDEN: (_sends(), _refuse(403), {}, []),
    Ending.REFUSED_BAD_REQUEST: (_sends(), _refuse(400), {}, []),
    Ending.REFUSED_RATE_LIMITED: (_sends(), _refuse(429), {}, []),
    Ending.REFUSED_OTHER: (_sends(), _refuse(503), {}, []),
    Ending.UPSTREAM_STALLED: (_stall, None, {"ping_interval": 0.2, "ping_timeout": 0.2, "max_lag": 0.5}, ["session.created"]),
    Ending.NOT_AN_EVENT: (_sends(CREATED, b"\x00binary"), None, {}, ["session.created"]),
    Ending.EVENT_TOO_BIG: (_sends(CREATED, event("x.big", pad="a" * 5000)), None, {"max_event_bytes": 4096}, ["session.created"]),
    Ending.IDLE: (_sends(CREATED), None, {"idle_timeout": 0.3}, ["session.created"]),
    Ending.DURATION_LIMIT: (_sends(CREATED, DELTA), None, {"max_session_duration": 0.4}, ["session.created", "response.output_text.delta"]),
}


@pytest.mark.parametrize("ending", list(UPSTREAM_ROWS), ids=lambda ending: ending.name)
def test_each_upstream_side_ending_has_its_row(ending: Ending) -> None:
    handler, process_request, options, delivered = UPSTREAM_ROWS[ending]
    with Upstream(handler, process_request) as upstream, relay(upstream, **options) as channel:
        session, types = _session(channel)
    row = ENDINGS[ending]
    assert session.ended is not None, ending
    assert (session.ended.outcome, session.ended.code) == (row.outcome, row.code.value[0]), session.ended
    assert session.code() == row.code
    assert types == delivered
    assert (session.connected is not None) == bool(delivered)
    assert session.ended.server_events_delivered == len(delivered)
    assert "sk-test" not in session.ended.reason


def test_a_frame_that_is_not_a_json_event_ends_the_session_as_not_an_event() -> None:
    with Upstream(_sends(CREATED, "not json {")) as upstream, relay(upstream) as channel:
        session, types = _session(channel)
    assert session.ended is not None and session.ended.outcome == ENDINGS[Ending.NOT_AN_EVENT].outcome
    assert session.code() == grpc.StatusCode.DATA_LOSS and types == ["session.created"]


def test_a_connection_lost_without_a_close_frame_is_unavailable() -> None:
    with Upstream(_drop) as upstream, relay(upstream) as channel:
        session, types = _session(channel)
    assert session.ended is not None and session.ended.outcome == ENDINGS[Ending.UPSTREAM_GONE].outcome
    assert session.code() == grpc.StatusCode.UNAVAILABLE and types == ["session.created"]


def test_an_unreachable_upstream_is_unavailable_and_never_connected() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with relay(f"ws://127.0.0.1:{port}/v1/realtime") as channel:
        session, types = _session(channel)
    assert session.ended is not None and session.ended.outcome == ENDINGS[Ending.UNREACHABLE].outcome
    assert session.code() == grpc.StatusCode.UNAVAILABLE and types == [] and session.connected is None


@pytest.mark.parametrize(
    ("open_", "reason"),
    [({"model": ""}, "open.model: required"), ({"model": "m", "intent": "chat"}, "open.intent"), ({"model": "m\n"}, "printable")],
)
def test_a_bad_open_is_invalid_argument_before_any_upstream_connection(open_: dict[str, Any], reason: str) -> None:
    with Upstream(_sends(CREATED)) as upstream, relay(upstream) as channel:
        session, _ = _session(channel, **open_)
    assert session.ended is not None and reason in session.ended.reason
    assert session.code() == grpc.StatusCode.INVALID_ARGUMENT and not upstream.requests


def test_a_second_open_ends_the_session_as_invalid() -> None:
    from bridge.v1.session_service_pb2 import ConnectRequest, SessionOpen

    with Upstream(_sends(CREATED)) as upstream, relay(upstream) as channel:
        session = SessionClient(channel, model="m", timeout=30)
        session._requests.put(ConnectRequest(open=SessionOpen(model="m")))
        types = [e.type for e in session]
    assert session.ended is not None and session.ended.outcome == ENDINGS[Ending.INVALID_REQUEST].outcome
    assert session.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert types in ([], ["session.created"])  # whatever came before the second open is delivered


def test_credentials_callers_send_are_refused_unless_allowed_and_replace_the_key_when_allowed() -> None:
    with Upstream(_then_close(1000)) as upstream:
        with relay(upstream) as channel:
            refused, _ = _session(channel, credential="ek_caller")
        with relay(upstream, key=None) as channel:
            missing, _ = _session(channel)
        with relay(upstream, key=None, allow_caller_credential=True) as channel:
            allowed, types = _session(channel, credential="ek_caller")
    assert refused.code() == grpc.StatusCode.PERMISSION_DENIED and refused.ended is not None
    assert refused.ended.outcome == ENDINGS[Ending.CREDENTIAL_NOT_ALLOWED].outcome
    assert missing.code() == grpc.StatusCode.UNAUTHENTICATED
    assert allowed.code() == grpc.StatusCode.OK and types == ["session.created"]
    assert [r.headers["Authorization"] for r in upstream.requests] == ["Bearer ek_caller"]


def test_sessions_over_the_limit_are_refused_and_the_others_go_on() -> None:
    with Upstream(_sends(CREATED)) as upstream, relay(upstream, max_sessions=1) as channel:
        first = SessionClient(channel, model="m", timeout=30)
        events = iter(first)
        assert next(events).type == "session.created"
        second, _ = _session(channel)
        first.cancel()
    assert second.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and second.ended is not None
    assert second.ended.outcome == ENDINGS[Ending.SESSION_LIMIT].outcome


def test_a_caller_that_cancels_gets_the_upstream_closed_going_away() -> None:
    closes: list[int | None] = []

    async def handler(connection: ServerConnection) -> None:
        await connection.send(CREATED)
        await connection.wait_closed()
        closes.append(connection.close_code)

    with Upstream(handler) as upstream, relay(upstream) as channel:
        session = SessionClient(channel, model="m", timeout=30)
        events = iter(session)
        assert next(events).type == "session.created"
        session.cancel()
        with pytest.raises(grpc.RpcError) as raised:
            next(events)
        assert raised.value.code() == grpc.StatusCode.CANCELLED
        assert upstream.closed.wait(10)
    assert closes == [1001]


def test_a_client_event_that_will_not_convert_is_rejected_in_order_and_the_session_goes_on() -> None:
    async def echo(connection: ServerConnection) -> None:
        await connection.send(CREATED)
        async for frame in connection:
            upstream.received.append(frame)
            await connection.send(event("conversation.item.done", event_id=f"e{len(upstream.received)}", item={"id": "i"}))

    good = ClientEvent.FromString(bridge.json_to_binary(event("response.cancel", event_id="c0"), kind="client_event"))
    bad = ClientEvent(type="response.cancel")
    bad.input_audio_buffer_append.audio = b"\x00"  # a type and a member that disagree: not an event
    with Upstream(echo) as upstream, relay(upstream) as channel:
        with SessionClient(channel, model="m", timeout=30) as session:
            session.send(good, bad, good)
            types = []
            for server_event in session:
                types.append(server_event.type)
                if len(types) == 3:
                    session.close()
    assert [r.sequence for r in session.rejected] == [1]
    assert session.rejected[0].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert len(upstream.received) == 2 and session.ended is not None
    assert (session.ended.client_events_sent, session.ended.client_events_rejected) == (2, 1)


def test_every_row_of_the_table_is_made_to_happen_here() -> None:
    covered = set(UPSTREAM_ROWS) | {
        Ending.CALLER_CLOSED, Ending.UNREACHABLE, Ending.INVALID_REQUEST, Ending.CREDENTIAL_NOT_ALLOWED, Ending.NO_CREDENTIAL,
        Ending.SESSION_LIMIT, Ending.CALLER_CANCELLED, Ending.NOT_AN_EVENT, Ending.UPSTREAM_GONE,
    }
    elsewhere = {Ending.CALLER_TOO_SLOW, Ending.DRAINED, Ending.DRAINING, Ending.INTERNAL}  # test_relay_limits.py
    assert covered | elsewhere == set(Ending)


def test_docs_relay_md_shows_the_table_as_it_is() -> None:
    import pathlib
    import re

    from bridge.v1.session_service_pb2 import SessionOutcome

    page = (pathlib.Path(__file__).resolve().parent.parent / "docs" / "relay.md").read_text()
    rows = re.findall(r"^\| (.+?) \| `(\w+)` \| `(\w+)` \| (yes|no) \|$", page, re.MULTILINE)
    expected = [
        (ending.value, SessionOutcome.Name(row.outcome).removeprefix("SESSION_OUTCOME_"), row.code.name, "yes" if row.delivers else "no")
        for ending, row in ENDINGS.items()
    ]
    assert rows == expected
