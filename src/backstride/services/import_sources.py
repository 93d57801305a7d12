"""Finding what to import and parsing it: files, folders, zips and bulk exports -> parsed files.

No Django here (nor in anything this imports), so a parser process started for a web import can run
all of it without a database connection: the server process only stores what comes back.

Folders are walked without leaving them: a symbolic link whose target is outside the folder given is
not followed (it is reported), one inside is followed once (a link back up the tree is no loop).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from backstride.core.activity import ActivityFileError, ParsedActivity
from backstride.core.activity_summary import ActivitySummary
from backstride.importers import archive, exports
from backstride.importers.files import not_regular, read_head
from backstride.importers.formats import sniff
from backstride.importers.pipeline import ParsedFile, ParsedPart, one_line, parse_many

ACTIVITY_KINDS = ("fit", "gpx", "tcx", "gzip")
# Ten years of watch files are about 5,000; an unpacked Garmin export a few tens of thousands.
MAX_FOLDER_ENTRIES = 100_000


@dataclass
class ImportSource:
    path: str  # what the user sees in messages: a file path, or "export.zip!activities/1.fit.gz"
    disk_path: str | None = None  # read by the worker itself (no copying bytes between processes)
    read: Callable[[], bytes] | None = None  # archive members (not picklable: see portable())
    meta: exports.ExportActivity | None = None  # what a bulk export says about this activity
    found_inside: bool = (
        False  # found in a folder/archive (not named by the user): non-activities pass silently
    )

    def portable(self) -> ImportSource:
        """This source without its readers, to send from a parser process to the one storing."""
        meta = replace(self.meta, read=None) if self.meta is not None else None
        return replace(self, read=None, meta=meta)


@dataclass
class BatchInfo:
    """What storing needs before the first parsed file arrives (a parser process sends it first)."""

    total: int  # sources to parse (each one then counts as one file done)
    failed: list[dict[str, str]]  # found unusable while collecting: {"path", "error"}
    garmin_summaries: list[exports.ExportActivity]
    shoes: list[exports.ExportShoe]
    parser_pid: int = field(default_factory=os.getpid)  # the process that reads and parses the files


@dataclass
class Collected:
    sources: list[ImportSource] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    garmin_summaries: list[exports.ExportActivity] = field(default_factory=list)
    shoes: list[exports.ExportShoe] = field(default_factory=list)

    def info(self) -> BatchInfo:
        return BatchInfo(
            total=len(self.sources),
            failed=list(self.failed),
            garmin_summaries=[replace(summary, read=None) for summary in self.garmin_summaries],
            shoes=list(self.shoes),
        )

    def fail(self, path: object, error: str) -> None:
        self.failed.append({"path": str(path), "error": error})


# --- finding the files ---------------------------------------------------------------------------


def collect_sources(paths: Iterable[Path], labels: dict[Path, str] | None = None) -> Collected:
    """Everything importable under the given files, folders and zips. Inside folders and archives,
    files that are not activity files by content (CSV, PDF, photos...) are passed over silently;
    a file named on the command line that is not one is reported. One unreadable file or archive is
    that file's failure, never the batch's."""
    collected = Collected()
    labels = labels or {}
    for path in paths:
        label = labels.get(Path(path), str(path))
        try:
            _collect_one(Path(path), collected, label)
        except (archive.ArchiveError, ActivityFileError, OSError) as error:
            collected.fail(label, one_line(error))
    return collected


def _collect_one(path: Path, collected: Collected, label: str) -> None:
    """`label` is what the user knows this path as (an upload's own name, not our temp file)."""
    if not path.exists():
        raise ActivityFileError(f"{path} does not exist")
    if path.is_dir():
        kind = exports.detect_export(path)
        if kind:
            _add_export(kind, path, collected)
            return
        for file in _folder_files(path, collected):
            try:
                _collect_found(file, collected)
            except (archive.ArchiveError, ActivityFileError, OSError) as error:
                collected.fail(file, one_line(error))
        return
    if not stat.S_ISREG(path.stat().st_mode):
        raise not_regular(label, path.stat().st_mode)
    if sniff(read_head(path)) == "zip":
        _collect_zip(path, collected, label)
    else:
        collected.sources.append(ImportSource(path=label, disk_path=str(path)))


def _collect_found(file: Path, collected: Collected) -> None:
    head = read_head(file)
    if sniff(head) == "zip":
        _collect_zip(file, collected, str(file))
    elif sniff(head) in ACTIVITY_KINDS:
        collected.sources.append(ImportSource(path=str(file), disk_path=str(file), found_inside=True))


def _folder_files(root: Path, collected: Collected) -> list[Path]:
    """The regular files under ``root``, sorted. Each real file and folder is visited once; a link
    leading outside ``root`` is reported and not followed; broken links and link loops are passed over."""
    real_root = root.resolve()
    seen = {real_root}
    files: list[Path] = []
    stack = [root]
    listed = 0
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(folder.iterdir())
        except OSError as error:
            reason = error.strerror or error
            collected.fail(folder, f"cannot list this folder ({reason}); check its permissions")
            continue
        listed += len(entries)
        if listed > MAX_FOLDER_ENTRIES:  # `import /` or a home folder: hours of reading, not a history
            raise ActivityFileError(
                f"{root}: refused, more than {MAX_FOLDER_ENTRIES:,} files and folders in it; "
                "name the folder that holds your activities, or the export itself"
            )
        for entry in entries:
            try:
                real = entry.resolve(strict=True)
            except (OSError, RuntimeError):
                continue  # a broken link, or a loop of links: nothing to read
            if entry.is_symlink() and not real.is_relative_to(real_root):
                collected.fail(
                    entry,
                    f"not followed: a symbolic link to {real}, outside the folder; "
                    "import that path itself to include it",
                )
                continue
            if real in seen:
                continue
            if entry.is_dir():
                seen.add(real)
                stack.append(entry)
            elif entry.is_file():
                seen.add(real)
                files.append(entry)
    return sorted(files)


def _collect_zip(path: Path, collected: Collected, label: str) -> None:
    warnings: list[str] = []
    members = list(archive.iter_zip(path, label, warnings=warnings))
    for warning in warnings:  # members skipped (links, unreadable nested zips, over the ratio)
        where, _, reason = warning.partition(": ")
        collected.fail(where, reason)
    kind = exports.detect_export(members)
    if kind:
        _add_export(kind, members, collected)
        return
    for member in members:
        collected.sources.append(ImportSource(path=member.path, read=member.read, found_inside=True))


def _add_export(kind: str, source: Any, collected: Collected) -> None:
    contents = exports.read_strava_export(source) if kind == "strava" else exports.read_garmin_export(source)
    for item in contents.activities:
        collected.sources.append(ImportSource(path=item.path, read=item.read, meta=item, found_inside=True))
    for path, reason in contents.skipped:
        collected.fail(path, reason)
    collected.garmin_summaries.extend(contents.garmin_summaries)
    collected.shoes.extend(contents.shoes)


# --- parsing -------------------------------------------------------------------------------------


def _manual(source: ImportSource) -> ParsedFile:
    """A bulk-export activity with no file (a Strava manual entry)."""
    meta = source.meta
    assert meta is not None
    if meta.start_time is None:
        return ParsedFile(path=source.path, error="manual activity without a start time")
    activity = ParsedActivity(source_format="manual", start_time=meta.start_time, sport=meta.sport or "other")
    summary = ActivitySummary(
        sport=activity.sport,
        sub_sport=meta.sub_sport,
        indoor=False,
        distance_m=meta.distance_m,
        moving_time_s=meta.moving_time_s,
        elapsed_time_s=meta.elapsed_time_s,
        elevation_gain_m=meta.elevation_gain_m,
        elevation_loss_m=meta.elevation_loss_m,
        uphill_share=None,
        downhill_share=None,
        avg_cadence_spm=meta.avg_cadence_spm,
        avg_hr_bpm=meta.avg_hr_bpm,
    )
    return ParsedFile(path=source.path, parts=[ParsedPart(activity, summary)])


def parse_all(
    sources: list[ImportSource], workers: int | None = None
) -> Iterator[tuple[ImportSource, ParsedFile]]:
    jobs = [(source.path, source.disk_path, source.read) for source in sources]
    yield from zip(sources, parse_many(jobs, workers), strict=True)


def parse_collected(
    collected: Collected, workers: int | None = None
) -> Iterator[tuple[ImportSource, ParsedFile]]:
    """Every source with its parsed file, files first (as they are parsed), then file-less entries."""
    files = [source for source in collected.sources if source.disk_path or source.read]
    entries = [source for source in collected.sources if not (source.disk_path or source.read)]
    try:
        yield from parse_all(files, workers)
    finally:
        archive.close_reopened()  # the last zip read from (a deleted upload must not stay open)
    for source in entries:
        yield source, _manual(source)
