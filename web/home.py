"""The public start page: what is in the graph (the audience pages have their own
blueprints), and the health check for load balancers."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from graph.model import Label
from web.store import get_store

bp = Blueprint("home", __name__)

LABEL_NAMES = {
    Label.TOWN: _l("Orte"),
    Label.LANGUAGE: _l("Sprachen"),
    Label.SKILL: _l("Fähigkeiten"),
    Label.TOOL: _l("Maschinen und Werkzeuge"),
    Label.OCCUPATION: _l("Berufe"),
    Label.ORGANIZATION: _l("Organisationen"),
    Label.COMPANY: _l("Unternehmen"),
    Label.OFFER: _l("Angebote"),
    Label.COURSE: _l("Kurse"),
    Label.CANDIDATE: _l("Bewerberinnen und Bewerber"),
    Label.COACH: _l("Patinnen und Paten"),
    Label.PLACEMENT: _l("Vermittlungen"),
    Label.ENROLMENT: _l("Kursanmeldungen"),
    Label.KLDB_CLASS: _l("KldB-Berufsklassen"),
}
"""Node kinds shown on the start page; users are not counted in public."""


@bp.get("/")
def index() -> str:
    store = get_store()
    rows = [
        (LABEL_NAMES[label], str(label), n)
        for label, n in store.counts().items()
        if label in LABEL_NAMES
    ]
    return render_template("home/index.html", rows=rows, store_kind=store.kind)


@bp.get("/healthz")
def health() -> Response:
    store = get_store()
    return jsonify(status="ok", store=store.kind, nodes=sum(store.counts().values()))
