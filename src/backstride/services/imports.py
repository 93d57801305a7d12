"""import_files: activity files, folders, zips and bulk exports -> stored activities.

Finding and parsing the files is import_sources (no Django): parsing is CPU work and runs in worker
processes, and a web import runs all of it in a parser process of its own (import_worker). Storing
runs here, one transaction per file (a savepoint when the caller has a transaction open), so a file
is either fully stored or not at all, and a file that cannot be stored is that file's one-line
failure, never the batch's.

Run identity: the same file twice (same SHA-256 of its decompressed bytes), the same run from two
sources (same sport, start within 60 s, distance within 3%) and the same file-less export entry
twice (same external id) are stored once, however many imports run at the same time: each file's
check-and-insert holds a per-owner lock (PostgreSQL: an advisory transaction lock; SQLite: the
write lock its IMMEDIATE transactions take at BEGIN), and the database's unique constraints back
the exact rules (one_activity_per_file_part, one_fileless_activity_per_external_id).

Every string that comes from a file or an export passes through clean_text before it is stored.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TypedDict

from django.contrib.auth.models import User
from django.db import InterfaceError, OperationalError, connection, transaction

from backstride.config import local_time, run_day
from backstride.core.activity import ParsedActivity
from backstride.core.activity_summary import ActivitySummary
from backstride.core.pace import activity_name, pace_s_per_km
from backstride.core.text import clean_text
from backstride.importers import exports
from backstride.importers.pipeline import ParsedFile, ParsedPart, one_line
from backstride.storage.models import Activity, Shoe

from .import_sources import (
    ACTIVITY_KINDS,
    BatchInfo,
    Collected,
    ImportSource,
    collect_sources,
    parse_all,
    parse_collected,
)
from .import_worker import ParserProcess

__all__ = [
    "ACTIVITY_KINDS",
    "ActivityRow",
    "BatchInfo",
    "ChartStream",
    "Collected",
    "FailedFile",
    "ImportReport",
    "ImportSource",
    "activity_row",
    "collect_sources",
    "import_collected",
    "import_in_parser_process",
    "import_paths",
    "list_activities",
    "local_start",
    "parse_all",
    "store_parsed",
]

# The chart stream an activity keeps: one list per channel (time_s, distance_m, altitude_m, speed_mps,
# heart_rate_bpm, cadence_spm), a value per kept sample and None where the file had none.
ChartStream = dict[str, list[float | None]]


class ActivityRow(TypedDict):
    """One activity as `backstride import/activities --format json` prints it (a public contract)
    and as the activity pages read it."""

    id: int
    start_time: str  # ISO 8601, UTC
    utc_offset_s: int | None
    day: str  # ISO date the run counts for (spec activity.md: local day)
    sport: str
    sub_sport: str | None
    indoor: bool
    name: str | None
    distance_m: float | None
    moving_time_s: float | None
    elapsed_time_s: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    uphill_share: float | None
    downhill_share: float | None
    avg_cadence_spm: float | None
    avg_hr_bpm: float | None
    rpe: float | None
    gear: str | None
    shoe: str | None
    source_file: str
    source_format: str
    partial: bool
    partial_reason: str | None
    # Added for the pages (issue 13): the name to show (the file's, else "Morning run" from the local
    # start hour), the start on the runner's clock (None for a run entered by hand: it has no time of
    # day) and the average pace over the moving time.
    display_name: str
    local_start: str | None  # ISO 8601 with the local offset
    pace_s_per_km: float | None


class FailedFile(TypedDict):
    path: str
    error: str  # one line saying why and what to do


class ImportReport(TypedDict):
    """What one import did: `backstride import --format json` prints it and a web import job keeps it."""

    imported: int
    skipped_duplicates: int
    failed: list[FailedFile]
    activities: list[ActivityRow]
    # Files inside folders and archives that are not activities (photos, CSVs, settings FIT...).
    ignored_non_activity_files: int


log = logging.getLogger(__name__)

DUPLICATE_START_WINDOW = timedelta(seconds=60)
DUPLICATE_DISTANCE_TOLERANCE = 0.03
# pg_advisory_xact_lock(class, object): this class is "the runs of one owner" (any constant that no
# other lock of the app uses; these are the bytes of "bsid").
RUN_IDENTITY_LOCK = 0x62736964


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


def _lock_runs_of(user: User) -> None:
    """Until this transaction ends, no other import can check or insert runs of ``user``.

    PostgreSQL: an advisory lock per owner, released at commit or rollback. SQLite: nothing to do,
    the project opens every transaction with BEGIN IMMEDIATE (settings), so the check that follows
    already runs under the database's single write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RUN_IDENTITY_LOCK, user.pk % 2**31])


def _is_same_run(user: User, part: ParsedPart) -> bool:
    """Same sport, start within 60 s and distance within 3% (spec activity.md 6)."""
    distance = part.summary.distance_m
    if not distance:
        return False  # with no distance there is nothing to compare: never drop it as a duplicate
    start = part.activity.start_time
    candidates = Activity.objects.filter(
        owner=user,
        sport=_line(part.summary.sport, 16),
        start_time__gte=start - DUPLICATE_START_WINDOW,
        start_time__lte=start + DUPLICATE_START_WINDOW,
    ).values_list("distance_m", flat=True)
    return any(
        other and abs(distance - other) <= DUPLICATE_DISTANCE_TOLERANCE * max(distance, other)
        for other in candidates
    )


def _is_same_entry(user: User, activity: ParsedActivity, index: int) -> bool:
    """A file-less export entry (a Strava manual activity) already stored under its export's id."""
    external_id = _line(activity.external_id, 64)
    return bool(external_id) and (
        Activity.objects.filter(
            owner=user, source_sha256="", external_id=external_id, source_index=index
        ).exists()
    )


def _line(value: str | None, limit: int) -> str:
    """A one-line field as it is stored: no control characters, at most ``limit`` characters."""
    return clean_text(value or "")[:limit]


def _shoes_by_name(user: User, export_shoes: list[exports.ExportShoe]) -> dict[str, Shoe]:
    """The user's shoes keyed by every name an export may use for them; the export's shoes are
    created first (one transaction), so a run's "Activity Gear" finds its shoe."""
    with transaction.atomic():
        for shoe in export_shoes:
            name = _line(shoe.name, 200)
            if name:
                Shoe.objects.get_or_create(
                    owner=user,
                    name=name,
                    defaults={"brand": _line(shoe.brand, 100), "model": _line(shoe.model, 100)},
                )
    known: dict[str, Shoe] = {}
    for stored in Shoe.objects.filter(owner=user):
        as_export = exports.ExportShoe(
            name=stored.name, brand=stored.brand or None, model=stored.model or None
        )
        same = [s for s in export_shoes if _line(s.name, 200) == stored.name]
        for export_shoe in [as_export, *same]:
            for name in export_shoe.display_names():
                known[_gear_key(name)] = stored
    return known


def _gear_key(name: str) -> str:
    return " ".join(clean_text(name).split()).casefold()


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
        _lock_runs_of(user)
        if parsed.sha256 and Activity.objects.filter(owner=user, source_sha256=parsed.sha256).exists():
            return [], len(parsed.parts)
        for index, part in enumerate(parsed.parts):
            _apply_meta(part.activity, part.summary, source.meta)
            if _is_same_run(user, part) or (not parsed.sha256 and _is_same_entry(user, part.activity, index)):
                skipped += 1
                continue
            created.append(
                _create(user, source.path, parsed.sha256, index, part, _shoe_for(part.activity, shoes or {}))
            )
    return created, skipped


def _finite(stream: ChartStream) -> ChartStream:
    """The chart stream without NaN or infinities (PostgreSQL's jsonb refuses them): gaps instead."""
    return {
        key: [None if isinstance(v, float) and not math.isfinite(v) else v for v in values]
        for key, values in stream.items()
    }


def _create(
    user: User, path: str, sha256: str, index: int, part: ParsedPart, shoe: Shoe | None = None
) -> Activity:
    activity, summary = part.activity, part.summary
    return Activity.objects.create(
        owner=user,
        start_time=activity.start_time,
        utc_offset_s=activity.utc_offset_s,
        sport=_line(summary.sport, 16),
        sub_sport=_line(summary.sub_sport, 16),
        indoor=summary.indoor,
        name=_line(activity.name, 200),
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
        gear_name=_line(activity.gear_name, 200),
        shoe=shoe,
        source_format=_line(activity.source_format, 8),
        source_file=_line(path, 500),
        source_sha256=sha256,
        source_index=index,
        external_id=_line(activity.external_id, 64),
        partial=activity.partial,
        partial_reason=clean_text(activity.partial_reason or ""),
        stream=_finite(summary.stream),
    )


def activity_row(activity: Activity) -> ActivityRow:
    """The JSON shape of `backstride import/activities --format json` (a public contract)."""

    def rounded(value: float | None, digits: int = 1) -> float | None:
        return None if value is None else round(value, digits)

    start = local_start(activity)
    return {
        "id": activity.id,
        "start_time": activity.start_time.isoformat(),
        "utc_offset_s": activity.utc_offset_s,
        "day": run_day(activity.start_time, activity.utc_offset_s, activity.source_format).isoformat(),
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
        "display_name": activity_name(activity.name, activity.sport, start.hour if start else None),
        "local_start": start.isoformat() if start else None,
        "pace_s_per_km": rounded(pace_s_per_km(activity.distance_m, activity.moving_time_s)),
    }


def local_start(activity: Activity) -> datetime | None:
    """When the activity started on the clock where it was run: the file's own UTC offset when it
    gave one (a run abroad keeps its hour there), else the runner's zone. None for a run entered by
    hand, which is stored at noon UTC of its day and has no time of day to show."""
    if activity.source_format == "manual":
        return None
    if activity.utc_offset_s is not None and abs(activity.utc_offset_s) < 24 * 3600:
        return activity.start_time.astimezone(timezone(timedelta(seconds=activity.utc_offset_s)))
    return local_time(activity.start_time)


def import_paths(
    user: User,
    paths: Iterable[Path],
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> ImportReport:
    return import_collected(user, collect_sources(paths), progress, workers)


def import_collected(
    user: User,
    collected: Collected,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import what was collected, parsing in this process's worker pool (the command line)."""
    return store_parsed(user, collected.info(), parse_collected(collected, workers), progress)


def import_in_parser_process(
    user: User,
    paths: list[Path],
    labels: dict[Path, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    started: Callable[[BatchInfo], None] | None = None,
) -> ImportReport:
    """Import files with every read and parse in a parser process of their own (the web app): this
    process only stores. ``started`` gets the BatchInfo (file count, the parser's pid) first.
    Raises ParserStopped when that process dies (what was stored by then stays stored)."""
    with ParserProcess(paths, labels or {}) as parser:
        assert parser.info is not None
        if started:
            started(parser.info)
        return store_parsed(user, parser.info, parser.results(), progress)


def store_parsed(
    user: User,
    info: BatchInfo,
    results: Iterator[tuple[ImportSource, ParsedFile]],
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Store parsed files as they come; returns the `--format json` report."""
    failed = list(info.failed)
    imported: list[Activity] = []
    skipped = 0
    ignored = 0
    shoes = _shoes_by_name(user, info.shoes)
    for done, (source, parsed) in enumerate(results, start=1):
        if parsed.not_an_activity and source.found_inside:
            ignored += 1
        elif parsed.error:
            failed.append({"path": source.path, "error": parsed.error})
        else:
            unmatched = source.meta is None or source.meta.external_id is None  # Garmin files carry no ids
            if unmatched and info.garmin_summaries and parsed.parts:
                source.meta = exports.match_garmin_summary(
                    parsed.parts[0].activity.start_time, info.garmin_summaries
                )
            try:
                created, duplicates = _store(user, source, parsed, shoes)
            except (OperationalError, InterfaceError):
                raise  # the database itself is unusable (gone, locked for too long): stop here
            except Exception as error:  # this file only: its transaction was rolled back whole
                log.exception("storing %s failed", source.path)
                failed.append({"path": source.path, "error": _not_stored(error)})
            else:
                imported.extend(created)
                skipped += duplicates
        if progress:
            progress(done, info.total)
    return {
        "imported": len(imported),
        "skipped_duplicates": skipped,
        "failed": [{"path": clean_text(f["path"]), "error": clean_text(f["error"])} for f in failed],
        "activities": [activity_row(activity) for activity in imported],
        "ignored_non_activity_files": ignored,
    }


def _not_stored(error: Exception) -> str:
    return (
        f"could not be stored ({error.__class__.__name__}: {one_line(error)}); nothing of this file was "
        "saved and the other files were: please report this file"
    )


def list_activities(user: User) -> list[Activity]:
    return list(Activity.objects.filter(owner=user).select_related("shoe").defer("stream"))
