"""Presentation of a results document: the terminal table, the Markdown table, the PNG chart, and
the block between ``<!-- bench:start -->`` and ``<!-- bench:end -->`` of docs/benchmarks.md (``run.py
--docs``; the names below still say README, where the block once was).

Everything here reads the JSON document that :mod:`benchmarks.run` writes, so the page and the
chart can be regenerated from a saved ``latest.json`` without measuring again.
"""

from __future__ import annotations

import math
import os
import pathlib
import textwrap
from typing import Any

__all__ = ["README_END", "README_START", "chart", "markdown", "readme_block", "rewrite_readme", "table"]

README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def _rate(value: float) -> str:
    """Human-sized msgs/s: 1234567 -> '1.23 M', 45678 -> '45.7 k'."""
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value:.3g}"


def _ratios(scenario: dict[str, Any]) -> str:
    return ", ".join(f"{peer} {ratio:.3g}×" for peer, ratio in scenario["ratios"].items()) or "—"


def _rows(results: dict[str, Any]) -> list[list[str]]:
    """One row per timed (path, case): what it is, the subject's throughput, each ratio."""
    rows = []
    for s in results["scenarios"]:
        subject = s["results"][s["subject"]]
        rows.append(
            [
                s["path"],
                s["case"],
                s["subject"],
                _rate(subject["msgs_per_s"]),
                f"{subject['mb_per_s']:.1f}",
                _ratios(s),
            ]
        )
    return rows


_HEADER = ["path", "case", "subject", "msgs/s", "MB/s", "subject vs peer (× faster)"]


def _notes(results: dict[str, Any]) -> list[str]:
    notes = list(results.get("notes", ()))
    memory = results.get("memory")
    if memory:
        log, stream, peer = memory["log"], memory["results"]["stream"], memory["results"]["load-all"]
        notes.append(
            f"memory: converting a {log['events']:,}-event JSONL log ({log['bytes'] / 1e6:.1f} MB): "
            f"peak Python heap {stream['peak_heap_bytes'] / 1e3:,.0f} kB streaming "
            f"({stream['how']}) vs {peer['peak_heap_bytes'] / 1e6:,.1f} MB loading it all "
            f"({memory['ratios']['load-all']:,.0f}×); {_rate(stream['events_per_s'])} events/s"
        )
    sized = {name: c for name, c in results.get("cases", {}).items() if "audio_bytes" in c}
    if sized:
        notes.append(
            "size: the protobuf form over the raw audio plus the JSON envelope without it: "
            + ", ".join(
                f"{name} {c['protobuf_bytes'] / (c['audio_bytes'] + c['envelope_bytes']):.3f}× "
                f"({c['protobuf_bytes']:,} B over {c['audio_bytes']:,} + {c['envelope_bytes']:,})"
                for name, c in sized.items()
            )
        )
    skipped: dict[tuple[str, str, str], list[str]] = {}
    for s in results["scenarios"]:
        for peer, reason in s.get("skipped", {}).items():
            skipped.setdefault((s["path"], peer, reason), []).append(s["case"])
    same: dict[tuple[str, tuple[str, ...]], list[str]] = {}  # one note for the peers skipped alike
    for (path, peer, reason), cases in skipped.items():
        same.setdefault((reason, tuple(cases)), []).append(f"{path}: {peer}")
    for (reason, cases), contenders in same.items():
        notes.append(f"{', '.join(contenders)} not timed ({', '.join(cases)}): {reason}")
    return notes


def _us(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1e6:,.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:,.2f} ms"


_CEILING_MODES = {
    "unary": "one unary call per event",
    "stream1": "stream, one event per message",
    "batch": "stream, 50-event batches",
}


def _ceiling_lines(results: dict[str, Any]) -> list[str]:
    """The bridge against the no-conversion ceiling server, per mode, as Markdown."""
    ceiling = results.get("ceiling")
    if not ceiling:
        return []
    r, ratios = ceiling["results"], ceiling["ratios"]
    lines = [
        f"gRPC, `{ceiling['case']}` events, JSON → `ServerEvent`: the bridge (`rtbridge serve`) against a server "
        "that answers the same RPCs with the same bytes without converting (`benchmarks/ceiling.py`), "
        f"each in its own process, {ceiling['rounds']} interleaved rounds:",
        "",
        "| mode | bridge events/s | ceiling events/s | bridge / ceiling | server CPU per event, bridge | ceiling | "
        "ceiling / bridge CPU |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for mode, label in _CEILING_MODES.items():
        bridge_result, ceiling_result = r[f"bridge-{mode}"], r[f"ceiling-{mode}"]
        cpu_ratio = ratios.get(f"{mode}-cpu-vs-ceiling")
        lines.append(
            f"| {label} | {_rate(bridge_result['msgs_per_s'])} | {_rate(ceiling_result['msgs_per_s'])} | "
            f"{ratios[f'{mode}-vs-ceiling']:.3g}× | {_us(bridge_result['cpu_per_event_s'])} | "
            f"{_us(ceiling_result['cpu_per_event_s'])} | {'—' if cpu_ratio is None else f'{cpu_ratio:.3g}×'} |"
        )
    cost = ratios.get("batch-cost-vs-json_to_binary")
    if cost is not None:
        lines += [
            "",
            f"Batched, the bridge server spends {_us(ceiling['batch_added_cpu_per_event_s'])} of CPU per event "
            f"beyond the ceiling's; `json_to_binary` costs {_us(r['json_to_binary']['cpu_per_event_s'])} on the same "
            f"events in-process: {1 / cost:.2f}× (median of the paired rounds; the target is at most 1.3×).",
        ]
    return lines


def _latency_lines(results: dict[str, Any]) -> list[str]:
    """Per-event round-trip latency on a stream, bridge against ceiling, as Markdown."""
    measured = results.get("latency")
    if not measured:
        return []
    settings = measured["settings"]
    lines = [
        f"Latency: one stream, one event per message, {settings['events']:,} events per stream at "
        f"{settings['load']:.0%} of the lower of the two servers' maxima (an open loop), {settings['rounds']} "
        "rounds; medians over the rounds, and of the paired differences (bridge − ceiling):",
        "",
        "| payload | offered | p50 bridge / ceiling | p99 bridge / ceiling | p99.9 bridge / ceiling | "
        "added p50 | **added p99** | added p99.9 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, k in measured["kinds"].items():
        b, c, added = k["servers"]["bridge"], k["servers"]["ceiling"], k["added"]
        lines.append(
            f"| {kind} ({k['json_bytes'] / 1024:.1f} KiB JSON) | {_rate(k['offered_events_per_s'])}/s | "
            + " | ".join(f"{_us(b[q])} / {_us(c[q])}" for q in ("p50", "p99", "p99.9"))
            + f" | {_signed(added['p50'])} | **{_signed(added['p99'])}** | {_signed(added['p99.9'])} |"
        )
    behind = [
        f"{kind}: {name} in {count} of {settings['rounds']}"
        for kind, k in measured["kinds"].items()
        for name, count in k.get("saturated_rounds", {}).items()
        if count
    ]
    if behind:
        lines += ["", "Rounds where a server fell behind the load (p50 over 10 ms, queueing): " + "; ".join(behind) + "."]
    return lines


def _relay_lines(results: dict[str, Any]) -> list[str]:
    """The session relay's voice-rate sessions (:mod:`benchmarks.relay`), as Markdown."""
    from benchmarks import relay

    measured = results.get("relay")
    return relay.lines(measured) if measured else []


def _signed(seconds: float) -> str:
    return ("+" if seconds >= 0 else "−") + _us(abs(seconds))


def _startup_lines(results: dict[str, Any]) -> list[str]:
    measured = results.get("startup")
    if not measured:
        return []
    times = measured["median_s"]
    return [
        f"- startup: `rtbridge --version` {times['rtbridge --version'] * 1e3:.0f} ms, `python -c \"import bridge\"` "
        f"{times['import bridge'] * 1e3:.0f} ms, `python -c pass` {times['python -c pass'] * 1e3:.0f} ms: "
        f"--version takes {measured['version_over_import']:.2f}× the import (target: at most 1.5×)"
    ]


def _load_line(results: dict[str, Any]) -> str:
    meta = results["meta"]
    start, end = meta.get("load_average"), meta.get("load_average_end")
    if not start:
        return ""
    return f" Load average (1, 5, 15 min) {', '.join(map(str, start))} at the start" + (
        f", {', '.join(map(str, end))} at the end." if end else "."
    )


def table(results: dict[str, Any]) -> str:
    """The results as an aligned plain-text table, then the notes."""
    rows = [_HEADER, *_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    numeric = {3, 4}
    lines = []
    for index, row in enumerate(rows):
        cells = [c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    extra = [section for section in (_ceiling_lines(results), _latency_lines(results), _relay_lines(results)) if section]
    tail = [line for section in extra for line in ("", *section)]
    return "\n".join(lines + [""] + _notes(results) + _startup_lines(results) + tail)


def markdown(results: dict[str, Any]) -> str:
    """The results as a Markdown table with a line on where and how they were measured."""
    meta = results["meta"]
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items() if v)
    lines = [
        "| " + " | ".join(_HEADER) + " |",
        "|" + "|".join(["---"] * 3 + ["---:"] * 2 + ["---"]) + "|",
        *("| " + " | ".join(row) + " |" for row in _rows(results)),
        "",
        *(f"- {note}" for note in _notes(results)),
        *_startup_lines(results),
        "",
        *(line for section in (_ceiling_lines(results), _latency_lines(results), _relay_lines(results)) if section for line in (*section, "")),
        "`decode_strict` and `decode_unknown` compare the bridge with itself: 0.5× means the variant "
        "takes twice as long as the plain decode.",
        f"Measured {meta['date']} in {meta['mode']} mode ({meta['settings']['rounds']} rounds, medians) "
        f"on {meta['machine']}, Python {meta['python']}; {versions}. "
        "Ratios are the figures to read: absolute rates depend on the machine." + _load_line(results),
    ]
    return "\n".join(lines)


def readme_block(results: dict[str, Any], chart_path: pathlib.Path | None, readme: pathlib.Path) -> str:
    """What goes between the README markers: the table and, when there is one, the chart."""
    parts = [markdown(results)]
    if chart_path is not None:
        link = pathlib.Path(os.path.relpath(chart_path, readme.resolve().parent)).as_posix()
        parts.append(f"![Throughput per path and peer]({link})")
    return "\n\n".join(parts)


def rewrite_readme(readme: pathlib.Path, block: str) -> None:
    """Replace what lies between the markers in ``readme``; raise ``ValueError`` without them."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"{readme} has no {README_START} ... {README_END} block")
    head = text[: start + len(README_START)]
    readme.write_text(f"{head}\n{block}\n{text[end:]}", encoding="utf-8")


def _rates(scenario: dict[str, Any]) -> dict[str, float]:
    """msgs/s of each contender as the ratios tell it: the subject's median rate, and each peer's
    that rate divided by the peer's ratio (contention that hits one contender's median but not the
    other's would otherwise show bars that contradict the table)."""
    subject = scenario["results"][scenario["subject"]]["msgs_per_s"]
    return {scenario["subject"]: subject, **{peer: subject / r for peer, r in scenario["ratios"].items()}}


def chart(results: dict[str, Any], out: pathlib.Path) -> pathlib.Path:
    """A PNG of msgs/s per case, one panel per path, one bar per contender (log scale).

    Raises ``ImportError`` when matplotlib is not installed.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_path: dict[str, list[dict[str, Any]]] = {}
    for s in results["scenarios"]:
        by_path.setdefault(s["path"], []).append(s)
    columns = 2
    rows = -(-len(by_path) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(12, 3.6 * rows), squeeze=False)
    for ax, (path, scenarios) in zip(list(axes.flat)[: len(by_path)], by_path.items(), strict=True):
        contenders = list(dict.fromkeys(name for s in scenarios for name in s["results"]))
        width = 0.8 / len(contenders)
        lowest = math.inf
        for index, name in enumerate(contenders):
            xs, ys = [], []
            for position, s in enumerate(scenarios):
                rate = _rates(s).get(name)
                if rate is not None:
                    xs.append(position + (index - (len(contenders) - 1) / 2) * width)
                    ys.append(rate)
            ax.bar(xs, ys, width, label=name)
            lowest = min(lowest, *ys)
        # Wrapped to the panel's width: a long title would otherwise run off the figure.
        ax.set_title(textwrap.fill(f"{path}: {scenarios[0]['title']}", 70), fontsize=9)
        ax.set_xticks(range(len(scenarios)), [s["case"] for s in scenarios], fontsize=7, rotation=40, ha="right")
        ax.set_yscale("log")
        ax.set_ylim(bottom=10 ** math.floor(math.log10(lowest)))  # bars start at a power of ten
        ax.set_ylabel("msgs/s (log)")
        ax.legend(fontsize=7)
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(by_path) :]:
        ax.set_visible(False)
    meta = results["meta"]
    figure.suptitle(
        f"realtime-bridge throughput, higher is better ({meta['mode']} mode, {meta['date']})\n"
        "the subject at its median rate, each peer at that rate divided by its paired ratio",
        fontsize=10,
    )
    figure.tight_layout(rect=(0, 0, 1, 0.97))
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=100)
    plt.close(figure)
    return out
