import pytest

import timeline as tl
from tests.conftest import ROOT
from timeline import counterpart_pairs, filter_events, headline
from timeline.query import Query


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
    ("ours", "theirs", "gap", "moved"),
    [
        ("1969-07-20", "1969-07", "same month", False),
        ("1969-07-20", "1969-06-26", "−24 days", True),
        ("1961", "1969", "+8 y", True),
        ("1969", "1965/1970", "−4 to +1 y", False),
        ("1964~", "1969", "about +5 y", True),
        ("1969", "../1972", "+3 y or less", False),
    ],
)
def test_pair_gaps_carry_the_dates_uncertainty(mini_text, ours, theirs, gap, moved):
    text = mini_text.replace("date: 1969-07-20", f'date: "{ours}"').replace(
        "date: 1969-06-26", f'date: "{theirs}"'
    )
    pairs = counterpart_pairs(tl.to_frame(tl.parse_timeline(text)))
    apollo = pairs[pairs["reference_id"] == "apollo-landing"].iloc[0]
    assert (apollo["gap"], bool(apollo["gap_surely_nonzero"])) == (gap, moved)


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


@pytest.mark.parametrize("seed", ["for-all-mankind.yaml", "roma-eterna.yaml", "space-race.yaml"])
def test_the_largest_shift_is_the_moved_pair_furthest_apart_with_its_gap(seed):
    # The headline labels only that pair's gap; every pair's labels say the same of it.
    frame = tl.to_frame(tl.compare_pair(tl.load_timeline(ROOT / "seeds" / seed)))
    pairs = counterpart_pairs(frame)
    moved = pairs[pairs["gap_surely_nonzero"]]
    top = moved.loc[moved["gap_years"].abs().idxmax()]
    assert headline(frame).largest_shift == f"{top['gap']}: {top['reference_title']}"
    assert counterpart_pairs(frame, gaps=False)["gap"].isna().all()


@pytest.mark.parametrize("seed", ["for-all-mankind.yaml", "roma-eterna.yaml", "space-race.yaml"])
def test_a_headline_from_the_files_pairs_equals_one_from_the_events_in_view(seed):
    frame = tl.to_frame(tl.compare_pair(tl.load_timeline(ROOT / "seeds" / seed)))
    every_pair = counterpart_pairs(frame, gaps=False)
    eras = sorted(set(frame["eras"].explode().dropna()))
    queries = [Query(), Query(lanes=frozenset({"diverged"})), Query(text="moon")]
    queries += [Query(era=era) for era in eras]
    for query in queries:
        shown = filter_events(frame, query)
        assert headline(shown, every_pair) == headline(shown), query
