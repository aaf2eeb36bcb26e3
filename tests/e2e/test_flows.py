"""The core flows of issue #5 in headless Chromium against the real app over HTTP.

Advisor: log in → search a candidate → profile → matching offers → gap → route picture
and its dates → propose. Employer: pseudonymised candidates for an own offer (no real
name on the page) → ask for contact. Coach: only own mentees, another candidate is 404.
Arabic: the switcher turns the page right-to-left and the choice holds across pages.
Every flow logs in with the keyboard only (Tab, typing, Enter), and the advisor's and the
employer's writes are submitted with the keyboard too. A screenshot is taken of each step.
"""

from __future__ import annotations

import re

from tests.e2e.steps import login_by_keyboard, press_on, tab_to

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_advisor_finds_a_candidate_sees_gap_and_route_and_proposes(page, site, shot):
    candidate_id, name, offer_id, offer_title = site.advisor_case
    login_by_keyboard(page, site.emails["advisor"], site.passwords["advisor"])
    assert page.url.endswith("/advisor/")
    assert page.locator("h1").count() == 1
    shot("dashboard")

    press_on(page, ".wg-subnav a[href='/advisor/candidates']")
    page.wait_for_url("**/advisor/candidates")
    tab_to(page, "#f-q")
    page.keyboard.type(name)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the search form
    assert "q=" in page.url
    result = page.get_by_role("link", name=name, exact=True)
    assert result.count() == 1, f"{name} not found by the search"
    shot("search")

    with page.expect_navigation():
        result.click()
    assert page.locator("h1").inner_text() == name
    shot("profile")

    with page.expect_navigation():
        page.get_by_role("link", name="Passende Angebote").first.click()
    row = page.locator("tbody tr", has=page.locator(f"a[href$='/offers/{offer_id}/gap']"))
    assert offer_title in row.inner_text()
    shot("matching-offers")

    with page.expect_navigation():
        row.locator(f"a[href$='/offers/{offer_id}/gap']").click()
    assert offer_title in page.locator("h1").inner_text()
    assert page.locator("table caption", has_text="Anforderungen").count() == 1
    assert page.locator("tr.wg-missing").count() >= 1  # the gap that courses close
    shot("gap")

    with page.expect_navigation():
        page.locator("main p a", has_text="Qualifizierungsweg").click()
    picture = page.locator(".wg-route svg")
    timeline = page.locator(".wg-chart svg")
    assert picture.is_visible() and timeline.is_visible()
    assert picture.get_attribute("role") == "img" or picture.locator("title").count() >= 1
    best = page.locator("h2", has_text="Beste Route")
    assert best.count() == 1
    summary = page.locator("h2:has-text('Beste Route') + p").inner_text()
    assert "bereit am" in summary and ISO_DATE.search(summary), summary
    schedule = page.locator("h2:has-text('Beste Route') ~ .table-wrap").first
    dates = ISO_DATE.findall(schedule.locator("tbody").inner_text())
    assert len(dates) >= 2, "the best route lists no course dates"
    assert sorted(dates)[-1] <= ISO_DATE.search(summary).group(0)  # ready after the last end
    shot("route")

    press_on(page, "form[action$='/propose'] button")
    page.wait_for_url(f"**/advisor/candidates/{candidate_id}")
    assert page.locator(".flash-success").inner_text() == "Für das Angebot vorgeschlagen."
    placements = page.locator("table", has=page.locator("caption", has_text="Vermittlungen"))
    assert offer_title in placements.inner_text()
    shot("proposed")


def test_employer_sees_only_pseudonyms_and_asks_for_contact(page, site, shot):
    offer_id, offer_title = site.extra["employer_offer"]
    login_by_keyboard(page, site.emails["employer"], site.passwords["employer"])
    assert page.url.endswith("/employer/")
    shot("offers")

    press_on(page, f"a[href='/employer/offers/{offer_id}/candidates']")
    page.wait_for_url(f"**/employer/offers/{offer_id}/candidates")
    assert offer_title in page.locator("main").inner_text()
    rows = page.locator("tbody tr")
    assert rows.count() >= 1
    html = page.content()
    text = page.locator("body").inner_text()
    shown = [n for n in site.candidate_names() if n in text or n in html]
    assert not shown, f"real names on the employer's page: {shown}"
    ids = [c["id"] for c in site.world["candidates"] if c["id"] in html]
    assert not ids, f"candidate ids on the employer's page: {ids}"
    pseudonym = rows.first.locator("th code").inner_text()
    assert pseudonym and pseudonym not in {c["id"] for c in site.world["candidates"]}
    shot("pseudonymised-candidates")

    with page.expect_navigation():  # the answer reloads the same page: wait for it
        press_on(page, f"#cand-{pseudonym} button")
    row = page.locator(f"#cand-{pseudonym}")
    assert "angefragt" in row.inner_text()
    asked = page.locator("h2:has-text('Ihre Kontaktanfragen') + ul").inner_text()
    assert pseudonym in asked
    shot("contact-asked")


def test_coach_sees_only_own_mentees(page, site, shot):
    coach = site.coach()
    by_id = {c["id"]: c["name"] for c in site.world["candidates"]}
    own = {by_id[m["candidate"]] for m in coach["mentees"]}
    others = {
        by_id[m["candidate"]]
        for c in site.world["coaches"]
        if c["id"] != coach["id"]
        for m in c.get("mentees", [])
    } - own
    login_by_keyboard(page, site.emails["coach"], site.passwords["coach"])
    assert page.url.endswith("/coach/")
    listed = set(page.locator("ul.cards h3 a").all_inner_texts())
    assert listed == own
    text = page.locator("body").inner_text()
    assert not [n for n in others if n in text], "another coach's mentee is listed"
    shot("mentees")

    first = sorted(m["candidate"] for m in coach["mentees"])[0]
    press_on(page, f"ul.cards a[href='/coach/mentees/{first}']")
    page.wait_for_url(f"**/coach/mentees/{first}")
    assert page.locator("h1").inner_text() == by_id[first]
    shot("mentee")

    stranger = next(c["id"] for c in site.world["candidates"] if by_id[c["id"]] in others)
    response = page.goto(f"/coach/mentees/{stranger}")
    assert response.status == 404
    assert by_id[stranger] not in page.locator("body").inner_text()
    shot("foreign-mentee-404")


def test_switching_to_arabic_turns_the_pages_right_to_left(page, site, shot):
    candidate_id, _name, offer_id, _title = site.advisor_case
    login_by_keyboard(page, site.emails["advisor"], site.passwords["advisor"])
    html = page.locator("html")
    assert html.get_attribute("lang") == "de" and html.get_attribute("dir") in (None, "ltr")
    shot("german")

    press_on(page, "nav.languages a[hreflang='ar']")
    page.wait_for_url("**lang=ar")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("nav.languages a[aria-current='true']").get_attribute("hreflang") == "ar"
    shot("arabic-dashboard")

    page.goto(f"/advisor/candidates/{candidate_id}/offers/{offer_id}/route")  # no ?lang
    assert html.get_attribute("dir") == "rtl", "the language choice did not hold"
    assert page.locator(".wg-route svg").is_visible()
    shot("arabic-route")
