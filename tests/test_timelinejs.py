"""The TimelineJS export loads in the real TimelineJS library (npm package) in headless Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

import timeline as tl
from tests.browser import open_page
from timeline.export import TLJS_TITLE_ID

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

ROOT = Path(__file__).parent.parent
DIST = ROOT / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
HOSTILE = """\
format: 1
title: "<img src=x onerror=window.pwned=1> & Co"
description: "<script>window.pwned=2</script>"
histories:
  reference: {label: "<b>Ours</b> & co", color: "#0072B2"}
  diverged: {label: "&lt;i&gt;Theirs", color: "#D55E00"}
divergence: a
eras:
  - {id: e, label: "<svg onload=window.pwned=3>", start: 1983, end: 1983}
sources:
  - {id: w, title: "<i>T</i>", publisher: "P & Q", url: "https://example.org/?a=1&b=\\"><x"}
  - {id: s, title: "S <u>", seed: a.txt}
events:
  - {id: a, date: 1983, title: "<a href=javascript:1>A</a>", summary: "</p><p>x", history: diverged,
     category: c, sources: [w, s]}
  - {id: b, date: 1984-02, end: 1984-02, title: B, history: reference, category: c, sources: [s]}
"""
FAR = """\
format: 1
title: Far
histories:
  reference: {label: Ours, color: "#0072B2"}
  diverged: {label: Theirs, color: "#D55E00"}
divergence: early
eras:
  - {id: rome, label: Rome, start: 44 BC, end: 44 BC}
sources:
  - {id: s, title: S, seed: s.txt}
events:
  - {id: ides, date: -0043-03-15, title: Ides, history: reference, category: c, sources: [s]}
  - {id: zero, date: 0, title: Year zero, history: reference, category: c, sources: [s]}
  - {id: late, date: 999999-12-31, title: Late, history: diverged, category: c, sources: [s]}
  - {id: early, date: -999999, end: -999990s, title: Early, history: diverged, category: c,
     sources: [s]}
"""
# Each shipped timeline, the test one, and dates from 999,999 BC-ish to AD 999,999.
CASES = {
    p.name: p.read_text()
    for p in [*sorted((ROOT / "seeds").glob("*.yaml")), ROOT / "tests" / "data" / "mini.yaml"]
} | {"far-dates.yaml": FAR}

# The page only holds the container; the library comes from node_modules over localhost.
PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="/css/timeline.css">
<script src="/js/timeline.js"></script>
</head><body><div id="timeline-embed" style="width: 1200px; height: 700px"></div></body></html>
"""

# Everything TimelineJS would fetch from the web stays off: fonts, analytics, language files.
START = """data => {
  window.tlProblems = [];
  const timeline = new TL.Timeline('timeline-embed', data, {
    script_path: location.origin + '/js/', font: null, ga_property_id: null,
    ga_measurement_id: null, track_events: [], language: 'en', hash_bookmark: false,
  });
  timeline.on('loaded', () => { window.tlLoaded = true; });
  window.timeline = timeline;
}"""

# Loaded, or TimelineJS gave up and shows an error message instead of the timeline.
SETTLED = """() => window.tlLoaded || /error/i.test(
  document.querySelector('#timeline-embed .tl-message-content')?.textContent || '')"""

SHOWN = """() => ({
  message: document.querySelector('#timeline-embed .tl-message-content')?.textContent || null,
  errors: timeline.config.getErrors().map(String),
  slides: [...document.querySelectorAll('#timeline-embed .tl-storyslider .tl-slide')].map(e => e.id),
  markers: [...document.querySelectorAll('#timeline-embed .tl-timemarker')].map(e => e.id),
  eras: [...document.querySelectorAll('#timeline-embed .tl-timeera')].map(e => e.textContent),
  groups: [...document.querySelectorAll('#timeline-embed .tl-timegroup-message')]
    .map(e => e.textContent),
})"""


@pytest.fixture(scope="module")
def dist_server() -> Iterator[str]:
    """The npm package's dist folder over http on 127.0.0.1 (fonts and locales load from it)."""
    if not (DIST / "js" / "timeline.js").exists():
        pytest.fail("TimelineJS is missing: run `npm ci --no-audit --no-fund` in the repo root")
    handler = functools.partial(_QuietHandler, directory=str(DIST))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def timelinejs_page(browser: Browser, base: str) -> Iterator[tuple[Page, list[str]]]:
    """A page with TimelineJS loaded; yields it and a list collecting every problem seen."""
    problems: list[str] = []
    with open_page(browser) as page:

        def guard(route: Route) -> None:
            url = route.request.url
            if urlsplit(url).hostname != "127.0.0.1":
                problems.append(f"request to another host: {url}")
                route.abort()
            elif urlsplit(url).path == "/timeline.html":
                route.fulfill(body=PAGE, content_type="text/html")
            else:
                route.continue_()

        page.route("**/*", guard)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on(
            "console",
            lambda m: m.type in ("error", "warning") and problems.append(f"console: {m.text}"),
        )
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
        page.goto(f"{base}/timeline.html")
        yield page, problems


def show(page: Page, timeline: tl.Timeline) -> dict[str, Any]:
    """Build the timeline's export in TimelineJS; wait until it has drawn it or given up."""
    page.evaluate(START, tl.to_timelinejs(tl.to_frame(timeline), timeline))
    page.wait_for_function(SETTLED, timeout=60_000)
    return page.evaluate(SHOWN)


@pytest.mark.browser
@pytest.mark.parametrize("name", CASES)
def test_every_event_becomes_a_slide_in_timelinejs(
    browser: Browser, dist_server: str, name: str
) -> None:
    timeline = tl.compare_pair(tl.parse_timeline(CASES[name], name))  # its default pair
    with timelinejs_page(browser, dist_server) as (page, problems):
        shown = show(page, timeline)
    assert (shown["message"], shown["errors"], problems) == (None, [], [])
    ids = sorted(e.id for e in timeline.events)
    assert sorted(shown["slides"]) == sorted([TLJS_TITLE_ID, *ids])
    assert sorted(shown["markers"]) == [f"{i}-marker" for i in ids]
    assert sorted(shown["eras"]) == sorted(e.label for e in timeline.eras)


@pytest.mark.browser
def test_timelinejs_shows_file_text_as_text(browser: Browser, dist_server: str) -> None:
    timeline = tl.parse_timeline(HOSTILE, "hostile.yaml")
    with timelinejs_page(browser, dist_server) as (page, problems):
        shown = show(page, timeline)
        title = page.locator(".tl-slide-titleslide").inner_text()
        slide = page.locator("#a .tl-text").inner_text()
        links = page.evaluate(
            "() => [...document.querySelectorAll('#a a')].map(a => a.getAttribute('href'))"
        )
        markup = page.locator("#timeline-embed img, #timeline-embed svg, #timeline-embed b").count()
        pwned = page.evaluate("() => window.pwned ?? null")
    assert (shown["message"], shown["errors"], problems) == (None, [], [])
    assert shown["eras"] == ["<svg onload=window.pwned=3>"]
    assert sorted(shown["groups"]) == ["&lt;i&gt;Theirs", "<b>Ours</b> & co"]
    assert title == "<img src=x onerror=window.pwned=1> & Co\n\n<script>window.pwned=2</script>"
    assert slide == (
        "<a href=javascript:1>A</a>\n1983\n\n</p><p>x\n\nSources:\n\n"
        "<i>T</i>, P & Q\nS <u>, seed document a.txt"
    )
    assert links == ['https://example.org/?a=1&b="><x']
    assert (markup, pwned) == (0, None)
