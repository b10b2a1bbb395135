"""What ``rtbridge --version`` costs against ``python -c "import bridge"``: each run as a process,
interleaved, the median of the paired ratios (version's time over the import's). The target is
1.5 at most; ``tests/test_service_startup.py`` holds it as module counts, which do not depend on
the machine's load."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import time
from typing import Any

from benchmarks import timing

__all__ = ["measure"]

_TIMEOUT = 60.0


def measure(rounds: int) -> dict[str, Any] | str:
    """Wall times of both commands over ``rounds`` interleaved rounds, or why not measured."""
    rtbridge = pathlib.Path(sys.executable).with_name("rtbridge")
    if not rtbridge.exists():
        return f"skipped ({rtbridge} is not installed)"
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import bridge": [sys.executable, "-c", "import bridge"],
        "rtbridge --version": [str(rtbridge), "--version"],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for index in range(rounds + 1):  # the first round warms the page cache up, and is dropped
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            subprocess.run(commands[name], stdout=subprocess.DEVNULL, check=True, timeout=_TIMEOUT)
            if index:
                samples[name].append(time.perf_counter() - start)
    pairs = zip(samples["rtbridge --version"], samples["import bridge"], strict=True)
    return {
        "median_s": {name: timing.median(values) for name, values in samples.items()},
        "version_over_import": timing.median([v / i for v, i in pairs]),
        "rounds": rounds,
    }
