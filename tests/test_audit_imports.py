"""Imports are in the audit trail: which candidates a world file or a list wrote, by whom
(issue #6, "every write of a candidate's data") — and a failed import logs nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from graph.audit_imports import AuditedImport
from graph.errors import InvalidInput
from graph.world import import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"


def test_a_finished_import_logs_each_candidate_and_its_field_groups(store):
    audited = AuditedImport(store, user_id="u-admin", organization="", role="admin")
    import_world(audited, SAMPLE)
    assert store.audit_events() == []  # nothing before the import is known to be done
    written = audited.write_audit()
    world = json.loads(SAMPLE.read_text(encoding="utf-8"))
    ids = {c["id"] for c in world["candidates"]}
    events = store.audit_events(limit=10_000)
    assert written == len(events) and {e.candidate_id for e in events} == ids
    assert {(e.action, e.user_id, e.role, e.purpose) for e in events} == {
        ("import", "u-admin", "admin", "administration")
    }
    with_residence = {c["id"] for c in world["candidates"] if c.get("residence_status")}
    assert with_residence and with_residence <= {
        e.candidate_id for e in events if e.field_group == "residence"
    }
    names = {c["name"] for c in world["candidates"]}
    assert not any(name in repr(e) for e in events for name in names)  # ids, never names


def test_a_failed_import_logs_nothing(store, tmp_path):
    broken = tmp_path / "broken.json"
    world = json.loads(SAMPLE.read_text(encoding="utf-8"))
    world["candidates"][-1]["town"] = "t-nowhere"
    broken.write_text(json.dumps(world), encoding="utf-8")
    audited = AuditedImport(store, user_id="u-admin", organization="", role="admin")
    with pytest.raises(InvalidInput):
        import_world(audited, broken)
    assert audited.written == {}  # nothing was written, so nothing is noted
    assert store.audit_events() == []


def test_the_admin_pages_import_is_logged_with_the_admin(tmp_path):
    from graph.stores import StoreSettings
    from tests.test_web_admin import make_app, post_form, wait_for_job
    from tests.test_web_auth import USERS, login

    app = make_app(StoreSettings(data_dir=tmp_path / "data"))
    try:
        store = app.extensions["wegweiser.store"]
        client = app.test_client()
        assert login(client, USERS["admin"].email).status_code == 302
        before = len(store.audit_events(limit=10_000))
        response = post_form(
            client,
            "/admin/imports/world",
            {"file": (io.BytesIO(SAMPLE.read_bytes()), "sample.json")},
            page="/admin/imports",
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
        wait_for_job(client, response.headers["Location"])
        imported = [e for e in store.audit_events(limit=10_000) if e.action == "import"]
        assert len(store.audit_events(limit=10_000)) > before
        assert imported and {e.user_id for e in imported} == {USERS["admin"].id}
    finally:
        app.extensions["wegweiser.store"].close()


def test_the_command_line_import_is_logged_with_the_operator(tmp_path):
    from graph.stores import StoreSettings, open_store
    from tests.test_cli import env_for, wegweiser

    settings = StoreSettings(data_dir=tmp_path / "data")
    result = wegweiser("import", "world", str(SAMPLE), env=env_for(settings))
    assert result.returncode == 0, result.stderr
    with open_store(settings) as store:
        events = store.audit_events(limit=10_000)
    assert events and all(e.user_id.startswith("cli-") and e.action == "import" for e in events)
