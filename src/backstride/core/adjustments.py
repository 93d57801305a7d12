"""A clinician's changes to a runner's plan (issue 15 item 4): what each kind means, how it is
checked and how it reads to the runner. Pure: no storage, no clock.

Each adjustment in force is a plan rule of its own, ``PHYSIO-<id>``, applied by the plan engine after
its own rules (core/plan/physio.py) and shown to the runner as "Set by your physio (<name>): ...".

Kinds:

* ``replace``: an exercise -> another exercise from the library;
* ``remove``: leave an exercise out;
* ``dose``: sets, reps and/or hold seconds for an exercise;
* ``hold_stage``: the return-to-run stage stays where it was when the hold was set;
* ``advance_stage``: the stage moves on by one from where it was when set, unless a safety rule says
  not now (core/plan/physio.py: a clinician cannot override safety);
* ``note``: a note the runner reads on the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backstride.knowledge.exercises import exercises
from backstride.knowledge.plan_rules import LAST_STAGE

KINDS = ("replace", "remove", "dose", "hold_stage", "advance_stage", "note")
KIND_WORDS = {
    "replace": "Replace an exercise",
    "remove": "Leave out an exercise",
    "dose": "Set an exercise's dose",
    "hold_stage": "Hold the return-to-run stage",
    "advance_stage": "Move the return-to-run stage on by one",
    "note": "A note for the runner",
}
EXERCISE_KINDS = frozenset({"replace", "remove", "dose"})
STAGE_KINDS = frozenset({"hold_stage", "advance_stage"})
SETS = (1, 10)
REPS = (1, 50)
HOLD_S = (5, 120)
NOTE_LENGTH = 500
RULE_PREFIX = "PHYSIO-"


class AdjustmentRefused(ValueError):
    """An adjustment that cannot be made; ``field`` names the form field, the message what to do."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Adjustment:
    """One adjustment as the plan engine reads it."""

    id: int
    kind: str  # one of KINDS
    set_by: str  # the clinician's username, as the runner sees it
    started_on: date
    ended_on: date | None = None
    exercise_id: str = ""
    to_id: str = ""  # replace: the exercise done instead
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    note: str = ""
    at_stage: int | None = None  # hold_stage/advance_stage: the stage when it was set

    @property
    def rule_id(self) -> str:
        return f"{RULE_PREFIX}{self.id}"

    def in_force(self, day: date) -> bool:
        """True on the days from the one it was set until the day before it ended."""
        return self.started_on <= day and (self.ended_on is None or day < self.ended_on)

    @property
    def target_stage(self) -> int | None:
        """advance_stage: the stage it moves the runner on to."""
        return None if self.at_stage is None else self.at_stage + 1


def exercise_name(exercise_id: str) -> str:
    found = exercises().get(exercise_id)
    return found.name if found is not None else exercise_id


def dose_words(sets: int | None, reps: int | None, hold_s: int | None) -> str:
    """The dose a clinician set, in words ("2 sets, 8 reps, hold 10 s")."""
    parts = []
    if sets is not None:
        parts.append(f"{sets} set{'s' if sets != 1 else ''}")
    if reps is not None:
        parts.append(f"{reps} rep{'s' if reps != 1 else ''}")
    if hold_s is not None:
        parts.append(f"hold {hold_s} s")
    return ", ".join(parts)


def what(adjustment: Adjustment) -> str:
    """What the adjustment does, in the runner's words (no rule id)."""
    a = adjustment
    if a.kind == "replace":
        return f"do {exercise_name(a.to_id)} instead of {exercise_name(a.exercise_id)}"
    if a.kind == "remove":
        return f"leave out {exercise_name(a.exercise_id)} for now"
    if a.kind == "dose":
        return f"{exercise_name(a.exercise_id)} at {dose_words(a.sets, a.reps, a.hold_s)}"
    if a.kind == "hold_stage":
        return f"stay at return-to-run stage {a.at_stage} for now"
    if a.kind == "advance_stage":
        return f"move on to return-to-run stage {a.target_stage}"
    return a.note


def words(adjustment: Adjustment) -> str:
    """The sentence the runner reads: "Set by your physio (dr_lee): ...", with the note."""
    text = _sentence(f"Set by your physio ({adjustment.set_by}): {what(adjustment)}")
    if adjustment.note and adjustment.kind != "note":
        text += f" {_sentence(adjustment.note)}"
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _in_range(field: str, label: str, value: int | None, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if value is not None and not low <= value <= high:
        raise AdjustmentRefused(field, f"{label} must be {low} to {high}: type a number in that range.")


def _known(field: str, exercise_id: str, label: str) -> None:
    if not exercise_id:
        raise AdjustmentRefused(field, f"Choose the {label} from the exercise library.")
    if exercise_id not in exercises():
        raise AdjustmentRefused(
            field,
            f"There is no exercise {exercise_id!r} in the library: choose the {label} from the list "
            "(`backstride exercises` lists them).",
        )


def check(
    kind: str,
    *,
    exercise_id: str = "",
    to_id: str = "",
    sets: int | None = None,
    reps: int | None = None,
    hold_s: int | None = None,
    note: str = "",
    stage: int | None = None,
) -> None:
    """Refuse an adjustment that cannot be made (AdjustmentRefused, naming the field and what to do).
    ``stage``: the runner's return-to-run stage this week (None when not in the graded return)."""
    if kind not in KINDS:
        raise AdjustmentRefused("kind", f"Choose what to change: one of {', '.join(KINDS)}.")
    if len(note) > NOTE_LENGTH:
        raise AdjustmentRefused("note", f"The note is {len(note)} characters: keep it to {NOTE_LENGTH}.")
    if kind == "note" and not note.strip():
        raise AdjustmentRefused("note", "Write the note the runner should read.")
    if kind in EXERCISE_KINDS:
        _known("exercise", exercise_id, "exercise")
    if kind == "replace":
        _known("to", to_id, "replacement")
        if to_id == exercise_id:
            raise AdjustmentRefused(
                "to",
                "The replacement is the same exercise: choose a different one (or set its dose instead).",
            )
    if kind == "dose":
        if sets is None and reps is None and hold_s is None:
            raise AdjustmentRefused("sets", "Give the sets, the reps or the hold seconds (or more than one).")
        _in_range("sets", "Sets", sets, SETS)
        _in_range("reps", "Reps", reps, REPS)
        _in_range("hold", "Hold seconds", hold_s, HOLD_S)
    if kind in STAGE_KINDS and stage is None:
        raise AdjustmentRefused(
            "kind",
            "This runner is not in the graded return to running this week: there is no stage to hold or "
            "move on. Add a note instead.",
        )
    if kind == "advance_stage" and stage is not None and stage >= LAST_STAGE:
        raise AdjustmentRefused(
            "kind", f"This runner is at the last stage ({LAST_STAGE}): there is none after it."
        )
