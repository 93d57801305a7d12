"""The run-today traffic light (spec D.2) from logged days: the answers D.2 reads taken from the
diary, today's safety screen raising the urgency, and the colour by the triage engine's own
``run_today_rules``. No entry for today: no colour (the plan then asks to log today first, its text
RUN-TODAY-UNKNOWN in knowledge/plan_texts.yaml)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache

from ..triage import FiredRule, RunToday, Urgency, evaluate
from ..triage.model import Answer
from ..triage.run_today import colour_of, run_today_rules
from ..triage.standing import Standing
from .check_in import CheckIn
from .safety import red_flag_answers
from .series import by_day, entry_on, weekly_trend


def last_run(check_ins: Iterable[CheckIn], today: date, episode_start: date | None = None) -> CheckIn | None:
    """The most recent check-in with ``ran`` on or before today (and in the episode, if given)."""
    runs = [
        c
        for d, c in by_day(check_ins, today).items()
        if c.ran and (episode_start is None or d >= episode_start)
    ]
    return runs[-1] if runs else None


def diary_run_answers(
    check_ins: Iterable[CheckIn], today: date, episode_start: date | None = None
) -> dict[str, Answer]:
    """The questionnaire answers D.2 reads, taken from the diary: today's ``pain_now`` and
    ``socks_shoes_difficult``; the last run's ratings as ``pain_before_last_run``,
    ``pain_during_last_run``, ``pain_after_last_run`` and ``pain_next_morning``; ``trend_week`` from
    ``weekly_trend``. Unknown values are left out (the rule's own defaults then apply: baseline 2,
    morning = pain_now). A missing next-morning rating is not filled in from the next day's entry."""
    check_ins = list(check_ins)
    entry = entry_on(check_ins, today)
    answers: dict[str, Answer] = {}
    if entry is not None:
        answers["pain_now"] = entry.pain_now
        if entry.socks_shoes_difficult is not None:
            answers["socks_shoes_difficult"] = entry.socks_shoes_difficult
    run = last_run(check_ins, today, episode_start)
    if run is not None:
        for item, value in (
            ("pain_before_last_run", run.pain_before_run),
            ("pain_during_last_run", run.pain_during_run),
            ("pain_after_last_run", run.pain_after_run),
            ("pain_next_morning", run.pain_next_morning),
        ):
            if value is not None:
                answers[item] = value
    trend = weekly_trend(check_ins, today)
    if trend is not None:
        answers["trend_week"] = trend
    return answers


def _screen(answers: Mapping[str, Answer]) -> tuple[Urgency, str]:
    """The urgency and pattern ``evaluate`` gives a day's safety answers. The same answers (most
    days: all "no") give the same result, so it is worked out once for them; a plan asks for the
    colours of dozens of days on every page."""
    key = tuple(sorted(answers.items()))
    try:
        return _screen_of(key)
    except TypeError:  # an unhashable answer (a list): not remembered
        result = evaluate(dict(answers))
        return result.urgency, result.likely_pattern


@lru_cache(maxsize=512)
def _screen_of(answers: tuple[tuple[str, Answer], ...]) -> tuple[Urgency, str]:
    result = evaluate(dict(answers))
    return result.urgency, result.likely_pattern


def run_today_from_diary(
    check_ins: Sequence[CheckIn] | Iterable[CheckIn],
    today: date,
    urgency: Urgency = Urgency.SELF_MANAGE,
    pattern: str | None = None,
    episode_start: date | None = None,
    standing: Standing | None = None,
) -> tuple[RunToday | None, list[FiredRule]]:
    """The D.2 colour and the rules that fired, from the diary, by the triage engine's own
    ``run_today_rules``. ``urgency`` and ``pattern`` come from the latest full check; today's
    red-flag answers raise the urgency (an escalation forces red through R1), and when they alone
    point to nerve_root (pain below the knee, a numb or weak leg) A6 applies whatever ``pattern`` says.
    ``standing``: the latest full check as it stands today (its answers about the person for the
    safety screen, and the rules still in force: R7, R8 and A7 hold until a new full check).

    (None, []) when there is no entry for today: ask for today's pain first (RUN-TODAY-UNKNOWN). An
    older entry is not used, because yesterday's pain says little about whether to run today."""
    check_ins = list(check_ins)
    entry = entry_on(check_ins, today)
    if entry is None:
        return None, []
    standing = standing or Standing()
    screen_urgency, screen_pattern = _screen(red_flag_answers(entry, standing.context))
    if screen_urgency >= Urgency.DOCTOR_SOON:  # escalation(entry): R1
        urgency = max(urgency, screen_urgency)
    if screen_pattern == "nerve_root":  # today's leg symptoms: A6, as the full check reads them
        pattern = "nerve_root"
    answers = diary_run_answers(check_ins, today, episode_start)
    fired = run_today_rules(answers, urgency, pattern or "", standing.rules)
    return colour_of(fired), fired
