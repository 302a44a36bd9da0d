import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.dates import (
    OPEN_SPAN,
    HDate,
    Precision,
    date_pattern,
    gap_label,
    gap_range,
    year_label,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1969-07-20", HDate(1969, 7, 20, Precision.day)),
        ("1969-07", HDate(1969, 7, 1, Precision.month)),
        ("1969", HDate(1969, 1, 1, Precision.year)),
        (1969, HDate(1969, 1, 1, Precision.year)),
        ("1960s", HDate(1960, 1, 1, Precision.decade)),
        ("-0043-03-15", HDate(-43, 3, 15, Precision.day)),
        ("44 BC", HDate(-43, 1, 1, Precision.year)),
        ("44 bc", HDate(-43, 1, 1, Precision.year)),
        ("AD 476", HDate(476, 1, 1, Precision.year)),
        ("2400-02-29", HDate(2400, 2, 29, Precision.day)),
    ],
)
def test_parse_accepts_every_written_form(text, expected):
    assert HDate.parse(text) == expected


Y = Precision.year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1942/1947", HDate(1942, precision=Y, until=HDate(1947, precision=Y))),
        (
            "1969-07/1969-09",
            HDate(1969, 7, 1, Precision.month, until=HDate(1969, 9, 1, Precision.month)),
        ),
        ("../1947", HDate(1947, precision=Y, open="start")),
        ("/1947", HDate(1947, precision=Y, open="start")),
        ("1962/..", HDate(1962, precision=Y, open="end")),
        ("1947?", HDate(1947, precision=Y, qualifier="?")),
        ("1946~", HDate(1946, precision=Y, qualifier="~")),
        ("1946%", HDate(1946, precision=Y, qualifier="%")),
        ("1942?/1947~", HDate(1942, precision=Y, qualifier="?", until=HDate(1947, 1, 1, Y, "~"))),
        ("196X", HDate(1960, precision=Precision.decade)),
        ("19XX", HDate(1900, precision=Y, until=HDate(1999, precision=Y))),
        ("-194X", HDate(-1949, precision=Y, until=HDate(-1940, precision=Y))),
        ("1969-XX", HDate(1969, precision=Y)),
        ("1969-XX-XX", HDate(1969, precision=Y)),
        ("1969-07-XX", HDate(1969, 7, 1, Precision.month)),
        ("1969-21", HDate(1969, 3, 1, Precision.month, season=21)),
        ("1969-24", HDate(1969, 12, 1, Precision.month, season=24)),
        ("Y-20000", HDate(-20000, precision=Y)),
        ("Y170000002", HDate(170_000_002, precision=Y)),
    ],
)
def test_parse_reads_edtf_level_1(text, expected):
    assert HDate.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1969-02-30", "'1969-02-30' is not a valid date: month 2 of 1969 has 28 days"),
        ("1969-13", "'1969-13' is not a valid date: month 13 is not 1-12 (or 21-24, a season)"),
        (
            "0 BC",
            "'0 BC' is not a valid date (write 1969-07-20, 1969-07, 1969, 1960s, 44 BC, "
            "1947?, 1946~, 1942/1947, ../1947 or 196X)",
        ),
        ("1947/1942", "'1947/1942' is not a valid date: the range ends (1942) before it starts"),
        ("../..", "'../..' is not a valid date: give at least one end of the range"),
        (1_000_000, "1000000 is out of range: years go up to 999,999 either way"),
    ],
)
def test_parse_explains_what_is_wrong(text, message):
    with pytest.raises(ValueError) as info:
        HDate.parse(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "June 31 1969",
        "",
        True,
        19.5,
        "19XX/2000",
        "1969-25",
        "1969-21-01",
        "Y1234",
        "1969??",
        "Y1000000000",
        "X",
        "1969 / 1970",
        "1969/1970/1971",
    ],
)
def test_parse_rejects_what_is_not_a_date(text):
    with pytest.raises(ValueError, match="not"):
        HDate.parse(text)


def test_leap_rule_is_proleptic_gregorian():
    assert HDate.parse("2000-02-29").day == 29
    with pytest.raises(ValueError, match="28 days"):
        HDate.parse("1900-02-29")


def test_decimal_years_work_outside_pandas_range():
    caesar = HDate.parse("-0043-03-15")
    assert caesar.start() == pytest.approx(-43 + 73 / 365)
    assert HDate.parse("1969").mid() == 1969.5
    assert HDate.parse("1960s").stop() == 1970.0


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "anchor"),
    [
        ("1969", 1969.0, 1970.0, 1969.5),
        ("1960s", 1960.0, 1970.0, 1965.0),
        ("196X", 1960.0, 1970.0, 1965.0),
        ("1947?", 1947.0, 1948.0, 1947.5),
        ("1942/1947", 1942.0, 1948.0, 1945.0),
        ("../1947", 1948.0 - 1 - OPEN_SPAN, 1948.0, 1947.5),
        ("1962/..", 1962.0, 1963.0 + OPEN_SPAN, 1962.5),
        ("19XX", 1900.0, 2000.0, 1950.0),
        ("1969-21", 1969 + 59 / 365, 1969 + 151 / 365, 1969 + 105 / 365),
        ("1969-24", 1969 + 334 / 365, 1970 + 59 / 365, 1969 + (334 + 424) / 730),
    ],
)
def test_every_date_has_one_range_and_one_anchor(text, earliest, latest, anchor):
    date = HDate.parse(text)
    assert (date.earliest, date.latest, date.anchor) == pytest.approx((earliest, latest, anchor))
    assert (date.start(), date.stop()) == (date.earliest, date.latest)


def test_a_coarser_precision_widens_the_range_but_keeps_the_best_guess():
    guess = HDate.parse("1946").coarsen(Precision.decade)
    assert (guess.year, guess.precision, guess.label(), guess.iso()) == (
        1940,
        Precision.decade,
        "1940s",
        "1940",
    )
    assert (guess.earliest, guess.latest, guess.anchor) == (1940.0, 1950.0, 1946.5)
    assert guess.text() == "1946"
    assert HDate.parse(guess.text()).coarsen(Precision.decade) == guess


def test_coarsen_refuses_finer_precision_and_ranges():
    with pytest.raises(ValueError, match="finer"):
        HDate.parse("1969").coarsen(Precision.day)
    with pytest.raises(ValueError, match="cannot take a precision"):
        HDate.parse("1942/1947").coarsen(Precision.decade)
    day = HDate.parse("1969-07-20")
    assert day.coarsen(Precision.year) == HDate(1969, 1, 1, Precision.year, guess=day)
    assert HDate.parse("1942/1947").coarsen(Precision.year) == HDate.parse("1942/1947")


@pytest.mark.parametrize(
    ("text", "label", "uncertain", "approximate", "is_range"),
    [
        ("1969-07-20", "20 Jul 1969", False, False, False),
        ("1947?", "1947?", True, False, False),
        ("1946~", "c. 1946", False, True, False),
        ("1946%", "c. 1946?", True, True, False),
        ("1942/1947", "1942–1947", False, False, True),
        ("../1947", "by 1947", False, False, True),
        ("1962/..", "1962 or later", False, False, True),
        ("1960s", "1960s", False, False, False),
        ("1969-21", "spring 1969", False, False, False),
        ("1969-24", "winter 1969–1970", False, False, False),
        ("1942/1947~", "1942–c. 1947", False, True, True),
        ("-0043-03-15", "15 Mar 44 BC", False, False, False),
        ("Y-20000", "20001 BC", False, False, False),
    ],
)
def test_labels_say_the_uncertainty_in_words(text, label, uncertain, approximate, is_range):
    date = HDate.parse(text)
    assert (date.label(), date.uncertain, date.approximate, date.is_range) == (
        label,
        uncertain,
        approximate,
        is_range,
    )


FORMS = [
    "1969-07-20",
    "1969-07",
    "1969",
    "1960s",
    "-0043-03-15",
    "-0043-03",
    "44 BC",
    "0",
    "1942/1947",
    "1969-07/1969-09",
    "../1947",
    "1962/..",
    "1947?",
    "1946~",
    "1946%",
    "196X",
    "19XX",
    "1969-XX",
    "1969-21",
    "1969-24",
    "Y-20000",
    "Y170000002",
    "+20000",
    "1942?/1947~",
    "../1969-07-20~",
    "1960s?",
    "-194X",
]


@pytest.mark.parametrize("text", FORMS)
def test_text_round_trips(text):
    date = HDate.parse(text)
    assert HDate.parse(date.text()) == date


def test_text_uses_the_file_spelling():
    assert [HDate.parse(t).text() for t in ("44 BC", "196X", "19XX", "Y170000002", "1962/")] == [
        "-0043",
        "1960s",
        "1900/1999",
        "Y170000002",
        "1962/..",
    ]
    assert year_label(-43.2) == "45 BC"


@pytest.mark.parametrize(
    ("a", "b", "low", "high", "label"),
    [
        ("1942/1947", "1952", 5, 10, "+5 to +10 y"),
        ("1969-07-20", "1969-07-21", 1 / 365, 1 / 365, "+1 day"),
        ("1969-07-20", "1969-07-20", 0, 0, "same day"),
        ("1969-07", "1969-07-15", 0, 0, "same month"),
        ("1969-07-20", "1970", 1, 1, "+1 y"),
        ("1969", "1969-12-31", 0, 0, "same year"),
        ("1960s", "1969", 0, 0, "same decade"),
        ("1950s", "1970s", 20, 20, "+20 y"),
        ("1947?", "1955", 8, 8, "about +8 y"),
        ("1955", "1947~", -8, -8, "about −8 y"),
        ("../1947", "1952", 5, 5 + OPEN_SPAN, "+5 y or more"),
        ("1962/..", "1970", 8 - OPEN_SPAN, 8, "+8 y or less"),
        ("../1947", "../1950", 3 - OPEN_SPAN, 3 + OPEN_SPAN, "unknown"),
        ("1969-21", "1969-07", 61 / 365, 122 / 365, "+2 to +4 months"),
        ("1969-07-20", "1971-01-20", 549 / 365, 549 / 365, "+1.5 y"),
        ("1969-07-20", "1969-10-01", 73 / 365, 73 / 365, "+2 months"),
        ("1969-07", "1969-08", 31 / 365, 31 / 365, "+1 month"),
    ],
)
def test_gaps_are_ranges_told_no_finer_than_the_dates(a, b, low, high, label):
    first, second = HDate.parse(a), HDate.parse(b)
    assert gap_range(first, second) == pytest.approx((low, high))
    assert gap_label(first, second) == label


def test_the_gap_of_a_decade_guess_counts_whole_decades():
    guess = HDate.parse("1946").coarsen(Precision.decade)
    assert gap_label(guess, HDate.parse("1949")) == "same decade"
    assert gap_label(guess, HDate.parse("1951")) == "+10 y"


# --- the JSON Schema pattern and the parser accept the same strings ------------------------------

PATTERN = re.compile(date_pattern())


# What only a calendar can tell: the pattern cannot know February or the order of two dates.
CALENDAR_ONLY = ("days", "before it starts")


def check_agreement(text: str) -> None:
    in_pattern = PATTERN.fullmatch(text) is not None
    try:
        HDate.parse(text)
    except ValueError as exc:
        assert not in_pattern or any(reason in str(exc) for reason in CALENDAR_ONLY), text
    else:
        assert in_pattern, text


pieces = st.sampled_from(
    [
        "19",
        "69",
        "1969",
        "0",
        "00",
        "-",
        "+",
        "/",
        "..",
        "X",
        "XX",
        "s",
        "Y",
        "?",
        "~",
        "%",
        " ",
        "BC",
        "bc",
        "BCE",
        "AD",
        "CE",
        "ad ",
        "-07",
        "-13",
        "-21",
        "-25",
        "-XX",
        "-20",
        "-30",
        "-31",
        "-02-29",
        "44",
        "1",
        "12345",
        "\t",
        "\n",
        "\x0b",
        "\u2003",
        "Z",
    ]
)


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(st.lists(pieces, min_size=1, max_size=6).map("".join))
def test_the_schema_pattern_accepts_exactly_what_the_parser_reads(text):
    check_agreement(text)


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(st.from_regex(PATTERN, fullmatch=True))
def test_every_string_the_pattern_allows_parses_or_fails_on_the_calendar(text):
    check_agreement(text)


@pytest.mark.parametrize("text", [*FORMS, " 1969", "AD 476", "44 bc", "1969-02-29", "1/1"])
def test_the_pattern_agrees_on_the_documented_forms(text):
    check_agreement(text)


@pytest.mark.parametrize("text", ["1969-07-20", "2000-02", "1900-02", "1969", "1960s", "44 BC"])
def test_the_fast_path_gives_the_same_bounds_as_the_constructor(text):
    parsed = HDate.parse(text)
    built = HDate(parsed.year, parsed.month, parsed.day, parsed.precision)
    assert (parsed, parsed.earliest, parsed.latest, parsed.anchor) == (
        built,
        built.earliest,
        built.latest,
        built.anchor,
    )


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("1969-07-20", "1969-07-20"),
        ("1960s", "1960"),
        ("44 BC", "-0043"),
        ("1947?", "1947?"),
        ("1942/1947~", "1942/1947~"),
        ("../1969-07", "../1969-07"),
        ("1969-21", "1969-21"),
        ("Y170000002", "Y170000002"),
    ],
)
def test_iso_is_edtf_with_decades_as_their_first_year(text, iso):
    assert HDate.parse(text).iso() == iso
    assert str(HDate.parse(text)) == iso


def test_a_coarsened_date_keeps_its_marks():
    about = HDate.parse("1946~").coarsen(Precision.decade)
    assert (about.label(), about.approximate, about.text()) == ("c. 1940s", True, "1946~")
    assert HDate.parse(about.text()).coarsen(Precision.decade) == about


def test_a_season_ending_in_another_year_counts_it_in_gaps():
    winter = HDate.parse("1969-24")
    assert gap_label(winter, HDate.parse("1970")) == "0 to +1 y"
    assert gap_label(HDate.parse("1969-03/1969-24"), HDate.parse("1970-03")) == "+1 to +12 months"


def test_days_in_month_follows_the_calendar_in_any_year():
    import calendar

    from timeline.dates import days_in_month

    for year in (*range(-1205, -1195), *range(1896, 1905), *range(1996, 2005), 2100, 2400):
        for month in range(1, 13):
            expected = calendar.monthrange(year % 400 + 2000, month)[1]
            assert (year, month, days_in_month(year, month)) == (year, month, expected)
    with pytest.raises(calendar.IllegalMonthError):
        days_in_month(1969, 13)


def test_within_a_parse_memo_a_text_is_read_once():
    from timeline.dates import parse_memo

    with parse_memo():
        first, again, year = HDate.parse("1969-07-20"), HDate.parse("1969-07-20"), HDate.parse(1969)
        assert first is again
        assert year is HDate.parse(1969)
    assert first == HDate.parse("1969-07-20")
    assert HDate.parse("1969-07-20") is not first  # the memo ended with its block


def test_a_parse_memo_keeps_no_errors_and_tells_types_apart():
    from timeline.dates import parse_memo

    with parse_memo():
        HDate.parse(1)
        for _ in range(2):  # a bad text fails each time it is read, with the same message
            with pytest.raises(ValueError, match="month 2 of 1969 has 28 days"):
                HDate.parse("1969-02-29")
        for value in (True, 1.0):  # equal to 1 as dict keys, yet not dates
            with pytest.raises(ValueError, match="is not a date"):
                HDate.parse(value)
