"""The dashboard's view as URL query parameters, so an address restores the same view."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from .query import Query


@dataclass(frozen=True)
class View:
    """Filters plus the selected event, the timeline file and the tab shown.

    `ignored` names the address keys whose values could not be used (e.g. `from=nan`): the app
    says so, and writing the view back corrects the address.
    """

    query: Query = field(default_factory=Query)
    event: str | None = None
    data: str | None = None
    tab: str | None = None
    pair: tuple[str, str] | None = None  # the two histories compared; None: the default pair
    focus: str | None = None  # a history singled out on the branch map
    ignored: tuple[str, ...] = ()


# A value is one string, or several when a key repeats (`?category=a&category=b`): repeated keys,
# not a separator, so a category or tag may hold any character, commas included.
Param = str | list[str]


def _one(params: Mapping[str, Param], key: str) -> str:
    value = params.get(key) or ""
    return value[-1] if isinstance(value, list) else value


def _set(params: Mapping[str, Param], key: str) -> frozenset[str]:
    value = params.get(key) or []
    return frozenset(v for v in ([value] if isinstance(value, str) else value) if v)


MAX_YEAR = 10_000_000  # past any date the format holds (six-digit years)


def _year(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) <= MAX_YEAR else None


def _years(low: str, high: str) -> tuple[tuple[float, float] | None, tuple[str, ...]]:
    """The year range, and the keys ignored: junk, nan, infinite, huge, or reversed years."""
    if not low and not high:
        return None, ()
    years = (_year(low), _year(high))
    if years[0] is None or years[1] is None or years[0] > years[1]:
        return None, ("from", "to")
    return (years[0], years[1]), ()


def view_from_params(params: Mapping[str, Param]) -> View:
    """Read a view from query parameters; malformed values are ignored and named in `ignored`."""
    years, ignored = _years(_one(params, "from"), _one(params, "to"))
    query = Query(
        era=_one(params, "era") or None,
        years=years,
        lanes=_set(params, "history"),
        categories=_set(params, "category"),
        tags=_set(params, "tag"),
        statuses=_set(params, "status"),
        text=_one(params, "q"),
    )
    return View(
        query=query,
        event=_one(params, "event") or None,
        data=_one(params, "data") or None,
        tab=_one(params, "tab") or None,
        pair=(a, b) if (a := _one(params, "compare")) and (b := _one(params, "with")) else None,
        focus=_one(params, "focus") or None,
        ignored=ignored,
    )


def params_from_view(view: View) -> dict[str, Param]:
    """Query parameters for a view; defaults are left out so addresses stay short."""
    q = view.query
    out: dict[str, Param] = {
        "data": view.data or "",
        "compare": view.pair[0] if view.pair else "",
        "with": view.pair[1] if view.pair else "",
        "era": q.era or "",
        "from": f"{q.years[0]:g}" if q.years else "",
        "to": f"{q.years[1]:g}" if q.years else "",
        "history": sorted(q.lanes),
        "category": sorted(q.categories),
        "tag": sorted(q.tags),
        "status": sorted(q.statuses),
        "q": q.text,
        "event": view.event or "",
        "focus": view.focus or "",
        "tab": view.tab or "",
    }
    return {k: v for k, v in out.items() if v}


def describe_view(view: View) -> str:
    """The view's filters in one line for a report, e.g. `era=season-1; history=diverged`."""
    params = params_from_view(View(view.query))
    return "; ".join(f"{k}={', '.join(v) if isinstance(v, list) else v}" for k, v in params.items())
