"""Everything below the title: the filters, the headline numbers, the views' tabs, an event's
details and the downloads. They need pandas, so `dashboard` imports this module only once the
page's first elements are sent."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import timeline as tl
from dashboard import UPLOAD_PREFIX, Loaded, md
from livechart import draw
from timeline.branchmap import HISTORY_CLICK
from timeline.chartparts import ERA_CLICK
from timeline.compare import HEADLINE_HELP, era_span_label
from timeline.filters import Options, era_as_years, filter_options, span_for
from timeline.gcpause import paused_gc
from timeline.schema import Status
from timeline.style import lane_labels
from timeline.views import TREE_VIEWS, VIEW_NAMES, Built, view_named
from timeline.viewstate import View, describe_view, params_from_view

EXPORT_TAB = "Export"
ALL_TIME, CUSTOM = "", "custom"
# Tables past this size show their first rows (the downloads hold everything): a 100k-row
# table is megabytes sent on every rerun.
MAX_TABLE_ROWS = 1000


@dataclass(frozen=True)
class Compared:
    """Two histories of a timeline, flattened, with their counterpart pairs (the headline's,
    whatever the filters): computed once."""

    timeline: tl.Comparison
    frame: pd.DataFrame
    pairs: pd.DataFrame


# cache_resource, not cache_data: cache_data would unpickle a fresh copy on every rerun (~1 s at
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


@st.cache_resource(max_entries=16, show_spinner=False)
def cached_details(
    basis: tuple[object, ...],
    event_id: str,
    _timeline: tl.Comparison | tl.Timeline,
    _frame: pd.DataFrame,
) -> tl.Details | None:
    """An event's details, once per file and pair (`basis`) and event: finding what it led to
    reads every event (~0.15 s at 100k), and the panel stays open across filter changes."""
    row = _frame[_frame["id"] == event_id]
    return tl.event_details(_timeline, event_id, row.iloc[0]["eras"] if len(row) else [])


def details_panel(
    timeline: tl.Comparison | tl.Timeline,
    frame: pd.DataFrame,
    basis: tuple[object, ...],
    event_id: str,
) -> None:
    details = cached_details(basis, event_id, timeline, frame)
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
    """The view's files, each made when its button is clicked: made on every rerun of this tab,
    the four took ~20 s at 100,000 events."""
    stem = Path((view.data or "timeline").removeprefix(UPLOAD_PREFIX)).stem
    described = describe_view(view)
    st.write(f"The {len(frame):,} events in the current view:")
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button(
        "Comparison report (Markdown)",
        partial(tl.to_markdown, frame, timeline, described or "everything"),
        f"{stem}-report.md",
        "text/markdown",
    )
    c2.download_button(
        "TimelineJS JSON",
        partial(_json_text, tl.to_timelinejs, frame, timeline),
        f"{stem}-timelinejs.json",
        "application/json",
    )
    c3.download_button("Events as CSV", partial(tl.to_csv, frame), f"{stem}.csv", "text/csv")
    c4.download_button(
        "Events as JSON", partial(tl.to_json, frame), f"{stem}.json", "application/json"
    )
    if len(tree.histories) > 2:
        st.download_button(
            "The tree of histories (JSON)",
            partial(_json_text, tl.tree_json, tree),
            f"{stem}-tree.json",
            "application/json",
            help="Every history with its parent, point of divergence and event counts.",
        )


def _json_text(make: Callable[..., object], *args: object) -> str:
    """`make(*args)` as the JSON a download holds."""
    return json.dumps(make(*args), ensure_ascii=False, indent=2)


def show(loaded: Loaded, view: View) -> None:
    """Everything below the title: filters, the headline numbers, the views and the address,
    for the timeline `loaded` and the pair and file `view` names."""
    assert loaded.timeline is not None and view.pair is not None
    pair = view.pair
    both = compared(loaded.digest, pair, loaded.timeline)
    timeline, frame = both.timeline, both.frame
    many = len(loaded.timeline.histories) > 2
    if many:  # the era picker lists every history's eras, not only the pair's
        tree = tree_frame(loaded.digest, loaded.timeline)
        options = options_of(loaded.digest, None, loaded.timeline, tree)
    else:
        options = options_of(loaded.digest, pair, timeline, frame)
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
            details_panel(about, everything, basis, str(selected))
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
