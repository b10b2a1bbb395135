"""The no-conversion ceiling: a grpc.aio server answering the bridge's RPCs without converting.

It is what the gRPC benchmarks hold the bridge to: the same framework (grpc.aio, one event loop),
the same server options (``ServerConfig().grpc_options()``), the same RPCs and the same response
bytes, with the conversion left out. It is given its answers in advance (``answers``: the bytes
the bridge would return for each event of the benchmark's input, in order) and answers the n-th
event it is sent (counting unary calls across the server's life, stream events from 0 within a
stream) with ``answers[n % len(answers)]``, framed as protobuf frames an embedded message (tag,
length, bytes). Requests are parsed with the generated classes (protobuf's C parser) as far as
the answer needs, responses leave as bytes, unary responses are framed once in advance: the least
any Python gRPC server can do to answer these messages. Its handlers are registered as the
bridge's are (a generic handler and registered methods).

``EventFromJson`` and ``StreamEventsFromJson`` (single events and batches) are served; they are
the RPCs the benchmarks time. ``python -m benchmarks.ceiling --answers FILE`` runs it as a process
of its own (``FILE``: the answers, length-delimited), logging ``listening on HOST:PORT`` on stderr
as ``rtbridge serve`` does, until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import threading
from collections.abc import AsyncIterable, AsyncIterator, Iterator, Sequence
from typing import Any

import grpc

from bridge.framing import encode_varint
from bridge.service import wire
from bridge.service.app import ServerConfig
from bridge.v1 import service_pb2

__all__ = ["Ceiling", "running", "serve"]

SERVICE = "realtime.bridge.v1.BridgeService"




class Ceiling:
    """The handlers: answer the n-th event with ``answers[n % len(answers)]``."""

    def __init__(self, answers: Sequence[bytes]) -> None:
        if not answers:
            raise ValueError("the ceiling needs at least one answer")
        self.answers = list(answers)
        self._count = len(answers)
        self._unary_frames = [wire.unary(answer) for answer in answers]
        self._answered = 0

    async def event_from_json(self, request: Any, context: grpc.aio.ServicerContext) -> bytes:
        frame = self._unary_frames[self._answered % self._count]
        self._answered += 1
        return frame

    async def stream_events_from_json(
        self, requests: AsyncIterable[Any], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[bytes]:
        # Framed by the service's own helpers: the ceiling differs from the bridge only in converting.
        answers, count, result, batch_head = self.answers, self._count, wire.result, wire.batch_head
        sequence = 0
        async for request in requests:
            if request.WhichOneof("input") == "batch":
                pieces: list[bytes] = []
                for position in range(sequence, sequence + len(request.batch.json)):
                    answer = answers[position % count]
                    pieces += (batch_head(position, len(answer)), answer)
                yield b"".join(pieces)
                sequence += len(request.batch.json)
                continue
            yield result(sequence, answers[sequence % count])
            sequence += 1

    def handler(self) -> grpc.GenericRpcHandler:
        """The generic handler of both RPCs (:attr:`handlers` holds them by method name)."""
        handlers = {
            "EventFromJson": grpc.unary_unary_rpc_method_handler(
                self.event_from_json, request_deserializer=service_pb2.EventFromJsonRequest.FromString
            ),
            "StreamEventsFromJson": grpc.stream_stream_rpc_method_handler(
                self.stream_events_from_json, request_deserializer=service_pb2.StreamEventsFromJsonRequest.FromString
            ),
        }
        self.handlers = handlers
        return grpc.method_handlers_generic_handler(SERVICE, handlers)


async def start(answers: Sequence[bytes], host: str = "127.0.0.1", port: int = 0) -> tuple[grpc.aio.Server, int]:
    """Start a ceiling server on the running loop, with the bridge's server options."""
    server = grpc.aio.server(options=ServerConfig(host=host, port=port).grpc_options())
    ceiling = Ceiling(answers)
    server.add_generic_rpc_handlers((ceiling.handler(),))
    server.add_registered_method_handlers(SERVICE, ceiling.handlers)
    bound = server.add_insecure_port(f"{host}:{port}")
    await server.start()
    return server, bound


@contextlib.contextmanager
def running(answers: Sequence[bytes], host: str = "127.0.0.1") -> Iterator[str]:
    """A ceiling server on an event loop in a thread of its own (as ``bridge.server.running``
    runs the bridge); yields its address."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="ceiling-server", daemon=True)
    thread.start()
    try:
        server, port = asyncio.run_coroutine_threadsafe(start(answers, host), loop).result(30)
        try:
            yield f"{host}:{port}"
        finally:
            asyncio.run_coroutine_threadsafe(server.stop(None), loop).result(30)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
        loop.close()


def read_delimited(data: bytes) -> list[bytes]:
    """Length-delimited records (varint length, bytes) -> the records."""
    records, position = [], 0
    while position < len(data):
        size = shift = 0
        while True:
            byte = data[position]
            position += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        records.append(data[position : position + size])
        position += size
    return records


def write_delimited(records: Sequence[bytes]) -> bytes:
    return b"".join(encode_varint(len(record)) + record for record in records)


async def serve(answers: Sequence[bytes], host: str, port: int) -> None:
    """Serve until SIGTERM or SIGINT (the process mode)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    server, bound = await start(answers, host, port)
    print(f"ceiling: listening on {host}:{bound}", file=sys.stderr, flush=True)
    await stop.wait()
    await server.stop(None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", required=True, help="the answers, length-delimited")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    with open(args.answers, "rb") as file:
        answers = read_delimited(file.read())
    asyncio.run(serve(answers, args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
