"""Stick-figure geometry: segment lengths, joint positions from a pose (side, front and from-above
views), the spine curve. Model units, y up. Pure."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from backstride.knowledge.poses import LIMBS, PROPS, SUPPORTS, VIEWS, Pose

__all__ = ["LIMBS", "PROPS", "SUPPORTS", "VIEWS", "Pose"]

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


def segment_end(start: Point, degrees: float, length: float) -> Point:
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
    shoulder = segment_end(hip, pose.trunk, seg["trunk"])
    neck = segment_end(shoulder, pose.trunk, seg["neck"])
    joints: dict[str, Point] = {
        "hip": hip,
        "shoulder": shoulder,
        "neck": neck,
        "head": segment_end(neck, pose.head, seg["head_radius"]),
        "head_top": segment_end(neck, pose.head, 2 * seg["head_radius"]),
    }
    for side, arm, leg in (("near", pose.near_arm, pose.near_leg), ("far", pose.far_arm, pose.far_leg)):
        elbow = segment_end(shoulder, arm[0], seg["upper_arm"])
        knee = segment_end(hip, leg[0], seg["thigh"])
        ankle = segment_end(knee, leg[1], seg["shin"])
        joints[f"{side}_elbow"] = elbow
        joints[f"{side}_wrist"] = segment_end(elbow, arm[1], seg["forearm"])
        joints[f"{side}_knee"] = knee
        joints[f"{side}_ankle"] = ankle
        joints[f"{side}_toe"] = segment_end(ankle, leg[2], seg["foot"])
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
    shoulder = segment_end(hip, pose.trunk, SEGMENTS["trunk"])
    control = segment_end(hip, pelvis_direction(pose) + 90.0, half)
    if math.dist(control, segment_end(hip, pose.trunk, half)) < 1e-6:
        return (hip, shoulder)
    points = []
    for index in range(9):
        t = index / 8
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t**2
        points.append(
            (a * hip[0] + b * control[0] + c * shoulder[0], a * hip[1] + b * control[1] + c * shoulder[1])
        )
    return tuple(points)


def view_tilt(pose: Pose) -> float:
    return math.radians(ABOVE_TILT if pose.view == "above" else 0.0)


def _project(pose: Pose, x: float, y: float, z: float) -> Point:
    """Front views: a point of the body (frontal plane x, y; z toward the viewer) in the picture. Seen
    from above, the camera leans ABOVE_TILT degrees toward the figure's lower picture edge, so that
    what is raised off the floor (z) shows as raised in the picture."""
    tilt = view_tilt(pose)
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
    neck = segment_end(shoulder, upper, seg["neck"])
    pelvis = pelvis_direction(pose)
    flat: dict[str, Point] = {
        "hip": hip,
        "shoulder": shoulder,
        "neck": neck,
        "head": segment_end(neck, pose.head, seg["head_radius"]),
        "head_top": segment_end(neck, pose.head, 2 * seg["head_radius"]),
        "near_hip": segment_end(hip, pelvis, -HIP_HALF_WIDTH),  # near: the figure's right side
        "far_hip": segment_end(hip, pelvis, HIP_HALF_WIDTH),
        "near_shoulder": segment_end(shoulder, upper - 90.0, -SHOULDER_HALF_WIDTH),
        "far_shoulder": segment_end(shoulder, upper - 90.0, SHOULDER_HALF_WIDTH),
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


def figure_points(joints: Mapping[str, Point]) -> list[Point]:
    """Every point of the figure's outline: the joints and the extremes of the head circle."""
    r = SEGMENTS["head_radius"]
    hx, hy = joints["head"]
    return [*joints.values(), (hx - r, hy), (hx + r, hy), (hx, hy - r), (hx, hy + r)]
