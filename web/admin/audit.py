"""Searching the audit trail (admins): who read or changed which candidate data, when
and why, filtered by candidate id, user id, a date range (UTC days) and action, newest
first, 50 to a page.

The log holds ids and codes only (``graph.audit``); this page shows them as they are —
an admin resolves a user id on the users page. Bad filter values are named in a message
and answer 400; nothing is searched then.
"""

from __future__ import annotations

import datetime as dt

from flask import render_template, request
from flask_babel import gettext as _

from graph.audit import ACTIONS, AuditEvent
from web.admin.blueprint import bp
from web.audit import ACTION_NAMES, GROUP_NAMES, LABEL_NAMES, PURPOSE_NAMES
from web.auth import ROLE_NAMES
from web.store import get_store

__all__ = ["PAGE_SIZE", "search"]

PAGE_SIZE = 50
MAX_PAGE = 200
"""Pages reachable by paging (10 000 events); narrow the filters for older ones."""
_FILTERS = ("candidate", "user", "since", "until", "action")


def _date(name: str, label: str, problems: list[str]) -> dt.date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(
            _("%(field)s: „%(value)s“ ist kein Datum (JJJJ-MM-TT).", field=label, value=text[:20])
        )
        return None


def search() -> tuple[dict[str, object], list[str]]:
    """The filters of the request and the problems with them (empty when all are fine)."""
    problems: list[str] = []
    args = {name: request.args.get(name, "").strip()[:200] for name in _FILTERS}
    since = _date("since", _("Von"), problems)
    until = _date("until", _("Bis"), problems)
    if since and until and until < since:
        problems.append(_("Bis: das Datum liegt vor dem Von-Datum."))
    if args["action"] and args["action"] not in ACTIONS:
        problems.append(_("Aktion: unbekannt."))
    for name, label in (("candidate", _("Person (Kennung)")), ("user", _("Benutzer (Kennung)"))):
        if any(c.isspace() for c in args[name]):
            problems.append(_("%(field)s: eine Kennung enthält keine Leerzeichen.", field=label))
    return {**args, "since_date": since, "until_date": until}, problems


@bp.get("/audit")
def audit() -> tuple[str, int] | str:
    filters, problems = search()
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    events: list[AuditEvent] = []
    more = False
    searched = any(filters[name] for name in _FILTERS)
    if not problems:
        until = filters["until_date"]
        found = get_store().audit_events(
            candidate_id=str(filters["candidate"]) or None,
            user_id=str(filters["user"]) or None,
            since=filters["since_date"],
            until=until + dt.timedelta(days=1) if isinstance(until, dt.date) else None,
            action=str(filters["action"]) or None,
            limit=page * PAGE_SIZE + 1,
        )
        events = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        more = len(found) > page * PAGE_SIZE and page < MAX_PAGE
    args = {name: filters[name] for name in _FILTERS if filters[name]}
    html = render_template(
        "admin/audit.html",
        filters=filters,
        problems=problems,
        events=events,
        page=page,
        more=more,
        searched=searched,
        args=args,
        actions=ACTIONS,
        action_names=ACTION_NAMES,
        group_names=GROUP_NAMES,
        label_names=LABEL_NAMES,
        purpose_names=PURPOSE_NAMES,
        role_names=ROLE_NAMES,
    )
    return (html, 400) if problems else html
