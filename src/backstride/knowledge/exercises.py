"""Typed, read-only access to the exercise library (exercises.yaml in this package).

Every exercise, stretch, self-check and cross-training activity the seeds name, with dosage, the
spec G pattern codes it is planned under, per-pattern cautions (for people to read), the structured
attributes the plan's rules read (loads, avoid_for, gradual_for, pregnancy_ok, pregnancy_swap),
sources and two stick-figure poses.
The file is read with importlib.resources and yaml.safe_load, validated on first load and cached. A
malformed record raises ValueError naming the file, the record and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator
from pydantic.dataclasses import dataclass

from . import catalog, poses, schema
from .poses import LIMBS, POSE_KEYS, POSE_OPTIONAL, SUPPORTS, VIEWS, Pose
from .schema import (
    RECORD,
    FieldError,
    KnowledgeFile,
    NonEmpty,
    Prose,
    Record,
    Text,
    Texts,
    no_duplicates,
)

__all__ = ["LIMBS", "POSE_KEYS", "POSE_OPTIONAL", "SUPPORTS", "VIEWS", "Pose", "resources"]

FILENAME = "exercises.yaml"

Category = Literal["strength", "stretch", "mobility", "activation", "self_check", "cross_training"]
Equipment = Literal[
    "none", "mat", "step", "stability_ball", "band", "dumbbell", "bench", "foam_roller", "pool", "bike"
]
# "all" plus the pattern codes of patterns.yaml that get an exercise plan (not bone_or_serious).
PatternCode = Literal["all", "muscular", "facet", "disc", "sacroiliac", "nerve_root", "nonspecific"]
PlanCode = Literal["muscular", "facet", "disc", "sacroiliac", "nerve_root", "nonspecific"]
# What an exercise loads, or the position it needs (the file header says what each one means).
Load = Literal[
    "extension",
    "flexion",
    "loaded_flexion",
    "rotation",
    "impact",
    "single_leg",
    "standing_load",
    "supine",
    "prone",
    "fall_risk",
]
Count = Annotated[int, Field(strict=True, ge=1)]
Codes = Annotated[frozenset[PlanCode], BeforeValidator(no_duplicates), schema.none_as(())]

CATEGORIES: tuple[str, ...] = get_args(Category)
EQUIPMENT = frozenset(get_args(Equipment))
LEVELS = (1, 2, 3)
PATTERN_CODES: tuple[str, ...] = get_args(PatternCode)
LOADS: tuple[str, ...] = get_args(Load)
# Never planned as written during pregnancy (spec K.6): lying on the back or front, a risk of falling.
NOT_IN_PREGNANCY = frozenset({"supine", "prone", "fall_risk"})
PROPS = frozenset(poses.PROPS)


# --- Records ---------------------------------------------------------------------------------------


@dataclass(frozen=True, config=RECORD)
class Dosage(Record):
    OPTIONAL = ("reps", "hold_s", "duration_min")

    sets: Count
    reps: Count | None  # repetitions per set (per side if per_side)
    hold_s: Count | None  # seconds each repetition or stretch is held
    duration_min: Count | None  # minutes per set, for activities and rolling
    rest_s: Annotated[int, Field(strict=True, ge=0)]
    per_side: Annotated[bool, Field(strict=True)]
    frequency: Text  # e.g. "2-3x/week", "daily", "before runs"

    @model_validator(mode="after")
    def _some_amount(self) -> Dosage:
        if self.reps is None and self.hold_s is None and self.duration_min is None:
            raise ValueError("needs reps, hold_s or duration_min")
        return self


def _cautions(raw: Any) -> Any:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError("must be a mapping of pattern code to text")
    for code in raw:
        if code not in PATTERN_CODES:
            raise ValueError(f"key {code!r} is not a pattern code {list(PATTERN_CODES)}")
    return raw


def _read_only(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _not_policy_alone(ids: tuple[str, ...]) -> tuple[str, ...]:
    if all(catalog.source(source_id).kind == "app_policy" for source_id in ids):
        raise ValueError("cites app-policy alone")
    return ids


@dataclass(frozen=True, config=RECORD)
class Exercise(Record):
    id: Text
    name: Text
    category: Category
    steps: Annotated[tuple[Text, ...], Field(min_length=3, max_length=6)]
    dosage: Dosage
    muscles: Texts
    equipment: Annotated[tuple[Equipment, ...], NonEmpty, BeforeValidator(no_duplicates)]
    level: Annotated[int, Field(strict=True, ge=1, le=3)]
    # pattern code -> caution (read-only)
    cautions: Annotated[Mapping[str, Prose], BeforeValidator(_cautions), AfterValidator(_read_only)] = field(
        hash=False
    )
    patterns: Annotated[tuple[PatternCode, ...], BeforeValidator(no_duplicates)]  # empty: not planned
    sources: Annotated[catalog.SourceIds, AfterValidator(_not_policy_alone)]
    pose_start: Pose
    pose_end: Pose
    loads: Annotated[frozenset[Load], BeforeValidator(no_duplicates)]  # LOADS codes
    pregnancy_ok: Annotated[bool, Field(strict=True)]  # planned as written in pregnancy (K6-PREGNANCY)
    progression: Text | None = None
    regression: Text | None = None
    evidence_note: Text | None = None
    avoid_for: Codes = frozenset()  # pattern codes it is never planned for (G-AVOID)
    gradual_for: Codes = frozenset()  # pattern codes it comes in gradually for (G-GRADUAL)
    pregnancy_swap: Text | None = None  # the record planned in its place during pregnancy

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        for link in ("progression", "regression", "pregnancy_swap"):
            if getattr(self, link) == self.id:
                raise FieldError(link, "must not point to the record itself")
        if self.avoid_for & self.gradual_for:
            raise FieldError(
                "gradual_for", f"repeats avoid_for code(s) {sorted(self.avoid_for & self.gradual_for)}"
            )
        if self.pregnancy_ok and self.loads & NOT_IN_PREGNANCY:
            bad = sorted(self.loads & NOT_IN_PREGNANCY)
            raise FieldError("pregnancy_ok", f"cannot be true with {bad} in loads")
        if self.pregnancy_swap is not None and self.pregnancy_ok:
            raise FieldError("pregnancy_swap", "is only for records that are not pregnancy_ok")
        return self

    def caution_for(self, pattern_code: str) -> str | None:
        """The caution for this pattern, else the one for every pattern ("all"), else None."""
        return self.cautions.get(pattern_code) or self.cautions.get("all")

    def suits(self, pattern_code: str) -> bool:
        """True if spec G plans this record for the pattern (directly or through "all")."""
        return pattern_code in self.patterns or "all" in self.patterns


class ExercisesFile(KnowledgeFile):
    ENTRIES = {"exercises": ("exercise", "id")}
    exercises: Annotated[tuple[Exercise, ...], NonEmpty]

    @field_validator("exercises")
    @classmethod
    def _links(cls, records: tuple[Exercise, ...]) -> tuple[Exercise, ...]:
        by_id = {item.id: item for item in records}
        for index, item in enumerate(records):
            for link in ("progression", "regression", "pregnancy_swap"):
                target = getattr(item, link)
                if target is not None and target not in by_id:
                    raise FieldError((index, link), f"names unknown exercise {target!r}")
            swap = by_id.get(item.pregnancy_swap or "")
            if swap is not None and not swap.pregnancy_ok:
                raise FieldError((index, "pregnancy_swap"), f"names {swap.id!r}, not pregnancy_ok")
        return records


def _load(filename: str) -> Any:
    return schema.read(filename)


def _build(data: Any) -> dict[str, Exercise]:
    return {item.id: item for item in schema.validate(ExercisesFile, FILENAME, data).exercises}


# --- Public API ------------------------------------------------------------------------------------


@cache
def exercises() -> dict[str, Exercise]:
    """All exercise records by id, in file order."""
    return _build(_load(FILENAME))


def exercise(exercise_id: str) -> Exercise:
    """One record; KeyError if the id is unknown."""
    return exercises()[exercise_id]


def by_category(category: str) -> list[Exercise]:
    """Records of one category, in file order; ValueError for an unknown category."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown exercise category {category!r}; expected one of {list(CATEGORIES)}")
    return [item for item in exercises().values() if item.category == category]


def for_pattern(pattern_code: str) -> list[Exercise]:
    """Records spec G plans for a pattern (including those marked "all"), in file order."""
    if pattern_code not in PATTERN_CODES:
        raise ValueError(f"unknown pattern code {pattern_code!r}; expected one of {list(PATTERN_CODES)}")
    return [item for item in exercises().values() if item.suits(pattern_code)]
