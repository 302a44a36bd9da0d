"""Colour means history: a timeline's own colours never collide with the fixed lanes."""

import timeline as tl
from tests.conftest import TREE
from timeline.colours import (
    OKABE_ITO,
    TOO_CLOSE,
    colour_clashes,
    distance,
    history_colors,
    too_close_for,
)
from timeline.style import lane_colors


def with_colors(mini_text: str, reference: str, diverged: str) -> tl.Timeline:
    text = mini_text.replace('color: "#0072B2"', f'color: "{reference}"').replace(
        'color: "#D55E00"', f'color: "{diverged}"'
    )
    return tl.compare_pair(tl.parse_timeline(text))


def test_lane_colours_are_the_timelines_own_then_fixed(mini):
    assert lane_colors(mini) == {
        "reference": "#0072B2",
        "diverged": "#D55E00",
        "shared": "#009E73",
        "production": "#7A7A7A",
    }


def test_shared_colour_moves_away_from_a_history_that_took_it(mini_text):
    colors = lane_colors(with_colors(mini_text, "#0072B2", "#00A070"))  # green, like shared
    assert colors["shared"] != "#009E73"
    assert all(distance(colors["shared"], c) >= TOO_CLOSE for c in ("#0072B2", "#00A070"))


def test_production_grey_moves_away_from_a_grey_history(mini_text):
    colors = lane_colors(with_colors(mini_text, "#0072B2", "#808080"))
    assert colors["production"] == "#333333"


def test_every_status_has_its_own_words_pattern_and_shape():
    from timeline.schema import Status
    from timeline.style import STATUS_PATTERNS, STATUS_SYMBOLS

    assert [s.label for s in Status] == ["Shifted", "Replaced", "New", "Prevented", "Untold"]
    assert Status.untold.explanation == "the diverged story does not say whether it happened"
    assert len(set(STATUS_PATTERNS.values())) == len(Status)
    assert len(set(STATUS_SYMBOLS.values())) == len(Status)


def tree_text(film: str, draft: str) -> str:
    """tests/data/tree.yaml with the film and the draft given their own colours (lines 17, 22)."""
    return (
        TREE.read_text()
        .replace("divergence: film-pod\n", f'divergence: film-pod\n    color: "{film}"\n')
        .replace("divergence: draft-pod\n", f'divergence: draft-pod\n    color: "{draft}"\n')
    )


def clashes(text: str, name: str) -> list[str]:
    return [str(p) for p in colour_clashes(tl.parse_timeline(text, name), name, lambda: text)]


def test_a_history_colour_too_close_to_an_earlier_one_is_named_on_its_line_and_drawn_apart():
    text = tree_text("#0077BB", "#E69F00")  # the film's blue is our history's
    assert history_colors(tl.parse_timeline(text)) == {
        "ours": "#0072B2",
        "novel": "#D55E00",
        "film": "#009E73",
        "draft": "#E69F00",
    }
    assert clashes(text, "four.yaml") == [
        "four.yaml:17: histories[2].color: The film (#0077BB) is too close to Our history "
        "(#0072B2, histories[0].color) for anyone to tell apart; The film is drawn in #009E73 "
        "(give one of them a colour further away)"
    ]


def test_colours_only_a_colour_blind_viewer_confuses_are_flagged_too():
    text = tree_text("#D62728", "#2CA02C")  # matplotlib's red and green
    assert too_close_for("#D62728", "#2CA02C") == ["deuteranopia"]
    assert history_colors(tl.parse_timeline(text)) == {
        "ours": "#0072B2",
        "novel": "#D55E00",
        "film": "#D62728",
        "draft": "#009E73",
    }
    assert clashes(text, "four.yaml") == [
        "four.yaml:22: histories[3].color: Draft B (#2CA02C) is too close to The film "
        "(#D62728, histories[2].color) for viewers with deuteranopia to tell apart; Draft B is "
        "drawn in #009E73 (give one of them a colour further away)"
    ]


def test_okabe_ito_colours_are_never_flagged():
    assert clashes(tree_text("#009E73", "#CC79A7"), "four.yaml") == []
    assert [too_close_for(a, b) for a in OKABE_ITO[:6] for b in OKABE_ITO[:6] if a < b] == [[]] * 15


def test_a_format_1_files_clashing_colours_name_its_fields_and_both_views_draw_them_apart(
    mini_text,
):
    text = mini_text.replace('color: "#D55E00"', 'color: "#0A70B0"')
    assert clashes(text, "mini.yaml") == [
        "mini.yaml:7: histories.diverged.color: Mini Moon (#0A70B0) is too close to Our "
        "history (#0072B2, histories.reference.color) for anyone to tell apart; Mini Moon is "
        "drawn in #D55E00 (give one of them a colour further away)"
    ]
    assert lane_colors(tl.compare_pair(tl.parse_timeline(text))) == {
        "reference": "#0072B2",
        "diverged": "#D55E00",
        "shared": "#009E73",
        "production": "#7A7A7A",
    }


def test_a_json_files_clash_is_on_its_line_and_without_the_text_on_none(tmp_path):
    import json

    data = tl.parse_timeline(tree_text("#0077BB", "#E69F00")).model_dump(
        mode="json", exclude_none=True
    )
    text = json.dumps(data, indent=1)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if '"color": "#0077BB"' in t)
    assert clashes(text, "four.json") == [
        f"four.json:{line}: histories[2].color: The film (#0077BB) is too close to Our history "
        "(#0072B2, histories[0].color) for anyone to tell apart; The film is drawn in #009E73 "
        "(give one of them a colour further away)"
    ]
    timeline = tl.parse_timeline(text, "four.json")
    assert [p.line for p in colour_clashes(timeline, "four.json")] == [None]


def test_validate_prints_a_colour_clash_as_a_warning_and_passes(tmp_path, capsys):
    from timeline.cli import main

    path = tmp_path / "four.yaml"
    path.write_text(tree_text("#0077BB", "#E69F00"))
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{path}: ok, 12 events\n"
    assert err == (
        f"warning: {path}:17: histories[2].color: The film (#0077BB) is too close to Our "
        "history (#0072B2, histories[0].color) for anyone to tell apart; The film is drawn in "
        "#009E73 (give one of them a colour further away)\n"
    )


def test_the_name_box_is_the_page_colour_of_each_theme_so_dark_pages_get_a_dark_box():
    from timeline.style import DARK_THEME, LIGHT_THEME, NAME_BOX, chart_theme

    assert [chart_theme(t)["annotations"] for t in (LIGHT_THEME, DARK_THEME)] == [
        [{"name": NAME_BOX, "bgcolor": "rgba(255,255,255,0.7)", "visible": False}],
        [{"name": NAME_BOX, "bgcolor": "rgba(23,22,20,0.7)", "visible": False}],
    ]


def test_a_boxed_annotation_takes_its_box_from_the_template_and_is_shown():
    from timeline.style import NAME_BOX, TEMPLATE, boxed

    assert boxed({"text": "Our history"}) == {
        "text": "Our history",
        "templateitemname": NAME_BOX,
        "visible": True,
    }
    (box,) = TEMPLATE.layout.annotations
    assert (box.name, box.bgcolor, box.visible) == (NAME_BOX, "rgba(255,255,255,0.7)", False)
