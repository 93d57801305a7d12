"""The SVG of one picture or a start/end pair: scaling to the view box, styles, deterministic ids,
escaped titles, no external references. Pure."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .geometry import Pose
from .scene import Box, Circle, Scene, Shape, build_scene

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
_IRON_INK = "#3e4c59"
_WATER_FILL = "#cfe6f5"
_NEAR_WIDTH = "4.5"
_FAR_WIDTH = "4"


def num(value: float) -> str:
    text = f"{round(value, 1):.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    text = _XML_INVALID.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ident_for(*parts: object) -> str:
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
    # The bike and the pool (equipment.py).
    "base": f'fill="{_PROP_FILL}" stroke="{_GROUND_INK}" stroke-width="1.5" rx="2"',
    "wheel": f'fill="{_PROP_FILL}" stroke="{_GROUND_INK}" stroke-width="1.5"',
    "hub": f'fill="{_IRON_INK}"',
    "frame": f'stroke="{_IRON_INK}" stroke-width="3.5"',
    "saddle": f'stroke="{_INK}" stroke-width="4.5"',
    "crank": f'stroke="{_IRON_INK}" stroke-width="2.5"',
    "pedal": f'stroke="{_IRON_INK}" stroke-width="2"',
    "water": f'fill="{_WATER_FILL}"',
    "water_front": f'fill="{_WATER_FILL}" fill-opacity="0.35"',
}


@dataclass(frozen=True)
class Place:
    scale: float
    ox: float  # px x of model x = 0
    base: float  # px y of the ground
    ground: float  # model y of the ground

    def x(self, x: float) -> float:
        return self.ox + self.scale * x

    def y(self, y: float) -> float:
        return self.base - self.scale * (y - self.ground)


def _shape_svg(shape: Shape, place: Place) -> str:
    style = _STYLE[shape.role]
    if isinstance(shape, Circle):
        cx, cy = place.x(shape.centre[0]), place.y(shape.centre[1])
        return f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(shape.r * place.scale)}" {style}/>'
    if isinstance(shape, Box):
        x0, x1 = place.x(shape.x0), place.x(shape.x1)
        top, bottom = place.y(shape.y1), place.y(shape.y0)
        return (
            f'<rect x="{num(x0)}" y="{num(top)}" width="{num(x1 - x0)}" '
            f'height="{num(bottom - top)}" {style}/>'
        )
    coords = [(place.x(px), place.y(py)) for px, py in shape.points]
    if len(coords) == 2:
        (x1, y1), (x2, y2) = coords
        return f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" {style}/>'
    points = " ".join(f"{num(px)},{num(py)}" for px, py in coords)
    return f'<polyline points="{points}" {style}/>'


def layout(scenes: Sequence[Scene], width: float, height: float) -> tuple[float, float, list[float]]:
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


def _panel(scene: Scene, place: Place, left: float, width: float) -> list[str]:
    ground_y = num(place.base)
    ink = f'stroke="{_GROUND_INK}" stroke-width="2"'
    out = []
    if scene.floor:  # not seen from above
        out.append(
            f'<line class="ground" x1="{num(left + MARGIN / 2)}" y1="{ground_y}" '
            f'x2="{num(left + width - MARGIN / 2)}" y2="{ground_y}" {ink}/>'
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


def svg_open(width: float, height: float, ident: str, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" role="img" aria-labelledby="{ident}" '
        'stroke-linecap="round" stroke-linejoin="round">',
        f'<title id="{ident}">{xml_text(title)}</title>',
    ]


def render_svg(pose: Pose, title: str, width: int = 240, height: int = 180) -> str:
    """One figure as a standalone, accessible SVG document (a string)."""
    scene = build_scene(pose)
    scale, base, (ox,) = layout([scene], width, height)
    place = Place(scale, ox, base, scene.ground)
    out = svg_open(width, height, ident_for(title, pose, width, height, *pose.extras()), title)
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
    scenes = [build_scene(start), build_scene(end)]
    scale, base, offsets = layout(scenes, width, height)
    total_w, total_h = (width, 2 * height + PAIR_GAP) if stacked else (2 * width + PAIR_GAP, height)
    ident = ident_for(name, start, end, width, height, *start.extras(), *end.extras())
    ident += "-stacked" if stacked else ""
    where = ("above", "below") if stacked else ("left", "right")
    out = svg_open(
        total_w, total_h, ident, f"{name}: start position ({where[0]}) and end position ({where[1]})"
    )
    for index, (scene, ox, label) in enumerate(zip(scenes, offsets, ("start", "end"), strict=True)):
        left = 0 if stacked else index * (width + PAIR_GAP)
        top = index * (height + PAIR_GAP) if stacked else 0
        place = Place(scale, left + ox, base + top, scene.ground)
        out.append(f'<g class="panel {label}">')
        out.append(f"<title>{xml_text(f'{name}: {label} position')}</title>")
        out.extend(_panel(scene, place, left, width))
        out.append("</g>")
    ink = f'<g class="arrow" stroke="{_GROUND_INK}" fill="{_GROUND_INK}" stroke-width="2.5">'
    if stacked:
        x = num(width / 2)
        y0, y1 = height + 6.0, height + PAIR_GAP - 6.0
        out.append(
            f'{ink}<line x1="{x}" y1="{num(y0)}" x2="{x}" y2="{num(y1 - 6.0)}"/>'
            f'<polygon points="{x},{num(y1)} {num(width / 2 - 6.0)},{num(y1 - 9.0)} '
            f'{num(width / 2 + 6.0)},{num(y1 - 9.0)}"/></g>'
        )
    else:
        y = num(height / 2)
        x0, x1 = width + 6.0, width + PAIR_GAP - 6.0
        out.append(
            f'{ink}<line x1="{num(x0)}" y1="{y}" x2="{num(x1 - 6.0)}" y2="{y}"/>'
            f'<polygon points="{num(x1)},{y} {num(x1 - 9.0)},{num(height / 2 - 6.0)} '
            f'{num(x1 - 9.0)},{num(height / 2 + 6.0)}"/></g>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
