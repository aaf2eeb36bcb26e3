"""Contact requests and contact notes: the two things the web app writes about a candidate
on behalf of people who must not change the candidate's record.

An employer who likes a pseudonymised candidate "asks for contact": a ``ContactRequest``
node tied to the candidate and the offer lands with the candidate's advisor, who asks
the candidate; the employer learns nothing until then. A coach keeps ``Note`` nodes about
a mentee. Both are separate nodes (not properties of the candidate), so a world
re-import of the candidate never wipes them, and both are written through
``import_graph`` — one transaction, on either store. Who may read them is decided in
``graph.access``; these functions only read and write.

Consent-gated identity: when the candidate agrees, the advisor of the owning organisation
records the consent on the request (:func:`record_consent`: the day it was given, the
purpose, who recorded it) and the request becomes ``consented`` — from then on the
requesting company sees the candidate's identity and contact details on that offer's
candidate view, and only there (``graph.access.visible_groups``). The candidate may
withdraw (:func:`withdraw_consent`): the request becomes ``withdrawn``, and the very next
page the employer loads shows the pseudonym only, since access is read afresh on every
request. Both are one merge import of the request node's properties (one transaction;
its relationships stay), checked before anything is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from graph.errors import InvalidInput
from graph.model import Label, Rel
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore

__all__ = [
    "CONSENTED",
    "CONTACT_ANSWERS",
    "CONTACT_STATUSES",
    "NOTE_MAX_CHARS",
    "OPEN",
    "PURPOSE_MAX_CHARS",
    "WITHDRAWN",
    "ContactRequest",
    "Note",
    "add_note",
    "ask_for_contact",
    "contact_requests_for_offer",
    "contact_requests_of_candidate",
    "notes_of",
    "record_consent",
    "settle_contact_request",
    "withdraw_consent",
]

NOTE_MAX_CHARS = 4000
OPEN = "open"
CONTACT_ANSWERS = ("answered", "declined")
"""What the advisor can make of an open request: the candidate agreed and the employer
was answered, or the candidate (or advisor) declined."""
CONSENTED = "consented"
"""The candidate consented to reveal their identity to the company for this offer."""
WITHDRAWN = "withdrawn"
"""The candidate withdrew that consent; the identity is hidden again."""
CONTACT_STATUSES = (OPEN, *CONTACT_ANSWERS, CONSENTED, WITHDRAWN)
_CONSENTABLE = (OPEN, "answered")
"""A consent can be recorded on a request still open or answered outside the app; not on
a declined one (ask again instead) nor twice."""
PURPOSE_MAX_CHARS = 500


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
    consent_given_on: str | None = None
    consent_purpose: str | None = None
    consent_by: str | None = None
    withdrawn_on: str | None = None

    @property
    def released(self) -> bool:
        """Whether the company sees the candidate's identity for this offer now."""
        return self.status == CONSENTED


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
        "offer": offer_id,
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
    candidate = ""
    offer = str(props.get("offer") or "")
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
        consent_given_on=props.get("consent_given_on"),
        consent_purpose=props.get("consent_purpose"),
        consent_by=props.get("consent_by"),
        withdrawn_on=props.get("withdrawn_on"),
    )


def _day(value: object, name: str, today: dt.date, problems: list[str]) -> str | None:
    """``value`` (a date or ISO string) as ``YYYY-MM-DD``; a problem when it is missing,
    unreadable or after ``today``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            problems.append(f"{name}: {value!r} is not a date (YYYY-MM-DD)")
            return None
    if not isinstance(value, dt.date):
        problems.append(f"{name}: a date is required")
        return None
    if value > today:
        problems.append(f"{name}: {value.isoformat()} is in the future (today is {today})")
        return None
    return value.isoformat()


def record_consent(
    store: GraphStore,
    request_id: str,
    *,
    given_on: dt.date | str,
    purpose: str,
    by: str,
    today: dt.date | None = None,
    at: str | None = None,
) -> ContactRequest:
    """Record that the candidate consented to reveal their identity to the requesting
    company for the request's offer: the request becomes ``consented``.

    The caller has checked that ``by`` (a user id) is an advisor of the candidate's own
    organisation. ``NotFound`` for an unknown request; ``InvalidInput`` listing every
    problem (a request that is not open or answered, an empty or overlong purpose, a
    missing, unreadable or future date, nobody named) — then nothing is written. The
    offer is written onto the node too, for requests made before it was stored there."""
    today = today or dt.date.today()
    current = _request(store, request_id)
    purpose = (purpose or "").strip()
    problems: list[str] = []
    if current.status not in _CONSENTABLE:
        problems.append(
            f"status: the request is {current.status!r}; consent can be recorded only on"
            f" {' or '.join(map(repr, _CONSENTABLE))} requests"
        )
    if not purpose:
        problems.append("purpose: must not be empty")
    elif len(purpose) > PURPOSE_MAX_CHARS:
        problems.append(f"purpose: {len(purpose)} characters, at most {PURPOSE_MAX_CHARS}")
    day = _day(given_on, "given_on", today, problems)
    if not by:
        problems.append("by: who records the consent must be named")
    if not current.offer:
        problems.append("offer: the request names no offer")
    if problems:
        raise InvalidInput(
            f"consent on contact request {request_id!r} cannot be recorded", problems
        )
    props = {
        "status": CONSENTED,
        "offer": current.offer,
        "consent_given_on": day,
        "consent_purpose": purpose,
        "consent_by": by,
        "consent_recorded_at": at or _now(),
    }
    return _update(store, request_id, props)


def withdraw_consent(
    store: GraphStore,
    request_id: str,
    *,
    on: dt.date | str,
    by: str,
    today: dt.date | None = None,
    at: str | None = None,
) -> ContactRequest:
    """Record that the candidate withdrew their consent on ``on``: the request becomes
    ``withdrawn`` and the company's next page shows the pseudonym only. The consent record
    stays (when it was given, for what, by whom) so the history remains readable.

    ``NotFound`` for an unknown request; ``InvalidInput`` when the request is not
    ``consented``, the date is missing, unreadable, in the future or before the consent
    was given, or nobody is named — then nothing is written."""
    today = today or dt.date.today()
    current = _request(store, request_id)
    problems: list[str] = []
    if current.status != CONSENTED:
        problems.append(
            f"status: the request is {current.status!r}; only a consented request can be withdrawn"
        )
    day = _day(on, "on", today, problems)
    if day and current.consent_given_on and day < current.consent_given_on:
        problems.append(f"on: {day} is before the consent was given ({current.consent_given_on})")
    if not by:
        problems.append("by: who records the withdrawal must be named")
    if problems:
        raise InvalidInput(
            f"consent on contact request {request_id!r} cannot be withdrawn", problems
        )
    props = {
        "status": WITHDRAWN,
        "withdrawn_on": day,
        "withdrawn_by": by,
        "withdrawn_at": at or _now(),
    }
    return _update(store, request_id, props)


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
    return _update(store, request_id, {"status": status})


def _update(store: GraphStore, request_id: str, props: dict[str, Any]) -> ContactRequest:
    """Change some properties of a request: a merge import, one transaction, the other
    properties and the relationships stay. Returns the request as stored now."""
    store.import_graph(
        GraphData([NodeRecord(Label.CONTACT_REQUEST, request_id, props)]), merge=True
    )
    return _request(store, request_id)
