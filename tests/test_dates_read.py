"""The fast path of `HDate.parse` (plain ISO dates) reads what the date grammar reads."""

from __future__ import annotations

import random

import pytest

from timeline.dates import (
    _PLAIN_ISO,
    _SINGLE_RE,
    _STRIP,
    MAX_YEAR,
    HDate,
    Precision,
    _from_match,
    parse_memo,
)


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


def grammar(value: str) -> tuple[str, object]:
    """What the full date grammar (the path a text takes when not plain) makes of a text."""
    try:
        m = _SINGLE_RE.fullmatch(value.strip(_STRIP))
        assert m is not None
        date = _from_match(m, value)
    except ValueError as exc:
        return "error", str(exc)
    return "date", (date, date.earliest, date.latest, date.anchor)


def test_plain_dates_read_fast_are_the_grammars_dates():
    values = written_dates(20_000, seed=18)
    plain = [v for v in values if type(v) is str and _PLAIN_ISO.fullmatch(v.strip(_STRIP))]
    assert len(plain) > 9_000  # dates of every plain shape
    assert sum(parsed(v)[0] == "error" for v in plain) > 20  # days past their month
    for value in plain:
        assert parsed(value) == grammar(value), value


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_memo_gives_every_value_its_date_or_its_error_again(seed):
    values = written_dates(3_000, seed)
    expected = [parsed(v) for v in values]
    with parse_memo():
        assert [parsed(v) for v in values] == expected
        assert [parsed(v) for v in values] == expected  # read from the memo, or raised again


def test_a_marked_plain_date_keeps_its_mark():
    assert HDate.parse("-0044-03-15~") == HDate(-44, 3, 15, qualifier="~")
    assert HDate.parse(" 1969-07? ") == HDate(1969, 7, precision=Precision.month, qualifier="?")
