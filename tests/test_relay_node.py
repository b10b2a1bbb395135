"""A Node service runs a Realtime session through the relay (issue 25, "Clients"): ``tools/relay_session.js``
with @grpc/grpc-js and the types @grpc/proto-loader builds from ``proto/`` (pinned in
tools/package-lock.json, installed as tests/_npm_tools.py does) sends a typed
``input_audio_buffer.append`` with raw PCM16 bytes and reads ``response.output_audio.delta`` bytes,
with no JSON for the events in its code. The relay is a real gRPC server on 127.0.0.1 (this
process's, tests/_relay.py) in front of a test upstream that answers ``response.create`` with audio
deltas of known samples.

Node or the npm packages missing is a failure that says what to install, never a skip.
"""

from __future__ import annotations

import base64
import json
import math
import pathlib
import struct
import subprocess
from typing import Any

import grpc
import pytest
from websockets.asyncio.server import ServerConnection

import bridge
from bridge.v1.realtime_pb2 import ClientEvent
from tests import _npm_tools
from tests._relay import KEY, Upstream, event, relay_server

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "relay_session.js"


def _tone(hertz: float, samples: int) -> bytes:
    """PCM16 little-endian mono at 24 kHz, at full scale (every byte value turns up)."""
    return b"".join(struct.pack("<h", round(32767 * math.sin(2 * math.pi * hertz * n / 24000))) for n in range(samples))


#: What Node sends: 100 ms of a 440 Hz tone.
AUDIO = _tone(440, 2400)
#: What the upstream answers with: 60 ms of 660 Hz in three deltas, then a delta of one byte (an odd length).
REPLY = _tone(660, 1440)
DELTAS = [REPLY[:960], REPLY[960:1920], REPLY[1920:], b"\x7f"]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One session: what the upstream received, and what Node printed (its lines, by kind)."""

    async def upstream_session(connection: ServerConnection) -> None:
        await connection.send(event("session.created", event_id="e0", session={"type": "realtime", "model": "gpt-realtime"}))
        async for frame in connection:
            upstream.received.append(frame)
            if json.loads(frame)["type"] != "response.create":
                continue
            await connection.send(event("response.created", event_id="e1", response={"id": "r", "status": "in_progress"}))
            for n, delta in enumerate(DELTAS):
                await connection.send(event("response.output_audio.delta", event_id=f"d{n}", response_id="r",
                                            item_id="i", output_index=0, content_index=0,
                                            delta=base64.b64encode(delta).decode()))
            await connection.send(event("response.done", event_id="e2", response={"id": "r", "status": "completed"}))

    audio = tmp_path_factory.mktemp("audio") / "input.pcm"
    audio.write_bytes(AUDIO)
    node = _npm_tools.node()
    with Upstream(upstream_session) as upstream, relay_server(upstream) as (server, _channel):
        done = subprocess.run([node, str(SCRIPT), server.address, "gpt-realtime", str(audio)],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-4000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return {"received": upstream.received, "request": upstream.requests[0], "lines": lines,
            "events": [line for line in lines if "type" in line]}


def test_grpc_js_is_the_pinned_version(session: dict[str, Any]) -> None:
    lock = json.loads((ROOT / "tools" / "package-lock.json").read_text())
    assert session["lines"][0] == {"grpc_js": lock["packages"]["node_modules/@grpc/grpc-js"]["version"]}


def test_the_upstream_receives_the_converters_json_of_nodes_typed_events(session: dict[str, Any]) -> None:
    append = ClientEvent(event_id="append-1")
    append.input_audio_buffer_append.audio = AUDIO
    create = ClientEvent()
    create.response_create.SetInParent()
    assert session["received"] == [
        bridge.binary_to_json(e.SerializeToString(), kind="client_event").decode() for e in (append, create)
    ]
    # The audio went up as the base64 of the raw bytes Node read from the file.
    assert json.loads(session["received"][0])["audio"] == base64.b64encode(AUDIO).decode()
    request = session["request"]
    assert request.path == "/v1/realtime?model=gpt-realtime" and request.headers["Authorization"] == f"Bearer {KEY}"


def test_node_receives_the_audio_deltas_byte_for_byte(session: dict[str, Any]) -> None:
    events = session["events"]
    assert [e["type"] for e in events] == (
        ["session.created", "response.created"] + ["response.output_audio.delta"] * len(DELTAS) + ["response.done"]
    )
    deltas = [e for e in events if e["type"] == "response.output_audio.delta"]
    assert {e["event"] for e in deltas} == {"response_output_audio_delta"}
    assert [bytes.fromhex(e["delta"]) for e in deltas] == DELTAS
    assert b"".join(bytes.fromhex(e["delta"]) for e in deltas[:3]) == REPLY


def test_the_session_ends_caller_closed_after_nodes_half_close(session: dict[str, Any]) -> None:
    lines = session["lines"]
    assert "connected" in lines[1] and lines[1]["connected"]
    assert not [line for line in lines if "rejected" in line]
    *_, ended, status = lines
    assert status == {"status": grpc.StatusCode.OK.value[0]}
    ended = ended["ended"]
    assert ended["outcome"] == "SESSION_OUTCOME_CALLER_CLOSED"
    assert ended.get("code", 0) == grpc.StatusCode.OK.value[0]
    # (uint64 fields arrive as decimal strings: longs: String)
    assert (ended["client_events_sent"], ended["server_events_delivered"]) == ("2", str(len(session["events"])))
