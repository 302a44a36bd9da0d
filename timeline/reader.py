"""Safe YAML reading: plain data plus the line of every field, with hard limits.

Builds Python data straight from the parser's event stream: no constructors run, so no tag can
execute code, aliases are refused (no alias bombs), duplicate keys are errors, and nesting is
counted before anything deep is built (libyaml's composer recurses and can crash the process).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any

import yaml

from .errors import Problem, TimelineError

try:  # libyaml is ~5x faster when the wheel ships it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32

Path = tuple[str | int, ...]
Lines = dict[Path, int]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {
    None,
    "!",
    _STD + "str",
    _STD + "int",
    _STD + "float",
    _STD + "bool",
    _STD + "null",
}
_MAP_TAGS = {None, "!", _STD + "map"}
_SEQ_TAGS = {None, "!", _STD + "seq"}


def decode(raw: bytes, file: str) -> str:
    """Bytes to text: UTF-8 (a BOM is allowed) or UTF-16 with a BOM."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TimelineError(
            [Problem(file, line, "", "the file is not valid UTF-8", "save it as UTF-8")]
        ) from None


def read_yaml(text: str | bytes, file: str, limit: int = MAX_BYTES) -> tuple[Any, Lines]:
    """Parse one YAML document into plain data and a map from field path to line number."""
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > limit:
        raise TimelineError(
            [
                Problem(
                    file,
                    None,
                    "",
                    f"the file is {size:,} bytes; the limit is {limit:,}",
                )
            ]
        )
    if isinstance(text, bytes):
        text = decode(text, file)
    try:
        return _build(yaml.parse(text, Loader=_Loader), file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise TimelineError([Problem(file, line, "", f"YAML syntax: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise TimelineError([Problem(file, None, "", f"YAML syntax: {exc}")]) from None


def _fail(file: str, event: yaml.Event, path: Path, message: str, hint: str = "") -> TimelineError:
    line = event.start_mark.line + 1  # type: ignore[union-attr]  # parsed events carry marks
    return TimelineError([Problem(file, line, dotted(path), message, hint)])


def _scalar(event: yaml.ScalarEvent, file: str, path: Path) -> Any:
    if event.tag not in _SCALAR_TAGS:
        raise _fail(file, event, path, f"the tag {event.tag!r} is not allowed", "remove the tag")
    value = event.value
    # Only plain scalars are typed, with YAML 1.2 core rules: `no`, `on`, `010`, `12:30` stay text.
    if event.style or event.tag in ("!", _STD + "str"):
        return value
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _INT.match(value) and len(value) <= 20:  # longer digit runs stay text, never a huge int
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def _build(events: Iterator[yaml.Event], file: str) -> tuple[Any, Lines]:
    lines: Lines = {}
    # Each frame: [container, path, pending mapping key or None]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0

    def here() -> Path:
        """The path the next value will get: for error messages."""
        if not stack:
            return ()
        container, path, key = stack[-1]
        if isinstance(container, list):
            return (*path, len(container))
        return (*path, key) if key is not None else path

    def place(value: Any, event: yaml.Event) -> Path:
        nonlocal root
        if not stack:
            root = value
            return ()
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            item_path = (*path, len(container))
            container.append(value)
            lines[item_path] = event.start_mark.line + 1  # type: ignore[union-attr]
            return item_path
        if frame[2] is None:  # this value is a key
            if not isinstance(value, (str, int, float, bool)) or isinstance(value, (dict, list)):
                raise _fail(file, event, path, "mapping keys must be plain text")
            key = str(value)
            if key in container:
                raise _fail(
                    file,
                    event,
                    (*path, key),
                    "duplicate key",
                    "each field may appear only once",
                )
            frame[2] = key
            lines[(*path, key)] = event.start_mark.line + 1  # type: ignore[union-attr]
            return ()
        key = frame[2]
        frame[2] = None
        container[key] = value
        return (*path, key)

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _fail(file, event, (), "the file holds more than one YAML document")
        elif isinstance(event, yaml.AliasEvent):
            raise _fail(file, event, here(), "YAML aliases (*name) are not allowed", "write it out")
        elif isinstance(event, yaml.ScalarEvent):
            place(_scalar(event, file, here()), event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            is_map = isinstance(event, yaml.MappingStartEvent)
            path = here()
            if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                raise _fail(file, event, path, f"the tag {event.tag!r} is not allowed")
            if len(stack) >= MAX_DEPTH:
                raise _fail(file, event, path, f"nesting deeper than {MAX_DEPTH} levels")
            container: Any = {} if is_map else []
            if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                raise _fail(file, event, path, "mapping keys must be plain text")
            child = place(container, event)
            stack.append([container, child, None])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
    return root, lines


def dotted(path: Path) -> str:
    """`('events', 7, 'date')` as `events[7].date`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(lines: Lines, path: Path) -> int | None:
    """The line of a field, or of its nearest enclosing field that has one."""
    for end in range(len(path), -1, -1):
        if (found := lines.get(tuple(path[:end]))) is not None:
            return found
    return None
