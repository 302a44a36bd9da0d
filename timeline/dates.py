"""Historical dates as uncertain as their sources: any year, ranges, open ends, EDTF level 1.

Every date has one range (`earliest`, `latest`, decimal years) and one `anchor` (the decimal
year a chart places its marker at, and sorts and gaps use); both are computed here, once.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import cast


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
_RANK = {p: i for i, p in enumerate(PRECISION_ORDER)}

MAX_YEAR = 999_999  # what six digits (and a bare integer) can write
MAX_BIG_YEAR = 999_999_999  # EDTF `Y` years (5+ digits): nine keep a day exact as a float
OPEN_SPAN = 10  # years an open end (`../1947`, `1962/..`) reaches beyond the year it names
SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
_SEASON_FIRST_MONTH = {21: 3, 22: 6, 23: 9, 24: 12}  # northern meteorological seasons

# The grammar of a written date, built from named pieces. The JSON Schema's pattern is the same
# text without group names (see `date_pattern`), so the two cannot drift apart.
_WS = r"[ \t\n\r\f\v]"
_MONTH = r"0[1-9]|1[0-2]"
_DAY = r"0[1-9]|[12][0-9]|3[01]"


def _anycase(word: str) -> str:
    """`BC` as `[Bb][Cc]`: JSON Schema patterns have no case-insensitive flag."""
    return "".join(f"[{c.upper()}{c.lower()}]" for c in word)


_ERA_WORD = "|".join(_anycase(w) for w in ("BCE", "BC", "AD", "CE"))
_POINT = (
    rf"(?P<y>[-+]?[0-9]{{1,6}})"
    rf"(?:-(?:(?P<m>{_MONTH})(?:-(?:(?P<d>{_DAY})|XX))?|(?P<season>2[1-4])|XX(?:-XX)?))?"
    rf"|(?P<decade_x>[-+]?[0-9]{{1,5}})X"
    rf"|(?P<decade>-?[0-9]{{0,5}}0)s"
    rf"|Y(?P<big>-?[1-9][0-9]{{4,{len(str(MAX_BIG_YEAR)) - 1}}})"
    rf"|(?:(?P<pre>{_anycase('AD')}|{_anycase('CE')}){_WS}+)?"
    rf"(?P<era_year>(?=0*[1-9])[0-9]{{1,6}}){_WS}*(?P<era>{_ERA_WORD})?"
)
_CENTURY = r"(?P<century>[-+]?[0-9]{1,4})XX"
_QUALIFIER = r"(?P<q>[?~%])?"
_ENDPOINT = rf"(?:{_POINT}){_QUALIFIER}"
_SINGLE = rf"(?:{_POINT}|{_CENTURY}){_QUALIFIER}"
_ENDPOINT_RE = re.compile(_ENDPOINT)
_SINGLE_RE = re.compile(_SINGLE)
# The common forms (`1969`, `-0044-03`, `1969-07-20~`), read first and fast.
_PLAIN_ISO = re.compile(rf"([-+]?[0-9]{{1,6}})(?:-({_MONTH})(?:-({_DAY}))?)?([?~%]?)")
_NUMBER = {f"{n:02d}": n for n in range(1, 32)}  # a month or a day: ~4x faster than int()
_LOOSE_MONTH = re.compile(r"[-+]?[0-9]{1,6}-(?P<m>[0-9]{2})(?:-[0-9]{2})?[?~%]?")
_STRIP = " \t\n\r"  # what the pattern allows around a date (str.strip() would take more)
_FORMS = "1969-07-20, 1969-07, 1969, 1960s, 44 BC, 1947?, 1946~, 1942/1947, ../1947 or 196X"


def date_pattern() -> str:
    """The regular expression (JSON Schema dialect) of every date string `HDate.parse` reads."""
    whole = rf"{_SINGLE}|(?:{_ENDPOINT})/(?:{_ENDPOINT}|\.\.)?|(?:\.\.)?/(?:{_ENDPOINT})"
    return re.sub(r"\(\?P<\w+>", "(", rf"^[{_STRIP}]*(?:{whole})[{_STRIP}]*$")


_set = object.__setattr__  # how a frozen HDate's fields are first set

# Days in each month of a common and of a leap year: a table, because a loader asks for
# them once per day-precision date (calendar.monthrange also works out a weekday).
_MONTH_DAYS = tuple(
    tuple(calendar.monthrange(year, m)[1] for m in range(1, 13)) for year in (2001, 2000)
)


def days_in_month(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise calendar.IllegalMonthError(month)
    return _MONTH_DAYS[calendar.isleap(year)][month - 1]  # the same leap rule any year


# Dates already read, by their text (or year), while a `parse_memo()` is open: a timeline
# repeats many dates, and each is the same immutable HDate wherever it is written.
_MEMO: ContextVar[dict[str | int, HDate] | None] = ContextVar("date_memo", default=None)


@contextlib.contextmanager
def parse_memo() -> Iterator[None]:
    """Within it, `HDate.parse` reads each distinct text once (in this thread or task).

    Only valid dates are kept: a bad one raises its error wherever it is written again. The
    memo lives as long as the block, so nothing is kept from one file for the next.
    """
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


@dataclass(frozen=True, slots=True)  # slots: ~250 bytes less a date, 100,000s per timeline
class HDate:
    """A date in astronomical years (0 = 1 BC) at a precision, maybe uncertain or a range.

    Plain integers instead of datetime/pandas Timestamps, so that 44 BC or Y-20000 work.
    `year`, `month`, `day` and `precision` describe the date itself or, for a range, its first
    endpoint (the last known one when the start is open).
    """

    year: int
    month: int = 1
    day: int = 1
    precision: Precision = Precision.day
    qualifier: str = ""  # EDTF: "?" uncertain, "~" approximate, "%" both
    season: int = 0  # 21-24: spring, summer, autumn, winter (month is its first month)
    until: HDate | None = None  # a range's last endpoint
    open: str = ""  # "start": `../X` (this date is X); "end": `X/..`
    guess: HDate | None = None  # the finer date a writer gave before `coarsen` widened it
    _earliest: float = field(init=False, repr=False, compare=False)
    _latest: float = field(init=False, repr=False, compare=False)
    _anchor: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Bounds as decimal years, computed once: charts, filters and checks ask for them often.
        first, last = _bounds(self.year, self.month, self.day, self.precision)
        if self.season:
            last = _bounds(*_season_last_month(self), Precision.month)[1]
        anchor = (first + last) / 2
        if self.guess is not None:
            anchor = self.guess.anchor
        if self.until is not None:
            last = self.until.latest
            anchor = (first + last) / 2
        elif self.open == "start":
            first -= OPEN_SPAN
        elif self.open == "end":
            last += OPEN_SPAN
        _set(self, "_earliest", first)
        _set(self, "_latest", last)
        _set(self, "_anchor", anchor)

    @classmethod
    def _plain(
        cls, year: int, month: int, day: int, precision: Precision, qualifier: str = ""
    ) -> HDate:
        """A single date without season, end or guess, built ~3x faster than by __init__."""
        date = object.__new__(cls)
        first, last = _bounds(year, month, day, precision)
        y, m, d, p, q, s, u, o, g, e, la, a = _SLOT_SETTERS
        y(date, year)
        m(date, month)
        d(date, day)
        p(date, precision)
        q(date, qualifier)
        s(date, 0)
        u(date, None)
        o(date, "")
        g(date, None)
        e(date, first)
        la(date, last)
        a(date, (first + last) / 2)
        return date

    @classmethod
    def parse(cls, value: object) -> HDate:
        """Read any date a timeline file may hold (see `_FORMS` and the README's table)."""
        # By exact type: `True` and `1969.0` equal `1` and `1969` as keys, yet are not dates.
        kind = type(value)
        if (kind is str or kind is int) and (memo := _MEMO.get()) is not None:
            key = cast("str | int", value)
            date = memo.get(key)
            if date is None:
                date = memo[key] = cls._read(value)
            return date
        return cls._read(value)

    @classmethod
    def _read(cls, value: object) -> HDate:
        if type(value) is str and (m := _PLAIN_ISO.fullmatch(value)):  # most dates, first
            return _plain_iso(m, value)
        if isinstance(value, HDate):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"{value!r} is not a date (write {_FORMS})")
        if isinstance(value, int):
            if abs(value) > MAX_YEAR:
                raise ValueError(
                    f"{value!r} is out of range: years go up to {MAX_YEAR:,} either way"
                )
            return cls._plain(value, 1, 1, Precision.year)
        text = value.strip(_STRIP)
        if m := _PLAIN_ISO.fullmatch(text):
            return _plain_iso(m, value)
        if "/" not in text:
            if m := _SINGLE_RE.fullmatch(text):
                return _from_match(m, value)
            raise _invalid(text, value)
        first, last = text.split("/", 1)
        opened = {"", ".."}
        if first in opened and last in opened:
            raise ValueError(f"{value!r} is not a valid date: give at least one end of the range")
        ends = [None if t in opened else _ENDPOINT_RE.fullmatch(t) for t in (first, last)]
        if any(e is None and t not in opened for e, t in zip(ends, (first, last), strict=True)):
            raise _invalid(text, value)
        a, b = (None if e is None else _from_match(e, value) for e in ends)
        if a is None:
            assert b is not None  # one end at least is given, checked above
            return _with(b, open="start")
        if b is None:
            return _with(a, open="end")
        if b.latest <= a.earliest:
            raise ValueError(
                f"{value!r} is not a valid date: the range ends ({b.label()}) before it starts"
            )
        return _with(a, until=b)

    def coarsen(self, precision: Precision) -> HDate:
        """The same date known only to a coarser precision; the given date stays its anchor."""
        if precision is self.precision:
            return self
        if self.is_range:
            raise ValueError(
                f"a range ({self.text()!r}) cannot take a precision: its ends give theirs"
            )
        if _RANK[precision] < _RANK[self.precision]:
            raise ValueError(
                f"precision {precision.value!r} is finer than the date {self.iso()!r} gives"
            )
        given = _with(self, guess=None)
        year = self.year - self.year % 10 if precision is Precision.decade else self.year
        month = self.month if precision in (Precision.day, Precision.month) else 1
        day = self.day if precision is Precision.day else 1
        season = self.season if precision is Precision.month else 0
        return HDate(year, month, day, precision, self.qualifier, season, guess=self.guess or given)

    # --- The range and the anchor -------------------------------------------------------------

    @property
    def earliest(self) -> float:
        """Decimal year at which the date's range begins (an open start: `OPEN_SPAN` before)."""
        return self._earliest

    @property
    def latest(self) -> float:
        """Decimal year at which the range ends, exclusive (an open end: `OPEN_SPAN` after)."""
        return self._latest

    @property
    def anchor(self) -> float:
        """Where the date is drawn, sorted and measured from (see the README's date table)."""
        return self._anchor

    @property
    def uncertain(self) -> bool:
        """`?` or `%` on the date or on either end of its range."""
        return any(p.qualifier in ("?", "%") for p in self._ends())

    @property
    def approximate(self) -> bool:
        """`~` or `%` on the date or on either end of its range."""
        return any(p.qualifier in ("~", "%") for p in self._ends())

    @property
    def is_range(self) -> bool:
        """A range written with `/` (closed or open) or as unspecified centuries (`19XX`)."""
        return self.until is not None or self.open != ""

    def start(self) -> float:
        """Decimal year at the start of the period the date covers (= `earliest`)."""
        return self._earliest

    def stop(self) -> float:
        """Decimal year at the end of the period the date covers (= `latest`)."""
        return self._latest

    def mid(self) -> float:
        """Decimal year half way through the range; charts place markers at `anchor`."""
        return (self._earliest + self._latest) / 2

    # --- Writing it out -----------------------------------------------------------------------

    def iso(self) -> str:
        """ISO 8601(-2, i.e. EDTF) at the date's precision: `1969-07`, `1947?`, `1942/1947`.

        Decades are written as their first year (`1960`); the precision says the rest.
        """
        return self._written(iso=True)

    def text(self) -> str:
        """The form a timeline file uses; `HDate.parse(d.text()) == d` for every parsed date.

        A coarsened date writes the date it was given, which parses back equal once coarsened
        again: the event's `precision` field travels with it.
        """
        return self._written(iso=False)

    def _written(self, iso: bool) -> str:
        if self.until is not None:
            return f"{_with(self, until=None)._written(iso)}/{self.until._written(iso)}"
        if self.open:
            alone = _with(self, open="")._written(iso)
            return f"../{alone}" if self.open == "start" else f"{alone}/.."
        if self.guess is not None and not iso:
            return self.guess.text()
        if self.precision is Precision.decade and not iso:
            return f"{self.year}s{self.qualifier}"
        if abs(self.year) > MAX_YEAR:
            return f"Y{self.year}{self.qualifier}"
        year = f"{self.year:04d}" if 0 <= self.year <= 9999 else f"{self.year:+05d}"
        if self.precision is Precision.day:
            return f"{year}-{self.month:02d}-{self.day:02d}{self.qualifier}"
        if self.precision is Precision.month:
            return f"{year}-{self.season or self.month:02d}{self.qualifier}"
        return year + self.qualifier

    def label(self) -> str:
        """In plain words: `20 Jul 1969`, `1947?`, `c. 1946`, `1942–1947`, `by 1947`."""
        if self.until is not None:
            return f"{_with(self, until=None).label()}–{self.until.label()}"
        if self.open == "start":
            return f"by {_with(self, open='').label()}"
        if self.open == "end":
            return f"{_with(self, open='').label()} or later"
        word = year_label(self.year)
        if self.season:
            if self.season == 24:
                word = f"{word}–{year_label(self.year + 1)}"
            body = f"{SEASONS[self.season]} {word}"
        elif self.precision is Precision.day:
            body = f"{self.day} {_MONTH_NAMES[self.month - 1]} {word}"
        elif self.precision is Precision.month:
            body = f"{_MONTH_NAMES[self.month - 1]} {word}"
        elif self.precision is Precision.decade:
            body = f"{word}s" if self.year > 0 else f"decade from {word}"
        else:
            body = word
        prefix = "c. " if self.qualifier in ("~", "%") else ""
        return prefix + body + ("?" if self.qualifier in ("?", "%") else "")

    def __str__(self) -> str:
        return self.iso()

    def _ends(self) -> tuple[HDate, ...]:
        return (self,) if self.until is None else (self, self.until)

    def _units(self, precision: Precision) -> tuple[float, float]:
        """Start of the first and of the last `precision` unit the date may fall in."""
        first = _unit_start(self, precision)
        end = self.until or self
        if end.season:  # a season's last month may fall in the next year, even decade
            end = HDate(*_season_last_month(end), Precision.month)
        last = _unit_start(end, precision)
        if self.open == "start":
            first -= OPEN_SPAN
        elif self.open == "end":
            last += OPEN_SPAN
        return first, last


# Each slot's own setter, looked up once: a third faster than object.__setattr__ by name, for
# the 100,000s of dates a big timeline builds through `_plain`.
_SLOT_SETTERS = tuple(HDate.__dict__[name].__set__ for name in HDate.__slots__)

_MONTH_NAMES: tuple[str, ...] = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
_MONTH_NAMES += ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _with(date: HDate, **changes: object) -> HDate:
    """A copy with some fields changed (dataclasses.replace, minus its init=False fuss)."""
    fields = {
        "year": date.year,
        "month": date.month,
        "day": date.day,
        "precision": date.precision,
        "qualifier": date.qualifier,
        "season": date.season,
        "until": date.until,
        "open": date.open,
        "guess": date.guess,
    }
    return HDate(**{**fields, **changes})  # type: ignore[arg-type]


def _invalid(text: str, value: object) -> ValueError:
    if (m := _LOOSE_MONTH.fullmatch(text)) and not 1 <= int(m["m"]) <= 12:
        return ValueError(
            f"{value!r} is not a valid date: month {int(m['m'])} is not 1-12 (or 21-24, a season)"
        )
    return ValueError(f"{value!r} is not a valid date (write {_FORMS})")


def _from_match(m: re.Match[str], value: object) -> HDate:
    """The date one matched single date or range endpoint stands for."""
    qualifier = m["q"] or ""
    if (century := m.groupdict().get("century")) is not None:
        base = int(century) * 100
        low, high = (base, base + 99) if not century.startswith("-") else (base - 99, base)
        return HDate(low, precision=Precision.year, until=HDate(high, precision=Precision.year))
    if m["y"] is not None:
        year = int(m["y"])
        if m["d"]:
            return _checked(year, int(m["m"]), int(m["d"]), qualifier, value)
        if m["m"]:
            return _date(year, int(m["m"]), Precision.month, qualifier)
        if m["season"]:
            season = int(m["season"])
            return HDate(year, _SEASON_FIRST_MONTH[season], 1, Precision.month, qualifier, season)
        return _date(year, 1, Precision.year, qualifier)
    if (digits := m["decade_x"]) is not None and digits.startswith("-"):
        # -194X is -1949 to -1940: not a decade as `year - year % 10` counts them.
        low = int(digits) * 10 - 9
        end = HDate(low + 9, precision=Precision.year, qualifier=qualifier)
        return HDate(low, precision=Precision.year, qualifier=qualifier, until=end)
    if digits is not None:
        return _date(int(digits) * 10, 1, Precision.decade, qualifier)
    if m["decade"] is not None:
        return _date(int(m["decade"]), 1, Precision.decade, qualifier)
    if m["big"] is not None:
        return _date(int(m["big"]), 1, Precision.year, qualifier)
    year = int(m["era_year"])
    era = (m["era"] or m["pre"] or "AD").upper()
    return _date(1 - year if era in ("BC", "BCE") else year, 1, Precision.year, qualifier)


def _date(year: int, month: int, precision: Precision, qualifier: str) -> HDate:
    """A single date from its parts."""
    return HDate._plain(year, month, 1, precision, qualifier)


def _plain_iso(m: re.Match[str], value: object) -> HDate:
    """The date a match of `_PLAIN_ISO` stands for."""
    year, month, day, qualifier = m.groups()
    if day:
        if day > "28":  # every month has 28 days: only later ones are checked
            return _checked(int(year), _NUMBER[month], _NUMBER[day], qualifier, value)
        return HDate._plain(int(year), _NUMBER[month], _NUMBER[day], Precision.day, qualifier)
    if month:
        return HDate._plain(int(year), _NUMBER[month], 1, Precision.month, qualifier)
    return HDate._plain(int(year), 1, 1, Precision.year, qualifier)


def _checked(year: int, month: int, day: int, qualifier: str, value: object) -> HDate:
    if day > 28 and day > days_in_month(year, month):  # every month has 28 days
        raise ValueError(
            f"{value!r} is not a valid date: month {month} of {year} has "
            f"{days_in_month(year, month)} days"
        )
    return HDate._plain(year, month, day, Precision.day, qualifier)


# Days before the first of each month, for common and leap years: O(1) day-of-year.
_DAYS_BEFORE = tuple(tuple(sum(days[:m]) for m in range(12)) for days in _MONTH_DAYS)


def _bounds(year: int, month: int, day: int, precision: Precision) -> tuple[float, float]:
    """Decimal years at which a single date's own day, month, year or decade starts and ends."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)  # calendar.isleap, inline
    length = 365 + leap
    first = year + (_DAYS_BEFORE[leap][month - 1] + day - 1) / length
    if precision is Precision.day:
        return first, first + 1 / length
    if precision is Precision.month:
        return first, first + _MONTH_DAYS[leap][month - 1] / length
    return first, float(year + (10 if precision is Precision.decade else 1))


def _season_last_month(date: HDate) -> tuple[int, int, int]:
    """Year, month and day of the first day of a season's last month (winter ends next year)."""
    month = date.month + 2
    return date.year + (month > 12), (month - 1) % 12 + 1, 1


def _unit_start(date: HDate, precision: Precision) -> float:
    """Decimal year at which the `precision` unit holding `date`'s first day starts."""
    if precision is Precision.decade:
        return float(date.year - date.year % 10)
    if precision is Precision.year:
        return float(date.year)
    day = date.day if precision is Precision.day else 1
    return _bounds(date.year, date.month, day, Precision.day)[0]


def year_label(year: float) -> str:
    """Axis label for a decimal year: `1969`, `44 BC`."""
    whole = int(year // 1)
    return f"{1 - whole} BC" if whole <= 0 else str(whole)


def coarsest(*precisions: Precision) -> Precision:
    """The coarsest of some precisions: a comparison is only as exact as its vaguest date."""
    return max(precisions, key=_RANK.__getitem__)


def gap_precision(a: HDate, b: HDate) -> Precision:
    """The unit a gap between two dates can be told in: the coarsest of their ends."""
    return coarsest(*(p.precision for d in (a, b) for p in d._ends()))


def gap_range(a: HDate, b: HDate) -> tuple[float, float]:
    """Smallest and largest `b − a` in decimal years, counted in whole units of the coarser date.

    Two exact days give one number twice; `1942/1947` to `1952` gives (5, 10).
    """
    unit = gap_precision(a, b)
    a_first, a_last = a._units(unit)
    b_first, b_last = b._units(unit)
    return b_first - a_last, b_last - a_first


def gap_label(a: HDate, b: HDate) -> str:
    """`b − a` as people say it, never finer than the dates: `+5 to +10 y`, `about +8 y`."""
    low, high = gap_range(a, b)
    unit = gap_precision(a, b)
    about = "about " if any(d.uncertain or d.approximate for d in (a, b)) else ""
    no_upper = a.open == "start" or b.open == "end"
    no_lower = a.open == "end" or b.open == "start"
    if no_upper and no_lower:
        return "unknown"
    if no_upper or no_lower:
        bound = low if no_upper else high
        factor, word = _unit(abs(bound), unit)
        return f"{about}{_count(bound, factor)} {_plural(word, bound, factor)} or " + (
            "more" if no_upper else "less"
        )
    factor, word = _unit(max(abs(low), abs(high)), unit, months=11 if low == high else 12)
    if _count(low, factor) == _count(high, factor):
        if _count(low, factor) == "0":
            return f"{about}same {'year' if unit is Precision.year else word}"
        return f"{about}{_count(low, factor)} {_plural(word, low, factor)}"
    return f"{about}{_count(low, factor)} to {_count(high, factor)} {_plural(word, high, factor)}"


def _unit(size: float, unit: Precision, months: int = 11) -> tuple[float, str]:
    """Per-year factor and name of the largest fitting unit no finer than `unit`.

    Up to `months` months are told in months; a range may stretch to 12 ("+1 to +12 months").
    """
    if unit is Precision.day and round(size * 365.25) < 60:
        return 365.25, "day"
    if unit in (Precision.day, Precision.month) and round(size * 12) <= months:
        return 12.0, "month"
    return 1.0, "decade" if unit is Precision.decade and size < 5 else "y"


def _count(years: float, factor: float) -> str:
    """A signed whole count (`+3`, `−1`, `0`); years below ten finer units keep one decimal."""
    value = years * factor
    text = f"{abs(value):.1f}".removesuffix(".0") if factor == 1 and abs(value) < 9.5 else ""
    text = text or str(round(abs(value)))
    if text == "0":
        return "0"
    return ("+" if value > 0 else "−") + text


def _plural(word: str, years: float, factor: float) -> str:
    return word if word in ("y", "decade") or round(abs(years) * factor) == 1 else word + "s"
