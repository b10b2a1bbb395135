"""``jobs=N`` (issue 27): a file's lines converted in worker processes give what one process gives,
byte for byte (output, counts, rejections, drift, line numbers), whatever the places the chunks are
cut at; other input is converted by one process; workers end with their run, however it ends."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from test_cli import RTBRIDGE
from test_record_loop import LINES, _block, _Log
from test_session_log import SESSION

from bridge import _workers, batch


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ``jobs`` of each run of workers."""
    runs: list[int] = []
    in_order = _workers.in_order

    def spy(work: Any, tasks: Any, jobs: int, slot_bytes: int) -> Any:
        runs.append(jobs)
        return in_order(work, tasks, jobs, slot_bytes)

    monkeypatch.setattr(_workers, "in_order", spy)
    return runs


def _texts(seed: str) -> list[bytes]:
    rng = random.Random(seed)
    good = [line for line in SESSION if b"vendor." not in line]
    long_line = b'{"type":"response.text.delta","delta":"' + b"x" * 5000 + b'"}\n'
    return [
        _block(rng, 80, last_ending=False),  # every kind of line, CRLF, no line feed at the end
        b"".join(rng.choice(good) + b"\n" for _ in range(40)),
        b"\xef\xbb\xbf\n\n" + _block(rng, 60) + long_line + _block(rng, 30) + long_line,  # a BOM, blanks first, long lines
    ]


@pytest.mark.parametrize("kind", ["session", "event", "client_event"])
@pytest.mark.parametrize("mode", ["tolerant", "strict", "validate"])
def test_workers_give_what_one_process_gives(kind: str, mode: str, tmp_path: Path, spied: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    strict, validate = mode == "strict", mode == "validate"
    for number, text in enumerate(_texts(kind + mode)):
        path = tmp_path / f"log{number}.jsonl"
        path.write_bytes(text)
        reference = _Log(io.BytesIO(text), kind, strict, validate)
        assert reference.stats.converted
        for chunk in sorted({max(3, len(text) // 4000), 61, 700, len(text) // 3}):  # cut anywhere, in long lines too
            monkeypatch.setattr(batch, "_CHUNK_BYTES", chunk)
            for jobs in (2, 3):
                with path.open("rb") as src:
                    assert _Log(src, kind, strict, validate, jobs=jobs) == reference, (number, chunk, jobs)
                    assert src.read() == b""  # left at its end, as one process leaves it
    assert spied and set(spied) == {2, 3}


class _Encoded(_Log):
    """A delimited stream's conversion to JSON Lines: its output, counts and rejections."""

    def __init__(self, src: Any, kind: str, strict: bool, jobs: int = 1) -> None:
        out, self.rejected = io.BytesIO(), []
        self.stats = batch.delimited_to_jsonl(src, out, strict=strict, kind=kind, on_reject=self.rejected.append, jobs=jobs)
        self.output = out.getvalue()


def _streams(kind: str) -> list[bytes]:
    """Delimited streams of ``kind``: good frames, frames that do not convert, a frame over 16 KiB
    (a three-byte prefix), and endings that break the framing (each read by one process)."""
    rng = random.Random(kind)
    good = io.BytesIO()
    batch.jsonl_to_delimited(io.BytesIO(_texts(kind)[0]), good, kind=kind)
    frames = list(batch.iter_frames(io.BytesIO(good.getvalue())))
    big = io.BytesIO()
    batch.jsonl_to_delimited(io.BytesIO(b'{"type":"response.text.delta","delta":"' + b"y" * 20000 + b'"}\n'), big, kind=kind)
    raw = [batch.encode_varint(len(f.payload)) + f.payload for f in frames] + [big.getvalue()]
    raw += [b"\x05\xff\xfe\xfd\xfc\xfb", b"\x00"] * 3  # (frames that parse as nothing, or not at all)
    rng.shuffle(raw)
    stream = b"".join(raw)
    return [
        stream,
        stream + b"\x20" + b"cut short",  # a frame the stream ends inside
        stream + b"\x85",  # a length prefix the stream ends inside
        stream + b"\xff\xff\xff\xff\x0f" + stream,  # a length over the limit, then more
        stream[: len(stream) // 2] + b"\x80" * 11 + stream,  # a malformed prefix in the middle
    ]


@pytest.mark.parametrize("kind", ["session", "event", "client_event"])
@pytest.mark.parametrize("strict", [False, True], ids=["tolerant", "strict"])
def test_workers_give_what_one_process_gives_for_frames(kind: str, strict: bool, tmp_path: Path, spied: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    for number, stream in enumerate(_streams(kind)):
        path = tmp_path / f"log{number}.bin"
        path.write_bytes(stream)
        reference = _Encoded(io.BytesIO(stream), kind, strict)
        assert reference.stats.converted and reference.rejected
        for chunk in sorted({max(3, len(stream) // 3000), 700, len(stream) // 3}):
            monkeypatch.setattr(batch, "_CHUNK_BYTES", chunk)
            for jobs in (2, 3):
                with path.open("rb") as src:
                    assert _Encoded(src, kind, strict, jobs=jobs) == reference, (number, chunk, jobs)
    assert spied and set(spied) == {2, 3}


def test_input_workers_cannot_read_is_converted_by_one_process(tmp_path: Path, spied: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "_CHUNK_BYTES", 64)
    text = _texts("other")[1]
    reference = _Log(io.BytesIO(text), "session", False)
    (tmp_path / "log.jsonl").write_bytes(text)
    (tmp_path / "array.json").write_bytes(b"[" + b",".join(line for line in text.splitlines()) + b"]")
    with (tmp_path / "array.json").open("rb") as src:
        assert _Log(src, "session", False, jobs=2) == reference  # a JSON array
    with subprocess.Popen(["cat", str(tmp_path / "log.jsonl")], stdout=subprocess.PIPE) as cat:
        assert _Log(cat.stdout, "session", False, jobs=2) == reference  # a pipe
    assert _Log(io.BytesIO(text), "session", False, jobs=2) == reference  # memory
    monkeypatch.setattr(batch, "_CHUNK_BYTES", len(text))
    with (tmp_path / "log.jsonl").open("rb") as src:
        assert _Log(src, "session", False, jobs=2) == reference  # a chunk or less after the first line
    assert spied == []


def test_input_in_another_format_stops_as_with_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spied: list[int]) -> None:
    monkeypatch.setattr(batch, "_CHUNK_BYTES", 16)
    path = tmp_path / "notes.txt"
    path.write_bytes(b"".join(b"plain words, line %d\n" % n for n in range(50)))
    errors = []
    for jobs in (1, 2):
        with path.open("rb") as src, pytest.raises(batch.InputFormatError) as caught:
            batch.jsonl_to_delimited(src, io.BytesIO(), jobs=jobs)
        errors.append((str(caught.value), caught.value.stats, caught.value.rejections))
    assert errors[0] == errors[1] and errors[0][1].rejected == batch.FORMAT_CHECK_AFTER
    assert spied == [2]


@pytest.mark.parametrize("jobs", [0, -1, 1.5, "2", True])
def test_jobs_must_be_a_number_of_processes(jobs: Any) -> None:
    for run in (lambda: batch.jsonl_to_delimited(io.BytesIO(), io.BytesIO(), jobs=jobs), lambda: batch.validate_jsonl(io.BytesIO(), jobs=jobs)):
        with pytest.raises(ValueError, match="jobs must be a number of processes"):
            run()


# ------------------------------------------------------------------------------------ the workers


def _echo(task: tuple[int, int, float], output: _workers.Output) -> tuple[int, int]:
    """A task that takes its time and writes ``size`` bytes naming it, in two pieces."""
    number, size, seconds = task
    time.sleep(seconds)
    output.write(b"%d;" % number)
    output.write(b"x" * max(0, size - len(b"%d;" % number)))
    return number, os.getpid()


def _echoed(number: int, size: int) -> bytes:
    return (b"%d;" % number).ljust(size, b"x")


def test_results_come_in_the_order_of_the_tasks_whatever_their_time() -> None:
    rng = random.Random(5)
    tasks = [(number, rng.choice([3, 100, 250]), rng.choice([0, 0, 0.003])) for number in range(60)]
    results = [(result, bytes(output)) for result, output in _workers.in_order(_echo, tasks, 3, 200)]
    assert [number for (number, _), _ in results] == list(range(60))
    assert [output for _, output in results] == [_echoed(n, size) for n, size, _ in tasks]  # (250: through the pipe)
    assert len({pid for (_, pid), _ in results}) == 3 and os.getpid() not in {pid for (_, pid), _ in results}


def test_tasks_are_taken_only_as_results_are() -> None:
    taken = []

    def tasks() -> Any:
        for number in range(100):
            taken.append(number)
            yield number, 10, 0

    results = _workers.in_order(_echo, tasks(), 2, 64)
    for count in range(1, 20):
        next(results)
        assert len(taken) == count - 1 + 2 * _workers.DEPTH  # the slots in flight (a result held: its own), no more
    results.close()


def _fail(task: int, output: _workers.Output) -> int:
    if task == 3:
        raise KeyError("the third")
    if task == 5:
        os._exit(9)  # a worker that dies
    return task


def test_a_worker_that_fails_or_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(_workers.WorkerError, match="KeyError: 'the third'"):
        list(_workers.in_order(_fail, range(10), 2, 16))
    with pytest.raises(_workers.WorkerError, match="ended before sending its result"):
        list(_workers.in_order(_fail, [0, 1, 2, 4, 5, 6], 2, 16))


def _children() -> set[int]:
    pid = os.getpid()
    return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def test_workers_end_with_their_run_however_it_ends() -> None:
    before = _children()
    results = _workers.in_order(_echo, [(n, 10, 0.01) for n in range(50)], 2, 64)
    next(results)
    assert len(_children() - before) == 2
    results.close()  # the caller stops early: its workers are killed and reaped
    assert _children() == before
    assert len(list(_workers.in_order(_echo, [(n, 10, 0) for n in range(9)], 2, 64))) == 9
    assert _children() == before


# ------------------------------------------------------------------------------------------- rtbridge


def _big_log(path: Path) -> bytes:
    rng = random.Random(8)
    good = [line for line in SESSION if b"vendor." not in line]
    lines, size = [], 0
    while size < 2.5 * batch._CHUNK_BYTES:  # (a few chunks)
        lines.append(rng.choice(good + LINES) + b"\n")
        size += len(lines[-1])
    path.write_bytes(b"".join(lines))
    assert path.stat().st_size > 2 * batch._CHUNK_BYTES
    return path.read_bytes()


def _rtbridge(*args: str, **options: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(RTBRIDGE), *args], **options)


def test_rtbridge_jobs_gives_the_same_output_rejects_and_summary(tmp_path: Path) -> None:
    _big_log(tmp_path / "log.jsonl")
    outcomes = []
    for jobs in ("1", "2", "0"):
        (tmp_path / jobs).mkdir()
        out, rejects = tmp_path / jobs / "out", tmp_path / jobs / "rejects"
        run = _rtbridge("decode", str(tmp_path / "log.jsonl"), "-o", str(out), "--rejects", str(rejects), "-j", jobs, stderr=subprocess.PIPE)
        _, err = run.communicate(timeout=120)
        summary = err.decode().replace(f"/{jobs}/", "/").split(" in ")[0]  # (not the time it took)
        outcomes.append((run.returncode, summary, out.read_bytes(), rejects.read_bytes()))
        checked = subprocess.run([str(RTBRIDGE), "validate", str(tmp_path / "log.jsonl"), "-q", "-j", jobs], capture_output=True, timeout=120)
        back = subprocess.run([str(RTBRIDGE), "encode", str(out), "-q", "-j", jobs], capture_output=True, timeout=120)
        outcomes[-1] += (checked.returncode, checked.stdout, back.returncode, back.stdout)
    assert outcomes[0][0] == 1 and b'"line":' in outcomes[0][3] and b"carried" in outcomes[0][5]  # (bad lines, drift)
    converted = int(outcomes[0][1].split(": ", 1)[1].split(" events", 1)[0].replace(",", ""))
    assert outcomes[0][6] == 0 and len(outcomes[0][7].splitlines()) == converted  # (encode: every frame decode wrote)
    assert outcomes[0] == outcomes[1] == outcomes[2]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_rtbridge_jobs_stops_on_a_signal_to_its_group_and_leaves_no_worker(tmp_path: Path, signum: int) -> None:
    _big_log(tmp_path / "log.jsonl")
    run = _rtbridge("decode", str(tmp_path / "log.jsonl"), "-q", "-j", "2", stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    children = f"/proc/{run.pid}/task/{run.pid}/children"
    workers: set[int] = set()
    for _ in range(600):  # its workers started; its output (not read) fills the pipe, and it waits
        workers = {int(pid) for pid in Path(children).read_text().split()} if os.path.exists(children) else set()
        if len(workers) == 2:
            break
        time.sleep(0.05)
    assert len(workers) == 2
    os.killpg(run.pid, signum)  # what a Ctrl-C or kill -- -PGID does: every process of the group
    _, err = run.communicate(timeout=60)
    assert run.returncode == 128 + signum, err
    for _ in range(200):
        if not any(os.path.exists(f"/proc/{pid}") for pid in workers):
            break
        time.sleep(0.05)
    assert not any(os.path.exists(f"/proc/{pid}") for pid in workers)
