"""`python -m timeline`: validate, export and describe timeline files."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from .colours import colour_clashes
from .errors import TimelineError
from .gcpause import paused_gc
from .load import load_timeline, read_file, size_limit
from .schema import json_schema
from .template import starter
from .text import printable


def _validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            with paused_gc():  # building 100k models: full collections would find nothing
                timeline = load_timeline(path)
        except TimelineError as exc:
            failed += 1
            for problem in exc.problems:
                print(problem, file=sys.stderr)
        else:
            print(f"{printable(path)}: ok, {len(timeline.events)} events")
            reread = partial(read_file, path, size_limit(path))  # read again only on a clash
            for warning in colour_clashes(timeline, path, reread):  # the file is still valid
                print(f"warning: {warning}", file=sys.stderr)
    return 1 if failed else 0


# `python -m timeline export --format`: the choices, in the order `--help` lists them.
EXPORT_FORMATS = ("json", "csv", "markdown", "timelinejs", "timeline", "parquet")


def _export(args: argparse.Namespace) -> int:
    if args.format == "parquet" and sys.stdout.isatty():
        print("Parquet is binary: redirect it to a file (> FILE.parquet)", file=sys.stderr)
        return 1
    try:
        with paused_gc():  # only the load: an export's cyclic garbage must still be freed
            timeline = load_timeline(args.file)
    except TimelineError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    # Imported here, after loading: what a format needs of pandas is imported by the function
    # writing it, so `validate` and a Parquet export never import pandas (see export.py).
    from .export import (
        frame_chunks,
        report_frame,
        write_csv,
        write_json,
        write_markdown,
        write_parquet_releasing,
        write_timeline,
        write_timelinejs,
    )
    from .tree import compare_pair

    # Streamed a slice of rows at a time: 100k events export in a bounded amount of memory.
    out = sys.stdout
    if args.format not in ("parquet", "timeline"):  # the formats written from frames
        _arrow_memory_from_malloc()
    if args.format == "parquet":
        sys.stdout.flush()
        held = [timeline]
        del timeline  # so its models are freed before the file is written (see there)
        write_parquet_releasing(held, sys.stdout.buffer)
    elif args.format == "timeline":
        write_timeline(timeline, out)
    elif args.format == "timelinejs":  # a comparison: the root and its first branch
        pair = compare_pair(timeline)
        write_timelinejs(frame_chunks(pair), pair, out)
    elif args.format == "markdown":  # its counts and pairs need every row, of a few columns
        pair = compare_pair(timeline)
        write_markdown(report_frame(pair), pair, "", out)
    elif args.format == "json":
        write_json(frame_chunks(timeline), out)
    else:
        write_csv(frame_chunks(timeline), out)
    return 0


def _arrow_memory_from_malloc() -> None:
    """pandas' text columns (Arrow's memory) from the C allocator, not Arrow's default mimalloc,
    which keeps what each slice of rows frees: at 100k events Markdown peaks ~30 MB lower."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


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
        choices=EXPORT_FORMATS,
        default="json",
        help="json/csv: flat events; markdown: a comparison report; timelinejs: TimelineJS "
        "JSON; timeline: the whole timeline as loadable JSON; parquet: the whole timeline as "
        "loadable Parquet (events as rows; redirect it to a .parquet file)",
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
