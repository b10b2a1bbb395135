"""The server's configuration: :class:`ServerConfig`, every setting of ``rtbridge serve`` in one
frozen value that checks itself, and the gRPC channel arguments it makes."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bridge.relay._config import RelayConfig

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "MAX_METADATA_BYTES", "ServerConfig"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 50051
_MIB = 1024 * 1024
#: The largest header block (metadata) a call may send; see :meth:`ServerConfig.grpc_options`.
MAX_METADATA_BYTES = 16 * 1024


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
    #: Streams (calls) one connection may have open at once (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS).
    #: Streams beyond it are refused (REFUSED_STREAM, which clients retry), and gRPC counts a stream
    #: until the server has freed it, so a client that opens and resets streams (rapid reset) cannot
    #: make the server hold more than this many per connection. Keep it above the calls and
    #: sessions one client multiplexes over a connection, or the client queues the extra ones.
    max_concurrent_streams: int = 256
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
    #: Serve ``SessionService`` too, relaying sessions to this upstream (``rtbridge serve --upstream``).
    relay: RelayConfig | None = None

    @classmethod
    def from_dict(cls, fields: dict[str, Any]) -> ServerConfig:
        """The configuration ``dataclasses.asdict`` made ``fields`` of (how ``--workers`` processes
        receive it)."""
        relay = fields.get("relay")
        if relay is not None:
            from bridge.relay._config import RelayConfig

            relay = RelayConfig(**{**relay, "headers": tuple(map(tuple, relay["headers"]))})
        return cls(**{**fields, "relay": relay})

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
        if self.max_concurrent_streams < 1:
            problems.append(f"max concurrent streams must be at least 1, not {self.max_concurrent_streams}")
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
            ("grpc.max_concurrent_streams", self.max_concurrent_streams),
            # Fixed: gRPC's own default hard limit, with the soft limit (above which gRPC refuses
            # calls at random) raised to it, so a header block up to 16 KiB is always accepted and
            # a bigger one always refused. Stated here so that the bound is this project's, not
            # whatever a later grpcio defaults to; tokens and the few headers the bridge reads
            # need far less.
            ("grpc.max_metadata_size", MAX_METADATA_BYTES),
            ("grpc.absolute_max_metadata_size", MAX_METADATA_BYTES),
        ]


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))
