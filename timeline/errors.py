"""The one error type the library raises for bad timeline input."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field

from .text import printable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a timeline file, located by file, line and field."""

    file: str
    line: int | None
    field: str
    message: str
    hint: str = ""
    # The field as a path, e.g. ("events", 7, "date"): lets a reader find the line later.
    path: tuple[str | int, ...] = dc_field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )
        # Control characters from the file never reach a terminal raw (`\x1b` instead).
        return printable(f"{text} ({self.hint})" if self.hint else text)


class TimelineError(ValueError):
    """A timeline file could not be loaded; `problems` lists every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
