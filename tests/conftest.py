"""Fixtures: every store test runs on both stores.

``store`` is parametrised over ``embedded`` and ``neo4j``; a test that takes it runs
twice and must not know which store it holds. The Neo4j half uses the server named by
``NEO4J_URI`` (it will be wiped) or starts a disposable Neo4j 5 community server once per
session. Without Java and Maven that half is skipped with the reason, except under
``CI=true``, where it fails: CI must prove both stores.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.store import GraphStore
from graph.stores import StoreSettings, open_store

STORE_KINDS = ("embedded", "neo4j")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# The web tests sign admins in with a password only. The second factor that production
# requires of admins is tested where it is switched back on (tests/test_web_hardening.py).
os.environ["WEGWEISER_REQUIRE_ADMIN_TOTP"] = "0"


@dataclass(frozen=True)
class Neo4jConnection:
    uri: str
    user: str
    password: str
    database: str


@pytest.fixture(scope="session")
def neo4j_connection() -> Iterator[Neo4jConnection]:
    if os.environ.get("NEO4J_URI"):
        yield Neo4jConnection(
            os.environ["NEO4J_URI"],
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
            os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
        return
    from tests.neo4j_server import java_and_maven_available, start_server

    available, reason = java_and_maven_available()
    if not available:
        if IN_CI:
            pytest.fail(f"CI needs a real Neo4j, but: {reason}", pytrace=False)
        pytest.skip(f"Neo4j half skipped: {reason}")
    server = start_server()
    try:
        yield Neo4jConnection(server.uri, server.user, server.password, server.database)
    finally:
        server.stop()


def settings_for(kind: str, request: pytest.FixtureRequest, data_dir: Path) -> StoreSettings:
    if kind == "embedded":
        return StoreSettings(kind="embedded", data_dir=data_dir)
    connection: Neo4jConnection = request.getfixturevalue("neo4j_connection")
    return StoreSettings(
        kind="neo4j",
        neo4j_uri=connection.uri,
        neo4j_user=connection.user,
        neo4j_password=connection.password,
        neo4j_database=connection.database,
    )


@pytest.fixture
def make_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], GraphStore]]:
    """Open an empty store of a given kind (several per test are fine, e.g. embedded →
    Neo4j → embedded). All share one Neo4j server, so two Neo4j stores in one test see
    the same database."""
    opened: list[GraphStore] = []

    def make(kind: str) -> GraphStore:
        store = open_store(settings_for(kind, request, tmp_path_factory.mktemp(kind)))
        if kind == "neo4j":
            store.clear()
        store.init_schema()
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture(params=STORE_KINDS)
def store_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store(store_kind: str, make_store: Callable[[str], GraphStore]) -> GraphStore:
    """An empty store, once per kind."""
    return make_store(store_kind)


@pytest.fixture
def store_settings(
    store_kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> StoreSettings:
    """Settings for an empty store of each kind, for tests that run other processes."""
    settings = settings_for(store_kind, request, tmp_path / "data")
    with open_store(settings) as store:
        if store_kind == "neo4j":
            store.clear()
        store.init_schema()
    return settings
