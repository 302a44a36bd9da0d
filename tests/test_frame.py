import pytest

import timeline as tl


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
