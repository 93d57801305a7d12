"""Key frames between two poses: the joint angles interpolated, so that an animation moves the body
the way the start and end pictures say it moves. Pure."""

from __future__ import annotations

import math

from .geometry import Pose, pelvis_direction

# Side view: the window each joint's bend (child segment minus parent segment) is read in, so that a
# knee bends backwards and an elbow forwards however the record spells the angles (a quadriceps
# stretch brings the heel up behind, never through the shin).
_KNEE_WINDOW = (-200.0, 160.0)
_ELBOW_WINDOW = (-160.0, 200.0)


def _wrap(value: float, low: float = -180.0) -> float:
    """``value`` moved by whole turns into [low, low + 360)."""
    return (value - low) % 360.0 + low


def _turn(a: float, b: float, t: float, window: tuple[float, float] | None = None) -> float:
    """An angle ``t`` of the way from a to b: the short way round, or within ``window`` when given."""
    if window is None:
        return a + _wrap(b - a) * t
    low = window[0]
    start, end = _wrap(a, low), _wrap(b, low)
    return start + (end - start) * t


def _chain(
    start: tuple[float, ...], end: tuple[float, ...], t: float, windows: tuple[object, ...]
) -> list[float]:
    """A limb's absolute segment directions: the first segment's direction and each later segment's
    bend relative to the one before, interpolated, then summed back to absolute directions."""
    out: list[float] = []
    for index, (a, b) in enumerate(zip(start, end, strict=True)):
        if index == 0:
            out.append(_turn(a, b, t))
            continue
        window = windows[index] if isinstance(windows[index], tuple) else None
        bend = _turn(a - start[index - 1], b - end[index - 1], t, window)  # type: ignore[arg-type]
        out.append(out[-1] + bend)
    return [_wrap(angle) for angle in out]


def _depth(start: Pose, end: Pose, t: float) -> dict[str, list[float]]:
    depth: dict[str, list[float]] = {}
    for limb in ("near_arm", "far_arm", "near_leg", "far_leg"):
        values = [a + (b - a) * t for a, b in zip(start.depth_of(limb), end.depth_of(limb), strict=True)]
        if any(values):
            depth[limb] = values
    return depth


def between(start: Pose, end: Pose, t: float) -> Pose:
    """The pose ``t`` (0..1) of the way from start to end. Props, view and support are the start's."""
    if t <= 0.0:
        return start
    if t >= 1.0:
        return end
    side = start.view == "side"
    arms = (None, _ELBOW_WINDOW if side else None)
    legs = (None, _KNEE_WINDOW if side else None, None)
    pelvis = None
    if start.pelvis is not None or end.pelvis is not None:
        pelvis = _wrap(_turn(pelvis_direction(start), pelvis_direction(end), t))
    return Pose(
        trunk=_wrap(_turn(start.trunk, end.trunk, t)),
        head=_wrap(_turn(start.head, end.head, t)),
        near_arm=tuple(_chain(start.near_arm, end.near_arm, t, arms)),  # type: ignore[arg-type]
        far_arm=tuple(_chain(start.far_arm, end.far_arm, t, arms)),  # type: ignore[arg-type]
        near_leg=tuple(_chain(start.near_leg, end.near_leg, t, legs)),  # type: ignore[arg-type]
        far_leg=tuple(_chain(start.far_leg, end.far_leg, t, legs)),  # type: ignore[arg-type]
        props=start.props,
        view=start.view,
        pelvis=pelvis,
        support=start.support,
        depth=_depth(start, end, t),  # type: ignore[arg-type]
    )


def key_frames(start: Pose, end: Pose, count: int = 9) -> list[Pose]:
    """``count`` poses from start to end (the first is start, the last is end), spaced to ease in
    and out: the body sets off and arrives slowly, as a person moving with control does."""
    if count < 2:
        raise ValueError("key frames need at least the start and the end")
    if start.view != end.view:
        return [start, end]  # no way to move between two views: the pictures stand as they are
    fractions = [(1.0 - math.cos(math.pi * k / (count - 1))) / 2.0 for k in range(count)]
    return [between(start, end, t) for t in fractions]
