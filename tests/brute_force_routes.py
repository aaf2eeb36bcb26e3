"""Exhaustive search for training routes: the truth the planner is tested against.

Tries every ordering of every subset of courses; so it is only for tiny catalogues. It
shares no code with ``graph.planning`` on purpose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import permutations

from graph.planning.types import CourseOption, Item


@dataclass(frozen=True)
class Found:
    key: tuple
    order: tuple[str, ...]
    ready: dt.date | None


def run(
    state: Mapping[Item, int],
    goal: Mapping[Item, int],
    courses: Sequence[CourseOption],
    objective: str,
    start: dt.date,
) -> list[Found]:
    """Every plan without padding (each course raises a level), best per course set,
    sorted by the objective's full order."""
    best: dict[frozenset[str], Found] = {}
    for size in range(len(courses) + 1):
        for order in permutations(courses, size):
            found = _evaluate(state, goal, order, objective, start)
            if found is None:
                continue
            chosen = frozenset(found.order)
            if chosen not in best or found.key < best[chosen].key:
                best[chosen] = found
    return sorted(best.values(), key=lambda f: f.key)


def plans(state, goal, courses, objective, start, alternatives) -> list[Found]:
    """The best plan and the next ``alternatives`` that are neither the same set nor a
    superset of an earlier one."""
    emitted: list[Found] = []
    for found in run(state, goal, courses, objective, start):
        if any(set(e.order) <= set(found.order) for e in emitted):
            continue
        emitted.append(found)
    return emitted[: 1 + alternatives]


def reachable_ignoring_dates(state, goal, courses) -> set[Item]:
    """Goal items that some sequence of courses can reach, dates ignored."""
    levels = dict(state)
    changed = True
    while changed:
        changed = False
        for course in courses:
            if all(levels.get(i, 0) >= lv for i, lv in course.requires.items()):
                for item, level in course.teaches.items():
                    if levels.get(item, 0) < level:
                        levels[item] = level
                        changed = True
    return {item for item, level in goal.items() if levels.get(item, 0) >= level}


def _evaluate(state, goal, order, objective, start) -> Found | None:
    levels = dict(state)
    day = start
    for course in order:
        if any(levels.get(i, 0) < lv for i, lv in course.requires.items()):
            return None
        if not any(levels.get(i, 0) < lv for i, lv in course.teaches.items()):
            return None
        begin = day if not course.starts else next((d for d in course.starts if d >= day), None)
        if begin is None:
            if objective == "ready_date":
                return None
        else:
            day = begin + dt.timedelta(days=7 * course.weeks)
        for item, level in course.teaches.items():
            levels[item] = max(levels.get(item, 0), level)
    if any(levels.get(i, 0) < lv for i, lv in goal.items()):
        return None
    weeks = sum(c.weeks for c in order)
    cents = sum(round(c.cost * 100) for c in order)
    ids = tuple(sorted(c.id for c in order))
    if objective == "weeks":
        return Found((weeks, len(order), cents, ids), tuple(c.id for c in order), None)
    return Found((day, weeks, len(order), cents, ids), tuple(c.id for c in order), day)
