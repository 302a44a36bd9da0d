"""Helpers to run the real app and drive it in Debian's headless Chromium.

Fixtures (defined in tests/conftest.py; any test using one is marked `browser`):

- `browser`: one headless Chromium per test module.
- `app_server`: a factory, `url = app_server("--data", str(MINI))`, the address of
  `streamlit run app.py -- ARGS` on a free localhost port. A server is started once per module
  for each distinct set of arguments and shared by that module's tests; call it with no
  arguments for the app's defaults. Use one server per test only when a test changes
  something that outlives its page (a page's own widgets, uploads and selections do not).
- `page`: a fresh 1280x800 page in its own browser context; the test fails if the page opens
  a dialog.

Waiting, without sleeps:

- Assert with Playwright's `expect(...)`, which retries until it holds or times out:
  `expect(page).to_have_url(re.compile(r"era=season-1"))`, `expect(locator).to_have_text(...)`.
  Never read a value once and assert on it (`assert "x" in page.url`): the app may not have
  caught up yet.
- `wait_idle(page)` waits for Streamlit's own idle signal: the app root's
  `data-test-script-state` attribute reads `notRunning` (and the page is connected). Right
  after a click the previous run's idle state may still show, so after an action first
  `expect` its visible effect (the address, a metric, a heading), then `wait_idle` before
  acting on what the run drew.
- `open_app(page, url)` loads a page and waits until its charts are drawn and the app is idle.
- `click_event(page, event_id)` clicks an event's marker where a user would, once drawn.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from playwright.sync_api import Browser, JSHandle, Page, expect, sync_playwright

ROOT = Path(__file__).parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous: two busy CPUs shared with other work can make one rerun take many seconds.
TIMEOUT_MS = 60_000
# For every `expect` too (its own default is 5 s); a page's actions get it in `open_page`.
expect.set_options(timeout=TIMEOUT_MS)
SERVER_START_S = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Copy a process's output into a queue line by line (keeps its pipe from filling up)."""
    for line in stream:
        lines.put(line)
    lines.put(None)


@contextlib.contextmanager
def streamlit_server(*app_args: str, app: Path = ROOT / "app.py", port: int = 0) -> Iterator[str]:
    """`streamlit run app.py` on `port` (a free one if 0); yields its address once it serves."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    if app_args:
        cmd += ["--", *app_args]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
    seen: deque[str] = deque(maxlen=40)
    try:
        # Streamlit prints its address once the server listens: wait for that line, not a clock.
        deadline = time.monotonic() + SERVER_START_S
        while not any(url in line for line in seen):
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise RuntimeError(f"streamlit did not start in {SERVER_START_S:.0f} s") from None
            if line is None:
                raise RuntimeError("streamlit exited:\n" + "".join(seen))
            seen.append(line)
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=30) as response:
            assert response.status == 200
        yield url
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("Debian's chromium is missing: run `apt-get install -y chromium`")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def open_page(browser: Browser) -> Iterator[Page]:
    """A fresh 1280x800 page; fails the test if the page ever opened a dialog."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        yield page
    finally:
        context.close()
    assert dialogs == [], f"a dialog opened: {dialogs}"


def wait_idle(page: Page) -> None:
    """Wait for Streamlit's idle signal: connected, and no script run going or asked for."""
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=TIMEOUT_MS)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)


def wait_for_charts(page: Page, count: int = 1) -> None:
    """Wait until `count` Plotly charts have drawn their points and Streamlit is idle."""
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot .scatterlayer .points path').length > 0"
        " && document.querySelectorAll('.js-plotly-plot').length >= n",
        arg=count,
        timeout=TIMEOUT_MS,
    )
    wait_idle(page)


def open_app(page: Page, url: str) -> None:
    """Load the app at `url` and wait until its first chart is drawn and it is idle."""
    page.goto(url)
    wait_for_charts(page)


def next_frames(page: Page) -> None:
    """Let the browser lay out and paint twice (after a resize, before a screenshot)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def shot(page: Page, name: str) -> Path:
    """Save a screenshot of the whole app (Streamlit scrolls inside its main area)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size or {"width": 1280, "height": 800}
    height = page.evaluate(
        '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
        '[data-testid="stSidebarContent"]\')].map(e => e.scrollHeight), 0)'
    )
    page.set_viewport_size(
        {"width": size["width"], "height": max(size["height"], min(height, 6000))}
    )
    next_frames(page)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def _click_centre(page: Page, handle: JSHandle) -> None:
    element = handle.as_element()
    assert element is not None
    element.scroll_into_view_if_needed()  # a mouse click at off-screen coordinates hits nothing
    box = element.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


# The marker (an SVG path) of a point whose first customdata value is the event id, in the
# first chart; Plotly binds each marker to its point (`i`) and each trace group to its trace.
_MARKER_OF_EVENT = """id => {
  const plot = document.querySelector('.js-plotly-plot');
  for (const group of plot ? plot.querySelectorAll('.scatterlayer .trace') : []) {
    const trace = group.__data__ && group.__data__[0] && group.__data__[0].trace;
    if (!trace || trace.hoverinfo === 'skip' || !trace.customdata) continue;
    for (const path of group.querySelectorAll('.points path')) {
      const point = path.__data__;
      if (point && (trace.customdata[point.i] || [])[0] === id) return path;
    }
  }
  return null;
}"""


def click_event(page: Page, event_id: str) -> None:
    """Click the marker of `event_id` in the first chart, where a user would, once drawn."""
    wait_idle(page)
    next_frames(page)  # the run's last chart update is painted
    _click_centre(page, page.wait_for_function(_MARKER_OF_EVENT, arg=event_id))


def click_point(page: Page, trace_name: str, index: int) -> None:
    """Click the `index`-th marker of the named trace of the first chart, once drawn."""
    wait_idle(page)
    next_frames(page)
    handle = page.wait_for_function(
        """([name, index]) => {
          const plot = document.querySelector('.js-plotly-plot');
          const groups = plot ? [...plot.querySelectorAll('.scatterlayer .trace')] : [];
          const group = groups.find(g => g.__data__ && g.__data__[0].trace.name === name);
          return (group && group.querySelectorAll('.points path')[index]) || null;
        }""",
        arg=[trace_name, index],
    )
    _click_centre(page, handle)
