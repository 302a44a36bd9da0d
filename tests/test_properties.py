"""Property-based: generated timelines round-trip; mutated files never raise anything else."""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline as tl
from tests.conftest import MINI
from timeline.views import VIEWS

BASE = MINI.read_text()
SETTINGS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s)


@st.composite
def dates(draw: Any, low: int = -3000, high: int = 3000) -> str:
    year = draw(st.integers(low, high))
    kind = draw(st.sampled_from(["day", "month", "year", "decade"]))
    if kind == "decade":
        return f"{year - year % 10}s"
    if kind == "year":
        return tl.HDate.parse(year).iso()
    month = draw(st.integers(1, 12))
    if kind == "month":
        return tl.HDate(year, month, 1, tl.Precision.month).iso()
    from timeline.dates import days_in_month

    day = draw(st.integers(1, days_in_month(year, month)))
    return tl.HDate(year, month, day, tl.Precision.day).iso()


@st.composite
def timelines(draw: Any) -> dict[str, Any]:
    """A valid timeline: pairs point back, causes point backwards, diverged after the split."""
    pod_year = draw(st.integers(-2000, 2000))
    events: list[dict[str, Any]] = [
        {
            "id": "pod",
            "date": str(pod_year) if pod_year >= 0 else f"{1 - pod_year} BC",
            "title": "The split",
            "history": "diverged",
            "category": "c",
            "sources": ["s"],
        },
    ]
    for i in range(draw(st.integers(0, 12))):
        history = draw(st.sampled_from(["reference", "diverged", "shared"]))
        low = pod_year + 1 if history == "diverged" else -3000
        ev: dict[str, Any] = {
            "id": f"e{i}",
            "date": draw(dates(low=low, high=max(low, 3000))),
            "title": draw(words),
            "summary": draw(
                st.text(
                    alphabet=st.characters(
                        exclude_categories=("Cs", "Cc"), include_characters="\n\t"
                    ),
                    max_size=60,
                )
            ),
            "history": history,
            "category": draw(st.sampled_from(["politics", "science", "war"])),
            "tags": draw(st.lists(st.sampled_from(["a", "b", "milestone"]), unique=True)),
            "approximate": draw(st.booleans()),
            "sources": ["s"],
        }
        # Causes come earlier in the list and are not dated after their effect.
        latest = tl.HDate.parse(ev["date"]).latest
        earlier = [e["id"] for e in events if tl.HDate.parse(e["date"]).earliest < latest]
        ev["causes"] = (
            draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2)) if earlier else []
        )
        events.append(ev)
    # Pair some reference events with diverged ones, both ways.
    refs = [e for e in events if e["history"] == "reference"]
    divs = [e for e in events[1:] if e["history"] == "diverged"]
    for ref, div in zip(refs, divs, strict=False):
        ref["counterpart"], div["counterpart"] = div["id"], ref["id"]
        div["status"] = draw(st.sampled_from(["shifted", "replaced"]))
    return {
        "title": draw(words),
        "histories": {
            "reference": {"label": "Ours", "color": "#0072B2"},
            "diverged": {"label": "Theirs", "color": "#D55E00"},
        },
        "divergence": "pod",
        "eras": [{"id": "all", "label": "All", "start": "3000 BC", "end": 3000}],
        "sources": [{"id": "s", "title": "A source", "url": "https://example.org/"}],
        "events": events,
    }


@SETTINGS
@given(timelines())
def test_generated_timelines_round_trip_and_draw(data):
    timeline = tl.compare_pair(tl.validate_timeline(data, "gen.yaml"))
    again = tl.compare_pair(
        tl.validate_timeline(json.loads(json.dumps(tl.dump_timeline(timeline))), "dump.json")
    )
    assert again == timeline
    frame = tl.to_frame(timeline)
    assert json.loads(tl.to_json(frame)) == tl.records(frame)
    assert len(frame) == len(data["events"])
    # Every view builds on anything valid: a figure, or a message saying why there is none.
    for view in VIEWS:
        built = view.build(timeline, frame, "pod", None)
        assert (built.figure is None) == (built.empty is not None or view.figure is None)
    # The parallel timeline plots every event once, each inside the axis it draws.
    fig = VIEWS[0].build(timeline, frame, None, None).figure
    assert fig is not None
    plotted = [
        (row[0], x)
        for t in fig.data
        if t.type == "scatter" and t.mode == "markers" and t.customdata is not None
        for row, x in zip(t.customdata, t.x, strict=True)
    ]
    assert sorted(i for i, _ in plotted) == sorted(e["id"] for e in data["events"])
    low, high = fig.layout.xaxis.range
    assert all(low <= x <= high for _, x in plotted)
    tl.to_markdown(frame, timeline)
    tl.to_timelinejs(frame, timeline)


@st.composite
def mutations(draw: Any) -> str:
    lines = BASE.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "chars"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "insert":
            lines.insert(i, draw(st.text(max_size=40)) + "\n")
        else:
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.text(min_size=1, max_size=5)) + line[at:]
        if not lines:
            break
    return "".join(lines)


@SETTINGS
@given(mutations())
def test_mutated_files_give_a_timeline_or_our_error(text):
    try:
        timeline = tl.parse_timeline(text, "m.yaml")
    except tl.TimelineError as exc:
        assert exc.problems
        assert all(str(p).startswith("m.yaml") for p in exc.problems)
    else:
        tl.to_frame(timeline)


any_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@SETTINGS
@given(any_text)
def test_markdown_text_never_holds_live_markup_or_an_autolink(text: str):
    import re

    out = tl.escape_markdown(text)
    # Every special character is escaped (preceded by an odd run of backslashes).
    for match in re.finditer(r"(\\*)([`*_{}\[\]()<>#+!|~$&])", out):
        assert len(match.group(1)) % 2 == 1, (text, out)
    resolved = re.sub(r"\\(.)", r"\1", out)
    assert not re.search(r"(https?://|www(?=\.))", resolved, re.IGNORECASE)
    assert not re.search(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", resolved)
    assert "\n" not in out and not any(ord(c) < 32 for c in out)


@SETTINGS
@given(any_text)
def test_plotly_text_has_no_tag_and_no_template(text: str):
    out = tl.escape_plotly(text)
    assert "<" not in out and ">" not in out and "%" not in out
    assert (
        out.replace("&lt;", "<").replace("&gt;", ">").replace("&#37;", "%").replace("&amp;", "&")
        == text
    )


@SETTINGS
@given(any_text)
def test_printable_text_holds_no_control_character(text: str):
    out = tl.printable(text)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in out)


@st.composite
def trees(draw: Any) -> dict[str, Any]:
    """A valid format-2 tree: 3-6 histories, each branch after its parent's divergence, events
    of a branch after its own, counterparts (one or many) between a branch and its parent."""
    count = draw(st.integers(3, 6))
    ids = [f"h{k}" for k in range(count)]
    parents = {ids[k]: ids[draw(st.integers(0, k - 1))] for k in range(1, count)}
    pod_year: dict[str, int] = {ids[0]: -3000}
    events: list[dict[str, Any]] = []
    for h in ids[1:]:
        pod_year[h] = draw(st.integers(pod_year[parents[h]] + 1, pod_year[parents[h]] + 800))
        events.append(
            {
                "id": f"pod-{h}",
                "date": str(pod_year[h]),
                "title": f"{h} splits",
                "history": h,
                "category": "c",
                "sources": ["s"],
            }
        )
    for i in range(draw(st.integers(0, 14))):
        h = draw(st.sampled_from([*ids, "shared"]))
        low = pod_year.get(h, -3000) + 1
        events.append(
            {
                "id": f"e{i}",
                "date": draw(dates(low=low, high=max(low, 3000))),
                "title": draw(words),
                "history": h,
                "category": "c",
                "tags": draw(st.lists(st.sampled_from(["a", "milestone"]), unique=True)),
                "sources": ["s"],
            }
        )
    # Link some branch events with events of their parent: one-to-one or one-to-many.
    by_history = {h: [e for e in events if e["history"] == h] for h in ids}
    for h in ids[1:]:
        mine, theirs = by_history[h], by_history[parents[h]]
        for ev in mine[: draw(st.integers(0, len(mine)))]:
            partners = [p for p in theirs if p["id"] not in ev.get("counterpart", [])]
            chosen = (
                draw(st.lists(st.sampled_from(partners), unique_by=lambda p: p["id"], max_size=2))
                if partners
                else []
            )
            for p in chosen:
                ev.setdefault("counterpart", []).append(p["id"])
                p.setdefault("counterpart", []).append(ev["id"])
    return {
        "format": 2,
        "title": "Generated tree",
        "histories": [
            {
                "id": h,
                "label": f"History {h}",
                **({"parent": parents[h], "divergence": f"pod-{h}"} if h in parents else {}),
            }
            for h in ids
        ],
        "eras": [
            {"id": "all", "label": "All", "start": "3000 BC", "end": 3000},
            {"id": "mine", "label": "h1 only", "history": "h1", "start": 0, "end": 1000},
        ],
        "sources": [{"id": "s", "title": "A source", "url": "https://example.org/"}],
        "events": events,
    }


@SETTINGS
@given(trees())
def test_every_pair_of_a_generated_tree_compares_and_draws(data):
    from timeline.views import TREE_VIEWS

    timeline = tl.validate_timeline(data, "tree.json")
    tree = tl.Tree(timeline)
    for a in tree.order:
        for b in tree.order:
            if a == b:
                continue
            pair = tree.compare(a, b)
            frame = tl.to_frame(pair)
            # Each event is on one side, once; a linked pair joins the two sides.
            assert frame["id"].is_unique
            pairs = tl.counterpart_pairs(frame)
            sides = dict(zip(frame["id"], frame["history"], strict=True))
            assert all(sides[r] == "reference" for r in pairs["reference_id"])
            assert all(sides[d] == "diverged" for d in pairs["diverged_id"])
            for view in VIEWS:
                built = view.build(pair, frame, None, None)
                assert (built.figure is None) == (built.empty is not None or view.figure is None)
    everything = tl.to_frame(timeline)
    for view in TREE_VIEWS:
        built = view.build(timeline, everything, None, tree.order[-1])
        assert (built.figure is None) == (built.empty is not None)
