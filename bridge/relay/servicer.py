"""``realtime.bridge.v1.SessionService`` for grpc.aio servers: the ``Connect`` handler, the
sessions open in this process (their limit, and the drain at shutdown), and the registration
beside ``BridgeService`` (:func:`add_to_server`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, Protocol

import grpc

from bridge.relay import wire
from bridge.relay._config import CALLER_CREDENTIAL_HEADER, RelayConfig
from bridge.relay._outcomes import Ending
from bridge.relay._session import Session
from bridge.relay._upstream import Upstream
from bridge.relay.recorder import Recorder, Recording
from bridge.service._rpcs import SESSION_RPCS, SESSION_SERVICE_NAME, Rpc
from bridge.v1.session_service_pb2 import SessionEnded

__all__ = ["SERVICE_NAME", "SessionMeter", "SessionObserver", "SessionServicer", "add_to_server"]

SERVICE_NAME = SESSION_SERVICE_NAME
_log = logging.getLogger("bridge.relay")
#: At the end of a drain, the time left to the sessions still open to end and say so.
_DRAIN_MARGIN = 5.0


class SessionMeter(Protocol):
    """What metrics see of one session's events (:class:`bridge.relay.metrics.SessionMeter`):
    called on the event loop, from bytes in hand; must not block."""

    def client_event(self, payload: bytes) -> None: ...
    def server_event(self, payload: bytes) -> None: ...
    def added_latency(self, direction: str, seconds: float) -> None: ...


class SessionObserver(Protocol):
    """What metrics see of the sessions (:class:`bridge.relay.metrics.SessionMetrics`): called on
    the event loop, except :meth:`records_failed`; must not block."""

    def session_started(self) -> SessionMeter:
        """A session began; its events go to the meter returned."""

    def session_connected(self, seconds: float) -> None: ...
    def session_ended(self, ended: SessionEnded) -> None: ...
    def records_failed(self, count: int) -> None:
        """``count`` records were lost to a disk error (called from the recorder's writer thread)."""


class SessionServicer:
    """The relay: one :class:`~bridge.relay._session.Session` per ``Connect`` call."""

    def __init__(self, config: RelayConfig, *, max_message_bytes: int, observer: SessionObserver | None = None) -> None:
        self.config = config
        self.upstream = Upstream(config)
        self.max_message_bytes = max_message_bytes
        self.observer = observer
        #: The writer of ``--record``'s session logs (``None``: sessions are not recorded).
        self.recorder: Recorder | None = None
        if config.record_dir is not None:
            failed = observer.records_failed if observer is not None else None
            self.recorder = Recorder(config.record_dir, config.record_queue, failed=failed)
        self.sessions: set[Session] = set()
        self._background: set[asyncio.Task[None]] = set()
        self._draining = False

    # What grpc calls --------------------------------------------------------------------------------

    def handler(self, rpc: Rpc) -> Callable[[AsyncIterator[wire.Request], grpc.aio.ServicerContext[Any, Any]], Coroutine[Any, Any, None]]:
        """The handler of ``rpc`` (``Connect``, the service's one method)."""
        return self.connect

    def reader(self, rpc: Rpc) -> Callable[[bytes], wire.Request]:
        """How a request message of ``rpc`` is read (never raises; see :func:`wire.read_request`)."""
        return wire.read_request

    async def connect(self, requests: AsyncIterator[wire.Request], context: grpc.aio.ServicerContext[Any, Any]) -> None:
        """One session, from its ``open`` to its ``ended`` (see session_service.proto)."""
        meter = self.observer.session_started() if self.observer is not None else None
        session = Session(self, context, meter)
        self.sessions.add(session)
        await session.run(requests)

    # What sessions call -------------------------------------------------------------------------------

    def admission(self) -> tuple[Ending, str] | None:
        """Why a new session is refused now, or ``None``."""
        if self._draining:
            return Ending.DRAINING, "the relay is shutting down: open the session again (elsewhere)"
        if len(self.sessions) > self.config.max_sessions:
            return Ending.SESSION_LIMIT, f"this relay process has {self.config.max_sessions} sessions open, its limit"
        return None

    def credential(self, context: grpc.aio.ServicerContext[Any, Any]) -> tuple[str | None, tuple[Ending, str] | None]:
        """The session's upstream credential, or why there is none."""
        sent = next((value for name, value in context.invocation_metadata() or () if name == CALLER_CREDENTIAL_HEADER), None)
        if sent is not None:
            if not self.config.allow_caller_credential:
                return None, (Ending.CREDENTIAL_NOT_ALLOWED, f"this relay does not take {CALLER_CREDENTIAL_HEADER} credentials")
            value = sent if isinstance(sent, str) else sent.decode("utf-8", "replace")
            if value.strip() and value.isprintable():
                return value.strip(), None
            return None, (Ending.CREDENTIAL_NOT_ALLOWED, f"the {CALLER_CREDENTIAL_HEADER} credential is empty or unprintable")
        if self.config.key is None:
            return None, (Ending.NO_CREDENTIAL, f"no upstream credential: this relay needs callers to send {CALLER_CREDENTIAL_HEADER}")
        return self.config.key, None

    def connected(self, session: Session, seconds: float) -> None:
        _log.info("session %s: upstream connected in %.3fs", session.id, seconds)
        if self.observer is not None:
            self.observer.session_connected(seconds)

    def recording(self, session: Session, ended: SessionEnded) -> Recording | None:
        """The recording of a session that has just connected, or ``None`` without ``--record``."""
        return None if self.recorder is None else self.recorder.open(session.id, ended)

    def finished(self, session: Session, ended: SessionEnded) -> None:
        self.sessions.discard(session)
        _log.info(
            "session %s ended: %s (%s); %d client events sent, %d server events delivered, %d undelivered",
            session.id, session.ending.name if session.ending else "?", ended.reason, ended.client_events_sent,
            ended.server_events_delivered, ended.server_events_undelivered,
        )
        if self.observer is not None:
            self.observer.session_ended(ended)

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """Run ``coroutine`` (closing an upstream socket) to its end, whatever happens to the
        session that started it."""
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # Shutdown -----------------------------------------------------------------------------------------

    async def drain(self, grace: float) -> None:
        """Refuse new sessions from now on; let the open ones go on for ``grace`` seconds less a
        margin (at most 5 s, or half the grace) and end those still open then (``DRAINED``: each
        closes its upstream with 1001, delivers what it had queued and says so); return when all
        have ended, their upstream sockets closed."""
        self._draining = True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, grace - min(_DRAIN_MARGIN, grace / 2))
        while self.sessions and loop.time() < deadline:
            await asyncio.sleep(min(0.05, max(0.0, deadline - loop.time())))
        for session in list(self.sessions):
            session.end(Ending.DRAINED, "the relay shut down: open the session again (elsewhere)")
        while self.sessions:
            await asyncio.sleep(0.01)
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
        if self.recorder is not None:
            await asyncio.to_thread(self.recorder.close)


def add_to_server(servicer: SessionServicer, server: grpc.aio.Server) -> None:
    """Register ``servicer`` for ``SessionService``: requests read by :func:`wire.read_request`,
    responses written as the bytes the session frames."""
    handlers: dict[str, grpc.RpcMethodHandler[Any, Any]] = {
        rpc.name: grpc.stream_stream_rpc_method_handler(
            servicer.handler(rpc), request_deserializer=servicer.reader(rpc), response_serializer=None
        )
        for rpc in SESSION_RPCS
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE_NAME, handlers),))
    server.add_registered_method_handlers(SERVICE_NAME, handlers)
