"""`python -m timeline`: validate, export and describe timeline files."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import TimelineError
from .load import load_timeline, read_file, size_limit
from .schema import json_schema
from .template import starter
from .text import printable


def _validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            timeline = load_timeline(path)
        except TimelineError as exc:
            failed += 1
            for problem in exc.problems:
                print(problem, file=sys.stderr)
        else:
            print(f"{printable(path)}: ok, {len(timeline.events)} events")
    return 1 if failed else 0


def _export(args: argparse.Namespace) -> int:
    # Imported here: they need pandas, which `validate` should not pay to import (~0.5 s).
    from .export import dump_timeline, to_csv, to_json, to_markdown, to_timelinejs
    from .frame import to_frame
    from .tree import compare_pair

    try:
        timeline = load_timeline(args.file)
    except TimelineError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    frame = to_frame(timeline)
    if args.format in ("timelinejs", "markdown"):  # a comparison: the default pair
        pair = compare_pair(timeline)
        frame = to_frame(pair)
    if args.format == "timeline":
        out = json.dumps(dump_timeline(timeline), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "timelinejs":
        out = json.dumps(to_timelinejs(frame, pair), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "markdown":
        out = to_markdown(frame, pair)
    else:
        out = to_json(frame) if args.format == "json" else to_csv(frame)
    sys.stdout.write(out)
    return 0


def _schema(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
    return 0


def _new(args: argparse.Namespace) -> int:
    path = Path(args.file)
    name = printable(path)
    problem = None
    if path.is_symlink():  # never write through a link, even a dangling one
        problem = f"{name} is a symbolic link; give the path of a new file"
    elif path.is_dir():
        problem = f"{name} is a folder; give the path of a new file"
    elif not path.parent.is_dir():
        problem = f"the folder {printable(path.parent)} does not exist; create it first"
    if problem:
        print(problem, file=sys.stderr)
        return 1
    # O_EXCL (or O_NOFOLLOW with --force): a link or file appearing meanwhile is not followed.
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_TRUNC if args.force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        print(f"{name} exists; pass --force to overwrite it", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"cannot write {name}: {exc.strerror}", file=sys.stderr)
        return 1
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(starter(path))
    print(f"wrote {name}: edit it, then run python -m timeline validate {name}")
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    from .upgrade import upgrade_text

    path = Path(args.file)
    try:
        text = upgrade_text(
            read_file(path, size_limit(str(path))), printable(path), tuple(args.ids.split(",", 1))
        )
    except TimelineError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    if args.write:
        path.write_text(text, encoding="utf-8")
        print(f"{printable(path)}: upgraded to format 2", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m timeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser(
        "validate", help="check timeline files; exit 1 if any is invalid"
    )
    validate.add_argument("files", nargs="+")
    validate.set_defaults(run=_validate)
    export = commands.add_parser("export", help="write a timeline's events to stdout")
    export.add_argument("file")
    export.add_argument(
        "--format",
        choices=["json", "csv", "markdown", "timelinejs", "timeline"],
        default="json",
        help="json/csv: flat events; markdown: a comparison report; timelinejs: TimelineJS "
        "JSON; timeline: the whole timeline as loadable JSON",
    )
    export.set_defaults(run=_export)
    new = commands.add_parser("new", help="write a small valid starter timeline with comments")
    new.add_argument("file")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(run=_new)
    upgrade = commands.add_parser(
        "upgrade", help="rewrite a format-1 timeline as format 2 (stdout, or --write in place)"
    )
    upgrade.add_argument("file")
    upgrade.add_argument(
        "--ids",
        default="reference,diverged",
        help="ids for the two histories, e.g. ours,fam (default: reference,diverged)",
    )
    upgrade.add_argument("--write", action="store_true", help="replace the file")
    upgrade.set_defaults(run=_upgrade)
    schema = commands.add_parser("schema", help="print the JSON Schema of a timeline file")
    schema.set_defaults(run=_schema)
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code
