"""The upstream credential is never shown: not in a log record (websockets logs every handshake
header at DEBUG), not in what the caller is told, whichever way the session ends."""

from __future__ import annotations

import logging
import pathlib

import pytest
from websockets.asyncio.server import ServerConnection

from bridge.relay._config import RelayConfig
from bridge.relay.client import SessionClient
from tests._relay import KEY, Upstream, event, relay


async def _created_then_close(connection: ServerConnection) -> None:
    await connection.send(event("session.created", event_id="e0", session={"type": "realtime"}))
    await connection.close(1011, "upstream failure")


def test_no_log_record_at_debug_no_answer_and_no_recording_holds_a_credential(
    caplog: pytest.LogCaptureFixture, tmp_path: pathlib.Path
) -> None:
    caller_secret = "ek_caller_secret_value_42"
    extra = "x-extra-secret-header-value"
    with caplog.at_level(logging.DEBUG), Upstream(_created_then_close) as upstream:
        with relay(upstream, headers=(("X-Org-Token", extra),), record_dir=str(tmp_path)) as channel:
            operator = SessionClient(channel, model="m", timeout=30)
            list(operator)
        with relay(upstream, key=None, allow_caller_credential=True) as channel:
            caller = SessionClient(channel, model="m", timeout=30, credential=caller_secret)
            list(caller)
    # The handshakes were logged at DEBUG, headers included ...
    handshake = [r.getMessage() for r in caplog.records if r.name == "bridge.relay.upstream"]
    assert any("Authorization" in line for line in handshake) and any("X-Org-Token" in line for line in handshake)
    # ... and no record of this process (but the test's own upstream, the server receiving the
    # key, logged as websockets.server), nor anything the callers were told, holds a secret.
    logged = [r.getMessage() for r in caplog.records if not r.name.startswith("websockets.server")]
    told = [str(s.ended) for s in (operator, caller)] + [str(s.code()) for s in (operator, caller)]
    for text in logged + told:
        for secret in (KEY, caller_secret, extra):
            assert secret not in text
    recordings = [path.read_bytes() for path in tmp_path.rglob("*.bin")]
    assert recordings and not any(secret.encode() in data for data in recordings for secret in (KEY, caller_secret, extra))
    assert [r.headers["Authorization"] for r in upstream.requests] == [f"Bearer {KEY}", f"Bearer {caller_secret}"]
    assert upstream.requests[0].headers["X-Org-Token"] == extra


def test_the_configuration_never_shows_its_key_or_header_values() -> None:
    config = RelayConfig("wss://example.com/v1/realtime", key=KEY, headers=(("X-Org-Token", "v4lue"),))
    assert KEY not in repr(config) and "v4lue" not in repr(config)


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"upstream": "https://api.openai.com/v1/realtime"}, "ws:// or wss://"),
        ({"upstream": "wss://user:pw@example.com/v1/realtime"}, "must not hold credentials"),
        ({"headers": (("OpenAI-Beta", "realtime=v1"),)}, "'OpenAI-Beta' is not allowed"),
        ({"max_event_bytes": 8 << 20}, "must fit in the session buffer"),
        ({"max_lag": 0}, "max lag must be positive"),
    ],
)
def test_a_bad_relay_configuration_names_its_problem(options: dict[str, object], problem: str) -> None:
    fields = {"upstream": "wss://api.openai.com/v1/realtime", "key": KEY, **options}
    with pytest.raises(ValueError, match=problem):
        RelayConfig(**fields)  # type: ignore[arg-type]


def test_the_relay_configuration_crosses_to_worker_processes_whole() -> None:
    import dataclasses
    import json

    from bridge.service._config import ServerConfig

    relay = RelayConfig("wss://example.com/v1/realtime", key=KEY, headers=(("X-Org", "v"),), max_sessions=7)
    config = ServerConfig(port=0, relay=relay)
    # As bridge.service.workers sends it: JSON on the worker's stdin (never argv).
    assert ServerConfig.from_dict(json.loads(json.dumps(dataclasses.asdict(config)))) == config
