"""The one interface both stores implement.

Every public method here is a *named query*: the Neo4j store answers it with statements
from ``cypher/``, the embedded store with SQLite and networkx. The conformance suite runs
the same tests against both and fails if either store grows a public method the other
lacks, so callers never need to know which store they hold.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from graph.audit import AuditEvent
from graph.erasure import ErasureRecord
from graph.errors import InvalidInput, NotFound
from graph.model import USER_ROLES, Label, Rel
from graph.planning.types import CourseOption, Item
from graph.profiles import CandidateProfile, FitRow, NamedItem, OfferProfile, Requirement
from graph.records import GraphData, NodeRecord, RelRecord

__all__ = [
    "GraphStore",
    "ImportSummary",
    "ProgressCallback",
    "User",
    "check_user",
    "version_conflict",
    "with_next_version",
]

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(rows_done, rows_total)`` after each batch of an import."""


@dataclass(frozen=True)
class ImportSummary:
    nodes: int
    relationships: int


@dataclass(frozen=True)
class User:
    """A login of the web app, stored as a ``User`` node (see ``NODE_PROPERTIES``).

    ``version`` is the optimistic-locking counter: 0 for a user never saved, and
    ``save_user`` refuses a record whose version is not the stored one. ``session_version``
    goes into the session cookie; bumping it (logout, password change) ends every session
    of the user in every app process. ``locked_until`` is an ISO 8601 UTC time or None.
    ``totp_secret`` (base32) is the confirmed second factor, None without one;
    ``totp_last_step`` is the 30-second step of the last code accepted, so a code is
    never accepted twice.
    """

    id: str
    email: str
    role: str
    display_name: str = ""
    password_hash: str = ""
    organization: str | None = None
    company: str | None = None
    coach: str | None = None
    session_version: int = 1
    version: int = 0
    active: bool = True
    failed_logins: int = 0
    locked_until: str | None = None
    totp_secret: str | None = None
    totp_last_step: int = 0

    def to_props(self) -> dict[str, Any]:
        """Flat node properties without ``id`` and without None (Neo4j stores no nulls)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "id" and getattr(self, f.name) is not None
        }

    @classmethod
    def from_props(cls, user_id: str, props: Mapping[str, Any]) -> User:
        known = {f.name for f in fields(cls)} - {"id"}
        return cls(id=user_id, **{k: v for k, v in props.items() if k in known})


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SCOPE_OF_ROLE = {"advisor": "organization", "employer": "company", "coach": "coach"}


def check_user(user: User) -> None:
    """What every store checks before saving a user: one ``InvalidInput`` listing all."""
    problems = []
    if not user.id:
        problems.append("id: must not be empty")
    if not _EMAIL.match(user.email):
        problems.append(f"email: {user.email!r} is not an e-mail address")
    elif user.email != user.email.lower():
        problems.append(f"email: {user.email!r} must be stored in lower case")
    if user.role not in USER_ROLES:
        problems.append(f"role: {user.role!r} is not one of {', '.join(USER_ROLES)}")
    scope = _SCOPE_OF_ROLE.get(user.role)
    if scope and not getattr(user, scope):
        problems.append(f"{scope}: a user with role {user.role} needs one")
    if problems:
        raise InvalidInput(f"user {user.email or user.id!r} cannot be saved", problems)


def with_next_version(
    label: Label, node_id: str, expected_version: int, data: GraphData
) -> GraphData:
    """What both stores write in ``save_entity_if_version``: ``data`` with the edited
    node's ``version`` set to ``expected_version + 1``; ``InvalidInput`` if ``data`` does
    not hold that node or the version is not a whole number ≥ 0."""
    label = Label(label)
    problems = []
    if type(expected_version) is not int or expected_version < 0:
        problems.append(f"expected_version: {expected_version!r} is not a whole number >= 0")
    if not any(n.label == label and n.id == node_id for n in data.nodes):
        problems.append(f"data: holds no {label} with id {node_id!r}")
    if problems:
        raise InvalidInput(f"{label} {node_id!r} cannot be saved", problems)
    nodes = [
        NodeRecord(n.label, n.id, {**n.props, "version": expected_version + 1})
        if n.label == label and n.id == node_id
        else n
        for n in data.nodes
    ]
    return GraphData(nodes, list(data.relationships))


def version_conflict(label: Label, node_id: str, stored: int, expected: int) -> str:
    """The one wording of a lost-update refusal, on both stores."""
    return (
        f"{Label(label)} {node_id!r} was changed by someone else (now version {stored}, "
        f"this change was made on version {expected}); nothing was overwritten"
    )


class GraphStore(ABC):
    """A Wegweiser graph. Use as a context manager or call :meth:`close`."""

    kind: ClassVar[str]

    @abstractmethod
    def init_schema(self) -> None:
        """Create constraints and indexes; safe to run any number of times."""

    @abstractmethod
    def import_graph(
        self,
        data: GraphData,
        progress: ProgressCallback | None = None,
        *,
        merge: bool = False,
        replace_relationships: frozenset[Rel] = frozenset(),
    ) -> ImportSummary:
        """Upsert ``data`` in one all-or-nothing transaction.

        Nodes are matched by label and id and get exactly the given properties. For every
        imported node, the relationships it owns (see ``RelSpec.owner``) are replaced by
        those in ``data``; nodes not in ``data`` are left alone. Importing the same data
        twice therefore leaves the same graph. A process killed midway leaves the store as
        it was before.

        ``merge=True`` is for taxonomies that arrive in parts (ESCO: English, then German
        labels): a node keeps the properties ``data`` does not name and gets the others
        added or updated (``None`` values are ignored); of the relationships an imported
        node owns, only those whose type is in ``replace_relationships`` are dropped
        first. Relationships in ``data`` that exist already get their properties
        replaced instead of a second copy, so a merge import is idempotent as well.

        Data that holds an erased candidate (a node, or a relationship end) is refused as
        a whole with ``InvalidInput`` naming the ids (``graph.erasure.refusal``); the same
        holds for :meth:`import_batches` and :meth:`save_entity_if_version`.
        """

    @abstractmethod
    def import_batches(self, batches: Iterable[GraphData]) -> ImportSummary:
        """Upsert every batch, in order, in ONE all-or-nothing transaction.

        For inputs too large to hold at once (a JSON Lines world file): the batches are
        consumed lazily, each written as :meth:`import_graph` writes its data (nodes first,
        then the relationships their owners list). If iterating ``batches`` raises, the
        transaction rolls back and the exception propagates: nothing is written. A
        relationship must come in the batch of its end nodes or later (Neo4j only creates
        relationships between nodes that exist); :meth:`existing_ids` may be called while
        the batches are being produced.
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
    def ids_by_esco_uri(self, label: Label, uris: Iterable[str]) -> dict[str, str]:
        """ESCO URI → id of the ``label`` node carrying it, for those of ``uris`` that
        one carries (the smallest id if several do): how an ESCO import finds the nodes
        that the demo or an earlier import made for the same concept."""

    @abstractmethod
    def skills_for_kldb(self, code: str) -> list[NamedItem]:
        """The ESCO essential skills behind a KldB 2010 code, sorted by id.

        ``code`` is a KldB class (``"51311"``, or a coarser ``"513"``, which includes every
        class below it) or a BA job title (``"B 51311-100"``, read as its 5-digit class).
        Follows ``MAPS_TO`` to the ESCO occupations, keeping only those with the closest
        mapping relation found (exact before close, narrow, broad), and returns their
        essential skills. Unknown codes give an empty list; malformed ones ``InvalidInput``.
        """

    @abstractmethod
    def get_node(self, label: Label, node_id: str) -> NodeRecord:
        """One node; raises ``NotFound`` naming the label and id."""

    def get_nodes(self, label: Label, ids: Iterable[str]) -> dict[str, NodeRecord]:
        """The nodes of ``label`` among ``ids`` that exist, by id, in one round trip: a
        page that shows twenty labels must not ask the database twenty times."""
        found = {}
        for node_id in dict.fromkeys(ids):
            try:
                found[node_id] = self.get_node(label, node_id)
            except NotFound:
                continue
        return found

    @abstractmethod
    def list_nodes(self, label: Label, limit: int = 5000) -> list[NodeRecord]:
        """The first ``limit`` nodes of ``label``, sorted by id: the catalogue a picker
        offers (skills, tools, towns), so a form needs no query of its own."""

    @abstractmethod
    def find_items_by_text(self, label: Label, texts: Sequence[str]) -> dict[str, list[NodeRecord]]:
        """The nodes of ``label`` that each text names, for lists people write by hand.

        A text (trimmed) names a node whose ``id`` or ``esco_uri`` equals it exactly, or
        whose ``name`` or any ``label_*`` equals it ignoring case. Every given text is a
        key of the result (an empty list if it names nothing); the nodes of a text are
        sorted by id, so a label shared by two nodes shows both (the caller decides what
        ambiguity means).
        """

    @abstractmethod
    def search_items(self, label: Label, text: str, lang: str, limit: int = 20) -> list[NodeRecord]:
        """The nodes of ``label`` whose label in ``lang`` or in German contains ``text``
        (trimmed, ignoring case, taken literally), best first: what a picker suggests
        while someone types, without sending the whole catalogue to the page.

        Ranked as ``graph.search`` defines it (exact, prefix, word prefix, substring;
        then the label in ``lang`` — German where it has none — ignoring case, then id),
        identically on both stores. At most ``limit`` nodes; none for an empty text or a
        ``limit`` below 1.
        """

    def node_with_relationships(
        self, label: Label, node_id: str
    ) -> tuple[NodeRecord, list[RelRecord]]:
        """``get_node`` and ``relationships`` in one round trip: what deciding access to a
        record (and most detail pages) needs first. Raises ``NotFound``."""
        return self.get_node(label, node_id), self.relationships(label, node_id)

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
    def get_user(self, user_id: str) -> User:
        """One user by id; raises ``NotFound``."""

    @abstractmethod
    def user_by_email(self, email: str) -> User | None:
        """The user with this e-mail address (compared in lower case), or None."""

    @abstractmethod
    def list_users(self) -> list[User]:
        """Every user, sorted by e-mail address."""

    @abstractmethod
    def save_user(self, user: User) -> User:
        """Create (``user.version == 0``) or update a user; returns it with the new version.

        Raises ``InvalidInput`` (see ``check_user``), ``Conflict`` when the id or the
        e-mail address is taken by another user or when the stored version is not
        ``user.version`` (someone saved in between: nothing is overwritten), and
        ``NotFound`` for an update of a user that does not exist.
        """

    @abstractmethod
    def save_entity_if_version(
        self, label: Label, node_id: str, expected_version: int, data: GraphData
    ) -> int:
        """Compare-and-set for an edited entity (candidate, offer, company); returns the
        new version.

        ``data`` holds the node ``(label, node_id)`` and the relationships it owns and is
        written as :meth:`import_graph` writes it, with the node's ``version`` property
        set to ``expected_version + 1`` — but only if the stored ``version`` (0 for a node
        that never had one, or that does not exist yet) is still ``expected_version``. The
        comparison and the write happen in ONE write transaction under the node's write
        lock, so of two people saving the same version at once exactly one succeeds; the
        other gets ``Conflict`` and nothing of theirs is written. ``NotFound`` when the
        node is gone although a version > 0 was expected; ``InvalidInput`` when ``data``
        lacks the node.
        """

    @abstractmethod
    def append_audit(self, events: Sequence[AuditEvent]) -> None:
        """Append audit events (``graph.audit``) in one transaction: all or none.

        Raises ``InvalidInput`` (see ``check_event``) before writing anything if one event
        holds something other than ids and codes. The log is append-only: no method of
        the store changes or deletes an event, and events are neither nodes of the world
        (``export_graph``, ``counts``) nor tied to the candidate's node, so erasing a
        candidate leaves the ids in the log. Only :meth:`clear` empties it.
        """

    @abstractmethod
    def audit_events(
        self,
        *,
        candidate_id: str | None = None,
        user_id: str | None = None,
        since: str | dt.datetime | dt.date | None = None,
        until: str | dt.datetime | dt.date | None = None,
        action: str | None = None,
        limit: int = 1000,
    ) -> list[AuditEvent]:
        """Audit events matching every given filter, newest first (ties: the later
        appended first where the store knows), at most ``limit`` (none below 1).
        ``since`` is inclusive and ``until`` exclusive; each a date (midnight UTC), a
        datetime or an ISO 8601 string (see ``graph.audit.audit_filters``)."""

    @abstractmethod
    def erase_candidate(self, candidate_id: str, erasure: ErasureRecord) -> None:
        """Erase a candidate (GDPR Art. 17) in ONE write transaction: delete the candidate
        node, every node about them (``graph.erasure.ABOUT_A_CANDIDATE`` with
        ``OF_CANDIDATE`` to them) and every relationship touching those, and keep
        ``erasure`` (no personal data, see ``graph.erasure``) so that no later write can
        bring the id back. Every process sees the candidate gone at its next read.
        ``NotFound`` when there is no such candidate; ``InvalidInput`` when ``erasure``
        is not valid or not this candidate's (``check_erasure``). Nothing is changed then.
        """

    @abstractmethod
    def erased_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of the candidate ``ids`` that were erased."""

    @abstractmethod
    def erasures(self) -> list[ErasureRecord]:
        """Every erasure record, oldest first (then by key)."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every node and relationship, the audit log and the erasure records
        (schema stays): the reset of tests, not a tool for a live district."""

    @abstractmethod
    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
