"""Imports from the browser: world files and regional lists, with progress and reports.

The upload is kept in the job's directory under the data directory and imported in a
background thread (``graph.jobs``); the status page reads the job's record, so any app
process can answer it, and reloads itself with a ``Refresh`` header until the job is
over (no JavaScript). The importers are all-or-nothing: when anything is wrong nothing
is written, and every problem is listed and downloadable as a CSV report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from graph.errors import InvalidInput
from graph.jobs import JOB_DIR, Job, JobFailed, Progress, job_dir, new_job, read_job, start_job
from graph.store import GraphStore
from graph.world import import_world
from importers.tabular import KINDS, Problem, TableInvalid, import_table, write_report
from web.admin.blueprint import bp, data_dir
from web.admin.forms import TABLE_SUFFIXES, WORLD_SUFFIXES, TableUploadForm, WorldUploadForm
from web.store import get_store

__all__ = ["REFRESH_SECONDS"]

REFRESH_SECONDS = 2
RECENT = 10


def _kind_choices() -> list[tuple[str, str]]:
    return [(name, f"{kind.sheet} ({name})") for name, kind in KINDS.items()]


def _suffix(filename: str, allowed: tuple[str, ...]) -> str | None:
    name = filename.lower()
    return next((s for s in sorted(allowed, key=len, reverse=True) if name.endswith(s)), None)


def _recent_jobs() -> list[Job]:
    root = data_dir() / JOB_DIR
    if not root.is_dir():
        return []
    jobs = [job for p in root.iterdir() if (job := read_job(data_dir(), p.name)) is not None]
    return sorted(jobs, key=lambda j: j.created, reverse=True)[:RECENT]


def _page(world: WorldUploadForm, table: TableUploadForm, status: int = 200):
    return render_template(
        "admin/imports.html", world=world, table=table, jobs=_recent_jobs()
    ), status


def _problem_rows(error: InvalidInput) -> list[dict[str, Any]]:
    if isinstance(error, TableInvalid):
        return [
            {"row": p.row, "column": p.column, "value": p.value, "de": p.de, "en": p.en}
            for p in error.table_problems
        ]
    texts = error.problems or [str(error)]
    return [{"row": None, "column": None, "value": "", "de": t, "en": t} for t in texts]


def _start(kind: str, upload: FileStorage, suffix: str, work_on: Any) -> Response:
    """Keep the upload in a new job's directory and import it in the background."""
    source = Path(upload.filename or "upload").name
    job = new_job(data_dir(), kind, source)
    path = job_dir(data_dir(), job.id) / f"upload{suffix}"
    upload.save(path)
    store = get_store()

    def work(progress: Progress) -> dict[str, Any]:
        try:
            return work_on(store, path, progress)
        except InvalidInput as e:
            raise JobFailed(str(e).splitlines()[0], _problem_rows(e)) from e

    start_job(data_dir(), job, work)
    return redirect(url_for("admin.import_status", job_id=job.id))


def _world_work(store: GraphStore, path: Path, progress: Progress) -> dict[str, Any]:
    report = import_world(store, path, progress=progress)
    return {"nodes": report.nodes, "relationships": report.relationships}


def _table_work(kind: str):
    def work(store: GraphStore, path: Path, progress: Progress) -> dict[str, Any]:
        fmt = path.suffix.lstrip(".")
        result = import_table(store, path, kind, fmt, progress=progress)
        return {
            "rows": result.rows,
            "nodes": result.nodes,
            "relationships": result.relationships,
        }

    return work


@bp.get("/imports")
def imports() -> tuple[str, int]:
    table = TableUploadForm()
    table.kind.choices = _kind_choices()
    return _page(WorldUploadForm(), table)


@bp.post("/imports/world")
def import_world_file() -> Response | tuple[str, int]:
    world = WorldUploadForm()
    table = TableUploadForm(formdata=None)
    table.kind.choices = _kind_choices()
    if not world.validate_on_submit():
        return _page(world, table, 400)
    upload = world.file.data
    suffix = _suffix(upload.filename or "", WORLD_SUFFIXES)
    if suffix is None:
        world.file.errors = [
            _("Nur Weltdateien mit der Endung .json, .jsonl oder .jsonl.gz sind erlaubt.")
        ]
        return _page(world, table, 400)
    return _start("world", upload, suffix, _world_work)


@bp.post("/imports/table")
def import_table_file() -> Response | tuple[str, int]:
    table = TableUploadForm()
    table.kind.choices = _kind_choices()
    world = WorldUploadForm(formdata=None)
    if not table.validate_on_submit():
        return _page(world, table, 400)
    upload = table.file.data
    suffix = _suffix(upload.filename or "", TABLE_SUFFIXES)
    if suffix is None:
        table.file.errors = [_("Nur Listen mit der Endung .xlsx oder .csv sind erlaubt.")]
        return _page(world, table, 400)
    return _start(f"table:{table.kind.data}", upload, suffix, _table_work(table.kind.data))


def _job_or_404(job_id: str) -> Job:
    try:
        job = read_job(data_dir(), job_id)
    except ValueError:
        job = None
    if job is None:
        abort(404)
    return job


@bp.get("/imports/<job_id>")
def import_status(job_id: str) -> Response:
    job = _job_or_404(job_id)
    refresh = not job.over and request.args.get("refresh") != "0"
    response = Response(
        render_template(
            "admin/import_status.html", job=job, refresh=refresh, seconds=REFRESH_SECONDS
        )
    )
    if refresh:
        response.headers["Refresh"] = str(REFRESH_SECONDS)
    return response


@bp.get("/imports/<job_id>/problems.csv")
def import_report(job_id: str) -> Response:
    """Every problem of a failed import as CSV (``;``, UTF-8 with BOM, for Excel)."""
    job = _job_or_404(job_id)
    if not job.problems:
        flash(_("Zu diesem Import gibt es keine Probleme."), "info")
        return redirect(url_for("admin.import_status", job_id=job.id))
    path = job_dir(data_dir(), job.id) / "problems.csv"
    write_report((Problem(**p) for p in job.problems), path)
    return send_file(
        path.resolve(),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"probleme-{Path(job.source).stem}.csv",
    )
