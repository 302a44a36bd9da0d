"""The loader's size caps, and lifting them so a file over a cap can still be timed.

A file over a cap (a YAML timeline past ~15,000 realistic events, a JSON one past ~160,000):
the benchmark records the refusal, then times the file with the caps lifted so the numbers still
say where the time goes.
"""

from __future__ import annotations

from pathlib import Path

LIFTED = 1 << 40


def cap_for(path: Path) -> int:
    """The size cap the loader applies to this file."""
    from timeline.load import size_limit

    return size_limit(path.name)


def over_cap(path: Path) -> bool:
    return path.stat().st_size > cap_for(path)


def lift_caps() -> None:
    """Let this process load files of any size (the loader reads its defaults at call time)."""
    import timeline.load

    timeline.load.MAX_BYTES = timeline.load.MAX_JSON_BYTES = LIFTED
    timeline.load.MAX_PARQUET_BYTES = LIFTED
