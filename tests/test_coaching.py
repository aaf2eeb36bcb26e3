"""Coach suggestions (pure ranking, exact order), assigning a coach and the placement
pipeline's status changes — the store parts on both stores with the sample world."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph import casework as cw
from graph.coaching import (
    CoachFacts,
    accompaniments,
    assign_coach,
    coach_facts,
    rank_coaches,
    suggest_coaches,
)
from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import PLACEMENT_STATUSES, Label, Rel
from graph.profiles import Place
from graph.world import import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"
TODAY = dt.date(2026, 11, 25)

ERK = Place("erk", "Erkelenz", 51.08, 6.315)
HS = Place("hs", "Heinsberg", 51.063, 6.096)
GK = Place("gk", "Geilenkirchen", 50.965, 6.119)


def coach(cid, town, langs, capacity=2, mentees=()):
    return CoachFacts(cid, cid, town, frozenset(langs), capacity, frozenset(mentees))


# --- pure ranking ---------------------------------------------------------------------


def test_a_shared_language_other_than_german_comes_first():
    coaches = [
        coach("a-near-german-only", ERK, ["de"]),
        coach("b-far-arabic", GK, ["ar", "de"]),
    ]
    ranked = rank_coaches(["ar", "de"], ERK, coaches)
    assert [s.coach.id for s in ranked] == ["b-far-arabic", "a-near-german-only"]
    assert ranked[0].shared_languages == ("ar", "de")
    assert ranked[1].shared_languages == ("de",) and ranked[1].same_town


def test_then_more_languages_then_town_then_distance_then_free_places_then_id():
    coaches = [
        coach("e-gk", GK, ["ar"], capacity=5),
        coach("d-hs", HS, ["ar"], capacity=5),
        coach("c-erk-1-free", ERK, ["ar"], capacity=3, mentees=["x", "y"]),
        coach("b-erk-3-free", ERK, ["ar"], capacity=3),
        coach("a-two-languages-far", GK, ["ar", "en"]),
        coach("f-unknown-town", None, ["ar"]),
    ]
    ranked = rank_coaches(["ar", "en"], ERK, coaches)
    assert [s.coach.id for s in ranked] == [
        "a-two-languages-far",
        "b-erk-3-free",
        "c-erk-1-free",
        "d-hs",  # Heinsberg is nearer to Erkelenz than Geilenkirchen
        "e-gk",
        "f-unknown-town",
    ]
    assert ranked[1].distance_km == 0.0 and ranked[1].free == 3
    assert 10 < ranked[3].distance_km < ranked[4].distance_km
    assert ranked[5].distance_km is None


def test_full_coaches_and_current_coaches_are_left_out():
    coaches = [
        coach("full", ERK, ["ar"], capacity=1, mentees=["someone"]),
        coach("mine", ERK, ["ar"], mentees=["me"]),
        coach("zero", ERK, ["ar"], capacity=0),
        coach("free", ERK, ["ar"]),
    ]
    ranked = rank_coaches(["ar"], ERK, coaches, exclude=["mine"])
    assert [s.coach.id for s in ranked] == ["free"]


# --- on the stores ----------------------------------------------------------------------


@pytest.fixture
def sample(store):
    import_world(store, SAMPLE)
    return store


def test_coach_facts_read_languages_town_and_mentees(sample):
    facts = {c.id: c for c in coach_facts(sample)}
    walid = facts["co-walid-saleh"]
    assert walid.languages == {"ar", "de", "en", "ku"}
    assert walid.town is not None and walid.town.id == "t-hueckelhoven"
    assert walid.capacity == 4 and len(walid.mentees) == 3 and walid.free == 1


def test_suggestions_for_an_arabic_speaker_start_with_the_arabic_coach(sample):
    profile = sample.candidate_profile("p-rahel-tesfay")
    ranked = suggest_coaches(sample, "p-rahel-tesfay")
    assert all(s.free > 0 for s in ranked)
    assert all("p-rahel-tesfay" not in s.coach.mentees for s in ranked)
    for s in ranked:
        assert set(s.shared_languages) <= set(profile.languages)
    # the ranking of the store facts is exactly the pure ranking
    languages = sorted(profile.languages, key=lambda c: c)
    expected = rank_coaches(languages, profile.town, coach_facts(sample))
    assert {s.coach.id for s in ranked} == {s.coach.id for s in expected}


def test_current_coach_is_not_suggested(sample):
    assert "co-walid-saleh" not in [s.coach.id for s in suggest_coaches(sample, "p-ahmad-alkhatib")]


def test_assign_writes_one_mentors_relationship_and_keeps_the_others(sample):
    before = {r.target_id for r in sample.relationships(Label.COACH, "co-tetiana-schneider")}
    assign_coach(sample, "co-tetiana-schneider", "p-rahel-tesfay", today=TODAY)
    rels = sample.relationships(Label.COACH, "co-tetiana-schneider")
    mentors = {r.target_id: r.props for r in rels if r.type == Rel.MENTORS}
    assert mentors["p-rahel-tesfay"] == {"since": "2026-11-25"}
    assert "p-olena-kovalenko" in mentors
    assert before | {"p-rahel-tesfay"} == {r.target_id for r in rels}
    assert sample.get_node(Label.COACH, "co-tetiana-schneider").props["capacity"] == 2
    assert [c.id for c in cw.casework(sample, "p-rahel-tesfay").coaches] == ["co-tetiana-schneider"]


def test_assign_refuses_a_full_coach_and_a_double_assignment(sample):
    assign_coach(sample, "co-tetiana-schneider", "p-rahel-tesfay", today=TODAY)
    with pytest.raises(InvalidInput, match="cannot be assigned") as error:
        assign_coach(sample, "co-tetiana-schneider", "p-rahel-tesfay", today=TODAY)
    assert "already" in error.value.problems[0]
    # Tetiana now has 2 of 2 places
    with pytest.raises(InvalidInput) as error:
        assign_coach(sample, "co-tetiana-schneider", "p-ahmad-alkhatib", today=TODAY)
    assert "no free place (capacity 2, 2 mentees)" in error.value.problems[0]
    with pytest.raises(NotFound):
        assign_coach(sample, "co-nobody", "p-rahel-tesfay")


def test_accompaniments_list_candidates_at_work_with_their_coaches(sample):
    everyone = [c.id for c in sample.candidate_profiles()]
    rows = accompaniments(sample, everyone)
    statuses = {(r.candidate, r.status) for r in rows}
    assert ("p-ahmad-alkhatib", "internship") in statuses
    assert all(r.status in ("internship", "hired") for r in rows)
    ahmad = next(r for r in rows if r.candidate == "p-ahmad-alkhatib")
    assert [c[0] for c in ahmad.coaches] == ["co-walid-saleh"]
    assert ahmad.since == "2026-11-02"


# --- placement pipeline -------------------------------------------------------------------


def test_transitions_cover_every_status_and_end_in_ended():
    assert set(cw.PLACEMENT_TRANSITIONS) == set(PLACEMENT_STATUSES)
    for targets in cw.PLACEMENT_TRANSITIONS.values():
        assert set(targets) <= set(PLACEMENT_STATUSES)
    assert cw.PLACEMENT_TRANSITIONS["ended"] == ()
    assert all("ended" in t for s, t in cw.PLACEMENT_TRANSITIONS.items() if s != "ended")


def test_status_change_appends_history_and_bumps_the_version(sample):
    pid = cw.propose(sample, "p-rahel-tesfay", "of-produktion-feinkost", today=TODAY)
    moved = cw.change_placement_status(
        sample, pid, "contacted", expected_version=0, today=TODAY + dt.timedelta(days=2)
    )
    assert moved.status == "contacted" and moved.version == 1
    assert moved.history == (("proposed", "2026-11-25"), ("contacted", "2026-11-27"))
    rels = {(r.type, r.target_id) for r in sample.relationships(Label.PLACEMENT, pid)}
    assert rels == {
        (Rel.OF_CANDIDATE, "p-rahel-tesfay"),
        (Rel.FOR_OFFER, "of-produktion-feinkost"),
    }
    # a second person still on version 0 is refused, nothing written
    with pytest.raises(Conflict):
        cw.change_placement_status(sample, pid, "ended", expected_version=0, today=TODAY)
    assert cw.casework(sample, "p-rahel-tesfay").placements[0].status == "contacted"


def test_a_step_the_pipeline_does_not_allow_is_refused(sample):
    pid = cw.propose(sample, "p-rahel-tesfay", "of-produktion-feinkost", today=TODAY)
    with pytest.raises(InvalidInput) as error:
        cw.change_placement_status(sample, pid, "hired", expected_version=0, today=TODAY)
    assert "'proposed' → 'hired' is not allowed (allowed: contacted, ended)" in str(error.value)
    assert sample.get_node(Label.PLACEMENT, pid).props["status"] == "proposed"
