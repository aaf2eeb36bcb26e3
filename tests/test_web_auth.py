"""Signing in and out, roles and scopes, CSRF, safe redirects, languages and headers of
the web app, through Flask's test client on the embedded store with the sample world."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from graph.store import User
from graph.stores import StoreSettings
from graph.world import import_world
from web import create_app
from web.config import SECRET_FILE
from web.passwords import Passwords
from web.store import get_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "importers" / "data" / "sample_world.json"
PASSWORD = "richtig-geheim-42"
USERS = {
    "advisor": User(
        id="u-advisor",
        email="advisor@jobcenter.example",
        role="advisor",
        display_name="Anna Berger",
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
LANDINGS = {
    "advisor": "/advisor/",
    "employer": "/employer/",
    "coach": "/coach/",
    "admin": "/admin/",
}
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {"TESTING": True, "WEGWEISER_PASSWORD_PROFILE": "cheap"},
        store_settings=StoreSettings(data_dir=tmp_path / "data"),
    )
    with app.app_context():
        store = get_store()
        import_world(store, SAMPLE)
        hashed = Passwords("cheap").hash(PASSWORD)
        for user in USERS.values():
            store.save_user(replace(user, password_hash=hashed))
    yield app
    app.extensions["wegweiser.store"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(app):
    return app.extensions["wegweiser.store"]


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    found = CSRF.search(page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def login(client, email: str, password: str = PASSWORD, next_: str = ""):
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": password, "next": next_},
    )


def logout(client):
    token = csrf_token(client, "/")
    return client.post("/logout", data={"csrf_token": token})


# --- logging in ----------------------------------------------------------------------


def test_login_page_is_a_german_form_with_a_csrf_token(client):
    response = client.get("/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="de">' in page
    assert "<h1>Anmelden</h1>" in page
    assert CSRF.search(page)
    assert 'autocomplete="current-password"' in page


@pytest.mark.parametrize("role", sorted(USERS))
def test_each_role_lands_on_its_own_page(client, role):
    response = login(client, USERS[role].email)
    assert response.status_code == 302
    assert response.headers["Location"] == LANDINGS[role]
    page = client.get(LANDINGS[role])
    assert page.status_code == 200


def test_email_is_matched_ignoring_case_and_spaces(client):
    response = login(client, "  Advisor@JOBCENTER.example ")
    assert response.headers["Location"] == "/advisor/"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, store):
    wrong = login(client, USERS["advisor"].email, "falsch-falsch-falsch")
    unknown = login(client, "nobody@example.org")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "E-Mail-Adresse oder Passwort ist falsch." in response.get_data(as_text=True)
    assert client.get("/advisor/").status_code == 302  # still not signed in
    assert store.get_user("u-advisor").failed_logins == 1


def test_five_wrong_passwords_lock_the_account(client, store):
    for _ in range(5):
        assert login(client, USERS["coach"].email, "falsch-falsch-falsch").status_code == 401
    locked = store.get_user("u-coach")
    assert locked.locked_until is not None
    assert login(client, USERS["coach"].email).status_code == 401  # even the right one
    store.save_user(replace(locked, locked_until=None))
    assert login(client, USERS["coach"].email).status_code == 302
    assert store.get_user("u-coach").failed_logins == 0


def test_an_inactive_user_cannot_sign_in(client, store):
    user = store.get_user("u-employer")
    store.save_user(replace(user, active=False))
    assert login(client, USERS["employer"].email).status_code == 401


def test_a_weak_hash_is_upgraded_at_login(app, client, store):
    app.extensions["wegweiser.passwords"] = Passwords("default")
    weak = store.get_user("u-admin").password_hash
    assert login(client, USERS["admin"].email).status_code == 302
    upgraded = store.get_user("u-admin").password_hash
    assert upgraded != weak
    assert not Passwords("default").needs_rehash(upgraded)
    assert Passwords("default").verify(upgraded, PASSWORD)


def test_a_login_starts_a_new_session_but_keeps_the_language(client):
    client.get("/?lang=uk")
    before = client.get_cookie("session").value
    login(client, USERS["advisor"].email)
    assert client.get_cookie("session").value != before
    page = client.get("/advisor/").get_data(as_text=True)
    assert '<html lang="uk">' in page


# --- next ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/advisor/",
        "/\\evil.example",
        "http:/advisor/",
        "javascript:alert(1)",
        "advisor/",
    ],
)
def test_next_to_another_site_is_ignored(client, target):
    response = login(client, USERS["advisor"].email, next_=target)
    assert response.headers["Location"] == "/advisor/"


def test_next_to_a_local_page_is_followed(client):
    response = login(client, USERS["admin"].email, next_="/coach/?tab=1")
    assert response.headers["Location"] == "/coach/?tab=1"


def test_a_protected_page_sends_to_the_login_with_next(client):
    response = client.get("/advisor/?q=x")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/advisor/?q%3Dx"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/advisor/?q=x"' in page
    evil = client.get("/login?next=https://evil.example/").get_data(as_text=True)
    assert 'name="next" type="hidden" value=""' in evil


# --- logging out -----------------------------------------------------------------------


def test_logout_ends_the_session_everywhere(app, client, store):
    login(client, USERS["advisor"].email)
    assert client.get("/advisor/").status_code == 200
    stolen = client.get_cookie("session").value
    response = logout(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert client.get("/advisor/").status_code == 302
    assert store.get_user("u-advisor").session_version == 2
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/advisor/").status_code == 302  # the old cookie is worthless


def test_logout_needs_post(client):
    login(client, USERS["advisor"].email)
    assert client.get("/logout").status_code == 405
    assert client.get("/advisor/").status_code == 200


def test_a_changed_session_version_signs_the_user_out(client, store):
    login(client, USERS["coach"].email)
    assert client.get("/coach/").status_code == 200
    user = store.get_user("u-coach")
    store.save_user(replace(user, session_version=user.session_version + 1))
    assert client.get("/coach/").status_code == 302


def test_deactivating_a_user_ends_their_session(client, store):
    login(client, USERS["coach"].email)
    store.save_user(replace(store.get_user("u-coach"), active=False))
    assert client.get("/coach/").status_code == 302


# --- CSRF ------------------------------------------------------------------------------


def test_posts_without_a_csrf_token_are_refused(client):
    response = client.post("/login", data={"email": USERS["advisor"].email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Das Formular ist abgelaufen" in response.get_data(as_text=True)
    assert client.get("/advisor/").status_code == 302
    login(client, USERS["advisor"].email)
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/advisor/").status_code == 200  # still signed in


def test_a_token_from_another_session_does_not_work(app, client):
    other = app.test_client()
    foreign = csrf_token(other)
    response = client.post(
        "/login",
        data={"csrf_token": foreign, "email": USERS["advisor"].email, "password": PASSWORD},
    )
    assert response.status_code == 400


# --- roles and scopes ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["advisor", "employer", "coach"])
def test_each_role_is_refused_the_other_areas(client, role):
    login(client, USERS[role].email)
    for other, path in LANDINGS.items():
        expected = 200 if other == role else 403
        assert client.get(path).status_code == expected, (role, path)


def test_admins_enter_every_area(client):
    login(client, USERS["admin"].email)
    for path in LANDINGS.values():
        assert client.get(path).status_code == 200
    page = client.get("/admin/users").get_data(as_text=True)
    assert "advisor@jobcenter.example" in page
    assert "argon2" not in page


def test_the_advisor_sees_only_the_own_organisations_candidates(client):
    login(client, USERS["advisor"].email)
    page = client.get("/advisor/").get_data(as_text=True)
    assert "Jobcenter Kreis Heinsberg" in page
    assert "Ahmad Al-Khatib" in page
    assert "Noor Al-Hassan" in page
    assert "Olena Kovalenko" not in page  # Agentur für Arbeit
    assert "Yonas Kidane" not in page  # DRK


def test_the_coach_sees_only_own_mentees(client):
    login(client, USERS["coach"].email)
    page = client.get("/coach/").get_data(as_text=True)
    names = re.findall(r'<li id="(p-[a-z-]+)">', page)
    assert sorted(names) == ["p-ahmad-alkhatib", "p-noor-alhassan", "p-rojhat-ibrahim"]


def test_the_employer_sees_only_own_offers_and_no_names(client):
    login(client, USERS["employer"].email)
    page = client.get("/employer/").get_data(as_text=True)
    offers = re.findall(r'<li id="(of-[a-z-]+)">', page)
    assert sorted(offers) == [
        "of-kommissionierer-rurtal",
        "of-praktikum-lager-rurtal",
        "of-staplerfahrer-rurtal",
    ]
    assert "Ahmad" not in page


def test_navigation_shows_the_areas_of_the_role(client):
    login(client, USERS["advisor"].email)
    page = client.get("/advisor/").get_data(as_text=True)
    assert 'href="/advisor/" aria-current="page"' in page
    assert 'href="/employer/"' not in page
    assert 'href="/admin/"' not in page


def test_the_api_needs_a_login_and_answers_problem_details(client):
    response = client.get("/api/v1/")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 401
    login(client, USERS["employer"].email)
    body = client.get("/api/v1/").get_json()
    assert body["user"] == {
        "id": "u-employer",
        "email": USERS["employer"].email,
        "role": "employer",
    }
    missing = client.get("/api/v1/nothing")
    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"


# --- languages -------------------------------------------------------------------------


def test_arabic_is_right_to_left_and_remembered(client):
    page = client.get("/login?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "تسجيل الدخول" in page
    again = client.get("/login").get_data(as_text=True)  # the session remembers
    assert '<html lang="ar" dir="rtl">' in again


@pytest.mark.parametrize(
    ("lang", "heading", "rtl"),
    [
        ("de", "Was im Graphen steht", False),
        ("en", "What is in the graph", False),
        ("ar", "ما يحتويه الرسم البياني", True),
        ("fa", "آنچه در گراف است", True),
        ("uk", "Що є в графі", False),
    ],
)
def test_every_language_renders_the_start_page(client, lang, heading, rtl):
    page = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert (f'<html lang="{lang}" dir="rtl">' if rtl else f'<html lang="{lang}">') in page
    assert f"<h1>{heading}</h1>" in page


def test_an_unknown_language_falls_back_to_german(client):
    page = client.get("/?lang=xx").get_data(as_text=True)
    assert '<html lang="de">' in page


def test_the_browser_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/", headers={"Accept-Language": "uk,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="uk">' in page


def test_the_switcher_links_every_language_and_keeps_the_query(client):
    page = client.get("/login?next=/advisor/").get_data(as_text=True)
    for code in ("de", "en", "ar", "fa", "uk"):
        assert f'href="/login?next=%2Fadvisor%2F&amp;lang={code}" lang="{code}"' in page


def test_errors_are_shown_in_the_chosen_language(client):
    page = client.get("/nothing-here?lang=en")
    assert page.status_code == 404
    assert "<h1>Not found</h1>" in page.get_data(as_text=True)


# --- page basics -----------------------------------------------------------------------


def test_pages_have_landmarks_a_skip_link_and_no_inline_code(client):
    login(client, USERS["admin"].email)
    for path in ("/", "/login", *LANDINGS.values()):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert '<a class="skip-link" href="#main">' in page
        assert '<main id="main"' in page and "<header" in page and "<footer" in page
        assert "<script" not in page
        assert " style=" not in page
        assert "http://" not in page and "https://" not in page  # no CDN
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"


def test_the_secret_is_made_once_owner_only_and_shared(tmp_path, monkeypatch):
    monkeypatch.delenv("WEGWEISER_SECRET_KEY", raising=False)
    settings = StoreSettings(data_dir=tmp_path / "shared")
    first, second = create_app(store_settings=settings), create_app(store_settings=settings)
    try:
        path = tmp_path / "shared" / SECRET_FILE
        assert path.stat().st_mode & 0o777 == 0o600
        assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
        assert len(first.config["SECRET_KEY"]) == 64
        monkeypatch.setenv("WEGWEISER_SECRET_KEY", "from-the-environment-" + "x" * 32)
        third = create_app(store_settings=settings)
        assert third.config["SECRET_KEY"].startswith("from-the-environment-")
        third.extensions["wegweiser.store"].close()
    finally:
        first.extensions["wegweiser.store"].close()
        second.extensions["wegweiser.store"].close()


def test_a_session_from_one_process_is_valid_in_another(app, client, tmp_path):
    """Two app instances on one data directory (two processes behind a load balancer)
    share the secret and the users: a login on one is a login on the other."""
    login(client, USERS["advisor"].email)
    other = create_app({"TESTING": True}, store_settings=StoreSettings(data_dir=tmp_path / "data"))
    try:
        assert other.config["SECRET_KEY"] == app.config["SECRET_KEY"]
        second = other.test_client()
        second.set_cookie("session", client.get_cookie("session").value)
        assert second.get("/advisor/").status_code == 200
        logout(client)
        assert second.get("/advisor/").status_code == 302
    finally:
        other.extensions["wegweiser.store"].close()
