"""Conformance: ``save_entity_if_version`` is a real compare-and-set on both stores.

Two people editing the same candidate must never silently overwrite each other: the
second save of the same version is refused with ``Conflict`` and writes nothing, also
when both saves run at the same moment (two threads on one Neo4j store; two embedded
store instances on one data directory, as two app processes would have).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import Label, Rel
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore
from graph.stores import StoreSettings, open_store


def _seed(store: GraphStore) -> None:
    store.import_graph(
        GraphData(
            [
                NodeRecord(Label.TOWN, "erk", {"name": "Erkelenz", "lat": 51.08, "lon": 6.31}),
                NodeRecord(Label.TOWN, "hs", {"name": "Heinsberg", "lat": 51.06, "lon": 6.1}),
                NodeRecord(Label.SKILL, "weld", {"label_de": "Schweißen"}),
                NodeRecord(Label.CANDIDATE, "c1", {"name": "Amal"}),
            ],
            [
                RelRecord(Rel.LIVES_IN, Label.CANDIDATE, "c1", Label.TOWN, "erk"),
                RelRecord(Rel.HAS_SKILL, Label.CANDIDATE, "c1", Label.SKILL, "weld", {"level": 1}),
            ],
        )
    )


def _candidate(name: str, town: str, level: int = 1) -> GraphData:
    return GraphData(
        [NodeRecord(Label.CANDIDATE, "c1", {"name": name})],
        [
            RelRecord(Rel.LIVES_IN, Label.CANDIDATE, "c1", Label.TOWN, town),
            RelRecord(Rel.HAS_SKILL, Label.CANDIDATE, "c1", Label.SKILL, "weld", {"level": level}),
        ],
    )


def _town(store: GraphStore) -> str:
    return next(
        r.target_id for r in store.relationships(Label.CANDIDATE, "c1") if r.type == Rel.LIVES_IN
    )


def test_first_save_of_an_unversioned_node_starts_at_one(store: GraphStore) -> None:
    _seed(store)
    assert "version" not in store.get_node(Label.CANDIDATE, "c1").props
    assert store.save_entity_if_version(Label.CANDIDATE, "c1", 0, _candidate("Amal B.", "hs")) == 1
    node = store.get_node(Label.CANDIDATE, "c1")
    assert node.props == {"name": "Amal B.", "version": 1}
    assert _town(store) == "hs"


def test_saves_in_turn_bump_the_version(store: GraphStore) -> None:
    _seed(store)
    assert store.save_entity_if_version(Label.CANDIDATE, "c1", 0, _candidate("A", "hs")) == 1
    assert store.save_entity_if_version(Label.CANDIDATE, "c1", 1, _candidate("B", "erk", 3)) == 2
    assert store.get_node(Label.CANDIDATE, "c1").props["version"] == 2
    levels = [
        r.props["level"]
        for r in store.relationships(Label.CANDIDATE, "c1")
        if r.type == Rel.HAS_SKILL
    ]
    assert levels == [3]


def test_a_stale_version_is_refused_and_writes_nothing(store: GraphStore) -> None:
    _seed(store)
    store.save_entity_if_version(Label.CANDIDATE, "c1", 0, _candidate("First", "hs"))
    before = store.export_graph()
    with pytest.raises(Conflict, match=r"changed by someone else.*version 1.*version 0"):
        store.save_entity_if_version(Label.CANDIDATE, "c1", 0, _candidate("Second", "erk", 2))
    node = store.get_node(Label.CANDIDATE, "c1")
    assert node.props == {"name": "First", "version": 1}
    assert _town(store) == "hs"
    after = store.export_graph()
    assert sorted(map(repr, after.relationships)) == sorted(map(repr, before.relationships))


def test_a_version_from_the_future_is_refused(store: GraphStore) -> None:
    _seed(store)
    with pytest.raises(Conflict):
        store.save_entity_if_version(Label.CANDIDATE, "c1", 5, _candidate("X", "hs"))
    assert store.get_node(Label.CANDIDATE, "c1").props == {"name": "Amal"}


def test_missing_node_and_bad_data(store: GraphStore) -> None:
    _seed(store)
    with pytest.raises(NotFound, match="c9"):
        store.save_entity_if_version(
            Label.CANDIDATE, "c9", 2, GraphData([NodeRecord(Label.CANDIDATE, "c9", {})])
        )
    with pytest.raises(InvalidInput, match="holds no Candidate with id 'c2'"):
        store.save_entity_if_version(Label.CANDIDATE, "c2", 0, _candidate("X", "hs"))
    with pytest.raises(InvalidInput, match="expected_version"):
        store.save_entity_if_version(Label.CANDIDATE, "c1", -1, _candidate("X", "hs"))
    assert store.existing_ids(Label.CANDIDATE, ["c2", "c9"]) == set()


def test_a_new_node_is_created_at_version_one(store: GraphStore) -> None:
    store.import_graph(GraphData([NodeRecord(Label.COMPANY, "co1", {"name": "Kuhn"})]))
    offer = GraphData(
        [NodeRecord(Label.OFFER, "of1", {"kind": "job", "title": "Lager", "open": True})],
        [RelRecord(Rel.POSTS, Label.COMPANY, "co1", Label.OFFER, "of1")],
    )
    assert store.save_entity_if_version(Label.OFFER, "of1", 0, offer) == 1
    assert store.get_node(Label.OFFER, "of1").props["version"] == 1
    with pytest.raises(Conflict):
        store.save_entity_if_version(Label.OFFER, "of1", 0, offer)


def _race(saves: list[Callable[[], int]]) -> tuple[list[int], list[Exception]]:
    """Run the saves at the same moment; return the versions and the errors."""
    barrier = threading.Barrier(len(saves))
    done: list[int] = []
    failed: list[Exception] = []
    lock = threading.Lock()

    def run(save: Callable[[], int]) -> None:
        barrier.wait()
        try:
            version = save()
        except Exception as e:  # collected and asserted on below
            with lock:
                failed.append(e)
        else:
            with lock:
                done.append(version)

    threads = [threading.Thread(target=run, args=(save,)) for save in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return done, failed


def _second_store(store: GraphStore, make_store: Callable[[str], GraphStore]) -> GraphStore:
    """Another writer on the same data: a second embedded instance on the same directory
    (like a second app process), or the same Neo4j store used from a second thread."""
    if store.kind == "embedded":
        return open_store(StoreSettings(kind="embedded", data_dir=store.data_dir))
    return store


@pytest.mark.parametrize("rounds", [5])
def test_two_concurrent_writers_exactly_one_wins(
    store: GraphStore, make_store: Callable[[str], GraphStore], rounds: int
) -> None:
    _seed(store)
    other = _second_store(store, make_store)
    try:
        for version in range(rounds):
            done, failed = _race(
                [
                    lambda v=version: store.save_entity_if_version(
                        Label.CANDIDATE, "c1", v, _candidate(f"left {v}", "hs")
                    ),
                    lambda v=version: other.save_entity_if_version(
                        Label.CANDIDATE, "c1", v, _candidate(f"right {v}", "erk", 2)
                    ),
                ]
            )
            assert done == [version + 1], (done, failed)
            assert len(failed) == 1 and isinstance(failed[0], Conflict), failed
            node = store.get_node(Label.CANDIDATE, "c1")
            assert node.props["version"] == version + 1
            winner = node.props["name"].split()[0]
            # the winner's relationships, not a mix of both writes
            assert _town(store) == ("hs" if winner == "left" else "erk")
            assert _town(other) == _town(store)
    finally:
        if other is not store:
            other.close()
