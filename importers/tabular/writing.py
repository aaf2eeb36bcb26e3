"""Writing templates and problem reports, safe to open in Excel.

Anything written to a cell that starts with ``=``, ``+``, ``-`` or ``@`` would be taken by
Excel (and LibreOffice) as a formula — a value from an uploaded list could then run in
the next person's spreadsheet. Such text gets a leading apostrophe, everywhere this
module writes (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from importers.tabular.columns import Column, Kind
from importers.tabular.problems import Problem

__all__ = ["safe_cell", "write_report", "write_template"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CELL_FORMATS: dict[str, tuple[str, str]] = {
    "id": ("Text ohne Leerzeichen", "text without spaces"),
    "text": ("Text", "text"),
    "int": ("ganze Zahl", "whole number"),
    "number": ("Zahl", "number"),
    "date": ("Datum JJJJ-MM-TT oder TT.MM.JJJJ", "date YYYY-MM-DD"),
    "bool": ("ja / nein", "yes / no"),
    "email": ("E-Mail-Adresse", "e-mail address"),
    "country": ("Ländercode (2 Buchstaben)", "country code (2 letters)"),
    "choice": ("ein Wert aus der Liste", "one value of the list"),
    "ref": ("Name oder ID", "name or id"),
    "refs": ("Liste „a; b“", "list 'a; b'"),
    "items": ("Liste „Eintrag:Stufe; …“", "list 'item:level; …'"),
    "languages": ("Liste „Sprache:Niveau; …“", "list 'language:level; …'"),
    "texts": ("Liste „a; b“", "list 'a; b'"),
    "dates": ("Datumsliste „2027-02-01; 2027-05-03“", "list of dates"),
}
EXAMPLE_NOTE = (
    "Zeile 2 der Vorlage ist ein Beispiel: überschreiben oder löschen. Mehrere Werte in "
    "einer Zelle mit „;“ trennen. Grau hinterlegte Spalten sind Pflicht.",
    "Row 2 of the template is an example: overwrite or delete it. Separate several values "
    "in one cell with ';'. Grey columns are required.",
)


def safe_cell(value: object) -> object:
    """``value``, with text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _example(column: Column, for_csv: bool) -> object:
    value = column.example
    if for_csv and isinstance(value, dt.date):
        return value.isoformat()
    return safe_cell(value)


def write_template(kind: Kind, fmt: str, out: Path) -> None:
    """An empty list of ``kind``: the header row and one example row."""
    if fmt == "csv":
        _write_csv(
            out,
            [[c.header for c in kind.columns], [_example(c, True) for c in kind.columns]],
        )
    elif fmt == "xlsx":
        _write_xlsx_template(kind, out)
    else:
        raise ValueError(f"unknown template format {fmt!r}")


def _write_xlsx_template(kind: Kind, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = kind.sheet
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="D9D9D9")
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=safe_cell(column.header))
        header.font = bold
        if column.required:
            header.fill = required_fill
        example = sheet.cell(row=2, column=index, value=_example(column, False))
        if isinstance(column.example, dt.date):
            example.number_format = "YYYY-MM-DD"
        width = max(len(column.header), len(str(column.example))) + 3
        sheet.column_dimensions[letter].width = min(max(width, 10), 60)
        choices = _choices(column)
        if choices:
            rule = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
            rule.error = "Bitte einen Wert aus der Liste wählen / choose a value of the list"
            rule.showErrorMessage = True
            sheet.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}5000")
    sheet.freeze_panes = "A2"

    help_sheet = book.create_sheet("Hilfe")
    help_sheet.append([safe_cell(EXAMPLE_NOTE[0])])
    help_sheet.append([safe_cell(EXAMPLE_NOTE[1])])
    help_sheet.append([])
    titles = (
        "Spalte",
        "key (English)",
        "Pflicht / required",
        "Format",
        "format",
        "Beispiel / example",
        "Hilfe",
        "help",
    )
    help_sheet.append(titles)
    for cell in help_sheet[4]:
        cell.font = bold
    for column in kind.columns:
        fmt_de, fmt_en = _CELL_FORMATS[column.cell]
        if column.choices:
            fmt_de += ": " + ", ".join(column.choices.values())
            fmt_en += ": " + ", ".join(column.choices)
        help_sheet.append(
            [
                safe_cell(value)
                for value in (
                    column.header,
                    column.key,
                    "ja / yes" if column.required else "nein / no",
                    fmt_de,
                    fmt_en,
                    str(_example(column, True)),
                    column.help_de,
                    column.help_en,
                )
            ]
        )
    for letter, width in zip("ABCDEFGH", (34, 24, 12, 30, 24, 30, 70, 70), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=5):
        for cell in row[6:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(out)


def _choices(column: Column) -> list[str]:
    if column.cell == "choice":
        return list(column.choices.values())
    if column.cell == "bool":
        return ["ja", "nein"]
    return []


def write_report(problems: Iterable[Problem], out: Path) -> None:
    """All problems as CSV (``;``, UTF-8 with BOM: opens as columns in German Excel)."""
    rows: list[list[object]] = [
        ["Zeile/row", "Spalte/column", "Wert/value", "Problem (Deutsch)", "problem (English)"]
    ]
    rows += [
        [p.row if p.row is not None else "", p.column or "", p.value, p.de, p.en] for p in problems
    ]
    _write_csv(out, rows)


def _write_csv(out: Path, rows: list[list[object]]) -> None:
    with Path(out).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        for row in rows:
            writer.writerow(["" if v is None else safe_cell(v) for v in row])
