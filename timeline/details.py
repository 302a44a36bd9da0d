"""Everything the details panel shows for one event, in words ready to display."""

from __future__ import annotations

from dataclasses import dataclass

from .schema import Comparison, Event, Layer, Source, Status, Timeline
from .style import lane_labels


@dataclass(frozen=True)
class Link:
    """Another event the panel can jump to."""

    id: str
    text: str  # "Title (date)"


@dataclass(frozen=True)
class Details:
    event: Event
    when: str  # "c. Jul 1969 – 1972"
    precision: str  # "to the month"
    history: str  # the history's own label, or production
    status: str | None  # "Shifted: the same milestone, reached at another date"
    era_labels: list[str]
    counterparts: list[Link]  # its version(s) in the other history
    causes: list[Link]
    led_to: list[Link]
    sources: list[Source]


def lane_of(event: Event) -> str:
    return "production" if event.layer is Layer.production else str(event.history)


def _link(event: Event) -> Link:
    return Link(event.id, f"{event.title} ({event.date.label()})")


def event_details(
    timeline: Comparison | Timeline, event_id: str, era_ids: list[str]
) -> Details | None:
    """The event, its counterparts, causes, consequences and sources; None if unknown.

    Given a whole tree, the history is the event's own and the status is against its parent.
    """
    events = {e.id: e for e in timeline.events}
    event = events.get(event_id)
    if event is None:
        return None
    sources = {s.id: s for s in timeline.sources}
    eras = {e.id: e.label for e in timeline.eras}
    status = Status(event.status) if event.status else None
    return Details(
        event=event,
        when=event.when(),
        precision=f"to the {event.date.precision.value}",
        history=lane_labels(timeline)[lane_of(event)],
        status=f"{status.label}: {status.explanation}" if status else None,
        era_labels=[eras[i] for i in era_ids if i in eras],
        counterparts=[_link(events[c]) for c in event.counterparts() if c in events],
        causes=[_link(events[c]) for c in event.causes if c in events],
        led_to=[_link(e) for e in timeline.events if event_id in e.causes],
        sources=[sources[s] for s in event.sources if s in sources],
    )
