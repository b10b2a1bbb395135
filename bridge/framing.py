"""Length-delimited framing: a stream of protobuf messages, each prefixed with its varint length.

This is the framing of Java's ``writeDelimitedTo`` / ``parseDelimitedFrom``, C++'s
``SerializeDelimitedToOstream`` / ``ParseDelimitedFromZeroCopyStream`` and Go's ``protodelim``:
``varint(len(payload)) + payload``, repeated, with nothing between frames and nothing at the end.

>>> import io
>>> out = io.BytesIO()
>>> write_frame(out, b"hello"), write_frame(out, b"")
(6, 1)
>>> out.getvalue()
b'\\x05hello\\x00'
>>> [tuple(frame) for frame in iter_frames(io.BytesIO(out.getvalue()))]
[(0, b'hello'), (6, b'')]

Reading holds one frame at a time, so memory is bounded by ``max_frame_size`` whatever the stream's
length. A stream that ends inside a frame, or whose length prefix is malformed, raises
:class:`FrameError` naming the byte offset of the frame that breaks; the frames before it have been
yielded by then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO, NamedTuple

from bridge.errors import FrameError

__all__ = [
    "DEFAULT_MAX_FRAME_SIZE",
    "Frame",
    "FrameError",
    "encode_varint",
    "read_varint",
    "iter_frame_spans",
    "iter_frames",
    "varint_size",
    "write_frame",
]

#: The largest payload :func:`iter_frames` accepts by default (64 MiB, protobuf's historical
#: message size limit). A length prefix above the limit is reported rather than allocated.
DEFAULT_MAX_FRAME_SIZE = 64 * 1024 * 1024

#: A varint carries 7 bits per byte, so a 64-bit value needs at most 10 bytes.
_MAX_VARINT_BYTES = 10
#: Large payloads are read in pieces of this size, so a lying length prefix on a short stream never
#: allocates more than the stream actually holds (plus one piece).
_READ_PIECE = 1024 * 1024
#: One-byte prefixes (lengths 0-127, most frames of most streams), built once.
_SMALL_VARINTS = tuple(bytes((n,)) for n in range(0x80))

_Read = Callable[[int], bytes]


class Frame(NamedTuple):
    """One frame of a delimited stream: where it starts and the message bytes it holds."""

    #: Byte offset of the frame's length prefix from the start of the stream.
    offset: int
    #: The message bytes, without the prefix.
    payload: bytes

    @property
    def end(self) -> int:
        """Byte offset just past this frame, where the next one starts."""
        size = len(self.payload)
        return self.offset + varint_size(size) + size


def encode_varint(value: int) -> bytes:
    """The base-128 varint encoding of a non-negative integer (protobuf's length prefix)."""
    if value < 0:
        raise ValueError(f"a length prefix cannot be negative: {value}")
    if value < 0x80:
        return _SMALL_VARINTS[value]
    if value < 0x4000:  # two bytes (lengths up to 16 KiB): most of the rest
        return bytes((value & 0x7F | 0x80, value >> 7))
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def read_varint(data: bytes, position: int) -> tuple[int, int]:
    """The varint at ``position`` of ``data`` (protobuf's base 128, at most 10 bytes) and the position
    after it; ``ValueError`` when ``data`` ends inside it or it runs on past 10 bytes."""
    value = shift = 0
    for index in range(position, min(position + _MAX_VARINT_BYTES, len(data))):
        byte = data[index]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, index + 1
        shift += 7
    raise ValueError("truncated or overlong varint")


def varint_size(value: int) -> int:
    """How many bytes :func:`encode_varint` uses for ``value``."""
    return max(1, (value.bit_length() + 6) // 7)


def _field_frame(key: bytes, message: bytes, tail: bytes) -> bytes:
    """One frame (the varint length, then the bytes) holding a message made of one length-delimited
    field, ``key`` being its key's bytes on the wire, holding ``message``, then ``tail``: the fields
    after it, already on the wire (a ``SessionRecord``: its event, then its time). The pure twin of
    ``bridge._speedups.field_frame``; ``bridge.convert`` says which one runs."""
    size = len(message)
    inner = encode_varint(size)
    return b"".join((encode_varint(len(key) + len(inner) + size + len(tail)), key, inner, message, tail))


def write_frame(stream: BinaryIO, payload: bytes) -> int:
    """Write ``payload`` to ``stream`` as one delimited frame; return the number of bytes written."""
    prefix = encode_varint(len(payload))
    stream.write(prefix)
    stream.write(payload)
    return len(prefix) + len(payload)


def iter_frames(stream: BinaryIO, *, max_frame_size: int = DEFAULT_MAX_FRAME_SIZE) -> Iterator[Frame]:
    """Yield each frame of a delimited stream in order, reading it as needed.

    Ends cleanly when the stream ends between frames. Raises :class:`FrameError` when it ends
    inside a length prefix or a payload, when a prefix runs past 10 bytes, or when a frame is
    larger than ``max_frame_size``.
    """
    for offset, payload, _ in iter_frame_spans(stream, max_frame_size=max_frame_size):
        yield Frame(offset, payload)


def iter_frame_spans(
    stream: BinaryIO, *, max_frame_size: int = DEFAULT_MAX_FRAME_SIZE, offset: int = 0
) -> Iterator[tuple[int, bytes, int]]:
    """:func:`iter_frames`' frames as ``(offset, payload, end)`` tuples: where each starts, what it
    holds and where the next one starts (for a reader that tracks its position, as
    :mod:`bridge.batch` does, without a :class:`Frame` per frame); ``offset`` is that of the
    stream's first byte (for a stream read from the middle of a log)."""
    read = stream.read
    while True:
        first = read(1)
        if not first:
            return
        size = first[0]
        prefix_size = 1
        if size & 0x80:
            second = read(1)
            if second and second[0] < 0x80:  # two bytes (lengths up to 16 KiB): most of the rest
                size, prefix_size = (size & 0x7F) | second[0] << 7, 2
            else:
                size, prefix_size = _read_long_varint(read, size, second, offset)
        if size > max_frame_size:
            raise FrameError(offset, f"frame length {size} exceeds the limit of {max_frame_size} bytes")
        payload = _read_exact(read, size)
        if len(payload) < size:
            raise FrameError(
                offset, f"stream ends inside a frame: length prefix says {size} bytes, only {len(payload)} follow"
            )
        end = offset + prefix_size + size
        yield offset, payload, end
        offset = end


def _read_long_varint(read: _Read, first: int, second: bytes, offset: int) -> tuple[int, int]:
    """Finish a varint whose first byte (already read) has its continuation bit set; ``second``:
    what the read of its second byte returned."""
    value = first & 0x7F
    shift = 7
    byte = second
    for count in range(2, _MAX_VARINT_BYTES + 1):
        if count > 2:
            byte = read(1)
        if not byte:
            raise FrameError(offset, "stream ends inside a length prefix")
        value |= (byte[0] & 0x7F) << shift
        if not byte[0] & 0x80:
            return value, count
        shift += 7
    raise FrameError(offset, f"length prefix is longer than {_MAX_VARINT_BYTES} bytes")


def _read_exact(read: _Read, size: int) -> bytes:
    """Read ``size`` bytes, fewer only at end of stream (a pipe may return short reads)."""
    data = read(min(size, _READ_PIECE))
    if len(data) == size or not data:
        return data
    pieces = [data]
    remaining = size - len(data)
    while remaining:
        piece = read(min(remaining, _READ_PIECE))
        if not piece:
            break
        pieces.append(piece)
        remaining -= len(piece)
    return b"".join(pieces)
