"""Plotly figure builders: one pure function per chart, fed by the filtered frame.

Every point carries its event id as the first `customdata` value, so a click maps back to its row.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from .compare import counterpart_pairs
from .schema import Timeline
from .style import (
    CONNECTOR_COLOR,
    ERA_COLOR,
    LANES,
    PRECISION_SYMBOLS,
    STATUS_LABELS,
    lane_colors,
    lane_labels,
)

LANE_Y = {lane: float(i) for i, lane in enumerate(LANES)}
ERA_ROW_Y = -1.0  # era bars sit under the lanes, one row per overlap level
ERA_ROW_STEP = 0.45
HOVER = (
    "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}"
    "<br>Status: %{customdata[4]}<extra></extra>"
)


def _escape(value: object) -> str:
    # Hover text is rendered as (limited) HTML: data must show as text, never as markup.
    return html.escape("" if value is None or value != value else str(value))


def _jitter(frame: pd.DataFrame) -> pd.Series:
    """Small vertical offsets so neighbours in a lane do not hide each other."""
    rank = frame.groupby("lane").cumcount()
    return (rank % 3 - 1) * 0.18


def _era_rows(timeline: Timeline) -> list[tuple[int, object]]:
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


def timeline_figure(
    frame: pd.DataFrame,
    timeline: Timeline,
    selected: str | None = None,
    era: str | None = None,
) -> go.Figure:
    """The parallel timeline: one lane per history, counterparts joined, eras underneath."""
    labels, colors = lane_labels(timeline), lane_colors(timeline)
    fig = go.Figure()
    frame = frame.assign(y=frame["lane"].map(LANE_Y) + _jitter(frame))

    pairs = counterpart_pairs(frame)
    if len(pairs):
        ys = frame.set_index("id")["y"]
        xs, yv = [], []
        for row in pairs.itertuples():
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
        symbols = [
            PRECISION_SYMBOLS[p] + ("-open" if a else "")
            for p, a in zip(rows["precision"], rows["approximate"], strict=True)
        ]
        custom = list(
            zip(
                rows["id"],
                rows["title"].map(_escape),
                rows["date_label"].map(_escape),
                [_escape(labels[lane])] * len(rows),
                rows["status"].map(lambda s: _escape(s) if isinstance(s, str) else "—"),
                strict=True,
            )
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
        fig.add_trace(
            go.Scatter(
                x=[row["x"]],
                y=[row["y"]],
                mode="markers",
                marker={
                    "symbol": "circle-open",
                    "size": 24,
                    "line": {"width": 3},
                    "color": "#F0E442",
                },
                name="Selected",
                customdata=[[row["id"]]],
                hoverinfo="skip",
            )
        )

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
            label={"text": html.escape(era_obj.label) if fits else "", "font": {"size": 10}},
        )
        hover_x.append((x0 + x1) / 2)
        hover_y.append(y)
        hover_text.append(
            f"<b>{html.escape(era_obj.label)}</b><br>"
            f"{era_obj.start.label()} – {era_obj.end.label()}"
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
        title={"text": f"{html.escape(timeline.title)}: the histories side by side"},
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
