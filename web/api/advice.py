"""The advisor's questions as JSON: skill gap, training route and matches.

The same domain functions as the CLI (``graph.gap``, ``graph.routes``,
``graph.matching``), so ``GET …/plan`` answers exactly what ``wegweiser plan --json``
prints. Both ends of a pair must be visible to the caller; matches are cut to the
caller's scope (an advisor's organisation, an employer's consenting candidates under a
pseudonym, a coach sees no offers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import current_app

from graph.access import Action, can, candidate_scope, load_resource, offer_scope
from graph.gap import gap_to_json, skill_gap
from graph.matching import Match, MatchFilters, match_candidates, match_offers, match_to_json
from graph.model import OFFER_KINDS, Label
from graph.profiles import Place
from graph.pseudonyms import pseudonym
from graph.routes import route_for, route_to_json
from web.api import schemas
from web.api.blueprint import bp
from web.api.catalogue import OFFER_ID
from web.api.lookup import visible
from web.api.params import DateParam, EnumParam, FloatParam, IdParam, IntParam
from web.api.people import CANDIDATE_ID
from web.api.problems import BadParameter
from web.api.registry import operation
from web.audit import record_pseudonymised
from web.guard import principal
from web.store import get_store

OFFER = IdParam("offer", "The offer's id.", required=True)
LIMIT = IntParam("limit", "How many matches, best first.", default=20, minimum=1, maximum=100)


@operation(
    bp,
    "/candidates/{candidate_id}/gap",
    summary="What a candidate has and lacks for an offer",
    tag="advice",
    response=schemas.Gap,
    params=(CANDIDATE_ID, OFFER),
)
def candidate_gap(candidate_id: str, offer: str) -> schemas.Gap:
    """Every requirement of the offer with the candidate's level and whether it is met,
    and the ESCO essential skills of the offer's occupation the candidate lacks."""
    visible(Action.VIEW, Label.CANDIDATE, candidate_id)
    visible(Action.VIEW, Label.OFFER, offer)
    store = get_store()
    gap = skill_gap(store.candidate_profile(candidate_id), store.offer_profile(offer))
    return schemas.Gap.model_validate(gap_to_json(gap))


@operation(
    bp,
    "/candidates/{candidate_id}/plan",
    summary="The training route from a candidate to an offer",
    tag="advice",
    response=schemas.RoutePlan,
    params=(
        CANDIDATE_ID,
        OFFER,
        EnumParam(
            "objective",
            "weeks: least total training; ready_date: earliest day the last course ends.",
            choices=("weeks", "ready_date"),
            default="weeks",
        ),
        DateParam("from", "Earliest start (YYYY-MM-DD); default today.", arg="start"),
        IntParam("alternatives", "How many next-best routes.", default=3, minimum=0, maximum=10),
    ),
)
def candidate_plan(
    candidate_id: str, offer: str, objective: str, start: dt.date | None, alternatives: int
) -> schemas.RoutePlan:
    """The shortest route (proven optimal) and its alternatives, as
    ``wegweiser plan --json`` prints it; gaps no course closes are named in
    ``unreachable``."""
    visible(Action.VIEW, Label.CANDIDATE, candidate_id)
    visible(Action.VIEW, Label.OFFER, offer)
    report = route_for(
        get_store(),
        candidate_id,
        offer,
        objective=objective,  # type: ignore[arg-type]
        start=start,
        alternatives=alternatives,
    )
    return schemas.RoutePlan.model_validate(route_to_json(report))


@operation(
    bp,
    "/candidates/{candidate_id}/matches",
    summary="The offers that fit a candidate best",
    tag="advice",
    response=schemas.OfferMatches,
    params=(
        CANDIDATE_ID,
        LIMIT,
        EnumParam("kind", "Only offers of this kind.", choices=tuple(OFFER_KINDS)),
        FloatParam("radius_km", "Only offers within this many km of `town`.", minimum=0),
        IdParam("town", "Town id the radius is measured from (with `radius_km`)."),
    ),
)
def candidate_matches(
    candidate_id: str, limit: int, kind: str | None, radius_km: float | None, town: str | None
) -> schemas.OfferMatches:
    """Open offers, best first: essential, optional and language coverage, then weeks of
    training still needed, then distance. Only offers you may see."""
    visible(Action.VIEW, Label.CANDIDATE, candidate_id)
    store = get_store()
    place = _place(town, radius_km)
    filters = MatchFilters(kind=kind, town=place, radius_km=radius_km)
    scope = offer_scope(store, principal())
    found = _scoped(
        lambda n: match_offers(store, candidate_id, filters, n),
        lambda m: m.offer.id in scope,
        limit,
    )
    items = [
        schemas.OfferMatch.model_validate(
            match_to_json(
                m, lambda m: {"offer": m.offer.id, "title": m.offer.title, "kind": m.offer.kind}
            )
        )
        for m in found
    ]
    return schemas.OfferMatches(candidate=candidate_id, items=items)


@operation(
    bp,
    "/offers/{offer_id}/matches",
    summary="The candidates who fit an offer best",
    tag="advice",
    response=schemas.CandidateMatches,
    params=(OFFER_ID, LIMIT),
)
def offer_matches(offer_id: str, limit: int) -> schemas.CandidateMatches:
    """Candidates best first, including near fits with the weeks they still need. An
    advisor sees the candidates of their organisation; an employer (own offers only)
    the candidates who agreed to profile sharing, under a pseudonym that is stable for
    the company and different for every other — no name, no id, no contact."""
    visible(Action.VIEW, Label.OFFER, offer_id)
    store = get_store()
    me = principal()
    if me.role == "employer":
        company = str(me.company)
        secret = current_app.config["SECRET_KEY"]

        def shared(m: Match) -> bool:
            resource = load_resource(store, Label.CANDIDATE, m.candidate.id)
            return can(me, Action.VIEW_PSEUDONYMISED, resource)

        found = _scoped(lambda n: match_candidates(store, offer_id, limit=n), shared, limit)
        record_pseudonymised(m.candidate.id for m in found)
        items: list[schemas.CandidateMatch | schemas.PseudonymousMatch] = []
        for m in found:
            alias = pseudonym(secret, company, m.candidate.id)
            document = match_to_json(
                m,
                lambda m, alias=alias: {
                    "pseudonym": alias,
                    "available_from": m.candidate.available_from,
                },
            )
            document["gap"]["candidate"] = alias
            items.append(schemas.PseudonymousMatch.model_validate(document))
        return schemas.CandidateMatches(offer=offer_id, pseudonymised=True, items=items)
    scope = candidate_scope(store, me)
    found = _scoped(
        lambda n: match_candidates(store, offer_id, limit=n),
        lambda m: m.candidate.id in scope,
        limit,
    )
    items = [
        schemas.CandidateMatch.model_validate(
            match_to_json(m, lambda m: {"candidate": m.candidate.id, "name": m.candidate.name})
        )
        for m in found
    ]
    return schemas.CandidateMatches(offer=offer_id, pseudonymised=False, items=items)


def _place(town: str | None, radius_km: float | None) -> Place | None:
    if (town is None) != (radius_km is None):
        missing = "town" if town is None else "radius_km"
        raise BadParameter.one(missing, "town and radius_km go together")
    if town is None:
        return None
    store = get_store()
    if not store.existing_ids(Label.TOWN, [town]):
        raise BadParameter.one("town", f"there is no town with id {town!r}")
    props = store.get_node(Label.TOWN, town).props
    return Place(town, str(props.get("name", "")), float(props["lat"]), float(props["lon"]))


def _scoped(
    fetch: Callable[[int], list[Match]], keep: Callable[[Match], bool], limit: int
) -> list[Match]:
    """The best ``limit`` matches the caller may see: ask the matcher for more (four
    times as many each round) until enough are left after the scope cut or none remain."""
    wanted = limit
    while True:
        matches = fetch(wanted)
        kept = [m for m in matches if keep(m)]
        if len(kept) >= limit or len(matches) < wanted:
            return kept[:limit]
        wanted *= 4
