"""Per-event round-trip latency on a stream, the bridge against the no-conversion ceiling.

What a live Realtime session sees: one ``StreamEventsFromJson`` stream, one event per message,
each event sent at its time (an open loop: a fixed offered load, not as fast as answers come back)
and timed from the moment the client hands it to gRPC until its result arrives. The load is
:data:`LOAD` (50%) of the lower of the two servers' measured maxima (the median of three unpaced
streams of the same events), so both servers see the same load. An unpaced stream coalesces
messages that paced ones do not, so on a busy machine a server can still fall behind: such rounds
are counted (``saturated_rounds``). Both servers run in processes
of their own (:mod:`benchmarks.servers`): ``rtbridge serve`` with its defaults, and
:mod:`benchmarks.ceiling` answering with the bridge's own bytes for each event, without converting.

Payload kinds: a ``response.audio.delta`` carrying ~16 KiB of base64 audio (the event a voice
session sends most; a typed ``ResponseAudioDeltaEvent``) and a typical ``response.done``. Each round
times one stream per server (the order alternating); p50, p99 and p99.9 are taken per stream, and
what is reported is the median over the rounds, for each server, and of the paired differences
(bridge minus ceiling in the same round): the latency the bridge adds.
"""

from __future__ import annotations

import base64
import contextlib
import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from benchmarks import corpus, timing

__all__ = ["LOAD", "PAYLOADS", "SATURATED", "Settings", "measure"]

LOAD = 0.5
#: A p50 above this (about 30 times an unloaded one) means the server fell behind the load.
SATURATED = 0.010
_DEADLINE = 120.0
_READY_TIMEOUT = 10.0
_METHOD = "/realtime.bridge.v1.BridgeService/StreamEventsFromJson"
_PERCENTILES = {"p50": 50.0, "p99": 99.0, "p99.9": 99.9}


@dataclass(frozen=True)
class Settings:
    """Events per timed stream, and rounds (one stream per server each)."""

    events: int
    rounds: int


def audio_delta() -> bytes:
    """A ``response.audio.delta`` with 16 KiB of base64 (12 KiB of 24 kHz PCM16: 0.25 s of audio)."""
    rng = random.Random(corpus.SEED)
    audio = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(12 * 1024))).decode()
    event = {
        "type": "response.audio.delta",
        "event_id": "event_AUDIO0123456789abcd",
        "response_id": "resp_AUDIO0123456789abcd",
        "item_id": "item_AUDIO0123456789abcd",
        "output_index": 0,
        "content_index": 0,
        "delta": audio,
    }
    return json.dumps(event, separators=(",", ":")).encode()


def _done_typical() -> bytes:
    return next(c for c in corpus.build() if c.name == "done_typical").documents[0]


#: The payload kinds: name -> (description, the event's JSON).
PAYLOADS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "audio_delta": ("response.audio.delta, 16 KiB of base64 audio", audio_delta),
    "done_typical": ("response.done: 3 items, a transcript, full usage", _done_typical),
}


def measure(settings: Settings) -> dict[str, Any] | str:
    """Latency of every payload kind through both servers, or why it was not measured."""
    import grpc

    try:
        return _measure(settings)
    except (grpc.RpcError, RuntimeError, OSError) as error:
        detail = error.details() if isinstance(error, grpc.Call) else str(error)
        return f"failed ({type(error).__name__}: {detail})"


def _measure(settings: Settings) -> dict[str, Any]:
    import grpc

    import bridge
    from benchmarks import servers
    from bridge.v1 import service_pb2

    kinds = {}
    with contextlib.ExitStack() as stack:
        bridge_process = stack.enter_context(servers.bridge_server())
        bridge_channel = stack.enter_context(grpc.insecure_channel(bridge_process.address))
        for kind, (description, make) in PAYLOADS.items():
            document = make()
            blob = bridge.json_to_binary(document)
            request = service_pb2.StreamEventsFromJsonRequest(json=document).SerializeToString()
            with servers.ceiling_server([blob]) as ceiling_process, grpc.insecure_channel(
                ceiling_process.address
            ) as ceiling_channel:
                streams = {}
                for name, channel in (("bridge", bridge_channel), ("ceiling", ceiling_channel)):
                    grpc.channel_ready_future(channel).result(timeout=_READY_TIMEOUT)
                    streams[name] = channel.stream_stream(_METHOD)
                kinds[kind] = _measure_kind(streams, request, blob, settings)
                kinds[kind].update(description=description, json_bytes=len(document), protobuf_bytes=len(blob))
    return {"settings": {"events": settings.events, "rounds": settings.rounds, "load": LOAD}, "kinds": kinds}


def _measure_kind(streams: dict[str, Any], request: bytes, blob: bytes, settings: Settings) -> dict[str, Any]:
    requests = [request] * settings.events
    for call in streams.values():  # warm up: connections, code paths
        _stream(call, requests[: min(200, len(requests))], None, blob)
    maxima = {name: timing.median([_max_rate(call, requests, blob) for _ in range(3)]) for name, call in streams.items()}
    rate = LOAD * min(maxima.values())
    per_round: dict[str, list[dict[str, float]]] = {name: [] for name in streams}
    names = list(streams)
    for index in range(settings.rounds):
        for name in names if index % 2 == 0 else names[::-1]:
            latencies = _stream(streams[name], requests, 1 / rate, blob)
            per_round[name].append(_percentiles(latencies))
    summary: dict[str, Any] = {
        "max_events_per_s": maxima,
        "offered_events_per_s": rate,
        "servers": {
            name: {key: timing.median([r[key] for r in rounds]) for key in _PERCENTILES}
            for name, rounds in per_round.items()
        },
        "added": {
            key: timing.median(
                [b[key] - c[key] for b, c in zip(per_round["bridge"], per_round["ceiling"], strict=True)]
            )
            for key in _PERCENTILES
        },
        "rounds": per_round,
        # rounds in which a server fell behind the offered load (a p50 over SATURATED): the machine
        # was busier than when the maxima were measured, and that round's tail is queueing
        "saturated_rounds": {
            name: sum(r["p50"] > SATURATED for r in rounds) for name, rounds in per_round.items()
        },
    }
    return summary


def _max_rate(call: Any, requests: list[bytes], blob: bytes) -> float:
    start = time.perf_counter()
    _stream(call, requests, None, blob)
    return len(requests) / (time.perf_counter() - start)


def _stream(call: Any, requests: list[bytes], interval: float | None, blob: bytes) -> list[float]:
    """Send ``requests`` on one stream, one every ``interval`` seconds (``None``: as fast as gRPC
    takes them); return each one's round trip, in seconds, checking every answer is its event."""
    sent: list[float] = []
    received: list[float] = []

    def paced() -> Iterator[bytes]:
        start = time.perf_counter()
        for index, request in enumerate(requests):
            if interval is not None:
                delay = start + index * interval - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            sent.append(time.perf_counter())
            yield request

    for reply in call(paced(), timeout=_DEADLINE):
        received.append(time.perf_counter())
        if not reply.endswith(blob):
            raise RuntimeError("StreamEventsFromJson answered something else than the event")
    if len(received) != len(requests):
        raise RuntimeError(f"StreamEventsFromJson answered {len(received)} of {len(requests)} events")
    return [r - s for s, r in zip(sent, received, strict=True)]


def _percentiles(latencies: list[float]) -> dict[str, float]:
    """Nearest-rank percentiles of one stream's round trips, in seconds."""
    ordered = sorted(latencies)
    last = len(ordered) - 1
    return {key: ordered[min(last, max(0, round(q / 100 * len(ordered)) - 1))] for key, q in _PERCENTILES.items()}
