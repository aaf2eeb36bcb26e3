"""Plain records that cross the store boundary.

A store speaks only in these: nothing from the Neo4j driver or SQLite leaves a store
module. Properties are flat (strings, numbers, booleans, lists of them) because that is
what a Neo4j property can hold; the world-file codec maps richer shapes onto them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.model import Label, Rel

__all__ = ["GraphData", "NodeRecord", "RelRecord"]

Props = dict[str, Any]


@dataclass(frozen=True, slots=True)
class NodeRecord:
    label: Label
    id: str
    props: Props = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RelRecord:
    type: Rel
    source_label: Label
    source_id: str
    target_label: Label
    target_id: str
    props: Props = field(default_factory=dict)

    @property
    def spec_key(self) -> str:
        return f"{self.source_label}_{self.type}_{self.target_label}"


@dataclass(slots=True)
class GraphData:
    """A set of nodes and the relationships they own, as imported or exported."""

    nodes: list[NodeRecord] = field(default_factory=list)
    relationships: list[RelRecord] = field(default_factory=list)
