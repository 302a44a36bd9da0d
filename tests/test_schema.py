"""The format's fields: sources that are not web pages, plain text, uncertain dates in files."""

import json
import re

import pytest

import timeline as tl
from tests.conftest import ROOT, TREE, line_of, problems
from timeline.dates import HDate, date_pattern
from timeline.reader import read_yaml
from timeline.schema import Source, SourceKind, json_schema

WEB_SOURCE = "  - id: web-b\n    title: A web page\n    publisher: Example\n    language: en\n"
WEB_URL = "    url: https://example.org/b\n"


def with_source(mini_text: str, fields: str) -> str:
    """The mini timeline with source `web-b` described by `fields` instead of its address."""
    return mini_text.replace(WEB_SOURCE + WEB_URL, "  - id: web-b\n" + fields)


def source(text: str) -> tl.Source:
    return next(s for s in tl.parse_timeline(text, "t.yaml").sources if s.id == "web-b")


def test_format_1_sources_get_their_kind_from_url_or_seed(mini):
    assert [(s.id, s.kind) for s in mini.sources] == [
        ("seed-a", SourceKind.seed),
        ("web-b", SourceKind.web),
    ]


def test_a_printed_book_is_a_source_without_an_address(mini_text):
    text = with_source(
        mini_text,
        "    title: The Right Stuff\n    author: Tom Wolfe\n    publisher: Farrar, Straus and"
        " Giroux\n    edition: 1st\n    isbn: 0-374-25032-4\n    chapter: '3'\n"
        "    page: 112-118\n    date: 1979\n",
    )
    book = source(text)
    assert (book.kind, book.author, book.isbn, book.chapter, book.page, book.url) == (
        SourceKind.book,
        "Tom Wolfe",
        "0-374-25032-4",
        "3",
        "112-118",
        None,
    )


def test_an_episode_is_a_source(mini_text):
    text = with_source(
        mini_text,
        "    title: Red Moon\n    series: For All Mankind\n    season: 1\n    episode: 1\n"
        "    publisher: Apple TV+\n    date: 2019-11-01\n",
    )
    episode = source(text)
    assert (episode.kind, episode.series, episode.season, episode.episode) == (
        SourceKind.episode,
        "For All Mankind",
        1,
        1,
    )


def test_a_film_says_its_kind(mini_text):
    text = with_source(mini_text, "    title: Apollo 13\n    kind: film\n    date: 1995\n")
    assert source(text).kind is SourceKind.film


@pytest.mark.parametrize(
    ("fields", "at", "message"),
    [
        (
            "    title: A book\n    isbn: 0-306-40615-3\n",
            "isbn",
            "'0-306-40615-3' is not a valid ISBN: its check digit should be 2",
        ),
        (
            "    title: A book\n    isbn: '12345'\n",
            "isbn",
            "'12345' is not an ISBN: write 10 digits (the last may be X) "
            "or 13 starting with 978 or 979",
        ),
        (
            "    title: An episode\n    kind: episode\n    series: Show\n    isbn: 0-306-40615-2\n",
            "",
            "'isbn' is for book sources, not episode sources",
        ),
        (
            "    title: An episode\n    kind: episode\n    season: 2\n",
            "",
            "an episode source needs 'series'",
        ),
        (
            "    title: A page\n    kind: web\n",
            "",
            "a web source needs 'url'",
        ),
        (
            "    title: Both\n    seed: a.txt\n    url: https://example.org/\n",
            "",
            "give exactly one of 'seed' (a seed file name) or 'url', not both",
        ),
        (
            "    title: Nothing to find it by\n",
            "",
            "give exactly one of 'seed' (a seed file name) or 'url' (an address), or say which "
            "kind of source it is (kind: book, article, episode, film or other)",
        ),
        (
            "    title: A film\n    kind: film\n    episode: 3\n",
            "",
            "'episode' is for episode sources, not film sources",
        ),
        (
            "    title: A book\n    kind: book\n    episode: -1\n",
            "episode",
            "Input should be greater than or equal to 0 (got -1)",
        ),
    ],
)
def test_source_problems_name_the_line_and_field(mini_text, fields, at, message):
    text = with_source(mini_text, fields)
    field = "sources[1]" + (f".{at}" if at else "")
    line = line_of(text, f"{at}:") if at else line_of(text, "id: web-b")
    assert [str(p) for p in problems(text)] == [f"t.yaml:{line}: {field}: {message}"]


def test_isbn_10_with_x_and_spaces_is_valid(mini_text):
    text = with_source(mini_text, "    title: A book\n    isbn: 0 8044 2957 X\n")
    assert source(text).isbn == "0 8044 2957 X"


@pytest.mark.parametrize(
    ("old", "new", "field", "char", "position"),
    [
        ("title: Sputnik 1 launched", 'title: "Sputnik\\0 1"', "events[0].title", "0000", 8),
        ("label: Space Race", 'label: "Space\\e[31m Race"', "eras[0].label", "001B", 6),
        ("title: A web page", 'title: "A web\\a page"', "sources[1].title", "0007", 6),
        ("publisher: Example", 'publisher: "Ex\\x7fample"', "sources[1].publisher", "007F", 3),
        ("title: Mini Moon", 'title: "Mini\\tMoon"', "title", "0009", 5),
        ("category: spaceflight", 'category: "space\\x85flight"', "events[0].category", "0085", 6),
    ],
)
def test_text_fields_refuse_control_characters(mini_text, old, new, field, char, position):
    text = mini_text.replace(old, new, 1)
    assert [str(p) for p in problems(text)] == [
        f"t.yaml:{line_of(text, new)}: {field}: holds the control character U+{char} "
        f"at position {position}; write plain text"
    ]


def test_long_text_keeps_newlines_and_tabs_but_refuses_escape(mini_text):
    ok = mini_text.replace("description: A tiny what-if for tests.", 'description: "a\\n\\tb"')
    assert tl.parse_timeline(ok, "t.yaml").description == "a\n\tb"
    bad = mini_text.replace("description: A tiny what-if for tests.", 'description: "a\\eb"')
    assert [str(p) for p in problems(bad)] == [
        f"t.yaml:{line_of(bad, 'description')}: description: holds the control character "
        "U+001B at position 2; write plain text (newlines and tabs are fine)"
    ]


@pytest.mark.parametrize("path", sorted((ROOT / "seeds").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_seeds_hold_no_control_characters(path):
    assert tl.load_timeline(path).events


def test_uncertain_dates_load_and_dump_unchanged(mini_text):
    text = mini_text.replace("date: 1995\n", "date: 1994/1996?\n").replace(
        "date: 1998-11-20", "date: ../1998-11~"
    )
    timeline = tl.parse_timeline(text, "t.yaml")
    dates = {e.id: e.date for e in timeline.events}
    assert (dates["mars-landing"].label(), dates["iss"].label()) == (
        "1994–1996?",
        "by c. Nov 1998",
    )
    again = tl.validate_timeline(json.loads(json.dumps(tl.dump_timeline(timeline))), "d.json")
    assert again == timeline


def test_a_decade_precision_keeps_the_written_year_as_the_anchor(mini_text):
    text = mini_text.replace("date: 1995\n", "date: 1995\n    precision: decade\n")
    event = next(e for e in tl.parse_timeline(text, "t.yaml").events if e.id == "mars-landing")
    assert (event.date.label(), event.date.anchor, event.date.earliest) == ("1990s", 1995.5, 1990)
    assert tl.dump_timeline(tl.parse_timeline(text, "t.yaml"))["events"][8]["date"] == "1995"


def test_a_range_cannot_take_a_coarser_precision(mini_text):
    text = mini_text.replace("date: 1995\n", "date: 1994/1996\n    precision: decade\n")
    (problem,) = problems(text)
    assert (problem.field, problem.message) == (
        "events[8]",
        "a range ('1994/1996') cannot take a precision: its ends give theirs",
    )


def test_the_json_schema_date_pattern_is_the_parsers(mini_text):
    date = json_schema()["$defs"]["Event"]["properties"]["date"]
    assert date["anyOf"] == [
        {"type": "integer", "minimum": -999_999, "maximum": 999_999},
        {"type": "string", "pattern": date_pattern()},
    ]
    assert HDate.parse("44 bc") == HDate.parse("-0043")


README = (ROOT / "README.md").read_text()


def readme_table(header: str) -> list[list[str]]:
    """The cells of the README table whose header row starts with `header`."""
    block = README[README.index(header) :].split("\n\n", 1)[0]
    return [[c.strip() for c in row.strip("|").split("|")] for row in block.splitlines()[2:]]


def test_the_readme_date_table_says_what_the_parser_does():
    rows = readme_table("| you write |")
    assert len(rows) == 15
    for written, _meaning, shown, *_ in rows:
        forms = re.findall(r"`([^`]+)`", written)
        assert HDate.parse(forms[0]).label() == shown, written
        assert all(HDate.parse(f) for f in forms)


def test_the_readme_source_examples_validate():
    example = re.search(r"```yaml\n(sources:\n.*?)```", README, re.S)
    assert example is not None
    sources = read_yaml(example.group(1), "README.md")[0]["sources"]
    kinds = [Source.model_validate(s).kind for s in sources]
    assert kinds == [SourceKind.book, SourceKind.episode, SourceKind.film]
    rows = readme_table("| `kind` |")
    documented = {kind for row in rows for kind in re.findall(r"`(\w+)`", row[0])}
    assert documented == {k.value for k in SourceKind}


def schema_errors(data: object) -> list[str]:
    """What an editor's JSON Schema check says about a timeline (jsonschema ships with altair)."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json.loads((ROOT / "timeline.schema.json").read_text()))
    return sorted(e.json_path for e in validator.iter_errors(data))


@pytest.mark.parametrize("path", sorted((ROOT / "seeds").glob("*.yaml")), ids=lambda p: p.name)
def test_editors_accept_the_shipped_seeds(path):
    assert schema_errors(read_yaml(path.read_text(), path.name)[0]) == []


def test_editors_accept_the_new_forms_and_flag_what_the_loader_refuses(mini_text):
    text = with_source(
        mini_text, "    title: Red Moon\n    series: For All Mankind\n    season: 1\n"
    ).replace("date: 1995\n", "date: 1994/1996?\n")
    assert schema_errors(read_yaml(text, "t.yaml")[0]) == []
    bad = text.replace("date: 1994/1996?", "date: 1969-13").replace(
        "title: Mini Moon", 'title: "Mini\\eMoon"'
    )
    assert schema_errors(read_yaml(bad, "t.yaml")[0]) == ["$.events[8].date", "$.title"]


def test_editors_check_a_format_2_tree_field_by_field():
    text = (TREE).read_text()
    assert schema_errors(read_yaml(text, "tree.yaml")[0]) == []
    bad = text.replace("    parent: novel\n", "    parent: Novel!\n").replace(
        "counterpart: [ve-day, japan-surrenders]", "counterpart: [ve-day, 7]"
    )
    assert schema_errors(read_yaml(bad, "tree.yaml")[0]) == [
        "$.events[7].counterpart",  # (jsonschema names the union, not its member)
        "$.histories[2].parent",
    ]
    # The same two mistakes, as the loader reports them.
    assert [p.field for p in problems(bad)] == ["events[7].counterpart[1]", "histories[2].parent"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("    edition: 2nd\n", "'edition' is for book sources, not web sources"),
        ("    season: 2\n", "'season' is for episode sources, not web sources"),
        ("    seed: b.txt\n", "give exactly one of 'seed' (a seed file name) or 'url', not both"),
    ],
)
def test_a_web_address_with_another_kinds_field_is_still_checked(mini_text, fields, message):
    text = with_source(mini_text, "    title: A page\n" + WEB_URL + fields)
    line = line_of(text, "id: web-b")
    assert [str(p) for p in problems(text)] == [f"t.yaml:{line}: sources[1]: {message}"]


def test_a_source_with_an_address_and_a_kind_keeps_its_kind(mini_text):
    text = with_source(mini_text, "    title: A book online\n    kind: book\n" + WEB_URL)
    assert (source(text).kind, source(text).url) == (SourceKind.book, "https://example.org/b")


def test_kinds_and_precisions_settled_on_a_slice_equal_each_models_own(mini_text):
    from timeline.load import _BULK
    from timeline.schema import Event

    book = with_source(mini_text, "    title: A book\n    isbn: 0-306-40615-2\n")
    text = book.replace("date: 1995\n", "date: 1995\n    precision: decade\n")
    data = read_yaml(text, "t.yaml")[0]
    settled = {}
    for name, model in (("sources", Source), ("events", Event)):
        validate, settle = _BULK[name]
        settled[name] = validate(data[name])
        settle(settled[name])
        assert settled[name] == [model.model_validate(item) for item in data[name]]
    assert [s.kind for s in settled["sources"]] == [SourceKind.seed, SourceKind.book]
    mars = settled["events"][8]
    assert (mars.precision, mars.date.label(), mars.date.anchor) == ("decade", "1990s", 1995.5)
    assert [e.precision for e in settled["events"]][:3] == ["day", "day", "day"]
