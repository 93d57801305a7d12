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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from .inputs import InvalidValue, parse_day, parse_number, parse_whole, shown
from .problems import InvalidInput, Problem
from .text import clean_text
from .triage import FiredRule, RunToday, TriageResult, Urgency, evaluate, find_problems
from .triage.flow import emergency_found, is_applicable
from .triage.model import Answer
from .triage.run_today import colour_of, run_today_rules
from .triage.standing import Standing

# --- what a check-in holds ------------------------------------------------------------------

# Where it hurts today. Back: central, left, right; spreading: buttock, thigh, below the knee.
LOCATIONS: tuple[str, ...] = ("central", "left", "right", "buttock", "thigh", "below_knee")
# questionnaire.json pain_extent choice for the furthest location (leg locations, furthest last).
_EXTENT_OF_LOCATION = {
    "central": "back_only",
    "left": "back_only",
    "right": "back_only",
    "buttock": "buttock",
    "thigh": "thigh",
    "below_knee": "below_knee",
}
_EXTENT_ORDER = ("back_only", "buttock", "thigh", "below_knee")

# Spec A.8: E1-E6 and E8-E9 are asked again at every check-in, in the full check's asking order
# (triage/flow.py). E5 also reads pain_extent, which comes from the locations (see above).
# leg_pain_side is asked when pain reaches the buttock or leg, neuro_worsening when a leg is
# numb or weak: the full check's own skip logic (flow.is_applicable) decides.
A8_ITEMS: tuple[str, ...] = (
    "pregnancy_warning",  # E13: while the latest full check says pregnant (K.7)
    "saddle_numbness",  # E1
    "bladder_change",  # E2
    "bowel_change",  # E3
    "sexual_change",  # E4
    "leg_pain_side",  # E5 (with pain_extent)
    "numbness_tingling",  # E5, E6
    "leg_weakness",  # E5, E6 (one leg: D8)
    "neuro_worsening",  # E6
    "loin_colic",  # K.7: T1, and E12/E14/PG-2 with the full check's answers about the person
    "aaa_warning",  # E8
    "chest_pain_breathless",  # E9
)

MAX_NOTE_CHARS = 5000  # app policy: a few paragraphs; longer text belongs elsewhere
RUN_RATINGS: tuple[str, ...] = ("pain_before_run", "pain_during_run", "pain_after_run", "pain_next_morning")
HOURS_FIELDS: tuple[str, ...] = ("sitting_hours", "sleep_hours")

RedFlagAnswer = bool | str


@dataclass(frozen=True)
class CheckIn:
    """One day of the diary. Optional ratings are None when not given."""

    day: date
    pain_now: int  # 0-10
    locations: frozenset[str] = frozenset()
    stiffness: int | None = None  # 0-10
    sitting_hours: float | None = None  # 0-24
    sleep_hours: float | None = None  # 0-24
    note: str = ""
    socks_shoes_difficult: bool | None = None  # D.2 R3 (seed 004: acute and disabling)
    ran: bool = False
    pain_before_run: int | None = None
    pain_during_run: int | None = None
    pain_after_run: int | None = None
    pain_next_morning: int | None = None  # may be filled in on the next day
    exercises_done: bool | None = None
    red_flags: Mapping[str, RedFlagAnswer] = field(default_factory=dict)  # A8_ITEMS ids -> answer

    @property
    def pain_extent(self) -> str | None:
        """The questionnaire's pain_extent for the furthest location, or None with no location."""
        return pain_extent_of(self.locations)


def pain_extent_of(locations: Iterable[str]) -> str | None:
    """The questionnaire's pain_extent for the furthest of these locations (None for none)."""
    extents = [_EXTENT_OF_LOCATION[loc] for loc in locations if loc in _EXTENT_OF_LOCATION]
    return max(extents, key=_EXTENT_ORDER.index, default=None)


# --- validation -----------------------------------------------------------------------------


DiaryProblem = Problem


class InvalidCheckIn(InvalidInput):
    """Raised with every problem found; nothing should be stored when this is raised."""


_FIELDS = frozenset(
    {
        "day",
        "pain_now",
        "locations",
        "stiffness",
        *HOURS_FIELDS,
        "note",
        "socks_shoes_difficult",
        "ran",
        *RUN_RATINGS,
        "exercises_done",
        "red_flags",
    }
)


class _Checker:
    def __init__(self, raw: Mapping[str, object]):
        self.raw = raw
        self.problems: list[DiaryProblem] = []

    def problem(self, name: str, message: str) -> None:
        self.problems.append(DiaryProblem(name, message))

    def given(self, name: str) -> bool:
        return self.raw.get(name) not in (None, "")

    def scale(self, name: str, required: bool = False) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                self.problem(name, "is required (a whole number from 0 to 10)")
            return None
        try:
            return parse_whole(value, name, 0, 10)
        except InvalidValue as error:
            self.problem(name, error.message)
            return None

    def hours(self, name: str) -> float | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        try:
            return parse_number(value, name, 0, 24, unit="hours")
        except InvalidValue as error:
            self.problem(name, error.message)
            return None

    def flag(self, name: str) -> bool | None:
        value = self.raw.get(name)
        if value is None or isinstance(value, bool):
            return value
        self.problem(name, f"must be true or false (got {shown(value)})")
        return None

    def day(self, today: date) -> date | None:
        value = self.raw.get("day")
        if value is None or value == "":
            self.problem("day", "is required")
            return None
        try:
            return parse_day(value, "day", today)
        except InvalidValue as error:
            self.problem("day", error.message)
            return None

    def locations(self) -> frozenset[str]:
        value = self.raw.get("locations")
        if value is None:
            return frozenset()
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            self.problem("locations", f"must be a list of locations (got {shown(value)})")
            return frozenset()
        found = list(value)
        unknown = [loc for loc in found if loc not in LOCATIONS]
        for loc in unknown:
            self.problem("locations", f"unknown location {shown(loc)}: choose from {', '.join(LOCATIONS)}")
        return frozenset(loc for loc in found if loc in LOCATIONS)


def validate_check_in(
    raw: Mapping[str, object], today: date, context: Mapping[str, Answer] | None = None
) -> CheckIn:
    """A CheckIn from raw form/JSON data, or InvalidCheckIn listing every problem with its field.

    Red-flag problems are named ``red_flags.<item id>``. ``context``: the latest full check's answers
    about the person (which safety questions apply, e.g. the pregnancy warning signs)."""
    if not isinstance(raw, Mapping):
        raise InvalidCheckIn([DiaryProblem("(check-in)", "must be a mapping of field names to values")])
    c = _Checker(raw)
    for key in raw:
        if key not in _FIELDS:
            c.problem(str(key), "unknown field")
    day = c.day(today)
    pain_now = c.scale("pain_now", required=True)
    locations = c.locations()
    stiffness = c.scale("stiffness")
    sitting, sleep = c.hours("sitting_hours"), c.hours("sleep_hours")
    if sitting is not None and sleep is not None and sitting + sleep > 24:
        c.problem("sleep_hours", f"sitting ({sitting:g} h) and sleep ({sleep:g} h) add up to more than 24 h")
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        c.problem("note", "must be text")
    elif isinstance(note, str):
        note = clean_text(note, multiline=True).strip()
        if len(note) > MAX_NOTE_CHARS:
            c.problem("note", f"is {len(note)} characters long: keep it to {MAX_NOTE_CHARS}")
    socks = c.flag("socks_shoes_difficult")
    ran = c.flag("ran")
    ratings = {name: c.scale(name) for name in RUN_RATINGS}
    if raw.get("ran") is None or raw.get("ran") is False:  # (an invalid "ran" is reported once, above)
        for name in RUN_RATINGS:
            if c.given(name):
                c.problem(name, "is a run's rating, but ran is not true for this day")
    if ran and day is not None and day == today and c.given("pain_next_morning"):
        c.problem("pain_next_morning", "can be rated tomorrow morning, not on the day of the run")
    exercises = c.flag("exercises_done")
    red_flags = _check_red_flags(c, raw.get("red_flags"), locations, context or {})
    if c.problems:
        raise InvalidCheckIn(c.problems)
    assert day is not None and pain_now is not None
    return CheckIn(
        day=day,
        pain_now=pain_now,
        locations=locations,
        stiffness=stiffness,
        sitting_hours=sitting,
        sleep_hours=sleep,
        note=note if isinstance(note, str) else "",
        socks_shoes_difficult=socks,
        ran=bool(ran),
        pain_before_run=ratings["pain_before_run"],
        pain_during_run=ratings["pain_during_run"],
        pain_after_run=ratings["pain_after_run"],
        pain_next_morning=ratings["pain_next_morning"],
        exercises_done=exercises,
        red_flags=red_flags,
    )


def _check_red_flags(
    c: _Checker, value: object, locations: frozenset[str], context: Mapping[str, Answer]
) -> Mapping[str, RedFlagAnswer]:
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        c.problem("red_flags", "must map red-flag item ids to answers")
        return MappingProxyType({})
    answers: dict[str, RedFlagAnswer] = {}
    for key, answer in value.items():
        if key not in A8_ITEMS:
            c.problem(f"red_flags.{key}", f"not a check-in red-flag item (one of {', '.join(A8_ITEMS)})")
        elif answer is not None:
            answers[key] = answer
    # The questionnaire's own checks (types, choices, "not_sure" for the four cauda equina items).
    bad = set()
    for problem in find_problems(answers):
        bad.add(problem.item_id)
        c.problem(f"red_flags.{problem.item_id}", problem.message)
    answers = {key: answer for key, answer in answers.items() if key not in bad}
    screen = _screen_answers(answers, locations, context)
    if not emergency_found(screen):
        for item in A8_ITEMS:
            if item not in answers and item not in bad and is_applicable(item, screen):
                c.problem(f"red_flags.{item}", "must be answered at every check-in (spec A.8)")
    return MappingProxyType(answers)


# --- the repeated red-flag screen (A.8) -----------------------------------------------------


def _screen_answers(
    red_flags: Mapping[str, RedFlagAnswer],
    locations: frozenset[str],
    context: Mapping[str, Answer] | None = None,
) -> dict[str, Answer]:
    answers: dict[str, Answer] = {**(context or {}), **red_flags}
    extent = pain_extent_of(locations)
    if extent is not None and "pain_extent" not in answers:
        answers["pain_extent"] = extent
    return answers


def red_flag_answers(check_in: CheckIn, context: Mapping[str, Answer] | None = None) -> dict[str, Answer]:
    """The questionnaire answers the check-in gives the triage engine: its A.8 answers plus
    ``pain_extent`` from its locations, with the full check's answers about the person."""
    return _screen_answers(check_in.red_flags, check_in.locations, context)


def escalation(check_in: CheckIn, context: Mapping[str, Answer] | None = None) -> TriageResult | None:
    """The triage result when the check-in's red-flag answers reach ``emergency`` or ``doctor_soon``
    (a "not sure" cauda equina answer is CES-UNSURE, doctor_soon), else None. Exactly what the full
    check gives for the same answers: ``evaluate`` runs on them."""
    result = evaluate(red_flag_answers(check_in, context))
    return result if result.urgency >= Urgency.DOCTOR_SOON else None


# --- diary series helpers -------------------------------------------------------------------


def _by_day(check_ins: Iterable[CheckIn], today: date) -> dict[date, CheckIn]:
    """One check-in per day up to today; the later one in the input wins for a repeated day."""
    days: dict[date, CheckIn] = {}
    for check_in in check_ins:
        if check_in.day <= today:
            days[check_in.day] = check_in
    return dict(sorted(days.items()))


def _entry_on(check_ins: Iterable[CheckIn], day: date) -> CheckIn | None:
    """The day's check-in (the later one in the input for a repeated day), as ``_by_day(...)[day]``
    without sorting the whole diary: the plan asks this for many days of one diary."""
    found = None
    for check_in in check_ins:
        if check_in.day == day:
            found = check_in
    return found


# --- weekly trend (D.1 rule 3; trend_week of the questionnaire) -------------------------------

Trend = Literal["better", "same", "worse"]
TREND_POINTS = 1  # app policy: a change of >= 1 point in mean pain (0-10) is better/worse
TREND_MIN_DAYS = 3  # app policy: at least 3 logged days in each of the two weeks


def weekly_trend(check_ins: Iterable[CheckIn], today: date) -> Trend | None:
    """Mean ``pain_now`` of the last 7 days (today and the 6 before) against the 7 days before
    those: "worse" when it rose by TREND_POINTS or more, "better" when it fell by as much, else
    "same". None unless both weeks hold at least TREND_MIN_DAYS logged days. Stiffness is not used
    (it is optional, and Silbernagel's rule is about pain and stiffness together)."""
    first, split = today - timedelta(days=13), today - timedelta(days=6)
    days = {c.day: c for c in check_ins if first <= c.day <= today}  # the later one wins, as _by_day
    recent = [c.pain_now for d, c in days.items() if d >= split]
    before = [c.pain_now for d, c in days.items() if d < split]
    if len(recent) < TREND_MIN_DAYS or len(before) < TREND_MIN_DAYS:
        return None
    # mean(recent) - mean(before) compared in whole numbers, so 1.0 is exactly 1.0
    change = sum(recent) * len(before) - sum(before) * len(recent)
    threshold = TREND_POINTS * len(recent) * len(before)
    if change >= threshold:
        return "worse"
    if change <= -threshold:
        return "better"
    return "same"


# --- repeating the full check (A.8) ---------------------------------------------------------

RECHECK_MILESTONES: tuple[int, ...] = (28, 42)  # spec A.8: day 28 and day 42 of the episode
RECHECK_MESSAGES: dict[str, str] = {
    "new_area": "Your pain has spread to a new area. Please repeat the full symptom check.",
    "trend_worse": "Your pain is worse than last week. Please repeat the full symptom check.",
    "day_28": "Four weeks into this episode: please repeat the full symptom check.",
    "day_42": "Six weeks into this episode: please repeat the full symptom check.",
}


def new_areas(check_ins: Iterable[CheckIn], today: date, episode_start: date | None = None) -> frozenset[str]:
    """Today's locations that no earlier check-in of the episode had. Empty without an entry today
    or without an earlier check-in in the episode (the first entry sets what is usual)."""
    days = _by_day(check_ins, today)
    entry = days.get(today)
    earlier = [c for d, c in days.items() if d < today and (episode_start is None or d >= episode_start)]
    if entry is None or not earlier:
        return frozenset()
    seen = frozenset().union(*(c.locations for c in earlier))
    return entry.locations - seen


def needs_full_recheck(
    check_ins: Iterable[CheckIn],
    today: date,
    episode_start: date | None,
    last_full_check: date | None = None,
) -> list[str]:
    """Why the full symptom check should be repeated today (spec A.8), as RECHECK_MESSAGES keys:

    * ``new_area``: today's entry has a location not logged before in the episode;
    * ``trend_worse``: ``weekly_trend`` is "worse";
    * ``day_28`` / ``day_42``: the episode (day 0 = ``episode_start``) has reached day 28 or 42
      and no full check was done on or after that day. Without ``last_full_check`` the milestone
      stays due from that day on (day_28 until day 42, when day_42 takes over), so a person who
      skips the app on day 28 still gets the prompt.

    A full check done today (``last_full_check == today``) clears every reason."""
    check_ins = list(check_ins)
    if last_full_check is not None and last_full_check >= today:
        return []
    reasons: list[str] = []
    if new_areas(check_ins, today, episode_start):
        reasons.append("new_area")
    if weekly_trend(check_ins, today) == "worse":
        reasons.append("trend_worse")
    if episode_start is not None:
        elapsed = (today - episode_start).days
        reached = [m for m in RECHECK_MILESTONES if elapsed >= m]
        if reached:
            milestone = reached[-1]  # only the latest milestone reached is due
            due_from = episode_start + timedelta(days=milestone)
            if last_full_check is None or last_full_check < due_from:
                reasons.append(f"day_{milestone}")
    return reasons


# --- run today (D.2) from the diary ---------------------------------------------------------

LOG_TODAY_FIRST = "Log today's pain first: the run-today advice needs today's rating."


def last_run(check_ins: Iterable[CheckIn], today: date, episode_start: date | None = None) -> CheckIn | None:
    """The most recent check-in with ``ran`` on or before today (and in the episode, if given)."""
    runs = [
        c
        for d, c in _by_day(check_ins, today).items()
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
    entry = _entry_on(check_ins, today)
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

    (None, []) when there is no entry for today: show LOG_TODAY_FIRST. An older entry is not used,
    because yesterday's pain says little about whether to run today."""
    check_ins = list(check_ins)
    entry = _entry_on(check_ins, today)
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
