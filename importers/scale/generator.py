"""The scale world: every entity, section by section, as an iterator.

``scale_world(size, seed)`` yields ``(section, entity)`` pairs in the canonical section
order of ``wegweiser-world/1``; :func:`write_scale_world` streams them into a file. Memory
does not grow with the number of job seekers, offers or courses: each section draws from
its own ``random.Random`` seeded from the world's seed and a fixed context (taxonomy,
towns, tools, name pools), and references are made from indices (firm 17 is ``co-000017``
and its town follows from its index), so no entity has to be remembered. One seed always
gives the same entities and, written, the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from graph.errors import InvalidInput
from graph.world.jsonl import WorldWriter, is_lines_file
from importers.scale import catalogue, people
from importers.scale.context import ScaleSize, WorldContext
from importers.scale.taxonomy import load_taxonomy

__all__ = ["JSON_LIMIT", "ScaleSize", "scale_context", "scale_world", "write_scale_world"]

JSON_LIMIT = 250_000
"""Entities above which a single JSON document is refused (it must be parsed whole)."""

Entities = Iterator[tuple[str, dict[str, Any]]]


def scale_context(size: ScaleSize, seed: int = 1, esco: Path | str | None = None) -> WorldContext:
    """The fixed part of the world (taxonomy, towns, names): build once, then generate."""
    return WorldContext(size, seed, load_taxonomy(esco))


def scale_world(ctx: WorldContext) -> Entities:
    """Every entity of the world, in canonical section order."""
    for town in ctx.towns:
        yield "towns", {k: v for k, v in town.items() if k != "population"}
    for language in ctx.languages:
        yield "languages", language
    for skill in ctx.taxonomy.skills:
        yield "skills", skill
    for tool in ctx.tools:
        yield "tools", tool
    for occupation in ctx.taxonomy.occupations:
        yield "occupations", occupation
    yield from _section("organizations", catalogue.organizations(ctx))
    yield from _section("companies", catalogue.companies(ctx))
    yield from _section("offers", catalogue.offers(ctx))
    yield from _section("courses", catalogue.courses(ctx))
    yield from _section("candidates", people.candidates(ctx))
    yield from _section("coaches", people.coaches(ctx))


def write_scale_world(
    path: Path,
    ctx: WorldContext,
    progress: Callable[[int], None] | None = None,
) -> tuple[dict[str, int], int]:
    """Write the world to ``path`` (``.jsonl``, ``.jsonl.gz`` or, when small, ``.json``);
    returns the entities per section and the file size. ``progress(n)`` every 10,000."""
    total = ctx.entity_total()
    if not is_lines_file(path) and total > JSON_LIMIT:
        raise InvalidInput(
            f"{path}: {total:,} entities are too many for one JSON document (at most "
            f"{JSON_LIMIT:,}: it is read whole); write JSON Lines instead, e.g. "
            f"{Path(path).with_suffix('.jsonl')}"
        )
    about = {
        "generator": "importers.scale",
        "seed": ctx.seed,
        "taxonomy": ctx.taxonomy.source,
        "entities": total,
    }
    with WorldWriter(path, about=about) as writer:
        for done, (section, entity) in enumerate(scale_world(ctx), start=1):
            writer.write(section, entity)
            if progress is not None and done % 10_000 == 0:
                progress(done)
    if progress is not None:
        progress(total)
    return writer.counts, Path(path).stat().st_size


def _section(name: str, entities: Iterator[dict[str, Any]]) -> Entities:
    for entity in entities:
        yield name, entity
