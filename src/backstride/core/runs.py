"""A run entered by hand: what is allowed, with every problem named (no clock: `today` is given)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .problems import InvalidInput, Problem

TERRAINS = ("flat", "hilly", "uphill_heavy")
SURFACES = ("road", "track", "trail", "grass", "treadmill")
MAX_DISTANCE_KM = 400  # beyond any single run: a typo (metres for km)
MAX_DURATION_MIN = 48 * 60


class InvalidRun(InvalidInput):
    """Raised with every problem found; nothing should be stored when this is raised."""


@dataclass(frozen=True)
class ManualRun:
    day: date
    distance_km: float
    duration_min: float
    terrain: str | None = None
    surface: str | None = None
    rpe: float | None = None
    shoe: str | None = None

    @property
    def indoor(self) -> bool:
        return self.surface == "treadmill"


def _number(raw: Mapping[str, object], name: str, problems: list[Problem]) -> float | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        problems.append(Problem(name, f"must be a number (got {value!r})"))
        return None
    if number != number or number in (float("inf"), float("-inf")):
        problems.append(Problem(name, "must be a finite number"))
        return None
    return number


def validate_run(raw: Mapping[str, object], today: date) -> ManualRun:
    """Every problem at once: a negative distance, a run in the future, RPE 11, an unknown surface..."""
    problems: list[Problem] = []
    day = raw.get("day")
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            problems.append(Problem("day", f"must be a date like 2026-11-21 (got {day!r})"))
            day = None
    if not isinstance(day, date):
        if "day" not in {name for name, _ in problems}:
            problems.append(Problem("day", "is required"))
        day = None
    elif day > today:
        problems.append(Problem("day", f"{day} is in the future: log a run once it has happened"))
    distance = _number(raw, "distance_km", problems)
    if distance is None and "distance_km" not in {name for name, _ in problems}:
        problems.append(Problem("distance_km", "is required"))
    elif distance is not None and not 0 < distance <= MAX_DISTANCE_KM:
        problems.append(
            Problem("distance_km", f"must be more than 0 and at most {MAX_DISTANCE_KM} km (got {distance:g})")
        )
    duration = _number(raw, "duration_min", problems)
    if duration is None and "duration_min" not in {name for name, _ in problems}:
        problems.append(Problem("duration_min", "is required"))
    elif duration is not None and not 0 < duration <= MAX_DURATION_MIN:
        problems.append(
            Problem("duration_min", f"must be more than 0 and at most 48 hours (got {duration:g} min)")
        )
    rpe = _number(raw, "rpe", problems)
    if rpe is not None and not 0 <= rpe <= 10:
        problems.append(Problem("rpe", f"must be from 0 to 10 (got {rpe:g})"))
    terrain = raw.get("terrain") or None
    if terrain is not None and terrain not in TERRAINS:
        problems.append(Problem("terrain", f"must be one of {', '.join(TERRAINS)} (got {terrain!r})"))
    surface = raw.get("surface") or None
    if surface is not None and surface not in SURFACES:
        problems.append(Problem("surface", f"must be one of {', '.join(SURFACES)} (got {surface!r})"))
    if problems:
        raise InvalidRun(problems)
    assert isinstance(day, date) and distance is not None and duration is not None
    shoe = raw.get("shoe")
    return ManualRun(
        day=day,
        distance_km=distance,
        duration_min=duration,
        terrain=terrain if isinstance(terrain, str) else None,
        surface=surface if isinstance(surface, str) else None,
        rpe=rpe,
        shoe=str(shoe) if shoe else None,
    )


def validate_rpe(value: object) -> float:
    problems: list[Problem] = []
    rpe = _number({"rpe": value}, "rpe", problems)
    if rpe is None and not problems:
        problems.append(Problem("rpe", "is required"))
    elif rpe is not None and not 0 <= rpe <= 10:
        problems.append(Problem("rpe", f"must be from 0 to 10 (got {rpe:g})"))
    if problems:
        raise InvalidRun(problems)
    assert rpe is not None
    return rpe
