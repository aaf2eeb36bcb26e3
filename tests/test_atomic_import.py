"""An import is all-or-nothing even when its process is killed in the middle.

A child process imports a world large enough for several batches and kills itself with
SIGKILL from the progress callback once part of the data has been sent; afterwards the
store must hold exactly what it held before.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from graph.stores import open_store
from graph.world import dumps_world, import_world
from importers.synthetic import WorldSize, synthetic_world

TINY = Path(__file__).parent / "fixtures" / "tiny_world.json"
ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent(
    """
    import json, os, signal, sys
    from graph.stores import StoreSettings, open_store
    from graph.world import import_world

    settings = StoreSettings(**json.loads(sys.argv[1]))
    store = open_store(settings)
    batches = 0

    def progress(done, total):
        global batches
        batches += 1
        if batches == 3:
            print(f"killing myself after {done} of {total} rows", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    import_world(store, sys.argv[2], progress=progress)
    print("import finished: the kill did not happen", flush=True)
    """
)


def test_killed_import_leaves_the_store_as_it_was(store_settings, tmp_path):
    with open_store(store_settings) as store:
        import_world(store, TINY)
        before = dumps_world(store)

    big = tmp_path / "big.json"
    document = synthetic_world(WorldSize(candidates=6_000, offers=300, courses=300, skills=500))
    big.write_text(json.dumps(document), encoding="utf-8")
    settings = {
        key: str(value) if isinstance(value, Path) else value
        for key, value in store_settings.__dict__.items()
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(settings), str(big)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr
    assert "killing myself after" in child.stdout

    with open_store(store_settings) as store:
        assert dumps_world(store) == before
        import_world(store, big)  # and the store still takes the whole import afterwards
        assert store.counts()["Candidate"] == 6_000  # p-1 of the tiny world is among them
