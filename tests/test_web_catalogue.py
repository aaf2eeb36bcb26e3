"""Catalogue suggestions (``GET /catalogue/suggest``) and the forms that use them, through
Flask's test client on the embedded store with the sample world: every signed-in role
may ask, anonymous callers get 401, the answer is ``[{"id", "label", "kind"}]`` in the
user's language, and forms send the whole catalogue only while it is small."""

from __future__ import annotations

import re

import pytest

from graph.model import Label
from graph.records import GraphData, NodeRecord
from tests import test_web_auth
from tests.test_web_advisor_casework import _form_fields
from tests.test_web_auth import USERS, csrf_token, login
from web.catalogue import FULL_LIST_MAX

# the app, client and store fixtures of the login tests (embedded store, sample world)
app = test_web_auth.app
client = test_web_auth.client
store = test_web_auth.store

SUGGEST = "/catalogue/suggest"
OWN_CANDIDATE = "p-rahel-tesfay"  # Jobcenter Heinsberg, the advisor's organisation


def signed_in(client, role: str):
    assert login(client, USERS[role].email).status_code == 302
    return client


def suggest(client, **params: str):
    return client.get(SUGGEST, query_string=params)


def many_skills(store, count: int) -> None:
    """``count`` extra skills named "Prüffähigkeit NNN", to make the catalogue large."""
    nodes = [
        NodeRecord(Label.SKILL, f"s-extra-{i:04}", {"label_de": f"Prüffähigkeit {i:04}"})
        for i in range(count)
    ]
    store.import_graph(GraphData(nodes, []))


# --- the endpoint --------------------------------------------------------------------------


def test_anonymous_gets_401_problem(client):
    response = suggest(client, kind="skill", q="schweiß")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 401


@pytest.mark.parametrize("role", ["advisor", "employer", "coach", "admin"])
def test_every_signed_in_role_may_ask(client, role):
    response = suggest(signed_in(client, role), kind="skill", q="schweiß")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == [
        {"id": "s-mag-welding", "label": "MIG/MAG-Schweißen", "kind": "skill"}
    ]


def test_kinds_and_ranking(client):
    signed_in(client, "advisor")
    assert suggest(client, kind="tool", q="Gabel").get_json() == [
        {"id": "w-forklift", "label": "Gabelstapler", "kind": "tool"}
    ]
    assert suggest(client, kind="language", q="deu").get_json() == [
        {"id": "de", "label": "Deutsch", "kind": "language"}
    ]
    # item: skills and tools in one ranked list (both word prefixes; label decides)
    assert [e["id"] for e in suggest(client, kind="item", q="schweiß").get_json()] == [
        "s-mag-welding",
        "w-mag-welder",
    ]
    # equal ranks by label
    arbeitsschutz = suggest(client, kind="skill", q="arbeitsschutz").get_json()
    assert [e["label"] for e in arbeitsschutz] == [
        "Arbeitsschutz am Arbeitsplatz",
        "Arbeitsschutz auf der Baustelle",
    ]


def test_labels_follow_the_session_language(client):
    signed_in(client, "advisor")
    english = suggest(client, kind="skill", q="weld", lang="en").get_json()
    assert english == [
        {"id": "s-mag-welding", "label": "perform metal active gas welding", "kind": "skill"}
    ]
    # the language is remembered in the session; German is searched too, and a German
    # hit is shown with the German label (the one that contains what was typed)
    again = suggest(client, kind="skill", q="schweiß").get_json()
    assert again == [{"id": "s-mag-welding", "label": "MIG/MAG-Schweißen", "kind": "skill"}]
    # a word prefix ("patient lift") before a substring ("forklift truck")
    assert suggest(client, kind="tool", q="lift").get_json() == [
        {"id": "w-patient-lift", "label": "patient lift", "kind": "tool"},
        {"id": "w-forklift", "label": "forklift truck", "kind": "tool"},
    ]
    arabic = suggest(client, kind="tool", q="Bagger", lang="ar").get_json()
    assert arabic and arabic[0]["id"] == "w-excavator"


def test_short_or_unknown_texts_give_an_empty_list(client):
    signed_in(client, "employer")
    assert suggest(client, kind="skill", q="s").get_json() == []
    assert suggest(client, kind="skill", q="  s  ").get_json() == []
    assert suggest(client, kind="skill").get_json() == []
    assert suggest(client, kind="skill", q="Raketenbau").get_json() == []
    assert suggest(client, kind="skill", q="%_").get_json() == []


def test_at_most_twenty(client, store):
    many_skills(store, 30)
    signed_in(client, "coach")
    found = suggest(client, kind="skill", q="prüffähigkeit").get_json()
    assert [e["id"] for e in found] == [f"s-extra-{i:04}" for i in range(20)]


@pytest.mark.parametrize("kind", ["", "occupation", "candidate", "SKILL"])
def test_unknown_kind_is_a_400_problem(client, kind):
    signed_in(client, "advisor")
    response = suggest(client, kind=kind, q="schweiß")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "kind must be one of skill, tool, language, item" in response.get_json()["detail"]


def test_too_long_text_is_a_400_problem(client):
    signed_in(client, "advisor")
    response = suggest(client, kind="skill", q="x" * 201)
    assert response.status_code == 400
    assert "q must be at most 200" in response.get_json()["detail"]


# --- the forms -----------------------------------------------------------------------------


def datalist(page: str, list_id: str) -> str:
    found = re.search(rf'<datalist id="{list_id}">(.*?)</datalist>', page, re.S)
    assert found, f"no datalist {list_id}"
    return found.group(1)


def test_advisor_form_sends_a_small_catalogue_whole_and_a_large_one_not(client, store):
    signed_in(client, "advisor")
    path = f"/advisor/candidates/{OWN_CANDIDATE}/edit"
    page = client.get(path).get_data(as_text=True)
    assert 'value="MIG/MAG-Schweißen"' in datalist(page, "catalogue-skill")
    assert 'data-suggest="skill"' in page and 'data-suggest="tool"' in page
    assert 'src="/static/suggest.js" data-suggest-url="/catalogue/suggest"' in page
    many_skills(store, FULL_LIST_MAX)
    page = client.get(path).get_data(as_text=True)
    assert "<option" not in datalist(page, "catalogue-skill")
    assert "Prüffähigkeit" not in page
    assert 'value="Gabelstapler"' in datalist(page, "catalogue-tool")  # tools are few
    # without JavaScript a typed label still resolves on save
    fields = _form_fields(page)
    empty = next(i for i in range(40) if not fields.get(f"skills-{i}-item"))
    fields[f"skills-{empty}-item"] = "prüffähigkeit 0123"
    assert client.post(path, data=fields).status_code == 302
    assert "s-extra-0123" in store.candidate_profile(OWN_CANDIDATE).skills


def test_advisor_form_offers_the_closest_labels_for_an_unknown_one(client, store):
    signed_in(client, "advisor")
    path = f"/advisor/candidates/{OWN_CANDIDATE}/edit"
    fields = _form_fields(client.get(path).get_data(as_text=True))
    empty = next(i for i in range(40) if not fields.get(f"tools-{i}-item"))
    fields[f"tools-{empty}-item"] = "Gabelstabler"
    response = client.post(path, data=fields)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert (
        f"Zeile {empty + 1}: „Gabelstabler“ steht nicht im Katalog. "
        "Meinten Sie: „Gabelstapler“?" in text
    )


def test_employer_form_uses_suggestions_for_a_large_catalogue(client, store):
    signed_in(client, "employer")
    page = client.get("/employer/offers/new").get_data(as_text=True)
    assert 'value="Gabelstapler"' in datalist(page, "catalogue")
    assert 'data-suggest="item"' in page
    many_skills(store, FULL_LIST_MAX)
    page = client.get("/employer/offers/new").get_data(as_text=True)
    assert "<option" not in datalist(page, "catalogue")
    data = {
        "csrf_token": csrf_token(client, "/employer/offers/new"),
        "kind": "internship",
        "title": "Praktikum Lager",
        "seats": "1",
        "open": "y",
        "town": "t-hueckelhoven",
        "requirements-0-item": "Schweissen",
        "requirements-0-level": "1",
    }
    response = client.post("/employer/offers/new", data=data)
    assert response.status_code == 400
    assert (
        "Zeile 1: „Schweissen“ ist keine bekannte Fähigkeit und kein bekanntes Werkzeug. "
        "Meinten Sie: „MIG/MAG-Schweißen“, „MIG/MAG-Schweißgerät“?"
    ) in response.get_data(as_text=True)
