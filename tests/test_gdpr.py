"""GDPR rights on both stores (issue #6): the export holds everything about one candidate
and nothing about another; erasure removes the candidate and every node about them in
one go, leaves the others untouched and keeps a record without personal data that makes
every later write of the id fail (an older world file, a batch import, a save, a merge);
the retention review lists the inactive candidates and not the active ones."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from graph.audit import (
    ACTION_READ,
    ACTION_UPDATE,
    GROUP_IDENTITY_CONTACT,
    PURPOSE_CASEWORK,
    AuditEvent,
    utc_timestamp,
)
from graph.contact import add_note, ask_for_contact
from graph.erasure import ErasureRecord, erasure_key
from graph.errors import InvalidInput, NotFound
from graph.gdpr import erase_candidate, export_candidate, retention_review
from graph.model import Label, Rel
from graph.records import GraphData, NodeRecord, RelRecord
from graph.sharing import share_candidate
from graph.world import dumps_world, import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"
GONE = "p-ahmad-alkhatib"  # Jobcenter; placement, enrolment, coach Walid Saleh
GONE_NAME = "Ahmad Al-Khatib"
OTHER = "p-rahel-tesfay"
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)


def _event(candidate_id: str, action: str = ACTION_READ, at: dt.datetime = NOW) -> AuditEvent:
    return AuditEvent(
        at=utc_timestamp(at),
        user_id="u-advisor",
        organization="o-jobcenter-hs",
        role="advisor",
        action=action,
        label="Candidate",
        record_id=candidate_id,
        candidate_id=candidate_id,
        field_group=GROUP_IDENTITY_CONTACT,
        purpose=PURPOSE_CASEWORK,
    )


@pytest.fixture
def world(store):
    """The sample district, with a note, a contact request, a share and audit events
    about the candidate who will be erased (and some about another candidate)."""
    import_world(store, SAMPLE)
    at = NOW.isoformat()
    add_note(
        store, GONE, "Termin verschoben", author="u-coach", coach="co-walid-saleh", written_at=at
    )
    ask_for_contact(
        store,
        GONE,
        "of-staplerfahrer-rurtal",
        company="c-rurtal-logistik",
        requested_by="u-emp",
        requested_at=at,
    )
    share_candidate(
        store,
        GONE,
        "o-agentur-ac-dn",
        basis="consent",
        purpose="Vermittlung",
        until=dt.date(2026, 12, 31),
        by="u-advisor",
        today=NOW.date(),
        at=at,
    )
    store.append_audit([_event(GONE), _event(GONE, ACTION_UPDATE), _event(OTHER)])
    return store


@pytest.fixture
def about(world) -> dict[Label, str]:
    """The note and the contact request about the candidate who will be erased."""
    return {
        r.source_label: r.source_id
        for r in world.relationships(Label.CANDIDATE, GONE)
        if r.source_label in (Label.NOTE, Label.CONTACT_REQUEST)
    }


def _snapshot(store, candidate_id):
    node, rels = store.node_with_relationships(Label.CANDIDATE, candidate_id)
    return node, rels


# --- export ----------------------------------------------------------------------------------


def test_export_holds_everything_about_the_candidate(world, about):
    export = export_candidate(world, GONE)
    text = json.dumps(export, ensure_ascii=False)  # JSON-able as it is
    assert export["candidate"]["id"] == GONE
    assert export["candidate"]["properties"]["name"] == GONE_NAME
    assert export["consents"] == {"consent_contact": True, "consent_profile_sharing": True}
    rels = world.relationships(Label.CANDIDATE, GONE)
    assert len(export["relationships"]) == len(rels)
    assert {(r["type"], r["source"]["id"], r["target"]["id"]) for r in export["relationships"]} == {
        (str(r.type), r.source_id, r.target_id) for r in rels
    }
    assert {"MENTORS", "SHARED_WITH", "HAS_SKILL", "REGISTERED_WITH", "OF_CANDIDATE"} <= {
        r["type"] for r in export["relationships"]
    }
    records = {(r["label"], r["id"]) for r in export["records"]}
    assert records == {
        ("Placement", "pl-ahmad-praktikum"),
        ("Enrolment", "en-ahmad-stapler"),
        ("Note", about[Label.NOTE]),
        ("ContactRequest", about[Label.CONTACT_REQUEST]),
    }
    note = next(r for r in export["records"] if r["label"] == "Note")
    assert note["properties"]["text"] == "Termin verschoben"
    placement = next(r for r in export["records"] if r["label"] == "Placement")
    assert {(r["type"], r["target"]["id"]) for r in placement["relationships"]} == {
        ("OF_CANDIDATE", GONE),
        ("FOR_OFFER", "of-praktikum-lager-rurtal"),
    }
    assert [(s["organization"], s["basis"]) for s in export["shares"]] == [
        ("o-agentur-ac-dn", "consent")
    ]
    history = export["access_history"]
    assert sorted((e["action"], e["candidate_id"]) for e in history) == [
        (ACTION_READ, GONE),
        (ACTION_UPDATE, GONE),
    ]
    assert export["access_history_complete"] is True
    names = {(r["label"], r["id"]): r["name"] for r in export["referenced"]}
    assert names[("Coach", "co-walid-saleh")] == "Walid Saleh"
    assert names[("Town", "t-hueckelhoven")] == "Hückelhoven"
    # nothing about any other candidate
    for other in world.list_nodes(Label.CANDIDATE):
        if other.id != GONE:
            assert other.id not in text
            assert other.props["name"] not in text


def test_export_of_an_unknown_candidate_is_not_found(world):
    with pytest.raises(NotFound):
        export_candidate(world, "p-nobody")


# --- erasure ---------------------------------------------------------------------------------


def test_erase_removes_the_candidate_and_everything_about_them(world, about):
    before = world.counts()
    others = {
        c.id: _snapshot(world, c.id) for c in world.list_nodes(Label.CANDIDATE) if c.id != GONE
    }
    offer = world.offer_profile("of-praktikum-lager-rurtal")
    assert GONE in {row.id for row in world.candidate_fits(offer.requirements, 100)[0]}

    record = erase_candidate(world, GONE, by="u-advisor", reason="data_subject_request", at=NOW)

    after = world.counts()
    assert {
        label: before[label] - after[label] for label in Label if before[label] != after[label]
    } == {
        Label.CANDIDATE: 1,
        Label.PLACEMENT: 1,
        Label.ENROLMENT: 1,
        Label.NOTE: 1,
        Label.CONTACT_REQUEST: 1,
    }
    for label, node_id in (
        (Label.CANDIDATE, GONE),
        (Label.PLACEMENT, "pl-ahmad-praktikum"),
        (Label.ENROLMENT, "en-ahmad-stapler"),
        (Label.NOTE, about[Label.NOTE]),
        (Label.CONTACT_REQUEST, about[Label.CONTACT_REQUEST]),
    ):
        with pytest.raises(NotFound):
            world.get_node(label, node_id)
    with pytest.raises(NotFound):
        world.relationships(Label.CANDIDATE, GONE)
    for label, node_id in (
        (Label.COACH, "co-walid-saleh"),
        (Label.ORGANIZATION, "o-jobcenter-hs"),
        (Label.ORGANIZATION, "o-agentur-ac-dn"),
        (Label.OFFER, "of-praktikum-lager-rurtal"),
        (Label.OFFER, "of-staplerfahrer-rurtal"),
        (Label.COURSE, "k-staplerschein"),
    ):
        ends = {(r.source_id, r.target_id) for r in world.relationships(label, node_id)}
        assert not any(GONE in pair for pair in ends)
    # gone from lists, matching and search
    assert GONE not in {c.id for c in world.candidate_profiles()}
    assert world.candidates_by_id([GONE]) == []
    assert GONE not in {row.id for row in world.candidate_fits(offer.requirements, 100)[0]}
    assert world.find_items_by_text(Label.CANDIDATE, [GONE_NAME, GONE]) == {
        GONE_NAME: [],
        GONE: [],
    }
    assert world.search_items(Label.CANDIDATE, "Ahmad", "de") == []
    assert GONE not in dumps_world(world)
    # everyone else exactly as before
    assert {c.id: _snapshot(world, c.id) for c in world.list_nodes(Label.CANDIDATE)} == others
    # the record: a key, no name and no id; the audit log keeps its ids (by design)
    assert world.erased_ids([GONE, OTHER]) == {GONE}
    [stored] = world.erasures()
    assert (
        stored
        == record
        == ErasureRecord(erasure_key(GONE), utc_timestamp(NOW), "u-advisor", "data_subject_request")
    )
    assert all(GONE not in v and "Ahmad" not in v for v in stored.to_props().values())
    assert len(world.audit_events(candidate_id=GONE)) == 2


def test_a_refused_erasure_changes_nothing(world):
    before = world.counts()
    with pytest.raises(NotFound):
        erase_candidate(world, "p-nobody", by="u-advisor", reason="data_subject_request")
    with pytest.raises(InvalidInput, match="reason"):
        erase_candidate(world, GONE, by="u-advisor", reason="because")
    with pytest.raises(InvalidInput, match="erased_by"):
        erase_candidate(world, GONE, by="Anna Berger", reason="objection")
    wrong = ErasureRecord(erasure_key(OTHER), utc_timestamp(NOW), "u-advisor", "objection")
    with pytest.raises(InvalidInput, match="not the key of this candidate"):
        world.erase_candidate(GONE, wrong)
    assert world.counts() == before
    assert world.erasures() == [] and world.erased_ids([GONE]) == set()


def test_an_older_export_cannot_bring_the_candidate_back(world, tmp_path):
    old_file = tmp_path / "old.json"
    old_file.write_text(dumps_world(world), encoding="utf-8")
    old_graph = world.export_graph()
    erase_candidate(world, GONE, by="u-advisor", reason="data_subject_request")
    before = world.counts()
    world_before = dumps_world(world)

    with pytest.raises(InvalidInput) as refused:
        import_world(world, old_file)
    assert "nothing was written" in str(refused.value)
    assert refused.value.problems == [
        f"candidate {GONE!r}: was erased; remove this candidate and every record about them "
        "(placements, enrolments, mentees, shares) from the file, then import again"
    ]
    assert world.counts() == before and dumps_world(world) == world_before

    # batches: the first (harmless) batch is rolled back with the refused one
    town = NodeRecord(Label.TOWN, "t-neu", {"name": "Neudorf", "lat": 51.0, "lon": 6.0})
    candidate = next(n for n in old_graph.nodes if (n.label, n.id) == (Label.CANDIDATE, GONE))
    with pytest.raises(InvalidInput, match="erased"):
        world.import_batches(iter([GraphData([town]), GraphData([candidate])]))
    assert world.existing_ids(Label.TOWN, ["t-neu"]) == set()
    # a relationship to the id is refused as well (a placement, a coach's mentee)
    placement = NodeRecord(Label.PLACEMENT, "pl-neu", {"status": "proposed"})
    link = RelRecord(Rel.OF_CANDIDATE, Label.PLACEMENT, "pl-neu", Label.CANDIDATE, GONE)
    with pytest.raises(InvalidInput, match="erased"):
        world.import_graph(GraphData([placement], [link]))
    with pytest.raises(InvalidInput, match="erased"):
        world.import_graph(GraphData([NodeRecord(Label.CANDIDATE, GONE)]), merge=True)
    with pytest.raises(InvalidInput, match="erased"):
        world.save_entity_if_version(
            Label.CANDIDATE, GONE, 0, GraphData([replace(candidate, props={"name": "x"})])
        )
    assert world.counts() == before and dumps_world(world) == world_before

    # the old file without the erased person imports as usual
    data = json.loads(old_file.read_text(encoding="utf-8"))
    data["candidates"] = [c for c in data["candidates"] if c["id"] != GONE]
    for section in ("placements", "enrolments"):
        data[section] = [e for e in data[section] if e["candidate"] != GONE]
    for coach in data["coaches"]:
        coach["mentees"] = [
            m
            for m in coach.get("mentees", [])
            if (m if isinstance(m, str) else m["candidate"]) != GONE
        ]
    old_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    import_world(world, old_file)
    assert world.erased_ids([GONE]) == {GONE}
    assert world.existing_ids(Label.CANDIDATE, [GONE, OTHER]) == {OTHER}


def test_another_process_no_longer_sees_the_candidate(world, store_kind):
    if store_kind != "embedded":
        pytest.skip("Neo4j keeps no copy in the process; the server answers every read")
    from graph.stores.embedded import EmbeddedStore

    with EmbeddedStore(world.data_dir) as other:
        assert other.get_node(Label.CANDIDATE, GONE).props["name"] == GONE_NAME  # mirrored
        assert GONE in {c.id for c in other.candidate_profiles()}
        erase_candidate(world, GONE, by="u-advisor", reason="data_subject_request")
        with pytest.raises(NotFound):
            other.get_node(Label.CANDIDATE, GONE)
        with pytest.raises(NotFound):
            other.get_node(Label.PLACEMENT, "pl-ahmad-praktikum")
        assert GONE not in {c.id for c in other.candidate_profiles()}
        assert other.find_items_by_text(Label.CANDIDATE, [GONE_NAME]) == {GONE_NAME: []}
        assert other.erased_ids([GONE]) == {GONE}
        assert other.counts() == world.counts()
        # no trace of the id in the change log that processes replay
        rows = other._conn.execute("SELECT count(*) FROM changes WHERE id = ?", (GONE,))
        assert rows.fetchone()[0] == 0


def test_clear_removes_the_erasure_records(world):
    erase_candidate(world, GONE, by="u-advisor", reason="objection")
    world.clear()
    assert world.erasures() == [] and world.erased_ids([GONE]) == set()


# --- retention -------------------------------------------------------------------------------


def test_retention_lists_the_inactive_and_not_the_active(world):
    today = dt.date(2027, 6, 1)
    listed = {i.candidate_id: i for i in retention_review(world, inactive_days=180, today=today)}
    # Mustafa: hired 2026-10-01, nothing since → 243 days
    assert listed["p-mustafa-yildiz"].last_activity == dt.date(2026, 10, 1)
    assert listed["p-mustafa-yildiz"].source == "placement"
    assert listed["p-mustafa-yildiz"].days == 243
    assert listed["p-mustafa-yildiz"].organizations == ("o-jobcenter-hs",)
    # no dated activity at all: listed, first
    first = next(iter(listed.values()))
    assert first.last_activity is None and first.days is None
    # Ahmad: enrolled in a course starting 2027-01-18 → 134 days: not yet due
    assert GONE not in listed
    # Olena: enrolled in a course starting 2027-01-11 → 141 days: not yet due
    assert "p-olena-kovalenko" not in listed

    # a read does not keep a record alive; a write in the period does
    world.append_audit(
        [
            _event("p-mustafa-yildiz", ACTION_READ, dt.datetime(2027, 5, 1, tzinfo=dt.UTC)),
            _event("p-alex-schmitz", ACTION_UPDATE, dt.datetime(2027, 5, 1, tzinfo=dt.UTC)),
        ]
    )
    again = {i.candidate_id: i for i in retention_review(world, inactive_days=180, today=today)}
    assert "p-mustafa-yildiz" in again and "p-alex-schmitz" not in again
    # an old write is reported as the last activity when it is the latest date
    world.append_audit(
        [_event("p-mustafa-yildiz", ACTION_UPDATE, dt.datetime(2026, 11, 3, tzinfo=dt.UTC))]
    )
    mustafa = next(
        i
        for i in retention_review(world, inactive_days=180, today=today)
        if i.candidate_id == "p-mustafa-yildiz"
    )
    assert (mustafa.last_activity, mustafa.source) == (dt.date(2026, 11, 3), "audit")
    with pytest.raises(InvalidInput):
        retention_review(world, inactive_days=0, today=today)


@pytest.mark.parametrize(
    "payload",
    ["'}) MATCH (n) DETACH DELETE n //", "x` RETURN 1 //", "$id", "' UNION CALL db.labels() //"],
)
def test_hostile_ids_are_only_values(world, payload):
    before = world.counts()
    with pytest.raises(NotFound):
        erase_candidate(world, payload, by="u-advisor", reason="objection")
    with pytest.raises(NotFound):
        export_candidate(world, payload)
    assert world.erased_ids([payload]) == set()
    assert world.counts() == before and world.erasures() == []
