"""`python -m benchmarks.readme`: the README's Performance tables from benchmarks/results.json.

The tables go between the two marker comments; `--check` only says whether they are current.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
RESULTS = ROOT / "benchmarks" / "results.json"
START = (
    "<!-- benchmark tables: written by python -m benchmarks.readme from benchmarks/results.json -->"
)
END = "<!-- end of benchmark tables -->"


def seconds(s: float) -> str:
    if s < 0.01:
        return f"{s * 1000:.2f} ms"
    return f"{s * 1000:,.0f} ms" if s < 10 else f"{s:,.1f} s"


def ranged(spread: dict[str, Any], unit: str = "s") -> str:
    """A median with its min-max range: `2,150 ms (2,100-2,300)`."""
    show = seconds if unit == "s" else (lambda x: f"{x:.2f}x")
    if spread["min"] == spread["max"]:
        return show(spread["median"])
    low, high = show(spread["min"]), show(spread["max"])
    suffix = next((u for u in (" ms", " s", "x") if low.endswith(u) and high.endswith(u)), "")
    if suffix:
        low, high = low.removesuffix(suffix), high.removesuffix(suffix)
    return f"{show(spread['median'])} ({low}–{high}{suffix})"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _measured(t: dict[str, Any]) -> str:
    if t["measured"] is None:
        return "—"
    value = t["measured"]
    return {"s": seconds(value), "x": f"{value:.2f}x", "MB": f"{value:,.0f} MB"}[t["unit"]]


def _limit(t: dict[str, Any]) -> str:
    return {"s": f"≤ {seconds(t['limit'])}", "x": f"≤ {t['limit']}x", "MB": f"< {t['limit']} MB"}[
        t["unit"]
    ]


def targets_table(targets: list[dict[str, Any]]) -> str:
    rows = [["target", "limit", "measured", "result", "generator", "measured on"]]
    for t in targets:
        verdict = {True: "met", False: "**missed**", None: "not measured"}[t["passed"]]
        on = t["measured_on"] + (f"; refused: {t['refused']}" if t["refused"] else "")
        rows.append([t["target"], _limit(t), _measured(t), verdict, t["generator"], on])
    return table(rows)


def files_table(files: list[dict[str, Any]]) -> str:
    rows = [
        [
            "file",
            "generator",
            "events",
            "MB",
            "bytes/event",
            "loader",
            "cold load",
            "cached reload",
            "slowest filter",
            "slowest view",
            "largest chart",
            "app rerun",
            "peak memory",
        ]
    ]
    for r in files:
        slow_filter = max(r["filters"].items(), key=lambda kv: kv[1]["median"])
        slow_view = max(r["figures"].items(), key=lambda kv: kv[1]["median"])
        largest = max(r["figures"].items(), key=lambda kv: kv[1]["json_mb"])
        rows.append(
            [
                r["file"],
                r["generator"],
                f"{r['events']:,}",
                f"{r['megabytes']:.1f}",
                f"{r['bytes_per_event']:,}",
                "refused (over the size cap)" if r["refused"] else "opens",
                ranged(r["cold_load"]),
                seconds(r["cached_reload"]["median"]),
                f"{seconds(slow_filter[1]['median'])} ({slow_filter[0]})",
                f"{seconds(slow_view[1]['median'])} ({slow_view[0]})",
                f"{largest[1]['json_mb']:.2f} MB ({largest[0]})",
                ranged(r["app"]["rerun_after_filter"]),
                f"{r['peak_memory_mb']:,.0f} MB",
            ]
        )
    return table(rows)


def pages_table(browser: dict[str, Any]) -> str:
    rows = [
        [
            "page",
            "port",
            "cold: to all charts",
            "vs one-chart app",
            "warm: to all charts",
            "vs one-chart app",
            "filter change redrawn",
            "in place",
        ]
    ]
    for label, p in browser["pages"].items():
        redraw = p.get("filter_redraw")
        rows.append(
            [
                label,
                str(p["port"]),
                ranged(p["cold"]),
                ranged(p["cold_vs_baseline"], "x"),
                ranged(p["warm"]),
                ranged(p["warm_vs_baseline"], "x"),
                ranged(redraw) if redraw else "",
                ("yes" if p["redrawn_in_place"] else "no") if redraw else "",
            ]
        )
    return table(rows)


def cli_table(cli: dict[str, Any]) -> str:
    v = cli["validate"]
    rows = [["command", "time", "peak memory"]]
    rows.append([f"`{v['command']}`", ranged(v["seconds"]), ""])
    rows.append(
        [f"`{v['baseline']}` (interpreter start, same rounds)", ranged(v["baseline_seconds"]), ""]
    )
    export = cli["export"]
    lifted = " (cap lifted)" if export["caps_lifted"] else ""
    for fmt, e in export["formats"].items():
        rows.append(
            [
                f"`export {export['file']} --format {fmt}`{lifted}",
                # Older results hold one run's seconds, newer ones a spread.
                ranged(e["seconds"]) if isinstance(e["seconds"], dict) else seconds(e["seconds"]),
                f"{e['peak_memory_mb']:,.0f} MB",
            ]
        )
    return table(rows)


def render(results: dict[str, Any]) -> str:
    """The Performance tables for one benchmark run, in Markdown."""
    loads = [results["load_average_at_start"], results["load_average_at_end"]]
    parts = [
        f"Taken {results['when']} on {results['machine']}, Streamlit {results['streamlit']}, "
        f"{results['repeat']} repeats; load average (1, 5, 15 min) "
        f"{', '.join(map(str, loads[0]))} at the start and {', '.join(map(str, loads[1]))} at "
        "the end. Times are medians, with the min–max range over the repeats in brackets.",
        "**Targets** (issue 18)\n\n" + targets_table(results["targets"]),
        "**Library and app**, per file\n\n" + files_table(results["files"]),
    ]
    if results.get("browser"):
        parts.append("**Page** in headless Chromium\n\n" + pages_table(results["browser"]))
    parts.append("**Command line**\n\n" + cli_table(results["cli"]))
    return "\n\n".join(parts)


def with_tables(readme: str, results: dict[str, Any]) -> str:
    """The README text with the tables between the markers replaced."""
    head, found, rest = readme.partition(START + "\n")
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise SystemExit(f"README.md lacks the markers {START!r} and {END!r}")
    return f"{head}{START}\n{render(results)}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.readme", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the README is stale")
    args = parser.parse_args(argv)
    results = json.loads(RESULTS.read_text())
    readme = README.read_text()
    updated = with_tables(readme, results)
    if args.check:
        if updated != readme:
            print(
                "README.md's benchmark tables differ from benchmarks/results.json", file=sys.stderr
            )
            return 1
        return 0
    README.write_text(updated)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
