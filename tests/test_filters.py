from timeline import Query, filter_events


def ids(frame, **query):
    return sorted(filter_events(frame, Query(**query))["id"])


def test_empty_query_keeps_everything(mini_frame):
    assert len(filter_events(mini_frame, Query())) == 11


def test_era_preset(mini_frame):
    assert ids(mini_frame, era="season-1") == [
        "apollo-landing",
        "moon-base",
        "skylab",
        "soviet-landing",
    ]


def test_custom_year_range_is_inclusive_of_whole_years(mini_frame):
    assert ids(mini_frame, years=(1986, 1995)) == ["challenger", "mars-landing"]


def test_lanes(mini_frame):
    assert ids(mini_frame, lanes=frozenset({"shared", "production"})) == ["premiere", "sputnik"]


def test_category_and_tags(mini_frame):
    assert ids(mini_frame, categories=frozenset({"politics"})) == ["iss"]
    assert ids(mini_frame, tags=frozenset({"mars", "base"})) == ["mars-landing", "moon-base"]


def test_status(mini_frame):
    assert ids(mini_frame, statuses=frozenset({"shifted"})) == ["moon-base", "skylab"]


def test_text_search_is_case_insensitive_over_title_and_summary(mini_frame):
    assert ids(mini_frame, text="APOLLO") == ["apollo-landing", "soviet-landing"]


def test_text_search_is_literal_not_a_regex(mini_frame):
    assert ids(mini_frame, text="(") == []
    assert ids(mini_frame, text="(a+)+$") == []


def test_filters_combine(mini_frame):
    assert ids(mini_frame, era="season-1", lanes=frozenset({"reference"}), text="sky") == ["skylab"]


def test_thin_keeps_the_budget_evenly_and_the_ids_asked_for(mini_frame):
    from timeline.filters import thin

    ordered = list(mini_frame["id"])
    kept = thin(mini_frame, 4, keep=["mars-landing"])
    # mars-landing kept on request; the other 3 spread over the remaining 10 rows.
    rest = [i for i in ordered if i != "mars-landing"]
    assert list(kept["id"]) == [
        i for i in ordered if i in {"mars-landing", rest[0], rest[4], rest[9]}
    ]
    assert thin(mini_frame, 11) is mini_frame
