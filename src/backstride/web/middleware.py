"""Local mode: the one local user is signed in automatically, but only for requests from this machine."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import login
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
            if not request.user.is_authenticated:
                from backstride.services.users import local_user

                login(request, local_user(), backend="django.contrib.auth.backends.ModelBackend")
        return self.get_response(request)
