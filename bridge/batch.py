"""Streaming conversion of event logs: JSON Lines ⇄ length-delimited protobuf streams.

A log holds one event per record, every event type mixed. What a record is depends on the log's
``kind`` (:data:`LogKind`):

- ``"event"``: a server event; JSON Lines (one event per line) on one side, :mod:`bridge.framing`
  frames of ``realtime.bridge.v1.ServerEvent`` on the other.
- ``"client_event"``: a client event, in frames of ``realtime.bridge.v1.ClientEvent``.
- ``"session"``: an event of either direction (:mod:`bridge.session`): a line is a session envelope
  (``{"direction", "received_unix_nano", "event"}``) or a plain event, routed by its ``type``; a
  frame is a ``realtime.bridge.v1.SessionRecord``. Reading frames, a bare ``ServerEvent`` or
  ``ClientEvent`` is accepted too, so every log of the other kinds reads as a session log.

Each record goes through :func:`bridge.json_to_binary` or :func:`bridge.binary_to_json` (through
:mod:`bridge.session` for session logs) on its own, and a bad record is reported (with its line
number or frame offset and every violation) without stopping the run. JSON Lines read from a
stream are taken in blocks of what the stream already holds (up to 120 KiB: a live stream's
lines are converted as they come), a run of good lines converted in one call (by the compiled
record loop, when it is built); memory stays bounded by a block, or the largest record, whatever
the log's length.

Blank lines (empty or whitespace only) in JSON Lines input are skipped: they are neither converted
nor rejected, but they count for line numbers, which are those of the input file (1-based).

Input that is almost JSON Lines is read too: a top-level JSON array of events (``[{...}, {...}]``,
on one line or many), and JSON values one after the other, pretty-printed over several lines (what
``jq .`` writes). The first non-blank line tells: it starts with ``[``, or is a lone ``{``. Such
input is read piece by piece, a value at a time, so memory stays bounded as for JSON Lines; a
record's line number is the line its value starts on.

Input in the wrong format (a delimited stream given where JSON Lines are expected, JSON Lines given
where a delimited stream is, plain text given to either) is not rejected record by record: when
the first records of a run are all rejected (:data:`FORMAT_CHECK_AFTER` of them, or every record of
a shorter input) and the start of the input looks like another format, the run stops with
:class:`InputFormatError`. Until a record converts or the check clears the input, rejections are
held back, so that a run stopped this way reports nothing but the error (the held rejections are
on it). A log with bad records among good ones is converted as before.

>>> import io
>>> log = io.BytesIO(b'{"type": "session.created", "event_id": "e1"}\\n\\n{oops\\n')
>>> binary, rejected = io.BytesIO(), []
>>> jsonl_to_delimited(log, binary, on_reject=rejected.append)
Stats(converted=1, rejected=1, bytes_in=53, bytes_out=25, drifted=0)
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
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import chain
from typing import BinaryIO, Literal

import msgspec

from bridge import _accel, _workers, session
from bridge.convert import binary_to_json, drift_of_binary, json_to_binary
from bridge.errors import ValidationError, Violation
from bridge.framing import _MAX_VARINT_BYTES, DEFAULT_MAX_FRAME_SIZE, FrameError, encode_varint, iter_frame_spans, iter_frames, read_varint
from bridge.session import session_record_to_json

__all__ = [
    "FORMAT_CHECK_AFTER",
    "InputFormatError",
    "LogKind",
    "Drift",
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

#: What a log holds (see the module's documentation).
LogKind = Literal["event", "client_event", "session"]

#: A record: its position (line number or byte offset), its bytes (``None`` for a blank line, which
#: is skipped) and the number of input bytes consumed once it is read. A run of JSON lines converted
#: at once (:func:`_frames_of_lines`) comes as one record holding their output, how many lines they
#: are, and the drift of those that carry any (each with the line's index in the run), its position
#: that of its first line.
_Run = tuple["bytes | memoryview", int, list[tuple[int, list[Violation]]]]
_Record = tuple[int, "bytes | _Run | None", int]
#: What :func:`_frames_of_lines` returns: a run's output, how many lines, where the run ends in the
#: block, and the drift (as in :data:`_Record`).
_Taken = tuple[bytes, int, int, list[tuple[int, list[Violation]]]]


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
    #: Records converted (or valid) but carrying what the schema does not type (see
    #: :func:`bridge.drift`): unknown keys, values of the wrong type, an event type of the other
    #: direction or of none. (A strict run rejects all of them but an event type of no class.)
    drifted: int = 0


@dataclass(frozen=True, slots=True)
class Drift:
    """A valid record that carries what the schema does not type (see :func:`bridge.drift`): its
    line, and each such place with what strict mode would say of it."""

    line: int
    violations: tuple[Violation, ...]

    def __str__(self) -> str:
        """One line per place: ``line 3: $.response.temperature: carried: Expected ...``."""
        return "\n".join(f"line {self.line}: {v.path}: carried: {v.message}" for v in self.violations)


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
    data that is not a delimited stream); ``stats`` are the counts when the run stopped, and
    ``rejections`` the rejected records, which were not reported through ``on_reject``.
    """

    def __init__(self, expected: str, found: str, stats: Stats, rejections: tuple[Rejection, ...] = ()) -> None:
        super().__init__(f"the input looks like {_FORMAT_NAMES[found]}, not {_FORMAT_NAMES[expected]}")
        self.expected = expected
        self.found = found
        self.stats = stats
        self.rejections = rejections


_FORMAT_NAMES = {
    JSONL: "JSON Lines",
    DELIMITED: "length-delimited protobuf",
    TEXT: "plain text",
    BINARY: "binary data",
}
_ENCODE = msgspec.json.Encoder().encode


def _event_frame_of_line(line: bytes, strict: bool, kind: Literal["event", "client_event"]) -> tuple[bytes, list[Violation]]:
    event = json_to_binary(line, kind=kind, strict=strict)
    return encode_varint(len(event)) + event, drift_of_binary(event, kind)


def _event_line_of_frame(payload: bytes, strict: bool, kind: Literal["event", "client_event"]) -> tuple[bytes, list[Violation]]:
    return binary_to_json(payload, kind=kind, strict=strict) + b"\n", drift_of_binary(payload, kind)


#: What :func:`_run` does with a record of each kind of log: ``convert(record, strict)`` -> what the
#: output holds for it (a frame, or a line with its line ending) and the drift of the event it
#: holds (:func:`bridge.drift_of_binary` of its protobuf side, at the paths of its JSON side).
_Convert = Callable[[bytes, bool], tuple[bytes, list[Violation]]]
_TO_BINARY: dict[str, _Convert] = {
    "event": partial(_event_frame_of_line, kind="event"),
    "client_event": partial(_event_frame_of_line, kind="client_event"),
    "session": session.frame_of_line,
}
_TO_JSON: dict[str, _Convert] = {
    "event": partial(_event_line_of_frame, kind="event"),
    "client_event": partial(_event_line_of_frame, kind="client_event"),
    "session": session.line_of_frame,
}


def _frames_of_lines(block: bytes, start: int, end: int, strict: bool, convert: _Convert) -> _Taken:
    """The lines of ``block[start:end]`` (a line ends after its line feed, or at ``end``),
    converted by ``convert`` (a step of :data:`_TO_BINARY`) up to the first that is blank or does
    not convert: their output joined, how many, the offset where they end, and the drift of those
    that carry any (by their index counted from ``start``). What :func:`_run` writes for a run of
    JSON lines, in one call: the compiled record loop stands in front of this (see the end of this
    module) and gives the same result."""
    frames: list[bytes] = []
    drifts: list[tuple[int, list[Violation]]] = []
    position = start
    while position < end:
        stop = block.find(b"\n", position, end) + 1 or end
        line = block[position:stop]
        if line.isspace():
            break
        try:
            frame, found = convert(line, strict)
        except ValidationError:
            break
        if found:
            drifts.append((len(frames), found))
        frames.append(frame)
        position = stop
    return b"".join(frames), len(frames), position, drifts


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
    kind: LogKind = "event",
    jobs: int = 1,
) -> Stats:
    """Convert JSON Lines (any iterable of lines, such as a file opened ``"rb"``) to a delimited
    stream written to ``dst``: of ``ServerEvent`` messages (``kind="event"``), ``ClientEvent``
    messages (``"client_event"``) or ``SessionRecord`` messages (``"session"``: each line an
    envelope or a plain event routed by its type).

    ``jobs`` above 1 converts the lines of a regular file in that many worker processes (forked:
    POSIX only), with the same output, rejections, drift and counts as one process; other input
    (a pipe, a JSON array, pretty-printed values, less than a few MiB) is converted by this one.
    ``dst.write`` is then given views of shared memory, which it must not keep (as :mod:`io` asks).

    Raises :class:`InputFormatError` for input that is not JSON Lines (see the module's
    documentation), unless ``check_format`` is false.
    """
    convert = _converter(_TO_BINARY, kind)
    head = bytearray()
    check = partial(_check_jsonl, head) if check_format else None
    records = _json_records(src, head, partial(_frames_of_lines, strict=strict, convert=convert), _jobs(jobs))
    return _run(records, convert, strict, dst.write, _line_rejection, on_reject, on_progress, check)


def delimited_to_jsonl(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    strict: bool = False,
    on_reject: OnReject | None = None,
    on_progress: OnProgress | None = None,
    check_format: bool = True,
    kind: LogKind = "event",
    jobs: int = 1,
) -> Stats:
    """Convert a delimited stream (read from a buffered binary stream) of ``ServerEvent``
    (``kind="event"``), ``ClientEvent`` (``"client_event"``) or ``SessionRecord`` messages
    (``"session"``, where bare events are read too) to JSON Lines written to ``dst``, one compact
    event (or session envelope) per line.

    A frame that does not parse is rejected and the run goes on; a stream broken in its framing
    (truncated, malformed length prefix) is rejected once, at the offset where it breaks, and the run
    ends there. ``jobs`` above 1 converts the frames of a regular file in that many worker
    processes, as :func:`jsonl_to_delimited` converts lines. Raises :class:`InputFormatError` for
    input that is JSON Lines or text (see the module's documentation), unless ``check_format`` is
    false.
    """
    convert = _converter(_TO_JSON, kind)
    head = bytearray()
    check = partial(_check_delimited, head) if check_format else None
    records = _frames(src, head, _jobs(jobs), partial(_chunk_of_frames, convert=convert, strict=strict))
    return _run(records, convert, strict, dst.write, _frame_rejection, on_reject, on_progress, check)


def validate_jsonl(
    src: Iterable[bytes],
    *,
    strict: bool = False,
    on_reject: OnReject | None = None,
    on_progress: OnProgress | None = None,
    check_format: bool = True,
    kind: LogKind = "event",
    on_drift: Callable[[Drift], object] | None = None,
    jobs: int = 1,
) -> Stats:
    """Check that every line of a JSON Lines log converts (as :func:`jsonl_to_delimited` with the
    same ``kind`` would), writing nothing; report each one that does not through ``on_reject``,
    and (``on_drift``) each valid one that carries what the schema does not type, counted in
    ``Stats.drifted`` (in strict mode, only an event type of no class is carried: the rest is
    rejected). ``jobs`` is :func:`jsonl_to_delimited`'s. Raises :class:`InputFormatError` as
    :func:`jsonl_to_delimited` does."""
    convert = _converter(_TO_BINARY, kind)
    head = bytearray()
    check = partial(_check_jsonl, head) if check_format else None
    records = _json_records(src, head, partial(_frames_of_lines, strict=strict, convert=convert), _jobs(jobs), keep=False)
    return _run(records, convert, strict, None, _line_rejection, on_reject, on_progress, check, on_drift)


def _jobs(jobs: int) -> int:
    if type(jobs) is not int or jobs < 1:
        raise ValueError(f"jobs must be a number of processes (1 or more), not {jobs!r}")
    return jobs


def _converter(table: dict[str, _Convert], kind: str) -> _Convert:
    try:
        return table[kind]
    except KeyError:
        raise ValueError(f"kind must be 'event', 'client_event' or 'session', not {kind!r}") from None


def _run(
    records: Iterator[_Record],
    convert: _Convert,
    strict: bool,
    write: Callable[[bytes | memoryview], object] | None,
    reject: Callable[[int, bytes, ValidationError], Rejection],
    on_reject: OnReject | None,
    on_progress: OnProgress | None,
    check_format: Callable[[], tuple[str, str] | None] | None,
    on_drift: Callable[[Drift], object] | None = None,
    jobs: int = 1,
) -> Stats:
    """The one loop: convert each record, write it or report it, keep count (of the records that
    carry drift too, each reported to ``on_drift``).

    ``check_format``, while no record has been accepted, is asked after the
    :data:`FORMAT_CHECK_AFTER`-th rejection (or at the end of an input with fewer records) whether
    the input is in another format; it returns ``(expected, found)`` to stop the run, or ``None``.
    Until then (or until a record converts), rejections are held back rather than reported.
    """
    stats = Stats()
    next_progress = PROGRESS_STEP
    held: list[Rejection] | None = [] if check_format is not None else None

    def report(rejection: Rejection) -> None:
        stats.rejected += 1
        if held is not None:
            held.append(rejection)
        elif on_reject is not None:
            on_reject(rejection)

    def release() -> None:
        nonlocal held
        if held is not None and on_reject is not None:
            for rejection in held:
                on_reject(rejection)
        held = None

    try:
        for position, payload, consumed in records:
            stats.bytes_in = consumed
            if payload is None:  # a blank line
                converted = None
            elif isinstance(payload, tuple):  # a run of JSON lines, converted at once
                converted, count, drifts = payload
            else:
                try:
                    converted, found = convert(payload, strict)
                except ValidationError as error:
                    converted = None
                    report(reject(position, payload, error))
                    if check_format is not None and stats.rejected == FORMAT_CHECK_AFTER and not stats.converted:
                        _check(check_format, stats, held)
                        check_format = None
                        release()
                else:
                    count, drifts = 1, ([(0, found)] if found else [])
            if converted is not None:
                if held is not None:
                    release()
                stats.converted += count
                if write is not None:
                    write(converted)
                    stats.bytes_out += len(converted)
                if drifts:
                    stats.drifted += len(drifts)
                    if on_drift is not None:
                        for index, found in drifts:
                            on_drift(Drift(position + index, tuple(found)))
            if on_progress is not None and consumed >= next_progress:
                on_progress(stats)
                next_progress = consumed + PROGRESS_STEP
    except FrameError as error:
        report(Rejection(error.violations, offset=error.offset))
    except _ValueStreamError as error:
        report(Rejection(error.violations, line=error.line))
    if check_format is not None and stats.rejected and not stats.converted:
        _check(check_format, stats, held)
    release()
    if on_progress is not None:
        on_progress(stats)
    return stats


def _check(check_format: Callable[[], tuple[str, str] | None], stats: Stats, held: list[Rejection] | None) -> None:
    verdict = check_format()
    if verdict is not None:
        raise InputFormatError(*verdict, stats, tuple(held or ()))


def _json_records(src: Iterable[bytes], head: bytearray, take: _Take, jobs: int = 1, keep: bool = True) -> Iterator[_Record]:
    """The records of JSON input: its lines (runs of them converted at once by ``take``), or (for a
    JSON array, or pretty-printed values one after the other) its values; the first
    :data:`_HEAD_SIZE` bytes or so are kept in ``head``. With ``jobs`` above 1, the lines of a
    regular file after its first are converted in that many worker processes (when there is more
    than a chunk of them); ``keep`` false: their output is not needed.

    A buffered stream whose first non-blank byte is ``[`` is read in pieces of :data:`_READ_PIECE`
    bytes (a minified array is one long line); any other input line by line, switching to values
    when its first non-blank line is a lone ``{`` or starts with ``[``.
    """
    peek, read = getattr(src, "peek", None), getattr(src, "read", None)
    if peek is not None and read is not None and peek(_HEAD_SIZE).removeprefix(_BOM).lstrip()[:1] == b"[":
        yield from _values(iter(partial(read, _READ_PIECE), b""), head, array=True)
        return
    lines = iter(src)
    consumed = 0
    for number, line in enumerate(lines, 1):
        start = (line.removeprefix(_BOM) if number == 1 else line).strip()
        if start:
            if start == b"{" or start.startswith(b"["):
                yield from _values(chain((line,), lines), head, array=start.startswith(b"["), line=number, base=consumed)
                return
            first = iter(((line, 0, len(line), True),))
            fd = _file_for_workers(src, jobs)
            if fd is not None:
                begin = src.tell()  # type: ignore[attr-defined]
                yield from _lines(first, head, take, number, consumed)
                yield from _lines_in_workers(fd, begin, jobs, head, take, keep, number + 1, consumed + len(line))
                src.seek(0, os.SEEK_END)  # type: ignore[attr-defined]  # (where one process leaves it)
                return
            yield from _lines(chain(first, _blocks(lines)), head, take, number, consumed)
            return
        consumed += len(line)
        if len(head) < _HEAD_SIZE:
            head += line[: _HEAD_SIZE - len(head)]
        yield number, None, consumed


#: ``take(block, start, end) -> _Taken``: :func:`_frames_of_lines` with the run's converter.
_Take = Callable[[bytes, int, int], _Taken]
#: A block of lines: its bytes, where its lines start and end in them, and whether it is one line
#: whatever it holds (a line of an iterable of lines).
_Block = tuple[bytes, int, int, bool]
#: At most this many bytes are read at a time from a stream: enough that a block's Python costs
#: little, and below glibc's threshold for giving memory its own pages (128 KiB), so that the
#: buffers of each block are taken from memory used before rather than from fresh pages (with
#: 1 MiB blocks, a 2.8 MB voice log converted at 0.5-0.6 GB/s; with these, at 1.0 GB/s).
_BLOCK_BYTES = 120 * 1024


def _blocks(src: Iterator[bytes] | _Range) -> Iterator[_Block]:
    """The lines of ``src`` (an iterator: a stream is its own) in blocks of whole lines: from a
    stream, what one read gives (up to :data:`_BLOCK_BYTES`, without waiting for more than the
    stream holds, so that a live stream's lines are converted as they come), the line cut at its
    end joined to its rest in a block of its own; from any other iterable, one line at a time."""
    read1 = getattr(src, "read1", None)
    if read1 is None:
        for line in src:  # type: ignore[union-attr]
            yield line, 0, len(line), True
        return
    cut = b""  # the start of a line the last read cut
    while data := read1(_BLOCK_BYTES):
        start = 0
        if cut:
            start = data.find(b"\n") + 1
            if not start:
                cut += data
                continue
            line = cut + data[:start]
            yield line, 0, len(line), False
        end = data.rfind(b"\n", start) + 1
        if end > start:
            yield data, start, end, False
            cut = data[end:]
        else:
            cut = data[start:]
    if cut:
        yield cut, 0, len(cut), False


def _lines(blocks: Iterator[_Block], head: bytearray, take: _Take, first: int = 1, consumed: int = 0) -> Iterator[_Record]:
    """The lines of ``blocks`` (numbered from ``first``, after ``consumed`` bytes): the runs
    ``take`` converts, each as one record, and every line it stops at (blank, or not converting:
    :func:`_run` reports it) on its own. The first :data:`_HEAD_SIZE` bytes or so of the input are
    kept in ``head``. (A line from an iterable of lines is one record even when it is no ``bytes``
    or holds a line feed before its end.)"""
    for block, position, size, one in blocks:
        if len(head) < _HEAD_SIZE:
            head += block[position : min(size, position + _HEAD_SIZE - len(head))]
        if one and (type(block) is not bytes or block.find(b"\n", 0, size - 1) >= 0):
            pieces: Iterable[_Piece] = (((None if not block or block.isspace() else block), 1, size),)
        else:
            pieces = _pieces(block, position, size, take)
        for payload, count, length in pieces:
            consumed += length
            yield first, payload, consumed
            first += count


#: A record of a block of lines, before it is numbered: what :data:`_Record` holds (a run, a line,
#: ``None`` for a blank line), how many lines it is and how many bytes.
_Piece = tuple["bytes | _Run | None", int, int]


def _pieces(block: bytes, position: int, size: int, take: _Take) -> Iterator[_Piece]:
    """The whole lines of ``block[position:size]``: each run ``take`` converts, and each line it
    stops at on its own."""
    while position < size:
        frames, count, end, drifts = take(block, position, size)
        if count:
            yield (frames, count, drifts), count, end - position
            position = end
            if position == size:
                break
        end = block.find(b"\n", position, size) + 1 or size
        line = block[position:end]
        yield (None if line.isspace() else line), 1, end - position
        position = end


# ------------------------------------------------------------------------- a log in worker processes
# jobs=N: the lines of a regular file after its first one, cut into chunks of _CHUNK_BYTES that
# forked workers (bridge._workers) read and convert themselves, each into the pieces _pieces finds
# in it and their output, taken back in the order of the chunks and numbered here, so that _run
# sees the records one process would give it. A chunk holds the lines that start in it: a worker
# reads on past its end to finish its last line, and skips the end of the line before its start.

#: Input bytes a worker takes at a time: enough that a task's cost is lost in converting it.
_CHUNK_BYTES = 4 * 1024 * 1024
#: A chunk's output is read in place when it is at most this many times the chunk.
_SLOT_RATIO = 2
#: What is read at a time looking for a line's start.
_SEARCH_BYTES = 64 * 1024


def _file_for_workers(src: object, jobs: int) -> int | None:
    """The descriptor of ``src`` when ``jobs`` workers are to read it: more than one asked for, a
    platform that forks them, and a regular file with more than a chunk left to read; else None."""
    if jobs < 2 or not _workers.available():
        return None
    try:
        fd = src.fileno()  # type: ignore[attr-defined]
        status = os.fstat(fd)
        worth_it = stat.S_ISREG(status.st_mode) and status.st_size - src.tell() > _CHUNK_BYTES  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):  # (io.UnsupportedOperation is an OSError)
        return None
    return fd if worth_it else None


def _lines_in_workers(
    fd: int, begin: int, jobs: int, head: bytearray, take: _Take, keep: bool, first: int, consumed: int
) -> Iterator[_Record]:  # (not a generator itself: head is filled when it is called)
    """:func:`_lines` of the bytes of ``fd`` from ``begin`` (a line's start) to its end, converted
    by ``jobs`` workers; ``keep`` false: their output is not needed (validating)."""
    if len(head) < _HEAD_SIZE:
        head += os.pread(fd, _HEAD_SIZE - len(head), begin)
    size = os.fstat(fd).st_size
    chunks = ((start, start + _CHUNK_BYTES if start + _CHUNK_BYTES < size else None) for start in range(begin, size, _CHUNK_BYTES))
    work = partial(_chunk_of_lines, fd, begin, take, keep)
    return _records_in_workers(work, chunks, jobs, first, consumed)


def _records_in_workers(
    work: _workers.Work[_Task, list[_SentPiece]], chunks: Iterator[_Task], jobs: int, first: int, consumed: int, numbered: bool = True
) -> Iterator[_Record]:
    """The records of the pieces ``work`` makes of each of ``chunks`` in ``jobs`` workers, in
    order: numbered from ``first`` (lines), or (``numbered`` false) by the offset they start at
    (frames), after ``consumed`` bytes."""
    for pieces, output in _workers.in_order(work, chunks, jobs, _SLOT_RATIO * _CHUNK_BYTES):
        position = 0
        for piece, count, length in pieces:
            payload: bytes | _Run | None
            if isinstance(piece, tuple):  # a run: its output's size in the chunk's output, its drift
                written, drifts = piece
                payload = (output[position : position + written], count, drifts)
                position += written
            else:
                payload = piece
            yield (first if numbered else consumed), payload, consumed + length
            consumed += length
            first += count


#: A piece as a worker sends it: a run's output is given by its size (and its drift).
_SentPiece = tuple["bytes | tuple[int, list[tuple[int, list[Violation]]]] | None", int, int]


def _chunk_of_lines(
    fd: int, begin: int, take: _Take, keep: bool, chunk: tuple[int, int | None], output: _workers.Output
) -> list[_SentPiece]:
    """A worker's task: the pieces of the lines of ``fd`` that start in ``chunk`` (``(start,
    stop)``; ``stop`` None: to the end of the file), each run's frames written to ``output`` (when
    ``keep``) and replaced by their size (and their drift)."""
    start, stop = chunk
    pieces: list[_SentPiece] = []
    if start != begin:
        start = _line_start(fd, start, stop)
        if start == stop:  # no line starts in it
            return pieces
    end = _line_start(fd, stop, None) if stop is not None else None
    for block, position, size, _ in _blocks(_Range(fd, start, end)):
        for payload, count, length in _pieces(block, position, size, take):
            if isinstance(payload, tuple):
                frames, _, drifts = payload
                if keep:
                    output.write(frames)  # type: ignore[arg-type]  # (a worker's frames are bytes)
                pieces.append(((len(frames) if keep else 0, drifts), count, length))
            else:
                pieces.append((payload, count, length))
    return pieces


def _line_start(fd: int, start: int, stop: int | None) -> int:
    """Where the first line of ``fd`` that starts in ``[start, stop)`` starts (``stop`` None: up to
    the end of the file); ``stop`` (or the file's size) when none does."""
    position = start - 1  # a line starts after a line feed
    while stop is None or position < stop - 1:
        piece = os.pread(fd, _SEARCH_BYTES if stop is None else min(_SEARCH_BYTES, stop - 1 - position), position)
        if not piece:
            return position
        found = piece.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(piece)
    return stop


#: A worker's task: ``(start, stop)`` offsets of the input file.
_Task = tuple[int, "int | None"]
#: ``take(fd, chunk, output)``: a worker's task on a delimited file (:func:`_chunk_of_frames`
#: with the run's step).
_TakeFrames = Callable[[int, _Task, _workers.Output], "list[_SentPiece]"]


def _frame_chunks(fd: int, begin: int, size: int, walked: list[int]) -> Iterator[_Task]:
    """Chunks of whole frames of ``fd`` from ``begin``, about :data:`_CHUNK_BYTES` each, up to the
    end of its ``size`` bytes or the first frame whose length prefix is malformed, runs past them or
    exceeds :data:`~bridge.framing.DEFAULT_MAX_FRAME_SIZE` (read afterwards by one process, which
    rejects it where it breaks): where that is, once they are all given, is put in ``walked``."""
    position = start = begin
    data, base = b"", begin  # the bytes read, from the offset ``base``
    while position < size:
        index = position - base
        if index + _MAX_VARINT_BYTES > len(data):  # (read on, from the frame's start)
            data, base, index = os.pread(fd, _SEARCH_BYTES, position), position, 0
        length, prefix = data[index], 1
        if length >= 0x80:
            if index + 1 < len(data) and data[index + 1] < 0x80:  # two bytes (frames up to 16 KiB): the hot loop
                length, prefix = (length & 0x7F) | data[index + 1] << 7, 2
            else:
                try:
                    length, after = read_varint(data, index)
                except ValueError:  # malformed, or the file ends inside it
                    break
                prefix = after - index
        if length > DEFAULT_MAX_FRAME_SIZE or position + prefix + length > size:
            break
        position += prefix + length
        if position - start >= _CHUNK_BYTES:
            yield start, position
            start = position
    if position > start:
        yield start, position
    walked.append(position)


def _chunk_of_frames(fd: int, chunk: _Task, output: _workers.Output, convert: _Convert, strict: bool) -> list[_SentPiece]:
    """A worker's task: the frames of ``fd`` in ``chunk`` (whole, their framing checked) converted
    by ``convert``: each run of those that convert written to ``output`` and given by its size and
    drift, each that does not as its payload (which :func:`_run` converts again, to report it)."""
    start, stop = chunk
    assert stop is not None
    data = os.pread(fd, stop - start, start)
    pieces: list[_SentPiece] = []
    drifts: list[tuple[int, list[Violation]]] = []
    index = run_start = written = count = 0
    while index < len(data):
        length, prefix = data[index], 1
        if length >= 0x80:
            length, after = read_varint(data, index)
            prefix = after - index
        payload = data[index + prefix : index + prefix + length]
        try:
            line, found = convert(payload, strict)
        except ValidationError:
            if count:
                pieces.append(((written, drifts), count, index - run_start))
                drifts, written, count = [], 0, 0
            pieces.append((payload, 1, prefix + length))
            run_start = index = index + prefix + length
            continue
        if found:
            drifts.append((count, found))
        output.write(line)
        written += len(line)
        count += 1
        index += prefix + length
    if count:
        pieces.append(((written, drifts), count, index - run_start))
    return pieces


class _Range:
    """Bytes ``[position, end)`` of a file (``end`` None: to its end), read as :func:`_blocks`
    reads a stream."""

    def __init__(self, fd: int, position: int, end: int | None) -> None:
        self.fd, self.position, self.end = fd, position, end

    def read1(self, size: int) -> bytes:
        if self.end is not None:
            size = min(size, self.end - self.position)
        data = os.pread(self.fd, size, self.position) if size > 0 else b""
        self.position += len(data)
        return data


class _ValueStreamError(ValidationError):
    """JSON values that cannot be read past :attr:`line`: an array that is not closed, text after
    it, or a value larger than :data:`~bridge.framing.DEFAULT_MAX_FRAME_SIZE`. Reading stops there."""

    def __init__(self, line: int, message: str) -> None:
        #: The line (1-based) where reading stopped.
        self.line = line
        super().__init__([Violation("$", message, "malformed")])


#: Pieces read from a stream holding a JSON array.
_READ_PIECE = 1024 * 1024
#: What ends a scalar (or a stray word) between values.
_SCALAR_END = re.compile(rb"[\s,\[\]{}]")
#: Inside a container: the next byte that changes the depth or starts a string.
_STRUCTURE = re.compile(rb'[\[\]{}"]')
#: Inside a string: its end or an escape.
_STRING_STOP = re.compile(rb'["\\]')
_SPACE = re.compile(rb"[ \t\r\n]*")
_SPACE_OR_COMMA = re.compile(rb"[ \t\r\n,]*")


def _values(chunks: Iterator[bytes], head: bytearray, *, array: bool, line: int = 1, base: int = 0) -> Iterator[_Record]:
    """The JSON values in the bytes ``chunks`` yields (pieces of any size), as records: the line
    each starts on (counting from ``line``), its text, and the input bytes consumed (``base``
    before the first chunk). With ``array``, the input is one JSON array whose elements are the
    values. Values are found by their brackets and strings, not parsed: the converter parses each.
    Only the value being read is held (and what is left of the piece it ends in)."""
    buffer = bytearray()
    position = 0  # where reading goes on in ``buffer``
    counted = 0  # newlines in buffer[:counted] are counted in ``line``
    opened = closed = False

    def more() -> bool:
        chunk = next(chunks, None)
        if chunk is None:
            return False
        if len(head) < _HEAD_SIZE:
            head.extend(chunk[: _HEAD_SIZE - len(head)])
        if base == 0 and not buffer and chunk.startswith(_BOM):
            chunk = chunk[len(_BOM) :]  # (consumed counts from after the mark: close enough)
        buffer.extend(chunk)
        return True

    def line_at(index: int) -> int:
        nonlocal counted, line
        line += buffer.count(b"\n", counted, index)
        counted = index
        return line

    def need_more(start: int) -> bool:
        """Read a piece when the value starting at ``start`` runs past the buffer."""
        if len(buffer) - start > DEFAULT_MAX_FRAME_SIZE:
            raise _ValueStreamError(line_at(start), f"a JSON value is larger than {DEFAULT_MAX_FRAME_SIZE} bytes; is this a log of events?")
        return more()

    while True:
        position = (_SPACE_OR_COMMA if opened and not closed else _SPACE).match(buffer, position).end()  # type: ignore[union-attr]
        if position == len(buffer):
            if position > _READ_PIECE:  # drop what has been read, keeping line and byte counts
                line_at(position)
                del buffer[:position]
                base += position
                position = counted = 0
            if more():
                continue
            if array and not closed:
                raise _ValueStreamError(line_at(position), "the JSON array is not closed: ']' is missing at the end")
            return
        byte = buffer[position]
        if array and not opened:
            opened = byte == ord("[")  # (always: the input was picked for starting with '[')
            position += 1
            continue
        if position > _READ_PIECE:  # drop what has been read (a piece at a time), as above
            line_at(position)
            del buffer[:position]
            base += position
            position = counted = 0
        start = position
        if array and closed:
            raise _ValueStreamError(line_at(start), "text after the end of the JSON array")
        if array and byte == ord("]"):
            closed = True
            position += 1
            continue
        if byte in b"{[":
            end = _container_end(buffer, start, need_more)
        else:
            match = _SCALAR_END.search(buffer, start + 1)
            while match is None and need_more(start):
                match = _SCALAR_END.search(buffer, start + 1)
            end = match.start() if match is not None else len(buffer)
        yield line_at(start), bytes(buffer[start:end]), base + end
        position = end


def _container_end(buffer: bytearray, start: int, need_more: Callable[[int], bool]) -> int:
    """Where the object or array starting at ``buffer[start]`` ends (the end of the buffer if the
    input ends first), reading more through ``need_more`` as needed."""
    depth = 0
    position = start
    while True:
        match = _STRUCTURE.search(buffer, position)
        if match is None:
            position = len(buffer)
            if not need_more(start):
                return position
            continue
        position = match.end()
        byte = buffer[match.start()]
        if byte == ord('"'):
            while True:  # to the end of the string
                stop = _STRING_STOP.search(buffer, position)
                if stop is None or (buffer[stop.start()] == ord("\\") and stop.end() >= len(buffer)):
                    if not need_more(start):
                        return len(buffer)
                    continue
                position = stop.end() + (1 if buffer[stop.start()] == ord("\\") else 0)
                if buffer[stop.start()] == ord('"'):
                    break
        elif byte in b"{[":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return position


def _frames(src: BinaryIO, head: bytearray, jobs: int = 1, take: _TakeFrames | None = None) -> Iterator[_Record]:
    """The frames of ``src``; its first :data:`_HEAD_SIZE` bytes or so are kept in ``head``:
    peeked when ``src`` is buffered (so a stream that breaks in its first frame has a head too),
    rebuilt from the frames otherwise. With ``jobs`` above 1, the frames of a regular file are
    converted (by ``take``) in that many worker processes, up to the first whose framing is not
    plain (the rest, and where it breaks, read here)."""
    peek = getattr(src, "peek", None)
    if peek is not None:
        head += peek(_HEAD_SIZE)[:_HEAD_SIZE]
    base = 0
    fd = _file_for_workers(src, jobs) if take is not None else None
    if fd is not None and take is not None:
        begin = src.tell()
        if len(head) < _HEAD_SIZE:
            head += os.pread(fd, _HEAD_SIZE - len(head), begin)
        walked: list[int] = []
        chunks = _frame_chunks(fd, begin, os.fstat(fd).st_size, walked)
        work = partial(take, fd)
        yield from _records_in_workers(work, chunks, jobs, 0, 0, numbered=False)
        base = walked[0] - begin
        src.seek(walked[0])
    for offset, payload, end in iter_frame_spans(src, offset=base):
        if len(head) < _HEAD_SIZE and end > len(head):  # head always ends at or past offset
            raw = encode_varint(len(payload)) + payload
            head += raw[len(head) - offset :]
        yield offset, payload, end


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
    text = data.removeprefix(_BOM)
    if text.lstrip()[:1] == b"[" or any(line.lstrip().startswith(b"{") for line in text.splitlines()):
        return None  # JSON objects (or an array), however broken: a log with bad lines
    return JSONL, TEXT if _looks_text(data) else BINARY


def _check_delimited(head: bytearray) -> tuple[str, str] | None:
    """The verdict on input read as a delimited stream whose first records were all rejected.
    (Binary data that is not a stream is left to be rejected: it cannot be told from a corrupt one.)"""
    data = bytes(head)
    if _looks_delimited(data) or not _looks_text(data):
        return None
    return DELIMITED, JSONL if data.removeprefix(_BOM).lstrip()[:1] in (b"{", b"[") else TEXT


def _looks_delimited(head: bytes) -> bool:
    """Whether ``head`` starts with a frame holding an event: a ``ServerEvent`` or ``ClientEvent``,
    whose payload starts with the event's ``type`` (field 1, always present, written first), or a
    ``SessionRecord`` holding one; and the frame converts when whole."""
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
    event = _record_event(payload)
    if len(event) < 3 or event[0] != 0x0A or event[1] >= 0x80:
        return False
    type_name = event[2 : 2 + event[1]]
    if not type_name or not _EVENT_TYPE.fullmatch(type_name):
        return False
    if frame is None:
        return len(type_name) == event[1]
    try:
        session_record_to_json(frame.payload)
    except ValidationError:
        return False
    return True


def _record_event(payload: bytes) -> bytes:
    """The start of the event a ``SessionRecord`` payload holds (its field 1 or 2, written first),
    or ``payload`` itself when it is not a record."""
    if len(payload) < 3 or payload[0] not in (0x0A, 0x12):
        return payload
    size_bytes = next((i + 1 for i, byte in enumerate(payload[1:11]) if not byte & 0x80), 0)
    nested = payload[1 + size_bytes :] if size_bytes else b""
    return nested if nested[:1] == b"\x0a" else payload


def _looks_text(head: bytes) -> bool:
    """Whether ``head`` is UTF-8 text (its last character may be cut off) without control bytes."""
    if not head or _CONTROL.search(head):
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


# ----------------------------------------------------------------------------- the compiled path
# The compiled record loop (bridge._decoder, through bridge._accel, when it is in use) in front of
# its pure twin, the same result (tests/test_record_loop.py): put here, not at bridge.convert's
# seam, because its twin converts with this module's steps and bridge.session's line layout, which
# bridge.convert cannot import.
if _accel.lines_in_front_of is not None:
    _frames_of_lines = _accel.lines_in_front_of(
        _frames_of_lines, {step: kind for kind, step in _TO_BINARY.items()}, *session._LINE_LAYOUT, may_drift=_accel.may_drift
    )

#: The names the compiled path takes when it is in use (its pure twin then is ``__wrapped__``), as
#: ``bridge.convert.FRONTED``.
FRONTED = ("_frames_of_lines",)
