"""The timeline file format: every field is defined here, once."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from .dates import MAX_YEAR, HDate, Precision, date_pattern

FORMAT_VERSION: Final = 1


class History(StrEnum):
    reference = "reference"
    diverged = "diverged"
    shared = "shared"


class Layer(StrEnum):
    world = "world"
    production = "production"


class Status(StrEnum):
    """How a diverged event relates to our history; each value carries its words."""

    shifted = "shifted"
    replaced = "replaced"
    new = "new"
    prevented = "prevented"
    untold = "untold"

    @property
    def label(self) -> str:
        """Short name for legends and tables."""
        return _STATUS_WORDS[self][0]

    @property
    def explanation(self) -> str:
        """What the status means, for help texts and legends."""
        return _STATUS_WORDS[self][1]


_STATUS_WORDS: dict[Status, tuple[str, str]] = {
    Status.shifted: ("Shifted", "the same milestone, reached at another date"),
    Status.replaced: ("Replaced", "the same slot in history, with another outcome"),
    Status.new: ("New", "happens only in the diverged history"),
    Status.prevented: ("Prevented", "happened in our history, not in the diverged one"),
    Status.untold: ("Untold", "the diverged story does not say whether it happened"),
}


class Confidence(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


Date = Annotated[
    HDate,
    BeforeValidator(HDate.parse),
    PlainSerializer(HDate.text, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": -MAX_YEAR, "maximum": MAX_YEAR},
                {"type": "string", "pattern": date_pattern()},
            ],
            "description": "1969-07-20, 1969-07, 1969, 1960s, 44 BC, 1947?, 1946~, 196X, "
            "1969-21 (spring), 1942/1947, ../1947 (by 1947), 1962/.. (1962 or later), Y-20000",
        }
    ),
]
Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]*$",
        max_length=120,
        description="Stable id: lowercase letters, digits, - _ .",
    ),
]
_CONTROL = r"\x00-\x1f\x7f-\x9f"  # Unicode's Cc: C0, DEL and C1
_CONTROL_IN_LONG = r"\x00-\x08\x0b-\x1f\x7f-\x9f"  # the same bar newline and tab


def _no_control(chars: str, hint: str) -> Callable[[str], str]:
    """A check refusing control characters (NUL, ESC, BEL...): they hide or garble text."""
    found_in = re.compile(f"[{chars}]")

    def check(text: str) -> str:
        if not text.isprintable() and (found := found_in.search(text)):
            raise ValueError(
                f"holds the control character U+{ord(found[0]):04X} "
                f"at position {found.start() + 1}; {hint}"
            )
        return text

    return check


_plain = _no_control(_CONTROL, "write plain text")
_plain_lines = _no_control(_CONTROL_IN_LONG, "write plain text (newlines and tabs are fine)")


_NO_CONTROL = {"pattern": f"^[^{_CONTROL}]*$"}
_NO_CONTROL_LONG = {"pattern": f"^[^{_CONTROL_IN_LONG}]*$"}
Text = Annotated[
    str, Field(min_length=1, max_length=200, json_schema_extra=_NO_CONTROL), AfterValidator(_plain)
]
LongText = Annotated[
    str, Field(max_length=5000, json_schema_extra=_NO_CONTROL_LONG), AfterValidator(_plain_lines)
]
Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", description="#RRGGBB")]


def _isbn(value: str) -> str:
    """An ISBN-10 or ISBN-13 whose check digit is right; hyphens and spaces are allowed."""
    digits = value.replace("-", "").replace(" ", "").upper()
    if re.fullmatch(r"[0-9]{9}[0-9X]", digits):
        check = (11 - sum((10 - i) * int(c) for i, c in enumerate(digits[:9])) % 11) % 11
        expected = "X" if check == 10 else str(check)
    elif re.fullmatch(r"97[89][0-9]{10}", digits):
        check = (10 - sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits[:12]))) % 10
        expected = str(check)
    else:
        raise ValueError(
            f"{value!r} is not an ISBN: write 10 digits (the last may be X) "
            "or 13 starting with 978 or 979"
        )
    if digits[-1] == expected:
        return value
    raise ValueError(f"{value!r} is not a valid ISBN: its check digit should be {expected}")


Isbn = Annotated[
    str,
    Field(max_length=40, description="ISBN-10 or ISBN-13; hyphens allowed"),
    AfterValidator(_isbn),
]


def set_derived(model: BaseModel, field: str, value: Any) -> None:
    """Store a value the loader derived (already valid) without pydantic's slow __setattr__."""
    model.__dict__[field] = value  # ~5 µs saved per call: seconds at 100k events


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, validate_default=False)


class HistoryInfo(Model):
    """How one of the two compared histories is labelled and coloured."""

    label: Text
    color: Color


class Histories(Model):
    reference: HistoryInfo
    diverged: HistoryInfo


class Era(Model):
    """A named span users filter by: the Space Race, a season's setting, production years."""

    id: Id
    label: Text
    start: Date
    end: Date
    layer: Layer | None = Field(None, description="Only events of this layer belong to the era")
    note: LongText | None = None


class SourceKind(StrEnum):
    web = "web"
    seed = "seed"
    book = "book"
    article = "article"
    episode = "episode"
    film = "film"
    other = "other"


class Source(Model):
    """A document cited by events: a web page, a seed file, a book, an episode, a film..."""

    id: Id
    title: Annotated[
        str,
        Field(min_length=1, max_length=400, json_schema_extra=_NO_CONTROL),
        AfterValidator(_plain),
    ]
    kind: SourceKind | None = Field(
        None,
        description="web, seed, book, article, episode, film or other; "
        "inferred from url, seed, isbn or series when left out",
    )
    author: Text | None = None
    publisher: Text | None = None
    date: Date | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] = "en"
    seed: Annotated[str, Field(pattern=r"^[\w.-]+$")] | None = Field(
        None, description="File name of a seed document the project was created from"
    )
    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)] | None = None
    edition: Text | None = Field(None, description="Books: e.g. 2nd, or Del Rey paperback")
    isbn: Isbn | None = None
    chapter: Text | None = Field(None, description="Chapter cited, as printed")
    page: Text | None = Field(None, description="Page or pages cited, e.g. 112 or 112-118")
    series: Text | None = Field(None, description="Episodes: the series' name")
    season: Annotated[int, Field(ge=0, le=1000)] | None = None
    episode: Annotated[int, Field(ge=0, le=100_000)] | None = None

    @model_validator(mode="after")
    def _check_kind(self) -> Source:
        if self.seed is not None and self.url is not None:
            raise ValueError("give exactly one of 'seed' (a seed file name) or 'url', not both")
        kind = self.kind or _inferred_kind(self)
        if kind is None:
            raise ValueError(
                "give exactly one of 'seed' (a seed file name) or 'url' (an address), "
                "or say which kind of source it is (kind: book, article, episode, film or other)"
            )
        if (needed := _KIND_NEEDS.get(kind)) and getattr(self, needed) is None:
            article = "an" if kind.value[0] in "aeiou" else "a"
            raise ValueError(f"{article} {kind.value} source needs '{needed}'")
        for name, kinds in _ONLY_FOR.items():
            if getattr(self, name) is not None and kind not in kinds:
                allowed = " or ".join(k.value for k in kinds)
                raise ValueError(f"'{name}' is for {allowed} sources, not {kind.value} sources")
        set_derived(self, "kind", kind)
        return self


_KIND_NEEDS = {SourceKind.web: "url", SourceKind.seed: "seed", SourceKind.episode: "series"}
_ONLY_FOR = {
    "seed": (SourceKind.seed,),
    "isbn": (SourceKind.book,),
    "edition": (SourceKind.book,),
    "series": (SourceKind.episode,),
    "season": (SourceKind.episode,),
    "episode": (SourceKind.episode,),
}


def _inferred_kind(source: Source) -> SourceKind | None:
    """The kind a source's fields imply: what format-1 files (url or seed) always get."""
    if source.seed is not None:
        return SourceKind.seed
    if source.url is not None:
        return SourceKind.web
    if source.isbn is not None:
        return SourceKind.book
    if source.series is not None:
        return SourceKind.episode
    return None


class Event(Model):
    """One event in one history (or both, when shared)."""

    id: Id
    date: Date
    precision: Precision | None = Field(
        None,
        description="day, month, year or decade; inferred from the date when left out",
    )
    approximate: bool = False
    end: Date | None = None
    title: Text
    summary: LongText = ""
    history: History
    layer: Layer = Layer.world
    category: Annotated[
        str,
        Field(min_length=1, max_length=60, json_schema_extra=_NO_CONTROL),
        AfterValidator(_plain),
    ]
    # default_factory: a shared `[]` default is deep-copied per event, which is slow in bulk.
    tags: list[Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[^\x00-\x1f]+$")]] = (
        Field(default_factory=list)
    )
    counterpart: Id | None = Field(None, description="The same milestone in the other history")
    status: Status | None = Field(
        None,
        description="shifted or replaced (paired diverged events), prevented or untold",
    )
    causes: list[Id] = Field(default_factory=list)
    sources: Annotated[list[Id], Field(min_length=1)]
    confidence: Confidence | None = None
    setting: Id | None = Field(None, description="Production events: the era the work is set in")

    @model_validator(mode="after")
    def _apply_precision(self) -> Event:
        if self.precision is None:
            set_derived(self, "precision", self.date.precision)
        else:
            set_derived(self, "date", self.date.coarsen(self.precision))
        return self

    def when(self) -> str:
        """The event's date as every view says it: `c. Jul 1969`, `1942–1947 – 1950`."""
        vague = self.approximate and not self.date.approximate  # `1946~` already says "c."
        return (
            ("c. " if vague else "")
            + self.date.label()
            + (f" – {self.end.label()}" if self.end else "")
        )

    def inexact(self) -> bool:
        """Approximate or uncertain, as the event or its date says: drawn hollow."""
        return self.approximate or self.date.approximate or self.date.uncertain


class Timeline(Model):
    """A whole timeline file."""

    format: Literal[1] = FORMAT_VERSION
    title: Text
    description: LongText = ""
    histories: Histories
    divergence: Id = Field(description="Id of the point-of-divergence event")
    eras: list[Era] = Field(default_factory=list)
    sources: list[Source]
    events: list[Event]

    def divergence_event(self) -> Event:
        """The point-of-divergence event (the loader checks that it exists)."""
        return next(e for e in self.events if e.id == self.divergence)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a timeline file, for editors."""
    schema = Timeline.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Alternate-history timeline"
    return schema
