"""The shape of a ``wegweiser-world/1`` file, as pydantic models.

Models forbid unknown keys (a typo must not pass silently) and validate strictly (``"2"``
is not a level, ``true`` is not a number). Each model's field order is the canonical key
order of an exported file. References between entities are checked separately, in
:mod:`graph.world.validate`, because they need the whole file (and the store).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    SerializationInfo,
    model_serializer,
)

from graph import model

__all__ = ["ENTITY_SECTIONS", "FORMAT", "World"]

FORMAT = "wegweiser-world/1"

_ID_PATTERN = re.compile(r"^[^\s\x00-\x1f]{1,200}$")
_LANG_PATTERN = re.compile(r"^[a-z]{2,3}$")


def _check_id(value: str) -> str:
    if not _ID_PATTERN.match(value):
        raise ValueError(f"{value!r} is not an id (1–200 characters, no spaces)")
    return value


def _check_skill_level(value: int) -> int:
    if not model.is_skill_level(value):
        raise ValueError(f"level {value} is not in {model.format_level_scale('skill')}")
    return value


def _check_cefr(value: str) -> str:
    if not model.is_cefr_level(value):
        raise ValueError(
            f"level {value!r} is not a CEFR level ({model.format_level_scale('language')})"
        )
    return value


def _check_date(value: str) -> str:
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if parsed.isoformat() != value:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")
    return value


def _check_labels(value: dict[str, str]) -> dict[str, str]:
    if not value:
        raise ValueError("needs at least one label")
    for lang in value:
        if not _LANG_PATTERN.match(lang):
            raise ValueError(f"{lang!r} is not a language code (ISO 639, lower case)")
    return value


def _level_only_as_int(value: Any) -> Any:
    """Let ``3`` stand for ``{"level": 3}`` where provenance is optional."""
    if type(value) is int:
        return {"level": value}
    return value


def _candidate_only_as_str(value: Any) -> Any:
    """Let ``"p-1"`` stand for ``{"candidate": "p-1"}`` in a coach's mentee list."""
    if isinstance(value, str):
        return {"candidate": value}
    return value


def _compacting(info: SerializationInfo) -> bool:
    """Exports write ``3`` for a bare level and ``"p-1"`` for a bare mentee, as people do."""
    return bool(info.context and info.context.get("compact"))


def _number(low: float, high: float | None = None) -> PlainValidator:
    """A JSON number in [low, high], kept as int or float as written (450 stays 450)."""

    def check(value: Any) -> int | float:
        if type(value) not in (int, float):
            raise ValueError(f"must be a number (got {_as_json(value)})")
        if value < low or (high is not None and value > high):
            scale = f"at least {low}" if high is None else f"between {low} and {high}"
            raise ValueError(f"{value} is not {scale}")
        return value

    return PlainValidator(check)


def _as_json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except TypeError:
        return repr(value)


Id = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, Field(min_length=1, max_length=500)]
SkillLevel = Annotated[int, AfterValidator(_check_skill_level)]
Cefr = Annotated[str, AfterValidator(_check_cefr)]
IsoDate = Annotated[str, AfterValidator(_check_date)]
Email = Annotated[str, Field(max_length=254, pattern=r"^[^\s@]+@[^\s@]+\.[^\s@]+$")]
"""An e-mail address as people write it (one ``@``, a dot in the domain, no spaces)."""
Labels = Annotated[dict[str, Text], AfterValidator(_check_labels)]
Number = Annotated[int | float, _number(0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Entity(_Strict):
    id: Id


class Town(Entity):
    name: Text
    lat: Annotated[int | float, _number(-90, 90)]
    lon: Annotated[int | float, _number(-180, 180)]
    drk_point: bool = False


class Language(Entity):
    labels: Labels


class Skill(Entity):
    labels: Labels
    kind: Literal[model.SKILL_KINDS] = "skill"  # type: ignore[valid-type]
    esco_uri: Text | None = None
    broader: list[Id] = []


class Tool(Entity):
    labels: Labels
    category: Literal[model.TOOL_CATEGORIES]  # type: ignore[valid-type]


class Occupation(Entity):
    labels: Labels
    isco: Text | None = None
    kldb: Text | None = None
    esco_uri: Text | None = None
    essential: list[Id] = []
    optional: list[Id] = []


class Organization(Entity):
    name: Text
    kind: Literal[model.ORGANIZATION_KINDS]  # type: ignore[valid-type]
    town: Id | None = None


class Company(Entity):
    name: Text
    town: Id
    sector: Text | None = None


class Requirement(_Strict):
    level: SkillLevel
    essential: bool = True


class OfferRequirements(_Strict):
    skills: dict[Id, Requirement] = {}
    tools: dict[Id, Requirement] = {}
    languages: dict[Id, Cefr] = {}


class Offer(Entity):
    company: Id
    kind: Literal[model.OFFER_KINDS]  # type: ignore[valid-type]
    title: Text
    town: Id
    occupation: Id | None = None
    kldb: Text | None = None
    seats: Annotated[int, Field(ge=1)] | None = None
    open: bool = True
    requires: OfferRequirements = OfferRequirements()


class CourseItems(_Strict):
    skills: dict[Id, SkillLevel] = {}
    tools: dict[Id, SkillLevel] = {}
    languages: dict[Id, Cefr] = {}


class Course(Entity):
    title: Text
    kind: Literal[model.COURSE_KINDS]  # type: ignore[valid-type]
    provider: Id
    town: Id | None = None
    weeks: Annotated[int, Field(ge=1, le=520)]
    hours_per_week: Annotated[int, Field(ge=1, le=60)] | None = None
    cost: Number = 0
    funding: list[Text] = []
    starts: list[IsoDate] = []
    seats: Annotated[int, Field(ge=1)] | None = None
    teaches: CourseItems = CourseItems()
    requires: CourseItems = CourseItems()


class Claim(_Strict):
    """A candidate's level in a skill or tool, and where that knowledge comes from."""

    level: SkillLevel
    source: Literal[model.SKILL_SOURCES] | None = None  # type: ignore[valid-type]
    assessed_at: IsoDate | None = None
    assessed_by: Text | None = None

    @model_serializer(mode="wrap")
    def _compact(self, handler: Any, info: SerializationInfo) -> Any:
        data = handler(self)
        if _compacting(info) and all(data[k] is None for k in _PROVENANCE):
            return data["level"]
        return data


_PROVENANCE = ("source", "assessed_at", "assessed_by")

ClaimOrLevel = Annotated[Claim, BeforeValidator(_level_only_as_int)]


class Consent(_Strict):
    """What the candidate agreed to; recorded by an advisor."""

    profile_sharing: bool = False
    contact: bool = False


class Candidate(Entity):
    name: Text
    town: Id
    gender: Literal[model.GENDERS] | None = None  # type: ignore[valid-type]
    birth_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    available_from: IsoDate | None = None
    organization: Id | None = None
    consent: Consent = Consent()
    # identity and contact, residence, social/benefit, health (``graph.fields``)
    email: Email | None = None
    phone: Annotated[str, Field(min_length=3, max_length=40)] | None = None
    street: Text | None = None
    nationality: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    residence_status: Literal[model.RESIDENCE_STATUSES] | None = None  # type: ignore[valid-type]
    residence_until: IsoDate | None = None
    benefit: Literal[model.BENEFITS] | None = None  # type: ignore[valid-type]
    benefit_number: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    health_notes: Text | None = None
    special_needs: Text | None = None
    skills: dict[Id, ClaimOrLevel] = {}
    tools: dict[Id, ClaimOrLevel] = {}
    languages: dict[Id, Cefr] = {}


class Mentorship(_Strict):
    candidate: Id
    since: IsoDate | None = None

    @model_serializer(mode="wrap")
    def _compact(self, handler: Any, info: SerializationInfo) -> Any:
        data = handler(self)
        return data["candidate"] if _compacting(info) and data["since"] is None else data


class Coach(Entity):
    name: Text
    town: Id
    capacity: Annotated[int, Field(ge=0, le=100)] | None = None
    languages: list[Id] = []
    mentees: list[Annotated[Mentorship, BeforeValidator(_candidate_only_as_str)]] = []


class StatusChange(_Strict):
    status: Literal[model.PLACEMENT_STATUSES]  # type: ignore[valid-type]
    date: IsoDate


class Placement(Entity):
    candidate: Id
    offer: Id
    status: Literal[model.PLACEMENT_STATUSES]  # type: ignore[valid-type]
    history: list[StatusChange] = []


class Enrolment(Entity):
    candidate: Id
    course: Id
    status: Literal[model.ENROLMENT_STATUSES]  # type: ignore[valid-type]
    start: IsoDate | None = None


ENTITY_SECTIONS: dict[str, type[Entity]] = {
    "towns": Town,
    "languages": Language,
    "skills": Skill,
    "tools": Tool,
    "occupations": Occupation,
    "organizations": Organization,
    "companies": Company,
    "offers": Offer,
    "courses": Course,
    "candidates": Candidate,
    "coaches": Coach,
    "placements": Placement,
    "enrolments": Enrolment,
}
"""Top-level sections in canonical order, each a list of one entity type."""


class World(_Strict):
    """A whole (or partial) graph as one document."""

    format: Literal["wegweiser-world/1"]
    towns: list[Town] = []
    languages: list[Language] = []
    skills: list[Skill] = []
    tools: list[Tool] = []
    occupations: list[Occupation] = []
    organizations: list[Organization] = []
    companies: list[Company] = []
    offers: list[Offer] = []
    courses: list[Course] = []
    candidates: list[Candidate] = []
    coaches: list[Coach] = []
    placements: list[Placement] = []
    enrolments: list[Enrolment] = []
