"""A clinician's private notes on a shared runner (issue 15 item 4). Only the note's author reads it:
not the runner (their pages and their export never hold it: services.export writes the runner's own
records only), not another clinician. The runner's access log says a note was written, never what
it says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User

from backstride.storage.models import ClinicalNote

from . import access_log
from .errors import InputRefused
from .sharing import shared_runner

MAX_CHARS = 5000


@dataclass(frozen=True)
class Note:
    note_id: int
    created_at: datetime
    text: str


def _note(row: ClinicalNote) -> Note:
    return Note(row.pk, row.created_at, row.text)


def notes_on(clinician: User, runner_id: int) -> list[Note]:
    """The clinician's own notes on the runner, newest first (NotShared unless the runner shares now)."""
    runner = shared_runner(clinician, runner_id)
    return [_note(row) for row in ClinicalNote.objects.filter(clinician=clinician, runner=runner)]


def add_note(clinician: User, runner_id: int, text: str) -> Note:
    """Keep a note (1 to MAX_CHARS characters once trimmed); InputRefused names the field "Note"."""
    runner = shared_runner(clinician, runner_id)
    text = text.strip()
    if "\x00" in text:  # no database keeps it (PostgreSQL refuses it), and nobody types it
        raise InputRefused([("Note", "holds a null character (\\x00): type or paste the note as plain text")])
    if not text:
        raise InputRefused([("Note", "is empty: type the note, then save it")])
    if len(text) > MAX_CHARS:
        raise InputRefused(
            [
                (
                    "Note",
                    f"has {len(text)} characters; a note holds at most {MAX_CHARS}: "
                    "shorten it, or save it in two",
                )
            ]
        )
    row = ClinicalNote.objects.create(clinician=clinician, runner=runner, text=text)
    access_log.record(clinician, runner, "note_written")
    return _note(row)
