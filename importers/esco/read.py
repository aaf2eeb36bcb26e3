"""Reading the located ESCO files into concepts keyed by ESCO URI.

Nothing here knows about node ids or stores: the result is what the files say (labels
per language, skill kinds, ISCO codes, relations by URI), plus every problem found, each
naming file, line, column and value. The import refuses to write if there is any.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from importers.esco.files import CsvFile, FileProgress
from importers.esco.layout import EscoLayout

__all__ = ["EscoConcepts", "read_esco"]

SKILL_KINDS = {"skill/competence": "skill", "knowledge": "knowledge", "": None}
"""ESCO ``skillType`` → the model's skill ``kind`` (6 v1.1.1 skills have none)."""
RELATION_TYPES = ("essential", "optional")
SKILL_CONCEPT = "KnowledgeSkillCompetence"
_MAX_PROBLEMS = 50


@dataclass
class EscoConcepts:
    occupations: dict[str, dict[str, object]] = field(default_factory=dict)
    skills: dict[str, dict[str, object]] = field(default_factory=dict)
    ba_labels: dict[str, str] = field(default_factory=dict)
    """Skill URI → German label from the BA/EURES table (only where ``skills_de`` is absent)."""
    relations: dict[tuple[str, str], str] = field(default_factory=dict)
    """(occupation URI, skill URI) → "essential" | "optional"."""
    broader: set[tuple[str, str]] = field(default_factory=set)
    """(skill URI, broader skill URI); broader skill *groups* are not skills and left out."""
    rows: Counter[str] = field(default_factory=Counter)
    """Data rows read per file name."""
    problems: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def problem(self, file: CsvFile, line: int, column: str, message: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(f"{file.path}, line {line}, column {column}: {message}")
        else:
            self.skipped["further problems not listed"] += 1


def read_esco(layout: EscoLayout, progress: FileProgress | None = None) -> EscoConcepts:
    concepts = EscoConcepts()
    for lang, file in layout.occupations.items():
        _read_occupations(concepts, lang, file, progress)
    for lang, file in layout.skills.items():
        _read_skills(concepts, lang, file, progress)
    if layout.ba_skills is not None:
        _read_ba_skills(concepts, layout.ba_skills, progress)
    if layout.occupation_skills is not None:
        _read_occupation_skills(concepts, layout.occupation_skills, progress)
    if layout.broader is not None:
        _read_broader(concepts, layout.broader, progress)
    return concepts


def _uri(concepts: EscoConcepts, file: CsvFile, line: int, row: dict[str, str], col: str) -> str:
    value = (row.get(col) or "").strip()
    if not value.startswith("http"):
        concepts.problem(file, line, col, f"{value!r} is not an ESCO URI")
        return ""
    return value


def _label(concepts: EscoConcepts, file: CsvFile, line: int, row: dict[str, str]) -> str:
    value = (row.get("preferredLabel") or "").strip()
    if not value:
        concepts.problem(file, line, "preferredLabel", "is empty")
    return value


def _read_occupations(
    concepts: EscoConcepts, lang: str, file: CsvFile, progress: FileProgress | None
) -> None:
    for line, row in file.rows(progress):
        concepts.rows[file.name] += 1
        uri = _uri(concepts, file, line, row, "conceptUri")
        label = _label(concepts, file, line, row)
        isco = (row.get("iscoGroup") or "").strip()
        if isco and not (isco.isascii() and isco.isdigit() and len(isco) <= 4):
            concepts.problem(file, line, "iscoGroup", f"{isco!r} is not an ISCO-08 code")
            continue
        if uri and label:
            props = concepts.occupations.setdefault(uri, {})
            props[f"label_{lang}"] = label
            if isco:
                props["isco"] = isco


def _read_skills(
    concepts: EscoConcepts, lang: str, file: CsvFile, progress: FileProgress | None
) -> None:
    for line, row in file.rows(progress):
        concepts.rows[file.name] += 1
        uri = _uri(concepts, file, line, row, "conceptUri")
        label = _label(concepts, file, line, row)
        skill_type = (row.get("skillType") or "").strip()
        if skill_type not in SKILL_KINDS:
            concepts.problem(
                file, line, "skillType", f"{skill_type!r} is not 'skill/competence' or 'knowledge'"
            )
            continue
        if uri and label:
            props = concepts.skills.setdefault(uri, {})
            props[f"label_{lang}"] = label
            if SKILL_KINDS[skill_type]:
                props["kind"] = SKILL_KINDS[skill_type]


def _read_ba_skills(concepts: EscoConcepts, file: CsvFile, progress: FileProgress | None) -> None:
    """German ESCO 1.0.3 labels from the BA/EURES table. Rows without an ESCO URI are BA
    competences with no ESCO match; two original rows merge two records through a stray
    quote, but their first two fields (URI, label) are still right and are used."""
    for _line, row in file.rows(progress):
        concepts.rows[file.name] += 1
        uri = (row.get("Classification 1 URI") or "").strip()
        label = (row.get("Classification 1 PrefLabel") or "").strip()
        if not uri.startswith("http") or not label:
            concepts.skipped["BA rows without an ESCO skill"] += 1
            continue
        concepts.ba_labels.setdefault(uri, label)


def _read_occupation_skills(
    concepts: EscoConcepts, file: CsvFile, progress: FileProgress | None
) -> None:
    for line, row in file.rows(progress):
        concepts.rows[file.name] += 1
        occupation = _uri(concepts, file, line, row, "occupationUri")
        skill = _uri(concepts, file, line, row, "skillUri")
        kind = (row.get("relationType") or "").strip()
        if kind not in RELATION_TYPES:
            concepts.problem(
                file, line, "relationType", f"{kind!r} is not 'essential' or 'optional'"
            )
            continue
        if occupation and skill:
            key = (occupation, skill)
            if concepts.relations.get(key) != "essential":  # listed twice: essential wins
                concepts.relations[key] = kind


def _read_broader(concepts: EscoConcepts, file: CsvFile, progress: FileProgress | None) -> None:
    for line, row in file.rows(progress):
        concepts.rows[file.name] += 1
        if row.get("conceptType") != SKILL_CONCEPT or row.get("broaderType") != SKILL_CONCEPT:
            concepts.skipped["broader relations to or from skill groups"] += 1
            continue
        narrower = _uri(concepts, file, line, row, "conceptUri")
        broader = _uri(concepts, file, line, row, "broaderUri")
        if narrower and broader:
            concepts.broader.add((narrower, broader))
