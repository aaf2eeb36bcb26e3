"""Hardened sessions and logins: idle and absolute timeouts, rate limits shared by app
processes, lockout back-off, the TOTP second factor (required for admins), security
headers and cookies, owner-only data files — through Flask's test client on the
embedded store with the sample world."""

from __future__ import annotations

import multiprocessing
import os
import re
import stat
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest

from graph.jobs import new_job
from graph.stores import StoreSettings
from graph.world import import_world
from tests.test_web_auth import PASSWORD, SAMPLE, USERS, csrf_token, login, logout
from web import auth, create_app, totp
from web.passwords import Passwords
from web.ratelimit import RATELIMIT_FILE, SCHEME, SQLiteStorage
from web.store import get_store

ADMIN, ADVISOR, COACH = USERS["admin"], USERS["advisor"], USERS["coach"]
T0 = 1_900_000_020.0  # a fixed moment at the start of a 30-second step


def make_app(data_dir: Path, **config):
    app = create_app(
        {"TESTING": True, "WEGWEISER_PASSWORD_PROFILE": "cheap", **config},
        store_settings=StoreSettings(data_dir=data_dir),
    )
    return app


def seed(app) -> None:
    with app.app_context():
        store = get_store()
        import_world(store, SAMPLE)
        hashed = Passwords("cheap").hash(PASSWORD)
        for user in USERS.values():
            store.save_user(replace(user, password_hash=hashed))


@pytest.fixture
def clock(monkeypatch):
    """The app's clock, moved by the test: ``clock.now += 60``."""

    class Clock:
        now = T0

    monkeypatch.setattr(auth, "now", lambda: Clock.now)
    return Clock


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path / "data")
    seed(app)
    yield app
    app.extensions["wegweiser.store"].close()


@pytest.fixture
def store(app):
    return app.extensions["wegweiser.store"]


# --- session timeouts ----------------------------------------------------------------


def test_an_idle_session_ends_with_a_message_and_a_safe_next(app, clock):
    client = app.test_client()
    assert login(client, ADVISOR.email).status_code == 302
    clock.now += 29 * 60
    assert client.get("/advisor/").status_code == 200  # in use: the idle time starts again
    clock.now += 29 * 60
    assert client.get("/advisor/").status_code == 200
    clock.now += 31 * 60
    expired = client.get("/advisor/?q=x")
    assert expired.status_code == 302
    assert expired.headers["Location"] == "/login?next=/advisor/?q%3Dx"
    page = client.get(expired.headers["Location"]).get_data(as_text=True)
    assert "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an." in page
    assert 'name="next" type="hidden" value="/advisor/?q=x"' in page
    assert client.get("/advisor/").status_code == 302  # signed out for good
    assert client.get("/api/v1/").status_code == 401


def test_a_session_ends_after_the_longest_time_even_in_use(app, clock):
    client = app.test_client()
    login(client, ADVISOR.email)
    for _ in range(19):  # 9.5 hours of steady use
        clock.now += 30 * 60
        assert client.get("/advisor/").status_code == 200
    clock.now += 31 * 60  # 10 h 1 min after the login
    assert client.get("/advisor/").status_code == 302


def test_an_expired_api_session_answers_401_and_a_replayed_cookie_stays_expired(app, clock):
    client = app.test_client()
    login(client, ADVISOR.email)
    old_cookie = client.get_cookie("session").value
    clock.now += 31 * 60
    assert client.get("/api/v1/").status_code == 401
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)  # the timestamps are signed into it
    assert replay.get("/advisor/").status_code == 302


def test_a_cookie_copied_before_a_password_reset_is_refused_in_every_process(app, tmp_path):
    """Session replay after a password change (issue #6): a copy of the cookie taken
    before the admin reset the password opens nothing — pages or API, in this app or in
    a second process on the same district (logout: tests/test_web_auth.py)."""
    victim = app.test_client()
    login(victim, COACH.email)
    stolen = victim.get_cookie("session").value
    other = make_app(tmp_path / "data")  # a second worker process
    try:
        before = other.test_client()
        before.set_cookie("session", stolen)
        assert before.get("/coach/").status_code == 200  # the copy worked until now
        admin = app.test_client()
        login(admin, ADMIN.email)
        page = f"/admin/users/{COACH.id}"
        response = admin.post(f"{page}/password", data={"csrf_token": csrf_token(admin, page)})
        assert response.status_code == 200
        for server in (app, other):
            replay = server.test_client()
            replay.set_cookie("session", stolen)
            assert replay.get("/coach/").status_code == 302
            assert replay.get("/api/v1/").status_code == 401
    finally:
        other.extensions["wegweiser.store"].close()


def test_timeouts_come_from_the_environment(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("WEGWEISER_SESSION_IDLE_MINUTES", "5")
    monkeypatch.setenv("WEGWEISER_SESSION_MAX_HOURS", "1")
    app = make_app(tmp_path / "data")
    try:
        seed(app)
        assert app.config["WEGWEISER_SESSION_IDLE_MINUTES"] == 5
        assert app.config["WEGWEISER_SESSION_MAX_HOURS"] == 1
        client = app.test_client()
        login(client, ADVISOR.email)
        clock.now += 6 * 60
        assert client.get("/advisor/").status_code == 302
    finally:
        app.extensions["wegweiser.store"].close()
    monkeypatch.setenv("WEGWEISER_SESSION_IDLE_MINUTES", "soon")
    with pytest.raises(RuntimeError, match="WEGWEISER_SESSION_IDLE_MINUTES='soon'"):
        make_app(tmp_path / "other")


# --- rate limits ---------------------------------------------------------------------


def test_two_workers_share_the_account_limit(tmp_path):
    """Two app instances on one data directory, as two gunicorn workers: failures on
    either count toward one limit, and the refusal says how long to wait."""
    limits = {"WEGWEISER_LOGIN_LIMIT_ACCOUNT": "3 per 15 minutes"}
    first = make_app(tmp_path / "data", **limits)
    second = make_app(tmp_path / "data", **limits)
    try:
        seed(first)
        one, two = first.test_client(), second.test_client()
        assert login(one, COACH.email, "falsch-falsch-1").status_code == 401
        assert login(two, COACH.email, "falsch-falsch-2").status_code == 401
        assert login(one, COACH.email, "falsch-falsch-3").status_code == 401
        refused = login(two, COACH.email)  # even the right password, now
        assert refused.status_code == 429
        wait = int(refused.headers["Retry-After"])
        assert 0 < wait <= 15 * 60 + 1
        page = refused.get_data(as_text=True)
        assert "Zu viele fehlgeschlagene Anmeldeversuche." in page
        assert "Minuten" in page
        assert login(one, ADVISOR.email).status_code == 302  # other accounts go on
        with first.app_context():
            assert get_store().get_user("u-coach").failed_logins == 3  # no 4th check
    finally:
        first.extensions["wegweiser.store"].close()
        second.extensions["wegweiser.store"].close()


def test_successful_logins_do_not_count(tmp_path):
    app = make_app(tmp_path / "data", WEGWEISER_LOGIN_LIMIT_ACCOUNT="2 per 15 minutes")
    try:
        seed(app)
        for _ in range(5):
            client = app.test_client()
            assert login(client, ADVISOR.email).status_code == 302
    finally:
        app.extensions["wegweiser.store"].close()


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_address_limit_spans_accounts_and_workers(tmp_path):
    limits = {"WEGWEISER_LOGIN_LIMIT_ADDRESS": "4 per 15 minutes"}
    first = make_app(tmp_path / "data", **limits)
    second = make_app(tmp_path / "data", **limits)
    try:
        seed(first)
        guesser = "203.0.113.7"
        one, two = from_address(first, guesser), from_address(second, guesser)
        for n, client in enumerate((one, two, one, two)):
            assert login(client, f"someone{n}@example.org", "rate-rate-rate").status_code == 401
        assert login(one, "another@example.org", "rate-rate-rate").status_code == 429
        assert login(two, ADVISOR.email).status_code == 429
        elsewhere = from_address(second, "198.51.100.9")
        assert login(elsewhere, ADVISOR.email).status_code == 302
    finally:
        first.extensions["wegweiser.store"].close()
        second.extensions["wegweiser.store"].close()


def test_ipv6_clients_count_per_network(tmp_path):
    app = make_app(tmp_path / "data", WEGWEISER_LOGIN_LIMIT_ADDRESS="2 per 15 minutes")
    try:
        seed(app)
        for host in ("2001:db8:1:2::a", "2001:db8:1:2::b"):
            client = from_address(app, host)
            assert login(client, "x@example.org", "rate-rate-rate").status_code == 401
        same_net = from_address(app, "2001:db8:1:2:ffff::1")
        assert login(same_net, ADVISOR.email).status_code == 429
        other_net = from_address(app, "2001:db8:1:3::1")
        assert login(other_net, ADVISOR.email).status_code == 302
    finally:
        app.extensions["wegweiser.store"].close()


def _take_slots(path: str, tries: int, queue) -> None:
    storage = SQLiteStorage(f"{SCHEME}://{path}")
    queue.put(sum(storage.acquire_entry("k", 25, 600) for _ in range(tries)))


def test_processes_never_take_more_slots_than_the_limit(tmp_path):
    """Four processes race for 25 slots of one window: exactly 25 are granted."""
    path = str(tmp_path / "limits.sqlite3")
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    workers = [ctx.Process(target=_take_slots, args=(path, 15, queue)) for _ in range(4)]
    for worker in workers:
        worker.start()
    granted = sum(queue.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    assert granted == 25
    storage = SQLiteStorage(f"{SCHEME}://{path}")
    start, taken = storage.get_moving_window("k", 25, 600)
    assert taken == 25 and start <= datetime.now(UTC).timestamp()
    storage.clear("k")
    assert storage.get_moving_window("k", 25, 600)[1] == 0
    assert storage.incr("c", 60) == 1 and storage.incr("c", 60, amount=2) == 3
    assert storage.get("c") == 3 and storage.get_expiry("c") > 0
    assert storage.check() and storage.reset() == 1


# --- lockout with back-off -----------------------------------------------------------


def test_each_further_lock_lasts_twice_as_long():
    assert [auth.lock_minutes(n) for n in (1, 4, 5, 6, 10, 15, 20)] == [0, 0, 15, 0, 30, 60, 120]
    assert auth.lock_minutes(5 * 40) == 24 * 60  # never more than a day


def test_a_second_round_of_wrong_passwords_locks_for_longer(tmp_path):
    app = make_app(tmp_path / "data", WEGWEISER_LOGIN_LIMIT_ACCOUNT="50 per 15 minutes")
    seed(app)
    store = app.extensions["wegweiser.store"]
    client = app.test_client()
    for _ in range(5):
        login(client, COACH.email, "falsch-falsch-falsch")
    first = store.get_user("u-coach")
    first_lock = datetime.fromisoformat(first.locked_until) - datetime.now(UTC)
    assert 14 * 60 < first_lock.total_seconds() <= 15 * 60
    store.save_user(replace(first, locked_until="2000-01-01T00:00:00+00:00"))  # time passed
    for _ in range(5):
        login(client, COACH.email, "falsch-falsch-falsch")
    second = store.get_user("u-coach")
    second_lock = datetime.fromisoformat(second.locked_until) - datetime.now(UTC)
    assert 29 * 60 < second_lock.total_seconds() <= 30 * 60
    store.save_user(replace(second, locked_until=None))
    assert login(client, COACH.email).status_code == 302
    assert store.get_user("u-coach").failed_logins == 0  # a success starts afresh
    store.close()


# --- the second factor ---------------------------------------------------------------


@pytest.fixture
def strict(tmp_path):
    """An app that requires a second factor of admins (the production default)."""
    app = make_app(tmp_path / "strict", WEGWEISER_REQUIRE_ADMIN_TOTP=True)
    seed(app)
    yield app
    app.extensions["wegweiser.store"].close()


def code_at(secret: str, moment: float) -> str:
    return pyotp.TOTP(secret).at(moment)


def enrol(client, clock) -> str:
    """Set up the second factor on the page; the secret shown."""
    page = client.get("/account/second-factor").get_data(as_text=True)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page).group(1)
    secret = secret.replace(" ", "")
    token = csrf_token(client, "/account/second-factor")
    response = client.post(
        "/account/second-factor",
        data={"csrf_token": token, "code": code_at(secret, clock.now)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return secret


def send_code(client, code: str):
    token = csrf_token(client, "/login/code")
    return client.post("/login/code", data={"csrf_token": token, "code": code})


def test_the_demo_default_requires_a_second_factor_of_admins(tmp_path, monkeypatch):
    monkeypatch.delenv("WEGWEISER_REQUIRE_ADMIN_TOTP")
    app = make_app(tmp_path / "data")
    try:
        assert app.config["WEGWEISER_REQUIRE_ADMIN_TOTP"] is True
    finally:
        app.extensions["wegweiser.store"].close()


def test_an_admin_without_a_second_factor_must_set_it_up_first(strict, clock):
    store = strict.extensions["wegweiser.store"]
    elsewhere = strict.test_client()
    login(elsewhere, ADMIN.email)
    client = strict.test_client()
    assert login(client, ADMIN.email).headers["Location"] == "/admin/"
    for path in ("/admin/", "/advisor/", "/admin/users", "/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/account/second-factor"
    assert client.get("/api/v1/").status_code == 403
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "Für die Verwaltung ist ein zweiter Faktor vorgeschrieben." in page
    assert "otpauth://totp/Wegweiser:admin%40kreis.example?secret=" in page
    assert '<img src="data:image/svg+xml' in page and 'alt="QR-Code' in page
    assert " style=" not in page and "<script" not in page
    assert 'autocomplete="one-time-code"' in page
    secret = enrol(client, clock)
    saved = store.get_user("u-admin")
    assert saved.totp_secret == secret and saved.totp_last_step == int(clock.now // 30)
    assert client.get("/admin/").status_code == 200  # this session goes on
    assert elsewhere.get("/admin/").status_code == 302  # other sessions ended


def test_the_secret_being_set_up_is_not_in_the_cookie(strict, clock):
    client = strict.test_client()
    login(client, ADMIN.email)
    page = client.get("/account/second-factor").get_data(as_text=True)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page).group(1)
    serializer = strict.session_interface.get_signing_serializer(strict)
    content = serializer.loads(client.get_cookie("session").value)
    assert secret.replace(" ", "") not in repr(content)
    assert "totp_nonce" in content
    again = client.get("/account/second-factor").get_data(as_text=True)
    assert secret in again  # the same secret until it is confirmed


def test_a_wrong_code_does_not_set_it_up(strict, clock):
    client = strict.test_client()
    login(client, ADMIN.email)
    token = csrf_token(client, "/account/second-factor")
    response = client.post("/account/second-factor", data={"csrf_token": token, "code": "000000"})
    assert response.status_code == 400
    assert "Der Code passt nicht." in response.get_data(as_text=True)
    assert strict.extensions["wegweiser.store"].get_user("u-admin").totp_secret is None


def test_login_asks_for_the_code_and_refuses_its_replay(strict, clock):
    client = strict.test_client()
    login(client, ADMIN.email)
    secret = enrol(client, clock)
    logout(client)
    clock.now += 30
    first = login(client, ADMIN.email, next_="/admin/users")
    assert first.headers["Location"] == "/login/code"
    assert client.get("/admin/").status_code == 302  # not signed in before the code
    page = client.get("/login/code").get_data(as_text=True)
    assert "<h1>Code eingeben</h1>" in page
    wrong = send_code(client, "123456" if code_at(secret, clock.now) != "123456" else "654321")
    assert wrong.status_code == 401
    assert "Der Code ist falsch oder wurde schon benutzt." in wrong.get_data(as_text=True)
    code = code_at(secret, clock.now)
    right = send_code(client, code)
    assert right.headers["Location"] == "/admin/users"
    assert client.get("/admin/").status_code == 200
    logout(client)
    # the same code again, still inside its 30 seconds: refused
    thief = strict.test_client()
    assert login(thief, ADMIN.email).headers["Location"] == "/login/code"
    assert send_code(thief, code).status_code == 401
    assert thief.get("/admin/").status_code == 302
    clock.now += 30
    assert send_code(thief, code_at(secret, clock.now)).status_code == 302


def test_the_code_step_expires_and_wrong_codes_lock_the_account(strict, clock):
    store = strict.extensions["wegweiser.store"]
    secret = pyotp.random_base32()
    store.save_user(replace(store.get_user("u-advisor"), totp_secret=secret))
    client = strict.test_client()
    login(client, ADVISOR.email)
    clock.now += auth.SECOND_STEP_SECONDS + 1
    late = client.get("/login/code")
    assert late.headers["Location"] == "/login"
    login(client, ADVISOR.email)
    for _ in range(5):
        assert send_code(client, "999999" if code_at(secret, clock.now) != "999999" else "111111")
    assert store.get_user("u-advisor").locked_until is not None
    assert send_code(client, code_at(secret, clock.now)).status_code == 401


def test_a_password_change_during_the_code_step_ends_it(strict, clock):
    store = strict.extensions["wegweiser.store"]
    secret = pyotp.random_base32()
    store.save_user(replace(store.get_user("u-advisor"), totp_secret=secret))
    client = strict.test_client()
    login(client, ADVISOR.email)
    user = store.get_user("u-advisor")
    store.save_user(replace(user, session_version=user.session_version + 1))
    assert send_code(client, code_at(secret, clock.now)).status_code == 401


def test_others_may_switch_it_on_and_off_admins_may_not_switch_it_off(strict, clock):
    store = strict.extensions["wegweiser.store"]
    client = strict.test_client()
    login(client, ADVISOR.email)
    page = client.get("/advisor/").get_data(as_text=True)
    assert 'href="/account/second-factor"' in page
    assert client.get("/account/second-factor").status_code == 200  # optional, offered
    secret = enrol(client, clock)
    assert store.get_user("u-advisor").totp_secret == secret
    clock.now += 30
    token = csrf_token(client, "/account/second-factor")
    off = client.post(
        "/account/second-factor", data={"csrf_token": token, "code": code_at(secret, clock.now)}
    )
    assert off.status_code == 302
    assert store.get_user("u-advisor").totp_secret is None
    admin = strict.test_client()
    login(admin, ADMIN.email)
    admin_secret = enrol(admin, clock)
    clock.now += 30
    page = admin.get("/account/second-factor").get_data(as_text=True)
    assert "kann nicht abgeschaltet werden" in page
    token = csrf_token(admin, "/account/second-factor")
    refused = admin.post(
        "/account/second-factor",
        data={"csrf_token": token, "code": code_at(admin_secret, clock.now)},
    )
    assert refused.status_code == 403
    assert store.get_user("u-admin").totp_secret == admin_secret


def test_an_admin_resets_the_second_factor_of_someone_who_lost_the_device(strict, clock):
    store = strict.extensions["wegweiser.store"]
    advisor = strict.test_client()
    login(advisor, ADVISOR.email)
    enrol(advisor, clock)
    assert advisor.get("/advisor/").status_code == 200
    admin = strict.test_client()
    login(admin, ADMIN.email)
    enrol(admin, clock)
    page = admin.get("/admin/users/u-advisor").get_data(as_text=True)
    assert "/admin/users/u-advisor/second-factor" in page
    assert admin.post("/admin/users/u-advisor/second-factor").status_code == 400  # no CSRF
    token = csrf_token(admin, "/admin/users/u-advisor")
    response = admin.post("/admin/users/u-advisor/second-factor", data={"csrf_token": token})
    assert response.status_code == 302
    user = store.get_user("u-advisor")
    assert user.totp_secret is None and user.totp_last_step == 0
    assert advisor.get("/advisor/").status_code == 302  # the advisor's session has ended
    again = strict.test_client()
    assert login(again, ADVISOR.email).headers["Location"].endswith("/advisor/")  # no code


def test_codes_are_accepted_once_within_one_step_of_drift():
    secret = pyotp.random_base32()
    step = int(T0 // 30)
    assert totp.matching_step(secret, code_at(secret, T0), 0, T0) == step
    assert totp.matching_step(secret, code_at(secret, T0 - 30), 0, T0) == step - 1
    assert totp.matching_step(secret, code_at(secret, T0 + 30), 0, T0) == step + 1
    assert totp.matching_step(secret, code_at(secret, T0 - 60), 0, T0) is None
    assert totp.matching_step(secret, code_at(secret, T0), step, T0) is None  # used
    assert totp.matching_step(secret, code_at(secret, T0 - 30), step, T0) is None  # older
    spaced = code_at(secret, T0)[:3] + " " + code_at(secret, T0)[3:]
    assert totp.matching_step(secret, spaced, 0, T0) == step
    for bad in ("", "12345", "1234567", "abcdef", "12345x"):
        assert totp.matching_step(secret, bad, 0, T0) is None


# --- headers and cookies -------------------------------------------------------------


def test_headers_over_plain_http_and_over_tls(app):
    plain = app.test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    assert "frame-ancestors 'none'" in plain.headers["Content-Security-Policy"]
    assert "script-src 'self'" in plain.headers["Content-Security-Policy"]
    assert plain.headers["X-Frame-Options"] == "DENY"
    assert plain.headers["Referrer-Policy"] == "same-origin"
    assert plain.headers["X-Content-Type-Options"] == "nosniff"
    assert plain.headers["Cache-Control"] == "no-store"
    tls = app.test_client().get("/login", base_url="https://localhost")
    assert tls.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def session_cookie_header(response) -> str:
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert found, "no session cookie set"
    return found[-1]


def test_the_session_cookie_is_httponly_samesite_and_secure_over_tls(app):
    plain = session_cookie_header(app.test_client().get("/login"))
    assert "HttpOnly" in plain and "SameSite=Lax" in plain
    assert "Secure" not in plain  # a plain-HTTP demo on 127.0.0.1 must still sign in
    tls = session_cookie_header(app.test_client().get("/login", base_url="https://localhost"))
    assert "Secure" in tls and "HttpOnly" in tls and "SameSite=Lax" in tls


def test_secure_cookies_can_be_forced(tmp_path):
    app = make_app(tmp_path / "data", SESSION_COOKIE_SECURE=True)
    try:
        assert "Secure" in session_cookie_header(app.test_client().get("/login"))
    finally:
        app.extensions["wegweiser.store"].close()


def test_forwarded_headers_count_only_behind_a_trusted_proxy(app, tmp_path):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.1"}
    spoofed = app.test_client().get("/login", headers=forwarded)
    assert "Strict-Transport-Security" not in spoofed.headers
    proxied = make_app(tmp_path / "proxied", WEGWEISER_TRUSTED_PROXIES=1)
    try:
        behind = proxied.test_client().get("/login", headers=forwarded)
        assert "Strict-Transport-Security" in behind.headers
        assert "Secure" in session_cookie_header(behind)
    finally:
        proxied.extensions["wegweiser.store"].close()


# --- owner-only data files -----------------------------------------------------------


def test_the_data_directory_and_its_files_are_owner_only(tmp_path, monkeypatch):
    """Even with a permissive umask, nothing in the data directory is readable by others
    (as root too: the modes are set, whoever may bypass them)."""
    monkeypatch.delenv("WEGWEISER_SECRET_KEY", raising=False)
    old_umask = os.umask(0o002)
    try:
        data = tmp_path / "data"
        app = create_app(
            {"WEGWEISER_PASSWORD_PROFILE": "cheap"}, store_settings=StoreSettings(data_dir=data)
        )
        try:
            seed(app)
            login(app.test_client(), ADVISOR.email, "falsch-falsch-falsch")  # a counted failure
            new_job(data, "world", "upload.json")  # an import's directory and status record
            names = {p.name for p in data.iterdir()}  # while open: with WAL and shm files
            assert {RATELIMIT_FILE, f"{RATELIMIT_FILE}-wal", "secret_key"} <= names
            assert_owner_only(data)
        finally:
            app.extensions["wegweiser.store"].close()
    finally:
        os.umask(old_umask)
    assert_owner_only(data)


def assert_owner_only(data: Path) -> None:
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in data.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
