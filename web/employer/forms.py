"""The employer's forms (Flask-WTF, each with a CSRF token).

Requirements are rows of plain inputs — a text field with a ``datalist`` of catalogue
labels, a level and an "essential" checkbox — so picking works without JavaScript; the
server resolves the text to one skill or tool (``web.employer.offers``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from graph.model import CEFR_LEVELS

__all__ = [
    "REQUIREMENT_ROWS",
    "CompanyForm",
    "ContactForm",
    "OfferForm",
    "ReadyByForm",
    "kind_choices",
]

REQUIREMENT_ROWS = 3
"""Empty requirement rows offered below the filled ones (more after each save)."""


def kind_choices() -> list[tuple[str, str]]:
    return [
        ("internship", str(_l("Praktikum"))),
        ("apprenticeship", str(_l("Ausbildung"))),
        ("job", str(_l("Stelle"))),
    ]


class CompanyForm(FlaskForm):
    """The profile, plus what was loaded: a save compares it with what is stored now."""

    name = StringField(
        _l("Name des Unternehmens"),
        validators=[DataRequired(_l("Bitte geben Sie einen Namen ein.")), Length(max=200)],
    )
    sector = StringField(_l("Branche"), validators=[Optional(), Length(max=100)])
    town = SelectField(_l("Ort"), validators=[DataRequired()])
    loaded_name = HiddenField()
    loaded_sector = HiddenField()
    loaded_town = HiddenField()
    version = HiddenField()
    submit = SubmitField(_l("Speichern"))


class RequirementForm(Form):
    item = StringField(
        _l("Fähigkeit oder Werkzeug"),
        validators=[Optional(), Length(max=300)],
        render_kw={"list": "catalogue", "autocomplete": "off", "data-suggest": "item"},
    )
    level = SelectField(
        _l("Stufe"),
        choices=[
            ("1", _l("1 – Grundkenntnisse")),
            ("2", _l("2 – Fortgeschritten")),
            ("3", _l("3 – Expertin/Experte")),
        ],
        default="1",
    )
    essential = BooleanField(_l("unverzichtbar"))


class OfferForm(FlaskForm):
    kind = SelectField(_l("Art"), validators=[DataRequired()])
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Bitte geben Sie einen Titel ein.")), Length(max=300)],
    )
    seats = IntegerField(
        _l("Plätze"),
        default=1,
        validators=[
            DataRequired(_l("Bitte geben Sie die Zahl der Plätze ein (mindestens 1).")),
            NumberRange(min=1, max=999, message=_l("Zwischen 1 und 999 Plätze.")),
        ],
    )
    open = BooleanField(_l("Ausgeschrieben (offen für Bewerbungen)"), default=True)
    town = SelectField(_l("Ort"), validators=[DataRequired()])
    german = SelectField(
        _l("Deutsch mindestens"),
        choices=[("", _l("keine Anforderung")), *[(lvl, lvl) for lvl in CEFR_LEVELS[:-1]]],
        default="",
    )
    requirements = FieldList(FormField(RequirementForm), min_entries=REQUIREMENT_ROWS)
    version = HiddenField()
    submit = SubmitField(_l("Angebot speichern"))


class ReadyByForm(FlaskForm):
    """A GET filter: no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    ready_by = DateField(_l("Bereit bis spätestens"), validators=[Optional()])
    submit = SubmitField(_l("Anzeigen"))


class ContactForm(FlaskForm):
    pseudonym = HiddenField(validators=[DataRequired(), Length(max=20)])
    submit = SubmitField(_l("Kontakt anfragen"))
