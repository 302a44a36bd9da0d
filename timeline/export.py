"""Writing a timeline out: flat JSON/CSV rows, or the whole timeline as loadable JSON."""

from __future__ import annotations

import html
import json
import re
from typing import Any, cast

import pandas as pd

from .compare import counterpart_pairs, gap_label, headline
from .dates import HDate, Precision
from .frame import EXPORT_COLUMNS
from .schema import Timeline
from .style import lane_labels


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The export columns of each row as plain JSON-ready values."""
    out = []
    for row in cast(list[dict[str, Any]], frame[list(EXPORT_COLUMNS)].to_dict("records")):
        out.append({k: (None if _missing(v) else v) for k, v in row.items()})
    return out


def _missing(value: Any) -> bool:
    return not isinstance(value, list) and pd.isna(value)


def to_json(frame: pd.DataFrame) -> str:
    return json.dumps(records(frame), ensure_ascii=False, indent=2) + "\n"


def to_csv(frame: pd.DataFrame) -> str:
    flat = frame[list(EXPORT_COLUMNS)].copy()
    for column in ("causes", "sources", "tags"):
        flat[column] = flat[column].map("; ".join)
    return flat.to_csv(index=False, lineterminator="\n")


def dump_timeline(timeline: Timeline) -> dict[str, Any]:
    """The timeline in its file format, as plain data; loading it back gives the same timeline."""
    return timeline.model_dump(mode="json", exclude_none=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~$])")


def escape_markdown(text: object) -> str:
    """Data shown through Markdown stays literal text: no links, images or markup."""
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text)).replace("\n", " ")


def to_markdown(frame: pd.DataFrame, timeline: Timeline, view: str = "") -> str:
    """A report of the events shown: counts, counterpart pairs with gaps, changes by status."""
    ref, div = timeline.histories.reference.label, timeline.histories.diverged.label
    h = headline(frame)
    lines = [f"# {timeline.title}: {ref} vs {div}", ""]
    if view:
        lines += [f"View: {view}", ""]
    lines += [
        f"- Events shown: {h.events}",
        f"- {ref}: {h.per_lane.get('reference', 0)}; {div}: {h.per_lane.get('diverged', 0)}; "
        f"both: {h.per_lane.get('shared', 0)}; production: {h.per_lane.get('production', 0)}",
        f"- Counterpart pairs: {h.pairs}",
    ]
    if h.median_gap_years is not None:
        median = gap_label(h.median_gap_years).lstrip("+")
        lines.append(f"- Median gap between counterparts: {median}")
    if h.per_status:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(h.per_status.items()))
        lines.append(f"- {div} events by status: {counts}")
    pairs = counterpart_pairs(frame)
    if len(pairs):
        lines += [
            "",
            "## Counterparts",
            "",
            f"| {ref} | {div} | Gap | Status |",
            "| --- | --- | --- | --- |",
        ]
        for p in pairs.itertuples():
            left = f"{escape_markdown(p.reference_date)}: {escape_markdown(p.reference_title)}"
            right = f"{escape_markdown(p.diverged_date)}: {escape_markdown(p.diverged_title)}"
            lines.append(
                f"| {left} | {right} | {escape_markdown(p.gap)} | {escape_markdown(p.status)} |"
            )
    for status in ("new", "prevented"):
        rows = frame[frame["status"] == status]
        if len(rows):
            title = f"Only in {div}" if status == "new" else f"Prevented in {div}"
            lines += ["", f"## {title}", ""]
            lines += [
                f"- {escape_markdown(r.date_label)}: {escape_markdown(r.title)}"
                for r in rows.itertuples()
            ]
    return "\n".join(lines) + "\n"


def _tljs_date(d: HDate) -> dict[str, int]:
    out = {"year": d.year}
    if d.precision in (Precision.day, Precision.month):
        out["month"] = d.month
    if d.precision is Precision.day:
        out["day"] = d.day
    return out


def to_timelinejs(frame: pd.DataFrame, timeline: Timeline) -> dict[str, Any]:
    """The events shown in TimelineJS's JSON format, one group per history."""
    labels = lane_labels(timeline)
    by_id = {e.id: e for e in timeline.events}
    events = []
    row: Any  # itertuples() rows: pandas types their fields as any scalar
    for row in frame.itertuples():
        ev = by_id[row.id]
        item: dict[str, Any] = {
            "unique_id": ev.id,
            "start_date": _tljs_date(ev.date),
            "text": {"headline": html.escape(ev.title), "text": html.escape(ev.summary)},
            "group": labels[row.lane],
            "display_date": row.date_label,
        }
        if ev.end:
            item["end_date"] = _tljs_date(ev.end)
        events.append(item)
    eras = [
        {
            "start_date": _tljs_date(e.start),
            "end_date": _tljs_date(e.end),
            "text": {"headline": html.escape(e.label)},
        }
        for e in timeline.eras
    ]
    return {
        "title": {
            "text": {
                "headline": html.escape(timeline.title),
                "text": html.escape(timeline.description),
            }
        },
        "events": events,
        "eras": eras,
    }
