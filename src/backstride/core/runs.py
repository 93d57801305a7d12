"""A run entered by hand: what is allowed, with every problem named (no clock: `today` is given)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .inputs import InvalidValue, parse_day, parse_number, shown
from .problems import InvalidInput, Problem
from .text import clean_text

TERRAINS = ("flat", "hilly", "uphill_heavy")
SURFACES = ("road", "track", "trail", "grass", "treadmill")
MAX_DISTANCE_KM = 400  # beyond any single run: a typo (metres for km)
MAX_DURATION_MIN = 48 * 60
FUTURE = "{day} is in the future (today is {today}): log a run once it has happened"


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


def _number(
    raw: Mapping[str, object], name: str, problems: list[Problem], high: float, unit: str, low_open: bool
) -> float | None:
    """The field read by the shared parser (core.inputs); None when blank or refused (with its problem)."""
    value = raw.get(name)
    if value is None or value == "":
        return None
    try:
        return parse_number(value, name, 0, high, low_open=low_open, unit=unit)
    except InvalidValue as error:
        problems.extend(error.problems)
        return None


def validate_run(raw: Mapping[str, object], today: date) -> ManualRun:
    """Every problem at once: a negative distance, a run in the future, RPE 11, an unknown surface..."""
    problems: list[Problem] = []
    day: date | None = None
    if raw.get("day") in (None, ""):
        problems.append(Problem("day", "is required"))
    else:
        try:
            day = parse_day(raw.get("day"), "day", today, future_message=FUTURE)
        except InvalidValue as error:
            problems.extend(error.problems)
    distance = _number(raw, "distance_km", problems, MAX_DISTANCE_KM, "km", low_open=True)
    duration = _number(raw, "duration_min", problems, MAX_DURATION_MIN, "minutes", low_open=True)
    for name, value in (("distance_km", distance), ("duration_min", duration)):
        if value is None and name not in {field for field, _ in problems}:
            problems.append(Problem(name, "is required"))
    rpe = _number(raw, "rpe", problems, 10, "", low_open=False)
    terrain = raw.get("terrain") or None
    if terrain is not None and terrain not in TERRAINS:
        problems.append(Problem("terrain", f"must be one of {', '.join(TERRAINS)} (got {shown(terrain)})"))
    surface = raw.get("surface") or None
    if surface is not None and surface not in SURFACES:
        problems.append(Problem("surface", f"must be one of {', '.join(SURFACES)} (got {shown(surface)})"))
    shoe = raw.get("shoe")
    shoe_name = clean_text(str(shoe)).strip() if shoe else ""
    if problems:
        raise InvalidRun(problems)
    assert day is not None and distance is not None and duration is not None
    return ManualRun(
        day=day,
        distance_km=distance,
        duration_min=duration,
        terrain=terrain if isinstance(terrain, str) else None,
        surface=surface if isinstance(surface, str) else None,
        rpe=rpe,
        shoe=shoe_name or None,
    )


def validate_rpe(value: object) -> float:
    problems: list[Problem] = []
    rpe = _number({"rpe": value}, "rpe", problems, 10, "", low_open=False)
    if rpe is None and not problems:
        problems.append(Problem("rpe", "is required"))
    if problems:
        raise InvalidRun(problems)
    assert rpe is not None
    return rpe
