"""The README stays true: every format field is documented and its example validates."""

import re

import timeline as tl
from tests.conftest import ROOT
from timeline.schema import Era, Event, HistoryInfo, Source, Timeline

README = (ROOT / "README.md").read_text()


def test_every_schema_field_appears_in_the_readme():
    fields = {
        f for model in (Timeline, HistoryInfo, Era, Source, Event) for f in model.model_fields
    }
    missing = sorted(f for f in fields if f"`{f}`" not in README)
    assert missing == []


def test_the_readme_example_validates():
    example = re.search(r"```yaml\n(# yaml-language-server.*?)```", README, re.S)
    assert example is not None
    timeline = tl.parse_timeline(example.group(1), "README.md")
    assert [e.status.value for e in timeline.events] == ["replaced", "replaced"]


def test_the_two_commands_exist():
    for script in ("scripts/run.sh", "scripts/test.sh"):
        assert f"bash {script}" in README
        assert (ROOT / script).exists()
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
