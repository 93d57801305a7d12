"""The stick-figure pose: one declared schema for the exercise library (exercises.yaml) and the figure
code (core/figures), which both use this ``Pose``.

Absolute segment directions in degrees in the picture (0 = right, 90 = up, 180 = left, -90 = down),
seen from the side facing right unless ``view`` says front or above. ``trunk`` is hip -> shoulder,
``head`` neck -> top of head, arms [shoulder -> elbow, elbow -> wrist], legs [hip -> knee,
knee -> ankle, ankle -> toe].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic.dataclasses import dataclass

from .schema import RECORD, FieldError, KnowledgeError, Number, Record, no_duplicates, number, validate

SUPPORTS: Mapping[str, str] = {"shoulders": "bench", "hips": "ball"}  # support -> the prop it needs
LIMBS: Mapping[str, int] = {"near_arm": 2, "far_arm": 2, "near_leg": 3, "far_leg": 3}
POSE_KEYS = ("trunk", "head", "near_arm", "far_arm", "near_leg", "far_leg")
POSE_OPTIONAL = ("props", "view", "pelvis", "support", "depth")

Angle = Annotated[Number, Field(ge=-360, le=360)]
Prop = Literal["mat", "step", "ball", "band", "dumbbell", "bench", "foam_roller", "wall", "bike", "pool"]
View = Literal["side", "front", "above"]
PROPS: tuple[str, ...] = get_args(Prop)
VIEWS: tuple[str, ...] = get_args(View)
Depth = tuple[tuple[str, tuple[float, ...]], ...]


@dataclass(frozen=True, config=RECORD)
class Pose(Record):
    trunk: Angle
    head: Angle
    near_arm: tuple[Angle, Angle]
    far_arm: tuple[Angle, Angle]
    near_leg: tuple[Angle, Angle, Angle]
    far_leg: tuple[Angle, Angle, Angle]
    props: Annotated[tuple[Prop, ...], BeforeValidator(no_duplicates)] = ()
    # Added with the front views (issue 10); left out of the repr, so that a side-view pose has the
    # repr, and its picture the element ids, it had before.
    view: View = field(default="side", repr=False)
    pelvis: Angle | None = field(default=None, repr=False)  # front views: right hip -> left hip
    support: Literal["shoulders", "hips"] | None = field(default=None, repr=False)
    # Front views: per limb, how far each segment points out of the picture (toward the viewer
    # positive), -90 to 90 degrees; drawn shortened by the cosine. Limbs with no depth are left out.
    depth: Depth = field(default=(), repr=False)

    @field_validator("props", mode="before")
    @classmethod
    def _props(cls, value: Any) -> Any:
        return () if value is None else value

    @field_validator("view", mode="before")
    @classmethod
    def _view(cls, value: Any) -> Any:
        return value or "side"

    @field_validator("depth", mode="before")
    @classmethod
    def _depth(cls, raw: Any) -> Depth:
        if raw is None:
            return ()
        if isinstance(raw, Mapping):
            pairs: Sequence[Any] = list(raw.items())
        elif isinstance(raw, list | tuple):
            pairs = raw  # (limb, angles) pairs, the form Pose.depth keeps them in
        else:
            raise ValueError(f"must map limbs {list(LIMBS)} to angles")
        result: dict[str, tuple[float, ...]] = {}
        for pair in pairs:
            if not isinstance(pair, list | tuple) or len(pair) != 2 or pair[0] not in LIMBS:
                raise ValueError(f"must map limbs {list(LIMBS)} to angles, got {pair!r}")
            limb, angles = str(pair[0]), pair[1]
            if limb in result:
                raise FieldError(limb, "is listed twice")
            if not isinstance(angles, list | tuple) or len(angles) != LIMBS[limb]:
                raise FieldError(limb, f"must be a list of {LIMBS[limb]} angles")
            try:
                values = tuple(number(angle) for angle in angles)
            except ValueError as error:
                raise FieldError(limb, f"must hold numbers: {error}") from None
            if any(abs(value) > 90 for value in values):
                raise FieldError(limb, "must hold angles between -90 and 90")
            result[limb] = values
        return tuple(sorted((limb, values) for limb, values in result.items() if any(values)))

    @model_validator(mode="after")
    def _views_and_support(self) -> Pose:
        if self.view == "side" and (self.pelvis is not None or self.depth):
            raise FieldError("view", "must be front or above for pelvis or depth")
        if self.support is not None and SUPPORTS[self.support] not in self.props:
            raise FieldError(
                "support", f"{self.support} rests on the {SUPPORTS[self.support]}; add it to props"
            )
        return self

    def depth_of(self, limb: str) -> tuple[float, ...]:
        """The out-of-picture angles of one limb's segments (all 0 unless ``depth`` names it)."""
        return dict(self.depth).get(limb, (0.0,) * LIMBS[limb])

    def extras(self) -> tuple[object, ...]:
        """The fields added for the front views, when any differs from its side-view default."""
        if (self.view, self.pelvis, self.support, self.depth) == ("side", None, None, ()):
            return ()
        return (self.view, self.pelvis, self.support, self.depth)


def pose_from_mapping(raw: Mapping[str, object]) -> Pose:
    """A Pose from a mapping of the keys above; ValueError naming the key for anything that does not
    fit."""
    try:
        return validate(Pose, "pose", raw)
    except KnowledgeError as error:
        raise ValueError(str(error).replace("pose: top level: ", "pose: ")) from None
