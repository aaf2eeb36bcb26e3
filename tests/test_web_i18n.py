"""The translation catalogues are complete: a string marked anywhere in ``web/`` without
a translation in English, Arabic, Farsi and Ukrainian fails here, as does a committed
``.mo`` that is older than its ``.po`` (run ``python -m web.i18n_build``)."""

from __future__ import annotations

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from web.i18n import LANGUAGES
from web.i18n_build import CATALOGUE_LANGUAGES, catalogue_path, extract


def po(lang: str):
    with catalogue_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def test_every_language_but_german_has_a_catalogue():
    assert set(CATALOGUE_LANGUAGES) == set(LANGUAGES) - {"de"}


def test_extraction_finds_strings_in_code_and_templates():
    found = {msgid: filename for msgid, filename, _ in extract()}
    assert found["Anmelden"]  # forms.py and templates/base.html
    assert "Was im Graphen steht" in found  # a template
    assert "Bewerberinnen und Bewerber" in found  # home.py (lazy_gettext)


@pytest.mark.parametrize("lang", CATALOGUE_LANGUAGES)
def test_every_marked_string_is_translated(lang):
    catalog = po(lang)
    untranslated = sorted(
        f"{msgid!r} ({filename}:{line})"
        for msgid, filename, line in extract()
        if not (catalog.get(msgid) and catalog.get(msgid).string)
    )
    assert untranslated == [], f"{lang}: run python -m web.i18n_build and translate"


@pytest.mark.parametrize("lang", CATALOGUE_LANGUAGES)
def test_no_catalogue_entry_is_empty_fuzzy_or_malformed(lang):
    catalog = po(lang)
    for message in catalog:
        if not message.id:
            continue
        assert message.string, f"{lang}: {message.id!r} has no translation"
        assert not message.fuzzy, f"{lang}: {message.id!r} is fuzzy"
        assert not list(message.check(catalog)), f"{lang}: {message.id!r} placeholders differ"


@pytest.mark.parametrize("lang", CATALOGUE_LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(lang):
    with catalogue_path(lang, ".mo").open("rb") as handle:
        compiled = read_mo(handle)
    source = {m.id: m.string for m in po(lang) if m.id}
    assert {m.id: m.string for m in compiled if m.id} == source
