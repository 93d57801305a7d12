"""import_files: activity files, folders, zips and bulk exports -> stored activities.

Parsing is CPU work and runs in worker processes (2 cores here); storing runs in this process, one
transaction per file, so a file is either fully stored or not at all. The same file twice (same
SHA-256 of its decompressed bytes) and the same run from two sources (start within 60 s, distance
within 3%) are stored once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from backstride.core.activity import ActivityFileError, ParsedActivity
from backstride.core.activity_summary import ActivitySummary
from backstride.importers import archive, exports
from backstride.importers.formats import sniff
from backstride.importers.pipeline import ParsedFile, ParsedPart, one_line, parse_many
from backstride.storage.models import Activity, Shoe

DUPLICATE_START_WINDOW = timedelta(seconds=60)
DUPLICATE_DISTANCE_TOLERANCE = 0.03
ACTIVITY_KINDS = ("fit", "gpx", "tcx", "gzip")


@dataclass
class ImportSource:
    path: str  # what the user sees in messages: a file path, or "export.zip!activities/1.fit.gz"
    disk_path: str | None = None  # read by the worker itself (no copying bytes between processes)
    read: Callable[[], bytes] | None = None  # for archive members
    meta: exports.ExportActivity | None = None  # what a bulk export says about this activity
    found_inside: bool = (
        False  # found in a folder/archive (not named by the user): non-activities pass silently
    )


@dataclass
class Collected:
    sources: list[ImportSource] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    garmin_summaries: list[exports.ExportActivity] = field(default_factory=list)
    shoes: list[exports.ExportShoe] = field(default_factory=list)


# --- finding the files ---------------------------------------------------------------------------


def _looks_like_activity(head: bytes) -> bool:
    return sniff(head) in ACTIVITY_KINDS


def collect_sources(paths: Iterable[Path], labels: dict[Path, str] | None = None) -> Collected:
    """Everything importable under the given files, folders and zips. Inside folders and archives,
    files that are not activity files by content (CSV, PDF, photos...) are passed over silently;
    a file named on the command line that is not one is reported."""
    collected = Collected()
    labels = labels or {}
    for path in paths:
        try:
            _collect_one(Path(path), collected, labels.get(Path(path), str(path)))
        except (archive.ArchiveError, ActivityFileError, OSError) as error:
            collected.failed.append({"path": str(path), "error": one_line(error)})
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
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            with file.open("rb") as handle:
                head = handle.read(4096)
            if sniff(head) == "zip":
                _collect_zip(file, collected, str(file))
            elif _looks_like_activity(head):
                collected.sources.append(ImportSource(path=str(file), disk_path=str(file), found_inside=True))
        return
    with path.open("rb") as handle:
        head = handle.read(4096)
    if sniff(head) == "zip":
        _collect_zip(path, collected, label)
    else:
        collected.sources.append(ImportSource(path=label, disk_path=str(path)))


def _collect_zip(path: Path, collected: Collected, label: str) -> None:
    members = list(archive.iter_zip(path, label))
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
        collected.failed.append({"path": path, "error": reason})
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


# --- storing -------------------------------------------------------------------------------------


def _apply_meta(
    activity: ParsedActivity, summary: ActivitySummary, meta: exports.ExportActivity | None
) -> None:
    """What a bulk export knows fills the gaps the file leaves (and names, RPE, gear, sport labels)."""
    if meta is None:
        return
    if meta.sport:
        if activity.sport == "other" and meta.sport in FOOT_SPORTS:
            _double_per_leg_cadence(summary)
        activity.sport = summary.sport = meta.sport
    if meta.sub_sport:
        activity.sub_sport = summary.sub_sport = meta.sub_sport
        summary.indoor = summary.indoor or meta.sub_sport in ("treadmill", "indoor", "virtual")
    activity.name = activity.name or meta.name
    activity.rpe = meta.rpe
    activity.gear_name = meta.gear_name
    activity.external_id = meta.external_id
    if activity.utc_offset_s is None:
        activity.utc_offset_s = meta.utc_offset_s
    for field_name in (
        "distance_m",
        "moving_time_s",
        "elapsed_time_s",
        "elevation_gain_m",
        "elevation_loss_m",
        "avg_hr_bpm",
        "avg_cadence_spm",
    ):
        if getattr(summary, field_name) is None:
            setattr(summary, field_name, getattr(meta, field_name))


FOOT_SPORTS = ("running", "walking", "hiking")
PER_LEG_CADENCE_MAX = 120  # a foot-sport median at or under this is strides per leg, not steps


def _double_per_leg_cadence(summary: ActivitySummary) -> None:
    """A file that did not say it was a run (GPX without <type>) keeps per-leg cadence; once the
    export says it was a run, the same rule the parsers use applies: double when the median <= 120."""
    cadence = [value for value in summary.stream.get("cadence_spm", []) if value]
    if not cadence or sorted(cadence)[len(cadence) // 2] > PER_LEG_CADENCE_MAX:
        return
    summary.stream["cadence_spm"] = [None if v is None else v * 2 for v in summary.stream["cadence_spm"]]
    if summary.avg_cadence_spm is not None:
        summary.avg_cadence_spm *= 2


def _is_same_run(user: User, part: ParsedPart) -> bool:
    """Same sport, start within 60 s and distance within 3% (spec activity.md 6)."""
    distance = part.summary.distance_m
    if not distance:
        return False  # with no distance there is nothing to compare: never drop it as a duplicate
    start = part.activity.start_time
    candidates = Activity.objects.filter(
        owner=user,
        sport=part.summary.sport,
        start_time__gte=start - DUPLICATE_START_WINDOW,
        start_time__lte=start + DUPLICATE_START_WINDOW,
    ).values_list("distance_m", flat=True)
    return any(
        other and abs(distance - other) <= DUPLICATE_DISTANCE_TOLERANCE * max(distance, other)
        for other in candidates
    )


def _shoes_by_name(user: User, export_shoes: list[exports.ExportShoe]) -> dict[str, Shoe]:
    """The user's shoes keyed by every name an export may use for them; the export's shoes are
    created first (one transaction), so a run's "Activity Gear" finds its shoe."""
    with transaction.atomic():
        for shoe in export_shoes:
            Shoe.objects.get_or_create(
                owner=user,
                name=shoe.name[:200],
                defaults={"brand": shoe.brand or "", "model": shoe.model or ""},
            )
    known: dict[str, Shoe] = {}
    for stored in Shoe.objects.filter(owner=user):
        as_export = exports.ExportShoe(
            name=stored.name, brand=stored.brand or None, model=stored.model or None
        )
        for export_shoe in [as_export, *[s for s in export_shoes if s.name == stored.name]]:
            for name in export_shoe.display_names():
                known[_gear_key(name)] = stored
    return known


def _gear_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _shoe_for(activity: ParsedActivity, shoes: dict[str, Shoe]) -> Shoe | None:
    if not activity.gear_name or activity.sport not in FOOT_SPORTS:
        return None  # a bike's name, or no gear
    return shoes.get(_gear_key(activity.gear_name))


def _store(
    user: User, source: ImportSource, parsed: ParsedFile, shoes: dict[str, Shoe] | None = None
) -> tuple[list[Activity], int]:
    """One file, one transaction: (activities created, parts skipped as duplicates)."""
    created: list[Activity] = []
    skipped = 0
    with transaction.atomic():
        if parsed.sha256 and Activity.objects.filter(owner=user, source_sha256=parsed.sha256).exists():
            return [], len(parsed.parts)
        for index, part in enumerate(parsed.parts):
            _apply_meta(part.activity, part.summary, source.meta)
            if _is_same_run(user, part):
                skipped += 1
                continue
            created.append(
                _create(user, source.path, parsed.sha256, index, part, _shoe_for(part.activity, shoes or {}))
            )
    return created, skipped


def _create(
    user: User, path: str, sha256: str, index: int, part: ParsedPart, shoe: Shoe | None = None
) -> Activity:
    activity, summary = part.activity, part.summary
    return Activity.objects.create(
        owner=user,
        start_time=activity.start_time,
        utc_offset_s=activity.utc_offset_s,
        sport=summary.sport,
        sub_sport=summary.sub_sport or "",
        indoor=summary.indoor,
        name=(activity.name or "")[:200],
        distance_m=summary.distance_m,
        moving_time_s=summary.moving_time_s,
        elapsed_time_s=summary.elapsed_time_s,
        elevation_gain_m=summary.elevation_gain_m,
        elevation_loss_m=summary.elevation_loss_m,
        uphill_share=summary.uphill_share,
        downhill_share=summary.downhill_share,
        avg_cadence_spm=summary.avg_cadence_spm,
        avg_hr_bpm=summary.avg_hr_bpm,
        rpe=activity.rpe,
        gear_name=(activity.gear_name or "")[:200],
        shoe=shoe,
        source_format=activity.source_format,
        source_file=path[:500],
        source_sha256=sha256,
        source_index=index,
        external_id=(activity.external_id or "")[:64],
        partial=activity.partial,
        partial_reason=activity.partial_reason or "",
        stream=summary.stream,
    )


def activity_row(activity: Activity) -> dict[str, Any]:
    """The JSON shape of `backstride import/activities --format json` (a public contract)."""

    def rounded(value: float | None, digits: int = 1) -> float | None:
        return None if value is None else round(value, digits)

    return {
        "id": activity.id,
        "start_time": activity.start_time.isoformat(),
        "utc_offset_s": activity.utc_offset_s,
        "sport": activity.sport,
        "sub_sport": activity.sub_sport or None,
        "indoor": activity.indoor,
        "name": activity.name or None,
        "distance_m": rounded(activity.distance_m),
        "moving_time_s": rounded(activity.moving_time_s),
        "elapsed_time_s": rounded(activity.elapsed_time_s),
        "elevation_gain_m": rounded(activity.elevation_gain_m),
        "elevation_loss_m": rounded(activity.elevation_loss_m),
        "uphill_share": rounded(activity.uphill_share, 3),
        "downhill_share": rounded(activity.downhill_share, 3),
        "avg_cadence_spm": rounded(activity.avg_cadence_spm),
        "avg_hr_bpm": rounded(activity.avg_hr_bpm),
        "rpe": activity.rpe,
        "gear": activity.gear_name or None,
        "shoe": activity.shoe.name if activity.shoe is not None else None,
        "source_file": activity.source_file,
        "source_format": activity.source_format,
        "partial": activity.partial,
        "partial_reason": activity.partial_reason or None,
    }


def import_paths(
    user: User,
    paths: Iterable[Path],
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    return import_collected(user, collect_sources(paths), progress, workers)


def import_collected(
    user: User,
    collected: Collected,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Import what was collected; returns the `--format json` report."""
    failed = list(collected.failed)
    imported: list[Activity] = []
    skipped = 0
    ignored = 0
    file_sources = [source for source in collected.sources if source.disk_path or source.read]
    manual_sources = [source for source in collected.sources if not (source.disk_path or source.read)]
    total = len(collected.sources)
    shoes = _shoes_by_name(user, collected.shoes)
    # Lazily: each file is stored (and progress reported) as soon as it is parsed.
    results = itertools.chain(parse_all(file_sources, workers), ((s, _manual(s)) for s in manual_sources))
    for done, (source, parsed) in enumerate(results, start=1):
        if parsed.not_an_activity and source.found_inside:
            ignored += 1
        elif parsed.error:
            failed.append({"path": source.path, "error": parsed.error})
        else:
            unmatched = source.meta is None or source.meta.external_id is None  # Garmin files carry no ids
            if unmatched and collected.garmin_summaries and parsed.parts:
                source.meta = exports.match_garmin_summary(
                    parsed.parts[0].activity.start_time, collected.garmin_summaries
                )
            try:
                created, duplicates = _store(user, source, parsed, shoes)
            except IntegrityError:  # the same file stored meanwhile by another import (CLI and web at once)
                created, duplicates = [], len(parsed.parts)
            imported.extend(created)
            skipped += duplicates
        if progress:
            progress(done, total)
    return {
        "imported": len(imported),
        "skipped_duplicates": skipped,
        "failed": failed,
        "activities": [activity_row(activity) for activity in imported],
        # Files inside folders and archives that are not activities (photos, CSVs, settings FIT...).
        "ignored_non_activity_files": ignored,
    }


def list_activities(user: User) -> list[Activity]:
    return list(Activity.objects.filter(owner=user).select_related("shoe").defer("stream"))
