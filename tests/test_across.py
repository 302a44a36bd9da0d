"""Milestones across all histories: each history's version, inherited one, or why it has none."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import timeline as tl
from tests.conftest import TREE
from tests.test_branchmap import synthetic_tree
from timeline.across import (
    NOT_REACHED,
    column,
    milestones_across,
    milestones_across_figure,
    milestones_across_table,
)
from timeline.chartparts import WRAP_CHARS
from timeline.compare import NEVER, NOT_TOLD, NOT_YET

TEXT = (TREE).read_text()
# Two more milestones: a treaty our history reaches and every branch prevents, and a Moon
# landing only the film reaches (its title tries markup).
MORE = """
  - id: treaty
    date: 1955
    title: A treaty of peace
    history: ours
    category: politics
    tags: [milestone]
    status: prevented
    sources: [the-novel]
  - id: film-moon
    date: 1969-07
    title: "A crewed <b>Moon</b> landing"
    history: film
    category: space
    tags: [milestone]
    sources: [the-film]
"""
HISTORIES = ("ours", "novel", "film", "draft")


@pytest.fixture(scope="module")
def timeline() -> tl.Timeline:
    return tl.parse_timeline(TEXT + MORE, "tree-more.yaml")


@pytest.fixture(scope="module")
def across(timeline: tl.Timeline) -> pd.DataFrame:
    return milestones_across(timeline)


def versions(row: pd.Series) -> dict[str, tuple[object, ...]]:
    """Per history: (event id, date or reason, from which history); missing ones as None."""
    return {
        h: tuple(
            None if pd.isna(row[column(h, f)]) else row[column(h, f)]
            for f in ("id", "date", "from")
        )
        for h in HISTORIES
    }


def test_one_row_per_milestone_in_date_order_with_a_column_group_per_history(across):
    assert across["milestone"].tolist() == [
        "Victory in Europe",
        "A treaty of peace",
        "A crewed <b>Moon</b> landing",
    ]
    assert across.columns.tolist() == [
        "milestone",
        "first_x",
        *(f"{h}:{f}" for h in HISTORIES for f in ("id", "title", "date", "x", "from")),
    ]


def test_a_branch_takes_its_own_version_or_the_one_it_inherits(across, timeline):
    assert versions(across.iloc[0]) == {
        "ours": ("ve-day", "8 May 1945", "ours"),  # the tagged one of ours' two versions
        "novel": ("allied-surrender", "by 1947", "novel"),
        "film": ("allied-surrender", "by 1947", "novel"),  # inherited from the novel
        "draft": (None, NOT_TOLD, None),  # draft B leaves ours in 1940 and does not say
    }
    anchors = {e.id: e.date.anchor for e in timeline.events}
    xs = [across.at[0, column(h, "x")] for h in HISTORIES]
    assert xs[:3] == [anchors["ve-day"], anchors["allied-surrender"], anchors["allied-surrender"]]
    assert math.isnan(xs[3])
    assert across.at[0, "first_x"] == anchors["ve-day"]


def test_a_prevented_milestone_is_never_reached_in_every_branch_below_it(across):
    assert versions(across.iloc[1]) == {
        "ours": ("treaty", "1955", "ours"),
        "novel": (None, NEVER, None),
        "film": (None, NEVER, None),  # through the novel, which has no version either
        "draft": (None, NEVER, None),
    }


def test_a_branchs_new_milestone_is_not_reached_elsewhere(across):
    assert versions(across.iloc[2]) == {
        "ours": (None, NOT_YET, None),  # our history: "not reached, as of today"
        "novel": (None, NOT_REACHED, None),
        "film": ("film-moon", "Jul 1969", "film"),
        "draft": (None, NOT_REACHED, None),
    }


def test_the_table_has_a_column_per_history_with_dates_or_reasons(across, timeline):
    assert milestones_across_table(across, timeline).to_dict("list") == {
        "Milestone": ["Victory in Europe", "A treaty of peace", "A crewed <b>Moon</b> landing"],
        "Our history": ["8 May 1945", "1955", NOT_YET],
        "The novel": ["by 1947", NEVER, NOT_REACHED],
        "The film": ["by 1947", NEVER, "Jul 1969"],
        "Draft B": [NOT_TOLD, NEVER, NOT_REACHED],
    }


def markers(fig: go.Figure) -> dict[str, list[list[object]]]:
    return {
        t.name: [list(c) for c in t.customdata]
        for t in fig.data
        if t.mode == "markers" and t.customdata is not None and t.name != "Selected event"
    }


def test_the_figure_has_a_marker_per_history_that_reaches_each_milestone(across, timeline):
    fig = milestones_across_figure(across, timeline, None)
    assert markers(fig) == {
        "Our history": [
            ["ve-day", "Victory in Europe", "8 May 1945", ""],
            ["treaty", "A treaty of peace", "1955", ""],
        ],
        "The novel": [["allied-surrender", "The Axis surrenders, by 1947", "by 1947", ""]],
        "The film": [
            ["allied-surrender", "The Axis surrenders, by 1947", "by 1947", " (from The novel)"],
            ["film-moon", "A crewed &lt;b&gt;Moon&lt;/b&gt; landing", "Jul 1969", ""],
        ],
    }
    colors = {t.name: t.marker.color for t in fig.data if t.name in markers(fig)}
    assert colors == {"Our history": "#0072B2", "The novel": "#D55E00", "The film": "#009E73"}
    rows = {t.name: np.round(t.y).tolist() for t in fig.data if t.name in markers(fig)}
    assert rows == {"Our history": [0, 1], "The novel": [0], "The film": [0, 2]}
    # Equal dates in one row stay apart: each history has its own offset.
    offsets = {t.name: t.y[0] - round(t.y[0]) for t in fig.data if t.name in markers(fig)}
    assert len(set(offsets.values())) == 3


def test_rows_are_titled_in_full_and_missing_versions_written_at_the_row_end(across, timeline):
    fig = milestones_across_figure(across, timeline, None)
    texts = [a.text for a in fig.layout.annotations]
    assert texts == [
        "<b>Victory in Europe</b>",
        "<b>A treaty of peace</b>",
        "<b>A crewed &lt;b&gt;Moon&lt;/b&gt; landing</b>",
        "Draft B: not told",
        "The novel, The film, Draft B: never: prevented",
        "Our history: not reached, as of today<br>The novel, Draft B: not reached",
    ]
    ends = [a for a in fig.layout.annotations if a.xanchor == "right"]
    assert [(a.x, a.xref) for a in ends] == [(1, "paper")] * 3
    assert [round(a.y) for a in ends] == [0, 1, 2]


def test_the_selected_version_is_ringed_where_each_history_shows_it(across, timeline):
    fig = milestones_across_figure(across, timeline, "allied-surrender")
    rings = [t for t in fig.data if t.name == "Selected event"]
    assert [(t.customdata[0][0], round(t.y[0])) for t in rings] == [
        ("allied-surrender", 0),
        ("allied-surrender", 0),
    ]
    assert len({t.y[0] for t in rings}) == 2  # the novel's and the film's markers


def test_histories_past_six_also_differ_in_shape():
    timeline = tl.validate_timeline(synthetic_tree(600, histories=9, seed=3), "synthetic.yaml")
    data = milestones_across(timeline)
    fig = milestones_across_figure(data, timeline, None)
    order = tl.Tree(timeline).order
    symbols = {t.name: t.marker.symbol for t in fig.data if t.mode == "markers"}
    assert [symbols[timeline.history(h).label] for h in order] == [
        *["circle"] * 6,
        "diamond",
        "square",
        "triangle-up",
    ]


def test_long_lists_of_missing_histories_wrap_to_a_phone_wide_plot():
    timeline = tl.validate_timeline(synthetic_tree(600, histories=9, seed=3), "synthetic.yaml")
    fig = milestones_across_figure(milestones_across(timeline), timeline, None)
    ends = [a.text for a in fig.layout.annotations if a.xanchor == "right"]
    lines = [line for text in ends for line in text.split("<br>")]
    assert max(len(line) for line in lines) <= WRAP_CHARS
    assert any(text.count("<br>") >= 1 for text in ends)


def test_a_long_list_is_cut_to_the_rows_drawn_and_says_so():
    timeline = tl.validate_timeline(synthetic_tree(3000, histories=4, seed=5), "synthetic.yaml")
    data = milestones_across(timeline)
    assert len(data) > 60
    fig = milestones_across_figure(data, timeline, None)
    row_titles = [a for a in fig.layout.annotations if a.xanchor == "left"]
    assert len(row_titles) == 60
    assert f"the first 60 of {len(data):,} by date" in fig.layout.title.text
    assert data["first_x"].is_monotonic_increasing


def test_long_titles_wrap_to_a_phone_wide_plot_left_aligned():
    long = "A treaty of peace signed in Geneva by every power that fought the war, at last"
    timeline = tl.parse_timeline(
        TEXT + MORE.replace("title: A treaty of peace", f"title: {long}"), "long.yaml"
    )
    fig = milestones_across_figure(milestones_across(timeline), timeline, None)
    title = fig.layout.annotations[1]
    assert title.text == (
        "<b>A treaty of peace signed in Geneva by every power</b>"
        "<br><b>that fought the war, at last</b>"
    )
    assert (title.align, title.xanchor) == ("left", "left")


def test_milestones_across_are_computed_once_per_timeline():
    timeline = tl.load_timeline(TREE)
    assert milestones_across(timeline) is milestones_across(timeline)
