import pytest

from timeline.errors import TimelineError
from timeline.reader import MAX_BYTES, MAX_DEPTH, read_yaml


def error(text: str | bytes) -> str:
    with pytest.raises(TimelineError) as info:
        read_yaml(text, "t.yaml")
    (problem,) = info.value.problems
    return str(problem)


def test_plain_scalars_follow_yaml_1_2_not_1_1():
    data, _ = read_yaml("a: no\nb: on\nc: 010\nd: 12:30\ne: 1969-07-20\nf: 3\ng: true\nh: ~", "t")
    assert data == {
        "a": "no",
        "b": "on",
        "c": "010",
        "d": "12:30",
        "e": "1969-07-20",
        "f": 3,
        "g": True,
        "h": None,
    }


def test_lines_are_recorded_for_every_field():
    _, lines = read_yaml("a: 1\nlist:\n  - x: 1\n    y: 2\n", "t")
    assert lines == {
        ("a",): 1,
        ("list",): 2,
        ("list", 0): 3,
        ("list", 0, "x"): 3,
        ("list", 0, "y"): 4,
    }


def test_duplicate_keys_are_an_error():
    assert (
        error("a: 1\nb: 2\na: 3\n")
        == "t.yaml:3: a: duplicate key (each field may appear only once)"
    )


def test_aliases_are_refused():
    assert "aliases" in error("a: &x hello\nb: *x\n")


@pytest.mark.parametrize(
    "text", ["a: !!python/object/apply:os.system [ls]", "a: !!binary aGk=", "a: !!set {x}"]
)
def test_unsafe_tags_are_refused(text):
    assert "is not allowed" in error(text)


def test_deep_nesting_is_refused_before_it_is_built():
    assert f"deeper than {MAX_DEPTH}" in error("[" * 30000 + "]" * 30000)
    assert f"deeper than {MAX_DEPTH}" in error("- " * 5000 + "x")


def test_more_than_one_document_is_an_error():
    assert error("a: 1\n---\nb: 2\n").startswith("t.yaml:2:")


def test_syntax_errors_name_the_line():
    assert error("a: 1\nb: [1, 2\nc: 3\n").startswith("t.yaml:3: YAML syntax")


QUOTE = 'quote the whole value, e.g. title: "Apollo 11: the landing"'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: 1\ntitle: Apollo 11: first steps\n",
            "t.yaml:2: YAML syntax: mapping values are not allowed in this context "
            f"(a value that contains ': ' must be quoted; {QUOTE})",
        ),
        (
            'a: 1\ntitle: "Apollo" 11 lands\nb: 2\n',
            "t.yaml:2: YAML syntax: did not find expected key "
            f"(a value that starts with a quote must end with it; {QUOTE})",
        ),
        (
            "a:\n  b: 1\n\tc: 2\n",
            "t.yaml:3: YAML syntax: found a tab character that violates indentation "
            "(indent with spaces: YAML does not allow tabs there)",
        ),
        (
            "a: 1\ntags: [a, b\nc: 3\n",
            "t.yaml:3: YAML syntax: did not find expected ',' or ']' "
            "(the [ opened on line 2 is not closed)",
        ),
        (
            'a: "abc\nb: 2\n',
            "t.yaml:3: YAML syntax: found unexpected end of stream "
            "(the quote opened on line 1 is not closed)",
        ),
        (
            "events:\n  - id: a\n    title: x\n   date: 1\n",
            "t.yaml:4: YAML syntax: did not find expected '-' indicator "
            "(check the indentation: fields of one item line up, indented with spaces)",
        ),
    ],
)
def test_syntax_errors_come_with_a_plain_hint(text, expected):
    assert error(text) == expected


def test_size_cap_is_enforced_one_byte_over():
    assert "limit" in error(b"#" * (MAX_BYTES + 1))


def test_invalid_utf8_names_its_line():
    assert error(b"a: 1\nb: \xff\n") == (
        "t.yaml:2: the file is not valid UTF-8 at byte 8 (save it as UTF-8)"
    )


def test_bom_and_utf16_are_read():
    assert read_yaml(b"\xef\xbb\xbfa: 1\n", "t")[0] == {"a": 1}
    assert read_yaml("a: 1\n".encode("utf-16"), "t")[0] == {"a": 1}
