"""The candidate's "who saw my data" report, from the audit trail (``graph.audit``).

For the advisors of the organisation that owns the candidate (``Action.EDIT``; 404 for
anyone else, also for organisations the candidate is shared with): which organisation
and role read or changed which field group, when and why. People are shown as role and
organisation, never by name — the report may be handed to the candidate. First a
summary (one row per organisation, role, action, field group and purpose, with the
number of accesses and the first and last time), then every access, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template

from graph.access import Action
from graph.audit import AuditEvent
from graph.model import Label
from web.advisor import bp
from web.advisor.common import candidate_or_404
from web.audit import ACTION_NAMES, GROUP_NAMES, LABEL_NAMES, PURPOSE_NAMES
from web.auth import ROLE_NAMES
from web.store import get_store

__all__ = ["SHOWN", "Summary", "summarise"]

SHOWN = 1000
"""Accesses listed one by one; the summary counts the same events."""


@dataclass(frozen=True)
class Summary:
    organization: str
    role: str
    action: str
    field_group: str
    purpose: str
    count: int
    first: str
    last: str


def summarise(events: list[AuditEvent]) -> list[Summary]:
    """One row per (organisation, role, action, field group, purpose), the most recent
    first. ``events`` come newest first, as the store returns them."""
    rows: dict[tuple[str, ...], list[AuditEvent]] = {}
    for event in events:
        key = (event.organization, event.role, event.action, event.field_group, event.purpose)
        rows.setdefault(key, []).append(event)
    return [
        Summary(*key, count=len(group), first=group[-1].at, last=group[0].at)
        for key, group in rows.items()
    ]


def _organization_names(organizations: set[str]) -> dict[str, str]:
    """Organisations and companies by name (neither is a person); an id that names
    neither any more is shown as itself."""
    store = get_store()
    names: dict[str, str] = {}
    for label in (Label.ORGANIZATION, Label.COMPANY):
        for node_id, node in store.get_nodes(label, organizations - set(names)).items():
            names[node_id] = str(node.props.get("name") or node_id)
    return names


@bp.get("/candidates/<candidate_id>/access-report")
def access_report(candidate_id: str) -> str:
    candidate_or_404(candidate_id, Action.EDIT)
    store = get_store()
    profile = store.candidate_profile(candidate_id)
    events = store.audit_events(candidate_id=candidate_id, limit=SHOWN + 1)
    cut = len(events) > SHOWN
    events = events[:SHOWN]
    return render_template(
        "advisor/access_report.html",
        profile=profile,
        events=events,
        cut=cut,
        summary=summarise(events),
        organizations=_organization_names({e.organization for e in events if e.organization}),
        action_names=ACTION_NAMES,
        group_names=GROUP_NAMES,
        label_names=LABEL_NAMES,
        purpose_names=PURPOSE_NAMES,
        role_names=ROLE_NAMES,
    )
