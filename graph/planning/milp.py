"""The shortest route by total weeks as an integer program (HiGHS through SciPy).

The best-first search in ``planner`` is fast when the gap is small, but its states are
level vectors, and with many missing items there are too many of them. For the ``weeks``
objective the order of the courses does not change the value, only whether the plan is
valid; so the question becomes *which set* of courses, and a set can be chosen by an
integer program whose optimum is proven by the solver (branch and bound with a zero
gap), not guessed.

The model, over the courses that can matter (see ``planner._relevant``):

* ``x[c]`` = 1 when course ``c`` is in the plan;
* every unmet essential requirement is taught far enough by some chosen course;
* for every prerequisite of a chosen course that the candidate lacks, some other chosen
  course teaching it far enough comes *earlier*: ``y[d, c]`` = 1 when ``d`` serves a
  prerequisite of ``c``, and positions ``p`` with ``p[d] + 1 ≤ p[c]`` whenever
  ``y[d, c]`` = 1 (big-M). Positions make the "comes earlier" relation acyclic, so the
  chosen courses have an order in which each one's prerequisites hold when its turn
  comes (levels only ever rise) — and every valid plan has such positions. A course
  whose prerequisite only courses needing it can teach is thereby never chosen.

The order of DESIGN.md (weeks, then number of courses, then cost, then the sorted ids)
is reached in stages: one solve minimises ``weeks · (n + 1) + courses`` (exact in
integers, since there are at most ``n`` courses), a second minimises the cost in cents
with those two fixed, and the ids are settled last: if no other set has the same three
numbers the set is the answer, otherwise the smallest ids are fixed one by one (for sets
of equal size, the smaller sorted id list is the one holding the smallest id where they
differ). The next best routes come from the same model with a cut that forbids every
earlier set and its supersets.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from graph.planning.types import CourseOption, Item

__all__ = ["SetSearchFailed", "earliest_ready_orders", "weeks_optimal_sets"]

_TIME_LIMIT_S = 20.0
"""A solve that runs longer than this gives up (``SetSearchFailed``) instead of hanging."""


_STDOUT_LOCK = threading.Lock()


@contextlib.contextmanager
def _solver_output_silenced() -> Iterator[None]:
    """HiGHS now and then prints a diagnostic line straight to file descriptor 1, past
    SciPy's ``disp=False``; that would corrupt ``wegweiser plan --json``. Point fd 1 at
    /dev/null while the solver runs (one solve at a time, so that two threads never
    swap the descriptor under each other)."""
    with _STDOUT_LOCK:
        try:
            saved = os.dup(1)
        except OSError:  # no stdout at all: nothing to protect
            yield
            return
        try:
            with open(os.devnull, "wb") as devnull:
                os.dup2(devnull.fileno(), 1)
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


class SetSearchFailed(RuntimeError):
    """The solver stopped without proving an optimum (time limit or numerical trouble)."""


@dataclass
class _Rows:
    """Sparse constraint rows collected before one solve."""

    rows: list[int]
    cols: list[int]
    vals: list[float]
    lower: list[float]
    upper: list[float]

    @classmethod
    def empty(cls) -> _Rows:
        return cls([], [], [], [], [])

    def add(self, coefficients: Mapping[int, float], lower: float, upper: float) -> None:
        row = len(self.lower)
        for col, value in coefficients.items():
            self.rows.append(row)
            self.cols.append(col)
            self.vals.append(value)
        self.lower.append(lower)
        self.upper.append(upper)

    def extended(self, other: _Rows) -> _Rows:
        offset = len(self.lower)
        return _Rows(
            self.rows + [r + offset for r in other.rows],
            self.cols + other.cols,
            self.vals + other.vals,
            self.lower + other.lower,
            self.upper + other.upper,
        )


@dataclass(frozen=True)
class _Solution:
    chosen: frozenset[int]
    value: float
    x: np.ndarray


class _Program:
    """What both models share: columns whose sum says whether course ``k`` is in the plan
    (``course_columns[k]``), the constraint rows, and the staged, exact optimisation."""

    def __init__(self, courses: Sequence[CourseOption]) -> None:
        self.n = len(courses)
        self.weeks = np.array([c.weeks for c in courses], dtype=float)
        self.cents = np.array([round(c.cost * 100) for c in courses], dtype=float)
        self.course_columns: list[list[int]] = [[] for _ in courses]
        self.base = _Rows.empty()
        self.lower_bounds = np.zeros(0)
        self.upper_bounds = np.zeros(0)
        self.integrality = np.zeros(0)

    @property
    def columns(self) -> int:
        return len(self.lower_bounds)

    def per_course(self, values: np.ndarray) -> np.ndarray:
        """An objective over the columns that charges each course ``values[k]``."""
        objective = np.zeros(self.columns)
        for k, columns in enumerate(self.course_columns):
            objective[columns] = values[k]
        return objective

    def stages(self) -> list[np.ndarray]:
        """Objectives minimised one after another, each fixed before the next."""
        ranked = self.weeks * (self.n + 1) + 1  # weeks, then number of courses
        return [self.per_course(ranked), self.per_course(self.cents)]

    def solve(
        self,
        objective: np.ndarray,
        rows: _Rows,
        fixed_in: frozenset[int] = frozenset(),
        fixed_out: frozenset[int] = frozenset(),
    ) -> _Solution | None:
        """The optimum under ``rows`` with some courses forced in or out; None when
        infeasible."""
        upper = self.upper_bounds.copy()
        for k in fixed_out:
            upper[self.course_columns[k]] = 0
        forced = _Rows.empty()
        for k in fixed_in:
            forced.add(dict.fromkeys(self.course_columns[k], 1.0), 1, np.inf)
        rows = rows.extended(forced)
        constraints = ()
        if rows.lower:
            matrix = coo_array(
                (rows.vals, (rows.rows, rows.cols)), shape=(len(rows.lower), self.columns)
            ).tocsr()
            constraints = (LinearConstraint(matrix, rows.lower, rows.upper),)
        with _solver_output_silenced():
            result = milp(
                objective,
                constraints=constraints,
                integrality=self.integrality,
                bounds=Bounds(self.lower_bounds, upper),
                options={"mip_rel_gap": 0.0, "time_limit": _TIME_LIMIT_S, "presolve": True},
            )
        if result.status == 2:  # infeasible
            return None
        if result.status != 0 or result.x is None:
            raise SetSearchFailed(result.message)
        chosen = frozenset(
            k for k, columns in enumerate(self.course_columns) if result.x[columns].sum() > 0.5
        )
        return _Solution(chosen, float(result.fun), result.x)

    def best(self, cuts: _Rows) -> _Solution | None:
        """The best solution by the stages, then the sorted ids, that the cuts allow."""
        rows = self.base.extended(cuts)
        solution = None
        for objective in self.stages():
            found = self.solve(objective, rows)
            if found is None:
                return solution
            solution = found
            rows = rows.extended(_at_most(objective, round(found.value)))
        return self._smallest_ids(solution, rows) if solution else None

    def _smallest_ids(self, solution: _Solution, rows: _Rows) -> _Solution:
        """Among the solutions the rows allow (their sets all of one size), one with the
        smallest sorted indices."""
        zero = np.zeros(self.columns)
        if self.solve(zero, rows.extended(self.not_superset(solution.chosen))) is None:
            return solution  # the only optimal set
        size, fixed_in, fixed_out = len(solution.chosen), set(), set()
        for k in range(self.n):
            if len(fixed_in) == size:
                break
            if k not in solution.chosen:
                found = self.solve(zero, rows, frozenset(fixed_in | {k}), frozenset(fixed_out))
                if found is None:
                    fixed_out.add(k)
                    continue
                solution = found
            fixed_in.add(k)
        return solution

    def not_superset(self, chosen: frozenset[int]) -> _Rows:
        cut = _Rows.empty()
        cut.add({c: 1.0 for k in chosen for c in self.course_columns[k]}, -np.inf, len(chosen) - 1)
        return cut

    def order(self, solution: _Solution) -> list[int] | None:
        """The order the solution takes its courses in, when the model knows one."""
        return None


def _at_most(objective: np.ndarray, value: int) -> _Rows:
    extra = _Rows.empty()
    extra.add({k: float(v) for k, v in enumerate(objective) if v}, -np.inf, value + 0.5)
    return extra


def _teachers(courses: Sequence[CourseOption]) -> dict[Item, list[tuple[int, int]]]:
    teachers: dict[Item, list[tuple[int, int]]] = {}
    for k, course in enumerate(courses):
        for item, level in course.teaches.items():
            teachers.setdefault(item, []).append((k, level))
    return teachers


class _SetModel(_Program):
    """``weeks``: which set of courses (see the module docstring)."""

    def __init__(
        self,
        courses: Sequence[CourseOption],
        have: Mapping[Item, int],
        goal: Mapping[Item, int],
    ) -> None:
        super().__init__(courses)
        n = self.n
        teachers = _teachers(courses)

        def taught(item: Item, level: int, besides: int = -1) -> list[int]:
            return [k for k, lv in teachers.get(item, ()) if lv >= level and k != besides]

        self.course_columns = [[k] for k in range(n)]
        upper = np.ones(n)
        for item, level in sorted(goal.items()):
            if have.get(item, 0) < level:
                self.base.add({k: 1.0 for k in taught(item, level)}, 1, np.inf)

        serves: dict[tuple[int, int], int] = {}  # (d, c) -> column of y[d, c]
        needs: list[tuple[int, list[int]]] = []  # (c, the d that can serve one prerequisite)
        for c, course in enumerate(courses):
            for item, level in sorted(course.requires.items()):
                if have.get(item, 0) >= level:
                    continue
                servers = taught(item, level, besides=c)
                if not servers:
                    upper[c] = 0  # a prerequisite nobody else teaches: never takeable
                    continue
                for d in servers:
                    serves.setdefault((d, c), n + len(serves))
                needs.append((c, servers))
        ordered = sorted({k for pair in serves for k in pair})
        position = {k: n + len(serves) + m for m, k in enumerate(ordered)}

        for c, servers in needs:
            row = {serves[d, c]: 1.0 for d in servers}
            row[c] = -1.0
            self.base.add(row, 0, np.inf)
        for (d, c), y in serves.items():
            self.base.add({y: 1.0, d: -1.0}, -np.inf, 0)
            self.base.add({position[d]: 1.0, position[c]: -1.0, y: float(n)}, -np.inf, n - 1)

        columns = n + len(serves) + len(ordered)
        self.lower_bounds = np.zeros(columns)
        self.upper_bounds = np.concatenate(
            [upper, np.ones(len(serves)), np.full(len(ordered), max(n - 1, 0))]
        )
        self.integrality = np.concatenate([np.ones(n + len(serves)), np.zeros(len(ordered))])


class _ScheduleModel(_Program):
    """``ready_date``: when each chosen course starts, not just which are chosen.

    A course with start dates gets one binary ``u[c, t]`` per start date ``t`` (time
    indexed); a course that starts any day gets ``x[a]`` and a start day ``s[a]``. Courses
    run one after another:

    * two dated courses never overlap: at every start date ``τ`` at most one chosen
      course is running (two intervals overlap exactly when one starts inside the other);
    * a course starting any day is ordered against every other chosen course by a binary
      and big-M rows (``M`` = a horizon no plan of DESIGN.md's schedule exceeds: the last
      dated end plus all weeks of the any-day courses);
    * a prerequisite of a chosen course is taught by a chosen course that ends on or
      before its start;
    * ``R`` is at least every chosen course's end, and is minimised first; weeks, number of
      courses, cost and ids break ties as for ``weeks``.

    The program may leave gaps between courses, but taking the same courses in the same
    order, each at its first start date after the previous one ends, finishes no later;
    so the optimum is the earliest ready date of DESIGN.md. Start dates ending after
    ``latest`` (a ready date known to be reachable) cannot be part of a better plan and
    are left out. Days count from the planning date.
    """

    def __init__(
        self,
        courses: Sequence[CourseOption],
        have: Mapping[Item, int],
        goal: Mapping[Item, int],
        start: dt.date,
        latest: dt.date | None,
        earliest: int = 0,
    ) -> None:
        super().__init__(courses)
        origin = start.toordinal()
        cap = None if latest is None else latest.toordinal() - origin
        teachers = _teachers(courses)
        lower: list[float] = []
        upper: list[float] = []
        integral: list[float] = []

        def column(low: float, high: float, integer: bool) -> int:
            lower.append(low)
            upper.append(high)
            integral.append(1.0 if integer else 0.0)
            return len(lower) - 1

        # Dated options first, so that the option of column o is self.options[o].
        options: list[tuple[int, int, int]] = []  # (course, start day, end day)
        for k, course in enumerate(courses):
            for day in sorted(set(course.starts)):
                begin = day.toordinal() - origin
                end = begin + 7 * course.weeks
                if begin < 0 or (cap is not None and end > cap):
                    continue
                self.course_columns[k].append(column(0, 1, True))
                options.append((k, begin, end))
        self.options = options
        anyday = [k for k, course in enumerate(courses) if not course.starts]
        horizon = max((end for _, _, end in options), default=0) + sum(
            7 * courses[a].weeks for a in anyday
        )
        if cap is not None:
            horizon = min(horizon, cap)
        big = float(max(horizon, 1))
        self.begin_of: dict[int, int] = {}  # any-day course -> column of its start day
        for a in anyday:
            if 7 * courses[a].weeks > horizon:
                continue
            self.course_columns[a].append(column(0, 1, True))
            self.begin_of[a] = column(0, horizon - 7 * courses[a].weeks, False)
        ready = column(0, np.inf, False)
        self.ready_column = ready

        def chosen(k: int) -> dict[int, float]:
            return dict.fromkeys(self.course_columns[k], 1.0)

        def begins(k: int, sign: float = 1.0) -> tuple[dict[int, float], float]:
            """S_k as (coefficients, constant)."""
            if k in self.begin_of:
                return {self.begin_of[k]: sign}, 0.0
            return {o: sign * options[o][1] for o in self.course_columns[k]}, 0.0

        def ends(k: int, sign: float = 1.0) -> tuple[dict[int, float], float]:
            """E_k as (coefficients, constant); an unchosen any-day course 'ends' at
            its start plus its weeks, which only relaxed rows ever see."""
            if k in self.begin_of:
                return {self.begin_of[k]: sign}, sign * 7 * courses[k].weeks
            return {o: sign * options[o][2] for o in self.course_columns[k]}, 0.0

        def add(parts: list[dict[int, float]], low: float, high: float) -> None:
            row: dict[int, float] = {}
            for part in parts:
                for col, value in part.items():
                    row[col] = row.get(col, 0.0) + value
            self.base.add(row, low, high)

        def taught(item: Item, level: int, besides: int) -> list[int]:
            return [
                k
                for k, lv in teachers.get(item, ())
                if lv >= level and k != besides and self.course_columns[k]
            ]

        for item, level in sorted(goal.items()):
            if have.get(item, 0) < level:
                add([chosen(k) for k in taught(item, level, -1)], 1, np.inf)
        for k in range(self.n):
            if len(self.course_columns[k]) > 1:
                add([chosen(k)], -np.inf, 1)
        for tau in sorted({begin for _, begin, _ in options}):
            running = {o: 1.0 for o, (_, b, e) in enumerate(options) if b <= tau < e}
            if len(running) > 1:
                add([running], -np.inf, 1)

        # Any-day courses against every other chosen course: one before the other.
        for m, a in enumerate(sorted(self.begin_of)):
            others = [j for j in range(self.n) if self.course_columns[j] and j != a]
            for j in others:
                if j in self.begin_of and j < a:
                    continue  # the pair was ordered from j's side
                first = column(0, 1, True)  # 1: a before j
                scaled_a = {c: big for c in chosen(a)}
                scaled_j = {c: big for c in chosen(j)}
                begin_j, _ = begins(j, -1.0)
                add(
                    [{self.begin_of[a]: 1.0}, begin_j, {first: big}, scaled_a, scaled_j],
                    -np.inf,
                    3 * big - 7 * courses[a].weeks,
                )
                end_j, end_const = ends(j)
                add(
                    [end_j, {self.begin_of[a]: -1.0}, {first: -big}, scaled_a, scaled_j],
                    -np.inf,
                    2 * big - end_const,
                )
            del m

        # Prerequisites: a teacher ending on or before the learner starts.
        for c, course in enumerate(courses):
            if not self.course_columns[c]:
                continue
            for item, level in sorted(course.requires.items()):
                if have.get(item, 0) >= level:
                    continue
                servers = taught(item, level, c)
                if c in self.begin_of:
                    links = []
                    for d in servers:
                        link = column(0, 1, True)
                        links.append(link)
                        add([{link: 1.0}, {col: -1.0 for col in chosen(d)}], -np.inf, 0)
                        end_d, end_const = ends(d)
                        add(
                            [end_d, {self.begin_of[c]: -1.0}, {link: big}],
                            -np.inf,
                            big - end_const,
                        )
                    add([dict.fromkeys(links, 1.0), {col: -1.0 for col in chosen(c)}], 0, np.inf)
                    continue
                for o in self.course_columns[c]:
                    begin = options[o][1]
                    row = {
                        p: 1.0
                        for d in servers
                        if d not in self.begin_of
                        for p in self.course_columns[d]
                        if options[p][2] <= begin
                    }
                    for d in servers:
                        if d in self.begin_of and 7 * courses[d].weeks <= begin:
                            link = column(0, 1, True)
                            row[link] = 1.0
                            add([{link: 1.0}, {col: -1.0 for col in chosen(d)}], -np.inf, 0)
                            add(
                                [{self.begin_of[d]: 1.0}, {link: big}],
                                -np.inf,
                                begin - 7 * courses[d].weeks + big,
                            )
                    row[o] = -1.0
                    add([row], 0, np.inf)

        for k in range(self.n):
            if not self.course_columns[k]:
                continue
            if k in self.begin_of:
                add(
                    [{ready: 1.0, self.begin_of[k]: -1.0}, {c: -7.0 * courses[k].weeks
                                                           for c in chosen(k)}],
                    0,
                    np.inf,
                )
            else:
                end_k, _ = ends(k, -1.0)
                add([{ready: 1.0}, end_k], 0, np.inf)

        # Courses run one after another from day 0, so the plan cannot be ready before
        # its total duration: weak for the solver to find alone, strong as a cut.
        duration = {ready: 1.0}
        for k in range(self.n):
            for col in chosen(k):
                duration[col] = -7.0 * courses[k].weeks
        add([duration], 0, np.inf)
        lower[ready] = max(0, earliest)

        self.lower_bounds = np.array(lower)
        self.upper_bounds = np.array(upper)
        self.integrality = np.array(integral)

    def stages(self) -> list[np.ndarray]:
        ready = np.zeros(self.columns)
        ready[self.ready_column] = 1.0
        return [ready, *super().stages()]

    def order(self, solution: _Solution) -> list[int]:
        begins: list[tuple[float, int]] = []
        for k in solution.chosen:
            if k in self.begin_of:
                begins.append((solution.x[self.begin_of[k]], k))
            else:
                o = next(o for o in self.course_columns[k] if solution.x[o] > 0.5)
                begins.append((self.options[o][1], k))
        return [k for _, k in sorted(begins)]


def _enumerate(model: _Program, want: int) -> list[_Solution]:
    found: list[_Solution] = []
    cuts = _Rows.empty()
    while len(found) < want:
        solution = model.best(cuts)
        if solution is None:
            break
        found.append(solution)
        cuts = cuts.extended(model.not_superset(solution.chosen))
    return found


def weeks_optimal_sets(
    courses: Sequence[CourseOption],
    have: Mapping[Item, int],
    goal: Mapping[Item, int],
    want: int,
) -> list[frozenset[int]]:
    """Up to ``want`` course sets (indices into ``courses``), best first by total weeks,
    number of courses, cost in cents and sorted indices; each is neither an earlier set
    nor a superset of one. Index order must be id order for the last tie-break to be the
    sorted ids'. Raises ``SetSearchFailed`` when the solver cannot prove an optimum."""
    return [s.chosen for s in _enumerate(_SetModel(courses, have, goal), want)]


def earliest_ready_orders(
    courses: Sequence[CourseOption],
    have: Mapping[Item, int],
    goal: Mapping[Item, int],
    start: dt.date,
    want: int,
    latest: dt.date | None = None,
    earliest: int = 0,
) -> list[list[int]]:
    """Up to ``want`` plans (course indices in the order to take them) by ready date,
    then as ``weeks_optimal_sets``. ``latest``, a ready date some plan reaches, and
    ``earliest``, days no plan can be ready before (7 × the fewest weeks), only prune:
    give them only when ``want`` is 1."""
    model = _ScheduleModel(courses, have, goal, start, latest, earliest)
    return [model.order(s) for s in _enumerate(model, want)]
