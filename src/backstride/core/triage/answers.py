"""Checking a set of answers against the questionnaire before any rule sees it.

Every problem is reported (not just the first), each with its item id, so a person fixing an
answers file can fix them all in one go.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..inputs import shown
from ..problems import InvalidInput, Problem
from .model import Answer

if TYPE_CHECKING:
    from backstride.knowledge.questionnaire import Item

# The four cauda equina items also accept "not_sure" (questionnaire.json `also_accepts`; spec K.1
# CES-UNSURE): a same-day call, never read as "no".
NOT_SURE = "not_sure"
CES_ITEMS = ("saddle_numbness", "bladder_change", "bowel_change", "sexual_change")

# Plausible ranges for free numbers. Outside them the answer is almost surely a typo.
NUMBER_RANGES: dict[str, tuple[float, float]] = {
    "age": (0, 120),
    "duration_days": (0, 36_500),
    "shoe_km": (0, 20_000),
    "sitting_hours": (0, 24),
}


AnswerProblem = Problem  # an answer's problem: ``item_id`` names the questionnaire item


class InvalidAnswers(InvalidInput):
    """Raised with every problem found; nothing should be stored when this is raised."""


def _check_item(item: Item, value: object) -> str | None:
    """Return a message if value is not an allowed answer for item, else None."""
    if item.type == "yes_no":
        if isinstance(value, bool) or value in item.also_accepts:
            return None
        extra = "".join(f' or "{answer}"' for answer in item.also_accepts)
        allowed = f"true, false{extra}" if extra else "true or false"
        return f"must be {allowed} (got {value!r})"
    if item.type == "scale_0_10":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number from 0 to 10 (got {value!r})"
        if not 0 <= value <= 10:
            return f"must be from 0 to 10 (got {value})"
        return None
    if item.type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a number (got {value!r})"
        if value != value or value in (float("inf"), float("-inf")):
            return "must be a finite number"
        low, high = NUMBER_RANGES.get(item.id, (0, float("inf")))
        low = item.minimum if item.minimum is not None else low
        high = item.maximum if item.maximum is not None else high
        if not low <= value <= high:
            return f"must be between {low:g} and {high:g} (got {shown(value)})"
        return None
    if item.type == "choice":
        if value in item.choices:
            return None
        return f"must be one of {', '.join(item.choices)} (got {value!r})"
    raise AssertionError(f"unknown item type {item.type!r} in questionnaire.json")


def find_problems(raw: object) -> list[AnswerProblem]:
    """Every problem with a raw answers object (as parsed from JSON), in item order."""
    if not isinstance(raw, Mapping):
        return [AnswerProblem("(file)", "must be a JSON object mapping item ids to answers")]
    # Imported here: the rest of the triage package (e.g. `backstride today`) never reads the questionnaire.
    from backstride.knowledge.questionnaire import questionnaire_items

    items = questionnaire_items()
    problems: list[AnswerProblem] = []
    for key, value in raw.items():
        if not isinstance(key, str) or key not in items:
            problems.append(AnswerProblem(str(key), "unknown item id (see spec/questionnaire.json)"))
            continue
        if value is None:  # null means "not answered"
            continue
        message = _check_item(items[key], value)
        if message:
            problems.append(AnswerProblem(key, message))
    age, days = raw.get("age"), raw.get("duration_days")
    # Only between answers that are each in range (a 400-digit number cannot be divided as a float).
    if _in_range("age", age) and _in_range("duration_days", days) and days / 365.25 > age + 1:  # type: ignore[operator]
        problems.append(
            AnswerProblem("duration_days", f"{days:g} days is longer than your age ({age:g} years)")
        )
    return problems


def _in_range(item_id: str, value: object) -> bool:
    low, high = NUMBER_RANGES[item_id]
    return isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high


def parse_answers(raw: object) -> dict[str, Answer]:
    """The answers without unanswered (null) items, or InvalidAnswers listing every problem."""
    problems = find_problems(raw)
    if problems:
        raise InvalidAnswers(problems)
    assert isinstance(raw, Mapping)
    return {key: value for key, value in raw.items() if value is not None}
