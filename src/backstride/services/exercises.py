"""The exercise library as people see it: rows for lists and JSON, and each exercise's picture."""

from __future__ import annotations

from functools import cache
from typing import TypedDict

from backstride.core import figures
from backstride.core.figures import drawing
from backstride.core.plan import plan_rules
from backstride.knowledge.exercises import CATEGORIES, Exercise, exercise, exercises

from .citations import SourceRef, source_refs
from .errors import NotFound


class DosageJson(TypedDict):
    """knowledge.exercises.Dosage, field for field and in its order."""

    sets: int
    reps: int | None  # per set (per side if per_side)
    hold_s: int | None
    duration_min: int | None
    rest_s: int
    per_side: bool
    frequency: str


class StageRow(TypedDict):
    """One stage of the graded return to running (spec D.3)."""

    stage: int
    session: str  # e.g. "5 x (walk 4 min + run 1 min)"
    minutes: int


class ExerciseRow(TypedDict):
    """One exercise as `backstride exercises --format json` prints it (a public contract)."""

    id: str
    name: str
    category: str
    level: int
    dosage: DosageJson
    dosage_text: str
    steps: list[str]
    muscles: list[str]
    equipment: list[str]
    progression: str | None  # exercise ids
    regression: str | None
    patterns: list[str]
    cautions: dict[str, str]  # pattern code -> caution
    loads: list[str]
    avoid_for: list[str]
    gradual_for: list[str]
    pregnancy_ok: bool
    pregnancy_swap: str | None
    evidence_note: str | None
    sources: list[SourceRef]
    stages: list[StageRow]  # the walk-run record's stages, else []


@cache
def picture(exercise_id: str, stacked: bool = False) -> str:
    """Start and end position side by side (or one above the other, for phones), drawn from the
    record's joint angles (SVG)."""
    item = exercise(exercise_id)
    start, end = item.pose_start, item.pose_end  # the figures draw the library's own Pose
    if stacked:  # full phone width for each position: 360 x 270 per panel
        return figures.render_pair(start, end, item.name, width=360, height=270, stacked=True)
    return figures.render_pair(start, end, item.name)


@cache
def body_picture(exercise_id: str, stacked: bool = False) -> str:
    """The start and end position drawn with a body that has volume, and the props the exercise
    uses (the web page's still pictures, shown when motion is reduced)."""
    item = exercise(exercise_id)
    if stacked:
        return drawing.render_body_pair(
            item.pose_start, item.pose_end, item.name, width=360, height=270, stacked=True
        )
    return drawing.render_body_pair(item.pose_start, item.pose_end, item.name)


@cache
def motion_picture(exercise_id: str) -> str:
    """The exercise moving from its start to its end position and back (an animated SVG)."""
    item = exercise(exercise_id)
    return drawing.render_motion(item.pose_start, item.pose_end, item.name)


@cache
def thumbnail(exercise_id: str) -> str:
    """The start position, small, for lists beside the exercise's name ("" for an unknown id)."""
    try:
        item = exercise(exercise_id)
    except KeyError:
        return ""
    return drawing.render_thumbnail(item.pose_start)


def find(exercise_id: str) -> Exercise:
    try:
        return exercise(exercise_id)
    except KeyError as error:
        raise NotFound(f"no exercise {exercise_id!r}: `backstride exercises` lists them") from error


def library(category: str | None = None, pattern: str | None = None) -> list[Exercise]:
    items = [e for e in exercises().values() if (category is None or e.category == category)]
    if pattern is not None:
        items = [e for e in items if e.suits(pattern)]
    return sorted(items, key=lambda e: (CATEGORIES.index(e.category), e.level, e.name))


def dosage_text(item: Exercise) -> str:
    d = item.dosage
    parts = [f"{d.sets} x"]
    if d.reps:
        parts.append(f"{d.reps} reps")
    if d.hold_s:
        parts.append(f"hold {d.hold_s} s")
    if d.duration_min:
        parts.append(f"{d.duration_min} min")
    if d.per_side:
        parts.append("each side")
    text = " ".join(parts)
    if d.rest_s:
        text += f", rest {d.rest_s} s"
    return f"{text}; {d.frequency}"


def stages_for(item: Exercise) -> list[StageRow]:
    """The walk-run record's whole graded return (spec D.3), from the plan rules; [] for others."""
    if item.id != "walk-run":
        return []
    return [
        {"stage": s.stage, "session": s.session, "minutes": s.minutes} for s in plan_rules().stages.values()
    ]


def _dosage(item: Exercise) -> DosageJson:
    d = item.dosage
    return {
        "sets": d.sets,
        "reps": d.reps,
        "hold_s": d.hold_s,
        "duration_min": d.duration_min,
        "rest_s": d.rest_s,
        "per_side": d.per_side,
        "frequency": d.frequency,
    }


def row(item: Exercise) -> ExerciseRow:
    return {
        "id": item.id,
        "name": item.name,
        "category": item.category,
        "level": item.level,
        "dosage": _dosage(item),
        "dosage_text": dosage_text(item),
        "steps": list(item.steps),
        "muscles": list(item.muscles),
        "equipment": list(item.equipment),
        "progression": item.progression,
        "regression": item.regression,
        "patterns": list(item.patterns),
        "cautions": dict(item.cautions),
        # What the plan's rules read (the cautions are for people): exercises.yaml's header says more.
        "loads": sorted(item.loads),
        "avoid_for": sorted(item.avoid_for),
        "gradual_for": sorted(item.gradual_for),
        "pregnancy_ok": item.pregnancy_ok,
        "pregnancy_swap": item.pregnancy_swap,
        "evidence_note": item.evidence_note,
        "sources": source_refs(item.sources),
        "stages": stages_for(item),
    }
