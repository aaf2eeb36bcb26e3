"""Routes and matching benchmark: how long does an advisor wait for an answer?

What is measured, and why
-------------------------
The advisor's two questions are "which courses close this gap, fastest?"
(``graph.routes.route_for``) and "which offers fit this person / which people fit this
offer?" (``graph.matching.match_offers`` / ``match_candidates``). Both run on either store
and both call the exact route planner, whose search grows with the size of the gap. This
benchmark measures, on each store, in one run:

1. **Routes.** Two synthetic worlds with catalogues of (by default) 1,000 and 5,000
   courses. The synthetic offers ask for at most six skills, two tools and German, so
   their gaps stop at about 7–9 missing items (the run prints how many reach 5 and the
   largest). To cover 5–30 the benchmark adds *gap offers* to the generated document
   before import: one per pair, with 5–30 essential skill requirements (spread evenly
   over that range), a run of neighbouring skill ids (one to four occupational domains of
   the synthetic world) among the skills that an entry course (a course without
   prerequisites) teaches up to the required level, plus German A1, which every
   synthetic candidate has. The route for ``weeks`` is then always feasible. The
   generated courses start on up to four days in 2027; a route of 5–30 courses taken one
   after another cannot fit into one year, so in these worlds every course's start days
   recur every year up to 2036. For each gap offer one candidate is drawn at random whose
   essential gap (``skill_gap(...).missing_essential``) has 5–30 items. Timed: one
   ``route_for(store, candidate, offer, objective=..., alternatives=0)`` end to end
   (profiles, the store's path query for the relevant courses, the search), for both
   objectives. Before timing, each store answers one untimed path query per pair: right
   after an import Neo4j plans the query again and its first calls take seconds (noted).
   *Baseline* (same pairs, same run, store-independent): ``plan_route`` handed the WHOLE
   catalogue as ``CourseOption``s built from the world document, i.e. without the store's
   path query. ``plan_route`` still prunes to the relevant courses itself before its
   search, so this baseline is NOT an unpruned search: it measures the path query against
   the planner's own in-memory pruning (plus its reachability check over the whole
   catalogue). An honest unpruned baseline, the *exhaustive* search (every ordered
   subset of the relevant courses via ``itertools.permutations``), is only possible on
   small instances: pairs of the synthetic offers with 1–3 missing items and at most 8
   relevant courses. It is timed against ``plan_route`` on the same courses and against
   ``route_for``, and its answers are checked against the planner's.
2. **Matching** at region scale (30,000 candidates, 5,000 offers and courses by default):
   ``match_offers`` and ``match_candidates`` (limit 20) for random subjects. *Baseline*:
   a naive full scan, the same store's ``offer_profiles()`` / ``candidate_profiles()``
   scored pair by pair with ``skill_gap`` + ``fit_score``, sorted, top 20, no routes. The
   scan's ranking also tells how many pairs the real call has to route (the tie groups of
   the first three ranking keys that reach into the top 20), printed as *routed pairs*.
3. **Throughput** on the bundled sample district: for every candidate, the top 3 offers of
   ``match_offers``; routes per second, one process, for both objectives.

Every timed call runs under a time limit (SIGALRM). The limit never interrupts a store
call: the store is wrapped so that a limit expiring inside a query takes effect when the
query returns (a Bolt connection is never left half-read). A call over the limit counts
as ">limit" in the percentiles; percentiles are nearest-rank, so a p95 shown as ">2000"
means at least 5 % of the calls were stopped at 2 s. The planner has a limit of its own:
a search that expands too many states raises ``RouteSearchTooLarge``. That is an answer
(an error the advisor sees), so its time counts as measured and the call as *gave up*.
A call that was stopped or gave up is not repeated: its figure stands for each
repetition.

Neo4j: with ``NEO4J_URI`` set (and ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``)
that database is used and CLEARED; otherwise a disposable server is started from the
cached jars (``tests.neo4j_server``) and stopped at the end.

Run from the repository root: ``.venv/bin/python -m bench.routes_and_matching --help``.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import cProfile
import datetime as dt
import io
import json
import logging
import math
import os
import platform
import pstats
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby, permutations
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar, cast

from bench.import_world import neo4j_target, peak_rss_mib, say, timed
from graph.gap import skill_gap
from graph.matching import distance_km, fit_score, match_candidates, match_offers
from graph.model import cefr_rank
from graph.planning import CourseOption, Item, RoutePlan, plan_route
from graph.planning.planner import RouteSearchTooLarge
from graph.profiles import CandidateProfile, OfferProfile
from graph.routes import RouteReport, candidate_state, route_for
from graph.store import GraphStore
from graph.stores.embedded import EmbeddedStore
from graph.stores.neo4j_store import Neo4jStore
from graph.world import import_world
from importers.synthetic import WorldSize, synthetic_world

T = TypeVar("T")

STORES = ("embedded", "neo4j")
OBJECTIVES = ("weeks", "ready_date")
PARTS = ("routes", "matching", "throughput")
START = dt.date(2027, 1, 1)
LAST_START_YEAR = 2036
MISSING_RANGE = (5, 30)
BRUTE_MAX_MISSING = 3
BRUTE_MAX_COURSES = 8
SMALL_SCANNED = 500
MATCH_LIMIT = 20
SAMPLE_WORLD = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"
GAP_BUCKETS = ((5, 9), (10, 14), (15, 30))

FULL = {
    "catalogues": (1_000, 5_000),
    "route_candidates": 1_000,
    "route_offers": 200,
    "route_skills": 14_000,
    "route_pairs": 12,
    "route_timeout": 2.0,
    "brute_pairs": 8,
    "brute_timeout": 20.0,
    "candidates": 30_000,
    "offers": 5_000,
    "courses": 5_000,
    "skills": 14_000,
    "subjects": 10,
    "match_timeout": 10.0,
    "repeat": 3,
}
QUICK = {
    "catalogues": (1_000, 2_000),
    "route_candidates": 300,
    "route_offers": 60,
    "route_skills": 14_000,
    "route_pairs": 4,
    "route_timeout": 1.0,
    "brute_pairs": 3,
    "brute_timeout": 10.0,
    "candidates": 2_000,
    "offers": 300,
    "courses": 500,
    "skills": 14_000,
    "subjects": 3,
    "match_timeout": 5.0,
    "repeat": 1,
}


# --------------------------------------------------------------------------- time limits


class CallTimeout(Exception):
    """A timed call ran past its limit."""


class Guard:
    """A SIGALRM time limit that never fires inside a store call (see ``GuardedStore``)."""

    def __init__(self) -> None:
        self.in_store = False
        self.expired = False

    def _alarm(self, signum: int, frame: FrameType | None) -> None:
        if self.in_store:
            self.expired = True  # raised by GuardedStore when the query returns
        else:
            raise CallTimeout

    @contextlib.contextmanager
    def limit(self, seconds: float) -> Iterator[None]:
        self.expired = False
        previous = signal.signal(signal.SIGALRM, self._alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            self.expired = False


class GuardedStore:
    """Delegates to a store; a limit that expires during a store call raises after it."""

    def __init__(self, store: GraphStore, guard: Guard) -> None:
        self._store = store
        self._guard = guard

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name.startswith("_") or not callable(attr):
            return attr
        guard = self._guard

        def call(*args: Any, **kwargs: Any) -> Any:
            guard.in_store = True
            try:
                return attr(*args, **kwargs)
            finally:
                guard.in_store = False
                if guard.expired:
                    raise CallTimeout

        return call


@dataclass(frozen=True)
class Abandoned:
    """A call that raised: the planner gave up (``RouteSearchTooLarge``, an expected error
    the advisor sees) or something broke (unexpected: a bug, reported in the summary)."""

    message: str
    expected: bool


def run_limited(
    work: Callable[[], T], seconds: float, guard: Guard
) -> tuple[T | Abandoned | None, float]:
    """(result, seconds); (None, inf) when the call ran past ``seconds``; (Abandoned,
    seconds) when it raised."""
    started = time.perf_counter()
    try:
        with guard.limit(seconds):
            result: T | Abandoned = work()
    except CallTimeout:
        return None, math.inf
    except RouteSearchTooLarge as e:
        result = Abandoned(str(e), expected=True)
    except Exception as e:
        result = Abandoned(f"{type(e).__name__}: {e}", expected=False)
    return result, time.perf_counter() - started


def repeat_limited(
    work: Callable[[], T], repeat: int, seconds: float, guard: Guard
) -> tuple[list[float], T | Abandoned | None]:
    """Seconds of ``repeat`` calls and the last result. A call that was stopped or gave up
    is not repeated (the search is deterministic): its figure stands for every repetition."""
    times: list[float] = []
    result: T | Abandoned | None = None
    while len(times) < repeat:
        result, took = run_limited(work, seconds, guard)
        if result is None or isinstance(result, Abandoned):
            times += [took] * (repeat - len(times))
            break
        times.append(took)
    return times, result


# --------------------------------------------------------------------------- figures


@dataclass
class Samples:
    """Seconds per call; ``inf`` marks a call stopped at ``limit``."""

    limit: float | None = None
    seconds: list[float] = field(default_factory=list)
    gave_up: int = 0
    """Calls answered with ``RouteSearchTooLarge`` (their seconds are in ``seconds``)."""
    errors: list[str] = field(default_factory=list)
    """Unexpected exceptions, one entry per call (their seconds are in ``seconds``)."""

    def add(self, value: float, result: object = None) -> None:
        self.extend([value], result)

    def extend(self, values: Sequence[float], result: object = None) -> None:
        self.seconds.extend(values)
        if isinstance(result, Abandoned):
            if result.expected:
                self.gave_up += len(values)
            else:
                self.errors += [result.message] * len(values)

    @property
    def timed_out(self) -> int:
        return sum(math.isinf(s) for s in self.seconds)

    def pct(self, p: float) -> float | None:
        """Nearest-rank percentile in seconds (``inf`` if it falls on a stopped call)."""
        if not self.seconds:
            return None
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def ms(self, p: float) -> str:
        value = self.pct(p)
        if value is None:
            return "-"
        if math.isinf(value):
            return f">{(self.limit or 0) * 1000:,.0f}"
        return f"{value * 1000:,.1f}" if value < 10 else f"{value * 1000:,.0f}"

    def figures(self) -> dict[str, Any]:
        p50, p95 = self.pct(50), self.pct(95)
        return {
            "calls": len(self.seconds),
            "timed_out": self.timed_out,
            "gave_up": self.gave_up,
            "errors": self.errors,
            "limit_s": self.limit,
            "p50_ms": _ms_or_none(p50),
            "p95_ms": _ms_or_none(p95),
            "seconds": [None if math.isinf(s) else s for s in self.seconds],
        }


def _ms_or_none(seconds: float | None) -> float | None:
    return None if seconds is None or math.isinf(seconds) else seconds * 1000


def ratio(baseline: Samples, measured: Samples) -> str:
    """Baseline p50 over measured p50 (>1: the measured call is faster), bounded when
    either p50 is a stopped call."""
    base, real = baseline.pct(50), measured.pct(50)
    if base is None or real is None:
        return "-"
    if math.isinf(base) and math.isinf(real):
        return "?"
    if math.isinf(real):
        return f"<{base / (measured.limit or 1):.2f}x"
    if math.isinf(base):
        return f">{(baseline.limit or 0) / real:,.1f}x"
    return f"{base / real:,.2f}x" if base / real < 100 else f"{base / real:,.0f}x"


@dataclass(frozen=True)
class Pair:
    candidate: str
    offer: str
    missing: int


@dataclass
class RouteRow:
    store: str
    courses: int
    objective: str
    pairs: list[Pair]
    samples: Samples
    feasible: int = 0
    baseline: Samples = field(default_factory=Samples)
    per_pair: list[tuple[list[float], object]] = field(default_factory=list)


@dataclass
class BruteRow:
    method: str
    objective: str
    samples: Samples


@dataclass
class MatchRow:
    store: str
    call: str
    samples: Samples
    baseline: Samples
    routed: list[int] = field(default_factory=list)


@dataclass
class ThroughputRow:
    store: str
    objective: str
    pairs: int
    samples: Samples

    @property
    def routes_per_s(self) -> float:
        total = sum(self.samples.seconds)
        return len(self.samples.seconds) / total if total > 0 else 0.0


@dataclass
class Results:
    machine: dict[str, Any]
    load_start: tuple[float, ...]
    notes: list[str] = field(default_factory=list)
    imports: list[tuple[str, str, float]] = field(default_factory=list)
    routes: list[RouteRow] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    brute: list[BruteRow] = field(default_factory=list)
    brute_instances: int = 0
    brute_courses: list[int] = field(default_factory=list)
    brute_agree: int = 0
    brute_checked: int = 0
    matching: list[MatchRow] = field(default_factory=list)
    throughput: list[ThroughputRow] = field(default_factory=list)
    peak_rss: list[tuple[str, float]] = field(default_factory=list)
    server_peak_rss_mib: float | None = None
    failures: dict[str, str] = field(default_factory=dict)
    profiles: dict[str, str] = field(default_factory=dict)

    def rss(self, after: str) -> None:
        self.peak_rss.append((after, peak_rss_mib()))


# --------------------------------------------------------------------------- stores


class StoreFactory:
    """Fresh, empty stores of each kind; one Neo4j server (or database) for the whole run."""

    def __init__(self, workdir: Path, stack: contextlib.ExitStack) -> None:
        self.workdir = workdir
        self.stack = stack
        self.disposable_server = False
        self._target: Any = None
        self._opened = 0

    def open(self, kind: str) -> GraphStore:
        self._opened += 1
        if kind == "embedded":
            store: GraphStore = EmbeddedStore(self.workdir / f"embedded-{self._opened}")
        else:
            if self._target is None:
                self._target, self.disposable_server = self.stack.enter_context(neo4j_target())
            t = self._target
            store = Neo4jStore(t.uri, t.user, t.password, t.database)
        store.clear()
        store.init_schema()
        return store

    def close(self, store: GraphStore) -> None:
        store.close()
        if isinstance(store, EmbeddedStore):
            shutil.rmtree(store.data_dir, ignore_errors=True)


def import_file(store: GraphStore, path: Path, world: str, results: Results) -> None:
    _, seconds = timed(lambda: import_world(store, path))
    results.imports.append((store.kind, world, seconds))
    say(f"  {store.kind}: imported {world} in {seconds:.1f} s")


def write_document(document: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- gap inputs


def planner_inputs(
    candidate: CandidateProfile, offer: OfferProfile
) -> tuple[dict[Item, int], dict[Item, int], list[Item], dict[str, int]]:
    """(state, goal, missing items, have by id): what ``plan_for_profiles`` derives."""
    state = candidate_state(candidate)
    goal = {(req.kind, req.id): req.rank for req in offer.requirements if req.essential}
    missing = [item for item, level in goal.items() if state.get(item, 0) < level]
    have = {item_id: level for (_, item_id), level in state.items()}
    return state, goal, missing, have


def plan_key(plan: RoutePlan, objective: str) -> tuple[Any, ...] | None:
    """The numbers the objective orders by, then the sorted ids; None when infeasible."""
    best = plan.best
    if not plan.feasible or best is None:
        return None
    tail = (best.total_weeks, len(best.courses), round(best.total_cost * 100))
    tail += (tuple(sorted(best.courses)),)
    return (best.ready_date, *tail) if objective == "ready_date" else tail


# --------------------------------------------------------------------------- route worlds


def recurring_starts(document: dict[str, Any], last_year: int) -> None:
    """Repeat every course's start days in each year up to ``last_year``."""
    for course in document["courses"]:
        course["starts"] = sorted(
            {
                f"{year}{day[4:]}"
                for day in course.get("starts", [])
                for year in range(int(day[:4]), last_year + 1)
            }
        )


def entry_levels(document: dict[str, Any]) -> dict[str, int]:
    """Skill id → highest level taught by a course that has no prerequisites."""
    levels: dict[str, int] = {}
    for course in document["courses"]:
        if any(course.get("requires", {}).values()):
            continue
        for skill, level in course["teaches"].get("skills", {}).items():
            levels[skill] = max(levels.get(skill, 0), level)
    return levels


def spread(count: int, low: int, high: int) -> list[int]:
    """``count`` integers spread evenly over [low, high]."""
    if count == 1:
        return [low]
    return [round(low + i * (high - low) / (count - 1)) for i in range(count)]


def _natural(item_id: str) -> tuple[str, int]:
    """``s-9`` before ``s-10``: the synthetic ids number skills domain by domain."""
    prefix, _, number = item_id.rpartition("-")
    return (prefix, int(number)) if number.isdigit() else (item_id, 0)


def gap_offers(document: dict[str, Any], count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Offers with 5–30 essential skill requirements that entry courses can close: a run
    of neighbouring skill ids from a random place, so an offer spans a few occupational
    domains of the synthetic world rather than skills scattered over all of them."""
    levels = entry_levels(document)
    skills = sorted(levels, key=_natural)
    towns = [town["id"] for town in document["towns"]]
    offers = []
    for i, size in enumerate(spread(count, *MISSING_RANGE)):
        first = rng.randrange(len(skills))
        chosen = [skills[(first + j) % len(skills)] for j in range(min(size, len(skills)))]
        offers.append(
            {
                "id": f"gap-{i}",
                "company": document["companies"][0]["id"],
                "kind": "job",
                "title": f"Lücke {i}",
                "town": towns[i % len(towns)],
                "requires": {
                    "skills": {
                        s: {"level": rng.randint(1, levels[s]), "essential": True} for s in chosen
                    },
                    "languages": {"de": "A1"},
                },
            }
        )
    return offers


def _item_levels(side: Mapping[str, Mapping[str, Any]]) -> dict[Item, int]:
    items: dict[Item, int] = {}
    for kind, key in (("skill", "skills"), ("tool", "tools")):
        items.update({(kind, i): int(level) for i, level in side.get(key, {}).items()})
    items.update({("language", i): cefr_rank(lv) for i, lv in side.get("languages", {}).items()})
    return items


def catalogue_options(document: dict[str, Any]) -> list[CourseOption]:
    """The whole catalogue as the planner's ``CourseOption``s, straight from the document."""
    return [
        CourseOption(
            course["id"],
            course["weeks"],
            course.get("cost", 0),
            starts=tuple(sorted(dt.date.fromisoformat(day) for day in course.get("starts", []))),
            teaches=_item_levels(course.get("teaches", {})),
            requires=_item_levels(course.get("requires", {})),
        )
        for course in document["courses"]
    ]


@dataclass
class RouteWorld:
    courses: int
    path: Path
    catalogue: list[CourseOption]
    gap_offer_ids: list[str]
    candidate_ids: list[str]


def build_route_world(courses: int, args: argparse.Namespace, workdir: Path) -> RouteWorld:
    size = WorldSize(
        candidates=args.route_candidates,
        offers=args.route_offers,
        courses=courses,
        skills=args.route_skills,
    )
    document = synthetic_world(size, seed=args.seed)
    recurring_starts(document, LAST_START_YEAR)
    extra = gap_offers(document, args.route_pairs, random.Random(args.seed + courses))
    document["offers"].extend(extra)
    path = write_document(document, workdir / f"routes-{courses}.json")
    return RouteWorld(
        courses,
        path,
        catalogue_options(document),
        [offer["id"] for offer in extra],
        [candidate["id"] for candidate in document["candidates"]],
    )


def pick_pairs(store: GraphStore, world: RouteWorld, rng: random.Random) -> list[Pair]:
    """For each gap offer, a random candidate whose essential gap has 5–30 items."""
    pairs = []
    for offer_id in world.gap_offer_ids:
        offer = store.offer_profile(offer_id)
        for _ in range(100):
            candidate_id = rng.choice(world.candidate_ids)
            gap = skill_gap(store.candidate_profile(candidate_id), offer)
            missing = len(gap.missing_essential)
            if MISSING_RANGE[0] <= missing <= MISSING_RANGE[1]:
                pairs.append(Pair(candidate_id, offer_id, missing))
                break
    return pairs


@dataclass
class NaturalGaps:
    """Gaps between sampled candidates and the generator's own offers."""

    scanned: int = 0
    large: int = 0
    """Pairs with 5 or more missing essential items."""
    largest: int = 0
    small: list[tuple[CandidateProfile, OfferProfile]] = field(default_factory=list)
    """Pairs with 1–3 missing essential items, none of them a language."""

    def note(self, courses: int, gap_offers: int) -> str:
        share = 100 * self.large / max(self.scanned, 1)
        return (
            f"{courses:,}-course world: of {self.scanned:,} (sampled candidate, synthetic "
            f"offer) pairs {self.large:,} ({share:.1f} %) miss ≥5 essential items, but never "
            f"more than {self.largest}; the timed pairs use {gap_offers} added gap offers "
            f"spread over {MISSING_RANGE[0]}–{MISSING_RANGE[1]} missing items"
        )


def natural_gaps(candidates: list[CandidateProfile], offers: list[OfferProfile]) -> NaturalGaps:
    found = NaturalGaps()
    for candidate in candidates:
        for offer in offers:
            missing = skill_gap(candidate, offer).missing_essential
            found.scanned += 1
            found.large += len(missing) >= MISSING_RANGE[0]
            found.largest = max(found.largest, len(missing))
            if 1 <= len(missing) <= BRUTE_MAX_MISSING and all(
                line.kind != "language" for line in missing
            ):
                found.small.append((candidate, offer))
    return found


def warm_up_paths(
    store: GraphStore, world: RouteWorld, pairs: list[Pair], results: Results
) -> None:
    """One untimed ``courses_that_matter`` per pair. Right after an import Neo4j plans the
    path query again and its first calls take seconds; a long-running server has paid
    that long before an advisor asks. The first and the slowest call are noted."""
    times = []
    for pair in pairs:
        _, _, missing, have = planner_inputs(
            store.candidate_profile(pair.candidate), store.offer_profile(pair.offer)
        )
        times.append(timed(lambda m=missing, h=have: store.courses_that_matter(m, h))[1])
    results.notes.append(
        f"{store.kind}, {world.courses:,} courses: untimed warm-up path queries after the "
        f"import: first {times[0] * 1000:,.0f} ms, slowest {max(times) * 1000:,.0f} ms, "
        f"last {times[-1] * 1000:,.0f} ms"
    )


def time_routes(
    store: GraphStore,
    world: RouteWorld,
    pairs: list[Pair],
    args: argparse.Namespace,
    guard: Guard,
) -> tuple[list[RouteRow], dict[tuple[str, Pair], tuple[Any, ...] | None]]:
    """``route_for`` on each pair, both objectives, ``--repeat`` times (a stopped call is
    not repeated: it counts as stopped for every repetition)."""
    guarded = cast(GraphStore, GuardedStore(store, guard))
    rows, keys = [], {}
    for objective in OBJECTIVES:
        row = RouteRow(store.kind, world.courses, objective, pairs, Samples(args.route_timeout))
        for pair in pairs:
            times, report = repeat_limited(
                lambda p=pair, o=objective: route_for(
                    guarded, p.candidate, p.offer, objective=o, start=START, alternatives=0
                ),
                args.repeat,
                args.route_timeout,
                guard,
            )
            if isinstance(report, RouteReport):
                keys[(objective, pair)] = plan_key(report.plan, objective)
                row.feasible += report.plan.feasible
            row.samples.extend(times, report)
            row.per_pair.append((times, report))
        rows.append(row)
        say(
            f"  {store.kind} {world.courses:,} courses, {objective}: p50 {row.samples.ms(50)} ms, "
            f"p95 {row.samples.ms(95)} ms, {row.feasible}/{len(pairs)} feasible, "
            f"{row.samples.timed_out} of {len(row.samples.seconds)} calls stopped, "
            f"{row.samples.gave_up} gave up, {len(row.samples.errors)} errors"
        )
    return rows, keys


def time_route_baseline(
    store: GraphStore,
    world: RouteWorld,
    pairs: list[Pair],
    args: argparse.Namespace,
    guard: Guard,
    keys: dict[tuple[str, Pair], tuple[Any, ...] | None],
    results: Results,
) -> dict[str, Samples]:
    """``plan_route`` with the whole catalogue in memory (profiles fetched untimed)."""
    baselines = {}
    for objective in OBJECTIVES:
        samples = Samples(args.route_timeout)
        for pair in pairs:
            state, goal, _, _ = planner_inputs(
                store.candidate_profile(pair.candidate), store.offer_profile(pair.offer)
            )
            times, plan = repeat_limited(
                lambda s=state, g=goal, o=objective: plan_route(
                    s, g, world.catalogue, objective=o, start=START
                ),
                args.repeat,
                args.route_timeout,
                guard,
            )
            samples.extend(times, plan)
            known = (objective, pair)
            if (
                isinstance(plan, RoutePlan)
                and known in keys
                and keys[known] != plan_key(plan, objective)
            ):
                results.mismatches.append(
                    f"{world.courses} courses, {objective}, {pair.candidate}/{pair.offer}: "
                    f"route_for {keys[known]} != whole-catalogue plan_route "
                    f"{plan_key(plan, objective)}"
                )
        baselines[objective] = samples
        say(
            f"  baseline (plan_route, whole catalogue) {objective}: p50 {samples.ms(50)} ms, "
            f"p95 {samples.ms(95)} ms"
        )
    return baselines


# --------------------------------------------------------------------------- exhaustive


def _first_start(course: CourseOption, day: dt.date) -> dt.date | None:
    if not course.starts:
        return day
    at = bisect.bisect_left(course.starts, day)
    return course.starts[at] if at < len(course.starts) else None


def evaluate(
    order: Sequence[CourseOption],
    state: Mapping[Item, int],
    goal: Mapping[Item, int],
    objective: str,
    start: dt.date,
) -> tuple[Any, ...] | None:
    """The objective key of taking ``order`` (DESIGN.md), or None if it is not a plan."""
    levels, day = dict(state), start
    for course in order:
        if any(levels.get(item, 0) < level for item, level in course.requires.items()):
            return None
        if objective == "ready_date":
            begin = _first_start(course, day)
            if begin is None:
                return None
            day = begin + dt.timedelta(days=7 * course.weeks)
        for item, level in course.teaches.items():
            if levels.get(item, 0) < level:
                levels[item] = level
    if any(levels.get(item, 0) < level for item, level in goal.items()):
        return None
    tail = (
        sum(c.weeks for c in order),
        len(order),
        sum(round(c.cost * 100) for c in order),
        tuple(sorted(c.id for c in order)),
    )
    return (day, *tail) if objective == "ready_date" else tail


def exhaustive(
    state: Mapping[Item, int],
    goal: Mapping[Item, int],
    courses: Sequence[CourseOption],
    objective: str,
    start: dt.date,
) -> tuple[Any, ...] | None:
    """Every ordered subset of ``courses`` (``itertools.permutations``); the best key."""
    best = None
    for size in range(len(courses) + 1):
        for order in permutations(courses, size):
            key = evaluate(order, state, goal, objective, start)
            if key is not None and (best is None or key < best):
                best = key
    return best


@dataclass
class SmallInstance:
    candidate: CandidateProfile
    offer: OfferProfile
    courses: list[CourseOption]


def pick_small(
    store: GraphStore,
    small: list[tuple[CandidateProfile, OfferProfile]],
    count: int,
    rng: random.Random,
) -> list[SmallInstance]:
    """The ``count`` instances with the most relevant courses (at most 8) among up to
    ``SMALL_SCANNED`` random pairs with 1–3 missing items and a feasible ``weeks`` route:
    the hardest instances the exhaustive search can still finish."""
    found: list[SmallInstance] = []
    for candidate, offer in rng.sample(small, min(SMALL_SCANNED, len(small))):
        state, goal, missing, have = planner_inputs(candidate, offer)
        courses = store.courses_that_matter(missing, have)
        if not 1 <= len(courses) <= BRUTE_MAX_COURSES:
            continue
        if plan_route(state, goal, courses, start=START).feasible:
            found.append(SmallInstance(candidate, offer, courses))
    found.sort(key=lambda inst: -len(inst.courses))
    return found[:count]


def time_exhaustive(
    store: GraphStore,
    instances: list[SmallInstance],
    args: argparse.Namespace,
    guard: Guard,
    results: Results,
) -> None:
    """Exhaustive search vs ``plan_route`` on the same courses vs ``route_for``."""
    guarded = cast(GraphStore, GuardedStore(store, guard))
    for objective in OBJECTIVES:
        rows = {
            "exhaustive": Samples(args.brute_timeout),
            "plan_route": Samples(args.brute_timeout),
            "route_for": Samples(args.brute_timeout),
        }
        for inst in instances:
            state, goal, _, _ = planner_inputs(inst.candidate, inst.offer)
            works: dict[str, Callable[[], Any]] = {
                "exhaustive": lambda s=state, g=goal, i=inst, o=objective: exhaustive(
                    s, g, i.courses, o, START
                ),
                "plan_route": lambda s=state, g=goal, i=inst, o=objective: plan_route(
                    s, g, i.courses, objective=o, start=START
                ),
                "route_for": lambda i=inst, o=objective: route_for(
                    guarded, i.candidate.id, i.offer.id, objective=o, start=START, alternatives=0
                ),
            }
            answers: dict[str, Any] = {}
            for method, work in works.items():
                repeat = 1 if method == "exhaustive" else args.repeat  # seconds per call
                times, answers[method] = repeat_limited(work, repeat, args.brute_timeout, guard)
                rows[method].extend(times, answers[method])
            if answers["exhaustive"] is not None and isinstance(answers["plan_route"], RoutePlan):
                results.brute_checked += 1
                if answers["exhaustive"] == plan_key(answers["plan_route"], objective):
                    results.brute_agree += 1
                else:
                    results.mismatches.append(
                        f"exhaustive {objective}, {inst.candidate.id}/{inst.offer.id}: "
                        f"{answers['exhaustive']} != plan_route "
                        f"{plan_key(answers['plan_route'], objective)}"
                    )
        for method, samples in rows.items():
            results.brute.append(BruteRow(method, objective, samples))
            say(
                f"  {method} {objective}: p50 {samples.ms(50)} ms, p95 {samples.ms(95)} ms "
                f"({len(instances)} instances)"
            )


# --------------------------------------------------------------------------- routes


def bench_routes(
    args: argparse.Namespace,
    factory: StoreFactory,
    guard: Guard,
    workdir: Path,
    results: Results,
) -> None:
    for courses in args.catalogues:
        say("")
        say(f"routes: world with {courses:,} courses ...")
        world = build_route_world(courses, args, workdir)
        pairs: list[Pair] = []
        baselines: dict[str, Samples] = {}
        world_rows: list[RouteRow] = []
        for kind in args.stores:
            try:
                store = factory.open(kind)
            except Exception as e:
                results.failures[f"{kind} (routes {courses})"] = f"{type(e).__name__}: {e}"
                say(f"  {kind}: FAILED: {e}")
                continue
            try:
                import_file(store, world.path, f"routes-{courses}", results)
                first = not pairs
                if first:
                    pairs = prepare_pairs(store, world, args, guard, results)
                warm_up_paths(store, world, pairs, results)
                rows, keys = time_routes(store, world, pairs, args, guard)
                world_rows += rows
                if first:
                    baselines = time_route_baseline(store, world, pairs, args, guard, keys, results)
                    if args.profile and courses == args.catalogues[-1]:
                        profile_route(store, pairs, args, guard, results)
            except Exception as e:
                results.failures[f"{kind} (routes {courses})"] = f"{type(e).__name__}: {e}"
                say(f"  {kind}: FAILED: {type(e).__name__}: {e}")
            finally:
                factory.close(store)
        for row in world_rows:
            row.baseline = baselines.get(row.objective, Samples())
        results.routes += world_rows
        results.rss(f"routes, {courses:,} courses")
        world.path.unlink()


def prepare_pairs(
    store: GraphStore,
    world: RouteWorld,
    args: argparse.Namespace,
    guard: Guard,
    results: Results,
) -> list[Pair]:
    """Pick the timed pairs; on the first catalogue also run the exhaustive comparison."""
    rng = random.Random(args.seed * 7919 + world.courses)
    candidates = store.candidate_profiles()
    offers = [o for o in store.offer_profiles() if not o.id.startswith("gap-")]
    natural = natural_gaps(rng.sample(candidates, min(200, len(candidates))), offers)
    results.notes.append(natural.note(world.courses, len(world.gap_offer_ids)))
    pairs = pick_pairs(store, world, rng)
    say(f"  {len(pairs)} pairs, missing items: {', '.join(str(p.missing) for p in pairs)}")
    say(f"  {results.notes[-1]}")
    if world.courses == args.catalogues[0] and args.brute_pairs:
        instances = pick_small(store, natural.small, args.brute_pairs, rng)
        results.brute_instances = len(instances)
        results.brute_courses = [len(inst.courses) for inst in instances]
        say(
            f"  exhaustive search on {len(instances)} small instances "
            f"(1–{BRUTE_MAX_MISSING} missing, ≤{BRUTE_MAX_COURSES} relevant courses) ..."
        )
        time_exhaustive(store, instances, args, guard, results)
    return pairs


# --------------------------------------------------------------------------- matching


def ranked(pairs: list[tuple[CandidateProfile, OfferProfile]]) -> list[tuple[Any, ...]]:
    """Every pair scored with ``skill_gap`` + ``fit_score`` and sorted (no routes)."""
    scored = []
    for candidate, offer in pairs:
        essential, optional, language, _ = fit_score(skill_gap(candidate, offer))
        km = distance_km(candidate.town, offer.town)
        scored.append(
            (
                (-essential, -optional, -language),
                math.inf if km is None else km,
                candidate.id,
                offer.id,
            )
        )
    scored.sort()
    return scored


def naive_offers(store: GraphStore, candidate_id: str) -> list[tuple[Any, ...]]:
    candidate = store.candidate_profile(candidate_id)
    return ranked([(candidate, offer) for offer in store.offer_profiles()])


def naive_candidates(store: GraphStore, offer_id: str) -> list[tuple[Any, ...]]:
    offer = store.offer_profile(offer_id)
    return ranked([(candidate, offer) for candidate in store.candidate_profiles()])


def routed_pairs(scored: list[tuple[Any, ...]], limit: int) -> int:
    """How many pairs ``graph.matching`` routes: whole tie groups until ``limit`` reached."""
    routed = 0
    for _, group in groupby(scored, key=lambda row: row[0]):
        routed += sum(1 for _ in group)
        if routed >= limit:
            break
    return routed


@dataclass
class RegionWorld:
    path: Path
    candidate_ids: list[str]
    offer_ids: list[str]


def build_region_world(args: argparse.Namespace, workdir: Path) -> RegionWorld:
    size = WorldSize(
        candidates=args.candidates, offers=args.offers, courses=args.courses, skills=args.skills
    )
    document = synthetic_world(size, seed=args.seed)
    rng = random.Random(args.seed)
    candidate_ids = rng.sample([c["id"] for c in document["candidates"]], args.subjects)
    offer_ids = rng.sample([o["id"] for o in document["offers"]], args.subjects)
    return RegionWorld(write_document(document, workdir / "region.json"), candidate_ids, offer_ids)


def time_matching(
    store: GraphStore, region: RegionWorld, args: argparse.Namespace, guard: Guard
) -> list[MatchRow]:
    guarded = cast(GraphStore, GuardedStore(store, guard))
    say(f"  {store.kind}: warm-up (profiles of everyone, one route; not timed) ...")
    store.candidate_profiles()
    store.offer_profiles()
    run_limited(
        lambda: route_for(guarded, region.candidate_ids[0], region.offer_ids[0], start=START),
        args.match_timeout,
        guard,
    )
    calls: list[tuple[str, list[str], Callable[..., Any], Callable[..., Any]]] = [
        ("match_offers", region.candidate_ids, match_offers, naive_offers),
        ("match_candidates", region.offer_ids, match_candidates, naive_candidates),
    ]
    rows = []
    for name, subjects, call, naive in calls:
        row = MatchRow(store.kind, name, Samples(args.match_timeout), Samples(args.match_timeout))
        for subject in subjects:
            found, seconds = run_limited(
                lambda s=subject, c=call: c(guarded, s, limit=MATCH_LIMIT, start=START),
                args.match_timeout,
                guard,
            )
            row.samples.add(seconds, found)
            scored, base_s = run_limited(
                lambda s=subject, n=naive: n(guarded, s), args.match_timeout, guard
            )
            row.baseline.add(base_s)
            if scored is not None:
                row.routed.append(routed_pairs(scored, MATCH_LIMIT))
            gave_up = f" ({found.message})" if isinstance(found, Abandoned) else ""
            say(
                f"    {name}({subject}): {_secs(seconds)}{gave_up}, naive scan {_secs(base_s)}, "
                f"routes needed {row.routed[-1] if scored is not None else '?'}"
            )
        rows.append(row)
        say(
            f"  {store.kind} {name}: p50 {row.samples.ms(50)} ms, p95 {row.samples.ms(95)} ms; "
            f"naive scan p50 {row.baseline.ms(50)} ms"
        )
    return rows


def _secs(seconds: float) -> str:
    return "stopped" if math.isinf(seconds) else f"{seconds:.2f} s"


def bench_matching(
    args: argparse.Namespace,
    factory: StoreFactory,
    guard: Guard,
    workdir: Path,
    results: Results,
) -> None:
    say("")
    say(
        f"matching: region world ({args.candidates:,} candidates, {args.offers:,} offers, "
        f"{args.courses:,} courses, {args.skills:,} skills) ..."
    )
    region = build_region_world(args, workdir)
    for index, kind in enumerate(args.stores):
        try:
            store = factory.open(kind)
        except Exception as e:
            results.failures[f"{kind} (matching)"] = f"{type(e).__name__}: {e}"
            say(f"  {kind}: FAILED: {e}")
            continue
        try:
            import_file(store, region.path, "region", results)
            results.matching += time_matching(store, region, args, guard)
            if args.profile and index == 0:
                profile_matching(store, region, args, guard, results)
        except Exception as e:
            results.failures[f"{kind} (matching)"] = f"{type(e).__name__}: {e}"
            say(f"  {kind}: FAILED: {type(e).__name__}: {e}")
        finally:
            factory.close(store)
        results.rss(f"matching, {kind}")
    region.path.unlink()


# --------------------------------------------------------------------------- throughput


def bench_throughput(
    args: argparse.Namespace, factory: StoreFactory, guard: Guard, results: Results
) -> None:
    say("")
    say(f"throughput: sample district ({SAMPLE_WORLD.name}) ...")
    for kind in args.stores:
        try:
            store = factory.open(kind)
        except Exception as e:
            results.failures[f"{kind} (throughput)"] = f"{type(e).__name__}: {e}"
            say(f"  {kind}: FAILED: {e}")
            continue
        try:
            import_file(store, SAMPLE_WORLD, "sample", results)
            pairs = [
                (candidate.id, match.offer.id)
                for candidate in store.candidate_profiles()
                for match in match_offers(store, candidate.id, limit=3, start=START)
            ]
            for candidate_id, offer_id in pairs:  # warm-up, not timed
                route_for(store, candidate_id, offer_id, start=START, alternatives=0)
            for objective in OBJECTIVES:
                samples = Samples()
                for _ in range(args.repeat):
                    for candidate_id, offer_id in pairs:
                        _, seconds = timed(
                            lambda st=store, c=candidate_id, o=offer_id, ob=objective: route_for(
                                st, c, o, objective=ob, start=START, alternatives=0
                            )
                        )
                        samples.add(seconds)
                row = ThroughputRow(kind, objective, len(pairs), samples)
                results.throughput.append(row)
                say(
                    f"  {kind} {objective}: {len(pairs)} pairs × {args.repeat}: "
                    f"{row.routes_per_s:,.0f} routes/s"
                )
        except Exception as e:
            results.failures[f"{kind} (throughput)"] = f"{type(e).__name__}: {e}"
            say(f"  {kind}: FAILED: {type(e).__name__}: {e}")
        finally:
            factory.close(store)
    results.rss("throughput")


# --------------------------------------------------------------------------- profiles


def profile(work: Callable[[], Any], seconds: float, guard: Guard, lines: int = 14) -> str:
    """cProfile of one call (stopped at ``seconds``): top entries by own and total time."""
    profiler = cProfile.Profile()
    _, took = run_limited(lambda: profiler.runcall(work), seconds, guard)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write(f"call took {_secs(took)} (limit {seconds:g} s)\n")
    for order in ("tottime", "cumulative"):
        stats.sort_stats(order).print_stats(lines)
    return "\n".join(line for line in out.getvalue().splitlines() if line.strip())


def profile_route(
    store: GraphStore, pairs: list[Pair], args: argparse.Namespace, guard: Guard, results: Results
) -> None:
    pair = max(pairs, key=lambda p: p.missing)
    guarded = cast(GraphStore, GuardedStore(store, guard))
    title = f"route_for {pair.candidate}/{pair.offer} ({pair.missing} missing, weeks, {store.kind})"
    results.profiles[title] = profile(
        lambda: route_for(guarded, pair.candidate, pair.offer, start=START, alternatives=0),
        max(args.route_timeout, 10.0),
        guard,
    )


def profile_matching(
    store: GraphStore, region: RegionWorld, args: argparse.Namespace, guard: Guard, results: Results
) -> None:
    guarded = cast(GraphStore, GuardedStore(store, guard))
    for name, call, subject in (
        ("match_offers", match_offers, region.candidate_ids[0]),
        ("match_candidates", match_candidates, region.offer_ids[0]),
    ):
        results.profiles[f"{name}({subject}), {store.kind}"] = profile(
            lambda c=call, s=subject: c(guarded, s, limit=MATCH_LIMIT, start=START),
            args.match_timeout,
            guard,
        )


# --------------------------------------------------------------------------- summary


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Plain aligned text: the first column left-aligned, the others right-aligned."""
    widths = [max(len(r[i]) for r in (headers, *rows)) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def routes_table(rows: list[RouteRow]) -> str:
    headers = (
        "store", "courses", "objective", "pairs", "missing", "feasible", "stopped",
        "gave up", "errors", "p50 ms", "p95 ms", "base p50", "base p95", "base/route",
    )  # fmt: skip
    body = [
        (
            r.store,
            f"{r.courses:,}",
            r.objective,
            str(len(r.pairs)),
            f"{min(p.missing for p in r.pairs)}–{max(p.missing for p in r.pairs)}",
            f"{r.feasible}/{len(r.pairs)}",
            f"{r.samples.timed_out}/{len(r.samples.seconds)}",
            f"{r.samples.gave_up}/{len(r.samples.seconds)}",
            str(len(r.samples.errors)),
            r.samples.ms(50),
            r.samples.ms(95),
            r.baseline.ms(50),
            r.baseline.ms(95),
            ratio(r.baseline, r.samples),
        )
        for r in rows
        if r.pairs
    ]
    return table(headers, body)


def buckets_table(rows: list[RouteRow]) -> str:
    """Median ``route_for`` time by size of the gap: the planner's search is exponential."""
    headers = ("store", "courses", "objective", *(f"{lo}–{hi} missing" for lo, hi in GAP_BUCKETS))
    body = []
    for r in rows:
        cells = []
        for lo, hi in GAP_BUCKETS:
            samples = Samples(r.samples.limit)
            for pair, (times, result) in zip(r.pairs, r.per_pair, strict=True):
                if lo <= pair.missing <= hi:
                    samples.extend(times, result)
            cells.append(_bucket_cell(samples))
        body.append((r.store, f"{r.courses:,}", r.objective, *cells))
    return table(headers, body)


def _bucket_cell(samples: Samples) -> str:
    if not samples.seconds:
        return "-"
    calls = len(samples.seconds)
    return (
        f"{samples.ms(50)} ms ({samples.timed_out}/{calls} stopped, "
        f"{samples.gave_up}/{calls} gave up)"
    )


def brute_table(rows: list[BruteRow]) -> str:
    exhaustive_rows = {r.objective: r.samples for r in rows if r.method == "exhaustive"}
    headers = ("method", "objective", "calls", "p50 ms", "p95 ms", "exhaustive/this")
    body = [
        (
            r.method,
            r.objective,
            str(len(r.samples.seconds)),
            r.samples.ms(50),
            r.samples.ms(95),
            ratio(exhaustive_rows[r.objective], r.samples),
        )
        for r in rows
    ]
    return table(headers, body)


def matching_table(rows: list[MatchRow]) -> str:
    headers = (
        "store", "call", "subjects", "stopped", "gave up", "errors", "p50 ms", "p95 ms", "scan p50",
        "scan p95", "scan/call", "routed p50", "routed max",
    )  # fmt: skip
    body = []
    for r in rows:
        routed = Samples(None, [float(n) for n in r.routed])
        body.append(
            (
                r.store,
                r.call,
                str(len(r.samples.seconds)),
                str(r.samples.timed_out),
                str(r.samples.gave_up),
                str(len(r.samples.errors)),
                r.samples.ms(50),
                r.samples.ms(95),
                r.baseline.ms(50),
                r.baseline.ms(95),
                ratio(r.baseline, r.samples),
                "-" if not r.routed else f"{routed.pct(50):,.0f}",
                "-" if not r.routed else f"{max(r.routed):,}",
            )
        )
    return table(headers, body)


def throughput_table(rows: list[ThroughputRow]) -> str:
    headers = ("store", "objective", "pairs", "routes", "seconds", "routes/s", "p50 ms", "p95 ms")
    body = [
        (
            r.store,
            r.objective,
            str(r.pairs),
            str(len(r.samples.seconds)),
            f"{sum(r.samples.seconds):.2f}",
            f"{r.routes_per_s:,.0f}",
            r.samples.ms(50),
            r.samples.ms(95),
        )
        for r in rows
    ]
    return table(headers, body)


def _load(values: Sequence[float]) -> str:
    return " ".join(f"{x:.2f}" for x in values)


def summary(args: argparse.Namespace, results: Results) -> str:
    m = results.machine
    text = [
        "",
        "=" * 100,
        f"summary: {m['cpus']} CPUs ({m['cpu']}), {m['memory_gib']:.0f} GiB RAM, "
        f"Python {m['python']}, {m['platform']}",
        f"load average at start {_load(results.load_start)}, at end {_load(os.getloadavg())}",
        f"revision {m['revision']}; start date {START}; repeat {args.repeat}; seed {args.seed}; "
        f"stores {','.join(args.stores)}",
    ]
    if results.routes:
        text += [
            "",
            f"1. routes: route_for end to end, alternatives=0 (limit {args.route_timeout:g} s "
            "per call); base = plan_route with the whole catalogue in memory (prunes "
            "internally), store-independent, same pairs",
            routes_table(results.routes),
            "",
            "route_for p50 by size of the gap (calls stopped / calls)",
            buckets_table(results.routes),
        ]
    if results.brute and not results.brute_instances:
        text += ["", "1b. exhaustive search: no small instance found in the first catalogue"]
    elif results.brute:
        text += [
            "",
            f"1b. exhaustive search (itertools.permutations over all ordered subsets of the "
            f"relevant courses) on {results.brute_instances} small instances "
            f"(1–{BRUTE_MAX_MISSING} missing, ≤{BRUTE_MAX_COURSES} relevant courses; the ones "
            f"with most courses: {', '.join(map(str, results.brute_courses))}), first store, "
            f"first catalogue; answers agree with plan_route: "
            f"{results.brute_agree}/{results.brute_checked}",
            brute_table(results.brute),
        ]
    errors = sorted({message for samples in _all_samples(results) for message in samples.errors})
    if errors:
        text += ["", "ERRORS (unexpected exceptions in timed calls):", *(f"  {e}" for e in errors)]
    if results.mismatches:
        text += ["", "ANSWERS DIFFER:", *(f"  {m}" for m in results.mismatches)]
    if results.matching:
        text += [
            "",
            f"2. matching, limit {MATCH_LIMIT} ({args.candidates:,} candidates, "
            f"{args.offers:,} offers; limit {args.match_timeout:g} s per call); scan = naive "
            "full scan (profiles + skill_gap + fit_score, sort, top 20, no routes); routed = "
            "pairs the call must route (tie groups reaching into the top 20)",
            matching_table(results.matching),
        ]
    if results.throughput:
        text += [
            "",
            "3. throughput: route_for for every sample candidate × top-3 offers, one process",
            throughput_table(results.throughput),
        ]
    text += ["", "notes:", *(f"  {note}" for note in results.notes)]
    imports = "; ".join(f"{kind} {world} {s:.1f} s" for kind, world, s in results.imports)
    text += ["", f"imports (informational): {imports}"]
    text += [
        "peak RSS of this process (MiB, only grows): "
        + "; ".join(f"after {after} {mib:,.0f}" for after, mib in results.peak_rss)
    ]
    if results.server_peak_rss_mib is not None:
        text.append(f"neo4j server JVM peak RSS: {results.server_peak_rss_mib:,.0f} MiB")
    text += [f"FAILED: {what}: {error}" for what, error in results.failures.items()]
    return "\n".join(text)


def _all_samples(results: Results) -> Iterator[Samples]:
    for route in results.routes:
        yield from (route.samples, route.baseline)
    yield from (row.samples for row in results.brute)
    for match in results.matching:
        yield from (match.samples, match.baseline)


def _revision() -> str:
    """The commit measured, and whether graph/ had uncommitted changes (others edit it)."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "graph", "cypher"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head or 'unknown'}{' + uncommitted changes in graph/ or cypher/' if dirty else ''}"


def machine_facts() -> dict[str, Any]:
    cpu, memory = "unknown CPU", 0.0
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / 2**20
    return {
        "revision": _revision(),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def write_json(path: Path, args: argparse.Namespace, results: Results) -> None:
    document = {
        "benchmark": "routes_and_matching",
        "machine": results.machine,
        "load_average": {"start": results.load_start, "end": os.getloadavg()},
        "args": {k: v for k, v in vars(args).items() if k != "json"},
        "start_date": START.isoformat(),
        "routes": [
            {
                "store": r.store,
                "courses": r.courses,
                "objective": r.objective,
                "pairs": [vars(p) for p in r.pairs],
                "feasible": r.feasible,
                "route_for": r.samples.figures(),
                "baseline_whole_catalogue": r.baseline.figures(),
            }
            for r in results.routes
        ],
        "exhaustive": {
            "instances": results.brute_instances,
            "relevant_courses": results.brute_courses,
            "agree": results.brute_agree,
            "checked": results.brute_checked,
            "rows": [
                {"method": r.method, "objective": r.objective, **r.samples.figures()}
                for r in results.brute
            ],
        },
        "mismatches": results.mismatches,
        "matching": [
            {
                "store": r.store,
                "call": r.call,
                "call_figures": r.samples.figures(),
                "naive_scan": r.baseline.figures(),
                "routed_pairs": r.routed,
            }
            for r in results.matching
        ],
        "throughput": [
            {
                "store": r.store,
                "objective": r.objective,
                "pairs": r.pairs,
                "routes_per_s": r.routes_per_s,
                **r.samples.figures(),
            }
            for r in results.throughput
        ],
        "imports": [{"store": k, "world": w, "seconds": s} for k, w, s in results.imports],
        "peak_rss_mib": dict(results.peak_rss),
        "server_peak_rss_mib": results.server_peak_rss_mib,
        "notes": results.notes,
        "profiles": results.profiles,
        "failures": results.failures,
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")


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


def _seconds(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {value}")
    return value


def _sizes(text: str) -> tuple[int, ...]:
    try:
        return tuple(_positive(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"comma separated sizes, not {text!r}") from None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.routes_and_matching",
        description="Time routes, matching and route throughput on each store "
        "(see bench/README.md). Defaults in brackets are for the full run; --quick "
        "uses smaller ones for any option not given.",
    )
    add = parser.add_argument
    add("--stores", type=_stores, default=list(STORES), help="comma separated [embedded,neo4j]")
    add("--repeat", type=_positive, help="timed repetitions of each route [3]")
    add("--seed", type=int, default=1, help="[1]")
    add("--json", type=Path, metavar="FILE", help="also write the figures here")
    add("--quick", action="store_true", help="a small smoke run (about 3–4 minutes)")
    add("--catalogues", type=_sizes, help="courses of the route worlds [1000,5000]")
    add("--route-candidates", type=_positive, help="candidates in a route world [1000]")
    add("--route-offers", type=_positive, help="synthetic offers in a route world [200]")
    add("--route-skills", type=_positive, help="skills in a route world [14000]")
    add("--route-pairs", type=_positive, help="timed pairs per route world [12]")
    add("--route-timeout", type=_seconds, help="seconds before a route call is stopped [2]")
    add("--brute-pairs", type=int, help="small instances for the exhaustive search [8]")
    add("--brute-timeout", type=_seconds, help="seconds per exhaustive-search call [20]")
    add("--candidates", type=_positive, help="candidates in the region world [30000]")
    add("--offers", type=_positive, help="offers in the region world [5000]")
    add("--courses", type=_positive, help="courses in the region world [5000]")
    add("--skills", type=_positive, help="skills in the region world [14000]")
    add("--subjects", type=_positive, help="random subjects per matching call [10]")
    add("--match-timeout", type=_seconds, help="seconds before a matching call is stopped [10]")
    add(
        "--profile",
        action="store_true",
        help="cProfile one large route and one call per matching direction (first store)",
    )
    add("--skip", default="", help="comma separated parts to skip: routes,matching,throughput")
    args = parser.parse_args(argv)
    defaults = QUICK if args.quick else FULL
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    if args.skip - set(PARTS):
        parser.error(f"--skip takes {','.join(PARTS)}, not {','.join(sorted(args.skip))}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # The driver logs a warning per query naming a relationship type the data lacks (no
    # occupations in synthetic worlds): thousands of lines that would bury the figures.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    results = Results(machine_facts(), os.getloadavg())
    guard = Guard()
    m = results.machine
    say(
        f"routes_and_matching: {m['cpus']} CPUs ({m['cpu']}), load average "
        f"{_load(results.load_start)}, stores {','.join(args.stores)}"
    )
    with (
        tempfile.TemporaryDirectory(prefix="wegweiser-bench-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        workdir = Path(tmp)
        factory = StoreFactory(workdir, stack)
        if "routes" not in args.skip:
            bench_routes(args, factory, guard, workdir, results)
        if "matching" not in args.skip:
            bench_matching(args, factory, guard, workdir, results)
        if "throughput" not in args.skip:
            bench_throughput(args, factory, guard, results)
    if factory.disposable_server:
        results.server_peak_rss_mib = peak_rss_mib(resource.RUSAGE_CHILDREN)
    for title, text in results.profiles.items():
        say("")
        say(f"profile: {title}")
        say(text)
    say(summary(args, results))
    if args.json is not None:
        write_json(args.json, args, results)
        say(f"figures written to {args.json}")
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
