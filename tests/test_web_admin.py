"""The admin area: organisations, users and roles, imports with progress and error
reports, taxonomy browsing — through Flask's test client with the sample world."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest

from graph.jobs import JobFailed, new_job, read_job, start_job
from graph.model import Label
from graph.stores import StoreSettings
from graph.world import dumps_world, import_world
from tests.test_web_auth import PASSWORD, SAMPLE, USERS, csrf_token, login
from web import create_app
from web.passwords import Passwords
from web.store import get_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIMIT = 1024 * 1024


def make_app(settings: StoreSettings):
    app = create_app(
        {"TESTING": True, "WEGWEISER_PASSWORD_PROFILE": "cheap", "MAX_CONTENT_LENGTH": LIMIT},
        store_settings=settings,
    )
    with app.app_context():
        store = get_store()
        import_world(store, SAMPLE)
        hashed = Passwords("cheap").hash(PASSWORD)
        for user in USERS.values():
            store.save_user(replace(user, password_hash=hashed))
    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(StoreSettings(data_dir=tmp_path / "data"))
    yield app
    app.extensions["wegweiser.store"].close()


@pytest.fixture
def store(app):
    return app.extensions["wegweiser.store"]


@pytest.fixture
def admin(app):
    client = app.test_client()
    assert login(client, USERS["admin"].email).status_code == 302
    return client


def post_form(client, path: str, data: dict, page: str | None = None, **kw):
    """POST ``data`` with the CSRF token of ``page`` (the form's own page by default)."""
    return client.post(path, data={"csrf_token": csrf_token(client, page or path), **data}, **kw)


def wait_for_job(client, location: str) -> str:
    """The status page once the job is over (it stops sending ``Refresh``)."""
    for _ in range(200):
        response = client.get(location)
        assert response.status_code == 200
        if "Refresh" not in response.headers:
            return response.get_data(as_text=True)
        time.sleep(0.05)
    raise AssertionError(f"job at {location} did not finish")


# --- the gate --------------------------------------------------------------------------------

PAGES = [
    "/admin/",
    "/admin/organisations",
    "/admin/organisations/o-jobcenter-hs",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/u-advisor",
    "/admin/imports",
    "/admin/taxonomy?q=stapler&kind=tool",
    "/admin/taxonomy/skill/s-order-picking",
    "/admin/taxonomy/occupation/occ-order-picker",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_admin_page_opens_for_the_admin_and_has_one_h1(admin, path):
    response = admin.get(path)
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    assert page.count("<h1>") == 1
    assert 'style="' not in page and "<script" not in page


@pytest.mark.parametrize("role", ["advisor", "employer", "coach"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/users", "/admin/imports", "/admin/taxonomy"])
def test_other_roles_get_403(app, role, path):
    client = app.test_client()
    login(client, USERS[role].email)
    assert client.get(path).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(app):
    response = app.test_client().get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/organisations/o-nowhere",
        "/admin/users/u-nobody",
        "/admin/taxonomy/skill/s-nothing",
        "/admin/taxonomy/planet/earth",
        "/admin/imports/0123456789abcdef01234567",
        "/admin/imports/not-a-job",
    ],
)
def test_unknown_objects_give_404(admin, path):
    assert admin.get(path).status_code == 404


def test_posts_without_csrf_token_are_refused(admin, store):
    before = store.get_user("u-advisor")
    response = admin.post("/admin/users/u-advisor/active", data={})
    assert response.status_code == 400
    assert store.get_user("u-advisor") == before


# --- organisations ----------------------------------------------------------------------------


def test_organisations_list_and_view_show_their_users(admin):
    page = admin.get("/admin/organisations").get_data(as_text=True)
    assert "Jobcenter Kreis Heinsberg" in page
    assert '<th scope="col">' in page
    view = admin.get("/admin/organisations/o-jobcenter-hs").get_data(as_text=True)
    assert USERS["advisor"].email in view
    assert USERS["employer"].email not in view


# --- users and roles --------------------------------------------------------------------------


def test_create_user_with_generated_password_shown_once_and_usable(app, admin, store):
    response = post_form(
        admin,
        "/admin/users/new",
        {
            "email": "Neu@Jobcenter.example",
            "display_name": "Nora Neu",
            "role": "advisor",
            "organization": "o-jobcenter-hs",
            "company": "c-rurtal-logistik",  # not kept: advisors are linked to organisations
            "coach": "",
            "password": "",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    shown = re.search(r'<code class="password">([^<]+)</code>', page)
    assert shown, page
    user = store.user_by_email("neu@jobcenter.example")
    assert user is not None and user.role == "advisor"
    assert user.organization == "o-jobcenter-hs" and user.company is None
    assert shown.group(1) not in user.password_hash
    other = app.test_client()
    assert login(other, "neu@jobcenter.example", shown.group(1)).headers["Location"] == "/advisor/"
    # the password is not shown anywhere afterwards
    assert shown.group(1) not in admin.get(f"/admin/users/{user.id}").get_data(as_text=True)


def test_create_user_problems_are_shown_and_nothing_is_saved(admin, store):
    count = len(store.list_users())
    response = post_form(
        admin,
        "/admin/users/new",
        {"email": "x@y.example", "role": "employer", "company": "", "password": "kurz"},
    )
    assert response.status_code == 400
    assert "10 Zeichen" in response.get_data(as_text=True)
    response = post_form(
        admin,
        "/admin/users/new",
        {"email": "x@y.example", "role": "employer", "company": "", "password": "lang-genug-123"},
    )
    assert response.status_code == 400
    assert "company: a user with role employer needs one" in response.get_data(as_text=True)
    response = post_form(
        admin,
        "/admin/users/new",
        {"email": USERS["coach"].email, "role": "coach", "coach": "co-walid-saleh"},
    )
    assert response.status_code == 400  # the e-mail address is taken
    assert len(store.list_users()) == count


def test_role_change_ends_the_users_sessions(app, admin, store):
    advisor = app.test_client()
    login(advisor, USERS["advisor"].email)
    assert advisor.get("/advisor/").status_code == 200
    user = store.get_user("u-advisor")
    response = post_form(
        admin,
        "/admin/users/u-advisor",
        {
            "email": user.email,
            "display_name": "Anna Berger",
            "role": "coach",
            "coach": "co-walid-saleh",
            "organization": "o-jobcenter-hs",
            "version": str(user.version),
        },
    )
    assert response.status_code == 302
    changed = store.get_user("u-advisor")
    assert (changed.role, changed.coach, changed.organization) == ("coach", "co-walid-saleh", None)
    assert changed.session_version == user.session_version + 1
    assert advisor.get("/advisor/").status_code == 302  # the old cookie names no session


def test_editing_a_stale_version_overwrites_nothing(admin, store):
    user = store.get_user("u-employer")
    response = post_form(
        admin,
        "/admin/users/u-employer",
        {
            "email": user.email,
            "display_name": "Someone Else",
            "role": "employer",
            "company": user.company,
            "version": str(user.version - 1),
        },
        page="/admin/users/u-employer",
    )
    assert response.status_code == 302
    assert store.get_user("u-employer") == user


def test_deactivation_and_password_reset_end_sessions(app, admin, store):
    coach = app.test_client()
    login(coach, USERS["coach"].email)
    assert coach.get("/coach/").status_code == 200
    response = post_form(admin, "/admin/users/u-coach/active", {}, page="/admin/users/u-coach")
    assert response.status_code == 302
    assert store.get_user("u-coach").active is False
    assert coach.get("/coach/").status_code == 302
    assert login(app.test_client(), USERS["coach"].email).status_code == 401

    employer = app.test_client()
    login(employer, USERS["employer"].email)
    assert employer.get("/employer/").status_code == 200
    response = post_form(
        admin, "/admin/users/u-employer/password", {}, page="/admin/users/u-employer"
    )
    assert response.status_code == 200
    new_password = re.search(
        r'<code class="password">([^<]+)</code>', response.get_data(as_text=True)
    ).group(1)
    assert employer.get("/employer/").status_code == 302
    assert login(app.test_client(), USERS["employer"].email).status_code == 401
    fresh = app.test_client()
    assert login(fresh, USERS["employer"].email, new_password).status_code == 302


def test_the_last_active_admin_cannot_be_deactivated_or_demoted(admin, store):
    user = store.get_user("u-admin")
    response = post_form(admin, "/admin/users/u-admin/active", {}, page="/admin/users/u-admin")
    assert response.status_code == 302
    assert "letzte aktive Verwaltung" in admin.get(response.headers["Location"]).get_data(
        as_text=True
    )
    response = post_form(
        admin,
        "/admin/users/u-admin",
        {
            "email": user.email,
            "role": "advisor",
            "organization": "o-jobcenter-hs",
            "version": str(user.version),
        },
    )
    assert response.status_code == 409
    assert "letzte aktive Verwaltung" in response.get_data(as_text=True)
    assert store.get_user("u-admin") == user
    # with a second admin, the first may step down
    store.save_user(
        replace(USERS["admin"], id="u-admin-2", email="admin2@kreis.example", password_hash="x")
    )
    response = post_form(admin, "/admin/users/u-admin/active", {}, page="/admin/users/u-admin")
    assert store.get_user("u-admin").active is False


# --- imports ----------------------------------------------------------------------------------


def test_broken_csv_gives_the_problem_table_and_a_report_and_writes_nothing(admin, store):
    before = dumps_world(store)
    response = post_form(
        admin,
        "/admin/imports/table",
        {
            "kind": "courses",
            "file": (io.BytesIO((FIXTURES / "tabular/courses_broken.csv").read_bytes()), "k.csv"),
        },
        page="/admin/imports",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = wait_for_job(admin, response.headers["Location"])
    assert "Nichts wurde importiert." in page
    assert "<th scope=\"col\">Spalte</th>" in page
    assert "Gabelstapler:4" in page
    report = admin.get(response.headers["Location"] + "/problems.csv")
    assert report.status_code == 200
    assert report.mimetype == "text/csv"
    assert "attachment" in report.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(report.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Zeile/row"
    assert ["3", "Vermittelt Maschinen/Werkzeuge", "Gabelstapler:4"] in [r[:3] for r in rows]
    assert dumps_world(store) == before


def test_a_good_world_file_imports_with_progress_to_done(admin, store):
    assert store.existing_ids(Label.SKILL, ["s-welding"]) == set()
    response = post_form(
        admin,
        "/admin/imports/world",
        {"file": (io.BytesIO((FIXTURES / "tiny_world.json").read_bytes()), "tiny.json")},
        page="/admin/imports",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = wait_for_job(admin, response.headers["Location"])
    assert '<progress max="100" value="100"' in page
    assert store.existing_ids(Label.SKILL, ["s-welding"]) == {"s-welding"}
    assert "tiny.json" in admin.get("/admin/imports").get_data(as_text=True)
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    kept = list((Path(admin.application.config["WEGWEISER_DATA_DIR"]) / "jobs" / job_id).iterdir())
    assert kept and all(p.stat().st_mode & 0o777 == 0o600 for p in kept)  # owner-only


def test_a_broken_world_file_lists_its_problems_and_writes_nothing(admin, store):
    before = dumps_world(store)
    skill = {"id": "s-x", "labels": {"de": "X"}, "broader": ["s-nope"]}
    broken = json.dumps({"format": "wegweiser-world/1", "skills": [skill]}).encode()
    response = post_form(
        admin,
        "/admin/imports/world",
        {"file": (io.BytesIO(broken), "broken.json")},
        page="/admin/imports",
        content_type="multipart/form-data",
    )
    page = wait_for_job(admin, response.headers["Location"])
    assert "Nichts wurde importiert." in page
    assert "s-nope" in page
    assert admin.get(response.headers["Location"] + "/problems.csv").status_code == 200
    assert dumps_world(store) == before


def test_wrong_file_type_is_refused_before_anything_runs(admin):
    response = post_form(
        admin,
        "/admin/imports/world",
        {"file": (io.BytesIO(b"MZ..."), "virus.exe")},
        page="/admin/imports",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert ".jsonl.gz" in response.get_data(as_text=True)


def test_an_oversized_upload_gives_413_as_a_clear_page(admin):
    response = post_form(
        admin,
        "/admin/imports/world",
        {"file": (io.BytesIO(b" " * (LIMIT + 1)), "big.json")},
        page="/admin/imports",
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "<h1>Datei zu groß</h1>" in page and "1 MB" in page


def test_job_records_are_readable_from_disk(tmp_path):
    job = new_job(tmp_path, "test", "x.csv")
    assert read_job(tmp_path, job.id).state == "queued"

    def work(progress):
        progress(1, 2)
        raise JobFailed("broken", [{"row": 2, "column": "A", "value": "", "de": "d", "en": "e"}])

    start_job(tmp_path, job, work).join(5)
    done = read_job(tmp_path, job.id)
    assert (done.state, done.message, done.problems[0]["row"]) == ("failed", "broken", 2)
    assert done.finished is not None


# --- taxonomy ---------------------------------------------------------------------------------


def test_taxonomy_search_in_the_chosen_language_and_by_uri(admin):
    page = admin.get("/admin/taxonomy?kind=skill&q=kommiss").get_data(as_text=True)
    assert "/admin/taxonomy/skill/s-order-picking" in page
    page = admin.get("/admin/taxonomy?kind=skill&q=تجهيز&lang=ar").get_data(as_text=True)
    assert "/admin/taxonomy/skill/s-order-picking" in page
    page = admin.get(
        "/admin/taxonomy?kind=skill&q=ee5e2297-39cc-4ed6-89e5-d58016118a7f"
    ).get_data(as_text=True)
    assert "/admin/taxonomy/skill/s-order-picking" in page
    page = admin.get("/admin/taxonomy?kind=occupation&q=picker").get_data(as_text=True)
    assert "/admin/taxonomy/occupation/occ-order-picker" in page
    assert "Keine Treffer." in admin.get("/admin/taxonomy?q=zzzz&lang=de").get_data(as_text=True)


def test_taxonomy_node_shows_all_labels_and_neighbours(admin):
    page = admin.get("/admin/taxonomy/skill/s-order-picking").get_data(as_text=True)
    for text in ("Kommissionieren", "pick orders for dispatching", "تجهيز الطلبيات"):
        assert text in page
    assert "/admin/taxonomy/skill/s-warehouse-operations" in page  # broader
    assert "/admin/taxonomy/occupation/occ-order-picker" in page  # essential for
    page = admin.get("/admin/taxonomy/occupation/occ-order-picker").get_data(as_text=True)
    assert "/admin/taxonomy/skill/s-goods-receipt" in page  # optional
    assert "KldB" in page and "51312" in page


def test_every_admin_form_carries_a_csrf_token(admin):
    for path in ("/admin/users/new", "/admin/users/u-advisor", "/admin/imports"):
        page = admin.get(path).get_data(as_text=True)
        tokens = re.findall(r'name="(?:[a-z]+-)?csrf_token" type="hidden" value="[^"]+"', page)
        assert page.count('method="post"') == len(tokens) >= 2


def test_admin_pages_are_translated(admin):
    page = admin.get("/admin/imports?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page and "عمليات الاستيراد" in page
    page = admin.get("/admin/users?lang=uk").get_data(as_text=True)
    assert "Користувачі та ролі" in page
