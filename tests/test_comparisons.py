"""The comparison views' numbers, checked against hand-computed values on the mini timeline."""

import json

import pytest

import timeline as tl
from tests.conftest import ROOT
from timeline import compare
from timeline import figures as fg


def test_milestones_include_one_sided_ones(mini_text):
    text = mini_text.replace("tags: [mars]", "tags: [mars, milestone]")
    frame = tl.to_frame(tl.parse_timeline(text))
    ms = compare.milestones(frame)
    assert ms[["milestone", "reference_date", "diverged_date", "gap"]].values.tolist() == [
        ["The chief designer dies", "14 Jan 1966", "14 Jan 1966", "same day"],
        ["Apollo lands on the Moon", "20 Jul 1969", "26 Jun 1969", "−24 days"],
        ["Skylab launched", "14 May 1973", "1973", "same year"],
        ["People land on Mars", "not reached, as of today", "c. 1995", "in one history only"],
    ]


def test_a_milestone_reached_by_several_events_names_each_version():
    fam = tl.compare_pair(tl.load_timeline(ROOT / "seeds" / "for-all-mankind.yaml"))
    ms = compare.milestones(tl.to_frame(fam))
    apollo = ms[ms["reference_id"] == "apollo-11-first-moon-landing"]
    assert apollo[["milestone", "gap"]].values.tolist() == [
        [
            "Apollo 11 lands the first humans on the Moon ↔ Alexei Leonov becomes the first "
            "man on the Moon",
            "−24 days",
        ],
        [
            "Apollo 11 lands the first humans on the Moon ↔ Apollo 11 lands second, and barely "
            "makes it home",
            "same month",
        ],
    ]
    assert not ms["milestone"].duplicated().any()


def test_untold_is_not_never_and_production_is_never_one_sided(mini_text):
    text = mini_text.replace("tags: [mars]", "tags: [mars, milestone]").replace(
        "title: ISS assembly begins", "title: ISS assembly begins\n    tags: [milestone]"
    )
    frame = tl.to_frame(tl.parse_timeline(text))
    frame.loc[frame["id"] == "premiere", "tag_keys"] = "\x1fmilestone\x1f"
    ms = compare.milestones(frame)
    assert "Season 1 premieres" not in set(ms["milestone"])  # production, though tagged
    assert ms[["milestone", "reference_date", "diverged_date"]].values.tolist()[-2:] == [
        ["People land on Mars", "not reached, as of today", "c. 1995"],
        ["ISS assembly begins", "20 Nov 1998", "not told"],
    ]


def test_milestones_figure_rows_in_date_order_with_full_titles(mini_text, mini):
    text = mini_text.replace("tags: [mars]", "tags: [mars, milestone]")
    timeline = tl.compare_pair(tl.parse_timeline(text))
    fig = fg.milestones_figure(compare.milestones(tl.to_frame(timeline)), timeline)
    notes = [(a.text, round(a.y, 2)) for a in fig.layout.annotations]
    # Wrapped to a phone-wide plot, so the end of a line is not cut off there; the rows grow a
    # line (46 px to 62) and each title keeps its 15 px above its row (0.24 of 62 px).
    assert notes == [
        ("<b>The chief designer dies</b> · same day", -0.24),
        ("<b>Apollo lands on the Moon</b> · −24 days", 0.76),
        ("<b>Skylab launched</b> · same year", 1.76),
        ("<b>People land on Mars</b> · Our history: not reached,<br>as of today", 2.76),
    ]
    assert fig.layout.xaxis.title.text == "Year"


def test_equal_dates_keep_both_markers_visible(mini, mini_frame):
    fig = fg.milestones_figure(compare.milestones(mini_frame), mini)
    ours, theirs = (t for t in fig.data if t.mode == "markers")
    # The chief designer: same day in both histories, drawn a little apart vertically.
    assert (ours.x[0], theirs.x[0]) == (mini_frame["x"][1], mini_frame["x"][2])
    assert ours.y[0] != theirs.y[0]


def test_drift_counts_changes_cumulatively(mini_frame):
    drift = compare.drift_by_year(mini_frame, 1966)
    assert drift.loc[1966].tolist() == [0, 1, 0, 0]  # the divergence itself: replaced
    assert drift.loc[1969].tolist() == [0, 2, 0, 0]  # + the Soviet landing
    assert drift.loc[1973].tolist() == [1, 2, 0, 0]  # + the lunar base (shifted)
    assert drift.loc[1986].tolist() == [1, 2, 0, 1]  # + Challenger prevented
    assert drift.loc[1995].tolist() == [1, 2, 1, 1]  # + Mars landing (new)
    assert list(drift.columns) == ["shifted", "replaced", "new", "prevented"]
    assert list(drift.index) == [1966, 1969, 1973, 1986, 1995]  # only years with a change


def test_drift_rows_follow_the_data_not_the_span(mini_text):
    text = mini_text.replace("date: 1986-01-28", "date: 999999-01-28")
    drift = compare.drift_by_year(tl.to_frame(tl.parse_timeline(text)), 1966)
    assert list(drift.index) == [1966, 1969, 1973, 1995, 999999]


def test_drift_figure_stacks_every_status(mini, mini_frame):
    fig = fg.drift_figure(compare.drift_by_year(mini_frame, 1966), mini)
    areas = [t for t in fig.data if t.type == "scatter"]
    assert [t.y[-1] for t in areas] == [1, 2, 1, 1]
    # Colour is the history (prevented events are ours), the status is the fill pattern.
    assert [(t.line.color, t.fillpattern.shape) for t in areas] == [
        ("#D55E00", "/"),
        ("#D55E00", "x"),
        ("#D55E00", None),
        ("#0072B2", "."),
    ]
    assert fig.layout.yaxis.title.text == "Events changed so far"


def test_drift_figures_last_step_covers_its_whole_year(mini, mini_frame):
    fig = fg.drift_figure(compare.drift_by_year(mini_frame, 1966), mini)
    areas = [t for t in fig.data if t.type == "scatter"]
    # 1995 is the last year with a change: its step runs to 1996, not a bare line at 1995.
    assert [(tuple(t.x[-2:]), tuple(t.y[-2:])) for t in areas] == [
        ((1995.0, 1996.0), (1, 1)),
        ((1995.0, 1996.0), (2, 2)),
        ((1995.0, 1996.0), (1, 1)),
        ((1995.0, 1996.0), (1, 1)),
    ]


def test_drift_figures_key_says_each_status_on_lines_a_phone_shows_whole(mini, mini_frame):
    from timeline.chartparts import WRAP_CHARS

    fig = fg.drift_figure(compare.drift_by_year(mini_frame, 1966), mini)
    names = [t.name for t in fig.data if t.type == "scatter"]
    assert names[0] == "Shifted (Mini Moon):<br>the same milestone, reached at another date"
    assert max(len(line) for name in names for line in name.split("<br>")) <= WRAP_CHARS


def test_ripple_depth_is_the_causal_distance(mini_frame):
    rp = compare.ripple(mini_frame, "designer-survives")
    assert rp[["id", "depth", "parents"]].values.tolist() == [
        ["designer-survives", 0, []],
        ["soviet-landing", 1, ["designer-survives"]],
        ["moon-base", 2, ["soviet-landing"]],
        ["mars-landing", 3, ["moon-base"]],
    ]


def test_ripple_counts_steps_through_events_the_filters_hide(mini, mini_frame):
    shown = tl.filter_events(mini_frame, tl.Query(era="season-1"))
    causes = {e.id: e.causes for e in mini.events}
    rp = compare.ripple(shown, "designer-survives", causes)
    assert rp[["id", "depth", "parents"]].values.tolist() == [
        ["soviet-landing", 1, ["designer-survives"]],
        ["moon-base", 2, ["soviet-landing"]],
    ]
    fig = fg.ripple_figure(rp, mini)
    assert fig.layout.title.text.split("<br>")[2] == (
        "<sup>point of divergence (14 Jan 1966) filtered out</sup>"
    )
    assert (list(fig.layout.xaxis.tickvals), fig.layout.xaxis.range[0]) == ([1, 2], 0.7)


def test_ripple_figure_nodes_carry_event_ids(mini, mini_frame):
    fig = fg.ripple_figure(compare.ripple(mini_frame, "designer-survives"), mini)
    ids = [row[0] for t in fig.data if t.customdata is not None for row in t.customdata]
    assert sorted(ids) == ["designer-survives", "mars-landing", "moon-base", "soviet-landing"]


def test_ripple_and_milestones_ring_the_selected_event(mini, mini_frame):
    ripple = fg.ripple_figure(compare.ripple(mini_frame, "designer-survives"), mini, "moon-base")
    ring = [t for t in ripple.data if t.name == "Selected event"]
    moon_base = mini_frame.loc[mini_frame["id"] == "moon-base", "x"].item()
    assert [(t.x, t.y, t.customdata) for t in ring] == [((2,), (moon_base,), (["moon-base"],))]
    ms = compare.milestones(mini_frame)
    milestones = fg.milestones_figure(ms, mini, "apollo-landing")
    ring = [t for t in milestones.data if t.name == "Selected event"]
    row = ms.index[ms["reference_id"] == "apollo-landing"][0]
    assert [(t.x[0], t.customdata[0][0]) for t in ring] == [
        (ms.loc[row, "reference_x"], "apollo-landing")
    ]


def test_time_jumps(mini_frame, mini):
    jumps = compare.time_jumps(mini_frame, compare.era_spans(mini.eras))
    # A year-precision end covers its year: the setting runs to the end of 1974.
    assert jumps[["id", "set_from", "set_to"]].values.tolist() == [["premiere", 1969.0, 1975.0]]
    assert compare.era_span_label(mini.eras[1]) == "1969–1974"
    assert jumps.loc[0, "years_before_release"] == pytest.approx(2019 + 304.5 / 365 - 1969)


def test_era_summary(mini_frame, mini):
    summary = compare.era_summary(mini_frame, {e.id: e.label for e in mini.eras})
    assert summary.to_dict("records") == [
        {
            "era_id": "space-race",
            "era": "Space Race",
            "reference": 3,
            "diverged": 3,
            "shared": 1,
            "production": 0,
            "shifted": 1,
            "replaced": 2,
            "new": 0,
        },
        {
            "era_id": "season-1",
            "era": "Season 1 setting",
            "reference": 2,
            "diverged": 2,
            "shared": 0,
            "production": 0,
            "shifted": 1,
            "replaced": 1,
            "new": 0,
        },
        {
            "era_id": "production",
            "era": "Production years",
            "reference": 0,
            "diverged": 0,
            "shared": 0,
            "production": 1,
            "shifted": 0,
            "replaced": 0,
            "new": 0,
        },
    ]


def test_side_by_side_aligns_counterparts_in_date_order(mini_frame):
    rows = compare.side_by_side(mini_frame).values.tolist()
    assert rows == [
        [
            "14 Jan 1966",
            "The chief designer dies",
            "The chief designer survives",
            "same day",
            "replaced",
        ],
        [
            "26 Jun 1969",
            "Apollo lands on the Moon",
            "A cosmonaut walks on the Moon first",
            "−24 days",
            "replaced",
        ],
        ["14 May 1973", "Skylab launched", "A lunar base opens", "same year", "shifted"],
        ["28 Jan 1986", "Challenger is lost", "", "", "prevented"],
        ["c. 1995", "", "People land on Mars", "", "new"],
        ["20 Nov 1998", "ISS assembly begins", "", "", "untold"],
    ]


def test_views_survive_an_empty_selection(mini, mini_frame):
    empty = mini_frame.iloc[0:0]
    assert compare.milestones(empty).empty
    assert compare.ripple(empty, mini.divergence).empty
    assert compare.time_jumps(empty, compare.era_spans(mini.eras)).empty
    assert compare.side_by_side(empty).empty
    assert compare.drift_by_year(empty, 1966).loc[1966].tolist() == [0, 0, 0, 0]
    assert compare.era_summary(empty, {}).empty
    fg.drift_figure(compare.drift_by_year(empty, 1966), mini)


def test_markdown_report(mini, mini_frame):
    report = tl.to_markdown(mini_frame, mini, "everything")
    assert (
        "| 20 Jul 1969: Apollo lands on the Moon "
        "| 26 Jun 1969: A cosmonaut walks on the Moon first | −24 days | replaced |" in report
    )
    assert "- Milestones moved (dates differ beyond their precision): 1" in report
    assert "- Largest shift: −24 days:\u2060 Apollo lands on the Moon" in report  # no autolink
    assert "## Only in Mini Moon\n\n- c. 1995: People land on Mars" in report


def test_timelinejs_export(mini, mini_frame):
    data = json.loads(json.dumps(tl.to_timelinejs(mini_frame, mini)))
    assert len(data["events"]) == 11
    mars = next(e for e in data["events"] if e["unique_id"] == "mars-landing")
    assert mars["start_date"] == {"year": 1995}
    assert mars["group"] == "Mini Moon"
    assert data["eras"][0]["start_date"] == {"year": 1957, "month": 10, "day": 4}
