"""The RPCs of ``realtime.bridge.v1.BridgeService``: each one call into :mod:`bridge`.

A :class:`_Conversion` names the request field an RPC reads, the :mod:`bridge` call that converts
it and the response field the result goes in; :func:`_unary` and :func:`_stream` make RPC methods of
them, which differ only in how they report a failure (see :mod:`bridge.service.errors`). A stream
request may carry a batch of events: each is converted on its own, and its result, numbered by its
position in the whole stream, goes in the ``results`` of the batch's response(s). Conversions run
on the event loop: they take microseconds for a Realtime event, less than a hop to a thread would
cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Sequence,
)
from typing import Any, NamedTuple, TypeVar

import grpc
from google.protobuf.message import DecodeError, Message
from google.rpc import code_pb2

import bridge
from bridge.errors import ValidationError
from bridge.service import errors
from bridge.v1 import service_pb2, service_pb2_grpc

__all__ = ["HANDLER_FACTORIES", "SERVICE_NAME", "BridgeServicer", "add_to_server"]

_SERVICE = service_pb2.DESCRIPTOR.services_by_name["BridgeService"]
SERVICE_NAME: str = _SERVICE.full_name

#: The grpc handler factory for each (request_streaming, response_streaming).
HANDLER_FACTORIES: dict[tuple[bool, bool], Callable[..., grpc.RpcMethodHandler]] = {
    (False, False): grpc.unary_unary_rpc_method_handler,
    (False, True): grpc.unary_stream_rpc_method_handler,
    (True, False): grpc.stream_unary_rpc_method_handler,
    (True, True): grpc.stream_stream_rpc_method_handler,
}

_log = logging.getLogger("bridge.service")

_MIB = 1024 * 1024
#: The bytes a response's ``results`` field adds around each result: its tag (field 4, one byte)
#: and a varint length, counted as at most 5 bytes (a result is under 4 GiB).
_RESULT_FRAMING = 6

#: Requests of a stream read while earlier results are being written.
_READ_AHEAD = 64
#: Events of a batch converted before other calls get the event loop (a 4 MiB batch of small
#: events takes most of a second).
_EVENTS_PER_TURN = 64
_END = object()

_Response = TypeVar("_Response", bound=Message)


class _Conversion(NamedTuple):
    """What an RPC converts: ``function(request.<source>, request.strict)`` is its response's
    ``<target>``; a batch holds its inputs in ``batch.<batch_source>``."""

    source: str
    function: Callable[[Any, bool], Any]
    target: str
    batch_source: str = ""


def _event_from_json(data: bytes, strict: bool) -> Message:
    return bridge.to_proto(bridge.decode_event(data, strict=strict))


def _response_from_json(data: bytes, strict: bool) -> Message:
    return bridge.to_proto(bridge.decode_response(data, strict=strict))


def _to_json(message: Message, strict: bool) -> bytes:
    return bridge.encode(bridge.from_proto(message, strict=strict))


_EVENT_FROM_JSON = _Conversion("json", _event_from_json, "event", batch_source="json")
_EVENT_TO_JSON = _Conversion("event", _to_json, "json", batch_source="events")
_RESPONSE_FROM_JSON = _Conversion("json", _response_from_json, "response")
_RESPONSE_TO_JSON = _Conversion("response", _to_json, "json")


def _unary(conversion: _Conversion, response: type[_Response]) -> Callable[..., Awaitable[_Response]]:
    """A unary RPC: the converted request, or the call fails (INVALID_ARGUMENT or INTERNAL)."""
    source, function, target = conversion.source, conversion.function, conversion.target

    async def rpc(self: Any, request: Any, context: grpc.aio.ServicerContext) -> _Response:
        try:
            if type(request) is _Malformed:
                raise request.error
            return response(**{target: function(getattr(request, source), request.strict)})
        except ValidationError as error:
            _log_bad_request(context, response, error)
            status = errors.invalid_argument_status(error)
        except Exception:  # noqa: BLE001 - a bug: log it, tell the caller only INTERNAL
            status = errors.internal_status(_log_failure(context, response))
        await context.abort(status.code, status.details, status.trailing_metadata)
        raise AssertionError("context.abort returned")  # pragma: no cover - abort always raises

    return rpc


def _stream(conversion: _Conversion, result: type[_Response]) -> Callable[..., AsyncIterator[_Response]]:
    """A bidirectional RPC: one result per event, in order, numbered from 0 across the stream; a
    failure is that event's result, never its batch's or the stream's."""
    source = conversion.source

    async def rpc(
        self: BridgeServicer, requests: AsyncIterable[Any], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[_Response]:
        sequence = 0
        async with contextlib.aclosing(_read_ahead(requests)) as reading:
            async for request in reading:
                if type(request) is not _Malformed and request.WhichOneof("input") == "batch":
                    inputs = getattr(request.batch, conversion.batch_source)
                    limit = self.max_message_bytes
                    async for response in _batch(conversion, inputs, request.strict, context, result, sequence, limit):
                        yield response
                    sequence += len(inputs)
                    continue
                if type(request) is _Malformed:
                    value, strict = request, False
                else:
                    value, strict = getattr(request, source), request.strict
                yield result(sequence=sequence, **_result_fields(conversion, value, strict, context, result, sequence))
                sequence += 1

    return rpc


def _result_fields(
    conversion: _Conversion,
    value: Any,
    strict: bool,
    context: grpc.aio.ServicerContext,
    result: type[Message],
    sequence: int,
) -> dict[str, Any]:
    """The fields of the result for one input of a stream: the converted input, or why not."""
    try:
        if type(value) is _Malformed:
            raise value.error
        return {conversion.target: conversion.function(value, strict)}
    except ValidationError as error:
        _log_bad_request(context, result, error, sequence)
        return {"error": errors.conversion_error(error)}
    except Exception:  # noqa: BLE001 - a bug: log it, answer this input with INTERNAL
        return {"error": errors.internal_conversion_error(_log_failure(context, result, sequence))}


async def _batch(
    conversion: _Conversion,
    inputs: Sequence[Any],
    strict: bool,
    context: grpc.aio.ServicerContext,
    result: type[_Response],
    sequence: int,
    max_message_bytes: int,
) -> AsyncIterator[_Response]:
    """The response(s) to one batch: its results in order, numbered from ``sequence``, in as few
    messages of at most ``max_message_bytes`` as they fit in (one, empty, for an empty batch)."""
    response = result()
    size = 0
    for position, value in enumerate(inputs, sequence):
        if position > sequence and (position - sequence) % _EVENTS_PER_TURN == 0:
            await asyncio.sleep(0)
        fields = _result_fields(conversion, value, strict, context, result, position)
        item = response.results.add(sequence=position, **fields)
        item_size = item.ByteSize() + _RESULT_FRAMING
        if item_size > max_message_bytes:
            fields = {"error": _too_big(item_size, max_message_bytes, context, result, position)}
            item.error.CopyFrom(fields["error"])
            item_size = item.ByteSize() + _RESULT_FRAMING
        if size and size + item_size > max_message_bytes:
            del response.results[-1]
            yield response
            response = result()
            response.results.add(sequence=position, **fields)
            size = 0
        size += item_size
    yield response


def _too_big(
    size: int, limit: int, context: grpc.aio.ServicerContext, result: type[Message], sequence: int
) -> service_pb2.ConversionError:
    message = f"the result ({size} bytes) is larger than the maximum message size ({limit} bytes)"
    _log.info(
        "result too big in %s%s (request id %s): %s", _rpc(result), _where(sequence), _request_id(context), message
    )
    return service_pb2.ConversionError(code=code_pb2.RESOURCE_EXHAUSTED, message=message)


async def _read_ahead(requests: AsyncIterable[Any]) -> AsyncIterator[Any]:
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


class BridgeServicer(service_pb2_grpc.BridgeServiceServicer):
    """``realtime.bridge.v1.BridgeService`` for ``grpc.aio`` servers (see service.proto).

    ``max_message_bytes`` should be the server's maximum send message size: the results of a
    stream's batch are split over as many responses as keep each under it.
    """

    def __init__(self, *, max_message_bytes: int = 4 * _MIB) -> None:
        self.max_message_bytes = max_message_bytes

    EventFromJson = _unary(_EVENT_FROM_JSON, service_pb2.EventFromJsonResponse)
    EventToJson = _unary(_EVENT_TO_JSON, service_pb2.EventToJsonResponse)
    ResponseFromJson = _unary(_RESPONSE_FROM_JSON, service_pb2.ResponseFromJsonResponse)
    ResponseToJson = _unary(_RESPONSE_TO_JSON, service_pb2.ResponseToJsonResponse)
    StreamEventsFromJson = _stream(_EVENT_FROM_JSON, service_pb2.StreamEventsFromJsonResponse)
    StreamEventsToJson = _stream(_EVENT_TO_JSON, service_pb2.StreamEventsToJsonResponse)


def add_to_server(servicer: BridgeServicer, server: grpc.aio.Server) -> None:
    """Register ``servicer`` as the generated ``add_BridgeServiceServicer_to_server`` would, except
    that a request message that does not parse is bad input like any other (INVALID_ARGUMENT, or
    an error result in a stream, which goes on) rather than grpc's UNKNOWN."""
    handlers = {}
    for method in _SERVICE.methods:
        factory = HANDLER_FACTORIES[(method.client_streaming, method.server_streaming)]
        handlers[method.name] = factory(
            getattr(servicer, method.name),
            request_deserializer=_lenient_parser(getattr(service_pb2, method.input_type.name)),
            response_serializer=getattr(service_pb2, method.output_type.name).SerializeToString,
        )
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE_NAME, handlers),))
    server.add_registered_method_handlers(SERVICE_NAME, handlers)


class _Malformed(NamedTuple):
    """A request message that did not parse, handed to the RPC in its place."""

    error: ValidationError


def _lenient_parser(message: type[Message]) -> Callable[[bytes], Any]:
    def parse(data: bytes) -> Any:
        try:
            return message.FromString(data)
        except DecodeError as error:
            return _Malformed(ValidationError.at("$", f"malformed request message: {error}"))

    return parse


def _log_failure(context: grpc.aio.ServicerContext, response: type[Message], sequence: int | None = None) -> str:
    """Log the exception being handled under a request id (the caller's ``x-request-id`` if sent);
    return the id."""
    request_id = _request_id(context)
    _log.exception("unexpected failure in %s%s (request id %s)", _rpc(response), _where(sequence), request_id)
    return request_id


def _log_bad_request(
    context: grpc.aio.ServicerContext, response: type[Message], error: ValidationError, sequence: int | None = None
) -> None:
    """One line per rejected input: enough to find it (request id, RPC, position) and see why
    (the first violation's path and reason; never the input itself)."""
    if not _log.isEnabledFor(logging.INFO):
        return
    first = error.violations[0]
    _log.info(
        "bad request in %s%s (request id %s): %d violation(s); first at %s: %s",
        _rpc(response), _where(sequence), _request_id(context), len(error.violations), first.path, first.message[:200],
    )


def _rpc(response: type[Message]) -> str:
    return response.DESCRIPTOR.name.removesuffix("Response")  # messages are named <Rpc>Response


def _where(sequence: int | None) -> str:
    return "" if sequence is None else f" at stream position {sequence}"


def _request_id(context: grpc.aio.ServicerContext) -> str:
    for key, value in context.invocation_metadata() or ():
        if key == "x-request-id" and isinstance(value, str) and 0 < len(value) <= 128 and value.isprintable():
            return value
    return uuid.uuid4().hex
