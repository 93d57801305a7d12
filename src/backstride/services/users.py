"""Who owns the records. Local mode has one user, made on first use; a clinic will have many."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from backstride.storage.models import Profile

LOCAL_USERNAME = "local"


def local_user() -> User:
    """The one local user, made on first use. A plain read when it exists (every web request asks);
    made with its unusable password in one insert, and safe when processes race (the username is
    unique: get_or_create reads the winner's row)."""
    try:
        return User.objects.get(username=LOCAL_USERNAME)
    except User.DoesNotExist:
        unusable = make_password(None)
        user, _ = User.objects.get_or_create(username=LOCAL_USERNAME, defaults={"password": unusable})
        return user


def profile_for(user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(owner=user)
    return profile


def set_country(user: User, country: str) -> Profile:
    from backstride.knowledge import catalog

    code = country.strip().upper()
    if code and code not in catalog.countries():
        raise ValueError(f"unknown country code {country!r}: use a two-letter code such as GB, US or DE")
    profile = profile_for(user)
    profile.country = code
    profile.save(update_fields=["country"])
    return profile


def set_units(user: User, units: str) -> Profile:
    """Distances and paces in kilometres or miles on every page (JSON keeps metres and seconds)."""
    from backstride.core.pace import UNITS

    choice = units.strip().lower()
    choice = {"mi": "mile", "miles": "mile", "kms": "km", "kilometres": "km"}.get(choice, choice)
    if choice not in UNITS:
        raise ValueError(f"unknown unit {units!r}: choose km or mile")
    profile = profile_for(user)
    profile.units = choice
    profile.save(update_fields=["units"])
    return profile


def units_of(user: User) -> str:
    """The runner's distance unit, "km" until they choose miles."""
    return profile_for(user).units or "km"
