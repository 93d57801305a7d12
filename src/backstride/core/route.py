"""A GPS route as plane geometry for a drawing: pure, no I/O.

Projection: equirectangular at the route's middle latitude (x = lon x cos(mid lat), y = lat, both in
metres), which keeps the true shape of anything a run covers; the drawing's aspect ratio is the
route's own. The trace is cut where the position is missing (a tunnel, a paused watch) and coloured
in pace bands: the quintiles of the route's own speeds, so every run shows its fast and slow parts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

EARTH_RADIUS_M = 6_371_000.0
DRAWING_SIZE = 1000.0  # the longer side of the drawing, in drawing units
MARGIN = 20.0  # drawing units around the route (the start and end dots stay inside)
BANDS = 5
MIN_SPEED_MPS = 1.0  # slower is standing: not a pace band of its own


@dataclass(frozen=True)
class Segment:
    """One stretch of the trace drawn in one colour: points in drawing units, y downwards."""

    band: int | None  # 0 = slowest fifth ... BANDS-1 = fastest; None = no speed known
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Trace:
    width: float
    height: float
    segments: tuple[Segment, ...]
    start: tuple[float, float]
    end: tuple[float, float]
    width_km: float  # east-west extent of the route
    height_km: float  # north-south extent
    start_to_end_km: float  # straight line: near 0 for a loop or an out-and-back
    band_speeds: tuple[float, ...]  # BANDS+1 edges in m/s, slowest first; () without speeds


def project(lats: Sequence[float], lons: Sequence[float]) -> list[tuple[float, float]]:
    """Positions (degrees) to metres east and north of the south-west corner of their bounding box."""
    mid = math.radians((min(lats) + max(lats)) / 2)
    squeeze = math.cos(mid)
    west, south = min(lons), min(lats)
    return [
        (
            math.radians(lon - west) * EARTH_RADIUS_M * squeeze,
            math.radians(lat - south) * EARTH_RADIUS_M,
        )
        for lat, lon in zip(lats, lons, strict=True)
    ]


def _edges(speeds: Sequence[float]) -> tuple[float, ...]:
    ordered = sorted(speeds)
    last = len(ordered) - 1
    return tuple(ordered[round(last * i / BANDS)] for i in range(BANDS + 1))


def _band(speed: float | None, edges: tuple[float, ...]) -> int | None:
    if speed is None or not edges:
        return None
    if speed < MIN_SPEED_MPS:
        return 0
    for band in range(BANDS - 1):
        if speed < edges[band + 1]:
            return band
    return BANDS - 1


def trace(
    lats: Sequence[float | None],
    lons: Sequence[float | None],
    speeds: Sequence[float | None] = (),
) -> Trace | None:
    """The route in drawing units, or None with fewer than two positions."""
    kept = [
        i for i, (lat, lon) in enumerate(zip(lats, lons, strict=False)) if lat is not None and lon is not None
    ]
    if len(kept) < 2:
        return None
    metres = project([lats[i] or 0.0 for i in kept], [lons[i] or 0.0 for i in kept])
    span_x = max(x for x, _ in metres) or 1.0
    span_y = max(y for _, y in metres) or 1.0
    scale = (DRAWING_SIZE - 2 * MARGIN) / max(span_x, span_y)
    width, height = span_x * scale + 2 * MARGIN, span_y * scale + 2 * MARGIN
    drawn = {
        index: (round(MARGIN + x * scale, 1), round(height - MARGIN - y * scale, 1))
        for index, (x, y) in zip(kept, metres, strict=True)
    }
    speed_of = {i: speeds[i] for i in kept if i < len(speeds)}
    moving = [s for s in speed_of.values() if s is not None and s >= MIN_SPEED_MPS]
    edges = _edges(moving) if len(moving) >= 2 else ()
    return Trace(
        width=round(width, 1),
        height=round(height, 1),
        segments=tuple(_segments(kept, drawn, speed_of, edges)),
        start=drawn[kept[0]],
        end=drawn[kept[-1]],
        width_km=round(span_x / 1000, 2),
        height_km=round(span_y / 1000, 2),
        start_to_end_km=round(math.dist(metres[0], metres[-1]) / 1000, 2),
        band_speeds=edges,
    )


def _segments(
    kept: list[int],
    drawn: dict[int, tuple[float, float]],
    speed_of: dict[int, float | None],
    edges: tuple[float, ...],
) -> list[Segment]:
    """Runs of consecutive positions in one band; a missing position (a gap in ``kept``) cuts it."""
    segments: list[Segment] = []
    points: list[tuple[float, float]] = [drawn[kept[0]]]
    band: int | None = None
    for previous, index in pairwise(kept):
        this_band = _band(speed_of.get(index), edges)
        gap = index != previous + 1
        if gap or (this_band != band and len(points) > 1):
            if len(points) > 1:
                segments.append(Segment(band, tuple(points)))
            points = [drawn[index]] if gap else [points[-1]]
        band = this_band
        if not gap:
            points.append(drawn[index])
    if len(points) > 1:
        segments.append(Segment(band, tuple(points)))
    return segments
