"""Finding a candidate (search by name, filters by town, language, skill, tool and
status, pages of 20) and the candidate's profile with the provenance of every skill."""

from __future__ import annotations

import math

from flask import render_template, request
from flask_babel import gettext as _

from graph.casework import casework
from graph.contact import contact_requests_of_candidate
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
from web.store import get_store

PAGE_SIZE = 20


def _status(work_waiting: bool, latest: str | None, wanted: str) -> bool:
    if wanted == "waiting":
        return work_waiting
    if wanted == "none":
        return latest is None
    return latest == wanted


@bp.get("/candidates")
def candidates() -> str:
    store = get_store()
    lang = current_lang()
    name = request.args.get("q", "").strip()
    wanted = {key: request.args.get(key, "") for key in ("town", "language", "skill", "tool")}
    status = request.args.get("status", "")
    everyone = store.candidates_by_id(scope_ids(store))
    label = Labeller(store, lang)
    options = _options(everyone, label)
    chosen = [
        c
        for c in everyone
        if (not name or name.casefold() in c.name.casefold())
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
        options[key] = sorted(
            ((i, label(node_label, i)) for i in ids), key=lambda kv: kv[1].casefold()
        )
    return options


@bp.get("/candidates/<candidate_id>")
def candidate(candidate_id: str) -> str:
    candidate_or_404(candidate_id)
    store = get_store()
    lang = current_lang()
    label = Labeller(store, lang)
    node = store.get_node(Label.CANDIDATE, candidate_id)
    profile = store.candidate_profile(candidate_id)
    rels = store.relationships(Label.CANDIDATE, candidate_id)
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
                category = store.get_node(Label.TOOL, rel.target_id).props.get("category")
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
    props = node.props
    gender = props.get("gender")
    work = casework(store, candidate_id)
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
        status_forms={p.id: status_forms(p) for p in work.placements},
        contact_rows=request_rows(store, contact_requests_of_candidate(store, candidate_id)),
    )
