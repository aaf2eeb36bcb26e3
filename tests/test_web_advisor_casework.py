"""Advisor casework part 2 through Flask's test client on the embedded store with the
sample world: coach suggestions and assignment, the placement pipeline, editing a profile
with a conflict check (two people saving at once) and employers' contact requests."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from graph.contact import ask_for_contact, contact_requests_of_candidate
from graph.model import Label, Rel
from tests.test_web_advisor import FOREIGN, OFFER, OWN, make_app, token
from tests.test_web_advisor import client as client
from tests.test_web_advisor import store as store
from tests.test_web_auth import PASSWORD, USERS, login
from web.passwords import Passwords

EMPLOYER = USERS["employer"]  # Rurtal Logistik


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    app.extensions["wegweiser.store"].close()


PAGES = [
    f"/advisor/candidates/{OWN}/coaches",
    f"/advisor/candidates/{OWN}/edit",
    "/advisor/pipeline",
    "/advisor/accompaniment",
    "/advisor/contacts",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_every_new_page_renders(client, path, lang):
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>" in page and "style=" not in page


@pytest.mark.parametrize(
    "path", [f"/advisor/candidates/{FOREIGN}/coaches", f"/advisor/candidates/{FOREIGN}/edit"]
)
def test_another_organisations_candidate_is_not_found(client, path):
    assert client.get(path).status_code == 404


def _mentors(store, candidate_id):
    return {
        r.source_id: r.props
        for r in store.relationships(Label.CANDIDATE, candidate_id)
        if r.type == Rel.MENTORS
    }


def test_coaches_are_suggested_and_assigned_with_csrf(client, store):
    page = client.get(f"/advisor/candidates/{OWN}/coaches").get_data(as_text=True)
    # Rahel speaks Tigrinya, Arabic, English, German; Walid (Arabic) has one free place
    assert page.index("Walid Saleh") < page.index("Gisela Hermanns")
    path = f"/advisor/candidates/{OWN}/coaches"
    assert client.post(path, data={"coach": "co-walid-saleh"}).status_code == 400
    assert _mentors(store, OWN) == {}
    csrf = token(client, path)
    response = client.post(path, data={"coach": "co-walid-saleh", "csrf_token": csrf})
    assert response.status_code == 302
    assert list(_mentors(store, OWN)) == ["co-walid-saleh"]
    # Walid is full now: he is no longer suggested, and a second assignment is refused
    again = client.get(path).get_data(as_text=True)
    assert "Walid Saleh zuordnen" not in again
    refused = client.post(
        "/advisor/candidates/p-alex-schmitz/coaches",
        data={"coach": "co-walid-saleh", "csrf_token": csrf},
        follow_redirects=True,
    )
    assert "Nicht gespeichert" in refused.get_data(as_text=True)
    assert _mentors(store, "p-alex-schmitz") == {}


def test_accompaniment_lists_candidates_at_work_and_their_coaches(client):
    page = client.get("/advisor/accompaniment").get_data(as_text=True)
    assert "Ahmad Al-Khatib" in page and "Walid Saleh" in page
    assert "Olena" not in page  # another organisation


def test_placement_moves_along_the_pipeline_with_history(client, store):
    csrf = token(client, f"/advisor/candidates/{OWN}/offers/{OFFER}/gap")
    client.post(f"/advisor/candidates/{OWN}/propose", data={"offer": OFFER, "csrf_token": csrf})
    placement = next(
        r.source_id
        for r in store.relationships(Label.CANDIDATE, OWN)
        if r.source_label == Label.PLACEMENT
    )
    path = f"/advisor/candidates/{OWN}/placements/{placement}/status"
    assert client.post(path, data={"status": "contacted", "version": "0"}).status_code == 400
    ok = client.post(path, data={"status": "contacted", "version": "0", "csrf_token": csrf})
    assert ok.status_code == 302
    props = store.get_node(Label.PLACEMENT, placement).props
    assert props["history_statuses"] == ["proposed", "contacted"] and props["version"] == 1
    # a stale form (version 0 again) is refused with a conflict message
    stale = client.post(
        path,
        data={"status": "ended", "version": "0", "csrf_token": csrf},
        follow_redirects=True,
    )
    assert "inzwischen geändert" in stale.get_data(as_text=True)
    # a step the pipeline does not allow is refused
    bad = client.post(
        path,
        data={"status": "hired", "version": "1", "csrf_token": csrf},
        follow_redirects=True,
    )
    assert "is not allowed" in bad.get_data(as_text=True)
    assert store.get_node(Label.PLACEMENT, placement).props["status"] == "contacted"
    profile = client.get(f"/advisor/candidates/{OWN}").get_data(as_text=True)
    assert "kontaktiert (" in profile and "Vorstellungsgespräch</button>" in profile
    pipeline = client.get("/advisor/pipeline").get_data(as_text=True)
    assert 'id="status-contacted"' in pipeline and "Rahel" in pipeline


def _form_fields(page: str) -> dict[str, str]:
    """The text inputs, selects (selected option) and hidden fields of the edit form."""
    fields: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        fields[name] = value.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', body) or re.search(
            r'<option value="([^"]*)"[^>]*selected', body
        )
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def test_editing_saves_and_a_second_concurrent_save_gets_a_conflict(client, store):
    path = f"/advisor/candidates/{OWN}/edit"
    first = _form_fields(client.get(path).get_data(as_text=True))
    second = dict(first)
    assert first["version"] == "0" and first["name"] == "Rahel Tesfay"
    first["name"] = "Rahel T. Tesfay"
    first["available_from"] = "2027-02-01"
    response = client.post(path, data=first)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    node = store.get_node(Label.CANDIDATE, OWN)
    assert node.props["name"] == "Rahel T. Tesfay" and node.props["version"] == 1
    assert node.props["available_from"] == "2027-02-01"
    assert node.props.get("consent_profile_sharing") is not None  # kept
    # the second person loaded version 0 and changes the town: refused, nothing written
    second["town"] = "t-erkelenz"
    conflict = client.post(path, data=second)
    assert conflict.status_code == 409
    page = conflict.get_data(as_text=True)
    assert "Nichts wurde überschrieben" in page
    assert "Rahel T. Tesfay" in page  # what changed meanwhile, with the new value
    assert store.get_node(Label.CANDIDATE, OWN).props["version"] == 1
    assert store.candidate_profile(OWN).town.id != "t-erkelenz"
    # their input is still in the form, now on version 1: saving again is deliberate
    again = _form_fields(page)
    assert again["version"] == "1" and again["town"] == "t-erkelenz"
    assert client.post(path, data=again).status_code == 302
    assert store.candidate_profile(OWN).town.id == "t-erkelenz"
    assert store.get_node(Label.CANDIDATE, OWN).props["version"] == 2


def test_editing_skills_languages_and_provenance(client, store):
    path = f"/advisor/candidates/{OWN}/edit"
    fields = _form_fields(client.get(path).get_data(as_text=True))
    before = store.candidate_profile(OWN)
    empty = next(i for i in range(20) if not fields.get(f"languages-{i}-item"))
    fields[f"languages-{empty}-item"] = "fr"
    fields[f"languages-{empty}-level"] = "A2"
    response = client.post(path, data=fields)
    assert response.status_code == 302
    after = store.candidate_profile(OWN)
    assert after.languages == {**before.languages, "fr": "A2"}
    assert after.skills == before.skills and after.tools == before.tools
    # an unknown item is named with its row; nothing is written
    fields = _form_fields(client.get(path).get_data(as_text=True))
    empty = next(i for i in range(20) if not fields.get(f"skills-{i}-item"))
    fields[f"skills-{empty}-item"] = "Zaubern"
    bad = client.post(path, data=fields)
    assert bad.status_code == 400
    assert f"Zeile {empty + 1}: „Zaubern“ steht nicht im Katalog." in bad.get_data(as_text=True)
    assert store.candidate_profile(OWN) == after


def test_contact_requests_are_listed_and_answered(client, store):
    request, _new = ask_for_contact(
        store, OWN, OFFER, company="c-selfkant-feinkost", requested_by="u-employer"
    )
    listing = client.get("/advisor/contacts").get_data(as_text=True)
    assert "offen" in listing and "als beantwortet markieren" in listing
    profile = client.get(f"/advisor/candidates/{OWN}").get_data(as_text=True)
    assert 'id="contacts"' in profile and "als abgelehnt markieren" in profile
    path = f"/advisor/contacts/{request.id}"
    assert client.post(path, data={"status": "answered"}).status_code == 400
    csrf = token(client, "/advisor/contacts")
    assert client.post(path, data={"status": "bogus", "csrf_token": csrf}).status_code == 400
    ok = client.post(path, data={"status": "declined", "csrf_token": csrf, "back": "candidate"})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("#contacts")
    assert [r.status for r in contact_requests_of_candidate(store, OWN)] == ["declined"]
    # settled: a second answer is refused
    again = client.post(
        path, data={"status": "answered", "csrf_token": csrf}, follow_redirects=True
    )
    assert "Nicht gespeichert" in again.get_data(as_text=True)


def test_another_organisations_contact_request_is_not_found(client, store):
    request, _new = ask_for_contact(
        store, FOREIGN, OFFER, company="c-selfkant-feinkost", requested_by="u-employer"
    )
    csrf = token(client, "/advisor/contacts")
    path = f"/advisor/contacts/{request.id}"
    assert client.post(path, data={"status": "answered", "csrf_token": csrf}).status_code == 404
    assert "Olena" not in client.get("/advisor/contacts").get_data(as_text=True)


def test_two_employers_editing_one_offer_the_second_gets_a_conflict(tmp_path):
    """The employer's offer edit goes through the same compare-and-set."""
    app = make_app(tmp_path)
    try:
        store = app.extensions["wegweiser.store"]
        store.save_user(replace(EMPLOYER, password_hash=Passwords("cheap").hash(PASSWORD)))
        offer = "of-staplerfahrer-rurtal"
        path = f"/employer/offers/{offer}/edit"
        first, second = app.test_client(), app.test_client()
        login(first, EMPLOYER.email)
        login(second, EMPLOYER.email)
        mine, theirs = (_form_fields(c.get(path).get_data(as_text=True)) for c in (first, second))
        assert mine["version"] == "0"
        mine["title"] = "Staplerfahrer/in (m/w/d), Frühschicht"
        assert first.post(path, data=mine).status_code == 302
        theirs["title"] = "Staplerfahrer/in (m/w/d), Spätschicht"
        refused = second.post(path, data=theirs)
        assert refused.status_code == 409
        assert "Nichts wurde überschrieben" in refused.get_data(as_text=True)
        node = store.get_node(Label.OFFER, offer)
        assert node.props["title"].endswith("Frühschicht") and node.props["version"] == 1
        again = _form_fields(refused.get_data(as_text=True))
        assert again["version"] == "1" and again["title"].endswith("Spätschicht")
        assert second.post(path, data=again).status_code == 302
        assert store.get_node(Label.OFFER, offer).props["version"] == 2
    finally:
        app.extensions["wegweiser.store"].close()
