import json

import pandas as pd

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
        "era": ["space-race"],
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
    again = tl.compare_pair(tl.validate_timeline(tl.dump_timeline(mini), "dump.json"))
    assert again == mini


SPANS = """\
format: 1
title: Spans
histories:
  reference: {label: Ours, color: "#0072B2"}
  diverged: {label: Theirs, color: "#D55E00"}
divergence: d
eras:
  - {id: one-year, label: One year, start: 1983, end: 1983}
  - {id: one-day, label: One day, start: 1999-12-31, end: 1999-12-31}
  - {id: to-december, label: To December, start: 1999-03, end: 1999-12}
  - {id: decade, label: A decade, start: 1960s, end: 1960s}
  - {id: end-before-start-period, label: Short end, start: 1970, end: 1969}
sources:
  - {id: s, title: S, seed: s.txt}
events:
  - {id: d, date: 1969-07-20, end: 1970, title: D, history: diverged, category: c, sources: [s]}
"""


def test_timelinejs_spans_end_after_the_whole_period_of_their_end_date():
    spans = tl.compare_pair(tl.parse_timeline(SPANS, "spans.yaml"))
    data = tl.to_timelinejs(tl.to_frame(spans), spans)
    assert [(e["start_date"], e["end_date"]) for e in data["eras"]] == [
        ({"year": 1983}, {"year": 1984}),
        ({"year": 1999, "month": 12, "day": 31}, {"year": 2000, "month": 1, "day": 1}),
        ({"year": 1999, "month": 3}, {"year": 2000, "month": 1}),
        ({"year": 1960}, {"year": 1970}),
        ({"year": 1970}, {"year": 1971}),
    ]
    assert (data["events"][0]["start_date"], data["events"][0]["end_date"]) == (
        {"year": 1969, "month": 7, "day": 20},
        {"year": 1971},
    )


def test_timelinejs_slides_list_their_sources_and_keep_the_date_label(mini, mini_frame):
    data = tl.to_timelinejs(mini_frame, mini)
    by_id = {e["unique_id"]: e for e in data["events"]}
    assert by_id["sputnik"] == {
        "unique_id": "sputnik",
        "start_date": {"year": 1957, "month": 10, "day": 4},
        "text": {
            "headline": "Sputnik 1 launched",
            "text": '<p>Sources:</p><ul><li><a href="https://example.org/b">A web page</a>, Example</li></ul>',
        },
        "group": "Both histories",
        "display_date": "4 Oct 1957",
    }
    assert by_id["mars-landing"] == {
        "unique_id": "mars-landing",
        "start_date": {"year": 1995},
        "text": {
            "headline": "People land on Mars",
            "text": "<p>Sources:</p><ul><li>A seed article, seed document 004_108a8051df11ac55.txt</li></ul>",
        },
        "group": "Mini Moon",
        "display_date": "c. 1995",
    }
    assert data["title"] == {
        "unique_id": "_title",
        "text": {"headline": "Mini Moon", "text": "<p>A tiny what-if for tests.</p>"},
    }


HOSTILE_TEXT = """\
format: 1
title: "<b>Bold</b>"
histories:
  reference: {label: "<i>Ours</i> & co", color: "#0072B2"}
  diverged: {label: Theirs, color: "#D55E00"}
divergence: d
sources:
  - {id: w, title: "<b>T</b>", publisher: "P & Q", url: "https://example.org/?a=1&b=\\"><script>"}
  - {id: s, title: "S <i>", seed: a.txt}
events:
  - {id: d, date: 1969, title: "<a href=x>D</a>", summary: "</p><p>x\\ny", history: diverged,
     category: c, sources: [w, s]}
  - {id: r, date: 1969, title: R, history: reference, category: c, sources: [s]}
"""


def test_timelinejs_escapes_file_text_and_links_web_sources():
    hostile = tl.compare_pair(tl.parse_timeline(HOSTILE_TEXT, "hostile.yaml"))
    data = tl.to_timelinejs(tl.to_frame(hostile), hostile)
    assert data["title"]["text"]["headline"] == "&lt;b&gt;Bold&lt;/b&gt;"
    assert data["events"][0] == {
        "unique_id": "d",
        "start_date": {"year": 1969},
        "text": {
            "headline": "&lt;a href=x&gt;D&lt;/a&gt;",
            "text": "<p>&lt;/p&gt;&lt;p&gt;x<br>y</p><p>Sources:</p><ul>"
            '<li><a href="https://example.org/?a=1&amp;b=&quot;&gt;&lt;script&gt;">&lt;b&gt;T&lt;/b&gt;</a>, P &amp; Q</li>'
            "<li>S &lt;i&gt;, seed document a.txt</li></ul>",
        },
        "group": "Theirs",
        "display_date": "1969",
    }
    # TimelineJS decodes group labels once before showing them as HTML.
    assert data["events"][1]["group"] == "&amp;lt;i&amp;gt;Ours&amp;lt;/i&amp;gt; &amp;amp; co"


def test_markdown_report_lists_the_sources_its_events_cite(mini, mini_frame):
    report = tl.to_markdown(mini_frame, mini)
    assert report[report.index("## Sources") :] == (
        "## Sources\n\n"
        "- A seed article (seed document 004\\_108a8051df11ac55.txt)\n"
        "- [A web page](https://example.org/b) (Example)\n"
    )
    ours = tl.to_markdown(mini_frame[mini_frame["lane"] == "reference"], mini)
    assert ours[ours.index("## Sources") :] == (
        "## Sources\n\n- [A web page](https://example.org/b) (Example)\n"
    )


def test_markdown_sources_escape_titles_and_publishers():
    source = tl.Source(
        id="w", title="[x](javascript:alert(1)) *b*", publisher="<P>", url="https://e.org/(a)"
    )
    assert tl.export.source_markdown(source) == (
        "[\\[x\\]\\(javascript:\u2060alert\\(1\\)\\) \\*b\\*](https://e.org/%28a%29) (\\<P\\>)"
    )


def _hostile(mini_text: str) -> tuple[tl.Timeline, pd.DataFrame]:
    """Mini Moon with control characters and Markdown in its title, labels and event titles.

    The loader refuses control characters in text, so they are put in after loading: the
    exports must stay clean whatever reaches them.
    """
    text = mini_text.replace("label: Our history", 'label: "Ours | **bold**"')
    timeline = tl.compare_pair(tl.parse_timeline(text, "h.yaml"))
    timeline = timeline.model_copy(
        update={"title": "Moon\x1b]0;pwn\x07 ![i](http://h.example/i.png)"}
    )
    frame = tl.to_frame(timeline)
    titles = {
        "apollo-landing": "Apollo\x00 <b>www.h.example</b>",
        "mars-landing": "Mars\x1b[2J",
    }
    frame["title"] = [titles.get(i, t) for i, t in zip(frame["id"], frame["title"], strict=True)]
    return timeline, frame


def test_csv_escapes_control_characters_visibly(mini_text):
    _, frame = _hostile(mini_text)
    out = tl.to_csv(frame)
    assert not any(c in out for c in "\x00\x1b\x07")
    rows = {line.split(",")[0]: line for line in out.splitlines()}
    assert "Apollo\\x00 <b>www.h.example</b>" in rows["apollo-landing"]
    assert "Mars\\x1b[2J" in rows["mars-landing"]


def test_markdown_report_escapes_every_inserted_text(mini_text):
    timeline, frame = _hostile(mini_text)
    report = tl.to_markdown(frame, timeline, "q=<b>")
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
