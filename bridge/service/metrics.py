"""Prometheus metrics of the bridge service: a gRPC server interceptor that counts what passes.

``rtbridge serve --metrics-port N`` installs :class:`MetricsInterceptor` (first, so that calls
refused by the token check are counted too) and serves the metrics over HTTP on
``--metrics-host`` (127.0.0.1 unless told otherwise). Everything is read off what the servicer
receives and returns, never by converting anything again: the calls by :class:`MetricsInterceptor`,
the documents converted (or not) by :class:`EventCounter`, which the servicer tells of each
(:class:`bridge.service.servicer.Observer`):

=================================================  ===================================================
``rtbridge_calls_total{rpc, code}``                calls ended, by RPC and gRPC status code
``rtbridge_call_duration_seconds{rpc}``            histogram of call durations (a stream: its lifetime)
``rtbridge_events_total{direction, type}``         events converted; ``direction`` is ``from_json``
                                                   or ``to_json``, ``type`` one of :data:`EVENT_TYPES`
                                                   or ``other``
``rtbridge_event_errors_total{direction, code}``   events that got an error result (or a failed unary
                                                   call): ``INVALID_ARGUMENT``, ``INTERNAL``,
                                                   ``RESOURCE_EXHAUSTED``
``rtbridge_event_drift_total{direction, type}``    events converted that carry what the schema does
                                                   not type (:func:`bridge.drift`): unknown keys,
                                                   values of the wrong type, a type of no class
                                                   (every ``other`` event); labels as above
``rtbridge_violations_total{kind}``                violations reported, by kind (:data:`bridge.errors.ViolationKind`)
``rtbridge_received_bytes_total{rpc}``,            request and response message bytes
``rtbridge_sent_bytes_total{rpc}``
``rtbridge_streams_in_flight{rpc}``                streams open now
=================================================  ===================================================

Every label has a closed set of values: ``rpc`` is a method the server has (the short name for
``BridgeService``, ``service/method`` for health and reflection), the event type is looked up in a
fixed list of the Realtime API's event types (anything else, whatever a client sends, is ``other``)
and a violation's kind is derived from its message by a fixed table, never its path or text.

Drift is read off the protobuf side of each conversion (the output of ``from_json``, the input of
``to_json``) by :func:`bridge.drift_of_binary`, which answers most events from a few bytes and
parses only those that may carry drift.

Event types are read where the converters leave them: the first field of a ``ServerEvent``'s (or
``ClientEvent``'s) bytes (``from_json``; ``type`` is field 1, written first) and the first key of the JSON
:func:`bridge.binary_to_json` writes (``to_json``; known keys come in schema order, ``type`` first).
(The ``direction`` label is the conversion, :attr:`bridge.service._rpcs.Rpc.conversion`; the
schema's server/client direction is not a label.)

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
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, Final

import grpc
from google.rpc import code_pb2
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
from bridge.convert import drift_of_binary
from bridge.errors import VIOLATION_KINDS, ValidationError, Violation
from bridge.framing import read_varint
from bridge.service import wire
from bridge.service._rpcs import SERVICE_NAME, Conversion, Rpc
from bridge.v1 import realtime_pb2

__all__ = [
    "EVENT_TYPES",
    "VIOLATION_KINDS",
    "EventCounter",
    "MetricsInterceptor",
    "MetricsServer",
    "event_type",
    "mark_process_dead",
    "multiprocess_directory",
    "serve",
    "serve_multiprocess",
]

_log = logging.getLogger("bridge.service")

_BRIDGE_PREFIX: Final = f"/{SERVICE_NAME}/"

#: The event types counted by name: every type the schema has a class for (the Realtime API's
#: server and client events, beta and GA); every other ``type`` is counted as ``other``.
EVENT_TYPES: Final = frozenset(_schema.EVENT_PLANS) | frozenset(_schema.CLIENT_EVENT_PLANS)
_OTHER: Final = "other"
#: The key of a ``ServerEvent``'s ``type``, which the converters write first (a ``ClientEvent``'s is
#: the same: checked on import).
_TYPE_KEY: Final = wire.key(wire.fields_of(realtime_pb2.ServerEvent)["type"])
if wire.key(wire.fields_of(realtime_pb2.ClientEvent)["type"]) != _TYPE_KEY:
    raise ImportError("bridge.service.metrics: ServerEvent.type and ClientEvent.type differ on the wire")

# A ``_created`` series beside every counter doubles the series for no use to the dashboards.
disable_created_metrics()

_DURATION_BUCKETS: Final = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
)

CALLS = Counter("rtbridge_calls", "Calls ended, by RPC and gRPC status code.", ["rpc", "code"])
DURATION = Histogram(
    "rtbridge_call_duration_seconds", "Call durations (a stream's: its lifetime).", ["rpc"], buckets=_DURATION_BUCKETS
)
# ("direction": the conversion, from_json or to_json; the label's name is what dashboards query)
EVENTS = Counter("rtbridge_events", "Events converted, by direction and event type.", ["direction", "type"])
EVENT_ERRORS = Counter(
    "rtbridge_event_errors", "Events not converted (error results, failed unary calls), by status code.",
    ["direction", "code"],
)
DRIFT = Counter(
    "rtbridge_event_drift",
    "Events converted that carry what the schema does not type (unknown keys, values of the wrong type, an event "
    "type of no class), by direction and event type.",
    ["direction", "type"],
)
VIOLATIONS = Counter("rtbridge_violations", "Violations reported to clients, by kind.", ["kind"])
RECEIVED = Counter("rtbridge_received_bytes", "Request message bytes received.", ["rpc"])
SENT = Counter("rtbridge_sent_bytes", "Response message bytes sent.", ["rpc"])
STREAMS = Gauge("rtbridge_streams_in_flight", "Streams open now.", ["rpc"], multiprocess_mode="livesum")

_CODE_NAMES: Final = {code.value[0]: code.name for code in grpc.StatusCode}
#: The codes of the documents not converted that are counted (a failed unary call, an error result).
_ERROR_CODES: Final = frozenset({code_pb2.INVALID_ARGUMENT, code_pb2.INTERNAL, code_pb2.RESOURCE_EXHAUSTED})


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


class EventCounter:
    """Counts the documents the servicer converted, by type, and those it did not, by code, with
    the violations it reported (a :class:`bridge.service.servicer.Observer`)."""

    def __init__(self) -> None:
        self._events = {conversion: _Labelled(EVENTS, conversion) for conversion in _TYPE_READERS}
        self._drift = {conversion: _Labelled(DRIFT, conversion) for conversion in _TYPE_READERS}
        self._errors = {conversion: _Labelled(EVENT_ERRORS, conversion) for conversion in _TYPE_READERS}

    def converted(self, rpc: Rpc, document: bytes, payload: bytes) -> None:
        conversion = rpc.conversion
        if conversion is None:
            return
        event_type = _TYPE_READERS[conversion](payload)
        self._events[conversion][event_type].inc()
        kind = rpc.kind
        assert kind is not None  # (a conversion's)
        try:
            drifted = drift_of_binary(payload if conversion == "from_json" else document, kind)  # (its protobuf side)
        except ValidationError:  # bytes that other converters (the servicer's are injectable) accepted
            return
        if drifted:
            self._drift[conversion][event_type].inc()

    def failed(self, rpc: Rpc, code: int, violations: Sequence[Violation]) -> None:
        if rpc.conversion is None or code not in _ERROR_CODES:
            return
        self._errors[rpc.conversion][_CODE_NAMES[code]].inc()
        if code == code_pb2.INVALID_ARGUMENT:
            for violation in violations:
                VIOLATIONS.labels(violation.kind).inc()


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


class _CallMetrics:
    """The series one method's calls are counted in."""

    def __init__(self, rpc: str) -> None:
        self.calls = _Labelled(CALLS, rpc)
        self.duration = DURATION.labels(rpc)
        self.received, self.sent = RECEIVED.labels(rpc), SENT.labels(rpc)
        self.in_flight = STREAMS.labels(rpc)

    def finish(self, started: float, code: str) -> None:
        self.calls[code].inc()
        self.duration.observe(time.perf_counter() - started)


def _instrument(method: str, handler: grpc.RpcMethodHandler[Any, Any]) -> grpc.RpcMethodHandler[Any, Any]:
    """``handler`` with its calls counted: its request bytes as they are read, then the call by
    :func:`_counted_unary` or :func:`_counted_stream`."""
    metrics = _CallMetrics(_rpc_label(method))
    deserialize = handler.request_deserializer

    def read(data: bytes) -> Any:
        metrics.received.inc(len(data))
        return deserialize(data) if deserialize is not None else data

    # (an aio server's behaviours are coroutine functions; grpc's stubs type the sync server's)
    streaming = handler.request_streaming
    if not handler.response_streaming:
        behaviour: Any = handler.stream_unary if streaming else handler.unary_unary
        count: Any = _counted_unary(behaviour, metrics)
        factory = grpc.stream_unary_rpc_method_handler if streaming else grpc.unary_unary_rpc_method_handler
    else:
        behaviour = handler.stream_stream if streaming else handler.unary_stream
        count = _counted_stream(behaviour, metrics)
        factory = grpc.stream_stream_rpc_method_handler if streaming else grpc.unary_stream_rpc_method_handler
    return factory(count, request_deserializer=read, response_serializer=handler.response_serializer)


def _counted_unary(behaviour: Any, metrics: _CallMetrics) -> Callable[..., Awaitable[Any]]:
    """A call with one response: its code, duration and response bytes."""

    async def unary(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        started = time.perf_counter()
        try:
            response = await behaviour(request, context)
        except BaseException as error:
            metrics.finish(started, _failure_code(error, context))
            raise
        metrics.sent.inc(_size(response))
        metrics.finish(started, _code_of(context))
        return response

    return unary


def _counted_stream(streamer: Any, metrics: _CallMetrics) -> Callable[..., AsyncIterator[Any]]:
    """A call with a stream of responses: in flight meanwhile, then its code, lifetime and bytes."""
    sent, in_flight = metrics.sent, metrics.in_flight

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
                        yield response
            else:  # a handler that writes with context.write() and returns None
                await responses
            code = _code_of(context)
        except BaseException as error:
            code = _failure_code(error, context)
            raise
        finally:
            in_flight.dec()
            metrics.finish(started, code)

    return streaming


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


# ------------------------------------------------------------------------------- event types


def event_type(data: bytes) -> str:
    """The (counted) type of a ``ServerEvent``'s (or ``ClientEvent``'s) bytes as
    :func:`bridge.json_to_binary` writes them: ``type`` (field 1, a string) comes first when it is
    there. One of :data:`EVENT_TYPES`, or ``other`` (also the session relay's label)."""
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


#: How the type of a converted document is read, by conversion (its output's form).
_TYPE_READERS: Final[dict[Conversion, Callable[[bytes], str]]] = {"from_json": event_type, "to_json": _type_of_json}


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

