"""The match lists equal a naive ranking: every pair scored, every pair routed.

Matching routes only the pairs that can still reach the top, and for one offer's
candidates it orders a coverage group by a bound on weeks before fetching any profile;
both shortcuts must leave the documented order (coverage, weeks, km, id) untouched. The
demo district has large groups of equal coverage, which is where they matter.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from graph.gap import skill_gap
from graph.matching import distance_km, fit_score, match_candidates, match_offers
from graph.planning import plan_route
from graph.routes import route_problem
from graph.stores.embedded import EmbeddedStore
from graph.world import import_world
from importers.demo import write_demo_world

START = dt.date(2027, 1, 4)
LIMIT = 8


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo")
    path = directory / "demo.json"
    write_demo_world(path)
    store = EmbeddedStore(directory / "data")
    store.init_schema()
    import_world(store, path)
    yield store
    store.close()


@pytest.fixture(scope="module")
def catalogue(demo_store):
    """Every course that teaches something an offer asks for, with its prerequisites:
    a superset of what any pair needs (the planner prunes it itself)."""
    items = sorted(
        {(r.kind, r.id) for offer in demo_store.offer_profiles() for r in offer.requirements}
    )
    return demo_store.courses_that_matter(items, {})


def naive_key(candidate, offer, catalogue):
    gap = skill_gap(candidate, offer)
    essential, optional, language, _ = fit_score(gap)
    state, goal, _ = route_problem(candidate, offer)
    plan = plan_route(state, goal, catalogue, objective="weeks", start=START)
    weeks = plan.best.total_weeks if plan.feasible and plan.best else math.inf
    km = distance_km(candidate.town, offer.town)
    return (-essential, -optional, -language, weeks, math.inf if km is None else km)


def test_candidates_for_offers_equal_the_naive_ranking(demo_store, catalogue):
    candidates = demo_store.candidate_profiles()
    offers = demo_store.offer_profiles()[::35]
    assert len(offers) >= 8
    for offer in offers:
        ranked = sorted(candidates, key=lambda c, o=offer: (*naive_key(c, o, catalogue), c.id))
        expected = [c.id for c in ranked[:LIMIT]]
        matches = match_candidates(demo_store, offer.id, limit=LIMIT, start=START)
        assert [m.candidate.id for m in matches] == expected, offer.id


def test_offers_for_candidates_equal_the_naive_ranking(demo_store, catalogue):
    offers = demo_store.offer_profiles()
    candidates = demo_store.candidate_profiles()[::45]
    assert len(candidates) >= 8
    for candidate in candidates:
        ranked = sorted(offers, key=lambda o, c=candidate: (*naive_key(c, o, catalogue), o.id))
        expected = [o.id for o in ranked[:LIMIT]]
        matches = match_offers(demo_store, candidate.id, limit=LIMIT, start=START)
        assert [m.offer.id for m in matches] == expected, candidate.id
