"""The clinician's pages (issue 15 item 4, clinic mode only): the caseload, a shared runner's timeline,
their report and the clinician's private notes. A runner or an administrator finds none of them
(404), and every page about a runner asks services.sharing on each request, so a runner who stops
sharing is a 404 at the next click. Each page writes the runner's access log (in the services)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from backstride.config import local_today
from backstride.services import access_log
from backstride.services.accounts import role_of
from backstride.services.caseload import CLINICIAN
from backstride.services.caseload import caseload as caseload_rows
from backstride.services.clinical_notes import MAX_CHARS, add_note, notes_on
from backstride.services.errors import InputRefused, NotFound
from backstride.services.report_sections import DEFAULT_SECTIONS
from backstride.services.sharing import shared_runner
from backstride.services.timeline import DEFAULT_WEEKS, MAX_WEEKS, timeline

from .accounts import clinic_only
from .common import signed_in_user
from .report import ReportPage, read_form, report_pdf_response, report_response


def clinician_of(request: HttpRequest) -> User:
    """The signed-in clinician; anyone else finds no clinician page (404)."""
    user = signed_in_user(request)
    if role_of(user) != CLINICIAN:
        raise Http404("a clinician's page")
    return user


def about_a_shared_runner(
    *methods: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponseBase]]:
    """A clinician's page about one runner: clinic mode, a clinician, and a runner who shares with them
    now (asked on every request), checked before the method, so that whatever is asked of a runner
    who does not share is a 404, and a method the page does not take is a 405 only for a shared one."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponseBase]:
        @clinic_only
        @wraps(view)
        def checked(request: HttpRequest, runner_id: int, **kwargs: Any) -> HttpResponse:
            clinician = clinician_of(request)
            try:
                runner = shared_runner(clinician, runner_id)
            except NotFound as error:
                raise Http404(str(error)) from None
            if request.method not in methods:
                return HttpResponseNotAllowed(list(methods))
            return view(request, clinician, runner, **kwargs)

        return checked

    return decorate


def optional_url(name: str, *args: object) -> str:
    """A link to a page another part of the app may not have yet ("" when it does not exist)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def runner_links(runner_id: int) -> dict[str, str]:
    return {
        "timeline_url": reverse("clinic_runner", args=[runner_id]),
        "report_url": reverse("clinic_report", args=[runner_id]),
        "notes_url": reverse("clinic_notes", args=[runner_id]),
        "plan_url": optional_url("clinic_plan", runner_id),
    }


@clinic_only
@require_http_methods(["GET", "HEAD"])
def caseload(request: HttpRequest) -> HttpResponse:
    """The runners who share with this clinician, those who need them most first."""
    clinician = clinician_of(request)
    rows = caseload_rows(clinician, local_today())
    context = {
        "rows": [{"row": row, **runner_links(row.runner_id)} for row in rows],
        "invite_url": optional_url("caseload_invite"),
    }
    return render(request, "web/caseload.html", context)


def _weeks(request: HttpRequest) -> int | None:
    typed = request.GET.get("weeks", "").strip()
    return int(typed) if typed.isdigit() else None


@about_a_shared_runner("GET", "HEAD")
def runner_timeline(request: HttpRequest, clinician: User, runner: User) -> HttpResponse:
    runner_id = runner.pk
    try:
        shown = timeline(clinician, runner_id, local_today(), _weeks(request))
    except NotFound as error:  # stopped sharing since the first look, a moment ago
        raise Http404(str(error)) from None
    more = min(MAX_WEEKS, shown.weeks * 2)
    context = {
        "timeline": shown,
        "more_weeks": more if more > shown.weeks else 0,
        "default_weeks": DEFAULT_WEEKS,
        **runner_links(runner_id),
    }
    return render(request, "web/clinic_timeline.html", context)


def _report_page(runner: User) -> ReportPage:
    runner_id, name = runner.pk, runner.get_username()
    return ReportPage(
        owner=runner,
        action_url=reverse("clinic_report", args=[runner_id]),
        pdf_url=reverse("clinic_report_pdf", args=[runner_id]),
        title=f"Report: {name}",
        intro=(
            f"{name}'s report, as {name} would hand it to you: the latest check, pain against running, "
            "training, the plan and form checks. The diary's notes stay private to the runner."
        ),
        sections=DEFAULT_SECTIONS,
        back_url=reverse("clinic_runner", args=[runner_id]),
        back_words=f"Back to {name}'s timeline",
        own_pictures=False,
    )


@about_a_shared_runner("GET", "HEAD")
def runner_report(request: HttpRequest, clinician: User, runner: User) -> HttpResponse:
    page = _report_page(runner)
    today = local_today()
    form = read_form(request, today)
    form.sections = [name for name in form.sections if name in page.sections]
    access_log.record(clinician, runner, "report")
    return report_response(request, form, today, page, status=400 if form.errors else 200)


@about_a_shared_runner("GET", "HEAD")
def runner_report_pdf(request: HttpRequest, clinician: User, runner: User) -> HttpResponse:
    page = _report_page(runner)
    today = local_today()
    form = read_form(request, today)
    form.sections = [name for name in form.sections if name in page.sections]
    response = report_pdf_response(request, form, today, page)
    if response.status_code == 200:
        access_log.record(clinician, runner, "report_pdf")
    return response


@about_a_shared_runner("GET", "HEAD", "POST")
def runner_notes(request: HttpRequest, clinician: User, runner: User) -> HttpResponse:
    """The clinician's private notes on the runner: the list, and a form to add one."""
    runner_id = runner.pk
    typed, problem, status = "", "", 200
    try:
        if request.method == "POST":
            typed = request.POST.get("text", "")
            try:
                add_note(clinician, runner_id, typed)
            except InputRefused as error:
                problem, status = " ".join(f"{name} {text}." for name, text in error.problems), 400
            else:
                messages.success(request, "Note saved. Only you can read it.")
                return HttpResponseRedirect(reverse("clinic_notes", args=[runner_id]))
        notes = notes_on(clinician, runner_id)
    except NotFound as error:
        raise Http404(str(error)) from None
    context = {
        "runner_name": runner.get_username(),
        "notes": notes,
        "typed": typed,
        "problem": problem,
        "max_chars": MAX_CHARS,
        **runner_links(runner_id),
    }
    return render(request, "web/clinic_notes.html", context, status=status)
