"""The visual language: colours, shapes, fonts and the shared figure layout, defined once.

Colour means history (or production), everywhere. Status is never a colour: it is a fill
pattern on bars and areas, and a marker shape on the ripple graph, drawn in the colour of the
history the event belongs to. So a timeline's own history colours can never collide with it.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from .dates import Precision
from .schema import Comparison, Status, Timeline

# Lanes of the parallel timeline, bottom to top. A lane is a history, or production.
LANES: tuple[str, ...] = ("production", "reference", "shared", "diverged")

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)
# Histories past the timeline's own colours: Okabe-Ito's six line colours, then Paul Tol's
# "muted" scheme (also colour-blind-safe); past twelve, lanes and legends tell them apart.
HISTORY_PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#E69F00",
    "#CC79A7",
    "#56B4E9",
    "#332288",
    "#117733",
    "#882255",
    "#999933",
    "#AA4499",
    "#44AA99",
)
SHARED_COLOR = "#009E73"
PRODUCTION_COLOR = "#7A7A7A"
NEUTRAL_COLOR = "#777777"  # legend keys for shapes, era outlines
CONNECTOR_COLOR = "rgba(120,120,120,0.6)"
ERA_COLOR = "rgba(140,140,140,0.16)"
ERA_HIGHLIGHT = "rgba(240,228,66,0.55)"  # Okabe-Ito yellow: the era being filtered
ERA_HIGHLIGHT_BAND = "rgba(240,228,66,0.14)"
SELECTED_COLOR = "#F0E442"
FONT = "Source Sans Pro, sans-serif"

# Status as fill pattern (bars, areas) and marker symbol (ripple nodes).
STATUS_PATTERNS: dict[Status, str] = {
    Status.shifted: "/",
    Status.replaced: "x",
    Status.new: "",
    Status.prevented: ".",
    Status.untold: "-",
}
STATUS_SYMBOLS: dict[Status, str] = {
    Status.shifted: "diamond",
    Status.replaced: "square",
    Status.new: "star",
    Status.prevented: "x",
    Status.untold: "circle-open",
}
NO_STATUS_SYMBOL = "circle"
PATTERN_COLOR = "#FFFFFF"  # the status pattern, drawn over the history's colour
LABEL_BACKGROUND = "rgba(255,255,255,0.7)"  # behind lane names, so grid lines don't cross them


def status_fill(status: Status, color: str) -> dict[str, object] | None:
    """A status as a fill pattern over a history's colour (None for the plain fill of `new`)."""
    if not STATUS_PATTERNS[status]:
        return None
    return {
        "shape": STATUS_PATTERNS[status],
        "fillmode": "overlay",
        "bgcolor": color,
        "fgcolor": PATTERN_COLOR,
        "solidity": 0.4,
    }


# Shape tells precision, fill tells exactness, so neither rests on colour alone.
PRECISION_SYMBOLS: dict[str, str] = {
    Precision.day.value: "circle",
    Precision.month.value: "diamond",
    Precision.year.value: "square",
    Precision.decade.value: "triangle-up",
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
LEGEND_MARGIN = {"l": 10, "r": 10, "t": 60, "b": 100}

# Every figure starts from this template: fonts, hover, grid and legend in one place.
TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT, "size": 13},
        "title": {"font": {"size": 16}, "x": 0, "xanchor": "left", "xref": "container"},
        "hoverlabel": {"font": {"family": FONT, "size": 13}, "align": "left"},
        "hovermode": "closest",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "xaxis": {
            "showgrid": True,
            "gridcolor": "rgba(128,128,128,0.18)",
            "zeroline": False,
            "automargin": True,
        },
        "yaxis": {
            "showgrid": True,
            "gridcolor": "rgba(128,128,128,0.18)",
            "zeroline": False,
            "automargin": True,
        },
        "legend": LEGEND_BELOW,
        "margin": LEGEND_MARGIN,
        "colorway": list(OKABE_ITO),
    }
)


def status_name(status: object) -> str:
    """`Shifted`, or an em dash for events with no status."""
    return Status(status).label if isinstance(status, str) and status else "—"


def history_colors(timeline: Timeline) -> dict[str, str]:
    """Each history's colour: its own, else the first palette colour far from those taken."""
    taken = [h.color for h in timeline.histories if h.color]
    out: dict[str, str] = {}
    spare = iter(HISTORY_PALETTE)
    for h in timeline.histories:
        if h.color:
            out[h.id] = h.color
            continue
        colour = next(
            (c for c in spare if all(distance(c, t) >= TOO_CLOSE for t in taken)),
            None,
        )
        if colour is None:  # past the palette: reuse it in order (lanes and labels still differ)
            colour = HISTORY_PALETTE[len(out) % len(HISTORY_PALETTE)]
        out[h.id] = colour
        taken.append(colour)
    return out


def lane_labels(timeline: Comparison | Timeline) -> dict[str, str]:
    """Display name of each lane: the compared histories, or every history of a tree."""
    if isinstance(timeline, Timeline):
        names = {h.id: h.label for h in timeline.histories}
        return {**names, "shared": "Every history", "production": "Production"}
    return {
        "reference": timeline.histories.reference.label,
        "diverged": timeline.histories.diverged.label,
        "shared": "Both histories",
        "production": "Production",
    }


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def distance(a: str, b: str) -> float:
    """A perceptual-ish distance between two #RRGGBB colours (redmean)."""
    (r1, g1, b1), (r2, g2, b2) = _rgb(a), _rgb(b)
    mean = (r1 + r2) / 2
    dr, dg, db = r1 - r2, g1 - g2, b1 - b2
    return math.sqrt((2 + mean / 256) * dr * dr + 4 * dg * dg + (2 + (255 - mean) / 256) * db * db)


# Below this, two colours read as one on a small marker.
TOO_CLOSE = 100.0


def _fixed_colors(own: list[str], everyone: list[str]) -> dict[str, str]:
    """Shared and production colours kept apart from the histories' own: from every history's
    when the palette allows ("shared" must not look like a third history), else from `own`."""
    shared = next(
        (
            c
            for avoid in (everyone, own)
            for c in (SHARED_COLOR, *OKABE_ITO, *HISTORY_PALETTE)
            if all(distance(c, o) >= TOO_CLOSE for o in avoid) and c != SELECTED_COLOR
        ),
        SHARED_COLOR,
    )
    production = PRODUCTION_COLOR
    if any(distance(production, o) < TOO_CLOSE for o in own):
        production = "#333333"
    return {"shared": shared, "production": production}


def lane_colors(timeline: Comparison | Timeline) -> dict[str, str]:
    """Colour of each lane: the histories' own, then shared and production, kept apart from them."""
    if isinstance(timeline, Timeline):
        mine = history_colors(timeline)
        return {**mine, **_fixed_colors(list(mine.values()), list(mine.values()))}
    own = [timeline.histories.reference.color, timeline.histories.diverged.color]
    return {
        "reference": own[0],
        "diverged": own[1],
        **_fixed_colors(own, [*own, *timeline._colors]),
    }
