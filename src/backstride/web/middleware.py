"""Local mode: the one local user is the user of every request from this machine, with no login.
Clinic mode: sign in first (ClinicSignInMiddleware).

No login also means no session per visit: a session is stored only when a view keeps something in
it (the check's draft), so requests without a cookie write nothing. CSRF uses its own cookie."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse
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


# Clinic mode: the pages anyone may open without signing in (static files never get this far:
# WhiteNoise answers them first).
OPEN_PAGES = frozenset({"login", "password_reset", "manifest", "service_worker", "offline"})
# Pages for every signed-in account (each view checks the role it needs); the rest are a runner's own
# records. data_backup: the clinic administrator's backups (404 for anyone else); report_job(_pdf): a
# report PDF for its runner or the clinician who asked for it (services.report_jobs checks which).
ACCOUNT_PAGES = frozenset(
    {"logout", "caseload", "caseload_invite", "invite", "sharing_end", "two_factor", "login_code"}
    | {"data_backup", "report_job", "report_job_pdf"}
)
# The pages open between the password and the code of a two-step sign-in.
SECOND_STEP_PAGES = frozenset({"login_code", "logout"})
# A clinician's pages about a shared runner (clinic_runner, clinic_report...): each view asks the
# sharing service whether this clinician may see that runner, on every request.
CLINICIAN_PAGE_PREFIX = "clinic_"


class ClinicSignInMiddleware:
    """Clinic mode: every page but OPEN_PAGES needs a signed-in account, and a runner's pages need a
    runner (a clinician or administrator finds only the caseload). Local mode: does nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.MODE != "clinic":
            return self.get_response(request)
        try:
            page = resolve(request.path_info).url_name or ""
        except Resolver404:
            page = ""  # an unknown address: a 404 for those signed in, the sign-in page for others
        if page in OPEN_PAGES:
            return self.get_response(request)
        if not request.user.is_authenticated:
            return _to_sign_in(request)
        if page not in SECOND_STEP_PAGES:
            from backstride.services import two_factor

            if not two_factor.passed(request.session, request.user):  # type: ignore[arg-type]
                return _to_second_step(request)
        if page not in ACCOUNT_PAGES and not page.startswith(CLINICIAN_PAGE_PREFIX):
            from backstride.services.accounts import is_runner

            if not is_runner(request.user):  # type: ignore[arg-type]
                if page == "home":
                    from backstride.services.accounts import is_clinician

                    home = "caseload" if is_clinician(request.user) else "data_backup"  # type: ignore[arg-type]
                    return HttpResponseRedirect(reverse(home))
                # A runner's page: a clinician or administrator has no such records of their own, and
                # never learns whether someone else's exist (404, as for any record not yours).
                raise Http404("not a page of this account")
        return self.get_response(request)


def _to_sign_in(request: HttpRequest) -> HttpResponse:
    response = redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
    if request.headers.get("HX-Request"):  # htmx swaps a page part: send the whole page to sign in
        response["HX-Redirect"] = response["Location"]
    return response


def _to_second_step(request: HttpRequest) -> HttpResponse:
    """Signed in with a password, but the account asks for a code too: that page first."""
    response = redirect_to_login(request.get_full_path(), reverse("login_code"))
    if request.headers.get("HX-Request"):
        response["HX-Redirect"] = response["Location"]
    return response


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
