"""A timeline as a pandas DataFrame: one row per event, dates as decimal years."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.types import infer_dtype

from .datecolumns import date_columns
from .schema import SHARED, Comparison, Era, Event, Layer, Timeline
from .tree import Projection, event_fields

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
) -> np.ndarray | list[list[str]]:
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
    # The key as one integer, so numpy groups the events instead of a Python loop over them.
    layer_codes, layer_kinds = pd.factorize(layers)
    history_codes, history_kinds = pd.factorize(keyed)
    key = began * (len(eras) + 1) + ended
    key = (key * len(layer_kinds) + layer_codes) * len(history_kinds) + history_codes
    codes, first = _groups(key)
    found = np.empty(len(first), dtype=object)
    for group, i in enumerate(first.tolist()):
        mask = (era_start < stop[i]) & (era_stop > start[i])
        mask &= (era_layer == "") | (era_layer == str(layers[i]))
        if by_history and keyed[i] != SHARED:
            mask &= (era_history == "") | (era_history == keyed[i])
        found[group] = ids[mask].tolist()
    member: np.ndarray = found[codes]
    return member


def _groups(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group of equal keys (numbered by first appearance) and each group's first row."""
    codes, _ = pd.factorize(key)
    first: np.ndarray = np.unique(codes, return_index=True)[1]
    return codes, first


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
    if projected is None or projected.events is not timeline.events:
        return _build(timeline.events, timeline.eras)[0]
    # Only where the whole tree is shown too (more than two histories): else the tree's frame
    # would be built, and kept, for one pair; the pair's fields are still the tree's.
    if len(projected.timeline.histories) > 2:
        return _projection(timeline, *_whole(projected.timeline), projected)
    return _build(timeline.events, timeline.eras, projected.fields())[0]


def _whole(timeline: Timeline) -> tuple[pd.DataFrame, np.ndarray]:
    """The timeline's frame and, for each of its events, its row: once per timeline, kept
    with its Tree once one is built (comparing a pair builds it)."""
    tree = timeline._tree
    # No tree yet: the timeline is left as it was (its private state counts in `==`). A tree
    # of another timeline: a copy with other events (export's slices).
    if tree is None or tree.timeline is not timeline:
        return _build(timeline.events, timeline.eras)
    if "frame" not in tree.memo:
        tree.memo["frame"] = _build(timeline.events, timeline.eras, tree.fields)
    found: tuple[pd.DataFrame, np.ndarray] = tree.memo["frame"]
    return found


def _projection(
    pair: Comparison, whole: pd.DataFrame, rows: np.ndarray, projected: Projection
) -> pd.DataFrame:
    """A pair's frame from its tree's: the rows of its events, their sided columns redone."""
    if not projected.rows:
        return _build(pair.events, pair.eras)[0]
    at = rows[np.asarray(projected.rows, dtype=np.intp)]  # each event's row in the whole frame
    order = np.argsort(at, kind="stable")
    kept = [name for name in whole.columns if name not in SIDED_COLUMNS]
    frame = whole[kept].take(at[order]).reset_index(drop=True)
    columns: dict[str, Any] = {name: _as_built(frame[name]) for name in kept}
    fields = projected.sided
    start, stop = frame["start"].to_numpy(), frame["stop"].to_numpy()
    columns |= _sided(pair.eras, start, stop, fields, order)
    return pd.DataFrame(columns, columns=[*EXPORT_COLUMNS, *EXTRA_COLUMNS], copy=False)


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


# The event fields a frame holds (read in one pass: see `event_fields`).
_FIELDS: tuple[str, ...] = (
    "id",
    "date",
    "end",
    "approximate",
    "category",
    "title",
    "summary",
    "causes",
    "sources",
    "tags",
    "confidence",
    "setting",
)
_SIDED_FIELDS: tuple[str, ...] = ("layer", "history", "counterpart", "status")
_TEXT = pd.StringDtype(na_value=np.nan)  # pandas' `str`: Arrow text, NaN where missing


def _build(
    events: list[Event], eras: list[Era], read: Mapping[str, Sequence[Any]] | None = None
) -> tuple[pd.DataFrame, np.ndarray]:
    """The frame of `events` sorted by start then id, and each event's row in it; `read`: their
    fields, if a tree has read them already (each in the events' order).

    Each column is gathered in file order (events visited in file order stay near in memory:
    visiting them sorted made every column ~2x slower at 100k), then sorted by one permutation.
    """
    if not events:
        return _empty(), np.empty(0, dtype=np.intp)
    fields = read if read is not None else event_fields(events, (*_FIELDS, *_SIDED_FIELDS))
    vague = np.fromiter(fields["approximate"], dtype=bool, count=len(events))
    codes, dated = _dated(fields["date"], fields["end"], vague)
    ids = pa.array(fields["id"], type=pa.large_string())
    order = _by_start_then_id(dated["start"][codes], ids)
    at = codes[order]  # each row's date group
    start = dated["start"][at]
    stop = dated["stop"][at]
    columns: dict[str, Any] = {
        "id": _as_text(ids.take(order)),
        "date": _text(dated["date"], at),
        "end": _text(dated["end"], at),
        "precision": _text(dated["precision"], at),
        "approximate": vague[order],
        "layer": _text(fields["layer"], order),
        "category": _text(fields["category"], order),
        "title": _text(fields["title"], order),
        "summary": _text(fields["summary"], order),
        # The events' own lists, as the tree's frame is shared by every call (`_whole`): a
        # frame is read, never written, and a copy of each list cost ~40 ms a column at 100k.
        "causes": _objects(fields["causes"], order),
        "sources": _objects(fields["sources"], order),
        "tags": _objects(fields["tags"], order),
        "confidence": _text(fields["confidence"], order),
        "setting": _text(fields["setting"], order),  # an era's id, or lists of them
        "date_label": _text(dated["label"], at),
        # The anchor: a range's middle, an open end's named year, a decade's best guess.
        "x": dated["x"][at],
        "hdate": _objects(fields["date"], order),
        "inexact": dated["inexact"][at],
        "start": start,
        "stop": stop,
        "tag_keys": _tag_keys(fields["tags"], order),
    }
    columns |= _sided(eras, start, stop, fields, order)
    rows = np.empty(len(events), dtype=np.intp)
    rows[order] = np.arange(len(events), dtype=np.intp)
    frame = pd.DataFrame(columns, columns=[*EXPORT_COLUMNS, *EXTRA_COLUMNS], copy=False)
    return frame, rows


def _dated(
    dates: Sequence[Any], ends: Sequence[Any], flags: np.ndarray
) -> tuple[np.ndarray, dict[str, Any]]:
    """Each event's group (its date, end and `approximate` the same objects) and each group's
    date columns, computed once from one of its events: dates written alike are one HDate
    object (the loader's memo), and 100,000 realistic events hold ~66,000 distinct dates."""
    count = len(dates)
    date_codes = pd.factorize(np.fromiter(map(id, dates), dtype=np.int64, count=count))[0]
    end_codes, end_kinds = pd.factorize(np.fromiter(map(id, ends), dtype=np.int64, count=count))
    key = (date_codes * len(end_kinds) + end_codes) * 2 + flags
    codes, first = _groups(key)
    picked = first.tolist()
    dated = date_columns([dates[i] for i in picked], [ends[i] for i in picked], flags[first])
    return codes, dated


def _by_start_then_id(start: np.ndarray, ids: pa.Array) -> np.ndarray:
    """The rows' order by start, then id (Arrow compares UTF-8 bytes, which order text as
    Python does; its sort is stable, as Python's)."""
    table = pa.table({"start": start + 0.0, "id": ids})  # + 0.0: -0.0 ties with 0.0, as in Python
    keys = [("start", "ascending"), ("id", "ascending")]
    order: np.ndarray = pc.sort_indices(table, sort_keys=keys).to_numpy().astype(np.intp)
    return order


def _text(values: Sequence[Any], order: np.ndarray | None = None) -> Any:
    """`values[order]`, typed as pandas types such a list: text, some maybe missing, as Arrow
    `str`; nothing but None, or anything besides text (lists), as objects."""
    try:
        array = pa.array(values, type=pa.large_string())
    except pa.ArrowTypeError:
        return _objects(values, order)
    if array.null_count == len(array):
        return _objects(values, order)
    return _as_text(array if order is None else array.take(order))


def _as_text(array: pa.Array) -> pd.api.extensions.ExtensionArray:
    text: pd.api.extensions.ExtensionArray = pd.array(array, dtype=_TEXT)
    return text


def _objects(values: Sequence[Any], order: np.ndarray | None = None) -> np.ndarray:
    """`values[order]` as an object array (lists stay lists: no nesting)."""
    array: np.ndarray = np.fromiter(values, dtype=object, count=len(values))
    return array if order is None else array[order]


def _empty() -> pd.DataFrame:
    """The frame of no events, typed as pandas types empty columns (as before: filters and
    views take any frame)."""
    objects = ("history", "layer", "hdate")
    return pd.DataFrame(
        {
            name: np.empty(0, dtype=object if name in objects else float)
            for name in (*EXPORT_COLUMNS, *EXTRA_COLUMNS)
        }
    )


def _sided(
    eras: list[Era],
    start: np.ndarray,
    stop: np.ndarray,
    fields: Mapping[str, Sequence[Any]],
    order: np.ndarray,
) -> dict[str, Any]:
    """The columns that depend on the events' histories (see `SIDED_COLUMNS`), of the rows
    `order` picks from `fields` (`start` and `stop` already in that order)."""
    layers = _objects(fields["layer"], order)
    histories = _objects(fields["history"], order)
    member = _memberships(eras, start, stop, layers, histories)
    # The era filter shows every history in an era's years, so a history's own era (the war
    # that ends in 1947 in the novel) can still be compared with what the other did meanwhile.
    in_span = (
        _memberships(eras, start, stop, layers, None) if any(e.history for e in eras) else member
    )
    lanes = np.where(layers == Layer.production, "production", histories)
    return {
        "history": _text(fields["history"], order),
        "counterpart": _text(fields["counterpart"], order),
        "status": _text(fields["status"], order),
        "lane": _text(lanes.tolist()),
        "era": member,  # exports list every era an event falls in
        "eras": member,
        "eras_in_span": in_span,
    }


def _tag_keys(tags: Sequence[list[str]], order: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Each row's tags between separators (see `KEY_SEPARATOR`): joined by `str.join`, the
    ends added by Arrow (no Python call per row)."""
    joined = pa.array(list(map(KEY_SEPARATOR.join, tags)), type=pa.large_string())
    ends, nothing = (pa.scalar(text, pa.large_string()) for text in (KEY_SEPARATOR, ""))
    return _as_text(pc.binary_join_element_wise(ends, joined.take(order), ends, nothing))


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
