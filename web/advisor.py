"""Advisors (Jobcenter, Agentur, DRK): the candidates of their own organisation.

Only the landing page so far; the candidate, gap, route and placement pages of issue #5
are added to this blueprint.
"""

from __future__ import annotations

from flask import render_template

from graph.access import candidate_scope
from graph.errors import NotFound
from graph.model import Label
from web.guard import audience_blueprint, principal
from web.store import get_store

bp = audience_blueprint("advisor", __name__, "/advisor", roles=["advisor"])


@bp.get("/")
def index() -> str:
    store = get_store()
    me = principal()
    organization = None
    if me.organization:
        try:
            organization = store.get_node(Label.ORGANIZATION, me.organization).props.get("name")
        except NotFound:
            organization = me.organization
    scope = candidate_scope(store, me)
    if scope.is_everything:
        candidates = store.candidate_profiles()
    else:
        candidates = store.candidates_by_id(sorted(scope.ids or ()))
    return render_template("advisor/index.html", organization=organization, candidates=candidates)
