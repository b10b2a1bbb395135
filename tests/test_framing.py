"""bridge.framing: varint length prefixes and the delimited stream reader/writer."""

from __future__ import annotations

import doctest
import io
import tracemalloc

import pytest

import bridge.framing
from bridge import ValidationError
from bridge.framing import (
    DEFAULT_MAX_FRAME_SIZE,
    Frame,
    FrameError,
    encode_varint,
    iter_frames,
    read_varint,
    varint_size,
    write_frame,
)
from bridge.v1 import realtime_pb2

# (value, its varint) at every byte-count boundary, from the protobuf encoding guide's rules.
VARINTS = [
    (0, b"\x00"),
    (1, b"\x01"),
    (127, b"\x7f"),
    (128, b"\x80\x01"),
    (300, b"\xac\x02"),
    (16383, b"\xff\x7f"),
    (16384, b"\x80\x80\x01"),
    (2**21 - 1, b"\xff\xff\x7f"),
    (2**21, b"\x80\x80\x80\x01"),
    (2**32 - 1, b"\xff\xff\xff\xff\x0f"),
    (2**63, b"\x80" * 9 + b"\x01"),
    (2**64 - 1, b"\xff" * 9 + b"\x01"),
]


def frames_of(data: bytes, **kwargs: int) -> list[tuple[int, bytes]]:
    return [tuple(frame) for frame in iter_frames(io.BytesIO(data), **kwargs)]


def read_until_error(data: bytes) -> tuple[list[tuple[int, bytes]], FrameError]:
    """The frames read before the stream broke, and the error."""
    frames = []
    with pytest.raises(FrameError) as caught:
        for frame in iter_frames(io.BytesIO(data)):
            frames.append(tuple(frame))
    return frames, caught.value


# ----------------------------------------------------------------------------------------- varints


@pytest.mark.parametrize(("value", "encoded"), VARINTS)
def test_varint_encoding_at_boundaries(value: int, encoded: bytes) -> None:
    assert encode_varint(value) == encoded
    assert varint_size(value) == len(encoded)
    assert read_varint(b"\xff" + encoded + b"\x01", 1) == (value, 1 + len(encoded))  # from where it starts


@pytest.mark.parametrize("data", [b"", b"\x80", b"\xff\xff", b"\x80" * 10 + b"\x01"], ids=["empty", "cut", "cut-2", "11-bytes"])
def test_a_truncated_or_overlong_varint_is_an_error(data: bytes) -> None:
    with pytest.raises(ValueError, match="truncated or overlong varint"):
        read_varint(data, 0)


@pytest.mark.parametrize("size", [0, 1, 127, 128, 16383, 16384, 70000])
def test_length_prefix_matches_protobufs_own(size: int) -> None:
    # A string field is encoded as tag + varint length + bytes: the same prefix protobuf writes for
    # a delimited message, produced here by the protobuf runtime itself.
    wire = realtime_pb2.ServerEvent(type="x" * size).SerializeToString()
    assert wire == b"\x0a" + encode_varint(size) + b"x" * size


def test_module_examples() -> None:
    results = doctest.testmod(bridge.framing)
    assert results.attempted > 0 and results.failed == 0


def test_negative_length_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        encode_varint(-1)


# --------------------------------------------------------------------------------- write and read


@pytest.mark.parametrize("size", [0, 1, 127, 128, 16383, 16384, 2 * 1024 * 1024 + 3])
def test_frame_round_trip_at_size_boundaries(size: int) -> None:
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    out = io.BytesIO()
    written = write_frame(out, payload) + write_frame(out, b"after")
    data = out.getvalue()
    assert written == len(data) == varint_size(size) + size + 6
    frames = list(iter_frames(io.BytesIO(data)))
    assert frames == [Frame(0, payload), Frame(varint_size(size) + size, b"after")]
    assert frames[0].end == frames[1].offset
    assert frames[1].end == len(data)


def test_empty_stream_has_no_frames() -> None:
    assert frames_of(b"") == []


def test_serialized_messages_read_back() -> None:
    events = [realtime_pb2.ServerEvent(type=f"t{i}", event_id="e" * i) for i in range(200)]
    out = io.BytesIO()
    for event in events:
        write_frame(out, event.SerializeToString())
    parsed = [realtime_pb2.ServerEvent.FromString(payload) for _, payload in iter_frames(io.BytesIO(out.getvalue()))]
    assert parsed == events


class _Trickle(io.RawIOBase):
    """A stream that returns at most 3 bytes per read, like a slow pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(min(size, 3) if size >= 0 else 3)


def test_short_reads_are_completed() -> None:
    out = io.BytesIO()
    payloads = [b"a" * 200, b"", b"b" * 20000]
    for payload in payloads:
        write_frame(out, payload)
    assert [payload for _, payload in iter_frames(_Trickle(out.getvalue()))] == payloads


def test_ten_byte_prefix_is_accepted() -> None:
    # Non-canonical but legal: zero padded to the 10-byte maximum.
    assert frames_of(b"\x83" + b"\x80" * 8 + b"\x00" + b"abc") == [(0, b"abc")]


def test_frame_at_the_size_limit_is_read() -> None:
    assert frames_of(b"\x0a" + b"x" * 10, max_frame_size=10) == [(0, b"x" * 10)]


# ------------------------------------------------------------------------------------- truncation


GOOD = b"\x05hello"  # one complete frame of 6 bytes, so a break after it is at offset 6


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        pytest.param(b"\x80", "stream ends inside a length prefix", id="varint-cut-after-1-byte"),
        pytest.param(b"\xff\xff\xff", "stream ends inside a length prefix", id="varint-cut-after-3-bytes"),
        pytest.param(b"\x05hel", "length prefix says 5 bytes, only 3 follow", id="payload-cut"),
        pytest.param(b"\x05", "length prefix says 5 bytes, only 0 follow", id="payload-missing"),
        pytest.param(b"\x80\x01" + b"x" * 127, "length prefix says 128 bytes, only 127 follow", id="2-byte-prefix"),
        pytest.param(b"\x80" * 10 + b"\x01", "length prefix is longer than 10 bytes", id="varint-over-long"),
        pytest.param(b"\xff" * 11, "length prefix is longer than 10 bytes", id="varint-over-long-no-end"),
        pytest.param(encode_varint(DEFAULT_MAX_FRAME_SIZE + 1), "exceeds the limit", id="over-limit"),
    ],
)
@pytest.mark.parametrize("before", [b"", GOOD], ids=["at-start", "after-a-frame"])
def test_broken_stream_names_the_offset(before: bytes, tail: bytes, message: str) -> None:
    frames, error = read_until_error(before + tail)
    assert frames == ([(0, b"hello")] if before else [])
    assert error.offset == len(before)
    assert isinstance(error, ValidationError)
    (violation,) = error.violations
    assert violation.path == "$"
    assert message in violation.message
    assert f"byte offset {len(before)}" in violation.message


def test_custom_size_limit() -> None:
    with pytest.raises(FrameError, match="frame length 11 exceeds the limit of 10 bytes") as caught:
        frames_of(GOOD + b"\x0b" + b"x" * 11, max_frame_size=10)
    assert caught.value.offset == 6


def test_lying_prefix_does_not_allocate_what_it_claims(tmp_path) -> None:
    path = tmp_path / "lie.bin"
    path.write_bytes(encode_varint(60 * 1024 * 1024) + b"only a few bytes")
    tracemalloc.start()
    try:
        with path.open("rb") as stream, pytest.raises(FrameError, match="only 16 follow"):
            list(iter_frames(stream))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


# ------------------------------------------------------------------------------ a record's frame

#: Message sizes at every varint boundary of the frame's two lengths (the record's and the field's).
FIELD_SIZES = [0, 1, 124, 125, 126, 127, 128, 16370, 16380, 16383, 16384, 2**21 - 20, 2**21 + 1]


@pytest.mark.parametrize("size", FIELD_SIZES)
@pytest.mark.parametrize("tail", [b"", b"\x19" + bytes(range(8))], ids=["no-tail", "time"])
@pytest.mark.parametrize("key", [b"\x0a", b"\x12"])
def test_field_frame_compiled_and_pure_write_the_same_frame(size: int, tail: bytes, key: bytes) -> None:
    """bridge.framing._field_frame (the pure twin) and bridge._speedups.field_frame (when built):
    the frame write_frame writes of the record made of the field, then the tail."""
    from bridge import _accel, convert

    message = bytes(i % 251 for i in range(size))
    out = io.BytesIO()
    write_frame(out, key + encode_varint(size) + message + tail)
    assert bridge.framing._field_frame(key, message, tail) == out.getvalue()
    if _accel.field_frame is not None:
        assert _accel.field_frame(key, message, tail) == out.getvalue()
        assert convert._field_frame is _accel.field_frame
    else:
        assert convert._field_frame is bridge.framing._field_frame


def test_field_frame_holds_the_session_record_protobuf_writes() -> None:
    from bridge import convert
    from bridge.v1 import session_pb2

    event = realtime_pb2.ServerEvent(type="response.done", event_id="e" * 300)
    record = session_pb2.SessionRecord(server_event=event, received_unix_nano=2**64 - 1)
    (frame,) = frames_of(convert._field_frame(b"\x0a", event.SerializeToString(), b"\x19" + b"\xff" * 8))
    assert frame == (0, record.SerializeToString(deterministic=True))
