"""Interleaved timing of several contenders in one process.

Each contender is a zero-argument callable that does one operation (for example: decode every
document of a case once). :func:`measure` calibrates how many operations fill one sample, warms
every contender up, then runs the rounds: in each round every contender takes one sample, in an
order rotated from round to round, so drift on a shared machine (another process waking up, CPU
frequency changes) hits all of them alike. The garbage collector is paused inside a sample, as
:mod:`timeit` does, and run between samples.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["Settings", "measure", "median"]

Op = Callable[[], object]


@dataclass(frozen=True)
class Settings:
    """How long and how often to measure."""

    rounds: int
    #: Wall time one sample should take; the calibration picks the operation count to match.
    sample_seconds: float
    #: Wall time of the warm-up for each contender before the first round.
    warmup_seconds: float


def measure(ops: Mapping[str, Op], settings: Settings) -> dict[str, list[float]]:
    """Seconds per operation of each contender, one value per round."""
    names = list(ops)
    numbers = {name: _calibrate(ops[name], settings) for name in names}
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_index in range(settings.rounds):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(_sample(ops[name], numbers[name]))
    return samples


def median(values: list[float]) -> float:
    """The median of a non-empty list of samples."""
    return statistics.median(values)


def _calibrate(op: Op, settings: Settings) -> int:
    """Warm ``op`` up and return how many calls make one sample of about ``sample_seconds``."""
    deadline = time.perf_counter() + settings.warmup_seconds
    calls = 0
    start = time.perf_counter()
    while True:
        op()
        calls += 1
        now = time.perf_counter()
        if now >= deadline:
            break
    per_call = max((now - start) / calls, 1e-9)
    return max(1, math.ceil(settings.sample_seconds / per_call))


def _sample(op: Op, number: int) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(number):
            op()
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    return elapsed / number
