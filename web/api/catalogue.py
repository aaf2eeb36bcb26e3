"""Offers and courses.

Offers: an employer sees the offers of their own company, advisors and admins all of
the region's, coaches none (``graph.access.offer_scope``). Courses are the shared
catalogue every role may read.
"""

from __future__ import annotations

from graph.access import Action, offer_scope
from graph.catalogue import ITEM_OF_REL
from graph.model import OFFER_KINDS, Label, Rel
from graph.records import NodeRecord
from graph.store import GraphStore
from web.api import schemas
from web.api.blueprint import bp
from web.api.lookup import item_labels, offer_model, visible
from web.api.params import BoolParam, EnumParam, IdParam
from web.api.registry import operation, paginate
from web.guard import principal
from web.store import get_store

OFFER_ID = IdParam("offer_id", "The offer's id.", location="path")
COURSE_ID = IdParam("course_id", "The course's id.", location="path")

_ITEM_LABEL = {"skill": Label.SKILL, "tool": Label.TOOL, "language": Label.LANGUAGE}


@operation(
    bp,
    "/offers",
    summary="Offers you may see",
    tag="offers",
    response=schemas.Page[schemas.Offer],
    params=(
        EnumParam("kind", "Only offers of this kind.", choices=tuple(OFFER_KINDS)),
        BoolParam("open", "true: only open offers; false: only closed ones; absent: all."),
    ),
)
def list_offers(
    kind: str | None, open: bool | None, page: int, per_page: int
) -> schemas.Page[schemas.Offer]:
    """Sorted by id, each with its requirements (skills, tools, languages)."""
    store = get_store()
    scope = offer_scope(store, principal())
    offers = [
        offer
        for offer in store.offer_profiles(kind=kind, only_open=open is True)
        if offer.id in scope and (open is None or offer.open is open)
    ]
    shown, total = paginate(offers, page, per_page)
    return schemas.Page[schemas.Offer](
        items=[offer_model(o) for o in shown], page=page, per_page=per_page, total=total
    )


@operation(
    bp,
    "/offers/{offer_id}",
    summary="One offer",
    tag="offers",
    response=schemas.Offer,
    params=(OFFER_ID,),
)
def get_offer(offer_id: str) -> schemas.Offer:
    visible(Action.VIEW, Label.OFFER, offer_id)
    return offer_model(get_store().offer_profile(offer_id))


@operation(
    bp,
    "/courses",
    summary="The course catalogue",
    tag="courses",
    response=schemas.Page[schemas.CourseSummary],
)
def list_courses(page: int, per_page: int) -> schemas.Page[schemas.CourseSummary]:
    """Sorted by id; what each course teaches and requires is on ``GET /courses/{id}``."""
    store = get_store()
    total = store.counts()[Label.COURSE]
    nodes = store.list_nodes(Label.COURSE, limit=page * per_page)[(page - 1) * per_page :]
    return schemas.Page[schemas.CourseSummary](
        items=[_course_summary(store, node) for node in nodes],
        page=page,
        per_page=per_page,
        total=total,
    )


@operation(
    bp,
    "/courses/{course_id}",
    summary="One course, with what it teaches and requires",
    tag="courses",
    response=schemas.Course,
    params=(COURSE_ID,),
)
def get_course(course_id: str) -> schemas.Course:
    visible(Action.VIEW, Label.COURSE, course_id)
    store = get_store()
    node = store.get_node(Label.COURSE, course_id)
    links: dict[str, list[tuple[str, str, object]]] = {"teaches": [], "requires": []}
    for rel in store.relationships(Label.COURSE, course_id):
        side = ITEM_OF_REL.get(rel.type)
        if side and rel.source_id == course_id and rel.source_label == Label.COURSE:
            links[side[0]].append((side[1], rel.target_id, rel.props.get("level")))
    labels = {
        kind: item_labels(store, label, [i for s in links.values() for k, i, _ in s if k == kind])
        for kind, label in _ITEM_LABEL.items()
    }
    sides = {
        name: [
            schemas.ItemLevel(kind=kind, id=item, level=level, labels=labels[kind].get(item, {}))
            for kind, item, level in sorted(items, key=lambda x: (x[0], x[1]))
        ]
        for name, items in links.items()
    }
    return schemas.Course(
        **_course_summary(store, node).model_dump(),
        teaches=sides["teaches"],
        requires=sides["requires"],
    )


def _course_summary(store: GraphStore, node: NodeRecord) -> schemas.CourseSummary:
    props = node.props
    provider = town = None
    for rel in store.relationships(Label.COURSE, node.id):
        if rel.type == Rel.PROVIDES:
            provider = rel.source_id
        elif rel.type == Rel.HELD_IN:
            town = rel.target_id
    return schemas.CourseSummary(
        id=node.id,
        title=str(props.get("title", "")),
        kind=props.get("kind"),
        weeks=int(props.get("weeks", 0)),
        hours_per_week=props.get("hours_per_week"),
        cost=props.get("cost"),
        seats=props.get("seats"),
        starts=sorted(props.get("starts") or []),
        funding=list(props.get("funding") or []),
        provider=provider,
        town=town,
    )
