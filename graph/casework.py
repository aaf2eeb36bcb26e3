"""An advisor's case work on one candidate: what is under way, and the two writes that
move it on — proposing the candidate to an offer and enrolling them in a course.

Reading gathers the candidate's placements, enrolments and coaches from the store's
relationships. Writing builds the same world-file entity an import would (a ``placements``
or ``enrolments`` entry), lets :func:`graph.world.validate_world` check it against the
store, and writes it with ONE ``import_graph`` call: all or nothing on either store, with
exactly the properties and relationships a world file would give. Every check happens
before that call, so a refused write leaves the store untouched.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from graph.errors import InvalidInput
from graph.model import Label, Rel
from graph.records import GraphData, NodeRecord
from graph.store import GraphStore
from graph.world import FORMAT, validate_world

__all__ = [
    "ACTIVE_PLACEMENT_STATUSES",
    "PLACEMENT_TRANSITIONS",
    "WAITING_ENROLMENT_STATUSES",
    "Casework",
    "CoachLink",
    "EnrolmentRecord",
    "PlacementRecord",
    "casework",
    "change_placement_status",
    "enrol",
    "propose",
]

ACTIVE_PLACEMENT_STATUSES = ("proposed", "contacted", "interview", "internship", "hired")
"""A placement in one of these is still running; a second proposal to the same offer
would duplicate it."""
PLACEMENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "proposed": ("contacted", "ended"),
    "contacted": ("interview", "ended"),
    "interview": ("internship", "hired", "ended"),
    "internship": ("hired", "ended"),
    "hired": ("ended",),
    "ended": (),
}
"""The pipeline proposed → contacted → interview → internship → hired → ended, in ONE
place: the statuses a placement may move to from each status. A step may be skipped only
where the region's practice does (an interview can lead straight to a job; an internship
is not required); every running placement can end; an ended one stays ended (propose
again for a new attempt)."""
WAITING_ENROLMENT_STATUSES = ("planned", "enrolled")
"""A candidate with an enrolment in one of these is waiting for (or in) a course."""


@dataclass(frozen=True)
class PlacementRecord:
    id: str
    offer: str | None
    offer_title: str
    offer_kind: str
    status: str
    history: tuple[tuple[str, str], ...]
    """``(status, YYYY-MM-DD)`` in the order they happened."""
    version: int = 0
    """The stored ``version`` a status change must name (see ``change_placement_status``)."""


@dataclass(frozen=True)
class EnrolmentRecord:
    id: str
    course: str | None
    course_title: str
    status: str
    start: str | None


@dataclass(frozen=True)
class CoachLink:
    id: str
    name: str
    since: str | None


@dataclass(frozen=True)
class Casework:
    candidate: str
    placements: tuple[PlacementRecord, ...]
    enrolments: tuple[EnrolmentRecord, ...]
    coaches: tuple[CoachLink, ...]

    @property
    def waiting(self) -> bool:
        """Waiting for a course: an enrolment planned or running."""
        return any(e.status in WAITING_ENROLMENT_STATUSES for e in self.enrolments)

    @property
    def latest_status(self) -> str | None:
        """The status of the placement changed last (None without placements)."""
        if not self.placements:
            return None
        latest = max(self.placements, key=lambda p: (p.history[-1][1] if p.history else "", p.id))
        return latest.status


def casework(store: GraphStore, candidate_id: str) -> Casework:
    """Placements (newest first), enrolments (by start) and coaches of one candidate;
    raises ``NotFound`` for an unknown candidate."""
    rels = store.relationships(Label.CANDIDATE, candidate_id)
    placements, enrolments, coaches = [], [], []
    for rel in rels:
        if rel.type == Rel.OF_CANDIDATE and rel.source_label == Label.PLACEMENT:
            placements.append(_placement(store, rel.source_id))
        elif rel.type == Rel.OF_CANDIDATE and rel.source_label == Label.ENROLMENT:
            enrolments.append(_enrolment(store, rel.source_id))
        elif rel.type == Rel.MENTORS:
            name = store.get_node(Label.COACH, rel.source_id).props.get("name", rel.source_id)
            coaches.append(CoachLink(rel.source_id, str(name), rel.props.get("since")))
    placements.sort(key=lambda p: (p.history[-1][1] if p.history else "", p.id), reverse=True)
    enrolments.sort(key=lambda e: (e.start or "", e.id))
    return Casework(candidate_id, tuple(placements), tuple(enrolments), tuple(coaches))


def _far_end(store: GraphStore, label: Label, node_id: str, rel_type: Rel) -> str | None:
    for rel in store.relationships(label, node_id):
        if rel.type == rel_type and rel.source_id == node_id:
            return rel.target_id
    return None


def _placement(store: GraphStore, placement_id: str) -> PlacementRecord:
    props = store.get_node(Label.PLACEMENT, placement_id).props
    offer = _far_end(store, Label.PLACEMENT, placement_id, Rel.FOR_OFFER)
    offer_props = store.get_node(Label.OFFER, offer).props if offer else {}
    history = tuple(
        zip(props.get("history_statuses") or [], props.get("history_dates") or [], strict=False)
    )
    return PlacementRecord(
        id=placement_id,
        offer=offer,
        offer_title=str(offer_props.get("title", offer or "")),
        offer_kind=str(offer_props.get("kind", "")),
        status=str(props.get("status", "")),
        history=history,
        version=int(props.get("version") or 0),
    )


def _enrolment(store: GraphStore, enrolment_id: str) -> EnrolmentRecord:
    props = store.get_node(Label.ENROLMENT, enrolment_id).props
    course = _far_end(store, Label.ENROLMENT, enrolment_id, Rel.IN_COURSE)
    course_props = store.get_node(Label.COURSE, course).props if course else {}
    return EnrolmentRecord(
        id=enrolment_id,
        course=course,
        course_title=str(course_props.get("title", course or "")),
        status=str(props.get("status", "")),
        start=props.get("start"),
    )


# --- writes --------------------------------------------------------------------------------


def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def propose(
    store: GraphStore, candidate_id: str, offer_id: str, *, today: dt.date | None = None
) -> str:
    """Propose a candidate to an open offer: a ``Placement`` with status ``proposed`` and
    that one step in its history (dated ``today``). Returns the new placement's id.

    Refused (``InvalidInput``, nothing written) when the offer is closed or the candidate
    already has a running placement with it; ``NotFound`` for unknown ids.
    """
    today = today or dt.date.today()
    store.get_node(Label.CANDIDATE, candidate_id)
    offer = store.get_node(Label.OFFER, offer_id)
    problems = []
    if offer.props.get("open") is False:
        problems.append(f"offer {offer_id!r}: is closed")
    for placement in casework(store, candidate_id).placements:
        if placement.offer == offer_id and placement.status in ACTIVE_PLACEMENT_STATUSES:
            problems.append(
                f"offer {offer_id!r}: already proposed ({placement.id}, status {placement.status})"
            )
    if problems:
        raise InvalidInput(f"candidate {candidate_id!r} cannot be proposed", problems)
    placement_id = _new_id("pl")
    day = today.isoformat()
    entity = {
        "id": placement_id,
        "candidate": candidate_id,
        "offer": offer_id,
        "status": "proposed",
        "history": [{"status": "proposed", "date": day}],
    }
    _write(store, "placements", entity)
    return placement_id


def enrol(
    store: GraphStore,
    candidate_id: str,
    course_id: str,
    *,
    start: dt.date | None = None,
    today: dt.date | None = None,
) -> str:
    """Enrol a candidate in a course: an ``Enrolment`` with status ``planned``. Returns its id.

    ``start`` must be one of the course's start dates on or after ``today`` (any day for a
    course without start dates); without it the next start date is taken. Refused
    (``InvalidInput``, nothing written) for a date the course does not start on, a course
    with no start date left, or a candidate already planned or enrolled in the course.
    """
    today = today or dt.date.today()
    store.get_node(Label.CANDIDATE, candidate_id)
    course = store.get_node(Label.COURSE, course_id)
    starts = sorted(dt.date.fromisoformat(day) for day in course.props.get("starts") or ())
    coming = [day for day in starts if day >= today]
    problems = []
    if start is None:
        if starts and not coming:
            problems.append(f"course {course_id!r}: has no start date on or after {today}")
        start = coming[0] if coming else None
    elif starts and start not in coming:
        dates = ", ".join(day.isoformat() for day in coming) or "none"
        problems.append(
            f"start {start.isoformat()}: course {course_id!r} does not start then"
            f" (coming start dates: {dates})"
        )
    elif not starts and start < today:
        problems.append(f"start {start.isoformat()}: lies before {today.isoformat()}")
    for enrolment in casework(store, candidate_id).enrolments:
        if enrolment.course == course_id and enrolment.status in WAITING_ENROLMENT_STATUSES:
            problems.append(f"course {course_id!r}: already {enrolment.status} ({enrolment.id})")
    if problems:
        raise InvalidInput(f"candidate {candidate_id!r} cannot be enrolled", problems)
    enrolment_id = _new_id("en")
    entity = {
        "id": enrolment_id,
        "candidate": candidate_id,
        "course": course_id,
        "status": "planned",
    }
    if start is not None:
        entity["start"] = start.isoformat()
    _write(store, "enrolments", entity)
    return enrolment_id


def change_placement_status(
    store: GraphStore,
    placement_id: str,
    status: str,
    *,
    expected_version: int,
    today: dt.date | None = None,
) -> PlacementRecord:
    """Move a placement to ``status`` along ``PLACEMENT_TRANSITIONS``, appending
    ``(status, today)`` to its history; returns the placement as now stored.

    A compare-and-set on the placement's ``version``: when someone changed it since it
    was read, ``Conflict`` and nothing is written. ``InvalidInput`` for a move the
    pipeline does not allow; ``NotFound`` for an unknown placement.
    """
    day = (today or dt.date.today()).isoformat()
    node = store.get_node(Label.PLACEMENT, placement_id)
    current = _placement(store, placement_id)
    allowed = PLACEMENT_TRANSITIONS.get(current.status, ())
    if status not in allowed:
        raise InvalidInput(
            f"placement {placement_id!r} cannot be moved",
            [
                f"status: {current.status!r} → {status!r} is not allowed"
                f" (allowed: {', '.join(allowed) or 'none'})"
            ],
        )
    props = dict(node.props)
    props["status"] = status
    props["history_statuses"] = [*(props.get("history_statuses") or []), status]
    props["history_dates"] = [*(props.get("history_dates") or []), day]
    rels = [
        rel
        for rel in store.relationships(Label.PLACEMENT, placement_id)
        if rel.source_label == Label.PLACEMENT and rel.source_id == placement_id
    ]
    store.save_entity_if_version(
        Label.PLACEMENT,
        placement_id,
        expected_version,
        GraphData([NodeRecord(Label.PLACEMENT, placement_id, props)], rels),
    )
    return _placement(store, placement_id)


def _write(store: GraphStore, section: str, entity: dict[str, object]) -> None:
    """Validate one entity as a world file would be validated, then write it in one
    transaction."""
    valid = validate_world({"format": FORMAT, section: [entity]}, section, store.existing_ids)
    store.import_graph(valid.graph)
