"""Plotly builders of the comparison charts: one pure function per chart, fed by its view's data.

Every point carries its event id as the first `customdata` value, so a click maps back to its row.
The parallel timeline lives in `parallel.py`; the parts all charts share in `chartparts.py`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .chartparts import (
    CHAR_PX,
    PHONE_PLOT_PX,
    ROW_TITLE_LIFT,
    chart_title,
    era_strip,
    pack_eras,
    plain,
    ring,
    row_axis,
    row_px,
    row_title,
    sampled_note,
    short,
    title_lines,
    x_range,
    year_axis,
)
from .compare import DRIFT_STATUSES
from .parallel import timeline_figure
from .schema import Comparison, Event, Status
from .style import (
    CONNECTOR_COLOR,
    LEGEND_MARGIN,
    NEUTRAL_COLOR,
    NO_STATUS_SYMBOL,
    STATUS_SYMBOLS,
    TEMPLATE,
    lane_colors,
    lane_labels,
    status_fill,
)

__all__ = [
    "drift_figure",
    "era_summary_figure",
    "milestones_figure",
    "ripple_figure",
    "time_jumps_figure",
    "timeline_figure",
]

MILESTONE_ROWS = 60
RIPPLE_PER_STEP = 40
MILESTONE_ROW_PX = 46
DRIFT_KEY_PX = 90  # the drift key's entries take two lines each: four rows of them on a phone
TITLE_LINE_PX = 20  # a title line of its own, in small type: the margin a third line needs


def milestones_figure(
    milestones: pd.DataFrame, timeline: Comparison, selected: str | None = None
) -> go.Figure:
    """Dumbbells in date order: each milestone's date in our history against the diverged one.

    Each row's title is written in full above its dumbbell (no cut-off tick labels); the two
    markers sit a little apart vertically, so equal dates still show both.
    """
    labels, colors = lane_labels(timeline), lane_colors(timeline)
    rows = milestones.head(MILESTONE_ROWS).reset_index(drop=True)
    n = len(rows)
    titles = []
    r: Any
    for r in rows.itertuples():
        if pd.isna(r.reference_x) or pd.isna(r.diverged_x):
            missing = "reference" if pd.isna(r.reference_x) else "diverged"
            reason = r.reference_date if missing == "reference" else r.diverged_date
            gap = f"{labels[missing]}: {reason}"
        else:
            gap = r.gap
        titles.append(title_lines(r.milestone, gap))
    # A row a wrapped title makes taller keeps its title and markers where a one-line row has
    # them (in pixels): the room goes above the title.
    height = row_px(MILESTONE_ROW_PX, titles)
    apart, lift = 0.12 * MILESTONE_ROW_PX / height, ROW_TITLE_LIFT * MILESTONE_ROW_PX / height
    fig = go.Figure(layout={"template": TEMPLATE})
    both = rows["reference_x"].notna() & rows["diverged_x"].notna()
    xs: list[Any] = []
    ys: list[Any] = []
    for i in np.flatnonzero(both):
        xs += [rows.at[i, "reference_x"], rows.at[i, "diverged_x"], None]
        ys += [i + apart, i - apart, None]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": CONNECTOR_COLOR, "width": 3},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    offsets = {"reference": apart, "diverged": -apart}
    for side, symbol in (("reference", "circle"), ("diverged", "diamond")):
        other = "diverged" if side == "reference" else "reference"
        idx = np.flatnonzero(rows[f"{side}_x"].notna())
        sub = rows.iloc[idx]
        fig.add_trace(
            go.Scatter(
                x=sub[f"{side}_x"],
                y=idx + offsets[side],
                mode="markers",
                name=plain(labels[side]),
                marker={"symbol": symbol, "size": 13, "color": colors[side]},
                customdata=np.column_stack(
                    [
                        sub[f"{side}_id"].to_numpy(dtype=object),
                        sub["milestone"].map(plain).to_numpy(dtype=object),
                        sub[f"{side}_date"].map(plain).to_numpy(dtype=object),
                        sub[f"{other}_date"].map(plain).to_numpy(dtype=object),
                        sub["gap"].map(plain).to_numpy(dtype=object),
                    ]
                )
                if len(sub)
                else None,
                hovertemplate=(
                    f"<b>%{{customdata[1]}}</b><br>{plain(labels[side])}: %{{customdata[2]}}"
                    f"<br>{plain(labels[other])}: %{{customdata[3]}}"
                    "<br>Gap: %{customdata[4]}<extra></extra>"
                ),
            )
        )
        for i in np.flatnonzero(rows[f"{side}_id"] == selected):
            fig.add_trace(ring(rows.at[i, f"{side}_x"], i + offsets[side], str(selected)))
    low, high = x_range([*rows["reference_x"].dropna(), *rows["diverged_x"].dropna()])
    # Added at once: add_annotation one by one is quadratic in plotly.
    notes = [row_title(row, "<br>".join(lines), lift) for row, lines in enumerate(titles)]
    fig.update_layout(
        annotations=notes,
        title={
            "text": chart_title("Milestones", "when each was reached in the two histories")
            + sampled_note(n, len(milestones))
        },
        xaxis=year_axis(low, high),
        yaxis=row_axis(n),
        height=max(320, height * n + 190),
        clickmode="event+select",
    )
    return fig


def drift_figure(drift: pd.DataFrame, timeline: Comparison) -> go.Figure:
    """Changed events so far, by status, in the diverged history's colour (status as pattern);
    the eras in a strip underneath, labelled without overlap."""
    colors, labels = lane_colors(timeline), lane_labels(timeline)
    years = [float(y) for y in drift.index]
    low, high = x_range(years, (years[0], years[-1] + 1) if years else None)
    # Each year's step runs to the next; the last one to the end of its year (drawn to its start
    # alone it had no width, a bare vertical line).
    steps = [*years, years[-1] + 1] if years else []
    eras = pack_eras(
        [e for e in timeline.eras if e.layer is None or e.layer.value == "world"], low, high
    )
    era_rows = max((p.row for p in eras), default=-1) + 1
    plot_px, strip_px = 340, 20 * max(era_rows, 1)
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[plot_px / (plot_px + strip_px), strip_px / (plot_px + strip_px)],
        vertical_spacing=0.03,
    )
    fig.update_layout(template=TEMPLATE)
    for status in DRIFT_STATUSES:
        st = Status(status)
        side = "reference" if st is Status.prevented else "diverged"
        fig.add_trace(
            go.Scatter(
                x=steps,
                y=[*drift[status], *drift[status].iloc[-1:]],
                mode="lines",
                line_shape="hv",
                stackgroup="drift",
                # What the status means on a line of its own: on one line, a phone cut it off.
                name=f"{st.label} ({plain(labels[side])}):<br>{st.explanation}",
                line={"color": colors[side], "width": 1},
                fillcolor=colors[side],
                fillpattern=status_fill(st, colors[side]),
                hovertemplate=f"%{{x:.0f}}: %{{y}} {st.label.lower()} so far<extra></extra>",
            ),
            row=1,
            col=1,
        )
    y_of_row = {r: float(era_rows - 1 - r) for r in range(era_rows)}
    traces, notes = era_strip(eras, y_of_row, None, xaxis="x2")
    for trace in traces:
        fig.add_trace(trace, row=2, col=1)
    pod_event = timeline.divergence_event()
    hidden = _hidden_note(pod_event) if years and years[0] > pod_event.date.year else ""
    pod = pod_event.date.anchor
    if low <= pod <= high:
        fig.add_vline(
            x=pod,
            line={"color": colors["diverged"], "dash": "dash", "width": 2},
            annotation={"text": "Point of divergence", "font": {"size": 11}},
            annotation_position="top right",
            row=1,
            col=1,
        )
    axis = year_axis(low, high)
    fig.update_xaxes(**{k: v for k, v in axis.items() if k != "title"})
    fig.update_xaxes(title={"text": "Year"}, row=2, col=1)
    fig.update_yaxes(title={"text": "Events changed so far"}, row=1, col=1)
    fig.update_yaxes(
        showticklabels=False,
        showgrid=False,
        fixedrange=True,
        range=[-0.6, max(era_rows, 1) - 0.4],
        row=2,
        col=1,
    )
    fig.update_layout(
        title={
            "text": chart_title("Divergence over time", "changed events so far, by status") + hidden
        },
        annotations=[*fig.layout.annotations, *notes],
        height=plot_px + strip_px + 220 + DRIFT_KEY_PX,
        margin={
            **LEGEND_MARGIN,
            "t": LEGEND_MARGIN["t"] + (TITLE_LINE_PX if hidden else 0),
            "b": LEGEND_MARGIN["b"] + DRIFT_KEY_PX,
        },
        hovermode="x unified",
    )
    return fig


def ripple_figure(
    ripple: pd.DataFrame, timeline: Comparison, selected: str | None = None
) -> go.Figure:
    """The chain of consequences: columns are steps from the divergence, height is the date.

    Colour is the event's history, shape its status; the first steps carry their titles.
    """
    labels, colors = lane_labels(timeline), lane_colors(timeline)
    rows = ripple.groupby("depth", sort=False).head(RIPPLE_PER_STEP).reset_index(drop=True)
    pos = rows.set_index("id")[["depth", "x"]]
    xs: list[Any] = []
    ys: list[Any] = []
    r: Any
    for r in rows.itertuples():
        for parent in (p for p in r.parents if p in pos.index):
            xs += [pos.at[parent, "depth"], r.depth, None]
            ys += [pos.at[parent, "x"], r.x, None]
    fig = go.Figure(layout={"template": TEMPLATE})
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": CONNECTOR_COLOR, "width": 1},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    depth_max = int(rows["depth"].max()) if len(rows) else 0
    low, high = x_range(rows["x"].tolist())
    label_rows = _ripple_labels(rows, low, high)
    for lane, group in rows.groupby("lane", sort=False):
        symbols = [
            STATUS_SYMBOLS.get(Status(s), NO_STATUS_SYMBOL)
            if isinstance(s, str) and s
            else NO_STATUS_SYMBOL
            for s in group["status"]
        ]
        fig.add_trace(
            go.Scatter(
                x=group["depth"],
                y=group["x"],
                mode="markers+text",
                text=[
                    plain(short(t, 24)) if i in label_rows else ""
                    for i, t in zip(group.index, group["title"], strict=True)
                ],
                textposition="middle right",
                textfont={"size": 10},
                name=plain(labels[str(lane)]),
                marker={
                    "size": 13,
                    "symbol": symbols,
                    "color": colors[str(lane)],
                    "line": {"width": 1.5, "color": colors[str(lane)]},
                },
                customdata=np.column_stack(
                    [
                        group["id"].to_numpy(dtype=object),
                        group["title"].map(plain).to_numpy(dtype=object),
                        group["date_label"].map(plain).to_numpy(dtype=object),
                        group["depth"].to_numpy(dtype=object),
                        group["status"]
                        .map(lambda s: Status(s).label if isinstance(s, str) and s else "—")
                        .to_numpy(dtype=object),
                    ]
                ),
                hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}"
                "<br>Steps from the divergence: %{customdata[3]}"
                "<br>Status: %{customdata[4]}<extra></extra>",
            )
        )
    for st, symbol in STATUS_SYMBOLS.items():
        if st.value in set(rows["status"].dropna()):
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    marker={"symbol": symbol, "size": 10, "color": NEUTRAL_COLOR},
                    name=f"{st.label}: {st.explanation}",
                    hoverinfo="skip",
                )
            )
    if selected is not None and selected in pos.index:
        fig.add_trace(ring(pos.at[selected, "depth"], pos.at[selected, "x"], selected))
    first = int(rows["depth"].min()) if len(rows) else 0
    fig.update_layout(
        title={
            "text": chart_title("Ripples", "what the point of divergence led to, step by step")
            + _outside_note(timeline, first)
            + sampled_note(len(rows), len(ripple))
        },
        xaxis={
            "title": {"text": "Steps from the point of divergence (cause → effect)"},
            "tickvals": list(range(first, depth_max + 1)),
            "range": [first - 0.3, depth_max + 2.2],
            "showgrid": False,
        },
        yaxis={**year_axis(low, high, "Date of the event"), "autorange": "reversed", "range": None},
        height=max(
            460, min(1200, 14 * int(rows.groupby("depth").size().max() if len(rows) else 1) + 300)
        ),
        clickmode="event+select",
    )
    return fig


def _ripple_labels(
    rows: pd.DataFrame, low: float, high: float, plot_w: float = 620.0, plot_h: float = 420.0
) -> set[int]:
    """Nodes that get a title: nearest the divergence first, a label only where its box
    (estimated for a desktop-wide plot) covers no other label and no other node."""
    depth_max = int(rows["depth"].max()) if len(rows) else 0

    def px(depth: float, x: float) -> tuple[float, float]:
        return depth / (depth_max + 2.5) * plot_w, (x - low) / max(high - low, 1e-9) * plot_h

    nodes = [px(d, x) for d, x in zip(rows["depth"], rows["x"], strict=True)]
    boxes: list[tuple[float, float, float, float]] = []
    keep: set[int] = set()
    order = sorted(range(len(rows)), key=lambda i: (rows["depth"].iat[i], rows["x"].iat[i]))
    for i in order:
        cx, cy = nodes[i]
        width = (min(len(str(rows["title"].iat[i])), 24) + 2) * CHAR_PX
        box = (cx + 6, cx + 6 + width, cy - 8, cy + 8)
        hits_node = any(
            box[0] - 7 <= nx <= box[1] and box[2] - 7 <= ny <= box[3] + 7
            for j, (nx, ny) in enumerate(nodes)
            if j != i
        )
        hits_label = any(
            box[0] < b[1] and b[0] < box[1] and box[2] < b[3] and b[2] < box[3] for b in boxes
        )
        if not hits_node and not hits_label:
            boxes.append(box)
            keep.add(int(rows.index[i]))
    return keep


def _outside_note(timeline: Comparison, first: int) -> str:
    """Title line for ripples whose point of divergence the filters hide (no step 0 shown)."""
    return "" if first == 0 else _hidden_note(timeline.own_divergence_event())


def _hidden_note(pod: Event) -> str:
    """Title line of a chart that starts after the point of divergence, the filters hiding it."""
    # Short enough for a phone's title line.
    return f"<br><sup>point of divergence ({plain(pod.date.label())}) filtered out</sup>"


def time_jumps_figure(jumps: pd.DataFrame, timeline: Comparison) -> go.Figure:
    """One row per release: a bar over the years it is set in, a diamond at its release date."""
    total = len(jumps)
    jumps = jumps.head(MILESTONE_ROWS).reset_index(drop=True)  # rows past this are unreadable
    colors = lane_colors(timeline)
    production = colors["production"]
    n = len(jumps)
    titles = [
        title_lines(
            str(r.title),
            f"released {r.released} · set in "
            + (r.setting if isinstance(r.setting, str) else "setting years not known"),
        )
        for r in jumps.itertuples()
    ]
    # As in the milestones chart: a taller row keeps its bar and title where they were.
    height = row_px(MILESTONE_ROW_PX, titles)
    lift = ROW_TITLE_LIFT * MILESTONE_ROW_PX / height
    fig = go.Figure(layout={"template": TEMPLATE})
    known = jumps[jumps["set_from"].notna()]
    rows = list(range(n))
    fig.add_trace(
        go.Bar(
            base=known["set_from"],
            x=known["set_to"] - known["set_from"],
            y=[rows[i] for i in np.flatnonzero(jumps["set_from"].notna())],
            orientation="h",
            width=0.5 * MILESTONE_ROW_PX / height,
            marker={"color": colors["diverged"], "opacity": 0.75},
            name="Years it is set in",
            customdata=np.column_stack(
                [
                    known["id"].to_numpy(dtype=object),
                    known["title"].map(plain).to_numpy(dtype=object),
                    known["setting"].map(plain).to_numpy(dtype=object),
                ]
            )
            if len(known)
            else None,
            hovertemplate="<b>%{customdata[1]}</b><br>Set in: %{customdata[2]}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=jumps["released_x"],
            y=rows,
            mode="markers",
            marker={"symbol": "diamond", "size": 13, "color": production},
            name="Released",
            customdata=np.column_stack(
                [
                    jumps["id"].to_numpy(dtype=object),
                    jumps["title"].map(plain).to_numpy(dtype=object),
                    jumps["released"].map(plain).to_numpy(dtype=object),
                ]
            )
            if n
            else None,
            hovertemplate="<b>%{customdata[1]}</b><br>Released %{customdata[2]}<extra></extra>",
        )
    )
    low, high = x_range(
        [*jumps["released_x"], *known["set_from"], *known["set_to"]],
    )
    notes = [row_title(i, "<br>".join(lines), lift) for i, lines in enumerate(titles)]
    fig.update_layout(
        title={
            "text": chart_title("Time jumps", "when each part came out, and the years it is set in")
            + sampled_note(len(jumps), total)
        },
        xaxis=year_axis(low, high),
        yaxis=row_axis(n),
        annotations=notes,
        height=max(300, height * n + 190),
        barmode="overlay",
        clickmode="event+select",
    )
    return fig


def era_summary_figure(summary: pd.DataFrame, timeline: Comparison) -> go.Figure:
    """Horizontal stacked bars per era: events of each history, diverged ones split by status."""
    labels, colors = lane_labels(timeline), lane_colors(timeline)
    names = [plain(e) for e in summary["era"]]
    fig = go.Figure(layout={"template": TEMPLATE})

    def bar(column: str, name: str, color: str, status: Status | None = None) -> None:
        values = summary[column].where(summary[column] > 0)  # no zero-width slivers
        fig.add_trace(
            go.Bar(
                y=names,
                x=values,
                name=name,
                orientation="h",
                marker={"color": color, "pattern": status_fill(status, color) if status else None},
                hovertemplate=f"%{{y}}<br>{name}: %{{x}}<extra></extra>",
            )
        )

    bar("reference", plain(labels["reference"]), colors["reference"])
    bar("shared", plain(labels["shared"]), colors["shared"])
    for status in ("shifted", "replaced", "new"):
        st = Status(status)
        bar(
            status,
            f"{plain(labels['diverged'])}: {st.label.lower()}",
            colors["diverged"],
            st,
        )
    bar("production", plain(labels["production"]), colors["production"])
    longest = max((len(n) for n in names), default=10)
    fig.update_layout(
        title={
            "text": chart_title("Per era", "events of each history, the diverged ones by status")
        },
        barmode="stack",
        xaxis={"title": {"text": "Events"}},
        yaxis={
            "title": {"text": ""},
            "autorange": "reversed",
            "type": "category",
            "automargin": True,
            "ticklabelstandoff": 4,
        },
        legend={**dict(fig.layout.legend.to_plotly_json()), "traceorder": "normal"},
        height=max(320, 34 * len(names) + 200),
        margin={
            "l": min(10 + int(longest * CHAR_PX), int(PHONE_PLOT_PX / 2)),
            "r": 10,
            "t": 60,
            "b": 110,
        },
    )
    return fig
