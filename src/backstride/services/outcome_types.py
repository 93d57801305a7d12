"""The shapes services.outcomes returns: `backstride outcomes --format json` prints them (a public
contract) and the outcomes and history pages and their chart read them by key."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from .rmdq import RmdqRow


class ChangeFields(TypedDict):
    """A rating against the first one; all None for the first rating itself."""

    change_from_first: float | None  # points, higher is better
    real_change: bool | None  # at least the threshold (thresholds below)
    direction: str | None  # "better", "worse" or "within_variation"


class RatedActivity(ChangeFields):
    """One activity's rating within a rating."""

    activity_id: int
    name: str
    rating: int  # 0-10


class RatingRow(ChangeFields):
    """One rating (the mean's change is in the ChangeFields)."""

    id: int
    created_at: str  # local ISO 8601
    source: str  # "cli", "web", "check" or "diary"
    check_id: int | None  # the symptom check it was asked with
    mean: float
    message: str
    activities: list[RatedActivity]
    global_change: str | None  # core.outcomes.GLOBAL_CHANGE_CODES
    global_change_text: str | None


class SeriesPoint(TypedDict):
    created_at: str
    rating: int


class ActivitySeries(ChangeFields):
    """One activity over time (the change is the latest rating's against its first)."""

    id: int
    name: str
    current: bool  # False once retired from the list
    ratings: list[SeriesPoint]
    first_rating: int | None
    latest_rating: int | None
    message: str | None


class GlobalChangeAnswer(TypedDict):
    created_at: str
    answer: str
    text: str | None


class Thresholds(TypedDict):
    mean: int  # points of the average that are a real change
    single_activity: int
    source: str
    text: str


class OutcomeHistory(TypedDict):
    activities: list[ActivitySeries]  # current first
    ratings: list[RatingRow]  # oldest first
    global_change: list[GlobalChangeAnswer]
    thresholds: Thresholds


class RmdqThreshold(TypedDict):
    points: int
    percent: int
    source: str
    text: str


class RatingDueFields(TypedDict):
    rerating_due: bool
    last_rated_on: str | None  # ISO dates
    next_rating_due: str | None


class OutcomesReport(OutcomeHistory, RatingDueFields):
    """What `backstride outcomes --format json` prints (keys in the order: history, rmdq, due)."""

    rmdq: list[RmdqRow]
    rmdq_threshold: RmdqThreshold
