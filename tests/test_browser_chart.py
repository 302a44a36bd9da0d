"""The chart component as a user meets it: Streamlit's chart theme, a fullscreen button, and
hover labels that fit a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import TIMEOUT_MS, open_app
from tests.conftest import ROOT
from tests.test_browser_mainview import CENTRE_JS, DESKTOP, PHONE
from timeline.style import DARK_THEME, LIGHT_THEME, ChartTheme

FAM = ROOT / "seeds" / "for-all-mankind.yaml"
# What the drawn chart took from the theme (Plotly's resolved layout, not the figure sent).
THEME_JS = """() => {
  const l = document.querySelector('.js-plotly-plot')._fullLayout;
  const axis = (a) => ({grid: a.showgrid, gridcolor: a.gridcolor,
    ticks: a.tickfont && a.tickfont.color, size: a.tickfont && a.tickfont.size,
    title: a.title.font.color});
  return {x: axis(l.xaxis), y: axis(l.yaxis), card: l.hoverlabel.bgcolor,
    border: l.hoverlabel.bordercolor};
}"""
MODEBAR = (
    "() => [...document.querySelectorAll('.js-plotly-plot .modebar-btn')].map(b => b.dataset.title)"
)


@pytest.fixture
def fam_url(app_server: Callable[..., str]) -> str:
    return app_server("--data", str(FAM))


def open_sized(browser: Browser, url: str, size: dict[str, int], scheme: str = "light") -> Page:
    context = browser.new_context(viewport=size, color_scheme=scheme)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_app(page, url)
    return page


def drawn_theme(theme: ChartTheme) -> dict[str, object]:
    """The resolved layout of the ripple graph in `theme`: grid lines across, none up."""
    text = {"ticks": theme.muted, "size": 12, "title": theme.muted}
    return {
        "x": {"grid": False, "gridcolor": None, **text},
        "y": {"grid": True, "gridcolor": theme.grid, **text},
        "card": theme.card,
        "border": theme.border,
    }


@pytest.mark.parametrize(("scheme", "theme"), [("light", LIGHT_THEME), ("dark", DARK_THEME)])
def test_the_chart_takes_streamlits_chart_theme_on_a_light_and_a_dark_page(
    browser: Browser, fam_url: str, scheme: str, theme: ChartTheme
):
    page = open_sized(browser, f"{fam_url}/?tab=Ripples", DESKTOP, scheme)
    try:
        assert page.evaluate(THEME_JS) == drawn_theme(theme)
    finally:
        page.context.close()


def test_the_fullscreen_button_fills_the_window_and_escape_brings_the_chart_back(
    browser: Browser, fam_url: str
):
    page = open_sized(browser, f"{fam_url}/?era=season-1-setting", DESKTOP)
    try:
        chart = page.locator(".live-chart").first
        before = chart.bounding_box()
        height = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.height")
        assert page.evaluate(MODEBAR)[-1] == "Fullscreen"
        chart.hover()
        page.locator('.modebar-btn[data-title="Fullscreen"]').click()
        expect(page.locator('.modebar-btn[data-title="Close fullscreen"]')).to_have_count(1)
        assert chart.bounding_box() == {"x": 0, "y": 0, **DESKTOP}
        assert page.evaluate(
            "() => document.querySelector('.js-plotly-plot')._fullLayout.height"
        ) == max(height, DESKTOP["height"])
        page.keyboard.press("Escape")
        expect(page.locator('.modebar-btn[data-title="Fullscreen"]')).to_have_count(1)
        after = chart.bounding_box()
        assert before is not None and after is not None
        assert (after["width"], after["height"]) == (before["width"], before["height"])
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("era", "event"),
    [
        ("season-2-setting", "pathfinder-maiden-flight"),  # a 66-character title
        ("production-years", "star-city-details-still-unknown"),  # 72 characters
    ],
)
def test_a_long_titles_hover_label_fits_a_phone(browser: Browser, fam_url: str, era, event):
    page = open_sized(browser, f"{fam_url}/?era={era}", PHONE)
    try:
        centre = page.evaluate(CENTRE_JS, [event])
        page.mouse.move(centre["x"], centre["y"])
        label = page.locator(".hoverlayer .hovertext").first
        expect(label).to_be_visible()
        box = label.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        # Wrapped at spaces: the whole title is there, over more than one line.
        title = page.evaluate(
            "id => { for (const t of document.querySelector('.js-plotly-plot').data)"
            " for (const row of t.customdata || []) if (row[0] === id) return row[1]; }",
            event,
        )
        lines = label.locator("text").first.locator("tspan.line").all_text_contents()
        assert " ".join(lines).startswith(title)
        assert len(lines) > 4  # title (2 lines or more), date, history, status
    finally:
        page.context.close()


# Each boxed annotation as drawn (lane names, era labels past their bar): its text and its
# background's fill and opacity.
NAME_BOXES_JS = """() => [...document.querySelectorAll('.js-plotly-plot .annotation')]
  .map(a => ({text: a.querySelector('text').textContent, bg: a.querySelector('rect.bg')}))
  .map(a => ({text: a.text, fill: a.bg.style.fill, opacity: a.bg.style.fillOpacity}))
  .filter(a => a.opacity !== '0')"""


@pytest.mark.parametrize(
    ("scheme", "fill"), [("light", "rgb(255, 255, 255)"), ("dark", "rgb(23, 22, 20)")]
)
def test_lane_names_sit_on_a_box_of_the_pages_own_colour(
    browser: Browser, fam_url: str, scheme: str, fill: str
):
    page = open_sized(browser, f"{fam_url}/?era=season-1-setting", DESKTOP, scheme)
    try:
        lanes = ("Our history", "For All Mankind")
        boxes = [box for box in page.evaluate(NAME_BOXES_JS) if box["text"] in lanes]
        assert boxes == [{"text": name, "fill": fill, "opacity": "0.7"} for name in lanes]
    finally:
        page.context.close()


# Where Plotly drew each event marker of the first chart: its box in pixels, from the plot's
# own axes (size and outline included).
MARKER_BOXES_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const {xaxis, yaxis} = gd._fullLayout;
  const events = gd.calcdata.filter(cd => cd[0].trace.customdata && cd[0].trace.mode === 'markers'
    && String(cd[0].trace.hovertemplate || '').includes('customdata[4]'));
  return events.flatMap(cd => {
    const t = cd[0].trace;
    const r = (t.marker.size + t.marker.line.width) / 2;
    return cd.map(pt => {
      const x = xaxis.c2p(pt.x), y = yaxis.c2p(pt.y);
      return {id: t.customdata[pt.i][0], x0: x - r, x1: x + r, y0: y - r, y1: y + r};
    });
  });
}"""


def test_on_a_phone_no_season_1_marker_covers_another(browser: Browser, fam_url: str):
    page = open_sized(browser, f"{fam_url}/?era=season-1-setting", PHONE)
    try:
        boxes = page.evaluate(MARKER_BOXES_JS)
        assert len(boxes) == 34  # every event of the era
        covered = [
            (a["id"], b["id"])
            for i, a in enumerate(boxes)
            for b in boxes[i + 1 :]
            if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 0.5
            and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > 0.5
        ]
        assert covered == []
    finally:
        page.context.close()


# The highlighted era's bar (Okabe-Ito yellow) and its label, as drawn.
ERA_LABEL_JS = """() => {
  const bar = [...document.querySelectorAll('.js-plotly-plot .barlayer .point path')]
    .find(p => p.style.fill === 'rgb(240, 228, 66)').getBoundingClientRect();
  const text = [...document.querySelectorAll('.js-plotly-plot .annotation text')]
    .find(t => t.textContent.startsWith('Season 1 setting'));
  const r = text.getBoundingClientRect();
  return {text: text.textContent, bar: [bar.left, bar.right], label: [r.left, r.right]};
}"""


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_picked_eras_label_stays_inside_its_highlighted_bar(
    browser: Browser, fam_url: str, size: dict[str, int]
):
    page = open_sized(browser, f"{fam_url}/?era=season-1-setting", size)
    try:
        drawn = page.evaluate(ERA_LABEL_JS)
        assert drawn["text"] == "Season 1 setting (1969-1974)"  # the era fills the axis
        (bar_left, bar_right), (left, right) = drawn["bar"], drawn["label"]
        assert bar_left <= left < right <= bar_right
    finally:
        page.context.close()
