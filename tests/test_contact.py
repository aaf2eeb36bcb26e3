"""Contact requests, contact notes and ``list_nodes`` on both stores, and who may read
notes and requests (graph.access)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.access import Action, Principal, can, load_resource
from graph.contact import (
    add_note,
    ask_for_contact,
    contact_requests_for_offer,
    contact_requests_of_candidate,
    notes_of,
)
from graph.errors import InvalidInput
from graph.model import Label
from graph.world import export_world, import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"

COACH = Principal("u-c", "coach", coach="co-walid-saleh")
OTHER_COACH = Principal("u-c2", "coach", coach="co-gisela-hermanns")
ADVISOR = Principal("u-a", "advisor", organization="o-jobcenter-hs")
OTHER_ADVISOR = Principal("u-a2", "advisor", organization="o-agentur-ac-dn")
EMPLOYER = Principal("u-e", "employer", company="c-rurtal-logistik")


@pytest.fixture
def sample(store):
    import_world(store, SAMPLE)
    return store


def test_list_nodes_is_sorted_by_id_and_limited(sample):
    tools = sample.list_nodes(Label.TOOL)
    ids = [node.id for node in tools]
    assert ids == sorted(ids) and len(ids) == 10
    forklift = next(node for node in tools if node.id == "w-forklift")
    assert forklift.props["label_de"] and "id" not in forklift.props
    assert [n.id for n in sample.list_nodes(Label.TOOL, limit=3)] == ids[:3]
    assert sample.list_nodes(Label.NOTE) == []


def test_notes_are_stored_newest_first_and_kept_out_of_world_exports(sample, tmp_path):
    first = add_note(
        sample,
        "p-ahmad-alkhatib",
        " Termin vereinbart ",
        author="u-c",
        coach="co-walid-saleh",
        written_at="2026-11-01T10:00:00+00:00",
    )
    second = add_note(
        sample,
        "p-ahmad-alkhatib",
        "Bewerbung geschrieben",
        author="u-c",
        written_at="2026-11-02T10:00:00+00:00",
    )
    notes = notes_of(sample, "p-ahmad-alkhatib")
    assert [n.id for n in notes] == [second.id, first.id]
    assert notes[1].text == "Termin vereinbart" and notes[1].coach == "co-walid-saleh"
    assert notes_of(sample, "p-rahel-tesfay") == []
    assert sample.counts()[Label.NOTE] == 2
    out = tmp_path / "world.json"
    export_world(sample, out)
    assert "Termin vereinbart" not in out.read_text(encoding="utf-8")


def test_a_note_needs_text_and_a_real_candidate(sample):
    with pytest.raises(InvalidInput) as error:
        add_note(sample, "p-nobody", "   ", author="u-c")
    text = str(error.value)
    assert "text: must not be empty" in text and "p-nobody" in text
    assert sample.counts()[Label.NOTE] == 0


def test_asking_twice_for_contact_keeps_one_open_request(sample):
    first, new = ask_for_contact(
        sample,
        "p-alex-schmitz",
        "of-kommissionierer-rurtal",
        company="c-rurtal-logistik",
        requested_by="u-e",
    )
    again, new_again = ask_for_contact(
        sample,
        "p-alex-schmitz",
        "of-kommissionierer-rurtal",
        company="c-rurtal-logistik",
        requested_by="u-e",
    )
    assert new and not new_again and again.id == first.id
    assert [r.id for r in contact_requests_for_offer(sample, "of-kommissionierer-rurtal")] == [
        first.id
    ]
    [request] = contact_requests_of_candidate(sample, "p-alex-schmitz")
    assert (request.offer, request.company, request.status) == (
        "of-kommissionierer-rurtal",
        "c-rurtal-logistik",
        "open",
    )


def test_only_the_coach_and_the_own_advisors_read_a_note(sample):
    note = add_note(sample, "p-ahmad-alkhatib", "vertraulich", author="u-c")
    resource = load_resource(sample, Label.NOTE, note.id)
    assert resource.organizations == {"o-jobcenter-hs"}
    assert can(COACH, Action.VIEW, resource)
    assert can(ADVISOR, Action.VIEW, resource)
    for principal in (OTHER_COACH, OTHER_ADVISOR, EMPLOYER):
        assert not can(principal, Action.VIEW, resource)
    for principal in (COACH, ADVISOR):
        assert not can(principal, Action.EDIT, resource)


def test_only_the_own_advisors_read_a_contact_request(sample):
    request, _ = ask_for_contact(
        sample,
        "p-ahmad-alkhatib",
        "of-kommissionierer-rurtal",
        company="c-rurtal-logistik",
        requested_by="u-e",
    )
    resource = load_resource(sample, Label.CONTACT_REQUEST, request.id)
    assert can(ADVISOR, Action.VIEW, resource)
    for principal in (OTHER_ADVISOR, COACH, EMPLOYER):
        assert not can(principal, Action.VIEW, resource)
