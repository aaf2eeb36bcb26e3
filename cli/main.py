"""The ``wegweiser`` command.

This is the composition root: it reads settings, opens the one store of the process and
hands it to the use cases in ``graph`` (and, for ``serve``, to the web app). Expected
failures (``WegweiserError``) become one readable message and exit status 1; anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from cli.context import Context, cli_import
from cli.progress import progress_bar
from cli.scale import WorldByDefault, generate_world
from graph.errors import WegweiserError
from graph.stores import STORE_KINDS, StoreSettings
from graph.world import export_world, import_world

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    type=click.Choice(STORE_KINDS),
    envvar="WEGWEISER_STORE",
    default="embedded",
    show_default=True,
    help="Where the graph lives (env WEGWEISER_STORE). neo4j reads NEO4J_URI, NEO4J_USER, "
    "NEO4J_PASSWORD, NEO4J_DATABASE.",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="WEGWEISER_DATA",
    default="var",
    show_default=True,
    help="Data directory of the embedded store (env WEGWEISER_DATA).",
)
@click.pass_context
def cli(ctx: click.Context, store: str, data_dir: Path) -> None:
    """Wegweiser: candidates, offers, courses and the shortest training route between them."""
    ctx.obj = Context(StoreSettings.from_env(kind=store, data_dir=data_dir))


# --- db ----------------------------------------------------------------------------------


@cli.group()
def db() -> None:
    """Schema and housekeeping of the store."""


@db.command("init")
@click.pass_obj
def db_init(obj: Context) -> None:
    """Create constraints and indexes (idempotent)."""
    with obj.store() as store:
        store.init_schema()
        click.echo(f"{store.kind} store: schema is in place")


@db.command("counts")
@click.pass_obj
def db_counts(obj: Context) -> None:
    """Number of nodes per label."""
    with obj.store() as store:
        for label, count in store.counts().items():
            click.echo(f"{label:<14}{count:>10}")


# --- import / export ---------------------------------------------------------------------


@cli.group("import")
def import_() -> None:
    """Bring data into the store."""


@import_.command("world")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_obj
def import_world_command(obj: Context, file: Path) -> None:
    """Import a wegweiser-world/1 FILE: validated whole, written all-or-nothing."""
    with obj.store() as store:
        store.init_schema()
        audited = cli_import(store)
        with progress_bar(f"importing {file.name}") as progress:
            report = import_world(audited, file, progress=progress)
        audited.write_audit()
    entities = ", ".join(f"{n} {section}" for section, n in report.entities.items() if n)
    click.echo(
        f"imported {file}: {entities or 'nothing'} "
        f"({report.nodes} nodes, {report.relationships} relationships)"
    )


@cli.group("export")
def export_() -> None:
    """Write data out of the store."""


@export_.command("world")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_obj
def export_world_command(obj: Context, file: Path) -> None:
    """Write the whole graph as a canonical wegweiser-world/1 FILE ('-' for stdout)."""
    with obj.store() as store:
        if str(file) == "-":
            from graph.world import dumps_world

            sys.stdout.write(dumps_world(store))
            return
        size = export_world(store, file)
    click.echo(f"exported the {obj.settings.kind} store to {file} ({size} bytes)", err=True)


# --- serving -----------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.pass_obj
def serve(obj: Context, host: str, port: int) -> None:
    """Serve the web UI and API with waitress (a production WSGI server)."""
    _serve(obj, host, port)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--world",
    type=click.Path(path_type=Path),
    help="World file to load instead of the generated demo district of Kreis Heinsberg.",
)
@click.pass_obj
def demo(obj: Context, host: str, port: int, world: Path | None) -> None:
    """Load the demo district of Kreis Heinsberg (idempotent) and serve it."""
    if world is None:
        from importers.demo import write_demo_world

        # The data directory holds personal data (here: invented), so owner-only.
        obj.settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        world = obj.settings.data_dir / "demo_world.json"
        write_demo_world(world)
        world.chmod(0o600)
    from cli.users import create_demo_users, format_logins

    with obj.store() as store:
        store.init_schema()
        with progress_bar(f"importing {world.name}") as progress:
            report = import_world(store, world, progress=progress)
        logins = create_demo_users(store, world)
    click.echo(f"demo district loaded into the {obj.settings.kind} store ({report.nodes} nodes)")
    click.echo(format_logins(logins))
    _serve(obj, host, port)


@cli.group(cls=WorldByDefault)
def generate() -> None:
    """Write generated worlds: `generate [world] --candidates N … OUT`, `generate demo OUT`."""


generate.add_command(generate_world)


@generate.command("demo")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", type=int, default=2027, show_default=True)
def generate_demo(out: Path, seed: int) -> None:
    """Write the deterministic demo district of Kreis Heinsberg to OUT (a world file)."""
    from importers.demo import write_demo_world

    counts = write_demo_world(out, seed=seed)
    summary = ", ".join(f"{n} {section}" for section, n in counts.items() if n)
    click.echo(f"wrote {out}: {summary}")


def _serve(obj: Context, host: str, port: int) -> None:
    import waitress

    from web import create_app

    app = create_app(store_settings=obj.settings)
    click.echo(f"Wegweiser is running on http://{host}:{port}/  (Ctrl-C stops it)")
    waitress.serve(app, host=host, port=port, threads=8, _quiet=True)


# --- plumbing ----------------------------------------------------------------------------


def _register_advice_commands() -> None:
    from cli.advice import gap, match, plan

    for command in (gap, plan, match):
        cli.add_command(command)


_register_advice_commands()


def _register_tabular_commands() -> None:
    from cli.tabular import import_csv, import_xlsx, template

    cli.add_command(template)
    import_.add_command(import_xlsx)
    import_.add_command(import_csv)


_register_tabular_commands()


def _register_taxonomy_commands() -> None:
    from cli.taxonomy import esco, kldb

    import_.add_command(esco)
    import_.add_command(kldb)


_register_taxonomy_commands()


def _register_user_commands() -> None:
    from cli.users import user

    cli.add_command(user)


_register_user_commands()


def main(argv: list[str] | None = None) -> Any:
    try:
        return cli.main(args=argv, prog_name="wegweiser", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except WegweiserError as e:
        click.echo(f"wegweiser: error: {e}", err=True)
        sys.exit(1)
