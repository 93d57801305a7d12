"""Reading an export zip for a restore, refusing anything damaged or foreign before a single row is
written: a zip the importers' safety rules refuse (unsafe names, zip bombs, encrypted or nested zips,
size limits), a missing or extra file, a SHA-256 that does not match the manifest, another format or
version, a field the schema does not have or lacks, a value its field cannot hold, a link to a record
the export does not hold."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from backstride.core.text import counted
from backstride.importers.archive import ArchiveError, ArchiveLimits, Member, iter_zip

from .data_kinds import IMAGE_FILE_FIELD, IMAGE_FOLDER, KINDS, BadValue, Kind, Row, export_value, parse_value
from .data_schema import FORMAT, VERSION
from .errors import BackstrideError
from .export import MANIFEST, SCHEMA

# The importers' limits, but no zip inside the zip (an export never holds one), and fewer members.
LIMITS = ArchiveLimits(max_members=200_000, max_nesting=0)
MAX_PROBLEMS = 10  # listed before giving up: the first few say enough about a damaged file
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class RestoreRefused(BackstrideError):
    """The export cannot be restored; nothing was written. ``problems`` lists what is wrong, in words."""

    def __init__(self, reason: str, problems: list[str] | None = None) -> None:
        self.reason = reason
        self.problems = problems or []
        super().__init__(f"This file cannot be restored: {reason}. Nothing was changed.")


@dataclass
class Record:
    """One record of the export: its values as the model takes them, and as exported (for its key)."""

    values: dict[str, Any]
    exported: Row


@dataclass
class ExportContents:
    manifest: dict[str, Any]
    records: dict[str, list[Record]] = field(default_factory=dict)  # by kind name
    images: dict[str, bytes] = field(default_factory=dict)  # path in the zip -> PNG bytes


def read_export(source: Path | bytes | BinaryIO, display: str = "the file") -> ExportContents:
    """The checked contents of an export zip; RestoreRefused saying why otherwise."""
    members = _members(source, display)
    manifest = _manifest(members)
    digests = manifest["sha256"]
    expected = {SCHEMA} | {f"{kind.name}.{suffix}" for kind in KINDS for suffix in ("json", "csv")}
    listed = set(digests)
    present = set(members) - {MANIFEST}
    missing = sorted((expected | listed) - present)
    pictures = {name for name in present if name.startswith(f"{IMAGE_FOLDER}/")}
    extra = sorted(present - expected - pictures) or sorted(present - listed)
    if missing:
        raise RestoreRefused(f"it lacks {_names(missing)}; export again from backstride")
    if extra:
        raise RestoreRefused(f"it holds files a backstride export does not: {_names(extra)}")
    damaged = [name for name in sorted(listed) if _sha256(members[name]) != digests[name]]
    if damaged:
        raise RestoreRefused(f"{_names(damaged)} changed since the export was made (SHA-256 differs)")
    contents = ExportContents(manifest=manifest)
    problems: list[str] = []
    for kind in KINDS:
        contents.records[kind.name] = _records(kind, members[f"{kind.name}.json"], problems)
    if problems:
        raise RestoreRefused(counted(len(problems), "problem") + " in its records", problems[:MAX_PROBLEMS])
    _check_links(contents, problems)
    _check_counts(contents, manifest, problems)
    images = {r.exported[IMAGE_FILE_FIELD] for r in contents.records["form_check_images"]}
    stray = sorted(name for name in listed if name.startswith(f"{IMAGE_FOLDER}/") and name not in images)
    problems += [f"{name}: a picture no form check names" for name in stray]
    for name in sorted(images):
        data = members[name].read() if name in members else b""
        if not data.startswith(PNG_SIGNATURE):
            problems.append(f"{name}: missing or not a PNG picture")
        contents.images[name] = data
    if problems:
        raise RestoreRefused(counted(len(problems), "problem") + " in its records", problems[:MAX_PROBLEMS])
    return contents


def _members(source: Path | bytes | BinaryIO, display: str) -> dict[str, Member]:
    warnings: list[str] = []
    try:
        members = {member.name: member for member in iter_zip(source, display, LIMITS, warnings=warnings)}
    except ArchiveError as error:
        if "not a readable zip archive" in str(error):
            raise RestoreRefused(
                "it is not a zip file, or only part of one (copy or download it again)"
            ) from None
        raise RestoreRefused(f"it is not a zip that can be read safely ({_first_part(error)})") from None
    if warnings:
        raise RestoreRefused(f"it holds a file that cannot be read safely ({_first_part(warnings[0])})")
    if MANIFEST not in members:
        raise RestoreRefused("it is not a backstride export (it has no manifest.json)")
    return members


def _first_part(message: object) -> str:
    """The archive reader's reason without its advice about Strava and Garmin exports."""
    return str(message).split("; ")[0]


def _load_json(member: Member) -> Any:
    try:
        return json.loads(member.read().decode("utf-8"))
    except ArchiveError as error:
        raise RestoreRefused(f"{member.name} cannot be read safely ({_first_part(error)})") from None
    except (UnicodeDecodeError, ValueError):
        raise RestoreRefused(f"{member.name} is not JSON text") from None


def _manifest(members: dict[str, Member]) -> dict[str, Any]:
    manifest = _load_json(members[MANIFEST])
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        named = manifest.get("format") if isinstance(manifest, dict) else None
        what = (
            f"its manifest names the format {str(named)[:40]!r}" if named else "its manifest names no format"
        )
        raise RestoreRefused(f"it is not a backstride export ({what})")
    version = manifest.get("version")
    if version != VERSION:
        if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
            raise RestoreRefused(
                f"it was made by a newer backstride (export version {version}); upgrade first"
            )
        raise RestoreRefused(f"its export version {str(version)[:20]!r} is not one this backstride reads")
    digests, counts = manifest.get("sha256"), manifest.get("counts")
    if not isinstance(digests, dict) or not all(
        isinstance(name, str) and isinstance(value, str) for name, value in digests.items()
    ):
        raise RestoreRefused("its manifest has no list of SHA-256 sums")
    if not isinstance(counts, dict):
        raise RestoreRefused("its manifest has no counts")
    return manifest


def _sha256(member: Member) -> str:
    try:
        return hashlib.sha256(member.read()).hexdigest()
    except ArchiveError as error:
        raise RestoreRefused(f"{member.name} cannot be read safely ({_first_part(error)})") from None


def _records(kind: Kind, member: Member, problems: list[str]) -> list[Record]:
    rows = _load_json(member)
    if not isinstance(rows, list):
        problems.append(f"{member.name}: not a list of records")
        return []
    wanted = kind.columns()
    by_name = {f.attname: f for f in kind.fields()}
    records: list[Record] = []
    for number, row in enumerate(rows, start=1):
        where = f"{member.name}, record {number}"
        if len(problems) >= MAX_PROBLEMS:
            break
        if not isinstance(row, dict):
            problems.append(f"{where}: not an object")
            continue
        unknown, lacking = sorted(set(row) - set(wanted)), [key for key in wanted if key not in row]
        if unknown:
            problems.append(f"{where}: unknown field {_names(unknown)}")
        if lacking:
            problems.append(f"{where}: lacks the field {_names(lacking)}")
        if unknown or lacking:
            continue
        values: dict[str, Any] = {}
        exported: Row = {}
        for key in wanted:
            if key == IMAGE_FILE_FIELD:
                values[key] = exported[key] = _image_name(row[key], where, problems)
                continue
            try:
                values[key] = parse_value(by_name[key], row[key])
            except BadValue as error:
                problems.append(f"{where}, field {key}: {error}")
                continue
            exported[key] = export_value(by_name[key], values[key])
        if len(values) == len(wanted):
            records.append(Record(values, exported))
    return records


def _image_name(value: Any, where: str, problems: list[str]) -> str:
    if not isinstance(value, str) or not value.startswith(f"{IMAGE_FOLDER}/") or not value.endswith(".png"):
        problems.append(f"{where}, field {IMAGE_FILE_FIELD}: not a PNG under {IMAGE_FOLDER}/")
        return ""
    return value


def _check_links(contents: ExportContents, problems: list[str]) -> None:
    ids: dict[str, set[int]] = {}
    for kind in KINDS:
        seen: set[int] = set()
        for record in contents.records[kind.name]:
            if record.values["id"] in seen:
                problems.append(f"{kind.name}.json: the id {record.values['id']} is used twice")
            seen.add(record.values["id"])
        ids[kind.name] = seen
        for attname, target in kind.links.items():
            for record in contents.records[kind.name]:
                linked = record.values[attname]
                if linked is not None and linked not in ids[target]:
                    problems.append(
                        f"{kind.name}.json, record id {record.values['id']}: {attname} {linked} is not in "
                        f"{target}.json"
                    )


def _check_counts(contents: ExportContents, manifest: dict[str, Any], problems: list[str]) -> None:
    for kind in KINDS:
        counted, held = manifest["counts"].get(kind.name), len(contents.records[kind.name])
        if counted != held:
            problems.append(f"{kind.name}.json holds {held} records, the manifest says {counted}")


def _names(names: list[str]) -> str:
    shown = ", ".join(name[:60] for name in names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")
