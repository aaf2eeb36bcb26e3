"""Conformance of ``import_graph(merge=True, replace_relationships=…)`` on both stores.

A merge import adds or updates the properties it names and keeps the others, replaces
only the relationship types it is told to, is idempotent, and is all-or-nothing.
"""

from __future__ import annotations

import pytest

from graph.model import Label, Rel
from graph.records import GraphData, NodeRecord, RelRecord

OCC, SKILL = Label.OCCUPATION, Label.SKILL


def base() -> GraphData:
    return GraphData(
        [
            NodeRecord(OCC, "occ-1", {"label_en": "welder", "isco": "7212"}),
            NodeRecord(SKILL, "s-1", {"label_en": "welding", "kind": "skill", "esco_uri": "u1"}),
            NodeRecord(SKILL, "s-2", {"label_en": "metal", "kind": "knowledge"}),
        ],
        [
            RelRecord(Rel.ESSENTIAL_SKILL, OCC, "occ-1", SKILL, "s-1"),
            RelRecord(Rel.OPTIONAL_SKILL, OCC, "occ-1", SKILL, "s-2"),
            RelRecord(Rel.BROADER, SKILL, "s-1", SKILL, "s-2"),
        ],
    )


def rel_keys(store) -> set[tuple[str, str, str]]:
    return {(r.type, r.source_id, r.target_id) for r in store.export_graph().relationships}


def test_merge_keeps_properties_it_does_not_name(store):
    store.import_graph(base())
    german = GraphData([NodeRecord(SKILL, "s-1", {"label_de": "Schweißen", "kind": None})])
    store.import_graph(german, merge=True)
    assert store.get_node(SKILL, "s-1").props == {
        "label_en": "welding",
        "label_de": "Schweißen",
        "kind": "skill",
        "esco_uri": "u1",
    }
    assert rel_keys(store) == rel_keys_of(base())  # a labels-only merge keeps every edge


def test_merge_updates_named_properties_and_creates_new_nodes(store):
    store.import_graph(base())
    store.import_graph(
        GraphData(
            [
                NodeRecord(OCC, "occ-1", {"isco": "7213"}),
                NodeRecord(SKILL, "s-3", {"label_de": "Löten"}),
            ]
        ),
        merge=True,
    )
    assert store.get_node(OCC, "occ-1").props == {"label_en": "welder", "isco": "7213"}
    assert store.get_node(SKILL, "s-3").props == {"label_de": "Löten"}


def test_merge_replaces_only_the_named_relationship_types(store):
    store.import_graph(base())
    update = GraphData(
        [NodeRecord(OCC, "occ-1", {}), NodeRecord(SKILL, "s-1", {})],
        [RelRecord(Rel.ESSENTIAL_SKILL, OCC, "occ-1", SKILL, "s-2")],
    )
    store.import_graph(update, merge=True, replace_relationships=frozenset({Rel.ESSENTIAL_SKILL}))
    assert rel_keys(store) == {
        ("ESSENTIAL_SKILL", "occ-1", "s-2"),
        ("OPTIONAL_SKILL", "occ-1", "s-2"),
        ("BROADER", "s-1", "s-2"),  # BROADER was not named: kept although s-1 was imported
    }
    store.import_graph(update, merge=True, replace_relationships=frozenset({Rel.BROADER}))
    assert ("BROADER", "s-1", "s-2") not in rel_keys(store)


def test_merge_is_idempotent_and_never_duplicates_relationships(store):
    store.import_graph(base())
    data = GraphData(
        [NodeRecord(SKILL, "s-1", {"label_de": "Schweißen"})],
        [
            RelRecord(Rel.BROADER, SKILL, "s-1", SKILL, "s-2"),  # exists already
            RelRecord(Rel.BROADER, SKILL, "s-2", SKILL, "s-1", {}),
        ],
    )
    store.import_graph(data, merge=True)
    first = store.export_graph()
    store.import_graph(data, merge=True)
    second = store.export_graph()
    assert len(second.relationships) == len(first.relationships) == 4
    assert sorted(second.nodes, key=lambda n: n.id) == sorted(first.nodes, key=lambda n: n.id)


def test_merge_is_all_or_nothing(store):
    store.import_graph(base())
    before = store.export_graph()
    data = GraphData(
        [NodeRecord(SKILL, f"s-new-{i}", {"label_de": f"neu {i}"}) for i in range(6_000)]
        + [NodeRecord(SKILL, "s-1", {"label_de": "Schweißen"})],
        [RelRecord(Rel.ESSENTIAL_SKILL, OCC, "occ-1", SKILL, "s-new-1")],
    )

    def fail(done: int, total: int) -> None:
        raise RuntimeError(f"stopped after {done} of {total} rows")

    with pytest.raises(RuntimeError, match="stopped after"):
        store.import_graph(
            data, fail, merge=True, replace_relationships=frozenset({Rel.ESSENTIAL_SKILL})
        )
    after = store.export_graph()
    assert sorted(after.nodes, key=lambda n: n.id) == sorted(before.nodes, key=lambda n: n.id)
    assert rel_keys(store) == rel_keys_of(before)
    assert store.counts()[SKILL] == 2


def rel_keys_of(data: GraphData) -> set[tuple[str, str, str]]:
    return {(r.type, r.source_id, r.target_id) for r in data.relationships}
