"""Organisations as the graph has them, with the users each one has."""

from __future__ import annotations

from flask import abort, render_template

from graph.errors import NotFound
from graph.model import Label, Rel
from web.admin.blueprint import bp, node_name
from web.store import get_store


@bp.get("/organisations")
def organisations() -> str:
    store = get_store()
    users = store.list_users()
    rows = [
        (node, sum(1 for u in users if u.organization == node.id))
        for node in store.list_nodes(Label.ORGANIZATION)
    ]
    return render_template("admin/organisations.html", rows=rows)


@bp.get("/organisations/<org_id>")
def organisation(org_id: str) -> str:
    store = get_store()
    try:
        node = store.get_node(Label.ORGANIZATION, org_id)
    except NotFound:
        abort(404)
    rels = store.relationships(Label.ORGANIZATION, org_id)
    towns = [r.target_id for r in rels if r.type == Rel.LOCATED_IN]
    town_names = [
        node_name(Label.TOWN, store.get_node(Label.TOWN, t).props, t) for t in towns
    ]
    courses = [
        store.get_node(Label.COURSE, r.target_id) for r in rels if r.type == Rel.PROVIDES
    ]
    candidates = sum(1 for r in rels if r.type == Rel.REGISTERED_WITH)
    users = [u for u in store.list_users() if u.organization == org_id]
    return render_template(
        "admin/organisation.html",
        node=node,
        towns=town_names,
        courses=courses,
        candidates=candidates,
        users=users,
    )
