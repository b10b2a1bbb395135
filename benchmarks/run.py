"""Run the benchmarks: the bridge against its peers, on the deterministic corpus.

Usage (from the repository root; needs the ``bench`` extra for the peers and the chart)::

    python benchmarks/run.py                        # full run, prints the table
    python benchmarks/run.py --quick --check        # CI: quick run, fail on a ratio below its floor
    python benchmarks/run.py --out benchmarks/results/latest.json \\
        --chart benchmarks/results/latest.png --markdown benchmarks/results/latest.md
    python benchmarks/run.py --from benchmarks/results/latest.json --docs docs/benchmarks.md \\
        --chart benchmarks/results/latest.png      # re-render from saved results, no measuring

Method: for each path and case, the bridge and every peer are prepared (inputs decoded or serialised
in advance), warmed up, then timed in interleaved rounds, the order rotating from round to round;
each figure is the median over the rounds. A ratio is the median over the rounds of the peer's
time over the bridge's in the same round: above 1 the bridge is faster. Absolute rates are noise on
a shared machine; the ratios are the figures, and ``--check`` holds them to the floors in
``benchmarks/floors.py``.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import math
import os
import pathlib
import platform
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: import the benchmarks package, not its files
    sys.path[0] = str(ROOT)

import bridge  # noqa: E402
from benchmarks import corpus, decode_log, floors, grpc_bench, latency, memory, peers, relay, report, startup, timing  # noqa: E402
from benchmarks.paths import PATHS, Path  # noqa: E402

__all__ = ["MODES", "RECHECKS", "Mode", "check", "main", "recheck", "run", "suggest_floors"]


_QUICK_LATENCY = latency.Settings(events=1500, rounds=3)


@dataclass(frozen=True)
class Mode:
    """How much to measure: timing settings and the sizes of the gRPC and memory scenarios."""

    name: str
    settings: timing.Settings
    #: Events sent per operation in the gRPC scenario (one stream, or as many unary calls).
    grpc_events: int
    #: Lines of the JSONL log of the memory scenario.
    log_events: int
    #: Events per timed stream and rounds of the latency scenario (with the gRPC ones).
    latency: latency.Settings = _QUICK_LATENCY
    #: Rounds of the ``rtbridge --version`` against ``import bridge`` timing (0: not timed).
    startup_rounds: int = 0
    #: The session relay's voice-rate sessions (:mod:`benchmarks.relay`; ``None``: not measured).
    relay: relay.Settings | None = None
    #: Events of each session log :mod:`benchmarks.decode_log` converts both ways (with the memory scenario).
    session_logs: tuple[tuple[str, int], ...] = (("small_events", 10_000), ("voice", 2_000))


MODES = {
    "full": Mode(
        "full",
        timing.Settings(rounds=41, sample_seconds=0.02, warmup_seconds=0.2),
        500,
        200_000,
        latency.Settings(events=8000, rounds=5),
        startup_rounds=21,
        relay=relay.MODES["full"],
        session_logs=tuple((case, events) for case, (_, events) in decode_log.LOGS.items()),
    ),
    "quick": Mode(
        "quick",
        timing.Settings(rounds=15, sample_seconds=0.01, warmup_seconds=0.05),
        200,
        20_000,
        _QUICK_LATENCY,
        startup_rounds=7,
        relay=relay.MODES["quick"],
    ),
}


def run(
    mode: Mode,
    *,
    cases: Sequence[corpus.Case] | None = None,
    paths: Sequence[Path] = PATHS,
    grpc: bool = True,
    log: bool = True,
    progress: bool = False,
    relayed: bool = True,
) -> dict[str, Any]:
    """Measure every path on every case (plus the gRPC and memory scenarios) and return the results
    document that ``--out`` writes."""
    cases = corpus.build() if cases is None else cases
    started = time.perf_counter()
    load_at_start = _load_average()
    scenarios = []
    notes: list[str] = []
    for path in paths:
        for case in cases:
            if progress:
                print(f"  {path.name}/{case.name} ...", file=sys.stderr, flush=True)
            scenarios.append(_measure_path(path, case, mode.settings))
    if grpc:
        grpc_case = next((c for c in cases if c.name == "examples"), cases[0])
        outcome = grpc_bench.measure(grpc_case, mode.grpc_events, mode.settings)
        if isinstance(outcome, str):
            notes.append(f"grpc: {outcome}")
        else:
            scenarios.append(_scenario(**outcome))
        if progress:
            print("  grpc against the ceiling ...", file=sys.stderr, flush=True)
        against = grpc_bench.measure_ceiling(grpc_case, mode.grpc_events, mode.settings)
        if progress:
            print("  latency ...", file=sys.stderr, flush=True)
        latencies = latency.measure(mode.latency)
    if mode.startup_rounds:
        started_up = startup.measure(mode.startup_rounds)
    if relayed and mode.relay is not None:
        if progress:
            print("  the session relay ...", file=sys.stderr, flush=True)
        relayed_outcome = relay.measure(mode.relay)
    results: dict[str, Any] = {
        "meta": _meta(mode),
        "cases": {c.name: _describe(c) for c in cases},
        "scenarios": scenarios,
        "notes": notes,
    }
    if grpc:
        for key, outcome in (("ceiling", against), ("latency", latencies)):
            if isinstance(outcome, str):
                notes.append(f"grpc: {key}: {outcome}")
            else:
                results[key] = outcome
    if mode.startup_rounds:
        if isinstance(started_up, str):
            notes.append(f"startup: {started_up}")
        else:
            results["startup"] = started_up
    if relayed and mode.relay is not None:
        if isinstance(relayed_outcome, str):
            notes.append(f"relay: {relayed_outcome}")
        else:
            results["relay"] = relayed_outcome
    if log:
        results["memory"] = memory.measure_log(mode.log_events)
        for case, events in mode.session_logs:
            if progress:
                print(f"  session log {case} ...", file=sys.stderr, flush=True)
            scenarios.extend(_scenario(**pieces) for pieces in decode_log.measure(case, decode_log.LOGS[case][0](events), mode.settings))
    results["ratios"] = _flat_ratios(results)
    results["meta"]["seconds"] = round(time.perf_counter() - started, 1)
    results["meta"]["load_average"] = load_at_start
    results["meta"]["load_average_end"] = _load_average()
    return results


def check(results: dict[str, Any], limits: dict[str, float] | None = None) -> list[str]:
    """Every ratio below its floor (or not measured), as one message each; empty when all pass.

    A ratio that :func:`recheck` measured again passes when any of its measurements reaches the
    floor, so a saved results document (``--from``) gets the verdict its run got.
    """
    failures = []
    for key, floor, values in _shortfalls(results, floors.FLOORS if limits is None else limits):
        if not values:
            failures.append(f"{key}: not measured ({_why_missing(results, key)}); floor {floor:.3g}")
        else:
            again = f" (measured {len(values)} times: {', '.join(f'{v:.3g}' for v in values)})" if len(values) > 1 else ""
            failures.append(f"{key}: ratio {values[0]:.3g} is below its floor {floor:.3g}{again}")
    return failures


def _shortfalls(results: dict[str, Any], limits: dict[str, float]) -> list[tuple[str, float, list[float]]]:
    """``(key, floor, measurements)`` of each ratio none of whose measurements reaches its floor
    (no measurements: not measured)."""
    ratios, rechecks = results["ratios"], results.get("rechecks", {})
    out = []
    for key, floor in limits.items():
        values = [v for v in (ratios.get(key), *rechecks.get(key, ())) if v is not None]
        if not values or max(values) < floor:
            out.append((key, floor, values))
    return out


#: How many more times ``--check`` measures a ratio that came out below its floor before failing it.
RECHECKS = 2


def recheck(
    results: dict[str, Any],
    mode: Mode,
    *,
    cases: Sequence[corpus.Case] | None = None,
    attempts: int = RECHECKS,
) -> None:
    """Before :func:`check` on a run just measured: each ratio below its floor has its scenario
    measured again, up to ``attempts`` more times, so that it fails only when every measurement is
    below the floor.

    A shared machine's noise comes in stretches (another process busy for a few seconds) that can
    take one measurement of a ratio far below its usual value (half, seen here); a regression takes
    every measurement there. The new
    measurements are kept in ``results["rechecks"]`` (key -> list of ratios), beside the first.
    """
    by_name = {c.name: c for c in (corpus.build() if cases is None else cases)}
    history: dict[str, list[float]] = results.setdefault("rechecks", {})
    for _ in range(attempts):
        failing = [key for key, _, values in _shortfalls(results, floors.FLOORS) if values]
        if not failing:
            break
        print(f"benchmarks: measuring again what fell below its floor: {', '.join(failing)}", file=sys.stderr)
        fresh: dict[str, float] = {}
        for source in dict.fromkeys(_source(results, key) for key in failing):
            fresh.update(_measure_again(source, mode, by_name))
        for key in failing:
            if key in fresh:
                history.setdefault(key, []).append(fresh[key])


def _source(results: dict[str, Any], key: str) -> tuple[str, str, str]:
    """The scenario a ratio comes from: ``(path, case, part)``, part naming the measurement."""
    path, case, peer = key.split("/", 2)
    part = "ceiling" if peer in results.get("ceiling", {}).get("ratios", {}) else path
    return path, case, part


def _measure_again(source: tuple[str, str, str], mode: Mode, cases: dict[str, corpus.Case]) -> dict[str, float]:
    """The ratios of one scenario, measured anew as :func:`run` measures it (empty if it cannot run)."""
    path, case, part = source
    outcome: dict[str, Any] | str
    if part == "memory":
        outcome = memory.measure_log(mode.log_events)
    elif part == "relay":
        if mode.relay is None:
            return {}
        outcome = relay.measure(relay.recheck_settings(mode.relay))
    elif part in decode_log.PATHS:
        events = dict(mode.session_logs)[case]
        scenarios = [_scenario(**pieces) for pieces in decode_log.measure(case, decode_log.LOGS[case][0](events), mode.settings)]
        outcome = next(s for s in scenarios if s["path"] == path)
    elif part == "ceiling":
        outcome = grpc_bench.measure_ceiling(cases[case], mode.grpc_events, mode.settings)
    elif part == "grpc":
        measured = grpc_bench.measure(cases[case], mode.grpc_events, mode.settings)
        outcome = measured if isinstance(measured, str) else _scenario(**measured)
    else:
        outcome = _measure_path(next(p for p in PATHS if p.name == path), cases[case], mode.settings)
    if isinstance(outcome, str):
        return {}
    return {f"{path}/{case}/{peer}": ratio for peer, ratio in outcome["ratios"].items()}


def suggest_floors(ratios: dict[str, float], share: float = 0.75) -> dict[str, float]:
    """Floors for ``benchmarks/floors.py``: ``share`` of each measured ratio, rounded down to two
    significant digits. A ``memory/`` ratio is a bound rather than a speed: it keeps its floor."""
    out = {}
    for key, ratio in ratios.items():
        if key.startswith("memory/"):
            if key in floors.FLOORS:
                out[key] = floors.FLOORS[key]
            continue
        value = ratio * share
        scale = 10 ** (math.floor(math.log10(value)) - 1)
        out[key] = float(round(math.floor(value / scale) * scale, 6))
    return out


# ----------------------------------------------------------------------------------- measuring


def _describe(case: corpus.Case) -> dict[str, Any]:
    """What the results say of a case; for audio events (issue 14) also the size of their
    protobuf form, of the raw audio, and of the JSON envelope without it."""
    out: dict[str, Any] = {"description": case.description, "documents": len(case), "bytes": case.size}
    audio = [a for a in map(corpus.audio_of, case.documents) if a]
    if len(audio) == len(case):
        out["protobuf_bytes"] = sum(len(bridge.json_to_binary(d, kind=case.kind)) for d in case.documents)
        out["audio_bytes"] = sum(len(raw) for _, raw, _ in audio)
        out["envelope_bytes"] = sum(len(envelope) for _, _, envelope in audio)
    return out


def _measure_path(path: Path, case: corpus.Case, settings: timing.Settings) -> dict[str, Any]:
    workloads = {}
    skipped = {}
    for contender in (path.subject, *path.peers):
        try:
            workloads[contender.name] = contender.prepare(case)
        except peers.Unavailable as reason:
            if contender is path.subject:
                raise RuntimeError(f"{path.name}/{case.name}: the bridge cannot run: {reason}") from None
            skipped[contender.name] = str(reason)
    gc.collect()
    gc.freeze()  # what exists now outlives the measurement: keep it out of the collections between samples
    try:
        samples = timing.measure({name: w.op() for name, w in workloads.items()}, settings)
    finally:
        gc.unfreeze()
    return _scenario(
        path=path.name,
        title=path.title,
        case=case.name,
        subject=path.subject.name,
        samples=samples,
        messages={name: w.messages for name, w in workloads.items()},
        json_bytes={name: w.json_bytes for name, w in workloads.items()},
        skipped=skipped,
    )


def _scenario(
    *,
    path: str,
    title: str,
    case: str,
    subject: str,
    samples: dict[str, list[float]],
    messages: dict[str, int],
    json_bytes: dict[str, int],
    skipped: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One (path, case): each contender's median, msgs/s and MB/s, and the subject's ratios.

    A ratio is the median, over the rounds, of the peer's time over the subject's time in the same
    round: paired, so that a stretch of contention on the machine, which slows a whole round down,
    cancels out instead of tipping the median of one contender but not the other's.
    """
    results = {}
    for name, values in samples.items():
        seconds = timing.median(values)
        results[name] = {
            "median_s": seconds,
            "min_s": min(values),
            "msgs_per_s": messages[name] / seconds,
            "mb_per_s": json_bytes[name] / seconds / 1e6,
            "samples_s": values,
        }
    base = samples[subject]
    ratios = {
        name: timing.median([p / s for p, s in zip(values, base, strict=True)])
        for name, values in samples.items()
        if name != subject
    }
    return {
        "path": path,
        "title": title,
        "case": case,
        "subject": subject,
        "results": results,
        "ratios": ratios,
        "skipped": skipped or {},
    }


def _flat_ratios(results: dict[str, Any]) -> dict[str, float]:
    """``path/case/peer -> ratio`` for every ratio measured, the keys ``floors.FLOORS`` uses."""
    flat = {}
    scenarios = list(results["scenarios"])
    for extra in ("ceiling", "memory", "relay"):  # ratios of the same form, kept outside the scenario list
        if extra in results:
            scenarios.append(results[extra])
    for s in scenarios:
        for peer, ratio in s["ratios"].items():
            flat[f"{s['path']}/{s['case']}/{peer}"] = ratio
    return flat


def _why_missing(results: dict[str, Any], key: str) -> str:
    path, case, peer = (key.split("/") + ["", ""])[:3]
    for s in results["scenarios"]:
        if s["path"] == path and s["case"] == case and peer in s["skipped"]:
            return s["skipped"][peer]
    for note in results.get("notes", ()):
        if note.startswith(f"{path}:"):
            return note
    return "no such scenario in this run"


def _meta(mode: Mode) -> dict[str, Any]:
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": mode.name,
        "settings": {
            "rounds": mode.settings.rounds,
            "sample_seconds": mode.settings.sample_seconds,
            "warmup_seconds": mode.settings.warmup_seconds,
            "grpc_events": mode.grpc_events,
            "log_events": mode.log_events,
        },
        "seed": corpus.SEED,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": _machine(),
        "platform": platform.platform(),
        "versions": peers.versions(),
    }


def _load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages: how busy the machine was (other processes count)."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs"


# ----------------------------------------------------------------------------------- the command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and smaller logs (CI; < 2 min)")
    parser.add_argument("--out", type=pathlib.Path, help="write the results as JSON to this file")
    parser.add_argument(
        "--from", dest="source", type=pathlib.Path, help="read results from this JSON instead of measuring"
    )
    parser.add_argument("--chart", type=pathlib.Path, help="write a PNG chart of throughput per path and peer")
    parser.add_argument("--markdown", type=pathlib.Path, help="write the Markdown table to this file")
    parser.add_argument(
        "--docs", "--readme", dest="readme", type=pathlib.Path, metavar="FILE",
        help="rewrite the block between the bench markers of this file (docs/benchmarks.md)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is below its floor (floors.py)")
    parser.add_argument(
        "--suggest-floors", action="store_true", help="print floors at 75%% of these ratios, for benchmarks/floors.py"
    )
    parser.add_argument("--paths", help="comma-separated subset of paths to time (default: all)")
    parser.add_argument("--no-grpc", action="store_true", help="skip the gRPC scenario")
    parser.add_argument("--no-memory", action="store_true", help="skip the JSONL memory scenario")
    parser.add_argument("--no-relay", action="store_true", help="skip the session relay's voice-rate sessions")
    return parser


def _select(names: str | None) -> Sequence[Path]:
    if not names:
        return PATHS
    wanted = set(names.split(","))
    unknown = wanted - {p.name for p in PATHS}
    if unknown:
        raise SystemExit(f"unknown paths: {', '.join(sorted(unknown))}; choose from {', '.join(p.name for p in PATHS)}")
    return [p for p in PATHS if p.name in wanted]


def main(argv: Iterable[str] | None = None) -> int:
    """The ``benchmarks/run.py`` command; returns the exit status."""
    args = _parser().parse_args(None if argv is None else list(argv))
    if args.source:
        results = json.loads(args.source.read_text())
    else:
        mode = MODES["quick" if args.quick else "full"]
        print(f"benchmarks: {mode.name} mode, {mode.settings.rounds} rounds", file=sys.stderr, flush=True)
        results = run(
            mode, paths=_select(args.paths), grpc=not args.no_grpc, log=not args.no_memory, progress=True,
            relayed=not args.no_relay,
        )
        print(f"benchmarks: measured in {results['meta']['seconds']} s", file=sys.stderr)
        if args.check:
            recheck(results, mode)
    print(report.table(results))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    chart = _chart(results, args.chart)
    if args.markdown:
        args.markdown.write_text(report.markdown(results) + "\n", encoding="utf-8")
    if args.readme:
        report.rewrite_readme(args.readme, report.readme_block(results, chart, args.readme))
    if args.suggest_floors:
        print("\nFLOORS: dict[str, float] = {")
        print("\n".join(f"    {key!r}: {value!r}," for key, value in suggest_floors(results["ratios"]).items()))
        print("}")
    if args.check:
        failures = check(results)
        for key, again in results.get("rechecks", {}).items():
            figures = ", ".join(f"{v:.3g}" for v in again)
            print(f"\nmeasured again: {key}: {results['ratios'][key]:.3g}, then {figures} (floor {floors.FLOORS[key]:.3g})")
        if failures:
            print(f"\nbenchmark check FAILED: {len(failures)} ratio(s) below the floors in benchmarks/floors.py:")
            print("\n".join(f"  {line}" for line in failures))
            return 1
        print(f"\nbenchmark check passed: {len(floors.FLOORS)} ratios at or above their floors")
    return 0


def _chart(results: dict[str, Any], out: pathlib.Path | None) -> pathlib.Path | None:
    if out is None:
        return None
    try:
        return report.chart(results, out)
    except ImportError:
        print(f"note: matplotlib is not installed; no chart written to {out} (pip install '.[bench]')")
        return None


if __name__ == "__main__":
    sys.exit(main())
