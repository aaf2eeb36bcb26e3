"""Import benchmark: how fast does a whole world file go into each store?

What is measured, and why
-------------------------
``wegweiser import world`` validates the whole file and then writes it in ONE
all-or-nothing transaction (``GraphStore.import_graph``). That is how a district is
loaded, a backup restored or data moved between stores, and it is the write path whose
cost grows with the data. This benchmark generates a synthetic world
(``importers.synthetic``), writes it to a file and measures:

* the world: entities, nodes and relationships, the time to read + parse the file and
  the time of ``validate_world`` (both stores share that step);
* per store, one ``import_graph`` into an EMPTY store: wall time, nodes/s,
  relationships/s and rows/s (rows = nodes + relationships);
* Neo4j only, a baseline in the same run against the same server: the very statements
  the store runs (``import/merge_nodes``, ``import/create_relationships``), but one row
  per transaction, the naive way of loading through the driver. The ratio of batched to
  baseline rows/s is what one transaction with UNWIND batches buys;
* embedded only, opening the data directory again and answering the first ``get_node``,
  which loads the networkx mirror from SQLite: the first request of a fresh process;
* the peak RSS of this Python process after each store (the world document, the records
  and the embedded store's mirror live here; a Neo4j server's memory is its own JVM's,
  reported separately when this script started the server).

Neo4j: with ``NEO4J_URI`` set (and ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``)
that database is used and CLEARED; otherwise a disposable server is started from the
cached jars (``tests.neo4j_server``) and stopped at the end.

Run from the repository root: ``.venv/bin/python -m bench.import_world --help``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, zip_longest
from pathlib import Path
from typing import Any, TypeVar

from neo4j import GraphDatabase, ManagedTransaction

import cypher
from graph.model import Label, RelSpec
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore
from graph.stores.embedded import EmbeddedStore
from graph.stores.neo4j_store import Neo4jStore
from graph.stores.plan import ImportPlan, plan_import
from graph.world import read_world, validate_world
from importers.synthetic import WorldSize, synthetic_world

T = TypeVar("T")

STORES = ("embedded", "neo4j")
SERVER_HEAP = "2g"
SERVER_PAGECACHE = "512m"
_GAP = object()


# --------------------------------------------------------------------------- figures


@dataclass
class World:
    graph: GraphData
    entities: int
    file_bytes: int
    generate_s: float
    parse_s: float
    validate_s: float

    def figures(self) -> dict[str, Any]:
        return {
            "entities": self.entities,
            "nodes": len(self.graph.nodes),
            "relationships": len(self.graph.relationships),
            "file_bytes": self.file_bytes,
            "generate_s": self.generate_s,
            "parse_s": self.parse_s,
            "validate_s": self.validate_s,
        }


@dataclass
class Baseline:
    """Rows loaded one transaction per row, with the store's own statements."""

    nodes: int
    relationships: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.nodes + self.relationships

    @property
    def rows_per_s(self) -> float:
        return _rate(self.rows, self.seconds)


@dataclass
class StoreResult:
    store: str
    nodes: int
    relationships: int
    import_s: float
    peak_rss_mib: float = 0.0
    reopen_s: float | None = None
    baseline: Baseline | None = None
    server_peak_rss_mib: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.nodes + self.relationships

    @property
    def rows_per_s(self) -> float:
        return _rate(self.rows, self.import_s)

    @property
    def speedup(self) -> float | None:
        """Batched rows/s over baseline rows/s (``None`` without a baseline)."""
        if self.baseline is None or not self.baseline.rows_per_s:
            return None
        return self.rows_per_s / self.baseline.rows_per_s

    def figures(self) -> dict[str, Any]:
        baseline = self.baseline
        return {
            "store": self.store,
            "nodes": self.nodes,
            "relationships": self.relationships,
            "import_s": self.import_s,
            "nodes_per_s": _rate(self.nodes, self.import_s),
            "relationships_per_s": _rate(self.relationships, self.import_s),
            "rows_per_s": self.rows_per_s,
            "baseline": None
            if baseline is None
            else {
                "nodes": baseline.nodes,
                "relationships": baseline.relationships,
                "seconds": baseline.seconds,
                "rows_per_s": baseline.rows_per_s,
            },
            "batched_over_baseline": self.speedup,
            "reopen_first_get_node_s": self.reopen_s,
            "peak_rss_mib": self.peak_rss_mib,
            "server_peak_rss_mib": self.server_peak_rss_mib,
        }


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0


def timed(work: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MiB (Linux reports ``ru_maxrss`` in KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def say(text: str) -> None:
    print(text, flush=True)


# --------------------------------------------------------------------------- the world


def build_world(size: WorldSize, seed: int, workdir: Path) -> World:
    """Generate the world, write it to a file, read it back and validate it."""
    document, generate_s = timed(lambda: synthetic_world(size, seed=seed))
    path = workdir / "world.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    del document
    parsed, parse_s = timed(lambda: read_world(path))
    valid, validate_s = timed(lambda: validate_world(parsed, "bench"))
    return World(
        graph=valid.graph,
        entities=sum(valid.counts.values()),
        file_bytes=path.stat().st_size,
        generate_s=generate_s,
        parse_s=parse_s,
        validate_s=validate_s,
    )


def report_world(world: World) -> None:
    say(
        f"world: {world.entities:,} entities -> {len(world.graph.nodes):,} nodes, "
        f"{len(world.graph.relationships):,} relationships "
        f"({world.file_bytes / 2**20:.1f} MiB of JSON)"
    )
    say(
        f"  generated in {world.generate_s:.2f} s, read+parsed in {world.parse_s:.2f} s, "
        f"validated in {world.validate_s:.2f} s"
    )


# --------------------------------------------------------------------------- stores


def import_into_empty(store: GraphStore, graph: GraphData) -> float:
    """Seconds of one ``import_graph`` into ``store`` (cleared first); checks the counts."""
    store.clear()
    store.init_schema()
    _, seconds = timed(lambda: store.import_graph(graph))
    stored = sum(store.counts().values())
    if stored != len(graph.nodes):
        raise RuntimeError(f"{store.kind}: {stored:,} nodes stored, {len(graph.nodes):,} imported")
    return seconds


def bench_embedded(graph: GraphData, workdir: Path) -> StoreResult:
    data_dir = workdir / "embedded"
    with EmbeddedStore(data_dir) as store:
        seconds = import_into_empty(store, graph)
    result = StoreResult("embedded", len(graph.nodes), len(graph.relationships), seconds)
    report_import(result)
    probe = next((n for n in graph.nodes if n.label == Label.CANDIDATE), graph.nodes[0])

    def reopen() -> None:
        with EmbeddedStore(data_dir) as fresh:
            fresh.get_node(probe.label, probe.id)

    _, result.reopen_s = timed(reopen)
    say(f"  re-open + first get_node (loads the networkx mirror): {result.reopen_s:.2f} s")
    return result


@dataclass(frozen=True)
class Neo4jTarget:
    uri: str
    user: str
    password: str = field(repr=False)
    database: str

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)


@contextlib.contextmanager
def neo4j_target() -> Iterator[tuple[Neo4jTarget, bool]]:
    """The server named by ``NEO4J_URI``, else a disposable one; yields (target, disposable)."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        target = Neo4jTarget(
            uri,
            os.environ.get("NEO4J_USER") or "neo4j",
            os.environ.get("NEO4J_PASSWORD", ""),
            os.environ.get("NEO4J_DATABASE") or "neo4j",
        )
        say(
            f"neo4j: NEO4J_URI is set: using {uri}, database {target.database!r}; "
            "it WILL BE CLEARED"
        )
        yield target, False
        return
    from tests.neo4j_server import start_server

    say(
        f"neo4j: starting a disposable server (heap {SERVER_HEAP}, "
        f"page cache {SERVER_PAGECACHE}) ..."
    )
    with start_server(heap=SERVER_HEAP, pagecache=SERVER_PAGECACHE) as server:
        say(f"  up on {server.uri} in {server.started_in_s:.1f} s")
        yield Neo4jTarget(server.uri, server.user, server.password, server.database), True


def bench_neo4j(graph: GraphData, baseline_rows: int) -> StoreResult:
    with neo4j_target() as (target, disposable):
        store = Neo4jStore(target.uri, target.user, target.password, target.database)
        try:
            store.clear()
            store.init_schema()
            baseline = run_baseline(target, plan_import(graph), baseline_rows)
            seconds = import_into_empty(store, graph)
        finally:
            store.close()
    result = StoreResult(
        "neo4j", len(graph.nodes), len(graph.relationships), seconds, baseline=baseline
    )
    report_import(result)
    if result.speedup is not None:
        say(f"  batched / baseline: {result.speedup:,.1f}x")
    if disposable:
        # The stopped server is a reaped child now; the largest one is the server's JVM.
        result.server_peak_rss_mib = peak_rss_mib(resource.RUSAGE_CHILDREN)
        say(f"  server JVM peak RSS: {result.server_peak_rss_mib:,.0f} MiB")
    return result


def report_import(result: StoreResult) -> None:
    say(
        f"{result.store}: imported {result.nodes:,} nodes + {result.relationships:,} "
        f"relationships in {result.import_s:.2f} s (one transaction)"
    )
    say(
        f"  {_rate(result.nodes, result.import_s):,.0f} nodes/s, "
        f"{_rate(result.relationships, result.import_s):,.0f} relationships/s, "
        f"{result.rows_per_s:,.0f} rows/s"
    )


# --------------------------------------------------------------------------- baseline


def interleave(groups: Iterable[Iterable[T]]) -> Iterator[T]:
    """One item of each group in turn: a, b, c, a, b, c, ... (exhausted groups drop out)."""
    for row in zip_longest(*groups, fillvalue=_GAP):
        for item in row:
            if item is not _GAP:
                yield item


def pick_nodes(plan: ImportPlan, limit: int) -> list[NodeRecord]:
    """The first ``limit`` nodes, taken from every label in turn."""
    return list(islice(interleave(plan.nodes.values()), limit))


def pick_relationships(
    plan: ImportPlan, loaded: set[tuple[Label, str]], limit: int
) -> list[tuple[RelSpec, RelRecord]]:
    """Up to ``limit`` relationships between ``loaded`` nodes, every kind in turn."""
    groups = (
        (
            (spec, rel)
            for rel in rels
            if (rel.source_label, rel.source_id) in loaded
            and (rel.target_label, rel.target_id) in loaded
        )
        for spec, rels in plan.relationships.items()
    )
    return list(islice(interleave(groups), limit))


def _write_rows(tx: ManagedTransaction, statement: str, rows: list[dict[str, Any]]) -> None:
    tx.run(statement, rows=rows).consume()


def run_baseline(target: Neo4jTarget, plan: ImportPlan, limit: int) -> Baseline:
    """Load ``limit`` nodes and ``limit`` relationships, each row in its own transaction,
    with the store's statements; then clear the database again."""
    nodes = pick_nodes(plan, limit)
    rels = pick_relationships(plan, {(n.label, n.id) for n in nodes}, limit)
    work: list[tuple[str, dict[str, Any]]] = [
        (cypher.render("import/merge_nodes", label=n.label), {"id": n.id, "props": n.props})
        for n in nodes
    ]
    work += [
        (
            cypher.render(
                "import/create_relationships",
                source=spec.source,
                type=spec.type,
                target=spec.target,
            ),
            {"source": r.source_id, "target": r.target_id, "props": r.props},
        )
        for spec, r in rels
    ]
    say(
        f"neo4j baseline: {len(nodes):,} nodes + {len(rels):,} relationships, "
        "one transaction per row ..."
    )
    with (
        GraphDatabase.driver(target.uri, auth=target.auth) as driver,
        driver.session(database=target.database) as session,
    ):
        started = time.perf_counter()
        for statement, row in work:
            session.execute_write(_write_rows, statement, [row])
        seconds = time.perf_counter() - started
    baseline = Baseline(len(nodes), len(rels), seconds)
    say(f"  {baseline.rows:,} rows in {seconds:.2f} s: {baseline.rows_per_s:,.0f} rows/s")
    return baseline


# --------------------------------------------------------------------------- summary


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Plain aligned text: the first column left-aligned, the others right-aligned."""
    widths = [max(len(r[i]) for r in (headers, *rows)) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _load() -> str:
    """The 1/5/15-minute load average: other work on the machine skews every figure."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def summary(world: World, results: list[StoreResult], failures: dict[str, str]) -> str:
    headers = (
        "store",
        "nodes",
        "rels",
        "import s",
        "nodes/s",
        "rels/s",
        "rows/s",
        "baseline rows/s",
        "batched/baseline",
        "reopen s",
        "peak RSS MiB",
    )
    rows = [
        (
            r.store,
            f"{r.nodes:,}",
            f"{r.relationships:,}",
            f"{r.import_s:.2f}",
            f"{_rate(r.nodes, r.import_s):,.0f}",
            f"{_rate(r.relationships, r.import_s):,.0f}",
            f"{r.rows_per_s:,.0f}",
            _fmt(None if r.baseline is None else r.baseline.rows_per_s, ",.0f"),
            "-" if r.speedup is None else f"{r.speedup:,.1f}x",
            _fmt(r.reopen_s, ".2f"),
            f"{r.peak_rss_mib:,.0f}",
        )
        for r in results
    ]
    text = [
        "",
        f"summary ({os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {_load()}; world: {world.entities:,} entities, "
        f"validated in {world.validate_s:.2f} s)",
        _table(headers, rows),
    ]
    text += [f"{store}: FAILED: {error}" for store, error in failures.items()]
    servers = [r for r in results if r.server_peak_rss_mib is not None]
    text += [f"{r.store} server JVM peak RSS: {r.server_peak_rss_mib:,.0f} MiB" for r in servers]
    return "\n".join(text)


def write_json(
    path: Path,
    args: argparse.Namespace,
    world: World,
    results: list[StoreResult],
    failures: dict[str, str],
) -> None:
    document = {
        "benchmark": "import_world",
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_at_end": os.getloadavg(),
        },
        "args": {k: v for k, v in vars(args).items() if k != "json"},
        "world": world.figures(),
        "stores": [r.figures() for r in results],
        "failures": failures,
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- main


def _stores(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = sorted(set(names) - set(STORES))
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"choose from {', '.join(STORES)} (comma separated), not {text!r}"
        )
    return list(dict.fromkeys(names))


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.import_world",
        description="Time a whole-world import into each store (see bench/README.md).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--candidates", type=_positive, default=20_000)
    parser.add_argument("--offers", type=_positive, default=5_000)
    parser.add_argument("--courses", type=_positive, default=5_000)
    parser.add_argument("--skills", type=_positive, default=14_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--stores", type=_stores, default=list(STORES), help="comma separated: embedded,neo4j"
    )
    parser.add_argument(
        "--baseline-rows",
        type=_positive,
        default=2_000,
        help="nodes, and again relationships, for the one-row-per-transaction Neo4j baseline",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    size = WorldSize(
        candidates=args.candidates, offers=args.offers, courses=args.courses, skills=args.skills
    )
    results: list[StoreResult] = []
    failures: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="wegweiser-bench-") as tmp:
        workdir = Path(tmp)
        world = build_world(size, args.seed, workdir)
        report_world(world)
        say(f"  load average: {_load()} ({os.cpu_count()} CPUs)")
        say(f"  peak RSS so far: {peak_rss_mib():,.0f} MiB")
        for store in args.stores:
            say("")
            try:
                if store == "embedded":
                    result = bench_embedded(world.graph, workdir)
                else:
                    result = bench_neo4j(world.graph, args.baseline_rows)
            except Exception as e:
                failures[store] = f"{type(e).__name__}: {e}"
                say(f"{store}: FAILED: {failures[store]}")
                continue
            result.peak_rss_mib = peak_rss_mib()
            say(f"  peak RSS of this process: {result.peak_rss_mib:,.0f} MiB")
            results.append(result)
    say(summary(world, results, failures))
    if args.json is not None:
        write_json(args.json, args, world, results, failures)
        say(f"figures written to {args.json}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
