"""JSON timelines: the YAML schema, fast parsing, and errors that still name the line."""

from __future__ import annotations

import json

import pytest

import timeline as tl
from tests.conftest import line_of
from timeline.json_reader import json_lines, read_json


def as_json(timeline: tl.Timeline) -> str:
    return json.dumps(tl.dump_timeline(timeline), indent=2)


def error(text: str | bytes, **kwargs: int) -> list[str]:
    with pytest.raises(tl.TimelineError) as info:
        tl.parse_timeline(text, "t.json", **kwargs)
    return [str(p) for p in info.value.problems]


def test_json_loads_the_same_timeline_as_yaml(mini: tl.Timeline):
    assert tl.compare_pair(tl.parse_timeline(as_json(mini), "t.json")) == mini


def test_json_errors_name_the_line_of_the_field(mini: tl.Timeline):
    text = as_json(mini).replace('"1986-01-28"', '"1986-02-30"')
    text = text.replace('"category": "politics"', '"categroy": "politics"', 1)
    item = line_of(text, "categroy") - 9  # the `{` that opens events[9]
    assert text.splitlines()[item - 1].strip() == "{"
    assert error(text) == [
        f"t.json:{line_of(text, '1986-02-30')}: events[7].date: '1986-02-30' is not a valid "
        "date: month 2 of 1986 has 28 days",
        f"t.json:{item}: events[9].category: is required",
        f"t.json:{line_of(text, 'categroy')}: events[9].categroy: unknown field "
        "(did you mean 'category'?)",
    ]


def test_json_cross_reference_errors_name_the_line(mini: tl.Timeline):
    text = as_json(mini).replace('"counterpart": "soviet-landing"', '"counterpart": "sovet"')
    text = text.replace('"causes": [\n        "moon-base"', '"causes": [\n        "moon-bas"')
    cause = line_of(text, '"moon-bas"')
    assert error(text) == [
        f"t.json:{line_of(text, 'sovet')}: events[3].counterpart: no event has the id 'sovet'",
        f"t.json:{cause}: events[8].causes[0]: "
        "no event has the id 'moon-bas' (did you mean 'moon-base'?)",
    ]


def test_duplicate_json_keys_are_an_error_with_their_line():
    text = '{\n  "title": "a",\n  "events": [],\n  "title": "b"\n}'
    assert error(text) == ["t.json:4: title: duplicate key (each field may appear only once)"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"title": "a",\n "events": [}', "t.json:2: JSON syntax: Expecting value"),
        ("[" * 100_000 + "]" * 100_000, "t.json: nesting is too deep"),
        ('{"format": ' + "9" * 5000 + "}", "t.json: JSON value: Exceeds the limit"),
        ("[]", "t.json: the file is a list; a timeline is a mapping"),
    ],
)
def test_broken_json_gives_the_projects_error(text: str, message: str):
    assert error(text)[0].startswith(message)


def test_json_has_its_own_size_cap_and_a_caller_may_lower_it(mini: tl.Timeline):
    text = as_json(mini)
    assert tl.parse_timeline(text + " " * 6_000_000, "t.json").title == "Mini Moon"
    assert error(text, limit=100) == [f"t.json: the file is {len(text):,} bytes; the limit is 100"]


def test_json_lines_finds_only_the_wanted_paths():
    text = '{\n "a": [\n  {"b": 1},\n  {"b": 2,\n   "c": "x,y"}\n ]\n}'
    assert json_lines(text, {("a", 1, "c"), ("a", 0)}) == {("a", 1, "c"): 5, ("a", 0): 3}
    assert read_json(text, "t.json") == {"a": [{"b": 1}, {"b": 2, "c": "x,y"}]}


@pytest.mark.parametrize(
    "raw",
    [
        b'\xef\xbb\xbf{"title": "a BOM"}',
        b'{"title": "lone \\ud800 surrogate", "emoji": "\\ud83d\\ude00"}',
        b'{"deep": ' + b"[" * 300 + b"]" * 300 + b"}",
        b'{"n": [NaN, Infinity, -0, 1e400, 123456789012345678901234567890]}',
        '{"utf-16": "with its BOM"}'.encode("utf-16"),
    ],
)
def test_bytes_read_the_same_as_the_standard_library_reads_their_text(raw: bytes):
    encoding = "utf-16" if raw.startswith(b"\xff\xfe") else "utf-8-sig"
    expected = json.loads(raw.decode(encoding))
    assert repr(read_json(raw, "t.json")) == repr(expected)  # repr: NaN equals itself there


def test_repeated_short_strings_are_one_object():
    data = read_json(b'[{"history": "reference"}, {"history": "reference"}]', "t.json")
    assert data[0]["history"] is data[1]["history"]
