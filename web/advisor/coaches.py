"""Coaches for one candidate — suggested by shared language, town and free capacity
(``graph.coaching``), assigned with a POST form — and the page "who accompanies whom
after a placement" for the advisor's own candidates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, SubmitField

from graph.access import Action
from graph.audit import ACTION_UPDATE, GROUP_CASEWORK
from graph.coaching import accompaniments, assign_coach, suggest_coaches
from graph.errors import InvalidInput, NotFound
from graph.model import Label
from web.advisor import bp
from web.advisor.common import STATUS_NAMES, Labeller, candidate_or_404, current_lang, scope_ids
from web.audit import record, record_listed
from web.guard import find_or_404
from web.store import get_store


class AssignForm(FlaskForm):
    coach = HiddenField()
    submit = SubmitField()


@bp.get("/candidates/<candidate_id>/coaches")
def coaches(candidate_id: str) -> str:
    candidate_or_404(candidate_id)
    store = get_store()
    label = Labeller(store, current_lang())
    profile = store.candidate_profile(candidate_id)
    rows = [
        {
            "suggestion": s,
            "languages": ", ".join(label(Label.LANGUAGE, code) for code in s.shared_languages),
            "km": None if s.distance_km is None else round(s.distance_km, 1),
            "form": AssignForm(coach=s.coach.id),
        }
        for s in suggest_coaches(store, candidate_id)
    ]
    return render_template("advisor/coaches.html", profile=profile, rows=rows)


@bp.post("/candidates/<candidate_id>/coaches")
def assign(candidate_id: str) -> Response:
    candidate_or_404(candidate_id, Action.PROPOSE)
    form = AssignForm()
    coach_id = form.coach.data or ""
    if not form.validate_on_submit() or not coach_id:
        abort(400)
    find_or_404(Action.VIEW, Label.COACH, coach_id)
    try:
        assign_coach(get_store(), coach_id, candidate_id)
    except (InvalidInput, NotFound) as e:
        reason = "; ".join(e.problems) if isinstance(e, InvalidInput) and e.problems else str(e)
        flash(_("Nicht gespeichert: %(reason)s", reason=reason), "error")
        return redirect(url_for("advisor.coaches", candidate_id=candidate_id))
    record(ACTION_UPDATE, Label.CANDIDATE, candidate_id, candidate_id, GROUP_CASEWORK)
    flash(_("Die Patenschaft wurde eingetragen."), "success")
    return redirect(url_for("advisor.candidate", candidate_id=candidate_id))


@bp.get("/accompaniment")
def accompaniment() -> str:
    store = get_store()
    rows = accompaniments(store, scope_ids(store))
    record_listed(sorted({row.candidate for row in rows}))
    return render_template("advisor/accompaniment.html", rows=rows, status_names=STATUS_NAMES)
