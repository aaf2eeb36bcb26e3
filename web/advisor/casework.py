"""For one candidate: the matching offers with their explanations, the skill gap for one
offer, the training route as a picture and a timeline (with the alternatives), and the
two writes — propose to an offer, enrol in a course — as POST forms with CSRF."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from graph import casework as work
from graph.access import Action
from graph.audit import ACTION_CREATE, GROUP_CASEWORK
from graph.errors import InvalidInput, NotFound
from graph.gap import skill_gap
from graph.matching import MatchFilters, match_offers
from graph.model import Label
from graph.planning.planner import RouteSearchTooLarge
from graph.routes import report_for_profiles
from web.advisor import bp
from web.advisor.common import (
    KIND_NAMES,
    OFFER_KIND_NAMES,
    EnrolForm,
    ProposeForm,
    candidate_or_404,
    current_lang,
    inline,
    pick,
)
from web.audit import record
from web.guard import find_or_404
from web.i18n import RTL
from web.render import CourseInfo, missing_labels, route_graph_svg, route_view, timeline_svg
from web.store import get_store

MAX_ALTERNATIVES = 5


def _offer_or_404(offer_id: str) -> None:
    find_or_404(Action.VIEW, Label.OFFER, offer_id)


def gap_rows(gap, lang: str) -> list[dict[str, object]]:
    """The gap lines as the templates show them (labels in ``lang``)."""
    return [
        {
            "kind": KIND_NAMES[line.kind],
            "label": pick(line.labels, lang, line.id),
            "required": line.required,
            "current": line.current,
            "essential": line.essential,
            "met": line.met,
        }
        for line in gap.lines
    ]


@bp.get("/candidates/<candidate_id>/offers")
def offers(candidate_id: str) -> str:
    candidate_or_404(candidate_id)
    store = get_store()
    lang = current_lang()
    kind = request.args.get("kind", "")

    filters = MatchFilters(kind=kind if kind in OFFER_KIND_NAMES else None)
    matches = match_offers(store, candidate_id, filters, limit=20)
    rows = []
    for m in matches:
        essential_met, essential_total = m.gap.coverage(essential=True)
        rows.append(
            {
                "offer": m.offer,
                "kind": OFFER_KIND_NAMES.get(m.offer.kind, m.offer.kind),
                "fit": m.fit,
                "essential": f"{essential_met}/{essential_total}",
                "missing": [pick(line.labels, lang, line.id) for line in m.gap.missing_essential],
                "weeks": None if m.weeks_needed == float("inf") else m.weeks_needed,
                "ready": m.ready_date,
                "km": None if m.distance_km is None else round(m.distance_km, 1),
            }
        )
    profile = store.candidate_profile(candidate_id)
    return render_template(
        "advisor/offers.html",
        profile=profile,
        rows=rows,
        kind=kind,
        kinds=list(OFFER_KIND_NAMES.items()),
    )


@bp.get("/candidates/<candidate_id>/offers/<offer_id>/gap")
def gap(candidate_id: str, offer_id: str) -> str:
    candidate_or_404(candidate_id)
    _offer_or_404(offer_id)
    store = get_store()
    lang = current_lang()
    profile = store.candidate_profile(candidate_id)
    offer = store.offer_profile(offer_id)
    result = skill_gap(profile, offer)
    return render_template(
        "advisor/gap.html",
        profile=profile,
        offer=offer,
        gap=result,
        rows=gap_rows(result, lang),
        advice=[pick(s.labels, lang, s.id) for s in result.occupation_skills_missing],
        propose_form=ProposeForm(offer=offer_id),
    )


@bp.get("/candidates/<candidate_id>/offers/<offer_id>/route")
def route(candidate_id: str, offer_id: str) -> str:
    candidate_or_404(candidate_id)
    _offer_or_404(offer_id)
    store = get_store()
    lang = current_lang()
    objective = request.args.get("objective", "weeks")
    if objective not in ("weeks", "ready_date"):
        objective = "weeks"
    try:
        start = dt.date.fromisoformat(request.args.get("from", ""))
    except ValueError:
        start = dt.date.today()
    alternatives = min(max(request.args.get("alternatives", 2, type=int) or 0, 0), MAX_ALTERNATIVES)
    profile = store.candidate_profile(candidate_id)
    offer = store.offer_profile(offer_id)
    try:
        report = report_for_profiles(
            store,
            profile,
            offer,
            objective=objective,  # type: ignore[arg-type]
            start=start,
            alternatives=alternatives,
        )
    except RouteSearchTooLarge:
        report = None
    routes, picture, timeline, titles = [], "", "", {}
    if report is not None:
        plan = report.plan
        routes = [r for r in (plan.best, *plan.alternatives) if r is not None]
        ids = sorted({c for r in routes for c in r.courses})
        nodes = store.get_nodes(Label.COURSE, ids)
        options = {option.id: option for option in report.courses}
        infos = {
            c: CourseInfo(
                c,
                str(nodes[c].props.get("title") or c) if c in nodes else c,
                options[c].weeks,
                options[c].teaches,
                options[c].requires,
            )
            for c in ids
        }
        titles = {c: info.title for c, info in infos.items()}
        view = route_view(
            plan,
            infos,
            profile.name,
            offer.title,
            _,
            missing=missing_labels(report.gap, lang),
            locale=lang,
        )
        picture = inline(route_graph_svg(view, rtl=lang in RTL))
        if plan.best is not None and plan.best.schedule:
            timeline = inline(
                timeline_svg(
                    plan.best.schedule,
                    start,
                    plan.best.ready_date,
                    titles=titles,
                    labels=_,
                    locale=lang,
                    rtl=lang in RTL,
                )
            )
    enrol_forms = {}
    if routes:
        for step in routes[0].schedule:
            enrol_forms[step.course] = EnrolForm(course=step.course, start=step.start.isoformat())
    return render_template(
        "advisor/route.html",
        profile=profile,
        offer=offer,
        report=report,
        routes=routes,
        titles=titles,
        picture=picture,
        timeline=timeline,
        objective=objective,
        start=start,
        alternatives=alternatives,
        max_alternatives=MAX_ALTERNATIVES,
        unreachable=[
            pick(
                next((ln.labels for ln in report.gap.lines if (ln.kind, ln.id) == u.item), {}),
                lang,
                u.item[1],
            )
            for u in (report.plan.unreachable if report else ())
        ],
        enrol_forms=enrol_forms,
        propose_form=ProposeForm(offer=offer_id),
    )


@bp.post("/candidates/<candidate_id>/propose")
def propose(candidate_id: str) -> Response:
    candidate_or_404(candidate_id, Action.PROPOSE)
    form = ProposeForm()
    offer_id = form.offer.data or ""
    if not form.validate_on_submit() or not offer_id:
        abort(400)
    _offer_or_404(offer_id)
    try:
        placement = work.propose(get_store(), candidate_id, offer_id)
    except (InvalidInput, NotFound) as e:
        flash(_("Nicht gespeichert: %(reason)s", reason=_reason(e)), "error")
        return redirect(url_for("advisor.gap", candidate_id=candidate_id, offer_id=offer_id))
    record(ACTION_CREATE, Label.PLACEMENT, placement, candidate_id, GROUP_CASEWORK)
    flash(_("Für das Angebot vorgeschlagen."), "success")
    return redirect(url_for("advisor.candidate", candidate_id=candidate_id))


@bp.post("/candidates/<candidate_id>/enrol")
def enrol(candidate_id: str) -> Response:
    candidate_or_404(candidate_id, Action.PROPOSE)
    form = EnrolForm()
    course_id = form.course.data or ""
    if not form.validate_on_submit() or not course_id:
        abort(400)
    find_or_404(Action.VIEW, Label.COURSE, course_id)
    try:
        start = dt.date.fromisoformat(form.start.data) if form.start.data else None
    except ValueError:
        abort(400)
    try:
        enrolment = work.enrol(get_store(), candidate_id, course_id, start=start)
    except (InvalidInput, NotFound) as e:
        flash(_("Nicht gespeichert: %(reason)s", reason=_reason(e)), "error")
    else:
        record(ACTION_CREATE, Label.ENROLMENT, enrolment, candidate_id, GROUP_CASEWORK)
        flash(_("Für den Kurs angemeldet."), "success")
    return redirect(url_for("advisor.candidate", candidate_id=candidate_id))


def _reason(error: Exception) -> str:
    if isinstance(error, InvalidInput) and error.problems:
        return "; ".join(error.problems)
    return str(error)
