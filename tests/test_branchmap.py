"""The branch map: lines leaving their parents, stations, links, clicks, focus, and scale."""

from __future__ import annotations

import random
import re
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import timeline as tl
from tests.conftest import ROOT, TREE
from timeline.branchmap import (
    FADED,
    HISTORY_CLICK,
    LINE_POINTS,
    LINK_BUDGET,
    STATION_BUDGET,
    branch_lines,
    branch_map_figure,
    branch_table,
)
from timeline.chartparts import CHAR_PX, PHONE_PLOT_PX, plain
from timeline.parallel import HOVER
from timeline.style import NAME_BOX

TEXT = TREE.read_text()


@pytest.fixture(scope="module")
def tree() -> tl.Timeline:
    return tl.load_timeline(TREE)


@pytest.fixture(scope="module")
def frame(tree: tl.Timeline) -> pd.DataFrame:
    return tl.to_frame(tree)


def anchor(timeline: tl.Timeline, event: str) -> float:
    return next(e.date.anchor for e in timeline.events if e.id == event)


def station_traces(fig: go.Figure) -> list[go.Scatter]:
    return [t for t in fig.data if t.hovertemplate == HOVER]


def stations(fig: go.Figure) -> dict[str, list[str]]:
    """Event ids per station trace (named for its history)."""
    return {t.name: [c[0] for c in t.customdata] for t in station_traces(fig)}


def line_clicks(fig: go.Figure) -> dict[str, set[str]]:
    return {
        t.name: {c[0] for c in t.customdata}
        for t in fig.data
        if t.customdata is not None and str(t.customdata[0][0]).startswith(HISTORY_CLICK)
    }


def test_lines_take_tree_order_and_start_at_each_divergence(tree, frame):
    lines = branch_lines(tree, frame)
    assert lines[["id", "label", "color", "y"]].to_dict("records") == [
        {"id": "ours", "label": "Our history", "color": "#0072B2", "y": 0.0},
        {"id": "novel", "label": "The novel", "color": "#D55E00", "y": 1.0},
        {"id": "film", "label": "The film", "color": "#009E73", "y": 2.0},
        {"id": "draft", "label": "Draft B", "color": "#E69F00", "y": 3.0},
    ]
    assert lines["parent"].tolist()[1:] == ["ours", "novel", "ours"]
    assert lines["start"].tolist() == [
        anchor(tree, "crash"),  # the root: the earliest event
        anchor(tree, "novel-pod"),
        anchor(tree, "film-pod"),
        anchor(tree, "draft-pod"),
    ]
    # Each line ends at its last world event (the novel's publication is production).
    assert lines["end"].tolist() == [
        anchor(tree, "japan-surrenders"),
        anchor(tree, "novel-ending"),
        anchor(tree, "film-ending"),
        anchor(tree, "draft-pod"),
    ]


def test_a_parent_line_runs_on_to_where_its_child_leaves(tree, frame):
    """Only the film's events in view: the novel's line still runs to the film's departure."""
    shown = tl.filter_events(frame, tl.Query(text="the film"))
    assert shown["id"].tolist() == ["film-pod", "film-ending"]
    lines = branch_lines(tree, shown).set_index("id")
    assert lines.loc["film", ["start", "end"]].tolist() == [
        anchor(tree, "film-pod"),
        anchor(tree, "film-ending"),
    ]
    assert lines.loc["novel", ["start", "end"]].tolist() == [
        anchor(tree, "novel-pod"),
        anchor(tree, "film-pod"),
    ]
    assert lines.loc["ours", "start"] == anchor(tree, "film-pod")  # the earliest event in view
    assert np.isnan(lines.loc["ours", "end"])  # nothing of ours in view, no child leaves it
    assert np.isnan(lines.loc["draft", "end"])
    fig = branch_map_figure(shown, tree, None, None)
    assert {t.name for t in fig.data if t.mode == "lines"} == {"The novel", "The film"}


def test_with_nothing_in_view_every_lane_stays_without_a_line(tree, frame):
    fig = branch_map_figure(frame.iloc[:0], tree, "ve-day", "novel")
    assert list(fig.data) == []
    assert len(fig.layout.annotations) == 4  # every lane's name
    assert branch_table(tree, frame.iloc[:0])["Events"].tolist() == [0, 0, 0, 0]


def test_stations_sit_on_their_own_history_and_shared_ones_on_the_root(tree, frame):
    fig = branch_map_figure(frame, tree, None, None)
    assert stations(fig) == {
        "Our history": [
            "crash",
            "election-1932",
            "assassination-fails",
            "ve-day",
            "japan-surrenders",
        ],
        "The novel": ["novel-pod", "allied-surrender", "novel-ending"],
        "The film": ["film-pod", "film-ending"],
        "Draft B": ["draft-pod"],
    }
    ys = {t.name: set(t.y) for t in station_traces(fig)}
    assert ys == {"Our history": {0.0}, "The novel": {1.0}, "The film": {2.0}, "Draft B": {3.0}}


def test_station_hover_and_click_data_map_back_to_the_event(tree, frame):
    fig = branch_map_figure(frame, tree, None, None)
    rows = {c[0]: list(c[1:]) for t in station_traces(fig) for c in t.customdata}
    assert rows["allied-surrender"] == [
        "The Axis surrenders, by 1947",
        "by 1947",
        "The novel",
        "Shifted",
    ]
    assert rows["crash"] == ["The crash", "Oct 1929", "Every history", "—"]
    assert set(rows) == {e.id for e in tree.events if e.layer is tl.Layer.world}


def test_each_line_leaves_its_parents_line_at_its_divergence(tree, frame):
    fig = branch_map_figure(frame, tree, None, None)
    paths = {t.name: (list(t.x), list(t.y)) for t in fig.data if t.mode == "lines"}
    novel_x, novel_y = paths["The novel"]
    assert novel_y == [0.0, 1.0, 1.0]  # from the root's lane to its own
    assert novel_x[1:] == [anchor(tree, "novel-pod"), anchor(tree, "novel-ending")]
    assert novel_x[0] < novel_x[1]  # a short diagonal, leaving a little before
    assert paths["The film"][1] == [1.0, 2.0, 2.0]  # a branch of a branch leaves the novel
    assert paths["Draft B"][1] == [0.0, 3.0, 3.0]
    assert paths["Our history"][1] == [0.0, 0.0]


def test_clicks_on_a_line_name_its_history(tree, frame):
    clicks = line_clicks(branch_map_figure(frame, tree, None, None))
    assert clicks == {
        "Our history": {"history:ours"},
        "The novel": {"history:novel"},
        "The film": {"history:film"},
        "Draft B": {"history:draft"},
    }


def test_counterparts_are_linked_once_across_lines(tree, frame):
    fig = branch_map_figure(frame, tree, None, None)
    (links,) = [t for t in fig.data if t.name == "Counterparts"]
    segments = {
        (links.x[i], links.y[i], links.x[i + 1], links.y[i + 1]) for i in range(0, len(links.x), 3)
    }

    def at(event: str, lane: float) -> tuple[float, float]:
        return anchor(tree, event), lane

    expected = {
        (*at("assassination-fails", 0.0), *at("novel-pod", 1.0)),
        (*at("allied-surrender", 1.0), *at("ve-day", 0.0)),
        (*at("allied-surrender", 1.0), *at("japan-surrenders", 0.0)),
        (*at("film-ending", 2.0), *at("novel-ending", 1.0)),
    }
    assert segments == expected
    assert len(links.x) == 3 * len(expected)
    assert links.line.dash == "dot"


def test_focus_makes_one_history_stand_out_and_fades_the_rest(tree, frame):
    fig = branch_map_figure(frame, tree, None, "novel")
    assert {t.name: t.opacity for t in station_traces(fig)} == {
        "Our history": FADED,
        "The novel": 1.0,
        "The film": FADED,
        "Draft B": FADED,
    }
    opacity = {t.name: t.opacity for t in fig.data if t.mode == "lines"}
    assert opacity == {
        "Our history": FADED,
        "The novel": 1.0,
        "The film": FADED,
        "Draft B": FADED,
        "Counterparts": 1.0,  # links touching the novel stay
    }
    widths = {
        t.name: t.line.width for t in fig.data if t.mode == "lines" and t.name != "Counterparts"
    }
    assert widths["The novel"] > widths["Our history"] == widths["The film"]
    unfocused = branch_map_figure(frame, tree, None, None)
    assert {t.opacity for t in unfocused.data if t.opacity is not None} == {1.0}


def test_an_unknown_focus_fades_nothing(tree, frame):
    fig = branch_map_figure(frame, tree, None, "no-such-history")
    assert {t.opacity for t in fig.data if t.opacity is not None} == {1.0}


def test_focus_on_a_leaf_fades_links_that_do_not_touch_it(tree, frame):
    fig = branch_map_figure(frame, tree, None, "draft")
    links = {t.opacity: len(t.x) // 3 for t in fig.data if t.name == "Counterparts"}
    assert links == {FADED: 4}


def test_past_the_link_budget_links_touching_the_focused_history_come_first():
    timeline = tl.validate_timeline(synthetic_tree(1500, histories=10, seed=3), "s.yaml")
    events = {e.id: e for e in timeline.events}
    touching = {
        tuple(sorted((e.id, str(e.counterpart))))
        for e in timeline.events
        if e.counterpart and "h2" in (e.history, events[str(e.counterpart)].history)
    }
    fig = branch_map_figure(tl.to_frame(timeline), timeline, None, "h2")
    links = {t.opacity: len(t.x) // 3 for t in fig.data if t.name == "Counterparts"}
    assert links == {1.0: len(touching), FADED: LINK_BUDGET - len(touching)}


def test_divergences_and_milestones_are_labelled_and_the_selected_event_ringed(tree, frame):
    fig = branch_map_figure(frame, tree, "film-ending", None)
    (labels,) = [t for t in fig.data if t.name == "Key events"]
    # Above the line first, else below; near the right edge (on a phone) leftwards.
    assert list(zip(labels.text, labels.textposition, labels.y, strict=True)) == [
        (" Victory in Europe", "top right", 0.0),
        (" An assassination succeeds", "top right", 1.0),
        (" The Axis surrenders, by 1947", "bottom right", 1.0),  # no room above, on a phone
        ("The film's hero is elected ", "top left", 2.0),
        ("The film ends otherwise ", "bottom left", 2.0),
        (" Draft B's armistice", "top right", 3.0),
    ]
    (ring,) = [t for t in fig.data if t.name == "Selected event"]
    assert (ring.x[0], ring.y[0], ring.customdata[0][0]) == (
        anchor(tree, "film-ending"),
        2.0,
        "film-ending",
    )


def test_labels_take_the_pages_text_colour_and_fade_with_their_line(tree, frame):
    fig = branch_map_figure(frame, tree, "film-ending", "novel")
    labels = [t for t in fig.data if t.name == "Key events"]
    assert {t.textfont.color for t in labels} == {None}  # a fixed dark grey vanished on dark
    assert {t.opacity: [s.strip() for s in t.text] for t in labels} == {
        1.0: ["An assassination succeeds", "The Axis surrenders, by 1947"],
        FADED: [
            "Victory in Europe",
            "The film's hero is elected",
            "The film ends otherwise",
            "Draft B's armistice",
        ],
    }


def test_lanes_are_named_over_their_lines_in_their_colours_and_axes_labelled(tree, frame):
    fig = branch_map_figure(frame, tree, None, None)
    names = [(a.text, a.font.color, a.x, a.xref, a.xanchor) for a in fig.layout.annotations]
    assert names == [
        ("<b>Our history</b>", "#0072B2", 0, "paper", "left"),
        ("<b>The novel</b>", "#D55E00", 0, "paper", "left"),
        ("<b>The film</b>", "#009E73", 0, "paper", "left"),
        ("<b>Draft B</b>", "#E69F00", 0, "paper", "left"),
    ]
    # Each name halfway between its lane and the one above (the y axis runs top down).
    assert [(a.y, a.yanchor) for a in fig.layout.annotations] == [
        (-0.5, "middle"),
        (0.5, "middle"),
        (1.5, "middle"),
        (2.5, "middle"),
    ]
    # On the theme's name box (the page's colour, dark on a dark page), none of their own.
    boxes = {(a.templateitemname, a.visible, a.bgcolor) for a in fig.layout.annotations}
    assert boxes == {(NAME_BOX, True, None)}
    assert list(fig.layout.yaxis.tickvals) == [0, 1, 2, 3]
    assert fig.layout.xaxis.title.text == "Year"
    assert fig.layout.yaxis.title.text == "History"
    low, high = fig.layout.xaxis.range
    assert low < anchor(tree, "crash") < anchor(tree, "film-ending") < high


def test_every_text_from_the_file_stays_literal(tree):
    hostile = TEXT.replace("label: The novel", 'label: "<b>The</b> novel %{x}"').replace(
        "title: Victory in Europe", 'title: "<i>Victory</i> & <a href=x>Europe</a>"'
    )
    timeline = tl.parse_timeline(hostile, "hostile.yaml")
    frame = tl.to_frame(timeline)
    fig = branch_map_figure(frame, timeline, None, None)
    assert fig.layout.annotations[1].text == "<b>&lt;b&gt;The&lt;/b&gt; novel &#37;{x}</b>"
    rows = {c[0]: c for t in station_traces(fig) for c in t.customdata}
    assert rows["ve-day"][1] == "&lt;i&gt;Victory&lt;/i&gt; &amp; &lt;a href=x&gt;Europe&lt;/a&gt;"
    assert rows["novel-pod"][3] == "&lt;b&gt;The&lt;/b&gt; novel &#37;{x}"
    (labels,) = [t for t in fig.data if t.name == "Key events"]
    assert " &lt;i&gt;Victory&lt;/i&gt; &amp; &lt;a href=x&gt;…" in labels.text  # cut, then escaped
    names = {t.name for t in fig.data}
    assert "&lt;b&gt;The&lt;/b&gt; novel &#37;{x}" in names
    assert not any("<b>The</b>" in str(t.customdata) for t in fig.data if t.customdata is not None)


def test_the_table_says_where_each_history_leaves_and_what_it_holds(tree, frame):
    assert branch_table(tree, frame).to_dict("records") == [
        {
            "History": "Our history",
            "Parent": "",
            "Leaves at": "",
            "Events": 5,
            "First": "Oct 1929",
            "Last": "2 Sep 1945",
        },
        {
            "History": "The novel",
            "Parent": "Our history",
            "Leaves at": "15 Feb 1933: An assassination succeeds",
            "Events": 3,
            "First": "15 Feb 1933",
            "Last": "1960",
        },
        {
            "History": "The film",
            "Parent": "The novel",
            "Leaves at": "1950: The film's hero is elected",
            "Events": 2,
            "First": "1950",
            "Last": "1962",
        },
        {
            "History": "Draft B",
            "Parent": "Our history",
            "Leaves at": "1940: Draft B's armistice",
            "Events": 1,
            "First": "1940",
            "Last": "1940",
        },
    ]


def synthetic_tree(n: int, histories: int = 10, seed: int = 16) -> dict[str, Any]:
    """A valid format-2 timeline of `n` events in `histories` histories, branches of branches
    among them; about a third of a branch's events answer one of its parent's as counterparts."""
    rng = random.Random(seed)
    nodes: list[dict[str, Any]] = [{"id": "h0", "label": "History 0"}]
    pod_year = {"h0": 1800}
    for i in range(1, histories):
        parent = f"h{rng.randrange(i)}"
        pod_year[f"h{i}"] = pod_year[parent] + rng.randint(5, 40)
        nodes.append(
            {"id": f"h{i}", "label": f"History {i}", "parent": parent, "divergence": f"pod{i}"}
        )
    events: list[dict[str, Any]] = []
    free: dict[str, list[dict[str, Any]]] = {n["id"]: [] for n in nodes}  # not yet answered

    def event(eid: str, history: str, year: int) -> dict[str, Any]:
        tags = ["milestone"] if rng.random() < 0.05 else []
        month = rng.randint(1, 12)
        return {
            "id": eid,
            "date": f"{year:04d}-{month:02d}",
            "title": f"Event {eid}",
            "history": history,
            "category": "politics",
            "tags": tags,
            "sources": ["s"],
        }

    for node in nodes[1:]:
        pod = event(node["divergence"], node["id"], pod_year[node["id"]])
        pod["date"] = f"{pod_year[node['id']]:04d}-01"
        events.append(pod)
    while len(events) < n:
        h = f"h{rng.randrange(histories)}"
        node = nodes[int(h[1:])]
        year = rng.randint(pod_year[h] + 1, 2100)
        ev = event(f"e{len(events)}", h, year)
        parent = node.get("parent")
        mates = free.get(parent, [])
        if parent and mates and rng.random() < 0.35:
            pick = rng.randrange(len(mates))
            mate = mates[pick]
            if int(mate["date"][:4]) > pod_year[h]:  # after the divergence: not inherited
                mates[pick] = mates[-1]
                mates.pop()
                ev["counterpart"], mate["counterpart"] = mate["id"], ev["id"]
        if "counterpart" not in ev:
            free[h].append(ev)
        events.append(ev)
    return {
        "format": 2,
        "title": "Synthetic tree",
        "histories": nodes,
        "sources": [{"id": "s", "title": "Made up", "url": "https://example.org/"}],
        "events": events,
    }


@pytest.fixture(scope="session")
def big() -> tl.Timeline:
    return tl.validate_timeline(synthetic_tree(100_000), "synthetic.yaml")


def points(fig: go.Figure) -> int:
    """Points the browser draws: markers, text and line vertices (gaps not counted)."""
    return sum(sum(v is not None for v in t.x) for t in fig.data if t.x is not None)


@pytest.mark.slow
def test_a_100k_event_10_history_map_stays_within_the_point_budget(big):
    frame = tl.to_frame(big)
    fig = branch_map_figure(frame, big, "pod3", "h3")
    shown = sum(len(t.x) for t in station_traces(fig))
    assert shown == STATION_BUDGET
    assert len(line_clicks(fig)) == 10
    links = sum(len(t.x) // 3 for t in fig.data if t.name == "Counterparts")
    assert 0 < links <= LINK_BUDGET  # only pairs with both ends among the sampled stations
    labels = sum(len(t.x) for t in fig.data if t.name == "Key events")
    assert labels <= 10 * 2 * 12  # two label rows a line, a dozen phone-wide labels each
    assert points(fig) <= STATION_BUDGET + 10 * (LINE_POINTS + 3) + 2 * links + labels + 1
    assert "showing 3,000 of 100,000" in fig.layout.title.text
    assert any(t.name == "Selected event" for t in fig.data)  # kept through the sampling
    assert len(fig.to_json()) < 2_000_000


# Label boxes estimated from a figure, as Plotly lays them out: a text's baseline sits
# 0.75 font + r below its point for "bottom", and 0.25 font + r above it for "top", where r is
# its marker's radius / 0.8 + 1 (0 without a marker), and r to the side it runs towards; a
# line of text takes the font size above its baseline and a quarter of it below, CHAR_PX per
# character at 11 px.
SPACE = ROOT / "seeds" / "space-race.yaml"
PLOT_WIDTHS = {"phone": PHONE_PLOT_PX, "desktop": 960.0}  # 960: the plot at 1440 px wide
Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels


def _plot_px(fig: go.Figure, width: float) -> tuple[Any, Any]:
    """Functions from data x and lane y to pixels in a plot `width` wide."""
    low, high = fig.layout.xaxis.range
    bottom, top = fig.layout.yaxis.range
    margin = fig.layout.margin
    tall = fig.layout.height - margin.t - margin.b
    return (
        lambda x: (x - low) / (high - low) * width,
        lambda y: (y - top) / (bottom - top) * tall,
    )


def label_boxes(fig: go.Figure, width: float) -> dict[str, Box]:
    """Every key-event label's and lane name's box, by its text."""
    px_x, px_y = _plot_px(fig, width)
    boxes: dict[str, Box] = {}
    for trace in fig.data:
        if trace.name != "Key events":
            continue
        size = trace.textfont.size
        r = trace.marker.size / 2 / 0.8 + 1 if trace.marker.size else 0.0
        for x, y, text, where in zip(trace.x, trace.y, trace.text, trace.textposition, strict=True):
            wide = len(text) * CHAR_PX * size / 11
            leftwards = where.endswith("left")
            left = px_x(x) + (-r - wide if leftwards else r)  # r aside too
            base = px_y(y) + (-0.25 * size - r if where.startswith("top") else 0.75 * size + r)
            boxes[text.strip()] = (left, base - size, left + wide, base + 0.25 * size)
    for note in fig.layout.annotations:
        if note.xref != "paper":
            continue
        size, text = note.font.size, re.sub("<[^>]+>", "", note.text)
        tall = size * 1.25 + 4  # padding and border of the name box
        middle = px_y(note.y)
        boxes[text] = (0.0, middle - tall / 2, len(text) * CHAR_PX * size / 11, middle + tall / 2)
    return boxes


def overlaps(boxes: dict[str, Box]) -> list[tuple[str, str]]:
    items = list(boxes.items())
    return [
        (a, b)
        for i, (a, (l1, t1, r1, b1)) in enumerate(items)
        for b, (l2, t2, r2, b2) in items[i + 1 :]
        if l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1
    ]


@pytest.mark.parametrize("size", PLOT_WIDTHS)
def test_no_two_labels_of_the_space_race_map_overlap_and_none_crosses_its_line(size):
    timeline = tl.load_timeline(SPACE)
    fig = branch_map_figure(tl.to_frame(timeline), timeline, None, None)
    boxes = label_boxes(fig, PLOT_WIDTHS[size])
    assert len(boxes) > len(timeline.histories)  # some key events are labelled
    assert overlaps(boxes) == []
    _, px_y = _plot_px(fig, PLOT_WIDTHS[size])
    lines = {float(y) for t in fig.data if t.name == "Key events" for y in t.y}
    station = 5  # a station's radius, nothing focused
    crossing = [
        text
        for text, (_, top, _, bottom) in boxes.items()
        for y in lines
        if top < px_y(y) + station and bottom > px_y(y) - station
    ]
    assert crossing == []


def test_every_station_keeps_its_title_in_the_hover_when_its_label_is_left_out():
    timeline = tl.load_timeline(SPACE)
    fig = branch_map_figure(tl.to_frame(timeline), timeline, None, None)
    titles = {c[1] for t in station_traces(fig) for c in t.customdata}
    assert titles == {plain(e.title) for e in timeline.events if e.layer == "world"}
