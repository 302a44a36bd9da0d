"""Page timings in headless Chromium: time to charts drawn, and from a filter change to redrawn."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from playwright.sync_api import Browser, Page

from tests.browser import ROOT, chromium, open_page, streamlit_server

# Drawn = every Plotly chart on the page has its points and Streamlit has finished the run.
DRAWN = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return plots.length > 0
    && plots.every(p => p.querySelector('.scatterlayer .points path, .barlayer .point'))
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && document.querySelector('[data-testid="stApp"]')?.dataset.teststate !== 'running';
}"""
SIGNATURE = """() => [...document.querySelectorAll('.js-plotly-plot')].map(p =>
  (p.querySelector('.gtitle')?.textContent || '') + '|' +
  p.querySelectorAll('.scatterlayer .points path').length).join(';')"""


def time_to_charts(browser: Browser, url: str, runs: int) -> float:
    """Median seconds from navigation to every chart drawn (server already warm)."""
    times = []
    for _ in range(runs + 1):  # the first visit warms the server's caches and is not counted
        with open_page(browser) as page:
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_function(DRAWN, timeout=180_000, polling=50)
            times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def _pick_era(page: Page, index: int) -> float:
    before = page.evaluate(SIGNATURE)
    page.get_by_role("combobox", name="Era").click()
    option = page.get_by_role("option").nth(index)
    start = time.perf_counter()
    option.click()
    page.wait_for_function(
        f"() => ({SIGNATURE})() !== {before!r} && ({DRAWN})()", timeout=180_000, polling=50
    )
    return time.perf_counter() - start


def filter_redraw(browser: Browser, url: str, runs: int) -> float:
    """Median seconds from picking an era to the chart redrawn with its events."""
    with open_page(browser) as page:
        page.goto(url)
        page.wait_for_function(DRAWN, timeout=180_000, polling=50)
        times = []
        for _ in range(runs):
            times.append(_pick_era(page, 2))  # the first era preset
            times.append(_pick_era(page, 0))  # back to all time
        return statistics.median(times)


def page_timings(files: dict[str, Path], runs: int) -> dict[str, dict[str, float]]:
    """Timings for the minimal one-chart app and for the dashboard on each file."""
    out: dict[str, dict[str, float]] = {}
    with chromium() as browser:
        with streamlit_server(app=ROOT / "benchmarks" / "minimal_app.py") as url:
            out["minimal one-chart app"] = {"time_to_charts": time_to_charts(browser, url, runs)}
        for label, path in files.items():
            with streamlit_server("--data", str(path)) as url:
                out[label] = {
                    "time_to_charts": time_to_charts(browser, url, runs),
                    "filter_redraw": filter_redraw(browser, url, runs),
                }
    return out
