"""The RPCs of ``realtime.bridge.v1.BridgeService``: each one call into :mod:`bridge`'s public
converters, :func:`bridge.json_to_binary` and :func:`bridge.binary_to_json`, on the bytes a request
carries.

No message objects are built on the way: a request is read only as far as its envelope (the bytes
of the JSON or of the protobuf it holds, and ``strict``), and the converter's output is framed into
the response as it is (:mod:`bridge.service.wire`); the handlers are registered with serializers
that pass bytes through (:func:`add_to_server`). :func:`_unary` and :func:`_stream` make the RPC
methods, which differ only in how they report a failure (see :mod:`bridge.service.errors`). A
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
from typing import Any, Final, NamedTuple

import grpc
from google.protobuf.message import DecodeError
from google.rpc import code_pb2

import bridge
from bridge.errors import ValidationError
from bridge.service import errors, wire
from bridge.v1 import service_pb2

__all__ = ["HANDLER_FACTORIES", "SERVICE_NAME", "BridgeServicer", "add_to_server"]

_SERVICE = service_pb2.DESCRIPTOR.services_by_name["BridgeService"]
SERVICE_NAME: str = _SERVICE.full_name

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

#: The converter each RPC calls, by its name in :mod:`bridge` (looked up at each call, so that the
#: public function is what runs), and the kind of document it converts.
_TO_BINARY: Final = "json_to_binary"
_TO_JSON: Final = "binary_to_json"

#: How each RPC's request is read (the request deserializer, through :func:`_lenient_parser`).
_ENVELOPES: Final[dict[str, Callable[[bytes], wire.Envelope]]] = {
    "EventFromJson": wire.event_from_json,
    "EventToJson": wire.event_to_json,
    "ResponseFromJson": wire.response_from_json,
    "ResponseToJson": wire.response_to_json,
    "StreamEventsFromJson": wire.stream_from_json,
    "StreamEventsToJson": wire.stream_to_json,
    "ClientEventFromJson": wire.client_event_from_json,
    "ClientEventToJson": wire.client_event_to_json,
    "StreamClientEventsFromJson": wire.stream_client_from_json,
    "StreamClientEventsToJson": wire.stream_client_to_json,
}


def _unary(rpc_name: str, converter: str, kind: str) -> Callable[..., Awaitable[bytes]]:
    """A unary RPC: the converted request, or the call fails (INVALID_ARGUMENT or INTERNAL)."""

    async def rpc(self: BridgeServicer, request: wire.Envelope | _Malformed, context: grpc.aio.ServicerContext[Any, Any]) -> bytes:
        try:
            if isinstance(request, _Malformed):
                raise request.error
            data, strict = request
            return wire.unary(getattr(bridge, converter)(data, kind=kind, strict=strict))
        except ValidationError as error:
            _log_bad_request(context, rpc_name, error)
            status = errors.invalid_argument_status(error)
        except Exception:  # noqa: BLE001 - a bug: log it, tell the caller only INTERNAL
            status = errors.internal_status(_log_failure(context, rpc_name))
        await context.abort(status.code, status.details, status.trailing_metadata)
        raise AssertionError("context.abort returned")  # pragma: no cover - abort always raises

    rpc.__name__ = rpc.__qualname__ = rpc_name
    return rpc


def _stream(rpc_name: str, converter: str, kind: str) -> Callable[..., AsyncIterator[bytes]]:
    """A bidirectional RPC: one result per event, in order, numbered from 0 across the stream; a
    failure is that event's result, never its batch's or the stream's."""

    async def rpc(
        self: BridgeServicer, requests: AsyncIterable[wire.Envelope | _Malformed], context: grpc.aio.ServicerContext[Any, Any]
    ) -> AsyncIterator[bytes]:
        sequence = 0
        async with contextlib.aclosing(_read_ahead(requests)) as reading:
            async for request in reading:
                if isinstance(request, _Malformed):
                    yield wire.error_result(sequence, _error_result(request.error, context, rpc_name, sequence))
                    sequence += 1
                    continue
                data, strict = request
                convert = getattr(bridge, converter)
                if type(data) is wire.Batch:
                    items = data.items
                    async for response in _batch(
                        convert, kind, items, strict, context, rpc_name, sequence, self.max_message_bytes
                    ):
                        yield response
                    sequence += len(items)
                    continue
                try:
                    response = wire.result(sequence, convert(data, kind=kind, strict=strict))
                except Exception as error:  # noqa: BLE001 - bad input or a bug: this event's result
                    response = wire.error_result(sequence, _error_result(error, context, rpc_name, sequence))
                yield response
                sequence += 1

    rpc.__name__ = rpc.__qualname__ = rpc_name
    return rpc


def _error_result(
    error: Exception, context: grpc.aio.ServicerContext[Any, Any], rpc_name: str, sequence: int
) -> service_pb2.ConversionError:
    """The error result for one input of a stream that ``error`` (being handled) stopped."""
    if isinstance(error, ValidationError):
        _log_bad_request(context, rpc_name, error, sequence)
        return errors.conversion_error(error)
    return errors.internal_conversion_error(_log_failure(context, rpc_name, sequence))


async def _batch(
    convert: Callable[..., bytes],
    kind: str,
    items: Sequence[bytes],
    strict: bool,
    context: grpc.aio.ServicerContext[Any, Any],
    rpc_name: str,
    sequence: int,
    max_message_bytes: int,
) -> AsyncIterator[bytes]:
    """The response(s) to one batch of ``kind`` documents: its results in order, numbered from
    ``sequence``, in as few messages of at most ``max_message_bytes`` as they fit in (one, empty,
    for an empty batch).

    The events are converted :data:`_EVENTS_PER_TURN` at a time (:func:`_convert_all`), then
    framed: a turn whose results all converted and fit in the response being built is framed in
    one tight loop (the ceiling server's, :mod:`benchmarks.ceiling`), any other entry by entry
    (error tags, results too big for a message, a response split in two)."""
    head_of, value_tag, error_tag = wire.batch_head, wire.VALUE, wire.ERROR
    pieces: list[bytes] = []  # head, payload, head, payload, ...: joined once per response
    size = 0
    count = len(items)
    for start in range(0, count, _EVENTS_PER_TURN):
        if start:
            await asyncio.sleep(0)
        first = sequence + start
        payloads, failed = _convert_all(
            convert, kind, items if count <= _EVENTS_PER_TURN else items[start : start + _EVENTS_PER_TURN],
            strict, context, rpc_name, first,
        )
        if not failed:
            entries: list[bytes] = []
            for position, payload in enumerate(payloads, first):
                entries += (head_of(position, len(payload)), payload)
            entries_size = sum(map(len, entries))
            if size + entries_size <= max_message_bytes:  # each entry fits, and all of them together
                pieces += entries
                size += entries_size
                continue
        for position, payload in enumerate(payloads, first):
            tag = error_tag if position in failed else value_tag
            head = head_of(position, len(payload), tag)
            entry_size = len(head) + len(payload)
            if entry_size > max_message_bytes:
                payload = _too_big(entry_size, max_message_bytes, context, rpc_name, position).SerializeToString()
                head = head_of(position, len(payload), error_tag)
                entry_size = len(head) + len(payload)
            if size and size + entry_size > max_message_bytes:
                yield b"".join(pieces)
                pieces, size = [], 0
            pieces += (head, payload)
            size += entry_size
    yield b"".join(pieces)


def _convert_all(
    convert: Callable[..., bytes],
    kind: str,
    items: Sequence[bytes],
    strict: bool,
    context: grpc.aio.ServicerContext[Any, Any],
    rpc_name: str,
    sequence: int,
) -> tuple[list[bytes], set[int]]:
    """Each of ``items`` converted, in order, or the serialised ``ConversionError`` it gave, and
    the stream positions (from ``sequence``) of the latter."""
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
            append(_error_result(error, context, rpc_name, position).SerializeToString())
            continue  # with the next document: the loop took the failed one off the iterator
        return payloads, failed


def _too_big(
    size: int, limit: int, context: grpc.aio.ServicerContext[Any, Any], rpc_name: str, sequence: int
) -> service_pb2.ConversionError:
    message = f"the result ({size} bytes) is larger than the maximum message size ({limit} bytes)"
    _log.info("result too big in %s%s (request id %s): %s", rpc_name, _where(sequence), _request_id(context), message)
    return service_pb2.ConversionError(code=code_pb2.RESOURCE_EXHAUSTED, message=message)


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

    Its methods take the requests as :func:`add_to_server` reads them and return response bytes:
    register it with :func:`add_to_server`, not the generated ``add_BridgeServiceServicer_to_server``.
    ``max_message_bytes`` should be the server's maximum send message size: the results of a
    stream's batch are split over as many responses as keep each under it.
    """

    def __init__(self, *, max_message_bytes: int = 4 * _MIB) -> None:
        self.max_message_bytes = max_message_bytes

    EventFromJson = _unary("EventFromJson", _TO_BINARY, "event")
    EventToJson = _unary("EventToJson", _TO_JSON, "event")
    ResponseFromJson = _unary("ResponseFromJson", _TO_BINARY, "response")
    ResponseToJson = _unary("ResponseToJson", _TO_JSON, "response")
    StreamEventsFromJson = _stream("StreamEventsFromJson", _TO_BINARY, "event")
    StreamEventsToJson = _stream("StreamEventsToJson", _TO_JSON, "event")
    ClientEventFromJson = _unary("ClientEventFromJson", _TO_BINARY, "client_event")
    ClientEventToJson = _unary("ClientEventToJson", _TO_JSON, "client_event")
    StreamClientEventsFromJson = _stream("StreamClientEventsFromJson", _TO_BINARY, "client_event")
    StreamClientEventsToJson = _stream("StreamClientEventsToJson", _TO_JSON, "client_event")


def add_to_server(servicer: BridgeServicer, server: grpc.aio.Server) -> None:
    """Register ``servicer`` for every RPC of the service: requests are read as far as their
    envelope (:mod:`bridge.service.wire`) and responses go out as the bytes the servicer made. A
    request message that does not parse is bad input like any other (INVALID_ARGUMENT, or an error
    result in a stream, which goes on) rather than grpc's UNKNOWN."""
    handlers = {}
    for method in _SERVICE.methods:
        factory = HANDLER_FACTORIES[(method.client_streaming, method.server_streaming)]
        handlers[method.name] = factory(
            getattr(servicer, method.name),
            request_deserializer=_lenient_parser(_ENVELOPES[method.name]),
            response_serializer=None,  # the handlers return the serialised response
        )
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE_NAME, handlers),))
    server.add_registered_method_handlers(SERVICE_NAME, handlers)


class _Malformed(NamedTuple):
    """A request message that did not parse, handed to the RPC in its place."""

    error: ValidationError


def _lenient_parser(read: Callable[[bytes], wire.Envelope]) -> Callable[[bytes], wire.Envelope | _Malformed]:
    def parse(data: bytes) -> wire.Envelope | _Malformed:
        try:
            return read(data)
        except DecodeError as error:
            return _Malformed(ValidationError.at("$", f"malformed request message: {error}"))

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
