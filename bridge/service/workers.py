"""``--workers N``: N server processes on one port, supervised by the parent.

A Python process converts on one core, so N processes serve N cores. Each worker is a fresh
interpreter running :func:`bridge.service.app.serve` with SO_REUSEPORT, and the kernel spreads new
*connections* over them: balancing is per connection, not per call, so one client with one
channel stays on one worker until the server's maximum connection age sends it elsewhere.

The parent holds the port (bound, not listening, so it takes no connections) for the workers'
lifetime, which also fixes the port when 0 was asked for. It restarts a worker that dies, gives up
if workers keep dying, and on SIGTERM/SIGINT passes SIGTERM on and waits for the drains.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any

from bridge.service._address import format_address
from bridge.service._config import ServerConfig

__all__ = ["supervise", "worker_main"]

_log = logging.getLogger("bridge.service")

#: Give up when more restarts than this happen within _RESTART_WINDOW seconds.
_MAX_RESTARTS = 5
_RESTART_WINDOW = 60.0
_POLL = 0.2
#: The worker reads its configuration (which may hold the token) from stdin, never from argv.
_WORKER_CODE = "import sys; from bridge.service.workers import worker_main; sys.exit(worker_main())"


def supervise(
    config: ServerConfig, *, log_level: int | str = logging.INFO, metrics_address: tuple[str, int] | None = None
) -> int:
    """Run ``config.workers`` workers until SIGTERM/SIGINT; return the exit code (0 after a clean
    drain, 1 if workers kept dying or one failed to stop cleanly).

    With ``metrics_address`` (host, port), the workers record metrics in prometheus_client's
    multiprocess mode (a fresh ``PROMETHEUS_MULTIPROC_DIR`` of the supervisor's) and the supervisor
    serves their sum there: one scrape target for all the workers."""
    stop = threading.Event()
    previous = {signum: signal.signal(signum, _setter(stop)) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        with _reserve_port(config.host, config.port) as port, _metrics(metrics_address) as metrics_dir:
            worker = dataclasses.replace(
                config, port=port, workers=1, reuse_port=True, metrics=config.metrics or metrics_dir is not None
            )
            return _Supervisor(worker, config.workers, log_level, metrics_dir).run(stop)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def worker_main() -> int:
    """Entry point of a worker process: configuration as JSON on stdin."""
    import asyncio

    from bridge.service.app import serve

    payload = json.load(sys.stdin)
    logging.basicConfig(level=payload["log_level"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    threading.Thread(target=_stop_when_orphaned, args=(os.getppid(),), daemon=True).start()
    asyncio.run(serve(ServerConfig.from_dict(payload["config"])))
    return 0


def _stop_when_orphaned(parent: int) -> None:
    """Drain and exit (as on SIGTERM) if the supervisor dies without stopping this worker."""
    while os.getppid() == parent:
        time.sleep(_POLL * 5)
    _log.warning("the supervisor (pid %d) is gone; stopping", parent)
    os.kill(os.getpid(), signal.SIGTERM)


@contextlib.contextmanager
def _metrics(address: tuple[str, int] | None) -> Iterator[str | None]:
    """The workers' metrics directory, served at ``address`` meanwhile (None: no metrics)."""
    if address is None:
        yield None
        return
    from bridge.service import metrics

    with metrics.multiprocess_directory() as directory:
        endpoint = metrics.serve_multiprocess(*address, directory)
        try:
            yield directory
        finally:
            endpoint.close()


class _Supervisor:
    def __init__(self, config: ServerConfig, count: int, log_level: int | str, metrics_dir: str | None = None) -> None:
        self._metrics_dir = metrics_dir
        self._payload = json.dumps({"config": dataclasses.asdict(config), "log_level": log_level}).encode()
        self._count = count
        self._grace = config.grace
        self._address = format_address(config.host, config.port)
        self._restarts: collections.deque[float] = collections.deque()

    def run(self, stop: threading.Event) -> int:
        workers = [self._spawn() for _ in range(self._count)]
        _log.info("supervising %d workers on %s", self._count, self._address)
        failed = False
        while not stop.wait(_POLL):
            for index, process in enumerate(workers):
                code = process.poll()
                if code is None:
                    continue
                _log.warning("worker pid %d exited with status %d", process.pid, code)
                self._forget(process)
                if stop.is_set():
                    break
                if not self._may_restart():
                    _log.error("workers keep dying (%d restarts in %gs); giving up", _MAX_RESTARTS, _RESTART_WINDOW)
                    failed = True
                    stop.set()
                    break
                workers[index] = self._spawn()
        return 1 if self._stop_all(workers) or failed else 0

    def _spawn(self) -> subprocess.Popen[bytes]:
        env = None
        if self._metrics_dir is not None:
            env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": self._metrics_dir}
        process = subprocess.Popen([sys.executable, "-c", _WORKER_CODE], stdin=subprocess.PIPE, env=env)
        assert process.stdin is not None
        with process.stdin:
            process.stdin.write(self._payload)
        _log.info("worker pid %d started", process.pid)
        return process

    def _forget(self, process: subprocess.Popen[bytes]) -> None:
        """A worker exited: its streams are no longer in flight (its counts stay in the sums)."""
        if self._metrics_dir is not None:
            from bridge.service import metrics

            metrics.mark_process_dead(process.pid, self._metrics_dir)

    def _may_restart(self) -> bool:
        now = time.monotonic()
        self._restarts.append(now)
        while self._restarts and self._restarts[0] < now - _RESTART_WINDOW:
            self._restarts.popleft()
        return len(self._restarts) <= _MAX_RESTARTS

    def _stop_all(self, workers: list[subprocess.Popen[bytes]]) -> bool:
        """SIGTERM every worker and wait for its drain; kill stragglers. True if any failed."""
        for process in workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self._grace + 10.0
        failed = False
        for process in workers:
            try:
                code = process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _log.error("worker pid %d did not stop in time; killing it", process.pid)
                process.kill()
                code = process.wait(timeout=10.0)
            self._forget(process)
            failed = failed or code != 0
        return failed


@contextlib.contextmanager
def _reserve_port(host: str, port: int) -> Iterator[int]:
    """Bind (not listen on) ``host:port`` with SO_REUSEPORT; yield the port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            sock.bind((host.strip("[]"), port))
        except OSError as error:
            raise OSError(f"cannot listen on {format_address(host, port)}: {error.strerror}") from None
        yield sock.getsockname()[1]


def _setter(event: threading.Event) -> Any:
    def handler(signum: int, frame: FrameType | None) -> None:
        event.set()

    return handler
