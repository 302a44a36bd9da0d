"""A file's dates read at once: its plain ISO dates and whole years as columns.

A realistic 100,000-event file holds ~70,000 distinct date texts, which `HDate.parse` reads
in ~3.5 µs each. Here the plain forms (`1969`, `-0044-03`, `1969-07-20~`, an integer year) are
matched by one regular expression over all of them and their HDates made column by column;
every other text (BC words, decades, ranges, errors) is left to `HDate.parse`, whose messages
stay the only ones.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from itertools import compress, repeat
from typing import Any

from .dates import (
    _DAY,
    _MONTH,
    _SLOT_SETTERS,
    MAX_YEAR,
    HDate,
    Precision,
    _bounds,
    days_in_month,
    remember,
)

# The fields of each list of a timeline file that hold dates (a test checks the schema agrees).
DATE_FIELDS: dict[str, tuple[str, ...]] = {
    "events": ("date", "end"),
    "sources": ("date",),
    "eras": ("start", "end"),
}
BULK_MIN = 1_000  # fewer distinct dates: reading them one by one costs no more

# One line per text: the plain form's sign and year, month, day and qualifier, or (`.*`) an
# empty year, so that the matches stay aligned with the texts.
_PLAIN_LINES = re.compile(
    rf"^(?:([-+]?[0-9]{{1,6}})(?:-({_MONTH})(?:-({_DAY}))?)?([?~%]?)|.*)$", re.MULTILINE
)
_NUMBER = {"": 1} | {f"{n:02d}": n for n in range(1, 32)}  # a month or day, absent: 1
_PRECISION = {0: Precision.year, 2: Precision.month, 4: Precision.day}  # by len(month + day)


def read_ahead(data: Any) -> None:
    """Read the plain dates of a parsed timeline file into the open `parse_memo()` at once.

    `data` is untrusted: whatever is not a list of mappings is skipped here (validation
    reports it); a value not in a plain form, or invalid, is read later by `HDate.parse`.
    """
    values = date_values(data)
    if len(values) >= BULK_MIN:
        remember(read_plain(values))


def date_values(data: Any) -> set[str | int]:
    """The distinct texts and integers written in a timeline file's date fields."""
    found: set[object] = set()
    if not isinstance(data, dict):
        return set()
    for name, fields in DATE_FIELDS.items():
        items = data.get(name)
        if not isinstance(items, list):
            continue
        if not all(type(item) is dict for item in items):
            items = [item for item in items if isinstance(item, dict)]
        for field in fields:
            values = list(map(dict.get, items, repeat(field)))
            try:
                found.update(values)
            except TypeError:  # a list or a mapping as a date: not one (validation says so)
                found.update(v for v in values if type(v) is str or type(v) is int)
    # By exact type, as the memo keys them: `True` equals 1, yet is not a date.
    return {v for v in found if type(v) is str or type(v) is int}  # type: ignore[misc]


def read_plain(values: Collection[str | int]) -> Iterator[tuple[str | int, HDate]]:
    """Each value written in a plain form and valid, with its HDate; the others are left out."""
    texts = [v for v in values if type(v) is str]
    keys: list[str | int] = []
    if len(texts) < len(values):
        keys += (v for v in values if type(v) is int and -MAX_YEAR <= v <= MAX_YEAR)
    years: list[int] = list(keys)  # type: ignore[arg-type]  # the integers read as themselves
    months: list[int] = [1] * len(keys)
    days: list[int] = [1] * len(keys)
    precisions: list[Precision] = [Precision.year] * len(keys)
    qualifiers: list[str] = [""] * len(keys)
    lines = "\n".join(texts)
    if lines.count("\n") >= len(texts):  # a text of many lines: one by one, by the parser
        texts = [text for text in texts if "\n" not in text]
        lines = "\n".join(texts)
    found = _PLAIN_LINES.findall(lines)
    if found and len(found) == len(texts):  # always, but a misaligned read must not mislead
        year_texts, month_texts, day_texts, marks = zip(*found, strict=True)
        plain = list(map(bool, year_texts))
        keys += compress(texts, plain)
        years += map(int, compress(year_texts, plain))
        month_texts = tuple(compress(month_texts, plain))
        day_texts = tuple(compress(day_texts, plain))
        months += map(_NUMBER.__getitem__, month_texts)
        days += map(_NUMBER.__getitem__, day_texts)
        sizes = map(len, map(str.__add__, month_texts, day_texts))
        precisions += map(_PRECISION.__getitem__, sizes)
        qualifiers += compress(marks, plain)
    # A day past the 28th is checked against its month: an invalid one is left to the parser.
    valid = [
        d <= 28 or d <= days_in_month(y, m) for y, m, d in zip(years, months, days, strict=True)
    ]
    if not all(valid):
        keys, years, months, days, precisions, qualifiers = (
            list(compress(c, valid)) for c in (keys, years, months, days, precisions, qualifiers)
        )
    return zip(keys, _made(years, months, days, precisions, qualifiers), strict=True)


def _made(
    years: list[int],
    months: list[int],
    days: list[int],
    precisions: list[Precision],
    qualifiers: list[str],
) -> list[HDate]:
    """HDates from their fields, one slot at a time for all (~3x faster than each through
    `__init__`): single dates, without season, range, open end or coarsened guess."""
    new = object.__new__
    dates = [new(HDate) for _ in years]
    bounds = list(map(_bounds, years, months, days, precisions))  # the parser's own arithmetic
    firsts = [b[0] for b in bounds]
    lasts = [b[1] for b in bounds]
    anchors = [(a + b) / 2 for a, b in bounds]
    columns: tuple[Iterable[object], ...] = (
        years,
        months,
        days,
        precisions,
        qualifiers,
        repeat(0),
        repeat(None),
        repeat(""),
        repeat(None),
        firsts,
        lasts,
        anchors,
    )
    for setter, column in zip(_SLOT_SETTERS, columns, strict=True):
        list(map(setter, dates, column))
    return dates
