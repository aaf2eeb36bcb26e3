"""Employers: their own company and offers, and candidates only under a pseudonym.

Only the landing page so far; offers, fits and "ask for contact" come with issue #5.
"""

from __future__ import annotations

from flask import current_app, render_template

from graph.access import offer_scope
from graph.errors import NotFound
from graph.model import Label
from graph.pseudonyms import pseudonym
from web.guard import audience_blueprint, principal
from web.store import get_store

bp = audience_blueprint("employer", __name__, "/employer", roles=["employer"])


def candidate_pseudonym(company_id: str, candidate_id: str) -> str:
    """How the employer of ``company_id`` sees a candidate (see ``graph.pseudonyms``)."""
    return pseudonym(current_app.config["SECRET_KEY"], company_id, candidate_id)


@bp.get("/")
def index() -> str:
    store = get_store()
    me = principal()
    company = None
    if me.company:
        try:
            company = store.get_node(Label.COMPANY, me.company).props.get("name")
        except NotFound:
            company = me.company
    scope = offer_scope(store, me)
    offers = store.offer_profiles(only_open=False)
    offers = [offer for offer in offers if offer.id in scope]
    return render_template("employer/index.html", company=company, offers=offers)
