"""One filter, shared by the table and every figure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .frame import KEY_SEPARATOR
from .query import Query
from .schema import Era


def _has_key(keys: pd.Series, wanted: Iterable[str]) -> pd.Series:
    """Rows whose key column lists any of the wanted ids."""
    found = pd.Series(False, index=keys.index)
    for key in wanted:
        found |= keys.str.contains(f"{KEY_SEPARATOR}{key}{KEY_SEPARATOR}", regex=False)
    return found


def filter_events(frame: pd.DataFrame, query: Query) -> pd.DataFrame:
    """The rows of `frame` that match every part of `query`."""
    keep = pd.Series(True, index=frame.index)
    if query.era:
        in_era = [query.era in ids for ids in frame["eras_in_span"].tolist()]
        keep &= np.array(in_era, dtype=bool)
    if query.years:
        low, high = query.years
        keep &= (frame["stop"] > low) & (frame["start"] < high + 1)
    if query.lanes:
        keep &= frame["lane"].isin(query.lanes)
    if query.categories:
        keep &= frame["category"].isin(query.categories)
    if query.tags:
        keep &= _has_key(frame["tag_keys"], query.tags)
    if query.statuses:
        keep &= frame["status"].isin(query.statuses)
    if text := query.text.strip():
        # Literal match, never a regex: user text like "(" must not raise or backtrack.
        def has(column: str) -> pd.Series:
            return frame[column].str.contains(text, case=False, regex=False)

        keep &= has("title") | has("summary")
    return frame[keep]


def thin(frame: pd.DataFrame, budget: int, keep: Iterable[str | None] = ()) -> pd.DataFrame:
    """At most `budget` rows, evenly spread over `frame`'s order; ids in `keep` always stay.

    A chart of 100,000 points is ~10 MB sent on every rerun and unreadable anyway.
    """
    if len(frame) <= budget:
        return frame
    must = frame["id"].isin([k for k in keep if k is not None])
    rest = frame[~must]
    take = max(budget - int(must.sum()), 0)
    picks = rest.iloc[np.linspace(0, len(rest) - 1, take).round().astype(int)] if take else rest[:0]
    return pd.concat([frame[must], picks]).sort_index()


@dataclass(frozen=True)
class Span:
    """A quick pick of the era control: an era, a decade or a century."""

    key: str  # an era's id, or `years:1960-1969` (ids never hold ':', so keys never collide)
    label: str
    era: str | None = None
    years: tuple[float, float] | None = None


@dataclass(frozen=True)
class Options:
    """What the filter widgets offer for one timeline: computed once per file, not per rerun."""

    spans: tuple[Span, ...]
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    low: int  # first and last year of any event, for typed year ranges
    high: int


def filter_options(eras: Iterable[tuple[str, str, str]], frame: pd.DataFrame) -> Options:
    """Eras (id, label, years) first, then each decade and century that holds events."""
    low = int(frame["start"].min() // 1) if len(frame) else 0
    high = int((frame["stop"].max() - 1e-9) // 1) if len(frame) else 0
    spans = [
        Span(era_id, label if years.split("–")[0] in label else f"{label} ({years})", era=era_id)
        for era_id, label, years in eras
    ]
    years = (frame["start"] // 1).astype(int)
    decades = sorted(set((years // 10 * 10).tolist()))
    centuries = sorted(set((years // 100 * 100).tolist()))
    if len(decades) > 1:
        spans += [
            Span(
                f"years:{d}-{d + 9}",
                f"{d}s" if d > 0 else f"{_year_words(d)}–{_year_words(d + 9)}",
                years=(float(d), float(d + 9)),
            )
            for d in decades
        ]
    if len(centuries) > 1:
        spans += [
            Span(
                f"years:{c}-{c + 99}",
                f"{_year_words(c)}–{_year_words(c + 99)}",
                years=(float(c), float(c + 99)),
            )
            for c in centuries
        ]
    tags = sorted({t for tags in frame["tags"] for t in tags})
    return Options(
        spans=tuple(spans),
        categories=tuple(sorted(frame["category"].unique())),
        tags=tuple(tags),
        low=low,
        high=high,
    )


def _year_words(year: int) -> str:
    return f"{1 - year} BC" if year <= 0 else str(year)


def span_for(options: Options, query: Query) -> Span | None:
    """The quick pick a query stands for, if any (a typed range may match a decade)."""
    for span in options.spans:
        if (query.era and span.era == query.era) or (
            query.years is not None and span.years == query.years and not query.era
        ):
            return span
    return None


def era_as_years(query: Query, eras: Iterable[Era], kept: Iterable[str]) -> Query:
    """The query for events that lack the chosen era (a pair without the era's history): the
    era's years instead. Unchanged when the era is among `kept`, or is none of `eras`."""
    if not query.era or query.era in set(kept):
        return query
    era = next((e for e in eras if e.id == query.era), None)
    if era is None:
        return query
    # Query years are whole years through the end of `high`: the era's last day is the bound.
    return replace(query, era=None, years=(era.start.start(), era.end.stop() - 1.0))
