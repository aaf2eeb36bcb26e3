"""The landing page: what is in the graph (the audience pages come with their own
blueprints)."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from graph.model import Label
from web.store import get_store

bp = Blueprint("home", __name__)

LABEL_NAMES_DE = {
    Label.TOWN: "Orte",
    Label.LANGUAGE: "Sprachen",
    Label.SKILL: "Fähigkeiten",
    Label.TOOL: "Maschinen und Werkzeuge",
    Label.OCCUPATION: "Berufe",
    Label.ORGANIZATION: "Organisationen",
    Label.COMPANY: "Unternehmen",
    Label.OFFER: "Angebote",
    Label.COURSE: "Kurse",
    Label.CANDIDATE: "Bewerberinnen und Bewerber",
    Label.COACH: "Patinnen und Paten",
    Label.PLACEMENT: "Vermittlungen",
    Label.ENROLMENT: "Kursanmeldungen",
    Label.KLDB_CLASS: "KldB-Berufsklassen",
}


@bp.get("/")
def index() -> str:
    store = get_store()
    rows = [(LABEL_NAMES_DE[label], str(label), n) for label, n in store.counts().items()]
    return render_template("home/index.html", rows=rows, store_kind=store.kind)


@bp.get("/healthz")
def health():
    store = get_store()
    return jsonify(status="ok", store=store.kind, nodes=sum(store.counts().values()))
