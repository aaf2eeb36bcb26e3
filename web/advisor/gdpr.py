"""A candidate's GDPR rights on the advisor pages: the export of everything about them
(JSON to download, and a readable page that prints well) and erasure with a typed
confirmation. Only those who may edit the candidate (the advisors of the candidate's own
organisation, admins) get these pages; everyone else gets 404 as for an unknown id. The
work is done in ``graph.gdpr``; this module turns requests into those calls, records
them in the audit trail and shows the result.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from graph.access import Action
from graph.audit import (
    ACTION_ERASE,
    ACTION_EXPORT,
    GROUP_CASEWORK,
    GROUP_IDENTITY_CONTACT,
    GROUP_MATCHING_PROFILE,
    PURPOSE_DATA_SUBJECT_REQUEST,
)
from graph.erasure import ABOUT_A_CANDIDATE, ERASURE_REASONS
from graph.errors import InvalidInput, NotFound
from graph.gdpr import erase_candidate, export_candidate
from graph.model import Label, Rel
from web.advisor import bp
from web.advisor.common import (
    SOURCE_NAMES,
    STATUS_NAMES,
    candidate_or_404,
    current_lang,
    pick,
)
from web.audit import ACTION_NAMES, GROUP_NAMES, PURPOSE_NAMES, record
from web.auth import ROLE_NAMES
from web.store import get_store

__all__ = ["EraseForm"]

REASON_NAMES = {
    "data_subject_request": _l("Antrag der Person auf Löschung"),
    "no_longer_necessary": _l("Nicht mehr erforderlich (Aufbewahrungsfrist abgelaufen)"),
    "consent_withdrawn": _l("Einwilligung widerrufen"),
    "objection": _l("Widerspruch der Person"),
    "unlawful_processing": _l("Unrechtmäßig verarbeitet"),
    "legal_obligation": _l("Rechtliche Pflicht zur Löschung"),
}
_FROM_THE_PERSON = frozenset({"data_subject_request", "consent_withdrawn", "objection"})
_GROUPS = (GROUP_IDENTITY_CONTACT, GROUP_MATCHING_PROFILE, GROUP_CASEWORK)
"""What an export shows and an erasure removes: every field group of the candidate."""

LABEL_NAMES = {
    "Candidate": _l("Person"),
    "Placement": _l("Vermittlung"),
    "Enrolment": _l("Kursanmeldung"),
    "Note": _l("Kontaktnotiz"),
    "ContactRequest": _l("Kontaktanfrage"),
    "Skill": _l("Fähigkeit"),
    "Tool": _l("Werkzeug"),
    "Language": _l("Sprache"),
    "Town": _l("Ort"),
    "Organization": _l("Organisation"),
    "Coach": _l("Pate oder Patin"),
    "Offer": _l("Angebot"),
    "Course": _l("Kurs"),
}
REL_NAMES = {
    "HAS_SKILL": _l("hat die Fähigkeit"),
    "KNOWS_TOOL": _l("kann umgehen mit"),
    "SPEAKS": _l("spricht"),
    "LIVES_IN": _l("wohnt in"),
    "REGISTERED_WITH": _l("betreut von"),
    "SHARED_WITH": _l("freigegeben für"),
    "MENTORS": _l("begleitet von"),
    "OF_CANDIDATE": _l("gehört zu"),
    "FOR_OFFER": _l("für das Angebot"),
    "IN_COURSE": _l("im Kurs"),
}
PROPERTY_NAMES = {
    "name": _l("Name"),
    "gender": _l("Geschlecht"),
    "birth_year": _l("Geburtsjahr"),
    "available_from": _l("Verfügbar ab"),
    "consent_profile_sharing": _l("Einwilligung: Profil für Arbeitgeber"),
    "consent_contact": _l("Einwilligung: Kontakt"),
    "status": _l("Stand"),
    "start": _l("Beginn"),
    "text": _l("Text"),
    "written_at": _l("Geschrieben am"),
    "requested_at": _l("Angefragt am"),
    "history_statuses": _l("Verlauf: Stand"),
    "history_dates": _l("Verlauf: Datum"),
    "level": _l("Stufe"),
    "source": _l("Herkunft"),
    "assessed_at": _l("Festgestellt am"),
    "assessed_by": _l("Festgestellt von"),
    "since": _l("Seit"),
}
_FIRST = ("name", "status")
"""Shown before the other properties (which follow in alphabetical order)."""
_SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


class EraseForm(FlaskForm):
    confirm = StringField(
        _l("Kennung der Person zur Bestätigung"),
        validators=[
            DataRequired(_l("Bitte geben Sie zur Bestätigung die Kennung der Person ein.")),
            Length(max=200),
        ],
    )
    reason = SelectField(
        _l("Grund der Löschung"),
        choices=[(r, REASON_NAMES[r]) for r in ERASURE_REASONS],
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Endgültig löschen"))


def _record(action: str, candidate_id: str, purpose: str | None) -> None:
    for group in _GROUPS:
        record(action, Label.CANDIDATE, candidate_id, candidate_id, group, purpose)


@bp.get("/candidates/<candidate_id>/export.json")
def export_json(candidate_id: str) -> Response:
    candidate_or_404(candidate_id, Action.EDIT)
    data = export_candidate(get_store(), candidate_id)
    _record(ACTION_EXPORT, candidate_id, PURPOSE_DATA_SUBJECT_REQUEST)
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    response = current_app.response_class(body, mimetype="application/json")
    filename = f"wegweiser-{_SAFE_FILENAME.sub('_', candidate_id)}.json"
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/candidates/<candidate_id>/export")
def export_page(candidate_id: str) -> Response:
    candidate_or_404(candidate_id, Action.EDIT)
    data = export_candidate(get_store(), candidate_id)
    _record(ACTION_EXPORT, candidate_id, PURPOSE_DATA_SUBJECT_REQUEST)
    response = current_app.make_response(
        render_template("advisor/export.html", **_readable(data, current_lang()))
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/candidates/<candidate_id>/erase", methods=["GET", "POST"])
def erase(candidate_id: str) -> Response | tuple[str, int] | str:
    candidate_or_404(candidate_id, Action.EDIT)
    store = get_store()
    form = EraseForm()
    if form.validate_on_submit():
        if form.confirm.data.strip() != candidate_id:
            form.confirm.errors.append(
                _("Die eingegebene Kennung stimmt nicht mit der Kennung der Person überein.")
            )
        else:
            try:
                erase_candidate(
                    store, candidate_id, by=current_user.user.id, reason=form.reason.data
                )
            except NotFound:
                abort(404)
            except InvalidInput as e:
                form.reason.errors.append(str(e))
            else:
                purpose = (
                    PURPOSE_DATA_SUBJECT_REQUEST if form.reason.data in _FROM_THE_PERSON else None
                )
                _record(ACTION_ERASE, candidate_id, purpose)
                flash(
                    _(
                        "Die Person und alles über sie wurden gelöscht. Ein Löschvermerk ohne "
                        "personenbezogene Daten verhindert, dass ein älterer Import sie "
                        "zurückbringt."
                    ),
                    "info",
                )
                return redirect(url_for("advisor.candidates"))
    node, rels = store.node_with_relationships(Label.CANDIDATE, candidate_id)
    about: dict[str, int] = {}
    for rel in rels:
        if rel.type == Rel.OF_CANDIDATE and rel.source_label in ABOUT_A_CANDIDATE:
            name = str(LABEL_NAMES[rel.source_label])
            about[name] = about.get(name, 0) + 1
    page = render_template(
        "advisor/erase.html",
        candidate_id=candidate_id,
        name=node.props.get("name") or candidate_id,
        about=sorted(about.items()),
        form=form,
    )
    return (page, 400) if form.is_submitted() else page


# --- the readable page ------------------------------------------------------------------------


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    return str(value)


_VALUE_NAMES: dict[str, dict[str, Any]] = {
    "status": STATUS_NAMES,
    "history_statuses": STATUS_NAMES,
    "source": SOURCE_NAMES,
}


def _shown(key: str, value: Any) -> str:
    names = _VALUE_NAMES.get(key, {})
    if isinstance(value, list):
        return ", ".join(_value(names.get(v, v)) for v in value)
    return _value(names.get(value, value) if isinstance(value, str) else value)


def _properties(props: dict[str, Any]) -> list[tuple[str, str]]:
    keys = sorted(props, key=lambda k: (k not in _FIRST, _FIRST.index(k) if k in _FIRST else 0, k))
    return [(str(PROPERTY_NAMES.get(key, key)), _shown(key, props[key])) for key in keys]


def _readable(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """The export as the page shows it: names in the reader's language where known."""
    names = {
        (r["label"], r["id"]): pick(r["labels"], lang, r["name"]) if r["labels"] else r["name"]
        for r in data["referenced"]
    }
    candidate_id = data["candidate"]["id"]

    def end(node: dict[str, str]) -> dict[str, str]:
        return {
            "kind": str(LABEL_NAMES.get(node["label"], node["label"])),
            "id": node["id"],
            "name": names.get((node["label"], node["id"]), node["id"]),
        }

    def relationship(rel: dict[str, Any], me: str) -> dict[str, Any]:
        other = rel["target"] if rel["source"]["id"] == me else rel["source"]
        return {
            "type": str(REL_NAMES.get(rel["type"], rel["type"])),
            "other": end(other),
            "properties": "; ".join(
                f"{name}: {value}" for name, value in _properties(rel["properties"])
            ),
        }

    records = [
        {
            "kind": str(LABEL_NAMES.get(r["label"], r["label"])),
            "id": r["id"],
            "properties": _properties(r["properties"]),
            "relationships": [
                relationship(rel, r["id"])
                for rel in r["relationships"]
                if rel["target"]["id"] != candidate_id
            ],
        }
        for r in data["records"]
    ]
    return {
        "candidate_id": candidate_id,
        "name": data["candidate"]["properties"].get("name") or candidate_id,
        "exported_at": data["exported_at"],
        "properties": _properties(data["candidate"]["properties"]),
        "relationships": [
            relationship(rel, candidate_id)
            for rel in data["relationships"]
            if rel["type"] not in ("OF_CANDIDATE", "SHARED_WITH")
        ],
        "records": records,
        "shares": [
            {**share, "organization_name": names.get(("Organization", share["organization"]))}
            for share in data["shares"]
        ],
        "history": [
            {
                **event,
                "role": str(ROLE_NAMES.get(event["role"], event["role"])),
                "action": str(ACTION_NAMES.get(event["action"], event["action"])),
                "field_group": str(GROUP_NAMES.get(event["field_group"], event["field_group"])),
                "purpose": str(PURPOSE_NAMES.get(event["purpose"], event["purpose"])),
            }
            for event in data["access_history"]
        ],
        "history_complete": data["access_history_complete"],
    }
