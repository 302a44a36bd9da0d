"""The timeline file format: every field is defined here, once."""

from __future__ import annotations

import operator
import re
from collections import deque
from collections.abc import Iterable
from enum import StrEnum
from itertools import compress, repeat
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    TypeAdapter,
    WithJsonSchema,
    model_validator,
)

from .dates import MAX_YEAR, HDate, Precision, date_pattern

FORMAT_VERSION: Final = 2  # what `timeline new` and `timeline upgrade` write
MAX_HISTORIES: Final = 40
SHARED: Final = "shared"  # an event in every history; no history may take this id


class History(StrEnum):
    """The histories of a format-1 file, and the two sides of any compared pair."""

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
ID_PATTERN: Final = r"^[a-z0-9][a-z0-9_.-]*$"
Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=120,
        description="Stable id: lowercase letters, digits, - _ .",
    ),
]
_CONTROL = r"\x00-\x1f\x7f-\x9f"  # Unicode's Cc: C0, DEL and C1
_CONTROL_IN_LONG = r"\x00-\x08\x0b-\x1f\x7f-\x9f"  # the same bar newline and tab
# Text without control characters (NUL, ESC, BEL...: they hide or garble text). pydantic-core
# matches these patterns, with no Python call per text; `control_problem` words the error.
_NO_CONTROL = f"^[^{_CONTROL}]*$"
_NO_CONTROL_LONG = f"^[^{_CONTROL_IN_LONG}]*$"
_CONTROL_FOUND = {
    _NO_CONTROL: (re.compile(f"[{_CONTROL}]"), "write plain text"),
    _NO_CONTROL_LONG: (
        re.compile(f"[{_CONTROL_IN_LONG}]"),
        "write plain text (newlines and tabs are fine)",
    ),
}


def control_problem(pattern: str, text: object) -> str | None:
    """What is wrong with a text that failed a no-control-character pattern (None: another
    pattern), e.g. `holds the control character U+0007 at position 3; write plain text`."""
    found_in, hint = _CONTROL_FOUND.get(pattern, (None, ""))
    if found_in is None or not isinstance(text, str) or not (found := found_in.search(text)):
        return None
    return (
        f"holds the control character U+{ord(found[0]):04X} at position {found.start() + 1}; {hint}"
    )


Text = Annotated[str, Field(min_length=1, max_length=200, pattern=_NO_CONTROL)]
LongText = Annotated[str, Field(max_length=5000, pattern=_NO_CONTROL_LONG)]
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


BaseModelT = TypeVar("BaseModelT", bound=BaseModel)


def set_derived(model: BaseModel, field: str, value: Any) -> None:
    """Store a value the loader derived (already valid) without pydantic's slow __setattr__."""
    model.__dict__[field] = value  # ~5 µs saved per call: seconds at 100k events


def set_each(models: Iterable[BaseModel], field: str, values: Iterable[Any]) -> None:
    """`set_derived` for many models at once, in C-level steps (no Python call per model)."""
    deque(map(operator.setitem, map(vars, models), repeat(field), values), maxlen=0)


def derived_copy(model: BaseModelT, **changes: Any) -> BaseModelT:
    """A copy with derived (already valid) values changed: ~10x faster than `model_copy`."""
    new = model.__class__.__new__(model.__class__)
    object.__setattr__(new, "__dict__", {**model.__dict__, **changes})
    object.__setattr__(new, "__pydantic_fields_set__", model.__pydantic_fields_set__)
    object.__setattr__(new, "__pydantic_extra__", None)
    object.__setattr__(new, "__pydantic_private__", model.__pydantic_private__)
    return new


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, validate_default=False)


class HistoryInfo(Model):
    """How one of the two compared histories is labelled and coloured."""

    label: Text
    color: Color


class Histories(Model):
    reference: HistoryInfo
    diverged: HistoryInfo


def _not_shared(value: str) -> str:
    if value == SHARED:
        raise ValueError(f"{SHARED!r} is reserved for events in every history; choose another id")
    return value


class HistoryNode(Model):
    """One history of a format-2 tree: the root, or a branch that leaves its parent."""

    id: Annotated[Id, AfterValidator(_not_shared)]
    label: Text
    color: Color | None = Field(None, description="#RRGGBB; a colour-blind-safe one if left out")
    parent: Id | None = Field(None, description="The history this one branches from; none: root")
    divergence: Id | None = Field(
        None, description="Branches: id of this history's point-of-divergence event"
    )
    note: LongText | None = None


class Era(Model):
    """A named span users filter by: the Space Race, a season's setting, production years."""

    id: Id
    label: Text
    start: Date
    end: Date
    layer: Layer | None = Field(None, description="Only events of this layer belong to the era")
    history: Id | None = Field(None, description="Only events of this history belong to the era")
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
        Field(min_length=1, max_length=400, pattern=_NO_CONTROL),
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
        settle_kinds([self])
        return self


def settle_kinds(sources: list[Source]) -> None:
    """Check that each source's fields fit its kind, and set the kind (given, or inferred from
    url, seed, isbn or series); a ValueError says what is wrong with the first that does not.

    Plain web pages, the common case (an address and none of the other kinds' fields), are
    settled in C-level steps; every other source takes the full check, alone. The loader
    runs this on a whole slice of sources validated without it (see `load._unchecked`).
    """
    plain = list(
        map(
            operator.and_,
            map(operator.is_not, map(_URL, sources), repeat(None)),
            map(_WEB_ONLY.isdisjoint, map(_GIVEN, sources)),
        )
    )
    set_each(compress(sources, plain), "kind", repeat(SourceKind.web))
    for source in compress(sources, map(operator.not_, plain)):
        set_derived(source, "kind", _checked_kind(source))


def _checked_kind(source: Source) -> SourceKind:
    """The kind of a source that is not a plain web page, once its fields are checked."""
    if source.seed is not None and source.url is not None:
        raise ValueError("give exactly one of 'seed' (a seed file name) or 'url', not both")
    kind = source.kind or _inferred_kind(source)
    if kind is None:
        raise ValueError(
            "give exactly one of 'seed' (a seed file name) or 'url' (an address), "
            "or say which kind of source it is (kind: book, article, episode, film or other)"
        )
    if (needed := _KIND_NEEDS.get(kind)) and getattr(source, needed) is None:
        article = "an" if kind.value[0] in "aeiou" else "a"
        raise ValueError(f"{article} {kind.value} source needs '{needed}'")
    for name, kinds in _ONLY_FOR.items():
        if getattr(source, name) is not None and kind not in kinds:
            allowed = " or ".join(k.value for k in kinds)
            raise ValueError(f"'{name}' is for {allowed} sources, not {kind.value} sources")
    return kind


_URL = operator.attrgetter("url")
_GIVEN = operator.attrgetter("__pydantic_fields_set__")  # the fields a model was given
_KIND_NEEDS = {SourceKind.web: "url", SourceKind.seed: "seed", SourceKind.episode: "series"}
_ONLY_FOR = {
    "seed": (SourceKind.seed,),
    "isbn": (SourceKind.book,),
    "edition": (SourceKind.book,),
    "series": (SourceKind.episode,),
    "season": (SourceKind.episode,),
    "episode": (SourceKind.episode,),
}


# Fields a plain web source leaves out: given any of them, its kind takes the full check.
_WEB_ONLY = frozenset({"kind", *_ONLY_FOR})


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
    history: Annotated[
        str,
        Field(
            pattern=ID_PATTERN,
            max_length=120,
            description="Id of the event's history, or shared (in every history); "
            "format 1: reference, diverged or shared",
        ),
    ]
    layer: Layer = Layer.world
    category: Annotated[
        str,
        Field(min_length=1, max_length=60, pattern=_NO_CONTROL),
    ]
    # default_factory: a shared `[]` default is deep-copied per event, which is slow in bulk.
    tags: list[Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[^\x00-\x1f]+$")]] = (
        Field(default_factory=list)
    )
    counterpart: Id | Annotated[list[Id], Field(min_length=1, max_length=50)] | None = Field(
        None,
        description="The same milestone in a parent or child history; a list when one event "
        "answers several",
    )
    status: Status | None = Field(
        None,
        description="Relative to the parent history: shifted or replaced (paired), new, "
        "prevented or untold",
    )
    causes: list[Id] = Field(default_factory=list)
    sources: Annotated[list[Id], Field(min_length=1)]
    confidence: Confidence | None = None
    setting: Id | Annotated[list[Id], Field(min_length=1, max_length=50)] | None = Field(
        None, description="Production events: the era (or eras) the work is set in"
    )

    @model_validator(mode="after")
    def _apply_precision(self) -> Event:
        apply_precisions([self])
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

    def counterparts(self) -> tuple[str, ...]:
        """The counterpart ids, one or many, as written."""
        return _as_tuple(self.counterpart)

    def settings(self) -> tuple[str, ...]:
        """The setting era ids, one or many, as written."""
        return _as_tuple(self.setting)


def apply_precisions(events: list[Event]) -> None:
    """Give each event without a `precision` its date's, and coarsen the date of each with one
    (`1946` at decade precision: the 1940s, 1946 kept as its anchor); a ValueError says
    what is wrong with the first that cannot be. In C-level steps for the common case, no
    precision given; the loader runs this on a whole slice of events validated without it.
    """
    precisions = list(map(_PRECISION, events))
    dates = list(map(_DATE, events))
    inferred = list(map(operator.is_, precisions, repeat(None)))
    set_each(compress(events, inferred), "precision", map(_PRECISION, compress(dates, inferred)))
    given = map(operator.not_, inferred)
    for event, date, precision in compress(zip(events, dates, precisions, strict=True), given):
        set_derived(event, "date", date.coarsen(precision))


_PRECISION = operator.attrgetter("precision")
_DATE = operator.attrgetter("date")


def _as_tuple(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


class Comparison(Model):
    """Two histories compared: a format-1 file, or any two histories of a format-2 tree.

    `reference` is the older side (the ancestor, when one is); `shared` events are in both.
    """

    format: Literal[1] = 1
    title: Text
    description: LongText = ""
    histories: Histories
    divergence: Id = Field(description="Id of the point-of-divergence event")
    eras: list[Era] = Field(default_factory=list)
    sources: list[Source]
    events: list[Event]
    # Set when made from a tree: the pair's history ids, and every history's label.
    _pair: tuple[str, str] = PrivateAttr(default=("reference", "diverged"))
    _others: tuple[str, ...] = PrivateAttr(default=())
    _colors: tuple[str, ...] = PrivateAttr(default=())  # every history's, kept apart from
    _own_divergence: str | None = PrivateAttr(default=None)
    _projected: Any = PrivateAttr(default=None)  # tree.Projection: rows of a tree's events

    def divergence_event(self) -> Event:
        """The point-of-divergence event (the loader checks that it exists)."""
        return next(e for e in self.events if e.id == self.divergence)

    @property
    def pair(self) -> tuple[str, str]:
        """The history ids compared: reference first."""
        return self._pair

    @property
    def own_divergence(self) -> str:
        """The diverged side's own point of divergence (where its ripples start); in a tree
        it may come after `divergence`, where the two histories part."""
        return self._own_divergence or self.divergence

    def own_divergence_event(self) -> Event:
        """The event `own_divergence` names."""
        return next(e for e in self.events if e.id == self.own_divergence)

    @property
    def other_histories(self) -> tuple[str, ...]:
        """Labels of the tree's histories not in this comparison."""
        return self._others


class Timeline(Model):
    """A whole timeline: any number of histories as a tree (format 2, or a format-1 file)."""

    format: Literal[2]
    title: Text
    description: LongText = ""
    histories: Annotated[list[HistoryNode], Field(min_length=2, max_length=MAX_HISTORIES)]
    eras: list[Era] = Field(default_factory=list)
    sources: list[Source]
    events: list[Event]
    _origin: int = PrivateAttr(default=2)  # 1: read from a format-1 file
    _comparison: Comparison | None = PrivateAttr(default=None)  # a format-1 file, as read
    _tree: Any = PrivateAttr(default=None)  # its Tree, built once (tree.py)

    @property
    def origin_format(self) -> int:
        """The format of the file this was read from."""
        return self._origin

    def history(self, history_id: str) -> HistoryNode:
        return next(h for h in self.histories if h.id == history_id)

    def root(self) -> HistoryNode:
        """The one history with no parent (the loader checks there is exactly one)."""
        return next(h for h in self.histories if h.parent is None)

    def divergence_event(self, history: str | None = None) -> Event:
        """A branch's point-of-divergence event; by default the root's first branch's."""
        node = (
            self.history(history)
            if history
            else next(h for h in self.histories if h.parent == self.root().id)
        )
        return next(e for e in self.events if e.id == node.divergence)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a timeline file (format 2, or format 1), for editors."""
    both = TypeAdapter(Timeline | Comparison).json_schema(ref_template="#/$defs/{model}")
    # `format` picks the model, so an editor reports errors at their field, not "no match".
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Alternate-history timeline",
        "description": "format: 2 is a tree of histories; a file without format (or format: 1) "
        "compares two histories, reference and diverged",
        "if": {"properties": {"format": {"const": 2}}, "required": ["format"]},
        "then": {"$ref": "#/$defs/Timeline"},
        "else": {"$ref": "#/$defs/Comparison"},
        "$defs": both["$defs"],
    }
