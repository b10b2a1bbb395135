"""A session end to end in this process: order both ways, lossless conversion, coalescing,
rejected client events, half-close."""

from __future__ import annotations

import asyncio
import json

import grpc
from websockets.asyncio.server import ServerConnection

import bridge
from bridge.relay.client import SessionClient
from bridge.v1.realtime_pb2 import ClientEvent
from bridge.v1.session_service_pb2 import SessionOutcome
from tests._relay import KEY, Upstream, event, relay


def _client_event(text: str) -> ClientEvent:
    return ClientEvent.FromString(bridge.json_to_binary(text, kind="client_event"))


def test_a_session_relays_both_ways_in_order_and_ends_when_the_caller_closes() -> None:
    async def upstream_session(connection: ServerConnection) -> None:
        await connection.send(event("session.created", event_id="e0", session={"type": "realtime", "model": "gpt-realtime"}))
        async for frame in connection:
            upstream.received.append(frame)
            sent = json.loads(frame)
            await connection.send(event("response.output_audio.delta", event_id=f"d{len(upstream.received)}",
                                        response_id="r", item_id="i", output_index=0, content_index=0,
                                        delta="AAECAw==" if sent["type"] == "input_audio_buffer.append" else ""))

    with Upstream(upstream_session) as upstream, relay(upstream) as channel:
        appends = [_client_event(event("input_audio_buffer.append", event_id=f"c{n}", audio="AAECAw==")) for n in range(5)]
        with SessionClient(channel, model="gpt-realtime") as session:
            session.send(appends[0])
            session.send(*appends[1:])
            received = []
            for server_event in session:
                received.append(server_event)
                if len(received) == 6:
                    session.close()
        assert session.connected is not None and session.connected.session_id
        assert [e.WhichOneof("event") for e in received] == ["session_created"] + ["response_output_audio_delta"] * 5
        assert [e.event_id for e in received[1:]] == [f"d{n}" for n in range(1, 6)]
        assert received[1].response_output_audio_delta.delta == b"\x00\x01\x02\x03"
        # What the upstream received is exactly the converter's JSON of what was sent.
        assert upstream.received == [bridge.binary_to_json(e.SerializeToString(), kind="client_event").decode() for e in appends]
        request = upstream.requests[0]
        assert request.path == "/v1/realtime?model=gpt-realtime"
        assert request.headers["Authorization"] == f"Bearer {KEY}"
        assert "OpenAI-Beta" not in request.headers
        assert session.ended is not None
        assert session.ended.outcome == SessionOutcome.SESSION_OUTCOME_CALLER_CLOSED
        assert session.ended.code == grpc.StatusCode.OK.value[0]
        assert (session.ended.client_events_sent, session.ended.server_events_delivered) == (5, 6)


def test_events_the_upstream_sent_before_it_saw_the_relay_s_close_are_all_delivered() -> None:
    """The caller half-closes while the upstream is still sending: the relay closes the upstream
    with 1000, and every event the upstream managed to send before it saw that close frame still
    reaches the caller (websockets keeps returning frames received while closing)."""
    import websockets

    sent: list[int] = []

    async def talkative(connection: ServerConnection) -> None:
        await connection.send(event("session.created", event_id="e0", session={"type": "realtime"}))
        await connection.recv()  # the caller's response.create
        try:
            for n in range(5000):
                await connection.send(event("response.output_text.delta", event_id=f"t{n}", response_id="r", item_id="i",
                                            output_index=0, content_index=0, delta="x" * 200))
                sent.append(n)
                await asyncio.sleep(0.001)
        except websockets.ConnectionClosed:
            pass

    create = _client_event(event("response.create", event_id="c0"))
    with Upstream(talkative) as upstream, relay(upstream) as channel:
        with SessionClient(channel, model="m", timeout=30) as session:
            session.send(create)
            received = []
            for server_event in session:
                received.append(server_event.event_id)
                if len(received) == 10:
                    session.close()  # the upstream is mid-stream when the relay's close reaches it
    assert session.ended is not None and session.ended.outcome == SessionOutcome.SESSION_OUTCOME_CALLER_CLOSED
    assert 9 < len(sent) < 5000  # the close did cut the stream short
    assert received == ["e0", *(f"t{n}" for n in sent)]
