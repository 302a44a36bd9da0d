"""Streamlit dashboard: widgets in, calls to the `timeline` library out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

import timeline as tl
from timeline.figures import timeline_figure
from timeline.style import STATUS_LABELS, lane_labels
from timeline.viewstate import View, params_from_view, view_from_params

SEEDS = Path(__file__).parent / "seeds"
DEFAULT_SEED = "for-all-mankind.yaml"
TABLE_COLUMNS = ["date_label", "title", "lane", "category", "status", "era", "id"]


def cli_data_path() -> Path | None:
    """`streamlit run app.py -- --data FILE` opens that file."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args(sys.argv[1:])
    return Path(args.data) if args.data else None


@st.cache_data(max_entries=32, show_spinner=False)
def load(content: bytes, name: str) -> tuple[tl.Timeline | None, pd.DataFrame | None, list[str]]:
    """Parse and flatten a timeline; cached on the file's bytes, so an edited file reloads."""
    try:
        timeline = tl.parse_timeline(content, name)
    except tl.TimelineError as exc:
        return None, None, [str(p) for p in exc.problems]
    return timeline, tl.to_frame(timeline), []


def seed_files() -> list[str]:
    return sorted(p.name for p in SEEDS.glob("*.yaml"))


def pick_source(view: View) -> tuple[bytes, str]:
    """The bytes and display name of the timeline to show."""
    cli = cli_data_path()
    choices = seed_files()
    if cli is not None and cli.name not in choices:
        choices = [str(cli), *choices]
    wanted = view.data if view.data in choices else (str(cli) if cli else DEFAULT_SEED)
    if wanted not in choices:
        wanted = choices[0]
    name = st.sidebar.selectbox("Timeline", choices, index=choices.index(wanted), key="data")
    path = SEEDS / name if name in seed_files() else Path(name)
    return path.read_bytes(), (f"seeds/{name}" if path.parent == SEEDS else str(path))


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
        years = sb.slider(
            "Years", low, high, (max(low, int(start[0])), min(high, int(start[1]))), key="years"
        )
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
    return View(query=query, event=view.event, data=view.data)


def reset_view() -> None:
    """Clear every filter and the selection; keep the timeline being shown."""
    for key in ("era", "years", "history", "category", "tag", "status", "q", "last_click"):
        st.session_state.pop(key, None)
    st.session_state["event"] = None
    st.query_params.from_dict({"data": st.session_state.get("data", "")})


def headline_row(frame: pd.DataFrame, timeline: tl.Timeline) -> None:
    h = tl.headline(frame)
    labels = lane_labels(timeline)
    cols = st.columns(5)
    cols[0].metric("Events shown", h.events)
    cols[1].metric(labels["reference"], h.per_lane.get("reference", 0))
    cols[2].metric(labels["diverged"], h.per_lane.get("diverged", 0))
    cols[3].metric("Counterpart pairs", h.pairs)
    gap = "—" if h.median_gap_years is None else tl.gap_label(h.median_gap_years).lstrip("+")
    cols[4].metric("Median gap", gap, help="Median distance in time between paired events")
    if h.per_status:
        st.caption(
            "Diverged events by status: "
            + ", ".join(f"{k} {v}" for k, v in sorted(h.per_status.items()))
        )


def selected_from_chart(state: object) -> str | None:
    """The event id of a newly clicked point, if the chart reports one."""
    points = getattr(getattr(state, "selection", None), "points", None) or []
    ids = [p.get("customdata", [None])[0] for p in points if p.get("customdata")]
    key = ",".join(str(i) for i in ids)
    if key and key != st.session_state.get("last_click"):
        st.session_state["last_click"] = key
        return ids[0]
    return None


def details_panel(timeline: tl.Timeline, frame: pd.DataFrame, event_id: str) -> None:
    row = frame[frame["id"] == event_id]
    details = tl.event_details(timeline, event_id, row.iloc[0]["eras"] if len(row) else [])
    if details is None:
        return
    ev = details.event
    labels = lane_labels(timeline)
    lane = "production" if ev.layer.value == "production" else ev.history.value
    with st.container(border=True, key="details"):
        st.subheader(ev.title)
        date = ("c. " if ev.approximate else "") + ev.date.label()
        if ev.end:
            date += f" – {ev.end.label()}"
        st.markdown(
            f"**{date}** (to the {ev.date.precision.value}) · {labels[lane]}"
            + (f" · status: **{ev.status.value}**" if ev.status else "")
            + (f" · confidence: {ev.confidence.value}" if ev.confidence else "")
        )
        if ev.summary:
            st.write(ev.summary)
        if details.era_labels:
            st.caption("Eras: " + ", ".join(details.era_labels))
        if details.counterpart is not None:
            other = details.counterpart
            st.button(
                f"Counterpart: {other.title} ({other.date.label()})",
                key="goto-counterpart",
                on_click=select_event,
                args=(other.id,),
            )
        for title, items in (("Caused by", details.causes), ("Led to", details.led_to)):
            if items:
                st.markdown(f"**{title}**")
                for item in items:
                    st.button(
                        f"{item.title} ({item.date.label()})",
                        key=f"goto-{title}-{item.id}",
                        on_click=select_event,
                        args=(item.id,),
                    )
        st.markdown("**Sources**")
        for src in details.sources:
            meta = ", ".join(
                x for x in (src.publisher, src.date.label() if src.date else None) if x
            )
            if src.url:
                st.markdown(f"- [{src.title}]({src.url})" + (f" ({meta})" if meta else ""))
            else:
                st.markdown(
                    f"- {src.title} (seed document `{src.seed}`)" + (f", {meta}" if meta else "")
                )


def select_event(event_id: str) -> None:
    st.session_state["event"] = event_id


def table(frame: pd.DataFrame, name: str) -> None:
    st.dataframe(
        frame[TABLE_COLUMNS].rename(columns={"date_label": "date", "lane": "history"}),
        hide_index=True,
    )
    stem = Path(name).stem
    c1, c2 = st.columns(2)
    c1.download_button("Download CSV", tl.to_csv(frame), f"{stem}.csv", "text/csv")
    c2.download_button("Download JSON", tl.to_json(frame), f"{stem}.json", "application/json")


def main() -> None:
    st.set_page_config(page_title="Alternate-history timeline explorer", layout="wide")
    view = view_from_params(st.query_params.to_dict())
    if "event" not in st.session_state:
        st.session_state["event"] = view.event
    content, name = pick_source(view)
    timeline, frame, problems = load(content, name)
    if timeline is None or frame is None:
        st.error(f"{name} could not be loaded:\n\n" + "\n".join(f"- {p}" for p in problems))
        return
    view = sidebar_filters(timeline, frame, View(view.query, view.event, st.session_state["data"]))
    st.sidebar.button("Reset filters", on_click=reset_view)

    st.title(timeline.title)
    if timeline.description:
        st.caption(timeline.description)
    shown = tl.filter_events(frame, view.query)
    if shown.empty:
        st.info("No events match these filters.")
        st.button("Show everything again", on_click=reset_view, key="reset-empty")
        st.query_params.from_dict(params_from_view(view))
        return
    headline_row(shown, timeline)
    selected = st.session_state.get("event")
    chart = st.plotly_chart(
        timeline_figure(shown, timeline, selected=selected, era=view.query.era),
        on_select="rerun",
        selection_mode="points",
        key="chart",
    )
    clicked = selected_from_chart(chart)
    if clicked is not None and clicked != selected:
        st.session_state["event"] = clicked
        st.rerun()
    if selected and selected in set(frame["id"]):
        details_panel(timeline, frame, selected)
    else:
        st.caption("Click an event in the chart to see its details.")
    with st.expander("Table of the events shown", expanded=False):
        table(shown, name)
    st.query_params.from_dict(
        params_from_view(View(view.query, st.session_state.get("event"), view.data))
    )


try:
    main()
except Exception as exc:  # the boundary: a user sees a message, never a traceback
    st.error(f"Something went wrong: {type(exc).__name__}. Reset the filters or reload the page.")
