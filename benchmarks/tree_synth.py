"""Format-2 benchmark timelines: the realistic generator's events spread over a tree.

The realistic two-history timeline becomes a tree of `histories` histories: the root keeps the
reference events, and each diverged event goes to one of the branches at random (its pair, its
causes and its dates stay as they were). Branches branch from the root or from an earlier
branch, so there are branches of branches; each branch gets its own point of divergence.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from .synth import REAL_POD_YEAR, realistic

PALETTE_FREE = 2  # the first two histories take colours; the rest get the palette's


def tree_timeline(n: int, histories: int = 10, seed: int = 1969) -> dict[str, Any]:
    """A valid format-2 timeline of `n` events in `histories` histories."""
    if histories < 2:
        raise ValueError("a tree has at least two histories")
    rng = random.Random(seed)
    data = realistic(n - (histories - 2), seed)
    ids = ["ours", *(f"branch-{k}" for k in range(1, histories))]
    nodes: list[dict[str, Any]] = []
    for k, hid in enumerate(ids):
        node: dict[str, Any] = {"id": hid, "label": "Our history" if k == 0 else f"Branch {k}"}
        if k < PALETTE_FREE:
            node["color"] = ("#0072B2", "#D55E00")[k]
        if k:
            node["parent"] = ids[rng.randrange(k)]  # an earlier one: the root or a branch
            node["divergence"] = "pod" if k == 1 else f"pod-{k}"
        nodes.append(node)
    pod = next(e for e in data["events"] if e["id"] == "pod")
    extra = [
        {
            **copy.deepcopy(pod),
            "id": f"pod-{k}",
            "date": f"{REAL_POD_YEAR}-01-{1 + k:02d}",
            "title": f"Branch {k}",
        }
        for k in range(2, histories)
    ]
    for ev in data["events"]:
        if ev["history"] == "reference":
            ev["history"] = "ours"
        elif ev["history"] == "diverged":
            ev["history"] = "branch-1" if ev["id"] == "pod" else rng.choice(ids[1:])
    for ev in extra:
        ev["history"] = ev["id"].replace("pod-", "branch-")
    events = [data["events"][0], *extra, *data["events"][1:]]
    out = {k: v for k, v in data.items() if k not in ("format", "histories", "divergence")}
    return {"format": 2, **out, "histories": nodes, "events": events}
