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
from .text import shown

try:  # libyaml is ~5x faster when the wheel ships it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# YAML files, and every upload. Reading YAML costs ~0.25 s and ~17 MB of memory per MB (2 CPUs,
# realistic events): a 10,000-event file written like the shipped one (~7 MB) opens in ~1.7 s,
# and a file at this cap (~15,000 events) in ~2.6 s and ~205 MB. Bigger timelines: use JSON.
MAX_BYTES = 10 * 1024 * 1024
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
    """Bytes to text: UTF-8 (a BOM is allowed) or UTF-16 with a BOM; else an error with the line."""
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    encoding = "utf-16" if utf16 else "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode(encoding, errors="replace")
        name = "UTF-16" if utf16 else "UTF-8"
        raise TimelineError(
            [
                Problem(
                    file,
                    line_at(before, len(before)),
                    "",
                    f"the file is not valid {name} at byte {exc.start:,}",
                    f"save it as {name}" if utf16 else "save it as UTF-8",
                )
            ]
        ) from None


_BREAKS = re.compile(r"\r\n?|\n")


def line_at(text: str, position: int) -> int:
    """The 1-based line of a character position; `\r\n`, `\r` and `\n` each end a line."""
    return len(_BREAKS.findall(text, 0, position)) + 1


def size_of(text: str | bytes) -> int:
    """Bytes in `text` as UTF-8 (lone surrogates count, never raise)."""
    return len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text)


def too_big(file: str, size: int, limit: int) -> TimelineError:
    return TimelineError(
        [Problem(file, None, "", f"the file is {size:,} bytes; the limit is {limit:,}")]
    )


def read_yaml(text: str | bytes, file: str, limit: int = MAX_BYTES) -> tuple[Any, Lines]:
    """Parse one YAML document into plain data and a map from field path to line number."""
    if (size := size_of(text)) > limit:
        raise too_big(file, size, limit)
    if isinstance(text, bytes):
        text = decode(text, file)
    try:
        return _build(yaml.parse(text, Loader=_Loader), file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        hint = _syntax_hint(exc, text)
        raise TimelineError(
            [Problem(file, line, "", f"YAML syntax: {exc.problem}", hint)]
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, e.g. NUL
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        raise TimelineError(
            [
                Problem(
                    file,
                    line_at(text, exc.position),
                    "",
                    f"the character {char!r} is not allowed in YAML ({exc.reason})",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise TimelineError([Problem(file, None, "", f"YAML syntax: {exc}")]) from None


_QUOTE_HINT = 'quote the whole value, e.g. title: "Apollo 11: the landing"'
_INDENT_HINT = "check the indentation: fields of one item line up, indented with spaces"


def _syntax_hint(exc: yaml.MarkedYAMLError, text: str) -> str:
    """A plain hint for the usual causes of a YAML syntax error."""
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    lines = text.splitlines()
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    opened = exc.context_mark.line + 1 if exc.context_mark else None
    if "\t" in line or "tab" in problem:
        return "indent with spaces: YAML does not allow tabs there"
    if "mapping values" in problem:
        return "a value that contains ': ' must be quoted; " + _QUOTE_HINT
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        bracket = "[" if "]" in problem else "{"
        return f"the {bracket} opened on line {opened} is not closed"
    if "end of stream" in problem and "quoted" in (exc.context or ""):
        return f"the quote opened on line {opened} is not closed"
    if "cannot start any token" in problem:
        return 'a value that starts with @ or ` must be quoted, e.g. handle: "@nasa"'
    value = line.split(": ", 1)[1].strip() if ": " in line else ""
    if value[:1] in ("'", '"') and not value.endswith(value[0]):
        return "a value that starts with a quote must end with it; " + _QUOTE_HINT
    if "expected key" in problem or "indicator" in problem or "block end" in problem:
        return _INDENT_HINT
    return ""


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


_PLAIN_KEY = re.compile(r"^[A-Za-z_][\w-]*$")


def dotted(path: Path) -> str:
    """`('events', 7, 'date')` as `events[7].date`; an odd key is quoted: `events[7]['a[b']`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{shown(part)}]"
    return out


def line_of(lines: Lines, path: Path) -> int | None:
    """The line of a field, or of its nearest enclosing field that has one."""
    for end in range(len(path), -1, -1):
        if (found := lines.get(tuple(path[:end]))) is not None:
            return found
    return None
