"""Backups of the whole database as background jobs (issue 15 item 5, kind "backup"): the daily one,
which a clinic's workers run from a periodic task (task_queue.py, cron BACKSTRIDE_BACKUP_CRON), and
one a clinic administrator asks for on /data/backup/. Each is a BackupJob row: its page says how it
went. The backup itself is backup.back_up_whole_database (SQLite copy, or pg_dump)."""

from __future__ import annotations

import logging
import os

from django.contrib.auth.models import User
from django.utils import timezone

from backstride.config import StartupError
from backstride.core.text import clean_text
from backstride.storage.models import BackupJob, Role

from .backup import back_up_whole_database
from .errors import NotFound
from .tasks import submit
from .users import profile_for

CRON_ENV = "BACKSTRIDE_BACKUP_CRON"
DEFAULT_CRON = "30 2 * * *"  # every day at 02:30 (UTC: Procrastinate's clock), when a clinic is quiet
RECENT = 10  # jobs listed on the administrator's page
log = logging.getLogger(__name__)


def backup_cron() -> str:
    """When the daily backup runs: BACKSTRIDE_BACKUP_CRON, a cron line, by default 30 2 * * *. One that
    cannot be read stops the worker at start, saying so (exit 2), rather than never backing up."""
    from croniter import croniter

    cron = os.environ.get(CRON_ENV, "").strip() or DEFAULT_CRON
    if not croniter.is_valid(cron):
        raise StartupError(
            f"{CRON_ENV}={cron[:60]!r} is not a cron line: five fields, minute hour day month weekday, "
            f"e.g. {DEFAULT_CRON!r} (every day at 02:30 UTC)",
            2,
        )
    return cron


def may_back_up(user: User) -> bool:
    """A whole-database backup is a clinic administrator's to take, never a runner's."""
    return profile_for(user).role == Role.CLINIC_ADMIN


def _administrator(user: User) -> None:
    if not may_back_up(user):
        raise NotFound("not a page of this account")


def request_backup(acting: User) -> BackupJob:
    """A backup now, in the background, asked for by a clinic administrator (NotFound for others)."""
    _administrator(acting)
    job = BackupJob.objects.create(requested_by=acting)
    submit("backup", job.id)
    return job


def recent_backup_jobs(acting: User) -> list[BackupJob]:
    _administrator(acting)
    return list(BackupJob.objects.select_related("requested_by")[:RECENT])


def daily_backup() -> BackupJob:
    """The scheduled backup: a row of its own (nobody asked), made now in this worker."""
    job = BackupJob.objects.create()
    run_backup(job.id)
    job.refresh_from_db()
    return job


def run_backup(job_id: int) -> None:
    job = BackupJob.objects.get(id=job_id)
    if job.status not in ("queued", "running"):
        return
    job.status = "running"
    job.save(update_fields=["status"])
    try:
        made = back_up_whole_database()
    except Exception as error:  # said on the row and in the worker's log; tomorrow's run tries again
        log.warning("backup job #%s failed: %s", job_id, error)
        _finish(job, "failed", message=clean_text(f"No backup was made: {error}"))
        return
    _finish(job, "done", file_path=str(made.path))


def fail_backup(job_id: int, reason: str) -> None:
    job = BackupJob.objects.filter(id=job_id).exclude(status="done").first()
    if job is not None and job.status != "failed":
        _finish(job, "failed", message=clean_text(f"No backup was made: {reason}."))


def _finish(job: BackupJob, status: str, *, message: str = "", file_path: str = "") -> None:
    job.status, job.message, job.file_path = status, message, file_path
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "file_path", "finished_at"])


def recover_interrupted() -> int:
    """In-process backend: a backup left queued or running by a stopped server stopped with it."""
    return BackupJob.objects.filter(status__in=["queued", "running"]).update(
        status="failed",
        message="No backup was made: the app was stopped before it was done. Ask for it again.",
        finished_at=timezone.now(),
    )
