"""The retention review (admins): candidates without activity for a number of days
(``WEGWEISER_RETENTION_DAYS``, default 730), oldest first, for a person to decide whether
each record is still needed — nothing is deleted from here. What counts as activity is
defined in ``graph.gdpr.retention_review``. The page shows ids, organisations and dates
only; a candidate is erased from the advisor page of the candidate (``web.advisor.gdpr``).
"""

from __future__ import annotations

import datetime as dt
import os

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from graph.gdpr import retention_review
from graph.model import Label
from web.admin.blueprint import bp
from web.store import get_store

__all__ = ["DEFAULT_RETENTION_DAYS", "retention_days"]

DEFAULT_RETENTION_DAYS = 730
MAX_DAYS = 36_500
SOURCE_NAMES = {
    "placement": _l("Vermittlung"),
    "enrolment": _l("Kursanmeldung"),
    "note": _l("Kontaktnotiz"),
    "contact_request": _l("Kontaktanfrage"),
    "share": _l("Freigabe"),
    "coach": _l("Begleitung"),
    "assessment": _l("Feststellung einer Fähigkeit"),
    "candidate": _l("Profil"),
    "audit": _l("Änderung laut Protokoll"),
}


def retention_days() -> int:
    """The configured period: the app's ``WEGWEISER_RETENTION_DAYS``, else the
    environment's, else 730 days (two years). A bad value is an error, not a silently
    different period."""
    value = current_app.config.get("WEGWEISER_RETENTION_DAYS")
    if value is None:
        value = os.environ.get("WEGWEISER_RETENTION_DAYS", "").strip() or DEFAULT_RETENTION_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise RuntimeError(f"WEGWEISER_RETENTION_DAYS={value!r} is not a whole number") from None
    if not 1 <= days <= MAX_DAYS:
        raise RuntimeError(f"WEGWEISER_RETENTION_DAYS={value!r} must be between 1 and {MAX_DAYS}")
    return days


@bp.get("/retention")
def retention() -> tuple[str, int] | str:
    default = retention_days()
    text = request.args.get("days", "").strip()[:20]
    problem = None
    days = default
    if text:
        try:
            days = int(text)
        except ValueError:
            days = 0
        if not 1 <= days <= MAX_DAYS:
            problem = _(
                "Tage ohne Aktivität: „%(value)s“ ist keine ganze Zahl von 1 bis %(max)s.",
                value=text,
                max=MAX_DAYS,
            )
    store = get_store()
    rows = []
    if problem is None:
        names = {
            n.id: str(n.props.get("name") or n.id) for n in store.list_nodes(Label.ORGANIZATION)
        }
        for item in retention_review(store, inactive_days=days, today=dt.date.today()):
            rows.append(
                {
                    "id": item.candidate_id,
                    "organizations": ", ".join(names.get(o, o) for o in item.organizations) or "–",
                    "last": item.last_activity.isoformat() if item.last_activity else None,
                    "source": SOURCE_NAMES.get(item.source or "", item.source or ""),
                    "days": item.days,
                }
            )
    page = render_template(
        "admin/retention.html",
        rows=rows,
        days=text if problem else days,
        default=default,
        problem=problem,
    )
    return (page, 400) if problem else page
