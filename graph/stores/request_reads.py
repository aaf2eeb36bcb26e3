"""One request's reads, each asked of the store once.

A page is put together by several small functions that each ask the store what they
need: the access check reads a candidate and its relationships, the casework list reads
the relationships again, the sharing section once more. On the embedded store that is
free; on Neo4j each is a network round trip. ``RequestReads`` wraps a store for the
length of one request (an identity map): the plain reads below are answered from what
this request already read, every other call goes to the store unchanged — and any call
that is not a known read (a write, an import, a compare-and-set) first forgets everything
read so far, so nothing stale is ever served after a write in the same request.

It is never shared between requests or threads: a new one is made per request, and a
background job keeps the store itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from graph.errors import NotFound
from graph.model import Label
from graph.records import NodeRecord, RelRecord
from graph.store import GraphStore

__all__ = ["RequestReads"]

_PASS_THROUGH_READS = frozenset(
    {
        "kind",
        "counts",
        "existing_ids",
        "ids_by_esco_uri",
        "skills_for_kldb",
        "find_items_by_text",
        "search_items",
        "offer_profiles",
        "candidate_profiles",
        "offers_by_id",
        "candidates_by_id",
        "offer_fits",
        "candidate_fits",
        "courses_that_matter",
        "get_user",
        "user_by_email",
        "list_users",
        "list_nodes",
        "erased_ids",
        "erasures",
        "export_graph",
        "audit_events",
    }
)
"""Reads that are not remembered (large or rarely repeated) but need not forget either."""


def _node_copy(node: NodeRecord) -> NodeRecord:
    return replace(node, props=dict(node.props))


def _rels_copy(rels: list[RelRecord]) -> list[RelRecord]:
    return [replace(rel, props=dict(rel.props)) for rel in rels]


class RequestReads:
    """A store for one request: repeated node and relationship reads cost nothing.

    Answers are copies, so a caller that changes a returned ``props`` dict changes
    nothing for the next caller. ``NotFound`` is remembered too (an unknown id stays
    unknown within the request)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._nodes: dict[tuple[str, str], NodeRecord | None] = {}
        self._rels: dict[tuple[str, str], list[RelRecord] | None] = {}
        self._profiles: dict[tuple[str, str], Any] = {}

    # --- remembered reads ------------------------------------------------------------

    def get_node(self, label: Label, node_id: str) -> NodeRecord:
        key = (str(label), node_id)
        if key not in self._nodes:
            try:
                self._nodes[key] = self.store.get_node(label, node_id)
            except NotFound:
                self._nodes[key] = None
        node = self._nodes[key]
        if node is None:
            raise NotFound(f"no {Label(label)} with id {node_id!r}")
        return _node_copy(node)

    def get_nodes(self, label: Label, ids: Iterable[str]) -> dict[str, NodeRecord]:
        wanted = list(dict.fromkeys(ids))
        unknown = [i for i in wanted if (str(label), i) not in self._nodes]
        if unknown:
            found = self.store.get_nodes(label, unknown)
            for node_id in unknown:
                self._nodes[(str(label), node_id)] = found.get(node_id)
        return {
            i: _node_copy(node)
            for i in wanted
            if (node := self._nodes[(str(label), i)]) is not None
        }

    def relationships(self, label: Label, node_id: str) -> list[RelRecord]:
        key = (str(label), node_id)
        if key not in self._rels:
            try:
                self._rels[key] = self.store.relationships(label, node_id)
            except NotFound:
                self._rels[key] = None
        rels = self._rels[key]
        if rels is None:
            raise NotFound(f"no {Label(label)} with id {node_id!r}")
        return _rels_copy(rels)

    def node_with_relationships(
        self, label: Label, node_id: str
    ) -> tuple[NodeRecord, list[RelRecord]]:
        key = (str(label), node_id)
        if key not in self._rels or key not in self._nodes:
            try:
                node, rels = self.store.node_with_relationships(label, node_id)
            except NotFound:
                self._nodes[key], self._rels[key] = None, None
            else:
                self._nodes[key], self._rels[key] = node, rels
        return self.get_node(label, node_id), self.relationships(label, node_id)

    def candidate_profile(self, candidate_id: str) -> Any:
        return self._profile("candidate", candidate_id, self.store.candidate_profile)

    def offer_profile(self, offer_id: str) -> Any:
        return self._profile("offer", offer_id, self.store.offer_profile)

    def _profile(self, kind: str, node_id: str, read: Any) -> Any:
        # profiles are frozen dataclasses that every caller only reads
        key = (kind, node_id)
        if key not in self._profiles:
            self._profiles[key] = read(node_id)
        return self._profiles[key]

    # --- everything else ---------------------------------------------------------------

    def forget(self) -> None:
        """Drop everything read so far (called before any call that may write)."""
        self._nodes.clear()
        self._rels.clear()
        self._profiles.clear()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.store, name)
        if name in _PASS_THROUGH_READS or not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            self.forget()
            try:
                return attribute(*args, **kwargs)
            finally:
                self.forget()

        return call
