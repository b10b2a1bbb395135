"""Worker processes for one run: tasks done in forked processes, their results taken in order.

:func:`in_order` is what ``bridge.batch`` runs for ``jobs=N``. A worker is a fork of the calling
process, so it holds what the caller holds (the converters, the input's descriptor, a shared memory
area) and a task is a few numbers. What a task writes goes into a slot of the shared area as it is
made, and the caller reads it there in place (output larger than a slot comes through the pipe
instead): nothing is pickled but the task and a small result, and the output crosses from one
process to the other without being copied.

Order: task ``n`` goes to worker ``n % N`` and its result is taken from that worker in the same
turn, so results come in the order of the tasks. Bounds: each worker holds at most :data:`DEPTH`
tasks, and a slot is given to a new task only once the caller has asked for the next result, so
memory stays the same whatever the run's length.

Endings: workers ignore the signals that stop a run (a Ctrl-C reaches the whole process group); the
caller ends them, killing them if it stops before their work is done. A worker whose caller is gone
reads the end of its task pipe, or cannot write its result, and exits. A worker that fails sends
its traceback, raised by the caller as :class:`WorkerError`; one that dies is reported the same way.
"""

from __future__ import annotations

import mmap
import os
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from multiprocessing.connection import Connection, Pipe
from typing import NamedTuple, TypeVar

__all__ = ["DEPTH", "Output", "WorkerError", "available", "in_order"]

#: Tasks a worker holds at once: one being done, one waiting, so that it never waits for the caller.
DEPTH = 2
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

Task = TypeVar("Task")
Result = TypeVar("Result")
#: ``work(task, output) -> result``: what a worker does with a task, writing what it makes with
#: ``output.write``.
Work = Callable[[Task, "Output"], Result]


class WorkerError(RuntimeError):
    """A worker failed (the message holds its traceback) or ended before sending its result."""


class _Worker(NamedTuple):
    pid: int
    tasks: Connection  # where its tasks go
    results: Connection  # where its results come from


def available() -> bool:
    """Whether this platform can fork workers (POSIX)."""
    return hasattr(os, "fork")


def in_order(work: Work[Task, Result], tasks: Iterable[Task], jobs: int, slot_bytes: int) -> Iterator[tuple[Result, memoryview | bytes]]:
    """``(result, output)`` of each of ``tasks``, in their order, done by ``jobs`` forked workers:
    ``output`` is what the task wrote, a view of shared memory valid until the next result is asked
    for (or bytes, when it is larger than ``slot_bytes``)."""
    slots = jobs * DEPTH
    area = mmap.mmap(-1, slots * slot_bytes)  # MAP_SHARED: the workers write what the caller reads
    view = memoryview(area)
    workers: list[_Worker] = []
    done = False
    try:
        for _ in range(jobs):
            workers.append(_fork(work, area, slot_bytes, workers))
        pending = iter(tasks)
        sent = taken = 0
        for task in islice(pending, slots):  # each worker's first DEPTH tasks
            workers[sent % jobs].tasks.send((sent % slots, task))
            sent += 1
        while taken < sent:
            worker = workers[taken % jobs]
            try:
                result, size, spilled = worker.results.recv()
            except EOFError:
                raise WorkerError(f"worker {worker.pid} ended before sending its result") from None
            if isinstance(result, WorkerError):
                raise result
            start = (taken % slots) * slot_bytes
            yield result, (spilled if spilled is not None else view[start : start + size])
            for task in islice(pending, 1):  # into the slot just read
                workers[sent % jobs].tasks.send((sent % slots, task))
                sent += 1
            taken += 1
        done = True
    finally:
        for worker in workers:
            worker.tasks.close()  # a waiting worker reads the end and exits
            if not done:
                os.kill(worker.pid, signal.SIGKILL)
            os.waitpid(worker.pid, 0)
            worker.results.close()


class Output:
    """Where a task's output goes: its slot of the shared area, or (when it outgrows the slot) bytes
    sent through the pipe. Written as it is made, so that a worker holds no more than a piece."""

    def __init__(self, area: memoryview, slot_bytes: int) -> None:
        self._area, self._slot_bytes = area, slot_bytes
        self._start = self._size = 0
        self._spilled: bytearray | None = None

    def write(self, data: bytes) -> None:
        """Add ``data`` to the output."""
        if self._spilled is not None:
            self._spilled += data
        elif self._size + len(data) > self._slot_bytes:
            self._spilled = bytearray(self._area[self._start : self._start + self._size])
            self._spilled += data
        else:
            position = self._start + self._size
            self._area[position : position + len(data)] = data
        self._size += len(data)

    def _begin(self, slot: int) -> None:
        self._start, self._size, self._spilled = slot * self._slot_bytes, 0, None


def _fork(work: Work[Task, Result], area: mmap.mmap, slot_bytes: int, others: list[_Worker]) -> _Worker:
    """A new worker, forked from this process."""
    tasks_in, tasks_out = Pipe(duplex=False)
    results_in, results_out = Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # the worker: it never returns to the caller's code, and runs none of its exit code
        status = 1
        try:
            for signum in _STOP_SIGNALS:
                signal.signal(signum, signal.SIG_IGN)
            for other in others:  # so that each worker alone holds its pipes
                other.tasks.close()
                other.results.close()
            tasks_out.close()
            results_in.close()
            _serve(work, tasks_in, results_out, area, slot_bytes)
            status = 0
        finally:
            os._exit(status)
    tasks_in.close()
    results_out.close()
    return _Worker(pid, tasks_out, results_in)


def _serve(work: Work[Task, Result], tasks: Connection, results: Connection, area: mmap.mmap, slot_bytes: int) -> None:
    """A worker's loop: each task done, its output written into its slot, until the tasks end."""
    output = Output(memoryview(area), slot_bytes)
    while True:
        try:
            slot, task = tasks.recv()
        except EOFError:
            return
        output._begin(slot)
        try:
            result = work(task, output)
        except Exception:  # noqa: BLE001 - a bug, or out of memory: the caller raises it
            results.send((WorkerError(f"worker {os.getpid()} failed:\n{traceback.format_exc()}"), 0, None))
            return
        spilled = output._spilled
        results.send((result, output._size, bytes(spilled) if spilled is not None else None))
