import pytest

from timeline.dates import HDate, Precision, year_label


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
        ("AD 476", HDate(476, 1, 1, Precision.year)),
        ("2400-02-29", HDate(2400, 2, 29, Precision.day)),
    ],
)
def test_parse_accepts_every_written_form(text, expected):
    assert HDate.parse(text) == expected


@pytest.mark.parametrize("text", ["1969-02-30", "1969-13", "June 31 1969", "0 BC", "", True, 19.5])
def test_parse_rejects_impossible_dates(text):
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


def test_iso_and_labels_round_trip():
    assert HDate.parse("-0043-03-15").iso() == "-0043-03-15"
    assert HDate.parse("-0043-03-15").label() == "15 Mar 44 BC"
    assert HDate.parse("1969-07").label() == "Jul 1969"
    assert HDate.parse(HDate.parse("1960s").text()) == HDate.parse("1960s")
    assert HDate.parse(HDate.parse("-0043-03").text()) == HDate.parse("-0043-03")
    assert year_label(-43.2) == "45 BC"


def test_coarsen_refuses_finer_precision():
    with pytest.raises(ValueError, match="finer"):
        HDate.parse("1969").coarsen(Precision.day)
    assert HDate.parse("1969-07-20").coarsen(Precision.year) == HDate(1969, 1, 1, Precision.year)
