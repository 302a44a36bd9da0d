"""The visual language: colours, shapes, fonts and the shared figure layout, defined once.

Colour means history (or production), everywhere. Status is never a colour: it is a fill
pattern on bars and areas, and a marker shape on the ripple graph, drawn in the colour of the
history the event belongs to. So a timeline's own history colours can never collide with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from .colours import HISTORY_PALETTE, OKABE_ITO, _kept_apart, too_close
from .colours import history_colors as history_colors  # the charts import it from here
from .dates import Precision
from .schema import Comparison, Status, Timeline

# Lanes of the parallel timeline, bottom to top. A lane is a history, or production.
LANES: tuple[str, ...] = ("production", "reference", "shared", "diverged")

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


@dataclass(frozen=True)
class ChartTheme:
    """The colours of Streamlit's own chart theme (what `st.plotly_chart` gives a figure, Streamlit
    1.67) on one kind of page: muted axis text, faint grid lines, a hover card on the page's
    background. Light is every figure's; the chart component swaps in dark on a dark page."""

    muted: str  # tick labels and axis titles
    grid: str  # grid lines, tick marks
    card: str  # hover card background: the page's
    border: str  # hover card border


LIGHT_THEME = ChartTheme(muted="#808495", grid="#E6EAF1", card="#FFFFFF", border="#DCD8D4")
DARK_THEME = ChartTheme(muted="#E6EAF1", grid="#31333F", card="#171614", border="#4A4742")
# The template's annotation that names carry (lane names, branch-map lines): a box of the page's
# own colour, so lines crossing a name don't run through it. Through the template, a dark page
# gets a dark box (the chart component swaps in the dark template); never white on dark.
NAME_BOX = "name-box"


def name_box(theme: ChartTheme) -> str:
    """Background of a name's box in `theme`: the page's colour, a little see-through."""
    red, green, blue = (int(theme.card[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},0.7)"


def boxed(annotation: dict[str, object]) -> dict[str, object]:
    """An annotation drawn on the theme's name box (see NAME_BOX)."""
    return {**annotation, "templateitemname": NAME_BOX, "visible": True}


def _axis(theme: ChartTheme, grid: bool) -> dict[str, object]:
    return {
        "showgrid": grid,
        "gridcolor": theme.grid,
        "tickcolor": theme.grid,
        "tickfont": {"color": theme.muted, "size": 12},
        "title": {"font": {"color": theme.muted, "size": 14}},
        "zeroline": False,
        "automargin": True,
    }


def chart_theme(theme: ChartTheme) -> dict[str, object]:
    """Template layout of the theme: axes (as Streamlit's, no vertical grid lines), the hover
    card and the name box. Text on the card stays the page's text colour: a title must read at a
    glance."""
    return {
        "xaxis": _axis(theme, grid=False),
        "yaxis": _axis(theme, grid=True),
        # Hidden itself: only annotations that name it (`boxed`) take its background.
        "annotations": [{"name": NAME_BOX, "bgcolor": name_box(theme), "visible": False}],
        "hoverlabel": {
            "bgcolor": theme.card,
            "bordercolor": theme.border,
            "font": {"family": FONT, "size": 13},
            "align": "left",
        },
    }


# Every figure starts from this template: fonts, hover, grid and legend in one place.
TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT, "size": 13},
        "title": {"font": {"size": 16}, "x": 0, "xanchor": "left", "xref": "container"},
        "hovermode": "closest",
        "plot_bgcolor": "rgba(0,0,0,0)",
        **chart_theme(LIGHT_THEME),
        "legend": LEGEND_BELOW,
        "margin": LEGEND_MARGIN,
        "colorway": list(OKABE_ITO),
    }
)


def status_name(status: object) -> str:
    """`Shifted`, or an em dash for events with no status."""
    return Status(status).label if isinstance(status, str) and status else "—"


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


def _fixed_colors(own: list[str], everyone: list[str]) -> dict[str, str]:
    """Shared and production colours kept apart from the histories' own: from every history's
    when the palette allows ("shared" must not look like a third history), else from `own`."""
    shared = next(
        (
            c
            for avoid in (everyone, own)
            for c in (SHARED_COLOR, *OKABE_ITO, *HISTORY_PALETTE)
            if not any(too_close(c, o) for o in avoid) and c != SELECTED_COLOR
        ),
        SHARED_COLOR,
    )
    production = PRODUCTION_COLOR
    if any(too_close(production, o) for o in own):
        production = "#333333"
    return {"shared": shared, "production": production}


def lane_colors(timeline: Comparison | Timeline) -> dict[str, str]:
    """Colour of each lane: the histories' own, then shared and production, kept apart from them."""
    if isinstance(timeline, Timeline):
        mine = history_colors(timeline)
        return {**mine, **_fixed_colors(list(mine.values()), list(mine.values()))}
    own = _kept_apart([timeline.histories.reference.color, timeline.histories.diverged.color])
    return {
        "reference": own[0],
        "diverged": own[1],
        **_fixed_colors(own, [*own, *timeline._colors]),
    }
