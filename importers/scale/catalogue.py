"""Firms, offers and courses of a scale world, one entity at a time.

Offers ask for what their ESCO occupation needs: a few of its essential skills as
essential requirements, some optional ones as nice-to-have, now and then a machine, and
a German level that depends on the kind of offer. Courses form the chains advisors plan
with: German A1 → A2 → B1 → B2 → C1 (each level needs the one before), machine trainings
basic → advanced → expert (each needs the level below), and occupational qualifications
whose advanced courses need the basics they build on.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from graph.model import CEFR_LEVELS
from importers.scale.context import ORGANIZATIONS, WorldContext, occupation_title
from importers.scale.sampling import Weighted, distinct, stable_unit

__all__ = ["companies", "company_town", "courses", "offers", "organizations"]

_FORMS = Weighted(["GmbH", "GmbH & Co. KG", "KG", "e.K.", "AG", "OHG"], [50, 20, 10, 12, 3, 5])
_TRADES = (
    "Logistik", "Metallbau", "Bau", "Pflegedienst", "Gartenbau", "Handel", "Gastronomie",
    "Reinigung", "Elektrotechnik", "Lebensmittel", "Haustechnik", "Transporte", "Maschinenbau",
)  # fmt: skip
_OFFER_KINDS = Weighted(["job", "apprenticeship", "internship"], [55, 25, 20])
_OFFER_GERMAN = {
    "job": Weighted(["A2", "B1", "B2"], [30, 50, 20]),
    "apprenticeship": Weighted(["B1", "B2"], [60, 40]),
    "internship": Weighted(["A1", "A2", "B1"], [20, 50, 30]),
}
_KIND_TITLES = {"job": "", "apprenticeship": "Ausbildung ", "internship": "Praktikum "}
_LEVEL = Weighted([1, 2, 3], [45, 40, 15])
_REQUIRED_LEVEL = Weighted([1, 2, 3], [50, 40, 10])
_COURSE_KINDS = Weighted(["language", "qualification", "machine", "orientation"], [30, 40, 20, 10])
_GERMAN_COURSE = Weighted([0, 1, 2, 3, 4], [26, 26, 24, 16, 8])  # A1 … C1
_STAGES = ("Grundkurs", "Aufbaukurs", "Expertenkurs")
_YEAR_START = dt.date(2027, 1, 4)  # a Monday


def organizations(ctx: WorldContext) -> Iterator[dict[str, Any]]:
    for org_id, name, kind in ORGANIZATIONS:
        yield {"id": org_id, "name": name, "kind": kind}
    rng = random.Random(f"{ctx.seed}/providers")
    for provider in ctx.providers:
        yield {
            "id": provider,
            "name": f"Bildungszentrum {ctx.names.firm_owner(rng)}",
            "kind": "provider",
            "town": ctx.town.pick(rng),
        }


def company_town(ctx: WorldContext, index: int) -> str:
    """The town of firm ``index``, from the index alone (offers need it, nothing is kept)."""
    return ctx.town.at(stable_unit(ctx.seed, "company", index))


def companies(ctx: WorldContext) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{ctx.seed}/companies")
    for i in range(1, ctx.size.companies + 1):
        trade = rng.choice(_TRADES)
        yield {
            "id": f"co-{i:06d}",
            "name": f"{ctx.names.firm_owner(rng)} {trade} {_FORMS.pick(rng)}",
            "town": company_town(ctx, i),
            "sector": trade,
        }


def offers(ctx: WorldContext) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{ctx.seed}/offers")
    for i in range(1, ctx.size.offers + 1):
        occupation = ctx.occupation.pick(rng)
        kind = _OFFER_KINDS.pick(rng)
        company = rng.randint(1, ctx.size.companies)
        essential = distinct(rng, occupation["essential"], rng.randint(2, 5))
        optional_pool = occupation["optional"] or [
            s for s in occupation["essential"] if s not in essential
        ]
        optional = distinct(rng, optional_pool, rng.randint(0, 3))
        skills = {s: {"level": _REQUIRED_LEVEL.pick(rng), "essential": True} for s in essential}
        for s in optional:
            skills.setdefault(s, {"level": _REQUIRED_LEVEL.pick(rng), "essential": False})
        tools = {}
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            tools[ctx.tool.pick(rng)] = {"level": _LEVEL.pick(rng), "essential": rng.random() < 0.6}
        offer: dict[str, Any] = {
            "id": f"o-{i:07d}",
            "company": f"co-{company:06d}",
            "kind": kind,
            "title": f"{_KIND_TITLES[kind]}{occupation_title(occupation)}"[:500],
            "town": company_town(ctx, company),
            "occupation": occupation["id"],
            "requires": {
                "skills": skills,
                "tools": tools,
                "languages": {"de": _OFFER_GERMAN[kind].pick(rng)},
            },
        }
        if rng.random() < 0.3:
            offer["seats"] = rng.randint(2, 5)
        if rng.random() < 0.1:
            offer["open"] = False
        yield offer


def courses(ctx: WorldContext) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{ctx.seed}/courses")
    for i in range(1, ctx.size.courses + 1):
        kind = _COURSE_KINDS.pick(rng)
        course: dict[str, Any] = {
            "id": f"k-{i:07d}",
            "kind": kind,
            "provider": rng.choice(ctx.providers),
            "town": ctx.town.pick(rng),
        }
        course.update(_COURSE_MAKERS[kind](ctx, rng))
        course["starts"] = _starts(rng)
        course["seats"] = rng.randint(8, 20)
        yield course


def _language_course(ctx: WorldContext, rng: random.Random) -> dict[str, Any]:
    level = _GERMAN_COURSE.pick(rng)
    requires = {"languages": {"de": CEFR_LEVELS[level - 1]}} if level else {}
    return {
        "title": f"Deutsch {CEFR_LEVELS[level]} (Integrationskurs)",
        "weeks": rng.randint(10, 16),
        "hours_per_week": rng.choice((20, 25)),
        "cost": 0,
        "funding": ["BAMF"],
        "teaches": {"languages": {"de": CEFR_LEVELS[level]}},
        "requires": requires,
    }


def _machine_course(ctx: WorldContext, rng: random.Random) -> dict[str, Any]:
    tool = ctx.tool.pick(rng)
    level = _LEVEL.pick(rng)
    requires: dict[str, Any] = {"languages": {"de": "A2"}} if rng.random() < 0.5 else {}
    if level > 1:
        requires["tools"] = {tool: level - 1}
    return {
        "title": f"{ctx.tool_labels[tool]} – {_STAGES[level - 1]}"[:500],
        "weeks": rng.randint(1, 2 + 2 * level),
        "hours_per_week": rng.choice((20, 30, 40)),
        "cost": rng.randrange(300, 2600, 50),
        "funding": ["Bildungsgutschein"] if rng.random() < 0.7 else [],
        "teaches": {"tools": {tool: level}},
        "requires": requires,
    }


def _qualification(ctx: WorldContext, rng: random.Random) -> dict[str, Any]:
    occupation = ctx.occupation.pick(rng)
    level = _LEVEL.pick(rng)
    taught = distinct(rng, occupation["essential"], rng.randint(2, 5))
    requires: dict[str, Any] = {"languages": {"de": rng.choice(("A2", "B1", "B1"))}}
    if level > 1:
        requires["skills"] = {s: level - 1 for s in distinct(rng, taught, rng.randint(1, 2))}
    return {
        "title": f"{occupation_title(occupation)}: {_STAGES[level - 1]}"[:500],
        "weeks": rng.randint(4, 8 * level + 4),
        "hours_per_week": rng.choice((20, 30, 35, 40)),
        "cost": rng.randrange(800, 9000, 100),
        "funding": ["Bildungsgutschein"] if rng.random() < 0.8 else [],
        "teaches": {"skills": dict.fromkeys(taught, level)},
        "requires": requires,
    }


def _orientation(ctx: WorldContext, rng: random.Random) -> dict[str, Any]:
    taught = sorted({ctx.skill.pick(rng) for _ in range(rng.randint(2, 4))})
    return {
        "title": "Berufsorientierung und Erprobung",
        "weeks": rng.randint(2, 8),
        "hours_per_week": 30,
        "cost": 0,
        "funding": ["Jobcenter"],
        "teaches": {"skills": dict.fromkeys(taught, 1)},
    }


_COURSE_MAKERS = {
    "language": _language_course,
    "machine": _machine_course,
    "qualification": _qualification,
    "orientation": _orientation,
}


def _starts(rng: random.Random) -> list[str]:
    if rng.random() < 0.1:
        return []  # starts any day (e.g. individual coaching)
    weeks = sorted(rng.sample(range(52), rng.randint(1, 4)))
    return [(_YEAR_START + dt.timedelta(weeks=w)).isoformat() for w in weeks]
