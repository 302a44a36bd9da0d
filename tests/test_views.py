"""The list of views: each builds its data, figure and table from the events in view."""

from dataclasses import replace

import pytest
from pandas.testing import assert_frame_equal

import timeline as tl
from tests.conftest import TREE
from timeline.schema import Status
from timeline.views import TREE_VIEWS, VIEW_NAMES, VIEWS, events_table, view_named


def test_the_views_in_tab_order():
    assert VIEW_NAMES == (
        "Timeline",
        "Milestones",
        "Divergence over time",
        "Ripples",
        "Time jumps",
        "Per era",
        "Side by side",
    )
    assert view_named("nonsense").name == "Timeline"


@pytest.mark.parametrize("view", VIEWS, ids=VIEW_NAMES)
def test_every_view_builds_on_the_whole_timeline(view, mini, mini_frame):
    built = view.build(mini, mini_frame, "soviet-landing", None)
    assert built.empty is None and len(built.table) > 0
    assert "id" not in list(built.table.columns)[:-1]  # ids out of sight, or last
    if view.figure is None:
        assert built.figure is None
        return
    fig = built.figure
    assert fig.layout.xaxis.title.text or fig.layout.xaxis2.title.text
    ids = {
        row[0]
        for trace in fig.data
        if trace.customdata is not None and trace.name not in ("Selected event", "Eras")
        for row in trace.customdata
    }
    if view.clickable:
        assert ids and ids <= set(mini_frame["id"])


def test_clickable_views_ring_the_selected_event(mini, mini_frame):
    for view in VIEWS:
        if view.clickable and view.name != "Time jumps":
            fig = view.build(mini, mini_frame, "soviet-landing", None).figure
            rings = [t for t in fig.data if t.name == "Selected event"]
            assert [t.customdata[0][0] for t in rings] == ["soviet-landing"], view.name


def test_empty_views_say_why(mini, mini_frame):
    shown = tl.filter_events(mini_frame, tl.Query(lanes=frozenset({"reference"})))
    messages = {v.name: v.build(mini, shown, None, None).empty for v in VIEWS}
    assert messages == {
        "Timeline": None,
        "Milestones": "No counterpart pairs or milestones in this view.",
        "Divergence over time": None,  # Challenger, prevented in the diverged history
        "Ripples": "Nothing in view follows from the point of divergence (The chief designer "
        "survives, 14 Jan 1966) through its causes: widen the era or years, or clear the history "
        "and text filters.",
        "Time jumps": "No releases (production events with a setting) in this view.",
        "Per era": None,
        "Side by side": None,
    }


def test_ripples_of_an_era_after_the_divergence_show_what_it_led_to_there(mini, mini_frame):
    shown = tl.filter_events(mini_frame, tl.Query(era="season-1"))
    built = view_named("Ripples").build(mini, shown, None, "season-1")
    assert built.empty is None
    assert built.data[["id", "depth"]].values.tolist() == [["soviet-landing", 1], ["moon-base", 2]]


def test_drift_of_an_era_after_the_divergence_starts_at_its_first_change(mini, mini_frame):
    shown = tl.filter_events(mini_frame, tl.Query(era="season-1"))
    built = view_named("Divergence over time").build(mini, shown, None, "season-1")
    # No row for 1966 (the hidden divergence) with zeros that would say nothing had changed.
    assert built.data.reset_index().values.tolist() == [[1969, 0, 1, 0, 0], [1973, 1, 1, 0, 0]]
    assert built.figure is not None
    assert built.figure.layout.title.text.endswith(
        "<br><sup>point of divergence (14 Jan 1966) filtered out</sup>"
    )


def test_drift_with_the_divergence_in_view_starts_at_it_with_no_note(mini, mini_frame):
    built = view_named("Divergence over time").build(mini, mini_frame, None, None)
    assert built.data.index[0] == 1966
    assert built.figure is not None and "filtered out" not in built.figure.layout.title.text


def test_tables_use_the_histories_own_labels(mini, mini_frame):
    table = VIEWS[0].build(mini, mini_frame, None, None).table
    assert list(table.columns) == ["Date", "Event", "History", "Category", "Status", "Eras", "id"]
    row = table[table["id"] == "moon-base"].iloc[0].to_dict()
    assert row == {
        "Date": "1973",
        "Event": "A lunar base opens",
        "History": "Mini Moon",
        "Category": "spaceflight",
        "Status": "Shifted",
        "Eras": "Space Race, Season 1 setting",
        "id": "moon-base",
    }


def test_a_views_table_is_made_only_when_first_read(mini, mini_frame):
    made: list[int] = []

    def counted(data, timeline):
        made.append(len(data))
        return events_table(data, timeline)

    view = replace(VIEWS[0], table=counted)
    built = view.build(mini, mini_frame, None, None)
    assert made == [] and built.figure is not None  # the chart needs no table
    first, again = built.table, built.table
    assert made == [11] and first is again
    assert_frame_equal(first, events_table(mini_frame, mini))


def test_status_captions_explain_the_statuses_a_table_lists(mini, mini_frame):
    # Known without the table: a view says whether its table has a Status column.
    notes = {}
    for view in VIEWS:
        built = view.build(mini, mini_frame, None, None)
        assert ("Status" in built.table.columns) is view.status_column, view.name
        notes[view.name] = built.statuses
    every = [f"{s.label}: {s.explanation}" for s in Status]  # mini has each status once or more
    assert (
        notes
        == {
            "Timeline": " · ".join(every),
            "Milestones": " · ".join(every[:2]),  # its pairs are shifted or replaced
            "Divergence over time": "",
            "Ripples": " · ".join(every[:3]),
            "Time jumps": "",
            "Per era": "",
            "Side by side": " · ".join(every),
        }
    )


def test_tree_views_say_whether_their_tables_list_statuses():
    tree = tl.load_timeline(TREE)
    frame = tl.to_frame(tree)
    for view in TREE_VIEWS:
        built = view.build(tree, frame, None, None)
        assert ("Status" in built.table.columns) is view.status_column, view.name
        assert bool(built.statuses) is view.status_column, view.name
