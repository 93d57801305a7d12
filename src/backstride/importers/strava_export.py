"""Strava bulk export (spec activity.md 3.1): activities.csv joined to files through Filename,
headers mapped by name (English or German), shoes.csv."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

from backstride.importers.archive import Member
from backstride.importers.export_model import (
    ON_FOOT,
    STRAVA_INDEX,
    ExportActivity,
    ExportContents,
    ExportError,
    ExportShoe,
    decode_text,
    members_of,
    number_or_none,
    top_level,
)

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
        return number_or_none(self.get(header, occurrence))


def _clean_name(name: str) -> str:
    name = name.strip().replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name.lstrip("/")


def read_strava_export(source: Path | list[Member]) -> ExportContents:
    """A Strava bulk export, from its unpacked folder, its zip, or the members of its zip."""
    skipped: list[tuple[str, str]] = []
    members = members_of(source, skipped)
    top = top_level(members)
    index = next((member for member in top if STRAVA_INDEX.match(member.name)), None)
    if index is None:
        raise ExportError("no activities.csv found: this is not a Strava export (or it was re-packed)")
    prefix = index.name[: -len("activities.csv")]
    by_name = {member.name: member for member in top}

    rows = list(csv.reader(io.StringIO(decode_text(index.read()), newline="")))
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
            elapsed_time_s=number_or_none(row.last("Elapsed Time")),
            elevation_gain_m=row.num("Elevation Gain"),
            elevation_loss_m=row.num("Elevation Loss"),
            avg_hr_bpm=row.num("Average Heart Rate"),
            # Strava writes the device's per-leg cadence for foot sports: x2 for steps/min. A bike's
            # cadence is revolutions/min, not steps: left out.
            avg_cadence_spm=cadence * 2 if cadence is not None and sport in ON_FOOT else None,
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
    rows = list(csv.reader(io.StringIO(decode_text(member.read()), newline="")))
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
