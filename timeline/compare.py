"""Pairing the two histories: counterpart pairs, gaps and headline numbers."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .dates import HDate, gap_label, gap_range
from .frame import KEY_SEPARATOR, among, fast_rows
from .schema import Era

PAIR_COLUMNS: tuple[str, ...] = (
    "reference_id",
    "reference_title",
    "reference_date",
    "reference_x",
    "diverged_id",
    "diverged_title",
    "diverged_date",
    "diverged_x",
    "gap_years",
    "gap",
    "status",
    "category",
    "gap_surely_nonzero",
)


def _apart(a: HDate, b: HDate) -> bool:
    """Whether two dates surely differ: every moment their ranges allow puts them apart.

    An open end (`../1990`: by 1990) leaves that side of the gap unbounded.
    """
    low, high = gap_range(a, b)
    if a.open == "end" or b.open == "start":
        low = -math.inf
    if a.open == "start" or b.open == "end":
        high = math.inf
    return low > 0 or high < 0


def counterpart_pairs(frame: pd.DataFrame, gaps: bool = True) -> pd.DataFrame:
    """Reference/diverged pairs with both sides in `frame`; gap = diverged − reference (its
    label None with `gaps=False`: the headline shows one, and 100k events hold ~17k pairs)."""
    # One row per link: an event may have several counterparts; both ends must name each other.
    linked = frame[frame["counterpart"].notna()]
    ref = linked[linked["history"] == "reference"].explode("counterpart")
    div = linked[linked["history"] == "diverged"].explode("counterpart")
    ref["counterpart"], div["counterpart"] = (
        ref["counterpart"].astype(str),
        div["counterpart"].astype(str),
    )
    ref["id"], div["id"] = ref["id"].astype(str), div["id"].astype(str)
    merged = ref.merge(
        div, left_on=["counterpart", "id"], right_on=["id", "counterpart"], suffixes=("_r", "_d")
    )
    out = pd.DataFrame(
        {
            "reference_id": merged["id_r"],
            "reference_title": merged["title_r"],
            "reference_date": merged["date_label_r"],
            "reference_x": merged["x_r"],
            "diverged_id": merged["id_d"],
            "diverged_title": merged["title_d"],
            "diverged_date": merged["date_label_d"],
            "diverged_x": merged["x_d"],
            "gap_years": merged["x_d"] - merged["x_r"],
            "status": merged["status_d"],
            "category": merged["category_d"],
        },
        columns=PAIR_COLUMNS,
    )
    # Gaps come from the dates' ranges, in one place (dates.py): never finer than the dates.
    ends = list(zip(merged["hdate_r"], merged["hdate_d"], strict=True))
    out["gap"] = [gap_label(a, b) for a, b in ends] if gaps else None
    out["gap_surely_nonzero"] = [_apart(a, b) for a, b in ends]
    return out.sort_values("reference_x", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    """The numbers shown above the charts for the events in view."""

    events: int
    per_lane: dict[str, int]
    pairs: int
    per_status: dict[str, int]
    moved: int  # counterpart pairs whose dates surely differ (beyond the dates' precision)
    largest_shift: str | None  # e.g. "about +8 y: First woman on the Moon"
    one_sided: int  # milestones reached in one history only


def _moved(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs whose dates surely differ: every date their ranges allow puts them apart."""
    return pairs[pairs["gap_surely_nonzero"].astype(bool)]


def headline(frame: pd.DataFrame, every_pair: pd.DataFrame | None = None) -> Headline:
    """The numbers of `frame`'s events. `every_pair`: `counterpart_pairs(whole, gaps=False)` of
    a frame holding `frame`'s rows, worked out once per file; the pairs in view are taken
    from it instead of pairing the events again on every filter change."""
    if every_pair is None:
        pairs = counterpart_pairs(frame, gaps=False)
    else:
        ids = set(frame["id"].tolist())
        both = among(every_pair["reference_id"], ids) & among(every_pair["diverged_id"], ids)
        pairs = every_pair[both]
    moved = _moved(pairs)
    largest = None
    if len(moved):
        top = moved.iloc[int(moved["gap_years"].abs().to_numpy().argmax())]
        ends = frame[among(frame["id"], {top["reference_id"], top["diverged_id"]})]
        when = dict(zip(ends["id"], ends["hdate"], strict=True))
        gap = gap_label(when[top["reference_id"]], when[top["diverged_id"]])
        largest = f"{gap}: {top['reference_title']}"
    diverged = frame[frame["history"] == "diverged"]
    return Headline(
        events=len(frame),
        per_lane={str(k): int(v) for k, v in frame["lane"].value_counts().items()},
        pairs=len(pairs),
        per_status={str(k): int(v) for k, v in diverged["status"].value_counts().items()},
        moved=len(moved),
        largest_shift=largest,
        one_sided=len(_one_sided(frame, pairs)),
    )


HEADLINE_HELP: dict[str, str] = {
    "events": "Events that match the filters in the two histories compared: each one's own, "
    "those in both, and production. (The branch map and other whole-tree tabs show every "
    "history.)",
    "moved": "Counterpart pairs in view whose two dates differ by more than the vaguer date's "
    "precision: a pair dated 'July 1969' and '20 July 1969' has not moved.",
    "largest": "The pair in view whose dates lie furthest apart, and by how much.",
    "one_sided": "Milestones in view (events tagged 'milestone', outside production) that one "
    "history reaches and the other does not, or does not tell.",
}


MILESTONE_TAG = "milestone"
NOT_YET = "not reached, as of today"
NOT_TOLD = "not told"
NEVER = "never: prevented"


def _one_sided(frame: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Milestones (tag `milestone`, world events) of one history with no counterpart in view."""
    tagged = frame["tag_keys"].str.contains(f"{KEY_SEPARATOR}{MILESTONE_TAG}{KEY_SEPARATOR}")
    lonely = frame[
        tagged & (frame["layer"] == "world") & frame["history"].isin(["reference", "diverged"])
    ]
    paired = set(pairs["reference_id"]) | set(pairs["diverged_id"])
    return lonely[~among(lonely["id"], paired)]


def missing_reason(history: str, status: object) -> str:
    """Why a one-sided milestone has no date in the other history."""
    if status == "untold":
        return NOT_TOLD
    if status == "prevented":
        return NEVER
    # A diverged-only milestone is one our history has not reached (yet); a milestone of ours
    # that the diverged story leaves out is simply not told.
    return NOT_YET if history == "diverged" else NOT_TOLD


def milestones(frame: pd.DataFrame) -> pd.DataFrame:
    """Counterpart pairs plus milestones reached in one history only, in date order."""
    pairs = counterpart_pairs(frame)
    # A milestone of ours reached by several events of the other history (Apollo 11 by a Soviet
    # landing and by a later Apollo 11) names each version: two rows of one title look doubled.
    several = set(pairs["reference_id"][pairs["reference_id"].duplicated()])
    rows = [
        {
            "milestone": f"{p.reference_title} ↔ {p.diverged_title}"
            if p.reference_id in several
            else p.reference_title,
            "reference_id": p.reference_id,
            "reference_date": p.reference_date,
            "reference_x": p.reference_x,
            "diverged_id": p.diverged_id,
            "diverged_title": p.diverged_title,
            "diverged_date": p.diverged_date,
            "diverged_x": p.diverged_x,
            "gap": p.gap,
            "status": p.status,
        }
        for p in fast_rows(pairs)
    ]
    for ev in fast_rows(_one_sided(frame, pairs)):
        ref = ev.history == "reference"
        reason = missing_reason(ev.history, ev.status)
        rows.append(
            {
                "milestone": ev.title,
                "reference_id": ev.id if ref else None,
                "reference_date": ev.date_label if ref else reason,
                "reference_x": ev.x if ref else None,
                "diverged_id": None if ref else ev.id,
                "diverged_title": None if ref else ev.title,
                "diverged_date": reason if ref else ev.date_label,
                "diverged_x": None if ref else ev.x,
                "gap": "in one history only",
                "status": ev.status,
            }
        )
    out = pd.DataFrame(rows, columns=MILESTONE_COLUMNS)
    first = out[["reference_x", "diverged_x"]].min(axis=1)
    out = out.assign(_order=first).sort_values("_order", kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


MILESTONE_COLUMNS = (
    "milestone",
    "reference_id",
    "reference_date",
    "reference_x",
    "diverged_id",
    "diverged_title",
    "diverged_date",
    "diverged_x",
    "gap",
    "status",
)
DRIFT_STATUSES = ("shifted", "replaced", "new", "prevented")


def drift_by_year(frame: pd.DataFrame, first_year: int | None) -> pd.DataFrame:
    """Cumulative count of changed events per status, at `first_year` (the divergence's; None
    when the filters hide it) and each year with a change.

    Diverged events count by their status; reference events count when `prevented`. Only years
    that hold events are rows (a chart draws steps between them), so the size follows the data,
    not the span: two events a million years apart make two rows, not a million.
    """
    world = frame[(frame["layer"] == "world") & frame["status"].isin(DRIFT_STATUSES)]
    world = world[(world["history"] == "diverged") | (world["status"] == "prevented")]
    years = (world["start"] // 1).astype(int)
    firsts = set() if first_year is None else {first_year}
    index = pd.Index(sorted(firsts | set(years.tolist())), name="year")
    counts = pd.crosstab(years, world["status"]).reindex(index=index, fill_value=0)
    counts = counts.reindex(columns=list(DRIFT_STATUSES), fill_value=0)
    counts.columns.name = None
    return counts.cumsum().astype(int)


def ripple(
    frame: pd.DataFrame, divergence: str, causes: Mapping[str, Sequence[str]] | None = None
) -> pd.DataFrame:
    """Events of `frame` reachable from the divergence through `causes`, with their causal depth.

    `causes` holds every event of the pair (each id's causes), so steps are counted through
    events the filters hide: an era after the divergence still shows what it led to there.
    Without it, only the frame's own events are walked.
    """
    if causes is None:
        causes = dict(zip(frame["id"], frame["causes"], strict=True))
    children: dict[str, list[str]] = {}
    for event_id, its_causes in causes.items():
        for cause in its_causes:
            children.setdefault(cause, []).append(event_id)
    depth = {divergence: 0} if divergence in causes else {}
    queue = deque(depth)
    while queue:  # breadth first: depth is the shortest causal distance
        node = queue.popleft()
        for child in children.get(node, []):
            if child not in depth:
                depth[child] = depth[node] + 1
                queue.append(child)
    rows = frame[among(frame["id"], depth)].copy()
    rows["depth"] = rows["id"].map(depth).astype(int)
    rows["parents"] = rows["causes"].map(lambda cs: [c for c in cs if c in depth])
    cols = ["id", "title", "date_label", "x", "depth", "parents", "status", "lane"]
    return rows[cols].sort_values(["depth", "x"], kind="stable").reset_index(drop=True)


JUMP_COLUMNS = ("id", "title", "released", "released_x", "setting", "set_from", "set_to")


def time_jumps(frame: pd.DataFrame, eras: dict[str, tuple[float, float, str]]) -> pd.DataFrame:
    """Each release (a production event with a `setting`): when it came out, the years it is set in.

    `eras` maps era id to (start, stop, label). A release set in several spans has a row for
    each. A release whose setting era is unknown keeps its row with no years, so the chart can
    say so instead of dropping it.
    """
    rows = frame[(frame["layer"] == "production") & frame["setting"].notna()]
    out = pd.DataFrame(
        [
            {
                "id": r.id,
                "title": r.title,
                "released": r.date_label,
                "released_x": r.x,
                "setting": eras[s][2] if s in eras else None,
                "set_from": eras[s][0] if s in eras else None,
                "set_to": eras[s][1] if s in eras else None,
            }
            for r in fast_rows(rows.sort_values("x", kind="stable"))
            for s in ([r.setting] if isinstance(r.setting, str) else r.setting)
        ],
        columns=list(JUMP_COLUMNS),
    )
    for column in ("released_x", "set_from", "set_to"):
        out[column] = out[column].astype(float)
    out["years_before_release"] = out["released_x"] - out["set_from"]
    return out


def era_summary(frame: pd.DataFrame, era_labels: dict[str, str]) -> pd.DataFrame:
    """Per era: events in each lane and diverged events by status."""
    exploded = frame.explode("eras").dropna(subset=["eras"])
    lanes = pd.crosstab(exploded["eras"], exploded["lane"])
    diverged = exploded[exploded["history"] == "diverged"]
    statuses = pd.crosstab(diverged["eras"], diverged["status"])
    table = lanes.join(statuses, how="left").fillna(0).astype(int)
    columns = ["reference", "diverged", "shared", "production", "shifted", "replaced", "new"]
    table = table.reindex(index=[e for e in era_labels if e in table.index], columns=columns)
    table = table.fillna(0).astype(int)
    table.insert(0, "era", [era_labels[e] for e in table.index])
    table.index.name = "era_id"
    table.columns.name = None
    return table.reset_index()


SIDE_COLUMNS = ("when", "reference", "diverged", "gap", "status")


def side_by_side(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of 'reference | diverged' aligned by counterpart, in order of each row's `when`.

    `when` is the earlier date of the row, so the table reads in true date order by its first
    column; lone events sit on their own side.
    """
    pairs = counterpart_pairs(frame)
    paired = set(pairs["reference_id"]) | set(pairs["diverged_id"])
    rows = [
        (
            min(p.reference_x, p.diverged_x),
            p.reference_date if p.reference_x <= p.diverged_x else p.diverged_date,
            p.reference_title,
            p.diverged_title,
            p.gap,
            p.status,
        )
        for p in fast_rows(pairs)
    ]
    lone = frame[
        (frame["layer"] == "world")
        & frame["history"].isin(["reference", "diverged"])
        & ~among(frame["id"], paired)
    ]
    for ev in fast_rows(lone):
        ref = ev.history == "reference"
        rows.append(
            (ev.x, ev.date_label, ev.title if ref else "", "" if ref else ev.title, "", ev.status)
        )
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame([r[1:] for r in rows], columns=list(SIDE_COLUMNS))


def era_span_label(era: Era) -> str:
    """`1969–1974`, `1983`: a year-precision end covers its year and no more."""
    start, end = era.start.label(), era.end.label()
    return start if start == end else f"{start}–{end}"


def era_spans(eras: list[Era]) -> dict[str, tuple[float, float, str]]:
    """Era id to (start, stop, label) in decimal years."""
    return {e.id: (e.start.start(), e.end.stop(), e.label) for e in eras}
