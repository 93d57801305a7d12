"""Delete my data (issue 14 item 4): every record of the user, in one transaction, then every stored
file that held their data: form-check clips, import uploads, upload temporary files, the CLI's undo
file and the daily backups (copies of the whole database). The user stays, with nothing.
Key frames are rows (FormCheckImage), removed with their form checks."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction

from backstride import config
from backstride.storage.models import FormCheck, ImportJob, ReportJob

from .data_kinds import KINDS
from .export import records_of
from .report_jobs import remove_reports_of

# Where files of the runner's data live in the data folder (besides what rows name).
FOLDERS = ("videos", "uploads", "tmp", "backups", "reports")


@dataclass(frozen=True)
class Erased:
    records: dict[str, int]  # by kind of record (the export's names, and import_jobs)
    files: int
    file_bytes: int

    def as_json(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "total_records": sum(self.records.values()),
            "files": self.files,
            "file_bytes": self.file_bytes,
        }


def undo_file(user: User) -> Path:
    """The CLI's kept delete: the rows of the latest `log delete-...` (the same path as cli/undo.py's
    undo_file; services cannot import the command line)."""
    return config.data_dir() / f"last-delete-{user.id}.json"


def erase_all(user: User) -> Erased:
    """Remove every record and stored file of ``user``; how many of each went."""
    named_files = _files_named_by_rows(user)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for kind in reversed(KINDS):  # children first: each count is of that kind's own rows
            counts[kind.name] = records_of(kind, user).delete()[0]
        counts["import_jobs"] = ImportJob.objects.filter(owner=user).delete()[0]
        counts["report_jobs"] = ReportJob.objects.filter(owner=user).count()
        named_files |= set(remove_reports_of(user))  # report PDFs (clinic mode) hold their data too
    _purge_freed_pages()
    files, size = _remove_files(named_files | {undo_file(user)} | _unowned_files())
    jobs = {"import_jobs": counts["import_jobs"], "report_jobs": counts["report_jobs"]}
    in_order = {kind.name: counts[kind.name] for kind in KINDS} | jobs
    return Erased(records=in_order, files=files, file_bytes=size)


def _purge_freed_pages() -> None:
    """SQLite keeps deleted rows' bytes in free pages (and its WAL file) until they are reused: rewrite
    the file without them. Not possible inside a transaction (a caller's, or a test's): then skipped."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _files_named_by_rows(user: User) -> set[Path]:
    clips = FormCheck.objects.filter(owner=user).exclude(video_path="").values_list("video_path", flat=True)
    uploads = ImportJob.objects.filter(owner=user).exclude(upload_dir="").values_list("upload_dir", flat=True)
    return {Path(path) for path in [*clips, *uploads]}


def _unowned_files() -> set[Path]:
    """What the data folder's data folders hold that no remaining row names: in local mode, everything
    (one runner); with several people, only files nobody's record points at."""
    root = config.data_dir()
    still_named = set(FormCheck.objects.exclude(video_path="").values_list("video_path", flat=True))
    still_named |= set(ImportJob.objects.exclude(upload_dir="").values_list("upload_dir", flat=True))
    still_named |= set(ReportJob.objects.exclude(file_path="").values_list("file_path", flat=True))
    others = ImportJob.objects.exists() or any(kind.model.objects.exists() for kind in KINDS)  # type: ignore[attr-defined]
    found: set[Path] = set()
    for name in FOLDERS:
        folder = root / name
        if not folder.is_dir():
            continue
        if name == "backups" and others:  # copies of everyone's records: only when nobody else has any
            continue
        found |= {entry for entry in folder.iterdir() if str(entry) not in still_named}
    return found


def _remove_files(paths: set[Path]) -> tuple[int, int]:
    """Delete files and folders (never following a symbolic link); how many files and bytes went."""
    count = size = 0
    root = config.data_dir().resolve()
    for path in sorted(paths):
        if not path.absolute().is_relative_to(root) and not path.resolve().is_relative_to(root):
            continue  # only ever files in the data folder, whatever a row names
        try:
            if path.is_dir() and not path.is_symlink():
                for inner in path.rglob("*"):
                    if inner.is_file() and not inner.is_symlink():
                        count, size = count + 1, size + inner.stat().st_size
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists() or path.is_symlink():
                count, size = count + 1, size + path.lstat().st_size
                path.unlink()
        except OSError:  # gone meanwhile, or not ours to remove: the rows are gone either way
            continue
    return count, size
