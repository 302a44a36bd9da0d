"""Library and app timings for one timeline file; run in its own process so peak memory is its own.

`python -m benchmarks.measure FILE REPEAT|memory` prints one JSON object.
"""

from __future__ import annotations

import gc
import json
import logging
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import timeline as tl
from timeline import compare
from timeline import figures as fg

ROOT = Path(__file__).parent.parent


def median_s(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_load(path: Path, repeat: int) -> float:
    """Parse, validate and flatten, as on a cache miss (each run from scratch)."""

    def once() -> None:
        tl.to_frame(tl.load_timeline(path))

    result = median_s(once, repeat)
    gc.unfreeze()  # the loader froze what each run built; let the runs' leftovers go
    gc.collect()
    return result


def cached_reload(path: Path, repeat: int) -> float:
    """What a rerun pays to get an unchanged file: a stat and two cache hits."""
    sys.path.insert(0, str(ROOT))
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime" warnings
    import app

    source = app.Source(path.name, path=path)
    source.load()  # the miss
    return median_s(source.load, max(repeat, 5))


def filters(frame: Any, timeline: tl.Timeline, repeat: int) -> dict[str, float]:
    era = max(timeline.eras, key=lambda e: (frame["eras"].map(lambda ids: e.id in ids)).sum()).id
    queries = {
        "era": tl.Query(era=era),
        "years": tl.Query(years=(1950.0, 2000.0)),
        "history": tl.Query(lanes=frozenset({"diverged"})),
        "category": tl.Query(categories=frozenset({frame["category"].iloc[0]})),
        "tag": tl.Query(tags=frozenset({"milestone"})),
        "status": tl.Query(statuses=frozenset({"replaced", "new"})),
        "text": tl.Query(text="moon"),
    }
    return {k: median_s(lambda q=q: tl.filter_events(frame, q), repeat) for k, q in queries.items()}


def figures(frame: Any, timeline: tl.Timeline, repeat: int) -> dict[str, dict[str, float]]:
    """Each view as the app builds it: its numbers and its figure, plus the figure's JSON size."""
    pod = next(e for e in timeline.events if e.id == timeline.divergence)
    eras = {e.id: e.label for e in timeline.eras}
    builders = {
        "timeline": lambda: fg.timeline_figure(frame, timeline),
        "milestones": lambda: fg.milestones_figure(compare.milestones(frame), timeline),
        "drift": lambda: fg.drift_figure(compare.drift_by_year(frame, pod.date.year), timeline),
        "ripple": lambda: fg.ripple_figure(compare.ripple(frame, timeline.divergence), timeline),
        "time_jumps": lambda: fg.time_jumps_figure(
            compare.time_jumps(frame, compare.era_spans(timeline.eras)), timeline
        ),
        "per_era": lambda: fg.era_summary_figure(compare.era_summary(frame, eras), timeline),
    }
    out = {}
    for name, build in builders.items():
        seconds = median_s(build, repeat)
        out[name] = {"seconds": seconds, "json_mb": len(build().to_json()) / 1e6}
    return out


def app_rerun(path: Path, repeat: int) -> dict[str, float]:
    """AppTest: the first run, then reruns after a filter change (the history filter toggled)."""
    from streamlit.testing.v1 import AppTest

    sys.argv = ["app.py", "--data", str(path)]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    first = median_s(at.run, 1)
    assert not at.exception, at.exception
    picks = [["diverged"], []]
    times = []
    for i in range(max(repeat, 3)):
        at.sidebar.multiselect(key="history").set_value(picks[i % 2])
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return {"first_run": first, "rerun_after_filter": statistics.median(times)}


def measure(path: Path, repeat: int) -> dict[str, Any]:
    timeline = tl.load_timeline(path)
    frame = tl.to_frame(timeline)
    result: dict[str, Any] = {
        "file": path.name,
        "events": len(timeline.events),
        "megabytes": path.stat().st_size / 1e6,
        "cold_load": cold_load(path, repeat),
        "cached_reload": cached_reload(path, repeat),
        "filters": filters(frame, timeline, max(repeat, 5)),
        "figures": figures(frame, timeline, repeat),
    }
    result["app"] = app_rerun(path, repeat)
    return result


def peak_memory(path: Path) -> dict[str, float]:
    """What serving one timeline needs: load it, flatten it, build every view once."""
    timeline = tl.load_timeline(path)
    frame = tl.to_frame(timeline)
    figures(frame, timeline, 1)
    tl.filter_events(frame, tl.Query(text="moon"))
    return {"peak_memory_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: that one survives exec, so a
    child started by a big parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    file, mode = Path(sys.argv[1]), sys.argv[2]
    print(json.dumps(peak_memory(file) if mode == "memory" else measure(file, int(mode))))
