"""What a full symptom check leaves in force until the next full check (spec K).

A check-in repeats the safety questions (A.8) but not the questions about the person, so the safety
screen of a check-in reads them from the latest full check: age (grown by the time since), sex,
smoking and pregnancy, which decide the aneurysm (E14, T3) and pregnancy (E13, PG-2) rules. And
some results hold until the next full check: a painful hop (R7), the months after a birth (PN-1
lifts by itself 12 weeks after the birth the check implies; PN-2 holds), a young runner's extension
pain (Y-1). Pure: the check's day and today are parameters.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from .model import Answer

CONTEXT_ITEMS = ("age", "sex", "smoker_ever", "pregnant")
POSTNATAL_NO_RUN_DAYS = 12 * 7  # PN-1: under 12 weeks since the birth (Goom 2019)


def birth_day(answers: Mapping[str, Answer], check_day: date) -> date | None:
    """The day of the birth a check's `weeks_since_birth` implies (K.6: the app stores it, so PN-1
    lifts by itself)."""
    weeks = answers.get("weeks_since_birth")
    if isinstance(weeks, bool) or not isinstance(weeks, int | float):
        return None
    return check_day - timedelta(days=round(weeks * 7))


def context_answers(answers: Mapping[str, Answer], check_day: date, today: date) -> dict[str, Answer]:
    """The check's answers about the person that a check-in's safety screen reads with its own."""
    context = {item: answers[item] for item in CONTEXT_ITEMS if answers.get(item) is not None}
    age = context.get("age")
    if isinstance(age, int | float) and not isinstance(age, bool) and today > check_day:
        context["age"] = round(age + (today - check_day).days / 365.25, 2)
    return context


@dataclass(frozen=True)
class Standing:
    """The latest full check as it stands on a given day (empty without a check)."""

    context: Mapping[str, Answer] = field(default_factory=dict)  # for a check-in's safety screen
    rules: frozenset[str] = frozenset()  # rule ids in force
    answers: Mapping[str, Answer] = field(default_factory=dict)  # the check's own answers
    birth_day: date | None = None

    @property
    def pregnant(self) -> bool:
        return self.answers.get("pregnant") is True


def standing_of(
    answers: Mapping[str, Answer],
    rule_ids: Collection[str],
    check_day: date,
    today: date,
    born: date | None = None,
) -> Standing:
    """``born``: the birth date the check stored (K.6), else the one its answers imply."""
    born = born or birth_day(answers, check_day)
    in_force = set(rule_ids)
    if "PN-1" in in_force and born is not None and (today - born).days >= POSTNATAL_NO_RUN_DAYS:
        in_force.discard("PN-1")  # PN-1 lifts by itself 12 weeks after the birth
    return Standing(
        context=context_answers(answers, check_day, today),
        rules=frozenset(in_force),
        answers=dict(answers),
        birth_day=born,
    )
