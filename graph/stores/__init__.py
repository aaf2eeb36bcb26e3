"""The two stores behind ``graph.store.GraphStore``, and how to pick one."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.errors import StoreUnavailable
from graph.store import GraphStore

__all__ = ["STORE_KINDS", "StoreSettings", "open_store"]

STORE_KINDS = ("embedded", "neo4j")


@dataclass(frozen=True)
class StoreSettings:
    """Where the graph lives. Read from the environment unless given explicitly."""

    kind: str = "embedded"
    data_dir: Path = Path("var")
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"

    @classmethod
    def from_env(cls, kind: str | None = None, data_dir: Path | None = None) -> StoreSettings:
        env = os.environ
        return cls(
            kind=kind or env.get("WEGWEISER_STORE") or "embedded",
            data_dir=Path(data_dir or env.get("WEGWEISER_DATA") or "var"),
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_user=env.get("NEO4J_USER") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD"),
            neo4j_database=env.get("NEO4J_DATABASE") or "neo4j",
        )


def open_store(settings: StoreSettings) -> GraphStore:
    """Open the configured store, or raise ``StoreUnavailable`` saying what to fix."""
    if settings.kind == "embedded":
        from graph.stores.embedded import EmbeddedStore

        return EmbeddedStore(settings.data_dir)
    if settings.kind == "neo4j":
        if not settings.neo4j_uri:
            raise StoreUnavailable("the neo4j store needs NEO4J_URI (e.g. bolt://127.0.0.1:7687)")
        if not settings.neo4j_password:
            # never without authentication: a server with auth switched off is refused too
            raise StoreUnavailable("the neo4j store needs NEO4J_PASSWORD (Neo4j with auth)")
        from graph.stores.neo4j_store import Neo4jStore

        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_database,
        )
    raise StoreUnavailable(
        f"unknown store {settings.kind!r} (choose one of: {', '.join(STORE_KINDS)})"
    )
