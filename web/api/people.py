"""Candidates and coaches: lists limited to the caller's scope, and one candidate.

An advisor lists the candidates of their organisation, a coach their mentees, an admin
everyone; an employer none (employers meet candidates only pseudonymised, as the fits of
their own offers: ``GET /offers/{offer_id}/matches``).
"""

from __future__ import annotations

from graph.access import Action, Principal, can, candidate_scope, load_resource, shared_groups
from graph.audit import GROUP_IDENTITY_CONTACT, GROUP_MATCHING_PROFILE
from graph.model import Label, Rel
from graph.store import GraphStore
from web.api import schemas
from web.api.blueprint import bp
from web.api.lookup import candidate_model, candidate_summary, holders, visible
from web.api.params import IdParam
from web.api.registry import operation, paginate
from web.audit import record_listed
from web.guard import principal
from web.store import get_store

CANDIDATE_ID = IdParam("candidate_id", "The candidate's id.", location="path")

_FILTERS = (
    ("town", Label.TOWN, Rel.LIVES_IN),
    ("language", Label.LANGUAGE, Rel.SPEAKS),
    ("skill", Label.SKILL, Rel.HAS_SKILL),
    ("tool", Label.TOOL, Rel.KNOWS_TOOL),
)


@operation(
    bp,
    "/candidates",
    summary="Candidates in your scope",
    tag="candidates",
    response=schemas.Page[schemas.CandidateSummary],
    params=(
        IdParam("town", "Only candidates living in this town (town id)."),
        IdParam("language", "Only candidates speaking this language (ISO 639-1), any level."),
        IdParam("skill", "Only candidates with this skill (skill id), any level."),
        IdParam("tool", "Only candidates knowing this tool or machine (tool id), any level."),
    ),
)
def list_candidates(
    town: str | None,
    language: str | None,
    skill: str | None,
    tool: str | None,
    page: int,
    per_page: int,
) -> schemas.Page[schemas.CandidateSummary]:
    """Sorted by id. Filters combine (all must hold); an unknown town, language, skill or
    tool id is a 400 naming the parameter. Employers get an empty list."""
    store = get_store()
    me = principal()
    scope = candidate_scope(store, me)
    ids = None if scope.is_everything else set(scope.ids or ())
    through_share = _through_share(store, me)
    given = {"town": town, "language": language, "skill": skill, "tool": tool}
    for name, label, rel in _FILTERS:
        if given[name] is not None:
            found = holders(store, name, label, given[name], rel)
            ids = found if ids is None else ids & found
    if through_share and any(value is not None for value in given.values()):
        # a filter on skills, tools, languages or town reads the matching profile
        ids = {
            i
            for i in ids or ()
            if i not in through_share or GROUP_MATCHING_PROFILE in through_share[i]
        }
    if ids is None:
        profiles, total = paginate(store.candidate_profiles(), page, per_page)
    else:
        page_ids, total = paginate(sorted(ids), page, per_page)
        profiles = store.candidates_by_id(page_ids)
    record_listed(
        p.id
        for p in profiles
        if p.id not in through_share or GROUP_IDENTITY_CONTACT in through_share[p.id]
    )
    return schemas.Page[schemas.CandidateSummary](
        items=[candidate_summary(p, through_share.get(p.id)) for p in profiles],
        page=page,
        per_page=per_page,
        total=total,
    )


def _through_share(store: GraphStore, me: Principal) -> dict[str, frozenset[str]]:
    """An advisor's candidates of other organisations, seen through a share, with the
    field groups each share opens (the own organisation's candidates are not in it)."""
    if me.role != "advisor" or not me.organization:
        return {}
    own = candidate_scope(store, me, action=Action.EDIT)
    return {c: g for c, g in shared_groups(store, me.organization).items() if c not in own}


@operation(
    bp,
    "/candidates/{candidate_id}",
    summary="One candidate's profile",
    tag="candidates",
    response=schemas.Candidate,
    params=(CANDIDATE_ID,),
)
def get_candidate(candidate_id: str) -> schemas.Candidate:
    """Skills (with where each was assessed), tools and languages with their levels and
    labels in every language the taxonomy has."""
    resource = visible(Action.VIEW, Label.CANDIDATE, candidate_id)
    return candidate_model(get_store(), resource)


@operation(
    bp,
    "/coaches",
    summary="Coaches you may see",
    tag="coaches",
    response=schemas.Page[schemas.Coach],
)
def list_coaches(page: int, per_page: int) -> schemas.Page[schemas.Coach]:
    """Advisors and admins see every coach, with languages, town and free capacity (to
    suggest one for a candidate); a coach sees themselves; employers none."""
    store = get_store()
    me = principal()
    nodes = store.list_nodes(Label.COACH, limit=store.counts()[Label.COACH])
    seen = [n for n in nodes if can(me, Action.VIEW, load_resource(store, Label.COACH, n.id))]
    shown, total = paginate(seen, page, per_page)
    items = []
    for node in shown:
        rels = store.relationships(Label.COACH, node.id)
        mine = [r for r in rels if r.source_label == Label.COACH and r.source_id == node.id]
        mentees = sum(r.type == Rel.MENTORS for r in mine)
        capacity = node.props.get("capacity")
        items.append(
            schemas.Coach(
                id=node.id,
                name=str(node.props.get("name", "")),
                town=next((r.target_id for r in mine if r.type == Rel.LIVES_IN), None),
                languages=sorted(r.target_id for r in mine if r.type == Rel.SPEAKS),
                capacity=capacity,
                mentees=mentees,
                free=None if capacity is None else max(int(capacity) - mentees, 0),
            )
        )
    return schemas.Page[schemas.Coach](items=items, page=page, per_page=per_page, total=total)
