"""The relay's configuration: :class:`RelayConfig`, every setting of ``rtbridge serve --upstream`` in
one frozen value that checks itself. Durations are in seconds, sizes in bytes."""

from __future__ import annotations

import dataclasses
import urllib.parse
from typing import Literal

__all__ = ["CALLER_CREDENTIAL_HEADER", "RelayConfig"]

_MIB = 1024 * 1024
#: The gRPC metadata key a caller's own upstream credential (an ephemeral client secret) comes in,
#: when the operator allows it (``authorization`` is the bridge's own bearer token).
CALLER_CREDENTIAL_HEADER = "x-realtime-credential"
#: Headers the relay sets itself, or that would turn the session into the refused beta shape.
_RESERVED_HEADERS = frozenset({"authorization", "api-key", "openai-beta", "host", "connection", "upgrade"})


@dataclasses.dataclass(frozen=True)
class RelayConfig:
    """Where the upstream is, how to authenticate to it, and the limits of each session."""

    #: The upstream Realtime endpoint, chosen by the operator only (``wss://api.openai.com/v1/realtime``;
    #: Azure: ``wss://RESOURCE.openai.azure.com/openai/v1/realtime``). Its query is kept.
    upstream: str
    #: The operator's upstream credential (``OPENAI_API_KEY``); ``None``: callers must send their own.
    key: str | None = dataclasses.field(default=None, repr=False)
    #: How the credential is sent: ``Authorization: Bearer KEY``, or Azure's ``api-key: KEY``.
    auth: Literal["bearer", "api-key"] = "bearer"
    #: More upstream handshake headers, (name, value) pairs; values are never logged.
    headers: tuple[tuple[str, str], ...] = dataclasses.field(default=(), repr=False)
    #: A PEM bundle of CAs to verify the upstream with, instead of the system store. Verification
    #: itself cannot be turned off.
    ca_file: str | None = None
    #: Callers may send their own credential in ``x-realtime-credential`` metadata.
    allow_caller_credential: bool = False
    #: Sessions open at once in this process; more are refused (RESOURCE_EXHAUSTED).
    max_sessions: int = 100
    #: A session longer than this ends (upstream's own limit, 60 minutes, normally comes first).
    max_session_duration: float = 3900.0
    #: A session with no event either way for this long ends; 0 turns the limit off.
    idle_timeout: float = 300.0
    #: The largest upstream frame (websockets' ``max_size``).
    max_event_bytes: int = 4 * _MIB
    #: The server events converted and waiting for the caller, per session, at most (by count and
    #: by bytes); while full, the relay stops reading the upstream socket.
    buffer_events: int = 256
    buffer_bytes: int = 4 * _MIB
    #: A write to the caller, or to the upstream, blocked this long ends the session.
    max_lag: float = 5.0
    #: The upstream handshake must complete within this; pings every interval, answered within timeout.
    open_timeout: float = 10.0
    ping_interval: float = 20.0
    ping_timeout: float = 20.0
    #: Write each session, both directions with timestamps, as a session log in this folder.
    record_dir: str | None = None
    #: Records waiting for the recorder's disk writes, at most; more are dropped and counted.
    record_queue: int = 10_000

    def __post_init__(self) -> None:
        problems = []
        url = urllib.parse.urlsplit(self.upstream)
        if url.scheme not in ("ws", "wss") or not url.hostname:
            problems.append(f"the upstream must be a ws:// or wss:// URL, not {self.upstream!r}")
        if url.username or url.password:
            problems.append("the upstream URL must not hold credentials (use the key options)")
        if self.auth not in ("bearer", "api-key"):
            problems.append(f"upstream auth must be 'bearer' or 'api-key', not {self.auth!r}")
        if self.key is not None and (not self.key.strip() or not self.key.isprintable()):
            problems.append("the upstream key must be printable and not empty")
        for name, value in self.headers:
            if name.lower() in _RESERVED_HEADERS:
                problems.append(f"the upstream header {name!r} is not allowed (the relay sets it, or it asks for the beta protocol)")
            if not name or not value.isprintable():
                problems.append(f"the upstream header {name!r} needs a name and a printable value")
        for name in ("max_sessions", "buffer_events", "buffer_bytes", "max_event_bytes", "record_queue"):
            if getattr(self, name) < 1:
                problems.append(f"{name.replace('_', ' ')} must be at least 1")
        for name in ("max_session_duration", "max_lag", "open_timeout", "ping_interval", "ping_timeout"):
            if getattr(self, name) <= 0:
                problems.append(f"{name.replace('_', ' ')} must be positive")
        if self.idle_timeout < 0:
            problems.append("the idle timeout must not be negative (0 turns it off)")
        if self.max_event_bytes > self.buffer_bytes:
            problems.append("the largest upstream event must fit in the session buffer")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def query(self) -> dict[str, str]:
        """The query the operator's URL already sets (a caller may not set these keys)."""
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.upstream).query))
