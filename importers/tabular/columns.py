"""The columns of every regional list, in one place.

Each KIND (companies, offers, courses, candidates, coaches) is a list of columns: the
German header as people in a Jobcenter write it, the English key (accepted as a header
too), whether it is required, how a cell is read, an example and help in German and
English. ``target`` is where the value goes in the world-file entity
(``graph.world.schema``), so that a row becomes exactly what ``import world`` checks and
writes. Templates, the help sheet, reading and error messages are all made from this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from graph import model
from graph.model import Label

__all__ = ["KINDS", "Column", "Kind", "kind_named"]

CellKind = Literal[
    "id",  # text that becomes an entity id
    "text",
    "int",
    "number",
    "date",
    "bool",
    "email",  # an e-mail address
    "country",  # an ISO 3166-1 alpha-2 code
    "choice",  # one of ``choices``
    "ref",  # one node of ``ref``, by id, ESCO URI, name or label
    "refs",  # several of them, separated by ';'
    "items",  # skills or tools with a level: 'Gabelstapler:2; Lagerlogistik:1'
    "languages",  # languages with a CEFR level: 'de:B1; ar:native'
    "texts",  # several texts separated by ';'
    "dates",  # several dates separated by ';'
]


@dataclass(frozen=True, eq=False)
class Column:
    key: str
    header: str
    cell: CellKind
    target: str
    example: object
    help_de: str
    help_en: str
    required: bool = False
    ref: Label | None = None
    choices: dict[str, str] = field(default_factory=dict)
    essential: bool | None = None
    """For an offer's requirement columns: whether the listed items are essential."""

    @property
    def names(self) -> tuple[str, str]:
        """What a header may say for this column (compared ignoring case and spaces)."""
        return (self.header, self.key)


@dataclass(frozen=True)
class Kind:
    name: str
    section: str
    sheet: str
    """The German sheet title of the template (the English name is accepted too)."""
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


# --- enumerations, with the German words people use -------------------------------------

OFFER_KINDS_DE = {"internship": "Praktikum", "apprenticeship": "Ausbildung", "job": "Stelle"}
COURSE_KINDS_DE = {
    "language": "Sprachkurs",
    "qualification": "Qualifizierung",
    "machine": "Maschinenschein",
    "orientation": "Orientierung",
}
GENDERS_DE = {"f": "w", "m": "m", "d": "d"}
RESIDENCE_STATUSES_DE = {
    "citizen": "deutsch",
    "eu_citizen": "EU-Freizügigkeit",
    "settlement_permit": "Niederlassungserlaubnis",
    "residence_permit": "Aufenthaltserlaubnis",
    "temporary_protection": "vorübergehender Schutz",
    "asylum_procedure": "Aufenthaltsgestattung",
    "toleration": "Duldung",
}
BENEFITS_DE = {
    "SGB II": "Bürgergeld",
    "SGB III": "Arbeitslosengeld",
    "AsylbLG": "AsylbLG",
    "none": "keine",
}
assert tuple(OFFER_KINDS_DE) == model.OFFER_KINDS
assert tuple(COURSE_KINDS_DE) == model.COURSE_KINDS
assert tuple(GENDERS_DE) == model.GENDERS
assert tuple(RESIDENCE_STATUSES_DE) == model.RESIDENCE_STATUSES
assert tuple(BENEFITS_DE) == model.BENEFITS

_SKILLS_HELP = (
    "Fähigkeiten mit Stufe 1–3 (1 Grundkenntnisse, 2 fortgeschritten, 3 Experte), getrennt "
    "durch „;“: „Kommissionieren:2; Lagerlogistik (Grundwissen):1“. Statt des Namens geht "
    "auch die ID oder die ESCO-URI; Namen in jeder geladenen Sprache (de, en, ar, …).",
    "Skills with level 1–3 (1 basic, 2 advanced, 3 expert), separated by ';': "
    "'Kommissionieren:2; warehouse operations:1'. An id or ESCO URI works instead of a "
    "label; labels in any loaded language (de, en, ar, …).",
)
_TOOLS_HELP = (
    "Maschinen, Werkzeuge, Fahrzeuge, Software mit Stufe 1–3, getrennt durch „;“: "
    "„Gabelstapler:2; Kassensystem:1“ (Name in jeder geladenen Sprache, ID oder URI).",
    "Machines, tools, vehicles, software with level 1–3, separated by ';': "
    "'forklift:2; Kassensystem:1' (label in any loaded language, id or URI).",
)
_LANGUAGES_HELP = (
    "Sprachen mit GER-Niveau A1, A2, B1, B2, C1, C2 oder Muttersprache (native), getrennt "
    "durch „;“: „de:B1; ar:Muttersprache“ (ISO-Code oder Name der Sprache).",
    "Languages with a CEFR level A1, A2, B1, B2, C1, C2 or native, separated by ';': "
    "'de:B1; ar:native' (ISO code or the language's name).",
)


def _id(example: str, what_de: str, what_en: str) -> Column:
    return Column(
        "id",
        "ID",
        "id",
        "id",
        example,
        f"Eindeutige Kennung {what_de} (ohne Leerzeichen); dieselbe ID später erneut "
        "importiert aktualisiert den Eintrag.",
        f"Unique id of {what_en} (no spaces); importing the same id again updates it.",
        required=True,
    )


def _town(required: bool, example: str) -> Column:
    return Column(
        "town",
        "Ort",
        "ref",
        "town",
        example,
        "Ort im Kreis (Name wie „Erkelenz“ oder ID wie „t-erkelenz“); muss bereits geladen sein.",
        "Town (name such as 'Erkelenz' or id such as 't-erkelenz'); must be loaded already.",
        required=required,
        ref=Label.TOWN,
    )


def _items(key: str, header: str, target: str, label: Label, example: str, **kw) -> Column:
    help_de, help_en = _SKILLS_HELP if label == Label.SKILL else _TOOLS_HELP
    extra_de, extra_en = kw.pop("extra", ("", ""))
    return Column(
        key,
        header,
        "items",
        target,
        example,
        help_de + extra_de,
        help_en + extra_en,
        ref=label,
        **kw,
    )


def _languages(key: str, header: str, target: str, example: str, extra=("", "")) -> Column:
    return Column(
        key,
        header,
        "languages",
        target,
        example,
        _LANGUAGES_HELP[0] + extra[0],
        _LANGUAGES_HELP[1] + extra[1],
        ref=Label.LANGUAGE,
    )


COMPANIES = Kind(
    "companies",
    "companies",
    "Unternehmen",
    (
        _id("c-beispiel-logistik", "des Unternehmens", "the company"),
        Column(
            "name",
            "Name",
            "text",
            "name",
            "Beispiel Logistik GmbH",
            "Name des Unternehmens.",
            "Company name.",
            required=True,
        ),
        _town(True, "Erkelenz"),
        Column(
            "sector",
            "Branche",
            "text",
            "sector",
            "Logistik",
            "Branche (frei formuliert).",
            "Sector (free text).",
        ),
    ),
)

OFFERS = Kind(
    "offers",
    "offers",
    "Angebote",
    (
        _id("of-beispiel-lager", "des Angebots", "the offer"),
        Column(
            "company",
            "Unternehmen",
            "ref",
            "company",
            "Rurtal Logistik GmbH",
            "Unternehmen, das das Angebot stellt (Name oder ID; muss geladen sein).",
            "Company posting the offer (name or id; must be loaded).",
            required=True,
            ref=Label.COMPANY,
        ),
        Column(
            "kind",
            "Art",
            "choice",
            "kind",
            "Praktikum",
            "Praktikum, Ausbildung oder Stelle.",
            "internship, apprenticeship or job.",
            required=True,
            choices=OFFER_KINDS_DE,
        ),
        Column(
            "title",
            "Titel",
            "text",
            "title",
            "Praktikum im Lager (m/w/d)",
            "Titel der Ausschreibung.",
            "Title of the offer.",
            required=True,
        ),
        _town(True, "Hückelhoven"),
        Column(
            "occupation",
            "Beruf",
            "ref",
            "occupation",
            "Kommissionierer/in",
            "Beruf (ESCO-Bezeichnung, ID oder URI), optional.",
            "Occupation (ESCO label, id or URI), optional.",
            ref=Label.OCCUPATION,
        ),
        Column("seats", "Plätze", "int", "seats", 2, "Anzahl der Plätze.", "Number of seats."),
        Column(
            "open",
            "Offen",
            "bool",
            "open",
            "ja",
            "ja/nein: ob das Angebot noch besetzt werden kann (Standard ja).",
            "yes/no: whether the offer is still open (default yes).",
        ),
        _items(
            "skills_essential",
            "Fähigkeiten (erforderlich)",
            "requires.skills",
            Label.SKILL,
            "Kommissionieren:1",
            essential=True,
            extra=(" Diese sind Voraussetzung.", " These are essential."),
        ),
        _items(
            "skills_optional",
            "Fähigkeiten (wünschenswert)",
            "requires.skills",
            Label.SKILL,
            "Lagerlogistik (Grundwissen):1",
            essential=False,
            extra=(" Diese verbessern nur die Rangfolge.", " These only improve ranking."),
        ),
        _items(
            "tools_essential",
            "Maschinen/Werkzeuge (erforderlich)",
            "requires.tools",
            Label.TOOL,
            "Handscanner (MDE-Gerät):1",
            essential=True,
        ),
        _items(
            "tools_optional",
            "Maschinen/Werkzeuge (wünschenswert)",
            "requires.tools",
            Label.TOOL,
            "Gabelstapler:1",
            essential=False,
        ),
        _languages(
            "languages",
            "Sprachen (erforderlich)",
            "requires.languages",
            "de:A2",
            extra=(" Immer Voraussetzung.", " Always essential."),
        ),
    ),
)

COURSES = Kind(
    "courses",
    "courses",
    "Kurse",
    (
        _id("k-beispiel-stapler", "des Kurses", "the course"),
        Column(
            "title",
            "Titel",
            "text",
            "title",
            "Staplerschein mit Praxistag",
            "Titel des Kurses.",
            "Course title.",
            required=True,
        ),
        Column(
            "kind",
            "Art",
            "choice",
            "kind",
            "Maschinenschein",
            "Sprachkurs, Qualifizierung, Maschinenschein oder Orientierung.",
            "language, qualification, machine or orientation.",
            required=True,
            choices=COURSE_KINDS_DE,
        ),
        Column(
            "provider",
            "Träger",
            "ref",
            "provider",
            "o-technikum",
            "Bildungsträger (Name oder ID einer geladenen Organisation).",
            "Provider (name or id of a loaded organization).",
            required=True,
            ref=Label.ORGANIZATION,
        ),
        _town(False, "Hückelhoven"),
        Column(
            "weeks",
            "Wochen",
            "int",
            "weeks",
            2,
            "Dauer in Wochen (1–520).",
            "Duration in weeks (1–520).",
            required=True,
        ),
        Column(
            "hours_per_week",
            "Stunden pro Woche",
            "int",
            "hours_per_week",
            30,
            "Unterrichtsstunden pro Woche (1–60).",
            "Hours per week (1–60).",
        ),
        Column(
            "cost",
            "Kosten (EUR)",
            "number",
            "cost",
            450,
            "Kosten in Euro (0 wenn kostenlos), z. B. 450 oder 450,50.",
            "Cost in euros (0 when free), e.g. 450 or 450.50.",
        ),
        Column(
            "funding",
            "Förderung",
            "texts",
            "funding",
            "Bildungsgutschein",
            "Förderwege, getrennt durch „;“: „BAMF; Bildungsgutschein“.",
            "Funding, separated by ';': 'BAMF; Bildungsgutschein'.",
        ),
        Column(
            "starts",
            "Starttermine",
            "dates",
            "starts",
            "2027-02-01; 2027-05-03",
            "Beginn-Termine, getrennt durch „;“: „2027-02-01; 03.05.2027“. Leer: jederzeit.",
            "Start dates, separated by ';': '2027-02-01; 2027-05-03'. Empty: any day.",
        ),
        Column("seats", "Plätze", "int", "seats", 8, "Anzahl der Plätze.", "Number of seats."),
        _items("teaches_skills", "Vermittelt Fähigkeiten", "teaches.skills", Label.SKILL, ""),
        _items(
            "teaches_tools",
            "Vermittelt Maschinen/Werkzeuge",
            "teaches.tools",
            Label.TOOL,
            "Gabelstapler:1",
        ),
        _languages("teaches_languages", "Vermittelt Sprachen", "teaches.languages", ""),
        _items(
            "requires_skills",
            "Voraussetzung Fähigkeiten",
            "requires.skills",
            Label.SKILL,
            "Arbeitsschutz am Arbeitsplatz:1",
        ),
        _items(
            "requires_tools", "Voraussetzung Maschinen/Werkzeuge", "requires.tools", Label.TOOL, ""
        ),
        _languages("requires_languages", "Voraussetzung Sprachen", "requires.languages", "de:A2"),
    ),
)

CANDIDATES = Kind(
    "candidates",
    "candidates",
    "Teilnehmende",
    (
        _id("p-beispiel", "der Person", "the candidate"),
        Column(
            "name",
            "Name",
            "text",
            "name",
            "Max Mustermann",
            "Vor- und Nachname.",
            "Full name.",
            required=True,
        ),
        _town(True, "Erkelenz"),
        Column(
            "gender",
            "Geschlecht",
            "choice",
            "gender",
            "m",
            "w, m oder d.",
            "f, m or d.",
            choices=GENDERS_DE,
        ),
        Column(
            "birth_year",
            "Geburtsjahr",
            "int",
            "birth_year",
            1995,
            "Geburtsjahr (vierstellig).",
            "Year of birth (four digits).",
        ),
        Column(
            "email",
            "E-Mail",
            "email",
            "email",
            "max.mustermann@example.org",
            "E-Mail-Adresse der Person (höchstens 254 Zeichen).",
            "The candidate's e-mail address (at most 254 characters).",
        ),
        Column(
            "phone",
            "Telefon",
            "text",
            "phone",
            "02452 123456",
            "Telefonnummer (3–40 Zeichen); in Excel als Text eingeben, damit die führende 0 "
            "bleibt.",
            "Phone number (3–40 characters); enter it as text in Excel to keep a leading 0.",
        ),
        Column(
            "street",
            "Anschrift",
            "text",
            "street",
            "Marktplatz 1",
            "Straße und Hausnummer (höchstens 500 Zeichen); der Ort steht in der Spalte „Ort“.",
            "Street and number (at most 500 characters); the town goes in column 'Ort'.",
        ),
        Column(
            "available_from",
            "Verfügbar ab",
            "date",
            "available_from",
            dt.date(2027, 1, 15),
            "Frühester Beginn (JJJJ-MM-TT oder TT.MM.JJJJ).",
            "Earliest start (YYYY-MM-DD).",
        ),
        Column(
            "organization",
            "Organisation",
            "ref",
            "organization",
            "Jobcenter Kreis Heinsberg",
            "Betreuende Stelle (Name oder ID einer geladenen Organisation).",
            "Organization in charge (name or id of a loaded organization).",
            ref=Label.ORGANIZATION,
        ),
        Column(
            "consent_profile_sharing",
            "Einwilligung Profilweitergabe",
            "bool",
            "consent.profile_sharing",
            "ja",
            "ja/nein: pseudonymisiertes Profil darf Unternehmen gezeigt werden.",
            "yes/no: the pseudonymised profile may be shown to employers.",
        ),
        Column(
            "consent_contact",
            "Einwilligung Kontakt",
            "bool",
            "consent.contact",
            "nein",
            "ja/nein: Unternehmen dürfen nach Freigabe Kontakt aufnehmen.",
            "yes/no: employers may ask for contact after approval.",
        ),
        _items("skills", "Fähigkeiten", "skills", Label.SKILL, "Kommissionieren:1"),
        _items("tools", "Maschinen/Werkzeuge", "tools", Label.TOOL, "Gabelstapler:1"),
        _languages("languages", "Sprachen", "languages", "ar:Muttersprache; de:A2"),
        Column(
            "nationality",
            "Staatsangehörigkeit",
            "country",
            "nationality",
            "SY",
            "Staatsangehörigkeit als Ländercode aus zwei Buchstaben (ISO 3166-1: SY, UA, DE).",
            "Nationality as a two-letter country code (ISO 3166-1: SY, UA, DE).",
        ),
        Column(
            "residence_status",
            "Aufenthaltsstatus",
            "choice",
            "residence_status",
            "Aufenthaltserlaubnis",
            "deutsch, EU-Freizügigkeit, Niederlassungserlaubnis, Aufenthaltserlaubnis, "
            "vorübergehender Schutz (§ 24 AufenthG), Aufenthaltsgestattung (Asylverfahren) "
            "oder Duldung.",
            "citizen, eu_citizen, settlement_permit, residence_permit, temporary_protection "
            "(§ 24 AufenthG), asylum_procedure or toleration.",
            choices=RESIDENCE_STATUSES_DE,
        ),
        Column(
            "residence_until",
            "Aufenthalt gültig bis",
            "date",
            "residence_until",
            dt.date(2028, 5, 31),
            "Bis wann der Aufenthaltstitel gilt (JJJJ-MM-TT oder TT.MM.JJJJ).",
            "Until when the residence title is valid (YYYY-MM-DD).",
        ),
        Column(
            "benefit",
            "Leistung",
            "choice",
            "benefit",
            "Bürgergeld",
            "Bezogene Leistung: Bürgergeld (SGB II), Arbeitslosengeld (SGB III), AsylbLG oder "
            "keine.",
            "Benefit drawn: SGB II, SGB III, AsylbLG or none.",
            choices=BENEFITS_DE,
        ),
        Column(
            "benefit_number",
            "Aktenzeichen der Leistung",
            "text",
            "benefit_number",
            "36102//0000000",
            "Aktenzeichen bzw. BG-Nummer der Leistung (höchstens 40 Zeichen).",
            "File number of the benefit (at most 40 characters).",
        ),
        Column(
            "health_notes",
            "Hinweise zur Gesundheit",
            "text",
            "health_notes",
            "",
            "Nur was für die Vermittlung nötig ist (besondere Kategorie, Art. 9 DSGVO; "
            "höchstens 500 Zeichen).",
            "Only what placement needs (special category, Art. 9 GDPR; at most 500 characters).",
        ),
        Column(
            "special_needs",
            "Besonderer Bedarf",
            "text",
            "special_needs",
            "",
            "Besonderer Bedarf, z. B. Dolmetscher oder barrierefreier Zugang (höchstens 500 "
            "Zeichen; besondere Kategorie, Art. 9 DSGVO).",
            "Special needs, e.g. an interpreter or step-free access (at most 500 characters; "
            "special category, Art. 9 GDPR).",
        ),
    ),
)

COACHES = Kind(
    "coaches",
    "coaches",
    "Paten",
    (
        _id("co-beispiel", "der Patin / des Paten", "the coach"),
        Column(
            "name",
            "Name",
            "text",
            "name",
            "Erika Musterfrau",
            "Vor- und Nachname.",
            "Full name.",
            required=True,
        ),
        _town(True, "Wegberg"),
        Column(
            "capacity",
            "Kapazität",
            "int",
            "capacity",
            2,
            "Wie viele Personen sie/er begleiten kann (0–100).",
            "How many people they can mentor (0–100).",
        ),
        Column(
            "languages",
            "Sprachen",
            "refs",
            "languages",
            "de; en",
            "Gesprochene Sprachen, getrennt durch „;“ (ISO-Code oder Name).",
            "Languages spoken, separated by ';' (ISO code or name).",
            ref=Label.LANGUAGE,
        ),
        Column(
            "mentees",
            "Begleitete Personen",
            "refs",
            "mentees",
            "p-ahmad-alkhatib",
            "IDs der begleiteten Teilnehmenden, getrennt durch „;“; müssen geladen sein.",
            "Ids of the candidates mentored, separated by ';'; must be loaded.",
            ref=Label.CANDIDATE,
        ),
    ),
)

KINDS: dict[str, Kind] = {k.name: k for k in (COMPANIES, OFFERS, COURSES, CANDIDATES, COACHES)}
"""Every regional list, by its English name (also the CLI's KIND)."""


def kind_named(name: str) -> Kind:
    """The kind for an English or German name (``offers``, ``Angebote``)."""
    wanted = name.strip().lower()
    for kind in KINDS.values():
        if wanted in (kind.name, kind.sheet.lower()):
            return kind
    raise KeyError(name)
