"""Steps the browser tests share: logging in with the keyboard only, reading the page."""

from __future__ import annotations

from typing import Any

__all__ = ["focused", "login_by_keyboard", "press_on", "tab_to"]


def focused(page: Any) -> str:
    """A short description of the focused element: tag#id[name] text."""
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return e ? `${e.tagName.toLowerCase()}#${e.id}[${e.name || ""}]` +
                              ` ${(e.textContent || "").trim().slice(0, 60)}` : ""; }"""
    )


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus (as a keyboard
    user would); fails if it is not reachable within ``limit`` presses."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reachable with Tab (stuck at {focused(page)})")


def press_on(page: Any, selector: str) -> None:
    """Tab to an element and press Enter on it."""
    tab_to(page, selector)
    page.keyboard.press("Enter")


def login_by_keyboard(page: Any, email: str, password: str, lang: str = "de") -> None:
    """Open the login page and sign in with Tab, typing and Enter only."""
    page.goto(f"/login?lang={lang}")
    tab_to(page, "#email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "password", focused(page)
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url, f"login as {email} failed: {page.url}"
