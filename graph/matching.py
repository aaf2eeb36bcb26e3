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
from graph.planning import CourseOption, Item, RoutePlan, plan_route
from graph.planning.planner import RouteSearchTooLarge
from graph.profiles import CandidateProfile, FitRow, OfferProfile, Place
from graph.routes import candidate_state, route_problem
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
    have = {item_id: level for (_, item_id), level in candidate_state(candidate).items()}

    def fits(min_rows: int) -> tuple[list[FitRow], bool]:
        return store.offer_fits(have, filters.kind, True, min_rows)

    def pairs(ids: list[str]) -> list[Pair]:
        return [(candidate, offer) for offer in store.offers_by_id(ids)]

    catalogue = _Catalogue(store, have)
    return _rank(catalogue, fits, pairs, filters, limit, start or dt.date.today())


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

    def fits(min_rows: int) -> tuple[list[FitRow], bool]:
        return store.candidate_fits(offer.requirements, min_rows)

    def pairs(ids: list[str]) -> list[Pair]:
        return [(candidate, offer) for candidate in store.candidates_by_id(ids)]

    # Candidates hold different levels: fetch as for one who holds nothing, a superset of
    # what every pair needs (the planner narrows it down itself).
    catalogue = _Catalogue(store, {})
    return _rank(
        catalogue, fits, pairs, filters, limit, start or dt.date.today(), _RowsOfOffer(offer)
    )


class _RowsOfOffer:
    """What the rows of ``candidate_fits`` already tell about each candidate for one
    offer: the essential items missing, and so a lower bound on the weeks, before any
    profile is fetched. A group of equal coverage can hold thousands of candidates (all
    those who meet nothing, say); it is then ordered by that bound and the profiles are
    fetched in small batches, only until the top is settled."""

    def __init__(self, offer: OfferProfile) -> None:
        self.offer = offer
        self.essential = [r for r in offer.requirements if r.essential]
        self.goal: dict[Item, int] = {(r.kind, r.id): r.rank for r in self.essential}

    def missing(self, row: FitRow) -> list[Item]:
        met = set(row.essential_met_items)
        return [(r.kind, r.id) for r in self.essential if f"{r.kind}:{r.id}" not in met]

    def km(self, row: FitRow) -> float | None:
        return distance_km(_point(row), self.offer.town)


Pair = tuple[CandidateProfile, OfferProfile]


def _rank(
    catalogue: _Catalogue,
    fits: Callable[[int], tuple[list[FitRow], bool]],
    pairs: Callable[[list[str]], list[Pair]],
    filters: MatchFilters,
    limit: int,
    start: dt.date,
    rows_of_offer: _RowsOfOffer | None = None,
) -> list[Match]:
    """Walk the coverage groups best first; explain and route only the groups that reach
    into the top ``limit``. The store cuts its rows at group ends, so every group seen is
    complete; when the filters leave too few matches, ask for four times as many rows."""
    matches: list[Match] = []
    done: set[tuple[float, float, float]] = set()
    min_rows = max(limit, 1)
    while True:
        rows, exhausted = fits(min_rows)
        for key, group in groupby(rows, key=lambda row: row.key):
            if key in done:
                continue
            done.add(key)
            need = limit - len(matches)
            if rows_of_offer is not None:
                explained = _explain_group_lazily(
                    catalogue, list(group), pairs, filters, start, need, rows_of_offer
                )
            else:
                explained = _explain_group(catalogue, list(group), pairs, filters, start, need)
            matches.extend(explained)
            if len(matches) >= limit:
                return matches[:limit]
        if exhausted:
            return matches
        min_rows *= 4


def _explain_group(
    catalogue: _Catalogue,
    rows: list[FitRow],
    pairs: Callable[[list[str]], list[Pair]],
    filters: MatchFilters,
    start: dt.date,
    need: int,
) -> list[Match]:
    """The best ``need`` (or more) matches of one group of equal coverage, ordered by weeks
    of training, then km.

    Exact routes are the expensive part, so pairs are routed in the order of a lower
    bound on their weeks (the slowest missing item's fastest course) and routing stops
    once ``need`` exact matches rank before every bound still waiting: those pairs could
    not make it into the top. With a ``ready_by`` filter every pair is routed.
    """
    ids = [
        row.id
        for row in rows
        if _within(filters, _point(row)) and _available(filters, row.available_from)
    ]
    scored = []
    for candidate, offer in pairs(ids):
        gap = skill_gap(candidate, offer)
        _, _, language, fit = fit_score(gap)
        if fit >= filters.min_fit:
            km = distance_km(candidate.town, offer.town)
            problem = route_problem(candidate, offer)
            scored.append((candidate, offer, gap, fit, language, km, problem))
    courses = catalogue.covering(item for *_, (_, _, missing) in scored for item in missing)
    bound = _WeeksBound(courses)
    waiting = sorted(
        scored,
        key=lambda s: (bound(s[6][0], s[6][2], s[6][1]), _km_key(s[5]), s[0].id, s[1].id),
    )
    block: list[Match] = []
    need = max(need, 1)
    for candidate, offer, gap, fit, language, km, problem in waiting:
        if filters.ready_by is None and len(block) >= need:
            block.sort(key=_match_key)
            state, goal, missing = problem
            next_key = (bound(state, missing, goal), _km_key(km), candidate.id, offer.id)
            if _match_key(block[need - 1]) < next_key:
                break
        block.append(
            Match(candidate, offer, gap, fit, language, km, _route_or_none(problem, courses, start))
        )
    if filters.ready_by is not None:
        block = [m for m in block if m.ready_date is not None and m.ready_date <= filters.ready_by]
    block.sort(key=_match_key)
    return block


_BATCH = 32
"""Profiles fetched at a time when a group is explained lazily."""


def _explain_group_lazily(
    catalogue: _Catalogue,
    rows: list[FitRow],
    pairs: Callable[[list[str]], list[Pair]],
    filters: MatchFilters,
    start: dt.date,
    need: int,
    of_offer: _RowsOfOffer,
) -> list[Match]:
    """``_explain_group`` for one offer's candidates, ordering the rows themselves by the
    bound on weeks (from the missing items the rows name) and fetching profiles in
    batches in that order, so that a large group costs what its top costs."""
    rows = [
        row
        for row in rows
        if _within(filters, _point(row)) and _available(filters, row.available_from)
    ]
    missing_items = sorted({item for row in rows for item in of_offer.missing(row)})
    courses = catalogue.covering(missing_items)
    bound = _WeeksBound(courses)
    waiting = sorted(
        (bound({}, of_offer.missing(row), of_offer.goal), _km_key(of_offer.km(row)), row.id)
        for row in rows
    )
    block: list[Match] = []
    need = max(need, 1)
    for at in range(0, len(waiting), _BATCH):
        batch = waiting[at : at + _BATCH]
        if filters.ready_by is None and len(block) >= need:
            block.sort(key=_match_key)
            head = block[need - 1]
            if _match_key(head)[:3] < batch[0]:
                break
        fetched = {
            candidate.id: (candidate, offer)
            for candidate, offer in pairs([row_id for *_, row_id in batch])
        }
        for key in batch:
            if filters.ready_by is None and len(block) >= need:
                block.sort(key=_match_key)
                if _match_key(block[need - 1])[:3] < key:
                    break
            if key[2] not in fetched:
                continue
            candidate, offer = fetched[key[2]]
            gap = skill_gap(candidate, offer)
            _, _, language, fit = fit_score(gap)
            if fit < filters.min_fit:
                continue
            km = distance_km(candidate.town, offer.town)
            route = _route_or_none(route_problem(candidate, offer), courses, start)
            block.append(Match(candidate, offer, gap, fit, language, km, route))
    if filters.ready_by is not None:
        block = [m for m in block if m.ready_date is not None and m.ready_date <= filters.ready_by]
    block.sort(key=_match_key)
    return block


def _route_or_none(
    problem: tuple[dict[Item, int], dict[Item, int], list[Item]],
    courses: list[CourseOption],
    start: dt.date,
) -> RoutePlan | None:
    """The pair's shortest route, or None when the search could not prove one in time:
    such a pair ranks last in its group (weeks unknown) instead of failing the list."""
    state, goal, _ = problem
    try:
        return plan_route(state, goal, courses, objective="weeks", start=start)
    except RouteSearchTooLarge:
        return None


def _match_key(match: Match) -> tuple[float, float, str, str]:
    return (match.weeks_needed, _km_key(match.distance_km), match.candidate.id, match.offer.id)


class _WeeksBound:
    """A lower bound on a pair's weeks of training: every missing item needs a course
    that teaches it far enough, so the route takes at least as long as the fastest such
    course for the slowest item (infinite when no course teaches one)."""

    def __init__(self, courses: list[CourseOption]) -> None:
        self.teaching: dict[Item, list[tuple[int, int]]] = {}
        for course in courses:
            for item, level in course.teaches.items():
                self.teaching.setdefault(item, []).append((level, course.weeks))

    def __call__(self, state: dict[Item, int], missing: list[Item], goal: dict[Item, int]) -> float:
        slowest = 0.0
        for item in missing:
            fastest = min(
                (weeks for level, weeks in self.teaching.get(item, ()) if level >= goal[item]),
                default=math.inf,
            )
            slowest = max(slowest, fastest)
        return slowest


class _Catalogue:
    """The part of the catalogue fetched so far in one match call, grown as groups need
    it: each group asks the store only for missing items no earlier group asked for (the
    German course chain, say, is fetched once, not once per group). ``have`` must be at
    most every pair's levels, so that what is fetched is a superset of what each pair
    needs; the planner narrows it down itself, so every route is still exact."""

    def __init__(self, store: GraphStore, have: dict[str, int]) -> None:
        self.store = store
        self.have = have
        self.asked: set[Item] = set()
        self.courses: dict[str, CourseOption] = {}

    def covering(self, items: Iterable[Item]) -> list[CourseOption]:
        new = sorted(set(items) - self.asked)
        if new:
            for course in self.store.courses_that_matter(new, self.have):
                self.courses[course.id] = course
            self.asked.update(new)
        return [self.courses[course_id] for course_id in sorted(self.courses)]


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


def _available(filters: MatchFilters, available_from: str | None) -> bool:
    if filters.available_from is None or available_from is None:
        return True
    return dt.date.fromisoformat(available_from) <= filters.available_from


def _point(row: FitRow) -> Place | None:
    if row.lat is None or row.lon is None:
        return None
    return Place(row.id, "", row.lat, row.lon)
