"""Job seekers and volunteer coaches of a scale world, one entity at a time.

Who they are follows the demo district's origins (:mod:`importers.demo.people`): share of
each country of origin, of women, mother tongues and the other languages usual there, the
spread of German levels (CEFR) and of school languages. What they can do comes from a
previous occupation drawn from ESCO (Zipf-like: a few occupations are common, most rare):
some of its essential and optional skills, plus a few of the skills many occupations share,
and now and then a machine. Some levels carry provenance (assessed at a DRK point,
self-reported), as the advisors record them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from importers.demo.people import Origin
from importers.scale.context import WorldContext
from importers.scale.sampling import Weighted, distinct

__all__ = ["candidates", "coaches"]

_TODAY = dt.date(2027, 1, 4)
_LEVEL = Weighted([1, 2, 3], [45, 40, 15])
_SOURCES = Weighted(["", "assessed", "self-reported", "certificate"], [70, 15, 10, 5])


def candidates(ctx: WorldContext) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{ctx.seed}/candidates")
    for i in range(1, ctx.size.candidates + 1):
        origin = ctx.origin.pick(rng)
        female = rng.random() < origin.women
        gender = "d" if rng.random() < 0.003 else "f" if female else "m"
        age = _age(rng, origin)
        languages = _languages(rng, origin)
        candidate: dict[str, Any] = {
            "id": f"p-{i:08d}",
            "name": ctx.names.person(rng, origin.names, female),
            "town": ctx.town.pick(rng),
            "gender": gender,
            "birth_year": _TODAY.year - age,
            "available_from": (_TODAY + dt.timedelta(days=rng.randint(-150, 240))).isoformat(),
            "organization": _organization(rng, origin),
            "consent": _consent(rng),
            "skills": _skills(ctx, rng, age),
            "tools": {
                tool: _LEVEL.pick(rng)
                for tool in sorted({ctx.tool.pick(rng) for _ in range(_tools(rng))})
            },
            "languages": languages,
        }
        yield candidate


def coaches(ctx: WorldContext) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{ctx.seed}/coaches")
    people = ctx.size.candidates
    for i in range(1, ctx.size.coach_count + 1):
        capacity = rng.randint(1, 4)
        mentees = sorted(rng.sample(range(1, people + 1), min(people, rng.randint(0, capacity))))
        languages = ["de"]
        if rng.random() < 0.4:
            languages.append(rng.choice(("en", "ar", "uk", "ru", "tr", "fa", "fr")))
        yield {
            "id": f"c-{i:06d}",
            "name": ctx.names.person(rng, "de", rng.random() < 0.6),
            "town": ctx.town.pick(rng),
            "capacity": capacity,
            "languages": languages,
            "mentees": [
                {"candidate": f"p-{m:08d}", "since": _since(rng)}
                if rng.random() < 0.5
                else f"p-{m:08d}"
                for m in mentees
            ],
        }


def _age(rng: random.Random, origin: Origin) -> int:
    if origin.refugee:
        return max(18, min(58, int(rng.triangular(18, 56, 29))))
    return max(18, min(63, int(rng.triangular(18, 63, 40))))


def _languages(rng: random.Random, origin: Origin) -> dict[str, str]:
    tongues, germans = _choices(origin)
    tongue = tongues.pick(rng)
    languages: dict[str, str] = {tongue: "native"}
    for other_tongue, _, others in origin.tongues:
        if other_tongue == tongue:
            languages.update(others)
    for language, levels, probability in origin.extra:
        if language not in languages and rng.random() < probability:
            languages[language] = rng.choice(levels)
    german = germans.pick(rng)
    if german:
        languages["de"] = german
    return dict(sorted(languages.items()))


_CHOICES: dict[str, tuple[Weighted[str], Weighted[str]]] = {}


def _choices(origin: Origin) -> tuple[Weighted[str], Weighted[str]]:
    """Mother tongues and German levels of an origin, built once per origin."""
    if origin.key not in _CHOICES:
        _CHOICES[origin.key] = (
            Weighted([t for t, _, _ in origin.tongues], [w for _, w, _ in origin.tongues]),
            Weighted(list(origin.german), list(origin.german.values())),
        )
    return _CHOICES[origin.key]


def _organization(rng: random.Random, origin: Origin) -> str:
    if origin.refugee:
        roll = rng.random()
        return "org-jobcenter" if roll < 0.78 else "org-drk" if roll < 0.93 else "org-agentur"
    return rng.choice(("org-agentur", "org-jobcenter"))


def _consent(rng: random.Random) -> dict[str, bool]:
    sharing = rng.random() < 0.85
    return {"profile_sharing": sharing, "contact": sharing and rng.random() < 0.75}


def _skills(ctx: WorldContext, rng: random.Random, age: int) -> dict[str, Any]:
    cap = 1 if age < 21 else 2 if age < 27 else 3
    chosen: dict[str, int] = {}
    if rng.random() < 0.88:  # the others never worked in a trade
        occupation = ctx.occupation.pick(rng)
        for skill in distinct(rng, occupation["essential"], rng.randint(2, 6)):
            chosen[skill] = min(cap, _LEVEL.pick(rng))
        for skill in distinct(rng, occupation["optional"], rng.randint(0, 2)):
            chosen.setdefault(skill, min(cap, _LEVEL.pick(rng)))
    for _ in range(rng.randint(0, 2)):
        chosen.setdefault(ctx.skill.pick(rng), 1)
    return {skill: _claim(ctx, rng, level) for skill, level in sorted(chosen.items())}


def _claim(ctx: WorldContext, rng: random.Random, level: int) -> Any:
    source = _SOURCES.pick(rng)
    if not source:
        return level
    claim: dict[str, Any] = {"level": level, "source": source}
    if source == "assessed":
        claim["assessed_at"] = (_TODAY - dt.timedelta(days=rng.randint(1, 400))).isoformat()
        claim["assessed_by"] = f"DRK {rng.choice(ctx.drk_towns)}"
    return claim


def _tools(rng: random.Random) -> int:
    return rng.choice((0, 0, 0, 1, 1, 2, 3))


def _since(rng: random.Random) -> str:
    return (_TODAY - dt.timedelta(days=rng.randint(0, 700))).isoformat()
