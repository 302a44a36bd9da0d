"""How the benchmark summarises repeated timings: median and range, with the machine's load."""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def spread(values: list[float]) -> dict[str, Any]:
    """Median, min and max of repeated measures, and the runs themselves."""
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": values,
    }


def timed(fn: Callable[[], Any], repeat: int) -> dict[str, Any]:
    """`fn` run `repeat` times: the spread of its wall times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return spread(times)


def load_average() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages now (2 CPUs: 2.0 is fully busy)."""
    return [round(x, 2) for x in os.getloadavg()]


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: that one survives exec, so a
    child started by a big parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
