"""The kinds of record an export holds (issue 14): which model, which fields, how a record links to
others, and the natural key that tells whether a record is already present. Export, restore, the
schema and delete-all all read this one list, so a kind added here is in all four.

Values go out as plain JSON (times as ISO 8601 in UTC, days as YYYY-MM-DD, JSON fields with their keys
sorted, so SQLite and PostgreSQL's jsonb give the same bytes) and come back through `parse_value`,
which refuses anything a field cannot hold."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from backstride.storage.models import (
    Activity,
    DiaryEntry,
    Experiment,
    FormCheck,
    FormCheckImage,
    OutcomeActivity,
    OutcomeRating,
    OutcomeRatingItem,
    PlanItemDone,
    Profile,
    RmdqResponse,
    Shoe,
    SymptomCheck,
)

Row = dict[str, Any]
# A natural key: what makes a record the same record in another database (never its id).
Key = tuple[Any, ...]
# The keys of the kinds already read, by kind and by the record's id in the export.
ParentKeys = Mapping[str, Mapping[int, Key]]

IMAGE_FOLDER = "form-check-images"
IMAGE_FILE_FIELD = "file"  # the form-check image row's path of its PNG inside the zip


NOT_EXPORTED = frozenset({"owner", "role"})
# Bookkeeping for the caches (services.data_version), not the runner's data: a restore stamps "now".
NOT_EXPORTED_OF: dict[type[models.Model], frozenset[str]] = {
    Activity: frozenset({"updated_at"}),
    Shoe: frozenset({"updated_at"}),
}


@dataclass(frozen=True)
class Kind:
    name: str  # the file names: <name>.json and <name>.csv
    model: type[models.Model]
    description: str
    natural_key: str  # in words, for schema.json
    key: Callable[[Row, ParentKeys], Key]
    owner_path: str = "owner"  # the lookup from this model to the user who owns it
    links: dict[str, str] = field(default_factory=dict)  # foreign key attname -> kind it points at

    def fields(self) -> list[models.Field[Any, Any]]:
        """The exported fields: every stored column but the owner, the PNG bytes (a file of its own)
        and what the server decides about the account (its clinic role: a restore never sets it)."""
        return [
            f
            for f in self.model._meta.concrete_fields
            if f.name not in NOT_EXPORTED
            and f.name not in NOT_EXPORTED_OF.get(self.model, ())
            and not isinstance(f, models.BinaryField)
        ]

    def columns(self) -> list[str]:
        extra = [IMAGE_FILE_FIELD] if self.model is FormCheckImage else []
        return [f.attname for f in self.fields()] + extra


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _digest(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def _activity_key(row: Row, _parents: ParentKeys) -> Key:
    # The same identities the database's unique constraints use, so a restore never collides with them.
    if row["source_sha256"]:
        return ("file", row["source_sha256"], row["source_index"])
    if row["external_id"]:
        return ("export", row["external_id"], row["source_index"])
    return ("entered", row["start_time"], row["sport"], repr(row["distance_m"]))


def _parent(parents: ParentKeys, kind: str, record_id: Any) -> Key:
    return parents[kind][record_id] if record_id is not None else ()


KINDS: tuple[Kind, ...] = (
    Kind(
        "settings",
        Profile,
        "Your settings: country (for the emergency numbers) and units.",
        "one per person",
        lambda row, parents: ("settings",),
    ),
    Kind(
        "checks",
        SymptomCheck,
        "Every symptom check: your answers and the full report as it was shown.",
        "created_at and the answers",
        lambda row, parents: (row["created_at"], _digest(row["answers"])),
    ),
    Kind(
        "rmdq_responses",
        RmdqResponse,
        "Roland-Morris questionnaires: the statements ticked and the score.",
        "created_at and the statements ticked",
        lambda row, parents: (row["created_at"], _digest(row["ticked"])),
    ),
    Kind("shoes", Shoe, "Your shoes and their km settings.", "name", lambda row, parents: (row["name"],)),
    Kind(
        "activities",
        Activity,
        "Runs and other activities: the summary, the downsampled stream and the source file's SHA-256.",
        "source_sha256 and source_index; else external_id and source_index; else start_time, sport "
        "and distance_m",
        _activity_key,
        links={"shoe_id": "shoes"},
    ),
    Kind(
        "diary_days",
        DiaryEntry,
        "Diary check-ins, one per day: pain, the run's pain ratings, notes, safety answers.",
        "day",
        lambda row, parents: (row["day"],),
    ),
    Kind(
        "plan_ticks",
        PlanItemDone,
        "Plan items ticked off, by day.",
        "day and item_key",
        lambda row, parents: (row["day"], row["item_key"]),
    ),
    Kind(
        "form_checks",
        FormCheck,
        "Running-form checks from videos: the analysis with its numbers (the videos are not included).",
        "created_at, video_sha256 and filename",
        lambda row, parents: (row["created_at"], row["video_sha256"], row["filename"]),
    ),
    Kind(
        "form_check_images",
        FormCheckImage,
        f"The key frames of form checks; each picture is a PNG file under {IMAGE_FOLDER}/.",
        "the form check, kind and frame",
        lambda row, parents: (
            _parent(parents, "form_checks", row["form_check_id"]),
            row["kind"],
            row["frame"],
        ),
        owner_path="form_check__owner",
        links={"form_check_id": "form_checks"},
    ),
    Kind(
        "outcome_activities",
        OutcomeActivity,
        'The activities you named for "My activities".',
        "name, position and created_at",
        lambda row, parents: (row["name"], row["position"], row["created_at"]),
    ),
    Kind(
        "outcome_ratings",
        OutcomeRating,
        "Each time you rated your activities: their mean and your global rating of change.",
        "created_at and source",
        lambda row, parents: (row["created_at"], row["source"]),
        links={"symptom_check_id": "checks"},
    ),
    Kind(
        "outcome_rating_items",
        OutcomeRatingItem,
        "One activity's 0-10 rating within a rating.",
        "the rating and the activity",
        lambda row, parents: (
            _parent(parents, "outcome_ratings", row["rating_id"]),
            _parent(parents, "outcome_activities", row["activity_id"]),
        ),
        owner_path="rating__owner",
        links={"rating_id": "outcome_ratings", "activity_id": "outcome_activities"},
    ),
    Kind(
        "experiments",
        Experiment,
        "Two-week experiments: what you changed, from which day, and an early stop.",
        "kind and start",
        lambda row, parents: (row["kind"], row["start"]),
    ),
)
KIND_BY_NAME = {kind.name: kind for kind in KINDS}


def sorted_json(value: Any) -> Any:
    """A JSON value with every object's keys in order: jsonb (PostgreSQL) reorders them, SQLite keeps
    them as written; sorted, both export the same bytes."""
    if isinstance(value, dict):
        return {key: sorted_json(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [sorted_json(item) for item in value]
    return value


def export_value(model_field: models.Field[Any, Any], value: Any) -> Any:
    """A stored value as it goes into the export's JSON."""
    if value is None:
        return None
    if isinstance(model_field, models.DateTimeField):
        return value.isoformat()
    if isinstance(model_field, models.DateField):
        return value.isoformat()
    if isinstance(model_field, models.JSONField):
        return sorted_json(value)
    return value


def export_row(kind: Kind, record: models.Model) -> Row:
    return {f.attname: export_value(f, getattr(record, f.attname)) for f in kind.fields()}


class BadValue(ValueError):
    """A value a field cannot hold; the message says which value and why, in words."""


def parse_value(model_field: models.Field[Any, Any], value: Any) -> Any:
    """An exported value back as the field's Python value; BadValue when it cannot be one."""
    if value is None:
        if model_field.null or isinstance(model_field, models.JSONField):  # a JSON field may hold null
            return None
        raise BadValue("is empty, but this field needs a value")
    parsed = _typed(model_field, value)
    if model_field.choices and parsed not in {choice for choice, _ in model_field.flatchoices}:
        raise BadValue(f"{str(value)[:40]!r} is not one of the values this field takes")
    try:
        model_field.run_validators(parsed)
    except ValidationError as error:
        raise BadValue("; ".join(error.messages)) from None
    return parsed


def _typed(model_field: models.Field[Any, Any], value: Any) -> Any:
    if isinstance(model_field, models.JSONField):
        return value
    if isinstance(model_field, models.BooleanField):
        if not isinstance(value, bool):
            raise BadValue("must be true or false")
        return value
    if isinstance(model_field, models.IntegerField | models.AutoField | models.ForeignKey):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadValue("must be a whole number")
        return value
    if isinstance(model_field, models.FloatField):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise BadValue("must be a number")
        return float(value)
    if isinstance(model_field, models.DateTimeField):
        moment = _parsed(datetime.fromisoformat, value, "a date and time (ISO 8601)")
        if moment.tzinfo is None:
            raise BadValue("must say its time zone (UTC: +00:00)")
        return moment
    if isinstance(model_field, models.DateField):
        return _parsed(date.fromisoformat, value, "a day (YYYY-MM-DD)")
    if not isinstance(value, str):
        raise BadValue("must be text")
    if "\x00" in value:
        raise BadValue("holds a NUL character")
    return value


def _parsed(parse: Callable[[str], Any], value: Any, what: str) -> Any:
    if not isinstance(value, str):
        raise BadValue(f"must be {what}")
    try:
        return parse(value)
    except ValueError:
        raise BadValue(f"{value[:40]!r} is not {what}") from None
