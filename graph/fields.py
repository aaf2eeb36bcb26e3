"""Which part of a candidate's record belongs to which field group — declared once.

A candidate's data is split into field groups (``graph.audit.FIELD_GROUPS``), and who may
see which group is decided in one place, ``graph.access.visible_groups``. This module
says what each group *holds*: which properties of the ``Candidate`` node, which of its
relationship types, and which nodes about the candidate. Views, the API and the audit
trail ask here instead of keeping lists of their own, so a new property is placed in a
group once and every view honours it.

- matching profile: where the candidate lives (``LIVES_IN``), skills, tools, languages,
  and from when they are available;
- identity and contact: name, gender, birth year, e-mail, phone, street address;
- residence: nationality, residence status and until when it is granted;
- social/benefit: the benefit drawn, its file number, and case notes (``Note`` nodes);
- health: health notes and special needs (a GDPR special category).

Bookkeeping that is no personal data of the candidate (``id``, ``version``, the consent
flags that decide access) belongs to no group and is always kept by :func:`redact`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graph.audit import (
    GROUP_CASEWORK,
    GROUP_HEALTH,
    GROUP_IDENTITY_CONTACT,
    GROUP_MATCHING_PROFILE,
    GROUP_RESIDENCE,
    GROUP_SOCIAL_BENEFIT,
)
from graph.model import NODE_PROPERTIES, Label, Rel

__all__ = [
    "CANDIDATE_FIELDS",
    "CANDIDATE_RELATIONSHIPS",
    "GROUP_OF_LABEL",
    "UNGROUPED",
    "group_of_property",
    "group_of_relationship",
    "redact",
    "visible_properties",
]

CANDIDATE_FIELDS: Mapping[str, tuple[str, ...]] = {
    GROUP_MATCHING_PROFILE: ("available_from",),
    GROUP_IDENTITY_CONTACT: ("name", "gender", "birth_year", "email", "phone", "street"),
    GROUP_RESIDENCE: ("nationality", "residence_status", "residence_until"),
    GROUP_SOCIAL_BENEFIT: ("benefit", "benefit_number"),
    GROUP_HEALTH: ("health_notes", "special_needs"),
}
"""The ``Candidate`` node properties of each field group."""

CANDIDATE_RELATIONSHIPS: Mapping[str, tuple[Rel, ...]] = {
    GROUP_MATCHING_PROFILE: (Rel.LIVES_IN, Rel.HAS_SKILL, Rel.KNOWS_TOOL, Rel.SPEAKS),
}
"""The relationship types of a candidate that carry a field group's data."""

GROUP_OF_LABEL: Mapping[Label, str] = {
    Label.NOTE: GROUP_CASEWORK,
}
"""Nodes about a candidate that belong to a field group as a whole. A ``Note`` is a
coach's contact note: casework (with placements and enrolments), which the coach who
accompanies the person keeps — not the Jobcenter's social/benefit file."""

UNGROUPED: frozenset[str] = frozenset(
    {"id", "version", "consent_profile_sharing", "consent_contact"}
)
"""Candidate properties that are no personal data: ids, the edit counter, and the
consent flags the policy itself reads. Kept by :func:`redact` whatever the groups."""

_GROUP_OF_PROPERTY = {name: group for group, names in CANDIDATE_FIELDS.items() for name in names}
_GROUP_OF_REL = {rel: group for group, rels in CANDIDATE_RELATIONSHIPS.items() for rel in rels}

# Every candidate property is declared exactly once: in a group or as bookkeeping.
_declared = [name for names in CANDIDATE_FIELDS.values() for name in names] + sorted(UNGROUPED)
assert sorted(_declared) == sorted(NODE_PROPERTIES[Label.CANDIDATE]), "graph.fields is stale"
del _declared


def group_of_property(name: str) -> str | None:
    """The field group of a candidate property (None for bookkeeping and unknown names)."""
    return _GROUP_OF_PROPERTY.get(name)


def group_of_relationship(rel: Rel | str) -> str | None:
    """The field group a candidate relationship type carries (None: no personal data of a
    group, e.g. ``REGISTERED_WITH`` or ``MENTORS``, which the policy itself reads)."""
    try:
        return _GROUP_OF_REL.get(Rel(rel))
    except ValueError:
        return None


def visible_properties(groups: Iterable[str]) -> frozenset[str]:
    """The candidate property names someone who may see ``groups`` sees (bookkeeping
    included)."""
    wanted = set(groups)
    return UNGROUPED | frozenset(
        name for group, names in CANDIDATE_FIELDS.items() if group in wanted for name in names
    )


def redact(props: Mapping[str, Any], groups: Iterable[str]) -> dict[str, Any]:
    """``props`` of a candidate with only what ``groups`` open (and the bookkeeping).

    An unknown property is dropped too: what is not declared is not shown — a property
    added to the model without a group fails the check at import of this module."""
    keep = visible_properties(groups)
    return {name: value for name, value in props.items() if name in keep}
