"""Checking a check-in sent by a form or as JSON (``validate_check_in``): every problem is listed with
its field, and nothing comes out unless all is well. The A.8 items that apply must be answered; which
apply is the full check's own skip logic, run on the same answers as the safety screen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType

from ..inputs import InvalidValue, parse_day, parse_number, parse_whole, shown
from ..problems import InvalidInput, Problem
from ..text import clean_text
from ..triage import find_problems
from ..triage.flow import emergency_found, is_applicable
from ..triage.model import Answer
from .check_in import A8_ITEMS, HOURS_FIELDS, LOCATIONS, MAX_NOTE_CHARS, RUN_RATINGS, CheckIn, RedFlagAnswer
from .safety import screen_answers

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
    screen = screen_answers(answers, locations, context)
    if not emergency_found(screen):
        for item in A8_ITEMS:
            if item not in answers and item not in bad and is_applicable(item, screen):
                c.problem(f"red_flags.{item}", "must be answered at every check-in (spec A.8)")
    return MappingProxyType(answers)
