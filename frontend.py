"""Streamlit's own frontend modules: where each is served, and a script that fetches the page's
ones while the server is still busy with its first run. Also Plotly's basic build, which the
charts load instead of Streamlit's chart module when the setup has fetched it.

Streamlit's browser code loads each element's module (a select box, a chart) only once that
element arrives. A server's first run spends about a second importing pandas and the library
before it sends any, so the page asks for them (Plotly above all, 4.7 MB) before that.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import re
import sys
import tarfile
import urllib.request
from functools import cache
from pathlib import Path

# Found without importing Streamlit (~0.4 s): the setup runs this file on every `run.sh`.
_STREAMLIT = importlib.util.find_spec("streamlit")
STATIC_JS = (
    Path(_STREAMLIT.origin if _STREAMLIT and _STREAMLIT.origin else ".").parent
    / "static"
    / "static"
    / "js"
)
# The modules of what the first page shows: charts (Plotly and the chart component), select
# boxes, the upload box and the headline's numbers. Their names are hashed per release.
FIRST_PAGE = ("PlotlyChart", "BidiComponent", "Selectbox", "FileUploader", "Metric")
# A built module opens with its static imports: `import{a as b}from"./x.js";import"./y.js";`.
_IMPORT = re.compile(r'import(?:\{[^}]*\}from|[^"]*?from)?"\./([\w.-]+\.js)";?')
_HEAD_BYTES = 16_384  # Plotly's module is 4.7 MB; its imports are in its first 2 KB

# Plotly's basic build draws scatter and bar charts, all the charts here draw, in 1.2 MB; the
# browser fetches and runs it in ~0.35 s where Streamlit's 4.7 MB chart module (every trace
# type, and React) takes ~1-2 s. The setup fetches it from npm's registry (the package's
# tarball, checked against the registry's digest) into `static/`, which the app serves
# (server.enableStaticServing); without it the charts load Streamlit's module.
APP_STATIC = Path(__file__).parent / "static"
PLOTLY_BASIC = APP_STATIC / "plotly-basic.min.js"
PLOTLY_BASIC_TARBALL = (
    "https://registry.npmjs.org/plotly.js-basic-dist-min/-/plotly.js-basic-dist-min-4.1.1.tgz"
)
PLOTLY_BASIC_SHA512 = (  # the tarball's `dist.integrity` in the registry, base64
    "1oNF8PeQx2hv/y7tqEVWKD3JGwn/MGEMQ8mL9HUwsaqG9FGy/OU5FHUHvzqbqxN4mnwZGI9abTiE775C4kkjMQ=="
)
PLOTLY_BASIC_SHA256 = "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba"


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


def plotly_basic_ready(path: Path | None = None) -> bool:
    """Whether `path` (default: PLOTLY_BASIC) holds the basic build, as fetched (not a partial
    or another file)."""
    path = path or PLOTLY_BASIC
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == PLOTLY_BASIC_SHA256


@cache
def plotly_source() -> str | None:
    """Where the charts load Plotly from, relative to the page: the basic build if the setup
    fetched it, else Streamlit's chart module; None if neither is there."""
    if plotly_basic_ready():
        return f"app/static/{PLOTLY_BASIC.name}"
    return served("PlotlyChart")


def fetch_plotly_basic(url: str = PLOTLY_BASIC_TARBALL, into: Path | None = None) -> str:
    """Fetch the basic build into `into` unless it is there; what was done, in a line. The
    tarball must match its pinned digest; its license goes beside the build."""
    into = into or PLOTLY_BASIC
    if plotly_basic_ready(into):
        return f"{into.name}: already fetched"
    with urllib.request.urlopen(url, timeout=60) as response:
        tarball = response.read()
    digest = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if digest != PLOTLY_BASIC_SHA512:
        raise ValueError(f"{url} does not match its pinned digest: not used")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        files = {
            name: archive.extractfile(f"package/{name}")
            for name in ("plotly-basic.min.js", "LICENSE")
        }
        build, license_text = (f.read() if f else b"" for f in files.values())
    if hashlib.sha256(build).hexdigest() != PLOTLY_BASIC_SHA256:
        raise ValueError(f"{url} holds another build than the pinned one: not used")
    into.parent.mkdir(parents=True, exist_ok=True)
    (into.parent / "plotly-basic.LICENSE.txt").write_bytes(license_text)
    into.write_bytes(build)
    return f"{into.name}: fetched ({len(build):,} bytes)"


@cache
def first_page_modules() -> tuple[str, ...]:
    """The charts' Plotly, then FIRST_PAGE's other modules and all they import, as served
    addresses (Streamlit's chart module only when the charts use it)."""
    plotly = plotly_source()
    names = [n for n in FIRST_PAGE if n != "PlotlyChart" or plotly == served("PlotlyChart")]
    todo = [path for name in names if (path := _module(name))]
    seen: dict[str, None] = {}  # ordered: the browser asks in this order
    while todo:
        path = todo.pop(0)
        if path.name not in seen:
            seen[path.name] = None
            todo += [STATIC_JS / n for n in static_imports(path) if (STATIC_JS / n).is_file()]
    served_ones = [f"static/js/{name}" for name in seen]
    return tuple(dict.fromkeys([plotly, *served_ones] if plotly else served_ones))


def early_fetch_script() -> str:
    """A module script that imports the first page's modules now (each at most once: the page
    reuses a loaded module). Our own constant: no file's text is in it."""
    paths = json.dumps(first_page_modules())
    return (
        f'<script type="module">for (const path of {paths}) '
        "import(new URL(path, document.baseURI).href).catch(() => {});</script>"
    )


if __name__ == "__main__":  # the setup: `python frontend.py`
    try:
        print(fetch_plotly_basic())
    except (OSError, ValueError, KeyError, tarfile.TarError) as exc:  # offline, a changed file
        print(f"Plotly's basic build not fetched ({exc}); charts load Streamlit's", file=sys.stderr)
