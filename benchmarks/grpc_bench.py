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
import gc
import importlib
import itertools
import time
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


# ------------------------------------------------------------------------------ against the ceiling

#: The ratios :func:`measure_ceiling` gives, as ``grpc/<case>/<name>``; above 1 the bridge does
#: better. ``*-vs-ceiling``: the bridge's events/s over the ceiling server's, as one client sees
#: them (wall time); ``*-cpu-vs-ceiling``: the ceiling server's CPU time per event over the
#: bridge's (what each costs, so what each sustains when saturated);
#: ``batch-cost-vs-json_to_binary``: what ``json_to_binary`` costs per event in-process (CPU time)
#: over what the bridge server spends per event beyond the ceiling's, batched (target >= 1/1.3).
CEILING_RATIOS = (
    "unary-vs-ceiling",
    "unary-cpu-vs-ceiling",
    "stream1-vs-ceiling",
    "stream1-cpu-vs-ceiling",
    "batch-vs-ceiling",
    "batch-cpu-vs-ceiling",
    "batch-cost-vs-json_to_binary",
)
#: Events per operation of each mode: short samples, many rounds (:data:`_CEILING_ROUNDS` times the
#: mode's), so that contention on a shared machine hits the two servers of a round alike.
_CEILING_EVENTS = {"unary": 20, "stream1": 100, "batch": 1000}
_CEILING_ROUNDS = 3
_MODES = tuple(_CEILING_EVENTS)


def measure_ceiling(case: Case, events: int, settings: timing.Settings) -> dict[str, Any] | str:
    """The bridge (``rtbridge serve``) against the no-conversion ceiling (:mod:`benchmarks.ceiling`),
    each in a process of its own (:mod:`benchmarks.servers`), on the same events, every mode timed
    side by side in the same rounds, with ``bridge.json_to_binary`` on the same events in this
    process; or what happened instead."""
    if _running() is None:
        return "skipped (bridge.server unavailable)"
    import grpc

    try:
        return _measure_ceiling(case, events, settings)
    except (grpc.RpcError, RuntimeError, OSError) as error:
        detail = error.details() if isinstance(error, grpc.Call) else str(error)
        return f"failed ({type(error).__name__}: {detail})"


def _measure_ceiling(case: Case, events: int, settings: timing.Settings) -> dict[str, Any]:
    import grpc

    import bridge
    from benchmarks import servers
    from bridge.v1 import service_pb2

    documents = list(itertools.islice(itertools.cycle(case.documents), max(events, 1)))
    answers = [bridge.json_to_binary(d) for d in documents]
    counts = {mode: n if mode == "batch" else min(n, len(documents)) for mode, n in _CEILING_EVENTS.items()}
    repeated = list(itertools.islice(itertools.cycle(documents), counts["batch"]))  # the ceiling cycles alike
    unary_requests = [service_pb2.EventFromJsonRequest(json=d).SerializeToString() for d in documents[: counts["unary"]]]
    single_requests = [
        service_pb2.StreamEventsFromJsonRequest(json=d).SerializeToString() for d in documents[: counts["stream1"]]
    ]
    batch_requests = [
        service_pb2.StreamEventsFromJsonRequest(
            batch=service_pb2.JsonBatch(json=repeated[start : start + BATCH_SIZE])
        ).SerializeToString()
        for start in range(0, len(repeated), BATCH_SIZE)
    ]
    method = "/realtime.bridge.v1.BridgeService/"
    with contextlib.ExitStack() as stack:
        ops: dict[str, tuple[Callable[[], None], Callable[[], float | None]]] = {}
        for name, server in (
            ("bridge", stack.enter_context(servers.bridge_server())),
            ("ceiling", stack.enter_context(servers.ceiling_server(answers))),
        ):
            channel = stack.enter_context(grpc.insecure_channel(server.address))
            grpc.channel_ready_future(channel).result(timeout=_READY_TIMEOUT)
            # bytes both ways: the client does the same (nothing) for both servers
            unary_call = channel.unary_unary(method + "EventFromJson")
            stream_call = channel.stream_stream(method + "StreamEventsFromJson")
            ops[f"{name}-unary"] = (_unary_op(unary_call, unary_requests, answers), server.cpu_seconds)
            ops[f"{name}-stream1"] = (_stream_op(stream_call, single_requests, answers, False), server.cpu_seconds)
            ops[f"{name}-batch"] = (_stream_op(stream_call, batch_requests, answers, True), server.cpu_seconds)
        convert = bridge.json_to_binary

        def in_process() -> None:
            for document in repeated:
                convert(document)

        ops["json_to_binary"] = (in_process, time.thread_time)
        wall, cpu = _rounds(ops, settings.rounds * _CEILING_ROUNDS)
    per_op = {name: counts[name.partition("-")[2] or "batch"] for name in ops}

    def paired(values: dict[str, list[float]], mode: str) -> float:
        return timing.median([c / b for b, c in zip(values[f"bridge-{mode}"], values[f"ceiling-{mode}"], strict=True)])

    ratios = {f"{mode}-vs-ceiling": paired(wall, mode) for mode in _MODES}
    cpu_known = all(values for values in cpu.values())
    if cpu_known:
        ratios.update({f"{mode}-cpu-vs-ceiling": paired(cpu, mode) for mode in _MODES})
        added = [b - c for b, c in zip(cpu["bridge-batch"], cpu["ceiling-batch"], strict=True)]
        overhead = timing.median([a / j for a, j in zip(added, cpu["json_to_binary"], strict=True)])
        ratios["batch-cost-vs-json_to_binary"] = 1 / max(overhead, 1e-3)
    results = {}
    for name in ops:
        seconds = timing.median(wall[name])
        results[name] = {
            "median_s": seconds,
            "min_s": min(wall[name]),
            "events": per_op[name],
            "msgs_per_s": per_op[name] / seconds,
            "cpu_per_event_s": timing.median(cpu[name]) / per_op[name] if cpu_known else None,
            "samples_s": wall[name],
            "cpu_samples_s": cpu[name],
        }
    return {
        "path": "grpc",
        "case": case.name,
        "title": f"gRPC on {HOST}: the bridge against a server that answers the same RPCs without converting",
        "results": results,
        "ratios": ratios,
        "rounds": len(wall["json_to_binary"]),
        "batch_added_cpu_per_event_s": (timing.median(added) / counts["batch"]) if cpu_known else None,
    }


def _rounds(
    ops: dict[str, tuple[Callable[[], None], Callable[[], float | None]]], rounds: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall time and CPU time (as its clock tells: the server process's, or this thread's) of one
    call of each op, per round, the order rotating from round to round, after two warm-up calls."""
    names = list(ops)
    for name in names:
        for _ in range(2):
            ops[name][0]()
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            op, clock = ops[name]
            gc.collect()
            cpu_start, start = clock(), time.perf_counter()
            op()
            elapsed, cpu_end = time.perf_counter() - start, clock()
            wall[name].append(elapsed)
            if cpu_start is not None and cpu_end is not None:
                cpu[name].append(cpu_end - cpu_start)
    return wall, cpu


def _unary_op(call: Any, requests: list[bytes], answers: list[bytes]) -> Callable[[], None]:
    from bridge.v1 import realtime_pb2, service_pb2

    expected = [service_pb2.EventFromJsonResponse(event=realtime_pb2.ServerEvent.FromString(a))
                .SerializeToString(deterministic=True) for a in answers]

    def op() -> None:
        for index, request in enumerate(requests):
            if call(request, timeout=_DEADLINE) != expected[index] and index == 0:
                raise RuntimeError("EventFromJson answered something else than json_to_binary's bytes")

    return op


def _stream_op(call: Any, requests: list[bytes], answers: list[bytes], batched: bool) -> Callable[[], None]:
    from bridge.v1 import service_pb2

    first = answers[0]

    def op() -> None:
        replies = list(call(iter(requests), timeout=_DEADLINE))
        if len(replies) != len(requests):
            raise RuntimeError(f"StreamEventsFromJson answered {len(replies)} of {len(requests)} messages")
        reply = service_pb2.StreamEventsFromJsonResponse.FromString(replies[0])
        result = reply.results[0] if batched else reply
        if result.WhichOneof("result") != "event" or result.event.SerializeToString(deterministic=True) != first:
            raise RuntimeError(f"StreamEventsFromJson answered {result.error.message!r}")

    return op


