"""The benchmark runs on a small size and reports sane numbers (speed itself is not tested)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import timeline as tl
from benchmarks.synth import as_json, as_yaml, synthetic
from tests.conftest import ROOT


def test_synthetic_timelines_are_valid_deterministic_and_compare():
    data = synthetic(500)
    timeline = tl.validate_timeline(data, "s.json")
    assert len(timeline.events) == 500
    assert synthetic(500) == data
    frame = tl.to_frame(timeline)
    assert tl.headline(frame).pairs > 50
    assert set(frame["history"]) == {"shared", "reference", "diverged"}
    assert tl.parse_timeline(as_yaml(data), "s.yaml") == tl.parse_timeline(as_json(data), "s.json")


def test_benchmark_runs_and_its_numbers_are_sane(tmp_path: Path):
    out = tmp_path / "results.json"
    cmd = [sys.executable, "-m", "benchmarks", "--sizes", "300", "--repeat", "1", "--out", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    files = {r["file"]: r for r in results["files"]}
    assert list(files) == ["for-all-mankind.yaml", "synthetic-300.yaml", "synthetic-300.json"]
    assert files["synthetic-300.json"]["events"] == 300
    for r in files.values():
        assert 0 < r["cached_reload"] < r["cold_load"]
        assert set(r["filters"]) == {"era", "years", "history", "category", "tag", "status", "text"}
        assert all(0 < f["json_mb"] < 2 for f in r["figures"].values())
        assert r["app"]["rerun_after_filter"] > 0
        assert 50 < r["peak_memory_mb"] < 2000
    pages = results["browser"]
    assert set(pages) == {
        "minimal one-chart app",
        "dashboard, shipped timeline",
        "dashboard, synthetic-300.json",
    }
    assert all(p["time_to_charts"] > 0 for p in pages.values())
    assert pages["dashboard, shipped timeline"]["filter_redraw"] > 0
    assert "| synthetic-300.json" in done.stdout and "vs minimal app" in done.stdout
