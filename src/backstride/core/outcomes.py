"""Follow-up outcome measures (spec clinical.md K.8): "My activities" and the global rating of change.

My activities follows the idea of the Patient-Specific Functional Scale (Stratford et al. 1995,
Physiotherapy Canada 47:258), in our own words: the runner names up to three activities their back
pain makes hard and rates each from 0 (can't do it) to 10 (as well as before the pain). The score is
the mean. A change of 2 points in the mean, or 3 for a single activity, is a real change (Stratford
1995); anything smaller is within day-to-day variation.

The global rating of change is a generic 7-point question with no owner.

Pure: no clock (``today`` is a parameter), no storage. Activities are told apart by a key the caller
chooses (a database id in the app), so renaming one keeps its series.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .inputs import InvalidValue, parse_whole, shown
from .problems import InvalidInput, Problem
from .text import clean_text

MAX_ACTIVITIES = 3
MAX_NAME_LENGTH = 80
RATING_MIN, RATING_MAX = 0, 10
SUGGESTIONS: tuple[str, ...] = ("run 5 km", "sit through a meeting", "lift my child")

# Stratford 1995: the smallest change beyond day-to-day variation (spec C.3).
REAL_CHANGE_MEAN = 2
REAL_CHANGE_ONE_ACTIVITY = 3
THRESHOLD_SOURCE = "Stratford et al. 1995"
THRESHOLD_TEXT = (
    "A change of 2 points in the average, or 3 points for one activity, is a real change "
    "(Stratford 1995); smaller changes are within day-to-day variation."
)

# Spec K.8: re-rated every 2 weeks from the diary.
RERATE_AFTER_DAYS = 14

SOURCES: tuple[str, ...] = ("check", "diary", "cli", "web")

GLOBAL_CHANGE_QUESTION = "Compared with your first check, your back is:"
GLOBAL_CHANGE: tuple[tuple[str, str], ...] = (
    ("much_worse", "much worse"),
    ("worse", "worse"),
    ("a_little_worse", "a little worse"),
    ("about_the_same", "about the same"),
    ("a_little_better", "a little better"),
    ("better", "better"),
    ("much_better", "much better"),
)
GLOBAL_CHANGE_CODES: tuple[str, ...] = tuple(code for code, _ in GLOBAL_CHANGE)
GLOBAL_CHANGE_LABELS: Mapping[str, str] = dict(GLOBAL_CHANGE)

RATING_HINT = "a whole number from 0 (can't do it) to 10 (as well as before the pain)"


class InvalidOutcome(InvalidInput):
    """Raised with every problem found; nothing should be stored when this is raised."""


# --- names and ratings ---------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """The name as shown and stored: control characters dropped (core.text), outer spaces dropped,
    inner runs of spaces made one."""
    return " ".join(clean_text(name).split())


def same_name(first: str, second: str) -> bool:
    """ "Run 5 km" and " run  5 km" are the same activity."""
    return clean_name(first).casefold() == clean_name(second).casefold()


def name_field(position: int) -> str:
    return f"activity_{position}"


def rating_field(position: int) -> str:
    return f"rating_{position}"


def _name_problems(names: Sequence[object]) -> list[Problem]:
    problems: list[Problem] = []
    if not names:
        problems.append(
            Problem(
                "activities", f"name at least one activity your back pain makes hard, e.g. '{SUGGESTIONS[0]}'"
            )
        )
    if len(names) > MAX_ACTIVITIES:
        problems.append(
            Problem("activities", f"name at most {MAX_ACTIVITIES} activities: keep the ones that matter most")
        )
    seen: list[str] = []
    for position, name in enumerate(names, start=1):
        field = name_field(position)
        if not isinstance(name, str) or not clean_name(name):
            problems.append(Problem(field, "is empty: write what you want to be able to do, e.g. 'run 5 km'"))
        elif len(clean_name(name)) > MAX_NAME_LENGTH:
            problems.append(Problem(field, f"is too long: keep it to {MAX_NAME_LENGTH} characters"))
        elif repeated := next((earlier for earlier in seen if same_name(name, earlier)), None):
            problems.append(Problem(field, f"repeats '{clean_name(repeated)}': name each activity once"))
        else:
            seen.append(name)
    return problems


def validate_names(names: Sequence[object]) -> tuple[str, ...]:
    """1-3 non-blank, distinct names of at most 80 characters, cleaned; InvalidOutcome otherwise."""
    problems = _name_problems(names)
    if problems:
        raise InvalidOutcome(problems)
    return tuple(clean_name(str(name)) for name in names)


def checked_rating(position: int, value: object) -> int | Problem:
    """The rating as a whole number 0-10, or the problem with it (for the rating at ``position``)."""
    if value is None or value == "":
        return Problem(rating_field(position), f"is missing: choose {RATING_HINT}")
    try:  # typed text ("7") or a number, read as every form and option is (core.inputs)
        return parse_whole(value, rating_field(position), RATING_MIN, RATING_MAX)
    except InvalidValue:
        return Problem(rating_field(position), f"must be {RATING_HINT} (got {shown(value)})")


def validate_ratings(pairs: Sequence[tuple[object, object]]) -> tuple[tuple[str, int], ...]:
    """(name, rating) pairs: the names as validate_names, each rating a whole number 0-10."""
    problems = _name_problems([name for name, _ in pairs])
    ratings = [checked_rating(position, value) for position, (_, value) in enumerate(pairs, start=1)]
    problems += [rating for rating in ratings if isinstance(rating, Problem)]
    if problems:
        raise InvalidOutcome(problems)
    valid = [rating for rating in ratings if isinstance(rating, int)]
    return tuple(zip((clean_name(str(name)) for name, _ in pairs), valid, strict=True))


def validate_global_change(value: object) -> str | None:
    """One of the seven answers, or None when not answered ("" counts as not answered)."""
    if value is None or value == "":
        return None
    if value not in GLOBAL_CHANGE_CODES:
        choices = ", ".join(GLOBAL_CHANGE_CODES)
        raise InvalidOutcome([Problem("global_change", f"choose one of the seven answers ({choices})")])
    return str(value)


def validate_source(value: object) -> str:
    if value not in SOURCES:
        raise InvalidOutcome([Problem("source", f"must be one of {', '.join(SOURCES)} (got {shown(value)})")])
    return str(value)


def rated_against_current(rated: Sequence[str], current: Sequence[str]) -> list[Problem]:
    """A re-rating rates every current activity and nothing else, so its mean compares with the last."""
    problems = []
    listed = ", ".join(f"'{name}'" for name in current)
    for position, name in enumerate(rated, start=1):
        if not any(same_name(name, known) for known in current):
            problems.append(
                Problem(
                    name_field(position),
                    f"'{name}' is not one of your activities ({listed}): rate those, "
                    "or change your activities first",
                )
            )
    missing = [known for known in current if not any(same_name(known, name) for name in rated)]
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        problems.append(Problem("activities", f"rate every one of your activities: {names} has no rating"))
    return problems


def mean_of(ratings: Sequence[int]) -> float:
    return sum(ratings) / len(ratings)


# --- change against the first rating ---------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A change between two ratings (higher is better), judged against its threshold."""

    before: float
    after: float
    threshold: int

    @property
    def points(self) -> float:
        # Rounded so that means like 13/3 -> 19/3 count as exactly 2 points.
        return round(self.after - self.before, 6)

    @property
    def is_real(self) -> bool:
        return abs(self.points) >= self.threshold

    @property
    def direction(self) -> str:
        """ "better", "worse" or "within_variation"."""
        if not self.is_real:
            return "within_variation"
        return "better" if self.points > 0 else "worse"

    def message(self, what: str = "average") -> str:
        """Plain words, e.g. "Your average is up 2.5 points since your first rating (4.0): ..."."""
        if self.direction == "better":
            return (
                f"Your {what} is up {self.points:.1f} points since your first rating ({self.before:.1f}): "
                "a real improvement."
            )
        if self.direction == "worse":
            return (
                f"Your {what} is down {-self.points:.1f} points since your first rating ({self.before:.1f}): "
                "a real change for the worse. Consider a new symptom check."
            )
        if self.points == 0:
            return f"Your {what} is the same as at your first rating ({self.before:.1f})."
        return (
            f"Your {what} has changed by {self.points:+.1f} points since your first rating "
            f"({self.before:.1f}): within day-to-day variation (a real change is {self.threshold} points)."
        )


def change_in_mean(before: float, after: float) -> Change:
    return Change(before=before, after=after, threshold=REAL_CHANGE_MEAN)


def change_in_activity(before: int, after: int) -> Change:
    return Change(before=before, after=after, threshold=REAL_CHANGE_ONE_ACTIVITY)


@dataclass(frozen=True)
class Comparison:
    """One rating compared with the first: the mean against the first rating of the same activities
    (None when this is that first rating), each activity against its own first rating."""

    mean: Change | None
    activities: Mapping[Hashable, Change | None]


def compare_with_first(events: Sequence[Mapping[Hashable, int]]) -> list[Comparison]:
    """For each rating (oldest first; activity key -> 0-10) its change since the first.

    The mean is compared with the first rating of the same set of activities: after one is replaced,
    the average measures something else, so it starts again. A renamed activity keeps its key and its
    series."""
    first_mean: dict[frozenset[Hashable], float] = {}
    first_rating: dict[Hashable, int] = {}
    comparisons = []
    for ratings in events:
        keys = frozenset(ratings)
        mean = mean_of(list(ratings.values()))
        is_first_of_set = keys not in first_mean
        baseline = first_mean.setdefault(keys, mean)
        activity_changes: dict[Hashable, Change | None] = {}
        for key, value in ratings.items():
            if key in first_rating:
                activity_changes[key] = change_in_activity(first_rating[key], value)
            else:
                first_rating[key] = value
                activity_changes[key] = None
        comparisons.append(
            Comparison(
                mean=None if is_first_of_set else change_in_mean(baseline, mean),
                activities=activity_changes,
            )
        )
    return comparisons


# --- when to ask again ------------------------------------------------------------------------------


def rerating_due_on(last_rated_on: date | None) -> date | None:
    """The day a re-rating is next due (None before the first rating: that one comes with a check)."""
    return None if last_rated_on is None else last_rated_on + timedelta(days=RERATE_AFTER_DAYS)


def is_rerating_due(last_rated_on: date | None, today: date) -> bool:
    """Due when the last rating was 14 or more days before ``today``."""
    due_on = rerating_due_on(last_rated_on)
    return due_on is not None and today >= due_on
