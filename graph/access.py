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
- employer: their own company and its offers; candidates only pseudonymised and only
  with the candidate's consent to profile sharing; the catalogue to pick requirements.
- coach: their own mentees (and their placements and enrolments), themselves, the
  catalogue.
- contact notes (``Note``) are confidential: read only by the coaches of the candidate
  and the advisors of the candidate's organisation, changed by nobody once written
  (writing one is ``CREATE`` on the candidate). An employer's contact request
  (``ContactRequest``) is read by the advisors of the candidate's organisation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from graph.errors import NotFound
from graph.model import Label, Rel
from graph.store import GraphStore, User

__all__ = [
    "CATALOGUE",
    "Action",
    "Principal",
    "Resource",
    "Scope",
    "can",
    "candidate_scope",
    "load_resource",
    "offer_scope",
    "require",
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
    whose offers it is placed with, ``consent_profile_sharing``. For an offer:
    ``companies`` = the company posting it. For a company, coach or organisation: itself.
    """

    label: Label
    id: str
    organizations: frozenset[str] = field(default_factory=frozenset)
    companies: frozenset[str] = field(default_factory=frozenset)
    coaches: frozenset[str] = field(default_factory=frozenset)
    consent_profile_sharing: bool = False


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


def _advisor(principal: Principal, action: Action, resource: Resource) -> bool:
    if resource.label in _ABOUT_A_CANDIDATE:
        own = principal.organization in resource.organizations
        return own and action in (Action.VIEW, Action.EDIT, Action.CREATE, Action.PROPOSE)
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


# --- reading the facts from a store ------------------------------------------------------


def load_resource(store: GraphStore, label: Label, node_id: str) -> Resource:
    """The access facts of one node; raises ``NotFound`` when there is no such node."""
    label = Label(label)
    node = store.get_node(label, node_id)
    if label in (Label.PLACEMENT, Label.ENROLMENT, Label.NOTE, Label.CONTACT_REQUEST):
        candidate = next(
            (
                r.target_id
                for r in store.relationships(label, node_id)
                if r.type == Rel.OF_CANDIDATE and r.source_id == node_id
            ),
            None,
        )
        if candidate is None:
            return Resource(label, node_id)
        about = load_resource(store, Label.CANDIDATE, candidate)
        return Resource(
            label,
            node_id,
            about.organizations,
            about.companies,
            about.coaches,
            about.consent_profile_sharing,
        )
    if label == Label.CANDIDATE:
        rels = store.relationships(label, node_id)
        placements = [
            r.source_id
            for r in rels
            if r.type == Rel.OF_CANDIDATE and r.source_label == Label.PLACEMENT
        ]
        return Resource(
            label,
            node_id,
            organizations=frozenset(r.target_id for r in rels if r.type == Rel.REGISTERED_WITH),
            companies=frozenset(_placement_companies(store, placements)),
            coaches=frozenset(r.source_id for r in rels if r.type == Rel.MENTORS),
            consent_profile_sharing=bool(node.props.get("consent_profile_sharing")),
        )
    if label == Label.OFFER:
        rels = store.relationships(label, node_id)
        return Resource(
            label, node_id, companies=frozenset(r.source_id for r in rels if r.type == Rel.POSTS)
        )
    if label == Label.COMPANY:
        return Resource(label, node_id, companies=frozenset({node_id}))
    if label == Label.COACH:
        return Resource(label, node_id, coaches=frozenset({node_id}))
    if label == Label.ORGANIZATION:
        return Resource(label, node_id, organizations=frozenset({node_id}))
    return Resource(label, node_id)


def _placement_companies(store: GraphStore, placements: list[str]) -> Iterator[str]:
    for placement in placements:
        for rel in store.relationships(Label.PLACEMENT, placement):
            if rel.type == Rel.FOR_OFFER:
                yield from load_resource(store, Label.OFFER, rel.target_id).companies


def require(
    store: GraphStore, principal: Principal, action: Action, label: Label, node_id: str
) -> Resource:
    """The resource if ``principal`` may do ``action`` on it; ``NotFound`` otherwise, with
    the same message as for an id that does not exist (views turn it into a 404)."""
    try:
        resource = load_resource(store, label, node_id)
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


def candidate_scope(store: GraphStore, principal: Principal) -> Scope:
    """The candidates whose full profile ``principal`` may see (``Action.VIEW``).

    Employers get none: they see candidates only pseudonymised, one by one through
    ``can(…, VIEW_PSEUDONYMISED, …)`` on the fits of their own offers.
    """
    if principal.role == "admin":
        return Scope.everything()
    if principal.role == "advisor" and principal.organization:
        return _related(
            store, Label.ORGANIZATION, principal.organization, Rel.REGISTERED_WITH, Label.CANDIDATE
        )
    if principal.role == "coach" and principal.coach:
        return _related(store, Label.COACH, principal.coach, Rel.MENTORS, Label.CANDIDATE)
    return Scope(frozenset())


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
