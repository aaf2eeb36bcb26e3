"""Coach pages: own mentees only (another coach's mentee is 404), each mentee's plan and
placements, and contact notes (CSRF, readable by the coach and the candidate's advisors
only) — through Flask's test client on the embedded store with the sample world."""

from __future__ import annotations

import re

import pytest

from graph.contact import notes_of
from graph.model import Label
from tests import test_web_auth
from tests.test_web_auth import USERS, csrf_token, login

# the app, client and store fixtures of the login tests (embedded store, sample world)
app = test_web_auth.app
client = test_web_auth.client
store = test_web_auth.store

COACH = USERS["coach"]  # Walid Saleh: Ahmad, Rojhat, Noor
MENTEE = "p-ahmad-alkhatib"
OTHERS_MENTEE = "p-farid-ahmadi"  # Gisela Hermanns'


@pytest.fixture
def coach(client):
    assert login(client, COACH.email).status_code == 302
    return client


def page(response) -> str:
    return response.get_data(as_text=True)


def test_the_list_shows_own_mentees_only(coach):
    text = page(coach.get("/coach/"))
    for name in ("Ahmad Al-Khatib", "Rojhat Ibrahim", "Noor Al-Hassan"):
        assert name in text
    for name in ("Farid Ahmadi", "Olena Kovalenko", "Yonas Kidane"):
        assert name not in text
    assert "Praktikum Lager und Logistik (4 Wochen): Praktikum" in text


@pytest.mark.parametrize("mentee", ["p-ahmad-alkhatib", "p-rojhat-ibrahim", "p-noor-alhassan"])
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_every_mentee_page_answers(coach, mentee, lang):
    response = coach.get(f"/coach/mentees/{mentee}?lang={lang}")
    assert response.status_code == 200
    assert "<h2>" in page(response)


def test_another_coachs_mentee_is_404(coach):
    assert coach.get(f"/coach/mentees/{OTHERS_MENTEE}").status_code == 404
    assert coach.get("/coach/mentees/p-nobody").status_code == 404
    token = csrf_token(coach, "/coach/")
    response = coach.post(
        f"/coach/mentees/{OTHERS_MENTEE}", data={"csrf_token": token, "text": "Hallo"}
    )
    assert response.status_code == 404


def test_the_plan_goes_to_the_current_placements_offer(coach):
    text = page(coach.get(f"/coach/mentees/{MENTEE}"))
    assert "Praktikum Lager und Logistik (4 Wochen)" in text
    assert "Qualifizierungsplan" in text and "<svg" in text
    assert "Stand: <strong>Praktikum</strong>" in text


def test_a_chosen_offer_must_be_one_of_the_mentees_placements(coach):
    assert coach.get(f"/coach/mentees/{MENTEE}?offer=of-cnc-praezision").status_code == 404
    ok = coach.get(f"/coach/mentees/{MENTEE}?offer=of-praktikum-lager-rurtal")
    assert ok.status_code == 200


def test_notes_are_written_and_listed(coach, store):
    token = csrf_token(coach, f"/coach/mentees/{MENTEE}")
    response = coach.post(
        f"/coach/mentees/{MENTEE}", data={"csrf_token": token, "text": "Erstes Treffen <b>gut</b>"}
    )
    assert response.status_code == 302
    [note] = notes_of(store, MENTEE)
    assert note.text == "Erstes Treffen <b>gut</b>" and note.coach == COACH.coach
    text = page(coach.get(f"/coach/mentees/{MENTEE}"))
    assert "Erstes Treffen &lt;b&gt;gut&lt;/b&gt;" in text  # escaped, never markup


def test_a_note_needs_csrf_and_text(coach, store):
    path = f"/coach/mentees/{MENTEE}"
    assert coach.post(path, data={"text": "ohne Token"}).status_code == 400
    token = csrf_token(coach, path)
    response = coach.post(path, data={"csrf_token": token, "text": "   "})
    assert response.status_code == 400
    assert "Bitte schreiben Sie etwas in die Notiz." in page(response)
    assert store.counts()[Label.NOTE] == 0


def test_another_coach_does_not_see_the_notes(coach, store, app):
    token = csrf_token(coach, f"/coach/mentees/{MENTEE}")
    coach.post(f"/coach/mentees/{MENTEE}", data={"csrf_token": token, "text": "vertraulich"})
    from dataclasses import replace

    from graph.store import User
    from tests.test_web_auth import PASSWORD
    from web.passwords import Passwords

    other = User(
        id="u-coach-2", email="gisela@drk.example", role="coach", coach="co-gisela-hermanns"
    )
    store.save_user(replace(other, password_hash=Passwords("cheap").hash(PASSWORD)))
    second = app.test_client()
    login(second, other.email)
    assert second.get(f"/coach/mentees/{MENTEE}").status_code == 404
    assert "vertraulich" not in page(second.get("/coach/"))
    assert re.search(r"Farid Ahmadi", page(second.get("/coach/")))


def test_other_roles_cannot_enter(client):
    login(client, USERS["employer"].email)
    assert client.get(f"/coach/mentees/{MENTEE}").status_code == 403
