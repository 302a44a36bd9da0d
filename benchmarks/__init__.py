"""Speed measurements: `python -m benchmarks` (see README, Performance)."""
