"""The dashboard through Streamlit's AppTest: widgets in, the right events out."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import timeline as tl
from tests.conftest import MINI, ROOT, TREE, TREE_LANES
from timeline import views
from timeline.filters import filter_options
from timeline.load import MAX_UPLOAD_BYTES, read_file
from timeline.schema import Status


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch):
    def make(path: Path = MINI, **params: str | list[str]) -> AppTest:
        monkeypatch.setattr(sys, "argv", ["app.py", "--data", str(path)])
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["numbers-Timeline"] = True  # open the table of the events shown
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()

    return make


def shown_ids(at: AppTest) -> list[str]:
    return sorted(at.dataframe[0].value["id"])


def charts(at: AppTest) -> list[str]:
    """The charts drawn, by name: the chart component's key is `chart-NAME`."""
    ids = [c.proto.id for c in at.get("bidi_component")]
    return [i.split("-chart-", 1)[1] for i in ids if "-chart-" in i]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_opens_on_the_whole_timeline(app):
    at = app()
    assert not at.exception
    assert at.title[0].value == "Mini Moon"
    assert [(m.label, m.value) for m in at.metric] == [
        ("Events shown", "11"),
        # Skylab (14 May 1973) and the Moon base (1973) fall in the same year: not moved.
        ("Milestones moved", "1 of 3"),
        ("Largest shift", "−24 days"),
        ("In one history only", "0"),
    ]
    assert len(shown_ids(at)) == 11


def test_a_decade_pick_zooms_to_its_years(app):
    at = app()
    at.selectbox(key="period").select("years:1980-1989").run()
    assert shown_ids(at) == ["challenger"]
    assert (at.query_params["from"], at.query_params["to"]) == ("1980", "1989")
    assert app(**{"from": "1980", "to": "1989"}).selectbox(key="period").value == "years:1980-1989"


def test_an_upload_is_named_in_the_picker_and_the_address(app):
    at = app()
    text = MINI.read_text().replace("title: Mini Moon", "title: My Upload", 1)
    at.sidebar.file_uploader(key="upload").set_value(("mine.yaml", text.encode(), "text/yaml"))
    at.run()
    assert at.sidebar.selectbox(key="data").value == "upload:mine.yaml"
    assert at.query_params["data"] == "upload:mine.yaml"


def test_an_address_naming_a_lost_upload_says_so(app):
    at = app(data="upload:mine.yaml")
    assert "uploads are not kept" in at.warning[0].value
    assert at.title[0].value == "Mini Moon"


def test_era_preset_filters(app):
    at = app()
    at.selectbox(key="period").select("season-1").run()
    assert shown_ids(at) == ["apollo-landing", "moon-base", "skylab", "soviet-landing"]
    assert at.query_params["era"] == "season-1"


def test_custom_year_range(app):
    at = app()
    at.selectbox(key="period").select("custom").run()
    at.number_input(key="from_year").set_value(1995).run()
    at.number_input(key="to_year").set_value(1986).run()  # typed the wrong way round: swapped
    assert shown_ids(at) == ["challenger", "mars-landing"]
    assert (at.query_params["from"], at.query_params["to"]) == ("1986", "1995")


def test_history_category_tag_and_status_filters(app):
    at = app()
    at.multiselect(key="history").select("shared").select("production").run()
    assert shown_ids(at) == ["premiere", "sputnik"]
    at = app()
    at.multiselect(key="category").select("politics").run()
    assert shown_ids(at) == ["iss"]
    at = app()
    at.multiselect(key="tag").select("mars").run()
    assert shown_ids(at) == ["mars-landing"]
    at = app()
    at.multiselect(key="status").select("shifted").run()
    assert shown_ids(at) == ["moon-base", "skylab"]


def test_a_category_with_a_comma_survives_the_address(app, tmp_path):
    data = tmp_path / "commas.yaml"
    data.write_text(
        MINI.read_text(encoding="utf-8").replace("category: politics", "category: politics, war"),
        encoding="utf-8",
    )
    at = app(data)
    at.multiselect(key="category").select("politics, war").select("production").run()
    assert shown_ids(at) == ["iss", "premiere"]
    assert at.query_params["category"] == ["politics, war", "production"]
    assert shown_ids(app(data, category=at.query_params["category"])) == ["iss", "premiere"]


def test_search(app):
    at = app()
    at.text_input(key="q").input("apollo").run()
    assert shown_ids(at) == ["apollo-landing", "soviet-landing"]
    assert at.query_params["q"] == "apollo"


def test_query_params_restore_the_view(app):
    at = app(era="season-1", q="moon", event="soviet-landing", history="diverged")
    assert shown_ids(at) == ["soviet-landing"]
    assert at.selectbox(key="period").value == "season-1"
    assert at.text_input(key="q").value == "moon"
    assert at.subheader[0].value == "A cosmonaut walks on the Moon first"


def test_counterpart_button_opens_the_counterpart(app):
    at = app(event="soviet-landing")
    at.button(key="goto-counterpart").click().run()
    assert at.subheader[0].value == "Apollo lands on the Moon"
    assert at.query_params["event"] == "apollo-landing"


def test_details_list_sources_with_seed_names(app):
    at = app(event="moon-base")
    text = " ".join(m.value for m in at.markdown)
    assert "seed document 004\\_108a8051df11ac55.txt" in text
    labels = [b.label for b in at.button]
    # Labels are Markdown-escaped (file text is never markup): "\(" shows as "(".
    assert "Counterpart: Skylab launched \\(14 May 1973\\)" in labels
    assert "A cosmonaut walks on the Moon first \\(26 Jun 1969\\)" in labels  # caused by
    assert "People land on Mars \\(1995\\)" in labels  # led to


def test_an_open_events_details_are_worked_out_once_across_filter_changes(app, monkeypatch):
    made: list[str] = []
    real = tl.event_details
    monkeypatch.setattr(tl, "event_details", lambda t, i, e: made.append(i) or real(t, i, e))
    st.cache_resource.clear()  # else details kept by an earlier test are looked up
    at = app(event="moon-base")
    at.text_input(key="q").input("moon").run()
    at.text_input(key="q").input("").run()
    assert at.subheader[0].value == "A lunar base opens"
    assert made == ["moon-base"]


def test_empty_result_shows_a_message_and_a_way_back(app):
    at = app()
    at.text_input(key="q").input("no such thing").run()
    assert at.info[0].value == "No events match these filters."
    at.button(key="reset-empty").click().run()
    assert metric(at, "Events shown") == "11"
    assert at.text_input(key="q").value == ""


def test_broken_file_gives_a_message_not_an_exception(app, tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.read_text().replace("date: 1986-01-28", "date: 1986-02-30"))
    at = app(bad)
    assert not at.exception
    assert "could not be opened: 1 problem" in at.error[0].value
    assert at.code[0].value == (
        f"{bad}:94: events[7].date: '1986-02-30' is not a valid date: month 2 of 1986 has 28 days"
    )


def test_a_file_is_read_once_and_again_only_once_edited(app, monkeypatch, tmp_path: Path):
    import dashboard

    reads: list[str] = []

    def counted(path, limit):
        reads.append(Path(path).name)
        return read_file(path, limit)

    monkeypatch.setattr(dashboard, "read_file", counted)
    copy = tmp_path / "copy.yaml"
    copy.write_text(MINI.read_text())
    at = app(copy)
    assert reads == ["copy.yaml"] and at.title[0].value == "Mini Moon"
    at.run()
    assert reads == ["copy.yaml"]  # a rerun looks the unchanged file up
    copy.write_text(MINI.read_text().replace("title: Mini Moon", "title: Maxi Moon", 1))
    info = copy.stat()  # a later modification time, even where the clock's steps are coarse
    os.utime(copy, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    at.run()
    assert reads == ["copy.yaml", "copy.yaml"]
    assert at.title[0].value == "Maxi Moon"


def test_a_file_saved_unchanged_is_read_again_but_not_parsed(app, monkeypatch, tmp_path: Path):
    """The cache is keyed on what a file holds: a new modification time alone costs a read."""
    import dashboard

    parsed: list[str] = []
    parse = tl.parse_timeline

    def counted(raw, name, limit=None):
        parsed.append(Path(name).name)
        return parse(raw, name, limit)

    monkeypatch.setattr(dashboard.tl, "parse_timeline", counted)
    copy = tmp_path / "copy.yaml"
    copy.write_text(MINI.read_text().replace("title: Mini Moon", "title: Twin Moon", 1))
    at = app(copy)
    info = copy.stat()
    os.utime(copy, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    at.run()
    assert (at.title[0].value, parsed) == ("Twin Moon", ["copy.yaml"])


def test_a_folder_as_the_data_file_gives_a_message(app, tmp_path: Path):
    at = app(tmp_path)
    assert not at.exception
    assert at.code[0].value == f"{tmp_path}: is a folder, not a timeline file"


@pytest.mark.parametrize("path", [MINI, TREE])
def test_filter_options_are_gathered_once_per_file_from_what_the_picker_lists(
    app, monkeypatch, path: Path
):
    import panels

    gathered: list[int] = []

    def counted(eras, frame):
        gathered.append(len(frame))
        return filter_options(eras, frame)

    monkeypatch.setattr(panels, "filter_options", counted)
    st.cache_resource.clear()  # else options gathered by an earlier test are looked up
    at = app(path)
    tree = tl.load_timeline(path)
    # A tree's picker lists every history's eras: its pair's own options are never gathered.
    assert gathered == [
        len(tl.to_frame(tree if len(tree.histories) > 2 else tl.compare_pair(tree)))
    ]
    at.text_input(key="q").set_value("moon").run()
    assert len(gathered) == 1 and not at.exception


def test_upload_opens_a_valid_timeline(app):
    at = app()
    text = MINI.read_text().replace("title: Mini Moon", "title: My Upload", 1)
    at.sidebar.file_uploader(key="upload").set_value(("mine.yaml", text.encode(), "text/yaml"))
    at.run()
    assert at.title[0].value == "My Upload"
    assert metric(at, "Events shown") == "11"


def test_bad_upload_lists_every_error_and_keeps_the_previous_timeline(app):
    at = app()
    text = (
        MINI.read_text()
        .replace("date: 1986-01-28", "date: 1986-02-30")
        .replace("    title: Skylab launched", "    titel: Skylab launched")
    )
    at.sidebar.file_uploader(key="upload").set_value(("bad.yaml", text.encode(), "text/yaml"))
    at.run()
    assert not at.exception
    assert "bad.yaml" in at.error[0].value
    assert "Still showing Mini Moon" in at.error[0].value
    assert at.code[0].value.splitlines() == [
        "bad.yaml:77: events[5].title: is required",
        "bad.yaml:79: events[5].titel: unknown field (did you mean 'title'?)",
        "bad.yaml:94: events[7].date: '1986-02-30' is not a valid date: "
        "month 2 of 1986 has 28 days",
    ]
    assert at.title[0].value == "Mini Moon"
    assert metric(at, "Events shown") == "11"


def test_oversized_upload_is_refused(app):
    at = app()
    big = b"# padding\n" * (MAX_UPLOAD_BYTES // 10 + 1)  # just over the cap
    at.sidebar.file_uploader(key="upload").set_value(("big.yaml", big, "text/yaml"))
    at.run()
    assert f"the limit is {MAX_UPLOAD_BYTES:,}" in at.code[0].value
    assert at.title[0].value == "Mini Moon"


def test_only_the_open_tab_is_built_and_it_is_in_the_address(app):
    at = app()
    assert charts(at) == ["Timeline"] and len(at.dataframe) == 1
    at = app(tab="Side by side")
    assert charts(at) == []
    table = at.dataframe[0].value
    assert list(table.columns) == ["When", "Our history", "Mini Moon", "Gap", "Status"]
    assert list(table["When"]) == sorted(table["When"], key=list(table["When"]).index)
    assert at.query_params["tab"] == "Side by side"


def test_the_export_tab_makes_no_file_until_one_is_downloaded(app, monkeypatch):
    made: list[str] = []
    for name in ("to_markdown", "to_timelinejs", "to_csv", "to_json", "tree_json"):
        real = getattr(tl, name)
        monkeypatch.setattr(tl, name, lambda *a, _n=name, _f=real: made.append(_n) or _f(*a))
    for path in (MINI, TREE):
        at = app(path, tab="Export")
        labels = [b.proto.label for b in at.get("download_button")]
        assert labels[:4] == [
            "Comparison report (Markdown)",
            "TimelineJS JSON",
            "Events as CSV",
            "Events as JSON",
        ]
    assert made == []


def test_a_table_is_built_only_once_opened(app):
    at = app()
    assert len(at.dataframe) == 1
    at.session_state["numbers-Timeline"] = False
    assert not at.run().dataframe


def test_a_closed_tables_rows_are_made_only_once_it_is_opened(monkeypatch, mini, mini_frame):
    made: list[int] = []

    def counted(data, timeline):
        made.append(len(data))
        return views.events_table(data, timeline)

    monkeypatch.setattr(views, "VIEWS", (replace(views.VIEWS[0], table=counted), *views.VIEWS[1:]))
    st.cache_resource.clear()  # else a view built by an earlier test is looked up, not made
    monkeypatch.setattr(sys, "argv", ["app.py", "--data", str(MINI)])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert made == [] and not at.dataframe
    # What the closed view shows at a glance is there without its table: the chart, the
    # numbers and what each status listed means.
    assert charts(at) == ["Timeline"] and metric(at, "Events shown") == "11"
    note = " · ".join(f"{s.label}: {s.explanation}" for s in Status)  # mini has all five
    assert f"Statuses: {note}" in [c.value for c in at.caption]
    at.session_state["numbers-Timeline"] = True
    at.run()
    assert made == [11]
    expected = views.events_table(mini_frame, mini)
    assert at.dataframe[0].value.to_dict("records") == expected.to_dict("records")


@pytest.mark.parametrize("relative", [True, False])
def test_data_flag_opens_the_seed_it_names(app, relative):
    seed = ROOT / "seeds" / "roma-eterna.yaml"
    at = app(seed.relative_to(ROOT) if relative else seed)
    assert at.title[0].value == "Roma Eterna"
    assert at.sidebar.selectbox(key="data").value == "roma-eterna.yaml"


def test_clicking_an_era_bar_zooms_to_it(app):
    at = app()
    at.session_state["pending_period"] = "season-1"
    at.run()
    assert at.selectbox(key="period").value == "season-1"
    assert shown_ids(at) == ["apollo-landing", "moon-base", "skylab", "soviet-landing"]


def test_switching_timelines_drops_an_era_the_new_one_lacks(app):
    at = app()
    at.selectbox(key="period").select("season-1").run()
    at.sidebar.selectbox(key="data").select("roma-eterna.yaml").run()
    assert not at.exception and at.title[0].value == "Roma Eterna"
    assert at.selectbox(key="period").value == ""


def test_a_tree_opens_on_the_root_and_its_first_branch(app):
    at = app(TREE, tab="Timeline")
    assert not at.exception
    assert (at.selectbox(key="compare").value, at.selectbox(key="with").value) == ("ours", "novel")
    assert at.selectbox(key="with").options == ["The novel", "The film", "Draft B"]
    assert shown_ids(at) == sorted(
        [
            "crash",
            "election-1932",
            "assassination-fails",
            "novel-pod",
            "ve-day",
            "japan-surrenders",
            "allied-surrender",
            "novel-ending",
            "novel-published",
        ]
    )
    assert "compare" not in at.query_params  # the default pair keeps the address short


def test_picking_a_pair_compares_it_and_keeps_it_in_the_address(app):
    at = app(TREE, tab="Timeline")
    at.selectbox(key="compare").set_value("novel").run()
    at.selectbox(key="with").set_value("film").run()
    assert not at.exception
    assert (at.query_params["compare"], at.query_params["with"]) == ("novel", "film")
    assert shown_ids(at) == sorted(
        [
            "crash",
            "election-1932",
            "novel-pod",
            "allied-surrender",
            "film-pod",
            "novel-ending",
            "film-ending",
            "novel-published",
        ]
    )
    assert metric(at, "Milestones moved") == "1 of 1"  # the film's ending, two years on


def test_an_address_opens_its_pair_and_a_wrong_one_says_so(app):
    at = app(TREE, tab="Timeline", compare="ours", **{"with": "film"})
    assert (at.selectbox(key="compare").value, at.selectbox(key="with").value) == ("ours", "film")
    assert "film-pod" in shown_ids(at)
    at = app(TREE, tab="Timeline", compare="ours", **{"with": "nope"})
    assert "the histories to compare" in at.warning[0].value
    assert at.selectbox(key="with").value == "novel"


def test_a_two_history_timeline_shows_no_pair_picker(app):
    at = app()
    assert [s.key for s in at.selectbox if s.key in ("compare", "with")] == []


def test_a_tree_opens_on_its_branch_map(app):
    at = app(TREE)
    assert not at.exception
    assert [t.label for t in at.tabs][:4] == [
        "Branch map",
        "Every history",
        "Milestones, every history",
        "Timeline",
    ]
    assert "Click a history's line" in at.caption[0].value


def test_a_focused_history_is_kept_in_the_address_and_can_be_compared_with_its_parent(app):
    at = app(TREE, focus="film")
    assert at.query_params["focus"] == "film"
    assert "Focused: **The film**" in [m.value for m in at.markdown]
    at.button(key="focus-compare").click().run()
    assert (at.selectbox(key="compare").value, at.selectbox(key="with").value) == ("novel", "film")
    at.button(key="focus-clear").click().run()
    assert "focus" not in at.query_params


def test_an_event_outside_the_pair_shows_its_details_from_the_tree(app):
    at = app(TREE, event="draft-pod")  # Draft B is not in the default pair (ours, novel)
    assert not at.exception
    assert at.subheader[0].value == "Draft B's armistice"
    assert any("Draft B" in m.value for m in at.markdown)


def test_a_trees_history_filter_lists_every_history_and_narrows_both_kinds_of_view(app):
    at = app(TREE, tab="Timeline", compare="novel", **{"with": "film", "history": ["film"]})
    assert not at.exception
    assert at.multiselect(key="history").options == TREE_LANES
    assert shown_ids(at) == ["film-ending", "film-pod"]  # the film's side of the pair
    # A history outside the pair: the pair's views say nothing matches (the page still opens).
    at = app(TREE, tab="Timeline", history=["draft"])
    assert not at.exception
    assert [i.value for i in at.info] == ["No events match these filters."]
    assert at.query_params["history"] == "draft"


def test_a_files_clashing_history_colours_are_named_in_a_note_above_the_charts(app, tmp_path):
    path = tmp_path / "four.yaml"
    path.write_text(TREE.read_text().replace("id: film\n", 'id: film\n    color: "#0077BB"\n'))
    at = app(path)
    assert not at.exception
    assert [w.value for w in at.warning] == [
        tl.escape_markdown(
            f"{path}:14: histories[2].color: The film (#0077BB) is too close to Our history "
            "(#0072B2, histories[0].color) for anyone to tell apart; The film is drawn in "
            "#009E73 (give one of them a colour further away)"
        )
    ]


def test_a_trees_era_picker_lists_every_era_and_one_outside_the_pair_is_its_years_there(app):
    at = app(TREE, tab="Every history", compare="ours", **{"with": "draft"})
    at.session_state["numbers-Every history"] = True
    eras = [k for k in at.selectbox(key="period").options if not k.startswith(("years", "19"))]
    assert eras == [
        "All time",
        "The war (ours) (1939–1945)",
        "The longer war (novel) (1939–1947)",
        "Post-war (1946–1960)",
        "Years you type…",
    ]
    at.selectbox(key="period").select("war-novel").run()
    assert at.query_params["era"] == "war-novel"
    # The tree's view: every history's events in the novel's war, the novel's own included.
    assert shown_ids(at) == ["allied-surrender", "draft-pod", "japan-surrenders", "ve-day"]
    at.session_state["tab"] = "Timeline"
    at.run()
    # The pair (ours and the draft) has no novel: the era is its years, 1939 to 1947.
    assert shown_ids(at) == ["draft-pod", "japan-surrenders", "ve-day"]
