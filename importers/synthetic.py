"""Synthetic worlds of any size, for benchmarks and for tests that need volume.

Deterministic for a seed. The shapes follow the region's (a few skills per candidate,
a handful of requirements per offer, short prerequisite chains between courses), but the
names are placeholders: realistic demo data comes from the demo-district generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from graph.model import CEFR_LEVELS, OFFER_KINDS, TOOL_CATEGORIES
from graph.world.schema import FORMAT

__all__ = ["WorldSize", "synthetic_world"]

_LANGUAGES = ("de", "en", "ar", "fa", "uk", "ru", "tr", "ti", "ps", "ku", "so", "fr")


@dataclass(frozen=True)
class WorldSize:
    candidates: int = 100
    offers: int = 30
    courses: int = 30
    skills: int = 200
    tools: int = 60
    companies: int | None = None
    towns: int = 10


def synthetic_world(size: WorldSize, seed: int = 1) -> dict[str, Any]:
    """A valid ``wegweiser-world/1`` document of the given size."""
    rng = random.Random(seed)
    towns = [
        {
            "id": f"t-{i}",
            "name": f"Ort {i}",
            "lat": round(50.9 + rng.random() * 0.3, 5),
            "lon": round(5.9 + rng.random() * 0.5, 5),
        }
        for i in range(size.towns)
    ]
    languages = [{"id": code, "labels": {"en": code}} for code in _LANGUAGES]
    skills = [
        {
            "id": f"s-{i}",
            "labels": {"de": f"Fähigkeit {i}", "en": f"skill {i}"},
            "broader": [f"s-{i // 10}"] if i >= 10 else [],
        }
        for i in range(size.skills)
    ]
    tools = [
        {
            "id": f"m-{i}",
            "labels": {"de": f"Maschine {i}"},
            "category": TOOL_CATEGORIES[i % len(TOOL_CATEGORIES)],
        }
        for i in range(size.tools)
    ]
    organizations = [
        {"id": "org-jc", "name": "Jobcenter", "kind": "jobcenter"},
        {"id": "org-provider", "name": "Bildungsträger", "kind": "provider"},
    ]
    n_companies = size.companies or max(1, size.offers // 3)
    companies = [
        {"id": f"co-{i}", "name": f"Firma {i}", "town": rng.choice(towns)["id"]}
        for i in range(n_companies)
    ]

    domains = _Domains(size, rng)
    offers = [
        {
            "id": f"o-{i}",
            "company": f"co-{rng.randrange(n_companies)}",
            "kind": rng.choice(OFFER_KINDS),
            "title": f"Stelle {i}",
            "town": rng.choice(towns)["id"],
            "requires": domains.offer_requirements(),
        }
        for i in range(size.offers)
    ]
    courses = [
        {
            "id": f"k-{i}",
            "title": f"Kurs {i}",
            "provider": "org-provider",
            "town": rng.choice(towns)["id"],
            "cost": rng.randrange(0, 5000, 50),
            "starts": _starts(rng),
            **domains.course(i),
        }
        for i in range(size.courses)
    ]
    candidates = [
        {
            "id": f"p-{i}",
            "name": f"Person {i}",
            "town": rng.choice(towns)["id"],
            "gender": rng.choice(("f", "m", "m")),
            "birth_year": rng.randint(1965, 2007),
            **domains.candidate_levels(),
        }
        for i in range(size.candidates)
    ]
    return {
        "format": FORMAT,
        "towns": towns,
        "languages": languages,
        "skills": skills,
        "tools": tools,
        "organizations": organizations,
        "companies": companies,
        "offers": offers,
        "courses": courses,
        "candidates": candidates,
    }


def _starts(rng: random.Random) -> list[str]:
    """Up to four start dates in 2027; one course in eight starts any day."""
    if rng.random() < 0.125:
        return []
    days = {(rng.randint(1, 12), rng.randint(1, 28)) for _ in range(rng.randint(1, 4))}
    return sorted(f"2027-{m:02d}-{d:02d}" for m, d in days)


class _Domains:
    """Skills come in occupational domains of 25; courses, offers and people stay mostly
    within one, as in a real catalogue (a welding module does not require a care skill).

    The first ten skills of a domain are the common ones that courses teach and offers
    ask for; advanced courses require a basic skill of their domain, and a share of all
    courses require German at A1–B1, which a chain of German courses A1 → C1 teaches.
    """

    SIZE = 25
    COMMON = 10

    def __init__(self, size: WorldSize, rng: random.Random) -> None:
        self.rng = rng
        self.count = max(1, size.skills // self.SIZE)
        self.skills = size.skills
        self.tools = size.tools
        self.german_every = 25  # one course in 25 is a German course

    def _skill(self, domain: int, common: bool = True) -> str:
        span = self.COMMON if common else self.SIZE
        return f"s-{min(self.skills - 1, domain * self.SIZE + self.rng.randrange(span))}"

    def _tool(self, domain: int) -> str:
        return f"m-{(domain * 3 + self.rng.randrange(3)) % max(1, self.tools)}"

    def course(self, index: int) -> dict[str, Any]:
        rng = self.rng
        empty: dict[str, dict[str, Any]] = {"skills": {}, "tools": {}, "languages": {}}
        if index % self.german_every == 0:
            rank = (index // self.german_every) % 5 + 1  # A1 … C1
            requires = {"languages": {"de": CEFR_LEVELS[rank - 2]}} if rank > 1 else {}
            return {
                "kind": "language",
                "weeks": rng.randint(8, 16),
                "teaches": {**empty, "languages": {"de": CEFR_LEVELS[rank - 1]}},
                "requires": {**empty, **requires},
            }
        domain = rng.randrange(self.count)
        level = rng.choice((1, 1, 2, 2, 3))
        teaches = {self._skill(domain): level for _ in range(rng.randint(1, 3))}
        tools = {self._tool(domain): rng.randint(1, 2)} if rng.random() < 0.3 else {}
        requires: dict[str, Any] = {}
        if level >= 2 and rng.random() < 0.6:
            requires["skills"] = {self._skill(domain): level - 1}
        if rng.random() < 0.4:
            requires["languages"] = {"de": rng.choice(CEFR_LEVELS[:3])}
        for skill in requires.get("skills", {}):
            teaches.pop(skill, None)
        if not teaches and not tools:
            teaches = {self._skill(domain): 1}
            requires.pop("skills", None)
        return {
            "kind": rng.choice(("qualification", "machine", "orientation")),
            "weeks": rng.randint(1, 12),
            "teaches": {**empty, "skills": teaches, "tools": tools},
            "requires": {**empty, **requires},
        }

    def offer_requirements(self) -> dict[str, Any]:
        rng = self.rng
        domain = rng.randrange(self.count)
        essential = {
            self._skill(domain): {"level": rng.randint(1, 3), "essential": True}
            for _ in range(rng.randint(2, 6))
        }
        optional = {
            self._skill(domain, common=False): {"level": rng.randint(1, 2), "essential": False}
            for _ in range(rng.randint(0, 2))
        }
        tools = {
            self._tool(domain): {"level": 1, "essential": rng.random() < 0.5}
            for _ in range(rng.randint(0, 2))
        }
        return {
            "skills": {**optional, **essential},
            "tools": tools,
            "languages": {"de": rng.choice(CEFR_LEVELS[:4])},
        }

    def candidate_levels(self) -> dict[str, Any]:
        rng = self.rng
        domain = rng.randrange(self.count)
        german = "native" if rng.random() < 0.2 else rng.choice(CEFR_LEVELS[:5])
        languages = {"de": german}
        if german != "native":
            languages[rng.choice(_LANGUAGES[1:])] = "native"
        return {
            "skills": {self._skill(domain): rng.randint(1, 3) for _ in range(rng.randint(1, 5))},
            "tools": {self._tool(domain): rng.randint(1, 2) for _ in range(rng.randint(0, 2))},
            "languages": languages,
        }
