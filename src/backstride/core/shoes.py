"""Shoe mileage and the replacement prompt (spec clinical.md F "Worn shoes", activity.md 4.7).

The evidence is weak (grade C): Cook, Kester & Brunet 1985 measured shoes losing shock absorption
with mileage in machine tests; the usual 300-500 miles (about 480-800 km) replacement range is a
convention, and no study links shoe age to low back pain. So the prompt is general advice at a
distance the runner can change, never a rule, and the km at each run is offered as a candidate
covariate for the pain analysis, not as a cause.

Pure: ``today`` is a parameter, runs are (day, distance in metres) pairs already linked to the shoe.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .inputs import InvalidValue, parse_day, parse_number
from .problems import InvalidInput, Problem
from .text import clean_text

DEFAULT_REPLACEMENT_KM = 700.0  # the middle of the conventional 500-800 km range (spec F, 4.7)
NEARING_FRACTION_TENTHS = 9  # app policy: "nearing" from 90% of the replacement distance
NEW_SHOE_KM = 50.0  # activity.md 4.7: "new shoe (< 50 km)" as a candidate pain covariate
ALERT_SOURCES: tuple[str, ...] = ("cook-1985", "app-policy")  # ids in knowledge/sources.yaml
MAX_KM = 20_000.0  # app policy: no pair lasts that far; the questionnaire's shoe_km stops there too
MAX_NAME_CHARS = 200  # the stored name's max_length
ADVICE_ID = "shoe-mileage"  # knowledge/advice.yaml card with the full wording and sources

Run = tuple[date, float]  # (day, distance in metres)


@dataclass(frozen=True)
class ShoeState:
    name: str
    start_km: float = 0.0  # km done before tracking began
    replacement_km: float = DEFAULT_REPLACEMENT_KM  # editable by the runner
    bought: date | None = None
    retired: date | None = None


@dataclass(frozen=True)
class Alert:
    level: Literal["nearing", "passed"]
    km: float
    replacement_km: float
    message: str
    sources: tuple[str, ...] = ALERT_SOURCES
    advice_id: str = ADVICE_ID


# --- validation -----------------------------------------------------------------------------


ShoeProblem = Problem


class InvalidShoe(InvalidInput):
    """Raised with every problem found; nothing should be stored when this is raised."""


_SHOE_FIELDS = frozenset({"name", "start_km", "replacement_km", "bought", "retired"})


def _number(value: object) -> float | None:
    """value as a float if it is a finite number (not a bool), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _as_day(value: object) -> date | None:
    try:
        return parse_day(value, "day", None)
    except InvalidValue:
        return None


def validate_shoe(raw: Mapping[str, object], today: date | None = None) -> ShoeState:
    """A ShoeState from raw form/JSON data, or InvalidShoe listing every problem with its field.

    Refused: an empty name, a negative or non-finite start_km, a replacement_km of 0 or less,
    dates that are not dates, a retirement before the purchase, and (when ``today`` is given) a
    purchase or retirement in the future. Missing start_km/replacement_km take the defaults."""
    if not isinstance(raw, Mapping):
        raise InvalidShoe([ShoeProblem("(shoe)", "must be a mapping of field names to values")])
    problems: list[ShoeProblem] = []

    def problem(name: str, message: str) -> None:
        problems.append(ShoeProblem(name, message))

    for key in raw:
        if key not in _SHOE_FIELDS:
            problem(str(key), "unknown field")
    name = raw.get("name")
    name = clean_text(name).strip() if isinstance(name, str) else ""
    if not name:
        problem("name", "is required")
    elif len(name) > MAX_NAME_CHARS:
        problem("name", f"is {len(name)} characters long: keep it to {MAX_NAME_CHARS}")
    start_km = _km(raw, "start_km", 0.0, low_open=False, problems=problems)
    replacement_km = _km(raw, "replacement_km", DEFAULT_REPLACEMENT_KM, low_open=True, problems=problems)
    days: dict[str, date | None] = {}
    for field_name in ("bought", "retired"):
        value = raw.get(field_name)
        days[field_name] = None
        if value is not None:
            try:
                days[field_name] = parse_day(value, field_name, today)
            except InvalidValue as error:
                problems.extend(error.problems)
    bought, retired = days["bought"], days["retired"]
    if bought is not None and retired is not None and retired < bought:
        problem("retired", f"{retired.isoformat()} is before the purchase date {bought.isoformat()}")
    if problems:
        raise InvalidShoe(problems)
    assert start_km is not None and replacement_km is not None
    return ShoeState(
        name=name,
        start_km=start_km,
        replacement_km=replacement_km,
        bought=bought,
        retired=retired,
    )


def _km(
    raw: Mapping[str, object], name: str, default: float, *, low_open: bool, problems: list[ShoeProblem]
) -> float | None:
    """A km field read by the shared parser (core.inputs); ``default`` when not given."""
    value = raw.get(name)
    if value is None:
        return default
    try:
        return parse_number(value, name, 0, MAX_KM, low_open=low_open, unit="km")
    except InvalidValue as error:
        problems.extend(error.problems)
        return None


def validate_runs(runs: Sequence[tuple[object, object]]) -> list[Run]:
    """The runs as (date, metres), or InvalidShoe naming each bad run as ``runs[i]``."""
    problems: list[ShoeProblem] = []
    clean: list[Run] = []
    for index, run in enumerate(runs):
        day, distance = run
        parsed = _as_day(day)
        if parsed is None:
            problems.append(ShoeProblem(f"runs[{index}]", f"day must be a date (got {day!r})"))
        metres = _number(distance)
        if metres is None or metres < 0:
            problems.append(
                ShoeProblem(f"runs[{index}]", f"distance must be a number of metres >= 0 (got {distance!r})")
            )
        elif parsed is not None:
            clean.append((parsed, metres))
    if problems:
        raise InvalidShoe(problems)
    return clean


# --- mileage --------------------------------------------------------------------------------


def shoe_mileage(shoe: ShoeState, runs: Sequence[Run]) -> float:
    """Total km: the km done before tracking plus every run linked to the shoe. The purchase and
    retirement dates do not filter runs: the link between a run and a shoe is the record."""
    return shoe.start_km + math.fsum(distance for _day, distance in runs) / 1000


def km_at_each_run(shoe: ShoeState, runs: Sequence[Run]) -> list[tuple[int, float]]:
    """(index of the run in ``runs``, km on the shoe before that run), in day order (runs on the
    same day keep their input order). Cumulative from ``start_km``; for the pain analysis."""
    order = sorted(range(len(runs)), key=lambda index: (runs[index][0], index))
    result: list[tuple[int, float]] = []
    metres = 0.0
    for index in order:
        result.append((index, shoe.start_km + metres / 1000))
        metres += runs[index][1]
    return result


def is_new_shoe(km: float) -> bool:
    """Under NEW_SHOE_KM: the "new shoe" covariate of activity.md 4.7."""
    return km < NEW_SHOE_KM


def shoe_alert(shoe: ShoeState, km: float) -> Alert | None:
    """ "passed" at or beyond the replacement distance, "nearing" from 90% of it, else None.
    A retired shoe gets no alert. General advice only (spec F): the wording says the range is a
    convention and makes no claim about back pain."""
    if shoe.retired is not None or shoe.replacement_km <= 0:
        return None
    target = shoe.replacement_km
    if km >= target:
        level: Literal["nearing", "passed"] = "passed"
        message = (
            f"{shoe.name} has {km:.0f} km, past the {target:.0f} km you set for replacing it. Shoes lose "
            "some cushioning with use; many runners replace them at about 500-800 km. That range is a "
            "custom, not a tested limit, and no study links shoe age to back pain."
        )
    elif km * 10 >= target * NEARING_FRACTION_TENTHS:  # whole-number tenths: 630 of 700 is exactly 90%
        level = "nearing"
        message = (
            f"{shoe.name} has {km:.0f} km, nearing the {target:.0f} km you set for replacing it. Many "
            "runners replace shoes at about 500-800 km; that range is a custom, not a tested limit."
        )
    else:
        return None
    return Alert(level=level, km=km, replacement_km=target, message=message)
