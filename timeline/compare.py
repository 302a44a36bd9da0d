"""Pairing the two histories: counterpart pairs, gaps and headline numbers."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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


def headline(frame: pd.DataFrame) -> Headline:
    pairs = counterpart_pairs(frame)
    diverged = frame[frame["history"] == "diverged"]
    gaps = pairs["gap_years"].abs()
    return Headline(
        events=len(frame),
        per_lane={k: int(v) for k, v in frame["lane"].value_counts().items()},
        pairs=len(pairs),
        per_status={k: int(v) for k, v in diverged["status"].value_counts().items()},
        median_gap_years=float(gaps.median()) if len(gaps) else None,
    )
