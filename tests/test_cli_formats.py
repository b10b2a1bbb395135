"""Input in the wrong format: a delimited stream given to ``decode``/``validate``, JSON Lines given to
``encode``, plain text given to any. The run stops after a few rejected records with one line that
says what the input looks like (exit 2), and nothing else: not a reject per record, not the few
records it was stopped after; logs with bad records among good ones still convert every good one."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from test_cli import GOOD_EVENTS, MIXED, MIXED_LINES, rtbridge

from bridge import batch
from bridge.framing import iter_frames

README = Path(__file__).resolve().parent.parent / "README.md"
LIMIT = batch.FORMAT_CHECK_AFTER


@pytest.fixture
def long_binary(tmp_path: Path) -> Path:
    """A delimited stream of a few thousand events."""
    log = tmp_path / "long.jsonl"
    log.write_bytes((b"".join(line + b"\n" for line in MIXED_LINES if line.strip() and line != MIXED_LINES[4])) * 500)
    path = tmp_path / "long.bin"
    assert rtbridge("decode", log, "-o", path, "-q").returncode == 0
    return path


@pytest.fixture
def long_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "long.jsonl"
    path.write_bytes(MIXED.read_bytes() * 500)
    return path


def last_line(result) -> str:
    return result.stderr.decode().splitlines()[-1]


def reports(result, prefix: str) -> list[str]:
    return [line for line in result.stderr.decode().splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize("command", ["decode", "validate"])
def test_a_delimited_stream_given_to_a_jsonl_command(tmp_path: Path, long_binary: Path, command: str) -> None:
    output = ["-o", tmp_path / "out.bin"] if command == "decode" else []
    result = rtbridge(command, long_binary, *output)
    assert result.returncode == 2
    assert last_line(result) == (
        f"rtbridge: error: {str(long_binary)!r} looks like length-delimited protobuf, not JSON Lines; "
        "did you mean 'rtbridge encode'?"
    )
    assert len(result.stderr.splitlines()) == 1 and result.stdout == b""  # one line, no reject before it
    assert not (tmp_path / "out.bin").exists()


def test_json_lines_given_to_encode(tmp_path: Path, long_jsonl: Path) -> None:
    result = rtbridge("encode", long_jsonl, "-o", tmp_path / "out.jsonl")
    assert result.returncode == 2
    assert last_line(result) == (
        f"rtbridge: error: {str(long_jsonl)!r} looks like JSON Lines, not length-delimited protobuf; "
        "did you mean 'rtbridge decode'?"
    )
    assert len(result.stderr.splitlines()) == 1 and result.stdout == b""
    assert not (tmp_path / "out.jsonl").exists()


def test_one_short_json_line_given_to_encode_on_stdin() -> None:
    # Shorter than the length its first byte ('{' = 123) stands for: the stream breaks at once.
    result = rtbridge("encode", "-", stdin=b'{"type": "session.created"}\n')
    assert result.returncode == 2
    assert last_line(result) == (
        "rtbridge: error: the input looks like JSON Lines, not length-delimited protobuf; did you mean 'rtbridge decode'?"
    )
    assert result.stdout == b""


@pytest.mark.parametrize(
    ("command", "expected", "unit"),
    [("decode", "JSON Lines", "lines"), ("validate", "JSON Lines", "lines"), ("encode", "length-delimited protobuf", "frames")],
)
def test_plain_text_given_to_any_command(command: str, expected: str, unit: str) -> None:
    result = rtbridge(command, README)
    assert result.returncode == 2
    assert last_line(result) == (
        f"rtbridge: error: {str(README)!r} looks like plain text, not {expected}; "
        f"stopped after {LIMIT} rejected {unit} and none converted"
    )
    assert len(result.stderr.splitlines()) == 1 and result.stdout == b""


def test_a_short_text_is_told_apart_too() -> None:
    result = rtbridge("decode", "-", stdin=b"hello\n")
    assert result.returncode == 2
    assert last_line(result) == (
        "rtbridge: error: the input looks like plain text, not JSON Lines; stopped after 1 rejected line and none converted"
    )


def test_binary_data_given_to_decode(tmp_path: Path) -> None:
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(range(256)) * 50)
    result = rtbridge("decode", path, "-o", tmp_path / "out.bin")
    assert result.returncode == 2
    assert "looks like binary data, not JSON Lines" in last_line(result)


# -------------------------------------------------------------------------- what is not stopped


def test_a_log_that_starts_with_many_bad_records_is_converted(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    broken = b'{"type": "response.done", "response": {"id": "\xff"}}\n'  # not UTF-8: refused
    log.write_bytes(broken * (LIMIT + 3) + MIXED.read_bytes())
    result = rtbridge("decode", log, "-o", tmp_path / "out.bin")
    assert result.returncode == 1
    assert f"8 events converted, {LIMIT + 4} rejected" in last_line(result)


def test_a_text_banner_before_the_events_is_rejected_line_by_line(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"# session 42\n# captured by a proxy\n" + MIXED.read_bytes())
    result = rtbridge("decode", log, "-o", tmp_path / "out.bin", "--rejects", tmp_path / "rejects.jsonl")
    assert result.returncode == 1
    assert "8 events converted, 3 rejected" in last_line(result)
    assert [json.loads(line)["line"] for line in (tmp_path / "rejects.jsonl").read_bytes().splitlines()] == [1, 2, 7]


def test_strict_rejections_at_the_start_of_a_stream_are_not_a_wrong_format(tmp_path: Path) -> None:
    odd = b'{"type": "response.done", "response": {"status": "paused"}}\n'  # fine unless --strict
    log = tmp_path / "odd.jsonl"
    log.write_bytes(odd * (LIMIT + 2) + MIXED_LINES[0] + b"\n")
    binary = tmp_path / "odd.bin"
    assert rtbridge("decode", log, "-o", binary, "-q").returncode == 0

    for command, path in (("encode", binary), ("decode", log)):
        result = rtbridge(command, path, "--strict", "-o", tmp_path / "out")
        assert result.returncode == 1, result.stderr
        assert f"1 event converted, {LIMIT + 2} rejected" in last_line(result)


def test_a_corrupt_delimited_stream_is_still_rejected_frame_by_frame(tmp_path: Path) -> None:
    noise = tmp_path / "noise.bin"
    noise.write_bytes(bytes(range(256)) * 50)
    result = rtbridge("encode", noise, "-o", tmp_path / "out.jsonl")
    assert result.returncode == 1
    assert "rtbridge: error" not in result.stderr.decode()


# ---------------------------------------------------------------------------- the library layer


def test_the_library_raises_input_format_error(long_binary: Path) -> None:
    rejected: list[batch.Rejection] = []
    with long_binary.open("rb") as src, pytest.raises(batch.InputFormatError) as caught:
        batch.jsonl_to_delimited(src, io.BytesIO(), on_reject=rejected.append)
    assert (caught.value.expected, caught.value.found) == ("jsonl", "delimited")
    assert caught.value.stats.rejected == len(caught.value.rejections) == LIMIT
    assert rejected == []  # held back, and handed over on the error instead
    assert [r.line for r in caught.value.rejections] == list(range(1, LIMIT + 1))
    assert str(caught.value) == "the input looks like length-delimited protobuf, not JSON Lines"


def test_the_check_can_be_turned_off(long_binary: Path) -> None:
    with long_binary.open("rb") as src:
        stats = batch.validate_jsonl(src, check_format=False)
    assert stats.converted == 0 and stats.rejected > 100 * LIMIT


def test_good_input_round_trips_unchanged(tmp_path: Path, long_binary: Path) -> None:
    with long_binary.open("rb") as src:
        out = io.BytesIO()
        stats = batch.delimited_to_jsonl(src, out, kind="session")  # what decode writes by default
    assert stats.rejected == 0
    assert [json.loads(line) for line in out.getvalue().splitlines()] == GOOD_EVENTS * 500
    assert len(list(iter_frames(io.BytesIO(long_binary.read_bytes())))) == len(GOOD_EVENTS) * 500


def test_help_documents_the_exit_status() -> None:
    text = rtbridge("decode", "--help").stdout.decode()
    assert "wrong format" in text and "130" in text and "141" in text
