"""The fixed part of a scale world that every section draws from.

Everything here is built once, before the first entity, and does not grow with the number
of job seekers, offers or courses: the taxonomy, the towns, the tool catalogue, the name
pools and the weighted choices over them. Popularity is Zipf-like by rank, with the ranks
shuffled by the seed (which occupation is common is a property of the world, not of
ESCO's file order), except for skills, whose popularity is the number of occupations that
name them in ESCO — already a long tail.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importers.demo.generator import LANGUAGES
from importers.demo.people import ORIGINS, Origin
from importers.scale.names import NamePool
from importers.scale.places import towns_for
from importers.scale.sampling import Weighted, zipf
from importers.scale.taxonomy import Taxonomy

__all__ = ["ORGANIZATIONS", "ScaleSize", "WorldContext"]

_TOOLS = Path(__file__).resolve().parent.parent / "demo" / "data" / "tools.json"

ORGANIZATIONS = (
    ("org-jobcenter", "Jobcenter", "jobcenter"),
    ("org-agentur", "Agentur für Arbeit", "agentur"),
    ("org-drk", "Deutsches Rotes Kreuz", "drk"),
)
"""The network's own organisations; course providers are added per world size."""


@dataclass(frozen=True)
class ScaleSize:
    candidates: int = 1_000
    offers: int = 200
    courses: int = 200
    coaches: int | None = None
    """Default: one volunteer coach per 40 job seekers."""

    @property
    def companies(self) -> int:
        return max(1, self.offers // 3)

    @property
    def providers(self) -> int:
        return max(3, self.courses // 150)

    @property
    def coach_count(self) -> int:
        return self.candidates // 40 if self.coaches is None else self.coaches


class WorldContext:
    """Taxonomy, towns, tools, names and the weighted choices over them."""

    def __init__(self, size: ScaleSize, seed: int, taxonomy: Taxonomy) -> None:
        self.size = size
        self.seed = seed
        self.taxonomy = taxonomy
        rng = random.Random(f"{seed}/context")
        self.towns = towns_for(size.candidates, seed)
        self.town = Weighted([t["id"] for t in self.towns], [t["population"] for t in self.towns])
        self.town_names = {t["id"]: t["name"] for t in self.towns}
        self.drk_towns = [t["name"] for t in self.towns if t.get("drk_point")] or ["Erkelenz"]
        self.tools: list[dict[str, Any]] = [
            {"id": t["id"], "labels": dict(t["labels"]), "category": t["category"]}
            for t in json.loads(_TOOLS.read_text("utf-8"))["tools"]
        ]
        self.tool = zipf(_shuffled(rng, [t["id"] for t in self.tools]), 0.9)
        self.tool_labels = {t["id"]: t["labels"].get("de") or t["labels"]["en"] for t in self.tools}
        occupations = _shuffled(rng, taxonomy.occupations)
        self.occupation = zipf(occupations, 1.0)
        self.skill = Weighted(
            list(taxonomy.popularity), [1 + n for n in taxonomy.popularity.values()]
        )
        self.languages = [
            {"id": code, "labels": _labels(code, de, en, own)} for code, de, en, own in LANGUAGES
        ]
        self.origin: Weighted[Origin] = Weighted(list(ORIGINS), [o.share for o in ORIGINS])
        self.names = NamePool(seed, tuple(dict.fromkeys(o.names for o in ORIGINS)))
        self.providers = [f"org-provider-{i:04d}" for i in range(1, size.providers + 1)]

    def entity_total(self) -> int:
        """How many entities the world will have (for progress bars)."""
        s = self.size
        fixed = len(self.towns) + len(self.languages) + len(self.tools)
        fixed += len(self.taxonomy.skills) + len(self.taxonomy.occupations)
        fixed += len(ORGANIZATIONS) + len(self.providers)
        return fixed + s.companies + s.offers + s.courses + s.candidates + s.coach_count


def occupation_title(occupation: dict[str, Any]) -> str:
    labels = occupation["labels"]
    return labels.get("de") or labels.get("en") or next(iter(labels.values()))


def _labels(code: str, de: str, en: str, own: str) -> dict[str, str]:
    labels = {"de": de, "en": en}
    labels.setdefault(code, own)
    return labels


def _shuffled(rng: random.Random, items: list[Any]) -> list[Any]:
    items = list(items)
    rng.shuffle(items)
    return items
