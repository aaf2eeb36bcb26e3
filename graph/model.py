"""The vocabulary of the Wegweiser graph, in one place.

Every label, relationship type and property name that the stores, the world-file codec
and the queries use is named here, together with the two level scales. Keeping them in
one module means a typo is an ``AttributeError`` at import time rather than an empty
query result, and it is the fixed allow-list from which labels and relationship types
are taken wherever they cannot be query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

__all__ = [
    "BENEFITS",
    "CANDIDATE_PERSONAL_PROPERTIES",
    "CEFR_LEVELS",
    "COURSE_KINDS",
    "KLDB_MATCH_RANKS",
    "LABEL_PROPERTY_PREFIX",
    "MULTILINGUAL",
    "NODE_PROPERTIES",
    "OFFER_KINDS",
    "PLACEMENT_STATUSES",
    "RELATIONSHIPS",
    "RESIDENCE_STATUSES",
    "SHARE_BASES",
    "SHARE_GROUPS",
    "SKILL_LEVELS",
    "USER_ROLES",
    "Label",
    "Rel",
    "RelSpec",
    "cefr_at_least",
    "cefr_rank",
    "format_level_scale",
    "is_cefr_level",
    "is_node_property",
    "is_skill_level",
    "kldb_class_code",
    "max_cefr",
]


class Label(StrEnum):
    """Node labels. Each label has a uniqueness constraint on ``id``."""

    TOWN = "Town"
    LANGUAGE = "Language"
    SKILL = "Skill"
    TOOL = "Tool"
    OCCUPATION = "Occupation"
    ORGANIZATION = "Organization"
    COMPANY = "Company"
    OFFER = "Offer"
    COURSE = "Course"
    CANDIDATE = "Candidate"
    COACH = "Coach"
    PLACEMENT = "Placement"
    ENROLMENT = "Enrolment"
    KLDB_CLASS = "KldbClass"
    """A class of the KldB 2010 (Klassifikation der Berufe), levels 1–5; reference data
    from ``wegweiser import kldb``, not part of world files."""
    USER = "User"
    """A login of the web app (``USER_ROLES``). Kept in the graph so that app processes
    stay stateless; never part of world files, so password hashes never leave in an export."""
    NOTE = "Note"
    """A coach's contact note about a mentee: confidential, never part of world files."""
    CONTACT_REQUEST = "ContactRequest"
    """An employer asks the candidate's advisor for contact (the identity stays hidden);
    web workflow data, never part of world files."""


class Rel(StrEnum):
    """Relationship types."""

    HAS_SKILL = "HAS_SKILL"
    KNOWS_TOOL = "KNOWS_TOOL"
    SPEAKS = "SPEAKS"
    LIVES_IN = "LIVES_IN"
    REGISTERED_WITH = "REGISTERED_WITH"
    POSTS = "POSTS"
    REQUIRES_SKILL = "REQUIRES_SKILL"
    REQUIRES_TOOL = "REQUIRES_TOOL"
    REQUIRES_LANGUAGE = "REQUIRES_LANGUAGE"
    LOCATED_IN = "LOCATED_IN"
    FOR_OCCUPATION = "FOR_OCCUPATION"
    TEACHES_SKILL = "TEACHES_SKILL"
    TEACHES_TOOL = "TEACHES_TOOL"
    TEACHES_LANGUAGE = "TEACHES_LANGUAGE"
    HELD_IN = "HELD_IN"
    PROVIDES = "PROVIDES"
    MENTORS = "MENTORS"
    ESSENTIAL_SKILL = "ESSENTIAL_SKILL"
    OPTIONAL_SKILL = "OPTIONAL_SKILL"
    BROADER = "BROADER"
    OF_CANDIDATE = "OF_CANDIDATE"
    FOR_OFFER = "FOR_OFFER"
    IN_COURSE = "IN_COURSE"
    MAPS_TO = "MAPS_TO"
    """(KldbClass)-[:MAPS_TO {relation}]->(Occupation): the BA's KldB ↔ ESCO mapping."""
    SHARED_WITH = "SHARED_WITH"
    """(Candidate)-[:SHARED_WITH {basis, purpose, until, groups, by, at}]->(Organization):
    the candidate's own organisation lets another one see the candidate until a date
    (``graph.sharing``); web workflow data, never part of world files."""


@dataclass(frozen=True)
class RelSpec:
    """One kind of relationship between two labels.

    ``owner`` names the end whose world-file entry lists the relationship inline (a
    course lists what it teaches; an offer names its company although the edge runs
    ``(Company)-[:POSTS]->(Offer)``). Importing an entity replaces the relationships it
    owns, which is what makes a repeated import idempotent.
    """

    type: Rel
    source: Label
    target: Label
    owner: Literal["source", "target"] = "source"
    properties: tuple[str, ...] = ()

    @property
    def owner_label(self) -> Label:
        return self.source if self.owner == "source" else self.target

    @property
    def key(self) -> str:
        """A stable name such as ``Course_TEACHES_SKILL_Skill``."""
        return f"{self.source}_{self.type}_{self.target}"


_SKILL_CLAIM = ("level", "source", "assessed_at", "assessed_by")
_REQUIREMENT = ("level", "essential")
_SHARE = (
    "basis",
    "legal_basis",
    "purpose",
    "until",
    "groups",
    "by",
    "at",
    "revoked_at",
    "revoked_by",
)
"""A share (``Rel.SHARED_WITH``, see ``graph.sharing``): ``groups`` is a list of
``SHARE_GROUPS``, ``until`` an ISO date, ``at``/``revoked_at`` UTC timestamps, ``by``/
``revoked_by`` user ids. Owned by the candidate: a non-merge re-import of the candidate
(world file, regional list) replaces its relationships and so ends its shares."""

RELATIONSHIPS: tuple[RelSpec, ...] = (
    RelSpec(Rel.HAS_SKILL, Label.CANDIDATE, Label.SKILL, properties=_SKILL_CLAIM),
    RelSpec(Rel.KNOWS_TOOL, Label.CANDIDATE, Label.TOOL, properties=_SKILL_CLAIM),
    RelSpec(Rel.SPEAKS, Label.CANDIDATE, Label.LANGUAGE, properties=("level",)),
    RelSpec(Rel.LIVES_IN, Label.CANDIDATE, Label.TOWN),
    RelSpec(Rel.REGISTERED_WITH, Label.CANDIDATE, Label.ORGANIZATION),
    RelSpec(Rel.LOCATED_IN, Label.COMPANY, Label.TOWN),
    RelSpec(Rel.POSTS, Label.COMPANY, Label.OFFER, owner="target"),
    RelSpec(Rel.LOCATED_IN, Label.OFFER, Label.TOWN),
    RelSpec(Rel.FOR_OCCUPATION, Label.OFFER, Label.OCCUPATION),
    RelSpec(Rel.REQUIRES_SKILL, Label.OFFER, Label.SKILL, properties=_REQUIREMENT),
    RelSpec(Rel.REQUIRES_TOOL, Label.OFFER, Label.TOOL, properties=_REQUIREMENT),
    RelSpec(Rel.REQUIRES_LANGUAGE, Label.OFFER, Label.LANGUAGE, properties=("level",)),
    RelSpec(Rel.HELD_IN, Label.COURSE, Label.TOWN),
    RelSpec(Rel.PROVIDES, Label.ORGANIZATION, Label.COURSE, owner="target"),
    RelSpec(Rel.TEACHES_SKILL, Label.COURSE, Label.SKILL, properties=("level",)),
    RelSpec(Rel.TEACHES_TOOL, Label.COURSE, Label.TOOL, properties=("level",)),
    RelSpec(Rel.TEACHES_LANGUAGE, Label.COURSE, Label.LANGUAGE, properties=("level",)),
    RelSpec(Rel.REQUIRES_SKILL, Label.COURSE, Label.SKILL, properties=("level",)),
    RelSpec(Rel.REQUIRES_TOOL, Label.COURSE, Label.TOOL, properties=("level",)),
    RelSpec(Rel.REQUIRES_LANGUAGE, Label.COURSE, Label.LANGUAGE, properties=("level",)),
    RelSpec(Rel.LOCATED_IN, Label.ORGANIZATION, Label.TOWN),
    RelSpec(Rel.LIVES_IN, Label.COACH, Label.TOWN),
    RelSpec(Rel.SPEAKS, Label.COACH, Label.LANGUAGE),
    RelSpec(Rel.MENTORS, Label.COACH, Label.CANDIDATE, properties=("since",)),
    RelSpec(Rel.ESSENTIAL_SKILL, Label.OCCUPATION, Label.SKILL),
    RelSpec(Rel.OPTIONAL_SKILL, Label.OCCUPATION, Label.SKILL),
    RelSpec(Rel.BROADER, Label.SKILL, Label.SKILL),
    RelSpec(Rel.OF_CANDIDATE, Label.PLACEMENT, Label.CANDIDATE),
    RelSpec(Rel.FOR_OFFER, Label.PLACEMENT, Label.OFFER),
    RelSpec(Rel.OF_CANDIDATE, Label.ENROLMENT, Label.CANDIDATE),
    RelSpec(Rel.IN_COURSE, Label.ENROLMENT, Label.COURSE),
    RelSpec(Rel.BROADER, Label.KLDB_CLASS, Label.KLDB_CLASS),
    RelSpec(Rel.OF_CANDIDATE, Label.NOTE, Label.CANDIDATE),
    RelSpec(Rel.OF_CANDIDATE, Label.CONTACT_REQUEST, Label.CANDIDATE),
    RelSpec(Rel.FOR_OFFER, Label.CONTACT_REQUEST, Label.OFFER),
    RelSpec(Rel.MAPS_TO, Label.KLDB_CLASS, Label.OCCUPATION, properties=("relation",)),
    RelSpec(Rel.SHARED_WITH, Label.CANDIDATE, Label.ORGANIZATION, properties=_SHARE),
)

LABEL_PROPERTY_PREFIX = "label_"
"""Multilingual names are stored as ``label_<ISO 639 code>`` (``label_de``, ``label_ar``…)."""

MULTILINGUAL: frozenset[Label] = frozenset(
    {Label.LANGUAGE, Label.SKILL, Label.TOOL, Label.OCCUPATION, Label.KLDB_CLASS}
)

CANDIDATE_PERSONAL_PROPERTIES: tuple[str, ...] = (
    "email",
    "phone",
    "street",
    "nationality",
    "residence_status",
    "residence_until",
    "benefit",
    "benefit_number",
    "health_notes",
    "special_needs",
)
"""A candidate's optional properties beyond name and matching profile: contact,
residence, social/benefit and health data (their field groups: ``graph.fields``)."""

NODE_PROPERTIES: dict[Label, tuple[str, ...]] = {
    Label.TOWN: ("id", "name", "lat", "lon", "drk_point"),
    Label.LANGUAGE: ("id",),
    Label.SKILL: ("id", "kind", "esco_uri"),
    Label.TOOL: ("id", "category"),
    Label.OCCUPATION: ("id", "isco", "kldb", "esco_uri"),
    Label.ORGANIZATION: ("id", "name", "kind"),
    Label.COMPANY: ("id", "name", "sector", "version"),
    Label.OFFER: ("id", "kind", "title", "seats", "open", "kldb", "version"),
    Label.COURSE: (
        "id",
        "title",
        "kind",
        "weeks",
        "hours_per_week",
        "cost",
        "funding",
        "starts",
        "seats",
    ),
    Label.CANDIDATE: (
        "id",
        "name",
        "gender",
        "birth_year",
        "available_from",
        "consent_profile_sharing",
        "consent_contact",
        "version",
        *CANDIDATE_PERSONAL_PROPERTIES,
    ),
    Label.COACH: ("id", "name", "capacity"),
    Label.PLACEMENT: ("id", "status", "history_statuses", "history_dates", "version"),
    Label.ENROLMENT: ("id", "status", "start"),
    Label.KLDB_CLASS: ("id", "code", "level", "titles"),
    Label.NOTE: ("id", "text", "written_at", "author", "author_name", "coach"),
    Label.CONTACT_REQUEST: (
        "id",
        "status",
        "requested_at",
        "requested_by",
        "company",
        "offer",
        "consent_given_on",
        "consent_purpose",
        "consent_by",
        "consent_recorded_at",
        "withdrawn_on",
        "withdrawn_by",
        "withdrawn_at",
    ),
    Label.USER: (
        "id",
        "email",
        "display_name",
        "password_hash",
        "role",
        "organization",
        "company",
        "coach",
        "session_version",
        "version",
        "active",
        "failed_logins",
        "locked_until",
        "totp_secret",
        "totp_last_step",
    ),
}
"""Every node property, per label; ``MULTILINGUAL`` labels also carry ``label_*``.

``version`` on candidates, offers, companies and placements counts the saves made through
``GraphStore.save_entity_if_version`` (missing = 0); world files do not carry it."""


KLDB_MATCH_RANKS: dict[str, int] = {
    "exactMatch": 1,
    "closeMatch": 2,
    "narrowMatch": 3,
    "broadMatch": 4,
}
"""SKOS mapping relations of the BA's KldB ↔ ESCO table, closest first."""


def kldb_class_code(code: str) -> str | None:
    """The KldB class a code names: ``"51311"`` → ``"51311"``, a BA job title
    ``"B 51311-100"`` → ``"51311"``; None when it is not a KldB 2010 code (1–5 digits)."""
    text = str(code).strip().removeprefix("B ").split("-", 1)[0].strip()
    return text if 1 <= len(text) <= 5 and text.isascii() and text.isdigit() else None


def is_node_property(label: Label, name: str) -> bool:
    if label in MULTILINGUAL and name.startswith(LABEL_PROPERTY_PREFIX):
        return True
    return name in NODE_PROPERTIES[label]


# --- level scales -------------------------------------------------------------------

SKILL_LEVELS: tuple[int, ...] = (1, 2, 3)
"""Skills and tools: 1 = basic, 2 = advanced, 3 = expert."""

SKILL_LEVEL_NAMES = {1: "basic", 2: "advanced", 3: "expert"}

CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
"""Languages, in ascending order: A1 < A2 < B1 < B2 < C1 < C2 < native."""

_CEFR_RANK = {level: rank for rank, level in enumerate(CEFR_LEVELS, start=1)}


def is_skill_level(value: object) -> bool:
    """True for 1, 2 or 3 (and not for ``True``, which Python counts as 1)."""
    return type(value) is int and value in SKILL_LEVELS


def is_cefr_level(value: object) -> bool:
    return isinstance(value, str) and value in _CEFR_RANK


def cefr_rank(level: str) -> int:
    """Position on the CEFR scale, 1 for A1 up to 7 for native; 0 for 'not spoken'."""
    if level is None:
        return 0
    try:
        return _CEFR_RANK[level]
    except KeyError:
        scale = format_level_scale("language")
        raise ValueError(f"{level!r} is not a CEFR level ({scale})") from None


def cefr_at_least(have: str | None, need: str) -> bool:
    """Whether a spoken level ``have`` (None = not spoken) satisfies ``need``."""
    return cefr_rank(have) >= cefr_rank(need)


def max_cefr(a: str | None, b: str | None) -> str | None:
    """The higher of two CEFR levels, treating None as 'not spoken'."""
    if a is None:
        return b
    if b is None:
        return a
    return a if cefr_rank(a) >= cefr_rank(b) else b


def format_level_scale(kind: Literal["skill", "tool", "language"]) -> str:
    """The scale as people read it in error messages: '1–3' or 'A1, A2, …, native'."""
    if kind == "language":
        return ", ".join(CEFR_LEVELS)
    return f"{SKILL_LEVELS[0]}–{SKILL_LEVELS[-1]}"


# --- enumerations of node properties ---------------------------------------------------

OFFER_KINDS: tuple[str, ...] = ("internship", "apprenticeship", "job")
COURSE_KINDS: tuple[str, ...] = ("language", "qualification", "machine", "orientation")
SKILL_KINDS: tuple[str, ...] = ("skill", "knowledge")
TOOL_CATEGORIES: tuple[str, ...] = ("machine", "tool", "vehicle", "software", "equipment")
ORGANIZATION_KINDS: tuple[str, ...] = (
    "jobcenter",
    "agentur",
    "drk",
    "partner",
    "provider",
    "municipality",
)
GENDERS: tuple[str, ...] = ("f", "m", "d")
SKILL_SOURCES: tuple[str, ...] = ("self-reported", "assessed", "certificate")
PLACEMENT_STATUSES: tuple[str, ...] = (
    "proposed",
    "contacted",
    "interview",
    "internship",
    "hired",
    "ended",
)
ENROLMENT_STATUSES: tuple[str, ...] = ("planned", "enrolled", "completed", "dropped")
SHARE_BASES: tuple[str, ...] = ("consent", "legal")
"""Why a candidate may be shared with another organisation: the candidate's consent, or
a legal basis (named in the share's ``legal_basis``, e.g. "§ 69 SGB X")."""
SHARE_GROUPS: tuple[str, ...] = (
    "matching_profile",
    "identity_contact",
    "residence",
    "social_benefit",
    "health",
)
"""Field groups a share can open (``graph.fields`` declares what each holds): the matching
profile (skills, tools, languages, town, availability), identity and contact (name, birth
year, contact details), residence status and nationality, social/benefit data and case
notes, health and special needs."""
RESIDENCE_STATUSES: tuple[str, ...] = (
    "citizen",
    "eu_citizen",
    "settlement_permit",
    "residence_permit",
    "temporary_protection",
    "asylum_procedure",
    "toleration",
)
"""A candidate's ``residence_status``: German or EU citizen, Niederlassungserlaubnis,
Aufenthaltserlaubnis, temporary protection (§ 24 AufenthG), Aufenthaltsgestattung,
Duldung."""
BENEFITS: tuple[str, ...] = ("SGB II", "SGB III", "AsylbLG", "none")
"""A candidate's ``benefit``: Bürgergeld (SGB II), Arbeitslosengeld (SGB III),
Asylbewerberleistungen, or none."""
USER_ROLES: tuple[str, ...] = ("advisor", "employer", "coach", "dpo", "admin")
"""``dpo``: the data-protection officer — reads the audit trail and the retention review,
nothing else (no candidate data, no users, no imports)."""
"""advisor: one organization's candidates; employer: one company; coach: own mentees."""
