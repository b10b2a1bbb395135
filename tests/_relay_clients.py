"""The session that the clients in other languages run through the relay (``tools/relay_session.js``
in tests/test_relay_node.py, ``tools/go/relaysession`` in tests/test_go_consumer.py), and what each
must see: a real relay server on 127.0.0.1 (this process's, tests/_relay.py) in front of a test
upstream that answers ``response.create`` with audio deltas of known samples (or refuses the
handshake, for the end of a session that never started).

A client is a command run as ``COMMAND HOST:PORT MODEL AUDIO_FILE``: it opens the session, sends a
typed ``input_audio_buffer.append`` with the file's raw PCM16 bytes and a ``response.create`` once
connected, half-closes after ``response.done``, and prints one JSON line per thing it received
(``{"connected"}``, ``{"type", "event", "delta"}`` per server event, ``{"rejected"}``, ``{"ended"}``,
``{"status"}``).
"""

from __future__ import annotations

import base64
import http
import json
import math
import pathlib
import signal
import struct
import subprocess
from typing import Any

import grpc
from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.http11 import Response

import bridge
from bridge.v1.realtime_pb2 import ClientEvent
from tests._relay import KEY, Upstream, event, relay_server


def _tone(hertz: float, samples: int) -> bytes:
    """PCM16 little-endian mono at 24 kHz, at full scale (every byte value turns up)."""
    return b"".join(struct.pack("<h", round(32767 * math.sin(2 * math.pi * hertz * n / 24000))) for n in range(samples))


#: What the client sends: 100 ms of a 440 Hz tone.
AUDIO = _tone(440, 2400)
#: What the upstream answers with: 60 ms of 660 Hz in three deltas, then a delta of one byte (an odd length).
REPLY = _tone(660, 1440)
DELTAS = [REPLY[:960], REPLY[960:1920], REPLY[1920:], b"\x7f"]


def run(command: list[str], folder: pathlib.Path, refuse: int | None = None) -> dict[str, Any]:
    """Run the client ``command`` through a relay; what the upstream received, and the client's lines
    (and its exit status). With ``refuse``, the upstream refuses the handshake with that HTTP status."""

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

    def refused(_connection: ServerConnection, _request: Any) -> Response:
        assert refuse is not None
        return Response(refuse, http.HTTPStatus(refuse).phrase, Headers({"Content-Type": "application/json"}),
                        b'{"error":{"message":"refused"}}')

    audio = folder / "input.pcm"
    audio.write_bytes(AUDIO)
    with (Upstream(upstream_session, refused if refuse else None) as upstream,
          relay_server(upstream) as (server, _channel)):
        done = subprocess.run([*command, server.address, "gpt-realtime", str(audio)], capture_output=True, text=True,
                              timeout=120)
    assert done.returncode == (1 if refuse else 0), done.stderr[-4000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return {"received": upstream.received, "requests": upstream.requests, "lines": lines,
            "events": [line for line in lines if "type" in line], "stderr": done.stderr}


def run_between_processes(command: list[str], folder: pathlib.Path) -> dict[str, Any]:
    """Run the client ``command`` as in production: through ``rtbridge serve --upstream`` in front of
    ``rtbridge replay`` playing a session log of the same turn :func:`run`'s upstream answers with
    (each a process of its own); the client's lines."""
    from test_standin import Replaying

    from bridge.session import session_envelope
    from tests._relay import Serving

    def delta(n: int, data: bytes) -> str:
        return event("response.output_audio.delta", event_id=f"d{n}", response_id="r", item_id="i", output_index=0,
                     content_index=0, delta=base64.b64encode(data).decode())

    turn = [
        ("server", event("session.created", event_id="e0", session={"type": "realtime", "model": "gpt-realtime"})),
        ("client", event("input_audio_buffer.append", audio=base64.b64encode(AUDIO).decode())),
        ("client", event("response.create")),
        ("server", event("response.created", event_id="e1", response={"id": "r", "status": "in_progress"})),
        *(("server", delta(n, data)) for n, data in enumerate(DELTAS)),
        ("server", event("response.done", event_id="e2", response={"id": "r", "status": "completed"})),
    ]
    log = folder / "turn.jsonl"
    log.write_bytes(b"".join(session_envelope(text.encode(), direction, 0) + b"\n" for direction, text in turn))  # type: ignore[arg-type]
    audio = folder / "input.pcm"
    audio.write_bytes(AUDIO)
    replaying = Replaying(log, "--port", 0, "--fast", "--strict-script", "--key-env", "STANDIN_KEY", env={"STANDIN_KEY": KEY})
    try:
        serving = Serving(replaying.first_line, folder / "serve.log", key=KEY)
        try:
            done = subprocess.run([*command, serving.address, "gpt-realtime", str(audio)], capture_output=True, text=True,
                                  timeout=120)
        finally:
            serving.close()
    finally:
        replaying.stop(signal.SIGTERM)
    assert done.returncode == 0, done.stderr[-4000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return {"lines": lines, "events": [line for line in lines if "type" in line], "stderr": done.stderr}


def check_upstream(session: dict[str, Any]) -> None:
    """The upstream received exactly the converter's JSON of the client's typed events."""
    append = ClientEvent(event_id="append-1")
    append.input_audio_buffer_append.audio = AUDIO
    create = ClientEvent()
    create.response_create.SetInParent()
    assert session["received"] == [
        bridge.binary_to_json(e.SerializeToString(), kind="client_event").decode() for e in (append, create)
    ]
    # The audio went up as the base64 of the raw bytes the client read from the file.
    assert json.loads(session["received"][0])["audio"] == base64.b64encode(AUDIO).decode()
    (request,) = session["requests"]
    assert request.path == "/v1/realtime?model=gpt-realtime" and request.headers["Authorization"] == f"Bearer {KEY}"


def check_deltas(session: dict[str, Any]) -> None:
    """The client received every server event in order, the audio deltas' bytes as they were sent."""
    events = session["events"]
    assert [e["type"] for e in events] == (
        ["session.created", "response.created"] + ["response.output_audio.delta"] * len(DELTAS) + ["response.done"]
    )
    assert events[0]["event"] == "session_created"
    deltas = [e for e in events if e["type"] == "response.output_audio.delta"]
    assert {e["event"] for e in deltas} == {"response_output_audio_delta"}
    assert [bytes.fromhex(e["delta"]) for e in deltas] == DELTAS
    assert b"".join(bytes.fromhex(e["delta"]) for e in deltas[:3]) == REPLY


def check_ended(session: dict[str, Any]) -> None:
    """The client's half-close ended the session CALLER_CLOSED, with status OK and the counts."""
    lines = [line for line in session["lines"] if "grpc_js" not in line]
    assert lines[0].get("connected")
    assert not [line for line in lines if "rejected" in line]
    *_, ended, status = lines
    assert status == {"status": grpc.StatusCode.OK.value[0]}
    ended = ended["ended"]
    assert ended["outcome"] == "SESSION_OUTCOME_CALLER_CLOSED"
    assert ended.get("code", 0) == grpc.StatusCode.OK.value[0]
    # (uint64 fields as decimal strings, as grpc-js gives them with `longs: String`)
    assert (ended["client_events_sent"], ended["server_events_delivered"]) == ("2", str(len(session["events"])))


def check_refused(session: dict[str, Any]) -> None:
    """A handshake the upstream refused with 401: the client gets no ``connected`` and no event, then
    ``ended`` UPSTREAM_REFUSED and the status UNAUTHENTICATED (its exit status 1), having sent nothing."""
    unauthenticated = grpc.StatusCode.UNAUTHENTICATED.value[0]
    lines = [line for line in session["lines"] if "grpc_js" not in line]
    assert [list(line) for line in lines] == [["ended"], ["status"]]
    ended, status = lines
    assert ended["ended"]["outcome"] == "SESSION_OUTCOME_UPSTREAM_REFUSED"
    assert ended["ended"]["code"] == unauthenticated and status == {"status": unauthenticated}
    assert session["received"] == []
    assert KEY not in session["stderr"] and KEY not in json.dumps(lines)  # the operator's key stays the relay's
