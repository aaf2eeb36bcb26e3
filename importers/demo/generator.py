"""The demo district: a whole, plausible Kreis Heinsberg as one world document.

A demo, a screenshot or a benchmark needs a region that looks real — hundreds of firms,
offers, courses and people whose skills, gaps and training routes make sense — without a
single real person's record in it. This module assembles it from the curated catalogue
(:mod:`~importers.demo.catalogue`, :mod:`~importers.demo.people`), the committed data files
(towns, tools, the ESCO slice) and invented names (:mod:`~importers.demo.names`).

Everything is a function of ``seed`` and ``today``: each part draws from its own
``random.Random`` seeded from the world's seed (never the global random state), iterates
only over ordered sequences, and dates everything relative to ``today``, so one seed always
gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from functools import cache
from pathlib import Path
from typing import Any

from graph.world import FORMAT, validate_world
from importers.demo import population
from importers.demo.catalogue import (
    BUSINESSES,
    COURSES,
    NETWORK,
    OFFERS,
    PLACES,
    PROVIDERS,
    SAINTS,
    BusinessType,
    CourseTemplate,
    OfferTemplate,
)
from importers.demo.esco_slice import load_esco_slice
from importers.demo.names import NameMaker
from importers.demo.util import choose, monday_on_or_after, slug, split_items

__all__ = ["DEFAULT_SEED", "DEFAULT_TODAY", "generate_demo_world", "write_demo_world"]

DEFAULT_SEED = 2027
DEFAULT_TODAY = dt.date(2027, 1, 4)
MIN_OFFERS = 320

_DATA = Path(__file__).resolve().parent / "data"

LANGUAGES: tuple[tuple[str, str, str, str], ...] = (
    ("de", "Deutsch", "German", "Deutsch"),
    ("en", "Englisch", "English", "English"),
    ("ar", "Arabisch", "Arabic", "العربية"),
    ("fa", "Persisch (Farsi)", "Persian (Farsi)", "فارسی"),
    ("prs", "Dari", "Dari", "دری"),
    ("ps", "Paschtu", "Pashto", "پښتو"),
    ("uk", "Ukrainisch", "Ukrainian", "українська"),
    ("ru", "Russisch", "Russian", "русский"),
    ("ti", "Tigrinya", "Tigrinya", "ትግርኛ"),
    ("ku", "Kurdisch", "Kurdish", "Kurdî"),
    ("tr", "Türkisch", "Turkish", "Türkçe"),
    ("so", "Somali", "Somali", "Soomaali"),
    ("fr", "Französisch", "French", "français"),
)
"""(ISO 639 code, German, English and own name) of every language the district speaks."""


def generate_demo_world(seed: int = DEFAULT_SEED, today: dt.date = DEFAULT_TODAY) -> dict[str, Any]:
    """The demo district for ``seed`` as of ``today``: a valid ``wegweiser-world/1`` document."""
    towns = _towns()
    companies, company_types = _companies(
        _rng(seed, "companies"), NameMaker(f"{seed}/companies"), towns
    )
    offers, offer_templates = _offers(_rng(seed, "offers"), companies, company_types)
    courses = _courses(_rng(seed, "courses"), today)
    esco = load_esco_slice()
    people = population.populate(
        seed=seed,
        today=today,
        towns=towns,
        offers=offers,
        offer_templates=offer_templates,
        courses=courses,
        provider_names={org.id: org.name for org in (*NETWORK, *PROVIDERS)},
    )
    return {
        "format": FORMAT,
        "towns": [
            {key: town[key] for key in ("id", "name", "lat", "lon", "drk_point")} for town in towns
        ],
        "languages": [
            {"id": code, "labels": _labels(code, de, en, own)} for code, de, en, own in LANGUAGES
        ],
        "skills": esco["skills"],
        "tools": _tools(),
        "occupations": esco["occupations"],
        "organizations": [
            {"id": org.id, "name": org.name, "kind": org.kind, "town": org.town}
            for org in (*NETWORK, *PROVIDERS)
        ],
        "companies": companies,
        "offers": offers,
        "courses": courses,
        **people,
    }


def write_demo_world(
    path: Path, seed: int = DEFAULT_SEED, today: dt.date = DEFAULT_TODAY
) -> dict[str, int]:
    """Write the demo district to ``path`` (UTF-8 JSON) after validating it; return the
    number of entities per section."""
    world = generate_demo_world(seed, today)
    counts = validate_world(world, "demo").counts
    Path(path).write_text(dumps_demo_world(world), encoding="utf-8")
    return counts


def dumps_demo_world(world: dict[str, Any]) -> str:
    return json.dumps(world, ensure_ascii=False, indent=1) + "\n"


def _rng(seed: int, part: str) -> random.Random:
    """An independent stream per part, so that changing one part leaves the others alone."""
    return random.Random(f"{seed}/{part}")


def _labels(code: str, de: str, en: str, own: str) -> dict[str, str]:
    labels = {"de": de, "en": en}
    if code not in labels:
        labels[code] = own
    return labels


# --- data files ------------------------------------------------------------------------


@cache
def _data(name: str) -> Any:
    return json.loads((_DATA / name).read_text(encoding="utf-8"))


def _towns() -> list[dict[str, Any]]:
    return [dict(town) for town in _data("places.json")["towns"]]


def _tools() -> list[dict[str, Any]]:
    return [
        {"id": tool["id"], "labels": dict(tool["labels"]), "category": tool["category"]}
        for tool in _data("tools.json")["tools"]
    ]


# --- firms and offers ------------------------------------------------------------------


def _companies(
    rng: random.Random, names: NameMaker, towns: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, BusinessType]]:
    """Firms of every business type, in the towns where such firms are."""
    by_id = {town["id"]: town for town in towns}
    companies: list[dict[str, Any]] = []
    kinds: dict[str, BusinessType] = {}
    taken_names: set[str] = set()
    taken_ids: set[str] = set()
    for business in BUSINESSES:
        for _ in range(business.count):
            allowed = business.towns or tuple(by_id)
            town = choose(rng, {t: by_id[t]["population"] for t in allowed})
            name = _company_name(rng, names, business, by_id[town]["name"], taken_names)
            company_id = _unique(f"co-{slug(name)}", taken_ids)
            companies.append(
                {"id": company_id, "name": name, "town": town, "sector": business.sector}
            )
            kinds[company_id] = business
    return companies, kinds


def _company_name(
    rng: random.Random, names: NameMaker, business: BusinessType, town: str, taken: set[str]
) -> str:
    for _ in range(50):
        name = rng.choice(business.names).format(
            last=names.family_name(),
            town=town,
            saint=rng.choice(SAINTS),
            place=rng.choice(PLACES),
        )
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError(f"no free name for a {business.key} firm")


def _unique(candidate: str, taken: set[str]) -> str:
    result, n = candidate, 2
    while result in taken:
        result, n = f"{candidate}-{n}", n + 1
    taken.add(result)
    return result


def _offers(
    rng: random.Random, companies: list[dict[str, Any]], kinds: dict[str, BusinessType]
) -> tuple[list[dict[str, Any]], dict[str, OfferTemplate]]:
    """Each firm posts one to four of the offers its kind of business has; then the biggest
    employers post more until the district has at least ``MIN_OFFERS``."""
    plan: list[tuple[dict[str, Any], str]] = []
    for company in companies:
        business = kinds[company["id"]]
        count = min(len(business.offers), choose(rng, {1: 20, 2: 35, 3: 30, 4: 15}))
        plan.extend((company, key) for key in rng.sample(business.offers, count))
    posted = {(company["id"], key) for company, key in plan}
    while len(plan) < MIN_OFFERS:
        company = rng.choice(companies)
        key = rng.choice(kinds[company["id"]].offers)
        if (company["id"], key) not in posted:
            posted.add((company["id"], key))
            plan.append((company, key))
    offers, templates = [], {}
    for number, (company, key) in enumerate(plan, start=1):
        offer = _offer(rng, f"of-{number:04d}", company, OFFERS[key])
        offers.append(offer)
        templates[offer["id"]] = OFFERS[key]
    return offers, templates


def _offer(
    rng: random.Random, offer_id: str, company: dict[str, Any], template: OfferTemplate
) -> dict[str, Any]:
    essential_skills, essential_tools, _ = split_items(template.essential)
    optional = {k: v for k, v in template.optional.items() if rng.random() < 0.75}
    optional_skills, optional_tools, _ = split_items(optional)
    return {
        "id": offer_id,
        "company": company["id"],
        "kind": template.kind,
        "title": template.title,
        "town": company["town"],
        "occupation": template.occupation,
        "seats": rng.randint(*template.seats),
        "open": True,
        "requires": {
            "skills": _requirements(essential_skills, optional_skills),
            "tools": _requirements(essential_tools, optional_tools),
            "languages": {"de": template.german},
        },
    }


def _requirements(essential: dict[str, int], optional: dict[str, int]) -> dict[str, Any]:
    merged = {key: {"level": level, "essential": True} for key, level in essential.items()}
    for key, level in optional.items():
        merged.setdefault(key, {"level": level, "essential": False})
    return dict(sorted(merged.items()))


# --- courses ---------------------------------------------------------------------------


def _courses(rng: random.Random, today: dt.date) -> list[dict[str, Any]]:
    """Every course template runs ``runs`` times, spread over its providers and their sites,
    with start dates over the twelve months after ``today``."""
    sites = {org.id: org.sites or (org.town,) for org in (*NETWORK, *PROVIDERS)}
    courses = []
    for template in COURSES:
        offsets = {provider: rng.randrange(len(sites[provider])) for provider in template.providers}
        for run in range(template.runs):
            provider = template.providers[run % len(template.providers)]
            round_ = run // len(template.providers)
            provider_sites = sites[provider]
            town = provider_sites[(offsets[provider] + round_) % len(provider_sites)]
            courses.append(_course(rng, template, run + 1, provider, town, today))
    return courses


def _course(
    rng: random.Random,
    template: CourseTemplate,
    number: int,
    provider: str,
    town: str,
    today: dt.date,
) -> dict[str, Any]:
    teaches = split_items(template.teaches)
    requires = split_items(template.requires)
    return {
        "id": f"k-{template.key}-{number}",
        "title": template.title,
        "kind": template.kind,
        "provider": provider,
        "town": town,
        "weeks": template.weeks,
        "hours_per_week": template.hours_per_week,
        "cost": template.cost,
        "funding": list(template.funding),
        "starts": _starts(rng, template, today),
        "seats": rng.randint(*template.seats),
        "teaches": {"skills": teaches[0], "tools": teaches[1], "languages": teaches[2]},
        "requires": {"skills": requires[0], "tools": requires[1], "languages": requires[2]},
    }


def _starts(rng: random.Random, template: CourseTemplate, today: dt.date) -> list[str]:
    """Mondays every ``every_weeks`` weeks within a year of ``today`` (in the course's
    season, outside the Christmas break); none for open-entry courses."""
    if template.every_weeks is None:
        return []
    horizon = today + dt.timedelta(days=365)
    day = monday_on_or_after(today + dt.timedelta(days=rng.randrange(template.every_weeks * 7)))
    starts = []
    while day < horizon:
        if _bookable(day, template.months):
            starts.append(day.isoformat())
        day += dt.timedelta(weeks=template.every_weeks)
    if not starts:  # a seasonal course whose rhythm missed its season: first Monday in it
        day = monday_on_or_after(today)
        while not _bookable(day, template.months):
            day += dt.timedelta(weeks=1)
        starts.append(day.isoformat())
    return starts


def _bookable(day: dt.date, months: tuple[int, ...]) -> bool:
    christmas = (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 1)
    return not christmas and (not months or day.month in months)
