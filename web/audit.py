"""Recording the audit trail of the web app, in one place.

Views never write audit events themselves. They (or the guard that resolves an object
for them) call :func:`record`, which only notes the event on ``flask.g``; after the
response is made, one ``after_request`` hook writes everything noted in ONE
``append_audit`` call — and only when the response succeeded (status < 400). So a page
that ends in a 404 (an id outside the user's scope, an unknown offer on a gap page) or
an error logs nothing, and a request logs each event once however often it resolved the
same object. If writing the log fails, the response is replaced by the error: a page is
never served without its audit record.

Reads are recorded by the guard (``web.guard.find_or_404`` and the API's
``web.api.lookup.visible``) through :func:`record_access` — for safe requests (GET,
HEAD) only, since a POST records what it wrote instead. Writes are recorded by the
handlers after the store accepted them, one ``record(...)`` line each.

Who, what, why: the user id, the organisation (an advisor's organisation, an employer's
company, none for coaches and admins) and role come from the signed-in user; the purpose
defaults to the role's (advisor: casework, coach: coaching, employer: employer_view,
admin: administration). Only ids and codes go in (``graph.audit``), never a name.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, g, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from graph.access import Action, Principal, Resource, visible_groups
from graph.audit import (
    ACTION_READ,
    ACTION_UPDATE,
    GROUP_CASEWORK,
    GROUP_IDENTITY_CONTACT,
    GROUP_MATCHING_PROFILE,
    PURPOSE_ADMINISTRATION,
    PURPOSE_CASEWORK,
    PURPOSE_COACHING,
    PURPOSE_EMPLOYER_VIEW,
    AuditEvent,
    check_event,
    utc_timestamp,
)
from graph.audit_writer import AuditGroupCommit
from graph.fields import CANDIDATE_FIELDS
from graph.model import Label, Rel
from web.store import get_store, process_store

__all__ = [
    "ACTION_NAMES",
    "GROUP_NAMES",
    "LABEL_NAMES",
    "PURPOSE_NAMES",
    "PURPOSE_OF_ROLE",
    "READ_GROUPS",
    "init_audit",
    "pending",
    "record",
    "record_access",
    "record_profile_update",
    "record_pseudonymised",
]

PURPOSE_OF_ROLE: dict[str, str] = {
    "advisor": PURPOSE_CASEWORK,
    "coach": PURPOSE_COACHING,
    "employer": PURPOSE_EMPLOYER_VIEW,
    "admin": PURPOSE_ADMINISTRATION,
}
"""Why a role looks at candidate data when the view does not say otherwise."""

READ_GROUPS: dict[Label, tuple[str, ...]] = {
    Label.CANDIDATE: (GROUP_IDENTITY_CONTACT, GROUP_MATCHING_PROFILE),
    Label.PLACEMENT: (GROUP_CASEWORK,),
    Label.ENROLMENT: (GROUP_CASEWORK,),
    Label.NOTE: (GROUP_CASEWORK,),
    Label.CONTACT_REQUEST: (GROUP_CASEWORK,),
}
"""The field groups a full view of each kind of record shows. Labels not listed here
(offers, companies, the catalogue) are not candidate data and are not logged."""

_SEEING = frozenset({Action.VIEW, Action.EDIT, Action.CREATE, Action.PROPOSE})
"""Guard actions whose page, on a GET, shows the record in full (an edit form shows the
values it edits)."""
_SAFE_METHODS = frozenset({"GET", "HEAD"})
_PENDING = "wegweiser_audit_events"


def record(
    action: str,
    label: Label | str,
    record_id: str,
    candidate_id: str,
    field_group: str,
    purpose: str | None = None,
) -> None:
    """Note one access by the signed-in user; written after a successful response.

    Checked at once (``graph.audit.check_event``), so a call that would log a name fails
    where it is made, not after the response."""
    user = current_user.user
    event = AuditEvent(
        at=utc_timestamp(),
        user_id=user.id,
        organization=user.organization or user.company or "",
        role=user.role,
        action=action,
        label=str(label),
        record_id=record_id,
        candidate_id=candidate_id,
        field_group=field_group,
        purpose=purpose or PURPOSE_OF_ROLE.get(user.role, PURPOSE_ADMINISTRATION),
    )
    check_event(event)
    events: dict[tuple[str, ...], AuditEvent] = g.setdefault(_PENDING, {})
    key = (action, event.label, record_id, candidate_id, field_group, event.purpose)
    events.setdefault(key, event)


def record_access(action: Action, resource: Resource) -> None:
    """What the guard calls once access to ``resource`` was granted: on a GET, a read of
    each field group the page shows. A pseudonymised view is a read of the matching
    profile for the employer; actions that only write (asking for contact) log nothing
    here — their handler records the write."""
    if request.method not in _SAFE_METHODS:
        return
    action = Action(action)
    if action is Action.VIEW_PSEUDONYMISED:
        groups: tuple[str, ...] = (GROUP_MATCHING_PROFILE,)
        purpose: str | None = PURPOSE_EMPLOYER_VIEW
    elif action in _SEEING:
        groups, purpose = READ_GROUPS.get(resource.label, ()), None
    else:
        return
    if resource.label == Label.CANDIDATE:  # only what the policy lets this user see
        seen = visible_groups(Principal.from_user(current_user.user), resource)
        groups = tuple(group for group in groups if group in seen)
    if not groups:
        return
    candidate = _candidate_of(resource.label, resource.id)
    if candidate is None:
        return
    for group in groups:
        record(ACTION_READ, resource.label, resource.id, candidate, group, purpose)


def pending() -> list[AuditEvent]:
    """The events noted so far in this request (for tests and debugging)."""
    return list(g.get(_PENDING, {}).values())


def _candidate_of(label: Label, record_id: str) -> str | None:
    """The candidate a record is about: itself, or the far end of ``OF_CANDIDATE``."""
    if label == Label.CANDIDATE:
        return record_id
    return next(
        (
            r.target_id
            for r in get_store().relationships(label, record_id)
            if r.type == Rel.OF_CANDIDATE and r.source_id == record_id
        ),
        None,
    )


def init_audit(app: Flask) -> None:
    """Write each request's noted events in one call, after a successful response —
    batched with the events of concurrent requests (``graph.audit_writer``)."""

    @app.after_request
    def write_audit(response: Response) -> Response:
        events = g.pop(_PENDING, None)
        if events and response.status_code < 400:
            _writer(app).write(list(events.values()))
        return response


def _writer(app: Flask) -> AuditGroupCommit:
    store = process_store()
    writer = app.extensions.get("wegweiser.audit_writer")
    if writer is None or writer.store is not store:
        writer = app.extensions["wegweiser.audit_writer"] = AuditGroupCommit(store)
    return writer


_PROFILE_FIELD_GROUPS = {name: group for group, names in CANDIDATE_FIELDS.items() for name in names}
"""The advisor's profile form: each property in the group ``graph.fields`` declares it in
(identity and contact, residence, social/benefit, health, availability); the form's other
fields (town, skills, tools, languages) are the matching profile."""


def record_profile_update(candidate_id: str, changed_fields: Iterable[str]) -> None:
    """A saved profile edit: an update of each field group whose fields changed (of both
    the form covers, when a save changed nothing recognisable)."""
    groups = {_PROFILE_FIELD_GROUPS.get(name, GROUP_MATCHING_PROFILE) for name in changed_fields}
    for group in sorted(groups or {GROUP_IDENTITY_CONTACT, GROUP_MATCHING_PROFILE}):
        record(ACTION_UPDATE, Label.CANDIDATE, candidate_id, candidate_id, group)


def record_pseudonymised(candidate_ids: Iterable[str]) -> None:
    """An employer saw these candidates' matching profiles under a pseudonym (the fits of
    an offer): a read of the matching profile each, for ``employer_view``."""
    for candidate_id in candidate_ids:
        record(
            ACTION_READ,
            Label.CANDIDATE,
            candidate_id,
            candidate_id,
            GROUP_MATCHING_PROFILE,
            PURPOSE_EMPLOYER_VIEW,
        )


ACTION_NAMES: dict[str, LazyString] = {
    "read": _l("gelesen"),
    "create": _l("angelegt"),
    "update": _l("geändert"),
    "delete": _l("gelöscht"),
    "export": _l("exportiert"),
    "erase": _l("gelöscht (Recht auf Löschung)"),
    "share": _l("geteilt"),
    "revoke": _l("Teilen beendet"),
    "consent": _l("Einwilligung erfasst"),
    "import": _l("importiert"),
}
GROUP_NAMES: dict[str, LazyString] = {
    "matching_profile": _l("Vermittlungsprofil"),
    "identity_contact": _l("Identität und Kontakt"),
    "social_benefit": _l("Sozial- und Leistungsdaten"),
    "residence": _l("Aufenthalt und Staatsangehörigkeit"),
    "health": _l("Gesundheit und besonderer Bedarf"),
    "casework": _l("Fallarbeit"),
}
PURPOSE_NAMES: dict[str, LazyString] = {
    "casework": _l("Beratung"),
    "matching": _l("Vermittlung"),
    "employer_view": _l("Ansicht für Arbeitgeber"),
    "coaching": _l("Patenschaft"),
    "administration": _l("Verwaltung"),
    "export": _l("Export"),
    "data_subject_request": _l("Anfrage der betroffenen Person"),
}
"""How the pages name the log's codes; a code without a name is shown as itself."""
LABEL_NAMES: dict[str, LazyString] = {
    "Candidate": _l("Profil"),
    "Placement": _l("Vermittlung"),
    "Enrolment": _l("Kursanmeldung"),
    "Note": _l("Notiz"),
    "ContactRequest": _l("Kontaktanfrage"),
}


def record_listed(candidate_ids: Iterable[str]) -> None:
    """A list showed these candidates by name (a search result, a pipeline): a read of
    their identity for the signed-in user's purpose — a list reveals as much as a page."""
    for candidate_id in candidate_ids:
        record(ACTION_READ, Label.CANDIDATE, candidate_id, candidate_id, GROUP_IDENTITY_CONTACT)
