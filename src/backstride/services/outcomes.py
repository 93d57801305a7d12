"""Follow-up outcome measures (spec K.8): name "My activities", rate them, answer the global rating
of change, and read them back over time with the change against the first rating.

Each write is one transaction and stores nothing when any answer is wrong."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from backstride.config import local_day, local_time
from backstride.core import outcomes, rmdq
from backstride.core.problems import Problem
from backstride.storage.models import OutcomeActivity, OutcomeRating, OutcomeRatingItem, SymptomCheck

from .errors import BadRatings, NotFound
from .outcome_types import (
    ActivitySeries,
    ChangeFields,
    OutcomeHistory,
    OutcomesReport,
    RatingDueFields,
    RatingRow,
    RmdqThreshold,
)
from .rmdq import rmdq_history

T = TypeVar("T")

# Roland-Morris is shown beside My activities, with its own threshold (spec C.2, Ostelo 2008).
RMDQ_THRESHOLD: RmdqThreshold = {
    "points": rmdq.MIC_POINTS,
    "percent": rmdq.MIC_PERCENT,
    "source": "Ostelo et al. 2008",
    "text": (
        f"Lower is better. A drop of {rmdq.MIC_POINTS} points, or {rmdq.MIC_PERCENT}% of your first score, "
        "is a real improvement (Ostelo 2008)."
    ),
}


def _checked(problems: list[Problem], validate: Callable[[Any], T], value: object) -> T | None:
    """Run a core validator, adding its problems to ``problems`` (so every one is reported at once)."""
    try:
        return validate(value)
    except outcomes.InvalidOutcome as error:
        problems.extend(error.problems)
        return None


# --- the checks that decide what is asked ---------------------------------------------------------


def completed_checks(user: User) -> int:
    return SymptomCheck.objects.filter(owner=user, completed=True).count()


def is_first_check(user: User) -> bool:
    """True until a second full check is saved (the one just saved counts)."""
    return completed_checks(user) <= 1


def global_change_applies(user: User, check_id: int | None = None) -> bool:
    """The global rating of change compares with the first check, so it is asked from the second full
    check on: after the check ``check_id`` when given, else once two full checks are saved."""
    if check_id is None:
        return completed_checks(user) >= 2
    check = SymptomCheck.objects.filter(owner=user, id=check_id, completed=True).first()
    if check is None:
        return False
    return SymptomCheck.objects.filter(owner=user, completed=True, created_at__lt=check.created_at).exists()


def completed_check(user: User, check_id: int) -> SymptomCheck:
    """The runner's own completed check; NotFound for another's, a missing or an emergency-stopped one."""
    check = SymptomCheck.objects.filter(owner=user, id=check_id, completed=True).first()
    if check is None:
        raise NotFound(f"no completed check with id {check_id}: `backstride history` lists them")
    return check


def latest_completed_check_on(user: User, today: date) -> SymptomCheck | None:
    """The runner's newest check when it is completed and from ``today``; None after an emergency stop."""
    latest = SymptomCheck.objects.filter(owner=user).order_by("-created_at", "-id").first()
    if latest is None or not latest.completed or local_day(latest.created_at) != today:
        return None
    return latest


# --- activities -------------------------------------------------------------------------------------


def current_activities(user: User) -> list[OutcomeActivity]:
    return list(
        OutcomeActivity.objects.filter(owner=user, retired_at__isnull=True).order_by("position", "id")
    )


def _continued(name: str, explicit: int | None, current: Sequence[OutcomeActivity]) -> OutcomeActivity | None:
    """The current activity a name carries on: the one chosen (a rename), else one with the same name."""
    if explicit is not None:
        return next((activity for activity in current if activity.id == explicit), None)
    return next((activity for activity in current if outcomes.same_name(activity.name, name)), None)


def _unknown_continuations(
    continuing: Mapping[int, int], current: Sequence[OutcomeActivity]
) -> list[Problem]:
    ids = {activity.id for activity in current}
    return [
        Problem(
            outcomes.name_field(position),
            "is no longer one of your activities: reload the page and try again",
        )
        for position, activity_id in continuing.items()
        if activity_id not in ids
    ]


def _apply_names(
    user: User, names: Sequence[str], continuing: Mapping[int, int], current: Sequence[OutcomeActivity]
) -> None:
    """Make ``names`` the current activities: a name continuing an activity keeps its series (and may
    rename it); any other is a new series; current activities left out are retired with their history."""
    now = timezone.now()
    kept: set[int] = set()
    for position, name in enumerate(names, start=1):
        activity = _continued(name, continuing.get(position), current)
        if activity is None or activity.id in kept:
            OutcomeActivity.objects.create(owner=user, name=name, position=position, created_at=now)
            continue
        kept.add(activity.id)
        activity.name, activity.position = name, position
        activity.save(update_fields=["name", "position"])
    OutcomeActivity.objects.filter(id__in=[a.id for a in current if a.id not in kept]).update(retired_at=now)


def set_activities(
    user: User, names: Sequence[object], continuing: Mapping[int, int] | None = None
) -> list[OutcomeActivity]:
    """Name (or change) the activities. ``continuing`` maps a position in ``names`` (1-3) to the id of
    the current activity it renames, keeping its ratings; a name equal to a current one keeps it
    anyway. Every other name starts a new series and the activities left out are retired."""
    continuing = continuing or {}
    problems: list[Problem] = []
    cleaned = _checked(problems, outcomes.validate_names, list(names))
    with transaction.atomic():
        current = current_activities(user)
        problems += _unknown_continuations(continuing, current)
        if problems or cleaned is None:
            raise BadRatings(problems)
        _apply_names(user, cleaned, continuing, current)
        return current_activities(user)


def rename_activity(user: User, old_name: str, new_name: str) -> list[OutcomeActivity]:
    """The same activity with a clearer name: its ratings stay with it."""
    with transaction.atomic():
        current = current_activities(user)
        position = next(
            (number for number, a in enumerate(current, start=1) if outcomes.same_name(a.name, old_name)),
            None,
        )
        if position is None:
            listed = ", ".join(f"'{activity.name}'" for activity in current) or "none yet"
            raise BadRatings(
                [
                    Problem(
                        "activity",
                        f"'{outcomes.clean_name(old_name)}' is not one of your activities ({listed})",
                    )
                ]
            )
        names = [new_name if number == position else a.name for number, a in enumerate(current, start=1)]
        return set_activities(user, names, {position: current[position - 1].id})


# --- ratings ----------------------------------------------------------------------------------------


def _check_problems(user: User, check_id: int | None) -> list[Problem]:
    if check_id is None:
        return []
    check = SymptomCheck.objects.filter(owner=user, id=check_id).first()
    if check is None:
        return [Problem("check", "is not one of your saved checks: rate from a check's result page")]
    if not check.completed:
        return [
            Problem("check", "stopped early for your safety: rate your activities after a completed check")
        ]
    return []


def _global_change_problems(user: User, answer: str | None, check_id: int | None) -> list[Problem]:
    if answer is None or global_change_applies(user, check_id):
        return []
    return [
        Problem(
            "global_change",
            "compares with your first symptom check, so it is asked from your second full check on: "
            "leave it out this time",
        )
    ]


def record_rating(
    user: User,
    pairs: Sequence[tuple[object, object]],
    *,
    source: str,
    global_change: object = None,
    check_id: int | None = None,
    replace: bool = False,
) -> RatingRow:
    """Rate the activities ((name, 0-10) pairs), in one transaction. The first time, the names become
    the activities; later they must be the current ones, unless ``replace`` makes them the new list
    (names already there keep their series). Returns the rating as `history` shows it."""
    problems: list[Problem] = []
    rated = _checked(problems, outcomes.validate_ratings, list(pairs))
    answer = _checked(problems, outcomes.validate_global_change, global_change)
    _checked(problems, outcomes.validate_source, source)
    with transaction.atomic():
        problems += _check_problems(user, check_id)
        problems += _global_change_problems(user, answer, check_id)
        current = current_activities(user)
        if rated is not None and current and not replace:
            problems += outcomes.rated_against_current([name for name, _ in rated], [a.name for a in current])
        if problems or rated is None:
            raise BadRatings(problems)
        if not current or replace:
            _apply_names(user, [name for name, _ in rated], {}, current)
        rating = _store_rating(user, rated, source, answer, check_id)
    return next(row for row in history(user)["ratings"] if row["id"] == rating.id)


def _store_rating(
    user: User, rated: Sequence[tuple[str, int]], source: str, answer: str | None, check_id: int | None
) -> OutcomeRating:
    activities = current_activities(user)
    rating = OutcomeRating.objects.create(
        owner=user,
        source=source,
        mean=outcomes.mean_of([value for _, value in rated]),
        global_change=answer or "",
        symptom_check_id=check_id,
    )
    OutcomeRatingItem.objects.bulk_create(
        OutcomeRatingItem(
            rating=rating,
            activity=next(a for a in activities if outcomes.same_name(a.name, name)),
            value=value,
        )
        for name, value in rated
    )
    return rating


# --- reading them back ------------------------------------------------------------------------------


def _change_fields(change: outcomes.Change | None) -> ChangeFields:
    if change is None:
        return {"change_from_first": None, "real_change": None, "direction": None}
    return {"change_from_first": change.points, "real_change": change.is_real, "direction": change.direction}


def _rating_row(rating: OutcomeRating, comparison: outcomes.Comparison) -> RatingRow:
    items = list(rating.items.all())
    mean = comparison.mean
    return {
        "id": rating.id,
        "created_at": local_time(rating.created_at).isoformat(),
        "source": rating.source,
        "check_id": rating.symptom_check_id,
        "mean": round(rating.mean, 2),
        **_change_fields(mean),
        "message": mean.message()
        if mean
        else "Your first rating of these activities: later ones are compared with it.",
        "activities": [
            {
                "activity_id": item.activity_id,
                "name": item.activity.name,
                "rating": item.value,
                **_change_fields(comparison.activities[item.activity_id]),
            }
            for item in items
        ],
        "global_change": rating.global_change or None,
        "global_change_text": outcomes.GLOBAL_CHANGE_LABELS.get(rating.global_change),
    }


def _activity_row(activity: OutcomeActivity, series: list[tuple[str, int]]) -> ActivitySeries:
    change = outcomes.change_in_activity(series[0][1], series[-1][1]) if len(series) > 1 else None
    return {
        "id": activity.id,
        "name": activity.name,
        "current": activity.retired_at is None,
        "ratings": [{"created_at": when, "rating": value} for when, value in series],
        "first_rating": series[0][1] if series else None,
        "latest_rating": series[-1][1] if series else None,
        **_change_fields(change),
        "message": change.message(f"rating for '{activity.name}'") if change else None,
    }


def history(user: User) -> OutcomeHistory:
    """Every rating oldest first with its change since the first, each activity's own series, the
    global change answers and the thresholds, in plain words."""
    ratings = list(
        OutcomeRating.objects.filter(owner=user)
        .order_by("created_at", "id")
        .prefetch_related("items__activity")
    )
    comparisons = outcomes.compare_with_first(
        [{item.activity_id: item.value for item in rating.items.all()} for rating in ratings]
    )
    rows = [_rating_row(rating, comparison) for rating, comparison in zip(ratings, comparisons, strict=True)]
    series: dict[int, list[tuple[str, int]]] = {}
    for row in rows:
        for item in row["activities"]:
            series.setdefault(item["activity_id"], []).append((row["created_at"], item["rating"]))
    activities = sorted(
        OutcomeActivity.objects.filter(owner=user), key=lambda a: (a.retired_at is not None, a.position, a.id)
    )
    return {
        "activities": [_activity_row(activity, series.get(activity.id, [])) for activity in activities],
        "ratings": rows,
        "global_change": [
            {
                "created_at": row["created_at"],
                "answer": row["global_change"],
                "text": row["global_change_text"],
            }
            for row in rows
            if row["global_change"]
        ],
        "thresholds": {
            "mean": outcomes.REAL_CHANGE_MEAN,
            "single_activity": outcomes.REAL_CHANGE_ONE_ACTIVITY,
            "source": outcomes.THRESHOLD_SOURCE,
            "text": outcomes.THRESHOLD_TEXT,
        },
    }


# --- when to ask again ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingDue:
    is_due: bool
    last_rated_on: date | None
    due_on: date | None  # None before the first rating (that one is asked with a check)

    def as_dict(self) -> RatingDueFields:
        return {
            "rerating_due": self.is_due,
            "last_rated_on": self.last_rated_on.isoformat() if self.last_rated_on else None,
            "next_rating_due": self.due_on.isoformat() if self.due_on else None,
        }


def due(user: User, today: date) -> RatingDue:
    """Whether a re-rating is due on ``today`` (the last one 14 or more days before). One query."""
    last = (
        OutcomeRating.objects.filter(owner=user)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    last_day = local_day(last) if last is not None else None
    return RatingDue(
        is_due=outcomes.is_rerating_due(last_day, today),
        last_rated_on=last_day,
        due_on=outcomes.rerating_due_on(last_day),
    )


def report(user: User, today: date) -> OutcomesReport:
    """My activities and the global change (`history`), Roland-Morris beside them with its threshold,
    and when to rate again: what `backstride outcomes --format json` prints."""
    return {
        **history(user),
        "rmdq": rmdq_history(user),
        "rmdq_threshold": RMDQ_THRESHOLD,
        **due(user, today).as_dict(),
    }
