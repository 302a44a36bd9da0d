"""Colour means history: a timeline's own colours never collide with the fixed lanes."""

import timeline as tl
from timeline.style import TOO_CLOSE, distance, lane_colors


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
