"""The region view: blockers and unblocking courses, by hand on a tiny catalogue and on
the sample world through both stores."""

from __future__ import annotations

from pathlib import Path

from graph.access import Principal, candidate_scope
from graph.planning.types import CourseOption
from graph.profiles import CandidateProfile, OfferProfile, Requirement
from graph.region import region_report, region_view
from graph.world import import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"


def offer(offer_id: str, *reqs: Requirement) -> OfferProfile:
    return OfferProfile(offer_id, offer_id, "job", True, None, None, None, tuple(reqs))


def test_blockers_and_courses_by_hand():
    fork = Requirement("tool", "fork", 1, True, {"de": "Stapler"})
    german = Requirement("language", "de", "B1", True, {"de": "Deutsch"})
    optional = Requirement("skill", "x", 1, False)
    offers = [offer("o1", fork), offer("o2", fork, german, optional)]
    anna = CandidateProfile("anna", "Anna", None, None, languages={"de": "B1"})
    bo = CandidateProfile("bo", "Bo", None, None, tools={"fork": 1}, languages={"de": "A2"})
    courses = [
        CourseOption("k-fork", 2, 0, teaches={("tool", "fork"): 1}),
        CourseOption(
            "k-b1", 20, 0, teaches={("language", "de"): 3}, requires={("language", "de"): 2}
        ),
    ]
    report = region_report([anna, bo], offers, courses)
    assert (report.ready_pairs, report.blocked_pairs) == (1, 3)  # bo is ready for o1
    assert [(b.id, b.candidates, b.pairs) for b in report.blockers] == [
        ("fork", 1, 2),  # anna, for o1 and o2
        ("de", 1, 1),  # bo, for o2
    ]
    # k-fork closes anna's whole gap for o1 and o2; bo can take k-b1 (A2) for o2
    assert [(c.id, c.candidates, c.pairs) for c in report.courses] == [
        ("k-fork", 1, 2),
        ("k-b1", 1, 1),
    ]


def test_region_view_on_the_sample_world(store):
    import_world(store, SAMPLE)
    scope = candidate_scope(store, Principal("u", "advisor", "o-jobcenter-hs"))
    report = region_view(store, scope.ids or ())
    assert (report.candidates, report.offers) == (8, 12)
    assert report.blocked_pairs + report.ready_pairs == 8 * 12
    assert report.blockers[0].candidates <= 8
    counts = [(b.candidates, b.pairs) for b in report.blockers]
    assert counts == sorted(counts, reverse=True)
    titles = {c.id: c.title for c in report.courses}
    assert titles["k-hygienebelehrung"].startswith("Erstbelehrung")
