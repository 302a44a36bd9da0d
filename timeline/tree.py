"""Histories as a tree: who inherits which event, and any two histories as a Comparison.

A branch inherits its parent's events dated surely before its own divergence, unless it has
its own version of them (an event whose counterpart they are). Shared events are in every
history. Any two histories compare as a two-sided `Comparison`, the shape every view draws.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, deque
from functools import cached_property
from typing import Any

from .schema import (
    SHARED,
    Comparison,
    Event,
    Histories,
    HistoryInfo,
    HistoryNode,
    Layer,
    Status,
    Timeline,
    derived_copy,
)

REFERENCE, DIVERGED = "reference", "diverged"


class Projection:
    """Which of a timeline's events a pair holds (`rows`), for `to_frame` to take the tree's
    frame's rows. A cache, not part of the pair's value: any two compare equal, and equal to
    None, so a pair equals the same pair however it was made."""

    def __init__(self, timeline: Timeline, events: list[Event], rows: list[int]) -> None:
        self.timeline, self.events, self.rows = timeline, events, rows

    def __eq__(self, other: object) -> bool:
        return other is None or isinstance(other, Projection)

    __hash__ = None  # type: ignore[assignment]  # equal to everything of its kind: no hash


class Tree:
    """The histories of a (validated) timeline: parents, children, divergences, members."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.nodes = {h.id: h for h in timeline.histories}
        self.children: dict[str, list[str]] = {h: [] for h in self.nodes}
        for h in timeline.histories:
            if h.parent is not None:
                self.children[h.parent].append(h.id)
        self.root = timeline.root().id
        self.events = {e.id: e for e in timeline.events}
        # Whole-tree results computed once per timeline (the milestones across histories).
        self.memo: dict[str, Any] = {}

    @cached_property
    def order(self) -> list[str]:
        """History ids depth first from the root, children in file order: lanes, legends."""
        out: list[str] = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(self.children[node]))
        return out

    def divergence(self, history: str) -> Event | None:
        """A branch's point-of-divergence event; None for the root."""
        pod = self.nodes[history].divergence
        return self.events.get(pod) if pod else None

    def ancestors(self, history: str) -> list[str]:
        """Parent, grandparent... up to the root."""
        out: list[str] = []
        node = self.nodes[history].parent
        while node is not None:
            out.append(node)
            node = self.nodes[node].parent
        return out

    def depth(self, history: str) -> int:
        return len(self.ancestors(history))

    def path(self, a: str, b: str) -> list[str]:
        """The branches crossed going from `a` to `b` through their common ancestor."""
        up_a, up_b = [a, *self.ancestors(a)], [b, *self.ancestors(b)]
        common = next(h for h in up_a if h in up_b)
        return up_a[: up_a.index(common)] + up_b[: up_b.index(common)]

    def split(self, a: str, b: str) -> Event:
        """Where histories `a` and `b` part: the earliest divergence between them that is in
        one of them (a branch may replace a divergence it inherits with its own version)."""
        pods = [p for h in self.path(a, b) if (p := self.divergence(h)) is not None]
        seen = [p for p in pods if {a, b} & self.members[p.id]]
        return min(seen or pods, key=lambda e: (e.date.start(), e.date.anchor, e.id))

    def ordered(self, a: str, b: str) -> tuple[str, str]:
        """The pair with the ancestor (or the earlier in tree order) as the reference side."""
        if a in self.ancestors(b):
            return a, b
        if b in self.ancestors(a):
            return b, a
        return (a, b) if self.order.index(a) <= self.order.index(b) else (b, a)

    @cached_property
    def statuses(self) -> dict[str, Status | None]:
        return {e.id: e.status for e in self.timeline.events}

    @cached_property
    def paired(self) -> list[Event]:
        """The events that name a counterpart (a fraction of all: loops over links use it)."""
        return [ev for ev in self.timeline.events if ev.counterpart]

    @cached_property
    def replaced_in(self) -> dict[str, set[str]]:
        """For each event, the histories that have their own version of it."""
        out: dict[str, set[str]] = {}
        for ev in self.paired:
            for ref in ev.counterparts():
                out.setdefault(ref, set()).add(ev.history)
        return out

    @cached_property
    def members(self) -> dict[str, frozenset[str]]:
        """Each event's histories: its own, and the branches that inherit it."""
        everywhere = frozenset(self.nodes)
        starts = {h: p.date.start() for h in self.nodes if (p := self.divergence(h)) is not None}
        # Which branches an event reaches depends, unless a branch replaces it, only on its
        # history and on which divergences it ends before: one set per such pair, not per event.
        cuts = sorted(set(starts.values()))
        same: dict[tuple[str, int], frozenset[str]] = {}
        alone = {h: frozenset((h,)) for h in self.nodes}
        replaced_in = self.replaced_in
        production = Layer.production
        out: dict[str, frozenset[str]] = {}
        for ev in self.timeline.events:
            history = ev.history
            if history == SHARED:
                out[ev.id] = everywhere
                continue
            if not self.children.get(history) or ev.layer is production:
                out[ev.id] = alone.get(history, frozenset())
                continue
            stop = (ev.end or ev.date).stop()
            replaced = replaced_in.get(ev.id)
            if replaced is not None:
                out[ev.id] = self._reached(history, stop, replaced, starts)
                continue
            key = (history, bisect_left(cuts, stop))
            if key not in same:
                same[key] = self._reached(history, stop, set(), starts)
            out[ev.id] = same[key]
        return out

    def _reached(
        self, history: str, stop: float, replaced: set[str], starts: dict[str, float]
    ) -> frozenset[str]:
        """`history` and the branches below it that inherit an event of it ending at `stop`."""
        found = {history}
        queue = deque(self.children[history])
        while queue:
            child = queue.popleft()
            if child not in replaced and stop <= starts[child]:
                found.add(child)
                queue.extend(self.children[child])
        return frozenset(found)

    def compare(self, a: str, b: str) -> Comparison:
        """Histories `a` and `b` as a two-sided Comparison (the ancestor on the reference side)."""
        a, b = self.ordered(a, b)
        return _project(self, a, b)


def _links(tree: Tree, a: str, b: str) -> dict[str, list[str]]:
    """Counterpart links between `a`-only and `b`-only events, through histories in between."""
    members = tree.members
    events = tree.events
    links: dict[str, list[str]] = {}
    for ev in tree.paired:
        m = members[ev.id]
        if b not in m or a in m:
            continue
        seen = {ev.id}
        queue = deque(ev.counterparts())
        while queue:
            ref = queue.popleft()
            if ref in seen or ref not in events:
                continue
            seen.add(ref)
            other = members[ref]
            if a in other and b not in other:
                links.setdefault(ev.id, []).append(ref)
                links.setdefault(ref, []).append(ev.id)
            elif a not in other and b not in other:  # a version in a history between them
                queue.extend(events[ref].counterparts())
    return links


def _project(tree: Tree, a: str, b: str) -> Comparison:
    timeline = tree.timeline
    if timeline._comparison is not None and (a, b) == (REFERENCE, DIVERGED):
        return timeline._comparison  # a format-1 file's own pair: the file as read
    from .style import history_colors  # plotly stays unimported for validation alone

    members = tree.members
    links = _links(tree, a, b)
    split = tree.split(a, b)
    statuses = tree.statuses
    events: list[Event] = []
    rows: list[int] = []  # which of the timeline's events, for to_frame to reuse its frame
    side_of: dict[frozenset[str], str | None] = {}  # events share few member sets
    for row, ev in enumerate(timeline.events):
        m = members[ev.id]
        if m not in side_of:
            in_a, in_b = a in m, b in m
            side_of[m] = (SHARED if in_b else REFERENCE) if in_a else DIVERGED if in_b else None
        side = side_of[m]
        if side is None:
            continue
        rows.append(row)
        linked = links.get(ev.id, [])
        counterpart: str | list[str] | None = (
            None if not linked else linked[0] if len(linked) == 1 else linked
        )
        status = status_in_pair(ev, side, linked, statuses, split)
        if (side, counterpart, status) == (ev.history, ev.counterpart, ev.status):
            events.append(ev)
        else:
            events.append(derived_copy(ev, history=side, counterpart=counterpart, status=status))
    colors = history_colors(timeline)
    sides = {a: REFERENCE, b: DIVERGED}
    eras = [
        e if e.history is None else derived_copy(e, history=sides[e.history])
        for e in timeline.eras
        if e.history is None or e.history in sides
    ]
    out = Comparison.model_construct(
        format=1,
        title=timeline.title,
        description=timeline.description,
        histories=Histories.model_construct(
            reference=_info(tree.nodes[a], colors), diverged=_info(tree.nodes[b], colors)
        ),
        divergence=split.id,
        eras=eras,
        sources=timeline.sources,
        events=events,
    )
    out._pair = (a, b)
    out._projected = Projection(timeline, events, rows)
    out._others = tuple(tree.nodes[h].label for h in tree.order if h not in (a, b))
    out._colors = tuple(colors[h] for h in tree.order)
    own = tree.divergence(b)
    out._own_divergence = own.id if own is not None and own.id != split.id else None
    return out


def _info(node: HistoryNode, colors: dict[str, str]) -> HistoryInfo:
    return HistoryInfo.model_construct(label=node.label, color=colors[node.id])


def status_in_pair(
    ev: Event,
    side: str,
    linked: list[str],
    statuses: dict[str, Status | None],
    split: Event,
) -> Status | None:
    """An event's status in the pair: the newer side's own; the older side takes its version's."""
    if side == SHARED or ev.layer is Layer.production:
        return None
    if side == DIVERGED:
        if not linked:  # its version, if any, is in a history outside the pair: new here
            return Status.new
        return ev.status if ev.status in (Status.shifted, Status.replaced) else Status.shifted
    if linked:
        return statuses[linked[0]] or Status.shifted
    if ev.date.start() < split.date.start():
        return None
    return ev.status if ev.status in (Status.untold, Status.prevented) else Status.untold


def tree_json(timeline: Timeline) -> dict[str, Any]:
    """The histories as a tree for other tools: parents, divergences, children, event counts."""
    from .style import history_colors

    tree = tree_of(timeline)
    colors = history_colors(timeline)
    own = Counter(e.history for e in timeline.events)
    inherited = Counter(h for m in tree.members.values() for h in m)

    def node(h: str) -> dict[str, Any]:
        pod = tree.divergence(h)
        return {
            "id": h,
            "label": tree.nodes[h].label,
            "color": colors[h],
            "parent": tree.nodes[h].parent,
            "divergence": None
            if pod is None
            else {"id": pod.id, "date": pod.date.iso(), "when": pod.when(), "title": pod.title},
            "children": tree.children[h],
            "events": own[h],
            "events_in_history": inherited[h],  # own, inherited and shared
        }

    return {
        "title": timeline.title,
        "root": tree.root,
        "shared_events": own[SHARED],
        "histories": [node(h) for h in tree.order],
    }


def default_pair(timeline: Timeline) -> tuple[str, str]:
    """The pair a timeline opens on: the root and its first branch."""
    root = timeline.root().id
    return root, next(h.id for h in timeline.histories if h.parent == root)


def tree_of(timeline: Timeline) -> Tree:
    """The timeline's Tree, built once: its members are the costly part at 100k events."""
    if timeline._tree is None:
        timeline._tree = Tree(timeline)
    tree: Tree = timeline._tree
    return tree


def compare_pair(timeline: Timeline, pair: tuple[str, str] | None = None) -> Comparison:
    """Two of the timeline's histories as a Comparison; the default pair when none is given."""
    return tree_of(timeline).compare(*(pair or default_pair(timeline)))


def from_comparison(comparison: Comparison) -> Timeline:
    """A format-1 file as a two-history tree: ids `reference` (root) and `diverged`."""
    h = comparison.histories
    timeline = Timeline.model_construct(
        format=2,
        title=comparison.title,
        description=comparison.description,
        histories=[
            HistoryNode.model_construct(
                id=REFERENCE,
                label=h.reference.label,
                color=h.reference.color,
                parent=None,
                divergence=None,
                note=None,
            ),
            HistoryNode.model_construct(
                id=DIVERGED,
                label=h.diverged.label,
                color=h.diverged.color,
                parent=REFERENCE,
                divergence=comparison.divergence,
                note=None,
            ),
        ],
        eras=comparison.eras,
        sources=comparison.sources,
        events=comparison.events,
    )
    timeline._origin = 1
    comparison._colors = (h.reference.color, h.diverged.color)
    return timeline
