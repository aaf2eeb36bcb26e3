"""Consent-gated identity and field groups in the web app and the API: the employer sees a
candidate's name and contact details for one offer only after the advisor recorded the
candidate's consent, never for another offer and not after a withdrawal; an organisation
a candidate is shared with sees only the shared groups; a coach never sees residence,
benefit or health data. Flask's test client on the embedded store with the sample world."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from graph.contact import CONSENTED, WITHDRAWN, contact_requests_of_candidate
from graph.sharing import share_candidate
from graph.store import User
from tests import test_web_auth
from tests.test_web_auth import CSRF, PASSWORD, USERS, csrf_token, login
from web.passwords import Passwords

app = test_web_auth.app
client = test_web_auth.client
store = test_web_auth.store

AHMAD = "p-ahmad-alkhatib"  # Jobcenter, mentored by co-walid-saleh, full data in the sample
NAME = "Ahmad Al-Khatib"
EMAIL = "ahmad.alkhatib@example.org"
PHONE = "+49 2433 555014"
STREET = "Parkhofstraße 12"
RESIDENCE = ("Aufenthaltserlaubnis", "2028-05-31")
BENEFIT = ("Bürgergeld (SGB II)", "36102//0048213")
HEALTH = ("Rückenbeschwerden",)
OFFER = "of-kommissionierer-rurtal"
OTHER_OFFER = "of-staplerfahrer-rurtal"
COMPANY = "c-rurtal-logistik"
AGENTUR = "o-agentur-ac-dn"
AGENTUR_ADVISOR = User(
    id="u-agentur",
    email="advisor@agentur.example",
    role="advisor",
    display_name="Bernd Agentur",
    organization=AGENTUR,
)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return CSRF.sub("", response.get_data(as_text=True))


def _client(app, user: User):
    c = app.test_client()
    assert login(c, user.email).status_code == 302
    return c


@pytest.fixture
def employer(app, client):
    assert login(client, USERS["employer"].email).status_code == 302
    return client


@pytest.fixture
def advisor(app):
    return _client(app, USERS["advisor"])


@pytest.fixture
def agentur(app, store):
    store.save_user(replace(AGENTUR_ADVISOR, password_hash=Passwords("cheap").hash(PASSWORD)))
    return _client(app, AGENTUR_ADVISOR)


def _pseudonym(app, candidate: str = AHMAD) -> str:
    from web.employer import candidate_pseudonym

    with app.test_request_context():
        return candidate_pseudonym(COMPANY, candidate)


def _ask(employer, app, offer: str) -> None:
    token = csrf_token(employer, f"/employer/offers/{offer}/candidates")
    response = employer.post(
        f"/employer/offers/{offer}/contact",
        data={"csrf_token": token, "pseudonym": _pseudonym(app)},
    )
    assert response.status_code == 302


def _request_for(store, offer: str):
    return next(r for r in contact_requests_of_candidate(store, AHMAD) if r.offer == offer)


def _row_fields(page: str, prefix: str) -> dict[str, str]:
    """The hidden inputs of one request's consent or withdraw form."""
    return dict(
        re.findall(rf'name="({re.escape(prefix)}-\w+)" type="hidden" value="([^"]*)"', page)
    )


def _consent(advisor, request_id: str, **overrides) -> object:
    page = advisor.get("/advisor/contacts").get_data(as_text=True)
    prefix = f"consent-{request_id}"
    data = _row_fields(page, prefix)
    assert f"{prefix}-csrf_token" in data, "the consent form is on the list"
    data |= {
        f"{prefix}-given_on": dt.date.today().isoformat(),
        f"{prefix}-purpose": "Vorstellungsgespräch als Kommissionierer",
    }
    data |= {f"{prefix}-{k}": v for k, v in overrides.items()}
    return advisor.post(f"/advisor/contacts/{request_id}/consent", data=data)


def _withdraw(advisor, request_id: str) -> object:
    page = advisor.get(f"/advisor/candidates/{AHMAD}").get_data(as_text=True)
    prefix = f"withdraw-{request_id}"
    data = _row_fields(page, prefix)
    assert f"{prefix}-csrf_token" in data, "the withdraw form is on the candidate page"
    data[f"{prefix}-on"] = dt.date.today().isoformat()
    return advisor.post(f"/advisor/contacts/{request_id}/withdraw", data=data)


def _identity_shown(page: str) -> bool:
    return NAME in page or EMAIL in page or PHONE in page


# --- the employer ---------------------------------------------------------------------------


def test_the_employer_sees_the_identity_for_that_offer_only_after_consent(
    employer, advisor, app, store
):
    code = _pseudonym(app)
    _ask(employer, app, OFFER)
    before = text(employer.get(f"/employer/offers/{OFFER}/candidates"))
    assert code in before and not _identity_shown(before)

    request = _request_for(store, OFFER)
    assert advisor.post(f"/advisor/contacts/{request.id}/consent", data={}).status_code == 400
    response = _consent(advisor, request.id)
    assert response.status_code == 302
    assert _request_for(store, OFFER).status == CONSENTED
    assert "Einwilligung erfasst" in text(advisor.get("/advisor/contacts"))

    after = text(employer.get(f"/employer/offers/{OFFER}/candidates"))
    assert code in after  # under the pseudonym, plus the revealed identity
    for value in (NAME, EMAIL, PHONE):
        assert value in after, value
    for hidden in (STREET, "1994", *RESIDENCE, *BENEFIT, *HEALTH):
        assert hidden not in after, hidden
    reads = store.audit_events(candidate_id=AHMAD, user_id=USERS["employer"].id, action="read")
    assert ("identity_contact", "employer_view") in {(e.field_group, e.purpose) for e in reads}
    consents = store.audit_events(candidate_id=AHMAD, action="consent")
    assert [(e.field_group, e.label, e.user_id) for e in consents] == [
        ("identity_contact", "ContactRequest", USERS["advisor"].id)
    ]

    # the same company, another offer: pseudonymised, although asked there too
    _ask(employer, app, OTHER_OFFER)
    other = text(employer.get(f"/employer/offers/{OTHER_OFFER}/candidates"))
    assert code in other and not _identity_shown(other)

    # withdrawn: the very next page shows the pseudonym only
    assert _withdraw(advisor, request.id).status_code == 302
    assert _request_for(store, OFFER).status == WITHDRAWN
    again = text(employer.get(f"/employer/offers/{OFFER}/candidates"))
    assert code in again and not _identity_shown(again)
    assert len(store.audit_events(candidate_id=AHMAD, action="consent")) == 2


def test_another_company_never_sees_the_released_identity(employer, advisor, app, store):
    _ask(employer, app, OFFER)
    assert _consent(advisor, _request_for(store, OFFER).id).status_code == 302
    other = app.test_client()
    grenzland = User(
        id="u-employer-2",
        email="employer@grenzland.example",
        role="employer",
        company="c-grenzland-metallbau",
    )
    store.save_user(replace(grenzland, password_hash=Passwords("cheap").hash(PASSWORD)))
    assert login(other, grenzland.email).status_code == 302
    for offer in ("of-schweisser-grenzland", "of-azubi-metallbauer-grenzland"):
        assert not _identity_shown(text(other.get(f"/employer/offers/{offer}/candidates")))
    assert other.get(f"/employer/offers/{OFFER}/candidates").status_code == 404


def test_a_future_consent_date_or_an_empty_purpose_is_refused(employer, advisor, app, store):
    _ask(employer, app, OFFER)
    request = _request_for(store, OFFER)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert _consent(advisor, request.id, given_on=tomorrow).status_code == 302
    assert _consent(advisor, request.id, purpose="").status_code == 302
    assert _request_for(store, OFFER).status == "open"
    assert "Nicht gespeichert" in text(advisor.get("/advisor/contacts"))
    assert not _identity_shown(text(employer.get(f"/employer/offers/{OFFER}/candidates")))


def test_only_the_owning_organisation_records_consent(employer, advisor, agentur, app, store):
    _ask(employer, app, OFFER)
    request = _request_for(store, OFFER)
    share_candidate(
        store,
        AHMAD,
        AGENTUR,
        basis="consent",
        purpose="Vermittlung",
        until=dt.date.today() + dt.timedelta(days=30),
        by=USERS["advisor"].id,
        groups=["matching_profile", "identity_contact"],
    )
    token = csrf_token(agentur, "/advisor/")
    response = agentur.post(
        f"/advisor/contacts/{request.id}/consent",
        data={
            f"consent-{request.id}-csrf_token": token,
            f"consent-{request.id}-given_on": dt.date.today().isoformat(),
            f"consent-{request.id}-purpose": "x",
        },
    )
    assert response.status_code == 404
    assert _request_for(store, OFFER).status == "open"


# --- the advisors ---------------------------------------------------------------------------


def test_the_owning_advisor_sees_every_group(advisor):
    page = text(advisor.get(f"/advisor/candidates/{AHMAD}"))
    for value in (NAME, EMAIL, PHONE, STREET, "SY", *RESIDENCE, *BENEFIT, *HEALTH):
        assert value in page, value


def _share(store, groups):
    share_candidate(
        store,
        AHMAD,
        AGENTUR,
        basis="legal",
        legal_basis="§ 69 SGB X",
        purpose="Vermittlung",
        until=dt.date.today() + dt.timedelta(days=30),
        by=USERS["advisor"].id,
        groups=groups,
    )


def test_a_share_of_the_matching_profile_shows_neither_name_nor_residence(agentur, store):
    _share(store, ["matching_profile"])
    page = text(agentur.get(f"/advisor/candidates/{AHMAD}"))
    assert f"Person {AHMAD}" in page
    for hidden in ("Ahmad", "Al-Khatib", EMAIL, PHONE, STREET, "1994", *RESIDENCE, *BENEFIT):
        assert hidden not in page, hidden
    for hidden in HEALTH:
        assert hidden not in page
    assert "Kommissionieren" in page or "Fähigkeiten" in page  # the profile is there
    listing = text(agentur.get("/advisor/candidates"))
    assert "Al-Khatib" not in listing and f"Person {AHMAD}" in listing
    assert "Al-Khatib" not in text(agentur.get("/advisor/candidates?q=Ahmad"))
    assert "Al-Khatib" not in text(agentur.get(f"/advisor/candidates/{AHMAD}/offers"))
    api = agentur.get(f"/api/v1/candidates/{AHMAD}").get_json()
    assert api["name"] is None and api["groups"] == ["matching_profile"]
    assert api["nationality"] is None and api["email"] is None and api["skills"]


def test_the_api_list_shows_only_what_the_share_opens(agentur, store):
    _share(store, ["matching_profile"])
    listed = {
        c["id"]: c for c in agentur.get("/api/v1/candidates?per_page=100").get_json()["items"]
    }
    assert listed[AHMAD]["name"] is None and listed[AHMAD]["town"] is not None
    skill = next(iter(store.candidate_profile(AHMAD).skills))
    found = agentur.get(f"/api/v1/candidates?skill={skill}").get_json()["items"]
    assert AHMAD in {c["id"] for c in found}
    _share(store, ["identity_contact"])  # sharing again replaces the share
    listed = {
        c["id"]: c for c in agentur.get("/api/v1/candidates?per_page=100").get_json()["items"]
    }
    assert listed[AHMAD]["name"] == NAME and listed[AHMAD]["town"] is None
    found = agentur.get(f"/api/v1/candidates?skill={skill}").get_json()["items"]
    assert AHMAD not in {c["id"] for c in found}  # a filter would read the profile


def test_a_share_with_residence_shows_residence_but_not_benefit_or_health(agentur, store):
    _share(store, ["matching_profile", "identity_contact", "residence"])
    page = text(agentur.get(f"/advisor/candidates/{AHMAD}"))
    for value in (NAME, EMAIL, *RESIDENCE):
        assert value in page, value
    for hidden in (*BENEFIT, *HEALTH):
        assert hidden not in page, hidden
    events = store.audit_events(candidate_id=AHMAD, user_id=AGENTUR_ADVISOR.id, action="read")
    assert {e.field_group for e in events} == {"matching_profile", "identity_contact", "residence"}


# --- the coach ------------------------------------------------------------------------------


@pytest.fixture
def coach(app):
    return _client(app, USERS["coach"])


def test_the_coach_page_never_shows_residence_benefit_or_health(coach):
    page = text(coach.get(f"/coach/mentees/{AHMAD}"))
    assert NAME in page and EMAIL in page and PHONE in page
    for hidden in (*RESIDENCE, *BENEFIT, *HEALTH, "residence_permit", "SGB II"):
        assert hidden not in page, hidden


def test_the_api_gives_the_coach_no_residence_fields(coach):
    body = coach.get(f"/api/v1/candidates/{AHMAD}").get_json()
    assert body["name"] == NAME and body["email"] == EMAIL
    assert body["groups"] == ["matching_profile", "identity_contact"]
    for hidden in (
        "nationality",
        "residence_status",
        "residence_until",
        "benefit",
        "benefit_number",
        "health_notes",
        "special_needs",
    ):
        assert body[hidden] is None, hidden


def test_the_api_gives_the_owning_advisor_everything(advisor):
    body = advisor.get(f"/api/v1/candidates/{AHMAD}").get_json()
    assert body["nationality"] == "SY" and body["benefit_number"] == BENEFIT[1]
    assert body["health_notes"].startswith(HEALTH[0])
    assert set(body["groups"]) == {
        "matching_profile",
        "identity_contact",
        "residence",
        "social_benefit",
        "health",
    }
