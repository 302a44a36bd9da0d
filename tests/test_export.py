import json

import timeline as tl


def test_json_records_have_the_export_keys(mini_frame):
    rows = json.loads(tl.to_json(mini_frame))
    assert len(rows) == 11
    assert rows[0] == {
        "id": "sputnik",
        "date": "1957-10-04",
        "end": None,
        "precision": "day",
        "approximate": False,
        "history": "shared",
        "layer": "world",
        "category": "spaceflight",
        "era": "space-race",
        "title": "Sputnik 1 launched",
        "summary": "",
        "counterpart": None,
        "causes": [],
        "sources": ["web-b"],
        "status": None,
        "tags": ["satellite"],
        "confidence": None,
        "setting": None,
    }


def test_csv_joins_lists(mini_frame):
    lines = tl.to_csv(mini_frame).splitlines()
    assert lines[0].split(",")[:3] == ["id", "date", "end"]
    assert "moon; base" in next(line for line in lines if line.startswith("moon-base"))


def test_whole_timeline_dump_loads_back_equal(mini):
    again = tl.validate_timeline(tl.dump_timeline(mini), "dump.json")
    assert again == mini
