"""Which exercises a week may hold: the rules that read the records' structured attributes
(exercises.yaml: avoid_for, gradual_for, loads, pregnancy_ok, pregnancy_swap), never their caution
texts, so rewording a caution cannot change a plan. Pure.

* G-AVOID: never planned for a pattern in the record's ``avoid_for``.
* G-GRADUAL: for a pattern in ``gradual_for``, the record's easier version comes first.
* K4-NO-LOAD (BS-1/BS-2 in force): nothing with impact, single-leg or standing load.
* K5-NO-EXTENSION (Y-1 in force, or under 20 with pain worse bending backwards): nothing that
  arches the back.
* K6-PREGNANCY (pregnant): pregnancy_ok records only; K6-PREGNANCY-SWAP plans a record's
  ``pregnancy_swap`` in its place.
"""

from __future__ import annotations

from dataclasses import dataclass

from backstride.knowledge.exercises import Exercise, exercises

from ..triage.standing import Standing

BONE_STRESS_RULES = frozenset({"BS-1", "BS-2"})
BONE_STRESS_LOADS = frozenset({"impact", "single_leg", "standing_load"})  # K.4: floor exercises only
YOUNG_AGE = 20  # K.5: under 20


@dataclass(frozen=True)
class Limits:
    """What the latest check's section K rules keep out of the week (spec K.4-K.6)."""

    bone_stress: bool = False  # K.4
    young_extension: bool = False  # K.5
    pregnant: bool = False  # K.6

    @property
    def exercise_rules(self) -> tuple[str, ...]:
        """The rule ids every exercise in the week was chosen under."""
        flags = (
            (self.bone_stress, "K4-NO-LOAD"),
            (self.young_extension, "K5-NO-EXTENSION"),
            (self.pregnant, "K6-PREGNANCY"),
        )
        return tuple(rule_id for active, rule_id in flags if active)

    def excludes(self, exercise: Exercise) -> bool:
        return (
            (self.bone_stress and bool(exercise.loads & BONE_STRESS_LOADS))
            or (self.young_extension and "extension" in exercise.loads)
            or (self.pregnant and not exercise.pregnancy_ok)
        )


def _young_with_extension_pain(standing: Standing) -> bool:
    age = standing.context.get("age", standing.answers.get("age"))
    young = isinstance(age, int | float) and not isinstance(age, bool) and age < YOUNG_AGE
    return young and standing.answers.get("worse_bending_backward") is True


def limits_of(standing: Standing, pattern: str | None) -> Limits:
    """The limits in force: from the rules the latest check left in force and its answers (the
    pattern alone is enough for bone stress and pregnancy, e.g. without a stored check)."""
    return Limits(
        bone_stress=bool(standing.rules & BONE_STRESS_RULES) or pattern == "bone_stress",
        young_extension="Y-1" in standing.rules or _young_with_extension_pain(standing),
        pregnant=standing.pregnant or "PG-1" in standing.rules or pattern == "pregnancy_related",
    )


def avoided(exercise: Exercise, pattern: str) -> bool:
    """G-AVOID."""
    return pattern in exercise.avoid_for


def gradual(exercise: Exercise, pattern: str) -> bool:
    """G-GRADUAL."""
    return pattern in exercise.gradual_for


def usable(exercise: Exercise, pattern: str, limits: Limits) -> bool:
    """Spec G plans it for the pattern, G-AVOID does not rule it out, and no section K limit does."""
    return exercise.suits(pattern) and not avoided(exercise, pattern) and not limits.excludes(exercise)


def pregnancy_version(exercise: Exercise, pattern: str, limits: Limits) -> Exercise | None:
    """K6-PREGNANCY-SWAP: the record to plan in place of one that is not planned in pregnancy."""
    if not limits.pregnant or exercise.pregnancy_ok or exercise.pregnancy_swap is None:
        return None
    swap = exercises().get(exercise.pregnancy_swap)
    return swap if swap is not None and usable(swap, pattern, limits) else None
