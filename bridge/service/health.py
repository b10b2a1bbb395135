"""``grpc.health.v1.Health`` for a server whose only transition is SERVING → NOT_SERVING.

grpc_health's own servicer keeps every ``Watch`` stream open forever, so a load balancer watching
the server would hold a graceful drain until its grace period ran out. Here a ``Watch`` reports
NOT_SERVING when shutdown begins and then ends, letting the drain finish as soon as the real calls
have.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

__all__ = ["SERVICE_NAME", "HealthServicer"]

SERVICE_NAME: str = health_pb2.DESCRIPTOR.services_by_name["Health"].full_name

_SERVING = health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)
_NOT_SERVING = health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.NOT_SERVING)
_UNKNOWN = health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVICE_UNKNOWN)


class HealthServicer(health_pb2_grpc.HealthServicer):
    """Reports SERVING for the server (``""``) and each named service until
    :meth:`enter_graceful_shutdown`, NOT_SERVING after."""

    def __init__(self, services: Iterable[str]) -> None:
        self._services = frozenset(("", *services))
        self._shutting_down = asyncio.Event()

    async def enter_graceful_shutdown(self) -> None:
        """Turn every service NOT_SERVING for good, telling every watcher."""
        self._shutting_down.set()

    def _current(self) -> health_pb2.HealthCheckResponse:
        return _NOT_SERVING if self._shutting_down.is_set() else _SERVING

    async def Check(
        self,
        request: health_pb2.HealthCheckRequest,
        context: grpc.aio.ServicerContext[health_pb2.HealthCheckRequest, health_pb2.HealthCheckResponse],
    ) -> health_pb2.HealthCheckResponse:
        if request.service not in self._services:
            await context.abort(grpc.StatusCode.NOT_FOUND, f"unknown service {request.service!r}")
        return self._current()

    async def Watch(
        self,
        request: health_pb2.HealthCheckRequest,
        context: grpc.aio.ServicerContext[health_pb2.HealthCheckRequest, health_pb2.HealthCheckResponse],
    ) -> AsyncIterator[health_pb2.HealthCheckResponse]:
        # As the protocol says, an unknown service is reported as such and the call stays open.
        known = request.service in self._services
        yield self._current() if known else _UNKNOWN
        if not self._shutting_down.is_set():
            await self._shutting_down.wait()
            if known:
                yield _NOT_SERVING
