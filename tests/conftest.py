from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

import timeline as tl

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
MINI = DATA / "mini.yaml"
TREE = DATA / "tree.yaml"  # format 2: a novel, its film and a second draft
# Its lanes in tree order, as the history filter and the parallel timeline name them.
TREE_LANES = ["Our history", "The novel", "The film", "Draft B", "Every history", "Production"]


@pytest.fixture(scope="session")
def mini_text() -> str:
    return MINI.read_text()


@pytest.fixture(scope="session")
def mini() -> tl.Comparison:
    """The format-1 test file as the two histories it compares."""
    return tl.compare_pair(tl.load_timeline(MINI))


@pytest.fixture(scope="session")
def mini_frame(mini: tl.Comparison) -> pd.DataFrame:
    return tl.to_frame(mini)


# A test using any of these drives the real app in a browser: it is marked `browser`.
BROWSER_FIXTURES = {"browser", "page", "app_server"}
# Tests that take seconds without a browser (measured), marked `slow` by name from here because
# their modules belong to others; a listed test that is gone fails the run, so the list stays true.
SLOW = {
    "test_properties.py": {"test_generated_timelines_round_trip_and_draw"},
    "test_cli.py": {"test_a_timeline_exported_as_json_validates_and_exports_the_same"},
    "test_benchmarks.py": {"test_quick_benchmark_runs_and_reports_spreads_loads_ports_and_targets"},
}
# The benchmark's own run opens pages in Chromium too.
ALSO_BROWSER = {"test_quick_benchmark_runs_and_reports_spreads_loads_ports_and_targets"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser and slow tests, so `pytest -m "not browser and not slow"` runs in seconds."""
    found: dict[str, set[str]] = {}
    for item in items:
        module, name = item.path.name, item.name.split("[")[0]
        found.setdefault(module, set()).add(name)
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())) or name in ALSO_BROWSER:
            item.add_marker(pytest.mark.browser)
        if name in SLOW.get(module, set()):
            item.add_marker(pytest.mark.slow)
    gone = {m: sorted(names - found[m]) for m, names in SLOW.items() if m in found}
    gone = {m: names for m, names in gone.items() if names}
    assert not gone, f"tests/conftest.py SLOW names tests that no longer exist: {gone}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, shared by a module's browser tests."""
    from tests.browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def app_server() -> Iterator[Callable[..., str]]:
    """`app_server(*args)`: the address of `streamlit run app.py -- ARGS`, one per module and args."""
    from tests.browser import streamlit_server

    with contextlib.ExitStack() as servers:
        urls: dict[tuple[str, ...], str] = {}

        def start(*args: str) -> str:
            if args not in urls:
                urls[args] = servers.enter_context(streamlit_server(*args))
            return urls[args]

        yield start


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own browser context; the test fails if it opens a dialog."""
    from tests.browser import open_page

    with open_page(browser) as p:
        yield p


def problems(text: str) -> list[tl.Problem]:
    """The problems reported for timeline text (fails if it loads)."""
    with pytest.raises(tl.TimelineError) as info:
        tl.parse_timeline(text, "t.yaml")
    return info.value.problems


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def open_at(browser: Browser) -> Iterator[Callable[[str, dict[str, int]], Page]]:
    """Open an address at a window size, in a context closed after the test."""
    contexts: list[BrowserContext] = []

    from tests.browser import wait_for_charts

    def open_page(url: str, size: dict[str, int]) -> Page:
        contexts.append(browser.new_context(viewport=size))
        page = contexts[-1].new_page()
        page.goto(url)
        wait_for_charts(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
