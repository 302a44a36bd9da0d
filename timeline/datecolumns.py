"""A frame's date columns, for many dates at once: text by Arrow compute, numbers by numpy.

A realistic 100,000-event frame has ~66,000 distinct (date, end, approximate) groups; asking
each for `iso()`, `when()` and `inexact()` cost ~5 µs a group. Here single dates (day to
decade) and ranges of two are written as whole columns, as `HDate.iso` and `HDate.label`
write them (a test compares the two on thousands of generated dates); seasons, open ends,
coarsened dates and years past six digits still ask those methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import attrgetter, is_, methodcaller
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .dates import _MONTH_NAMES, MAX_YEAR, PRECISION_ORDER, HDate, Precision

_CODE = {p: i for i, p in enumerate(PRECISION_ORDER)}  # day 0, month 1, year 2, decade 3
_DAY, _MONTH, _DECADE = (_CODE[p] for p in (Precision.day, Precision.month, Precision.decade))
_PRECISIONS = pa.array([p.value for p in PRECISION_ORDER])
_MARK_CODE = {"": 0, "?": 1, "~": 2, "%": 3}  # a date's qualifier, by its index here
_MARKS = pa.array(list(_MARK_CODE))
# What the columns need of a date, read in one pass (~3x faster than a pass each); the
# slots rather than the properties over them: no Python call per date.
_PARTS = attrgetter(
    "year",
    "month",
    "day",
    "precision",
    "qualifier",
    "season",
    "until",
    "open",
    "guess",
    "_anchor",
    "_earliest",
    "_latest",
)
# The text after the year (ISO) and before it (label), by a date's `place`: nothing for a
# year or decade, then each month, then each day of each month.
_DAYS = [(m, d) for m in range(1, 13) for d in range(1, 32)]
_ISO_TAILS = pa.array(
    ["", *(f"-{m:02d}" for m in range(1, 13)), *(f"-{m:02d}-{d:02d}" for m, d in _DAYS)]
)
_LABEL_HEADS = pa.array(
    [
        "",
        *(f"{_MONTH_NAMES[m - 1]} " for m in range(1, 13)),
        *(f"{d} {_MONTH_NAMES[m - 1]} " for m, d in _DAYS),
    ]
)
_SIGNS = pa.array(["", "-", "+"])
_ERAS = pa.array(["", " BC"])
_DECADE_WORDS = pa.array(["", "s", "decade from "])
_ABOUT = pa.array(["", "c. "])
_DOUBT = pa.array(["", "?"])


def date_columns(
    dates: Sequence[HDate], ends: Sequence[HDate | None], vague: np.ndarray
) -> dict[str, Any]:
    """The date columns of some events, given their `date`, `end` and `approximate` (`vague`):
    `date` and `end` (ISO), `precision`, `label` (as `Event.when`), `inexact` (as
    `Event.inexact`), `x`, `start` and `stop`; text as Arrow arrays, numbers as numpy arrays."""
    size = len(dates)
    date = _written(dates)
    # "c." once, whether the event or its date says it; an end after a dash.
    label = _joined(_pick(_ABOUT, vague & ~date.approximate), date.label)
    end_iso: Any = [None] * size
    stop = date.latest
    has_end = ~_none(ends)
    if has_end.any():
        with_end = np.flatnonzero(has_end).tolist()
        end = _written([ends[i] for i in with_end])  # type: ignore[misc]  # not None here
        at = pa.array(has_end)
        end_iso = pc.replace_with_mask(pa.nulls(size, pa.string()), at, end.iso)
        label = _joined(
            label, pc.replace_with_mask(pa.repeat("", size), at, _joined(" – ", end.label))
        )
        stop[with_end] = end.latest
    return {
        "date": date.iso,
        "end": end_iso,
        "precision": _pick(_PRECISIONS, date.code),
        "label": label,
        "inexact": vague | date.approximate | date.uncertain,
        "x": date.anchor,
        "start": date.earliest,
        "stop": stop,
    }


def _numbers(values: Sequence[float], dtype: Any) -> np.ndarray:
    """Python numbers as a numpy array (`fromiter`: ~2x faster than `np.array` on a tuple)."""
    return np.fromiter(values, dtype=dtype, count=len(values))


def _none(values: Sequence[object]) -> np.ndarray:
    """Which values are None."""
    return np.fromiter(map(is_, values, repeat(None)), dtype=bool, count=len(values))


class _Written(NamedTuple):
    """Some dates as `HDate.iso` and `HDate.label` write them, their marks and range."""

    iso: pa.Array
    label: pa.Array
    code: np.ndarray  # the precision, by its index in PRECISION_ORDER
    approximate: np.ndarray
    uncertain: np.ndarray
    anchor: np.ndarray
    earliest: np.ndarray
    latest: np.ndarray


def _written(dates: Sequence[HDate]) -> _Written:
    """Single dates (day to decade, no season) and ranges of two such dates as columns; any
    other date (seasons, open ends, coarsened dates, years past six digits) by its methods."""
    size = len(dates)
    year, month, day, precision, qualifier, season, until, opened, guess, *spans = (
        zip(*map(_PARTS, dates), strict=True) if size else ((),) * 12
    )
    anchor, earliest, latest = (_numbers(column, float) for column in spans)
    code = np.fromiter(map(_CODE.__getitem__, precision), dtype=np.int8, count=size)
    mark = np.fromiter(map(_MARK_CODE.get, qualifier, repeat(-1)), dtype=np.int8, count=size)
    years = _numbers(year, np.int64)
    single = (mark >= 0) & (_numbers(season, np.int64) == 0) & (np.abs(years) <= MAX_YEAR)
    single &= _none(guess) & ~np.fromiter(map(bool, opened), dtype=bool, count=size)
    mark[~single] = 0
    approximate = (mark == 2) | (mark == 3)  # `~` or `%`
    uncertain = (mark == 1) | (mark == 3)  # `?` or `%`
    months, days = _numbers(month, np.int64), _numbers(day, np.int64)
    iso, label = _single(years, months, days, code, mark, approximate, uncertain)
    alone = _none(until)
    ranged = np.flatnonzero(single & ~alone).tolist()
    if ranged:  # a range: its first date as a single one, a separator, then its last
        last = _written([until[i] for i in ranged])
        at = np.full(size, -1, dtype=np.intp)
        at[ranged] = np.arange(len(ranged))
        ends = pa.array(at, mask=at < 0)
        is_alone = pa.array(alone)
        iso = _joined(iso, pc.if_else(is_alone, "", _joined("/", last.iso.take(ends))))
        label = _joined(label, pc.if_else(is_alone, "", _joined("–", last.label.take(ends))))
        approximate[ranged] |= last.approximate
        uncertain[ranged] |= last.uncertain
    others = np.flatnonzero(~single).tolist()
    if others:
        at = pa.array(~single)
        some = [dates[i] for i in others]
        iso = pc.replace_with_mask(iso, at, pa.array(list(map(methodcaller("iso"), some))))
        label = pc.replace_with_mask(label, at, pa.array(list(map(methodcaller("label"), some))))
        approximate[others] = list(map(attrgetter("approximate"), some))
        uncertain[others] = list(map(attrgetter("uncertain"), some))
    return _Written(iso, label, code, approximate, uncertain, anchor, earliest, latest)


def _single(
    year: np.ndarray,
    month: np.ndarray,
    day: np.ndarray,
    code: np.ndarray,
    mark: np.ndarray,
    approximate: np.ndarray,
    uncertain: np.ndarray,
) -> tuple[pa.Array, pa.Array]:
    """ISO text and label of single dates, as `HDate.iso` and `HDate.label` write them (any
    other row gets text of no meaning, replaced by the caller)."""
    place = np.where(code == _MONTH, month, 0)
    place = np.where(code == _DAY, 12 + (np.clip(month, 1, 12) - 1) * 31 + day, place)
    place = pa.array(np.clip(place, 0, len(_ISO_TAILS) - 1))
    # `{year:04d}` from 0 to 9999, else `{year:+05d}`.
    digits = pc.utf8_lpad(pc.cast(pa.array(np.abs(year)), pa.string()), 4, "0")
    signs = np.where((year >= 0) & (year <= 9999), 0, np.where(year < 0, 1, 2))
    iso = _joined(_pick(_SIGNS, signs), digits, _ISO_TAILS.take(place), _pick(_MARKS, mark))
    bc = year <= 0  # year_label: 0 is 1 BC
    word = pc.cast(pa.array(np.where(bc, 1 - year, year)), pa.string())
    decade = np.where(code == _DECADE, np.where(bc, 2, 1), 0)  # `1960s`, `decade from 9 BC`
    label = _joined(
        _pick(_ABOUT, approximate),
        _pick(_DECADE_WORDS, np.where(decade == 2, 2, 0)),
        _LABEL_HEADS.take(place),
        word,
        _pick(_ERAS, bc),
        _pick(_DECADE_WORDS, np.where(decade == 1, 1, 0)),
        _pick(_DOUBT, uncertain),
    )
    return iso, label


def _pick(texts: pa.Array, codes: np.ndarray) -> pa.Array:
    """Each row's text from a few, by its code (a flag picks the second)."""
    return texts.take(pa.array(np.asarray(codes, dtype=np.int8)))


def _joined(*parts: Any) -> pa.Array:
    """Each row's parts end to end (a part may be one text for all rows)."""
    return pc.binary_join_element_wise(*parts, "")
