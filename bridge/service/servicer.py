"""The RPCs of ``realtime.bridge.v1.BridgeService``: each one call into :mod:`bridge`.

A conversion is a function from a request message to the keyword arguments of its response
message; :func:`_unary` and :func:`_stream` make RPC methods of them, which differ only in how they
report a failure (see :mod:`bridge.service.errors`). Conversions run on the event loop: they take
microseconds for a Realtime event, less than a hop to a thread would cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from typing import Any, NamedTuple, TypeVar

import grpc
from google.protobuf.message import DecodeError, Message

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

#: Requests of a stream read while earlier results are being written.
_READ_AHEAD = 64
_END = object()

_Response = TypeVar("_Response", bound=Message)
_Conversion = Callable[[Any], dict[str, Any]]


def _event_from_json(request: Any) -> dict[str, Any]:
    return {"event": bridge.to_proto(bridge.decode_event(request.json, strict=request.strict))}


def _event_to_json(request: Any) -> dict[str, Any]:
    return {"json": bridge.encode(bridge.from_proto(request.event, strict=request.strict))}


def _response_from_json(request: Any) -> dict[str, Any]:
    return {"response": bridge.to_proto(bridge.decode_response(request.json, strict=request.strict))}


def _response_to_json(request: Any) -> dict[str, Any]:
    return {"json": bridge.encode(bridge.from_proto(request.response, strict=request.strict))}


def _unary(convert: _Conversion, response: type[_Response]) -> Callable[..., Awaitable[_Response]]:
    """A unary RPC: the converted request, or the call fails (INVALID_ARGUMENT or INTERNAL)."""

    async def rpc(self: Any, request: Any, context: grpc.aio.ServicerContext) -> _Response:
        try:
            if type(request) is _Malformed:
                raise request.error
            return response(**convert(request))
        except ValidationError as error:
            _log_bad_request(context, response, error)
            status = errors.invalid_argument_status(error)
        except Exception:  # noqa: BLE001 - a bug: log it, tell the caller only INTERNAL
            status = errors.internal_status(_log_failure(context, response))
        await context.abort(status.code, status.details, status.trailing_metadata)
        raise AssertionError("context.abort returned")  # pragma: no cover - abort always raises

    return rpc


def _stream(convert: _Conversion, result: type[_Response]) -> Callable[..., AsyncIterator[_Response]]:
    """A bidirectional RPC: one result per request, in order, numbered from 0; a failure is that
    request's result, never the stream's."""

    async def rpc(self: Any, requests: AsyncIterable[Any], context: grpc.aio.ServicerContext) -> AsyncIterator[_Response]:
        sequence = 0
        async with contextlib.aclosing(_read_ahead(requests)) as reading:
            async for request in reading:
                try:
                    if type(request) is _Malformed:
                        raise request.error
                    fields = convert(request)
                except ValidationError as error:
                    _log_bad_request(context, result, error, sequence)
                    fields = {"error": errors.conversion_error(error)}
                except Exception:  # noqa: BLE001 - a bug: log it, answer this input with INTERNAL
                    fields = {"error": errors.internal_conversion_error(_log_failure(context, result, sequence))}
                yield result(sequence=sequence, **fields)
                sequence += 1

    return rpc


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
    """``realtime.bridge.v1.BridgeService`` for ``grpc.aio`` servers (see service.proto)."""

    EventFromJson = _unary(_event_from_json, service_pb2.EventFromJsonResponse)
    EventToJson = _unary(_event_to_json, service_pb2.EventToJsonResponse)
    ResponseFromJson = _unary(_response_from_json, service_pb2.ResponseFromJsonResponse)
    ResponseToJson = _unary(_response_to_json, service_pb2.ResponseToJsonResponse)
    StreamEventsFromJson = _stream(_event_from_json, service_pb2.StreamEventsFromJsonResponse)
    StreamEventsToJson = _stream(_event_to_json, service_pb2.StreamEventsToJsonResponse)


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
