"""Invented names for demo people, drawn from Faker, as a German office would write them.

Every name comes from Faker's name lists for the person's origin, drawn by a Faker
instance of that locale seeded from the world's seed (never the global random state), so a
seed always gives the same people. German records use the Latin passport spelling, so:
Cyrillic names are transliterated by the rules the passports use (Ukrainian national
system of 2010, Russian ICAO Doc 9303), and Arabic-script names are taken from romanised
entries of Faker's lists (``data/names.json``). Tigrinya and Somali have no Faker locale;
there a person is named by a given name and the father's given name, as at home.
"""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path
from typing import Any

from faker import Faker

__all__ = ["NameMaker", "transliterate_russian", "transliterate_ukrainian"]

_DATA = Path(__file__).resolve().parent / "data" / "names.json"

FAKER_LOCALES = {
    "de": "de_DE",
    "tr": "tr_TR",
    "uk": "uk_UA",
    "ru": "ru_RU",
    "ar": "ar_AA",
    "fa": "fa_IR",
}
"""Naming tradition → Faker locale. ``ti`` and ``so`` have none (see the module docstring)."""

_AVOID = frozenset({"Birgit", "Erik", "Öcalan", "İnönü", "Korutürk", "Demirel", "Erdoğan"})
"""Entries of Faker's tr_TR lists that would read wrongly in a German demo: German first
names among the men's names, and the family names of well-known political figures."""


@cache
def _name_data() -> dict[str, Any]:
    return json.loads(_DATA.read_text(encoding="utf-8"))


class NameMaker:
    """Names for one part of a world (``seed`` such as ``"2027/candidates"``): one seeded
    Faker per locale, created when first needed, and a seeded stream for the fallbacks."""

    def __init__(self, seed: str) -> None:
        self._seed = seed
        self._rng = random.Random(f"{seed}/fallback")
        self._fakers: dict[str, Faker] = {}

    def _faker(self, tradition: str) -> Faker:
        if tradition not in self._fakers:
            fake = Faker(FAKER_LOCALES[tradition])
            fake.seed_instance(f"{self._seed}/{tradition}")
            self._fakers[tradition] = fake
        return self._fakers[tradition]

    def person(self, tradition: str, female: bool) -> str:
        """'Given Family' for ``tradition`` (de, tr, uk, ru, ar, fa, ti, so)."""
        if tradition in ("de", "tr"):
            fake = self._faker(tradition)
            for _ in range(50):
                first = fake.first_name_female() if female else fake.first_name_male()
                last = fake.last_name()
                if first not in _AVOID and last not in _AVOID:
                    break
            return f"{first} {last}"
        if tradition == "uk":
            fake = self._faker("uk")
            first = fake.first_name_female() if female else fake.first_name_male()
            last = fake.last_name_female() if female else fake.last_name_male()
            return transliterate_ukrainian(f"{first} {last}")
        if tradition == "ru":
            fake = self._faker("ru")
            first = fake.first_name_female() if female else fake.first_name_male()
            last = fake.last_name_female() if female else fake.last_name_male()
            return transliterate_russian(f"{first} {last}")
        if tradition in ("ar", "fa"):
            return self._romanised(tradition, female)
        if tradition in ("ti", "so"):
            given = _name_data()["given_names"][tradition]
            first = self._rng.choice(given["female" if female else "male"])
            return f"{first} {self._rng.choice(given['male'])}"
        raise ValueError(f"no naming tradition {tradition!r}")

    def _romanised(self, tradition: str, female: bool) -> str:
        lists = _name_data()["romanised"][tradition]
        fake = self._faker(tradition)
        first = fake.random_element(lists["female" if female else "male"])[0]
        family = fake.random_element(lists["family"])[0]
        return f"{first} {family}"

    def family_name(self) -> str:
        """A German family name, for firms."""
        return self._faker("de").last_name()


# --- transliteration ------------------------------------------------------------------

_UK = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip


def transliterate_ukrainian(text: str) -> str:
    """Ukrainian → Latin by the national system of 2010 (used in Ukrainian passports):
    word-initial є, ї, й, ю, я become Ye, Yi, Y, Yu, Ya; зг becomes zgh."""
    return _by_word(text, _ukrainian_word)


def _ukrainian_word(word: str) -> str:
    out = []
    for i, char in enumerate(word):
        if i == 0 and char in _UK_INITIAL:
            out.append(_UK_INITIAL[char])
        elif char == "г" and i > 0 and word[i - 1] == "з":
            out.append("gh")
        else:
            out.append(_UK.get(char, char))
    return "".join(out)


def transliterate_russian(text: str) -> str:
    """Russian → Latin by ICAO Doc 9303 (used in Russian passports since 2013)."""
    return _by_word(text, lambda word: "".join(_RU.get(char, char) for char in word))


def _by_word(text: str, convert: Any) -> str:
    words = []
    for word in text.split(" "):
        parts = [convert(part.lower()) for part in word.split("-")]
        words.append("-".join(part[:1].upper() + part[1:] for part in parts))
    return " ".join(words)
