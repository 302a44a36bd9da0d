"""A timeline as a pandas DataFrame: one row per event, dates as decimal years."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Collection, Iterator
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from .schema import SHARED, Comparison, Era, Event, Layer, Timeline

# The flat columns of an export, in order (the contract for `export`).
EXPORT_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "end",
    "precision",
    "approximate",
    "history",
    "layer",
    "category",
    "era",
    "title",
    "summary",
    "counterpart",
    "causes",
    "sources",
    "status",
    "tags",
    "confidence",
    "setting",
)
# Derived columns the figures and filters use.
EXTRA_COLUMNS: tuple[str, ...] = (
    "lane",
    "eras",
    "eras_in_span",  # the eras whose years and layer it falls in, whatever their history
    "date_label",
    "x",
    "hdate",  # the HDate itself: gaps between dates are computed from their ranges
    "inexact",
    "start",
    "stop",
    "tag_keys",
)
OBJECT_COLUMNS = ("causes", "sources", "tags", "era", "eras", "eras_in_span", "hdate")  # never text
KEY_SEPARATOR = "\x1f"  # `tag_keys` holds the tags between these: one substring test finds
# a tag among them, ~10x faster than a Python loop over the lists at 100k rows.


def _memberships(
    eras: list[Era],
    start: np.ndarray,
    stop: np.ndarray,
    layers: np.ndarray,
    histories: np.ndarray | None,
) -> list[list[str]]:
    """Each event's eras: those it overlaps, of its layer and history if the era has them; a
    shared event counts in every history's eras. `histories` None: whatever the eras' history.

    An event's eras depend only on how many eras start before it ends, how many end before it
    starts, its layer and history: events sharing that key share one list, computed once. 16,000
    events in 16,000 overlapping eras are one list, not 256 million entries.
    """
    if not eras:
        return [[] for _ in start]
    era_start = np.array([e.start.start() for e in eras], dtype=float)
    era_stop = np.array([e.end.stop() for e in eras], dtype=float)
    era_layer = np.array([e.layer.value if e.layer else "" for e in eras], dtype=object)
    era_history = np.array([e.history or "" for e in eras], dtype=object)
    by_history = bool(era_history.any()) and histories is not None
    keyed = (
        histories if by_history and histories is not None else np.full(len(start), "", dtype=object)
    )  # one key fewer: fewer lists
    ids = np.array([e.id for e in eras], dtype=object)
    began = np.searchsorted(np.sort(era_start), stop, side="left")
    ended = np.searchsorted(np.sort(era_stop), start, side="right")
    keys = list(zip(began.tolist(), ended.tolist(), layers.tolist(), keyed.tolist(), strict=True))
    found: dict[tuple[Any, ...], list[str]] = {}
    member: list[list[str]] = []
    for i, key in enumerate(keys):
        if key not in found:
            mask = (era_start < stop[i]) & (era_stop > start[i])
            mask &= (era_layer == "") | (era_layer == str(layers[i]))
            if by_history and keyed[i] != SHARED:
                mask &= (era_history == "") | (era_history == keyed[i])
            found[key] = ids[mask].tolist()
        member.append(found[key])
    return member


SIDED_COLUMNS: tuple[str, ...] = (
    "history",
    "counterpart",
    "status",
    "lane",
    "era",
    "eras",
    "eras_in_span",
)  # what a pair of a tree changes in an event, or derives from its history: the rest is kept


def to_frame(timeline: Comparison | Timeline) -> pd.DataFrame:
    """One row per event, sorted by date; `x` is the decimal year a chart plots at.

    Once a pair is compared, a tree's frame is built once per timeline (each call gets a shallow
    copy: pandas copies on write), and a pair compared from a tree of three or more histories
    takes its rows from it, so the pair and the whole tree cost about one frame between them.
    """
    if isinstance(timeline, Timeline):
        return _whole(timeline)[0].copy(deep=False)
    projected = timeline._projected
    # Only where the whole tree is shown too (more than two histories): else the tree's frame
    # would be built, and kept, for one pair.
    if (
        projected is not None
        and projected.events is timeline.events
        and len(projected.timeline.histories) > 2
    ):
        return _projection(timeline, *_whole(projected.timeline), projected.rows)
    return _build(timeline.events, timeline.eras)[0]


def _whole(timeline: Timeline) -> tuple[pd.DataFrame, np.ndarray]:
    """The timeline's frame and, for each of its events, its row: once per timeline, kept
    with its Tree once one is built (comparing a pair builds it)."""
    tree = timeline._tree
    # No tree yet: the timeline is left as it was (its private state counts in `==`). A tree
    # of another timeline: a copy with other events (export's slices).
    if tree is None or tree.timeline is not timeline:
        return _build(timeline.events, timeline.eras)
    if "frame" not in tree.memo:
        tree.memo["frame"] = _build(timeline.events, timeline.eras)
    found: tuple[pd.DataFrame, np.ndarray] = tree.memo["frame"]
    return found


def _projection(
    pair: Comparison, whole: pd.DataFrame, rows: np.ndarray, taken: list[int]
) -> pd.DataFrame:
    """A pair's frame from its tree's: the rows of its events, their sided columns redone."""
    if not taken:
        return _build(pair.events, pair.eras)[0]
    at = rows[np.asarray(taken, dtype=np.intp)]  # each pair event's row in the whole frame
    order = np.argsort(at, kind="stable")
    kept = [name for name in whole.columns if name not in SIDED_COLUMNS]
    frame = whole[kept].take(at[order]).reset_index(drop=True)
    columns: dict[str, Any] = {name: _as_built(frame[name]) for name in kept}
    # In the pair's own order, then sorted: events visited in file order stay near in memory.
    layers = np.array([e.layer for e in pair.events], dtype=object)
    start, stop = whole["start"].to_numpy()[at], whole["stop"].to_numpy()[at]
    sided = _sided(pair.events, pair.eras, start, stop, layers)
    sequence = order.tolist()
    columns |= {
        name: values[order] if isinstance(values, np.ndarray) else [values[i] for i in sequence]
        for name, values in sided.items()
    }
    return pd.DataFrame(columns, columns=[*EXPORT_COLUMNS, *EXTRA_COLUMNS])


def _as_built(column: pd.Series) -> pd.Series:
    """A column of a frame's rows as `_build` makes it for those rows alone: pandas infers
    a column's type from its values, and a subset may be all missing, or all text where the
    whole mixed text with lists (`setting`)."""
    if isinstance(column.dtype, pd.StringDtype) and column.isna().all():
        return pd.Series([None] * len(column), dtype=object)
    if (
        column.dtype == object
        and column.name not in OBJECT_COLUMNS
        and infer_dtype(column, skipna=True) == "string"
    ):
        return column.astype("str")
    return column


def _build(events: list[Event], eras: list[Era]) -> tuple[pd.DataFrame, np.ndarray]:
    """The frame of `events` sorted by start then id, and each event's row in it."""
    start = np.array([e.date.start() for e in events], dtype=float)
    stop = np.array([(e.end or e.date).stop() for e in events], dtype=float)
    # Enum members go in as they are: they are str, and skipping `.value` saves ~0.1 s at 100k.
    columns: dict[str, Any] = {
        "id": [e.id for e in events],
        "date": [e.date.iso() for e in events],
        "end": [e.end.iso() if e.end else None for e in events],
        "precision": [e.date.precision for e in events],
        "approximate": [e.approximate for e in events],
        "category": [e.category for e in events],
        "title": [e.title for e in events],
        "summary": [e.summary for e in events],
        "causes": [list(e.causes) for e in events],
        "sources": [list(e.sources) for e in events],
        "tags": [list(e.tags) for e in events],
        "confidence": [e.confidence for e in events],
        "setting": [e.setting for e in events],
        "date_label": [e.when() for e in events],
        # The anchor: a range's middle, an open end's named year, a decade's best guess.
        "x": np.array([e.date.anchor for e in events], dtype=float),
        "hdate": np.array([e.date for e in events], dtype=object),
        "inexact": [e.inexact() for e in events],
        "start": start,
        "stop": stop,
        "tag_keys": [_keys(e.tags) for e in events],
    }
    columns["layer"] = layers = np.array([e.layer for e in events], dtype=object)
    columns |= _sided(events, eras, start, stop, layers)
    # Built in file order, then sorted: events visited in file order stay near in memory
    # (visiting them sorted made every column ~2x slower at 100k).
    keys = list(zip(start.tolist(), columns["id"], strict=True))
    order = sorted(range(len(events)), key=keys.__getitem__)
    rows = np.empty(len(events), dtype=np.intp)
    rows[order] = np.arange(len(events), dtype=np.intp)
    frame = pd.DataFrame(columns, columns=[*EXPORT_COLUMNS, *EXTRA_COLUMNS])
    return frame.take(order).reset_index(drop=True), rows


def _sided(
    events: list[Event], eras: list[Era], start: np.ndarray, stop: np.ndarray, layers: np.ndarray
) -> dict[str, Any]:
    """The columns that depend on the events' histories (see `SIDED_COLUMNS`)."""
    histories = np.array([e.history for e in events], dtype=object)
    member = _memberships(eras, start, stop, layers, histories)
    # The era filter shows every history in an era's years, so a history's own era (the war
    # that ends in 1947 in the novel) can still be compared with what the other did meanwhile.
    in_span = (
        _memberships(eras, start, stop, layers, None) if any(e.history for e in eras) else member
    )
    return {
        "history": histories,
        "counterpart": [e.counterpart for e in events],
        "status": [e.status for e in events],
        "lane": ["production" if e.layer is Layer.production else e.history for e in events],
        "era": member,  # exports list every era an event falls in
        "eras": member,
        "eras_in_span": in_span,
    }


def _keys(ids: list[str]) -> str:
    return KEY_SEPARATOR + KEY_SEPARATOR.join(ids) + KEY_SEPARATOR


def fast_rows(frame: pd.DataFrame) -> Iterator[Any]:
    """Like `itertuples()` without the index, ~5x faster on Arrow-backed string columns."""
    row = namedtuple("Row", list(frame.columns), rename=True)  # type: ignore[misc]  # columns known at run time
    return map(row._make, zip(*(frame[c].tolist() for c in frame.columns), strict=True))


def among(column: pd.Series, values: Collection[Any]) -> np.ndarray:
    """`column.isin(values)` as a boolean array, fast for many values too: on text columns
    pandas makes an Arrow scalar of every value (~5 µs each, ~1 s for 100k ids), where a set
    lookup per row costs ~0.2 µs. Few values: pandas."""
    if len(values) * 25 <= len(column):
        return np.asarray(column.isin(values), dtype=bool)
    found = values if isinstance(values, (set, frozenset, dict)) else set(values)
    return np.fromiter((v in found for v in column.tolist()), dtype=bool, count=len(column))
