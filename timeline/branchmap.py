"""The branch map: every history as a metro line that leaves its parent at its divergence.

Lanes follow the tree (root on top, each branch under its parent); an event is a station on its
own history's line. Shared events sit on the root's line: before any divergence every history
runs along the root's line, so each shared event is drawn (and clicked) once, where it belongs.
Production events are left to the parallel timeline: they are not moments of a history.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .chartparts import (
    CHAR_PX,
    PHONE_PLOT_PX,
    event_customdata,
    event_symbols,
    plain,
    ring,
    row_title,
    sampled_note,
    short,
    x_range,
    year_axis,
)
from .filters import thin
from .parallel import HOVER, MARKER_PX, key_events, stack_spans
from .schema import SHARED, Layer, Timeline
from .style import CONNECTOR_COLOR, TEMPLATE, boxed, history_colors
from .tree import tree_of

HISTORY_CLICK = "history:"  # a line's click value: the app focuses that history (ids have no ':')
STATION_BUDGET = 3000  # stations past this are an even sample (the title says so)
LINK_BUDGET = 150  # counterpart links drawn at most
LINE_POINTS = 24  # clickable points along each line
LABEL_CHARS = 28
NAME_CHARS = 36
FADED = 0.2  # opacity of what is not in focus
LANE_PX = 64
# An unseen marker under each label this wide: Plotly sets text that far off its point, so a
# label above its line and one below clear the line, its stations and each other.
LABEL_CLEAR_PX = 12
LABEL_FONT_PX = 11
LINE_COLUMNS = ("id", "label", "color", "parent", "y", "start", "end", "divergence")
# What stations, their hover text, links and labels read from the frame.
STATION_COLUMNS = (
    "id",
    "x",
    "history",
    "title",
    "date_label",
    "status",
    "precision",
    "inexact",
    "counterpart",
    "tag_keys",
)
TABLE_COLUMNS = ("History", "Parent", "Leaves at", "Events", "First", "Last")


def _world(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """The world events of `frame`, only the columns used: copies of 100k rows cost."""
    return frame.loc[frame["layer"] != Layer.production, list(columns)]


def _station_history(frame: pd.DataFrame, root: str) -> pd.Series:
    """The history whose line each event sits on: its own, the root's for shared events."""
    return frame["history"].where(frame["history"] != SHARED, root)


def branch_lines(timeline: Timeline, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per history in tree order: its lane `y`, and where its line starts and ends.

    A branch starts at its divergence's anchor, the root at the earliest event in `frame`; a
    line ends at its last event in `frame`, or further on where a child in view leaves it. A
    history with nothing in view has no end (NaN): it keeps its lane, without a line.
    """
    tree = tree_of(timeline)
    colors = history_colors(timeline)
    world = _world(frame, ("x", "history"))
    on = _station_history(world, tree.root)
    last = world["x"].groupby(on).max()
    start: dict[str, float] = {}
    for h in tree.order:
        pod = tree.divergence(h)
        start[h] = pod.date.anchor if pod else (world["x"].min() if len(world) else math.nan)
    end: dict[str, float] = {}
    for h in reversed(tree.order):  # children first: a parent's line runs to where they leave
        kids = [start[c] for c in tree.children[h] if end[c] == end[c] and start[c] >= start[h]]
        reach = [r for r in (last.get(h, math.nan), *kids) if r == r]
        end[h] = max(max(reach), start[h]) if reach else math.nan
    rows = [
        {
            "id": h,
            "label": tree.nodes[h].label,
            "color": colors[h],
            "parent": tree.nodes[h].parent,
            "y": float(i),
            "start": start[h],
            "end": end[h],
            "divergence": tree.nodes[h].divergence,
        }
        for i, h in enumerate(tree.order)
    ]
    return pd.DataFrame(rows, columns=list(LINE_COLUMNS))


def branch_table(timeline: Timeline, frame: pd.DataFrame) -> pd.DataFrame:
    """What the map shows, as a table: each history, where it leaves its parent, its events."""
    tree = tree_of(timeline)
    world = _world(frame, ("x", "history", "date_label"))
    on = _station_history(world, tree.root)
    rows = []
    for h in tree.order:
        node, pod = tree.nodes[h], tree.divergence(h)
        own = world[on == h]
        rows.append(
            {
                "History": node.label,
                "Parent": tree.nodes[node.parent].label if node.parent else "",
                "Leaves at": f"{pod.when()}: {pod.title}" if pod else "",
                "Events": len(own),
                "First": str(own["date_label"].iloc[int(own["x"].to_numpy().argmin())])
                if len(own)
                else "",
                "Last": str(own["date_label"].iloc[int(own["x"].to_numpy().argmax())])
                if len(own)
                else "",
            }
        )
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def branch_map_figure(
    frame: pd.DataFrame, timeline: Timeline, selected: str | None, focus: str | None
) -> go.Figure:
    """The histories as lines on a time axis, events as stations, counterparts joined.

    Each station's customdata starts with its event id; each line's clickable points carry
    `history:ID`. With `focus`, that history's line and stations stand out and the rest fade.
    """
    lines = branch_lines(timeline, frame)
    world = _world(frame, STATION_COLUMNS)
    root = str(lines["id"].iloc[0])
    low, high = x_range(world["x"].tolist())
    pods = [p for p in lines["divergence"] if isinstance(p, str)]
    shown = thin(world, STATION_BUDGET, keep=(selected, *pods))
    on = _station_history(shown, root)
    y_of = dict(zip(lines["id"], lines["y"], strict=True))
    shown = shown.assign(line=on, y=on.map(y_of))
    if focus not in set(lines["id"]):
        focus = None  # a stale id (an old address, another file) focuses nothing
    alpha = {h: 1.0 if focus in (None, h) else FADED for h in lines["id"]}
    fig = go.Figure(layout={"template": TEMPLATE})
    # Label priority: 3 divergences, 2 the selected event, 1 milestones, 0 none.
    priority = key_events(shown, "", selected)
    priority[shown["id"].isin(pods)] = 3
    key = shown[priority > 0].assign(priority=priority[priority > 0])
    fig.add_traces(_links(shown, alpha, set(key["id"]), focus))
    fig.add_traces(_line_traces(lines, low, high, alpha, focus))
    fig.add_traces(_stations(shown, lines, alpha, focus))
    fig.add_traces(_labels(key, lines, (low, high), alpha))
    if selected is not None and (shown["id"] == selected).any():
        hit = shown[shown["id"] == selected].iloc[0]
        fig.add_trace(ring(hit["x"], hit["y"], selected))
    n = len(lines)
    fig.update_layout(
        title={
            "text": "Where each history leaves its parent"
            + sampled_note(len(shown), len(world))
            + "<br><sup>Dotted: the same event in two histories. "
            "Click a line to focus it.</sup>"
        },
        xaxis=year_axis(low, high),
        # Lane names sit at the left edge halfway between lanes, in the lane's colour, clear
        # of the label rows above and below the lines (as tick labels inside the plot they
        # would hide the year ticks beneath them).
        annotations=[
            boxed(
                {
                    **row_title(y, f"<b>{plain(short(label, NAME_CHARS))}</b>"),
                    "y": y - 0.5,
                    "yanchor": "middle",
                    "font": {"size": 12, "color": color},
                }
            )
            for y, label, color in zip(lines["y"], lines["label"], lines["color"], strict=True)
        ],
        yaxis={
            "title": {"text": "History"},
            "range": [n - 0.4, -0.75],
            "tickvals": lines["y"].tolist(),
            "showticklabels": False,
            "showgrid": False,
            "fixedrange": True,
        },
        height=max(300, LANE_PX * n + 170),
        margin={"l": 10, "r": 10, "t": 80, "b": 60},
        showlegend=False,
        clickmode="event+select",
        dragmode="pan",
    )
    return fig


def _line_traces(
    lines: pd.DataFrame, low: float, high: float, alpha: dict[str, float], focus: str | None
) -> list[go.Scatter]:
    """Each history's line: a short diagonal off its parent's line, then along its lane.

    Points spread along the line carry `history:ID`, so a click anywhere near it focuses it.
    """
    y_of = dict(zip(lines["id"], lines["y"], strict=True))
    traces = []
    records: list[dict[Any, Any]] = lines.to_dict("records")  # plain values, typed Any
    for row in records:
        if row["end"] != row["end"]:
            continue
        begin, stop = max(row["start"], low), min(row["end"], high)
        if stop < begin:
            continue
        xs, ys = [begin, stop], [row["y"], row["y"]]
        if isinstance(row["parent"], str) and row["start"] >= low:
            # Leave the parent's line a little before the divergence: a metro-map elbow.
            xs, ys = [row["start"] - (high - low) * 0.025, *xs], [y_of[row["parent"]], *ys]
        picks = np.linspace(begin, stop, LINE_POINTS if stop > begin else 1)
        label = plain(row["label"])
        width = 6 if focus == row["id"] else 3.5
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": row["color"], "width": width},
                opacity=alpha[row["id"]],
                hoverinfo="skip",
                name=label,
            )
        )
        traces.append(
            go.Scatter(
                x=picks,
                y=np.full(len(picks), row["y"]),
                mode="markers",
                marker={"size": 14, "color": row["color"], "opacity": 0},
                customdata=np.array(
                    [[HISTORY_CLICK + row["id"], label]] * len(picks), dtype=object
                ),
                hovertemplate="<b>%{customdata[1]}</b><br>Click to focus this history"
                "<extra></extra>",
                name=label,
            )
        )
    return traces


def _stations(
    shown: pd.DataFrame, lines: pd.DataFrame, alpha: dict[str, float], focus: str | None
) -> list[go.Scatter]:
    traces = []
    labels = dict(zip(lines["id"], lines["label"], strict=True))
    colors = dict(zip(lines["id"], lines["color"], strict=True))
    for h in lines["id"]:
        sub = shown[shown["line"] == h]
        if sub.empty:
            continue
        where = pd.Series(labels[h], index=sub.index).mask(
            sub["history"] == SHARED, "Every history"
        )
        symbols, custom = event_symbols(sub), event_customdata(sub, where)
        traces.append(
            go.Scatter(
                x=sub["x"],
                y=sub["y"],
                mode="markers",
                marker={
                    "symbol": symbols,
                    "size": 12 if focus == h else 10,
                    "color": colors[h],
                    "line": {"width": 1.5, "color": "#FFFFFF"},
                },
                opacity=alpha[h],
                customdata=custom,
                hovertemplate=HOVER,
                name=plain(labels[h]),
            )
        )
    return traces


def _links(
    shown: pd.DataFrame, alpha: dict[str, float], keys: set[str], focus: str | None
) -> list[go.Scatter]:
    """Thin dotted lines between stations in view that are counterparts, each pair once.

    Past LINK_BUDGET pairs the map would be a hairball: links touching the focused history or
    a key event (divergence, selected, milestone) come first, then the others in date order.
    """
    linked = shown[shown["counterpart"].notna()]
    if linked.empty:
        return []
    ends = zip(shown["x"], shown["y"], shown["line"], strict=True)
    where = dict(zip(shown["id"], ends, strict=True))
    pairs: list[tuple[bool, float, float, float, float, bool]] = []
    for event_id, counterpart in zip(linked["id"], linked["counterpart"], strict=True):
        x0, y0, h0 = where[event_id]
        for ref in (counterpart,) if isinstance(counterpart, str) else counterpart:
            if ref not in where or ref < event_id:
                continue  # not in view, or drawn from the other end (counterparts point back)
            x1, y1, h1 = where[ref]
            first = focus in (h0, h1) or event_id in keys or ref in keys
            pairs.append((not first, x0, y0, x1, y1, max(alpha[h0], alpha[h1]) == 1.0))
    if len(pairs) > LINK_BUDGET:
        pairs = sorted(pairs, key=lambda p: p[0])[:LINK_BUDGET]  # stable: date order kept
    traces = []
    for bright in (True, False):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for _, x0, y0, x1, y1, lit in pairs:
            if lit == bright:
                xs += [x0, x1, None]
                ys += [y0, y1, None]
        if xs:
            traces.append(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": CONNECTOR_COLOR, "width": 1.5, "dash": "dot"},
                    opacity=1.0 if bright else FADED,
                    hoverinfo="skip",
                    name="Counterparts",
                )
            )
    return traces


def _labels(
    key: pd.DataFrame,
    lines: pd.DataFrame,
    axis: tuple[float, float],
    alpha: dict[str, float],
) -> list[go.Scatter]:
    """Titles of the divergences, the selected event and milestones, above or below their line.

    Per line, labels are packed (parallel.py's packing, sized for a phone-wide plot) into the
    row above the line and the row below; a label with no room is left to the hover text. Near
    the right edge a label runs leftwards from its station when it fits there.
    """
    low, high = axis
    per_px = (high - low) / PHONE_PLOT_PX
    texts: list[str] = []
    xs: list[float] = []
    ys: list[float] = []
    where: list[str] = []
    shade: list[float] = []
    for h in lines["id"]:
        sub = key[key["line"] == h].sort_values(["priority", "x"], ascending=[False, True])
        if sub.empty:
            continue
        titles = [short(t, LABEL_CHARS) for t in sub["title"]]
        width = np.array([(len(t) + 1) * CHAR_PX for t in titles]) * per_px
        # A label that would run past the right edge is written leftwards, if it fits there.
        at = sub["x"].to_numpy()
        left = (at + width > high) & (at - width >= low)
        pos = at - np.where(left, width, 0.0)
        half = MARKER_PX / 2 * per_px
        rows, fits = stack_spans(pos - half, pos + half, pos + half + width, len(pos))
        for i, (title, x, y) in enumerate(zip(titles, sub["x"], sub["y"], strict=True)):
            if fits[i] and rows[i] < 2:
                texts.append(plain(title) + " " if left[i] else " " + plain(title))
                xs.append(x)
                ys.append(y)
                side = "left" if left[i] else "right"
                where.append(("top " if rows[i] == 0 else "bottom ") + side)
                shade.append(alpha[h])
    # In the page's text colour (never a fixed dark grey: a dark page would hide it); the labels
    # of faded lines fade with them, a trace per opacity. Their unseen markers skip hover, so
    # clicks still reach the stations beneath.
    traces = []
    for opacity in sorted(set(shade), reverse=True):
        mine = [i for i, a in enumerate(shade) if a == opacity]
        traces.append(
            go.Scatter(
                x=[xs[i] for i in mine],
                y=[ys[i] for i in mine],
                mode="markers+text",
                marker={"size": LABEL_CLEAR_PX, "opacity": 0},
                text=[texts[i] for i in mine],
                textposition=[where[i] for i in mine],
                textfont={"size": LABEL_FONT_PX},
                opacity=opacity,
                hoverinfo="skip",
                name="Key events",
            )
        )
    return traces
