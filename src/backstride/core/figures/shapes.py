"""The shapes a scene is made of, in model units (y up): polylines, circles and boxes, each with the
role that says how it is drawn, and the scene that holds them on one ground. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from .geometry import Point


@dataclass(frozen=True)
class Poly:
    points: tuple[Point, ...]
    role: str  # far | near | ground | wall | band | dumbbell | plate | guide | frame | saddle | crank | pedal


@dataclass(frozen=True)
class Circle:
    centre: Point
    r: float
    role: str  # head | prop | wheel | hub


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    role: str  # prop | mat | mat_above | base | water | water_front


Shape = Poly | Circle | Box


@dataclass(frozen=True)
class Scene:
    back: tuple[Shape, ...]  # props behind the figure
    figure: tuple[Shape, ...]
    front: tuple[Shape, ...]  # props in front of the figure
    ground: float
    floor: bool = True  # False seen from above: no ground line

    def extent(self) -> tuple[float, float, float, float]:
        xs: list[float] = []
        ys: list[float] = [self.ground]
        for shape in (*self.back, *self.figure, *self.front):
            if isinstance(shape, Poly):
                xs.extend(p[0] for p in shape.points)
                ys.extend(p[1] for p in shape.points)
            elif isinstance(shape, Circle):
                xs.extend((shape.centre[0] - shape.r, shape.centre[0] + shape.r))
                ys.extend((shape.centre[1] - shape.r, shape.centre[1] + shape.r))
            else:
                xs.extend((shape.x0, shape.x1))
                ys.extend((shape.y0, shape.y1))
        return min(xs), min(ys), max(xs), max(ys)
