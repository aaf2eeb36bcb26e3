"""The access policy on the sample district: who sees which candidates, offers and
companies, and that a scope list and ``can`` never disagree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.access import (
    Action,
    Principal,
    Resource,
    Scope,
    can,
    candidate_scope,
    load_resource,
    offer_scope,
    require,
    share_is_valid,
)
from graph.errors import NotFound
from graph.model import Label
from graph.store import User
from graph.world import import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"

ADVISOR = Principal("u-advisor", "advisor", organization="o-jobcenter-hs")
AGENTUR = Principal("u-agentur", "advisor", organization="o-agentur-ac-dn")
EMPLOYER = Principal("u-employer", "employer", company="c-rurtal-logistik")
COACH = Principal("u-coach", "coach", coach="co-walid-saleh")
ADMIN = Principal("u-admin", "admin")

JOBCENTER_CANDIDATES = {
    "p-ahmad-alkhatib",
    "p-rahel-tesfay",
    "p-farid-ahmadi",
    "p-mustafa-yildiz",
    "p-rojhat-ibrahim",
    "p-abdirahman-warsame",
    "p-noor-alhassan",
    "p-alex-schmitz",
}
RURTAL_OFFERS = {
    "of-kommissionierer-rurtal",
    "of-staplerfahrer-rurtal",
    "of-praktikum-lager-rurtal",
}


@pytest.fixture
def sample(store):
    import_world(store, SAMPLE)
    return store


# --- the pure policy -------------------------------------------------------------------


def candidate(**facts) -> Resource:
    return Resource(Label.CANDIDATE, "p-x", **facts)


def test_admin_may_do_everything():
    for action in Action:
        assert can(ADMIN, action, candidate())
        assert can(ADMIN, action, Resource(Label.USER, "u-someone"))


def test_advisor_sees_and_edits_only_own_organisations_candidates():
    own = candidate(organizations=frozenset({"o-jobcenter-hs"}))
    other = candidate(organizations=frozenset({"o-agentur-ac-dn"}))
    for action in (Action.VIEW, Action.EDIT, Action.PROPOSE):
        assert can(ADVISOR, action, own)
        assert not can(ADVISOR, action, other)
    assert not can(ADVISOR, Action.MANAGE, own)
    assert can(ADVISOR, Action.VIEW, Resource(Label.OFFER, "of-1", companies=frozenset({"c"})))


def test_a_valid_share_lets_another_organisation_view_and_propose_only():
    shared = candidate(
        organizations=frozenset({"o-agentur-ac-dn"}), shared_with=frozenset({"o-jobcenter-hs"})
    )
    assert can(ADVISOR, Action.VIEW, shared)
    assert can(ADVISOR, Action.PROPOSE, shared)
    for action in (Action.EDIT, Action.CREATE, Action.ASK_CONTACT, Action.MANAGE):
        assert not can(ADVISOR, action, shared), action
    about = {"organizations": frozenset({"o-agentur-ac-dn"}), "shared_with": {"o-jobcenter-hs"}}
    placement = Resource(Label.PLACEMENT, "pl-1", **about)
    assert can(ADVISOR, Action.VIEW, placement)
    assert not can(ADVISOR, Action.EDIT, placement)
    assert not can(ADVISOR, Action.PROPOSE, placement)
    for label in (Label.NOTE, Label.CONTACT_REQUEST):
        assert not can(ADVISOR, Action.VIEW, Resource(label, "x", **about))
    # shared with someone else: nothing; an employer or coach gains nothing from a share
    assert not can(AGENTUR, Action.VIEW, candidate(shared_with=frozenset({"o-jobcenter-hs"})))
    assert not can(ADVISOR, Action.VIEW, candidate(shared_with=frozenset({"o-drk-hs"})))
    lost = Principal("u-x", "advisor")
    assert not can(lost, Action.VIEW, candidate(shared_with=frozenset({None})))
    assert not can(EMPLOYER, Action.VIEW, candidate(shared_with=frozenset({"c-rurtal-logistik"})))
    assert not can(COACH, Action.VIEW, candidate(shared_with=frozenset({"co-walid-saleh"})))


def test_a_share_is_valid_until_its_last_day_and_not_once_revoked():
    day = dt.date(2026, 11, 25)
    assert share_is_valid({"until": "2026-11-25"}, day)
    assert not share_is_valid({"until": "2026-11-24"}, day)
    assert not share_is_valid({"until": "2027-01-01", "revoked_at": "2026-11-20T10:00:00"}, day)
    assert not share_is_valid({}, day)
    assert not share_is_valid({"until": "soon"}, day)


def test_employer_sees_candidates_only_pseudonymised_and_only_with_consent():
    consenting = candidate(consent_profile_sharing=True)
    assert can(EMPLOYER, Action.VIEW_PSEUDONYMISED, consenting)
    assert can(EMPLOYER, Action.ASK_CONTACT, consenting)
    assert not can(EMPLOYER, Action.VIEW, consenting)
    assert not can(EMPLOYER, Action.EDIT, consenting)
    assert not can(EMPLOYER, Action.VIEW_PSEUDONYMISED, candidate())


def test_employer_sees_own_company_and_offers_only():
    own = Resource(Label.OFFER, "of-a", companies=frozenset({"c-rurtal-logistik"}))
    other = Resource(Label.OFFER, "of-b", companies=frozenset({"c-hanssen-bau"}))
    assert can(EMPLOYER, Action.EDIT, own)
    assert not can(EMPLOYER, Action.VIEW, other)
    company = Resource(
        Label.COMPANY, "c-rurtal-logistik", companies=frozenset({"c-rurtal-logistik"})
    )
    assert can(EMPLOYER, Action.CREATE, company)
    assert not can(
        EMPLOYER, Action.VIEW, Resource(Label.COMPANY, "c-x", companies=frozenset({"c-x"}))
    )


def test_coach_sees_own_mentees_and_writes_notes_but_does_not_edit_profiles():
    mentee = candidate(coaches=frozenset({"co-walid-saleh"}))
    assert can(COACH, Action.VIEW, mentee)
    assert can(COACH, Action.CREATE, mentee)
    assert not can(COACH, Action.EDIT, mentee)
    assert not can(COACH, Action.VIEW, candidate(coaches=frozenset({"co-peter-coenen"})))
    placement = Resource(Label.PLACEMENT, "pl-1", coaches=frozenset({"co-walid-saleh"}))
    assert can(COACH, Action.VIEW, placement)
    assert not can(COACH, Action.EDIT, placement)


def test_every_role_reads_the_catalogue_and_only_admins_change_it():
    for principal in (ADVISOR, EMPLOYER, COACH):
        for label in (Label.SKILL, Label.TOOL, Label.COURSE, Label.TOWN, Label.LANGUAGE):
            assert can(principal, Action.VIEW, Resource(label, "x"))
            assert not can(principal, Action.EDIT, Resource(label, "x"))
        assert not can(principal, Action.MANAGE, Resource(Label.USER, "u-other"))
        assert not can(principal, Action.VIEW, Resource(Label.USER, "u-other"))
        assert can(principal, Action.VIEW, Resource(Label.USER, principal.id))


def test_a_principal_comes_from_a_user():
    user = User(id="u-1", email="a@b.example", role="coach", coach="co-walid-saleh")
    assert Principal.from_user(user) == Principal("u-1", "coach", coach="co-walid-saleh")


def test_scope_of_everything_and_of_some_ids():
    assert "anything" in Scope.everything()
    some = Scope(frozenset({"a", "c"}))
    assert some.filter(["c", "b", "a"]) == ["c", "a"]
    assert not some.is_everything


# --- with the sample district in a store ------------------------------------------------


def test_facts_of_a_candidate_come_from_the_graph(sample):
    farid = load_resource(sample, Label.CANDIDATE, "p-farid-ahmadi")
    assert farid.organizations == {"o-jobcenter-hs"}
    assert farid.coaches == {"co-gisela-hermanns"}
    assert farid.companies == {"c-grenzland-metallbau"}  # placed with its welder offer
    assert farid.consent_profile_sharing
    placement = load_resource(sample, Label.PLACEMENT, "pl-farid-schweisser")
    assert placement.organizations == {"o-jobcenter-hs"}
    offer = load_resource(sample, Label.OFFER, "of-staplerfahrer-rurtal")
    assert offer.companies == {"c-rurtal-logistik"}
    with pytest.raises(NotFound):
        load_resource(sample, Label.CANDIDATE, "p-nobody")


def test_candidate_scopes_follow_registration_and_mentoring(sample):
    assert candidate_scope(sample, ADVISOR).ids == JOBCENTER_CANDIDATES
    assert candidate_scope(sample, AGENTUR).ids == {
        "p-olena-kovalenko",
        "p-sandra-jansen",
        "p-dmytro-bondarenko",
        "p-lukas-beckers",
    }
    assert candidate_scope(sample, COACH).ids == {
        "p-ahmad-alkhatib",
        "p-rojhat-ibrahim",
        "p-noor-alhassan",
    }
    assert candidate_scope(sample, EMPLOYER).ids == frozenset()
    assert candidate_scope(sample, ADMIN).is_everything
    lost = Principal("u-x", "advisor", organization="o-does-not-exist")
    assert candidate_scope(sample, lost).ids == frozenset()


def test_offer_scope_of_an_employer_is_its_company(sample):
    assert offer_scope(sample, EMPLOYER).ids == RURTAL_OFFERS
    assert offer_scope(sample, ADVISOR).is_everything
    assert offer_scope(sample, COACH).ids == frozenset()


def test_scope_lists_and_can_agree_for_every_candidate(sample):
    everyone = [c.id for c in sample.candidate_profiles()]
    for principal in (ADVISOR, AGENTUR, COACH, EMPLOYER, ADMIN):
        scope = candidate_scope(sample, principal)
        for candidate_id in everyone:
            resource = load_resource(sample, Label.CANDIDATE, candidate_id)
            assert can(principal, Action.VIEW, resource) == (candidate_id in scope), (
                principal.role,
                candidate_id,
            )


def test_scope_lists_and_can_agree_with_a_share(sample):
    from graph.sharing import share_candidate

    today = dt.date(2026, 11, 25)
    share_candidate(
        sample,
        "p-rahel-tesfay",
        "o-agentur-ac-dn",
        basis="consent",
        purpose="Ausbildung",
        until=dt.date(2027, 1, 31),
        by="u-advisor",
        today=today,
    )
    everyone = [c.id for c in sample.candidate_profiles()]
    for action in (Action.VIEW, Action.PROPOSE, Action.EDIT):
        scope = candidate_scope(sample, AGENTUR, action=action, today=today)
        for candidate_id in everyone:
            resource = load_resource(sample, Label.CANDIDATE, candidate_id, today=today)
            assert can(AGENTUR, action, resource) == (candidate_id in scope), (action, candidate_id)
    assert "p-rahel-tesfay" in candidate_scope(sample, AGENTUR, today=today)
    assert "p-rahel-tesfay" not in candidate_scope(sample, AGENTUR, action=Action.EDIT, today=today)
    assert candidate_scope(sample, ADVISOR, today=today).ids == JOBCENTER_CANDIDATES


def test_require_answers_not_found_outside_the_scope(sample):
    assert require(sample, ADVISOR, Action.VIEW, Label.CANDIDATE, "p-rahel-tesfay")
    with pytest.raises(NotFound, match="no Candidate with id 'p-olena-kovalenko'"):
        require(sample, ADVISOR, Action.VIEW, Label.CANDIDATE, "p-olena-kovalenko")
    with pytest.raises(NotFound, match="no Candidate with id 'p-nobody'"):
        require(sample, ADVISOR, Action.VIEW, Label.CANDIDATE, "p-nobody")
    with pytest.raises(NotFound):
        require(sample, EMPLOYER, Action.VIEW_PSEUDONYMISED, Label.CANDIDATE, "p-sandra-jansen")
    assert require(
        sample, EMPLOYER, Action.VIEW_PSEUDONYMISED, Label.CANDIDATE, "p-olena-kovalenko"
    )
    with pytest.raises(NotFound):
        require(sample, EMPLOYER, Action.VIEW, Label.OFFER, "of-baggerfahrer-hanssen")
