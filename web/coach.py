"""Coaches (volunteers): their own mentees only — each mentee's plan, placements and
contact notes.

A mentee is fetched through ``graph.access`` (another coach's mentee answers 404). The
plan is the training route to the offer of one of the mentee's placements (the current
one unless another is chosen): a coach sees offers only through their mentees'
placements, never the region's whole list. Notes are ``Note`` nodes (``graph.contact``)
that only the mentee's coaches and the advisors of the mentee's organisation can read.
Of the mentee's record a coach sees identity and contact and the matching profile only
(``graph.access.visible_groups``) — never residence, social/benefit or health data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from graph.access import Action, can, candidate_scope, load_resource, visible_groups
from graph.audit import ACTION_CREATE, GROUP_CASEWORK
from graph.contact import NOTE_MAX_CHARS, add_note, notes_of
from graph.fields import redact
from graph.model import PLACEMENT_STATUSES, Label, Rel
from graph.routes import route_for
from web.audit import record, record_listed
from web.guard import audience_blueprint, find_or_404, principal
from web.render import course_info, missing_labels, route_graph_svg, route_view, timeline_svg
from web.store import get_store

bp = audience_blueprint("coach", __name__, "/coach", roles=["coach"])

STATUS_NAMES = {
    "proposed": _l("vorgeschlagen"),
    "contacted": _l("Kontakt aufgenommen"),
    "interview": _l("Vorstellungsgespräch"),
    "internship": _l("Praktikum"),
    "hired": _l("eingestellt"),
    "ended": _l("beendet"),
}
"""The placement pipeline in the order of ``PLACEMENT_STATUSES``."""
assert tuple(STATUS_NAMES) == PLACEMENT_STATUSES


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Neue Notiz"),
        validators=[
            DataRequired(_l("Bitte schreiben Sie etwas in die Notiz.")),
            Length(max=NOTE_MAX_CHARS, message=_l("Höchstens %(max)d Zeichen.")),
        ],
    )
    submit = SubmitField(_l("Notiz speichern"))


def _lang() -> str:
    return str(get_locale())


def _status(status: str) -> str:
    return str(STATUS_NAMES.get(status, status))


@bp.get("/")
def index() -> str:
    store = get_store()
    me = principal()
    scope = candidate_scope(store, me)
    mentees = (
        store.candidate_profiles()
        if scope.is_everything
        else store.candidates_by_id(sorted(scope.ids or ()))
    )
    rows = []
    for mentee in mentees:
        placements = _placements(store, mentee.id)
        current = placements[0] if placements else None
        rows.append({"profile": mentee, "placement": current})
    record_listed(mentee.id for mentee in mentees)
    return render_template("coach/index.html", rows=rows)


def _placements(store: Any, candidate_id: str) -> list[dict[str, Any]]:
    """The candidate's placements the coach may see, the current (latest change) first."""
    me = principal()
    found = []
    for rel in store.relationships(Label.CANDIDATE, candidate_id):
        if rel.type != Rel.OF_CANDIDATE or rel.source_label != Label.PLACEMENT:
            continue
        if not can(me, Action.VIEW, load_resource(store, Label.PLACEMENT, rel.source_id)):
            continue
        props = store.get_node(Label.PLACEMENT, rel.source_id).props
        offer_id = next(
            (
                r.target_id
                for r in store.relationships(Label.PLACEMENT, rel.source_id)
                if r.type == Rel.FOR_OFFER and r.source_id == rel.source_id
            ),
            None,
        )
        offer = store.get_node(Label.OFFER, offer_id).props if offer_id else {}
        history = list(
            zip(props.get("history_statuses") or [], props.get("history_dates") or [], strict=False)
        )
        found.append(
            {
                "id": rel.source_id,
                "status": _status(str(props.get("status", ""))),
                "ended": props.get("status") == "ended",
                "offer_id": offer_id,
                "offer_title": offer.get("title") or offer_id,
                "history": [
                    (_status(s), format_date(_date(d)) if _date(d) else d) for s, d in history
                ],
                "last": max((d for _s, d in history), default=""),
            }
        )
    found.sort(key=lambda p: p["id"])
    found.sort(key=lambda p: p["last"], reverse=True)
    found.sort(key=lambda p: p["ended"])  # stable: open ones first, latest change first
    return found


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return None


@bp.route("/mentees/<candidate_id>", methods=["GET", "POST"])
def mentee(candidate_id: str) -> Response | tuple[str, int] | str:
    store = get_store()
    resource = find_or_404(Action.VIEW, Label.CANDIDATE, candidate_id)
    me = principal()
    groups = visible_groups(me, resource)
    form = NoteForm()
    if request.method == "POST":
        find_or_404(Action.CREATE, Label.CANDIDATE, candidate_id)
        if form.validate_on_submit():
            note = add_note(
                store,
                candidate_id,
                form.text.data,
                author=me.id,
                author_name=_author_name(),
                coach=me.coach,
            )
            record(ACTION_CREATE, Label.NOTE, note.id, candidate_id, GROUP_CASEWORK)
            flash(_("Die Notiz wurde gespeichert."), "success")
            return redirect(url_for(".mentee", candidate_id=candidate_id))
        return _mentee_page(store, candidate_id, form, groups), 400
    return _mentee_page(store, candidate_id, form, groups)


def _author_name() -> str:
    return current_user.display_name


def _mentee_page(store: Any, candidate_id: str, form: NoteForm, groups: frozenset[str]) -> str:
    me = principal()
    props = redact(store.get_node(Label.CANDIDATE, candidate_id).props, groups)
    lang = _lang()
    profile = store.candidate_profile(candidate_id)
    placements = _placements(store, candidate_id)
    offers = [(p["offer_id"], p["offer_title"]) for p in placements if p["offer_id"]]
    chosen = request.args.get("offer")
    if chosen is not None and chosen not in dict(offers):
        abort(404)  # only the offers of the mentee's own placements
    current = next((p for p in placements if not p["ended"] and p["offer_id"]), None)
    offer_id = chosen or (current["offer_id"] if current else (offers[0][0] if offers else None))
    plan = _plan(store, candidate_id, offer_id, dict(offers).get(offer_id, ""), lang, profile.name)
    notes = [
        {
            "text": n.text,
            "author": n.author_name or n.author,
            "when": format_datetime(_when(n.written_at)) if _when(n.written_at) else n.written_at,
        }
        for n in notes_of(store, candidate_id)
        if can(me, Action.VIEW, load_resource(store, Label.NOTE, n.id))
    ]
    languages = [
        (_language_name(store, code, lang), level)
        for code, level in sorted(profile.languages.items())
    ]
    return render_template(
        "coach/mentee.html",
        profile=profile,
        props=props,
        languages=languages,
        placements=placements,
        offers=offers,
        offer_id=offer_id,
        plan=plan,
        notes=notes,
        form=form,
    )


def _when(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _language_name(store: Any, code: str, lang: str) -> str:
    try:
        labels = store.get_node(Label.LANGUAGE, code).props
    except Exception:  # an unknown code is shown as itself
        return code
    return str(labels.get(f"label_{lang}") or labels.get("label_de") or code)


def _plan(
    store: Any, candidate_id: str, offer_id: str | None, offer_title: str, lang: str, name: str
) -> dict[str, Any] | None:
    """The route to ``offer_id`` as pictures and a list (None without an offer)."""
    if offer_id is None:
        return None
    report = route_for(store, candidate_id, offer_id, alternatives=1)
    plan = report.plan
    course_ids = {c for route in [plan.best, *plan.alternatives] if route for c in route.courses}
    courses = {
        c: course_info(store.get_node(Label.COURSE, c), store.relationships(Label.COURSE, c))
        for c in sorted(course_ids)
    }
    rtl = lang in ("ar", "fa")
    view = route_view(
        plan,
        courses,
        name,
        offer_title,
        _,
        missing=missing_labels(report.gap, lang),
        locale=lang,
    )
    best = plan.best
    timeline = ""
    if best is not None and best.courses:
        timeline = timeline_svg(
            best.schedule,
            report.start,
            best.ready_date,
            titles={c: info.title for c, info in courses.items()},
            labels=_,
            locale=lang,
            rtl=rtl,
        )
    steps = []
    if best is not None:
        for item in best.schedule:
            steps.append(
                (courses[item.course].title, format_date(item.start), format_date(item.end))
            )
    return {
        "picture": route_graph_svg(view, rtl=rtl),
        "timeline": timeline,
        "steps": steps,
        "feasible": plan.feasible,
        "ready": best is not None and not best.courses,
        "weeks": best.total_weeks if best else None,
        "ready_date": format_date(best.ready_date) if best and best.ready_date else "",
    }
