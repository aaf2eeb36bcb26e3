"""What every command gets: the store settings, and the one store it opens from them."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

from graph.audit_imports import AuditedImport
from graph.store import GraphStore
from graph.stores import StoreSettings, open_store

__all__ = ["Context"]


class Context:
    def __init__(self, settings: StoreSettings) -> None:
        self.settings = settings

    @contextmanager
    def store(self) -> Iterator[GraphStore]:
        store = open_store(self.settings)
        try:
            yield store
        finally:
            store.close()


def cli_import(store: GraphStore) -> AuditedImport:
    """The store for one import from the command line, noting the candidates it writes
    for the audit trail: the operator's login name as the user, as an admin."""
    operator = "".join(ch for ch in getpass.getuser() if ch.isalnum() or ch in "-_.") or "unknown"
    return AuditedImport(store, user_id=f"cli-{operator}", organization="", role="admin")
