"""Parts every chart shares: the year axis, the era strip, the selection ring, plain text."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .dates import year_label
from .schema import Era
from .style import (
    ERA_COLOR,
    ERA_HIGHLIGHT,
    NEUTRAL_COLOR,
    PRECISION_SYMBOLS,
    SELECTED_COLOR,
    boxed,
    status_name,
)
from .text import escape_plotly

ERA_CLICK = "era:"  # an era bar's click value: the app zooms to that era (event ids have no ':')
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Character width of chart text as a share of a plot's width: labels are packed so they never
# print over each other. A phone's plot is ~340 px wide and a desktop's ~700 px.
CHAR_PX = 6.4
PHONE_PLOT_PX = 340.0
DESKTOP_PLOT_PX = 700.0
MIN_ERA_CHARS = 8  # a highlighted era's label cut shorter than this would say nothing
WRAP_CHARS = int(PHONE_PLOT_PX // CHAR_PX) - 4  # a line of a row's title, on a phone
TITLE_LINE_PX = 16  # a line of a row's title
ROW_TITLE_LIFT = 0.32  # a row's title sits this far above the row (in rows), clear of its marks


# File text as Plotly shows it literally: its pseudo-HTML (and `%{}` templates) never markup.
plain = escape_plotly


def event_symbols(rows: pd.DataFrame) -> np.ndarray:
    """Each event's marker: its precision's shape, hollow when the date is inexact."""
    return np.array(
        [
            PRECISION_SYMBOLS[p] + ("-open" if a else "")
            for p, a in zip(rows["precision"], rows["inexact"], strict=True)
        ]
    )


def event_customdata(rows: pd.DataFrame, history: str | pd.Series) -> np.ndarray:
    """An event marker's customdata: id (what a click returns), then title, date, history and
    status as literal text; `history` is one label for all rows, or one per row."""
    where = (
        history.map(plain).to_numpy(dtype=object)
        if isinstance(history, pd.Series)
        else np.full(len(rows), plain(history), dtype=object)
    )
    return np.column_stack(
        [
            rows["id"].to_numpy(dtype=object),
            rows["title"].map(plain).to_numpy(dtype=object),
            rows["date_label"].map(plain).to_numpy(dtype=object),
            where,
            rows["status"].map(status_name).to_numpy(dtype=object),
        ]
    )


def short(text: str, size: int = 42) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def short_words(text: str, size: int) -> str:
    """`text` in at most `size` characters, cut after a whole word when one fits."""
    if len(text) <= size:
        return text
    cut = text[: size - 1]
    words = cut[: cut.rfind(" ")].rstrip(" ,;:(-–") if " " in cut else ""
    return (words or cut) + "…"


def chart_title(name: str, detail: str) -> str:
    """A chart's title: its name, then what it shows on a smaller line, so a phone shows both
    whole (one long line ran past its right edge)."""
    return f"{name}<br><sup>{detail}</sup>"


def sampled_note(shown: int, total: int) -> str:
    """Title suffix for a chart that shows a sample of its rows."""
    if shown >= total:
        return ""
    return f"<br><sup>showing {shown:,} of {total:,}: narrow the filters to see every one</sup>"


def x_range(values: Iterable[float], *spans: tuple[float, float] | None) -> tuple[float, float]:
    """The span of what is shown, with a little padding: the axis follows the filters."""
    points = [v for v in values if v == v]
    for span in spans:
        if span is not None:
            points += list(span)
    if not points:
        return 0.0, 1.0
    low, high = min(points), max(points)
    pad = max((high - low) * 0.04, 0.25) if high > low else 1.0
    return low - pad, high + pad


def _nice_step(span: float, most: int) -> float:
    step = 10.0 ** math.floor(math.log10(max(span, 1e-9) / most))
    return step * next(m for m in (1, 2, 5, 10) if span / (step * m) <= most)


def year_ticks(low: float, high: float, most: int = 8) -> tuple[list[float], list[str]]:
    """Tick positions and labels for a decimal-year axis: one format on every chart.

    Plain years (`1969`), BC/AD once the range reaches before year 1 (`500 BC`), and months
    (`Jul 1969`) when the range is under three years.
    """
    span = max(high - low, 1e-6)
    if span < 3:
        months = max(1, int(_nice_step(span * 12, most)))
        months = next(m for m in (1, 2, 3, 6, 12) if m >= months)
        first_month = math.floor(low * 12 / months) * months
        ticks = [first_month + i * months for i in range(int(span * 12 / months) + 2)]
        values = [t / 12 for t in ticks]
        labels = [f"{_MONTHS[t % 12]} {year_label(t // 12)}" for t in ticks]
        return _inside(values, labels, low, high)
    step = max(_nice_step(span, most), 1.0)
    first = float(math.floor(low / step) * step)
    rounds = [first + i * step for i in range(int(span / step) + 2)]
    if low >= 1:
        return _inside(rounds, [f"{v:.0f}" for v in rounds], low, high)
    # Astronomical year -499 is 500 BC; there is no year 0, so that tick marks AD 1.
    positions = [v + 1 if v <= 0 else v for v in rounds]
    labels = [f"{-v:.0f} BC" if v < 0 else ("AD 1" if v == 0 else f"AD {v:.0f}") for v in rounds]
    return _inside(positions, labels, low, high)


def _inside(
    values: list[float], labels: list[str], low: float, high: float
) -> tuple[list[float], list[str]]:
    kept = [(v, t) for v, t in zip(values, labels, strict=True) if low <= v <= high]
    return [v for v, _ in kept], [t for _, t in kept]


def year_axis(low: float, high: float, title: str = "Year") -> dict[str, object]:
    """Layout for a date axis that shows exactly [low, high]."""
    values, labels = year_ticks(low, high)
    return {
        "title": {"text": title},
        "range": [low, high],
        "tickvals": values,
        "ticktext": labels,
        "autorange": False,
    }


def ring(x: object, y: object, event_id: str) -> go.Scatter:
    """A ring round the selected event: the one in the details panel, found on every chart."""
    return go.Scatter(
        x=[x],
        y=[y],
        mode="markers",
        marker={
            "symbol": "circle-open",
            "size": 26,
            "line": {"width": 3, "color": SELECTED_COLOR},
            "color": SELECTED_COLOR,
        },
        name="Selected event",
        customdata=[[event_id]],
        hoverinfo="skip",
        showlegend=False,
    )


@dataclass(frozen=True)
class EraRow:
    """An era placed on the strip: its row, and the part of it inside the axis range."""

    era: Era
    row: int
    x0: float
    x1: float
    label_right: bool  # a label beside its bar ends at the bar's start instead of its end
    bar_px: float  # the bar's length on a phone-wide plot
    cut: bool = False  # no room beside the bar either: the label is cut to fit inside it


def fits_bar(text: str, bar_px: float) -> bool:
    """Whether `text` fits inside a bar `bar_px` long, with a character's width of padding."""
    return (len(text) + 1) * CHAR_PX <= bar_px


def pack_eras(
    eras: Sequence[Era], low: float, high: float, plot_px: float = PHONE_PLOT_PX
) -> list[EraRow]:
    """Rows for the eras inside [low, high] so that neither bars nor labels overlap.

    A label that fits inside its bar (on a phone-wide plot, the narrowest we draw for) sits in
    it; one that does not sits beside the bar, after its end or, at the right edge, before its
    start, so no outline runs through a word; with room on neither side it is cut to fit inside
    (the bar's hover has it whole). Each era goes in the first row where its bar and label fit.
    """
    span = max(high - low, 1e-9)
    rows_end: list[float] = []
    placed: list[EraRow] = []
    for era in sorted(eras, key=lambda e: (e.start.start(), -e.end.stop())):
        x0, x1 = max(era.start.start(), low), min(era.end.stop(), high)
        if x1 <= x0:
            continue
        width = (len(era.label) + 2) * CHAR_PX / plot_px * span
        bar_px = (x1 - x0) / span * plot_px
        inside = fits_bar(era.label, bar_px)
        label_right = not inside and x1 + width > high and x0 - width >= low
        cut = not inside and x1 + width > high and not label_right and _room(bar_px) > 0
        inside = inside or cut
        begin = x0 - width if label_right else x0
        end = x1 if inside or label_right else x1 + width
        row = next((i for i, last in enumerate(rows_end) if begin >= last), len(rows_end))
        if row == len(rows_end):
            rows_end.append(end)
        rows_end[row] = end
        placed.append(EraRow(era, row, x0, x1, label_right, bar_px, cut))
    return placed


def era_strip(
    placed: Sequence[EraRow], y_of_row: dict[int, float], highlight: str | None, xaxis: str = "x"
) -> tuple[list[go.Bar | go.Scatter], list[dict[str, object]]]:
    """The eras as one bar trace (not a shape each: hundreds of shapes stall the browser) and
    their labels as annotations, inside their bar or beside it (see pack_eras). The highlighted
    era's label, in bold on its band, is cut short to stay inside it on a phone (its hover has
    the full name)."""
    yaxis = "y" + xaxis[1:]
    bars = go.Bar(
        base=[p.x0 for p in placed],
        x=[p.x1 - p.x0 for p in placed],
        y=[y_of_row[p.row] for p in placed],
        orientation="h",
        width=0.7,
        marker={
            "color": [ERA_HIGHLIGHT if p.era.id == highlight else ERA_COLOR for p in placed],
            "line": {"width": 1, "color": NEUTRAL_COLOR},
        },
        customdata=[
            [
                ERA_CLICK + p.era.id,
                plain(p.era.label),
                f"{p.era.start.label()} – {p.era.end.label()}",
            ]
            for p in placed
        ],
        hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<br>Click to zoom to this era"
        "<extra>Era</extra>",
        name="Eras",
        showlegend=False,
        xaxis=xaxis,
        yaxis=yaxis,
    )
    labels: list[dict[str, object]] = []
    for p in placed:
        text = label_text(p, p.era.id == highlight)
        inside = fits_bar(text, p.bar_px)
        right = p.label_right and not inside  # a cut highlighted label sits inside its bar
        label: dict[str, object] = {
            "x": p.x0 if inside or right else p.x1,
            "y": y_of_row[p.row],
            "xref": xaxis,
            "yref": yaxis,
            "text": f"<b>{plain(text)}</b>" if p.era.id == highlight else plain(text),
            "showarrow": False,
            "xanchor": "right" if right else "left",
            "xshift": -3 if right else 3,
            "font": {"size": 11},
        }
        # Beside its bar, a label may lie on the highlighted era's band: the name box keeps it
        # readable there.
        labels.append(label if inside else boxed(label))
    return [bars], labels


def _room(bar_px: float) -> int:
    """Characters a label cut to fit inside a bar may keep; 0 when too few to say anything."""
    room = int(bar_px / CHAR_PX) - 1  # a character's width of padding
    return room if room >= MIN_ERA_CHARS else 0


def label_text(placed: EraRow, highlighted: bool) -> str:
    """An era's label as drawn: the highlighted era's (bold on its band) and one with no room
    beside its bar are cut after a word to fit inside it; a bar too short for even a few
    characters keeps the full name beside it."""
    room = _room(placed.bar_px)
    if (highlighted or placed.cut) and room:
        return short_words(placed.era.label, room)
    return placed.era.label


def wrap(text: str) -> list[str]:
    """Lines that fit a phone-wide plot; entities hold no spaces, so no line splits one."""
    return textwrap.wrap(text, WRAP_CHARS, break_long_words=False, break_on_hyphens=False)


def title_lines(title: str, detail: str) -> list[str]:
    """A row's title as lines that fit a phone: `title` in bold, then ` · detail`, both file
    text shown literally (a line cut off at the plot's edge hid the gap at its end)."""
    title, detail = " ".join(title.split()), " ".join(detail.split())
    lines, bold = [], len(title)  # title characters still to come
    for line in wrap(f"{title} · {detail}"):
        head, tail = line[:bold], line[bold:]
        lines.append((f"<b>{plain(head)}</b>" if head else "") + plain(tail))
        bold = max(bold - len(line) - 1, 0)  # the space the line break took
    return lines


def row_axis(rows: int) -> dict[str, object]:
    """A y axis of `rows` numbered rows, top to bottom, each with room for its title above."""
    return {
        "range": [rows - 0.4, -0.9],
        "showticklabels": False,
        "showgrid": False,
        "fixedrange": True,
        "title": {"text": ""},
    }


def row_title(row: float, text: str, lift: float = ROW_TITLE_LIFT) -> dict[str, object]:
    """A row's title, written in full `lift` rows above it from the left edge (no cut-off tick
    labels); lines after the first (`<br>`) start at the left edge too."""
    return {
        "x": 0,
        "xref": "paper",
        "y": row - lift,
        "text": text,
        "showarrow": False,
        "xanchor": "left",
        "yanchor": "bottom",
        "align": "left",
        "font": {"size": 12},
    }


def row_px(base: float, titles: Sequence[Sequence[str]]) -> float:
    """Height of each row: `base`, and a line's more for each line the longest title wraps to."""
    return base + TITLE_LINE_PX * max((len(t) - 1 for t in titles), default=0)
