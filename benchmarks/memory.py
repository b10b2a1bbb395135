"""Peak memory of converting a large JSON Lines event log to delimited protobuf.

Each measurement runs in a fresh interpreter (``python -m benchmarks.memory MODE LOG OUT``) so that
one cannot inherit the other's heap. The child imports and warms the bridge up, then converts the
log twice: once plain, for the time and the growth of the peak RSS, and once under
:mod:`tracemalloc`, for the peak of the Python heap, which is the stable figure the ratio uses (the
RSS of a process that frees what it allocates moves in steps of the allocator's arenas).

Modes:

- ``stream``: :func:`bridge.batch.jsonl_to_delimited` when that module exists, else the same loop
  written here over :func:`bridge.json_to_binary` (one line in, one frame out);
- ``load-all``: the naive peer: read every line, convert them all, then write, as a script would.
"""

from __future__ import annotations

import json
import os
import pathlib
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from typing import Any, BinaryIO

from benchmarks.corpus import SEED, event_log_line

__all__ = ["MODES", "measure_log", "write_log"]

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODES = ("stream", "load-all")
_TIMEOUT = 300


def write_log(path: pathlib.Path, events: int) -> int:
    """Write a deterministic session log of ``events`` lines; return its size in bytes."""
    rng = random.Random(SEED)
    size = 0
    with path.open("wb") as out:
        for index in range(events):
            line = event_log_line(rng, index) + b"\n"
            out.write(line)
            size += len(line)
    return size


def measure_log(events: int) -> dict[str, Any]:
    """Convert a log of ``events`` events in each mode; the peers' peak heap over the stream's."""
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        log = pathlib.Path(folder) / "session.jsonl"
        size = write_log(log, events)
        results = {mode: _child(mode, log, pathlib.Path(folder) / f"{mode}.bin") for mode in MODES}
    subject = results["stream"]
    return {
        "path": "memory",
        "title": "JSONL log → delimited protobuf: peak memory",
        "case": "session_log",
        "subject": "stream",
        "log": {"events": events, "bytes": size},
        "results": results,
        "ratios": {"load-all": results["load-all"]["peak_heap_bytes"] / subject["peak_heap_bytes"]},
    }


def _child(mode: str, log: pathlib.Path, out: pathlib.Path) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", mode, str(log), str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"memory child ({mode}) failed:\n{done.stderr}")
    return json.loads(done.stdout)


# ----------------------------------------------------------------------------- in the child


def _stream_converter() -> tuple[str, Callable[[BinaryIO, BinaryIO], int]]:
    from bridge.batch import jsonl_to_delimited

    return "bridge.batch.jsonl_to_delimited", lambda src, dst: jsonl_to_delimited(src, dst).converted


def _load_all(src: BinaryIO, dst: BinaryIO) -> int:
    from bridge import json_to_binary
    from bridge.framing import encode_varint

    payloads = [json_to_binary(line) for line in src.read().splitlines() if line.strip()]
    dst.write(b"".join(encode_varint(len(p)) + p for p in payloads))
    return len(payloads)


def _run(convert: Callable[[BinaryIO, BinaryIO], int], log: str, out: str) -> tuple[int, float]:
    with open(log, "rb") as src, open(out, "wb") as dst:
        start = time.perf_counter()
        count = convert(src, dst)
        return count, time.perf_counter() - start


def _child_main(mode: str, log: str, out: str) -> dict[str, Any]:
    import bridge

    if mode == "stream":
        how, convert = _stream_converter()
    elif mode == "load-all":
        how, convert = "read all lines, convert them all, then write", _load_all
    else:
        raise SystemExit(f"unknown mode {mode!r}; expected one of {MODES}")
    with open(log, "rb") as src:  # warm-up: imports, plans and caches are not part of the peak
        bridge.json_to_binary(src.readline())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    count, seconds = _run(convert, log, out)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    _run(convert, log, out)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "how": how,
        "events": count,
        "seconds": seconds,
        "events_per_s": count / seconds,
        "mb_per_s": os.path.getsize(log) / seconds / 1e6,
        "peak_heap_bytes": peak,
        # ru_maxrss is in KiB on Linux (bytes on macOS).
        "peak_rss_growth_bytes": (rss_after - rss_before) * (1 if sys.platform == "darwin" else 1024),
    }


if __name__ == "__main__":
    print(json.dumps(_child_main(*sys.argv[1:4])))
