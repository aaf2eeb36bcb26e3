"""Refresh the translation catalogues: ``python -m web.i18n_build``.

Extracts every marked string from ``web/`` (Python: ``_``, ``gettext``, ``_l``,
``lazy_gettext``; templates: ``_``/``gettext`` through Jinja's Babel extractor), merges
them into each ``web/translations/<lang>/LC_MESSAGES/messages.po`` (new strings get an
empty msgstr for the translator; strings no longer used are dropped) and compiles the
``.mo`` next to it. Both files are committed, so installing needs no build step; the
test suite fails while any msgstr is empty or a ``.mo`` is older than its ``.po``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from jinja2.ext import babel_extract

__all__ = ["CATALOGUE_LANGUAGES", "WEB", "build", "catalogue_path", "extract"]

WEB = Path(__file__).resolve().parent
TRANSLATIONS = WEB / "translations"
CATALOGUE_LANGUAGES = ("en", "ar", "fa", "uk")
"""German is the source language (every msgid is German) and has no catalogue."""
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
METHODS = [("**/templates/**.html", babel_extract), ("**.py", "python")]
_FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
"""Catalogue headers carry a date; a fixed one keeps rebuilds byte-identical."""


def catalogue_path(lang: str, suffix: str = ".po") -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / f"messages{suffix}"


def extract() -> Iterator[tuple[str, str, int]]:
    """(msgid, file, line) of every marked string in ``web/``."""
    for filename, lineno, message, _comments, _context in extract_from_dir(
        WEB, METHODS, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True
    ):
        msgid = message if isinstance(message, str) else message[0]
        yield msgid, filename, lineno


def template() -> Catalog:
    catalog = Catalog(project="Wegweiser", creation_date=_FIXED_DATE, fuzzy=False)
    for msgid, filename, lineno in extract():
        catalog.add(msgid, locations=[(filename, lineno)])
    return catalog


def build() -> None:
    source = template()
    for lang in CATALOGUE_LANGUAGES:
        po = catalogue_path(lang)
        po.parent.mkdir(parents=True, exist_ok=True)
        if po.exists():
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="Wegweiser", creation_date=_FIXED_DATE)
        catalog.update(source, no_fuzzy_matching=True)
        catalog.revision_date = _FIXED_DATE
        catalog.fuzzy = False
        with po.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
        with catalogue_path(lang, ".mo").open("wb") as handle:
            write_mo(handle, catalog)
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{po.relative_to(WEB.parent)}: {len(catalog)} messages, {len(missing)} untranslated")


if __name__ == "__main__":
    build()
