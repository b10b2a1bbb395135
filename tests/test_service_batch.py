"""Batched streams: many events per stream message, each with its own result, over real channels on
127.0.0.1 (servers started here, on a port the OS picks)."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator

import grpc
import pytest

import bridge
from bridge.client import BridgeClient, RemoteError
from bridge.server import running
from bridge.v1 import realtime_pb2, service_pb2, service_pb2_grpc
from tests.test_service import bad_proto_event

EXAMPLES = [path.read_bytes() for path in sorted((pathlib.Path(__file__).parent / "data" / "service").glob("*.json"))]
TIMEOUT = 30.0
# Text that is not UTF-8 in two places: what the tolerant reader still refuses.
BAD_EVENT = b'{"type": "response.done", "response": {"id": "\xff", "status": "completed", "voice": "\xfe"}}'
UNKNOWN_KEY_EVENT = b'{"type": "response.done", "response": {"status": "completed", "phase": "final"}}'
LIMIT = 4 * 1024 * 1024  # the server's and the client's default maximum message size


def violations_of(call, *args) -> list[tuple[str, str]]:
    with pytest.raises(bridge.ValidationError) as caught:
        call(*args)
    return [tuple(v) for v in caught.value.violations]


def escaped_delta(characters: int) -> realtime_pb2.ServerEvent:
    """A ServerEvent whose JSON is about six times larger: control characters become \\u00XX."""
    data = b'{"type": "response.created", "response": {"id": "%s"}}' % (b"\\u0001" * characters)
    return bridge.to_proto(bridge.decode_event(data))


@pytest.fixture(scope="module")
def client(address: str) -> Iterator[BridgeClient]:
    with BridgeClient(address, timeout=TIMEOUT) as bound:
        yield bound


@pytest.fixture(scope="module")
def stub(address: str) -> Iterator[service_pb2_grpc.BridgeServiceStub]:
    with grpc.insecure_channel(address, options=[("grpc.max_receive_message_length", LIMIT)]) as channel:
        yield service_pb2_grpc.BridgeServiceStub(channel)


def json_batch(*events: bytes, strict: bool = False) -> service_pb2.StreamEventsFromJsonRequest:
    return service_pb2.StreamEventsFromJsonRequest(batch=service_pb2.JsonBatch(json=events), strict=strict)


# ------------------------------------------------------------------------------- both directions


@pytest.mark.parametrize("batch_size", [2, 3, 100])
def test_batched_from_json_answers_every_event_past_a_bad_one(client: BridgeClient, batch_size: int) -> None:
    inputs = [*EXAMPLES[:3], BAD_EVENT, b"not json", *EXAMPLES[3:]]
    results = list(client.stream_events_from_json(inputs, batch_size=batch_size))
    assert [r.sequence for r in results] == list(range(len(inputs)))
    for data, result in zip(inputs, results, strict=True):
        if data in (BAD_EVENT, b"not json"):
            assert not result.ok and result.value is None
            assert [tuple(v) for v in result.error.violations] == violations_of(bridge.decode_event, data)
        else:
            assert result.ok and result.value == bridge.to_proto(bridge.decode_event(data))


@pytest.mark.parametrize("batch_size", [2, 100])
def test_batched_to_json_answers_every_event_past_a_bad_one(client: BridgeClient, batch_size: int) -> None:
    inputs = [bridge.to_proto(bridge.decode_event(data)) for data in EXAMPLES]
    inputs.insert(1, bad_proto_event())
    results = list(client.stream_events_to_json(inputs, batch_size=batch_size))
    assert [r.sequence for r in results] == list(range(len(inputs)))
    assert isinstance(results[1].error, bridge.ValidationError)
    assert [tuple(v) for v in results[1].error.violations] == violations_of(bridge.from_proto, bad_proto_event())
    expected = [bridge.encode(bridge.from_proto(event)) for i, event in enumerate(inputs) if i != 1]
    assert [r.value for i, r in enumerate(results) if i != 1] == expected


def test_batched_results_match_unbatched_ones(client: BridgeClient) -> None:
    inputs = [b'{"type": "response.audio.delta", "n": %d}' % i if i % 7 else b'{"type": %d}' % i for i in range(300)]
    unbatched = list(client.stream_events_from_json(inputs))
    batched = list(client.stream_events_from_json(inputs, batch_size=150))  # > _EVENTS_PER_TURN
    assert [(r.sequence, r.value) for r in batched] == [(r.sequence, r.value) for r in unbatched]
    assert [r.ok for r in batched] == [i % 7 != 0 for i in range(300)]


def test_batch_size_must_be_positive(client: BridgeClient) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        client.stream_events_from_json(EXAMPLES, batch_size=0)


# --------------------------------------------------------------------------------- the messages


def test_sequence_counts_events_across_batches_singles_and_empty_batches(
    stub: service_pb2_grpc.BridgeServiceStub,
) -> None:
    good = EXAMPLES[0]
    requests = [
        service_pb2.StreamEventsFromJsonRequest(json=good),
        json_batch(good, b"{", good),
        json_batch(),
        service_pb2.StreamEventsFromJsonRequest(json=b"{"),
        json_batch(good),
    ]
    responses = list(stub.StreamEventsFromJson(iter(requests), timeout=TIMEOUT))
    assert len(responses) == len(requests)
    single, batch, empty, bad_single, last = responses
    assert (single.sequence, single.WhichOneof("result"), len(single.results)) == (0, "event", 0)
    assert [(r.sequence, r.WhichOneof("result")) for r in batch.results] == [(1, "event"), (2, "error"), (3, "event")]
    assert batch.WhichOneof("result") is None
    assert empty == service_pb2.StreamEventsFromJsonResponse()
    assert (bad_single.sequence, bad_single.WhichOneof("result")) == (4, "error")
    assert [(r.sequence, r.WhichOneof("result")) for r in last.results] == [(5, "event")]
    assert batch.results[1].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]


def test_strict_applies_to_every_event_of_its_batch(stub: service_pb2_grpc.BridgeServiceStub) -> None:
    requests = [json_batch(UNKNOWN_KEY_EVENT, UNKNOWN_KEY_EVENT, strict=s) for s in (False, True)]
    lenient, strict = stub.StreamEventsFromJson(iter(requests), timeout=TIMEOUT)
    assert [r.WhichOneof("result") for r in lenient.results] == ["event", "event"]
    assert [r.WhichOneof("result") for r in strict.results] == ["error", "error"]
    assert [(v.path, v.message) for v in strict.results[0].error.violations] == [("$.response.phase", "unknown key")]


def test_to_json_batches_carry_events(stub: service_pb2_grpc.BridgeServiceStub) -> None:
    events = [bridge.to_proto(bridge.decode_event(data)) for data in EXAMPLES[:2]]
    batch = service_pb2.ServerEventBatch(events=[events[0], bad_proto_event(), events[1]])
    (response,) = stub.StreamEventsToJson(iter([service_pb2.StreamEventsToJsonRequest(batch=batch)]), timeout=TIMEOUT)
    assert [(r.sequence, r.WhichOneof("result")) for r in response.results] == [(0, "json"), (1, "error"), (2, "json")]
    assert [response.results[i].json for i in (0, 2)] == [bridge.encode(bridge.from_proto(e)) for e in events]


# ---------------------------------------------------------------------------------- message size


def test_results_too_big_for_one_message_come_in_several(stub: service_pb2_grpc.BridgeServiceStub) -> None:
    """Ten events of ~100 KB whose JSON is ~600 KB each: 6 MB of results, over the 4 MiB limit."""
    events = [escaped_delta(100_000) for _ in range(10)]
    request = service_pb2.StreamEventsToJsonRequest(batch=service_pb2.ServerEventBatch(events=events))
    assert request.ByteSize() < LIMIT
    responses = list(stub.StreamEventsToJson(iter([request]), timeout=TIMEOUT))
    assert len(responses) >= 2
    assert all(response.ByteSize() <= LIMIT for response in responses)
    results = [result for response in responses for result in response.results]
    assert [(r.sequence, r.WhichOneof("result")) for r in results] == [(i, "json") for i in range(10)]
    assert results[0].json == bridge.encode(bridge.from_proto(events[0]))


def test_a_result_too_big_for_any_message_is_that_events_error(client: BridgeClient) -> None:
    small = bridge.to_proto(bridge.decode_event(EXAMPLES[0]))
    huge = escaped_delta(800_000)  # ~800 KB in, ~4.8 MB of JSON out
    results = list(client.stream_events_to_json([small, huge, small], batch_size=10))
    assert [(r.sequence, r.ok) for r in results] == [(0, True), (1, False), (2, True)]
    assert isinstance(results[1].error, RemoteError)
    assert results[1].error.code == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "maximum message size" in results[1].error.message


def test_a_batch_over_the_servers_limit_fails_the_call_with_resource_exhausted() -> None:
    limit = 64 * 1024
    events = [b'{"type": "response.text.delta", "delta": "%s"}' % (b"x" * 1000) for _ in range(100)]
    with running(max_message_bytes=limit) as address:
        with BridgeClient(address, timeout=TIMEOUT) as client, pytest.raises(grpc.RpcError) as caught:
            list(client.stream_events_from_json(events, batch_size=100))
        assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        # A client that knows the limit cuts its batches to fit, and every event gets through.
        with BridgeClient(address, timeout=TIMEOUT, max_message_bytes=limit) as client:
            results = list(client.stream_events_from_json(events, batch_size=100))
    assert [(r.sequence, r.ok) for r in results] == [(i, True) for i in range(100)]


def test_results_are_split_at_the_servers_own_limit() -> None:
    """The servicer splits at the limit the server was started with, not at the default."""
    limit = 256 * 1024
    events = [escaped_delta(8000) for _ in range(20)]  # ~160 KB of protobuf in, ~960 KB of JSON out
    request = service_pb2.StreamEventsToJsonRequest(batch=service_pb2.ServerEventBatch(events=events))
    assert request.ByteSize() < limit
    with running(max_message_bytes=limit) as address:
        options = [("grpc.max_receive_message_length", limit), ("grpc.max_send_message_length", limit)]
        with grpc.insecure_channel(address, options=options) as channel:
            stub = service_pb2_grpc.BridgeServiceStub(channel)
            responses = list(stub.StreamEventsToJson(iter([request]), timeout=TIMEOUT))
    assert len(responses) >= 4 and all(r.ByteSize() <= limit for r in responses)
    results = [result for response in responses for result in response.results]
    assert [r.sequence for r in results] == list(range(20))
    assert all(r.WhichOneof("result") == "json" for r in results)
