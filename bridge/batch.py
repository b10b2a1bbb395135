"""Streaming conversion of event logs: JSON Lines ⇄ length-delimited ``ServerEvent`` streams.

A log holds one server event per record, every event type mixed: JSON Lines (one event per line) on
one side, :mod:`bridge.framing` frames of ``realtime.bridge.v1.ServerEvent`` on the other. Each
record goes through :func:`bridge.json_to_binary` or :func:`bridge.binary_to_json` on its own, so
memory stays bounded by the largest record whatever the log's length, and a bad record is reported
(with its line number or frame offset and every violation) without stopping the run.

Blank lines (empty or whitespace only) in JSON Lines input are skipped: they are neither converted
nor rejected, but they count for line numbers, which are those of the input file (1-based).

>>> import io
>>> log = io.BytesIO(b'{"type": "session.created", "event_id": "e1"}\\n\\n{oops\\n')
>>> binary, rejected = io.BytesIO(), []
>>> jsonl_to_delimited(log, binary, on_reject=rejected.append)
Stats(converted=1, rejected=1, bytes_in=53, bytes_out=22)
>>> print(rejected[0])
line 3: $: JSON is malformed: object keys must be strings (byte 1)
>>> text = io.BytesIO()
>>> delimited_to_jsonl(io.BytesIO(binary.getvalue()), text).converted
1
>>> text.getvalue()
b'{"type":"session.created","event_id":"e1"}\\n'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO

import msgspec

from bridge.convert import binary_to_json, json_to_binary
from bridge.errors import ValidationError, Violation
from bridge.framing import FrameError, iter_frames, write_frame

__all__ = ["Rejection", "Stats", "delimited_to_jsonl", "jsonl_to_delimited", "validate_jsonl"]

#: ``on_progress`` is called whenever this many more input bytes have been read, and at the end.
PROGRESS_STEP = 256 * 1024

#: A record: its position (line number or byte offset), its bytes (``None`` for a blank line, which
#: is skipped) and the number of input bytes consumed once it is read.
_Record = tuple[int, bytes | None, int]


@dataclass(slots=True)
class Stats:
    """Counts of one run, updated as it goes (``on_progress`` sees the live object)."""

    #: Records converted (or, when validating, found valid).
    converted: int = 0
    #: Records rejected; a broken delimited stream counts once, for the tail that cannot be read.
    rejected: int = 0
    #: Input bytes consumed.
    bytes_in: int = 0
    #: Output bytes written.
    bytes_out: int = 0


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record that did not convert: where it is, every violation, and its text when it has one.

    ``line`` (1-based) is set for JSON Lines input, ``offset`` (the byte offset of the frame) for
    delimited input; ``text`` is the line without its line ending, when it is valid UTF-8.
    """

    violations: tuple[Violation, ...]
    line: int | None = None
    offset: int | None = None
    text: str | None = None

    def to_json(self) -> bytes:
        """One JSON object, the rejects-file format: ``{"line": 3, "violations": [{"path": "$",
        "message": "..."}], "text": "..."}``, with ``offset`` instead of ``line`` for delimited input
        and ``text`` only when present."""
        record: dict[str, object] = {"line": self.line} if self.line is not None else {"offset": self.offset}
        record["violations"] = [{"path": v.path, "message": v.message} for v in self.violations]
        if self.text is not None:
            record["text"] = self.text
        return _ENCODE(record)

    def __str__(self) -> str:
        """One line per violation: ``line 3: $.response.temperature: Expected ...``."""
        where = f"line {self.line}" if self.line is not None else f"offset {self.offset}"
        return "\n".join(f"{where}: {v.path}: {v.message}" for v in self.violations)


_ENCODE = msgspec.json.Encoder().encode
OnReject = Callable[[Rejection], object]
OnProgress = Callable[[Stats], object]


def jsonl_to_delimited(
    src: Iterable[bytes],
    dst: BinaryIO,
    *,
    strict: bool = False,
    on_reject: OnReject | None = None,
    on_progress: OnProgress | None = None,
) -> Stats:
    """Convert JSON Lines (any iterable of lines, such as a file opened ``"rb"``) to a delimited
    stream of ``ServerEvent`` messages written to ``dst``."""
    convert = partial(json_to_binary, kind="event", strict=strict)
    return _run(_lines(src), convert, partial(write_frame, dst), _line_rejection, on_reject, on_progress)


def delimited_to_jsonl(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    strict: bool = False,
    on_reject: OnReject | None = None,
    on_progress: OnProgress | None = None,
) -> Stats:
    """Convert a delimited stream of ``ServerEvent`` messages (read from a buffered binary stream)
    to JSON Lines written to ``dst``, one compact event per line.

    A frame that does not parse is rejected and the run goes on; a stream broken in its framing
    (truncated, malformed length prefix) is rejected once, at the offset where it breaks, and the run
    ends there.
    """
    convert = partial(binary_to_json, kind="event", strict=strict)
    return _run(_frames(src), convert, partial(_write_line, dst), _frame_rejection, on_reject, on_progress)


def validate_jsonl(
    src: Iterable[bytes],
    *,
    strict: bool = False,
    on_reject: OnReject | None = None,
    on_progress: OnProgress | None = None,
) -> Stats:
    """Check that every line of a JSON Lines log converts, writing nothing; report each one that
    does not through ``on_reject``."""
    convert = partial(json_to_binary, kind="event", strict=strict)
    return _run(_lines(src), convert, None, _line_rejection, on_reject, on_progress)


def _run(
    records: Iterator[_Record],
    convert: Callable[[bytes], bytes],
    write: Callable[[bytes], int] | None,
    reject: Callable[[int, bytes, ValidationError], Rejection],
    on_reject: OnReject | None,
    on_progress: OnProgress | None,
) -> Stats:
    """The one loop: convert each record, write it or report it, keep count."""
    stats = Stats()
    next_progress = PROGRESS_STEP
    try:
        for position, payload, consumed in records:
            stats.bytes_in = consumed
            if payload is not None:
                try:
                    converted = convert(payload)
                except ValidationError as error:
                    stats.rejected += 1
                    if on_reject is not None:
                        on_reject(reject(position, payload, error))
                else:
                    stats.converted += 1
                    if write is not None:
                        stats.bytes_out += write(converted)
            if on_progress is not None and consumed >= next_progress:
                on_progress(stats)
                next_progress = consumed + PROGRESS_STEP
    except FrameError as error:
        stats.rejected += 1
        if on_reject is not None:
            on_reject(Rejection(error.violations, offset=error.offset))
    if on_progress is not None:
        on_progress(stats)
    return stats


def _lines(src: Iterable[bytes]) -> Iterator[_Record]:
    consumed = 0
    for number, line in enumerate(src, 1):
        consumed += len(line)
        yield number, (None if not line or line.isspace() else line), consumed


def _frames(src: BinaryIO) -> Iterator[_Record]:
    for frame in iter_frames(src):
        yield frame.offset, frame.payload, frame.end


def _write_line(dst: BinaryIO, line: bytes) -> int:
    dst.write(line)
    dst.write(b"\n")
    return len(line) + 1


def _line_rejection(number: int, line: bytes, error: ValidationError) -> Rejection:
    try:
        text: str | None = line.rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError:
        text = None
    return Rejection(error.violations, line=number, text=text)


def _frame_rejection(offset: int, _payload: bytes, error: ValidationError) -> Rejection:
    return Rejection(error.violations, offset=offset)
