"""The production store: a Neo4j 5 server through the official driver.

Follows the driver manual: one driver per process, a session per unit of work, managed
write transactions (``execute_write``, retried by the driver on transient errors, so
every transaction function here is safe to run twice), every statement loaded by name
from ``cypher/`` and every value passed as a parameter. Reads run as auto-commit queries
on a read session — one network round trip instead of three (begin, run, commit; Neo4j
reads are read-committed per statement either way) — and fall back to a managed, retried
read transaction when the server answers with a transient error. Records are turned into
plain ``graph.records`` objects inside the transaction; nothing from the driver leaves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from neo4j import READ_ACCESS, GraphDatabase, ManagedTransaction
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    ConstraintError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

import cypher
from graph.audit import AuditEvent, audit_filters, check_event
from graph.catalogue import course_option, missing_by_kind
from graph.erasure import (
    ErasureRecord,
    candidate_ids_in,
    check_erasure,
    erasure_key,
    refusal,
)
from graph.errors import Conflict, InvalidInput, NotFound, StoreUnavailable
from graph.model import (
    CEFR_LEVELS,
    KLDB_MATCH_RANKS,
    LABEL_PROPERTY_PREFIX,
    Label,
    Rel,
    kldb_class_code,
)
from graph.planning.types import CourseOption, Item
from graph.profiles import (
    CandidateProfile,
    FitRow,
    NamedItem,
    OfferProfile,
    Requirement,
    candidate_from_rows,
    labels_of,
    offer_from_rows,
    requirement_totals,
    take_groups,
)
from graph.records import GraphData, NodeRecord, RelRecord
from graph.search import WORD_SEPARATORS, normalise, searched_labels
from graph.store import (
    GraphStore,
    ImportSummary,
    ProgressCallback,
    User,
    check_user,
    version_conflict,
    with_next_version,
)
from graph.stores.plan import ImportPlan, batched, owned_specs, plan_import

__all__ = ["STATEMENTS", "Neo4jStore"]

T = TypeVar("T")

BATCH = 5_000
"""Rows per UNWIND: large enough to amortise round trips, small enough for the heap."""

STATEMENTS = (
    "schema/create_id_constraint",
    "schema/create_esco_uri_index",
    "schema/create_email_constraint",
    "import/merge_nodes",
    "import/merge_node_properties",
    "import/merge_relationships",
    "import/delete_owned_relationships",
    "import/delete_owned_incoming_relationships",
    "import/create_relationships",
    "export/all_nodes",
    "export/all_relationships",
    "query/count_nodes",
    "query/existing_ids",
    "query/ids_by_esco_uri",
    "query/skills_for_kldb",
    "query/get_node",
    "query/get_nodes",
    "query/list_nodes",
    "query/find_items_by_text",
    "query/search_items",
    "query/node_relationships",
    "query/node_with_relationships",
    "query/courses_that_matter",
    "query/offer_profiles",
    "query/candidate_profiles",
    "query/offer_profiles_by_id",
    "query/candidate_profiles_by_id",
    "query/offer_fits",
    "query/candidate_fits",
    "query/candidate_places",
    "admin/delete_some_nodes",
    "users/by_email",
    "users/all",
    "users/lock",
    "users/replace",
    "users/create",
    "versions/lock",
    "audit/create_candidate_index",
    "audit/create_at_index",
    "audit/create_user_index",
    "audit/append",
    "audit/events",
    "gdpr/create_erasure_key_constraint",
    "gdpr/delete_candidate",
    "gdpr/record_erasure",
    "gdpr/erased_keys",
    "gdpr/erasures",
)
"""Every statement this store runs; the conformance suite checks it matches ``cypher/``."""

_ESCO_LABELS = (Label.SKILL, Label.OCCUPATION)
_AUDIT_INDEXES = ("candidate", "at", "user")
_CEFR_RANKS = {level: rank for rank, level in enumerate(CEFR_LEVELS, start=1)}
_LABELS = {str(label): label for label in Label}


class Neo4jStore(GraphStore):
    kind = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        self.uri = uri
        self.database = database
        try:
            self._driver = GraphDatabase.driver(uri, auth=(user, password))
            self._driver.verify_connectivity()
        except AuthError as e:
            self._close_quietly()
            raise StoreUnavailable(f"Neo4j at {uri} refused the credentials of {user!r}") from e
        except (ServiceUnavailable, OSError) as e:
            self._close_quietly()
            raise StoreUnavailable(f"Neo4j at {uri} is not reachable ({_one_line(e)})") from e
        except (ConfigurationError, ValueError) as e:
            self._close_quietly()
            raise StoreUnavailable(f"cannot use NEO4J_URI {uri!r}: {e}") from e

    # --- plumbing ---------------------------------------------------------------------

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        try:
            return self._run("auto_commit_read", work)
        except (TransientError, SessionExpired):
            return self._run("execute_read", work)

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        return self._run("execute_write", work)

    def _run(self, mode: str, work: Callable[[ManagedTransaction], T]) -> T:
        try:
            if mode == "auto_commit_read":
                with self._driver.session(
                    database=self.database, default_access_mode=READ_ACCESS
                ) as session:
                    return work(session)  # type: ignore[arg-type]  # a session runs too
            with self._driver.session(database=self.database) as session:
                return getattr(session, mode)(work)
        except ServiceUnavailable as e:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable ({_one_line(e)})") from e
        except AuthError as e:
            raise StoreUnavailable(f"Neo4j at {self.uri} refused the credentials") from e
        except Neo4jError as e:
            if e.code and "DatabaseNotFound" in e.code:
                raise StoreUnavailable(
                    f"Neo4j at {self.uri} has no database {self.database!r}"
                ) from e
            raise

    def _close_quietly(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None:
            driver.close()

    # --- schema ----------------------------------------------------------------------------

    def init_schema(self) -> None:
        statements = [cypher.render("schema/create_id_constraint", label=label) for label in Label]
        statements += [
            cypher.render("schema/create_esco_uri_index", label=label) for label in _ESCO_LABELS
        ]
        statements.append(cypher.render("schema/create_email_constraint", label=Label.USER))
        statements += [cypher.load(f"audit/create_{key}_index") for key in _AUDIT_INDEXES]
        statements.append(cypher.load("gdpr/create_erasure_key_constraint"))
        # Schema changes cannot share a transaction with each other's data; one each.
        for statement in statements:
            self._write(lambda tx, q=statement: tx.run(q).consume())

    # --- import / export -------------------------------------------------------------

    def import_graph(
        self,
        data: GraphData,
        progress: ProgressCallback | None = None,
        *,
        merge: bool = False,
        replace_relationships: frozenset[Rel] = frozenset(),
    ) -> ImportSummary:
        plan = plan_import(data)
        mode = _Merge(replace_relationships) if merge else None
        self._write(lambda tx: _write_plan(tx, plan, progress, mode))
        return ImportSummary(nodes=len(data.nodes), relationships=len(data.relationships))

    def import_batches(self, batches: Iterable[GraphData]) -> ImportSummary:
        # An explicit transaction, not execute_write: a managed transaction is retried on
        # transient errors, and the batches can be consumed only once. Leaving the block
        # without commit() (an exception from the batches) rolls everything back.
        nodes = relationships = 0
        try:
            with (
                self._driver.session(database=self.database) as session,
                session.begin_transaction() as tx,
            ):
                for data in batches:
                    _write_plan(tx, plan_import(data), None)
                    nodes += len(data.nodes)
                    relationships += len(data.relationships)
                tx.commit()
        except ServiceUnavailable as e:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable ({_one_line(e)})") from e
        return ImportSummary(nodes=nodes, relationships=relationships)

    def export_graph(self) -> GraphData:
        return self._read(_export)

    def clear(self) -> None:
        statement = cypher.load("admin/delete_some_nodes")
        while self._write(lambda tx: tx.run(statement, batch=10_000).single()["deleted"]):
            pass

    # --- queries ---------------------------------------------------------------------

    def counts(self) -> dict[Label, int]:
        def work(tx: ManagedTransaction) -> dict[Label, int]:
            return {
                label: tx.run(cypher.render("query/count_nodes", label=label)).single()["count"]
                for label in Label
            }

        return self._read(work)

    def existing_ids(self, label: Label, ids: Iterable[str]) -> set[str]:
        statement = cypher.render("query/existing_ids", label=Label(label))
        wanted = list(dict.fromkeys(ids))

        def work(tx: ManagedTransaction) -> set[str]:
            found: set[str] = set()
            for batch in batched(wanted, BATCH):
                found.update(record["id"] for record in tx.run(statement, ids=batch))
            return found

        return self._read(work)

    def ids_by_esco_uri(self, label: Label, uris: Iterable[str]) -> dict[str, str]:
        statement = cypher.render("query/ids_by_esco_uri", label=Label(label))
        wanted = list(dict.fromkeys(uris))

        def work(tx: ManagedTransaction) -> dict[str, str]:
            return {
                record["uri"]: record["id"]
                for batch in batched(wanted, BATCH)
                for record in tx.run(statement, uris=batch)
            }

        return self._read(work)

    def skills_for_kldb(self, code: str) -> list[NamedItem]:
        normal = _kldb_code(code)
        return self._read(lambda tx: _kldb_skills(tx, normal))

    def get_node(self, label: Label, node_id: str) -> NodeRecord:
        label = Label(label)
        statement = cypher.render("query/get_node", label=label)
        record = self._read(lambda tx: tx.run(statement, id=node_id).single())
        if record is None:
            raise NotFound(f"no {label} with id {node_id!r}")
        props = dict(record["props"])
        props.pop("id", None)
        return NodeRecord(label, node_id, props)

    def get_nodes(self, label: Label, ids: Iterable[str]) -> dict[str, NodeRecord]:
        label = Label(label)
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        statement = cypher.render("query/get_nodes", label=label)
        rows = self._read(lambda tx: [(r["id"], r["props"]) for r in tx.run(statement, ids=wanted)])
        found = {}
        for node_id, props in rows:
            props = dict(props)
            props.pop("id", None)
            found[node_id] = NodeRecord(label, node_id, props)
        return {node_id: found[node_id] for node_id in wanted if node_id in found}

    def list_nodes(self, label: Label, limit: int = 5000) -> list[NodeRecord]:
        label = Label(label)
        statement = cypher.render("query/list_nodes", label=label)
        rows = self._read(
            lambda tx: [(r["id"], r["props"]) for r in tx.run(statement, limit=max(limit, 0))]
        )
        records = []
        for node_id, props in rows:
            props = dict(props)
            props.pop("id", None)
            records.append(NodeRecord(label, node_id, props))
        return records

    def find_items_by_text(self, label: Label, texts: Sequence[str]) -> dict[str, list[NodeRecord]]:
        label = Label(label)
        found: dict[str, list[NodeRecord]] = {text: [] for text in texts}
        if not found:
            return found
        wanted = [{"text": t, "exact": t.strip(), "lowered": t.strip().lower()} for t in found]
        statement = cypher.render("query/find_items_by_text", label=label)
        params = {
            "wanted": wanted,
            "exact": [w["exact"] for w in wanted],
            "lowered": [w["lowered"] for w in wanted],
            "prefix": LABEL_PROPERTY_PREFIX,
        }
        rows = self._read(lambda tx: [r.data() for r in tx.run(statement, **params)])
        for row in rows:
            props = dict(row["props"])
            props.pop("id", None)
            found[row["text"]].append(NodeRecord(label, row["id"], props))
        return found

    def search_items(self, label: Label, text: str, lang: str, limit: int = 20) -> list[NodeRecord]:
        label = Label(label)
        needle = normalise(text)
        if not needle or limit < 1:
            return []
        own, german = searched_labels(lang)
        statement = cypher.render("query/search_items", label=label)
        params = {
            "needle": needle,
            "own": own,
            "german": german,
            "separators": list(WORD_SEPARATORS),
            "limit": limit,
        }
        rows = self._read(lambda tx: [(r["id"], r["props"]) for r in tx.run(statement, **params)])
        records = []
        for node_id, props in rows:
            props = dict(props)
            props.pop("id", None)
            records.append(NodeRecord(label, node_id, props))
        return records

    def node_with_relationships(
        self, label: Label, node_id: str
    ) -> tuple[NodeRecord, list[RelRecord]]:
        label = Label(label)
        statement = cypher.render("query/node_with_relationships", label=label)
        record = self._read(
            lambda tx: r.data() if (r := tx.run(statement, id=node_id).single()) else None
        )
        if record is None:
            raise NotFound(f"no {label} with id {node_id!r}")
        props = dict(record["props"])
        props.pop("id", None)
        rels = [rel for row in record["rels"] if (rel := _rel_record(row)) is not None]
        return NodeRecord(label, node_id, props), sorted(rels, key=_rel_sort_key)

    def relationships(self, label: Label, node_id: str) -> list[RelRecord]:
        label = Label(label)
        statement = cypher.render("query/node_relationships", label=label)
        rows = self._read(lambda tx: [r.data() for r in tx.run(statement, id=node_id)])
        if not rows:
            raise NotFound(f"no {label} with id {node_id!r}")
        rels = [rel for row in rows if row["type"] and (rel := _rel_record(row)) is not None]
        return sorted(rels, key=_rel_sort_key)

    def candidate_profile(self, candidate_id: str) -> CandidateProfile:
        found = self.candidates_by_id([candidate_id])
        if not found:
            raise NotFound(f"no Candidate with id {candidate_id!r}")
        return found[0]

    def offer_profile(self, offer_id: str) -> OfferProfile:
        found = self.offers_by_id([offer_id])
        if not found:
            raise NotFound(f"no Offer with id {offer_id!r}")
        return found[0]

    def offer_profiles(self, kind: str | None = None, only_open: bool = True) -> list[OfferProfile]:
        statement = cypher.load("query/offer_profiles")
        rows = self._read(
            lambda tx: _with_kldb_skills(
                tx, [r.data() for r in tx.run(statement, kind=kind, only_open=only_open)]
            )
        )
        return sorted(map(_offer, rows), key=lambda profile: profile.id)

    def candidate_profiles(self) -> list[CandidateProfile]:
        statement = cypher.load("query/candidate_profiles")
        rows = self._read(lambda tx: [r.data() for r in tx.run(statement)])
        return sorted(map(_candidate, rows), key=lambda profile: profile.id)

    def offers_by_id(self, ids: Sequence[str]) -> list[OfferProfile]:
        statement = cypher.load("query/offer_profiles_by_id")
        rows = self._read(
            lambda tx: _with_kldb_skills(tx, [r.data() for r in tx.run(statement, ids=list(ids))])
        )
        return _in_order(ids, map(_offer, rows))

    def candidates_by_id(self, ids: Sequence[str]) -> list[CandidateProfile]:
        statement = cypher.load("query/candidate_profiles_by_id")
        rows = self._read(lambda tx: [r.data() for r in tx.run(statement, ids=list(ids))])
        return _in_order(ids, map(_candidate, rows))

    def offer_fits(
        self, have: Mapping[str, int], kind: str | None, only_open: bool, min_rows: int
    ) -> tuple[list[FitRow], bool]:
        statement = cypher.load("query/offer_fits")
        params = {
            "have": dict(have),
            "rank": _CEFR_RANKS,
            "kind": kind,
            "only_open": only_open,
            "language_rel": str(Rel.REQUIRES_LANGUAGE),
        }

        def work(tx: ManagedTransaction) -> tuple[list[FitRow], bool]:
            rows = (_fit_row(record.data()) for record in tx.run(statement, **params))
            return take_groups(rows, min_rows)

        return self._read(work)

    def candidate_fits(
        self, requirements: Sequence[Requirement], min_rows: int
    ) -> tuple[list[FitRow], bool]:
        totals = requirement_totals(requirements)
        params: dict[str, Any] = {"rank": _CEFR_RANKS}
        for kind in ("skill", "tool", "language"):
            params[f"{kind}_reqs"] = [
                {
                    "id": r.id,
                    "key": f"{r.kind}:{r.id}",
                    "rank": r.rank,
                    "essential": r.essential,
                    "language": r.kind == "language",
                }
                for r in requirements
                if r.kind == kind
            ]

        def work(tx: ManagedTransaction) -> tuple[list[FitRow], bool]:
            def rows() -> Iterator[FitRow]:
                seen = set()
                for record in tx.run(cypher.load("query/candidate_fits"), **params):
                    seen.add(record["id"])
                    yield _fit_row({**record.data(), **totals})
                for record in tx.run(cypher.load("query/candidate_places")):
                    if record["id"] not in seen:
                        yield _fit_row(
                            {
                                **record.data(),
                                **totals,
                                "essential_met": 0,
                                "optional_met": 0,
                                "language_met": 0,
                            }
                        )

            return take_groups(rows(), min_rows)

        return self._read(work)

    def courses_that_matter(
        self, missing: Iterable[Item], have: Mapping[str, int]
    ) -> list[CourseOption]:
        targets = missing_by_kind(missing)
        if not any(targets.values()):
            return []
        statement = cypher.load("query/courses_that_matter")
        params = {**targets, "have": dict(have), "rank": _CEFR_RANKS}
        rows = self._read(lambda tx: [r.data() for r in tx.run(statement, **params)])
        options = [
            course_option(
                row["id"],
                {"weeks": row["weeks"], "cost": row["cost"], "starts": row["starts"]},
                [
                    (link["type"], link["id"], link["level"])
                    for link in (*row["teaches"], *row["requires"])
                ],
            )
            for row in rows
        ]
        return sorted(options, key=lambda option: option.id)

    def get_user(self, user_id: str) -> User:
        node = self.get_node(Label.USER, user_id)
        return User.from_props(node.id, node.props)

    def user_by_email(self, email: str) -> User | None:
        statement = cypher.render("users/by_email", label=Label.USER)
        record = self._read(lambda tx: tx.run(statement, email=email.strip().lower()).single())
        return None if record is None else User.from_props(record["id"], record["props"])

    def list_users(self) -> list[User]:
        statement = cypher.render("users/all", label=Label.USER)
        rows = self._read(lambda tx: [(r["id"], r["props"]) for r in tx.run(statement)])
        return [User.from_props(user_id, props) for user_id, props in rows]

    def save_user(self, user: User) -> User:
        check_user(user)
        try:
            return self._write(lambda tx: _save_user(tx, user))
        except ConstraintError as e:  # a concurrent create got there first
            raise Conflict(f"user {user.email!r} or id {user.id!r} exists already") from e

    def save_entity_if_version(
        self, label: Label, node_id: str, expected_version: int, data: GraphData
    ) -> int:
        label = Label(label)
        plan = plan_import(with_next_version(label, node_id, expected_version, data))
        try:
            self._write(lambda tx: _save_if_version(tx, label, node_id, expected_version, plan))
        except ConstraintError as e:  # a concurrent first save created the node first
            raise Conflict(version_conflict(label, node_id, 1, expected_version)) from e
        return expected_version + 1

    # --- the audit log: :AuditEvent nodes outside the world (see graph.audit) ------------

    def append_audit(self, events: Sequence[AuditEvent]) -> None:
        events = list(events)
        for event in events:
            check_event(event)
        if not events:
            return
        statement = cypher.load("audit/append")
        rows = [event.to_props() for event in events]
        self._write(lambda tx: tx.run(statement, events=rows).consume())

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
        f = audit_filters(candidate_id, user_id, since, until, action, limit)
        statement = cypher.load("audit/events")
        rows = self._read(lambda tx: [dict(r["props"]) for r in tx.run(statement, **vars(f))])
        return [AuditEvent.from_props(props) for props in rows]

    # --- erasure (GDPR Art. 17, see graph.erasure) ---------------------------------------

    def erase_candidate(self, candidate_id: str, erasure: ErasureRecord) -> None:
        check_erasure(erasure, candidate_id)
        self._write(lambda tx: _erase(tx, candidate_id, erasure))

    def erased_ids(self, ids: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(ids))
        return self._read(lambda tx: _erased(tx, wanted))

    def erasures(self) -> list[ErasureRecord]:
        statement = cypher.load("gdpr/erasures")
        rows = self._read(lambda tx: [dict(r["props"]) for r in tx.run(statement)])
        return [ErasureRecord.from_props(props) for props in rows]

    def close(self) -> None:
        self._close_quietly()


# --- transaction functions (module level: no store state, safe to retry) -------------------


@dataclass(frozen=True)
class _Merge:
    """``import_graph(merge=True)``: add properties, replace only these relationship types."""

    replace: frozenset[Rel]


def _write_plan(
    tx: ManagedTransaction,
    plan: ImportPlan,
    progress: ProgressCallback | None,
    merge: _Merge | None = None,
):
    total, done = plan.total_rows, 0
    candidates = candidate_ids_in(
        (n for nodes in plan.nodes.values() for n in nodes),
        (r for rels in plan.relationships.values() for r in rels),
    )
    _refuse_erased(tx, candidates)

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        if progress is not None:
            progress(done, total)

    preexisting: dict[Label, list[str]] = {}
    for label, nodes in plan.nodes.items():
        ids = [node.id for node in nodes]
        statement = cypher.render("query/existing_ids", label=label)
        preexisting[label] = [
            record["id"] for batch in batched(ids, BATCH) for record in tx.run(statement, ids=batch)
        ]

    for label, ids in preexisting.items():
        for spec in owned_specs(label):
            if merge is not None and spec.type not in merge.replace:
                continue
            name = (
                "import/delete_owned_relationships"
                if spec.owner == "source"
                else "import/delete_owned_incoming_relationships"
            )
            statement = cypher.render(name, source=spec.source, type=spec.type, target=spec.target)
            for batch in batched(ids, BATCH):
                tx.run(statement, ids=batch).consume()

    node_statement = "import/merge_nodes" if merge is None else "import/merge_node_properties"
    for label, nodes in plan.nodes.items():
        statement = cypher.render(node_statement, label=label)
        for batch in batched(nodes, BATCH):
            rows = [{"id": n.id, "props": _given(n.props, merge)} for n in batch]
            tx.run(statement, rows=rows).consume()
            advance(len(batch))

    rel_statement = "import/create_relationships" if merge is None else "import/merge_relationships"
    for spec, rels in plan.relationships.items():
        statement = cypher.render(
            rel_statement, source=spec.source, type=spec.type, target=spec.target
        )
        for batch in batched(rels, BATCH):
            rows = [{"source": r.source_id, "target": r.target_id, "props": r.props} for r in batch]
            tx.run(statement, rows=rows).consume()
            advance(len(batch))

    # Again at the end: an erasure that committed while this transaction waited for the
    # candidate's lock is visible now (read committed), and the write is rolled back.
    _refuse_erased(tx, candidates)


def _erased(tx: ManagedTransaction, ids: list[str]) -> set[str]:
    by_key = {erasure_key(i): i for i in ids}
    statement = cypher.load("gdpr/erased_keys")
    return {
        by_key[record["key"]]
        for batch in batched(list(by_key), BATCH)
        for record in tx.run(statement, keys=batch)
    }


def _refuse_erased(tx: ManagedTransaction, candidate_ids: list[str]) -> None:
    if candidate_ids and (erased := _erased(tx, candidate_ids)):
        raise refusal(erased)


def _erase(tx: ManagedTransaction, candidate_id: str, erasure: ErasureRecord) -> None:
    """See ``GraphStore.erase_candidate``: lock the candidate first, so a write to them
    that is under way finishes before the nodes about them are collected."""
    locked = tx.run(cypher.render("versions/lock", label=Label.CANDIDATE), id=candidate_id)
    if locked.single() is None:
        raise NotFound(f"no {Label.CANDIDATE} with id {candidate_id!r}")
    tx.run(cypher.load("gdpr/delete_candidate"), id=candidate_id).consume()
    tx.run(cypher.load("gdpr/record_erasure"), erasure=erasure.to_props()).consume()


def _save_user(tx: ManagedTransaction, user: User) -> User:
    """See ``GraphStore.save_user``; the version check runs under the node's write lock."""
    by_email = tx.run(cypher.render("users/by_email", label=Label.USER), email=user.email).single()
    if by_email is not None and by_email["id"] != user.id:
        raise Conflict(f"the e-mail address {user.email!r} belongs to another user")
    saved = replace(user, version=user.version + 1)
    props = saved.to_props()
    if user.version == 0:
        found = tx.run(cypher.render("query/get_node", label=Label.USER), id=user.id).single()
        if found is not None:
            raise Conflict(f"a user with id {user.id!r} exists already")
        tx.run(cypher.render("users/create", label=Label.USER), id=user.id, props=props).consume()
        return saved
    locked = tx.run(cypher.render("users/lock", label=Label.USER), id=user.id).single()
    if locked is None:
        raise NotFound(f"no User with id {user.id!r}")
    stored = locked["props"].get("version")
    if stored != user.version:
        raise Conflict(
            f"user {user.email!r} was changed by someone else (version {stored}, "
            f"this change was made on version {user.version}); reload and try again"
        )
    tx.run(cypher.render("users/replace", label=Label.USER), id=user.id, props=props).consume()
    return saved


def _save_if_version(
    tx: ManagedTransaction, label: Label, node_id: str, expected: int, plan: ImportPlan
) -> None:
    """See ``GraphStore.save_entity_if_version``: lock, compare, write — one transaction."""
    locked = tx.run(cypher.render("versions/lock", label=label), id=node_id).single()
    if locked is None and expected > 0:
        raise NotFound(f"no {label} with id {node_id!r}")
    stored = 0 if locked is None else int(locked["version"])
    if stored != expected:
        raise Conflict(version_conflict(label, node_id, stored, expected))
    _write_plan(tx, plan, None)


def _given(props: dict[str, Any], merge: _Merge | None) -> dict[str, Any]:
    """In a merge, ``None`` means "not given" (``SET n += {x: null}`` would remove ``x``)."""
    return props if merge is None else {k: v for k, v in props.items() if v is not None}


def _kldb_code(code: str) -> str:
    normal = kldb_class_code(code)
    if normal is None:
        raise InvalidInput(f"{code!r} is not a KldB 2010 code (1–5 digits or 'B 12345-678')")
    return normal


def _kldb_skill_rows(tx: ManagedTransaction, code: str) -> list[dict[str, Any]]:
    records = tx.run(cypher.load("query/skills_for_kldb"), code=code, ranks=KLDB_MATCH_RANKS)
    return [{"id": r["id"], "labels": dict(r["props"])} for r in records]


def _kldb_skills(tx: ManagedTransaction, code: str) -> list[NamedItem]:
    return [NamedItem(row["id"], labels_of(row["labels"])) for row in _kldb_skill_rows(tx, code)]


def _with_kldb_skills(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Offers without an ESCO occupation but with a KldB code get the occupation skills
    through the BA mapping (``skills_for_kldb``), in the same read transaction."""
    for row in rows:
        code = kldb_class_code(row["props"].get("kldb") or "")
        if row["occupation"] is None and code:
            row["occupation_skills"] = _kldb_skill_rows(tx, code)
    return rows


def _export(tx: ManagedTransaction) -> GraphData:
    nodes = []
    for record in tx.run(cypher.load("export/all_nodes")):
        label = _known_label(record["labels"])
        if label is None or record["id"] is None:
            continue
        props = dict(record["props"])
        props.pop("id", None)
        nodes.append(NodeRecord(label, record["id"], props))
    rels = [
        rel
        for record in tx.run(cypher.load("export/all_relationships"))
        if (rel := _rel_record(record.data())) is not None
    ]
    return GraphData(nodes, rels)


def _offer(row: dict[str, Any]) -> OfferProfile:
    return offer_from_rows(
        row["id"],
        row["props"],
        row["company"],
        row["town"],
        row["occupation"],
        row["requirements"],
        row["occupation_skills"],
    )


def _candidate(row: dict[str, Any]) -> CandidateProfile:
    return candidate_from_rows(
        row["id"], row["props"], row["town"], row["skills"], row["tools"], row["languages"]
    )


def _in_order(ids: Sequence[str], profiles: Iterable[T]) -> list[T]:
    by_id = {profile.id: profile for profile in profiles}  # type: ignore[attr-defined]
    return [by_id[i] for i in dict.fromkeys(ids) if i in by_id]


def _fit_row(row: dict[str, Any]) -> FitRow:
    return FitRow(
        id=row["id"],
        lat=row.get("lat"),
        lon=row.get("lon"),
        essential_met=row["essential_met"],
        essential_total=row["essential_total"],
        optional_met=row["optional_met"],
        optional_total=row["optional_total"],
        language_met=row["language_met"],
        language_total=row["language_total"],
        available_from=row.get("available_from"),
        essential_met_items=tuple(sorted(row.get("essential_met_items") or ())),
    )


def _known_label(labels: list[str]) -> Label | None:
    for name in labels:
        if name in _LABELS:
            return _LABELS[name]
    return None


def _rel_record(row: dict[str, Any]) -> RelRecord | None:
    source, target = _known_label(row["source_labels"]), _known_label(row["target_labels"])
    if source is None or target is None or row["type"] not in Rel.__members__:
        return None
    return RelRecord(
        Rel(row["type"]), source, row["source_id"], target, row["target_id"], dict(row["props"])
    )


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _rel_sort_key(rel: RelRecord) -> tuple[str, ...]:
    return (rel.type, rel.source_label, rel.source_id, rel.target_label, rel.target_id)
