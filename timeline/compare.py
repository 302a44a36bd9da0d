"""Pairing the two histories: counterpart pairs, gaps and headline numbers."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from .frame import fast_rows
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
    "precision",
    "status",
    "category",
)


def gap_label(years: float, precision: str = "day") -> str:
    """A signed gap as people say it (`+14 y`, `−1 month`), no finer than the dates allow."""
    sign = "+" if years > 0 else "−"
    size = abs(years)
    if precision == "decade":
        return "same decade" if size < 5 else f"{sign}{size:.0f} y"
    if precision == "year":
        return "same year" if size < 0.5 else f"{sign}{size:.0f} y"
    if precision == "month" and size * 12 < 0.5:
        return "same month"
    if size * 365.25 < 0.5:
        return "same day"
    if precision == "day" and size * 365.25 < 59.5:
        days = round(size * 365.25)
        return f"{sign}{days} day" + ("s" if days != 1 else "")
    if size < 0.95:
        months = max(1, round(size * 12))
        return f"{sign}{months} month" + ("s" if months != 1 else "")
    return f"{sign}{size:.0f} y" if size >= 9.5 else f"{sign}{size:.1f} y".replace(".0 y", " y")


_COARSENESS = {"day": 0, "month": 1, "year": 2, "decade": 3}


def coarser(a: str, b: str) -> str:
    """The coarser of two precisions: a gap is only as exact as its vaguer date."""
    return a if _COARSENESS[a] >= _COARSENESS[b] else b


def counterpart_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """Reference/diverged pairs with both sides in `frame`; gap = diverged − reference."""
    ref = frame[(frame["history"] == "reference") & frame["counterpart"].notna()]
    div = frame[(frame["history"] == "diverged") & frame["counterpart"].notna()]
    merged = ref.merge(div, left_on="counterpart", right_on="id", suffixes=("_r", "_d"))
    merged = merged[merged["counterpart_d"] == merged["id_r"]]
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
            "precision": [
                coarser(a, b)
                for a, b in zip(merged["precision_r"], merged["precision_d"], strict=True)
            ],
            "status": merged["status_d"],
            "category": merged["category_d"],
        },
        columns=PAIR_COLUMNS,
    )
    out["gap"] = [gap_label(g, p) for g, p in zip(out["gap_years"], out["precision"], strict=True)]
    return out.sort_values("reference_x", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    """The numbers shown above the charts for the current filter."""

    events: int
    per_lane: dict[str, int]
    pairs: int
    per_status: dict[str, int]
    median_gap_years: float | None


def _pair_gaps(frame: pd.DataFrame) -> pd.Series:
    """Years between the two sides of each pair in `frame`: `counterpart_pairs` without labels."""
    cols = ["id", "counterpart", "x"]
    ref = frame.loc[(frame["history"] == "reference") & frame["counterpart"].notna(), cols]
    div = frame.loc[(frame["history"] == "diverged") & frame["counterpart"].notna(), cols]
    merged = ref.merge(div, left_on="counterpart", right_on="id", suffixes=("_r", "_d"))
    merged = merged[merged["counterpart_d"] == merged["id_r"]]
    return merged["x_d"] - merged["x_r"]


def headline(frame: pd.DataFrame) -> Headline:
    gaps = _pair_gaps(frame).abs()
    diverged = frame[frame["history"] == "diverged"]
    return Headline(
        events=len(frame),
        per_lane={cast(str, k): int(v) for k, v in frame["lane"].value_counts().items()},
        pairs=len(gaps),
        per_status={cast(str, k): int(v) for k, v in diverged["status"].value_counts().items()},
        median_gap_years=float(gaps.median()) if len(gaps) else None,
    )


MILESTONE_TAG = "milestone"
NEVER = "never, as of today"


def milestones(frame: pd.DataFrame) -> pd.DataFrame:
    """Counterpart pairs plus milestones (tag `milestone`) reached in one history only."""
    pairs = counterpart_pairs(frame)
    rows = [
        {
            "milestone": p.reference_title,
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
    tagged = frame["tags"].map(lambda tags: MILESTONE_TAG in tags)
    lonely = frame[tagged & frame["history"].isin(["reference", "diverged"])]
    paired_ids = set(pairs["reference_id"]) | set(pairs["diverged_id"])
    for ev in fast_rows(lonely[~lonely["id"].isin(paired_ids)]):
        ref = ev.history == "reference"
        rows.append(
            {
                "milestone": ev.title,
                "reference_id": ev.id if ref else None,
                "reference_date": ev.date_label if ref else NEVER,
                "reference_x": ev.x if ref else None,
                "diverged_id": None if ref else ev.id,
                "diverged_title": None if ref else ev.title,
                "diverged_date": NEVER if ref else ev.date_label,
                "diverged_x": None if ref else ev.x,
                "gap": "only in one history",
                "status": ev.status,
            }
        )
    out = pd.DataFrame(rows, columns=MILESTONE_COLUMNS)
    order = out["reference_x"].fillna(out["diverged_x"])
    return out.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")


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


def drift_by_year(frame: pd.DataFrame, first_year: int) -> pd.DataFrame:
    """Cumulative count of changed events per status, year by year from `first_year`.

    Diverged events count by their status; reference events count when `prevented`.
    """
    world = frame[(frame["layer"] == "world") & frame["status"].isin(DRIFT_STATUSES)]
    world = world[(world["history"] == "diverged") | (world["status"] == "prevented")]
    years = world["start"].map(lambda s: int(s // 1))
    last = max([first_year, *years]) if len(years) else first_year
    index = pd.RangeIndex(first_year, last + 1, name="year")
    counts = pd.crosstab(years, world["status"]).reindex(index=index, fill_value=0)
    counts = counts.reindex(columns=list(DRIFT_STATUSES), fill_value=0)
    counts.columns.name = None
    return counts.cumsum().astype(int)


def ripple(frame: pd.DataFrame, divergence: str) -> pd.DataFrame:
    """Events reachable from the divergence through `causes`, with their causal depth."""
    children: dict[str, list[str]] = {}
    for event_id, causes in zip(frame["id"], frame["causes"], strict=True):
        for cause in causes:
            children.setdefault(cause, []).append(event_id)
    depth = {divergence: 0} if divergence in set(frame["id"]) else {}
    queue = deque(depth)
    while queue:  # breadth first: depth is the shortest causal distance
        node = queue.popleft()
        for child in children.get(node, []):
            if child not in depth:
                depth[child] = depth[node] + 1
                queue.append(child)
    rows = frame[frame["id"].isin(depth)].copy()
    rows["depth"] = rows["id"].map(depth).astype(int)
    rows["parents"] = rows["causes"].map(lambda cs: [c for c in cs if c in depth])
    cols = ["id", "title", "date_label", "x", "depth", "parents", "status", "lane"]
    return rows[cols].sort_values(["depth", "x"], kind="stable").reset_index(drop=True)


def time_jumps(frame: pd.DataFrame, eras: dict[str, tuple[float, float, str]]) -> pd.DataFrame:
    """Each production event with a `setting`: its release date against the years it is set in.

    `eras` maps era id to (start, stop, label).
    """
    rows = frame[(frame["layer"] == "production") & frame["setting"].isin(list(eras))]
    out = pd.DataFrame(
        [
            {
                "id": r.id,
                "title": r.title,
                "released": r.date_label,
                "released_x": r.x,
                "setting": eras[r.setting][2],
                "set_from": eras[r.setting][0],
                "set_to": eras[r.setting][1],
            }
            for r in cast(Iterable[Any], rows.sort_values("x", kind="stable").itertuples())
        ],
        columns=["id", "title", "released", "released_x", "setting", "set_from", "set_to"],
    )
    for column in ("released_x", "set_from", "set_to"):
        out[column] = out[column].astype(float)
    out["years_before_release"] = out["released_x"] - out["set_from"]
    out["jump_years"] = out["set_from"].diff()
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


def side_by_side(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of 'reference | diverged' aligned by counterpart; lone events on their own side."""
    pairs = counterpart_pairs(frame)
    paired = set(pairs["reference_id"]) | set(pairs["diverged_id"])
    rows = [
        (
            min(p.reference_x, p.diverged_x),
            f"{p.reference_date}: {p.reference_title}",
            f"{p.diverged_date}: {p.diverged_title}",
            p.gap,
            p.status,
        )
        for p in fast_rows(pairs)
    ]
    lone = frame[
        (frame["layer"] == "world")
        & frame["history"].isin(["reference", "diverged"])
        & ~frame["id"].isin(paired)
    ]
    for ev in fast_rows(lone):
        text = f"{ev.date_label}: {ev.title}"
        ref = ev.history == "reference"
        rows.append((ev.x, text if ref else "", "" if ref else text, "", ev.status or ""))
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame([r[1:] for r in rows], columns=["reference", "diverged", "gap", "status"])


def era_spans(eras: list[Era]) -> dict[str, tuple[float, float, str]]:
    """Era id to (start, stop, label) in decimal years."""
    return {e.id: (e.start.start(), e.end.stop(), e.label) for e in eras}
