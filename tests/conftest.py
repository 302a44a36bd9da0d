from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

import timeline as tl

if TYPE_CHECKING:
    from playwright.sync_api import Browser

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
MINI = DATA / "mini.yaml"


@pytest.fixture(scope="session")
def mini_text() -> str:
    return MINI.read_text()


@pytest.fixture(scope="session")
def mini() -> tl.Timeline:
    return tl.load_timeline(MINI)


@pytest.fixture(scope="session")
def mini_frame(mini: tl.Timeline) -> pd.DataFrame:
    return tl.to_frame(mini)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, shared by a module's browser tests."""
    from tests.browser import chromium

    with chromium() as b:
        yield b


def problems(text: str) -> list[tl.Problem]:
    """The problems reported for timeline text (fails if it loads)."""
    with pytest.raises(tl.TimelineError) as info:
        tl.parse_timeline(text, "t.yaml")
    return info.value.problems


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)
