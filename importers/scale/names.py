"""Names for millions of invented people, fast.

Faker takes tens of microseconds per name; at 4.7 million job seekers that alone would be
minutes. So each naming tradition gets a pool of names drawn once from the demo's
:class:`~importers.demo.names.NameMaker` (Faker per locale, passport transliteration,
romanised Arabic script), and a person combines a given name and a family name from two
pool entries: 400 × 400 combinations per tradition and gender.
"""

from __future__ import annotations

import random

from importers.demo.names import NameMaker

__all__ = ["NamePool"]

POOL = 400


class NamePool:
    def __init__(self, seed: int, traditions: tuple[str, ...]) -> None:
        maker = NameMaker(f"{seed}/scale-names")
        self._given: dict[tuple[str, bool], list[str]] = {}
        self._family: dict[tuple[str, bool], list[str]] = {}
        for tradition in traditions:
            for female in (False, True):
                given, family = [], []
                for _ in range(POOL):
                    first, _, last = maker.person(tradition, female).partition(" ")
                    given.append(first)
                    family.append(last or first)
                self._given[(tradition, female)] = given
                self._family[(tradition, female)] = family
        self._firms = [maker.family_name() for _ in range(POOL)]

    def person(self, rng: random.Random, tradition: str, female: bool) -> str:
        key = (tradition, female)
        return f"{rng.choice(self._given[key])} {rng.choice(self._family[key])}"

    def firm_owner(self, rng: random.Random) -> str:
        return rng.choice(self._firms)
