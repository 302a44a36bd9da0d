"""Rewrite a format-1 timeline as format 2, keeping everything else as written.

YAML is edited as text where the format changed (the `format` line, `histories`, `divergence`
and, when the ids are renamed, each event's `history`), so comments, order and layout elsewhere
stay as they are. Nodes are found with PyYAML's safe composer: no object is ever constructed.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from .errors import Problem, TimelineError
from .load import parse_timeline
from .reader import decode
from .schema import SHARED

DEFAULT_IDS = ("reference", "diverged")


def upgrade_text(text: str | bytes, file: str, ids: tuple[str, str] = DEFAULT_IDS) -> str:
    """A valid format-1 timeline's text as format 2; raises TimelineError otherwise.

    `ids` names the two histories (default `reference` and `diverged`, as format 1 says).
    """
    timeline = parse_timeline(text, file)
    if timeline.origin_format != 1:
        raise TimelineError([Problem(file, None, "format", "is already format 2")])
    raw = decode(text, file) if isinstance(text, bytes) else text
    if len(set(ids)) != 2 or SHARED in ids:
        raise TimelineError(
            [Problem(file, None, "", f"give two different history ids, not {SHARED!r}")]
        )
    if file.lower().endswith(".json"):
        return _upgrade_json(json.loads(raw), ids)
    return _upgrade_yaml(raw, ids)


def _histories(data: dict[str, Any], ids: tuple[str, str]) -> list[dict[str, Any]]:
    h = data["histories"]
    return [
        {"id": ids[0], **h["reference"]},
        {"id": ids[1], **h["diverged"], "parent": ids[0], "divergence": data["divergence"]},
    ]


def _upgrade_json(data: dict[str, Any], ids: tuple[str, str]) -> str:
    renamed = dict(zip(DEFAULT_IDS, ids, strict=True))
    out: dict[str, Any] = {"format": 2}
    for key, value in data.items():
        if key == "histories":
            out[key] = _histories(data, ids)
        elif key == "events":
            out[key] = [
                {**e, "history": renamed.get(e.get("history"), e.get("history"))} for e in value
            ]
        elif key not in ("format", "divergence"):
            out[key] = value
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def _upgrade_yaml(text: str, ids: tuple[str, str]) -> str:
    lines = text.splitlines(keepends=True)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert isinstance(root, yaml.MappingNode)  # the file just validated as a timeline
    data = yaml.safe_load(text)
    top = {k.value: (k, v) for k, v in root.value}
    edits: list[tuple[int, int, int, int, str]] = []  # (line, col, end line, end col, new text)

    def span(key: yaml.Node, value: yaml.Node) -> tuple[int, int]:
        """Whole lines from the key to the value's end, trailing comments on them included."""
        end = value.end_mark.line + (1 if value.end_mark.column > 0 else 0)
        return key.start_mark.line, max(end, key.start_mark.line + 1)

    # Each event's `history`, renamed where the ids change: the scalar alone is replaced.
    renamed = dict(zip(DEFAULT_IDS, ids, strict=True))
    if ids != DEFAULT_IDS and "events" in top:
        for item in top["events"][1].value:
            for k, v in item.value:
                if k.value == "history" and v.value in renamed:
                    m, e = v.start_mark, v.end_mark
                    edits.append((m.line, m.column, e.line, e.column, renamed[v.value]))

    if "format" in top:
        v = top["format"][1]
        edits.append(
            (v.start_mark.line, v.start_mark.column, v.end_mark.line, v.end_mark.column, "2")
        )

    drop: list[tuple[int, int]] = []
    if "divergence" in top:
        drop.append(span(*top["divergence"]))
    h_start, h_stop = span(*top["histories"])
    kept_comments = [
        "# " + c.split("#", 1)[1].strip() + "\n"
        for a, b in [(h_start, h_stop), *drop]
        for c in lines[a:b]
        if "#" in c and _comment_at(c)
    ]
    block = yaml.dump(
        {"histories": _histories(data, ids)},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    new_lines = list(lines)
    for line, col, end_line, end_col, new in sorted(edits, reverse=True):
        assert line == end_line  # an id is one plain scalar on one line
        row = new_lines[line]
        new_lines[line] = row[:col] + new + row[end_col:]
    replaced = {h_start: "".join(kept_comments) + block}
    gone = {i for a, b in [(h_start, h_stop), *drop] for i in range(a, b)}
    out: list[str] = []
    for i, row in enumerate(new_lines):
        if i in replaced:
            out.append(replaced[i])
        if i not in gone:
            out.append(row)
    result = "".join(out)
    return result if "format" in top else _insert_format(result)


class _Dumper(yaml.SafeDumper):
    """Safe dumping, with list items indented under their key as the shipped files write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _comment_at(line: str) -> bool:
    """Whether the line's `#` starts a comment (not inside a quoted value): a cheap check."""
    before = line.split("#", 1)[0]
    return (
        before.count('"') % 2 == 0
        and before.count("'") % 2 == 0
        and (not before or before[-1] in " \t")
    )


def _insert_format(text: str) -> str:
    """`format: 2` above the first key, after the leading comments."""
    rows = text.splitlines(keepends=True)
    first = next(i for i, r in enumerate(rows) if r.strip() and not r.lstrip().startswith("#"))
    return "".join([*rows[:first], "format: 2\n", *rows[first:]])
