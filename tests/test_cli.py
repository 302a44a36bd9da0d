import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINI, ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_validate_ok_exits_0():
    result = run("validate", str(MINI))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.endswith("ok, 11 events\n")


def test_validate_reports_one_error_per_line_and_exits_1(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        MINI.read_text()
        .replace("date: 1986-01-28", "date: 1986-02-30")
        .replace("id: iss", "id: challenger")
    )
    result = run("validate", str(MINI), str(bad))
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert all(line.startswith(f"{bad}:") for line in errors)


def test_export_json_and_csv():
    rows = json.loads(run("export", str(MINI), "--format", "json").stdout)
    assert [r["id"] for r in rows][:2] == ["sputnik", "designer-dies"]
    csv = run("export", str(MINI), "--format", "csv").stdout
    assert csv.count("\n") == 12


def test_export_of_an_invalid_file_exits_1(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\n")
    result = run("export", str(bad))
    assert result.returncode == 1
    assert result.stdout == ""


def test_schema_is_json_schema():
    schema = json.loads(run("schema").stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) == {"title", "histories", "divergence", "sources", "events"}
