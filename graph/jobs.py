"""Status records of long-running jobs (imports), kept as small JSON files.

An import started from the web runs in a background thread of one app process, but the
status page may be answered by any process serving the district. So the progress does
not live in memory: the job writes it to ``<data dir>/jobs/<id>.json`` (atomically, via
a temporary file and ``os.replace``, so a reader never sees half a record), and every
process reads it from there. Nothing here knows what a job does; the caller hands in a
function that reports progress.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "JOB_DIR",
    "Job",
    "JobFailed",
    "JobState",
    "Progress",
    "job_dir",
    "new_job",
    "read_job",
    "start_job",
    "write_job",
]

JOB_DIR = "jobs"
JobState = Literal["queued", "running", "done", "failed"]
Progress = Callable[[int, int], None]
"""``progress(done, total)``, as the store's import callbacks call it."""
_ID_CHARS = frozenset("0123456789abcdef")
_MIN_WRITE_INTERVAL = 0.2
"""Seconds between two progress writes (a big import reports thousands of batches)."""


@dataclass(frozen=True)
class Job:
    """What a status page shows. ``problems`` are flat dicts (``row``, ``column``,
    ``value``, ``de``, ``en``) so that any caller can render or report them."""

    id: str
    kind: str
    source: str
    state: JobState = "queued"
    done: int = 0
    total: int = 0
    message: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)
    created: float = 0.0
    finished: float | None = None

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished_ok(self) -> bool:
        return self.state == "done"

    @property
    def over(self) -> bool:
        return self.state in ("done", "failed")


class JobFailed(Exception):
    """Raised by a job's work to end it as failed with a message and problem rows."""

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def job_dir(data_dir: Path | str, job_id: str) -> Path:
    """The job's own directory (its status record and any files it keeps)."""
    if not job_id or not set(job_id) <= _ID_CHARS:
        raise ValueError(f"not a job id: {job_id!r}")
    return Path(data_dir) / JOB_DIR / job_id


def new_job(data_dir: Path | str, kind: str, source: str) -> Job:
    """A queued job with a fresh unguessable id, its directory made and record written."""
    job = Job(id=secrets.token_hex(12), kind=kind, source=source, created=time.time())
    directory = job_dir(data_dir, job.id)
    directory.parent.mkdir(parents=True, mode=0o700, exist_ok=True)  # owner-only, too
    directory.mkdir(mode=0o700)
    write_job(data_dir, job)
    return job


def write_job(data_dir: Path | str, job: Job) -> None:
    """Replace the job's record atomically."""
    directory = job_dir(data_dir, job.id)
    fd, tmp = tempfile.mkstemp(prefix=".status.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(asdict(job), out, ensure_ascii=False)
        os.replace(tmp, directory / "status.json")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_job(data_dir: Path | str, job_id: str) -> Job | None:
    """The job's record, or None if there is no such job."""
    try:
        path = job_dir(data_dir, job_id) / "status.json"
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, FileNotFoundError):
        return None
    return Job(**data)


def start_job(
    data_dir: Path | str, job: Job, work: Callable[[Progress], dict[str, Any]]
) -> threading.Thread:
    """Run ``work(progress)`` in a daemon thread, recording progress and the outcome.

    ``work`` returns a result dict (done) or raises ``JobFailed`` (failed with its
    problems); any other exception fails the job with its message.
    """
    last_write = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last_write[0] >= _MIN_WRITE_INTERVAL or (total and done >= total):
            last_write[0] = now
            write_job(data_dir, replace(job, state="running", done=done, total=total))

    def run() -> None:
        write_job(data_dir, replace(job, state="running"))
        try:
            result = work(progress)
        except JobFailed as e:
            outcome = replace(job, state="failed", message=e.message, problems=e.problems)
        except Exception as e:  # the record must say that the job ended, whatever broke
            outcome = replace(job, state="failed", message=f"{type(e).__name__}: {e}")
        else:
            outcome = replace(job, state="done", result=result)
        write_job(data_dir, replace(outcome, finished=time.time()))

    thread = threading.Thread(target=run, name=f"job-{job.id}", daemon=True)
    thread.start()
    return thread
