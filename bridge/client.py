"""A small synchronous client for ``realtime.bridge.v1.BridgeService``.

>>> from bridge.client import BridgeClient
>>> with BridgeClient("127.0.0.1:50051") as client:                         # doctest: +SKIP
...     event = client.event_from_json(b'{"type": "response.created", "response": {}}')
...     client.event_to_json(event)
b'{"type":"response.created","response":{}}'

Bad input raises :class:`bridge.ValidationError`, rebuilt from the server's ``BadRequest`` details
with every violation's JSON path. A server that cannot be reached (refused connection, TLS
handshake failure, server shutting down) or does not answer within the deadline raises
:class:`BridgeUnavailable`, in unary calls, health checks and while iterating a stream's results.
Any other failure of a call raises the :class:`grpc.RpcError`.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json as _json
import logging
import os
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from bridge.errors import RemoteError, ValidationError
from bridge.service._rpcs import RPCS, SERVICE_NAME
from bridge.service.errors import (
    validation_error_from_conversion_error,
    validation_error_from_status,
)
from bridge.v1 import realtime_pb2, service_pb2, service_pb2_grpc

if TYPE_CHECKING:
    from bridge.relay.client import SessionClient

__all__ = ["BridgeClient", "BridgeUnavailable", "RemoteError", "StreamResult", "channel_target", "service_config"]

T = TypeVar("T")
#: PEM data (bytes) or the path of a PEM file.
Pem = bytes | str | os.PathLike[str]
Json = bytes | str

_DEFAULT_TARGET = "127.0.0.1:50051"
_log = logging.getLogger("bridge.client")
_MIB = 1024 * 1024
#: Bytes a stream request adds around a batch (``strict``, the batch's tag and length) and around
#: each of its events (a tag and a length), at most.
_BATCH_FRAMING = 16
_EVENT_FRAMING = 6
_STATUS_CODES = {code.value[0]: code for code in grpc.StatusCode}
#: The status codes of a call that did not reach the server or got no answer in time.
_UNAVAILABLE_CODES = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED})
#: How a stream that broke off ends, when its transport failed rather than the bridge: the server
#: went away or is draining (UNAVAILABLE), cancelled its calls at the end of a drain (CANCELLED), or
#: a proxy in between reset the stream (INTERNAL: the bridge itself never fails a whole stream so;
#: a conversion that fails is one error result).
_RESUMABLE_CODES = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED, grpc.StatusCode.INTERNAL})
#: The calls retried: the unary conversions (idempotent), which gRPC may send again when it got
#: UNAVAILABLE (no server, or one refusing new calls) or CANCELLED (a server that cancelled it at
#: the end of its drain), and health checks. gRPC never retries a call the caller cancelled itself.
_RETRIED = (
    *((SERVICE_NAME, rpc.name) for rpc in RPCS if rpc.idempotent),
    ("grpc.health.v1.Health", "Check"),
)
#: gRPC caps a retry policy's attempts at 5.
_MAX_ATTEMPTS = 5
#: Pause before a stream's n-th consecutive resumption: 0.05 s doubling, at most 1 s.
_RESUME_BACKOFF = (0.05, 1.0)


def service_config(*, load_balancing: str | None = None, attempts: int = _MAX_ATTEMPTS) -> dict[str, Any]:
    """The gRPC service config :class:`BridgeClient` gives its channel: unary conversions and
    health checks retried on ``UNAVAILABLE`` up to ``attempts`` times in all (backoff 0.05 s
    doubling to 2 s, within the call's deadline), and ``load_balancing`` (``"round_robin"``,
    ``"pick_first"``) when given."""
    if not 1 <= attempts <= _MAX_ATTEMPTS:
        raise ValueError(f"attempts must be 1-{_MAX_ATTEMPTS}, not {attempts}")
    config: dict[str, Any] = {}
    if attempts > 1:
        config["methodConfig"] = [
            {
                "name": [{"service": service, "method": method} for service, method in _RETRIED],
                "retryPolicy": {
                    "maxAttempts": attempts,
                    "initialBackoff": "0.05s",
                    "maxBackoff": "2s",
                    "backoffMultiplier": 2,
                    "retryableStatusCodes": ["UNAVAILABLE", "CANCELLED"],
                },
            }
        ]
    if load_balancing is not None:
        config["loadBalancingConfig"] = [{load_balancing: {}}]
    return config


def channel_target(target: str | Sequence[str]) -> str:
    """The gRPC channel target for ``target``: one target as it is (``host:port``,
    ``dns:///name:port``, ``ipv4:a:p,b:p``, ...), or several ``ip:port`` addresses as one
    ``ipv4:`` (or ``ipv6:``) target listing them all. Several host names cannot be listed: give
    one ``dns:///`` name that resolves to all the addresses."""
    if isinstance(target, str):
        return target
    addresses = list(target)
    if not addresses:
        raise ValueError("no address to call")
    if len(addresses) == 1:
        return addresses[0]
    families = set()
    for address in addresses:
        host, _, port = address.rpartition(":")
        try:
            families.add(ipaddress.ip_address(host.strip("[]")).version)
        except ValueError:
            raise ValueError(
                f"{address!r} is not an ip:port address; for several hosts, give one dns:/// name that resolves to them all"
            ) from None
        if not port.isdigit():
            raise ValueError(f"{address!r} has no port")
    if len(families) > 1:
        raise ValueError("several addresses must be all IPv4 or all IPv6")
    return f"ipv{families.pop()}:" + ",".join(addresses)


def _balances(target: str) -> bool:
    """Whether ``target`` names (or may resolve to) several servers to balance over."""
    return target.startswith("dns:") or (target.startswith(("ipv4:", "ipv6:")) and "," in target)


class BridgeUnavailable(grpc.RpcError):
    """The bridge server could not be reached, or did not answer in time (one of the hierarchy
    :mod:`bridge.errors` documents, defined here beside gRPC, which it extends).

    Raised for a call that ends with ``UNAVAILABLE`` (connection refused, no route, TLS handshake
    failed, server shutting down) or ``DEADLINE_EXCEEDED``: failures of the transport, worth a
    retry, not of the input. It is a :class:`grpc.RpcError` (so ``except grpc.RpcError`` still
    catches it) with the same :meth:`code` and :meth:`details` as the gRPC error, which is its
    ``__cause__``; :attr:`target` is the address the client calls.
    """

    def __init__(self, target: str, code: grpc.StatusCode, details: str) -> None:
        what = "did not answer in time" if code == grpc.StatusCode.DEADLINE_EXCEEDED else "is unavailable"
        super().__init__(f"the bridge at {target} {what} ({code.name}): {details}")
        self.target = target
        self._code = code
        self._details = details

    def code(self) -> grpc.StatusCode:
        """``grpc.StatusCode.UNAVAILABLE`` or ``grpc.StatusCode.DEADLINE_EXCEEDED``."""
        return self._code

    def details(self) -> str:
        """gRPC's description of the failure."""
        return self._details


@dataclasses.dataclass(frozen=True)
class StreamResult(Generic[T]):
    """The answer to one input of a stream: its position (from 0) and a value or an error."""

    sequence: int
    value: T | None = None
    error: ValidationError | RemoteError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class BridgeClient:
    """Calls a bridge server over one channel. Thread-safe; close it (or use ``with``) when done.

    ``target`` is one server (``host:port``), a ``dns:///name:port`` whose addresses are all
    servers (a Kubernetes headless Service), or a list of ``ip:port`` addresses. Calls are spread
    over the servers per call (``round_robin``) when there are several or the target is a
    ``dns:///`` name; ``load_balancing`` names another gRPC policy (``"pick_first"``).

    Unary calls that fail with ``UNAVAILABLE`` are sent again, up to ``attempts`` times in all (a
    conversion is idempotent), within their deadline. A stream whose transport fails (a server
    killed or drained, a proxy resetting it) is resumed on a new call: the events after the last
    one answered are sent again, up to ``stream_retries`` times in a row without progress (0: never).

    TLS is used when ``tls`` is true or any certificate is given: ``root_certificates`` to trust a
    private CA, ``certificate_chain`` and ``private_key`` to present a client certificate (mTLS).
    ``token`` is sent as ``authorization: Bearer <token>``. ``timeout`` is the default deadline of
    unary calls, in seconds. ``max_message_bytes`` should match the server's. ``options`` are extra
    channel arguments: within a process gRPC shares one connection among channels to the same
    target, and ``("grpc.use_local_subchannel_pool", 1)`` gives this client a connection of its own.
    """

    def __init__(
        self,
        target: str | Sequence[str] = _DEFAULT_TARGET,
        *,
        load_balancing: str | None = None,
        attempts: int = _MAX_ATTEMPTS,
        stream_retries: int = 5,
        tls: bool = False,
        root_certificates: Pem | None = None,
        certificate_chain: Pem | None = None,
        private_key: Pem | None = None,
        token: str | None = None,
        timeout: float | None = 30.0,
        max_message_bytes: int = 4 * _MIB,
        options: Iterable[tuple[str, Any]] = (),
    ) -> None:
        target = channel_target(target)
        if load_balancing is None and _balances(target):
            load_balancing = "round_robin"
        if stream_retries < 0:
            raise ValueError(f"stream_retries must not be negative, not {stream_retries}")
        channel_options = [
            ("grpc.max_receive_message_length", max_message_bytes),
            ("grpc.max_send_message_length", max_message_bytes),
            ("grpc.keepalive_time_ms", 30_000),
            ("grpc.keepalive_timeout_ms", 10_000),
            ("grpc.enable_retries", 1),
            ("grpc.service_config", _json.dumps(service_config(load_balancing=load_balancing, attempts=attempts))),
            *options,
        ]
        if tls or root_certificates is not None or certificate_chain is not None:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=_pem(root_certificates),
                private_key=_pem(private_key),
                certificate_chain=_pem(certificate_chain),
            )
            self._channel = grpc.secure_channel(target, credentials, options=channel_options)
        else:
            self._channel = grpc.insecure_channel(target, options=channel_options)
        self._target = target
        self._stub = service_pb2_grpc.BridgeServiceStub(self._channel)
        # (Any: the stub's published type, types-grpcio-health-checking, lists none of its methods)
        self._health: Any = health_pb2_grpc.HealthStub(self._channel)
        self._metadata = (("authorization", f"Bearer {token}"),) if token else None
        self._timeout = timeout
        self._max_message_bytes = max_message_bytes
        self._stream_retries = stream_retries

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._channel!r})"

    # ------------------------------------------------------------------------------------ unary

    def event_from_json(self, json: Json, *, strict: bool = False, timeout: float | None = None) -> realtime_pb2.ServerEvent:
        """The ``ServerEvent`` for the JSON of one server event."""
        request = service_pb2.EventFromJsonRequest(json=_utf8(json), strict=strict)
        response: service_pb2.EventFromJsonResponse = self._unary(self._stub.EventFromJson, request, timeout)
        return response.event

    def event_to_json(self, event: realtime_pb2.ServerEvent, *, strict: bool = False, timeout: float | None = None) -> bytes:
        """The JSON a ``ServerEvent`` stands for."""
        request = service_pb2.EventToJsonRequest(event=event, strict=strict)
        response: service_pb2.EventToJsonResponse = self._unary(self._stub.EventToJson, request, timeout)
        return response.json

    def response_from_json(
        self, json: Json, *, strict: bool = False, timeout: float | None = None
    ) -> realtime_pb2.RealtimeResponse:
        """The ``RealtimeResponse`` for the JSON of one ``realtime.response`` object."""
        request = service_pb2.ResponseFromJsonRequest(json=_utf8(json), strict=strict)
        reply: service_pb2.ResponseFromJsonResponse = self._unary(self._stub.ResponseFromJson, request, timeout)
        return reply.response

    def response_to_json(
        self, response: realtime_pb2.RealtimeResponse, *, strict: bool = False, timeout: float | None = None
    ) -> bytes:
        """The JSON a ``RealtimeResponse`` stands for."""
        request = service_pb2.ResponseToJsonRequest(response=response, strict=strict)
        reply: service_pb2.ResponseToJsonResponse = self._unary(self._stub.ResponseToJson, request, timeout)
        return reply.json

    def client_event_from_json(
        self, json: Json, *, strict: bool = False, timeout: float | None = None
    ) -> realtime_pb2.ClientEvent:
        """The ``ClientEvent`` for the JSON of one client event."""
        request = service_pb2.ClientEventFromJsonRequest(json=_utf8(json), strict=strict)
        response: service_pb2.ClientEventFromJsonResponse = self._unary(self._stub.ClientEventFromJson, request, timeout)
        return response.event

    def client_event_to_json(
        self, event: realtime_pb2.ClientEvent, *, strict: bool = False, timeout: float | None = None
    ) -> bytes:
        """The JSON a ``ClientEvent`` stands for: what to send to a Realtime session."""
        request = service_pb2.ClientEventToJsonRequest(event=event, strict=strict)
        response: service_pb2.ClientEventToJsonResponse = self._unary(self._stub.ClientEventToJson, request, timeout)
        return response.json

    # ---------------------------------------------------------------------------------- streams

    def stream_events_from_json(
        self, events: Iterable[Json], *, strict: bool = False, timeout: float | None = None, batch_size: int = 1
    ) -> Iterator[StreamResult[realtime_pb2.ServerEvent]]:
        """Send JSON events as ``events`` yields them; yield one result per event, in order.

        ``events`` is consumed on a gRPC thread, so it may block (read a socket, a queue). A bad
        event is a result with an ``error``; the stream goes on. A stream has no deadline unless
        ``timeout`` is given (the client's default is for unary calls); closing the iterator
        cancels the call.

        ``batch_size`` > 1 sends up to that many events per message (fewer when the message would
        exceed ``max_message_bytes``): several times the throughput, since gRPC costs far more per
        message than a conversion does. A batch goes out once full or once ``events`` ends, so
        keep 1 for a live source whose events must not wait for the next ones.
        """
        _check_batch_size(batch_size)

        def requests(items: Iterator[bytes]) -> Iterator[Any]:
            if batch_size == 1:
                return (service_pb2.StreamEventsFromJsonRequest(json=json, strict=strict) for json in items)
            return (
                service_pb2.StreamEventsFromJsonRequest(batch=service_pb2.JsonBatch(json=batch), strict=strict)
                for batch in self._batches(items, batch_size, len)
            )

        return self._stream(self._stub.StreamEventsFromJson, map(_utf8, events), requests, timeout, "event")

    def stream_events_to_json(
        self,
        events: Iterable[realtime_pb2.ServerEvent],
        *,
        strict: bool = False,
        timeout: float | None = None,
        batch_size: int = 1,
    ) -> Iterator[StreamResult[bytes]]:
        """Send ``ServerEvent`` messages; yield one JSON result per event, in order (see
        :meth:`stream_events_from_json`, also for ``batch_size``)."""
        _check_batch_size(batch_size)

        def requests(items: Iterator[realtime_pb2.ServerEvent]) -> Iterator[Any]:
            if batch_size == 1:
                return (service_pb2.StreamEventsToJsonRequest(event=event, strict=strict) for event in items)
            return (
                service_pb2.StreamEventsToJsonRequest(batch=service_pb2.ServerEventBatch(events=batch), strict=strict)
                for batch in self._batches(items, batch_size, realtime_pb2.ServerEvent.ByteSize)
            )

        return self._stream(self._stub.StreamEventsToJson, iter(events), requests, timeout, "json")

    def stream_client_events_from_json(
        self, events: Iterable[Json], *, strict: bool = False, timeout: float | None = None, batch_size: int = 1
    ) -> Iterator[StreamResult[realtime_pb2.ClientEvent]]:
        """Send the JSON of client events; yield one ``ClientEvent`` result per event, in order
        (see :meth:`stream_events_from_json`, also for ``batch_size``)."""
        _check_batch_size(batch_size)

        def requests(items: Iterator[bytes]) -> Iterator[Any]:
            if batch_size == 1:
                return (service_pb2.StreamClientEventsFromJsonRequest(json=json, strict=strict) for json in items)
            return (
                service_pb2.StreamClientEventsFromJsonRequest(batch=service_pb2.JsonBatch(json=batch), strict=strict)
                for batch in self._batches(items, batch_size, len)
            )

        return self._stream(self._stub.StreamClientEventsFromJson, map(_utf8, events), requests, timeout, "event")

    def stream_client_events_to_json(
        self,
        events: Iterable[realtime_pb2.ClientEvent],
        *,
        strict: bool = False,
        timeout: float | None = None,
        batch_size: int = 1,
    ) -> Iterator[StreamResult[bytes]]:
        """Send ``ClientEvent`` messages; yield one JSON result (to send upstream) per event, in
        order (see :meth:`stream_events_from_json`, also for ``batch_size``)."""
        _check_batch_size(batch_size)

        def requests(items: Iterator[realtime_pb2.ClientEvent]) -> Iterator[Any]:
            if batch_size == 1:
                return (service_pb2.StreamClientEventsToJsonRequest(event=event, strict=strict) for event in items)
            return (
                service_pb2.StreamClientEventsToJsonRequest(batch=service_pb2.ClientEventBatch(events=batch), strict=strict)
                for batch in self._batches(items, batch_size, realtime_pb2.ClientEvent.ByteSize)
            )

        return self._stream(self._stub.StreamClientEventsToJson, iter(events), requests, timeout, "json")

    # ---------------------------------------------------------------------------------- session

    def session(
        self, *, model: str = "", intent: str = "", call_id: str = "", strict: bool = False,
        credential: str | None = None, timeout: float | None = None,
    ) -> SessionClient:
        """A Realtime session through the server's relay (``rtbridge serve --upstream``): send
        ``ClientEvent`` messages, iterate ``ServerEvent`` messages (see
        :class:`bridge.relay.client.SessionClient`; ``timeout`` bounds the whole session, none by
        default). Sessions are not resumed on another server: one that ends says how, in ``ended``.

        ``with client.session(model="gpt-realtime") as session: session.send(event); for e in session: ...``
        """
        from bridge.relay.client import SessionClient

        return SessionClient(
            self._channel, model=model, intent=intent, call_id=call_id, strict=strict, credential=credential,
            metadata=self._metadata or (), timeout=timeout,
        )

    # ----------------------------------------------------------------------------------- health

    def health(self, service: str = "", *, timeout: float | None = None) -> str:
        """The server's ``grpc.health.v1`` status: ``"SERVING"`` or ``"NOT_SERVING"``."""
        request = health_pb2.HealthCheckRequest(service=service)
        try:
            response = self._health.Check(request, timeout=self._deadline(timeout), metadata=self._metadata)
        except grpc.RpcError as error:
            _reraise(error, self._unavailable(error))
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

    # ---------------------------------------------------------------------------------- plumbing

    def close(self) -> None:
        """Close the channel; calls in progress are cancelled."""
        self._channel.close()

    def __enter__(self) -> BridgeClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _deadline(self, timeout: float | None) -> float | None:
        return self._timeout if timeout is None else timeout

    def _unary(self, method: Callable[..., Any], request: Any, timeout: float | None) -> Any:
        try:
            return method(request, timeout=self._deadline(timeout), metadata=self._metadata)
        except grpc.RpcError as error:
            _reraise(error, _validation_error(error) or self._unavailable(error))

    def _stream(
        self,
        method: Callable[..., Any],
        events: Iterator[Any],
        requests: Callable[[Iterator[Any]], Iterator[Any]],
        timeout: float | None,
        field: str,
    ) -> Iterator[Any]:
        """The results of a stream of ``events``, each numbered by its position in ``events``.

        Each event is kept (in a :class:`_Feed`) from when it is read until it is answered. When
        the call breaks off (see :data:`_RESUMABLE_CODES`), or ends before answering every event
        it was sent, a new call is made for the events not answered yet, and the server's numbers
        (from 0 on each call) are read from where the last call stopped; up to ``stream_retries``
        new calls in a row that answer nothing, with a pause growing between them."""
        feed = _Feed(events)
        deadline = None if timeout is None else time.monotonic() + timeout
        progress = _Progress()
        while True:
            base = progress.answered
            attempt = feed.restart(base)
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            call = method(requests(feed.items(attempt)), timeout=remaining, metadata=self._metadata)
            try:
                why = yield from self._results(call, base, feed, progress, deadline, field)
            finally:
                call.cancel()  # a no-op once the call has ended
            if feed.complete(progress.answered):
                return
            self._before_resuming(progress, why)

    def _results(
        self, call: Any, base: int, feed: _Feed[Any], progress: _Progress, deadline: float | None, field: str
    ) -> Generator[StreamResult[Any], None, str]:
        """The results of one call of a stream, numbered from ``base`` (the events answered when
        it began), each event once; return why the call stopped, if it may be resumed (else raise)."""
        responses = iter(call)
        while True:
            try:
                response = next(responses)
            except StopIteration:
                return "the call ended"
            except grpc.RpcError as error:
                if (
                    error.code() not in _RESUMABLE_CODES
                    or feed.failed
                    or progress.failures >= self._stream_retries
                    or (deadline is not None and time.monotonic() >= deadline)
                ):
                    _reraise(error, self._unavailable(error))
                return f"{error.code().name}: {error.details()}"
            # The answer to one event holds its result; the answer to a batch, `results`.
            for result in response.results if response.WhichOneof("result") is None else (response,):
                sequence = base + result.sequence
                if sequence < progress.answered:
                    continue  # answered already (a server repeating itself): once only
                progress.answered = sequence + 1
                feed.answered(progress.answered)
                progress.failures = 0
                if result.WhichOneof("result") == "error":
                    yield StreamResult(sequence, error=_result_error(result.error))
                else:
                    yield StreamResult(sequence, value=getattr(result, field))

    def _before_resuming(self, progress: _Progress, why: str) -> None:
        """Count one more new call that answered nothing (raise :class:`BridgeUnavailable` past
        ``stream_retries``), log it and pause before making it."""
        if progress.failures >= self._stream_retries:
            raise BridgeUnavailable(
                self._target,
                grpc.StatusCode.UNAVAILABLE,
                f"the stream ended with events unanswered ({progress.answered} answered)",
            )
        progress.failures += 1
        _log.warning(
            "stream to %s broke off after %d results (%s); resuming from there (try %d of %d)",
            self._target, progress.answered, why, progress.failures, self._stream_retries,
        )
        low, high = _RESUME_BACKOFF
        time.sleep(min(high, low * 2 ** (progress.failures - 1)))

    def _unavailable(self, error: grpc.RpcError) -> BridgeUnavailable | None:
        """``error`` as a :class:`BridgeUnavailable`, if it is a transport failure."""
        call: object = error  # grpc's errors are RpcError and Call at once, which its stubs deem impossible
        if not isinstance(call, grpc.Call) or call.code() not in _UNAVAILABLE_CODES:
            return None
        return BridgeUnavailable(self._target, call.code(), call.details() or "")

    def _batches(self, items: Iterable[T], batch_size: int, size: Callable[[T], int]) -> Iterator[list[T]]:
        """``items`` in lists of up to ``batch_size``, each sent as soon as it is full, and cut
        short where the next item would take the request over the maximum message size. (An item
        over it on its own goes alone, and gRPC fails the call with RESOURCE_EXHAUSTED.)"""
        budget = self._max_message_bytes - _BATCH_FRAMING
        batch: list[T] = []
        used = 0
        for item in items:
            item_size = size(item) + _EVENT_FRAMING
            if batch and used + item_size > budget:
                yield batch
                batch, used = [], 0
            batch.append(item)
            used += item_size
            if len(batch) == batch_size:
                yield batch
                batch, used = [], 0
        if batch:
            yield batch


@dataclasses.dataclass
class _Progress:
    """How far a stream has got, over its calls."""

    #: Events answered so far: the results yielded.
    answered: int = 0
    #: New calls in a row that answered nothing.
    failures: int = 0


class _Feed(Generic[T]):
    """The events of one stream, read once from the caller's iterable and kept from when they
    are read until they are answered, so that a new call can send them again.

    Each call's requests come from :meth:`items` (consumed on a gRPC thread): the events kept that
    the call has not sent yet, then new ones from the iterable, in order. One thread at a time
    reads the iterable (which may block, waiting for a live event), without holding the state
    lock, so the caller's thread never waits for it; an event read for a call that has been
    replaced is kept for the call that replaced it.
    """

    def __init__(self, events: Iterator[T]) -> None:
        self._source = events
        self._state = threading.Lock()
        self._reading = threading.Lock()
        self._kept: list[T] = []  # events number self._base, self._base + 1, ...
        self._base = 0
        self._attempt = 0
        self._exhausted = False
        #: The caller's iterable raised: the stream fails (and is not resumed).
        self.failed = False

    def restart(self, answered: int) -> int:
        """A new call, for the events from ``answered`` on; its attempt number."""
        with self._state:
            self._drop(answered)
            self._attempt += 1
            return self._attempt

    def answered(self, count: int) -> None:
        """The first ``count`` events have been answered: forget them."""
        with self._state:
            self._drop(count)

    def complete(self, answered: int) -> bool:
        """Whether every event there is was read, and the first ``answered`` are all of them."""
        with self._state:
            return self._exhausted and answered >= self._base + len(self._kept)

    def items(self, attempt: int) -> Iterator[T]:
        """The events for call ``attempt``, from the first one not answered when it began."""
        with self._state:
            cursor = self._base
        while True:
            found, item = self._kept_at(attempt, cursor)
            if found is None:
                return
            if not found:
                with self._reading:
                    found, item = self._kept_at(attempt, cursor)  # another call's reader may have read it
                    if found is None:
                        return
                    if not found:
                        try:
                            item = next(self._source)
                        except StopIteration:
                            with self._state:
                                self._exhausted = True
                            return
                        except BaseException:
                            self.failed = True
                            raise
                        with self._state:
                            self._kept.append(item)
                            if attempt != self._attempt:
                                return  # kept for the call that replaced this one
            cursor += 1
            yield item

    def _kept_at(self, attempt: int, cursor: int) -> tuple[bool | None, Any]:
        """(True, the event) if event ``cursor`` is kept, (False, None) if it is still to be read,
        (None, None) if call ``attempt`` is over or there are no more events."""
        with self._state:
            if attempt != self._attempt:
                return None, None
            index = cursor - self._base
            if 0 <= index < len(self._kept):
                return True, self._kept[index]
            if self._exhausted:
                return None, None
            return False, None

    def _drop(self, count: int) -> None:
        if count > self._base:
            del self._kept[: count - self._base]
            self._base = count


def _reraise(error: grpc.RpcError, replacement: Exception | None) -> NoReturn:
    """Raise ``replacement`` (caused by ``error``) if there is one, else ``error`` itself."""
    if replacement is None:
        raise error
    raise replacement from error


def _validation_error(error: grpc.RpcError) -> ValidationError | None:
    call: object = error  # as in BridgeClient._unavailable
    if not isinstance(call, grpc.Call) or call.code() != grpc.StatusCode.INVALID_ARGUMENT:
        return None
    try:
        return validation_error_from_status(rpc_status.from_call(call))
    except ValueError:  # inconsistent details: keep the RpcError
        return None


def _result_error(error: service_pb2.ConversionError) -> ValidationError | RemoteError:
    validation_error = validation_error_from_conversion_error(error)
    if validation_error is not None:
        return validation_error
    return RemoteError(_STATUS_CODES.get(error.code, grpc.StatusCode.UNKNOWN), error.message)


def _check_batch_size(batch_size: int) -> None:
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")


def _utf8(json: Json) -> bytes:
    return json.encode() if isinstance(json, str) else bytes(json)


def _pem(value: Pem | None) -> bytes | None:
    if value is None or isinstance(value, bytes):
        return value
    with open(value, "rb") as file:
        return file.read()
