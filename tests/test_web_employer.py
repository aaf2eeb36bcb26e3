"""Employer pages: company profile with conflict detection, own offers (list, create,
edit with requirements from the catalogue), pseudonymised fitting candidates with the
ready-by filter, and "ask for contact" — through Flask's test client on the embedded
store with the sample world."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from graph.contact import contact_requests_of_candidate
from graph.model import Label, Rel
from graph.store import User
from tests import test_web_auth
from tests.test_web_auth import CSRF, PASSWORD, SAMPLE, USERS, csrf_token, login
from web.passwords import Passwords

# the app, client and store fixtures of the login tests (embedded store, sample world)
app = test_web_auth.app
client = test_web_auth.client
store = test_web_auth.store

EMPLOYER = USERS["employer"]  # Rurtal Logistik
OWN_OFFER = "of-kommissionierer-rurtal"
OTHER_OFFER = "of-schweisser-grenzland"
OTHER_EMPLOYER = User(
    id="u-employer-2",
    email="employer@grenzland.example",
    role="employer",
    company="c-grenzland-metallbau",
)


@pytest.fixture
def employer(client, store):
    store.save_user(replace(OTHER_EMPLOYER, password_hash=Passwords("cheap").hash(PASSWORD)))
    assert login(client, EMPLOYER.email).status_code == 302
    return client


def page(response) -> str:
    return response.get_data(as_text=True)


def company_form(client) -> dict[str, str]:
    text = page(client.get("/employer/company"))
    fields = dict(re.findall(r'name="(loaded_\w+)" type="hidden" value="([^"]*)"', text))
    return {"csrf_token": CSRF.search(text).group(1), **fields}


# --- pages and scope -----------------------------------------------------------------------


def test_every_employer_page_answers(employer):
    for path in (
        "/employer/",
        "/employer/company",
        "/employer/offers/new",
        f"/employer/offers/{OWN_OFFER}/edit",
        f"/employer/offers/{OWN_OFFER}/candidates",
        f"/employer/offers/{OWN_OFFER}/candidates?ready_by=2027-12-31",
    ):
        response = employer.get(path)
        assert response.status_code == 200, path
    index = page(employer.get("/employer/"))
    assert "Kommissionierer/in" in index and "Schweißer" not in index


@pytest.mark.parametrize("path", ["edit", "candidates"])
def test_another_companys_offer_is_404(employer, path):
    assert employer.get(f"/employer/offers/{OTHER_OFFER}/{path}").status_code == 404
    assert employer.get(f"/employer/offers/of-does-not-exist/{path}").status_code == 404


def test_contact_for_another_companys_offer_is_404(employer):
    token = csrf_token(employer, "/employer/")
    response = employer.post(
        f"/employer/offers/{OTHER_OFFER}/contact", data={"csrf_token": token, "pseudonym": "X"}
    )
    assert response.status_code == 404


def test_other_roles_cannot_enter(client):
    login(client, USERS["coach"].email)
    assert client.get(f"/employer/offers/{OWN_OFFER}/candidates").status_code == 403


# --- company profile -----------------------------------------------------------------------


def test_company_profile_saves(employer, store):
    data = company_form(employer)
    data.update(name="Rurtal Logistik GmbH & Co. KG", sector="Logistik", town="t-erkelenz")
    response = employer.post("/employer/company", data=data)
    assert response.status_code == 302
    node = store.get_node(Label.COMPANY, "c-rurtal-logistik")
    assert node.props["name"] == "Rurtal Logistik GmbH & Co. KG"
    towns = [
        r.target_id for r in store.relationships(Label.COMPANY, node.id) if r.type == Rel.LOCATED_IN
    ]
    assert towns == ["t-erkelenz"]
    posts = [r for r in store.relationships(Label.COMPANY, node.id) if r.type == Rel.POSTS]
    assert len(posts) == 3, "the company's offers stay its own"


def test_concurrent_company_edit_is_a_conflict_naming_the_field(employer, store, app):
    mine = company_form(employer)
    other = app.test_client()
    login(other, EMPLOYER.email)
    theirs = company_form(other)
    theirs.update(name="Rurtal Logistik GmbH", sector="Lager und Versand", town="t-hueckelhoven")
    assert other.post("/employer/company", data=theirs).status_code == 302

    mine.update(name="Rurtal Logistik", sector="Logistik", town="t-hueckelhoven")
    response = employer.post("/employer/company", data=mine)
    assert response.status_code == 409
    text = page(response)
    assert "Geändert wurde: Branche" in text
    assert "Lager und Versand" in text  # the value now stored is shown
    node = store.get_node(Label.COMPANY, "c-rurtal-logistik")
    assert node.props == {
        "name": "Rurtal Logistik GmbH",
        "sector": "Lager und Versand",
        "version": 1,
    }
    # the form now carries the stored values: saving again overwrites knowingly
    stored = re.findall(r'name="(loaded_\w+|version)" type="hidden" value="([^"]*)"', text)
    again = {**mine, **dict(stored)}
    assert employer.post("/employer/company", data=again).status_code == 302
    assert store.get_node(Label.COMPANY, "c-rurtal-logistik").props["name"] == "Rurtal Logistik"


def test_company_form_needs_csrf(employer, store):
    data = company_form(employer)
    del data["csrf_token"]
    data.update(name="Gekapert", sector="", town="t-erkelenz")
    assert employer.post("/employer/company", data=data).status_code == 400
    assert store.get_node(Label.COMPANY, "c-rurtal-logistik").props["name"] != "Gekapert"


# --- offers ------------------------------------------------------------------------------------


def offer_data(token: str, **extra: str) -> dict[str, str]:
    data = {
        "csrf_token": token,
        "kind": "internship",
        "title": "Praktikum Versand",
        "seats": "2",
        "open": "y",
        "town": "t-hueckelhoven",
        "german": "A2",
        "requirements-0-item": "Gabelstapler",
        "requirements-0-level": "2",
        "requirements-0-essential": "y",
        "requirements-1-item": "kommissionieren",  # any case
        "requirements-1-level": "1",
        "requirements-2-item": "",
        "requirements-2-level": "1",
    }
    data.update(extra)
    return data


def test_create_an_offer_with_requirements_from_the_catalogue(employer, store):
    form = page(employer.get("/employer/offers/new"))
    assert '<datalist id="catalogue">' in form and 'value="Kommissionieren"' in form
    response = employer.post("/employer/offers/new", data=offer_data(CSRF.search(form).group(1)))
    assert response.status_code == 302
    offer_id = response.headers["Location"].split("/")[-2]
    profile = store.offer_profile(offer_id)
    assert profile.company == "c-rurtal-logistik" and profile.kind == "internship"
    got = {(r.kind, r.id, r.level, r.essential) for r in profile.requirements}
    assert got == {
        ("tool", "w-forklift", 2, True),
        ("skill", "s-order-picking", 1, False),
        ("language", "de", "A2", True),
    }
    assert profile.town is not None and profile.town.id == "t-hueckelhoven"


def test_a_wrong_offer_form_names_every_problem_and_writes_nothing(employer, store):
    before = store.counts()[Label.OFFER]
    token = csrf_token(employer, "/employer/offers/new")
    data = offer_data(token, title="", **{"requirements-1-item": "Raketenbau"})
    response = employer.post("/employer/offers/new", data=data)
    assert response.status_code == 400
    text = page(response)
    assert "Bitte geben Sie einen Titel ein." in text
    assert "Zeile 2: „Raketenbau“ ist keine bekannte Fähigkeit" in text
    assert store.counts()[Label.OFFER] == before


def test_edit_an_offer_keeps_its_occupation(employer, store):
    form = page(employer.get(f"/employer/offers/{OWN_OFFER}/edit"))
    assert 'value="Kommissionieren"' in form  # existing rows are prefilled
    data = offer_data(CSRF.search(form).group(1), kind="job", title="Kommissionierer/in (neu)")
    response = employer.post(f"/employer/offers/{OWN_OFFER}/edit", data=data)
    assert response.status_code == 302
    profile = store.offer_profile(OWN_OFFER)
    assert profile.title == "Kommissionierer/in (neu)" and profile.occupation == "occ-order-picker"


def test_editing_needs_csrf(employer, store):
    data = offer_data("", title="Gekapert")
    del data["csrf_token"]
    assert employer.post(f"/employer/offers/{OWN_OFFER}/edit", data=data).status_code == 400
    assert store.offer_profile(OWN_OFFER).title != "Gekapert"


# --- pseudonymised candidates and contact ----------------------------------------------------


def sample_candidates() -> list[dict]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))["candidates"]


def assert_no_identity(text: str) -> None:
    text = CSRF.sub("", text)
    for candidate in sample_candidates():
        for secret in (candidate["name"], candidate["id"], str(candidate["birth_year"])):
            assert secret not in text, secret
        for part in candidate["name"].split():
            assert re.search(rf"\b{re.escape(part)}\b", text) is None, part


def test_candidates_are_pseudonymised_with_fit_gap_and_weeks(employer):
    text = page(employer.get(f"/employer/offers/{OWN_OFFER}/candidates?ready_by=2028-12-31"))
    codes = re.findall(r'id="cand-([A-Z2-7]{4}-[A-Z2-7]{4})"', text)
    assert codes, "some candidates fit"
    assert "Passung" in text and "Wochen Kurs" in text and "1 von 4 erfüllt" in text
    assert_no_identity(text)
    ready_now = page(employer.get("/employer/offers/of-praktikum-lager-rurtal/candidates"))
    assert "sofort" in ready_now


def test_pseudonyms_differ_per_company(employer, client, app):
    mine = page(employer.get(f"/employer/offers/{OWN_OFFER}/candidates"))
    other = app.test_client()
    login(other, OTHER_EMPLOYER.email)
    theirs = page(other.get(f"/employer/offers/{OTHER_OFFER}/candidates"))
    pattern = r'id="cand-([A-Z2-7]{4}-[A-Z2-7]{4})"'
    assert set(re.findall(pattern, mine)).isdisjoint(re.findall(pattern, theirs))


def test_candidates_without_consent_are_never_listed(employer, app):
    from web.employer import candidate_pseudonym

    text = page(employer.get("/employer/offers/of-staplerfahrer-rurtal/candidates"))
    with app.test_request_context():
        hidden = candidate_pseudonym("c-rurtal-logistik", "p-sandra-jansen")
        shown = candidate_pseudonym("c-rurtal-logistik", "p-alex-schmitz")
    assert shown in text and hidden not in text


def test_ask_for_contact_reaches_the_advisor_without_revealing_identity(employer, store, app):
    from web.employer import candidate_pseudonym

    with app.test_request_context():
        code = candidate_pseudonym("c-rurtal-logistik", "p-alex-schmitz")
    path = f"/employer/offers/{OWN_OFFER}/candidates"
    token = csrf_token(employer, path)
    response = employer.post(
        f"/employer/offers/{OWN_OFFER}/contact", data={"csrf_token": token, "pseudonym": code}
    )
    assert response.status_code == 302
    [request] = contact_requests_of_candidate(store, "p-alex-schmitz")
    assert (request.offer, request.company, request.requested_by) == (
        OWN_OFFER,
        "c-rurtal-logistik",
        EMPLOYER.id,
    )
    after = employer.get(response.headers["Location"])
    text = page(after)
    assert code in text and "Kontaktanfrage" in text
    assert_no_identity(text)


def test_ask_for_contact_needs_csrf_and_a_known_pseudonym(employer, store):
    path = f"/employer/offers/{OWN_OFFER}/contact"
    assert employer.post(path, data={"pseudonym": "AAAA-AAAA"}).status_code == 400
    token = csrf_token(employer, "/employer/")
    assert (
        employer.post(path, data={"csrf_token": token, "pseudonym": "AAAA-AAAA"}).status_code == 404
    )
    assert store.counts()[Label.CONTACT_REQUEST] == 0


def test_contact_for_a_candidate_without_consent_is_404(employer, store, app):
    from web.employer import candidate_pseudonym

    with app.test_request_context():
        code = candidate_pseudonym("c-rurtal-logistik", "p-sandra-jansen")
    token = csrf_token(employer, "/employer/")
    response = employer.post(
        f"/employer/offers/{OWN_OFFER}/contact", data={"csrf_token": token, "pseudonym": code}
    )
    assert response.status_code == 404
    assert store.counts()[Label.CONTACT_REQUEST] == 0


def test_no_employer_page_reveals_a_candidate(employer):
    paths = [
        "/employer/",
        "/employer/company",
        "/employer/offers/new",
        *(
            f"/employer/offers/{o}/{p}"
            for o in (OWN_OFFER, "of-staplerfahrer-rurtal", "of-praktikum-lager-rurtal")
            for p in ("edit", "candidates", "candidates?ready_by=2030-01-01")
        ),
    ]
    for lang in ("de", "ar"):
        for path in paths:
            sep = "&" if "?" in path else "?"
            response = employer.get(f"{path}{sep}lang={lang}")
            assert response.status_code == 200, path
            assert_no_identity(page(response))
