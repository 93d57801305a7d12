"""How a saved or deleted record is named in a toast or a question, in plain words: "the run of
3 May, 8.2 km", "the check-in of 3 May", "the form check of 3 May (side view)". The year is said
only when it is not this year."""

from __future__ import annotations

from datetime import date

from backstride.config import local_day, local_today
from backstride.core.pace import metres_per_unit
from backstride.storage.models import Activity, FormCheck

from .runs import day_of
from .users import units_of

SPORT_WORDS = {
    "running": "run",
    "walking": "walk",
    "hiking": "hike",
    "cycling": "ride",
    "swimming": "swim",
}


def day_words(day: date, *, month: str = "%B", weekday: bool = False) -> str:
    """3 May, or 3 May 2024 when not this year; `month="%b"` gives "3 May"'s short form ("7 Dec"),
    `weekday` puts the day's name first ("Monday 7 December")."""
    words = f"{day.day} {day:{month}}"
    if weekday:
        words = f"{day:%A} {words}"
    return words if day.year == local_today().year else f"{words} {day.year}"


def activity_name(activity: Activity) -> str:
    what = SPORT_WORDS.get(activity.sport, "activity")
    name = f"the {what} of {day_words(day_of(activity))}"
    if activity.distance_m:
        unit = units_of(activity.owner)
        name += f", {activity.distance_m / metres_per_unit(unit):.1f} {'miles' if unit == 'mile' else 'km'}"
    return name


def check_in_name(day: date) -> str:
    return "today's check-in" if day == local_today() else f"the check-in of {day_words(day)}"


def form_check_name(check: FormCheck) -> str:
    return f"the form check of {day_words(local_day(check.created_at))} ({check.view} view)"
