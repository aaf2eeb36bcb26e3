"""Web load benchmark: the advisor's busiest pages under 20 concurrent users, per store.

What is measured, and why
-------------------------
The app is served the way production serves it: gunicorn with N worker processes
(``gthread`` workers, T threads each) on loopback, all sharing one store and one secret
key. The demo district of Kreis Heinsberg (``importers.demo``, the data of ``make run``)
is imported into each store with the demo logins (``cli.users.create_demo_users``).
Then U users (default 20) log in as the demo advisor, each with its own session, and
every user loops over one page at a time for a fixed time, with the next request sent
as soon as the last answer is read (a closed loop, no think time):

* ``static``: ``/static/wegweiser.css``, the baseline: a static file of the same app,
  measured in the same run, through the same server, clients and network stack;
* ``candidate``: an advisor's candidate profile (skills, tools, languages, casework);
* ``route``: the training route to an offer (planner + route picture + timeline);
* ``match``: the list of matching offers for a candidate (matching + routes);
* ``healthz``: ``/healthz`` (one ``counts()`` on the store), for reference.

Each user rotates through several candidates (and their best-needing offers), so the
figures are not one cached answer. Per page: requests/s (completed answers divided by
the wall time), p50 and p95 latency (ms), errors (anything but 200), and the ratio of
requests/s to the static baseline's. The load generator is plain Python (threads with
``requests`` sessions) on the same machine, so on a small machine it competes with the
server for the cores: the static baseline shows where that ceiling lies.

Neo4j: with ``NEO4J_URI`` set that database is used and CLEARED; otherwise a disposable
server is started from the cached jars (``tests.neo4j_server``) and stopped at the end.

Run from the repository root: ``.venv/bin/python -m bench.web_load --help`` (needs the
``bench`` extra: ``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests

STORES = ("embedded", "neo4j")
PAGES = ("static", "candidate", "route", "match", "healthz")
TARGET_P95_MS = 200.0
TARGET_ROUTE_RPS = 150.0
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ROOT = Path(__file__).resolve().parent.parent


def say(text: str) -> None:
    print(text, flush=True)


# --------------------------------------------------------------------------- figures


@dataclass
class PageResult:
    page: str
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    ratio_to_static: float | None = None


@dataclass
class StoreRun:
    store: str
    workers: int
    threads: int
    users: int
    seconds_per_page: float
    setup_s: float
    pages: list[PageResult] = field(default_factory=list)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Targets:
    """What the users request: candidates of the advisor and (candidate, offer) pairs."""

    email: str
    password: str
    candidates: list[str]
    routes: list[tuple[str, str]]


def seed(store: Any, work: Path, pairs: int) -> Targets:
    """Import the demo district and the demo logins; pick what the users will request."""
    from cli.users import create_demo_users
    from graph.matching import match_offers
    from graph.world import import_world
    from importers.demo import write_demo_world

    world_file = work / "demo_world.json"
    write_demo_world(world_file)
    store.init_schema()
    import_world(store, world_file)
    logins = {login.role: login for login in create_demo_users(store, world_file)}
    advisor = store.user_by_email(logins["advisor"].email)
    world = json.loads(world_file.read_text(encoding="utf-8"))
    own = [c["id"] for c in world["candidates"] if c.get("organization") == advisor.organization]
    routes: list[tuple[str, str]] = []
    for candidate in own[:pairs]:
        # the best offer that needs courses with dates, else the best offer at all
        matches = match_offers(store, candidate, limit=3)
        needing = [m for m in matches if m.route and m.route.best and m.route.best.schedule]
        if needing or matches:
            routes.append((candidate, (needing or matches)[0].offer.id))
    if not routes:
        raise SystemExit("the demo district has no candidate that needs courses for an offer")
    return Targets(logins["advisor"].email, logins["advisor"].password, own[:pairs], routes)


def urls(targets: Targets) -> dict[str, list[str]]:
    return {
        "static": ["/static/wegweiser.css"],
        "healthz": ["/healthz"],
        "candidate": [f"/advisor/candidates/{c}" for c in targets.candidates],
        "route": [f"/advisor/candidates/{c}/offers/{o}/route" for c, o in targets.routes],
        "match": [f"/advisor/candidates/{c}/offers" for c, _ in targets.routes],
    }


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, threads: int, log: Path) -> Iterator[str]:
    """gunicorn serving ``web:create_app()`` on a free loopback port; yields its URL."""
    exe = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which(
        "gunicorn"
    )
    if exe is None:
        raise SystemExit("gunicorn is not installed: pip install -e '.[bench]'")
    port = free_port()
    command = [
        exe,
        "--workers", str(workers),
        "--worker-class", "gthread",
        "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}",
        "--backlog", "256",
        "--timeout", "120",
        "--log-level", "warning",
        "web:create_app()",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out,
            start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{log.read_text()[-2000:]}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer in 120 s:\n{log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --------------------------------------------------------------------------- load


def login(url: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{url}/login", timeout=60).text
    token = CSRF.search(page)
    if token is None:
        raise SystemExit("no CSRF token on /login")
    answer = session.post(
        f"{url}/login",
        data={"csrf_token": token.group(1), "email": email, "password": password, "next": ""},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302:
        raise SystemExit(f"login failed: HTTP {answer.status_code}")
    return session


def hammer(
    url: str, sessions: list[requests.Session], paths: list[str], seconds: float, warmup: float
) -> tuple[list[float], int, float]:
    """Every session loops over ``paths`` (each starting at another one). Requests sent
    in the ``seconds`` after ``warmup`` are measured, and each runs to its end, so a page
    slower than the window still counts; the wall time runs from the window's start to
    the last measured answer. Returns the latencies, the error count and that wall time."""
    start_at = time.monotonic() + warmup
    stop_at = start_at + seconds
    latencies: list[list[float]] = [[] for _ in sessions]
    errors = [0] * len(sessions)
    last_end = [start_at] * len(sessions)
    barrier = threading.Barrier(len(sessions))

    def user(i: int, session: requests.Session) -> None:
        barrier.wait()
        n = i
        while True:
            path = paths[n % len(paths)]
            n += 1
            t0 = time.monotonic()
            if t0 >= stop_at:
                return
            try:
                answer = session.get(f"{url}{path}", timeout=120)
                answer.content  # noqa: B018 - read the whole body
                ok = answer.status_code == 200
            except requests.RequestException:
                ok = False
            t1 = time.monotonic()
            if t0 >= start_at:
                latencies[i].append(t1 - t0)
                last_end[i] = max(last_end[i], t1)
                if not ok:
                    errors[i] += 1

    threads = [
        threading.Thread(target=user, args=(i, s), daemon=True) for i, s in enumerate(sessions)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [x for per in latencies for x in per], sum(errors), max(last_end) - start_at


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def measure(
    url: str, targets: Targets, users: int, seconds: float, warmup: float, pages: list[str]
) -> list[PageResult]:
    say(f"  logging in {users} users ...")
    sessions = [login(url, targets.email, targets.password) for _ in range(users)]
    paths = urls(targets)
    results: list[PageResult] = []
    for name in pages:
        latencies, errors, wall = hammer(url, sessions, paths[name], seconds, warmup)
        result = PageResult(
            page=name,
            requests=len(latencies),
            errors=errors,
            seconds=wall,
            rps=len(latencies) / wall if wall > 0 else 0.0,
            p50_ms=1000 * percentile(latencies, 50),
            p95_ms=1000 * percentile(latencies, 95),
        )
        results.append(result)
        say(
            f"  {name:<10} {result.rps:>8.1f} req/s   p50 {result.p50_ms:>7.1f} ms   "
            f"p95 {result.p95_ms:>7.1f} ms   {result.requests} requests, {errors} errors"
        )
    static = next((r for r in results if r.page == "static"), None)
    if static and static.rps:
        for r in results:
            r.ratio_to_static = r.rps / static.rps
    for s in sessions:
        s.close()
    return results


# --------------------------------------------------------------------------- stores


@contextlib.contextmanager
def neo4j_env() -> Iterator[dict[str, str]]:
    if os.environ.get("NEO4J_URI"):
        say(f"neo4j: NEO4J_URI is set: using {os.environ['NEO4J_URI']}; it WILL BE CLEARED")
        yield {
            "NEO4J_URI": os.environ["NEO4J_URI"],
            "NEO4J_USER": os.environ.get("NEO4J_USER") or "neo4j",
            "NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", ""),
            "NEO4J_DATABASE": os.environ.get("NEO4J_DATABASE") or "neo4j",
        }
        return
    from tests.neo4j_server import start_server

    say("neo4j: starting a disposable server (heap 2g, page cache 512m) ...")
    with start_server(heap="2g", pagecache="512m") as server:
        say(f"  up on {server.uri} in {server.started_in_s:.1f} s")
        yield server.env()


def run_store(kind: str, args: argparse.Namespace, work: Path) -> StoreRun:
    from graph.stores import StoreSettings, open_store

    say(f"{kind}: importing the demo district ...")
    data = work / kind
    data.mkdir()
    with contextlib.ExitStack() as stack:
        env = {
            "WEGWEISER_STORE": kind,
            "WEGWEISER_DATA": str(data / "data"),
            "WEGWEISER_SECRET_KEY": secrets.token_hex(32),
        }
        if kind == "neo4j":
            env.update(stack.enter_context(neo4j_env()))
        t0 = time.perf_counter()
        with contextlib.ExitStack() as inner:
            saved = {k: os.environ.get(k) for k in env}
            os.environ.update(env)
            inner.callback(_restore, saved)
            store = open_store(StoreSettings.from_env())
            inner.callback(store.close)
            if kind == "neo4j":
                store.clear()
            targets = seed(store, data, args.pairs)
        setup = time.perf_counter() - t0
        say(
            f"  seeded in {setup:.1f} s: {len(targets.candidates)} candidates, "
            f"{len(targets.routes)} (candidate, offer) routes"
        )
        say(f"  gunicorn: {args.workers} workers × {args.threads} threads")
        with gunicorn(env, args.workers, args.threads, data / "gunicorn.log") as url:
            pages = measure(url, targets, args.users, args.seconds, args.warmup, args.pages)
    return StoreRun(kind, args.workers, args.threads, args.users, args.seconds, setup, pages)


def _restore(saved: dict[str, str | None]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


# --------------------------------------------------------------------------- report


def report(runs: list[StoreRun]) -> None:
    say("")
    say(f"{'store':<9}{'page':<11}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'× static':>10}")
    for run in runs:
        for p in run.pages:
            ratio = "" if p.ratio_to_static is None else f"{p.ratio_to_static:.3f}"
            say(f"{run.store:<9}{p.page:<11}{p.rps:>9.1f}{p.p50_ms:>9.1f}{p.p95_ms:>9.1f}{ratio:>10}")
    for run in runs:
        if run.store != "neo4j":
            continue
        route = next((p for p in run.pages if p.page == "route"), None)
        if route is None:
            continue
        met = route.p95_ms <= TARGET_P95_MS and route.rps >= TARGET_ROUTE_RPS
        say(
            f"target (route page on Neo4j: p95 ≤ {TARGET_P95_MS:.0f} ms and ≥ "
            f"{TARGET_ROUTE_RPS:.0f} req/s): {'met' if met else 'NOT met'} "
            f"({route.p95_ms:.0f} ms, {route.rps:.1f} req/s)"
        )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stores", default=",".join(STORES), help="comma list [%(default)s]")
    parser.add_argument(
        "--workers", type=int, default=2 * cores + 1, help="gunicorn workers [%(default)s]"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per worker [%(default)s]")
    parser.add_argument("--users", type=int, default=20, help="concurrent users [%(default)s]")
    parser.add_argument("--seconds", type=float, default=15, help="per page [%(default)s]")
    parser.add_argument("--warmup", type=float, default=3, help="per page [%(default)s]")
    parser.add_argument("--pairs", type=int, default=20, help="candidates rotated [%(default)s]")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma list [%(default)s]")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    args.stores = [s for s in args.stores.split(",") if s]
    args.pages = [p for p in args.pages.split(",") if p]
    unknown = [s for s in args.stores if s not in STORES] + [
        p for p in args.pages if p not in PAGES
    ]
    if unknown:
        parser.error(f"unknown store or page: {', '.join(unknown)}")
    if "static" in args.pages:  # the baseline first, so every ratio has it
        args.pages = ["static", *[p for p in args.pages if p != "static"]]
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    say(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {args.users} users, {args.seconds:.0f} s per page "
        f"after {args.warmup:.0f} s warm-up"
    )
    runs = []
    with tempfile.TemporaryDirectory(prefix="wegweiser-web-load-") as tmp:
        for kind in args.stores:
            runs.append(run_store(kind, args, Path(tmp)))
    report(runs)
    if args.json:
        args.json.write_text(
            json.dumps([asdict(r) for r in runs], indent=2) + "\n", encoding="utf-8"
        )
        say(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
