"""Who may do what: the one policy every page and API call of Wegweiser asks.

``can(principal, action, resource)`` is pure — no Flask, no store — so the whole policy
can be read in one place and tested as a table. A ``Resource`` carries the facts the
policy needs about one object (which organisation a candidate is registered with, which
coach mentors them, which company posts an offer); :func:`load_resource` reads those
facts from a store. The scope helpers answer the list question ("which candidates may
this advisor see?") with the same rules, so a list never shows what a detail page would
refuse. Views answer 404, never 403, for an object outside the scope: an id from another
organisation must not even be confirmed to exist.

The rules (DESIGN.md, "Who uses it, for what"):

- admin: everything.
- advisor: the candidates registered with their organisation, with their placements and
  enrolments; the shared catalogue (offers, companies, courses, coaches, taxonomy).
- advisor of an organisation a candidate is shared with (``Rel.SHARED_WITH``, see
  ``graph.sharing``), while the share is valid (not revoked, ``until`` today or later):
  may see the candidate with placements and enrolments and propose them (offers,
  courses, coaches) — not edit them, not write below them, not read their notes or
  contact requests, and not share them on. An expired or revoked share is no share.
- employer: their own company and its offers; candidates only pseudonymised and only
  with the candidate's consent to profile sharing; the catalogue to pick requirements.
- coach: their own mentees (and their placements and enrolments), themselves, the
  catalogue.
- contact notes (``Note``) are confidential: read only by the coaches of the candidate
  and the advisors of the candidate's organisation, changed by nobody once written
  (writing one is ``CREATE`` on the candidate). An employer's contact request
  (``ContactRequest``) is read by the advisors of the candidate's organisation.

Which *parts* of a candidate a principal sees — the field groups of ``graph.fields``
(matching profile, identity and contact, residence, social/benefit, health, casework) —
is :func:`visible_groups`, also pure, declared as one table of (role, relation to the
candidate) → groups (:data:`GROUP_TABLE`):

- admin: every group;
- advisor of the owning organisation: every group;
- advisor of an organisation with a valid share: the groups that share names;
- coach of a mentee: identity and contact, and the matching profile — never residence,
  social/benefit or health data — plus the casework they take part in (the mentee's plan
  and placement, their own contact notes; issue #5's coach view);
- employer: the matching profile under a pseudonym (with the candidate's consent to
  profile sharing), plus identity and contact *for one offer* once the candidate's
  consent to contact on that offer's request is recorded and not withdrawn
  (``graph.contact.record_consent``); for other offers the candidate stays pseudonymised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from graph.audit import (
    FIELD_GROUPS,
    GROUP_CASEWORK,
    GROUP_IDENTITY_CONTACT,
    GROUP_MATCHING_PROFILE,
)
from graph.contact import CONSENTED
from graph.errors import NotFound
from graph.model import Label, Rel
from graph.store import GraphStore, User

__all__ = [
    "CATALOGUE",
    "GROUP_TABLE",
    "Action",
    "Principal",
    "Resource",
    "Scope",
    "can",
    "candidate_scope",
    "load_resource",
    "offer_scope",
    "require",
    "share_is_valid",
    "shared_groups",
    "visible_groups",
]


class Action(StrEnum):
    VIEW = "view"
    """See an object in full (for a candidate: name, contact, birth year, address)."""
    VIEW_PSEUDONYMISED = "view_pseudonymised"
    """See a candidate's skills, tools, languages and fit under a pseudonym only."""
    EDIT = "edit"
    CREATE = "create"
    """Create an object below this one (an offer below a company, a note on a mentee)."""
    PROPOSE = "propose"
    """Propose a candidate to an offer, enrol them in a course, assign a coach."""
    ASK_CONTACT = "ask_contact"
    """An employer asks the advisor for contact with a pseudonymised candidate."""
    MANAGE = "manage"
    """Users, organisations and imports."""


CATALOGUE: frozenset[Label] = frozenset(
    {
        Label.TOWN,
        Label.LANGUAGE,
        Label.SKILL,
        Label.TOOL,
        Label.OCCUPATION,
        Label.ORGANIZATION,
        Label.COURSE,
        Label.KLDB_CLASS,
    }
)
"""Shared reference data every signed-in role may read."""

_ABOUT_A_CANDIDATE = frozenset({Label.CANDIDATE, Label.PLACEMENT, Label.ENROLMENT})


@dataclass(frozen=True)
class Principal:
    """The signed-in person as the policy sees them: a role and the scope it is tied to."""

    id: str
    role: str
    organization: str | None = None
    company: str | None = None
    coach: str | None = None

    @classmethod
    def from_user(cls, user: User) -> Principal:
        return cls(user.id, user.role, user.organization, user.company, user.coach)


@dataclass(frozen=True)
class Resource:
    """One object and the facts about it that decide access.

    For a candidate (and a placement or enrolment, which are about one candidate):
    ``organizations`` it is registered with, ``coaches`` who mentor it, ``companies``
    whose offers it is placed with, ``consent_profile_sharing``, ``shared_with``: the
    organisations holding a share of it that is valid on the day it was loaded, with
    ``shared_groups`` the field groups each such share opens, and ``released``: the
    (company, offer) pairs for which the candidate's consent to reveal their identity is
    recorded and not withdrawn. For an offer: ``companies`` = the company posting it.
    For a company, coach or organisation: itself.
    """

    label: Label
    id: str
    organizations: frozenset[str] = field(default_factory=frozenset)
    companies: frozenset[str] = field(default_factory=frozenset)
    coaches: frozenset[str] = field(default_factory=frozenset)
    consent_profile_sharing: bool = False
    shared_with: frozenset[str] = field(default_factory=frozenset)
    shared_groups: Mapping[str, frozenset[str]] = field(default_factory=dict, hash=False)
    released: frozenset[tuple[str, str]] = field(default_factory=frozenset)


def can(principal: Principal, action: Action, resource: Resource) -> bool:
    """Whether ``principal`` may do ``action`` on ``resource``."""
    action, role = Action(action), principal.role
    if role == "admin":
        return True
    if action is Action.MANAGE:
        return False
    label = resource.label
    if label == Label.USER:
        return resource.id == principal.id and action in (Action.VIEW, Action.EDIT)
    if label in CATALOGUE:
        return action is Action.VIEW
    if label in (Label.NOTE, Label.CONTACT_REQUEST):
        return _about_candidate_readers(principal, action, resource)
    if role == "advisor":
        return _advisor(principal, action, resource)
    if role == "employer":
        return _employer(principal, action, resource)
    if role == "coach":
        return _coach(principal, action, resource)
    return False


def _about_candidate_readers(principal: Principal, action: Action, resource: Resource) -> bool:
    """Notes and contact requests: read-only, for the candidate's advisors (and, for a
    note, the candidate's coaches) — never the employer, never another organisation."""
    if action is not Action.VIEW:
        return False
    if principal.role == "advisor":
        return principal.organization in resource.organizations
    if principal.role == "coach" and resource.label == Label.NOTE:
        return principal.coach in resource.coaches
    return False


_SHARED_ACTIONS = frozenset({Action.VIEW, Action.PROPOSE})
"""What a valid share lets the other organisation's advisors do with a candidate."""


def _advisor(principal: Principal, action: Action, resource: Resource) -> bool:
    if resource.label in _ABOUT_A_CANDIDATE:
        if principal.organization in resource.organizations:
            return action in (Action.VIEW, Action.EDIT, Action.CREATE, Action.PROPOSE)
        if principal.organization and principal.organization in resource.shared_with:
            if resource.label == Label.CANDIDATE:
                return action in _SHARED_ACTIONS
            return action is Action.VIEW
        return False
    if resource.label in (Label.OFFER, Label.COMPANY, Label.COACH):
        return action in (Action.VIEW, Action.EDIT, Action.CREATE)
    return False


def _employer(principal: Principal, action: Action, resource: Resource) -> bool:
    if resource.label == Label.CANDIDATE:
        allowed = action in (Action.VIEW_PSEUDONYMISED, Action.ASK_CONTACT)
        return allowed and resource.consent_profile_sharing
    if resource.label in (Label.OFFER, Label.COMPANY):
        own = principal.company in resource.companies
        return own and action in (Action.VIEW, Action.EDIT, Action.CREATE)
    return False


def _coach(principal: Principal, action: Action, resource: Resource) -> bool:
    if resource.label in _ABOUT_A_CANDIDATE:
        mentee = principal.coach in resource.coaches
        if resource.label == Label.CANDIDATE:
            return mentee and action in (Action.VIEW, Action.CREATE)
        return mentee and action is Action.VIEW
    if resource.label == Label.COACH:
        return resource.id == principal.coach and action in (Action.VIEW, Action.EDIT)
    return False


# --- which field groups a principal sees ---------------------------------------------------

SHARE = "share"
"""In :data:`GROUP_TABLE`: the groups are those the valid share names."""

GROUP_TABLE: Mapping[tuple[str, str], frozenset[str] | str] = {
    ("admin", "any"): frozenset(FIELD_GROUPS),
    ("advisor", "owner"): frozenset(FIELD_GROUPS),
    ("advisor", "shared"): SHARE,
    ("advisor", "other"): frozenset(),
    ("coach", "mentor"): frozenset(
        {GROUP_IDENTITY_CONTACT, GROUP_MATCHING_PROFILE, GROUP_CASEWORK}
    ),
    ("coach", "other"): frozenset(),
    ("employer", "released"): frozenset({GROUP_IDENTITY_CONTACT, GROUP_MATCHING_PROFILE}),
    ("employer", "pseudonymised"): frozenset({GROUP_MATCHING_PROFILE}),
    ("employer", "other"): frozenset(),
}
"""Each role's view of each field group of a candidate, by its relation to the candidate
(:func:`relation`) — the one declaration; a pair not listed sees nothing."""


def relation(principal: Principal, resource: Resource, *, offer: str | None = None) -> str:
    """How ``principal`` stands to the candidate ``resource`` describes (a placement,
    enrolment, note or contact request stands for its candidate): the second key of
    :data:`GROUP_TABLE`. ``offer`` is the offer an employer looks at the candidate for."""
    role = principal.role
    if role == "admin":
        return "any"
    if role == "advisor":
        org = principal.organization
        if org and org in resource.organizations:
            return "owner"
        if org and org in resource.shared_with:
            return "shared"
        return "other"
    if role == "coach":
        return "mentor" if principal.coach and principal.coach in resource.coaches else "other"
    if role == "employer":
        company = principal.company
        if company and offer and (company, offer) in resource.released:
            return "released"
        return "pseudonymised" if resource.consent_profile_sharing else "other"
    return "other"


def visible_groups(
    principal: Principal, resource: Resource, *, offer: str | None = None
) -> frozenset[str]:
    """The field groups of the candidate ``resource`` that ``principal`` may see (for an
    employer: on the candidate view of ``offer``). Pure, like :func:`can`; what each
    group holds is declared in ``graph.fields``."""
    entry = GROUP_TABLE.get((principal.role, relation(principal, resource, offer=offer)))
    if entry is None:
        return frozenset()
    if entry == SHARE:
        org = principal.organization or ""
        return frozenset(resource.shared_groups.get(org, frozenset())) & frozenset(FIELD_GROUPS)
    return frozenset(entry)


# --- reading the facts from a store ------------------------------------------------------


def load_resource(
    store: GraphStore, label: Label, node_id: str, *, today: dt.date | None = None
) -> Resource:
    """The access facts of one node; raises ``NotFound`` when there is no such node.

    ``today`` (default: the local date) decides which shares are still valid."""
    label = Label(label)
    if label not in _WITH_RELATIONSHIPS:
        store.get_node(label, node_id)
        return _self_resource(label, node_id)
    node, rels = store.node_with_relationships(label, node_id)
    if label in (Label.PLACEMENT, Label.ENROLMENT, Label.NOTE, Label.CONTACT_REQUEST):
        candidate = next(
            (r.target_id for r in rels if r.type == Rel.OF_CANDIDATE and r.source_id == node_id),
            None,
        )
        if candidate is None:
            return Resource(label, node_id)
        about = load_resource(store, Label.CANDIDATE, candidate, today=today)
        return Resource(
            label,
            node_id,
            about.organizations,
            about.companies,
            about.coaches,
            about.consent_profile_sharing,
            about.shared_with,
            about.shared_groups,
            about.released,
        )
    if label == Label.CANDIDATE:
        placements = [
            r.source_id
            for r in rels
            if r.type == Rel.OF_CANDIDATE and r.source_label == Label.PLACEMENT
        ]
        shares = {
            r.target_id: frozenset(r.props.get("groups") or ())
            for r in rels
            if r.type == Rel.SHARED_WITH and share_is_valid(r.props, today)
        }
        requests = [
            r.source_id
            for r in rels
            if r.type == Rel.OF_CANDIDATE and r.source_label == Label.CONTACT_REQUEST
        ]
        return Resource(
            label,
            node_id,
            organizations=frozenset(r.target_id for r in rels if r.type == Rel.REGISTERED_WITH),
            companies=frozenset(_placement_companies(store, placements)),
            coaches=frozenset(r.source_id for r in rels if r.type == Rel.MENTORS),
            consent_profile_sharing=bool(node.props.get("consent_profile_sharing")),
            shared_with=frozenset(shares),
            shared_groups=shares,
            released=_released(store, requests) if requests else frozenset(),
        )
    return Resource(
        label, node_id, companies=frozenset(r.source_id for r in rels if r.type == Rel.POSTS)
    )


_WITH_RELATIONSHIPS = frozenset(
    {
        Label.CANDIDATE,
        Label.OFFER,
        Label.PLACEMENT,
        Label.ENROLMENT,
        Label.NOTE,
        Label.CONTACT_REQUEST,
    }
)
"""Labels whose access facts are relationships: node and relationships are read in one
round trip. The others are their own scope."""


def _self_resource(label: Label, node_id: str) -> Resource:
    if label == Label.COMPANY:
        return Resource(label, node_id, companies=frozenset({node_id}))
    if label == Label.COACH:
        return Resource(label, node_id, coaches=frozenset({node_id}))
    if label == Label.ORGANIZATION:
        return Resource(label, node_id, organizations=frozenset({node_id}))
    return Resource(label, node_id)


def _released(store: GraphStore, requests: list[str]) -> frozenset[tuple[str, str]]:
    """(company, offer) of each contact request with a recorded consent that is not
    withdrawn: all of the candidate's requests in one ``get_nodes`` call. Requests made
    before the offer was stored on the node name it only by ``FOR_OFFER``."""
    released = set()
    for request_id, node in store.get_nodes(Label.CONTACT_REQUEST, requests).items():
        if node.props.get("status") != CONSENTED:
            continue
        company = str(node.props.get("company") or "")
        offer = str(node.props.get("offer") or "") or next(
            (
                r.target_id
                for r in store.relationships(Label.CONTACT_REQUEST, request_id)
                if r.type == Rel.FOR_OFFER and r.source_id == request_id
            ),
            "",
        )
        if company and offer:
            released.add((company, offer))
    return frozenset(released)


def _placement_companies(store: GraphStore, placements: list[str]) -> Iterator[str]:
    for placement in placements:
        for rel in store.relationships(Label.PLACEMENT, placement):
            if rel.type == Rel.FOR_OFFER:
                yield from load_resource(store, Label.OFFER, rel.target_id).companies


def share_is_valid(props: Mapping[str, object], today: dt.date | None = None) -> bool:
    """Whether the properties of a ``SHARED_WITH`` relationship open the candidate on
    ``today`` (default: the local date): not revoked and ``until`` today or later. A
    share without a readable ``until`` opens nothing."""
    if props.get("revoked_at"):
        return False
    try:
        until = dt.date.fromisoformat(str(props.get("until")))
    except ValueError:
        return False
    return until >= (today or dt.date.today())


def require(
    store: GraphStore,
    principal: Principal,
    action: Action,
    label: Label,
    node_id: str,
    *,
    today: dt.date | None = None,
) -> Resource:
    """The resource if ``principal`` may do ``action`` on it; ``NotFound`` otherwise, with
    the same message as for an id that does not exist (views turn it into a 404)."""
    try:
        resource = load_resource(store, label, node_id, today=today)
    except NotFound:
        resource = None
    if resource is None or not can(principal, action, resource):
        raise NotFound(f"no {Label(label)} with id {node_id!r}")
    return resource


# --- scopes for lists --------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """A set of ids a principal may see, or everything (``ids is None``)."""

    ids: frozenset[str] | None

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)

    @property
    def is_everything(self) -> bool:
        return self.ids is None

    def __contains__(self, node_id: object) -> bool:
        return self.ids is None or node_id in self.ids

    def filter(self, ids: Iterable[str]) -> list[str]:
        """The given ids that are in scope, in their order."""
        return [i for i in ids if i in self]


def candidate_scope(
    store: GraphStore,
    principal: Principal,
    *,
    action: Action = Action.VIEW,
    today: dt.date | None = None,
) -> Scope:
    """The candidates on which ``principal`` may do ``action`` — by default those whose
    full profile they may see (``Action.VIEW``).

    An advisor gets the candidates registered with their organisation, plus, for
    ``VIEW`` and ``PROPOSE``, those validly shared with it on ``today``; for ``EDIT`` or
    ``CREATE`` only their own organisation's. Employers get none: they see candidates
    only pseudonymised, one by one through ``can(…, VIEW_PSEUDONYMISED, …)`` on the fits
    of their own offers.
    """
    action = Action(action)
    if principal.role == "admin":
        return Scope.everything()
    if principal.role == "advisor" and principal.organization:
        own = _related(
            store, Label.ORGANIZATION, principal.organization, Rel.REGISTERED_WITH, Label.CANDIDATE
        )
        if action not in _SHARED_ACTIONS:
            return own
        shared = _shared_with(store, principal.organization, today)
        return Scope(frozenset((own.ids or frozenset()) | shared))
    if principal.role == "coach" and principal.coach and action in (Action.VIEW, Action.CREATE):
        return _related(store, Label.COACH, principal.coach, Rel.MENTORS, Label.CANDIDATE)
    return Scope(frozenset())


def _shared_with(store: GraphStore, organization: str, today: dt.date | None) -> frozenset[str]:
    """The candidates validly shared with ``organization`` on ``today``."""
    return frozenset(shared_groups(store, organization, today=today))


def shared_groups(
    store: GraphStore, organization: str, *, today: dt.date | None = None
) -> dict[str, frozenset[str]]:
    """The candidates validly shared with ``organization`` on ``today``, each with the
    field groups its share opens — for lists, which must not show more than the
    candidate's page would (one read of the organisation's relationships)."""
    try:
        rels = store.relationships(Label.ORGANIZATION, organization)
    except NotFound:
        return {}
    return {
        r.source_id: frozenset(r.props.get("groups") or ())
        for r in rels
        if r.type == Rel.SHARED_WITH
        and r.target_id == organization
        and r.source_label == Label.CANDIDATE
        and share_is_valid(r.props, today)
    }


def offer_scope(store: GraphStore, principal: Principal) -> Scope:
    """The offers ``principal`` may see: an employer its company's, everyone else all
    (advisors match against the whole region; coaches see none)."""
    if principal.role in ("admin", "advisor"):
        return Scope.everything()
    if principal.role == "employer" and principal.company:
        return _related(store, Label.COMPANY, principal.company, Rel.POSTS, Label.OFFER)
    return Scope(frozenset())


def _related(store: GraphStore, label: Label, node_id: str, rel: Rel, far: Label) -> Scope:
    """The ids of the ``far`` nodes joined to one node by ``rel``, in either direction."""
    try:
        rels = store.relationships(label, node_id)
    except NotFound:
        return Scope(frozenset())
    ids = set()
    for r in rels:
        if r.type != rel:
            continue
        if (r.source_label, r.target_label, r.target_id) == (far, label, node_id):
            ids.add(r.source_id)
        elif (r.source_label, r.source_id, r.target_label) == (label, node_id, far):
            ids.add(r.target_id)
    return Scope(frozenset(ids))
