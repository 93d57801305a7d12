"""Who owns the records. Local mode has one user, made on first use; a clinic will have many."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from backstride.storage.models import Profile

LOCAL_USERNAME = "local"


def local_user() -> User:
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=LOCAL_USERNAME)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
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
