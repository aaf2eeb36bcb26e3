"""The shortest training route, proven optimal.

Given a candidate's levels, an offer's essential requirements and a catalogue of courses,
:func:`plan_route` finds the plan defined in DESIGN.md ("The training route (precise)"):
an ordered list of distinct courses, each takeable when its turn comes, after which every
requirement holds — minimising total weeks (objective ``weeks``) or the day the last
course ends when courses are taken one after another at their real start dates
(objective ``ready_date``), with ties broken by total weeks, number of courses, total cost
and finally the sorted list of course ids.

How, and why it is exact
------------------------
* Only courses that *raise* at least one level when taken are ever added: a course that
  changes nothing only adds weeks, cost and days, so no optimal plan contains one.
* Only courses that can matter are searched: those that teach a missing item and,
  transitively, those that teach a missing prerequisite of such a course. Any other course
  can be dropped from a plan without breaking it, which makes the plan strictly better.
* Best-first search (A*) over states. A state is the vector of levels (and, for
  ``ready_date``, the day the last course ended). The priority is a tuple compared
  lexicographically whose components are lower bounds on the final value: for ``weeks``
  ``(weeks so far + h, courses, cost)`` where ``h`` is, over the unmet requirements, the
  largest of the smallest ``weeks`` of a course that teaches it far enough — every unmet
  requirement needs at least one such course, so ``h`` never overestimates, and taking a
  course lowers ``h`` by at most its own weeks, so the priority never decreases along a
  path (consistency). For ``ready_date`` the first component is the largest, over unmet
  requirements, of the earliest day a course teaching it could end if started now; it only
  grows as days pass. The first goal state popped is therefore optimal in the numeric
  components.
* The last tie-break, the sorted course ids, is not a lower bound of anything, so the
  search keeps popping every label whose priority equals the optimum's (the plateau) and
  picks the smallest ids among the goals found there. Two labels at the same state are
  merged keeping the better one: the future of a state does not depend on how it was
  reached, and for equal numbers the smaller sorted ids stay smaller after adding the same
  set of further courses (the smallest id that differs does not change).
* Alternatives are the next best plans in the same order whose course sets differ from
  every earlier one and are not a superset of an earlier one (a superset would only be
  padding). They come from the same search with states that also remember the set of
  courses taken, so that different sets are not merged.

Complexity is bounded by the number of distinct level vectors reachable from the
candidate with the relevant courses; the bound prunes all states that cannot beat the
optimum. On the region's catalogues the relevant part is tens of courses.

Example::

    >>> import datetime as dt
    >>> de_a2 = CourseOption("k-a2", 4, 0, (), {("language", "de"): 2}, {("language", "de"): 1})
    >>> fork = CourseOption("k-fork", 1, 300, (), {("tool", "fork"): 1}, {("language", "de"): 2})
    >>> plan = plan_route({("language", "de"): 1}, {("tool", "fork"): 1}, [fork, de_a2],
    ...                   start=dt.date(2027, 1, 4))
    >>> plan.best.courses, plan.best.total_weeks, str(plan.best.ready_date)
    (('k-a2', 'k-fork'), 5, '2027-02-08')
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from graph.errors import WegweiserError
from graph.planning.milp import SetSearchFailed, earliest_ready_orders, weeks_optimal_sets
from graph.planning.types import (
    CourseOption,
    Item,
    Route,
    RoutePlan,
    ScheduledCourse,
    Unreachable,
)

__all__ = ["MAX_EXPANSIONS", "RouteSearchTooLarge", "plan_route"]

MAX_EXPANSIONS = 50_000
"""States a search may expand. Alternatives stop there with what they found; the best
route raises ``RouteSearchTooLarge`` rather than return a plan it cannot prove optimal."""

SEARCH_BEFORE_PROGRAM = 40
"""States the ``weeks`` search may expand before the integer program takes over: small
gaps are answered by the search in well under a millisecond, large ones by the program
(``graph.planning.milp``), whose cost grows with the courses rather than the states."""

ORDER_SEARCH_COURSES = 6
ORDER_EXPANSIONS = 300
"""A ``weeks`` route of at most ``ORDER_SEARCH_COURSES`` courses is put in the order that
finishes earliest by a search of at most ``ORDER_EXPANSIONS`` states; a longer one, or
one whose search grows beyond that, is ordered greedily (see ``_Problem.route``). The
order does not change the weeks, only the dates shown."""

Method = Literal["auto", "search", "program"]


class RouteSearchTooLarge(WegweiserError):
    """The catalogue part to search was too large to prove a route optimal in time."""

    def __init__(self, expansions: int) -> None:
        super().__init__(
            f"the route search stopped after {expansions:,} states without proving a "
            "route optimal; the part of the catalogue that matters is too large"
        )


_CEFR = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
_INF = float("inf")

Objective = Literal["weeks", "ready_date"]


def plan_route(
    state: Mapping[Item, int],
    goal: Mapping[Item, int],
    courses: Iterable[CourseOption],
    *,
    objective: Objective = "weeks",
    start: dt.date,
    alternatives: int = 0,
    method: Method = "auto",
) -> RoutePlan:
    """The optimal route (and up to ``alternatives`` next best) from ``state`` to ``goal``.

    ``method`` only matters for ``weeks``: ``search`` is the best-first search alone,
    ``program`` the integer program alone, ``auto`` the search first and the program when
    the search grows large. All three give the same answer; the choice exists so that
    the tests can prove each against exhaustive search.
    """
    if objective not in ("weeks", "ready_date"):
        raise ValueError(f"objective must be 'weeks' or 'ready_date', not {objective!r}")
    if method not in ("auto", "search", "program"):
        raise ValueError(f"method must be 'auto', 'search' or 'program', not {method!r}")
    catalogue = sorted({c.id: c for c in courses}.values(), key=lambda c: c.id)
    have = {item: level for item, level in state.items() if level > 0}
    unmet = {item: level for item, level in goal.items() if have.get(item, 0) < level}
    if not unmet:
        return RoutePlan(objective, True, Route((), (), 0, 0, start))

    relevant = _relevant(catalogue, have, unmet)
    unreachable = _unreachable_ignoring_dates(catalogue, have, unmet)
    if unreachable:
        return RoutePlan(objective, False, None, unreachable=unreachable)

    if alternatives == 0:
        relevant = _undominated(relevant, objective)
    problem = _Problem(relevant, have, goal, start)
    if objective == "weeks":
        plans = _weeks_plans(problem, 1 + alternatives, method)
    else:
        plans = _ready_plans(problem, 1 + alternatives, method)
    if not plans:
        if objective == "ready_date":
            reasons = _unschedulable(relevant, unmet, start)
            return RoutePlan(objective, False, None, unreachable=reasons)
        raise AssertionError("reachable goal without a plan: the search is broken")
    routes = [problem.route(plan, objective) for plan in plans]
    return RoutePlan(objective, True, routes[0], tuple(routes[1:]))


def _weeks_plans(problem: _Problem, want: int, method: Method) -> list[_Label]:
    if method != "program":
        limit = SEARCH_BEFORE_PROGRAM if method == "auto" else MAX_EXPANSIONS
        try:
            strict = method == "auto"
            return problem.search("weeks", want, by_set=want > 1, limit=limit, strict=strict)
        except RouteSearchTooLarge:
            if method == "search":
                raise
    try:
        sets = weeks_optimal_sets(problem.courses, problem.have, problem.goal_levels, want)
    except SetSearchFailed as error:
        raise RouteSearchTooLarge(0) from error
    return [problem.label_of(chosen) for chosen in sets]


def _ready_plans(problem: _Problem, want: int, method: Method) -> list[_Label]:
    """``ready_date``: the search for small gaps, the scheduling program for large ones
    — or the ``weeks`` program when no course has start dates (then every order ends
    ``7 · weeks`` days after the start, and the two objectives rank plans alike)."""
    if method == "search":
        return problem.search("ready_date", want, by_set=want > 1)
    if method == "auto":
        try:
            return problem.search(
                "ready_date", want, by_set=want > 1, limit=SEARCH_BEFORE_PROGRAM, strict=True
            )
        except RouteSearchTooLarge:
            pass
    try:
        if not any(course.starts for course in problem.courses):
            sets = weeks_optimal_sets(problem.courses, problem.have, problem.goal_levels, want)
            return [problem.label_of(chosen) for chosen in sets]
        latest, earliest = _ready_date_bounds(problem) if want == 1 else (None, 0)
        orders = earliest_ready_orders(
            problem.courses,
            problem.have,
            problem.goal_levels,
            problem.start,
            want,
            latest,
            earliest,
        )
    except SetSearchFailed as error:
        raise RouteSearchTooLarge(0) from error
    return [problem.label_in_order(order) for order in orders]


def _ready_date_bounds(problem: _Problem) -> tuple[dt.date | None, int]:
    """Bounds from the ``weeks`` route: its greedy schedule is a ready date some plan
    reaches (start dates ending later can be left out), and no plan is ready sooner than
    7 × its weeks days after the start (courses run one after another)."""
    sets = weeks_optimal_sets(problem.courses, problem.have, problem.goal_levels, 1)
    if not sets:
        return None, 0
    order = problem.greedy_order(list(sets[0]))
    schedule = problem.schedule(order)
    fewest_weeks = sum(problem.courses[k].weeks for k in sets[0])
    return (schedule[-1].end if schedule else None), 7 * fewest_weeks


# --- relevance and reachability ---------------------------------------------------------


def _relevant(
    catalogue: list[CourseOption], have: Mapping[Item, int], unmet: Mapping[Item, int]
) -> list[CourseOption]:
    """Courses teaching a missing item, and transitively those teaching a missing
    prerequisite of such a course (the same traversal the stores' path queries do)."""
    teachers: dict[Item, list[CourseOption]] = {}
    for course in catalogue:
        for item in course.teaches:
            teachers.setdefault(item, []).append(course)
    wanted, seen, chosen = list(unmet), set(unmet), {}
    while wanted:
        item = wanted.pop()
        for course in teachers.get(item, ()):
            if course.id in chosen:
                continue
            chosen[course.id] = course
            for prerequisite, level in course.requires.items():
                if have.get(prerequisite, 0) < level and prerequisite not in seen:
                    seen.add(prerequisite)
                    wanted.append(prerequisite)
    return sorted(chosen.values(), key=lambda c: c.id)


def _undominated(courses: list[CourseOption], objective: Objective) -> list[CourseOption]:
    """Drop every course that another course beats in every respect: teaches at least as
    much, requires no more, takes no more weeks and costs no more (and, for
    ``ready_date``, starts on every day it does). Putting the better course in the worse
    one's place keeps any plan valid and makes it no worse, and strictly better or
    smaller in sorted ids; so no optimal plan needs a dominated course. (Alternatives
    may, which is why this runs only for the best route.)"""
    teachers: dict[Item, list[CourseOption]] = {}
    for course in courses:
        for item in course.teaches:
            teachers.setdefault(item, []).append(course)
    kept = []
    for worse in courses:
        first = next(iter(worse.teaches), None)
        rivals = teachers.get(first, []) if first is not None else courses
        if not any(
            better is not worse and _dominates(better, worse, objective) for better in rivals
        ):
            kept.append(worse)
    return kept


def _dominates(better: CourseOption, worse: CourseOption, objective: Objective) -> bool:
    if better.weeks > worse.weeks or better.cost > worse.cost:
        return False
    if (better.weeks, better.cost, better.id) > (worse.weeks, worse.cost, worse.id):
        return False
    if any(better.teaches.get(i, 0) < lv for i, lv in worse.teaches.items()):
        return False
    if any(worse.requires.get(i, 0) < lv for i, lv in better.requires.items()):
        return False
    if objective == "ready_date" and better.starts:
        return bool(worse.starts) and set(worse.starts) <= set(better.starts)
    return True


def _closure(catalogue: list[CourseOption], have: Mapping[Item, int]) -> dict[Item, int]:
    """Levels after taking every course that ever becomes takeable (dates ignored)."""
    levels, taken = dict(have), set()
    changed = True
    while changed:
        changed = False
        for course in catalogue:
            if course.id in taken:
                continue
            if all(levels.get(i, 0) >= lv for i, lv in course.requires.items()):
                taken.add(course.id)
                changed = True
                for item, level in course.teaches.items():
                    levels[item] = max(levels.get(item, 0), level)
    return levels


def _unreachable_ignoring_dates(
    catalogue: list[CourseOption], have: Mapping[Item, int], unmet: Mapping[Item, int]
) -> tuple[Unreachable, ...]:
    levels = _closure(catalogue, have)
    found = []
    for item, level in sorted(unmet.items()):
        if levels.get(item, 0) >= level:
            continue
        teachers = [c for c in catalogue if c.teaches.get(item, 0) >= level]
        if not teachers:
            lower = any(item in c.teaches for c in catalogue)
            reason = (
                f"no course teaches it up to level {_show(item, level)}"
                if lower
                else "no course teaches it"
            )
        else:
            blockers = sorted(
                {
                    (prerequisite, need)
                    for course in teachers
                    for prerequisite, need in course.requires.items()
                    if levels.get(prerequisite, 0) < need
                }
            )
            named = ", ".join(f"{p[0]} {p[1]} (level {_show(p, need)})" for p, need in blockers)
            reason = f"the courses that teach it need something unreachable: {named}"
        found.append(Unreachable(item, level, reason))
    return tuple(found)


def _unschedulable(
    relevant: list[CourseOption], unmet: Mapping[Item, int], start: dt.date
) -> tuple[Unreachable, ...]:
    """Why a goal reachable without dates has no schedule."""
    found = []
    for item, level in sorted(unmet.items()):
        teachers = [c for c in relevant if c.teaches.get(item, 0) >= level]
        if all(c.starts and c.starts[-1] < start for c in teachers):
            reason = "no course that teaches it can still be scheduled (no start date left)"
        else:
            reason = "the courses it needs cannot be scheduled one after another in time"
        found.append(Unreachable(item, level, reason))
    return tuple(found)


def _show(item: Item, level: int) -> str:
    return _CEFR[level - 1] if item[0] == "language" and 1 <= level <= 7 else str(level)


# --- the search --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    levels: tuple[int, ...]
    day: dt.date
    taken: tuple[int, ...]  # course indices, in order
    weeks: int
    cents: int

    @property
    def ids_key(self) -> tuple[int, ...]:
        return tuple(sorted(self.taken))


class _Problem:
    """One search problem: relevant courses indexed by integers for speed.

    Course indices follow the order of ids, so comparing sorted index tuples compares
    sorted id lists.
    """

    def __init__(
        self,
        courses: list[CourseOption],
        have: Mapping[Item, int],
        goal: Mapping[Item, int],
        start: dt.date,
    ) -> None:
        self.courses = courses  # sorted by id
        self.have = have
        self.goal_levels = goal
        items = sorted(set(goal) | {item for c in courses for item in (*c.teaches, *c.requires)})
        self.index = {item: i for i, item in enumerate(items)}
        self.initial = tuple(have.get(item, 0) for item in items)
        self.goal = tuple((self.index[item], level) for item, level in sorted(goal.items()))
        self.start = start
        self.teaches = [tuple((self.index[i], lv) for i, lv in c.teaches.items()) for c in courses]
        self.requires = [
            tuple((self.index[i], lv) for i, lv in c.requires.items()) for c in courses
        ]
        self.cents = [round(c.cost * 100) for c in courses]
        # Courses teaching each item, with the level they teach (for bounds and pruning).
        self.teachers_of: dict[int, list[tuple[int, int]]] = {}
        for k, teaches in enumerate(self.teaches):
            for i, lv in teaches:
                self.teachers_of.setdefault(i, []).append((k, lv))
        # Fewest weeks of any course teaching item i up to level l: a lower bound on the
        # weeks needed to reach (i, l) from any state where it is unmet.
        self._min_weeks: dict[tuple[int, int], float] = {}
        # For each goal entry: the courses that teach it far enough (for the bounds).
        self.goal_teachers = [
            [
                k
                for k, teaches in enumerate(self.teaches)
                if any(i == g and lv >= need for i, lv in teaches)
            ]
            for g, need in self.goal
        ]

        self.covers: list[list[int]] = [[] for _ in courses]
        for n, teachers in enumerate(self.goal_teachers):
            for k in teachers:
                self.covers[k].append(n)

    # -- primitives --

    def _takeable(self, levels: tuple[int, ...], k: int) -> bool:
        return all(levels[i] >= lv for i, lv in self.requires[k])

    def _raises(self, levels: tuple[int, ...], k: int) -> bool:
        return any(levels[i] < lv for i, lv in self.teaches[k])

    def _apply(self, levels: tuple[int, ...], k: int) -> tuple[int, ...]:
        new = list(levels)
        for i, lv in self.teaches[k]:
            if new[i] < lv:
                new[i] = lv
        return tuple(new)

    def _unmet(self, levels: tuple[int, ...]) -> list[int]:
        return [n for n, (i, need) in enumerate(self.goal) if levels[i] < need]

    def start_on(self, k: int, day: dt.date) -> dt.date | None:
        """First start of course ``k`` on or after ``day`` (any day if it has no dates)."""
        starts = self.courses[k].starts
        if not starts:
            return day
        at = bisect.bisect_left(starts, day)
        return starts[at] if at < len(starts) else None

    def end_of(self, k: int, begin: dt.date) -> dt.date:
        return begin + dt.timedelta(days=7 * self.courses[k].weeks)

    # -- bounds --

    def _teachers(self, item: int, level: int) -> list[int]:
        return [k for k, lv in self.teachers_of.get(item, ()) if lv >= level]

    def _min_weeks_to(self, item: int, level: int) -> float:
        key = (item, level)
        if key not in self._min_weeks:
            weeks = [self.courses[k].weeks for k in self._teachers(item, level)]
            self._min_weeks[key] = min(weeks, default=_INF)
        return self._min_weeks[key]

    def _h_weeks(self, levels: tuple[int, ...]) -> float:
        """A lower bound on the weeks still needed: the larger of two admissible bounds.

        *Chain bound:* the largest, over unmet requirements, of the fewest weeks any way to
        meet it takes — a course teaching it far enough plus (two levels deep) the fewest
        weeks of a course for its slowest unmet prerequisite, which must be another course
        taken before.

        *Cover bound:* every unmet requirement must be met by some course; charge each
        course's weeks equally to the unmet requirements it meets. Any plan pays at least
        the sum, over unmet requirements, of the cheapest charge — and taking a course
        lowers this sum by at most its own weeks, so the bound stays consistent.
        """
        unmet = self._unmet(levels)
        if not unmet:
            return 0.0
        open_goals = set(unmet)
        cover = 0.0
        for n in unmet:
            cheapest = _INF
            for k in self.goal_teachers[n]:
                shared = sum(1 for m in self.covers[k] if m in open_goals)
                cheapest = min(cheapest, self.courses[k].weeks / shared)
            cover += cheapest
        if cover == _INF:
            return _INF
        return max(cover, self._h_chain(levels, unmet))

    def _h_chain(self, levels: tuple[int, ...], unmet: list[int]) -> float:
        bound = 0.0
        for n in unmet:
            best = _INF
            for k in self.goal_teachers[n]:
                before = max(
                    (self._min_weeks_to(j, lj) for j, lj in self.requires[k] if levels[j] < lj),
                    default=0,
                )
                best = min(best, self.courses[k].weeks + before)
            if best == _INF:
                return _INF
            bound = max(bound, best)
        return bound

    def _earliest_end(self, item: int, level: int, day: dt.date) -> float:
        ends = [
            self.end_of(k, begin).toordinal()
            for k in self._teachers(item, level)
            if (begin := self.start_on(k, day)) is not None
        ]
        return min(ends, default=_INF)

    def _h_day(self, levels: tuple[int, ...], day: dt.date) -> float:
        """Largest, over unmet requirements, of the earliest day a course teaching it could
        end, starting no earlier than the earliest end of its slowest unmet prerequisite
        (two levels deep, like ``_h_weeks``)."""
        bound = day.toordinal()
        for n in self._unmet(levels):
            best = _INF
            for k in self.goal_teachers[n]:
                ready = max(
                    (
                        self._earliest_end(j, lj, day)
                        for j, lj in self.requires[k]
                        if levels[j] < lj
                    ),
                    default=day.toordinal(),
                )
                if ready == _INF:
                    continue
                begin = self.start_on(k, dt.date.fromordinal(int(ready)))
                if begin is not None:
                    best = min(best, self.end_of(k, begin).toordinal())
            if best == _INF:
                return _INF
            bound = max(bound, best)
        return bound

    def _useful(self, levels: tuple[int, ...]) -> set[int]:
        """Courses that raise something still needed: an unmet requirement or, backwards,
        an unmet prerequisite of a course that does. A plan never needs any other course
        (dropping it would leave a valid, strictly better plan)."""
        wanted = [(i, need) for i, need in self.goal if levels[i] < need]
        seen = set(wanted)
        useful: set[int] = set()
        while wanted:
            item, _need = wanted.pop()
            for k in self._teachers_raising(item, levels[item]):
                if k in useful:
                    continue
                useful.add(k)
                for j, lj in self.requires[k]:
                    if levels[j] < lj and (j, lj) not in seen:
                        seen.add((j, lj))
                        wanted.append((j, lj))
        return useful

    def _teachers_raising(self, item: int, current: int) -> list[int]:
        return [k for k, lv in self.teachers_of.get(item, ()) if lv > current]

    def _priority(self, label: _Label, objective: str) -> tuple[float, ...] | None:
        h_weeks = self._h_weeks(label.levels)
        if h_weeks == _INF:
            return None
        count = len(label.taken)
        if objective == "weeks":
            return (label.weeks + h_weeks, count, label.cents)
        h_day = self._h_day(label.levels, label.day)
        if h_day == _INF:
            return None
        # Courses run one after another, so the weeks still needed also bound the days.
        h_day = max(h_day, label.day.toordinal() + 7 * h_weeks)
        return (h_day, label.weeks + h_weeks, count, label.cents)

    # -- search --

    def search(
        self,
        objective: str,
        want: int,
        by_set: bool,
        allowed: frozenset[int] | None = None,
        limit: int = MAX_EXPANSIONS,
        strict: bool = False,
    ) -> list[_Label]:
        """Up to ``want`` goal labels in objective order (see the module docstring).

        Bounds are evaluated lazily: a child enters the queue under its parent's priority
        with its own course count and cost (never more than its true priority, because
        the bounds are consistent) and gets its real priority only when it reaches the
        front. Most children never do, and their bounds are never computed.

        After ``limit`` expansions the search raises ``RouteSearchTooLarge``, except when
        it collects alternatives (``by_set``) and is not ``strict``: then it returns what
        it has found.
        """
        root = _Label(self.initial, self.start, (), 0, 0)
        counter = itertools.count()
        heap: list[tuple[tuple[float, ...], tuple[int, ...], int, bool, _Label]] = []
        heapq.heappush(heap, ((0.0,), (), next(counter), False, root))
        closed: set[object] = set()
        found: list[_Label] = []
        bucket: list[_Label] = []
        bucket_priority: tuple[float, ...] | None = None
        expansions = 0
        candidates = range(len(self.courses)) if allowed is None else sorted(allowed)

        while heap:
            priority, ids, _, exact, label = heapq.heappop(heap)
            if bucket and priority > bucket_priority:
                self._flush(bucket, found)
                bucket = []
                if len(found) >= want:
                    break
            key = self._state_key(label, objective, by_set)
            if key in closed:
                continue
            if not exact:
                real = self._priority(label, objective)
                if real is not None:
                    heapq.heappush(heap, (real, ids, next(counter), True, label))
                continue
            closed.add(key)
            if not self._unmet(label.levels):
                bucket.append(label)
                bucket_priority = priority
                continue
            expansions += 1
            if expansions > limit:
                if by_set and not strict:
                    break
                raise RouteSearchTooLarge(expansions)
            useful = self._useful(label.levels)
            for k in candidates:
                if k not in useful or k in label.taken:
                    continue
                if not self._takeable(label.levels, k) or not self._raises(label.levels, k):
                    continue
                child = self._take(label, k, objective)
                if child is None:
                    continue
                lower = (*priority[:-2], len(child.taken), child.cents)
                heapq.heappush(heap, (lower, child.ids_key, next(counter), False, child))
        if bucket:
            self._flush(bucket, found)
        return found[:want]

    def _state_key(self, label: _Label, objective: str, by_set: bool) -> object:
        day = label.day if objective == "ready_date" else None
        if by_set:
            return (label.levels, day, frozenset(label.taken))
        return (label.levels, day)

    def _take(self, label: _Label, k: int, objective: str) -> _Label | None:
        day = label.day
        if objective == "ready_date":
            begin = self.start_on(k, label.day)
            if begin is None:
                return None
            day = self.end_of(k, begin)
        return _Label(
            self._apply(label.levels, k),
            day,
            (*label.taken, k),
            label.weeks + self.courses[k].weeks,
            label.cents + self.cents[k],
        )

    @staticmethod
    def _flush(bucket: list[_Label], found: list[_Label]) -> None:
        """Emit the goal labels of one priority plateau, smallest sorted ids first,
        skipping sets already emitted and supersets of them (padding)."""
        for label in sorted(bucket, key=lambda lb: lb.ids_key):
            chosen = set(label.taken)
            if any(set(earlier.taken) <= chosen for earlier in found):
                continue
            found.append(label)

    # -- results --

    def route(self, label: _Label, objective: str) -> Route:
        """The route of a goal label, with its schedule.

        For ``ready_date`` the label's order is its schedule. For ``weeks`` the set is
        what was optimised; it is then ordered to finish as early as possible (a
        ``ready_date`` search restricted to exactly these courses, which must take all of
        them because the set is minimal), or by smallest takeable id when no order fits
        the start dates.
        """
        order = list(label.taken)
        if objective == "weeks" and len(order) > ORDER_SEARCH_COURSES:
            order = self.greedy_order(order)
        elif objective == "weeks":
            try:
                timed = self.search(
                    "ready_date",
                    want=1,
                    by_set=False,
                    allowed=frozenset(label.taken),
                    limit=ORDER_EXPANSIONS,
                )
            except RouteSearchTooLarge:
                timed = []
            if timed and set(timed[0].taken) == set(order):
                order = list(timed[0].taken)
            else:
                order = self.greedy_order(order)
        schedule = self.schedule(order)
        courses = [self.courses[k] for k in order]
        weeks = sum(c.weeks for c in courses)
        cost = sum(c.cost for c in courses)
        ready = schedule[-1].end if schedule else (self.start if not order else None)
        return Route(tuple(c.id for c in courses), tuple(schedule), weeks, cost, ready)

    def label_of(self, chosen: frozenset[int]) -> _Label:
        """A goal label for a course set found by the integer program."""
        order = self.greedy_order(list(chosen))
        return _Label(
            self.goal_state(order),
            self.start,
            tuple(order),
            sum(self.courses[k].weeks for k in order),
            sum(self.cents[k] for k in order),
        )

    def label_in_order(self, order: list[int]) -> _Label:
        """A goal label for courses to take in this order, on their dates."""
        day: dt.date | None = self.start
        for k in order:
            begin = self.start_on(k, day) if day is not None else None
            day = self.end_of(k, begin) if begin is not None else None
        return _Label(
            self.goal_state(order),
            day or self.start,
            tuple(order),
            sum(self.courses[k].weeks for k in order),
            sum(self.cents[k] for k in order),
        )

    def goal_state(self, order: list[int]) -> tuple[int, ...]:
        levels = self.initial
        for k in order:
            levels = self._apply(levels, k)
        return levels

    def greedy_order(self, taken: list[int]) -> list[int]:
        """Takeable courses one by one, the one that would end first next (by smallest id
        among equals, and by smallest id alone once nothing left can be scheduled): when
        the exact earliest-finishing order is too costly to find, a good one."""
        levels, left, order, day = self.initial, sorted(taken), [], self.start
        while left:
            takeable = [k for k in left if self._takeable(levels, k)]
            ends = {
                k: self.end_of(k, begin)
                for k in takeable
                if day is not None and (begin := self.start_on(k, day)) is not None
            }
            k = min(ends, key=lambda k: (ends[k], k)) if ends else takeable[0]
            day = ends.get(k)
            order.append(k)
            left.remove(k)
            levels = self._apply(levels, k)
        return order

    def schedule(self, order: list[int]) -> list[ScheduledCourse]:
        day, schedule = self.start, []
        for k in order:
            begin = self.start_on(k, day)
            if begin is None:
                return []
            day = self.end_of(k, begin)
            schedule.append(ScheduledCourse(self.courses[k].id, begin, day))
        return schedule
