"""End to end: the real app in headless Chromium, as a user would use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

import timeline as tl
from tests.browser import (
    click_point,
    open_page,
    shot,
    streamlit_server,
    wait_for_charts,
    wait_idle,
)
from tests.conftest import MINI, ROOT


@pytest.fixture(scope="module")
def mini_url() -> Iterator[str]:
    with streamlit_server("--data", str(MINI)) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with open_page(browser) as page:
        yield page


def metric(page: Page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def test_pick_era_click_event_and_reload(page: Page, mini_url: str):
    page.goto(mini_url)
    wait_for_charts(page)
    assert metric(page, "Events shown") == "11"

    page.get_by_role("combobox", name="Era").click()
    page.get_by_role("option", name="Season 1 setting").click()
    wait_idle(page)
    expect(page.locator('[data-testid="stMetric"]').first).to_contain_text("4")
    assert metric(page, "Events shown") == "4"
    assert "era=season-1" in page.url

    # Mini Moon lane within season 1: soviet-landing then moon-base.
    click_point(page, "Mini Moon", 0)
    details = page.locator(".st-key-details")
    expect(details).to_contain_text("A cosmonaut walks on the Moon first", timeout=30_000)
    expect(details).to_contain_text("26 Jun 1969")
    assert "event=soviet-landing" in page.url
    shot(page, "mini-selected")

    page.reload()
    wait_for_charts(page)
    expect(page.locator(".st-key-details")).to_contain_text("A cosmonaut walks on the Moon first")
    assert metric(page, "Events shown") == "4"
    assert page.get_by_role("combobox", name="Era").input_value() == "Season 1 setting"


def test_counterpart_jump_in_the_browser(page: Page, mini_url: str):
    page.goto(f"{mini_url}/?event=soviet-landing")
    wait_for_charts(page)
    page.get_by_role("button", name="Counterpart: Apollo lands on the Moon").click()
    wait_idle(page)
    expect(page.locator(".st-key-details")).to_contain_text("Apollo lands on the Moon")
    assert "event=apollo-landing" in page.url


def test_clicking_an_event_again_after_a_jump_selects_it_again(page: Page, mini_url: str):
    page.goto(f"{mini_url}/?era=season-1")
    wait_for_charts(page)
    details = page.locator(".st-key-details")
    click_point(page, "Mini Moon", 0)
    heading = details.locator("h3").first
    expect(heading).to_have_text("A cosmonaut walks on the Moon first", timeout=30_000)
    page.get_by_role("button", name="Counterpart: Apollo lands on the Moon").click()
    wait_idle(page)
    expect(heading).to_have_text("Apollo lands on the Moon")
    # A filter change must not pull the selection back to the point clicked before the jump.
    page.get_by_role("combobox", name="Era").click()
    page.get_by_role("option", name="Space Race").click()
    wait_idle(page)
    expect(heading).to_have_text("Apollo lands on the Moon")
    page.get_by_role("combobox", name="Era").click()
    page.get_by_role("option", name="Season 1 setting").click()
    wait_idle(page)
    expect(heading).to_have_text("Apollo lands on the Moon")

    wait_for_charts(page)
    click_point(page, "Mini Moon", 0)
    wait_idle(page)
    expect(heading).to_have_text("A cosmonaut walks on the Moon first")
    assert "event=soviet-landing" in page.url


def test_a_reset_selection_stays_cleared(page: Page, mini_url: str):
    page.goto(mini_url)
    wait_for_charts(page)
    click_point(page, "Mini Moon", 0)
    expect(page.locator(".st-key-details")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Reset filters").click()
    wait_idle(page)
    page.get_by_role("combobox", name="Era").click()
    page.get_by_role("option", name="Season 1 setting").click()
    wait_idle(page)
    assert "era=season-1" in page.url
    assert "event=" not in page.url
    expect(page.locator(".st-key-details")).to_have_count(0)


VIEWS = {
    "Milestones": ".js-plotly-plot",
    "Divergence over time": ".js-plotly-plot",
    "Ripples": ".js-plotly-plot",
    "Time jumps": ".js-plotly-plot",
    "Per era": ".js-plotly-plot",
    "Side by side": '[data-testid="stTable"] table',
    "Export": '[data-testid="stDownloadButton"]',
}


@pytest.mark.parametrize("seed", sorted(p.name for p in (ROOT / "seeds").glob("*.yaml")))
def test_every_shipped_timeline_draws_every_view(browser: Browser, seed: str):
    stem = seed.removesuffix(".yaml")
    with streamlit_server() as url, open_page(browser) as page:
        pod = tl.load_timeline(ROOT / "seeds" / seed).divergence
        page.goto(f"{url}/?data={seed}&event={pod}")
        wait_for_charts(page)
        assert int(metric(page, "Events shown")) >= 30
        expect(page.locator(".st-key-details")).to_contain_text("Sources")
        shot(page, f"{stem}-timeline")
        for tab, selector in VIEWS.items():
            page.get_by_role("tab", name=tab).click()
            panel = page.locator('[role="tabpanel"]:visible')
            expect(panel.locator(selector).first).to_be_visible(timeout=30_000)
            if selector == ".js-plotly-plot":
                expect(panel.locator(".main-svg").first).to_be_visible()
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
            shot(page, f"{stem}-{tab.lower().replace(' ', '-')}")
        # The open tab is part of the address: a reload comes back to it.
        page.reload()
        expect(page.get_by_role("tab", name="Export")).to_have_attribute("aria-selected", "true")
        expect(page.locator('[data-testid="stDownloadButton"]').first).to_be_visible()
