"""``wegweiser import esco`` and ``wegweiser import kldb``: the reference taxonomies.

Each file gets its own progress bar while it is read (on a terminal only), the write one
more; at the end one line with what arrived and the rows per second of reading and of
writing. Problems in the files are reported, naming file, line and column, before
anything is written (``InvalidInput``, exit status 1).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from cli.context import Context

__all__ = ["esco", "kldb"]

FileBars = tuple[Callable[[str, int, int], None] | None, Callable[[int, int], None] | None]


@click.command("esco")
@click.argument("dirs", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--languages",
    help="Comma-separated languages to import, e.g. en,de (default: every occupations_<lang> "
    "file found in DIRS).",
)
@click.option(
    "--ba-mapping",
    type=click.Path(path_type=Path),
    help="Directory (or file) with the BA table EURESmapping_skills_DE.csv(.gz): German skill "
    "labels where DIRS have no skills_de.csv.",
)
@click.option(
    "--no-relations",
    is_flag=True,
    help="Labels only: keep every relationship, read no relations files.",
)
@click.pass_obj
def esco(
    obj: Context,
    dirs: tuple[Path, ...],
    languages: str | None,
    ba_mapping: Path | None,
    no_relations: bool,
) -> None:
    """Import the ESCO CSV download in DIRS (plain or .gz; several dirs, e.g. one per language)."""
    from importers.esco import import_esco

    langs = [lang.strip() for lang in languages.split(",") if lang.strip()] if languages else None
    with obj.store() as store:
        store.init_schema()
        with _bars() as (file_bar, write_bar):
            report = import_esco(
                store,
                list(dirs),
                langs,
                ba_mapping=ba_mapping,
                relations=not no_relations,
                file_progress=file_bar,
                write_progress=write_bar,
            )
    click.echo(
        f"imported ESCO ({', '.join(report.languages)}) into the {store.kind} store: "
        f"{report.nodes} nodes ({report.new_nodes} new), {report.relationships} relationships; "
        f"read {report.rows_read} rows in {report.read_s:.1f} s "
        f"({report.read_rows_per_s:,.0f} rows/s), wrote in {report.write_s:.1f} s "
        f"({report.write_rows_per_s:,.0f} rows/s)"
    )
    for reason, count in sorted(report.skipped.items()):
        click.echo(f"  skipped {count}: {reason}")


@click.command("kldb")
@click.argument("dirs", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def kldb(obj: Context, dirs: tuple[Path, ...]) -> None:
    """Import the KldB 2010 list and the BA's ESCO mapping found in DIRS (import ESCO first)."""
    from importers.kldb import import_kldb

    with obj.store() as store:
        store.init_schema()
        with _bars() as (file_bar, write_bar):
            report = import_kldb(store, list(dirs), file_bar, write_bar)
    rows_per_s = report.rows_read / report.read_s if report.read_s else 0.0
    written = (report.nodes + report.relationships) / report.write_s if report.write_s else 0.0
    click.echo(
        f"imported KldB 2010 into the {store.kind} store: {report.classes} classes, "
        f"{report.titles} job titles, {report.mappings} ESCO mappings; read {report.rows_read} "
        f"rows ({rows_per_s:,.0f} rows/s), wrote {report.nodes + report.relationships} rows "
        f"({written:,.0f} rows/s)"
    )
    for reason, count in sorted(report.skipped.items()):
        click.echo(f"  skipped {count}: {reason}")


@contextmanager
def _bars() -> Iterator[FileBars]:
    """One progress bar per file read and one for the write; nothing off a terminal."""
    if not sys.stderr.isatty():
        yield None, None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    ) as bars:
        tasks: dict[str, int] = {}

        def file_bar(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bars.add_task(f"reading {name}", total=total)
            bars.update(tasks[name], completed=done)

        def write_bar(done: int, total: int) -> None:
            if "" not in tasks:
                tasks[""] = bars.add_task(f"writing {total} rows", total=total)
            bars.update(tasks[""], completed=done, total=total)

        yield file_bar, write_bar
