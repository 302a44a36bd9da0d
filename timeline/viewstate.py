"""The dashboard's view as URL query parameters, so an address restores the same view."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .filters import Query


@dataclass(frozen=True)
class View:
    """Filters plus the selected event, the timeline file and the tab shown."""

    query: Query = field(default_factory=Query)
    event: str | None = None
    data: str | None = None
    tab: str | None = None


def _set(value: str | None) -> frozenset[str]:
    return frozenset(v for v in (value or "").split(",") if v)


def _years(low: str | None, high: str | None) -> tuple[float, float] | None:
    try:
        return (float(low), float(high)) if low and high else None
    except ValueError:
        return None  # a hand-edited address with junk years just shows all years


def view_from_params(params: Mapping[str, str]) -> View:
    """Read a view from query parameters; unknown or malformed values are ignored."""
    query = Query(
        era=params.get("era") or None,
        years=_years(params.get("from"), params.get("to")),
        lanes=_set(params.get("history")),
        categories=_set(params.get("category")),
        tags=_set(params.get("tag")),
        statuses=_set(params.get("status")),
        text=params.get("q", ""),
    )
    return View(
        query=query,
        event=params.get("event") or None,
        data=params.get("data") or None,
        tab=params.get("tab") or None,
    )


def params_from_view(view: View) -> dict[str, str]:
    """Query parameters for a view; defaults are left out so addresses stay short."""
    q = view.query
    out = {
        "data": view.data or "",
        "era": q.era or "",
        "from": f"{q.years[0]:g}" if q.years else "",
        "to": f"{q.years[1]:g}" if q.years else "",
        "history": ",".join(sorted(q.lanes)),
        "category": ",".join(sorted(q.categories)),
        "tag": ",".join(sorted(q.tags)),
        "status": ",".join(sorted(q.statuses)),
        "q": q.text,
        "event": view.event or "",
        "tab": view.tab or "",
    }
    return {k: v for k, v in out.items() if v}
