"""Histories as a tree: inheritance, pairs, statuses relative to the parent, per-history eras."""

import pytest

import timeline as tl
from tests.conftest import ROOT, TREE, line_of, problems

TEXT = TREE.read_text()


@pytest.fixture(scope="module")
def tree() -> tl.Tree:
    return tl.Tree(tl.load_timeline(TREE))


def sides(comparison: tl.Comparison) -> dict[str, tuple[str, object, object]]:
    return {e.id: (e.history, e.counterpart, e.status) for e in comparison.events}


def test_histories_are_ordered_as_the_tree(tree):
    assert tree.order == ["ours", "novel", "film", "draft"]


def test_a_branch_inherits_its_parents_events_before_its_divergence(tree):
    members = {k: sorted(v) for k, v in tree.members.items()}
    assert members["election-1932"] == ["draft", "film", "novel", "ours"]  # before every split
    assert members["assassination-fails"] == ["draft", "ours"]  # the novel replaces it
    assert members["ve-day"] == ["ours"]  # after every divergence
    assert members["novel-pod"] == ["film", "novel"]  # the film inherits the novel's start
    assert members["allied-surrender"] == ["film", "novel"]
    assert members["crash"] == ["draft", "film", "novel", "ours"]  # shared


def test_parent_and_child_compare_with_one_to_many_counterparts(tree):
    pair = tree.compare("ours", "novel")
    assert (pair.pair, pair.divergence) == (("ours", "novel"), "novel-pod")
    assert sides(pair) == {
        "crash": ("shared", None, None),
        "election-1932": ("shared", None, None),
        "assassination-fails": ("reference", "novel-pod", "replaced"),
        "novel-pod": ("diverged", "assassination-fails", "replaced"),
        "ve-day": ("reference", "allied-surrender", "shifted"),
        "japan-surrenders": ("reference", "allied-surrender", "shifted"),
        "allied-surrender": ("diverged", ["ve-day", "japan-surrenders"], "shifted"),
        "novel-ending": ("diverged", None, "new"),
        "novel-published": ("diverged", None, None),
    }


def test_a_branch_of_a_branch_compares_with_the_root_through_its_parent(tree):
    pair = tree.compare("film", "ours")  # the ancestor is always the reference side
    assert (pair.pair, pair.divergence) == (("ours", "film"), "novel-pod")
    assert sides(pair) == {
        "crash": ("shared", None, None),
        "election-1932": ("shared", None, None),
        "assassination-fails": ("reference", "novel-pod", "replaced"),
        "novel-pod": ("diverged", "assassination-fails", "replaced"),
        "ve-day": ("reference", "allied-surrender", "shifted"),
        "japan-surrenders": ("reference", "allied-surrender", "shifted"),
        "allied-surrender": ("diverged", ["ve-day", "japan-surrenders"], "shifted"),
        "film-pod": ("diverged", None, "new"),
        # Shifted against the novel; against our history, which never had it, it is new.
        "film-ending": ("diverged", None, "new"),
    }
    assert pair.other_histories == ("The novel", "Draft B")


def test_siblings_split_at_the_earlier_divergence(tree):
    pair = tree.compare("draft", "novel")
    assert (pair.pair, pair.divergence) == (("novel", "draft"), "novel-pod")
    assert sides(pair)["assassination-fails"] == ("diverged", "novel-pod", "replaced")
    assert sides(pair)["novel-ending"] == ("reference", None, "untold")


def test_an_era_of_one_history_counts_only_its_events(tree):
    frame = tl.to_frame(tree.compare("ours", "novel"))
    eras = dict(zip(frame["id"], frame["eras"], strict=True))
    assert eras["ve-day"] == ["war-ours"]
    assert eras["allied-surrender"] == ["war-novel", "postwar"]  # by 1947: 1937-1947
    assert [e.id for e in tree.compare("novel", "film").eras] == ["war-novel", "postwar"]


def test_a_release_may_have_several_setting_spans(tree):
    ev = tree.events["novel-published"]
    assert ev.settings() == ("war-novel", "postwar")


def test_the_default_pair_is_the_root_and_its_first_branch(tree):
    assert tl.default_pair(tree.timeline) == ("ours", "novel")
    assert tree.timeline.divergence_event().id == "novel-pod"


def test_a_format_1_file_is_a_two_history_tree_compared_as_read(mini):
    timeline = tl.load_timeline(ROOT / "tests" / "data" / "mini.yaml")
    assert [(h.id, h.parent) for h in timeline.histories] == [
        ("reference", None),
        ("diverged", "reference"),
    ]
    assert timeline.origin_format == 1
    assert tl.compare_pair(timeline) == mini


def edit(old: str, new: str) -> str:
    assert old in TEXT
    return TEXT.replace(old, new, 1)


def messages(text: str) -> list[str]:
    return [f"{p.line}: {p.field}: {p.message}" for p in problems(text)]


def test_a_branch_needs_a_known_parent():
    text = edit("    parent: novel\n", "    parent: nvel\n")
    assert [str(p) for p in problems(text)] == [
        f"t.yaml:{line_of(text, 'parent: nvel')}: histories[2].parent: "
        "no history has the id 'nvel' (did you mean 'novel'?)"
    ]


def test_parents_must_not_loop():
    text = edit("  - id: ours\n", "  - id: ours\n    parent: film\n")
    assert messages(text) == [
        f"{line_of(text, 'parent: film')}: histories[0].parent: "
        "parents form a loop: ours → film → novel → ours",
    ]


def test_only_one_root():
    text = edit("    parent: ours\n    divergence: draft-pod\n", "")
    assert messages(text) == [
        f"{line_of(text, 'id: draft')}: histories[3].parent: is required: only one history "
        "is the root, and that is 'ours'",
    ]


def test_a_divergence_must_be_an_event_of_its_branch():
    text = edit("    divergence: film-pod\n", "    divergence: novel-pod\n")
    assert messages(text) == [
        f"{line_of(text, 'parent: novel') + 1}: histories[2].divergence: "
        "'novel-pod' must be an event of the film history"
    ]


def test_a_branch_event_before_its_divergence_is_refused():
    text = edit(
        "    date: 1962\n    title: The film ends", "    date: 1949\n    title: The film ends"
    )
    assert messages(text) == [
        f"{line_of(text, 'date: 1949')}: events[10].date: a film event dated 1949 is before the "
        "point of divergence (1950)"
    ]


def test_siblings_may_link_a_milestone_neither_parent_reached():
    # Two branches reach the same first (a landing ours never made): each is new against our
    # history, and compared with each other they are a pair.
    text = edit("    counterpart: film-ending\n", "    counterpart: draft-pod\n")
    text = text.replace(
        "    category: war\n    sources: [the-novel]\n  - id: ve-day",
        "    category: war\n    counterpart: novel-ending\n    sources: [the-novel]\n  - id: ve-day",
    )
    text = text.replace("    counterpart: novel-ending\n    status: shifted\n", "")
    tree = tl.Tree(tl.parse_timeline(text, "t.yaml"))
    assert {
        e.id: e.status for e in tree.timeline.events if e.id in ("novel-ending", "draft-pod")
    } == {
        "novel-ending": "new",
        "draft-pod": "new",
    }
    # Compared with each other, the same first at another date: shifted.
    assert sides(tree.compare("novel", "draft"))["draft-pod"] == (
        "diverged",
        "novel-ending",
        "shifted",
    )


def test_each_of_many_counterparts_must_point_back():
    old = "    counterpart: allied-surrender\n    sources: [the-novel]\n  - id: allied"
    text = edit(old, "    sources: [the-novel]\n  - id: allied")
    assert [str(p) for p in problems(text)] == [
        f"t.yaml:{line_of(text, 'counterpart: [ve-day')}: events[7].counterpart[1]: "
        "'japan-surrenders' does not point back "
        "(give 'japan-surrenders' counterpart: allied-surrender)"
    ]


def test_an_unknown_history_is_named_with_a_suggestion():
    text = edit("    history: film\n", "    history: flim\n")
    assert messages(text) == [
        f"{line_of(text, 'history: flim')}: events[8].history: no history has the id 'flim'"
    ]
    assert "did you mean 'film'?" in str(problems(text)[0])


def test_shared_is_not_a_history_id():
    text = edit("  - id: draft\n", "  - id: shared\n").replace("history: draft", "history: shared")
    assert messages(text)[0] == (
        f"{line_of(text, 'id: shared')}: histories[3].id: 'shared' is reserved for events in "
        "every history; choose another id"
    )


def test_a_format_2_file_needs_two_histories():
    start = TEXT.index("  - id: novel\n")
    stop = TEXT.index("eras:")
    text = TEXT[:start] + TEXT[stop:]
    assert messages(text)[0] == (
        f"{line_of(text, 'histories:')}: histories: holds 1 histories; a timeline has 2 to 40"
    )


def test_one_event_answering_two_makes_two_pairs(tree):
    pairs = tl.counterpart_pairs(tl.to_frame(tree.compare("ours", "novel")))
    assert pairs[["reference_id", "diverged_id", "gap"]].to_dict("records") == [
        {"reference_id": "assassination-fails", "diverged_id": "novel-pod", "gap": "same day"},
        {"reference_id": "ve-day", "diverged_id": "allied-surrender", "gap": "+2 y or less"},
        {
            "reference_id": "japan-surrenders",
            "diverged_id": "allied-surrender",
            "gap": "+2 y or less",
        },
    ]


def test_a_release_set_in_two_spans_gets_a_row_for_each(tree):
    from timeline import compare

    pair = tree.compare("ours", "novel")
    jumps = compare.time_jumps(tl.to_frame(pair), compare.era_spans(pair.eras))
    assert jumps[["id", "setting", "set_from", "set_to"]].to_dict("records") == [
        {
            "id": "novel-published",
            "setting": "The longer war (novel)",
            "set_from": 1939.0,
            "set_to": 1948.0,
        },
        {"id": "novel-published", "setting": "Post-war", "set_from": 1946.0, "set_to": 1961.0},
    ]


def test_the_benchmarks_tree_generator_makes_a_valid_ten_history_tree():
    from benchmarks.tree_synth import tree_timeline

    timeline = tl.validate_timeline(tree_timeline(2000, 10), "tree.json")
    tree = tl.Tree(timeline)
    assert (len(timeline.events), len(tree.order)) == (2000, 10)
    assert any(tree.depth(h) >= 2 for h in tree.order)  # a branch of a branch
    assert {e.history for e in timeline.events} >= set(tree.order)


def test_the_tree_exports_as_json_for_other_tools(tree):
    out = tl.tree_json(tree.timeline)
    assert [
        (
            h["id"],
            h["parent"],
            h["divergence"] and h["divergence"]["id"],
            h["children"],
            h["events"],
            h["events_in_history"],
        )
        for h in out["histories"]
    ] == [
        ("ours", None, None, ["novel", "draft"], 4, 5),
        ("novel", "ours", "novel-pod", ["film"], 4, 6),
        ("film", "novel", "film-pod", [], 2, 6),
        ("draft", "ours", "draft-pod", [], 1, 4),
    ]
    assert (out["root"], out["shared_events"]) == ("ours", 1)


def test_the_markdown_report_names_the_histories_it_leaves_out(tree):
    pair = tree.compare("ours", "film")
    report = tl.to_markdown(tl.to_frame(pair), pair)
    assert report.splitlines()[:3] == [
        "# Four histories: Our history vs The film",
        "",
        "Other histories in this timeline, not in this report: The novel, Draft B",
    ]


def test_a_history_that_fails_validation_is_not_reported_again_through_its_events():
    text = edit(
        "  - id: film\n    label: The film\n", "  - id: film\n    label: 7\n    colour: red\n"
    )
    assert messages(text) == [
        f"{line_of(text, 'label: 7')}: histories[2].label: Input should be a valid string (got 7)",
        f"{line_of(text, 'colour: red')}: histories[2].colour: unknown field",
    ]


def test_ripples_start_from_the_chosen_branchs_own_divergence(tree):
    from timeline import compare

    pair = tree.compare("ours", "film")
    assert (pair.divergence, pair.own_divergence) == ("novel-pod", "film-pod")
    ripple = compare.ripple(tl.to_frame(pair), pair.own_divergence)
    assert ripple["id"].tolist() == ["film-pod"]


def test_details_from_the_whole_tree_name_the_events_own_history(tree):
    details = tl.event_details(tree.timeline, "allied-surrender", [])
    assert (details.history, details.status, [c.id for c in details.counterparts]) == (
        "The novel",
        "Shifted: the same milestone, reached at another date",
        ["ve-day", "japan-surrenders"],
    )


def test_filtering_by_one_historys_era_shows_both_histories_in_its_years(tree):
    frame = tl.to_frame(tree.compare("ours", "novel"))
    shown = tl.filter_events(frame, tl.Query(era="war-novel"))
    assert sorted(shown["id"]) == ["allied-surrender", "japan-surrenders", "ve-day"]
    # ...while the era itself counts only the novel's events (and shared ones).
    assert [ids for ids in shown.sort_values("id")["eras"]] == [
        ["war-novel", "postwar"],
        ["war-ours"],
        ["war-ours"],
    ]


def plain_pair_events(tree: tl.Tree, a: str, b: str) -> list[tl.Event]:
    """A pair's events by a plain loop: each event's side, links and `status_in_pair`; an
    event the pair sees as it is stays the same object."""
    from timeline.schema import derived_copy
    from timeline.tree import _links, _side, status_in_pair

    links, split = _links(tree, a, b), tree.split(a, b)
    out = []
    for ev in tree.timeline.events:
        side = _side(tree.members[ev.id], a, b)
        if side is None:
            continue
        linked = links.get(ev.id, [])
        counterpart = None if not linked else linked[0] if len(linked) == 1 else linked
        status = status_in_pair(ev, side, linked, tree.statuses, split)
        same = (side, counterpart, status) == (ev.history, ev.counterpart, ev.status)
        out.append(
            ev if same else derived_copy(ev, history=side, counterpart=counterpart, status=status)
        )
    return out


@pytest.mark.parametrize("source", ["tree.yaml", "ten histories", "named"])
def test_every_pairs_events_are_what_a_plain_loop_makes_of_each_event(source):
    """The pair's sides, links and statuses are computed for all events at once (statuses
    once per kind of event): the same events, and the same objects kept, as event by event."""
    from benchmarks.tree_synth import tree_timeline

    if source == "tree.yaml":
        timeline = tl.load_timeline(TREE)
    elif source == "ten histories":
        timeline = tl.validate_timeline(tree_timeline(1500, 10, seed=4), "tree.json")
    else:  # a format-2 file whose histories are named as a pair's sides
        data = tree_timeline(400, 2, seed=5)
        names = {
            h["id"]: n for h, n in zip(data["histories"], ("reference", "diverged"), strict=True)
        }
        data["histories"] = [
            h | {"id": names[h["id"]]} | ({"parent": names[h["parent"]]} if h.get("parent") else {})
            for h in data["histories"]
        ]
        data["events"] = [
            e | {"history": names.get(e["history"], e["history"])} for e in data["events"]
        ]
        timeline = tl.validate_timeline(data, "named.json")
    tree = tl.Tree(timeline)
    ids = [h.id for h in timeline.histories]
    originals = {id(e) for e in timeline.events}
    kept = set()
    for a, b in [(a, b) for a in ids for b in ids if a != b]:
        pair = tree.compare(a, b)
        expected = plain_pair_events(tree, *pair._pair)
        assert pair.events == expected
        assert [id(e) in originals for e in pair.events] == [id(e) in originals for e in expected]
        kept |= {e.history for e in pair.events if id(e) in originals}
    # Kept as they are: shared events, and events of a history named as the side it is on.
    assert kept == ({"shared", "reference", "diverged"} if source == "named" else {"shared"})
