"""Stick figures for the exercise library (issue 5): the start and end position of every exercise,
drawn by the project itself as SVG from joint angles, because people follow pictures better than text.

A pose is a set of absolute segment directions seen from the side, the figure facing right, y up,
in degrees (0 = right, the way the figure faces; 90 = up; 180 = left; -90 = down)::

    {"trunk": 90, "head": 90, "near_arm": [-90, -90], "far_arm": [-90, -90],
     "near_leg": [-90, -90, 0], "far_leg": [-90, -90, 0], "props": ["mat"]}

``trunk`` is hip -> shoulder, ``head`` is neck -> top of head, arms are [shoulder -> elbow,
elbow -> wrist], legs are [hip -> knee, knee -> ankle, ankle -> toe]. "Near" is the side facing the
viewer (drawn darker, in front); "far" is the other side (drawn lighter, behind).

Segment lengths (model units, a fixed proportion table, ``SEGMENTS``)::

    trunk 50 (hip -> shoulder)    neck 8 (shoulder -> neck, along the trunk)   head radius 9
    upper arm 28    forearm 25    thigh 42    shin 40    foot 12 (ankle -> toe)

The head is a circle whose edge touches the neck point, centred ``head radius`` along ``head``; the
top of the head is one diameter from the neck. Both arms hang from the shoulder, both legs from the
hip.

Placement: the figure's lowest point (joints and head circle) rests on the ground line, unless a
supporting prop holds it higher; then it rests on the prop, and the prop stands on the ground:

* ``ball`` / ``foam_roller``: a circle (radius 20 / 7) under the trunk: under the lower end of a steep
  trunk (sitting on the ball), tangent to the middle of a flatter one (lying on it);
* ``step``: a box 16 high under the near foot (the whole foot if the heel is not below the toes,
  otherwise the ball of the foot on the edge, heel hanging);
* ``bench``: a box 40 high (sitting height) under the lower end of the trunk (the whole trunk when it
  is level); under the feet instead when the feet are clearly above the trunk (feet-up bridges).

The figure rests on whichever is higher: the ground or the prop. The other props only decorate:
``mat`` (a thin rounded strip on the ground under the figure), ``wall`` (a vertical line in front of
the figure when the near hand is its front-most point, hands on the wall; otherwise behind it),
``band`` (a line from the near wrist to the wall at wrist height, or else to the near toe: a band
looped under the foot), ``dumbbell`` (a small bar in the near hand).

Supports (``support``, optional): which part of the body rests on a supporting prop, where the
default placement above would guess wrong:

* ``shoulders`` (needs ``bench``): the upper back on the bench edge, hips free (the hip thrust). The
  bench's top edge meets the trunk ``BLADE`` below the shoulder, at the lower tip of the shoulder
  blades, and the bench reaches from there away from the hips;
* ``hips`` (needs ``ball``): lying face down over the ball with the hands or feet on the floor. The
  ball touches the trunk a third of the way from the hips and is as big as it takes to reach the floor
  under the hands and feet (``BALL_RADIUS`` to 1.6 times that), so the figure rests on the ball and the
  floor at once.

Front views (``view``, optional, default ``side``). ``front``: the body's frontal plane is the picture,
as seen from in front of the chest (standing, or lying on one side: then the lower side is at the
bottom); ``above``: the same plane for a figure lying on its back, seen from above with the camera
leaning ``ABOVE_TILT`` degrees toward the lower picture edge, so that raised knees show as raised; there
is no ground line, and the mat is a rectangle under the whole body. In both, angles are directions in
the picture as before, and:

* ``trunk`` is the chord from the pelvis centre to the shoulder centre; ``pelvis`` (optional) is the
  direction of the line from the right hip joint to the left one, absolute, so that 0 is a level pelvis
  for an upright figure (default: square to the trunk, ``trunk - 90``). The spine leaves the pelvis
  square to it and bends toward the shoulder centre (a quadratic curve): straight when the pelvis is
  square, side-bent when it is tilted. The shoulder line is square to the upper end of the spine; the
  hip joints are ``HIP_HALF_WIDTH`` and the shoulders ``SHOULDER_HALF_WIDTH`` either side of the
  centres;
* ``near_`` limbs are the figure's right arm and leg (as in the side view, where the right side faces
  the viewer), ``far_`` its left ones: for an upright figure, the picture's left and right. Both sides
  are in view and drawn full width, the left a shade lighter;
* ``depth`` (optional) maps a limb to one angle per segment: how far that segment points out of the
  picture toward the viewer (negative: away), -90 to 90 degrees; the segment is drawn shortened by the
  cosine (a bent knee seen from the front, a foot pointing at the viewer, knees raised seen from
  above);
* props: ``mat`` as in the side view; ``step`` under the near foot, reaching away from the other foot
  (which hangs beside it); ``wall`` only where the near hand is the outermost point of the figure (a
  hand on a wall beside it); the others as in the side view. With a tilted ``pelvis`` a thin dashed
  level line through the near hip shows the tilt.

``view``, ``pelvis``, ``support`` and ``depth`` are left out of the ``Pose`` repr, so that every
side-view figure is drawn byte for byte as before they were added.

The picture is scaled uniformly to fit the view box with a margin, but never larger than a fixed
reference scale, so that figures keep one size across exercises. Output is deterministic (same pose
and title -> same bytes), numbers are rounded to one decimal, the title is XML-escaped, and there are
no external references, style sheets or scripts.

Pure: no I/O, no Django.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Point = tuple[float, float]

# Model units; an adult of about 1.7 m is about 170 units from toe to head top.
SEGMENTS: Mapping[str, float] = {
    "trunk": 50.0,
    "neck": 8.0,
    "head_radius": 9.0,
    "upper_arm": 28.0,
    "forearm": 25.0,
    "thigh": 42.0,
    "shin": 40.0,
    "foot": 12.0,
}

PROPS: tuple[str, ...] = ("mat", "step", "ball", "band", "dumbbell", "bench", "foam_roller", "wall")
VIEWS: tuple[str, ...] = ("side", "front", "above")
SUPPORTS: Mapping[str, str] = {"shoulders": "bench", "hips": "ball"}  # support -> the prop it needs
LIMBS: Mapping[str, int] = {"near_arm": 2, "far_arm": 2, "near_leg": 3, "far_leg": 3}

BALL_RADIUS = 20.0  # sitting on it puts the thighs level with the feet flat on the ground
ROLLER_RADIUS = 7.0
STEP_HEIGHT = 16.0
STEP_WIDTH = 36.0
BENCH_HEIGHT = 40.0
BENCH_MIN_WIDTH = 44.0
BENCH_BACK_WIDTH = 56.0  # the bench under the shoulders reaches this far past the shoulder blades
BLADE = 12.0  # shoulder -> the lower tip of the shoulder blades, along the trunk
HIP_HALF_WIDTH = 10.0  # front views: pelvis centre -> each hip joint
SHOULDER_HALF_WIDTH = 14.0  # front views: shoulder centre -> each shoulder joint
ABOVE_MAT_HALF_WIDTH = 30.0  # the mat seen from above: this far either side of the hips
ABOVE_TILT = 30.0  # degrees the camera of the view from above leans toward the lower picture edge
MAT_THICKNESS = 3.0
MAT_OVERHANG = 10.0
REFERENCE_SPAN = 175.0  # model units that fill the shorter side of the view box at the largest scale
MARGIN = 12.0  # px around the picture in each panel
PAIR_GAP = 40.0  # px between the two panels of render_pair, where the arrow goes

_INK = "#1f2933"  # trunk, near limbs, head
_FAR_INK = "#9aa5b1"  # far limbs
_LEFT_INK = "#52606d"  # front views: the figure's left limbs
_GROUND_INK = "#7b8794"
_PROP_FILL = "#e4e7eb"
_MAT_FILL = "#b6c3cf"
_MAT_ABOVE_FILL = "#dde3ea"
_BAND_INK = "#d9822b"
_NEAR_WIDTH = "4.5"
_FAR_WIDTH = "4"

_POSE_KEYS: tuple[tuple[str, int], ...] = (
    ("trunk", 0),
    ("head", 0),
    ("near_arm", 2),
    ("far_arm", 2),
    ("near_leg", 3),
    ("far_leg", 3),
)


@dataclass(frozen=True)
class Pose:
    trunk: float
    head: float
    near_arm: tuple[float, float]
    far_arm: tuple[float, float]
    near_leg: tuple[float, float, float]
    far_leg: tuple[float, float, float]
    props: tuple[str, ...] = ()
    # Added with the front views (issue 10); left out of the repr, so that a side-view pose has the
    # repr, and its picture the element ids, it had before.
    view: str = field(default="side", repr=False)
    pelvis: float | None = field(default=None, repr=False)
    support: str | None = field(default=None, repr=False)
    depth: tuple[tuple[str, tuple[float, ...]], ...] = field(default=(), repr=False)

    def depth_of(self, limb: str) -> tuple[float, ...]:
        """The out-of-picture angles of one limb's segments (all 0 unless ``depth`` names it)."""
        return dict(self.depth).get(limb, (0.0,) * LIMBS[limb])

    def extras(self) -> tuple[object, ...]:
        """The fields added for the front views, when any differs from its side-view default."""
        if (self.view, self.pelvis, self.support, self.depth) == ("side", None, None, ()):
            return ()
        return (self.view, self.pelvis, self.support, self.depth)


# --------------------------------------------------------------------------- parsing


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"pose {where}: expected a number of degrees, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"pose {where}: expected a finite number of degrees, got {value!r}")
    return number


def _angles(raw: Mapping[str, object], key: str, count: int) -> tuple[float, ...]:
    value = raw[key]
    if not isinstance(value, list | tuple):
        raise ValueError(f"pose {key}: expected a list of {count} angles, got {value!r}")
    if len(value) != count:
        raise ValueError(f"pose {key}: expected {count} angles, got {len(value)}")
    return tuple(_number(item, f"{key}[{index}]") for index, item in enumerate(value))


def _depth(raw: object, view: str) -> tuple[tuple[str, tuple[float, ...]], ...]:
    if raw is None:
        return ()
    if isinstance(raw, Mapping):
        pairs: Sequence[object] = list(raw.items())
    elif isinstance(raw, list | tuple):
        pairs = raw  # (limb, angles) pairs, the form Pose.depth keeps them in
    else:
        raise ValueError(f"pose depth: expected a mapping of limb -> angles, got {raw!r}")
    result: dict[str, tuple[float, ...]] = {}
    for pair in pairs:
        if not isinstance(pair, list | tuple) or len(pair) != 2 or pair[0] not in LIMBS:
            raise ValueError(
                f"pose depth: expected limb names ({', '.join(LIMBS)}) with angles, got {pair!r}"
            )
        limb, angles = str(pair[0]), pair[1]
        if limb in result:
            raise ValueError(f"pose depth: {limb} listed twice")
        values = _angles({f"depth.{limb}": angles}, f"depth.{limb}", LIMBS[limb])
        if any(abs(value) > 90 for value in values):
            raise ValueError(f"pose depth.{limb}: angles out of the picture must be between -90 and 90")
        result[limb] = values
    if result and view == "side":
        raise ValueError("pose depth: only for the front views (view: front or above)")
    return tuple(sorted((limb, values) for limb, values in result.items() if any(values)))


def pose_from_mapping(raw: Mapping[str, object]) -> Pose:
    """A Pose from the schema above; ValueError naming the key for anything that does not fit."""
    known = {key for key, _ in _POSE_KEYS} | {"props", "view", "pelvis", "support", "depth"}
    unknown = sorted(str(key) for key in raw if key not in known)
    if unknown:
        raise ValueError(f"pose: unknown key(s) {', '.join(unknown)}")
    for key, _ in _POSE_KEYS:
        if key not in raw:
            raise ValueError(f"pose {key}: missing")
    trunk = _number(raw["trunk"], "trunk")
    head = _number(raw["head"], "head")
    near_arm = _angles(raw, "near_arm", 2)
    far_arm = _angles(raw, "far_arm", 2)
    near_leg = _angles(raw, "near_leg", 3)
    far_leg = _angles(raw, "far_leg", 3)
    props_raw = raw.get("props", ())
    if not isinstance(props_raw, list | tuple):
        raise ValueError(f"pose props: expected a list of prop names, got {props_raw!r}")
    props: list[str] = []
    for prop in props_raw:
        if prop not in PROPS:
            raise ValueError(f"pose props: unknown prop {prop!r} (known: {', '.join(PROPS)})")
        if prop in props:
            raise ValueError(f"pose props: {prop!r} listed twice")
        props.append(str(prop))
    view = raw.get("view") or "side"
    if view not in VIEWS:
        raise ValueError(f"pose view: expected one of {', '.join(VIEWS)}, got {view!r}")
    pelvis = None if raw.get("pelvis") is None else _number(raw["pelvis"], "pelvis")
    if pelvis is not None and view == "side":
        raise ValueError("pose pelvis: only for the front views (view: front or above)")
    support = raw.get("support")
    if support is not None:
        if support not in SUPPORTS:
            raise ValueError(f"pose support: expected one of {', '.join(SUPPORTS)}, got {support!r}")
        if SUPPORTS[str(support)] not in props:
            raise ValueError(
                f"pose support: {support} rests on the {SUPPORTS[str(support)]}; add it to props"
            )
    return Pose(
        trunk=trunk,
        head=head,
        near_arm=(near_arm[0], near_arm[1]),
        far_arm=(far_arm[0], far_arm[1]),
        near_leg=(near_leg[0], near_leg[1], near_leg[2]),
        far_leg=(far_leg[0], far_leg[1], far_leg[2]),
        props=tuple(props),
        view=str(view),
        pelvis=pelvis,
        support=None if support is None else str(support),
        depth=_depth(raw.get("depth"), str(view)),
    )


# --------------------------------------------------------------------------- geometry


def _step(start: Point, degrees: float, length: float) -> Point:
    rad = math.radians(degrees)
    return (start[0] + length * math.cos(rad), start[1] + length * math.sin(rad))


def joint_positions(pose: Pose) -> dict[str, tuple[float, float]]:
    """Joint positions in model units, hip at (0, 0), y up, figure facing +x.

    Keys: hip, shoulder, neck, head (centre of the head circle), head_top, near_/far_ elbow,
    wrist, knee, ankle, toe. The front views add near_/far_ hip and shoulder (the joints; hip and
    shoulder are then the centres of the pelvis and shoulder lines).
    """
    if pose.view != "side":
        return _front_joints(pose)
    seg = SEGMENTS
    hip: Point = (0.0, 0.0)
    shoulder = _step(hip, pose.trunk, seg["trunk"])
    neck = _step(shoulder, pose.trunk, seg["neck"])
    joints: dict[str, Point] = {
        "hip": hip,
        "shoulder": shoulder,
        "neck": neck,
        "head": _step(neck, pose.head, seg["head_radius"]),
        "head_top": _step(neck, pose.head, 2 * seg["head_radius"]),
    }
    for side, arm, leg in (("near", pose.near_arm, pose.near_leg), ("far", pose.far_arm, pose.far_leg)):
        elbow = _step(shoulder, arm[0], seg["upper_arm"])
        knee = _step(hip, leg[0], seg["thigh"])
        ankle = _step(knee, leg[1], seg["shin"])
        joints[f"{side}_elbow"] = elbow
        joints[f"{side}_wrist"] = _step(elbow, arm[1], seg["forearm"])
        joints[f"{side}_knee"] = knee
        joints[f"{side}_ankle"] = ankle
        joints[f"{side}_toe"] = _step(ankle, leg[2], seg["foot"])
    return joints


def pelvis_direction(pose: Pose) -> float:
    """Front views: the direction of the line from the right hip to the left (square to the trunk
    unless ``pelvis`` says otherwise)."""
    return pose.trunk - 90.0 if pose.pelvis is None else pose.pelvis


def _spine_curve(pose: Pose) -> tuple[Point, ...]:
    """Front views: the spine in the body's frontal plane, pelvis centre -> shoulder centre.

    It leaves the pelvis square to the pelvis line and ends at the shoulder centre (``trunk`` is the
    direction of the chord): a quadratic curve, straight when the pelvis is square to the trunk, bent
    sideways when it is not (side bending, a dropped pelvis).
    """
    hip: Point = (0.0, 0.0)
    half = SEGMENTS["trunk"] / 2
    shoulder = _step(hip, pose.trunk, SEGMENTS["trunk"])
    control = _step(hip, pelvis_direction(pose) + 90.0, half)
    if math.dist(control, _step(hip, pose.trunk, half)) < 1e-6:
        return (hip, shoulder)
    points = []
    for index in range(9):
        t = index / 8
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t**2
        points.append(
            (a * hip[0] + b * control[0] + c * shoulder[0], a * hip[1] + b * control[1] + c * shoulder[1])
        )
    return tuple(points)


def _tilt(pose: Pose) -> float:
    return math.radians(ABOVE_TILT if pose.view == "above" else 0.0)


def _project(pose: Pose, x: float, y: float, z: float) -> Point:
    """Front views: a point of the body (frontal plane x, y; z toward the viewer) in the picture. Seen
    from above, the camera leans ABOVE_TILT degrees toward the figure's lower picture edge, so that
    what is raised off the floor (z) shows as raised in the picture."""
    tilt = _tilt(pose)
    return (x, y * math.cos(tilt) + z * math.sin(tilt))


def spine_points(pose: Pose) -> tuple[Point, ...]:
    """Front views: the spine as drawn, from the pelvis centre to the shoulder centre."""
    return tuple(_project(pose, x, y, 0.0) for x, y in _spine_curve(pose))


def _front_joints(pose: Pose) -> dict[str, Point]:
    seg = SEGMENTS
    spine = _spine_curve(pose)
    hip, shoulder = spine[0], spine[-1]
    before = spine[-2] if len(spine) > 2 else hip
    upper = math.degrees(math.atan2(shoulder[1] - before[1], shoulder[0] - before[0]))  # upper trunk
    neck = _step(shoulder, upper, seg["neck"])
    pelvis = pelvis_direction(pose)
    flat: dict[str, Point] = {
        "hip": hip,
        "shoulder": shoulder,
        "neck": neck,
        "head": _step(neck, pose.head, seg["head_radius"]),
        "head_top": _step(neck, pose.head, 2 * seg["head_radius"]),
        "near_hip": _step(hip, pelvis, -HIP_HALF_WIDTH),  # near: the figure's right side
        "far_hip": _step(hip, pelvis, HIP_HALF_WIDTH),
        "near_shoulder": _step(shoulder, upper - 90.0, -SHOULDER_HALF_WIDTH),
        "far_shoulder": _step(shoulder, upper - 90.0, SHOULDER_HALF_WIDTH),
    }
    body: dict[str, tuple[float, float, float]] = {name: (x, y, 0.0) for name, (x, y) in flat.items()}

    def chain(
        start: str, parts: Sequence[tuple[str, str]], angles: Sequence[float], out: Sequence[float]
    ) -> None:
        x, y, z = body[start]
        for (name, segment), angle, depth in zip(parts, angles, out, strict=True):
            a, d, length = math.radians(angle), math.radians(depth), seg[segment]
            x += length * math.cos(d) * math.cos(a)
            y += length * math.cos(d) * math.sin(a)
            z += length * math.sin(d)
            body[name] = (x, y, z)

    for side, arm, leg in (("near", pose.near_arm, pose.near_leg), ("far", pose.far_arm, pose.far_leg)):
        arm_parts = ((f"{side}_elbow", "upper_arm"), (f"{side}_wrist", "forearm"))
        leg_parts = ((f"{side}_knee", "thigh"), (f"{side}_ankle", "shin"), (f"{side}_toe", "foot"))
        chain(f"{side}_shoulder", arm_parts, arm, pose.depth_of(f"{side}_arm"))
        chain(f"{side}_hip", leg_parts, leg, pose.depth_of(f"{side}_leg"))
    return {name: _project(pose, *point) for name, point in body.items()}


def _figure_points(joints: Mapping[str, Point]) -> list[Point]:
    """Every point of the figure's outline: the joints and the extremes of the head circle."""
    r = SEGMENTS["head_radius"]
    hx, hy = joints["head"]
    return [*joints.values(), (hx - r, hy), (hx + r, hy), (hx, hy - r), (hx, hy + r)]


# --------------------------------------------------------------------------- scene (model units)


@dataclass(frozen=True)
class _Poly:
    points: tuple[Point, ...]
    role: str  # far | near | ground | wall | band | dumbbell | plate


@dataclass(frozen=True)
class _Circle:
    centre: Point
    r: float
    role: str  # head | prop


@dataclass(frozen=True)
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float
    role: str  # prop | mat


_Shape = _Poly | _Circle | _Box


@dataclass(frozen=True)
class _Scene:
    back: tuple[_Shape, ...]  # props behind the figure
    figure: tuple[_Shape, ...]
    front: tuple[_Shape, ...]  # props in front of the figure
    ground: float
    floor: bool = True  # False seen from above: no ground line

    def extent(self) -> tuple[float, float, float, float]:
        xs: list[float] = []
        ys: list[float] = [self.ground]
        for shape in (*self.back, *self.figure, *self.front):
            if isinstance(shape, _Poly):
                xs.extend(p[0] for p in shape.points)
                ys.extend(p[1] for p in shape.points)
            elif isinstance(shape, _Circle):
                xs.extend((shape.centre[0] - shape.r, shape.centre[0] + shape.r))
                ys.extend((shape.centre[1] - shape.r, shape.centre[1] + shape.r))
            else:
                xs.extend((shape.x0, shape.x1))
                ys.extend((shape.y0, shape.y1))
        return min(xs), min(ys), max(xs), max(ys)


def _trunk_circle(joints: Mapping[str, Point], radius: float) -> Point:
    """Centre of a circle of ``radius`` touching the trunk from below (before it is put on the ground)."""
    hip, shoulder = joints["hip"], joints["shoulder"]
    dx, dy = shoulder[0] - hip[0], shoulder[1] - hip[1]
    length = math.hypot(dx, dy)
    if abs(dy) > 0.5 * length:  # steep trunk: sit on it, the ball right under the lower end
        low = hip if hip[1] <= shoulder[1] else shoulder
        return (low[0], low[1] - radius)
    nx, ny = -dy / length, dx / length  # a unit normal of the trunk; make it point up
    if ny < 0:
        nx, ny = -nx, -ny
    mx, my = (hip[0] + shoulder[0]) / 2, (hip[1] + shoulder[1]) / 2
    return (mx - radius * nx, my - radius * ny)


def _step_contact(joints: Mapping[str, Point]) -> tuple[float, float, float]:
    """(left x, right x, top y) of the step under the near foot."""
    ankle, toe = joints["near_ankle"], joints["near_toe"]
    if ankle[1] >= toe[1] - 1.0:  # foot flat or heel raised: the whole foot on the step
        left = min(ankle[0], toe[0]) - 4.0
        return left, left + STEP_WIDTH, min(ankle[1], toe[1])
    left = toe[0] - 4.0  # heel below the toes: ball of the foot on the edge, heel hanging
    return left, left + STEP_WIDTH, toe[1]


def _bench_contact(joints: Mapping[str, Point]) -> tuple[float, float, float]:
    """(left x, right x, top y) of the bench: under the trunk, or under the feet when they are up."""
    hip, shoulder = joints["hip"], joints["shoulder"]
    trunk_low = min(hip[1], shoulder[1])
    feet = [joints[f"{side}_{part}"] for side in ("near", "far") for part in ("ankle", "toe")]
    feet_low = min(p[1] for p in feet)
    if feet_low > trunk_low + 10.0:
        on = [p[0] for p in feet if p[1] <= feet_low + 4.0]
        left, right = min(on) - 6.0, max(on) + 6.0
        top = feet_low
    elif abs(hip[1] - shoulder[1]) < 0.1 * SEGMENTS["trunk"]:  # level trunk: lie along the bench
        left, right = min(hip[0], shoulder[0]) - 6.0, max(hip[0], shoulder[0]) + 6.0
        top = trunk_low
    else:
        low = hip if hip[1] <= shoulder[1] else shoulder
        left, right = low[0] - BENCH_MIN_WIDTH / 2, low[0] + BENCH_MIN_WIDTH / 2
        top = low[1]
    if right - left < BENCH_MIN_WIDTH:
        middle = (left + right) / 2
        left, right = middle - BENCH_MIN_WIDTH / 2, middle + BENCH_MIN_WIDTH / 2
    return left, right, top


def _trunk_point(joints: Mapping[str, Point], from_hip: float) -> Point:
    hip, shoulder = joints["hip"], joints["shoulder"]
    t = from_hip / SEGMENTS["trunk"]
    return (hip[0] + t * (shoulder[0] - hip[0]), hip[1] + t * (shoulder[1] - hip[1]))


def _shoulder_bench(joints: Mapping[str, Point]) -> tuple[float, float, float]:
    """(left x, right x, top y) of a bench under the shoulders: its edge under the lower tip of the
    shoulder blades, the bench reaching from there away from the hips (the hip thrust)."""
    contact = _trunk_point(joints, SEGMENTS["trunk"] - BLADE)
    if joints["hip"][0] >= joints["shoulder"][0]:
        return contact[0] - BENCH_BACK_WIDTH, contact[0], contact[1]
    return contact[0], contact[0] + BENCH_BACK_WIDTH, contact[1]


def _hip_ball(joints: Mapping[str, Point], low: float) -> tuple[Point, float] | None:
    """(centre, radius) of a ball under the hips of a figure lying face down over it: touching the
    trunk a third of the way from the hips, and big enough to reach the floor the figure's hands and
    feet rest on (within BALL_RADIUS .. 1.6 BALL_RADIUS). None for a steep trunk (sitting: the default
    placement)."""
    hip, shoulder = joints["hip"], joints["shoulder"]
    dx, dy = shoulder[0] - hip[0], shoulder[1] - hip[1]
    length = math.hypot(dx, dy)
    nx, ny = -dy / length, dx / length
    if ny < 0:
        nx, ny = -nx, -ny
    if ny < 0.5:  # steeper than 60 degrees
        return None
    contact = _trunk_point(joints, SEGMENTS["trunk"] / 3)
    radius = min(max((contact[1] - low) / (1 + ny), BALL_RADIUS), 1.6 * BALL_RADIUS)
    return (contact[0] - radius * nx, contact[1] - radius * ny), radius


def _front_step_contact(joints: Mapping[str, Point]) -> tuple[float, float, float]:
    """Front views: (left x, right x, top y) of the step under the near foot, reaching away from the
    other foot (which hangs beside it)."""
    ankle, toe = joints["near_ankle"], joints["near_toe"]
    top = min(ankle[1], toe[1])
    if joints["far_ankle"][0] >= ankle[0]:
        right = max(ankle[0], toe[0]) + 5.0
        return right - STEP_WIDTH, right, top
    left = min(ankle[0], toe[0]) - 5.0
    return left, left + STEP_WIDTH, top


def _figure_shapes(pose: Pose, joints: Mapping[str, Point]) -> list[_Shape]:
    j = joints
    if pose.view == "side":
        return [
            _Poly((j["shoulder"], j["far_elbow"], j["far_wrist"]), "far"),
            _Poly((j["hip"], j["far_knee"], j["far_ankle"], j["far_toe"]), "far"),
            _Poly((j["hip"], j["near_knee"], j["near_ankle"], j["near_toe"]), "near"),
            _Poly((j["hip"], j["shoulder"], j["neck"]), "near"),
            _Circle(j["head"], SEGMENTS["head_radius"], "head"),
            _Poly((j["shoulder"], j["near_elbow"], j["near_wrist"]), "near"),
        ]
    # Seen from the front both sides are in view: the figure's left (far) side a shade lighter.
    return [
        _Poly((j["far_shoulder"], j["far_elbow"], j["far_wrist"]), "left"),
        _Poly((j["far_hip"], j["far_knee"], j["far_ankle"], j["far_toe"]), "left"),
        _Poly((j["near_hip"], j["near_knee"], j["near_ankle"], j["near_toe"]), "near"),
        _Poly((j["near_hip"], j["far_hip"]), "near"),
        _Poly((*spine_points(pose), j["neck"]), "near"),
        _Poly((j["near_shoulder"], j["far_shoulder"]), "near"),
        _Circle(j["head"], SEGMENTS["head_radius"], "head"),
        _Poly((j["near_shoulder"], j["near_elbow"], j["near_wrist"]), "near"),
    ]


def _above_scene(pose: Pose, joints: Mapping[str, Point], points: Sequence[Point]) -> _Scene:
    """Seen from above (lying on the floor): no ground line; the mat is a rectangle under the body."""
    back: list[_Shape] = []
    if "mat" in pose.props:
        hip, shoulder = joints["hip"], joints["shoulder"]
        along_x = abs(shoulder[0] - hip[0]) >= abs(shoulder[1] - hip[1])
        body = [joints[name] for name in joints if not name.endswith(("elbow", "wrist"))]
        if along_x:
            x0 = min(p[0] for p in body) - 2 * MAT_OVERHANG
            x1 = max(p[0] for p in body) + 2 * MAT_OVERHANG
            half = ABOVE_MAT_HALF_WIDTH * math.cos(_tilt(pose))
            y0, y1 = hip[1] - half, hip[1] + half
        else:
            x0, x1 = hip[0] - ABOVE_MAT_HALF_WIDTH, hip[0] + ABOVE_MAT_HALF_WIDTH
            y0 = min(p[1] for p in body) - 2 * MAT_OVERHANG
            y1 = max(p[1] for p in body) + 2 * MAT_OVERHANG
        back.append(_Box(x0, y0, x1, y1, "mat_above"))
    ground = min([p[1] for p in points] + [shape.y0 for shape in back if isinstance(shape, _Box)])
    return _Scene(tuple(back), tuple(_figure_shapes(pose, joints)), (), ground, floor=False)


def _scene(pose: Pose) -> _Scene:
    joints = joint_positions(pose)
    points = _figure_points(joints)
    if pose.view != "side":
        points.extend(spine_points(pose))
    if pose.view == "above":
        return _above_scene(pose, joints, points)
    props = set(pose.props)

    # Where the ground is: the figure's lowest point, or lower when a prop holds the figure up.
    low = ground = min(p[1] for p in points)
    ball_radius = BALL_RADIUS
    ball = _trunk_circle(joints, BALL_RADIUS) if "ball" in props else None
    if ball is not None and pose.support == "hips":
        held = _hip_ball(joints, low)
        if held is not None:
            ball, ball_radius = held
    roller = _trunk_circle(joints, ROLLER_RADIUS) if "foam_roller" in props else None
    step = None
    if "step" in props:
        step = _step_contact(joints) if pose.view == "side" else _front_step_contact(joints)
    bench = None
    if "bench" in props:
        bench = _shoulder_bench(joints) if pose.support == "shoulders" else _bench_contact(joints)
    if ball is not None:
        ground = min(ground, ball[1] - ball_radius)
    if roller is not None:
        ground = min(ground, roller[1] - ROLLER_RADIUS)
    if step is not None:
        ground = min(ground, step[2] - STEP_HEIGHT)
    if bench is not None:
        ground = min(ground, bench[2] - BENCH_HEIGHT)

    fig_left = min(p[0] for p in points)
    fig_right = max(p[0] for p in points)
    fig_top = max(p[1] for p in points)
    back: list[_Shape] = []
    front: list[_Shape] = []
    front_wall: float | None = None
    if "wall" in props:
        wrist_x = joints["near_wrist"][0]
        if pose.view == "side":
            wall_x: float | None = wrist_x if wrist_x >= fig_right - 1.0 else fig_left
            front_wall = wall_x if wall_x == wrist_x else None
        else:  # seen from the front, a wall shows only beside the figure, where the near hand holds it
            touching = wrist_x <= fig_left + 1.0 or wrist_x >= fig_right - 1.0
            wall_x = front_wall = wrist_x if touching else None
        if wall_x is not None:
            back.append(_Poly(((wall_x, ground), (wall_x, fig_top + 10.0)), "wall"))
    if "mat" in props:
        back.append(
            _Box(fig_left - MAT_OVERHANG, ground - MAT_THICKNESS, fig_right + MAT_OVERHANG, ground, "mat")
        )
    if pose.view == "front" and pose.pelvis is not None and abs(pose.pelvis) >= 3.0:
        near, far = joints["near_hip"], joints["far_hip"]  # a level line through the standing hip
        side = 1.0 if far[0] >= near[0] else -1.0
        back.append(_Poly(((near[0] - 6.0 * side, near[1]), (far[0] + 12.0 * side, near[1])), "guide"))
    if bench is not None:
        back.append(_Box(bench[0], ground, bench[1], ground + BENCH_HEIGHT, "prop"))
    if step is not None:
        step_left, step_right = step[0], step[1]
        if front_wall is not None and step_left + 12.0 < front_wall < step_right:
            step_right = front_wall  # the step stands against the wall the hands rest on
        elif front_wall is not None and pose.view != "side" and step_left < front_wall < step_right - 12.0:
            step_left = front_wall
        back.append(_Box(step_left, ground, step_right, ground + STEP_HEIGHT, "prop"))
    if ball is not None:
        back.append(_Circle((ball[0], ground + ball_radius), ball_radius, "prop"))
    if roller is not None:
        back.append(_Circle((roller[0], ground + ROLLER_RADIUS), ROLLER_RADIUS, "prop"))

    figure = _figure_shapes(pose, joints)

    wrist = joints["near_wrist"]
    if "band" in props:
        wall = next((s for s in back if isinstance(s, _Poly) and s.role == "wall"), None)
        anchor = (wall.points[0][0], wrist[1]) if wall is not None else joints["near_toe"]
        front.append(_Poly((wrist, anchor), "band"))
    if "dumbbell" in props:
        forearm = pose.near_arm[1]
        across = forearm + 90.0
        end_a, end_b = _step(wrist, across, -7.0), _step(wrist, across, 7.0)
        front.append(_Poly((end_a, end_b), "dumbbell"))
        for end in (end_a, end_b):
            front.append(_Poly((_step(end, forearm, -5.0), _step(end, forearm, 5.0)), "plate"))
    return _Scene(tuple(back), tuple(figure), tuple(front), ground)


# --------------------------------------------------------------------------- SVG


def _num(value: float) -> str:
    text = f"{round(value, 1):.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    text = _XML_INVALID.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _ident(*parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
    return f"bs-fig-{digest[:10]}"


_STYLE = {
    "far": f'stroke="{_FAR_INK}" stroke-width="{_FAR_WIDTH}"',
    "left": f'stroke="{_LEFT_INK}" stroke-width="{_NEAR_WIDTH}"',
    "near": f'stroke="{_INK}" stroke-width="{_NEAR_WIDTH}"',
    "head": f'fill="#ffffff" stroke="{_INK}" stroke-width="{_NEAR_WIDTH}"',
    "prop": f'fill="{_PROP_FILL}" stroke="{_GROUND_INK}" stroke-width="1.5"',
    "mat": f'fill="{_MAT_FILL}" rx="1.5"',
    "mat_above": f'fill="{_MAT_ABOVE_FILL}" rx="4"',
    "wall": f'stroke="{_GROUND_INK}" stroke-width="3"',
    "band": f'stroke="{_BAND_INK}" stroke-width="2"',
    "guide": f'stroke="{_GROUND_INK}" stroke-width="1.5" stroke-dasharray="3 3"',
    "dumbbell": 'stroke="#3e4c59" stroke-width="3"',
    "plate": 'stroke="#3e4c59" stroke-width="5"',
}


@dataclass(frozen=True)
class _Place:
    scale: float
    ox: float  # px x of model x = 0
    base: float  # px y of the ground
    ground: float  # model y of the ground

    def x(self, x: float) -> float:
        return self.ox + self.scale * x

    def y(self, y: float) -> float:
        return self.base - self.scale * (y - self.ground)


def _shape_svg(shape: _Shape, place: _Place) -> str:
    style = _STYLE[shape.role]
    if isinstance(shape, _Circle):
        cx, cy = place.x(shape.centre[0]), place.y(shape.centre[1])
        return f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(shape.r * place.scale)}" {style}/>'
    if isinstance(shape, _Box):
        x0, x1 = place.x(shape.x0), place.x(shape.x1)
        top, bottom = place.y(shape.y1), place.y(shape.y0)
        return (
            f'<rect x="{_num(x0)}" y="{_num(top)}" width="{_num(x1 - x0)}" '
            f'height="{_num(bottom - top)}" {style}/>'
        )
    coords = [(place.x(px), place.y(py)) for px, py in shape.points]
    if len(coords) == 2:
        (x1, y1), (x2, y2) = coords
        return f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" {style}/>'
    points = " ".join(f"{_num(px)},{_num(py)}" for px, py in coords)
    return f'<polyline points="{points}" {style}/>'


def _layout(scenes: Sequence[_Scene], width: float, height: float) -> tuple[float, float, list[float]]:
    """(scale, px y of the ground, px x of model x = 0 for each scene) for panels of width x height."""
    avail_w, avail_h = width - 2 * MARGIN, height - 2 * MARGIN
    if avail_w <= 0 or avail_h <= 0:
        raise ValueError(f"figure size {width}x{height} leaves no room inside the {MARGIN} px margin")
    extents = [scene.extent() for scene in scenes]
    low = min(e[1] - s.ground for e, s in zip(extents, scenes, strict=True))  # <= 0 (the mat)
    high = max(e[3] - s.ground for e, s in zip(extents, scenes, strict=True))
    wide = max(e[2] - e[0] for e in extents)
    scale = min(avail_w / wide, avail_h / (high - low), min(avail_w, avail_h) / REFERENCE_SPAN)
    base = height - MARGIN + scale * low
    offsets = [MARGIN + (avail_w - scale * (e[2] - e[0])) / 2 - scale * e[0] for e in extents]
    return scale, base, offsets


def _panel(scene: _Scene, place: _Place, left: float, width: float) -> list[str]:
    ground_y = _num(place.base)
    ink = f'stroke="{_GROUND_INK}" stroke-width="2"'
    out = []
    if scene.floor:  # not seen from above
        out.append(
            f'<line class="ground" x1="{_num(left + MARGIN / 2)}" y1="{ground_y}" '
            f'x2="{_num(left + width - MARGIN / 2)}" y2="{ground_y}" {ink}/>'
        )
    if scene.back:
        out.append('<g class="props">')
        out.extend(_shape_svg(shape, place) for shape in scene.back)
        out.append("</g>")
    out.append('<g class="figure" fill="none">')
    out.extend(_shape_svg(shape, place) for shape in scene.figure)
    out.append("</g>")
    if scene.front:
        out.append('<g class="props-front">')
        out.extend(_shape_svg(shape, place) for shape in scene.front)
        out.append("</g>")
    return out


def _svg_open(width: float, height: float, ident: str, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" aria-labelledby="{ident}" '
        'stroke-linecap="round" stroke-linejoin="round">',
        f'<title id="{ident}">{_xml_text(title)}</title>',
    ]


def render_svg(pose: Pose, title: str, width: int = 240, height: int = 180) -> str:
    """One figure as a standalone, accessible SVG document (a string)."""
    scene = _scene(pose)
    scale, base, (ox,) = _layout([scene], width, height)
    place = _Place(scale, ox, base, scene.ground)
    out = _svg_open(width, height, _ident(title, pose, width, height, *pose.extras()), title)
    out.extend(_panel(scene, place, 0.0, width))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render_pair(
    start: Pose, end: Pose, name: str, width: int = 240, height: int = 180, stacked: bool = False
) -> str:
    """Start and end position side by side (same scale, same ground), an arrow between them.

    Each panel is ``width`` x ``height``; the whole picture is ``2 * width + PAIR_GAP`` wide, or with
    ``stacked`` (for phones) ``2 * height + PAIR_GAP`` high with the start above the end.
    """
    scenes = [_scene(start), _scene(end)]
    scale, base, offsets = _layout(scenes, width, height)
    total_w, total_h = (width, 2 * height + PAIR_GAP) if stacked else (2 * width + PAIR_GAP, height)
    ident = _ident(name, start, end, width, height, *start.extras(), *end.extras())
    ident += "-stacked" if stacked else ""
    where = ("above", "below") if stacked else ("left", "right")
    out = _svg_open(
        total_w, total_h, ident, f"{name}: start position ({where[0]}) and end position ({where[1]})"
    )
    for index, (scene, ox, label) in enumerate(zip(scenes, offsets, ("start", "end"), strict=True)):
        left = 0 if stacked else index * (width + PAIR_GAP)
        top = index * (height + PAIR_GAP) if stacked else 0
        place = _Place(scale, left + ox, base + top, scene.ground)
        out.append(f'<g class="panel {label}">')
        out.append(f"<title>{_xml_text(f'{name}: {label} position')}</title>")
        out.extend(_panel(scene, place, left, width))
        out.append("</g>")
    ink = f'<g class="arrow" stroke="{_GROUND_INK}" fill="{_GROUND_INK}" stroke-width="2.5">'
    if stacked:
        x = _num(width / 2)
        y0, y1 = height + 6.0, height + PAIR_GAP - 6.0
        out.append(
            f'{ink}<line x1="{x}" y1="{_num(y0)}" x2="{x}" y2="{_num(y1 - 6.0)}"/>'
            f'<polygon points="{x},{_num(y1)} {_num(width / 2 - 6.0)},{_num(y1 - 9.0)} '
            f'{_num(width / 2 + 6.0)},{_num(y1 - 9.0)}"/></g>'
        )
    else:
        y = _num(height / 2)
        x0, x1 = width + 6.0, width + PAIR_GAP - 6.0
        out.append(
            f'{ink}<line x1="{_num(x0)}" y1="{y}" x2="{_num(x1 - 6.0)}" y2="{y}"/>'
            f'<polygon points="{_num(x1)},{y} {_num(x1 - 9.0)},{_num(height / 2 - 6.0)} '
            f'{_num(x1 - 9.0)},{_num(height / 2 + 6.0)}"/></g>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
