"""Equipment the body moves in or on rather than lies on (issue 13): a stationary bike under a rider
and the pool a swimmer moves in. Side views only for the bike; the pool in side and front views.
Model units, y up, the hip at (0, 0), figure facing +x. Pure.

Both are placed from the hip, not from the limbs, so that they stand still while an animation moves
the legs or arms (the pedals turn with the near foot):

* ``bike``: the saddle under the hips, the crank's axle ``BIKE_CRANK`` from the hip (where the balls
  of both feet meet the pedals in the cycling record: a bike fitted to its rider), the handlebars
  in the near hand when it reaches forward (else in front of the saddle), a flywheel on the front
  column, a base on the floor ``BIKE_BASE_DROP`` below the axle. The rider rests on the saddle.
* ``pool``: water from the floor to a surface ``SURFACE_ABOVE`` over the chest. A figure whose trunk
  is flatter than 30 degrees to the horizontal swims: it floats, the floor ``POOL_DEPTH`` under the
  surface; a steeper one stands on the floor, chest deep.

Also here: which drawn prop shows each equipment value the exercise library names
(``EQUIPMENT_PROPS``), so that a test can insist that every value has a drawing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .body import LIFT, WIDTHS
from .geometry import Point
from .shapes import Box, Circle, Poly, Shape

# knowledge/exercises.py's equipment values -> the pose prop that draws it (None: nothing to draw).
EQUIPMENT_PROPS: Mapping[str, str | None] = {
    "none": None,
    "mat": "mat",
    "step": "step",
    "stability_ball": "ball",
    "band": "band",
    "dumbbell": "dumbbell",
    "bench": "bench",
    "foam_roller": "foam_roller",
    "pool": "pool",
    "bike": "bike",
}

BIKE_CRANK: Point = (34.0, -67.0)  # the crank's axle, from the hip
CRANK_RADIUS = 13.0
BIKE_BASE_DROP = 23.0  # axle -> floor
FLYWHEEL_RADIUS = 16.0
SADDLE_Y = -9.0  # the saddle's middle line: its top just under the buttocks' surface
PEDAL_AT = 0.6  # of the way from the ankle to the toe: the ball of the foot, on the pedal

POOL_DEPTH = 70.0  # surface -> floor under a swimmer
SURFACE_ABOVE = 5.0  # the surface this far above the chest's middle line
POOL_OVERHANG = 30.0  # the water reaches this far past the body (arms aside) on either side
CHEST = 0.6  # of the way from the hip to the shoulder


def bike_floor() -> float:
    """Model y of the floor a bike stands on (the rider sits on it: nothing of the bike moves)."""
    return BIKE_CRANK[1] - BIKE_BASE_DROP


def _ball_of_foot(joints: Mapping[str, Point], side: str) -> Point:
    (ax, ay), (tx, ty) = joints[f"{side}_ankle"], joints[f"{side}_toe"]
    return (ax + PEDAL_AT * (tx - ax), ay + PEDAL_AT * (ty - ay))


def _handlebar(joints: Mapping[str, Point]) -> Point:
    """The near hand when it reaches forward at about saddle height, else a place in front of the
    saddle (the body is drawn LIFT above its bones: the bar sits in the hand)."""
    x, y = joints["near_wrist"]
    cx, cy = BIKE_CRANK
    if x >= cx + 10.0 and cy + 40.0 <= y <= 60.0:
        return (x, y + LIFT)
    return (cx + 40.0, 22.0)


def bike_shapes(joints: Mapping[str, Point], ground: float) -> list[Shape]:
    """The bike on the floor at ``ground`` (at or below ``bike_floor``), drawn behind the rider."""
    cx, cy = BIKE_CRANK
    hx, hy = _handlebar(joints)
    column = hx - 12.0
    foot = ground + 5.0  # the top of the base
    bx, by = _ball_of_foot(joints, "near")
    length = math.hypot(bx - cx, by - cy)
    ux, uy = ((bx - cx) / length, (by - cy) / length) if length > 1e-6 else (1.0, 0.0)
    near = (cx + CRANK_RADIUS * ux, cy + CRANK_RADIUS * uy)
    far = (cx - CRANK_RADIUS * ux, cy - CRANK_RADIUS * uy)
    return [
        Box(-30.0, ground, column + 14.0, foot, "base"),
        Circle((column, cy + 4.0), FLYWHEEL_RADIUS, "wheel"),
        Poly(((-24.0, foot), (cx, cy), (column, foot)), "frame"),
        Poly(((column, foot), (column, hy - 12.0), (hx, hy)), "frame"),
        Poly(((-1.0, SADDLE_Y), (cx, cy)), "frame"),
        Poly(((-10.0, SADDLE_Y), (8.0, SADDLE_Y)), "saddle"),
        Poly(((hx - 5.0, hy), (hx + 3.0, hy)), "saddle"),  # the grip, under the hand
        Poly((far, near), "crank"),
        Circle((cx, cy), 4.0, "hub"),
        *(Poly(((px - 4.0, py - 1.5), (px + 4.0, py - 1.5)), "pedal") for px, py in (far, near)),
    ]


def pool_levels(joints: Mapping[str, Point], low: float) -> tuple[float, float]:
    """(surface y, floor y) of the pool for a figure whose lowest point is at ``low``."""
    (hx, hy), (sx, sy) = joints["hip"], joints["shoulder"]
    surface = hy + CHEST * (sy - hy) + LIFT + SURFACE_ABOVE
    steep = abs(sy - hy) > 0.5 * math.hypot(sx - hx, sy - hy)
    floor = low if steep else min(low, surface - POOL_DEPTH)
    return surface, floor


def pool_shapes(joints: Mapping[str, Point], surface: float, ground: float) -> tuple[Box, Box]:
    """(the water behind the body, the water in front of it): one band from the floor to the
    surface, reaching past the body; the arms, which swing, leave it where it is."""
    body = [point for name, point in joints.items() if not name.endswith(("elbow", "wrist"))]
    reach = POOL_OVERHANG + WIDTHS["torso"] / 2
    x0 = min(p[0] for p in body) - reach
    x1 = max(p[0] for p in body) + reach
    return Box(x0, ground, x1, surface, "water"), Box(x0, ground, x1, surface, "water_front")
