"""Languages of the web UI: German first, then English, Arabic, Farsi and Ukrainian.

The source strings in templates and code are German (the language of the network), so
German needs no catalogue; the others live as ``.po`` files under ``web/translations``
with their compiled ``.mo`` committed next to them (``python -m web.i18n_build``
refreshes both), so a fresh clone works after ``pip install -e .`` without a build step.

The language is chosen by ``?lang=`` (and then remembered in the session cookie, so it
holds across processes), else by the session, else by the browser, else German.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request, session
from flask_babel import Babel, get_locale

__all__ = ["DEFAULT", "LANGUAGES", "RTL", "init_i18n", "language_links"]

DEFAULT = "de"
LANGUAGES: dict[str, str] = {
    "de": "Deutsch",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "uk": "Українська",
}
"""Each language named in itself, as a switcher must show it."""
RTL = frozenset({"ar", "fa"})


def select_locale() -> str:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        return chosen
    remembered = session.get("lang")
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT) or DEFAULT


def remember_language() -> None:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and session.get("lang") != chosen:
        session["lang"] = chosen


def language_links() -> list[dict[str, object]]:
    """The switcher: this page in every language (other query arguments kept)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    current = str(get_locale())
    return [
        {
            "code": code,
            "name": name,
            "href": f"{request.path}?{urlencode([*args, ('lang', code)])}",
            "current": code == current,
        }
        for code, name in LANGUAGES.items()
    ]


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale)
    app.before_request(remember_language)

    @app.context_processor
    def language_context() -> dict[str, object]:
        lang = str(get_locale())
        return {
            "lang": lang,
            "text_direction": "rtl" if lang in RTL else "ltr",
            "language_links": language_links,
        }
