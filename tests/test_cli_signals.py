"""``rtbridge`` as a person stops it: Ctrl-C (SIGINT) in the middle of a run, ``kill``, ``timeout``
and a closed terminal (SIGTERM, SIGHUP), and a reader that closes the pipe early
(``rtbridge decode log.jsonl | head``). Real processes, real signals and pipes."""

from __future__ import annotations

import io
import json
import os
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest
from test_cli import MIXED_LINES, RTBRIDGE, TIMEOUT

import bridge
from bridge.framing import iter_frames, write_frame

GOOD_LINE = MIXED_LINES[0] + b"\n"
#: A line that does not convert: ``rtbridge`` reports it as soon as it has read it.
BAD_LINE = b'{"type": \n'


def _sigint_as_usual() -> None:
    """In the child, before rtbridge starts: Ctrl-C as a terminal delivers it, and SIGTERM and
    SIGHUP as they come to a command started from a shell. A shell's background job (``cmd &``)
    ignores SIGINT, ``nohup`` SIGHUP, and an ignored signal stays ignored across exec, so without
    this the tests would depend on how pytest was launched."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


class Run:
    """``rtbridge ARGS`` reading from a pipe we hold open, so that it blocks waiting for input."""

    def __init__(self, *args: object, cwd: Path, unbuffered: bool = True, prefix: tuple[str, ...] = ()) -> None:
        env = dict(os.environ)
        env.pop("PYTHONUNBUFFERED", None)
        if unbuffered:
            env["PYTHONUNBUFFERED"] = "1"  # what it prints on stdout comes at once
        self.process = subprocess.Popen(
            [*prefix, str(RTBRIDGE), *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            preexec_fn=_sigint_as_usual,
        )
        self.seen = {"stdout": b"", "stderr": b""}

    def feed(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def wait_for(self, stream: str, text: bytes) -> None:
        """Read ``stream`` until a whole line with ``text`` shows (bounded): the run is then
        inside its loop, waiting for more input."""
        pipe = getattr(self.process, stream)
        deadline = time.monotonic() + TIMEOUT
        while text not in self.seen[stream] or b"\n" not in self.seen[stream].partition(text)[2]:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{text!r} never came on {stream}: {self.seen}"
            ready, _, _ = select.select([pipe], [], [], remaining)
            if ready:
                chunk = os.read(pipe.fileno(), 65536)
                assert chunk, f"{stream} closed before {text!r} came: {self.seen}"
                self.seen[stream] += chunk

    def interrupt(self) -> tuple[int, bytes]:
        """SIGINT, as Ctrl-C sends it; the exit status and all it wrote on stderr."""
        self.process.send_signal(signal.SIGINT)
        return self.finish()

    def finish(self) -> tuple[int, bytes]:
        """Wait for the end (bounded; the signal that ends it was sent); the exit status and all it
        wrote on stderr."""
        try:
            returncode = self.process.wait(timeout=TIMEOUT)  # stdin is still open: SIGINT alone ends it
        finally:
            self.process.kill()
        assert self.process.stdin is not None and self.process.stderr is not None
        self.process.stdin.close()
        stderr = self.seen["stderr"] + self.process.stderr.read()
        assert self.process.stdout is not None
        self.process.stdout.close()
        self.process.stderr.close()
        return returncode, stderr


def wait_for_files(directory: Path, count: int) -> None:
    """Until ``directory`` holds ``count`` entries (bounded)."""
    deadline = time.monotonic() + TIMEOUT
    while len(list(directory.iterdir())) < count:
        assert time.monotonic() < deadline, list(directory.iterdir())
        time.sleep(0.01)


# ------------------------------------------------------------------------------------- Ctrl-C


@pytest.mark.parametrize("command", ["decode", "validate"])
def test_ctrl_c_while_reading_stdin_exits_130_with_one_line(tmp_path: Path, command: str) -> None:
    args = [command, "-"] + (["-o", tmp_path / "out.bin"] if command == "decode" else [])
    run = Run(*args, cwd=tmp_path)
    run.feed(GOOD_LINE * 2 + BAD_LINE)
    # decode reports the bad line on stderr, validate on stdout; either way it is then waiting for more
    run.wait_for("stderr" if command == "decode" else "stdout", b"line 3: ")

    returncode, stderr = run.interrupt()

    assert returncode == 130
    assert b"Traceback" not in stderr and b"KeyboardInterrupt" not in stderr
    assert stderr.decode().splitlines()[-1] == "rtbridge: interrupted"
    assert list(tmp_path.iterdir()) == []  # no output file, no temporary file


def test_ctrl_c_in_a_pipeline_whose_reader_is_gone_too(tmp_path: Path) -> None:
    # `rtbridge decode - | consumer` and Ctrl-C ends both: converted events wait in stdout's buffer
    run = Run("decode", "-", cwd=tmp_path, unbuffered=False)
    run.feed(GOOD_LINE * 3 + BAD_LINE)
    run.wait_for("stderr", b"line 4: ")
    assert run.process.stdout is not None
    run.process.stdout.close()  # the consumer is gone

    returncode, stderr = run.interrupt()

    assert returncode == 130
    assert stderr.decode().splitlines()[1:] == ["rtbridge: interrupted"]  # nothing about a broken pipe


def test_ctrl_c_during_encode_leaves_no_output_file(tmp_path: Path) -> None:
    frames = io.BytesIO()
    write_frame(frames, bridge.json_to_binary(MIXED_LINES[0]))
    write_frame(frames, b"\xff\xff")  # a frame that does not parse: reported on stderr
    run = Run("encode", "-", "-o", "out.jsonl", cwd=tmp_path)
    run.feed(frames.getvalue())
    run.wait_for("stderr", b"offset ")

    returncode, stderr = run.interrupt()

    assert (returncode, stderr.decode().splitlines()[-1]) == (130, "rtbridge: interrupted")
    assert b"Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_leaves_existing_output_and_rejects_files_as_they_were(tmp_path: Path) -> None:
    out, rejects = tmp_path / "out.bin", tmp_path / "rejects.jsonl"
    out.write_bytes(b"the previous output")
    rejects.write_bytes(b"the previous rejects\n")
    run = Run("decode", "-", "-o", out, "--rejects", rejects, cwd=tmp_path)
    run.feed(GOOD_LINE + BAD_LINE + GOOD_LINE)
    wait_for_files(tmp_path, 4)  # both outputs are being written under temporary names

    returncode, stderr = run.interrupt()

    assert (returncode, stderr) == (130, b"rtbridge: interrupted\n")
    assert out.read_bytes() == b"the previous output"
    assert rejects.read_bytes() == b"the previous rejects\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin", "rejects.jsonl"]


def test_an_output_appears_only_once_complete(tmp_path: Path) -> None:
    out = tmp_path / "out.bin"
    run = Run("decode", "-", "-o", out, cwd=tmp_path)
    run.feed(GOOD_LINE + BAD_LINE)
    run.wait_for("stderr", b"line 2: ")
    assert not out.exists()  # being written under another name
    assert run.process.stdin is not None
    run.process.stdin.close()  # end of input: the run completes
    assert run.process.wait(timeout=TIMEOUT) == 1
    run.process.stdout.close()
    run.process.stderr.close()
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
    assert out.read_bytes() == write_frame_bytes(bridge.session_record_to_binary(MIXED_LINES[0]))


def write_frame_bytes(payload: bytes) -> bytes:
    buffer = io.BytesIO()
    write_frame(buffer, payload)
    return buffer.getvalue()


# ------------------------------------------------------------------------- kill, timeout, hangup

#: For each command: its arguments, an input it reports a rejection for at once, and where it
#: reports it. decode and encode write their output to a file (under a temporary name until done).
STOPPED_RUNS = {
    "decode": (("decode", "-", "-o", "out.bin"), GOOD_LINE * 2 + BAD_LINE, "stderr", b"line 3: "),
    "encode": (
        ("encode", "-", "-o", "out.jsonl"),
        write_frame_bytes(bridge.json_to_binary(MIXED_LINES[0])) + b"\x02\xff\xff",
        "stderr",
        b"offset ",
    ),
    "validate": (("validate", "-"), GOOD_LINE * 2 + BAD_LINE, "stdout", b"line 3: "),
}


def started(command: str, tmp_path: Path, prefix: tuple[str, ...] = ()) -> Run:
    """``rtbridge COMMAND`` in the middle of its run: it has reported a rejection, its output file
    is being written, and it waits for more input."""
    args, data, stream, marker = STOPPED_RUNS[command]
    run = Run(*args, cwd=tmp_path, prefix=prefix)
    run.feed(data)
    run.wait_for(stream, marker)
    if command != "validate":
        wait_for_files(tmp_path, 1)
        assert [p.name.endswith(".part") for p in tmp_path.iterdir()] == [True]
    return run


@pytest.mark.parametrize("command", STOPPED_RUNS)
@pytest.mark.parametrize(("name", "status"), [("TERM", 143), ("HUP", 129)])
def test_kill_during_a_run_leaves_no_file(tmp_path: Path, command: str, name: str, status: int) -> None:
    run = started(command, tmp_path)

    subprocess.run(["kill", f"-{name}", str(run.process.pid)], check=True, timeout=TIMEOUT)
    returncode, stderr = run.finish()

    assert returncode == status == 128 + getattr(signal, f"SIG{name}")
    assert b"Traceback" not in stderr
    assert stderr.decode().splitlines()[-1] == f"rtbridge: stopped by SIG{name}"
    assert list(tmp_path.iterdir()) == []  # no output file, no temporary file


@pytest.mark.parametrize("command", STOPPED_RUNS)
def test_timeout_during_a_run_leaves_no_file(tmp_path: Path, command: str) -> None:
    # `timeout` sends SIGTERM once its time is up; --preserve-status passes rtbridge's status on
    run = started(command, tmp_path, prefix=("timeout", "--preserve-status", "-s", "TERM", "3"))

    returncode, stderr = run.finish()

    assert returncode == 143
    assert stderr.decode().splitlines()[-1] == "rtbridge: stopped by SIGTERM"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", STOPPED_RUNS)
def test_the_help_documents_the_statuses_of_signals(command: str) -> None:
    text = subprocess.run([str(RTBRIDGE), command, "--help"], capture_output=True, timeout=TIMEOUT, check=True).stdout
    for status, name in ((b"129", b"SIGHUP"), (b"130", b"Ctrl-C"), (b"143", b"SIGTERM")):
        (line,) = [line for line in text.splitlines() if line.strip().startswith(status + b" ")]
        assert name in line and b"no output file is left behind" in line


def test_an_ignored_hangup_stays_ignored(tmp_path: Path) -> None:
    """Under ``nohup`` (SIGHUP ignored), a hangup does not stop the run."""
    out = tmp_path / "out.bin"
    script = f'trap "" HUP; exec "{RTBRIDGE}" decode - -o "{out}"'
    with subprocess.Popen(["bash", "-c", script], stdin=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdin is not None and process.stderr is not None
        process.stdin.write(GOOD_LINE)
        process.stdin.flush()
        wait_for_files(tmp_path, 1)
        process.send_signal(signal.SIGHUP)
        process.stdin.write(GOOD_LINE)
        process.stdin.close()
        assert process.wait(timeout=TIMEOUT) == 0, process.stderr.read()
    assert len(list(iter_frames(io.BytesIO(out.read_bytes())))) == 2


# -------------------------------------------------------------------------------- a closed pipe


def many_events(tmp_path: Path, command: str) -> Path:
    """An input for ``command`` that makes far more output than a pipe holds (~2 MB)."""
    if command == "decode":
        path = tmp_path / "many.jsonl"
        path.write_bytes((MIXED_LINES[3] + b"\n") * 20000)
        return path
    binary = io.BytesIO()
    for _ in range(20000):
        write_frame(binary, bridge.json_to_binary(MIXED_LINES[3]))
    path = tmp_path / "many.bin"
    path.write_bytes(binary.getvalue())
    return path


@pytest.mark.parametrize("command", ["decode", "encode"])
def test_a_reader_that_stops_early_ends_the_run_quietly_with_141(tmp_path: Path, command: str) -> None:
    path = many_events(tmp_path, command)
    with subprocess.Popen([str(RTBRIDGE), command, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.read(100)  # as `| head -c 100` would
        process.stdout.close()
        stderr = process.stderr.read()
        assert process.wait(timeout=TIMEOUT) == 141  # 128 + SIGPIPE, as the shell shows for `yes | head`
    assert len(first) == 100
    assert stderr == b""  # no traceback, no summary, no "rejected"


def test_head_in_a_shell_pipeline(tmp_path: Path) -> None:
    path = many_events(tmp_path, "encode")
    script = f'"{RTBRIDGE}" encode "{path}" | head -2; echo "status ${{PIPESTATUS[0]}}" >&2'
    result = subprocess.run(["bash", "-c", script], capture_output=True, timeout=TIMEOUT)
    assert [json.loads(line) for line in result.stdout.splitlines()] == [json.loads(MIXED_LINES[3])] * 2
    assert result.stderr == b"status 141\n"


def test_main_in_a_longer_lived_process_puts_the_handlers_back(tmp_path: Path) -> None:
    """``cli.main`` called in-process (as tests and embedding programs do) leaves SIGTERM and SIGHUP
    as it found them."""
    from bridge import cli

    before = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)}
    log = tmp_path / "log.jsonl"
    log.write_bytes(GOOD_LINE)
    assert cli.main(["decode", str(log), "-o", str(tmp_path / "out.bin"), "-q"]) == cli.EXIT_OK
    assert {signum: signal.getsignal(signum) for signum in before} == before
