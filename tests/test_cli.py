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


def test_new_writes_a_valid_commented_starter(tmp_path: Path):
    target = tmp_path / "mine.yaml"
    assert run("new", str(target)).returncode == 0
    text = target.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert text.count("#") > 20  # fields are explained
    result = run("validate", str(target))
    assert (result.returncode, result.stdout) == (0, f"{target}: ok, 3 events\n")


def test_new_refuses_to_overwrite(tmp_path: Path):
    target = tmp_path / "mine.yaml"
    target.write_text("keep me")
    result = run("new", str(target))
    assert result.returncode == 1
    assert target.read_text() == "keep me"


def test_new_points_seed_files_at_the_schema(tmp_path: Path):
    from timeline.template import starter

    assert starter(ROOT / "seeds" / "x.yaml").startswith(
        "# yaml-language-server: $schema=../timeline/timeline.schema.json\n"
    )


def test_a_timeline_exported_as_json_validates_and_exports_the_same(tmp_path: Path):
    as_json = tmp_path / "mini.json"
    as_json.write_text(run("export", str(MINI), "--format", "timeline").stdout)
    assert run("validate", str(as_json)).stdout == f"{as_json}: ok, 11 events\n"
    assert run("export", str(as_json), "--format", "csv").stdout == (
        run("export", str(MINI), "--format", "csv").stdout
    )
