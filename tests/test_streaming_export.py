"""Streamed exports: written a slice of rows at a time, byte for byte the whole-frame exports."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pandas as pd

import timeline as tl
from timeline.export import (
    frame_chunks,
    write_csv,
    write_json,
    write_json_value,
    write_timeline,
    write_timelinejs,
)


def written(write: Any, *args: Any) -> str:
    out = io.StringIO()
    write(*args, out)
    return out.getvalue()


def test_frame_chunks_are_the_whole_frame_in_slices_of_the_given_size(mini, mini_frame):
    chunks = list(frame_chunks(mini, rows=3))
    assert [len(c) for c in chunks] == [3, 3, 3, 2]

    # A slice with no counterparts holds them as objects (None), not strings (NaN): the values
    # are compared, each missing one as None.
    def values(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.astype(object).where(frame.notna(), None)

    whole = pd.concat(chunks, ignore_index=True)
    pd.testing.assert_frame_equal(values(whole), values(mini_frame))


def test_streamed_json_csv_and_timelinejs_equal_the_whole_frame_exports(mini, mini_frame):
    assert written(write_json, frame_chunks(mini, rows=3)) == tl.to_json(mini_frame)
    assert written(write_csv, frame_chunks(mini, rows=3)) == tl.to_csv(mini_frame)
    whole = json.dumps(tl.to_timelinejs(mini_frame, mini), ensure_ascii=False, indent=2) + "\n"
    assert written(write_timelinejs, frame_chunks(mini, rows=3), mini) == whole


def test_streamed_timeline_dump_is_the_whole_dump(mini):
    whole = json.dumps(tl.dump_timeline(mini), ensure_ascii=False, indent=2) + "\n"
    assert written(write_timeline, mini) == whole


def test_an_empty_frame_still_writes_the_csv_header_and_an_empty_list(mini_frame):
    empty = mini_frame.iloc[:0]
    assert tl.to_csv(empty) == ",".join(tl.EXPORT_COLUMNS) + "\n"
    assert tl.to_json(empty) == "[]\n"


def test_json_value_writer_writes_what_json_dumps_writes():
    def rows() -> Iterator[dict[str, Any]]:
        yield {"a": "line\nbreak", "b": [1, {"c": []}], "d": {}}
        yield {"é": "ünïcode ✓", "n": None}

    def value(events: Any) -> dict[str, Any]:
        return {"title": "t", "events": events, "empty": iter(()), "tail": [{"x": 1}]}

    expected = value(list(rows())) | {"empty": []}
    assert written(write_json_value, value(rows())) == json.dumps(
        expected, ensure_ascii=False, indent=2
    )
    assert written(write_json_value, iter(())) == "[]"
    assert written(write_json_value, "plain") == '"plain"'
