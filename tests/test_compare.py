import pytest

import timeline as tl
from timeline import counterpart_pairs, filter_events, gap_label, headline
from timeline.filters import Query


def test_pairs_with_gaps(mini_frame):
    pairs = counterpart_pairs(mini_frame)
    assert pairs[["reference_id", "diverged_id", "gap", "status"]].values.tolist() == [
        ["designer-dies", "designer-survives", "same day", "replaced"],
        ["apollo-landing", "soviet-landing", "−24 days", "replaced"],
        ["skylab", "moon-base", "same year", "shifted"],
    ]
    # 26 June vs 20 July 1969: 24 days earlier.
    assert pairs.loc[1, "gap_years"] == pytest.approx(-24 / 365)


def test_pairs_need_both_sides_in_view(mini_frame):
    shown = filter_events(mini_frame, Query(lanes=frozenset({"diverged"})))
    assert counterpart_pairs(shown).empty


@pytest.mark.parametrize(
    ("years", "precision", "label"),
    [
        (0, "day", "same day"),
        (1 / 365, "day", "+1 day"),
        (-0.25, "day", "−3 months"),
        (14.2, "day", "+14 y"),
        (-1.5, "day", "−1.5 y"),
        (0.02, "month", "same month"),
        (0.4, "year", "same year"),
        (-3.2, "year", "about −3 y"),
        (0.7, "month", "about +8 months"),
        (8.1, "month", "about +8 y"),
        (4, "decade", "same decade"),
    ],
)
def test_gap_label_is_no_finer_than_the_dates(years, precision, label):
    assert gap_label(years, precision) == label


def test_headline_numbers(mini_frame):
    h = headline(mini_frame)
    assert h.events == 11
    assert h.per_lane == {"reference": 5, "diverged": 4, "shared": 1, "production": 1}
    assert h.pairs == 3
    assert h.per_status == {"replaced": 2, "shifted": 1, "new": 1}
    # Skylab (14 May 1973) and the lunar base (1973) may be the same year: not moved.
    assert (h.moved, h.largest_shift, h.one_sided) == (1, "−24 days: Apollo lands on the Moon", 0)


def test_headline_counts_one_sided_milestones(mini_text):
    text = mini_text.replace("tags: [mars]", "tags: [mars, milestone]")
    assert headline(tl.to_frame(tl.parse_timeline(text))).one_sided == 1
