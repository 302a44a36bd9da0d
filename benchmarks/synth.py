"""Deterministic synthetic timelines of any size, valid by construction.

`synthetic`: lean events (~315 bytes each in YAML: short summaries, one source, no unicode).
`realistic`: events whose sizes and field mix match the shipped timeline (see below).
"""

from __future__ import annotations

import json
import random
from typing import Any

import yaml

from timeline.dates import HDate

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
    title = f"Synthetic timeline of {n:,} events"
    return _document(
        title, "Generated for the benchmark.", "Synthetic history", eras, sources, events
    )


def _causes_before_effects(events: list[dict[str, Any]]) -> None:
    """A drawn cause dated after its effect (the loader refuses those) becomes the point of
    divergence, which comes before every diverged event: the share of events with causes stays."""
    dates = {e["id"]: HDate.parse(e["date"]) for e in events}
    for event in events:
        if event.get("causes"):
            latest = dates[event["id"]].latest
            kept = [c if dates[c].earliest < latest else "pod" for c in event["causes"]]
            event["causes"] = [c for c in dict.fromkeys(kept) if c != event["id"]]


def _document(
    title: str,
    description: str,
    diverged: str,
    eras: list[Any],
    sources: list[Any],
    events: list[Any],
) -> dict[str, Any]:
    """A whole timeline around generated eras, sources and events (divergence at "pod")."""
    _causes_before_effects(events)
    return {
        "format": 1,
        "title": title,
        "description": description,
        "histories": {
            "reference": {"label": "Our history", "color": "#0072B2"},
            "diverged": {"label": diverged, "color": "#D55E00"},
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


# --- Realistic timelines -------------------------------------------------------------------
# Field mix measured on seeds/for-all-mankind.yaml (162 events, 883 bytes an event with its
# sources and eras) by `python -m benchmarks.synth seeds/for-all-mankind.yaml`, and matched here:
# summaries 59-413 characters (median 150), titles 13-72 (median 40); tags 0-9 (mostly 2-4);
# 1-8 sources an event (36% one, 26% two; in-show events cite their episode too) and 1.3 source
# entries (title, publisher, url, language, sometimes date) per event; causes on 33% (a drawn
# cause dated after its effect becomes the point of divergence); 47% diverged, 7% shared;
# 29% of events in counterpart pairs; 17% in the production layer; 18% uncertain dates (`~`,
# `?` or a span of years, as format 2 writes them); mixed precision; confidence on all. Unlike
# the seed, dates run from 500 BC to 2100 and one event in six holds non-ASCII text (accents,
# Cyrillic, CJK, dashes). `as_yaml` writes this generator's events in ~770 bytes each; `as_json`
# in ~910.


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


REAL_CATEGORIES = ("spaceflight", "politics", "science", "culture", "production", "economy")
REAL_TAGS = _words(
    "usa soviet nasa apollo mars moon satellite station crew treaty election launch crisis "
    "first record milestone shuttle rover colony reactor helium-3 jamestown polaris "
    "happy-valley sojourn pathfinder vostok mercury gemini skylab mir iss esa china japan "
    "india korea germany france britain rome empire senate consul legion republic trade "
    "silk-road plague reform revolution railway telegraph printing steam canal harbour "
    "cathedral university museum archive season-1 season-2 season-3 season-4 season-5 "
    "spin-off casting filming premiere renewal"
)
REAL_WORDS = _words(
    "the agency council mission crew station treaty summit probe colony reactor vote strike "
    "market launch orbit landing archive museum rover satellite harbour border charter senate "
    "consul legion empire republic province frontier governor assembly engineers observatory "
    "expedition after before during while against across with without their its first new "
    "second last final secret public national imperial orbital lunar martian northern "
    "announces signs opens loses wins builds crosses reaches returns refuses collapses "
    "survives founds expands splits delays recovers of to in on for and from by"
)
UNICODE_WORDS = (
    "Königsberg",
    "Besançon",
    "Łódź",
    "São Paulo",
    "Ærøskøbing",
    "Zürich",
    "Москва",
    "Байконур",
    "東京",
    "北京",
    "naïve",
    "—",
    "…",
    "café",
    "Øresund",
)
REAL_SPAN = (-500, 2100)
REAL_POD_YEAR = 1200
PRODUCTION_SPAN = (2017, 2026)


def _real_date(rng: random.Random, low: int, high: int) -> str | int:
    """Day 59%, month 17%, year 23%, decade 1%, as the shipped timeline writes them."""
    year, kind = rng.randint(low, high), rng.random()
    if kind < 0.01 and year > 0:
        return f"{year // 10 * 10}s"
    if kind < 0.24:
        return year if year > 0 else f"{-year + 1} BC"
    month = (
        f"{year:05d}-{rng.randint(1, 12):02d}"
        if year < 0
        else f"{year:04d}-{rng.randint(1, 12):02d}"
    )
    return month if kind < 0.41 else f"{month}-{rng.randint(1, 28):02d}"


def _real_text(rng: random.Random, low: int, mode: int, high: int, unicode: bool) -> str:
    """Words up to a length drawn from a triangular distribution; some with non-ASCII words."""
    target = int(rng.triangular(low, high, mode))
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < target:
        pool = UNICODE_WORDS if unicode and rng.random() < 0.12 else REAL_WORDS
        words.append(rng.choice(pool))
    return " ".join(words).capitalize()[:high]


def _slug(title: str, i: int, words: int = 4) -> str:
    ascii_words = [w for w in title.lower().split() if w.isascii() and w.isalnum()][:words]
    return "-".join([*ascii_words, str(i)])


def realistic(n: int, seed: int = 1969) -> dict[str, Any]:
    """A valid timeline of `n` events whose sizes and field mix match the shipped timeline."""
    rng = random.Random(seed)
    publishers = [f"{_real_text(rng, 6, 14, 30, False)} Press" for _ in range(40)]
    sources = []
    for i in range(max(n * 13 // 10, 1)):
        source: dict[str, Any] = {
            "id": f"src-{i}",
            "title": _real_text(rng, 7, 60, 100, rng.random() < 0.2),
            "publisher": rng.choice(publishers),
            "language": "en",
            "url": "https://www.example.org/news/"
            + _slug(_real_text(rng, 20, 60, 150, False), i, words=10),
        }
        if rng.random() < 0.42:
            source["date"] = _real_date(rng, 1990, 2026)
        sources.append(source)
    eras: list[dict[str, Any]] = [
        {
            "id": f"era-{y}",
            "label": f"Age of {_real_text(rng, 8, 14, 24, False).lower()}",
            "start": y,
            "end": y + 299,
            "note": _real_text(rng, 40, 80, 140, False) + ".",
        }
        for y in range(REAL_SPAN[0], REAL_SPAN[1], 300)
    ]
    eras.append(
        {
            "id": "production-years",
            "label": "Making of the series",
            "start": PRODUCTION_SPAN[0],
            "end": PRODUCTION_SPAN[1],
            "layer": "production",
        }
    )
    events: list[dict[str, Any]] = []
    diverged: list[str] = []

    def base(i: int) -> dict[str, Any]:
        title = _real_text(rng, 13, 33, 72, rng.random() < 0.05)
        tags = rng.sample(
            REAL_TAGS, rng.choices((0, 1, 2, 3, 4, 5, 6, 7, 9), (3, 11, 28, 39, 12, 1, 4, 1, 1))[0]
        )
        cited = rng.choices((1, 2, 3, 4, 5, 6, 8), (36, 26, 21, 12, 3, 1, 1))[0]
        event: dict[str, Any] = {
            "id": _slug(title, i),
            "date": "",
            "title": title,
            "summary": _real_text(
                rng, 58, 70, 412 if rng.random() < 0.04 else 292, rng.random() < 0.15
            )
            + ".",
            "history": "reference",
            "category": rng.choice(REAL_CATEGORIES),
            "tags": tags,
            "sources": [f"src-{rng.randrange(len(sources))}" for _ in range(cited)],
            "confidence": rng.choices(("high", "medium", "low"), (77, 22, 1))[0],
        }
        return event

    def unsure(event: dict[str, Any]) -> None:
        """18% of dates uncertain, as format 2 writes them: `1969~`, `1969-07?` or `1969/1972`."""
        date = event["date"]
        if rng.random() >= 0.18 or "end" in event or not str(date)[-1].isdigit():
            return
        if isinstance(date, int) and rng.random() < 0.4:
            event["date"] = f"{date}/{date + rng.randint(1, 5)}"
        elif not str(date).startswith("-"):
            event["date"] = f"{date}{rng.choice('~?')}"

    pod = base(0) | {"id": "pod", "history": "diverged", "date": f"{REAL_POD_YEAR}-01-01"}
    events.append(pod)
    diverged.append("pod")
    while len(events) < n:
        i, kind = len(events), rng.random()
        event = base(i)
        if kind < 0.096:
            event |= {"history": "shared", "date": _real_date(rng, REAL_SPAN[0], REAL_POD_YEAR - 1)}
        elif kind < 0.296 and len(events) + 2 <= n:  # a counterpart pair: 33% of events
            div = base(i + 1) | {
                "history": "diverged",
                "date": _real_date(rng, REAL_POD_YEAR + 1, REAL_SPAN[1]),
                "status": rng.choice(("replaced", "replaced", "replaced", "shifted")),
                "counterpart": event["id"],
            }
            if rng.random() < 0.85:
                div["causes"] = [rng.choice(diverged[-200:])]
            event |= {
                "date": _real_date(rng, REAL_POD_YEAR + 1, REAL_SPAN[1]),
                "counterpart": div["id"],
            }
            unsure(event)
            unsure(div)
            events += [event, div]
            diverged.append(div["id"])
            continue
        elif kind < 0.66:
            event |= {
                "history": "diverged",
                "date": _real_date(rng, REAL_POD_YEAR + 1, REAL_SPAN[1]),
            }
            if rng.random() < 0.8:
                event["causes"] = rng.sample(diverged[-200:], min(len(diverged), rng.randint(1, 2)))
            diverged.append(event["id"])
        elif kind < 0.864:
            event |= {"layer": "production", "date": _real_date(rng, *PRODUCTION_SPAN)}
            event["category"] = "production"
            if rng.random() < 0.25:
                event["setting"] = rng.choice(eras)["id"]
        else:
            year_low = REAL_SPAN[0] if rng.random() < 0.5 else REAL_POD_YEAR + 1
            event["date"] = _real_date(
                rng, year_low, REAL_SPAN[1] if year_low > 0 else REAL_POD_YEAR - 1
            )
            if year_low > 0 and rng.random() < 0.5:
                event["status"] = rng.choice(("untold", "untold", "untold", "prevented"))
        if rng.random() < 0.05 and isinstance(event["date"], int):
            event["end"] = event["date"] + rng.randint(1, 10)
        unsure(event)
        events.append(event)
    title, about = (
        f"Realistic synthetic timeline of {n:,} events",
        _real_text(rng, 200, 300, 400, True),
    )
    return _document(title, about + ".", "Another history", eras, sources, events)


def field_mix(data: dict[str, Any]) -> dict[str, Any]:
    """The sizes and field mix of a timeline's events, to set a generator against a real file."""
    events = data["events"]
    n = len(events)
    histories = data.get("histories")
    # Format 2 names its branches (the histories with a parent); format 1 has one, `diverged`.
    branches = (
        {h["id"] for h in histories if h.get("parent")}
        if isinstance(histories, list)
        else {"diverged"}
    )

    def spread(values: list[int]) -> list[int]:
        values = sorted(values)
        return [values[0], values[len(values) // 2], values[-1]]

    def share(test: Any) -> float:
        return round(sum(1 for e in events if test(e)) / n, 2)

    return {
        "events": n,
        "sources per event": round(len(data["sources"]) / n, 2),
        "summary chars (min, median, max)": spread([len(e.get("summary", "")) for e in events]),
        "title chars": spread([len(e["title"]) for e in events]),
        "tags an event": spread([len(e.get("tags", [])) for e in events]),
        "sources an event": spread([len(e["sources"]) for e in events]),
        "with causes": share(lambda e: e.get("causes")),
        "in counterpart pairs": share(lambda e: "counterpart" in e),
        "shared": share(lambda e: e["history"] == "shared"),
        "diverged": share(lambda e: e["history"] in branches),
        "production layer": share(lambda e: e.get("layer") == "production"),
        "uncertain dates": share(
            lambda e: e.get("approximate") or any(m in str(e["date"]) for m in "~?%/")
        ),
        "non-ASCII text": share(lambda e: not (e["title"] + e.get("summary", "")).isascii()),
    }


if __name__ == "__main__":
    import sys
    from pathlib import Path

    for name in sys.argv[1:]:
        raw = Path(name).read_bytes()
        data = yaml.safe_load(raw)
        print(f"{name}: {len(raw) / len(data['events']):.0f} bytes an event")
        for key, value in field_mix(data).items():
            print(f"  {key}: {value}")
