"""The interpreter view: a candidate's profile, gap and route with every label in German
and in the candidate's language side by side (``?lang=xx``; by default the language the
candidate speaks best other than German). Where the taxonomy has no label in that
language the German one is shown and marked."""

from __future__ import annotations

from flask import render_template, request

from graph.access import Action
from graph.gap import skill_gap
from graph.model import CEFR_LEVELS, Label
from graph.planning.planner import RouteSearchTooLarge
from graph.routes import route_for
from web.advisor import bp
from web.advisor.casework import _offer_or_404
from web.advisor.common import Labeller, candidate_or_404, current_lang, pick
from web.guard import find_or_404
from web.render import course_info
from web.store import get_store


def _pair(labels: dict[str, str], lang: str, fallback: str) -> dict[str, object]:
    return {
        "de": pick(labels, "de", fallback),
        "other": pick(labels, lang, fallback),
        "translated": lang in labels,
    }


@bp.get("/candidates/<candidate_id>/interpreter")
def interpreter(candidate_id: str) -> str:
    candidate_or_404(candidate_id)
    store = get_store()
    profile = store.candidate_profile(candidate_id)
    spoken = sorted(
        (lid for lid in profile.languages if lid != "de"),
        key=lambda lid: (
            -CEFR_LEVELS.index(profile.languages[lid])
            if profile.languages[lid] in CEFR_LEVELS
            else 0
        ),
    )
    lang = request.args.get("lang") or (spoken[0] if spoken else current_lang())
    label = Labeller(store, lang)
    names = {lid: _pair(label.labels(Label.LANGUAGE, lid), lang, lid) for lid in spoken}
    skills = [
        {**_pair(label.labels(Label.SKILL, i), lang, i), "level": level}
        for i, level in profile.skills.items()
    ]
    tools = [
        {**_pair(label.labels(Label.TOOL, i), lang, i), "level": level}
        for i, level in profile.tools.items()
    ]
    languages = [
        {**_pair(label.labels(Label.LANGUAGE, i), lang, i), "level": level}
        for i, level in profile.languages.items()
    ]
    offer_id = request.args.get("offer", "")
    offer = gap_rows = route_rows = None
    if offer_id:
        _offer_or_404(offer_id)
        offer = store.offer_profile(offer_id)
        gap = skill_gap(profile, offer)
        gap_rows = [
            {
                **_pair(line.labels, lang, line.id),
                "required": line.required,
                "current": line.current,
                "met": line.met,
                "essential": line.essential,
            }
            for line in gap.lines
        ]
        missing = {(ln.kind, ln.id): ln.labels for ln in gap.missing_essential}
        try:
            report = route_for(store, candidate_id, offer_id, alternatives=0)
        except RouteSearchTooLarge:
            report = None
        route_rows = []
        best = report.plan.best if report else None
        for course_id in best.courses if best else ():
            find_or_404(Action.VIEW, Label.COURSE, course_id)
            info = course_info(
                store.get_node(Label.COURSE, course_id),
                store.relationships(Label.COURSE, course_id),
            )
            closes = [
                _pair(missing[item], lang, item[1]) for item in info.teaches if item in missing
            ]
            route_rows.append({"title": info.title, "weeks": info.weeks, "closes": closes})
    offers = sorted(store.offer_profiles(only_open=True), key=lambda o: o.title.casefold())
    return render_template(
        "advisor/interpreter.html",
        profile=profile,
        other=lang,
        names=names,
        other_name=pick(label.labels(Label.LANGUAGE, lang), lang, lang),
        skills=skills,
        tools=tools,
        languages=languages,
        offer=offer,
        offers=offers,
        gap_rows=gap_rows,
        route_rows=route_rows,
    )
