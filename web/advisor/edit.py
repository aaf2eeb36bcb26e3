"""Editing a candidate's profile — identity and contact, the matching profile (town,
availability, skills, tools and languages with levels and provenance), residence,
social/benefit and health data — without ever overwriting someone else's save.

Which property belongs to which field group is declared once in ``graph.fields``; the form
edits every property declared there and checks each value with the world-file schema
(``graph.world.schema.Candidate``), so a value the form accepts is one ``import world``
accepts too, and the other way round.

The form carries the ``version`` it was loaded at and a snapshot of what it showed. A
save is one ``save_entity_if_version`` (compare-and-set in one write transaction, on
either store). When someone saved in between, the store refuses with ``Conflict``; the
page then answers 409, names every field that changed meanwhile with its new value, and
keeps the person's own input in the form, now based on the new version, so saving again
is a deliberate choice. Rows are plain inputs (a text field with a ``datalist`` for the
item, selects for level and provenance), so editing works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from pydantic import ValidationError
from werkzeug.wrappers import Response
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from graph.access import Action
from graph.errors import Conflict, InvalidInput, NotFound
from graph.fields import CANDIDATE_FIELDS
from graph.model import (
    BENEFITS,
    CEFR_LEVELS,
    GENDERS,
    RESIDENCE_STATUSES,
    SKILL_SOURCES,
    Label,
    Rel,
)
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore
from graph.world import schema
from web.advisor import bp
from web.advisor.candidates import BENEFIT_NAMES, RESIDENCE_NAMES
from web.advisor.common import SOURCE_NAMES, Labeller, candidate_or_404, current_lang
from web.audit import record_profile_update
from web.catalogue import closest, full_list, quoted
from web.store import get_store

EMPTY_ROWS = 2
_CLAIMS = {"skills": (Label.SKILL, Rel.HAS_SKILL), "tools": (Label.TOOL, Rel.KNOWS_TOOL)}
_EDITED = {Rel.HAS_SKILL, Rel.KNOWS_TOOL, Rel.SPEAKS, Rel.LIVES_IN}


# --- the values, as stored ----------------------------------------------------------------


PROPERTIES: tuple[str, ...] = tuple(name for names in CANDIDATE_FIELDS.values() for name in names)
"""The ``Candidate`` properties the form edits: every one a field group holds."""
_PROPERTY_FIELDS = tuple(name for name in PROPERTIES if name not in ("name", "available_from"))
"""Properties beyond the original form's name and availability, kept as text."""
_INTS = frozenset({"birth_year"})
"""Properties stored as numbers (the form and the conflict snapshot hold text)."""


@dataclass(frozen=True)
class CandidateValues:
    """The editable part of a candidate; claims as ``(id, level, source, at, by)``. The
    group properties (``graph.fields``) are text, "" when not set."""

    name: str
    town: str
    available_from: str
    skills: tuple[tuple[str, int, str, str, str], ...]
    tools: tuple[tuple[str, int, str, str, str], ...]
    languages: tuple[tuple[str, str], ...]
    gender: str = ""
    birth_year: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    nationality: str = ""
    residence_status: str = ""
    residence_until: str = ""
    benefit: str = ""
    benefit_number: str = ""
    health_notes: str = ""
    special_needs: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CandidateValues | None:
        try:
            data = json.loads(text)
            return cls(
                str(data["name"]),
                str(data["town"]),
                str(data["available_from"]),
                tuple(tuple(row) for row in data["skills"]),  # type: ignore[misc]
                tuple(tuple(row) for row in data["tools"]),  # type: ignore[misc]
                tuple(tuple(row) for row in data["languages"]),  # type: ignore[misc]
                **{name: str(data[name]) for name in _PROPERTY_FIELDS},
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def changed(self, other: CandidateValues) -> list[str]:
        """The fields in which ``other`` differs, in the order the form shows them."""
        return [name for name in FIELD_NAMES if getattr(self, name) != getattr(other, name)]


# The form edits every property a field group declares (a new one fails here first).
assert set(PROPERTIES) <= {f.name for f in CandidateValues.__dataclass_fields__.values()}


def candidate_values(store: GraphStore, candidate_id: str) -> tuple[CandidateValues, int]:
    """The stored values and the version they belong to."""
    node = store.get_node(Label.CANDIDATE, candidate_id)
    town, claims, languages = "", {"skills": [], "tools": []}, []
    for rel in store.relationships(Label.CANDIDATE, candidate_id):
        if rel.source_id != candidate_id or rel.source_label != Label.CANDIDATE:
            continue
        p = rel.props
        if rel.type == Rel.LIVES_IN:
            town = rel.target_id
        elif rel.type == Rel.SPEAKS:
            languages.append((rel.target_id, str(p.get("level", ""))))
        else:
            for key, (_label, rel_type) in _CLAIMS.items():
                if rel.type == rel_type:
                    claims[key].append(
                        (
                            rel.target_id,
                            int(p.get("level") or 1),
                            str(p.get("source") or "self-reported"),
                            str(p.get("assessed_at") or ""),
                            str(p.get("assessed_by") or ""),
                        )
                    )
    values = CandidateValues(
        str(node.props.get("name") or ""),
        town,
        str(node.props.get("available_from") or ""),
        tuple(sorted(claims["skills"])),
        tuple(sorted(claims["tools"])),
        tuple(sorted(languages)),
        **{
            name: "" if node.props.get(name) is None else str(node.props[name])
            for name in _PROPERTY_FIELDS
        },
    )
    return values, int(node.props.get("version") or 0)


def save_candidate(
    store: GraphStore, candidate_id: str, values: CandidateValues, expected_version: int
) -> int:
    """Write the values as one compare-and-set; keeps what the form does not edit
    (consent, the version, properties of no field group, the organisation and other
    relationships); an emptied field removes the property. Returns the new version;
    ``Conflict`` when the stored version is no longer ``expected_version``."""
    node = store.get_node(Label.CANDIDATE, candidate_id)
    props: dict[str, Any] = {k: v for k, v in node.props.items() if k not in PROPERTIES}
    for name in PROPERTIES:
        value = getattr(values, name)
        if value:
            props[name] = int(value) if name in _INTS else value
    props["name"] = values.name
    me = (Label.CANDIDATE, candidate_id)
    rels = [
        rel
        for rel in store.relationships(Label.CANDIDATE, candidate_id)
        if rel.source_label == Label.CANDIDATE
        and rel.source_id == candidate_id
        and rel.type not in _EDITED
    ]
    if values.town:
        rels.append(RelRecord(Rel.LIVES_IN, *me, Label.TOWN, values.town))
    for key, (label, rel_type) in _CLAIMS.items():
        for item, level, source, at, by in getattr(values, key):
            claim: dict[str, Any] = {"level": level, "source": source}
            if at:
                claim["assessed_at"] = at
            if by:
                claim["assessed_by"] = by
            rels.append(RelRecord(rel_type, *me, label, item, claim))
    for language, level in values.languages:
        rels.append(RelRecord(Rel.SPEAKS, *me, Label.LANGUAGE, language, {"level": level}))
    data = GraphData([NodeRecord(*me, props)], rels)
    return store.save_entity_if_version(Label.CANDIDATE, candidate_id, expected_version, data)


# --- the form --------------------------------------------------------------------------------

_LEVELS = [
    ("1", _l("1 – Grundkenntnisse")),
    ("2", _l("2 – Fortgeschritten")),
    ("3", _l("3 – Expertin/Experte")),
]


class ClaimRow(Form):
    item = StringField(
        _l("Eintrag"),
        validators=[Optional(), Length(max=300)],
        render_kw={"autocomplete": "off"},
    )
    level = SelectField(_l("Stufe"), choices=_LEVELS, default="1")
    source = SelectField(
        _l("Herkunft"),
        choices=[(s, SOURCE_NAMES[s]) for s in SKILL_SOURCES],
        default="self-reported",
    )
    assessed_at = StringField(
        _l("Festgestellt am"), validators=[Optional(), Length(max=10)], render_kw={"type": "date"}
    )
    assessed_by = StringField(_l("Festgestellt von"), validators=[Optional(), Length(max=200)])


class LanguageRow(Form):
    item = StringField(
        _l("Sprache"),
        validators=[Optional(), Length(max=100)],
        render_kw={"list": "languages", "autocomplete": "off"},
    )
    level = SelectField(
        _l("Stufe (GER)"),
        choices=[(lvl, lvl) for lvl in CEFR_LEVELS[:-1]] + [("native", _l("Muttersprache"))],
        default="A1",
    )


GENDER_CHOICES = {"f": _l("weiblich"), "m": _l("männlich"), "d": _l("divers")}
assert tuple(GENDER_CHOICES) == GENDERS
assert tuple(RESIDENCE_NAMES) == RESIDENCE_STATUSES and tuple(BENEFIT_NAMES) == BENEFITS


def _codes(names: dict[str, Any]) -> list[tuple[str, Any]]:
    """Choices of a code select: "not given" first, then each code by its translated name.
    Not checked by WTForms (``validate_choice=False``): the world-file schema checks the
    code, with a message of our own."""
    return [("", "–"), *names.items()]


def _text(label: Any, limit: int, **attrs: str) -> StringField:
    return StringField(label, render_kw={"maxlength": str(limit), **attrs})


class CandidateForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Bitte geben Sie einen Namen ein.")), Length(max=200)],
    )
    gender = SelectField(
        _l("Geschlecht"), choices=_codes(GENDER_CHOICES), default="", validate_choice=False
    )
    birth_year = _text(_l("Geburtsjahr"), 4, inputmode="numeric")
    email = _text(_l("E-Mail"), 254, type="email", autocomplete="off")
    phone = _text(_l("Telefon"), 40, type="tel", autocomplete="off")
    street = _text(_l("Anschrift"), 500, autocomplete="off")
    town = SelectField(_l("Ort"), validators=[Optional()])
    available_from = StringField(
        _l("Verfügbar ab"), validators=[Optional(), Length(max=10)], render_kw={"type": "date"}
    )
    nationality = _text(_l("Staatsangehörigkeit"), 2, autocomplete="off")
    residence_status = SelectField(
        _l("Aufenthaltsstatus"), choices=_codes(RESIDENCE_NAMES), default="", validate_choice=False
    )
    residence_until = _text(_l("Aufenthalt gültig bis"), 10, type="date")
    benefit = SelectField(
        _l("Leistung"), choices=_codes(BENEFIT_NAMES), default="", validate_choice=False
    )
    benefit_number = _text(_l("Aktenzeichen der Leistung"), 40, autocomplete="off")
    health_notes = TextAreaField(_l("Hinweise zur Gesundheit"), render_kw={"maxlength": "500"})
    special_needs = TextAreaField(_l("Besonderer Bedarf"), render_kw={"maxlength": "500"})
    skills = FieldList(FormField(ClaimRow), min_entries=1)
    tools = FieldList(FormField(ClaimRow), min_entries=1)
    languages = FieldList(FormField(LanguageRow), min_entries=1)
    version = HiddenField()
    loaded = HiddenField()
    submit = SubmitField(_l("Profil speichern"))


def _fill(form: CandidateForm, values: CandidateValues, label: Labeller) -> None:
    form.name.data, form.town.data = values.name, values.town
    form.available_from.data = values.available_from
    for name in _PROPERTY_FIELDS:
        getattr(form, name).data = getattr(values, name)
    for key, (node_label, _rel) in _CLAIMS.items():
        rows = getattr(form, key)
        while len(rows):
            rows.pop_entry()
        for item, level, source, at, by in getattr(values, key):
            entry = rows.append_entry()
            entry.item.data = label(node_label, item)
            entry.level.data, entry.source.data = str(level), source
            entry.assessed_at.data, entry.assessed_by.data = at, by
    while len(form.languages):
        form.languages.pop_entry()
    for item, level in values.languages:
        entry = form.languages.append_entry()
        entry.item.data, entry.level.data = label(Label.LANGUAGE, item), level


def _pad(form: CandidateForm) -> None:
    for rows in (form.skills, form.tools, form.languages):
        filled = sum(1 for row in rows if (row.item.data or "").strip())
        while len(rows) < filled + EMPTY_ROWS:
            rows.append_entry()


def _resolve(store: GraphStore, label: Label, text: str) -> tuple[str | None, str | None]:
    """The one node of ``label`` a typed text names, or why not."""
    found = store.find_items_by_text(label, [text]).get(text, [])
    if not found:
        return None, "unknown"
    if len(found) > 1:
        return None, ", ".join(node.id for node in found)
    return found[0].id, None


_DATE_PROBLEM = _l("Bitte ein Datum wie 2026-12-01 eingeben.")
_PROBLEMS = {
    "available_from": _DATE_PROBLEM,
    "gender": _l("Bitte einen Wert aus der Liste wählen."),
    "birth_year": _l("Bitte ein Geburtsjahr zwischen 1900 und 2100 eingeben."),
    "email": _l("Bitte eine E-Mail-Adresse wie name@example.org eingeben."),
    "phone": _l("Bitte eine Telefonnummer mit 3 bis 40 Zeichen eingeben."),
    "street": _l("Bitte höchstens 500 Zeichen eingeben."),
    "nationality": _l(
        "Bitte den Ländercode aus zwei Buchstaben eingeben (ISO 3166-1, z. B. SY oder DE)."
    ),
    "residence_status": _l("Bitte einen Wert aus der Liste wählen."),
    "residence_until": _DATE_PROBLEM,
    "benefit": _l("Bitte einen Wert aus der Liste wählen."),
    "benefit_number": _l("Bitte höchstens 40 Zeichen eingeben."),
    "health_notes": _l("Bitte höchstens 500 Zeichen eingeben."),
    "special_needs": _l("Bitte höchstens 500 Zeichen eingeben."),
}
"""What to fix, per property the world-file schema refuses."""


def _properties(form: CandidateForm) -> dict[str, str] | None:
    """The group properties as typed (trimmed; a country code in capitals), or None after
    marking each field the world-file schema (``schema.Candidate``) refuses — the same
    rules ``import world`` and the regional lists apply."""
    typed = {
        name: (getattr(form, name).data or "").strip()
        for name in ("available_from", *_PROPERTY_FIELDS)
    }
    typed["nationality"] = typed["nationality"].upper()
    given: dict[str, Any] = {name: value for name, value in typed.items() if value}
    if given.get("birth_year", "").isdigit():
        given["birth_year"] = int(given["birth_year"])
    try:
        schema.Candidate.model_validate({"id": "check", "name": "check", "town": "check", **given})
    except ValidationError as e:
        for name in sorted({str(error["loc"][0]) for error in e.errors() if error["loc"]}):
            if name in _PROBLEMS:
                getattr(form, name).errors = [str(_PROBLEMS[name])]
        return None
    return typed


def _read(store: GraphStore, form: CandidateForm) -> CandidateValues | None:
    """The values the form describes, or None after marking every wrong field and row."""
    ok = form.validate_on_submit()
    properties = _properties(form)
    ok = ok and properties is not None
    kinds = {"skills": Label.SKILL, "tools": Label.TOOL, "languages": Label.LANGUAGE}
    read: dict[str, list[tuple]] = {key: [] for key in kinds}
    for key, node_label in kinds.items():
        seen: dict[str, int] = {}
        for number, entry in enumerate(getattr(form, key), start=1):
            text = (entry.item.data or "").strip()
            if not text:
                continue
            item, problem = _resolve(store, node_label, text)
            errors = list(entry.item.errors)
            if item is None and problem == "unknown":
                errors.append(_unknown(store, node_label, number, text))
            elif item is None:
                errors.append(
                    _(
                        "Zeile %(row)s: „%(text)s“ passt auf mehrere Einträge (%(ids)s). "
                        "Bitte geben Sie die Kennung ein.",
                        row=number,
                        text=text,
                        ids=problem,
                    )
                )
            elif item in seen:
                errors.append(
                    _(
                        "Zeile %(row)s: „%(text)s“ steht schon in Zeile %(first)s.",
                        row=number,
                        text=text,
                        first=seen[item],
                    )
                )
            else:
                seen[item] = number
                if key == "languages":
                    read[key].append((item, entry.level.data))
                else:
                    at = (entry.assessed_at.data or "").strip()
                    if at:
                        try:
                            dt.date.fromisoformat(at)
                        except ValueError:
                            entry.assessed_at.errors = [
                                _("Bitte ein Datum wie 2026-12-01 eingeben.")
                            ]
                            ok = False
                    read[key].append(
                        (
                            item,
                            int(entry.level.data or 1),
                            entry.source.data or "self-reported",
                            at,
                            (entry.assessed_by.data or "").strip(),
                        )
                    )
            if errors:
                entry.item.errors = errors
                ok = False
    if not ok or properties is None:
        return None
    return CandidateValues(
        form.name.data.strip(),
        form.town.data or "",
        properties["available_from"],
        tuple(sorted(read["skills"])),
        tuple(sorted(read["tools"])),
        tuple(sorted(read["languages"])),
        **{name: properties[name] for name in _PROPERTY_FIELDS},
    )


def _unknown(store: GraphStore, label: Label, number: int, text: str) -> str:
    """The error for a text that names nothing, with the closest catalogue labels."""
    near = closest(store, (label,), text, current_lang())
    if not near:
        return _("Zeile %(row)s: „%(text)s“ steht nicht im Katalog.", row=number, text=text)
    return _(
        "Zeile %(row)s: „%(text)s“ steht nicht im Katalog. Meinten Sie: %(suggestions)s?",
        row=number,
        text=text,
        suggestions=quoted(near),
    )


def _options(store: GraphStore, label: Label, lang: str) -> list[str]:
    """The whole catalogue for the datalist if it is small; else an empty list, which
    ``static/suggest.js`` fills while someone types (``web.catalogue``)."""
    return full_list(store, (label,), lang) or []


FIELD_NAMES = {
    "name": _l("Name"),
    "gender": _l("Geschlecht"),
    "birth_year": _l("Geburtsjahr"),
    "email": _l("E-Mail"),
    "phone": _l("Telefon"),
    "street": _l("Anschrift"),
    "town": _l("Ort"),
    "available_from": _l("Verfügbar ab"),
    "skills": _l("Fähigkeiten"),
    "tools": _l("Werkzeuge und Maschinen"),
    "languages": _l("Sprachen"),
    "nationality": _l("Staatsangehörigkeit"),
    "residence_status": _l("Aufenthaltsstatus"),
    "residence_until": _l("Aufenthalt gültig bis"),
    "benefit": _l("Leistung"),
    "benefit_number": _l("Aktenzeichen der Leistung"),
    "health_notes": _l("Hinweise zur Gesundheit"),
    "special_needs": _l("Besonderer Bedarf"),
}
"""How the conflict message names each field, in the order the form shows them."""
_CODE_NAMES = {
    "gender": GENDER_CHOICES,
    "residence_status": RESIDENCE_NAMES,
    "benefit": BENEFIT_NAMES,
}
"""Codes the conflict message shows by their translated name."""


def _shown(values: CandidateValues, field: str, label: Labeller, towns: dict[str, str]) -> str:
    """A field's current value as a person reads it in the conflict message."""
    if field == "town":
        return towns.get(values.town, values.town) or "–"
    if field in ("skills", "tools"):
        node_label = _CLAIMS[field][0]
        return ", ".join(f"{label(node_label, r[0])} {r[1]}" for r in getattr(values, field)) or "–"
    if field == "languages":
        return ", ".join(f"{label(Label.LANGUAGE, i)} {lvl}" for i, lvl in values.languages) or "–"
    value = str(getattr(values, field))
    if field in _CODE_NAMES and value:
        return str(_CODE_NAMES[field].get(value, value))
    return value or "–"


@bp.route("/candidates/<candidate_id>/edit", methods=["GET", "POST"])
def edit_candidate(candidate_id: str) -> Response | str | tuple[str, int]:
    candidate_or_404(candidate_id, Action.EDIT)
    store = get_store()
    lang = current_lang()
    label = Labeller(store, lang)
    stored, version = candidate_values(store, candidate_id)
    form = CandidateForm()
    towns = {node.id: str(node.props.get("name", node.id)) for node in store.list_nodes(Label.TOWN)}
    form.town.choices = [("", "–"), *sorted(towns.items(), key=lambda kv: kv[1])]
    conflict: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        values = _read(store, form)
        if values is not None:
            try:
                expected = int(form.version.data or "0")
            except ValueError:
                expected = -1
            try:
                save_candidate(store, candidate_id, values, max(expected, 0))
            except Conflict:
                loaded = CandidateValues.from_json(form.loaded.data or "")
                fields = loaded.changed(stored) if loaded else list(FIELD_NAMES)
                conflict = [(str(FIELD_NAMES[f]), _shown(stored, f, label, towns)) for f in fields]
                flash(
                    _(
                        "Jemand hat dieses Profil gespeichert, während Sie es bearbeitet haben. "
                        "Nichts wurde überschrieben. Geändert wurde: %(fields)s. Ihre Eingaben "
                        "stehen noch im Formular – prüfen Sie sie und speichern Sie erneut.",
                        fields=", ".join(name for name, _value in conflict) or "–",
                    ),
                    "error",
                )
                form.version.data, form.loaded.data = str(version), stored.to_json()
                status = 409
            except (InvalidInput, NotFound) as e:
                flash(_("Nicht gespeichert: %(reason)s", reason=str(e)), "error")
                status = 400
            else:
                record_profile_update(candidate_id, values.changed(stored))
                flash(_("Das Profil wurde gespeichert."), "success")
                return redirect(url_for("advisor.candidate", candidate_id=candidate_id))
        else:
            status = 400
    else:
        _fill(form, stored, label)
        form.version.data, form.loaded.data = str(version), stored.to_json()
    _pad(form)
    for rows, kind, list_id in (
        (form.skills, "skill", "catalogue-skill"),
        (form.tools, "tool", "catalogue-tool"),
        (form.languages, "language", "languages"),
    ):
        for row in rows:
            row.item.render_kw = {"list": list_id, "autocomplete": "off", "data-suggest": kind}
    page = render_template(
        "advisor/edit.html",
        form=form,
        candidate_id=candidate_id,
        conflict=conflict,
        skill_options=_options(store, Label.SKILL, lang),
        tool_options=_options(store, Label.TOOL, lang),
        language_options=_options(store, Label.LANGUAGE, lang),
    )
    return page, status
