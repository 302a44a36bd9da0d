"""The parallel timeline: lanes, stacking, labels, eras and an axis that follows the filters."""

import itertools

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import timeline as tl
from tests.conftest import ROOT, TREE, TREE_LANES
from timeline.chartparts import DESKTOP_PLOT_PX, PHONE_PLOT_PX
from timeline.parallel import (
    LINK_BUDGET,
    MARKER_PX,
    POINT_BUDGET,
    counterpart_links,
    drawn_links,
    hover_spot,
    label_texts,
    links_note,
    timeline_figure,
)
from timeline.style import NAME_BOX


def lanes(fig: go.Figure) -> dict[str, go.Scatter]:
    """The marker traces that draw events, by name (legend keys hold a single empty point)."""
    return {
        t.name: t
        for t in fig.data
        if t.type == "scatter"
        and t.mode == "markers"
        and t.customdata is not None
        and t.name != "Selected event"
    }


def points(fig: go.Figure) -> list[tuple[str, float, float]]:
    return [
        (row[0], x, y)
        for t in lanes(fig).values()
        for row, x, y in zip(t.customdata, t.x, t.y, strict=True)
    ]


def test_one_trace_per_lane_with_event_ids(mini, mini_frame):
    by_name = lanes(timeline_figure(mini_frame, mini))
    assert {name: [row[0] for row in t.customdata] for name, t in by_name.items()} == {
        "Production": ["premiere"],
        "Our history": ["designer-dies", "apollo-landing", "skylab", "challenger", "iss"],
        "Both histories": ["sputnik"],
        "Mini Moon": ["designer-survives", "soviet-landing", "moon-base", "mars-landing"],
    }
    assert by_name["Our history"].marker.color == "#0072B2"


def test_each_lane_has_a_plain_circle_legend_entry_that_toggles_it(mini, mini_frame):
    fig = timeline_figure(mini_frame, mini)
    legend = [t for t in fig.data if t.name == "Mini Moon" and t.showlegend is not False]
    assert [(t.marker.symbol, t.legendgroup, t.customdata) for t in legend] == [
        ("circle", "diverged", None)
    ]
    assert lanes(fig)["Mini Moon"].legendgroup == "diverged"


def test_marker_shape_shows_precision_and_exactness(mini, mini_frame):
    symbols = lanes(timeline_figure(mini_frame, mini))["Mini Moon"].marker.symbol
    # day, day, year, approximate year
    assert list(symbols) == ["circle", "circle", "square", "square-open"]


def test_counterparts_are_joined(mini, mini_frame):
    fig = timeline_figure(mini_frame, mini)
    line = next(t for t in fig.data if t.name == "Counterparts")
    assert len([x for x in line.x if x is not None]) == 6  # three pairs, two ends each


def test_no_two_events_share_a_spot(mini_text):
    # Nine events a few days apart in one lane: each gets a row of its own.
    extra = "".join(
        f"""
  - id: crowd-{i}
    date: 1962-03-{10 + i:02d}
    title: Crowded event {i}
    history: reference
    category: spaceflight
    sources: [web-b]"""
        for i in range(9)
    )
    timeline = tl.compare_pair(tl.parse_timeline(mini_text + extra, "crowd.yaml"))
    fig = timeline_figure(tl.to_frame(timeline), timeline)
    span = fig.layout.xaxis.range[1] - fig.layout.xaxis.range[0]
    min_dx = MARKER_PX * span / DESKTOP_PLOT_PX
    for (a, xa, ya), (b, xb, yb) in itertools.combinations(points(fig), 2):
        assert ya != yb or abs(xa - xb) >= min_dx * 0.99, (a, b)


def test_lanes_are_named_on_the_themes_name_box(mini, mini_frame):
    fig = timeline_figure(mini_frame, mini)
    names = [a for a in fig.layout.annotations if a.xref == "paper" and a.text != "<b>Eras</b>"]
    assert [(a.text, a.templateitemname, a.visible, a.bgcolor) for a in names] == [
        ("<b>Production</b>", NAME_BOX, True, None),
        ("<b>Our history</b>", NAME_BOX, True, None),
        ("<b>Both histories</b>", NAME_BOX, True, None),
        ("<b>Mini Moon</b>", NAME_BOX, True, None),
    ]


def test_axis_follows_the_era_filter(mini, mini_frame):
    shown = tl.filter_events(mini_frame, tl.Query(era="season-1"))
    fig = timeline_figure(shown, mini, era="season-1")
    low, high = fig.layout.xaxis.range
    assert 1968 < low < 1969 and 1975 < high < 1976  # the era, 1969 to the end of 1974, padded
    assert fig.layout.xaxis.ticktext == ("1969", "1970", "1971", "1972", "1973", "1974", "1975")
    assert fig.layout.xaxis.title.text == "Year"


def test_axis_follows_a_hidden_lane(mini, mini_frame):
    full = timeline_figure(mini_frame, mini).layout.xaxis.range
    shown = tl.filter_events(mini_frame, tl.Query(lanes=frozenset({"reference", "diverged"})))
    fewer = timeline_figure(shown, mini).layout.xaxis.range
    assert full[0] < 1957 < full[1] and full[1] > 2019  # Sputnik and the premiere
    assert 1962 < fewer[0] < 1966 and 1998 < fewer[1] < 2002  # 1966 to 1998, padded


def test_key_events_are_labelled(mini, mini_frame):
    fig = timeline_figure(mini_frame, mini, selected="challenger")
    labels = next(t for t in fig.data if t.name == "Key events")
    # The point of divergence and the selected event: mini has no `milestone` tags.
    assert [t.strip() for t in labels.text] == ["The chief designer survives", "Challenger is lost"]


def test_eras_are_all_named_and_the_filtered_one_stands_out(mini, mini_frame):
    fig = timeline_figure(mini_frame, mini, era="season-1")
    era_notes = [a.text for a in fig.layout.annotations if a.yref == "y" and a.xref == "x"]
    assert era_notes == ["Space Race", "<b>Season 1 setting</b>", "Production years"]
    bars = next(t for t in fig.data if t.name == "Eras")
    assert [c[0] for c in bars.customdata] == ["era:space-race", "era:season-1", "era:production"]
    assert len(set(bars.marker.color)) == 2  # the filtered era in its own colour


def test_divergence_is_marked_under_the_events_and_labels(mini, mini_frame):
    fig = timeline_figure(mini_frame, mini)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert [(round(s.x0, 3), s.layer) for s in lines] == [(round(1966 + 13.5 / 365, 3), "below")]


def test_hover_text_is_escaped(mini_text):
    text = mini_text.replace("title: Skylab launched", 'title: "<img src=x onerror=alert(1)>"')
    timeline = tl.compare_pair(tl.parse_timeline(text))
    fig = timeline_figure(tl.to_frame(timeline), timeline)
    titles = [row[1] for row in lanes(fig)["Our history"].customdata]
    assert "&lt;img src=x onerror=alert(1)&gt;" in titles


def test_bc_axis_labels(mini_text):
    text = mini_text.replace(
        "date: 1957-10-04\n    title: Sputnik", "date: 44 BC\n    title: Sputnik"
    )
    timeline = tl.compare_pair(tl.parse_timeline(text))
    fig = timeline_figure(tl.to_frame(timeline), timeline)
    ticks = dict(zip(fig.layout.xaxis.ticktext, fig.layout.xaxis.tickvals, strict=True))
    assert (ticks["AD 1"], ticks["AD 1000"]) == (1, 1000)


def test_selected_event_is_ringed(mini, mini_frame):
    fig = timeline_figure(mini_frame, mini, selected="iss")
    ring = next(t for t in fig.data if t.name == "Selected event")
    iss = next(p for p in points(fig) if p[0] == "iss")
    assert (ring.customdata[0][0], ring.x[0], ring.y[0]) == iss


@pytest.mark.slow
def test_big_timelines_are_sampled_to_the_point_budget_and_say_so():
    from benchmarks.synth import synthetic

    timeline = tl.compare_pair(tl.validate_timeline(synthetic(POINT_BUDGET + 1000), "big.json"))
    frame = tl.to_frame(timeline)
    picked = frame["id"].iloc[3]
    fig = timeline_figure(frame, timeline, selected=picked)
    ids = [p[0] for p in points(fig)]
    assert len(set(ids)) == POINT_BUDGET
    assert {"pod", picked} <= set(ids)
    assert f"showing {POINT_BUDGET:,} of {POINT_BUDGET + 1000:,}" in fig.layout.title.text
    assert len(fig.to_json()) < 2_000_000


def test_a_date_range_gets_a_whisker_and_the_marker_sits_at_its_anchor(mini_text):
    text = mini_text.replace("date: 1995", 'date: "1990/1998"')
    timeline = tl.compare_pair(tl.parse_timeline(text))
    fig = timeline_figure(tl.to_frame(timeline), timeline)
    mini_moon = lanes(fig)["Mini Moon"]
    ids = [row[0] for row in mini_moon.customdata]
    i = ids.index("mars-landing")
    assert mini_moon.x[i] == 1994.5  # the middle of 1990 to the end of 1998
    assert (mini_moon.error_x.arrayminus[i], mini_moon.error_x.array[i]) == (4.5, 4.5)
    # The others have none: NaN, so Plotly draws no caps inside their (maybe hollow) markers.
    others = [j for j in range(len(ids)) if j != i]
    assert [np.isnan(mini_moon.error_x.array[j]) for j in others] == [True, True, True]
    assert [np.isnan(mini_moon.error_x.arrayminus[j]) for j in others] == [True, True, True]


def test_a_tree_gets_a_lane_per_history_the_root_on_top_and_every_divergence_marked():
    tree = tl.load_timeline(TREE)
    fig = tl.figures.timeline_figure(tl.to_frame(tree), tree)
    lanes = [t.name for t in fig.data if t.legendgroup and t.mode == "markers" and t.x[0] is None]
    assert lanes == TREE_LANES
    pods = sorted(s.x0 for s in fig.layout.shapes if s.type == "line")
    assert pods == [tl.HDate.parse(d).anchor for d in ("1933-02-15", "1940", "1950")]
    points = {row[0] for t in fig.data if t.customdata is not None for row in t.customdata}
    assert {e.id for e in tree.events} <= points


def link_hovers(fig: go.Figure) -> list[str]:
    """The hover text of each counterpart link, at the middle of its line."""
    return [
        text for t in fig.data if t.name == "Counterparts" and t.hovertext for text in t.hovertext
    ]


def test_every_history_joins_each_pair_of_counterparts_in_any_two_lanes_once():
    tree = tl.load_timeline(TREE)
    frame = tl.to_frame(tree)
    assert [(frame["id"][i], frame["id"][j]) for i, j in counterpart_links(frame)] == [
        ("assassination-fails", "novel-pod"),  # our history and the novel: adjacent lanes
        ("allied-surrender", "ve-day"),
        ("allied-surrender", "japan-surrenders"),  # one-to-many: a line to each
        ("novel-ending", "film-ending"),
    ]
    assert link_hovers(timeline_figure(frame, tree)) == [
        "An assassination fails<br><i>Our history, 15 Feb 1933</i><br>An assassination"
        " succeeds<br><i>The novel, 15 Feb 1933</i><br>Gap: same day",
        "Victory in Europe<br><i>Our history, 8 May 1945</i><br>The Axis surrenders, by 1947"
        "<br><i>The novel, by 1947</i><br>Gap: +2 y or less",
        "Japan surrenders<br><i>Our history, 2 Sep 1945</i><br>The Axis surrenders, by 1947"
        "<br><i>The novel, by 1947</i><br>Gap: +2 y or less",
        "The novel ends<br><i>The novel, 1960</i><br>The film ends otherwise<br><i>The film,"
        " 1962</i><br>Gap: +2 y",
    ]


def test_a_link_hover_is_not_clickable_as_an_event(mini, mini_frame):
    fig = timeline_figure(mini_frame, mini)
    hover = next(t for t in fig.data if t.name == "Counterparts" and t.hovertext)
    assert (hover.customdata, len(hover.hovertext)) == (None, 3)


def test_past_the_link_budget_key_events_links_come_first_then_an_even_sample():
    links = [(i, i + 1) for i in range(0, 20, 2)]  # ten links
    key = [False] * 21
    key[9] = True  # an end of the fifth link
    assert drawn_links(links, key, budget=4) == [(0, 1), (8, 9), (10, 11), (18, 19)]
    assert drawn_links(links, key, budget=10) == links
    assert links_note(4, 10) == (
        "<br><sup>4 of 10 counterpart links drawn (milestones and divergences first): narrow "
        "the filters to see every one</sup>"
    )
    assert links_note(10, 10) == ""


def test_a_chart_with_more_links_than_the_budget_draws_the_budget_and_says_so():
    from benchmarks.synth import synthetic

    timeline = tl.compare_pair(tl.validate_timeline(synthetic(800), "big.json"))
    fig = timeline_figure(tl.to_frame(timeline), timeline)
    assert len(link_hovers(fig)) == LINK_BUDGET
    line = next(t for t in fig.data if t.name == "Counterparts")
    assert list(line.x).count(None) == LINK_BUDGET
    assert fig.layout.title.text.startswith(
        f"The histories side by side<br><sup>{LINK_BUDGET} of 173 counterpart links drawn"
    )


def test_a_links_hover_point_moves_off_an_event_marker_sitting_on_its_middle():
    xs, ys = np.array([1960.0, 1970.0, 1965.0]), np.array([0.0, 4.0, 2.0])
    # A link from (1960, 0) to (1970, 4) whose middle holds the third event: the point moves
    # to 40% of the way, clear of it; with nothing in the middle it stays there.
    assert hover_spot((1960.0, 0.0, 1970.0, 4.0), xs, ys, 0.05) == (1964.0, 1.6)
    assert hover_spot((1960.0, 0.0, 1970.0, 4.0), xs[:2], ys[:2], 0.05) == (1965.0, 2.0)


def test_a_label_near_the_right_edge_is_cut_short_to_fit_instead_of_cut_off():
    per_char = 10 / DESKTOP_PLOT_PX * 6.4  # years per character on a 10-year axis
    titles = ["Jamestown, the first crewed Moon base"] * 3
    xs = [1960.0, 1970.0 - 14.5 * per_char, 1970.0 - 3.5 * per_char]
    assert label_texts(titles, xs, 1970.0, 10.0) == [
        "  Jamestown, the first crewed M…",  # room to spare: the usual 30 characters
        "  Jamestown, …",  # room for 14: two spaces, then 12
        "  Jamesto…",  # never shorter than 8
    ]


@pytest.fixture(scope="module")
def season_1() -> tuple[pd.DataFrame, go.Figure]:
    """For All Mankind filtered to its Season 1 era: the shown events and their chart."""
    fam = tl.compare_pair(tl.load_timeline(ROOT / "seeds" / "for-all-mankind.yaml"))
    shown = tl.filter_events(tl.to_frame(fam), tl.Query(era="season-1-setting"))
    return shown, timeline_figure(shown, fam, era="season-1-setting")


def rows_of_lanes(fig: go.Figure) -> dict[tuple[str, float], list[tuple[str, float, float, float]]]:
    """Each lane's rows: (id, x, whisker start, whisker end) of the events in each."""
    out: dict[tuple[str, float], list[tuple[str, float, float, float]]] = {}
    for name, t in lanes(fig).items():
        minus = t.error_x.arrayminus if t.error_x.arrayminus is not None else [np.nan] * len(t.x)
        plus = t.error_x.array if t.error_x.array is not None else [np.nan] * len(t.x)
        for row, x, y, m, p in zip(t.customdata, t.x, t.y, minus, plus, strict=True):
            lo, hi = x - np.nan_to_num(m), x + np.nan_to_num(p)
            out.setdefault((name, y), []).append((row[0], x, lo, hi))
    return out


def test_every_season_1_event_is_drawn_once_and_none_touches_another_on_a_phone(season_1):
    shown, fig = season_1
    assert sorted(p[0] for p in points(fig)) == sorted(shown["id"])
    span = fig.layout.xaxis.range[1] - fig.layout.xaxis.range[0]
    marker = MARKER_PX * span / PHONE_PLOT_PX  # a marker's width on a 340 px plot, in years
    touching = [
        (a, b)
        for row in rows_of_lanes(fig).values()
        for (a, xa, _, _), (b, xb, _, _) in itertools.combinations(row, 2)
        if abs(xa - xb) < marker * 0.99
    ]
    assert touching == []


def test_no_season_1_marker_sits_on_another_events_whisker(season_1):
    _, fig = season_1
    span = fig.layout.xaxis.range[1] - fig.layout.xaxis.range[0]
    half = MARKER_PX / 2 * span / PHONE_PLOT_PX
    crossed = [
        (a, b)
        for row in rows_of_lanes(fig).values()
        for (a, _, lo, hi), (b, xb, _, _) in itertools.permutations(row, 2)
        if lo - half < xb < hi + half
    ]
    assert crossed == []


def test_events_sharing_a_range_keep_its_date_in_place_and_in_hover_a_row_each(season_1):
    _, fig = season_1
    fam = lanes(fig)["For All Mankind"]
    same = [
        (row[0], x, y)
        for row, x, y in zip(fam.customdata, fam.x, fam.y, strict=True)
        if row[2] == "24 Aug 1974–Dec 1974"
    ]
    anchor = tl.HDate.parse("1974-08-24/1974-12").anchor
    assert sorted(event_id for event_id, _, _ in same) == [
        "apollo-24-jamestown-crisis",
        "apollo-24-reaches-the-moon",
        "ed-captures-a-cosmonaut",
        "gordo-breakdown-on-the-moon",
        "margo-becomes-flight-director",
        "molly-adrift-apollo-25",
        "shane-baldwin-dies",
        "zvezda-soviet-moon-base",
    ]
    assert {x for _, x, _ in same} == {anchor}
    assert len({y for _, _, y in same}) == 8


def test_a_key_events_label_starts_past_its_own_whisker(mini_text):
    text = mini_text.replace("date: 1995", 'date: "1990/1998"').replace(
        "tags: [mars]", "tags: [mars, milestone]"
    )
    timeline = tl.compare_pair(tl.parse_timeline(text))
    fig = timeline_figure(tl.to_frame(timeline), timeline)
    labels = next(t for t in fig.data if t.name == "Key events")
    at = {text.strip(): x for text, x in zip(labels.text, labels.x, strict=True)}
    assert at["People land on Mars"] == 1999.0  # the end of 1998, not the marker's 1994.5


def test_an_era_keeps_its_width_and_draws_events_dated_past_it_at_its_edges(mini_text):
    # Two events only reach into Season 1 (1969 to 1974): one dated by 1980, one in the 1960s.
    text = mini_text.replace("date: 1973\n", 'date: "../1980"\n').replace(
        "date: 1973-05-14", "date: 1960s"
    )
    timeline = tl.compare_pair(tl.parse_timeline(text))
    shown = tl.filter_events(tl.to_frame(timeline), tl.Query(era="season-1"))
    fig = timeline_figure(shown, timeline, era="season-1")
    low, high = fig.layout.xaxis.range
    assert (low, high) == (1968.75, 1975.25)  # the era alone, padded
    inset = MARKER_PX / 2 * (high - low) / PHONE_PLOT_PX
    at = {event_id: x for event_id, x, _ in points(fig)}
    assert at == {
        "soviet-landing": tl.HDate.parse("1969-06-26").anchor,
        "apollo-landing": tl.HDate.parse("1969-07-20").anchor,
        "moon-base": high - inset,
        "skylab": low + inset,
    }
    edges = [(a.text, a.xanchor) for a in fig.layout.annotations if "→" in a.text or "←" in a.text]
    assert sorted(edges) == [("by 1980 →", "right"), ("← 1960s", "left")]


def test_in_every_shipped_era_every_event_is_drawn_inside_the_axis():
    fam = tl.compare_pair(tl.load_timeline(ROOT / "seeds" / "for-all-mankind.yaml"))
    frame = tl.to_frame(fam)
    outside = {}
    for era in fam.eras:
        shown = tl.filter_events(frame, tl.Query(era=era.id))
        if shown.empty:
            continue
        fig = timeline_figure(shown, fam, era=era.id)
        low, high = fig.layout.xaxis.range
        outside[era.id] = [e for e, x, _ in points(fig) if not low < x < high]
    assert outside == {era: [] for era in outside} and len(outside) == len(fam.eras)
