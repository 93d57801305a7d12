"""What every view shares: who is acting, the template context every page gets, and how an answer
is written into a form field."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from backstride.knowledge import catalog
from backstride.services.accounts import is_runner
from backstride.services.users import profile_for

from .navigation import current_section, nav_links


def owner_of(request: HttpRequest) -> User:
    """The owner of the records a page shows: in local mode the local user (LocalUserMiddleware);
    in clinic mode the signed-in runner. A clinician or administrator owns no runner records (404,
    as for anyone else's; ClinicSignInMiddleware keeps them away from these pages already)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("sign in first")
    if settings.MODE == "clinic" and not is_runner(user):
        raise Http404("not a page of this account")
    return user


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in account whatever its role (the account pages: sign out, caseload)."""
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
        "clinic_mode": settings.MODE == "clinic",
        # Clinic staff get the two-step sign-in link beside "Sign out".
        "account_is_staff": settings.MODE == "clinic" and isinstance(user, User) and not is_runner(user),
    }


def form_value(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)
