"""Parquet timelines: events as rows, the rest as metadata; the same data and checks as JSON."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import timeline as tl
from tests.conftest import ROOT, TREE
from timeline.export import write_parquet
from timeline.parquet_reader import MAKE_ONE, MAX_ROWS, METADATA_KEY, read_parquet


def as_parquet(timeline: tl.Timeline) -> bytes:
    out = io.BytesIO()
    write_parquet(timeline, out)
    return out.getvalue()


def handmade(rows: list[dict[str, Any]] | pa.Table, header: Any) -> bytes:
    """A Parquet file written straight with pyarrow, with `header` as its timeline metadata."""
    table = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows)
    if header is not None:
        table = table.replace_schema_metadata({METADATA_KEY: json.dumps(header)})
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def error(raw: bytes) -> list[str]:
    with pytest.raises(tl.TimelineError) as info:
        tl.parse_timeline(raw, "t.parquet")
    return [str(p) for p in info.value.problems]


def test_a_parquet_export_loads_back_as_the_same_timeline(mini):
    assert tl.compare_pair(tl.parse_timeline(as_parquet(mini), "m.parquet")) == mini


def test_parquet_gives_the_plain_data_the_json_reader_gives(mini):
    as_json = json.dumps(tl.dump_timeline(mini))
    assert read_parquet(as_parquet(mini), "m.parquet") == json.loads(as_json)


def test_a_bad_row_is_reported_at_its_event_index(mini):
    dumped = tl.dump_timeline(mini)
    events = dumped.pop("events")
    events[3]["date"] = "1986-02-30"
    del events[5]["category"]
    assert error(handmade(events, dumped)) == [
        "t.parquet: events[3].date: '1986-02-30' is not a valid date: month 2 of 1986 has 28 days",
        "t.parquet: events[5].category: is required",
    ]


def test_a_file_that_is_not_parquet_is_one_clear_problem(mini):
    assert error(b"PAR1 title: not parquet at all") == [
        f"t.parquet: is not a Parquet file, or it is damaged ({MAKE_ONE})"
    ]
    assert error(as_parquet(mini)[:-100]) == [
        f"t.parquet: is not a Parquet file, or it is damaged ({MAKE_ONE})"
    ]


def test_a_foreign_parquet_file_is_refused_for_its_missing_metadata():
    assert error(handmade([{"city": "Rome", "founded": -753}], None)) == [
        "t.parquet: is a Parquet file, but not a timeline's: it has no timeline metadata "
        f"({MAKE_ONE})"
    ]


def test_metadata_must_be_a_mapping_without_events(mini):
    rows = [{"id": "a"}]
    assert error(handmade(rows, ["a", "list"])) == [
        "t.parquet: its timeline metadata is 'list', not a mapping"
    ]
    assert error(handmade(rows, {"title": "x", "events": []})) == [
        "t.parquet: its timeline metadata holds events (events are the file's rows)"
    ]
    raw = handmade(
        pa.table({"id": ["a"]}).replace_schema_metadata({METADATA_KEY: '{"a": 1, "a": 2}'}), None
    )
    assert error(raw) == ["t.parquet: its timeline metadata is not valid: duplicate key"]


def test_a_column_of_another_type_is_refused_by_name():
    table = pa.table({"id": ["a"], "date": pa.array([{"y": 1969}])})
    assert error(handmade(table, {"title": "x"})) == [
        "t.parquet: column 'date' holds struct<y: int64> "
        "(event fields are text, true/false, numbers or lists of text)"
    ]


def test_a_column_given_twice_is_refused_by_name():
    table = pa.Table.from_arrays([pa.array(["a"]), pa.array(["b"])], names=["id", "id"])
    assert error(handmade(table, {"title": "x"})) == [
        "t.parquet: the column 'id' appears twice (each field may appear once)"
    ]


def test_too_many_rows_are_refused_before_they_are_read():
    table = pa.table({"id": pa.nulls(MAX_ROWS + 1, pa.string())})
    assert error(handmade(table, {"title": "x"})) == [
        f"t.parquet: has {MAX_ROWS + 1:,} rows; the limit is {MAX_ROWS:,} events"
    ]


def test_text_is_not_a_parquet_file():
    assert error("PAR1") == ["t.parquet: a Parquet file is binary; read its bytes, not text"]


def test_the_cli_writes_parquet_that_validates_and_exports_the_same(tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "timeline", *args], capture_output=True, cwd=ROOT, check=True
        )

    seed = "seeds/for-all-mankind.yaml"
    target = tmp_path / "fam.parquet"
    target.write_bytes(run("export", seed, "--format", "parquet").stdout)
    events = len(tl.load_timeline(ROOT / seed).events)
    assert run("validate", str(target)).stdout == f"{target}: ok, {events} events\n".encode()
    for fmt in ("csv", "timeline"):
        assert (
            run("export", str(target), "--format", fmt).stdout
            == run("export", seed, "--format", fmt).stdout
        )


def test_validating_yaml_never_imports_pyarrow_or_plotly():
    check = (
        "import sys; from timeline.cli import main; main(['validate', 'seeds/for-all-mankind.yaml']);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyarrow', 'plotly')))"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.splitlines()[-1] == "[]"


def test_a_format_2_tree_with_lists_of_ids_round_trips_through_parquet(tmp_path):
    from timeline.export import write_parquet

    tree = tl.load_timeline(TREE)
    with open(tmp_path / "t.parquet", "wb") as out:
        write_parquet(tree, out)
    again = tl.load_timeline(tmp_path / "t.parquet")
    assert tl.dump_timeline(again) == tl.dump_timeline(tree)
    assert again.events[7].counterpart == ["ve-day", "japan-surrenders"]


def test_rows_leave_out_null_cells_whichever_columns_hold_nulls():
    # `end` (some nulls) comes before `title` (none): each row holds its own fields only.
    rows = [
        {"id": "a", "end": "1970", "title": "A", "tags": ["x"]},
        {"id": "b", "end": None, "title": "B", "tags": None},
    ]
    raw = handmade(pa.Table.from_pylist(rows), {"format": 1})
    assert read_parquet(raw, "t.parquet")["events"] == [
        {"id": "a", "end": "1970", "title": "A", "tags": ["x"]},
        {"id": "b", "title": "B"},
    ]


def test_unknown_columns_are_reported_in_the_order_of_the_columns(mini):
    dumped = tl.dump_timeline(mini)
    events = dumped.pop("events")
    rows = [{"zeta": None if i else "z", **event, "alpha": "a"} for i, event in enumerate(events)]
    known = f"(known fields: {', '.join(tl.Event.model_fields)})"
    assert error(handmade(rows, dumped))[:3] == [
        f"t.parquet: events[0].zeta: unknown field {known}",
        f"t.parquet: events[0].alpha: unknown field {known}",
        f"t.parquet: events[1].alpha: unknown field {known}",
    ]


def cell_by_cell(raw: bytes) -> list[dict[str, Any]]:
    """The events as the first reader built them: every cell converted on its own, a list kept
    as JSON text decoded wherever a cell starts with `[`, full columns first in each group."""
    parquet = pq.ParquetFile(pa.BufferReader(raw))
    events: list[dict[str, Any]] = []
    for i in range(parquet.num_row_groups):
        group = parquet.read_row_group(i)
        names = group.column_names
        columns = [[as_list(name, v) for v in group[name].to_pylist()] for name in names]
        if not set(names) <= set(tl.Event.model_fields):
            events += [
                {k: v for k, v in zip(names, row, strict=True) if v is not None}
                for row in zip(*columns, strict=True)
            ]
            continue
        order = sorted(range(len(names)), key=lambda k: None in columns[k])  # stable: full first
        events += [
            {names[k]: row[k] for k in order if row[k] is not None}
            for row in zip(*columns, strict=True)
        ]
    return events


def as_list(name: str, cell: Any) -> Any:
    if name in ("counterpart", "setting") and isinstance(cell, str) and cell.startswith("["):
        try:
            return json.loads(cell)
        except ValueError:
            return cell
    return cell


def typed(value: Any) -> Any:
    """The value with every type and every mapping's key order made part of equality."""
    if isinstance(value, dict):
        return ["dict", [(k, typed(v)) for k, v in value.items()]]
    if isinstance(value, list):
        return ["list", [typed(v) for v in value]]
    return [type(value).__name__, value]


TEXT_CODES = pa.dictionary(pa.int32(), pa.string())  # dictionary-encoded text
GENERATED = pa.schema(
    [
        ("id", pa.string()),
        ("date", TEXT_CODES),
        ("approximate", pa.bool_()),
        ("end", pa.string()),
        ("title", pa.string()),
        ("summary", pa.large_string()),
        ("category", TEXT_CODES),
        ("tags", pa.list_(pa.string())),
        ("counterpart", pa.string()),
        ("sources", pa.large_list(pa.string())),
        ("setting", TEXT_CODES),
        ("precision", pa.int64()),
        ("history", pa.float64()),
    ]
)


def generated_group(rng: random.Random, rows: int, sparse: float) -> pa.Table:
    """Rows of every form a column takes: nulls, lists as JSON text, dictionary-encoded and
    large text, empty lists, null list items, unicode, numbers, true/false."""

    def maybe(value: Any) -> Any:
        return None if rng.random() < sparse else value

    def word() -> str:
        return rng.choice(["moon", "Mars", "São Paulo", "東京", "Москва", "øresund", "—", ""])

    def ids() -> str:
        return rng.choice(["a-1", '["a-1", "b-2"]', "[]", '["x"]', "[not json", " [a]", "[1, 2]"])

    cells: dict[str, list[Any]] = {
        "id": [f"e-{rng.randrange(10**6)}" for _ in range(rows)],
        "date": [maybe(rng.choice(["1969-07-20", "44 BC", "1960s"])) for _ in range(rows)],
        "approximate": [maybe(rng.random() < 0.5) for _ in range(rows)],
        "end": [maybe(str(rng.randrange(-500, 2100))) for _ in range(rows)],
        "title": [f"{word()} {word()} {i}" for i in range(rows)],
        "summary": [maybe(" ".join(word() for _ in range(5))) for _ in range(rows)],
        "category": [rng.choice(["space", "politics"]) for _ in range(rows)],
        "tags": [maybe([word() for _ in range(rng.randrange(3))]) for _ in range(rows)],
        "counterpart": [maybe(ids()) for _ in range(rows)],
        "sources": [[maybe(word()) for _ in range(rng.randrange(3))] for _ in range(rows)],
        "setting": [maybe(ids()) for _ in range(rows)],
        "precision": [maybe(rng.randrange(5)) for _ in range(rows)],
        "history": [maybe(rng.random()) for _ in range(rows)],
    }
    return pa.table(cells, schema=GENERATED)


def generated_file(seed: int, extra: bool) -> bytes:
    """Three row groups, none to nine in ten cells null (a column full in one group holds nulls
    in the next); `extra` adds an unknown column."""
    rng = random.Random(seed)
    groups = [generated_group(rng, rng.randrange(1, 60), sparse) for sparse in (0, 0.3, 0.9)]
    if extra:
        groups = [g.append_column("zeta", pa.array(["z", None] * len(g))[: len(g)]) for g in groups]
    out = io.BytesIO()
    schema = groups[0].schema.with_metadata({METADATA_KEY: json.dumps({"title": "東京"})})
    with pq.ParquetWriter(out, schema) as writer:
        for group in groups:
            writer.write_table(group.replace_schema_metadata(schema.metadata))
    return out.getvalue()


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("extra", [False, True])
def test_rows_read_as_the_cell_by_cell_reader_read_them(seed: int, extra: bool):
    raw = generated_file(seed, extra)
    parquet = pq.ParquetFile(pa.BufferReader(raw))
    assert parquet.num_row_groups == 3
    assert parquet.schema_arrow.field("setting").type == TEXT_CODES  # read back encoded
    read = read_parquet(raw, "t.parquet")
    assert typed(read) == typed({"title": "東京", "events": cell_by_cell(raw)})
    assert ["a-1", "b-2"] in [event.get("counterpart") for event in read["events"]]


def test_a_damaged_row_group_is_one_problem_naming_it():
    table = pa.table({"id": [f"e{i}" for i in range(100)], "title": ["Moon landing"] * 100})
    out = io.BytesIO()
    pq.write_table(table.replace_schema_metadata({METADATA_KEY: "{}"}), out, row_group_size=50)
    raw = bytearray(out.getvalue())
    title = pq.read_metadata(pa.BufferReader(raw)).row_group(1).column(1)
    start = title.dictionary_page_offset or title.data_page_offset
    raw[start : start + 8] = b"\xff" * 8  # the second group's page header, unreadable
    (problem,) = error(bytes(raw))
    assert problem.startswith("t.parquet: row group 1 cannot be read: the file is damaged (")
