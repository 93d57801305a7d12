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

Equipment the body moves in or on (``equipment``, issue 13): ``bike`` (side views: a stationary bike
fitted to the rider, the saddle under the hips, the pedals turning with the near foot; the rider rests
on it) and ``pool`` (water from the floor to just over the chest: a figure with a flat trunk floats,
an upright one stands on the pool's floor). ``EQUIPMENT_PROPS`` maps each equipment value of the
exercise library to the prop that draws it.

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

from backstride.knowledge.poses import LIMBS, PROPS, SUPPORTS, VIEWS, Pose, pose_from_mapping

from .equipment import EQUIPMENT_PROPS
from .geometry import (
    ABOVE_MAT_HALF_WIDTH,
    ABOVE_TILT,
    BALL_RADIUS,
    BENCH_BACK_WIDTH,
    BENCH_HEIGHT,
    BENCH_MIN_WIDTH,
    BLADE,
    HIP_HALF_WIDTH,
    MAT_OVERHANG,
    MAT_THICKNESS,
    ROLLER_RADIUS,
    SEGMENTS,
    SHOULDER_HALF_WIDTH,
    STEP_HEIGHT,
    STEP_WIDTH,
    Point,
    joint_positions,
    pelvis_direction,
    spine_points,
)
from .svg import MARGIN, PAIR_GAP, REFERENCE_SPAN, render_pair, render_svg

__all__ = [
    "ABOVE_MAT_HALF_WIDTH",
    "ABOVE_TILT",
    "BALL_RADIUS",
    "BENCH_BACK_WIDTH",
    "BENCH_HEIGHT",
    "BENCH_MIN_WIDTH",
    "BLADE",
    "EQUIPMENT_PROPS",
    "HIP_HALF_WIDTH",
    "LIMBS",
    "MARGIN",
    "MAT_OVERHANG",
    "MAT_THICKNESS",
    "PAIR_GAP",
    "PROPS",
    "REFERENCE_SPAN",
    "ROLLER_RADIUS",
    "SEGMENTS",
    "SHOULDER_HALF_WIDTH",
    "STEP_HEIGHT",
    "STEP_WIDTH",
    "SUPPORTS",
    "VIEWS",
    "Point",
    "Pose",
    "joint_positions",
    "pelvis_direction",
    "pose_from_mapping",
    "render_pair",
    "render_svg",
    "spine_points",
]
