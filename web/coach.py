"""Coaches (volunteers): their own mentees only.

Only the landing page so far; plans, placements and contact notes come with issue #5.
"""

from __future__ import annotations

from flask import render_template

from graph.access import candidate_scope
from web.guard import audience_blueprint, principal
from web.store import get_store

bp = audience_blueprint("coach", __name__, "/coach", roles=["coach"])


@bp.get("/")
def index() -> str:
    store = get_store()
    scope = candidate_scope(store, principal())
    mentees = (
        store.candidate_profiles()
        if scope.is_everything
        else store.candidates_by_id(sorted(scope.ids or ()))
    )
    return render_template("coach/index.html", mentees=mentees)
