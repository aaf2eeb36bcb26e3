"""Turning one cell into a value: what people type in Excel, read strictly.

Excel gives numbers, dates and booleans as such; a CSV gives only text. Both are accepted
here in the forms people use in a German office (``01.02.2027`` and ``2027-02-01``,
``450,50``, ``ja``/``nein``), and anything else is a ``CellError`` that says in German
and English what was expected. Multi-valued cells are split on ``;`` (or line breaks),
and a level follows its item after the *last* colon, so an ESCO URI
(``http://data.europa.eu/esco/skill/…:2``) keeps its own colon.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from pydantic import TypeAdapter, ValidationError

from graph import model
from graph.world import schema
from importers.tabular.problems import CellError

__all__ = [
    "as_bool",
    "as_choice",
    "as_country",
    "as_date",
    "as_email",
    "as_int",
    "as_number",
    "as_text",
    "display",
    "parse_cefr",
    "parse_skill_level",
    "split_list",
    "split_with_levels",
]

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_TRUE = {"ja", "j", "yes", "y", "true", "wahr", "x", "1"}
_FALSE = {"nein", "n", "no", "false", "falsch", "0"}

SKILL_LEVEL_WORDS: dict[str, int] = {
    "grundkenntnisse": 1,
    "basic": 1,
    "fortgeschritten": 2,
    "advanced": 2,
    "experte": 3,
    "expert": 3,
}
"""Level names people write instead of 1–3, German and English."""

NATIVE_WORDS = {"native", "muttersprache", "ms"}


def display(value: object) -> str:
    """A cell value as the person sees it, for problem reports."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_text(value: object) -> str:
    if isinstance(value, bool | dt.date):
        raise CellError("Text erwartet", "text expected")
    return display(value).strip()


def as_int(value: object) -> int:
    if isinstance(value, bool):
        raise CellError("ganze Zahl erwartet", "a whole number expected")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value.strip())
    raise CellError("ganze Zahl erwartet", "a whole number expected")


def as_number(value: object) -> int | float:
    """A number; text may use a German decimal comma (``450,50``)."""
    if isinstance(value, bool):
        raise CellError("Zahl erwartet", "a number expected")
    if isinstance(value, int | float):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+[.,]\d+", text):
        number = float(text.replace(",", "."))
        return int(number) if number.is_integer() else number
    raise CellError(
        "Zahl erwartet (z. B. 450 oder 450,50)", "a number expected (e.g. 450 or 450.50)"
    )


def as_date(value: object) -> str:
    """An ISO date string from an Excel date, ``YYYY-MM-DD`` or ``TT.MM.JJJJ``."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip() if isinstance(value, str) else ""
    try:
        german = _GERMAN_DATE.match(text)
        if german:
            day, month, year = map(int, german.groups())
            return dt.date(year, month, day).isoformat()
        parsed = dt.date.fromisoformat(text)
        if parsed.isoformat() == text:
            return text
    except ValueError:
        pass
    raise CellError(
        "kein gültiges Datum (JJJJ-MM-TT oder TT.MM.JJJJ)", "not a valid date (YYYY-MM-DD)"
    )


def _candidate_field(name: str) -> TypeAdapter:
    """The world-file schema's check of one candidate property (``graph.world.schema``)."""
    return TypeAdapter(schema.Candidate.model_fields[name].annotation)


_EMAIL = _candidate_field("email")
_COUNTRY = _candidate_field("nationality")


def as_email(value: object) -> str:
    """An e-mail address, checked as a world file checks it."""
    text = as_text(value)
    try:
        return str(_EMAIL.validate_python(text))
    except ValidationError:
        raise CellError(
            "keine gültige E-Mail-Adresse (z. B. name@example.org, höchstens 254 Zeichen)",
            "not a valid e-mail address (e.g. name@example.org, at most 254 characters)",
        ) from None


def as_country(value: object) -> str:
    """A two-letter country code (ISO 3166-1 alpha-2); ``sy`` is read as ``SY``."""
    text = as_text(value).upper()
    try:
        return str(_COUNTRY.validate_python(text))
    except ValidationError:
        raise CellError(
            "Ländercode aus zwei Buchstaben erwartet (ISO 3166-1, z. B. SY, UA, DE)",
            "a two-letter country code expected (ISO 3166-1, e.g. SY, UA, DE)",
        ) from None


def as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = display(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("„ja“ oder „nein“ erwartet", "'yes' or 'no' expected")


def as_choice(value: object, choices: Mapping[str, str]) -> str:
    """One of ``choices`` (value → German word), given as the value or the German word."""
    text = as_text(value).lower()
    for key, german in choices.items():
        if text in (key.lower(), german.lower()):
            return key
    allowed = ", ".join(f"{german} ({key})" for key, german in choices.items())
    raise CellError(f"erlaubt sind: {allowed}", f"allowed: {allowed}")


def split_list(value: object) -> list[str]:
    """The entries of a multi-valued cell, separated by ``;`` or line breaks."""
    return [part.strip() for part in re.split(r"[;\n]", display(value)) if part.strip()]


def split_with_levels(value: object) -> list[tuple[str, str]]:
    """``Gabelstapler:2; Lagerlogistik:1`` → ``[("Gabelstapler", "2"), …]``."""
    entries = []
    for part in split_list(value):
        item, colon, level = part.rpartition(":")
        if not colon or not item.strip() or not level.strip() or "/" in level:
            raise CellError(
                f"„{part}“: Stufe fehlt (Schreibweise „Eintrag:Stufe; Eintrag:Stufe“)",
                f"'{part}': level missing (write 'item:level; item:level')",
            )
        entries.append((item.strip(), level.strip()))
    return entries


def parse_skill_level(text: str, item: str) -> int:
    scale = model.format_level_scale("skill")
    word = SKILL_LEVEL_WORDS.get(text.lower())
    if word is not None:
        return word
    if re.fullmatch(r"\d+", text) and model.is_skill_level(int(text)):
        return int(text)
    raise CellError(
        f"„{item}“: Stufe „{text}“ liegt nicht in {scale}",
        f"'{item}': level '{text}' is not in {scale}",
    )


def parse_cefr(text: str, item: str) -> str:
    level = "native" if text.lower() in NATIVE_WORDS else text.upper()
    if model.is_cefr_level(level):
        return level
    scale = model.format_level_scale("language")
    raise CellError(
        f"„{item}“: Sprachniveau „{text}“ ist keine GER-Stufe ({scale}, Muttersprache)",
        f"'{item}': level '{text}' is not a CEFR level ({scale})",
    )
