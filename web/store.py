"""Access to the process's one store from inside a request."""

from __future__ import annotations

from flask import current_app

from graph.store import GraphStore


def get_store() -> GraphStore:
    return current_app.extensions["wegweiser.store"]
