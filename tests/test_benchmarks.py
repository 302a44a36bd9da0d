"""The benchmark works and tells the truth: realistic inputs, honest verdicts, README from results.

Speed itself is not tested here; `python -m benchmarks` measures it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

import timeline as tl
from benchmarks.readme import README, RESULTS, cli_table, render, with_tables
from benchmarks.synth import as_json, as_yaml, field_mix, realistic, synthetic
from benchmarks.targets import check_targets
from tests.conftest import ROOT

SHIPPED = ROOT / "seeds" / "for-all-mankind.yaml"


def test_lean_timelines_are_valid_deterministic_and_compare():
    data = synthetic(500)
    timeline = tl.validate_timeline(data, "s.json")
    assert len(timeline.events) == 500
    assert synthetic(500) == data
    frame = tl.to_frame(timeline)
    assert tl.headline(frame).pairs > 50
    assert set(frame["history"]) == {"shared", "reference", "diverged"}
    assert tl.parse_timeline(as_yaml(data), "s.yaml") == tl.parse_timeline(as_json(data), "s.json")


def test_realistic_timelines_are_valid_and_the_same_in_yaml_and_json():
    data = realistic(800)
    assert realistic(800) == data
    timeline = tl.parse_timeline(as_yaml(data), "r.yaml")
    assert len(timeline.events) == 800
    assert timeline == tl.parse_timeline(as_json(data), "r.json")
    years = [e.date.year for e in timeline.events]
    assert min(years) < 0 < 2000 < max(years)


def test_realistic_events_match_the_shipped_timelines_size_and_mix():
    shipped = yaml.safe_load(SHIPPED.read_text())
    data = realistic(3000)
    per_event = len(as_yaml(data).encode()) / 3000
    shipped_per_event = len(as_yaml(shipped).encode()) / len(shipped["events"])
    assert abs(per_event / shipped_per_event - 1) < 0.1
    ours, theirs = field_mix(data), field_mix(shipped)
    for key in ("with causes", "in counterpart pairs", "shared", "diverged", "production layer"):
        assert abs(ours[key] - theirs[key]) <= 0.05, key
    assert ours["sources an event"] == theirs["sources an event"]
    assert ours["tags an event"] == theirs["tags an event"]
    assert ours["non-ASCII text"] > 0.1


def test_the_readme_tables_are_the_ones_results_json_generates():
    readme = README.read_text()
    assert with_tables(readme, json.loads(RESULTS.read_text())) == readme


def _results(cold: float, refused: str | None, events: int = 100000) -> dict[str, object]:
    spread = {"median": cold, "min": cold, "max": cold, "runs": [cold]}
    files = [
        {"generator": "realistic", "file": "realistic-100000.json", "events": events,
         "cold_load": spread, "refused": refused},
        {"generator": "lean", "file": "lean-100000.json", "events": 100000,
         "cold_load": spread | {"median": 0.1}, "refused": None},
        {"generator": "realistic", "file": "realistic-100000.parquet", "events": events,
         "cold_load": spread | {"median": 0.6}, "refused": None},
    ]  # fmt: skip
    cli = {
        "validate": {"seconds": spread | {"median": 0.2}},
        "export": {"file": "realistic-100000.json", "caps_lifted": False,
                   "formats": {"csv": {"peak_memory_mb": 700.0}, "json": {"peak_memory_mb": 90.0}}},
    }  # fmt: skip
    return {"files": files, "cli": cli}


def test_targets_judge_the_realistic_100k_file_and_a_refused_file_misses_however_fast():
    met = {t["target"]: t for t in check_targets(_results(0.2, None))}
    refused = {t["target"]: t for t in check_targets(_results(0.2, "over the 64 MB cap"))}
    json_target = "100k events from JSON: read, validate, cross-check, frame"
    assert met[json_target]["measured_on"] == "realistic-100000.json"
    assert (met[json_target]["passed"], refused[json_target]["passed"]) == (True, False)
    export = met["every CLI export of 100k events, peak memory"]
    assert (export["measured"], export["measured_on"], export["passed"]) == (
        700.0,
        "realistic-100000.json, --format csv",
        False,
    )
    parquet = met["100k events from Parquet"]
    assert (parquet["measured"], parquet["measured_on"], parquet["passed"]) == (
        0.6,
        "realistic-100000.parquet",
        False,
    )
    small = {t["target"]: t for t in check_targets(_results(0.2, None, events=300))}
    assert small[json_target]["passed"] is None
    assert met["python -m timeline validate on the shipped file"]["passed"] is True


def test_quick_benchmark_runs_and_reports_spreads_loads_ports_and_targets(tmp_path: Path):
    out = tmp_path / "results.json"
    cmd = [sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1200, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    files = {r["file"]: r for r in results["files"]}
    assert list(files) == [
        "for-all-mankind.yaml",
        "lean-300.yaml",
        "lean-300.json",
        "realistic-300.yaml",
        "realistic-300.json",
        "realistic-300.parquet",
        "tree-300.yaml",
        "tree-300.json",
    ]
    assert [r["generator"] for r in files.values()] == [
        "shipped",
        "lean",
        "lean",
        *["realistic"] * 3,
        "tree",
        "tree",
    ]
    # The tree's own views are measured on it, and it has ten histories.
    assert files["tree-300.json"]["histories"] == 10
    assert {"branch_map", "milestones_every_history"} <= set(files["tree-300.json"]["figures"])
    for r in files.values():
        cold = r["cold_load"]
        assert 0 < cold["min"] <= cold["median"] <= cold["max"]
        assert r["refused"] is None
        assert 0 < r["cached_reload"]["median"] < cold["median"]
        assert set(r["filters"]) == {"era", "years", "history", "category", "tag", "status", "text"}
        assert all(0 < f["json_mb"] < 2 for f in r["figures"].values())
        assert 50 < r["peak_memory_mb"] < 2000
        assert [len(x) for x in r["load_average"]] == [3, 3]
    pages = results["browser"]["pages"]
    assert list(pages) == [
        "minimal one-chart app",
        "dashboard, shipped timeline",
        "dashboard, realistic-300.json",
    ]
    assert pages["minimal one-chart app"]["cold_vs_baseline"]["median"] == 1.0
    assert all(p["port"] > 0 and p["warm"]["median"] > 0 for p in pages.values())
    # Both dashboards redraw a filter change in the chart's own element, never a remounted one.
    assert [p.get("redrawn_in_place") for p in pages.values()] == [None, True, True]
    assert set(results["cli"]["export"]["formats"]) == {
        "json", "csv", "markdown", "timelinejs", "timeline", "parquet"
    }  # fmt: skip
    assert [t["passed"] in (True, False, None) for t in results["targets"]] == [True] * 9
    assert render(results) in done.stdout


def test_export_timings_are_shown_as_median_and_range_with_their_worst_peak():
    def spread(*runs: float) -> dict[str, object]:
        return {"median": sorted(runs)[1], "min": min(runs), "max": max(runs), "runs": list(runs)}

    cli = {
        "validate": {"command": "validate", "seconds": spread(0.2, 0.21, 0.25),
                     "baseline": "python -c pass", "baseline_seconds": spread(0.02, 0.03, 0.04)},
        "export": {"file": "r.json", "caps_lifted": False,
                   "formats": {"csv": {"seconds": spread(1.2, 0.9, 1.0), "peak_memory_mb": 700.4}}},
    }  # fmt: skip
    rows = [[c.strip() for c in line.split("|")[1:-1]] for line in cli_table(cli).splitlines()]
    assert rows[-1] == ["`export r.json --format csv`", "1,000 ms (900–1,200 ms)", "700 MB"]
