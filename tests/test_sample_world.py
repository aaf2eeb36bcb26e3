"""The bundled sample district that ``make run`` serves is valid on both stores."""

from __future__ import annotations

import json
from pathlib import Path

from graph.model import Label
from graph.world import dumps_world, import_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"


def test_sample_district_imports_and_round_trips(store, tmp_path):
    report = import_world(store, SAMPLE)
    counts = store.counts()
    assert counts[Label.TOWN] == 10
    assert counts[Label.CANDIDATE] == report.entities["candidates"] > 0
    exported = dumps_world(store)
    again = tmp_path / "again.json"
    again.write_text(exported, encoding="utf-8")
    store.clear()
    import_world(store, again)
    assert dumps_world(store) == exported


def test_sample_district_has_the_four_drk_points(store):
    import_world(store, SAMPLE)
    towns = json.loads(dumps_world(store))["towns"]
    assert sorted(t["name"] for t in towns if t["drk_point"]) == [
        "Erkelenz",
        "Geilenkirchen",
        "Heinsberg",
        "Hückelhoven",
    ]
