"""Your data (issue 14): one page to download everything (export), put an export back (restore), see
the latest backup, and delete everything after typing DELETE. On a clinic's server /data/backup/ is the
administrator's page of whole-database backups, made by a worker. The services do the work; a refused
restore or a wrong confirmation word is shown on the page (status 400) with nothing changed."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryFile

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backstride import config
from backstride.services import backup, backup_jobs
from backstride.services.erase import erase_all
from backstride.services.errors import NotFound
from backstride.services.export import export_name, write_export
from backstride.services.export_reader import RestoreRefused
from backstride.services.jobs import MAX_UPLOAD_BYTES
from backstride.services.restore import restore

from .common import owner_of, signed_in_user

CONFIRM_WORD = "DELETE"
RESTORED_KEY = "data-restored"
# Each kind of record as the runner reads it: (one, many).
KIND_WORDS = {
    "settings": ("settings record", "settings records"),
    "checks": ("symptom check", "symptom checks"),
    "rmdq_responses": ("Roland-Morris questionnaire", "Roland-Morris questionnaires"),
    "shoes": ("pair of shoes", "pairs of shoes"),
    "activities": ("activity", "activities"),
    "diary_days": ("diary day", "diary days"),
    "plan_ticks": ("plan item ticked off", "plan items ticked off"),
    "form_checks": ("form check", "form checks"),
    "form_check_images": ("form-check picture", "form-check pictures"),
    "outcome_activities": ('"My activities" activity', '"My activities" activities'),
    "outcome_ratings": ('"My activities" rating', '"My activities" ratings'),
    "outcome_rating_items": ("activity score in a rating", "activity scores in ratings"),
    "experiments": ("two-week experiment", "two-week experiments"),
    "import_jobs": ("import history entry", "import history entries"),
    "report_jobs": ("report PDF", "report PDFs"),
}


def counted(number: int, kind: str) -> str:
    one, many = KIND_WORDS.get(kind, (kind.replace("_", " "), kind.replace("_", " ")))
    return f"{number} {one if number == 1 else many}"


def listed(counts: dict[str, int]) -> list[str]:
    return [
        counted(number, kind) if kind != "settings" else "your settings"
        for kind, number in counts.items()
        if number
    ]


def _backup_state() -> dict[str, object]:
    if not backup.can_back_up():
        return {"on_sqlite": False, "latest": None, "latest_text": "", "folder": ""}
    latest = backup.latest_backup()
    text = ""
    if latest is not None:
        text = f"{latest.day:%a} {latest.day.day} {latest.day:%b %Y} ({latest.size / 1e6:.1f} MB)"
    return {"on_sqlite": True, "latest": latest, "latest_text": text, "folder": str(backup.backup_folder())}


def _page(
    request: HttpRequest,
    error: str = "",
    problems: list[str] | None = None,
    status: int = 200,
    backup_error: str = "",
) -> HttpResponse:
    context = {
        "backup_error": backup_error,
        "restore_error": error,
        "restore_problems": problems or [],
        "limit_text": f"{MAX_UPLOAD_BYTES // 1024**3} GB",
        "backup": _backup_state(),
        "restored": request.session.pop(RESTORED_KEY, None) if status == 200 else None,
    }
    return render(request, "web/data.html", context, status=status)


@require_GET
def data_page(request: HttpRequest) -> HttpResponse:
    owner_of(request)
    return _page(request)


@require_GET
def data_export(request: HttpRequest) -> FileResponse:
    """The zip as a download, written to a private temporary file first (years of streams)."""
    user = owner_of(request)
    # Gone once the response is sent and closed (FileResponse closes it): no context manager here.
    scratch = TemporaryFile(dir=config.private_tmp())  # noqa: SIM115
    write_export(user, scratch)
    scratch.seek(0)
    name = export_name(config.local_today().isoformat())
    return FileResponse(scratch, as_attachment=True, filename=name, content_type="application/zip")


@require_POST
def data_restore(request: HttpRequest) -> HttpResponse:
    user = owner_of(request)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES:
        return _page(
            request,
            f"That file is over {MAX_UPLOAD_BYTES // 1024**3} GB. Restore it with "
            "`backstride restore FILE.zip` on this computer instead. Nothing was changed.",
            status=400,
        )
    upload = request.FILES.get("export")
    if upload is None:
        return _page(
            request,
            "Choose the export zip to restore (a file named like backstride-export-….zip).",
            status=400,
        )
    # A big upload is already a file on disk (read from there); a small one is in memory.
    source: Path | bytes = (
        Path(upload.temporary_file_path()) if isinstance(upload, TemporaryUploadedFile) else upload.read()
    )
    try:
        summary = restore(user, source, Path(upload.name or "upload").name[:80])
    except RestoreRefused as error:
        return _page(
            request, f"{error} Choose the file again, or export again from backstride.", error.problems, 400
        )
    added, present = sum(summary.added.values()), sum(summary.already_present.values())
    words = f"Restored: {added} record{'' if added == 1 else 's'} added" if added else "Restored: nothing new"
    words += f"; {present} already here, not added again." if present else "."
    messages.success(request, words)
    request.session[RESTORED_KEY] = listed(summary.added)  # the details, shown once on the page
    return HttpResponseRedirect(reverse("data"))


@require_http_methods(["GET", "POST"])
def data_backup(request: HttpRequest) -> HttpResponse:
    """Local mode: "Back up now" (POST) copies the database at once. Clinic mode: the backups of the
    whole database, a clinic administrator's page only (anyone else: 404); "Back up now" asks a worker."""
    if settings.MODE == "clinic":
        return clinic_backups(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    owner_of(request)
    try:
        made = backup.back_up()
    except (backup.BackupUnavailable, OSError) as error:
        return _page(request, backup_error=f"No backup was made: {error}.", status=400)
    messages.success(request, f"Backed up: {made.path.name}.")
    return HttpResponseRedirect(reverse("data"))


@require_http_methods(["GET", "POST"])
def data_delete(request: HttpRequest) -> HttpResponse:
    """Asks for the word DELETE; then deletes and says what went."""
    user = owner_of(request)
    typed = request.POST.get("confirm", "") if request.method == "POST" else ""
    if request.method == "POST" and typed.strip() == CONFIRM_WORD:
        erased = erase_all(user)
        messages.success(request, "Deleted: your data is gone from this computer.")
        context = {
            "records": listed(erased.records),
            "files": erased.files,
            "megabytes": f"{erased.file_bytes / 1e6:.1f}",
        }
        return render(request, "web/data_deleted.html", context)
    error = ""
    if request.method == "POST":
        error = f"Type {CONFIRM_WORD} in capital letters to confirm. Nothing was deleted."
    return render(
        request,
        "web/data_delete.html",
        {"typed": typed, "error": error, "word": CONFIRM_WORD, "on_sqlite": backup.can_back_up()},
        status=400 if error else 200,
    )


def clinic_backups(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        if request.method == "POST":
            backup_jobs.request_backup(user)
            messages.success(request, "Backup asked for: a worker makes it; this page shows when it is done.")
            return HttpResponseRedirect(reverse("data_backup"))
        recent = backup_jobs.recent_backup_jobs(user)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    context = {
        "jobs": recent,
        "files": list(reversed(backup.backups())),
        "folder": str(backup.backup_folder()),
        "cron": backup_jobs.backup_cron(),
        "running": any(job.status in ("queued", "running") for job in recent),
    }
    return render(request, "web/clinic_backups.html", context)
