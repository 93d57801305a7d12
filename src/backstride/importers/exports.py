"""Bulk-export readers: what a Strava or Garmin export holds, and what the export says about each
activity. Activity files are not parsed here (the FIT/GPX/TCX parsers do that): each one is handed
over as an ExportActivity whose ``read`` returns its raw bytes (possibly still gzipped).

Strava (spec 3.1): ``activities.csv`` is the index. Each row is joined to its file through the
``Filename`` column (never through the Activity ID); a row with an empty Filename is a manual
activity (``manual=True``, ``read=None``); files in ``activities/`` that no row names are still
returned, without metadata. Headers are mapped by name (English or German), duplicated names by
occurrence: the first "Distance" is in display units (km or mi, ignored), the second in metres.

Garmin (spec 3.2): file names carry upload ids, not activity ids, so files and summaries cannot be
joined here. Every uploaded activity file (nested ``UploadedFiles_*.zip`` expanded) is returned
in ``activities`` without metadata, and the ``*_summarizedActivities.json`` entries go to
``garmin_summaries`` (``read=None``). After parsing a file, the import service calls
``match_garmin_summary(start_time, contents.garmin_summaries)`` to get its metadata; summaries that
match no file may be imported as manual activities by the service (no track, but distance/time).
Non-activity FIT files (monitoring, settings) are returned too: the FIT parser tells them apart.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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


def _members(source: Path | list[Member], skipped: list[tuple[str, str]]) -> list[Member]:
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


_STRAVA_INDEX = re.compile(r"^(?:[^/]+/)?activities\.csv$", re.IGNORECASE)
_GARMIN_ROOT = re.compile(r"^(?:[^/]+/)?DI_CONNECT/", re.IGNORECASE)


def _top(members: Iterable[Member]) -> list[Member]:
    return [member for member in members if member.depth == 0]


def detect_export(members: list[Member] | Path) -> str | None:
    """ "strava" if activities.csv is at the root (or one folder down), "garmin" if DI_CONNECT/ is,
    else None. A path may be an unpacked folder or a zip (only its names are looked at: no member
    is read and nested zips are not opened)."""
    if isinstance(members, Path):
        names = _shallow_names(members)
    else:
        names = [member.name for member in _top(members)]
    if any(_GARMIN_ROOT.match(name) for name in names):
        return "garmin"
    if any(_STRAVA_INDEX.match(name) for name in names):
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


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _num(value: str | None) -> float | None:
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


_MONTHS = {
    # English (also the C-locale abbreviations)
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    # German (full and abbreviated, Austrian "Jänner")
    "januar": 1, "jänner": 1, "jän": 1, "februar": 2, "märz": 3, "mär": 3, "mrz": 3, "mai": 5,
    "juni": 6, "juli": 7, "okt": 10, "oktober": 10, "dez": 12, "dezember": 12,
}  # fmt: skip

_EN_DATE = re.compile(
    r"^(?P<mon>[^\W\d_]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4}),?\s+"
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?$"
)
_DAYFIRST_DATE = re.compile(
    r"^(?P<day>\d{1,2})[./]\s*(?P<mon>\d{1,2}|[^\W\d_]+)\.?[./]?\s*(?P<year>\d{4}),?\s*(?:um\s+)?"
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?$"
)
_ISO_DATE = re.compile(
    r"^(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})[T ]"
    r"(?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:Z|\+00:?00)?$"
)


def parse_strava_date(value: str) -> datetime | None:
    """Strava's "Activity Date" (UTC) in the English ("May 29, 2022, 3:53:35 PM") or German
    ("29.05.2022, 15:53:35", "29. Mai 2022, 15:53:35") form, or ISO; None if unreadable."""
    text = " ".join(value.replace("\u202f", " ").replace("\u00a0", " ").split())
    for pattern in (_EN_DATE, _DAYFIRST_DATE, _ISO_DATE):
        found = pattern.match(text)
        if not found:
            continue
        parts = found.groupdict()
        mon_text = parts["mon"].lower()
        month = int(mon_text) if mon_text.isdigit() else _MONTHS.get(mon_text)
        if month is None:
            return None
        hour = int(parts["h"])
        ampm = (parts.get("ampm") or "").replace(".", "").lower()
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        try:
            return datetime(
                int(parts["year"]), month, int(parts["day"]), hour, int(parts["m"]), int(parts["s"] or 0),
                tzinfo=UTC,
            )  # fmt: skip
        except ValueError:
            return None
    return None


# ------------------------------------------------------------------------------------- Strava

# German activities.csv headers -> English, for the columns we read. Confirmed against the DE->EN
# mapping that martin-ueding/geo-activity-playground ships for real German exports
# (src/geo_activity_playground/features/strava_checkout/strava-csv-mapping.json), which differs
# from guesses: "Name der Aktivität" (not "Aktivitätsname"), "Höhenzunahme"/"Höhenunterschied"
# (not "Höhenzuwachs"/"Höhenverlust"), "Gefühlte Anstrengung" (not "Wahrgenommene Anstrengung").
# The guessed forms are accepted too: they cost nothing and may match other export versions.
_DE_HEADERS = {
    "Aktivitäts-ID": "Activity ID",
    "Aktivitätsdatum": "Activity Date",
    "Name der Aktivität": "Activity Name",
    "Aktivitätsname": "Activity Name",  # unconfirmed variant
    "Aktivitätsart": "Activity Type",
    "Aktivitätsbeschreibung": "Activity Description",
    "Verstrichene Zeit": "Elapsed Time",
    "Distanz": "Distance",
    "Aktivitätsausrüstung": "Activity Gear",
    "Dateiname": "Filename",
    "Bewegungszeit": "Moving Time",
    "Höhenzunahme": "Elevation Gain",
    "Höhenzuwachs": "Elevation Gain",  # unconfirmed variant
    "Höhenunterschied": "Elevation Loss",
    "Höhenverlust": "Elevation Loss",  # unconfirmed variant
    "Durchschnittliche Herzfrequenz": "Average Heart Rate",
    "Durchschnittliche Trittfrequenz": "Average Cadence",
    "Gefühlte Anstrengung": "Perceived Exertion",
    "Wahrgenommene Anstrengung": "Perceived Exertion",  # unconfirmed variant
    "Auf Schotter zurückgelegte Distanz": "Dirt Distance",
    "Schritte insgesamt": "Total Steps",
}
# Broken headers seen in real exports: '<span class="translation_missing" ...>total_steps</span>'.
_SPAN = re.compile(r"<span[^>]*>(.*?)</span>", re.IGNORECASE | re.DOTALL)
_SNAKE_HEADERS = {"total_steps": "Total Steps", "dirt_distance": "Dirt Distance"}

# Strava activity types (English UI names, API-style names, German UI names) -> (sport, sub_sport).
# German names confirmed in geo-activity-playground's localisation aliases: Lauf, Radfahrt,
# Virtuelle Radfahrt, Schwimmen, Wandern, Spaziergang; "Traillauf"/"Virtueller Lauf" are from
# other public Strava tools (unconfirmed against an export).
_STRAVA_TYPES: dict[str, tuple[str, str | None]] = {
    "run": ("running", None),
    "trailrun": ("running", "trail"),
    "virtualrun": ("running", "virtual"),
    "walk": ("walking", None),
    "hike": ("hiking", None),
    "swim": ("swimming", None),
    "lauf": ("running", None),
    "laufen": ("running", None),
    "traillauf": ("running", "trail"),
    "virtuellerlauf": ("running", "virtual"),
    "spaziergang": ("walking", None),
    "gehen": ("walking", None),
    "wandern": ("hiking", None),
    "wanderung": ("hiking", None),
    "schwimmen": ("swimming", None),
}
_CYCLING = re.compile(r"ride|bike|cycl|velomobile|handcycle|radfahrt|fahrrad|rad$", re.IGNORECASE)
_ON_FOOT = ("running", "walking", "hiking")


def strava_sport(activity_type: str | None) -> tuple[str | None, str | None]:
    if not activity_type or not activity_type.strip():
        return None, None
    key = re.sub(r"[\s_-]+", "", activity_type).casefold()
    if key in _STRAVA_TYPES:
        return _STRAVA_TYPES[key]
    if key == "virtualride" or _CYCLING.search(key):
        return "cycling", "virtual" if key.startswith(("virtual", "virtuell")) else None
    return "other", None


def _canonical_header(raw: str) -> tuple[str, bool]:
    """(English header, came from German)."""
    header = raw.strip().lstrip("\ufeff").strip()
    span = _SPAN.search(header)
    if span:
        header = span.group(1).strip()
    if header in _SNAKE_HEADERS:
        return _SNAKE_HEADERS[header], False
    if header in _DE_HEADERS:
        return _DE_HEADERS[header], True
    return header, False


class _Row:
    """One activities.csv row, read by header name; duplicated names by occurrence."""

    def __init__(self, columns: dict[str, list[int]], values: list[str]):
        self._columns = columns
        self._values = values

    def get(self, header: str, occurrence: int = 0) -> str | None:
        indices = self._columns.get(header, [])
        if occurrence >= len(indices) or indices[occurrence] >= len(self._values):
            return None
        value = self._values[indices[occurrence]].strip()
        return value or None

    def last(self, header: str) -> str | None:
        count = len(self._columns.get(header, []))
        return self.get(header, count - 1) if count else None

    def num(self, header: str, occurrence: int = 0) -> float | None:
        return _num(self.get(header, occurrence))


def _clean_name(name: str) -> str:
    name = name.strip().replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name.lstrip("/")


def read_strava_export(source: Path | list[Member]) -> ExportContents:
    """A Strava bulk export, from its unpacked folder, its zip, or the members of its zip."""
    skipped: list[tuple[str, str]] = []
    members = _members(source, skipped)
    top = _top(members)
    index = next((member for member in top if _STRAVA_INDEX.match(member.name)), None)
    if index is None:
        raise ExportError("no activities.csv found: this is not a Strava export (or it was re-packed)")
    prefix = index.name[: -len("activities.csv")]
    by_name = {member.name: member for member in top}

    rows = list(csv.reader(io.StringIO(_text(index.read()), newline="")))
    if not rows:
        raise ExportError(f"{index.path}: empty; download the Strava export again")
    columns: dict[str, list[int]] = {}
    german = False
    for position, raw in enumerate(rows[0]):
        header, from_german = _canonical_header(raw)
        german = german or from_german
        columns.setdefault(header, []).append(position)
    if "Activity Date" not in columns:
        raise ExportError(f"{index.path}: no Activity Date column; the CSV is in an unsupported language")

    activities: list[ExportActivity] = []
    used: set[str] = set()
    for number, values in enumerate(rows[1:], start=2):  # spreadsheet numbering: the header is row 1
        if not any(value.strip() for value in values):
            continue
        row = _Row(columns, values)
        row_path = f"{index.path} row {number}"
        raw_date = row.get("Activity Date")
        start = parse_strava_date(raw_date) if raw_date else None
        if start is None:
            skipped.append((row_path, f"unreadable Activity Date {raw_date!r}"))
            continue
        sport, sub_sport = strava_sport(row.get("Activity Type"))
        cadence = row.num("Average Cadence")
        activity_id = row.get("Activity ID")
        if activity_id and activity_id.endswith(".0"):
            activity_id = activity_id[:-2]
        activity = ExportActivity(
            path=row_path,
            read=None,
            sport=sport,
            sub_sport=sub_sport,
            name=row.get("Activity Name"),
            start_time=start,
            # The first "Distance" is in display units (km or mi): only the second (metres) is used.
            distance_m=row.num("Distance", 1),
            moving_time_s=row.num("Moving Time"),
            elapsed_time_s=_num(row.last("Elapsed Time")),
            elevation_gain_m=row.num("Elevation Gain"),
            elevation_loss_m=row.num("Elevation Loss"),
            avg_hr_bpm=row.num("Average Heart Rate"),
            # Strava writes the device's per-leg cadence for foot sports: x2 for steps/min. A bike's
            # cadence is revolutions/min, not steps: left out.
            avg_cadence_spm=cadence * 2 if cadence is not None and sport in _ON_FOOT else None,
            rpe=_rpe(row.num("Perceived Exertion")),
            gear_name=row.get("Activity Gear"),
            dirt_distance_m=row.num("Dirt Distance"),
            external_id=f"strava:{activity_id}" if activity_id else None,
            description=row.get("Activity Description"),
        )
        filename = row.get("Filename")
        if not filename:
            activity.manual = True
        else:
            member = by_name.get(prefix + _clean_name(filename))
            if member is None:
                skipped.append(
                    (row_path, f"{filename} is listed in activities.csv but missing from the export")
                )
                continue
            used.add(member.name)
            activity.path = member.path
            activity.read = member.read
        activities.append(activity)

    for member in top:  # files no row names: still activities, without metadata
        if member.name.startswith(prefix + "activities/") and member.name not in used:
            activities.append(ExportActivity(path=member.path, read=member.read))

    shoes_member = by_name.get(prefix + "shoes.csv")
    shoes = _read_shoes(shoes_member, skipped) if shoes_member else []
    return ExportContents(kind="strava", activities=activities, shoes=shoes, skipped=skipped)


def _rpe(value: float | None) -> float | None:
    return value if value is not None and 0 < value <= 10 else None


def _read_shoes(member: Member, skipped: list[tuple[str, str]]) -> list[ExportShoe]:
    rows = list(csv.reader(io.StringIO(_text(member.read()), newline="")))
    if not rows:
        return []
    header = [cell.strip().lstrip("\ufeff") for cell in rows[0]]

    def position(name: str, fallback: int) -> int:
        # shoes.csv has a fixed 4-column layout (name, brand, model, sport types): in a language
        # whose headers we do not know, fall back to the positions.
        return header.index(name) if name in header else fallback

    i_name, i_brand, i_model = position("Shoe Name", 0), position("Shoe Brand", 1), position("Shoe Model", 2)
    shoes: list[ExportShoe] = []
    for number, values in enumerate(rows[1:], start=2):

        def cell(i: int, values: list[str] = values) -> str | None:
            return values[i].strip() or None if i < len(values) else None

        nickname, brand, model = cell(i_name), cell(i_brand), cell(i_model)
        brand_model = " ".join(part for part in (brand, model) if part)
        name = nickname or brand_model
        if not name:
            if any(value.strip() for value in values):
                skipped.append((f"{member.path} row {number}", "a shoe without name, brand or model"))
            continue
        shoes.append(ExportShoe(name=name, brand=brand, model=model, nickname=nickname))
    return shoes


# ------------------------------------------------------------------------------------- Garmin

_GARMIN_SUMMARIES = re.compile(
    r"^(?:[^/]+/)?DI_CONNECT/DI-Connect-Fitness/[^/]*summarizedActivities[^/]*\.json$", re.IGNORECASE
)
_GARMIN_UPLOADS = ("/DI-Connect-Uploaded-Files/", "/DI-Connect-Fitness-Uploaded-Files/")
_ACTIVITY_FILE = re.compile(r"\.(?:fit|gpx|tcx)(?:\.gz)?$", re.IGNORECASE)

_GARMIN_TYPES: dict[str, tuple[str, str | None]] = {
    "running": ("running", None),
    "street_running": ("running", "road"),
    "trail_running": ("running", "trail"),
    "treadmill_running": ("running", "treadmill"),
    "track_running": ("running", "track"),
    "indoor_running": ("running", "indoor"),
    "virtual_run": ("running", "virtual"),
    "walking": ("walking", None),
    "casual_walking": ("walking", None),
    "speed_walking": ("walking", None),
    "indoor_walking": ("walking", "indoor"),
    "hiking": ("hiking", None),
    "lap_swimming": ("swimming", None),
    "open_water_swimming": ("swimming", None),
    "swimming": ("swimming", None),
    "indoor_cycling": ("cycling", "indoor"),
    "virtual_ride": ("cycling", "virtual"),
}
_GARMIN_SPORT_TYPES = {
    "RUNNING": "running",
    "CYCLING": "cycling",
    "SWIMMING": "swimming",
    "WALKING": "walking",
}


def garmin_sport(activity_type: Any, sport_type: Any = None) -> tuple[str | None, str | None]:
    if isinstance(activity_type, dict):  # some exports nest it: {"typeKey": "running", ...}
        activity_type = activity_type.get("typeKey")
    key = str(activity_type or "").strip().lower()
    if key in _GARMIN_TYPES:
        return _GARMIN_TYPES[key]
    if "cycling" in key or "biking" in key or key.endswith("_ride"):
        return "cycling", None
    if key.endswith("_running"):
        return "running", None
    if key.endswith("_swimming"):
        return "swimming", None
    if isinstance(sport_type, str) and sport_type.upper() in _GARMIN_SPORT_TYPES:
        return _GARMIN_SPORT_TYPES[sport_type.upper()], None
    return ("other", None) if key else (None, None)


def _ms_time(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=float(value))
    except (OverflowError, ValueError):
        return None


def _scaled(value: Any, divisor: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value) / divisor


def _garmin_summary(entry: dict[str, Any], path: str) -> ExportActivity | None:
    start = _ms_time(entry.get("startTimeGmt"))
    if start is None:
        start = _ms_time(entry.get("beginTimestamp"))
    if start is None:
        return None
    offset: int | None = None
    local, gmt = entry.get("startTimeLocal"), entry.get("startTimeGmt")
    if isinstance(local, int | float) and isinstance(gmt, int | float):
        offset = round((local - gmt) / 1000)
    sport, sub_sport = garmin_sport(entry.get("activityType"), entry.get("sportType"))
    elapsed = _scaled(entry.get("elapsedDuration"), 1000)
    activity_id = entry.get("activityId")
    cadence = _scaled(entry.get("avgRunCadence"), 1)
    return ExportActivity(
        path=f"{path} activity {activity_id}",
        read=None,
        sport=sport,
        sub_sport=sub_sport,
        name=entry.get("name") if isinstance(entry.get("name"), str) else None,
        start_time=start,
        utc_offset_s=offset,
        distance_m=_scaled(entry.get("distance"), 100),  # centimetres
        moving_time_s=_scaled(entry.get("movingDuration"), 1000),  # milliseconds
        elapsed_time_s=elapsed if elapsed is not None else _scaled(entry.get("duration"), 1000),
        elevation_gain_m=_scaled(entry.get("elevationGain"), 100),  # centimetres
        elevation_loss_m=_scaled(entry.get("elevationLoss"), 100),
        avg_hr_bpm=_scaled(entry.get("avgHr"), 1),
        avg_cadence_spm=cadence if sport in _ON_FOOT else None,  # already steps/min
        external_id=f"garmin:{activity_id}" if activity_id is not None else None,
    )


def read_garmin_export(source: Path | list[Member]) -> ExportContents:
    """A Garmin Connect data export, from its unpacked folder, its zip, or the members of its zip."""
    skipped: list[tuple[str, str]] = []
    members = _members(source, skipped)
    if not any(_GARMIN_ROOT.match(member.name) for member in _top(members)):
        raise ExportError("no DI_CONNECT folder found: this is not a Garmin Connect data export")

    summaries: list[ExportActivity] = []
    activities: list[ExportActivity] = []
    for member in members:
        if member.depth == 0 and _GARMIN_SUMMARIES.match(member.name):
            summaries.extend(_read_summaries(member, skipped))
        elif _ACTIVITY_FILE.search(member.name) and any(
            folder in "/" + member.path.replace("\\", "/") for folder in _GARMIN_UPLOADS
        ):
            activities.append(ExportActivity(path=member.path, read=member.read))
    summaries.sort(key=lambda summary: summary.start_time or datetime.min.replace(tzinfo=UTC))
    return ExportContents(
        kind="garmin", activities=activities, shoes=[], skipped=skipped, garmin_summaries=summaries
    )


def _read_summaries(member: Member, skipped: list[tuple[str, str]]) -> list[ExportActivity]:
    try:
        document = json.loads(_text(member.read()))
    except ValueError as exc:
        skipped.append((member.path, f"unreadable JSON ({exc})"))
        return []
    blocks = document if isinstance(document, list) else [document]
    entries: list[Any] = []
    for block in blocks:
        if isinstance(block, dict) and isinstance(block.get("summarizedActivitiesExport"), list):
            entries.extend(block["summarizedActivitiesExport"])
        elif isinstance(block, dict) and "activityId" in block:
            entries.append(block)
    summaries: list[ExportActivity] = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        activity_id = entry.get("activityId")
        where = f"{member.path} activity {activity_id}"
        if entry.get("parent") is True:
            # A multisport container: its legs arrive as their own entries. Not a failure.
            continue
        summary = _garmin_summary(entry, member.path)
        if summary is None:
            skipped.append((where, "no start time (startTimeGmt / beginTimestamp)"))
            continue
        summaries.append(summary)
    return summaries
