"""Local mode: the one local user is the user of every request from this machine, with no login.

No login also means no session per visit: a session is stored only when a view keeps something in
it (the check's draft), so requests without a cookie write nothing. CSRF uses its own cookie."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone

from backstride.config import local_tz

LOOPBACK_ADDRESSES = {"127.0.0.1", "::1"}


class LocalUserMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.MODE == "local":
            if request.META.get("REMOTE_ADDR") not in LOOPBACK_ADDRESSES:
                return HttpResponseForbidden(
                    "backstride in local mode answers only this computer (127.0.0.1)."
                )
            from backstride.services.users import local_user

            request.user = local_user()  # not login(): that would store a session for every visit
        return self.get_response(request)


class LocalTimeZoneMiddleware:
    """Pages show stored times on the runner's clock (config.local_tz): a check done at 23:50 reads
    23:50 on its own day, not the UTC time and date Django would show (settings.TIME_ZONE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(local_tz())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
