"""ESCO import benchmark: the real ESCO (English with all relations, plus German labels)
into each store.

What is measured, per store, into an EMPTY store (``clear()``, ``init_schema()``):

* ``import_esco`` end to end, exactly what ``wegweiser import esco`` runs: locate and
  check the files, read them (gzip + CSV; rows read and rows/s), map URIs to ids, one
  merge transaction (nodes + relationships written and rows/s);
* the same import again over the full store (a re-import: merge, replace relationships);
* a baseline in the same run: a slice of the same rows (``--baseline-rows`` nodes and as
  many relationships among them) written one row per ``import_graph(merge=True)`` call, i.e.
  one transaction per row, into an emptied store; batched rows/s ÷ baseline rows/s is what
  one transaction with batches buys;
* the peak RSS of this process after each store (``ru_maxrss``, only grows).

Data: ``--data`` [/work/shared/data] with ``esco-v1.1.1-en``, ``esco-v1.2.0-de`` and
``esco-kldb-mapping-ba`` (German skill labels). Neo4j as in ``bench.import_world``:
``NEO4J_URI`` … is used and CLEARED, else a disposable server is started.

Run from the repository root: ``.venv/bin/python -m bench.import_esco --help``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.import_world import neo4j_target, peak_rss_mib, say
from graph.model import Label
from graph.records import GraphData
from graph.store import GraphStore
from graph.stores.embedded import EmbeddedStore
from graph.stores.neo4j_store import Neo4jStore
from importers.esco import import_esco, locate
from importers.esco.importer import ESCO_RELATIONSHIPS, esco_graph
from importers.esco.read import read_esco

STORES = ("embedded", "neo4j")


def bench_store(store: GraphStore, data: Path, baseline_rows: int) -> dict[str, Any]:
    dirs = [data / "esco-v1.1.1-en", data / "esco-v1.2.0-de"]
    ba = data / "esco-kldb-mapping-ba"
    figures: dict[str, Any] = {"store": store.kind}

    store.clear()
    store.init_schema()
    baseline = run_baseline(store, dirs, ba, baseline_rows)
    figures["baseline"] = baseline
    say(
        f"  baseline: {baseline['rows']:,} rows, one transaction each, "
        f"{baseline['seconds']:.2f} s: {baseline['rows_per_s']:,.0f} rows/s"
    )

    store.clear()
    store.init_schema()
    started = time.perf_counter()
    report = import_esco(store, dirs, ["en", "de"], ba_mapping=ba)
    wall = time.perf_counter() - started
    written = report.nodes + report.relationships
    counts = store.counts()
    figures["import"] = {
        "wall_s": round(wall, 2),
        "read_s": round(report.read_s, 2),
        "write_s": round(report.write_s, 2),
        "rows_read": report.rows_read,
        "read_rows_per_s": round(report.read_rows_per_s),
        "nodes": report.nodes,
        "relationships": report.relationships,
        "write_rows_per_s": round(report.write_rows_per_s),
        "end_to_end_rows_per_s": round(written / wall),
        "skills": counts[Label.SKILL],
        "occupations": counts[Label.OCCUPATION],
    }
    say(
        f"  import: {wall:.1f} s wall (read {report.read_s:.1f} s, {report.rows_read:,} rows, "
        f"{report.read_rows_per_s:,.0f} rows/s; write {report.write_s:.1f} s, {written:,} rows, "
        f"{report.write_rows_per_s:,.0f} rows/s)"
    )
    started = time.perf_counter()
    again = import_esco(store, dirs, ["en", "de"], ba_mapping=ba)
    figures["reimport"] = {
        "wall_s": round(time.perf_counter() - started, 2),
        "write_s": round(again.write_s, 2),
        "write_rows_per_s": round(again.write_rows_per_s),
        "nodes_after": sum(store.counts().values()),
    }
    say(f"  re-import: {figures['reimport']['wall_s']:.1f} s wall, write {again.write_s:.1f} s")
    figures["speedup"] = round(report.write_rows_per_s / baseline["rows_per_s"], 1)
    figures["peak_rss_mib"] = round(peak_rss_mib())
    say(f"  batched / baseline: {figures['speedup']}x; peak RSS {figures['peak_rss_mib']} MiB")
    return figures


def run_baseline(store: GraphStore, dirs: list[Path], ba: Path, limit: int) -> dict[str, Any]:
    """``limit`` nodes and up to ``limit`` relationships among them, one transaction each."""
    concepts = read_esco(locate(dirs, ["en", "de"], ba))
    graph, _, _ = esco_graph(concepts, store)
    nodes = (
        graph.nodes[: limit // 2]
        + [n for n in graph.nodes if n.label == Label.SKILL][: limit - limit // 2]
    )
    present = {(n.label, n.id) for n in nodes}
    rels = [
        r
        for r in graph.relationships
        if (r.source_label, r.source_id) in present and (r.target_label, r.target_id) in present
    ][:limit]
    started = time.perf_counter()
    for node in nodes:
        store.import_graph(GraphData([node]), merge=True)
    for rel in rels:
        store.import_graph(
            GraphData([], [rel]), merge=True, replace_relationships=ESCO_RELATIONSHIPS
        )
    seconds = time.perf_counter() - started
    rows = len(nodes) + len(rels)
    return {
        "nodes": len(nodes),
        "relationships": len(rels),
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.import_esco", description=__doc__)
    parser.add_argument("--stores", default=",".join(STORES), help="embedded,neo4j")
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--baseline-rows", type=int, default=2_000)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    args.stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    unknown = set(args.stores) - set(STORES)
    if unknown:
        parser.error(f"unknown stores: {', '.join(sorted(unknown))}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    say(f"ESCO import benchmark; load average {os.getloadavg()}")
    results = []
    for kind in args.stores:
        say(f"{kind}:")
        if kind == "embedded":
            with tempfile.TemporaryDirectory() as workdir:
                store = EmbeddedStore(Path(workdir) / "data")
                try:
                    results.append(bench_store(store, args.data, args.baseline_rows))
                finally:
                    store.close()
        else:
            with neo4j_target() as (target, _disposable):
                store = Neo4jStore(target.uri, target.user, target.password, target.database)
                try:
                    results.append(bench_store(store, args.data, args.baseline_rows))
                finally:
                    store.close()
    say(f"load average at the end {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
