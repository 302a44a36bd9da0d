"""The dashboard: widgets in, calls to the `timeline` library out (`app.py` runs it).

This module imports no pandas: the page's first elements (the sidebar, the title, the pair)
need only the loaded timeline, so they go out before `panels` imports pandas for the rest.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

import timeline as tl
from timeline.colours import colour_clashes
from timeline.gcpause import paused_gc
from timeline.load import MAX_UPLOAD_BYTES, read_file, size_limit
from timeline.viewstate import View, view_from_params

SEEDS = Path(__file__).parent / "seeds"
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // 2**20  # .streamlit/config.toml agrees (a test checks)
DEFAULT_SEED = "for-all-mankind.yaml"
UPLOAD_PREFIX = "upload:"
md = tl.escape_markdown  # text from a timeline file is data, never markup


def cli_data_path() -> Path | None:
    """`streamlit run app.py -- --data FILE` (or `scripts/run.sh --data FILE`) opens that file."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args(sys.argv[1:])
    return Path(args.data) if args.data else None


@dataclass(frozen=True)
class Loaded:
    """A parsed timeline (every history), or the file's problems."""

    timeline: tl.Timeline | None = None
    digest: str = ""  # the content's key: everything cached from the file is keyed on it
    problems: tuple[str, ...] = ()


# 100k events). The key is the content digest, so an edited file loads again; nothing mutates
# the cached timeline or frame (filters return new frames).
@st.cache_resource(max_entries=8, show_spinner=False)
def load(digest: str, name: str, limit: int | None, _read: Callable[[], bytes]) -> Loaded:
    """Parse a timeline once per content (`digest`), reading it only on a cache miss."""
    try:
        with paused_gc():  # opt-in: ~2x faster bulk loads (see timeline/gcpause.py)
            timeline = tl.parse_timeline(_read(), name, limit)
    except tl.TimelineError as exc:  # a device, a FIFO, a folder, over the cap; or its content
        return Loaded(problems=tuple(str(p) for p in exc.problems))
    return Loaded(timeline, digest)


@dataclass(frozen=True)
class Source:
    """A timeline to show: a file (read only when not cached) or an upload's bytes."""

    name: str  # what messages call it
    path: Path | None = None
    content: bytes = b""
    key: str = ""  # what the address and the picker call it

    def read(self) -> bytes:
        """The timeline's bytes: the file's, within its size cap, or the upload's."""
        if self.path is None:
            return self.content
        return read_file(self.path, size_limit(str(self.path)))

    def load(self) -> Loaded:
        if self.path is None:
            return load(
                content_key(self.content), self.name, MAX_UPLOAD_BYTES, lambda: self.content
            )
        try:
            info = self.path.stat()
        except OSError as exc:
            return Loaded(problems=(f"{self.name}: cannot read the file: {exc.strerror}",))
        # An edit changes the modification time; a permission fixed, the change time.
        stamp = f"{self.path}|{info.st_size}|{info.st_mtime_ns}|{info.st_ctime_ns}"
        digests = file_digests()
        if (digest := digests.get(stamp)) is not None:  # seen: no read unless evicted
            return load(digest, self.name, None, self.read)
        try:  # a new or changed file is read once: hashed, then parsed from the same bytes
            raw = self.read()
        except tl.TimelineError as exc:  # a device, a FIFO, a folder, over the cap
            return Loaded(problems=tuple(str(p) for p in exc.problems))
        if len(digests) >= 256:  # a long-running server forgets old stamps
            digests.clear()
        digests[stamp] = digest = content_key(raw)
        return load(digest, self.name, None, lambda: raw)


def content_key(raw: bytes) -> str:
    """What everything cached from a timeline is keyed on: its content."""
    return hashlib.sha256(raw).hexdigest()


@st.cache_resource(show_spinner=False)
def file_digests() -> dict[str, str]:
    """Each file stamp's content key (path, size and change times), so a file is read and
    hashed once per change, and one content is one cache entry wherever it is loaded from."""
    return {}


def colour_notes(source: Source, loaded: Loaded) -> tuple[str, ...]:
    """The file's history colours that are too close to tell apart, each on its line."""
    return _colour_notes(loaded.digest, source.name, source, loaded.timeline)


@st.cache_data(max_entries=8, show_spinner=False)
def _colour_notes(
    digest: str, name: str, _source: Source, _timeline: tl.Timeline | None
) -> tuple[str, ...]:
    """Keyed on the name too: the notes name the file, and two files may hold one content."""
    if _timeline is None:
        return ()
    return tuple(str(p) for p in colour_clashes(_timeline, _source.name, _source.read))


def file_sources() -> dict[str, Source]:
    """The shipped seeds and the `--data` file, by picker key."""
    sources = {
        p.name: Source(f"seeds/{p.name}", path=p, key=p.name) for p in sorted(SEEDS.glob("*.yaml"))
    }
    cli = cli_data_path()
    if cli is not None:
        seed = SEEDS / cli.name
        if cli.resolve() != seed.resolve() or cli.name not in sources:
            sources = {str(cli): Source(str(cli), path=cli, key=str(cli)), **sources}
    return sources


def default_key(sources: dict[str, Source]) -> str:
    cli = cli_data_path()
    if cli is not None:
        return cli.name if cli.name in sources else str(cli)
    return DEFAULT_SEED if DEFAULT_SEED in sources else next(iter(sources))


def show_problems(name: str, problems: tuple[str, ...], fallback: str | None) -> None:
    """Every problem of a file, each with its line, field and how to fix it."""
    kept = f" Still showing {md(fallback)}." if fallback else ""
    st.error(
        f"**{md(name)}** could not be opened: {len(problems)} problem"
        f"{'s' if len(problems) != 1 else ''}, listed below with the line and field of each.{kept}",
        icon="⚠️",
    )
    # A code block shows the messages as plain text: no markup from the file can render.
    st.code("\n".join(problems), language=None, wrap_lines=True)


def choose_timeline(view: View) -> tuple[Source, Loaded] | None:
    """The picked or uploaded timeline; a bad upload keeps the last good one on screen.

    An upload is named in the picker and the address (`data=upload:NAME`), so a copied link
    never silently opens another timeline.
    """
    sources = file_sources()
    uploads: dict[str, Source] = st.session_state.setdefault("uploads", {})
    upload = st.session_state.get("upload")
    if upload is not None and st.session_state.get("upload_id") != upload.file_id:
        # A new upload: show it if it loads, else keep the view and list its problems.
        st.session_state["upload_id"] = upload.file_id
        source = Source(upload.name, content=upload.getvalue(), key=UPLOAD_PREFIX + upload.name)
        loaded = source.load()
        if loaded.timeline is not None:
            uploads[source.key] = source
            st.session_state["data"] = source.key
        else:
            st.session_state["upload_problems"] = (source, loaded.problems)
    problems_of: tuple[Source, tuple[str, ...]] | None = st.session_state.pop(
        "upload_problems", None
    )
    choices = {**uploads, **sources}
    wanted = st.session_state.get("data") or view.data or default_key(sources)
    if wanted not in choices:
        if wanted.startswith(UPLOAD_PREFIX):
            st.warning(
                f"This address showed an uploaded file, {md(wanted[len(UPLOAD_PREFIX) :])}, "
                "and uploads are not kept once the page closes: open it again with "
                "'Open your own timeline' in the sidebar. Showing a shipped timeline meanwhile.",
                icon="ℹ️",
            )
        wanted = default_key(sources)
    st.session_state["data"] = wanted
    key = st.sidebar.selectbox(
        "Timeline",
        list(choices),
        format_func=lambda c: picker_label(c, choices),
        key="data",
    )
    st.sidebar.file_uploader(
        "Open your own timeline",
        type=["yaml", "yml", "json"],
        key="upload",
        help=f"YAML or JSON in the timeline format, up to {MAX_UPLOAD_MB} MB. "
        "It is checked in memory and never saved.",
    )
    source = choices[key]
    loaded = source.load()
    if problems_of is not None:
        bad, problems = problems_of
        show_problems(bad.name, problems, loaded.timeline.title if loaded.timeline else None)
    if loaded.timeline is None:
        show_problems(source.name, loaded.problems, None)
        return None
    return source, loaded


def picker_label(key: str, choices: dict[str, Source]) -> str:
    if key.startswith(UPLOAD_PREFIX):
        return f"Your file: {key[len(UPLOAD_PREFIX) :]}"
    path = choices[key].path
    if path is not None and path.parent == SEEDS:
        return Path(key).stem.replace("-", " ").title()
    return key


def pair_control(timeline: tl.Timeline, view: View) -> tuple[str, str]:
    """The two histories compared: chosen above the chart when there are more than two."""
    default: tuple[str, str] = tl.default_pair(timeline)
    labels = {h.id: h.label for h in timeline.histories}
    ids = list(labels)
    wanted = view.pair if view.pair and all(h in labels for h in view.pair) else default
    if len(ids) == 2:
        return default
    if view.pair and wanted != view.pair:
        st.warning("Ignored from the address: the histories to compare (not in this timeline).")
    for key, value in zip(("compare", "with"), wanted, strict=True):
        if st.session_state.get(key) not in labels:
            st.session_state[key] = value
    left, right = st.container(key="pair").columns(2)
    a = left.selectbox(
        "Compare",
        ids,
        format_func=lambda h: md(labels[h]),
        key="compare",
        help="The two histories every chart and table below compares.",
    )
    others = [h for h in ids if h != a]
    if st.session_state.get("with") not in others:
        st.session_state["with"] = next(
            (h for h in (default[1], default[0]) if h in others), others[0]
        )
    b = right.selectbox("with", others, format_func=lambda h: md(labels[h]), key="with")
    return str(a), str(b)


def main() -> None:
    view = view_from_params({k: st.query_params.get_all(k) for k in st.query_params})
    if view.ignored:  # the address is rewritten below without them
        st.warning(f"Ignored from the address: {', '.join(view.ignored)} (not usable years).")
    if "event" not in st.session_state:
        st.session_state["event"] = view.event
    if "focus" not in st.session_state:
        st.session_state["focus"] = view.focus
    chosen = choose_timeline(view)
    if chosen is None:
        return
    source, loaded = chosen
    assert loaded.timeline is not None
    st.title(md(loaded.timeline.title))
    if loaded.timeline.description:
        with st.expander("About this timeline"):
            st.markdown(md(loaded.timeline.description))
    for clash in colour_notes(source, loaded):  # the file is valid: a note, not an error
        st.warning(md(clash), icon=":material/palette:")
    pair = pair_control(loaded.timeline, view)
    # The page so far needed no pandas: it is on its way to the browser, which draws the
    # sidebar and the title while the charts' imports (pandas, numpy, pyarrow) load here.
    import panels

    panels.show(loaded, replace(view, data=source.key, pair=pair))


def run() -> None:
    try:
        main()
    except Exception as exc:  # the boundary: a user sees a message, never a traceback
        logging.getLogger("timeline.app").exception("unexpected error")  # the server log keeps it
        st.error(
            f"Something went wrong: {type(exc).__name__}. Reset the filters or reload the page."
        )
