"""The gRPC service on 127.0.0.1: one unary call per event against one bidirectional stream.

The stream is the one a user after throughput would open: ``StreamEventsFromJson`` with
:data:`BATCH_SIZE` events per request message (``batch``), its results coming back in batches too
(``results``): gRPC costs far more per message than converting an event does. One event per stream
message (the unbatched mode, for live sources) reaches only about 2x unary; it is covered by the
service tests, not gated here. Of batch sizes 20, 50, 100 and 200, 50 and 100 were fastest on the
reference machine (a 200-event stream of one batch has nothing to overlap).

The server runs in this process (the bridge's own ``running()`` context manager) on a loopback port
the OS picks; the client is the generated stub, so what is timed is the service and grpcio, not a
client wrapper. Both contenders convert the same events (JSON -> ``ServerEvent``), every call with
a deadline, and every result is checked to be an event, not an error, with its sequence number.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
from collections.abc import Callable, Iterator
from typing import Any

from benchmarks import timing
from benchmarks.corpus import Case

__all__ = ["measure"]

HOST = "127.0.0.1"
_DEADLINE = 60.0
_READY_TIMEOUT = 10.0
#: Events per stream request message (the last one of a stream may hold fewer).
BATCH_SIZE = 50


def _running() -> Callable[..., Any] | None:
    """The in-process server context manager, where the bridge provides one."""
    for module in ("bridge.server", "bridge.service"):
        try:
            running = getattr(importlib.import_module(module), "running", None)
        except ImportError:
            continue
        if running is not None:
            return running
    return None


@contextlib.contextmanager
def _server() -> Iterator[str]:
    running = _running()
    assert running is not None
    with running(host=HOST, port=0) as server:
        yield server if isinstance(server, str) else server.address


def measure(case: Case, events: int, settings: timing.Settings) -> dict[str, Any] | str:
    """Time both ways of converting ``events`` events (the case's documents, cycled) through the
    service; return the scenario's pieces, or what happened instead (``"skipped (...)"`` when the
    bridge has no server, ``"failed (...)"`` when a call fails)."""
    if _running() is None:
        return "skipped (bridge.server unavailable)"
    import grpc

    try:
        return _measure(case, events, settings)
    except (grpc.RpcError, RuntimeError) as error:
        detail = error.details() if isinstance(error, grpc.Call) else str(error)
        return f"failed ({type(error).__name__}: {detail})"


def _measure(case: Case, events: int, settings: timing.Settings) -> dict[str, Any]:
    import grpc

    from bridge.v1 import service_pb2, service_pb2_grpc

    documents = list(itertools.islice(itertools.cycle(case.documents), events))
    unary_requests = [service_pb2.EventFromJsonRequest(json=d) for d in documents]
    stream_requests = [
        service_pb2.StreamEventsFromJsonRequest(batch=service_pb2.JsonBatch(json=documents[start : start + BATCH_SIZE]))
        for start in range(0, len(documents), BATCH_SIZE)
    ]
    with _server() as address, grpc.insecure_channel(address) as channel:
        grpc.channel_ready_future(channel).result(timeout=_READY_TIMEOUT)
        stub = service_pb2_grpc.BridgeServiceStub(channel)

        def unary() -> None:
            call = stub.EventFromJson
            for request in unary_requests:
                if not call(request, timeout=_DEADLINE).HasField("event"):
                    raise RuntimeError("EventFromJson answered without an event")

        def stream() -> None:
            answered = 0
            for answer in stub.StreamEventsFromJson(iter(stream_requests), timeout=_DEADLINE):
                for result in answer.results:
                    if result.WhichOneof("result") != "event" or result.sequence != answered:
                        raise RuntimeError(f"StreamEventsFromJson answered {result.error.message!r} at {answered}")
                    answered += 1
            if answered != events:
                raise RuntimeError(f"StreamEventsFromJson answered {answered} of {events} events")

        samples = timing.measure({"stream": stream, "unary": unary}, settings)
    size = sum(map(len, documents))
    return {
        "path": "grpc",
        "title": f"gRPC on {HOST}: JSON → ServerEvent, events/s "
        f"(a stream of {BATCH_SIZE}-event batches; peer: one unary call per event)",
        "case": case.name,
        "subject": "stream",
        "samples": samples,
        "messages": {"stream": events, "unary": events},
        "json_bytes": {"stream": size, "unary": size},
    }
