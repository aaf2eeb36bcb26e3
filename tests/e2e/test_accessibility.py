"""axe-core on the main pages, in German and in Arabic (right-to-left): no serious or
critical violation (WCAG 2.1 AA, issue #5). A failure prints every violation with its
id, impact and the elements it was found on. Each role logs in once per session (by
keyboard) and the pages are opened with its cookies; a screenshot of each page is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.axe import BLOCKING, format_violations, run_axe
from tests.e2e.steps import login_by_keyboard


def _pages() -> list[tuple[str, str, Callable[[Any], str]]]:
    def advisor(path: str) -> Callable[[Any], str]:
        def build(site: Any) -> str:
            candidate, _name, offer, _title = site.advisor_case
            return path.format(candidate=candidate, offer=offer)

        return build

    return [
        ("login", "", lambda site: "/login"),
        ("advisor-dashboard", "advisor", lambda site: "/advisor/"),
        ("advisor-candidates", "advisor", lambda site: "/advisor/candidates"),
        ("candidate", "advisor", advisor("/advisor/candidates/{candidate}")),
        ("gap", "advisor", advisor("/advisor/candidates/{candidate}/offers/{offer}/gap")),
        ("route", "advisor", advisor("/advisor/candidates/{candidate}/offers/{offer}/route")),
        (
            "employer-candidates",
            "employer",
            lambda site: f"/employer/offers/{site.extra['employer_offer'][0]}/candidates",
        ),
        ("advisor-edit", "advisor", advisor("/advisor/candidates/{candidate}/edit")),
        ("advisor-matches", "advisor", advisor("/advisor/candidates/{candidate}/offers")),
        ("interpreter", "advisor", advisor("/advisor/candidates/{candidate}/interpreter")),
        ("advisor-coaches", "advisor", advisor("/advisor/candidates/{candidate}/coaches")),
        ("advisor-pipeline", "advisor", lambda site: "/advisor/pipeline"),
        ("advisor-accompaniment", "advisor", lambda site: "/advisor/accompaniment"),
        ("advisor-contacts", "advisor", lambda site: "/advisor/contacts"),
        ("advisor-region", "advisor", lambda site: "/advisor/region"),
        ("employer-home", "employer", lambda site: "/employer/"),
        ("employer-company", "employer", lambda site: "/employer/company"),
        ("employer-offer-new", "employer", lambda site: "/employer/offers/new"),
        (
            "employer-offer-edit",
            "employer",
            lambda site: f"/employer/offers/{site.extra['employer_offer'][0]}/edit",
        ),
        ("coach", "coach", lambda site: "/coach/"),
        ("coach-mentee", "coach", lambda site: f"/coach/mentees/{site.extra['mentee_id']}"),
        ("admin-home", "admin", lambda site: "/admin/"),
        ("admin-users", "admin", lambda site: "/admin/users"),
        ("admin-user-new", "admin", lambda site: "/admin/users/new"),
        ("admin-organisations", "admin", lambda site: "/admin/organisations"),
        ("admin-imports", "admin", lambda site: "/admin/imports"),
        ("admin-taxonomy", "admin", lambda site: "/admin/taxonomy"),
        ("admin-audit", "admin", lambda site: "/admin/audit"),
        ("admin-retention", "admin", lambda site: "/admin/retention"),
        ("access-report", "advisor", advisor("/advisor/candidates/{candidate}/access-report")),
        ("data-export", "advisor", advisor("/advisor/candidates/{candidate}/export")),
        ("erase", "advisor", advisor("/advisor/candidates/{candidate}/erase")),
        ("second-factor", "advisor", lambda site: "/account/second-factor"),
    ]


PAGES = _pages()


@pytest.fixture(scope="session")
def signed_in(browser, site) -> Callable[[str], dict[str, Any]]:
    """The cookies of one keyboard login per role, made on first use."""
    states: dict[str, dict[str, Any]] = {}

    def state(role: str) -> dict[str, Any]:
        if role not in states:
            context = browser.new_context(base_url=site.url)
            try:
                login_by_keyboard(context.new_page(), site.emails[role], site.passwords[role])
                states[role] = context.storage_state()
            finally:
                context.close()
        return states[role]

    return state


@pytest.mark.parametrize("lang", ["de", "ar"])
@pytest.mark.parametrize(("name", "role", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_or_critical_violations(
    browser, site, signed_in, axe, lang, name, role, path, request
):
    state = signed_in(role) if role else None
    context = browser.new_context(
        base_url=site.url, storage_state=state, viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        response = page.goto(f"{path(site)}?lang={lang}")
        assert response is not None and response.status == 200, f"{name}: {response.status}"
        html = page.locator("html")
        assert html.get_attribute("lang") == lang
        assert (html.get_attribute("dir") == "rtl") == (lang == "ar")
        violations = run_axe(page, axe)
        from tests.e2e.conftest import ARTIFACTS

        folder = ARTIFACTS / "accessibility"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}-{lang}.png"), full_page=True)
    finally:
        context.close()
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    others = [v for v in violations if v["impact"] not in BLOCKING]
    if others:  # shown with -rA or on failure; they do not fail the page
        print(format_violations(f"{name} ({lang}), minor/moderate", others))
    assert not blocking, "\n" + format_violations(f"{name} ({lang})", blocking)


def test_the_check_finds_real_violations(browser, axe):
    """The harness is not vacuous: a page with known faults fails it."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<html><body><main><img src="x.png"><input type="text">'
            '<a href="/x"></a></main></body></html>'
        )
        found = {v["id"]: v["impact"] for v in run_axe(page, axe)}
    finally:
        context.close()
    assert found.get("image-alt") == "critical"
    assert "label" in found and "link-name" in found
    assert "html-has-lang" in found
