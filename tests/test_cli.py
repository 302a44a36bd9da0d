import json
import os
import re
import subprocess
import sys
from pathlib import Path

import timeline as tl
from tests.conftest import MINI, ROOT
from timeline.cli import EXPORT_FORMATS
from timeline.reader import MAX_BYTES


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


def test_every_streamed_cli_export_is_the_libraries_whole_export(mini, mini_frame):
    whole = {
        "json": tl.to_json(mini_frame),
        "csv": tl.to_csv(mini_frame),
        "markdown": tl.to_markdown(mini_frame, mini),
        "timelinejs": json.dumps(tl.to_timelinejs(mini_frame, mini), ensure_ascii=False, indent=2)
        + "\n",
        "timeline": json.dumps(tl.dump_timeline(mini), ensure_ascii=False, indent=2) + "\n",
    }
    assert set(whole) == set(EXPORT_FORMATS) - {"parquet"}  # binary: tests/test_parquet_reader.py
    for fmt, expected in whole.items():
        assert run("export", str(MINI), "--format", fmt).stdout == expected


def test_export_of_an_invalid_file_exits_1(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\n")
    result = run("export", str(bad))
    assert result.returncode == 1
    assert result.stdout == ""


def test_schema_is_json_schema():
    schema = json.loads(run("schema").stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    formats = {
        d["title"]: d for d in schema["$defs"].values() if "format" in d.get("properties", {})
    }
    assert {t: set(d["required"]) for t, d in formats.items()} == {
        "Timeline": {"format", "title", "histories", "sources", "events"},
        "Comparison": {"title", "histories", "divergence", "sources", "events"},
    }


def test_new_writes_a_valid_commented_starter(tmp_path: Path):
    target = tmp_path / "mine.yaml"
    assert run("new", str(target)).returncode == 0
    text = target.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    # The top-level fields a newcomer must fill in are explained where they stand.
    explained = sorted(m[1] for m in re.finditer(r"^(\w+):[^\n#]*#", text, re.M))
    assert explained == ["description", "eras", "format", "histories", "sources"]
    result = run("validate", str(target))
    assert (result.returncode, result.stdout) == (0, f"{target}: ok, 5 events\n")
    # A format-2 tree: a root, a branch and a branch of the branch.
    timeline = tl.load_timeline(target)
    assert [(h.id, h.parent) for h in timeline.histories] == [
        ("ours", None),
        ("library", "ours"),
        ("steam", "library"),
    ]


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


def run_bytes(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The CLI's raw output: a control character must not hide in a decoding step."""
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args], capture_output=True, cwd=ROOT, timeout=30
    )


def test_files_that_are_not_files_each_get_one_line(tmp_path: Path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    sparse = tmp_path / "sparse.yaml"
    with sparse.open("wb") as f:
        f.truncate(3 * 1024**3)
    result = run_bytes(
        "validate", "/dev/zero", "/dev/urandom", str(fifo), str(sparse), str(tmp_path)
    )
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "/dev/zero: is not a regular file (a device, pipe or socket)",
        "/dev/urandom: is not a regular file (a device, pipe or socket)",
        f"{fifo}: is not a regular file (a device, pipe or socket)",
        f"{sparse}: the file is {3 * 1024**3:,} bytes; the limit is {MAX_BYTES:,}",
        f"{tmp_path}: is a folder, not a timeline file",
    ]


def test_utf16_that_does_not_decode_is_one_line_not_a_traceback(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe" + b"t\x00i\x00\n\x00x")
    result = run_bytes("validate", str(bad))
    assert (result.returncode, result.stderr.decode()) == (
        1,
        f"{bad}:2: the file is not valid UTF-16 at byte 8 (save it as UTF-16)\n",
    )


def test_validate_never_prints_a_control_character(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.read_text().replace("format: 1", 'format: 1\n"\\e]0;pwned\\a": 1'))
    result = run_bytes("validate", str(bad))
    assert result.returncode == 1
    assert result.stderr.decode() == (
        f"{bad}:3: ['\\x1b]0;pwned\\x07']: unknown field (known fields: format, title, "
        "description, histories, divergence, eras, sources, events)\n"
    )


def test_control_characters_in_text_are_refused_and_never_printed(tmp_path: Path):
    hostile = tmp_path / "h.yaml"
    hostile.write_text(
        MINI.read_text()
        .replace("title: Mini Moon", 'title: "Moon\\a\\e[2J"')
        .replace("title: Challenger is lost", 'title: "Lost\\0\\e]0;x\\a"')
    )
    for fmt in ("csv", "markdown", "json", "timelinejs", "timeline"):
        done = run_bytes("export", str(hostile), "--format", fmt)
        assert (done.returncode, done.stdout) == (1, b""), fmt
        assert not any(c in done.stderr for c in b"\x00\x07\x1b"), fmt
        assert b"h.yaml:3: title: holds the control character U+0007 at position 5" in done.stderr


def test_new_refuses_a_dangling_link_and_writes_nothing(tmp_path: Path):
    target = tmp_path / "elsewhere.yaml"
    link = tmp_path / "mine.yaml"
    link.symlink_to(target)
    for args in (("new", str(link)), ("new", str(link), "--force")):
        result = run(*args)
        assert (result.returncode, result.stderr) == (
            1,
            f"{link} is a symbolic link; give the path of a new file\n",
        )
    assert not target.exists()


def test_new_explains_a_missing_folder_and_a_folder(tmp_path: Path):
    missing = tmp_path / "no" / "mine.yaml"
    assert run("new", str(missing)).stderr == (
        f"the folder {missing.parent} does not exist; create it first\n"
    )
    assert run("new", str(tmp_path), "--force").stderr == (
        f"{tmp_path} is a folder; give the path of a new file\n"
    )


def test_a_newline_in_the_name_stays_in_its_comment(tmp_path: Path):
    target = tmp_path / "a\ntitle: injected.yaml"
    assert run("new", str(target)).returncode == 0
    text = target.read_text()
    assert "validate a\\x0atitle: injected.yaml`." in text
    assert tl.parse_timeline(text, "x.yaml").title.startswith("What if the Library")
