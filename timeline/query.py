"""What the user asked to see: a plain value, so reading an address needs no pandas."""

from __future__ import annotations

from dataclasses import dataclass, field


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
