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

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from graph.planning.types import CourseOption, Item

__all__ = ["SetSearchFailed", "earliest_ready_orders", "weeks_optimal_sets"]

_TIME_LIMIT_S = 20.0
"""A solve that runs longer than this gives up (``SetSearchFailed``) instead of hanging."""


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


class _DatedModel(_Program):
    """``ready_date`` when every course has start dates: a time-indexed program.

    ``u[c, t]`` = 1 when course ``c`` starts on its start date ``t``. Courses run one
    after another, so no two chosen courses may overlap: at every start date ``τ`` at
    most one chosen course is running (two intervals overlap exactly when one starts
    inside the other, so checking the start dates is enough). A prerequisite of ``c``
    starting on ``t`` must be taught by a chosen course ending on or before ``t``. ``R``
    is at least every chosen course's end, and is minimised first; weeks, number of
    courses, cost and ids break ties as for ``weeks``.

    The program may leave gaps between courses, but taking the same courses in the same
    order each at its first start date after the previous one ends finishes no later; so
    the optimum equals the earliest ready date of DESIGN.md. Start dates that end after
    ``latest`` (a ready date known to be reachable) cannot be part of a better plan and
    are left out.
    """

    def __init__(
        self,
        courses: Sequence[CourseOption],
        have: Mapping[Item, int],
        goal: Mapping[Item, int],
        start: dt.date,
        latest: dt.date | None,
    ) -> None:
        super().__init__(courses)
        origin = start.toordinal()
        teachers = _teachers(courses)
        options: list[tuple[int, int, int]] = []  # (course, start day, end day), from origin
        for k, course in enumerate(courses):
            for day in sorted(set(course.starts)):
                begin = day.toordinal() - origin
                end = begin + 7 * course.weeks
                if begin < 0 or (latest is not None and end > latest.toordinal() - origin):
                    continue
                self.course_columns[k].append(len(options))
                options.append((k, begin, end))
        ready = len(options)  # the column of R
        self.ready_column = ready
        self.options = options

        def taught(item: Item, level: int, besides: int) -> list[int]:
            return [k for k, lv in teachers.get(item, ()) if lv >= level and k != besides]

        for item, level in sorted(goal.items()):
            if have.get(item, 0) < level:
                self.base.add(
                    {o: 1.0 for k in taught(item, level, -1) for o in self.course_columns[k]},
                    1,
                    np.inf,
                )
        for columns in self.course_columns:
            if len(columns) > 1:
                self.base.add(dict.fromkeys(columns, 1.0), -np.inf, 1)
        for tau in sorted({begin for _, begin, _ in options}):
            running = {
                o: 1.0 for o, (_, begin, end) in enumerate(options) if begin <= tau < end
            }
            if len(running) > 1:
                self.base.add(running, -np.inf, 1)
        for o, (c, begin, _) in enumerate(options):
            for item, level in sorted(courses[c].requires.items()):
                if have.get(item, 0) >= level:
                    continue
                row = {
                    p: 1.0
                    for d in taught(item, level, c)
                    for p in self.course_columns[d]
                    if options[p][2] <= begin
                }
                row[o] = -1.0
                self.base.add(row, 0, np.inf)
        for columns in self.course_columns:
            if columns:
                row = {o: -float(options[o][2]) for o in columns}
                row[ready] = 1.0
                self.base.add(row, 0, np.inf)

        self.lower_bounds = np.zeros(len(options) + 1)
        self.upper_bounds = np.concatenate([np.ones(len(options)), [np.inf]])
        self.integrality = np.concatenate([np.ones(len(options)), [0]])

    def stages(self) -> list[np.ndarray]:
        ready = np.zeros(self.columns)
        ready[self.ready_column] = 1.0
        return [ready, *super().stages()]

    def order(self, solution: _Solution) -> list[int]:
        taken = [o for o in range(len(self.options)) if solution.x[o] > 0.5]
        return [self.options[o][0] for o in sorted(taken, key=lambda o: self.options[o][1])]


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
) -> list[list[int]]:
    """Up to ``want`` plans (course indices in the order to take them) by ready date,
    then as ``weeks_optimal_sets``; every course must have start dates. ``latest``, a
    ready date some plan reaches, only prunes (give it only when ``want`` is 1)."""
    if any(not course.starts for course in courses):
        raise ValueError("every course needs start dates for the time-indexed program")
    model = _DatedModel(courses, have, goal, start, latest)
    return [model.order(s) for s in _enumerate(model, want)]
