"""Shares ("Freigaben") on the candidate page: the advisors of the candidate's own
organisation share the candidate with another organisation for a purpose until a date,
see the shares made and revoke them; advisors of the other organisation see the
candidate (marked as shared) while the share is valid. The record and its checks live in
``graph.sharing``, what a share allows in ``graph.access``; this module only turns forms
into those calls. A refused share answers 400 with the candidate page, the message and
the person's input; nothing is stored.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from graph.access import Action, Resource, can
from graph.audit import ACTION_REVOKE, ACTION_SHARE
from graph.errors import InvalidInput, NotFound
from graph.model import SHARE_BASES, SHARE_GROUPS, Label, Rel
from graph.sharing import (
    DEFAULT_GROUPS,
    LEGAL_BASIS_MAX_CHARS,
    PURPOSE_MAX_CHARS,
    revoke_share,
    share_candidate,
    shares_of,
)
from graph.store import GraphStore
from web.advisor import bp
from web.advisor.common import candidate_or_404
from web.audit import GROUP_NAMES, record
from web.guard import principal
from web.store import get_store

__all__ = ["RevokeForm", "ShareForm", "share_section", "shared_from"]

BASIS_NAMES = {
    "consent": _l("Einwilligung der Person"),
    "legal": _l("Gesetzliche Grundlage"),
}
STATE_NAMES = {
    "valid": _l("gültig"),
    "expired": _l("abgelaufen"),
    "revoked": _l("widerrufen"),
}


class ShareForm(FlaskForm):
    organization = SelectField(
        _l("Organisation"),
        validators=[DataRequired(_l("Bitte wählen Sie eine Organisation."))],
        validate_choice=False,  # graph.sharing names an unknown or the own organisation
    )
    basis = SelectField(
        _l("Grundlage"),
        choices=[(b, BASIS_NAMES[b]) for b in SHARE_BASES],
        validators=[DataRequired()],
    )
    legal_basis = StringField(
        _l("Rechtsgrundlage (z. B. § 69 SGB X)"),
        validators=[Optional(), Length(max=LEGAL_BASIS_MAX_CHARS)],
    )
    purpose = StringField(
        _l("Zweck"),
        validators=[
            DataRequired(_l("Bitte geben Sie den Zweck der Freigabe an.")),
            Length(max=PURPOSE_MAX_CHARS),
        ],
    )
    groups = SelectMultipleField(
        _l("Freigegebene Daten"),
        choices=[(group, GROUP_NAMES[group]) for group in SHARE_GROUPS],
        default=list(DEFAULT_GROUPS),
        validators=[DataRequired(_l("Bitte wählen Sie mindestens einen Datenbereich."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    until = DateField(
        _l("Gültig bis einschließlich"),
        validators=[DataRequired(_l("Bitte geben Sie ein Datum an (JJJJ-MM-TT)."))],
    )
    submit = SubmitField(_l("Freigeben"))


class RevokeForm(FlaskForm):
    organization = HiddenField()
    submit = SubmitField(_l("Freigabe widerrufen"))


# --- what the candidate page shows ------------------------------------------------------------


def _organization_names(store: GraphStore) -> dict[str, str]:
    return {
        node.id: str(node.props.get("name") or node.id)
        for node in store.list_nodes(Label.ORGANIZATION)
    }


def _person(store: GraphStore, user_id: str) -> str:
    try:
        user = store.get_user(user_id)
    except NotFound:
        return user_id or "–"
    return user.display_name or user.email


def _owners(resource: Resource, names: dict[str, str]) -> str:
    return ", ".join(sorted(names.get(o, o) for o in resource.organizations)) or "–"


def share_section(store: GraphStore, candidate_id: str, resource: Resource) -> dict[str, Any]:
    """What ``advisor/_shares.html`` shows to the signed-in person.

    ``manage``: they may share (the advisors of the candidate's own organisation, admins)
    and get every share with its state, the form and a revoke button per valid share.
    Otherwise ``received``: the valid share through which their organisation sees the
    candidate (None when they see it otherwise)."""
    me = principal()
    names = _organization_names(store)
    shares = shares_of(store, candidate_id)
    if not can(me, Action.EDIT, resource):
        received = next((s for s in shares if s.valid and s.organization == me.organization), None)
        return {"manage": False, "received": received, "owner": _owners(resource, names)}
    form = g.get("share_form") or ShareForm(formdata=None)
    others = [(i, name) for i, name in names.items() if i not in resource.organizations]
    form.organization.choices = [("", "–"), *sorted(others, key=lambda kv: kv[1].casefold())]
    rows = [
        {
            "share": share,
            "organization": names.get(share.organization, share.organization),
            "basis": BASIS_NAMES.get(share.basis, share.basis),
            "by": _person(store, share.by),
            "state": STATE_NAMES.get(share.state, share.state),
            "groups": ", ".join(str(GROUP_NAMES.get(g, g)) for g in share.groups),
            "revoke": RevokeForm(formdata=None, organization=share.organization)
            if share.valid
            else None,
        }
        for share in shares
    ]
    return {"manage": True, "rows": rows, "form": form, "error": g.get("share_error")}


def shared_from(store: GraphStore, candidate_id: str) -> str:
    """The names of the organisations a candidate is registered with, for the mark
    "geteilt von …" in the list of an organisation the candidate is shared with."""
    names = []
    for rel in store.relationships(Label.CANDIDATE, candidate_id):
        if rel.type == Rel.REGISTERED_WITH and rel.source_id == candidate_id:
            try:
                node = store.get_node(Label.ORGANIZATION, rel.target_id)
            except NotFound:
                names.append(rel.target_id)
            else:
                names.append(str(node.props.get("name") or rel.target_id))
    return ", ".join(sorted(names)) or "–"


# --- the two writes ------------------------------------------------------------------------------


def _candidate_page(candidate_id: str) -> tuple[Any, int]:
    """The candidate page again, answering 400 (the form and message are in ``g``)."""
    return current_app.view_functions["advisor.candidate"](candidate_id=candidate_id), 400


@bp.post("/candidates/<candidate_id>/shares")
def share(candidate_id: str) -> Response | tuple[Any, int]:
    candidate_or_404(candidate_id, Action.EDIT)
    form = ShareForm()
    form.organization.choices = []
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:  # no such field when CSRF is switched off
            abort(400)
        g.share_form = form
        g.share_error = _("Nicht gespeichert: Bitte prüfen Sie die markierten Felder.")
        return _candidate_page(candidate_id)
    try:
        made = share_candidate(
            get_store(),
            candidate_id,
            form.organization.data or "",
            basis=form.basis.data or "",
            purpose=form.purpose.data or "",
            until=form.until.data,
            legal_basis=form.legal_basis.data,
            groups=form.groups.data or [],
            by=current_user.user.id,
        )
    except InvalidInput as e:
        g.share_form = form
        g.share_error = _("Nicht gespeichert: %(reason)s", reason=_reason(e))
        return _candidate_page(candidate_id)
    for group in made.groups:
        record(ACTION_SHARE, Label.CANDIDATE, candidate_id, candidate_id, group)
    flash(_("Die Freigabe wurde gespeichert."), "success")
    return redirect(url_for("advisor.candidate", candidate_id=candidate_id) + "#shares")


@bp.post("/candidates/<candidate_id>/shares/revoke")
def revoke(candidate_id: str) -> Response:
    candidate_or_404(candidate_id, Action.EDIT)
    form = RevokeForm()
    if not form.validate_on_submit() or not form.organization.data:
        abort(400)
    try:
        revoked = revoke_share(
            get_store(), candidate_id, form.organization.data, by=current_user.user.id
        )
    except (InvalidInput, NotFound) as e:
        flash(_("Nicht gespeichert: %(reason)s", reason=_reason(e)), "error")
    else:
        for group in revoked.groups:
            record(ACTION_REVOKE, Label.CANDIDATE, candidate_id, candidate_id, group)
        flash(_("Die Freigabe wurde widerrufen."), "success")
    return redirect(url_for("advisor.candidate", candidate_id=candidate_id) + "#shares")


def _reason(error: Exception) -> str:
    if isinstance(error, InvalidInput) and error.problems:
        return "; ".join(error.problems)
    return str(error)
