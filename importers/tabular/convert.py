"""From table rows to world-file entities, with every problem placed by row and column.

Two passes: the first reads every cell and collects the texts that name skills, tools,
towns, companies …; those are looked up in the store in one batch per label
(``GraphStore.find_items_by_text``); the second builds one world-file entity per row.
The entities then go through the same ``validate_world`` as ``import world`` — its
problems (ids, ranges, lengths) are mapped back to the row and column they came from,
so no rule lives here twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from graph.errors import InvalidInput
from graph.model import LABEL_PROPERTY_PREFIX, Label
from graph.records import GraphData, NodeRecord
from graph.store import GraphStore
from graph.world import FORMAT, validate_world
from importers.tabular import cells
from importers.tabular.columns import Column, Kind
from importers.tabular.problems import CellError, Problem, TableInvalid
from importers.tabular.reading import Table

__all__ = ["ConvertedTable", "convert_table"]

_NOUNS: dict[Label, tuple[str, str]] = {
    Label.TOWN: ("Ort", "town"),
    Label.COMPANY: ("Unternehmen", "company"),
    Label.ORGANIZATION: ("Organisation", "organization"),
    Label.OCCUPATION: ("Beruf", "occupation"),
    Label.SKILL: ("Fähigkeit", "skill"),
    Label.TOOL: ("Maschine/Werkzeug", "tool"),
    Label.LANGUAGE: ("Sprache", "language"),
    Label.CANDIDATE: ("Teilnehmende Person", "candidate"),
}
_MISSING = ("Pflichtangabe fehlt", "required value is missing")


@dataclass
class ConvertedTable:
    """Rows that passed every check, as the records ``import_graph`` writes."""

    graph: GraphData
    rows: int


@dataclass
class _Row:
    number: int
    raw: dict[Column, object]
    parsed: dict[Column, Any] = field(default_factory=dict)
    origins: dict[str, Column] = field(default_factory=dict)
    """World-file path inside the entity (``requires.skills.s-1``) → the column it came from."""


def convert_table(table: Table, kind: Kind, store: GraphStore) -> ConvertedTable:
    """Check every row of ``table``; raise ``TableInvalid`` listing all problems, or return
    the records to import."""
    problems: list[Problem] = []
    columns = _map_headers(table, kind, problems)
    rows = [
        _Row(number, {c: values[i] for i, c in columns.items() if values[i] is not None})
        for number, values in table.rows
    ]
    resolver = _Resolver(store)
    present = set(columns.values())
    for row in rows:
        _parse_row(row, kind, present, resolver, problems)
    _check_duplicate_ids(rows, kind, problems)
    resolver.look_up()
    entities = [_entity(row, kind, resolver, problems) for row in rows]

    reported = {(p.row, p.column) for p in problems}
    missing_columns = {p.column for p in problems if p.row is None}
    document = {"format": FORMAT, kind.section: entities}
    valid = None
    try:
        valid = validate_world(document, table.source, existing=store.existing_ids)
    except InvalidInput as e:
        for line in e.problems:
            problem = _from_world_problem(line, rows, kind)
            if (problem.row, problem.column) in reported or problem.column in missing_columns:
                continue
            reported.add((problem.row, problem.column))
            problems.append(problem)
    if problems or valid is None:
        raise TableInvalid(table.source, problems)
    return ConvertedTable(valid.graph, len(rows))


# --- headers ------------------------------------------------------------------------------


def _normal(header: str) -> str:
    return " ".join(header.split()).lower()


def _map_headers(table: Table, kind: Kind, problems: list[Problem]) -> dict[int, Column]:
    by_name = {_normal(name): c for c in kind.columns for name in c.names}
    mapped: dict[int, Column] = {}
    for index, header in enumerate(table.headers):
        letter = get_column_letter(index + 1)
        if header is None:
            if any(values[index] is not None for _, values in table.rows):
                problems.append(
                    Problem(1, letter, "", "Spalte ohne Überschrift", "column without a header")
                )
            continue
        column = by_name.get(_normal(header))
        if column is None:
            known = ", ".join(c.header for c in kind.columns)
            problems.append(
                Problem(
                    1,
                    header,
                    header,
                    f"unbekannte Spalte (bekannt: {known})",
                    f"unknown column (known: {known})",
                )
            )
        elif column in mapped.values():
            problems.append(
                Problem(1, header, header, "Spalte kommt doppelt vor", "column appears twice")
            )
        else:
            mapped[index] = column
    for column in kind.columns:
        if column.required and column not in mapped.values():
            problems.append(
                Problem(None, column.header, "", "Pflichtspalte fehlt", "required column missing")
            )
    return mapped


# --- pass 1: cells ---------------------------------------------------------------------------


_SCALARS: dict[str, Callable[[object], Any]] = {
    "id": cells.as_text,
    "text": cells.as_text,
    "int": cells.as_int,
    "number": cells.as_number,
    "date": cells.as_date,
    "bool": cells.as_bool,
    "email": cells.as_email,
    "country": cells.as_country,
}


def _parse_row(
    row: _Row, kind: Kind, present: set[Column], resolver: _Resolver, problems: list[Problem]
) -> None:
    for column in kind.columns:
        if column not in row.raw:
            if column.required and column in present:
                problems.append(Problem(row.number, column.header, "", *_MISSING))
            continue
        value = row.raw[column]
        try:
            row.parsed[column] = _parse_cell(column, value, resolver)
        except _CellErrors as e:
            for error in e.errors:
                problems.append(_problem(row, column, error))


class _CellErrors(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        self.errors = errors


def _parse_cell(column: Column, value: object, resolver: _Resolver) -> Any:
    try:
        if column.cell in _SCALARS:
            return _SCALARS[column.cell](value)
        if column.cell == "choice":
            return cells.as_choice(value, column.choices)
        if column.cell == "texts":
            return cells.split_list(value)
        if column.cell == "dates":
            return [cells.as_date(part) for part in cells.split_list(value)]
        assert column.ref is not None
        if column.cell == "ref":
            text = cells.as_text(value)
            resolver.want(column.ref, text)
            return text
        if column.cell == "refs":
            texts = cells.split_list(value)
            for text in texts:
                resolver.want(column.ref, text)
            return texts
        entries = cells.split_with_levels(value)
    except CellError as e:
        raise _CellErrors([e]) from None
    parse_level = cells.parse_cefr if column.cell == "languages" else cells.parse_skill_level
    levelled, errors = [], []
    for text, level in entries:
        try:
            levelled.append((text, parse_level(level, text)))
            resolver.want(column.ref, text)
        except CellError as e:
            errors.append(e)
    if errors:
        raise _CellErrors(errors)
    return levelled


def _check_duplicate_ids(rows: list[_Row], kind: Kind, problems: list[Problem]) -> None:
    id_column = kind.column("id")
    first: dict[str, int] = {}
    for row in rows:
        node_id = row.parsed.get(id_column)
        if node_id is None:
            continue
        if node_id in first:
            problems.append(
                Problem(
                    row.number,
                    id_column.header,
                    node_id,
                    f"ID kommt doppelt vor (auch in Zeile {first[node_id]})",
                    f"duplicate id (also in row {first[node_id]})",
                )
            )
            del row.parsed[id_column]
        else:
            first[node_id] = row.number


# --- resolution -------------------------------------------------------------------------------


class _Resolver:
    """Texts that name nodes, looked up in one batch per label."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.wanted: dict[Label, dict[str, None]] = {}
        self.found: dict[Label, dict[str, list[NodeRecord]]] = {}

    def want(self, label: Label, text: str) -> None:
        self.wanted.setdefault(label, {})[text] = None

    def look_up(self) -> None:
        for label, texts in self.wanted.items():
            self.found[label] = self.store.find_items_by_text(label, list(texts))

    def resolve(self, label: Label, text: str) -> str:
        nodes = self.found.get(label, {}).get(text, [])
        noun_de, noun_en = _NOUNS[label]
        exact = [n for n in nodes if n.id == text.strip()]
        if exact:
            return exact[0].id
        if len(nodes) == 1:
            return nodes[0].id
        if not nodes:
            raise CellError(
                f"{noun_de} „{text}“ ist unbekannt (nicht geladen)",
                f"unknown {noun_en} '{text}'",
            )
        names = ", ".join(f"{n.id} ({_display_name(n)})" for n in nodes)
        raise CellError(
            f"„{text}“ ist mehrdeutig ({noun_de}): {names} — bitte die ID angeben",
            f"'{text}' is ambiguous ({noun_en}): {names} — give the id",
        )


def _display_name(node: NodeRecord) -> str:
    props = node.props
    for key in ("label_de", "label_en", "name"):
        if props.get(key):
            return str(props[key])
    labels = sorted(k for k in props if k.startswith(LABEL_PROPERTY_PREFIX))
    return str(props[labels[0]]) if labels else node.id


# --- pass 2: entities ------------------------------------------------------------------------


def _entity(row: _Row, kind: Kind, resolver: _Resolver, problems: list[Problem]) -> dict:
    entity: dict[str, Any] = {}
    for column, value in row.parsed.items():
        try:
            _place(entity, row, column, value, resolver)
        except _CellErrors as e:
            for error in e.errors:
                problems.append(_problem(row, column, error))
    return entity


def _place(entity: dict, row: _Row, column: Column, value: Any, resolver: _Resolver) -> None:
    if column.cell == "ref":
        assert column.ref is not None
        try:
            value = resolver.resolve(column.ref, value)
        except CellError as e:
            raise _CellErrors([e]) from None
    if column.cell not in ("refs", "items", "languages"):
        _set(entity, column.target, value)
        row.origins[column.target] = column
        return
    assert column.ref is not None
    errors: list[CellError] = []
    if column.cell == "refs":
        ids: list[str] = []
        for text in value:
            try:
                node_id = resolver.resolve(column.ref, text)
            except CellError as e:
                errors.append(e)
                continue
            if node_id in ids:
                errors.append(_twice(text))
            ids.append(node_id)
        _set(entity, column.target, list(dict.fromkeys(ids)))
        row.origins[column.target] = column
    else:
        mapping = _get_dict(entity, column.target)
        for text, level in value:
            try:
                node_id = resolver.resolve(column.ref, text)
            except CellError as e:
                errors.append(e)
                continue
            if node_id in mapping:
                errors.append(_twice(text))
                continue
            if column.essential is not None:
                level = {"level": level, "essential": column.essential}
            mapping[node_id] = level
            row.origins[f"{column.target}.{node_id}"] = column
    if errors:
        raise _CellErrors(errors)


def _twice(text: str) -> CellError:
    return CellError(f"„{text}“ ist doppelt angegeben", f"'{text}' is listed twice")


def _set(entity: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        entity = entity.setdefault(part, {})
    entity[last] = value


def _get_dict(entity: dict, path: str) -> dict:
    for part in path.split("."):
        entity = entity.setdefault(part, {})
    return entity


def _problem(row: _Row, column: Column, error: CellError) -> Problem:
    value = cells.display(row.raw.get(column))
    return Problem(row.number, column.header, value, error.de, error.en)


# --- problems from validate_world, back to rows and columns ----------------------------------

_WORLD_PATH = re.compile(r"^[a-z]+\[(\d+)\]\.?(.*)$")


def _from_world_problem(line: str, rows: list[_Row], kind: Kind) -> Problem:
    path, _, message = line.partition(": ")
    match = _WORLD_PATH.match(path)
    if match is None:
        return Problem(None, None, "", _german(message), message)
    row = rows[int(match.group(1))]
    inner = match.group(2)
    column = _column_for(inner, row, kind)
    value = cells.display(row.raw.get(column)) if column is not None else ""
    return Problem(row.number, column.header if column else None, value, _german(message), message)


def _column_for(inner: str, row: _Row, kind: Kind) -> Column | None:
    origins = {**{c.target: c for c in kind.columns}, **row.origins}
    best = None
    for path, column in origins.items():
        if (inner == path or inner.startswith((path + ".", path + "["))) and (
            best is None or len(path) > len(best[0])
        ):
            best = (path, column)
    return best[1] if best else None


_GERMAN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^is required$"), "Pflichtangabe fehlt"),
    (re.compile(r"greater than or equal to (\S+)"), r"muss mindestens \1 sein"),
    (re.compile(r"less than or equal to (\S+)"), r"darf höchstens \1 sein"),
    (re.compile(r"is not an id"), "ist keine gültige ID (1–200 Zeichen, ohne Leerzeichen)"),
    (re.compile(r"at most (\d+) characters"), r"höchstens \1 Zeichen erlaubt"),
    (re.compile(r"at least (\d+) character"), r"mindestens \1 Zeichen nötig"),
    (re.compile(r"^unknown (\w+) '([^']*)'"), r"unbekannt: \2"),
)


def _german(message: str) -> str:
    for pattern, german in _GERMAN:
        found = pattern.search(message)
        if found:
            return found.expand(german)
    return f"ungültiger Wert ({message})"
