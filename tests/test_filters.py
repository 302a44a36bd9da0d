import timeline as tl
from tests.conftest import TREE
from timeline import Query, filter_events
from timeline.filters import era_as_years


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


def test_filter_options_offer_eras_with_their_years_then_decades_and_centuries(mini, mini_frame):
    from timeline.compare import era_span_label
    from timeline.filters import filter_options

    options = filter_options(((e.id, e.label, era_span_label(e)) for e in mini.eras), mini_frame)
    assert [(s.key, s.label, s.era, s.years) for s in options.spans] == [
        ("space-race", "Space Race (4 Oct 1957–24 Jul 1975)", "space-race", None),
        ("season-1", "Season 1 setting (1969–1974)", "season-1", None),
        ("production", "Production years (2019–2026)", "production", None),
        ("years:1950-1959", "1950s", None, (1950.0, 1959.0)),
        ("years:1960-1969", "1960s", None, (1960.0, 1969.0)),
        ("years:1970-1979", "1970s", None, (1970.0, 1979.0)),
        ("years:1980-1989", "1980s", None, (1980.0, 1989.0)),
        ("years:1990-1999", "1990s", None, (1990.0, 1999.0)),
        ("years:2010-2019", "2010s", None, (2010.0, 2019.0)),
        ("years:1900-1999", "1900–1999", None, (1900.0, 1999.0)),
        ("years:2000-2099", "2000–2099", None, (2000.0, 2099.0)),
    ]
    assert (options.categories, options.tags) == (
        ("politics", "production", "spaceflight"),
        ("base", "mars", "moon", "satellite"),
    )
    assert (options.low, options.high) == (1957, 2019)


def test_an_era_the_events_lack_becomes_its_years_and_a_kept_one_stays():
    tree = tl.load_timeline(TREE)
    query = Query(era="war-novel", text="war")
    assert era_as_years(query, tree.eras, ["war-ours", "postwar"]) == Query(
        years=(1939.0, 1947.0), text="war"
    )
    assert era_as_years(query, tree.eras, ["war-novel"]) == query
    assert era_as_years(Query(era="nope"), tree.eras, []) == Query(era="nope")
