"""Contact requests from employers about the advisor's own candidates: the list (open
ones first) and marking one answered or declined with a POST form. The employer sees only
the status; the candidate's identity stays hidden until the advisor records the
candidate's consent on the request ("Einwilligung erfasst": the day and the purpose) —
then the employer sees name, e-mail and phone on that offer's candidate view — and hidden
again once the consent is withdrawn ("Einwilligung widerrufen"). Both are audited as
``consent`` of identity and contact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import DateField, HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from graph.access import Action
from graph.audit import ACTION_CONSENT, ACTION_UPDATE, GROUP_CASEWORK, GROUP_IDENTITY_CONTACT
from graph.contact import (
    CONSENTED,
    CONTACT_ANSWERS,
    OPEN,
    PURPOSE_MAX_CHARS,
    ContactRequest,
    contact_requests_of_candidate,
    record_consent,
    settle_contact_request,
    withdraw_consent,
)
from graph.errors import InvalidInput, NotFound
from graph.model import Label
from graph.store import GraphStore
from web.advisor import bp
from web.advisor.common import candidate_or_404, scope_ids
from web.audit import record, record_listed
from web.guard import find_or_404
from web.store import get_store

CONTACT_STATUS_NAMES = {
    "open": _l("offen"),
    "answered": _l("beantwortet"),
    "declined": _l("abgelehnt"),
    "consented": _l("Einwilligung erfasst"),
    "withdrawn": _l("Einwilligung widerrufen"),
}


class AnswerForm(FlaskForm):
    status = HiddenField()
    back = HiddenField()
    submit = SubmitField()


class ConsentForm(FlaskForm):
    """The candidate's consent to reveal their identity to the company for the offer.
    Prefixed per request, so that every row's inputs have ids of their own."""

    given_on = DateField(
        _l("Einwilligung vom"),
        validators=[DataRequired(_l("Bitte geben Sie ein Datum an (JJJJ-MM-TT)."))],
    )
    purpose = StringField(
        _l("Zweck der Einwilligung"),
        validators=[
            DataRequired(_l("Bitte geben Sie den Zweck der Einwilligung an.")),
            Length(max=PURPOSE_MAX_CHARS),
        ],
    )
    back = HiddenField()
    submit = SubmitField(_l("Einwilligung erfasst"))


class WithdrawForm(FlaskForm):
    """The candidate withdrew the consent (from the given day)."""

    on = DateField(
        _l("Widerrufen am"),
        validators=[DataRequired(_l("Bitte geben Sie ein Datum an (JJJJ-MM-TT)."))],
    )
    back = HiddenField()
    submit = SubmitField(_l("Einwilligung widerrufen"))


def _consent_forms(r: ContactRequest, back: str) -> dict[str, FlaskForm | None]:
    """The consent form (open or answered requests) or the withdraw form (consented)."""
    today = dt.date.today()
    consent = withdraw = None
    if r.status in (OPEN, "answered"):
        consent = ConsentForm(prefix=f"consent-{r.id}", formdata=None, given_on=today, back=back)
    elif r.status == CONSENTED:
        withdraw = WithdrawForm(prefix=f"withdraw-{r.id}", formdata=None, on=today, back=back)
    return {"consent": consent, "withdraw": withdraw}


def request_rows(
    store: GraphStore, requests: list[ContactRequest], back: str = "list"
) -> list[dict[str, object]]:
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
                **_consent_forms(r, back),
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
    record_listed(sorted({r.candidate for r in requests}))
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
        record(ACTION_UPDATE, Label.CONTACT_REQUEST, request_id, candidate, GROUP_CASEWORK)
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


def _own_request(request_id: str) -> str:
    """The candidate of a contact request the signed-in advisor may change (the advisors
    of the candidate's own organisation); 404 otherwise."""
    find_or_404(Action.VIEW, Label.CONTACT_REQUEST, request_id)
    candidate = next(
        (
            r.target_id
            for r in get_store().relationships(Label.CONTACT_REQUEST, request_id)
            if r.source_id == request_id and r.target_label == Label.CANDIDATE
        ),
        None,
    )
    if candidate is None:
        abort(404)
    candidate_or_404(candidate, Action.EDIT)
    return candidate


def _back(candidate: str, back: str | None) -> Response:
    if back == "candidate":
        return redirect(url_for("advisor.candidate", candidate_id=candidate) + "#contacts")
    return redirect(url_for("advisor.contacts"))


def _form_problems(form: FlaskForm) -> str:
    return "; ".join(
        f"{getattr(form, name).label.text}: {' '.join(map(str, errors))}"
        for name, errors in form.errors.items()
    )


@bp.post("/contacts/<request_id>/consent")
def consent_contact(request_id: str) -> Response:
    """Record the candidate's consent: the employer sees the identity for that offer."""
    return _change_consent(
        request_id,
        ConsentForm(prefix=f"consent-{request_id}"),
        lambda form: record_consent(
            get_store(),
            request_id,
            given_on=form.given_on.data,
            purpose=form.purpose.data or "",
            by=current_user.user.id,
        ),
        _(
            "Die Einwilligung wurde erfasst. Das Unternehmen sieht Name, E-Mail und "
            "Telefon für dieses Angebot."
        ),
    )


@bp.post("/contacts/<request_id>/withdraw")
def withdraw_contact(request_id: str) -> Response:
    """Record that the candidate withdrew the consent: the identity is hidden again."""
    return _change_consent(
        request_id,
        WithdrawForm(prefix=f"withdraw-{request_id}"),
        lambda form: withdraw_consent(
            get_store(), request_id, on=form.on.data, by=current_user.user.id
        ),
        _("Der Widerruf wurde erfasst. Das Unternehmen sieht wieder nur das Pseudonym."),
    )


def _change_consent(
    request_id: str, form: FlaskForm, write: Callable[[Any], object], done: str
) -> Response:
    """The common path of recording and withdrawing consent: only the candidate's own
    organisation; a bad form or a refused change is flashed; a stored one is audited."""
    candidate = _own_request(request_id)
    form.validate_on_submit()
    if "csrf_token" in form.errors:
        abort(400)
    if form.errors:
        flash(_("Nicht gespeichert: %(reason)s", reason=_form_problems(form)), "error")
        return _back(candidate, form.back.data)
    try:
        write(form)
    except (InvalidInput, NotFound) as e:
        flash(_("Nicht gespeichert: %(reason)s", reason=_reason(e)), "error")
    else:
        record(ACTION_CONSENT, Label.CONTACT_REQUEST, request_id, candidate, GROUP_IDENTITY_CONTACT)
        flash(done, "success")
    return _back(candidate, form.back.data)


def _reason(error: Exception) -> str:
    if isinstance(error, InvalidInput) and error.problems:
        return "; ".join(error.problems)
    return str(error)
