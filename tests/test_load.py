"""One test per error kind: each asserts the file, line and field named."""

import os
import tomllib
from pathlib import Path

import pytest

import timeline as tl
from tests.conftest import ROOT, line_of, problems
from timeline.json_reader import MAX_JSON_BYTES
from timeline.load import MAX_UPLOAD_BYTES, read_file, size_limit
from timeline.reader import MAX_BYTES


def only(text: str) -> tl.Problem:
    (problem,) = problems(text)
    return problem


def test_mini_timeline_loads_with_derived_statuses(mini):
    statuses = {e.id: e.status.value if e.status else None for e in mini.events}
    assert statuses == {
        "sputnik": None,
        "designer-dies": "replaced",
        "designer-survives": "replaced",
        "apollo-landing": "replaced",
        "soviet-landing": "replaced",
        "skylab": "shifted",
        "moon-base": "shifted",
        "challenger": "prevented",
        "mars-landing": "new",
        "iss": "untold",
        "premiere": None,
    }


def test_invalid_date_names_line_and_field(mini_text):
    text = mini_text.replace("date: 1986-01-28", "date: June 31 1969")
    p = only(text)
    assert (p.file, p.line, p.field) == ("t.yaml", line_of(text, "June 31"), "events[7].date")
    assert str(p).startswith(f"t.yaml:{p.line}: events[7].date: 'June 31 1969' is not a valid date")


def test_missing_field(mini_text):
    text = mini_text.replace("    title: Skylab launched\n", "")
    p = only(text)
    assert (p.line, p.field, p.message) == (
        line_of(text, "id: skylab"),
        "events[5].title",
        "is required",
    )


def test_unknown_field_suggests_the_right_one(mini_text):
    text = mini_text.replace("    title: Skylab launched", "    titel: Skylab launched")
    missing, unknown = problems(text)
    assert (missing.field, missing.message) == ("events[5].title", "is required")
    assert (unknown.line, unknown.field) == (line_of(text, "titel"), "events[5].titel")
    assert (unknown.message, unknown.hint) == ("unknown field", "did you mean 'title'?")


def test_bad_enum_value(mini_text):
    text = mini_text.replace("history: shared", "history: both")
    p = only(text)
    assert (p.line, p.field) == (line_of(text, "history: both"), "events[0].history")


def test_all_errors_are_reported_at_once(mini_text):
    text = mini_text.replace("date: 1986-01-28", "date: 1986-02-30").replace(
        "counterpart: moon-base", "counterpart: moon-bas"
    )
    fields = [p.field for p in problems(text)]
    # Two mistakes, two errors: the typo is not reported again as a pair that does not point back.
    assert fields == ["events[7].date", "events[5].counterpart"]


def test_unknown_counterpart(mini_text):
    text = mini_text.replace("counterpart: moon-base", "counterpart: moon-bas")
    first = problems(text)[0]
    assert (first.line, first.field) == (
        line_of(text, "counterpart: moon-bas"),
        "events[5].counterpart",
    )
    assert first.hint == "did you mean 'moon-base'?"


def test_counterpart_must_point_back(mini_text):
    text = mini_text.replace("    counterpart: skylab\n", "")
    p = only(text)
    assert p.field == "events[5].counterpart"
    assert p.message == "'moon-base' does not point back"


def test_counterpart_in_same_history(mini_text):
    text = mini_text.replace(
        "    history: diverged\n    category: spaceflight\n    tags: [moon, base]",
        "    history: reference\n    category: spaceflight\n    tags: [moon, base]",
    )
    found = {(p.field, p.message) for p in problems(text)}
    assert ("events[5].counterpart", "'moon-base' is in the same history (reference)") in found


def test_unknown_cause_source_and_era(mini_text):
    text = (
        mini_text.replace("causes: [moon-base]", "causes: [moon-bass]")
        .replace(
            "sources: [web-b]\n  - id: designer-survives",
            "sources: [web-c]\n  - id: designer-survives",
        )
        .replace("setting: season-1", "setting: season-9")
    )
    found = {p.field: (p.line, p.message) for p in problems(text)}
    assert found == {
        "events[8].causes[0]": (line_of(text, "moon-bass"), "no event has the id 'moon-bass'"),
        "events[1].sources[0]": (line_of(text, "web-c"), "no source has the id 'web-c'"),
        "events[10].setting": (line_of(text, "season-9"), "no era has the id 'season-9'"),
    }


def test_duplicate_ids(mini_text):
    text = mini_text.replace("id: iss", "id: challenger")
    p = only(text)
    second = [i for i, line in enumerate(text.splitlines(), 1) if line == "  - id: challenger"][1]
    assert (p.line, p.field, p.message) == (second, "events[9].id", "duplicate id 'challenger'")


def test_cycles_in_causes(mini_text):
    text = mini_text.replace(
        "    causes: [designer-survives]\n", "    causes: [designer-survives, moon-base]\n"
    )
    p = only(text)
    # Reported at the first event of the cycle in the file, on the cause that closes it.
    assert p.field == "events[4].causes[1]"
    assert p.message == "causes form a cycle: soviet-landing → moon-base → soviet-landing"


def test_end_before_start(mini_text):
    text = mini_text.replace("date: 1998-11-20", "date: 1998-11-20\n    end: 1998-01-01")
    p = only(text)
    assert (p.line, p.field) == (line_of(text, "end: 1998-01-01"), "events[9].end")


def test_diverged_event_before_the_divergence_is_an_error(mini_text):
    text = mini_text.replace("date: 1995\n", "date: 1960\n")
    p = only(text)
    assert (p.line, p.field) == (line_of(text, "date: 1960"), "events[8].date")
    assert "before the point of divergence" in p.message


def test_status_must_fit_the_event(mini_text):
    text = mini_text.replace("    status: prevented\n", "    status: shifted\n")
    p = only(text)
    assert (p.field, p.message, p.hint) == (
        "events[7].status",
        "'shifted' does not fit this event",
        "it takes untold or prevented",
    )


def test_source_needs_seed_or_url(mini_text):
    text = mini_text.replace("    url: https://example.org/b\n", "")
    p = only(text)
    assert (p.line, p.field) == (line_of(text, "id: web-b"), "sources[1]")
    assert "exactly one of 'seed'" in p.message


def test_javascript_url_is_refused(mini_text):
    text = mini_text.replace("url: https://example.org/b", "url: javascript:alert(1)")
    p = only(text)
    assert (p.field, p.hint) == ("sources[1].url", "only http:// and https:// addresses")


def test_production_event_must_be_reference(mini_text):
    text = mini_text.replace(
        "    history: reference\n    layer: production",
        "    history: diverged\n    layer: production",
    )
    fields = {p.field for p in problems(text)}
    assert "events[10].history" in fields


def test_file_must_be_a_mapping():
    assert (
        str(only(""))
        == "t.yaml: the file is empty; a timeline is a mapping with title, histories and events"
    )
    assert only("- a\n- b\n").message.startswith("the file is a list")


def test_missing_file_is_a_timeline_error(tmp_path: Path):
    with pytest.raises(tl.TimelineError, match="cannot read"):
        tl.load_timeline(tmp_path / "nope.yaml")


def test_precision_may_be_coarser_than_the_date(mini_text):
    text = mini_text.replace("date: 1986-01-28", "date: 1986-01-28\n    precision: year")
    event = next(e for e in tl.parse_timeline(text).events if e.id == "challenger")
    assert (event.date.iso(), event.precision.value) == ("1986", "year")


def test_bc_dates_load(mini_text):
    text = mini_text.replace(
        "date: 1957-10-04\n    title: Sputnik", "date: 44 BC\n    title: Sputnik"
    )
    event = tl.parse_timeline(text).events[0]
    assert event.date.iso() == "-0043"


def test_a_tag_with_a_control_character_is_refused(mini_text):
    text = mini_text.replace("tags: [mars]", 'tags: ["ma\\x1frs"]')
    line = line_of(text, "ma\\x1frs")
    assert [str(p) for p in problems(text)] == [
        f"t.yaml:{line}: events[8].tags[0]: 'ma\\x1frs' holds a control character "
        "(tags are plain text)"
    ]


# --- Files that are not files: refused before reading, never read past the cap -----------------


def read_error(path: str | Path, limit: int = 1000) -> list[str]:
    with pytest.raises(tl.TimelineError) as info:
        read_file(path, limit)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_before_reading(device: str):
    assert read_error(device) == [f"{device}: is not a regular file (a device, pipe or socket)"]


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path):
    fifo = tmp_path / "t.yaml"
    os.mkfifo(fifo)
    assert read_error(fifo) == [f"{fifo}: is not a regular file (a device, pipe or socket)"]


def test_a_folder_and_a_missing_file_are_refused(tmp_path: Path):
    assert read_error(tmp_path) == [f"{tmp_path}: is a folder, not a timeline file"]
    missing = tmp_path / "none.yaml"
    assert read_error(missing) == [f"{missing}: cannot read the file: No such file or directory"]


def test_a_huge_sparse_file_is_refused_by_its_size_before_reading(tmp_path: Path):
    sparse = tmp_path / "t.yaml"
    with sparse.open("wb") as f:
        f.truncate(3 * 1024**3)
    assert read_error(sparse, MAX_BYTES) == [
        f"{sparse}: the file is {3 * 1024**3:,} bytes; the limit is {MAX_BYTES:,}"
    ]


def test_a_file_is_read_up_to_its_cap(tmp_path: Path):
    path = tmp_path / "t.yaml"
    path.write_bytes(b"x" * 1000)
    assert read_file(path, 1000) == b"x" * 1000
    path.write_bytes(b"x" * 1001)
    assert read_error(path) == [f"{path}: the file is 1,001 bytes; the limit is 1,000"]


def test_a_file_name_with_controls_is_printed_escaped(tmp_path: Path):
    path = tmp_path / "a\x1b]0;x\x07.yaml"
    assert read_error(path) == [
        f"{tmp_path}/a\\x1b]0;x\\x07.yaml: cannot read the file: No such file or directory"
    ]


def test_caps_are_defined_once_and_the_upload_config_agrees():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES == MAX_BYTES
    assert (size_limit("a.yaml"), size_limit("a.JSON")) == (MAX_BYTES, MAX_JSON_BYTES)


def test_a_cause_is_never_dated_after_its_effect(mini_text):
    text = mini_text.replace("date: 1995", "date: 1960s")
    assert [str(p) for p in problems(text)] == [
        f"t.yaml:{line_of(text, 'causes: [moon-base]')}: events[8].causes[0]: 'moon-base' is "
        "dated 1973, after this event (1960s): a cause cannot come after its effect (check "
        "both dates, or whether the cause belongs in `causes` of the other)"
    ]


def test_a_cause_that_may_be_at_the_same_time_is_fine(mini_text):
    # The lunar base (1973) and a Mars landing some time in the 1970s may be in either order.
    tl.parse_timeline(mini_text.replace("date: 1995", "date: 1970s"), "t.yaml")


@pytest.mark.parametrize(
    ("written", "typo", "field"),
    [
        ("designer-survives", "designer-survive", "events[1].counterpart"),  # reference side
        ("apollo-landing", "apollo-landin", "events[4].counterpart"),  # diverged side
    ],
)
def test_one_counterpart_typo_gives_one_error(mini_text, written, typo, field):
    # Not also "does not point back" on the partner, nor a status that "takes new".
    text = mini_text.replace(f"counterpart: {written}", f"counterpart: {typo}", 1)
    assert [(p.field, p.message, p.hint) for p in problems(text)] == [
        (field, f"no event has the id {typo!r}", f"did you mean {written!r}?"),
    ]


def test_a_bad_date_written_twice_is_reported_at_each_place(mini_text):
    text = mini_text.replace("date: 1986-01-28", "date: 1969-02-30").replace(
        "date: 1998-11-20", "date: 1969-02-30"
    )
    lines = [i for i, line in enumerate(text.splitlines(), 1) if "1969-02-30" in line]
    message = "'1969-02-30' is not a valid date: month 2 of 1969 has 28 days"
    assert [str(p) for p in problems(text)] == [
        f"t.yaml:{lines[0]}: events[7].date: {message}",
        f"t.yaml:{lines[1]}: events[9].date: {message}",
    ]


def test_one_files_dates_are_not_carried_into_the_next(mini_text):
    first = tl.parse_timeline(mini_text, "a.yaml")
    second = tl.parse_timeline(mini_text, "b.yaml")
    pairs = list(zip(first.events, second.events, strict=True))
    assert all(a.date == b.date for a, b in pairs)
    assert not any(a.date is b.date for a, b in pairs)


def test_validating_data_leaves_the_callers_data_as_it_was(mini_text, monkeypatch):
    import copy

    from timeline import load
    from timeline.reader import read_yaml

    monkeypatch.setattr(load, "BULK_ITEMS", 2)  # several slices, as in a big file
    data, lines = read_yaml(mini_text, "t.yaml")
    before = copy.deepcopy(data)
    tl.validate_timeline(data, "t.yaml", lines)
    assert data == before


def test_a_bad_item_in_any_slice_is_reported_as_in_one_slice(mini_text, monkeypatch):
    from timeline import load

    text = mini_text.replace("date: 1957-10-04", "date: 1957-02-30").replace(
        "date: 1998-11-20", "date: 1998-02-30"
    )
    whole = [str(p) for p in problems(text)]
    monkeypatch.setattr(load, "BULK_ITEMS", 3)  # the two bad events in the first and last slice
    assert [str(p) for p in problems(text)] == whole
    assert [p.split(": ")[1] for p in whole] == ["events[0].date", "events[9].date"]


def test_items_given_the_same_fields_share_one_set_of_their_names():
    timeline = tl.load_timeline(ROOT / "tests" / "data" / "mini.yaml")
    groups: dict[frozenset[str], list[tl.Event]] = {}
    for event in timeline.events:
        groups.setdefault(frozenset(event.model_fields_set), []).append(event)
    shared = [group for group in groups.values() if len(group) > 1]
    assert shared  # the mini timeline has events written with the same fields
    for first, *others in shared:
        assert all(o.__pydantic_fields_set__ is first.__pydantic_fields_set__ for o in others)
    first, other = shared[0][:2]
    unset = next(name for name in tl.Event.model_fields if name not in first.model_fields_set)
    copied = first.model_copy(update={unset: None})  # a copy takes its own set
    assert unset in copied.model_fields_set
    assert unset not in other.model_fields_set


# Mistakes the cross-checks find, each in a file of its own and all in one: the rules tested on
# columns pick the events to check one by one, so picking every event must say the same.
CROSS_MISTAKES = {
    "mini": [
        ("counterpart: designer-survives", "counterpart: designer-survive"),  # unknown
        ("counterpart: skylab", "counterpart: mars-landing"),  # same history, no way back
        ("    causes: [moon-base]", "    causes: [mars-landing]"),  # itself
        ("    causes: [soviet-landing]", "    causes: [iss]"),  # dated after its effect
        ("date: 1995\n", "date: 1950\n"),  # before the divergence
        (
            "history: diverged\n    category: spaceflight\n    tags: [mars]",
            "history: divergd\n    category: spaceflight\n    tags: [mars]",
        ),
        ("status: prevented", "status: shifted"),  # does not fit
        ("title: The chief designer dies", "title: Dies\n    status: shifted"),  # not theirs
        ("date: 2019-11-01\n", "date: 2019-11-01\n    end: 2019-01-01\n"),
        ("    setting: season-1\n", "    setting: [season-1, nowhere]\n"),
    ],
    "tree": [
        ("counterpart: [ve-day, japan-surrenders]", "counterpart: [ve-day, japan-surrender]"),
        ("counterpart: novel-ending", "counterpart: novel-pod"),
        ("    status: shifted", "    status: new"),
        ("date: 1962\n    title: The film ends", "date: 1940\n    title: The film ends"),
    ],
}


def _mutated(text: str, mistakes: list[tuple[str, str]]) -> list[str]:
    """`text` with each mistake alone, then with all of them."""
    out = []
    for old, new in mistakes:
        assert old in text, old
        out.append(text.replace(old, new, 1))
    every = text
    for old, new in mistakes:
        every = every.replace(old, new, 1)
    return [*out, every]


@pytest.mark.parametrize("name", sorted(CROSS_MISTAKES))
def test_cross_checks_on_columns_say_what_checking_every_event_says(name, monkeypatch):
    from timeline import load

    text = (ROOT / "tests" / "data" / f"{name}.yaml").read_text()
    texts = [text, *_mutated(text, CROSS_MISTAKES[name])]
    derived: list[list[object]] = []  # each file's statuses, derived even when it has problems
    derive = load._derive_status

    def recorded(items, *args):
        derive(items, *args)
        derived.append([(ev.id, ev.status, ev.precision) for _, ev in items])

    monkeypatch.setattr(load, "_derive_status", recorded)

    def outcome(text: str) -> tuple[list[str], list[object]]:
        try:
            tl.parse_timeline(text, "t.yaml")
        except tl.TimelineError as exc:
            return [f"{p} | {p.hint}" for p in exc.problems], derived[-1]
        return [], derived[-1]

    on_columns = [outcome(t) for t in texts]
    monkeypatch.setattr(load, "_suspects", lambda col, *_: set(range(len(col["id"]))))
    assert [outcome(t) for t in texts] == on_columns
    assert on_columns[0][0] == []  # the file as shipped loads
    assert all(problems for problems, _ in on_columns[1:])  # every mistake is reported


def test_a_slice_breaking_a_source_or_precision_rule_is_worded_item_by_item(mini_text, monkeypatch):
    from timeline import load

    text = mini_text.replace("date: 1995\n", "date: 1994/1996\n    precision: decade\n")
    text = text.replace("    seed: ", "    url: https://example.org/a\n    seed: ", 1)
    whole = [str(p) for p in problems(text)]
    monkeypatch.setattr(load, "BULK_ITEMS", 3)
    assert [str(p) for p in problems(text)] == whole
    assert [p.split(": ", 2)[1:] for p in whole] == [
        ["sources[0]", "give exactly one of 'seed' (a seed file name) or 'url', not both"],
        ["events[8]", "a range ('1994/1996') cannot take a precision: its ends give theirs"],
    ]


def test_only_a_model_validated_as_its_fields_then_that_rule_is_validated_without_it():
    from timeline import load

    with pytest.raises(TypeError, match="Era is not validated as its fields, then"):
        load._unchecked(tl.Era, tl.Source._check_kind)
    with pytest.raises(TypeError, match="Event is not validated as its fields, then"):
        load._unchecked(tl.Event, tl.Source._check_kind)


def test_a_cycle_is_found_however_long_the_chain_of_causes_leading_to_it():
    from timeline.load import CYCLE_ROUNDS, _acyclic

    length = CYCLE_ROUNDS * 3  # past the rounds of set steps: Kahn's algorithm takes the rest
    chain = {f"e{i}": [f"e{i - 1}", "unknown"] for i in range(1, length)}
    assert _acyclic(chain) is True
    assert _acyclic({**chain, "e0": [f"e{length - 1}"]}) is False  # the chain closed
    assert _acyclic({**chain, "e0": ["e0"]}) is False  # one causing itself, at the far end
    assert _acyclic({**chain, "e0": ["e1"]}) is False  # a short cycle, far down the chain
    assert _acyclic({"a": ["b", "b"], "b": ["c"]}) is True  # a cause written twice
