"""The JSON API ``/api/v1``: every operation for every role, scopes (404 outside),
pagination, problem details, and the OpenAPI document — which every response of this
module is validated against (status, media type and body schema).

Flask test client on the embedded store with the sample world, as ``test_web_auth``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from graph.gap import gap_to_json, skill_gap
from graph.pseudonyms import pseudonym
from graph.routes import route_for, route_to_json
from graph.store import User
from graph.stores import StoreSettings
from graph.world import import_world
from web import create_app
from web.api.problems import problem
from web.passwords import Passwords
from web.store import get_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "importers" / "data" / "sample_world.json"
PASSWORD = "richtig-geheim-42"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
USERS = {
    "advisor": User(
        id="u-advisor",
        email="advisor@jobcenter.example",
        role="advisor",
        organization="o-jobcenter-hs",
    ),
    "employer": User(
        id="u-employer",
        email="employer@rurtal.example",
        role="employer",
        company="c-rurtal-logistik",
    ),
    "coach": User(id="u-coach", email="coach@drk.example", role="coach", coach="co-walid-saleh"),
    "admin": User(id="u-admin", email="admin@kreis.example", role="admin"),
}
ROLES = sorted(USERS)
WORLD = json.loads(SAMPLE.read_text(encoding="utf-8"))
JOBCENTER = sorted(
    c["id"] for c in WORLD["candidates"] if c.get("organization") == "o-jobcenter-hs"
)
MENTEES = ["p-ahmad-alkhatib", "p-noor-alhassan", "p-rojhat-ibrahim"]
RURTAL_OFFERS = sorted(o["id"] for o in WORLD["offers"] if o["company"] == "c-rurtal-logistik")
OFFER = "of-kommissionierer-rurtal"
AHMAD = "p-ahmad-alkhatib"
OLENA = "p-olena-kovalenko"  # registered with the Agentur, not the Jobcenter


# --- fixtures and a client that checks every answer against the document ---------------


@pytest.fixture
def app(tmp_path):
    app = make_app(StoreSettings(data_dir=tmp_path / "data"))
    yield app
    app.extensions["wegweiser.store"].close()


@pytest.fixture
def store(app):
    return app.extensions["wegweiser.store"]


@pytest.fixture(scope="module")
def document():
    app = create_app({"TESTING": True, "SECRET_KEY": "x"}, store_settings=_unused_settings())
    try:
        response = app.test_client().get("/api/v1/openapi.json")
    finally:
        app.extensions["wegweiser.store"].close()
    assert response.status_code == 200
    return response.get_json()


def make_app(settings: StoreSettings):
    app = create_app(
        {"TESTING": True, "WEGWEISER_PASSWORD_PROFILE": "cheap", "SECRET_KEY": "api-test"},
        store_settings=settings,
    )
    with app.app_context():
        store = get_store()
        store.clear()  # a Neo4j server may hold another test's graph
        store.init_schema()
        import_world(store, SAMPLE)
        hashed = Passwords("cheap").hash(PASSWORD)
        for user in USERS.values():
            store.save_user(replace(user, password_hash=hashed))
    return app


def _unused_settings() -> StoreSettings:
    import tempfile

    return StoreSettings(data_dir=Path(tempfile.mkdtemp(prefix="wegweiser-api-doc-")))


class Api:
    """A test client whose every GET is checked against the OpenAPI document: the path
    is documented, the status is one the operation lists, the media type is JSON (or
    problem+json for errors), and the body validates against the listed schema."""

    def __init__(self, client, document) -> None:
        self.client = client
        self.document = document
        self.checked = 0

    def login(self, role: str) -> Api:
        page = self.client.get("/login").get_data(as_text=True)
        token = CSRF.search(page).group(1)
        response = self.client.post(
            "/login",
            data={"csrf_token": token, "email": USERS[role].email, "password": PASSWORD},
        )
        assert response.status_code == 302, f"{role} could not sign in"
        return self

    def get(self, url: str, status: int = 200):
        response = self.client.get(url)
        assert response.status_code == status, (url, response.get_data(as_text=True))
        self.check(url, response)
        return response

    def check(self, url: str, response) -> None:
        path = urlsplit(url).path
        operation = self._operation(path)
        code = str(response.status_code)
        assert code in operation["responses"], f"{path}: {code} is not documented"
        content = operation["responses"][code]["content"]
        media = "application/json" if response.status_code < 400 else "application/problem+json"
        assert response.mimetype == media
        schema = {
            **content[media]["schema"],
            "components": self.document["components"],
            "$schema": "https://json-schema.org/draft/2020-12/schema",
        }
        Draft202012Validator(schema).validate(response.get_json())
        self.checked += 1

    def _operation(self, path: str) -> dict:
        assert path.startswith("/api/v1/") or path == "/api/v1"
        local = path[len("/api/v1") :] or "/"
        for template, item in self.document["paths"].items():
            pattern = "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern, local):
                return item["get"]
        # not a documented path: only a 404 problem is acceptable
        return {
            "responses": {
                "404": {
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    }
                }
            }
        }


@pytest.fixture
def api(app, document):
    return Api(app.test_client(), document)


def as_role(api: Api, role: str) -> Api:
    return api.login(role)


def ids(response) -> list[str]:
    return [item["id"] for item in response.get_json()["items"]]


# --- the document ----------------------------------------------------------------------


def test_openapi_document_is_a_valid_openapi_3_1_document(document):
    validate_spec(document)
    assert document["openapi"].startswith("3.1")
    assert "Problem" in document["components"]["schemas"]
    problem_schema = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "instance"} <= set(problem_schema["required"])


def test_openapi_document_describes_every_api_route_and_its_errors(app, document):
    rules = {
        re.sub(r"<(\w+)>", r"{\1}", rule.rule)[len("/api/v1") :] or "/"
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
    }
    assert rules == set(document["paths"])
    for path, item in document["paths"].items():
        operation = item["get"]
        assert operation["operationId"] and operation["summary"]
        if path == "/openapi.json":
            assert operation["security"] == []
            continue
        codes = set(operation["responses"])
        assert {"200", "401", "405", "500"} <= codes, path
        if "{" in path:
            assert "404" in codes, path
        if operation["parameters"]:
            assert "400" in codes, path
        for code in codes - {"200"}:
            schema = operation["responses"][code]["content"]["application/problem+json"]
            assert schema["schema"] == {"$ref": "#/components/schemas/Problem"}
    listed = document["paths"]["/candidates"]["get"]
    names = {p["name"] for p in listed["parameters"]}
    assert names == {"town", "language", "skill", "tool", "page", "per_page"}
    per_page = next(p for p in listed["parameters"] if p["name"] == "per_page")
    assert per_page["schema"]["maximum"] == 100
    assert "Link" in listed["responses"]["200"]["headers"]


def test_openapi_document_is_public(api):
    response = api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["info"]["title"] == "Wegweiser API"


# --- who may call what -------------------------------------------------------------------

EVERY_OPERATION = [
    "/api/v1/",
    "/api/v1/candidates",
    f"/api/v1/candidates/{AHMAD}",
    f"/api/v1/candidates/{AHMAD}/gap?offer={OFFER}",
    f"/api/v1/candidates/{AHMAD}/plan?offer={OFFER}",
    f"/api/v1/candidates/{AHMAD}/matches",
    "/api/v1/offers",
    f"/api/v1/offers/{OFFER}",
    f"/api/v1/offers/{OFFER}/matches",
    "/api/v1/courses",
    "/api/v1/courses/k-ik-a1",
    "/api/v1/coaches",
]


@pytest.mark.parametrize("url", EVERY_OPERATION)
def test_without_signing_in_every_operation_is_401_problem(api, url):
    body = api.get(url, 401).get_json()
    assert body["title"] == "Unauthorized"
    assert body["instance"] == url
    assert "session cookie" in body["detail"]


# role → status for each url (ahmad: Jobcenter candidate and mentee of the coach; the
# offer: Rurtal's, the employer's own; coaches see no offers).
EXPECTED = {
    "/api/v1/": dict(advisor=200, coach=200, employer=200, admin=200),
    f"/api/v1/candidates/{AHMAD}": dict(advisor=200, coach=200, employer=404, admin=200),
    f"/api/v1/candidates/{OLENA}": dict(advisor=404, coach=404, employer=404, admin=200),
    "/api/v1/candidates/p-nobody": dict(advisor=404, coach=404, employer=404, admin=404),
    f"/api/v1/candidates/{AHMAD}/gap?offer={OFFER}": dict(
        advisor=200, coach=404, employer=404, admin=200
    ),
    f"/api/v1/candidates/{OLENA}/gap?offer={OFFER}": dict(
        advisor=404, coach=404, employer=404, admin=200
    ),
    f"/api/v1/candidates/{AHMAD}/plan?offer={OFFER}": dict(
        advisor=200, coach=404, employer=404, admin=200
    ),
    f"/api/v1/candidates/{AHMAD}/matches": dict(advisor=200, coach=200, employer=404, admin=200),
    f"/api/v1/candidates/{OLENA}/matches": dict(advisor=404, coach=404, employer=404, admin=200),
    f"/api/v1/offers/{OFFER}": dict(advisor=200, coach=404, employer=200, admin=200),
    "/api/v1/offers/of-schweisser-grenzland": dict(advisor=200, coach=404, employer=404, admin=200),
    f"/api/v1/offers/{OFFER}/matches": dict(advisor=200, coach=404, employer=200, admin=200),
    "/api/v1/offers/of-schweisser-grenzland/matches": dict(
        advisor=200, coach=404, employer=404, admin=200
    ),
    "/api/v1/courses/k-ik-a1": dict(advisor=200, coach=200, employer=200, admin=200),
    "/api/v1/courses/k-nothing": dict(advisor=404, coach=404, employer=404, admin=404),
}
# lists: role → total
TOTALS = {
    "/api/v1/candidates": dict(advisor=len(JOBCENTER), coach=3, employer=0, admin=14),
    "/api/v1/offers": dict(advisor=13, coach=0, employer=3, admin=13),
    "/api/v1/courses": dict(advisor=18, coach=18, employer=18, admin=18),
    "/api/v1/coaches": dict(advisor=4, coach=1, employer=0, admin=4),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_operation_for_each_role(api, role):
    as_role(api, role)
    for url, by_role in EXPECTED.items():
        response = api.get(url, by_role[role])
        if by_role[role] == 404:
            body = response.get_json()
            assert body["status"] == 404 and body["title"] == "Not Found"
            assert body["detail"].startswith("no "), body  # "no Offer with id '…'"
    for url, by_role in TOTALS.items():
        body = api.get(url).get_json()
        assert body["total"] == by_role[role], (url, role)
    assert api.checked == len(EXPECTED) + len(TOTALS)


def test_a_404_outside_the_scope_reads_like_one_for_a_missing_id(api):
    as_role(api, "advisor")
    outside = api.get(f"/api/v1/candidates/{OLENA}", 404).get_json()
    missing = api.get("/api/v1/candidates/p-nobody", 404).get_json()
    assert outside["detail"] == f"no Candidate with id {OLENA!r}"
    assert missing["detail"] == "no Candidate with id 'p-nobody'"


def test_index_names_the_signed_in_user(api):
    as_role(api, "coach")
    body = api.get("/api/v1/").get_json()
    assert body["user"] == {"id": "u-coach", "email": "coach@drk.example", "role": "coach"}


# --- candidates ------------------------------------------------------------------------


def test_advisor_lists_exactly_the_candidates_of_their_organisation(api):
    as_role(api, "advisor")
    assert ids(api.get("/api/v1/candidates?per_page=100")) == JOBCENTER


def test_coach_lists_exactly_their_mentees(api):
    as_role(api, "coach")
    assert ids(api.get("/api/v1/candidates")) == MENTEES


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("town=t-heinsberg", ["p-rahel-tesfay", "p-rojhat-ibrahim"]),
        ("skill=s-mag-welding", ["p-farid-ahmadi", "p-rojhat-ibrahim"]),
        ("tool=w-forklift", ["p-alex-schmitz"]),
        (
            "language=ar",
            [
                "p-abdirahman-warsame",
                "p-ahmad-alkhatib",
                "p-noor-alhassan",
                "p-rahel-tesfay",
                "p-rojhat-ibrahim",
            ],
        ),
        ("language=ar&town=t-heinsberg", ["p-rahel-tesfay", "p-rojhat-ibrahim"]),
        ("skill=s-mag-welding&town=t-erkelenz", ["p-farid-ahmadi"]),
        ("skill=s-cnc-turning", []),  # Dmytro has it, but he is the Agentur's
    ],
)
def test_candidate_filters_combine_within_the_scope(api, query, expected):
    as_role(api, "advisor")
    assert ids(api.get(f"/api/v1/candidates?{query}")) == expected


def test_candidate_profile_has_levels_labels_and_provenance(api):
    as_role(api, "advisor")
    body = api.get(f"/api/v1/candidates/{AHMAD}").get_json()
    assert body["name"] == "Ahmad Al-Khatib"
    assert body["town"]["id"] == "t-hueckelhoven"
    assert body["organizations"] == ["o-jobcenter-hs"]
    assert body["coaches"] == ["co-walid-saleh"]
    assert body["consent"] == {"profile_sharing": True, "contact": True}
    picking = next(s for s in body["skills"] if s["id"] == "s-order-picking")
    assert picking["source"] == "assessed"
    assert picking["assessed_by"] == "DRK Hückelhoven"
    assert picking["assessed_at"] == "2026-09-14"
    assert {"de", "ar"} <= set(picking["labels"])
    languages = {lang["id"]: lang["level"] for lang in body["languages"]}
    assert languages == {"ar": "native", "de": "A2", "en": "A2"}
    assert body["tools"][0]["id"] == "w-pallet-truck" and body["tools"][0]["level"] == 1


# --- pagination ------------------------------------------------------------------------

LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def links(response) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(response.headers["Link"])}


def test_pages_walk_through_the_whole_list_by_link_headers(api):
    as_role(api, "advisor")
    url = "/api/v1/candidates?per_page=3"
    seen, pages = [], 0
    while url:
        response = api.get(url)
        body = response.get_json()
        assert body["per_page"] == 3 and body["total"] == len(JOBCENTER)
        assert len(body["items"]) <= 3
        seen += ids(response)
        pages += 1
        rels = links(response)
        assert "first" in rels and "last" in rels
        url = rels.get("next", "")
        if url:
            url = urlsplit(url)._replace(scheme="", netloc="").geturl()
    assert pages == 3
    assert seen == JOBCENTER


def test_link_headers_keep_the_filters_and_a_page_past_the_end_is_empty(api):
    as_role(api, "admin")
    first = api.get("/api/v1/offers?kind=job&per_page=2")
    rels = links(first)
    assert set(rels) == {"first", "last", "next"}
    assert "kind=job" in rels["next"] and "page=2" in rels["next"]
    total = first.get_json()["total"]
    assert total == sum(o["kind"] == "job" for o in WORLD["offers"])
    last_page = -(-total // 2)
    assert f"page={last_page}" in rels["last"]
    beyond = api.get(f"/api/v1/offers?kind=job&per_page=2&page={last_page + 1}")
    assert beyond.get_json()["items"] == []
    assert "prev" in links(beyond) and "next" not in links(beyond)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("page=zwei", "page"),
        ("perpage=10", "perpage"),
        ("page=1&page=2", "page"),
        ("town=t-nowhere", "town"),
        ("skill=", "skill"),
    ],
)
def test_a_bad_query_parameter_is_a_400_problem_naming_it(api, query, name):
    as_role(api, "advisor")
    body = api.get(f"/api/v1/candidates?{query}", 400).get_json()
    assert body["title"] == "Bad Request"
    assert [p["name"] for p in body["invalid_params"]] == [name]
    assert name in body["detail"]
    assert body["instance"] == f"/api/v1/candidates?{query}"


def test_every_wrong_parameter_is_named_at_once(api):
    as_role(api, "advisor")
    body = api.get(f"/api/v1/candidates/{AHMAD}/plan?objective=fast&from=morgen", 400).get_json()
    assert sorted(p["name"] for p in body["invalid_params"]) == ["from", "objective", "offer"]


# --- offers and courses ----------------------------------------------------------------


def test_offers_filter_by_kind_and_open(api):
    as_role(api, "advisor")
    closed = api.get("/api/v1/offers?open=false").get_json()
    assert [o["id"] for o in closed["items"]] == ["of-naeherin-wurmtal-textil"]
    opened = api.get("/api/v1/offers?open=true&per_page=100").get_json()
    assert opened["total"] == 12 and all(o["open"] for o in opened["items"])
    internships = ids(api.get("/api/v1/offers?kind=internship"))
    assert internships == ["of-praktikum-lager-rurtal", "of-praktikum-maurer-hanssen"]
    body = api.get("/api/v1/offers?kind=ehrenamt", 400).get_json()
    assert body["invalid_params"][0]["name"] == "kind"
    assert api.get("/api/v1/offers?open=vielleicht", 400).get_json()["invalid_params"]


def test_employer_lists_only_their_own_offers(api):
    as_role(api, "employer")
    assert ids(api.get("/api/v1/offers")) == RURTAL_OFFERS
    offer = api.get(f"/api/v1/offers/{OFFER}").get_json()
    assert offer["company"] == "c-rurtal-logistik"
    essentials = {(r["kind"], r["id"]) for r in offer["requirements"] if r["essential"]}
    assert ("tool", "w-hand-scanner") in essentials


def test_courses_list_and_one_course_with_what_it_teaches(api):
    as_role(api, "coach")
    listed = api.get("/api/v1/courses?per_page=5&page=2").get_json()
    everything = sorted(c["id"] for c in WORLD["courses"])
    assert [c["id"] for c in listed["items"]] == everything[5:10]
    course = api.get("/api/v1/courses/k-ik-a1").get_json()
    assert course["weeks"] == 10 and course["provider"] == "o-sprachzentrum"
    assert course["town"] == "t-heinsberg"
    assert course["teaches"] == [
        {"kind": "language", "id": "de", "level": "A1", "labels": {"de": "Deutsch", "en": "German"}}
    ]
    assert course["starts"][0] == "2027-01-11"


def test_coaches_show_free_capacity(api):
    as_role(api, "advisor")
    coaches = {c["id"]: c for c in api.get("/api/v1/coaches").get_json()["items"]}
    walid = coaches["co-walid-saleh"]
    assert walid["mentees"] == 3 and walid["capacity"] == 4 and walid["free"] == 1
    assert walid["languages"] == ["ar", "de", "en", "ku"]
    as_role(api, "coach")
    assert ids(api.get("/api/v1/coaches")) == ["co-walid-saleh"]


# --- gap, plan, matches ----------------------------------------------------------------


def test_gap_is_the_domain_gap(api, store):
    as_role(api, "advisor")
    body = api.get(f"/api/v1/candidates/{AHMAD}/gap?offer={OFFER}").get_json()
    expected = gap_to_json(skill_gap(store.candidate_profile(AHMAD), store.offer_profile(OFFER)))
    assert body == json.loads(json.dumps(expected))
    assert api.get(f"/api/v1/candidates/{AHMAD}/gap", 400).get_json()["invalid_params"] == [
        {"name": "offer", "reason": "is required"}
    ]
    assert api.get(f"/api/v1/candidates/{AHMAD}/gap?offer=of-nothing", 404)


@pytest.mark.parametrize("objective", ["weeks", "ready_date"])
def test_plan_is_what_the_cli_prints(api, store, objective):
    as_role(api, "advisor")
    offer = "of-schweisser-grenzland"
    url = f"/api/v1/candidates/p-rojhat-ibrahim/plan?offer={offer}&objective={objective}"
    body = api.get(url + "&from=2026-12-01&alternatives=2").get_json()
    report = route_for(
        store,
        "p-rojhat-ibrahim",
        offer,
        objective=objective,
        start=dt.date(2026, 12, 1),
        alternatives=2,
    )
    assert body == json.loads(json.dumps(route_to_json(report)))
    assert body["objective"] == objective
    assert body["feasible"] and body["courses"]


def test_candidate_matches_are_offers_with_explanations(api):
    as_role(api, "advisor")
    body = api.get(f"/api/v1/candidates/{AHMAD}/matches?limit=3").get_json()
    assert body["candidate"] == AHMAD
    assert len(body["items"]) == 3
    best = body["items"][0]
    assert best["gap"]["candidate"] == AHMAD
    assert best["gap"]["offer"] == best["offer"]
    fits = [m["fit"] for m in body["items"]]
    assert fits[0] == max(fits)
    jobs = api.get(f"/api/v1/candidates/{AHMAD}/matches?kind=internship").get_json()
    assert {m["kind"] for m in jobs["items"]} == {"internship"}


def test_candidate_matches_radius_needs_a_town(api):
    as_role(api, "advisor")
    url = f"/api/v1/candidates/{AHMAD}/matches"
    near = api.get(f"{url}?town=t-hueckelhoven&radius_km=5&limit=50").get_json()
    assert near["items"]
    assert all(m["distance_km"] is not None and m["distance_km"] <= 5 for m in near["items"])
    names = lambda q: [p["name"] for p in api.get(f"{url}?{q}", 400).get_json()["invalid_params"]]  # noqa: E731
    assert names("radius_km=10") == ["town"]
    assert names("town=t-heinsberg") == ["radius_km"]
    assert names("town=t-nowhere&radius_km=10") == ["town"]
    assert names("town=t-heinsberg&radius_km=-1") == ["radius_km"]
    assert names("limit=0") == ["limit"]


def test_coach_sees_a_mentee_but_no_offers_to_match(api):
    as_role(api, "coach")
    body = api.get(f"/api/v1/candidates/{AHMAD}/matches").get_json()
    assert body["items"] == []


def test_advisor_offer_matches_are_their_own_candidates_by_name(api):
    as_role(api, "advisor")
    body = api.get(f"/api/v1/offers/{OFFER}/matches?limit=100").get_json()
    assert body["pseudonymised"] is False
    found = [m["candidate"] for m in body["items"]]
    assert found and set(found) <= set(JOBCENTER)
    assert found[0] in {"p-alex-schmitz", AHMAD}
    assert body["items"][0]["name"]


def test_employer_offer_matches_are_pseudonymous_and_consenting_only(api):
    as_role(api, "employer")
    response = api.get(f"/api/v1/offers/{OFFER}/matches?limit=100")
    body = response.get_json()
    assert body["pseudonymised"] is True
    text = response.get_data(as_text=True)
    for candidate in WORLD["candidates"]:
        assert candidate["id"] not in text
        assert candidate["name"] not in text
        assert candidate["name"].split()[-1] not in text
    for item in body["items"]:
        assert set(item) == {"pseudonym", "available_from", "fit", "distance_km", "gap", "route"}
        assert item["gap"]["candidate"] == item["pseudonym"]
    consenting = [c["id"] for c in WORLD["candidates"] if c["consent"]["profile_sharing"]]
    refused = [c["id"] for c in WORLD["candidates"] if not c["consent"]["profile_sharing"]]
    mine = {pseudonym("api-test", "c-rurtal-logistik", c): c for c in consenting + refused}
    shown = [mine[item["pseudonym"]] for item in body["items"]]
    assert sorted(shown) == sorted(consenting)  # every consenting candidate, nobody else
    again = api.get(f"/api/v1/offers/{OFFER}/matches?limit=100").get_json()
    assert [i["pseudonym"] for i in again["items"]] == [i["pseudonym"] for i in body["items"]]
    other = pseudonym("api-test", "c-grenzland-metallbau", shown[0])
    assert other != body["items"][0]["pseudonym"]


def test_employer_cannot_reach_candidates_directly(api):
    as_role(api, "employer")
    assert api.get("/api/v1/candidates").get_json()["items"] == []
    for url in (
        f"/api/v1/candidates/{AHMAD}",
        f"/api/v1/candidates/{AHMAD}/gap?offer={OFFER}",
        f"/api/v1/candidates/{AHMAD}/plan?offer={OFFER}",
        f"/api/v1/candidates/{AHMAD}/matches",
    ):
        api.get(url, 404)


# --- problem details for the other errors ---------------------------------------------


def test_unknown_paths_and_wrong_methods_are_problems(api):
    as_role(api, "advisor")
    body = api.get("/api/v1/placements", 404).get_json()
    assert body["instance"] == "/api/v1/placements"
    for method in ("post", "put", "delete"):
        response = getattr(api.client, method)("/api/v1/candidates")
        assert response.status_code == 405
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["title"] == "Method Not Allowed"
        assert "GET" in response.headers["Allow"]
    # pages outside the API keep their HTML error pages
    assert api.client.get("/advisor/nothing").mimetype == "text/html"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 413, 422, 500])
def test_every_status_has_a_problem_shape(app, document, status):
    with app.test_request_context("/api/v1/candidates?page=2"):
        response = problem(status)
    body = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert body["title"] == HTTPStatus(status).phrase
    assert body["status"] == status and body["detail"] and body["type"] == "about:blank"
    assert body["instance"] == "/api/v1/candidates?page=2"
    schema = {**document["components"]["schemas"]["Problem"], "components": document["components"]}
    Draft202012Validator(schema).validate(body)


def test_a_failing_store_is_a_500_problem_without_details(app, api):
    as_role(api, "advisor")
    app.extensions["wegweiser.store"].close()
    response = api.client.get("/api/v1/offers")
    assert response.status_code == 500
    api.check("/api/v1/offers", response)
    assert "Traceback" not in response.get_data(as_text=True)


# --- both stores -------------------------------------------------------------------------

SAME_ON_BOTH = [
    "/api/v1/candidates?per_page=100",
    "/api/v1/candidates?language=ar&town=t-heinsberg",
    f"/api/v1/candidates/{AHMAD}",
    f"/api/v1/candidates/{AHMAD}/gap?offer={OFFER}",
    "/api/v1/candidates/p-rojhat-ibrahim/plan?offer=of-schweisser-grenzland&from=2026-12-01",
    f"/api/v1/candidates/{AHMAD}/matches?limit=5",
    "/api/v1/offers?per_page=100",
    f"/api/v1/offers/{OFFER}/matches?limit=100",
    "/api/v1/courses?per_page=100",
    "/api/v1/courses/k-ik-a1",
    "/api/v1/coaches",
]


def test_neo4j_store_answers_like_the_embedded_store(request, tmp_path, document):
    """The same requests on an app over each store give the same bodies."""
    from tests.conftest import settings_for

    bodies = {}
    for kind in ("embedded", "neo4j"):
        settings = settings_for(kind, request, tmp_path / kind)
        app = make_app(settings)
        try:
            for role in ("admin", "employer"):
                api = Api(app.test_client(), document).login(role)
                for url in SAME_ON_BOTH:
                    response = api.client.get(url)
                    api.check(url, response)
                    bodies[kind, role, url] = (response.status_code, response.get_json())
        finally:
            if kind == "neo4j":
                app.extensions["wegweiser.store"].clear()
            app.extensions["wegweiser.store"].close()
    for (kind, role, url), answer in bodies.items():
        if kind == "neo4j":
            assert answer == bodies["embedded", role, url], (role, url)
