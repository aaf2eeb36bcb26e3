"""Synthetic worlds of any size, for benchmarks and for tests that need volume.

Deterministic for a seed. The shapes follow the region's (a few skills per candidate,
a handful of requirements per offer, short prerequisite chains between courses), but the
names are placeholders: realistic demo data comes from the demo-district generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from graph.model import CEFR_LEVELS, COURSE_KINDS, OFFER_KINDS, TOOL_CATEGORIES
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

    def some(prefix: str, count: int, k: int) -> list[str]:
        return [f"{prefix}-{i}" for i in rng.sample(range(count), min(k, count))]

    offers = [
        {
            "id": f"o-{i}",
            "company": f"co-{rng.randrange(n_companies)}",
            "kind": rng.choice(OFFER_KINDS),
            "title": f"Stelle {i}",
            "town": rng.choice(towns)["id"],
            "requires": {
                "skills": {
                    s: {"level": rng.randint(1, 3), "essential": rng.random() < 0.7}
                    for s in some("s", size.skills, rng.randint(2, 6))
                },
                "tools": {
                    t: {"level": rng.randint(1, 2), "essential": rng.random() < 0.5}
                    for t in some("m", size.tools, rng.randint(0, 2))
                },
                "languages": {"de": rng.choice(CEFR_LEVELS[:4])},
            },
        }
        for i in range(size.offers)
    ]
    courses = []
    for i in range(size.courses):
        requires: dict[str, Any] = {"skills": {}, "tools": {}, "languages": {}}
        if i and rng.random() < 0.3:
            requires["skills"] = {s: 1 for s in some("s", size.skills, 1)}
        if rng.random() < 0.4:
            requires["languages"] = {"de": rng.choice(CEFR_LEVELS[:3])}
        courses.append(
            {
                "id": f"k-{i}",
                "title": f"Kurs {i}",
                "kind": rng.choice(COURSE_KINDS),
                "provider": "org-provider",
                "town": rng.choice(towns)["id"],
                "weeks": rng.randint(1, 24),
                "cost": rng.randrange(0, 5000, 50),
                "starts": sorted(
                    {
                        f"2027-{m:02d}-{d:02d}"
                        for m, d in ((rng.randint(1, 12), rng.randint(1, 28)) for _ in range(3))
                    }
                ),
                "teaches": {
                    "skills": {
                        s: rng.randint(1, 3) for s in some("s", size.skills, rng.randint(1, 3))
                    },
                    "tools": {t: 1 for t in some("m", size.tools, rng.randint(0, 1))},
                    "languages": {},
                },
                "requires": requires,
            }
        )
    candidates = [
        {
            "id": f"p-{i}",
            "name": f"Person {i}",
            "town": rng.choice(towns)["id"],
            "gender": rng.choice(("f", "m", "m")),
            "birth_year": rng.randint(1965, 2007),
            "skills": {s: rng.randint(1, 3) for s in some("s", size.skills, rng.randint(1, 5))},
            "tools": {t: rng.randint(1, 2) for t in some("m", size.tools, rng.randint(0, 2))},
            "languages": {"de": rng.choice(CEFR_LEVELS[:5]), rng.choice(_LANGUAGES[1:]): "native"},
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
