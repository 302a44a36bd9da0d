"""Streamlit's own frontend modules: where each is served, and a script that fetches the page's
ones while the server is still busy with its first run.

Streamlit's browser code loads each element's module (a select box, a chart) only once that
element arrives. A server's first run spends about a second importing pandas and the library
before it sends any, so the page asks for them (Plotly above all, 4.7 MB) before that.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import streamlit as st

STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"
# The modules of what the first page shows: charts (Plotly and the chart component), select
# boxes, the upload box and the headline's numbers. Their names are hashed per release.
FIRST_PAGE = ("PlotlyChart", "BidiComponent", "Selectbox", "FileUploader", "Metric")
# A built module opens with its static imports: `import{a as b}from"./x.js";import"./y.js";`.
_IMPORT = re.compile(r'import(?:\{[^}]*\}from|[^"]*?from)?"\./([\w.-]+\.js)";?')
_HEAD_BYTES = 16_384  # Plotly's module is 4.7 MB; its imports are in its first 2 KB


def _module(name: str) -> Path | None:
    """The file of Streamlit's module `name` (its name hashed per release), None if not found."""
    found = sorted(STATIC_JS.glob(f"{name}.*.js"))
    return found[0] if found else None


def served(name: str) -> str | None:
    """The address, relative to the page, of Streamlit's module `name` (None if not found)."""
    path = _module(name)
    return f"static/js/{path.name}" if path else None


def static_imports(path: Path) -> list[str]:
    """The file names a built module imports up front (its leading import statements)."""
    with path.open(encoding="utf-8") as f:
        head = f.read(_HEAD_BYTES)
    names, at = [], 0
    while match := _IMPORT.match(head, at):
        names.append(match.group(1))
        at = match.end()
    return names


@cache
def first_page_modules() -> tuple[str, ...]:
    """FIRST_PAGE's modules and all they import, as served addresses, Plotly first."""
    todo = [path for name in FIRST_PAGE if (path := _module(name))]
    seen: dict[str, None] = {}  # ordered: the browser asks in this order
    while todo:
        path = todo.pop(0)
        if path.name not in seen:
            seen[path.name] = None
            todo += [STATIC_JS / n for n in static_imports(path) if (STATIC_JS / n).is_file()]
    return tuple(f"static/js/{name}" for name in seen)


def early_fetch_script() -> str:
    """A module script that imports the first page's modules now (each at most once: the page
    reuses a loaded module). Our own constant: no file's text is in it."""
    paths = json.dumps(first_page_modules())
    return (
        f'<script type="module">for (const path of {paths}) '
        "import(new URL(path, document.baseURI).href).catch(() => {});</script>"
    )
