"""The branch map, milestones across histories and era labels in a real browser, two sizes."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

import timeline as tl
from tests.browser import ARTIFACTS, click_event, wait_idle
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SPACE = ROOT / "seeds" / "space-race.yaml"
SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}

# The event ids on the first chart's clickable points, and the history ids on its lines.
CUSTOM_JS = """
() => {
  const gd = document.querySelector('.js-plotly-plot');
  const ids = new Set();
  for (const trace of gd.data) {
    if (!trace.customdata || trace.hoverinfo === 'skip') continue;
    for (const row of trace.customdata) ids.add(String(row[0]));
  }
  return [...ids];
}
"""


# The middle clickable point of a history's line (its ends may sit under stations).
LINE_POINT_JS = """
id => {
  const gd = document.querySelector('.js-plotly-plot');
  for (const group of gd.querySelectorAll('.scatterlayer .trace')) {
    const trace = group.__data__ && group.__data__[0] && group.__data__[0].trace;
    if (!trace || !trace.customdata || trace.customdata[0][0] !== 'history:' + id) continue;
    const points = group.querySelectorAll('.points path');
    return points[Math.floor(points.length / 2)] || null;
  }
  return null;
}
"""


def click_line(page: Page, history: str) -> None:
    """Click a history's line on the branch map, halfway along, where no station sits."""
    wait_idle(page)
    point = page.wait_for_function(LINE_POINT_JS, arg=history).as_element()
    assert point is not None
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.fixture
def url(app_server: Callable[..., str]) -> str:
    return app_server("--data", str(SPACE))


@pytest.mark.parametrize("size", SIZES)
def test_the_branch_map_opens_first_with_every_history_and_world_event(open_at, url, size):
    page = open_at(url, SIZES[size])
    expect(page.get_by_role("tab", name="Branch map")).to_have_attribute("aria-selected", "true")
    timeline = tl.load_timeline(SPACE)
    world = {e.id for e in timeline.events if e.layer == "world"}
    found = set(page.evaluate(CUSTOM_JS))
    assert {f for f in found if not f.startswith("history:")} == world
    assert {f for f in found if f.startswith("history:")} == {
        f"history:{h.id}" for h in timeline.histories
    }
    page.screenshot(path=ARTIFACTS / f"branchmap-{size}.png")


@pytest.mark.parametrize("size", SIZES)
def test_a_station_opens_its_details_and_a_line_focuses_its_history(open_at, url, size):
    page = open_at(url, SIZES[size])
    click_event(page, "voyage-kennedy-survives")
    expect(page.locator(".st-key-details")).to_contain_text("Kennedy")
    expect(page).to_have_url(re.compile(r"event=voyage-kennedy-survives"))
    click_line(page, "voyage")
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"focus=voyage"))
    expect(page.get_by_text("Focused:")).to_be_visible()
    page.get_by_role("button", name="Compare it with its parent").click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"compare=ours&with=voyage"))
    page.screenshot(path=ARTIFACTS / f"branchmap-focus-{size}.png")


@pytest.mark.parametrize("size", SIZES)
def test_milestones_across_histories_mark_each_history_once_a_row(open_at, url, size):
    page = open_at(url + "/?tab=Milestones%2C+every+history", SIZES[size])
    from timeline.across import column, milestones_across

    expected = milestones_across(tl.load_timeline(SPACE))
    ids = {
        str(v)
        for h in tl.Tree(tl.load_timeline(SPACE)).order
        for v in expected[column(h, "id")].dropna()
    }
    assert set(page.evaluate(CUSTOM_JS)) == ids
    page.screenshot(path=ARTIFACTS / f"across-{size}.png")


# The hover point in the middle of the `index`-th counterpart link of the first chart.
LINK_MIDDLE_JS = """
index => {
  const gd = document.querySelector('.js-plotly-plot');
  for (const group of gd.querySelectorAll('.scatterlayer .trace')) {
    const trace = group.__data__ && group.__data__[0] && group.__data__[0].trace;
    if (!trace || trace.name !== 'Counterparts' || !trace.hovertext) continue;
    return group.querySelectorAll('.points path')[index] || null;
  }
  return null;
}
"""


@pytest.mark.parametrize("size", SIZES)
def test_every_history_in_one_era_links_counterparts_and_a_link_names_both_ends(open_at, url, size):
    page = open_at(url + "/?era=space-race&tab=Every+history", SIZES[size])
    timeline = tl.load_timeline(SPACE)
    shown = tl.filter_events(tl.to_frame(timeline), tl.Query(era="space-race"))
    figure = tl.figures.timeline_figure(shown, timeline, None, "space-race")
    hovers = next(t.hovertext for t in figure.data if t.name == "Counterparts" and t.hovertext)
    wait_idle(page)
    drawn = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data"
        ".filter(t => t.name === 'Counterparts' && t.hovertext)[0].hovertext"
    )
    assert drawn == list(hovers)
    point = page.wait_for_function(LINK_MIDDLE_JS, arg=0).as_element()
    assert point is not None
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(".hoverlayer .hovertext")).to_have_text(
        re.sub("<[^>]+>", "", "Counterparts" + hovers[0])
    )
    page.screenshot(path=ARTIFACTS / f"every-history-link-{size}.png")


# The boxes of the first chart's shown text: key-event labels, lane names and year ticks.
TEXT_BOXES_JS = """
() => {
  const gd = document.querySelector('.js-plotly-plot');
  const texts = gd.querySelectorAll('.textpoint text, .annotation text, .xtick text');
  return [...texts].map(t => {
    const r = t.getBoundingClientRect();
    return [t.textContent, r.left, r.top, r.right, r.bottom];
  }).filter(([, left, top, right, bottom]) => right > left && bottom > top);
}
"""


@pytest.mark.parametrize("size", SIZES)
def test_no_two_texts_of_the_branch_map_overlap_on_screen(open_at, url, size):
    page = open_at(url, SIZES[size])
    wait_idle(page)
    boxes = page.evaluate(TEXT_BOXES_JS)
    names = {h.label for h in tl.load_timeline(SPACE).histories}
    assert names <= {text for text, *_ in boxes}  # every lane's name is drawn
    if size == "desktop":  # a phone leaves key-event labels to the hover
        assert sum(text.startswith(" ") or text.endswith(" ") for text, *_ in boxes) >= 5
    overlapping = [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5 and a[2] < b[4] - 0.5 and b[2] < a[4] - 0.5
    ]
    assert overlapping == []
    page.screenshot(path=ARTIFACTS / f"branchmap-labels-{size}.png")


# Each era label of the first chart's strip and each bar, as drawn: [text or '', left, top,
# right, bottom].
ERA_BOXES_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const box = (el, text) => {
    const r = el.getBoundingClientRect();
    return [text, r.left, r.top, r.right, r.bottom];
  };
  const bars = [...gd.querySelectorAll('.barlayer .point path')].map(p => box(p, ''));
  const labels = [...gd.querySelectorAll('.annotation text')].map(t => box(t, t.textContent));
  return {bars, labels};
}"""


def eras_in_season_1_axis() -> list[str]:
    """For All Mankind's eras that reach into the axis of its Season 1 view."""
    fam = tl.compare_pair(tl.load_timeline(ROOT / "seeds" / "for-all-mankind.yaml"))
    shown = tl.filter_events(tl.to_frame(fam), tl.Query(era="season-1-setting"))
    low, high = tl.figures.timeline_figure(shown, fam, None, "season-1-setting").layout.xaxis.range
    return [e.id for e in fam.eras if e.start.start() < high and e.end.stop() > low]


@pytest.mark.parametrize("size", SIZES)
def test_no_era_bars_outline_runs_through_a_label_on_screen(open_at, app_server, size):
    fam = app_server("--data", str(ROOT / "seeds" / "for-all-mankind.yaml"))
    page = open_at(f"{fam}/?era=season-1-setting", SIZES[size])
    wait_idle(page)
    drawn = page.evaluate(ERA_BOXES_JS)
    assert len(drawn["bars"]) == len(eras_in_season_1_axis())
    crossed = [
        text
        for text, left, top, right, bottom in drawn["labels"]
        for _, bar_left, bar_top, bar_right, bar_bottom in drawn["bars"]
        if bar_top < bottom
        and top < bar_bottom  # the bar's row
        and any(left + 0.5 < edge < right - 0.5 for edge in (bar_left, bar_right))
    ]
    assert crossed == []
    page.screenshot(path=ARTIFACTS / f"era-labels-{size}.png")
