"""The pain diary (spec clinical.md D.4) and what it feeds: the repeated red-flag screen at every
check-in (A.8), the reasons to repeat the full symptom check (A.8), the weekly trend (D.1 rule 3)
and the run-today traffic light (D.2) built from logged days.

Pure: no clock (``today`` is always a parameter), no storage. The triage rules are not copied
here: the red-flag screen runs ``triage.evaluate`` and the traffic light runs ``run_today_rules``.

Choices made here (app policy, each documented where it is implemented):

* One check-in per day; when a list holds two for the same day, the later one in the list wins.
* Check-ins dated after ``today`` are ignored by every function (and refused by the validator).
* A run's ratings given with ``ran`` false are refused: they describe a run that did not happen.
* ``pain_next_morning`` cannot be given on a check-in dated today: that morning has not come yet.
* The A.8 items that apply must all be answered, unless an emergency answer is already given
  (the full check stops there too, spec H.3): a yes escalates at once. K.7 adds ``loin_colic``, and
  ``pregnancy_warning`` while the latest full check says pregnant.
* The safety screen reads the latest full check's answers about the person (``context``: age, sex,
  smoking, pregnancy; triage/standing.py) with the check-in's own, so the aneurysm and pregnancy
  rules fire exactly as in the full check.
* ``pain_extent`` (E5) is not asked again: it is the furthest of the check-in's pain locations.

The diary is a package, a module per part: what a check-in holds (``check_in``), its validation
(``validation``), the repeated red-flag screen (``safety``), the diary as a series of days and its
weekly trend (``series``), the reasons to repeat the full check (``recheck``) and the run-today light
(``run_today``). This package gives their public names, so callers import from
``backstride.core.diary`` alone.
"""

from __future__ import annotations

from .check_in import (
    A8_ITEMS,
    HOURS_FIELDS,
    LOCATIONS,
    MAX_NOTE_CHARS,
    RUN_RATINGS,
    CheckIn,
    RedFlagAnswer,
    pain_extent_of,
)
from .recheck import RECHECK_MILESTONES, needs_full_recheck, new_areas
from .run_today import diary_run_answers, last_run, run_today_from_diary
from .safety import escalation, red_flag_answers
from .series import TREND_MIN_DAYS, TREND_POINTS, Trend, weekly_trend
from .validation import DiaryProblem, InvalidCheckIn, validate_check_in

__all__ = [
    "A8_ITEMS",
    "HOURS_FIELDS",
    "LOCATIONS",
    "MAX_NOTE_CHARS",
    "RECHECK_MILESTONES",
    "RUN_RATINGS",
    "TREND_MIN_DAYS",
    "TREND_POINTS",
    "CheckIn",
    "DiaryProblem",
    "InvalidCheckIn",
    "RedFlagAnswer",
    "Trend",
    "diary_run_answers",
    "escalation",
    "last_run",
    "needs_full_recheck",
    "new_areas",
    "pain_extent_of",
    "red_flag_answers",
    "run_today_from_diary",
    "validate_check_in",
    "weekly_trend",
]
