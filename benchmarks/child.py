"""`python -m benchmarks.child [--lift-caps] MODULE ARGS...`: run `python -m MODULE ARGS` and
write its exit code and this process's peak memory as JSON, the last line on stderr."""

from __future__ import annotations

import json
import runpy
import sys

from benchmarks.stats import peak_rss_mb


def main(argv: list[str]) -> None:
    if argv[0] == "--lift-caps":
        from benchmarks.caps import lift_caps

        lift_caps()
        argv = argv[1:]
    sys.argv = argv
    code: int | str | None = 0
    try:
        runpy.run_module(argv[0], run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code
    sys.stdout.flush()
    print(json.dumps({"exit": code, "peak_memory_mb": peak_rss_mb()}), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
