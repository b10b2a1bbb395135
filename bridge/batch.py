"""Streaming conversion of event logs: JSON Lines ⇄ length-delimited ``ServerEvent`` streams.

A log holds one server event per record, every event type mixed: JSON Lines (one event per line) on
one side, :mod:`bridge.framing` frames of ``realtime.bridge.v1.ServerEvent`` on the other. Each
record goes through :func:`bridge.json_to_binary` or :func:`bridge.binary_to_json` on its own, so
memory stays bounded by the largest record whatever the log's length, and a bad record is reported
(with its line number or frame offset and every violation) without stopping the run.

Blank lines (empty or whitespace only) in JSON Lines input are skipped: they are neither converted
nor rejected, but they count for line numbers, which are those of the input file (1-based).

Input in the wrong format (a delimited stream given where JSON Lines are expected, JSON Lines given
where a delimited stream is, plain text given to either) is not rejected record by record: when
the first records of a run are all rejected (:data:`FORMAT_CHECK_AFTER` of them, or every record of
a shorter input) and the start of the input looks like another format, the run stops with
:class:`InputFormatError`. A log with bad records among good ones is converted as before.

>>> import io
>>> log = io.BytesIO(b'{"type": "session.created", "event_id": "e1"}\\n\\n{oops\\n')
>>> binary, rejected = io.BytesIO(), []
>>> jsonl_to_delimited(log, binary, on_reject=rejected.append)
Stats(converted=1, rejected=1, bytes_in=53, bytes_out=25)
>>> print(rejected[0])
line 3: $: JSON is malformed: object keys must be strings (byte 1)
>>> text = io.BytesIO()
>>> delimited_to_jsonl(io.BytesIO(binary.getvalue()), text).converted
1
>>> text.getvalue()
b'{"type":"session.created","event_id":"e1"}\\n'
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO

import msgspec

from bridge.convert import binary_to_json, json_to_binary
from bridge.errors import ValidationError, Violation
from bridge.framing import FrameError, encode_varint, iter_frames, write_frame

__all__ = [
    "FORMAT_CHECK_AFTER",
    "InputFormatError",
    "Rejection",
    "Stats",
    "delimited_to_jsonl",
    "jsonl_to_delimited",
    "validate_jsonl",
]

#: ``on_progress`` is called whenever this many more input bytes have been read, and at the end.
PROGRESS_STEP = 256 * 1024

#: When this many records are rejected before any is accepted, the input's format is checked.
FORMAT_CHECK_AFTER = 5

#: The formats :class:`InputFormatError` names.
JSONL = "jsonl"
DELIMITED = "delimited"
TEXT = "text"
BINARY = "binary"

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


class InputFormatError(ValueError):
    """The input is in another format than the one the run reads: its first records were all
    rejected and its start looks like ``found``.

    ``expected`` and ``found`` are ``"jsonl"`` (JSON Lines), ``"delimited"`` (a length-delimited
    stream of ``ServerEvent`` messages), ``"text"`` (text that is neither) or ``"binary"`` (binary
    data that is not a delimited stream); ``stats`` are the counts when the run stopped (the
    rejected records have been reported through ``on_reject``).
    """

    def __init__(self, expected: str, found: str, stats: Stats) -> None:
        super().__init__(f"the input looks like {_FORMAT_NAMES[found]}, not {_FORMAT_NAMES[expected]}")
        self.expected = expected
        self.found = found
        self.stats = stats


_FORMAT_NAMES = {
    JSONL: "JSON Lines",
    DELIMITED: "length-delimited protobuf",
    TEXT: "plain text",
    BINARY: "binary data",
}
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
    check_format: bool = True,
) -> Stats:
    """Convert JSON Lines (any iterable of lines, such as a file opened ``"rb"``) to a delimited
    stream of ``ServerEvent`` messages written to ``dst``.

    Raises :class:`InputFormatError` for input that is not JSON Lines (see the module's
    documentation), unless ``check_format`` is false.
    """
    convert = partial(json_to_binary, kind="event", strict=strict)
    head = bytearray()
    check = partial(_check_jsonl, head) if check_format else None
    return _run(_lines(src, head), convert, partial(write_frame, dst), _line_rejection, on_reject, on_progress, check)


def delimited_to_jsonl(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    strict: bool = False,
    on_reject: OnReject | None = None,
    on_progress: OnProgress | None = None,
    check_format: bool = True,
) -> Stats:
    """Convert a delimited stream of ``ServerEvent`` messages (read from a buffered binary stream)
    to JSON Lines written to ``dst``, one compact event per line.

    A frame that does not parse is rejected and the run goes on; a stream broken in its framing
    (truncated, malformed length prefix) is rejected once, at the offset where it breaks, and the run
    ends there. Raises :class:`InputFormatError` for input that is JSON Lines or text (see the
    module's documentation), unless ``check_format`` is false.
    """
    convert = partial(binary_to_json, kind="event", strict=strict)
    head = bytearray()
    check = partial(_check_delimited, head) if check_format else None
    return _run(_frames(src, head), convert, partial(_write_line, dst), _frame_rejection, on_reject, on_progress, check)


def validate_jsonl(
    src: Iterable[bytes],
    *,
    strict: bool = False,
    on_reject: OnReject | None = None,
    on_progress: OnProgress | None = None,
    check_format: bool = True,
) -> Stats:
    """Check that every line of a JSON Lines log converts, writing nothing; report each one that
    does not through ``on_reject``. Raises :class:`InputFormatError` as
    :func:`jsonl_to_delimited` does."""
    convert = partial(json_to_binary, kind="event", strict=strict)
    head = bytearray()
    check = partial(_check_jsonl, head) if check_format else None
    return _run(_lines(src, head), convert, None, _line_rejection, on_reject, on_progress, check)


def _run(
    records: Iterator[_Record],
    convert: Callable[[bytes], bytes],
    write: Callable[[bytes], int] | None,
    reject: Callable[[int, bytes, ValidationError], Rejection],
    on_reject: OnReject | None,
    on_progress: OnProgress | None,
    check_format: Callable[[], tuple[str, str] | None] | None,
) -> Stats:
    """The one loop: convert each record, write it or report it, keep count.

    ``check_format``, while no record has been accepted, is asked after the
    :data:`FORMAT_CHECK_AFTER`-th rejection (or at the end of an input with fewer records) whether
    the input is in another format; it returns ``(expected, found)`` to stop the run, or ``None``.
    """
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
                    if check_format is not None and stats.rejected == FORMAT_CHECK_AFTER and not stats.converted:
                        _check(check_format, stats)
                        check_format = None
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
    if check_format is not None and stats.rejected and not stats.converted:
        _check(check_format, stats)
    if on_progress is not None:
        on_progress(stats)
    return stats


def _check(check_format: Callable[[], tuple[str, str] | None], stats: Stats) -> None:
    verdict = check_format()
    if verdict is not None:
        raise InputFormatError(*verdict, stats)


def _lines(src: Iterable[bytes], head: bytearray) -> Iterator[_Record]:
    """The lines of ``src``; the first :data:`_HEAD_SIZE` bytes or so are kept in ``head``."""
    consumed = 0
    for number, line in enumerate(src, 1):
        consumed += len(line)
        if len(head) < _HEAD_SIZE:
            head += line[: _HEAD_SIZE - len(head)]
        yield number, (None if not line or line.isspace() else line), consumed


def _frames(src: BinaryIO, head: bytearray) -> Iterator[_Record]:
    """The frames of ``src``; its first :data:`_HEAD_SIZE` bytes or so are kept in ``head``:
    peeked when ``src`` is buffered (so a stream that breaks in its first frame has a head too),
    rebuilt from the frames otherwise."""
    peek = getattr(src, "peek", None)
    if peek is not None:
        head += peek(_HEAD_SIZE)[:_HEAD_SIZE]
    for frame in iter_frames(src):
        if len(head) < _HEAD_SIZE and frame.end > len(head):  # head always ends at or past frame.offset
            raw = encode_varint(len(frame.payload)) + frame.payload
            head += raw[len(head) - frame.offset :]
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


# ------------------------------------------------------------------------------ format detection

#: How much of the start of the input the format check looks at.
_HEAD_SIZE = 64 * 1024
_BOM = b"\xef\xbb\xbf"
#: The ``type`` of an event: what a delimited stream's first frame starts with (field 1).
_EVENT_TYPE = re.compile(rb"[A-Za-z0-9_.:/-]+")
#: Control characters text does not hold (tab, line feed, vertical tab, form feed, carriage
#: return and escape are allowed).
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def _check_jsonl(head: bytearray) -> tuple[str, str] | None:
    """The verdict on input read as JSON Lines whose first records were all rejected."""
    data = bytes(head)
    if _looks_delimited(data):
        return JSONL, DELIMITED
    if any(line.lstrip().startswith(b"{") for line in data.removeprefix(_BOM).splitlines()):
        return None  # JSON objects, however broken: a log with bad lines
    return JSONL, TEXT if _looks_text(data) else BINARY


def _check_delimited(head: bytearray) -> tuple[str, str] | None:
    """The verdict on input read as a delimited stream whose first records were all rejected.
    (Binary data that is not a stream is left to be rejected: it cannot be told from a corrupt one.)"""
    data = bytes(head)
    if _looks_delimited(data) or not _looks_text(data):
        return None
    return DELIMITED, JSONL if data.removeprefix(_BOM).lstrip().startswith(b"{") else TEXT


def _looks_delimited(head: bytes) -> bool:
    """Whether ``head`` starts with a frame holding a ``ServerEvent``: its payload starts with the
    event's ``type`` (field 1, always present, written first), and converts when whole."""
    try:
        frame = next(iter_frames(io.BytesIO(head)), None)
    except FrameError:  # the first frame runs past the head: check what there is of it
        frame = None
        prefix = head[:10]
        size_bytes = next((i + 1 for i, byte in enumerate(prefix) if not byte & 0x80), 0)
        payload = head[size_bytes:] if size_bytes else b""
    else:
        if frame is None:
            return False
        payload = frame.payload
    if len(payload) < 3 or payload[0] != 0x0A or payload[1] >= 0x80:
        return False
    type_name = payload[2 : 2 + payload[1]]
    if not type_name or not _EVENT_TYPE.fullmatch(type_name):
        return False
    if frame is None:
        return len(type_name) == payload[1]
    try:
        binary_to_json(frame.payload, kind="event")
    except ValidationError:
        return False
    return True


def _looks_text(head: bytes) -> bool:
    """Whether ``head`` is UTF-8 text (its last character may be cut off) without control bytes."""
    if not head or _CONTROL.search(head):
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True
