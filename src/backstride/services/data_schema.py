"""schema.json of an export: every field of every kind, made from the Django models themselves (type,
whether it may be empty, its length limit or choices) with a short description: the model's help_text
or the comment beside the field in storage/models.py, else a note kept here."""

from __future__ import annotations

import inspect
import re
from functools import cache
from typing import Any

from django.db import models

from .data_kinds import IMAGE_FILE_FIELD, IMAGE_FOLDER, KINDS, Kind

FORMAT = "backstride-export"
VERSION = 1

_FIELD_LINE = re.compile(r"^\s{4}(\w+) = models\.\w+\(")

# Fields every kind may have, described once.
COMMON_NOTES = {
    "id": "The record's id in the database it was exported from; other records of the export link to it. "
    "A restore gives records new ids and keeps the links.",
    "created_at": "When the record was made (ISO 8601, UTC).",
}
# Descriptions of fields the models do not comment, by kind then field.
NOTES: dict[str, dict[str, str]] = {
    "settings": {
        "country": "Your country as a two-letter code (for the emergency numbers); empty when not set.",
        "units": "How pages show distances and paces: km or mile (stored values stay in metres).",
    },
    "checks": {
        "report": "The full report as it was shown then (it stays as it was, even after the rules change).",
        "urgency_when": "How soon, when the urgency has a timing; empty when it has none.",
        "startback_total": "The STarT Back total score; empty when not asked.",
        "completed": "false when an emergency answer stopped the check early.",
        "answers": "Your answers, by question id, as given.",
        "engine_version": "The version of the rules that made the report.",
        "urgency": "How soon to seek care, as a code (the report says it in words).",
        "run_today": "Whether to run today: green, amber, red or none.",
        "likely_pattern": "The likely pattern of back pain, as a code.",
        "startback_risk": "STarT Back risk: low, medium, high or not_asked.",
        "pain_now": "Pain at the time of the check, 0-10.",
    },
    "rmdq_responses": {
        "ticked": "The numbers (1-24) of the statements ticked.",
        "score": "The Roland-Morris score: how many statements were ticked (0-24).",
    },
    "shoes": {
        "start_km": "Km the shoes had done before backstride saw them.",
        "replacement_km": "The km at which you are reminded to replace them (500-800 km is the convention).",
        "name": "The shoe's name (unique among your shoes).",
        "brand": "The maker, e.g. Asics.",
        "model": "The model, e.g. Novablast 4.",
        "bought": "The day they were bought.",
        "retired": "The day they were retired; empty while in use.",
        "is_default": "Whether new runs get these shoes.",
    },
    "activities": {
        "utc_offset_s": "The local time's offset from UTC in seconds, when the file gave it.",
        "terrain": "A run entered by hand: flat, hilly or uphill_heavy.",
        "surface": "A run entered by hand: road, track, trail, grass or treadmill.",
        "source_sha256": "SHA-256 of the imported file (decompressed): the same file twice is one import.",
        "source_index": "The activity's place in its file or export (0 for the first).",
        "start_time": "When it started (ISO 8601, UTC).",
        "sport": "running, walking, cycling ...",
        "sub_sport": "A finer kind, e.g. trail or treadmill, when the file says it.",
        "indoor": "Whether it was indoors (a treadmill).",
        "name": "The activity's name from its file or export.",
        "distance_m": "Distance in metres.",
        "moving_time_s": "Moving time in seconds.",
        "elapsed_time_s": "Elapsed time in seconds, pauses included.",
        "elevation_gain_m": "Metres climbed.",
        "elevation_loss_m": "Metres descended.",
        "uphill_share": "Share of the distance uphill (0-1).",
        "downhill_share": "Share of the distance downhill (0-1).",
        "avg_cadence_spm": "Average cadence, steps per minute.",
        "avg_hr_bpm": "Average heart rate, beats per minute.",
        "rpe": "How hard it felt, 0-10 (session RPE).",
        "gear_name": "The gear's name in the file or export.",
        "shoe_id": "The id (in this export's shoes) of the shoes worn; empty if none.",
        "source_format": "fit, gpx, tcx, strava ... or manual for a run entered by hand.",
        "source_file": "The file it was imported from, as named then.",
        "external_id": "The activity's id in the Strava or Garmin export it came from.",
        "partial": "Whether only part of the file could be read.",
        "partial_reason": "Why only part of the file could be read.",
        "stream": "The downsampled samples for the charts (time, distance, heart rate, cadence ...).",
    },
    "diary_days": {
        "socks_shoes_difficult": "Whether putting on socks and shoes was hard that morning.",
        "red_flags": "The repeated safety questions: question id -> your answer.",
        "escalation": "How soon to seek care, when that day's safety answers called for it (a code).",
        "escalation_cleared": "Whether a later full symptom check cleared that escalation.",
        "day": "The day of the check-in.",
        "pain_now": "Pain that day, 0-10.",
        "locations": "Where it hurt.",
        "stiffness": "Morning stiffness, 0-10.",
        "sitting_hours": "Hours spent sitting.",
        "sleep_hours": "Hours slept.",
        "note": "Your own note (private).",
        "ran": "Whether you ran that day.",
        "pain_before_run": "Pain before the run, 0-10.",
        "pain_during_run": "Pain during the run, 0-10.",
        "pain_after_run": "Pain after the run, 0-10.",
        "pain_next_morning": "Pain the next morning, 0-10.",
        "exercises_done": "Whether the exercises were done.",
        "escalation_rules": "The ids of the rules that escalated.",
        "updated_at": "When the day was last changed (ISO 8601, UTC).",
    },
    "plan_ticks": {
        "item_key": "Which plan item was done (its id in the plan).",
        "step_key": "The strength slot whose dose the tick moves on; empty for other items.",
        "title": "The item's name as it was planned.",
        "dose": "The dose as it was planned, e.g. 3 x 10.",
        "day": "The day the item was done.",
        "done_at": "When it was ticked (ISO 8601, UTC).",
    },
    "form_checks": {
        "progress": "How far the analysis had got, 0-1.",
        "filename": "The clip's file name as uploaded.",
        "view": "Where it was filmed from: side or rear.",
        "roi": "The box you drew around the runner: [x0, y0, x1, y1] in video pixels.",
        "video_path": "Where the clip was kept on the machine exported from; empty once deleted.",
        "video_sha256": "SHA-256 of the clip.",
        "medians": "Each metric's median over the clip, for comparing later clips.",
        "status": "queued, running, done or failed.",
        "result": "The analysis: metrics (step rate, overstride, trunk and neck ...), steps and findings.",
        "message": "Why the check failed, in words.",
        "error_code": "Why the check failed, as a code.",
    },
    "form_check_images": {
        "kind": "selection (the runner picked in a frame) or contact (a foot strike with the skeleton).",
        "form_check_id": "The id (in this export's form checks) of the check the picture belongs to.",
        "frame": "The video frame it shows.",
        "caption": "What the picture shows, in words.",
        IMAGE_FILE_FIELD: f"The PNG's path inside the zip, under {IMAGE_FOLDER}/.",
    },
    "outcome_activities": {
        "position": "The order they are asked in, 1-3.",
        "retired_at": "When it was replaced; empty while it is one of the current ones.",
        "name": "The activity as you named it.",
    },
    "outcome_ratings": {
        "global_change": "Your global rating of change; empty when not asked or not answered.",
        "source": "Where it was asked: check, diary, cli or web.",
        "mean": "The mean of the activities' ratings.",
        "symptom_check_id": "The id (in this export's checks) of the check it was given with; empty if none.",
    },
    "outcome_rating_items": {
        "rating_id": "The id (in this export's outcome ratings) of the rating it belongs to.",
        "activity_id": "The id (in this export's outcome activities) of the activity rated.",
        "value": "The rating, 0-10.",
    },
    "experiments": {
        "kind": "What was changed: no_hills, switch_shoes, break_up_sitting, shorter_long_run or "
        "rest_day_after_long_run.",
        "param": "The experiment's setting: a limit in its unit, or the shoes' name for switch_shoes.",
        "start": "The first of its 14 days.",
        "stopped_on": "The last day counted when stopped early; empty otherwise.",
    },
}
NOT_INCLUDED = [
    "Form-check videos: only their SHA-256 and file name (they are large; keep the clips yourself).",
    "Import jobs: the progress of past imports (the activities they made are included).",
    "Your account itself (local mode has one runner, made on first use) and the app's secret key.",
]


@cache
def _model_comments(model: type[models.Model]) -> dict[str, str]:
    """Field name -> the comment beside it in the model's source, or the comment lines just above it."""
    try:
        lines = inspect.getsource(model).splitlines()
    except (OSError, TypeError):  # no source shipped: the notes here still describe every field
        return {}
    comments: dict[str, str] = {}
    above: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            above.append(stripped.lstrip("# "))
            continue
        match = _FIELD_LINE.match(line)
        if match:
            _, _, beside = line.partition("  # ")
            text = beside.strip() or " ".join(above)
            if text:
                comments[match.group(1)] = text
        above = []
    return comments


def describe(kind: Kind, key: str, model_field: models.Field[Any, Any] | None) -> str:
    note = NOTES.get(kind.name, {}).get(key) or COMMON_NOTES.get(key)
    if model_field is not None and model_field.help_text:
        return str(model_field.help_text)
    return note or _model_comments(kind.model).get(key.removesuffix("_id"), "")


def _type(model_field: models.Field[Any, Any]) -> str:
    if isinstance(model_field, models.ForeignKey):
        return "id (a record of this export)"
    if isinstance(model_field, models.BooleanField):
        return "boolean"
    if isinstance(model_field, models.IntegerField):
        return "integer"
    if isinstance(model_field, models.FloatField):
        return "number"
    if isinstance(model_field, models.DateTimeField):
        return "date-time (ISO 8601, UTC)"
    if isinstance(model_field, models.DateField):
        return "date (YYYY-MM-DD)"
    if isinstance(model_field, models.JSONField):
        return "JSON (in the CSV: JSON text)"
    return "text"


def _field_entry(kind: Kind, model_field: models.Field[Any, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "type": _type(model_field),
        "may_be_empty": bool(model_field.null),
        "description": describe(kind, model_field.attname, model_field),
    }
    if getattr(model_field, "max_length", None) and isinstance(model_field, models.CharField):
        entry["max_length"] = model_field.max_length
    if model_field.choices:
        entry["choices"] = [choice for choice, _ in model_field.flatchoices]
    return entry


def schema() -> dict[str, Any]:
    """The whole schema.json."""
    kinds: dict[str, Any] = {}
    for kind in KINDS:
        fields = {f.attname: _field_entry(kind, f) for f in kind.fields()}
        if IMAGE_FILE_FIELD in kind.columns():
            fields[IMAGE_FILE_FIELD] = {
                "type": "text (a path inside the zip)",
                "may_be_empty": False,
                "description": describe(kind, IMAGE_FILE_FIELD, None),
            }
        kinds[kind.name] = {
            "description": kind.description,
            "json_file": f"{kind.name}.json",
            "csv_file": f"{kind.name}.csv",
            "same_record_when": kind.natural_key,
            "fields": fields,
        }
    return {
        "format": FORMAT,
        "version": VERSION,
        "about": "A backstride export: one JSON file per kind of record (a list of objects, the fields "
        "below), the same as CSV for spreadsheets (JSON fields as JSON text; a text starting with = + - "
        "or @ gets a leading ' so no spreadsheet runs it as a formula), the form checks' pictures under "
        f"{IMAGE_FOLDER}/, and manifest.json (counts, and the SHA-256 of every file). `backstride "
        "restore` reads the JSON files only.",
        "kinds": kinds,
        "not_included": NOT_INCLUDED,
    }
