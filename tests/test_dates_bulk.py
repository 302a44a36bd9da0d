"""Dates read in bulk (`bulkdates`) are the dates `HDate.parse` reads, error for error."""

from __future__ import annotations

import json
import random
import typing

import pytest

import timeline as tl
from timeline import bulkdates
from timeline.bulkdates import DATE_FIELDS, date_values, read_ahead, read_plain
from timeline.dates import MAX_YEAR, HDate, parse_memo
from timeline.schema import Era, Event, Source


def written_dates(count: int, seed: int) -> list[object]:
    """Date values of every form, valid or not: plain ISO dates with any sign, digit count,
    month, day and mark, integers (and bools and floats), BC words, decades, EDTF forms,
    ranges, seasons, padded and many-line texts, and garbage."""
    rng = random.Random(seed)

    def year() -> int:
        return rng.choice([rng.randint(-500, 2100), rng.randint(-MAX_YEAR, MAX_YEAR), 0])

    def iso() -> str:
        y = year()
        digits = rng.choice([1, 2, 3, 4, 4, 4, 5, 6])
        sign = "-" if y < 0 else rng.choice(["", "", "", "+"])
        text = sign + str(abs(y)).zfill(digits)
        shape = rng.random()
        if shape < 0.7:  # months and days just outside their ranges too
            text += f"-{rng.randint(0, 13):02d}"
            if shape < 0.5:
                text += f"-{rng.choice([rng.randint(1, 28), rng.randint(0, 32)]):02d}"
        return text + rng.choice(["", "", "", "?", "~", "%"])

    def other() -> object:
        y = rng.randint(-500, 2100)
        return rng.choice(
            [
                rng.choice([y, rng.randint(-2 * MAX_YEAR, 2 * MAX_YEAR), True, False, 1969.0]),
                f"{abs(y) or 1} {rng.choice(['BC', 'bc', 'BCE', 'AD', 'CE'])}",
                f"AD {abs(y) or 1}",
                f"{y - y % 10}s{rng.choice(['', '?'])}",
                f"{abs(y) // 10}X",
                f"{abs(y) // 100}XX",
                f"{y}-{rng.choice([21, 22, 23, 24, 25])}",
                f"{iso()}/{iso()}",
                f"../{iso()}",
                f"{iso()}/..",
                f"Y{rng.choice(['', '-'])}{rng.randint(10_000, 999_999_999)}",
                f" {iso()}\t",
                f"{iso()}\n",
                f"{iso()}\n{iso()}",
                f"{y}-XX",
                "",
                "..",
                "../..",
                "soon",
                "1969-07-20T00:00",
                "١٩٦٩",  # Arabic-Indic digits: not ASCII, not a date
            ]
        )

    return [iso() if rng.random() < 0.6 else other() for _ in range(count)]


def parsed(value: object) -> tuple[str, object]:
    """What `HDate.parse` makes of a value alone: a date (its fields and range) or an error."""
    try:
        date = HDate.parse(value)
    except ValueError as exc:
        return "error", str(exc)
    return "date", (date, date.earliest, date.latest, date.anchor)


def test_bulk_dates_are_the_parsers_dates():
    values = written_dates(20_000, seed=18)
    found = dict(read_plain(date_values({"events": [{"date": v} for v in values]})))
    assert len(found) > 6_000  # most plain forms are read here, not one by one
    for value, date in found.items():
        assert ("date", (date, date.earliest, date.latest, date.anchor)) == parsed(value), value
        assert type(date.year) is int and type(date.qualifier) is str


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_memo_read_ahead_gives_every_value_its_date_or_its_error(seed):
    values = written_dates(5_000, seed)
    data = {"events": [{"date": v} for v in values], "sources": [{"date": v} for v in values]}
    expected = [parsed(v) for v in values]
    with parse_memo():
        read_ahead(data)
        assert [parsed(v) for v in values] == expected


def test_every_valid_plain_date_is_read_in_bulk():
    values = ["1969", "+1969", "-0044-03-15", "0000", "999999-12-31%", "2000-02-29~", 1969, 0]
    invalid = ["2001-02-29", "1900-02-29", "1969-13", "1969-00", "1969-04-31", 1_000_000, True]
    found = dict(read_plain(values + invalid))
    assert set(found) == set(values) and len(found) == len(values)


def test_hostile_data_is_read_without_error():
    data = {
        "events": [None, 3, {"date": ["1969"]}, {"date": {"y": 1}}, {"date": "1969"}, {"end": 5}],
        "sources": "not a list",
        "eras": [{"start": True, "end": 1969.0}],
    }
    assert date_values(data) == {"1969", 5}
    assert date_values([1, 2]) == set()
    assert date_values({"events": {"date": "1969"}}) == set()


def test_date_fields_are_the_schemas():
    def holds_dates(annotation: object) -> bool:
        return annotation is HDate or any(map(holds_dates, typing.get_args(annotation)))

    models = {"events": Event, "sources": Source, "eras": Era}
    assert {
        name: tuple(f for f, info in model.model_fields.items() if holds_dates(info.annotation))
        for name, model in models.items()
    } == DATE_FIELDS


def timeline_file(tmp_path, dates: list[object]) -> str:
    events = [
        {
            "id": f"e{i}",
            "date": date,
            "title": "Event",
            "history": "diverged" if i == 0 else "reference",
            "category": "space",
            "sources": ["s"],
        }
        for i, date in enumerate(dates)
    ]
    data = {
        "title": "Bulk",
        "histories": {
            "reference": {"label": "Ours", "color": "#0072B2"},
            "diverged": {"label": "Theirs", "color": "#D55E00"},
        },
        "divergence": "e0",
        "sources": [{"id": "s", "title": "Source", "url": "https://example.org"}],
        "events": events,
    }
    path = tmp_path / "bulk.json"
    path.write_text(json.dumps(data))
    return str(path)


def loaded(path: str) -> tuple[str, object]:
    try:
        return "timeline", tl.load_timeline(path)
    except tl.TimelineError as exc:
        return "error", [str(p) for p in exc.problems]


@pytest.mark.parametrize("bad", [False, True])
def test_a_file_loads_the_same_with_or_without_bulk_dates(tmp_path, monkeypatch, bad):
    dates = [v for v in written_dates(3_000, seed=7) if bad or parsed(v)[0] == "date"]
    path = timeline_file(tmp_path, ["1969-07-20", *dates])
    assert len(set(map(repr, dates))) >= bulkdates.BULK_MIN  # read in bulk, then
    with_bulk = loaded(path)
    monkeypatch.setattr(bulkdates, "BULK_MIN", 10**9)
    assert with_bulk == loaded(path)
    assert with_bulk[0] == ("error" if bad else "timeline")
