""":class:`bridge.client.BridgeUnavailable`: the client's own exception for a server it cannot reach
or that does not answer in time, in unary calls, health checks and streams; bad input stays
:class:`bridge.ValidationError` and other failures stay :class:`grpc.RpcError`."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pytest

import bridge
import bridge.client
from bridge.client import BridgeClient, BridgeUnavailable
from bridge.server import running
from bridge.v1 import realtime_pb2

EVENT = b'{"type": "response.text.delta", "delta": "hi"}'
PROTO_EVENT = realtime_pb2.ServerEvent(type="response.text.delta")

CALLS: dict[str, Callable[[BridgeClient], Any]] = {
    "event_from_json": lambda client: client.event_from_json(EVENT),
    "event_to_json": lambda client: client.event_to_json(PROTO_EVENT),
    "response_from_json": lambda client: client.response_from_json(b"{}"),
    "response_to_json": lambda client: client.response_to_json(realtime_pb2.RealtimeResponse()),
    "health": lambda client: client.health(),
    "stream_events_from_json": lambda client: list(client.stream_events_from_json([EVENT])),
    "stream_events_from_json batched": lambda client: list(client.stream_events_from_json([EVENT] * 3, batch_size=2)),
    "stream_events_to_json": lambda client: list(client.stream_events_to_json([PROTO_EVENT])),
}


@pytest.fixture
def closed_port() -> int:
    """A port of 127.0.0.1 that nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port of 127.0.0.1 that accepts connections and never says a word."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_connection_refused_is_bridge_unavailable(closed_port: int, call: Callable[[BridgeClient], Any]) -> None:
    target = f"127.0.0.1:{closed_port}"
    with BridgeClient(target, timeout=5.0) as client, pytest.raises(BridgeUnavailable) as caught:
        call(client)
    error = caught.value
    assert type(error) is BridgeUnavailable
    assert error.code() == grpc.StatusCode.UNAVAILABLE
    assert error.target == target
    assert str(error).startswith(f"the bridge at {target} is unavailable (UNAVAILABLE): ")
    assert error.details() and error.details() in str(error)
    assert isinstance(error.__cause__, grpc.RpcError)  # the gRPC error, for the curious
    assert isinstance(error, grpc.RpcError)  # code written against gRPC's errors keeps working


@pytest.mark.parametrize("call", ["event_from_json", "health", "stream_events_from_json"])
def test_no_answer_in_time_is_bridge_unavailable(silent_port: int, call: str) -> None:
    target = f"127.0.0.1:{silent_port}"
    with BridgeClient(target, timeout=0.5) as client, pytest.raises(BridgeUnavailable) as caught:
        if call.startswith("stream"):
            list(client.stream_events_from_json([EVENT], timeout=0.5))
        else:
            CALLS[call](client)
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert str(caught.value).startswith(f"the bridge at {target} did not answer in time (DEADLINE_EXCEEDED): ")


def test_a_server_gone_between_calls() -> None:
    with running() as address, BridgeClient(address, timeout=5.0) as client:
        assert client.event_from_json(EVENT).type == "response.text.delta"
    with BridgeClient(address, timeout=5.0) as client, pytest.raises(BridgeUnavailable):
        client.event_from_json(EVENT)


def test_other_failures_keep_their_exceptions() -> None:
    with running(token="s3cret-token") as address:
        with BridgeClient(address, token="s3cret-token", timeout=5.0) as client:
            with pytest.raises(bridge.ValidationError):
                client.event_from_json(b'{"type": 5, "response": {"temperature": "hot"}}')
            with pytest.raises(grpc.RpcError) as caught:
                client.health("no.such.Service")
            assert caught.value.code() == grpc.StatusCode.NOT_FOUND
            assert not isinstance(caught.value, BridgeUnavailable)
        with BridgeClient(address, timeout=5.0) as anonymous, pytest.raises(grpc.RpcError) as caught:
            anonymous.event_from_json(EVENT)
        assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert not isinstance(caught.value, BridgeUnavailable)


def test_exported_next_to_the_client() -> None:
    assert "BridgeUnavailable" in bridge.client.__all__
    # bridge/__init__ exports the library, not the client (which needs gRPC)
    assert not hasattr(bridge, "BridgeClient") and not hasattr(bridge, "BridgeUnavailable")
