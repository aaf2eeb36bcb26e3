"""The demo district is valid, big enough, plausible where it matters, and reproducible.

A demo that fails to import, shrinks below the sizes the UI and benchmarks assume, or
changes from run to run is worse than none; and a district whose offers cannot be reached
by any training route would demonstrate nothing. These tests pin all of that down on the
generated document itself, without a store.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from graph.model import CEFR_LEVELS, cefr_rank
from graph.world import validate_world
from importers.demo import build_esco_slice, generate_demo_world, write_demo_world
from importers.demo.catalogue import DELIBERATE_GAPS
from importers.demo.esco_slice import SLICE_PATH, load_esco_slice
from importers.demo.generator import DEFAULT_TODAY, dumps_demo_world

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
GERMAN_CHAIN = ("A1", "A2", "B1", "B2", "C1")


@pytest.fixture(scope="module")
def world() -> dict[str, Any]:
    return generate_demo_world()


def _items(section: dict[str, Any]) -> dict[str, Any]:
    return {**section["skills"], **section["tools"], **section["languages"]}


def _meets(state: dict[str, Any], key: str, level: int | str) -> bool:
    have = state.get(key)
    if isinstance(level, str):
        return isinstance(have, str) and cefr_rank(have) >= cefr_rank(level)
    return isinstance(have, int) and have >= level


def _essentials(offer: dict[str, Any]) -> dict[str, int | str]:
    wanted: dict[str, int | str] = {}
    for section in ("skills", "tools"):
        for key, requirement in offer["requires"][section].items():
            if requirement["essential"]:
                wanted[key] = requirement["level"]
    wanted.update(offer["requires"]["languages"])
    return wanted


def _everything_learnable(courses: list[dict[str, Any]]) -> dict[str, int | str]:
    """What someone who starts with nothing can reach by taking courses in some order."""
    state: dict[str, int | str] = {}
    changed = True
    while changed:
        changed = False
        for course in courses:
            needs = _items(course["requires"])
            if not all(_meets(state, key, level) for key, level in needs.items()):
                continue
            for key, level in _items(course["teaches"]).items():
                if not _meets(state, key, level):
                    state[key] = level
                    changed = True
    return state


def test_the_demo_world_validates_and_has_the_promised_size(world):
    counts = validate_world(world, "demo").counts
    assert counts["towns"] == 10
    assert counts["companies"] >= 120
    assert counts["offers"] >= 300
    assert counts["courses"] >= 150
    assert counts["coaches"] >= 100
    assert counts["candidates"] >= 400
    assert counts["tools"] >= 60
    assert 80 <= counts["skills"] <= 150
    assert counts["placements"] > 0 and counts["enrolments"] > 0


def test_towns_are_the_ten_municipalities_with_the_four_drk_points(world):
    names = {town["name"] for town in world["towns"]}
    assert {"Hückelhoven", "Übach-Palenberg", "Erkelenz", "Heinsberg", "Selfkant"} <= names
    assert sorted(t["name"] for t in world["towns"] if t["drk_point"]) == [
        "Erkelenz",
        "Geilenkirchen",
        "Heinsberg",
        "Hückelhoven",
    ]
    assert {t["id"] for t in world["towns"]} >= {"t-erkelenz", "t-hueckelhoven"}


def test_every_tool_is_labelled_in_five_languages_in_the_right_scripts(world):
    arabic_script, cyrillic = re.compile("[\u0600-\u06ff]"), re.compile("[\u0400-\u04ff]")
    persian_letters = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")  # پ چ ژ گ ک ی
    arabic_letters = re.compile("[\u064a\u0643\u0629]")  # ي ك ة, which Persian does not use
    for tool in world["tools"]:
        labels = tool["labels"]
        assert set(labels) >= {"de", "en", "ar", "fa", "uk"}, tool["id"]
        assert arabic_script.search(labels["ar"]) and not persian_letters.search(labels["ar"])
        assert arabic_script.search(labels["fa"]) and not arabic_letters.search(labels["fa"])
        assert cyrillic.search(labels["uk"]), tool["id"]


def test_about_a_third_of_the_candidates_are_women(world):
    women = sum(1 for c in world["candidates"] if c["gender"] == "f")
    assert 0.30 <= women / len(world["candidates"]) <= 0.40


def test_people_carry_latin_names_as_german_records_do(world):
    for person in [*world["candidates"], *world["coaches"]]:
        assert not re.search("[\u0400-\u04ff\u0600-\u06ff]", person["name"]), person["name"]


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not():
    first = dumps_demo_world(generate_demo_world(seed=7))
    assert dumps_demo_world(generate_demo_world(seed=7)) == first
    assert dumps_demo_world(generate_demo_world(seed=8)) != first


def test_everything_is_dated_relative_to_today():
    later = generate_demo_world(today=dt.date(2028, 3, 6))
    starts = [day for course in later["courses"] for day in course["starts"]]
    assert min(starts) >= "2028-03-06" and max(starts) < "2029-03-07"
    for placement in later["placements"]:
        assert all(step["date"] <= "2028-03-06" for step in placement["history"])


def test_german_courses_run_a1_to_c1_each_requiring_the_level_before(world):
    german = [c for c in world["courses"] if "de" in c["teaches"]["languages"]]
    for course in german:
        level = course["teaches"]["languages"]["de"]
        before = CEFR_LEVELS[cefr_rank(level) - 2] if level != "A1" else None
        assert course["requires"]["languages"].get("de") == before, course["id"]
    taught = {c["teaches"]["languages"]["de"] for c in german if c["kind"] == "language"}
    assert set(GERMAN_CHAIN) <= taught


def test_the_forklift_licence_requires_german_a2(world):
    forklift = [c for c in world["courses"] if c["teaches"]["tools"].get("w-forklift") == 1]
    assert forklift
    for course in forklift:
        assert course["requires"]["languages"] == {"de": "A2"}, course["id"]


def test_welding_and_cnc_courses_build_on_basics(world):
    by_prefix = {
        "k-mag-grund-": "s-metalworking-tools",
        "k-cnc-grund-": "s-technical-drawings",
        "k-cnc-programmierung-": "s-cnc-lathe",
    }
    for prefix, prerequisite in by_prefix.items():
        courses = [c for c in world["courses"] if c["id"].startswith(prefix)]
        assert courses and all(prerequisite in c["requires"]["skills"] for c in courses)


def test_most_offers_can_be_reached_by_training_and_only_the_deliberate_gaps_cannot(world):
    learnable = _everything_learnable(world["courses"])
    reachable, missing = 0, set()
    for offer in world["offers"]:
        gaps = {k for k, level in _essentials(offer).items() if not _meets(learnable, k, level)}
        reachable += not gaps
        missing |= gaps
    assert reachable >= 0.8 * len(world["offers"])
    assert missing == set(DELIBERATE_GAPS)


def test_offers_have_essential_and_optional_requirements_and_a_german_level(world):
    for offer in world["offers"]:
        assert offer["requires"]["languages"]["de"] in CEFR_LEVELS
    jobs = [o for o in world["offers"] if o["kind"] == "job"]
    with_both = [
        o
        for o in jobs
        if any(
            r["essential"] for r in {**o["requires"]["skills"], **o["requires"]["tools"]}.values()
        )
        and any(
            not r["essential"]
            for r in {**o["requires"]["skills"], **o["requires"]["tools"]}.values()
        )
    ]
    assert len(with_both) >= 0.7 * len(jobs)
    assert any(not o["open"] for o in world["offers"])


def test_coaches_stay_within_capacity_and_mentor_real_candidates(world):
    candidates = {c["id"] for c in world["candidates"]}
    mentored = []
    for coach in world["coaches"]:
        assert 1 <= coach["capacity"] <= 4
        assert len(coach["mentees"]) <= coach["capacity"]
        assert coach["languages"][0] == "de"
        mentored += [m["candidate"] for m in coach["mentees"]]
    assert set(mentored) <= candidates and len(mentored) == len(set(mentored)) > 50


def test_skills_are_assessed_only_at_the_four_drk_points(world):
    points = {f"DRK {t['name']}" for t in world["towns"] if t["drk_point"]}
    assessed = [
        claim
        for candidate in world["candidates"]
        for section in ("skills", "tools")
        for claim in candidate[section].values()
        if isinstance(claim, dict) and claim.get("source") == "assessed"
    ]
    assert assessed
    assert {claim["assessed_by"] for claim in assessed} <= points


def test_placement_histories_move_forward_and_some_were_hired_this_year(world):
    order = ("proposed", "contacted", "interview", "internship", "hired", "ended")
    today = DEFAULT_TODAY.isoformat()
    for placement in world["placements"]:
        steps = placement["history"]
        assert steps[-1]["status"] == placement["status"]
        assert [order.index(s["status"]) for s in steps] == sorted(
            order.index(s["status"]) for s in steps
        )
        assert [s["date"] for s in steps] == sorted(s["date"] for s in steps)
        assert steps[-1]["date"] <= today
    new_year = f"{DEFAULT_TODAY.year}-01-01"
    assert any(
        step["status"] == "hired" and step["date"] >= new_year
        for placement in world["placements"]
        for step in placement["history"]
    )


def test_write_demo_world_writes_the_document_and_returns_counts(tmp_path):
    path = tmp_path / "demo.json"
    counts = write_demo_world(path, seed=3)
    text = path.read_text(encoding="utf-8")
    assert "Hückelhoven" in text  # not \u-escaped
    assert json.loads(text) == generate_demo_world(seed=3)
    assert counts["candidates"] == len(json.loads(text)["candidates"])


def test_the_esco_slice_is_small_and_self_contained():
    esco = load_esco_slice()
    skill_ids = {skill["id"] for skill in esco["skills"]}
    assert SLICE_PATH.stat().st_size < 200_000
    for skill in esco["skills"]:
        assert skill["id"].startswith("s-") and skill["labels"]["de"] and skill["labels"]["en"]
        assert skill["esco_uri"].startswith("http://data.europa.eu/esco/skill/")
        assert set(skill["broader"]) <= skill_ids
    for occupation in esco["occupations"]:
        assert occupation["isco"] and occupation["esco_uri"]
        assert set(occupation["essential"]) | set(occupation["optional"]) <= skill_ids


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="needs the shared ESCO data")
def test_the_committed_esco_slice_is_what_the_builder_makes():
    assert build_esco_slice(SHARED_DATA) == load_esco_slice()
