"""The README stays true: every format field is documented and its example validates."""

import re

import timeline as tl
from tests.conftest import ROOT
from timeline.schema import Comparison, Era, Event, HistoryInfo, HistoryNode, Source, Timeline

README = (ROOT / "README.md").read_text()


def section(title: str) -> str:
    """The README text under `### title`, up to the next heading."""
    match = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^##)", README, re.S | re.M)
    assert match is not None, title
    return match.group(1)


def test_every_schema_field_is_documented_where_its_model_is():
    # Tables list one field a row: deleting a row fails, not only deleting every mention.
    rows = {
        "Top level": Timeline,
        "Events": Event,
    }
    missing = [
        (title, f)
        for title, model in rows.items()
        for f in model.model_fields
        if f"| `{f}` |" not in section(title)
    ]
    mentioned = {
        "Histories": HistoryNode,
        "Format 1": HistoryInfo,
        "Eras": Era,
        "Sources": Source,
    }
    missing += [
        (title, f)
        for title, model in mentioned.items()
        for f in model.model_fields
        if f"`{f}`" not in section(title)
    ]
    # Format 1's own fields (the rest are format 2's) are described in its section.
    missing += [
        ("Format 1", f)
        for f in Comparison.model_fields
        if f not in Timeline.model_fields and f"`{f}`" not in section("Format 1")
    ]
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
