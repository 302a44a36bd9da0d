"""Library and app timings for one timeline file; run in its own process so peak memory is its own.

`python -m benchmarks.measure FILE REPEAT|memory` prints one JSON object. A file over the
loader's size cap is recorded as refused, then timed with the cap lifted.
"""

from __future__ import annotations

import gc
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import timeline as tl
from benchmarks.caps import lift_caps
from benchmarks.stats import load_average, peak_rss_mb, spread, timed
from timeline.gcpause import paused_gc
from timeline.views import TREE_VIEWS, VIEWS

ROOT = Path(__file__).parent.parent


def open_or_refusal(path: Path) -> str | None:
    """None if the loader opens the file as it is; else its refusal, and the caps are lifted."""
    try:
        tl.load_timeline(path)
    except tl.TimelineError as exc:
        lift_caps()
        return str(exc.problems[0])
    return None


def opened(timeline: tl.Timeline) -> tuple[tl.Comparison, Any, Any]:
    """What the app builds for a file: its default pair and that pair's frame, and the whole
    tree's frame when it has more than two histories (None otherwise)."""
    pair = tl.compare_pair(timeline)
    every = tl.to_frame(timeline) if len(timeline.histories) > 2 else None
    return pair, tl.to_frame(pair), every


def cold_load(path: Path, repeat: int) -> dict[str, Any]:
    """Read, validate, cross-check and frame, as the app does on a cache miss (each run from
    scratch, the garbage collector paused as the app pauses it: see timeline/gcpause.py)."""

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with paused_gc():
            opened(tl.load_timeline(path))
        times.append(time.perf_counter() - start)
        gc.unfreeze()  # the loader froze what it built; let this run's leftovers go, untimed
        gc.collect()
    return spread(times)


def cached_reload(path: Path, repeat: int) -> dict[str, Any]:
    """What a rerun pays to get an unchanged file: a stat and two cache hits."""
    sys.path.insert(0, str(ROOT))
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime" warnings
    import dashboard

    source = dashboard.Source(path.name, path=path)
    source.load()  # the miss
    return timed(source.load, max(repeat, 5))


def filters(frame: Any, timeline: tl.Comparison, repeat: int) -> dict[str, dict[str, Any]]:
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
    return {k: timed(lambda q=q: tl.filter_events(frame, q), repeat) for k, q in queries.items()}


def views(
    frame: Any, timeline: tl.Comparison, tree: tl.Timeline | None = None, every: Any = None
) -> dict[str, Callable[[], Any]]:
    """Each charted view as the app builds it (its numbers and figure), from the library's lists:
    the whole tree's views too when there are more than two histories."""
    out: dict[str, Callable[[], Any]] = {
        view.name.lower().replace(" ", "_"): (
            lambda view=view: view.build(timeline, frame, None, None).figure
        )
        for view in VIEWS
        if view.figure is not None
    }
    if tree is not None and every is not None:
        out |= {
            view.name.lower().replace(" ", "_").replace(",", ""): (
                lambda view=view: view.build(tree, every, None, None).figure
            )
            for view in TREE_VIEWS
        }
    return out


def figures(
    frame: Any,
    timeline: tl.Comparison,
    repeat: int,
    tree: tl.Timeline | None = None,
    every: Any = None,
) -> dict[str, dict[str, Any]]:
    """Each view's build time, and its figure's JSON size."""
    out = {}
    for name, build in views(frame, timeline, tree, every).items():
        figure = build()
        if figure is None:  # nothing of this view in the file (e.g. no releases): no chart
            continue
        out[name] = timed(build, repeat) | {"json_mb": len(figure.to_json()) / 1e6}
    return out


def app_rerun(path: Path, repeat: int) -> dict[str, Any]:
    """AppTest: the first run, then reruns each after a search never made before (the app keeps
    views it has built, so a filter seen before would time a lookup, not a rerun)."""
    from streamlit.testing.v1 import AppTest

    sys.argv = ["app.py", "--data", str(path)]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    first = timed(at.run, 1)
    assert not at.exception, at.exception
    searches = "eaoinrtsl"  # one letter: nearly every event still shown, a full-size rerun
    times = []
    for i in range(min(max(repeat, 3), len(searches))):
        at.text_input(key="q").set_value(searches[i])
        times.append(timed(at.run, 1)["median"])
        assert not at.exception, at.exception
    return {"first_run": first["median"], "rerun_after_filter": spread(times)}


def measure(path: Path, repeat: int) -> dict[str, Any]:
    refused = open_or_refusal(path)
    tree = tl.load_timeline(path)
    timeline, frame, every = opened(tree)
    load_before = load_average()
    result: dict[str, Any] = {
        "file": path.name,
        "events": len(tree.events),
        "histories": len(tree.histories),
        "megabytes": path.stat().st_size / 1e6,
        "bytes_per_event": round(path.stat().st_size / len(tree.events)),
        "refused": refused,
        "cold_load": cold_load(path, repeat),
        "cached_reload": cached_reload(path, repeat),
        "filters": filters(frame, timeline, max(repeat, 5)),
        "figures": figures(frame, timeline, repeat, tree, every),
        "app": app_rerun(path, repeat),
    }
    return result | {"load_average": [load_before, load_average()]}


def peak_memory(path: Path) -> dict[str, float]:
    """What serving one timeline needs: load it, flatten it, build every view once."""
    open_or_refusal(path)
    tree = tl.load_timeline(path)
    timeline, frame, every = opened(tree)
    figures(frame, timeline, 1, tree, every)
    tl.filter_events(frame, tl.Query(text="moon"))
    return {"peak_memory_mb": peak_rss_mb()}


if __name__ == "__main__":
    file, mode = Path(sys.argv[1]), sys.argv[2]
    print(json.dumps(peak_memory(file) if mode == "memory" else measure(file, int(mode))))
