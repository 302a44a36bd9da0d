"""The page starts before the dashboard's heavy imports: Streamlit's chart and widget code is
fetched, and the sidebar and the title are sent, while the server's first run still imports
pandas and the charts."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import frontend
from tests.conftest import MINI, ROOT, TREE

# Which heavy packages a bare `import app` loaded (it must load none: its run imports them).
RUNNER = """
import json, sys
import app
heavy = ("pandas", "pydantic", "timeline", "dashboard", "numpy", "pyarrow")
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))))
"""


# Runs the app once in a fresh process and lists what its first run sent, in order: each element
# (its kind and label) and whether pandas was imported by then.
SENDER = """
import json, sys
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
from streamlit.testing.v1 import AppTest

sent = []
enqueue = ScriptRunContext.enqueue

def recording(self, msg):
    if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
        kind = msg.delta.new_element.WhichOneof("type")
        label = getattr(getattr(msg.delta.new_element, kind), "label", "")
        sent.append([kind, label if isinstance(label, str) else "", "pandas" in sys.modules])
    enqueue(self, msg)

ScriptRunContext.enqueue = recording
app, sys.argv = sys.argv[1], ["app.py", "--data", sys.argv[2]]
assert "pandas" not in sys.modules
at = AppTest.from_file(app, default_timeout=60).run()
assert not at.exception
print(json.dumps(sent))
"""


def first_run(data: Path) -> list[tuple[str, str, bool]]:
    done = subprocess.run(
        [sys.executable, "-c", SENDER, str(ROOT / "app.py"), str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return [tuple(x) for x in json.loads(done.stdout.splitlines()[-1])]


@pytest.mark.slow  # a fresh process for each: seconds
@pytest.mark.parametrize(
    ("data", "first"),
    [
        # Two histories: the description's expander follows the title.
        (MINI, [("markdown", "", False)]),
        # More than two: the pair to compare is picked above the charts.
        (TREE, [("selectbox", "Compare", False), ("selectbox", "with", False)]),
    ],
)
def test_the_sidebar_and_the_title_are_sent_before_pandas_is_imported(
    data: Path, first: list[tuple[str, str, bool]]
):
    sent = [s for s in first_run(data) if s[0] != "html"]  # the style and the early fetch
    before = [s for s in sent if not s[2]]
    assert [s for s in before if s[0] not in ("add_block",)] == [
        ("selectbox", "Timeline", False),
        ("file_uploader", "Open your own timeline", False),
        ("heading", "", False),
        *first,
    ]
    # Then pandas, for everything else: the era picker comes next, and the chart.
    rest = [s for s in sent[len(before) :] if s[0] != "add_block"]
    assert rest[0] == ("selectbox", "Era or period", True)
    assert ("bidi_component", "", True) in rest
    assert all(s[2] for s in rest)


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


@pytest.fixture
def without_basic_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """As on a machine where the setup could not fetch Plotly's basic build."""
    monkeypatch.setattr(frontend, "PLOTLY_BASIC", tmp_path / "missing.js")
    frontend.plotly_source.cache_clear()
    frontend.first_page_modules.cache_clear()
    yield
    frontend.plotly_source.cache_clear()
    frontend.first_page_modules.cache_clear()


def _hold_what_each_imports(modules: tuple[str, ...]) -> None:
    assert len(modules) == len(set(modules))
    for path in modules[1:]:
        file = frontend.STATIC_JS / Path(path).name
        assert file.is_file()
        assert {f"static/js/{n}" for n in frontend.static_imports(file)} <= set(modules)


def test_the_setup_fetched_plotlys_basic_build_and_the_first_page_starts_with_it():
    assert frontend.plotly_basic_ready()  # scripts/setup.sh fetched it
    modules = frontend.first_page_modules()
    assert modules[0] == frontend.plotly_source() == "app/static/plotly-basic.min.js"
    for name in frontend.FIRST_PAGE:
        assert (frontend.served(name) in modules) == (name != "PlotlyChart")
    _hold_what_each_imports(modules)


def test_without_the_basic_build_the_first_page_starts_with_streamlits_plotly(
    without_basic_build: None,
):
    modules = frontend.first_page_modules()
    plotly = frontend.served("PlotlyChart")
    assert plotly is not None and modules[0] == plotly == frontend.plotly_source()
    for name in frontend.FIRST_PAGE:
        assert frontend.served(name) in modules
    _hold_what_each_imports(modules)
    # Plotly's chart waits on this one: fetched in parallel now, not after Plotly is parsed.
    assert any("withFullScreenWrapper" in m for m in modules)


def _tarball(path: Path, build: bytes) -> str:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in (("plotly-basic.min.js", build), ("LICENSE", b"MIT")):
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path.as_uri()


def test_a_tarball_that_does_not_match_its_pinned_digest_is_not_used(tmp_path: Path):
    url = _tarball(tmp_path / "plotly.tgz", b"window.Plotly = {};")
    into = tmp_path / "static" / "plotly-basic.min.js"
    with pytest.raises(ValueError, match="does not match its pinned digest"):
        frontend.fetch_plotly_basic(url, into)
    assert not into.parent.exists()


def test_a_fetched_build_is_not_fetched_again(tmp_path: Path):
    into = tmp_path / "plotly-basic.min.js"
    into.write_bytes(frontend.PLOTLY_BASIC.read_bytes())
    gone = (tmp_path / "nowhere.tgz").as_uri()  # would fail if it were read
    assert frontend.fetch_plotly_basic(gone, into) == "plotly-basic.min.js: already fetched"
    into.write_bytes(b"cut short")
    assert not frontend.plotly_basic_ready(into)
    with pytest.raises(OSError):
        frontend.fetch_plotly_basic(gone, into)


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


def test_streamlit_reads_the_config_with_source_watching_off():
    # Streamlit's own reading of .streamlit/config.toml, from the folder the app runs in: a
    # watcher would look up ~2,000 module files after each visit's first run (see the README).
    code = "from streamlit import config; print(config.get_option('server.fileWatcherType'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "none", out.stderr
