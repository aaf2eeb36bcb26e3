"""Between world-file entities and the flat records the stores hold.

A world file nests (a course lists what it teaches); a graph store holds nodes with flat
properties and typed relationships. ``encode`` turns one validated entity into its node
and the relationships it owns, each with the JSON path it came from so that a dangling
reference can be reported where it is. ``decode`` does the reverse for a whole export
and emits entities in canonical order (sorted by id, maps sorted by key), which is what
makes export → import → export byte-identical.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graph.model import (
    CANDIDATE_PERSONAL_PROPERTIES,
    LABEL_PROPERTY_PREFIX,
    RELATIONSHIPS,
    Label,
    Rel,
    RelSpec,
)
from graph.records import GraphData, NodeRecord, RelRecord
from graph.world import schema as s

__all__ = ["SECTION_LABELS", "EncodedRel", "decode", "encode"]

SECTION_LABELS: dict[str, Label] = {
    "towns": Label.TOWN,
    "languages": Label.LANGUAGE,
    "skills": Label.SKILL,
    "tools": Label.TOOL,
    "occupations": Label.OCCUPATION,
    "organizations": Label.ORGANIZATION,
    "companies": Label.COMPANY,
    "offers": Label.OFFER,
    "courses": Label.COURSE,
    "candidates": Label.CANDIDATE,
    "coaches": Label.COACH,
    "placements": Label.PLACEMENT,
    "enrolments": Label.ENROLMENT,
}
LABEL_SECTIONS = {label: section for section, label in SECTION_LABELS.items()}

_SPECS: dict[tuple[Label, Rel, Label], RelSpec] = {
    (spec.source, spec.type, spec.target): spec for spec in RELATIONSHIPS
}

_COMPACT = {"compact": True}


@dataclass(frozen=True, slots=True)
class EncodedRel:
    """A relationship and the JSON path (relative to its entity) that declared it."""

    record: RelRecord
    path: str

    @property
    def other_end(self) -> tuple[Label, str]:
        """The end that is *not* the entity being encoded: what must exist."""
        spec = _SPECS[(self.record.source_label, self.record.type, self.record.target_label)]
        if spec.owner == "source":
            return self.record.target_label, self.record.target_id
        return self.record.source_label, self.record.source_id


# --- encode ------------------------------------------------------------------------------


def encode(entity: s.Entity) -> tuple[NodeRecord, list[EncodedRel]]:
    """The node for ``entity`` and the relationships it owns."""
    label = _LABEL_OF_MODEL[type(entity)]
    data = entity.model_dump(mode="python")
    props: dict[str, Any] = {}
    rels = _RelBuilder(label, entity.id)
    _ENCODERS[label](data, props, rels)
    return NodeRecord(label, entity.id, props), rels.out


class _RelBuilder:
    def __init__(self, label: Label, node_id: str) -> None:
        self.label = label
        self.node_id = node_id
        self.out: list[EncodedRel] = []

    def to(self, rel: Rel, target: Label, target_id: str, path: str, **props: Any) -> None:
        """A relationship from this node (the owner) to ``target``."""
        self._add(_SPECS[(self.label, rel, target)], target_id, path, props)

    def from_(self, rel: Rel, source: Label, source_id: str, path: str) -> None:
        """A relationship into this node that this node owns (``POSTS``, ``PROVIDES``)."""
        self._add(_SPECS[(source, rel, self.label)], source_id, path, {})

    def _add(self, spec: RelSpec, other_id: str, path: str, props: dict[str, Any]) -> None:
        clean = {k: v for k, v in props.items() if v is not None}
        if spec.owner == "source":
            record = RelRecord(spec.type, spec.source, self.node_id, spec.target, other_id, clean)
        else:
            record = RelRecord(spec.type, spec.source, other_id, spec.target, self.node_id, clean)
        self.out.append(EncodedRel(record, path))


def _copy(data: dict[str, Any], props: dict[str, Any], *keys: str) -> None:
    for key in keys:
        value = data.get(key)
        if value is not None and value != []:
            props[key] = value


def _labels(data: dict[str, Any], props: dict[str, Any]) -> None:
    for lang, text in data["labels"].items():
        props[LABEL_PROPERTY_PREFIX + lang] = text


def _link(rels: _RelBuilder, rel: Rel, target: Label, data: dict[str, Any], key: str) -> None:
    if data.get(key) is not None:
        rels.to(rel, target, data[key], key)


def _encode_town(data, props, rels) -> None:
    _copy(data, props, "name", "lat", "lon", "drk_point")


def _encode_language(data, props, rels) -> None:
    _labels(data, props)


def _encode_skill(data, props, rels) -> None:
    _labels(data, props)
    _copy(data, props, "kind", "esco_uri")
    for i, broader in enumerate(data["broader"]):
        rels.to(Rel.BROADER, Label.SKILL, broader, f"broader[{i}]")


def _encode_tool(data, props, rels) -> None:
    _labels(data, props)
    _copy(data, props, "category")


def _encode_occupation(data, props, rels) -> None:
    _labels(data, props)
    _copy(data, props, "isco", "kldb", "esco_uri")
    for key, rel in (("essential", Rel.ESSENTIAL_SKILL), ("optional", Rel.OPTIONAL_SKILL)):
        for i, skill in enumerate(data[key]):
            rels.to(rel, Label.SKILL, skill, f"{key}[{i}]")


def _encode_organization(data, props, rels) -> None:
    _copy(data, props, "name", "kind")
    _link(rels, Rel.LOCATED_IN, Label.TOWN, data, "town")


def _encode_company(data, props, rels) -> None:
    _copy(data, props, "name", "sector")
    _link(rels, Rel.LOCATED_IN, Label.TOWN, data, "town")


def _encode_offer(data, props, rels) -> None:
    _copy(data, props, "kind", "title", "kldb", "seats", "open")
    rels.from_(Rel.POSTS, Label.COMPANY, data["company"], "company")
    _link(rels, Rel.LOCATED_IN, Label.TOWN, data, "town")
    _link(rels, Rel.FOR_OCCUPATION, Label.OCCUPATION, data, "occupation")
    requires = data["requires"]
    for kind, rel, target in (
        ("skills", Rel.REQUIRES_SKILL, Label.SKILL),
        ("tools", Rel.REQUIRES_TOOL, Label.TOOL),
    ):
        for item, req in requires[kind].items():
            rels.to(rel, target, item, f"requires.{kind}.{item}", **req)
    for lang, level in requires["languages"].items():
        rels.to(
            Rel.REQUIRES_LANGUAGE, Label.LANGUAGE, lang, f"requires.languages.{lang}", level=level
        )


_COURSE_RELS = {
    "teaches": (Rel.TEACHES_SKILL, Rel.TEACHES_TOOL, Rel.TEACHES_LANGUAGE),
    "requires": (Rel.REQUIRES_SKILL, Rel.REQUIRES_TOOL, Rel.REQUIRES_LANGUAGE),
}
_ITEM_KINDS = (("skills", Label.SKILL), ("tools", Label.TOOL), ("languages", Label.LANGUAGE))


def _encode_course(data, props, rels) -> None:
    _copy(data, props, "title", "kind", "weeks", "hours_per_week", "cost", "funding", "seats")
    if data["starts"]:
        props["starts"] = sorted(data["starts"])
    rels.from_(Rel.PROVIDES, Label.ORGANIZATION, data["provider"], "provider")
    _link(rels, Rel.HELD_IN, Label.TOWN, data, "town")
    for section, rel_types in _COURSE_RELS.items():
        for (kind, target), rel in zip(_ITEM_KINDS, rel_types, strict=True):
            for item, level in data[section][kind].items():
                rels.to(rel, target, item, f"{section}.{kind}.{item}", level=level)


_PERSONAL = CANDIDATE_PERSONAL_PROPERTIES


def _encode_candidate(data, props, rels) -> None:
    _copy(data, props, "name", "gender", "birth_year", "available_from", *_PERSONAL)
    for key, value in data["consent"].items():
        props[f"consent_{key}"] = value
    _link(rels, Rel.LIVES_IN, Label.TOWN, data, "town")
    _link(rels, Rel.REGISTERED_WITH, Label.ORGANIZATION, data, "organization")
    for kind, rel, target in (
        ("skills", Rel.HAS_SKILL, Label.SKILL),
        ("tools", Rel.KNOWS_TOOL, Label.TOOL),
    ):
        for item, claim in data[kind].items():
            rels.to(rel, target, item, f"{kind}.{item}", **claim)
    for lang, level in data["languages"].items():
        rels.to(Rel.SPEAKS, Label.LANGUAGE, lang, f"languages.{lang}", level=level)


def _encode_coach(data, props, rels) -> None:
    _copy(data, props, "name", "capacity")
    _link(rels, Rel.LIVES_IN, Label.TOWN, data, "town")
    for i, lang in enumerate(data["languages"]):
        rels.to(Rel.SPEAKS, Label.LANGUAGE, lang, f"languages[{i}]")
    for i, mentee in enumerate(data["mentees"]):
        rels.to(
            Rel.MENTORS,
            Label.CANDIDATE,
            mentee["candidate"],
            f"mentees[{i}]",
            since=mentee.get("since"),
        )


def _encode_placement(data, props, rels) -> None:
    _copy(data, props, "status")
    if data["history"]:
        props["history_statuses"] = [change["status"] for change in data["history"]]
        props["history_dates"] = [change["date"] for change in data["history"]]
    _link(rels, Rel.OF_CANDIDATE, Label.CANDIDATE, data, "candidate")
    _link(rels, Rel.FOR_OFFER, Label.OFFER, data, "offer")


def _encode_enrolment(data, props, rels) -> None:
    _copy(data, props, "status", "start")
    _link(rels, Rel.OF_CANDIDATE, Label.CANDIDATE, data, "candidate")
    _link(rels, Rel.IN_COURSE, Label.COURSE, data, "course")


_ENCODERS = {
    Label.TOWN: _encode_town,
    Label.LANGUAGE: _encode_language,
    Label.SKILL: _encode_skill,
    Label.TOOL: _encode_tool,
    Label.OCCUPATION: _encode_occupation,
    Label.ORGANIZATION: _encode_organization,
    Label.COMPANY: _encode_company,
    Label.OFFER: _encode_offer,
    Label.COURSE: _encode_course,
    Label.CANDIDATE: _encode_candidate,
    Label.COACH: _encode_coach,
    Label.PLACEMENT: _encode_placement,
    Label.ENROLMENT: _encode_enrolment,
}
_LABEL_OF_MODEL = {s.ENTITY_SECTIONS[section]: label for section, label in SECTION_LABELS.items()}


# --- decode ------------------------------------------------------------------------------


def decode(graph: GraphData) -> dict[str, list[dict[str, Any]]]:
    """World sections (plain JSON-ready dicts, canonical order) from a whole export."""
    owned: dict[tuple[Label, str], list[RelRecord]] = defaultdict(list)
    for rel in graph.relationships:
        spec = _SPECS.get((rel.source_label, rel.type, rel.target_label))
        if spec is None:
            continue  # a relationship outside the model, e.g. added by hand: not ours
        if spec.owner == "source":
            owned[(rel.source_label, rel.source_id)].append(rel)
        else:
            owned[(rel.target_label, rel.target_id)].append(rel)

    sections: dict[str, list[dict[str, Any]]] = {section: [] for section in SECTION_LABELS}
    for node in sorted(graph.nodes, key=lambda n: (n.label, n.id)):
        if node.label not in LABEL_SECTIONS:
            continue  # KldB (own importer) and users (password hashes): not world data
        rels = _OwnedRels(node, owned.get((node.label, node.id), []))
        entity = {"id": node.id, **_DECODERS[node.label](dict(node.props), rels)}
        model = s.ENTITY_SECTIONS[LABEL_SECTIONS[node.label]]
        canonical = model.model_validate(entity).model_dump(mode="json", context=_COMPACT)
        sections[LABEL_SECTIONS[node.label]].append(canonical)
    for entities in sections.values():
        entities.sort(key=lambda e: e["id"])
    return sections


class _OwnedRels:
    """The relationships one node owns, looked up by type and far-end label."""

    def __init__(self, node: NodeRecord, rels: list[RelRecord]) -> None:
        self._node = node
        self._by: dict[tuple[Rel, Label], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        for rel in rels:
            if (rel.source_label, rel.source_id) == (node.label, node.id):
                self._by[(rel.type, rel.target_label)].append((rel.target_id, rel.props))
            else:
                self._by[(rel.type, rel.source_label)].append((rel.source_id, rel.props))
        for items in self._by.values():
            items.sort(key=lambda item: item[0])

    def all(self, rel: Rel, other: Label) -> list[tuple[str, dict[str, Any]]]:
        return self._by.get((rel, other), [])

    def ids(self, rel: Rel, other: Label) -> list[str]:
        return [other_id for other_id, _ in self.all(rel, other)]

    def one(self, rel: Rel, other: Label) -> str | None:
        ids = self.ids(rel, other)
        return ids[0] if ids else None

    def levels(self, rel: Rel, other: Label) -> dict[str, Any]:
        return {other_id: props["level"] for other_id, props in self.all(rel, other)}


def _take_labels(props: dict[str, Any]) -> dict[str, str]:
    return {
        key[len(LABEL_PROPERTY_PREFIX) :]: value
        for key, value in sorted(props.items())
        if key.startswith(LABEL_PROPERTY_PREFIX)
    }


def _decode_town(p, r) -> dict[str, Any]:
    return {k: p[k] for k in ("name", "lat", "lon", "drk_point") if k in p}


def _decode_language(p, r) -> dict[str, Any]:
    return {"labels": _take_labels(p)}


def _decode_skill(p, r) -> dict[str, Any]:
    return {
        "labels": _take_labels(p),
        "kind": p.get("kind", "skill"),
        "esco_uri": p.get("esco_uri"),
        "broader": r.ids(Rel.BROADER, Label.SKILL),
    }


def _decode_tool(p, r) -> dict[str, Any]:
    return {"labels": _take_labels(p), "category": p.get("category")}


def _decode_occupation(p, r) -> dict[str, Any]:
    return {
        "labels": _take_labels(p),
        **{k: p.get(k) for k in ("isco", "kldb", "esco_uri")},
        "essential": r.ids(Rel.ESSENTIAL_SKILL, Label.SKILL),
        "optional": r.ids(Rel.OPTIONAL_SKILL, Label.SKILL),
    }


def _decode_organization(p, r) -> dict[str, Any]:
    return {"name": p.get("name"), "kind": p.get("kind"), "town": r.one(Rel.LOCATED_IN, Label.TOWN)}


def _decode_company(p, r) -> dict[str, Any]:
    return {
        "name": p.get("name"),
        "town": r.one(Rel.LOCATED_IN, Label.TOWN),
        "sector": p.get("sector"),
    }


def _requirements(r: _OwnedRels, rel: Rel, other: Label) -> dict[str, Any]:
    return {
        other_id: {"level": props["level"], "essential": props.get("essential", True)}
        for other_id, props in r.all(rel, other)
    }


def _decode_offer(p, r) -> dict[str, Any]:
    return {
        "company": r.one(Rel.POSTS, Label.COMPANY),
        "kind": p.get("kind"),
        "title": p.get("title"),
        "town": r.one(Rel.LOCATED_IN, Label.TOWN),
        "occupation": r.one(Rel.FOR_OCCUPATION, Label.OCCUPATION),
        "kldb": p.get("kldb"),
        "seats": p.get("seats"),
        "open": p.get("open", True),
        "requires": {
            "skills": _requirements(r, Rel.REQUIRES_SKILL, Label.SKILL),
            "tools": _requirements(r, Rel.REQUIRES_TOOL, Label.TOOL),
            "languages": r.levels(Rel.REQUIRES_LANGUAGE, Label.LANGUAGE),
        },
    }


def _course_items(r: _OwnedRels, section: str) -> dict[str, Any]:
    return {
        kind: r.levels(rel, target)
        for (kind, target), rel in zip(_ITEM_KINDS, _COURSE_RELS[section], strict=True)
    }


def _decode_course(p, r) -> dict[str, Any]:
    return {
        "title": p.get("title"),
        "kind": p.get("kind"),
        "provider": r.one(Rel.PROVIDES, Label.ORGANIZATION),
        "town": r.one(Rel.HELD_IN, Label.TOWN),
        "weeks": p.get("weeks"),
        "hours_per_week": p.get("hours_per_week"),
        "cost": p.get("cost", 0),
        "funding": list(p.get("funding", [])),
        "starts": sorted(p.get("starts", [])),
        "seats": p.get("seats"),
        "teaches": _course_items(r, "teaches"),
        "requires": _course_items(r, "requires"),
    }


def _claims(r: _OwnedRels, rel: Rel, other: Label) -> dict[str, Any]:
    return {other_id: dict(props) for other_id, props in r.all(rel, other)}


def _decode_candidate(p, r) -> dict[str, Any]:
    return {
        "name": p.get("name"),
        "town": r.one(Rel.LIVES_IN, Label.TOWN),
        **{k: p.get(k) for k in ("gender", "birth_year", "available_from")},
        "organization": r.one(Rel.REGISTERED_WITH, Label.ORGANIZATION),
        "consent": {key: p.get(f"consent_{key}", False) for key in s.Consent.model_fields},
        **{k: p.get(k) for k in _PERSONAL},
        "skills": _claims(r, Rel.HAS_SKILL, Label.SKILL),
        "tools": _claims(r, Rel.KNOWS_TOOL, Label.TOOL),
        "languages": r.levels(Rel.SPEAKS, Label.LANGUAGE),
    }


def _decode_coach(p, r) -> dict[str, Any]:
    return {
        "name": p.get("name"),
        "town": r.one(Rel.LIVES_IN, Label.TOWN),
        "capacity": p.get("capacity"),
        "languages": r.ids(Rel.SPEAKS, Label.LANGUAGE),
        "mentees": [
            {"candidate": other_id, "since": props.get("since")}
            for other_id, props in r.all(Rel.MENTORS, Label.CANDIDATE)
        ],
    }


def _decode_placement(p, r) -> dict[str, Any]:
    history = zip(p.get("history_statuses", []), p.get("history_dates", []), strict=True)
    return {
        "candidate": r.one(Rel.OF_CANDIDATE, Label.CANDIDATE),
        "offer": r.one(Rel.FOR_OFFER, Label.OFFER),
        "status": p.get("status"),
        "history": [{"status": status, "date": date} for status, date in history],
    }


def _decode_enrolment(p, r) -> dict[str, Any]:
    return {
        "candidate": r.one(Rel.OF_CANDIDATE, Label.CANDIDATE),
        "course": r.one(Rel.IN_COURSE, Label.COURSE),
        "status": p.get("status"),
        "start": p.get("start"),
    }


_DECODERS = {
    Label.TOWN: _decode_town,
    Label.LANGUAGE: _decode_language,
    Label.SKILL: _decode_skill,
    Label.TOOL: _decode_tool,
    Label.OCCUPATION: _decode_occupation,
    Label.ORGANIZATION: _decode_organization,
    Label.COMPANY: _decode_company,
    Label.OFFER: _decode_offer,
    Label.COURSE: _decode_course,
    Label.CANDIDATE: _decode_candidate,
    Label.COACH: _decode_coach,
    Label.PLACEMENT: _decode_placement,
    Label.ENROLMENT: _decode_enrolment,
}
