"""The rights of a candidate under the GDPR: export (Art. 15/20), erasure (Art. 17) and the
retention review (Art. 5(1)(e), storage limitation). No Flask: the web pages
(``web.advisor.gdpr``, ``web.admin.retention``) and any command line call these.

- :func:`export_candidate` collects everything the store holds about one candidate as
  one JSON-able document: the candidate's properties, consents, every relationship
  touching them, every node that exists only about them (placements, enrolments, notes,
  contact requests) with its relationships, the shares with other organisations, the
  names of the things referred to, and the access history from the audit log.
- :func:`erase_candidate` deletes the candidate and those nodes in one transaction and
  keeps an erasure record without personal data (``graph.erasure``), so that an import of
  an older export cannot bring the person back.
- :func:`retention_review` lists the candidates without activity for a number of days,
  for a person to review (nothing is deleted automatically).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from graph.audit import (
    ACTION_CONSENT,
    ACTION_CREATE,
    ACTION_DELETE,
    ACTION_REVOKE,
    ACTION_SHARE,
    ACTION_UPDATE,
    utc_timestamp,
)
from graph.erasure import (
    ABOUT_A_CANDIDATE,
    ERASURE_REASONS,
    ErasureRecord,
    check_erasure,
    erasure_key,
)
from graph.errors import InvalidInput
from graph.model import LABEL_PROPERTY_PREFIX, Label, Rel
from graph.records import RelRecord
from graph.sharing import shares_of
from graph.store import GraphStore

__all__ = [
    "ACCESS_HISTORY_LIMIT",
    "ACTIVITY_ACTIONS",
    "ERASURE_REASONS",
    "EXPORT_FORMAT",
    "ErasureRecord",
    "RetentionItem",
    "erase_candidate",
    "export_candidate",
    "retention_review",
]

EXPORT_FORMAT = "wegweiser-candidate-export/1"
ACCESS_HISTORY_LIMIT = 100_000
"""Audit events put into one export; ``access_history_complete`` says whether all were."""

ACTIVITY_ACTIONS: tuple[str, ...] = (
    ACTION_CREATE,
    ACTION_UPDATE,
    ACTION_DELETE,
    ACTION_SHARE,
    ACTION_REVOKE,
    ACTION_CONSENT,
)
"""Audit actions that count as activity on a case. Reads and exports do not: looking at
a record (or reviewing it for retention) must not keep it alive."""

_DATE_KEYS = frozenset({"at", "since", "start", "history_dates", "written_at", "requested_at"})
"""Properties that hold dates of activity (besides every ``*_at``): placement history,
enrolment start, note written, contact requested, coach assigned (``MENTORS.since``),
share made or revoked, skill assessed (``assessed_at``)."""


# --- export --------------------------------------------------------------------------------


def export_candidate(
    store: GraphStore, candidate_id: str, *, at: dt.datetime | None = None
) -> dict[str, Any]:
    """Everything the store holds about one candidate, as one JSON-able document.

    ``NotFound`` when there is no such candidate. Internal markers (properties starting
    with ``_``) are left out; nothing about another candidate is in it (a relationship
    is included only when it touches the candidate or a node about them)."""
    node, rels = store.node_with_relationships(Label.CANDIDATE, candidate_id)
    about = sorted(
        {
            (r.source_label, r.source_id)
            for r in rels
            if r.type == Rel.OF_CANDIDATE
            and r.target_id == candidate_id
            and r.source_label in ABOUT_A_CANDIDATE
        }
    )
    records = []
    far: set[tuple[Label, str]] = set()
    own = {(Label.CANDIDATE, candidate_id), *about}
    for label, node_id in about:
        record, record_rels = store.node_with_relationships(label, node_id)
        records.append(
            {
                "label": str(label),
                "id": node_id,
                "properties": _props(record.props),
                "relationships": [_rel(r) for r in record_rels],
            }
        )
        far.update(_far_ends(record_rels, own))
    far.update(_far_ends(rels, own))
    events = store.audit_events(candidate_id=candidate_id, limit=ACCESS_HISTORY_LIMIT)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": utc_timestamp(at),
        "candidate": {"id": candidate_id, "properties": _props(node.props)},
        "consents": {k: v for k, v in sorted(node.props.items()) if k.startswith("consent")},
        "relationships": [_rel(r) for r in rels],
        "records": records,
        "shares": [asdict(share) for share in shares_of(store, candidate_id)],
        "referenced": _referenced(store, far),
        "access_history": [event.to_props() for event in events],
        "access_history_complete": len(events) < ACCESS_HISTORY_LIMIT,
    }


def _props(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sorted(props.items()) if not k.startswith("_")}


def _rel(rel: RelRecord) -> dict[str, Any]:
    return {
        "type": str(rel.type),
        "source": {"label": str(rel.source_label), "id": rel.source_id},
        "target": {"label": str(rel.target_label), "id": rel.target_id},
        "properties": _props(rel.props),
    }


def _far_ends(rels: Iterable[RelRecord], own: set[tuple[Label, str]]) -> set[tuple[Label, str]]:
    ends = set()
    for rel in rels:
        for end in ((rel.source_label, rel.source_id), (rel.target_label, rel.target_id)):
            if end not in own:
                ends.add(end)
    return ends


def _referenced(store: GraphStore, ends: set[tuple[Label, str]]) -> list[dict[str, Any]]:
    """What the relationships point at (skills, towns, offers, coaches…), with names, so
    the export can be read without the rest of the graph."""
    by_label: dict[Label, list[str]] = defaultdict(list)
    for label, node_id in sorted(ends):
        by_label[label].append(node_id)
    out = []
    for label, ids in by_label.items():
        found = store.get_nodes(label, ids)
        for node_id in ids:
            props = found[node_id].props if node_id in found else {}
            labels = {
                k.removeprefix(LABEL_PROPERTY_PREFIX): str(v)
                for k, v in sorted(props.items())
                if k.startswith(LABEL_PROPERTY_PREFIX)
            }
            name = labels.get("de") or labels.get("en") or props.get("name") or props.get("title")
            out.append(
                {"label": str(label), "id": node_id, "name": str(name or node_id), "labels": labels}
            )
    return out


# --- erasure -------------------------------------------------------------------------------


def erase_candidate(
    store: GraphStore,
    candidate_id: str,
    *,
    by: str,
    reason: str,
    at: dt.datetime | None = None,
) -> ErasureRecord:
    """Erase the candidate (see ``GraphStore.erase_candidate``) and return the record
    kept instead: no name, no id, only the key. ``by`` is the erasing user's id,
    ``reason`` one of ``ERASURE_REASONS``. ``InvalidInput`` or ``NotFound`` before
    anything is deleted. Recording the erasure in the audit log is the caller's (the web
    records it with the request; the log keeps ids only)."""
    record = ErasureRecord(
        key=erasure_key(candidate_id),
        erased_at=utc_timestamp(at),
        erased_by=by,
        reason=reason,
    )
    check_erasure(record, candidate_id)
    store.erase_candidate(candidate_id, record)
    return record


# --- retention -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionItem:
    """One candidate due for review: ``last_activity`` is the latest date of activity
    found (None: no dated activity at all), ``source`` says where it was found
    (``placement``, ``enrolment``, ``note``, ``contact_request``, ``share``, ``coach``,
    ``assessment``, ``candidate`` or ``audit``), ``days`` the days since (None without a
    date)."""

    candidate_id: str
    organizations: tuple[str, ...]
    last_activity: dt.date | None
    source: str | None
    days: int | None


_SOURCE_OF_LABEL = {
    Label.PLACEMENT: "placement",
    Label.ENROLMENT: "enrolment",
    Label.NOTE: "note",
    Label.CONTACT_REQUEST: "contact_request",
}
_SOURCE_OF_REL = {
    Rel.SHARED_WITH: "share",
    Rel.MENTORS: "coach",
    Rel.HAS_SKILL: "assessment",
    Rel.KNOWS_TOOL: "assessment",
}


def retention_review(
    store: GraphStore, *, inactive_days: int, today: dt.date | None = None
) -> list[RetentionItem]:
    """The candidates without activity in the last ``inactive_days`` days (on ``today``,
    default the local date), those without any dated activity first, then the longest
    inactive, then by id.

    Activity is the latest of every date the record carries — the candidate's own
    ``*_at`` properties; the dates of their relationships (skill assessed, coach assigned
    ``since``, share made or revoked); their placements' status history, enrolment
    starts, notes written and contact requests made (and any ``*_at`` of those) — and of
    the audit log's writes about them (``ACTIVITY_ACTIONS``; reads and exports do not
    count). A date in the future (a course that starts next month) counts as today: the
    case is active. A candidate with no date at all has no recorded activity and is
    listed, so that a person decides. ``InvalidInput`` for ``inactive_days`` below 1."""
    if type(inactive_days) is not int or inactive_days < 1:
        raise InvalidInput(f"inactive_days: {inactive_days!r} is not a whole number >= 1")
    today = today or dt.date.today()
    cutoff = today - dt.timedelta(days=inactive_days)
    graph = store.export_graph()
    candidates = {n.id: n for n in graph.nodes if n.label == Label.CANDIDATE}
    latest: dict[str, tuple[dt.date, str]] = {}
    organizations: dict[str, set[str]] = defaultdict(set)

    def seen(candidate_id: str, day: dt.date | None, source: str) -> None:
        if day is None or candidate_id not in candidates:
            return
        day = min(day, today)
        if candidate_id not in latest or day > latest[candidate_id][0]:
            latest[candidate_id] = (day, source)

    owner_of: dict[tuple[Label, str], str] = {}
    for rel in graph.relationships:
        if rel.type == Rel.OF_CANDIDATE and rel.source_label in ABOUT_A_CANDIDATE:
            owner_of[(rel.source_label, rel.source_id)] = rel.target_id
        if rel.type == Rel.REGISTERED_WITH and rel.source_label == Label.CANDIDATE:
            organizations[rel.source_id].add(rel.target_id)
        for label, end in ((rel.source_label, rel.source_id), (rel.target_label, rel.target_id)):
            if label == Label.CANDIDATE:
                seen(end, _latest_date(rel.props), _SOURCE_OF_REL.get(rel.type, "candidate"))
    for node in graph.nodes:
        if node.label == Label.CANDIDATE:
            seen(node.id, _latest_date(node.props), "candidate")
        elif (owner := owner_of.get((node.label, node.id))) is not None:
            seen(owner, _latest_date(node.props), _SOURCE_OF_LABEL[node.label])

    due = [c for c in sorted(candidates) if c not in latest or latest[c][0] <= cutoff]
    recently_written = {
        event.candidate_id
        for action in ACTIVITY_ACTIONS
        for event in store.audit_events(
            action=action, since=cutoff + dt.timedelta(days=1), limit=10**9
        )
    }
    items = []
    for candidate_id in due:
        if candidate_id in recently_written:
            continue
        for event in store.audit_events(candidate_id=candidate_id, limit=500):
            if event.action in ACTIVITY_ACTIONS:
                seen(candidate_id, _day(event.at), "audit")
                break
        day, source = latest.get(candidate_id, (None, None))
        items.append(
            RetentionItem(
                candidate_id=candidate_id,
                organizations=tuple(sorted(organizations[candidate_id])),
                last_activity=day,
                source=source,
                days=None if day is None else (today - day).days,
            )
        )
    items.sort(
        key=lambda i: (i.last_activity is not None, i.last_activity or today, i.candidate_id)
    )
    return items


def _latest_date(props: Mapping[str, Any]) -> dt.date | None:
    days = [
        day
        for key, value in props.items()
        if key in _DATE_KEYS or key.endswith("_at")
        for item in (value if isinstance(value, list) else [value])
        if (day := _day(item)) is not None
    ]
    return max(days, default=None)


def _day(value: object) -> dt.date | None:
    """The date at the start of an ISO date or time (``2026-11-02``,
    ``2026-11-02T10:00:00+00:00``), None for anything else."""
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
