"""The page starts before the dashboard's imports: Streamlit's chart and widget code is fetched
while the server's first run still imports pandas and the library."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import frontend
from tests.conftest import MINI, ROOT

# Which heavy packages a bare `import app` loaded (it must load none: its run imports them).
RUNNER = """
import json, sys
import app
heavy = ("pandas", "pydantic", "timeline", "dashboard", "numpy", "pyarrow")
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))))
"""


def test_the_entry_point_imports_nothing_heavy_before_the_page_starts():
    done = subprocess.run(
        [sys.executable, "-c", RUNNER], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_static_imports_are_the_leading_import_statements_only(tmp_path: Path):
    module = tmp_path / "Chart.A1.js"
    module.write_text(
        'import{a as b,c}from"./x.A1.js";import"./y.B2.js";import{t as d}from"./z-c.C_3.js";'
        'var q=1;import("./lazy.D4.js");export{q};'
    )
    assert frontend.static_imports(module) == ["x.A1.js", "y.B2.js", "z-c.C_3.js"]


def test_first_page_modules_start_with_plotly_and_hold_what_each_imports():
    modules = frontend.first_page_modules()
    plotly = frontend.served("PlotlyChart")
    assert plotly is not None and modules[0] == plotly
    assert len(modules) == len(set(modules))
    for name in frontend.FIRST_PAGE:
        assert frontend.served(name) in modules
    for path in modules:
        file = frontend.STATIC_JS / Path(path).name
        assert file.is_file()
        assert {f"static/js/{n}" for n in frontend.static_imports(file)} <= set(modules)
    # Plotly's chart waits on this one: fetched in parallel now, not after Plotly is parsed.
    assert any("withFullScreenWrapper" in m for m in modules)


def test_the_early_fetch_is_the_pages_first_element_and_runs_as_a_module(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(sys, "argv", ["app.py", "--data", str(MINI)])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    scripts = [h.proto for h in at.get("html") if "<script" in h.proto.body]
    assert [(s.body, s.unsafe_allow_javascript) for s in scripts] == [
        (frontend.early_fetch_script(), True)
    ]
    first = at.main.children[0]  # the first element of the page's main area
    assert first.proto.id.endswith("-early-fetch")
    assert [h.proto.body for h in first.children.values()] == [frontend.early_fetch_script()]
    assert at.title[0].value == "Mini Moon"
