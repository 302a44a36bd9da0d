"""A filter change redraws the main chart in its own element, and its clicks still select."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

import timeline as tl
from tests.browser import click_event, open_app, wait_idle
from tests.conftest import ROOT
from tests.test_browser import choose_era

pytestmark = pytest.mark.browser

FAM = ROOT / "seeds" / "for-all-mankind.yaml"
# The main chart's element, and whether it is still the one on the page.
CHART = "() => document.querySelector('.js-plotly-plot')"
STILL_THERE = "el => el.isConnected && document.querySelector('.js-plotly-plot') === el"
# Plotly's own drawing surface: `Plotly.react` keeps it; a full redraw (which react falls back
# to when the config differs from the last one) makes a new one.
SURFACE = "el => el.querySelector('.main-svg')"


def season_1() -> str:
    """The era's label, as the picker shows it."""
    return next(e.label for e in tl.load_timeline(FAM).eras if e.id == "season-1-setting")


@pytest.fixture
def fam_url(app_server: Callable[..., str]) -> str:
    return app_server("--data", str(FAM))


def test_an_era_change_redraws_the_main_chart_in_the_same_element(page: Page, fam_url: str):
    open_app(page, fam_url)
    chart = page.evaluate_handle(CHART)
    surface = page.evaluate_handle(SURFACE, chart)
    choose_era(page, season_1())
    expect(page).to_have_url(re.compile("era=season-1-setting"))
    wait_idle(page)
    # Redrawn: the x-axis now spans the era, not the whole timeline.
    low, high = page.evaluate("el => el._fullLayout.xaxis.range", chart)
    assert (low, high) != (None, None) and high - low < 40
    assert page.evaluate(STILL_THERE, chart) is True
    assert page.evaluate("s => s.isConnected", surface) is True  # updated, not drawn anew
    choose_era(page, "All time")
    expect(page).not_to_have_url(re.compile("era="))
    wait_idle(page)
    assert page.evaluate(STILL_THERE, chart) is True


def test_a_click_after_an_era_change_selects_the_event_and_a_second_click_too(
    page: Page, fam_url: str
):
    open_app(page, fam_url)
    choose_era(page, season_1())
    expect(page).to_have_url(re.compile("era=season-1-setting"))
    click_event(page, "leonov-first-moonwalk")
    expect(page.locator(".st-key-details")).to_contain_text("Leonov", timeout=30_000)
    expect(page).to_have_url(re.compile("event=leonov-first-moonwalk"))
    # A click is an event, not a lasting selection: the next one selects the next event.
    click_event(page, "apollo-11-hard-landing")
    expect(page.locator(".st-key-details")).to_contain_text("Apollo 11", timeout=30_000)
    expect(page).to_have_url(re.compile("event=apollo-11-hard-landing"))
