"""The KldB 2010 classification and the BA's mapping from KldB job titles to ESCO.

The Agentur für Arbeit codes job offers in the KldB 2010 (Klassifikation der Berufe), not
in ESCO. To find the ESCO skills of such an offer, the graph holds the KldB classes
(``KldbClass``, levels 1–5, ``BROADER`` to the parent class) and the BA/EURES mapping as
``(KldbClass)-[:MAPS_TO {relation}]->(Occupation)``; ``GraphStore.skills_for_kldb`` then
follows it. Read from the official files (see ``/work/shared/data/*/SOURCE.md``):

* ``KldB_2010*Gliederung*.csv``: the systematic list, UTF-8 with BOM, ``;``-separated.
  Its military area lost its leading zeros (``1104`` is ``01104``): keys are left-padded
  to as many digits as their level (``Ebene``).
* ``Alphabetisches-Verzeichnis-Berufsbenennungen*.csv``: 18,838 job titles → 5-digit
  class, **cp850**, ``;``-separated, with an empty line and a footer at the end. Optional;
  the titles become the ``titles`` list of their class (for search).
* ``EURESmapping_occs_DE.csv``: ESCO occupation → BA job title ``B 51311-100`` (read as
  its 5-digit class) with a SKOS relation, after a metadata block. Rows mapping ISCO groups
  (``BE 3324``) are skipped. ESCO must be imported first: mapping rows whose occupation is
  not in the store are skipped and counted. Several titles of one class mapping to one
  occupation become one ``MAPS_TO`` with the closest relation.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InvalidInput
from graph.model import KLDB_MATCH_RANKS, Label, Rel
from graph.records import GraphData, NodeRecord, RelRecord
from graph.store import GraphStore, ProgressCallback
from importers.esco.files import CsvFile, FileProgress, check_headers, find_file, find_files

__all__ = ["KldbReport", "import_kldb", "kldb_id"]

KEY = "Schlüssel KldB 2010, V. 2020"
SYSTEMATIC_COLUMNS = (KEY, "Ebene", "Titel")
TITLE_COLUMNS = ("Berufsbenennungen", "KldB 2010 (5-Steller)")
MAPPING_COLUMNS = ("Classification 1 URI", "Classification 2 ID", "Mapping relation")
_MAX_PROBLEMS = 50
_CLASS = Label.KLDB_CLASS


def kldb_id(code: str) -> str:
    return f"kldb-{code}"


@dataclass
class KldbReport:
    classes: int = 0
    titles: int = 0
    mappings: int = 0
    nodes: int = 0
    relationships: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    read_s: float = 0.0
    write_s: float = 0.0

    @property
    def rows_read(self) -> int:
        return sum(self.rows.values())

    def problem(self, file: CsvFile, line: int, column: str, message: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(f"{file.path}, line {line}, column {column}: {message}")


def import_kldb(
    store: GraphStore,
    dirs: Sequence[Path],
    file_progress: FileProgress | None = None,
    write_progress: ProgressCallback | None = None,
) -> KldbReport:
    """Read and check everything, then write the classes and the mapping in one transaction."""
    started = time.perf_counter()
    dirs = [Path(d) for d in dirs]
    systematic = CsvFile(
        find_file(dirs, "KldB_2010*Gliederung*", "KldB 2010 systematic list"),
        SYSTEMATIC_COLUMNS,
        delimiter=";",
    )
    title_paths = find_files(dirs, "Alphabetisches-Verzeichnis-Berufsbenennungen*")
    titles = (
        CsvFile(title_paths[0], TITLE_COLUMNS, encoding="cp850", delimiter=";")
        if title_paths
        else None
    )
    mapping_paths = find_files(dirs, "EURESmapping_occs_DE")
    mapping = (
        CsvFile(mapping_paths[0], MAPPING_COLUMNS, header_prefix="Classification 1 URI")
        if mapping_paths
        else None
    )
    check_headers([f for f in (systematic, titles, mapping) if f is not None])

    report = KldbReport()
    classes = _read_classes(systematic, report, file_progress)
    by_class = _read_titles(titles, classes, report, file_progress) if titles else {}
    maps = _read_mapping(mapping, classes, store, report, file_progress) if mapping else {}
    if not mapping:
        report.skipped["no EURESmapping_occs_DE file: no MAPS_TO"] += 1
    if report.problems:
        raise InvalidInput(
            f"KldB import: {len(report.problems)} problem(s), nothing was written",
            report.problems,
        )
    nodes = []
    for code, (level, title) in sorted(classes.items()):
        props: dict[str, object] = {"code": code, "level": level, "label_de": title}
        if by_class.get(code):
            props["titles"] = sorted(by_class[code])
        nodes.append(NodeRecord(Label.KLDB_CLASS, kldb_id(code), props))
    rels = [
        RelRecord(Rel.BROADER, _CLASS, kldb_id(code), _CLASS, kldb_id(code[:-1]))
        for code in sorted(classes)
        if len(code) > 1 and code[:-1] in classes
    ]
    rels += [
        RelRecord(
            Rel.MAPS_TO,
            Label.KLDB_CLASS,
            kldb_id(code),
            Label.OCCUPATION,
            occupation,
            {"relation": relation},
        )
        for (code, occupation), relation in sorted(maps.items())
    ]
    report.classes, report.mappings = len(classes), len(maps)
    report.titles = sum(map(len, by_class.values()))
    report.read_s = time.perf_counter() - started
    started = time.perf_counter()
    summary = store.import_graph(GraphData(nodes, rels), write_progress)
    report.write_s = time.perf_counter() - started
    report.nodes, report.relationships = summary.nodes, summary.relationships
    return report


def _read_classes(
    file: CsvFile, report: KldbReport, progress: FileProgress | None
) -> dict[str, tuple[int, str]]:
    classes: dict[str, tuple[int, str]] = {}
    for line, row in file.rows(progress):
        report.rows[file.name] += 1
        level_text, key = (row.get("Ebene") or "").strip(), (row.get(KEY) or "").strip()
        if level_text not in {"1", "2", "3", "4", "5"}:
            report.problem(file, line, "Ebene", f"{level_text!r} is not a level 1–5")
            continue
        level = int(level_text)
        if not (key.isascii() and key.isdigit() and len(key) <= level):
            report.problem(file, line, KEY, f"{key!r} is not a KldB key of level {level}")
            continue
        title = (row.get("Titel") or "").strip()
        if not title:
            report.problem(file, line, "Titel", "is empty")
            continue
        classes[key.zfill(level)] = (level, title)  # "1104" on level 5 is 01104
    return classes


def _read_titles(
    file: CsvFile,
    classes: dict[str, tuple[int, str]],
    report: KldbReport,
    progress: FileProgress | None,
) -> dict[str, set[str]]:
    by_class: dict[str, set[str]] = defaultdict(set)
    for line, row in file.rows(progress):
        report.rows[file.name] += 1
        title = (row.get("Berufsbenennungen") or "").strip()
        code = (row.get("KldB 2010 (5-Steller)") or "").strip()
        if not title or title.startswith("Erstellungsdatum"):
            report.skipped["empty and footer lines of the job-title list"] += 1
            continue
        if code.isascii() and code.isdigit() and len(code) <= 5:
            code = code.zfill(5)
        if code not in classes or classes[code][0] != 5:
            report.problem(
                file, line, "KldB 2010 (5-Steller)", f"{code!r} is not a 5-digit KldB class"
            )
            continue
        by_class[code].add(title)
    return by_class


def _read_mapping(
    file: CsvFile,
    classes: dict[str, tuple[int, str]],
    store: GraphStore,
    report: KldbReport,
    progress: FileProgress | None,
) -> dict[tuple[str, str], str]:
    pairs: dict[tuple[str, str], str] = {}
    for line, row in file.rows(progress):
        report.rows[file.name] += 1
        uri = (row.get("Classification 1 URI") or "").strip()
        title = (row.get("Classification 2 ID") or "").strip()
        relation = (row.get("Mapping relation") or "").strip().removeprefix("skos:")
        if title.startswith("BE ") or "/esco/isco/" in uri:
            report.skipped["mapping rows of ISCO groups (no KldB job title)"] += 1
            continue
        code = title.removeprefix("B ").split("-", 1)[0]
        if not title.startswith("B ") or code not in classes:
            report.problem(file, line, "Classification 2 ID", f"{title!r} is no KldB job title")
            continue
        if relation not in KLDB_MATCH_RANKS:
            shown = ", ".join(f"skos:{r}" for r in KLDB_MATCH_RANKS)
            report.problem(file, line, "Mapping relation", f"{relation!r} is not one of {shown}")
            continue
        if not uri.startswith("http"):
            report.problem(file, line, "Classification 1 URI", f"{uri!r} is not an ESCO URI")
            continue
        key = (code, uri)
        if key not in pairs or KLDB_MATCH_RANKS[relation] < KLDB_MATCH_RANKS[pairs[key]]:
            pairs[key] = relation
    occupations = store.ids_by_esco_uri(Label.OCCUPATION, sorted({uri for _, uri in pairs}))
    found: dict[tuple[str, str], str] = {}
    for (code, uri), relation in pairs.items():
        if uri not in occupations:
            report.skipped["mappings to ESCO occupations not in the store"] += 1
            continue
        found[(code, occupations[uri])] = relation  # two URIs on one node: keep one
    return found
