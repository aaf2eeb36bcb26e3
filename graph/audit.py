"""The audit trail: who read or changed which part of a candidate's data, when and why.

Every read and write of candidate data is one :class:`AuditEvent` — who (user id,
organisation, role), what (action, label and id of the record, the candidate it is
about, the field group), when (UTC) and why (purpose). Both stores keep the events
append-only (``GraphStore.append_audit`` / ``audit_events``; there is no method that
changes or deletes one) and apart from the graph: an event is not a node of the world,
is never exported with it, and stays when the candidate is erased — it holds ids only.

**No personal values in the log.** An event carries ids and codes, never a name, an
e-mail address, a note or any free text about a person: ids must be short tokens without
whitespace or ``@`` (:data:`ID_PATTERN`), codes short snake_case words, and actions,
field groups and purposes come from the fixed lists below. :func:`check_event` refuses
anything else with ``InvalidInput`` naming every bad field, so a caller cannot smuggle a
name into the log by accident. No Flask here: the web app records through ``web.audit``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from graph.errors import InvalidInput

__all__ = [
    "ACTIONS",
    "ACTION_CONSENT",
    "ACTION_CREATE",
    "ACTION_DELETE",
    "ACTION_ERASE",
    "ACTION_EXPORT",
    "ACTION_READ",
    "ACTION_REVOKE",
    "ACTION_SHARE",
    "ACTION_UPDATE",
    "FIELD_GROUPS",
    "GROUP_CASEWORK",
    "GROUP_HEALTH",
    "GROUP_IDENTITY_CONTACT",
    "GROUP_MATCHING_PROFILE",
    "GROUP_RESIDENCE",
    "GROUP_SOCIAL_BENEFIT",
    "ID_PATTERN",
    "PURPOSES",
    "PURPOSE_ADMINISTRATION",
    "PURPOSE_CASEWORK",
    "PURPOSE_COACHING",
    "PURPOSE_DATA_SUBJECT_REQUEST",
    "PURPOSE_EMPLOYER_VIEW",
    "PURPOSE_EXPORT",
    "PURPOSE_MATCHING",
    "AuditEvent",
    "AuditFilters",
    "audit_filters",
    "check_event",
    "utc_timestamp",
]

# --- what was done ------------------------------------------------------------------------

ACTION_READ = "read"
ACTION_CREATE = "create"
ACTION_UPDATE = "update"
ACTION_DELETE = "delete"
ACTION_EXPORT = "export"
ACTION_ERASE = "erase"
ACTION_SHARE = "share"
ACTION_REVOKE = "revoke"
ACTION_CONSENT = "consent"
ACTION_IMPORT = "import"
ACTIONS: tuple[str, ...] = (
    ACTION_READ,
    ACTION_CREATE,
    ACTION_UPDATE,
    ACTION_DELETE,
    ACTION_EXPORT,
    ACTION_ERASE,
    ACTION_SHARE,
    ACTION_REVOKE,
    ACTION_CONSENT,
    ACTION_IMPORT,
)
"""Every action the log knows; a new kind of access is added here, in one place."""

# --- which part of the candidate's data ----------------------------------------------------

GROUP_MATCHING_PROFILE = "matching_profile"
"""Skills, tools, languages, region, availability."""
GROUP_IDENTITY_CONTACT = "identity_contact"
"""Name, gender, birth year, contact details."""
GROUP_SOCIAL_BENEFIT = "social_benefit"
"""Social and benefit data (Sozialdaten)."""
GROUP_RESIDENCE = "residence"
"""Residence status and nationality."""
GROUP_HEALTH = "health"
"""Health and special needs (a GDPR special category)."""
GROUP_CASEWORK = "casework"
"""Placements, enrolments, coach assignments, contact notes and requests."""
FIELD_GROUPS: tuple[str, ...] = (
    GROUP_MATCHING_PROFILE,
    GROUP_IDENTITY_CONTACT,
    GROUP_SOCIAL_BENEFIT,
    GROUP_RESIDENCE,
    GROUP_HEALTH,
    GROUP_CASEWORK,
)

# --- why -----------------------------------------------------------------------------------

PURPOSE_CASEWORK = "casework"
PURPOSE_MATCHING = "matching"
PURPOSE_EMPLOYER_VIEW = "employer_view"
PURPOSE_COACHING = "coaching"
PURPOSE_ADMINISTRATION = "administration"
PURPOSE_EXPORT = "export"
PURPOSE_DATA_SUBJECT_REQUEST = "data_subject_request"
"""A GDPR request of the candidate (access, export, erasure)."""
PURPOSES: tuple[str, ...] = (
    PURPOSE_CASEWORK,
    PURPOSE_MATCHING,
    PURPOSE_EMPLOYER_VIEW,
    PURPOSE_COACHING,
    PURPOSE_ADMINISTRATION,
    PURPOSE_EXPORT,
    PURPOSE_DATA_SUBJECT_REQUEST,
)

# --- the shape of ids and codes ------------------------------------------------------------

ID_PATTERN = re.compile(r"^[^\s\x00-\x1f@]{1,200}$")
"""An id as world files define it (1–200 characters, no whitespace or control
characters), and no ``@``: neither a full name ("Rahel Tesfay") nor an e-mail address
fits."""
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_LABEL = re.compile(r"^[A-Z][A-Za-z]{0,39}$")
_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")


def utc_timestamp(when: dt.datetime | dt.date | str | None = None) -> str:
    """``when`` (default: now) as the log's one time format, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``
    in UTC: fixed width, so comparing the strings compares the times on both stores.

    A date means its midnight UTC; a naive datetime is taken as UTC; a string is read as
    ISO 8601. ``InvalidInput`` for anything else."""
    if when is None:
        moment = dt.datetime.now(dt.UTC)
    elif isinstance(when, dt.datetime):
        moment = when
    elif isinstance(when, dt.date):
        moment = dt.datetime.combine(when, dt.time())
    elif isinstance(when, str):
        try:
            text = when.strip()
            moment = (
                dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
                if len(text) == 10
                else dt.datetime.fromisoformat(text)
            )
        except ValueError as e:
            raise InvalidInput(f"{when!r} is not an ISO 8601 date or time") from e
    else:
        raise InvalidInput(f"{when!r} is not a date or time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditEvent:
    """One access to a candidate's data. Every field is an id or a code (see the module
    docstring); ``organization`` is the organisation of an advisor, the company of an
    employer, and empty for roles tied to neither (admin, coach). ``candidate_id`` is the
    candidate the record is about (the record itself for a candidate), so a candidate's
    "who saw my data" report is one query."""

    at: str
    user_id: str
    organization: str
    role: str
    action: str
    label: str
    record_id: str
    candidate_id: str
    field_group: str
    purpose: str

    def to_props(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_props(cls, props: Mapping[str, Any]) -> AuditEvent:
        return cls(**{f.name: str(props.get(f.name) or "") for f in fields(cls)})


def check_event(event: AuditEvent) -> None:
    """What both stores check before appending: one ``InvalidInput`` listing every field
    that is not an id or code of the right shape (never echoing the refused value, which
    may be exactly the personal data that must not be logged)."""
    problems = []
    if not isinstance(event.at, str) or not _AT.match(event.at):
        problems.append("at: must be a UTC time as utc_timestamp() writes it")
    for name in ("user_id", "record_id", "candidate_id"):
        if not _is(ID_PATTERN, getattr(event, name)):
            problems.append(f"{name}: must be an id (1-200 characters, no whitespace or @)")
    if event.organization != "" and not _is(ID_PATTERN, event.organization):
        problems.append("organization: must be an id or empty")
    if not _is(_CODE, event.role):
        problems.append("role: must be a short snake_case code")
    if not _is(_LABEL, event.label):
        problems.append("label: must be a node label such as Candidate")
    for name, allowed in (
        ("action", ACTIONS),
        ("field_group", FIELD_GROUPS),
        ("purpose", PURPOSES),
    ):
        if getattr(event, name) not in allowed:
            problems.append(f"{name}: must be one of {', '.join(allowed)}")
    if problems:
        raise InvalidInput("audit event refused: only ids and codes are logged", problems)


def _is(pattern: re.Pattern[str], value: object) -> bool:
    return isinstance(value, str) and pattern.match(value) is not None


@dataclass(frozen=True)
class AuditFilters:
    """The normalised filters of ``GraphStore.audit_events``, the same on both stores."""

    candidate_id: str | None
    user_id: str | None
    since: str | None
    until: str | None
    action: str | None
    limit: int


def audit_filters(
    candidate_id: str | None = None,
    user_id: str | None = None,
    since: str | dt.datetime | dt.date | None = None,
    until: str | dt.datetime | dt.date | None = None,
    action: str | None = None,
    limit: int = 1000,
) -> AuditFilters:
    """Times in the log's format (``utc_timestamp``), empty strings as "no filter", and
    ``limit`` as a whole number ≥ 0; ``InvalidInput`` for a time that cannot be read."""
    return AuditFilters(
        candidate_id=candidate_id or None,
        user_id=user_id or None,
        since=None if since in (None, "") else utc_timestamp(since),
        until=None if until in (None, "") else utc_timestamp(until),
        action=action or None,
        limit=max(int(limit), 0),
    )
