"""Start and gracefully stop the bridge's grpc.aio server: its lifecycle.

:func:`serve` is the production path (one process; see :mod:`bridge.service.workers` for several):
it runs until SIGTERM or SIGINT, then turns health NOT_SERVING, refuses new calls, lets the calls
in flight finish within ``grace`` seconds and returns. :class:`BackgroundServer` and
:func:`running` run the same server on a thread of their own, for tests, benchmarks and embedding.

The configuration is :class:`~bridge.service._config.ServerConfig`, the TLS credentials come from
:mod:`bridge.service._tls`, the address checks from :mod:`bridge.service._address`, and server
reflection from :mod:`bridge.service._reflection`; the names most callers need are here too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import grpc
from grpc_health.v1 import health_pb2_grpc

from bridge.service._address import format_address, is_loopback, probe_address
from bridge.service._config import DEFAULT_HOST, DEFAULT_PORT, ServerConfig
from bridge.service._reflection import REFLECTION_SERVICES, add_reflection
from bridge.service._rpcs import SESSION_SERVICE_NAME
from bridge.service._tls import server_credentials
from bridge.service.auth import BearerTokenInterceptor
from bridge.service.health import SERVICE_NAME as HEALTH_SERVICE
from bridge.service.health import HealthServicer
from bridge.service.servicer import SERVICE_NAME, BridgeServicer, Observer, add_to_server

if TYPE_CHECKING:
    from bridge.relay.servicer import SessionServicer

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "REFLECTION_SERVICES",
    "BackgroundServer",
    "ServerConfig",
    "StartedServer",
    "add_health_and_reflection",
    "add_reflection",
    "check_startup",
    "format_address",
    "running",
    "serve",
    "start",
]

_log = logging.getLogger("bridge.service")


class StartedServer:
    """A server that is accepting calls on :attr:`port`."""

    def __init__(
        self, server: grpc.aio.Server, health: HealthServicer, host: str, port: int, relay: SessionServicer | None = None
    ) -> None:
        self.server = server
        self.health = health
        self.host = host
        self.port = port
        #: The session relay, when the server serves ``SessionService``.
        self.relay = relay

    @property
    def address(self) -> str:
        """``host:port``, as a channel target."""
        return format_address(self.host, self.port)

    async def stop(self, grace: float) -> None:
        """Health NOT_SERVING, refuse new calls, give the calls in flight ``grace`` seconds to
        finish, then cancel what is left. Relay sessions still open near the end of the grace are
        ended first, each told it was drained (:meth:`SessionServicer.drain`)."""
        await self.health.enter_graceful_shutdown()
        if self.relay is None:
            await self.server.stop(grace)
            return
        await asyncio.gather(self.relay.drain(grace), self.server.stop(grace))


def check_startup(config: ServerConfig) -> None:
    """Check what would keep a server for ``config`` from starting, before gRPC tries (and logs
    its own errors): the TLS files must be readable and hold a certificate and a matching key, the
    relay's ``--record`` folder must be usable, and the address must resolve and be free to bind.

    Raises :class:`OSError` with a message that names the problem.
    """
    if config.tls:
        server_credentials(config)
    if config.relay is not None and config.relay.record_dir is not None:
        from bridge.relay.recorder import prepare_directory

        prepare_directory(config.relay.record_dir)
    probe_address(config.host, config.port, reuse_port=config.reuse_port)


def add_health_and_reflection(services: Iterable[str], server: grpc.aio.Server) -> HealthServicer:
    """Register ``grpc.health.v1`` (SERVING for ``services``) and server reflection (listing
    ``services``, health and reflection itself) on ``server``, as grpc's own
    ``examples/python/xds/server.py`` sets up its maintenance services; return the health servicer."""
    services = tuple(services)
    health = HealthServicer(services)
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    add_reflection((*services, HEALTH_SERVICE), server)
    return health


async def start(config: ServerConfig) -> StartedServer:
    """Start a server for ``config`` on the running event loop.

    Raises :class:`OSError` when the address cannot be bound, and for unreadable TLS files (see
    :func:`check_startup`).
    """
    check_startup(config)
    credentials = server_credentials(config) if config.tls else None
    interceptors, observer = _instruments(config)
    server = grpc.aio.server(interceptors=interceptors, options=config.grpc_options())
    add_to_server(BridgeServicer(max_message_bytes=config.max_message_bytes, observer=observer), server)
    relay = _add_relay(config, server)
    health = add_health_and_reflection([SERVICE_NAME] if relay is None else [SERVICE_NAME, SESSION_SERVICE_NAME], server)
    address = format_address(config.host, config.port)
    try:
        port = server.add_secure_port(address, credentials) if credentials is not None else server.add_insecure_port(address)
    except RuntimeError as error:  # grpc raises RuntimeError("Failed to bind to address ...")
        raise OSError(f"cannot listen on {address}: {error}") from None
    if not port:
        raise OSError(f"cannot listen on {address}")
    await server.start()
    if config.token is not None and not config.tls and not is_loopback(config.host):
        _log.warning("token auth without TLS: bearer tokens cross the network in clear text")
    started = StartedServer(server, health, config.host, port, relay)
    _log.info(
        "listening on %s (pid %d, tls %s, token auth %s, session relay %s)",
        started.address,
        os.getpid(),
        "mutual" if config.tls_client_ca else "on" if config.tls else "off",
        "on" if config.token is not None else "off",
        "off" if config.relay is None else f"to {config.relay.upstream}",
    )
    return started


def _add_relay(config: ServerConfig, server: grpc.aio.Server) -> SessionServicer | None:
    """The session relay (``SessionService``), registered on ``server`` when ``config`` has one;
    without it nothing of :mod:`bridge.relay` is imported."""
    if config.relay is None:
        return None
    from bridge.relay.servicer import SessionServicer
    from bridge.relay.servicer import add_to_server as add_relay_to_server

    observer = None
    if config.metrics:
        from bridge.relay.metrics import SessionMetrics

        observer = SessionMetrics()
    relay = SessionServicer(config.relay, max_message_bytes=config.max_message_bytes, observer=observer)
    add_relay_to_server(relay, server)
    if config.relay.upstream.startswith("ws://") and not is_loopback(_host_of(config.relay.upstream)):
        _log.warning("the session relay's upstream is ws://, not wss://: events and credentials cross the network in clear text")
    return relay


def _host_of(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or ""


def _instruments(config: ServerConfig) -> tuple[list[grpc.aio.ServerInterceptor], Observer | None]:
    """The server's interceptors (metrics, then the token check) and the servicer's observer."""
    interceptors: list[grpc.aio.ServerInterceptor] = []
    observer: Observer | None = None
    if config.metrics:  # first, so that calls the token check refuses are counted too
        from bridge.service.metrics import EventCounter, MetricsInterceptor

        interceptors.append(MetricsInterceptor())
        observer = EventCounter()
    if config.token is not None:
        interceptors.append(BearerTokenInterceptor(config.token.strip()))
    return interceptors, observer


async def serve(config: ServerConfig) -> None:
    """Serve until SIGTERM or SIGINT, then shut down gracefully (see :meth:`StartedServer.stop`)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGTERM, signal.SIGINT)
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    try:
        started = await start(config)
        await stop.wait()
        _log.info("shutting down: NOT_SERVING, refusing new calls, draining for up to %gs", config.grace)
        await started.stop(config.grace)
        _log.info("stopped")
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)


class BackgroundServer:
    """The server on an event loop in a thread of its own: ``start()``, call it, ``stop()``.

    Also a context manager. Signals are left alone; :meth:`stop` shuts down as SIGTERM would.
    """

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._started: StartedServer | None = None

    @property
    def address(self) -> str:
        """``host:port`` of the running server."""
        if self._started is None:
            raise RuntimeError("the server is not running")
        return self._started.address

    def start(self, timeout: float = 30.0) -> str:
        """Start serving; return the address."""
        if self._started is not None:
            raise RuntimeError("the server is already running")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="rtbridge-server", daemon=True)
        self._thread.start()
        try:
            self._started = self._run(start(self.config), timeout)
        except BaseException:
            self._close_loop(timeout)
            raise
        return self._started.address

    def stop(self, grace: float | None = None, timeout: float | None = None) -> None:
        """Shut down gracefully, allowing ``grace`` seconds (default: the configured grace) for the
        calls in flight; wait at most ``timeout`` seconds in all (default: grace + 10)."""
        if self._started is None:
            return
        grace = self.config.grace if grace is None else grace
        timeout = grace + 10.0 if timeout is None else timeout
        started, self._started = self._started, None
        try:
            self._run(started.stop(grace), timeout)
        finally:
            self._close_loop(timeout)

    def __enter__(self) -> BackgroundServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self, coroutine: Any, timeout: float) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def _close_loop(self, timeout: float) -> None:
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is None or thread is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(_cancel_pending(), loop).result(timeout)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)
            if not thread.is_alive():
                loop.close()


@contextlib.contextmanager
def running(host: str = DEFAULT_HOST, port: int = 0, **options: Any) -> Iterator[str]:
    """Run a server in this process for the duration of a ``with`` block; yield its address.

    ``options`` are :class:`ServerConfig` fields. ``with running() as address:
    BridgeClient(address)...``
    """
    server = BackgroundServer(ServerConfig(host=host, port=port, **options))
    server.start()
    try:
        yield server.address
    finally:
        server.stop()


async def _cancel_pending() -> None:
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.get_running_loop().shutdown_asyncgens()


