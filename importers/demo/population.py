"""The people of the demo district: job seekers, volunteer coaches, placements, enrolments.

Candidates get what people of their origin and previous work plausibly bring: a mother
tongue and the languages usual there, a German level on the way through the course system,
skills from their trade and (less often, for refugees) experience with the machines used in
German workplaces — the gap Wegweiser exists to close. Skills carry provenance: most are
self-reported, some assessed at one of the four DRK points, German job seekers' trades
certified. Coaches are matched to mentees by language and town within their capacity;
placements and enrolments follow the candidates' trades and German levels.

Beyond the matching profile, candidates carry the data of the other field groups
(``graph.fields``), invented from a stream of their own so that adding them changed
nothing else: contact details (an ``example.*`` e-mail address, a phone number, a street
from Faker's German lists), nationality and residence status by origin (temporary
protection for Ukrainians, mostly residence permits for refugees, some still in the
asylum procedure or tolerated), the benefit the owning office pays with a file number,
and, for a few, health notes and special needs.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from graph.model import CEFR_LEVELS, cefr_rank
from importers.demo.catalogue import OfferTemplate
from importers.demo.names import NameMaker
from importers.demo.people import BACKGROUNDS, COACH_KINDS, ORIGINS, Background, Origin
from importers.demo.util import choose, quotas, satisfied, weekday_between

__all__ = ["CANDIDATES", "COACHES", "populate"]

CANDIDATES = 420
COACHES = 112
PLACEMENT_QUOTAS = {
    "hired-this-year": 6,
    "hired": 16,
    "ended": 12,
    "internship": 10,
    "interview": 14,
    "contacted": 14,
    "proposed": 14,
}
"""How far the placements got; ``hired-this-year`` were hired since 1 January of ``today``."""


@dataclass
class Person:
    """A candidate's record, plus what the generator knows about them but does not export."""

    record: dict[str, Any]
    origin: Origin
    backgrounds: list[Background]
    mother_tongue: str
    levels: dict[str, int | str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def german(self) -> str | None:
        return self.record["languages"].get("de")


def populate(
    *,
    seed: int,
    today: dt.date,
    towns: list[dict[str, Any]],
    offers: list[dict[str, Any]],
    offer_templates: dict[str, OfferTemplate],
    courses: list[dict[str, Any]],
    provider_names: dict[str, str],
) -> dict[str, list[dict[str, Any]]]:
    """Candidates, coaches, placements and enrolments. Closes offers whose seats are filled."""
    people = _candidates(
        random.Random(f"{seed}/candidates"), NameMaker(f"{seed}/candidates"), today, towns
    )
    _personal(random.Random(f"{seed}/personal"), f"{seed}/personal", today, people)
    coaches = _coaches(
        random.Random(f"{seed}/coaches"), NameMaker(f"{seed}/coaches"), today, towns, people
    )
    placements = _placements(
        random.Random(f"{seed}/placements"), today, people, offers, offer_templates
    )
    enrolments = _enrolments(
        random.Random(f"{seed}/enrolments"), today, people, courses, provider_names
    )
    return {
        "candidates": [person.record for person in people],
        "coaches": coaches,
        "placements": placements,
        "enrolments": enrolments,
    }


# --- candidates ------------------------------------------------------------------------


def _candidates(
    rng: random.Random, names: NameMaker, today: dt.date, towns: list[dict[str, Any]]
) -> list[Person]:
    """Exactly the origin shares and, within each origin, exactly its share of women."""
    specs: list[tuple[Origin, bool]] = []
    for origin, count in zip(ORIGINS, quotas(CANDIDATES, [o.share for o in ORIGINS]), strict=True):
        women = round(count * origin.women)
        specs.extend((origin, index < women) for index in range(count))
    rng.shuffle(specs)
    drk_points = [town for town in towns if town["drk_point"]]
    return [
        _candidate(rng, names, today, towns, drk_points, f"p-{number:04d}", origin, female)
        for number, (origin, female) in enumerate(specs, start=1)
    ]


def _candidate(
    rng: random.Random,
    names: NameMaker,
    today: dt.date,
    towns: list[dict[str, Any]],
    drk_points: list[dict[str, Any]],
    candidate_id: str,
    origin: Origin,
    female: bool,
) -> Person:
    tongue = choose(rng, {t: w for t, w, _ in origin.tongues})
    age = _age(rng, origin)
    town = choose(rng, {t["id"]: t["population"] for t in towns})
    backgrounds = _backgrounds(rng, origin, age)
    languages = _languages(rng, origin, tongue)
    organization = _organization(rng, origin)
    person = Person(
        record={
            "id": candidate_id,
            "name": names.person(origin.names, female),
            "town": town,
            "gender": "f" if female else "m",
            "birth_year": today.year - age,
            "available_from": _available_from(rng, today, origin, languages.get("de")).isoformat(),
            "organization": organization,
            "consent": _consent(rng),
            "skills": {},
            "tools": {},
            "languages": languages,
        },
        origin=origin,
        backgrounds=backgrounds,
        mother_tongue=tongue,
    )
    _experience(rng, person, age)
    _provenance(rng, person, today, town, towns, drk_points)
    _refresh_levels(person)
    return person


NATIONALITIES = {
    "syria": "SY",
    "ukraine": "UA",
    "afghanistan": "AF",
    "iraq": "IQ",
    "turkey": "TR",
    "iran": "IR",
    "eritrea": "ER",
    "somalia": "SO",
    "germany": "DE",
}
"""ISO 3166-1 alpha-2 code of each origin."""
TEMPORARY_PROTECTION_UNTIL = dt.date(2027, 3, 4)
"""Until when § 24 AufenthG protection of people from Ukraine was extended."""
HEALTH_NOTES = (
    "Rückenbeschwerden, kein schweres Heben",
    "Allergie gegen Lösungsmittel",
    "Eingeschränktes Hörvermögen links",
    "Asthma, keine staubigen Arbeitsplätze",
    "Nach Knie-OP keine kniende Tätigkeit",
    "Diabetes, feste Pausen nötig",
)
SPECIAL_NEEDS = (
    "Kinderbetreuung nötig, nur vormittags verfügbar",
    "Schwerbehinderung (GdB 50), Arbeitsplatz ohne Treppen",
    "Dolmetscher bei Gesprächen erwünscht",
    "Kein Führerschein, nur mit Bus erreichbare Arbeitsorte",
)


_NOT_DECOMPOSED = str.maketrans({"ı": "i", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ə": "e"})
"""Letters Unicode does not decompose into a base letter and an accent."""


def _ascii(text: str) -> str:
    """A name as an e-mail address can carry it: no accents, no spaces, lower case."""
    text = text.translate(_NOT_DECOMPOSED)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c in ".-")


def _personal(rng: random.Random, seed: str, today: dt.date, people: list[Person]) -> None:
    """Contact, residence, benefit and health data for every candidate, from a stream
    of their own (``seed``): the rest of the district does not change with them."""
    fake = Faker("de_DE")
    fake.seed_instance(seed)
    for number, person in enumerate(people, start=1):
        record = person.record
        parts = [_ascii(p) for p in record["name"].split()]
        parts = [p for p in parts if p] or [f"person{number}"]
        if rng.random() < 0.8:
            local = f"{parts[0]}.{parts[-1]}" if len(parts) > 1 else parts[0]
            domain = rng.choice(("example.com", "example.net", "example.org"))
            record["email"] = f"{local}{rng.randint(1, 99)}@{domain}"
        if rng.random() < 0.9:
            record["phone"] = fake.phone_number()
        record["street"] = fake.street_address()
        origin = person.origin.key
        record["nationality"] = NATIONALITIES[origin]
        status, until = _residence(rng, today, origin)
        record["residence_status"] = status
        if until is not None:
            record["residence_until"] = until.isoformat()
        benefit = _benefit(rng, record["organization"], status)
        record["benefit"] = benefit
        if benefit == "SGB II":
            record["benefit_number"] = f"36102//{rng.randint(0, 9_999_999):07d}"
        elif benefit == "SGB III":
            record["benefit_number"] = f"{rng.randint(100, 999)}D{rng.randint(0, 999_999):06d}"
        elif benefit == "AsylbLG":
            record["benefit_number"] = f"AsylbLG-HS-{today.year}-{rng.randint(1, 9999):04d}"
        if rng.random() < 0.08:
            record["health_notes"] = rng.choice(HEALTH_NOTES)
        if rng.random() < 0.06:
            record["special_needs"] = rng.choice(SPECIAL_NEEDS)


def _residence(rng: random.Random, today: dt.date, origin: str) -> tuple[str, dt.date | None]:
    if origin == "germany":
        return "citizen", None
    if origin == "ukraine":
        return "temporary_protection", max(TEMPORARY_PROTECTION_UNTIL, today)
    if origin == "turkey":
        status = choose(rng, {"settlement_permit": 50, "residence_permit": 40, "citizen": 10})
    else:
        status = choose(
            rng,
            {
                "residence_permit": 66,
                "settlement_permit": 8,
                "asylum_procedure": 16,
                "toleration": 10,
            },
        )
    if status == "residence_permit":
        return status, today + dt.timedelta(days=rng.randint(120, 3 * 365))
    if status in ("asylum_procedure", "toleration"):
        return status, today + dt.timedelta(days=rng.randint(30, 180))
    return status, None


def _benefit(rng: random.Random, organization: str, residence: str) -> str:
    """Asylum seekers and tolerated people draw AsylbLG; Jobcenter clients Bürgergeld,
    Agentur clients mostly unemployment benefit."""
    if residence in ("asylum_procedure", "toleration"):
        return "AsylbLG"
    if organization == "org-agentur":
        return "SGB III" if rng.random() < 0.7 else "none"
    if organization == "org-jobcenter":
        return "SGB II" if rng.random() < 0.95 else "none"
    return "SGB II" if rng.random() < 0.6 else "none"


def _age(rng: random.Random, origin: Origin) -> int:
    if origin.refugee:
        return max(18, min(58, int(rng.triangular(18, 56, 29))))
    return max(18, min(63, int(rng.triangular(18, 63, 40))))


def _backgrounds(rng: random.Random, origin: Origin, age: int) -> list[Background]:
    first = (
        BACKGROUNDS["ohne"]
        if age < 21 and rng.random() < 0.6
        else BACKGROUNDS[choose(rng, origin.backgrounds)]
    )
    result = [first]
    if first.key != "ohne" and rng.random() < 0.2:
        second = BACKGROUNDS[choose(rng, origin.backgrounds)]
        if second.key not in (first.key, "ohne"):
            result.append(second)
    return result


def _languages(rng: random.Random, origin: Origin, tongue: str) -> dict[str, str]:
    languages: dict[str, str] = {tongue: "native"}
    for other_tongue, _, others in origin.tongues:
        if other_tongue == tongue:
            languages.update(others)
    for language, levels, probability in origin.extra:
        if language not in languages and rng.random() < probability:
            languages[language] = rng.choice(levels)
    german = choose(rng, origin.german)
    if german:
        languages["de"] = german
    return dict(sorted(languages.items()))


def _organization(rng: random.Random, origin: Origin) -> str:
    if origin.refugee:
        return choose(rng, {"org-jobcenter": 78, "org-drk": 15, "org-agentur": 7})
    return choose(rng, {"org-agentur": 50, "org-jobcenter": 50})


def _available_from(
    rng: random.Random, today: dt.date, origin: Origin, german: str | None
) -> dt.date:
    """Refugees still below A2 are in a German course for some months; others are available
    now (some for a while already) or soon."""
    if origin.refugee and (german is None or cefr_rank(german) < cefr_rank("A2")):
        return today + dt.timedelta(days=rng.randint(30, 240))
    return today + dt.timedelta(days=rng.randint(-150, 60))


def _consent(rng: random.Random) -> dict[str, bool]:
    sharing = rng.random() < 0.85
    return {"profile_sharing": sharing, "contact": sharing and rng.random() < 0.75}


def _experience(rng: random.Random, person: Person, age: int) -> None:
    """Skills and tools from previous work. Refugees know their trade but often not the
    machines of German workplaces; the young have had less time to get good."""
    cap = 1 if age < 21 else 2 if age < 27 else 3
    skills: dict[str, int] = {}
    tools: dict[str, int] = {}
    for background in person.backgrounds:
        for skill, level in background.skills.items():
            if rng.random() < 0.85:
                skills[skill] = max(skills.get(skill, 0), _vary(rng, level, cap))
        for tool, level in background.tools.items():
            if person.origin.refugee:
                if tool == "w-truck-ce" or rng.random() < 0.5:  # licences do not carry over
                    continue
                level -= 1
            if rng.random() < 0.85:
                tools[tool] = max(tools.get(tool, 0), _vary(rng, level, cap))
    if rng.random() < (0.3 if person.origin.refugee else 0.6):
        skills.setdefault("s-teamwork", rng.randint(1, 2))
    if age < 40 and rng.random() < (0.35 if person.origin.refugee else 0.7):
        skills.setdefault("s-computer-literacy", rng.randint(1, 2))
    if not person.origin.refugee and rng.random() < 0.5:
        skills.setdefault("s-first-aid", 1)  # everybody with a driving licence took the course
        skills.setdefault("s-workplace-safety", 1)
    person.record["skills"] = {k: {"level": v} for k, v in sorted(skills.items())}
    person.record["tools"] = {k: {"level": v} for k, v in sorted(tools.items())}


def _vary(rng: random.Random, level: int, cap: int) -> int:
    return max(1, min(3, cap, level + rng.choice((-1, 0, 0, 1))))


def _provenance(
    rng: random.Random,
    person: Person,
    today: dt.date,
    town: str,
    towns: list[dict[str, Any]],
    drk_points: list[dict[str, Any]],
) -> None:
    """Self-reported by default; German job seekers hold certificates for their trade;
    some refugees had their skills assessed at the DRK point nearest to them."""
    claims = {**person.record["skills"], **person.record["tools"]}
    for claim in claims.values():
        claim["source"] = "self-reported"
    trade = person.backgrounds[0]
    if not person.origin.refugee and trade.chamber:
        year = min(today.year - 1, person.record["birth_year"] + rng.randint(19, 23))
        exam = weekday_between(rng, dt.date(year, 6, 15), dt.date(year, 7, 31))
        for key in (*trade.skills, *trade.tools):
            if key in claims and rng.random() < 0.7:
                claims[key].update(
                    source="certificate",
                    assessed_at=exam.isoformat(),
                    assessed_by=trade.chamber if key.startswith("s-") else None,
                )
    elif person.origin.refugee and (
        person.record["organization"] == "org-drk" or rng.random() < 0.3
    ):
        point = _nearest(town, towns, drk_points)
        day = weekday_between(rng, today - dt.timedelta(days=540), today - dt.timedelta(days=7))
        for key in rng.sample(sorted(claims), min(len(claims), rng.randint(2, 5))):
            claim = claims[key]
            claim.update(
                level=max(1, claim["level"] - rng.randint(0, 1)),
                source="assessed",
                assessed_at=day.isoformat(),
                assessed_by=f"DRK {point['name']}",
            )
    for claim in claims.values():
        if claim.get("assessed_by", "") is None:
            del claim["assessed_by"]


def _nearest(
    town_id: str, towns: list[dict[str, Any]], points: list[dict[str, Any]]
) -> dict[str, Any]:
    town = next(t for t in towns if t["id"] == town_id)

    def distance(point: dict[str, Any]) -> float:
        dx = (point["lon"] - town["lon"]) * math.cos(math.radians(town["lat"]))
        return math.hypot(dx, point["lat"] - town["lat"])

    return min(points, key=lambda point: (distance(point), point["id"]))


def _refresh_levels(person: Person) -> None:
    levels: dict[str, int | str] = {}
    for section in ("skills", "tools"):
        for key, claim in person.record[section].items():
            levels[key] = claim["level"]
    levels.update(person.record["languages"])
    person.levels = levels


# --- coaches ---------------------------------------------------------------------------


def _coaches(
    rng: random.Random,
    names: NameMaker,
    today: dt.date,
    towns: list[dict[str, Any]],
    people: list[Person],
) -> list[dict[str, Any]]:
    """Volunteers with a capacity of one to four mentees; refugees who asked for a coach get
    one who speaks their language if possible, in their town if possible."""
    coaches = []
    kinds = [
        kind
        for kind, n in zip(
            COACH_KINDS, quotas(COACHES, [k.share for k in COACH_KINDS]), strict=True
        )
        for _ in range(n)
    ]
    rng.shuffle(kinds)
    for number, kind in enumerate(kinds, start=1):
        languages = list(kind.languages)
        languages += [lang for lang, p in kind.extra if rng.random() < p]
        coaches.append(
            {
                "id": f"coach-{number:03d}",
                "name": names.person(kind.names, rng.random() < 0.6),
                "town": choose(rng, {t["id"]: t["population"] for t in towns}),
                "capacity": choose(rng, {1: 25, 2: 35, 3: 25, 4: 15}),
                "languages": languages,
                "mentees": [],
            }
        )
    seekers = [p for p in people if p.origin.refugee and rng.random() < 0.45]
    for person in seekers:
        coach = _best_coach(rng, coaches, person)
        if coach is None:
            break
        since = today - dt.timedelta(days=rng.randint(14, 720))
        coach["mentees"].append({"candidate": person.id, "since": since.isoformat()})
    for coach in coaches:
        coach["mentees"].sort(key=lambda mentee: mentee["candidate"])
    return coaches


def _best_coach(
    rng: random.Random, coaches: list[dict[str, Any]], person: Person
) -> dict[str, Any] | None:
    free = [c for c in coaches if len(c["mentees"]) < c["capacity"]]
    if not free:
        return None
    spoken = set(person.record["languages"]) - {"de"}

    def score(coach: dict[str, Any]) -> int:
        shared = 2 if person.mother_tongue in coach["languages"] else 0
        shared = shared or (1 if spoken & set(coach["languages"]) else 0)
        return 3 * shared + (2 if coach["town"] == person.record["town"] else 0)

    best = max(score(coach) for coach in free)
    return rng.choice([coach for coach in free if score(coach) == best])


# --- placements ------------------------------------------------------------------------


def _placements(
    rng: random.Random,
    today: dt.date,
    people: list[Person],
    offers: list[dict[str, Any]],
    templates: dict[str, OfferTemplate],
) -> list[dict[str, Any]]:
    """Candidates who agreed to share their profile, proposed for offers of their trade."""
    ready = [
        p
        for p in people
        if p.record["consent"]["profile_sharing"] and cefr_rank(p.german) >= cefr_rank("A2")
    ]
    outcomes = [o for o, n in PLACEMENT_QUOTAS.items() for _ in range(n)]
    outcomes = outcomes[: len(ready)]
    chosen = rng.sample(ready, len(outcomes))
    hired_on: dict[str, int] = {}
    placements = []
    for number, (person, outcome) in enumerate(zip(chosen, outcomes, strict=True), start=1):
        offer = _offer_for(rng, person, outcome, offers, templates)
        history = _history(rng, today, outcome)
        if history[-1]["status"] == "hired":
            hired_on[offer["id"]] = hired_on.get(offer["id"], 0) + 1
        first_step = history[0]["date"]
        person.record["available_from"] = min(person.record["available_from"], first_step)
        placements.append(
            {
                "id": f"pl-{number:04d}",
                "candidate": person.id,
                "offer": offer["id"],
                "status": history[-1]["status"],
                "history": history,
            }
        )
    for offer in offers:
        filled = hired_on.get(offer["id"], 0) >= offer["seats"]
        if filled or rng.random() < 0.04:  # filled, or withdrawn by the firm
            offer["open"] = False
    return placements


def _offer_for(
    rng: random.Random,
    person: Person,
    outcome: str,
    offers: list[dict[str, Any]],
    templates: dict[str, OfferTemplate],
) -> dict[str, Any]:
    kinds = ("internship",) if outcome == "internship" else ("job", "apprenticeship", "internship")
    if outcome.startswith("hired"):
        kinds = ("job", "apprenticeship")
    keys = {key for background in person.backgrounds for key in background.offers}
    fitting = [o for o in offers if templates[o["id"]].key in keys and o["kind"] in kinds]
    near = [o for o in fitting if o["town"] == person.record["town"]]
    pool = near or fitting or [o for o in offers if o["kind"] in kinds]
    return rng.choice(pool)


def _history(rng: random.Random, today: dt.date, outcome: str) -> list[dict[str, str]]:
    """Status changes up to ``outcome``, days to weeks apart, none after ``today``."""
    if outcome == "hired-this-year":
        return _backwards_to_hire(rng, today)
    steps = ["proposed", "contacted", "interview"]
    if outcome == "internship" or (outcome in ("hired", "ended") and rng.random() < 0.5):
        steps.append("internship")
    if outcome == "hired" or (outcome == "ended" and rng.random() < 0.5):
        steps.append("hired")
    if outcome == "ended":
        steps.append("ended")
    steps = steps[: steps.index(outcome) + 1] if outcome in steps else steps
    day = _workday(today - dt.timedelta(days=rng.randint(40, 330)), forward=False)
    history = []
    for status in steps:
        if day > today:
            break
        history.append({"status": status, "date": day.isoformat()})
        day = _workday(day + dt.timedelta(days=_gap(rng, status)), forward=True)
    return history


def _workday(day: dt.date, forward: bool) -> dt.date:
    """Advisors and firms act on working days: move a weekend date to Monday or Friday."""
    if day.weekday() < 5:
        return day
    return (
        day + dt.timedelta(days=7 - day.weekday())
        if forward
        else day - dt.timedelta(days=day.weekday() - 4)
    )


def _gap(rng: random.Random, status: str) -> int:
    """Days until the next status: an internship lasts weeks, a job months before it ends."""
    return {"internship": rng.randint(14, 42), "hired": rng.randint(30, 180)}.get(
        status, rng.randint(3, 20)
    )


def _backwards_to_hire(rng: random.Random, today: dt.date) -> list[dict[str, str]]:
    new_year = dt.date(today.year, 1, 1)
    hired = weekday_between(rng, new_year + dt.timedelta(days=1), today)
    if hired.weekday() >= 5 or rng.random() < 0.3:
        hired = new_year  # contracts often start on the first of the month
    steps = ["proposed", "contacted", "interview", *(["internship"] if rng.random() < 0.6 else [])]
    dates = [hired]
    for status in reversed(steps):
        dates.append(_workday(dates[-1] - dt.timedelta(days=_gap(rng, status)), forward=False))
    dates.reverse()
    return [
        {"status": status, "date": day.isoformat()}
        for status, day in zip([*steps, "hired"], dates, strict=True)
    ]


# --- enrolments ------------------------------------------------------------------------


def _enrolments(
    rng: random.Random,
    today: dt.date,
    people: list[Person],
    courses: list[dict[str, Any]],
    provider_names: dict[str, str],
) -> list[dict[str, Any]]:
    """German courses done, running and dropped; machine courses done (whose certificates
    the candidates now hold); courses planned next."""
    german = _german_courses(courses)
    refugees = [p for p in people if p.origin.refugee and p.german]
    rng.shuffle(refugees)
    enrolments: list[tuple[str, str, str, dt.date | None]] = []
    used: set[str] = set()
    for person in refugees[:22]:  # completed the course of the level they have now
        course = _near(rng, german.get(person.german, []), person)
        if course:
            end_before = today - dt.timedelta(days=rng.randint(14, 400))
            start = _monday_before(end_before - dt.timedelta(weeks=course["weeks"]))
            enrolments.append((person.id, course["id"], "completed", start))
            used.add(person.id)
    for person in refugees[22:]:  # attending the next level now, or dropped out of it
        if len([e for e in enrolments if e[2] in ("enrolled", "dropped")]) >= 16:
            break
        following = _next_level(person.german)
        course = _near(rng, german.get(following, []), person) if following else None
        if course:
            status = "dropped" if rng.random() < 0.25 else "enrolled"
            weeks_in = rng.randint(1, max(1, course["weeks"] - 1))
            start = _monday_before(today - dt.timedelta(weeks=weeks_in))
            if status == "enrolled":  # available once the course is over
                end = (start + dt.timedelta(weeks=course["weeks"])).isoformat()
                person.record["available_from"] = max(person.record["available_from"], end)
            enrolments.append((person.id, course["id"], status, start))
            used.add(person.id)
    enrolments += _completed_trainings(rng, today, people, courses, provider_names, used)
    enrolments += _planned(rng, people, courses, used)
    return [
        {
            "id": f"en-{number:04d}",
            "candidate": candidate,
            "course": course,
            "status": status,
            "start": start.isoformat() if start else None,
        }
        for number, (candidate, course, status, start) in enumerate(enrolments, start=1)
    ]


def _german_courses(courses: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_level: dict[str, list[dict[str, Any]]] = {}
    for course in courses:
        level = course["teaches"]["languages"].get("de")
        if course["kind"] == "language" and level:
            by_level.setdefault(level, []).append(course)
    return by_level


def _next_level(level: str | None) -> str | None:
    rank = cefr_rank(level)
    return CEFR_LEVELS[rank] if level and rank < cefr_rank("C1") else None


def _near(
    rng: random.Random, courses: list[dict[str, Any]], person: Person
) -> dict[str, Any] | None:
    local = [c for c in courses if c["town"] == person.record["town"]]
    pool = local or courses
    return rng.choice(pool) if pool else None


def _monday_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _completed_trainings(
    rng: random.Random,
    today: dt.date,
    people: list[Person],
    courses: list[dict[str, Any]],
    provider_names: dict[str, str],
    used: set[str],
) -> list[tuple[str, str, str, dt.date | None]]:
    """Refugees whose machine skills came from a course here: the claims at the level the
    course teaches become certificates of that course's provider."""
    trainings = [c for c in courses if c["kind"] == "machine" and c["cost"] > 0]
    result: list[tuple[str, str, str, dt.date | None]] = []
    for person in [p for p in people if p.origin.refugee and p.id not in used]:
        if len(result) >= 10:
            break
        taught = [c for c in trainings if satisfied(person.levels, _items(c["teaches"]))]
        if not taught:
            continue
        course = rng.choice(taught)
        end = weekday_between(rng, today - dt.timedelta(days=500), today - dt.timedelta(days=10))
        start = _monday_before(end - dt.timedelta(weeks=course["weeks"]))
        for section in ("skills", "tools"):
            for key, level in course["teaches"][section].items():
                if person.record[section][key]["level"] > level:
                    continue  # knows more than the course attests: keep their own claim
                person.record[section][key] = {
                    "level": level,
                    "source": "certificate",
                    "assessed_at": end.isoformat(),
                    "assessed_by": provider_names[course["provider"]],
                }
        result.append((person.id, course["id"], "completed", start))
        used.add(person.id)
    return result


def _planned(
    rng: random.Random, people: list[Person], courses: list[dict[str, Any]], used: set[str]
) -> list[tuple[str, str, str, dt.date | None]]:
    """Next steps agreed with an advisor: a course the candidate can take now and that
    teaches something new, at its next start."""
    result: list[tuple[str, str, str, dt.date | None]] = []
    candidates = [p for p in people if p.id not in used and p.german]
    rng.shuffle(candidates)
    for person in candidates:
        if len(result) >= 14:
            break
        useful = [
            c
            for c in courses
            if c["kind"] != "language"
            and satisfied(person.levels, _items(c["requires"]))
            and not satisfied(person.levels, _items(c["teaches"]))
            and c["town"] == person.record["town"]
        ]
        if useful:
            course = rng.choice(useful)
            start = dt.date.fromisoformat(course["starts"][0]) if course["starts"] else None
            result.append((person.id, course["id"], "planned", start))
    return result


def _items(section: dict[str, dict[str, Any]]) -> dict[str, int | str]:
    return {**section["skills"], **section["tools"], **section["languages"]}
