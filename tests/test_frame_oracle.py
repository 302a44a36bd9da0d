"""The frame as built for speed equals the frame of a plain reference build, kept here as the
oracle: one list comprehension per column, pandas typing each column, a Python sort."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import timeline as tl
from benchmarks.synth import realistic
from benchmarks.tree_synth import tree_timeline
from tests.conftest import MINI, ROOT, TREE
from timeline.frame import EXPORT_COLUMNS, EXTRA_COLUMNS, KEY_SEPARATOR, _build
from timeline.schema import SHARED, Era, Event, Layer

# --- The reference build (the frame module's before it was made fast) ----------------------


def reference_memberships(
    eras: list[Era],
    start: np.ndarray,
    stop: np.ndarray,
    layers: np.ndarray,
    histories: np.ndarray | None,
) -> list[list[str]]:
    """Each event's eras, by a plain overlap test per event."""
    out = []
    for i in range(len(start)):
        out.append(
            [
                e.id
                for e in eras
                if e.start.start() < stop[i]
                and e.end.stop() > start[i]
                and (e.layer is None or e.layer.value == str(layers[i]))
                and (
                    histories is None
                    or histories[i] == SHARED
                    or e.history is None
                    or e.history == histories[i]
                )
            ]
        )
    return out


def reference_sided(
    events: list[Event], eras: list[Era], start: np.ndarray, stop: np.ndarray, layers: np.ndarray
) -> dict[str, Any]:
    histories = np.array([e.history for e in events], dtype=object)
    member = reference_memberships(eras, start, stop, layers, histories)
    in_span = (
        reference_memberships(eras, start, stop, layers, None)
        if any(e.history for e in eras)
        else member
    )
    return {
        "history": histories,
        "counterpart": [e.counterpart for e in events],
        "status": [e.status for e in events],
        "lane": ["production" if e.layer is Layer.production else e.history for e in events],
        "era": member,
        "eras": member,
        "eras_in_span": in_span,
    }


def reference_build(events: list[Event], eras: list[Era]) -> tuple[pd.DataFrame, np.ndarray]:
    start = np.array([e.date.start() for e in events], dtype=float)
    stop = np.array([(e.end or e.date).stop() for e in events], dtype=float)
    columns: dict[str, Any] = {
        "id": [e.id for e in events],
        "date": [e.date.iso() for e in events],
        "end": [e.end.iso() if e.end else None for e in events],
        "precision": [e.date.precision for e in events],
        "approximate": [e.approximate for e in events],
        "category": [e.category for e in events],
        "title": [e.title for e in events],
        "summary": [e.summary for e in events],
        "causes": [list(e.causes) for e in events],
        "sources": [list(e.sources) for e in events],
        "tags": [list(e.tags) for e in events],
        "confidence": [e.confidence for e in events],
        "setting": [e.setting for e in events],
        "date_label": [e.when() for e in events],
        "x": np.array([e.date.anchor for e in events], dtype=float),
        "hdate": np.array([e.date for e in events], dtype=object),
        "inexact": [e.inexact() for e in events],
        "start": start,
        "stop": stop,
        "tag_keys": [KEY_SEPARATOR + KEY_SEPARATOR.join(e.tags) + KEY_SEPARATOR for e in events],
    }
    columns["layer"] = layers = np.array([e.layer for e in events], dtype=object)
    columns |= reference_sided(events, eras, start, stop, layers)
    keys = list(zip(start.tolist(), columns["id"], strict=True))
    order = sorted(range(len(events)), key=keys.__getitem__)
    rows = np.empty(len(events), dtype=np.intp)
    rows[order] = np.arange(len(events), dtype=np.intp)
    frame = pd.DataFrame(columns, columns=[*EXPORT_COLUMNS, *EXTRA_COLUMNS])
    return frame.take(order).reset_index(drop=True), rows


# --- Timelines with every date form ----------------------------------------------------------


def every_date_form(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with its dates, in turn, rewritten in each form a file may use (EDTF level 1,
    decades, BC, a coarsened guess, approximate events, ends), each near the event's own year so
    branches stay after their divergence; cause links to a rewritten date are dropped."""
    data = copy.deepcopy(data)
    forms = [
        lambda y: f"{y}?",
        lambda y: f"{y}~",
        lambda y: f"{y}%",
        lambda y: f"{y}-21",  # spring
        lambda y: f"{y}-24",  # winter, into the next year
        lambda y: f"{y}-07?",
        lambda y: f"{y}-07-20~",
        lambda y: f"{y}/{y + 3}",
        lambda y: f"{y}-03/{y + 1}-05?",
        lambda y: f"../{y}",
        lambda y: f"{y}/..",
        lambda y: f"{y // 10}X",
        lambda y: f"{y // 100}XX",
        lambda y: f"{y // 10 * 10}s",
        lambda y: f"{y + 1} BC" if y < 0 else y,
    ]
    cycle = itertools.cycle(range(len(forms) + 4))
    moved: set[str] = set()  # events whose date was rewritten: a cause link to one may now run late
    for event in data["events"]:
        date = event["date"]
        year = date if isinstance(date, int) else None
        if isinstance(date, str) and date[:4].isdigit() and len(date) >= 4:
            year = int(date[:4])
        if year is None or year < 1000 or event["id"].startswith("pod"):
            continue
        kind = next(cycle)
        if kind <= len(forms):
            moved.add(event["id"])
        if kind < len(forms):
            event["date"] = forms[kind](year)
        elif kind == len(forms):
            event["date"], event["precision"] = f"{year}-06-15", "decade"  # a coarsened guess
        elif kind == len(forms) + 1:
            event["approximate"] = True
        elif kind == len(forms) + 2:
            event["end"] = year + 2
        else:
            event["end"], event["approximate"] = f"{year + 1}-02", True
    for event in data["events"]:  # two forms of one year can put a cause after its effect
        if "causes" in event:
            event["causes"] = [
                c for c in event["causes"] if event["id"] not in moved and c not in moved
            ]
    if not any(e["history"] == "shared" for e in data["events"]):
        data["events"][-1]["history"] = "shared"
    far = next(e for e in data["events"] if not e.get("causes") and e["history"] != "diverged")
    far["date"] = "Y-20000"
    for event in data["events"]:
        event.get("causes", []).remove(far["id"]) if far["id"] in event.get("causes", []) else None
    return data


SOURCES = {
    "for-all-mankind": ROOT / "seeds" / "for-all-mankind.yaml",
    "space-race": ROOT / "seeds" / "space-race.yaml",
    "roma-eterna": ROOT / "seeds" / "roma-eterna.yaml",
    "mini": MINI,
    "tree": TREE,
}


def timeline_of(source: str) -> tl.Timeline:
    if source in SOURCES:
        return tl.load_timeline(SOURCES[source])
    if source == "realistic":
        return tl.validate_timeline(every_date_form(realistic(3000, seed=5)), "realistic.json")
    return tl.validate_timeline(every_date_form(tree_timeline(3000, seed=5)), "tree.json")


EVERY_SOURCE = [*SOURCES, "realistic", "tree-of-ten"]


def test_the_generated_timelines_hold_every_date_form():
    for source in ("realistic", "tree-of-ten"):
        dates = [e.date for e in timeline_of(source).events]
        assert {d.qualifier for d in dates} == {"", "?", "~", "%"}
        assert {d.precision.value for d in dates} == {"day", "month", "year", "decade"}
        assert {d.open for d in dates} == {"", "start", "end"}
        assert {d.season for d in dates} >= {0, 21, 24}
        assert any(d.until is not None for d in dates)
        assert any(d.guess is not None for d in dates)
        assert any(d.year < 0 for d in dates) and any(d.year == -20000 for d in dates)


@pytest.mark.parametrize("source", EVERY_SOURCE)
def test_a_timelines_frame_equals_the_reference_build(source):
    timeline = timeline_of(source)
    frame, rows = _build(timeline.events, timeline.eras)
    expected, expected_rows = reference_build(timeline.events, timeline.eras)
    assert_frame_equal(frame, expected, check_exact=True)
    assert rows.tolist() == expected_rows.tolist()
    assert_frame_equal(tl.to_frame(timeline), expected, check_exact=True)


@pytest.mark.parametrize("source", EVERY_SOURCE)
def test_every_pairs_frame_equals_the_reference_build(source):
    """Pairs of three or more histories take their rows from the tree's frame; the rest are
    built from their events: both equal the reference build of the pair's events."""
    timeline = timeline_of(source)
    tl.to_frame(timeline)  # the tree's frame first, as the app builds it
    ids = [h.id for h in timeline.histories]
    for pair in itertools.islice(itertools.combinations(ids, 2), 6):
        comparison = tl.compare_pair(timeline, pair)
        expected = reference_build(comparison.events, comparison.eras)[0]
        assert_frame_equal(tl.to_frame(comparison), expected, check_exact=True)


def test_a_frame_of_no_events_is_typed_as_the_reference_types_it():
    timeline = tl.load_timeline(MINI)
    frame, rows = _build([], timeline.eras)
    assert_frame_equal(frame, reference_build([], timeline.eras)[0], check_exact=True)
    assert rows.tolist() == []


def test_columns_of_nothing_but_missing_values_or_lists_stay_objects():
    """pandas types a column by its values: all missing stays objects, text and lists too."""
    timeline = tl.load_timeline(TREE)
    events = [
        e.model_copy(update={"status": None, "counterpart": ["a", "b"] if i % 2 else "a"})
        for i, e in enumerate(timeline.events)
    ]
    frame = _build(events, timeline.eras)[0]
    assert_frame_equal(frame, reference_build(events, timeline.eras)[0], check_exact=True)
    assert (frame["status"].dtype, frame["counterpart"].dtype) == (object, object)
