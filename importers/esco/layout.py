"""Which files of the ESCO CSV download an import reads, and the columns it needs.

The layout is ESCO's own (v1.1/v1.2): ``occupations_<lang>.csv``, ``skills_<lang>.csv``,
``occupationSkillRelations*.csv``, ``broaderRelationsSkillPillar*.csv``, each plain or
gzipped, possibly spread over several directories (one download per language). Where a
language has no ``skills_<lang>.csv`` (the German copy available here lacks it), German
skill labels can come from the BA/EURES mapping table ``EURESmapping_skills_DE.csv``.
Everything is located and every header checked here, before any row is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InvalidInput
from importers.esco.files import CsvFile, check_headers, find_file, find_files

__all__ = ["BA_SKILLS", "EscoLayout", "locate"]

OCCUPATION_COLUMNS = ("conceptUri", "iscoGroup", "preferredLabel")
SKILL_COLUMNS = ("conceptUri", "skillType", "preferredLabel")
OCCUPATION_SKILL_COLUMNS = ("occupationUri", "relationType", "skillUri")
BROADER_COLUMNS = ("conceptType", "conceptUri", "broaderType", "broaderUri")
BA_SKILL_COLUMNS = ("Classification 1 URI", "Classification 1 PrefLabel")
BA_SKILLS = "EURESmapping_skills_DE"
BA_HEADER = "Classification 1 URI"


@dataclass(frozen=True)
class EscoLayout:
    """The files one import reads: per language, and the language-independent relations."""

    occupations: dict[str, CsvFile]
    skills: dict[str, CsvFile]
    """Per language; a language may be missing here and come from ``ba_skills``."""
    ba_skills: CsvFile | None
    occupation_skills: CsvFile | None
    broader: CsvFile | None

    def files(self) -> list[CsvFile]:
        found = [*self.occupations.values(), *self.skills.values()]
        for extra in (self.ba_skills, self.occupation_skills, self.broader):
            if extra is not None:
                found.append(extra)
        return found


def languages_in(dirs: Sequence[Path]) -> list[str]:
    """Languages with an ``occupations_<lang>`` file, in the order found."""
    found: list[str] = []
    for path in find_files(dirs, "occupations_*"):
        lang = path.name.split("_", 1)[1].split(".", 1)[0]
        if lang not in found:
            found.append(lang)
    return found


def locate(
    dirs: Sequence[Path],
    languages: Sequence[str] | None = None,
    ba_mapping: Path | None = None,
    relations: bool = True,
) -> EscoLayout:
    """Find every file, check every header; raises ``InvalidInput`` naming what is wrong."""
    dirs = [Path(d) for d in dirs]
    for directory in dirs:
        if not directory.is_dir():
            raise InvalidInput(f"{directory}: not a directory; nothing was written")
    langs = list(languages or languages_in(dirs))
    if not langs:
        raise InvalidInput(
            f"no occupations_<lang>.csv(.gz) in {', '.join(map(str, dirs))}; nothing was written"
        )
    occupations = {
        lang: CsvFile(
            find_file(dirs, f"occupations_{lang}", f"ESCO occupations ({lang})"),
            OCCUPATION_COLUMNS,
        )
        for lang in langs
    }
    skills: dict[str, CsvFile] = {}
    ba_skills = None
    for lang in langs:
        found = find_files(dirs, f"skills_{lang}")
        if found:
            skills[lang] = CsvFile(found[0], SKILL_COLUMNS)
        elif lang == "de" and ba_mapping is not None:
            ba_dirs = [ba_mapping] if ba_mapping.is_dir() else []
            path = find_file(ba_dirs, BA_SKILLS, "German skill labels") if ba_dirs else ba_mapping
            ba_skills = CsvFile(path, BA_SKILL_COLUMNS, header_prefix=BA_HEADER)
        else:
            hint = " (German skill labels: give --ba-mapping DIR)" if lang == "de" else ""
            raise InvalidInput(
                f"ESCO skills ({lang}): no file skills_{lang}.csv or skills_{lang}.csv.gz in "
                f"{', '.join(map(str, dirs))}{hint}; nothing was written"
            )
    occupation_skills = broader = None
    if relations:
        occupation_skills = CsvFile(
            find_file(dirs, "occupationSkillRelations*", "ESCO occupation–skill relations"),
            OCCUPATION_SKILL_COLUMNS,
        )
        broader = CsvFile(
            find_file(dirs, "broaderRelationsSkillPillar*", "ESCO broader skill relations"),
            BROADER_COLUMNS,
        )
    layout = EscoLayout(occupations, skills, ba_skills, occupation_skills, broader)
    check_headers(layout.files())
    return layout
