"""Page timings in headless Chromium, each app against the one-chart app in the same rounds.

Each round starts every server afresh on its pinned port and visits it twice: cold (the
server's first page, its caches empty) and warm. Apps take turns within a round, so a busy
moment of the machine falls on all of them alike.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from benchmarks.caps import over_cap
from benchmarks.stats import load_average, spread
from tests.browser import ROOT, chromium, open_page, streamlit_server

MINIMAL_APP = ROOT / "benchmarks" / "minimal_app.py"
UNCAPPED_APP = ROOT / "benchmarks" / "uncapped_app.py"
BASELINE = "minimal one-chart app"

# Drawn = every Plotly chart on the page has its points and Streamlit is idle, as tests/browser.py's
# wait_idle reads it. Streamlit 1.67 marks its app root with data-test-script-state: "initial",
# then "running" while the script runs and "notRunning" when it is done, and with
# data-test-connection-state (checked in streamlit/static's index.*.js).
DRAWN = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const app = document.querySelector('[data-testid="stApp"]');
  return plots.length > 0
    && plots.every(p => p.querySelector('.scatterlayer .points path, .barlayer .point'))
    && app?.getAttribute('data-test-script-state') === 'notRunning'
    && app?.getAttribute('data-test-connection-state') === 'CONNECTED';
}"""
SIGNATURE = """() => [...document.querySelectorAll('.js-plotly-plot')].map(p =>
  (p.querySelector('.gtitle')?.textContent || '') + '|' +
  p.querySelectorAll('.scatterlayer .points path').length).join(';')"""
# A chart updated in place keeps its DOM node; a remounted one loses the mark set on it.
MARK = "() => { document.querySelector('.js-plotly-plot').benchMark = 1; }"
MARKED = "() => document.querySelector('.js-plotly-plot')?.benchMark === 1"


def visit(browser: Browser, url: str) -> float:
    """Seconds from navigation to every chart drawn."""
    with open_page(browser) as page:
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(DRAWN, timeout=300_000, polling=50)
        return time.perf_counter() - start


def _pick_era(page: Page, index: int) -> tuple[float, bool]:
    """Seconds from picking an era to the chart redrawn, and whether it was redrawn in place."""
    before = page.evaluate(SIGNATURE)
    page.evaluate(MARK)
    page.get_by_role("combobox", name="Era").click()
    option = page.get_by_role("option").nth(index)
    start = time.perf_counter()
    option.click()
    page.wait_for_function(
        f"() => ({SIGNATURE})() !== {before!r} && ({DRAWN})()", timeout=300_000, polling=50
    )
    return time.perf_counter() - start, page.evaluate(MARKED)


def filter_redraws(browser: Browser, url: str) -> list[tuple[float, bool]]:
    """Pick the first era preset, then all time again."""
    with open_page(browser) as page:
        page.goto(url)
        page.wait_for_function(DRAWN, timeout=300_000, polling=50)
        return [_pick_era(page, 2), _pick_era(page, 0)]


def page_timings(files: dict[str, Path], runs: int, port: int) -> dict[str, Any]:
    """Cold and warm time to charts for the one-chart app and the dashboard on each file,
    and filter changes redrawn on the dashboards; ports from `port` up (0: any free ones)."""
    apps: dict[str, tuple[Path, tuple[str, ...]]] = {BASELINE: (MINIMAL_APP, ())}
    for label, path in files.items():
        apps[label] = (UNCAPPED_APP if over_cap(path) else ROOT / "app.py", ("--data", str(path)))
    raw: dict[str, dict[str, list[Any]]] = {a: {"cold": [], "warm": [], "redraw": []} for a in apps}
    ports: dict[str, int] = {}
    loads = [load_average()]
    with chromium() as browser:
        for _ in range(runs):
            for k, (label, (app, args)) in enumerate(apps.items()):
                with streamlit_server(*args, app=app, port=port + k if port else 0) as url:
                    ports[label] = int(url.rsplit(":", 1)[1])
                    raw[label]["cold"].append(visit(browser, url))
                    raw[label]["warm"].append(visit(browser, url))
                    if label != BASELINE:
                        raw[label]["redraw"] += filter_redraws(browser, url)
            loads.append(load_average())
    out: dict[str, Any] = {}
    base = raw[BASELINE]
    for label, r in raw.items():
        out[label] = {
            "app": apps[label][0].name,
            "port": ports[label],
            "cold": spread(r["cold"]),
            "warm": spread(r["warm"]),
            # Each round's ratio to the baseline measured in the same round.
            "cold_vs_baseline": spread(
                [a / b for a, b in zip(r["cold"], base["cold"], strict=True)]
            ),
            "warm_vs_baseline": spread(
                [a / b for a, b in zip(r["warm"], base["warm"], strict=True)]
            ),
        }
        if r["redraw"]:
            out[label]["filter_redraw"] = spread([t for t, _ in r["redraw"]])
            out[label]["redrawn_in_place"] = all(same for _, same in r["redraw"])
    return {"pages": out, "load_average": loads}
