"""The training route: exact, by best-first search over levels.

:func:`plan_route` answers "which courses close this gap, and in which order?" for the
semantics of DESIGN.md ("The training route (precise)"):

* A course can be taken when each item it requires is held at the required level; taking
  it raises each item it teaches to ``max(current, taught)``.
* A plan is an ordered list of distinct courses, each takeable after the ones before it,
  after which every goal item (the offer's essential requirements) holds. **Only courses
  that raise at least one level when taken are part of a plan (no padding).**
* Objective ``weeks`` minimises the key ``(total weeks, number of courses, total cost in
  cents, sorted course ids)``. Objective ``ready_date`` takes the courses one after another
  (each at its first start date on or after the day the previous one ended, the first on
  or after ``start``; a course without start dates starts on that very day) and minimises
  ``(end of the last course, total weeks, number of courses, cost, sorted ids)``; two
  orders of the same courses that end on the same day are told apart by the end days of
  the first, second, … course (earlier first) and finally by the ids in order.
* Alternatives are the next plans in the same order whose course set is neither the set of
  an earlier route nor a superset of one (a superset is an earlier route plus padding).

Why the answers are exact
-------------------------
1. *Only courses that can matter are searched.* A threshold is a pair (item, level) that
   a goal item or a prerequisite of a searched course needs; a course is searched when it
   can lift an item across a threshold, and its own prerequisites become thresholds
   (a fixpoint, like the stores' path queries). In a route that is not a superset of a
   better one every course crosses such a threshold when taken: otherwise dropping the
   courses that cross none leaves a valid plan (prerequisites and goals only look at
   thresholds, a later course still raises what it raised, and nothing starts later),
   which is strictly better and a subset. So levels can be compressed to "how many
   thresholds of this item are met", which is the search state.
2. *Best-first search with lower bounds.* Labels (a partial plan) are popped in order of a
   priority tuple whose components are lower bounds of the corresponding components of the
   key of any completion, compared lexicographically: weeks so far plus ``hw``, courses so
   far plus ``hn``, cents so far plus ``hc``, then the sorted ids merged with the smallest
   ids of courses that could still be taken (enough of them to make up ``hn``), and for
   ``ready_date`` first the earliest possible end and last the end days and ids so far
   (a prefix of a tuple never compares greater than the tuple). ``hw`` is a sum over
   groups of items that are taught together (no course teaches items of two groups) of
   the largest, over the group's items, cheapest chain of that item's courses that lifts
   it to the level still needed (the goal, or the prerequisite level every course that
   teaches an unmet goal item needs) — a zero-one cost partitioning of an ``h_max``
   relaxation, so admissible, and consistent (taking a course lowers it by at most that
   course's weeks). The earliest end is the larger of ``day + 7·hw`` and, per unmet goal
   item, the earliest end of a chain of its courses from today with their real start
   dates; it never decreases along a path. Hence the priority never decreases along a
   path and the first goal popped is optimal.
3. *Merging labels.* Two labels at the same levels have the same futures (a course already
   taken cannot raise anything any more). Extending two plans with the same further
   courses keeps their order: sums keep their order, and for sorted id lists of equal
   length the first differing id of the smaller list stays the first difference after
   merging in the same disjoint set of ids. So a state keeps only the best labels
   (``ready_date``: those not dominated by a label that ends no later and is no worse).
   To list the best ``m`` distinct sets a state keeps up to ``m`` labels with distinct
   sets, which is exact for the same reason (``m`` better distinct completions exist).
4. *Decomposition for ``weeks``.* Items linked by no course are independent problems whose
   best sets combine by a k-best merge. Inside one, items whose courses no other group
   needs ("leaves") are independent once the levels of the other items (the "hub") are
   fixed, because each plan can be reordered to take hub courses first: the planner
   enumerates the hub's reachable level vectors with their best hub plans and solves each
   leaf once per set of its courses those levels unlock. Without this, ``n`` independent
   missing items with tied bounds would make any best-first search visit ``2^n`` subsets.
5. *Pruning dominated courses* (best route only): a course that is not faster, dearer in
   weeks and cost, that teaches no more, needs no less and (``ready_date``) never ends
   earlier than another is dropped — swapping it for the other never makes a plan worse.
6. *Ordering a chosen set* (the schedule of a ``weeks`` route) is a best-first search over
   (courses taken, day) bounded by a preemptive relaxation: each remaining course gets the
   earliest start its start dates and its prerequisites among the remaining courses allow,
   and ``max_j (start_j + 7·weeks of the courses starting no earlier)`` is the optimum of
   one machine with release dates and preemption, hence a lower bound of the real end.

Complexity: preprocessing is linear in the catalogue times the prerequisite depth.
For ``weeks`` choosing the set is polynomial in the number of relevant courses for chains
and for independent items (the product of the hub's level counts times the leaves' own
searches). Scheduling (``ready_date``, and ordering a ``weeks`` set) is NP-hard in general
— start dates make it a packing problem — so those searches are exponential in the worst
case in the number of courses that can be interleaved, and fast when the bounds are tight.
A search that pops more than :data:`MAX_EXPANSIONS` labels raises
:class:`RouteSearchTooLarge` instead of returning a plan it cannot prove optimal
(alternatives only: the best route is returned alone). Alternatives multiply the work by
about the number of labels kept per state.

Example::

    >>> import datetime as dt
    >>> de = ("language", "de")
    >>> de_a2 = CourseOption("k-a2", 4, 0, (), {de: 2}, {de: 1})
    >>> fork = CourseOption("k-fork", 1, 300, (), {("tool", "fork"): 1}, {de: 2})
    >>> plan = plan_route({de: 1}, {("tool", "fork"): 1}, [fork, de_a2],
    ...                   start=dt.date(2027, 1, 4))
    >>> plan.best.courses, plan.best.total_weeks, str(plan.best.ready_date)
    (('k-a2', 'k-fork'), 5, '2027-02-08')
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import count, pairwise
from typing import Literal

from graph.errors import WegweiserError
from graph.planning.types import (
    CourseOption,
    Item,
    Route,
    RoutePlan,
    ScheduledCourse,
    Unreachable,
)

__all__ = [
    "MAX_EXPANSIONS",
    "Objective",
    "RouteSearchTooLarge",
    "plan_route",
    "reachable_levels",
]

Objective = Literal["weeks", "ready_date"]

MAX_EXPANSIONS = 300_000
"""Labels one search may pop before it gives up with :class:`RouteSearchTooLarge`."""

_CEFR = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
_INF = math.inf
_HUB_STATES = 20_000
"""Largest hub (product of its items' level counts) enumerated by the decomposition."""


class RouteSearchTooLarge(WegweiserError):
    """A search would have to look at too many partial plans to prove a route optimal."""

    def __init__(self, expansions: int) -> None:
        super().__init__(
            f"the route search stopped after {expansions:,} partial plans without proving "
            "a route optimal; the part of the catalogue that matters is too large"
        )


def plan_route(
    state: Mapping[Item, int],
    goal: Mapping[Item, int],
    courses: Iterable[CourseOption],
    *,
    objective: Objective = "weeks",
    start: dt.date,
    alternatives: int = 0,
) -> RoutePlan:
    """The optimal route from ``state`` to ``goal`` and up to ``alternatives`` next best.

    ``goal`` holds the offer's essential requirements (item → level). The result is exact
    for any catalogue (see the module docstring); callers may pass only the courses that
    can matter, or more. For ``weeks`` the best set is also given its earliest-finishing
    order and schedule (``ready_date`` ``None`` and an empty schedule if no order fits the
    start dates, the courses then in the lexicographically smallest valid order).

    When the goal cannot be reached, ``unreachable`` names each goal item that no plan can
    reach, with the required level and one of these reasons: ``"no course teaches it"``,
    ``"no course teaches it up to level N"``, ``"the courses that teach it need something
    unreachable: <kind> <id> (level N), …"`` (prerequisite cycles included), and for
    ``ready_date`` ``"no course that teaches it can still be scheduled"`` or, when each
    item alone could be scheduled but not all of them, ``"the start dates left do not
    allow it together with the rest of the goal"``. Levels in reasons are shown as CEFR
    names for languages.

    Raises ``ValueError`` for an unknown objective, negative ``alternatives``, a course
    with ``weeks < 1`` or a negative cost, or two different courses with one id; and
    :class:`RouteSearchTooLarge` when the best route cannot be proven within
    :data:`MAX_EXPANSIONS`.

    Example::

        >>> import datetime as dt
        >>> fork = CourseOption("k-fork", 1, 300.0, (), {("tool", "fork"): 1}, {})
        >>> plan_route({}, {("tool", "fork"): 1}, [fork], start=dt.date(2027, 1, 4)).best
        ... # doctest: +NORMALIZE_WHITESPACE
        Route(courses=('k-fork',), schedule=(ScheduledCourse(course='k-fork',
              start=datetime.date(2027, 1, 4), end=datetime.date(2027, 1, 11)),),
              total_weeks=1, total_cost=300.0, ready_date=datetime.date(2027, 1, 11))
    """
    if objective not in ("weeks", "ready_date"):
        raise ValueError(f"objective must be 'weeks' or 'ready_date', not {objective!r}")
    if alternatives < 0:
        raise ValueError("alternatives must be >= 0")
    catalogue = _normalise(courses)
    have = {item: level for item, level in state.items() if level > 0}
    unmet = {item: level for item, level in goal.items() if have.get(item, 0) < level}
    if not unmet:  # every other plan is a superset of the empty one: no alternatives
        return RoutePlan(objective, True, Route((), (), 0, 0, start), ())
    dated = objective == "ready_date"
    planner = _Planner(catalogue, have, start.toordinal())

    closure, _ = _closure(catalogue, have)
    lost = [item for item in sorted(unmet) if closure.get(item, 0) < unmet[item]]
    if lost:
        found = [_why_unreachable(item, unmet[item], catalogue, closure) for item in lost]
        if dated:
            for item in sorted(set(unmet) - set(lost)):
                if not planner.schedulable({item: unmet[item]}):
                    found.append(Unreachable(item, unmet[item], _NOT_SCHEDULABLE))
        return RoutePlan(objective, False, None, (), tuple(sorted(found, key=_by_item)))

    routes = planner.routes(unmet, dated, alternatives)
    if not routes:
        if not dated:  # pragma: no cover - the closure proved a plan exists
            raise AssertionError("reachable goal without a plan: the search is broken")
        found = [
            Unreachable(item, level, _NOT_SCHEDULABLE)
            for item, level in sorted(unmet.items())
            if not planner.schedulable({item: level})
        ]
        if not found:
            found = [Unreachable(i, lv, _NOT_TOGETHER) for i, lv in sorted(unmet.items())]
        return RoutePlan(objective, False, None, (), tuple(found))
    return RoutePlan(objective, True, routes[0], tuple(routes[1:]), ())


def reachable_levels(state: Mapping[Item, int], courses: Iterable[CourseOption]) -> dict[Item, int]:
    """The highest level of each item that some sequence of courses reaches, dates ignored.

    It is the closure: take every takeable course until nothing changes. Order does not
    matter because levels only grow, so a course takeable once stays takeable.

    Example::

        >>> a1 = CourseOption("a1", 4, 0, (), {("language", "de"): 1}, {})
        >>> reachable_levels({}, [a1])
        {('language', 'de'): 1}
    """
    levels, _ = _closure(_normalise(courses), {i: lv for i, lv in state.items() if lv > 0})
    return levels


# --- input ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Course:
    """A validated course; ``rank`` is its position in id order (ids compare as ranks)."""

    rank: int
    id: str
    weeks: int
    cents: int
    cost: float
    starts: tuple[int, ...] | None  # day ordinals; None = any day
    teaches: dict[Item, int]
    requires: dict[Item, int]


def _normalise(courses: Iterable[CourseOption]) -> list[_Course]:
    by_id: dict[str, CourseOption] = {}
    for course in courses:
        earlier = by_id.get(course.id)
        if earlier is not None and earlier != course:
            raise ValueError(f"two different courses have the id {course.id!r}")
        by_id[course.id] = course
    out = []
    for rank, course_id in enumerate(sorted(by_id)):
        course = by_id[course_id]
        if not isinstance(course.weeks, int) or course.weeks < 1:
            raise ValueError(f"course {course_id!r}: weeks must be an int >= 1")
        if not (course.cost >= 0 and math.isfinite(course.cost)):
            raise ValueError(f"course {course_id!r}: cost must be finite and >= 0")
        starts = tuple(sorted({d.toordinal() for d in course.starts})) or None
        out.append(
            _Course(
                rank,
                course_id,
                course.weeks,
                round(course.cost * 100),
                course.cost,
                starts,
                {i: lv for i, lv in course.teaches.items() if lv > 0},
                {i: lv for i, lv in course.requires.items() if lv > 0},
            )
        )
    return out


def _end(starts: tuple[int, ...] | None, weeks: int, day: int) -> int | None:
    """The day a course ends when started at its first start on or after ``day``."""
    if starts is None:
        return day + 7 * weeks
    at = bisect_left(starts, day)
    return starts[at] + 7 * weeks if at < len(starts) else None


# --- reachability and reasons -----------------------------------------------------------

_NOT_SCHEDULABLE = "no course that teaches it can still be scheduled"
_NOT_TOGETHER = "the start dates left do not allow it together with the rest of the goal"


def _closure(
    catalogue: Sequence[_Course], have: Mapping[Item, int]
) -> tuple[dict[Item, int], list[_Course]]:
    """Levels after taking every course that ever becomes takeable, and those courses."""
    levels, pending, taken = dict(have), list(catalogue), []
    changed = True
    while changed:
        changed, rest = False, []
        for course in pending:
            if all(levels.get(i, 0) >= lv for i, lv in course.requires.items()):
                taken.append(course)
                changed = True
                for item, level in course.teaches.items():
                    if levels.get(item, 0) < level:
                        levels[item] = level
            else:
                rest.append(course)
        pending = rest
    return levels, taken


def _why_unreachable(
    item: Item, level: int, catalogue: Sequence[_Course], closure: Mapping[Item, int]
) -> Unreachable:
    teachers = [c for c in catalogue if c.teaches.get(item, 0) >= level]
    if not teachers:
        if any(item in c.teaches for c in catalogue):
            return Unreachable(
                item, level, f"no course teaches it up to level {_show(item, level)}"
            )
        return Unreachable(item, level, "no course teaches it")
    blockers: dict[Item, int] = {}
    for course in teachers:
        for need, lv in course.requires.items():
            if closure.get(need, 0) < lv and lv < blockers.get(need, 8):
                blockers[need] = lv
    named = ", ".join(
        f"{k} {i} (level {_show((k, i), lv)})" for (k, i), lv in sorted(blockers.items())
    )
    return Unreachable(
        item, level, f"the courses that teach it need something unreachable: {named}"
    )


def _show(item: Item, level: int) -> str:
    return _CEFR[level - 1] if item[0] == "language" and 1 <= level <= 7 else str(level)


def _by_item(u: Unreachable) -> Item:
    return u.item


# --- the planner ------------------------------------------------------------------------


class _Planner:
    """Holds the catalogue of one call and turns searches into routes."""

    def __init__(self, catalogue: list[_Course], have: dict[Item, int], start_day: int):
        self.catalogue = catalogue
        self.have = have
        self.start_day = start_day
        _, self.takeable = _closure(catalogue, have)

    def schedulable(self, goal: Mapping[Item, int]) -> bool:
        """Whether some plan reaching ``goal`` fits the start dates."""
        useful, thresholds = _useful(self.takeable, self.have, goal)
        useful = _undominated(useful, self.have, thresholds, True, self.start_day)
        space = _Space(useful, self.have, goal, thresholds, self.start_day)
        return bool(_search(space, dated=True, keep=1))

    def routes(self, unmet: dict[Item, int], dated: bool, alternatives: int) -> list[Route]:
        """The best route and the alternatives (module docstring, header and point 5)."""
        useful, thresholds = _useful(self.takeable, self.have, unmet)
        if alternatives:
            try:
                return self._with_alternatives(useful, thresholds, unmet, dated, alternatives)
            except RouteSearchTooLarge:
                pass  # fall back to the best route alone, which is cheaper to prove
        useful = _undominated(useful, self.have, thresholds, dated, self.start_day)
        useful, thresholds = _useful(useful, self.have, unmet)
        best = self._ranked_sets(useful, unmet, thresholds, dated, 1)
        return [self._route(plan, dated) for plan in best]

    def _with_alternatives(
        self,
        useful: list[_Course],
        thresholds: dict[Item, tuple[int, ...]],
        unmet: dict[Item, int],
        dated: bool,
        alternatives: int,
    ) -> list[Route]:
        wanted = alternatives + 1
        keep = wanted
        while True:
            plans = self._ranked_sets(useful, unmet, thresholds, dated, keep)
            chosen: list[_Plan] = []
            for plan in plans:
                ranks = set(plan.ids)
                if not any(set(earlier.ids) <= ranks for earlier in chosen):
                    chosen.append(plan)
                    if len(chosen) == wanted:
                        break
            if len(chosen) == wanted or len(plans) < keep:
                return [self._route(plan, dated) for plan in chosen]
            keep *= 4  # supersets of earlier routes filled the list: look further

    def _ranked_sets(
        self,
        useful: list[_Course],
        unmet: dict[Item, int],
        thresholds: dict[Item, tuple[int, ...]],
        dated: bool,
        keep: int,
    ) -> list[_Plan]:
        """The ``keep`` best plans with distinct course sets, best first."""
        if dated:
            space = _Space(useful, self.have, unmet, thresholds, self.start_day)
            return [_Plan.of(label) for label in _search(space, dated=True, keep=keep)]
        return _solve_weeks(useful, self.have, unmet, thresholds, keep, self.start_day)

    def _route(self, plan: _Plan, dated: bool) -> Route:
        by_rank = {c.rank: c for c in self.catalogue}
        if dated:
            order = [by_rank[r] for r in plan.seq]
            days: tuple[int, ...] | None = plan.days
        else:
            order, days = _order_set([by_rank[r] for r in plan.ids], self.have, self.start_day)
        start = dt.date.fromordinal(self.start_day)
        schedule: tuple[ScheduledCourse, ...] = ()
        ready: dt.date | None = start
        if days is None:
            ready = None
        elif order:
            schedule = tuple(
                ScheduledCourse(
                    c.id, dt.date.fromordinal(end - 7 * c.weeks), dt.date.fromordinal(end)
                )
                for c, end in zip(order, days, strict=True)
            )
            ready = schedule[-1].end
        return Route(
            tuple(c.id for c in order),
            schedule,
            sum(c.weeks for c in order),
            sum(c.cost for c in order),
            ready,
        )


@dataclass(frozen=True, slots=True)
class _Plan:
    """A ranked plan: its key without the order, its course ranks sorted and in order."""

    weeks: int
    count: int
    cents: int
    ids: tuple[int, ...]
    seq: tuple[int, ...] = ()
    days: tuple[int, ...] = ()

    @staticmethod
    def of(label: _Label) -> _Plan:
        return _Plan(label.weeks, label.count, label.cents, label.ids, label.seq, label.days)


# --- relevance and dominance ------------------------------------------------------------


def _useful(
    courses: Sequence[_Course], have: Mapping[Item, int], goal: Mapping[Item, int]
) -> tuple[list[_Course], dict[Item, tuple[int, ...]]]:
    """The courses that can cross a threshold, and the thresholds (module docstring, 1)."""
    teachers: dict[Item, list[_Course]] = {}
    for course in courses:
        for item in course.teaches:
            teachers.setdefault(item, []).append(course)
    need: dict[Item, set[int]] = {}
    work: list[tuple[Item, int]] = []
    for item, level in goal.items():
        if have.get(item, 0) < level:
            need.setdefault(item, set()).add(level)
            work.append((item, level))
    chosen: dict[int, _Course] = {}
    while work:
        item, level = work.pop()
        for course in teachers.get(item, ()):
            if course.rank in chosen or course.teaches[item] < level:
                continue
            chosen[course.rank] = course
            for other, lv in course.requires.items():
                if have.get(other, 0) < lv and lv not in need.setdefault(other, set()):
                    need[other].add(lv)
                    work.append((other, lv))
    thresholds = {item: tuple(sorted(levels)) for item, levels in need.items()}
    return [chosen[r] for r in sorted(chosen)], thresholds


def _undominated(
    courses: list[_Course],
    have: Mapping[Item, int],
    thresholds: Mapping[Item, tuple[int, ...]],
    dated: bool,
    start_day: int,
) -> list[_Course]:
    """Drop each course some other course dominates (module docstring, point 5).

    ``d`` dominates ``c`` when ``d`` crosses every threshold ``c`` crosses, needs no
    threshold ``c`` does not, takes no more weeks and cents, ends no later from any day
    (``ready_date``), and is strictly better in weeks or cents or else has the smaller id.
    Replacing ``c`` by ``d`` in a plan (or dropping ``c`` if ``d`` is in it already)
    keeps it valid and makes it strictly better, so no best plan contains ``c``.
    """

    def crossing(c: _Course) -> dict[Item, int]:
        out = {}
        for item, level in c.teaches.items():
            if item in thresholds:
                a = bisect_right(thresholds[item], level)
                if a > bisect_right(thresholds[item], have.get(item, 0)):
                    out[item] = a
        return out

    cross = {c.rank: crossing(c) for c in courses}
    req = {c.rank: {i: lv for i, lv in c.requires.items() if have.get(i, 0) < lv} for c in courses}
    by_item: dict[Item, list[_Course]] = {}
    for c in courses:
        for item in cross[c.rank]:
            by_item.setdefault(item, []).append(c)

    def dominates(d: _Course, c: _Course) -> bool:
        if d.weeks > c.weeks or d.cents > c.cents:
            return False
        if d.weeks == c.weeks and d.cents == c.cents and d.rank > c.rank:
            return False
        cd, cc = cross[d.rank], cross[c.rank]
        if any(cd.get(i, 0) < a for i, a in cc.items()):
            return False
        rc = req[c.rank]
        if any(rc.get(i, 0) < lv for i, lv in req[d.rank].items()):
            return False
        if dated:
            if c.starts is None:
                return d.starts is None
            for s in c.starts:
                if s >= start_day:
                    e = _end(d.starts, d.weeks, s)
                    if e is None or e > s + 7 * c.weeks:
                        return False
        return True

    kept = []
    for c in courses:
        rivals = by_item.get(min(cross[c.rank]), ()) if cross[c.rank] else ()
        if not any(d.rank != c.rank and dominates(d, c) for d in rivals):
            kept.append(c)
    return kept


# --- the search space -------------------------------------------------------------------


class _Space:
    """Levels compressed to thresholds met, courses indexed, and the lower bounds.

    Courses are kept in rank order, so a course's position orders like its id.
    """

    def __init__(
        self,
        courses: Sequence[_Course],
        have: Mapping[Item, int],
        goal: Mapping[Item, int],
        thresholds: Mapping[Item, tuple[int, ...]],
        start_day: int,
    ):
        touched = set(goal).union(*(c.teaches.keys() | c.requires.keys() for c in courses))
        self.items = sorted(item for item in thresholds if item in touched)
        index = {item: i for i, item in enumerate(self.items)}
        self.sizes = [len(thresholds[item]) for item in self.items]
        thresholds = {item: thresholds[item] for item in self.items}
        self.initial = tuple(
            bisect_right(thresholds[item], have.get(item, 0)) for item in self.items
        )
        self.start_day = start_day
        goal_levels = []
        for item, level in sorted(goal.items()):
            if item in index and have.get(item, 0) < level:
                goal_levels.append((index[item], bisect_left(thresholds[item], level) + 1))
            elif have.get(item, 0) < level:
                goal_levels.append((-1, 1))  # an item this space cannot raise
        self.goal = tuple(goal_levels)
        self.courses: list[_Course] = []
        self.teaches: list[tuple[tuple[int, int], ...]] = []
        self.requires: list[tuple[tuple[int, int], ...]] = []
        for course in sorted(courses, key=lambda c: c.rank):
            teaches = []
            for item, level in course.teaches.items():
                if item in index:
                    a = bisect_right(thresholds[item], level)
                    if a > 0:
                        teaches.append((index[item], a))
            requires, possible = [], True
            for item, level in course.requires.items():
                if have.get(item, 0) >= level:
                    continue
                if item not in index or level not in thresholds[item]:
                    possible = False
                    break
                requires.append((index[item], bisect_left(thresholds[item], level) + 1))
            if possible and teaches:
                self.courses.append(course)
                self.teaches.append(tuple(sorted(teaches)))
                self.requires.append(tuple(sorted(requires)))
        self._prepare_bounds()
        self._bounds: dict[tuple[int, ...], tuple[int, int, int] | None] = {}
        self._picks: dict[tuple[int, tuple[int, ...]], tuple[int, ...]] = {}
        self._moves: dict[tuple[int, ...], list[int]] = {}
        self._earliest: dict[tuple[int, int, int], float] = {}

    # -- moves --

    def is_goal(self, levels: tuple[int, ...]) -> bool:
        return all(g >= 0 and levels[g] >= a for g, a in self.goal)

    def moves(self, levels: tuple[int, ...]) -> list[int]:
        """Courses takeable at ``levels`` that cross a threshold (in id order)."""
        found = self._moves.get(levels)
        if found is None:
            found = [
                k
                for k in range(len(self.courses))
                if any(levels[i] < a for i, a in self.teaches[k])
                and all(levels[i] >= a for i, a in self.requires[k])
            ]
            self._moves[levels] = found
        return found

    def apply(self, levels: tuple[int, ...], k: int) -> tuple[int, ...]:
        new = list(levels)
        for i, a in self.teaches[k]:
            if new[i] < a:
                new[i] = a
        return tuple(new)

    # -- bounds --

    def _prepare_bounds(self) -> None:
        n = len(self.items)
        parent = list(range(n))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        self.own: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
        for k, teaches in enumerate(self.teaches):
            for i, a in teaches:
                self_need = next((b for j, b in self.requires[k] if j == i), 0)
                self.own[i].append((a, self_need, k))
            for (i, _), (j, _) in pairwise(teaches):
                parent[find(i)] = find(j)
        groups: dict[int, list[int]] = {}
        for i in range(n):
            groups.setdefault(find(i), []).append(i)
        self.groups = list(groups.values())
        # Chain tables: the cheapest way (weeks, courses, cents) to lift item i from
        # threshold count lo to at least hi with its own courses only.
        self.chain: list[list[list[tuple[float, float, float]]]] = []
        for i in range(n):
            size = self.sizes[i]
            table = []
            for lo in range(size + 1):
                best = [[_INF, _INF, _INF] for _ in range(size + 1)]
                best[lo] = [0, 0, 0]
                for v in range(lo, size + 1):
                    if best[v][0] == _INF:
                        continue
                    for a, self_need, k in self.own[i]:
                        if self_need <= v < a:
                            c = self.courses[k]
                            for m, step in enumerate((c.weeks, 1, c.cents)):
                                best[a][m] = min(best[a][m], best[v][m] + step)
                ge = []
                running = [_INF, _INF, _INF]
                for v in range(size, -1, -1):
                    running = [min(x, y) for x, y in zip(running, best[v], strict=True)]
                    ge.append(tuple(running))
                ge.reverse()
                table.append(ge)
            self.chain.append(table)
        # What an unmet goal item forces on other items: every course that teaches it far
        # enough needs at least this many thresholds of them.
        self.base_need = [0] * n
        self.forced: list[list[tuple[int, int]]] = []
        for g, a in self.goal:
            if g < 0:
                self.forced.append([])
                continue
            self.base_need[g] = max(self.base_need[g], a)
            achievers = [k for t, _, k in self.own[g] if t >= a]
            least: dict[int, int] = {}
            for idx, k in enumerate(achievers):
                here = {j: b for j, b in self.requires[k] if j != g}
                if idx == 0:
                    least = here
                else:
                    least = {j: min(b, here[j]) for j, b in least.items() if j in here}
            self.forced.append(sorted(least.items()))

    def bounds(self, levels: tuple[int, ...]) -> tuple[int, int, int] | None:
        """Lower bounds on the weeks, courses and cents still needed (None: dead end)."""
        if levels in self._bounds:
            return self._bounds[levels]
        need = list(self.base_need)
        result: tuple[int, int, int] | None = None
        dead = False
        for (g, a), forced in zip(self.goal, self.forced, strict=True):
            if g < 0:
                dead = True
                break
            if levels[g] < a:
                for j, b in forced:
                    if b > need[j]:
                        need[j] = b
        if not dead:
            hw = hn = hc = 0
            for group in self.groups:
                mw = mn = mc = 0
                for i in group:
                    lo, hi = levels[i], need[i]
                    if lo < hi:
                        w, n, c = self.chain[i][lo][hi]
                        if w == _INF:
                            dead = True
                            break
                        mw, mn, mc = max(mw, w), max(mn, n), max(mc, c)
                if dead:
                    break
                hw, hn, hc = hw + mw, hn + mn, hc + mc
            if not dead:
                result = (int(hw), int(hn), int(hc))
        self._bounds[levels] = result
        return result

    def picks(self, levels: tuple[int, ...], m: int) -> tuple[int, ...]:
        """Ranks of the ``m`` smallest-id courses that could still cross a threshold."""
        key = (m, levels)
        found = self._picks.get(key)
        if found is None:
            out = []
            for k in range(len(self.courses)):
                if len(out) == m:
                    break
                if any(levels[i] < a for i, a in self.teaches[k]):
                    out.append(self.courses[k].rank)
            found = tuple(out)
            self._picks[key] = found
        return found

    def earliest_end(self, levels: tuple[int, ...], day: int) -> float:
        """The latest, over unmet goal items, of the earliest day a chain of the item's own
        courses started today could lift it far enough (its other prerequisites free)."""
        worst: float = day
        for g, a in self.goal:
            if levels[g] >= a:
                continue
            key = (g, levels[g], day)
            e = self._earliest.get(key)
            if e is None:
                e = self._chain_end(g, levels[g], a, day)
                self._earliest[key] = e
            if e > worst:
                worst = e
        return worst

    def _chain_end(self, i: int, lo: int, hi: int, day: int) -> float:
        size = self.sizes[i]
        arrive: list[float] = [_INF] * (size + 1)
        arrive[lo] = day
        for v in range(lo, size + 1):
            if arrive[v] == _INF:
                continue
            for a, self_need, k in self.own[i]:
                if self_need <= v < a:
                    c = self.courses[k]
                    e = _end(c.starts, c.weeks, int(arrive[v]))
                    if e is not None and e < arrive[a]:
                        arrive[a] = e
        return min(arrive[hi:])


# --- best-first search ------------------------------------------------------------------


class _Label:
    """A partial plan: the state it reaches and what it cost."""

    __slots__ = ("cents", "count", "day", "days", "ids", "levels", "seq", "weeks")

    def __init__(
        self,
        levels: tuple[int, ...],
        day: int,
        weeks: int,
        count: int,
        cents: int,
        ids: tuple[int, ...],
        seq: tuple[int, ...],
        days: tuple[int, ...],
    ):
        self.levels = levels
        self.day = day
        self.weeks = weeks
        self.count = count
        self.cents = cents
        self.ids = ids
        self.seq = seq
        self.days = days

    def rest(self) -> tuple[int, int, int, tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        return (self.weeks, self.count, self.cents, self.ids, self.days, self.seq)


def _search(
    space: _Space, *, dated: bool, keep: int, everything: bool = False
) -> list[_Label] | dict[tuple[int, ...], list[_Label]]:
    """Best-first search (module docstring, points 2 and 3).

    Returns the goal labels of the ``keep`` best distinct course sets, best first (for
    ``ready_date`` each set in its best order). With ``everything`` (``weeks`` only, no
    goal, no bounds) it returns, for every reachable state, the ``keep`` best labels with
    distinct sets that end there.
    """
    tie = count()
    heap: list[tuple[tuple, int, _Label]] = []
    root = _Label(space.initial, space.start_day, 0, 0, 0, (), (), ())

    def push(label: _Label) -> None:
        if everything:
            priority: tuple = (label.weeks, label.count, label.cents, label.ids, -label.count)
            heapq.heappush(heap, (priority, next(tie), label))
            return
        bounds = space.bounds(label.levels)
        if bounds is None:
            return
        hw, hn, hc = bounds
        ids = label.ids
        if hn:
            ids = tuple(sorted(ids + space.picks(label.levels, hn)))
        if dated:
            lb = max(label.day + 7 * hw, space.earliest_end(label.levels, label.day))
            if lb == _INF:
                return
            priority = (
                lb,
                label.weeks + hw,
                label.count + hn,
                label.cents + hc,
                ids,
                label.days,
                label.seq,
            )
        else:
            priority = (label.weeks + hw, label.count + hn, label.cents + hc, ids, -label.count)
        heapq.heappush(heap, (priority, next(tie), label))

    push(root)
    accepted: dict[tuple[int, ...], list[_Label]] = {}
    found: list[_Label] = []
    found_sets: set[tuple[int, ...]] = set()
    popped = 0
    while heap:
        _, _, label = heapq.heappop(heap)
        popped += 1
        if popped > MAX_EXPANSIONS:
            raise RouteSearchTooLarge(MAX_EXPANSIONS)
        here = accepted.setdefault(label.levels, [])
        if dated:
            if _dominated(label, here, keep):
                continue
        elif len(here) >= keep or any(other.ids == label.ids for other in here):
            continue
        here.append(label)
        if not everything and space.is_goal(label.levels):
            if label.ids not in found_sets:
                found_sets.add(label.ids)
                found.append(label)
                if len(found) == keep:
                    break
            if keep == 1:
                break
        for k in space.moves(label.levels):
            course = space.courses[k]
            day = label.day
            if dated:
                end = _end(course.starts, course.weeks, day)
                if end is None:
                    continue
                day = end
            ids = list(label.ids)
            ids.insert(bisect_left(ids, course.rank), course.rank)
            push(
                _Label(
                    space.apply(label.levels, k),
                    day,
                    label.weeks + course.weeks,
                    label.count + 1,
                    label.cents + course.cents,
                    tuple(ids),
                    (*label.seq, course.rank),
                    (*label.days, day) if dated else (),
                )
            )
    if everything:
        return accepted
    return found


def _dominated(label: _Label, here: list[_Label], keep: int) -> bool:
    """Whether accepted labels at the same state make ``label`` useless: one with the same
    set, or ``keep`` with distinct other sets, that end no later and are no worse."""
    rest = label.rest()
    others: set[tuple[int, ...]] = set()
    for other in here:
        if other.day <= label.day and other.rest() <= rest:
            if other.ids == label.ids:
                return True
            others.add(other.ids)
            if len(others) >= keep:
                return True
    return False


# --- weeks: decomposition ---------------------------------------------------------------


def _solve_weeks(
    courses: list[_Course],
    have: Mapping[Item, int],
    goal: Mapping[Item, int],
    thresholds: Mapping[Item, tuple[int, ...]],
    keep: int,
    start_day: int,
) -> list[_Plan]:
    """The ``keep`` best distinct sets for ``weeks`` (module docstring, point 4)."""
    parts = _independent_parts(courses, have, goal, thresholds)
    if len(parts) > 1:
        lists = []
        for part_courses, part_goal in parts:
            ranked = _solve_weeks(part_courses, have, part_goal, thresholds, keep, start_day)
            if not ranked:
                return []
            lists.append(ranked)
        return _merge_products([lists], keep)
    split = _hub_and_leaves(courses, have, thresholds)
    if split is not None:
        return _solve_with_hub(*split, have, goal, thresholds, keep, start_day)
    space = _Space(courses, have, goal, thresholds, start_day)
    return [_Plan.of(label) for label in _search(space, dated=False, keep=keep)]


def _raising_items(course: _Course, thresholds: Mapping[Item, tuple[int, ...]]) -> list[Item]:
    return [
        item
        for item, level in course.teaches.items()
        if item in thresholds and bisect_right(thresholds[item], level) > 0
    ]


def _needed_items(
    course: _Course, have: Mapping[Item, int], thresholds: Mapping[Item, tuple[int, ...]]
) -> list[Item]:
    return [i for i, lv in course.requires.items() if have.get(i, 0) < lv and i in thresholds]


def _independent_parts(
    courses: list[_Course],
    have: Mapping[Item, int],
    goal: Mapping[Item, int],
    thresholds: Mapping[Item, tuple[int, ...]],
) -> list[tuple[list[_Course], dict[Item, int]]]:
    """Split into problems that share no item (through what courses teach or need)."""
    parent: dict[Item, Item] = {}

    def find(x: Item) -> Item:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for item in goal:
        find(item)
    for course in courses:
        touched = _raising_items(course, thresholds) + _needed_items(course, have, thresholds)
        for a, b in pairwise(touched):
            parent[find(a)] = find(b)
    parts: dict[Item, tuple[list[_Course], dict[Item, int]]] = {}
    for item, level in sorted(goal.items()):
        parts.setdefault(find(item), ([], {}))[1][item] = level
    for course in courses:
        touched = _raising_items(course, thresholds)
        if touched:
            root = find(touched[0])
            if root in parts:
                parts[root][0].append(course)
    return list(parts.values())


def _hub_and_leaves(
    courses: list[_Course], have: Mapping[Item, int], thresholds: Mapping[Item, tuple[int, ...]]
) -> tuple[list[_Course], list[tuple[list[_Course], set[Item]]]] | None:
    """Split one connected problem into a hub and leaves (module docstring, point 4).

    Groups are items taught together; a group is a leaf when no course of another group
    needs one of its items, the hub is the rest. Returns None when there is no hub or it
    is too big to enumerate.
    """
    parent: dict[Item, Item] = {}

    def find(x: Item) -> Item:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    raising = {c.rank: _raising_items(c, thresholds) for c in courses}
    for course in courses:
        for a, b in pairwise(raising[course.rank]):
            parent[find(a)] = find(b)
    needed_by_others: set[Item] = set()
    for course in courses:
        own = find(raising[course.rank][0])
        for item in _needed_items(course, have, thresholds):
            if find(item) != own:
                needed_by_others.add(find(item))
    if not needed_by_others:
        return None
    hub: list[_Course] = []
    leaves_by_root: dict[Item, tuple[list[_Course], set[Item]]] = {}
    for course in courses:
        root = find(raising[course.rank][0])
        if root in needed_by_others:
            hub.append(course)
        else:
            leaves_by_root.setdefault(root, ([], set()))[0].append(course)
    if not leaves_by_root:
        return None
    size = 1
    for item in {i for c in hub for i in raising[c.rank]}:
        size *= len(thresholds[item]) + 1
        if size > _HUB_STATES:
            return None
    leaves = []
    for leaf_courses, items in leaves_by_root.values():
        items.update(i for c in leaf_courses for i in raising[c.rank])
        leaves.append((leaf_courses, items))
    return hub, leaves


def _solve_with_hub(
    hub: list[_Course],
    leaves: list[tuple[list[_Course], set[Item]]],
    have: Mapping[Item, int],
    goal: Mapping[Item, int],
    thresholds: Mapping[Item, tuple[int, ...]],
    keep: int,
    start_day: int,
) -> list[_Plan]:
    """Enumerate the hub's end states; per state, combine the hub plans ending there with
    each leaf's best plans given the courses that state unlocks."""
    hub_items = sorted({i for c in hub for i in _raising_items(c, thresholds)})
    hub_goal = {i: lv for i, lv in goal.items() if i in hub_items}
    hub_thresholds = {i: thresholds[i] for i in hub_items}
    space = _Space(hub, have, {}, hub_thresholds, start_day)
    ends = _search(space, dated=False, keep=keep, everything=True)
    assert isinstance(ends, dict)
    memo: dict[frozenset[int], list[_Plan]] = {}
    alternatives = []
    for levels, labels in ends.items():
        held = dict(have)
        for i, item in enumerate(space.items):
            if levels[i]:
                held[item] = max(held.get(item, 0), hub_thresholds[item][levels[i] - 1])
        if any(held.get(i, 0) < lv for i, lv in hub_goal.items()):
            continue
        lists = [[_Plan.of(label) for label in labels]]
        for leaf_courses, items in leaves:
            open_ = frozenset(
                c.rank
                for c in leaf_courses
                if all(held.get(i, 0) >= lv for i, lv in c.requires.items() if i not in items)
            )
            if open_ not in memo:
                leaf_goal = {i: lv for i, lv in goal.items() if i in items}
                usable = [c for c in leaf_courses if c.rank in open_]
                leaf_have = {**have, **{i: lv for i, lv in held.items() if i not in items}}
                memo[open_] = _solve_weeks(
                    usable, leaf_have, leaf_goal, thresholds, keep, start_day
                )
            if not memo[open_]:
                break
            lists.append(memo[open_])
        else:
            alternatives.append(lists)
    return _merge_products(alternatives, keep)


def _merge_products(alternatives: list[list[list[_Plan]]], keep: int) -> list[_Plan]:
    """The ``keep`` best unions taking one plan from each list of one alternative.

    Each list is sorted and the lists of one alternative have disjoint courses, so the
    union's key only grows when one choice is replaced by a worse one (sums grow; the
    sorted ids of equal-size sets keep their order when merged with the same disjoint
    set), which makes the usual frontier walk over choice vectors exact.
    """
    heap: list[tuple[tuple[int, int, int, tuple[int, ...]], int, tuple[int, ...]]] = []
    seen: set[tuple[int, tuple[int, ...]]] = set()

    def push(a: int, choice: tuple[int, ...]) -> None:
        if (a, choice) in seen:
            return
        seen.add((a, choice))
        picked = [lst[j] for lst, j in zip(alternatives[a], choice, strict=True)]
        key = (
            sum(p.weeks for p in picked),
            sum(p.count for p in picked),
            sum(p.cents for p in picked),
            tuple(sorted(r for p in picked for r in p.ids)),
        )
        heapq.heappush(heap, (key, a, choice))

    for a, lists in enumerate(alternatives):
        if all(lists):
            push(a, (0,) * len(lists))
    out: list[_Plan] = []
    while heap and len(out) < keep:
        (weeks, n, cents, ids), a, choice = heapq.heappop(heap)
        out.append(_Plan(weeks, n, cents, ids))
        for j, lst in enumerate(alternatives[a]):
            if choice[j] + 1 < len(lst):
                push(a, (*choice[:j], choice[j] + 1, *choice[j + 1 :]))
    return out


# --- ordering a chosen set --------------------------------------------------------------


def _order_set(
    chosen: list[_Course], have: Mapping[Item, int], start_day: int
) -> tuple[list[_Course], tuple[int, ...] | None]:
    """The earliest-finishing valid order of exactly these courses, with its end days.

    Valid: each course takeable and raising a level when its turn comes. Best-first over
    (courses taken, day) with the preemptive bound of the module docstring (point 6) and
    the same order tie-breaks as ``ready_date``. If no order fits the start dates: the
    lexicographically smallest valid order and ``None``.
    """
    chosen = sorted(chosen, key=lambda c: c.rank)
    m = len(chosen)
    if m == 0:
        return [], ()
    items = sorted({i for c in chosen for i in (*c.teaches, *c.requires)})
    index = {item: n for n, item in enumerate(items)}
    teach = [[(index[i], lv) for i, lv in c.teaches.items()] for c in chosen]
    need = [[(index[i], lv) for i, lv in c.requires.items()] for c in chosen]
    # For each requirement: which courses of the set could provide it.
    suppliers = [
        [
            (i, lv, [t for t in range(m) if any(j == i and v >= lv for j, v in teach[t])])
            for i, lv in need[c]
        ]
        for c in range(m)
    ]
    initial = tuple(have.get(item, 0) for item in items)
    full = (1 << m) - 1

    def valid(levels: tuple[int, ...], j: int) -> bool:
        return all(levels[i] >= lv for i, lv in need[j]) and any(
            levels[i] < lv for i, lv in teach[j]
        )

    def apply(levels: tuple[int, ...], j: int) -> tuple[int, ...]:
        new = list(levels)
        for i, lv in teach[j]:
            new[i] = max(new[i], lv)
        return tuple(new)

    def bound(mask: int, levels: tuple[int, ...], day: int) -> float:
        left = [j for j in range(m) if not mask >> j & 1]
        if not left:
            return day
        # Earliest end of each remaining course: its start dates, after the earliest
        # ends of remaining courses that can provide its missing prerequisites.
        earliest: dict[int, float] = {}
        changed = True
        while changed:
            changed = False
            for j in left:
                ready: float = day
                for i, lv, providers in suppliers[j]:
                    if levels[i] >= lv:
                        continue
                    ready = max(
                        ready,
                        min(
                            (earliest.get(t, _INF) for t in providers if not mask >> t & 1),
                            default=_INF,
                        ),
                    )
                if ready == _INF:
                    continue
                e = _end(chosen[j].starts, chosen[j].weeks, int(ready))
                if e is not None and e < earliest.get(j, _INF):
                    earliest[j] = e
                    changed = True
        if len(earliest) < len(left):
            return _INF
        # One machine, release dates, preemption: max over j of r_j + work released later.
        releases = sorted(
            ((earliest[j] - 7 * chosen[j].weeks, chosen[j].weeks) for j in left), reverse=True
        )
        best: float = day
        work = 0
        for release, weeks in releases:
            work += 7 * weeks
            best = max(best, release + work)
        return best

    tie = count()
    heap: list[tuple[tuple, int, tuple]] = []
    first = bound(0, initial, start_day)
    if first < _INF:
        heap.append(((first, (), ()), next(tie), (0, initial, start_day, (), ())))
    accepted: dict[int, list[tuple[int, tuple[int, ...], tuple[int, ...]]]] = {}
    popped = 0
    while heap:
        (lb, _, _), _, (mask, levels, day, days, seq) = heapq.heappop(heap)
        popped += 1
        if popped > MAX_EXPANSIONS:
            raise RouteSearchTooLarge(MAX_EXPANSIONS)
        here = accepted.setdefault(mask, [])
        if any(d <= day and (ds, sq) <= (days, seq) for d, ds, sq in here):
            continue
        here.append((day, days, seq))
        if mask == full:
            return [chosen[j] for j in seq], days
        for j in range(m):
            if mask >> j & 1 or not valid(levels, j):
                continue
            end = _end(chosen[j].starts, chosen[j].weeks, day)
            if end is None:
                continue
            nmask, nlevels = mask | 1 << j, apply(levels, j)
            nlb = max(lb, bound(nmask, nlevels, end))  # pathmax keeps the order monotone
            if nlb == _INF:
                continue
            ndays, nseq = (*days, end), (*seq, j)
            heapq.heappush(
                heap, ((nlb, ndays, nseq), next(tie), (nmask, nlevels, end, ndays, nseq))
            )
    # No order fits the dates: the smallest valid order by ids (depth-first, id order).
    dead: set[int] = set()

    def smallest(mask: int, levels: tuple[int, ...]) -> list[int] | None:
        if mask == full:
            return []
        if mask in dead:
            return None
        for j in range(m):
            if not mask >> j & 1 and valid(levels, j):
                tail = smallest(mask | 1 << j, apply(levels, j))
                if tail is not None:
                    return [j, *tail]
        dead.add(mask)
        return None

    order = smallest(0, initial)
    if order is None:  # pragma: no cover - the set came from a valid plan
        raise AssertionError("a chosen set without a valid order")
    return [chosen[j] for j in order], None
