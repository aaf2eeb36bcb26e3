"""What an import writes, grouped the way both stores write it.

Both stores follow the same three steps inside one transaction: upsert the nodes, drop
the relationships that the *already existing* imported nodes own, create the new
relationships. Grouping by label and by relationship spec here keeps the two stores
doing literally the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from graph.model import RELATIONSHIPS, Label, RelSpec
from graph.records import GraphData, NodeRecord, RelRecord

__all__ = ["ImportPlan", "batched", "owned_specs", "plan_import"]

T = TypeVar("T")

_SPEC_BY_KEY = {spec.key: spec for spec in RELATIONSHIPS}


@dataclass
class ImportPlan:
    nodes: dict[Label, list[NodeRecord]] = field(default_factory=dict)
    relationships: dict[RelSpec, list[RelRecord]] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(map(len, self.relationships.values()))


def plan_import(data: GraphData) -> ImportPlan:
    nodes: dict[Label, list[NodeRecord]] = defaultdict(list)
    for node in data.nodes:
        nodes[node.label].append(node)
    rels: dict[RelSpec, list[RelRecord]] = defaultdict(list)
    for rel in data.relationships:
        spec = _SPEC_BY_KEY.get(rel.spec_key)
        if spec is None:
            raise ValueError(f"relationship {rel.spec_key} is not in the model")
        rels[spec].append(rel)
    return ImportPlan(dict(nodes), dict(rels))


def owned_specs(label: Label) -> list[RelSpec]:
    """The relationship kinds whose world-file entry lives on a ``label`` node."""
    return [spec for spec in RELATIONSHIPS if spec.owner_label == label]


def batched(items: Sequence[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
