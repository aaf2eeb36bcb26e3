"""Browsing the taxonomy: skills, tools, occupations and KldB classes.

Search matches the labels in every language (the chosen language ranks first), ids and
ESCO URIs. A node's page shows its labels in all languages and its neighbours: broader
and narrower skills, an occupation's essential and optional skills, the occupations that
need a skill, and the KldB 2010 mapping (``store.skills_for_kldb``).
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request

from graph.errors import InvalidInput, NotFound
from graph.model import LABEL_PROPERTY_PREFIX, Label, Rel
from graph.records import NodeRecord
from graph.store import GraphStore
from web.admin.blueprint import bp, lang, node_name
from web.i18n import LANGUAGES
from web.store import get_store

__all__ = ["KINDS", "search_nodes"]

KINDS: dict[str, Label] = {
    "skill": Label.SKILL,
    "tool": Label.TOOL,
    "occupation": Label.OCCUPATION,
    "kldb": Label.KLDB_CLASS,
}
SHOWN = 50
SCAN = 500_000
"""Nodes read per search: a full ESCO has about 14 000 skills and 3 000 occupations."""


def _texts(node: NodeRecord) -> list[str]:
    props = node.props
    texts = [node.id, str(props.get("esco_uri") or ""), str(props.get("code") or "")]
    texts += [str(v) for k, v in props.items() if k.startswith(LABEL_PROPERTY_PREFIX)]
    texts += [str(t) for t in props.get("titles") or []]
    return [t.lower() for t in texts if t]


def search_nodes(store: GraphStore, label: Label, query: str, language: str) -> list[NodeRecord]:
    """Nodes whose id, URI, code or any label contains ``query`` (ignoring case); those
    whose label in ``language`` starts with it first, then by that label."""
    needle = query.strip().lower()
    if not needle:
        return []
    own = f"{LABEL_PROPERTY_PREFIX}{language}"
    found = [n for n in store.list_nodes(label, limit=SCAN) if any(needle in t for t in _texts(n))]

    def rank(node: NodeRecord) -> tuple[int, str]:
        label_text = str(node.props.get(own) or node.props.get("label_de") or "").lower()
        exact = needle in (node.id.lower(), str(node.props.get("esco_uri") or "").lower())
        return (0 if exact else 1 if label_text.startswith(needle) else 2, label_text)

    return sorted(found, key=rank)[:SHOWN]


@bp.get("/taxonomy")
def taxonomy() -> str:
    store = get_store()
    kind = request.args.get("kind", "skill")
    if kind not in KINDS:
        kind = "skill"
    query = request.args.get("q", "").strip()[:200]
    results = search_nodes(store, KINDS[kind], query, lang()) if query else []
    code = request.args.get("kldb", "").strip()[:20]
    kldb_skills, kldb_error = [], None
    if code:
        try:
            kldb_skills = store.skills_for_kldb(code)
        except InvalidInput:
            kldb_error = code
    return render_template(
        "admin/taxonomy.html",
        kind=kind,
        query=query,
        results=[(n, node_name(KINDS[kind], n.props, n.id)) for n in results],
        code=code,
        kldb_skills=[(s.id, _pick(s.labels, s.id)) for s in kldb_skills],
        kldb_error=kldb_error,
    )


def _pick(labels: dict[str, str], fallback: str) -> str:
    return labels.get(lang()) or labels.get("de") or labels.get("en") or fallback


def _named(store: GraphStore, label: Label, ids: list[str]) -> list[tuple[str, str]]:
    named = []
    for node_id in ids:
        try:
            node = store.get_node(label, node_id)
        except NotFound:
            continue
        named.append((node_id, node_name(label, node.props, node_id)))
    return sorted(named, key=lambda pair: pair[1].lower())


def _neighbours(store: GraphStore, label: Label, node_id: str) -> dict[str, Any]:
    rels = store.relationships(label, node_id)

    def out(rel: Rel, target: Label) -> list[str]:
        return [
            r.target_id
            for r in rels
            if r.type == rel and r.source_id == node_id and r.target_label == target
            and r.source_label == label
        ]

    def into(rel: Rel, source: Label) -> list[str]:
        return [
            r.source_id
            for r in rels
            if r.type == rel and r.target_id == node_id and r.source_label == source
            and r.target_label == label
        ]

    sections: dict[str, Any] = {}
    if label == Label.SKILL:
        sections["broader"] = ("skill", _named(store, Label.SKILL, out(Rel.BROADER, Label.SKILL)))
        sections["narrower"] = ("skill", _named(store, Label.SKILL, into(Rel.BROADER, Label.SKILL)))
        sections["essential_for"] = (
            "occupation",
            _named(store, Label.OCCUPATION, into(Rel.ESSENTIAL_SKILL, Label.OCCUPATION)),
        )
        sections["optional_for"] = (
            "occupation",
            _named(store, Label.OCCUPATION, into(Rel.OPTIONAL_SKILL, Label.OCCUPATION)),
        )
    elif label == Label.OCCUPATION:
        sections["essential"] = (
            "skill", _named(store, Label.SKILL, out(Rel.ESSENTIAL_SKILL, Label.SKILL))
        )
        sections["optional"] = (
            "skill", _named(store, Label.SKILL, out(Rel.OPTIONAL_SKILL, Label.SKILL))
        )
        sections["kldb"] = (
            "kldb", _named(store, Label.KLDB_CLASS, into(Rel.MAPS_TO, Label.KLDB_CLASS))
        )
    elif label == Label.KLDB_CLASS:
        sections["maps_to"] = (
            "occupation", _named(store, Label.OCCUPATION, out(Rel.MAPS_TO, Label.OCCUPATION))
        )
        sections["broader"] = (
            "kldb", _named(store, Label.KLDB_CLASS, out(Rel.BROADER, Label.KLDB_CLASS))
        )
        sections["narrower"] = (
            "kldb", _named(store, Label.KLDB_CLASS, into(Rel.BROADER, Label.KLDB_CLASS))
        )
    return sections


@bp.get("/taxonomy/<kind>/<path:node_id>")
def taxonomy_node(kind: str, node_id: str) -> str:
    if kind not in KINDS:
        abort(404)
    store = get_store()
    label = KINDS[kind]
    try:
        node = store.get_node(label, node_id)
    except NotFound:
        abort(404)
    labels = [
        (code, name, node.props.get(f"{LABEL_PROPERTY_PREFIX}{code}"))
        for code, name in LANGUAGES.items()
    ]
    others = sorted(
        (k.removeprefix(LABEL_PROPERTY_PREFIX), v)
        for k, v in node.props.items()
        if k.startswith(LABEL_PROPERTY_PREFIX)
        and k.removeprefix(LABEL_PROPERTY_PREFIX) not in LANGUAGES
    )
    properties = sorted(
        (k, v) for k, v in node.props.items() if not k.startswith(LABEL_PROPERTY_PREFIX)
    )
    code = node.props.get("kldb") if label == Label.OCCUPATION else node.props.get("code")
    kldb_skills = []
    if code:
        try:
            kldb_skills = [(s.id, _pick(s.labels, s.id)) for s in store.skills_for_kldb(str(code))]
        except InvalidInput:
            kldb_skills = []
    return render_template(
        "admin/taxonomy_node.html",
        kind=kind,
        node=node,
        name=node_name(label, node.props, node.id),
        labels=labels,
        other_labels=others,
        properties=properties,
        sections=_neighbours(store, label, node_id),
        code=code,
        kldb_skills=kldb_skills,
    )
