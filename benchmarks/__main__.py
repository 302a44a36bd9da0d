"""`python -m benchmarks`: time the library, the app and the page on synthetic timelines.

Prints a table and writes JSON (`--out`). Each file is measured in its own process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.synth import as_json, as_yaml, synthetic
from timeline.reader import MAX_BYTES

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "seeds" / "for-all-mankind.yaml"


def write_inputs(sizes: list[int], folder: Path) -> list[Path]:
    """A JSON file per size, and YAML too where it fits under the YAML size cap."""
    files = []
    for n in sizes:
        data = synthetic(n)
        text = as_yaml(data)
        if len(text.encode()) <= MAX_BYTES:
            files.append(folder / f"synthetic-{n}.yaml")
            files[-1].write_text(text)
        files.append(folder / f"synthetic-{n}.json")
        files[-1].write_text(as_json(data))
    return files


def run_measure(path: Path, mode: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.measure", str(path), mode]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"measuring {path.name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ms(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def report(results: dict[str, Any]) -> str:
    rows = [
        [
            "file",
            "events",
            "MB",
            "cold load",
            "cached reload",
            "slowest filter",
            "slowest view",
            "largest chart",
            "app rerun",
            "peak memory",
        ]
    ]
    for r in results["files"]:
        slow_filter = max(r["filters"].items(), key=lambda kv: kv[1])
        slow_view = max(r["figures"].items(), key=lambda kv: kv[1]["seconds"])
        largest = max(r["figures"].items(), key=lambda kv: kv[1]["json_mb"])
        rows.append(
            [
                r["file"],
                f"{r['events']:,}",
                f"{r['megabytes']:.1f}",
                ms(r["cold_load"]),
                ms(r["cached_reload"]),
                f"{ms(slow_filter[1])} ({slow_filter[0]})",
                f"{ms(slow_view[1]['seconds'])} ({slow_view[0]})",
                f"{largest[1]['json_mb']:.2f} MB ({largest[0]})",
                ms(r["app"]["rerun_after_filter"]),
                f"{r['peak_memory_mb']:,.0f} MB",
            ]
        )
    out = table(rows)
    if results.get("browser"):
        base = results["browser"]["minimal one-chart app"]["time_to_charts"]
        rows = [["page", "time to charts", "vs minimal app", "filter change redrawn"]]
        for label, b in results["browser"].items():
            rows.append(
                [
                    label,
                    ms(b["time_to_charts"]),
                    f"{b['time_to_charts'] / base:.2f}x",
                    ms(b["filter_redraw"]) if "filter_redraw" in b else "",
                ]
            )
        out += "\n\n" + table(rows)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000", help="event counts, comma list")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--no-browser", action="store_true", help="skip the page timings")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} CPUs, {platform.machine()}, "
        f"Python {platform.python_version()}",
        "repeat": args.repeat,
        "files": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        files = [SHIPPED, *write_inputs(sizes, Path(tmp))]
        for path in files:
            print(f"measuring {path.name} ...", file=sys.stderr, flush=True)
            result = run_measure(path, str(args.repeat))
            result |= run_measure(path, "memory")
            results["files"].append(result)
        if not args.no_browser:
            from benchmarks.browser import page_timings

            print("measuring the page in headless Chromium ...", file=sys.stderr, flush=True)
            largest = max(files[1:], key=lambda p: (p.stat().st_size, p.suffix == ".json"))
            pages = {"dashboard, shipped timeline": SHIPPED, f"dashboard, {largest.name}": largest}
            results["browser"] = page_timings(pages, args.repeat)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
