"""Sharing a candidate with another organisation: the recorded share that lets its
advisors see the candidate (issue #5, to be extended by #6).

A share is ONE ``(Candidate)-[:SHARED_WITH]->(Organization)`` relationship per pair,
carrying the record a data-protection officer asks for: on which basis (``consent`` or
``legal``, with the legal text in ``legal_basis``), for which ``purpose``, which field
``groups``, ``until`` which day, who shared it (``by``) and when (``at``, UTC). Revoking
does not delete the record: it adds ``revoked_at``/``revoked_by``, so the history of who
could see the candidate stays readable; sharing again with the same organisation
replaces the record. What a share allows is decided in ``graph.access`` (a share is
valid while not revoked and ``until`` is today or later).

Every write is one ``import_graph(merge=True)`` holding the candidate (no properties:
it keeps all of its own, and its version) and the one relationship: one transaction on
either store, no other relationship of the candidate is dropped (``replace_relationships``
is empty), and two people sharing the same candidate with different organisations at
once cannot lose each other's share. Every check happens before that call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.access import share_is_valid
from graph.errors import InvalidInput, NotFound
from graph.model import SHARE_BASES, SHARE_GROUPS, Label, Rel
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore

__all__ = [
    "DEFAULT_GROUPS",
    "PURPOSE_MAX_CHARS",
    "Share",
    "revoke_share",
    "share_candidate",
    "shares_of",
]

DEFAULT_GROUPS: tuple[str, ...] = ("matching_profile", "identity_contact")
"""What a share opens until #6 lets people choose field groups: everything an advisor
sees of their own candidates."""
PURPOSE_MAX_CHARS = 500
LEGAL_BASIS_MAX_CHARS = 200


@dataclass(frozen=True)
class Share:
    """One share as stored; ``valid`` is computed for the day it was read."""

    candidate: str
    organization: str
    basis: str
    purpose: str
    until: str
    groups: tuple[str, ...]
    by: str
    at: str
    legal_basis: str | None = None
    revoked_at: str | None = None
    revoked_by: str | None = None
    valid: bool = False

    @property
    def state(self) -> str:
        """``valid``, ``revoked`` or ``expired``."""
        if self.valid:
            return "valid"
        return "revoked" if self.revoked_at else "expired"


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _owners(store: GraphStore, candidate_id: str) -> set[str]:
    return {
        r.target_id
        for r in store.relationships(Label.CANDIDATE, candidate_id)
        if r.type == Rel.REGISTERED_WITH and r.source_id == candidate_id
    }


def share_candidate(
    store: GraphStore,
    candidate_id: str,
    organization_id: str,
    *,
    basis: str,
    purpose: str,
    until: dt.date,
    by: str,
    legal_basis: str | None = None,
    groups: Sequence[str] = DEFAULT_GROUPS,
    today: dt.date | None = None,
    at: str | None = None,
) -> Share:
    """Record that ``organization_id`` may see the candidate until ``until`` (inclusive).

    The caller has checked that ``by`` may share (an advisor of the candidate's own
    organisation). ``NotFound`` for an unknown candidate; ``InvalidInput`` listing every
    problem (unknown organisation, the candidate's own organisation, an empty or overlong
    purpose, an unknown basis or field group, ``until`` not after ``today``) — then
    nothing is written. Sharing again with the same organisation replaces the record
    (also a revoked or expired one).
    """
    today = today or dt.date.today()
    store.get_node(Label.CANDIDATE, candidate_id)
    purpose = (purpose or "").strip()
    legal_basis = (legal_basis or "").strip() or None
    problems = []
    if not organization_id or not store.existing_ids(Label.ORGANIZATION, [organization_id]):
        problems.append(f"organization: no Organization with id {organization_id!r}")
    elif organization_id in _owners(store, candidate_id):
        problems.append(f"organization: {organization_id!r} is the candidate's own organisation")
    if basis not in SHARE_BASES:
        problems.append(f"basis: {basis!r} is not one of {', '.join(SHARE_BASES)}")
    if not purpose:
        problems.append("purpose: must not be empty")
    elif len(purpose) > PURPOSE_MAX_CHARS:
        problems.append(f"purpose: {len(purpose)} characters, at most {PURPOSE_MAX_CHARS}")
    if legal_basis and len(legal_basis) > LEGAL_BASIS_MAX_CHARS:
        problems.append(
            f"legal_basis: {len(legal_basis)} characters, at most {LEGAL_BASIS_MAX_CHARS}"
        )
    if not isinstance(until, dt.date):
        problems.append(f"until: {until!r} is not a date")
    elif until <= today:
        problems.append(f"until: {until.isoformat()} is not after today ({today.isoformat()})")
    chosen = tuple(dict.fromkeys(groups))
    unknown = [g for g in chosen if g not in SHARE_GROUPS]
    if unknown or not chosen:
        problems.append(
            f"groups: {', '.join(map(repr, unknown)) or 'none given'}"
            f" (allowed: {', '.join(SHARE_GROUPS)})"
        )
    if not by:
        problems.append("by: who shares must be named")
    if problems:
        raise InvalidInput(f"candidate {candidate_id!r} cannot be shared", problems)
    props: dict[str, Any] = {
        "basis": basis,
        "purpose": purpose,
        "until": until.isoformat(),
        "groups": list(chosen),
        "by": by,
        "at": at or _now(),
    }
    if legal_basis:
        props["legal_basis"] = legal_basis
    _write(store, candidate_id, organization_id, props)
    return _share(candidate_id, organization_id, props, today)


def revoke_share(
    store: GraphStore,
    candidate_id: str,
    organization_id: str,
    *,
    by: str = "",
    today: dt.date | None = None,
    at: str | None = None,
) -> Share:
    """End a valid share now: the record stays, with ``revoked_at`` (and ``revoked_by``).

    ``NotFound`` for an unknown candidate or when there is no share with the organisation;
    ``InvalidInput`` when the share is revoked or expired already (nothing to end)."""
    today = today or dt.date.today()
    current = next(
        (
            s
            for s in shares_of(store, candidate_id, today=today)
            if s.organization == organization_id
        ),
        None,
    )
    if current is None:
        raise NotFound(
            f"candidate {candidate_id!r} is not shared with organization {organization_id!r}"
        )
    if not current.valid:
        raise InvalidInput(
            f"the share of {candidate_id!r} with {organization_id!r} cannot be revoked",
            [f"share: is {current.state} already"],
        )
    props = _props(current)
    props["revoked_at"] = at or _now()
    if by:
        props["revoked_by"] = by
    _write(store, candidate_id, organization_id, props)
    return _share(candidate_id, organization_id, props, today)


def shares_of(store: GraphStore, candidate_id: str, *, today: dt.date | None = None) -> list[Share]:
    """Every share of a candidate (valid, expired and revoked), valid ones first, then by
    ``until`` (latest first) and organisation; ``NotFound`` for an unknown candidate."""
    today = today or dt.date.today()
    shares = [
        _share(candidate_id, r.target_id, r.props, today)
        for r in store.relationships(Label.CANDIDATE, candidate_id)
        if r.type == Rel.SHARED_WITH and r.source_id == candidate_id
    ]
    shares.sort(key=lambda s: s.organization)
    shares.sort(key=lambda s: s.until, reverse=True)
    shares.sort(key=lambda s: not s.valid)
    return shares


def _share(
    candidate_id: str, organization_id: str, props: Mapping[str, Any], today: dt.date
) -> Share:
    return Share(
        candidate=candidate_id,
        organization=organization_id,
        basis=str(props.get("basis", "")),
        purpose=str(props.get("purpose", "")),
        until=str(props.get("until", "")),
        groups=tuple(props.get("groups") or ()),
        by=str(props.get("by", "")),
        at=str(props.get("at", "")),
        legal_basis=props.get("legal_basis"),
        revoked_at=props.get("revoked_at"),
        revoked_by=props.get("revoked_by"),
        valid=share_is_valid(props, today),
    )


def _props(share: Share) -> dict[str, Any]:
    props: dict[str, Any] = {
        "basis": share.basis,
        "purpose": share.purpose,
        "until": share.until,
        "groups": list(share.groups),
        "by": share.by,
        "at": share.at,
    }
    if share.legal_basis:
        props["legal_basis"] = share.legal_basis
    return props


def _write(
    store: GraphStore, candidate_id: str, organization_id: str, props: dict[str, Any]
) -> None:
    """The share and nothing else, in one transaction. The candidate node goes along with
    no properties (a merge keeps all of its own) so that every store notices the change
    to its relationships; no relationship type is replaced."""
    store.import_graph(
        GraphData(
            [NodeRecord(Label.CANDIDATE, candidate_id, {})],
            [
                RelRecord(
                    Rel.SHARED_WITH,
                    Label.CANDIDATE,
                    candidate_id,
                    Label.ORGANIZATION,
                    organization_id,
                    props,
                )
            ],
        ),
        merge=True,
    )
