"""Editing a candidate's profile — name, town, availability, skills, tools and languages
with levels and provenance — without ever overwriting someone else's save.

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
from werkzeug.wrappers import Response
from wtforms import FieldList, Form, FormField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from graph.access import Action
from graph.errors import Conflict, InvalidInput, NotFound
from graph.model import CEFR_LEVELS, SKILL_SOURCES, Label, Rel
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore
from web.advisor import bp
from web.advisor.common import SOURCE_NAMES, Labeller, candidate_or_404, current_lang
from web.audit import record_profile_update
from web.catalogue import closest, full_list, quoted
from web.store import get_store

EMPTY_ROWS = 2
_CLAIMS = {"skills": (Label.SKILL, Rel.HAS_SKILL), "tools": (Label.TOOL, Rel.KNOWS_TOOL)}
_EDITED = {Rel.HAS_SKILL, Rel.KNOWS_TOOL, Rel.SPEAKS, Rel.LIVES_IN}


# --- the values, as stored ----------------------------------------------------------------


@dataclass(frozen=True)
class CandidateValues:
    """The editable part of a candidate; claims as ``(id, level, source, at, by)``."""

    name: str
    town: str
    available_from: str
    skills: tuple[tuple[str, int, str, str, str], ...]
    tools: tuple[tuple[str, int, str, str, str], ...]
    languages: tuple[tuple[str, str], ...]

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
            )
        except (ValueError, KeyError, TypeError):
            return None

    def changed(self, other: CandidateValues) -> list[str]:
        """The fields in which ``other`` differs."""
        return [
            name
            for name in ("name", "town", "available_from", "skills", "tools", "languages")
            if getattr(self, name) != getattr(other, name)
        ]


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
    )
    return values, int(node.props.get("version") or 0)


def save_candidate(
    store: GraphStore, candidate_id: str, values: CandidateValues, expected_version: int
) -> int:
    """Write the values as one compare-and-set; keeps what the form does not edit (gender,
    birth year, consent, organisation). Returns the new version; ``Conflict`` when the
    stored version is no longer ``expected_version``."""
    node = store.get_node(Label.CANDIDATE, candidate_id)
    props: dict[str, Any] = {k: v for k, v in node.props.items() if k != "available_from"}
    props["name"] = values.name
    if values.available_from:
        props["available_from"] = values.available_from
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


class CandidateForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Bitte geben Sie einen Namen ein.")), Length(max=200)],
    )
    town = SelectField(_l("Ort"), validators=[Optional()])
    available_from = StringField(
        _l("Verfügbar ab"), validators=[Optional(), Length(max=10)], render_kw={"type": "date"}
    )
    skills = FieldList(FormField(ClaimRow), min_entries=1)
    tools = FieldList(FormField(ClaimRow), min_entries=1)
    languages = FieldList(FormField(LanguageRow), min_entries=1)
    version = HiddenField()
    loaded = HiddenField()
    submit = SubmitField(_l("Profil speichern"))


def _fill(form: CandidateForm, values: CandidateValues, label: Labeller) -> None:
    form.name.data, form.town.data = values.name, values.town
    form.available_from.data = values.available_from
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


def _read(store: GraphStore, form: CandidateForm) -> CandidateValues | None:
    """The values the form describes, or None after marking every wrong row."""
    ok = form.validate_on_submit()
    if form.available_from.data:
        try:
            dt.date.fromisoformat(form.available_from.data)
        except ValueError:
            form.available_from.errors = [_("Bitte ein Datum wie 2026-12-01 eingeben.")]
            ok = False
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
    if not ok:
        return None
    return CandidateValues(
        form.name.data.strip(),
        form.town.data or "",
        form.available_from.data or "",
        tuple(sorted(read["skills"])),
        tuple(sorted(read["tools"])),
        tuple(sorted(read["languages"])),
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
    "town": _l("Ort"),
    "available_from": _l("Verfügbar ab"),
    "skills": _l("Fähigkeiten"),
    "tools": _l("Werkzeuge und Maschinen"),
    "languages": _l("Sprachen"),
}


def _shown(values: CandidateValues, field: str, label: Labeller, towns: dict[str, str]) -> str:
    """A field's current value as a person reads it in the conflict message."""
    if field == "town":
        return towns.get(values.town, values.town) or "–"
    if field in ("skills", "tools"):
        node_label = _CLAIMS[field][0]
        return ", ".join(f"{label(node_label, r[0])} {r[1]}" for r in getattr(values, field)) or "–"
    if field == "languages":
        return ", ".join(f"{label(Label.LANGUAGE, i)} {lvl}" for i, lvl in values.languages) or "–"
    return str(getattr(values, field)) or "–"


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
