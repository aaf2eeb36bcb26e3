"""The advisor's question, end to end: which courses close this candidate's gap for this
offer, fastest?

Reads the two profiles from the store, asks the store for the part of the catalogue that
can matter (a path query), and lets the exact planner search it. The same function runs
on both stores; only the fetching differs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from graph.gap import Gap, display_level, skill_gap
from graph.planning import Route, RoutePlan, plan_route
from graph.planning.types import CourseOption, Item
from graph.profiles import CandidateProfile, OfferProfile
from graph.store import GraphStore

__all__ = [
    "Objective",
    "RouteReport",
    "candidate_state",
    "plan_for_profiles",
    "report_for_profiles",
    "route_for",
    "route_problem",
    "route_to_json",
]

Objective = Literal["weeks", "ready_date"]


@dataclass(frozen=True)
class RouteReport:
    candidate: str
    offer: str
    start: dt.date
    gap: Gap
    plan: RoutePlan
    courses: tuple[CourseOption, ...] = ()
    """The part of the catalogue the plan was searched over: what a picture of the route
    needs (each course's weeks, what it teaches and requires) without reading it again."""


def candidate_state(candidate: CandidateProfile) -> dict[Item, int]:
    """The candidate's levels on the planner's integer scales."""
    state: dict[Item, int] = {}
    for kind, held in (
        ("skill", candidate.skills),
        ("tool", candidate.tools),
        ("language", candidate.languages),
    ):
        for item_id in held:
            state[(kind, item_id)] = candidate.level(kind, item_id)  # type: ignore[arg-type]
    return state


def route_for(
    store: GraphStore,
    candidate_id: str,
    offer_id: str,
    *,
    objective: Objective = "weeks",
    start: dt.date | None = None,
    alternatives: int = 3,
) -> RouteReport:
    """The shortest training route (and the next best ``alternatives``) for one pair."""
    return report_for_profiles(
        store,
        store.candidate_profile(candidate_id),
        store.offer_profile(offer_id),
        objective=objective,
        start=start,
        alternatives=alternatives,
    )


def report_for_profiles(
    store: GraphStore,
    candidate: CandidateProfile,
    offer: OfferProfile,
    *,
    objective: Objective = "weeks",
    start: dt.date | None = None,
    alternatives: int = 3,
) -> RouteReport:
    """``route_for`` with the profiles already in hand (a page that shows them anyway
    must not read them twice): one path query, then the planner."""
    start = start or dt.date.today()
    state, goal, missing = route_problem(candidate, offer)
    have = {item_id: level for (_, item_id), level in state.items()}
    courses = store.courses_that_matter(missing, have) if missing else []
    plan = plan_route(
        state, goal, courses, objective=objective, start=start, alternatives=alternatives
    )
    gap = skill_gap(candidate, offer)
    return RouteReport(candidate.id, offer.id, start, gap, plan, tuple(courses))


def route_problem(
    candidate: CandidateProfile, offer: OfferProfile
) -> tuple[dict[Item, int], dict[Item, int], list[Item]]:
    """The planner's view of a pair: the candidate's state, the offer's essential
    requirements as the goal, and the goal items the candidate lacks."""
    state = candidate_state(candidate)
    goal = {(req.kind, req.id): req.rank for req in offer.requirements if req.essential}
    missing = [item for item, level in goal.items() if state.get(item, 0) < level]
    return state, goal, missing


def plan_for_profiles(
    store: GraphStore,
    candidate: CandidateProfile,
    offer: OfferProfile,
    *,
    objective: Objective,
    start: dt.date,
    alternatives: int = 0,
) -> RoutePlan:
    """Plan from profiles already in hand: fetch only the catalogue part that matters."""
    state, goal, missing = route_problem(candidate, offer)
    have = {item_id: level for (_, item_id), level in state.items()}
    courses = store.courses_that_matter(missing, have) if missing else []
    return plan_route(
        state, goal, courses, objective=objective, start=start, alternatives=alternatives
    )


def route_to_json(report: RouteReport) -> dict[str, Any]:
    """The ``wegweiser plan --json`` object (also the API's)."""
    plan = report.plan
    document = {
        "candidate": report.candidate,
        "offer": report.offer,
        "objective": plan.objective,
        "feasible": plan.feasible,
        **_route_json(plan.best),
        "unreachable": [
            {
                "kind": u.item[0],
                "id": u.item[1],
                "level": display_level(u.item[0], u.level),
                "reason": u.reason,
            }
            for u in plan.unreachable
        ],
        "alternatives": [_route_json(route) for route in plan.alternatives],
    }
    return document


def _route_json(route: Route | None) -> dict[str, Any]:
    if route is None:
        return {
            "courses": [],
            "schedule": [],
            "total_weeks": 0,
            "total_cost": 0,
            "ready_date": None,
        }
    return {
        "courses": list(route.courses),
        "schedule": [
            {"course": s.course, "start": s.start.isoformat(), "end": s.end.isoformat()}
            for s in route.schedule
        ],
        "total_weeks": route.total_weeks,
        "total_cost": route.total_cost,
        "ready_date": route.ready_date.isoformat() if route.ready_date else None,
    }
