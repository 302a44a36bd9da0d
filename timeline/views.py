"""The views of a timeline, as one list: each its name, data, figure, table and empty message.

The app draws a tab per entry, the benchmark and the tests walk the same list. Adding a view is
one entry here (its data in `compare.py`, its figure in `figures.py`) and its test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from . import compare
from . import figures as fg
from .schema import Comparison, Status, Timeline
from .style import lane_labels, status_name


@dataclass(frozen=True)
class Built:
    """A view made for the events in view: its data, figure (if any), what its statuses mean,
    and its table, made when first read (a view's table is shown only once opened)."""

    data: pd.DataFrame
    figure: go.Figure | None
    make_table: Callable[[], pd.DataFrame]
    empty: str | None  # why there is nothing to show, when there is nothing
    statuses: str = ""  # the caption's note on the statuses the table lists ("" for none)

    @cached_property
    def table(self) -> pd.DataFrame:
        """The view's table (at 100k events ~0.3 s: built only for a view opened)."""
        return self.make_table()


def _note(data: pd.DataFrame, status_column: bool) -> str:
    """The caption's note for a view whose table has a Status column, from its data's."""
    return status_note(data["status"]) if status_column else ""


@dataclass(frozen=True)
class View:
    """One tab: what it computes from the shown events, and how it draws and tabulates it."""

    name: str
    compute: Callable[[Comparison, pd.DataFrame], pd.DataFrame]
    figure: Callable[[pd.DataFrame, Comparison, str | None, str | None], go.Figure] | None
    table: Callable[[pd.DataFrame, Comparison], pd.DataFrame]
    empty: Callable[[Comparison], str]
    clickable: bool = True  # points map back to events
    status_column: bool = False  # its table lists each row's status (a caption explains them)

    def build(
        self, timeline: Comparison, shown: pd.DataFrame, selected: str | None, era: str | None
    ) -> Built:
        data = self.compute(timeline, shown)
        if data.empty:
            return Built(data, None, lambda: data, self.empty(timeline))
        figure = self.figure(data, timeline, selected, era) if self.figure else None
        table = self.table
        return Built(
            data, figure, lambda: table(data, timeline), None, _note(data, self.status_column)
        )


def status_note(statuses: pd.Series) -> str:
    """What the statuses in a table mean, for the caption under it."""
    seen = {s for s in statuses.dropna().unique() if isinstance(s, str) and s}
    return " · ".join(f"{st.label}: {st.explanation}" for st in Status if st.value in seen)


def era_names(timeline: Comparison | Timeline, ids: list[str]) -> str:
    labels = {e.id: e.label for e in timeline.eras}
    return ", ".join(labels[i] for i in ids if i in labels)


# --- the data each view computes -----------------------------------------------------------


def _events(timeline: Comparison, shown: pd.DataFrame) -> pd.DataFrame:
    return shown


def _milestones(timeline: Comparison, shown: pd.DataFrame) -> pd.DataFrame:
    return compare.milestones(shown)


def _drift(timeline: Comparison, shown: pd.DataFrame) -> pd.DataFrame:
    pod = timeline.divergence_event()
    # A view that hides the divergence (an era after it) starts at its own first change, not
    # with years of zero that would say nothing had changed yet.
    first = pod.date.year if (shown["id"] == pod.id).any() else None
    drift = compare.drift_by_year(shown, first)
    return drift if drift.to_numpy().any() else drift.iloc[0:0]


def _ripple(timeline: Comparison, shown: pd.DataFrame) -> pd.DataFrame:
    causes = {e.id: e.causes for e in timeline.events}  # the whole pair: steps through hidden ones
    return compare.ripple(shown, timeline.own_divergence, causes)


def _jumps(timeline: Comparison, shown: pd.DataFrame) -> pd.DataFrame:
    return compare.time_jumps(shown, compare.era_spans(timeline.eras))


def _per_era(timeline: Comparison, shown: pd.DataFrame) -> pd.DataFrame:
    return compare.era_summary(shown, {e.id: e.label for e in timeline.eras})


def _side(timeline: Comparison, shown: pd.DataFrame) -> pd.DataFrame:
    return compare.side_by_side(shown)


# --- the tables, in the user's words: labels first, ids last --------------------------------


def events_table(shown: pd.DataFrame, timeline: Comparison | Timeline) -> pd.DataFrame:
    labels = lane_labels(timeline)
    return pd.DataFrame(
        {
            "Date": shown["date_label"],
            "Event": shown["title"],
            "History": shown["lane"].map(labels),
            "Category": shown["category"],
            "Status": shown["status"].map(status_name),
            "Eras": [era_names(timeline, ids) for ids in shown["eras"]],
            "id": shown["id"],
        }
    )


def _milestones_table(data: pd.DataFrame, timeline: Comparison) -> pd.DataFrame:
    labels = lane_labels(timeline)
    return pd.DataFrame(
        {
            "Milestone": data["milestone"],
            labels["reference"]: data["reference_date"],
            labels["diverged"]: data["diverged_date"],
            "Gap": data["gap"],
            "Status": data["status"].map(status_name),
        }
    )


def _drift_table(data: pd.DataFrame, timeline: Comparison) -> pd.DataFrame:
    table = data.rename(columns={s: Status(s).label for s in data.columns}).reset_index()
    return table.rename(columns={"year": "Year"})


def _ripple_table(data: pd.DataFrame, timeline: Comparison) -> pd.DataFrame:
    labels = lane_labels(timeline)
    return pd.DataFrame(
        {
            "Steps from the divergence": data["depth"],
            "Date": data["date_label"],
            "Event": data["title"],
            "History": data["lane"].map(labels),
            "Status": data["status"].map(status_name),
        }
    )


def _jumps_table(data: pd.DataFrame, timeline: Comparison) -> pd.DataFrame:
    spans = {e.label: compare.era_span_label(e) for e in timeline.eras}
    return pd.DataFrame(
        {
            "Release": data["title"],
            "Released": data["released"],
            "Set in": data["setting"].fillna("not known"),
            "Setting years": data["setting"].map(spans).fillna("not known"),
            "Years before release": data["years_before_release"].round(0).astype("Int64"),
        }
    )


def _per_era_table(data: pd.DataFrame, timeline: Comparison) -> pd.DataFrame:
    labels = lane_labels(timeline)
    return data.drop(columns=["era_id"]).rename(
        columns={
            "era": "Era",
            "reference": labels["reference"],
            "diverged": f"{labels['diverged']} (all)",
            "shared": labels["shared"],
            "production": "Production",
            "shifted": "of which shifted",
            "replaced": "of which replaced",
            "new": "of which new",
        }
    )


def side_by_side_table(data: pd.DataFrame, timeline: Comparison) -> pd.DataFrame:
    labels = lane_labels(timeline)
    return pd.DataFrame(
        {
            "When": data["when"],
            labels["reference"]: data["reference"],
            labels["diverged"]: data["diverged"],
            "Gap": data["gap"],
            "Status": data["status"].map(status_name),
        }
    )


def _no_divergence(timeline: Comparison) -> str:
    pod = timeline.own_divergence_event()
    return (
        f"Nothing in view follows from the point of divergence ({pod.title}, "
        f"{pod.date.label()}) through its causes: widen the era or years, or clear the history "
        "and text filters."
    )


VIEWS: tuple[View, ...] = (
    View(
        "Timeline",
        _events,
        lambda data, tl, selected, era: fg.timeline_figure(data, tl, selected, era),
        events_table,
        lambda tl: "No events match these filters.",
        status_column=True,
    ),
    View(
        "Milestones",
        _milestones,
        lambda data, tl, selected, era: fg.milestones_figure(data, tl, selected),
        _milestones_table,
        lambda tl: "No counterpart pairs or milestones in this view.",
        status_column=True,
    ),
    View(
        "Divergence over time",
        _drift,
        lambda data, tl, selected, era: fg.drift_figure(data, tl),
        _drift_table,
        lambda tl: "No changed events (shifted, replaced, new or prevented) in this view.",
        clickable=False,
    ),
    View(
        "Ripples",
        _ripple,
        lambda data, tl, selected, era: fg.ripple_figure(data, tl, selected),
        _ripple_table,
        _no_divergence,
        status_column=True,
    ),
    View(
        "Time jumps",
        _jumps,
        lambda data, tl, selected, era: fg.time_jumps_figure(data, tl),
        _jumps_table,
        lambda tl: "No releases (production events with a setting) in this view.",
    ),
    View(
        "Per era",
        _per_era,
        lambda data, tl, selected, era: fg.era_summary_figure(data, tl),
        _per_era_table,
        lambda tl: "No events in any era in this view.",
        clickable=False,
    ),
    View(
        "Side by side",
        _side,
        None,
        side_by_side_table,
        lambda tl: "No events of either history in this view.",
        clickable=False,
        status_column=True,
    ),
)
VIEW_NAMES: tuple[str, ...] = tuple(v.name for v in VIEWS)


def view_named(name: str | None) -> View:
    """The view with that tab name; the first (the timeline) for anything else."""
    return next((v for v in VIEWS if v.name == name), VIEWS[0])


# --- views of the whole tree: shown first when a timeline has more than two histories -------


@dataclass(frozen=True)
class TreeView:
    """A tab over every history at once; `focus` is a history the user singled out, `era`
    the era filtered to (the figures that draw eras highlight it)."""

    name: str
    compute: Callable[[Timeline, pd.DataFrame], pd.DataFrame]
    figure: Callable[[pd.DataFrame, Timeline, str | None, str | None, str | None], go.Figure]
    table: Callable[[pd.DataFrame, Timeline], pd.DataFrame]
    empty: str
    status_column: bool = False  # as View's

    def build(
        self,
        timeline: Timeline,
        shown: pd.DataFrame,
        selected: str | None,
        focus: str | None,
        era: str | None = None,
    ) -> Built:
        data = self.compute(timeline, shown)
        if data.empty:
            return Built(data, None, lambda: data, self.empty)
        figure = self.figure(data, timeline, selected, focus, era)
        table = self.table
        return Built(
            data, figure, lambda: table(data, timeline), None, _note(data, self.status_column)
        )


def _across(timeline: Timeline, shown: pd.DataFrame) -> pd.DataFrame:
    """Milestones with a version among the events in view (the filters apply)."""
    from .across import column, milestones_across
    from .frame import among

    data = milestones_across(timeline)
    ids = set(shown["id"].tolist())
    keep = pd.DataFrame({h.id: among(data[column(h.id, "id")], ids) for h in timeline.histories})
    return data[keep.any(axis=1).to_numpy()].reset_index(drop=True)


def _branch_map(
    data: pd.DataFrame, timeline: Timeline, selected: str | None, focus: str | None, era: str | None
) -> go.Figure:
    from .branchmap import branch_map_figure

    return branch_map_figure(data, timeline, selected, focus)


def _branch_table(data: pd.DataFrame, timeline: Timeline) -> pd.DataFrame:
    from .branchmap import branch_table

    return branch_table(timeline, data)


def _across_figure(
    data: pd.DataFrame, timeline: Timeline, selected: str | None, focus: str | None, era: str | None
) -> go.Figure:
    from .across import milestones_across_figure

    return milestones_across_figure(data, timeline, selected)


def _across_table(data: pd.DataFrame, timeline: Timeline) -> pd.DataFrame:
    from .across import milestones_across_table

    return milestones_across_table(data, timeline)


TREE_VIEWS: tuple[TreeView, ...] = (
    TreeView(
        "Branch map",
        lambda tl, shown: shown[shown["layer"] == "world"],
        _branch_map,
        _branch_table,
        "No events of any history in this view.",
    ),
    TreeView(
        "Every history",
        lambda tl, shown: shown,
        lambda data, tl, selected, focus, era: fg.timeline_figure(data, tl, selected, era),
        events_table,
        "No events match these filters.",
        status_column=True,
    ),
    TreeView(
        "Milestones, every history",
        _across,
        _across_figure,
        _across_table,
        "No milestones (events tagged 'milestone') in this view.",
    ),
)
TREE_VIEW_NAMES: tuple[str, ...] = tuple(v.name for v in TREE_VIEWS)
