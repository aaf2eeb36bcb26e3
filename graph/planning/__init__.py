"""The training-route planner: a pure, exact search (no store, no web)."""

from graph.planning.planner import plan_route
from graph.planning.types import (
    CourseOption,
    Item,
    Route,
    RoutePlan,
    ScheduledCourse,
    Unreachable,
)

__all__ = [
    "CourseOption",
    "Item",
    "Route",
    "RoutePlan",
    "ScheduledCourse",
    "Unreachable",
    "plan_route",
]
