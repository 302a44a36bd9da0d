"""Alternate-history timelines: load, validate, filter, compare and chart them."""

from .compare import Headline, counterpart_pairs, headline
from .dates import HDate, Precision, gap_label
from .details import Details, event_details
from .errors import Problem, TimelineError
from .export import (
    dump_timeline,
    records,
    source_markdown,
    to_csv,
    to_json,
    to_markdown,
    to_timelinejs,
)
from .filters import Query, filter_events
from .frame import EXPORT_COLUMNS, to_frame
from .load import load_timeline, parse_timeline, validate_timeline
from .schema import Confidence, Era, Event, History, Layer, Source, Status, Timeline, json_schema
from .text import escape_markdown, escape_plotly, markdown_link, printable

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
    "escape_plotly",
    "event_details",
    "filter_events",
    "gap_label",
    "headline",
    "json_schema",
    "load_timeline",
    "markdown_link",
    "parse_timeline",
    "printable",
    "records",
    "source_markdown",
    "to_csv",
    "to_frame",
    "to_json",
    "to_markdown",
    "to_timelinejs",
    "validate_timeline",
]
