from timeline import Query
from timeline.viewstate import View, describe_view, params_from_view, view_from_params


def test_view_round_trips_through_params():
    view = View(
        query=Query(
            era="season-1",
            lanes=frozenset({"reference", "diverged"}),
            categories=frozenset({"politics"}),
            tags=frozenset({"moon"}),
            statuses=frozenset({"new"}),
            text="moon",
        ),
        event="apollo-landing",
        data="roma-eterna.yaml",
    )
    params = params_from_view(view)
    assert params == {
        "data": "roma-eterna.yaml",
        "era": "season-1",
        "history": ["diverged", "reference"],
        "category": ["politics"],
        "tag": ["moon"],
        "status": ["new"],
        "q": "moon",
        "event": "apollo-landing",
    }
    assert view_from_params(params) == view


def test_default_view_has_no_params():
    assert params_from_view(View()) == {}


def test_junk_years_are_ignored():
    assert view_from_params({"from": "x", "to": "1970"}).query.years is None
    assert view_from_params({"from": "1969", "to": "1970"}).query.years == (1969.0, 1970.0)


def test_names_with_commas_survive_the_address():
    view = View(query=Query(categories=frozenset({"war, peace", "trade"})))
    assert params_from_view(view) == {"category": ["trade", "war, peace"]}
    assert view_from_params(params_from_view(view)) == view


def test_a_repeated_single_value_key_takes_the_last():
    assert view_from_params({"era": ["space-race", "season-1"], "q": ["moon"]}) == View(
        query=Query(era="season-1", text="moon")
    )


def test_report_describes_the_filters_not_the_file_or_selection():
    view = View(
        query=Query(era="season-1", lanes=frozenset({"reference", "diverged"}), text="moon"),
        event="apollo-landing",
        data="roma-eterna.yaml",
    )
    assert describe_view(view) == "era=season-1; history=diverged, reference; q=moon"
    assert describe_view(View()) == ""


def test_unusable_years_are_ignored_and_named():
    for low, high in [
        ("nan", "1990"),
        ("-inf", "inf"),
        ("1e400", "1990"),
        ("1969", "1e308"),
        ("x", "1970"),
        ("1990", "1969"),
        ("1969", ""),
    ]:
        view = view_from_params({"from": low, "to": high, "era": "space-race"})
        assert view == View(query=Query(era="space-race"), ignored=("from", "to")), (low, high)
        # Writing the view back drops the bad values: the address is corrected.
        assert params_from_view(view) == {"era": "space-race"}


def test_usable_years_ignore_nothing():
    assert view_from_params({"from": "-1e6", "to": "1e6"}) == View(query=Query(years=(-1e6, 1e6)))
    assert view_from_params({}).ignored == ()
