"""The record loop of JSON Lines logs (issue 27): ``bridge.batch`` converts a run of lines in one
call, the compiled loop in front of its pure twin (``batch._frames_of_lines``). The two give the same
result on every block of lines, from every line start; a log read from a stream in blocks converts
to what it did line by line (output, counts, rejections and drift, line numbers included), and a
live stream's lines are still converted as they come."""

from __future__ import annotations

import io
import json
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_cli import MIXED_LINES
from test_fuzz import FUZZ, _mutated_bytes
from test_session_log import FORMS, SESSION

from bridge import _accel, _decoder, _speedups, batch, session
from tests._pure import pure_path

#: The compiled loop in front of its pure twin: bridge.batch's, or (RTBRIDGE_PURE_PYTHON=1, which
#: leaves the pure loop under the name) made as bridge.batch makes it.
PURE = getattr(batch._frames_of_lines, "__wrapped__", batch._frames_of_lines)
STEPS = {step: kind for kind, step in batch._TO_BINARY.items()}
COMPILED = _decoder.lines_in_front_of(PURE, STEPS, *session._LINE_LAYOUT, may_drift=_speedups.may_drift)

#: Lines of every kind a loop tells apart: as the bridge writes them (taken at a glance), in other
#: spellings (the step's), bad (the run ends), drifting (taken, with their drift), blank.
LINES = [
    *SESSION,
    *FORMS,
    *MIXED_LINES,
    b"{oops",
    b"",
    b"   \t",
    b'{"type":"response.text.delta","delta":"a\rb"}',  # a carriage return alone is no line end
    b'{"type":"response.text.delta","delta":"caf\xc3\xa9","extra":{"k":[1,2]}}',
    b'"just a string"',
]
ENDINGS = (b"\n", b"\r\n")


def _block(rng: random.Random, size: int, last_ending: bool = True) -> bytes:
    lines = [rng.choice(LINES) + rng.choice(ENDINGS) for _ in range(size)]
    if not last_ending:
        lines[-1] = lines[-1].rstrip(b"\r\n")
    return b"".join(lines)


def _starts(block: bytes) -> list[int]:
    return [0] + [index + 1 for index, byte in enumerate(block) if byte == 0x0A and index + 1 < len(block)]


@pytest.mark.parametrize("kind", ["session", "event", "client_event"])
@pytest.mark.parametrize("strict", [False, True], ids=["tolerant", "strict"])
def test_the_compiled_loop_gives_its_pure_twins_result(kind: str, strict: bool) -> None:
    step = batch._TO_BINARY[kind]
    rng = random.Random(27)
    blocks = [line + ending for line in LINES for ending in (b"", *ENDINGS)]
    blocks += [_block(rng, rng.randrange(1, 40), last_ending=rng.random() < 0.7) for _ in range(60)]
    for block in blocks:
        starts = [*_starts(block), len(block)]
        for index, start in enumerate(starts[:-1]):
            for end in {len(block), starts[index + 1], starts[min(index + 3, len(starts) - 1)]}:  # (line ends)
                assert COMPILED(block, start, end, strict, step) == PURE(block, start, end, strict, step), (block, start, end)


def test_the_compiled_loop_is_in_front_when_the_accelerators_are() -> None:
    assert (batch._frames_of_lines is not PURE) == _accel.available
    assert "_accel" not in PURE.__code__.co_names  # (the pure loop never asks for it)


def _counting_loop() -> tuple[Any, list[bytes]]:
    """A compiled loop of session lines whose step records each line it is given."""
    given: list[bytes] = []

    def step(line: bytes, strict: bool) -> Any:
        given.append(line)
        return session.frame_of_line(line, strict)

    loop = _decoder.lines_in_front_of(PURE, {step: "session"}, *session._LINE_LAYOUT, may_drift=_speedups.may_drift)
    return (lambda block: loop(block, 0, len(block), False, step)), given


def test_lines_as_the_bridge_writes_them_never_reach_the_step() -> None:
    """The session lines the bridge writes (envelopes and compact plain events, audio both ways,
    times up to 2**64 - 1), and plain events spaced as others write them, are converted at a
    glance; the others (the type not first, drift) go through the step, one each."""
    loop, given = _counting_loop()
    written = b"".join(line + b"\n" for line in SESSION if b"vendor." not in line)  # (drift: the step's)
    frames, count, end, drifts = loop(written)
    assert (count, end, drifts, given) == (written.count(b"\n"), len(written), [], [])
    assert frames == b"".join(session.frame_of_line(line, False)[0] for line in written.splitlines())
    events = [json.loads(line) for line in written.splitlines()]
    spaced = [json.dumps(event.get("event", event)).encode() + b"\n" for event in events]  # as json.dumps writes
    spaced.append(b' \t{ "type" :\t"input_audio_buffer.clear" }\n')
    frames, count, end, drifts = loop(b"".join(spaced))
    assert (count, drifts, given) == (len(spaced), [], [])
    assert frames == b"".join(session.frame_of_line(line, False)[0] for line in spaced)
    other = [b'{"event_id":"e","type":"response.cancel"}\n', b'{"type":"response.cancel","x":1}\n']  # (drift)
    frames, count, end, drifts = loop(b"".join(other))
    assert (count, given) == (2, other) and [index for index, _ in drifts] == [1]


class _Log:
    """A log's conversion: its output, counts, rejections and drift."""

    def __init__(self, src: Any, kind: str, strict: bool, validate: bool = False, jobs: int = 1) -> None:
        out, self.rejected, self.drifted = io.BytesIO(), [], []
        if validate:
            self.stats = batch.validate_jsonl(
                src, strict=strict, kind=kind, on_reject=self.rejected.append, on_drift=self.drifted.append, jobs=jobs
            )
        else:
            self.stats = batch.jsonl_to_delimited(src, out, strict=strict, kind=kind, on_reject=self.rejected.append, jobs=jobs)
        self.output = out.getvalue()

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return repr(vars(self))


class _Trickle(io.RawIOBase):
    """A raw stream that gives ``size`` bytes at most per read, as a pipe gives what it holds."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.position, self.size = data, 0, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        piece = self.data[self.position : self.position + min(self.size, len(buffer))]
        buffer[: len(piece)] = piece
        self.position += len(piece)
        return len(piece)


@pytest.mark.parametrize("kind", ["session", "event", "client_event"])
@pytest.mark.parametrize("mode", ["tolerant", "strict", "validate"])
def test_a_log_read_in_blocks_converts_as_it_did_line_by_line(kind: str, mode: str) -> None:
    rng = random.Random(kind + mode)
    strict, validate = mode == "strict", mode == "validate"
    good = [line for line in SESSION if b"vendor." not in line]
    for text in [_block(rng, 300, last_ending=False), b"".join(rng.choice(good) + b"\n" for _ in range(100)), b"\n\n" + _block(rng, 50)]:
        lines = _lines_of(text)
        with pure_path():
            reference = _Log(iter(lines), kind, strict, validate)
        assert reference.stats.converted
        assert _Log(iter(lines), kind, strict, validate) == reference  # one line at a time
        assert _Log(io.BytesIO(text), kind, strict, validate) == reference  # in memory, in blocks
        for buffer, piece in [(64, 7), (1024, 100), (8192, 8192)]:  # a buffered stream: what it holds
            assert _Log(io.BufferedReader(_Trickle(text, piece), buffer), kind, strict, validate) == reference


def _lines_of(text: bytes) -> list[bytes]:
    """The lines of ``text`` as a binary file gives them: each to its line feed (a carriage return
    alone ends none)."""
    return list(io.BytesIO(text))


def test_a_live_stream_is_converted_line_by_line() -> None:
    """Lines are converted as they arrive: when the stream is asked for more, every whole line it
    gave is written already."""
    line = MIXED_LINES[3] + b"\n"
    frame = len(session.frame_of_line(line)[0])
    written: list[int] = []
    sink = io.BytesIO()

    class Live(_Trickle):
        def readinto(self, buffer: Any) -> int:
            written.append(len(sink.getvalue()))
            return super().readinto(buffer)

    text = line * 20
    batch.jsonl_to_delimited(io.BufferedReader(Live(text, len(line))), sink, kind="session")
    assert written[:20] == [index * frame for index in range(20)]


@st.composite
def _mutated_block(draw: Any) -> bytes:
    """A few lines of the kinds above, some with a few byte edits (line feeds may come and go)."""
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        line = draw(st.sampled_from(LINES))
        if draw(st.booleans()):
            line = draw(_mutated_bytes(line))
        lines.append(line + draw(st.sampled_from((b"", *ENDINGS))))
    return b"".join(lines)


@FUZZ
@given(block=_mutated_block(), kind=st.sampled_from(["session", "event", "client_event"]))
def test_mutated_blocks_give_the_pure_twins_result(block: bytes, kind: str) -> None:
    step = batch._TO_BINARY[kind]
    for start in _starts(block):
        assert COMPILED(block, start, len(block), False, step) == PURE(block, start, len(block), False, step)
