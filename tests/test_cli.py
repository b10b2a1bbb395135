"""The ``rtbridge`` batch commands, end to end through the installed console script, and the
streaming library under them (:mod:`bridge.batch`).

``data/cli/mixed.jsonl`` is a session log with every kind of line: session.created (1),
response.created (2, a raw capture), response.output_item.added (3), response.audio.delta (4), a
truncated line (5), response.audio_transcript.delta with non-ASCII text (6), a blank line (7),
error (8), response.done (9, a raw capture) and rate_limits.updated (10).
"""

from __future__ import annotations

import doctest
import io
import json
import os
import pty
import select
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

import bridge
from bridge import batch
from bridge.framing import encode_varint, iter_frames, write_frame
from bridge.v1 import realtime_pb2, session_pb2

RTBRIDGE = Path(sys.executable).parent / "rtbridge"
MIXED = Path(__file__).parent / "data" / "cli" / "mixed.jsonl"
MIXED_LINES = MIXED.read_bytes().splitlines()
BAD_LINE = 5
BLANK_LINE = 7
#: The lines that convert, as parsed JSON, in order.
GOOD_EVENTS = [json.loads(line) for n, line in enumerate(MIXED_LINES, 1) if n not in (BAD_LINE, BLANK_LINE)]
TIMEOUT = 60


def rtbridge(*args: object, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    assert RTBRIDGE.exists(), f"console script missing: {RTBRIDGE} (run `pip install -e .`)"
    return subprocess.run(
        [str(RTBRIDGE), *map(str, args)],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=TIMEOUT,
        cwd=cwd,
    )


def parse_lines(data: bytes) -> list[object]:
    return [json.loads(line) for line in data.splitlines()]


@pytest.fixture
def good_log(tmp_path: Path) -> Path:
    """The mixed log without its bad line."""
    path = tmp_path / "good.jsonl"
    path.write_bytes(b"".join(line + b"\n" for n, line in enumerate(MIXED_LINES, 1) if n != BAD_LINE))
    return path


@pytest.fixture
def good_binary(tmp_path: Path, good_log: Path) -> Path:
    path = tmp_path / "good.bin"
    assert rtbridge("decode", good_log, "-o", path, "-q").returncode == 0
    return path


# ------------------------------------------------------------------------------ decode and encode


def test_mixed_log_converts_round_trips_and_rejects_the_bad_line(tmp_path: Path) -> None:
    binary, rejects, back = tmp_path / "log.bin", tmp_path / "rejects.jsonl", tmp_path / "back.jsonl"

    decoded = rtbridge("decode", MIXED, "-o", binary, "--rejects", rejects)
    assert decoded.returncode == 1
    assert "8 events converted, 1 rejected" in decoded.stderr.decode()

    (rejected,) = parse_lines(rejects.read_bytes())
    assert rejected["line"] == BAD_LINE
    assert rejected["text"] == MIXED_LINES[BAD_LINE - 1].decode()
    assert [v["path"] for v in rejected["violations"]] == ["$"]
    assert "truncated" in rejected["violations"][0]["message"]

    frames = messages(binary.read_bytes())
    assert [f.type for f in frames] == [event["type"] for event in GOOD_EVENTS]
    assert frames[1].HasField("response") and frames[-2].HasField("response")  # the typed events

    encoded = rtbridge("encode", binary, "-o", back)
    assert encoded.returncode == 0
    assert "8 events converted, 0 rejected" in encoded.stderr.decode()
    assert parse_lines(back.read_bytes()) == GOOD_EVENTS


def messages(data: bytes) -> list[realtime_pb2.ServerEvent]:
    """The server events of a delimited stream of SessionRecords, what ``decode`` writes by default
    (compared as messages: protobuf does not promise one byte order for map entries)."""
    records = [session_pb2.SessionRecord.FromString(payload) for _, payload in iter_frames(io.BytesIO(data))]
    assert all(r.WhichOneof("event") == "server_event" and not r.HasField("received_unix_nano") for r in records)
    return [record.server_event for record in records]


def test_rejections_go_to_stderr_without_a_rejects_file(tmp_path: Path) -> None:
    result = rtbridge("decode", MIXED, "-o", tmp_path / "out.bin")
    assert result.returncode == 1
    assert f"line {BAD_LINE}: $: Input data was truncated" in result.stderr.decode()


def test_piping_both_ways(good_log: Path, good_binary: Path) -> None:
    decoded = rtbridge("decode", "-", stdin=good_log.read_bytes())
    assert decoded.returncode == 0, decoded.stderr
    assert messages(decoded.stdout) == messages(good_binary.read_bytes())

    encoded = rtbridge("encode", "-", "-o", "-", stdin=decoded.stdout)
    assert encoded.returncode == 0, encoded.stderr
    assert parse_lines(encoded.stdout) == GOOD_EVENTS


def test_truncated_binary_is_reported_at_its_offset(tmp_path: Path, good_binary: Path) -> None:
    data = good_binary.read_bytes()
    third = list(iter_frames(io.BytesIO(data)))[2]
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(data[: third.offset + 5])
    rejects = tmp_path / "rejects.jsonl"

    result = rtbridge("encode", truncated, "--rejects", rejects)
    assert result.returncode == 1
    assert parse_lines(result.stdout) == GOOD_EVENTS[:2]
    (rejected,) = parse_lines(rejects.read_bytes())
    assert rejected["offset"] == third.offset
    assert "text" not in rejected
    assert f"byte offset {third.offset}" in rejected["violations"][0]["message"]

    on_stderr = rtbridge("encode", truncated, "-o", tmp_path / "out.jsonl")
    assert f"offset {third.offset}: $: stream ends inside a frame" in on_stderr.stderr.decode()


def test_a_corrupt_frame_is_rejected_and_the_run_goes_on(tmp_path: Path, good_binary: Path) -> None:
    frames = list(iter_frames(io.BytesIO(good_binary.read_bytes())))
    corrupt = io.BytesIO()
    for index, (_, payload) in enumerate(frames):
        write_frame(corrupt, b"\xff" * len(payload) if index == 3 else payload)
    path = tmp_path / "corrupt.bin"
    path.write_bytes(corrupt.getvalue())

    result = rtbridge("encode", path, "--rejects", tmp_path / "rejects.jsonl")
    assert result.returncode == 1
    assert parse_lines(result.stdout) == GOOD_EVENTS[:3] + GOOD_EVENTS[4:]
    (rejected,) = parse_lines((tmp_path / "rejects.jsonl").read_bytes())
    assert rejected["offset"] == frames[3].offset
    assert "malformed protobuf" in rejected["violations"][0]["message"]


def test_strict_rejects_what_the_default_carries(tmp_path: Path) -> None:
    log = tmp_path / "odd.jsonl"
    log.write_text(
        '{"type": "session.created", "event_id": "e1"}\n'
        '{"type": "response.done", "response": {"status": "paused", "temperature": 3, "phase": "x"}}\n'
    )
    assert rtbridge("decode", log, "-o", tmp_path / "out.bin").returncode == 0

    rejects = tmp_path / "rejects.jsonl"
    strict = rtbridge("decode", log, "-o", tmp_path / "strict.bin", "--rejects", rejects, "--strict")
    assert strict.returncode == 1
    (rejected,) = parse_lines(rejects.read_bytes())
    assert rejected["line"] == 2
    assert sorted(v["path"] for v in rejected["violations"]) == [
        "$.response.phase",
        "$.response.status",
        "$.response.temperature",
    ]
    assert len(list(iter_frames(io.BytesIO((tmp_path / "strict.bin").read_bytes())))) == 1


# ---------------------------------------------------------------------------------------- validate


def test_validate_reports_every_violation_with_line_and_path(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(
        MIXED.read_bytes()
        + b'{"type": "response.done", "response": {"temperature": "hot", "usage": {"total_tokens": "many"}}}\n'
    )
    result = rtbridge("validate", log, "--strict")  # (by default the wrong types are carried)
    assert result.returncode == 1
    assert result.stdout.decode().splitlines() == [
        f"line {BAD_LINE}: $: Input data was truncated",
        "line 11: $.response.temperature: Expected `int | float | null`, got `str`",
        "line 11: $.response.usage.total_tokens: Expected `int | null`, got `str`",
    ]
    assert "8 events valid, 2 rejected" in result.stderr.decode()


def test_validate_clean_log(good_log: Path) -> None:
    result = rtbridge("validate", good_log, "--strict")
    assert (result.returncode, result.stdout) == (0, b"")
    assert "8 events valid, 0 rejected" in result.stderr.decode()


# -------------------------------------------------------------------------- exit codes and options


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "the following arguments are required: COMMAND"),
        (("decode",), "the following arguments are required: INPUT"),
        (("decode", "{log}", "--bogus"), "unrecognized arguments: --bogus"),
        (("validate", "{log}", "-o", "x"), "unrecognized arguments: -o x"),
        (("transmogrify", "{log}"), "invalid choice: 'transmogrify'"),
        (("decode", "{missing}"), "cannot read"),
        (("encode", "{tmp}"), "cannot read"),
        (("decode", "{log}", "-o", "{tmp}/no/such/dir/out.bin"), "cannot write"),
        (("decode", "{log}", "-o", "{log}"), "is the input file"),
        (("decode", "{log}", "-o", "{tmp}/x", "--rejects", "{log}"), "is the input file"),
        (("encode", "{log}", "--rejects", "-"), "cannot both go to stdout"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, good_log: Path, args: tuple[str, ...], message: str) -> None:
    names = {"log": good_log, "missing": tmp_path / "missing.jsonl", "tmp": tmp_path}
    before = good_log.read_bytes()
    result = rtbridge(*(arg.format(**names) for arg in args))
    assert result.returncode == 2
    assert message in result.stderr.decode()
    assert good_log.read_bytes() == before


@pytest.mark.parametrize(("log", "code"), [("good", 0), ("mixed", 1)])
@pytest.mark.parametrize("command", ["decode", "validate"])
def test_exit_status_says_whether_anything_was_rejected(
    tmp_path: Path, good_log: Path, command: str, log: str, code: int
) -> None:
    path = good_log if log == "good" else MIXED
    output = ["-o", tmp_path / "out"] if command == "decode" else []
    assert rtbridge(command, path, *output).returncode == code


def test_quiet_prints_nothing_on_stderr(tmp_path: Path) -> None:
    result = rtbridge("decode", MIXED, "-o", tmp_path / "out.bin", "--rejects", tmp_path / "r.jsonl", "--quiet")
    assert (result.returncode, result.stderr) == (1, b"")


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    log = tmp_path / "long.jsonl"
    log.write_bytes(MIXED.read_bytes() * 1000)  # well past one progress step
    result = rtbridge("decode", log, "-o", tmp_path / "out.bin", "--rejects", tmp_path / "r.jsonl")
    (summary,) = result.stderr.decode().splitlines()
    assert summary.startswith("rtbridge decode: 8,000 events converted, 1,000 rejected (see ")
    assert summary.endswith(" MB/s)")
    assert "\r" not in result.stderr.decode()


def run_on_terminal(*args: object, stream: str) -> tuple[subprocess.CompletedProcess, bytes]:
    """Run rtbridge with ``stream`` ("stdout" or "stderr") on a pseudo-terminal; return the result and
    what it wrote there."""
    controller, terminal = pty.openpty()
    other = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: terminal}
    with subprocess.Popen([str(RTBRIDGE), *map(str, args)], stdin=subprocess.DEVNULL, **other) as process:
        os.close(terminal)
        shown = bytearray()
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.1)
            try:
                chunk = os.read(controller, 65536) if ready else b""
            except OSError:  # the child closed the terminal
                break
            if ready and not chunk:
                break
            shown += chunk
        os.close(controller)
        piped = process.communicate(timeout=TIMEOUT)
    result = subprocess.CompletedProcess(process.args, process.returncode, *piped)
    return result, bytes(shown)


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    log = tmp_path / "long.jsonl"
    log.write_bytes(MIXED.read_bytes() * 1000)
    result, shown = run_on_terminal("decode", log, "-o", tmp_path / "out.bin", stream="stderr")
    assert result.returncode == 1
    text = shown.decode()
    assert "\r[" in text and "%" in text and "events" in text
    assert text.rstrip().splitlines()[-1].split("\x1b[K")[-1].startswith("rtbridge decode: 8,000 events converted")

    quiet, shown = run_on_terminal("decode", log, "-o", tmp_path / "out.bin", "-q", stream="stderr")
    assert quiet.returncode == 1
    assert "\r[" not in shown.decode()


def test_binary_is_not_written_to_a_terminal(good_log: Path) -> None:
    result, shown = run_on_terminal("decode", good_log, stream="stdout")
    assert result.returncode == 2
    assert shown == b""
    assert "refusing to write binary data to a terminal" in result.stderr.decode()


def test_a_closed_pipe_ends_the_run_quietly(tmp_path: Path) -> None:
    binary = io.BytesIO()
    for _ in range(20000):  # ~2 MB of JSON: far more than a pipe holds
        write_frame(binary, bridge.json_to_binary(MIXED_LINES[3]))
    path = tmp_path / "many.bin"
    path.write_bytes(binary.getvalue())
    with subprocess.Popen([str(RTBRIDGE), "encode", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert json.loads(process.stdout.readline()) == json.loads(MIXED_LINES[3])
        process.stdout.close()
        stderr = process.stderr.read()
        assert process.wait(timeout=TIMEOUT) == 141  # 128 + SIGPIPE, as for other Unix tools
    assert stderr == b""


def test_version() -> None:
    result = rtbridge("--version")
    assert (result.returncode, result.stdout.decode()) == (0, f"rtbridge {bridge.__version__}\n")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (None, ["decode", "encode", "validate", "serve", "exit status"]),
        ("decode", ["usage: rtbridge decode", "--rejects FILE", "--strict", "writeDelimitedTo", "example:"]),
        ("encode", ["usage: rtbridge encode", "-o OUTPUT", "byte offset", "example:"]),
        ("validate", ["usage: rtbridge validate", "line N: JSON_PATH: MESSAGE", "--strict"]),
    ],
)
def test_help(command: str | None, expected: list[str]) -> None:
    result = rtbridge(*([command] if command else []), "--help")
    assert result.returncode == 0
    for text in expected:
        assert text in result.stdout.decode()


# ---------------------------------------------------------------------------- the library layer


def test_module_examples() -> None:
    results = doctest.testmod(batch)
    assert results.attempted > 0 and results.failed == 0


def test_blank_lines_are_skipped_and_numbering_follows_the_file() -> None:
    rejected: list[batch.Rejection] = []
    src = [b"\n", b"  \r\n", MIXED_LINES[0] + b"\n", b"\t\n", b"{\n", b"\xff\xfe\n", b""]
    stats = batch.validate_jsonl(src, on_reject=rejected.append)
    assert (stats.converted, stats.rejected, stats.bytes_in) == (1, 2, sum(map(len, src)))
    assert [(r.line, r.text) for r in rejected] == [(5, "{"), (6, None)]
    assert json.loads(rejected[1].to_json()) == {
        "line": 6,
        "violations": [{"path": "$", "message": rejected[1].violations[0].message}],
    }


def test_progress_is_reported_as_the_run_goes() -> None:
    seen: list[int] = []
    line = MIXED_LINES[0] + b"\n"
    count = 4 * batch.PROGRESS_STEP // len(line) + 1  # at least 3 steps during the run, then the end
    stats = batch.validate_jsonl(iter([line] * count), on_progress=lambda s: seen.append(s.converted))
    assert stats.converted == count
    assert len(seen) >= 4 and seen == sorted(seen) and seen[-1] == count


class _Sink:
    """A write-only stream that keeps nothing but the count of bytes written to it."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def test_conversion_streams_line_by_line() -> None:
    sink = _Sink()
    record = len(bridge.json_to_binary(MIXED_LINES[3]))
    frame_size = record + len(encode_varint(record))  # the varint length prefix, then the record
    written_when_pulled: list[int] = []

    def lines() -> Iterator[bytes]:
        for _ in range(50):
            written_when_pulled.append(sink.size)
            yield MIXED_LINES[3] + b"\n"

    assert batch.jsonl_to_delimited(lines(), sink).converted == 50
    assert written_when_pulled == [index * frame_size for index in range(50)]


def _peak_memory(count: int) -> int:
    """Peak traced memory while converting ``count`` distinct ~1 kB lines (every tenth malformed)."""
    template = json.loads(MIXED_LINES[3])
    template["delta"] = "A" * 1000

    def lines() -> Iterator[bytes]:
        for index in range(count):
            template["event_id"] = f"event_{index}"
            line = json.dumps(template).encode() + b"\n"
            yield line[:40] if index % 10 == 9 else line

    tracemalloc.start()
    try:
        stats = batch.jsonl_to_delimited(lines(), _Sink(), on_reject=lambda rejection: None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (stats.converted, stats.rejected) == (count - count // 10, count // 10)
    return peak


def test_memory_does_not_grow_with_the_log() -> None:
    small, large = _peak_memory(200), _peak_memory(5000)  # the large run reads over 5 MB
    assert large < 1024 * 1024
    assert large < 2 * small + 256 * 1024
