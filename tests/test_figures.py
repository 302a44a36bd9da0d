import plotly.graph_objects as go

import timeline as tl
from timeline.figures import timeline_figure


def traces(fig: go.Figure) -> dict[str, go.Scatter]:
    """Traces that draw something, by name (legend-only entries have a single empty point)."""
    return {t.name: t for t in fig.data if list(t.x) != [None]}


def test_one_trace_per_lane_with_event_ids(mini, mini_frame):
    fig = timeline_figure(mini_frame, mini)
    by_name = traces(fig)
    assert [row[0] for row in by_name["Mini Moon"].customdata] == [
        "designer-survives",
        "soviet-landing",
        "moon-base",
        "mars-landing",
    ]
    assert by_name["Our history"].marker.color == "#0072B2"
    assert by_name["Production"].customdata[0][0] == "premiere"


def test_each_lane_has_a_plain_circle_legend_entry_that_toggles_it(mini, mini_frame):
    fig = timeline_figure(mini_frame, mini)
    legend = [t for t in fig.data if t.name == "Mini Moon" and t.showlegend is not False]
    assert [(t.marker.symbol, t.legendgroup, t.customdata) for t in legend] == [
        ("circle", "diverged", None)
    ]
    assert traces(fig)["Mini Moon"].legendgroup == "diverged"


def test_marker_shape_shows_precision_and_exactness(mini, mini_frame):
    symbols = traces(timeline_figure(mini_frame, mini))["Mini Moon"].marker.symbol
    # day, day, year, approximate year
    assert list(symbols) == ["circle", "circle", "square", "square-open"]


def test_counterparts_are_joined(mini, mini_frame):
    line = traces(timeline_figure(mini_frame, mini))["Counterparts"]
    xs = [x for x in line.x if x is not None]
    assert len(xs) == 6  # three pairs, two ends each


def test_axes_are_labelled_and_divergence_marked(mini, mini_frame):
    fig = timeline_figure(mini_frame, mini)
    assert fig.layout.xaxis.title.text == "Year"
    assert fig.layout.yaxis.title.text == "History"
    assert "Point of divergence (14 Jan 1966)" in [a.text for a in fig.layout.annotations]
    # Only labels that fit their bar are drawn; every era has hover text.
    assert [s.label.text for s in fig.layout.shapes if s.label.text] == ["Space Race"]
    assert list(traces(fig)["Eras"].hovertext) == [
        "<b>Space Race</b><br>4 Oct 1957 – 24 Jul 1975",
        "<b>Season 1 setting</b><br>1969 – 1974",
        "<b>Production years</b><br>2019 – 2026",
    ]


def test_hover_text_is_escaped(mini_text):
    text = mini_text.replace("title: Skylab launched", 'title: "<img src=x onerror=alert(1)>"')
    timeline = tl.parse_timeline(text)
    fig = timeline_figure(tl.to_frame(timeline), timeline)
    titles = [row[1] for row in traces(fig)["Our history"].customdata]
    assert "&lt;img src=x onerror=alert(1)&gt;" in titles


def test_bc_axis_labels(mini_text):
    text = mini_text.replace(
        "date: 1957-10-04\n    title: Sputnik", "date: 44 BC\n    title: Sputnik"
    )
    timeline = tl.parse_timeline(text)
    fig = timeline_figure(tl.to_frame(timeline), timeline)
    ticks = dict(zip(fig.layout.xaxis.ticktext, fig.layout.xaxis.tickvals, strict=True))
    assert (ticks["500 BC"], ticks["AD 1"], ticks["500"]) == (-499, 1, 500)


def test_selected_event_is_ringed(mini, mini_frame):
    ring = traces(timeline_figure(mini_frame, mini, selected="iss"))["Selected"]
    assert ring.customdata[0][0] == "iss"


def test_big_timelines_are_sampled_to_the_point_budget_and_say_so():
    from benchmarks.synth import synthetic
    from timeline import compare
    from timeline.figures import MILESTONE_ROWS, POINT_BUDGET, milestones_figure

    timeline = tl.validate_timeline(synthetic(POINT_BUDGET + 1000), "big.json")
    frame = tl.to_frame(timeline)
    picked = frame["id"].iloc[3]
    fig = timeline_figure(frame, timeline, selected=picked)
    points = [
        row[0]
        for t in fig.data
        if t.mode == "markers" and t.customdata is not None
        for row in t.customdata
    ]
    assert len(set(points)) == POINT_BUDGET
    assert {"pod", picked} <= set(points)
    assert f"showing {POINT_BUDGET:,} of {POINT_BUDGET + 1000:,}" in fig.layout.title.text
    assert len(fig.to_json()) < 2_000_000

    ms = compare.milestones(frame)
    fig = milestones_figure(ms, timeline)
    assert len(fig.layout.annotations) == MILESTONE_ROWS
    assert f"showing {MILESTONE_ROWS} of {len(ms):,}" in fig.layout.title.text
