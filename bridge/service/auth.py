"""Optional bearer-token authentication: ``authorization: Bearer <token>`` on every call.

Health checks stay open (load balancers and orchestrators probe without credentials). The token is
compared in constant time and never logged.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

import grpc

from bridge.service.health import SERVICE_NAME as HEALTH_SERVICE
from bridge.service.servicer import HANDLER_FACTORIES

__all__ = ["BearerTokenInterceptor"]

async def _deny(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> None:
    await context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or invalid bearer token")


class BearerTokenInterceptor(grpc.aio.ServerInterceptor):
    """Refuse calls without the right bearer token with ``UNAUTHENTICATED``."""

    def __init__(self, token: str, *, open_prefixes: tuple[str, ...] = (f"/{HEALTH_SERVICE}/",)) -> None:
        if not token:
            raise ValueError("the bearer token must not be empty")
        self._token = token.encode()
        self._open_prefixes = open_prefixes
        self._denials: dict[str, grpc.RpcMethodHandler[Any, Any]] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(token=<hidden>)"

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Any, Any] | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method.startswith(self._open_prefixes):
            return handler
        if self._authorized(handler_call_details.invocation_metadata):
            return handler
        denial = self._denials.get(method)
        if denial is None:
            denial = self._denials[method] = _denial_like(handler)
        return denial

    def _authorized(self, metadata: Any) -> bool:
        for key, value in metadata or ():
            if key == "authorization" and isinstance(value, str):
                scheme, _, credential = value.partition(" ")
                return scheme.lower() == "bearer" and hmac.compare_digest(credential.strip().encode(), self._token)
        return False


def _denial_like(handler: grpc.RpcMethodHandler[Any, Any]) -> grpc.RpcMethodHandler[Any, Any]:
    """A handler of the same shape as ``handler`` (so the call is read as the client sends it) that
    refuses the call."""
    factory = HANDLER_FACTORIES[(handler.request_streaming, handler.response_streaming)]
    return factory(
        _deny,
        request_deserializer=handler.request_deserializer,
        response_serializer=handler.response_serializer,
    )
