"""Writing a timeline out: flat JSON/CSV rows, or the whole timeline as loadable JSON."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .frame import EXPORT_COLUMNS
from .schema import Timeline


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The export columns of each row as plain JSON-ready values."""
    out = []
    for row in frame[list(EXPORT_COLUMNS)].to_dict("records"):
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
