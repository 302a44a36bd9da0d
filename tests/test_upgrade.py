"""`timeline upgrade`: a format-1 file as format 2, losing nothing, comments and order kept."""

import json

import pytest

import timeline as tl
from tests.conftest import MINI, ROOT, TREE
from timeline.upgrade import upgrade_text

FORMAT_1 = [ROOT / "seeds" / "roma-eterna.yaml", MINI]


@pytest.mark.parametrize("path", FORMAT_1, ids=lambda p: p.name)
def test_an_upgraded_file_loads_to_the_same_comparison(path):
    before = tl.load_timeline(path)
    assert before.origin_format == 1
    after = tl.parse_timeline(upgrade_text(path.read_text(), path.name), path.name)
    assert after.origin_format == 2
    assert tl.compare_pair(after) == tl.compare_pair(before)


@pytest.mark.parametrize("path", FORMAT_1, ids=lambda p: p.name)
def test_only_the_format_lines_change(path):
    text = path.read_text()
    new = upgrade_text(text, path.name)
    removed = [line for line in text.splitlines() if line not in new.splitlines()]
    # Comments anywhere else survive; only format, the two histories and divergence go.
    assert all(
        line.startswith(("format:", "  reference:", "  diverged:", "divergence:"))
        for line in removed
    ), removed
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert [line for line in comments if line in new.splitlines()] == comments


def test_renamed_ids_reach_every_event(mini_text):
    new = upgrade_text(mini_text, "mini.yaml", ("ours", "moon"))
    timeline = tl.parse_timeline(new, "mini.yaml")
    assert [(h.id, h.parent, h.divergence) for h in timeline.histories] == [
        ("ours", None, None),
        ("moon", "ours", "designer-survives"),
    ]
    assert {e.history for e in timeline.events} == {"ours", "moon", "shared"}
    old = tl.load_timeline(MINI)
    rename = {"reference": "ours", "diverged": "moon", "shared": "shared"}
    assert [(e.id, rename[e.history]) for e in old.events] == [
        (e.id, e.history) for e in timeline.events
    ]


def test_json_is_upgraded_too(mini):
    text = json.dumps(tl.dump_timeline(mini), indent=1)
    new = json.loads(upgrade_text(text, "mini.json"))
    assert list(new)[:2] == ["format", "title"]
    assert new["histories"][1] == {
        "id": "diverged",
        "label": "Mini Moon",
        "color": "#D55E00",
        "parent": "reference",
        "divergence": "designer-survives",
    }
    assert "divergence" not in new
    assert tl.compare_pair(tl.validate_timeline(new, "mini.json")) == mini


def test_a_format_2_file_is_not_upgraded_again():
    text = (TREE).read_text()
    with pytest.raises(tl.TimelineError) as info:
        upgrade_text(text, "tree.yaml")
    assert [str(p) for p in info.value.problems] == ["tree.yaml: format: is already format 2"]


def test_an_invalid_file_is_refused_with_its_problems(mini_text):
    with pytest.raises(tl.TimelineError) as info:
        upgrade_text(mini_text.replace("title: Mini Moon", "titel: Mini Moon"), "m.yaml")
    assert [p.field for p in info.value.problems] == ["title", "titel"]
