"""Presentation of a results document: the terminal table, the Markdown table, the PNG chart, and
the README block between ``<!-- bench:start -->`` and ``<!-- bench:end -->``.

Everything here reads the JSON document that :mod:`benchmarks.run` writes, so the README and the
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
    skipped: dict[tuple[str, str, str], list[str]] = {}
    for s in results["scenarios"]:
        for peer, reason in s.get("skipped", {}).items():
            skipped.setdefault((s["path"], peer, reason), []).append(s["case"])
    for (path, peer, reason), cases in skipped.items():
        notes.append(f"{path}: {peer} not timed ({', '.join(cases)}): {reason}")
    return notes


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
    return "\n".join(lines + [""] + _notes(results))


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
        "",
        "`decode_strict` and `decode_unknown` compare the bridge with itself: 0.5× means the variant "
        "takes twice as long as the plain decode.",
        f"Measured {meta['date']} in {meta['mode']} mode ({meta['settings']['rounds']} rounds, medians) "
        f"on {meta['machine']}, Python {meta['python']}; {versions}. "
        "Ratios are the figures to read: absolute rates depend on the machine.",
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
        ax.set_xticks(range(len(scenarios)), [s["case"] for s in scenarios], fontsize=8)
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
