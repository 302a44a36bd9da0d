"""Loading a timeline file: parse safely, validate every item, check cross-references."""

from __future__ import annotations

import difflib
import graphlib
import math
import os
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from .dates import HDate
from .errors import Problem, TimelineError
from .json_reader import MAX_JSON_BYTES, json_lines, read_json
from .parquet_reader import MAX_PARQUET_BYTES, read_parquet
from .reader import MAX_BYTES, Lines, Path, decode, dotted, line_of, read_yaml, too_big
from .schema import Era, Event, History, Layer, Source, Status, Timeline, set_derived
from .text import printable, shown

# The caps, defined once: the app and `.streamlit/config.toml` (server.maxUploadSize, in MB)
# use MAX_UPLOAD_BYTES; a test checks the config agrees.
MAX_UPLOAD_BYTES = MAX_BYTES
MAX_PROBLEMS = 100  # reported in full; past this, one line says how many more there are
SUGGEST_POOL = 400  # ids compared with an unknown reference for a "did you mean"

_LISTS: dict[str, type[BaseModel]] = {"eras": Era, "sources": Source, "events": Event}
_BULK: dict[str, TypeAdapter[list[Any]]] = {
    "eras": TypeAdapter(list[Era]),
    "sources": TypeAdapter(list[Source]),
    "events": TypeAdapter(list[Event]),
}


def size_limit(file: str) -> int:
    """The size cap of a timeline file by its name: JSON, Parquet or YAML."""
    if file.lower().endswith(".parquet"):
        return MAX_PARQUET_BYTES
    return MAX_JSON_BYTES if file.lower().endswith(".json") else MAX_BYTES


def read_file(path: str | FilePath, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is a TimelineError.

    Devices, FIFOs and folders are refused before a byte is read (O_NONBLOCK: opening a FIFO
    does not wait for a writer), the size is checked before reading, and at most `limit + 1`
    bytes are ever read, even if the file grows meanwhile.
    """
    name = printable(path)

    def fail(message: str) -> TimelineError:
        return TimelineError([Problem(name, None, "", message)])

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise fail("is a folder, not a timeline file")
        if not stat.S_ISREG(info.st_mode):
            raise fail("is not a regular file (a device, pipe or socket)")
        if info.st_size > limit:
            raise too_big(name, info.st_size, limit)
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise too_big(name, size, limit)
    return b"".join(chunks)


def load_timeline(path: str | FilePath) -> Timeline:
    """Read and validate a timeline file; raises TimelineError listing every problem."""
    return parse_timeline(read_file(path, size_limit(str(path))), printable(path))


def parse_timeline(
    text: str | bytes, file: str = "<timeline>", limit: int | None = None
) -> Timeline:
    """Validate timeline text named `file` in messages: JSON if it ends in .json, Parquet if it
    ends in .parquet, else YAML.

    `limit` caps the size in bytes (default: 10 MiB for YAML, 128 MiB for JSON).
    """
    limit = limit or size_limit(file)
    if file.lower().endswith(".parquet"):
        return validate_timeline(read_parquet(text, file, limit), file)
    if not file.lower().endswith(".json"):
        data, lines = read_yaml(text, file, limit)
        return validate_timeline(data, file, lines)
    data = read_json(text, file, limit)
    try:
        return validate_timeline(data, file)
    except TimelineError as exc:
        raise _located(exc, text, file) from None


def _located(exc: TimelineError, text: str | bytes, file: str) -> TimelineError:
    """The same problems, each with the line of its field in the JSON text."""
    wanted = {p.path[:end] for p in exc.problems for end in range(len(p.path) + 1)}
    raw = decode(text, file) if isinstance(text, bytes) else text
    lines = json_lines(raw, wanted)
    return TimelineError(
        [replace(p, line=line_of(lines, p.path) if p.path else p.line) for p in exc.problems]
    )


def validate_timeline(data: Any, file: str, lines: Lines | None = None) -> Timeline:
    """Validate already-parsed data; report all schema and cross-reference errors at once."""
    lines = lines or {}
    problems: list[Problem] = []
    more = 0

    def add(path: Path, message: str, hint: str | Callable[[], str] = "") -> None:
        """Keep the first MAX_PROBLEMS; a costly hint is a callable, run only for those."""
        nonlocal more
        if len(problems) >= MAX_PROBLEMS:
            more += 1
            return
        text = hint() if callable(hint) else hint
        problems.append(Problem(file, line_of(lines, path), dotted(path), message, text, path))

    def failed() -> TimelineError:
        extra = [Problem(file, None, "", f"and {more:,} more problems")] if more else []
        return TimelineError(problems + extra)

    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        add(
            (),
            f"the file is {kind}; a timeline is a mapping with title, histories and events",
        )
        raise failed()

    # Items are validated one by one so one bad event does not hide the others' errors.
    items: dict[str, list[Any]] = {}
    known_ids: dict[str, dict[str, int]] = {}  # id -> first index, valid items or not
    for name, model in _LISTS.items():
        raw = data.get(name, [])
        if not isinstance(raw, list):
            add((name,), f"must be a list, not {type(raw).__name__}")
            raw = []
        items[name] = []
        known_ids[name] = {}
        for index, item in enumerate(raw):
            item_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(item_id, str) and item_id in known_ids[name]:
                first = known_ids[name][item_id]
                add((name, index, "id"), f"duplicate id {shown(item_id)}", f"also {name}[{first}]")
            elif isinstance(item_id, str):
                known_ids[name][item_id] = index
        try:  # the whole list in one call: fast; only a list with errors goes item by item
            items[name] = list(enumerate(_BULK[name].validate_python(raw)))
            continue
        except ValidationError:
            pass
        for index, item in enumerate(raw):
            try:
                items[name].append((index, model.model_validate(item)))
            except ValidationError as exc:
                _collect(exc, (name, index), model, item, add)
    header = {k: v for k, v in data.items() if k not in _LISTS}
    try:
        # The lists are validated above; passing them in again costs ~5 µs per item.
        timeline = Timeline.model_validate({**header, **{n: [] for n in _LISTS if n in data}})
        for name in _LISTS:
            set_derived(timeline, name, [obj for _, obj in items[name]])
    except ValidationError as exc:
        _collect(exc, (), Timeline, header, add)
        timeline = None
    if "events" in data and not items["events"] and not problems:
        add(("events",), "the timeline has no events")

    _check_references(items, known_ids, data.get("divergence"), add)
    if problems or timeline is None:
        raise failed()
    return timeline


def _collect(exc: ValidationError, base: Path, model: type[BaseModel], data: Any, add: Any) -> None:
    for err in exc.errors():
        loc = _data_path(err["loc"], data)
        path = (*base, *loc)
        message, hint = _explain(err, loc, model)
        add(path, message, hint)


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """pydantic's error location without its internal steps (union members, validators).

    A step is kept when it is a key or index of the data there, or the last step (a missing
    field), so a key holding `[` or named like a type keeps its name.
    """
    kept: list[Any] = []
    for i, part in enumerate(loc):
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_list or (isinstance(data, dict) and part in data):
            data = data[part]
        elif i < len(loc) - 1 or not isinstance(data, dict):
            continue
        kept.append(part)
    return tuple(kept)


def _explain(err: ErrorDetails, loc: tuple[Any, ...], model: type[BaseModel]) -> tuple[str, str]:
    kind = err["type"]
    field = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(field)[:200], fields, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known fields: {', '.join(fields)}"
        return "unknown field", hint
    if kind == "missing":
        return "is required", ""
    if kind == "value_error":
        return str(err["ctx"]["error"]), ""
    if kind in ("enum", "literal_error"):
        return f"{shown(err['input'])} is not allowed; {err['msg'].lower()}", ""
    if kind == "string_pattern_mismatch" and field == "color":
        return f"{shown(err['input'])} is not a colour", "write it as #RRGGBB"
    if kind == "string_pattern_mismatch" and field == "url":
        return (
            f"{shown(err['input'])} is not a web address",
            "only http:// and https:// addresses",
        )
    if kind == "string_pattern_mismatch" and "tags" in loc:
        return f"{shown(err['input'])} holds a control character", "tags are plain text"
    if kind == "string_pattern_mismatch":
        return (
            f"{shown(err['input'])} has characters that are not allowed",
            "use a-z, 0-9, - _ .",
        )
    return f"{err['msg']} (got {shown(err.get('input'))})", ""


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) model that holds `loc`."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        inner = getattr(info, "annotation", None) if info else None
        args = getattr(inner, "__args__", ())
        found = next(
            (a for a in (inner, *args) if isinstance(a, type) and issubclass(a, BaseModel)),
            None,
        )
        if found is None:
            break
        model = found
    return list(model.model_fields)


def _check_references(
    items: dict[str, list[Any]],
    known_ids: dict[str, dict[str, int]],
    divergence: Any,
    add: Any,
) -> None:
    """Cross-reference rules that one item alone cannot check; derives event statuses."""
    events: dict[str, tuple[int, Event]] = {}
    for index, ev in items["events"]:
        events.setdefault(ev.id, (index, ev))
    eras = {e.id: e for _, e in items["eras"]}
    sources = {s.id: s for _, s in items["sources"]}
    suggest = {kind: _Suggester(pool) for kind, pool in _pools(events, sources, eras)}

    for index, era in items["eras"]:
        if era.end.stop() < era.start.start():
            add(("eras", index, "end"), f"{era.end} is before the start {era.start}")

    pod: Event | None = None
    if isinstance(divergence, str):
        if divergence in events:
            pod = events[divergence][1]
            if pod.history is not History.diverged:
                add(
                    ("divergence",),
                    f"{shown(divergence)} must be an event of the diverged history",
                )
        elif divergence not in known_ids["events"]:
            add(
                ("divergence",),
                f"no event has the id {shown(divergence)}",
                lambda: suggest["events"](divergence),
            )

    def unknown(path: Path, ref: str, pool: dict[str, Any], kind: str) -> bool:
        if ref in pool:
            return False
        if ref not in known_ids[kind]:  # an item that failed validation still counts as known
            add(path, f"no {kind[:-1]} has the id {shown(ref)}", lambda: suggest[kind](ref))
        return True

    late_causes: list[tuple[int, Event, int, str]] = []
    misdated: set[str] = set()  # events whose date is already reported wrong
    for index, ev in items["events"]:
        here = ("events", index)
        if ev.end is not None and ev.end.stop() < ev.date.start():
            add((*here, "end"), f"{ev.end} is before the date {ev.date}")
        # The `in` tests run inline: at 100k events a call per reference adds up.
        for k, ref in enumerate(ev.sources):
            if ref not in sources:
                unknown((*here, "sources", k), ref, sources, "sources")
        for k, ref in enumerate(ev.causes):
            if ref == ev.id:
                add((*here, "causes", k), "an event cannot cause itself")
            elif ref not in events:
                unknown((*here, "causes", k), ref, events, "events")
            elif _surely_after(events[ref][1].date, ev.date):
                # Surely after: every date the cause's range allows is past the effect's range.
                late_causes.append((index, ev, k, ref))
        if ev.setting is not None:
            if ev.layer is not Layer.production:
                add((*here, "setting"), "only production events have a setting")
            unknown((*here, "setting"), ev.setting, eras, "eras")
        if ev.layer is Layer.production and ev.history is not History.reference:
            add(
                (*here, "history"),
                "production events happen in our world: use 'reference'",
            )
        if (
            pod is not None
            and ev.history is History.diverged
            and ev.date.stop() <= pod.date.start()
        ):
            misdated.add(ev.id)
            add(
                (*here, "date"),
                f"a diverged event dated {ev.date} is before the point of divergence ({pod.date})",
                "diverged events start at the divergence; earlier ones are 'shared'",
            )
        if ev.counterpart is not None:
            _check_counterpart(index, ev, events, known_ids, suggest["events"], add)
    cycles = _check_cycles(items["events"], events, add)
    for index, ev, k, ref in late_causes:
        # One mistake, one error: a cycle, a date already reported, or more cycles than are
        # reported (any of them may hold this pair) already say it.
        in_cycle = len(cycles) >= MAX_CYCLES or any(ref in c and ev.id in c for c in cycles)
        if in_cycle or ev.id in misdated or ref in misdated:
            continue
        cause = events[ref][1].date
        add(
            ("events", index, "causes", k),
            f"{shown(ref)} is dated {cause.label()}, after this event "
            f"({ev.date.label()}): a cause cannot come after its effect",
            "check both dates, or whether the cause belongs in `causes` of the other",
        )
    _derive_status(items["events"], events, pod, add)


def _check_counterpart(
    index: int,
    ev: Event,
    events: dict[str, tuple[int, Event]],
    known: Any,
    suggest: Callable[[str], str],
    add: Any,
) -> None:
    path = ("events", index, "counterpart")
    ref = ev.counterpart
    if ref is None:
        return
    if ref not in events:
        if ref not in known["events"]:
            add(path, f"no event has the id {shown(ref)}", lambda: suggest(ref))
        return
    other = events[ref][1]
    pair = {ev.history, other.history}
    if ref == ev.id or len(pair) == 1:
        add(
            path,
            f"{shown(ref)} is in the same history ({ev.history.value})",
            "pair reference with diverged",
        )
    elif pair != {History.reference, History.diverged}:
        add(
            path,
            "only reference and diverged events have counterparts; shared ones are both",
        )
    elif other.counterpart != ev.id and (other.counterpart is None or other.counterpart in events):
        # (A partner pointing at an unknown id has its own error: one typo, one message.)
        add(path, f"{shown(ref)} does not point back", f"give {shown(ref)} counterpart: {ev.id}")


MAX_CYCLES = 10  # cycles reported per file: each costs one pass over the causes
CYCLE_SHOWN = 10  # events named in a cycle's message


def _surely_after(cause: HDate, effect: HDate) -> bool:
    """Every moment the cause's range allows is past the effect's; an open end (`../1990`,
    `1962/..`) leaves that side unbounded."""
    earliest = -math.inf if cause.open == "start" else cause.earliest
    latest = math.inf if effect.open == "end" else effect.latest
    return earliest >= latest


def _check_cycles(
    items: list[tuple[int, Event]], events: dict[str, tuple[int, Event]], add: Any
) -> list[set[str]]:
    """Report causes cycles, each once with a bounded message: linear in the causes.

    Returns the events of each cycle reported.
    """
    cycles: list[set[str]] = []
    graph = {
        eid: [c for c in dict.fromkeys(ev.causes) if c in events and c != eid]
        for eid, (_, ev) in events.items()
        if ev.causes
    }
    for _ in range(MAX_CYCLES):
        try:
            graphlib.TopologicalSorter(graph).prepare()
            return cycles
        except graphlib.CycleError as exc:
            # graphlib lists each cause before its effect; reversed, each event is followed by
            # one of its causes. Start at the event first in the file, for a stable message.
            cycle = exc.args[1][:-1][::-1]
            first = min(range(len(cycle)), key=lambda i: events[cycle[i]][0])
            cycle = cycle[first:] + cycle[:first]
            cycles.append(set(cycle))
            effect, cause = cycle[0], cycle[1 % len(cycle)]
            shown_ids = cycle if len(cycle) <= CYCLE_SHOWN else [*cycle[:CYCLE_SHOWN], "…"]
            size = f" ({len(cycle):,} events)" if len(cycle) > CYCLE_SHOWN else ""
            index, ev = events[effect]
            add(
                ("events", index, "causes", ev.causes.index(cause)),
                "causes form a cycle: " + " → ".join([*shown_ids, effect]) + size,
            )
            graph[effect] = [c for c in graph[effect] if c != cause]  # find the next one
    add(("events",), f"more than {MAX_CYCLES} causes cycles", "fix these and validate again")
    return cycles


def _derive_status(
    items: list[tuple[int, Event]],
    events: dict[str, tuple[int, Event]],
    pod: Event | None,
    add: Any,
) -> None:
    """Fill in each event's status from its history, counterpart and the data's choice."""

    def paired(ev: Event) -> Event | None:
        other = events.get(ev.counterpart or "")
        return other[1] if other and other[1].counterpart == ev.id else None

    for index, ev in items:
        other = paired(ev)
        if ev.layer is Layer.production or ev.history is History.shared:
            allowed: tuple[Status, ...] = ()
        elif ev.history is History.diverged:
            # A counterpart that is given but broken (a typo) is reported where it is broken;
            # the status still reads the pair the writer meant.
            paired_or_meant = other is not None or ev.counterpart is not None
            allowed = (Status.shifted, Status.replaced) if paired_or_meant else (Status.new,)
        elif other is not None:
            continue  # a paired reference event takes its counterpart's status, below
        elif ev.counterpart is not None:
            continue  # a broken pair is reported where it is broken
        elif pod is not None and ev.date.start() >= pod.date.start():
            allowed = (Status.untold, Status.prevented)
        else:
            allowed = ()
        if ev.status is not None and ev.status not in allowed:
            options = " or ".join(s.value for s in allowed) or "no status"
            add(
                ("events", index, "status"),
                f"{ev.status.value!r} does not fit this event",
                f"it takes {options}",
            )
        elif allowed:
            set_derived(ev, "status", ev.status or allowed[0])
    for index, ev in items:
        if ev.history is History.reference and (other := paired(ev)) is not None:
            if ev.status is not None and ev.status != other.status:
                add(
                    ("events", index, "status"),
                    f"differs from its counterpart's status {other.status}",
                )
            set_derived(ev, "status", other.status)


def _pools(*pools: dict[str, Any]) -> zip[tuple[str, dict[str, Any]]]:
    return zip(("events", "sources", "eras"), pools, strict=True)


class _Suggester:
    """A "did you mean" from a bounded set of candidates: ids sharing the first or the last
    two characters (at most SUGGEST_POOL), so each suggestion costs the same at any size."""

    def __init__(self, pool: dict[str, Any]) -> None:
        self.pool = pool
        self.index: dict[str, list[str]] | None = None

    def __call__(self, ref: str) -> str:
        if not isinstance(ref, str):
            return ""
        if len(self.pool) <= SUGGEST_POOL:
            candidates = list(self.pool)
        else:
            if self.index is None:
                self.index = {}
                for key in self.pool:
                    for end in ("^" + key[:2], key[-2:] + "$"):
                        bucket = self.index.setdefault(end, [])
                        if len(bucket) < SUGGEST_POOL // 2:
                            bucket.append(key)
            candidates = self.index.get("^" + ref[:2], []) + self.index.get(ref[-2:] + "$", [])
        close = difflib.get_close_matches(ref[:200], candidates, n=1)
        return f"did you mean {close[0]!r}?" if close else ""
