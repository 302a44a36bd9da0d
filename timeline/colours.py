"""History colours: the palette, how close two colours look (to colour-blind viewers too),
and each history's colour, its own kept apart from the others'. No plotly: validation uses it."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .errors import Problem
from .reader import dotted, line_of
from .schema import Timeline

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
# As a viewer with protanopia or deuteranopia (about 1 man in 12) sees them: every colour is
# duller, so the bar is lower. Okabe-Ito's six stay at least 83 apart, matplotlib's red and
# green (49) or blue and purple (19) do not. Tritanopia is left out: it is rare, and even
# Okabe-Ito's blue and green come 58 apart.
TOO_CLOSE_SEEN = 60.0
# Vienot, Brettel and Mollon (1999): linear RGB as a dichromat sees it.
DICHROMATS: dict[str, tuple[tuple[float, float, float], ...]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}


def seen_as(color: str, deficiency: str) -> str:
    """A #RRGGBB colour as a viewer with that colour-vision deficiency sees it."""
    linear = [_to_linear(v / 255) for v in _rgb(color)]
    seen = [sum(m * v for m, v in zip(row, linear, strict=True)) for row in DICHROMATS[deficiency]]
    return "#" + "".join(f"{round(_from_linear(v) * 255):02X}" for v in seen)


def _to_linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _from_linear(v: float) -> float:
    v = min(max(v, 0.0), 1.0)
    return v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


def too_close_for(a: str, b: str) -> list[str]:
    """Who cannot tell two colours apart: "everyone", or the colour-vision deficiencies."""
    if distance(a, b) < TOO_CLOSE:
        return ["everyone"]
    return [d for d in DICHROMATS if distance(seen_as(a, d), seen_as(b, d)) < TOO_CLOSE_SEEN]


def too_close(a: str, b: str) -> bool:
    """Whether two colours read as one, to anyone (see `too_close_for`)."""
    return bool(too_close_for(a, b))


def history_colors(timeline: Timeline) -> dict[str, str]:
    """Each history's colour: its own unless too close to an earlier history's, else the
    first palette colour far from those taken."""
    return dict(
        zip(
            (h.id for h in timeline.histories),
            _kept_apart([h.color for h in timeline.histories]),
            strict=True,
        )
    )


def _kept_apart(own: Sequence[str | None]) -> list[str]:
    """The colours drawn for histories given `own` colours (None: none given), in order: a
    colour too close to an earlier history's is replaced like a missing one."""
    taken = [c for c in own if c]
    out: list[str] = []
    spare = iter(HISTORY_PALETTE)
    for colour in own:
        if colour and not any(too_close(colour, earlier) for earlier in out):
            out.append(colour)
            continue
        pick = next((c for c in spare if not any(too_close(c, t) for t in taken)), None)
        if pick is None:  # past the palette: reuse it in order (lanes and labels still differ)
            pick = HISTORY_PALETTE[len(out) % len(HISTORY_PALETTE)]
        out.append(pick)
        taken.append(pick)
    return out


def colour_clashes(
    timeline: Timeline, file: str, read: Callable[[], str | bytes] | None = None
) -> list[Problem]:
    """A warning per history whose own colour is too close to an earlier history's: both
    histories, their colours, who cannot tell them apart, and the colour the later one is
    drawn in instead. `read` gives the file's text, read only when there is a clash, to put
    each warning on its line."""
    drawn = history_colors(timeline)
    nodes = timeline.histories
    clashes: list[tuple[tuple[str | int, ...], str]] = []
    for j, later in enumerate(nodes):
        if not later.color or drawn[later.id] == later.color:
            continue
        i, first = next(
            (i, n) for i, n in enumerate(nodes[:j]) if too_close(later.color, drawn[n.id])
        )
        who = too_close_for(later.color, drawn[first.id])
        seen = "anyone" if who == ["everyone"] else "viewers with " + " or ".join(who)
        clashes.append(
            (
                _colour_path(timeline, j),
                f"{later.label} ({later.color}) is too close to {first.label} "
                f"({drawn[first.id]}, {dotted(_colour_path(timeline, i))}) for {seen} to tell "
                f"apart; {later.label} is drawn in {drawn[later.id]}",
            )
        )
    lines = _lines(file, read, [path for path, _ in clashes]) if clashes else {}
    hint = "give one of them a colour further away"
    return [
        Problem(file, line_of(lines, path), dotted(path), message, hint, path)
        for path, message in clashes
    ]


def _colour_path(timeline: Timeline, index: int) -> tuple[str | int, ...]:
    """Where a history's colour is written: `histories[2].color`, or format 1's field."""
    if timeline.origin_format == 1:
        return ("histories", timeline.histories[index].id, "color")
    return ("histories", index, "color")


def _lines(
    file: str, read: Callable[[], str | bytes] | None, paths: list[tuple[str | int, ...]]
) -> dict[tuple[str | int, ...], int]:
    """The lines of these fields in a YAML or JSON file's text (none for Parquet, or no text)."""
    if read is None or file.lower().endswith(".parquet"):
        return {}
    from .json_reader import json_lines
    from .reader import read_yaml

    text = read()
    if file.lower().endswith(".json"):
        raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        found: dict[tuple[str | int, ...], int] = json_lines(raw, set(paths))
        return found
    return read_yaml(text, file, max(len(text), 1))[1]
