"""The symptom check. It works with JavaScript off (plain form posts) and with htmx on (the question
swaps in place; an emergency answer redirects at once)."""

from __future__ import annotations

import re
from typing import Any, TypedDict

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from backstride.config import local_today
from backstride.core.triage import flow
from backstride.core.triage.answers import find_problems
from backstride.core.triage.model import Answer
from backstride.knowledge import catalog
from backstride.knowledge.questionnaire import questionnaire_items
from backstride.services.checks import check_symptoms, get_check, known_answers, list_checks
from backstride.services.errors import BadAnswers, NotFound
from backstride.services.questions import answer_from_text

from .common import common_context, form_value, owner_of

DRAFT_KEY = "check_draft"


def home(request: HttpRequest) -> HttpResponse:
    checks = list_checks(owner_of(request))[:1]
    return render(request, "web/home.html", {"latest": checks[0] if checks else None})


# --- the step-by-step check -------------------------------------------------------------------


def _draft(request: HttpRequest) -> dict[str, Any]:
    return request.session.get(DRAFT_KEY) or {"answers": {}, "asked": []}


def _save_draft(request: HttpRequest, draft: dict[str, Any]) -> None:
    request.session[DRAFT_KEY] = draft


@require_http_methods(["GET", "POST"])
def check_intro(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        _save_draft(request, {"answers": known_answers(owner_of(request), local_today()), "asked": []})
        return HttpResponseRedirect(reverse("check_question"))
    return render(request, "web/check_intro.html", {"in_progress": bool(_draft(request)["asked"])})


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _finish(request: HttpRequest, answers: dict[str, Answer], completed: bool) -> HttpResponse:
    try:
        outcome = check_symptoms(answers, owner_of(request), completed=completed)
    except BadAnswers as error:
        # Should not happen (each answer is checked in context); never lose the check over it:
        # drop the answers that clash and ask those questions again.
        bad = {item for item, _ in error.problems}
        draft = _draft(request)
        draft["answers"] = {k: v for k, v in answers.items() if k not in bad}
        draft["asked"] = [item for item in draft["asked"] if item not in bad]
        _save_draft(request, draft)
        return _redirect(request, reverse("check_question"))
    request.session.pop(DRAFT_KEY, None)
    return _redirect(request, reverse("check_result", args=[outcome.check_id]))


@require_http_methods(["GET", "POST"])
def check_question(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    answers: dict[str, Answer] = draft["answers"]
    asked: list[str] = draft["asked"]
    error = None
    if request.method == "POST":
        items = questionnaire_items()
        item_id = request.POST.get("item", "")
        if "back" in request.POST:
            if asked:
                previous = asked.pop()
                answers.pop(previous, None)
        elif item_id in items and flow.is_applicable(item_id, answers):
            if "dont_know" in request.POST:
                answers.pop(item_id, None)
            else:
                value = answer_from_text(items[item_id], request.POST.get("value", ""))
                # In the context of the earlier answers: e.g. a duration longer than the age given.
                problems = [p for p in find_problems({**answers, item_id: value}) if p.item_id == item_id]
                if problems or request.POST.get("value", "") == "":
                    error = problems[0].message if problems else "Please choose an answer."
                else:
                    answers[item_id] = value
            if error is None:
                if item_id not in asked:
                    asked.append(item_id)
                answers = flow.prune(answers)
                asked = [item for item in asked if flow.is_applicable(item, answers)]
        draft = {"answers": answers, "asked": asked}
        _save_draft(request, draft)
        if flow.emergency_found(answers):
            return _finish(request, answers, completed=False)
    next_id = flow.next_item(answers, set(asked))
    if next_id is None:
        if not asked:
            return HttpResponseRedirect(reverse("check_intro"))
        return _finish(request, answers, completed=True)
    context = _question_context(next_id, answers, set(asked), error)
    template = "web/_question.html" if request.headers.get("HX-Request") else "web/question.html"
    return render(request, template, context, status=400 if error else 200)


def _question_context(
    item_id: str, answers: dict[str, Any], asked: set[str], error: str | None
) -> dict[str, Any]:
    from backstride.services.questions import answer_options, question_text, skip_label

    item = questionnaire_items()[item_id]
    done, total = flow.progress(answers, asked)
    options = [{"value": form_value(value), "label": label} for value, label in answer_options(item)]
    section = flow.SECTION_OF[item_id]
    return {
        "item": item,
        "text": question_text(item),
        "options": options,
        "is_scale": item.type == "scale_0_10",
        "is_number": item.type == "number",
        "scale": range(11),
        "section": section,
        "is_startback": item_id.startswith("sb_"),
        "startback": catalog.startback() if item_id.startswith("sb_") else None,
        "is_ces": "not_sure" in item.also_accepts,
        "note": item.note,
        "skip_label": skip_label(item),
        "number": done + 1,
        "total": total,
        "percent": int(100 * done / total) if total else 0,
        "can_go_back": bool(asked),
        "error": error,
    }


def check_result(request: HttpRequest, check_id: int) -> HttpResponse:
    try:
        check = get_check(owner_of(request), check_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    report = check.report
    urgency_rules = [reason for reason in report["reasons"] if reason["kind"] in ("urgency", "inflammatory")]
    run_rules = [reason for reason in report["reasons"] if reason["kind"] == "run_today"]
    pattern_rules = [reason for reason in report["reasons"] if reason["kind"] == "pattern"]
    return render(
        request,
        "web/result.html",
        {
            "check": check,
            "report": report,
            "urgency_rules": urgency_rules,
            "run_rules": run_rules,
            "pattern_rules": pattern_rules,
            "is_emergency": report["urgency"] == "emergency",
            "dial": _dial_number(_current_contact(request)),
            "current_contact": _current_contact(request),
        },
    )


class CurrentContact(TypedDict):
    country: str | None  # None until a country is set
    emergency: str


def _current_contact(request: HttpRequest) -> CurrentContact:
    """The emergency contact for the country set now (a stored report keeps the one it was shown with)."""
    contact = common_context(request)["emergency_contact"]
    return {"country": contact.country, "emergency": contact.emergency}


def _dial_number(contact: CurrentContact) -> str | None:
    """The number to put in a tel: link, only when a country is set (the default text lists several)."""
    if not contact.get("country"):
        return None
    match = re.match(r"\s*(\d+)", contact["emergency"])
    return match.group(1) if match else None
