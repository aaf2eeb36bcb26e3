"""Regional lists in Excel and CSV: templates, strict imports, item resolution.

Store tests run on both stores (the ``store`` fixture). The fixtures in
``tests/fixtures/tabular`` are small lists in the layout people send: a CSV from German
Excel (``;``, UTF-8 with BOM, an empty row), and a list with several broken rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from graph.model import Label, Rel
from graph.world import dumps_world, import_world
from importers.tabular import (
    KINDS,
    TableInvalid,
    import_table,
    safe_cell,
    write_report,
    write_template,
)
from importers.tabular.problems import Problem
from importers.tabular.reading import read_table

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "tabular"
BASE = FIXTURES / "base_world.json"
SAMPLE = ROOT / "importers" / "data" / "sample_world.json"


def targets(store, label: Label, node_id: str, rel: Rel) -> dict[str, dict]:
    return {
        r.target_id: r.props
        for r in store.relationships(label, node_id)
        if r.type == rel and r.source_id == node_id
    }


def write_csv(path: Path, rows: list[list[object]], delimiter: str = ";") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def problems_at(error: TableInvalid) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.column) for p in error.table_problems}


# --- the store lookup behind item resolution (conformance, both stores) ---------------------


def test_find_items_by_text_matches_id_uri_name_and_any_label(store):
    import_world(store, BASE)
    texts = [
        "s-welding",
        "http://data.europa.eu/esco/skill/welding-0001",
        "  schweißen ",
        "اللحام",
        "ORDER PICKING",
        "Pflege",
        "S-WELDING",
        "nothing",
    ]
    found = store.find_items_by_text(Label.SKILL, texts)
    ids = {text: [n.id for n in nodes] for text, nodes in found.items()}
    assert ids == {
        "s-welding": ["s-welding"],
        "http://data.europa.eu/esco/skill/welding-0001": ["s-welding"],
        "  schweißen ": ["s-welding"],
        "اللحام": ["s-welding"],
        "ORDER PICKING": ["s-picking"],
        "Pflege": ["s-care-1", "s-care-2"],
        "S-WELDING": [],  # ids are exact, labels ignore case
        "nothing": [],
    }
    welding = found["s-welding"][0]
    assert welding.label == Label.SKILL
    assert welding.props["label_de"] == "Schweißen"
    assert "id" not in welding.props
    towns = store.find_items_by_text(Label.TOWN, ["erkelenz", "t-heinsberg"])
    assert [n.id for n in towns["erkelenz"]] == ["t-erkelenz"]
    assert [n.id for n in towns["t-heinsberg"]] == ["t-heinsberg"]
    assert store.find_items_by_text(Label.TOOL, []) == {}
    assert store.find_items_by_text(Label.TOOL, ["Schweißen"]) == {"Schweißen": []}


# --- templates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_template_example_row_imports_into_the_sample_district(kind, tmp_path, make_store):
    store = make_store("embedded")
    import_world(store, SAMPLE)
    for fmt in ("xlsx", "csv"):
        out = tmp_path / f"{kind}.{fmt}"
        write_template(KINDS[kind], fmt, out)
        result = import_table(store, out, kind, fmt)
        assert result.rows == 1 and result.nodes == 1
    example_id = KINDS[kind].column("id").example
    label = {
        "companies": Label.COMPANY,
        "offers": Label.OFFER,
        "courses": Label.COURSE,
        "candidates": Label.CANDIDATE,
        "coaches": Label.COACH,
    }[kind]
    assert store.get_node(label, example_id)


def test_xlsx_template_has_header_example_and_help(tmp_path):
    out = tmp_path / "offers.xlsx"
    write_template(KINDS["offers"], "xlsx", out)
    book = load_workbook(out)
    sheet = book.worksheets[0]
    assert sheet.title == "Angebote"
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in KINDS["offers"].columns]
    assert all(c.font.bold for c in sheet[1])
    assert sheet["C2"].value == "Praktikum"
    assert sheet.column_dimensions["A"].width >= 10
    rules = {str(rule.sqref): rule.formula1 for rule in sheet.data_validations.dataValidation}
    assert rules["C2:C5000"] == '"Praktikum,Ausbildung,Stelle"'
    assert book.sheetnames == ["Angebote", "Hilfe"]
    help_rows = [[c.value for c in row] for row in book["Hilfe"].iter_rows(min_row=5)]
    by_key = {row[1]: row for row in help_rows}
    assert set(by_key) == {c.key for c in KINDS["offers"].columns}
    assert "Stufe 1–3" in by_key["skills_essential"][6]
    assert "level 1–3" in by_key["skills_essential"][7]


def test_template_round_trip_filled_with_openpyxl(store, tmp_path):
    import_world(store, BASE)
    path = tmp_path / "candidates.xlsx"
    write_template(KINDS["candidates"], "xlsx", path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    column = {c.value: c.column for c in sheet[1]}
    rows = [
        {
            "ID": "p-10",
            "Name": "Samir Haddad",
            "Ort": "Heinsberg",
            "Geschlecht": "m",
            "Geburtsjahr": 1990,
            "Verfügbar ab": dt.datetime(2027, 3, 1),
            "Organisation": "Jobcenter Kreis Heinsberg",
            "Einwilligung Profilweitergabe": True,
            "Einwilligung Kontakt": "nein",
            "Fähigkeiten": "Schweißen:3; order picking:1",
            "Maschinen/Werkzeuge": "رافعة شوكية:2",
            "Sprachen": "Arabisch:Muttersprache; de:B1",
        },
        {"ID": "p-11", "Name": "Lina", "Ort": "t-erkelenz", "Sprachen": "de:A1"},
    ]
    for index, values in enumerate(rows, start=2):
        for header in column:
            sheet.cell(row=index, column=column[header], value=values.get(header))
    sheet.cell(row=4, column=1, value=None)  # a fully empty row in between is ignored
    sheet.cell(row=6, column=column["ID"], value="p-12")
    sheet.cell(row=6, column=column["Name"], value="Yusuf")
    sheet.cell(row=6, column=column["Ort"], value="ERKELENZ")
    book.save(path)

    result = import_table(store, path, "candidates", "xlsx")
    assert (result.kind, result.rows) == ("candidates", 3)
    samir = store.get_node(Label.CANDIDATE, "p-10")
    assert samir.props["available_from"] == "2027-03-01"
    assert samir.props["birth_year"] == 1990
    assert samir.props["consent_profile_sharing"] is True
    assert samir.props["consent_contact"] is False
    assert targets(store, Label.CANDIDATE, "p-10", Rel.HAS_SKILL) == {
        "s-welding": {"level": 3},
        "s-picking": {"level": 1},
    }
    assert targets(store, Label.CANDIDATE, "p-10", Rel.KNOWS_TOOL) == {"w-forklift": {"level": 2}}
    assert targets(store, Label.CANDIDATE, "p-10", Rel.SPEAKS) == {
        "ar": {"level": "native"},
        "de": {"level": "B1"},
    }
    assert targets(store, Label.CANDIDATE, "p-10", Rel.LIVES_IN) == {"t-heinsberg": {}}
    assert targets(store, Label.CANDIDATE, "p-12", Rel.LIVES_IN) == {"t-erkelenz": {}}
    assert store.counts()[Label.CANDIDATE] == 4
    # importing the same list again leaves the same graph
    before = dumps_world(store)
    import_table(store, path, "candidates", "xlsx")
    assert dumps_world(store) == before


# --- CSV from German Excel -------------------------------------------------------------------


def test_csv_with_semicolons_and_bom(store):
    import_world(store, BASE)
    result = import_table(store, FIXTURES / "candidates_semicolon_bom.csv", "candidates", "csv")
    assert result.rows == 2  # the empty row is skipped
    ahmad = store.get_node(Label.CANDIDATE, "p-ahmad")
    assert ahmad.props["name"] == "Ahmad Al-Khatib"
    assert ahmad.props["available_from"] == "2026-12-01"
    assert targets(store, Label.CANDIDATE, "p-ahmad", Rel.HAS_SKILL) == {
        "s-picking": {"level": 2},
        "s-welding": {"level": 1},
    }
    assert targets(store, Label.CANDIDATE, "p-ahmad", Rel.REGISTERED_WITH) == {"org-jc": {}}
    olena = store.get_node(Label.CANDIDATE, "p-olena")
    assert olena.props["gender"] == "f"


def test_csv_with_commas_is_sniffed(tmp_path, make_store):
    store = make_store("embedded")
    import_world(store, BASE)
    path = write_csv(
        tmp_path / "companies.csv",
        [["ID", "Name", "Ort", "Branche"], ["c-2", "Metallbau, Kessel & Söhne", "Erkelenz", ""]],
        delimiter=",",
    )
    import_table(store, path, "companies", "csv")
    assert store.get_node(Label.COMPANY, "c-2").props["name"] == "Metallbau, Kessel & Söhne"


# --- all problems at once, nothing written -----------------------------------------------------


def test_broken_rows_report_every_problem_and_write_nothing(store):
    import_world(store, BASE)
    before = dumps_world(store)
    with pytest.raises(TableInvalid) as caught:
        import_table(store, FIXTURES / "courses_broken.csv", "courses", "csv")
    error = caught.value
    assert problems_at(error) == {
        (3, "Starttermine"),
        (3, "Vermittelt Maschinen/Werkzeuge"),
        (3, "Voraussetzung Sprachen"),
        (4, "ID"),
        (4, "Art"),
        (4, "Träger"),
        (4, "Ort"),
        (4, "Wochen"),
        (4, "Kosten (EUR)"),
        (4, "Vermittelt Maschinen/Werkzeuge"),
        (4, "Voraussetzung Sprachen"),
        (5, "ID"),
        (5, "Wochen"),
    }
    by_place = {(p.row, p.column): p for p in error.table_problems}
    level = by_place[(3, "Vermittelt Maschinen/Werkzeuge")]
    assert level.value == "Gabelstapler:4"
    assert "1–3" in level.de and "1–3" in level.en
    assert "Zeile 2" in by_place[(4, "ID")].de and "row 2" in by_place[(4, "ID")].en
    assert by_place[(4, "Träger")].en == "unknown organization 'Nirgendwo'"
    assert "520" in by_place[(5, "Wochen")].de
    assert "Zeile/row 3" in str(error) and "nothing was imported" in str(error)
    assert dumps_world(store) == before
    assert store.counts()[Label.COURSE] == 0


def test_unknown_and_missing_columns(tmp_path, make_store):
    store = make_store("embedded")
    import_world(store, BASE)
    path = write_csv(
        tmp_path / "offers.csv",
        [["ID", "Titel", "Farbe", "Art", "Ort"], ["of-1", "Lager", "rot", "Praktikum", "Erkelenz"]],
    )
    with pytest.raises(TableInvalid) as caught:
        import_table(store, path, "offers", "csv")
    assert problems_at(caught.value) == {(1, "Farbe"), (None, "Unternehmen")}
    assert store.counts()[Label.OFFER] == 0


# --- resolution --------------------------------------------------------------------------------


def test_items_resolve_by_id_uri_german_and_arabic_label(store, tmp_path):
    import_world(store, BASE)
    path = write_csv(
        tmp_path / "offers.csv",
        [
            [
                "ID",
                "Unternehmen",
                "Art",
                "Titel",
                "Ort",
                "Fähigkeiten (erforderlich)",
                "Fähigkeiten (wünschenswert)",
                "Maschinen/Werkzeuge (erforderlich)",
                "Sprachen (erforderlich)",
            ],
            [
                "of-1",
                "Rurtal Logistik GmbH",
                "Stelle",
                "Lager",
                "Heinsberg",
                "http://data.europa.eu/esco/skill/welding-0001:2",
                " kommissionieren :1",
                "رافعة شوكية:1; w-scanner:2",
                "Deutsch:B1",
            ],
            [
                "of-2",
                "c-rurtal",
                "job",
                "Lager 2",
                "t-heinsberg",
                "تجهيز الطلبيات:3",
                "",
                "GABELSTAPLER:1",
                "de:A2",
            ],
        ],
    )
    import_table(store, path, "offers", "csv")
    assert targets(store, Label.OFFER, "of-1", Rel.REQUIRES_SKILL) == {
        "s-welding": {"level": 2, "essential": True},
        "s-picking": {"level": 1, "essential": False},
    }
    assert targets(store, Label.OFFER, "of-1", Rel.REQUIRES_TOOL) == {
        "w-forklift": {"level": 1, "essential": True},
        "w-scanner": {"level": 2, "essential": True},
    }
    assert targets(store, Label.OFFER, "of-1", Rel.REQUIRES_LANGUAGE) == {"de": {"level": "B1"}}
    assert targets(store, Label.OFFER, "of-2", Rel.REQUIRES_SKILL) == {
        "s-picking": {"level": 3, "essential": True}
    }
    assert store.get_node(Label.OFFER, "of-2").props["kind"] == "job"


def test_an_ambiguous_label_is_an_error_naming_both_candidates(store, tmp_path):
    import_world(store, BASE)
    path = write_csv(
        tmp_path / "candidates.csv",
        [["ID", "Name", "Ort", "Fähigkeiten"], ["p-9", "Nadia", "Erkelenz", "pflege:2"]],
    )
    with pytest.raises(TableInvalid) as caught:
        import_table(store, path, "candidates", "csv")
    [problem] = caught.value.table_problems
    assert (problem.row, problem.column, problem.value) == (2, "Fähigkeiten", "pflege:2")
    for text in (problem.de, problem.en):
        assert "s-care-1 (Pflege)" in text and "s-care-2 (Pflege)" in text
    assert "mehrdeutig" in problem.de and "ambiguous" in problem.en
    assert store.counts()[Label.CANDIDATE] == 1
    # the id settles it
    rows = [["ID", "Name", "Ort", "Fähigkeiten"], ["p-9", "Nadia", "Erkelenz", "s-care-2:2"]]
    write_csv(path, rows)
    import_table(store, path, "candidates", "csv")
    assert targets(store, Label.CANDIDATE, "p-9", Rel.HAS_SKILL) == {"s-care-2": {"level": 2}}


# --- files that are not lists ------------------------------------------------------------------


def test_oversized_file_and_too_many_rows_are_clear_errors(tmp_path):
    kind = KINDS["companies"]
    path = write_csv(
        tmp_path / "big.csv",
        [["ID", "Name", "Ort"], *[[f"c-{i}", f"Firma {i}", "Erkelenz"] for i in range(50)]],
    )
    with pytest.raises(TableInvalid) as caught:
        read_table(path, "csv", kind, max_bytes=200)
    assert "too large" in caught.value.table_problems[0].en
    assert "zu groß" in caught.value.table_problems[0].de
    with pytest.raises(TableInvalid) as caught:
        read_table(path, "csv", kind, max_rows=10)
    assert "too many rows (at most 10)" in caught.value.table_problems[0].en
    assert len(read_table(path, "csv", kind).rows) == 50


def test_wrong_file_types_are_clear_errors(tmp_path):
    kind = KINDS["companies"]
    text = write_csv(tmp_path / "list.csv", [["ID", "Name", "Ort"]])
    with pytest.raises(TableInvalid, match="not an Excel file"):
        read_table(text, "xlsx", kind)
    book = tmp_path / "list.xlsx"
    write_template(kind, "xlsx", book)
    with pytest.raises(TableInvalid, match="use 'import xlsx'"):
        read_table(book, "csv", kind)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("ID;Name;Ort\nc-1;Müller;Erkelenz\n".encode("latin-1"))
    with pytest.raises(TableInvalid, match="not UTF-8"):
        read_table(latin1, "csv", kind)
    with pytest.raises(TableInvalid, match="no such file"):
        read_table(tmp_path / "missing.xlsx", "xlsx", kind)


def test_xlsx_sheet_named_like_the_kind_is_read(tmp_path, make_store):
    store = make_store("embedded")
    import_world(store, BASE)
    book = Workbook()
    book.active.title = "Notizen"
    book.active.append(["nicht die Liste"])
    sheet = book.create_sheet("Unternehmen")
    sheet.append(["ID", "Name", "Ort"])
    sheet.append(["c-7", "Bäckerei Jansen", "Erkelenz"])
    sheet.append([None, None, None])
    path = tmp_path / "firmen.xlsx"
    book.save(path)
    assert import_table(store, path, "companies", "xlsx").rows == 1


# --- formula injection -------------------------------------------------------------------------


def test_formula_like_text_is_escaped_in_everything_written(tmp_path):
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for start in "=+-@":
        assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("Gabelstapler:1") == "Gabelstapler:1"
    assert safe_cell(-3) == -3
    report = tmp_path / "report.csv"
    write_report([Problem(2, "Name", "=cmd|'/c calc'!A1", "ungültig", "invalid")], report)
    rows = list(csv.reader(report.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[1] == ["2", "Name", "'=cmd|'/c calc'!A1", "ungültig", "invalid"]
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"template.{fmt}"
        write_template(KINDS["courses"], fmt, out)
    book = load_workbook(tmp_path / "template.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate


# --- the command line --------------------------------------------------------------------------


def wegweiser(*args: object, data: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WEGWEISER_STORE": "embedded",
        "WEGWEISER_DATA": str(data),
    }
    return subprocess.run(
        [sys.executable, "-m", "cli", *map(str, args)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_template_and_imports(tmp_path):
    data = tmp_path / "data"
    assert wegweiser("import", "world", BASE, data=data).returncode == 0
    template = tmp_path / "kurse.csv"
    made = wegweiser("template", "courses", template, data=data)
    assert made.returncode == 0, made.stderr
    assert template.read_text(encoding="utf-8-sig").startswith("ID;Titel;Art;")
    assert wegweiser("template", "offers", tmp_path / "o.xlsx", data=data).returncode == 0
    assert load_workbook(tmp_path / "o.xlsx").sheetnames == ["Angebote", "Hilfe"]

    report = tmp_path / "problems.csv"
    failed = wegweiser(
        "import", "csv", "courses", FIXTURES / "courses_broken.csv", "--report", report, data=data
    )
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert "13 problems; nothing was imported" in failed.stderr
    assert "Nirgendwo" in failed.stderr
    rows = list(csv.reader(report.open(encoding="utf-8-sig"), delimiter=";"))
    assert len(rows) == 14 and rows[0][0] == "Zeile/row"

    ok = wegweiser(
        "import", "csv", "candidates", FIXTURES / "candidates_semicolon_bom.csv", data=data
    )
    assert ok.returncode == 0, ok.stderr
    assert "2 candidates" in ok.stdout
    wrong = wegweiser("import", "xlsx", "candidates", FIXTURES / "courses_broken.csv", data=data)
    assert wrong.returncode == 1 and "not an Excel file" in wrong.stderr


# --- field groups: identity and contact, residence, social/benefit, health -------------------

GROUP_HEADERS = [
    "ID",
    "Name",
    "Ort",
    "E-Mail",
    "Telefon",
    "Anschrift",
    "Staatsangehörigkeit",
    "Aufenthaltsstatus",
    "Aufenthalt gültig bis",
    "Leistung",
    "Aktenzeichen der Leistung",
    "Hinweise zur Gesundheit",
    "Besonderer Bedarf",
]


def test_field_group_columns_are_imported(store, tmp_path):
    import_world(store, BASE)
    path = write_csv(
        tmp_path / "teilnehmende.csv",
        [
            GROUP_HEADERS,
            [
                "p-20",
                "Samira Haddad",
                "Erkelenz",
                "samira@example.org",
                "+49 2431 555010",
                "Marktplatz 3",
                "sy",
                "Aufenthaltserlaubnis",
                "31.05.2028",
                "Bürgergeld",
                "36102//0048213",
                "kein schweres Heben",
                "Dolmetscherin erwünscht",
            ],
            # codes work as well as the German words; empty cells stay unset
            ["p-21", "Oleh", "Erkelenz", "", "", "", "UA", "temporary_protection", "", "SGB III"]
            + [""] * 3,
        ],
    )
    assert import_table(store, path, "candidates", "csv").rows == 2
    samira = store.get_node(Label.CANDIDATE, "p-20").props
    assert {key: samira.get(key) for key in ("email", "phone", "street", "nationality")} == {
        "email": "samira@example.org",
        "phone": "+49 2431 555010",
        "street": "Marktplatz 3",
        "nationality": "SY",
    }
    assert (samira["residence_status"], samira["residence_until"]) == (
        "residence_permit",
        "2028-05-31",
    )
    assert (samira["benefit"], samira["benefit_number"]) == ("SGB II", "36102//0048213")
    assert samira["health_notes"] == "kein schweres Heben"
    assert samira["special_needs"] == "Dolmetscherin erwünscht"
    oleh = store.get_node(Label.CANDIDATE, "p-21").props
    assert (oleh["nationality"], oleh["residence_status"], oleh["benefit"]) == (
        "UA",
        "temporary_protection",
        "SGB III",
    )
    assert not {"email", "phone", "health_notes", "residence_until"} & set(oleh)
    # the same list again changes nothing (the export round-trips the new properties)
    before = dumps_world(store)
    import_table(store, path, "candidates", "csv")
    assert dumps_world(store) == before
    assert '"residence_status": "residence_permit"' in before


def test_field_group_columns_in_the_xlsx_template(store, tmp_path):
    import_world(store, BASE)
    path = tmp_path / "candidates.xlsx"
    write_template(KINDS["candidates"], "xlsx", path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    column = {c.value: c.column for c in sheet[1]}
    assert set(GROUP_HEADERS) <= set(column)
    letter = sheet.cell(row=1, column=column["Aufenthaltsstatus"]).column_letter
    rules = {str(rule.sqref): rule.formula1 for rule in sheet.data_validations.dataValidation}
    assert "Duldung" in rules[f"{letter}2:{letter}5000"]
    help_rows = {row[1]: row for row in book["Hilfe"].iter_rows(min_row=5, values_only=True)}
    assert "Niederlassungserlaubnis" in help_rows["residence_status"][3]
    assert "settlement_permit" in help_rows["residence_status"][4]
    assert "Art. 9 DSGVO" in help_rows["health_notes"][6]
    values = {
        "ID": "p-30",
        "Name": "Mina",
        "Ort": "Heinsberg",
        "Aufenthalt gültig bis": dt.datetime(2029, 1, 31),
        "Leistung": "keine",
        "Telefon": 2452123456,  # a number typed into Excel
    }
    for header, index in column.items():
        sheet.cell(row=2, column=index, value=values.get(header))
    book.save(path)
    import_table(store, path, "candidates", "xlsx")
    mina = store.get_node(Label.CANDIDATE, "p-30").props
    assert (mina["residence_until"], mina["benefit"], mina["phone"]) == (
        "2029-01-31",
        "none",
        "2452123456",
    )


def test_wrong_field_group_values_are_reported_by_row_and_column(store, tmp_path):
    import_world(store, BASE)
    before = dumps_world(store)
    path = write_csv(
        tmp_path / "teilnehmende.csv",
        [
            GROUP_HEADERS,
            [
                *("p-40", "Ana", "Erkelenz", "ana(at)example.org", "12", "", "Syrien"),
                *("Visum", "31.02.2028", "SGB XII", "9" * 41, "x" * 501, ""),
            ],
            ["p-41", "Ben", "Erkelenz", "=cmd|'/c calc'!A1", "", "", "", "Duldung"] + [""] * 5,
        ],
    )
    with pytest.raises(TableInvalid) as caught:
        import_table(store, path, "candidates", "csv")
    error = caught.value
    assert problems_at(error) == {
        (2, "E-Mail"),
        (2, "Telefon"),
        (2, "Staatsangehörigkeit"),
        (2, "Aufenthaltsstatus"),
        (2, "Aufenthalt gültig bis"),
        (2, "Leistung"),
        (2, "Aktenzeichen der Leistung"),
        (2, "Hinweise zur Gesundheit"),
        (3, "E-Mail"),
    }
    by_place = {(p.row, p.column): p for p in error.table_problems}
    status = by_place[(2, "Aufenthaltsstatus")]
    assert status.value == "Visum"
    assert "erlaubt sind:" in status.de and "Duldung (toleration)" in status.de
    assert "allowed:" in status.en
    assert "E-Mail-Adresse" in by_place[(2, "E-Mail")].de
    assert "e-mail address" in by_place[(2, "E-Mail")].en
    assert "Ländercode" in by_place[(2, "Staatsangehörigkeit")].de
    assert "country code" in by_place[(2, "Staatsangehörigkeit")].en
    assert "Datum" in by_place[(2, "Aufenthalt gültig bis")].de
    assert "3 Zeichen" in by_place[(2, "Telefon")].de and "3 char" in by_place[(2, "Telefon")].en
    assert "40 Zeichen" in by_place[(2, "Aktenzeichen der Leistung")].de
    assert "500 Zeichen" in by_place[(2, "Hinweise zur Gesundheit")].de
    assert dumps_world(store) == before
    # the report makes the formula-like value inert
    report = tmp_path / "report.csv"
    write_report(error.table_problems, report)
    rows = list(csv.reader(report.open(encoding="utf-8-sig"), delimiter=";"))
    assert ["3", "E-Mail", "'=cmd|'/c calc'!A1"] in [row[:3] for row in rows]
