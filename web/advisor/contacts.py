"""Contact requests from employers about the advisor's own candidates: the list (open
ones first) and marking one answered or declined with a POST form. The employer sees only
the status; the candidate's identity stays hidden until the advisor acts outside the app."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, SubmitField

from graph.access import Action
from graph.contact import (
    CONTACT_ANSWERS,
    OPEN,
    ContactRequest,
    contact_requests_of_candidate,
    settle_contact_request,
)
from graph.errors import InvalidInput, NotFound
from graph.model import Label
from graph.store import GraphStore
from web.advisor import bp
from web.advisor.common import candidate_or_404, scope_ids
from web.guard import find_or_404
from web.store import get_store

CONTACT_STATUS_NAMES = {
    "open": _l("offen"),
    "answered": _l("beantwortet"),
    "declined": _l("abgelehnt"),
}


class AnswerForm(FlaskForm):
    status = HiddenField()
    back = HiddenField()
    submit = SubmitField()


def request_rows(store: GraphStore, requests: list[ContactRequest]) -> list[dict[str, object]]:
    """The requests as the templates show them, open ones first, then newest first."""
    rows = []
    for r in requests:
        offer = _props(store, Label.OFFER, r.offer)
        company = _props(store, Label.COMPANY, r.company)
        candidate = store.get_node(Label.CANDIDATE, r.candidate).props
        rows.append(
            {
                "request": r,
                "candidate_name": candidate.get("name", r.candidate),
                "offer_title": offer.get("title", r.offer),
                "company_name": company.get("name", r.company),
                "status": CONTACT_STATUS_NAMES.get(r.status, r.status),
                "forms": [
                    (s, AnswerForm(status=s)) for s in (CONTACT_ANSWERS if r.status == OPEN else ())
                ],
            }
        )
    rows.sort(key=lambda row: row["request"].requested_at, reverse=True)  # type: ignore[union-attr]
    rows.sort(key=lambda row: row["request"].status != OPEN)  # type: ignore[union-attr]
    return rows


def _props(store: GraphStore, label: Label, node_id: str) -> dict[str, object]:
    """A node's properties; empty for a missing id (shown as the id itself)."""
    if not node_id or not store.existing_ids(label, [node_id]):
        return {}
    return store.get_node(label, node_id).props


@bp.get("/contacts")
def contacts() -> str:
    store = get_store()
    requests = [r for c in scope_ids(store) for r in contact_requests_of_candidate(store, c)]
    return render_template("advisor/contacts.html", rows=request_rows(store, requests))


@bp.post("/contacts/<request_id>")
def answer_contact(request_id: str) -> Response:
    find_or_404(Action.VIEW, Label.CONTACT_REQUEST, request_id)
    store = get_store()
    candidate = next(
        (
            r.target_id
            for r in store.relationships(Label.CONTACT_REQUEST, request_id)
            if r.source_id == request_id and r.target_label == Label.CANDIDATE
        ),
        None,
    )
    if candidate is None:
        abort(404)
    candidate_or_404(candidate, Action.EDIT)
    form = AnswerForm()
    if not form.validate_on_submit() or form.status.data not in CONTACT_ANSWERS:
        abort(400)
    try:
        settle_contact_request(store, request_id, form.status.data)
    except (InvalidInput, NotFound) as e:
        reason = "; ".join(e.problems) if isinstance(e, InvalidInput) and e.problems else str(e)
        flash(_("Nicht gespeichert: %(reason)s", reason=reason), "error")
    else:
        flash(
            _(
                "Anfrage als „%(status)s“ markiert.",
                status=CONTACT_STATUS_NAMES[form.status.data],
            ),
            "success",
        )
    if form.back.data == "candidate":
        return redirect(url_for("advisor.candidate", candidate_id=candidate) + "#contacts")
    return redirect(url_for("advisor.contacts"))
