"""Streamlit dashboard: widgets in, calls to the `timeline` library out."""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

import timeline as tl
from timeline import compare
from timeline import figures as fg
from timeline.gcpause import paused_gc
from timeline.load import MAX_UPLOAD_BYTES, read_file, size_limit
from timeline.style import STATUS_LABELS, lane_labels
from timeline.viewstate import View, describe_view, params_from_view, view_from_params

SEEDS = Path(__file__).parent / "seeds"
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // 2**20  # .streamlit/config.toml agrees (a test checks)
DEFAULT_SEED = "for-all-mankind.yaml"
TABLE_COLUMNS = ["date_label", "title", "lane", "category", "status", "era", "id"]
TABLE_NAMES = {"date_label": "date", "lane": "history"}
# Tables past these sizes show their first rows (the downloads hold everything): a 100k-row
# table is megabytes sent on every rerun.
MAX_TABLE_ROWS = 1000
MAX_SIDE_BY_SIDE_ROWS = 500


def cli_data_path() -> Path | None:
    """`streamlit run app.py -- --data FILE` opens that file."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args(sys.argv[1:])
    return Path(args.data) if args.data else None


Loaded = tuple[tl.Timeline | None, pd.DataFrame | None, list[str]]


# cache_resource, not cache_data: cache_data would unpickle a fresh copy on every rerun (~1 s at
# 100k events). The key is the content digest, so an edited file loads again; nothing mutates
# the cached timeline or frame (filters return new frames).
@st.cache_resource(max_entries=8, show_spinner=False)
def load(digest: str, name: str, limit: int | None, _read: Callable[[], bytes]) -> Loaded:
    """Parse and flatten a timeline, once per distinct content."""
    try:
        with paused_gc():  # opt-in: ~2x faster bulk loads (see timeline/gcpause.py)
            timeline = tl.parse_timeline(_read(), name, limit)
            return timeline, tl.to_frame(timeline), []
    except tl.TimelineError as exc:
        return None, None, [str(p) for p in exc.problems]


@st.cache_data(max_entries=64, show_spinner=False)
def file_digest(path: str, mtime_ns: int, size: int) -> str:
    """The content digest of a file, hashed again only when it changes on disk."""
    return hashlib.sha256(read_file(path, size_limit(path))).hexdigest()


@dataclass(frozen=True)
class Source:
    """A timeline to show: a file (read only when not cached) or an upload's bytes."""

    name: str
    path: Path | None = None
    content: bytes = b""

    def load(self) -> Loaded:
        if self.path is None:
            digest = hashlib.sha256(self.content).hexdigest()
            return load(digest, self.name, MAX_UPLOAD_BYTES, lambda: self.content)
        try:
            stat = self.path.stat()
            digest = file_digest(str(self.path), stat.st_mtime_ns, stat.st_size)
        except OSError as exc:
            return None, None, [f"{self.name}: cannot read the file: {exc.strerror}"]
        except tl.TimelineError as exc:  # a device, a FIFO, a folder, over the cap
            return None, None, [str(p) for p in exc.problems]
        path = self.path
        return load(digest, self.name, None, lambda: read_file(path, size_limit(str(path))))


def seed_files() -> list[str]:
    return sorted(p.name for p in SEEDS.glob("*.yaml"))


def pick_source(view: View) -> Source:
    """The timeline file picked in the sidebar (a seed, or the `--data` file)."""
    cli = cli_data_path()
    choices = seed_files()
    if cli is not None and cli.name not in choices:
        choices = [str(cli), *choices]
    wanted = view.data if view.data in choices else (str(cli) if cli else DEFAULT_SEED)
    if wanted not in choices:
        wanted = choices[0]
    name = st.sidebar.selectbox(
        "Timeline",
        choices,
        index=choices.index(wanted),
        format_func=lambda c: Path(c).stem.replace("-", " ").title() if c in seed_files() else c,
        key="data",
    )
    path = SEEDS / name if name in seed_files() else Path(name)
    return Source(f"seeds/{name}" if path.parent == SEEDS else str(path), path=path)


def show_problems(name: str, problems: list[str], fallback: str | None) -> None:
    """Every problem of a file, each with its line, field and how to fix it."""
    kept = f" Still showing {tl.escape_markdown(fallback)}." if fallback else ""
    st.error(
        f"**{tl.escape_markdown(name)}** could not be opened: {len(problems)} problem"
        f"{'s' if len(problems) != 1 else ''}, listed below with the line and field of each.{kept}",
        icon="⚠️",
    )
    # A code block shows the messages as plain text: no markup from the file can render.
    st.code("\n".join(problems), language=None, wrap_lines=True)


def choose_timeline(view: View) -> tuple[tl.Timeline, pd.DataFrame] | None:
    """The picked or uploaded timeline; a bad upload keeps the last good one on screen."""
    source = pick_source(view)
    uploaded = st.sidebar.file_uploader(
        "Open your own timeline",
        type=["yaml", "yml", "json"],
        key="upload",
        help=f"YAML or JSON in the timeline format, up to {MAX_UPLOAD_MB} MB. "
        "It is checked in memory and never saved.",
    )
    if uploaded is not None:
        upload = Source(uploaded.name, content=uploaded.getvalue())
        timeline, frame, problems = upload.load()
        if timeline is not None and frame is not None:
            st.session_state["last_good"] = upload
            st.sidebar.caption(f"Showing your file {tl.escape_markdown(upload.name)}")
            return timeline, frame
        source = st.session_state.get("last_good", source)
        previous, _, _ = source.load()
        show_problems(upload.name, problems, previous.title if previous else None)
    timeline, frame, problems = source.load()
    if timeline is None or frame is None:
        show_problems(source.name, problems, None)
        return None
    if uploaded is None:
        st.session_state["last_good"] = source
    return timeline, frame


def sidebar_filters(timeline: tl.Timeline, frame: pd.DataFrame, view: View) -> View:
    """Draw the filter widgets, starting from the view in the address."""
    q = view.query
    sb = st.sidebar
    sb.header("Filters")
    eras = {e.id: e.label for e in timeline.eras}
    era_options = ["", *eras, "custom"]
    era_now = "custom" if q.years else (q.era if q.era in eras else "")
    era = sb.selectbox(
        "Era",
        era_options,
        index=era_options.index(era_now),
        format_func=lambda e: {"": "All time", "custom": "Custom year range"}.get(
            e, eras.get(e, e)
        ),
        key="era",
    )
    years = None
    if era == "custom":
        low, high = int(frame["start"].min()), int(frame["stop"].max())
        start = q.years or (low, high)
        first = min(max(low, int(start[0])), high)
        if low < high:  # a slider needs a range: all events in one year have none
            years = sb.slider(
                "Years", low, high, (first, max(first, min(high, int(start[1])))), key="years"
            )
        else:
            sb.caption(f"Every event is in the year {low}.")
            years = (low, high)
    labels = lane_labels(timeline)
    lanes = sb.multiselect(
        "History",
        list(labels),
        default=[x for x in q.lanes if x in labels],
        format_func=labels.get,
        placeholder="All histories",
        key="history",
    )
    categories = sorted(frame["category"].unique())
    cats = sb.multiselect(
        "Category",
        categories,
        default=[c for c in q.categories if c in categories],
        placeholder="All categories",
        key="category",
    )
    all_tags = sorted({t for tags in frame["tags"] for t in tags})
    tags = sb.multiselect(
        "Tags",
        all_tags,
        default=[t for t in q.tags if t in all_tags],
        placeholder="Any tag",
        key="tag",
    )
    statuses = sb.multiselect(
        "Status",
        list(STATUS_LABELS),
        default=[s for s in q.statuses if s in STATUS_LABELS],
        format_func=lambda s: STATUS_LABELS[s],
        placeholder="Any status",
        key="status",
    )
    text = sb.text_input("Search titles and summaries", value=q.text, key="q")
    query = tl.Query(
        era=era if era not in ("", "custom") else None,
        years=(float(years[0]), float(years[1])) if years else None,
        lanes=frozenset(lanes),
        categories=frozenset(cats),
        tags=frozenset(tags),
        statuses=frozenset(statuses),
        text=text,
    )
    return View(query=query, event=view.event, data=view.data, tab=view.tab)


def reset_view() -> None:
    """Clear every filter and the selection; keep the timeline being shown."""
    for key in ("era", "years", "history", "category", "tag", "status", "q"):
        st.session_state.pop(key, None)
    st.session_state["event"] = None
    st.query_params.from_dict({"data": st.session_state.get("data", "")})


def headline_row(frame: pd.DataFrame, timeline: tl.Timeline) -> None:
    h = tl.headline(frame)
    labels = lane_labels(timeline)
    cols = st.columns(5)
    cols[0].metric("Events shown", f"{h.events:,}")
    md = tl.escape_markdown  # metric labels are Markdown
    cols[1].metric(md(labels["reference"]), f"{h.per_lane.get('reference', 0):,}")
    cols[2].metric(md(labels["diverged"]), f"{h.per_lane.get('diverged', 0):,}")
    cols[3].metric("Counterpart pairs", f"{h.pairs:,}")
    gap = "—" if h.median_gap_years is None else tl.gap_label(h.median_gap_years).lstrip("+")
    cols[4].metric("Median gap", gap, help="Median distance in time between paired events")
    if h.per_status:
        st.caption(
            "Diverged events by status: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(h.per_status.items()))
        )


def chart(fig: object, key: str) -> None:
    """Draw a figure; a click on an event point selects that event."""
    # The key follows the selected event, so a chart's Plotly selection never outlives it: a
    # point still selected from an earlier click would ignore the next click on it, and a stale
    # selection would pull the view back to its event after a jump or a reset.
    selected = st.session_state.get("event")
    state = st.plotly_chart(
        fig, on_select="rerun", selection_mode="points", key=f"{key}-{selected}"
    )
    points = getattr(getattr(state, "selection", None), "points", None) or []
    ids = [p["customdata"][0] for p in points if p.get("customdata")]
    if ids and ids[0] != selected:
        st.session_state["event"] = ids[0]
        st.rerun()


def numbers(key: str, frame: pd.DataFrame, label: str = "Numbers behind this chart") -> None:
    """A chart's table, built only once opened: a table grid costs ~0.8 s of first page load."""
    box = st.expander(label, key=f"numbers-{key}", on_change="rerun")
    if not box.open:
        return
    with box:
        if len(frame) > MAX_TABLE_ROWS:
            st.caption(
                f"The first {MAX_TABLE_ROWS:,} of {len(frame):,} rows; the Export tab has them all."
            )
        st.dataframe(frame.head(MAX_TABLE_ROWS), hide_index=True)


TABS = (
    "Timeline",
    "Milestones",
    "Divergence over time",
    "Ripples",
    "Time jumps",
    "Per era",
    "Side by side",
    "Export",
)


def comparison_tabs(timeline: tl.Timeline, shown: pd.DataFrame, view: View) -> None:
    """The timeline and the views that measure how far the histories split.

    Tabs run lazily: only the open one is computed and sent, so a filter change redraws one
    chart, not eight.
    """
    if "tab" not in st.session_state and view.tab in TABS:
        # Through session state, not `default=`: a changing default would reset the widget.
        st.session_state["tab"] = view.tab
    tabs = st.tabs(TABS, key="tab", on_change="rerun")
    views = (
        timeline_tab,
        milestones_tab,
        drift_tab,
        ripple_tab,
        time_jumps_tab,
        era_tab,
        side_by_side_tab,
        downloads,
    )
    for tab, draw in zip(tabs, views, strict=True):
        if tab.open:
            with tab:
                draw(timeline, shown, view)


def timeline_tab(timeline: tl.Timeline, shown: pd.DataFrame, view: View) -> None:
    fig = fg.timeline_figure(shown, timeline, st.session_state.get("event"), view.query.era)
    chart(fig, "chart")
    numbers("events", shown[TABLE_COLUMNS].rename(columns=TABLE_NAMES), "Table of the events shown")


def milestones_tab(timeline: tl.Timeline, shown: pd.DataFrame, view: View) -> None:
    ms = compare.milestones(shown)
    if ms.empty:
        st.info("No counterpart pairs or milestones in this view.")
        return
    chart(fg.milestones_figure(ms, timeline, st.session_state.get("event")), "milestones")
    numbers("milestones", ms.drop(columns=["reference_x", "diverged_x"]))


def drift_tab(timeline: tl.Timeline, shown: pd.DataFrame, view: View) -> None:
    pod = next(e for e in timeline.events if e.id == timeline.divergence)
    drift = compare.drift_by_year(shown, pod.date.year)
    st.plotly_chart(fg.drift_figure(drift, timeline), key="drift")
    numbers("drift", drift.reset_index())


def ripple_tab(timeline: tl.Timeline, shown: pd.DataFrame, view: View) -> None:
    rp = compare.ripple(shown, timeline.divergence)
    if rp.empty:
        st.info("The point of divergence is not in this view: widen the filters.")
        return
    chart(fg.ripple_figure(rp, timeline, st.session_state.get("event")), "ripple")
    numbers("ripple", rp.drop(columns=["x"]))


def time_jumps_tab(timeline: tl.Timeline, shown: pd.DataFrame, view: View) -> None:
    jumps = compare.time_jumps(shown, compare.era_spans(timeline.eras))
    if jumps.empty:
        st.info("No releases with a known setting in this view (production events).")
        return
    chart(fg.time_jumps_figure(jumps, timeline), "jumps")
    numbers("jumps", jumps.drop(columns=["released_x"]))


def era_tab(timeline: tl.Timeline, shown: pd.DataFrame, view: View) -> None:
    summary = compare.era_summary(shown, {e.id: e.label for e in timeline.eras})
    st.plotly_chart(fg.era_summary_figure(summary, timeline), key="eras")
    numbers("eras", summary.drop(columns=["era_id"]))


def side_by_side_tab(timeline: tl.Timeline, shown: pd.DataFrame, view: View) -> None:
    labels = lane_labels(timeline)
    table = compare.side_by_side(shown)
    st.caption("Events of both histories, aligned by counterpart, in date order.")
    if len(table) > MAX_SIDE_BY_SIDE_ROWS:
        st.caption(
            f"The first {MAX_SIDE_BY_SIDE_ROWS:,} of {len(table):,} rows: narrow the filters, "
            "or download the comparison report from the Export tab."
        )
    table = table.head(MAX_SIDE_BY_SIDE_ROWS).map(tl.escape_markdown)
    md = tl.escape_markdown  # headers render Markdown too
    table = table.rename(
        columns={"reference": md(labels["reference"]), "diverged": md(labels["diverged"])}
    )
    st.table(table, hide_index=True)


def details_panel(timeline: tl.Timeline, frame: pd.DataFrame, event_id: str) -> None:
    row = frame[frame["id"] == event_id]
    details = tl.event_details(timeline, event_id, row.iloc[0]["eras"] if len(row) else [])
    if details is None:
        return
    ev = details.event
    labels = lane_labels(timeline)
    lane = "production" if ev.layer.value == "production" else ev.history.value
    md = tl.escape_markdown  # titles and summaries are data, never markup
    with st.container(border=True, key="details"):
        st.subheader(md(ev.title))
        date = ("c. " if ev.approximate else "") + ev.date.label()
        if ev.end:
            date += f" – {ev.end.label()}"
        st.markdown(
            f"**{date}** (to the {ev.date.precision.value}) · {md(labels[lane])}"
            + (f" · status: **{ev.status.value}**" if ev.status else "")
            + (f" · confidence: {ev.confidence.value}" if ev.confidence else "")
        )
        if ev.summary:
            st.markdown(md(ev.summary))
        if details.era_labels:
            st.caption("Eras: " + ", ".join(md(label) for label in details.era_labels))
        if details.counterpart is not None:
            other = details.counterpart
            st.button(
                f"Counterpart: {md(other.title)} ({other.date.label()})",
                key="goto-counterpart",
                on_click=select_event,
                args=(other.id,),
            )
        for title, items in (("Caused by", details.causes), ("Led to", details.led_to)):
            if items:
                st.markdown(f"**{title}**")
                for item in items:
                    st.button(
                        f"{md(item.title)} ({item.date.label()})",
                        key=f"goto-{title}-{item.id}",
                        on_click=select_event,
                        args=(item.id,),
                    )
        st.markdown("**Sources**")
        for src in details.sources:
            meta = ", ".join(
                md(x) for x in (src.publisher, src.date.label() if src.date else None) if x
            )
            if src.url:  # the only outside links: http(s), percent-encoded, clicked by the user
                link = tl.markdown_link(src.title, src.url)
                st.markdown(f"- {link}" + (f" ({meta})" if meta else ""))
            else:
                st.markdown(
                    f"- {md(src.title)} (seed document `{src.seed}`)"  # seed: [\w.-]+ only
                    + (f", {meta}" if meta else "")
                )


def current_tab() -> str | None:
    """The open tab for the address; the first one is the default and is left out."""
    tab = st.session_state.get("tab")
    return tab if tab in TABS[1:] else None


def select_event(event_id: str) -> None:
    st.session_state["event"] = event_id


def downloads(timeline: tl.Timeline, frame: pd.DataFrame, view: View) -> None:
    stem = Path(st.session_state.get("data") or "timeline").stem
    described = describe_view(view)
    st.write(f"The {len(frame)} events in the current view:")
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


def main() -> None:
    st.set_page_config(page_title="Alternate-history timeline explorer", layout="wide")
    view = view_from_params({k: st.query_params.get_all(k) for k in st.query_params})
    if view.ignored:  # the address is rewritten below without them
        st.warning(f"Ignored from the address: {', '.join(view.ignored)} (not usable years).")
    if "event" not in st.session_state:
        st.session_state["event"] = view.event
    chosen = choose_timeline(view)
    if chosen is None:
        return
    timeline, frame = chosen
    view = sidebar_filters(
        timeline, frame, View(view.query, view.event, st.session_state["data"], view.tab)
    )
    st.sidebar.button("Reset filters", on_click=reset_view)

    st.title(tl.escape_markdown(timeline.title))
    if timeline.description:
        st.caption(tl.escape_markdown(timeline.description))
    shown = tl.filter_events(frame, view.query)
    if shown.empty:
        st.info("No events match these filters.")
        st.button("Show everything again", on_click=reset_view, key="reset-empty")
        st.query_params.from_dict(params_from_view(view))
        return
    headline_row(shown, timeline)
    comparison_tabs(timeline, shown, view)
    selected = st.session_state.get("event")
    if selected and (frame["id"] == selected).any():
        details_panel(timeline, frame, selected)
    else:
        st.caption("Click an event in a chart to see its details here.")
    st.query_params.from_dict(
        params_from_view(View(view.query, st.session_state.get("event"), view.data, current_tab()))
    )


def run() -> None:
    try:
        main()
    except Exception as exc:  # the boundary: a user sees a message, never a traceback
        logging.getLogger("timeline.app").exception("unexpected error")  # the server log keeps it
        st.error(
            f"Something went wrong: {type(exc).__name__}. Reset the filters or reload the page."
        )


if __name__ == "__main__":  # `streamlit run` runs it; the benchmark imports the loader only
    run()
