"""The dashboard: this year's placements, share of women, by town, by offer kind, open
offers and candidates waiting for a course — each as a chart and as a table with the
same numbers (graph/dashboard.py counts, web/render draws)."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from graph.dashboard import dashboard
from graph.errors import NotFound
from graph.model import Label
from web.advisor import bp
from web.advisor.common import (
    GENDER_NAMES,
    OFFER_KIND_NAMES,
    STATUS_NAMES,
    current_lang,
    inline,
    scope_ids,
)
from web.audit import record_listed
from web.guard import principal
from web.i18n import RTL
from web.render import bar_chart_svg, share_bar_svg
from web.store import get_store

RECENT = 20
"""Candidates listed on the dashboard (by name); the full list is one click away."""


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
    ids = scope_ids(store)
    numbers = dashboard(store, ids)
    first = sorted(store.candidates_by_id(ids), key=lambda c: c.name.casefold())[:RECENT]
    record_listed(c.id for c in first)
    lang = current_lang()
    common = {"labels": _, "locale": lang, "rtl": lang in RTL}
    genders = [(str(GENDER_NAMES[k]), v) for k, v in numbers.by_gender.items()]
    kinds = [(str(OFFER_KIND_NAMES[k]), v) for k, v in numbers.by_kind.items()]
    open_offers = [(str(OFFER_KIND_NAMES[k]), v) for k, v in numbers.open_offers.items()]
    waiting = [(str(STATUS_NAMES[k]), v) for k, v in numbers.waiting_by_status.items()]
    charts = {
        "gender": share_bar_svg(_("Vermittlungen nach Geschlecht"), genders, **common),
        "town": bar_chart_svg(_("Vermittlungen nach Wohnort"), numbers.by_town, **common),
        "kind": bar_chart_svg(_("Vermittlungen nach Art des Angebots"), kinds, **common),
        "open": bar_chart_svg(_("Offene Angebote nach Art"), open_offers, **common),
        "waiting": bar_chart_svg(_("Anmeldungen für Kurse nach Stand"), waiting, **common),
    }
    charts = {name: inline(svg) for name, svg in charts.items()}
    return render_template(
        "advisor/index.html",
        organization=organization,
        candidates=first,
        numbers=numbers,
        charts=charts,
        genders=genders,
        kinds=kinds,
        open_offers=open_offers,
        waiting=waiting,
    )
