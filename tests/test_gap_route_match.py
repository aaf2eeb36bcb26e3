"""Gap analysis, training routes and matching on both stores (conformance suite).

The small routes world (``fixtures/routes_world.json``) is built so that every answer
below can be checked by hand: a German chain A1 → A2 → B1, a forklift course that needs
A2, two ways to learn welding, a prerequisite cycle and a skill no course teaches.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.errors import NotFound
from graph.gap import gap_to_json, skill_gap
from graph.matching import MatchFilters, distance_km, match_candidates, match_offers
from graph.profiles import Place
from graph.routes import route_for, route_to_json
from graph.world import import_world

ROUTES = Path(__file__).parent / "fixtures" / "routes_world.json"
JAN_1 = dt.date(2027, 1, 1)


@pytest.fixture
def routes_store(store):
    import_world(store, ROUTES)
    return store


def plan(store, candidate, offer, objective="weeks", alternatives=3):
    report = route_for(
        store, candidate, offer, objective=objective, start=JAN_1, alternatives=alternatives
    )
    return route_to_json(report)


def test_gap_lists_every_requirement_with_levels(routes_store):
    gap = skill_gap(routes_store.candidate_profile("p-cem"), routes_store.offer_profile("o-weld"))
    document = gap_to_json(gap)
    assert document["ready"] is False
    assert document["essential"] == {"met": 0, "total": 3}
    assert document["optional"] == {"met": 0, "total": 1}
    assert [
        (r["kind"], r["id"], r["required"], r["current"], r["essential"], r["met"])
        for r in document["requirements"]
    ] == [
        ("skill", "s-cnc", 1, None, False, False),
        ("skill", "s-weld", 2, 1, True, False),
        ("tool", "m-fork", 1, None, True, False),
        ("language", "de", "B1", "A2", True, False),
    ]
    assert document["requirements"][1]["labels"] == {"de": "Schweißen", "en": "welding"}
    assert document["occupation_skills_missing"] == [
        {"id": "s-metal", "labels": {"de": "Metallbearbeitung", "en": "metalworking"}}
    ]


def test_ready_candidate_gets_an_empty_plan(routes_store):
    document = plan(routes_store, "p-ben", "o-weld")
    assert document["feasible"] is True
    assert document["courses"] == []
    assert document["total_weeks"] == 0
    assert document["ready_date"] == "2027-01-01"
    assert document["unreachable"] == []


def test_shortest_route_through_a_chain(routes_store):
    document = plan(routes_store, "p-anna", "o-weld")
    assert document["feasible"] is True
    assert sorted(document["courses"]) == ["k-de-a2", "k-de-b1", "k-fork", "k-weld1", "k-weld2"]
    assert document["total_weeks"] == 16
    assert document["total_cost"] == 1600
    # The earliest-finishing order of that set, worked out by hand in the module docstring.
    assert document["courses"] == ["k-weld1", "k-de-a2", "k-de-b1", "k-weld2", "k-fork"]
    assert document["ready_date"] == "2027-05-10"
    assert document["schedule"][0] == {
        "course": "k-weld1",
        "start": "2027-01-11",
        "end": "2027-01-25",
    }
    alternative = document["alternatives"][0]
    assert sorted(alternative["courses"]) == ["k-de-a2", "k-de-b1", "k-fork", "k-weld-int"]
    assert alternative["total_weeks"] == 17


def test_ready_date_objective(routes_store):
    document = plan(routes_store, "p-cem", "o-weld", objective="ready_date")
    assert document["objective"] == "ready_date"
    assert document["courses"] == ["k-de-b1", "k-weld2", "k-fork"]
    assert document["schedule"] == [
        {"course": "k-de-b1", "start": "2027-01-04", "end": "2027-02-15"},
        {"course": "k-weld2", "start": "2027-02-15", "end": "2027-03-08"},
        {"course": "k-fork", "start": "2027-03-08", "end": "2027-03-15"},
    ]
    assert document["ready_date"] == "2027-03-15"
    assert document["total_weeks"] == 10


def test_prerequisite_cycle_is_unreachable_with_reason(routes_store):
    document = plan(routes_store, "p-anna", "o-cycle")
    assert document["feasible"] is False
    assert document["courses"] == []
    assert document["ready_date"] is None
    assert [(u["kind"], u["id"], u["level"]) for u in document["unreachable"]] == [
        ("skill", "s-cyc", 1)
    ]
    assert "unreachable" in document["unreachable"][0]["reason"]


def test_item_no_course_teaches_is_named(routes_store):
    document = plan(routes_store, "p-anna", "o-none")
    assert document["feasible"] is False
    assert [(u["id"], u["level"]) for u in document["unreachable"]] == [("s-x", 1)]
    assert "no course teaches it" in document["unreachable"][0]["reason"]


def test_unknown_ids_are_not_found(routes_store):
    with pytest.raises(NotFound, match="no Candidate with id 'p-404'"):
        plan(routes_store, "p-404", "o-weld")
    with pytest.raises(NotFound, match="no Offer with id 'o-404'"):
        plan(routes_store, "p-anna", "o-404")


def test_offers_for_a_candidate_are_ranked_and_explained(routes_store):
    matches = match_offers(routes_store, "p-cem", start=JAN_1)
    assert [m.offer.id for m in matches] == ["o-easy", "o-none", "o-cycle", "o-weld"]
    assert [m.fit for m in matches] == [100, 70, 40, 0]
    assert matches[0].weeks_needed == 0
    assert matches[3].weeks_needed == 10
    assert [line.id for line in matches[1].gap.missing_essential] == ["s-x"]


def test_candidates_for_an_offer_break_ties_by_weeks_of_training(routes_store):
    matches = match_candidates(routes_store, "o-weld", start=JAN_1)
    assert [m.candidate.id for m in matches] == ["p-ben", "p-cem", "p-anna"]
    assert [m.weeks_needed for m in matches] == [0, 10, 16]


def test_near_fit_candidates_ready_by_a_date(routes_store):
    filters = MatchFilters(ready_by=dt.date(2027, 4, 1))
    matches = match_candidates(routes_store, "o-weld", filters, start=JAN_1)
    assert [(m.candidate.id, str(m.ready_date)) for m in matches] == [
        ("p-ben", "2027-01-01"),
        ("p-cem", "2027-03-15"),
    ]


def test_radius_kind_and_minimum_fit_filters(routes_store):
    heinsberg = Place("t-heinsberg", "Heinsberg", 51.06358, 6.0998)
    near = MatchFilters(town=heinsberg, radius_km=5)
    assert [
        m.candidate.id for m in match_candidates(routes_store, "o-weld", near, start=JAN_1)
    ] == ["p-cem"]
    internships = MatchFilters(kind="internship")
    assert [m.offer.id for m in match_offers(routes_store, "p-cem", internships, start=JAN_1)] == [
        "o-easy",
        "o-cycle",
    ]
    good = MatchFilters(min_fit=60)
    assert [m.offer.id for m in match_offers(routes_store, "p-cem", good, start=JAN_1)] == [
        "o-easy",
        "o-none",
    ]
    available = MatchFilters(available_from=dt.date(2027, 3, 1))
    assert [
        m.candidate.id for m in match_candidates(routes_store, "o-weld", available, start=JAN_1)
    ] == ["p-cem", "p-anna"]


def test_great_circle_distance():
    erkelenz = Place("a", "Erkelenz", 51.07947, 6.31531)
    heinsberg = Place("b", "Heinsberg", 51.06358, 6.0998)
    assert distance_km(erkelenz, heinsberg) == pytest.approx(15.1, abs=0.2)
    assert distance_km(erkelenz, None) is None
