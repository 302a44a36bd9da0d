"""Alternate-history timelines: load, validate, filter, compare and chart them.

Names are imported on first use (PEP 562), so `python -m timeline validate` never loads pandas.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "EXPORT_COLUMNS",
    "Confidence",
    "Details",
    "Era",
    "Event",
    "HDate",
    "Headline",
    "History",
    "Layer",
    "Precision",
    "Problem",
    "Query",
    "Source",
    "Status",
    "Timeline",
    "TimelineError",
    "counterpart_pairs",
    "dump_timeline",
    "escape_markdown",
    "event_details",
    "filter_events",
    "gap_label",
    "headline",
    "json_schema",
    "load_timeline",
    "parse_timeline",
    "records",
    "to_csv",
    "to_frame",
    "to_json",
    "to_markdown",
    "to_timelinejs",
    "validate_timeline",
]

# Where each public name lives; a test checks this table and __all__ hold the same names.
_HOME = {
    "EXPORT_COLUMNS": "frame",
    "Confidence": "schema",
    "Details": "details",
    "Era": "schema",
    "Event": "schema",
    "HDate": "dates",
    "Headline": "compare",
    "History": "schema",
    "Layer": "schema",
    "Precision": "dates",
    "Problem": "errors",
    "Query": "filters",
    "Source": "schema",
    "Status": "schema",
    "Timeline": "schema",
    "TimelineError": "errors",
    "counterpart_pairs": "compare",
    "dump_timeline": "export",
    "escape_markdown": "export",
    "event_details": "details",
    "filter_events": "filters",
    "gap_label": "compare",
    "headline": "compare",
    "json_schema": "schema",
    "load_timeline": "load",
    "parse_timeline": "load",
    "records": "export",
    "to_csv": "export",
    "to_frame": "frame",
    "to_json": "export",
    "to_markdown": "export",
    "to_timelinejs": "export",
    "validate_timeline": "load",
}


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is used."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
