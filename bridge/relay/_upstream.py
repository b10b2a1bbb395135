"""The upstream side of a session: the URL and headers of the handshake, TLS, a logger that never
shows a credential, and :func:`connect`, which opens the WebSocket or raises :class:`UpstreamError`
naming the :class:`~bridge.relay._outcomes.Ending`."""

from __future__ import annotations

import logging
import ssl
import urllib.parse
from typing import Final

import websockets
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as _connect

from bridge.relay._config import RelayConfig
from bridge.relay._outcomes import Ending, ending_of_status
from bridge.v1.session_service_pb2 import SessionOpen

__all__ = ["LOGGER", "Upstream", "UpstreamError"]

#: The most characters of a query value a caller may choose (model, intent, call_id).
_MAX_QUERY_VALUE: Final = 256
_INTENTS: Final = ("", "realtime", "transcription")
#: Frames websockets queues before it stops reading the socket: the relay reads promptly unless its
#: own buffer is full, so a few frames are enough, and each may be up to ``max_event_bytes``.
_MAX_QUEUE: Final = 4
_REDACTED: Final = "[redacted]"


class UpstreamError(Exception):
    """The upstream could not be opened: :attr:`ending` says how the session ends."""

    def __init__(self, ending: Ending, reason: str, http_status: int | None = None) -> None:
        super().__init__(reason)
        self.ending = ending
        self.reason = reason
        self.http_status = http_status


class _Redact(logging.Filter):
    """websockets logs every handshake header at DEBUG; credential values are replaced."""

    def __init__(self) -> None:
        super().__init__()
        self.names = {"authorization", "api-key"}

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 2 and str(args[0]).lower() in self.names:
            record.args = (args[0], _REDACTED)
        return True


#: The logger websockets writes the upstream connections' events to.
LOGGER: Final = logging.getLogger("bridge.relay.upstream")
_REDACT: Final = _Redact()
LOGGER.addFilter(_REDACT)


class Upstream:
    """How to reach the operator's upstream: made once per relay, so that opening a session does
    no setup beyond its own URL and headers."""

    def __init__(self, config: RelayConfig) -> None:
        self.config = config
        url = urllib.parse.urlsplit(config.upstream)
        self._url = url
        self._query = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        self._ssl = ssl.create_default_context(cafile=config.ca_file) if url.scheme == "wss" else None
        self._auth_header = "Authorization" if config.auth == "bearer" else "api-key"
        _REDACT.names.update(name.lower() for name, _ in config.headers)

    def query_problem(self, request: SessionOpen) -> str | None:
        """Why the query ``request`` asks for cannot be sent, or ``None``."""
        taken = {name for name, _ in self._query}
        for name in ("model", "intent", "call_id"):
            value = getattr(request, name)
            if not value:
                continue
            if name in taken:
                return f"open.{name}: the relay's upstream URL already sets {name}"
            if len(value) > _MAX_QUERY_VALUE or not value.isprintable():
                return f"open.{name}: must be printable and at most {_MAX_QUERY_VALUE} characters"
        if request.intent not in _INTENTS:
            return f"open.intent: must be 'realtime' or 'transcription', not {request.intent!r}"
        if not (request.model or request.call_id or request.intent == "transcription" or "model" in taken):
            return "open.model: required (unless call_id is set or intent is 'transcription')"
        return None

    def url(self, request: SessionOpen) -> str:
        """The upstream URL of a session: the operator's, with the caller's query added."""
        added = [(name, getattr(request, name)) for name in ("model", "intent", "call_id") if getattr(request, name)]
        query = urllib.parse.urlencode(self._query + added)
        return urllib.parse.urlunsplit(self._url._replace(query=query))

    async def connect(self, request: SessionOpen, credential: str) -> ClientConnection:
        """Open the session's WebSocket. Raises :class:`UpstreamError` (never with the credential
        in it) when the upstream refuses the handshake or cannot be reached."""
        config = self.config
        value = f"Bearer {credential}" if config.auth == "bearer" else credential
        try:
            return await _connect(
                self.url(request),
                additional_headers=[(self._auth_header, value), *config.headers],
                ssl=self._ssl,
                open_timeout=config.open_timeout,
                ping_interval=config.ping_interval,
                ping_timeout=config.ping_timeout,
                close_timeout=config.max_lag,
                max_size=config.max_event_bytes,
                max_queue=_MAX_QUEUE,
                # No permessage-deflate: one read of the socket then holds at most its own size in
                # frames (compressed, it could inflate to many max-size events past max_queue), and
                # the relay spends no CPU on zlib; the cost is bandwidth (base64 audio deflates ~25%).
                compression=None,
                logger=LOGGER,
                user_agent_header="rtbridge",
            )
        except websockets.InvalidStatus as error:
            status = error.response.status_code
            raise UpstreamError(ending_of_status(status), f"the upstream refused the session: HTTP {status}", status) from None
        except ssl.SSLError as error:
            raise UpstreamError(Ending.UNREACHABLE, f"TLS to the upstream failed: {error.reason or error}") from None
        except (OSError, TimeoutError, websockets.InvalidHandshake) as error:
            what = "no handshake within the open timeout" if isinstance(error, TimeoutError) else _describe(error)
            raise UpstreamError(Ending.UNREACHABLE, f"the upstream is unreachable: {what}") from None


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
