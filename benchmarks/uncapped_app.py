"""The dashboard with the loader's size caps lifted, for timing a file over a cap."""

import runpy
from pathlib import Path

from benchmarks.caps import lift_caps

lift_caps()
runpy.run_path(str(Path(__file__).parent.parent / "app.py"), run_name="__main__")
