"""``wegweiser generate [world] --candidates N --offers M --courses K --seed S OUT``.

The scale generator for benchmarks (``importers.scale``), from a district to all of
Germany. ``generate`` is a group (``generate demo OUT`` writes the demo district); a call
that names no subcommand is a ``generate world`` call, so the short form of the issue,
``wegweiser generate --candidates 30000 … OUT``, works as written.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from cli.progress import progress_bar

__all__ = ["WorldByDefault", "generate_world"]


class WorldByDefault(click.Group):
    """A group whose arguments go to ``world`` unless they start with a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["world", *args]
        return super().parse_args(ctx, args)


@click.command("world")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--candidates", type=click.IntRange(0), default=1_000, show_default=True)
@click.option("--offers", type=click.IntRange(0), default=200, show_default=True)
@click.option("--courses", type=click.IntRange(0), default=200, show_default=True)
@click.option(
    "--coaches", type=click.IntRange(0), default=None, help="Default: one per 40 candidates."
)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--esco",
    "esco",
    metavar="DIR|slice",
    default=None,
    help="ESCO v1.1.1 CSV folder (default: /work/shared/data/esco-v1.1.1-en when present, "
    "else the demo's ESCO slice); 'slice' forces the slice.",
)
def generate_world(
    out: Path,
    candidates: int,
    offers: int,
    courses: int,
    coaches: int | None,
    seed: int,
    esco: str | None,
) -> None:
    """Write a scale world to OUT: .jsonl / .jsonl.gz (streamed) or .json (small only)."""
    from importers.scale import ScaleSize, scale_context, write_scale_world

    size = ScaleSize(candidates, offers, courses, coaches)
    started = time.perf_counter()
    try:
        ctx = scale_context(size, seed=seed, esco=esco)
    except FileNotFoundError as e:
        raise click.BadParameter(str(e), param_hint="--esco") from None
    total = ctx.entity_total()
    with progress_bar(f"writing {out.name}", total) as update:
        counts, size_bytes = write_scale_world(out, ctx, progress=update)
    seconds = time.perf_counter() - started
    written = sum(counts.values())
    summary = ", ".join(f"{n:,} {section}" for section, n in counts.items() if n)
    click.echo(f"wrote {out}: {summary} ({size_bytes / 2**20:,.1f} MiB)")
    click.echo(
        f"{written:,} entities in {seconds:,.1f} s: {written / max(seconds, 1e-9):,.0f} "
        f"entities/s (taxonomy: {ctx.taxonomy.source})"
    )
