"""Writing a timeline out: flat JSON/CSV rows, reports, or the whole timeline as loadable JSON
or Parquet.

The `write_*` functions stream: a whole timeline goes out a slice of rows at a time, so an
export of 100,000 events never holds its whole output, or a whole DataFrame, in memory.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from .dates import HDate, Precision, days_in_month
from .parquet_reader import METADATA_KEY, ONE_OR_MANY, event_schema, one_or_many_cell
from .schema import Comparison, Event, Source, Timeline
from .text import escape_markdown, markdown_link, printable, web_address

# pandas, and .frame and .compare that import it, are imported by the functions that use them:
# a Parquet or whole-timeline export needs none, and pandas' modules (~55 MB), imported after
# a 100k-event load, sit among the models and keep most of their memory once they are freed.
if TYPE_CHECKING:
    import pandas as pd

# Rows flattened at a time: a 5,000-row frame is ~10 MB where a 100k one is ~230 MB.
CHUNK_ROWS = 5_000


def frame_chunks(
    timeline: Timeline | Comparison, rows: int | None = None
) -> Iterator[pd.DataFrame]:
    """`to_frame(timeline)` as consecutive slices of at most `rows` rows (CHUNK_ROWS unless
    given): the same rows in the same order (by start, then id, as `to_frame` sorts; a test
    holds the two together), one slice in memory at a time. Always at least one slice."""
    from .frame import to_frame

    rows = rows or CHUNK_ROWS
    events = sorted(timeline.events, key=lambda e: (e.date.start(), e.id))
    for first in range(0, max(len(events), 1), rows):
        yield to_frame(timeline.model_copy(update={"events": events[first : first + rows]}))


def write_json_value(value: Any, out: TextIO, depth: int = 0) -> None:
    """Write `json.dumps(value, ensure_ascii=False, indent=2)` piece by piece.

    An iterator, or a mapping holding one, is written an item at a time and never held whole;
    every other value is dumped in one go.
    """
    pad = "\n" + "  " * depth
    if isinstance(value, Iterator):
        opened = False
        for item in value:
            out.write(("," if opened else "[") + pad + "  ")
            write_json_value(item, out, depth + 1)
            opened = True
        out.write(pad + "]" if opened else "[]")
    elif isinstance(value, dict) and any(isinstance(v, Iterator) for v in value.values()):
        for i, (key, item) in enumerate(value.items()):
            out.write(("," if i else "{") + pad + "  " + json.dumps(key, ensure_ascii=False) + ": ")
            write_json_value(item, out, depth + 1)
        out.write(pad + "}")
    else:  # JSON strings hold no raw line break: every one here is indentation
        out.write(json.dumps(value, ensure_ascii=False, indent=2).replace("\n", pad))


def _text_of(write: Any, *args: Any) -> str:
    """What a `write_*` function writes, as one string (for what the app offers to download)."""
    buffer = io.StringIO()
    write(*args, buffer)
    return buffer.getvalue()


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The export columns of each row as plain JSON-ready values."""
    import pandas as pd

    from .frame import EXPORT_COLUMNS

    def missing(value: Any) -> bool:
        return not isinstance(value, list) and bool(pd.isna(value))

    out = []
    for row in frame[list(EXPORT_COLUMNS)].to_dict("records"):
        out.append({str(k): (None if missing(v) else v) for k, v in row.items()})
    return out


def write_json(frames: Iterable[pd.DataFrame], out: TextIO) -> None:
    """The export columns of every row, as one JSON list of objects."""
    write_json_value((row for frame in frames for row in records(frame)), out)
    out.write("\n")


def to_json(frame: pd.DataFrame) -> str:
    return _text_of(write_json, [frame])


def write_csv(frames: Iterable[pd.DataFrame], out: TextIO) -> None:
    """The export columns as CSV, one header; control characters in text show as `\\x1b`."""
    import pandas as pd

    from .frame import EXPORT_COLUMNS

    for i, frame in enumerate(frames):
        flat = frame[list(EXPORT_COLUMNS)].copy()
        for column in ("causes", "sources", "tags"):
            flat[column] = flat[column].map("; ".join)
        for column in flat.columns:
            if flat[column].dtype == object or pd.api.types.is_string_dtype(flat[column]):
                flat[column] = flat[column].map(_csv_cell)
        out.write(flat.to_csv(index=False, header=i == 0, lineterminator="\n"))


def to_csv(frame: pd.DataFrame) -> str:
    return _text_of(write_csv, [frame])


def _csv_cell(value: Any) -> Any:
    # Line breaks and tabs are quoted by the CSV writer; every other control is escaped.
    return printable(value, keep="\n\t") if isinstance(value, str) else value


def _as_written(timeline: Timeline | Comparison) -> Timeline | Comparison:
    """The model in the file's own format: a format-1 file's comparison, as read."""
    if isinstance(timeline, Timeline):
        return timeline._comparison or timeline
    return timeline


def dump_timeline(timeline: Timeline | Comparison) -> dict[str, Any]:
    """The timeline in its file's format, as plain data; loading it back gives the same one."""
    return _as_written(timeline).model_dump(mode="json", exclude_none=True)


# The timeline's lists that grow with it: written an item at a time, never dumped whole.
STREAMED_LISTS = ("sources", "events")


def _streamed_dump(timeline: Timeline | Comparison, lists: tuple[str, ...]) -> dict[str, Any]:
    """`dump_timeline`, with each of `lists` an iterator of its items' dumps."""
    # Dumped with the lists empty, then given them back in the same place: the order holds.
    model = _as_written(timeline)
    document = dump_timeline(model.model_copy(update={name: [] for name in lists}))
    for name in lists:
        items = getattr(model, name)
        document[name] = (item.model_dump(mode="json", exclude_none=True) for item in items)
    return document


def write_timeline(timeline: Timeline | Comparison, out: TextIO) -> None:
    """`dump_timeline` as JSON, written an item at a time."""
    write_json_value(_streamed_dump(timeline, STREAMED_LISTS), out)
    out.write("\n")


def write_parquet(timeline: Timeline, out: BinaryIO) -> None:
    """The timeline as Parquet (see `parquet_reader`): a row group per slice of events, in the
    file's order, so loading it back reports problems at the same `events[i]`."""
    write_parquet_releasing([timeline], out)


def write_parquet_releasing(held: list[Timeline], out: BinaryIO) -> None:
    """`write_parquet` of the one timeline in `held`, taken out of it first: if nothing else
    holds it, its models (~280 MB at 100k events) are freed before pyarrow is imported.

    The rows are first written as JSON lines, a bytes object per slice (~55 MB at 100k), that
    Arrow parses. Given Python objects, Arrow would import pandas; the modules of both, imported
    while the models are alive, land among them and keep most of their memory once they are
    freed (measured: under 50 of the 280 MB went back), and then writing the footer copies its
    metadata (~43 MB of sources) about four times over.
    """
    timeline = held.pop()
    metadata = _parquet_metadata(timeline)
    events = _as_written(timeline).events
    lines = [_json_lines(events[i : i + CHUNK_ROWS]) for i in range(0, len(events), CHUNK_ROWS)]
    del timeline, events

    import pyarrow as pa
    import pyarrow.json as pa_json
    import pyarrow.parquet as pq

    schema = event_schema(Event.model_fields)
    parse = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    lines.reverse()  # popped from the end: each slice is freed once written
    # store_schema=False: the Arrow schema would repeat the metadata (MBs of sources) in base64.
    with pq.ParquetWriter(out, schema, compression="zstd", store_schema=False) as writer:
        writer.add_key_value_metadata({METADATA_KEY: metadata})
        del metadata  # Arrow keeps its own copy until the footer is written
        while lines:
            text = lines.pop()
            # One block for the whole slice: a row group of one chunk per column, as before.
            read = pa_json.ReadOptions(block_size=len(text) + 1)
            writer.write_table(pa_json.read_json(pa.BufferReader(text), read, parse))


def _json_lines(events: list[Event]) -> bytes:
    """The events' Parquet rows as JSON lines: fields as dumped, ids in lists as JSON text."""
    return "\n".join(
        json.dumps(
            {k: one_or_many_cell(v) if k in ONE_OR_MANY else v for k, v in row.items()},
            ensure_ascii=False,
        )
        for row in (e.model_dump(mode="json", exclude_none=True) for e in events)
    ).encode()


def _parquet_metadata(timeline: Timeline) -> bytes:
    """Everything but the events, as the JSON a Parquet timeline keeps in its metadata."""
    header = _streamed_dump(timeline, STREAMED_LISTS)
    del header["events"]
    # Written as UTF-8 bytes: a StringIO would hold 4 bytes a character (MBs of sources).
    metadata = io.BytesIO()
    with io.TextIOWrapper(metadata, encoding="utf-8", write_through=True) as text:
        write_json_value(header, text)
        text.flush()
        return metadata.getvalue()


def to_markdown(frame: pd.DataFrame, timeline: Comparison, view: str = "") -> str:
    """A report of the events shown: counts, counterpart pairs with gaps, changes by status.

    Every piece of file text is escaped: the report renders as the same plain text anywhere.
    """
    return _text_of(write_markdown, frame, timeline, view)


# The columns the Markdown report reads: its own, and those `headline` and `counterpart_pairs`
# read (a test writes the report from these alone and from the whole frame, and compares).
REPORT_COLUMNS = (
    "id",
    "history",
    "layer",
    "lane",
    "category",
    "title",
    "date_label",
    "x",
    "hdate",
    "counterpart",
    "status",
    "tag_keys",
    "sources",
)


def report_frame(pair: Comparison) -> pd.DataFrame:
    """`to_frame(pair)` with only the columns the Markdown report reads, built a slice at a time:
    at 100k events ~40 MB, where the whole frame is ~180 MB."""
    import pandas as pd

    columns = list(REPORT_COLUMNS)
    return pd.concat([chunk[columns] for chunk in frame_chunks(pair)], ignore_index=True)


def write_markdown(frame: pd.DataFrame, timeline: Comparison, view: str, out: TextIO) -> None:
    """`to_markdown`, written a line at a time: at 100k events the report is ~40 MB of text."""
    for line in _markdown_lines(frame, timeline, view):
        out.write(line + "\n")


def _markdown_lines(frame: pd.DataFrame, timeline: Comparison, view: str) -> Iterator[str]:
    from .compare import counterpart_pairs, headline

    md = escape_markdown
    ref, div = md(timeline.histories.reference.label), md(timeline.histories.diverged.label)
    h = headline(frame)
    yield from (f"# {md(timeline.title)}: {ref} vs {div}", "")
    if timeline.other_histories:
        others = ", ".join(md(label) for label in timeline.other_histories)
        yield from (f"Other histories in this timeline, not in this report: {others}", "")
    if view:
        yield from (f"View: {md(view)}", "")
    yield from (
        f"- Events shown: {h.events}",
        f"- {ref}: {h.per_lane.get('reference', 0)}; {div}: {h.per_lane.get('diverged', 0)}; "
        f"both: {h.per_lane.get('shared', 0)}; production: {h.per_lane.get('production', 0)}",
        f"- Counterpart pairs: {h.pairs}",
    )
    yield f"- Milestones moved (dates differ beyond their precision): {h.moved}"
    if h.largest_shift:
        yield f"- Largest shift: {escape_markdown(h.largest_shift)}"
    yield f"- Milestones in one history only: {h.one_sided}"
    if h.per_status:
        counts = ", ".join(f"{md(k)} {v}" for k, v in sorted(h.per_status.items()))
        yield f"- {div} events by status: {counts}"
    pairs = counterpart_pairs(frame)
    if len(pairs):
        yield from (
            "",
            "## Counterparts",
            "",
            f"| {ref} | {div} | Gap | Status |",
            "| --- | --- | --- | --- |",
        )
        for p in pairs.itertuples():
            left = f"{md(p.reference_date)}: {md(p.reference_title)}"
            right = f"{md(p.diverged_date)}: {md(p.diverged_title)}"
            yield f"| {left} | {right} | {md(p.gap)} | {md(p.status)} |"
    del pairs
    for status in ("new", "prevented"):
        rows = frame[frame["status"] == status]
        if len(rows):
            title = f"Only in {div}" if status == "new" else f"Prevented in {div}"
            yield from ("", f"## {title}", "")
            yield from (f"- {md(r.date_label)}: {md(r.title)}" for r in rows.itertuples())
    cited = _cited_sources(frame, timeline)
    if cited:
        yield from ("", "## Sources", "")
        yield from (f"- {source_markdown(src)}" for src in cited)


def _cited_sources(frame: pd.DataFrame, timeline: Comparison) -> list[Source]:
    """The sources the frame's events cite, in the timeline's order."""
    used = {ref for refs in frame["sources"] for ref in refs}
    return [src for src in timeline.sources if src.id in used]


def source_meta(src: Source) -> list[str]:
    """What a source listing says after the title, in plain words: who, where in it, when.

    Works for every kind: a web page's publisher, a book's author, edition, chapter, page and
    ISBN, an episode's series and number.
    """
    number = ""
    if src.season is not None or src.episode is not None:
        number = f"S{src.season or 0}E{src.episode or 0}".replace("S0E", "episode ")
    parts = [
        src.series,
        number,
        src.author,
        src.publisher,
        src.edition and f"{src.edition} edition",
        src.chapter and f"chapter {src.chapter}",
        src.page and f"p. {src.page}",
        src.isbn and f"ISBN {src.isbn}",
        src.date.label() if src.date else None,
    ]
    return [p for p in parts if p]


def source_markdown(src: Source) -> str:
    """One source as Markdown list-item text: title (linked for web sources), then its details."""
    meta = ", ".join(escape_markdown(x) for x in source_meta(src))
    if web_address(src.url):
        return markdown_link(src.title, src.url) + (f" ({meta})" if meta else "")
    where = f"seed document {escape_markdown(src.seed)}" if src.seed else ""
    details = ", ".join(x for x in (where, meta) if x)
    return escape_markdown(src.title) + (f" ({details})" if details else "")


# Ids never start with "_", so the title slide's id cannot take an event's.
TLJS_TITLE_ID = "_title"


def _tljs_date(d: HDate) -> dict[str, int]:
    """The first moment of the date's period, at the date's own precision."""
    out = {"year": d.year}
    if d.precision in (Precision.day, Precision.month):
        out["month"] = d.month
    if d.precision is Precision.day:
        out["day"] = d.day
    return out


def _tljs_end(start: HDate, end: HDate) -> dict[str, int]:
    """The moment a span ends: just after the period its end date covers.

    A year-precision end covers its whole year, so `1983 to 1983` ends at the start of 1984.
    A span never ends before its start's own period does (TimelineJS rejects empty eras).
    """
    last = end if end.stop() >= start.stop() else start
    year, month, day = last.year, last.month, last.day
    if last.precision is Precision.decade:
        return {"year": year + 10}
    if last.precision is Precision.year:
        return {"year": year + 1}
    if last.precision is Precision.month:
        return {"year": year + month // 12, "month": month % 12 + 1}
    if day < days_in_month(year, month):
        return {"year": year, "month": month, "day": day + 1}
    return {"year": year + month // 12, "month": month % 12 + 1, "day": 1}


def _tljs_plain(text: str) -> str:
    """Text for TimelineJS's plain fields (group, display_date).

    TimelineJS decodes these once (DOMParser textContent) and then sets them as innerHTML,
    so they are escaped twice to show up literally.
    """
    return html.escape(html.escape(text))


def _source_html(src: Source) -> str:
    """One source as an HTML list item: linked title for web sources, seed file name otherwise."""
    title = html.escape(src.title)
    if address := web_address(src.url):
        title = f'<a href="{html.escape(address, quote=True)}">{title}</a>'
    meta = source_meta(src)
    if src.seed:
        meta.insert(0, f"seed document {src.seed}")
    return f"<li>{title}" + "".join(f", {html.escape(x)}" for x in meta) + "</li>"


def _tljs_paragraph(text: str) -> str:
    """File text as one HTML paragraph, its line breaks kept."""
    return f"<p>{html.escape(text).replace(chr(10), '<br>')}</p>" if text else ""


def _tljs_text(summary: str, sources: list[Source]) -> str:
    """A slide's body: the summary, then the event's sources."""
    body = _tljs_paragraph(summary)
    if sources:
        items = "".join(_source_html(src) for src in sources)
        body += f"<p>Sources:</p><ul>{items}</ul>"
    return body


def _tljs_events(frames: Iterable[pd.DataFrame], timeline: Comparison) -> Iterator[dict[str, Any]]:
    """A TimelineJS slide for each row of the frames, in their order."""
    from .style import lane_labels  # here: style imports plotly (~27 MB) that only this needs

    labels = lane_labels(timeline)
    by_id = {e.id: e for e in timeline.events}
    sources = {s.id: s for s in timeline.sources}
    row: Any
    for frame in frames:
        for row in frame.itertuples():
            ev = by_id[row.id]
            cited = [sources[ref] for ref in ev.sources if ref in sources]
            item: dict[str, Any] = {
                "unique_id": ev.id,
                "start_date": _tljs_date(ev.date),
                "text": {"headline": html.escape(ev.title), "text": _tljs_text(ev.summary, cited)},
                "group": _tljs_plain(labels[row.lane]),
                "display_date": _tljs_plain(row.date_label),
            }
            if ev.end:
                item["end_date"] = _tljs_end(ev.date, ev.end)
            yield item


def _tljs_document(timeline: Comparison, events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """TimelineJS's whole document around its slides: the title slide, the slides, the eras."""
    eras = [
        {
            "start_date": _tljs_date(e.start),
            "end_date": _tljs_end(e.start, e.end),
            "text": {"headline": html.escape(e.label)},
        }
        for e in timeline.eras
    ]
    return {
        "title": {
            "unique_id": TLJS_TITLE_ID,
            "text": {
                "headline": html.escape(timeline.title),
                "text": _tljs_paragraph(timeline.description),
            },
        },
        "events": events,
        "eras": eras,
    }


def to_timelinejs(frame: pd.DataFrame, timeline: Comparison) -> dict[str, Any]:
    """The events shown in TimelineJS's JSON format, one group per history, with their sources."""
    return _tljs_document(timeline, list(_tljs_events([frame], timeline)))


def write_timelinejs(frames: Iterable[pd.DataFrame], timeline: Comparison, out: TextIO) -> None:
    """`to_timelinejs` of all the frames' rows as JSON, written a slide at a time."""
    write_json_value(_tljs_document(timeline, _tljs_events(frames, timeline)), out)
    out.write("\n")
