"""Historical dates at a stated precision, valid for any year (BCE included)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Precision(StrEnum):
    day = "day"
    month = "month"
    year = "year"
    decade = "decade"


# Finest first: a date may be declared at its own precision or any coarser one.
PRECISION_ORDER: tuple[Precision, ...] = (
    Precision.day,
    Precision.month,
    Precision.year,
    Precision.decade,
)

_ISO = re.compile(r"^(?P<year>[-+]?\d{1,6})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$", re.ASCII)
_DECADE = re.compile(r"^(?P<year>-?\d{0,5}0)s$", re.ASCII)
_ERA = re.compile(
    r"^(?:(?P<pre>AD|CE)\s+)?(?P<year>\d{1,6})\s*(?P<era>BC|BCE|AD|CE)?$", re.I | re.ASCII
)
MAX_YEAR = 999_999  # what six digits can write; keeps decimal years exact enough to plot
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Days before the first of each month, for common and leap years: O(1) day-of-year.
_DAYS_BEFORE = tuple(
    tuple(sum(_MONTH_DAYS[:m]) + (leap and m >= 2) for m in range(12)) for leap in (False, True)
)


def is_leap(year: int) -> bool:
    """Proleptic Gregorian leap rule, extended to astronomical years (0 = 1 BC)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    return 29 if month == 2 and is_leap(year) else _MONTH_DAYS[month - 1]


@dataclass(frozen=True)
class HDate:
    """A date as (year, month, day) in astronomical year numbering, plus its precision.

    Plain integers instead of datetime/pandas Timestamps, so that 44 BC or 2400 work.
    """

    year: int
    month: int = 1
    day: int = 1
    precision: Precision = Precision.day
    # Bounds as decimal years, computed once: charts, filters and checks ask for them often.
    _start: float = field(init=False, repr=False, compare=False)
    _stop: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        start = self.year + _day_of_year(self.year, self.month, self.day) / _year_len(self.year)
        if self.precision is Precision.day:
            stop = start + 1 / _year_len(self.year)
        elif self.precision is Precision.month:
            stop = start + days_in_month(self.year, self.month) / _year_len(self.year)
        else:
            stop = float(self.year + (10 if self.precision is Precision.decade else 1))
        object.__setattr__(self, "_start", start)
        object.__setattr__(self, "_stop", stop)

    @classmethod
    def parse(cls, value: object) -> HDate:
        """Parse `1969-07-20`, `1969-07`, `1969`, `1960s`, `-0043-03-15` or `44 BC`."""
        if isinstance(value, HDate):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"{value!r} is not a date (write 1969-07-20, 1969-07, 1969 or 1960s)")
        if isinstance(value, int):
            if abs(value) > MAX_YEAR:
                raise ValueError(
                    f"{value!r} is out of range: years go up to {MAX_YEAR:,} either way"
                )
            return cls(value, precision=Precision.year)
        text = value.strip()
        if m := _ISO.match(text):
            year = int(m["year"])
            if m["day"]:
                return cls._checked(year, int(m["month"]), int(m["day"]), Precision.day, text)
            if m["month"]:
                return cls._checked(year, int(m["month"]), 1, Precision.month, text)
            return cls(year, precision=Precision.year)
        if m := _DECADE.match(text):
            return cls(int(m["year"]), precision=Precision.decade)
        if m := _ERA.match(text):
            year = int(m["year"])
            era = (m["era"] or m["pre"] or "AD").upper()
            if year == 0:
                raise ValueError(f"{value!r} is not a valid date: there is no year 0 in BC/AD")
            return cls(1 - year if era in ("BC", "BCE") else year, precision=Precision.year)
        raise ValueError(
            f"{value!r} is not a valid date (write 1969-07-20, 1969-07, 1969, 1960s or 44 BC)"
        )

    @classmethod
    def _checked(cls, year: int, month: int, day: int, precision: Precision, text: str) -> HDate:
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a valid date: month {month} is not 1-12")
        if not 1 <= day <= days_in_month(year, month):
            raise ValueError(
                f"{text!r} is not a valid date: month {month} of {year} has "
                f"{days_in_month(year, month)} days"
            )
        return cls(year, month, day, precision)

    def coarsen(self, precision: Precision) -> HDate:
        """The same date stated at a coarser precision (finer is an error)."""
        if PRECISION_ORDER.index(precision) < PRECISION_ORDER.index(self.precision):
            raise ValueError(
                f"precision {precision.value!r} is finer than the date {self.iso()!r} gives"
            )
        year = self.year - self.year % 10 if precision is Precision.decade else self.year
        month = self.month if precision in (Precision.day, Precision.month) else 1
        day = self.day if precision is Precision.day else 1
        return HDate(year, month, day, precision)

    def iso(self) -> str:
        """ISO 8601 at the date's precision (decades as their first year, e.g. `1960`)."""
        year = f"{self.year:04d}" if 0 <= self.year <= 9999 else f"{self.year:+05d}"
        if self.precision is Precision.day:
            return f"{year}-{self.month:02d}-{self.day:02d}"
        if self.precision is Precision.month:
            return f"{year}-{self.month:02d}"
        return year

    def text(self) -> str:
        """The form a timeline file uses: ISO, or `1960s` for a decade (parses back equal)."""
        return f"{self.year}s" if self.precision is Precision.decade else self.iso()

    def label(self) -> str:
        """Human-readable, e.g. `20 Jul 1969`, `Jul 1969`, `1960s`, `44 BC`."""
        year = f"{1 - self.year} BC" if self.year <= 0 else str(self.year)
        if self.precision is Precision.day:
            return f"{self.day} {_MONTH_NAMES[self.month - 1]} {year}"
        if self.precision is Precision.month:
            return f"{_MONTH_NAMES[self.month - 1]} {year}"
        if self.precision is Precision.decade:
            return f"{year}s" if self.year > 0 else f"decade from {year}"
        return year

    def start(self) -> float:
        """Decimal year at the start of the period the date covers."""
        return self._start

    def stop(self) -> float:
        """Decimal year at the end of the period the date covers."""
        return self._stop

    def mid(self) -> float:
        """Decimal year at the middle of the period: where the date is plotted."""
        return (self.start() + self.stop()) / 2

    def __str__(self) -> str:
        return self.iso()


_MONTH_NAMES = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def _year_len(year: int) -> int:
    return 366 if is_leap(year) else 365


def _day_of_year(year: int, month: int, day: int) -> int:
    """Days elapsed before the given day in its year (0 for 1 January)."""
    return _DAYS_BEFORE[is_leap(year)][month - 1] + day - 1


def year_label(year: float) -> str:
    """Axis label for a decimal year: `1969`, `44 BC`."""
    whole = int(year // 1)
    return f"{1 - whole} BC" if whole <= 0 else str(whole)
