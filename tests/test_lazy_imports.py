"""`import timeline` loads only what is used: validating a file never imports pandas."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import timeline as tl
from tests.conftest import ROOT

# Runs the real `python -m timeline ...` entry point, then reports its exit code and whether
# pandas (or anything under it) was imported on the way.
RUNNER = """
import json, runpy, sys
sys.argv = ["timeline", *sys.argv[1:]]
try:
    runpy.run_module("timeline", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "pandas": sorted(m for m in sys.modules if m.split(".")[0] == "pandas")[:3]}))
"""


def run_cli(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stderr == ""
    return json.loads(done.stdout.splitlines()[-1])


def test_validate_on_the_shipped_timeline_does_not_import_pandas():
    result = run_cli("validate", "seeds/for-all-mankind.yaml")
    assert result == {"code": 0, "pandas": []}


def test_export_still_imports_pandas_when_it_needs_it():
    result = run_cli("export", "seeds/for-all-mankind.yaml", "--format", "csv")
    assert result["code"] == 0
    assert "pandas" in result["pandas"]


def test_every_public_name_resolves_from_its_module():
    for name in tl.__all__:
        module = sys.modules[f"timeline.{tl._HOME[name]}"] if hasattr(tl, name) else None
        assert module is not None and getattr(module, name) is getattr(tl, name)
    assert set(tl.__all__) <= set(dir(tl))


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'to_pdf'"):
        tl.to_pdf  # noqa: B018
