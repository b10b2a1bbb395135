"""A session end to end between processes, as it runs in production: ``rtbridge serve --upstream``
relaying to ``rtbridge replay`` (the stand-in playing a shipped recording), a Python client in
this process; and the relay's drain on SIGTERM with a session open."""

from __future__ import annotations

import pathlib
import signal
from collections.abc import Iterator

import grpc
import pytest
from test_standin import Replaying

import bridge
from bridge.client import BridgeClient
from bridge.relay._outcomes import ENDINGS, Ending
from bridge.relay.standin import read_script
from bridge.v1.realtime_pb2 import ClientEvent
from tests._relay import Serving

TIMEOUT = 60
KEY = "sk-test-end-to-end"


@pytest.fixture
def replay() -> Iterator[Replaying]:
    replaying = Replaying("voice-turn", "--port", 0, "--fast", "--key-env", "STANDIN_KEY", env={"STANDIN_KEY": KEY})
    try:
        yield replaying
    finally:
        replaying.stop(signal.SIGTERM)


def test_a_recorded_voice_turn_crosses_the_relay_typed_and_whole(replay: Replaying, tmp_path: pathlib.Path) -> None:
    script = read_script("voice-turn")
    sent = [ClientEvent.FromString(bridge.json_to_binary(text, kind="client_event")) for d, text, _ in script if d == "client"]
    expected = [bridge.json_to_binary(text) for d, text, _ in script if d == "server"]
    serving = Serving(replay.first_line, tmp_path / "serve.log", key=KEY)
    try:
        with BridgeClient(serving.address) as client, client.session(model="gpt-realtime", timeout=TIMEOUT) as session:
            session.send(*sent)
            received = []
            for event in session:
                received.append(event.SerializeToString())
                if len(received) == len(expected):
                    session.close()
    finally:
        assert serving.close() in (0, -signal.SIGKILL)
    assert received == expected  # every server event of the recording, in order, as its own bytes
    audio = [e for e in sent if e.WhichOneof("event") == "input_audio_buffer_append"]
    assert audio and all(len(e.input_audio_buffer_append.audio) == 960 for e in audio)  # raw PCM crossed
    assert session.ended is not None and session.ended.outcome == ENDINGS[Ending.CALLER_CLOSED].outcome
    assert (session.ended.client_events_sent, session.ended.server_events_delivered) == (len(sent), len(expected))
    assert KEY not in serving.log()


def test_sigterm_drains_an_open_session_refuses_new_ones_and_exits_0(replay: Replaying, tmp_path: pathlib.Path) -> None:
    serving = Serving(replay.first_line, tmp_path / "serve.log", "--grace", "2", key=KEY)
    try:
        with BridgeClient(serving.address) as client:
            session = client.session(model="gpt-realtime", timeout=TIMEOUT)
            events = iter(session)
            assert next(events).type == "session.created"  # then the recording waits for the caller
            assert client.health("realtime.bridge.v1.SessionService") == "SERVING"
            serving.process.send_signal(signal.SIGTERM)
            rest = [event.type for event in events]
            late = client.session(model="gpt-realtime", timeout=TIMEOUT)
            with pytest.raises(grpc.RpcError) as refused:
                list(late)
        assert serving.process.wait(TIMEOUT) == 0
    finally:
        serving.close()
    assert rest == [] and session.ended is not None
    assert session.ended.outcome == ENDINGS[Ending.DRAINED].outcome and session.code() == grpc.StatusCode.UNAVAILABLE
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "DRAINED" in serving.log()
