"""Towns for scale worlds: Kreis Heinsberg for a region, invented German towns beyond.

Up to a region's size the demo's real towns of Kreis Heinsberg (with coordinates and
rough populations) are right. For all-of-Germany benchmarks the generator needs thousands
of places spread like Germany's population: towns with plausible German names around the
big urban regions, sizes falling off by rank (Zipf), so that radius searches and distances
behave as they would on real data. The list grows with the number of job seekers (one town
per 2,000), which keeps it a small fixed part of the generator's memory.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

__all__ = ["REGION_LIMIT", "towns_for"]

REGION_LIMIT = 50_000
"""Up to this many candidates the world lives in Kreis Heinsberg's ten towns."""

_PLACES = Path(__file__).resolve().parent.parent / "demo" / "data" / "places.json"

# (latitude, longitude, weight): centres of German urban regions, weighted by population.
_ANCHORS = (
    (52.52, 13.40, 6.0), (53.55, 10.00, 4.0), (48.14, 11.58, 4.5), (50.94, 6.96, 5.0),
    (51.45, 7.01, 9.0), (50.11, 8.68, 5.0), (48.78, 9.18, 5.0), (51.23, 6.78, 3.0),
    (51.34, 12.37, 2.5), (51.05, 13.74, 2.5), (52.37, 9.73, 3.0), (53.08, 8.80, 2.0),
    (49.45, 11.08, 3.0), (49.49, 8.47, 2.5), (54.32, 10.13, 1.5), (50.98, 11.03, 1.5),
    (52.13, 11.62, 1.5), (54.09, 12.13, 1.0), (49.24, 6.99, 1.5), (50.00, 8.27, 2.0),
    (51.96, 7.63, 2.0), (52.03, 8.53, 2.0), (48.37, 10.90, 1.5), (47.99, 7.84, 1.5),
    (49.01, 8.40, 2.0), (51.31, 9.48, 1.5), (50.83, 12.92, 1.5), (53.87, 10.69, 1.0),
)  # fmt: skip
_ROOTS = (
    "Berg", "Wald", "Linden", "Eichen", "Buchen", "Rosen", "Mühl", "Kirch", "Stein", "Burg",
    "Brück", "Hagen", "Fels", "Hof", "Wies", "Tann", "Erlen", "Birken", "Holz", "Sand",
    "Falken", "Wolfs", "Hirsch", "Lauter", "Schön", "Kalt", "Warm", "Roth", "Weiden", "Espen",
)  # fmt: skip
_ENDINGS = (
    "heim", "hausen", "dorf", "bach", "feld", "stadt", "burg", "au", "hagen", "rode",
    "ingen", "stedt", "beck", "kirchen", "born", "weiler", "tal", "brunn", "furt", "horst",
)  # fmt: skip
_PREFIXES = ("", "", "", "", "Ober", "Unter", "Neu", "Alt", "Groß", "Klein", "Bad ", "Nieder")


def towns_for(candidates: int, seed: int) -> list[dict[str, Any]]:
    """Town entities (with a ``population`` to weight draws by; drop it before writing)."""
    if candidates <= REGION_LIMIT:
        return [dict(town) for town in json.loads(_PLACES.read_text("utf-8"))["towns"]]
    return _german_towns(min(5_000, max(100, candidates // 2_000)), seed)


def _german_towns(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(f"{seed}/towns")
    weights = [w for _, _, w in _ANCHORS]
    names: set[str] = set()
    towns = []
    for rank in range(1, count + 1):
        lat0, lon0, _ = rng.choices(_ANCHORS, weights)[0]
        spread = 0.15 + 0.6 * rng.random()
        lat = min(54.9, max(47.4, rng.gauss(lat0, spread)))
        lon = min(14.9, max(6.0, rng.gauss(lon0, spread * 1.4)))
        name = _name(rng)
        while name in names:
            name = f"{name} ({rng.choice(_ROOTS)}{rng.choice(_ENDINGS)})"
        names.add(name)
        towns.append(
            {
                "id": f"t-{rank:05d}",
                "name": name,
                "lat": round(lat, 5),
                "lon": round(lon, 5),
                "drk_point": rank % 25 == 1,
                "population": max(800, int(1_500_000 / rank**0.95)),
            }
        )
    return towns


def _name(rng: random.Random) -> str:
    root, ending = rng.choice(_ROOTS), rng.choice(_ENDINGS)
    if root.endswith(ending[:1]):
        ending = ending[1:] or ending
    word = root + ending
    prefix = rng.choice(_PREFIXES)
    return f"{prefix}{word.lower()}" if prefix and not prefix.endswith(" ") else prefix + word
