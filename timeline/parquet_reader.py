"""Parquet input for big machine-made timelines: events as rows, the rest as file metadata.

A timeline's Parquet file holds one row per event (a column per event field) and everything
else (title, histories, eras, sources...) as JSON under the `timeline` key of the file's
metadata. Reading it gives the same plain data the JSON reader gives, so the same validation
runs. pyarrow is imported only when a Parquet file is read or written.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from itertools import repeat
from operator import setitem
from typing import TYPE_CHECKING, Any

from .errors import Problem, TimelineError
from .json_reader import MAX_JSON_BYTES, read_json
from .reader import too_big
from .schema import Event
from .text import shown

if TYPE_CHECKING:
    from concurrent.futures import Executor

    import pyarrow as pa
    import pyarrow.parquet as pq

MAX_PARQUET_BYTES = 64 * 1024 * 1024  # the file as stored (compressed)
# Decompressed, the columns may hold no more text than the largest JSON timeline, nor more rows
# and list items than twice the 100,000 events the explorer is built for (a few bytes of
# compressed Parquet can stand for millions of empty rows).
MAX_DATA_BYTES = MAX_JSON_BYTES
MAX_ROWS = 200_000
MAX_VALUES = 10 * MAX_ROWS  # per column: list columns count every item
METADATA_KEY = b"timeline"
_EVENT_FIELDS = frozenset(Event.model_fields)
MAKE_ONE = "make one with: python -m timeline export FILE --format parquet > FILE.parquet"


def _fail(file: str, message: str, hint: str = "") -> TimelineError:
    return TimelineError([Problem(file, None, "", message, hint)])


def _allowed(kind: pa.DataType) -> bool:
    """The column types a timeline's events use: text, true/false, numbers, lists of text."""
    import pyarrow as pa

    def text(t: pa.DataType) -> bool:
        return bool(pa.types.is_string(t) or pa.types.is_large_string(t))

    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return text(kind.value_type)
    if pa.types.is_dictionary(kind):
        return text(kind.value_type)
    return text(kind) or bool(
        pa.types.is_boolean(kind) or pa.types.is_int64(kind) or pa.types.is_float64(kind)
    )


def _text_bytes(column: pa.ChunkedArray) -> int:
    """Bytes of text the column holds once decoded, worked out without decoding it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    total = 0
    for chunk in column.chunks:
        if pa.types.is_list(chunk.type) or pa.types.is_large_list(chunk.type):
            chunk = chunk.flatten()
        if pa.types.is_dictionary(chunk.type):  # each use of an entry counts
            lengths = pc.binary_length(chunk.dictionary).take(chunk.indices)
        elif pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type):
            lengths = pc.binary_length(chunk)
        else:
            continue
        total += pc.sum(lengths).as_py() or 0
    return total


def read_parquet(raw: bytes | str, file: str, limit: int = MAX_PARQUET_BYTES) -> Any:
    """A timeline's Parquet file as plain data: its metadata's mapping with the rows as events.

    A file that is not Parquet, not a timeline's, or too big once decompressed is one clear
    problem naming the file; every field is then checked by the usual validation.
    """
    if isinstance(raw, str):
        raise _fail(file, "a Parquet file is binary; read its bytes, not text")
    if len(raw) > limit:
        raise too_big(file, len(raw), limit)
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(pa.BufferReader(raw))
    except (pa.ArrowException, OSError, ValueError):
        raise _fail(file, "is not a Parquet file, or it is damaged", MAKE_ONE) from None
    meta = parquet.metadata
    header_json = (meta.metadata or {}).get(METADATA_KEY)
    if header_json is None:
        raise _fail(
            file, "is a Parquet file, but not a timeline's: it has no timeline metadata", MAKE_ONE
        )
    if meta.num_rows > MAX_ROWS:
        raise _fail(file, f"has {meta.num_rows:,} rows; the limit is {MAX_ROWS:,} events")
    declared = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    for j in range(meta.num_columns):  # leaf columns: a list's items are counted one by one
        values = sum(meta.row_group(i).column(j).num_values for i in range(meta.num_row_groups))
        if values > MAX_VALUES:
            name = meta.schema.column(j).path
            raise _fail(
                file, f"column {shown(name)} holds {values:,} values; the limit is {MAX_VALUES:,}"
            )
    if declared > MAX_DATA_BYTES:
        raise _fail(
            file, f"holds {declared:,} bytes once decompressed; the limit is {MAX_DATA_BYTES:,}"
        )
    schema = parquet.schema_arrow
    with ThreadPoolExecutor(1, "parquet-rows") as reader:
        groups = _read_ahead(parquet, reader, file)  # the first is read while the header parses
        header = _header(header_json, file)
        names = schema.names
        if twice := next((n for i, n in enumerate(names) if n in names[:i]), None):
            raise _fail(
                file, f"the column {shown(twice)} appears twice", "each field may appear once"
            )
        for column in schema:
            if not _allowed(column.type):
                raise _fail(
                    file,
                    f"column {shown(column.name)} holds {column.type}",
                    "event fields are text, true/false, numbers or lists of text",
                )
        events: list[dict[str, Any]] = []
        text = 0
        for group in groups:
            if (text := text + sum(_text_bytes(c) for c in group.columns)) > MAX_DATA_BYTES:
                raise _fail(file, f"holds over {MAX_DATA_BYTES:,} bytes of text, the limit")
            events += _rows(names, group.columns)
    return header | {"events": events}


def _read_ahead(parquet: pq.ParquetFile, reader: Executor, file: str) -> Iterator[pa.Table]:
    """The row groups in order, each decoded on `reader`'s thread (Arrow lets go of the GIL)
    while the caller works on the one before: at most three decoded at once (the one being
    converted, the one handed over, the one being read).
    Reading the first starts now; a group that cannot be read is one problem naming it."""
    import pyarrow as pa

    count = parquet.metadata.num_row_groups
    coming = [reader.submit(parquet.read_row_group, 0)] if count else []

    def groups() -> Iterator[pa.Table]:
        for i in range(count):
            try:
                group = coming.pop().result()
            except (pa.ArrowException, OSError, ValueError) as exc:
                raise _fail(
                    file, f"row group {i} cannot be read: the file is damaged ({exc})"
                ) from None
            if i + 1 < count:
                coming.append(reader.submit(parquet.read_row_group, i + 1))
            yield group

    return groups()


def _rows(names: list[str], columns: list[pa.ChunkedArray]) -> list[dict[str, Any]]:
    """Each row as a mapping of its cells; a missing value (null) is a field left out, as in a
    JSON file, so the defaults apply."""
    import pyarrow.compute as pc

    columns = [_decoded(c) for c in columns]
    if not set(names) <= _EVENT_FIELDS:
        # An unknown column is reported per row in the order the row's fields come in.
        return [
            {k: v for k, v in zip(names, row, strict=True) if v is not None}
            for row in zip(*map(_cells, names, columns), strict=True)
        ]
    # Known fields are checked in the schema's order whatever a row's order, so the columns
    # without nulls go in first, all of a row's in one step, then the others cell by cell.
    full = [k for k, column in enumerate(columns) if not column.null_count]
    if full:
        keys = [names[k] for k in full]
        given = zip(*(_cells(names[k], columns[k]) for k in full), strict=True)
        rows = [dict(zip(keys, row, strict=True)) for row in given]
    else:
        rows = [{} for _ in range(len(columns[0]) if columns else 0)]
    for k in sorted(set(range(len(columns))) - set(full)):
        # Only the cells holding a value are visited: a sparse column costs what it holds.
        held = map(rows.__getitem__, pc.indices_nonzero(pc.is_valid(columns[k])).to_pylist())
        cells = _cells(names[k], columns[k].drop_null())
        deque(map(setitem, held, repeat(names[k]), cells), maxlen=0)  # run at C speed
    return rows


def _decoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A dictionary-encoded column as plain values, whose nulls are then all Arrow nulls (a
    dictionary's null entry is not counted as one)."""
    import pyarrow as pa

    if pa.types.is_dictionary(column.type):
        return column.cast(column.type.value_type)
    return column


def _cells(name: str, column: pa.ChunkedArray) -> list[Any]:
    """A column's cells as Python values; a one-or-many field's lists written as JSON text are
    decoded, visiting only the text cells that start with `[` (found by Arrow)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cells: list[Any] = column.to_pylist()
    if name in ONE_OR_MANY and (
        pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
    ):
        for i in pc.indices_nonzero(pc.starts_with(column, "[")).to_pylist():
            cells[i] = _one_or_many(cells[i])
    return cells


def _header(text: bytes, file: str) -> dict[str, Any]:
    """The timeline metadata: a JSON mapping of everything but the events."""
    try:
        header = read_json(text, file)
    except TimelineError as exc:
        problem = exc.problems[0]
        raise _fail(file, f"its timeline metadata is not valid: {problem.message}") from None
    if not isinstance(header, dict):
        raise _fail(file, f"its timeline metadata is {shown(type(header).__name__)}, not a mapping")
    if "events" in header:
        raise _fail(file, "its timeline metadata holds events", "events are the file's rows")
    return header


# Fields holding an id or a list of ids: a text column, a list written as its JSON (`["a", "b"]`;
# an id never starts with `[`), so a file reads back exactly as written.
ONE_OR_MANY = ("counterpart", "setting")


def one_or_many_cell(value: Any) -> Any:
    """The Parquet cell of a one-or-many field's value."""
    return json.dumps(value) if isinstance(value, list) else value


def _one_or_many(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith("["):
        try:
            return json.loads(cell)
        except ValueError:
            return cell  # the loader says what is wrong with it
    return cell


def event_schema(fields: dict[str, Any]) -> pa.Schema:
    """The Arrow column of each event field, from its annotation: lists of text, true/false,
    or text (dates, ids and choices are written as in JSON)."""
    import typing

    import pyarrow as pa

    def kind(annotation: Any) -> pa.DataType:
        if typing.get_origin(annotation) is list:
            return pa.list_(pa.string())
        return pa.bool_() if annotation is bool else pa.string()

    return pa.schema([(name, kind(info.annotation)) for name, info in fields.items()])
