"""Export (issue 14 item 2): all of a runner's records in one zip. Per kind of record a JSON file (what
`restore` reads) and a CSV file (for spreadsheets), the form checks' pictures as PNG files,
schema.json describing every field, and manifest.json with the counts and every file's SHA-256."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.utils import timezone

from backstride import __version__

from .data_kinds import IMAGE_FILE_FIELD, IMAGE_FOLDER, KINDS, Kind, Row, export_row
from .data_schema import FORMAT, VERSION, schema

MANIFEST = "manifest.json"
SCHEMA = "schema.json"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportSummary:
    counts: dict[str, int]
    files: int
    bytes: int


def records_of(kind: Kind, user: User) -> QuerySet[Model]:
    """The user's records of one kind, in id order (the order they were made)."""
    return kind.model.objects.filter(**{kind.owner_path: user}).order_by("id")  # type: ignore[attr-defined,no-any-return]


def image_path(row: Row) -> str:
    return f"{IMAGE_FOLDER}/{row['form_check_id']}-{row['id']}.png"


def _rows(kind: Kind, user: User, images: dict[str, bytes]) -> Iterator[Row]:
    records = records_of(kind, user)
    if kind.name == "activities":  # years of streams: read a chunk at a time
        yield from (export_row(kind, record) for record in records.iterator(chunk_size=200))
        return
    for record in records:
        row = export_row(kind, record)
        if IMAGE_FILE_FIELD in kind.columns():
            row[IMAGE_FILE_FIELD] = image_path(row)
            images[row[IMAGE_FILE_FIELD]] = bytes(record.png)  # type: ignore[attr-defined]
        yield row


def csv_cell(value: Any) -> str:
    """One CSV cell: JSON values as JSON text, true/false, and text that a spreadsheet would run as a
    formula quoted with a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return str(value)


def csv_text(kind: Kind, rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(kind.columns())
    for row in rows:
        writer.writerow([csv_cell(row[key]) for key in kind.columns()])
    return out.getvalue()


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


def write_export(user: User, target: IO[bytes]) -> ExportSummary:
    """Write the user's export zip to ``target`` (a file open for writing)."""
    counts: dict[str, int] = {}
    digests: dict[str, str] = {}
    total = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:

        def add(name: str, data: bytes) -> None:
            nonlocal total
            archive.writestr(name, data)
            digests[name] = hashlib.sha256(data).hexdigest()
            total += len(data)

        add(SCHEMA, json_bytes(schema()))
        for kind in KINDS:
            images: dict[str, bytes] = {}
            rows = list(_rows(kind, user, images))
            counts[kind.name] = len(rows)
            add(f"{kind.name}.json", json_bytes(rows))
            add(f"{kind.name}.csv", csv_text(kind, rows).encode("utf-8"))
            for name, png in images.items():
                add(name, png)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "app_version": __version__,
            "created_at": timezone.now().isoformat(),
            "counts": counts,
            "sha256": digests,
        }
        add(MANIFEST, json_bytes(manifest))
    return ExportSummary(counts=counts, files=len(digests), bytes=total)


def export_name(today: str) -> str:
    """The file name a download gets: backstride-export-2026-12-07.zip."""
    return f"backstride-export-{today}.zip"
