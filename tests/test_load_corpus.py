"""Differential safety net for the loader: a corpus of corrupted timelines, built from the seeds
with a seeded RNG, must give exactly the problems (file, line, field, message, hint, in order)
recorded from the loader before it was made faster, and the valid ones the same timeline.

The corpus is rebuilt here on every run; its expected output is `data/corpus_expected.json`,
written by `python -m tests.test_load_corpus --write` (run against the reference code).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import json
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import timeline as tl
from timeline.parquet_reader import METADATA_KEY, ONE_OR_MANY, event_schema, one_or_many_cell
from timeline.reader import read_yaml
from timeline.schema import Event

ROOT = Path(__file__).parent.parent
EXPECTED = Path(__file__).parent / "data" / "corpus_expected.json"
SEEDS = ("for-all-mankind.yaml", "roma-eterna.yaml", "space-race.yaml")
CASES_PER_SEED = 45
pytestmark = pytest.mark.slow  # ~300 generated files: seconds, not the quick run
BIG_EVENTS = 10_500  # more than two of the loader's validation slices (5,000 items)

Data = dict[str, Any]
Mutation = Callable[[Data, random.Random], None]

_CONTROLS = [chr(c) for c in (0, 1, 7, 9, 10, 13, 27, 31, 127, 0x85, 0x9F)]
_BAD_DATES: list[Any] = [
    "1969-13",
    "1969-02-30",
    "June 31 1969",
    "",
    " ",
    "1969-07-20x",
    True,
    1.5,
    10**7,
    -(10**6),
    "1942/1930",
    "../..",
    "/",
    "19XX?",
    "2000-00",
    "1900-02-29",
    "2000-02-29",
    "44 bc",
    "1947?",
    "-0044",
    "1969-21",
    "1969-25",
    "Y-20000",
    "Y123",
    "196X",
    "1960s~",
    "1942/1947",
    "../1947",
    "1962/..",
    " 1969-07-20 ",
    "+1969",
    "1969-7-20",
    None,
    [1969],
    {"year": 1969},
    "0000",
    "1969-07-20T10:00",
]
_WRONG_VALUES: list[Any] = [12, 3.5, True, None, [], {}, ["a", 1], {"a": 1}, "x" * 300, "", "é"]
_BAD_IDS: list[Any] = ["Bad Id", "UPPER", "", "a b", "-lead", 42, "é-id", "x" * 130, "shared", None]
_TEXT_FIELDS = {
    "events": ("title", "summary", "category"),
    "sources": ("title", "author", "publisher", "edition", "chapter", "page", "series"),
    "eras": ("label", "note"),
}
_REQUIRED = {
    "events": ("id", "date", "title", "history", "category", "sources"),
    "sources": ("id", "title", "url", "seed"),
    "eras": ("id", "label", "start", "end"),
}


def _item(
    data: Data, rng: random.Random, lists: tuple[str, ...] = ("events", "sources", "eras")
) -> tuple[str, Data] | None:
    """A random item of a random non-empty list."""
    names = [n for n in lists if data.get(n)]
    if not names:
        return None
    name = rng.choice(names)
    item = rng.choice(data[name])
    return (name, item) if isinstance(item, dict) else None


def _event(data: Data, rng: random.Random) -> Data | None:
    found = _item(data, rng, ("events",))
    return found[1] if found else None


def wrong_type(data: Data, rng: random.Random) -> None:
    if found := _item(data, rng):
        name, item = found
        field = rng.choice([*item, *_REQUIRED[name]])
        item[field] = copy.deepcopy(rng.choice(_WRONG_VALUES))


def bad_id(data: Data, rng: random.Random) -> None:
    if found := _item(data, rng):
        found[1]["id"] = rng.choice(_BAD_IDS)


def bad_date(data: Data, rng: random.Random) -> None:
    if found := _item(data, rng):
        name, item = found
        field = {"events": ("date", "end"), "eras": ("start", "end"), "sources": ("date",)}[name]
        item[rng.choice(field)] = copy.deepcopy(rng.choice(_BAD_DATES))


def control_character(data: Data, rng: random.Random) -> None:
    if not (found := _item(data, rng)):
        return
    name, item = found
    if name == "events" and item.get("tags") and rng.random() < 0.3:
        tags, k = item["tags"], rng.randrange(len(item["tags"]))
        if isinstance(tags[k], str):
            at = rng.randint(0, len(tags[k]))
            tags[k] = tags[k][:at] + rng.choice(_CONTROLS) + tags[k][at:]
        return
    field = rng.choice(_TEXT_FIELDS[name])
    text = item.get(field)
    text = text if isinstance(text, str) else "plain words"
    at = rng.randint(0, len(text))
    item[field] = text[:at] + rng.choice(_CONTROLS) + text[at:]


def duplicate_id(data: Data, rng: random.Random) -> None:
    if found := _item(data, rng):
        name, item = found
        other = rng.choice(data[name])
        if isinstance(other, dict) and "id" in other:
            item["id"] = other["id"]


def _typo(ref: Any, rng: random.Random) -> Any:
    if not isinstance(ref, str) or len(ref) < 2:
        return "nowhere"
    at = rng.randrange(len(ref))
    return rng.choice([ref[:at] + ref[at + 1 :], ref + "-x", "unknown-" + ref])


def dangling_reference(data: Data, rng: random.Random) -> None:
    ev = _event(data, rng)
    if ev is None:
        return
    ids = [e.get("id") for e in data["events"] if isinstance(e, dict)]
    field = rng.choice(["causes", "sources", "counterpart", "setting", "history", "divergence"])
    if field in ("causes", "sources"):
        refs = ev.get(field) if isinstance(ev.get(field), list) else []
        ref = rng.choice(refs) if refs else rng.choice(ids)
        ev[field] = [*refs, _typo(ref, rng)] if rng.random() < 0.5 or not refs else refs
        if refs and ev[field] is refs:
            refs[rng.randrange(len(refs))] = _typo(ref, rng)
    elif field == "counterpart":
        ev["counterpart"] = rng.choice(
            [_typo(ev.get("counterpart") or rng.choice(ids), rng), rng.choice(ids), ids[:2]]
        )
    elif field == "setting":
        eras = [e.get("id") for e in data.get("eras", []) if isinstance(e, dict)]
        ev["setting"] = rng.choice([_typo(rng.choice(eras or ["x"]), rng), eras[:2] or ["x"]])
    elif field == "history":
        ev["history"] = _typo(ev.get("history"), rng)
    elif data.get("format") == 2 and isinstance(data.get("histories"), list):
        node = rng.choice(data["histories"])
        node[rng.choice(["divergence", "parent"])] = _typo(node.get("divergence"), rng)
    else:
        data["divergence"] = _typo(data.get("divergence"), rng)


def missing_field(data: Data, rng: random.Random) -> None:
    if rng.random() < 0.1:
        data.pop(rng.choice(["title", "histories", "sources", "events", "divergence"]), None)
    elif found := _item(data, rng):
        found[1].pop(rng.choice(_REQUIRED[found[0]]), None)


def unknown_field(data: Data, rng: random.Random) -> None:
    if found := _item(data, rng):
        found[1][rng.choice(["titel", "dates", "souces", "zzz", "a[b"])] = "x"


def precision(data: Data, rng: random.Random) -> None:
    if ev := _event(data, rng):
        ev["precision"] = rng.choice(["day", "month", "year", "decade", "century", 3])


def source_kind(data: Data, rng: random.Random) -> None:
    found = _item(data, rng, ("sources",))
    if not found:
        return
    src = found[1]
    change = rng.choice(["isbn", "bad isbn", "kind", "no url", "seed", "series", "season"])
    if change == "isbn":
        src["isbn"] = rng.choice(["978-0-345-53978-4", "0-345-53978-0", "0345539788"])
    elif change == "bad isbn":
        src["isbn"] = rng.choice(["978-0-345-53978-5", "12345", "abc"])
    elif change == "kind":
        src["kind"] = rng.choice(["book", "web", "seed", "film", "episode", "podcast", "other"])
    elif change == "no url":
        src.pop("url", None)
        src.pop("seed", None)
    elif change == "seed":
        src["seed"] = rng.choice(["a.txt", "bad name!"])
    elif change == "series":
        src["series"] = "The Show"
    else:
        src["season"] = rng.choice([1, -1, 2000, "two"])


def status(data: Data, rng: random.Random) -> None:
    if ev := _event(data, rng):
        ev["status"] = rng.choice(["shifted", "replaced", "new", "prevented", "untold", "gone"])


def odd_lists(data: Data, rng: random.Random) -> None:
    if ev := _event(data, rng):
        field = rng.choice(["tags", "sources", "causes"])
        ev[field] = rng.choice([[], "one", [""], ["ok", 3], None])


def late_cause(data: Data, rng: random.Random) -> None:
    events = [e for e in data.get("events", []) if isinstance(e, dict)]
    if len(events) > 2:
        effect, cause = rng.sample(events, 2)
        effect["causes"] = [cause.get("id")]
        effect["date"], cause["date"] = "1800", "1900-05"


MUTATIONS: list[Mutation] = [
    wrong_type,
    bad_id,
    bad_date,
    control_character,
    duplicate_id,
    dangling_reference,
    missing_field,
    unknown_field,
    precision,
    source_kind,
    status,
    odd_lists,
    late_cause,
]


def _seed(name: str) -> Data:
    data, _ = read_yaml((ROOT / "seeds" / name).read_bytes(), name)
    assert isinstance(data, dict)
    return data


def _big(data: Data) -> Data:
    """The seed with its events repeated (ids and references suffixed) up to BIG_EVENTS."""
    events = data["events"]
    out: list[Data] = []
    copies = BIG_EVENTS // len(events) + 1
    pods = {h.get("divergence") for h in data["histories"]} if data.get("format") == 2 else set()
    pods.add(data.get("divergence"))
    # Events paired, however indirectly, with a point of divergence (which is not repeated)
    # lose their counterparts in the copies: a pair is copied whole or not at all.
    links = {ev["id"]: _as_list(ev.get("counterpart")) for ev in events}
    paired_with_pod = set(pods)
    while grown := {
        i for i, refs in links.items() if i not in paired_with_pod and paired_with_pod & {*refs}
    } | {r for i in paired_with_pod for r in links.get(i, []) if r not in paired_with_pod}:
        paired_with_pod |= grown
    for n in range(copies):
        for ev in events:
            ev = copy.deepcopy(ev)
            if n and ev["id"] not in pods:
                suffix = f"-{n}"
                ev["id"] += suffix
                ev["causes"] = [c + suffix for c in ev.get("causes", []) if c not in pods]
                written = ev.get("counterpart")
                partners = [written] if isinstance(written, str) else written or []
                if ev["id"].removesuffix(suffix) in paired_with_pod:
                    ev.pop("status", None)
                    partners = []
                ev["counterpart"] = [c + suffix for c in partners] or None
                if isinstance(written, str) and partners:
                    ev["counterpart"] = written + suffix
            elif n:
                continue
            out.append({k: v for k, v in ev.items() if v is not None})
    return {**data, "events": out[:BIG_EVENTS]}


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def cases() -> Iterator[tuple[str, Data]]:
    """Every corpus case, named by its file name (the extension says the format)."""
    rng = random.Random(18_15)
    for seed in SEEDS:
        base = _seed(seed)
        stem = seed.removesuffix(".yaml")
        yield f"{stem}-valid.json", base
        for n in range(CASES_PER_SEED):
            data = copy.deepcopy(base)
            count = rng.choice([1, 1, 2, 3, 5]) if n < CASES_PER_SEED - 3 else rng.randint(40, 80)
            for _ in range(count):
                rng.choice(MUTATIONS)(data, rng)
            yield f"{stem}-{n:02d}.json", data
    for seed in SEEDS[::2]:
        big = _big(_seed(seed))
        yield f"big-{seed.removesuffix('.yaml')}-valid.json", big
        for n, count in enumerate((3, 150)):
            data = copy.deepcopy(big)
            for _ in range(count):
                rng.choice(MUTATIONS)(data, rng)
            yield f"big-{seed.removesuffix('.yaml')}-{n}.json", data


def _parquet(data: Data) -> bytes | None:
    """The case as a Parquet timeline, when its events fit the columns' types."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not isinstance(data.get("events"), list) or any(
        not isinstance(e, dict) for e in data["events"]
    ):
        return None
    schema = event_schema(Event.model_fields)
    text = {f.name for f in schema if f.type == pa.string()}
    # Years written as numbers become text (a column holds one type): `1969` reads the same.
    rows = [
        {
            k: str(v)
            if type(v) is int and k in text
            else one_or_many_cell(v)
            if k in ONE_OR_MANY
            else v
            for k, v in ev.items()
        }
        for ev in data["events"]
    ]
    if any(set(row) - set(Event.model_fields) for row in rows):
        return None  # an unknown field has no column
    try:
        table = pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    header = {k: v for k, v in data.items() if k != "events"}
    table = table.replace_schema_metadata({METADATA_KEY: json.dumps(header)})
    out = io.BytesIO()
    pq.write_table(table, out, row_group_size=5_000)
    return out.getvalue()


def renderings(name: str, data: Data) -> Iterator[tuple[str, bytes]]:
    """The case as JSON (one field a line, so lines are told apart), as Parquet when its
    events fit columns, and as YAML for a third of the cases."""
    yield name, json.dumps(data, indent=1, ensure_ascii=False).encode()
    number = int(hashlib.sha256(name.encode()).hexdigest(), 16)
    if number % 3 == 0 and not name.startswith("big-"):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
        yield name.replace(".json", ".yaml"), text.encode()
    if (raw := _parquet(data)) is not None:
        yield name.replace(".json", ".parquet"), raw


def outcome(file: str, raw: bytes) -> Any:
    """What loading gives: each problem in order, or a digest of the timeline loaded."""
    try:
        timeline = tl.parse_timeline(raw, file)
    except tl.TimelineError as exc:
        return [[p.file, p.line, p.field, p.message, p.hint] for p in exc.problems]
    dumped = timeline.model_dump_json()
    return {"loads": hashlib.sha256(dumped.encode()).hexdigest()}


def corpus() -> Iterator[tuple[str, bytes]]:
    for name, data in cases():
        yield from renderings(name, data)


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(EXPECTED.read_text())
    return result


def test_the_corpus_is_the_one_recorded_and_covers_every_outcome(expected):
    names = [file for files in _rendered().values() for file, _ in files]
    assert names == list(expected)
    outcomes = list(expected.values())
    assert sum(isinstance(o, dict) for o in outcomes) >= 6  # the valid ones load
    assert {Path(n).suffix for n in names} == {".json", ".yaml", ".parquet"}
    assert any(isinstance(o, list) and len(o) > 50 for o in outcomes)  # capped, "and N more"


@functools.cache
def _rendered() -> dict[str, list[tuple[str, bytes]]]:
    """Each case's renderings, by case name: built once per run."""
    out: dict[str, list[tuple[str, bytes]]] = {}
    for name, data in cases():
        out[name] = list(renderings(name, data))
    return out


@pytest.mark.parametrize("name", [name for name, _ in cases()])
def test_every_corrupted_file_gives_the_recorded_problems(name, expected):
    for file, raw in _rendered()[name]:
        assert outcome(file, raw) == expected[file], file


def write() -> None:
    """Record the current loader's outcome for every corpus file."""
    EXPECTED.write_text(
        json.dumps({f: outcome(f, raw) for f, raw in corpus()}, indent=1, ensure_ascii=False) + "\n"
    )


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.test_load_corpus --write")
    write()
