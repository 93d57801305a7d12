"""The runner's shoes by every name an import may give them (an export's gear, a file's gear name)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from backstride.core.activity import ParsedActivity
from backstride.core.text import clean_text
from backstride.importers import exports
from backstride.storage.models import Shoe

FOOT_SPORTS = ("running", "walking", "hiking")


def clean_line(value: str | None, limit: int) -> str:
    """A one-line field as it is stored: no control characters, at most ``limit`` characters."""
    return clean_text(value or "")[:limit]


def shoes_by_name(user: User, export_shoes: list[exports.ExportShoe]) -> dict[str, Shoe]:
    """The user's shoes keyed by every name an export may use for them; the export's shoes are
    created first (one transaction), so a run's "Activity Gear" finds its shoe."""
    with transaction.atomic():
        for shoe in export_shoes:
            name = clean_line(shoe.name, 200)
            if name:
                Shoe.objects.get_or_create(
                    owner=user,
                    name=name,
                    defaults={"brand": clean_line(shoe.brand, 100), "model": clean_line(shoe.model, 100)},
                )
    known: dict[str, Shoe] = {}
    for stored in Shoe.objects.filter(owner=user):
        as_export = exports.ExportShoe(
            name=stored.name, brand=stored.brand or None, model=stored.model or None
        )
        same = [s for s in export_shoes if clean_line(s.name, 200) == stored.name]
        for export_shoe in [as_export, *same]:
            for name in export_shoe.display_names():
                known[gear_key(name)] = stored
    return known


def gear_key(name: str) -> str:
    return " ".join(clean_text(name).split()).casefold()


def shoe_for(activity: ParsedActivity, shoes: dict[str, Shoe]) -> Shoe | None:
    if not activity.gear_name or activity.sport not in FOOT_SPORTS:
        return None  # a bike's name, or no gear
    return shoes.get(gear_key(activity.gear_name))
