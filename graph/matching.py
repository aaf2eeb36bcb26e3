"""Ranking offers for a candidate and candidates for an offer.

The fit of a (candidate, offer) pair is compared lexicographically, in this order:

1. **essential coverage** — share of the offer's essential requirements the candidate
   meets (1.0 when the offer has none);
2. **optional coverage** — the same for optional requirements;
3. **language** — share of the offer's language requirements met (German first of all);
4. **weeks of training still needed** — the length of the shortest training route
   (fewer is better; a gap no course can close ranks last);
5. **distance** — great-circle km between the candidate's and the offer's towns.

Every result carries its explanation: what is met, what is missing, and the route that
would close the gap (weeks and ready date). The single ``fit`` number shown to people is
``round(100 × (0.6·essential + 0.25·optional + 0.15·language))``; it is what the minimum-fit
filter compares against, while the ranking uses the full order above.

Routes are the expensive part, so they are computed only where they can change the
order: results are first ranked by the first three keys, and routes are computed for the
groups of equal keys that reach into the requested top ``limit``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from graph.gap import Gap, gap_to_json, skill_gap
from graph.planning import RoutePlan
from graph.profiles import CandidateProfile, OfferProfile, Place
from graph.routes import plan_for_profiles
from graph.store import GraphStore

__all__ = [
    "Match",
    "MatchFilters",
    "distance_km",
    "fit_score",
    "match_candidates",
    "match_offers",
    "match_to_json",
]

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class MatchFilters:
    kind: str | None = None
    town: Place | None = None
    radius_km: float | None = None
    min_fit: int = 0
    available_from: dt.date | None = None
    """Candidates available on or before this date (for offers → candidates)."""
    ready_by: dt.date | None = None
    """Only pairs whose route makes the candidate ready on or before this date."""


@dataclass(frozen=True)
class Match:
    candidate: CandidateProfile
    offer: OfferProfile
    gap: Gap
    fit: int
    language: float
    distance_km: float | None
    route: RoutePlan | None

    @property
    def weeks_needed(self) -> float:
        if self.route is None or not self.route.feasible or self.route.best is None:
            return math.inf
        return self.route.best.total_weeks

    @property
    def ready_date(self) -> dt.date | None:
        if self.route is None or self.route.best is None:
            return None
        return self.route.best.ready_date


def distance_km(a: Place | None, b: Place | None) -> float | None:
    """Great-circle distance (haversine) in km; None when a town is unknown."""
    if a is None or b is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def fit_score(gap: Gap) -> tuple[float, float, float, int]:
    """(essential, optional, language coverage, fit 0–100) of one gap."""
    essential = _share(*gap.coverage(essential=True))
    optional = _share(*gap.coverage(essential=False))
    languages = [line for line in gap.lines if line.kind == "language"]
    language = _share(sum(line.met for line in languages), len(languages))
    fit = round(100 * (0.6 * essential + 0.25 * optional + 0.15 * language))
    return essential, optional, language, fit


def match_offers(
    store: GraphStore,
    candidate_id: str,
    filters: MatchFilters = MatchFilters(),
    limit: int = 20,
    start: dt.date | None = None,
) -> list[Match]:
    """The best offers for one candidate, best first."""
    candidate = store.candidate_profile(candidate_id)
    offers = [
        offer for offer in store.offer_profiles(kind=filters.kind) if _within(filters, offer.town)
    ]
    pairs = [(candidate, offer) for offer in offers]
    return _rank(store, pairs, filters, limit, start or dt.date.today())


def match_candidates(
    store: GraphStore,
    offer_id: str,
    filters: MatchFilters = MatchFilters(),
    limit: int = 20,
    start: dt.date | None = None,
) -> list[Match]:
    """The best candidates for one offer, best first — including near fits who could be
    ready by ``filters.ready_by``."""
    offer = store.offer_profile(offer_id)
    candidates = [
        candidate
        for candidate in store.candidate_profiles()
        if _within(filters, candidate.town) and _available(filters, candidate)
    ]
    pairs = [(candidate, offer) for candidate in candidates]
    return _rank(store, pairs, filters, limit, start or dt.date.today())


def _rank(
    store: GraphStore,
    pairs: Iterable[tuple[CandidateProfile, OfferProfile]],
    filters: MatchFilters,
    limit: int,
    start: dt.date,
) -> list[Match]:
    scored = []
    for candidate, offer in pairs:
        gap = skill_gap(candidate, offer)
        essential, optional, language, fit = fit_score(gap)
        if fit < filters.min_fit:
            continue
        km = distance_km(candidate.town, offer.town)
        scored.append(
            ((-essential, -optional, -language), candidate, offer, gap, fit, language, km)
        )
    scored.sort(key=lambda row: (row[0], _km_key(row[6]), row[1].id, row[2].id))

    router = _Router(store, start)
    matches: list[Match] = []
    for _, group in groupby(scored, key=lambda row: row[0]):
        rows = list(group)
        block = [
            Match(candidate, offer, gap, fit, language, km, router(candidate, offer))
            for _, candidate, offer, gap, fit, language, km in rows
        ]
        if filters.ready_by is not None:
            block = [
                m for m in block if m.ready_date is not None and m.ready_date <= filters.ready_by
            ]
        block.sort(
            key=lambda m: (m.weeks_needed, _km_key(m.distance_km), m.candidate.id, m.offer.id)
        )
        matches.extend(block)
        if len(matches) >= limit:
            break
    return matches[:limit]


class _Router:
    """The shortest route of a pair, from the catalogue part that its gap needs."""

    def __init__(self, store: GraphStore, start: dt.date) -> None:
        self.store = store
        self.start = start

    def __call__(self, candidate: CandidateProfile, offer: OfferProfile) -> RoutePlan:
        return plan_for_profiles(self.store, candidate, offer, objective="weeks", start=self.start)


def match_to_json(match: Match, perspective: Callable[[Match], dict[str, Any]]) -> dict[str, Any]:
    route = match.route
    best = route.best if route is not None else None
    return {
        **perspective(match),
        "fit": match.fit,
        "distance_km": None if match.distance_km is None else round(match.distance_km, 1),
        "gap": gap_to_json(match.gap),
        "route": {
            "feasible": bool(route and route.feasible),
            "courses": list(best.courses) if best else [],
            "total_weeks": best.total_weeks if best else None,
            "ready_date": best.ready_date.isoformat() if best and best.ready_date else None,
        },
    }


def _share(met: int, total: int) -> float:
    return 1.0 if total == 0 else met / total


def _km_key(km: float | None) -> float:
    return math.inf if km is None else km


def _within(filters: MatchFilters, place: Place | None) -> bool:
    if filters.radius_km is None or filters.town is None:
        return True
    km = distance_km(filters.town, place)
    return km is not None and km <= filters.radius_km


def _available(filters: MatchFilters, candidate: CandidateProfile) -> bool:
    if filters.available_from is None or candidate.available_from is None:
        return True
    return dt.date.fromisoformat(candidate.available_from) <= filters.available_from
