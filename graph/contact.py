"""Contact requests and contact notes: the two things the web app writes about a candidate
on behalf of people who must not change the candidate's record.

An employer who likes a pseudonymised candidate "asks for contact": a ``ContactRequest``
node tied to the candidate and the offer lands with the candidate's advisor, who asks
the candidate; the employer learns nothing until then. A coach keeps ``Note`` nodes about
a mentee. Both are separate nodes (not properties of the candidate), so a world
re-import of the candidate never wipes them, and both are written through
``import_graph`` — one transaction, on either store. Who may read them is decided in
``graph.access``; these functions only read and write.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from graph.errors import InvalidInput
from graph.model import Label, Rel
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore

__all__ = [
    "CONTACT_ANSWERS",
    "NOTE_MAX_CHARS",
    "ContactRequest",
    "Note",
    "add_note",
    "ask_for_contact",
    "contact_requests_for_offer",
    "contact_requests_of_candidate",
    "notes_of",
    "settle_contact_request",
]

NOTE_MAX_CHARS = 4000
OPEN = "open"
CONTACT_ANSWERS = ("answered", "declined")
"""What the advisor can make of an open request: the candidate agreed and the employer
was answered, or the candidate (or advisor) declined."""


@dataclass(frozen=True)
class Note:
    id: str
    candidate: str
    text: str
    written_at: str
    author: str
    author_name: str
    coach: str | None


@dataclass(frozen=True)
class ContactRequest:
    id: str
    candidate: str
    offer: str
    company: str
    status: str
    requested_at: str
    requested_by: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def add_note(
    store: GraphStore,
    candidate_id: str,
    text: str,
    *,
    author: str,
    author_name: str = "",
    coach: str | None = None,
    written_at: str | None = None,
) -> Note:
    """Write one note about a candidate (the caller has checked ``CREATE`` on them)."""
    text = text.strip()
    problems = []
    if not text:
        problems.append("text: must not be empty")
    elif len(text) > NOTE_MAX_CHARS:
        problems.append(f"text: {len(text)} characters, at most {NOTE_MAX_CHARS} allowed")
    if not store.existing_ids(Label.CANDIDATE, [candidate_id]):
        problems.append(f"candidate: no Candidate with id {candidate_id!r}")
    if problems:
        raise InvalidInput("the note cannot be saved", problems)
    note = Note(
        id=f"note-{uuid.uuid4().hex}",
        candidate=candidate_id,
        text=text,
        written_at=written_at or _now(),
        author=author,
        author_name=author_name,
        coach=coach,
    )
    props = {
        "text": note.text,
        "written_at": note.written_at,
        "author": note.author,
        "author_name": note.author_name,
    }
    if coach:
        props["coach"] = coach
    store.import_graph(
        GraphData(
            [NodeRecord(Label.NOTE, note.id, props)],
            [RelRecord(Rel.OF_CANDIDATE, Label.NOTE, note.id, Label.CANDIDATE, candidate_id)],
        )
    )
    return note


def notes_of(store: GraphStore, candidate_id: str) -> list[Note]:
    """Every note about a candidate, newest first."""
    notes = []
    for rel in store.relationships(Label.CANDIDATE, candidate_id):
        if rel.type != Rel.OF_CANDIDATE or rel.source_label != Label.NOTE:
            continue
        props = store.get_node(Label.NOTE, rel.source_id).props
        notes.append(
            Note(
                id=rel.source_id,
                candidate=candidate_id,
                text=str(props.get("text", "")),
                written_at=str(props.get("written_at", "")),
                author=str(props.get("author", "")),
                author_name=str(props.get("author_name", "")),
                coach=props.get("coach"),
            )
        )
    notes.sort(key=lambda n: (n.written_at, n.id), reverse=True)
    return notes


def ask_for_contact(
    store: GraphStore,
    candidate_id: str,
    offer_id: str,
    *,
    company: str,
    requested_by: str,
    requested_at: str | None = None,
) -> tuple[ContactRequest, bool]:
    """Record that ``company`` asks for contact with a candidate about one offer.

    Returns the request and whether it is new: asking twice for the same pair while the
    first request is open gives back the first one (a double click sends nothing twice).
    """
    for existing in contact_requests_for_offer(store, offer_id):
        if existing.candidate == candidate_id and existing.status == OPEN:
            return existing, False
    request = ContactRequest(
        id=f"cr-{uuid.uuid4().hex}",
        candidate=candidate_id,
        offer=offer_id,
        company=company,
        status=OPEN,
        requested_at=requested_at or _now(),
        requested_by=requested_by,
    )
    props = {
        "status": request.status,
        "requested_at": request.requested_at,
        "requested_by": request.requested_by,
        "company": request.company,
    }
    node = (Label.CONTACT_REQUEST, request.id)
    store.import_graph(
        GraphData(
            [NodeRecord(*node, props)],
            [
                RelRecord(Rel.OF_CANDIDATE, *node, Label.CANDIDATE, candidate_id),
                RelRecord(Rel.FOR_OFFER, *node, Label.OFFER, offer_id),
            ],
        )
    )
    return request, True


def contact_requests_for_offer(store: GraphStore, offer_id: str) -> list[ContactRequest]:
    """The contact requests about one offer, oldest first."""
    ids = [
        rel.source_id
        for rel in store.relationships(Label.OFFER, offer_id)
        if rel.type == Rel.FOR_OFFER and rel.source_label == Label.CONTACT_REQUEST
    ]
    return sorted(
        (_request(store, request_id) for request_id in ids),
        key=lambda r: (r.requested_at, r.id),
    )


def contact_requests_of_candidate(store: GraphStore, candidate_id: str) -> list[ContactRequest]:
    """The contact requests about one candidate (what the advisor sees), oldest first."""
    ids = [
        rel.source_id
        for rel in store.relationships(Label.CANDIDATE, candidate_id)
        if rel.type == Rel.OF_CANDIDATE and rel.source_label == Label.CONTACT_REQUEST
    ]
    return sorted(
        (_request(store, request_id) for request_id in ids),
        key=lambda r: (r.requested_at, r.id),
    )


def _request(store: GraphStore, request_id: str) -> ContactRequest:
    props = store.get_node(Label.CONTACT_REQUEST, request_id).props
    candidate = offer = ""
    for rel in store.relationships(Label.CONTACT_REQUEST, request_id):
        if rel.source_id != request_id:
            continue
        if rel.type == Rel.OF_CANDIDATE:
            candidate = rel.target_id
        elif rel.type == Rel.FOR_OFFER:
            offer = rel.target_id
    return ContactRequest(
        id=request_id,
        candidate=candidate,
        offer=offer,
        company=str(props.get("company", "")),
        status=str(props.get("status", OPEN)),
        requested_at=str(props.get("requested_at", "")),
        requested_by=str(props.get("requested_by", "")),
    )


def settle_contact_request(store: GraphStore, request_id: str, status: str) -> ContactRequest:
    """Mark an open request ``answered`` or ``declined`` (the caller has checked that the
    advisor may edit the candidate). ``InvalidInput`` for another status or a request
    that is no longer open; ``NotFound`` for an unknown id. Only the status property
    changes (a merge import: one transaction, the relationships stay)."""
    current = _request(store, request_id)
    problems = []
    if status not in CONTACT_ANSWERS:
        problems.append(f"status: {status!r} is not one of {', '.join(CONTACT_ANSWERS)}")
    if current.status != OPEN:
        problems.append(f"status: the request is {current.status!r} already")
    if problems:
        raise InvalidInput(f"contact request {request_id!r} cannot be changed", problems)
    store.import_graph(
        GraphData([NodeRecord(Label.CONTACT_REQUEST, request_id, {"status": status})]),
        merge=True,
    )
    return _request(store, request_id)
