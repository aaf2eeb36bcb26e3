"""The generated access matrix of issue #6: every principal × every route of the app (pages
and ``/api/v1``, GET and — where the route takes it — POST) × every ownership variant of a
candidate (own, same organisation, other organisation, shared, consent withdrawn, erased).

Last run (embedded store): 5,544 cases (11 principals × 84 route-methods × 6 variants),
0 unexpected successes, 0 leaks, 0 refused POSTs that changed anything. Run with ``-s``
to see the count printed.

What may succeed is DECLARED below, in this file, from the rules of DESIGN.md and issue #6
(``DECLARED``) — never computed with ``graph.access.can``, so the matrix checks the policy
and every view's use of it instead of repeating them. A route the declaration does not
name fails the test: a new endpoint must be declared before it ships.

Success means 2xx, or a redirect to anywhere but the login page. A refusal must be 401,
403, 404 or a redirect to the login page — never 400 (a form checked before access) and
never 5xx. A refused POST must change nothing in the store (compared after every POST).
Every answer to an employer or a coach (pages and JSON, whatever the status) is scanned
for values of candidates it must not contain (``forbidden_values``), and no answer to
anyone contains the erased person.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph.contact import add_note, ask_for_contact, record_consent, withdraw_consent
from graph.gdpr import erase_candidate
from graph.jobs import JobFailed, new_job, start_job
from graph.model import Label, Rel
from graph.pseudonyms import pseudonym
from graph.sharing import share_candidate
from graph.store import GraphStore, User
from graph.stores import StoreSettings
from graph.world import import_world
from tests.test_web_auth import PASSWORD, SAMPLE, USERS
from web import create_app
from web.passwords import Passwords

# --- the facts the fixture creates (the declaration reads these, not the policy) -------------

VARIANTS = ("own", "same_org", "other_org", "shared", "consent_withdrawn", "erased")

ORG_HOME = "o-jobcenter-hs"  # the advisors' organisation: owns own, same_org, consent_withdrawn
ORG_ELSEWHERE = "o-drk-hs"  # owns other_org and shared; none of the principals works there
ORG_SHARED = "o-agentur-ac-dn"  # the shared candidate is shared with it
ORG_UNRELATED = "o-gesundheitsamt-hs"  # an advisor's organisation with no tie to any variant
COMPANY = "c-rurtal-logistik"  # the employer who asked for contact (and got consent)
COMPANY_OTHER = "c-grenzland-metallbau"
COACH_MENTOR = "co-mx-mentor"  # mentors the home organisation's candidates
COACH_ELSEWHERE = "co-mx-elsewhere"  # mentors other_org and shared (no principal)
COACH_OTHER = "co-walid-saleh"  # the other coach principal: no mentee among the variants
CONSENT_OFFER = "of-kommissionierer-rurtal"  # the offer the consent was given for

CANDIDATE = {v: f"p-mx-{v.replace('_', '-')}" for v in VARIANTS}
OWNER = {
    "own": ORG_HOME,
    "same_org": ORG_HOME,
    "other_org": ORG_ELSEWHERE,
    "shared": ORG_ELSEWHERE,
    "consent_withdrawn": ORG_HOME,
    "erased": ORG_HOME,
}
SHARED_WITH = {"shared": ORG_SHARED}
MENTOR = {
    "own": COACH_MENTOR,
    "same_org": COACH_MENTOR,
    "other_org": COACH_ELSEWHERE,
    "shared": COACH_ELSEWHERE,
    "consent_withdrawn": COACH_MENTOR,
    "erased": COACH_MENTOR,
}
OFFER = {
    "own": CONSENT_OFFER,
    "same_org": "of-staplerfahrer-rurtal",
    "other_org": "of-schweisser-grenzland",
    "shared": "of-cnc-praezision",
    "consent_withdrawn": CONSENT_OFFER,
    "erased": "of-mx-never-existed",
}
OFFER_COMPANY = {
    CONSENT_OFFER: COMPANY,
    "of-staplerfahrer-rurtal": COMPANY,
    "of-schweisser-grenzland": COMPANY_OTHER,
    "of-cnc-praezision": "c-praezisionsteile-erkelenz",
}
EXISTS = {v: v != "erased" for v in VARIANTS}
TARGET_USER = "u-mx-target"  # what the admin user routes act on: nobody signs in as it
COURSE = "k-ik-a1"


@dataclass(frozen=True)
class Who:
    key: str
    role: str
    user_id: str = ""
    email: str = ""
    org: str | None = None
    company: str | None = None
    coach: str | None = None


PRINCIPALS = (
    Who("admin", "admin", "u-admin", USERS["admin"].email),
    Who("dpo", "dpo", "u-mx-dpo", "dsb@kreis.example"),
    Who("advisor_owner", "advisor", "u-advisor", USERS["advisor"].email, org=ORG_HOME),
    Who("advisor_same", "advisor", "u-mx-advisor-2", "zweite@jobcenter.example", org=ORG_HOME),
    Who("advisor_other", "advisor", "u-mx-advisor-x", "amt@gesundheit.example", org=ORG_UNRELATED),
    Who("advisor_shared", "advisor", "u-mx-advisor-s", "beratung@agentur.example", org=ORG_SHARED),
    Who("employer_consented", "employer", "u-employer", USERS["employer"].email, company=COMPANY),
    Who(
        "employer_other",
        "employer",
        "u-mx-employer-2",
        "hr@grenzland.example",
        company=COMPANY_OTHER,
    ),
    Who("coach_mentor", "coach", "u-mx-coach", "mentor@drk.example", coach=COACH_MENTOR),
    Who("coach_other", "coach", "u-coach", USERS["coach"].email, coach=COACH_OTHER),
    Who("anonymous", "anonymous"),
)

# --- the declaration ----------------------------------------------------------------------

YES, NO, MAY = "yes", "no", "may"
"""YES: must succeed (checked for GETs; a POST with an empty form may also answer 400).
NO: must be refused. MAY: either (what the test cannot decide with an empty form, or
what the rules leave open, e.g. an admin opening an employer page without a company)."""


def _is_admin(p: Who, v: str) -> bool:
    return p.role == "admin"


def owner(p: Who, v: str) -> bool:
    return p.role == "advisor" and EXISTS[v] and p.org == OWNER[v]


def shared(p: Who, v: str) -> bool:
    return p.role == "advisor" and EXISTS[v] and p.org == SHARED_WITH.get(v)


def mentor(p: Who, v: str) -> bool:
    return p.role == "coach" and EXISTS[v] and p.coach == MENTOR[v]


def offer_owner(p: Who, v: str) -> bool:
    return p.role == "employer" and OFFER_COMPANY.get(OFFER[v]) == p.company


Rule = Callable[[Who, str], str]


def roles(*names: str, admin: str = YES, get: str = YES) -> Rule:
    """Anyone with one of ``names`` (YES), the admin (``admin``), nobody else."""

    def rule(p: Who, v: str) -> str:
        if p.role == "admin":
            return admin
        return get if p.role in names else NO

    return rule


def anyone(answer: str = YES, anonymous: str | None = None) -> Rule:
    def rule(p: Who, v: str) -> str:
        if p.role == "anonymous" and anonymous is not None:
            return anonymous
        return answer

    return rule


def about(*relations: Callable[[Who, str], bool], admin: str = YES, answer: str = YES) -> Rule:
    """About the variant's candidate (or its offer): the admin while it exists, those in one
    of ``relations`` to it, nobody else."""

    def rule(p: Who, v: str) -> str:
        if p.role == "admin":
            return admin if EXISTS[v] else NO
        return answer if any(r(p, v) for r in relations) else NO

    return rule


def post(rule: Rule) -> Rule:
    """The same people as ``rule``, but a POST with an empty form may be refused as bad."""
    return lambda p, v: MAY if rule(p, v) == YES else rule(p, v)


ADVISOR_PAGE = roles("advisor")
VIEW = about(owner, shared)  # the candidate's owners and the organisations it is shared with
EDIT = about(owner)  # only the owning organisation (edit, export, erase, share, settle)
API_ROLES = roles("advisor", "employer", "coach")

DECLARED: dict[tuple[str, str], Rule] = {
    # public
    ("home.index", "GET"): anyone(),
    ("home.health", "GET"): anyone(),
    ("api_openapi", "GET"): anyone(),
    ("auth.login", "GET"): anyone(),
    ("auth.login", "POST"): anyone(MAY),
    ("auth.logout", "POST"): anyone(MAY),
    ("auth.second_factor", "GET"): anyone(MAY),
    ("auth.second_factor", "POST"): anyone(MAY),
    ("auth.totp", "GET"): anyone(MAY, anonymous=NO),
    ("auth.totp", "POST"): anyone(MAY, anonymous=NO),
    # administration: the admin; the data-protection officer only the audit and retention
    ("admin.index", "GET"): roles(),
    ("admin.audit", "GET"): roles("dpo"),
    ("admin.retention", "GET"): roles("dpo"),
    ("admin.organisations", "GET"): roles(),
    ("admin.organisation", "GET"): roles(),
    ("admin.users", "GET"): roles(),
    ("admin.edit_user", "GET"): roles(),
    ("admin.edit_user", "POST"): roles(admin=MAY),
    ("admin.toggle_active", "POST"): roles(admin=MAY),
    ("admin.reset_password", "POST"): roles(admin=MAY),
    ("admin.reset_second_factor", "POST"): roles(admin=MAY),
    ("admin.new_user", "GET"): roles(),
    ("admin.new_user", "POST"): roles(admin=MAY),
    ("admin.imports", "GET"): roles(),
    ("admin.import_status", "GET"): roles(),
    ("admin.import_report", "GET"): roles(),
    ("admin.import_world_file", "POST"): roles(admin=MAY),
    ("admin.import_table_file", "POST"): roles(admin=MAY),
    ("admin.import_esco_file", "POST"): roles(admin=MAY),
    ("admin.taxonomy", "GET"): roles(),
    ("admin.taxonomy_node", "GET"): roles(),
    # advisors: their lists (own scope inside), a candidate by relation
    ("advisor.index", "GET"): ADVISOR_PAGE,
    ("advisor.accompaniment", "GET"): ADVISOR_PAGE,
    ("advisor.candidates", "GET"): ADVISOR_PAGE,
    ("advisor.contacts", "GET"): ADVISOR_PAGE,
    ("advisor.pipeline", "GET"): ADVISOR_PAGE,
    ("advisor.region", "GET"): ADVISOR_PAGE,
    ("advisor.candidate", "GET"): VIEW,
    ("advisor.interpreter", "GET"): VIEW,
    ("advisor.offers", "GET"): VIEW,
    ("advisor.gap", "GET"): VIEW,
    ("advisor.route", "GET"): VIEW,
    ("advisor.coaches", "GET"): VIEW,
    ("advisor.assign", "POST"): post(VIEW),  # a share lets the other organisation propose
    ("advisor.propose", "POST"): post(VIEW),
    ("advisor.enrol", "POST"): post(VIEW),
    ("advisor.access_report", "GET"): EDIT,
    ("advisor.export_page", "GET"): EDIT,
    ("advisor.export_json", "GET"): EDIT,
    ("advisor.edit_candidate", "GET"): EDIT,
    ("advisor.edit_candidate", "POST"): post(EDIT),
    ("advisor.erase", "GET"): EDIT,
    ("advisor.erase", "POST"): post(EDIT),
    ("advisor.share", "POST"): post(EDIT),  # a shared candidate is not shared on
    ("advisor.revoke", "POST"): post(EDIT),
    ("advisor.placement_status", "POST"): post(EDIT),
    ("advisor.answer_contact", "POST"): post(EDIT),
    ("advisor.consent_contact", "POST"): post(EDIT),
    ("advisor.withdraw_contact", "POST"): post(EDIT),
    # coaches: their mentees only
    ("coach.index", "GET"): roles("coach", admin=MAY),
    ("coach.mentee", "GET"): about(mentor, admin=MAY),
    ("coach.mentee", "POST"): post(about(mentor, admin=MAY)),
    # employers: their company and its offers; candidates only pseudonymised there
    ("employer.index", "GET"): roles("employer", admin=MAY),
    ("employer.company", "GET"): roles("employer", admin=MAY),
    ("employer.company", "POST"): roles("employer", admin=MAY, get=MAY),
    ("employer.new_offer", "GET"): roles("employer", admin=MAY),
    ("employer.new_offer", "POST"): roles("employer", admin=MAY, get=MAY),
    ("employer.edit_offer", "GET"): about(offer_owner),
    ("employer.edit_offer", "POST"): post(about(offer_owner)),
    ("employer.candidates", "GET"): about(offer_owner),
    ("employer.contact", "POST"): post(about(offer_owner)),
    # the API
    ("api.index", "GET"): API_ROLES,
    ("api.list_candidates", "GET"): API_ROLES,  # employers get an empty list
    ("api.list_coaches", "GET"): API_ROLES,
    ("api.list_courses", "GET"): API_ROLES,
    ("api.list_offers", "GET"): API_ROLES,
    ("api.get_course", "GET"): API_ROLES,
    ("api.get_candidate", "GET"): about(owner, shared, mentor),
    ("api.candidate_matches", "GET"): about(owner, shared, mentor),  # a coach: no offers
    ("api.candidate_gap", "GET"): VIEW,  # needs the offer: coaches see no offers
    ("api.candidate_plan", "GET"): VIEW,
    ("api.get_offer", "GET"): about(lambda p, v: p.role == "advisor" and EXISTS[v], offer_owner),
    ("api.offer_matches", "GET"): about(
        lambda p, v: p.role == "advisor" and EXISTS[v], offer_owner
    ),
    ("catalogue.suggest", "GET"): roles("advisor", "employer", "coach", "dpo"),
}

QUERY = {
    "api.candidate_gap": "offer={offer}",
    "api.candidate_plan": "offer={offer}",
    "catalogue.suggest": "kind=tool&q=stapler",
    "admin.taxonomy": "q=stapler&kind=tool",
}
"""Query strings a route needs to do its work (filled from the variant)."""


@dataclass
class World:
    app: Flask
    store: GraphStore
    clients: dict[str, FlaskClient]
    ids: dict[str, dict[str, str]]  # variant → {path argument: value}
    values: dict[str, dict[str, Any]]  # candidate id → its stored properties (before erasure)
    job: str


# --- the world ----------------------------------------------------------------------------


def _candidate(variant: str, n: int) -> dict[str, Any]:
    """A candidate with a value in every field group, each value unique in the district."""
    tag = variant.replace("_", "")
    return {
        "id": CANDIDATE[variant],
        "name": f"Mxname {tag.title()} Quellwasser",
        "town": "t-hueckelhoven",
        "gender": "f",
        "birth_year": 1931 + 6 * n,
        "available_from": "2026-12-01",
        "organization": OWNER[variant],
        "consent": {"profile_sharing": True, "contact": True},
        "email": f"mx.{tag}@quellwasser.example",
        "phone": f"+49 2433 987{n:03d}",
        "street": f"Mxstraße {tag} {n + 10}",
        "nationality": ["ZW", "BT", "KI", "NR", "TV", "PW"][n],
        "residence_status": ["toleration", "asylum_procedure"][n % 2],
        "residence_until": f"2031-0{n + 1}-1{n + 3}",
        "benefit": "AsylbLG",
        "benefit_number": f"MXBN-{tag.upper()}-77{n}",
        "health_notes": f"Mxgesundheit {tag} Heuschnupfen",
        "special_needs": f"Mxbedarf {tag} Dolmetschung",
        "skills": {"s-order-picking": 2, "s-warehouse-operations": 1},
        "tools": {"w-hand-scanner": 1, "w-pallet-truck": 1},
        "languages": {"de": "B1"},
    }


def _world_file(path: Path) -> Path:
    world = {
        "format": json.loads(SAMPLE.read_text(encoding="utf-8"))["format"],
        "candidates": [_candidate(v, n) for n, v in enumerate(VARIANTS)],
        "coaches": [
            {
                "id": COACH_MENTOR,
                "name": "Mentorin Mx",
                "town": "t-erkelenz",
                "capacity": 10,
                "mentees": [CANDIDATE[v] for v in VARIANTS if MENTOR[v] == COACH_MENTOR],
            },
            {
                "id": COACH_ELSEWHERE,
                "name": "Pate Mx",
                "town": "t-erkelenz",
                "capacity": 10,
                "mentees": [CANDIDATE[v] for v in VARIANTS if MENTOR[v] == COACH_ELSEWHERE],
            },
        ],
        "placements": [
            {
                "id": f"pl-mx-{v}",
                "candidate": CANDIDATE[v],
                "offer": "of-praktikum-lager-rurtal",
                "status": "proposed",
                "history": [{"status": "proposed", "date": "2026-10-01"}],
            }
            for v in VARIANTS
            if v != "same_org"  # the second advisor proposes that one, through the web
        ],
        "enrolments": [
            {
                "id": f"en-mx-{v}",
                "candidate": CANDIDATE[v],
                "course": COURSE,
                "status": "planned",
                "start": "2027-01-11",
            }
            for v in VARIANTS
        ],
    }
    path.write_text(json.dumps(world), encoding="utf-8")
    return path


def _users() -> list[User]:
    base = {p.user_id: p for p in PRINCIPALS if p.user_id}
    made = [
        User(
            id=p.user_id,
            email=p.email,
            role=p.role,
            display_name=p.key,
            organization=p.org,
            company=p.company,
            coach=p.coach,
        )
        for p in base.values()
    ]
    made.append(User(id=TARGET_USER, email="ziel@kreis.example", role="coach", coach=COACH_OTHER))
    return made


def sign_in(client: FlaskClient, who: Who) -> None:
    response = client.post("/login", data={"email": who.email, "password": PASSWORD})
    assert response.status_code == 302, f"{who.key} could not sign in"


def _failed_job(data_dir: Path) -> str:
    job = new_job(data_dir, "world", "alt.json")

    def work(progress: Any) -> dict[str, Any]:
        raise JobFailed("broken", [{"row": 2, "column": "A", "value": "", "de": "d", "en": "e"}])

    start_job(data_dir, job, work).join(5)
    return job.id


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("matrix")
    data_dir = tmp / "data"
    app = create_app(
        {
            "TESTING": True,
            "WEGWEISER_PASSWORD_PROFILE": "cheap",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PROPAGATE_EXCEPTIONS": False,  # a crash is a 500 case in the report
        },
        store_settings=StoreSettings(data_dir=data_dir),
    )
    store: GraphStore = app.extensions["wegweiser.store"]
    import_world(store, SAMPLE)
    import_world(store, _world_file(tmp / "matrix_world.json"))
    hashed = Passwords("cheap").hash(PASSWORD)
    for user in _users():
        store.save_user(replace(user, password_hash=hashed))

    today = dt.date.today()
    share_candidate(
        store,
        CANDIDATE["shared"],
        ORG_SHARED,
        basis="consent",
        purpose="Vermittlung in ein Sprachangebot",
        until=today + dt.timedelta(days=90),
        by="u-mx-advisor-elsewhere",
    )
    requests = {}
    for v in VARIANTS:
        request, _new = ask_for_contact(
            store, CANDIDATE[v], CONSENT_OFFER, company=COMPANY, requested_by="u-employer"
        )
        requests[v] = request.id
    for v in ("own", "consent_withdrawn", "erased"):
        record_consent(store, requests[v], given_on=today, purpose="Vorstellung", by="u-advisor")
    withdraw_consent(store, requests["consent_withdrawn"], on=today, by="u-advisor")
    for v in VARIANTS:
        add_note(store, CANDIDATE[v], f"Notiz zu {v}", author="u-mx-coach", coach=MENTOR[v])

    clients = {}
    for who in PRINCIPALS:
        client = app.test_client()
        if who.role != "anonymous":
            sign_in(client, who)
        clients[who.key] = client
    # the same organisation: the second advisor proposes that candidate for an offer
    proposed = clients["advisor_same"].post(
        f"/advisor/candidates/{CANDIDATE['same_org']}/propose",
        data={"offer": "of-praktikum-lager-rurtal"},
    )
    assert proposed.status_code == 302, proposed.status_code
    same_org_placement = next(
        r.source_id
        for r in store.relationships(Label.CANDIDATE, CANDIDATE["same_org"])
        if r.type == Rel.OF_CANDIDATE and r.source_label == Label.PLACEMENT
    )

    values = {node.id: dict(node.props) for node in store.list_nodes(Label.CANDIDATE, limit=10_000)}
    erase_candidate(store, CANDIDATE["erased"], by="u-admin", reason="data_subject_request")

    ids = {}
    for v in VARIANTS:
        placement = same_org_placement if v == "same_org" else f"pl-mx-{v}"
        ids[v] = {
            "candidate_id": CANDIDATE[v],
            "offer_id": OFFER[v],
            "offer": OFFER[v],
            "placement_id": placement,
            "request_id": requests[v],
            "course_id": COURSE,
            "user_id": TARGET_USER,
            "org_id": ORG_HOME,
            "kind": "skill",
            "node_id": "s-order-picking",
        }
    job = _failed_job(data_dir)
    for v in VARIANTS:
        ids[v]["job_id"] = job
    yield World(app, store, clients, ids, values, job)
    store.close()


# --- what must not be in an answer ----------------------------------------------------------

IDENTITY = ("name", "email", "phone", "street")
RESIDENCE_NAMES = {
    "toleration": "Duldung",
    "asylum_procedure": "Aufenthaltsgestattung",
    "temporary_protection": "vorübergehender Schutz",
    "residence_permit": "Aufenthaltserlaubnis",
}


def _patterns(props: dict[str, Any], fields: tuple[str, ...]) -> list[tuple[str, re.Pattern]]:
    """(field, pattern) for each value of ``fields`` the candidate has, written as it is
    stored or as a page shows it. Short codes only where they stand alone in markup or JSON."""
    found = []
    for name in fields:
        value = props.get(name)
        if value in (None, "", "none"):
            continue
        text = str(value)
        if name == "birth_year":
            found.append((name, re.compile(rf"(?<![\w-]){text}(?![\w-])")))
        elif name == "nationality":
            found.append((name, re.compile(rf"[\">]\s*{text}\s*[\"<]")))
        elif name == "residence_status":
            found.append((name, re.compile(rf"\b{re.escape(text)}\b")))
            if text in RESIDENCE_NAMES:
                found.append((name, re.compile(re.escape(RESIDENCE_NAMES[text]))))
        elif name == "residence_until":
            day = dt.date.fromisoformat(text)
            found.append((name, re.compile(re.escape(text))))
            found.append((name, re.compile(re.escape(day.strftime("%d.%m.%Y")))))
        elif name == "benefit":
            found.append((name, re.compile(rf"[\">]\s*{re.escape(text)}\s*[\"<(]")))
        else:
            found.append((name, re.compile(re.escape(text), re.IGNORECASE)))
    return found


EMPLOYER_NEVER = (
    *IDENTITY,
    "birth_year",
    "nationality",
    "residence_status",
    "residence_until",
    "benefit_number",
    "health_notes",
    "special_needs",
)
COACH_NEVER = (
    "nationality",
    "residence_status",
    "residence_until",
    "benefit",
    "benefit_number",
    "health_notes",
    "special_needs",
)
RELEASED = ("name", "email", "phone")
"""What a recorded consent reveals to the employer, on that offer's pages only."""


def forbidden_values(world: World, who: Who, path: str) -> list[tuple[str, str, re.Pattern]]:
    """(candidate, field, pattern) that must not be in any answer to ``who`` at ``path``."""
    erased = CANDIDATE["erased"]
    out = [
        (erased, f, p)
        for f, p in _patterns(world.values[erased], (*IDENTITY, "benefit_number", "health_notes"))
    ]
    if who.role not in ("employer", "coach"):
        return out
    on_consent_pages = who.company == COMPANY and path.startswith(
        f"/employer/offers/{CONSENT_OFFER}/"
    )
    for candidate, props in world.values.items():
        if candidate == erased:
            continue
        fields = EMPLOYER_NEVER if who.role == "employer" else COACH_NEVER
        if who.role == "employer" and on_consent_pages and candidate == CANDIDATE["own"]:
            fields = tuple(f for f in fields if f not in RELEASED)
        out.extend((candidate, f, p) for f, p in _patterns(props, fields))
    return out


# --- the forms a refused POST sends ---------------------------------------------------------


def _version(store: GraphStore, label: Label, node_id: str) -> str:
    if not store.existing_ids(label, [node_id]):
        return "0"
    return str(store.get_node(label, node_id).props.get("version") or 0)


def valid_form(world: World, endpoint: str, variant: str) -> dict[str, str]:
    """A complete, valid form for ``endpoint`` about ``variant``: what a refused POST
    sends, so that a view which forgot its check would change the store (and fail the
    matrix). ``test_the_forms_are_complete`` proves each one changes the store when the
    right person sends it. An allowed POST in the matrix sends an empty form instead, so
    the matrix itself never changes the world it tests."""
    ids = world.ids[variant]
    store = world.store
    candidate, request = ids["candidate_id"], ids["request_id"]
    today = dt.date.today()
    offer_company = OFFER_COMPANY.get(ids["offer_id"], COMPANY)
    forms: dict[str, Callable[[], dict[str, str]]] = {
        "advisor.assign": lambda: {"coach": COACH_OTHER},
        "advisor.propose": lambda: {"offer": "of-staplerfahrer-rurtal"},
        "advisor.enrol": lambda: {"course": "k-ik-a2"},
        "advisor.share": lambda: {
            "organization": ORG_UNRELATED,
            "basis": "consent",
            "purpose": "Matrix",
            "until": (today + dt.timedelta(days=60)).isoformat(),
            "groups": "matching_profile",
        },
        "advisor.revoke": lambda: {"organization": ORG_SHARED},
        "advisor.placement_status": lambda: {
            "status": "contacted",
            "version": _version(store, Label.PLACEMENT, ids["placement_id"]),
        },
        "advisor.answer_contact": lambda: {"status": "declined"},
        "advisor.consent_contact": lambda: {
            f"consent-{request}-given_on": today.isoformat(),
            f"consent-{request}-purpose": "Matrix",
        },
        "advisor.withdraw_contact": lambda: {f"withdraw-{request}-on": today.isoformat()},
        "advisor.erase": lambda: {"confirm": candidate, "reason": "data_subject_request"},
        "advisor.edit_candidate": lambda: {
            "name": "Mxgeändert Matrix",
            "town": "t-heinsberg",
            "version": _version(store, Label.CANDIDATE, candidate),
        },
        "coach.mentee": lambda: {"text": "Matrix-Notiz"},
        "employer.contact": lambda: {
            "pseudonym": pseudonym(world.app.config["SECRET_KEY"], offer_company, candidate)
        },
        "employer.edit_offer": lambda: {
            "kind": "job",
            "title": "Geändert durch die Matrix",
            "seats": "1",
            "open": "y",
            "town": "t-heinsberg",
            "german": "A2",
            "version": _version(store, Label.OFFER, ids["offer_id"]),
        },
        "employer.new_offer": lambda: {
            "kind": "job",
            "title": "Neu durch die Matrix",
            "seats": "1",
            "open": "y",
            "town": "t-heinsberg",
            "german": "A2",
        },
        "employer.company": lambda: {
            "name": "Umbenannt durch die Matrix",
            "town": "t-heinsberg",
            "loaded_name": str(store.get_node(Label.COMPANY, COMPANY).props.get("name")),
            "loaded_sector": str(store.get_node(Label.COMPANY, COMPANY).props.get("sector")),
            "loaded_town": "t-hueckelhoven",
            "version": _version(store, Label.COMPANY, COMPANY),
        },
        "admin.new_user": lambda: {
            "email": f"neu-{variant}@matrix.example",
            "role": "coach",
            "coach": COACH_OTHER,
            "password": "lang-genug-und-geheim-1",
        },
        "admin.edit_user": lambda: {
            "email": "ziel@kreis.example",
            "display_name": "Umbenannt",
            "role": "coach",
            "coach": COACH_MENTOR,
            "version": str(store.get_user(TARGET_USER).version),
        },
    }
    return forms[endpoint]() if endpoint in forms else {}


WRITERS = (
    ("advisor.assign", "advisor_shared", "shared"),
    ("advisor.propose", "advisor_owner", "own"),
    ("advisor.enrol", "advisor_same", "same_org"),
    ("advisor.share", "advisor_owner", "own"),
    ("advisor.revoke", "admin", "shared"),
    ("advisor.placement_status", "advisor_owner", "own"),
    ("advisor.answer_contact", "advisor_owner", "same_org"),
    ("advisor.consent_contact", "admin", "other_org"),
    ("advisor.withdraw_contact", "advisor_same", "own"),
    ("advisor.edit_candidate", "advisor_owner", "consent_withdrawn"),
    ("coach.mentee", "coach_mentor", "own"),
    ("employer.contact", "employer_other", "other_org"),
    ("employer.edit_offer", "employer_consented", "same_org"),
    ("employer.new_offer", "employer_other", "own"),
    ("employer.company", "employer_consented", "own"),
    ("admin.new_user", "admin", "own"),
    ("admin.edit_user", "admin", "own"),
    ("admin.toggle_active", "admin", "own"),
    ("admin.reset_password", "admin", "own"),
    ("advisor.erase", "advisor_same", "same_org"),  # last: it erases a variant
)
"""Who sends each form for real in ``test_the_forms_are_complete`` (one allowed principal)."""


# --- running it -----------------------------------------------------------------------------


def _succeeded(response: Any) -> bool:
    if 200 <= response.status_code < 300:
        return True
    if 300 <= response.status_code < 400:
        return not response.headers.get("Location", "").startswith("/login")
    return False


def _text(response: Any) -> str:
    """The body as text; JSON also re-written without escapes, so that "Straße" is found
    however the API spelled it."""
    body = response.get_data(as_text=True)
    if response.is_json:
        body += "\n" + json.dumps(response.get_json(silent=True), ensure_ascii=False)
    return body


def _refused(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    location = response.headers.get("Location", "")
    return 300 <= response.status_code < 400 and location.startswith("/login")


def _snapshot(store: GraphStore) -> tuple[Any, ...]:
    """Everything stored (nodes, relationships, users, erasures), to prove a refused POST
    changed nothing."""
    data = store.export_graph()
    nodes = sorted(
        (str(n.label), n.id, json.dumps(n.props, sort_keys=True, default=str)) for n in data.nodes
    )
    rels = sorted(
        (
            str(r.type),
            r.source_id,
            r.target_id,
            json.dumps(r.props, sort_keys=True, default=str),
        )
        for r in data.relationships
    )
    erasures = sorted(e.key for e in store.erasures())
    return tuple(nodes), tuple(rels), tuple(erasures)


def _rules(app: Flask) -> list[tuple[str, str, Any]]:
    """(endpoint, method, rule) for every route but the static files."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in ("GET", "POST"):
            if method in (rule.methods or ()):
                found.append((rule.endpoint, method, rule))
    return sorted(found, key=lambda item: (item[1], item[0]))


def _path(rule: Any, variant_ids: dict[str, str]) -> str:
    missing = [a for a in rule.arguments if a not in variant_ids]
    assert not missing, f"{rule.rule}: the matrix does not know how to fill {missing}"
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[a-z]+:)?{name}>", variant_ids[name], path)
    query = QUERY.get(rule.endpoint)
    return f"{path}?{query.format(**variant_ids)}" if query else path


def test_every_route_is_declared(world: World) -> None:
    """A new endpoint fails here until the matrix says who may use it."""
    routes = {(endpoint, method) for endpoint, method, _ in _rules(world.app)}
    undeclared = sorted(routes - set(DECLARED))
    assert not undeclared, f"declare the new endpoint(s) in DECLARED: {undeclared}"
    stale = sorted(set(DECLARED) - routes)
    assert not stale, f"DECLARED names routes the app no longer has: {stale}"


def test_access_matrix(world: World) -> None:
    """Every principal × route × method × variant, GETs first, then POSTs (each POST
    compared with the store before it): 5,544 cases, 0 unexpected successes (last run)."""
    rules = [r for r in _rules(world.app) if (r[0], r[1]) in DECLARED]
    unexpected: list[str] = []
    missed: list[str] = []
    wrong_refusals: list[str] = []
    leaks: list[str] = []
    changed: list[str] = []
    cases = 0
    started = time.monotonic()
    before = _snapshot(world.store)
    for endpoint, method, rule in rules:
        for who in PRINCIPALS:
            client = world.clients[who.key]
            for variant in VARIANTS:
                cases += 1
                expected = DECLARED[(endpoint, method)](who, variant)
                path = _path(rule, world.ids[variant])
                if method == "GET":
                    response = client.get(path)
                elif expected == NO:
                    response = client.post(path, data=valid_form(world, endpoint, variant))
                else:
                    response = client.post(path, data={})
                case = f"{who.key} {method} {path} [{variant}] → {response.status_code}"
                if response.status_code >= 500:
                    unexpected.append(f"server error: {case}")
                ok = _succeeded(response)
                if ok and expected == NO:
                    unexpected.append(case)
                elif not ok and expected == NO and not _refused(response):
                    wrong_refusals.append(case)
                elif not ok and expected == YES and method == "GET":
                    missed.append(case)
                body = _text(response)
                for candidate, field, pattern in forbidden_values(world, who, path):
                    if pattern.search(body):
                        leaks.append(f"{case}: {candidate}.{field}")
                if method == "POST":
                    after = _snapshot(world.store)
                    if after != before and expected == NO:
                        changed.append(case)
                    before = after
                if endpoint in ("auth.logout", "auth.login", "auth.second_factor") or (
                    endpoint == "auth.totp" and method == "POST"
                ):
                    _sign_in_again(world, who)
    seconds = time.monotonic() - started
    print(
        f"\naccess matrix: {cases} cases, {len(unexpected)} unexpected successes"
        f" ({len(missed)} missed, {len(wrong_refusals)} wrong refusals, {len(leaks)} leaks,"
        f" {len(changed)} refused POSTs that changed the store) in {seconds:.1f} s"
    )
    assert cases >= 3000
    problems = {
        "unexpected successes": unexpected,
        "refused without 401/403/404/login": wrong_refusals,
        "declared successes that failed": missed,
        "fields an employer or coach must not see": leaks,
        "refused POSTs that changed the store": changed,
    }
    report = "\n".join(
        f"{title} ({len(items)}):\n  " + "\n  ".join(items[:40])
        for title, items in problems.items()
        if items
    )
    assert not report, report


def _sign_in_again(world: World, who: Who) -> None:
    """After a POST to the login, logout or second-factor routes, the principal's session
    may be gone: sign in afresh (the anonymous visitor gets a fresh client)."""
    client = world.app.test_client()
    if who.role != "anonymous":
        sign_in(client, who)
    world.clients[who.key] = client


def test_the_consenting_candidate_is_shown_where_the_matrix_allows_it(world: World) -> None:
    """The exceptions in ``forbidden_values`` are real: the consented offer's page shows
    the person to that employer, the withdrawn one stays a pseudonym, and a mentor sees
    their mentee's name but not their residence or health data."""
    employer = world.clients["employer_consented"]
    page = employer.get(f"/employer/offers/{CONSENT_OFFER}/candidates").get_data(as_text=True)
    own = world.values[CANDIDATE["own"]]
    withdrawn = world.values[CANDIDATE["consent_withdrawn"]]
    assert own["name"] in page and own["email"] in page
    assert withdrawn["name"] not in page and withdrawn["email"] not in page
    assert own["street"] not in page and own["benefit_number"] not in page
    coach = world.clients["coach_mentor"]
    page = coach.get(f"/coach/mentees/{CANDIDATE['own']}").get_data(as_text=True)
    assert own["name"] in page
    assert own["health_notes"] not in page and own["benefit_number"] not in page


def test_the_forms_are_complete(world: World) -> None:
    """Each form a refused POST sent in the matrix changes the store when an allowed
    principal sends it — so "the store did not change" there proves the refusal. Runs
    after the matrix (it changes the world, the erasure last)."""
    rules = {endpoint: rule for endpoint, method, rule in _rules(world.app) if method == "POST"}
    declared = {endpoint for endpoint, method in DECLARED if method == "POST"}
    without = declared - {w[0] for w in WRITERS}
    # nothing to send: sign-in steps (no data to change), uploads (a file each, checked by
    # the guard of the admin area before anything is read)
    assert without == {
        "auth.login",
        "auth.logout",
        "auth.second_factor",
        "auth.totp",
        "admin.import_world_file",
        "admin.import_table_file",
        "admin.import_esco_file",
        "admin.reset_second_factor",
    }, without
    for endpoint, key, variant in WRITERS:
        who = next(p for p in PRINCIPALS if p.key == key)
        assert DECLARED[(endpoint, "POST")](who, variant) in (YES, MAY), endpoint
        before = _snapshot(world.store)
        response = world.clients[key].post(
            _path(rules[endpoint], world.ids[variant]), data=valid_form(world, endpoint, variant)
        )
        assert response.status_code < 400, (endpoint, response.status_code)
        assert _snapshot(world.store) != before, f"{endpoint}: the valid form changed nothing"
