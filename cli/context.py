"""What every command gets: the store settings, and the one store it opens from them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
