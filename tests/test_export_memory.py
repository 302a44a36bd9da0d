"""What keeps an export of 100k events small (issue 18): what it holds, frees and imports.

The peaks themselves are measured by the benchmark (`python -m benchmarks`), not here.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import weakref
from typing import Any

import pyarrow.parquet as pq
import pytest

import timeline as tl
from tests.conftest import MINI, ROOT, TREE
from timeline.export import REPORT_COLUMNS, report_frame, write_parquet, write_parquet_releasing


@pytest.mark.parametrize("path", [MINI, TREE], ids=["format 1", "format-2 tree"])
def test_the_report_from_its_few_columns_is_the_report_from_the_whole_frame(path):
    pair = tl.compare_pair(tl.load_timeline(path))
    narrow = report_frame(pair)
    assert list(narrow.columns) == list(REPORT_COLUMNS)
    assert tl.to_markdown(narrow, pair, "all") == tl.to_markdown(tl.to_frame(pair), pair, "all")


def test_parquet_frees_the_models_before_it_starts_writing(monkeypatch: pytest.MonkeyPatch):
    timeline = tl.load_timeline(MINI)
    held = [tl.load_timeline(MINI)]
    events = [weakref.ref(t.events[0]) for t in (held[0], timeline)]
    alive_when_writing: list[list[bool]] = []
    start = pq.ParquetWriter.__init__

    def starting(writer: pq.ParquetWriter, *args: Any, **kwargs: Any) -> None:
        alive_when_writing.append([event() is not None for event in events])
        start(writer, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "__init__", starting)
    released, kept = io.BytesIO(), io.BytesIO()
    write_parquet_releasing(held, released)
    write_parquet(timeline, kept)  # its caller still holds it: it stays
    assert (held, alive_when_writing) == ([], [[False, True], [False, True]])
    assert released.getvalue() == kept.getvalue()


# `python -m timeline export MINI --format F`, its output discarded; then the exit code, the
# pandas modules imported on the way and the memory pool Arrow was left with, on stderr.
RUNNER = f"""
import json, os, sys
from timeline.cli import main
sys.stdout = open(os.devnull, "w")
code = main(["export", {str(MINI)!r}, "--format", sys.argv[1]])
pandas = sorted(m for m in sys.modules if m.split(".")[0] == "pandas")[:3]
import pyarrow
pool = pyarrow.default_memory_pool().backend_name
print(json.dumps({{"code": code, "pandas": pandas, "pool": pool}}), file=sys.stderr)
"""


def exported_in_a_process(fmt: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, fmt], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return json.loads(done.stderr)


def test_a_parquet_export_never_imports_pandas():
    found = exported_in_a_process("parquet")
    assert (found["code"], found["pandas"]) == (0, [])


def test_exports_written_from_frames_take_arrow_memory_from_malloc():
    found = exported_in_a_process("markdown")
    assert (found["code"], found["pool"]) == (0, "system")
