"""Fixtures of the browser tests: the real app over HTTP, headless Chromium, axe-core.

The app is the one ``wegweiser demo`` serves: the generated demo district imported into a
fresh embedded store, the demo logins made by ``cli.users.create_demo_users``, served by
waitress (the production server of ``wegweiser serve``) from a thread on a free loopback
port. Chromium is Debian's (``/usr/bin/chromium``, override with ``WEGWEISER_CHROMIUM``),
driven by Playwright — never a browser that Playwright downloads itself.

Without Chromium or Playwright the browser tests are skipped with the reason, except under
``CI=true``, where they fail: CI must prove the pages in a real browser (as with Neo4j).
Screenshots of every step go to ``test-artifacts/e2e/`` in the repository root.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from graph.model import Label, Rel
from tests.conftest import IN_CI
from tests.e2e.axe import axe_source

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("WEGWEISER_CHROMIUM", "/usr/bin/chromium")
ROLES = ("advisor", "employer", "coach")


def unavailable(reason: str) -> None:
    """Skip outside CI, fail under CI=true (CI must run the browser tests)."""
    if IN_CI:
        pytest.fail(f"CI needs the browser tests, but: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


# --- the site ------------------------------------------------------------------------


@dataclass
class Site:
    """The running app and what the tests need to know about its data."""

    url: str
    world: dict[str, Any]
    passwords: dict[str, str]
    emails: dict[str, str]
    advisor_case: tuple[str, str, str, str] = ("", "", "", "")
    """(candidate id, candidate name, offer id, offer title): a match that needs courses."""
    extra: dict[str, Any] = field(default_factory=dict)

    def candidate_names(self) -> list[str]:
        return [c["name"] for c in self.world["candidates"]]

    def coach(self) -> dict[str, Any]:
        coach_id = self.extra["coach_id"]
        return next(c for c in self.world["coaches"] if c["id"] == coach_id)


def _advisor_case(store: Any, world: dict[str, Any], organization: str) -> tuple[str, ...]:
    """A candidate of the advisor's organisation and an offer that fits only after
    courses with dates: the flow must see a route picture and a timeline."""
    from graph.matching import match_offers

    for candidate in world["candidates"]:
        if candidate.get("organization") != organization:
            continue
        for match in match_offers(store, candidate["id"], limit=5):
            best = match.route.best if match.route else None
            if best is not None and best.schedule and match.weeks_needed < float("inf"):
                return candidate["id"], candidate["name"], match.offer.id, match.offer.title
    raise AssertionError("the demo district has no candidate that needs courses for an offer")


def _employer_offer(store: Any, world: dict[str, Any], user: Any) -> tuple[str, str]:
    """An offer of the employer's company with pseudonymised candidates to show."""
    from graph.access import Action, Principal, can, load_resource
    from graph.matching import match_candidates
    from graph.model import Label

    me = Principal.from_user(user)
    for offer in world["offers"]:
        if offer["company"] != user.company or not offer.get("open", True):
            continue
        for match in match_candidates(store, offer["id"], limit=10):
            resource = load_resource(store, Label.CANDIDATE, match.candidate.id)
            if can(me, Action.VIEW_PSEUDONYMISED, resource):
                return offer["id"], offer["title"]
    raise AssertionError("no offer of the demo employer has candidates to show")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    import waitress

    from cli.users import create_demo_users
    from graph.stores import StoreSettings
    from graph.world import import_world
    from importers.demo import write_demo_world
    from web import create_app
    from web.store import get_store

    base = tmp_path_factory.mktemp("e2e")
    world_file = base / "demo_world.json"
    write_demo_world(world_file)
    world = json.loads(world_file.read_text(encoding="utf-8"))
    app = create_app(store_settings=StoreSettings(kind="embedded", data_dir=base / "data"))
    with app.app_context():
        store = get_store()
        store.init_schema()
        import_world(store, world_file)
        logins = create_demo_users(store, world_file)
        users = {login.role: store.user_by_email(login.email) for login in logins}
        case = _advisor_case(store, world, users["advisor"].organization)
        employer_offer = _employer_offer(store, world, users["employer"])
        mentees = sorted(
            r.target_id
            for r in store.relationships(Label.COACH, users["coach"].coach)
            if r.type == Rel.MENTORS
        )
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, name="e2e-waitress", daemon=True)
    thread.start()
    try:
        yield Site(
            url=f"http://127.0.0.1:{server.effective_port}",
            world=world,
            passwords={login.role: login.password for login in logins},
            emails={login.role: login.email for login in logins},
            advisor_case=case,
            extra={
                "coach_id": users["coach"].coach,
                "company_id": users["employer"].company,
                "employer_offer": employer_offer,
                "mentee_id": mentees[0] if mentees else None,
            },
        )
    finally:
        server.close()
        thread.join(timeout=5)
        app.extensions["wegweiser.store"].close()


# --- the browser ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh browser context (no cookies) per test; German unless a test switches."""
    context = browser.new_context(
        base_url=site.url, locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def shot(page: Any, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """``shot("step")`` saves a full-page screenshot as
    ``test-artifacts/e2e/<test>/<nn>-<step>.png`` (numbered in the order taken)."""
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    folder = ARTIFACTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    taken = [0]

    def take(step: str) -> Path:
        taken[0] += 1
        slug = re.sub(r"[^\w.-]+", "_", step)
        path = folder / f"{taken[0]:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def axe() -> str:
    """The source of axe.min.js (axe-core 4, cached in ~/.cache/wegweiser)."""
    try:
        return axe_source()
    except RuntimeError as error:
        unavailable(str(error))
        raise
