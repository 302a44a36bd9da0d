"""Hostile and broken input: each trap ends in the project's own error or in inert text."""

from __future__ import annotations

import codecs
import contextlib
import difflib
import json
import tracemalloc

import pytest

import timeline as tl
from tests.conftest import MINI, line_of
from timeline.load import MAX_PROBLEMS, SUGGEST_POOL
from timeline.reader import MAX_BYTES

BASE = MINI.read_text()


def load(text: str | bytes) -> tl.Timeline:
    return tl.parse_timeline(text, "h.yaml")


def error(text: str | bytes) -> list[str]:
    with pytest.raises(tl.TimelineError) as info:
        load(text)
    return [str(p) for p in info.value.problems]


def event(timeline: tl.Timeline, event_id: str) -> tl.Event:
    return next(e for e in timeline.events if e.id == event_id)


def peak_mb(fn) -> float:
    tracemalloc.start()
    with contextlib.suppress(tl.TimelineError):
        fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def test_deep_flow_nesting_is_refused_before_the_c_loader_recurses():
    # ~30k nested [ segfaults libyaml's composer; we never compose.
    text = "title: " + "[" * 30_000 + "]" * 30_000
    assert error(text) == ["h.yaml:1: title" + "[0]" * 31 + ": nesting deeper than 32 levels"]


def test_deep_block_nesting_is_refused():
    assert "nesting deeper than 32 levels" in error("- " * 20_000 + "x")[0]


def test_alias_bomb_is_refused_with_little_memory():
    lines = ["a: &a " + "x" * 10_000, "b: [" + ", ".join(["*a"] * 10_000) + "]"]
    bomb = "\n".join(lines)
    assert error(bomb) == ["h.yaml:2: b[0]: YAML aliases (*name) are not allowed (write it out)"]
    assert peak_mb(lambda: load(bomb)) < 200


def test_billion_laughs_is_refused_with_little_memory():
    rows = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "\n".join(rows)
    assert "aliases" in error(bomb)[0]
    assert peak_mb(lambda: load(bomb)) < 200


def test_duplicate_keys_are_an_error():
    text = BASE.replace("title: Mini Moon\n", "title: Mini Moon\ntitle: Other\n", 1)
    assert error(text) == [
        f"h.yaml:{line_of(text, 'title: Other')}: title: duplicate key (each field may appear only once)"
    ]


def test_yaml_1_1_typing_traps_stay_text():
    text = (
        BASE.replace("title: Sputnik 1 launched", "title: no")
        .replace("title: Skylab launched", "title: 12:30")
        .replace("title: Challenger is lost", "title: 010")
    )
    timeline = load(text)
    titles = [event(timeline, i).title for i in ("sputnik", "skylab", "challenger")]
    assert titles == ["no", "12:30", "010"]


def test_impossible_date_is_the_projects_error_not_a_valueerror():
    text = BASE.replace("date: 1986-01-28", "date: 1969-02-30")
    assert error(text) == [
        f"h.yaml:{line_of(text, '1969-02-30')}: events[7].date: '1969-02-30' is not a valid date: "
        "month 2 of 1969 has 28 days"
    ]


def test_zero_as_a_date_is_1_bc_not_1970():
    text = BASE.replace("date: 1957-10-04\n    title: Sputnik", "date: 0\n    title: Sputnik")
    assert event(load(text), "sputnik").date.label() == "1 BC"


def test_huge_numbers_do_not_crash():
    text = BASE.replace(
        "date: 1957-10-04\n    title: Sputnik", "date: 99999999\n    title: Sputnik"
    )
    assert "out of range" in error(text)[0]
    text = BASE.replace("format: 1", "format: " + "9" * 5000)
    assert "format" in error(text)[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "h.yaml: the file is empty; a timeline is a mapping with title, histories and events"),
        (
            "null\n",
            "h.yaml: the file is empty; a timeline is a mapping with title, histories and events",
        ),
        (
            "- a\n- b\n",
            "h.yaml: the file is a list; a timeline is a mapping with title, histories and events",
        ),
        ("a: 1\n---\nb: 2\n", "h.yaml:2: the file holds more than one YAML document"),
        (
            "title: x\n\tevents: []\n",
            "h.yaml:2: YAML syntax: found a tab character that violates indentation "
            "(indent with spaces: YAML does not allow tabs there)",
        ),
    ],
)
def test_degenerate_documents(text, message):
    assert error(text)[0] == message


def test_bom_utf16_and_crlf_load():
    assert load(codecs.BOM_UTF8 + BASE.encode()).title == "Mini Moon"
    assert load(BASE.encode("utf-16")).title == "Mini Moon"
    assert load(BASE.replace("\n", "\r\n").encode()).title == "Mini Moon"


def test_invalid_utf8_is_named_by_line():
    raw = BASE.encode().replace(b"Skylab launched", b"Skylab \xff launched")
    assert error(raw) == [
        f"h.yaml:{line_of(BASE, 'Skylab launched')}: the file is not valid UTF-8 at byte "
        f"{raw.index(0xFF):,} (save it as UTF-8)"
    ]


def test_one_byte_over_the_cap_is_refused():
    raw = BASE.encode()
    padded = raw + b"#" * (MAX_BYTES - len(raw))
    assert load(padded).title == "Mini Moon"
    assert error(padded + b"#") == [
        f"h.yaml: the file is {MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,}"
    ]


def test_unknown_field_suggests_a_fix():
    text = BASE.replace("    category: politics", "    categroy: politics")
    assert (
        f"h.yaml:{line_of(text, 'categroy')}: events[9].categroy: unknown field (did you mean 'category'?)"
        in error(text)
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "JAVASCRIPT:x"]
)
def test_script_urls_are_refused(url):
    text = BASE.replace("url: https://example.org/b", f'url: "{url}"')
    problems = error(text)
    assert problems == [
        f"h.yaml:{line_of(text, 'url:')}: sources[1].url: {url!r} is not a web address (only http:// and https:// addresses)"
    ]


@pytest.mark.parametrize("markup", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">'])
def test_markup_in_titles_is_kept_as_inert_text(markup):
    text = BASE.replace("title: Skylab launched", f"title: '{markup}'").replace(
        "summary: The Soviet landing beats Apollo.", f"summary: '{markup}'"
    )
    timeline = load(text)
    assert event(timeline, "skylab").title == markup
    assert tl.escape_markdown(markup).startswith("\\<")


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['echo pwned']",
        "!!python/name:os.system",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "!custom thing",
    ],
)
def test_unsafe_tags_are_refused(value):
    text = BASE.replace("title: Skylab launched", f"title: {value}")
    problems = error(text)
    assert len(problems) == 1
    assert problems[0].startswith(f"h.yaml:{line_of(text, value)}: events[5].title: the tag ")
    assert "is not allowed" in problems[0]


# --- Generated files: cost follows the size of the file, never its square ---------------------

HEAD = (
    "title: T\nhistories:\n  reference: {label: R, color: '#000000'}\n"
    "  diverged: {label: D, color: '#ffffff'}\ndivergence: e0\n"
    "sources:\n  - {id: s, title: S, seed: a.txt}\n"
)


def generated(events: int, eras: int = 0, extra=lambda i: "") -> str:
    """A timeline of `events` one-line events (and `eras` eras spanning all of them)."""
    lines = [HEAD]
    if eras:
        lines.append("eras:\n")
        lines += [f"  - {{id: a{i}, label: A, start: 1, end: 2000}}\n" for i in range(eras)]
    lines.append("events:\n")
    lines += [
        f"  - {{id: e{i}, date: {1 + i % 1990}, title: x, history: diverged, category: c, "
        f"sources: [s]{extra(i)}}}\n"
        for i in range(events)
    ]
    return "".join(lines)


def test_a_long_causes_cycle_is_one_bounded_message():
    # Each event is caused by the next; the last by e1: one cycle of 3,999 events.
    n = 4000
    text = generated(n, extra=lambda i: f", causes: [e{i + 1 if i < n - 1 else 1}]" if i else "")
    chain = " → ".join(f"e{i}" for i in range(1, 11))
    assert error(text) == [
        f"h.yaml:{line_of(text, 'id: e1,')}: events[1].causes[0]: causes form a cycle: "
        f"{chain} → … → e1 (3,999 events)"
    ]


def test_many_separate_cycles_report_ten_then_stop():
    # 30 two-event cycles: e(2k) <-> e(2k+1).
    text = generated(61, extra=lambda i: f", causes: [e{i + 1 if i % 2 else i - 1}]" if i else "")
    problems = error(text)
    assert len(problems) == 11
    assert problems[0].endswith("events[1].causes[0]: causes form a cycle: e1 → e2 → e1")
    assert (
        problems[-1]
        == "h.yaml:8: events: more than 10 causes cycles (fix these and validate again)"
    )


def test_errors_are_capped_and_suggestions_come_from_a_bounded_pool(monkeypatch):
    calls: list[int] = []
    real = difflib.get_close_matches

    def counted(word, possibilities, *args, **kwargs):
        calls.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    text = generated(2000, extra=lambda i: f", causes: [e{i}x]" if i else "")
    problems = error(text)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0] == (
        f"h.yaml:{line_of(text, 'id: e1,')}: events[1].causes[0]: no event has the id 'e1x' "
        "(did you mean 'e1'?)"
    )
    assert problems[-1] == f"h.yaml: and {1999 - MAX_PROBLEMS:,} more problems"
    assert len(calls) == MAX_PROBLEMS  # a suggestion only for the problems shown
    assert max(calls) <= SUGGEST_POOL


def test_events_in_many_overlapping_eras_share_one_membership_list():
    timeline = load(generated(3000, eras=3000))
    frame = tl.to_frame(timeline)
    assert len({id(ids) for ids in frame["eras"]}) == 1
    assert frame["eras"][0] == [f"a{i}" for i in range(3000)]
    assert frame["era"][0] is frame["eras"][0]  # the export lists them all, the same list


# --- Decoding: every path reports the file, the line and the byte -------------------------------


def test_utf16_that_does_not_decode_is_an_error_with_its_position():
    raw = codecs.BOM_UTF16_LE + "title: x\n".encode("utf-16-le") + b"\x41"
    assert error(raw) == ["h.yaml:2: the file is not valid UTF-16 at byte 20 (save it as UTF-16)"]
    assert json_error(raw) == [
        "h.json:2: the file is not valid UTF-16 at byte 20 (save it as UTF-16)"
    ]


def test_a_nul_byte_is_reported_on_its_line():
    text = BASE.replace("title: Skylab launched", "title: Sky\x00lab")
    assert error(text) == [
        f"h.yaml:{line_of(text, 'Sky')}: the character '\\x00' is not allowed in YAML "
        "(control characters are not allowed)"
    ]


def json_error(text: str | bytes) -> list[str]:
    with pytest.raises(tl.TimelineError) as info:
        tl.parse_timeline(text, "h.json")
    return [str(p) for p in info.value.problems]


def test_cr_only_json_reports_the_right_lines(mini: tl.Timeline):
    text = json.dumps(tl.dump_timeline(mini), indent=1).replace("1986-01-28", "1986-02-30")
    wanted = line_of(text, "1986-02-30")
    assert json_error(text.replace("\n", "\r")) == [
        f"h.json:{wanted}: events[7].date: '1986-02-30' is not a valid date: "
        "month 2 of 1986 has 28 days"
    ]
    assert json_error('{\r"a": 1,\r\r"a": [}') == ["h.json:4: JSON syntax: Expecting value"]


def test_a_nested_json_duplicate_key_names_its_path(mini: tl.Timeline):
    text = json.dumps(tl.dump_timeline(mini), indent=2)
    text = text.replace('"id": "skylab",', '"id": "skylab",\n      "id": "other",')
    assert json_error(text) == [
        f"h.json:{line_of(text, 'other')}: events[5].id: duplicate key "
        "(each field may appear only once)"
    ]


def test_a_50_mb_json_string_is_located_without_running_out_of_memory(mini: tl.Timeline):
    data = tl.dump_timeline(mini)
    data["events"][0]["summary"] = "x" * 50_000_000
    text = json.dumps(data, indent=2)
    problems = json_error(text)
    assert problems == [
        f"h.json:{line_of(text, 'xxxx')}: events[0].summary: String should have at most 5000 "
        "characters (got '" + "x" * 80 + "'… (50,000,000 characters))"
    ]


# --- Messages: short, printable, and naming the field as written -------------------------------


def test_huge_values_are_clipped_in_messages():
    text = BASE.replace(
        "    category: politics", "    category: politics\n    confidence: " + "z" * 1_000_000
    )
    [problem] = error(text)
    assert problem.endswith(
        "events[9].confidence: '" + "z" * 80 + "'… (1,000,000 characters) is not allowed; "
        "input should be 'high', 'medium' or 'low'"
    )


def test_control_characters_in_keys_and_values_are_escaped_in_messages():
    text = BASE.replace("    category: politics", '    "\\e]0;pwned\\a": 1\n    category: politics')
    [problem] = error(text)
    assert problem == (
        f"h.yaml:{line_of(text, 'pwned')}: events[9]['\\x1b]0;pwned\\x07']: unknown field "
        "(known fields: id, date, precision, approximate, end, title, summary, history, layer, "
        "category, tags, counterpart, status, causes, sources, confidence, setting)"
    )
    assert "\x1b" not in problem and "\x07" not in problem


def test_a_key_holding_a_bracket_keeps_its_name():
    text = BASE.replace("    category: politics", "    tags[0]: x\n    category: politics")
    assert error(text) == [
        f"h.yaml:{line_of(text, 'tags[0]')}: events[9]['tags[0]']: unknown field "
        "(did you mean 'tags'?)"
    ]
