"""The audit trail of imports: which candidates a world file or a regional list wrote.

An import writes candidates' data as surely as an advisor's form does, so it belongs in
the audit trail too — but the importers know nothing of who runs them, and a file may
hold a million candidates. ``AuditedImport`` wraps the store for one import: the data
passes through unchanged (``import_graph`` and the streamed ``import_batches``), the ids
of the candidates in it and the field groups their rows carry are noted on the way, and
only when the import succeeded does :meth:`AuditedImport.write_audit` append one event
per candidate and field group (in chunks, so a large import is not one huge transaction).
An import that fails wrote nothing, and logs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from graph.audit import (
    ACTION_IMPORT,
    GROUP_MATCHING_PROFILE,
    PURPOSE_ADMINISTRATION,
    AuditEvent,
    utc_timestamp,
)
from graph.fields import group_of_property
from graph.model import Label
from graph.records import GraphData
from graph.store import GraphStore, ImportSummary

__all__ = ["AuditedImport"]

CHUNK = 5000
"""Audit events per append."""


class AuditedImport:
    """A store for one import that remembers which candidates it wrote."""

    def __init__(self, store: GraphStore, *, user_id: str, organization: str, role: str) -> None:
        self.store = store
        self.who = (user_id, organization, role)
        self.written: dict[str, set[str]] = {}

    def import_graph(self, data: GraphData, *args: Any, **kwargs: Any) -> ImportSummary:
        summary = self.store.import_graph(data, *args, **kwargs)
        self._note(data)
        return summary

    def import_batches(self, batches: Iterable[GraphData]) -> ImportSummary:
        return self.store.import_batches(self._noting(batches))

    def _noting(self, batches: Iterable[GraphData]) -> Iterator[GraphData]:
        for batch in batches:
            self._note(batch)
            yield batch

    def _note(self, data: GraphData) -> None:
        for node in data.nodes:
            if node.label == Label.CANDIDATE:
                groups = self.written.setdefault(node.id, {GROUP_MATCHING_PROFILE})
                groups.update(g for name in node.props if (g := group_of_property(name)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def write_audit(self) -> int:
        """Append the events of a finished import; the number of events written."""
        user_id, organization, role = self.who
        at = utc_timestamp()
        events = [
            AuditEvent(
                at=at,
                user_id=user_id,
                organization=organization,
                role=role,
                action=ACTION_IMPORT,
                label=str(Label.CANDIDATE),
                record_id=candidate,
                candidate_id=candidate,
                field_group=group,
                purpose=PURPOSE_ADMINISTRATION,
            )
            for candidate, groups in sorted(self.written.items())
            for group in sorted(groups)
        ]
        for start in range(0, len(events), CHUNK):
            self.store.append_audit(events[start : start + CHUNK])
        return len(events)
