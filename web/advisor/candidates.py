"""Finding a candidate (search by name, filters by town, language, skill, tool and
status, pages of 20) and the candidate's profile with the provenance of every skill."""

from __future__ import annotations

import math

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from graph.access import Action, can, shared_groups, visible_groups
from graph.audit import (
    ACTION_READ,
    GROUP_HEALTH,
    GROUP_IDENTITY_CONTACT,
    GROUP_MATCHING_PROFILE,
    GROUP_RESIDENCE,
    GROUP_SOCIAL_BENEFIT,
)
from graph.casework import casework
from graph.contact import contact_requests_of_candidate
from graph.fields import CANDIDATE_FIELDS, redact
from graph.model import CEFR_LEVELS, PLACEMENT_STATUSES, Label, Rel
from graph.profiles import CandidateProfile
from web.advisor import bp
from web.advisor.common import (
    CATEGORY_NAMES,
    GENDER_NAMES,
    SOURCE_NAMES,
    STATUS_NAMES,
    Labeller,
    candidate_or_404,
    current_lang,
    scope_ids,
    tool_icon,
)
from web.advisor.contacts import request_rows
from web.advisor.placements import status_forms
from web.advisor.sharing import share_section, shared_from
from web.audit import record, record_listed
from web.guard import principal
from web.store import get_store

PAGE_SIZE = 20

RESIDENCE_NAMES = {
    "citizen": _l("deutsche Staatsangehörigkeit"),
    "eu_citizen": _l("EU-Freizügigkeit"),
    "settlement_permit": _l("Niederlassungserlaubnis"),
    "residence_permit": _l("Aufenthaltserlaubnis"),
    "temporary_protection": _l("vorübergehender Schutz (§ 24 AufenthG)"),
    "asylum_procedure": _l("Aufenthaltsgestattung (Asylverfahren)"),
    "toleration": _l("Duldung"),
}
BENEFIT_NAMES = {
    "SGB II": _l("Bürgergeld (SGB II)"),
    "SGB III": _l("Arbeitslosengeld (SGB III)"),
    "AsylbLG": _l("Leistungen nach dem AsylbLG"),
    "none": _l("keine"),
}


def _status(work_waiting: bool, latest: str | None, wanted: str) -> bool:
    if wanted == "waiting":
        return work_waiting
    if wanted == "none":
        return latest is None
    return latest == wanted


_SHOWN = ((Rel.HAS_SKILL, Label.SKILL), (Rel.KNOWS_TOOL, Label.TOOL), (Rel.SPEAKS, Label.LANGUAGE))
"""What the profile lists, each read with one ``get_nodes`` call."""


@bp.get("/candidates")
def candidates() -> str:
    store = get_store()
    lang = current_lang()
    name = request.args.get("q", "").strip()
    wanted = {key: request.args.get(key, "") for key in ("town", "language", "skill", "tool")}
    status = request.args.get("status", "")
    everyone = store.candidates_by_id(scope_ids(store, Action.VIEW))
    own = set(scope_ids(store))
    me = principal()
    groups = (
        shared_groups(store, me.organization) if me.role == "advisor" and me.organization else {}
    )
    # shared candidates whose share does not open identity: listed by id, never found by name
    nameless = {
        c.id
        for c in everyone
        if c.id not in own and GROUP_IDENTITY_CONTACT not in groups.get(c.id, frozenset())
    }
    label = Labeller(store, lang)
    options = _options(everyone, label)
    chosen = [
        c
        for c in everyone
        if (not name or (c.id not in nameless and name.casefold() in c.name.casefold()))
        and (not wanted["town"] or (c.town is not None and c.town.id == wanted["town"]))
        and (not wanted["language"] or wanted["language"] in c.languages)
        and (not wanted["skill"] or wanted["skill"] in c.skills)
        and (not wanted["tool"] or wanted["tool"] in c.tools)
    ]
    works = {}
    if status:
        for c in chosen:
            works[c.id] = casework(store, c.id)
        chosen = [
            c for c in chosen if _status(works[c.id].waiting, works[c.id].latest_status, status)
        ]
    pages = max(1, math.ceil(len(chosen) / PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    shown = chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    record_listed(c.id for c in shown if c.id not in nameless)
    for c in shown:
        if c.id in nameless:
            record(ACTION_READ, Label.CANDIDATE, c.id, c.id, GROUP_MATCHING_PROFILE)
    rows = []
    for c in shown:
        work = works.get(c.id) or casework(store, c.id)
        rows.append(
            {
                "candidate": c,
                "languages": ", ".join(
                    f"{label(Label.LANGUAGE, lid)} {level}" for lid, level in c.languages.items()
                ),
                "status": STATUS_NAMES.get(work.latest_status or "", ""),
                "waiting": work.waiting,
                "shared_from": "" if c.id in own else shared_from(store, c.id),
                "name": _("Person %(id)s", id=c.id) if c.id in nameless else c.name,
            }
        )
    args = {k: v for k, v in request.args.items() if k not in ("page", "lang") and v}
    statuses = [("none", _("ohne Vermittlung")), ("waiting", _("wartet auf einen Kurs"))]
    statuses += [(s, STATUS_NAMES[s]) for s in PLACEMENT_STATUSES]
    return render_template(
        "advisor/candidates.html",
        rows=rows,
        total=len(chosen),
        page=page,
        pages=pages,
        args=args,
        q=name,
        wanted=wanted,
        status=status,
        statuses=statuses,
        options=options,
    )


def _options(everyone: list[CandidateProfile], label: Labeller) -> dict[str, list[tuple[str, str]]]:
    """Choices of the filters: only values some candidate in scope has, sorted by name."""
    towns = {c.town.id: c.town.name for c in everyone if c.town}
    items = {
        "language": (Label.LANGUAGE, {i for c in everyone for i in c.languages}),
        "skill": (Label.SKILL, {i for c in everyone for i in c.skills}),
        "tool": (Label.TOOL, {i for c in everyone for i in c.tools}),
    }
    options = {"town": sorted(towns.items(), key=lambda kv: kv[1])}
    for key, (node_label, ids) in items.items():
        label.prefetch(node_label, sorted(ids))
        options[key] = sorted(
            ((i, label(node_label, i)) for i in ids), key=lambda kv: kv[1].casefold()
        )
    return options


@bp.get("/candidates/<candidate_id>")
def candidate(candidate_id: str) -> str:
    resource = candidate_or_404(candidate_id)
    owner = can(principal(), Action.EDIT, resource)
    groups = visible_groups(principal(), resource)
    store = get_store()
    lang = current_lang()
    label = Labeller(store, lang)
    node = store.get_node(Label.CANDIDATE, candidate_id)
    profile = store.candidate_profile(candidate_id)
    rels = store.relationships(Label.CANDIDATE, candidate_id)
    for rel_type, node_label in _SHOWN:
        label.prefetch(node_label, (r.target_id for r in rels if r.type == rel_type))
    skills, tools, languages = [], [], []
    for rel in rels:
        if rel.source_id != candidate_id:
            continue
        if rel.type in (Rel.HAS_SKILL, Rel.KNOWS_TOOL):
            source = rel.props.get("source") or "self-reported"
            entry = {
                "id": rel.target_id,
                "label": label(rel.target_label, rel.target_id),
                "level": rel.props.get("level"),
                "source": SOURCE_NAMES.get(source, source),
                "assessed": source == "assessed",
                "assessed_at": rel.props.get("assessed_at"),
                "assessed_by": rel.props.get("assessed_by"),
            }
            if rel.type == Rel.HAS_SKILL:
                skills.append(entry)
            else:
                category = label.props(Label.TOOL, rel.target_id).get("category")
                entry["category"] = CATEGORY_NAMES.get(category or "", category or "")
                entry["icon"] = tool_icon(category)
                tools.append(entry)
        elif rel.type == Rel.SPEAKS:
            level = rel.props.get("level")
            languages.append(
                {
                    "label": label(Label.LANGUAGE, rel.target_id),
                    "level": level,
                    "rank": CEFR_LEVELS.index(level) if level in CEFR_LEVELS else -1,
                }
            )
    for group in (skills, tools):
        group.sort(key=lambda e: e["label"].casefold())
    languages.sort(key=lambda e: (-e["rank"], e["label"]))
    props = redact(node.props, groups)
    gender = props.get("gender")
    work = casework(store, candidate_id)
    for group in _EXTRA_GROUPS:  # identity and profile are logged by the guard
        if group in groups and any(props.get(f) for f in CANDIDATE_FIELDS[group]):
            record(ACTION_READ, Label.CANDIDATE, candidate_id, candidate_id, group)
    return render_template(
        "advisor/candidate.html",
        profile=profile,
        props=props,
        gender=GENDER_NAMES.get(gender or "unknown"),
        skills=skills,
        tools=tools,
        languages=languages,
        work=work,
        status_names=STATUS_NAMES,
        status_forms={p.id: status_forms(p) for p in work.placements} if owner else {},
        contact_rows=request_rows(
            store, contact_requests_of_candidate(store, candidate_id), "candidate"
        )
        if owner
        else [],
        owner=owner,
        shares=share_section(store, candidate_id, resource),
        groups=groups,
        title=profile.name
        if GROUP_IDENTITY_CONTACT in groups
        else _("Person %(id)s", id=candidate_id),
        residence_names=RESIDENCE_NAMES,
        benefit_names=BENEFIT_NAMES,
    )


_EXTRA_GROUPS = (GROUP_RESIDENCE, GROUP_SOCIAL_BENEFIT, GROUP_HEALTH)
"""Groups the candidate page shows beyond identity and the matching profile; a read of
each is logged when the record holds a value in it."""
