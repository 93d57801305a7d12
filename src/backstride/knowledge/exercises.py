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
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from backstride.knowledge import catalog

_PACKAGE = "backstride.knowledge"

FILENAME = "exercises.yaml"

CATEGORIES = ("strength", "stretch", "mobility", "activation", "self_check", "cross_training")
EQUIPMENT = frozenset(
    {"none", "mat", "step", "stability_ball", "band", "dumbbell", "bench", "foam_roller", "pool", "bike"}
)
LEVELS = (1, 2, 3)
# "all" plus the pattern codes of patterns.yaml that get an exercise plan (not bone_or_serious).
PATTERN_CODES = ("all", "muscular", "facet", "disc", "sacroiliac", "nerve_root", "nonspecific")
# What an exercise loads, or the position it needs (the file header says what each one means).
LOADS = (
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
)
# Never planned as written during pregnancy (spec K.6): lying on the back or front, a risk of falling.
NOT_IN_PREGNANCY = frozenset({"supine", "prone", "fall_risk"})
PROPS = frozenset({"mat", "step", "ball", "band", "dumbbell", "bench", "foam_roller", "wall"})
POSE_KEYS = ("trunk", "head", "near_arm", "far_arm", "near_leg", "far_leg")
POSE_OPTIONAL = ("props", "view", "pelvis", "support", "depth")
VIEWS = ("side", "front", "above")
SUPPORTS = {"shoulders": "bench", "hips": "ball"}  # which part rests on which prop
_LIMB_LENGTHS = {"near_arm": 2, "far_arm": 2, "near_leg": 3, "far_leg": 3}
_DOSAGE_KEYS = frozenset({"sets", "reps", "hold_s", "duration_min", "rest_s", "per_side", "frequency"})


# --- Records ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dosage:
    sets: int
    reps: int | None  # repetitions per set (per side if per_side)
    hold_s: int | None  # seconds each repetition or stretch is held
    duration_min: int | None  # minutes per set, for activities and rolling
    rest_s: int
    per_side: bool
    frequency: str  # e.g. "2-3x/week", "daily", "before runs"


@dataclass(frozen=True)
class Pose:
    """Absolute segment directions in degrees in the picture (0 = right, 90 = up, 180 = left,
    -90 = down); seen from the side facing right unless ``view`` says front or above."""

    trunk: float  # hip -> shoulder
    head: float  # neck -> top of head
    near_arm: tuple[float, float]  # shoulder -> elbow, elbow -> wrist
    far_arm: tuple[float, float]
    near_leg: tuple[float, float, float]  # hip -> knee, knee -> ankle, ankle -> toe
    far_leg: tuple[float, float, float]
    props: tuple[str, ...] = ()
    view: str = "side"  # side | front | above
    pelvis: float | None = None  # front views: right hip -> left hip; None = square to the trunk
    support: str | None = None  # shoulders (on the bench) | hips (on the ball); None = the default
    depth: tuple[tuple[str, tuple[float, ...]], ...] = ()  # front views: (limb, out-of-picture angles)


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    category: str
    steps: tuple[str, ...]
    dosage: Dosage
    muscles: tuple[str, ...]
    equipment: tuple[str, ...]
    level: int
    progression: str | None
    regression: str | None
    cautions: Mapping[str, str] = field(hash=False)  # pattern code -> caution (read-only)
    patterns: tuple[str, ...]  # empty: kept in the library but not picked by the plan
    sources: tuple[str, ...]
    evidence_note: str | None
    pose_start: Pose
    pose_end: Pose
    loads: frozenset[str] = frozenset()  # LOADS codes
    avoid_for: frozenset[str] = frozenset()  # pattern codes it is never planned for (G-AVOID)
    gradual_for: frozenset[str] = frozenset()  # pattern codes it comes in gradually for (G-GRADUAL)
    pregnancy_ok: bool = False  # the plan may pick it as written during pregnancy (K6-PREGNANCY)
    pregnancy_swap: str | None = None  # the record planned in its place during pregnancy

    def caution_for(self, pattern_code: str) -> str | None:
        """The caution for this pattern, else the one for every pattern ("all"), else None."""
        return self.cautions.get(pattern_code) or self.cautions.get("all")

    def suits(self, pattern_code: str) -> bool:
        """True if spec G plans this record for the pattern (directly or through "all")."""
        return pattern_code in self.patterns or "all" in self.patterns


# --- Reading and validation helpers --------------------------------------------------------------


def _load(filename: str) -> Any:
    return yaml.safe_load(resources.files(_PACKAGE).joinpath(filename).read_text("utf-8"))


def _fail(where: str, field: str, message: str) -> ValueError:
    return ValueError(f"{FILENAME}: {where}: field {field!r} {message}")


def _str(record: Mapping[str, Any], field: str, where: str) -> str:
    value = record.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, field, "must be a non-empty string")
    return value.strip()


def _opt_str(record: Mapping[str, Any], field: str, where: str) -> str | None:
    return None if record.get(field) is None else _str(record, field, where)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _strings(
    record: Mapping[str, Any], field: str, where: str, *, allow_empty: bool = False
) -> tuple[str, ...]:
    value = record.get(field)
    if not isinstance(value, list) or (not value and not allow_empty):
        raise _fail(where, field, "must be a non-empty list" if not allow_empty else "must be a list")
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise _fail(where, field, "must hold non-empty strings")
    return tuple(item.strip() for item in value)


def _choices(values: tuple[str, ...], allowed: Any, where: str, field: str) -> tuple[str, ...]:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise _fail(where, field, f"has unknown value(s) {unknown}; allowed: {sorted(allowed)}")
    if len(set(values)) != len(values):
        raise _fail(where, field, "has duplicates")
    return values


def _dosage(raw: Any, where: str) -> Dosage:
    if not isinstance(raw, Mapping):
        raise _fail(where, "dosage", "must be a mapping")
    extra = sorted(set(raw) - _DOSAGE_KEYS)
    if extra:
        raise _fail(where, "dosage", f"has unknown key(s) {extra}")

    def count(key: str, *, required: bool, minimum: int) -> int | None:
        value = raw.get(key)
        if value is None:
            if required:
                raise _fail(where, f"dosage.{key}", "is required")
            return None
        if not _is_int(value) or value < minimum:
            raise _fail(where, f"dosage.{key}", f"must be an integer >= {minimum}")
        return int(value)

    sets = count("sets", required=True, minimum=1)
    reps = count("reps", required=False, minimum=1)
    hold_s = count("hold_s", required=False, minimum=1)
    duration_min = count("duration_min", required=False, minimum=1)
    rest_s = count("rest_s", required=True, minimum=0)
    if reps is None and hold_s is None and duration_min is None:
        raise _fail(where, "dosage", "needs reps, hold_s or duration_min")
    per_side = raw.get("per_side")
    if not isinstance(per_side, bool):
        raise _fail(where, "dosage.per_side", "must be true or false")
    frequency = raw.get("frequency")
    if not isinstance(frequency, str) or not frequency.strip():
        raise _fail(where, "dosage.frequency", "must be a non-empty string")
    assert sets is not None and rest_s is not None  # required above
    return Dosage(sets, reps, hold_s, duration_min, rest_s, per_side, frequency.strip())


def _angles(raw: Any, length: int, where: str, field: str) -> tuple[float, ...]:
    if not isinstance(raw, list) or len(raw) != length:
        raise _fail(where, field, f"must be a list of {length} angles")
    for value in raw:
        if not _is_number(value) or not -360 <= value <= 360:
            raise _fail(where, field, f"must hold numbers between -360 and 360, got {value!r}")
    return tuple(float(value) for value in raw)


def _angle(raw: Any, where: str, field: str) -> float:
    if not _is_number(raw) or not -360 <= raw <= 360:
        raise _fail(where, field, f"must be a number between -360 and 360, got {raw!r}")
    return float(raw)


def _pose(raw: Any, where: str, field: str) -> Pose:
    if not isinstance(raw, Mapping):
        raise _fail(where, field, "must be a mapping")
    missing = [key for key in POSE_KEYS if key not in raw]
    if missing:
        raise _fail(where, field, f"is missing key(s) {missing}")
    extra = sorted(set(raw) - {*POSE_KEYS, *POSE_OPTIONAL})
    if extra:
        raise _fail(where, field, f"has unknown key(s) {extra}")
    limbs = {key: _angles(raw[key], size, where, f"{field}.{key}") for key, size in _LIMB_LENGTHS.items()}
    props: tuple[str, ...] = ()
    if raw.get("props") is not None:
        props = _choices(_strings(raw, "props", where, allow_empty=True), PROPS, where, f"{field}.props")
    view = raw.get("view", "side")
    if view not in VIEWS:
        raise _fail(where, f"{field}.view", f"is {view!r}, not one of {list(VIEWS)}")
    pelvis = None if raw.get("pelvis") is None else _angle(raw["pelvis"], where, f"{field}.pelvis")
    depth = _depth(raw.get("depth"), where, f"{field}.depth")
    if view == "side" and (pelvis is not None or depth):
        raise _fail(where, f"{field}.view", "must be front or above for pelvis or depth")
    support = raw.get("support")
    if support is not None and (support not in SUPPORTS or SUPPORTS[support] not in props):
        raise _fail(where, f"{field}.support", f"must be one of {SUPPORTS} (part: prop, in props)")
    near_arm, far_arm = limbs["near_arm"], limbs["far_arm"]
    near_leg, far_leg = limbs["near_leg"], limbs["far_leg"]
    return Pose(
        trunk=_angle(raw["trunk"], where, f"{field}.trunk"),
        head=_angle(raw["head"], where, f"{field}.head"),
        near_arm=(near_arm[0], near_arm[1]),
        far_arm=(far_arm[0], far_arm[1]),
        near_leg=(near_leg[0], near_leg[1], near_leg[2]),
        far_leg=(far_leg[0], far_leg[1], far_leg[2]),
        props=props,
        view=view,
        pelvis=pelvis,
        support=support,
        depth=depth,
    )


def _depth(raw: Any, where: str, field: str) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """Front views: per limb, how far each segment points out of the picture (toward the viewer
    positive), -90 to 90 degrees; the segment is drawn shortened by the cosine."""
    if raw is None:
        return ()
    if not isinstance(raw, Mapping) or not set(raw) <= set(_LIMB_LENGTHS):
        raise _fail(where, field, f"must map limbs {list(_LIMB_LENGTHS)} to angles")
    result = []
    for limb in sorted(raw):
        angles = _angles(raw[limb], _LIMB_LENGTHS[limb], where, f"{field}.{limb}")
        if any(abs(angle) > 90 for angle in angles):
            raise _fail(where, f"{field}.{limb}", "must hold angles between -90 and 90")
        result.append((limb, angles))
    return tuple(result)


def _cautions(raw: Any, where: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise _fail(where, "cautions", "must be a mapping of pattern code to text")
    result: dict[str, str] = {}
    for code, text in raw.items():
        if code not in PATTERN_CODES:
            raise _fail(where, "cautions", f"key {code!r} is not a pattern code {list(PATTERN_CODES)}")
        if not isinstance(text, str) or not text.strip():
            raise _fail(where, f"cautions.{code}", "must be a non-empty string")
        result[code] = " ".join(text.split())
    return result


def _bool(record: Mapping[str, Any], field: str, where: str) -> bool:
    value = record.get(field)
    if not isinstance(value, bool):
        raise _fail(where, field, "must be true or false")
    return value


def _codes(record: Mapping[str, Any], field: str, where: str, allowed: Any) -> frozenset[str]:
    """An optional list of codes (missing: none)."""
    if record.get(field) is None:
        return frozenset()
    return frozenset(_choices(_strings(record, field, where, allow_empty=True), allowed, where, field))


def _plan_attributes(record: Mapping[str, Any], where: str, record_id: str) -> dict[str, Any]:
    """loads, avoid_for, gradual_for, pregnancy_ok and pregnancy_swap, checked for consistency."""
    if "loads" not in record:
        raise _fail(where, "loads", "is required (an empty list when the record loads none of them)")
    loads = _codes(record, "loads", where, LOADS)
    plan_codes = [code for code in PATTERN_CODES if code != "all"]
    avoid_for = _codes(record, "avoid_for", where, plan_codes)
    gradual_for = _codes(record, "gradual_for", where, plan_codes)
    if avoid_for & gradual_for:
        raise _fail(where, "gradual_for", f"repeats avoid_for code(s) {sorted(avoid_for & gradual_for)}")
    pregnancy_ok = _bool(record, "pregnancy_ok", where)
    if pregnancy_ok and loads & NOT_IN_PREGNANCY:
        raise _fail(where, "pregnancy_ok", f"cannot be true with {sorted(loads & NOT_IN_PREGNANCY)} in loads")
    swap = _link(record, "pregnancy_swap", where, record_id)
    if swap is not None and pregnancy_ok:
        raise _fail(where, "pregnancy_swap", "is only for records that are not pregnancy_ok")
    return {
        "loads": loads,
        "avoid_for": avoid_for,
        "gradual_for": gradual_for,
        "pregnancy_ok": pregnancy_ok,
        "pregnancy_swap": swap,
    }


def _link(record: Mapping[str, Any], field: str, where: str, own_id: str) -> str | None:
    value = _opt_str(record, field, where)
    if value == own_id:
        raise _fail(where, field, "must not point to the record itself")
    return value


def _parse(record: Mapping[str, Any], where: str, record_id: str) -> Exercise:
    category = _str(record, "category", where)
    if category not in CATEGORIES:
        raise _fail(where, "category", f"is {category!r}, not one of {list(CATEGORIES)}")
    level = record.get("level")
    if not _is_int(level) or level not in LEVELS:
        raise _fail(where, "level", f"is {level!r}, not one of {list(LEVELS)}")
    steps = _strings(record, "steps", where)
    if not 3 <= len(steps) <= 6:
        raise _fail(where, "steps", f"must hold 3 to 6 steps, has {len(steps)}")
    source_ids = _strings(record, "sources", where)
    known = catalog.sources()
    unknown = [source_id for source_id in source_ids if source_id not in known]
    if unknown:
        raise _fail(where, "sources", f"has unknown source id(s) {unknown}")
    if all(known[source_id].kind == "app_policy" for source_id in source_ids):
        raise _fail(where, "sources", "cites app-policy alone")
    return Exercise(
        id=record_id,
        name=_str(record, "name", where),
        category=category,
        steps=steps,
        dosage=_dosage(record.get("dosage"), where),
        muscles=_strings(record, "muscles", where),
        equipment=_choices(_strings(record, "equipment", where), EQUIPMENT, where, "equipment"),
        level=int(level),
        progression=_link(record, "progression", where, record_id),
        regression=_link(record, "regression", where, record_id),
        cautions=MappingProxyType(_cautions(record.get("cautions"), where)),
        patterns=_choices(
            _strings(record, "patterns", where, allow_empty=True), PATTERN_CODES, where, "patterns"
        ),
        sources=source_ids,
        evidence_note=_opt_str(record, "evidence_note", where),
        pose_start=_pose(record.get("pose_start"), where, "pose_start"),
        pose_end=_pose(record.get("pose_end"), where, "pose_end"),
        **_plan_attributes(record, where, record_id),
    )


def _build(data: Any) -> dict[str, Exercise]:
    if not isinstance(data, Mapping):
        raise ValueError(f"{FILENAME}: top level: expected a mapping")
    raw = data.get("exercises")
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{FILENAME}: missing or empty required list 'exercises'")
    result: dict[str, Exercise] = {}
    for index, record in enumerate(raw):
        if not isinstance(record, Mapping):
            raise ValueError(f"{FILENAME}: exercises[{index}]: expected a mapping")
        record_id = record.get("id")
        if not isinstance(record_id, str) or not record_id.strip():
            raise ValueError(f"{FILENAME}: record {index + 1}: field 'id' must be a non-empty string")
        if record_id in result:
            raise ValueError(f"{FILENAME}: duplicate id {record_id!r}")
        result[record_id] = _parse(record, f"exercise {record_id!r}", record_id)
    for exercise_id, item in result.items():
        for link in ("progression", "regression", "pregnancy_swap"):
            target = getattr(item, link)
            if target is not None and target not in result:
                raise _fail(f"exercise {exercise_id!r}", link, f"names unknown exercise {target!r}")
        swap = result.get(item.pregnancy_swap or "")
        if swap is not None and not swap.pregnancy_ok:
            raise _fail(f"exercise {exercise_id!r}", "pregnancy_swap", f"names {swap.id!r}, not pregnancy_ok")
    return result


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
