"""World-file validation: every problem found in one pass, each with its JSON path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.errors import InvalidInput
from graph.model import Label
from graph.world import parse_json, read_world, validate_world

TINY = Path(__file__).parent / "fixtures" / "tiny_world.json"


def tiny() -> dict:
    return json.loads(TINY.read_text(encoding="utf-8"))


def problems_of(document: object, existing=None) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        validate_world(document, "w.json", existing=existing)
    return caught.value.problems


def test_the_tiny_world_is_valid():
    valid = validate_world(tiny(), "tiny")
    assert valid.counts["courses"] == 1
    assert len(valid.graph.nodes) == 11


def test_level_outside_its_scale_is_named_with_its_path():
    document = tiny()
    document["courses"][0]["requires"]["skills"]["s-welding"] = 4
    assert problems_of(document) == ["courses[0].requires.skills.s-welding: level 4 is not in 1–3"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["candidates"][0]["languages"].update(de="B3"),
            "candidates[0].languages.de: level 'B3' is not a CEFR level "
            "(A1, A2, B1, B2, C1, C2, native)",
        ),
        (
            lambda d: d["candidates"][0]["skills"].update({"s-welding": "2"}),
            "candidates[0].skills.s-welding: input should be a valid dictionary or instance of "
            'Claim (got "2")',
        ),
        (
            lambda d: d["candidates"][0]["skills"].update({"s-welding": True}),
            "candidates[0].skills.s-welding: input should be a valid dictionary or instance of "
            "Claim (got true)",
        ),
        (
            lambda d: d["courses"][0].update(weeks=0),
            "courses[0].weeks: input should be greater than or equal to 1 (got 0)",
        ),
        (
            lambda d: d["courses"][0].update(cost="450"),
            'courses[0].cost: must be a number (got "450")',
        ),
        (
            lambda d: d["courses"][0]["starts"].append("2027-02-30"),
            "courses[0].starts[2]: '2027-02-30' is not a date (YYYY-MM-DD)",
        ),
        (
            lambda d: d["offers"][0].update(kind="gig"),
            "offers[0].kind: input should be 'internship', 'apprenticeship' or 'job' (got \"gig\")",
        ),
        (lambda d: d["towns"][0].update(lat=95.5), "towns[0].lat: 95.5 is not between -90 and 90"),
        (lambda d: d["towns"][0].update(population=1), "towns[0].population: unknown key"),
        (lambda d: d["towns"][0].pop("name"), "towns[0].name: is required"),
        (lambda d: d["skills"][0].update(labels={}), "skills[0].labels: needs at least one label"),
        (
            lambda d: d["skills"][0]["labels"].update(German="Schweißen"),
            "skills[0].labels: 'German' is not a language code (ISO 639, lower case)",
        ),
        (
            lambda d: d["tools"][0].update(id="has space"),
            "tools[0].id: 'has space' is not an id (1–200 characters, no spaces)",
        ),
        (
            lambda d: d.update(extra=[]),
            "extra: unknown section (known: towns, languages, skills, tools, occupations, "
            "organizations, companies, offers, courses, candidates, coaches, placements, "
            "enrolments)",
        ),
        (
            lambda d: d.update(format="wegweiser-world/2"),
            "format: must be 'wegweiser-world/1', got 'wegweiser-world/2'",
        ),
        (lambda d: d.update(towns={}), "towns: must be a list, not an object"),
    ],
)
def test_each_kind_of_problem_is_reported(mutate, expected):
    document = tiny()
    mutate(document)
    assert expected in problems_of(document)


def test_all_problems_are_listed_at_once():
    document = tiny()
    document["courses"][0]["requires"]["skills"]["s-welding"] = 4
    document["offers"][0]["company"] = "co-missing"
    document["candidates"][0]["tools"] = {"m-forklift": 9}
    document["coaches"][0]["mentees"] = ["p-1", "p-ghost"]
    assert problems_of(document) == [
        "courses[0].requires.skills.s-welding: level 4 is not in 1–3",
        "candidates[0].tools.m-forklift.level: level 9 is not in 1–3",
        "offers[0].company: unknown company 'co-missing' (not in companies)",
        "coaches[0].mentees[1]: unknown candidate 'p-ghost' (not in candidates)",
    ]


def test_unknown_references_are_listed_with_their_paths():
    document = tiny()
    document["courses"][0]["teaches"]["tools"]["m-excavator"] = 1
    document["offers"][0]["requires"]["languages"]["uk"] = "A2"
    assert sorted(problems_of(document)) == [
        "courses[0].teaches.tools.m-excavator: unknown tool 'm-excavator' (not in tools)",
        "offers[0].requires.languages.uk: unknown language 'uk' (not in languages)",
    ]


def test_references_may_point_into_the_store():
    document = {
        "format": "wegweiser-world/1",
        "candidates": [{"id": "p-7", "name": "N", "town": "t-erkelenz", "languages": {"de": "A1"}}],
    }

    def existing(label, ids):
        return {i for i in ids if (label, i) in {(Label.TOWN, "t-erkelenz")}}

    assert problems_of(document, existing) == [
        "candidates[0].languages.de: unknown language 'de' (not in languages)"
    ]


def test_duplicate_ids_are_errors_across_sections():
    document = tiny()
    document["coaches"].append({"id": "p-1", "name": "Zweiter", "town": "t-erkelenz"})
    document["towns"].append(dict(document["towns"][0]))
    assert problems_of(document) == [
        "towns[1].id: duplicate id 't-erkelenz' (also towns[0])",
        "coaches[1].id: duplicate id 'p-1' (also candidates[0])",
    ]


def test_an_invalid_entity_does_not_cause_follow_up_reference_errors():
    document = tiny()
    document["candidates"][0]["birth_year"] = "1990"
    assert problems_of(document) == [
        'candidates[0].birth_year: input should be a valid integer (got "1990")'
    ]


def test_not_an_object():
    with pytest.raises(InvalidInput, match="a world file is a JSON object, not a list"):
        validate_world([], "w.json")


def test_not_json_names_line_and_column():
    with pytest.raises(InvalidInput, match=r"w.json: not JSON: .* at line 2, column 1"):
        parse_json('{"format":\n}', "w.json")


def test_duplicate_keys_in_an_object_are_rejected():
    with pytest.raises(InvalidInput, match="key 's-1' appears twice"):
        parse_json('{"skills": {"s-1": 1, "s-1": 2}}', "w.json")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        read_world(tmp_path / "missing.json")
    with pytest.raises(InvalidInput, match="is a directory"):
        read_world(tmp_path)


def test_binary_garbage_is_not_json(tmp_path):
    path = tmp_path / "garbage.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InvalidInput, match=r"garbage\.json: not"):
        read_world(path)
