"""The GPS route of an activity as an inline SVG trace coloured by pace, with its legend and a
plain-text description (no map tiles: nothing loads from the network).

The geometry is core.route's; here it becomes SVG made only of numbers and fixed colours, and still
goes through safe_svg like every chart, so nothing from a file can reach the page as markup."""

from __future__ import annotations

from typing import TypedDict

from backstride.core.pace import distance_text, pace_text
from backstride.core.route import BANDS, Trace, trace

from .imports import ChartStream
from .safe_svg import safe_svg

# Slowest to fastest: blue to red, each also named in the legend (colour is never the only cue).
BAND_COLOURS = ("#2563eb", "#0891b2", "#16a34a", "#d97706", "#dc2626")
NO_PACE_COLOUR = "#6b7280"
START_COLOUR, END_COLOUR = "#16a34a", "#111827"
# Start and end closer than this share of the route's extent (and than MAX_LOOP_GAP_KM): "the same place".
LOOP_SHARE = 0.1
MAX_LOOP_GAP_KM = 0.2


class LegendItem(TypedDict):
    swatch: str  # a small safe SVG of the band's colour
    text: str


class RouteDrawing(TypedDict):
    svg: str
    legend: list[LegendItem]
    description: str  # the route in words, for screen readers and anyone who cannot see it


def route_drawing(stream: ChartStream, unit: str) -> RouteDrawing | None:
    """The route of an activity with GPS; None without two positions."""
    drawn = trace(stream.get("lat", []), stream.get("lon", []), stream.get("speed_mps", []))
    if drawn is None:
        return None
    return {
        "svg": safe_svg(_svg(drawn)),
        "legend": _legend(drawn, unit),
        "description": _description(drawn, unit),
    }


def _svg(drawn: Trace) -> str:
    stroke = max(drawn.width, drawn.height) / 160
    lines = [
        f'<polyline points="{" ".join(f"{x},{y}" for x, y in segment.points)}" fill="none" '
        f'stroke="{NO_PACE_COLOUR if segment.band is None else BAND_COLOURS[segment.band]}" '
        f'stroke-width="{stroke:.1f}" stroke-linecap="round" stroke-linejoin="round"/>'
        for segment in drawn.segments
    ]
    dot = stroke * 1.6
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawn.width} {drawn.height}" '
        'width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="route-title" '
        'class="route-trace">'
        '<title id="route-title">The route, coloured by pace</title>'
        + "".join(lines)
        + f'<circle cx="{drawn.start[0]}" cy="{drawn.start[1]}" r="{dot:.1f}" fill="{START_COLOUR}" '
        f'stroke="#ffffff" stroke-width="{stroke / 2:.1f}"/>'
        f'<circle cx="{drawn.end[0]}" cy="{drawn.end[1]}" r="{dot:.1f}" fill="{END_COLOUR}" '
        f'stroke="#ffffff" stroke-width="{stroke / 2:.1f}"/>'
        "</svg>"
    )


def _swatch(colour: str) -> str:
    return safe_svg(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 8" width="24" height="8" aria-hidden="true">'
        f'<rect width="24" height="8" rx="3" fill="{colour}"/></svg>'
    )


def _legend(drawn: Trace, unit: str) -> list[LegendItem]:
    if not drawn.band_speeds:
        return [{"swatch": _swatch(NO_PACE_COLOUR), "text": "no pace recorded"}]
    paces = [pace_text(1000 / speed, unit) for speed in drawn.band_speeds]
    items: list[LegendItem] = []
    for band in range(BANDS):
        slow, fast = paces[band], paces[band + 1]
        if band == 0:
            text = f"slowest: {fast} or slower"
        elif band == BANDS - 1:
            text = f"fastest: {slow} or faster"
        else:
            text = f"{slow} to {fast}"
        items.append({"swatch": _swatch(BAND_COLOURS[band]), "text": text})
    return items


def _description(drawn: Trace, unit: str) -> str:
    across = distance_text(drawn.width_km * 1000, unit)
    up = distance_text(drawn.height_km * 1000, unit)
    extent = max(drawn.width_km, drawn.height_km)
    if drawn.start_to_end_km <= min(MAX_LOOP_GAP_KM, LOOP_SHARE * extent):
        ends = "It starts and ends at the same place (the green and black dots)."
    else:
        apart = distance_text(drawn.start_to_end_km * 1000, unit)
        ends = f"It starts at the green dot and ends at the black dot, {apart} apart in a straight line."
    return f"The route covers an area {across} east to west and {up} north to south. {ends}"
