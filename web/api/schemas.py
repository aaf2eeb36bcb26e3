"""The bodies the API answers with, as pydantic models: the one description of each shape.

Views build these models (pydantic checks every value on the way out), and the OpenAPI
document takes its JSON Schemas from the same classes, so the document cannot drift from
what is served. Every model forbids extra fields: a field that is not declared here —
a candidate's name slipping into an employer's view, say — fails loudly instead of
leaking quietly.
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Candidate",
    "CandidateMatch",
    "CandidateMatches",
    "CandidateSummary",
    "Coach",
    "Course",
    "CourseSummary",
    "Gap",
    "Index",
    "Offer",
    "OfferMatch",
    "OfferMatches",
    "Page",
    "Problem",
    "PseudonymousMatch",
    "RoutePlan",
]

Labels = dict[str, str]
ItemKind = Literal["skill", "tool", "language"]
Level = int | str
"""A skill or tool level 1–3, or a CEFR level ``A1`` … ``C2`` / ``native`` for a language."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


T = TypeVar("T")


class Page(Model, Generic[T]):
    """One page of a list; the ``Link`` header names the first, previous, next, last."""

    items: list[T]
    page: int = Field(ge=1)
    per_page: int = Field(ge=1, le=100)
    total: int = Field(ge=0, description="Items on all pages together.")


class InvalidParam(Model):
    name: str
    reason: str


class Problem(Model):
    """RFC 9457 problem details: every error of the API."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str = Field(description="``about:blank``: the status says what kind of problem.")
    title: str = Field(description="The HTTP reason phrase of the status.")
    status: int = Field(ge=400, le=599)
    detail: str = Field(description="What went wrong in this request.")
    instance: str = Field(description="The request's path and query.")
    invalid_params: list[InvalidParam] | None = Field(
        default=None, description="For 400: each query parameter that is wrong, and why."
    )


class Index(Model):
    api: Literal["wegweiser"]
    version: Literal["v1"]
    user: UserInfo


class UserInfo(Model):
    id: str
    email: str
    role: str


class Place(Model):
    id: str
    name: str
    lat: float
    lon: float


class Held(Model):
    """An item a candidate holds, at a level, with its labels per language."""

    id: str
    level: Level
    labels: Labels


class SkillHeld(Held):
    source: str | None = Field(None, description="self-reported, assessed, certificate …")
    assessed_at: str | None = None
    assessed_by: str | None = None


class Consent(Model):
    profile_sharing: bool
    contact: bool


class CandidateSummary(Model):
    id: str
    name: str | None = Field(
        description="Null for a candidate seen through a share that does not open identity."
    )
    town: Place | None
    available_from: str | None


class Candidate(CandidateSummary):
    """A candidate's profile with only the field groups the caller may see (``groups``):
    a field of a group the caller may not see is null (or an empty list), never filled."""

    name: str | None = Field(description="Null unless `identity_contact` is in `groups`.")
    groups: list[str] = Field(
        default_factory=list,
        description="The field groups this answer includes (matching_profile, "
        "identity_contact, residence, social_benefit, health).",
    )
    gender: str | None
    birth_year: int | None
    email: str | None = None
    phone: str | None = None
    street: str | None = None
    nationality: str | None = Field(None, description="ISO 3166-1 alpha-2; group residence.")
    residence_status: str | None = Field(None, description="Group residence.")
    residence_until: str | None = Field(None, description="Group residence.")
    benefit: str | None = Field(
        None, description="SGB II, SGB III, AsylbLG, none; group social_benefit."
    )
    benefit_number: str | None = Field(None, description="Group social_benefit.")
    health_notes: str | None = Field(None, description="Group health.")
    special_needs: str | None = Field(None, description="Group health.")
    consent: Consent
    organizations: list[str]
    coaches: list[str]
    skills: list[SkillHeld]
    tools: list[Held]
    languages: list[Held]


class Requirement(Model):
    kind: ItemKind
    id: str
    level: Level
    essential: bool
    labels: Labels


class Offer(Model):
    id: str
    title: str
    kind: str
    open: bool
    company: str | None
    town: Place | None
    occupation: str | None
    requirements: list[Requirement]


class ItemLevel(Model):
    kind: ItemKind
    id: str
    level: Level
    labels: Labels


class CourseSummary(Model):
    id: str
    title: str
    kind: str | None
    weeks: int
    hours_per_week: float | None
    cost: float | None
    seats: int | None
    starts: list[str]
    funding: list[str]
    provider: str | None
    town: str | None


class Course(CourseSummary):
    teaches: list[ItemLevel]
    requires: list[ItemLevel]


class Coach(Model):
    id: str
    name: str
    town: str | None
    languages: list[str]
    capacity: int | None
    mentees: int = Field(ge=0, description="How many candidates the coach accompanies now.")
    free: int | None = Field(description="Capacity left (None when no capacity is set).")


class Coverage(Model):
    met: int = Field(ge=0)
    total: int = Field(ge=0)


class GapRequirement(Model):
    kind: ItemKind
    id: str
    labels: Labels
    required: Level
    current: Level | None
    essential: bool
    met: bool


class NamedItem(Model):
    id: str
    labels: Labels


class Gap(Model):
    """What a candidate has and lacks for one offer (``wegweiser gap --json``)."""

    candidate: str = Field(description="The candidate's id — for an employer, the pseudonym.")
    offer: str
    ready: bool
    essential: Coverage
    optional: Coverage
    requirements: list[GapRequirement]
    occupation_skills_missing: list[NamedItem]


class ScheduledCourse(Model):
    course: str
    start: str
    end: str


class Route(Model):
    courses: list[str]
    schedule: list[ScheduledCourse]
    total_weeks: int
    total_cost: float
    ready_date: str | None


class Unreachable(Model):
    kind: ItemKind
    id: str
    level: Level | None
    reason: str


class RoutePlan(Route):
    """The training route (``wegweiser plan --json``): best route, gaps no course closes,
    and the next best alternatives."""

    candidate: str
    offer: str
    objective: Literal["weeks", "ready_date"]
    feasible: bool
    unreachable: list[Unreachable]
    alternatives: list[Route]


class RouteSummary(Model):
    feasible: bool
    courses: list[str]
    total_weeks: int | None
    ready_date: str | None


class MatchFacts(Model):
    fit: int = Field(ge=0, le=100)
    distance_km: float | None
    gap: Gap
    route: RouteSummary


class OfferMatch(MatchFacts):
    """An offer that fits a candidate."""

    offer: str
    title: str
    kind: str


class CandidateMatch(MatchFacts):
    """A candidate who fits an offer, as an advisor or admin sees them."""

    candidate: str
    name: str


class PseudonymousMatch(MatchFacts):
    """A candidate who fits an employer's offer: a pseudonym (stable for this company,
    different for every other), no name, no id, no contact."""

    pseudonym: str
    available_from: str | None


class OfferMatches(Model):
    candidate: str
    items: list[OfferMatch]


class CandidateMatches(Model):
    offer: str
    pseudonymised: bool = Field(description="True for employers: items are pseudonymous.")
    items: list[CandidateMatch | PseudonymousMatch]


Index.model_rebuild()
