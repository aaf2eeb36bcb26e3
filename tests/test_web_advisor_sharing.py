"""Shares through Flask's test client on the embedded store with the sample world: the
Jobcenter shares a candidate with the Agentur, whose advisors then see (not edit) them
until the share ends or is revoked; the DRK never does; bad input and a missing CSRF
token are refused with nothing stored. (The share record itself is tested on both
stores in tests/test_sharing.py.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from graph.contact import ask_for_contact
from graph.model import Label, Rel
from graph.sharing import share_candidate, shares_of
from graph.store import User
from tests.test_web_advisor import ADVISOR, OWN, PASSWORD, make_app, token
from tests.test_web_advisor_casework import _form_fields
from tests.test_web_auth import login
from web.passwords import Passwords

AGENTUR = "o-agentur-ac-dn"
AGENTUR_ADVISOR = User(
    id="u-agentur",
    email="berater@agentur.example",
    role="advisor",
    display_name="Bernd Vogt",
    organization=AGENTUR,
)
DRK_ADVISOR = User(
    id="u-drk",
    email="beratung@drk.example",
    role="advisor",
    display_name="Dana Roth",
    organization="o-drk-hs",
)
PAGE = f"/advisor/candidates/{OWN}"
SHARES = f"{PAGE}/shares"
UNTIL = (dt.date.today() + dt.timedelta(days=60)).isoformat()


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    store = app.extensions["wegweiser.store"]
    hashed = Passwords("cheap").hash(PASSWORD)
    for user in (AGENTUR_ADVISOR, DRK_ADVISOR):
        store.save_user(replace(user, password_hash=hashed))
    yield app
    store.close()


@pytest.fixture
def store(app):
    return app.extensions["wegweiser.store"]


def _client(app, user: User):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


@pytest.fixture
def owner(app):
    return _client(app, ADVISOR)


@pytest.fixture
def agentur(app):
    return _client(app, AGENTUR_ADVISOR)


@pytest.fixture
def drk(app):
    return _client(app, DRK_ADVISOR)


def _form(owner, **overrides):
    data = {
        "organization": AGENTUR,
        "basis": "consent",
        "legal_basis": "",
        "purpose": "Vermittlung in eine Ausbildung",
        "until": UNTIL,
        "groups": ["matching_profile", "identity_contact"],
        "csrf_token": token(owner, PAGE),
    }
    data.update(overrides)
    return data


def _shares(store):
    return [r for r in store.relationships(Label.CANDIDATE, OWN) if r.type == Rel.SHARED_WITH]


def test_a_shared_candidate_is_seen_but_not_edited_until_revoked(owner, agentur, drk, store):
    assert agentur.get(PAGE).status_code == 404
    assert "Rahel Tesfay" not in agentur.get("/advisor/candidates").get_data(as_text=True)
    page = owner.get(PAGE).get_data(as_text=True)
    assert 'id="shares"' in page and "Neue Freigabe" in page
    # the own organisation is not offered
    select = page[
        page.index('name="organization"') : page.index(
            "</select>", page.index('name="organization"')
        )
    ]
    assert AGENTUR in select and "o-jobcenter-hs" not in select

    response = owner.post(SHARES, data=_form(owner))
    assert response.status_code == 302 and response.headers["Location"].endswith("#shares")
    [stored] = _shares(store)
    assert stored.target_id == AGENTUR
    assert stored.props["by"] == ADVISOR.id and stored.props["until"] == UNTIL
    listed = owner.get(PAGE).get_data(as_text=True)
    assert "Agentur für Arbeit Aachen-Düren" in listed and "Anna Berger" in listed
    assert "Freigabe widerrufen" in listed

    # the Agentur sees the page, marked as shared, without the owner's tools
    seen = agentur.get(PAGE)
    assert seen.status_code == 200
    text = seen.get_data(as_text=True)
    assert "Rahel Tesfay" in text and "Geteilt von Jobcenter Kreis Heinsberg" in text
    assert "Profil bearbeiten" not in text and 'id="contacts"' not in text
    assert 'id="shares"' not in text
    listing = agentur.get("/advisor/candidates").get_data(as_text=True)
    assert "Rahel Tesfay" in listing and "geteilt von Jobcenter Kreis Heinsberg" in listing
    assert agentur.get(f"{PAGE}/offers").status_code == 200  # matching: yes
    assert agentur.get(f"{PAGE}/edit").status_code == 404  # editing: no
    csrf = token(agentur, PAGE)
    again = _form(owner, csrf_token=csrf, organization="o-drk-hs")
    assert agentur.post(SHARES, data=again).status_code == 404  # sharing on: no
    assert "Rahel Tesfay" not in agentur.get("/advisor/contacts").get_data(as_text=True)
    # the owner's own list has no mark
    assert "geteilt von" not in owner.get("/advisor/candidates").get_data(as_text=True)

    # a third organisation never sees it
    assert drk.get(PAGE).status_code == 404
    assert "Rahel Tesfay" not in drk.get("/advisor/candidates").get_data(as_text=True)

    # revoked: 404 again, the record stays
    revoke = {"organization": AGENTUR, "csrf_token": token(owner, PAGE)}
    assert owner.post(f"{SHARES}/revoke", data=revoke).status_code == 302
    assert agentur.get(PAGE).status_code == 404
    assert "Rahel Tesfay" not in agentur.get("/advisor/candidates").get_data(as_text=True)
    [record] = shares_of(store, OWN)
    assert record.state == "revoked" and record.revoked_by == ADVISOR.id
    assert "widerrufen" in owner.get(PAGE).get_data(as_text=True)


def test_an_expired_share_opens_nothing(agentur, store):
    share_candidate(
        store,
        OWN,
        AGENTUR,
        basis="legal",
        legal_basis="§ 69 SGB X",
        purpose="Altfall",
        until=dt.date(2020, 6, 30),
        by=ADVISOR.id,
        today=dt.date(2020, 1, 1),
    )
    assert agentur.get(PAGE).status_code == 404
    assert "Rahel Tesfay" not in agentur.get("/advisor/candidates").get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"until": "2020-01-01"}, "until: 2020-01-01 is not after today"),
        ({"until": ""}, "Bitte geben Sie ein Datum an"),
        ({"purpose": "   "}, "Bitte geben Sie den Zweck der Freigabe an."),
        ({"organization": "o-jobcenter-hs"}, "is the candidate&#39;s own organisation"),
        ({"organization": "o-nowhere"}, "no Organization with id &#39;o-nowhere&#39;"),
        ({"basis": "gefühlt"}, "Nicht gespeichert"),
    ],
)
def test_bad_input_is_refused_with_a_message(owner, store, overrides, message):
    response = owner.post(SHARES, data=_form(owner, **overrides))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "Nicht gespeichert" in page
    assert 'id="shares"' in page  # the candidate page again, with the form
    assert _shares(store) == []


def test_the_share_opens_the_chosen_field_groups_only(owner, agentur, store):
    page = owner.get(PAGE).get_data(as_text=True)
    assert 'type="checkbox"' in page and 'value="health"' in page  # every group offered
    refused = owner.post(SHARES, data=_form(owner, groups=[]))
    assert refused.status_code == 400 and _shares(store) == []
    assert "mindestens einen Datenbereich" in refused.get_data(as_text=True)
    assert owner.post(SHARES, data=_form(owner, groups=["matching_profile"])).status_code == 302
    [stored] = _shares(store)
    assert list(stored.props["groups"]) == ["matching_profile"]
    assert "Vermittlungsprofil" in owner.get(PAGE).get_data(as_text=True)  # shown in the table
    seen = agentur.get(PAGE).get_data(as_text=True)
    assert "Rahel Tesfay" not in seen and f"Person {OWN}" in seen  # identity not shared


def test_the_input_stays_in_the_form_after_a_refusal(owner):
    response = owner.post(SHARES, data=_form(owner, until="2020-01-01", purpose="Sprachkurs B2"))
    fields = _form_fields(response.get_data(as_text=True))
    assert fields["purpose"] == "Sprachkurs B2" and fields["organization"] == AGENTUR


def test_sharing_and_revoking_need_the_csrf_token(owner, store):
    data = _form(owner)
    del data["csrf_token"]
    assert owner.post(SHARES, data=data).status_code == 400
    assert _shares(store) == []
    assert owner.post(SHARES, data=_form(owner)).status_code == 302
    assert owner.post(f"{SHARES}/revoke", data={"organization": AGENTUR}).status_code == 400
    assert [s.state for s in shares_of(store, OWN)] == ["valid"]


def test_editing_the_profile_keeps_the_share(owner, agentur, store):
    assert owner.post(SHARES, data=_form(owner)).status_code == 302
    path = f"{PAGE}/edit"
    fields = _form_fields(owner.get(path).get_data(as_text=True))
    fields["name"] = "Rahel T. Tesfay"
    assert owner.post(path, data=fields).status_code == 302
    assert [s.state for s in shares_of(store, OWN)] == ["valid"]
    assert "Rahel T. Tesfay" in agentur.get(PAGE).get_data(as_text=True)


def test_contact_requests_stay_with_the_own_organisation(owner, agentur, store):
    ask_for_contact(
        store, OWN, "of-produktion-feinkost", company="c-rurtal-logistik", requested_by="u-e"
    )
    assert owner.post(SHARES, data=_form(owner)).status_code == 302
    assert 'id="contacts"' in owner.get(PAGE).get_data(as_text=True)
    assert 'id="contacts"' not in agentur.get(PAGE).get_data(as_text=True)
    assert "Rahel Tesfay" not in agentur.get("/advisor/contacts").get_data(as_text=True)
