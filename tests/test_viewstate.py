from timeline import Query
from timeline.viewstate import View, params_from_view, view_from_params


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
        "history": "diverged,reference",
        "category": "politics",
        "tag": "moon",
        "status": "new",
        "q": "moon",
        "event": "apollo-landing",
    }
    assert view_from_params(params) == view


def test_default_view_has_no_params():
    assert params_from_view(View()) == {}


def test_junk_years_are_ignored():
    assert view_from_params({"from": "x", "to": "1970"}).query.years is None
    assert view_from_params({"from": "1969", "to": "1970"}).query.years == (1969.0, 1970.0)
