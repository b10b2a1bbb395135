"""Where ``rtbridge`` writes: ``-o`` and ``--rejects`` never name one file, whatever the spelling, and
an output file appears whole (written under a temporary name, renamed at the end) with the mode a
new file gets, or the one the old file had."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from test_cli import MIXED, MIXED_LINES, rtbridge


def entries(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


# ----------------------------------------------------------------------- -o and --rejects as one


@pytest.mark.parametrize(
    ("output", "rejects"),
    [
        ("out", "out"),
        ("out", "./out"),
        ("out", "sub/../out"),
        ("out", "{tmp}/out"),
        ("{tmp}/sub/../out", "out"),
        ("link", "out"),  # a symbolic link to the output
        ("out", "dangling"),  # a symbolic link to where the output will be
    ],
)
@pytest.mark.parametrize("output_exists", [False, True])
def test_output_and_rejects_in_one_file_is_refused(
    tmp_path: Path, output: str, rejects: str, output_exists: bool
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "link").symlink_to("out")
    (tmp_path / "dangling").symlink_to(tmp_path / "out")
    if output_exists:
        (tmp_path / "out").write_bytes(b"keep me")
    before = entries(tmp_path)
    output, rejects = output.format(tmp=tmp_path), rejects.format(tmp=tmp_path)

    result = rtbridge("decode", MIXED, "-o", output, "--rejects", rejects, cwd=tmp_path)

    assert result.returncode == 2
    assert result.stderr.decode() == f"rtbridge: error: {rejects!r} is both the output and the rejects file\n"
    assert entries(tmp_path) == before
    if output_exists:
        assert (tmp_path / "out").read_bytes() == b"keep me"


def test_a_hard_link_is_the_same_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_bytes(b"keep me")
    os.link(tmp_path / "out", tmp_path / "also-out")
    result = rtbridge("encode", MIXED, "-o", "out", "--rejects", "also-out", cwd=tmp_path)
    assert result.returncode == 2
    assert "'also-out' is both the output and the rejects file" in result.stderr.decode()
    assert (tmp_path / "out").read_bytes() == b"keep me"


def test_distinct_files_and_devices_are_accepted(tmp_path: Path) -> None:
    result = rtbridge("decode", MIXED, "-o", "out", "--rejects", "sub-out", "-q", cwd=tmp_path)
    assert result.returncode == 1
    assert entries(tmp_path) == ["out", "sub-out"]
    # /dev/null is not a file the two could garble
    assert rtbridge("decode", MIXED, "-o", os.devnull, "--rejects", os.devnull, "-q").returncode == 1


# ---------------------------------------------------------------------------- the file written


def current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_a_new_output_has_the_mode_of_a_new_file_and_no_leftovers(tmp_path: Path) -> None:
    result = rtbridge("decode", MIXED, "-o", "out.bin", "--rejects", "rejects.jsonl", "-q", cwd=tmp_path)
    assert result.returncode == 1
    assert entries(tmp_path) == ["out.bin", "rejects.jsonl"]
    for name in entries(tmp_path):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~current_umask()
    assert (tmp_path / "rejects.jsonl").read_bytes().count(b"\n") == 1


def test_an_existing_output_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "out.bin"
    out.write_bytes(b"old")
    out.chmod(0o640)
    assert rtbridge("decode", MIXED, "-o", out, "-q").returncode == 1
    assert out.read_bytes() != b"old"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_an_output_through_a_symbolic_link_replaces_its_target(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "out.jsonl"
    target.write_bytes(b"old")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    good = tmp_path / "good.jsonl"
    good.write_bytes(MIXED_LINES[0] + b"\n")
    binary = rtbridge("decode", good, "-q").stdout

    assert rtbridge("encode", "-", "-o", link, "-q", stdin=binary).returncode == 0

    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes().rstrip(b"\n") == rtbridge("encode", "-", "-q", stdin=binary).stdout.rstrip(b"\n")
    assert entries(tmp_path / "data") == ["out.jsonl"]


def test_a_run_that_fails_leaves_no_output_and_the_old_one_untouched(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("Some notes\nabout the session\nnot a log at all\n")
    result = rtbridge("decode", text, "-o", "new.bin", "--rejects", "rejects.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert entries(tmp_path) == ["notes.txt"]

    (tmp_path / "old.bin").write_bytes(b"old")
    assert rtbridge("decode", text, "-o", "old.bin", cwd=tmp_path).returncode == 2
    assert (tmp_path / "old.bin").read_bytes() == b"old"
    assert entries(tmp_path) == ["notes.txt", "old.bin"]


def test_an_output_in_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = rtbridge("decode", MIXED, "-o", tmp_path / "no" / "dir" / "out.bin")
    assert result.returncode == 2
    assert "cannot write" in result.stderr.decode() and "No such file or directory" in result.stderr.decode()
    assert entries(tmp_path) == []
