"""Imports from the browser: world files, regional lists and the ESCO download, with
progress and reports.

The upload is kept in the job's directory under the data directory and imported in a
background thread (``graph.jobs``); the status page reads the job's record, so any app
process can answer it, and reloads itself with a ``Refresh`` header until the job is
over (no JavaScript). The importers are all-or-nothing: when anything is wrong nothing
is written, and every problem is listed and downloadable as a CSV report.

ESCO arrives as a .zip of its CSV download: the job unpacks it into its own directory
(``importers.esco.archive``: no paths outside it, no symlinks, limits on entries and on
the unpacked size), runs ``import_esco`` on it and deletes the unpacked files afterwards;
the status record stays.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from graph.audit_imports import AuditedImport
from graph.errors import InvalidInput
from graph.jobs import JOB_DIR, Job, JobFailed, Progress, job_dir, new_job, read_job, start_job
from graph.store import GraphStore
from graph.world import import_world
from importers.esco import import_esco
from importers.esco.archive import (
    MAX_MEMBERS,
    MAX_UNPACKED_BYTES,
    ArchiveInvalid,
    check_gzip,
    csv_dirs,
    extract_csv_zip,
)
from importers.esco.layout import BA_SKILLS, locate
from importers.tabular import KINDS, Problem, TableInvalid, import_table, write_report
from web.admin.blueprint import bp, data_dir
from web.admin.forms import (
    BA_SUFFIXES,
    ESCO_SUFFIXES,
    TABLE_SUFFIXES,
    WORLD_SUFFIXES,
    EscoUploadForm,
    TableUploadForm,
    WorldUploadForm,
)
from web.store import process_store

__all__ = ["REFRESH_SECONDS"]

REFRESH_SECONDS = 2
RECENT = 10
ESCO_FORM_PREFIX = "esco"
# Shares of the ESCO job's progress bar (out of PROGRESS_SCALE): unpack, read, write.
PROGRESS_SCALE = 1000
UNPACK_SHARE, READ_SHARE = 100, 700
_ESCO_PROBLEM = re.compile(
    r"^(?P<file>.+?), line (?P<line>\d+), column (?P<column>[^:]+): (?P<what>.*)$"
)
_QUOTED_VALUE = re.compile(r"""^(?P<value>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?P<rest>.*)$""")


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


def _page(
    world: WorldUploadForm,
    table: TableUploadForm,
    status: int = 200,
    esco: EscoUploadForm | None = None,
):
    if esco is None:
        esco = EscoUploadForm(formdata=None, prefix=ESCO_FORM_PREFIX)
    return render_template(
        "admin/imports.html", world=world, table=table, esco=esco, jobs=_recent_jobs()
    ), status


def _problem_rows(error: InvalidInput) -> list[dict[str, Any]]:
    if isinstance(error, TableInvalid):
        return [
            {"row": p.row, "column": p.column, "value": p.value, "de": p.de, "en": p.en}
            for p in error.table_problems
        ]
    texts = error.problems or [str(error)]
    return [{"row": None, "column": None, "value": "", "de": t, "en": t} for t in texts]


def _start(
    kind: str,
    upload: FileStorage,
    suffix: str,
    work_on: Any,
    extras: Mapping[str, FileStorage] | None = None,
) -> Response:
    """Keep the upload (and any ``extras``, saved under their given names next to it) in a
    new job's directory and import it in the background."""
    source = Path(upload.filename or "upload").name
    job = new_job(data_dir(), kind, source)
    path = job_dir(data_dir(), job.id) / f"upload{suffix}"
    upload.save(path)
    path.chmod(0o600)  # owner-only, like every file in the data directory
    for name, extra in (extras or {}).items():
        extra.save(path.parent / name)
        (path.parent / name).chmod(0o600)
    user = current_user.user
    # the job outlives the request: the process's store, noting which candidates it writes
    store = AuditedImport(
        process_store(),
        user_id=user.id,
        organization=user.organization or user.company or "",
        role=user.role,
    )

    def work(progress: Progress) -> dict[str, Any]:
        try:
            result = work_on(store, path, progress)
        except InvalidInput as e:
            raise JobFailed(str(e).splitlines()[0], _problem_rows(e)) from e
        store.write_audit()  # only a finished import is in the audit trail
        return result

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


def _esco_problem_rows(error: InvalidInput, root: Path) -> list[dict[str, Any]]:
    """The importer's problems (``<file>, line <n>, column <c>: <what>``) as report rows,
    with file names relative to the unpacked archive (no server paths in the report)."""
    if isinstance(error, ArchiveInvalid):
        return [
            {"row": None, "column": None, "value": error.member, "de": error.de, "en": error.en}
        ]
    rows = []
    for text in error.problems or [error.summary]:
        text = _relative(text, root)
        found = _ESCO_PROBLEM.match(text)
        if found is None:
            rows.append({"row": None, "column": None, "value": "", "de": text, "en": text})
            continue
        what, value = found["what"], ""
        quoted = _QUOTED_VALUE.match(what)
        if quoted is not None:
            try:
                value = str(ast.literal_eval(quoted["value"]))
            except (ValueError, SyntaxError):
                value = quoted["value"]
        message = f"{found['file']}: {what}"
        rows.append(
            {
                "row": int(found["line"]),
                "column": found["column"],
                "value": value,
                "de": message,
                "en": message,
            }
        )
    return rows


def _relative(text: str, root: Path) -> str:
    """``text`` with the job's unpacking directory left out of every path."""
    for prefix in {str(root), str(root.resolve())}:
        text = text.replace(prefix + "/", "").replace(prefix, ".")
    return text


def _parse_languages(text: str | None) -> list[str] | None:
    langs = [lang.strip() for lang in (text or "").split(",") if lang.strip()]
    return langs or None


def _esco_work(
    languages: Sequence[str] | None, ba_name: str | None, max_bytes: int, max_members: int
):
    """Unpack the zip safely, import it with progress, and delete the unpacked files."""

    def work(store: GraphStore, path: Path, progress: Progress) -> dict[str, Any]:
        root = path.parent / "esco"
        ba_upload = path.parent / ba_name if ba_name else None
        try:
            return _import_esco_zip(
                store, path, root, languages, ba_upload, max_bytes, max_members, progress
            )
        except InvalidInput as e:
            message = e.en if isinstance(e, ArchiveInvalid) else e.summary
            raise JobFailed(_relative(message, root), _esco_problem_rows(e, root)) from e
        finally:
            shutil.rmtree(root, ignore_errors=True)
            path.unlink(missing_ok=True)
            if ba_upload is not None:
                ba_upload.unlink(missing_ok=True)

    return work


def _import_esco_zip(
    store: GraphStore,
    path: Path,
    root: Path,
    languages: Sequence[str] | None,
    ba_upload: Path | None,
    max_bytes: int,
    max_members: int,
    progress: Progress,
) -> dict[str, Any]:
    """The ESCO job's steps, each with its share of the progress bar."""

    def unpack_progress(done: int, total: int) -> None:
        progress(UNPACK_SHARE * done // max(total, 1), PROGRESS_SCALE)

    unpacked = extract_csv_zip(path, root, max_bytes, max_members, unpack_progress)
    ba_mapping = ba_upload
    if ba_mapping is not None and ba_mapping.name.endswith(".gz"):
        check_gzip(ba_mapping, max_bytes, "BA")
    if ba_mapping is None:
        found = [f for f in unpacked.files if f.name.split(".", 1)[0] == BA_SKILLS]
        ba_mapping = root / found[0] if found else None
    dirs = csv_dirs(unpacked)
    # Locating first (cheap: headers only) gives the bytes all files to be read hold.
    layout = locate(dirs, languages, ba_mapping)
    sizes = {file.name: file.path.stat().st_size for file in layout.files()}
    read_total = max(sum(sizes.values()), 1)
    finished: dict[str, int] = {}

    def file_progress(name: str, done: int, total: int) -> None:
        if name not in finished:
            finished[name] = sum(sizes.get(n, 0) for n in finished)
        share = READ_SHARE * min(finished[name] + done, read_total) // read_total
        progress(UNPACK_SHARE + share, PROGRESS_SCALE)

    def write_progress(done: int, total: int) -> None:
        rest = PROGRESS_SCALE - UNPACK_SHARE - READ_SHARE
        share = rest * done // max(total, 1)
        progress(UNPACK_SHARE + READ_SHARE + share, PROGRESS_SCALE)

    report = import_esco(
        store,
        dirs,
        languages,
        ba_mapping=ba_mapping,
        file_progress=file_progress,
        write_progress=write_progress,
    )
    return {
        "languages": ", ".join(report.languages),
        "rows": report.rows_read,
        "nodes": report.nodes,
        "new_nodes": report.new_nodes,
        "relationships": report.relationships,
        "skipped": sum(report.skipped.values()),
    }


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


@bp.post("/imports/esco")
def import_esco_file() -> Response | tuple[str, int]:
    esco = EscoUploadForm(prefix=ESCO_FORM_PREFIX)
    world = WorldUploadForm(formdata=None)
    table = TableUploadForm(formdata=None)
    table.kind.choices = _kind_choices()
    if not esco.validate_on_submit():
        return _page(world, table, 400, esco)
    upload = esco.file.data
    suffix = _suffix(upload.filename or "", ESCO_SUFFIXES)
    if suffix is None:
        esco.file.errors = [
            _("Nur ZIP-Archive mit der Endung .zip sind erlaubt (der ESCO-Download im CSV-Format).")
        ]
        return _page(world, table, 400, esco)
    extras: dict[str, FileStorage] = {}
    ba = esco.ba_mapping.data
    if isinstance(ba, FileStorage) and ba.filename:
        ba_suffix = _suffix(ba.filename, BA_SUFFIXES)
        if ba_suffix is None:
            esco.ba_mapping.errors = [
                _("Die BA-Zuordnungstabelle muss die Endung .csv oder .csv.gz haben.")
            ]
            return _page(world, table, 400, esco)
        extras[f"ba-mapping{ba_suffix}"] = ba
    config = current_app.config
    work = _esco_work(
        _parse_languages(esco.languages.data),
        next(iter(extras), None),
        int(config.get("WEGWEISER_ESCO_MAX_UNPACKED", MAX_UNPACKED_BYTES)),
        int(config.get("WEGWEISER_ESCO_MAX_MEMBERS", MAX_MEMBERS)),
    )
    return _start("esco", upload, suffix, work, extras)


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
