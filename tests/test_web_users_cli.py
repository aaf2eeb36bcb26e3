"""`wegweiser user add|list` and the demo logins: real processes on the embedded store,
and a demo login that really signs in to the web app."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli.users import create_demo_users, format_logins
from graph.stores import StoreSettings
from graph.world import import_world
from web import create_app
from web.passwords import Passwords

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "importers" / "data" / "sample_world.json"


@pytest.fixture
def env(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WEGWEISER_STORE": "embedded",
        "WEGWEISER_DATA": str(tmp_path / "data"),
    }
    assert wegweiser("import", "world", SAMPLE, env=env).returncode == 0
    return env


def wegweiser(*args, env, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *map(str, args)],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_user_add_and_list(env):
    added = wegweiser(
        "user", "add", "Anna@Jobcenter.example", "--role", "advisor",
        "--organization", "o-jobcenter-hs", "--name", "Anna Berger", "--password-stdin",
        env=env, stdin="ein langes Passwort\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "created advisor anna@jobcenter.example" in added.stdout
    listed = wegweiser("user", "list", env=env)
    assert re.search(r"anna@jobcenter\.example\s+advisor\s+o-jobcenter-hs\s+active", listed.stdout)
    exported = wegweiser("export", "world", "-", env=env)
    assert "anna@jobcenter" not in exported.stdout and "argon2" not in exported.stdout


def test_user_add_lists_every_problem_and_writes_nothing(env):
    bad = wegweiser(
        "user", "add", "x@firma.example", "--role", "employer", "--company", "c-nope",
        "--password-stdin", env=env, stdin="kurz\n",
    )  # fmt: skip
    assert bad.returncode == 1
    assert "password: at least 10 characters, got 4" in bad.stderr
    assert "--company: no Company with id 'c-nope' in the store" in bad.stderr
    missing_scope = wegweiser(
        "user", "add", "c@drk.example", "--role", "coach", "--password-stdin",
        env=env, stdin="ein langes Passwort\n",
    )  # fmt: skip
    assert missing_scope.returncode == 1
    assert "coach: a user with role coach needs one" in missing_scope.stderr
    assert "no users yet" in wegweiser("user", "list", env=env).stdout


def test_a_second_user_with_the_same_email_is_refused(env):
    args = ("user", "add", "admin@kreis.example", "--role", "admin", "--password-stdin")
    assert wegweiser(*args, env=env, stdin="ein langes Passwort\n").returncode == 0
    again = wegweiser(*args, env=env, stdin="ein langes Passwort\n")
    assert again.returncode == 1
    assert "belongs to another user" in again.stderr


def test_demo_logins_one_per_role_that_sign_in(tmp_path):
    settings = StoreSettings(data_dir=tmp_path / "data")
    app = create_app({"TESTING": True}, store_settings=settings)
    store = app.extensions["wegweiser.store"]
    try:
        import_world(store, SAMPLE)
        logins = create_demo_users(store, SAMPLE)
        assert [login.role for login in logins] == ["advisor", "employer", "coach", "admin"]
        users = {u.role: u for u in store.list_users()}
        assert users["advisor"].organization == "o-jobcenter-hs"
        assert users["employer"].company == "c-rurtal-logistik"
        assert users["coach"].coach == "co-gisela-hermanns"
        text = format_logins(logins)
        for login in logins:
            assert login.email in text and login.password in text
            assert Passwords().verify(users[login.role].password_hash, login.password)
        assert "second factor (TOTP" in text  # the admin is told before the first sign-in
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        advisor = logins[0]
        response = client.post(
            "/login",
            data={"csrf_token": token, "email": advisor.email, "password": advisor.password},
        )
        assert response.headers["Location"] == "/advisor/"
        assert client.get("/advisor/").status_code == 200
        again = create_demo_users(store, SAMPLE)  # a new start: new passwords, old sessions end
        assert again[0].password != advisor.password
        assert len(store.list_users()) == 4
        assert client.get("/advisor/").status_code == 302
    finally:
        store.close()
