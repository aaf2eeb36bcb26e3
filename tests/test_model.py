"""The model: level scales, and that it names everything the stores hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.model import (
    CEFR_LEVELS,
    RELATIONSHIPS,
    cefr_at_least,
    cefr_rank,
    is_cefr_level,
    is_node_property,
    is_skill_level,
    max_cefr,
)
from graph.world import read_world, validate_world

SAMPLE = Path(__file__).resolve().parent.parent / "importers" / "data" / "sample_world.json"


def test_cefr_scale_is_ordered_with_native_on_top():
    ranks = [cefr_rank(level) for level in CEFR_LEVELS]
    assert ranks == sorted(ranks) == list(range(1, 8))
    assert cefr_rank(None) == 0
    assert cefr_at_least("native", "C2")
    assert cefr_at_least("B1", "B1")
    assert not cefr_at_least("A2", "B1")
    assert not cefr_at_least(None, "A1")
    assert max_cefr("A2", "B1") == "B1"
    assert max_cefr(None, "A1") == "A1"
    assert max_cefr("C1", None) == "C1"


def test_unknown_cefr_level_is_an_error():
    with pytest.raises(ValueError, match="'B3' is not a CEFR level"):
        cefr_rank("B3")
    assert not is_cefr_level("b1")


def test_skill_levels_are_the_integers_one_to_three():
    assert [v for v in (0, 1, 2, 3, 4) if is_skill_level(v)] == [1, 2, 3]
    assert not is_skill_level(True)
    assert not is_skill_level(2.0)


def test_relationship_specs_are_unique_and_owned_by_one_end():
    keys = [spec.key for spec in RELATIONSHIPS]
    assert len(keys) == len(set(keys))
    assert all(spec.owner in {"source", "target"} for spec in RELATIONSHIPS)


def test_every_stored_property_is_named_in_the_model():
    graph = validate_world(read_world(SAMPLE), "sample").graph
    for node in graph.nodes:
        for name in node.props:
            assert is_node_property(node.label, name), f"{node.label}.{name}"
    spec_props = {spec.key: set(spec.properties) for spec in RELATIONSHIPS}
    for rel in graph.relationships:
        assert set(rel.props) <= spec_props[rel.spec_key], rel
