"""Reading and writing an employer's company and offers.

Everything a form sends is checked first and every problem reported at once (row and
field named); only then is the offer or company written, as one ``import_graph`` of
the node with the relationships it owns — all-or-nothing on either store. Writing an
offer keeps what the form does not edit (its occupation and KldB code).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.model import CEFR_LEVELS, OFFER_KINDS, Label, Rel
from graph.profiles import labels_of
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore
from web.catalogue import closest, full_list

__all__ = [
    "CompanyValues",
    "OfferDraft",
    "RequirementRow",
    "catalogue_options",
    "closest_items",
    "company_values",
    "existing_rows",
    "label_in",
    "offer_town",
    "resolve_item",
    "save_company",
    "save_offer",
    "town_choices",
    "version_of",
]

_ITEM_RELS = {Label.SKILL: Rel.REQUIRES_SKILL, Label.TOOL: Rel.REQUIRES_TOOL}


def label_in(props: Mapping[str, Any], lang: str, fallback: str) -> str:
    """A catalogue node's label in ``lang``, else German, else English, else ``fallback``."""
    labels = labels_of(dict(props))
    return labels.get(lang) or labels.get("de") or labels.get("en") or fallback


@dataclass(frozen=True)
class CompanyValues:
    """The editable fields of a company, as stored."""

    name: str
    sector: str
    town: str

    def changed(self, other: CompanyValues) -> list[str]:
        """The names of the fields in which ``other`` differs."""
        return [f for f in ("name", "sector", "town") if getattr(self, f) != getattr(other, f)]


def company_values(store: GraphStore, company_id: str) -> CompanyValues:
    node = store.get_node(Label.COMPANY, company_id)
    town = next(
        (
            r.target_id
            for r in store.relationships(Label.COMPANY, company_id)
            if r.type == Rel.LOCATED_IN and r.source_id == company_id
        ),
        "",
    )
    return CompanyValues(
        str(node.props.get("name") or ""), str(node.props.get("sector") or ""), town
    )


def version_of(store: GraphStore, label: Label, node_id: str) -> int:
    """The stored ``version`` of a company or offer (0 before its first versioned save)."""
    return int(store.get_node(label, node_id).props.get("version") or 0)


def save_company(
    store: GraphStore, company_id: str, values: CompanyValues, expected_version: int
) -> None:
    """Write the company node and its town (its offers are theirs: POSTS is left alone)
    as a compare-and-set: ``Conflict`` if someone saved since ``expected_version``."""
    props: dict[str, Any] = {"name": values.name}
    if values.sector:
        props["sector"] = values.sector
    rels = []
    if values.town:
        rels.append(RelRecord(Rel.LOCATED_IN, Label.COMPANY, company_id, Label.TOWN, values.town))
    data = GraphData([NodeRecord(Label.COMPANY, company_id, props)], rels)
    store.save_entity_if_version(Label.COMPANY, company_id, expected_version, data)


@dataclass(frozen=True)
class RequirementRow:
    label: Label
    id: str
    level: int
    essential: bool


@dataclass
class OfferDraft:
    kind: str
    title: str
    seats: int
    open: bool
    town: str
    german: str
    requirements: list[RequirementRow] = field(default_factory=list)


def resolve_item(store: GraphStore, text: str) -> tuple[RequirementRow | None, str | None]:
    """The skill or tool a typed text names (id or label in any language, ignoring
    case), or an error: unknown, or naming several (listed with their ids)."""
    found = []
    for label in (Label.SKILL, Label.TOOL):
        for node in store.find_items_by_text(label, [text]).get(text, []):
            found.append((label, node))
    if not found:
        return None, "unknown"
    if len(found) > 1:
        return None, ", ".join(f"{node.id}" for _, node in found)
    label, node = found[0]
    return RequirementRow(label, node.id, 1, False), None


def save_offer(
    store: GraphStore,
    company_id: str,
    draft: OfferDraft,
    offer_id: str | None = None,
    expected_version: int = 0,
) -> str:
    """Create (``offer_id`` None) or replace one offer of ``company_id``; returns its id.

    A compare-and-set on the offer's ``version``: ``Conflict`` (nothing written) when
    someone saved the offer since ``expected_version``.

    The caller has validated ``draft`` and checked that the offer is the company's.
    """
    if draft.kind not in OFFER_KINDS:
        raise ValueError(f"kind {draft.kind!r} is not one of {', '.join(OFFER_KINDS)}")
    if draft.german and draft.german not in CEFR_LEVELS:
        raise ValueError(f"German level {draft.german!r} is not a CEFR level")
    offer_id = offer_id or f"of-{uuid.uuid4().hex[:16]}"
    props: dict[str, Any] = {
        "kind": draft.kind,
        "title": draft.title,
        "seats": draft.seats,
        "open": draft.open,
    }
    kept: list[RelRecord] = []
    if store.existing_ids(Label.OFFER, [offer_id]):
        old = store.get_node(Label.OFFER, offer_id).props
        if old.get("kldb"):
            props["kldb"] = old["kldb"]
        kept = [
            r
            for r in store.relationships(Label.OFFER, offer_id)
            if r.type == Rel.FOR_OCCUPATION and r.source_id == offer_id
        ]
    node = (Label.OFFER, offer_id)
    rels = [RelRecord(Rel.POSTS, Label.COMPANY, company_id, *node), *kept]
    if draft.town:
        rels.append(RelRecord(Rel.LOCATED_IN, *node, Label.TOWN, draft.town))
    for row in draft.requirements:
        rels.append(
            RelRecord(
                _ITEM_RELS[row.label],
                *node,
                row.label,
                row.id,
                {"level": row.level, "essential": row.essential},
            )
        )
    if draft.german:
        rels.append(
            RelRecord(Rel.REQUIRES_LANGUAGE, *node, Label.LANGUAGE, "de", {"level": draft.german})
        )
    data = GraphData([NodeRecord(*node, props)], rels)
    store.save_entity_if_version(Label.OFFER, offer_id, expected_version, data)
    return offer_id


def catalogue_options(store: GraphStore, lang: str) -> list[str]:
    """The labels a requirement's datalist offers: skills and tools in ``lang`` when the
    catalogue is small (``web.catalogue.FULL_LIST_MAX``); else none, and
    ``static/suggest.js`` fills the datalist while someone types."""
    return full_list(store, (Label.SKILL, Label.TOOL), lang) or []


def closest_items(store: GraphStore, text: str, lang: str) -> list[str]:
    """Skill and tool labels close to a text that names neither, for "Meinten Sie …"."""
    return closest(store, (Label.SKILL, Label.TOOL), text, lang)


def existing_rows(
    store: GraphStore, offer_id: str, lang: str
) -> tuple[list[tuple[str, int, bool]], str]:
    """An offer's requirements as form rows (label text, level, essential) and its German
    level, for the edit form."""
    rows = []
    german = ""
    for rel in store.relationships(Label.OFFER, offer_id):
        if rel.source_id != offer_id:
            continue
        if rel.type == Rel.REQUIRES_LANGUAGE and rel.target_id == "de":
            german = str(rel.props.get("level") or "")
        elif rel.type in (Rel.REQUIRES_SKILL, Rel.REQUIRES_TOOL):
            item = store.get_node(rel.target_label, rel.target_id)
            rows.append(
                (
                    label_in(item.props, lang, item.id),
                    int(rel.props.get("level") or 1),
                    bool(rel.props.get("essential", True)),
                )
            )
    return rows, german


def offer_town(store: GraphStore, offer_id: str) -> str:
    return next(
        (
            r.target_id
            for r in store.relationships(Label.OFFER, offer_id)
            if r.type == Rel.LOCATED_IN and r.source_id == offer_id
        ),
        "",
    )


def town_choices(store: GraphStore) -> list[tuple[str, str]]:
    towns = store.list_nodes(Label.TOWN)
    return sorted(((t.id, str(t.props.get("name") or t.id)) for t in towns), key=lambda c: c[1])
