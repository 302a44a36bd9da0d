"""A frame's date columns, written for many dates at once, are what each event's methods say."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa

from tests.test_dates_read import parsed, written_dates
from timeline.datecolumns import date_columns
from timeline.dates import PRECISION_ORDER, HDate, Precision
from timeline.schema import Event


def events(count: int, seed: int) -> list[Event]:
    """Events with every valid date form, some coarsened, some with an end, some approximate."""
    rng = random.Random(seed)
    dates = [v for v in written_dates(count * 2, seed) if parsed(v)[0] == "date"]
    dates += ["1969-21", "1969-24~", "../1947", "1962/..", "Y-20000", "Y1234567", "-0005-03?"]
    made = []
    for i, date in enumerate(dates[:count] + dates[-7:]):
        fields = {
            "id": f"e{i}",
            "date": date,
            "title": "Event",
            "history": "reference",
            "category": "space",
            "sources": ["s"],
            "approximate": rng.random() < 0.3,
        }
        given = HDate.parse(date)
        if not given.is_range and rng.random() < 0.2:  # a coarser precision than written
            coarser = PRECISION_ORDER[PRECISION_ORDER.index(given.precision) :]
            fields["precision"] = rng.choice(coarser).value
        if rng.random() < 0.1:
            fields["end"] = rng.choice(dates)
        made.append(Event.model_validate(fields))
    return made


def test_date_columns_are_what_the_events_methods_say():
    some = events(4_000, seed=15)
    columns = date_columns(
        [e.date for e in some],
        [e.end for e in some],
        np.array([e.approximate for e in some], dtype=bool),
    )
    as_lists = {
        name: column.to_pylist() if isinstance(column, pa.Array) else list(column)
        for name, column in columns.items()
    }
    assert as_lists == {
        "date": [e.date.iso() for e in some],
        "end": [e.end.iso() if e.end else None for e in some],
        "precision": [e.date.precision.value for e in some],
        "label": [e.when() for e in some],
        "inexact": [e.inexact() for e in some],
        "x": [e.date.anchor for e in some],
        "start": [e.date.start() for e in some],
        "stop": [(e.end or e.date).stop() for e in some],
    }
    # Every kind of date took part: coarsened, ranges, decades, seasons, BC, open ends.
    kinds = {
        "coarsened": any(e.date.guess for e in some),
        "range": any(e.date.until for e in some),
        "open": any(e.date.open for e in some),
        "season": any(e.date.season for e in some),
        "decade": any(e.date.precision is Precision.decade for e in some),
        "bc": any(e.date.year <= 0 for e in some),
        "end": any(e.end for e in some),
    }
    assert all(kinds.values()), kinds


def test_date_columns_without_ends_keep_the_end_column_empty():
    dates = [HDate.parse("1969-07-20"), HDate.parse("44 BC")]
    columns = date_columns(dates, [None, None], np.array([False, True]))
    assert columns["end"] == [None, None]
    assert columns["label"].to_pylist() == ["20 Jul 1969", "c. 44 BC"]
