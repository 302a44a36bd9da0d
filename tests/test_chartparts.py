"""The parts every chart shares: one year format, eras packed without overlap, plain text."""

import re

import pytest

import timeline as tl
from tests.conftest import ROOT
from timeline.chartparts import (
    CHAR_PX,
    PHONE_PLOT_PX,
    era_strip,
    pack_eras,
    plain,
    row_px,
    short_words,
    title_lines,
    x_range,
    year_ticks,
)
from timeline.style import NAME_BOX


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (1955.3, 2029.1, ["1960", "1970", "1980", "1990", "2000", "2010", "2020"]),
        (1991.8, 1996.2, ["1992", "1993", "1994", "1995", "1996"]),
        (-1010.0, 30.0, ["1000 BC", "800 BC", "600 BC", "400 BC", "200 BC", "AD 1"]),
        (1969.4, 1969.9, ["Jun 1969", "Jul 1969", "Aug 1969", "Sep 1969", "Oct 1969", "Nov 1969"]),
    ],
)
def test_year_ticks_use_one_format(low, high, ticks):
    assert year_ticks(low, high)[1] == ticks


def test_bc_ticks_sit_on_astronomical_years():
    values, labels = year_ticks(-1010.0, 30.0)
    assert dict(zip(labels, values, strict=True))["1000 BC"] == -999  # no year 0


def test_x_range_pads_what_is_shown_and_takes_the_era():
    assert x_range([1970.0, 1980.0]) == (1969.6, 1980.4)
    assert x_range([1972.5], (1969.0, 1975.0)) == (1968.75, 1975.25)
    assert x_range([1969.5]) == (1968.5, 1970.5)


def test_eras_are_packed_so_labels_never_overlap(mini):
    placed = pack_eras(mini.eras, 1950.0, 2030.0)
    assert [(p.era.id, p.row) for p in placed] == [
        ("space-race", 0),
        ("season-1", 1),
        ("production", 0),
    ]
    assert pack_eras(mini.eras, 1990.0, 2000.0) == []  # none inside the range


def test_plain_text_is_never_markup():
    assert plain('<a href="x">y</a> & <b>') == '&lt;a href="x"&gt;y&lt;/a&gt; &amp; &lt;b&gt;'
    assert plain(None) == "" and plain(float("nan")) == ""


def test_short_words_cuts_after_a_whole_word_when_one_fits():
    assert short_words("Season 1 setting (1969-1974)", 28) == "Season 1 setting (1969-1974)"
    assert short_words("Season 1 setting (1969-1974)", 19) == "Season 1 setting…"
    assert short_words("Season 1 setting (1969-1974)", 11) == "Season 1…"
    assert short_words("Supercalifragilistic", 8) == "Superca…"  # no space: cut inside


def strip(era: str, low: float, high: float) -> tuple[list[str], dict[str, str]]:
    """The era strip's labels with `era` highlighted, and the full name each bar's hover has."""
    fam = tl.load_timeline(ROOT / "seeds" / "for-all-mankind.yaml")
    (bars,), labels = era_strip(pack_eras(fam.eras, low, high), dict.fromkeys(range(9), 0.0), era)
    return [a["text"] for a in labels], {c[0]: c[1] for c in bars.customdata}


def test_the_highlighted_eras_label_fits_inside_its_bar_on_a_phone_and_hover_has_it_whole():
    # Season 1's axis runs to 1984 (an event "by 1983" is in the era): its bar takes 6 of 16
    # years, 130 px of a phone's 340, too short for its 28 characters.
    texts, hover = strip("season-1-setting", 1968.42, 1984.08)
    assert "<b>Season 1 setting…</b>" in texts
    assert hover["era:season-1-setting"] == "Season 1 setting (1969-1974)"
    # Zoomed to its own years, the bar is the whole plot: the label stays whole.
    assert "<b>Season 1 setting (1969-1974)</b>" in strip("season-1-setting", 1968.75, 1975.25)[0]
    # A bar too short for even a few characters keeps its full name beside it.
    assert "<b>Season 2 setting (1983)</b>" in strip("season-2-setting", 1968.42, 1984.08)[0]


def test_a_rows_title_wraps_to_a_phone_with_the_title_bold_and_file_text_literal():
    lines = title_lines(
        "Season 1 premieres with the launch of <i>Apple TV+</i>",
        "released 1 Nov 2019 · set in Season 1 setting (1969-1974)",
    )
    # 49 characters a line at most, counted as shown (before escaping); bold up to the " · ".
    assert lines == [
        "<b>Season 1 premieres with the launch of &lt;i&gt;Apple</b>",
        "<b>TV+&lt;/i&gt;</b> · released 1 Nov 2019 · set in Season 1",
        "setting (1969-1974)",
    ]
    assert title_lines("Skylab launched", "same year") == ["<b>Skylab launched</b> · same year"]


def test_rows_grow_by_a_line_for_each_line_the_longest_title_wraps_to():
    assert row_px(46, [["one"], ["one", "two", "three"]]) == 46 + 2 * 16
    assert row_px(46, []) == 46


def test_an_era_label_longer_than_its_bar_sits_on_the_name_box_and_one_that_fits_does_not():
    fam = tl.load_timeline(ROOT / "seeds" / "for-all-mankind.yaml")
    placed = pack_eras(fam.eras, 1968.42, 1984.08)  # Season 1's axis, as drawn
    _, labels = era_strip(placed, dict.fromkeys(range(9), 0.0), "season-1-setting")
    boxes = {a["text"]: a.get("templateitemname") for a in labels}
    assert boxes == {
        "Cold War (the show)": None,
        "Cold War": None,
        "Space Race (the show)": None,
        "Space Race": None,
        # 39 characters may take 256 px of its 238, and the axis ends too soon after the bar
        # (and starts too soon before) for it beside: cut to fit inside, whole in the hover.
        "Star City setting (1969 into the…": None,
        "<b>Season 1 setting…</b>": None,  # cut to fit
        "Season 1 post-credits scene (1983)": NAME_BOX,
        "Season 2 setting (1983)": NAME_BOX,
        "Space Shuttle era": NAME_BOX,
    }
    hover = strip("season-1-setting", 1968.42, 1984.08)[1]
    assert "Star City setting (1969 into the 1970s)" in hover.values()


FAM = ROOT / "seeds" / "for-all-mankind.yaml"
SEASON_1_AXIS = (1968.42, 1984.08)  # the timeline's axis at the Season 1 setting era, as drawn


def outlines_through_labels(
    low: float, high: float, highlight: str | None, plot_px: float
) -> list[tuple[str, str]]:
    """(label, era) for each bar outline that runs through a label, estimating a label's
    length at CHAR_PX a character on a plot `plot_px` wide."""
    eras = tl.load_timeline(FAM).eras
    placed = pack_eras(eras, low, high)
    (bars,), labels = era_strip(placed, {p.row: float(p.row) for p in placed}, highlight)

    def px(x: float) -> float:
        return (x - low) / (high - low) * plot_px

    edges = [
        (y, c[1], px(edge))
        for base, wide, y, c in zip(bars.base, bars.x, bars.y, bars.customdata, strict=True)
        for edge in (base, base + wide)
    ]
    crossed = []
    for label in labels:
        text = re.sub("<[^>]+>", "", str(label["text"]))
        at = px(float(label["x"])) + float(label["xshift"])
        wide = len(text) * CHAR_PX
        left, right = (at - wide, at) if label["xanchor"] == "right" else (at, at + wide)
        crossed += [(text, era) for y, era, x in edges if y == label["y"] and left < x < right]
    return crossed


@pytest.mark.parametrize("plot_px", [PHONE_PLOT_PX, 960.0])
@pytest.mark.parametrize(
    ("axis", "highlight"),
    [
        (SEASON_1_AXIS, "season-1-setting"),
        (SEASON_1_AXIS, "season-2-setting"),
        ((1955.0, 2030.0), None),
    ],
)
def test_no_era_bars_outline_runs_through_a_label(axis, highlight, plot_px):
    assert outlines_through_labels(*axis, highlight, plot_px) == []
