"""Several processes share one embedded data directory without harm.

These are about the embedded store only (Neo4j is a server and does this by design):
each process keeps a networkx mirror of the graph and must see what the others commit.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graph.errors import StoreUnavailable
from graph.model import Label
from graph.stores.embedded import DATABASE_FILE, EmbeddedStore
from graph.world import dumps_world, import_world

TINY = Path(__file__).parent / "fixtures" / "tiny_world.json"
ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent(
    """
    import json, sys
    from graph.stores.embedded import EmbeddedStore
    from graph.world import import_world

    data_dir, worker, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = EmbeddedStore(data_dir)
    for n in range(rounds):
        path = f"{data_dir}/../w{worker}-{n}.json"
        doc = {"format": "wegweiser-world/1", "candidates": [
            {"id": f"p-{worker}-{n}-{i}", "name": f"W{worker}", "town": "t-erkelenz",
             "skills": {"s-welding": 1 + (i % 3)}, "languages": {"de": "A2"}}
            for i in range(20)]}
        with open(path, "w") as f:
            json.dump(doc, f)
        import_world(store, path)
    store.close()
    """
)


def run_writers(data_dir: Path, workers: int, rounds: int) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data_dir), str(w), str(rounds)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(workers)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err


def test_a_process_sees_what_another_committed(tmp_path):
    data_dir = tmp_path / "data"
    reader = EmbeddedStore(data_dir)
    import_world(reader, TINY)
    assert [
        r.source_id for r in reader.relationships(Label.SKILL, "s-welding") if r.type == "HAS_SKILL"
    ] == ["p-1"]  # the mirror is now loaded

    run_writers(data_dir, workers=1, rounds=1)

    holders = {
        r.source_id for r in reader.relationships(Label.SKILL, "s-welding") if r.type == "HAS_SKILL"
    }
    assert len(holders) == 21
    assert reader.get_node(Label.CANDIDATE, "p-0-0-5").props["name"] == "W0"


def test_concurrent_writers_lose_nothing(tmp_path):
    data_dir = tmp_path / "data"
    store = EmbeddedStore(data_dir)
    import_world(store, TINY)
    store.get_node(Label.TOWN, "t-erkelenz")  # load the mirror before the others write

    run_writers(data_dir, workers=3, rounds=5)

    assert store.counts()[Label.CANDIDATE] == 1 + 3 * 5 * 20
    holders = [r for r in store.relationships(Label.SKILL, "s-welding") if r.type == "HAS_SKILL"]
    assert len(holders) == 1 + 3 * 5 * 20
    fresh = EmbeddedStore(data_dir)
    assert dumps_world(fresh) == dumps_world(store)
    with pytest.raises(Exception, match="p-9"):
        store.get_node(Label.CANDIDATE, "p-9")


def test_the_mirror_follows_a_clear_in_another_process(tmp_path):
    data_dir = tmp_path / "data"
    first, second = EmbeddedStore(data_dir), EmbeddedStore(data_dir)
    import_world(first, TINY)
    assert second.get_node(Label.TOWN, "t-erkelenz").props["name"] == "Erkelenz"
    first.clear()
    assert second.counts()[Label.TOWN] == 0
    with pytest.raises(Exception, match="t-erkelenz"):
        second.get_node(Label.TOWN, "t-erkelenz")
    import_world(first, TINY)
    assert second.get_node(Label.TOWN, "t-erkelenz").props["lat"] == 51.08


def test_data_files_are_private_to_their_owner(tmp_path):
    data_dir = tmp_path / "data"
    import_world(EmbeddedStore(data_dir), TINY)
    assert stat.S_IMODE((data_dir / DATABASE_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_data_directory_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(StoreUnavailable, match="not writable"):
        EmbeddedStore(locked / "data")


def test_data_directory_that_is_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreUnavailable, match="cannot create data directory"):
        EmbeddedStore(blocker)


def test_sqlite_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / DATABASE_FILE).write_bytes(json.dumps({"not": "sqlite"}).encode() * 100)
    with pytest.raises(StoreUnavailable, match="not a database"):
        EmbeddedStore(data_dir)
