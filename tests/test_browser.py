"""End to end: the real app in headless Chromium, as a user would use it."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

import timeline as tl
from tests.browser import click_event, open_app, shot, wait_idle
from tests.conftest import MINI, ROOT


@pytest.fixture
def mini_url(app_server: Callable[..., str]) -> str:
    return app_server("--data", str(MINI))


def metric(page: Page, label: str) -> Locator:
    box = page.get_by_test_id("stMetric").filter(has_text=label)
    return box.get_by_test_id("stMetricValue")


def heading(page: Page) -> Locator:
    """The title of the event shown in the details panel."""
    return page.locator(".st-key-details h3").first


def param(key: str, value: str | None = None) -> re.Pattern[str]:
    """An address holding `key=value` (any value when None) among its query parameters."""
    wanted = "[^&]*" if value is None else re.escape(quote(value)).replace("%20", "(%20|\\+)")
    return re.compile(rf"[?&]{key}={wanted}(&|$)")


def choose_era(page: Page, label: str) -> None:
    """Pick an era by its label (the picker adds the era's years after it)."""
    wait_idle(page)  # a rerun still drawing would close the list as it opens
    option = page.get_by_role("option", name=re.compile("^" + re.escape(label)))
    # After a details-panel button click the select takes focus on the first click and opens
    # on the second (BaseWeb's select), so click until the list is open.
    for _ in range(3):
        page.get_by_role("combobox", name="Era or period").click()
        with contextlib.suppress(AssertionError):
            expect(option).to_be_visible(timeout=3_000)
            break
    # On a loaded machine a click can land while the list re-renders and be lost (the list then
    # stays open on the old choice): click until the list closes.
    for _ in range(3):
        option.click()
        with contextlib.suppress(AssertionError):
            expect(option).to_be_hidden(timeout=5_000)
            return


def test_pick_era_click_event_and_reload(page: Page, mini_url: str):
    open_app(page, mini_url)
    expect(metric(page, "Events shown")).to_have_text("11")

    choose_era(page, "Season 1 setting")
    expect(page).to_have_url(param("era", "season-1"))
    expect(metric(page, "Events shown")).to_have_text("4")

    click_event(page, "soviet-landing")
    expect(page).to_have_url(param("event", "soviet-landing"))
    expect(heading(page)).to_have_text("A cosmonaut walks on the Moon first")
    expect(page.locator(".st-key-details")).to_contain_text("26 Jun 1969")
    wait_idle(page)
    shot(page, "mini-selected")

    page.reload()
    wait_idle(page)
    expect(heading(page)).to_have_text("A cosmonaut walks on the Moon first")
    expect(metric(page, "Events shown")).to_have_text("4")
    expect(page.get_by_role("combobox", name="Era or period")).to_have_value(
        "Season 1 setting (1969–1974)"
    )


def test_a_download_is_made_on_click_and_holds_the_events_in_view(page: Page, mini_url: str):
    frame = tl.to_frame(tl.compare_pair(tl.load_timeline(MINI)))
    shown = tl.filter_events(frame, tl.Query(era="season-1"))
    open_app(page, f"{mini_url}/?era=season-1")
    page.get_by_role("tab", name="Export").click()
    expect(page.get_by_text("The 4 events in the current view")).to_be_visible()
    # A run still going (the tab goes into the address) registers the files anew and drops the
    # ones of the run before: a click on a button of that run gets no file. Idle alone is not
    # enough: right after the tab's click, the run it asks for may not have started yet.
    expect(page).to_have_url(re.compile(r"tab=Export"))
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Events as CSV").click()
    assert download.value.suggested_filename == "mini.csv"
    assert Path(download.value.path()).read_text(encoding="utf-8") == tl.to_csv(shown)


def test_counterpart_jump_in_the_browser(page: Page, mini_url: str):
    open_app(page, f"{mini_url}/?event=soviet-landing")
    expect(heading(page)).to_have_text("A cosmonaut walks on the Moon first")
    page.get_by_role("button", name="Counterpart: Apollo lands on the Moon").click()
    expect(page).to_have_url(param("event", "apollo-landing"))
    expect(heading(page)).to_have_text("Apollo lands on the Moon")


def test_clicking_an_event_again_after_a_jump_selects_it_again(page: Page, mini_url: str):
    open_app(page, f"{mini_url}/?era=season-1")
    click_event(page, "soviet-landing")
    expect(page).to_have_url(param("event", "soviet-landing"))
    expect(heading(page)).to_have_text("A cosmonaut walks on the Moon first")
    page.get_by_role("button", name="Counterpart: Apollo lands on the Moon").click()
    expect(page).to_have_url(param("event", "apollo-landing"))
    expect(heading(page)).to_have_text("Apollo lands on the Moon")
    # A filter change must not pull the selection back to the point clicked before the jump.
    for era, slug in (("Space Race", "space-race"), ("Season 1 setting", "season-1")):
        choose_era(page, era)
        expect(page).to_have_url(param("era", slug))
        wait_idle(page)
        expect(page).to_have_url(param("event", "apollo-landing"))
        expect(heading(page)).to_have_text("Apollo lands on the Moon")

    click_event(page, "soviet-landing")
    expect(page).to_have_url(param("event", "soviet-landing"))
    expect(heading(page)).to_have_text("A cosmonaut walks on the Moon first")


def test_a_reset_selection_stays_cleared(page: Page, mini_url: str):
    open_app(page, mini_url)
    click_event(page, "soviet-landing")
    expect(page).to_have_url(param("event", "soviet-landing"))
    expect(heading(page)).to_have_text("A cosmonaut walks on the Moon first")
    page.get_by_role("button", name="More filters").click()
    page.get_by_role("button", name="Reset filters").click()
    expect(page).not_to_have_url(param("event"))
    expect(page.locator(".st-key-details")).to_have_count(0)
    choose_era(page, "Season 1 setting")
    expect(page).to_have_url(param("era", "season-1"))
    wait_idle(page)
    expect(page).not_to_have_url(param("event"))
    expect(page.locator(".st-key-details")).to_have_count(0)


def test_a_charts_table_opens_with_every_row_shown(page: Page, mini_url: str):
    # Made and sent only once opened; its rows are the events the chart shows.
    open_app(page, mini_url)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    expect(page.get_by_test_id("stCaptionContainer").first).to_have_text(
        "Statuses: " + " · ".join(f"{s.label}: {s.explanation}" for s in tl.Status)
    )
    page.get_by_text("Table of what this chart shows").click()
    grid = page.get_by_test_id("stDataFrame")
    expect(grid).to_be_visible()
    # The grid draws on a canvas; its accessible table holds the header and the 11 events.
    table = grid.locator("table[role=grid]")
    expect(table).to_have_attribute("aria-rowcount", "12")
    expect(table.locator("th")).to_have_text(
        ["Date", "Event", "History", "Category", "Status", "Eras", "id"]
    )


VIEWS = {
    "Milestones": ".js-plotly-plot .main-svg",
    "Divergence over time": ".js-plotly-plot .main-svg",
    "Ripples": ".js-plotly-plot .main-svg",
    "Time jumps": ".js-plotly-plot .main-svg",
    "Per era": ".js-plotly-plot .main-svg",
    "Side by side": '[data-testid="stDataFrame"]',
    "Export": '[data-testid="stDownloadButton"]',
}
# The event ids plotted by the first chart, each once, sorted (hidden rings left out).
PLOTTED_IDS = """() => [...new Set([...document.querySelector('.js-plotly-plot').data]
  .filter(t => t.hoverinfo !== 'skip' && t.customdata)
  .flatMap(t => [...t.customdata].map(c => c[0])))].filter(id => !id.startsWith('era:')).sort()"""


def assert_plotted(page: Page, ids: list[str]) -> None:
    """The first chart comes to plot exactly these event ids (retried like `expect`)."""
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            f"ids => JSON.stringify(({PLOTTED_IDS})()) === JSON.stringify(ids)", arg=ids
        )
    assert page.evaluate(PLOTTED_IDS) == ids


@pytest.mark.parametrize("seed", sorted(p.name for p in (ROOT / "seeds").glob("*.yaml")))
def test_every_shipped_timeline_draws_every_view(
    page: Page, app_server: Callable[..., str], seed: str
):
    stem = seed.removesuffix(".yaml")
    tree = tl.load_timeline(ROOT / "seeds" / seed)
    timeline = tl.compare_pair(tree)  # its default pair, on the Timeline tab
    open_app(page, f"{app_server()}/?data={seed}&event={timeline.divergence}&tab=Timeline")
    expect(metric(page, "Events shown")).to_have_text(f"{len(timeline.events):,}")
    assert_plotted(page, sorted(e.id for e in timeline.events))
    divergence = next(e for e in timeline.events if e.id == timeline.divergence)
    expect(heading(page)).to_have_text(divergence.title)
    expect(page.locator(".st-key-details")).to_contain_text("Sources")
    shot(page, f"{stem}-timeline")
    # A tree's own tabs (the branch map, opened first, has tests of its own).
    many = {t: ".js-plotly-plot .main-svg" for t in ("Every history", "Milestones, every history")}
    for tab, selector in {**(many if len(tree.histories) > 2 else {}), **VIEWS}.items():
        page.get_by_role("tab", name=tab, exact=True).click()
        expect(page).to_have_url(param("tab", tab))
        panel = page.locator('[role="tabpanel"]:visible')
        expect(panel.locator(selector).first).to_be_visible()
        wait_idle(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
        shot(page, f"{stem}-{tab.lower().replace(' ', '-')}")
    # The open tab is part of the address: a reload comes back to it.
    page.reload()
    expect(page.get_by_role("tab", name="Export")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("stDownloadButton").first).to_be_visible()
