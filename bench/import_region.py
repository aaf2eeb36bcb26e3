"""Region import benchmark: a scale world (JSON Lines) into each store, in its own process.

What is measured, and why
-------------------------
The issue's target: a region-scale world (30,000 job seekers, 5,000 offers, 7,000 courses
and the full ESCO taxonomy) must import into the embedded store within 2 GB RSS. Memory
of one process only grows (``ru_maxrss``), so every measured step runs in a SUBPROCESS of
its own and reports its own peak:

* ``generate``: ``importers.scale`` writes the world to a temporary ``.jsonl``: entities/s
  and peak RSS — the in-run baseline for the import rates (how fast entities can be made
  and serialised at all);
* ``import`` per store: ``wegweiser import world FILE.jsonl`` as the CLI runs it
  (``graph.world.import_world`` → line-by-line check → ``import_batches``, one
  transaction): wall time, entities/s, rows/s (nodes + relationships) and peak RSS;
* ``import-json`` (embedded): the same world as ONE JSON document through the document
  path (parse whole, validate whole, ``import_graph``) — the baseline for memory and time;
* ``mirror`` (embedded): a fresh process opens the store and answers one ``get_node``,
  which loads the networkx mirror of the whole graph: the RSS a serving process needs.

``--generator-only N`` instead runs the generator alone for N/10 and N job seekers (offers
and courses scaled alike), writing to a temporary file, to show that its memory stays flat.

Neo4j is chosen as in ``bench.import_world`` (``NEO4J_URI`` … is used and CLEARED, else a
disposable server). Run from the repository root:
``.venv/bin/python -m bench.import_region --help``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.import_world import _load, _table, neo4j_target, say

STORES = ("embedded", "neo4j")
LIMIT_MIB = 2048


# --------------------------------------------------------------------------- children


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_generate(args: argparse.Namespace) -> dict[str, Any]:
    from importers.scale import ScaleSize, scale_context, write_scale_world

    started = time.perf_counter()
    ctx = scale_context(
        ScaleSize(args.candidates, args.offers, args.courses), seed=args.seed, esco=args.esco
    )
    context_s = time.perf_counter() - started
    counts, size = write_scale_world(Path(args.file), ctx)
    seconds = time.perf_counter() - started
    entities = sum(counts.values())
    return {
        "entities": entities,
        "seconds": seconds,
        "context_s": context_s,
        "entities_per_s": entities / seconds,
        "file_bytes": size,
        "taxonomy": ctx.taxonomy.source,
        "counts": counts,
        "peak_rss_mib": _peak_mib(),
    }


def child_import(args: argparse.Namespace) -> dict[str, Any]:
    from graph.stores import StoreSettings, open_store
    from graph.world import import_world

    settings = StoreSettings.from_env(kind=args.store, data_dir=Path(args.data))
    with open_store(settings) as store:
        store.clear()
        store.init_schema()
        started = time.perf_counter()
        report = import_world(store, Path(args.file))
        seconds = time.perf_counter() - started
        stored = sum(store.counts().values())
    if stored != report.nodes:
        raise RuntimeError(f"{args.store}: {stored} nodes stored, {report.nodes} imported")
    entities = sum(report.entities.values())
    rows = report.nodes + report.relationships
    return {
        "entities": entities,
        "nodes": report.nodes,
        "relationships": report.relationships,
        "seconds": seconds,
        "entities_per_s": entities / seconds,
        "rows_per_s": rows / seconds,
        "peak_rss_mib": _peak_mib(),
    }


def child_mirror(args: argparse.Namespace) -> dict[str, Any]:
    from graph.model import Label
    from graph.stores.embedded import EmbeddedStore

    started = time.perf_counter()
    with EmbeddedStore(Path(args.data)) as store:
        store.get_node(Label.CANDIDATE, args.probe)
    return {"seconds": time.perf_counter() - started, "peak_rss_mib": _peak_mib()}


CHILDREN = {"generate": child_generate, "import": child_import, "mirror": child_mirror}


def run_child(kind: str, options: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one measured step in a fresh interpreter and return its figures."""
    command = [sys.executable, "-m", "bench.import_region", "--child", kind, *options]
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- the run


def size_options(args: argparse.Namespace, scale: float = 1.0) -> list[str]:
    options = [
        "--candidates", str(int(args.candidates * scale)),
        "--offers", str(int(args.offers * scale)),
        "--courses", str(int(args.courses * scale)),
        "--seed", str(args.seed),
    ]  # fmt: skip
    return options + (["--esco", args.esco] if args.esco else [])


def region(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {"load_start": _load(), "stores": {}}
    lines = workdir / "region.jsonl"
    say(
        f"generating the region world ({args.candidates:,} candidates, {args.offers:,} offers, "
        f"{args.courses:,} courses) ..."
    )
    gen = run_child("generate", [*size_options(args), "--file", str(lines)])
    figures["generate"] = gen
    say(
        f"  {gen['entities']:,} entities ({gen['file_bytes'] / 2**20:,.1f} MiB) in "
        f"{gen['seconds']:.1f} s: {gen['entities_per_s']:,.0f} entities/s, "
        f"peak RSS {gen['peak_rss_mib']:,.0f} MiB ({gen['taxonomy']})"
    )
    probe = "p-00000001"
    for store in args.stores:
        try:
            if store == "embedded":
                figures["stores"]["embedded"] = bench_embedded(args, workdir, lines, probe)
            else:
                figures["stores"]["neo4j"] = bench_neo4j(lines)
        except RuntimeError as e:
            say(f"{store}: FAILED: {e}")
            figures["stores"][store] = {"error": str(e)}
    figures["load_end"] = _load()
    return figures


def bench_embedded(args: argparse.Namespace, workdir: Path, lines: Path, probe: str) -> dict:
    data = workdir / "embedded"
    say("embedded: importing the .jsonl in a fresh process ...")
    result = run_child("import", ["--store", "embedded", "--data", str(data), "--file", str(lines)])
    report("embedded", result)
    mirror = run_child("mirror", ["--data", str(data), "--probe", probe])
    say(
        f"  re-open + first get_node (loads the networkx mirror): {mirror['seconds']:.1f} s, "
        f"peak RSS {mirror['peak_rss_mib']:,.0f} MiB"
    )
    result["mirror"] = mirror
    document = workdir / "region.json"
    say("embedded baseline: the same world as one JSON document ...")
    try:
        run_child("generate", [*size_options(args), "--file", str(document)])
    except RuntimeError as e:
        say(f"  skipped: {e}")
        return result
    baseline = run_child(
        "import", ["--store", "embedded", "--data", str(workdir / "json"), "--file", str(document)]
    )
    report("embedded (JSON document)", baseline)
    result["json_document"] = baseline
    result["jsonl_over_json_rows_per_s"] = result["rows_per_s"] / baseline["rows_per_s"]
    result["jsonl_over_json_rss"] = result["peak_rss_mib"] / baseline["peak_rss_mib"]
    return result


def bench_neo4j(lines: Path) -> dict:
    with neo4j_target() as (target, disposable):
        env = {
            "NEO4J_URI": target.uri,
            "NEO4J_USER": target.user,
            "NEO4J_PASSWORD": target.password,
            "NEO4J_DATABASE": target.database,
        }
        say("neo4j: importing the .jsonl in a fresh process ...")
        result = run_child("import", ["--store", "neo4j", "--data", "-", "--file", str(lines)], env)
    report("neo4j", result)
    if disposable:
        result["server_peak_rss_mib"] = (
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        )
        say(f"  largest child so far (the server JVM): {result['server_peak_rss_mib']:,.0f} MiB")
    return result


def report(name: str, result: dict[str, Any]) -> None:
    say(
        f"  {name}: {result['entities']:,} entities → {result['nodes']:,} nodes + "
        f"{result['relationships']:,} relationships in {result['seconds']:.1f} s "
        f"(one transaction): {result['entities_per_s']:,.0f} entities/s, "
        f"{result['rows_per_s']:,.0f} rows/s, peak RSS {result['peak_rss_mib']:,.0f} MiB"
    )


def generator_only(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    runs = []
    for scale in (0.1, 1.0):
        n = int(args.generator_only * scale)
        ratio = n / args.candidates
        sized = argparse.Namespace(**{**vars(args), "candidates": n})
        sized.offers, sized.courses = int(args.offers * ratio), int(args.courses * ratio)
        say(f"generator only: {n:,} candidates ...")
        out = workdir / f"gen-{n}.jsonl.gz"
        result = run_child("generate", [*size_options(sized), "--file", str(out)])
        out.unlink()
        result["candidates"] = n
        say(
            f"  {result['entities']:,} entities in {result['seconds']:.1f} s: "
            f"{result['entities_per_s']:,.0f} entities/s, {result['file_bytes'] / 2**20:,.0f} MiB "
            f"gzip'ed, peak RSS {result['peak_rss_mib']:,.0f} MiB"
        )
        runs.append(result)
    return {"load_start": _load(), "runs": runs}


def summary(figures: dict[str, Any]) -> str:
    rows = []
    gen = figures["generate"]
    rows.append(
        ["generate (baseline)", f"{gen['entities']:,}", "-", f"{gen['seconds']:.1f}",
         f"{gen['entities_per_s']:,.0f}", "-", f"{gen['peak_rss_mib']:,.0f}"]
    )  # fmt: skip
    for store, result in figures["stores"].items():
        if "error" in result:
            rows.append([store, "failed", "", "", "", "", ""])
            continue
        named = [(f"{store} .jsonl", result)]
        if "json_document" in result:
            named.append((f"{store} .json (baseline)", result["json_document"]))
        for name, r in named:
            rows.append(
                [name, f"{r['entities']:,}", f"{r['nodes'] + r['relationships']:,}",
                 f"{r['seconds']:.1f}", f"{r['entities_per_s']:,.0f}", f"{r['rows_per_s']:,.0f}",
                 f"{r['peak_rss_mib']:,.0f}"]
            )  # fmt: skip
        if "mirror" in result:
            m = result["mirror"]
            rows.append(
                [f"{store} mirror load", "", "", f"{m['seconds']:.1f}", "", "",
                 f"{m['peak_rss_mib']:,.0f}"]
            )  # fmt: skip
    headers = ("step", "entities", "rows", "seconds", "entities/s", "rows/s", "peak RSS MiB")
    return _table(headers, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_region", description=__doc__)
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--candidates", type=int, default=30_000)
    parser.add_argument("--offers", type=int, default=5_000)
    parser.add_argument("--courses", type=int, default=7_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--esco", default=None, help="ESCO CSV folder or 'slice'")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--generator-only", type=int, metavar="N", help="run only the generator, N/10 and N"
    )
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](args)))
        return 0
    args.stores = [s for s in args.stores.split(",") if s]
    unknown = set(args.stores) - set(STORES)
    if unknown:
        parser.error(f"unknown store(s): {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="wegweiser-region-") as tmp:
        if args.generator_only:
            figures = generator_only(args, Path(tmp))
            first, last = figures["runs"]
            say(
                f"\npeak RSS {first['peak_rss_mib']:,.0f} MiB for {first['candidates']:,} "
                f"candidates, {last['peak_rss_mib']:,.0f} MiB for {last['candidates']:,}"
            )
        else:
            figures = region(args, Path(tmp))
            say("\n" + summary(figures))
            embedded = figures["stores"].get("embedded", {})
            peaks = [
                embedded.get("peak_rss_mib", 0),
                embedded.get("mirror", {}).get("peak_rss_mib", 0),
            ]
            if embedded and "error" not in embedded:
                verdict = "within" if max(peaks) < LIMIT_MIB else "OVER"
                say(f"embedded import and mirror load: {verdict} the {LIMIT_MIB} MiB limit")
            say(f"load average: start {figures['load_start']}, end {figures['load_end']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
