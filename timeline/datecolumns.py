"""A frame's date columns, for many dates at once: text by Arrow compute, numbers by numpy.

A realistic 100,000-event frame has ~66,000 distinct (date, end, approximate) groups; asking
each for `iso()`, `when()` and `inexact()` cost ~5 µs a group. Here the single dates without
an end (nearly all) are written as whole columns; ranges, seasons, decades, coarsened dates
and events with an end still ask their methods, the one definition of how a date is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import attrgetter, is_, methodcaller
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .dates import _MONTH_NAMES, PRECISION_ORDER, HDate, Precision
from .schema import Event

_CODE = {p: i for i, p in enumerate(PRECISION_ORDER)}  # day 0, month 1, year 2, decade 3
_DAY, _MONTH, _DECADE = (_CODE[p] for p in (Precision.day, Precision.month, Precision.decade))
_PRECISIONS = pa.array([p.value for p in PRECISION_ORDER])
_MARKS = pa.array(["", "?", "~", "%"])  # a plain date's qualifier, by its index here
_MARK_CODE = {mark.as_py(): i for i, mark in enumerate(_MARKS)}
_MONTHS = pa.array(_MONTH_NAMES)
# What each date column needs of a date, read in one pass: ~3x faster than one pass each.
_PARTS = attrgetter(
    "year", "month", "day", "precision", "qualifier", "season", "until", "open", "guess"
)
_SPAN = attrgetter("anchor", "earliest", "latest")


def date_columns(
    events: Sequence[Event],
    dates: Sequence[HDate],
    ends: Sequence[HDate | None],
    vague: np.ndarray,
) -> dict[str, Any]:
    """The date columns of some events (`dates`, `ends` and `vague`, their `approximate`, as
    the events hold them): `date` and `end` (ISO), `precision`, `label` (`Event.when`),
    `inexact`, `x`, `start` and `stop`; text as Arrow arrays, numbers as numpy arrays."""
    size = len(dates)
    year, month, day, precision, qualifier, season, until, opened, guess = zip(
        *map(_PARTS, dates), strict=True
    )
    x, start, stop = (
        np.array(column, dtype=float) for column in zip(*map(_SPAN, dates), strict=True)
    )
    code = np.fromiter(map(_CODE.__getitem__, precision), dtype=np.int8, count=size)
    mark = np.fromiter(map(_MARK_CODE.get, qualifier, repeat(-1)), dtype=np.int8, count=size)
    has_end = ~_none(ends)
    # Written here: a single day, month or year without season or end, its mark one of ours.
    plain = (code != _DECADE) & (mark >= 0) & ~has_end & (np.array(season) == 0)
    plain &= _none(until) & _none(guess) & ~np.fromiter(map(bool, opened), bool, count=size)
    mark[~plain] = 0
    approximate = (mark == 2) | (mark == 3)  # `~` or `%`
    uncertain = (mark == 1) | (mark == 3)  # `?` or `%`
    year_, month_, day_ = (np.array(c, dtype=np.int64) for c in (year, month, day))
    iso, label = _written(year_, month_, day_, code, mark, vague | approximate, uncertain)
    inexact = vague | approximate | uncertain
    if not plain.all():  # the rest as their methods write them
        others = np.flatnonzero(~plain).tolist()
        some = [events[i] for i in others]
        at = pa.array(~plain)
        iso = pc.replace_with_mask(iso, at, pa.array([dates[i].iso() for i in others]))
        label = pc.replace_with_mask(label, at, pa.array(list(map(methodcaller("when"), some))))
        inexact[others] = list(map(methodcaller("inexact"), some))
    if has_end.any():  # an event's period ends with its end date
        with_end = np.flatnonzero(has_end).tolist()
        stop[with_end] = [ends[i].latest for i in with_end]  # type: ignore[union-attr]
    return {
        "date": iso,
        "end": [None if end is None else end.iso() for end in ends],
        "precision": _PRECISIONS.take(pa.array(code)),
        "label": label,
        "inexact": inexact,
        "x": x,
        "start": start,
        "stop": stop,
    }


def _none(values: Sequence[object]) -> np.ndarray:
    """Which values are None."""
    return np.fromiter(map(is_, values, repeat(None)), dtype=bool, count=len(values))


def _written(
    year: np.ndarray,
    month: np.ndarray,
    day: np.ndarray,
    code: np.ndarray,
    mark: np.ndarray,
    about: np.ndarray,
    uncertain: np.ndarray,
) -> tuple[pa.Array, pa.Array]:
    """ISO text and label (as `HDate.iso` and `Event.when` write them) of single dates at day,
    month or year precision; `about`: the label says "c.", `uncertain`: it ends in "?"."""
    is_day, is_month = pa.array(code == _DAY), pa.array(code == _MONTH)
    four = pc.utf8_lpad(pc.cast(pa.array(np.abs(year)), pa.string()), 4, "0")
    sign = pc.if_else(
        pa.array((year >= 0) & (year <= 9999)), "", pc.if_else(pa.array(year < 0), "-", "+")
    )
    mm = pc.utf8_lpad(pc.cast(pa.array(month), pa.string()), 2, "0")
    dd = pc.utf8_lpad(pc.cast(pa.array(day), pa.string()), 2, "0")
    marks = _MARKS.take(pa.array(mark))
    tail = pc.if_else(is_day, _joined("-", mm, "-", dd), pc.if_else(is_month, _joined("-", mm), ""))
    iso = _joined(sign, four, tail, marks)
    word = pc.cast(pa.array(np.where(year > 0, year, 1 - year)), pa.string())
    word = pc.if_else(pa.array(year > 0), word, _joined(word, " BC"))
    name = _MONTHS.take(pa.array(np.clip(month, 1, 12) - 1))
    body = pc.if_else(
        is_day,
        _joined(pc.cast(pa.array(day), pa.string()), " ", name, " ", word),
        pc.if_else(is_month, _joined(name, " ", word), word),
    )
    label = _joined(
        pc.if_else(pa.array(about), "c. ", ""), body, pc.if_else(pa.array(uncertain), "?", "")
    )
    return iso, label


def _joined(*parts: Any) -> pa.Array:
    """Each row's parts end to end (a part may be one text for all rows)."""
    return pc.binary_join_element_wise(*parts, "")
