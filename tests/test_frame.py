import itertools

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import timeline as tl
import timeline.frame as frame_module
from tests.conftest import TREE
from tests.test_branchmap import synthetic_tree
from timeline.frame import among
from timeline.tree import tree_of

TEXT = TREE.read_text()


def test_one_row_per_event_sorted_by_date(mini_frame):
    assert list(mini_frame["id"]) == [
        "sputnik",
        "designer-dies",
        "designer-survives",
        "soviet-landing",
        "apollo-landing",
        "moon-base",
        "skylab",
        "challenger",
        "mars-landing",
        "iss",
        "premiere",
    ]


def test_export_columns_come_first(mini_frame):
    assert tuple(mini_frame.columns[: len(tl.EXPORT_COLUMNS)]) == tl.EXPORT_COLUMNS


def test_row_values(mini_frame):
    row = mini_frame.set_index("id").loc["mars-landing"]
    assert row["date"] == "1995"
    assert row["precision"] == "year"
    assert row["x"] == 1995.5
    assert row["date_label"] == "c. 1995"
    assert row["lane"] == "diverged"
    assert row["status"] == "new"
    assert row["eras"] == []


def test_an_event_is_in_every_era_it_overlaps(mini_frame):
    eras = mini_frame.set_index("id")["era"]
    assert eras.loc["apollo-landing"] == ["space-race", "season-1"]
    assert eras.loc["sputnik"] == ["space-race"]
    # The production era only takes production events.
    assert eras.loc["premiere"] == ["production"]


def test_plot_position_of_a_day(mini_frame):
    x = mini_frame.set_index("id").loc["apollo-landing", "x"]
    assert x == pytest.approx(1969 + (200.5 / 365))


def test_era_membership_matches_a_plain_overlap_test(mini: tl.Timeline):
    import random

    rng = random.Random(7)
    data = tl.dump_timeline(mini)
    data["eras"] += [
        {"id": f"a{i}", "label": "A", "start": s, "end": s + rng.randint(0, 30)}
        | ({"layer": rng.choice(["world", "production"])} if i % 3 == 0 else {})
        for i, s in enumerate(rng.randint(1950, 2020) for _ in range(40))
    ]
    timeline = tl.validate_timeline(data, "t.json")
    frame = tl.to_frame(timeline)
    for row in frame.itertuples():
        expected = [
            e.id
            for e in timeline.eras
            if e.start.start() < row.stop
            and e.end.stop() > row.start
            and (e.layer is None or e.layer == row.layer)
        ]
        assert row.eras == row.era == expected, row.id


# A tree's frame is built once per timeline; a pair compared from the tree takes its rows.


def own_frame(timeline: tl.Comparison | tl.Timeline) -> pd.DataFrame:
    """The frame built from the events alone: a copy with a new events list is not the
    timeline the cached frame belongs to."""
    return tl.to_frame(timeline.model_copy(update={"events": list(timeline.events)}))


# A release of the film set in one era: the tree's `setting` mixes lists and text, and a pair
# without the novel holds text only, or nothing; pandas types each column by what it holds.
FILM_RELEASE = """
  - id: film-released
    date: 1970
    end: 1971
    title: The film is released
    history: film
    layer: production
    category: publishing
    setting: postwar
    sources: [the-film]
"""


@pytest.mark.parametrize("source", ["tree.yaml", "with a film release", "synthetic"])
def test_a_pair_of_a_tree_has_the_frame_of_its_own_events(source):
    timeline = (
        tl.load_timeline(TREE)
        if source == "tree.yaml"
        else tl.parse_timeline(TEXT + FILM_RELEASE, "film.yaml")
        if source == "with a film release"
        else tl.validate_timeline(synthetic_tree(800, histories=6, seed=7), "s.yaml")
    )
    ids = [h.id for h in timeline.histories]
    tl.to_frame(timeline)  # the tree's frame first, as the app builds it
    for a, b in itertools.combinations(ids, 2):
        pair = tl.compare_pair(timeline, (a, b))
        assert_frame_equal(tl.to_frame(pair), own_frame(pair), check_exact=True)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of each frame built from events (not taken from a tree's frame)."""
    sizes: list[int] = []
    build = frame_module._build
    monkeypatch.setattr(
        frame_module,
        "_build",
        lambda events, eras, *read: sizes.append(len(events)) or build(events, eras, *read),
    )
    return sizes


def test_a_trees_frame_is_built_once_and_its_pairs_take_their_rows_from_it(built):
    timeline = tl.load_timeline(TREE)
    pairs = [tl.compare_pair(timeline), tl.compare_pair(timeline, ("novel", "film"))]
    frames = [tl.to_frame(p) for p in pairs] + [tl.to_frame(timeline), tl.to_frame(timeline)]
    assert built == [len(timeline.events)]
    assert_frame_equal(frames[2], frames[3])


def test_a_two_history_trees_pair_is_built_alone_without_the_trees_frame(built):
    timeline = tl.validate_timeline(synthetic_tree(300, histories=2, seed=2), "two.yaml")
    pair = tl.compare_pair(timeline)
    tl.to_frame(pair)
    assert built == [len(pair.events)]
    assert "frame" not in tree_of(timeline).memo  # nothing kept for the whole tree


@pytest.mark.parametrize("histories", [2, 6])
def test_a_trees_frame_from_the_fields_its_tree_read_is_the_frame_of_its_events(histories):
    timeline = tl.validate_timeline(synthetic_tree(400, histories=histories, seed=5), "t.yaml")
    tl.compare_pair(timeline)  # the tree reads every event's fields once
    assert_frame_equal(tl.to_frame(timeline), own_frame(timeline), check_exact=True)


@pytest.mark.parametrize("seed", [2, 3])
def test_a_two_history_trees_pair_has_the_frame_of_its_own_events(seed):
    """Its frame takes the fields the tree read of its events, the pair's sided ones replaced."""
    timeline = tl.validate_timeline(synthetic_tree(300, histories=2, seed=seed), "two.yaml")
    ids = [h.id for h in timeline.histories]
    for pair in (tl.compare_pair(timeline), tl.compare_pair(timeline, (ids[1], ids[0]))):
        assert_frame_equal(tl.to_frame(pair), own_frame(pair), check_exact=True)
        assert sorted(tl.to_frame(pair)["history"].unique()) == ["diverged", "reference", "shared"]


def test_a_trees_frame_is_per_file_and_changing_a_copy_leaves_it_whole():
    timeline = tl.load_timeline(TREE)
    other = tl.parse_timeline(TEXT.replace("title: The crash", "title: The fall"), "other.yaml")
    tl.compare_pair(timeline), tl.compare_pair(other)  # each file's tree, keeping its frame
    first = tl.to_frame(timeline)
    first.loc[first["title"] == "The crash", "title"] = "changed"
    titles = tl.to_frame(timeline)["title"].tolist()
    assert titles == own_frame(timeline)["title"].tolist()
    assert "The crash" in titles and "changed" not in titles
    assert tl.to_frame(other)["title"].tolist() == [
        "The fall" if t == "The crash" else t for t in titles
    ]


def test_a_copy_with_other_events_gets_a_frame_of_those_events():
    timeline = tl.load_timeline(TREE)
    tl.to_frame(timeline)
    some = timeline.model_copy(update={"events": timeline.events[:3]})
    assert sorted(tl.to_frame(some)["id"]) == sorted(e.id for e in timeline.events[:3])


@pytest.mark.parametrize("count", [1, 5, 400])  # few values: pandas' isin; many: set lookups
def test_among_is_isin_for_few_and_many_values(count):
    column = pd.Series([f"e{i}" if i % 7 else None for i in range(1000)], dtype="str")
    values = {f"e{i}" for i in range(0, 3 * count, 3)}
    assert among(column, values).tolist() == column.isin(values).tolist()
    assert among(column, dict.fromkeys(values)).tolist() == column.isin(values).tolist()


def test_a_pair_equals_the_same_pair_however_it_was_flattened():
    first, second = tl.load_timeline(TREE), tl.load_timeline(TREE)
    pair = tl.compare_pair(first, ("novel", "film"))
    tl.to_frame(first), tl.to_frame(pair)  # the first file's pair took its frame's rows
    assert pair == tl.compare_pair(second, ("novel", "film"))
    assert pair != tl.compare_pair(second, ("ours", "film"))
