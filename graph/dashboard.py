"""The advisor's dashboard in numbers: placements this year, share of women, by town and
by offer kind, open offers, candidates waiting for a course.

Two steps so that the arithmetic is testable without a store: :func:`collect` reads the
facts for a set of candidates (the advisor's scope) from any store, :func:`summarise`
counts them. :func:`dashboard` does both.

Definitions (what the page's table headings mean):

- a *placement* counts from the first day its history reaches ``internship`` or ``hired``
  (a proposal or an interview is not yet a placement); it counts for the year when that
  day is on or after ``since`` (1 January of the current year on the page);
- *by town* is the candidate's town of residence, *by kind* the offer's kind;
- *open offers* are the region's open offers (advisors match against all of them);
- *waiting for a course*: candidates with an enrolment ``planned`` or ``enrolled``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph.casework import WAITING_ENROLMENT_STATUSES, casework
from graph.model import OFFER_KINDS, Label
from graph.profiles import OfferProfile
from graph.store import GraphStore

__all__ = [
    "PLACED_STATUSES",
    "Dashboard",
    "DashboardFacts",
    "PlacementFact",
    "collect",
    "dashboard",
    "summarise",
]

PLACED_STATUSES = ("internship", "hired")
GENDER_KEYS = ("f", "m", "d", "unknown")


@dataclass(frozen=True)
class PlacementFact:
    placement: str
    candidate: str
    gender: str
    """``f``, ``m``, ``d`` or ``unknown``."""
    town: str
    offer_kind: str
    placed_on: dt.date | None
    """First day the history reached a placed status; None if it never did."""


@dataclass(frozen=True)
class DashboardFacts:
    candidates: int
    placements: tuple[PlacementFact, ...]
    waiting: tuple[tuple[str, str], ...]
    """``(candidate, enrolment status)`` of every waiting enrolment."""
    open_offers: tuple[str, ...]
    """The kind of every open offer."""


@dataclass(frozen=True)
class Dashboard:
    since: dt.date
    candidates: int
    placements: int
    by_gender: dict[str, int]
    women_share: float | None
    """Women among this year's placements (None when there are none)."""
    by_town: list[tuple[str, int]]
    """Most placements first, then by name."""
    by_kind: dict[str, int]
    open_offers: dict[str, int]
    open_offers_total: int
    waiting: int
    waiting_by_status: dict[str, int]


def collect(
    store: GraphStore,
    candidate_ids: Iterable[str],
    offer_profiles: Sequence[OfferProfile] | None = None,
) -> DashboardFacts:
    """The facts behind the dashboard for these candidates (ids not in the store are
    skipped)."""
    profiles = store.candidates_by_id(sorted(set(candidate_ids)))
    placements: list[PlacementFact] = []
    waiting: list[tuple[str, str]] = []
    for profile in profiles:
        gender = _gender(store, profile.id)
        town = profile.town.name if profile.town else ""
        work = casework(store, profile.id)
        for p in work.placements:
            placed = next(
                (
                    dt.date.fromisoformat(day)
                    for status, day in p.history
                    if status in PLACED_STATUSES
                ),
                None,
            )
            placements.append(PlacementFact(p.id, profile.id, gender, town, p.offer_kind, placed))
        waiting.extend(
            (profile.id, e.status)
            for e in work.enrolments
            if e.status in WAITING_ENROLMENT_STATUSES
        )
    offers = offer_profiles if offer_profiles is not None else store.offer_profiles(only_open=True)
    return DashboardFacts(
        candidates=len(profiles),
        placements=tuple(placements),
        waiting=tuple(waiting),
        open_offers=tuple(o.kind for o in offers if o.open),
    )


def _gender(store: GraphStore, candidate_id: str) -> str:
    value = store.get_node(Label.CANDIDATE, candidate_id).props.get("gender")
    return value if value in GENDER_KEYS else "unknown"


def summarise(facts: DashboardFacts, since: dt.date) -> Dashboard:
    """Count the facts; placements only from ``since`` on."""
    placed = [p for p in facts.placements if p.placed_on is not None and p.placed_on >= since]
    genders = Counter(p.gender for p in placed)
    towns = Counter(p.town or "—" for p in placed)
    kinds = Counter(p.offer_kind for p in placed)
    open_kinds = Counter(facts.open_offers)
    waiting_status = Counter(status for _, status in facts.waiting)
    return Dashboard(
        since=since,
        candidates=facts.candidates,
        placements=len(placed),
        by_gender={key: genders.get(key, 0) for key in GENDER_KEYS},
        women_share=genders.get("f", 0) / len(placed) if placed else None,
        by_town=sorted(towns.items(), key=lambda kv: (-kv[1], kv[0])),
        by_kind={kind: kinds.get(kind, 0) for kind in OFFER_KINDS},
        open_offers={kind: open_kinds.get(kind, 0) for kind in OFFER_KINDS},
        open_offers_total=len(facts.open_offers),
        waiting=len({candidate for candidate, _ in facts.waiting}),
        waiting_by_status={s: waiting_status.get(s, 0) for s in WAITING_ENROLMENT_STATUSES},
    )


def dashboard(
    store: GraphStore, candidate_ids: Iterable[str], *, today: dt.date | None = None
) -> Dashboard:
    """The dashboard for these candidates, placements since 1 January of ``today``'s year."""
    today = today or dt.date.today()
    return summarise(collect(store, candidate_ids), dt.date(today.year, 1, 1))
