"""The planner against exhaustive search, on many small random worlds (hypothesis).

Worlds are tiny (up to 6 courses) but adversarial: ties in weeks and cost, prerequisite
cycles, courses without start dates, start dates that run out, items nobody teaches.
Both objectives, with and without alternatives. A second test runs the same comparison
through each store (world file → import → ``route_for``), so the path queries that cut
the catalogue down are checked too.
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.planning import CourseOption, plan_route
from graph.routes import route_for
from graph.world import import_world
from tests import brute_force_routes as brute

START = dt.date(2027, 1, 4)
SKILLS = ("s-a", "s-b", "s-c")
ITEMS = [("skill", s) for s in SKILLS] + [("language", "de")]
MAX_LEVEL = {"skill": 3, "language": 4}


def levels_for(draw, items, low=1, high=None):
    return {item: draw(st.integers(low, high or MAX_LEVEL[item[0]])) for item in items}


@st.composite
def worlds(draw, dated: bool = False):
    """Tiny random worlds; ``dated`` gives every course at least one start date (what the
    time-indexed program needs)."""
    n_courses = draw(st.integers(2, 6))  # 6 courses: 1,957 orderings to try per world
    courses = []
    for k in range(n_courses):
        teaches = levels_for(
            draw, draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=3, unique=True))
        )
        requires = levels_for(
            draw, draw(st.lists(st.sampled_from(ITEMS), max_size=2, unique=True)), high=2
        )
        offsets = draw(
            st.lists(st.integers(-14, 70), min_size=int(dated), max_size=3, unique=True)
        )
        courses.append(
            CourseOption(
                id=f"k-{k}",
                weeks=draw(st.integers(1, 4)),
                cost=draw(st.sampled_from([0, 100, 250])),
                starts=tuple(sorted(START + dt.timedelta(days=d) for d in offsets)),
                teaches=teaches,
                requires=requires,
            )
        )
    state = levels_for(draw, draw(st.lists(st.sampled_from(ITEMS), max_size=2, unique=True)))
    goal = levels_for(
        draw, draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=3, unique=True)), high=2
    )
    return state, goal, courses


def check_against_brute_force(plan, state, goal, courses, objective, alternatives):
    truth = brute.plans(state, goal, courses, objective, START, alternatives)
    reachable = brute.reachable_ignoring_dates(state, goal, courses)
    assert plan.feasible == bool(truth)
    if not truth:
        unmet = {item for item, level in goal.items() if state.get(item, 0) < level}
        reported = {u.item for u in plan.unreachable}
        if reachable != set(goal):
            assert reported == unmet - reachable
        else:  # reachable without dates, but no schedule fits
            assert objective == "ready_date"
            assert reported == unmet
        return
    routes = [plan.best, *plan.alternatives]
    assert len(routes) == len(truth)
    by_id = {c.id: c for c in courses}
    for route, found in zip(routes, truth, strict=True):
        assert set(route.courses) == set(found.order)
        assert route.total_weeks == sum(by_id[c].weeks for c in route.courses)
        assert_valid_order(route.courses, state, by_id)
        if objective == "ready_date":
            assert route.ready_date == found.ready
            assert [s.course for s in route.schedule] == list(route.courses)


def assert_valid_order(order, state, by_id):
    levels = dict(state)
    for course_id in order:
        course = by_id[course_id]
        assert all(levels.get(i, 0) >= lv for i, lv in course.requires.items())
        for item, level in course.teaches.items():
            levels[item] = max(levels.get(item, 0), level)


@settings(max_examples=400, deadline=None)
@given(worlds(), st.sampled_from(["weeks", "ready_date"]), st.integers(0, 3))
def test_planner_matches_exhaustive_search(world, objective, alternatives):
    state, goal, courses = world
    plan = plan_route(
        state, goal, courses, objective=objective, start=START, alternatives=alternatives
    )
    check_against_brute_force(plan, state, goal, courses, objective, alternatives)


@settings(max_examples=300, deadline=None)
@given(worlds(), st.integers(0, 3))
def test_integer_program_matches_exhaustive_search(world, alternatives):
    """The ``weeks`` integer program (which large gaps use) on its own, against the
    same truth: sets, ties, cycles and infeasible goals alike."""
    state, goal, courses = world
    plan = plan_route(
        state, goal, courses, start=START, alternatives=alternatives, method="program"
    )
    check_against_brute_force(plan, state, goal, courses, "weeks", alternatives)


@settings(max_examples=300, deadline=None)
@given(st.one_of(worlds(dated=True), worlds()), st.integers(0, 3))
def test_scheduling_program_matches_exhaustive_search(world, alternatives):
    """The ``ready_date`` program on its own, against the truth: every course dated,
    some starting any day, or none dated."""
    state, goal, courses = world
    plan = plan_route(
        state,
        goal,
        courses,
        objective="ready_date",
        start=START,
        alternatives=alternatives,
        method="program",
    )
    check_against_brute_force(plan, state, goal, courses, "ready_date", alternatives)


def world_document(state, goal, courses) -> dict:
    """A world file holding the random world: candidate p-1, offer o-1 (goal as essential
    requirements, plus an optional one that must not matter)."""
    cefr = ("A1", "A2", "B1", "B2", "C1", "C2", "native")

    def split(levels):
        out = {"skills": {}, "tools": {}, "languages": {}}
        for (kind, item_id), level in levels.items():
            if kind == "language":
                out["languages"][item_id] = cefr[level - 1]
            else:
                out["skills"][item_id] = level
        return out

    offer_requires = split(goal)
    offer_requires["skills"] = {
        s: {"level": lv, "essential": True} for s, lv in offer_requires["skills"].items()
    }
    offer_requires["skills"].setdefault("s-opt", {"level": 1, "essential": False})
    held = split(state)
    return {
        "format": "wegweiser-world/1",
        "towns": [{"id": "t-1", "name": "Ort", "lat": 51.0, "lon": 6.0}],
        "languages": [{"id": "de", "labels": {"de": "Deutsch"}}],
        "skills": [{"id": s, "labels": {"en": s}} for s in (*SKILLS, "s-opt")],
        "organizations": [{"id": "org-1", "name": "Träger", "kind": "provider"}],
        "companies": [{"id": "co-1", "name": "Firma", "town": "t-1"}],
        "offers": [
            {
                "id": "o-1",
                "company": "co-1",
                "kind": "job",
                "title": "Stelle",
                "town": "t-1",
                "requires": offer_requires,
            }
        ],
        "courses": [
            {
                "id": c.id,
                "title": c.id,
                "kind": "qualification",
                "provider": "org-1",
                "weeks": c.weeks,
                "cost": c.cost,
                "starts": [d.isoformat() for d in c.starts],
                "teaches": split(c.teaches),
                "requires": split(c.requires),
            }
            for c in courses
        ],
        "candidates": [
            {
                "id": "p-1",
                "name": "Person",
                "town": "t-1",
                "skills": held["skills"],
                "languages": held["languages"],
            }
        ],
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(worlds(), st.sampled_from(["weeks", "ready_date"]))
def test_routes_through_each_store_match_exhaustive_search(store, tmp_path, world, objective):
    state, goal, courses = world
    store.clear()
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world_document(state, goal, courses)), encoding="utf-8")
    import_world(store, path)
    report = route_for(store, "p-1", "o-1", objective=objective, start=START, alternatives=2)
    check_against_brute_force(report.plan, state, goal, courses, objective, 2)
