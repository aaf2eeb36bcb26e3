"""The same world file gives the same bytes whichever store it passed through."""

from __future__ import annotations

import json
from pathlib import Path

from graph.world import export_world, import_world
from importers.synthetic import WorldSize, synthetic_world

TINY = Path(__file__).parent / "fixtures" / "tiny_world.json"


def test_embedded_to_neo4j_to_embedded_is_byte_identical(make_store, tmp_path):
    source = tmp_path / "source.json"
    document = synthetic_world(WorldSize(candidates=200, offers=40, courses=60, skills=120))
    tiny = json.loads(TINY.read_text(encoding="utf-8"))
    for section in ("occupations", "coaches"):
        document[section] = tiny[section]
    document["skills"].append(tiny["skills"][0])
    document["candidates"].append({**tiny["candidates"][0], "id": "p-tiny"})
    document["coaches"][0]["mentees"] = [{"candidate": "p-tiny", "since": "2026-03-01"}]
    document["towns"].append(tiny["towns"][0])
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    first, second, third = (tmp_path / f"{n}.json" for n in ("first", "second", "third"))
    embedded = make_store("embedded")
    import_world(embedded, source)
    export_world(embedded, first)

    neo4j = make_store("neo4j")
    import_world(neo4j, first)
    export_world(neo4j, second)

    embedded_again = make_store("embedded")
    import_world(embedded_again, second)
    export_world(embedded_again, third)

    assert first.read_bytes() == second.read_bytes() == third.read_bytes()
