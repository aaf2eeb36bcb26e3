"""Turning stored courses into the planner's ``CourseOption`` — one conversion for both
stores, so that the planner sees byte-for-byte the same catalogue from either."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from graph.model import Rel
from graph.planning.types import CourseOption, Item
from graph.profiles import ItemKind, level_rank

__all__ = ["ITEM_OF_REL", "course_option", "missing_by_kind"]

ITEM_OF_REL: dict[str, tuple[str, ItemKind]] = {
    Rel.TEACHES_SKILL: ("teaches", "skill"),
    Rel.TEACHES_TOOL: ("teaches", "tool"),
    Rel.TEACHES_LANGUAGE: ("teaches", "language"),
    Rel.REQUIRES_SKILL: ("requires", "skill"),
    Rel.REQUIRES_TOOL: ("requires", "tool"),
    Rel.REQUIRES_LANGUAGE: ("requires", "language"),
}
"""Course relationship type → (which side of the course, item kind)."""


def course_option(
    course_id: str, props: Mapping[str, Any], links: Iterable[tuple[str, str, Any]]
) -> CourseOption:
    """A course from its properties and its ``(rel type, item id, level)`` links."""
    sides: dict[str, dict[Item, int]] = {"teaches": {}, "requires": {}}
    for rel_type, item_id, level in links:
        side, kind = ITEM_OF_REL[rel_type]
        sides[side][(kind, item_id)] = level_rank(kind, level)
    return CourseOption(
        id=course_id,
        weeks=int(props["weeks"]),
        cost=props.get("cost", 0),
        starts=tuple(sorted(dt.date.fromisoformat(day) for day in props.get("starts") or ())),
        teaches=sides["teaches"],
        requires=sides["requires"],
    )


def missing_by_kind(items: Iterable[Item]) -> dict[str, list[str]]:
    """Ids of items grouped as the path query takes them (``skill_ids``, …)."""
    grouped: dict[str, list[str]] = {"skill_ids": [], "tool_ids": [], "language_ids": []}
    for kind, item_id in sorted(items):
        grouped[f"{kind}_ids"].append(item_id)
    return grouped
