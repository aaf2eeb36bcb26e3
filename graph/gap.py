"""Skill-gap analysis: what a candidate has and lacks for one offer.

A pure function of two profiles, so both stores give identical answers by construction.
Essential requirements gate readiness; optional ones only inform ranking. The ESCO
essential skills of the offer's occupation that the offer itself does not list are shown
as advice: an employer rarely writes down everything the occupation involves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.model import CEFR_LEVELS
from graph.profiles import CandidateProfile, ItemKind, NamedItem, OfferProfile

__all__ = ["Gap", "GapLine", "display_level", "gap_to_json", "skill_gap"]


@dataclass(frozen=True)
class GapLine:
    kind: ItemKind
    id: str
    labels: dict[str, str]
    required: int | str
    current: int | str | None
    essential: bool
    met: bool


@dataclass(frozen=True)
class Gap:
    candidate: str
    offer: str
    lines: tuple[GapLine, ...]
    occupation_skills_missing: tuple[NamedItem, ...]

    @property
    def ready(self) -> bool:
        """Every essential requirement holds: the candidate could start today."""
        return all(line.met for line in self.lines if line.essential)

    @property
    def missing_essential(self) -> tuple[GapLine, ...]:
        return tuple(line for line in self.lines if line.essential and not line.met)

    def coverage(self, essential: bool) -> tuple[int, int]:
        """(met, total) among essential or optional requirements."""
        lines = [line for line in self.lines if line.essential is essential]
        return sum(line.met for line in lines), len(lines)


def display_level(kind: ItemKind, rank: int) -> int | str | None:
    """A level rank as people write it: 2 for a skill, "B1" for a language, None for 0."""
    if rank == 0:
        return None
    return CEFR_LEVELS[rank - 1] if kind == "language" else rank


def skill_gap(candidate: CandidateProfile, offer: OfferProfile) -> Gap:
    """Every requirement of ``offer`` with the candidate's level and whether it is met."""
    lines = []
    for req in offer.requirements:
        have = candidate.level(req.kind, req.id)
        lines.append(
            GapLine(
                kind=req.kind,
                id=req.id,
                labels=req.labels,
                required=req.level,
                current=display_level(req.kind, have),
                essential=req.essential,
                met=have >= req.rank,
            )
        )
    listed = {req.id for req in offer.requirements if req.kind == "skill"}
    advisory = tuple(
        skill
        for skill in offer.occupation_skills
        if skill.id not in listed and skill.id not in candidate.skills
    )
    return Gap(candidate.id, offer.id, tuple(lines), advisory)


def gap_to_json(gap: Gap) -> dict[str, Any]:
    essential_met, essential_total = gap.coverage(essential=True)
    optional_met, optional_total = gap.coverage(essential=False)
    return {
        "candidate": gap.candidate,
        "offer": gap.offer,
        "ready": gap.ready,
        "essential": {"met": essential_met, "total": essential_total},
        "optional": {"met": optional_met, "total": optional_total},
        "requirements": [
            {
                "kind": line.kind,
                "id": line.id,
                "labels": line.labels,
                "required": line.required,
                "current": line.current,
                "essential": line.essential,
                "met": line.met,
            }
            for line in gap.lines
        ],
        "occupation_skills_missing": [
            {"id": skill.id, "labels": skill.labels} for skill in gap.occupation_skills_missing
        ],
    }
