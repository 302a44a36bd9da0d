"""The parallel timeline: one lane per history, events stacked so none hides another.

Laid out the way vis-timeline stacks items: within a lane, an event goes in the first row where
its marker (and its label, for key events) fits; eras sit in a strip underneath. The axis
follows what is shown.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .chartparts import (
    CHAR_PX,
    DESKTOP_PLOT_PX,
    PHONE_PLOT_PX,
    era_strip,
    event_customdata,
    event_symbols,
    pack_eras,
    plain,
    ring,
    sampled_note,
    short,
    x_range,
    year_axis,
)
from .compare import MILESTONE_TAG
from .dates import gap_label
from .filters import thin
from .frame import KEY_SEPARATOR
from .schema import SHARED, Comparison, Event, Timeline
from .style import (
    CONNECTOR_COLOR,
    ERA_HIGHLIGHT_BAND,
    LANES,
    NEUTRAL_COLOR,
    TEMPLATE,
    boxed,
    lane_colors,
    lane_labels,
)
from .tree import tree_of

POINT_BUDGET = 4000  # past this the chart shows an even sample (its title says so)
LINK_BUDGET = 120  # counterpart links drawn; past it, the title says how many are left out
MAX_ROWS = 16  # rows per lane; past it events share the least crowded row
MARKER_PX = 13.0  # a marker and the gap it needs
ROW_PX = 24.0
LABEL_CHARS = 30
MIN_LABEL_CHARS = 8  # a label cut shorter than this says nothing (hover still has the title)
HOVER_CHARS = 48  # a hover line a 390 px phone shows whole
HOVER_SPOTS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)  # along a link, from its middle out
SHAPE_KEY = "Date to the ● day ◆ month ■ year ▲ decade; hollow: approximate"
HOVER = (
    "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}"
    "<br>Status: %{customdata[4]}<extra></extra>"
)
# A link's hover: hovertext, never customdata, so a click on it selects no event.
LINK_HOVER = "<b>Counterparts</b><br>%{hovertext}<extra></extra>"


@dataclass(frozen=True)
class Placed:
    """Where each shown event sits: its lane row, its y, and whether it carries a label."""

    rows: pd.DataFrame  # the shown (maybe sampled) events with `row`, `y`, `label`, `label_x`
    lane_rows: dict[str, int]  # rows used per lane
    lane_top: dict[str, float]  # y of each lane's label
    total: int


def key_events(
    frame: pd.DataFrame, divergence: str | Sequence[str], selected: str | None
) -> pd.Series:
    """Label priority per event: 3 a divergence, 2 the selected one, 1 milestones, 0 none."""
    milestone = frame["tag_keys"].str.contains(f"{KEY_SEPARATOR}{MILESTONE_TAG}{KEY_SEPARATOR}")
    priority = milestone.astype(int)
    priority[frame["id"] == selected] = 2
    pods = [divergence] if isinstance(divergence, str) else list(divergence)
    priority[frame["id"].isin(pods)] = 3
    return priority


def lane_order(timeline: Comparison | Timeline) -> tuple[str, ...]:
    """Lanes bottom to top: a pair's four, or every history of a tree (the root on top)."""
    if isinstance(timeline, Comparison):
        return LANES
    return ("production", SHARED, *reversed(tree_of(timeline).order))


def lane_rank(timeline: Comparison | Timeline) -> dict[str, int]:
    """Lanes from the oldest history: the reference before the diverged side, the root first."""
    if isinstance(timeline, Comparison):
        return {"reference": 0, "diverged": 1, SHARED: 2, "production": 3}
    return {h: i for i, h in enumerate(tree_of(timeline).order)}


def links_note(drawn: int, total: int) -> str:
    """Title suffix when some counterpart links are left out so the chart stays readable."""
    if drawn >= total:
        return ""
    return (
        f"<br><sup>{drawn:,} of {total:,} counterpart links drawn (milestones and divergences "
        "first): narrow the filters to see every one</sup>"
    )


def divergences(timeline: Comparison | Timeline) -> list[Event]:
    """The points of divergence drawn: the pair's, or every branch's."""
    if isinstance(timeline, Comparison):
        return [timeline.divergence_event()]
    tree = tree_of(timeline)
    return [p for h in tree.order if (p := tree.divergence(h)) is not None]


def place(
    frame: pd.DataFrame,
    timeline: Comparison | Timeline,
    selected: str | None,
    span: float,
    era_rows: int,
) -> Placed:
    """Lane rows and y positions for the shown events, bottom lane first, eras below."""
    total = len(frame)
    pods = [p.id for p in divergences(timeline)]
    frame = thin(frame, POINT_BUDGET, keep=(selected, *pods))
    priority = key_events(frame, pods, selected)
    lanes_in_order = lane_order(timeline)
    beyond = frame["beyond"].to_numpy() if "beyond" in frame else np.zeros(len(frame), dtype=int)
    edge_text = edge_labels(frame["date_label"].tolist(), beyond.tolist())
    chars = np.where(priority > 0, (frame["title"].str.len().clip(upper=LABEL_CHARS) + 1), 0)
    chars = np.where(beyond != 0, [len(t) + 1 for t in edge_text], chars)
    label_px = chars.astype(float) * CHAR_PX
    # A marker takes its width on a phone's plot, the narrowest drawn, so markers apart there
    # are apart everywhere; a whisker takes the range it covers. Labels are sized for a desktop:
    # a phone leaves them to hover.
    xs = frame["x"].to_numpy()
    early, late = whisker_ends(frame)
    half = MARKER_PX / 2 * span / PHONE_PLOT_PX
    lo, hi = np.minimum(xs - half, early), np.maximum(xs + half, late)
    # An edge's date stays on a phone (a title is left to hover there): it is sized for one.
    plot_px = np.where(beyond != 0, PHONE_PLOT_PX, DESKTOP_PLOT_PX)
    label_w = (MARKER_PX / 2 + label_px) * span / plot_px
    label_x = np.maximum(xs, late)  # a label starts past its own whisker, never across it
    label_hi = np.maximum(hi, label_x + label_w)
    # At the right edge a label is written leftwards, ending where its whisker starts.
    leftwards = beyond > 0
    label_x = np.where(leftwards, np.minimum(xs, early), label_x)
    label_lo = np.where(leftwards, label_x - label_w, lo)
    label_hi = np.where(leftwards, hi, label_hi)
    row = np.zeros(len(frame), dtype=int)
    keep = np.zeros(len(frame), dtype=bool)
    lane_rows: dict[str, int] = {}
    for lane in lanes_in_order:
        idx = np.flatnonzero((frame["lane"] == lane).to_numpy())
        if not len(idx):
            continue
        # Labelled events claim rows first, so a label is dropped only for another label.
        key = label_px[idx] > 0
        first, rest = idx[key], idx[~key]
        seq = np.concatenate([first[np.argsort(xs[first], kind="stable")], rest])
        r, k = stack_spans(lo[seq], hi[seq], label_hi[seq], len(first), label_lo[seq])
        row[seq], keep[seq] = r, k
        lane_rows[lane] = int(r.max()) + 1
    # y: era strip at the bottom, then each lane's rows, a gap row between lanes.
    y = np.zeros(len(frame))
    lane_base: dict[str, float] = {}
    cursor = float(era_rows) + (1.0 if era_rows else 0.0)
    lane_top: dict[str, float] = {}
    for lane in lanes_in_order:
        if lane not in lane_rows:
            continue
        lane_base[lane] = cursor
        lane_top[lane] = cursor + lane_rows[lane] - 0.35
        cursor += lane_rows[lane] + 1.0
    lanes = frame["lane"].to_numpy()
    for lane, base in lane_base.items():
        mask = lanes == lane
        y[mask] = base + row[mask]
    rows = frame.assign(
        row=row,
        y=y,
        label=keep & (label_px > 0),
        label_x=label_x,
        key=priority.to_numpy() > 0,
        beyond=beyond,
        edge_label=edge_text,
    )
    return Placed(rows=rows, lane_rows=lane_rows, lane_top=lane_top, total=total)


def stack_spans(
    lo: np.ndarray,
    hi: np.ndarray,
    label_hi: np.ndarray,
    n_first: int,
    label_lo: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Row of each item and whether its label fits: the first `n_first` are key events.

    Item i covers [lo, hi] on the axis, a key event [label_lo, label_hi] with its label (a
    label left of its marker starts before `lo`); it goes in the lowest row where nothing it
    would touch lies. Past MAX_ROWS it shares the least crowded row and gives up its label
    (hover still has it).
    """
    label_lo = lo if label_lo is None else label_lo
    rows = np.zeros(len(lo), dtype=int)
    keep = np.zeros(len(lo), dtype=bool)
    occupied: list[list[tuple[float, float]]] = []  # per row, sorted, non-overlapping spans

    def free(spans: list[tuple[float, float]], start: float, end: float) -> bool:
        i = bisect.bisect_left(spans, (start, start))
        before = i == 0 or spans[i - 1][1] <= start
        after = i == len(spans) or spans[i][0] >= end
        return before and after

    for i in range(len(lo)):
        labelled = i < n_first and (label_hi[i] > hi[i] or label_lo[i] < lo[i])
        start = float(label_lo[i] if labelled else lo[i])
        end = float(label_hi[i] if labelled else hi[i])
        row = next((r for r, spans in enumerate(occupied) if free(spans, start, end)), None)
        if row is None and len(occupied) < MAX_ROWS:
            occupied.append([])
            row = len(occupied) - 1
        elif row is None:
            row = min(range(len(occupied)), key=lambda r: len(occupied[r]))
            start, end, labelled = float(lo[i]), float(hi[i]), False
        bisect.insort(occupied[row], (start, end))
        rows[i], keep[i] = row, labelled
    return rows, keep


def edge_labels(dates: Sequence[str], beyond: Sequence[int]) -> list[str]:
    """The date beside an event drawn at an era's edge, pointing where it lies; else empty."""
    return [
        f"{d} →" if b > 0 else f"← {d}" if b < 0 else "" for d, b in zip(dates, beyond, strict=True)
    ]


def at_edges(frame: pd.DataFrame, low: float, high: float) -> pd.DataFrame:
    """Events whose date lies outside [low, high] (they reach into an era, but are dated past
    it: `by 1983`, `1960s`) moved just inside the nearer edge, with `beyond` saying which
    (-1 before, 1 after, 0 in view): an era keeps its width, and every event stays in sight."""
    xs = frame["x"].to_numpy(dtype=float)
    beyond = np.where(xs > high, 1, np.where(xs < low, -1, 0))
    inset = MARKER_PX / 2 * (high - low) / PHONE_PLOT_PX
    edge = np.where(beyond > 0, high - inset, low + inset)
    return frame.assign(x=np.where(beyond != 0, edge, xs), beyond=beyond)


def timeline_figure(
    frame: pd.DataFrame,
    timeline: Comparison | Timeline,
    selected: str | None = None,
    era: str | None = None,
) -> go.Figure:
    """The parallel timeline: lanes of stacked events, counterparts joined, eras underneath.

    Given a whole tree (its frame's `lane` the events' own histories), a lane per history."""
    labels, colors = lane_labels(timeline), lane_colors(timeline)
    order = lane_order(timeline)
    era_span = next(
        ((e.start.start(), e.end.stop()) for e in timeline.eras if e.id == era and era), None
    )
    if era_span is None:
        low, high = x_range(frame["x"].tolist())
    else:  # the era's years, not those of events that only reach into it
        apart = (frame["stop"] <= era_span[0]) | (frame["start"] >= era_span[1])
        low, high = x_range(frame.loc[apart, "x"].tolist(), era_span)
        frame = at_edges(frame, low, high)
    eras = pack_eras(timeline.eras, low, high)
    era_rows = max((p.row for p in eras), default=-1) + 1
    placed = place(frame, timeline, selected, high - low, era_rows)
    rows = placed.rows
    fig = go.Figure(layout={"template": TEMPLATE})
    links = counterpart_links(rows)
    drawn = drawn_links(links, rows["key"].tolist())
    fig.add_traces(_connectors(rows, drawn, labels, lane_rank(timeline), high - low))
    fig.add_traces(_lane_traces(rows, labels, colors, order))
    fig.add_traces(_key_labels(rows, high, high - low))
    fig.add_traces(_legend_keys(placed.lane_rows, labels, colors, order))
    y_of_row = {r: float(era_rows - 1 - r) for r in range(era_rows)}
    traces, era_labels = era_strip(eras, y_of_row, era)
    fig.add_traces(traces)
    if selected is not None and (rows["id"] == selected).any():
        hit = rows[rows["id"] == selected].iloc[0]
        fig.add_trace(ring(hit["x"], hit["y"], selected))
    lane_titles = [
        boxed(
            {
                "x": 0,
                "xref": "paper",
                "y": placed.lane_top[lane],
                "text": f"<b>{plain(labels[lane])}</b>",
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 12, "color": colors[lane]},
            }
        )
        for lane in placed.lane_top
    ]
    shapes = []
    if era_span is not None:
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": era_span[0],
                "x1": era_span[1],
                "y0": 0,
                "y1": 1,
                "fillcolor": ERA_HIGHLIGHT_BAND,
                "line": {"width": 0},
                "layer": "below",
            }
        )
    for pod in divergences(timeline):
        if not low <= pod.date.anchor <= high:
            continue
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": pod.date.anchor,
                "x1": pod.date.anchor,
                "y0": 0,
                "y1": 1,
                "line": {
                    "color": colors.get(pod.history, colors.get("diverged")),
                    "dash": "dash",
                    "width": 2,
                },
                "layer": "below",  # under the events and their labels, never struck through
            }
        )
    top = max([*placed.lane_top.values(), 0.0]) + 1.0
    strip_title = (
        [
            {
                "x": 0,
                "xref": "paper",
                "y": era_rows - 0.35,
                "text": "<b>Eras</b>",
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 12, "color": NEUTRAL_COLOR},
            }
        ]
        if era_rows
        else []
    )
    height = int((top + 0.8) * ROW_PX + 180)
    fig.update_layout(
        title={
            "text": "The histories side by side"
            + sampled_note(len(rows), placed.total)
            + links_note(len(drawn), len(links))
            + f"<br><sup>{SHAPE_KEY}</sup>",
        },
        xaxis=year_axis(low, high),
        yaxis={
            "range": [-0.8, top],
            "showticklabels": False,
            "showgrid": False,
            "fixedrange": True,
            "title": {"text": ""},
        },
        annotations=[*lane_titles, *strip_title, *era_labels, *_edge_labels(rows)],
        shapes=shapes,
        height=max(height, 380),
        margin={"l": 10, "r": 10, "t": 80, "b": 110},
        clickmode="event+select",
        dragmode="pan",
    )
    return fig


def counterpart_links(rows: pd.DataFrame) -> list[tuple[int, int]]:
    """Each pair of shown events that are counterparts, once, as row positions (date order of
    the first end): whatever their lanes, adjacent or not."""
    where = {event_id: i for i, event_id in enumerate(rows["id"].tolist())}
    seen: set[tuple[int, int]] = set()
    links: list[tuple[int, int]] = []
    for i, counterpart in enumerate(rows["counterpart"].tolist()):
        if not isinstance(counterpart, str | list | tuple):
            continue  # None, or NaN after a concat
        for ref in (counterpart,) if isinstance(counterpart, str) else counterpart:
            j = where.get(ref)
            if j is None or j == i or (min(i, j), max(i, j)) in seen:
                continue  # not shown, or drawn from its other end
            seen.add((min(i, j), max(i, j)))
            links.append((i, j))
    return links


def drawn_links(
    links: list[tuple[int, int]], key: Sequence[bool], budget: int = LINK_BUDGET
) -> list[tuple[int, int]]:
    """At most `budget` links: those touching a key event (divergence, selected, milestone)
    first, then an even sample of the rest; in date order."""
    if len(links) <= budget:
        return links
    first = [link for link in links if key[link[0]] or key[link[1]]][:budget]
    rest = [link for link in links if not (key[link[0]] or key[link[1]])]
    take = budget - len(first)
    picks = (
        [rest[i] for i in np.linspace(0, len(rest) - 1, take).round().astype(int)] if take else []
    )
    return sorted([*first, *picks], key=lambda link: min(link))


def hover_spot(
    ends: tuple[float, float, float, float], xs: np.ndarray, ys: np.ndarray, x_per_px: float
) -> tuple[float, float]:
    """Where on a link (x0, y0, x1, y1) its hover point goes: the middle, else the point
    nearest it that sits on no event's marker, so a click on an event never lands on a link."""
    x0, y0, x1, y1 = ends
    for t in HOVER_SPOTS:
        x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        near = (np.abs(xs - x) < MARKER_PX * x_per_px) & (np.abs(ys - y) * ROW_PX < MARKER_PX)
        if not near.any():
            return x, y
    return x0 + (x1 - x0) / 2, y0 + (y1 - y0) / 2


def _connectors(
    rows: pd.DataFrame,
    links: list[tuple[int, int]],
    labels: dict[str, str],
    rank: dict[str, int],
    span: float,
) -> list[go.Scatter]:
    """Dotted lines between counterparts, with a hover point on each (see `hover_spot`) that
    names both events and the gap between them (from the older history's to the newer's)."""
    if not links:
        return []
    xs, ys = rows["x"].to_numpy(), rows["y"].to_numpy()
    lanes, dates = rows["lane"].tolist(), rows["hdate"].tolist()
    # Title, then history and date, on lines of their own: the label fits a phone's width.
    names = [
        f"{plain(short(t, HOVER_CHARS))}<br><i>{plain(labels.get(lane, lane))}, {plain(d)}</i>"
        for t, lane, d in zip(rows["title"], lanes, rows["date_label"], strict=True)
    ]
    line_x: list[float | None] = []
    line_y: list[float | None] = []
    mid_x, mid_y, hover = [], [], []
    for i, j in links:
        if rank.get(lanes[j], 0) < rank.get(lanes[i], 0):
            i, j = j, i  # the older history's end first: the gap reads as the pair views'
        line_x += [float(xs[i]), float(xs[j]), None]
        line_y += [float(ys[i]), float(ys[j]), None]
        # On a phone's narrower plot, markers a year apart may touch: its scale is the safe one.
        x, y = hover_spot((xs[i], ys[i], xs[j], ys[j]), xs, ys, span / PHONE_PLOT_PX)
        mid_x.append(x)
        mid_y.append(y)
        hover.append(f"{names[i]}<br>{names[j]}<br>Gap: {gap_label(dates[i], dates[j])}")
    return [
        go.Scatter(
            x=line_x,
            y=line_y,
            mode="lines",
            line={"color": CONNECTOR_COLOR, "width": 1.5, "dash": "dot"},
            name="Counterparts",
            hoverinfo="skip",
        ),
        go.Scatter(
            x=mid_x,
            y=mid_y,
            mode="markers",
            marker={"size": 9, "color": CONNECTOR_COLOR, "symbol": "circle-open", "opacity": 0.5},
            hovertext=hover,
            hovertemplate=LINK_HOVER,
            name="Counterparts",
            showlegend=False,
        ),
    ]


def _lane_traces(
    rows: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], order: Sequence[str]
) -> list[go.Scatter]:
    traces = []
    for lane in order:
        sub = rows[rows["lane"] == lane]
        if sub.empty:
            continue
        # numpy arrays, not lists: plotly validates lists item by item (~0.3 s at 4,000 points).
        symbols, custom = event_symbols(sub), event_customdata(sub, labels[lane])
        traces.append(
            go.Scatter(
                x=sub["x"],
                y=sub["y"],
                mode="markers",
                name=plain(labels[lane]),
                marker={
                    "symbol": symbols,
                    "size": 11,
                    "color": colors[lane],
                    "line": {"width": 1.5, "color": colors[lane]},
                },
                customdata=custom,
                hovertemplate=HOVER,
                error_x=_whiskers(sub, colors[lane]),
                legendgroup=lane,
                showlegend=False,
            )
        )
    return traces


def whisker_ends(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Where each event's whisker starts and ends: over the range of a date that is a range
    (`1942/1947`, `196X`, a decade); at its marker (x) for any other date."""
    xs = rows["x"].to_numpy(dtype=float)
    ranged = [d.is_range or d.precision.value == "decade" for d in rows["hdate"]]
    early = [d.earliest if r else x for d, x, r in zip(rows["hdate"], xs, ranged, strict=True)]
    late = [d.latest if r else x for d, x, r in zip(rows["hdate"], xs, ranged, strict=True)]
    return np.array(early, dtype=float), np.array(late, dtype=float)


def _whiskers(rows: pd.DataFrame, color: str) -> dict[str, object] | None:
    """A whisker over the range of each date that is a range: the marker sits at the anchor,
    the whisker says how uncertain it is."""
    early, late = whisker_ends(rows)
    xs = rows["x"].to_numpy(dtype=float)
    ranged = (early < xs) | (late > xs)
    if not ranged.any():
        return None
    # NaN, not 0, for the others: Plotly draws a zero whisker's caps, a bar inside hollow markers.
    return {
        "type": "data",
        "symmetric": False,
        "array": np.where(ranged, late - xs, np.nan),
        "arrayminus": np.where(ranged, xs - early, np.nan),
        "color": color,
        "thickness": 1.5,
        "width": 4,
    }


def label_texts(titles: Sequence[str], xs: Sequence[float], high: float, span: float) -> list[str]:
    """Each key event's label, cut short where the plot's right edge would cut it off."""
    per_char = span / DESKTOP_PLOT_PX * CHAR_PX
    out = []
    for title, x in zip(titles, xs, strict=True):
        room = int((high - x) / per_char) - 2  # two leading spaces keep it off the marker
        out.append("  " + plain(short(title, max(min(room, LABEL_CHARS), MIN_LABEL_CHARS))))
    return out


def _key_labels(rows: pd.DataFrame, high: float, span: float) -> list[go.Scatter]:
    """Titles beside the key events (divergence, selected, milestones) that have room."""
    sub = rows[rows["label"] & (rows["beyond"] == 0)]
    if sub.empty:
        return []
    return [
        go.Scatter(
            x=sub["label_x"],
            y=sub["y"],
            mode="text",
            text=label_texts(sub["title"].tolist(), sub["label_x"].tolist(), high, span),
            textposition="middle right",
            textfont={"size": 11},
            hoverinfo="skip",
            showlegend=False,
            name="Key events",
        )
    ]


def _edge_labels(rows: pd.DataFrame) -> list[dict[str, object]]:
    """Dates beside the events drawn at an era's edge (`by 1983 →` leftwards at the right):
    annotations, which a phone keeps where it hides the titles beside key events."""
    sub = rows[rows["label"] & (rows["beyond"] != 0)]
    return [
        {
            "x": x,
            "y": y,
            "xref": "x",
            "yref": "y",
            "text": plain(text),
            "showarrow": False,
            "xanchor": "right" if side > 0 else "left",
            "xshift": -MARKER_PX / 2 if side > 0 else MARKER_PX / 2,
            "font": {"size": 11, "color": NEUTRAL_COLOR},
        }
        for x, y, text, side in zip(
            sub["label_x"], sub["y"], sub["edge_label"], sub["beyond"], strict=True
        )
    ]


def _legend_keys(
    lane_rows: dict[str, int], labels: dict[str, str], colors: dict[str, str], order: Sequence[str]
) -> list[go.Scatter]:
    """Legend entries: a plain circle per lane (clicking hides it), then the marker shapes."""
    keys = [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "circle", "size": 10, "color": colors[lane]},
            name=plain(labels[lane]),
            legendgroup=lane,
            hoverinfo="skip",
        )
        for lane in reversed(order)
        if lane in lane_rows
    ]
    return keys
