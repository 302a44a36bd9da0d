"""A timeline as a pandas DataFrame: one row per event, dates as decimal years."""

from __future__ import annotations

import pandas as pd

from .schema import Era, Event, Layer, Timeline

# The flat columns of an export, in order (the contract for `export`).
EXPORT_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "end",
    "precision",
    "approximate",
    "history",
    "layer",
    "category",
    "era",
    "title",
    "summary",
    "counterpart",
    "causes",
    "sources",
    "status",
    "tags",
    "confidence",
    "setting",
)
# Derived columns the figures and filters use.
EXTRA_COLUMNS: tuple[str, ...] = ("lane", "eras", "date_label", "x", "start", "stop")


def era_matches(era: Era, event: Event) -> bool:
    """Whether an event's period overlaps the era (and it is of the era's layer, if any)."""
    if era.layer is not None and era.layer is not event.layer:
        return False
    stop = (event.end or event.date).stop()
    return event.date.start() < era.end.stop() and stop > era.start.start()


def _row(event: Event, eras: list[Era]) -> dict[str, object]:
    matching = [e for e in eras if era_matches(e, event)]
    narrowest = min(matching, key=lambda e: e.end.stop() - e.start.start(), default=None)
    return {
        "id": event.id,
        "date": event.date.iso(),
        "end": event.end.iso() if event.end else None,
        "precision": event.date.precision.value,
        "approximate": event.approximate,
        "history": event.history.value,
        "layer": event.layer.value,
        "category": event.category,
        "era": narrowest.id if narrowest else None,
        "title": event.title,
        "summary": event.summary,
        "counterpart": event.counterpart,
        "causes": list(event.causes),
        "sources": list(event.sources),
        "status": event.status.value if event.status else None,
        "tags": list(event.tags),
        "confidence": event.confidence.value if event.confidence else None,
        "setting": event.setting,
        "lane": "production" if event.layer is Layer.production else event.history.value,
        "eras": [e.id for e in matching],
        "date_label": ("c. " if event.approximate else "")
        + event.date.label()
        + (f" – {event.end.label()}" if event.end else ""),
        "x": event.date.mid(),
        "start": event.date.start(),
        "stop": (event.end or event.date).stop(),
    }


def to_frame(timeline: Timeline) -> pd.DataFrame:
    """One row per event, sorted by date; `x` is the decimal year a chart plots at."""
    rows = [_row(e, timeline.eras) for e in timeline.events]
    frame = pd.DataFrame(rows, columns=[*EXPORT_COLUMNS, *EXTRA_COLUMNS])
    return frame.sort_values(["start", "id"], kind="stable").reset_index(drop=True)
