"""Configure, start and gracefully stop the bridge's grpc.aio server.

:func:`serve` is the production path (one process; see :mod:`bridge.service.workers` for several):
it runs until SIGTERM or SIGINT, then turns health NOT_SERVING, refuses new calls, lets the calls
in flight finish within ``grace`` seconds and returns. :class:`BackgroundServer` and
:func:`running` run the same server on a thread of their own, for tests, benchmarks and embedding.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import ipaddress
import logging
import os
import signal
import socket
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool
from grpc_health.v1 import health_pb2_grpc
from grpc_reflection.v1alpha import reflection, reflection_pb2

from bridge.service.auth import BearerTokenInterceptor
from bridge.service.health import SERVICE_NAME as HEALTH_SERVICE
from bridge.service.health import HealthServicer
from bridge.service.servicer import SERVICE_NAME, BridgeServicer, Observer, add_to_server

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "REFLECTION_SERVICES",
    "BackgroundServer",
    "ServerConfig",
    "StartedServer",
    "add_reflection",
    "check_startup",
    "running",
    "serve",
    "start",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 50051
_MIB = 1024 * 1024

_log = logging.getLogger("bridge.service")

_REFLECTION_V1 = "grpc.reflection.v1.ServerReflection"
#: Server reflection, both versions: newer clients (grpcurl, Postman, grpcui) ask for v1 first.
REFLECTION_SERVICES = (_REFLECTION_V1, reflection.SERVICE_NAME)
_REFLECTION_V1_FILE = "grpc/reflection/v1/reflection.proto"


@dataclasses.dataclass(frozen=True)
class ServerConfig:
    """Everything the server needs to know. Durations are in seconds."""

    host: str = DEFAULT_HOST
    #: 0 picks a free port (see :attr:`StartedServer.port`).
    port: int = DEFAULT_PORT
    #: Server processes sharing the port (:mod:`bridge.service.workers`).
    workers: int = 1
    #: Largest request or response message; a bigger one fails with RESOURCE_EXHAUSTED.
    max_message_bytes: int = 4 * _MIB
    #: How long calls in flight may take to finish once shutdown begins.
    grace: float = 10.0
    #: Ping an idle connection this often, and drop it if the ping is not answered in time.
    keepalive_time: float = 60.0
    keepalive_timeout: float = 20.0
    #: Clients may ping this often (and with no call open): keep their keepalive above it.
    min_client_ping_interval: float = 10.0
    #: Ask clients to reconnect after this long (±10%), so long-lived channels rebalance across
    #: processes and hosts; calls still open then get ``max_connection_age_grace`` to finish.
    max_connection_age: float = 300.0
    max_connection_age_grace: float = 3600.0
    #: PEM files: the server's certificate chain and key (TLS), and the CA that client certificates
    #: must chain to (mutual TLS).
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_client_ca: str | None = None
    #: When set, every call but health checks needs ``authorization: Bearer <token>``.
    token: str | None = dataclasses.field(default=None, repr=False)
    #: Share the port with other processes (SO_REUSEPORT); set for each of ``--workers`` processes.
    #: Off otherwise, so that a port already in use is an error rather than a silent split.
    reuse_port: bool = False
    #: Record Prometheus metrics of every call (:mod:`bridge.service.metrics`; ``rtbridge serve
    #: --metrics-port`` serves them over HTTP).
    metrics: bool = False

    def __post_init__(self) -> None:
        problems = []
        if not 0 <= self.port <= 65535:
            problems.append(f"port must be 0-65535, not {self.port}")
        if self.workers < 1:
            problems.append(f"workers must be at least 1, not {self.workers}")
        if self.max_message_bytes < 1024:
            problems.append("max message size must be at least 1 KiB")
        if self.grace < 0:
            problems.append("grace must not be negative")
        for name in ("keepalive_time", "keepalive_timeout", "min_client_ping_interval", "max_connection_age",
                     "max_connection_age_grace"):
            if getattr(self, name) <= 0:
                problems.append(f"{name.replace('_', ' ')} must be positive")
        if (self.tls_cert is None) != (self.tls_key is None):
            problems.append("TLS needs both a certificate and a key")
        if self.tls_client_ca is not None and self.tls_cert is None:
            problems.append("mutual TLS (a client CA) needs a server certificate and key")
        if self.token is not None and not self.token.strip():
            problems.append("the bearer token must not be empty")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None

    def grpc_options(self) -> list[tuple[str, int]]:
        """The channel arguments of the server."""
        return [
            ("grpc.max_receive_message_length", self.max_message_bytes),
            ("grpc.max_send_message_length", self.max_message_bytes),
            ("grpc.keepalive_time_ms", _ms(self.keepalive_time)),
            ("grpc.keepalive_timeout_ms", _ms(self.keepalive_timeout)),
            ("grpc.keepalive_permit_without_calls", 1),
            ("grpc.http2.min_recv_ping_interval_without_data_ms", _ms(self.min_client_ping_interval)),
            ("grpc.http2.max_ping_strikes", 2),
            ("grpc.max_connection_age_ms", _ms(self.max_connection_age)),
            ("grpc.max_connection_age_grace_ms", _ms(self.max_connection_age_grace)),
            ("grpc.so_reuseport", int(self.reuse_port)),
        ]


class StartedServer:
    """A server that is accepting calls on :attr:`port`."""

    def __init__(self, server: grpc.aio.Server, health: HealthServicer, host: str, port: int) -> None:
        self.server = server
        self.health = health
        self.host = host
        self.port = port

    @property
    def address(self) -> str:
        """``host:port``, as a channel target."""
        return format_address(self.host, self.port)

    async def stop(self, grace: float) -> None:
        """Health NOT_SERVING, refuse new calls, give the calls in flight ``grace`` seconds to
        finish, then cancel what is left."""
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace)


def check_startup(config: ServerConfig) -> None:
    """Check what would keep a server for ``config`` from starting, before gRPC tries (and logs
    its own errors): the TLS files must be readable and hold a certificate and a matching key, and
    the address must resolve and be free to bind.

    Raises :class:`OSError` with a message that names the problem.
    """
    if config.tls:
        _server_credentials(config)
    _probe_address(config.host, config.port, reuse_port=config.reuse_port)


async def start(config: ServerConfig) -> StartedServer:
    """Start a server for ``config`` on the running event loop.

    Raises :class:`OSError` when the address cannot be bound, and for unreadable TLS files (see
    :func:`check_startup`).
    """
    check_startup(config)
    credentials = _server_credentials(config) if config.tls else None
    interceptors: list[grpc.aio.ServerInterceptor] = []
    observer: Observer | None = None
    if config.metrics:  # first, so that calls the token check refuses are counted too
        from bridge.service.metrics import EventCounter, MetricsInterceptor

        interceptors.append(MetricsInterceptor())
        observer = EventCounter()
    if config.token is not None:
        interceptors.append(BearerTokenInterceptor(config.token.strip()))
    server = grpc.aio.server(interceptors=interceptors, options=config.grpc_options())
    health = HealthServicer([SERVICE_NAME])
    add_to_server(BridgeServicer(max_message_bytes=config.max_message_bytes, observer=observer), server)
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    add_reflection((SERVICE_NAME, HEALTH_SERVICE), server)
    address = format_address(config.host, config.port)
    try:
        port = server.add_secure_port(address, credentials) if credentials is not None else server.add_insecure_port(address)
    except RuntimeError as error:  # grpc raises RuntimeError("Failed to bind to address ...")
        raise OSError(f"cannot listen on {address}: {error}") from None
    if not port:
        raise OSError(f"cannot listen on {address}")
    await server.start()
    if config.token is not None and not config.tls and not _is_loopback(config.host):
        _log.warning("token auth without TLS: bearer tokens cross the network in clear text")
    started = StartedServer(server, health, config.host, port)
    _log.info(
        "listening on %s (pid %d, tls %s, token auth %s)",
        started.address,
        os.getpid(),
        "mutual" if config.tls_client_ca else "on" if config.tls else "off",
        "on" if config.token is not None else "off",
    )
    return started


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


def format_address(host: str, port: int) -> str:
    """``host:port``, bracketing an IPv6 host."""
    if ":" in host and not host.startswith("["):
        return f"[{host}]:{port}"
    return f"{host}:{port}"


async def _cancel_pending() -> None:
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.get_running_loop().shutdown_asyncgens()


def add_reflection(service_names: tuple[str, ...], server: grpc.aio.Server) -> None:
    """Serve ``grpc.reflection.v1`` and ``grpc.reflection.v1alpha`` on ``server``, listing
    ``service_names`` and both reflection services.

    grpcio-reflection (1.85) implements only v1alpha. v1 is the same protocol under a new package:
    every message and field is the same, number for number, so the one servicer answers both, its
    messages serialized as they are. The v1 file is added to the default descriptor pool (derived
    from v1alpha's, renamed), so that a client can also describe the v1 service itself.
    """
    _register_reflection_v1_file()
    servicer = reflection.aio.ReflectionServicer((*service_names, *REFLECTION_SERVICES))
    method = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
    )
    # What reflection_pb2_grpc.add_ServerReflectionServicer_to_server registers, under both names.
    server.add_generic_rpc_handlers(
        tuple(grpc.method_handlers_generic_handler(name, {"ServerReflectionInfo": method}) for name in REFLECTION_SERVICES)
    )


def _register_reflection_v1_file() -> None:
    pool = descriptor_pool.Default()
    try:
        pool.FindFileByName(_REFLECTION_V1_FILE)
        return  # already there (a second server in this process, or a grpcio-reflection that has it)
    except KeyError:
        pass
    v1 = descriptor_pb2.FileDescriptorProto()
    reflection_pb2.DESCRIPTOR.CopyToProto(v1)
    alpha = f".{v1.package}."
    v1.name = _REFLECTION_V1_FILE
    v1.package = "grpc.reflection.v1"
    v1.options.java_package = "io.grpc.reflection.v1"
    v1.options.go_package = "google.golang.org/grpc/reflection/grpc_reflection_v1"
    for message in v1.message_type:
        for field in message.field:
            if field.HasField("type_name"):
                field.type_name = field.type_name.replace(alpha, ".grpc.reflection.v1.")
    for service in v1.service:
        for method in service.method:
            method.input_type = method.input_type.replace(alpha, ".grpc.reflection.v1.")
            method.output_type = method.output_type.replace(alpha, ".grpc.reflection.v1.")
    pool.Add(v1)


def _server_credentials(config: ServerConfig) -> grpc.ServerCredentials:
    assert config.tls_cert is not None and config.tls_key is not None
    cert = _read(config.tls_cert, "TLS certificate")
    key = _read(config.tls_key, "TLS key")
    client_ca = _read(config.tls_client_ca, "client CA file") if config.tls_client_ca else None
    # gRPC reports bad PEM data only as "failed to bind": check it here, where it can be named.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(config.tls_cert, config.tls_key, password=_no_password)
    except (ssl.SSLError, ValueError) as error:
        raise OSError(
            f"cannot use the TLS certificate {config.tls_cert!r} with the key {config.tls_key!r}: "
            f"{_ssl_reason(error)} (it needs PEM files: a certificate chain and its unencrypted private key)"
        ) from None
    if client_ca is not None:
        try:
            context.load_verify_locations(cadata=client_ca.decode("ascii", "replace"))
        except (ssl.SSLError, ValueError) as error:
            raise OSError(f"cannot use the client CA file {config.tls_client_ca!r}: {_ssl_reason(error)}") from None
    return grpc.ssl_server_credentials(
        [(key, cert)],
        root_certificates=client_ca,
        require_client_auth=client_ca is not None,
    )


def _read(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise OSError(f"cannot read the {what} {path!r}: {error.strerror or error}") from None


def _no_password() -> bytes:
    return b""  # an encrypted key fails to load rather than prompting on the terminal


def _ssl_reason(error: Exception) -> str:
    reason = getattr(error, "reason", None)
    return str(reason).replace("_", " ").lower() if reason else "not PEM data it can read"


def _probe_address(host: str, port: int, *, reuse_port: bool) -> None:
    """Resolve ``host`` and bind (and close) a socket on ``port`` as gRPC would; raise
    :class:`OSError` naming the address if no address of ``host`` can be bound."""
    address = format_address(host, port)
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise OSError(f"cannot listen on {address}: not an address of this host ({reason})") from None
    failures: list[OSError] = []
    for family, kind, proto, _, sockaddr in infos:
        try:
            with socket.socket(family, kind, proto) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gRPC does
                if reuse_port:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                sock.bind(sockaddr)
        except OSError as error:
            failures.append(error)
            continue
        return  # gRPC listens if it can bind any of the addresses
    reason = failures[0].strerror if failures else "the host has no address"
    raise OSError(f"cannot listen on {address}: {reason}")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))
