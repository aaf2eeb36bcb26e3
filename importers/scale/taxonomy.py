"""The skills and occupations a scale world draws from: real ESCO, full or the demo slice.

Benchmarks should run on the real taxonomy (≈ 13,900 skills, ≈ 3,000 occupations with
their essential and optional skills), because its shape — a few skills used by hundreds of
occupations, most by a handful — decides how big the graph's hubs are. This is a small
private reader of ESCO's own gzip'ed CSV files (``esco-v1.1.1-en``), independent of the
ESCO importer, so that the generator works whoever changes that. Without the files (tests,
fresh checkouts) the demo district's committed ESCO slice stands in.

"This service uses the ESCO classification of the European Commission."
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importers.demo.esco_slice import load_esco_slice

__all__ = ["DEFAULT_ESCO_DIR", "SLICE", "Taxonomy", "load_taxonomy"]

DEFAULT_ESCO_DIR = Path("/work/shared/data/esco-v1.1.1-en")
_NEEDED = (
    "skills_en.csv.gz",
    "occupations_en.csv.gz",
    "occupationSkillRelations.csv.gz",
    "broaderRelationsSkillPillar.csv.gz",
)


@dataclass(frozen=True)
class Taxonomy:
    """Skills and occupations as world entities, plus what sampling needs."""

    source: str
    skills: list[dict[str, Any]]
    occupations: list[dict[str, Any]]
    """Only occupations with at least one essential skill (offers are built from them)."""
    popularity: dict[str, int]
    """Skill id → number of occupations that name it (essential or optional)."""


SLICE = "slice"
"""``esco_dir`` value that asks for the demo's committed ESCO slice even when ESCO is there."""


def load_taxonomy(esco_dir: Path | str | None = None) -> Taxonomy:
    """Full ESCO from ``esco_dir`` (default: the shared data, when present), else the slice.

    An ``esco_dir`` given explicitly must hold the ESCO CSV files; the default may be
    absent, and then the committed slice is used. ``"slice"`` always uses the slice.
    """
    if esco_dir == SLICE:
        data = load_esco_slice()
        return _taxonomy("ESCO slice of the demo district", data["skills"], data["occupations"])
    if esco_dir is None:
        esco_dir = DEFAULT_ESCO_DIR if _complete(DEFAULT_ESCO_DIR) else None
    elif not _complete(Path(esco_dir)):
        missing = [name for name in _NEEDED if not (Path(esco_dir) / name).is_file()]
        raise FileNotFoundError(f"{esco_dir}: not an ESCO v1.1.1 CSV folder (no {missing[0]})")
    if esco_dir is None:
        data = load_esco_slice()
        return _taxonomy("ESCO slice of the demo district", data["skills"], data["occupations"])
    return _read_esco(Path(esco_dir))


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in _NEEDED)


def _taxonomy(
    source: str, skills: list[dict[str, Any]], occupations: list[dict[str, Any]]
) -> Taxonomy:
    popularity = {skill["id"]: 0 for skill in skills}
    for occupation in occupations:
        for skill_id in (*occupation["essential"], *occupation["optional"]):
            popularity[skill_id] += 1
    usable = [occupation for occupation in occupations if occupation["essential"]]
    return Taxonomy(source, skills, usable, popularity)


def _read_esco(folder: Path) -> Taxonomy:
    skills: list[dict[str, Any]] = []
    skill_ids: dict[str, str] = {}
    for row in _rows(folder / "skills_en.csv.gz"):
        uri = row["conceptUri"]
        skill_ids[uri] = _id("s", uri)
        skills.append(
            {
                "id": skill_ids[uri],
                "labels": {"en": row["preferredLabel"].strip()},
                "kind": "knowledge" if row["skillType"] == "knowledge" else "skill",
                "esco_uri": uri,
                "broader": [],
            }
        )
    by_id = {skill["id"]: skill for skill in skills}
    for row in _rows(folder / "broaderRelationsSkillPillar.csv.gz"):
        narrower, broader = skill_ids.get(row["conceptUri"]), skill_ids.get(row["broaderUri"])
        if narrower and broader:  # skill → skill only; skill groups are not skills here
            by_id[narrower]["broader"].append(broader)
    for skill in skills:
        skill["broader"].sort()

    occupations: dict[str, dict[str, Any]] = {}
    for row in _rows(folder / "occupations_en.csv.gz"):
        uri = row["conceptUri"]
        occupations[uri] = {
            "id": _id("occ", uri),
            "labels": {"en": row["preferredLabel"].strip()},
            "isco": row["iscoGroup"] or None,
            "kldb": None,
            "esco_uri": uri,
            "essential": [],
            "optional": [],
        }
    for row in _rows(folder / "occupationSkillRelations.csv.gz"):
        occupation = occupations.get(row["occupationUri"])
        skill_id = skill_ids.get(row["skillUri"])
        kind = row["relationType"]
        if occupation is not None and skill_id is not None and kind in ("essential", "optional"):
            occupation[kind].append(skill_id)
    for occupation in occupations.values():
        occupation["essential"] = sorted(set(occupation["essential"]))
        occupation["optional"] = sorted(set(occupation["optional"]) - set(occupation["essential"]))
    ordered = sorted(occupations.values(), key=lambda o: o["id"])
    skills.sort(key=lambda s: s["id"])
    return _taxonomy(f"ESCO v1.1.1 ({folder})", skills, ordered)


def _id(prefix: str, uri: str) -> str:
    """``s-<uuid>`` / ``occ-<uuid>``: stable, short, and unique across ESCO."""
    return f"{prefix}-{uri.rstrip('/').rsplit('/', 1)[-1]}"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)
