"""The gRPC benchmarks' ceiling (benchmarks/ceiling.py) answers exactly what the service answers,
byte for byte, so that the two differ only in converting; and the comparisons against it (and the
latency harness) run end to end on a tiny scale. No timing figure is asserted."""

from __future__ import annotations

import itertools
import pathlib
import sys

import grpc
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import bridge  # noqa: E402
from benchmarks import ceiling, corpus, grpc_bench, latency, timing  # noqa: E402
from bridge.server import running  # noqa: E402
from bridge.v1 import service_pb2  # noqa: E402

TIMEOUT = 10.0
METHOD = "/realtime.bridge.v1.BridgeService/"
TINY = timing.Settings(rounds=1, sample_seconds=0.0, warmup_seconds=0.0)


def test_the_ceiling_answers_with_the_services_bytes() -> None:
    documents = list(itertools.islice(itertools.cycle(next(c for c in corpus.build() if c.name == "examples").documents), 120))
    answers = [bridge.json_to_binary(d) for d in documents]
    unary = [service_pb2.EventFromJsonRequest(json=d).SerializeToString() for d in documents[:5]]
    singles = [service_pb2.StreamEventsFromJsonRequest(json=d).SerializeToString() for d in documents[:30]]
    batches = [
        service_pb2.StreamEventsFromJsonRequest(batch=service_pb2.JsonBatch(json=documents[i : i + 50])).SerializeToString()
        for i in range(0, len(documents), 50)
    ]
    replies = {}
    with running() as bridge_address, ceiling.running(answers) as ceiling_address:
        for name, address in (("bridge", bridge_address), ("ceiling", ceiling_address)):
            with grpc.insecure_channel(address) as channel:
                call = channel.unary_unary(METHOD + "EventFromJson")
                stream = channel.stream_stream(METHOD + "StreamEventsFromJson")
                replies[name] = (
                    [call(request, timeout=TIMEOUT) for request in unary],
                    list(stream(iter(singles), timeout=TIMEOUT)),
                    list(stream(iter(batches), timeout=TIMEOUT)),
                )
    assert replies["bridge"] == replies["ceiling"]
    assert [len(part) for part in replies["bridge"]] == [5, 30, 3]


def test_the_comparison_with_the_ceiling_runs_end_to_end() -> None:
    case = next(c for c in corpus.build() if c.name == "examples")
    outcome = grpc_bench.measure_ceiling(case, 20, TINY)
    assert not isinstance(outcome, str), outcome
    names = {f"{server}-{mode}" for server in ("bridge", "ceiling") for mode in ("unary", "stream1", "batch")}
    assert set(outcome["results"]) == names | {"json_to_binary"}
    assert set(outcome["ratios"]) <= set(grpc_bench.CEILING_RATIOS)
    assert {"unary-vs-ceiling", "stream1-vs-ceiling", "batch-vs-ceiling"} <= set(outcome["ratios"])
    for result in outcome["results"].values():
        assert len(result["samples_s"]) == outcome["rounds"] == grpc_bench._CEILING_ROUNDS
        assert result["msgs_per_s"] == pytest.approx(result["events"] / result["median_s"])


def test_the_latency_harness_runs_end_to_end() -> None:
    outcome = latency.measure(latency.Settings(events=40, rounds=1))
    assert not isinstance(outcome, str), outcome
    assert set(outcome["kinds"]) == set(latency.PAYLOADS)
    for kind in outcome["kinds"].values():
        assert kind["offered_events_per_s"] == pytest.approx(latency.LOAD * min(kind["max_events_per_s"].values()))
        for name in ("bridge", "ceiling"):
            p50, p99, p999 = (kind["servers"][name][q] for q in ("p50", "p99", "p99.9"))
            assert 0 < p50 <= p99 <= p999
        assert kind["added"]["p99"] == kind["servers"]["bridge"]["p99"] - kind["servers"]["ceiling"]["p99"]
    audio = latency.audio_delta()
    event = bridge.decode_event(audio)
    assert isinstance(event, bridge.ResponseAudioDeltaEvent) and event.type == "response.audio.delta"
    assert 16 * 1024 <= len(audio) < 17 * 1024


def test_percentiles_are_nearest_rank() -> None:
    values = [float(i) for i in range(1, 1001)]
    assert latency._percentiles(values) == {"p50": 500.0, "p99": 990.0, "p99.9": 999.0}
    assert latency._percentiles([3.0]) == {"p50": 3.0, "p99": 3.0, "p99.9": 3.0}
