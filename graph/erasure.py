"""The erasure record: what is left of a candidate after erasure (GDPR Art. 17), and the
check that keeps an erased person from coming back with an import of an older export.

An erased candidate's node and every node about them (placements, enrolments, notes,
contact requests) are deleted; the store keeps an :class:`ErasureRecord` instead. The
record holds **no personal data**: not the name, and not even the id — ids here often
spell the name (``p-ahmad-alkhatib``) — only ``key``, the SHA-256 of the id (with a fixed
prefix), when, by which user (staff) and why (a code, never free text). That is enough to
recognise the id when a file brings it again: every write path of both stores that can
create a candidate or something about one (``import_graph``, ``import_batches``,
``save_entity_if_version``) computes the keys of the candidate ids it is about to write
and refuses the whole write with :func:`refusal` — nothing is written — when one of them
was erased.

The records are kept by the store, apart from the world: they are not nodes of the world
(``export_graph``, ``counts``, world files never contain them), and only ``clear`` (the
reset used by tests) removes them. Known limits: moving a district to a new store by
world file does not carry them (copy the store instead), and a plain SHA-256 of an id
that follows a guessable pattern can be confirmed by someone who already guesses the id
— it stops an accidental re-import, it is not a secret.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

from graph.audit import ID_PATTERN
from graph.errors import InvalidInput
from graph.model import Label
from graph.records import NodeRecord, RelRecord

__all__ = [
    "ABOUT_A_CANDIDATE",
    "ERASURE_REASONS",
    "ErasureRecord",
    "candidate_ids_in",
    "check_erasure",
    "erasure_key",
    "refusal",
]

ERASURE_REASONS: tuple[str, ...] = (
    "data_subject_request",
    "no_longer_necessary",
    "consent_withdrawn",
    "objection",
    "unlawful_processing",
    "legal_obligation",
)
"""Why a candidate was erased, as codes (Art. 17(1) GDPR): the person asked; the data are
no longer needed (e.g. after the retention review); consent withdrawn; objection;
unlawful processing; a legal obligation to erase."""

ABOUT_A_CANDIDATE: tuple[Label, ...] = (
    Label.PLACEMENT,
    Label.ENROLMENT,
    Label.NOTE,
    Label.CONTACT_REQUEST,
)
"""The nodes that exist only about one candidate (``OF_CANDIDATE``): erased with them."""

_PREFIX = "wegweiser/erased-candidate/v1:"
_KEY = re.compile(r"^[0-9a-f]{64}$")
_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")


def erasure_key(candidate_id: str) -> str:
    """The key an erasure record keeps instead of the id: SHA-256 (hex) of the id."""
    return hashlib.sha256((_PREFIX + candidate_id).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ErasureRecord:
    """What remains of an erased candidate: ``key`` (see :func:`erasure_key`),
    ``erased_at`` (UTC, ``graph.audit.utc_timestamp``), ``erased_by`` (the user id of the
    person who erased) and ``reason`` (one of :data:`ERASURE_REASONS`)."""

    key: str
    erased_at: str
    erased_by: str
    reason: str

    def to_props(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> ErasureRecord:
        return cls(**{f.name: str(props.get(f.name) or "") for f in fields(cls)})


def check_erasure(record: ErasureRecord, candidate_id: str | None = None) -> None:
    """What both stores check before erasing: one ``InvalidInput`` naming every field
    that is not of its shape (and a key that is not the given candidate's)."""
    problems = []
    if not isinstance(record.key, str) or not _KEY.match(record.key):
        problems.append("key: must be the SHA-256 (hex) of the candidate id, see erasure_key")
    elif candidate_id is not None and record.key != erasure_key(candidate_id):
        problems.append("key: is not the key of this candidate")
    if not isinstance(record.erased_at, str) or not _AT.match(record.erased_at):
        problems.append("erased_at: must be a UTC time as utc_timestamp() writes it")
    if not isinstance(record.erased_by, str) or not ID_PATTERN.match(record.erased_by):
        problems.append("erased_by: must be a user id (no whitespace or @)")
    if record.reason not in ERASURE_REASONS:
        problems.append(f"reason: must be one of {', '.join(ERASURE_REASONS)}")
    if problems:
        raise InvalidInput("erasure refused: the record is not valid; nothing was erased", problems)


def candidate_ids_in(nodes: Iterable[NodeRecord], rels: Iterable[RelRecord]) -> list[str]:
    """Every candidate id a write would create or touch: candidate nodes, and candidate
    ends of relationships (a placement, a mentee, a share of that candidate)."""
    ids = [n.id for n in nodes if n.label == Label.CANDIDATE]
    for rel in rels:
        if rel.source_label == Label.CANDIDATE:
            ids.append(rel.source_id)
        if rel.target_label == Label.CANDIDATE:
            ids.append(rel.target_id)
    return list(dict.fromkeys(ids))


def refusal(erased: Iterable[str]) -> InvalidInput:
    """The one refusal of a write that would bring erased candidates back, naming them."""
    ids = sorted(set(erased))
    return InvalidInput(
        f"refused: {len(ids)} candidate(s) in this data were erased (GDPR Art. 17) and must "
        "not come back; nothing was written",
        [
            f"candidate {candidate_id!r}: was erased; remove this candidate and every record "
            "about them (placements, enrolments, mentees, shares) from the file, then import "
            "again"
            for candidate_id in ids
        ],
    )
