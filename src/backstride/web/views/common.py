"""What every view shares: who is acting, the template context every page gets, and how an answer
is written into a form field."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from backstride.knowledge import catalog
from backstride.services.users import profile_for

from .navigation import current_section, nav_links


def owner_of(request: HttpRequest) -> User:
    """The signed-in owner of the records (LocalUserMiddleware signs in the local user)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("sign in first")
    return user


def common_context(request: HttpRequest) -> dict[str, Any]:
    country = None
    user = getattr(request, "user", None)
    if isinstance(user, User):
        country = profile_for(user).country or None
    return {
        "emergency_contact": catalog.emergency_contact(country),
        "nav_tabs": nav_links(request),
        "is_home": getattr(getattr(request, "resolver_match", None), "url_name", None) == "home",
        "nav_section": current_section(request) or "",
    }


def form_value(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)
