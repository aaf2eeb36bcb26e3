"""The placement pipeline: moving one placement on (proposed → contacted → interview →
internship → hired → ended, as ``graph.casework.PLACEMENT_TRANSITIONS`` allows) with a
POST form that names the version it saw, and the overview of the advisor's candidates
— how many placements stand at each status, and which."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, SubmitField

from graph import casework as work
from graph.access import Action
from graph.audit import ACTION_UPDATE, GROUP_CASEWORK
from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import PLACEMENT_STATUSES, Label
from web.advisor import bp
from web.advisor.common import STATUS_NAMES, candidate_or_404, scope_ids
from web.audit import record, record_listed
from web.guard import find_or_404
from web.store import get_store


class StatusForm(FlaskForm):
    status = HiddenField()
    version = HiddenField()
    submit = SubmitField()


def status_forms(placement: work.PlacementRecord) -> list[tuple[str, StatusForm]]:
    """One small form per status the placement may move to (shown on the profile)."""
    return [
        (to, StatusForm(status=to, version=str(placement.version)))
        for to in work.PLACEMENT_TRANSITIONS.get(placement.status, ())
    ]


@bp.post("/candidates/<candidate_id>/placements/<placement_id>/status")
def placement_status(candidate_id: str, placement_id: str) -> Response:
    candidate_or_404(candidate_id, Action.EDIT)
    find_or_404(Action.EDIT, Label.PLACEMENT, placement_id)
    store = get_store()
    if placement_id not in {p.id for p in work.casework(store, candidate_id).placements}:
        abort(404)
    form = StatusForm()
    if not form.validate_on_submit() or form.status.data not in PLACEMENT_STATUSES:
        abort(400)
    try:
        version = int(form.version.data or "0")
    except ValueError:
        abort(400)
    try:
        work.change_placement_status(
            store, placement_id, form.status.data, expected_version=version
        )
    except Conflict:
        flash(
            _(
                "Jemand hat diese Vermittlung inzwischen geändert. Nichts wurde überschrieben – "
                "bitte prüfen Sie den aktuellen Stand."
            ),
            "error",
        )
    except (InvalidInput, NotFound) as e:
        reason = "; ".join(e.problems) if isinstance(e, InvalidInput) and e.problems else str(e)
        flash(_("Nicht gespeichert: %(reason)s", reason=reason), "error")
    else:
        record(ACTION_UPDATE, Label.PLACEMENT, placement_id, candidate_id, GROUP_CASEWORK)
        flash(
            _("Stand geändert: %(status)s.", status=STATUS_NAMES.get(form.status.data, "")),
            "success",
        )
    return redirect(url_for("advisor.candidate", candidate_id=candidate_id) + "#placements")


@bp.get("/pipeline")
def pipeline() -> str:
    store = get_store()
    by_status: dict[str, list[dict[str, object]]] = {s: [] for s in PLACEMENT_STATUSES}
    for candidate_id in scope_ids(store):
        name = store.get_node(Label.CANDIDATE, candidate_id).props.get("name", candidate_id)
        for p in work.casework(store, candidate_id).placements:
            by_status.setdefault(p.status, []).append(
                {
                    "candidate": candidate_id,
                    "name": name,
                    "offer": p.offer_title,
                    "since": p.history[-1][1] if p.history else None,
                }
            )
    for rows in by_status.values():
        rows.sort(key=lambda r: (str(r["since"] or ""), str(r["name"])), reverse=True)
    record_listed(sorted({str(r["candidate"]) for rows in by_status.values() for r in rows}))
    counts = [(STATUS_NAMES.get(s, s), len(rows)) for s, rows in by_status.items()]
    return render_template(
        "advisor/pipeline.html",
        counts=counts,
        by_status=by_status,
        status_names=STATUS_NAMES,
    )
