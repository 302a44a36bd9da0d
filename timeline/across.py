"""Milestones across all histories: when (or whether) each history reaches each milestone.

A milestone is a group of world events joined by counterparts, at least one tagged `milestone`.
A history's version is its own event in the group, else one it inherits; without one, the
reason: the history's nearest ancestor that has a version says, through the pair's statuses,
whether the branch leaves it untold or prevented; with no ancestor's version it is not reached.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .chartparts import (
    plain,
    ring,
    row_axis,
    row_title,
    wrap,
    x_range,
    year_axis,
)
from .compare import MILESTONE_TAG, NEVER, NOT_TOLD, NOT_YET
from .schema import Event, Layer, Status, Timeline
from .style import CONNECTOR_COLOR, NEUTRAL_COLOR, TEMPLATE, history_colors
from .tree import REFERENCE, Tree, tree_of
from .tree import status_in_pair as pair_status

NOT_REACHED = "not reached"  # a branch; our history (the root) has NOT_YET, "as of today"
ACROSS_ROWS = 60  # rows drawn; the title says when there are more
# Histories past the sixth (where the palette leaves Okabe-Ito) also differ in shape.
EXTRA_SYMBOLS = ("diamond", "square", "triangle-up", "star", "hexagon", "cross", "triangle-down")
FIELDS = ("id", "title", "date", "x", "from")  # per history: `{history}:{field}`


def column(history: str, field: str) -> str:
    """The name of one history's field in `milestones_across`: `ours:date` (ids have no ':')."""
    return f"{history}:{field}"


def _groups(events: list[Event]) -> list[list[Event]]:
    """World events joined by counterparts (transitively) with a milestone among them.

    Each group in the order of its first event, its events in timeline order. Only groups
    reached from a milestone are walked: at 100k events most events are in none.
    """
    world: dict[str, int] = {}
    seeds: list[str] = []  # the milestones a group is walked from
    for i, e in enumerate(events):
        if e.layer is Layer.world and (e.counterpart or e.tags):
            world[e.id] = i
            if MILESTONE_TAG in e.tags:
                seeds.append(e.id)
    linked: dict[str, list[str]] = {}  # both ways: a group is joined whichever side names
    for eid, i in world.items():
        if events[i].counterpart:
            for ref in events[i].counterparts():
                if ref in world:
                    linked.setdefault(eid, []).append(ref)
                    linked.setdefault(ref, []).append(eid)
    seen: set[str] = set()
    groups: list[list[int]] = []
    for seed in seeds:
        if seed in seen:
            continue
        seen.add(seed)
        found, stack = [world[seed]], [seed]
        while stack:
            for ref in linked.get(stack.pop(), ()):
                if ref not in seen:
                    seen.add(ref)
                    found.append(world[ref])
                    stack.append(ref)
        groups.append(sorted(found))
    groups.sort(key=lambda g: g[0])
    return [[events[i] for i in g] for g in groups]


def _best(candidates: list[Event]) -> Event | None:
    """The version a history shows: a tagged milestone first, then the earliest."""
    if not candidates:
        return None
    return min(candidates, key=lambda e: (MILESTONE_TAG not in e.tags, e.date.start(), e.id))


class _Reasons:
    """Why a history has no version of a milestone: its ancestor's version's status in the
    pair (ancestor, history), as `Tree.compare` derives it, without building the whole pair."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.ancestors = {h: tree.ancestors(h) for h in tree.order}
        self.splits: dict[tuple[str, str], Event] = {}  # per pair: a tree has few, rows many

    def why(self, history: str, versions: dict[str, Event | None]) -> str:
        """`versions`: the group's version in each history (its own or inherited), or None."""
        for ancestor in self.ancestors[history]:
            theirs = versions[ancestor]
            if theirs is not None:
                # On the ancestor's side, linked to nothing: the history has no version.
                key = (ancestor, history)
                if key not in self.splits:
                    self.splits[key] = self.tree.split(ancestor, history)
                status = pair_status(theirs, REFERENCE, [], {}, self.splits[key])
                return NEVER if status is Status.prevented else NOT_TOLD
        return NOT_REACHED if self.ancestors[history] else NOT_YET


def milestones_across(timeline: Timeline) -> pd.DataFrame:
    """One row per milestone in date order; per history (tree order) its version or a reason.

    Columns: `milestone` (the title of the version highest in the tree), `first_x`, then for
    each history `{id}:id`, `:title`, `:date` (date label, or `not reached`, `not told`,
    `never: prevented`), `:x` (anchor, NaN without a version) and `:from` (the history whose
    event it is: itself, or the one it inherits from). Computed once per timeline (the rows
    do not depend on filters: callers pick from them); nobody changes the frame returned.
    """
    tree = tree_of(timeline)
    if "milestones_across" not in tree.memo:
        tree.memo["milestones_across"] = _milestones_across(timeline, tree)
    found: pd.DataFrame = tree.memo["milestones_across"]
    return found


def _milestones_across(timeline: Timeline, tree: Tree) -> pd.DataFrame:
    members = tree.members
    order = tree.order
    rank = {h: i for i, h in enumerate(order)}
    reasons = _Reasons(tree)
    cells: dict[str, list[Any]] = {"milestone": [], "first_x": []}
    cells |= {column(h, f): [] for h in order for f in FIELDS}
    out = [[cells[column(h, f)] for f in FIELDS] for h in order]  # per history, per field
    for group in _groups(timeline.events):
        head = min(group, key=lambda e: (rank.get(e.history, -1), MILESTONE_TAG not in e.tags))
        held: dict[str, list[Event]] = {h: [] for h in order}
        for e in group:
            for h in members[e.id]:
                held[h].append(e)
        versions = {h: _best(held[h]) for h in order}
        first = math.inf
        for h, lists in zip(order, out, strict=True):
            own = _best([e for e in held[h] if e.history == h])
            version = own or versions[h]
            values: tuple[str | None, str | None, str, float, str | None]
            if version is None:
                values = (None, None, reasons.why(h, versions), math.nan, None)
            else:
                values = (
                    version.id,
                    version.title,
                    version.when(),
                    version.date.anchor,
                    version.history if own else _owner(tree, version, h),
                )
                first = min(first, version.date.anchor)
            for cell, value in zip(lists, values, strict=True):
                cell.append(value)
        cells["milestone"].append(head.title)
        cells["first_x"].append(first)
    frame = pd.DataFrame(cells)
    return frame.sort_values(["first_x", "milestone"], kind="stable").reset_index(drop=True)


def _owner(tree: Tree, event: Event, history: str) -> str:
    """The history an inherited event comes from (a shared event: the root)."""
    return event.history if event.history in tree.nodes else tree.root


def _symbol(index: int) -> str:
    return "circle" if index < 6 else EXTRA_SYMBOLS[(index - 6) % len(EXTRA_SYMBOLS)]


def milestones_across_figure(
    data: pd.DataFrame, timeline: Timeline, selected: str | None
) -> go.Figure:
    """A row per milestone (its title above it), a marker per history that reaches it, in the
    history's colour; what is not reached or not told is written at the row's end."""
    tree = tree_of(timeline)
    colors = history_colors(timeline)
    rows = data.head(ACROSS_ROWS).reset_index(drop=True)
    n, k = len(rows), len(tree.order)
    missing = [_missing(rows.iloc[i], tree) for i in range(n)]
    titles = [wrap(plain(t)) for t in rows["milestone"]]
    row_px = (
        60
        + 7 * k
        + 14 * max((len(m) - 1 for m in missing), default=0)
        + 16 * max((len(t) - 1 for t in titles), default=0)
    )
    step = 7 / row_px  # markers of one row sit a marker apart, so equal dates all show
    fig = go.Figure(layout={"template": TEMPLATE})
    xcols = [column(h, "x") for h in tree.order]
    spans = rows[xcols]
    fig.add_trace(
        go.Scatter(
            x=[
                v
                for lo, hi in zip(spans.min(axis=1), spans.max(axis=1), strict=True)
                for v in (lo, hi, None)
            ],
            y=[v for i in range(n) for v in (i, i, None)],
            mode="lines",
            line={"color": CONNECTOR_COLOR, "width": 2},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for j, h in enumerate(tree.order):
        label = plain(tree.nodes[h].label)
        idx = np.flatnonzero(rows[column(h, "x")].notna())
        sub = rows.iloc[idx]
        dy = (j - (k - 1) / 2) * step
        inherited = [
            "" if f == h else f" (from {plain(tree.nodes[f].label)})"
            for f in sub[column(h, "from")]
        ]
        fig.add_trace(
            go.Scatter(
                x=sub[column(h, "x")],
                y=idx + dy,
                mode="markers",
                name=label,
                marker={
                    "symbol": _symbol(j),
                    "size": 11,
                    "color": colors[h],
                    "line": {"width": 1, "color": "#FFFFFF"},
                },
                customdata=np.column_stack(
                    [
                        sub[column(h, "id")].to_numpy(dtype=object),
                        sub[column(h, "title")].map(plain).to_numpy(dtype=object),
                        sub[column(h, "date")].map(plain).to_numpy(dtype=object),
                        np.array(inherited, dtype=object),
                    ]
                )
                if len(sub)
                else None,
                hovertemplate=f"<b>%{{customdata[1]}}</b><br>{label}%{{customdata[3]}}"
                "<br>%{customdata[2]}<extra></extra>",
            )
        )
        xs = rows[column(h, "x")].to_numpy(dtype=float)
        for r in np.flatnonzero((rows[column(h, "id")] == selected).to_numpy()):
            fig.add_trace(ring(float(xs[r]), int(r) + dy, str(selected)))
    known = rows[xcols].to_numpy(dtype=float).ravel()
    low, high = x_range(known[~np.isnan(known)].tolist())
    notes = [
        row_title(i, "<br>".join(f"<b>{line}</b>" for line in title))
        for i, title in enumerate(titles)
    ]
    for i, lines in enumerate(missing):
        if lines:
            notes.append(
                {
                    "x": 1,
                    "xref": "paper",
                    "y": i + (k / 2 + 0.6) * step,
                    "text": "<br>".join(lines),
                    "showarrow": False,
                    "xanchor": "right",
                    "yanchor": "top",
                    "align": "right",
                    "font": {"size": 11, "color": NEUTRAL_COLOR},
                }
            )
    fig.update_layout(
        annotations=notes,
        title={
            "text": "Milestones in every history"
            + (f"<br><sup>the first {n} of {len(data):,} by date</sup>" if n < len(data) else ""),
        },
        xaxis=year_axis(low, high),
        yaxis=row_axis(n),
        height=max(320, row_px * n + 200),
        clickmode="event+select",
        # The key on top: with many rows, the bottom of the chart is screens away.
        legend={
            "orientation": "h",
            "x": 0,
            "xref": "paper",
            "y": 1,
            "yref": "paper",
            "yanchor": "bottom",
        },
        # A phone wraps the key to two entries a row: room for them under the title.
        margin={"t": max(110, 70 + 22 * math.ceil(len(tree.order) / 2)), "b": 60},
    )
    fig.update_layout(title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}})
    return fig


def _missing(row: pd.Series, tree: Tree) -> list[str]:
    """One line per reason a row's histories have no version: `Draft B, The film: not told`."""
    by_reason: dict[str, list[str]] = {}
    for h in tree.order:
        if row[column(h, "x")] != row[column(h, "x")]:
            by_reason.setdefault(row[column(h, "date")], []).append(plain(tree.nodes[h].label))
    return [
        part
        for reason, labels in by_reason.items()
        for part in wrap(f"{', '.join(labels)}: {reason}")
    ]


def milestones_across_table(data: pd.DataFrame, timeline: Timeline) -> pd.DataFrame:
    """The same data as a table: a row per milestone, a column per history (date or reason)."""
    tree = tree_of(timeline)
    labels = [tree.nodes[h].label for h in tree.order]
    names = [
        f"{lb} ({h})" if labels.count(lb) > 1 else lb
        for lb, h in zip(labels, tree.order, strict=True)
    ]
    table = {"Milestone": data["milestone"]}
    table |= {name: data[column(h, "date")] for name, h in zip(names, tree.order, strict=True)}
    return pd.DataFrame(table)
