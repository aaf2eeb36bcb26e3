"""Plain data in and out of the route planner (no store, no web: see ``planner``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["CourseOption", "Item", "Route", "RoutePlan", "ScheduledCourse", "Unreachable"]

Item = tuple[str, str]
"""``(kind, id)`` with kind ``skill``, ``tool`` or ``language``. Levels are integers on one
scale per kind: skills and tools 1–3, languages as CEFR ranks (A1 = 1 … native = 7); an
item missing from a state has level 0."""


@dataclass(frozen=True)
class CourseOption:
    id: str
    weeks: int
    cost: float
    starts: tuple[dt.date, ...] = ()
    """Sorted start dates; empty means the course can start on any day."""
    teaches: Mapping[Item, int] = field(default_factory=dict)
    requires: Mapping[Item, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ScheduledCourse:
    course: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Unreachable:
    item: Item
    level: int
    reason: str


@dataclass(frozen=True)
class Route:
    courses: tuple[str, ...]
    """In the order to take them."""
    schedule: tuple[ScheduledCourse, ...]
    """One entry per course in the same order; empty when the courses cannot be scheduled."""
    total_weeks: int
    total_cost: float
    ready_date: dt.date | None


@dataclass(frozen=True)
class RoutePlan:
    objective: str
    feasible: bool
    best: Route | None
    alternatives: tuple[Route, ...] = ()
    unreachable: tuple[Unreachable, ...] = ()
