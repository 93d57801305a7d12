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
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypedDict

from django.contrib.auth.models import User
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q

from backstride.core.activity import ParsedActivity
from backstride.core.activity_summary import ActivitySummary
from backstride.core.text import clean_text
from backstride.importers import exports
from backstride.importers.pipeline import ParsedFile, ParsedPart, one_line
from backstride.storage.models import Activity, Shoe

from .activity_rows import ActivityRow, activity_row, local_start
from .import_shoes import FOOT_SPORTS, shoe_for, shoes_by_name
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
# Files per transaction (one bulk insert), or the files parsed in this many seconds if fewer: a
# commit per file cost more than parsing it, and a killed import still keeps what it had committed.
STORE_BATCH_FILES = 64
STORE_BATCH_S = 0.25
BULK_ROWS = 100  # rows per INSERT statement (each row holds a chart stream of a few kB)
WINDOWS_PER_QUERY = 100  # start-time windows OR-ed in one same-run query (SQLite's expression depth)


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


def _store(
    user: User, source: ImportSource, parsed: ParsedFile, shoes: dict[str, Shoe] | None = None
) -> tuple[list[Activity], int]:
    """One file, one transaction: (activities created, parts skipped as duplicates)."""
    with transaction.atomic():
        _lock_runs_of(user)
        if parsed.sha256 and Activity.objects.filter(owner=user, source_sha256=parsed.sha256).exists():
            return [], len(parsed.parts)
        made: list[Activity] = []
        skipped = 0
        for index, part in enumerate(parsed.parts):
            _apply_meta(part.activity, part.summary, source.meta)
            if _is_same_run(user, part) or (not parsed.sha256 and _is_same_entry(user, part.activity, index)):
                skipped += 1
                continue
            activity = _create(
                user, source.path, parsed.sha256, index, part, shoe_for(part.activity, shoes or {})
            )
            made.append(activity)
            if activity.pk is None:
                activity.save(force_insert=True)  # before the next part's same-run check reads it
    return made, skipped


def _store_batch(
    user: User, batch: list[tuple[ImportSource, ParsedFile]], shoes: dict[str, Shoe]
) -> list[tuple[list[Activity], int]]:
    """Many files, one transaction and one bulk insert: per file (activities created, duplicates).

    The same rules as `_store` file after file, with two queries for the whole batch instead of
    several per file: the stored files among the batch's hashes, and the stored runs near any of its
    starts; what the batch itself adds counts for the files after it. Raises when any file cannot be
    stored (nothing of the batch is then written): the caller stores its files one by one."""
    with transaction.atomic():
        _lock_runs_of(user)
        hashes = {parsed.sha256 for _, parsed in batch if parsed.sha256}
        known = set(
            Activity.objects.filter(owner=user, source_sha256__in=hashes).values_list(
                "source_sha256", flat=True
            )
        )
        for source, parsed in batch:
            for part in parsed.parts:
                _apply_meta(part.activity, part.summary, source.meta)
        runs = _RunsNear(user, [part for _, parsed in batch for part in parsed.parts])
        outcomes: list[tuple[list[Activity], int]] = []
        pending: list[Activity] = []
        for source, parsed in batch:
            if parsed.sha256 and parsed.sha256 in known:
                outcomes.append(([], len(parsed.parts)))
                continue
            known.add(parsed.sha256)
            made: list[Activity] = []
            skipped = 0
            for index, part in enumerate(parsed.parts):
                if runs.has_same(part) or (not parsed.sha256 and _is_same_entry(user, part.activity, index)):
                    skipped += 1
                    continue
                shoe = shoe_for(part.activity, shoes)
                made.append(_create(user, source.path, parsed.sha256, index, part, shoe))
                runs.add(part)
            outcomes.append((made, skipped))
            pending.extend(activity for activity in made if activity.pk is None)
        Activity.objects.bulk_create(pending, batch_size=BULK_ROWS)
    return outcomes


class _RunsNear:
    """The owner's stored runs that could be the same run as one of `parts` (one query), plus the
    ones added since: `has_same` is `_is_same_run` without a query per part."""

    def __init__(self, user: User, parts: list[ParsedPart]) -> None:
        self._runs: list[tuple[str, datetime, float | None]] = []
        windows = [part for part in parts if part.summary.distance_m]
        for chunk in range(0, len(windows), WINDOWS_PER_QUERY):
            near = Q()
            for part in windows[chunk : chunk + WINDOWS_PER_QUERY]:
                start = part.activity.start_time
                near |= Q(
                    start_time__gte=start - DUPLICATE_START_WINDOW,
                    start_time__lte=start + DUPLICATE_START_WINDOW,
                )
            self._runs.extend(
                Activity.objects.filter(near, owner=user).values_list("sport", "start_time", "distance_m")
            )

    def add(self, part: ParsedPart) -> None:
        self._runs.append((_line(part.summary.sport, 16), part.activity.start_time, part.summary.distance_m))

    def has_same(self, part: ParsedPart) -> bool:
        distance = part.summary.distance_m
        if not distance:
            return False
        sport, start = _line(part.summary.sport, 16), part.activity.start_time
        for other_sport, other_start, other in self._runs:
            if (
                other
                and other_sport == sport
                and abs(other_start - start) <= DUPLICATE_START_WINDOW
                and abs(distance - other) <= DUPLICATE_DISTANCE_TOLERANCE * max(distance, other)
            ):
                return True
        return False


def _finite(stream: ChartStream) -> ChartStream:
    """The chart stream without NaN or infinities (PostgreSQL's jsonb refuses them): gaps instead.
    The usual stream has none (the workers already made them gaps): one sum per channel in C says so."""
    if all(math.isfinite(sum(filter(None, values))) for values in stream.values()):  # type: ignore[arg-type]
        return stream
    return {
        key: [None if isinstance(v, float) and not math.isfinite(v) else v for v in values]
        for key, values in stream.items()
    }


def _create(
    user: User, path: str, sha256: str, index: int, part: ParsedPart, shoe: Shoe | None = None
) -> Activity:
    """The row to insert (not saved yet: the batch inserts its rows at once)."""
    activity, summary = part.activity, part.summary
    return Activity(
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
        # File by file: a web job's progress counts stored files, and its files arrive one by one.
        return store_parsed(user, parser.info, parser.results(), progress, batch_files=1)


def store_parsed(
    user: User,
    info: BatchInfo,
    results: Iterator[tuple[ImportSource, ParsedFile]],
    progress: Callable[[int, int], None] | None = None,
    batch_files: int = STORE_BATCH_FILES,
) -> ImportReport:
    """Store parsed files as they come, up to ``batch_files`` of them (or STORE_BATCH_S of parsing)
    per transaction; returns the `--format json` report. ``progress`` hears of a file once it is
    stored (batch_files=1: file by file, as a web job shows it)."""
    failed = list(info.failed)
    imported: list[Activity] = []
    skipped = 0
    ignored = 0
    shoes = shoes_by_name(user, info.shoes)
    batch: list[tuple[ImportSource, ParsedFile]] = []
    batch_started = time.monotonic()
    done = 0

    def flush() -> None:
        nonlocal skipped
        for (source, _), outcome in zip(batch, _store_files(user, batch, shoes), strict=True):
            if isinstance(outcome, Exception):
                failed.append({"path": source.path, "error": _not_stored(outcome)})
            else:
                imported.extend(outcome[0])
                skipped += outcome[1]
        batch.clear()
        if progress:
            progress(done, info.total)

    for source, parsed in results:
        done += 1
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
            if not batch:
                batch_started = time.monotonic()
            batch.append((source, parsed))
        if len(batch) >= batch_files or (batch and time.monotonic() - batch_started >= STORE_BATCH_S):
            flush()
        elif progress and not batch:
            progress(done, info.total)
    if batch:
        flush()
    return {
        "imported": len(imported),
        "skipped_duplicates": skipped,
        "failed": [{"path": clean_text(f["path"]), "error": clean_text(f["error"])} for f in failed],
        "activities": [activity_row(activity) for activity in imported],
        "ignored_non_activity_files": ignored,
    }


def _store_files(
    user: User, batch: list[tuple[ImportSource, ParsedFile]], shoes: dict[str, Shoe]
) -> list[tuple[list[Activity], int] | Exception]:
    """Per file: (created, duplicates), or the error that kept it from being stored. The batch goes
    in one transaction; when a file of it cannot be stored, each file goes in its own, so that file
    alone fails and none of it is written."""
    if len(batch) > 1:
        try:
            return list(_store_batch(user, batch, shoes))
        except (OperationalError, InterfaceError):
            raise  # the database itself is unusable (gone, locked for too long): stop here
        except Exception:
            log.info("a file of this batch could not be stored; storing its files one by one")
    outcomes: list[tuple[list[Activity], int] | Exception] = []
    for source, parsed in batch:
        try:
            outcomes.append(_store(user, source, parsed, shoes))
        except (OperationalError, InterfaceError):
            raise
        except Exception as error:  # this file only: its transaction was rolled back whole
            log.exception("storing %s failed", source.path)
            outcomes.append(error)
    return outcomes


def _not_stored(error: Exception) -> str:
    return (
        f"could not be stored ({error.__class__.__name__}: {one_line(error)}); nothing of this file was "
        "saved and the other files were: please report this file"
    )


def list_activities(user: User) -> list[Activity]:
    return list(Activity.objects.filter(owner=user).select_related("shoe").defer("stream"))
