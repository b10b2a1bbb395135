"""Prometheus metrics of the bridge service: a gRPC server interceptor that counts what passes.

``rtbridge serve --metrics-port N`` installs :class:`MetricsInterceptor` (first, so that calls
refused by the token check are counted too) and serves the metrics over HTTP on
``--metrics-host`` (127.0.0.1 unless told otherwise). Everything is read off what the servicer
receives and returns, never by converting anything again:

=================================================  ===================================================
``rtbridge_calls_total{rpc, code}``                calls ended, by RPC and gRPC status code
``rtbridge_call_duration_seconds{rpc}``            histogram of call durations (a stream: its lifetime)
``rtbridge_events_total{direction, type}``         events converted; ``direction`` is ``from_json``
                                                   or ``to_json``, ``type`` one of :data:`EVENT_TYPES`
                                                   or ``other``
``rtbridge_event_errors_total{direction, code}``   events that got an error result (or a failed unary
                                                   call): ``INVALID_ARGUMENT``, ``INTERNAL``,
                                                   ``RESOURCE_EXHAUSTED``
``rtbridge_violations_total{kind}``                violations reported, by kind (:data:`VIOLATION_KINDS`)
``rtbridge_received_bytes_total{rpc}``,            request and response message bytes
``rtbridge_sent_bytes_total{rpc}``
``rtbridge_streams_in_flight{rpc}``                streams open now
=================================================  ===================================================

Every label has a closed set of values: ``rpc`` is a method the server has (the short name for
``BridgeService``, ``service/method`` for health and reflection), the event type is looked up in a
fixed list of the Realtime API's event types (anything else, whatever a client sends, is ``other``)
and a violation's kind is derived from its message by a fixed table, never its path or text.

Event types are read where the converters leave them: the first field of a ``ServerEvent``'s (or
``ClientEvent``'s) bytes (``from_json``; ``type`` is field 1, written first) and the first key of the JSON
:func:`bridge.binary_to_json` writes (``to_json``; known keys come in schema order, ``type`` first).

With ``--workers N`` the workers record into prometheus_client's multiprocess directory
(``PROMETHEUS_MULTIPROC_DIR``, set by the supervisor for each worker) and the supervisor serves the
sum over the workers on the one metrics port (:func:`serve_multiprocess`); see
:mod:`bridge.service.workers`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Final

import grpc
from google.protobuf.message import DecodeError
from google.rpc import code_pb2, error_details_pb2, status_pb2
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    multiprocess,
    start_http_server,
)

from bridge import _schema
from bridge.service import wire
from bridge.service.wire import read_varint
from bridge.v1 import realtime_pb2, service_pb2

__all__ = [
    "EVENT_TYPES",
    "VIOLATION_KINDS",
    "MetricsInterceptor",
    "MetricsServer",
    "mark_process_dead",
    "multiprocess_directory",
    "serve",
    "serve_multiprocess",
    "violation_kind",
]

_log = logging.getLogger("bridge.service")

_BRIDGE_PREFIX: Final = "/realtime.bridge.v1.BridgeService/"
#: The RPCs that convert events, and which way.
_DIRECTIONS: Final = {
    "EventFromJson": "from_json",
    "StreamEventsFromJson": "from_json",
    "EventToJson": "to_json",
    "StreamEventsToJson": "to_json",
    "ClientEventFromJson": "from_json",
    "StreamClientEventsFromJson": "from_json",
    "ClientEventToJson": "to_json",
    "StreamClientEventsToJson": "to_json",
}
_STREAMS: Final = frozenset({"StreamEventsFromJson", "StreamEventsToJson", "StreamClientEventsFromJson", "StreamClientEventsToJson"})

#: The event types counted by name: every type the schema has a class for (the Realtime API's
#: server and client events, beta and GA); every other ``type`` is counted as ``other``.
EVENT_TYPES: Final = frozenset(_schema.EVENT_PLANS) | frozenset(_schema.CLIENT_EVENT_PLANS)
_OTHER: Final = "other"
#: The key of a ``ServerEvent``'s ``type``, which the converters write first (a ``ClientEvent``'s is
#: the same: checked on import).
_TYPE_KEY: Final = wire.key(wire.fields_of(realtime_pb2.ServerEvent)["type"])
if wire.key(wire.fields_of(realtime_pb2.ClientEvent)["type"]) != _TYPE_KEY:
    raise ImportError("bridge.service.metrics: ServerEvent.type and ClientEvent.type differ on the wire")
#: The field holding a unary response's payload (the same in every unary response; see wire.unary).
_UNARY_NUMBER: Final = next(iter(wire.fields_of(service_pb2.EventFromJsonResponse).values())).number

#: A violation's kind: the first entry whose text its message starts with (or, for entries in
#: _CONTAINS, contains). Messages matching none are ``other``.
_STARTS: Final = (
    ("nesting is too deep", "too_deep"),
    ("invalid UTF-8", "invalid_text"),
    ("lone surrogate", "invalid_text"),
    ("input is not valid Unicode", "invalid_text"),
    ("unknown key", "unknown_key"),
    ("Object contains unknown field", "unknown_key"),
    ("Invalid enum value", "enum"),
    ("Object missing required field", "missing"),
    ("Expected a value", "limit"),
    ("Expected a string of at most", "limit"),
    ("Expected at most", "limit"),
    ("Key ", "limit"),
    ("Expected `int` <=", "range"),
    ("Expected `int` >=", "range"),
    ("Expected `", "type"),
    ("JSON is malformed", "malformed"),
    ("Input data was truncated", "malformed"),
    ("not valid JSON", "malformed"),
    ("malformed", "malformed"),
    ("cannot represent in protobuf", "malformed"),
)
#: Every kind :func:`violation_kind` can return.
VIOLATION_KINDS: Final = frozenset({kind for _, kind in _STARTS} | {_OTHER})

# A ``_created`` series beside every counter doubles the series for no use to the dashboards.
disable_created_metrics()

_DURATION_BUCKETS: Final = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
)

CALLS = Counter("rtbridge_calls", "Calls ended, by RPC and gRPC status code.", ["rpc", "code"])
DURATION = Histogram(
    "rtbridge_call_duration_seconds", "Call durations (a stream's: its lifetime).", ["rpc"], buckets=_DURATION_BUCKETS
)
EVENTS = Counter("rtbridge_events", "Events converted, by direction and event type.", ["direction", "type"])
EVENT_ERRORS = Counter(
    "rtbridge_event_errors", "Events not converted (error results, failed unary calls), by status code.",
    ["direction", "code"],
)
VIOLATIONS = Counter("rtbridge_violations", "Violations reported to clients, by kind.", ["kind"])
RECEIVED = Counter("rtbridge_received_bytes", "Request message bytes received.", ["rpc"])
SENT = Counter("rtbridge_sent_bytes", "Response message bytes sent.", ["rpc"])
STREAMS = Gauge("rtbridge_streams_in_flight", "Streams open now.", ["rpc"], multiprocess_mode="livesum")

_CODE_NAMES: Final = {code.value[0]: code.name for code in grpc.StatusCode}


_ERROR_CODES: Final = frozenset({"INVALID_ARGUMENT", "INTERNAL", "RESOURCE_EXHAUSTED"})


class _Labelled(dict):  # type: ignore[type-arg]
    """The children of ``metric`` whose first label is ``first``, by their second label: made
    when first used, so that only series that happened are exported."""

    def __init__(self, metric: Any, first: str) -> None:
        super().__init__()
        self._metric = metric
        self._first = first

    def __missing__(self, second: str) -> Any:
        child = self[second] = self._metric.labels(self._first, second)
        return child


def violation_kind(message: str) -> str:
    """The kind (one of :data:`VIOLATION_KINDS`) of a violation with this message."""
    for start, kind in _STARTS:
        if message.startswith(start):
            return kind
    return _OTHER


class MetricsInterceptor(grpc.aio.ServerInterceptor):
    """Counts every call the server has a handler for (see the module docstring)."""

    def __init__(self) -> None:
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler[Any, Any], grpc.RpcMethodHandler[Any, Any]]] = {}

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Any, Any] | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        handler = await continuation(handler_call_details)
        if handler is None:  # UNIMPLEMENTED: not counted, as its method name is the client's
            return handler
        method = handler_call_details.method
        cached = self._wrapped.get(method)
        if cached is not None and cached[0] is handler:
            return cached[1]
        wrapped = _instrument(method, handler)
        self._wrapped[method] = (handler, wrapped)
        return wrapped


def _rpc_label(method: str) -> str:
    if method.startswith(_BRIDGE_PREFIX):
        return method[len(_BRIDGE_PREFIX):]
    return method.lstrip("/")


def _instrument(method: str, handler: grpc.RpcMethodHandler[Any, Any]) -> grpc.RpcMethodHandler[Any, Any]:
    rpc = _rpc_label(method)
    direction = _DIRECTIONS.get(rpc)
    calls = _Labelled(CALLS, rpc)
    duration = DURATION.labels(rpc)
    received, sent = RECEIVED.labels(rpc), SENT.labels(rpc)
    count_response = _response_counter(rpc, direction)

    deserialize = handler.request_deserializer

    def read(data: bytes) -> Any:
        received.inc(len(data))
        return deserialize(data) if deserialize is not None else data

    def finish(started: float, code: str) -> None:
        calls[code].inc()
        duration.observe(time.perf_counter() - started)

    if not handler.response_streaming:
        # (an aio server's behaviours are coroutine functions; grpc's stubs type the sync server's)
        behaviour: Any = handler.unary_unary if not handler.request_streaming else handler.stream_unary

        async def unary(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            started = time.perf_counter()
            try:
                response = await behaviour(request, context)
            except BaseException as error:
                finish(started, _failure_code(error, context))
                if direction is not None:
                    _count_failed_call(direction, context)
                raise
            size = _size(response)
            sent.inc(size)
            if direction is not None and rpc not in _STREAMS:
                count_response(response)
            finish(started, _code_of(context))
            return response

        factory = grpc.unary_unary_rpc_method_handler if not handler.request_streaming else grpc.stream_unary_rpc_method_handler
        return factory(unary, request_deserializer=read, response_serializer=handler.response_serializer)

    streamer: Any = handler.unary_stream if not handler.request_streaming else handler.stream_stream  # as above
    in_flight = STREAMS.labels(rpc)

    async def streaming(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> AsyncIterator[Any]:
        started = time.perf_counter()
        in_flight.inc()
        code = "OK"
        try:
            responses = streamer(request, context)
            if hasattr(responses, "__aiter__"):
                async with contextlib.aclosing(responses):
                    async for response in responses:
                        sent.inc(_size(response))
                        count_response(response)
                        yield response
            else:  # a handler that writes with context.write() and returns None
                await responses
            code = _code_of(context)
        except BaseException as error:
            code = _failure_code(error, context)
            raise
        finally:
            in_flight.dec()
            finish(started, code)

    factory = grpc.unary_stream_rpc_method_handler if not handler.request_streaming else grpc.stream_stream_rpc_method_handler
    return factory(streaming, request_deserializer=read, response_serializer=handler.response_serializer)


def _size(message: Any) -> int:
    if isinstance(message, (bytes, bytearray, memoryview)):
        return len(message)
    byte_size = getattr(message, "ByteSize", None)
    return int(byte_size()) if byte_size is not None else 0


def _code_of(context: grpc.aio.ServicerContext[Any, Any]) -> str:
    # (aio: None until a code is set, and an int when the servicer set one as a number)
    code: grpc.StatusCode | int | None = context.code()
    if code is None:
        return "OK"
    if isinstance(code, grpc.StatusCode):
        return str(code.name)
    return _CODE_NAMES.get(int(code), "UNKNOWN")


def _failure_code(error: BaseException, context: grpc.aio.ServicerContext[Any, Any]) -> str:
    if isinstance(error, (asyncio.CancelledError, GeneratorExit)):
        return "CANCELLED"
    code = _code_of(context)
    return "UNKNOWN" if code == "OK" else code  # grpc answers an unhandled exception with UNKNOWN


def _count_failed_call(direction: str, context: grpc.aio.ServicerContext[Any, Any]) -> None:
    """A unary conversion that failed: its code, and the violations its status details list."""
    code = _code_of(context)
    if code not in ("INVALID_ARGUMENT", "INTERNAL"):
        return
    EVENT_ERRORS.labels(direction, code).inc()
    if code != "INVALID_ARGUMENT":
        return
    for key, value in context.trailing_metadata() or ():
        if key != "grpc-status-details-bin" or not isinstance(value, bytes):
            continue
        try:
            status = status_pb2.Status.FromString(value)
            bad_request = error_details_pb2.BadRequest()
            for detail in status.details:
                if detail.Unpack(bad_request):
                    for violation in bad_request.field_violations:
                        VIOLATIONS.labels(violation_kind(violation.description)).inc()
        except DecodeError:
            pass


# ------------------------------------------------------------------------------ response bytes


def _response_counter(rpc: str, direction: str | None) -> Callable[[Any], None]:
    """What counts the events in one response of ``rpc``."""
    if direction is None or not isinstance(rpc, str):
        return _ignore
    type_of = _type_of_event if direction == "from_json" else _type_of_json
    events = _Labelled(EVENTS, direction)
    errors = _Labelled(EVENT_ERRORS, direction)

    def count_value(payload: bytes) -> None:
        events[type_of(payload)].inc()

    def count_error(payload: bytes) -> None:
        try:
            error = service_pb2.ConversionError.FromString(payload)
        except DecodeError:
            return
        code = _CODE_NAMES.get(error.code)
        if code in _ERROR_CODES:
            errors[code].inc()
        if error.code == code_pb2.INVALID_ARGUMENT:
            for violation in error.violations:
                VIOLATIONS.labels(violation_kind(violation.message)).inc()

    if rpc not in _STREAMS:

        def count_unary(response: Any) -> None:
            if isinstance(response, bytes):
                for number, payload in _fields(response):
                    if number == _UNARY_NUMBER:
                        count_value(payload)
                        return
                count_value(b"")  # an empty event: every field default

        return count_unary

    def count_stream(response: Any) -> None:
        if not isinstance(response, bytes):
            return
        # A try costs nothing per response; contextlib.suppress would enter a context manager each time.
        try:  # noqa: SIM105
            _count_result(response, count_value, count_error, nested=True)
        except (IndexError, ValueError):  # not a response this module can read: leave it
            pass

    return count_stream


def _count_result(
    data: bytes, count_value: Callable[[bytes], None], count_error: Callable[[bytes], None], *, nested: bool
) -> None:
    for number, payload in _fields(data):
        if number == wire.VALUE_NUMBER:
            count_value(payload)
        elif number == wire.ERROR_NUMBER:
            count_error(payload)
        elif number == wire.RESULTS_NUMBER and nested:
            _count_result(payload, count_value, count_error, nested=False)


def _fields(data: bytes) -> Iterator[tuple[int, bytes]]:
    """The length-delimited fields of a message, ``(number, bytes)``; varints skipped."""
    position, end = 0, len(data)
    while position < end:
        key, position = read_varint(data, position)
        wire_type = key & 7
        if wire_type == 0:
            _, position = read_varint(data, position)
        elif wire_type == 2:
            size, position = read_varint(data, position)
            yield key >> 3, data[position : position + size]
            position += size
        else:
            raise ValueError(f"wire type {wire_type} in a response")


def _type_of_event(data: bytes) -> str:
    """The (counted) type of a ``ServerEvent``'s bytes as :func:`bridge.json_to_binary` writes
    them: ``type`` (field 1, a string) comes first when it is there."""
    if not data.startswith(_TYPE_KEY):
        return _OTHER
    try:
        size, position = read_varint(data, len(_TYPE_KEY))
        name = data[position : position + size].decode()
    except (IndexError, UnicodeDecodeError):
        return _OTHER
    return name if name in EVENT_TYPES else _OTHER


_JSON_TYPE: Final = b'{"type":"'


def _type_of_json(data: bytes) -> str:
    """The (counted) type of an event's JSON as :func:`bridge.binary_to_json` writes it: compact,
    ``type`` the first key."""
    if not data.startswith(_JSON_TYPE):
        return _OTHER
    end = data.find(b'"', len(_JSON_TYPE), len(_JSON_TYPE) + 80)
    if end < 0:
        return _OTHER
    try:
        name = data[len(_JSON_TYPE) : end].decode()
    except UnicodeDecodeError:
        return _OTHER
    return name if name in EVENT_TYPES else _OTHER


def _ignore(response: Any) -> None:
    return None


# ---------------------------------------------------------------------------------- exposition


class MetricsServer:
    """The HTTP server of ``/metrics`` (prometheus_client's), on a thread of its own."""

    def __init__(self, host: str, port: int, registry: Any) -> None:
        try:
            self._server, self._thread = start_http_server(port, addr=host, registry=registry)
        except OSError as error:
            where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            raise OSError(f"cannot serve metrics on {where}: {error.strerror or error}") from None
        self.host = host
        self.port = self._server.server_port
        _log.info("metrics on http://%s:%d/metrics", host, self.port)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5.0)


def serve(host: str, port: int) -> MetricsServer:
    """Serve this process's metrics (the default registry) on ``host:port``."""
    from prometheus_client import REGISTRY

    return MetricsServer(host, port, REGISTRY)


def serve_multiprocess(host: str, port: int, directory: str) -> MetricsServer:
    """Serve the sum of the metrics the processes writing to ``directory`` recorded."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    return MetricsServer(host, port, registry)


@contextlib.contextmanager
def multiprocess_directory() -> Iterator[str]:
    """A fresh directory for the workers' metric files (prometheus_client wants an empty one
    each run), removed afterwards."""
    directory = tempfile.mkdtemp(prefix="rtbridge-metrics-")
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def mark_process_dead(pid: int, directory: str) -> None:
    """Forget the in-flight gauges of a worker that exited (its counters stay in the sums)."""
    multiprocess.mark_process_dead(pid, directory)

