"""Runs entered by hand, and RPE added later (the next morning is fine: Foster et al. 2021)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db import transaction

from backstride.config import run_day
from backstride.core.runs import InvalidRun, ManualRun, validate_rpe, validate_run
from backstride.storage.models import Activity, Shoe

from .errors import BadRun, NotFound
from .undo import Removed, rows_of


def day_of(activity: Activity) -> date:
    """The calendar day of a stored run (config.run_day)."""
    return run_day(activity.start_time, activity.utc_offset_s, activity.source_format)


def log_run(user: User, raw: Mapping[str, object], today: date) -> Activity:
    try:
        run = validate_run(raw, today)
    except InvalidRun as error:
        raise BadRun(error.problems) from error
    with transaction.atomic():
        shoe = _shoe(user, run)
        return Activity.objects.create(
            owner=user,
            # A day without a time of day: noon UTC keeps it on the same calendar day everywhere.
            start_time=datetime.combine(run.day, time(12, 0), tzinfo=UTC),
            sport="running",
            sub_sport="treadmill" if run.indoor else "",
            indoor=run.indoor,
            distance_m=run.distance_km * 1000,
            moving_time_s=run.duration_min * 60,
            elapsed_time_s=run.duration_min * 60,
            rpe=run.rpe,
            shoe=shoe,
            gear_name=shoe.name if shoe else "",
            terrain=run.terrain or "",
            surface=run.surface or "",
            source_format="manual",
            source_file="entered by hand",
        )


def _shoe(user: User, run: ManualRun) -> Shoe | None:
    if run.shoe:
        shoe = Shoe.objects.filter(owner=user, name=run.shoe).first()
        if shoe is None:
            raise BadRun([("shoe", f"no shoe named {run.shoe!r}: `backstride shoes` lists them")])
        return shoe
    return Shoe.objects.filter(owner=user, is_default=True, retired__isnull=True).first()


def get_activity(user: User, activity_id: int) -> Activity:
    """One of the runner's activities (its samples too); NotFound for anyone else's or none."""
    activity = Activity.objects.filter(owner=user, id=activity_id).select_related("shoe").first()
    if activity is None:
        raise NotFound(f"no activity #{activity_id}: `backstride activities` lists them")
    return activity


def get_manual_run(user: User, activity_id: int) -> Activity:
    """A run entered by hand (the only kind that can be edited); NotFound otherwise."""
    activity = get_activity(user, activity_id)
    if activity.source_format != "manual":
        raise NotFound(f"no run entered by hand with #{activity_id}")
    return activity


def activity_page(user: User, page_number: int | str | None, per_page: int) -> Page:
    """One page of the runner's activities, newest first (as list_activities orders them), without
    their samples."""
    activities = Activity.objects.filter(owner=user).select_related("shoe").defer("stream")
    return Paginator(activities, per_page).get_page(page_number)


def set_rpe(user: User, activity_id: int, value: object) -> Activity:
    try:
        rpe = validate_rpe(value)
    except InvalidRun as error:
        raise BadRun(error.problems) from error
    updated = Activity.objects.filter(owner=user, id=activity_id).update(rpe=rpe)
    if not updated:
        raise NotFound(f"no activity #{activity_id}: `backstride activities` lists them")
    return Activity.objects.get(owner=user, id=activity_id)


def delete_activity(user: User, activity_id: int) -> Removed[Activity]:
    """Delete a run. Load, spikes, shoe km and run-today are computed from what is stored, so they
    follow at once. Returns what was removed, so that it can be put back (services.undo)."""
    with transaction.atomic():
        activity = Activity.objects.filter(owner=user, id=activity_id).first()
        if activity is None:
            raise NotFound(f"no activity #{activity_id}: `backstride activities` lists them")
        rows = rows_of([activity])
        activity.delete()
    return Removed(activity, rows)


def edit_run(user: User, activity_id: int, raw: Mapping[str, object], today: date) -> Activity:
    """Change a run entered by hand (imported runs keep their file's figures). Fields not given keep
    their value; everything that depends on the run (load, shoe km, spikes) is computed from it."""
    activity = Activity.objects.filter(owner=user, id=activity_id).first()
    if activity is None:
        raise NotFound(f"no activity #{activity_id}: `backstride activities` lists them")
    if activity.source_format != "manual":
        raise BadRun([("activity", "only runs entered by hand can be edited")])
    current: dict[str, object] = {
        "day": day_of(activity).isoformat(),
        "distance_km": (activity.distance_m or 0) / 1000,
        "duration_min": (activity.moving_time_s or 0) / 60,
        "terrain": activity.terrain or None,
        "surface": activity.surface or None,
        "rpe": activity.rpe,
        "shoe": activity.shoe.name if activity.shoe else None,
    }
    # None = not given (keep); "" = cleared on the form (terrain, surface, RPE, shoe can be emptied).
    merged = {**current, **{key: value for key, value in raw.items() if value is not None}}
    try:
        run = validate_run(merged, today)
    except InvalidRun as error:
        raise BadRun(error.problems) from error
    with transaction.atomic():
        activity.start_time = datetime.combine(run.day, time(12, 0), tzinfo=UTC)
        activity.distance_m = run.distance_km * 1000
        activity.moving_time_s = activity.elapsed_time_s = run.duration_min * 60
        activity.terrain, activity.surface, activity.rpe = run.terrain or "", run.surface or "", run.rpe
        activity.indoor = run.indoor
        activity.sub_sport = "treadmill" if run.indoor else ""
        activity.shoe = _shoe(user, run) if run.shoe else None
        activity.gear_name = activity.shoe.name if activity.shoe else ""
        activity.save()
    return activity
