"""Editing a candidate's field-group properties (identity and contact, residence,
social/benefit, health) on the advisor's edit page: saved in the same versioned
compare-and-set as the rest of the profile, checked like a world file (a wrong value is a
400 naming it, nothing is written), named in a conflict, logged per field group — and
still never shown to a coach or an employer afterwards.

Through Flask's test client on the embedded store with the sample world.
"""

from __future__ import annotations

import html
import re

import pytest

from graph.model import Label
from graph.pseudonyms import pseudonym
from tests import test_web_auth
from tests.test_web_auth import USERS, login

app = test_web_auth.app
store = test_web_auth.store

AHMAD = "p-ahmad-alkhatib"  # Jobcenter; Walid Saleh's mentee; shares his profile
PATH = f"/advisor/candidates/{AHMAD}/edit"
NEW = {
    "email": "ahmad.neu@example.org",
    "phone": "02433 555099",
    "street": "Neue Gasse 7",
    "nationality": "sy",  # written in lower case: stored as the code
    "residence_status": "settlement_permit",
    "residence_until": "2031-06-30",
    "benefit": "SGB III",
    "benefit_number": "AZ-2027-4711",
    "health_notes": "Geheimer Gesundheitsvermerk Knie",
    "special_needs": "Gebärdensprache Sondervermerk",
}
CONTACT = ("ahmad.neu@example.org", "02433 555099", "Neue Gasse 7")
"""Identity and contact: the mentee's coach sees these (``graph.access``), an employer
without the candidate's consent to contact does not."""
WITHHELD = (
    "Niederlassungserlaubnis",
    "settlement_permit",
    "2031-06-30",
    "AZ-2027-4711",
    "Geheimer Gesundheitsvermerk",
    "Gebärdensprache Sondervermerk",
)
"""Residence, social/benefit and health: only the owning organisation's advisors."""


def signed_in(app, role: str):
    client = app.test_client()
    assert login(client, USERS[role].email).status_code == 302
    return client


@pytest.fixture
def advisor(app):
    return signed_in(app, "advisor")


def form_fields(page: str) -> dict[str, str]:
    """Inputs, textareas, and the selected option of each select of the edit form."""
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and 'type="submit"' not in tag:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        fields[name] = html.unescape(body).lstrip("\r\n")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', body) or re.search(
            r'<option value="([^"]*)"[^>]*selected', body
        )
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_form_shows_the_groups_and_the_stored_values(advisor):
    page = text(advisor.get(PATH))
    for legend in (
        "Identität und Kontakt",
        "Vermittlungsprofil",
        "Aufenthalt und Staatsangehörigkeit",
        "Sozial- und Leistungsdaten",
        "Gesundheit und besonderer Bedarf",
    ):
        assert f"<legend>{legend}</legend>" in page
    # the codes are selects with translated names
    assert '<option selected value="residence_permit">Aufenthaltserlaubnis</option>' in page
    assert ">Bürgergeld (SGB II)</option>" in page and "style=" not in page
    fields = form_fields(page)
    assert fields["email"] == "ahmad.alkhatib@example.org"
    assert fields["benefit"] == "SGB II" and fields["nationality"] == "SY"
    assert fields["health_notes"] == "Rückenbeschwerden, kein schweres Heben"
    assert fields["gender"] == "m" and fields["birth_year"] == "1994"
    assert fields["special_needs"] == ""
    english = text(advisor.get(f"{PATH}?lang=en"))
    assert "Residence permit" in english or "residence permit" in english.lower()


def test_the_new_fields_are_saved_and_the_rest_is_kept(advisor, store):
    before = store.get_node(Label.CANDIDATE, AHMAD).props
    profile_before = store.candidate_profile(AHMAD)
    fields = form_fields(text(advisor.get(PATH)))
    fields.update(NEW)
    response = advisor.post(PATH, data=fields)
    assert response.status_code == 302, text(response)[:3000]
    props = store.get_node(Label.CANDIDATE, AHMAD).props
    assert {k: props.get(k) for k in NEW} == {**NEW, "nationality": "SY"}
    assert props["version"] == before.get("version", 0) + 1
    for kept in ("name", "gender", "birth_year", "available_from", "consent_profile_sharing"):
        assert props[kept] == before[kept]
    assert isinstance(props["birth_year"], int)
    assert store.candidate_profile(AHMAD) == profile_before  # skills, tools, languages, town
    # the page shows the new values by group
    shown = text(advisor.get(f"/advisor/candidates/{AHMAD}"))
    assert "Niederlassungserlaubnis" in shown and "Geheimer Gesundheitsvermerk Knie" in shown
    # emptying a field removes the property; the rest stays
    fields = form_fields(text(advisor.get(PATH)))
    fields["health_notes"] = ""
    fields["benefit"] = ""
    assert advisor.post(PATH, data=fields).status_code == 302
    props = store.get_node(Label.CANDIDATE, AHMAD).props
    assert "health_notes" not in props and "benefit" not in props
    assert props["email"] == NEW["email"] and props["special_needs"] == NEW["special_needs"]


def test_each_save_logs_an_update_of_the_groups_it_changed(advisor, store):
    fields = form_fields(text(advisor.get(PATH)))
    fields["residence_until"] = "2030-01-31"
    fields["special_needs"] = "Rollstuhl"
    assert advisor.post(PATH, data=fields).status_code == 302
    updates = store.audit_events(candidate_id=AHMAD, action="update")
    assert sorted(e.field_group for e in updates) == ["health", "residence"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "ahmad.at.example.org", "Bitte eine E-Mail-Adresse wie name@example.org"),
        ("email", "a b@example.org", "Bitte eine E-Mail-Adresse wie name@example.org"),
        ("residence_status", "permanent_visa", "Bitte einen Wert aus der Liste wählen."),
        ("benefit", "SGB XII", "Bitte einen Wert aus der Liste wählen."),
        ("residence_until", "31.06.2030", "Bitte ein Datum wie 2026-12-01 eingeben."),
        ("residence_until", "2030-02-30", "Bitte ein Datum wie 2026-12-01 eingeben."),
        ("nationality", "Syrien", "Ländercode aus zwei Buchstaben"),
        ("phone", "12", "Telefonnummer mit 3 bis 40 Zeichen"),
        ("benefit_number", "9" * 41, "höchstens 40 Zeichen"),
        ("health_notes", "x" * 501, "höchstens 500 Zeichen"),
        ("birth_year", "1850", "Geburtsjahr zwischen 1900 und 2100"),
        ("gender", "x", "Bitte einen Wert aus der Liste wählen."),
    ],
)
def test_a_wrong_value_is_a_400_naming_it_and_nothing_is_saved(
    advisor, store, field, value, message
):
    before = store.get_node(Label.CANDIDATE, AHMAD).props
    fields = form_fields(text(advisor.get(PATH)))
    fields[field] = value
    fields["street"] = "Darf nicht gespeichert werden 1"
    response = advisor.post(PATH, data=fields)
    assert response.status_code == 400
    page = text(response)
    assert message in html.unescape(page)
    assert f'id="{field}-error"' in page and 'aria-invalid="true"' in page
    assert store.get_node(Label.CANDIDATE, AHMAD).props == before
    assert store.audit_events(candidate_id=AHMAD, action="update") == []


def test_a_conflict_names_the_changed_new_field_with_its_value(app, advisor, store):
    first = form_fields(text(advisor.get(PATH)))
    second = dict(first)
    first["residence_status"] = "toleration"
    first["benefit_number"] = "NEU-1"
    assert advisor.post(PATH, data=first).status_code == 302
    other = signed_in(app, "advisor")  # a colleague, who loaded the form at the same time
    second["csrf_token"] = form_fields(text(other.get(PATH)))["csrf_token"]
    second["phone"] = "02433 1234"
    conflict = other.post(PATH, data=second)
    assert conflict.status_code == 409
    page = html.unescape(text(conflict))
    assert "Nichts wurde überschrieben" in page
    assert "Geändert wurde: Aufenthaltsstatus, Aktenzeichen der Leistung." in page
    assert '<th scope="row">Aufenthaltsstatus</th><td>Duldung</td>' in page
    assert "NEU-1" in page
    props = store.get_node(Label.CANDIDATE, AHMAD).props
    assert props["phone"] == "+49 2433 555014" and props["benefit_number"] == "NEU-1"
    # the second person's input is kept, on the new version
    again = form_fields(text(conflict))
    assert again["phone"] == "02433 1234" and again["version"] == str(props["version"])


def test_a_coach_and_an_employer_never_see_the_edited_fields(app, advisor, store):
    fields = form_fields(text(advisor.get(PATH)))
    fields.update(NEW)
    assert advisor.post(PATH, data=fields).status_code == 302
    coach = signed_in(app, "coach")
    employer = signed_in(app, "employer")
    pages = {
        "coach list": coach.get("/coach/"),
        "coach mentee": coach.get(f"/coach/mentees/{AHMAD}"),
        "employer fits": employer.get("/employer/offers/of-kommissionierer-rurtal/candidates"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        shown = html.unescape(text(response))
        hidden = WITHHELD if where.startswith("coach") else WITHHELD + CONTACT
        for secret in hidden:
            assert secret not in shown, (where, secret)
    assert "ahmad.neu@example.org" in text(pages["coach mentee"])  # the coach's contact
    # the employer does see Ahmad's matching profile, under the company's pseudonym
    alias = pseudonym(app.config["SECRET_KEY"], USERS["employer"].company, AHMAD)
    assert f'id="cand-{alias}"' in text(pages["employer fits"])
    # neither of them can open the edit page
    assert coach.get(PATH).status_code in (403, 404)
    assert employer.get(PATH).status_code in (403, 404)
