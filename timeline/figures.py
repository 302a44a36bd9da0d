"""Plotly figure builders: one pure function per chart, fed by the filtered frame.

Every point carries its event id as the first `customdata` value, so a click maps back to its row.
"""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .compare import DRIFT_STATUSES, NEVER, counterpart_pairs
from .filters import thin
from .frame import fast_rows
from .schema import Era, Timeline
from .style import (
    CONNECTOR_COLOR,
    ERA_COLOR,
    LANES,
    LEGEND_BELOW,
    LEGEND_MARGIN,
    PRECISION_SYMBOLS,
    STATUS_COLORS,
    STATUS_LABELS,
    lane_colors,
    lane_labels,
)

LANE_Y = {lane: float(i) for i, lane in enumerate(LANES)}
ERA_ROW_Y = -1.0  # era bars sit under the lanes, one row per overlap level
ERA_ROW_STEP = 0.45
# Point budgets: past these a chart shows an even sample (its title says so). They keep every
# chart under ~2 MB of JSON and readable; the tables and downloads keep every event.
POINT_BUDGET = 4000
MILESTONE_ROWS = 60
RIPPLE_PER_STEP = 40
HOVER = (
    "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}"
    "<br>Status: %{customdata[4]}<extra></extra>"
)


def sampled_note(shown: int, total: int) -> str:
    """Title suffix for a chart that shows a sample of its rows."""
    if shown >= total:
        return ""
    return f"<br><sup>showing {shown:,} of {total:,}: narrow the filters to see every one</sup>"


def _escape(value: object) -> str:
    # Hover text is rendered as (limited) HTML: data must show as text, never as markup.
    # quote=False: Plotly decodes &lt; &gt; &amp; but would show &quot; literally.
    return html.escape("" if value is None or value != value else str(value), quote=False)


def _jitter(frame: pd.DataFrame) -> pd.Series:
    """Small vertical offsets so neighbours in a lane do not hide each other."""
    rank = frame.groupby("lane").cumcount()
    return (rank % 3 - 1) * 0.18


def _era_rows(timeline: Timeline) -> list[tuple[int, Era]]:
    """Greedy row assignment so overlapping eras stack instead of covering each other."""
    rows: list[float] = []
    placed = []
    for era in sorted(timeline.eras, key=lambda e: e.start.start()):
        for i, last_end in enumerate(rows):
            if era.start.start() >= last_end:
                rows[i] = era.end.stop()
                placed.append((i, era))
                break
        else:
            rows.append(era.end.stop())
            placed.append((len(rows) - 1, era))
    return placed


def _year_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Round BC/AD tick labels (500 BC, AD 1, 500) for timelines that reach before year 1."""
    span = max(high - low, 1.0)
    step = 10 ** math.floor(math.log10(span / 6))
    step *= next(m for m in (1, 2, 5, 10) if span / (step * m) <= 8)
    first = math.floor(low / step) * step
    rounds = [first + i * step for i in range(int((high - first) / step) + 2)]
    # Astronomical year -499 is 500 BC; there is no year 0, so that tick marks AD 1.
    positions = [v + 1 if v <= 0 else v for v in rounds]
    labels = [f"{-v:g} BC" if v < 0 else ("AD 1" if v == 0 else f"{v:g}") for v in rounds]
    return positions, labels


def _ring(fig: go.Figure, x: object, y: object, event_id: str) -> None:
    """Circle the selected event, so the event in the details panel is found on every chart."""
    fig.add_trace(
        go.Scatter(
            x=[x],
            y=[y],
            mode="markers",
            marker={"symbol": "circle-open", "size": 24, "line": {"width": 3}, "color": "#F0E442"},
            name="Selected",
            customdata=[[event_id]],
            hoverinfo="skip",
        )
    )


def timeline_figure(
    frame: pd.DataFrame,
    timeline: Timeline,
    selected: str | None = None,
    era: str | None = None,
) -> go.Figure:
    """The parallel timeline: one lane per history, counterparts joined, eras underneath."""
    labels, colors = lane_labels(timeline), lane_colors(timeline)
    fig = go.Figure()
    total = len(frame)
    frame = thin(frame, POINT_BUDGET, keep=(selected, timeline.divergence))
    frame = frame.assign(y=frame["lane"].map(LANE_Y) + _jitter(frame))

    pairs = counterpart_pairs(frame)
    if len(pairs):
        ys = frame.set_index("id")["y"]
        xs, yv = [], []
        for row in fast_rows(pairs):
            xs += [row.reference_x, row.diverged_x, None]
            yv += [ys[row.reference_id], ys[row.diverged_id], None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=yv,
                mode="lines",
                line={"color": CONNECTOR_COLOR, "width": 1.5, "dash": "dot"},
                name="Counterparts",
                hoverinfo="skip",
            )
        )

    for lane in LANES:
        rows = frame[frame["lane"] == lane]
        if rows.empty:
            continue
        # numpy arrays, not lists: plotly validates lists item by item (~0.3 s at 4,000 points).
        symbols = np.array(
            [
                PRECISION_SYMBOLS[p] + ("-open" if a else "")
                for p, a in zip(rows["precision"], rows["approximate"], strict=True)
            ]
        )
        custom = np.column_stack(
            [
                rows["id"].to_numpy(dtype=object),
                rows["title"].map(_escape).to_numpy(dtype=object),
                rows["date_label"].map(_escape).to_numpy(dtype=object),
                np.full(len(rows), _escape(labels[lane]), dtype=object),
                rows["status"]
                .map(lambda s: _escape(s) if isinstance(s, str) else "—")
                .to_numpy(dtype=object),
            ]
        )
        fig.add_trace(
            go.Scatter(
                x=rows["x"],
                y=rows["y"],
                mode="markers",
                name=labels[lane],
                marker={
                    "symbol": symbols,
                    "size": 12,
                    "color": colors[lane],
                    "line": {"width": 1.5, "color": colors[lane]},
                },
                customdata=custom,
                hovertemplate=HOVER,
                legendgroup=lane,
                showlegend=False,
            )
        )
        # The lane's legend entry is a plain circle: the trace's own would take the shape of
        # its first point. Same group, so clicking it still hides the lane.
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "circle", "size": 10, "color": colors[lane]},
                name=labels[lane],
                legendgroup=lane,
                hoverinfo="skip",
            )
        )

    # Legend-only entries explain the marker shapes.
    for precision, symbol in PRECISION_SYMBOLS.items():
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": symbol, "size": 10, "color": "#777777"},
                name=f"Date to the {precision}",
                legendgroup="precision",
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "circle-open", "size": 10, "color": "#777777"},
            name="Approximate date (hollow)",
            legendgroup="precision",
            hoverinfo="skip",
        )
    )

    if selected is not None and selected in set(frame["id"]):
        row = frame[frame["id"] == selected].iloc[0]
        _ring(fig, row["x"], row["y"], selected)

    placed = _era_rows(timeline)
    rows_used = max((row for row, _ in placed), default=-1) + 1
    starts = [*frame["start"], *(e.start.start() for _, e in placed)]
    stops = [*frame["stop"], *(e.end.stop() for _, e in placed)]
    span = (max(stops) - min(starts)) if starts else 1.0
    hover_x, hover_y, hover_text = [], [], []
    for row_index, era_obj in placed:
        y = ERA_ROW_Y - row_index * ERA_ROW_STEP
        x0, x1 = era_obj.start.start(), era_obj.end.stop()
        highlight = era_obj.id == era
        # A label wider than its bar would spill over its neighbours: hover shows it instead.
        fits = (x1 - x0) / span * 110 >= len(era_obj.label) * 0.9
        fig.add_shape(
            type="rect",
            x0=x0,
            x1=x1,
            y0=y - 0.17,
            y1=y + 0.17,
            line={"width": 1, "color": "#777777"},
            fillcolor="rgba(230,159,0,0.45)" if highlight else ERA_COLOR,
            label={"text": _escape(era_obj.label) if fits else "", "font": {"size": 10}},
        )
        hover_x.append((x0 + x1) / 2)
        hover_y.append(y)
        hover_text.append(
            f"<b>{_escape(era_obj.label)}</b><br>{era_obj.start.label()} – {era_obj.end.label()}"
        )
        if highlight:
            fig.add_vrect(
                x0=x0, x1=x1, fillcolor="rgba(230,159,0,0.10)", line_width=0, layer="below"
            )
    if placed:
        fig.add_trace(
            go.Scatter(
                x=hover_x,
                y=hover_y,
                mode="markers",
                marker={"size": 14, "color": "rgba(0,0,0,0)"},
                hovertext=hover_text,
                hovertemplate="%{hovertext}<extra>Era</extra>",
                name="Eras",
                showlegend=False,
            )
        )

    pod = next((e for e in timeline.events if e.id == timeline.divergence), None)
    if pod is not None:
        fig.add_vline(
            x=pod.date.mid(),
            line={"color": colors["diverged"], "dash": "dash", "width": 2},
            annotation={"text": f"Point of divergence ({pod.date.label()})", "font": {"size": 11}},
            annotation_position="top left",
        )

    lane_ticks = [LANE_Y[lane] for lane in LANES]
    fig.update_layout(
        title={
            "text": f"{_escape(timeline.title)}: the histories side by side"
            + sampled_note(len(frame), total)
        },
        xaxis={"title": {"text": "Year"}, "showgrid": True, "zeroline": False},
        yaxis={
            "title": {"text": "History"},
            "tickvals": [*lane_ticks, ERA_ROW_Y - (rows_used - 1) * ERA_ROW_STEP / 2],
            "ticktext": [*[labels[lane] for lane in LANES], "Eras"],
            "range": [ERA_ROW_Y - rows_used * ERA_ROW_STEP, len(LANES) - 0.4],
            "zeroline": False,
            "fixedrange": True,
        },
        height=560,
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
        legend={"orientation": "h", "y": -0.15},
        clickmode="event+select",
        hovermode="closest",
    )
    if len(frame) and frame["x"].min() < 1:
        values, text = _year_ticks(float(frame["x"].min()), float(frame["x"].max()))
        fig.update_xaxes(tickvals=values, ticktext=text)
    return fig


def status_legend() -> dict[str, str]:
    """Status names and their explanations, for captions and tables."""
    return dict(STATUS_LABELS)


def _short(text: str, size: int = 42) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _mark_divergence(fig: go.Figure, timeline: Timeline) -> None:
    pod = next((e for e in timeline.events if e.id == timeline.divergence), None)
    if pod is not None:
        fig.add_vline(
            x=pod.date.mid(),
            line={"color": timeline.histories.diverged.color, "dash": "dash", "width": 2},
            annotation={"text": f"Point of divergence ({pod.date.label()})", "font": {"size": 11}},
            annotation_position="top right",
        )


def milestones_figure(
    milestones: pd.DataFrame, timeline: Timeline, selected: str | None = None
) -> go.Figure:
    """Dumbbells: each milestone's date in our history against the diverged one."""
    labels, colors = lane_labels(timeline), lane_colors(timeline)
    rows = milestones.reset_index(drop=True).head(MILESTONE_ROWS)
    names = [f"{i + 1}. {_short(m)}" for i, m in enumerate(rows["milestone"])]
    fig = go.Figure()
    xs, ys = [], []
    r: Any  # itertuples() rows: pandas types their fields as any scalar
    for name, r in zip(names, rows.itertuples(), strict=True):
        if pd.notna(r.reference_x) and pd.notna(r.diverged_x):
            xs += [r.reference_x, r.diverged_x, None]
            ys += [name, name, None]
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
    for side, symbol in (("reference", "circle"), ("diverged", "diamond")):
        has = rows[f"{side}_x"].notna()
        sub = rows[has]
        other = "diverged" if side == "reference" else "reference"
        fig.add_trace(
            go.Scatter(
                x=sub[f"{side}_x"],
                y=[n for n, h in zip(names, has, strict=True) if h],
                mode="markers",
                name=labels[side],
                marker={"symbol": symbol, "size": 12, "color": colors[side]},
                customdata=list(
                    zip(
                        sub[f"{side}_id"],
                        sub["milestone"].map(_escape),
                        sub[f"{side}_date"].map(_escape),
                        sub[f"{other}_date"].map(_escape),
                        sub["gap"].map(_escape),
                        strict=True,
                    )
                ),
                hovertemplate=(
                    f"<b>%{{customdata[1]}}</b><br>{_escape(labels[side])}: %{{customdata[2]}}"
                    f"<br>{_escape(labels[other])}: %{{customdata[3]}}"
                    "<br>Gap: %{customdata[4]}<extra></extra>"
                ),
            )
        )
    for side in ("reference", "diverged"):
        for i in np.flatnonzero(rows[f"{side}_id"] == selected):
            _ring(fig, rows.at[i, f"{side}_x"], names[i], str(selected))
    # Gap labels at the right of each row; one-sided rows say which history never got there.
    notes = []  # added at once: add_annotation one by one is quadratic in plotly
    for name, r in zip(names, rows.itertuples(), strict=True):
        known = [x for x in (r.reference_x, r.diverged_x) if pd.notna(x)]
        if not known:
            continue
        if pd.isna(r.reference_x) or pd.isna(r.diverged_x):
            missing = "reference" if pd.isna(r.reference_x) else "diverged"
            text = f"{labels[missing]}: {NEVER}"
        else:
            text = r.gap
        notes.append(
            {
                "x": max(known),
                "y": name,
                "text": _escape(text),
                "showarrow": False,
                "xanchor": "left",
                "xshift": 10,
                "font": {"size": 11},
            }
        )
    fig.update_layout(
        annotations=notes,
        title={
            "text": "Milestones compared: when each was reached in the two histories"
            + sampled_note(len(rows), len(milestones))
        },
        xaxis={"title": {"text": "Year"}},
        yaxis={"title": {"text": "Milestone"}, "autorange": "reversed", "type": "category"},
        height=max(320, 28 * len(rows) + 140),
        margin={"l": 10, "r": 160, "t": 60, "b": 70},
        legend=LEGEND_BELOW,
        hovermode="closest",
        clickmode="event+select",
    )
    return fig


def _disjoint_eras(timeline: Timeline) -> list[Era]:
    """World eras that do not overlap, shortest first: shading them never stacks up."""
    chosen: list[Era] = []
    world = [e for e in timeline.eras if e.layer is None or e.layer.value == "world"]
    for era in sorted(world, key=lambda e: e.end.stop() - e.start.start()):
        if all(
            era.end.stop() <= c.start.start() or era.start.start() >= c.end.stop() for c in chosen
        ):
            chosen.append(era)
    return sorted(chosen, key=lambda e: e.start.start())


def drift_figure(drift: pd.DataFrame, timeline: Timeline) -> go.Figure:
    """Stacked cumulative counts of changed events per status, year by year."""
    fig = go.Figure()
    for status in DRIFT_STATUSES:
        fig.add_trace(
            go.Scatter(
                x=list(drift.index),
                y=list(drift[status]),
                mode="lines",
                stackgroup="drift",
                name=STATUS_LABELS[status],
                line={"color": STATUS_COLORS[status], "width": 1},
                hovertemplate=f"%{{x}}: %{{y}} {status}<extra></extra>",
            )
        )
    for era in _disjoint_eras(timeline):
        # Upright labels fit even one-year bands.
        fig.add_vrect(
            x0=era.start.start(),
            x1=era.end.stop(),
            fillcolor=ERA_COLOR,
            line_width=0,
            layer="below",
            annotation_text=_escape(_short(era.label, 30)),
            annotation_position="inside top left",
            annotation_textangle=-90,
            annotation_font_size=10,
        )
    _mark_divergence(fig, timeline)
    if len(drift.index):
        fig.update_xaxes(range=[drift.index.min() - 1, drift.index.max() + 1])
    fig.update_layout(
        title={"text": "Divergence over time: changed events so far, by status"},
        xaxis={"title": {"text": "Year"}},
        yaxis={"title": {"text": "Events changed (cumulative)"}},
        height=460,
        legend=LEGEND_BELOW,
        margin=LEGEND_MARGIN,
        hovermode="x unified",
    )
    return fig


def ripple_figure(
    ripple: pd.DataFrame, timeline: Timeline, selected: str | None = None
) -> go.Figure:
    """The chain of consequences: columns are the causal distance from the divergence."""
    # The events nearest in time at each step, when a step has more than fit on screen.
    rows = ripple.groupby("depth", sort=False).head(RIPPLE_PER_STEP).reset_index(drop=True)
    rows = rows.assign(slot=rows.groupby("depth").cumcount())
    size = rows.groupby("depth")["slot"].transform("max") + 1
    # Centre each column so the graph reads as layers fanning out from the divergence.
    rows["y"] = rows["slot"] - (size - 1) / 2
    pos = rows.set_index("id")[["depth", "y"]]
    xs, ys = [], []
    r: Any  # itertuples() rows: pandas types their fields as any scalar
    for r in rows.itertuples():
        for parent in (p for p in r.parents if p in pos.index):
            xs += [pos.at[parent, "depth"], r.depth, None]
            ys += [pos.at[parent, "y"], r.y, None]
    fig = go.Figure(
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
    # Labels only while columns are wide enough to hold them; hover always works.
    mode = "markers+text" if depth_max <= 5 else "markers"
    for status, group in rows.groupby(rows["status"].fillna("—"), sort=False):
        fig.add_trace(
            go.Scatter(
                x=group["depth"],
                y=group["y"],
                mode=mode,
                text=group["title"].map(lambda t: _escape(_short(t, 26))),
                textposition="middle right",
                textfont={"size": 10},
                name=STATUS_LABELS.get(status, status),
                marker={
                    "size": 14,
                    "color": STATUS_COLORS.get(status, "#777777"),
                    "line": {"width": 1, "color": "#333333"},
                },
                customdata=list(
                    zip(
                        group["id"],
                        group["title"].map(_escape),
                        group["date_label"].map(_escape),
                        group["depth"],
                        strict=True,
                    )
                ),
                hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}"
                "<br>Causal distance: %{customdata[3]}<extra></extra>",
            )
        )
    if selected is not None and selected in pos.index:
        _ring(fig, pos.at[selected, "depth"], pos.at[selected, "y"], selected)
    fig.update_layout(
        title={
            "text": "Ripples: consequences of the point of divergence, step by step"
            + sampled_note(len(rows), len(ripple))
        },
        xaxis={
            "title": {"text": "Causal distance from the divergence (steps)"},
            "tickvals": list(range(depth_max + 1)),
            "range": [-0.4, depth_max + 1.2],
        },
        yaxis={"title": {"text": "Events at that distance"}, "showticklabels": False},
        height=max(420, 34 * int(size.max() if len(rows) else 1) + 160),
        legend=LEGEND_BELOW,
        margin=LEGEND_MARGIN,
        hovermode="closest",
        clickmode="event+select",
    )
    return fig


def time_jumps_figure(jumps: pd.DataFrame, timeline: Timeline) -> go.Figure:
    """Each release (a season, a book) against the in-universe years it is set in."""
    colors = lane_colors(timeline)
    fig = go.Figure()
    r: Any  # itertuples() rows: pandas types their fields as any scalar
    for r in jumps.itertuples():
        fig.add_trace(
            go.Scatter(
                x=[r.released_x, r.released_x],
                y=[r.set_from, r.set_to],
                mode="lines+markers",
                line={"color": colors["diverged"], "width": 8},
                marker={"size": 8, "color": colors["diverged"]},
                name=_escape(r.title),
                showlegend=False,
                customdata=[[r.id, _escape(r.title), _escape(r.released), _escape(r.setting)]] * 2,
                hovertemplate="<b>%{customdata[1]}</b><br>Released %{customdata[2]}"
                "<br>Set in: %{customdata[3]}<extra></extra>",
            )
        )
        fig.add_annotation(
            x=r.released_x,
            y=r.set_to,
            text=_escape(_short(r.title, 28)),
            showarrow=False,
            yanchor="bottom",
            font={"size": 10},
        )
    if len(jumps):
        low = float(min(jumps["set_from"].min(), jumps["released_x"].min()))
        high = float(max(jumps["set_to"].max(), jumps["released_x"].max()))
        fig.add_trace(
            go.Scatter(
                x=[low, high],
                y=[low, high],
                mode="lines",
                name="Set in its own release year",
                line={"color": "#999999", "dash": "dot"},
                hoverinfo="skip",
            )
        )
    fig.update_layout(
        title={"text": "Time jumps: when each part came out, and the years it is set in"},
        xaxis={"title": {"text": "Release date"}},
        yaxis={"title": {"text": "Years it is set in"}},
        height=480,
        legend=LEGEND_BELOW,
        margin=LEGEND_MARGIN,
        hovermode="closest",
    )
    return fig


def era_summary_figure(summary: pd.DataFrame, timeline: Timeline) -> go.Figure:
    """Events per history in each era, with diverged events split by status."""
    labels, colors = lane_labels(timeline), lane_colors(timeline)
    fig = go.Figure()
    for lane in ("reference", "shared", "production"):
        fig.add_trace(
            go.Bar(
                x=summary["era"],
                y=summary[lane],
                name=labels[lane],
                offsetgroup=lane,
                marker_color=colors[lane],
                hovertemplate=f"%{{x}}<br>{_escape(labels[lane])}: %{{y}}<extra></extra>",
            )
        )
    for status in ("shifted", "replaced", "new"):
        fig.add_trace(
            go.Bar(
                x=summary["era"],
                y=summary[status],
                offsetgroup="diverged",
                name=f"{labels['diverged']}: {status}",
                marker_color=STATUS_COLORS[status],
                marker_line={"color": colors["diverged"], "width": 1.5},
                hovertemplate=f"%{{x}}<br>{_escape(labels['diverged'])} {status}: %{{y}}"
                "<extra></extra>",
            )
        )
    fig.update_layout(
        title={"text": "Per era: events in each history, diverged ones by status"},
        barmode="relative",
        xaxis={"title": {"text": "Era"}},
        yaxis={"title": {"text": "Events"}},
        height=460,
        legend=LEGEND_BELOW,
        margin=LEGEND_MARGIN,
    )
    return fig
