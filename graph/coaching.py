"""Which volunteer coach ("Pate") fits a candidate, assigning one, and who accompanies
whom after a placement.

A coach helps most when they share a language with the candidate other than German
(German is what the candidate is learning; a shared first language is what makes the
first weeks work), lives close by, and still has room: ``capacity`` minus the number of
candidates they mentor now. :func:`rank_coaches` is a pure function over plain facts so
the order can be tested exactly; :func:`suggest_coaches` reads those facts from a store.
Assigning writes one ``MENTORS {since}`` relationship as a merge import — one
transaction on either store, the coach's other mentees untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph.casework import casework
from graph.errors import InvalidInput
from graph.matching import distance_km
from graph.model import Label, Rel, cefr_rank
from graph.profiles import Place
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore

__all__ = [
    "ACCOMPANIED_STATUSES",
    "Accompaniment",
    "CoachFacts",
    "CoachSuggestion",
    "accompaniments",
    "assign_coach",
    "coach_facts",
    "rank_coaches",
    "suggest_coaches",
]

GERMAN = "de"
ACCOMPANIED_STATUSES = ("internship", "hired")
"""Placements during which a coach accompanies the candidate at work."""


@dataclass(frozen=True)
class CoachFacts:
    """What ranking needs to know about one coach."""

    id: str
    name: str
    town: Place | None
    languages: frozenset[str]
    capacity: int
    mentees: frozenset[str]

    @property
    def free(self) -> int:
        return max(self.capacity - len(self.mentees), 0)


@dataclass(frozen=True)
class CoachSuggestion:
    coach: CoachFacts
    shared_languages: tuple[str, ...]
    """Languages both speak, the candidate's best first (German last)."""
    same_town: bool
    distance_km: float | None
    free: int

    @property
    def shares_other_than_german(self) -> bool:
        return any(code != GERMAN for code in self.shared_languages)


def rank_coaches(
    candidate_languages: Sequence[str],
    candidate_town: Place | None,
    coaches: Iterable[CoachFacts],
    *,
    exclude: Iterable[str] = (),
) -> list[CoachSuggestion]:
    """Coaches with free capacity, best first.

    ``candidate_languages`` lists the candidate's languages, best spoken first. Order:
    sharing a language other than German, then more shared languages, then same town,
    then nearer (unknown distance last), then more free places, then coach id. Coaches
    without free places and those in ``exclude`` (already mentoring) are left out.
    """
    ranked = []
    skip = set(exclude)
    order = {code: i for i, code in enumerate(candidate_languages)}
    for coach in coaches:
        if coach.id in skip or coach.free <= 0:
            continue
        shared = sorted(
            (code for code in coach.languages if code in order),
            key=lambda code: (code == GERMAN, order[code]),
        )
        same = (
            candidate_town is not None
            and coach.town is not None
            and coach.town.id == candidate_town.id
        )
        km = 0.0 if same else distance_km(candidate_town, coach.town)
        ranked.append(CoachSuggestion(coach, tuple(shared), same, km, coach.free))
    ranked.sort(
        key=lambda s: (
            not s.shares_other_than_german,
            -len(s.shared_languages),
            not s.same_town,
            s.distance_km is None,
            s.distance_km or 0.0,
            -s.free,
            s.coach.id,
        )
    )
    return ranked


def coach_facts(store: GraphStore) -> list[CoachFacts]:
    """Every coach with languages, town and current mentees, sorted by id."""
    facts = []
    for node in store.list_nodes(Label.COACH):
        languages, mentees, town = set(), set(), None
        for rel in store.relationships(Label.COACH, node.id):
            if rel.source_id != node.id:
                continue
            if rel.type == Rel.SPEAKS:
                languages.add(rel.target_id)
            elif rel.type == Rel.MENTORS:
                mentees.add(rel.target_id)
            elif rel.type == Rel.LIVES_IN:
                town = _place(store, rel.target_id)
        facts.append(
            CoachFacts(
                id=node.id,
                name=str(node.props.get("name", node.id)),
                town=town,
                languages=frozenset(languages),
                capacity=int(node.props.get("capacity") or 0),
                mentees=frozenset(mentees),
            )
        )
    return facts


def _place(store: GraphStore, town_id: str) -> Place | None:
    props = store.get_node(Label.TOWN, town_id).props
    if props.get("lat") is None or props.get("lon") is None:
        return None
    return Place(town_id, str(props.get("name", town_id)), props["lat"], props["lon"])


def suggest_coaches(store: GraphStore, candidate_id: str) -> list[CoachSuggestion]:
    """:func:`rank_coaches` for one stored candidate (``NotFound`` if unknown)."""
    profile = store.candidate_profile(candidate_id)
    languages = sorted(profile.languages, key=lambda c: (-cefr_rank(profile.languages[c]), c))
    coaches = coach_facts(store)
    current = [c.id for c in coaches if candidate_id in c.mentees]
    return rank_coaches(languages, profile.town, coaches, exclude=current)


def assign_coach(
    store: GraphStore, coach_id: str, candidate_id: str, *, today: dt.date | None = None
) -> None:
    """``(coach)-[:MENTORS {since: today}]->(candidate)``; refused (``InvalidInput``,
    nothing written) when the coach mentors the candidate already or has no free place;
    ``NotFound`` for unknown ids."""
    store.get_node(Label.CANDIDATE, candidate_id)
    store.get_node(Label.COACH, coach_id)
    coach = next(c for c in coach_facts(store) if c.id == coach_id)
    problems = []
    if candidate_id in coach.mentees:
        problems.append(f"coach {coach_id!r}: mentors {candidate_id!r} already")
    elif coach.free <= 0:
        problems.append(
            f"coach {coach_id!r}: no free place (capacity {coach.capacity}, "
            f"{len(coach.mentees)} mentees)"
        )
    if problems:
        raise InvalidInput(f"coach {coach_id!r} cannot be assigned", problems)
    since = (today or dt.date.today()).isoformat()
    store.import_graph(
        GraphData(
            [NodeRecord(Label.COACH, coach_id, {})],
            [
                RelRecord(
                    Rel.MENTORS,
                    Label.COACH,
                    coach_id,
                    Label.CANDIDATE,
                    candidate_id,
                    {"since": since},
                )
            ],
        ),
        merge=True,
    )


@dataclass(frozen=True)
class Accompaniment:
    """One candidate at work (internship or hired) and the coaches with them."""

    candidate: str
    candidate_name: str
    placement: str
    offer: str | None
    offer_title: str
    status: str
    since: str | None
    """When the placement reached its status."""
    coaches: tuple[tuple[str, str, str | None], ...]
    """``(coach id, name, mentoring since)``."""


def accompaniments(store: GraphStore, candidate_ids: Iterable[str]) -> list[Accompaniment]:
    """Who accompanies whom after a placement: for the given candidates, every placement
    in an internship or hired, with the candidate's coaches (none: an empty tuple), by
    candidate name."""
    rows = []
    for candidate_id in candidate_ids:
        work = casework(store, candidate_id)
        at_work = [p for p in work.placements if p.status in ACCOMPANIED_STATUSES]
        if not at_work:
            continue
        name = str(store.get_node(Label.CANDIDATE, candidate_id).props.get("name", ""))
        coaches = tuple((c.id, c.name, c.since) for c in work.coaches)
        for p in at_work:
            rows.append(
                Accompaniment(
                    candidate=candidate_id,
                    candidate_name=name or candidate_id,
                    placement=p.id,
                    offer=p.offer,
                    offer_title=p.offer_title,
                    status=p.status,
                    since=p.history[-1][1] if p.history else None,
                    coaches=coaches,
                )
            )
    rows.sort(key=lambda r: (r.candidate_name.casefold(), r.placement))
    return rows
