"""Propose and enrol on both stores: exactly one new node with its two relationships, or
nothing at all when anything is wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph import casework as cw
from graph.errors import InvalidInput, NotFound
from graph.model import Label, Rel
from graph.world import import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def sample(store):
    import_world(store, SAMPLE)
    return store


def test_casework_reads_placements_enrolments_and_coaches(sample):
    work = cw.casework(sample, "p-ahmad-alkhatib")
    assert [p.id for p in work.placements] == ["pl-ahmad-praktikum"]
    assert work.placements[0].history[-1] == ("internship", "2026-11-02")
    assert [(e.course, e.status) for e in work.enrolments] == [("k-staplerschein", "planned")]
    assert [c.id for c in work.coaches] == ["co-walid-saleh"]
    assert work.waiting and work.latest_status == "internship"


def test_propose_creates_one_placement(sample):
    before = sample.counts()
    placement = cw.propose(sample, "p-rahel-tesfay", "of-produktion-feinkost", today=TODAY)
    after = sample.counts()
    assert after[Label.PLACEMENT] == before[Label.PLACEMENT] + 1
    node = sample.get_node(Label.PLACEMENT, placement)
    assert node.props == {
        "status": "proposed",
        "history_statuses": ["proposed"],
        "history_dates": ["2026-11-25"],
    }
    rels = {(r.type, r.target_id) for r in sample.relationships(Label.PLACEMENT, placement)}
    assert rels == {
        (Rel.OF_CANDIDATE, "p-rahel-tesfay"),
        (Rel.FOR_OFFER, "of-produktion-feinkost"),
    }


def test_propose_refuses_duplicates_closed_offers_and_unknown_ids(sample):
    cw.propose(sample, "p-rahel-tesfay", "of-produktion-feinkost", today=TODAY)
    before = sample.counts()
    with pytest.raises(InvalidInput, match="cannot be proposed") as error:
        cw.propose(sample, "p-rahel-tesfay", "of-produktion-feinkost", today=TODAY)
    assert "already proposed" in error.value.problems[0]
    with pytest.raises(InvalidInput) as error:
        cw.propose(sample, "p-rahel-tesfay", "of-naeherin-wurmtal-textil", today=TODAY)
    assert error.value.problems == ["offer 'of-naeherin-wurmtal-textil': is closed"]
    with pytest.raises(NotFound):
        cw.propose(sample, "p-nobody", "of-produktion-feinkost", today=TODAY)
    with pytest.raises(NotFound):
        cw.propose(sample, "p-rahel-tesfay", "of-nothing", today=TODAY)
    assert sample.counts() == before


def test_enrol_takes_the_next_start_date_and_refuses_wrong_ones(sample):
    enrolment = cw.enrol(sample, "p-rahel-tesfay", "k-staplerschein", today=TODAY)
    assert sample.get_node(Label.ENROLMENT, enrolment).props == {
        "status": "planned",
        "start": "2027-01-18",
    }
    rels = {(r.type, r.target_id) for r in sample.relationships(Label.ENROLMENT, enrolment)}
    assert rels == {(Rel.OF_CANDIDATE, "p-rahel-tesfay"), (Rel.IN_COURSE, "k-staplerschein")}
    before = sample.counts()
    with pytest.raises(InvalidInput) as error:
        cw.enrol(
            sample, "p-rahel-tesfay", "k-staplerschein", start=dt.date(2027, 1, 2), today=TODAY
        )
    assert "does not start then" in error.value.problems[0]
    assert "already planned" in error.value.problems[1]
    assert sample.counts() == before
