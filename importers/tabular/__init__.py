"""Regional lists in Excel and CSV: templates, and imports checked as a whole.

An integration network already keeps its companies, offers, courses, candidates and
coaches in spreadsheets. ``write_template`` gives the list to fill in; ``import_table``
reads it back, reports every problem at once (row, column, value, in German and
English), and only when nothing is wrong writes it with the same all-or-nothing
``import_graph`` as a world file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.store import GraphStore, ProgressCallback
from importers.tabular.columns import KINDS, Column, Kind, kind_named
from importers.tabular.convert import convert_table
from importers.tabular.problems import Problem, TableInvalid
from importers.tabular.reading import MAX_BYTES, MAX_ROWS, read_table
from importers.tabular.writing import safe_cell, write_report, write_template

__all__ = [
    "FORMATS",
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "Column",
    "Kind",
    "Problem",
    "TableImport",
    "TableInvalid",
    "check_table",
    "import_table",
    "kind_named",
    "safe_cell",
    "write_report",
    "write_template",
]

FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class TableImport:
    kind: str
    rows: int
    nodes: int
    relationships: int


def check_table(store: GraphStore, path: Path, kind: str, fmt: str) -> int:
    """Validate the list without writing; the number of rows, or ``TableInvalid``."""
    spec = kind_named(kind)
    return convert_table(read_table(path, fmt, spec), spec, store).rows


def import_table(
    store: GraphStore,
    path: Path,
    kind: str,
    fmt: str,
    progress: ProgressCallback | None = None,
) -> TableImport:
    """Validate every row of the list at ``path``; then write it in one transaction."""
    spec = kind_named(kind)
    converted = convert_table(read_table(path, fmt, spec), spec, store)
    summary = store.import_graph(converted.graph, progress=progress)
    return TableImport(spec.name, converted.rows, summary.nodes, summary.relationships)
