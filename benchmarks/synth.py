"""Deterministic synthetic timelines of any size, valid by construction."""

from __future__ import annotations

import json
import random
from typing import Any

import yaml

CATEGORIES = ("politics", "space", "science", "culture", "economy", "military", "society", "tech")
TAGS = ("moon", "mars", "treaty", "election", "launch", "crisis", "first", "record", "milestone")
WORDS = [
    "agency",
    "council",
    "mission",
    "crew",
    "station",
    "treaty",
    "summit",
    "probe",
    "colony",
    "reactor",
    "vote",
    "rally",
    "strike",
    "market",
    "launch",
    "orbit",
    "landing",
    "archive",
    "museum",
    "rover",
    "satellite",
    "port",
    "harbour",
    "border",
    "charter",
]
POD_YEAR = 1900
SPAN = (1800, 2100)


def _date(rng: random.Random, low: int, high: int) -> str:
    year = rng.randint(low, high)
    kind = rng.random()
    if kind < 0.6:
        return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind < 0.85:
        return f"{year:04d}-{rng.randint(1, 12):02d}"
    return str(year)


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def synthetic(n: int, seed: int = 1969) -> dict[str, Any]:
    """A valid timeline of `n` events: shared before the divergence, both histories after it."""
    rng = random.Random(seed)
    sources = [
        {"id": f"src-{i}", "title": f"Reference work {i}", "url": f"https://example.org/{i}"}
        for i in range(50)
    ]
    eras = [
        {"id": f"era-{y}", "label": f"{y}s to {y + 29}", "start": y, "end": y + 29}
        for y in range(SPAN[0], SPAN[1], 30)
    ]
    events: list[dict[str, Any]] = [
        {
            "id": "pod",
            "date": f"{POD_YEAR}-01-01",
            "title": "The point of divergence",
            "history": "diverged",
            "category": "politics",
            "sources": ["src-0"],
        }
    ]
    diverged: list[str] = ["pod"]
    while len(events) < n:
        i = len(events)
        kind = rng.random()
        event: dict[str, Any] = {
            "id": f"e{i}",
            "title": _text(rng, 4),
            "summary": _text(rng, 18) + ".",
            "category": rng.choice(CATEGORIES),
            "tags": rng.sample(TAGS, rng.randint(0, 2)),
            "sources": [f"src-{rng.randrange(50)}"],
        }
        if kind < 0.15:
            event |= {"history": "shared", "date": _date(rng, SPAN[0], POD_YEAR - 1)}
        elif kind < 0.4 and len(events) + 2 <= n:
            # A counterpart pair: the same milestone in both histories.
            ref = event | {"history": "reference", "date": _date(rng, POD_YEAR + 1, SPAN[1])}
            div = {
                **event,
                "tags": list(event["tags"]),  # no shared lists: YAML would write aliases
                "sources": list(event["sources"]),
                "id": f"e{i}d",
                "history": "diverged",
                "date": _date(rng, POD_YEAR + 1, SPAN[1]),
                "counterpart": f"e{i}",
                "status": rng.choice(("shifted", "replaced")),
                "causes": [rng.choice(diverged)],
            }
            ref["counterpart"] = div["id"]
            events += [ref, div]
            diverged.append(div["id"])
            continue
        elif kind < 0.7:
            event |= {"history": "diverged", "date": _date(rng, POD_YEAR + 1, SPAN[1])}
            event["causes"] = rng.sample(diverged[-200:], min(len(diverged), rng.randint(0, 2)))
            diverged.append(event["id"])
        else:
            event |= {
                "history": "reference",
                "date": _date(rng, POD_YEAR + 1, SPAN[1]),
                "status": rng.choice(("untold", "prevented")),
            }
        events.append(event)
    return {
        "format": 1,
        "title": f"Synthetic timeline of {n:,} events",
        "description": "Generated for the benchmark.",
        "histories": {
            "reference": {"label": "Our history", "color": "#0072B2"},
            "diverged": {"label": "Synthetic history", "color": "#D55E00"},
        },
        "divergence": "pod",
        "eras": eras,
        "sources": sources,
        "events": events,
    }


def as_yaml(data: dict[str, Any]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=200)


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
