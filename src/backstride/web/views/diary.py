"""The daily check-in form and the dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS, LOCATIONS, RUN_RATINGS
from backstride.core.inputs import InvalidValue, parse_day
from backstride.knowledge.questionnaire import questionnaire_items
from backstride.services import dashboard as dashboard_service
from backstride.services.diary import delete_entry, entry_as_raw, entry_for, log_check_in
from backstride.services.errors import BadCheckIn, InputRefused, NotFound
from backstride.services.questions import answer_from_text, question_text
from backstride.services.record_names import check_in_name
from backstride.services.safety import urgent_warning

from .check_in_safety import CHOICE_FIELD, one_problem_for_the_list, safety_section, with_none_of_these
from .common import form_value, owner_of
from .form_words import Field, Problem, field_errors
from .undo import offer_undo

SCALES = ("pain_now", "stiffness", *RUN_RATINGS)
YES_NO = ("ran", "socks_shoes_difficult", "exercises_done")


def _raw_from_post(user: Any, post: Any) -> dict[str, object]:
    """Form strings -> the check-in's raw mapping (the core validator names every problem)."""
    raw: dict[str, object] = {"day": post.get("day") or local_today().isoformat()}
    # Numbers stay as typed: the check-in's validator reads them with the same parser as the CLI.
    for name in (*SCALES, "sitting_hours", "sleep_hours"):
        value = post.get(name, "").strip()
        if value != "":
            raw[name] = value
    for name in YES_NO:
        value = post.get(name, "")
        if value in ("yes", "no"):
            raw[name] = value == "yes"
    raw["ran"] = raw.get("ran", False)
    raw["locations"] = post.getlist("locations")
    raw["note"] = post.get("note", "")
    flags: dict[str, object] = {}
    items = questionnaire_items()
    for item_id in A8_ITEMS:
        value = post.get(f"rf_{item_id}", "")
        if value:
            flags[item_id] = answer_from_text(items[item_id], value)
    raw["red_flags"] = with_none_of_these(user, post, flags)
    return raw


# The check-in's typed fields, blank until typed or read from the entry: the form prints every one,
# and a template may not print a name that is not there (tests fail on it).
BLANK_FORM = {
    key: ""
    for key in (
        "day",
        "pain_before_run",
        "pain_during_run",
        "pain_after_run",
        "pain_next_morning",
        "stiffness",
        "sitting_hours",
        "sleep_hours",
        "note",
    )
}


@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest) -> HttpResponse:
    """Today's check-in: under 30 seconds on a phone. The safety questions are asked every time."""
    user = owner_of(request)
    problems: list[tuple[str, str]] = []
    urgent = None
    values: dict[str, Any] = {"day": local_today().isoformat()}
    # Today's (or the chosen day's) entry is shown for editing: a second check-in never silently
    # replaces the first one with blanks.
    editing = request.GET.get("day") or local_today().isoformat()
    if request.method == "GET":
        values = _values_of(user, editing)
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in request.POST}
        values["locations"] = request.POST.getlist("locations")
        try:
            outcome = log_check_in(user, _raw_from_post(user, request.POST), local_today())
        except BadCheckIn as error:
            problems = one_problem_for_the_list(request.POST, error.problems)
            urgent = error.urgent
        else:
            _say_saved(request, outcome.entry)
            if outcome.escalation is not None:
                return HttpResponseRedirect(reverse("dashboard") + "#escalation")
            return HttpResponseRedirect(reverse("dashboard"))
    return _form(request, values, problems, urgent)


def _form(
    request: HttpRequest, values: dict[str, Any], problems: list[tuple[str, str]], urgent: Any = None
) -> HttpResponse:
    """The check-in form with what was typed and every problem (400), or fresh (200)."""
    user = owner_of(request)
    # A safety answer's problem is named "red_flags.<item>"; its radio buttons are "rf_<item>".
    named = [(field.replace("red_flags.", "rf_", 1), message) for field, message in problems]
    errors, listed = _one_line_for_safety(*field_errors(named, _check_in_fields()))
    context = {
        "values": {**BLANK_FORM, **values},
        "problems": listed,
        "errors": errors,
        "more_open": any(errors[key] for key in MORE_FIELDS),
        "scale": range(11),
        "locations": LOCATIONS,
        "safety": safety_section(user, values, errors),
        "urgent": _urgent_text(urgent, request),
    }
    return render(request, "web/check_in.html", context, status=400 if problems else 200)


def _one_line_for_safety(
    errors: dict[str, str], listed: list[Problem]
) -> tuple[dict[str, str], list[Problem]]:
    """The summary names the unanswered safety questions once ("Answer the 9 safety questions marked
    below"), not each long question again; each question says it beside its answers."""
    unanswered = [problem for problem in listed if problem["anchor"].startswith("rf_")]
    if len(unanswered) < 2:
        return errors, listed
    others = [problem for problem in listed if problem not in unanswered]
    line: Problem = {
        "anchor": "safety",
        "text": f"Safety questions: answer the {len(unanswered)} questions marked below (asked every day).",
    }
    return errors, [*others, line]


MORE_FIELDS = ("stiffness", "sitting_hours", "sleep_hours", "exercises_done", "note")  # in the fold


def _check_in_fields() -> dict[str, Field]:
    """The check-in's fields by the labels web/check_in.html shows."""
    items = questionnaire_items()
    safety = {
        f"rf_{item_id}": Field(question_text(items[item_id]), "choice", anchor=f"rf_{item_id}")
        for item_id in A8_ITEMS
    }
    return {
        "day": Field("Day", "date", local_today().isoformat()),
        "pain_now": Field("Back pain right now", "scale"),
        "locations": Field("Where", "choice"),
        "socks_shoes_difficult": Field("Socks and shoes", "choice"),
        CHOICE_FIELD: Field("Safety questions", "choice", anchor="safety"),
        **safety,
        "ran": Field("Did you run today?", "choice"),
        "pain_before_run": Field("Pain just before", "number", "3"),
        "pain_during_run": Field("Worst during", "number", "3"),
        "pain_after_run": Field("Worst in the hours after", "number", "3"),
        "pain_next_morning": Field("The morning after", "number", "3"),
        "stiffness": Field("Stiffness", "number", "3"),
        "sitting_hours": Field("Hours sitting today", "number", "6"),
        "sleep_hours": Field("Hours of sleep", "number", "7.5"),
        "exercises_done": Field("Exercise plan done today?", "choice"),
        "note": Field("Note"),
    }


def _urgent_text(urgent: Any, request: HttpRequest) -> dict[str, str] | None:
    if urgent is None:
        return None
    said = urgent_warning(owner_of(request), urgent)
    return {"headline": said.headline, "action": said.action}


def _values_of(user: Any, day: str) -> dict[str, Any]:
    """An earlier day's entry as form values, to edit it (saving replaces it; what depends on it is
    computed from the diary, so it follows)."""
    try:
        entry = entry_for(user, parse_day(day, "day", local_today()))
    except InvalidValue:
        entry = None
    if entry is None:
        return {"day": day}
    values: dict[str, Any] = {
        key: ("yes" if value is True else "no" if value is False else str(value))
        for key, value in entry_as_raw(entry).items()
        if key not in ("red_flags", "locations", "day")
    }
    values.update(day=entry.day.isoformat(), locations=list(entry.locations))
    values.update({f"rf_{item}": form_value(answer) for item, answer in entry.red_flags.items()})
    return values


@require_POST
def delete_day(request: HttpRequest) -> HttpResponse:
    typed = request.POST.get("day", "")
    """Delete at once (not a day holding an unresolved safety answer); the next page offers Undo."""
    try:
        removed = delete_entry(owner_of(request), parse_day(typed, "day", local_today()))
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    except (InvalidValue, InputRefused) as error:
        values = _values_of(owner_of(request), typed) if isinstance(error, InputRefused) else {"day": typed}
        return _form(request, values, [(field, message) for field, message in error.problems])
    day = removed.record.day
    offer_undo(request, check_in_name(day), removed.rows, f"{reverse('check_in')}?day={day.isoformat()}")
    return HttpResponseRedirect(reverse("dashboard"))


def _say_saved(request: HttpRequest, entry: Any) -> None:
    """The toast after a check-in: which day, and the pain given."""
    messages.success(request, f"Saved: {check_in_name(entry.day)} (pain {entry.pain_now}).")


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/dashboard.html", dashboard_service.dashboard(owner_of(request), local_today())
    )
