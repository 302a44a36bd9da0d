"""Loading a timeline file: parse safely, validate every item, check cross-references."""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path as FilePath
from typing import Any, cast

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from .errors import Problem, TimelineError
from .gcpause import paused_gc
from .json_reader import MAX_JSON_BYTES, json_lines, read_json
from .reader import MAX_BYTES, Lines, Path, decode, dotted, line_of, read_yaml
from .schema import Era, Event, History, Layer, Source, Status, Timeline, set_derived

_LISTS: dict[str, type[BaseModel]] = {"eras": Era, "sources": Source, "events": Event}
_BULK: dict[str, TypeAdapter[list[Any]]] = {
    name: TypeAdapter(list[model])  # type: ignore[valid-type]
    for name, model in _LISTS.items()
}


def load_timeline(path: str | FilePath) -> Timeline:
    """Read and validate a timeline file; raises TimelineError listing every problem."""
    path = FilePath(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TimelineError(
            [Problem(str(path), None, "", f"cannot read the file: {exc.strerror}")]
        ) from None
    return parse_timeline(raw, str(path))


def parse_timeline(
    text: str | bytes, file: str = "<timeline>", limit: int | None = None
) -> Timeline:
    """Validate timeline text named `file` in messages: JSON if it ends in .json, else YAML.

    `limit` caps the size in bytes (default: 5 MB for YAML, 64 MB for JSON).
    """
    with paused_gc():
        if not file.lower().endswith(".json"):
            data, lines = read_yaml(text, file, limit or MAX_BYTES)
            return validate_timeline(data, file, lines)
        data = read_json(text, file, limit or MAX_JSON_BYTES)
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

    def add(path: Path, message: str, hint: str = "") -> None:
        problems.append(Problem(file, line_of(lines, path), dotted(path), message, hint, path))

    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        add(
            (),
            f"the file is {kind}; a timeline is a mapping with title, histories and events",
        )
        raise TimelineError(problems)

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
                add((name, index, "id"), f"duplicate id {item_id!r}", f"also {name}[{first}]")
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
                _collect(exc, (name, index), model, add)
    header = {k: v for k, v in data.items() if k not in _LISTS}
    try:
        # The lists are validated above; passing them in again costs ~5 µs per item.
        timeline = Timeline.model_validate({**header, **{n: [] for n in _LISTS if n in data}})
        for name in _LISTS:
            set_derived(timeline, name, [obj for _, obj in items[name]])
    except ValidationError as exc:
        _collect(exc, (), Timeline, add)
        timeline = None
    if "events" in data and not items["events"] and not problems:
        add(("events",), "the timeline has no events")

    _check_references(items, known_ids, data.get("divergence"), add)
    if problems or timeline is None:
        raise TimelineError(problems)
    return timeline


def _collect(exc: ValidationError, base: Path, model: type[BaseModel], add: Any) -> None:
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        path = (*base, *loc)
        message, hint = _explain(err, loc, model)
        add(path, message, hint)


def _explain(err: ErrorDetails, loc: tuple[Any, ...], model: type[BaseModel]) -> tuple[str, str]:
    kind = err["type"]
    field = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(field), fields, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known fields: {', '.join(fields)}"
        return "unknown field", hint
    if kind == "missing":
        return "is required", ""
    if kind == "value_error":
        return str(err["ctx"]["error"]), ""
    if kind in ("enum", "literal_error"):
        return f"{err['input']!r} is not allowed; {err['msg'].lower()}", ""
    if kind == "string_pattern_mismatch" and field == "color":
        return f"{err['input']!r} is not a colour", "write it as #RRGGBB"
    if kind == "string_pattern_mismatch" and field == "url":
        return (
            f"{err['input']!r} is not a web address",
            "only http:// and https:// addresses",
        )
    if kind == "string_pattern_mismatch" and "tags" in loc:
        return f"{err['input']!r} holds a control character", "tags are plain text"
    if kind == "string_pattern_mismatch":
        return (
            f"{err['input']!r} has characters that are not allowed",
            "use a-z, 0-9, - _ .",
        )
    return f"{err['msg']} (got {err.get('input')!r})", ""


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
                    f"{divergence!r} must be an event of the diverged history",
                )
        elif divergence not in known_ids["events"]:
            add(
                ("divergence",),
                f"no event has the id {divergence!r}",
                _suggest(divergence, events),
            )

    def unknown(path: Path, ref: str, pool: dict[str, Any], kind: str) -> bool:
        if ref in pool:
            return False
        if ref not in known_ids[kind]:  # an item that failed validation still counts as known
            add(path, f"no {kind[:-1]} has the id {ref!r}", _suggest(ref, pool))
        return True

    sources = {s.id: s for _, s in items["sources"]}
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
            add(
                (*here, "date"),
                f"a diverged event dated {ev.date} is before the point of divergence ({pod.date})",
                "diverged events start at the divergence; earlier ones are 'shared'",
            )
        if ev.counterpart is not None:
            _check_counterpart(index, ev, events, known_ids, add)
    _check_cycles(items["events"], events, add)
    _derive_status(items["events"], events, pod, add)


def _check_counterpart(
    index: int,
    ev: Event,
    events: dict[str, tuple[int, Event]],
    known: dict[str, dict[str, int]],
    add: Any,
) -> None:
    path = ("events", index, "counterpart")
    ref = cast(str, ev.counterpart)  # the caller checked that it is set
    if ref not in events:
        if ref not in known["events"]:
            add(path, f"no event has the id {ref!r}", _suggest(ref, events))
        return
    other = events[ref][1]
    pair = {ev.history, other.history}
    if ref == ev.id or len(pair) == 1:
        add(
            path,
            f"{ref!r} is in the same history ({ev.history.value})",
            "pair reference with diverged",
        )
    elif pair != {History.reference, History.diverged}:
        add(
            path,
            "only reference and diverged events have counterparts; shared ones are both",
        )
    elif other.counterpart != ev.id:
        add(path, f"{ref!r} does not point back", f"give {ref!r} counterpart: {ev.id}")


def _check_cycles(
    items: list[tuple[int, Event]], events: dict[str, tuple[int, Event]], add: Any
) -> None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for _, start in items:
        if start.id in state or not start.causes:  # an event with no causes closes no cycle
            continue
        # Iterative DFS: a long causal chain must not hit the recursion limit.
        stack: list[tuple[str, int]] = [(start.id, 0)]
        state[start.id] = 1
        while stack:
            node, k = stack[-1]
            causes = events[node][1].causes if node in events else []
            if k < len(causes):
                stack[-1] = (node, k + 1)
                nxt = causes[k]
                if nxt not in events:
                    continue
                if state.get(nxt) == 1:
                    cycle = [*[n for n, _ in stack][[n for n, _ in stack].index(nxt) :], nxt]
                    add(
                        ("events", events[node][0], "causes", k),
                        "causes form a cycle: " + " → ".join(cycle),
                    )
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()


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
            allowed = (Status.shifted, Status.replaced) if other else (Status.new,)
        elif other is not None:
            continue  # a paired reference event takes its counterpart's status, below
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


def _suggest(ref: str, pool: Any) -> str:
    close = difflib.get_close_matches(ref, list(pool), n=1)
    return f"did you mean {close[0]!r}?" if close else ""
