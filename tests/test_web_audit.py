"""The audit trail through the web app (embedded store, sample world): pages that show a
candidate's data log a read with who, what and why and no name; writes log what they
changed; a 404 logs nothing; admins search the log; the owning organisation's advisors
see the candidate's "who saw my data" report, nobody else does."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from graph.audit import AuditEvent, utc_timestamp
from graph.store import User
from tests import test_web_auth
from tests.test_web_auth import PASSWORD, USERS, csrf_token, login
from web.passwords import Passwords

app = test_web_auth.app
client = test_web_auth.client
store = test_web_auth.store

ADVISOR = USERS["advisor"]  # Jobcenter Heinsberg
OWN = "p-rahel-tesfay"  # registered with the Jobcenter Heinsberg
OWN_NAME = "Rahel Tesfay"
FOREIGN = "p-olena-kovalenko"  # Agentur für Arbeit
AGENTUR = User(
    id="u-agentur",
    email="advisor@agentur.example",
    role="advisor",
    organization="o-agentur-ac-dn",
)


@pytest.fixture
def advisor(client, store):
    assert login(client, ADVISOR.email).status_code == 302
    return client


def fields_of(event: AuditEvent) -> set[str]:
    return set(event.to_props().values())


def test_viewing_a_candidate_logs_a_read_with_who_what_and_why(advisor, store):
    assert store.audit_events() == []
    response = advisor.get(f"/advisor/candidates/{OWN}")
    assert response.status_code == 200
    assert OWN_NAME in response.get_data(as_text=True)
    events = store.audit_events(candidate_id=OWN)
    assert {e.field_group for e in events} == {"identity_contact", "matching_profile"}
    for e in events:
        assert (e.user_id, e.organization, e.role) == ("u-advisor", "o-jobcenter-hs", "advisor")
        assert (e.action, e.label, e.record_id, e.purpose) == ("read", "Candidate", OWN, "casework")
        assert e.at.endswith("Z")
        text = " ".join(fields_of(e))
        assert "Rahel" not in text and "Tesfay" not in text and "@" not in text
        assert ADVISOR.display_name not in text
    # one event per field group per request, however often the page resolved the candidate
    assert len(events) == 2


def test_a_404_logs_nothing(advisor, store):
    assert advisor.get(f"/advisor/candidates/{FOREIGN}").status_code == 404
    assert advisor.get("/advisor/candidates/p-does-not-exist").status_code == 404
    # the candidate is resolved, then the offer is unknown: the page shows nothing
    assert advisor.get(f"/advisor/candidates/{OWN}/offers/of-nope/gap").status_code == 404
    assert store.audit_events() == []


def test_editing_logs_an_update_of_the_changed_group(advisor, store):
    from tests.test_web_advisor_casework import _form_fields

    path = f"/advisor/candidates/{OWN}/edit"
    form = _form_fields(advisor.get(path).get_data(as_text=True))
    reads = store.audit_events(candidate_id=OWN, action="read")
    assert {e.field_group for e in reads} == {"identity_contact", "matching_profile"}
    form["available_from"] = "2027-02-01"
    response = advisor.post(path, data=form)
    assert response.status_code == 302
    [update] = store.audit_events(candidate_id=OWN, action="update")
    assert (update.label, update.record_id, update.field_group, update.purpose) == (
        "Candidate",
        OWN,
        "matching_profile",
        "casework",
    )
    assert (update.user_id, update.role) == ("u-advisor", "advisor")


def test_a_refused_edit_logs_no_update(advisor, store):
    path = f"/advisor/candidates/{OWN}/edit"
    form = {"csrf_token": csrf_token(advisor, path), "name": "", "version": "0"}
    assert advisor.post(path, data=form).status_code >= 400
    assert store.audit_events(action="update") == []


def test_proposing_logs_the_new_placement(advisor, store):
    offer = "of-produktion-feinkost"
    token = csrf_token(advisor, f"/advisor/candidates/{OWN}/offers/{offer}/gap")
    before = store.audit_events(action="create")
    response = advisor.post(
        f"/advisor/candidates/{OWN}/propose", data={"offer": offer, "csrf_token": token}
    )
    assert response.status_code == 302
    [created] = [e for e in store.audit_events(action="create") if e not in before]
    assert (created.label, created.candidate_id, created.field_group) == (
        "Placement",
        OWN,
        "casework",
    )
    assert created.record_id != OWN and created.record_id.strip() == created.record_id
    # the POST itself logged no read: the write is what it did
    assert not [e for e in store.audit_events(action="read") if e.at >= created.at]


def test_a_coachs_note_logs_its_creation_not_its_text(client, store):
    login(client, USERS["coach"].email)
    mentee = "p-ahmad-alkhatib"
    token = csrf_token(client, f"/coach/mentees/{mentee}")
    response = client.post(
        f"/coach/mentees/{mentee}", data={"csrf_token": token, "text": "Erstes Treffen gut"}
    )
    assert response.status_code == 302
    [note] = store.audit_events(action="create")
    assert (note.label, note.candidate_id, note.purpose, note.role) == (
        "Note",
        mentee,
        "coaching",
        "coach",
    )
    assert "Treffen" not in " ".join(fields_of(note))


def test_an_employers_contact_request_is_logged(client, store, app):
    from web.employer import candidate_pseudonym

    login(client, USERS["employer"].email)
    with app.test_request_context():
        code = candidate_pseudonym("c-rurtal-logistik", "p-alex-schmitz")
    token = csrf_token(client, "/employer/")
    response = client.post(
        "/employer/offers/of-kommissionierer-rurtal/contact",
        data={"csrf_token": token, "pseudonym": code},
    )
    assert response.status_code == 302
    [asked] = store.audit_events(action="create")
    assert (asked.label, asked.candidate_id, asked.purpose, asked.organization) == (
        "ContactRequest",
        "p-alex-schmitz",
        "employer_view",
        "c-rurtal-logistik",
    )


def test_an_employers_pseudonymised_view_logs_employer_view(client, store):
    login(client, USERS["employer"].email)
    response = client.get("/employer/offers/of-staplerfahrer-rurtal/candidates")
    assert response.status_code == 200
    events = store.audit_events(user_id="u-employer")
    assert events, "the fits were logged"
    assert {(e.action, e.field_group, e.purpose, e.role, e.organization) for e in events} == {
        ("read", "matching_profile", "employer_view", "employer", "c-rurtal-logistik")
    }
    seen = {e.candidate_id for e in events}
    assert "p-alex-schmitz" in seen  # consented and fits
    assert "p-sandra-jansen" not in seen  # no consent: never shown, never logged


def test_a_coachs_view_of_a_mentee_logs_coaching(client, store):
    login(client, USERS["coach"].email)
    mentees = re.findall(r'href="/coach/mentees/([^"]+)"', client.get("/coach/").get_data(True))
    assert mentees
    assert client.get(f"/coach/mentees/{mentees[0]}").status_code == 200
    events = store.audit_events(user_id="u-coach")
    assert {(e.purpose, e.role, e.organization) for e in events} == {("coaching", "coach", "")}
    # the list showed every mentee's name; the page showed one mentee's profile as well
    listed = {e.candidate_id for e in events if e.field_group == "identity_contact"}
    assert listed == set(mentees)
    opened = {e.candidate_id for e in events if e.field_group == "matching_profile"}
    assert opened == {mentees[0]}


def test_the_api_logs_candidate_reads_too(advisor, store):
    response = advisor.get(f"/api/v1/candidates/{OWN}")
    assert response.status_code == 200
    assert {e.field_group for e in store.audit_events(candidate_id=OWN)} == {
        "identity_contact",
        "matching_profile",
    }
    assert advisor.get(f"/api/v1/candidates/{FOREIGN}").status_code == 404
    assert store.audit_events(candidate_id=FOREIGN) == []


# --- the admin search ---------------------------------------------------------------------


def seed(store) -> None:
    def event(minute: int, **changes: str) -> AuditEvent:
        base = AuditEvent(
            at=utc_timestamp(f"2026-03-0{1 + minute // 60}T09:{minute % 60:02d}:00Z"),
            user_id="u-advisor",
            organization="o-jobcenter-hs",
            role="advisor",
            action="read",
            label="Candidate",
            record_id=OWN,
            candidate_id=OWN,
            field_group="identity_contact",
            purpose="casework",
        )
        return replace(base, **changes)

    store.append_audit(
        [
            event(0),
            event(1, action="update", field_group="matching_profile"),
            event(
                2,
                candidate_id=FOREIGN,
                record_id=FOREIGN,
                user_id="u-agentur",
                organization="o-agentur-ac-dn",
            ),
            event(
                61,
                user_id="u-employer",
                role="employer",
                organization="c-rurtal-logistik",
                field_group="matching_profile",
                purpose="employer_view",
            ),
        ]
    )


def rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row for row in re.findall(r"<tr>(.*?)</tr>", body, re.S) if "<time" in row]


def test_admin_search_filters(client, store):
    seed(store)
    login(client, USERS["admin"].email)
    everything = client.get("/admin/audit")
    assert everything.status_code == 200
    assert len(rows(everything.get_data(as_text=True))) == 4
    by_candidate = rows(client.get(f"/admin/audit?candidate={FOREIGN}").get_data(as_text=True))
    assert len(by_candidate) == 1 and "u-agentur" in by_candidate[0]
    by_user = rows(client.get("/admin/audit?user=u-employer").get_data(as_text=True))
    assert len(by_user) == 1 and "Ansicht für Arbeitgeber" in by_user[0]
    by_action = rows(client.get("/admin/audit?action=update").get_data(as_text=True))
    assert len(by_action) == 1 and "geändert" in by_action[0]
    first_day = rows(
        client.get("/admin/audit?since=2026-03-01&until=2026-03-01").get_data(as_text=True)
    )
    assert len(first_day) == 3
    second_day = rows(client.get("/admin/audit?since=2026-03-02").get_data(as_text=True))
    assert len(second_day) == 1 and "u-employer" in second_day[0]
    newest_first = rows(everything.get_data(as_text=True))
    assert "2026-03-02" in newest_first[0] and "09:00:00" in newest_first[-1]


def test_admin_search_names_bad_filters(client, store):
    seed(store)
    login(client, USERS["admin"].email)
    response = client.get("/admin/audit?since=gestern&action=peek")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "gestern" in text and "kein Datum" in text and "Aktion" in text
    assert "<tbody>" not in text  # nothing searched


def test_admin_search_pages(client, store, monkeypatch):
    from web.admin import audit as admin_audit

    seed(store)
    monkeypatch.setattr(admin_audit, "PAGE_SIZE", 3)
    login(client, USERS["admin"].email)
    first = client.get("/admin/audit").get_data(as_text=True)
    assert len(rows(first)) == 3 and "Ältere Einträge" in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert len(rows(second)) == 1 and "Neuere Einträge" in second
    assert "Ältere Einträge" not in second


@pytest.mark.parametrize("role", ["advisor", "employer", "coach"])
def test_only_admins_open_the_search(client, role):
    login(client, USERS[role].email)
    assert client.get("/admin/audit").status_code == 403


# --- the candidate's report ---------------------------------------------------------------


def test_access_report_lists_who_saw_what_without_names(advisor, store):
    seed(store)
    response = advisor.get(f"/advisor/candidates/{OWN}/access-report")
    assert response.status_code == 200
    text = response.get_data(as_text=True).split("<h1>", 1)[1]  # the report, not the header
    assert "Wer hat meine Daten gesehen?" in text
    assert "Jobcenter" in text and "Rurtal" in text  # organisation and company by name
    assert "Ansicht für Arbeitgeber" in text and "Vermittlungsprofil" in text
    assert "u-advisor" not in text and "u-employer" not in text  # role + organisation only
    assert ADVISOR.display_name not in text
    assert "u-agentur" not in text  # an event about another candidate
    details = text.split("Alle Zugriffe, neueste zuerst", 1)[1]
    assert len(rows(details)) == 3  # the seeded events about this candidate
    # opening the report is itself a read, logged after the response
    assert len(store.audit_events(candidate_id=OWN)) == 5


def test_access_report_is_404_for_other_organisations(client, store):
    store.save_user(replace(AGENTUR, password_hash=Passwords("cheap").hash(PASSWORD)))
    login(client, AGENTUR.email)
    assert client.get(f"/advisor/candidates/{OWN}/access-report").status_code == 404
    assert client.get("/advisor/candidates/p-nobody/access-report").status_code == 404
    assert store.audit_events() == []


def test_access_report_needs_the_advisor_role(client):
    login(client, USERS["employer"].email)
    assert client.get(f"/advisor/candidates/{OWN}/access-report").status_code == 403


def test_the_data_protection_officer_reads_the_log_and_nothing_else(tmp_path):
    """The ``dpo`` role: the audit search and the retention review; every other admin page,
    every candidate page and the API answer 403 (or 404 for a candidate)."""
    from dataclasses import replace as _replace

    from graph.store import User
    from graph.stores import StoreSettings
    from tests.test_web_admin import make_app
    from tests.test_web_auth import PASSWORD, login
    from web.passwords import Passwords

    app = make_app(StoreSettings(data_dir=tmp_path / "data"))
    try:
        store = app.extensions["wegweiser.store"]
        dpo = User(id="u-dpo", email="dsb@kreis.example", role="dpo", display_name="DSB")
        store.save_user(_replace(dpo, password_hash=Passwords("cheap").hash(PASSWORD)))
        client = app.test_client()
        response = login(client, dpo.email)
        assert response.status_code == 302 and response.headers["Location"].endswith("/admin/audit")
        assert client.get("/admin/audit").status_code == 200
        assert client.get("/admin/retention").status_code == 200
        for path in ("/admin/", "/admin/users", "/admin/imports", "/admin/organisations"):
            assert client.get(path).status_code == 403, path
        for path in ("/advisor/", "/advisor/candidates/p-rahel-tesfay", "/coach/", "/employer/"):
            assert client.get(path).status_code in (403, 404), path
        assert client.get("/api/v1/candidates").status_code in (403, 404)
    finally:
        app.extensions["wegweiser.store"].close()


def test_a_page_whose_audit_record_cannot_be_written_is_not_served(advisor, store):
    def broken(events):
        raise OSError("audit trail unavailable")

    store.append_audit = broken
    try:
        response = advisor.get(f"/advisor/candidates/{OWN}")
    except OSError:  # the test app propagates the error instead of rendering a 500
        response = None
    assert response is None or response.status_code == 500
    if response is not None:
        assert OWN_NAME not in response.get_data(as_text=True)
