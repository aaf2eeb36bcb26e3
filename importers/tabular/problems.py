"""Problems found in a table, each said in German and English and placed by row and column.

A regional list is fixed by a person in Excel, so every problem names what they see
there: the row number as Excel shows it (the header is row 1), the column header, the
value, and what is wrong — in German for the advisor and in English for everyone else.
All problems of a file are collected before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.errors import InvalidInput

__all__ = ["CellError", "Problem", "TableInvalid"]


class CellError(ValueError):
    """A value that cannot be used, with the reason in German and English."""

    def __init__(self, de: str, en: str) -> None:
        super().__init__(en)
        self.de = de
        self.en = en


@dataclass(frozen=True)
class Problem:
    """One thing to fix. ``row`` is None for the whole file, ``column`` None for a whole row."""

    row: int | None
    column: str | None
    value: str
    de: str
    en: str

    @property
    def where(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"Zeile/row {self.row}")
        if self.column is not None:
            parts.append(f"Spalte/column „{self.column}“")
        return ", ".join(parts) or "Datei/file"

    def __str__(self) -> str:
        value = f" [{self.value}]" if self.value else ""
        return f"{self.where}{value}: {self.de} / {self.en}"

    @property
    def sort_key(self) -> int:
        """File problems first, then by row; within a row the order they were found."""
        return self.row or 0


class TableInvalid(InvalidInput):
    """A table that was rejected; ``table_problems`` keeps row, column and both languages."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.table_problems = sorted(problems, key=lambda p: p.sort_key)
        count = len(self.table_problems)
        summary = (
            f"{source}: {count} Problem(e), nichts wurde importiert / "
            f"{count} problem{'s' if count != 1 else ''}; nothing was imported"
        )
        super().__init__(summary, [str(p) for p in self.table_problems])
