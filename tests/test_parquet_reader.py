"""Parquet timelines: events as rows, the rest as metadata; the same data and checks as JSON."""

from __future__ import annotations

import io
import json
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
