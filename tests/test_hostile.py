"""Hostile and broken input: each trap ends in the project's own error or in inert text."""

from __future__ import annotations

import codecs
import contextlib
import tracemalloc

import pytest

import timeline as tl
from tests.conftest import MINI, line_of
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
            "h.yaml:2: YAML syntax: found a tab character that violates indentation",
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
