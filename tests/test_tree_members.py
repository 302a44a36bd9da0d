"""Tree members, computed once per key of events alike, equal the rule applied event by event."""

from __future__ import annotations

import pytest

import timeline as tl
from benchmarks.tree_synth import tree_timeline
from tests.conftest import ROOT, TREE
from tests.test_branchmap import synthetic_tree
from timeline.schema import SHARED, Layer


def reference_members(tree: tl.Tree) -> dict[str, frozenset[str]]:
    """Each event's histories by the README's rule, one event at a time: a shared event is in
    every history; a production event, or one of a history without branches, only in its own;
    otherwise a branch inherits it if it ends by the branch's divergence and the branch has no
    version of its own (an event naming it as counterpart), and so on down the tree."""
    replaced: dict[str, set[str]] = {}
    for event in tree.timeline.events:
        for ref in event.counterparts():
            replaced.setdefault(ref, set()).add(event.history)
    out: dict[str, frozenset[str]] = {}
    for event in tree.timeline.events:
        if event.history == SHARED:
            out[event.id] = frozenset(tree.nodes)
            continue
        found = {event.history}
        if event.layer is not Layer.production:
            stop = (event.end or event.date).stop()
            below = list(tree.children[event.history])
            while below:
                child = below.pop()
                pod = tree.divergence(child)
                assert pod is not None
                if child not in replaced.get(event.id, set()) and stop <= pod.date.start():
                    found.add(child)
                    below.extend(tree.children[child])
        out[event.id] = frozenset(found)
    return out


@pytest.mark.parametrize(
    "timeline",
    [
        pytest.param(lambda: tl.load_timeline(TREE), id="tree.yaml"),
        pytest.param(lambda: tl.load_timeline(ROOT / "seeds" / "space-race.yaml"), id="space"),
        pytest.param(
            lambda: tl.validate_timeline(synthetic_tree(1500, seed=3), "s.json"), id="synthetic"
        ),
        pytest.param(
            lambda: tl.validate_timeline(tree_timeline(2000, seed=4), "t.json"), id="realistic"
        ),
    ],
)
def test_members_follow_the_inheritance_rule_event_by_event(timeline):
    tree = tl.Tree(timeline())
    expected = reference_members(tree)
    assert tree.members == expected
    assert tree.member_list == [expected[e.id] for e in tree.timeline.events]


# Versions, in branches, of events dated before their divergence: events alike but for which
# branch has its own version of them.
VERSIONS = """
  - id: strike-1931
    date: 1931
    title: A strike
    history: ours
    category: politics
    counterpart: novel-strike
    sources: [the-novel]
  - id: novel-strike
    date: 1950
    title: The strike, as the novel tells it
    history: novel
    category: politics
    counterpart: strike-1931
    sources: [the-novel]
  - id: draft-election
    date: 1950
    title: The election, as the draft tells it
    history: draft
    category: politics
    counterpart: election-1932
    sources: [the-novel]
  - id: film-surrender
    date: 1951
    title: The surrender, as the film tells it
    history: film
    category: politics
    counterpart: allied-surrender
    sources: [the-novel]
"""


def test_an_event_reaches_only_the_branches_without_their_own_version():
    text = TREE.read_text()
    text = text.replace("date: 1932-11\n", "date: 1932-11\n    counterpart: draft-election\n")
    text = text.replace("[ve-day, japan-surrenders]", "[ve-day, japan-surrenders, film-surrender]")
    timeline = tl.parse_timeline(text + VERSIONS, "versions.yaml")
    tree = tl.Tree(timeline)
    assert tree.members == reference_members(tree)
    assert tree.members["strike-1931"] == {"ours", "draft"}  # nor the film, below the novel
    assert tree.members["election-1932"] == {"ours", "novel", "film"}
    assert tree.members["allied-surrender"] == {"novel"}


def test_a_tree_whose_branching_history_holds_only_shared_events_has_nothing_to_inherit():
    """No event can reach further than its own history: each is in its own, or in all."""
    data = synthetic_tree(200, histories=3, seed=2)
    root = next(h["id"] for h in data["histories"] if h.get("parent") is None)
    for event in data["events"]:
        event.pop("counterpart", None)
        event.pop("status", None)
        event["history"] = SHARED if event["history"] == root else event["history"]
    tree = tl.Tree(tl.validate_timeline(data, "s.json"))
    assert tree.member_list == [
        frozenset(tree.nodes) if e.history == SHARED else frozenset((e.history,))
        for e in tree.timeline.events
    ]
    assert tree.members == reference_members(tree)
