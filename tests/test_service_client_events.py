"""The client direction of the service (``ClientEventFromJson``, ``ClientEventToJson``,
``StreamClientEventsFromJson``, ``StreamClientEventsToJson``) over real channels on 127.0.0.1:
what the library's ``kind="client_event"`` converters say, unary, streamed and batched, the same
errors, the same framing, and the RPCs listed by reflection."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor_pool
from google.rpc import error_details_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)
from grpc_status import rpc_status

import bridge
from bridge.client import BridgeClient, RemoteError
from bridge.server import running
from bridge.service import wire
from bridge.v1 import realtime_pb2, service_pb2, service_pb2_grpc

SERVICE = "realtime.bridge.v1.BridgeService"
TIMEOUT = 10.0
KIND = "client_event"
CLIENT_RPCS = {"ClientEventFromJson", "ClientEventToJson", "StreamClientEventsFromJson", "StreamClientEventsToJson"}

#: Client events as an internal service would send them upstream, one of most kinds.
CLIENT_EVENTS = [
    b'{"type":"session.update","event_id":"c0","session":{"instructions":"be brief","voice":"alloy"}}',
    b'{"type":"input_audio_buffer.append","event_id":"c1","audio":"AAAAAAAA"}',
    b'{"type":"input_audio_buffer.commit"}',
    b'{"type":"conversation.item.create","item":{"type":"message","role":"user",'
    b'"content":[{"type":"input_text","text":"hi"}]}}',
    b'{"type":"response.create","response":{"modalities":["text"]}}',
    b'{"type":"response.cancel","event_id":"c5"}',
    b'{"type":"some.future.client_event","x":1}',
]
# Text that is not UTF-8 in two places: what the tolerant reader still refuses.
BAD_EVENT = b'{"type":"conversation.item.truncate","item_id":"\xff","event_id":"\xfe"}'
UNKNOWN_KEY_EVENT = b'{"type":"input_audio_buffer.append","audio":"AAAA","extra":1}'


def to_binary(data: bytes, strict: bool = False) -> bytes:
    return bridge.json_to_binary(data, kind=KIND, strict=strict)


def to_json(blob: bytes, strict: bool = False) -> bytes:
    return bridge.binary_to_json(blob, kind=KIND, strict=strict)


def proto(data: bytes) -> realtime_pb2.ClientEvent:
    return realtime_pb2.ClientEvent.FromString(to_binary(data))


PROTOS = [proto(data) for data in CLIENT_EVENTS]


def bad_proto_event() -> realtime_pb2.ClientEvent:
    """A ClientEvent that binary_to_json rejects: an unknown key whose value is not JSON."""
    event = realtime_pb2.ClientEvent(type="input_audio_buffer.append")
    event.input_audio_buffer_append.json_fidelity.unknown_keys["extra"] = b"{not json"
    return event


def violations(call: Any, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
    """The (path, message, kind) of each violation of the ValidationError that ``call`` raises."""
    with pytest.raises(bridge.ValidationError) as caught:
        call(*args, **kwargs)
    return [tuple(v) for v in caught.value.violations]


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    with running() as server_address:
        yield server_address


@pytest.fixture(scope="module")
def client(address: str) -> Iterator[BridgeClient]:
    with BridgeClient(address, timeout=TIMEOUT) as bridge_client:
        yield bridge_client


@pytest.fixture(scope="module")
def channel(address: str) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(address) as raw:
        yield raw


@pytest.fixture
def stub(channel: grpc.Channel) -> service_pb2_grpc.BridgeServiceStub:
    return service_pb2_grpc.BridgeServiceStub(channel)


def raw_call(channel: grpc.Channel, method: str, kind: str = "unary_unary") -> Any:
    """``method`` with bytes in and bytes out: what the server writes, unparsed."""
    return getattr(channel, kind)(f"/{SERVICE}/{method}", request_serializer=bytes, response_deserializer=bytes)


# ------------------------------------------------------------------------------------- unary RPCs


@pytest.mark.parametrize("data", CLIENT_EVENTS, ids=lambda d: json.loads(d)["type"])
def test_client_event_round_trip(client: BridgeClient, data: bytes) -> None:
    event = client.client_event_from_json(data)
    assert isinstance(event, realtime_pb2.ClientEvent)
    assert event.SerializeToString() == to_binary(data)
    assert event == bridge.to_proto(bridge.decode_client_event(data))
    text = client.client_event_to_json(event)
    assert text == to_json(event.SerializeToString())
    assert json.loads(text) == json.loads(data)


def test_a_typed_client_event_lands_in_its_oneof_member(client: BridgeClient) -> None:
    event = client.client_event_from_json(CLIENT_EVENTS[1])
    assert event.type == "input_audio_buffer.append"
    assert event.WhichOneof("event") == "input_audio_buffer_append"
    assert (event.event_id, event.input_audio_buffer_append.audio) == ("c1", bytes(6))  # the audio itself


def test_strict_flag_is_per_request(client: BridgeClient) -> None:
    event = client.client_event_from_json(UNKNOWN_KEY_EVENT)
    assert json.loads(client.client_event_to_json(event)) == json.loads(UNKNOWN_KEY_EVENT)
    expected = violations(to_binary, UNKNOWN_KEY_EVENT, strict=True)
    assert expected == [("$.extra", "unknown key", "unknown_key")]
    assert violations(client.client_event_from_json, UNKNOWN_KEY_EVENT, strict=True) == expected
    assert violations(client.client_event_to_json, event, strict=True) == expected


@pytest.mark.parametrize(
    ("method", "request_message", "expected"),
    [
        (
            "ClientEventFromJson",
            service_pb2.ClientEventFromJsonRequest(json=BAD_EVENT),
            lambda: violations(to_binary, BAD_EVENT),
        ),
        (
            "ClientEventToJson",
            service_pb2.ClientEventToJsonRequest(event=bad_proto_event()),
            lambda: violations(to_json, bad_proto_event().SerializeToString()),
        ),
    ],
)
def test_bad_input_is_invalid_argument_with_bad_request_details(
    stub: service_pb2_grpc.BridgeServiceStub, method: str, request_message: Any, expected: Any
) -> None:
    wanted = expected()
    assert wanted
    with pytest.raises(grpc.RpcError) as caught:
        getattr(stub, method)(request_message, timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    status = rpc_status.from_call(caught.value)
    assert status is not None and len(status.details) == 1
    bad_request = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad_request)
    assert [(v.field, v.description, v.reason.lower()) for v in bad_request.field_violations] == wanted
    assert wanted[0][0] in caught.value.details()


def test_the_two_violations_of_a_bad_client_event_are_both_reported(client: BridgeClient) -> None:
    assert violations(client.client_event_from_json, BAD_EVENT) == [
        ("$.item_id", "invalid UTF-8", "invalid_text"),
        ("$.event_id", "invalid UTF-8", "invalid_text"),
    ]
    assert violations(client.client_event_from_json, "not json") == violations(bridge.decode_client_event, b"not json")
    assert violations(client.client_event_to_json, bad_proto_event()) == violations(
        to_json, bad_proto_event().SerializeToString()
    )


def test_a_client_event_is_not_read_as_a_server_event(client: BridgeClient) -> None:
    """The two directions convert different messages: a ClientEvent's bytes are not a ServerEvent's."""
    event = client.client_event_from_json(CLIENT_EVENTS[1])
    server_event = client.event_from_json(CLIENT_EVENTS[1])
    assert event.SerializeToString() == to_binary(CLIENT_EVENTS[1])
    assert server_event.SerializeToString() == bridge.json_to_binary(CLIENT_EVENTS[1], kind="event")
    assert event.SerializeToString() != server_event.SerializeToString()


def test_malformed_request_messages_are_bad_input(channel: grpc.Channel) -> None:
    garbage = b"\xff\xff\xff"
    for method in ("ClientEventFromJson", "ClientEventToJson"):
        with pytest.raises(grpc.RpcError) as caught:
            raw_call(channel, method)(garbage, timeout=TIMEOUT)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        bad_request = error_details_pb2.BadRequest()
        assert rpc_status.from_call(caught.value).details[0].Unpack(bad_request)
        assert bad_request.field_violations[0].field == "$"
        assert "malformed request message" in bad_request.field_violations[0].description

    good = service_pb2.StreamClientEventsFromJsonRequest(json=CLIENT_EVENTS[2]).SerializeToString()
    replies = raw_call(channel, "StreamClientEventsFromJson", "stream_stream")(iter([good, garbage, good]), timeout=TIMEOUT)
    results = [service_pb2.StreamClientEventsFromJsonResponse.FromString(reply) for reply in replies]
    assert [(r.sequence, r.WhichOneof("result")) for r in results] == [(0, "event"), (1, "error"), (2, "event")]
    assert results[1].error.violations[0].path == "$"


# ------------------------------------------------------------------------------------------ streams


@pytest.mark.parametrize("batch_size", [1, 2, 100])
def test_stream_from_json_answers_every_event_past_bad_ones(client: BridgeClient, batch_size: int) -> None:
    inputs = [*CLIENT_EVENTS[:3], BAD_EVENT, b"not json", *CLIENT_EVENTS[3:]]
    results = list(client.stream_client_events_from_json(inputs, batch_size=batch_size))
    assert [r.sequence for r in results] == list(range(len(inputs)))
    for data, result in zip(inputs, results, strict=True):
        if data in (BAD_EVENT, b"not json"):
            assert not result.ok and result.value is None
            assert isinstance(result.error, bridge.ValidationError)
            assert [tuple(v) for v in result.error.violations] == violations(to_binary, data)
        else:
            assert result.ok and result.value.SerializeToString() == to_binary(data)


@pytest.mark.parametrize("batch_size", [1, 2, 100])
def test_stream_to_json_answers_every_event_past_a_bad_one(client: BridgeClient, batch_size: int) -> None:
    inputs = [*PROTOS[:2], bad_proto_event(), *PROTOS[2:]]
    results = list(client.stream_client_events_to_json(inputs, batch_size=batch_size))
    assert [r.sequence for r in results] == list(range(len(inputs)))
    assert isinstance(results[2].error, bridge.ValidationError)
    assert [tuple(v) for v in results[2].error.violations] == violations(to_json, bad_proto_event().SerializeToString())
    assert [r.value for i, r in enumerate(results) if i != 2] == [to_json(e.SerializeToString()) for e in PROTOS]
    assert [json.loads(r.value) for i, r in enumerate(results) if i != 2] == [json.loads(d) for d in CLIENT_EVENTS]


def test_stream_strict_flag_is_per_message(stub: service_pb2_grpc.BridgeServiceStub) -> None:
    requests = [
        service_pb2.StreamClientEventsFromJsonRequest(json=UNKNOWN_KEY_EVENT, strict=s) for s in (False, True, False)
    ]
    results = list(stub.StreamClientEventsFromJson(iter(requests), timeout=TIMEOUT))
    assert [r.WhichOneof("result") for r in results] == ["event", "error", "event"]
    assert [(v.path, v.message) for v in results[1].error.violations] == [("$.extra", "unknown key")]
    assert results[1].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]


def test_long_audio_stream_keeps_order(client: BridgeClient) -> None:
    inputs = [
        b'{"type":"input_audio_buffer.append","event_id":"a%d","audio":"AAAA"}' % i if i % 7 else b'{"type":%d}' % i
        for i in range(400)
    ]
    for batch_size in (1, 150):  # > _EVENTS_PER_TURN
        results = list(client.stream_client_events_from_json(inputs, batch_size=batch_size))
        assert [r.sequence for r in results] == list(range(400))
        assert [r.ok for r in results] == [i % 7 != 0 for i in range(400)]
        assert [r.value.event_id for r in results if r.ok] == [
            f"a{i}" for i in range(400) if i % 7
        ]


def test_sequence_counts_events_across_batches_singles_and_empty_batches(
    stub: service_pb2_grpc.BridgeServiceStub,
) -> None:
    good = CLIENT_EVENTS[1]

    def batch(*events: bytes) -> service_pb2.StreamClientEventsFromJsonRequest:
        return service_pb2.StreamClientEventsFromJsonRequest(batch=service_pb2.JsonBatch(json=events))

    requests = [
        service_pb2.StreamClientEventsFromJsonRequest(json=good),
        batch(good, b"{", good),
        batch(),
        service_pb2.StreamClientEventsFromJsonRequest(json=b"{"),
        batch(good),
    ]
    responses = list(stub.StreamClientEventsFromJson(iter(requests), timeout=TIMEOUT))
    assert len(responses) == len(requests)
    single, batched, empty, bad_single, last = responses
    assert (single.sequence, single.WhichOneof("result"), len(single.results)) == (0, "event", 0)
    assert [(r.sequence, r.WhichOneof("result")) for r in batched.results] == [(1, "event"), (2, "error"), (3, "event")]
    assert batched.WhichOneof("result") is None
    assert empty == service_pb2.StreamClientEventsFromJsonResponse()
    assert (bad_single.sequence, bad_single.WhichOneof("result")) == (4, "error")
    assert [(r.sequence, r.WhichOneof("result")) for r in last.results] == [(5, "event")]
    assert batched.results[1].event.SerializeToString() == b""  # (the error, not an event)
    assert batched.results[0].event.SerializeToString() == to_binary(good)


def test_to_json_batches_carry_client_events(stub: service_pb2_grpc.BridgeServiceStub) -> None:
    batch = service_pb2.ClientEventBatch(events=[PROTOS[0], bad_proto_event(), PROTOS[1]])
    requests = [
        service_pb2.StreamClientEventsToJsonRequest(event=PROTOS[2]),
        service_pb2.StreamClientEventsToJsonRequest(batch=batch),
        service_pb2.StreamClientEventsToJsonRequest(batch=service_pb2.ClientEventBatch()),
    ]
    single, response, empty = stub.StreamClientEventsToJson(iter(requests), timeout=TIMEOUT)
    assert (single.sequence, single.json) == (0, to_json(PROTOS[2].SerializeToString()))
    assert [(r.sequence, r.WhichOneof("result")) for r in response.results] == [(1, "json"), (2, "error"), (3, "json")]
    assert [response.results[i].json for i in (0, 2)] == [to_json(e.SerializeToString()) for e in PROTOS[:2]]
    assert empty == service_pb2.StreamClientEventsToJsonResponse()


def test_a_batch_event_that_is_not_protobuf_is_its_own_error(channel: grpc.Channel) -> None:
    corrupt = b"\x0a\x05ab"  # a string field cut short
    a, b = (event.SerializeToString() for event in PROTOS[:2])
    batch = _fields((3, _fields((1, a), (1, corrupt), (1, b))))
    (reply,) = raw_call(channel, "StreamClientEventsToJson", "stream_stream")(iter([batch]), timeout=TIMEOUT)
    results = service_pb2.StreamClientEventsToJsonResponse.FromString(reply).results
    assert [(r.sequence, r.WhichOneof("result")) for r in results] == [(0, "json"), (1, "error"), (2, "json")]
    assert [(v.path, v.message, v.kind) for v in results[1].error.violations] == violations(to_json, corrupt)
    assert [results[0].json, results[2].json] == [to_json(a), to_json(b)]


def test_results_too_big_for_one_message_come_in_several() -> None:
    limit = 256 * 1024
    audio = "A" * 40_000
    events = [realtime_pb2.ClientEvent.FromString(to_binary(json.dumps(
        {"type": "input_audio_buffer.append", "event_id": f"a{i}", "audio": audio}).encode())) for i in range(20)]
    with running(max_message_bytes=limit) as address, BridgeClient(
        address, timeout=TIMEOUT, max_message_bytes=limit
    ) as client, grpc.insecure_channel(address, options=[("grpc.max_receive_message_length", limit)]) as channel:
        stub = service_pb2_grpc.BridgeServiceStub(channel)
        request = service_pb2.StreamClientEventsToJsonRequest(batch=service_pb2.ClientEventBatch(events=events[:5]))
        responses = list(stub.StreamClientEventsToJson(iter([request]), timeout=TIMEOUT))
        assert len(responses) == 1
        results = list(client.stream_client_events_to_json(events, batch_size=20))  # the client cuts its batches
    assert [(r.sequence, r.ok) for r in results] == [(i, True) for i in range(20)]
    assert [json.loads(r.value)["event_id"] for r in results] == [f"a{i}" for i in range(20)]


# ------------------------------------------------------------------------------------ the wire


def _fields(*pairs: tuple[int, bytes]) -> bytes:
    """Length-delimited fields, in the order given (as a client may send them)."""
    return b"".join(bytes([number << 3 | 2]) + wire.varint(len(value)) + value for number, value in pairs)


def test_responses_are_the_converters_bytes_framed(channel: grpc.Channel) -> None:
    for text in CLIENT_EVENTS:
        blob = to_binary(text)
        request = service_pb2.ClientEventFromJsonRequest(json=text).SerializeToString()
        assert raw_call(channel, "ClientEventFromJson")(request, timeout=TIMEOUT) == wire.unary(blob)
        assert wire.unary(blob) == service_pb2.ClientEventFromJsonResponse(
            event=realtime_pb2.ClientEvent.FromString(blob)
        ).SerializeToString()
        request = service_pb2.ClientEventToJsonRequest(event=realtime_pb2.ClientEvent.FromString(blob)).SerializeToString()
        assert raw_call(channel, "ClientEventToJson")(request, timeout=TIMEOUT) == wire.unary(to_json(blob))
    batch = service_pb2.StreamClientEventsFromJsonRequest(batch=service_pb2.JsonBatch(json=CLIENT_EVENTS)).SerializeToString()
    single = service_pb2.StreamClientEventsFromJsonRequest(json=CLIENT_EVENTS[0]).SerializeToString()
    replies = list(raw_call(channel, "StreamClientEventsFromJson", "stream_stream")(iter([single, batch]), timeout=TIMEOUT))
    assert replies == [
        wire.result(0, to_binary(CLIENT_EVENTS[0])),
        b"".join(wire.batch_entry(i, to_binary(t)) for i, t in enumerate(CLIENT_EVENTS, 1)),
    ]
    expected = service_pb2.StreamClientEventsFromJsonResponse()
    for i, event in enumerate(PROTOS, 1):
        expected.results.add(sequence=i, event=event)
    assert replies[1] == expected.SerializeToString()


_A, _B = (event.SerializeToString() for event in PROTOS[:2])
_BATCH = _fields((1, _A), (1, _B))
STREAM_TO_JSON_REQUESTS = {
    "empty": b"",
    "event": _fields((1, _A)),
    "strict-first": b"\x10\x01" + _fields((1, _A)),
    "event-twice-merges": _fields((1, _A), (1, _B)),
    "batch": _fields((3, _BATCH)),
    "batch-twice-appends": _fields((3, _BATCH), (3, _fields((1, _A)))),
    "event-then-batch": _fields((1, _A), (3, _BATCH)),
    "batch-then-event": _fields((3, _BATCH), (1, _B)),
    "event-batch-event": _fields((1, _A), (3, _BATCH), (1, _B), (1, _A)),
}


def _as_read(envelope: wire.Envelope) -> tuple[Any, bool]:
    data, strict = envelope
    if isinstance(data, wire.Batch):
        return [realtime_pb2.ClientEvent.FromString(item) for item in data.items], strict
    return realtime_pb2.ClientEvent.FromString(data), strict


@pytest.mark.parametrize("name", STREAM_TO_JSON_REQUESTS)
def test_stream_to_json_envelope_reads_what_protobuf_reads(name: str) -> None:
    data = STREAM_TO_JSON_REQUESTS[name]
    request = service_pb2.StreamClientEventsToJsonRequest.FromString(data)
    expected: Any = list(request.batch.events) if request.WhichOneof("input") == "batch" else request.event
    assert _as_read(wire.READERS["StreamClientEventsToJson"](data)) == (expected, request.strict)
    if "batch" not in name:
        unary = service_pb2.ClientEventToJsonRequest.FromString(data)
        assert _as_read(wire.READERS["ClientEventToJson"](data)) == (unary.event, unary.strict)


def test_from_json_envelopes_keep_the_json_as_sent() -> None:
    texts = [b'{"type": "a"}', b"not json \xff", b""]
    batch = service_pb2.StreamClientEventsFromJsonRequest(batch=service_pb2.JsonBatch(json=texts), strict=True)
    data, strict = wire.READERS["StreamClientEventsFromJson"](batch.SerializeToString())
    assert isinstance(data, wire.Batch) and list(data.items) == texts and strict
    single = service_pb2.StreamClientEventsFromJsonRequest(json=texts[1]).SerializeToString()
    assert wire.READERS["StreamClientEventsFromJson"](single) == (texts[1], False)
    request = service_pb2.ClientEventFromJsonRequest(json=texts[0], strict=True).SerializeToString()
    assert wire.READERS["ClientEventFromJson"](request) == (texts[0], True)


def test_the_service_calls_the_public_converters_with_the_client_kind(
    channel: grpc.Channel, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, bytes, dict[str, Any]]] = []
    for name in ("json_to_binary", "binary_to_json"):
        real = getattr(bridge, name)

        def spy(data: bytes, *, _name: str = name, _real: Any = real, **kwargs: Any) -> bytes:
            seen.append((_name, bytes(data), kwargs))
            return _real(data, **kwargs)

        monkeypatch.setattr(bridge, name, spy)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the service built message objects")

    for name in ("decode_event", "decode_client_event", "decode_response", "to_proto", "from_proto", "encode"):
        monkeypatch.setattr(bridge, name, refuse)

    stub = service_pb2_grpc.BridgeServiceStub(channel)
    text = CLIENT_EVENTS[1]
    stub.ClientEventFromJson(service_pb2.ClientEventFromJsonRequest(json=text, strict=True), timeout=TIMEOUT)
    stub.ClientEventToJson(service_pb2.ClientEventToJsonRequest(event=PROTOS[1]), timeout=TIMEOUT)
    list(stub.StreamClientEventsFromJson(iter([service_pb2.StreamClientEventsFromJsonRequest(json=text)]), timeout=TIMEOUT))
    batch = service_pb2.ClientEventBatch(events=PROTOS[:2])
    list(stub.StreamClientEventsToJson(iter([service_pb2.StreamClientEventsToJsonRequest(batch=batch)]), timeout=TIMEOUT))
    assert seen == [
        ("json_to_binary", text, {"kind": KIND, "strict": True}),
        ("binary_to_json", PROTOS[1].SerializeToString(), {"kind": KIND, "strict": False}),
        ("json_to_binary", text, {"kind": KIND, "strict": False}),
        ("binary_to_json", PROTOS[0].SerializeToString(), {"kind": KIND, "strict": False}),
        ("binary_to_json", PROTOS[1].SerializeToString(), {"kind": KIND, "strict": False}),
    ]


# --------------------------------------------------------------------------------- reflection


def test_reflection_describes_the_client_rpcs(channel: grpc.Channel) -> None:
    pool = descriptor_pool.DescriptorPool(ProtoReflectionDescriptorDatabase(channel))
    service = pool.FindServiceByName(SERVICE)
    assert {method.name for method in service.methods} >= CLIENT_RPCS
    for name in CLIENT_RPCS:
        method = service.methods_by_name[name]
        assert method.client_streaming == method.server_streaming == name.startswith("Stream")
    result = pool.FindMessageTypeByName("realtime.bridge.v1.StreamClientEventsFromJsonResponse")
    assert [f.name for f in result.oneofs_by_name["result"].fields] == ["event", "error"]
    assert result.fields_by_name["event"].message_type.full_name == "realtime.bridge.v1.ClientEvent"
    to_json_request = pool.FindMessageTypeByName("realtime.bridge.v1.StreamClientEventsToJsonRequest")
    assert to_json_request.fields_by_name["batch"].message_type.full_name == "realtime.bridge.v1.ClientEventBatch"


def test_an_internal_failure_is_an_error_result_not_a_broken_stream(
    client: BridgeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = bridge.binary_to_json

    def crashing(data: bytes, **kwargs: Any) -> bytes:
        if b"boom" in data:
            raise RuntimeError("secret internal detail")
        return real(data, **kwargs)

    monkeypatch.setattr(bridge, "binary_to_json", crashing)
    boom = realtime_pb2.ClientEvent(type="boom")
    results = list(client.stream_client_events_to_json([PROTOS[0], boom, PROTOS[1]], batch_size=3))
    assert [(r.sequence, r.ok) for r in results] == [(0, True), (1, False), (2, True)]
    assert isinstance(results[1].error, RemoteError) and results[1].error.code == grpc.StatusCode.INTERNAL
    assert "secret" not in str(results[1].error)
    with pytest.raises(grpc.RpcError) as caught:
        client.client_event_to_json(boom)
    assert caught.value.code() == grpc.StatusCode.INTERNAL


def test_metrics_count_client_events_by_direction_and_type() -> None:
    """``rtbridge serve --metrics-port`` counts the client RPCs' events as it counts the server
    events' (tests/test_metrics.py runs the real scrape), reading the type where the converters
    leave it."""
    from bridge.service import metrics

    from bridge.service._rpcs import RPCS

    assert {rpc.name: rpc.conversion for rpc in RPCS if rpc.name in CLIENT_RPCS} == {
        "ClientEventFromJson": "from_json", "StreamClientEventsFromJson": "from_json",
        "ClientEventToJson": "to_json", "StreamClientEventsToJson": "to_json",
    }
    assert {rpc for rpc in CLIENT_RPCS if rpc.startswith("Stream")} == {
        rpc.name for rpc in RPCS if rpc.name in CLIENT_RPCS and rpc.response_streaming
    }
    for data in CLIENT_EVENTS[:-1]:
        event_type = json.loads(data)["type"]
        assert event_type in metrics.EVENT_TYPES
        assert metrics.event_type(to_binary(data)) == event_type
        assert metrics._type_of_json(to_json(to_binary(data))) == event_type
    assert metrics.event_type(to_binary(CLIENT_EVENTS[-1])) == "other"
