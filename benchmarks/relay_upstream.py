"""The upstream of the relay benchmark: a WebSocket server that plays a voice-rate session on every
connection, as a process of its own (``python -m benchmarks.relay_upstream``).

Per connection, from the handshake until the peer closes: every 20 ms a ``response.output_audio.delta``
carrying 20 ms of 24 kHz PCM16 (960 bytes, base64 in the JSON), and with every fifth one a
``response.output_audio_transcript.delta``: 50 audio and 10 transcript deltas a second. Each event's
``event_id`` is ``ev_<CLOCK_MONOTONIC in ns>`` taken just before its send (``time.monotonic_ns()``:
one clock for every process on Linux), so a receiver computes the event's one-way latency. The
ticks are kept on an absolute schedule (no drift) and each connection starts at a random phase of
the 20 ms, as independent sessions would. The client's frames (its appends) are read and dropped.

A connection whose query says ``model=idle`` gets no events (the idle sessions of the memory
measurement). The server does not compress (the relay never negotiates permessage-deflate, and
the other clients of the benchmark do not either). It logs ``listening on 127.0.0.1:PORT`` on
stderr, as ``rtbridge serve`` does, and runs until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import random
import signal
import sys
import time
import urllib.parse
from collections.abc import Sequence

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

__all__ = ["AUDIO_BYTES", "TICK", "TRANSCRIPT_EVERY", "audio_delta", "main", "transcript_delta"]

#: 20 ms of 24 kHz mono PCM16.
AUDIO_BYTES = 960
TICK = 0.020
#: A transcript delta with every this many audio deltas (10 a second).
TRANSCRIPT_EVERY = 5
_AUDIO = base64.b64encode(random.Random(25).randbytes(AUDIO_BYTES)).decode()
_AUDIO_HEAD = '{"type":"response.output_audio.delta","event_id":"ev_'
_AUDIO_TAIL = (
    '","response_id":"resp_bench0001","item_id":"item_bench0001","output_index":0,"content_index":0,"delta":'
    + json.dumps(_AUDIO)
    + "}"
)
_TRANSCRIPT_HEAD = '{"type":"response.output_audio_transcript.delta","event_id":"ev_'
_TRANSCRIPT_TAIL = '","response_id":"resp_bench0001","item_id":"item_bench0001","output_index":0,"content_index":0,"delta":" word"}'


def audio_delta(stamp: int) -> str:
    """An audio delta whose ``event_id`` carries ``stamp`` (monotonic ns)."""
    return f"{_AUDIO_HEAD}{stamp}{_AUDIO_TAIL}"


def transcript_delta(stamp: int) -> str:
    return f"{_TRANSCRIPT_HEAD}{stamp}{_TRANSCRIPT_TAIL}"


async def _drain(connection: ServerConnection) -> None:
    with contextlib.suppress(ConnectionClosed):
        async for _frame in connection:
            pass


async def _session(connection: ServerConnection) -> None:
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(connection.request.path).query) if connection.request else ())
    if query.get("model") == "idle":
        await _drain(connection)
        return
    reader = asyncio.create_task(_drain(connection))
    loop = asyncio.get_running_loop()
    start = loop.time() + random.random() * TICK
    tick = 0
    try:
        while not reader.done():
            delay = start + tick * TICK - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            await connection.send(audio_delta(time.monotonic_ns()), text=True)
            if tick % TRANSCRIPT_EVERY == 0:
                await connection.send(transcript_delta(time.monotonic_ns()), text=True)
            tick += 1
    except ConnectionClosed:
        pass
    finally:
        reader.cancel()


async def _serve(host: str, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with serve(_session, host, port, compression=None, max_size=None, ping_interval=None) as server:
        bound = server.sockets[0].getsockname()[1]
        print(f"relay upstream: listening on {host}:{bound}", file=sys.stderr, flush=True)
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
