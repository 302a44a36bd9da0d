"""`python -m benchmarks`: time the library, the CLI, the app and the page, and check the targets.

Writes `benchmarks/results.json` (`--out`) and prints the tables `python -m benchmarks.readme`
puts in the README. Each file is measured in its own process; `--quick` is a smoke run.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.caps import over_cap
from benchmarks.readme import render
from benchmarks.stats import load_average, spread
from benchmarks.synth import as_json, as_yaml, realistic, synthetic
from benchmarks.targets import check_targets
from benchmarks.tree_synth import tree_timeline
from timeline.cli import EXPORT_FORMATS
from timeline.export import write_parquet
from timeline.load import validate_timeline

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "seeds" / "for-all-mankind.yaml"
GENERATORS: dict[str, Callable[[int], dict[str, Any]]] = {
    "lean": synthetic,
    "realistic": realistic,
    "tree": tree_timeline,  # realistic events in a 10-history tree (format 2)
}
YAML_UP_TO = 10_000  # events; larger timelines are written as JSON only


def write_inputs(generator: str, sizes: list[int], folder: Path) -> list[Path]:
    """A JSON file per size, YAML too up to YAML_UP_TO events, and Parquet for realistic ones."""
    files = []
    for n in sizes:
        data = GENERATORS[generator](n)
        if n <= YAML_UP_TO:
            files.append(folder / f"{generator}-{n}.yaml")
            files[-1].write_text(as_yaml(data))
        files.append(folder / f"{generator}-{n}.json")
        files[-1].write_text(as_json(data))
        if generator == "realistic":
            files.append(folder / f"{generator}-{n}.parquet")
            with files[-1].open("wb") as out:
                write_parquet(validate_timeline(data, files[-1].name), out)
    return files


def run_measure(path: Path, mode: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.measure", str(path), mode]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"measuring {path.name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def wall(cmd: list[str]) -> float:
    """Seconds to run a command to its end (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def validate_timing(repeat: int) -> dict[str, Any]:
    """`python -m timeline validate` on the shipped file, taking turns with a bare interpreter."""
    validate = [sys.executable, "-m", "timeline", "validate", str(SHIPPED.relative_to(ROOT))]
    bare = [sys.executable, "-c", "pass"]
    before = load_average()
    pairs = [(wall(validate), wall(bare)) for _ in range(max(repeat, 5))]
    return {
        "command": "python -m timeline validate seeds/for-all-mankind.yaml",
        "seconds": spread([v for v, _ in pairs]),
        "baseline": "python -c pass",
        "baseline_seconds": spread([b for _, b in pairs]),
        "load_average": [before, load_average()],
    }


def export_memory(path: Path, repeat: int) -> dict[str, Any]:
    """Peak memory and time of `python -m timeline export FILE --format F`, for every format.

    Formats take turns within each of `repeat` rounds; a format's peak is its highest.
    """
    lift = ["--lift-caps"] if over_cap(path) else []
    runs: dict[str, list[tuple[float, float]]] = {fmt: [] for fmt in EXPORT_FORMATS}
    before = load_average()
    for _ in range(repeat):
        for fmt in EXPORT_FORMATS:
            cmd = [sys.executable, "-m", "benchmarks.child", *lift, "timeline", "export"]
            start = time.perf_counter()
            done = subprocess.run(
                [*cmd, str(path), "--format", fmt],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
            seconds = time.perf_counter() - start
            report = json.loads(done.stderr.strip().splitlines()[-1])
            if report["exit"] != 0:
                raise RuntimeError(f"export {fmt} of {path.name} failed:\n{done.stderr[-3000:]}")
            runs[fmt].append((seconds, report["peak_memory_mb"]))
    formats = {
        fmt: {
            "seconds": spread([t for t, _ in r]),
            "peak_memory_mb": max(m for _, m in r),
            "peak_memory_runs": [m for _, m in r],
        }
        for fmt, r in runs.items()
    }
    return {
        "file": path.name,
        "caps_lifted": bool(lift),
        "formats": formats,
        "load_average": [before, load_average()],
    }


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory_gb:.0f} GB, {platform.system()}, "
        f"Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--lean", default="1000,10000,100000", help="lean event counts")
    parser.add_argument("--realistic", default="10000,100000", help="realistic event counts")
    parser.add_argument(
        "--tree", default="100000", help="event counts of realistic 10-history trees"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median, range)")
    parser.add_argument("--port", type=int, default=8760, help="first of the pinned ports; 0: any")
    parser.add_argument("--no-browser", action="store_true", help="skip the page timings")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 300 events, 1 repeat, any free ports"
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"))
    args = parser.parse_args(argv)
    if args.quick:
        args.lean, args.realistic, args.tree, args.repeat, args.port = "300", "300", "300", 1, 0
    sizes = {"lean": args.lean, "realistic": args.realistic, "tree": args.tree}

    import streamlit

    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "streamlit": streamlit.__version__,
        "repeat": args.repeat,
        "load_average_at_start": load_average(),
        "files": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        inputs = [("shipped", SHIPPED)]
        for generator, counts in sizes.items():
            paths = write_inputs(generator, [int(s) for s in counts.split(",")], Path(tmp))
            inputs += [(generator, p) for p in paths]
        for generator, path in inputs:
            print(f"measuring {path.name} ...", file=sys.stderr, flush=True)
            result = {"generator": generator} | run_measure(path, str(args.repeat))
            results["files"].append(result | run_measure(path, "memory"))
        largest = max(
            (p for g, p in inputs if g == "realistic" and p.suffix == ".json"),
            key=lambda p: p.stat().st_size,
        )
        print("measuring the CLI ...", file=sys.stderr, flush=True)
        results["cli"] = {
            "validate": validate_timing(args.repeat),
            "export": export_memory(largest, args.repeat) | {"generator": "realistic"},
        }
        if not args.no_browser:
            from benchmarks.browser import page_timings

            print("measuring the page in headless Chromium ...", file=sys.stderr, flush=True)
            pages = {"dashboard, shipped timeline": SHIPPED, f"dashboard, {largest.name}": largest}
            results["browser"] = page_timings(pages, args.repeat, args.port)
    results["load_average_at_end"] = load_average()
    results["targets"] = check_targets(results)
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(render(results))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
