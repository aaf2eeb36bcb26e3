"""Employers: their own company and offers, and candidates only under a pseudonym.

Every object is fetched through ``graph.access`` (another company's offer answers 404).
Candidates appear only as the pseudonym ``graph.pseudonyms`` derives for the offer's
company, with fit, gap and weeks to readiness — never name, contact, birth year,
nationality or address, and never the candidate id (not even in markup). "Ask for
contact" sends the pseudonym back; the server finds the candidate among those it could
have shown and records a contact request for the candidate's advisor. Once the advisor
has recorded the candidate's consent on that request, the candidate view of *that offer*
shows the name, e-mail and phone next to the pseudonym (``graph.access.visible_groups``
decides, afresh on every page load; a withdrawn consent hides them again); every other
offer still shows the pseudonym only.
"""

from __future__ import annotations

import math
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from graph.access import (
    Action,
    Principal,
    Resource,
    can,
    load_resource,
    offer_scope,
    visible_groups,
)
from graph.audit import (
    ACTION_CREATE,
    ACTION_READ,
    GROUP_CASEWORK,
    GROUP_IDENTITY_CONTACT,
    PURPOSE_EMPLOYER_VIEW,
)
from graph.contact import ask_for_contact, contact_requests_for_offer
from graph.errors import Conflict, NotFound
from graph.fields import redact
from graph.matching import Match, MatchFilters, match_candidates
from graph.model import Label
from graph.pseudonyms import pseudonym, resolve_pseudonym
from web.audit import record, record_pseudonymised
from web.catalogue import quoted
from web.employer.forms import (
    REQUIREMENT_ROWS,
    CompanyForm,
    ContactForm,
    OfferForm,
    ReadyByForm,
    kind_choices,
)
from web.employer.offers import (
    CompanyValues,
    OfferDraft,
    RequirementRow,
    catalogue_options,
    closest_items,
    company_values,
    existing_rows,
    offer_town,
    resolve_item,
    save_company,
    save_offer,
    town_choices,
    version_of,
)
from web.guard import audience_blueprint, find_or_404, principal
from web.store import get_store

bp = audience_blueprint("employer", __name__, "/employer", roles=["employer"])

REQUEST_STATES = {
    "open": _l("angefragt"),
    "answered": _l("beantwortet"),
    "declined": _l("abgelehnt"),
    "consented": _l("Einwilligung liegt vor"),
    "withdrawn": _l("Einwilligung widerrufen"),
}
"""How the employer's list names the state of each of its contact requests."""

SHOWN = 20
"""Candidates listed per offer; more are fetched so that those without consent can be
left out and the list is still full."""


def candidate_pseudonym(company_id: str, candidate_id: str) -> str:
    """How the employer of ``company_id`` sees a candidate (see ``graph.pseudonyms``)."""
    return pseudonym(current_app.config["SECRET_KEY"], company_id, candidate_id)


def _lang() -> str:
    return str(get_locale())


def _own_company() -> str:
    company = principal().company
    if not company:
        abort(404)
    find_or_404(Action.VIEW, Label.COMPANY, company)
    return company


def _own_offer(offer_id: str, action: Action = Action.VIEW) -> str:
    """The offer's company, if the offer is the current user's (404 otherwise)."""
    resource = find_or_404(action, Label.OFFER, offer_id)
    if not resource.companies:
        abort(404)
    return sorted(resource.companies)[0]


@bp.get("/")
def index() -> str:
    store = get_store()
    me = principal()
    company = None
    if me.company:
        try:
            company = store.get_node(Label.COMPANY, me.company).props.get("name")
        except NotFound:
            company = me.company
    scope = offer_scope(store, me)
    offers = [o for o in store.offer_profiles(only_open=False) if o.id in scope]
    kinds = dict(kind_choices())
    return render_template(
        "employer/index.html",
        company=company,
        offers=offers,
        kinds=kinds,
        has_company=bool(me.company),
    )


# --- company profile -----------------------------------------------------------------


@bp.route("/company", methods=["GET", "POST"])
def company() -> Response | tuple[str, int] | str:
    store = get_store()
    company_id = _own_company()
    stored = company_values(store, company_id)
    form = CompanyForm()
    form.town.choices = town_choices(store)
    if request.method == "GET":
        form.name.data, form.sector.data, form.town.data = stored.name, stored.sector, stored.town
        _load(form, stored)
        form.version.data = str(version_of(store, Label.COMPANY, company_id))
        return render_template("employer/company.html", form=form, conflict=[])
    if not form.validate_on_submit():
        return render_template("employer/company.html", form=form, conflict=[]), 400
    loaded = CompanyValues(
        form.loaded_name.data or "", form.loaded_sector.data or "", form.loaded_town.data or ""
    )
    changed = loaded.changed(stored)
    values = CompanyValues(form.name.data.strip(), (form.sector.data or "").strip(), form.town.data)
    if not changed:
        try:  # the compare-and-set catches a save made since the check above
            save_company(store, company_id, values, _version(form.version.data))
        except Conflict:
            stored = company_values(store, company_id)
            changed = loaded.changed(stored) or ["name", "sector", "town"]
    if changed:
        names = {"name": _("Name"), "sector": _("Branche"), "town": _("Ort")}
        towns = dict(form.town.choices)
        shown = {**stored.__dict__, "town": towns.get(stored.town, stored.town)}
        conflict = [(names[f], shown[f]) for f in changed]
        _load(form, stored)  # saving again now overwrites knowingly
        form.version.data = str(version_of(store, Label.COMPANY, company_id))
        flash(
            _(
                "Jemand hat das Profil gespeichert, während Sie es bearbeitet haben. "
                "Geändert wurde: %(fields)s. Nichts wurde überschrieben – bitte prüfen "
                "Sie Ihre Eingaben und speichern Sie erneut.",
                fields=", ".join(name for name, _value in conflict),
            ),
            "error",
        )
        return render_template("employer/company.html", form=form, conflict=conflict), 409
    flash(_("Das Unternehmensprofil wurde gespeichert."), "success")
    return redirect(url_for(".company"))


def _version(text: str | None) -> int:
    """The version a form was loaded at (0 when missing or garbled: then only a never
    versioned node can be saved, which errs on the side of a conflict message)."""
    try:
        return max(int(text or "0"), 0)
    except ValueError:
        return 0


def _load(form: CompanyForm, values: CompanyValues) -> None:
    form.loaded_name.data = values.name
    form.loaded_sector.data = values.sector
    form.loaded_town.data = values.town


# --- offers ----------------------------------------------------------------------------


def _offer_form(store: Any) -> OfferForm:
    form = OfferForm()
    form.kind.choices = kind_choices()
    form.town.choices = town_choices(store)
    return form


def _pad_rows(form: OfferForm) -> None:
    filled = sum(1 for row in form.requirements if (row.item.data or "").strip())
    while len(form.requirements) < filled + REQUIREMENT_ROWS:
        form.requirements.append_entry()


def _draft(store: Any, form: OfferForm) -> OfferDraft | None:
    """The offer the form describes, or None after marking every wrong row."""
    ok = form.validate_on_submit()
    rows: list[RequirementRow] = []
    first_row: dict[tuple[Label, str], int] = {}
    for number, entry in enumerate(form.requirements, start=1):
        text = (entry.item.data or "").strip()
        if not text:
            continue
        row, problem = resolve_item(store, text)
        errors = list(entry.item.errors)
        if row is None and problem == "unknown" and (near := closest_items(store, text, _lang())):
            errors.append(
                _(
                    "Zeile %(row)s: „%(text)s“ ist keine bekannte Fähigkeit und kein "
                    "bekanntes Werkzeug. Meinten Sie: %(suggestions)s?",
                    row=number,
                    text=text,
                    suggestions=quoted(near),
                )
            )
        elif row is None and problem == "unknown":
            errors.append(
                _(
                    "Zeile %(row)s: „%(text)s“ ist keine bekannte Fähigkeit und kein "
                    "bekanntes Werkzeug.",
                    row=number,
                    text=text,
                )
            )
        elif row is None:
            errors.append(
                _(
                    "Zeile %(row)s: „%(text)s“ passt auf mehrere Einträge (%(ids)s). "
                    "Bitte geben Sie die Kennung ein.",
                    row=number,
                    text=text,
                    ids=problem,
                )
            )
        elif (row.label, row.id) in first_row:
            errors.append(
                _(
                    "Zeile %(row)s: „%(text)s“ steht schon in Zeile %(first)s.",
                    row=number,
                    text=text,
                    first=first_row[(row.label, row.id)],
                )
            )
        else:
            first_row[(row.label, row.id)] = number
            level = int(entry.level.data or 1)
            rows.append(RequirementRow(row.label, row.id, level, bool(entry.essential.data)))
        if errors:
            entry.item.errors = errors
            ok = False
    if not ok:
        return None
    return OfferDraft(
        kind=form.kind.data,
        title=form.title.data.strip(),
        seats=int(form.seats.data),
        open=bool(form.open.data),
        town=form.town.data,
        german=form.german.data or "",
        requirements=rows,
    )


def _render_offer_form(store: Any, form: OfferForm, offer_id: str | None, status: int = 200):
    _pad_rows(form)
    page = render_template(
        "employer/offer_form.html",
        form=form,
        offer_id=offer_id,
        catalogue=catalogue_options(store, _lang()),
    )
    return page, status


@bp.route("/offers/new", methods=["GET", "POST"])
def new_offer() -> Response | tuple[str, int]:
    store = get_store()
    company_id = _own_company()
    find_or_404(Action.CREATE, Label.COMPANY, company_id)
    form = _offer_form(store)
    if request.method == "POST":
        draft = _draft(store, form)
        if draft is not None:
            offer_id = save_offer(store, company_id, draft)
            flash(_("Das Angebot wurde gespeichert."), "success")
            return redirect(url_for(".candidates", offer_id=offer_id))
        return _render_offer_form(store, form, None, 400)
    form.town.data = company_values(store, company_id).town
    return _render_offer_form(store, form, None)


@bp.route("/offers/<offer_id>/edit", methods=["GET", "POST"])
def edit_offer(offer_id: str) -> Response | tuple[str, int]:
    store = get_store()
    company_id = _own_offer(offer_id, Action.EDIT)
    form = _offer_form(store)
    if request.method == "POST":
        draft = _draft(store, form)
        if draft is None:
            return _render_offer_form(store, form, offer_id, 400)
        try:
            save_offer(store, company_id, draft, offer_id, _version(form.version.data))
        except Conflict:
            form.version.data = str(version_of(store, Label.OFFER, offer_id))
            flash(
                _(
                    "Jemand hat das Angebot gespeichert, während Sie es bearbeitet haben. "
                    "Nichts wurde überschrieben – Ihre Eingaben stehen noch im Formular. "
                    "Bitte vergleichen Sie mit dem gespeicherten Angebot und speichern Sie "
                    "erneut."
                ),
                "error",
            )
            return _render_offer_form(store, form, offer_id, 409)
        flash(_("Das Angebot wurde gespeichert."), "success")
        return redirect(url_for(".candidates", offer_id=offer_id))
    props = store.get_node(Label.OFFER, offer_id).props
    form.version.data = str(props.get("version") or 0)
    form.kind.data = props.get("kind")
    form.title.data = props.get("title")
    form.seats.data = props.get("seats") or 1
    form.open.data = bool(props.get("open", True))
    form.town.data = offer_town(store, offer_id)
    rows, german = existing_rows(store, offer_id, _lang())
    form.german.data = german
    while len(form.requirements):
        form.requirements.pop_entry()
    for text, level, essential in rows:
        entry = form.requirements.append_entry()
        entry.item.data, entry.level.data, entry.essential.data = text, str(level), essential
    return _render_offer_form(store, form, offer_id)


# --- fitting candidates, pseudonymised ------------------------------------------------


@bp.get("/offers/<offer_id>/candidates")
def candidates(offer_id: str) -> str:
    store = get_store()
    company_id = _own_offer(offer_id)
    me = principal()
    offer = store.offer_profile(offer_id)
    form = ReadyByForm(request.args)
    ready_by = form.ready_by.data if form.validate() else None
    matches = match_candidates(store, offer_id, MatchFilters(ready_by=ready_by), limit=3 * SHOWN)
    resources = {
        m.candidate.id: load_resource(store, Label.CANDIDATE, m.candidate.id) for m in matches
    }
    shown = [m for m in matches if can(me, Action.VIEW_PSEUDONYMISED, resources[m.candidate.id])][
        :SHOWN
    ]
    record_pseudonymised(m.candidate.id for m in shown)
    asked = {
        r.candidate: r
        for r in contact_requests_for_offer(store, offer_id)
        if r.company == company_id
    }
    for candidate_id in asked:
        if candidate_id not in resources:
            resources[candidate_id] = load_resource(store, Label.CANDIDATE, candidate_id)
    identities = _identities(store, me, offer_id, {c: resources[c] for c in asked})
    rows = [_fit_row(m, company_id, asked) for m in shown]
    for row, m in zip(rows, shown, strict=True):
        row["identity"] = identities.get(m.candidate.id)
    requests = [
        {
            "pseudonym": candidate_pseudonym(company_id, r.candidate),
            "day": r.requested_at[:10],
            "status": r.status,
            "identity": identities.get(r.candidate),
        }
        for r in asked.values()
    ]
    requests.sort(key=lambda r: (r["pseudonym"], r["day"]))
    return render_template(
        "employer/candidates.html",
        offer=offer,
        offer_id=offer_id,
        form=form,
        ready_by=ready_by,
        rows=rows,
        requests=requests,
        contact_form=ContactForm(),
        kinds=dict(kind_choices()),
        request_states=REQUEST_STATES,
    )


_REVEALED = ("name", "email", "phone")
"""What a consent to contact reveals to the employer: who the person is and how to reach
them — not gender, birth year or address, which a first contact does not need."""


def _identities(
    store: Any, me: Principal, offer_id: str, resources: dict[str, Resource]
) -> dict[str, dict[str, Any]]:
    """Name, e-mail and phone of each candidate whose identity the policy opens to ``me``
    for ``offer_id`` (a recorded, not withdrawn consent), read in one call; each reveal is
    a read of identity and contact for ``employer_view`` in the audit trail."""
    released = sorted(
        c
        for c, resource in resources.items()
        if GROUP_IDENTITY_CONTACT in visible_groups(me, resource, offer=offer_id)
    )
    if not released:
        return {}
    nodes = store.get_nodes(Label.CANDIDATE, released)
    identities = {}
    for candidate_id, node in nodes.items():
        props = redact(node.props, {GROUP_IDENTITY_CONTACT})
        identities[candidate_id] = {k: props.get(k) for k in _REVEALED}
        record(
            ACTION_READ,
            Label.CANDIDATE,
            candidate_id,
            candidate_id,
            GROUP_IDENTITY_CONTACT,
            PURPOSE_EMPLOYER_VIEW,
        )
    return identities


def _fit_row(match: Match, company_id: str, asked: dict[str, Any]) -> dict[str, Any]:
    lang = _lang()
    gap = match.gap
    met, total = gap.coverage(essential=True)
    best = match.route.best if match.route is not None else None
    feasible = bool(match.route and match.route.feasible and best is not None)
    return {
        "pseudonym": candidate_pseudonym(company_id, match.candidate.id),
        "fit": match.fit,
        "met": met,
        "total": total,
        "ready": gap.ready,
        "missing": [
            (
                line.labels.get(lang) or line.labels.get("de") or line.id,
                line.required,
                line.current,
            )
            for line in gap.lines
            if not line.met
        ],
        "feasible": feasible,
        "weeks": best.total_weeks if feasible and best else None,
        "ready_date": format_date(best.ready_date) if feasible and best and best.ready_date else "",
        "km": None
        if match.distance_km is None or math.isinf(match.distance_km)
        else round(match.distance_km),
        "asked": match.candidate.id in asked,
    }


@bp.post("/offers/<offer_id>/contact")
def contact(offer_id: str) -> Response:
    store = get_store()
    company_id = _own_offer(offer_id)
    form = ContactForm()
    if not form.validate_on_submit():
        abort(400)
    ids = [node.id for node in store.list_nodes(Label.CANDIDATE, limit=10_000_000)]
    secret = current_app.config["SECRET_KEY"]
    candidate_id = resolve_pseudonym(secret, company_id, form.pseudonym.data, ids)
    if candidate_id is None:
        abort(404)
    find_or_404(Action.ASK_CONTACT, Label.CANDIDATE, candidate_id)
    _request, new = ask_for_contact(
        store, candidate_id, offer_id, company=company_id, requested_by=principal().id
    )
    code = candidate_pseudonym(company_id, candidate_id)
    if new:
        record(ACTION_CREATE, Label.CONTACT_REQUEST, _request.id, candidate_id, GROUP_CASEWORK)
        flash(
            _(
                "Ihre Kontaktanfrage zu %(pseudonym)s ist bei der Beratung. Sie meldet "
                "sich, sobald die Person zugestimmt hat.",
                pseudonym=code,
            ),
            "success",
        )
    else:
        flash(_("Zu %(pseudonym)s haben Sie schon Kontakt angefragt.", pseudonym=code), "success")
    return redirect(url_for(".candidates", offer_id=offer_id, **request.args))
