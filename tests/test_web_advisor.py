"""The advisor pages through Flask's test client on the embedded store with the sample
world: every page renders for an advisor, other organisations' candidates are 404,
propose and enrol write exactly what they should (and only with a CSRF token), and the
dashboard shows the numbers counted by hand."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from graph.model import Label, Rel
from graph.store import User
from graph.stores import StoreSettings
from graph.world import import_world
from web import create_app
from web.passwords import Passwords
from web.store import get_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "importers" / "data" / "sample_world.json"
PASSWORD = "richtig-geheim-42"
ADVISOR = User(
    id="u-advisor",
    email="advisor@jobcenter.example",
    role="advisor",
    display_name="Anna Berger",
    organization="o-jobcenter-hs",
)
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
OWN = "p-rahel-tesfay"  # Jobcenter Heinsberg
FOREIGN = "p-olena-kovalenko"  # Agentur für Arbeit
OFFER = "of-produktion-feinkost"


def make_app(tmp_path: Path, csrf: bool = True):
    config = {"TESTING": True, "WEGWEISER_PASSWORD_PROFILE": "cheap"}
    if not csrf:
        config["WTF_CSRF_ENABLED"] = False
    app = create_app(config, store_settings=StoreSettings(data_dir=tmp_path / "data"))
    with app.app_context():
        store = get_store()
        import_world(store, SAMPLE)
        store.save_user(replace(ADVISOR, password_hash=Passwords("cheap").hash(PASSWORD)))
    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    app.extensions["wegweiser.store"].close()


@pytest.fixture
def store(app):
    return app.extensions["wegweiser.store"]


def token(client, path: str) -> str:
    found = CSRF.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


@pytest.fixture
def client(app):
    client = app.test_client()
    response = client.post(
        "/login",
        data={
            "email": ADVISOR.email,
            "password": PASSWORD,
            "csrf_token": token(client, "/login"),
        },
    )
    assert response.status_code == 302
    return client


def placements_of(store, candidate_id: str) -> list[str]:
    return [
        r.source_id
        for r in store.relationships(Label.CANDIDATE, candidate_id)
        if r.type == Rel.OF_CANDIDATE and r.source_label == Label.PLACEMENT
    ]


def enrolments_of(store, candidate_id: str) -> list[str]:
    return [
        r.source_id
        for r in store.relationships(Label.CANDIDATE, candidate_id)
        if r.type == Rel.OF_CANDIDATE and r.source_label == Label.ENROLMENT
    ]


PAGES = [
    "/advisor/",
    "/advisor/candidates",
    "/advisor/candidates?q=rahel",
    "/advisor/candidates?town=t-heinsberg&language=ar&status=waiting",
    f"/advisor/candidates/{OWN}",
    f"/advisor/candidates/{OWN}/offers",
    f"/advisor/candidates/{OWN}/offers/{OFFER}/gap",
    f"/advisor/candidates/{OWN}/offers/{OFFER}/route",
    f"/advisor/candidates/{OWN}/offers/{OFFER}/route?objective=ready_date&from=2027-01-01"
    "&alternatives=3",
    f"/advisor/candidates/{OWN}/interpreter",
    f"/advisor/candidates/{OWN}/interpreter?lang=ti&offer={OFFER}",
    "/advisor/region",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_every_page_renders_for_an_advisor(client, path, lang):
    sep = "&" if "?" in path else "?"
    response = client.get(f"{path}{sep}lang={lang}")
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    assert "<h1>" in page
    assert "style=" not in page and "<script" not in page
    assert "http://" not in page and "https://" not in page


@pytest.mark.parametrize(
    "path",
    [
        f"/advisor/candidates/{FOREIGN}",
        f"/advisor/candidates/{FOREIGN}/offers",
        f"/advisor/candidates/{FOREIGN}/offers/{OFFER}/gap",
        f"/advisor/candidates/{FOREIGN}/offers/{OFFER}/route",
        f"/advisor/candidates/{FOREIGN}/interpreter",
        "/advisor/candidates/p-does-not-exist",
        f"/advisor/candidates/{OWN}/offers/of-does-not-exist/gap",
    ],
)
def test_another_organisations_candidate_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_the_list_shows_only_own_candidates_and_filters(client):
    page = client.get("/advisor/candidates").get_data(as_text=True)
    assert "Rahel Tesfay" in page and "Olena Kovalenko" not in page
    page = client.get("/advisor/candidates?q=tesf").get_data(as_text=True)
    assert "Rahel Tesfay" in page and "Ahmad Al-Khatib" not in page
    waiting = client.get("/advisor/candidates?status=waiting").get_data(as_text=True)
    assert "Rahel Tesfay" in waiting and "Ahmad Al-Khatib" in waiting
    assert "Farid Ahmadi" not in waiting
    welders = client.get("/advisor/candidates?status=interview").get_data(as_text=True)
    assert "Farid Ahmadi" in welders and "Rahel Tesfay" not in welders


def test_the_profile_shows_provenance_and_pictograms(client):
    page = client.get("/advisor/candidates/p-ahmad-alkhatib").get_data(as_text=True)
    assert "DRK Hückelhoven am 2026-09-14" in page
    assert 'class="wg-icon"' in page
    assert "Walid Saleh" in page  # the coach
    assert "Staplerschein" in page  # the planned enrolment


def test_the_dashboard_equals_a_hand_count(client):
    # Jobcenter Heinsberg: 8 candidates. Placed (internship or hired) in 2026: Ahmad
    # (internship, Hückelhoven, m), Mustafa (job, hired, Übach-Palenberg, m), Alex (job,
    # internship then ended, Geilenkirchen, d); Farid is only at the interview. Waiting:
    # Rahel and Ahmad (planned). Open offers: 13 minus the closed sewing job = 12
    # (2 internships, 2 apprenticeships, 8 jobs).
    page = client.get("/advisor/").get_data(as_text=True)
    cells = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', page))
    if dt.date.today().year != 2026:
        pytest.skip("the sample world's placements are dated 2026")
    assert cells["Bewerberinnen und Bewerber"] == "8"
    assert cells["Vermittlungen"] == "3"
    assert cells["Anteil Frauen"] == "0 %"
    assert cells["Offene Angebote"] == "12"
    assert cells["Warten auf einen Kurs"] == "2"
    assert cells["Hückelhoven"] == "1" and cells["Übach-Palenberg"] == "1"
    assert cells["geplant"] == "2"
    assert page.count("<svg") >= 5


def test_propose_writes_one_placement_and_needs_csrf(client, store):
    before = placements_of(store, OWN)
    path = f"/advisor/candidates/{OWN}/propose"
    assert client.post(path, data={"offer": OFFER}).status_code == 400
    assert placements_of(store, OWN) == before
    csrf = token(client, f"/advisor/candidates/{OWN}/offers/{OFFER}/gap")
    response = client.post(path, data={"offer": OFFER, "csrf_token": csrf})
    assert response.status_code == 302
    new = set(placements_of(store, OWN)) - set(before)
    assert len(new) == 1
    placement = store.get_node(Label.PLACEMENT, new.pop())
    today = dt.date.today().isoformat()
    assert placement.props == {
        "status": "proposed",
        "history_statuses": ["proposed"],
        "history_dates": [today],
    }
    rels = {(r.type, r.target_id) for r in store.relationships(Label.PLACEMENT, placement.id)}
    assert rels == {(Rel.OF_CANDIDATE, OWN), (Rel.FOR_OFFER, OFFER)}
    # a second proposal to the same offer is refused, nothing written
    again = client.post(path, data={"offer": OFFER, "csrf_token": csrf}, follow_redirects=True)
    assert "Nicht gespeichert" in again.get_data(as_text=True)
    assert len(placements_of(store, OWN)) == len(before) + 1


def test_propose_for_another_organisation_is_not_found(client, store):
    csrf = token(client, f"/advisor/candidates/{OWN}/offers/{OFFER}/gap")
    path = f"/advisor/candidates/{FOREIGN}/propose"
    before = placements_of(store, FOREIGN)
    assert client.post(path, data={"offer": OFFER, "csrf_token": csrf}).status_code == 404
    assert placements_of(store, FOREIGN) == before


def test_enrol_writes_one_planned_enrolment_and_needs_csrf(client, store):
    course = store.get_node(Label.COURSE, "k-staplerschein")
    start = min(d for d in course.props["starts"] if d >= dt.date.today().isoformat())
    before = enrolments_of(store, OWN)
    path = f"/advisor/candidates/{OWN}/enrol"
    data = {"course": "k-staplerschein", "start": start}
    assert client.post(path, data=data).status_code == 400
    assert enrolments_of(store, OWN) == before
    csrf = token(client, f"/advisor/candidates/{OWN}/offers/{OFFER}/gap")
    assert client.post(path, data={**data, "csrf_token": csrf}).status_code == 302
    new = set(enrolments_of(store, OWN)) - set(before)
    assert len(new) == 1
    enrolment = store.get_node(Label.ENROLMENT, new.pop())
    assert enrolment.props == {"status": "planned", "start": start}
    rels = {(r.type, r.target_id) for r in store.relationships(Label.ENROLMENT, enrolment.id)}
    assert rels == {(Rel.OF_CANDIDATE, OWN), (Rel.IN_COURSE, "k-staplerschein")}
    # a date the course does not start on is refused, nothing written
    bad = {"course": "k-ik-a2", "start": "2031-02-30", "csrf_token": csrf}
    assert client.post(path, data=bad).status_code == 400
    wrong_day = {"course": "k-staplerschein", "start": "2030-01-02", "csrf_token": csrf}
    page = client.post(path, data=wrong_day, follow_redirects=True).get_data(as_text=True)
    assert "Nicht gespeichert" in page
    assert len(enrolments_of(store, OWN)) == len(before) + 1


def test_the_route_page_draws_the_route_and_offers_enrolment(client):
    page = client.get(f"/advisor/candidates/{OWN}/offers/{OFFER}/route").get_data(as_text=True)
    assert page.count('role="img"') >= 1
    assert "Beste Route" in page


def test_the_interpreter_view_shows_both_languages(client):
    page = client.get(
        "/advisor/candidates/p-ahmad-alkhatib/interpreter?lang=ar&offer=of-staplerfahrer-rurtal"
    ).get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "Gabelstapler" in page and "رافعة شوكية" in page
