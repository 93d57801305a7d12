"""Pictures of the body with volume (issue 13): one position, a start/end pair, a small thumbnail,
and an animation that moves between the start and end positions through key frames interpolated
from the joint angles (SMIL, no script). Pure.

No colour is written into the pictures: every painted element carries a class (``PAINTS``) that the
web stylesheet maps to its light and dark tokens, and paints ``currentColor`` (the page's text colour,
which follows the colour scheme as well) wherever no class rule applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .body import LIFT, Head, Layer, Part, body_layers, rest_on, supports_of
from .frames import key_frames
from .geometry import BENCH_HEIGHT, ROLLER_RADIUS, Pose
from .scene import Box, Circle, Scene, Shape, build_scene
from .svg import MARGIN, PAIR_GAP, REFERENCE_SPAN, ident_for, num, xml_text

THUMB_MARGIN = 3.0  # px: a thumbnail is small, its figure should fill it
PAD = 11.0  # model units around the bones the body's volume takes (half the torso, and its outline)
DURATION_S = 5.0  # one cycle: hold the start, move, hold the end, move back
HOLD_START, MOVE, HOLD_END = 0.12, 0.34, 0.2  # shares of the cycle; the way back takes the rest

# The classes that paint a picture; backstride.css maps each to a token (its figures section).
PAINTS = (
    "fig-line",  # the body's outline, saddle and grips
    "fig-near",  # the body's near side and head
    "fig-far",  # the far limbs
    "fig-ground",  # the floor line, the arrow, the outline of props
    "fig-prop",  # bench, step, ball, roller, wall, the bike's base and flywheel
    "fig-mat",
    "fig-band",
    "fig-iron",  # dumbbell, the bike's frame and cranks
    "fig-shine",  # the highlight on a ball
    "fig-water",
    "fig-water-line",  # the water's surface
)
PAINT = "currentColor"  # until the stylesheet's class rule paints it
WATER_OVER = "0.35"  # the water in front of the body lets it show through
Attrs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class El:
    """One SVG element: tag and attributes in order (so that output is deterministic)."""

    tag: str
    attrs: Attrs

    def svg(self, animations: Sequence[str] = ()) -> str:
        text = " ".join(f'{key}="{value}"' for key, value in self.attrs)
        if not animations:
            return f"<{self.tag} {text}/>"
        return f"<{self.tag} {text}>{''.join(animations)}</{self.tag}>"


@dataclass(frozen=True)
class Fit:
    scale: float
    ox: float  # px x of model x = 0
    base: float  # px y of the ground

    def pt(self, point: tuple[float, float], ground: float) -> tuple[float, float]:
        return (self.ox + self.scale * point[0], self.base - self.scale * (point[1] - ground))


def _vertical(scenes: Sequence[Scene]) -> tuple[float, float]:
    """(lowest, highest) model y of the scenes above their ground, with room for the body's volume."""
    extents = [scene.extent() for scene in scenes]
    low = min(e[1] - s.ground for e, s in zip(extents, scenes, strict=True))
    high = max(e[3] - s.ground for e, s in zip(extents, scenes, strict=True)) + LIFT + PAD
    if any(not s.floor for s in scenes):
        low -= PAD  # seen from above the body may lie at the picture's lower edge
    return low, high


def _fit(
    scenes: Sequence[Scene], width: float, height: float, same_size: bool = True, margin: float = MARGIN
) -> tuple[float, float, float]:
    """(scale, px x of model x = 0, px y of the ground): every scene on one ground, centred as one."""
    avail_w, avail_h = width - 2 * margin, height - 2 * margin
    if avail_w <= 0 or avail_h <= 0:
        raise ValueError(f"figure size {width}x{height} leaves no room inside the {margin} px margin")
    extents = [scene.extent() for scene in scenes]
    left = min(e[0] for e in extents) - PAD
    right = max(e[2] for e in extents) + PAD
    low, high = _vertical(scenes)
    scale = min(avail_w / (right - left), avail_h / (high - low))
    if same_size:
        scale = min(scale, min(avail_w, avail_h) / REFERENCE_SPAN)
    ox = margin + (avail_w - scale * (right - left)) / 2 - scale * left
    base = height - margin + scale * low - (avail_h - scale * (high - low)) / 2
    return scale, ox, base


def _band(scenes: Sequence[Scene], scale: float, base: float, height: float) -> tuple[float, float]:
    """(px top, px height) of the rows the figures take, with the margin round them: a figure lying
    down leaves no empty rows above and below it, at the same scale as one standing."""
    low, high = _vertical(scenes)
    top = max(0.0, base - scale * high - MARGIN)
    bottom = min(height, base - scale * low + MARGIN)
    return top, bottom - top


def _cls(name: str, paint: str) -> Attrs:
    assert name in PAINTS, name
    return (("class", name), (paint, PAINT))


def _points(points: Sequence[tuple[float, float]], fit: Fit, ground: float) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in (fit.pt(p, ground) for p in points))


def _body(layers: Sequence[Layer], fit: Fit, ground: float) -> list[El]:
    outline = max(1.0, 1.2 * fit.scale)
    out: list[El] = []
    for layer in layers:
        fills: list[El] = []
        for part in layer:
            if isinstance(part, Head):
                cx, cy = fit.pt(part.centre, ground)
                r = num(part.r * fit.scale)
                out.append(
                    El("circle", (("cx", num(cx)), ("cy", num(cy)), ("r", r), *_cls("fig-line", "fill")))
                )
                inner = num(part.r * fit.scale - outline)
                fills.append(
                    El("circle", (("cx", num(cx)), ("cy", num(cy)), ("r", inner), *_cls("fig-near", "fill")))
                )
                continue
            assert isinstance(part, Part)
            points = _points(part.points, fit, ground)
            wide = num(part.width * fit.scale + 2 * outline)
            out.append(
                El("polyline", (("points", points), ("stroke-width", wide), *_cls("fig-line", "stroke")))
            )
            thick = num(part.width * fit.scale)
            tone = f"fig-{part.tone}"
            fills.append(El("polyline", (("points", points), ("stroke-width", thick), *_cls(tone, "stroke"))))
        out.extend(fills)
    return out


def _rect(x0: float, top: float, x1: float, bottom: float, cls: str, rx: float) -> El:
    attrs = (("x", num(x0)), ("y", num(top)), ("width", num(x1 - x0)), ("height", num(bottom - top)))
    paint = (*_cls(cls, "fill"), ("stroke", PAINT), ("stroke-width", "1.5"))
    return El("rect", (*attrs, ("rx", num(rx)), *(paint if cls == "fig-prop" else _cls(cls, "fill"))))


def _line(a: tuple[float, float], b: tuple[float, float], cls: str, width: float) -> El:
    points = f"{num(a[0])},{num(a[1])} {num(b[0])},{num(b[1])}"
    return El("polyline", (("points", points), ("stroke-width", num(width)), *_cls(cls, "stroke")))


def _box(shape: Box, fit: Fit, ground: float) -> list[El]:
    s = fit.scale
    (x0, top), (x1, bottom) = fit.pt((shape.x0, shape.y1), ground), fit.pt((shape.x1, shape.y0), ground)
    if shape.role in ("mat", "mat_above"):
        return [_rect(x0, top, x1, bottom, "fig-mat", 1.5 if shape.role == "mat" else 4.0)]
    if shape.role == "water":
        return [_rect(x0, top, x1, bottom, "fig-water", 0.0)]
    if shape.role == "water_front":  # over the body, see-through, and its surface line
        water = _rect(x0, top, x1, bottom, "fig-water", 0.0)
        return [
            El(water.tag, (*water.attrs, ("fill-opacity", WATER_OVER))),
            _line((x0, top), (x1, top), "fig-water-line", max(1.0, 1.5 * s)),
        ]
    if shape.role == "base":  # the bike's foot on the floor
        return [_rect(x0, top, x1, bottom, "fig-prop", 2.0)]
    if abs((shape.y1 - shape.y0) - BENCH_HEIGHT) < 0.5:  # a bench: a padded top on two legs
        slab = 8.0 * s
        return [
            _rect(x0 + 4 * s, top, x0 + 9 * s, bottom, "fig-prop", 1.0),
            _rect(x1 - 9 * s, top, x1 - 4 * s, bottom, "fig-prop", 1.0),
            _rect(x0, top, x1, top + slab, "fig-prop", 3.0),
        ]
    return [_rect(x0, top, x1, bottom, "fig-prop", 2.5)]  # a step


def _circle(shape: Circle, fit: Fit, ground: float) -> list[El]:
    cx, cy = fit.pt(shape.centre, ground)
    r = shape.r * fit.scale
    centre = (("cx", num(cx)), ("cy", num(cy)))
    if shape.role == "hub":  # the crank's axle
        return [El("circle", (*centre, ("r", num(r)), *_cls("fig-iron", "fill")))]
    disc = El(
        "circle",
        (*centre, ("r", num(r)), *_cls("fig-prop", "fill"), ("stroke", PAINT), ("stroke-width", "1.5")),
    )
    if shape.role == "wheel":  # the bike's flywheel: a disc round its axle
        return [disc, El("circle", (*centre, ("r", num(r * 0.25)), *_cls("fig-ground", "fill")))]
    if abs(shape.r - ROLLER_RADIUS) < 0.5:  # a foam roller seen end on: its core
        return [disc, El("circle", (*centre, ("r", num(r * 0.4)), *_cls("fig-ground", "fill")))]
    shine = (
        ("cx", num(cx - 0.4 * r)),
        ("cy", num(cy - 0.4 * r)),
        ("r", num(0.22 * r)),
        *_cls("fig-shine", "fill"),
    )
    return [disc, El("circle", shine)]


# Line props: role -> (class, px wide); the bike's parts scale with the picture (model units wide).
_LINES = {"band": ("fig-band", 2.5), "dumbbell": ("fig-iron", 3.5), "plate": ("fig-iron", 6.0)}
_SCALED_LINES = {
    "frame": ("fig-iron", 3.5),
    "saddle": ("fig-line", 4.5),
    "crank": ("fig-iron", 2.5),
    "pedal": ("fig-iron", 2.0),
}


def _prop(shape: Shape, fit: Fit, ground: float, lift: float) -> list[El]:
    s = fit.scale
    if isinstance(shape, Box):
        return _box(shape, fit, ground)
    if isinstance(shape, Circle):
        return _circle(shape, fit, ground)
    points = [(x, y + lift) for x, y in shape.points]
    if shape.role == "wall":  # a wall: a solid band reaching away from the figure
        (x, y0), (_, y1) = fit.pt(shape.points[0], ground), fit.pt(shape.points[1], ground)
        x0, x1 = (x, x + 7 * s) if shape.points[0][0] > 0 else (x - 7 * s, x)
        return [_rect(x0, y1, x1, y0, "fig-prop", 1.0)]
    if shape.role in _SCALED_LINES:
        cls, units = _SCALED_LINES[shape.role]
        cls_width = (cls, max(1.0, units * s))
    else:
        cls_width = _LINES.get(shape.role, ("fig-ground", 1.5 if shape.role == "guide" else 2.0))
    cls, width = cls_width
    attrs: Attrs = (
        ("points", _points(points, fit, ground)),
        ("stroke-width", num(width)),
        *_cls(cls, "stroke"),
    )
    if shape.role == "guide":
        attrs = (*attrs, ("stroke-dasharray", "3 3"))
    return [El("polyline", attrs)]


@dataclass(frozen=True)
class Panel:
    """One position's elements: the props behind, the body, the props in front; px y of the ground."""

    back: tuple[El, ...]
    body: tuple[El, ...]
    front: tuple[El, ...]
    base: float


def _panel(pose: Pose, scene: Scene, fit: Fit) -> Panel:
    back = [el for shape in scene.back for el in _prop(shape, fit, scene.ground, 0.0)]
    front = [el for shape in scene.front for el in _prop(shape, fit, scene.ground, LIFT)]
    body = rest_on(body_layers(pose), *supports_of(scene))
    return Panel(tuple(back), tuple(_body(body, fit, scene.ground)), tuple(front), fit.base)


def _open(
    width: float, height: float, title: str | None, ident: str, extra: str = "", top: float = 0.0
) -> list[str]:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bs-body{extra}" viewBox="0 {num(top)} {num(width)} '
        f'{num(height)}" width="{num(width)}" height="{num(height)}" fill="none" '
        'stroke-linecap="round" stroke-linejoin="round"'
    )
    if title is None:  # a thumbnail beside the exercise's name: decoration, the name says it all
        return [head + ' aria-hidden="true" focusable="false">']
    return [
        head + f' role="img" aria-labelledby="{ident}">',
        f'<title id="{ident}">{xml_text(title)}</title>',
    ]


def _ground(scene: Scene, left: float, width: float, base: float) -> list[str]:
    if not scene.floor:
        return []
    return [
        f'<line class="fig-ground" x1="{num(left + MARGIN / 2)}" y1="{num(base)}" '
        f'x2="{num(left + width - MARGIN / 2)}" y2="{num(base)}" stroke="{PAINT}" stroke-width="2"/>'
    ]


def _still(panel: Panel) -> list[str]:
    out = []
    for name, els in (("props", panel.back), ("figure", panel.body), ("props-front", panel.front)):
        if els:
            out.append(f'<g class="{name}">')
            out.extend(el.svg() for el in els)
            out.append("</g>")
    return out


def render_thumbnail(pose: Pose, width: int = 96, height: int = 72) -> str:
    """The position small, filling its box (no common scale), hidden from screen readers."""
    scene = build_scene(pose)
    scale, ox, base = _fit([scene], width, height, same_size=False, margin=THUMB_MARGIN)
    out = _open(width, height, None, "", " bs-thumb")
    out.extend(_ground(scene, 0.0, width, base))
    out.extend(_still(_panel(pose, scene, Fit(scale, ox, base))))
    return "\n".join([*out, "</svg>"]) + "\n"


def render_body_pair(
    start: Pose, end: Pose, name: str, width: int = 240, height: int = 180, stacked: bool = False
) -> str:
    """Start and end position side by side (or stacked, for phones) on one scale, an arrow between."""
    scenes = [build_scene(start), build_scene(end)]
    scale, ox, base = _fit(scenes, width, height)
    total_w, total_h = (width, 2 * height + PAIR_GAP) if stacked else (2 * width + PAIR_GAP, height)
    ident = ident_for("body", name, start, end, width, height, stacked, *start.extras(), *end.extras())
    where = ("above", "below") if stacked else ("left", "right")
    band_top = 0.0
    if not stacked:  # side by side: only the rows the figures take (stacked panels keep their size)
        band_top, total_h = _band(scenes, scale, base, height)
    title = f"{name}: start position ({where[0]}) and end position ({where[1]})"
    out = _open(total_w, total_h, title, ident, top=band_top)
    for index, (pose, scene, label) in enumerate(zip((start, end), scenes, ("start", "end"), strict=True)):
        left = 0.0 if stacked else index * (width + PAIR_GAP)
        top = index * (height + PAIR_GAP) if stacked else 0.0
        out.append(f'<g class="panel {label}">')
        out.append(f"<title>{xml_text(f'{name}: {label} position')}</title>")
        out.extend(_ground(scene, left, width, base + top))
        out.extend(_still(_panel(pose, scene, Fit(scale, ox + left, base + top))))
        out.append("</g>")
    ink = f'<g class="arrow fig-ground" stroke="{PAINT}" fill="{PAINT}" stroke-width="2.5">'
    if stacked:
        x, y0, y1 = width / 2, height + 6.0, height + PAIR_GAP - 6.0
        arrow = (
            f'<line x1="{num(x)}" y1="{num(y0)}" x2="{num(x)}" y2="{num(y1 - 6)}"/>'
            f'<polygon points="{num(x)},{num(y1)} {num(x - 6)},{num(y1 - 9)} {num(x + 6)},{num(y1 - 9)}"/>'
        )
    else:
        y, x0, x1 = height / 2, width + 6.0, width + PAIR_GAP - 6.0
        arrow = (
            f'<line x1="{num(x0)}" y1="{num(y)}" x2="{num(x1 - 6)}" y2="{num(y)}"/>'
            f'<polygon points="{num(x1)},{num(y)} {num(x1 - 9)},{num(y - 6)} {num(x1 - 9)},{num(y + 6)}"/>'
        )
    out.append(f"{ink}{arrow}</g>")
    return "\n".join([*out, "</svg>"]) + "\n"


def cycle(count: int) -> tuple[list[int], list[float]]:
    """(frame index per step, key time per step) of one cycle through ``count`` key frames: hold the
    start, move to the end, hold it, move back; the first and last steps are the start frame."""
    last = count - 1
    frames = [0, *range(count), last, *range(last - 1, -1, -1)]
    there = [HOLD_START + MOVE * k / last for k in range(count)]
    back_share = 1.0 - HOLD_START - MOVE - HOLD_END
    back = [HOLD_START + MOVE + HOLD_END + back_share * k / last for k in range(1, count)]
    return frames, [0.0, *there, HOLD_START + MOVE + HOLD_END, *back]


def _same_shape(panels: Sequence[tuple[El, ...]]) -> bool:
    first = panels[0]
    return all(
        len(p) == len(first)
        and all(
            a.tag == b.tag and [k for k, _ in a.attrs] == [k for k, _ in b.attrs]
            for a, b in zip(p, first, strict=True)
        )
        for p in panels
    )


def _animated(panels: Sequence[tuple[El, ...]], steps: Sequence[int], times: str) -> list[str]:
    """The elements of the first frame, each with an <animate> for every attribute that changes."""
    if not _same_shape(panels):
        return [el.svg() for el in panels[0]]  # props that come and go: keep the start's in place
    out = []
    for index, el in enumerate(panels[0]):
        animations = []
        for position, (key, value) in enumerate(el.attrs):
            values = [panels[step][index].attrs[position][1] for step in steps]
            if any(v != value for v in values):
                animations.append(
                    f'<animate attributeName="{key}" dur="{num(DURATION_S)}s" repeatCount="indefinite" '
                    f'keyTimes="{times}" values="{";".join(values)}"/>'
                )
        out.append(el.svg(animations))
    return out


def _motion(
    start: Pose, end: Pose, width: float, height: float, count: int
) -> tuple[list[Panel], list[Scene], Fit]:
    poses = key_frames(start, end, count)
    scenes = [build_scene(pose) for pose in poses]
    fit = Fit(*_fit(scenes, width, height))
    return [_panel(pose, scene, fit) for pose, scene in zip(poses, scenes, strict=True)], scenes, fit


def motion_panels(start: Pose, end: Pose, width: float, height: float, count: int) -> list[Panel]:
    """The key frames (``frames.key_frames``) drawn still, all on one scale and one ground."""
    return _motion(start, end, width, height, count)[0]


def render_motion(
    start: Pose, end: Pose, name: str, width: int = 360, height: int = 270, count: int = 9
) -> str:
    """One picture that moves from the start position to the end position and back, again and again.

    The key frames are poses interpolated from the joint angles (``frames.key_frames``): the first is
    the start position, the last the end position. Without animation (a viewer that ignores SMIL) the
    picture shows the start position.
    """
    panels, scenes, fit = _motion(start, end, width, height, count)
    base = panels[0].base
    top, shown = _band(scenes, fit.scale, base, height)  # a figure lying down: no empty rows
    steps, times = cycle(len(panels))
    key_times = ";".join(f"{t:.3f}".rstrip("0").rstrip(".") if t else "0" for t in times)
    ident = ident_for("motion", name, start, end, width, height, *start.extras(), *end.extras())
    title = f"{name}: moving from the start position to the end position and back"
    out = _open(width, shown, title, ident, " bs-motion", top=top)
    out.extend(_ground(scenes[0], 0.0, width, base))
    for cls, part in (("props", "back"), ("figure", "body"), ("props-front", "front")):
        frames = [getattr(panel, part) for panel in panels]
        if frames[0]:
            out.append(f'<g class="{cls}">')
            out.extend(_animated(frames, steps, key_times))
            out.append("</g>")
    return "\n".join([*out, "</svg>"]) + "\n"
