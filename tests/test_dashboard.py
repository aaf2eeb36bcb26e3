"""Dashboard numbers: counted by hand on the sample world (both stores), and the pure
summary on hand-made facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from graph.access import Principal, candidate_scope
from graph.dashboard import DashboardFacts, PlacementFact, dashboard, summarise
from graph.world import import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"


def test_dashboard_of_the_jobcenter_equals_a_hand_count(store):
    import_world(store, SAMPLE)
    scope = candidate_scope(store, Principal("u", "advisor", "o-jobcenter-hs"))
    numbers = dashboard(store, scope.ids or (), today=dt.date(2026, 11, 25))
    assert numbers.since == dt.date(2026, 1, 1)
    assert numbers.candidates == 8
    # Ahmad (internship), Mustafa (hired), Alex (internship, later ended); Farid only
    # reached the interview.
    assert numbers.placements == 3
    assert numbers.by_gender == {"f": 0, "m": 2, "d": 1, "unknown": 0}
    assert numbers.women_share == 0.0
    assert numbers.by_town == [("Geilenkirchen", 1), ("Hückelhoven", 1), ("Übach-Palenberg", 1)]
    assert numbers.by_kind == {"internship": 1, "apprenticeship": 0, "job": 2}
    assert numbers.open_offers == {"internship": 2, "apprenticeship": 2, "job": 8}
    assert numbers.open_offers_total == 12
    assert numbers.waiting == 2  # Rahel and Ahmad, both planned
    assert numbers.waiting_by_status == {"planned": 2, "enrolled": 0}


def test_the_next_year_starts_from_zero_placements(store):
    import_world(store, SAMPLE)
    scope = candidate_scope(store, Principal("u", "advisor", "o-agentur-ac-dn"))
    numbers = dashboard(store, scope.ids or (), today=dt.date(2027, 3, 1))
    assert numbers.placements == 0 and numbers.women_share is None
    assert numbers.waiting == 1  # Olena, enrolled in the B1 course
    assert numbers.waiting_by_status == {"planned": 0, "enrolled": 1}


def test_summarise_counts_only_placements_since_the_date():
    day = dt.date
    facts = DashboardFacts(
        candidates=3,
        placements=(
            PlacementFact("a", "c1", "f", "Erkelenz", "job", day(2026, 2, 1)),
            PlacementFact("b", "c2", "f", "Erkelenz", "internship", day(2026, 3, 1)),
            PlacementFact("c", "c3", "m", "Wegberg", "job", day(2025, 12, 31)),
            PlacementFact("d", "c3", "m", "Wegberg", "job", None),
        ),
        waiting=(("c1", "planned"), ("c1", "enrolled"), ("c2", "planned")),
        open_offers=("job", "job"),
    )
    numbers = summarise(facts, day(2026, 1, 1))
    assert numbers.placements == 2
    assert numbers.women_share == 1.0
    assert numbers.by_town == [("Erkelenz", 2)]
    assert numbers.waiting == 2
    assert numbers.open_offers == {"internship": 0, "apprenticeship": 0, "job": 2}
