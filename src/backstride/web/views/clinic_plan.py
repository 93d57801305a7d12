"""A clinician changes a shared runner's plan (issue 15 item 4): the runner's week as the runner sees
it, the changes in force with an End button, and a form to add one. Clinic mode only; every request
asks ``sharing.shared_runner`` (a runner who revoked, never shared or does not exist is a 404)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from backstride.config import local_today
from backstride.core.adjustments import HOLD_S, KIND_WORDS, KINDS, REPS, SETS
from backstride.knowledge.exercises import exercises
from backstride.services import access_log
from backstride.services.accounts import is_runner
from backstride.services.adjustments import BadAdjustment, active_rows, add, end
from backstride.services.errors import NotFound
from backstride.services.plan import plan_view
from backstride.services.sharing import shared_runner

from .accounts import clinic_only
from .common import signed_in_user

WHOLE_NUMBER = re.compile(r"[0-9]{1,4}")
FIELDS = ("kind", "exercise", "to", "sets", "reps", "hold", "note")
NUMBERS = {"sets": ("Sets", SETS), "reps": ("Reps", REPS), "hold": ("Hold seconds", HOLD_S)}


def _clinician_and_runner(request: HttpRequest, runner_id: int) -> tuple[User, User]:
    """The signed-in clinician and the runner, asked on every request: 404 unless shared now."""
    clinician = signed_in_user(request)
    if is_runner(clinician):
        raise Http404("a clinician's page")
    try:
        return clinician, shared_runner(clinician, runner_id)
    except NotFound as error:
        raise Http404(str(error)) from None


def _numbers(typed: dict[str, str]) -> tuple[dict[str, int | None], list[tuple[str, str]]]:
    values: dict[str, int | None] = {}
    problems: list[tuple[str, str]] = []
    for field, (label, (low, high)) in NUMBERS.items():
        text = typed[field].strip()
        if not text:
            values[field] = None
        elif WHOLE_NUMBER.fullmatch(text):  # ASCII digits only: str.isdigit() takes "²"
            values[field] = int(text)
        else:
            values[field] = None
            problems.append(
                (field, f"{label} must be a whole number from {low} to {high}: type it in digits.")
            )
    return values, problems


def _library() -> list[tuple[str, str]]:
    """The exercise library by name, for the choosers."""
    return sorted(((e.id, e.name) for e in exercises().values()), key=lambda pair: pair[1].lower())


def _page(
    request: HttpRequest,
    runner: User,
    typed: dict[str, str],
    problems: list[tuple[str, str]],
    status: int = 200,
) -> HttpResponse:
    today = local_today()
    errors = dict.fromkeys(FIELDS, "")
    for field, message in problems:
        errors[field if field in errors else "kind"] = message
    context: dict[str, Any] = {
        "runner_name": runner.get_username(),
        "runner_id": runner.pk,
        "plan": plan_view(runner, today, today),
        "today": today.isoformat(),
        "active": active_rows(runner),
        "kinds": [(kind, KIND_WORDS[kind]) for kind in KINDS],
        "library": _library(),
        "typed": typed,
        "errors": errors,
        "problems": [{"anchor": f"adjust-{field}", "text": message} for field, message in problems],
        "limits": {"sets": SETS, "reps": REPS, "hold": HOLD_S},
    }
    return render(request, "web/clinic_plan.html", context, status=status)


@clinic_only
@require_http_methods(["GET", "POST"])
def clinic_plan(request: HttpRequest, runner_id: int) -> HttpResponse:
    clinician, runner = _clinician_and_runner(request, runner_id)
    typed = {field: request.POST.get(field, "") for field in FIELDS}
    if request.method == "GET":
        access_log.record(clinician, runner, "plan_viewed")
        return _page(request, runner, typed, [])
    numbers, problems = _numbers(typed)
    if not problems:
        try:
            made = add(
                clinician,
                runner.pk,
                typed["kind"],
                exercise_id=typed["exercise"],
                to_id=typed["to"],
                sets=numbers["sets"],
                reps=numbers["reps"],
                hold_s=numbers["hold"],
                note=typed["note"],
            )
        except BadAdjustment as refused:
            problems = refused.problems
        else:
            messages.success(request, f"Saved for {runner.get_username()}: {made.what.rstrip('.')}.")
            return HttpResponseRedirect(reverse("clinic_plan", args=[runner.pk]))
    return _page(request, runner, typed, problems, status=400)


@clinic_only
def clinic_plan_end(request: HttpRequest, runner_id: int, adjustment_id: int) -> HttpResponse:
    clinician, runner = _clinician_and_runner(request, runner_id)  # sharing first: 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        ended = end(clinician, runner.pk, adjustment_id)
    except NotFound as error:
        raise Http404(str(error)) from None
    messages.success(request, f"Ended: {ended.what}. The plan follows its own rules again.")
    return HttpResponseRedirect(reverse("clinic_plan", args=[runner.pk]))
