"""The box a runner draws (web) or types (``--roi``) around the person to analyse, checked once for both.

Pure Python (no OpenCV, no NumPy): the web view and the CLI check a box before anything is stored or
analysed. A box is four finite numbers of video pixels (x0, y0 top-left; x1, y1 bottom-right), not
negative, not larger than any video, at least ``MIN_BOX_PX`` each way, and, once the frame size is
known, inside the frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Box = tuple[float, float, float, float]

NAMES = ("x0", "y0", "x1", "y1")
EXAMPLE = "e.g. 400,80,900,700"
# Smaller than this, a person cannot be found or measured (MediaPipe works on a 256-pixel crop).
MIN_BOX_PX = 16.0
# No video format stores a frame wider or taller than this (H.264/HEVC levels stop far below).
MAX_COORD_PX = 65_536.0


class BoxError(ValueError):
    """A box that cannot be used; the message says what to type or draw instead (one line)."""


def _number(name: str, raw: object) -> float:
    text = str(raw).strip()
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise BoxError(
            f"{name} must be a number of pixels, got {text[:20]!r}: give x0,y0,x1,y1, {EXAMPLE}"
        ) from None
    if not math.isfinite(value):
        raise BoxError(f"{name} is {text[:20]!r}, not a number of pixels: give x0,y0,x1,y1, {EXAMPLE}")
    if value < 0:
        raise BoxError(f"{name} is {value:g}: pixels start at 0 in the top-left corner of the video")
    if value > MAX_COORD_PX:
        raise BoxError(f"{name} is {value:g}: no video is that large; give pixels inside the frame")
    return value


def parse_box(values: Sequence[object]) -> Box:
    """Four values (strings or numbers) -> a box; ``BoxError`` with a one-line message otherwise."""
    if len(values) != 4:
        raise BoxError(f"give four numbers x0,y0,x1,y1 in video pixels, {EXAMPLE}")
    x0, y0, x1, y1 = (_number(name, raw) for name, raw in zip(NAMES, values, strict=True))
    if x1 <= x0 or y1 <= y0:
        raise BoxError(
            "x1 must be greater than x0 and y1 greater than y0 (x0,y0,x1,y1: the top-left, then the "
            f"bottom-right corner), got {x0:g},{y0:g},{x1:g},{y1:g}"
        )
    if x1 - x0 < MIN_BOX_PX or y1 - y0 < MIN_BOX_PX:
        raise BoxError(
            f"the box is {x1 - x0:g} x {y1 - y0:g} pixels: draw it around the runner's whole body "
            f"(at least {MIN_BOX_PX:g} pixels each way)"
        )
    return (x0, y0, x1, y1)


def parse_roi(text: str) -> Box:
    """``"x0,y0,x1,y1"`` (pixels of the video) -> a box; ``BoxError`` with a one-line message."""
    return parse_box([] if not str(text).strip() else str(text).split(","))


def check_inside(box: Box, width: int, height: int) -> Box:
    """The box if it lies inside a ``width`` x ``height`` frame; ``BoxError`` otherwise."""
    x0, y0, x1, y1 = box
    if x1 > width or y1 > height:
        raise BoxError(
            f"the box {x0:g},{y0:g},{x1:g},{y1:g} reaches outside the video, which is {width} x {height} "
            "pixels: draw it inside the frame, around the runner"
        )
    return box
