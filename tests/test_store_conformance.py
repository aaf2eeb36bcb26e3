"""The store conformance suite: every test here runs on the embedded store and on Neo4j
and must give the same answers. Nothing in a test body may depend on the store kind."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from graph.errors import InvalidInput, NotFound
from graph.model import Label, Rel
from graph.world import dumps_world, export_world, import_world, validate_world
from importers.synthetic import WorldSize, synthetic_world

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny_world.json"


def write(tmp_path: Path, name: str, document: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def tiny() -> dict:
    return json.loads(TINY.read_text(encoding="utf-8"))


def test_empty_store_counts_zero_for_every_label(store):
    assert store.counts() == {label: 0 for label in Label}


def test_init_schema_is_idempotent(store):
    store.init_schema()
    store.init_schema()
    assert sum(store.counts().values()) == 0


def test_import_counts_every_entity(store):
    report = import_world(store, TINY)
    counts = store.counts()
    assert counts[Label.COURSE] == 1
    assert counts[Label.CANDIDATE] == 1
    assert counts[Label.PLACEMENT] == 0
    assert report.nodes == sum(counts.values()) == 11
    assert report.relationships == 17


def test_export_import_export_is_byte_identical(store, tmp_path):
    import_world(store, TINY)
    first = tmp_path / "first.json"
    export_world(store, first)
    store.clear()
    import_world(store, first)
    second = tmp_path / "second.json"
    export_world(store, second)
    assert first.read_bytes() == second.read_bytes()


def test_export_is_canonical_whatever_the_input_order(store, tmp_path):
    document = tiny()
    document["courses"][0]["starts"].reverse()
    document["offers"][0]["requires"]["skills"] = dict(
        reversed(list(document["offers"][0]["requires"]["skills"].items()))
    )
    import_world(store, write(tmp_path, "w.json", document))
    exported = json.loads(dumps_world(store))
    assert exported["courses"][0]["starts"] == ["2027-01-11", "2027-03-08"]
    assert list(exported) == [
        "format",
        "towns",
        "languages",
        "skills",
        "tools",
        "occupations",
        "organizations",
        "companies",
        "offers",
        "courses",
        "candidates",
        "coaches",
        "placements",
        "enrolments",
    ]


def test_import_twice_leaves_the_same_graph(store):
    import_world(store, TINY)
    before = (store.counts(), dumps_world(store))
    import_world(store, TINY)
    assert (store.counts(), dumps_world(store)) == before


def test_reimport_replaces_what_an_entity_owns(store, tmp_path):
    import_world(store, TINY)
    changed = tiny()
    course = changed["courses"][0]
    course["teaches"]["tools"] = {}
    course["teaches"]["skills"] = {"s-welding": 2}
    course["weeks"] = 3
    import_world(store, write(tmp_path, "changed.json", changed))
    exported = json.loads(dumps_world(store))
    assert exported["courses"][0]["teaches"]["tools"] == {}
    assert exported["courses"][0]["teaches"]["skills"] == {"s-welding": 2}
    assert exported["courses"][0]["weeks"] == 3
    assert store.get_node(Label.COURSE, "k-1").props["weeks"] == 3


def test_relationships_owned_by_the_far_end_are_replaced_too(store, tmp_path):
    document = tiny()
    document["companies"].append({"id": "co-2", "name": "Y", "town": "t-erkelenz"})
    import_world(store, write(tmp_path, "a.json", document))
    document["offers"][0]["company"] = "co-2"
    import_world(store, write(tmp_path, "b.json", document))
    posts = [r for r in store.relationships(Label.OFFER, "o-1") if r.type == Rel.POSTS]
    assert [(r.source_id, r.target_id) for r in posts] == [("co-2", "o-1")]


def test_partial_file_may_reference_what_is_already_stored(store, tmp_path):
    import_world(store, TINY)
    newcomer = {
        "format": "wegweiser-world/1",
        "candidates": [
            {
                "id": "p-2",
                "name": "Neu",
                "town": "t-erkelenz",
                "skills": {
                    "s-welding": {
                        "level": 2,
                        "source": "assessed",
                        "assessed_at": "2026-10-01",
                        "assessed_by": "DRK Erkelenz",
                    }
                },
                "languages": {"de": "B1"},
            }
        ],
    }
    import_world(store, write(tmp_path, "p2.json", newcomer))
    claim = [r for r in store.relationships(Label.CANDIDATE, "p-2") if r.type == Rel.HAS_SKILL]
    assert claim[0].props == {
        "level": 2,
        "source": "assessed",
        "assessed_at": "2026-10-01",
        "assessed_by": "DRK Erkelenz",
    }
    assert store.counts()[Label.CANDIDATE] == 2


def test_invalid_file_leaves_the_store_exactly_as_it_was(store, tmp_path):
    import_world(store, TINY)
    before = dumps_world(store)
    broken = tiny()
    broken["candidates"].append({"id": "p-9", "name": "X", "town": "t-nowhere"})
    broken["courses"][0]["requires"]["skills"] = {"s-welding": 4}
    with pytest.raises(InvalidInput) as caught:
        import_world(store, write(tmp_path, "broken.json", broken))
    assert caught.value.problems == [
        "courses[0].requires.skills.s-welding: level 4 is not in 1–3",
        "candidates[1].town: unknown town 't-nowhere' (not in towns)",
    ]
    assert dumps_world(store) == before


def test_existing_ids_answers_per_label(store):
    import_world(store, TINY)
    assert store.existing_ids(Label.SKILL, ["s-welding", "s-none", "p-1"]) == {"s-welding"}
    assert store.existing_ids(Label.CANDIDATE, []) == set()


def test_get_node_and_not_found(store):
    import_world(store, TINY)
    town = store.get_node(Label.TOWN, "t-erkelenz")
    assert town.props == {"name": "Erkelenz", "lat": 51.08, "lon": 6.32, "drk_point": False}
    with pytest.raises(NotFound, match="no Candidate with id 'p-404'"):
        store.get_node(Label.CANDIDATE, "p-404")
    with pytest.raises(NotFound):
        store.relationships(Label.CANDIDATE, "p-404")


def test_get_nodes_in_one_call_skips_unknown_ids(store):
    import_world(store, TINY)
    found = store.get_nodes(Label.TOWN, ["t-erkelenz", "t-404", "t-erkelenz"])
    assert list(found) == ["t-erkelenz"]
    assert found["t-erkelenz"] == store.get_node(Label.TOWN, "t-erkelenz")
    assert store.get_nodes(Label.TOWN, []) == {}
    assert store.get_nodes(Label.CANDIDATE, ["t-erkelenz"]) == {}


def test_node_with_relationships_is_get_node_and_relationships(store):
    import_world(store, TINY)
    for label, node_id in ((Label.TOOL, "m-forklift"), (Label.CANDIDATE, "p-1")):
        node, rels = store.node_with_relationships(label, node_id)
        assert node == store.get_node(label, node_id)
        assert rels == store.relationships(label, node_id)
    with pytest.raises(NotFound, match="no Candidate with id 'p-404'"):
        store.node_with_relationships(Label.CANDIDATE, "p-404")


def test_relationships_in_both_directions_sorted(store):
    import_world(store, TINY)
    rels = store.relationships(Label.TOOL, "m-forklift")
    assert [(r.type, r.source_id, r.target_id, r.props) for r in rels] == [
        (Rel.REQUIRES_TOOL, "o-1", "m-forklift", {"level": 1, "essential": False}),
        (Rel.TEACHES_TOOL, "k-1", "m-forklift", {"level": 1}),
    ]


def test_labels_in_several_languages_survive(store, tmp_path):
    document = tiny()
    document["tools"][0]["labels"].update(
        {"ar": "رافعة شوكية", "fa": "لیفتراک", "uk": "навантажувач"}
    )
    import_world(store, write(tmp_path, "labels.json", document))
    exported = json.loads(dumps_world(store))
    assert exported["tools"][0]["labels"] == {
        "ar": "رافعة شوكية",
        "de": "Gabelstapler",
        "en": "forklift",
        "fa": "لیفتراک",
        "uk": "навантажувач",
    }


def test_values_that_look_like_cypher_are_just_values(store, tmp_path):
    document = tiny()
    hostile = "x'}) DETACH DELETE n // `RETURN` $rows {{"
    document["candidates"][0]["name"] = hostile
    document["skills"][0]["labels"]["en"] = 'MATCH (n) RETURN n UNION CALL db.labels()"'
    import_world(store, write(tmp_path, "hostile.json", document))
    assert store.get_node(Label.CANDIDATE, "p-1").props["name"] == hostile
    assert store.counts()[Label.SKILL] == 1


def test_clear_removes_everything(store):
    import_world(store, TINY)
    store.clear()
    assert sum(store.counts().values()) == 0
    with pytest.raises(NotFound):
        store.get_node(Label.TOWN, "t-erkelenz")


def test_synthetic_world_round_trips(store, tmp_path):
    document = synthetic_world(WorldSize(candidates=300, offers=60, courses=80, skills=150))
    path = write(tmp_path, "synthetic.json", document)
    valid = validate_world(copy.deepcopy(document), "synthetic")
    report = import_world(store, path)
    assert report.relationships == len(valid.graph.relationships)
    assert store.counts()[Label.CANDIDATE] == 300
    exported = tmp_path / "exported.json"
    export_world(store, exported)
    store.clear()
    import_world(store, exported)
    assert dumps_world(store) == exported.read_text(encoding="utf-8")
