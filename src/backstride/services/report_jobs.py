"""The report PDF as a background job (issue 15 item 5): a clinic's web server asks for it, a worker
makes it (tasks.py: kind "report"), the page shows progress and then a download link.

The PDF is written under the data folder's reports/ (the folder every machine of a clinic shares),
whole or not at all. It is served only to the runner it is about, or to whoever asked for it (the
runner, or later their clinician): anyone else is told it does not exist (NotFound, a 404)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from backstride import config
from backstride.core.text import clean_text
from backstride.storage.models import ReportJob

from . import access_log
from .errors import BackstrideError, NotFound
from .sharing import shared_runner
from .tasks import submit

STILL_RUNNING = ("queued", "running")


@dataclass(frozen=True)
class ReportFile:
    path: Path
    download_name: str


def report_folder() -> Path:
    return config.data_dir() / "reports"


def start_report(
    acting: User, owner: User, start: date, end: date, sections: list[str], paper: str, today: date
) -> ReportJob:
    """Queue the PDF of ``owner``'s report, asked for by ``acting`` (the owner, or a clinician the
    caller has already checked with sharing.shared_runner)."""
    options = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "sections": list(sections),
        "paper": paper,
        "today": today.isoformat(),
    }
    job = ReportJob.objects.create(owner=owner, requested_by=acting, options=options)
    submit("report", job.id)
    return job


def visible_to(user: User) -> Q:
    return Q(owner=user) | Q(requested_by=user)


def get_report_job(user: User, job_id: int) -> ReportJob:
    """The job, if it is of ``user``'s records, or ``user`` asked for it and (a clinician) the runner
    still shares with them: revoking ends access to the PDFs asked for before too. NotFound otherwise."""
    job = ReportJob.objects.select_related("owner").filter(visible_to(user), id=job_id).first()
    if job is None:
        raise NotFound("no such report")
    if job.owner_id != user.pk:
        shared_runner(user, job.owner_id)  # NotShared (a NotFound) once the runner revoked
    return job


def report_file(user: User, job_id: int) -> ReportFile:
    """The finished PDF of the job, for ``user`` only as get_report_job allows; NotFound while it is
    not made (or its file went)."""
    job = get_report_job(user, job_id)
    path = Path(job.file_path)
    if job.status != "done" or not job.file_path or not path.is_file():
        raise NotFound("this report has no PDF")
    if job.owner_id != user.pk:  # a clinician's download is in the runner's access log
        access_log.record(user, job.owner, "report_pdf", download_name(job))
    return ReportFile(path, download_name(job))


def download_name(job: ReportJob) -> str:
    return f"backstride-report-{job.options.get('from', '')}-to-{job.options.get('to', '')}.pdf"


def run_report(job_id: int) -> None:
    """What a worker runs: build the report, render it, write the PDF; a reason on the row if not."""
    from .report_data import build_report
    from .report_render import report_pdf

    job = ReportJob.objects.select_related("owner").get(id=job_id)
    if job.status not in STILL_RUNNING:
        return  # already done or failed (a retried job after its worker died at the very end)
    job.status = "running"
    job.save(update_fields=["status"])
    options = job.options
    try:
        data = build_report(
            job.owner,
            date.fromisoformat(options["from"]),
            date.fromisoformat(options["to"]),
            list(options["sections"]),
            date.fromisoformat(options["today"]),
        )
        pdf = report_pdf(data, job.owner, str(options.get("paper", "a4")))
    except BackstrideError as error:  # e.g. no PDF library on this machine: said in words, not retried
        _finish(job, "failed", message=clean_text(f"The PDF could not be made: {error}"))
        return
    folder = report_folder()
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"report-{job.id}-{uuid.uuid4().hex}.pdf"
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(pdf)
        partial.replace(target)  # whole or not at all
    finally:
        partial.unlink(missing_ok=True)
    _finish(job, "done", file_path=str(target))


def fail_report(job_id: int, reason: str) -> None:
    """The job raised past run_report, or its worker kept dying: the page says why."""
    job = ReportJob.objects.filter(id=job_id).exclude(status="done").first()
    if job is not None:
        _finish(job, "failed", message=clean_text(f"The PDF could not be made: {reason}."))


def _finish(job: ReportJob, status: str, *, message: str = "", file_path: str = "") -> None:
    job.status, job.message, job.file_path = status, message, file_path
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "file_path", "finished_at"])


def remove_reports_of(user: User) -> list[Path]:
    """Delete ``user``'s report jobs (delete my data); the files they named, for the caller to remove."""
    jobs = ReportJob.objects.filter(owner=user)
    files = [Path(path) for path in jobs.exclude(file_path="").values_list("file_path", flat=True)]
    jobs.delete()
    return files


def recover_interrupted() -> int:
    """In-process backend: PDFs left queued or running by a stopped server stopped with it. Said on
    their page (ask again), rather than a page that waits for ever."""
    return ReportJob.objects.filter(status__in=STILL_RUNNING).update(
        status="failed",
        message="The app was stopped while making this PDF. Ask for it again.",
        finished_at=timezone.now(),
    )
