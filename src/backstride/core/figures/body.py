"""The body drawn with volume: each part a rounded thick stroke (a capsule) along the bones the
joint angles give, with an outline, a head and a torso. Model units, y up. Pure.

Parts come in layers, drawn back to front; within a layer every outline goes first and every fill
after, so that the parts of one layer join without seams (a thigh runs into the hips) while the
layers in front keep their outline (the near arm across the chest).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .geometry import SEGMENTS, Point, Pose, joint_positions, spine_points
from .shapes import Box, Circle, Scene

# Thickness of each part across the bone, model units (an adult's proportions, simplified).
WIDTHS: Mapping[str, float] = {
    "torso": 21.0,  # seen from the side: chest to back
    "torso_front": 25.0,  # seen from the front: across the chest
    "shoulders": 11.0,  # front views: the line across the shoulders
    "pelvis": 17.0,  # front views: the line across the hips
    "neck": 8.0,
    "upper_arm": 8.5,
    "forearm": 7.0,
    "thigh": 12.5,
    "shin": 9.5,
    "foot": 6.0,
}
LIFT = WIDTHS["foot"] / 2  # the body's surface, not its bones, rests on the floor: half a foot up
SPINE_POINTS = 9  # front views: the spine always has this many points, so that frames line up


@dataclass(frozen=True)
class Part:
    """One capsule: a stroke of ``width`` through ``points``; ``tone`` near (the side facing the
    viewer) or far (the other side, lighter)."""

    name: str
    points: tuple[Point, ...]
    width: float
    tone: str


@dataclass(frozen=True)
class Head:
    centre: Point
    r: float


Layer = tuple[Part | Head, ...]


def _resample(points: Sequence[Point], count: int) -> tuple[Point, ...]:
    """``count`` points along the polyline (a straight spine of 2 points becomes 9 in a line)."""
    if len(points) == count:
        return tuple(points)
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(points)]
    total = sum(lengths) or 1.0
    out: list[Point] = []
    for index in range(count):
        goal, walked = total * index / (count - 1), 0.0
        for (a, b), length in zip(itertools.pairwise(points), lengths, strict=True):
            if walked + length >= goal - 1e-9 or (a, b) == (points[-2], points[-1]):
                t = 0.0 if length == 0 else min(max((goal - walked) / length, 0.0), 1.0)
                out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
                break
            walked += length
    return tuple(out)


def _limbs(j: Mapping[str, Point], side: str, tone: str, front: bool) -> tuple[list[Part], list[Part]]:
    """(leg parts, arm parts) of one side."""
    hip = j[f"{side}_hip"] if front else j["hip"]
    shoulder = j[f"{side}_shoulder"] if front else j["shoulder"]
    w = WIDTHS
    leg = [
        Part(f"{side}_thigh", (hip, j[f"{side}_knee"]), w["thigh"], tone),
        Part(f"{side}_shin", (j[f"{side}_knee"], j[f"{side}_ankle"]), w["shin"], tone),
        Part(f"{side}_foot", (j[f"{side}_ankle"], j[f"{side}_toe"]), w["foot"], tone),
    ]
    arm = [
        Part(f"{side}_upper_arm", (shoulder, j[f"{side}_elbow"]), w["upper_arm"], tone),
        Part(f"{side}_forearm", (j[f"{side}_elbow"], j[f"{side}_wrist"]), w["forearm"], tone),
    ]
    return leg, arm


def body_layers(pose: Pose) -> tuple[Layer, ...]:
    """The body's layers, back to front, lifted so that its surface rests where the bones did."""
    j = {name: (x, y + LIFT) for name, (x, y) in joint_positions(pose).items()}
    head = Head(j["head"], SEGMENTS["head_radius"])
    neck = Part("neck", (j["shoulder"], j["neck"]), WIDTHS["neck"], "near")
    if pose.view == "side":
        far_leg, far_arm = _limbs(j, "far", "far", front=False)
        near_leg, near_arm = _limbs(j, "near", "near", front=False)
        torso = Part("torso", (j["hip"], j["shoulder"]), WIDTHS["torso"], "near")
        return (tuple(far_arm), tuple(far_leg), (*near_leg, torso, neck, head), tuple(near_arm))
    spine = _resample([(x, y + LIFT) for x, y in spine_points(pose)], SPINE_POINTS)
    far_leg, far_arm = _limbs(j, "far", "far", front=True)
    near_leg, near_arm = _limbs(j, "near", "near", front=True)
    trunk = (
        Part("pelvis", (j["near_hip"], j["far_hip"]), WIDTHS["pelvis"], "near"),
        Part("torso", spine, WIDTHS["torso_front"], "near"),
        Part("shoulders", (j["near_shoulder"], j["far_shoulder"]), WIDTHS["shoulders"], "near"),
        neck,
        head,
    )
    return (tuple(far_arm), tuple(far_leg), (*near_leg, *trunk), tuple(near_arm))


# --- Resting on the floor and the props ------------------------------------------------------------
# The bones touch the floor (or the bench, the ball) where the pose puts them, but the body round them
# has thickness: a hip on the floor would sink half the torso into it. Each part's ends are raised
# just enough that its surface rests on what holds it, never through it.

Flat = tuple[float, float, float]  # (left x, right x, top y) of a surface the body may rest on
Round = tuple[Point, float]  # (centre, radius) of a ball or roller


def supports_of(scene: Scene) -> tuple[list[Flat], list[Round]]:
    """The floor (unless seen from above), the tops of benches and steps, balls and rollers."""
    flats: list[Flat] = [(-math.inf, math.inf, scene.ground)] if scene.floor else []
    rounds: list[Round] = []
    for shape in scene.back:
        if isinstance(shape, Box) and shape.role == "prop":
            flats.append((shape.x0, shape.x1, shape.y1))
        elif isinstance(shape, Circle) and shape.role == "prop":
            rounds.append((shape.centre, shape.r))
    return flats, rounds


def _rest_point(point: Point, r: float, flats: Sequence[Flat], rounds: Sequence[Round]) -> Point:
    x, y = point
    for x0, x1, top in flats:  # a bone point above the surface: its part's surface on it, not in it
        if x0 <= x <= x1 and y - LIFT >= top - 0.5 and y - r < top:
            y = top + r
    for (cx, cy), radius in rounds:  # above a ball's middle: pushed out along its radius
        dx, dy = x - cx, y - cy
        distance = math.hypot(dx, dy)
        if dy > 0 and 0 < distance < radius + r:
            x, y = cx + dx * (radius + r) / distance, cy + dy * (radius + r) / distance
    return (x, y)


def rest_on(layers: Sequence[Layer], flats: Sequence[Flat], rounds: Sequence[Round]) -> tuple[Layer, ...]:
    """The layers with every part's ends raised onto the surfaces that hold the body."""
    out: list[Layer] = []
    for layer in layers:
        parts: list[Part | Head] = []
        for part in layer:
            if isinstance(part, Head):
                parts.append(Head(_rest_point(part.centre, part.r, flats, rounds), part.r))
            else:
                points = tuple(_rest_point(p, part.width / 2, flats, rounds) for p in part.points)
                parts.append(Part(part.name, points, part.width, part.tone))
        out.append(tuple(parts))
    return tuple(out)
