"""Alternate-history timelines: load, validate, filter, compare and chart them.

Names are imported on first use (PEP 562), so `python -m timeline validate` never loads pandas.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# The public API, once: each name and the module it lives in.
_HOME = {
    "EXPORT_COLUMNS": "frame",
    "Comparison": "schema",
    "Confidence": "schema",
    "Details": "details",
    "Era": "schema",
    "Event": "schema",
    "HDate": "dates",
    "HistoryNode": "schema",
    "Headline": "compare",
    "History": "schema",
    "Layer": "schema",
    "Precision": "dates",
    "Problem": "errors",
    "Query": "query",
    "Source": "schema",
    "Status": "schema",
    "Timeline": "schema",
    "TimelineError": "errors",
    "Tree": "tree",
    "compare_pair": "tree",
    "counterpart_pairs": "compare",
    "default_pair": "tree",
    "dump_timeline": "export",
    "escape_markdown": "text",
    "escape_plotly": "text",
    "event_details": "details",
    "filter_events": "filters",
    "gap_label": "dates",
    "headline": "compare",
    "json_schema": "schema",
    "load_timeline": "load",
    "markdown_link": "text",
    "parse_timeline": "load",
    "printable": "text",
    "records": "export",
    "source_markdown": "export",
    "to_csv": "export",
    "to_frame": "frame",
    "to_json": "export",
    "to_markdown": "export",
    "to_timelinejs": "export",
    "tree_json": "tree",
    "validate_timeline": "load",
}
__all__ = list(_HOME)


def __getattr__(name: str) -> Any:
    """Import a public name's module (or a submodule) the first time it is used."""
    home = _HOME.get(name)
    if home is None:
        try:
            return import_module(f".{name}", __name__)  # `timeline.export` and the like
        except ModuleNotFoundError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
