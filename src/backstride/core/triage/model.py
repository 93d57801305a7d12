"""Value types of the symptom check: what goes in (answers) and what comes out (a TriageResult).

Pure data, no behaviour beyond ordering: the rules live in rules.py, the flow in flow.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum

# An answer is what the spec's questionnaire.json allows: bool for yes/no, int for scales,
# int/float for numbers, str for choices ("not_sure" is also allowed for the four
# cauda-equina items). Unanswered items are simply absent from the mapping.
Answer = bool | int | float | str
Answers = Mapping[str, Answer]


class Urgency(IntEnum):
    """Urgency tiers, ordered so that max() picks the most urgent (spec: highest tier wins)."""

    SELF_MANAGE = 0
    CLINICIAN_IF_NO_BETTER = 1
    DOCTOR_SOON = 2
    EMERGENCY = 3

    @property
    def code(self) -> str:
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> Urgency:
        return cls[code.upper()]


class RunToday(IntEnum):
    """Run-today colours, ordered so that max() picks the most restrictive."""

    GREEN = 0
    AMBER = 1
    RED = 2

    @property
    def code(self) -> str:
        return self.name.lower()


PATTERNS = (
    "bone_or_serious",
    "not_from_the_back",
    "bone_stress",
    "nerve_root",
    "pregnancy_related",
    "sacroiliac",
    "disc",
    "muscular",
    "facet",
    "nonspecific",
    "not_assessed",  # a check stopped at an emergency answer: nothing about a pattern was asked
)

# Spec K.1 `urgency_when`: how soon, soonest first. None (no timing) goes with self_manage.
WHEN_ORDER = ("now", "today", "24-48h", "1-2 weeks")


@dataclass(frozen=True)
class FiredRule:
    """One rule that fired, with the answers (item id -> value) that made it fire."""

    rule_id: str
    kind: str  # "urgency", "condition" (PN-1: no tier of its own), "pattern", "run_today", "inflammatory"
    outcome: str  # an Urgency code, a pattern code, a RunToday code, or "met"/"borderline"
    answers: Mapping[str, Answer] = field(default_factory=dict)


@dataclass(frozen=True)
class StartBackScore:
    """Keele STarT Back: total 0-9, psychosocial subscale 0-5, risk group. Unanswered items score 0."""

    total: int
    psychosocial: int
    risk: str  # "low" | "medium" | "high", or "not_asked" when no item was answered
    items_answered: int

    @property
    def complete(self) -> bool:
        return self.items_answered == 9

    @property
    def asked(self) -> bool:
        return self.items_answered > 0


@dataclass(frozen=True)
class InflammatoryScreen:
    """IBP-1 (spec A.5): entry criteria, NICE NG65 and ASAS feature counts."""

    entry_met: bool
    onset_age: float | None
    nice_count: int
    asas_count: int

    @property
    def met(self) -> bool:
        return self.entry_met and (self.nice_count >= 4 or self.asas_count >= 4)

    @property
    def borderline(self) -> bool:
        return self.entry_met and not self.met and self.nice_count == 3


@dataclass(frozen=True)
class TriageResult:
    urgency: Urgency
    likely_pattern: str
    pattern_rule: str  # "P1".."P8"
    run_today: RunToday
    startback: StartBackScore
    inflammatory: InflammatoryScreen
    fired: tuple[FiredRule, ...]
    advice_ids: tuple[str, ...]  # advice card ids from knowledge/advice.yaml, most important first
    urgency_when: str | None = None  # spec K.1: "now", "today", "24-48h", "1-2 weeks", or None

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(rule.rule_id for rule in self.fired)

    @property
    def urgency_rules(self) -> tuple[FiredRule, ...]:
        return tuple(rule for rule in self.fired if rule.kind == "urgency")

    @property
    def red_flags(self) -> tuple[str, ...]:
        """Serious-pathology flags: the E and D rules (and a 'not sure' cauda equina answer)."""
        return tuple(
            rule.rule_id
            for rule in self.urgency_rules
            if rule.outcome in (Urgency.EMERGENCY.code, Urgency.DOCTOR_SOON.code)
        )

    @property
    def run_today_rules(self) -> tuple[FiredRule, ...]:
        return tuple(rule for rule in self.fired if rule.kind == "run_today")
