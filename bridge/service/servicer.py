"""The RPCs of ``realtime.bridge.v1.BridgeService``: each one call into :mod:`bridge`'s public
converters, :func:`bridge.json_to_binary` and :func:`bridge.binary_to_json`, on the bytes a request
carries.

No message objects are built on the way: a request is read only as far as its envelope (the bytes
of the JSON or of the protobuf it holds, and ``strict``), and the converter's output is framed into
the response as it is (:mod:`bridge.service.wire`); the handlers are registered with serializers
that pass bytes through (:func:`add_to_server`). :func:`_unary` and :func:`_stream` make the
handler of each conversion from its entry in the table of RPCs (:mod:`bridge.service._rpcs`, read
off service.proto); they differ only in how they report a failure (see
:mod:`bridge.service.errors`). The converters are the servicer's :class:`Converters` (:mod:`bridge`
unless given), and an :class:`Observer` (the metrics) is told of every document converted or not. A
stream request may carry a batch of events: each is converted on its own, and its result, numbered
by its position in the whole stream, goes in the ``results`` of the batch's response(s).
Conversions run on the event loop: they take microseconds for a Realtime event, less than a hop to
a thread would cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, Final, NamedTuple, Protocol, cast

import grpc
from google.protobuf.message import DecodeError
from google.rpc import code_pb2

import bridge
from bridge.errors import ValidationError, Violation
from bridge.service import errors, wire
from bridge.service._rpcs import RPCS, SERVICE_NAME, Rpc
from bridge.v1 import service_pb2

__all__ = ["HANDLER_FACTORIES", "SERVICE_NAME", "BridgeServicer", "Convert", "Converters", "Observer", "add_to_server"]

#: The grpc handler factory for each (request_streaming, response_streaming).
HANDLER_FACTORIES: dict[tuple[bool, bool], Callable[..., grpc.RpcMethodHandler[Any, Any]]] = {
    (False, False): grpc.unary_unary_rpc_method_handler,
    (False, True): grpc.unary_stream_rpc_method_handler,
    (True, False): grpc.stream_unary_rpc_method_handler,
    (True, True): grpc.stream_stream_rpc_method_handler,
}

_log = logging.getLogger("bridge.service")

_MIB = 1024 * 1024

#: Requests of a stream read while earlier results are being written.
_READ_AHEAD = 64
#: Events of a batch converted before other calls get the event loop (a 4 MiB batch of small
#: events takes most of a second).
_EVENTS_PER_TURN = 64
_END = object()

#: A converter: ``convert(data, kind=..., strict=...) -> bytes`` (:func:`bridge.json_to_binary`).
Convert = Callable[..., bytes]
_Context = grpc.aio.ServicerContext[Any, Any]


class Converters(Protocol):
    """What the servicer converts with: :mod:`bridge` itself by default (its functions looked up
    at each call, so that the public function is what runs), or any object with the same two."""

    @property
    def json_to_binary(self) -> Convert: ...

    @property
    def binary_to_json(self) -> Convert: ...


class Observer(Protocol):
    """Told what the servicer converted and what failed (:class:`bridge.service.metrics.EventCounter`
    counts it)."""

    def converted(self, rpc: Rpc, document: bytes, payload: bytes) -> None:
        """One document of ``rpc`` (``document``, as the request carried it) converted to ``payload``."""

    def failed(self, rpc: Rpc, code: int, violations: Sequence[Violation]) -> None:
        """One document of ``rpc`` (or a request that did not parse) failed with ``code`` (a
        ``google.rpc.Code``), reporting ``violations`` to the caller."""


#: The converter each way.
_CONVERTER_NAMES: Final = {"from_json": "json_to_binary", "to_json": "binary_to_json"}


def _converter_of(rpc: Rpc) -> str:
    """The name, among :class:`Converters`, of what the conversion ``rpc`` calls."""
    if rpc.conversion is None:
        raise TypeError(f"{rpc.path} is not a conversion")
    return _CONVERTER_NAMES[rpc.conversion]


class _Call(NamedTuple):
    """What one call's handler works with."""

    rpc: Rpc
    convert: Convert
    context: _Context
    observer: Observer | None


def _unary(rpc: Rpc) -> Callable[..., Awaitable[bytes]]:
    """A unary conversion: the converted request, or the call fails (INVALID_ARGUMENT or INTERNAL)."""
    converter, kind = _converter_of(rpc), rpc.kind

    async def handler(self: BridgeServicer, request: wire.Envelope | _Malformed, context: _Context) -> bytes:
        observer = self.observer
        try:
            if isinstance(request, _Malformed):
                raise request.error
            data, strict = request
            payload = getattr(self.converters, converter)(data, kind=kind, strict=strict)
            response = wire.unary(payload)
        except ValidationError as error:
            _log_bad_request(context, rpc.name, error)
            status = errors.invalid_argument_status(error)
            if observer is not None:
                observer.failed(rpc, code_pb2.INVALID_ARGUMENT, errors.listed(error, errors.STATUS_BUDGET))
        except Exception:  # noqa: BLE001 - a bug: log it, tell the caller only INTERNAL
            status = errors.internal_status(_log_failure(context, rpc.name))
            if observer is not None:
                observer.failed(rpc, code_pb2.INTERNAL, ())
        else:
            if observer is not None:
                observer.converted(rpc, cast(bytes, data), payload)  # (a unary request holds no batch)
            return response
        await context.abort(status.code, status.details, status.trailing_metadata)
        raise AssertionError("context.abort returned")  # pragma: no cover - abort always raises

    handler.__name__ = handler.__qualname__ = rpc.name
    return handler


def _stream(rpc: Rpc) -> Callable[..., AsyncIterator[bytes]]:
    """A bidirectional conversion: one result per event, in order, numbered from 0 across the
    stream; a failure is that event's result, never its batch's or the stream's."""
    converter, kind = _converter_of(rpc), rpc.kind

    async def handler(
        self: BridgeServicer, requests: AsyncIterable[wire.Envelope | _Malformed], context: _Context
    ) -> AsyncIterator[bytes]:
        sequence = 0
        convert, observer = getattr(self.converters, converter), self.observer
        call = _Call(rpc, convert, context, observer)
        async with contextlib.aclosing(_read_ahead(requests)) as reading:
            async for request in reading:
                if isinstance(request, _Malformed):
                    yield wire.error_result(sequence, _error_result(request.error, call, sequence))
                    sequence += 1
                    continue
                data, strict = request
                if type(data) is wire.Batch:
                    items = data.items
                    async for response in _batch(call, kind, items, strict, sequence, self.max_message_bytes):
                        yield response
                    sequence += len(items)
                    continue
                try:
                    payload = convert(data, kind=kind, strict=strict)
                except Exception as error:  # noqa: BLE001 - bad input or a bug: this event's result
                    response = wire.error_result(sequence, _error_result(error, call, sequence))
                else:
                    if observer is not None:
                        observer.converted(rpc, data, payload)
                    response = wire.result(sequence, payload)
                yield response
                sequence += 1

    handler.__name__ = handler.__qualname__ = rpc.name
    return handler


def _error_result(error: Exception, call: _Call, sequence: int) -> service_pb2.ConversionError:
    """The error result for one input of a stream that ``error`` (being handled) stopped."""
    if isinstance(error, ValidationError):
        _log_bad_request(call.context, call.rpc.name, error, sequence)
        result = errors.conversion_error(error)
    else:
        result = errors.internal_conversion_error(_log_failure(call.context, call.rpc.name, sequence))
    _report_failure(call, result)
    return result


def _report_failure(call: _Call, result: service_pb2.ConversionError) -> None:
    if call.observer is not None:
        call.observer.failed(call.rpc, result.code, errors.violations_of(result.violations))


async def _batch(
    call: _Call, kind: str | None, items: Sequence[bytes], strict: bool, sequence: int, max_message_bytes: int
) -> AsyncIterator[bytes]:
    """The response(s) to one batch of ``kind`` documents: its results in order, numbered from
    ``sequence``, in as few messages of at most ``max_message_bytes`` as they fit in (one, empty,
    for an empty batch).

    The events are converted :data:`_EVENTS_PER_TURN` at a time (:func:`_convert_all`), then
    framed: a turn whose results all converted and fit in the response being built is framed in
    one tight loop (the ceiling server's, :mod:`benchmarks.ceiling`), any other entry by entry
    (error tags, results too big for a message, a response split in two)."""
    head_of, value_tag, error_tag = wire.batch_head, wire.VALUE, wire.ERROR
    observer = call.observer
    pieces: list[bytes] = []  # head, payload, head, payload, ...: joined once per response
    size = 0
    count = len(items)
    for start in range(0, count, _EVENTS_PER_TURN):
        if start:
            await asyncio.sleep(0)
        first = sequence + start
        documents = items if count <= _EVENTS_PER_TURN else items[start : start + _EVENTS_PER_TURN]
        payloads, failed = _convert_all(call, kind, documents, strict, first)
        if not failed:
            entries: list[bytes] = []
            for position, payload in enumerate(payloads, first):
                entries += (head_of(position, len(payload)), payload)
            entries_size = sum(map(len, entries))
            if size + entries_size <= max_message_bytes:  # each entry fits, and all of them together
                pieces += entries
                size += entries_size
                if observer is not None:
                    for document, payload in zip(documents, payloads, strict=True):
                        observer.converted(call.rpc, document, payload)
                continue
        for position, payload in enumerate(payloads, first):
            tag = error_tag if position in failed else value_tag
            head = head_of(position, len(payload), tag)
            entry_size = len(head) + len(payload)
            if entry_size > max_message_bytes:
                too_big = _too_big(entry_size, max_message_bytes, call, position)
                payload, tag = too_big.SerializeToString(), error_tag
                head = head_of(position, len(payload), tag)
                entry_size = len(head) + len(payload)
            if observer is not None and tag is value_tag:
                observer.converted(call.rpc, documents[position - first], payload)
            if size and size + entry_size > max_message_bytes:
                yield b"".join(pieces)
                pieces, size = [], 0
            pieces += (head, payload)
            size += entry_size
    yield b"".join(pieces)


def _convert_all(
    call: _Call, kind: str | None, items: Sequence[bytes], strict: bool, sequence: int
) -> tuple[list[bytes], set[int]]:
    """Each of ``items`` converted, in order, or the serialised ``ConversionError`` it gave, and
    the stream positions (from ``sequence``) of the latter."""
    convert = call.convert
    payloads: list[bytes] = []
    append = payloads.append
    failed: set[int] = set()
    documents = iter(items)
    while True:
        try:
            for data in documents:
                append(convert(data, kind=kind, strict=strict))
        except Exception as error:  # noqa: BLE001 - bad input or a bug: this event's result
            position = sequence + len(payloads)
            failed.add(position)
            append(_error_result(error, call, position).SerializeToString())
            continue  # with the next document: the loop took the failed one off the iterator
        return payloads, failed


def _too_big(size: int, limit: int, call: _Call, sequence: int) -> service_pb2.ConversionError:
    message = f"the result ({size} bytes) is larger than the maximum message size ({limit} bytes)"
    _log.info(
        "result too big in %s%s (request id %s): %s", call.rpc.name, _where(sequence), _request_id(call.context), message
    )
    result = service_pb2.ConversionError(code=code_pb2.RESOURCE_EXHAUSTED, message=message)
    _report_failure(call, result)
    return result


async def _read_ahead(requests: AsyncIterable[Any]) -> AsyncGenerator[Any, None]:
    """``requests``, read on a task of their own up to :data:`_READ_AHEAD` ahead of the caller.

    grpc.aio completes one write before the handler asks for the next request; reading meanwhile
    keeps both directions of the stream busy, so one stream is not held to one round trip per event.
    """
    queue: asyncio.Queue[Any] = asyncio.Queue(_READ_AHEAD)

    async def pump() -> None:
        try:
            async for request in requests:
                await queue.put(request)
        except Exception as error:  # noqa: BLE001 - handed to the reader below, which raises it
            await queue.put(error)
        else:
            await queue.put(_END)

    task = asyncio.create_task(pump())
    try:
        while (item := await queue.get()) is not _END:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        task.cancel()


class BridgeServicer:
    """``realtime.bridge.v1.BridgeService`` for ``grpc.aio`` servers (see service.proto).

    Its handlers take the requests as :func:`add_to_server` reads them and return response bytes:
    register it with :func:`add_to_server` (the generated ``service_pb2_grpc`` holds the client stub
    only: ``proto/generate.py``).
    Every conversion of the service (:data:`bridge.service._rpcs.CONVERSIONS`) is handled by
    :func:`_unary` or :func:`_stream`, made from its entry in the table; any other RPC needs a
    method of this class named after it (:meth:`handler`).

    ``max_message_bytes`` should be the server's maximum send message size: the results of a
    stream's batch are split over as many responses as keep each under it. ``converters`` are what
    the conversions call (:class:`Converters`), ``observer`` what is told of each (metrics).
    """

    def __init__(
        self,
        *,
        max_message_bytes: int = 4 * _MIB,
        converters: Converters = bridge,
        observer: Observer | None = None,
    ) -> None:
        self.max_message_bytes = max_message_bytes
        self.converters = converters
        self.observer = observer

    def handler(self, rpc: Rpc) -> Callable[..., Any]:
        """The bound handler of ``rpc``: this class's method of its name, else the conversion's."""
        method = getattr(self, rpc.name, None)
        if method is not None:
            return method  # type: ignore[no-any-return]
        make = _CONVERSION_HANDLERS.get((rpc.request_streaming, rpc.response_streaming))
        if rpc.conversion is None or make is None:
            raise TypeError(f"{type(self).__name__} has no handler for {rpc.path}")
        return make(rpc).__get__(self)  # type: ignore[no-any-return]


#: The handler of a conversion, by (request_streaming, response_streaming).
_CONVERSION_HANDLERS: Final[dict[tuple[bool, bool], Callable[[Rpc], Callable[..., Any]]]] = {
    (False, False): _unary,
    (True, True): _stream,
}


def add_to_server(servicer: BridgeServicer, server: grpc.aio.Server, rpcs: Sequence[Rpc] = RPCS) -> None:
    """Register ``servicer`` for every RPC of the service (``rpcs``): requests are read as far as
    their envelope (:mod:`bridge.service.wire`) and responses go out as the bytes the servicer
    made. A request message that does not parse is bad input like any other (INVALID_ARGUMENT, or
    an error result in a stream, which goes on) rather than grpc's UNKNOWN."""
    handlers = {}
    for rpc in rpcs:
        factory = HANDLER_FACTORIES[(rpc.request_streaming, rpc.response_streaming)]
        if rpc.conversion is None:  # a handler of this class's own, on messages
            handlers[rpc.name] = factory(
                servicer.handler(rpc),
                request_deserializer=rpc.request.FromString,
                response_serializer=rpc.response.SerializeToString,
            )
            continue
        handlers[rpc.name] = factory(
            servicer.handler(rpc),
            request_deserializer=_lenient_parser(wire.READERS.get(rpc.name) or wire.reader(rpc)),
            response_serializer=None,  # the handlers return the serialised response
        )
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE_NAME, handlers),))
    server.add_registered_method_handlers(SERVICE_NAME, handlers)


class _Malformed(NamedTuple):
    """A request message that did not parse, handed to the RPC in its place."""

    error: ValidationError


def _lenient_parser(read: Callable[[bytes], Any]) -> Callable[[bytes], Any]:
    def parse(data: bytes) -> Any:
        try:
            return read(data)
        except DecodeError as error:
            return _Malformed(ValidationError.at("$", f"malformed request message: {error}", "malformed"))

    return parse


def _log_failure(context: grpc.aio.ServicerContext[Any, Any], rpc_name: str, sequence: int | None = None) -> str:
    """Log the exception being handled under a request id (the caller's ``x-request-id`` if sent);
    return the id."""
    request_id = _request_id(context)
    _log.exception("unexpected failure in %s%s (request id %s)", rpc_name, _where(sequence), request_id)
    return request_id


def _log_bad_request(
    context: grpc.aio.ServicerContext[Any, Any], rpc_name: str, error: ValidationError, sequence: int | None = None
) -> None:
    """One line per rejected input: enough to find it (request id, RPC, position) and see why
    (the first violation's path and reason; never the input itself)."""
    if not _log.isEnabledFor(logging.INFO):
        return
    first = error.violations[0]
    _log.info(
        "bad request in %s%s (request id %s): %d violation(s); first at %s: %s",
        rpc_name, _where(sequence), _request_id(context), len(error.violations), first.path, first.message[:200],
    )


def _where(sequence: int | None) -> str:
    return "" if sequence is None else f" at stream position {sequence}"


def _request_id(context: grpc.aio.ServicerContext[Any, Any]) -> str:
    for key, value in context.invocation_metadata() or ():
        if key == "x-request-id" and isinstance(value, str) and 0 < len(value) <= 128 and value.isprintable():
            return value
    return uuid.uuid4().hex
