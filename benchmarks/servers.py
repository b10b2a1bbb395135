"""The servers the gRPC comparisons run, each in a process of its own on 127.0.0.1.

A server of its own keeps its interpreter lock away from the client's (in one process the two
would take turns, and a round trip would cost a thread switch or two), and lets its CPU time be
read on its own: :meth:`ServerProcess.cpu_seconds` sums the time every thread of the process has
run (``/proc/<pid>/task/*/schedstat``, in nanoseconds), which contention from other processes on
a shared machine does not inflate the way it inflates wall time.

:func:`bridge_server` is ``python -m bridge.server`` (``rtbridge serve``, one worker, its default
options); :func:`ceiling_server` is :mod:`benchmarks.ceiling` with the given answers.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence

__all__ = ["ServerProcess", "bridge_server", "ceiling_server"]

ROOT = pathlib.Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
_START_TIMEOUT = 30.0
_STOP_TIMEOUT = 15.0
_LISTENING = re.compile(rb"listening on (127\.0\.0\.1:\d+)")


class ServerProcess:
    """A server started with ``argv``, ready once it logs ``listening on 127.0.0.1:PORT``."""

    def __init__(self, argv: Sequence[str], log: pathlib.Path) -> None:
        self._log_path = log
        self._log = open(log, "wb")  # noqa: SIM115 - closed in close()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            list(argv), stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT, env=env
        )
        try:
            self.address = self._wait_for_address()
        except BaseException:
            self.close()
            raise

    @property
    def pid(self) -> int:
        return self.process.pid

    def _wait_for_address(self) -> str:
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            found = _LISTENING.search(self._log_path.read_bytes())
            if found:
                return found.group(1).decode()
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        tail = self._log_path.read_bytes()[-2000:].decode(errors="replace")
        raise RuntimeError(f"the server {self.process.args!r} did not start: {tail}")

    def cpu_seconds(self) -> float | None:
        """CPU time run so far by all the threads of the process, or ``None`` where ``/proc`` does
        not tell (not Linux)."""
        total = 0
        try:
            for task in os.scandir(f"/proc/{self.pid}/task"):
                # (a thread that just ended has no file any more)
                with contextlib.suppress(FileNotFoundError, ProcessLookupError), open(f"{task.path}/schedstat", "rb") as file:
                    total += int(file.read().split()[0])
        except OSError:
            return None
        return total / 1e9

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(_STOP_TIMEOUT)
        self._log.close()


@contextlib.contextmanager
def bridge_server() -> Iterator[ServerProcess]:
    """``rtbridge serve`` (as ``python -m bridge.server``) on a free loopback port."""
    with tempfile.TemporaryDirectory(prefix="rtbridge-bench-") as directory:
        server = ServerProcess(
            [sys.executable, "-m", "bridge.server", "--host", HOST, "--port", "0", "--grace", "1"],
            pathlib.Path(directory) / "bridge.log",
        )
        try:
            yield server
        finally:
            server.close()


@contextlib.contextmanager
def ceiling_server(answers: Sequence[bytes]) -> Iterator[ServerProcess]:
    """The no-conversion ceiling (:mod:`benchmarks.ceiling`) answering with ``answers``."""
    from benchmarks import ceiling

    with tempfile.TemporaryDirectory(prefix="rtbridge-bench-") as directory:
        path = pathlib.Path(directory) / "answers.bin"
        path.write_bytes(ceiling.write_delimited(answers))
        server = ServerProcess(
            [sys.executable, "-m", "benchmarks.ceiling", "--answers", str(path), "--host", HOST, "--port", "0"],
            pathlib.Path(directory) / "ceiling.log",
        )
        try:
            yield server
        finally:
            server.close()
