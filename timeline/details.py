"""Everything the details panel shows for one event."""

from __future__ import annotations

from dataclasses import dataclass

from .schema import Event, Source, Timeline


@dataclass(frozen=True)
class Details:
    event: Event
    era_labels: list[str]
    counterpart: Event | None
    causes: list[Event]
    led_to: list[Event]
    sources: list[Source]


def event_details(timeline: Timeline, event_id: str, era_ids: list[str]) -> Details | None:
    """The event, its counterpart, causes, consequences and sources; None if unknown."""
    events = {e.id: e for e in timeline.events}
    event = events.get(event_id)
    if event is None:
        return None
    sources = {s.id: s for s in timeline.sources}
    eras = {e.id: e.label for e in timeline.eras}
    return Details(
        event=event,
        era_labels=[eras[i] for i in era_ids if i in eras],
        counterpart=events.get(event.counterpart or ""),
        causes=[events[c] for c in event.causes if c in events],
        led_to=[e for e in timeline.events if event_id in e.causes],
        sources=[sources[s] for s in event.sources if s in sources],
    )
