"""Histories as a tree: who inherits which event, and any two histories as a Comparison.

A branch inherits its parent's events dated surely before its own divergence, unless it has
its own version of them (an event whose counterpart they are). Shared events are in every
history. Any two histories compare as a two-sided `Comparison`, the shape every view draws.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from itertools import compress, repeat
from operator import is_, itemgetter
from typing import Any

from .dates import HDate
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
# Every field of an event: the tree reads a few, and the frames of the timeline and of its
# pairs take the rest from the same pass (one pass over 100k events, not one per reader).
_EVENT_FIELDS: tuple[str, ...] = tuple(Event.model_fields)


def event_fields(events: list[Event], names: tuple[str, ...]) -> dict[str, tuple[Any, ...]]:
    """Each named field's values in the events' order, read from each event's __dict__ in one
    pass: at 100k events ~4x faster than a comprehension per field, each visiting every event."""
    values = list(zip(*map(itemgetter(*names), map(vars, events)), strict=True))
    return dict(zip(names, values or [()] * len(names), strict=True))


class _Statuses(Mapping[str, "Status | None"]):
    """Events' statuses by id, read from the events when asked."""

    def __init__(self, events: dict[str, Event]) -> None:
        self.events = events

    def __getitem__(self, event_id: str) -> Status | None:
        return self.events[event_id].status

    def __iter__(self) -> Iterator[str]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)


class Projection:
    """Which of a timeline's events a pair holds (`rows`), for `to_frame` to take the tree's
    frame's rows, and their fields the pair changes or derives from (`sided`: layer, history,
    counterpart, status, in the pair's event order). A cache, not part of the pair's value:
    any two compare equal, and equal to None, so a pair equals the same pair however made."""

    def __init__(
        self, tree: Tree, events: list[Event], rows: list[int], sided: dict[str, list[Any]]
    ) -> None:
        self.tree, self.timeline = tree, tree.timeline
        self.events, self.rows, self.sided = events, rows, sided

    def fields(self) -> dict[str, list[Any]]:
        """The pair's events' fields, in its event order (as `event_fields` reads them from
        its events): the tree's at `rows`, the sided ones replaced."""
        fields, rows = self.tree.fields, self.rows
        kept = (name for name in _EVENT_FIELDS if name not in self.sided)
        return {name: _picked(fields[name], rows) for name in kept} | self.sided

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
        # Whole-tree results computed once per timeline (the milestones across histories).
        self.memo: dict[str, Any] = {}

    @cached_property
    def fields(self) -> dict[str, tuple[Any, ...]]:
        """Its events' fields, each in the timeline's event order."""
        return event_fields(self.timeline.events, _EVENT_FIELDS)

    @cached_property
    def events(self) -> dict[str, Event]:
        """The events by id (a format-1 file's own pair never needs them: built when asked)."""
        return dict(zip(self.fields["id"], self.timeline.events, strict=True))

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
    def statuses(self) -> Mapping[str, Status | None]:
        """Each event's own status, looked up when asked: a pair asks for a few linked ones."""
        return _Statuses(self.events)

    @cached_property
    def paired(self) -> list[Event]:
        """The events that name a counterpart (a fraction of all: loops over links use it)."""
        return list(compress(self.timeline.events, self.fields["counterpart"]))

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
        return dict(zip(self.fields["id"], self.member_list, strict=True))

    @cached_property
    def member_list(self) -> list[frozenset[str]]:
        """`members` in the timeline's event order (a pair visits the events in that order)."""
        everywhere = frozenset(self.nodes)
        starts = {h: p.date.start() for h in self.nodes if (p := self.divergence(h)) is not None}
        # Which branches an event reaches depends only on its history, on which divergences it
        # ends before and on the branches that replace it: one set per such key, not per event.
        cuts = sorted(set(starts.values()))
        same: dict[tuple[str, int, frozenset[str]], frozenset[str]] = {}
        alone = {h: frozenset((h,)) for h in self.nodes}
        branching = {h for h, below in self.children.items() if below}
        replaced_in = {k: frozenset(v) for k, v in self.replaced_in.items()}
        production = Layer.production
        nobody: frozenset[str] = frozenset()
        out: list[frozenset[str]] = []
        fields = (self.fields[name] for name in ("id", "history", "layer", "date", "end"))
        for event_id, history, layer, date, end in zip(*fields, strict=True):
            if history == SHARED:
                out.append(everywhere)
            elif history not in branching or layer is production:
                out.append(alone.get(history, nobody))
            else:
                stop = (end or date).stop()
                key = (history, bisect_left(cuts, stop), replaced_in.get(event_id, nobody))
                found = same.get(key)
                if found is None:
                    found = same[key] = self._reached(history, stop, key[2], starts)
                out.append(found)
        return out

    def _reached(
        self, history: str, stop: float, replaced: frozenset[str], starts: dict[str, float]
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
    from .colours import history_colors  # lazily: validation alone needs no colours

    links = _links(tree, a, b)
    split = tree.split(a, b)
    rows, sided, copied = _in_pair(tree, a, b, links, split)
    events = _picked(timeline.events, rows)
    history, counterpart, status = sided["history"], sided["counterpart"], sided["status"]
    for at in copied:  # the rest the pair sees as they are (shared events)
        events[at] = derived_copy(
            events[at], history=history[at], counterpart=counterpart[at], status=status[at]
        )
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
    sided["layer"] = _picked(tree.fields["layer"], rows)
    out._projected = Projection(tree, events, rows, sided)
    out._others = tuple(tree.nodes[h].label for h in tree.order if h not in (a, b))
    out._colors = tuple(colors[h] for h in tree.order)
    own = tree.divergence(b)
    out._own_divergence = own.id if own is not None and own.id != split.id else None
    return out


def _picked(values: Sequence[Any], rows: list[int]) -> list[Any]:
    """`values` at `rows`."""
    return [values[row] for row in rows]


_STATUS_CODES: dict[Status | None, int] = {None: 0} | {s: i + 1 for i, s in enumerate(Status)}


def _in_pair(
    tree: Tree, a: str, b: str, links: dict[str, list[str]], split: Event
) -> tuple[list[int], dict[str, list[Any]], list[int]]:
    """Which of the timeline's events the pair (a, b) holds (their rows), their history (side),
    counterpart and status in it, and which of them (by index) differ from the event's own.

    Per event by numpy. An unlinked event's status depends only on its side, its layer being
    production, its own status and its starting before the split: one `status_in_pair` per
    such key, not per event; a linked one's (a few) per event.
    """
    import numpy as np  # lazily: validation alone needs no numpy

    fields, events, count = tree.fields, tree.timeline.events, len(tree.member_list)
    # The events' member sets are shared objects: a side per distinct one.
    _, first, kind = np.unique(
        np.fromiter(map(id, tree.member_list), np.int64, count),
        return_index=True,
        return_inverse=True,
    )
    side_of = [_side(tree.member_list[i], a, b) for i in first.tolist()]
    kinds = (REFERENCE, DIVERGED, SHARED)
    side_code = np.array([-1 if s is None else kinds.index(s) for s in side_of])[kind]
    rows = np.flatnonzero(side_code >= 0)
    side_code, size = side_code[rows], len(rows)
    sides = np.array(kinds, dtype=object)[side_code]
    names = ("id", "history", "layer", "date", "counterpart", "status")
    held = rows.tolist()
    ids, history, layer, date, counterpart, status = (_picked(fields[n], held) for n in names)
    production = np.fromiter(map(is_, layer, repeat(Layer.production)), bool, size)
    own = np.fromiter(status, object, size)
    own_code = np.fromiter(map(_STATUS_CODES.__getitem__, status), np.int64, size)
    early = np.fromiter(map(HDate.start, date), float, size) < split.date.start()
    key = ((side_code * 2 + production) * len(_STATUS_CODES) + own_code) * 2 + early
    _, first, group = np.unique(key, return_index=True, return_inverse=True)
    unlinked: list[str] = []
    found = [
        status_in_pair(events[row], str(sides[at]), unlinked, tree.statuses, split)
        for at, row in zip(first.tolist(), rows[first].tolist(), strict=True)
    ]
    statuses = np.fromiter(found, object, len(found))[group]
    counterparts = np.full(size, None, dtype=object)
    alone = np.fromiter(map(is_, counterpart, repeat(None)), bool, size)
    same = (sides == np.fromiter(history, object, size)) & alone & (statuses == own)
    linked = np.fromiter(map(links.__contains__, ids), bool, size)
    for at in np.flatnonzero(linked).tolist():
        ev = events[rows[at]]
        refs = links[ev.id]
        counterparts[at] = refs[0] if len(refs) == 1 else refs
        statuses[at] = status_in_pair(ev, str(sides[at]), refs, tree.statuses, split)
        same[at] = (sides[at], counterparts[at], statuses[at]) == (
            ev.history,
            ev.counterpart,
            ev.status,
        )
    sided = {"history": sides, "counterpart": counterparts, "status": statuses}
    return (
        held,
        {name: column.tolist() for name, column in sided.items()},
        np.flatnonzero(~same).tolist(),
    )


def _side(members: frozenset[str], a: str, b: str) -> str | None:
    """The side of a pair (a, b) an event in `members` is on; None: in neither history."""
    if a in members:
        return SHARED if b in members else REFERENCE
    return DIVERGED if b in members else None


def _info(node: HistoryNode, colors: dict[str, str]) -> HistoryInfo:
    return HistoryInfo.model_construct(label=node.label, color=colors[node.id])


def status_in_pair(
    ev: Event,
    side: str,
    linked: list[str],
    statuses: Mapping[str, Status | None],
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
    from .colours import history_colors

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
