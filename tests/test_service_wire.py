"""The service's envelopes (bridge/service/wire.py): responses framed around the converters' bytes
are the messages the generated classes would make, requests read as far as their envelope give
what protobuf itself reads, and the service calls the public converters on the bytes a request
carries, building no message objects on the way."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator
from typing import Any

import grpc
import pytest

import bridge
from bridge.server import running
from bridge.service import wire
from bridge.v1 import realtime_pb2, service_pb2, service_pb2_grpc

EXAMPLES = sorted((pathlib.Path(__file__).parent / "data" / "service").glob("*.json"))
SERVICE = "realtime.bridge.v1.BridgeService"
TIMEOUT = 10.0
EVENTS = [bridge.to_proto(bridge.decode_event(path.read_bytes())) for path in EXAMPLES]
#: Sequence numbers and payload sizes on both sides of every varint width the framing meets.
SEQUENCES = (0, 1, 127, 128, 16383, 16384, 2**21, 2**35)
SIZES = (0, 1, 127, 128, 16383, 16384, 100_000)


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    with running() as server_address:
        yield server_address


@pytest.fixture(scope="module")
def channel(address: str) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(address) as raw:
        yield raw


def raw_call(channel: grpc.Channel, method: str, kind: str = "unary_unary") -> Any:
    """``method`` with bytes in and bytes out: what the server writes, unparsed."""
    return getattr(channel, kind)(f"/{SERVICE}/{method}", request_serializer=bytes, response_deserializer=bytes)


# ------------------------------------------------------------------------------------ framing


def test_varints_are_protobufs() -> None:
    for value in (*SEQUENCES[1:], 2**63):  # (a zero sequence is left out, see below)
        assert service_pb2.StreamEventsFromJsonResponse(sequence=value).SerializeToString() == b"\x08" + wire.varint(value)


@pytest.mark.parametrize("size", SIZES)
def test_unary_responses_are_the_generated_messages(size: int) -> None:
    event = realtime_pb2.ServerEvent(type="x" * size)
    payload = event.SerializeToString()
    assert wire.unary(payload) == service_pb2.EventFromJsonResponse(event=event).SerializeToString()
    json_response = service_pb2.EventToJsonResponse(json=b"{}" * size)
    assert service_pb2.EventToJsonResponse.FromString(wire.unary(b"{}" * size)) == json_response
    if size:  # (JSON is never empty; proto3 would leave empty bytes out)
        assert wire.unary(b"{}" * size) == json_response.SerializeToString()
    response = realtime_pb2.RealtimeResponse(id="r" * size)
    assert wire.unary(response.SerializeToString()) == service_pb2.ResponseFromJsonResponse(
        response=response
    ).SerializeToString()


@pytest.mark.parametrize("sequence", SEQUENCES)
@pytest.mark.parametrize("size", SIZES)
def test_stream_results_and_batch_entries_are_the_generated_messages(sequence: int, size: int) -> None:
    event = realtime_pb2.ServerEvent(event_id="e" * size)
    error = service_pb2.ConversionError(code=3, message="m" * size)
    expected = [
        service_pb2.StreamEventsFromJsonResponse(sequence=sequence, event=event),
        service_pb2.StreamEventsFromJsonResponse(sequence=sequence, error=error),
    ]
    framed = [wire.result(sequence, event.SerializeToString()), wire.error_result(sequence, error)]
    assert framed == [message.SerializeToString() for message in expected]
    json_result = service_pb2.StreamEventsToJsonResponse(sequence=sequence, json=b"j" * size)
    assert wire.result(sequence, b"j" * size) == json_result.SerializeToString()
    # an empty event is still written: the oneof member is present
    assert service_pb2.StreamEventsFromJsonResponse.FromString(wire.result(sequence, b"")).HasField("event")

    entries = [
        wire.batch_entry(sequence, event.SerializeToString()),
        wire.batch_entry(sequence + 1, error.SerializeToString(), wire.ERROR),
    ]
    batch = service_pb2.StreamEventsFromJsonResponse()
    batch.results.add(sequence=sequence, event=event)
    batch.results.add(sequence=sequence + 1, error=error)
    assert b"".join(entries) == batch.SerializeToString()
    assert sum(map(len, entries)) == batch.ByteSize()


# ------------------------------------------------------------------------------------ envelopes


def _fields(*pairs: tuple[int, bytes]) -> bytes:
    """Length-delimited fields, in the order given (as a client may send them)."""
    return b"".join(bytes([number << 3 | 2]) + wire.varint(len(value)) + value for number, value in pairs)


_A, _B = (event.SerializeToString() for event in EVENTS[:2])
_UNKNOWN = b"\x78\x05" + b"\x81\x01" + b"\x00" * 8 + b"\x8d\x01" + b"\x00" * 4 + b"\x83\x01\x08\x01\x12\x00\x84\x01"
_BATCH = _fields((1, _A), (1, _B))
STREAM_TO_JSON_REQUESTS = {
    "empty": b"",
    "event": _fields((1, _A)),
    "strict": _fields((1, _A)) + b"\x10\x01",
    "strict-first": b"\x10\x01" + _fields((1, _A)),
    "event-twice-merges": _fields((1, _A), (1, _B)),
    "batch": _fields((3, _BATCH)),
    "empty-batch": _fields((3, b"")),
    "batch-twice-appends": _fields((3, _BATCH), (3, _fields((1, _A)))),
    "event-then-batch": _fields((1, _A), (3, _BATCH)),
    "batch-then-event": _fields((3, _BATCH), (1, _B)),
    "event-batch-event": _fields((1, _A), (3, _BATCH), (1, _B), (1, _A)),
    "unknown-fields": _UNKNOWN + _fields((1, _A)) + _UNKNOWN + _fields((3, _BATCH), (9, b"x")) + _UNKNOWN,
    "strict-as-bytes-is-unknown": _fields((2, b"\x01"), (1, _B)),
}


def _as_read(envelope: wire.Envelope) -> tuple[Any, bool]:
    data, strict = envelope
    if isinstance(data, wire.Batch):
        return [realtime_pb2.ServerEvent.FromString(item) for item in data.items], strict
    return realtime_pb2.ServerEvent.FromString(data), strict


@pytest.mark.parametrize("name", STREAM_TO_JSON_REQUESTS)
def test_stream_to_json_envelope_reads_what_protobuf_reads(name: str) -> None:
    data = STREAM_TO_JSON_REQUESTS[name]
    request = service_pb2.StreamEventsToJsonRequest.FromString(data)
    if request.WhichOneof("input") == "batch":
        expected: Any = list(request.batch.events)
    else:
        expected = request.event
    assert _as_read(wire.READERS["StreamEventsToJson"](data)) == (expected, request.strict)


@pytest.mark.parametrize("name", ["empty", "event", "strict-first", "event-twice-merges", "unknown-fields"])
def test_unary_to_json_envelopes_read_what_protobuf_reads(name: str) -> None:
    data = STREAM_TO_JSON_REQUESTS[name].replace(_fields((3, _BATCH)), b"")  # these have no batch
    request = service_pb2.EventToJsonRequest.FromString(data)
    assert _as_read(wire.READERS["EventToJson"](data)) == (request.event, request.strict)
    response = service_pb2.ResponseToJsonRequest.FromString(data)
    payload, strict = wire.READERS["ResponseToJson"](data)
    assert (realtime_pb2.RealtimeResponse.FromString(payload), strict) == (response.response, response.strict)


def test_from_json_envelopes_keep_the_json_as_sent() -> None:
    texts = [b'{"type": "a"}', b"not json \xff", b""]
    batch = service_pb2.StreamEventsFromJsonRequest(batch=service_pb2.JsonBatch(json=texts), strict=True)
    data, strict = wire.READERS["StreamEventsFromJson"](batch.SerializeToString())
    assert isinstance(data, wire.Batch) and list(data.items) == texts and strict
    single = service_pb2.StreamEventsFromJsonRequest(json=texts[1]).SerializeToString()
    assert wire.READERS["StreamEventsFromJson"](single) == (texts[1], False)
    assert wire.READERS["EventFromJson"](service_pb2.EventFromJsonRequest(json=texts[0], strict=True).SerializeToString()) == (
        texts[0],
        True,
    )
    assert wire.READERS["ResponseFromJson"](b"") == (b"", False)


# ------------------------------------------------------------------------- the running service


def test_responses_are_the_converters_bytes_framed(channel: grpc.Channel) -> None:
    for path in EXAMPLES:
        text = path.read_bytes()
        blob = bridge.json_to_binary(text)
        request = service_pb2.EventFromJsonRequest(json=text).SerializeToString()
        assert raw_call(channel, "EventFromJson")(request, timeout=TIMEOUT) == wire.unary(blob)
        request = service_pb2.EventToJsonRequest(event=realtime_pb2.ServerEvent.FromString(blob)).SerializeToString()
        assert raw_call(channel, "EventToJson")(request, timeout=TIMEOUT) == wire.unary(bridge.binary_to_json(blob))
    texts = [path.read_bytes() for path in EXAMPLES]
    batch = service_pb2.StreamEventsFromJsonRequest(batch=service_pb2.JsonBatch(json=texts)).SerializeToString()
    single = service_pb2.StreamEventsFromJsonRequest(json=texts[0]).SerializeToString()
    replies = list(raw_call(channel, "StreamEventsFromJson", "stream_stream")(iter([single, batch]), timeout=TIMEOUT))
    assert replies == [
        wire.result(0, bridge.json_to_binary(texts[0])),
        b"".join(wire.batch_entry(i, bridge.json_to_binary(t)) for i, t in enumerate(texts, 1)),
    ]


def test_the_service_calls_the_public_converters_on_the_request_bytes(
    address: str, channel: grpc.Channel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the converters are handed is the bytes as the client sent them; the message-object
    functions (decode_event, to_proto, from_proto, encode) are never called."""
    seen: list[tuple[str, bytes, dict[str, Any]]] = []
    for name in ("json_to_binary", "binary_to_json"):
        real = getattr(bridge, name)

        def spy(data: bytes, *, _name: str = name, _real: Any = real, **kwargs: Any) -> bytes:
            seen.append((_name, bytes(data), kwargs))
            return _real(data, **kwargs)

        monkeypatch.setattr(bridge, name, spy)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the service built message objects")

    for name in ("decode_event", "decode_response", "to_proto", "from_proto", "encode"):
        monkeypatch.setattr(bridge, name, refuse)

    stub = service_pb2_grpc.BridgeServiceStub(channel)
    text = EXAMPLES[0].read_bytes()
    event = EVENTS[0]
    stub.EventFromJson(service_pb2.EventFromJsonRequest(json=text, strict=True), timeout=TIMEOUT)
    stub.EventToJson(service_pb2.EventToJsonRequest(event=event), timeout=TIMEOUT)
    stub.ResponseToJson(service_pb2.ResponseToJsonRequest(response=event.response), timeout=TIMEOUT)
    batch = service_pb2.ServerEventBatch(events=EVENTS[:2])
    list(stub.StreamEventsToJson(iter([service_pb2.StreamEventsToJsonRequest(batch=batch)]), timeout=TIMEOUT))
    assert seen == [
        ("json_to_binary", text, {"kind": "event", "strict": True}),
        ("binary_to_json", event.SerializeToString(), {"kind": "event", "strict": False}),
        ("binary_to_json", event.response.SerializeToString(), {"kind": "response", "strict": False}),
        ("binary_to_json", EVENTS[0].SerializeToString(), {"kind": "event", "strict": False}),
        ("binary_to_json", EVENTS[1].SerializeToString(), {"kind": "event", "strict": False}),
    ]


def test_a_batch_event_that_is_not_protobuf_is_its_own_error(channel: grpc.Channel) -> None:
    """The envelope is read, not the events in it: a corrupt event is that event's error result,
    with the converter's own verdict, and its neighbours are converted."""
    corrupt = b"\x0a\x05ab"  # a string field cut short
    batch = _fields((3, _fields((1, _A), (1, corrupt), (1, _B))))
    (reply,) = raw_call(channel, "StreamEventsToJson", "stream_stream")(iter([batch]), timeout=TIMEOUT)
    results = service_pb2.StreamEventsToJsonResponse.FromString(reply).results
    assert [(r.sequence, r.WhichOneof("result")) for r in results] == [(0, "json"), (1, "error"), (2, "json")]
    with pytest.raises(bridge.ValidationError) as caught:
        bridge.binary_to_json(corrupt)
    assert [(v.path, v.message, v.kind) for v in results[1].error.violations] == [tuple(v) for v in caught.value.violations]
    assert [results[0].json, results[2].json] == [bridge.binary_to_json(_A), bridge.binary_to_json(_B)]
