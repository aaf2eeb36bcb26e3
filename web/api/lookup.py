"""Reading what the API shows from the store, through the access policy.

Every object a view answers with is fetched here: :func:`visible` asks ``graph.access``
(404 for anything outside the caller's scope, worded as for an id that does not exist),
and the converters turn store records and profiles into the response models.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.access import Action, Resource, require, visible_groups
from graph.audit import (
    ACTION_READ,
    GROUP_HEALTH,
    GROUP_IDENTITY_CONTACT,
    GROUP_MATCHING_PROFILE,
    GROUP_RESIDENCE,
    GROUP_SOCIAL_BENEFIT,
)
from graph.fields import CANDIDATE_FIELDS, redact
from graph.model import CANDIDATE_PERSONAL_PROPERTIES, Label, Rel
from graph.profiles import CandidateProfile, OfferProfile, Place, labels_of
from graph.store import GraphStore
from web.api import schemas
from web.api.problems import BadParameter
from web.audit import record, record_access
from web.guard import principal
from web.store import get_store

__all__ = [
    "candidate_model",
    "candidate_summary",
    "holders",
    "item_labels",
    "offer_model",
    "place_model",
    "visible",
]


def visible(action: Action, label: Label, node_id: str) -> Resource:
    """The resource if the signed-in user may do ``action`` on it; ``NotFound`` (→ 404)
    otherwise. Granted reads of candidate data go to the audit trail (``web.audit``)."""
    resource = require(get_store(), principal(), action, label, node_id)
    record_access(action, resource)
    return resource


def item_labels(store: GraphStore, label: Label, ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """The labels per language of each skill, tool or language id (one query per call)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    found = store.find_items_by_text(label, wanted)
    return {
        item_id: next((labels_of(n.props) for n in found.get(item_id, []) if n.id == item_id), {})
        for item_id in wanted
    }


def holders(store: GraphStore, name: str, label: Label, node_id: str, rel: Rel) -> set[str]:
    """Ids of the candidates joined to one catalogue node by ``rel`` (a town they live in,
    a skill they have …). An id that names nothing is a bad value of parameter ``name``."""
    if not store.existing_ids(label, [node_id]):
        raise BadParameter.one(name, f"there is no {label.lower()} with id {node_id!r}")
    return {
        r.source_id
        for r in store.relationships(label, node_id)
        if r.type == rel and r.source_label == Label.CANDIDATE and r.target_id == node_id
    }


def place_model(place: Place | None) -> schemas.Place | None:
    if place is None:
        return None
    return schemas.Place(id=place.id, name=place.name, lat=place.lat, lon=place.lon)


def candidate_summary(
    profile: CandidateProfile, groups: frozenset[str] | None = None
) -> schemas.CandidateSummary:
    """A list entry; ``groups`` (None: all) leaves out what a share does not open."""
    identity = groups is None or GROUP_IDENTITY_CONTACT in groups
    matching = groups is None or GROUP_MATCHING_PROFILE in groups
    return schemas.CandidateSummary(
        id=profile.id,
        name=profile.name if identity else None,
        town=place_model(profile.town) if matching else None,
        available_from=profile.available_from if matching else None,
    )


_SHOWN_GROUPS = (
    GROUP_MATCHING_PROFILE,
    GROUP_IDENTITY_CONTACT,
    GROUP_RESIDENCE,
    GROUP_SOCIAL_BENEFIT,
    GROUP_HEALTH,
)
_EXTRA_GROUPS = (GROUP_RESIDENCE, GROUP_SOCIAL_BENEFIT, GROUP_HEALTH)


def candidate_model(store: GraphStore, resource: Resource) -> schemas.Candidate:
    """A candidate's profile with the field groups the caller may see
    (``graph.access.visible_groups``): levels with labels and the provenance of each
    skill for the matching profile, and so on; the fields of other groups stay null.
    A read of residence, social/benefit or health data that holds a value is logged
    here (identity and profile by the guard)."""
    groups = visible_groups(principal(), resource)
    shown = [g for g in _SHOWN_GROUPS if g in groups]
    profile = store.candidate_profile(resource.id)
    props = redact(store.get_node(Label.CANDIDATE, resource.id).props, groups)
    for group in _EXTRA_GROUPS:
        if group in groups and any(props.get(f) for f in CANDIDATE_FIELDS[group]):
            record(ACTION_READ, Label.CANDIDATE, resource.id, resource.id, group)
    if GROUP_MATCHING_PROFILE not in groups:
        profile = CandidateProfile(profile.id, profile.name, None, None, {}, {}, {})
    claims = {
        r.target_id: r.props
        for r in store.relationships(Label.CANDIDATE, resource.id)
        if r.type == Rel.HAS_SKILL and r.source_id == resource.id
    }
    skill_labels = item_labels(store, Label.SKILL, profile.skills)
    tool_labels = item_labels(store, Label.TOOL, profile.tools)
    language_labels = item_labels(store, Label.LANGUAGE, profile.languages)
    summary = candidate_summary(profile).model_dump()
    if GROUP_IDENTITY_CONTACT not in groups:
        summary["name"] = None
    personal = {
        name: None if props.get(name) is None else str(props[name])
        for name in CANDIDATE_PERSONAL_PROPERTIES
    }
    return schemas.Candidate(
        **summary,
        groups=shown,
        gender=props.get("gender"),
        birth_year=props.get("birth_year"),
        **personal,
        consent=schemas.Consent(
            profile_sharing=bool(props.get("consent_profile_sharing")),
            contact=bool(props.get("consent_contact")),
        ),
        organizations=sorted(resource.organizations),
        coaches=sorted(resource.coaches),
        skills=[
            schemas.SkillHeld(
                id=skill_id,
                level=level,
                labels=skill_labels.get(skill_id, {}),
                source=claims.get(skill_id, {}).get("source"),
                assessed_at=claims.get(skill_id, {}).get("assessed_at"),
                assessed_by=claims.get(skill_id, {}).get("assessed_by"),
            )
            for skill_id, level in profile.skills.items()
        ],
        tools=[
            schemas.Held(id=tool_id, level=level, labels=tool_labels.get(tool_id, {}))
            for tool_id, level in profile.tools.items()
        ],
        languages=[
            schemas.Held(id=code, level=level, labels=language_labels.get(code, {}))
            for code, level in profile.languages.items()
        ],
    )


def offer_model(offer: OfferProfile) -> schemas.Offer:
    return schemas.Offer(
        id=offer.id,
        title=offer.title,
        kind=offer.kind,
        open=offer.open,
        company=offer.company,
        town=place_model(offer.town),
        occupation=offer.occupation,
        requirements=[
            schemas.Requirement(
                kind=r.kind, id=r.id, level=r.level, essential=r.essential, labels=r.labels
            )
            for r in offer.requirements
        ],
    )
