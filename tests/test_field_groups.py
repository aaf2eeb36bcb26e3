"""Field groups: what each group holds (graph.fields), who sees which (the one table in
graph.access.visible_groups), the facts load_resource reads for it on both stores (the
groups of each share, the offers a consent releases), and the consent transitions of a
contact request (graph.contact)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.access import GROUP_TABLE, Principal, Resource, load_resource, visible_groups
from graph.audit import FIELD_GROUPS
from graph.contact import (
    CONSENTED,
    WITHDRAWN,
    ask_for_contact,
    contact_requests_of_candidate,
    record_consent,
    settle_contact_request,
    withdraw_consent,
)
from graph.errors import InvalidInput, NotFound
from graph.fields import (
    CANDIDATE_FIELDS,
    UNGROUPED,
    group_of_property,
    group_of_relationship,
    redact,
)
from graph.model import NODE_PROPERTIES, Label, Rel
from graph.records import GraphData, NodeRecord, RelRecord
from graph.sharing import revoke_share, share_candidate
from graph.world import import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"
TODAY = dt.date(2026, 11, 25)
AHMAD = "p-ahmad-alkhatib"  # Jobcenter Heinsberg, mentored by co-walid-saleh
JOBCENTER = "o-jobcenter-hs"
AGENTUR = "o-agentur-ac-dn"
RURTAL = "c-rurtal-logistik"
OFFER = "of-kommissionierer-rurtal"
OTHER_OFFER = "of-staplerfahrer-rurtal"

ALL = frozenset(FIELD_GROUPS)
PROFILE = frozenset({"matching_profile"})
IDENTITY_AND_PROFILE = frozenset({"identity_contact", "matching_profile"})
NOTHING: frozenset[str] = frozenset()

ADMIN = Principal("u-admin", "admin")
OWN_ADVISOR = Principal("u-a", "advisor", organization=JOBCENTER)
SHARED_ADVISOR = Principal("u-b", "advisor", organization=AGENTUR)
OTHER_ADVISOR = Principal("u-c", "advisor", organization="o-drk-hs")
NO_ORG_ADVISOR = Principal("u-d", "advisor")
COACH = Principal("u-co", "coach", coach="co-walid-saleh")
OTHER_COACH = Principal("u-co2", "coach", coach="co-gisela-hermanns")
EMPLOYER = Principal("u-e", "employer", company=RURTAL)
OTHER_EMPLOYER = Principal("u-e2", "employer", company="c-hanssen-bau")
STRANGER = Principal("u-x", "visitor")

CANDIDATE = Resource(
    Label.CANDIDATE,
    AHMAD,
    organizations=frozenset({JOBCENTER}),
    coaches=frozenset({"co-walid-saleh"}),
    consent_profile_sharing=True,
    shared_with=frozenset({AGENTUR}),
    shared_groups={AGENTUR: frozenset({"matching_profile", "residence"})},
    released=frozenset({(RURTAL, OFFER)}),
)
WITHOUT_CONSENT = Resource(Label.CANDIDATE, "p-y", organizations=frozenset({JOBCENTER}))

# --- the table ---------------------------------------------------------------------------

CASES = [
    # (principal, resource, offer, expected groups, table key)
    (ADMIN, CANDIDATE, None, ALL, ("admin", "any")),
    (ADMIN, WITHOUT_CONSENT, None, ALL, ("admin", "any")),
    (OWN_ADVISOR, CANDIDATE, None, ALL, ("advisor", "owner")),
    (SHARED_ADVISOR, CANDIDATE, None, frozenset({"matching_profile", "residence"}), None),
    (OTHER_ADVISOR, CANDIDATE, None, NOTHING, ("advisor", "other")),
    (NO_ORG_ADVISOR, CANDIDATE, None, NOTHING, ("advisor", "other")),
    (COACH, CANDIDATE, None, IDENTITY_AND_PROFILE | {"casework"}, ("coach", "mentor")),
    (OTHER_COACH, CANDIDATE, None, NOTHING, ("coach", "other")),
    (EMPLOYER, CANDIDATE, OFFER, IDENTITY_AND_PROFILE, ("employer", "released")),
    (EMPLOYER, CANDIDATE, OTHER_OFFER, PROFILE, ("employer", "pseudonymised")),
    (EMPLOYER, CANDIDATE, None, PROFILE, ("employer", "pseudonymised")),
    (OTHER_EMPLOYER, CANDIDATE, OFFER, PROFILE, ("employer", "pseudonymised")),
    (EMPLOYER, WITHOUT_CONSENT, OFFER, NOTHING, ("employer", "other")),
    (STRANGER, CANDIDATE, None, NOTHING, None),
]


@pytest.mark.parametrize(("who", "resource", "offer", "expected", "key"), CASES)
def test_every_role_and_relation_sees_exactly_its_groups(who, resource, offer, expected, key):
    assert visible_groups(who, resource, offer=offer) == expected
    if key is not None:
        assert GROUP_TABLE[key] == expected


def test_the_table_lists_every_relation_and_nothing_else():
    assert set(GROUP_TABLE) == {
        ("admin", "any"),
        ("advisor", "owner"),
        ("advisor", "shared"),
        ("advisor", "other"),
        ("coach", "mentor"),
        ("coach", "other"),
        ("employer", "released"),
        ("employer", "pseudonymised"),
        ("employer", "other"),
    }
    for (role, _relation), groups in GROUP_TABLE.items():
        if role == "employer":  # never residence, benefit, health or casework
            assert isinstance(groups, frozenset) and groups <= IDENTITY_AND_PROFILE
        if role == "coach":  # the casework they take part in, never residence/benefit/health
            assert isinstance(groups, frozenset) and groups <= IDENTITY_AND_PROFILE | {"casework"}


def test_a_share_opens_only_known_groups_and_a_placement_stands_for_its_candidate():
    odd = Resource(
        Label.PLACEMENT,
        "pl-1",
        organizations=frozenset({JOBCENTER}),
        shared_with=frozenset({AGENTUR}),
        shared_groups={AGENTUR: frozenset({"health", "everything"})},
    )
    assert visible_groups(SHARED_ADVISOR, odd) == frozenset({"health"})
    missing = Resource(Label.CANDIDATE, "p", shared_with=frozenset({AGENTUR}))
    assert visible_groups(SHARED_ADVISOR, missing) == NOTHING


# --- what each group holds ------------------------------------------------------------------


def test_every_candidate_property_is_declared_once():
    declared = [name for names in CANDIDATE_FIELDS.values() for name in names]
    assert len(declared) == len(set(declared))
    assert set(declared) | UNGROUPED == set(NODE_PROPERTIES[Label.CANDIDATE])
    assert set(CANDIDATE_FIELDS) <= set(FIELD_GROUPS)
    assert group_of_property("benefit_number") == "social_benefit"
    assert group_of_property("street") == "identity_contact"
    assert group_of_property("version") is None
    for rel in (Rel.LIVES_IN, Rel.HAS_SKILL, Rel.KNOWS_TOOL, Rel.SPEAKS):
        assert group_of_relationship(rel) == "matching_profile"
    assert group_of_relationship(Rel.REGISTERED_WITH) is None
    assert group_of_relationship("NOT_A_TYPE") is None


PROPS = {
    "id": AHMAD,
    "version": 3,
    "consent_profile_sharing": True,
    "name": "Ahmad Al-Khatib",
    "birth_year": 1994,
    "email": "a@example.org",
    "available_from": "2026-12-01",
    "nationality": "SY",
    "residence_until": "2028-05-31",
    "benefit": "SGB II",
    "benefit_number": "36102//0048213",
    "health_notes": "Rücken",
    "special_needs": "Dolmetscher",
    "smuggled": "never shown",
}


def test_redact_keeps_only_the_visible_groups_and_the_bookkeeping():
    assert redact(PROPS, []) == {"id": AHMAD, "version": 3, "consent_profile_sharing": True}
    profile = redact(PROPS, ["matching_profile"])
    assert profile["available_from"] == "2026-12-01"
    assert "name" not in profile and "nationality" not in profile
    coach = redact(PROPS, IDENTITY_AND_PROFILE)
    assert coach["name"] == "Ahmad Al-Khatib" and coach["email"] == "a@example.org"
    for hidden in ("nationality", "residence_until", "benefit", "benefit_number", "health_notes"):
        assert hidden not in coach
    everything = redact(PROPS, FIELD_GROUPS)
    assert everything == {k: v for k, v in PROPS.items() if k != "smuggled"}


# --- load_resource on both stores ------------------------------------------------------------


@pytest.fixture
def sample(store):
    import_world(store, SAMPLE)
    return store


def _share(store, groups, organization=AGENTUR):
    return share_candidate(
        store,
        AHMAD,
        organization,
        basis="consent",
        purpose="Vermittlung",
        until=dt.date(2027, 3, 31),
        by="u-a",
        groups=groups,
        today=TODAY,
    )


def test_load_resource_reads_the_groups_of_each_valid_share(sample):
    assert load_resource(sample, Label.CANDIDATE, AHMAD, today=TODAY).shared_groups == {}
    _share(sample, ["matching_profile", "residence"])
    _share(sample, ["health"], organization="o-drk-hs")
    resource = load_resource(sample, Label.CANDIDATE, AHMAD, today=TODAY)
    assert resource.shared_groups == {
        AGENTUR: frozenset({"matching_profile", "residence"}),
        "o-drk-hs": frozenset({"health"}),
    }
    assert visible_groups(SHARED_ADVISOR, resource) == frozenset({"matching_profile", "residence"})
    revoke_share(sample, AHMAD, AGENTUR, by="u-a", today=TODAY)
    later = load_resource(sample, Label.CANDIDATE, AHMAD, today=TODAY)
    assert AGENTUR not in later.shared_groups and visible_groups(SHARED_ADVISOR, later) == NOTHING
    expired = load_resource(sample, Label.CANDIDATE, AHMAD, today=dt.date(2027, 4, 1))
    assert expired.shared_groups == {}


def test_a_share_refuses_an_unknown_group(sample):
    with pytest.raises(InvalidInput, match="groups"):
        _share(sample, ["casework"])


def _ask(store, offer=OFFER):
    request, new = ask_for_contact(store, AHMAD, offer, company=RURTAL, requested_by="u-e")
    assert new
    return request


def test_load_resource_reads_released_offers_only_while_consented(sample):
    assert load_resource(sample, Label.CANDIDATE, AHMAD).released == frozenset()
    request = _ask(sample)
    other = _ask(sample, OTHER_OFFER)
    assert sample.get_node(Label.CONTACT_REQUEST, request.id).props["offer"] == OFFER
    assert load_resource(sample, Label.CANDIDATE, AHMAD).released == frozenset()

    record_consent(sample, request.id, given_on=TODAY, purpose="Vorstellungsgespräch", by="u-a")
    resource = load_resource(sample, Label.CANDIDATE, AHMAD)
    assert resource.released == frozenset({(RURTAL, OFFER)})
    assert visible_groups(EMPLOYER, resource, offer=OFFER) == IDENTITY_AND_PROFILE
    assert visible_groups(EMPLOYER, resource, offer=OTHER_OFFER) == PROFILE
    # a placement or contact request about the candidate carries the same facts
    assert load_resource(sample, Label.CONTACT_REQUEST, other.id).released == resource.released

    withdraw_consent(sample, request.id, on=TODAY, by="u-a")
    after = load_resource(sample, Label.CANDIDATE, AHMAD)
    assert after.released == frozenset()
    assert visible_groups(EMPLOYER, after, offer=OFFER) == PROFILE


def test_an_old_request_without_the_offer_property_is_read_through_for_offer(sample):
    sample.import_graph(
        GraphData(
            [
                NodeRecord(
                    Label.CONTACT_REQUEST,
                    "cr-old",
                    {"status": CONSENTED, "company": RURTAL, "requested_at": "2026-01-01"},
                )
            ],
            [
                RelRecord(
                    Rel.OF_CANDIDATE, Label.CONTACT_REQUEST, "cr-old", Label.CANDIDATE, AHMAD
                ),
                RelRecord(Rel.FOR_OFFER, Label.CONTACT_REQUEST, "cr-old", Label.OFFER, OFFER),
            ],
        )
    )
    assert load_resource(sample, Label.CANDIDATE, AHMAD).released == frozenset({(RURTAL, OFFER)})


# --- consent transitions ---------------------------------------------------------------------


def test_consent_is_recorded_and_withdrawn_with_every_field(sample):
    request = _ask(sample)
    consented = record_consent(
        sample,
        request.id,
        given_on="2026-11-20",
        purpose="  Kontakt für ein Vorstellungsgespräch ",
        by="u-a",
        today=TODAY,
        at="2026-11-25T10:00:00+00:00",
    )
    assert consented.status == CONSENTED and consented.released
    assert (consented.consent_given_on, consented.consent_purpose, consented.consent_by) == (
        "2026-11-20",
        "Kontakt für ein Vorstellungsgespräch",
        "u-a",
    )
    props = sample.get_node(Label.CONTACT_REQUEST, request.id).props
    assert props["consent_recorded_at"] == "2026-11-25T10:00:00+00:00"
    [listed] = contact_requests_of_candidate(sample, AHMAD)
    assert listed.offer == OFFER and listed.status == CONSENTED
    withdrawn = withdraw_consent(sample, request.id, on=TODAY, by="u-a", today=TODAY)
    assert withdrawn.status == WITHDRAWN and not withdrawn.released
    assert withdrawn.withdrawn_on == TODAY.isoformat()
    assert withdrawn.consent_given_on == "2026-11-20"  # the history stays
    # the relationships survive the merge imports
    assert {r.type for r in sample.relationships(Label.CONTACT_REQUEST, request.id)} == {
        Rel.OF_CANDIDATE,
        Rel.FOR_OFFER,
    }


def test_bad_consent_transitions_are_refused_and_nothing_is_written(sample):
    request = _ask(sample)
    before = sample.get_node(Label.CONTACT_REQUEST, request.id).props
    bad = [
        {"given_on": TODAY, "purpose": "   ", "by": "u-a"},
        {"given_on": TODAY + dt.timedelta(days=1), "purpose": "x", "by": "u-a"},
        {"given_on": "gestern", "purpose": "x", "by": "u-a"},
        {"given_on": TODAY, "purpose": "x" * 501, "by": "u-a"},
        {"given_on": TODAY, "purpose": "x", "by": ""},
    ]
    for args in bad:
        with pytest.raises(InvalidInput):
            record_consent(sample, request.id, today=TODAY, **args)
    assert sample.get_node(Label.CONTACT_REQUEST, request.id).props == before
    with pytest.raises(InvalidInput, match="consented"):
        withdraw_consent(sample, request.id, on=TODAY, by="u-a", today=TODAY)
    with pytest.raises(NotFound):
        record_consent(sample, "cr-nope", given_on=TODAY, purpose="x", by="u-a")

    record_consent(sample, request.id, given_on=TODAY, purpose="x", by="u-a", today=TODAY)
    with pytest.raises(InvalidInput, match="status"):  # not twice
        record_consent(sample, request.id, given_on=TODAY, purpose="x", by="u-a", today=TODAY)
    with pytest.raises(InvalidInput, match="before the consent"):
        withdraw_consent(sample, request.id, on=TODAY - dt.timedelta(days=3), by="u-a", today=TODAY)
    with pytest.raises(InvalidInput, match="future"):
        withdraw_consent(sample, request.id, on=TODAY + dt.timedelta(days=1), by="u", today=TODAY)
    withdraw_consent(sample, request.id, on=TODAY, by="u-a", today=TODAY)
    with pytest.raises(InvalidInput, match="status"):  # withdrawn is final for this request
        record_consent(sample, request.id, given_on=TODAY, purpose="x", by="u-a", today=TODAY)

    declined = _ask(sample, OTHER_OFFER)
    settle_contact_request(sample, declined.id, "declined")
    with pytest.raises(InvalidInput, match="declined"):
        record_consent(sample, declined.id, given_on=TODAY, purpose="x", by="u-a", today=TODAY)
