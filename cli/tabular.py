"""``wegweiser template`` and ``wegweiser import xlsx|csv``: the region's own lists.

A failed import prints every problem as one table (row, column, value, what is wrong in
German and English) and exits 1 without a traceback; ``--report`` also writes them as a
CSV that opens in Excel, for whoever fixes the list.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.context import Context, cli_import
from importers.tabular import (
    FORMATS,
    KINDS,
    TableInvalid,
    import_table,
    kind_named,
    write_report,
    write_template,
)

__all__ = ["import_csv", "import_xlsx", "template"]

_KIND = click.Choice(
    sorted({*KINDS, *(k.sheet.lower() for k in KINDS.values())}), case_sensitive=False
)


@click.command()
@click.argument("name", type=_KIND)
@click.argument("out", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="xlsx (default) or csv; taken from OUT's suffix when OUT is given.",
)
def template(name: str, out: Path | None, fmt: str | None) -> None:
    """Write the empty list NAME (companies, offers, courses, candidates, coaches) to OUT:
    a header row and an example row (xlsx: with a help sheet in German and English)."""
    kind = kind_named(name)
    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out is not None else ""
        fmt = suffix if suffix in FORMATS else "xlsx"
    out = out or Path(f"{kind.name}.{fmt}")
    try:
        write_template(kind, fmt, out)
    except OSError as e:
        raise click.ClickException(f"{out}: cannot write ({e.strerror})") from None
    click.echo(f"wrote the {kind.name} template to {out} ({fmt})")


def _import_command(fmt: str) -> click.Command:
    @click.command(fmt)
    @click.argument("kind", type=_KIND)
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--report",
        type=click.Path(dir_okay=False, path_type=Path),
        help="On problems, also write them to this CSV file (opens in Excel).",
    )
    @click.pass_obj
    def command(obj: Context, kind: str, file: Path, report: Path | None) -> None:
        with obj.store() as store:
            store.init_schema()
            audited = cli_import(store)
            try:
                result = import_table(audited, file, kind, fmt)
            except TableInvalid as e:
                _show_problems(e)
                if report is not None:
                    write_report(e.table_problems, report)
                    click.echo(f"Fehlerbericht / problem report: {report}", err=True)
                sys.exit(1)
            audited.write_audit()
        click.echo(
            f"imported {file}: {result.rows} {result.kind} "
            f"({result.nodes} nodes, {result.relationships} relationships)"
        )

    command.help = (
        f"Import the {fmt} list FILE of KIND (companies, offers, courses, candidates, "
        "coaches). Every row is checked first; on any problem all of them are listed and "
        "nothing is imported."
    )
    return command


import_xlsx = _import_command("xlsx")
import_csv = _import_command("csv")


def _show_problems(error: TableInvalid) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(stderr=True, width=None if sys.stderr.isatty() else 200)
    table = Table(title=Text(error.summary), title_justify="left")
    for title in ("Zeile/row", "Spalte/column", "Wert/value", "Problem", "problem"):
        table.add_column(title, overflow="fold")
    for p in error.table_problems:
        row = ("" if p.row is None else str(p.row), p.column or "", p.value, p.de, p.en)
        table.add_row(*(Text(cell) for cell in row))  # user text: never rich markup
    console.print(table)
