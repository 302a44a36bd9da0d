"""The timeline file format: every field is defined here, once."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from .dates import HDate, Precision

FORMAT_VERSION: Final = 1


class History(StrEnum):
    reference = "reference"
    diverged = "diverged"
    shared = "shared"


class Layer(StrEnum):
    world = "world"
    production = "production"


class Status(StrEnum):
    shifted = "shifted"
    replaced = "replaced"
    new = "new"
    prevented = "prevented"
    untold = "untold"


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
                {"type": "integer"},
                {
                    "type": "string",
                    "pattern": r"^([-+]?\d{1,6}(-\d{2}(-\d{2})?)?|-?\d{0,5}0s"
                    r"|(AD |CE )?\d{1,6} ?(BC|BCE|AD|CE)?)$",
                },
            ],
            "description": "1969-07-20, 1969-07, 1969, 1960s, -0043-03-15 or 44 BC",
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
Text = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(max_length=5000)]
Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", description="#RRGGBB")]


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


class Source(Model):
    """A document cited by events: a seed file or a public address."""

    id: Id
    title: Annotated[str, Field(min_length=1, max_length=400)]
    publisher: Text | None = None
    date: Date | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] = "en"
    seed: Annotated[str, Field(pattern=r"^[\w.-]+$")] | None = Field(
        None, description="File name of a seed document the project was created from"
    )
    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)] | None = None

    @model_validator(mode="after")
    def _seed_or_url(self) -> Source:
        if (self.seed is None) == (self.url is None):
            raise ValueError("give exactly one of 'seed' (a seed file name) or 'url' (an address)")
        return self


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
    category: Annotated[str, Field(min_length=1, max_length=60)]
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


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a timeline file, for editors."""
    schema = Timeline.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Alternate-history timeline"
    return schema
