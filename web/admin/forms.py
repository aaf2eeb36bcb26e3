"""The admin's forms (Flask-WTF: each carries a CSRF token, uploads included).

Choices of organisations, companies and coaches are filled per request from the graph,
so a form can only link a user to something that exists.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from graph.model import USER_ROLES

__all__ = [
    "BA_SUFFIXES",
    "ESCO_SUFFIXES",
    "TABLE_SUFFIXES",
    "WORLD_SUFFIXES",
    "ActionForm",
    "EscoUploadForm",
    "TableUploadForm",
    "UserForm",
    "WorldUploadForm",
    "role_choices",
]

WORLD_SUFFIXES = (".json", ".jsonl", ".jsonl.gz")
TABLE_SUFFIXES = (".xlsx", ".csv")
ESCO_SUFFIXES = (".zip",)
BA_SUFFIXES = (".csv", ".csv.gz")
LANGUAGES_PATTERN = r"^\s*[a-z]{2,3}(\s*,\s*[a-z]{2,3})*\s*$"


def role_choices() -> list[tuple[str, str]]:
    from web.auth import ROLE_NAMES

    return [(role, str(ROLE_NAMES[role])) for role in USER_ROLES]


class UserForm(FlaskForm):
    """Creating or editing a login; the links are checked against the role on save."""

    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse ein.")),
            Length(max=254),
        ],
    )
    display_name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Rolle"), validators=[DataRequired()])
    organization = SelectField(_l("Organisation (für Beratung)"), validators=[Optional()])
    company = SelectField(_l("Unternehmen (für Arbeitgeber)"), validators=[Optional()])
    coach = SelectField(_l("Pate oder Patin (für Patenschaft)"), validators=[Optional()])
    password = PasswordField(
        _l("Erstes Passwort (leer lassen: wird erzeugt)"),
        validators=[Optional(), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    version = HiddenField()
    submit = SubmitField(_l("Speichern"))


class ActionForm(FlaskForm):
    """A button that changes state (deactivate, reactivate, reset the password)."""

    submit = SubmitField(_l("Ausführen"))


class WorldUploadForm(FlaskForm):
    file = FileField(
        _l("Weltdatei (.json, .jsonl, .jsonl.gz)"),
        validators=[FileRequired(_l("Bitte wählen Sie eine Datei."))],
    )
    submit = SubmitField(_l("Prüfen und importieren"))


class TableUploadForm(FlaskForm):
    kind = SelectField(_l("Art der Liste"), validators=[DataRequired()])
    file = FileField(
        _l("Liste (.xlsx oder .csv)"),
        validators=[FileRequired(_l("Bitte wählen Sie eine Datei."))],
    )
    submit = SubmitField(_l("Prüfen und importieren"))


class EscoUploadForm(FlaskForm):
    """The ESCO CSV download as one .zip, like ``wegweiser import esco DIR…`` reads it."""

    file = FileField(
        _l("ESCO-Download als ZIP-Archiv (.zip mit den CSV-Dateien)"),
        validators=[FileRequired(_l("Bitte wählen Sie eine Datei."))],
    )
    languages = StringField(
        _l("Sprachen (z. B. en,de; leer lassen: alle im Archiv)"),
        validators=[
            Optional(),
            Length(max=100),
            Regexp(
                LANGUAGES_PATTERN,
                message=_l("Bitte Sprachcodes mit Komma getrennt angeben, z. B. en,de."),
            ),
        ],
    )
    ba_mapping = FileField(
        _l("BA-Zuordnungstabelle EURESmapping_skills_DE (.csv oder .csv.gz, optional)"),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Prüfen und importieren"))
