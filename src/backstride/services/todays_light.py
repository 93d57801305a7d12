"""Today's run-today light from the diary and from a full check done today (issue 13 item 4).

A full symptom check asks what a check-in asks (pain right now, socks and shoes, every A.8 safety
question) and more (the last run's ratings, the weekly trend). So on a day with no diary check-in the
latest full check, when it was done that day, counts as that day's check-in. Safety first: when a
check was done today the light is the reddest of two answers, the diary's (with the check standing in
for a missing day) and the check's own answers read by the same run-today rules, so it is never
greener than either source alone would give. A check that did not ask the pain right now (an answers
file may leave it out) cannot stand in for a check-in: the page then says so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from backstride.config import local_day
from backstride.core import diary
from backstride.core.diary import A8_ITEMS, CheckIn
from backstride.core.diary.series import entry_on
from backstride.core.triage import FiredRule, RunToday, Urgency
from backstride.core.triage.run_today import colour_of, run_today_rules
from backstride.core.triage.standing import Standing
from backstride.storage.models import SymptomCheck

# The check's pain_extent as the diary's furthest location (core/diary/check_in.py maps them back).
LOCATION_OF_EXTENT = {
    "back_only": "central",
    "buttock": "buttock",
    "thigh": "thigh",
    "below_knee": "below_knee",
}
DIARY = "diary"
FULL_CHECK = "full_check"


def check_in_of(check: SymptomCheck) -> CheckIn | None:
    """The full check's answers as a check-in of its day: pain right now, socks and shoes, where it
    hurts and the A.8 safety answers. None when the check did not ask the pain right now."""
    answers = check.answers or {}
    pain = answers.get("pain_now")
    if not isinstance(pain, int) or isinstance(pain, bool):
        return None
    extent = answers.get("pain_extent")
    socks = answers.get("socks_shoes_difficult")
    return CheckIn(
        day=local_day(check.created_at),
        pain_now=pain,
        locations=frozenset({LOCATION_OF_EXTENT[extent]}) if extent in LOCATION_OF_EXTENT else frozenset(),
        socks_shoes_difficult=socks if isinstance(socks, bool) else None,
        red_flags={item: value for item in A8_ITEMS if isinstance(value := answers.get(item), bool | str)},
    )


def with_check_day(check_ins: Sequence[CheckIn], latest: SymptomCheck | None) -> list[CheckIn]:
    """The diary with the latest completed full check as its day's check-in when the diary has no
    entry that day (a diary entry always wins: it is the runner's own log of the day)."""
    entries = list(check_ins)
    if latest is None or not latest.completed:
        return entries
    stand_in = check_in_of(latest)
    if stand_in is None or entry_on(entries, stand_in.day) is not None:
        return entries
    return sorted([*entries, stand_in], key=lambda entry: entry.day)


def check_done_on(latest: SymptomCheck | None, today: date) -> SymptomCheck | None:
    """The latest completed full check when it was done today, else None."""
    if latest is None or not latest.completed or local_day(latest.created_at) != today:
        return None
    return latest


@dataclass(frozen=True)
class TodaysLight:
    colour: RunToday | None  # None: no check-in today and no full check that can stand in
    fired: list[FiredRule]
    based_on: list[str]  # DIARY and/or FULL_CHECK: what today's answers came from
    check_without_pain: bool  # a full check today that did not ask the pain right now


def todays_light(
    today: date,
    urgency: Urgency,
    latest: SymptomCheck | None,
    check_ins: Sequence[CheckIn],
    in_force: Standing,
    episode_start: date | None,
) -> TodaysLight:
    """Today's colour and the rules that fired, from the diary and a full check done today (see the
    module docstring). ``check_ins`` is the diary alone; the latest full check stands in for its
    day's missing check-in here too, so the weekly trend reads the same days as the plan's."""
    pattern = latest.likely_pattern if latest else None
    logged = entry_on(check_ins, today) is not None
    checked = check_done_on(latest, today)
    stand_in = check_in_of(checked) if checked is not None else None
    entries = with_check_day(check_ins, latest)  # as the plan reads the diary (services/plan.py)
    colour, fired = diary.run_today_from_diary(entries, today, urgency, pattern, episode_start, in_force)
    based_on = [DIARY] if logged else []
    if checked is not None and colour is not None:
        own = run_today_rules(checked.answers, urgency, pattern or "", in_force.rules)
        colour, fired = reddest((colour, fired), (colour_of(own), own))
        based_on.append(FULL_CHECK)
    return TodaysLight(colour, fired, based_on, checked is not None and stand_in is None)


def reddest(
    first: tuple[RunToday, list[FiredRule]], second: tuple[RunToday, list[FiredRule]]
) -> tuple[RunToday, list[FiredRule]]:
    """The more restrictive of two answers; both answers' rules when they give the same colour."""
    if first[0] != second[0]:
        return max(first, second, key=lambda answer: answer[0])
    seen = {rule.rule_id for rule in first[1]}
    return first[0], [*first[1], *(rule for rule in second[1] if rule.rule_id not in seen)]
