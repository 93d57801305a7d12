"""Local mode: the one local user is the user of every request from this machine, with no login.

No login also means no session per visit: a session is stored only when a view keeps something in
it (the check's draft), so requests without a cookie write nothing. CSRF uses its own cookie."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

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
