"""Reading a regional list from .xlsx or .csv into rows of cell values.

Both formats end up the same: the header row (row 1) and the data rows, each with the
row number Excel shows, fully empty rows left out. Excel cells keep their types
(openpyxl gives ``datetime`` for dates, ``int``/``float`` for numbers); CSV cells are
text. A file that is too large, of the wrong type or not UTF-8 is a clear error before
any row is looked at.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from importers.tabular.columns import Kind
from importers.tabular.problems import Problem, TableInvalid

__all__ = ["MAX_BYTES", "MAX_ROWS", "Table", "read_table"]

MAX_BYTES = 20 * 1024 * 1024
"""Larger regional lists are not lists people keep by hand; split them or use a world file."""
MAX_ROWS = 100_000

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


@dataclass
class Table:
    source: str
    headers: list[str | None]
    rows: list[tuple[int, list[object]]]
    """(row number as Excel shows it, cell values in header order)."""


def read_table(
    path: Path, fmt: str, kind: Kind, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> Table:
    """The header and non-empty rows of ``path`` (``fmt`` is ``xlsx`` or ``csv``)."""
    path = Path(path)
    source = str(path)
    raw = _read_bytes(path, max_bytes)
    if fmt == "xlsx":
        if raw.startswith(_OLE_MAGIC):
            _fail(
                source,
                "altes Excel-Format (.xls): bitte als .xlsx speichern",
                "old Excel format (.xls): save it as .xlsx",
            )
        if not raw.startswith(_ZIP_MAGIC):
            _fail(source, "keine Excel-Datei (.xlsx)", "not an Excel file (.xlsx)")
        rows = _xlsx_rows(raw, source, kind)
    elif fmt == "csv":
        if raw.startswith(_ZIP_MAGIC) or raw.startswith(_OLE_MAGIC):
            _fail(
                source,
                "das ist eine Excel-Datei, keine CSV: „import xlsx“ verwenden",
                "this is an Excel file, not CSV: use 'import xlsx'",
            )
        rows = _csv_rows(raw, source)
    else:
        raise ValueError(f"unknown table format {fmt!r}")
    return _table(source, rows, max_rows)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    source = str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            _fail(source, "ist keine Datei", "is not a file")
        if size > max_bytes:
            limit = f"{max_bytes / 1024 / 1024:g} MB"
            _fail(
                source,
                f"Datei zu groß ({size} Bytes, höchstens {limit})",
                f"file too large ({size} bytes, at most {limit})",
            )
        return path.read_bytes()
    except FileNotFoundError:
        _fail(source, "Datei nicht gefunden", "no such file")
    except PermissionError:
        _fail(source, "Datei nicht lesbar (keine Berechtigung)", "not readable (permission denied)")
    raise AssertionError("unreachable")


def _xlsx_rows(raw: bytes, source: str, kind: Kind) -> Iterable[tuple[object, ...]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        _fail(
            source,
            f"Excel-Datei kann nicht gelesen werden ({e})",
            f"the Excel file cannot be read ({e})",
        )
    try:
        wanted = {kind.name, kind.sheet.lower()}
        sheet = next(
            (ws for ws in book.worksheets if ws.title.strip().lower() in wanted),
            book.worksheets[0],
        )
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _csv_rows(raw: bytes, source: str) -> list[list[object]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        _fail(
            source,
            f"kein UTF-8 (Byte {e.start}): in Excel als „CSV UTF-8“ speichern",
            f"not UTF-8 (byte {e.start}): save as 'CSV UTF-8' in Excel",
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        return [
            [cell if cell.strip() else None for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as e:
        _fail(source, f"CSV nicht lesbar ({e})", f"CSV cannot be read ({e})")
    raise AssertionError("unreachable")


def _table(source: str, rows: Iterable[Iterable[object]], max_rows: int) -> Table:
    headers: list[str | None] | None = None
    data: list[tuple[int, list[object]]] = []
    for number, values in enumerate(rows, start=1):
        cells = [None if isinstance(v, str) and not v.strip() else v for v in values]
        if number == 1:
            headers = [None if c is None else str(c).strip() for c in cells]
            continue
        if all(c is None for c in cells):
            continue
        if len(data) >= max_rows:
            _fail(
                source,
                f"zu viele Zeilen (höchstens {max_rows})",
                f"too many rows (at most {max_rows})",
            )
        data.append((number, cells))
    if not headers or all(h is None for h in headers):
        _fail(
            source,
            "Zeile 1 muss die Spaltenüberschriften enthalten",
            "row 1 must hold the column headers",
        )
    assert headers is not None
    width = max([len(headers), *(len(cells) for _, cells in data)])
    headers += [None] * (width - len(headers))
    data = [(n, cells + [None] * (width - len(cells))) for n, cells in data]
    return Table(source, headers, data)


def _fail(source: str, de: str, en: str) -> None:
    raise TableInvalid(source, [Problem(None, None, "", de, en)])
