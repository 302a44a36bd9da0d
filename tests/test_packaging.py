"""The project installs as a package: pins declared once, schema shipped, CLI runs anywhere."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
import subprocess
import sys
from pathlib import Path

import timeline as tl
from tests.conftest import MINI, ROOT


def pins(name: str) -> list[str]:
    """The requirement lines of a requirements file, comments dropped."""
    lines = (ROOT / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_installed_requirements_are_the_pins_of_the_requirements_files():
    declared = importlib.metadata.requires("timeline-explorer")
    assert declared == pins("requirements.txt") + [
        f'{pin}; extra == "dev"' for pin in pins("requirements-dev.txt")
    ]


def test_every_pin_is_exact():
    assert [
        p for p in pins("requirements.txt") + pins("requirements-dev.txt") if "==" not in p
    ] == []


def test_the_package_ships_the_schema_the_repository_shows():
    shipped = importlib.resources.files("timeline").joinpath("timeline.schema.json")
    assert json.loads(shipped.read_text()) == tl.json_schema()
    assert (ROOT / "timeline.schema.json").resolve() == ROOT / "timeline" / "timeline.schema.json"


def test_python_m_timeline_works_from_any_folder(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "validate", str(MINI)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{MINI}: ok, 11 events\n", "")
