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


def _hostile(mini_text: str) -> tl.Timeline:
    """Mini Moon with control characters and Markdown in its title, labels and event titles."""
    text = (
        mini_text.replace(
            "title: Mini Moon", 'title: "Moon\\e]0;pwn\\a ![i](http://h.example/i.png)"'
        )
        .replace("label: Our history", 'label: "Ours | **bold**"')
        .replace("title: Apollo lands on the Moon", 'title: "Apollo\\0 <b>www.h.example</b>"')
        .replace("title: People land on Mars", 'title: "Mars\\e[2J"')
    )
    return tl.parse_timeline(text, "h.yaml")


def test_csv_escapes_control_characters_visibly(mini_text):
    timeline = _hostile(mini_text)
    out = tl.to_csv(tl.to_frame(timeline))
    assert not any(c in out for c in "\x00\x1b\x07")
    rows = {line.split(",")[0]: line for line in out.splitlines()}
    assert "Apollo\\x00 <b>www.h.example</b>" in rows["apollo-landing"]
    assert "Mars\\x1b[2J" in rows["mars-landing"]


def test_markdown_report_escapes_every_inserted_text(mini_text):
    timeline = _hostile(mini_text)
    report = tl.to_markdown(tl.to_frame(timeline), timeline, "q=<b>")
    j = "\u2060"
    assert report.splitlines()[:3] == [
        rf"# Moon\\x1b\]0;pwn\\x07 \!\[i\]\(http:{j}//h.example/i.png\): "
        rf"Ours \| \*\*bold\*\* vs Mini Moon",
        "",
        r"View: q=\<b\>",
    ]
    assert (
        rf"| 20 Jul 1969: Apollo\\x00 \<b\>www{j}.h.example\</b\> | "
        "26 Jun 1969: A cosmonaut walks on the Moon first | \u221224 days | replaced |"
    ) in report
    assert not any(c in report for c in "\x00\x1b\x07")
