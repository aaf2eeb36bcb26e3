"""The one interface both stores implement.

Every public method here is a *named query*: the Neo4j store answers it with statements
from ``cypher/``, the embedded store with SQLite and networkx. The conformance suite runs
the same tests against both and fails if either store grows a public method the other
lacks, so callers never need to know which store they hold.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from graph.model import Label
from graph.planning.types import CourseOption, Item
from graph.profiles import CandidateProfile, FitRow, OfferProfile, Requirement
from graph.records import GraphData, NodeRecord, RelRecord

__all__ = ["GraphStore", "ImportSummary", "ProgressCallback"]

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(rows_done, rows_total)`` after each batch of an import."""


@dataclass(frozen=True)
class ImportSummary:
    nodes: int
    relationships: int


class GraphStore(ABC):
    """A Wegweiser graph. Use as a context manager or call :meth:`close`."""

    kind: ClassVar[str]

    @abstractmethod
    def init_schema(self) -> None:
        """Create constraints and indexes; safe to run any number of times."""

    @abstractmethod
    def import_graph(
        self, data: GraphData, progress: ProgressCallback | None = None
    ) -> ImportSummary:
        """Upsert ``data`` in one all-or-nothing transaction.

        Nodes are matched by label and id and get exactly the given properties. For every
        imported node, the relationships it owns (see ``RelSpec.owner``) are replaced by
        those in ``data``; nodes not in ``data`` are left alone. Importing the same data
        twice therefore leaves the same graph. A process killed midway leaves the store as
        it was before.
        """

    @abstractmethod
    def export_graph(self) -> GraphData:
        """Every node and relationship, in no particular order."""

    @abstractmethod
    def counts(self) -> dict[Label, int]:
        """Number of nodes per label, with 0 for labels that have none."""

    @abstractmethod
    def existing_ids(self, label: Label, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` that name a node with ``label``."""

    @abstractmethod
    def get_node(self, label: Label, node_id: str) -> NodeRecord:
        """One node; raises ``NotFound`` naming the label and id."""

    @abstractmethod
    def relationships(self, label: Label, node_id: str) -> list[RelRecord]:
        """Relationships touching one node in either direction, sorted by
        (type, source label, source id, target label, target id)."""

    @abstractmethod
    def candidate_profile(self, candidate_id: str) -> CandidateProfile:
        """A candidate's town and levels; raises ``NotFound``."""

    @abstractmethod
    def offer_profile(self, offer_id: str) -> OfferProfile:
        """An offer's requirements (sorted by kind, then id) and place; raises ``NotFound``."""

    @abstractmethod
    def offer_profiles(self, kind: str | None = None, only_open: bool = True) -> list[OfferProfile]:
        """Offers (optionally of one kind, only open ones) as profiles, sorted by id."""

    @abstractmethod
    def candidate_profiles(self) -> list[CandidateProfile]:
        """Every candidate as a profile, sorted by id."""

    @abstractmethod
    def offers_by_id(self, ids: Sequence[str]) -> list[OfferProfile]:
        """The offers with these ids (unknown ids are skipped), in the order given."""

    @abstractmethod
    def candidates_by_id(self, ids: Sequence[str]) -> list[CandidateProfile]:
        """The candidates with these ids (unknown ids are skipped), in the order given."""

    @abstractmethod
    def offer_fits(
        self, have: Mapping[str, int], kind: str | None, only_open: bool, min_rows: int
    ) -> tuple[list[FitRow], bool]:
        """Coverage of every (open, of ``kind``) offer by a candidate holding ``have``
        (item id → level rank), best first by the three coverage shares, then id; cut
        after ``min_rows`` at the end of a group of equal shares (see ``take_groups``)."""

    @abstractmethod
    def candidate_fits(
        self, requirements: Sequence[Requirement], min_rows: int
    ) -> tuple[list[FitRow], bool]:
        """Coverage of one offer's ``requirements`` by every candidate, best first by the
        counts met, then id (candidates meeting nothing last); cut like ``offer_fits``."""

    @abstractmethod
    def courses_that_matter(
        self, missing: Iterable[Item], have: Mapping[str, int]
    ) -> list[CourseOption]:
        """The part of the catalogue that can matter for closing a gap, sorted by id.

        Every course that teaches one of the ``missing`` items, and transitively every
        course that teaches a prerequisite of such a course that the candidate lacks
        (``have`` maps item ids to the candidate's level rank). A path query on Neo4j, the
        same traversal in networkx on the embedded store.
        """

    @abstractmethod
    def clear(self) -> None:
        """Remove every node and relationship (schema stays)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
