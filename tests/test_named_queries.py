"""Both stores answer the same named queries, and every Cypher statement is accounted for.

These tests hold the line between the two stores: a query added to one store and not the
other fails here, as does a ``.cypher`` file no code runs or a statement name with no file.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import cypher
from graph.model import RELATIONSHIPS, Label
from graph.store import GraphStore
from graph.stores.embedded import EmbeddedStore
from graph.stores.neo4j_store import STATEMENTS, Neo4jStore

ROOT = Path(__file__).resolve().parent.parent


def public_methods(cls: type) -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


@pytest.mark.parametrize("store_class", [EmbeddedStore, Neo4jStore])
def test_store_implements_exactly_the_interface(store_class):
    assert not inspect.isabstract(store_class)
    assert public_methods(store_class) == public_methods(GraphStore)


def test_every_cypher_file_is_run_by_the_neo4j_store_and_vice_versa():
    assert sorted(STATEMENTS) == cypher.names()


def test_every_statement_renders_for_every_allowed_label_and_relationship():
    for name in cypher.names():
        wanted = cypher.placeholders(name)
        if wanted == set():
            assert "<<" not in cypher.render(name)
        elif wanted == {"label"}:
            for label in Label:
                assert f":{label}" in cypher.render(name, label=label)
        elif wanted == {"source", "type", "target"}:
            for spec in RELATIONSHIPS:
                text = cypher.render(name, source=spec.source, type=spec.type, target=spec.target)
                assert f":{spec.type}]" in text
        else:
            pytest.fail(f"{name}: placeholders {wanted} not covered by this test")


def test_render_refuses_text_that_is_not_a_model_enum():
    with pytest.raises(TypeError):
        cypher.render("query/get_node", label="Candidate) DETACH DELETE (n")
    with pytest.raises(ValueError):
        cypher.render("query/get_node")
    with pytest.raises(cypher.UnknownStatement):
        cypher.load("query/../../etc/passwd")


def test_every_statement_passes_values_as_parameters():
    for name in cypher.names():
        text = re.sub(r"//.*", "", cypher.load(name))
        assert not re.search(r"'[^']*'|\"[^\"]*\"", text), f"{name} has a literal string"


CYPHER_IN_PYTHON = re.compile(r"\b(MATCH|MERGE|UNWIND|DETACH DELETE)\b\s*[\(\$]")


def test_no_cypher_outside_the_cypher_package():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("graph", "importers", "web", "cli")
        for path in (ROOT / folder).rglob("*.py")
        if CYPHER_IN_PYTHON.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_dependencies_point_inwards():
    """``graph`` and ``cypher`` import neither ``web`` nor ``importers`` nor ``cli``;
    nothing but the CLI imports ``web``."""
    pattern = re.compile(r"^\s*(?:from|import)\s+(web|importers|cli)\b", re.MULTILINE)
    for folder, forbidden in (
        ("graph", {"web", "importers", "cli"}),
        ("cypher", {"web", "importers", "cli"}),
        ("importers", {"web", "cli"}),
    ):
        for path in (ROOT / folder).rglob("*.py"):
            found = set(pattern.findall(path.read_text(encoding="utf-8")))
            assert not found & forbidden, f"{path.relative_to(ROOT)} imports {found}"
