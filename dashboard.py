"""The dashboard: widgets in, calls to the `timeline` library out (`app.py` runs it)."""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import timeline as tl
from livechart import draw
from timeline.branchmap import HISTORY_CLICK
from timeline.chartparts import ERA_CLICK
from timeline.colours import colour_clashes
from timeline.compare import HEADLINE_HELP, era_span_label
from timeline.filters import Options, era_as_years, filter_options, span_for
from timeline.gcpause import paused_gc
from timeline.load import MAX_UPLOAD_BYTES, read_file, size_limit
from timeline.schema import Status
from timeline.style import lane_labels
from timeline.views import TREE_VIEWS, VIEW_NAMES, Built, view_named
from timeline.viewstate import View, describe_view, params_from_view, view_from_params

SEEDS = Path(__file__).parent / "seeds"
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // 2**20  # .streamlit/config.toml agrees (a test checks)
DEFAULT_SEED = "for-all-mankind.yaml"
UPLOAD_PREFIX = "upload:"
EXPORT_TAB = "Export"
ALL_TIME, CUSTOM = "", "custom"
# Tables past this size show their first rows (the downloads hold everything): a 100k-row
# table is megabytes sent on every rerun.
MAX_TABLE_ROWS = 1000
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


@dataclass(frozen=True)
class Compared:
    """Two histories of a timeline, flattened, with their counterpart pairs (the headline's,
    whatever the filters): computed once."""

    timeline: tl.Comparison
    frame: pd.DataFrame
    pairs: pd.DataFrame


# cache_resource, not cache_data: cache_data would unpickle a fresh copy on every rerun (~1 s at
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


@st.cache_resource(max_entries=8, show_spinner=False)
def tree_frame(digest: str, _timeline: tl.Timeline) -> pd.DataFrame:
    """Every history's events, flattened once per file (the branch map's data)."""
    with paused_gc():
        frame: pd.DataFrame = tl.to_frame(_timeline)
    return frame


@st.cache_resource(max_entries=16, show_spinner=False)
def compared(digest: str, pair: tuple[str, str], _timeline: tl.Timeline) -> Compared:
    """Two histories as a comparison, its frame and pairs, once per file and pair."""
    with paused_gc():
        comparison = tl.compare_pair(_timeline, pair)
        frame = tl.to_frame(comparison)
    return Compared(comparison, frame, tl.counterpart_pairs(frame, gaps=False))


@st.cache_resource(max_entries=16, show_spinner=False)
def options_of(
    digest: str,
    pair: tuple[str, str] | None,
    _of: tl.Comparison | tl.Timeline,
    _frame: pd.DataFrame,
) -> Options:
    """The filter options (eras, decades, categories, tags) of a pair, or of the whole tree
    (`pair` None), once per file: the sidebar's lists are not gathered again on a rerun."""
    eras = ((e.id, e.label, era_span_label(e)) for e in _of.eras)
    return filter_options(eras, _frame)


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


def era_control(options: Options, view: View, box: DeltaGenerator) -> tl.Query:
    """The main control: an era, a decade, a century, or typed years; returns the period part."""
    q = view.query
    spans = {s.key: s for s in options.spans}
    now = span_for(options, q)
    keys = [ALL_TIME, *spans, CUSTOM]
    if st.session_state.get("period") not in keys:  # first run, or another timeline's era
        st.session_state["period"] = now.key if now else (CUSTOM if q.years else ALL_TIME)
    pending = st.session_state.pop("pending_period", None)
    if pending in spans:
        st.session_state["period"] = pending
    period = box.selectbox(
        "Era or period",
        keys,
        format_func=lambda k: {ALL_TIME: "All time", CUSTOM: "Years you type…"}.get(
            k, spans[k].label if k in spans else k
        ),
        key="period",
        help="Pick an era of the timeline, a decade or a century, or type a range of years: "
        "every chart zooms to it.",
    )
    if period == CUSTOM:
        low, high = options.low, max(options.high, options.low)
        start, stop = q.years or (low, high)
        mid, right = st.columns(2)
        first = mid.number_input("From year", value=int(start), step=1, key="from_year")
        last = right.number_input("To year", value=int(stop), step=1, key="to_year")
        first, last = min(first, last), max(first, last)
        return tl.Query(years=(float(first), float(last)))
    if period in spans:
        return tl.Query(era=spans[period].era, years=spans[period].years)
    return tl.Query()


def more_filters(
    timeline: tl.Comparison | tl.Timeline, options: Options, view: View, box: DeltaGenerator
) -> tl.Query:
    """History, category, tag, status and text filters, behind the 'More filters' control."""
    q = view.query
    labels = lane_labels(timeline)
    with box:
        lanes = pick(
            "History", list(labels), q.lanes, "history", lambda k: md(labels[k]), "All histories"
        )
        cats = pick("Category", options.categories, q.categories, "category", md, "All categories")
        tags = pick("Tags", options.tags, q.tags, "tag", md, "Any tag")
        statuses = pick(
            "Status",
            [s.value for s in Status],
            q.statuses,
            "status",
            lambda s: f"{Status(s).label}: {Status(s).explanation}",
            "Any status",
        )
        text = st.text_input("Search titles and summaries", value=q.text, key="q")
        st.button("Reset filters", on_click=reset_view, key="reset")
    return tl.Query(
        lanes=frozenset(lanes),
        categories=frozenset(cats),
        tags=frozenset(tags),
        statuses=frozenset(statuses),
        text=text,
    )


def pair_lanes(histories: frozenset[str], pair: tuple[str, str]) -> frozenset[str]:
    """Histories picked in the filter, as the compared pair's lanes (others are not in it)."""
    if not histories:
        return histories
    sides = {
        pair[0]: "reference",
        pair[1]: "diverged",
        "shared": "shared",
        "production": "production",
    }
    picked = frozenset(sides[h] for h in histories if h in sides)
    return picked or frozenset({"none of the pair"})  # nothing of the pair was picked


def pick(
    label: str,
    options: Sequence[str],
    chosen: frozenset[str],
    key: str,
    show: Callable[[str], str],
    placeholder: str,
) -> list[str]:
    """A multiselect that starts from the address's choice (unknown values dropped)."""
    return st.multiselect(
        label,
        options,
        default=[x for x in chosen if x in options],
        format_func=show,
        placeholder=placeholder,
        key=key,
    )


def reset_view() -> None:
    """Clear every filter and the selection; keep the timeline being shown."""
    for key in ("period", "from_year", "to_year", "history", "category", "tag", "status", "q"):
        st.session_state.pop(key, None)
    st.session_state["event"] = None
    st.query_params.from_dict({"data": st.session_state.get("data", "")})


# A rerun that goes back to filters seen before (all time after an era, a tab opened again) looks
# up its numbers and views instead of computing them again: at 100k events the headline and the
# timeline view cost ~0.5 s each. Keys name the file (its digest), the pair, the filters and
# whatever else the result depends on; entries are few, as a 100k view holds its data.
@st.cache_resource(max_entries=16, show_spinner=False)
def cached_headline(
    key: tuple[object, ...], _frame: pd.DataFrame, _pairs: pd.DataFrame
) -> tl.Headline:
    """The headline numbers of the events shown, once per file, pair and filters."""
    return tl.headline(_frame, _pairs)


@st.cache_resource(max_entries=6, show_spinner=False)
def cached_view(key: tuple[object, ...], _build: Callable[[], Built]) -> Built:
    """A tab's view, built once per file, pair, tab, filters, selection and focus."""
    return _build()


def headline_row(
    frame: pd.DataFrame, pairs: pd.DataFrame, timeline: tl.Comparison, key: tuple[object, ...]
) -> None:
    """Four numbers that say how the histories differ in the events shown."""
    h = cached_headline(key, frame, pairs)
    labels = lane_labels(timeline)
    per_lane = ", ".join(f"{md(labels[k])}: {v:,}" for k, v in h.per_lane.items())
    with st.container(key="headline"):
        cols = st.columns(4)
        cols[0].metric(
            "Events shown", f"{h.events:,}", help=f"{HEADLINE_HELP['events']} {per_lane}"
        )
        cols[1].metric(
            "Milestones moved",
            f"{h.moved:,} of {h.pairs:,}",
            help=HEADLINE_HELP["moved"],
        )
        gap, _, title = (h.largest_shift or "—").partition(": ")
        cols[2].metric(
            "Largest shift",
            gap,
            help=HEADLINE_HELP["largest"] + (f" Here: {md(title)}." if title else ""),
        )
        cols[3].metric("In one history only", f"{h.one_sided:,}", help=HEADLINE_HELP["one_sided"])


def chart(fig: go.Figure, key: str, clickable: bool) -> None:
    """Draw a figure; a click on an event point selects that event."""
    # The click is a trigger, gone after one run, so it never outlives its event: no stale
    # selection can ignore the next click on the same point or pull the view back after a jump
    # or a reset, and the chart keeps one key (and its element) across filter changes.
    clicked = draw(fig, key, clickable)
    if not clicked:
        return
    if clicked.startswith(ERA_CLICK):
        # A click on an era bar zooms to that era (applied before the era widget next run).
        st.session_state["pending_period"] = clicked.removeprefix(ERA_CLICK)
        st.rerun()
    if clicked.startswith(HISTORY_CLICK):
        # A click on a branch map's line focuses that history.
        if st.session_state.get("focus") != (focus := clicked.removeprefix(HISTORY_CLICK)):
            st.session_state["focus"] = focus
            st.rerun()
        return
    if clicked != st.session_state.get("event"):
        st.session_state["event"] = clicked
        st.rerun()


def numbers(key: str, built: Built, label: str = "Table of what this chart shows") -> None:
    """A chart's table, made and sent only once opened: at 100k events making it takes ~0.3 s
    and a table grid costs ~0.8 s of first page load."""
    box = st.expander(label, key=f"numbers-{key}", on_change="rerun")
    if not box.open:
        return
    table = built.table
    with box:
        if len(table) > MAX_TABLE_ROWS:
            st.caption(
                f"The first {MAX_TABLE_ROWS:,} of {len(table):,} rows; the Export tab has them all."
            )
        st.dataframe(table.head(MAX_TABLE_ROWS), hide_index=True)


def tab_names(tree: tl.Timeline) -> list[str]:
    """The tabs: the whole tree's views first when there are more than two histories."""
    first = [v.name for v in TREE_VIEWS] if len(tree.histories) > 2 else []
    return [*first, *VIEW_NAMES, EXPORT_TAB]


def view_tabs(
    tree: tl.Timeline,
    timeline: tl.Comparison,
    shown: pd.DataFrame,
    tree_shown: pd.DataFrame | None,
    view: View,
    basis: tuple[str, tuple[str, str]],
) -> None:
    """A tab per library view, plus Export; only the open tab is computed and sent.

    `basis` names the file and pair the frames come from (with `view`'s filters, a cache key)."""
    names = tab_names(tree)
    if "tab" not in st.session_state and view.tab in names:
        # Through session state, not `default=`: a changing default would reset the widget.
        st.session_state["tab"] = view.tab
    selected = st.session_state.get("event")
    trees = {v.name: v for v in TREE_VIEWS}
    with st.container(key="views"):
        tabs = st.tabs(names, key="tab", on_change="rerun")
        for name, tab in zip(names, tabs, strict=True):
            if not tab.open:
                continue
            with tab:
                if name == EXPORT_TAB:
                    downloads(tree, timeline, shown, view)
                    continue
                if name in trees and tree_shown is not None:
                    if name == TREE_VIEWS[0].name:  # the branch map: lines to focus
                        focus_bar(tree)
                    focus = st.session_state.get("focus")
                    built = cached_view(
                        (basis[0], name, view.query, selected, focus),
                        partial(
                            trees[name].build, tree, tree_shown, selected, focus, view.query.era
                        ),
                    )
                    clickable = True
                else:
                    spec = view_named(name)
                    built = cached_view(
                        (*basis, name, view.query, selected),
                        partial(spec.build, timeline, shown, selected, view.query.era),
                    )
                    clickable = spec.clickable
                if built.empty:
                    st.info(built.empty)
                    continue
                if built.figure is not None:
                    chart(built.figure, name, clickable)
                    numbers(name, built)
                else:
                    st.dataframe(built.table.head(MAX_TABLE_ROWS), hide_index=True)
                if built.statuses:
                    st.caption(f"Statuses: {built.statuses}")


def focus_bar(tree: tl.Timeline) -> None:
    """The focused history (a click on its line): compare it with its parent, or let it go."""
    focus = st.session_state.get("focus")
    node = next((h for h in tree.histories if h.id == focus), None)
    if node is None:
        st.caption("Click a history's line to single it out; click a station for its details.")
        return
    left, mid, right = st.columns([3, 2, 1], vertical_alignment="center")
    left.markdown(f"Focused: **{md(node.label)}**")
    if node.parent is not None:
        mid.button(
            "Compare it with its parent",
            key="focus-compare",
            on_click=set_pair,
            args=(node.parent, node.id),
        )
    right.button("Clear focus", key="focus-clear", on_click=set_focus, args=(None,))


def set_pair(a: str, b: str) -> None:
    st.session_state["compare"], st.session_state["with"] = a, b


def set_focus(history: str | None) -> None:
    st.session_state["focus"] = history


def details_panel(
    timeline: tl.Comparison | tl.Timeline, frame: pd.DataFrame, event_id: str
) -> None:
    row = frame[frame["id"] == event_id]
    details = tl.event_details(timeline, event_id, row.iloc[0]["eras"] if len(row) else [])
    if details is None:
        return
    ev = details.event
    with st.container(border=True, key="details"):
        st.subheader(md(ev.title))
        facts = [f"**{md(details.when)}** ({details.precision})", md(details.history)]
        if ev.confidence:
            facts.append(f"confidence: {ev.confidence.value}")
        st.markdown(" · ".join(facts))
        if details.status:
            st.markdown(f"Status: {md(details.status)}")
        if ev.summary:
            st.markdown(md(ev.summary))
        if details.era_labels:
            st.caption("Eras: " + ", ".join(md(label) for label in details.era_labels))
        for i, link in enumerate(details.counterparts):
            st.button(
                f"Counterpart: {md(link.text)}",
                key="goto-counterpart" + (f"-{i}" if i else ""),
                on_click=select_event,
                args=(link.id,),
            )
        for title, links in (("Caused by", details.causes), ("Led to", details.led_to)):
            if links:
                st.markdown(f"**{title}**")
                for link in links:
                    st.button(
                        md(link.text),
                        key=f"goto-{title}-{link.id}",
                        on_click=select_event,
                        args=(link.id,),
                    )
        st.markdown("**Sources**")
        for src in details.sources:
            st.markdown(f"- {tl.source_markdown(src)}")
        st.button("Close", key="close-details", on_click=select_event, args=(None,))


def select_event(event_id: str | None) -> None:
    st.session_state["event"] = event_id


def downloads(tree: tl.Timeline, timeline: tl.Comparison, frame: pd.DataFrame, view: View) -> None:
    stem = Path((view.data or "timeline").removeprefix(UPLOAD_PREFIX)).stem
    described = describe_view(view)
    st.write(f"The {len(frame):,} events in the current view:")
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button(
        "Comparison report (Markdown)",
        tl.to_markdown(frame, timeline, described or "everything"),
        f"{stem}-report.md",
        "text/markdown",
    )
    c2.download_button(
        "TimelineJS JSON",
        json.dumps(tl.to_timelinejs(frame, timeline), ensure_ascii=False, indent=2),
        f"{stem}-timelinejs.json",
        "application/json",
    )
    c3.download_button("Events as CSV", tl.to_csv(frame), f"{stem}.csv", "text/csv")
    c4.download_button("Events as JSON", tl.to_json(frame), f"{stem}.json", "application/json")
    if len(tree.histories) > 2:
        st.download_button(
            "The tree of histories (JSON)",
            json.dumps(tl.tree_json(tree), ensure_ascii=False, indent=2),
            f"{stem}-tree.json",
            "application/json",
            help="Every history with its parent, point of divergence and event counts.",
        )


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
    both = compared(loaded.digest, pair, loaded.timeline)
    timeline, frame = both.timeline, both.frame
    many = len(loaded.timeline.histories) > 2
    if many:  # the era picker lists every history's eras, not only the pair's
        tree = tree_frame(loaded.digest, loaded.timeline)
        options = options_of(loaded.digest, None, loaded.timeline, tree)
    else:
        options = options_of(loaded.digest, pair, timeline, frame)
    view = replace(view, data=source.key, pair=pair)
    row = st.columns([3, 1], vertical_alignment="bottom")
    more = row[1].popover("More filters", icon=":material/filter_list:", width="stretch")
    period = era_control(options, view, row[0])
    # With many histories the history filter lists them all; the pair's views see its two.
    rest = more_filters(loaded.timeline if many else timeline, options, view, more)
    query = tl.Query(
        era=period.era,
        years=period.years,
        lanes=rest.lanes,
        categories=rest.categories,
        tags=rest.tags,
        statuses=rest.statuses,
        text=rest.text,
    )
    view = replace(view, query=query)
    pair_query = replace(query, lanes=pair_lanes(query.lanes, pair)) if many else query
    # An era of a history outside the pair is its years in the pair's views.
    pair_query = era_as_years(pair_query, loaded.timeline.eras, (e.id for e in timeline.eras))
    shown = tl.filter_events(frame, pair_query)
    tree_shown, everything, about = None, frame, timeline
    if many:
        # The tree's views show every history (the status filter is the pair's own).
        everything, about = tree_frame(loaded.digest, loaded.timeline), loaded.timeline
        tree_shown = tl.filter_events(everything, replace(query, statuses=frozenset()))
    if shown.empty and (tree_shown is None or tree_shown.empty):
        st.info("No events match these filters.")
        st.button("Show everything again", on_click=reset_view, key="reset-empty")
        st.query_params.from_dict(params_from_view(view))
        return
    basis = (loaded.digest, pair)
    headline_row(shown, both.pairs, timeline, (*basis, pair_query))
    selected = st.session_state.get("event")
    has_details = bool(selected) and (everything["id"] == selected).any()
    if has_details:
        left, right = st.columns([5, 2], gap="medium")
        with left:
            view_tabs(loaded.timeline, timeline, shown, tree_shown, view, basis)
        with right:
            details_panel(about, everything, str(selected))
    else:
        view_tabs(loaded.timeline, timeline, shown, tree_shown, view, basis)
        if (
            view_named(st.session_state.get("tab")).clickable
            and st.session_state.get("tab") != EXPORT_TAB
        ):
            st.caption("Click an event in the chart to see its details beside it.")
    tab = st.session_state.get("tab")
    st.query_params.from_dict(
        params_from_view(
            replace(
                view,
                event=st.session_state.get("event"),
                tab=tab if tab != tab_names(loaded.timeline)[0] else None,
                pair=None if pair == tl.default_pair(loaded.timeline) else pair,
                focus=st.session_state.get("focus"),
            )
        )
    )


def run() -> None:
    try:
        main()
    except Exception as exc:  # the boundary: a user sees a message, never a traceback
        logging.getLogger("timeline.app").exception("unexpected error")  # the server log keeps it
        st.error(
            f"Something went wrong: {type(exc).__name__}. Reset the filters or reload the page."
        )
