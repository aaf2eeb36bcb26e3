"""The coverage counts both stores compute for matching equal counting on profiles.

``candidate_fits`` and ``offer_fits`` are counted inside each store (Cypher on Neo4j,
the networkx mirror's edges on the embedded store) without building profiles; here
they are checked against ``fit_row`` on the profiles, which is the definition.
"""

from __future__ import annotations

from pathlib import Path

from graph.profiles import fit_row
from graph.routes import candidate_state
from graph.world import import_world

SAMPLE = Path(__file__).parents[1] / "importers" / "data" / "sample_world.json"


def _counts(row):
    return (
        row.id,
        row.lat,
        row.lon,
        row.essential_met,
        row.essential_total,
        row.optional_met,
        row.optional_total,
        row.language_met,
        row.language_total,
        row.available_from,
        row.essential_met_items,
    )


def test_candidate_fits_count_what_the_profiles_meet(store):
    import_world(store, SAMPLE)
    candidates = store.candidate_profiles()
    for offer in store.offer_profiles(only_open=False):
        rows, exhausted = store.candidate_fits(offer.requirements, len(candidates))
        assert exhausted
        expected = sorted(
            (
                fit_row(
                    c.id,
                    c.town,
                    offer.requirements,
                    lambda r, c=c: c.level(r.kind, r.id),
                    c.available_from,
                    with_items=True,
                )
                for c in candidates
            ),
            key=lambda r: (-r.essential_met, -r.optional_met, -r.language_met, r.id),
        )
        assert [_counts(r) for r in rows] == [_counts(r) for r in expected], offer.id


def test_offer_fits_count_what_a_candidate_meets(store):
    import_world(store, SAMPLE)
    offers = store.offer_profiles()
    for candidate in store.candidate_profiles():
        have = {i: lv for (_, i), lv in candidate_state(candidate).items()}
        rows, exhausted = store.offer_fits(have, None, True, len(offers))
        assert exhausted
        expected = sorted(
            (
                fit_row(o.id, o.town, o.requirements, lambda r, h=have: h.get(r.id, 0))
                for o in offers
            ),
            key=lambda row: (row.key, row.id),
        )
        assert [_counts(r) for r in rows] == [_counts(r) for r in expected], candidate.id
