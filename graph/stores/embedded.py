"""The store that needs no server: SQLite on disk, networkx in memory.

SQLite (WAL mode) is the durable record: every write is one SQLite transaction, so a
process killed midway leaves nothing behind, and several processes can open the same data
directory at once (readers never block; writers queue on SQLite's lock).

For traversal the graph is mirrored in a ``networkx.MultiDiGraph``, keyed by
``(label, id)``. Each write appends the keys of the nodes it touched to a ``changes`` log;
before answering from memory a process checks ``PRAGMA data_version`` (which moves only
when *another* connection commits) and replays the log, reloading just the touched nodes
and their relationships, or everything after a ``clear`` or when it fell too far behind.
That is how one process sees another's committed writes without reloading per request.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx

from graph.audit import AuditEvent, audit_filters, check_event
from graph.catalogue import course_option
from graph.erasure import (
    ABOUT_A_CANDIDATE,
    ErasureRecord,
    candidate_ids_in,
    check_erasure,
    erasure_key,
    refusal,
)
from graph.errors import Conflict, InvalidInput, NotFound, StoreUnavailable
from graph.model import KLDB_MATCH_RANKS, LABEL_PROPERTY_PREFIX, Label, Rel, kldb_class_code
from graph.planning.types import CourseOption, Item
from graph.profiles import (
    CandidateProfile,
    FitRow,
    NamedItem,
    OfferProfile,
    Requirement,
    candidate_from_rows,
    fit_row,
    labels_of,
    level_rank,
    offer_from_rows,
    requirement_totals,
    take_groups,
)
from graph.records import GraphData, NodeRecord, RelRecord
from graph.search import normalise, search_key
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

__all__ = ["DATABASE_FILE", "EmbeddedStore"]

DATABASE_FILE = "wegweiser.sqlite3"
BATCH = 5_000
_FULL_RELOAD_AFTER = 5_000
"""Replaying more changed nodes than this is slower than reading everything again."""
_CHANGES_KEPT = 200_000

_DELETE_OWNED = {
    "source": "DELETE FROM rels WHERE type = ? AND source_label = ? AND target_label = ? "
    "AND source_id = ?",
    "target": "DELETE FROM rels WHERE type = ? AND source_label = ? AND target_label = ? "
    "AND target_id = ?",
}
"""Drop the relationships of one kind that a re-imported node owns (see ``RelSpec.owner``)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS nodes (
    label TEXT NOT NULL,
    id    TEXT NOT NULL,
    props TEXT NOT NULL,
    PRIMARY KEY (label, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rels (
    source_label TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    type         TEXT NOT NULL,
    target_label TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    props        TEXT NOT NULL,
    PRIMARY KEY (source_label, source_id, type, target_label, target_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rels_by_target ON rels (target_label, target_id, type);
CREATE TABLE IF NOT EXISTS changes (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    label TEXT NOT NULL,
    id    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '1');
"""

_AUDIT_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS audit (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    organization TEXT NOT NULL,
    role         TEXT NOT NULL,
    action       TEXT NOT NULL,
    label        TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    field_group  TEXT NOT NULL,
    purpose      TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS audit_by_candidate ON audit (candidate_id, at)",
    "CREATE INDEX IF NOT EXISTS audit_by_user ON audit (user_id, at)",
    "CREATE INDEX IF NOT EXISTS audit_by_at ON audit (at)",
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
)
"""The audit log (``graph.audit``): a table of its own, outside ``nodes``, so it is never
exported or mirrored. The triggers refuse every UPDATE and DELETE, also from outside
this code; only ``clear`` empties the log, by dropping and re-creating the table."""
_ERASURE_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS erasures (
    key       TEXT PRIMARY KEY,
    erased_at TEXT NOT NULL,
    erased_by TEXT NOT NULL,
    reason    TEXT NOT NULL
) WITHOUT ROWID""",
)
"""Erasure records (``graph.erasure``): a table of their own, never exported or mirrored."""
_AUDIT_COLUMNS = (
    "at, user_id, organization, role, action, label, record_id, candidate_id, field_group, purpose"
)


class EmbeddedStore(GraphStore):
    kind = "embedded"

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DATABASE_FILE
        self._lock = threading.RLock()
        self._conn = _open(self.data_dir, self.path)
        self._graph: nx.MultiDiGraph | None = None
        self._epoch: str | None = None
        self._seen_seq = 0
        self._data_version: int | None = None
        self.init_schema()

    # --- plumbing ---------------------------------------------------------------------

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        """One SQLite transaction; ``BEGIN IMMEDIATE`` takes the write lock up front so a
        writer never fails halfway on a lock another writer holds."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.OperationalError as e:
                raise StoreUnavailable(f"{self.path}: {e}") from e
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                try:
                    self._conn.execute("COMMIT")
                except sqlite3.OperationalError as e:
                    self._conn.execute("ROLLBACK")
                    raise StoreUnavailable(f"{self.path}: {e}") from e

    def init_schema(self) -> None:
        with self._transaction(write=True) as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            for statement in (*_AUDIT_SCHEMA, *_ERASURE_SCHEMA):
                db.execute(statement)
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', ?)", (uuid.uuid4().hex,)
            )

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
        total, done = plan.total_rows, 0
        upsert = _MERGE_NODE if merge else _REPLACE_NODE
        with self._transaction(write=True) as db:
            _refuse_erased(db, candidate_ids_in(data.nodes, data.relationships))
            for label, nodes in plan.nodes.items():
                preexisting = _existing(db, label, [n.id for n in nodes])
                for spec in owned_specs(label):
                    if merge and spec.type not in replace_relationships:
                        continue
                    db.executemany(
                        _DELETE_OWNED[spec.owner],
                        ((spec.type, spec.source, spec.target, i) for i in preexisting),
                    )
            for label, nodes in plan.nodes.items():
                for batch in batched(nodes, BATCH):
                    db.executemany(
                        upsert,
                        ((label, n.id, _dumps(_merged(n.props, merge))) for n in batch),
                    )
                    db.executemany(
                        "INSERT INTO changes (label, id) VALUES (?, ?)",
                        ((label, n.id) for n in batch),
                    )
                    done += len(batch)
                    if progress is not None:
                        progress(done, total)
            for spec, rels in plan.relationships.items():
                for batch in batched(rels, BATCH):
                    db.executemany(
                        "INSERT OR REPLACE INTO rels VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            (
                                spec.source,
                                r.source_id,
                                spec.type,
                                spec.target,
                                r.target_id,
                                _dumps(r.props),
                            )
                            for r in batch
                        ),
                    )
                    done += len(batch)
                    if progress is not None:
                        progress(done, total)
            db.execute(
                "DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - ?",
                (_CHANGES_KEPT,),
            )
        self._catch_up_after_own_write()
        return ImportSummary(nodes=len(data.nodes), relationships=len(data.relationships))

    def import_batches(self, batches: Iterable[GraphData]) -> ImportSummary:
        nodes = relationships = 0
        with self._transaction(write=True) as db:
            for data in batches:
                _refuse_erased(db, candidate_ids_in(data.nodes, data.relationships))
                _write_batch(db, plan_import(data))
                nodes += len(data.nodes)
                relationships += len(data.relationships)
            db.execute(
                "DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - ?",
                (_CHANGES_KEPT,),
            )
        self._catch_up_after_own_write()
        return ImportSummary(nodes=nodes, relationships=relationships)

    def export_graph(self) -> GraphData:
        with self._transaction(write=False) as db:
            nodes = [_node(row) for row in db.execute("SELECT label, id, props FROM nodes")]
            rels = [_rel(row) for row in db.execute("SELECT * FROM rels")]
        return GraphData(nodes, rels)

    def clear(self) -> None:
        with self._transaction(write=True) as db:
            db.execute("DELETE FROM rels")
            db.execute("DELETE FROM nodes")
            db.execute("DELETE FROM changes")
            db.execute("DELETE FROM erasures")
            db.execute("DROP TABLE IF EXISTS audit")  # DELETE is refused by a trigger
            for statement in _AUDIT_SCHEMA:
                db.execute(statement)
            db.execute("UPDATE meta SET value = ? WHERE key = 'epoch'", (uuid.uuid4().hex,))
        self._catch_up_after_own_write()

    # --- queries ---------------------------------------------------------------------

    def counts(self) -> dict[Label, int]:
        with self._transaction(write=False) as db:
            found = dict(db.execute("SELECT label, count(*) FROM nodes GROUP BY label"))
        return {label: found.get(str(label), 0) for label in Label}

    def existing_ids(self, label: Label, ids: Iterable[str]) -> set[str]:
        with self._lock:
            if self._conn.in_transaction:  # asked while import_batches' batches are produced
                return set(_existing(self._conn, Label(label), list(dict.fromkeys(ids))))
        with self._transaction(write=False) as db:
            return set(_existing(db, Label(label), list(dict.fromkeys(ids))))

    def ids_by_esco_uri(self, label: Label, uris: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(uris))
        found: dict[str, str] = {}
        with self._transaction(write=False) as db:
            for batch in batched(wanted, BATCH):
                for uri, node_id in db.execute(
                    "SELECT json_extract(props, '$.esco_uri') AS uri, min(id) FROM nodes "
                    "WHERE label = ? AND uri IN (SELECT value FROM json_each(?)) GROUP BY uri",
                    (Label(label), json.dumps(batch)),
                ):
                    found[uri] = node_id
        return found

    def skills_for_kldb(self, code: str) -> list[NamedItem]:
        return _kldb_skills(self._current_graph(), _kldb_code(code))

    def get_node(self, label: Label, node_id: str) -> NodeRecord:
        label = Label(label)
        graph = self._current_graph()
        if (label, node_id) not in graph:
            raise NotFound(f"no {label} with id {node_id!r}")
        return NodeRecord(label, node_id, dict(graph.nodes[(label, node_id)]["props"]))

    def get_nodes(self, label: Label, ids: Iterable[str]) -> dict[str, NodeRecord]:
        label = Label(label)
        graph = self._current_graph()
        return {
            node_id: NodeRecord(label, node_id, dict(graph.nodes[(label, node_id)]["props"]))
            for node_id in dict.fromkeys(ids)
            if (label, node_id) in graph
        }

    def list_nodes(self, label: Label, limit: int = 5000) -> list[NodeRecord]:
        label = Label(label)
        graph = self._current_graph()
        ids = sorted(node_id for node_label, node_id in graph if node_label == label)
        return [
            NodeRecord(label, node_id, dict(graph.nodes[(label, node_id)]["props"]))
            for node_id in ids[: max(limit, 0)]
        ]

    def find_items_by_text(self, label: Label, texts: Sequence[str]) -> dict[str, list[NodeRecord]]:
        label = Label(label)
        found: dict[str, list[NodeRecord]] = {text: [] for text in texts}
        by_exact: dict[str, list[str]] = {}
        by_lowered: dict[str, list[str]] = {}
        for text in found:
            by_exact.setdefault(text.strip(), []).append(text)
            by_lowered.setdefault(text.strip().lower(), []).append(text)
        graph = self._current_graph()
        for (node_label, node_id), data in graph.nodes(data="props"):
            if node_label != label:
                continue
            names = {
                str(value).lower()
                for key, value in data.items()
                if key == "name" or key.startswith(LABEL_PROPERTY_PREFIX)
            }
            named_by = {
                *by_exact.get(node_id, ()),
                *by_exact.get(data.get("esco_uri"), ()),
                *(text for name in names for text in by_lowered.get(name, ())),
            }
            for text in named_by:
                found[text].append(NodeRecord(label, node_id, dict(data)))
        return {text: sorted(nodes, key=lambda n: n.id) for text, nodes in found.items()}

    def search_items(self, label: Label, text: str, lang: str, limit: int = 20) -> list[NodeRecord]:
        label = Label(label)
        needle = normalise(text)
        if not needle or limit < 1:
            return []
        hits = []
        for (node_label, node_id), data in self._current_graph().nodes(data="props"):
            if node_label == label and (key := search_key(needle, data, node_id, lang)):
                hits.append((key, node_id, data))
        best = heapq.nsmallest(limit, hits, key=lambda hit: hit[0])
        return [NodeRecord(label, node_id, dict(data)) for _key, node_id, data in best]

    def relationships(self, label: Label, node_id: str) -> list[RelRecord]:
        label = Label(label)
        graph = self._current_graph()
        key = (label, node_id)
        if key not in graph:
            raise NotFound(f"no {label} with id {node_id!r}")
        edges = [
            *graph.out_edges(key, keys=True, data="props"),
            *graph.in_edges(key, keys=True, data="props"),
        ]
        rels = {
            (rel_type, source, target): RelRecord(
                Rel(rel_type), source[0], source[1], target[0], target[1], dict(props)
            )
            for source, target, rel_type, props in edges
        }
        return [rels[k] for k in sorted(rels, key=lambda k: (k[0], *k[1], *k[2]))]

    def candidate_profile(self, candidate_id: str) -> CandidateProfile:
        graph = self._current_graph()
        key = (Label.CANDIDATE, candidate_id)
        if key not in graph:
            raise NotFound(f"no Candidate with id {candidate_id!r}")
        out = _out_edges(graph, key)
        return candidate_from_rows(
            candidate_id,
            graph.nodes[key]["props"],
            _place(graph, _first(out, Rel.LIVES_IN, Label.TOWN)),
            _levels(out, Rel.HAS_SKILL, Label.SKILL),
            _levels(out, Rel.KNOWS_TOOL, Label.TOOL),
            _levels(out, Rel.SPEAKS, Label.LANGUAGE),
        )

    def offer_profile(self, offer_id: str) -> OfferProfile:
        graph = self._current_graph()
        key = (Label.OFFER, offer_id)
        if key not in graph:
            raise NotFound(f"no Offer with id {offer_id!r}")
        out = _out_edges(graph, key)
        company = next(
            (
                source[1]
                for source, _, rel in graph.in_edges(key, keys=True)
                if rel == Rel.POSTS and source[0] == Label.COMPANY
            ),
            None,
        )
        occupation = _first(out, Rel.FOR_OCCUPATION, Label.OCCUPATION)
        requirements = [
            {
                "type": rel,
                "id": target[1],
                "level": props["level"],
                "essential": props.get("essential"),
                "labels": graph.nodes[target]["props"],
            }
            for rel, target, props in out
            if rel in _OFFER_REQUIREMENTS
        ]
        occupation_skills = (
            []
            if occupation is None
            else [
                {"id": target[1], "labels": graph.nodes[target]["props"]}
                for rel, target, _ in _out_edges(graph, occupation)
                if rel == Rel.ESSENTIAL_SKILL
            ]
        )
        kldb = graph.nodes[key]["props"].get("kldb")
        if occupation is None and kldb and kldb_class_code(kldb):
            # No ESCO occupation on the offer: its KldB code leads there (BA mapping).
            occupation_skills = [
                {"id": skill.id, "labels": graph.nodes[(Label.SKILL, skill.id)]["props"]}
                for skill in _kldb_skills(graph, _kldb_code(kldb))
            ]
        return offer_from_rows(
            offer_id,
            graph.nodes[key]["props"],
            company,
            _place(graph, _first(out, Rel.LOCATED_IN, Label.TOWN)),
            None if occupation is None else occupation[1],
            requirements,
            occupation_skills,
        )

    def offer_profiles(self, kind: str | None = None, only_open: bool = True) -> list[OfferProfile]:
        graph = self._current_graph()
        ids = sorted(
            node_id
            for label, node_id in graph
            if label == Label.OFFER
            and (kind is None or graph.nodes[(label, node_id)]["props"].get("kind") == kind)
            and (not only_open or graph.nodes[(label, node_id)]["props"].get("open", True))
        )
        return [self.offer_profile(offer_id) for offer_id in ids]

    def candidate_profiles(self) -> list[CandidateProfile]:
        graph = self._current_graph()
        ids = sorted(node_id for label, node_id in graph if label == Label.CANDIDATE)
        return [self.candidate_profile(candidate_id) for candidate_id in ids]

    def offers_by_id(self, ids: Sequence[str]) -> list[OfferProfile]:
        graph = self._current_graph()
        return [self.offer_profile(i) for i in dict.fromkeys(ids) if (Label.OFFER, i) in graph]

    def candidates_by_id(self, ids: Sequence[str]) -> list[CandidateProfile]:
        graph = self._current_graph()
        return [
            self.candidate_profile(i) for i in dict.fromkeys(ids) if (Label.CANDIDATE, i) in graph
        ]

    def offer_fits(
        self, have: Mapping[str, int], kind: str | None, only_open: bool, min_rows: int
    ) -> tuple[list[FitRow], bool]:
        rows = [
            fit_row(offer.id, offer.town, offer.requirements, lambda r: have.get(r.id, 0))
            for offer in self.offer_profiles(kind=kind, only_open=only_open)
        ]
        rows.sort(key=lambda row: (row.key, row.id))
        return take_groups(rows, min_rows)

    def candidate_fits(
        self, requirements: Sequence[Requirement], min_rows: int
    ) -> tuple[list[FitRow], bool]:
        """Counted from the required items' incoming edges, as the Cypher statement does:
        building 30,000 profiles to count a dozen requirements cost seconds."""
        graph = self._current_graph()
        totals = requirement_totals(requirements)
        met: dict[str, list[Requirement]] = {}
        for requirement in requirements:
            item = (_ITEM_LABEL[requirement.kind], requirement.id)
            if item not in graph:
                continue
            holds = _HOLDS[requirement.kind]
            for source, _, rel, props in graph.in_edges(item, keys=True, data="props"):
                if rel != holds or source[0] != Label.CANDIDATE:
                    continue
                if level_rank(requirement.kind, props.get("level")) >= requirement.rank:
                    met.setdefault(source[1], []).append(requirement)
        towns: dict[str, NodeKey] = {}
        for label, town_id in graph:
            if label != Label.TOWN:
                continue
            for source, _, rel in graph.in_edges((label, town_id), keys=True):
                if rel == Rel.LIVES_IN and source[0] == Label.CANDIDATE:
                    towns.setdefault(source[1], (label, town_id))
        rows = []
        for label, candidate_id in graph:
            if label != Label.CANDIDATE:
                continue
            town = towns.get(candidate_id)
            place = graph.nodes[town]["props"] if town else None
            held = met.get(candidate_id, [])
            rows.append(
                FitRow(
                    id=candidate_id,
                    lat=None if place is None else place["lat"],
                    lon=None if place is None else place["lon"],
                    essential_met=sum(r.essential for r in held),
                    optional_met=sum(not r.essential for r in held),
                    language_met=sum(r.kind == "language" for r in held),
                    available_from=graph.nodes[(label, candidate_id)]["props"].get(
                        "available_from"
                    ),
                    essential_met_items=tuple(
                        sorted(f"{r.kind}:{r.id}" for r in held if r.essential)
                    ),
                    **totals,
                )
            )
        rows.sort(
            key=lambda row: (-row.essential_met, -row.optional_met, -row.language_met, row.id)
        )
        return take_groups(rows, min_rows)

    def courses_that_matter(
        self, missing: Iterable[Item], have: Mapping[str, int]
    ) -> list[CourseOption]:
        graph = self._current_graph()
        frontier = [(_ITEM_LABEL[kind], item_id) for kind, item_id in missing]
        frontier = [key for key in frontier if key in graph]
        seen_items, courses = set(frontier), set()
        while frontier:  # backwards: item <-teaches- course -requires (unmet)-> item …
            item = frontier.pop()
            for course, _, rel in graph.in_edges(item, keys=True):
                if rel not in _TEACHES or course in courses:
                    continue
                courses.add(course)
                for rel2, prerequisite, props in _out_edges(graph, course):
                    if rel2 not in _REQUIRES or prerequisite in seen_items:
                        continue
                    kind = _ITEM_KIND[prerequisite[0]]
                    if have.get(prerequisite[1], 0) < level_rank(kind, props["level"]):
                        seen_items.add(prerequisite)
                        frontier.append(prerequisite)
        options = [
            course_option(
                course[1],
                graph.nodes[course]["props"],
                [
                    (rel, target[1], props["level"])
                    for rel, target, props in _out_edges(graph, course)
                    if rel in _TEACHES or rel in _REQUIRES
                ],
            )
            for course in courses
        ]
        return sorted(options, key=lambda option: option.id)

    # --- users: read from SQLite directly, so a login is never served from a stale mirror

    def get_user(self, user_id: str) -> User:
        with self._transaction(write=False) as db:
            row = db.execute(_USER_BY_ID, (Label.USER, user_id)).fetchone()
        if row is None:
            raise NotFound(f"no User with id {user_id!r}")
        return User.from_props(user_id, json.loads(row[0]))

    def user_by_email(self, email: str) -> User | None:
        with self._transaction(write=False) as db:
            row = db.execute(_USER_BY_EMAIL, (Label.USER, email.strip().lower())).fetchone()
        return None if row is None else User.from_props(row[0], json.loads(row[1]))

    def list_users(self) -> list[User]:
        with self._transaction(write=False) as db:
            rows = db.execute(
                "SELECT id, props FROM nodes WHERE label = ? "
                "ORDER BY json_extract(props, '$.email'), id",
                (Label.USER,),
            ).fetchall()
        return [User.from_props(user_id, json.loads(props)) for user_id, props in rows]

    def save_user(self, user: User) -> User:
        check_user(user)
        saved = replace(user, version=user.version + 1)
        # BEGIN IMMEDIATE: the version is compared under SQLite's write lock.
        with self._transaction(write=True) as db:
            by_email = db.execute(_USER_BY_EMAIL, (Label.USER, user.email)).fetchone()
            if by_email is not None and by_email[0] != user.id:
                raise Conflict(f"the e-mail address {user.email!r} belongs to another user")
            row = db.execute(_USER_BY_ID, (Label.USER, user.id)).fetchone()
            if user.version == 0 and row is not None:
                raise Conflict(f"a user with id {user.id!r} exists already")
            if user.version != 0:
                if row is None:
                    raise NotFound(f"no User with id {user.id!r}")
                stored = json.loads(row[0]).get("version")
                if stored != user.version:
                    raise Conflict(
                        f"user {user.email!r} was changed by someone else (version {stored}, "
                        f"this change was made on version {user.version}); reload and try again"
                    )
            db.execute(_REPLACE_NODE, (Label.USER, user.id, _dumps(saved.to_props())))
            db.execute("INSERT INTO changes (label, id) VALUES (?, ?)", (Label.USER, user.id))
        self._catch_up_after_own_write()
        return saved

    def save_entity_if_version(
        self, label: Label, node_id: str, expected_version: int, data: GraphData
    ) -> int:
        label = Label(label)
        plan = plan_import(with_next_version(label, node_id, expected_version, data))
        # BEGIN IMMEDIATE: the version is read and compared under SQLite's write lock, so
        # another process (or store instance) saving at the same time waits and then sees
        # the new version.
        with self._transaction(write=True) as db:
            row = db.execute(
                "SELECT props FROM nodes WHERE label = ? AND id = ?", (label, node_id)
            ).fetchone()
            stored = 0 if row is None else int(json.loads(row[0]).get("version") or 0)
            if row is None and expected_version > 0:
                raise NotFound(f"no {label} with id {node_id!r}")
            if stored != expected_version:
                raise Conflict(version_conflict(label, node_id, stored, expected_version))
            _refuse_erased(db, candidate_ids_in(data.nodes, data.relationships))
            _write_batch(db, plan)
        self._catch_up_after_own_write()
        return expected_version + 1

    # --- the audit log: SQLite only, append-only (see _AUDIT_SCHEMA) -------------------

    def append_audit(self, events: Sequence[AuditEvent]) -> None:
        events = list(events)
        for event in events:
            check_event(event)
        if not events:
            return
        columns = _AUDIT_COLUMNS.split(", ")
        with self._transaction(write=True) as db:
            db.executemany(
                f"INSERT INTO audit ({_AUDIT_COLUMNS}) VALUES ({', '.join('?' * len(columns))})",
                ([getattr(e, c) for c in columns] for e in events),
            )

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
        with self._transaction(write=False) as db:
            rows = db.execute(
                f"SELECT {_AUDIT_COLUMNS} FROM audit "
                "WHERE (:candidate_id IS NULL OR candidate_id = :candidate_id) "
                "AND (:user_id IS NULL OR user_id = :user_id) "
                "AND (:since IS NULL OR at >= :since) AND (:until IS NULL OR at < :until) "
                "AND (:action IS NULL OR action = :action) "
                "ORDER BY at DESC, seq DESC LIMIT :limit",
                vars(f),
            ).fetchall()
        return [AuditEvent(*row) for row in rows]

    # --- erasure (GDPR Art. 17, see graph.erasure) ---------------------------------------

    def erase_candidate(self, candidate_id: str, erasure: ErasureRecord) -> None:
        check_erasure(erasure, candidate_id)
        with self._lock:
            # Overwrite the deleted rows' bytes on disk instead of leaving them in free
            # pages; this connection's setting only, restored afterwards.
            secure = self._conn.execute("PRAGMA secure_delete").fetchone()[0]
            self._conn.execute("PRAGMA secure_delete = ON")
            try:
                with self._transaction(write=True) as db:
                    _erase(db, candidate_id, erasure)
            finally:
                self._conn.execute(f"PRAGMA secure_delete = {int(secure)}")
            # Best effort: fold the WAL (which still holds old page images) into the
            # database file and truncate it; a busy reader only postpones this.
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        self._catch_up_after_own_write()

    def erased_ids(self, ids: Iterable[str]) -> set[str]:
        with self._lock:
            if self._conn.in_transaction:
                return _erased(self._conn, ids)
        with self._transaction(write=False) as db:
            return _erased(db, ids)

    def erasures(self) -> list[ErasureRecord]:
        with self._transaction(write=False) as db:
            rows = db.execute(
                "SELECT key, erased_at, erased_by, reason FROM erasures ORDER BY erased_at, key"
            ).fetchall()
        return [ErasureRecord(*row) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            self._graph = None

    # --- the in-memory mirror ----------------------------------------------------------

    def _current_graph(self) -> nx.MultiDiGraph:
        with self._lock:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
            if self._graph is None or version != self._data_version:
                self._data_version = version
                self._sync()
            assert self._graph is not None
            return self._graph

    def _catch_up_after_own_write(self) -> None:
        """Our own commits do not move ``data_version``; replay them now if mirrored."""
        with self._lock:
            if self._graph is not None:
                self._sync()

    def _sync(self) -> None:
        with self._transaction(write=False) as db:
            epoch = db.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0]
            oldest, newest = db.execute("SELECT min(seq), max(seq) FROM changes").fetchone()
            newest = newest or 0
            behind_log = oldest is not None and oldest > self._seen_seq + 1
            if (
                self._graph is None
                or epoch != self._epoch
                or behind_log
                or newest - self._seen_seq > _FULL_RELOAD_AFTER
            ):
                self._graph = _load_all(db)
            elif newest > self._seen_seq:
                touched = set(
                    db.execute(
                        "SELECT label, id FROM changes WHERE seq > ?", (self._seen_seq,)
                    ).fetchall()
                )
                _reload_nodes(db, self._graph, touched)
            self._epoch, self._seen_seq = epoch, newest


def _open(data_dir: Path, path: Path) -> sqlite3.Connection:
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as e:
        raise StoreUnavailable(f"cannot create data directory {data_dir}: {e.strerror}") from e
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise StoreUnavailable(f"data directory {data_dir} is not writable")
    try:
        # Owner-only permissions from the first byte: this file holds social data.
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
        conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA busy_timeout = 60000")
    except (OSError, sqlite3.Error) as e:
        raise StoreUnavailable(f"cannot open {path}: {e}") from e
    return conn


def _existing(db: sqlite3.Connection, label: Label, ids: list[str]) -> list[str]:
    found: list[str] = []
    for batch in batched(ids, BATCH):
        found.extend(
            row[0]
            for row in db.execute(
                "SELECT id FROM nodes WHERE label = ? AND id IN (SELECT value FROM json_each(?))",
                (label, json.dumps(batch)),
            )
        )
    return found


def _erased(db: sqlite3.Connection, ids: Iterable[str]) -> set[str]:
    by_key = {erasure_key(i): i for i in dict.fromkeys(ids)}
    found: set[str] = set()
    for batch in batched(list(by_key), BATCH):
        found.update(
            by_key[row[0]]
            for row in db.execute(
                "SELECT key FROM erasures WHERE key IN (SELECT value FROM json_each(?))",
                (json.dumps(batch),),
            )
        )
    return found


def _refuse_erased(db: sqlite3.Connection, candidate_ids: list[str]) -> None:
    """Inside a write transaction: refuse the whole write if it brings back an erased
    candidate (BEGIN IMMEDIATE serialises it with every erasure)."""
    if candidate_ids and (erased := _erased(db, candidate_ids)):
        raise refusal(erased)


def _erase(db: sqlite3.Connection, candidate_id: str, erasure: ErasureRecord) -> None:
    """See ``GraphStore.erase_candidate``; runs inside one write transaction.

    The ``changes`` log is keyed by id, so the erased ids leave it too, and the epoch is
    renewed instead: every process (this one included) then reloads its mirror from
    SQLite at its next read and no longer holds the candidate in memory."""
    found = db.execute(
        "SELECT 1 FROM nodes WHERE label = ? AND id = ?", (Label.CANDIDATE, candidate_id)
    ).fetchone()
    if found is None:
        raise NotFound(f"no {Label.CANDIDATE} with id {candidate_id!r}")
    about = [
        (label, node_id)
        for label, node_id in db.execute(
            "SELECT source_label, source_id FROM rels WHERE type = ? AND target_label = ? "
            "AND target_id = ?",
            (Rel.OF_CANDIDATE, Label.CANDIDATE, candidate_id),
        ).fetchall()
        if label in ABOUT_A_CANDIDATE
    ]
    for label, node_id in [(str(Label.CANDIDATE), candidate_id), *about]:
        db.execute(
            "DELETE FROM rels WHERE (source_label = ? AND source_id = ?) "
            "OR (target_label = ? AND target_id = ?)",
            (label, node_id, label, node_id),
        )
        db.execute("DELETE FROM nodes WHERE label = ? AND id = ?", (label, node_id))
        db.execute("DELETE FROM changes WHERE label = ? AND id = ?", (label, node_id))
    db.execute(
        "INSERT OR REPLACE INTO erasures (key, erased_at, erased_by, reason) VALUES (?, ?, ?, ?)",
        (erasure.key, erasure.erased_at, erasure.erased_by, erasure.reason),
    )
    db.execute("UPDATE meta SET value = ? WHERE key = 'epoch'", (uuid.uuid4().hex,))


def _write_batch(db: sqlite3.Connection, plan: ImportPlan) -> None:
    """One batch of ``import_batches``: what ``import_graph`` does, for a part of the data."""
    for label, nodes in plan.nodes.items():
        preexisting = _existing(db, label, [n.id for n in nodes])
        for spec in owned_specs(label):
            db.executemany(
                _DELETE_OWNED[spec.owner],
                ((spec.type, spec.source, spec.target, i) for i in preexisting),
            )
        db.executemany(
            "INSERT INTO nodes (label, id, props) VALUES (?, ?, ?) "
            "ON CONFLICT (label, id) DO UPDATE SET props = excluded.props",
            ((label, n.id, _dumps(n.props)) for n in nodes),
        )
        db.executemany(
            "INSERT INTO changes (label, id) VALUES (?, ?)", ((label, n.id) for n in nodes)
        )
    for spec, rels in plan.relationships.items():
        db.executemany(
            "INSERT OR REPLACE INTO rels VALUES (?, ?, ?, ?, ?, ?)",
            (
                (spec.source, r.source_id, spec.type, spec.target, r.target_id, _dumps(r.props))
                for r in rels
            ),
        )


_REPLACE_NODE = (
    "INSERT INTO nodes (label, id, props) VALUES (?, ?, ?) "
    "ON CONFLICT (label, id) DO UPDATE SET props = excluded.props"
)
_USER_BY_ID = "SELECT props FROM nodes WHERE label = ? AND id = ?"
_USER_BY_EMAIL = (
    "SELECT id, props FROM nodes WHERE label = ? AND json_extract(props, '$.email') = ? "
    "ORDER BY id LIMIT 1"
)
_MERGE_NODE = (
    "INSERT INTO nodes (label, id, props) VALUES (?, ?, ?) "
    "ON CONFLICT (label, id) DO UPDATE SET props = json_patch(nodes.props, excluded.props)"
)
"""``json_patch`` (RFC 7396) on flat objects is ``{**old, **new}``: Neo4j's ``SET n +=``."""


def _merged(props: dict[str, Any], merge: bool) -> dict[str, Any]:
    """In a merge, ``None`` means "not given" (``json_patch`` would delete the key)."""
    return {k: v for k, v in props.items() if v is not None} if merge else props


def _kldb_code(code: str) -> str:
    normal = kldb_class_code(code)
    if normal is None:
        raise InvalidInput(f"{code!r} is not a KldB 2010 code (1–5 digits or 'B 12345-678')")
    return normal


def _kldb_skills(graph: nx.MultiDiGraph, code: str) -> list[NamedItem]:
    """See ``GraphStore.skills_for_kldb``: closest mapped occupations, their essential skills."""
    ranks: dict[NodeKey, int] = {}
    for key, props in graph.nodes(data="props"):
        if key[0] != Label.KLDB_CLASS or not str(props.get("code", "")).startswith(code):
            continue
        for rel, target, rel_props in _out_edges(graph, key):
            if rel == Rel.MAPS_TO and target[0] == Label.OCCUPATION:
                rank = KLDB_MATCH_RANKS.get(rel_props.get("relation", ""), 99)
                ranks[target] = min(rank, ranks.get(target, rank))
    if not ranks:
        return []
    best = min(ranks.values())
    skills = {
        target[1]: NamedItem(target[1], labels_of(graph.nodes[target]["props"]))
        for occupation, rank in ranks.items()
        if rank == best
        for rel, target, _ in _out_edges(graph, occupation)
        if rel == Rel.ESSENTIAL_SKILL and target[0] == Label.SKILL
    }
    return [skills[i] for i in sorted(skills)]


def _load_all(db: sqlite3.Connection) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(
        ((Label(label), node_id), {"props": json.loads(props)})
        for label, node_id, props in db.execute("SELECT label, id, props FROM nodes")
    )
    graph.add_edges_from(
        ((Label(sl), si), (Label(tl), ti), t, {"props": json.loads(props)})
        for sl, si, t, tl, ti, props in db.execute("SELECT * FROM rels")
    )
    return graph


def _reload_nodes(
    db: sqlite3.Connection, graph: nx.MultiDiGraph, touched: set[tuple[str, str]]
) -> None:
    """Refresh the given nodes and every relationship touching them from SQLite."""
    keys = [(Label(label), node_id) for label, node_id in touched]
    for key in keys:
        if key in graph:
            graph.remove_edges_from(list(graph.in_edges(key, keys=True)))
            graph.remove_edges_from(list(graph.out_edges(key, keys=True)))
        row = db.execute(
            "SELECT props FROM nodes WHERE label = ? AND id = ?", (key[0], key[1])
        ).fetchone()
        if row is None:
            if key in graph:
                graph.remove_node(key)
        else:
            graph.add_node(key, props=json.loads(row[0]))
    for label, node_id in keys:
        for sl, si, t, tl, ti, props in db.execute(
            "SELECT * FROM rels WHERE (source_label = ? AND source_id = ?) "
            "OR (target_label = ? AND target_id = ?)",
            (label, node_id, label, node_id),
        ):
            graph.add_edge((Label(sl), si), (Label(tl), ti), key=t, props=json.loads(props))


_OFFER_REQUIREMENTS = {Rel.REQUIRES_SKILL, Rel.REQUIRES_TOOL, Rel.REQUIRES_LANGUAGE}
_TEACHES = {Rel.TEACHES_SKILL, Rel.TEACHES_TOOL, Rel.TEACHES_LANGUAGE}
_REQUIRES = _OFFER_REQUIREMENTS
_ITEM_LABEL = {"skill": Label.SKILL, "tool": Label.TOOL, "language": Label.LANGUAGE}
_ITEM_KIND = {label: kind for kind, label in _ITEM_LABEL.items()}
_HOLDS = {"skill": Rel.HAS_SKILL, "tool": Rel.KNOWS_TOOL, "language": Rel.SPEAKS}

NodeKey = tuple[Label, str]


def _out_edges(graph: nx.MultiDiGraph, key: NodeKey) -> list[tuple[str, NodeKey, dict]]:
    return [
        (rel, target, props)
        for _, target, rel, props in graph.out_edges(key, keys=True, data="props")
    ]


def _first(out: list[tuple[str, NodeKey, dict]], rel: Rel, label: Label) -> NodeKey | None:
    return next((target for r, target, _ in out if r == rel and target[0] == label), None)


def _levels(out: list[tuple[str, NodeKey, dict]], rel: Rel, label: Label) -> list[dict]:
    return [
        {"id": target[1], "level": props["level"]}
        for r, target, props in out
        if r == rel and target[0] == label
    ]


def _place(graph: nx.MultiDiGraph, key: NodeKey | None) -> dict[str, Any] | None:
    if key is None:
        return None
    props = graph.nodes[key]["props"]
    return {"id": key[1], "name": props["name"], "lat": props["lat"], "lon": props["lon"]}


def _dumps(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _node(row: tuple[str, str, str]) -> NodeRecord:
    label, node_id, props = row
    return NodeRecord(Label(label), node_id, json.loads(props))


def _rel(row: tuple[str, ...]) -> RelRecord:
    source_label, source_id, rel_type, target_label, target_id, props = row
    return RelRecord(
        Rel(rel_type),
        Label(source_label),
        source_id,
        Label(target_label),
        target_id,
        json.loads(props),
    )
