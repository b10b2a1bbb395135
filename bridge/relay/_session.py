"""One session: the caller's gRPC stream on one side, the upstream WebSocket on the other.

Three loops and one bounded FIFO:

- the *uplink* task reads the caller's requests, converts each client event with
  :func:`bridge.binary_to_json` and awaits its ``send`` upstream (a client event that will not
  convert is answered with ``rejected``, in order with the events, and the session goes on);
- the *downlink* task reads upstream frames, converts each with tolerant :func:`bridge.json_to_binary`
  and puts the bytes in the :class:`_Outbox`, bounded by events and bytes. While it is full the task
  stops calling ``recv()``, websockets stops reading the socket, and TCP slows the upstream: a slow
  caller never grows the relay's memory;
- the handler itself is the *writer*: it writes everything already waiting to the caller in one
  message (it never waits to fill a batch), so gRPC flow control applies to it.

A watchdog ends the session on the relay's limits (duration, idle, a write blocked past the lag
limit). Every ending is one :class:`~bridge.relay._outcomes.Ending`; the first one wins, and
:data:`~bridge.relay._outcomes.ENDINGS` says what follows from it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
from collections import deque
from collections.abc import AsyncIterator, Coroutine
from typing import TYPE_CHECKING, Any, Final

import grpc
import websockets
from websockets.asyncio.client import ClientConnection

from bridge.convert import binary_to_json, json_to_binary
from bridge.errors import ValidationError
from bridge.relay import wire
from bridge.relay._outcomes import ENDINGS, Ending, ending_of_close
from bridge.relay._upstream import UpstreamError
from bridge.service.errors import conversion_error
from bridge.v1.session_service_pb2 import SessionEnded, SessionOpen

if TYPE_CHECKING:
    from bridge.relay.recorder import Recording
    from bridge.relay.servicer import SessionMeter, SessionServicer

__all__ = ["Session"]

_log = logging.getLogger("bridge.relay")

#: A batch of server events stops growing at this many events or bytes (and at the largest message).
_BATCH_EVENTS: Final = 64
_BATCH_BYTES: Final = 256 * 1024
#: Endings of the caller's side: nothing more can be written to it, not even ``ended``.
_CALLER_GONE: Final = frozenset({Ending.CALLER_CANCELLED, Ending.CALLER_TOO_SLOW})
#: What the relay's close frame to the upstream says, by who ended the session.
_GOING_AWAY: Final = frozenset({Ending.CALLER_CANCELLED, Ending.CALLER_TOO_SLOW, Ending.DRAINED})
#: grpc reports a caller's cancel as the end of its requests first, and as the cancellation of the
#: handler a moment later; the relay gives it this long to land before it reads the end of the
#: requests as a half-close (and closes the upstream with 1000 rather than 1001).
_HALF_CLOSE_SETTLE: Final = 0.02
#: The room ``ConnectResponse.events`` needs around its events.
_ENVELOPE: Final = 16


class _Outbox:
    """The server events waiting for the caller (protobuf bytes), and the ``rejected`` answers in
    their place in the order: a FIFO bounded by events and by bytes. One producer, one consumer."""

    def __init__(self, max_events: int, max_bytes: int) -> None:
        # (bytes, framed, received): an event (with the loop time it was received), or a whole response
        self._items: deque[tuple[bytes, bool, float]] = deque()
        self._bytes = 0
        self._max_events, self._max_bytes = max_events, max_bytes
        self._room = asyncio.Event()
        self.changed = asyncio.Event()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def events(self) -> int:
        return sum(1 for _, framed, _ in self._items if not framed)

    async def put(self, data: bytes, framed: bool = False, received: float = 0.0) -> None:
        """Queue ``data``, after waiting while the outbox is full (admitted while under both
        bounds, so it holds at most the bounds plus one item)."""
        while len(self._items) >= self._max_events or self._bytes >= self._max_bytes:
            self._room.clear()
            await self._room.wait()
        self._items.append((data, framed, received))
        self._bytes += len(data)
        self.changed.set()

    def take(self, max_bytes: int) -> tuple[bytes, list[float]] | None:
        """The next response to write and when each event in it was received: a framed item, or
        every event waiting (up to the batch bounds and ``max_bytes``) as one ``events`` message;
        ``None`` when nothing waits."""
        items = self._items
        if not items:
            return None
        data, framed, received = items.popleft()
        if framed:
            self._took(len(data))
            return data, []
        batch, times, size = [data], [received], wire.events_size(data)
        while items and len(batch) < _BATCH_EVENTS and not items[0][1]:
            grown = size + wire.events_size(items[0][0])
            if grown > _BATCH_BYTES or grown > max_bytes:
                break
            data, _, received = items.popleft()
            batch.append(data)
            times.append(received)
            size = grown
        self._took(sum(map(len, batch)))
        return wire.events(batch), times

    def _took(self, size: int) -> None:
        self._bytes -= size
        self._room.set()


class Session:
    """One ``Connect`` call, from its first request to its last response."""

    def __init__(
        self, relay: SessionServicer, context: grpc.aio.ServicerContext[Any, Any], meter: SessionMeter | None = None
    ) -> None:
        self.relay = relay
        self.context = context
        #: Where the session's events are counted (``None``: metrics are off).
        self._meter = meter
        self.id = secrets.token_hex(8)
        config = relay.config
        self._config = config
        self._loop = asyncio.get_running_loop()
        self._outbox = _Outbox(config.buffer_events, config.buffer_bytes)
        self._ws: ClientConnection | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._handler = asyncio.current_task()
        self._watch: asyncio.Task[None] | None = None
        self._ending: Ending | None = None
        self._ended = SessionEnded()
        self._caller_closed = self._caller_slow = self._upstream_stopped = False
        self._started = self._last_activity = self._loop.time()
        self._writing_since: float | None = None
        self._sending_since: float | None = None
        self._sequence = 0
        self._recording: Recording | None = None

    @property
    def ending(self) -> Ending | None:
        return self._ending

    # The ending -----------------------------------------------------------------------------------

    def end(self, ending: Ending, reason: str, *, close_code: int | None = None, close_reason: str = "",
            http_status: int | None = None) -> None:
        """End the session (the first ending wins; later ones are ignored)."""
        if self._ending is not None:
            return
        self._ending = ending
        ended = self._ended
        row = ENDINGS[ending]
        ended.outcome, ended.code, ended.reason = row.outcome, row.code.value[0], reason
        if close_code is not None:
            ended.upstream_close_code, ended.upstream_close_reason = close_code, close_reason
        if http_status is not None:
            ended.upstream_http_status = http_status
        self._outbox.changed.set()
        self._stop_upstream()

    def _stop_upstream(self) -> None:
        """Stop reading and writing the upstream and close it (if the upstream has not already),
        in the background: 1001 when the session goes away, 1003 after a frame that was not an
        event, else 1000."""
        if self._upstream_stopped or self._ending is None:
            return
        self._upstream_stopped = True
        for task in self._tasks:
            task.cancel()
        if self._ws is not None:
            ending = self._ending
            code = 1001 if ending in _GOING_AWAY else 1003 if ending is Ending.NOT_AN_EVENT else 1000
            self.relay.spawn(self._ws.close(code))

    def _failed(self) -> None:
        """A failure of the relay itself (called from an ``except`` block): logged under a request
        id, which is all the caller is told."""
        request_id = secrets.token_hex(8)
        _log.exception("session %s failed (request id %s)", self.id, request_id)
        self.end(Ending.INTERNAL, f"internal error (request id {request_id})")

    async def _guarded(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """Run one of the session's tasks; a failure ends the session (INTERNAL), never silently."""
        try:
            await coroutine
        except Exception:  # noqa: BLE001 - see _failed
            self._failed()

    def _too_slow(self) -> None:
        """A write to the caller stayed blocked past the lag limit: give up on the caller (the
        write will not complete; cancelling the handler is the only way out of it)."""
        self._caller_slow = True
        self.end(Ending.CALLER_TOO_SLOW, f"a write to the caller was blocked for {self._config.max_lag:g}s")
        if self._handler is not None:
            self._handler.cancel()

    # The handler ----------------------------------------------------------------------------------

    async def run(self, requests: AsyncIterator[wire.Request]) -> None:
        """Serve the call: open, relay, end; the call's status is the ending's."""
        self._watch = asyncio.create_task(self._watchdog())
        try:
            await self._run(requests)
        except asyncio.CancelledError:
            if not self._caller_slow:
                self.end(Ending.CALLER_CANCELLED, "the caller cancelled the call")
                raise
            # The watchdog cancelled a blocked write: the call ends with the session's status.
        except Exception:  # noqa: BLE001 - logged with a request id the caller is given (INTERNAL)
            self._failed()
        finally:
            self._watch.cancel()
            if self._ending is None:  # pragma: no cover - every path above ends the session
                self.end(Ending.INTERNAL, "the session stopped without an ending")
            self._stop_upstream()
            if self._recording is not None:
                self._recording.close()
            self._ended.server_events_undelivered = self._outbox.events
            self.relay.finished(self, self._ended)
        assert self._ending is not None
        row = ENDINGS[self._ending]
        self.context.set_code(row.code)
        self.context.set_details(self._ended.reason)

    async def _run(self, requests: AsyncIterator[wire.Request]) -> None:
        opened = await self._open(requests)
        if opened is None:
            await self._finish()
            return
        open_request, credential = opened
        started = self._loop.time()
        try:
            self._ws = ws = await self.relay.upstream.connect(open_request, credential)
        except UpstreamError as error:
            self.end(error.ending, error.reason, http_status=error.http_status)
            await self._finish()
            return
        self.relay.connected(self, self._loop.time() - started)
        self._recording = self.relay.recording(self, self._ended)
        request_id = ws.response.headers.get("x-request-id", "") if ws.response is not None else ""
        await self._write(wire.connected(self.id, request_id))
        self._tasks = [
            asyncio.create_task(self._guarded(self._uplink(requests, ws, open_request.strict))),
            asyncio.create_task(self._guarded(self._downlink(ws))),
        ]
        await self._finish()

    async def _open(self, requests: AsyncIterator[wire.Request]) -> tuple[SessionOpen, str] | None:
        """The session's ``open`` and upstream credential, or ``None`` once it has ended."""
        refusal = self.relay.admission()
        if refusal is not None:
            self.end(*refusal)
            return None
        credential, problem = self.relay.credential(self.context)
        if problem is not None:
            self.end(*problem)
            return None
        try:
            first = await asyncio.wait_for(anext(requests), self._config.open_timeout)
        except StopAsyncIteration:
            self.end(Ending.INVALID_REQUEST, "the stream ended before its open request")
            return None
        except TimeoutError:
            self.end(Ending.INVALID_REQUEST, f"no open request within {self._config.open_timeout:g}s")
            return None
        if first.malformed is not None or first.open is None:
            self.end(Ending.INVALID_REQUEST, first.malformed or "the first request must be open")
            return None
        problem_text = self.relay.upstream.query_problem(first.open)
        if problem_text is not None:
            self.end(Ending.INVALID_REQUEST, problem_text)
            return None
        assert credential is not None
        return first.open, credential

    # The writer -----------------------------------------------------------------------------------

    async def _finish(self) -> None:
        """Write what the upstream sent until the session ends; then, unless the caller is gone,
        what was still queued (when the ending delivers it) and ``ended``."""
        outbox, changed = self._outbox, self._outbox.changed
        limit = self.relay.max_message_bytes - _ENVELOPE
        while True:
            ending = self._ending
            if ending is not None and (ending in _CALLER_GONE or not ENDINGS[ending].delivers):
                break
            taken = outbox.take(limit)
            if taken is None:
                if ending is not None:
                    break
                changed.clear()
                await changed.wait()
                continue
            frame, received = taken
            await self._write(frame)
            self._ended.server_events_delivered += len(received)
            if self._meter is not None and received:
                now = self._loop.time()
                for time in received:
                    self._meter.added_latency("server", now - time)
        if self._ending not in _CALLER_GONE:
            self._ended.server_events_undelivered = outbox.events
            await self._write(wire.ended(self._ended))

    async def _write(self, frame: bytes) -> None:
        self._writing_since = self._loop.time()
        await self.context.write(frame)
        self._writing_since = None

    # The upstream ---------------------------------------------------------------------------------

    async def _uplink(self, requests: AsyncIterator[wire.Request], ws: ClientConnection, strict: bool) -> None:
        ended, recording, meter, loop = self._ended, self._recording, self._meter, self._loop
        try:
            async for request in requests:
                if request.malformed is not None or request.open is not None:
                    self.end(Ending.INVALID_REQUEST, request.malformed or "open is the first request only")
                    return
                for payload in request.events:
                    sequence, self._sequence = self._sequence, self._sequence + 1
                    read = loop.time()
                    try:
                        text = binary_to_json(payload, kind="client_event", strict=strict)
                    except ValidationError as error:
                        ended.client_events_rejected += 1
                        await self._outbox.put(wire.rejected(sequence, conversion_error(error)), framed=True)
                        continue
                    if recording is not None:  # (before the send: a reply is recorded after it)
                        recording.client(payload)
                    self._last_activity = self._sending_since = loop.time()
                    await ws.send(text, text=True)
                    self._sending_since = None
                    ended.client_events_sent += 1
                    if meter is not None:
                        meter.client_event(payload)
                        meter.added_latency("client", loop.time() - read)
        except websockets.ConnectionClosed:
            return  # the downlink classifies the close
        await asyncio.sleep(_HALF_CLOSE_SETTLE)
        if self.context.cancelled():
            self.end(Ending.CALLER_CANCELLED, "the caller cancelled the call")
            return
        self._caller_closed = True
        await ws.close(1000)

    async def _downlink(self, ws: ClientConnection) -> None:
        outbox, limit = self._outbox, self.relay.max_message_bytes - _ENVELOPE - 16
        recording, meter = self._recording, self._meter
        try:
            while True:
                frame = await ws.recv()
                self._last_activity = arrived = self._loop.time()
                if isinstance(frame, bytes):
                    self.end(Ending.NOT_AN_EVENT, "the upstream sent a binary frame")
                    return
                try:
                    payload = json_to_binary(frame, kind="event")
                except ValidationError as error:
                    self.end(Ending.NOT_AN_EVENT, f"the upstream sent a frame that is not a Realtime event: {error}")
                    return
                if len(payload) > limit:
                    self.end(Ending.EVENT_TOO_BIG, f"an upstream event is {len(payload)} bytes as protobuf, over the message limit")
                    return
                if meter is not None:
                    meter.server_event(payload)
                if recording is not None:
                    recording.server(payload)
                await outbox.put(payload, False, arrived)
        except websockets.ConnectionClosed as closed:
            received = closed.rcvd.code if closed.rcvd is not None else None
            sent = closed.sent.code if closed.sent is not None else None
            if self._caller_closed and received in (1000, 1001, None) and sent == 1000:
                self.end(Ending.CALLER_CLOSED, "the caller closed the session")
                return
            ending = ending_of_close(received, sent, closed.rcvd_then_sent)
            close = closed.rcvd if closed.rcvd is not None else closed.sent
            self.end(ending, _close_text(received, sent, close.reason if close is not None else ""),
                     close_code=received if received is not None else (sent or 1006),
                     close_reason=closed.rcvd.reason if closed.rcvd is not None else "")

    # Limits ---------------------------------------------------------------------------------------

    async def _watchdog(self) -> None:
        """End the session at its duration limit, when idle, or when a send upstream stays blocked
        past the lag limit; give up on the caller when a write to it does, even while what was
        queued is delivered after the session ended."""
        config = self._config
        deadline = self._started + config.max_session_duration
        idle = config.idle_timeout or math.inf
        tick = max(0.01, min(config.max_lag, idle, config.max_session_duration) / 4)
        while True:
            now = self._loop.time()
            if self._writing_since is not None and now - self._writing_since >= config.max_lag:
                self._too_slow()
                return
            if self._ending is not None or self._ws is None:
                pass  # only the writes are watched before the upstream is open, and after the end
            elif self._sending_since is not None and now - self._sending_since >= config.max_lag:
                self.end(Ending.UPSTREAM_STALLED, f"a send to the upstream was blocked for {config.max_lag:g}s")
            elif now >= deadline:
                self.end(Ending.DURATION_LIMIT, f"the session reached the {config.max_session_duration:g}s limit")
            elif now - self._last_activity >= idle:
                self.end(Ending.IDLE, f"no event either way for {config.idle_timeout:g}s")
            await asyncio.sleep(tick)


def _close_text(received: int | None, sent: int | None, reason: str) -> str:
    if received is not None:
        return f"the upstream closed the session with {received}" + (f" ({reason})" if reason else "")
    if sent is not None:
        return f"the relay closed the upstream with {sent}" + (f" ({reason})" if reason else "")
    return "the upstream connection broke without a close frame"

