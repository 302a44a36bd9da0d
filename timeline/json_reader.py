"""JSON input for machine-made timelines: the same schema as YAML, parsed ~50x faster.

Line numbers are found only when there is something to report: a second, lighter pass over
the text locates just the fields named in the errors.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jiter

from .errors import Problem, TimelineError
from .reader import Lines, Path, decode, dotted, line_at, size_of, too_big

# JSON files given by path (the CLI, `--data`). 100,000 realistic events are ~83 MB, and load in
# ~770 MB of memory (~9 MB a MB): this cap holds them with room, at ~1.2 GB.
MAX_JSON_BYTES = 128 * 1024 * 1024

# A string is one unrolled match (no per-character alternation: a 50 MB string stays linear);
# `\r\n`, `\r` and `\n` are line ends.
_TOKEN = re.compile(r'"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*"|\r\n?|\n|[{}\[\],:]|[^\s{}\[\],:"]+')


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        seen: set[str] = set()
        raise _DuplicateKey(next(k for k, _ in pairs if k in seen or seen.add(k)))  # type: ignore[func-returns-value]
    return mapping


def read_json(text: str | bytes, file: str, limit: int = MAX_JSON_BYTES) -> Any:
    """Parse a JSON timeline into plain data; duplicate keys and huge files are errors."""
    if (size := size_of(text)) > limit:
        raise too_big(file, size, limit)
    if isinstance(text, bytes):
        try:
            # jiter reads the UTF-8 bytes as they are (no text copy, at 2-4 bytes a character)
            # and shares repeated short strings: at 100k events ~220 MB less at the peak, and
            # faster. It refuses all the standard library refuses, and more (a BOM, lone
            # surrogates, deep nesting): those are read again below, which words the error.
            return jiter.from_json(text, catch_duplicate_keys=True)
        except ValueError:
            pass
        text = decode(text, file)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        line = line_at(exc.doc, exc.pos)  # json counts only `\n` as a line end
        raise TimelineError([Problem(file, line, "", f"JSON syntax: {exc.msg}")]) from None
    except _DuplicateKey as exc:
        line, path = json_lines(text, None, exc.key)
        raise TimelineError(
            [
                Problem(
                    file,
                    line,
                    dotted(path),
                    "duplicate key",
                    "each field may appear only once",
                    path,
                )
            ]
        ) from None
    except RecursionError:
        raise TimelineError([Problem(file, None, "", "nesting is too deep")]) from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise TimelineError([Problem(file, None, "", f"JSON value: {exc}")]) from None


def json_lines(text: str, wanted: set[Path] | None, duplicate: str | None = None) -> Any:
    """Lines of the `wanted` field paths; or, given `duplicate`, the line and path of its
    second use within one object."""
    lines: Lines = {}
    line = 1
    # Each frame: [path, is_object, pending key or next index, keys seen]
    stack: list[list[Any]] = []
    expect_key = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] in "\r\n":
            line += 1
            continue
        if token in ",:":
            if token == "," and stack:
                frame = stack[-1]
                if frame[1]:
                    expect_key = True
                else:
                    frame[2] += 1
            continue
        if token in "}]":
            stack.pop()
            expect_key = False
            continue
        if expect_key:
            key = json.loads(token)
            frame = stack[-1]
            if duplicate is not None and key == duplicate:
                if key in frame[3]:
                    return line, (*frame[0], key)
                frame[3].add(key)
            frame[2] = key
            expect_key = False
            continue
        # A value starts here.
        path: Path = (*stack[-1][0], stack[-1][2]) if stack else ()
        if wanted is not None and path in wanted:
            lines[path] = line
        if token in "{[":
            is_object = token == "{"
            stack.append([path, is_object, None if is_object else 0, set()])
            expect_key = is_object
    return (None, (duplicate,)) if duplicate is not None else lines
