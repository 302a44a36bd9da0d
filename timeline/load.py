"""Loading a timeline file: parse safely, validate every item, check cross-references."""

from __future__ import annotations

import difflib
import graphlib
import itertools
import math
import operator
import os
import stat
from collections.abc import Callable
from dataclasses import replace
from itertools import compress
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, SchemaValidator, core_schema

from .dates import HDate, parse_memo
from .errors import Problem, TimelineError
from .json_reader import MAX_JSON_BYTES, json_lines, read_json
from .parquet_reader import MAX_PARQUET_BYTES, read_parquet
from .reader import MAX_BYTES, Lines, Path, decode, dotted, line_of, read_yaml, too_big
from .schema import (
    MAX_HISTORIES,
    SHARED,
    Comparison,
    Era,
    Event,
    HistoryNode,
    Layer,
    Source,
    Status,
    Timeline,
    apply_precisions,
    control_problem,
    set_derived,
    set_each,
    settle_kinds,
)
from .text import printable, shown
from .tree import event_fields, from_comparison

# The caps, defined once: the app and `.streamlit/config.toml` (server.maxUploadSize, in MB)
# use MAX_UPLOAD_BYTES; a test checks the config agrees.
MAX_UPLOAD_BYTES = MAX_BYTES
MAX_PROBLEMS = 100  # reported in full; past this, one line says how many more there are
SUGGEST_POOL = 400  # ids compared with an unknown reference for a "did you mean"
# Items validated in one call. A parsed file's items are dropped a slice at a time once
# validated, so its parsed data and its models are not all in memory at once.
BULK_ITEMS = 5_000

_LISTS: dict[str, type[BaseModel]] = {"eras": Era, "sources": Source, "events": Event}


def _unchecked(model: type[BaseModel], check: object) -> SchemaValidator:
    """A validator of a list of `model` that leaves out its model-level after-validator
    `check`: pydantic calls that once per model (~1 µs each), the loader runs the same rule
    on a whole slice (`settle_kinds`, `apply_precisions`), and validates a slice that
    fails it again item by item, with the validator, so each error is worded as before."""
    schema = model.__pydantic_core_schema__
    inner = schema["schema"] if schema["type"] == "definitions" else schema
    if inner["type"] != "function-after" or inner["function"]["function"] is not check:
        raise TypeError(f"{model.__name__} is not validated as its fields, then {check}")
    items: core_schema.CoreSchema = core_schema.list_schema(inner["schema"])
    if schema["type"] == "definitions":
        items = core_schema.definitions_schema(items, schema["definitions"])
    return SchemaValidator(items)


# Each list's bulk validation, and the rule run on each slice it validates (see `_unchecked`).
_BULK: dict[str, tuple[Callable[[Any], list[Any]], Callable[[list[Any]], None]]] = {
    "eras": (TypeAdapter(list[Era]).validate_python, lambda _: None),
    "sources": (_unchecked(Source, Source._check_kind).validate_python, settle_kinds),
    "events": (_unchecked(Event, Event._apply_precision).validate_python, apply_precisions),
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
        return _validated(read_parquet(text, file, limit), file, {}, owned=True)
    if not file.lower().endswith(".json"):
        data, lines = read_yaml(text, file, limit)
        return _validated(data, file, lines, owned=True)
    data = read_json(text, file, limit)
    try:
        return _validated(data, file, {}, owned=True)
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
    return _validated(data, file, lines or {}, owned=False)


def _validated(data: Any, file: str, lines: Lines, owned: bool) -> Timeline:
    """`validate_timeline`; `owned`: the data was parsed here, for this call alone, so each
    list's items are dropped from it once validated (a 100k-event file's dicts: ~230 MB)."""
    with parse_memo():  # each distinct date text is read once per file
        return _validate(data, file, lines, owned)


def _validate(data: Any, file: str, lines: Lines, owned: bool) -> Timeline:
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
    field_sets: dict[frozenset[str], set[str]] = {}
    whole: set[str] = set()  # the lists whose every item is valid
    columns: list[dict[str, tuple[Any, ...]]] = []  # the cross-checks' fields, a slice each
    for name, model in _LISTS.items():
        raw = data.get(name, [])
        if not isinstance(raw, list):
            add((name,), f"must be a list, not {type(raw).__name__}")
            raw = []
        items[name] = []
        known_ids[name] = _first_indexes(name, raw, add)
        # A slice of the list in one call: fast; only a slice with errors goes item by item.
        for first in range(0, len(raw), BULK_ITEMS):
            part = raw[first : first + BULK_ITEMS]
            before = len(items[name])
            try:
                validate, settle = _BULK[name]
                models = validate(part)
                settle(models)
                _share_field_sets(models, field_sets)
                items[name] += enumerate(models, first)
            except ValueError:  # (a ValidationError, or a rule `settle` words)
                for index, item in enumerate(part, first):
                    try:
                        items[name].append((index, model.model_validate(item)))
                    except ValidationError as exc:
                        _collect(exc, (name, index), model, item, add)
            if name == "events":  # read while the slice's models are fresh in the CPU's cache
                columns.append(event_fields(list(map(_ITEM, items[name][before:])), _CHECKED))
            if owned:  # validated: the parsed item is no longer needed, its memory is reused
                raw[first : first + BULK_ITEMS] = [None] * len(part)
            del part
        if len(items[name]) == len(raw):
            whole.add(name)
    header = {k: v for k, v in data.items() if k not in _LISTS}
    version = header.get("format", 1)
    if version not in (1, 2) or isinstance(version, bool):
        add(
            ("format",),
            f"{shown(version)} is not a timeline format",
            "write 2 (or 1 for old files)",
        )
        header["format"] = version = 2
    nodes: list[tuple[int, HistoryNode]] = []
    invalid: set[str] = set()  # ids of histories that failed validation: still known
    if version == 2:
        nodes = _histories(header.get("histories"), add, invalid)
        header["histories"] = _PLACEHOLDER  # checked item by item above
    header_model: type[Timeline | Comparison] = Timeline if version == 2 else Comparison
    try:
        # The lists are validated above; passing them in again costs ~5 µs per item.
        parsed = header_model.model_validate({**header, **{n: [] for n in _LISTS if n in data}})
        for name in _LISTS:
            set_derived(parsed, name, list(map(_ITEM, items[name])))
    except ValidationError as exc:
        _collect(exc, (), header_model, header, add)
        parsed = None
    if "events" in data and not items["events"] and not problems:
        add(("events",), "the timeline has no events")

    timeline: Timeline | None = None
    if isinstance(parsed, Comparison):
        timeline = from_comparison(parsed)
        timeline._comparison = parsed
        nodes = list(enumerate(timeline.histories))
    elif isinstance(parsed, Timeline):
        set_derived(parsed, "histories", [n for _, n in nodes])
        timeline = parsed
    elif version == 1 and isinstance(data.get("divergence"), str):
        # The header failed; its divergence is still checked against the events.
        nodes = list(enumerate(_format1_nodes(data["divergence"])))
    col = {f: tuple(itertools.chain.from_iterable(c[f] for c in columns)) for f in _CHECKED}
    _check_references(items, col, known_ids, whole, nodes, version, invalid, add)
    if problems or timeline is None:
        raise failed()
    return timeline


def _first_indexes(name: str, raw: list[Any], add: Any) -> dict[str, int]:
    """Each item's id and the index of its first use; a second use is reported."""
    try:  # every item a mapping, the common case: C-level steps
        ids: list[Any] = list(map(dict.get, raw, itertools.repeat("id")))
    except TypeError:
        ids = [item.get("id") if isinstance(item, dict) else None for item in raw]
    if set(map(type, ids)) <= {str}:  # the common case, every id text and once: no loop
        first: dict[str, int] = dict(zip(ids, range(len(ids)), strict=True))
        if len(first) == len(ids):
            return first
    first = {}
    for index, item_id in enumerate(ids):
        if isinstance(item_id, str) and item_id in first:
            also = f"also {name}[{first[item_id]}]"
            add((name, index, "id"), f"duplicate id {shown(item_id)}", also)
        elif isinstance(item_id, str):
            first[item_id] = index
    return first


def _share_field_sets(models: list[BaseModel], shared: dict[frozenset[str], set[str]]) -> None:
    """Give models that were given the same fields one set of their names.

    pydantic keeps a set per model (728 bytes for 5 to 12 names: 146 MB at 100k events and
    sources), and a file has a few dozen distinct ones. Safe as long as no one assigns a
    field of a loaded model (pydantic would add its name to the shared set): the loader's
    derived values go through `set_derived`, and copies (`model_copy`) take their own set.
    """
    put = object.__setattr__  # a local: one global look-up, not one per model
    for model in models:
        fields = model.__pydantic_fields_set__
        put(model, "__pydantic_fields_set__", shared.setdefault(frozenset(fields), fields))


_PLACEHOLDER = [
    HistoryNode.model_construct(id="a", label="a", color=None, parent=None, divergence=None),
    HistoryNode.model_construct(id="b", label="b", color=None, parent="a", divergence="x"),
]


def _format1_nodes(divergence: str) -> list[HistoryNode]:
    return [
        HistoryNode.model_construct(id="reference", label="", parent=None, divergence=None),
        HistoryNode.model_construct(
            id="diverged", label="", parent="reference", divergence=divergence
        ),
    ]


def _histories(raw: Any, add: Any, invalid: set[str]) -> list[tuple[int, HistoryNode]]:
    """Format 2's histories, each validated alone so one bad entry hides no other error."""
    if not isinstance(raw, list):
        if raw is None:
            add(("histories",), "is required", "a list: the root history, then its branches")
        else:
            add(("histories",), f"must be a list, not {type(raw).__name__}")
        return []
    if not 2 <= len(raw) <= MAX_HISTORIES:
        add(
            ("histories",),
            f"holds {len(raw)} histories; a timeline has 2 to {MAX_HISTORIES}",
            "the root history (no parent) and at least one branch",
        )
    nodes: list[tuple[int, HistoryNode]] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        try:
            node = HistoryNode.model_validate(item)
        except ValidationError as exc:
            _collect(exc, ("histories", index), HistoryNode, item, add)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                invalid.add(item["id"])  # still known: its events are not reported again
            continue
        if node.id in seen:
            add(
                ("histories", index, "id"),
                f"duplicate id {shown(node.id)}",
                f"also histories[{seen[node.id]}]",
            )
            continue
        seen[node.id] = index
        nodes.append((index, node))
    return nodes


def _collect(exc: ValidationError, base: Path, model: type[BaseModel], data: Any, add: Any) -> None:
    found = [(err, _data_path(err["loc"], data)) for err in exc.errors()]
    # A union (an id, or a list of ids) fails once per member: the error inside the value
    # (`counterpart[1]`) says it, the one about the whole value adds nothing.
    inner = {loc[:end] for _, loc in found for end in range(len(loc))}
    for err, loc in found:
        if loc in inner and isinstance(err.get("input"), list | dict):
            continue
        message, hint = _explain(err, loc, model)
        add((*base, *loc), message, hint)


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
    if kind == "string_pattern_mismatch" and (
        said := control_problem(err["ctx"]["pattern"], err["input"])
    ):
        return said, ""
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


class _Lines:
    """The history tree as far as it is valid: parents, divergences, and where each is written."""

    def __init__(
        self, nodes: list[tuple[int, HistoryNode]], version: int, invalid: set[str]
    ) -> None:
        self.version = version
        self.invalid = invalid  # histories that failed validation: known, already reported
        self.nodes = {n.id: n for _, n in nodes}
        self.index = {n.id: i for i, n in nodes}
        self.children: dict[str, list[str]] = {}
        for _, n in nodes:
            if n.parent in self.nodes:
                self.children.setdefault(n.parent, []).append(n.id)
        # Per-history facts, computed once per load: events ask for them 100,000s of times.
        self._ancestors: dict[str, list[str]] = {}
        self._broken: dict[str, bool] = {}
        # Ancestors of every history an event may sit in without a report: a known one whose
        # line reaches the root, and `shared` (none). Others are unknown or broken: reported.
        self.lineage: dict[str, tuple[str, ...]] = {SHARED: ()}
        for h in self.nodes:
            if h != SHARED and not self.broken(h):
                self.lineage[h] = tuple(self.ancestors(h))

    def divergence_path(self, history: str) -> Path:
        if self.version == 1:
            return ("divergence",)
        return ("histories", self.index[history], "divergence")

    def ancestors(self, history: str) -> list[str]:
        """Parent, grandparent...; stops at an unknown parent or a loop."""
        if (known := self._ancestors.get(history)) is not None:
            return known
        out: list[str] = []
        node = self.nodes.get(history)
        while node is not None and node.parent is not None and node.parent not in out:
            if node.parent == history:
                break
            out.append(node.parent)
            node = self.nodes.get(node.parent)
        self._ancestors[history] = out
        return out

    def broken(self, history: str) -> bool:
        """Whether its line to the root is broken (an unknown parent, a loop): already
        reported, so nothing that depends on the line is reported again."""
        if (known := self._broken.get(history)) is not None:
            return known
        line = [history, *self.ancestors(history)]
        top = self.nodes.get(line[-1])
        self._broken[history] = top is None or top.parent is not None
        return self._broken[history]


def _check_tree(
    lines: _Lines,
    events: dict[str, tuple[int, Event]],
    known: dict[str, dict[str, int]],
    suggest: Callable[[str], str],
    add: Any,
) -> dict[str, Event]:
    """One root, known parents, no loops, and each branch's divergence an event of its own.

    Returns each branch's point-of-divergence event, where it is valid.
    """
    roots = [h for h, n in lines.nodes.items() if n.parent is None]
    looped = {h for h, n in lines.nodes.items() if h in {n.parent, *lines.ancestors(n.parent or h)}}
    if lines.nodes and not roots and not looped:
        add(("histories",), "no history is the root", "give one history (our history) no parent")
    for extra in roots[1:]:
        add(
            ("histories", lines.index[extra], "parent"),
            f"is required: only one history is the root, and that is {shown(roots[0])}",
        )
    pods: dict[str, Event] = {}
    for h, n in lines.nodes.items():
        at = ("histories", lines.index[h])
        if n.parent is not None and n.parent not in lines.nodes and n.parent not in lines.invalid:
            close = difflib.get_close_matches(n.parent, list(lines.nodes), n=1)
            add(
                (*at, "parent"),
                f"no history has the id {shown(n.parent)}",
                f"did you mean {close[0]!r}?" if close else "",
            )
        elif h in looped:
            loop = [h, *lines.ancestors(h)]
            if h == min(loop, key=lines.index.__getitem__):  # one loop, one error
                add((*at, "parent"), "parents form a loop: " + " → ".join([*loop, h]))
        if n.parent is None:
            if n.divergence is not None:
                add(
                    (*at, "divergence"),
                    "the root history has no divergence: it is the history the others leave",
                )
            continue
        if n.divergence is None and h not in looped:
            add(
                (*at, "divergence"),
                "is required: the id of the event where this history leaves its parent",
            )
            continue
        if n.divergence is None:
            continue
        path = lines.divergence_path(h)
        if n.divergence in events:
            pod = events[n.divergence][1]
            if pod.history not in lines.nodes and pod.history != SHARED:
                pass  # its unknown history is reported on the event
            elif pod.history != h:
                add(path, f"{shown(n.divergence)} must be an event of the {h} history")
            else:
                pods[h] = pod
        elif n.divergence not in known["events"]:
            pod_id = n.divergence
            add(path, f"no event has the id {shown(pod_id)}", lambda p=pod_id: suggest(p))
    return pods


_ITEM = operator.itemgetter(1)  # the model of an (index, model) pair
_ID = operator.attrgetter("id")
_FIRST = operator.itemgetter(0)
_DATE = operator.attrgetter("date")
_NEVER = itertools.repeat(math.inf)  # no limit, for map(dict.get, keys, _NEVER)
# The event fields the cross-checks read, gathered in one pass (see `tree.event_fields`).
_CHECKED = (
    "id",
    "history",
    "date",
    "end",
    "layer",
    "counterpart",
    "status",
    "causes",
    "sources",
    "setting",
)


def _check_references(
    items: dict[str, list[Any]],
    col: dict[str, tuple[Any, ...]],
    known_ids: dict[str, dict[str, int]],
    whole: set[str],
    nodes: list[tuple[int, HistoryNode]],
    version: int,
    invalid: set[str],
    add: Any,
) -> None:
    """Cross-reference rules that one item alone cannot check; derives event statuses.
    `col`: the valid events' `_CHECKED` fields; `whole`: the lists whose every item is valid.

    The rules are first tested on columns of the events' fields; only the events a test
    finds may break a rule are checked one by one, which words each problem.
    """
    # In file order (the cycle check walks it); of several events sharing an id, the first.
    # (Built with map and zip: C-level steps, not a Python loop over 100,000s of items.)
    events = dict(zip(col["id"], items["events"], strict=True))
    repeated = len(events) < len(items["events"])  # a duplicate id: reported already
    if repeated:
        for index, ev in reversed(items["events"]):
            events[ev.id] = (index, ev)
    eras = {e.id: e for _, e in items["eras"]}
    # The valid sources' ids: when all are valid, those the file gives (no model visited).
    sources: dict[str, Any] = known_ids["sources"]
    if "sources" not in whole:
        sources = dict.fromkeys(map(_ID, map(_ITEM, items["sources"])))
    suggest = {kind: _Suggester(pool) for kind, pool in _pools(events, sources, eras)}
    lines = _Lines(nodes, version, invalid)
    histories = lines.nodes
    pods = _check_tree(lines, events, known_ids, suggest["events"], add)
    root = next((h for h, n in histories.items() if n.parent is None), None)

    def unknown_history(path: Path, ref: str) -> None:
        if not histories or ref in histories or ref == SHARED or ref in lines.invalid:
            return
        close = difflib.get_close_matches(ref, [*histories, SHARED], n=1)
        add(
            path,
            f"no history has the id {shown(ref)}",
            f"did you mean {close[0]!r}?" if close else f"histories: {', '.join(histories)}",
        )

    for index, era in items["eras"]:
        if era.end.stop() < era.start.start():
            add(("eras", index, "end"), f"{era.end} is before the start {era.start}")
        if era.history is not None:
            unknown_history(("eras", index, "history"), era.history)

    def unknown(path: Path, ref: str, pool: dict[str, Any], kind: str) -> bool:
        if ref in pool:
            return False
        if ref not in known_ids[kind]:  # an item that failed validation still counts as known
            add(path, f"no {kind[:-1]} has the id {shown(ref)}", lambda: suggest[kind](ref))
        return True

    late_causes: list[tuple[int, Event, int, str]] = []
    misdated: set[str] = set()  # events whose date is already reported wrong
    # The common case, every source known, in one C-level test for the whole file: a test
    # per event adds up at 100k events.
    sources_known = sources.keys() >= set(itertools.chain.from_iterable(col["sources"]))
    production = Layer.production
    # The events checked one by one: those a test on columns picks (None: every event).
    suspects = None
    history_of: dict[str, str] = {}  # (needs each id once)
    if sources_known and not repeated:
        history_of = dict(zip(col["id"], col["history"], strict=True))
        suspects = _suspects(col, events, eras, lines, pods, root, history_of)
    one_by_one = range(len(items["events"])) if suspects is None else sorted(suspects)
    for index, ev in map(items["events"].__getitem__, one_by_one):
        date, history = ev.date, ev.history
        if ev.end is not None and ev.end.stop() < date.start():
            add(("events", index, "end"), f"{ev.end} is before the date {date}")
        if history not in histories:
            unknown_history(("events", index, "history"), history)
        if not sources_known:
            for k, ref in enumerate(ev.sources):
                if ref not in sources:
                    unknown(("events", index, "sources", k), ref, sources, "sources")
        if ev.causes:
            for k, ref in enumerate(ev.causes):
                if ref == ev.id:
                    add(("events", index, "causes", k), "an event cannot cause itself")
                elif ref not in events:
                    unknown(("events", index, "causes", k), ref, events, "events")
                elif _surely_after(events[ref][1].date, date):
                    # Surely after: every date the cause's range allows is past the effect's.
                    late_causes.append((index, ev, k, ref))
        if ev.setting is not None:
            if ev.layer is not production:
                add(("events", index, "setting"), "only production events have a setting")
            settings = ev.settings()
            for k, ref in enumerate(settings):
                unknown(
                    (
                        "events",
                        index,
                        "setting",
                        *((k,) if len(settings) > 1 or isinstance(ev.setting, list) else ()),
                    ),
                    ref,
                    eras,
                    "eras",
                )
        if version == 1 and ev.layer is production and history != root:
            add(
                ("events", index, "history"),
                "production events happen in our world: use 'reference'",
            )
        pod = pods.get(history)
        if pod is not None and ev.id != pod.id and date.stop() <= pod.date.start():
            parent = histories[history].parent
            misdated.add(ev.id)
            add(
                ("events", index, "date"),
                f"a {history} event dated {date} is before the point of divergence ({pod.date})",
                f"{history} events start at the divergence; earlier ones are 'shared'"
                if version == 1
                else f"{history} events start at its divergence; earlier ones belong to "
                f"{shown(parent)}, which {history} inherits them from",
            )
        if ev.counterpart is not None:
            _check_counterpart(index, ev, events, known_ids, suggest["events"], lines, add)
    # Each event's causes as written, of the first event of an id (see `events`).
    written = dict(compress(zip(col["id"], col["causes"], strict=True), col["causes"]))
    if repeated:
        written = {eid: ev.causes for eid, (_, ev) in events.items() if ev.causes}
    cycles = _check_cycles(written, events, add)
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
    _derive_status(items["events"], events, lines, pods, add, col, suspects, history_of)


def _suspects(
    col: dict[str, tuple[Any, ...]],
    events: dict[str, tuple[int, Event]],
    eras: dict[str, Era],
    lines: _Lines,
    pods: dict[str, Event],
    root: str | None,
    history_of: dict[str, str],
) -> set[int]:
    """Positions of the events that may break a rule `_check_references` checks one by one.

    Every other event passes them all. Each rule is tested with C-level steps over a column,
    or a loop over the few events it concerns (those with an end, causes, a setting...).
    Needs each event id once (no duplicate).
    """
    ids, hist, dates, layers = (col[f] for f in ("id", "history", "date", "layer"))
    positions = range(len(ids))
    found: set[int] = set()
    ends = col["end"]
    for at, end, date in compress(zip(positions, ends, dates, strict=True), ends):
        if end.stop() < date.start():
            found.add(at)
    if strays := set(hist) - lines.nodes.keys() - {SHARED}:
        found.update(compress(positions, map(strays.__contains__, hist)))
    found.update(_cause_suspects(col, events))
    production = Layer.production
    settings = col["setting"]
    for at, setting, layer in compress(zip(positions, settings, layers, strict=True), settings):
        named = (setting,) if isinstance(setting, str) else setting
        if layer is not production or not all(map(eras.__contains__, named)):
            found.add(at)
    if lines.version == 1:
        made = map(operator.is_, layers, itertools.repeat(production))
        found.update(at for at, h in compress(zip(positions, hist, strict=True), made) if h != root)
    if pods:  # dated at or before its history's divergence starts
        starts = {h: pod.date.start() for h, pod in pods.items()}
        limits = map(starts.get, hist, itertools.repeat(-math.inf))
        found.update(compress(positions, map(operator.le, map(HDate.stop, dates), limits)))
    found.update(_link_suspects(col, history_of))
    return found


def _cause_suspects(
    col: dict[str, tuple[Any, ...]], events: dict[str, tuple[int, Event]]
) -> list[int]:
    """Positions of events with a cause that is unknown, the event itself, or surely dated
    after it (measured: a loop over the events with causes beats C-level steps here, as
    most of the time goes to reading the causes' dates)."""
    ids, dates, causes = col["id"], col["date"], col["causes"]
    found: list[int] = []
    for at, eid, refs, date in compress(
        zip(range(len(ids)), ids, causes, dates, strict=True), causes
    ):
        stop = date.stop()
        for ref in refs:
            cause = events.get(ref)
            if ref == eid or cause is None:
                found.append(at)
                break
            if cause[1].date.start() >= stop and _surely_after(cause[1].date, date):
                found.append(at)  # (only a cause starting after the effect ends may be)
                break
    return found


def _link_suspects(col: dict[str, tuple[Any, ...]], history_of: dict[str, str]) -> list[int]:
    """Positions of events with a counterpart that is unknown, in the same history, shared,
    or that does not point back. Whole columns are tested first; only when that test fails
    are the links visited one by one."""
    ids, hist, cps = col["id"], col["history"], col["counterpart"]
    at = list(compress(range(len(ids)), cps))
    targets = list(compress(cps, cps))
    if set(map(type, targets)) <= {str}:  # one counterpart each, the common case
        owners = list(map(ids.__getitem__, at))
        mine = list(map(hist.__getitem__, at))
        theirs = list(map(history_of.get, targets))
        if (
            set(zip(owners, targets, strict=True)) == set(zip(targets, owners, strict=True))
            and None not in theirs
            and SHARED not in theirs
            and SHARED not in mine
            and not any(map(operator.eq, mine, theirs))
        ):
            return []
    links = [
        (p, ids[p], ref)
        for p, cp in zip(at, targets, strict=True)
        for ref in ((cp,) if isinstance(cp, str) else cp)
    ]
    written = {(eid, ref) for _, eid, ref in links}
    found = []
    for p, eid, ref in links:
        here, there = hist[p], history_of.get(ref)
        if here == there or there is None or SHARED in (here, there) or (ref, eid) not in written:
            found.append(p)
    return found


def _check_counterpart(
    index: int,
    ev: Event,
    events: dict[str, tuple[int, Event]],
    known: Any,
    suggest: Callable[[str], str],
    lines: _Lines,
    add: Any,
) -> None:
    refs = ev.counterparts()
    many = isinstance(ev.counterpart, list)
    for k, ref in enumerate(refs):
        path = ("events", index, "counterpart", *((k,) if many else ()))
        if ref not in events:
            if ref not in known["events"]:
                add(path, f"no event has the id {shown(ref)}", lambda ref=ref: suggest(ref))
            continue
        other = events[ref][1]
        if ref == ev.id or ev.history == other.history:
            add(
                path,
                f"{shown(ref)} is in the same history ({ev.history})",
                "pair reference with diverged"
                if lines.version == 1
                else "a counterpart is the same moment in a parent or child history",
            )
        elif SHARED in (ev.history, other.history):
            add(
                path,
                "only reference and diverged events have counterparts; shared ones are both"
                if lines.version == 1
                else "shared events have no counterparts: they are in every history",
            )
        elif lines.broken(ev.history) or lines.broken(other.history):
            pass  # a broken line of descent is reported where it breaks
        elif ev.id not in other.counterparts() and all(r in events for r in other.counterparts()):
            # (A partner pointing at an unknown id has its own error: one typo, one message.)
            back = (
                f"give {shown(ref)} counterpart: {ev.id}"
                if other.counterpart is None
                else f"add {ev.id} to the counterpart of {shown(ref)}"
            )
            add(path, f"{shown(ref)} does not point back", back)


MAX_CYCLES = 10  # cycles reported per file: each costs one pass over the causes
CYCLE_SHOWN = 10  # events named in a cycle's message


def _surely_after(cause: HDate, effect: HDate) -> bool:
    """Every moment the cause's range allows is past the effect's; an open end (`../1990`,
    `1962/..`) leaves that side unbounded."""
    earliest = -math.inf if cause.open == "start" else cause.earliest
    latest = math.inf if effect.open == "end" else effect.latest
    return earliest >= latest


def _check_cycles(
    written: dict[str, list[str]], events: dict[str, tuple[int, Event]], add: Any
) -> list[set[str]]:
    """Report causes cycles, each once with a bounded message: linear in the causes.
    `written`: the causes of each event that has some, as written, in file order.

    Returns the events of each cycle reported.
    """
    cycles: list[set[str]] = []
    # The common case, no cycle, tested on the causes as written (an unknown cause is no key
    # and a repeated one is counted both ways; one causing itself fails the test): ~5x faster
    # than graphlib finding nothing, and no cleaned list built per event.
    if _acyclic(written):
        return cycles
    graph = {
        eid: [c for c in dict.fromkeys(causes) if c in events and c != eid]
        for eid, causes in written.items()
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


CYCLE_ROUNDS = 30  # rounds of `_acyclic`'s set steps; past them, Kahn's algorithm


def _acyclic(graph: dict[str, list[str]]) -> bool:
    """Whether no event is its own cause, however indirectly.

    Only an event with causes that causes one of them can be in a cycle: in rounds of
    C-level set steps the others are taken away, until none is left (no cycle) or a round
    takes none away (a cycle). A chain of causes longer than CYCLE_ROUNDS leaves the rest to
    Kahn's algorithm, so the time stays linear.
    """
    alive = graph.keys() & set(itertools.chain.from_iterable(graph.values()))
    for _ in range(CYCLE_ROUNDS):
        if not alive:
            return True
        causing = alive & set(itertools.chain.from_iterable(map(graph.__getitem__, alive)))
        if len(causing) == len(alive):
            return False
        alive = causing
    return _kahn({eid: graph[eid] for eid in alive})


def _kahn(graph: dict[str, list[str]]) -> bool:
    """`_acyclic` by Kahn's algorithm: only the graph's keys are counted."""
    waiting = dict.fromkeys(graph, 0)  # effects not yet taken away, per cause
    for causes in graph.values():
        for cause in causes:
            if cause in waiting:
                waiting[cause] += 1
    free = [eid for eid, count in waiting.items() if count == 0]
    taken = 0
    while free:
        taken += 1
        for cause in graph[free.pop()]:
            if cause in waiting:
                waiting[cause] -= 1
                if waiting[cause] == 0:
                    free.append(cause)
    return taken == len(graph)


_PAIR, _NEW = (Status.shifted, Status.replaced), (Status.new,)
_VANISHED = (Status.untold, Status.prevented)
_ONE_BY_ONE = object()  # an event whose status is derived (or its problem worded) alone
_ROOT_PAIR = object()  # a root event that takes its one counterpart's status, afterwards
_STATUS = operator.attrgetter("status")
_HISTORY = operator.attrgetter("history")


def _allowed(
    ancestors: tuple[str, ...],
    ev_layer: Layer,
    history: str,
    partners: tuple[str, ...],
    given: bool,
    late: bool,
) -> tuple[Status, ...] | None:
    """The statuses an event may take, its default first; None: a root event's counterparts
    give it theirs. `partners`: the histories of its counterparts that point back; `late`:
    dated at or after a branch leaves its history."""
    if ev_layer is Layer.production or history == SHARED:
        return ()
    if ancestors:
        # A counterpart that is given but broken (a typo) is reported where it is broken;
        # the status still reads the pair the writer meant.
        upward = any(h in ancestors for h in partners)
        return _PAIR if upward or (given and not partners) else _NEW
    if given:
        # A root event takes its counterparts' status; a broken pair is reported where it is
        # broken.
        return None
    return _VANISHED if late else ()


class _Outcomes(dict[tuple[Any, ...], Any]):
    """What an event's status becomes, by (history, layer, its one counterpart's history,
    late, given status), worked out once per such key (a file has few): the status to set;
    None (none, a given status that fits, or an unknown history: reported); `_ROOT_PAIR`; or
    `_ONE_BY_ONE` for an event with several or suspect counterparts, or a status that does
    not fit."""

    def __init__(self, lineage: dict[str, tuple[str, ...]]) -> None:
        super().__init__()
        self.lineage = lineage

    def __missing__(self, key: tuple[Any, ...]) -> Any:
        history, ev_layer, partner, late, status = key
        ancestors = self.lineage.get(history)
        given = partner is not None
        if ancestors is None:
            outcome = None  # an unknown history, or one cut off from the root: reported
        elif partner is _ONE_BY_ONE:
            outcome = _ONE_BY_ONE
        elif (
            allowed := _allowed(ancestors, ev_layer, history, (partner,)[:given], given, late)
        ) is None:
            outcome = _ROOT_PAIR
        elif status is not None and status not in allowed:
            outcome = _ONE_BY_ONE  # its problem is worded one by one
        else:  # a given status stays; the default is set where there is one
            outcome = allowed[0] if allowed and status is None else None
        self[key] = outcome
        return outcome


def _partner_histories(
    col: dict[str, tuple[Any, ...]], suspects: set[int] | None, history_of: dict[str, str]
) -> list[Any]:
    """Each event's one counterpart's history; None if it has none; `_ONE_BY_ONE` if it has
    several, or is among `suspects` (None: every event), so a counterpart may be broken."""
    cps = col["counterpart"]
    if suspects is None:
        return [None if cp is None else _ONE_BY_ONE for cp in cps]
    if list in set(map(type, cps)):
        partner = [_ONE_BY_ONE if isinstance(cp, list) else history_of.get(cp) for cp in cps]
    else:
        partner = list(map(history_of.get, cps))  # (None for no counterpart)
    for at in suspects:
        if cps[at] is not None:
            partner[at] = _ONE_BY_ONE
    return partner


def _derive_status(
    items: list[tuple[int, Event]],
    events: dict[str, tuple[int, Event]],
    lines: _Lines,
    pods: dict[str, Event],
    add: Any,
    col: dict[str, tuple[Any, ...]],
    suspects: set[int] | None,
    history_of: dict[str, str],
) -> None:
    """Fill in each event's status, relative to its parent history, from its counterparts.

    Events are settled by key (see `_Outcomes`) in C-level steps; only those with several
    counterparts, a status that does not fit, or among `suspects` (positions of events that
    may break a rule; None: all) are derived one by one, which words their problems.
    """

    def paired(ev: Event) -> list[Event]:
        """Counterparts that point back."""
        return [
            other[1]
            for ref in ev.counterparts()
            if (other := events.get(ref)) and ev.id in other[1].counterparts()
        ]

    # An event of a history from which a child leaves, dated at or after the child's earliest
    # point of divergence, may be untold or prevented there.
    leaves = {
        h: min(pods[c].date.start() for c in kids if c in pods)
        for h, kids in lines.children.items()
        if any(c in pods for c in kids)
    }
    hist, cps, given_status = col["history"], col["counterpart"], col["status"]
    late = list(map(operator.ge, map(HDate.start, col["date"]), map(leaves.get, hist, _NEVER)))
    keys = zip(
        hist,
        col["layer"],
        _partner_histories(col, suspects, history_of),
        late,
        given_status,
        strict=True,
    )
    outcomes = list(map(_Outcomes(lines.lineage).__getitem__, keys))
    settled = list(map(isinstance, outcomes, itertools.repeat(Status)))
    set_each(compress(map(_ITEM, items), settled), "status", compress(outcomes, settled))
    root_pairs: list[tuple[int, Event, list[Event]]] = []  # their statuses come second
    positions = range(len(items))
    for at in compress(positions, map(operator.is_, outcomes, itertools.repeat(_ONE_BY_ONE))):
        (index, ev), after = items[at], late[at]
        ancestors = lines.lineage[ev.history]
        given = ev.counterpart is not None
        partners = paired(ev) if given else []
        if not ancestors and partners and ev.layer is not Layer.production:
            root_pairs.append((index, ev, partners))
        histories = tuple(map(_HISTORY, partners))
        allowed = _allowed(ancestors, ev.layer, ev.history, histories, given, after)
        if allowed is None:
            continue
        if ev.status is not None and ev.status not in allowed:
            options = " or ".join(s.value for s in allowed) or "no status"
            add(
                ("events", index, "status"),
                f"{ev.status.value!r} does not fit this event",
                f"it takes {options}",
            )
        elif allowed:
            set_derived(ev, "status", ev.status or allowed[0])
    # A root event with one counterpart takes its status. Those whose own status differs go
    # with the root events above, in file order (and all of them when there are several
    # roots: one may then take another's); the others are settled in C-level steps.
    pairs_at = list(compress(positions, map(operator.is_, outcomes, itertools.repeat(_ROOT_PAIR))))
    others = list(map(_ITEM, map(events.__getitem__, map(cps.__getitem__, pairs_at))))
    partner_status = list(map(_STATUS, others))
    own = list(map(given_status.__getitem__, pairs_at))
    several_roots = sum(1 for h, up in lines.lineage.items() if not up and h != SHARED) > 1
    root_pairs += [
        (*items[p], [other])
        for p, other, mine, their in zip(pairs_at, others, own, partner_status, strict=True)
        if several_roots or (mine is not None and their is not None and mine != their)
    ]
    if not several_roots:  # the others: a root event without a status takes theirs
        unset = map(operator.is_, own, itertools.repeat(None))
        take = list(
            map(operator.and_, unset, map(operator.is_not, partner_status, itertools.repeat(None)))
        )
        chosen = compress(map(_ITEM, map(items.__getitem__, pairs_at)), take)
        set_each(chosen, "status", compress(partner_status, take))
    root_pairs.sort(key=_FIRST)
    for index, ev, partners in root_pairs:
        statuses = {o.status for o in partners if o.status is not None}
        if len(statuses) != 1:
            continue  # several versions that differ: the pair compared says which
        (theirs,) = statuses
        if ev.status is not None and ev.status != theirs:
            add(
                ("events", index, "status"),
                f"differs from its counterpart's status {theirs}",
            )
        set_derived(ev, "status", theirs)


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
