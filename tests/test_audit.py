"""The audit trail on both stores: events are appended and found by candidate, user, time
and action, newest first; only ids and codes are accepted; nothing can change or delete
an event; and the log stays out of the world (export, counts) and survives erasing the
candidate it is about."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace

import pytest

from graph.audit import (
    ACTION_READ,
    ACTION_UPDATE,
    GROUP_CASEWORK,
    GROUP_IDENTITY_CONTACT,
    GROUP_MATCHING_PROFILE,
    PURPOSE_CASEWORK,
    PURPOSE_EMPLOYER_VIEW,
    AuditEvent,
    check_event,
    utc_timestamp,
)
from graph.errors import InvalidInput
from graph.model import Label
from graph.records import GraphData, NodeRecord
from graph.store import GraphStore
from graph.stores.embedded import EmbeddedStore

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def event(minutes: int = 0, **changes: str) -> AuditEvent:
    base = AuditEvent(
        at=utc_timestamp(T0 + dt.timedelta(minutes=minutes)),
        user_id="u-advisor",
        organization="o-jobcenter-hs",
        role="advisor",
        action=ACTION_READ,
        label="Candidate",
        record_id="p-1",
        candidate_id="p-1",
        field_group=GROUP_IDENTITY_CONTACT,
        purpose=PURPOSE_CASEWORK,
    )
    return replace(base, **changes)


def test_utc_timestamp_is_one_fixed_width_format():
    assert utc_timestamp(T0) == "2026-03-01T09:00:00.000000Z"
    berlin = dt.timezone(dt.timedelta(hours=1))
    assert utc_timestamp(dt.datetime(2026, 3, 1, 10, 0, tzinfo=berlin)) == utc_timestamp(T0)
    assert utc_timestamp("2026-03-01") == "2026-03-01T00:00:00.000000Z"
    assert utc_timestamp("2026-03-01T10:00:00+01:00") == utc_timestamp(T0)
    with pytest.raises(InvalidInput):
        utc_timestamp("gestern")


def test_append_and_read_back_every_field(store: GraphStore):
    one = event()
    store.append_audit([one])
    assert store.audit_events() == [one]


def test_newest_first_and_limit(store: GraphStore):
    events = [event(minutes=m, record_id=f"p-{m}", candidate_id=f"p-{m}") for m in range(5)]
    store.append_audit(events[:2])
    store.append_audit(events[2:])
    assert store.audit_events() == events[::-1]
    assert store.audit_events(limit=2) == [events[4], events[3]]
    assert store.audit_events(limit=0) == []


def test_same_time_keeps_the_later_appended_first(store: GraphStore):
    first = event(field_group=GROUP_IDENTITY_CONTACT)
    second = event(field_group=GROUP_MATCHING_PROFILE)
    store.append_audit([first, second])
    assert store.audit_events() == [second, first]


def test_filters_combine(store: GraphStore):
    a = event(0)
    b = event(10, candidate_id="p-2", record_id="p-2")
    c = event(20, user_id="u-coach", role="coach", organization="", field_group=GROUP_CASEWORK)
    d = event(30, action=ACTION_UPDATE)
    e = event(
        40,
        role="employer",
        organization="c-1",
        user_id="u-emp",
        field_group=GROUP_MATCHING_PROFILE,
        purpose=PURPOSE_EMPLOYER_VIEW,
    )
    store.append_audit([a, b, c, d, e])
    assert store.audit_events(candidate_id="p-1") == [e, d, c, a]
    assert store.audit_events(candidate_id="p-2") == [b]
    assert store.audit_events(user_id="u-coach") == [c]
    assert store.audit_events(action=ACTION_UPDATE) == [d]
    assert store.audit_events(candidate_id="p-1", action=ACTION_READ) == [e, c, a]
    # since inclusive, until exclusive; dates, datetimes and ISO strings all work
    assert store.audit_events(since=T0 + dt.timedelta(minutes=10)) == [e, d, c, b]
    assert store.audit_events(until=T0 + dt.timedelta(minutes=10)) == [a]
    assert store.audit_events(
        since="2026-03-01T09:15:00Z", until=utc_timestamp(T0 + dt.timedelta(minutes=30))
    ) == [c]
    assert store.audit_events(since=dt.date(2026, 3, 2)) == []
    assert store.audit_events(until=dt.date(2026, 3, 2)) == [e, d, c, b, a]
    assert store.audit_events(candidate_id="p-unknown") == []
    # empty strings mean "no filter" (what an empty search form sends)
    assert len(store.audit_events(candidate_id="", user_id="", action="")) == 5


@pytest.mark.parametrize(
    "changes",
    [
        {"user_id": "Rahel Tesfay"},
        {"user_id": "rahel@example.org"},
        {"candidate_id": "Rahel Tesfay"},
        {"record_id": "x" * 201},
        {"record_id": ""},
        {"organization": "Jobcenter Heinsberg"},
        {"role": "Beraterin Anna"},
        {"label": "Candidate name"},
        {"action": "peek"},
        {"field_group": "everything"},
        {"purpose": "curiosity about Rahel"},
        {"at": "2026-03-01 09:00"},
    ],
)
def test_only_ids_and_codes_are_accepted_and_nothing_is_written(store: GraphStore, changes):
    good = event()
    bad = replace(event(1), **changes)
    with pytest.raises(InvalidInput) as refused:
        store.append_audit([good, bad])
    field = next(iter(changes))
    assert any(p.startswith(f"{field}:") for p in refused.value.problems)
    assert changes[field] not in str(refused.value) or len(changes[field]) < 5
    assert store.audit_events() == []


def test_empty_organisation_is_allowed_for_roles_without_one():
    check_event(event(role="admin", organization="", purpose="administration"))


def test_no_public_method_changes_or_deletes_an_event():
    names = {name for name in dir(GraphStore) if not name.startswith("_")}
    audit_names = {name for name in names if "audit" in name}
    assert audit_names == {"append_audit", "audit_events"}


def test_audit_log_is_not_part_of_the_world(store: GraphStore):
    store.import_graph(
        GraphData(
            [NodeRecord(Label.TOWN, "t-1", {"name": "Erkelenz", "lat": 51.08, "lon": 6.31})], []
        )
    )
    store.append_audit([event(), event(1)])
    exported = store.export_graph()
    assert [(n.label, n.id) for n in exported.nodes] == [(Label.TOWN, "t-1")]
    assert sum(store.counts().values()) == 1
    assert "AuditEvent" not in {str(label) for label in Label}


def test_events_are_not_tied_to_the_candidate_node(store: GraphStore):
    """Erasing a candidate removes its node and relationships; the log holds ids only and
    hangs on nothing, so it stays (and shows no name)."""
    store.import_graph(
        GraphData([NodeRecord(Label.CANDIDATE, "p-1", {"name": "Rahel Tesfay"})], [])
    )
    store.append_audit([event()])
    assert store.relationships(Label.CANDIDATE, "p-1") == []
    assert store.audit_events(candidate_id="p-1") == [event()]
    assert "Rahel" not in repr(store.audit_events())


def test_clear_empties_the_log_and_it_works_afterwards(store: GraphStore):
    store.append_audit([event()])
    store.clear()
    store.init_schema()
    assert store.audit_events() == []
    store.append_audit([event(5)])
    assert store.audit_events() == [event(5)]


def test_init_schema_keeps_the_log(store: GraphStore):
    store.append_audit([event()])
    store.init_schema()
    assert store.audit_events() == [event()]


def test_embedded_refuses_raw_update_and_delete(tmp_path):
    store = EmbeddedStore(tmp_path / "data")
    try:
        store.append_audit([event()])
    finally:
        store.close()
    conn = sqlite3.connect(tmp_path / "data" / "wegweiser.sqlite3")
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit SET user_id = 'someone-else'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit")
        assert conn.execute("SELECT user_id FROM audit").fetchall() == [("u-advisor",)]
    finally:
        conn.close()


# --- group commit ----------------------------------------------------------------------------


def test_group_commit_writes_every_concurrent_request_and_batches_them(store):
    """Forty threads write at once: every event lands exactly once, and fewer commits
    than requests were needed (requests that arrive during a commit share the next)."""
    import threading
    import time

    from graph.audit_writer import AuditGroupCommit

    commits = []
    real = store.append_audit

    def counted(events):
        commits.append(len(events))
        time.sleep(0.02)  # a commit that takes a while, as on a busy server
        real(events)

    store.append_audit = counted
    writer = AuditGroupCommit(store)
    start = threading.Barrier(40)

    def request(i: int) -> None:
        start.wait()
        writer.write([event(i, record_id=f"p-{i}", candidate_id=f"p-{i}")])

    threads = [threading.Thread(target=request, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written = store.audit_events(limit=100)
    assert sorted(e.record_id for e in written) == sorted(f"p-{i}" for i in range(40))
    assert sum(commits) == 40 and len(commits) < 40


def test_group_commit_hands_a_failed_commit_to_every_waiting_request(store):
    from graph.audit_writer import AuditGroupCommit

    def broken(events):
        raise OSError("disk full")

    store.append_audit = broken
    writer = AuditGroupCommit(store)
    with pytest.raises(OSError, match="disk full"):
        writer.write([event()])
    writer.write([])  # nothing to write: no call at all
