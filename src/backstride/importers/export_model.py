"""What a bulk export says about its activities and shoes; finding out which export it is."""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from backstride.importers.archive import ArchiveError, ArchiveLimits, Member, iter_folder, iter_zip


class ExportError(ArchiveError):
    """An export that cannot be read at all. One line: what is wrong, what to do. (An ArchiveError,
    so callers catching archive problems catch this too.)"""


@dataclass
class ExportActivity:
    path: str  # display path of the activity file, or "<export>!activities.csv row N" for manual ones
    read: Callable[[], bytes] | None  # raw file bytes (may still be gzipped), None for manual/summaries
    sport: str | None = None  # running, walking, hiking, cycling, swimming, other
    sub_sport: str | None = None  # trail, virtual, treadmill, track, indoor, road
    name: str | None = None
    start_time: datetime | None = None  # UTC aware
    utc_offset_s: int | None = None  # Garmin startTimeLocal - startTimeGmt
    distance_m: float | None = None
    moving_time_s: float | None = None
    elapsed_time_s: float | None = None
    elevation_gain_m: float | None = None
    elevation_loss_m: float | None = None
    avg_hr_bpm: float | None = None
    avg_cadence_spm: float | None = None  # steps/min; None for cycling/swimming (no steps)
    rpe: float | None = None  # Strava "Perceived Exertion" 1-10
    gear_name: str | None = None  # Strava "Activity Gear"
    dirt_distance_m: float | None = None
    external_id: str | None = None  # "strava:<Activity ID>" / "garmin:<activityId>"
    manual: bool = False  # Strava row with an empty Filename
    description: str | None = None  # Strava "Activity Description" (diary mining: pain mentions)


@dataclass
class ExportShoe:
    name: str  # the display name Strava uses in "Activity Gear"
    brand: str | None
    model: str | None
    nickname: str | None = None  # Strava "Shoe Name", when the athlete set one

    def display_names(self) -> list[str]:
        """Every form Strava has been seen to write in "Activity Gear" for this shoe (spec 3.1 is not
        sure whether a nickname replaces "<Brand> <Model>" or is appended to it)."""
        brand_model = " ".join(part for part in (self.brand, self.model) if part)
        names = [self.name, brand_model]
        if self.nickname and brand_model:
            names += [f"{brand_model} {self.nickname}", f"{self.nickname} ({brand_model})"]
        return list(dict.fromkeys(name for name in names if name))


@dataclass
class ExportContents:
    kind: str  # "strava" | "garmin"
    activities: list[ExportActivity]
    shoes: list[ExportShoe]
    skipped: list[tuple[str, str]]  # (path, one-line reason)
    garmin_summaries: list[ExportActivity] = field(default_factory=list)  # read=None; see module doc


def match_shoe(gear_name: str | None, shoes: Iterable[ExportShoe]) -> ExportShoe | None:
    """The shoe an activity's "Activity Gear" names (case and spacing ignored), or None (a bike...)."""
    if not gear_name:
        return None
    wanted = " ".join(gear_name.split()).casefold()
    for shoe in shoes:
        if any(" ".join(name.split()).casefold() == wanted for name in shoe.display_names()):
            return shoe
    return None


def match_garmin_summary(
    start_time: datetime, summaries: Iterable[ExportActivity], window_s: float = 5
) -> ExportActivity | None:
    """The summary whose start is nearest to ``start_time`` (a parsed file's start, UTC) and at most
    ``window_s`` seconds away, or None. A naive ``start_time`` is taken as UTC."""
    if start_time.tzinfo is None:
        start_time = start_time.replace(tzinfo=UTC)
    best: ExportActivity | None = None
    best_delta = math.inf
    for summary in summaries:
        if summary.start_time is None:
            continue
        delta = abs((summary.start_time - start_time).total_seconds())
        if delta <= window_s and delta < best_delta:
            best, best_delta = summary, delta
    return best


# --------------------------------------------------------------------------------------- members


def members_of(source: Path | list[Member], skipped: list[tuple[str, str]]) -> list[Member]:
    if isinstance(source, list):
        return source
    warnings: list[str] = []
    if source.is_dir():
        members = list(iter_folder(source, source.name, ArchiveLimits(), warnings=warnings))
    elif source.is_file():
        members = list(iter_zip(source, source.name, ArchiveLimits(), warnings=warnings))
    else:
        raise ExportError(f"{source}: no such file or folder; choose the export zip or its unpacked folder")
    for warning in warnings:
        path, _, reason = warning.partition(": ")
        skipped.append((path, reason))
    return members


STRAVA_INDEX = re.compile(r"^(?:[^/]+/)?activities\.csv$", re.IGNORECASE)
GARMIN_ROOT = re.compile(r"^(?:[^/]+/)?DI_CONNECT/", re.IGNORECASE)


def top_level(members: Iterable[Member]) -> list[Member]:
    return [member for member in members if member.depth == 0]


def detect_export(members: list[Member] | Path) -> str | None:
    """ "strava" if activities.csv is at the root (or one folder down), "garmin" if DI_CONNECT/ is,
    else None. A path may be an unpacked folder or a zip (only its names are looked at: no member
    is read and nested zips are not opened)."""
    if isinstance(members, Path):
        names = _shallow_names(members)
    else:
        names = [member.name for member in top_level(members)]
    if any(GARMIN_ROOT.match(name) for name in names):
        return "garmin"
    if any(STRAVA_INDEX.match(name) for name in names):
        return "strava"
    return None


def _shallow_names(path: Path) -> list[str]:
    if path.is_dir():
        names: list[str] = []
        for entry in path.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                names += [
                    f"{entry.name}/{child.name}" + ("/" if child.is_dir() else "")
                    for child in entry.iterdir()
                ]
            names.append(entry.name + ("/" if entry.is_dir() else ""))
        return names
    try:
        with zipfile.ZipFile(path) as archive:
            return [name.replace("\\", "/").lstrip("/") for name in archive.namelist()]
    except (zipfile.BadZipFile, OSError):
        return []


# ------------------------------------------------------------------------------------ parsing


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def number_or_none(value: str | None) -> float | None:
    """A number written with a decimal point or a decimal comma ("3322,95"); None when empty."""
    if value is None:
        return None
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:  # thousands separators: keep the last one as the decimal mark
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    else:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


ON_FOOT = ("running", "walking", "hiking")
