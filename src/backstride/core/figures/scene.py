"""The scene of one picture in model units: the figure's shapes and the props that hold it (ball,
roller, step, bench, mat, band, dumbbell, wall, and the bike and pool of ``equipment``), placed on the
ground. Pure."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from .equipment import bike_floor, bike_shapes, pool_levels, pool_shapes
from .geometry import (
    ABOVE_MAT_HALF_WIDTH,
    BALL_RADIUS,
    BENCH_BACK_WIDTH,
    BENCH_HEIGHT,
    BENCH_MIN_WIDTH,
    BLADE,
    MAT_OVERHANG,
    MAT_THICKNESS,
    ROLLER_RADIUS,
    SEGMENTS,
    STEP_HEIGHT,
    STEP_WIDTH,
    Point,
    Pose,
    figure_points,
    joint_positions,
    segment_end,
    spine_points,
    view_tilt,
)
from .shapes import Box, Circle, Poly, Scene, Shape

__all__ = ["Box", "Circle", "Poly", "Scene", "Shape", "build_scene"]


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


def _figure_shapes(pose: Pose, joints: Mapping[str, Point]) -> list[Shape]:
    j = joints
    if pose.view == "side":
        return [
            Poly((j["shoulder"], j["far_elbow"], j["far_wrist"]), "far"),
            Poly((j["hip"], j["far_knee"], j["far_ankle"], j["far_toe"]), "far"),
            Poly((j["hip"], j["near_knee"], j["near_ankle"], j["near_toe"]), "near"),
            Poly((j["hip"], j["shoulder"], j["neck"]), "near"),
            Circle(j["head"], SEGMENTS["head_radius"], "head"),
            Poly((j["shoulder"], j["near_elbow"], j["near_wrist"]), "near"),
        ]
    # Seen from the front both sides are in view: the figure's left (far) side a shade lighter.
    return [
        Poly((j["far_shoulder"], j["far_elbow"], j["far_wrist"]), "left"),
        Poly((j["far_hip"], j["far_knee"], j["far_ankle"], j["far_toe"]), "left"),
        Poly((j["near_hip"], j["near_knee"], j["near_ankle"], j["near_toe"]), "near"),
        Poly((j["near_hip"], j["far_hip"]), "near"),
        Poly((*spine_points(pose), j["neck"]), "near"),
        Poly((j["near_shoulder"], j["far_shoulder"]), "near"),
        Circle(j["head"], SEGMENTS["head_radius"], "head"),
        Poly((j["near_shoulder"], j["near_elbow"], j["near_wrist"]), "near"),
    ]


def _above_scene(pose: Pose, joints: Mapping[str, Point], points: Sequence[Point]) -> Scene:
    """Seen from above (lying on the floor): no ground line; the mat is a rectangle under the body."""
    back: list[Shape] = []
    if "mat" in pose.props:
        hip, shoulder = joints["hip"], joints["shoulder"]
        along_x = abs(shoulder[0] - hip[0]) >= abs(shoulder[1] - hip[1])
        body = [joints[name] for name in joints if not name.endswith(("elbow", "wrist"))]
        if along_x:
            x0 = min(p[0] for p in body) - 2 * MAT_OVERHANG
            x1 = max(p[0] for p in body) + 2 * MAT_OVERHANG
            half = ABOVE_MAT_HALF_WIDTH * math.cos(view_tilt(pose))
            y0, y1 = hip[1] - half, hip[1] + half
        else:
            x0, x1 = hip[0] - ABOVE_MAT_HALF_WIDTH, hip[0] + ABOVE_MAT_HALF_WIDTH
            y0 = min(p[1] for p in body) - 2 * MAT_OVERHANG
            y1 = max(p[1] for p in body) + 2 * MAT_OVERHANG
        back.append(Box(x0, y0, x1, y1, "mat_above"))
    ground = min([p[1] for p in points] + [shape.y0 for shape in back if isinstance(shape, Box)])
    return Scene(tuple(back), tuple(_figure_shapes(pose, joints)), (), ground, floor=False)


def build_scene(pose: Pose) -> Scene:
    joints = joint_positions(pose)
    points = figure_points(joints)
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
    bike = "bike" in props and pose.view == "side"  # a bike seen from the front is only its frame
    if bike:
        ground = min(ground, bike_floor())
    pool = pool_levels(joints, low) if "pool" in props else None
    if pool is not None:
        ground = min(ground, pool[1])

    fig_left = min(p[0] for p in points)
    fig_right = max(p[0] for p in points)
    fig_top = max(p[1] for p in points)
    back: list[Shape] = []
    front: list[Shape] = []
    if pool is not None:  # the water behind the body, and over it (drawn see-through)
        water, water_front = pool_shapes(joints, pool[0], ground)
        back.append(water)
        front.append(water_front)
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
            back.append(Poly(((wall_x, ground), (wall_x, fig_top + 10.0)), "wall"))
    if "mat" in props:
        back.append(
            Box(fig_left - MAT_OVERHANG, ground - MAT_THICKNESS, fig_right + MAT_OVERHANG, ground, "mat")
        )
    if pose.view == "front" and pose.pelvis is not None and abs(pose.pelvis) >= 3.0:
        near, far = joints["near_hip"], joints["far_hip"]  # a level line through the standing hip
        side = 1.0 if far[0] >= near[0] else -1.0
        back.append(Poly(((near[0] - 6.0 * side, near[1]), (far[0] + 12.0 * side, near[1])), "guide"))
    if bench is not None:
        back.append(Box(bench[0], ground, bench[1], ground + BENCH_HEIGHT, "prop"))
    if step is not None:
        step_left, step_right = step[0], step[1]
        if front_wall is not None and step_left + 12.0 < front_wall < step_right:
            step_right = front_wall  # the step stands against the wall the hands rest on
        elif front_wall is not None and pose.view != "side" and step_left < front_wall < step_right - 12.0:
            step_left = front_wall
        back.append(Box(step_left, ground, step_right, ground + STEP_HEIGHT, "prop"))
    if ball is not None:
        back.append(Circle((ball[0], ground + ball_radius), ball_radius, "prop"))
    if roller is not None:
        back.append(Circle((roller[0], ground + ROLLER_RADIUS), ROLLER_RADIUS, "prop"))
    if bike:
        back.extend(bike_shapes(joints, ground))

    figure = _figure_shapes(pose, joints)

    wrist = joints["near_wrist"]
    if "band" in props:
        wall = next((s for s in back if isinstance(s, Poly) and s.role == "wall"), None)
        anchor = (wall.points[0][0], wrist[1]) if wall is not None else joints["near_toe"]
        front.append(Poly((wrist, anchor), "band"))
    if "dumbbell" in props:
        forearm = pose.near_arm[1]
        across = forearm + 90.0
        end_a, end_b = segment_end(wrist, across, -7.0), segment_end(wrist, across, 7.0)
        front.append(Poly((end_a, end_b), "dumbbell"))
        for end in (end_a, end_b):
            front.append(Poly((segment_end(end, forearm, -5.0), segment_end(end, forearm, 5.0)), "plate"))
    return Scene(tuple(back), tuple(figure), tuple(front), ground)
