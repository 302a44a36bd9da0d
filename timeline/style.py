"""Colours, symbols and labels: defined once, used by every figure and the app."""

from __future__ import annotations

from .dates import Precision
from .schema import Status, Timeline

# Lanes of the parallel timeline, bottom to top. A lane is a history, or production.
LANES: tuple[str, ...] = ("production", "reference", "shared", "diverged")

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
SHARED_COLOR = "#009E73"
PRODUCTION_COLOR = "#8C8C8C"
CONNECTOR_COLOR = "rgba(140,140,140,0.55)"
ERA_COLOR = "rgba(140,140,140,0.16)"
STATUS_COLORS: dict[str, str] = {
    Status.shifted.value: "#E69F00",
    Status.replaced.value: "#CC79A7",
    Status.new.value: "#56B4E9",
    Status.prevented.value: "#000000",
    Status.untold.value: "#B0B0B0",
}
STATUS_LABELS: dict[str, str] = {
    Status.shifted.value: "Shifted: same milestone, other date",
    Status.replaced.value: "Replaced: same slot, other outcome",
    Status.new.value: "New: only in the diverged history",
    Status.prevented.value: "Prevented: did not happen there",
    Status.untold.value: "Untold: the diverged history does not say",
}
# Legends sit at the foot of the figure, below the x-axis title: a legend placed under the plot
# area (negative y) lands on that title whenever the figure is short.
LEGEND_BELOW: dict[str, object] = {
    "orientation": "h",
    "x": 0,
    "y": 0,
    "xref": "container",
    "yref": "container",
    "yanchor": "bottom",
}
LEGEND_MARGIN = {"l": 10, "r": 10, "t": 60, "b": 90}

# Shape tells precision, fill tells exactness, so neither rests on colour alone.
PRECISION_SYMBOLS: dict[str, str] = {
    Precision.day.value: "circle",
    Precision.month.value: "diamond",
    Precision.year.value: "square",
    Precision.decade.value: "triangle-up",
}


def lane_labels(timeline: Timeline) -> dict[str, str]:
    """Display name of each lane."""
    return {
        "reference": timeline.histories.reference.label,
        "diverged": timeline.histories.diverged.label,
        "shared": "Both histories",
        "production": "Production",
    }


def lane_colors(timeline: Timeline) -> dict[str, str]:
    """Colour of each lane: the two histories' own, then the fixed ones."""
    return {
        "reference": timeline.histories.reference.color,
        "diverged": timeline.histories.diverged.color,
        "shared": SHARED_COLOR,
        "production": PRODUCTION_COLOR,
    }
