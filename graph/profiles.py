"""What the use cases read from a store about one candidate or one offer.

Stores fill these from their own data (Cypher on Neo4j, SQLite + networkx embedded); the
pure modules (gap analysis, matching, routes) compute on them. Keeping this the only
shape that crosses the boundary is what makes both stores give identical answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from graph.model import LABEL_PROPERTY_PREFIX, cefr_rank

__all__ = [
    "ITEM_KINDS",
    "CandidateProfile",
    "FitRow",
    "ItemKind",
    "NamedItem",
    "OfferProfile",
    "Place",
    "Requirement",
    "fit_row",
    "labels_of",
    "level_rank",
    "requirement_totals",
    "take_groups",
]

ItemKind = Literal["skill", "tool", "language"]
ITEM_KINDS: tuple[ItemKind, ...] = ("skill", "tool", "language")


def level_rank(kind: ItemKind, level: int | str | None) -> int:
    """One integer scale per kind: skills/tools 1–3 as they are, CEFR A1=1 … native=7,
    and 0 for 'does not have it'. The planner and all comparisons use this."""
    if level is None:
        return 0
    if kind == "language":
        return cefr_rank(str(level))
    return int(level)


def labels_of(props: Mapping[str, Any]) -> dict[str, str]:
    """The ``label_xx`` properties of a node as ``{"xx": text}``, sorted by language."""
    return {
        key[len(LABEL_PROPERTY_PREFIX) :]: str(value)
        for key, value in sorted(props.items())
        if key.startswith(LABEL_PROPERTY_PREFIX)
    }


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class CandidateProfile:
    id: str
    name: str
    town: Place | None
    available_from: str | None
    skills: dict[str, int] = field(default_factory=dict)
    tools: dict[str, int] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)

    def level(self, kind: ItemKind, item_id: str) -> int:
        """The candidate's level of one item on the integer scale of ``level_rank``."""
        held = {"skill": self.skills, "tool": self.tools, "language": self.languages}[kind]
        return level_rank(kind, held.get(item_id))


@dataclass(frozen=True)
class Requirement:
    kind: ItemKind
    id: str
    level: int | str
    essential: bool
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def rank(self) -> int:
        return level_rank(self.kind, self.level)


@dataclass(frozen=True)
class OfferProfile:
    id: str
    title: str
    kind: str
    open: bool
    company: str | None
    town: Place | None
    occupation: str | None
    requirements: tuple[Requirement, ...] = ()
    occupation_skills: tuple[NamedItem, ...] = ()
    """The ESCO essential skills of the offer's occupation (advisory in a gap analysis)."""


@dataclass(frozen=True)
class NamedItem:
    id: str
    labels: dict[str, str] = field(default_factory=dict)


# --- building profiles from the rows both stores return ------------------------------------

_REQUIREMENT_KIND: dict[str, ItemKind] = {
    "REQUIRES_SKILL": "skill",
    "REQUIRES_TOOL": "tool",
    "REQUIRES_LANGUAGE": "language",
}


def place_from(row: dict[str, Any] | None) -> Place | None:
    if not row or row.get("id") is None:
        return None
    return Place(str(row["id"]), str(row["name"]), float(row["lat"]), float(row["lon"]))


def candidate_from_rows(
    candidate_id: str,
    props: dict[str, Any],
    town: dict[str, Any] | None,
    skills: list[dict[str, Any]],
    tools: list[dict[str, Any]],
    languages: list[dict[str, Any]],
) -> CandidateProfile:
    return CandidateProfile(
        id=candidate_id,
        name=str(props.get("name", "")),
        town=place_from(town),
        available_from=props.get("available_from"),
        skills={str(r["id"]): int(r["level"]) for r in sorted(skills, key=_by_id)},
        tools={str(r["id"]): int(r["level"]) for r in sorted(tools, key=_by_id)},
        languages={str(r["id"]): str(r["level"]) for r in sorted(languages, key=_by_id)},
    )


def offer_from_rows(
    offer_id: str,
    props: dict[str, Any],
    company: str | None,
    town: dict[str, Any] | None,
    occupation: str | None,
    requirements: list[dict[str, Any]],
    occupation_skills: list[dict[str, Any]],
) -> OfferProfile:
    reqs = sorted(
        (
            Requirement(
                kind=_REQUIREMENT_KIND[str(r["type"])],
                id=str(r["id"]),
                level=r["level"],
                essential=r.get("essential") is not False,
                labels=labels_of(r.get("labels") or {}),
            )
            for r in requirements
        ),
        key=lambda req: (ITEM_KINDS.index(req.kind), req.id),
    )
    skills = sorted(
        (NamedItem(str(s["id"]), labels_of(s.get("labels") or {})) for s in occupation_skills),
        key=lambda item: item.id,
    )
    return OfferProfile(
        id=offer_id,
        title=str(props.get("title", "")),
        kind=str(props.get("kind", "")),
        open=props.get("open") is not False,
        company=company,
        town=place_from(town),
        occupation=occupation,
        requirements=tuple(reqs),
        occupation_skills=tuple(skills),
    )


def _by_id(row: dict[str, Any]) -> str:
    return str(row["id"])


# --- coverage rows for matching ------------------------------------------------------------


@dataclass(frozen=True)
class FitRow:
    """How well one candidate covers one offer, counted; what matching ranks first by."""

    id: str
    lat: float | None
    lon: float | None
    essential_met: int
    essential_total: int
    optional_met: int
    optional_total: int
    language_met: int
    language_total: int
    available_from: str | None = None
    essential_met_items: tuple[str, ...] = ()
    """``kind:id`` of the essential requirements met, sorted (filled by ``candidate_fits``,
    where one offer's requirements are known: it lets matching order a large group by a
    bound on weeks before fetching any profile)."""

    @property
    def shares(self) -> tuple[float, float, float]:
        return (
            _share(self.essential_met, self.essential_total),
            _share(self.optional_met, self.optional_total),
            _share(self.language_met, self.language_total),
        )

    @property
    def key(self) -> tuple[float, float, float]:
        """Sort key, best first: the three coverage shares, descending."""
        essential, optional, language = self.shares
        return (-essential, -optional, -language)


def _share(met: int, total: int) -> float:
    return 1.0 if total == 0 else met / total


def take_groups(rows: Iterable[FitRow], min_rows: int) -> tuple[list[FitRow], bool]:
    """Rows from an ordered stream until at least ``min_rows`` are taken *and* the group of
    equal keys is complete; the flag says whether the stream ran out."""
    taken: list[FitRow] = []
    for row in rows:
        if len(taken) >= min_rows and row.key != taken[-1].key:
            return taken, False
        taken.append(row)
    return taken, True


def requirement_totals(requirements: Iterable[Requirement]) -> dict[str, int]:
    """An offer's requirement counts as a ``FitRow`` holds them."""
    reqs = list(requirements)
    return {
        "essential_total": sum(r.essential for r in reqs),
        "optional_total": sum(not r.essential for r in reqs),
        "language_total": sum(r.kind == "language" for r in reqs),
    }


def fit_row(
    row_id: str,
    place: Place | None,
    requirements: Iterable[Requirement],
    level_of: Callable[[Requirement], int],
    available_from: str | None = None,
    with_items: bool = False,
) -> FitRow:
    """Count what a holder of levels ``level_of`` meets of ``requirements`` (and, with
    ``with_items``, name the essential ones met, as ``candidate_fits`` does)."""
    reqs = list(requirements)
    met = [r for r in reqs if level_of(r) >= r.rank]
    return FitRow(
        id=row_id,
        lat=None if place is None else place.lat,
        lon=None if place is None else place.lon,
        essential_met=sum(r.essential for r in met),
        optional_met=sum(not r.essential for r in met),
        language_met=sum(r.kind == "language" for r in met),
        available_from=available_from,
        essential_met_items=tuple(sorted(f"{r.kind}:{r.id}" for r in met if r.essential))
        if with_items
        else (),
        **requirement_totals(reqs),
    )
