"""Shoes: add, rename, retire, a default for new runs, mileage from the runs linked to them and the
replacement prompt (the rules and the evidence notes live in core/shoes.py).

Every write is one transaction, and bad input raises BadShoe naming every problem with nothing
saved. Names are unique per runner regardless of case ("Pegasus" and "pegasus" would be confusing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypedDict

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, F, FloatField, Q, Sum, Value
from django.db.models.functions import Coalesce

from backstride.config import local_today
from backstride.core.inputs import shown
from backstride.core.shoes import Alert, InvalidShoe, ShoeState, is_new_shoe, shoe_alert, validate_shoe
from backstride.core.text import clean_text
from backstride.storage.models import Activity, Shoe

from .errors import BadShoe, NotFound
from .imports import FOOT_SPORTS

_TEXT_LIMITS = {"brand": 100, "model": 100}  # the model's max_length (the name's: core.shoes)


@dataclass(frozen=True)
class ShoeSummary:
    id: int
    name: str
    brand: str
    model: str
    km: float  # start_km + every linked foot activity
    start_km: float
    replacement_km: float
    bought: date | None
    retired: date | None
    is_default: bool
    runs: int
    alert: Alert | None
    new_shoe: bool

    @property
    def percent(self) -> int:
        """Share of the replacement distance, 0-100, for a progress bar."""
        return min(100, int(100 * self.km / self.replacement_km)) if self.replacement_km > 0 else 100


def _state(shoe: Shoe) -> ShoeState:
    return ShoeState(shoe.name, shoe.start_km, shoe.replacement_km, shoe.bought, shoe.retired)


def list_shoes(user: User, today: date) -> list[ShoeSummary]:
    """Every shoe with its mileage, in use first, in ONE query (a filtered aggregate over the
    activities). Only foot activities count: a bike ride linked by mistake adds nothing. A
    retirement dated after ``today`` has not happened yet, so that shoe still gets its alert."""
    foot = Q(activities__sport__in=FOOT_SPORTS)
    shoes = (
        Shoe.objects.filter(owner=user)
        .annotate(
            run_m=Coalesce(Sum("activities__distance_m", filter=foot), Value(0.0), output_field=FloatField()),
            run_count=Count("activities", filter=foot),
        )
        .order_by(F("retired").desc(nulls_first=True), "name")
    )
    summaries = []
    for shoe in shoes:
        km = shoe.start_km + shoe.run_m / 1000
        retired = shoe.retired if shoe.retired and shoe.retired <= today else None
        alert = shoe_alert(ShoeState(shoe.name, shoe.start_km, shoe.replacement_km, shoe.bought, retired), km)
        summaries.append(
            ShoeSummary(
                id=shoe.id,
                name=shoe.name,
                brand=shoe.brand,
                model=shoe.model,
                km=km,
                start_km=shoe.start_km,
                replacement_km=shoe.replacement_km,
                bought=shoe.bought,
                retired=shoe.retired,
                is_default=shoe.is_default,
                runs=shoe.run_count,
                alert=alert,
                new_shoe=is_new_shoe(km),
            )
        )
    return summaries


def current_shoe_km(user: User, today: date) -> float | None:
    """The km of the shoe in use (the default, else the one with the most runs), None without one."""
    in_use = [shoe for shoe in list_shoes(user, today) if shoe.retired is None or shoe.retired > today]
    if not in_use:
        return None
    shoe = max(in_use, key=lambda s: (s.is_default, s.runs))
    return shoe.km


class ShoeAlertJson(TypedDict):
    level: Literal["nearing", "passed"]
    message: str
    sources: list[str]  # source ids
    advice_id: str


class ShoeRow(TypedDict):
    """One shoe as `backstride shoes --format json` prints it (a public contract)."""

    id: int
    name: str
    brand: str
    model: str
    km: float  # to 0.1 km
    start_km: float
    replacement_km: float
    percent: int  # of the replacement distance, 0-100
    bought: str | None  # ISO dates
    retired: str | None
    is_default: bool
    runs: int
    new_shoe: bool
    alert: ShoeAlertJson | None


def shoe_row(summary: ShoeSummary) -> ShoeRow:
    alert = summary.alert
    return {
        "id": summary.id,
        "name": summary.name,
        "brand": summary.brand,
        "model": summary.model,
        "km": round(summary.km, 1),
        "start_km": summary.start_km,
        "replacement_km": summary.replacement_km,
        "percent": summary.percent,
        "bought": summary.bought.isoformat() if summary.bought else None,
        "retired": summary.retired.isoformat() if summary.retired else None,
        "is_default": summary.is_default,
        "runs": summary.runs,
        "new_shoe": summary.new_shoe,
        "alert": None
        if alert is None
        else {
            "level": alert.level,
            "message": alert.message,
            "sources": list(alert.sources),
            "advice_id": alert.advice_id,
        },
    }


# --- writes ----------------------------------------------------------------------------------


def _clean(raw: Mapping[str, object]) -> dict[str, object]:
    """Form and command-line text made ready for validate_shoe: blanks dropped (left unchanged or
    defaulted), the rest stripped; validate_shoe reads numbers and dates with the shared parser."""
    clean: dict[str, object] = {}
    for key, value in raw.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        clean[key] = value.strip() if isinstance(value, str) else value
    return clean


def _check(
    user: User, raw: Mapping[str, object], today: date, shoe: Shoe | None = None
) -> tuple[ShoeState, dict[str, str]]:
    """The validated state and the brand/model text, or BadShoe with every problem."""
    fields = dict(raw)
    text: dict[str, str] = {
        key: clean_text(str(fields.pop(key))).strip() for key in ("brand", "model") if key in fields
    }
    problems: list[tuple[str, str]] = []
    for key, value in text.items():
        if len(value) > _TEXT_LIMITS[key]:
            problems.append((key, f"is {len(value)} characters long: keep it to {_TEXT_LIMITS[key]}"))
    state = None
    try:
        state = validate_shoe(fields, today)
    except InvalidShoe as error:
        problems.extend((problem.field, problem.message) for problem in error.problems)
    if state is not None and not any(field == "name" for field, _ in problems):
        others = Shoe.objects.filter(owner=user, name__iexact=state.name)
        if shoe is not None:
            others = others.exclude(id=shoe.id)
        if others.exists():
            problems.append(("name", f"you already have a shoe named {state.name!r}"))
    if problems or state is None:
        raise BadShoe(problems)
    return state, text


def _get(user: User, name: str) -> Shoe:
    name = clean_text(name).strip()  # as stored (PostgreSQL refuses a NUL even in a lookup)
    shoe = Shoe.objects.select_for_update().filter(owner=user, name=name).first() if name else None
    if shoe is None:
        raise NotFound(f"no shoe named {shown(name)}: `backstride shoes` lists them")
    return shoe


def _save(shoe: Shoe, state: ShoeState, text: Mapping[str, str]) -> Shoe:
    shoe.name, shoe.start_km, shoe.replacement_km = state.name, state.start_km, state.replacement_km
    shoe.bought, shoe.retired = state.bought, state.retired
    for key, value in text.items():
        setattr(shoe, key, value)
    if shoe.retired is not None:
        shoe.is_default = False  # a retired shoe is never the default for new runs
    try:
        with transaction.atomic():  # a savepoint: a concurrent duplicate name is still a BadShoe
            shoe.save()
    except IntegrityError as error:
        raise BadShoe([("name", f"you already have a shoe named {state.name!r}")]) from error
    if shoe.is_default:
        Shoe.objects.filter(owner=shoe.owner, is_default=True).exclude(id=shoe.id).update(is_default=False)
    return shoe


def add_shoe(user: User, raw: Mapping[str, object], today: date) -> Shoe:
    """raw: name, brand, model, start_km, replacement_km, bought, and default (true: the shoe for
    new runs from now on)."""
    fields = _clean(raw)
    make_default = fields.pop("default", False) in (True, "on", "true", "1", "yes")
    with transaction.atomic():
        state, text = _check(user, fields, today)
        return _save(Shoe(owner=user, is_default=make_default), state, text)


def update_shoe(user: User, name: str, raw: Mapping[str, object], today: date) -> Shoe:
    """Change any of name, brand, model, start_km, replacement_km, bought; fields left out or
    blank keep their values. The whole shoe is checked again (e.g. bought after retired)."""
    with transaction.atomic():
        shoe = _get(user, name)
        current = {
            "name": shoe.name,
            "start_km": shoe.start_km,
            "replacement_km": shoe.replacement_km,
            "bought": shoe.bought,
            "retired": shoe.retired,
        }
        state, text = _check(user, {**current, **_clean(raw)}, today, shoe)
        return _save(shoe, state, text)


def retire_shoe(user: User, name: str, day: date | str, today: date | None = None) -> Shoe:
    """Retire on ``day`` (not after ``today``, not before it was bought); it stops being the default."""
    today = today or local_today()
    with transaction.atomic():
        shoe = _get(user, name)
        raw = {"name": shoe.name, "start_km": shoe.start_km, "replacement_km": shoe.replacement_km}
        state, text = _check(user, {**raw, "bought": shoe.bought, **_clean({"retired": day})}, today, shoe)
        if state.retired is None:
            raise BadShoe([("retired", "a retirement date is required")])
        return _save(shoe, state, text)


def set_default(user: User, name: str) -> Shoe:
    """Make this shoe the one new runs use; the previous default stops being it."""
    with transaction.atomic():
        shoe = _get(user, name)
        if shoe.retired is not None:
            raise BadShoe([("name", f"{shoe.name!r} is retired: a retired shoe cannot be the default")])
        shoe.is_default = True
        return _save(shoe, _state(shoe), {})


def shoes_in_use(user: User) -> list[Shoe]:
    """The shoes a run can be assigned to (not retired), by name."""
    return list(Shoe.objects.filter(owner=user, retired__isnull=True).order_by("name"))


def assign_run(user: User, activity_id: int, shoe_name: str | None) -> Activity:
    """Link a foot activity to a shoe (None: to no shoe)."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().filter(owner=user, id=activity_id).first()
        if activity is None:
            raise NotFound(f"no activity #{activity_id}: `backstride activities` lists them")
        shoe = None if shoe_name is None else _get(user, shoe_name)
        if shoe is not None and activity.sport not in FOOT_SPORTS:
            raise BadShoe(
                [("activity", f"#{activity_id} is {activity.sport}: only runs and walks wear shoes")]
            )
        activity.shoe = shoe
        activity.save(update_fields=["shoe"])
        return activity
