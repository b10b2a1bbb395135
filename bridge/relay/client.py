"""Clients of ``SessionService.Connect``: a Realtime session over gRPC, typed events both ways.

:class:`SessionClient` runs a session on a ``grpc.Channel`` (``BridgeClient.session`` makes one on
its own channel, with its token); :class:`AsyncSessionClient` on a ``grpc.aio.Channel``. Both send
``ClientEvent`` messages and iterate the ``ServerEvent`` messages the upstream sent, in order; the
session's ``connected``, its ``rejected`` client events and its ``ended`` are attributes. A session
ends with ``ended`` set (the relay says how, including failures) or, when the relay could not say so
(the call cancelled, the connection lost), with the :class:`grpc.RpcError` the iteration raises.
"""

from __future__ import annotations

import queue
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from typing import Any, Final

import grpc

from bridge.relay._config import CALLER_CREDENTIAL_HEADER
from bridge.service._rpcs import SESSION_RPCS
from bridge.v1.realtime_pb2 import ClientEvent, ServerEvent
from bridge.v1.service_pb2 import ClientEventBatch
from bridge.v1.session_service_pb2 import (
    ClientEventRejected,
    ConnectRequest,
    ConnectResponse,
    SessionConnected,
    SessionEnded,
    SessionOpen,
)

__all__ = ["AsyncSessionClient", "SessionClient"]

(_CONNECT,) = SESSION_RPCS
_PATH: Final = _CONNECT.path
_END: Final = object()


def _connect(channel: Any) -> Any:
    """``Connect`` on ``channel`` (a ``grpc.Channel`` or a ``grpc.aio.Channel``), messages in and out."""
    return channel.stream_stream(
        _PATH, request_serializer=ConnectRequest.SerializeToString, response_deserializer=ConnectResponse.FromString
    )


def _open_request(model: str, intent: str, call_id: str, strict: bool) -> ConnectRequest:
    return ConnectRequest(open=SessionOpen(model=model, intent=intent, call_id=call_id, strict=strict))


def _event_request(events: Sequence[ClientEvent]) -> ConnectRequest:
    if len(events) == 1:
        return ConnectRequest(event=events[0])
    return ConnectRequest(batch=ClientEventBatch(events=events))


def _metadata(metadata: Iterable[tuple[str, str]], credential: str | None) -> tuple[tuple[str, str | bytes], ...]:
    return (*metadata, *([(CALLER_CREDENTIAL_HEADER, credential)] if credential else []))


class _State:
    """What a session said besides its server events."""

    connected: SessionConnected | None = None
    ended: SessionEnded | None = None

    def __init__(self) -> None:
        self.rejected: list[ClientEventRejected] = []

    def take(self, response: ConnectResponse) -> Sequence[ServerEvent]:
        """The server events of ``response``; its other members are kept."""
        member = response.WhichOneof("response")
        if member == "events":
            return response.events.events
        if member == "connected":
            self.connected = response.connected
        elif member == "rejected":
            self.rejected.append(response.rejected)
        elif member == "ended":
            self.ended = response.ended
        return ()


class SessionClient(_State):
    """A session on a ``grpc.Channel``: ``send`` client events, iterate server events.

    ``model``, ``intent`` and ``call_id`` are the upstream query the caller chooses; ``strict``
    rejects client events that do not fit the schema. ``credential`` is the caller's own upstream
    credential (an ephemeral client secret), when the relay allows it. Use it as a context manager:
    leaving the block half-closes the session (or cancels it, on an exception).
    """

    def __init__(
        self,
        channel: grpc.Channel,
        *,
        model: str = "",
        intent: str = "",
        call_id: str = "",
        strict: bool = False,
        credential: str | None = None,
        metadata: Iterable[tuple[str, str]] = (),
        timeout: float | None = None,
    ) -> None:
        super().__init__()
        self._requests: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._requests.put(_open_request(model, intent, call_id, strict))
        connect = _connect(channel)
        self._call: Any = connect(iter(self._requests.get, _END), metadata=_metadata(metadata, credential), timeout=timeout)
        self._closed = False

    def send(self, *events: ClientEvent) -> None:
        """Send client events upstream, in order (several go in one message)."""
        if self._closed:
            raise ValueError("the session is closed for sending")
        if events:
            self._requests.put(_event_request(events))

    def close(self) -> None:
        """Half-close: no more client events; the relay closes the upstream with 1000 and delivers
        what it still sends, then ``ended``."""
        if not self._closed:
            self._closed = True
            self._requests.put(_END)

    def cancel(self) -> None:
        """Cancel the call: the relay closes the upstream at once (nothing more is delivered)."""
        self._call.cancel()
        self.close()  # ends the request iterator, which grpc's thread is waiting on

    def __iter__(self) -> Iterator[ServerEvent]:
        """The server events in upstream order, until the session ends (see :attr:`ended`)."""
        try:
            for response in self._call:
                yield from self.take(response)
        except grpc.RpcError:
            if self.ended is None:  # the relay could not say how the session ended
                raise

    def code(self) -> grpc.StatusCode:
        """The call's status code, once the session has ended."""
        code: grpc.StatusCode = self._call.code()
        return code

    def __enter__(self) -> SessionClient:
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.cancel()


class AsyncSessionClient(_State):
    """A session on a ``grpc.aio.Channel``: ``await send(...)``, ``async for`` server events.
    The arguments are :class:`SessionClient`'s; ``async with`` opens the session."""

    def __init__(
        self,
        channel: grpc.aio.Channel,
        *,
        model: str = "",
        intent: str = "",
        call_id: str = "",
        strict: bool = False,
        credential: str | None = None,
        metadata: Iterable[tuple[str, str]] = (),
        timeout: float | None = None,
    ) -> None:
        super().__init__()
        connect = _connect(channel)
        self._call: Any = connect(metadata=_metadata(metadata, credential), timeout=timeout)
        self._open = _open_request(model, intent, call_id, strict)

    async def open(self) -> None:
        """Send the ``open`` request (``async with`` does)."""
        await self._call.write(self._open)

    async def send(self, *events: ClientEvent) -> None:
        """Send client events upstream, in order (several go in one message)."""
        if events:
            await self._call.write(_event_request(events))

    async def close(self) -> None:
        """Half-close (see :meth:`SessionClient.close`)."""
        await self._call.done_writing()

    def cancel(self) -> None:
        self._call.cancel()

    async def __aiter__(self) -> AsyncIterator[ServerEvent]:
        """The server events in upstream order, until the session ends (see :attr:`ended`)."""
        try:
            while (response := await self._call.read()) is not grpc.aio.EOF:
                for event in self.take(response):
                    yield event
        except grpc.RpcError:
            if self.ended is None:
                raise

    async def code(self) -> grpc.StatusCode:
        """The call's status code (waits for the session to end)."""
        code: grpc.StatusCode = await self._call.code()
        return code

    async def __aenter__(self) -> AsyncSessionClient:
        await self.open()
        return self

    async def __aexit__(self, exc_type: object, *_exc: object) -> None:
        if exc_type is not None:
            self.cancel()
