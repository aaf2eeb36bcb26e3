"""Sharing a candidate with another organisation, on both stores: the recorded share, its
validity by date and revocation, what it opens in the policy and the scope lists, and
that a refused or successful share touches nothing else of the candidate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.access import Action, Principal, can, candidate_scope, load_resource, require
from graph.errors import InvalidInput, NotFound
from graph.model import Label, Rel
from graph.sharing import revoke_share, share_candidate, shares_of
from graph.world import import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"
TODAY = dt.date(2026, 11, 25)
UNTIL = dt.date(2027, 3, 31)
AHMAD = "p-ahmad-alkhatib"  # Jobcenter Heinsberg; a placement, an enrolment, a coach
JOBCENTER = "o-jobcenter-hs"
AGENTUR = "o-agentur-ac-dn"
AGENTUR_ADVISOR = Principal("u-agentur", "advisor", organization=AGENTUR)
DRK_ADVISOR = Principal("u-drk", "advisor", organization="o-drk-hs")


@pytest.fixture
def sample(store):
    import_world(store, SAMPLE)
    return store


def _share(store, **overrides):
    args = {
        "basis": "consent",
        "purpose": "Vermittlung in ein Praktikum in Aachen",
        "until": UNTIL,
        "by": "u-advisor",
        "today": TODAY,
        "at": "2026-11-25T09:00:00+00:00",
    }
    args.update(overrides)
    return share_candidate(store, AHMAD, AGENTUR, **args)


def _state(store, candidate_id=AHMAD):
    """Everything about a candidate except its shares: node and other relationships."""
    node = store.get_node(Label.CANDIDATE, candidate_id)
    rels = sorted(
        (r.type, r.source_id, r.target_id, sorted(r.props.items()))
        for r in store.relationships(Label.CANDIDATE, candidate_id)
        if r.type != Rel.SHARED_WITH
    )
    return node.props, rels


def test_a_share_is_recorded_with_every_field(sample):
    share = _share(sample, basis="legal", legal_basis="§ 69 SGB X")
    assert share.valid and share.state == "valid"
    [stored] = [
        r for r in sample.relationships(Label.CANDIDATE, AHMAD) if r.type == Rel.SHARED_WITH
    ]
    assert (stored.source_id, stored.target_id) == (AHMAD, AGENTUR)
    assert stored.props == {
        "basis": "legal",
        "legal_basis": "§ 69 SGB X",
        "purpose": "Vermittlung in ein Praktikum in Aachen",
        "until": "2027-03-31",
        "groups": ["matching_profile", "identity_contact"],
        "by": "u-advisor",
        "at": "2026-11-25T09:00:00+00:00",
    }
    assert shares_of(sample, AHMAD, today=TODAY) == [share]
    # the organisation's side sees the same relationship
    org_rels = [
        r for r in sample.relationships(Label.ORGANIZATION, AGENTUR) if r.type == Rel.SHARED_WITH
    ]
    assert [(r.source_id, r.props["until"]) for r in org_rels] == [(AHMAD, "2027-03-31")]


def test_sharing_and_revoking_touch_nothing_else_of_the_candidate(sample):
    before = _state(sample)
    counts = sample.counts()
    _share(sample)
    assert _state(sample) == before
    revoke_share(sample, AHMAD, AGENTUR, by="u-advisor", today=TODAY)
    assert _state(sample) == before
    assert sample.counts() == counts
    # a second share with another organisation keeps the first record
    share_candidate(
        sample,
        AHMAD,
        "o-drk-hs",
        basis="consent",
        purpose="Sprachkurs",
        until=UNTIL,
        by="u-advisor",
        today=TODAY,
    )
    assert {s.organization: s.state for s in shares_of(sample, AHMAD, today=TODAY)} == {
        "o-drk-hs": "valid",
        AGENTUR: "revoked",
    }
    assert _state(sample) == before


def test_bad_input_is_refused_whole_and_nothing_is_written(sample):
    before = sample.export_graph()
    cases = [
        ({"purpose": "   "}, "purpose: must not be empty"),
        ({"until": TODAY}, "until: 2026-11-25 is not after today (2026-11-25)"),
        ({"until": dt.date(2026, 1, 1)}, "until: 2026-01-01 is not after today"),
        ({"basis": "gut feeling"}, "basis: 'gut feeling' is not one of consent, legal"),
        ({"groups": ["everything"]}, "groups: 'everything'"),
        ({"groups": []}, "groups: none given"),
        ({"purpose": "x" * 501}, "purpose: 501 characters"),
    ]
    for overrides, message in cases:
        with pytest.raises(InvalidInput, match="cannot be shared") as error:
            _share(sample, **overrides)
        assert any(p.startswith(message) for p in error.value.problems), error.value.problems
    with pytest.raises(InvalidInput) as error:
        share_candidate(
            sample,
            AHMAD,
            JOBCENTER,
            basis="consent",
            purpose="p",
            until=UNTIL,
            by="u",
            today=TODAY,
        )
    assert error.value.problems == [
        "organization: 'o-jobcenter-hs' is the candidate's own organisation"
    ]
    with pytest.raises(InvalidInput) as error:
        share_candidate(
            sample,
            AHMAD,
            "o-nowhere",
            basis="consent",
            purpose="",
            until=UNTIL,
            by="u",
            today=TODAY,
        )
    assert error.value.problems == [
        "organization: no Organization with id 'o-nowhere'",
        "purpose: must not be empty",
    ]
    with pytest.raises(NotFound):
        share_candidate(
            sample,
            "p-nobody",
            AGENTUR,
            basis="consent",
            purpose="p",
            until=UNTIL,
            by="u",
            today=TODAY,
        )
    after = sample.export_graph()
    assert len(after.relationships) == len(before.relationships)
    assert not [r for r in after.relationships if r.type == Rel.SHARED_WITH]


def test_sharing_again_replaces_the_record(sample):
    _share(sample)
    revoke_share(sample, AHMAD, AGENTUR, today=TODAY)
    again = _share(sample, until=dt.date(2027, 6, 30), purpose="Ausbildung")
    assert again.valid and again.revoked_at is None
    [share] = shares_of(sample, AHMAD, today=TODAY)
    assert (share.until, share.purpose, share.revoked_at) == ("2027-06-30", "Ausbildung", None)


def test_revoking_needs_a_valid_share(sample):
    with pytest.raises(NotFound, match="not shared with"):
        revoke_share(sample, AHMAD, AGENTUR, today=TODAY)
    _share(sample)
    revoked = revoke_share(
        sample, AHMAD, AGENTUR, by="u-advisor", today=TODAY, at="2026-11-26T10:00:00+00:00"
    )
    assert revoked.state == "revoked" and revoked.revoked_by == "u-advisor"
    with pytest.raises(InvalidInput, match="cannot be revoked"):
        revoke_share(sample, AHMAD, AGENTUR, today=TODAY)
    with pytest.raises(NotFound):
        shares_of(sample, "p-nobody")


def test_a_share_opens_view_and_propose_until_it_ends(sample):
    def allowed(action, day, label=Label.CANDIDATE, node=AHMAD):
        return can(AGENTUR_ADVISOR, action, load_resource(sample, label, node, today=day))

    assert not allowed(Action.VIEW, TODAY)
    _share(sample)
    assert allowed(Action.VIEW, TODAY) and allowed(Action.PROPOSE, TODAY)
    for action in (Action.EDIT, Action.CREATE, Action.ASK_CONTACT, Action.MANAGE):
        assert not allowed(action, TODAY), action
    # placements and enrolments of the candidate: read only
    assert allowed(Action.VIEW, TODAY, Label.PLACEMENT, "pl-ahmad-praktikum")
    assert not allowed(Action.EDIT, TODAY, Label.PLACEMENT, "pl-ahmad-praktikum")
    # the last day counts, the day after does not
    assert allowed(Action.VIEW, UNTIL)
    assert not allowed(Action.VIEW, UNTIL + dt.timedelta(days=1))
    # a third organisation never sees it
    assert not can(
        DRK_ADVISOR, Action.VIEW, load_resource(sample, Label.CANDIDATE, AHMAD, today=TODAY)
    )
    # scope lists say the same as the policy
    assert AHMAD in candidate_scope(sample, AGENTUR_ADVISOR, today=TODAY)
    assert AHMAD in candidate_scope(sample, AGENTUR_ADVISOR, action=Action.PROPOSE, today=TODAY)
    assert AHMAD not in candidate_scope(sample, AGENTUR_ADVISOR, action=Action.EDIT, today=TODAY)
    assert AHMAD not in candidate_scope(sample, AGENTUR_ADVISOR, today=UNTIL + dt.timedelta(days=1))
    assert AHMAD not in candidate_scope(sample, DRK_ADVISOR, today=TODAY)
    # revoked: as if it never existed
    revoke_share(sample, AHMAD, AGENTUR, today=TODAY)
    assert not allowed(Action.VIEW, TODAY)
    assert AHMAD not in candidate_scope(sample, AGENTUR_ADVISOR, today=TODAY)
    with pytest.raises(NotFound, match="no Candidate with id 'p-ahmad-alkhatib'"):
        require(sample, AGENTUR_ADVISOR, Action.VIEW, Label.CANDIDATE, AHMAD, today=TODAY)


def test_notes_and_contact_requests_stay_with_the_own_organisation(sample):
    from graph.contact import add_note, ask_for_contact

    _share(sample)
    note = add_note(sample, AHMAD, "vertraulich", author="u-coach", coach="co-walid-saleh")
    request, _new = ask_for_contact(
        sample, AHMAD, "of-staplerfahrer-rurtal", company="c-rurtal-logistik", requested_by="u-e"
    )
    for label, node in ((Label.NOTE, note.id), (Label.CONTACT_REQUEST, request.id)):
        resource = load_resource(sample, label, node, today=TODAY)
        assert AGENTUR in resource.shared_with
        assert not can(AGENTUR_ADVISOR, Action.VIEW, resource)


def test_a_world_reimport_of_the_candidate_ends_its_shares(sample):
    """World files do not carry shares, and a candidate owns its SHARED_WITH edges, so a
    full re-import replaces them: the candidate falls back to its own organisation (fails
    closed). Issue #6 decides whether world files should carry shares."""
    _share(sample)
    import_world(sample, SAMPLE)
    assert shares_of(sample, AHMAD, today=TODAY) == []
    assert AHMAD not in candidate_scope(sample, AGENTUR_ADVISOR, today=TODAY)
