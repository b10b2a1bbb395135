"""The relay's envelopes (bridge/relay/wire.py): ``ConnectResponse.events`` framed around the
converters' bytes is the message the generated classes would make, and a ``ConnectRequest`` read
as far as its envelope gives what protobuf itself reads, whatever order or repetition of its
oneof's members a client sends."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bridge
from bridge.relay import wire
from bridge.v1.realtime_pb2 import ClientEvent, ServerEvent
from bridge.v1.service_pb2 import ClientEventBatch, ConversionError, ServerEventBatch
from bridge.v1.session_service_pb2 import ConnectRequest, ConnectResponse, SessionEnded, SessionOpen
from tests.test_properties import SETTINGS

_DELTA = bridge.json_to_binary(
    '{"type":"response.output_audio.delta","event_id":"e1","response_id":"r","item_id":"i","output_index":0,'
    '"content_index":0,"delta":"AAECAw=="}'
)
_A = bridge.json_to_binary('{"type":"input_audio_buffer.append","event_id":"a","audio":"AAECAw=="}', kind="client_event")
_B = bridge.json_to_binary('{"type":"response.create","event_id":"b"}', kind="client_event")
_OPEN = SessionOpen(model="gpt-realtime", intent="realtime", strict=True).SerializeToString()


@SETTINGS
@given(st.lists(st.sampled_from([_DELTA, b"", b"\n\x01x", b"\n\x7f" + b"y" * 127]), max_size=70))
def test_events_are_the_generated_message(payloads: list[bytes]) -> None:
    expected = ConnectResponse(events=ServerEventBatch(events=[ServerEvent.FromString(p) for p in payloads]))
    assert wire.events(payloads) == expected.SerializeToString()
    assert sum(map(wire.events_size, payloads)) == ServerEventBatch(events=expected.events.events).ByteSize()


def test_the_rare_responses_are_the_generated_messages() -> None:
    assert ConnectResponse.FromString(wire.connected("s1", "req_1")).connected.session_id == "s1"
    rejected = ConnectResponse.FromString(wire.rejected(7, ConversionError(code=3, message="bad"))).rejected
    assert (rejected.sequence, rejected.error.message) == (7, "bad")
    assert ConnectResponse.FromString(wire.ended(SessionEnded(reason="done"))).ended.reason == "done"


def _fields(*pairs: tuple[int, bytes]) -> bytes:
    return b"".join(bytes([number << 3 | 2]) + wire.varint(len(value)) + value for number, value in pairs)


_BATCH = ClientEventBatch(events=[ClientEvent.FromString(_A), ClientEvent.FromString(_B)]).SerializeToString()
REQUESTS = {
    "empty": b"",
    "open": _fields((1, _OPEN)),
    "event": _fields((2, _A)),
    "event-twice-merges": _fields((2, _A), (2, _B)),
    "batch": _fields((3, _BATCH)),
    "event-then-batch": _fields((2, _A), (3, _BATCH)),
    "batch-then-event": _fields((3, _BATCH), (2, _B)),
    "open-then-event": _fields((1, _OPEN), (2, _A)),
    "event-then-open": _fields((2, _A), (1, _OPEN)),
    "unknown-fields": _fields((9, b"x"), (2, _A), (15, b"yy")),
}


def _as_protobuf_reads(data: bytes) -> tuple[Any, list[Any]]:
    request = ConnectRequest.FromString(data)
    member = request.WhichOneof("request")
    if member == "open":
        return request.open, []
    if member == "event":
        return None, [request.event]
    if member == "batch":
        return None, list(request.batch.events)
    return None, []


@pytest.mark.parametrize("name", REQUESTS)
def test_a_request_reads_as_protobuf_reads_it(name: str) -> None:
    read = wire.read_request(REQUESTS[name])
    assert read.malformed is None
    assert (read.open, [ClientEvent.FromString(e) for e in read.events]) == _as_protobuf_reads(REQUESTS[name])


@SETTINGS
@given(st.lists(st.sampled_from([(1, _OPEN), (2, _A), (2, _B), (3, _BATCH), (3, b""), (7, b"z")]), max_size=6))
def test_any_sequence_of_members_reads_as_protobuf_reads_it(pairs: list[tuple[int, bytes]]) -> None:
    data = _fields(*pairs)
    read = wire.read_request(data)
    assert (read.open, [ClientEvent.FromString(e) for e in read.events]) == _as_protobuf_reads(data)


def test_bytes_that_are_not_protobuf_are_malformed_not_an_exception() -> None:
    read = wire.read_request(b"\x12\xff")
    assert read.malformed is not None and "malformed request message" in read.malformed
