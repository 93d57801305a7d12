"""Background jobs for the web app: imports and running-form checks.

Local mode is one person on one machine: a single worker thread inside the server process runs
import jobs one at a time (tasks.py, the in-process backend), and the job row in the database
carries the progress the page shows.
The thread only stores: every upload is read and parsed in a parser process of the job's own
(imports.import_in_parser_process), so a huge file never costs the server its memory or its pages
their speed. Tests (and BACKSTRIDE_JOBS_INLINE=1) run jobs inline, with the same parser process.
A job interrupted by a restart is marked failed at the next start, so nothing waits forever. (A
clinic server runs them with `backstride worker` instead: tasks.py, BACKSTRIDE_TASKS=procrastinate;
the job table and the service stay the same.)
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile

from backstride import config
from backstride.core.text import clean_text
from backstride.storage.models import ImportJob

from .import_sources import BatchInfo
from .imports import import_in_parser_process
from .tasks import submit

MAX_UPLOAD_FILES = 5000

# The largest upload the web app takes (a whole Strava export); bigger ones are imported from the
# command line. `backstride serve` lets request bodies this large through.
MAX_UPLOAD_BYTES = 4 * 1024**3


def upload_root() -> Path:
    return config.data_dir() / "uploads"


def start_import(user: User, files: list[UploadedFile]) -> ImportJob:
    """Save the uploads to a private folder and queue their import."""
    if len(files) > MAX_UPLOAD_FILES:
        raise ValueError(f"at most {MAX_UPLOAD_FILES} files at once: zip a bigger history and upload the zip")
    folder = upload_root() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    for number, upload in enumerate(files):
        # Our own names: an uploaded name never becomes a path (no traversal, no overwrites).
        # The name people chose is kept, cleaned, after the number, to show in results.
        name = "".join(ch for ch in Path(upload.name or "").name[-120:] if ch.isalnum() or ch in "._- ")
        with (folder / f"{number:05d}-{name.strip() or 'upload'}").open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    job = ImportJob.objects.create(owner=user, total_files=len(files), upload_dir=str(folder))
    submit("import", job.id)
    return job


def get_job(user: User, job_id: int) -> ImportJob | None:
    """The runner's import job (its progress), None for anyone else's or none."""
    return ImportJob.objects.filter(owner=user, id=job_id).first()


def run_import(job_id: int) -> None:
    job = ImportJob.objects.get(id=job_id)
    if job.status in ("done", "failed"):  # run again after its worker died past the end: nothing to do
        if job.upload_dir:
            shutil.rmtree(job.upload_dir, ignore_errors=True)
        return
    job.status = "running"
    job.save(update_fields=["status"])
    folder = Path(job.upload_dir)
    failed_first = 0  # uploads found unusable while collecting count as processed from the start

    def started(info: BatchInfo) -> None:
        nonlocal failed_first
        failed_first = len(info.failed)
        job.total_files = info.total + failed_first
        job.processed_files = failed_first
        job.parser_pid = info.parser_pid
        job.save(update_fields=["total_files", "processed_files", "parser_pid"])

    def progress(done: int, _total: int) -> None:
        ImportJob.objects.filter(id=job_id).update(processed_files=failed_first + done)

    try:
        uploads = sorted(folder.iterdir())  # each upload was chosen: report it if unreadable
        labels = {path: path.name.partition("-")[2] for path in uploads}
        job.result = import_in_parser_process(job.owner, uploads, labels, progress, started)
        job.status = "done"
        job.processed_files = job.total_files
    except Exception as error:  # the page must say what went wrong, not spin forever
        job.status = "failed"
        job.message = clean_text(
            f"The import stopped: {error}. Every file finished before that is stored, nothing of the "
            "unfinished one; upload the files again to import the rest (stored ones are skipped)."
        )
    # The outcome first, then the uploads go: a worker killed between the two leaves a finished job
    # (and a folder the run again above removes), never a "running" job without its files.
    job.save()
    shutil.rmtree(folder, ignore_errors=True)


def fail_import(job_id: int, reason: str) -> None:
    """The job raised past run_import, or its worker kept dying: the page says so, the uploads go."""
    job = ImportJob.objects.filter(id=job_id).exclude(status="done").first()
    if job is None:
        return
    job.status = "failed"
    job.message = clean_text(f"The import stopped: {reason}. Upload the files again to import the rest.")
    job.save(update_fields=["status", "message"])
    if job.upload_dir:
        shutil.rmtree(job.upload_dir, ignore_errors=True)


def recover_interrupted() -> int:
    """Mark jobs left queued/running by a stopped server as failed, and delete their uploads."""
    stuck = ImportJob.objects.filter(status__in=["queued", "running"])
    for folder in stuck.values_list("upload_dir", flat=True):
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    return stuck.update(
        status="failed", message="The app was stopped during this import. Upload the files again."
    )
