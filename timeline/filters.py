"""One filter, shared by the table and every figure."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Query:
    """What the user asked to see; empty sets mean 'all'."""

    era: str | None = None
    years: tuple[float, float] | None = None
    lanes: frozenset[str] = field(default_factory=frozenset)
    categories: frozenset[str] = field(default_factory=frozenset)
    tags: frozenset[str] = field(default_factory=frozenset)
    statuses: frozenset[str] = field(default_factory=frozenset)
    text: str = ""


def filter_events(frame: pd.DataFrame, query: Query) -> pd.DataFrame:
    """The rows of `frame` that match every part of `query`."""
    keep = pd.Series(True, index=frame.index)
    if query.era:
        keep &= frame["eras"].map(lambda ids: query.era in ids)
    if query.years:
        low, high = query.years
        keep &= (frame["stop"] > low) & (frame["start"] < high + 1)
    if query.lanes:
        keep &= frame["lane"].isin(query.lanes)
    if query.categories:
        keep &= frame["category"].isin(query.categories)
    if query.tags:
        keep &= frame["tags"].map(lambda tags: not query.tags.isdisjoint(tags))
    if query.statuses:
        keep &= frame["status"].isin(query.statuses)
    if text := query.text.strip().casefold():
        # Literal match, never a regex: user text like "(" must not raise or backtrack.
        haystack = (frame["title"] + "\n" + frame["summary"]).str.casefold()
        keep &= haystack.str.contains(text, regex=False)
    return frame[keep]
