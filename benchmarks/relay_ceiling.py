"""The pass-through ceiling of the relay benchmark: the relay's pump without the conversions.

The same framework as ``rtbridge serve --upstream`` (grpc.aio with the bridge's server options,
websockets' asyncio client with the relay's connection options, one event loop) and the same
shape of session: an *uplink* task sends each request's frame upstream, a *downlink* task reads
upstream frames into a FIFO, and the handler writes everything waiting to the caller in one
message (at most 64 frames or 256 KiB, the relay's batch bounds). What it leaves out is what the
relay adds: no protobuf <-> JSON conversion (frames cross as the upstream's bytes, read with
``recv(decode=False)`` and sent with ``send(bytes, text=True)``), no limits, no watchdog, no
outcome table, no metrics. The messages are ``benchmarks/plain_relay.proto``'s, framed by hand.

``python -m benchmarks.relay_ceiling --upstream URL`` serves ``/bench.plain.v1.PlainRelay/Connect``
on 127.0.0.1, logging ``listening on HOST:PORT`` on stderr as ``rtbridge serve`` does, until
SIGTERM or SIGINT. The upstream query is the call's ``model`` metadata.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections import deque
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import grpc
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bridge.framing import encode_varint
from bridge.relay._config import RelayConfig
from bridge.service.app import ServerConfig

__all__ = ["METHOD", "frame", "frames", "main"]

METHOD = "/bench.plain.v1.PlainRelay/Connect"
_TAG = b"\x0a"  # field 1, length-delimited: PlainRequest.frame and PlainResponse.frames
_BATCH_FRAMES = 64
_BATCH_BYTES = 256 * 1024


def frame(data: bytes) -> bytes:
    """A message with ``data`` as its field 1 (a ``PlainRequest``, or a one-frame ``PlainResponse``)."""
    return _TAG + encode_varint(len(data)) + data


def frames(message: bytes) -> Iterator[bytes]:
    """The field-1 values of a ``PlainRequest`` or ``PlainResponse``, in order."""
    position, end = 0, len(message)
    while position < end:
        if message[position] != 0x0A:
            raise ValueError(f"unexpected tag {message[position]} at {position}")
        position += 1
        size = shift = 0
        while True:
            byte = message[position]
            position += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        yield message[position : position + size]
        position += size


class _Pump:
    """One call: the caller's stream on one side, the upstream WebSocket on the other."""

    def __init__(self, context: grpc.aio.ServicerContext[Any, Any]) -> None:
        self.context = context
        self.waiting: deque[bytes] = deque()
        self.changed = asyncio.Event()
        self.done = False

    async def uplink(self, requests: AsyncIterator[bytes], ws: ClientConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for request in requests:
                for data in frames(request):
                    await ws.send(data, text=True)
            await ws.close(1000)

    async def downlink(self, ws: ClientConnection) -> None:
        waiting, changed = self.waiting, self.changed
        try:
            while True:
                waiting.append(await ws.recv(decode=False))
                changed.set()
        except ConnectionClosed:
            pass
        finally:
            self.done = True
            changed.set()

    async def write(self) -> None:
        waiting, changed = self.waiting, self.changed
        while waiting or not self.done:
            if not waiting:
                changed.clear()
                await changed.wait()
                continue
            parts, size = [], 0
            while waiting and len(parts) < _BATCH_FRAMES and size < _BATCH_BYTES:
                data = waiting.popleft()
                parts.append(frame(data))
                size += len(data)
            await self.context.write(b"".join(parts))


class Ceiling:
    """The ``Connect`` handler, connecting upstream as the relay does (its default options)."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.config = RelayConfig(upstream, key="unused")

    async def connect(self, requests: AsyncIterator[bytes], context: grpc.aio.ServicerContext[Any, Any]) -> None:
        query = dict(context.invocation_metadata() or ()).get("model", "")
        config = self.config
        async with connect(
            f"{self.upstream}?model={query}",
            open_timeout=config.open_timeout,
            ping_interval=config.ping_interval,
            ping_timeout=config.ping_timeout,
            close_timeout=config.max_lag,
            max_size=config.max_event_bytes,
            compression=None,
        ) as ws:
            pump = _Pump(context)
            tasks = [asyncio.create_task(pump.uplink(requests, ws)), asyncio.create_task(pump.downlink(ws))]
            try:
                await pump.write()
            finally:
                for task in tasks:
                    task.cancel()

    def add_to(self, server: grpc.aio.Server) -> None:
        """Register ``Connect`` as the relay registers its own (a generic handler and a registered method)."""
        service, method = METHOD[1:].split("/")
        handlers = {method: grpc.stream_stream_rpc_method_handler(self.connect)}
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service, handlers),))
        server.add_registered_method_handlers(service, handlers)


async def _serve(upstream: str, host: str, port: int, max_concurrent_streams: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    config = ServerConfig(host=host, port=port, max_concurrent_streams=max_concurrent_streams)
    server = grpc.aio.server(options=config.grpc_options())
    Ceiling(upstream).add_to(server)
    bound = server.add_insecure_port(f"{host}:{port}")
    await server.start()
    print(f"relay ceiling: listening on {host}:{bound}", file=sys.stderr, flush=True)
    await stop.wait()
    await server.stop(None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="the upstream WebSocket URL (ws://...)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-concurrent-streams", type=int, default=ServerConfig.max_concurrent_streams,
                        help="streams at once on one connection (as rtbridge serve's flag)")
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.upstream, args.host, args.port, args.max_concurrent_streams))
    return 0


if __name__ == "__main__":
    sys.exit(main())
