"""The session relay's Prometheus series (bridge.relay.metrics): a session through the relay with
metrics on, then the series read back from prometheus_client's registry (this process's, as the
relay runs in it), as differences from before the session; and the closed label sets."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY
from prometheus_client.metrics import MetricWrapperBase
from websockets.asyncio.server import ServerConnection

import bridge
from bridge.relay import metrics
from bridge.relay.client import SessionClient
from bridge.service.metrics import EVENT_TYPES
from bridge.v1.realtime_pb2 import ClientEvent
from bridge.v1.session_service_pb2 import SessionEnded, SessionOutcome
from tests._relay import Upstream, event, relay

USAGE = {
    "total_tokens": 85, "input_tokens": 38, "output_tokens": 47,
    "input_token_details": {"cached_tokens": 3, "text_tokens": 14, "audio_tokens": 24, "image_tokens": 0},
    "output_token_details": {"text_tokens": 7, "audio_tokens": 40},
}
CREATED = event("session.created", event_id="e0", session={"type": "realtime", "model": "gpt-realtime"})
DELTA = event("response.output_audio.delta", event_id="d", response_id="r", item_id="i", output_index=0, content_index=0, delta="AAECAw==")
UNKNOWN = event("x-made-up.by-upstream", event_id="u")
DONE = event("response.done", event_id="done", response={"id": "r", "object": "realtime.response", "status": "completed", "usage": USAGE})


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _series() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the relay's series now (rtbridge_session*, rtbridge_sessions*, the connect histogram)."""
    samples = {}
    for family in REGISTRY.collect():
        if family.name.startswith(("rtbridge_session", "rtbridge_upstream_connect")):
            for sample in family.samples:
                samples[sample.name, tuple(sorted(sample.labels.items()))] = sample.value
    return samples


def _client_event(text: str) -> ClientEvent:
    return ClientEvent.FromString(bridge.json_to_binary(text, kind="client_event"))


def _server_bytes(frame: str) -> int:
    return len(bridge.json_to_binary(frame, kind="event"))


def test_a_session_through_the_relay_is_counted_by_outcome_type_direction_bytes_and_tokens() -> None:
    async def upstream_session(connection: ServerConnection) -> None:
        await connection.send(CREATED)
        async for frame in connection:
            upstream.received.append(frame)
            sent = json.loads(frame)["type"]
            if sent == "input_audio_buffer.append":
                await connection.send(DELTA)
            elif sent == "response.create":
                await connection.send(UNKNOWN)
                await connection.send(DONE)

    appends = [_client_event(event("input_audio_buffer.append", event_id=f"c{n}", audio="AAECAw==")) for n in range(3)]
    create = _client_event(event("response.create", event_id="c3"))
    bad = ClientEvent(type="response.cancel")
    bad.input_audio_buffer_append.audio = b"\x00"  # a type and a member that disagree: rejected
    before = _series()
    with Upstream(upstream_session) as upstream, relay(upstream, metrics=True) as channel:
        with SessionClient(channel, model="gpt-realtime", timeout=30) as session:
            session.send(*appends)
            session.send(bad, create)
            received = []
            for server_event in session:
                received.append(server_event.type)
                if server_event.type == "response.done":
                    session.close()
        after = _series()

    def added(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert session.ended is not None and session.ended.outcome == SessionOutcome.SESSION_OUTCOME_CALLER_CLOSED
    assert received == ["session.created", *["response.output_audio.delta"] * 3, "x-made-up.by-upstream", "response.done"]
    assert added("rtbridge_sessions_total", outcome="caller_closed") == 1
    assert added("rtbridge_sessions_open") == 0  # opened, and closed again
    assert added("rtbridge_upstream_connect_seconds_count") == 1
    assert added("rtbridge_upstream_connect_seconds_sum") > 0
    # Client events: what crossed (the rejected one is not an event sent), with the caller's bytes.
    assert added("rtbridge_session_events_total", direction="client", type="input_audio_buffer.append") == 3
    assert added("rtbridge_session_event_bytes_total", direction="client", type="input_audio_buffer.append") == sum(
        e.ByteSize() for e in appends
    )
    assert added("rtbridge_session_events_total", direction="client", type="response.create") == 1
    assert added("rtbridge_session_events_total", direction="client", type="response.cancel") == 0
    assert added("rtbridge_session_client_events_rejected_total") == 1
    # Server events: by type, an unknown type in the one bucket, bytes of the converted events.
    for frame, count in ((CREATED, 1), (DELTA, 3), (UNKNOWN, 1), (DONE, 1)):
        type_ = json.loads(frame)["type"]
        label = type_ if type_ in EVENT_TYPES else "other"
        assert added("rtbridge_session_events_total", direction="server", type=label) == count, type_
        assert added("rtbridge_session_event_bytes_total", direction="server", type=label) == count * _server_bytes(frame)
    assert not any(dict(labels).get("type") == "x-made-up.by-upstream" for _, labels in after)
    # Tokens, by kind, from response.done's usage.
    assert {kind: added("rtbridge_session_tokens_total", kind=kind) for kind in metrics.TOKEN_KINDS} == {
        "input_text": 14, "input_audio": 24, "input_image": 0, "input_cached": 3, "output_text": 7, "output_audio": 40,
    }
    assert added("rtbridge_session_undelivered_events_total") == 0
    assert added("rtbridge_session_records_dropped_total") == 0
    # Audio, in seconds at PCM16 24 kHz (no session.updated said otherwise): 4 bytes an event each way.
    assert added("rtbridge_session_audio_seconds_total", direction="client") == 3 * 4 / 48_000
    assert added("rtbridge_session_audio_seconds_total", direction="server") == 3 * 4 / 48_000
    # The latency the relay added: one observation per event sent, and per event delivered.
    assert added("rtbridge_session_added_latency_seconds_count", direction="client") == 4
    assert added("rtbridge_session_added_latency_seconds_count", direction="server") == len(received)
    assert added("rtbridge_session_added_latency_seconds_sum", direction="server") > 0
    # Drift: the unknown type is the only event the schema does not type whole.
    drifted = {labels: added(name, **dict(labels)) for name, labels in after if name == "rtbridge_session_drift_total"}
    assert {labels: value for labels, value in drifted.items() if value} == {(("direction", "server"), ("type", "other")): 1}


def test_a_refused_session_is_counted_by_its_outcome_and_leaves_none_open() -> None:
    async def never(_connection: ServerConnection) -> None:  # pragma: no cover - the handshake is refused
        raise AssertionError("not reached")

    def refuse(_connection: Any, _request: Any) -> Any:
        return _connection.respond(401, "no\n")

    before = _series()
    with Upstream(never, process_request=refuse) as upstream, relay(upstream, metrics=True) as channel:
        with SessionClient(channel, model="m", timeout=30) as session:
            assert list(session) == []
        after = _series()
    assert session.ended is not None and session.ended.outcome == SessionOutcome.SESSION_OUTCOME_UPSTREAM_REFUSED
    key = ("rtbridge_sessions_total", (("outcome", "upstream_refused"),))
    assert after[key] - before.get(key, 0.0) == 1
    assert after["rtbridge_sessions_open", ()] == before.get(("rtbridge_sessions_open", ()), 0.0)
    connect = ("rtbridge_upstream_connect_seconds_count", ())
    assert after.get(connect, 0.0) == before.get(connect, 0.0)  # no handshake completed


def test_the_counts_a_session_ends_with_are_added_and_a_disk_error_is_counted() -> None:
    observer = metrics.SessionMetrics()
    names = ("rtbridge_session_client_events_rejected_total", "rtbridge_session_undelivered_events_total",
             "rtbridge_session_records_dropped_total", "rtbridge_session_record_errors_total")
    before = [_value(name) for name in names]
    drained = _value("rtbridge_sessions_total", outcome="drained")
    observer.session_started()
    observer.session_ended(SessionEnded(
        outcome=SessionOutcome.SESSION_OUTCOME_DRAINED, client_events_rejected=2, server_events_undelivered=5, records_dropped=7,
    ))
    observer.records_failed(11)
    assert [_value(name) - old for name, old in zip(names, before, strict=True)] == [2, 5, 7, 11]
    assert _value("rtbridge_sessions_total", outcome="drained") - drained == 1


def test_label_values_are_closed_sets() -> None:
    # Outcomes: every SessionOutcome, named from the enum's descriptor.
    assert set(metrics.OUTCOMES) == set(SessionOutcome.values())
    assert metrics.OUTCOMES[SessionOutcome.SESSION_OUTCOME_CALLER_TOO_SLOW] == "caller_too_slow"
    assert all(name.islower() and not name.startswith("session_outcome") for name in metrics.OUTCOMES.values())
    # Event types: what a caller or an upstream names itself is 'other', however long or odd.
    observer = metrics.SessionMetrics()
    before = _series()
    meter = observer.session_started()
    for type_ in ("x" * 10_000, "response.output_audio.delta\n", "\u00e9v\u00e9nement"):
        meter.client_event(ClientEvent(type=type_).SerializeToString())
    meter.client_event(b"")
    meter.client_event(b"\xff\xff")
    after = _series()
    observer.session_ended(SessionEnded())
    grown = {key for key in after if after[key] != before.get(key) and key[0] != "rtbridge_sessions_open"}
    assert {dict(labels)["type"] for name, labels in grown} == {"other"}
    # A response.done whose usage is absent, or negative, counts no tokens (and does not fail).
    tokens = {kind: _value("rtbridge_session_tokens_total", kind=kind) for kind in metrics.TOKEN_KINDS}
    meter.server_event(bridge.json_to_binary(event("response.done", event_id="e", response={"id": "r"})))
    negative = {"input_token_details": {"text_tokens": -5}, "output_token_details": {"audio_tokens": 2}}
    meter.server_event(bridge.json_to_binary(event("response.done", event_id="e", response={"id": "r", "usage": negative})))
    added = {kind: _value("rtbridge_session_tokens_total", kind=kind) - value for kind, value in tokens.items()}
    assert added == {kind: (2 if kind == "output_audio" else 0) for kind in metrics.TOKEN_KINDS}


def test_the_operations_page_names_every_series_outcome_and_token_kind() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "relay-operations.md").read_text()
    table = page[page.index("## Metrics") : page.index("## Recording")]
    families = [value.describe()[0] for value in vars(metrics).values() if isinstance(value, MetricWrapperBase)]
    documented = set(re.findall(r"^\| `(rtbridge_[a-z_]+)", table, re.MULTILINE))
    assert documented == {family.name + ("_total" if family.type == "counter" else "") for family in families}
    listed = table[table.index("- `outcome`") : table.index("- `type`")]
    assert re.findall(r"`([a-z_]+)`", listed)[1:] == list(metrics.OUTCOMES.values())
    assert all(f"`{kind}`" in table for kind in metrics.TOKEN_KINDS)


def test_audio_seconds_follow_the_format_each_session_negotiated() -> None:
    """G.711 (8 000 bytes a second) once session.updated says so, for this session only; PCM at
    another rate; beta's enum formats."""
    observer = metrics.SessionMetrics()
    g711, default = observer.session_started(), observer.session_started()
    audio = {"input": {"format": {"type": "audio/pcmu"}}, "output": {"format": {"type": "audio/pcm", "rate": 16000}}}
    updated = event("session.updated", event_id="u", session={"type": "realtime", "audio": audio})
    g711.server_event(bridge.json_to_binary(updated))
    append = _client_event(event("input_audio_buffer.append", event_id="a", audio=base64.b64encode(b"\x00" * 800).decode()))
    delta = bridge.json_to_binary(event("response.output_audio.delta", event_id="d", response_id="r", item_id="i",
                                        output_index=0, content_index=0, delta=base64.b64encode(b"\x00" * 3200).decode()))
    before = {d: _value("rtbridge_session_audio_seconds_total", direction=d) for d in ("client", "server")}
    g711.client_event(append.SerializeToString())
    g711.server_event(delta)
    mid = {d: _value("rtbridge_session_audio_seconds_total", direction=d) for d in ("client", "server")}
    default.client_event(append.SerializeToString())
    default.server_event(delta)
    after = {d: _value("rtbridge_session_audio_seconds_total", direction=d) for d in ("client", "server")}
    assert mid["client"] - before["client"] == pytest.approx(0.1)  # 800 bytes of G.711: 100 ms
    assert mid["server"] - before["server"] == pytest.approx(0.1)  # 3 200 bytes of PCM16 at 16 kHz: 100 ms
    assert after["client"] - mid["client"] == pytest.approx(800 / 48_000)  # the other session: PCM16 at 24 kHz
    beta = observer.session_started()
    beta.server_event(bridge.json_to_binary(event("session.created", event_id="c", session={
        "object": "realtime.session", "input_audio_format": "g711_alaw", "output_audio_format": "pcm16"})))
    start = _value("rtbridge_session_audio_seconds_total", direction="client")
    beta.client_event(append.SerializeToString())
    assert _value("rtbridge_session_audio_seconds_total", direction="client") - start == pytest.approx(0.1)
