"""GDPR pages through Flask's test client on the embedded store with the sample world:
the export (JSON download and a printable page) and the erasure only for the candidate's
own organisation and admins (404 for another organisation, also with a share; the
employer and coach areas are closed to those roles); erasure needs the CSRF token and
the typed id, and afterwards the candidate is gone from every page, list and the
employer's fits; the retention page lists inactive candidates, only for admins. (The
store side is tested on both stores in tests/test_gdpr.py.)"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from graph.audit import (
    ACTION_ERASE,
    ACTION_EXPORT,
    ACTION_UPDATE,
    GROUP_IDENTITY_CONTACT,
    PURPOSE_CASEWORK,
    AuditEvent,
    utc_timestamp,
)
from graph.model import Label
from graph.pseudonyms import pseudonym
from graph.sharing import share_candidate
from graph.store import User
from tests import test_web_auth
from tests.test_web_auth import PASSWORD, USERS, csrf_token, login
from web.passwords import Passwords

app = test_web_auth.app
store = test_web_auth.store

OWN = "p-ahmad-alkhatib"  # Jobcenter, consent to profile sharing, fits Rurtal's offers
OWN_NAME = "Ahmad Al-Khatib"
FOREIGN = "p-olena-kovalenko"  # Agentur für Arbeit
AGENTUR_ADVISOR = User(
    id="u-agentur",
    email="berater@agentur.example",
    role="advisor",
    organization="o-agentur-ac-dn",
)
PAGES = ("export.json", "export", "erase")


def _client(app, user: User):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


@pytest.fixture
def clients(app, store):
    store.save_user(replace(AGENTUR_ADVISOR, password_hash=Passwords("cheap").hash(PASSWORD)))
    users = {**USERS, "agentur": AGENTUR_ADVISOR}
    return {name: _client(app, user) for name, user in users.items()}


def _url(candidate_id: str, page: str) -> str:
    return f"/advisor/candidates/{candidate_id}/{page}"


def test_the_export_as_json_and_as_a_printable_page(clients, store):
    advisor = clients["advisor"]
    response = advisor.get(_url(OWN, "export.json"))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert f"wegweiser-{OWN}.json" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))
    assert data["candidate"]["properties"]["name"] == OWN_NAME
    assert {r["id"] for r in data["records"]} == {"pl-ahmad-praktikum", "en-ahmad-stapler"}

    page = advisor.get(_url(OWN, "export"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert OWN_NAME in html and "pl-ahmad-praktikum" in html and "Walid Saleh" in html
    assert 'href="/static/print.css" media="print"' in html
    assert "<script" not in html and "style=" not in html
    exports = store.audit_events(candidate_id=OWN, action=ACTION_EXPORT)
    assert exports and {e.user_id for e in exports} == {USERS["advisor"].id}
    # the page's access history shows the JSON export made before it
    assert "u-advisor" in html
    # an admin may export too
    assert clients["admin"].get(_url(OWN, "export.json")).status_code == 200


def test_other_organisations_employers_and_coaches_get_nothing(clients, store):
    share_candidate(
        store,
        OWN,
        "o-agentur-ac-dn",
        basis="consent",
        purpose="Vermittlung",
        until=dt.date.today() + dt.timedelta(days=30),
        by=USERS["advisor"].id,
    )
    agentur = clients["agentur"]
    assert agentur.get(f"/advisor/candidates/{OWN}").status_code == 200  # shared: may see
    for page in PAGES:
        assert agentur.get(_url(OWN, page)).status_code == 404  # but not export or erase
        assert clients["advisor"].get(_url(FOREIGN, page)).status_code == 404
        assert clients["advisor"].get(_url("p-nobody", page)).status_code == 404
        # the advisor area is closed to employers and coaches whatever the id
        assert clients["employer"].get(_url(OWN, page)).status_code == 403
        assert clients["coach"].get(_url(OWN, page)).status_code == 403
    response = agentur.post(
        _url(OWN, "erase"),
        data={"confirm": OWN, "reason": "objection", "csrf_token": csrf_token(agentur, "/")},
    )
    assert response.status_code == 404
    assert store.get_node(Label.CANDIDATE, OWN)


def test_erase_needs_csrf_and_the_typed_id_then_the_person_is_gone(app, clients, store):
    advisor, employer = clients["advisor"], clients["employer"]
    fits = "/employer/offers/of-praktikum-lager-rurtal/candidates"
    code = pseudonym(app.config["SECRET_KEY"], "c-rurtal-logistik", OWN)
    assert code in employer.get(fits).get_data(as_text=True)
    form_page = advisor.get(_url(OWN, "erase"))
    assert form_page.status_code == 200
    html = form_page.get_data(as_text=True)
    assert OWN_NAME in html and 'name="confirm"' in html and 'for="confirm"' in html
    token = csrf_token(advisor, _url(OWN, "erase"))

    missing_csrf = advisor.post(_url(OWN, "erase"), data={"confirm": OWN, "reason": "objection"})
    assert missing_csrf.status_code == 400
    wrong = advisor.post(
        _url(OWN, "erase"), data={"confirm": "p-ahmad", "reason": "objection", "csrf_token": token}
    )
    assert wrong.status_code == 400
    assert "stimmt nicht" in wrong.get_data(as_text=True)
    bad_reason = advisor.post(
        _url(OWN, "erase"), data={"confirm": OWN, "reason": "weil", "csrf_token": token}
    )
    assert bad_reason.status_code == 400
    assert store.get_node(Label.CANDIDATE, OWN) and store.erasures() == []

    done = advisor.post(
        _url(OWN, "erase"),
        data={"confirm": f" {OWN} ", "reason": "data_subject_request", "csrf_token": token},
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/advisor/candidates")
    listing = advisor.get("/advisor/candidates").get_data(as_text=True)
    assert "gelöscht" in listing and OWN_NAME not in listing and OWN not in listing
    for who in ("advisor", "admin"):
        assert clients[who].get(f"/advisor/candidates/{OWN}").status_code == 404
        for page in PAGES:
            assert clients[who].get(_url(OWN, page)).status_code == 404
    assert clients["coach"].get(f"/coach/mentees/{OWN}").status_code == 404
    assert code not in employer.get(fits).get_data(as_text=True)
    assert store.erased_ids([OWN]) == {OWN}
    erased = store.audit_events(candidate_id=OWN, action=ACTION_ERASE)
    assert {(e.user_id, e.purpose) for e in erased} == {
        (USERS["advisor"].id, "data_subject_request")
    }


def _write_now(store, candidate_id: str) -> None:
    store.append_audit(
        [
            AuditEvent(
                at=utc_timestamp(),
                user_id="u-advisor",
                organization="o-jobcenter-hs",
                role="advisor",
                action=ACTION_UPDATE,
                label="Candidate",
                record_id=candidate_id,
                candidate_id=candidate_id,
                field_group=GROUP_IDENTITY_CONTACT,
                purpose=PURPOSE_CASEWORK,
            )
        ]
    )


def test_the_retention_page_lists_inactive_candidates_for_admins_only(app, clients, store):
    _write_now(store, "p-lukas-beckers")  # no dates in the world, but edited today
    admin = clients["admin"]
    page = admin.get("/admin/retention?days=30")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "p-abdirahman-warsame" in html  # nothing dated at all: to be reviewed
    assert "Jobcenter Kreis Heinsberg" in html
    assert "p-lukas-beckers" not in html
    assert "Abdirahman" not in html  # ids, organisations and dates only
    default = admin.get("/admin/retention").get_data(as_text=True)
    assert 'value="730"' in default
    app.config["WEGWEISER_RETENTION_DAYS"] = 90
    assert 'value="90"' in admin.get("/admin/retention").get_data(as_text=True)
    bad = admin.get("/admin/retention?days=zwei")
    assert bad.status_code == 400 and "keine ganze Zahl" in bad.get_data(as_text=True)
    assert clients["advisor"].get("/admin/retention").status_code == 403
    assert clients["employer"].get("/admin/retention").status_code == 403
