"""Access to the process's one store from inside a request.

Views get the store through ``RequestReads`` (``graph.stores.request_reads``): within one
request a node or its relationships are read from the database once, however many
helpers of a page ask for them. Code that outlives the request (a background import job)
takes ``process_store()``, the store itself.
"""

from __future__ import annotations

from flask import current_app, g, has_request_context

from graph.store import GraphStore
from graph.stores.request_reads import RequestReads


def process_store() -> GraphStore:
    """The store of this app process (shared by all requests and threads)."""
    return current_app.extensions["wegweiser.store"]


def get_store() -> GraphStore:
    """The store for the current request (reads remembered until the next write)."""
    if not has_request_context():
        return process_store()
    reads = g.get("_wegweiser_reads")
    if reads is None or reads.store is not process_store():
        reads = g._wegweiser_reads = RequestReads(process_store())
    return reads  # type: ignore[return-value]
