"""The main view in a real browser at desktop and phone size: pick an era, see every event."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

import timeline as tl
from benchmarks.synth import as_json, synthetic
from tests.browser import ARTIFACTS, wait_idle
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

FAM = ROOT / "seeds" / "for-all-mankind.yaml"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# Every event point of the first chart: its id and title (from the trace's customdata) and the
# centre of its marker on screen, after scrolling it into view. (On a phone a long title's hover
# shows a wrapped copy, appended to the point's customdata: the template names its index.)
POINTS_JS = """
() => {
  const gd = document.querySelector('.js-plotly-plot');
  const out = [];
  gd.querySelectorAll('.scatterlayer .trace').forEach(tr => {
    const trace = tr.__data__ && tr.__data__[0] && tr.__data__[0].trace;
    if (!trace || !trace.customdata || !String(trace.hovertemplate || '').includes('customdata['))
      return;
    tr.querySelectorAll('.points path.point').forEach(p => {
      const i = p.__data__.i;
      out.push({id: trace.customdata[i][0], title: trace.customdata[i][1]});
    });
  });
  return out;
}
"""
CENTRE_JS = """
([id]) => {
  const gd = document.querySelector('.js-plotly-plot');
  for (const tr of gd.querySelectorAll('.scatterlayer .trace')) {
    const trace = tr.__data__ && tr.__data__[0] && tr.__data__[0].trace;
    if (!trace || !trace.customdata) continue;
    for (const p of tr.querySelectorAll('.points path.point')) {
      if (trace.customdata[p.__data__.i][0] !== id) continue;
      p.scrollIntoView({block: 'center'});
      const r = p.getBoundingClientRect();
      return {x: r.x + r.width / 2, y: r.y + r.height / 2};
    }
  }
  return null;
}
"""


@pytest.fixture
def fam_url(app_server: Callable[..., str]) -> str:
    return app_server("--data", str(FAM))


def hover_every_point(page: Page) -> list[str]:
    """Hover each event marker at its centre; return the ids whose hover shows another title
    (spaces aside: a long title wraps at them, a line of the label each)."""
    wrong = []
    for point in page.evaluate(POINTS_JS):
        centre = page.evaluate(CENTRE_JS, [point["id"]])
        page.mouse.move(centre["x"], centre["y"])
        label = page.locator(".hoverlayer .hovertext").first
        words = html.unescape(point["title"]).split()
        try:
            expect(label).to_contain_text(
                re.compile(r"\s*".join(re.escape(w) for w in words)), timeout=3_000
            )
        except AssertionError:
            wrong.append(point["id"])
    return wrong


def era_presets() -> list[str]:
    return [e.id for e in tl.load_timeline(FAM).eras]


@pytest.mark.parametrize("seed", sorted(p.name for p in (ROOT / "seeds").glob("*.yaml")))
def test_every_point_of_the_default_view_can_be_hovered(
    open_at, app_server: Callable[..., str], seed: str
):
    # (A timeline of many histories opens on its branch map: its own tests are elsewhere.)
    page = open_at(f"{app_server()}/?data={seed}&tab=Timeline", DESKTOP)
    assert len(page.evaluate(POINTS_JS)) == len(
        tl.compare_pair(tl.load_timeline(ROOT / "seeds" / seed)).events
    )
    assert hover_every_point(page) == []


@pytest.mark.slow
@pytest.mark.parametrize("era", era_presets())
def test_every_point_of_each_era_can_be_hovered_and_the_axis_zooms(open_at, fam_url: str, era: str):
    page = open_at(f"{fam_url}/?era={era}", DESKTOP)
    timeline = tl.load_timeline(FAM)
    spec = next(e for e in timeline.eras if e.id == era)
    low, high = page.evaluate(
        "() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range"
    )
    # The axis shows the era, padded a little, not the whole timeline nor the years of events
    # that only reach into it (those sit at its edges).
    span = spec.end.stop() - spec.start.start()
    assert low <= spec.start.start() and high >= spec.end.stop() - 1e-6
    assert high - low <= max(span * 1.08, span + 0.5) + 1e-6, (low, high)
    assert hover_every_point(page) == []


def test_details_appear_beside_the_chart_without_scrolling(open_at, fam_url: str):
    page = open_at(fam_url, DESKTOP)
    centre = page.evaluate(CENTRE_JS, ["leonov-first-moonwalk"])
    page.mouse.click(centre["x"], centre["y"])
    details = page.locator(".st-key-details")
    expect(details).to_contain_text("Leonov", timeout=30_000)
    expect(page).to_have_url(re.compile("event=leonov-first-moonwalk"))
    wait_idle(page)
    page.evaluate(
        "() => document.querySelector('.st-key-details').scrollIntoView({block: 'nearest'})"
    )
    box = details.bounding_box()
    chart = page.locator(".js-plotly-plot").first.bounding_box()
    assert box is not None and chart is not None
    assert box["x"] > chart["x"] + chart["width"] - 5  # beside the chart, not under it
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "main-details-1440.png"))


def test_phone_first_screen_shows_the_timeline(open_at, fam_url: str):
    page = open_at(f"{fam_url}/?era=season-1-setting", PHONE)
    chart = page.locator(".js-plotly-plot").first
    box = chart.bounding_box()
    assert box is not None
    assert box["y"] < PHONE["height"] - 200  # the chart starts on the first screen
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1  # and fits its width
    expect(page.get_by_role("button", name="More filters")).to_be_visible()
    # Sea Dragon, dated "by 1983", sits at the era's right edge: its date stays on a phone.
    expect(page.locator(".annotation-text", has_text="by 1983 →")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "main-phone-390.png"))
    assert hover_every_point(page) == []


# Each headline number's text against the box that would cut it with an ellipsis.
CUT_JS = """() => [...document.querySelectorAll('.st-key-headline [data-testid="stMetricValue"]')]
  .filter(v => [...v.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth))
  .map(v => v.textContent)"""


def test_a_long_headline_number_is_never_cut(open_at, app_server: Callable[..., str], tmp_path):
    path = tmp_path / "many.json"
    path.write_text(as_json(synthetic(12_000)))  # 2,396 of its 2,397 milestones moved
    page = open_at(app_server("--data", str(path)), {"width": 1280, "height": 800})
    expect(page.get_by_test_id("stMetricValue").nth(1)).to_have_text("2,396 of 2,397")
    assert page.evaluate(CUT_JS) == []
