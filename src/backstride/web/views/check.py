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
from backstride.services.questions import answer_from_text, skip_label

from .check_words import answers_in_words, lay_error, questions_left_at_most, stable_questions_left
from .common import common_context, form_value, owner_of

DRAFT_KEY = "check_draft"


def home(request: HttpRequest) -> HttpResponse:
    checks = list_checks(owner_of(request))[:1]
    return render(request, "web/home.html", {"latest": checks[0] if checks else None})


# --- the step-by-step check -------------------------------------------------------------------


def _draft(request: HttpRequest) -> dict[str, Any]:
    # "earlier": answers taken back with Back, shown again as the chosen answer; "left": the
    # "about N questions left" each step showed (so the count never rises).
    draft: dict[str, Any] = request.session.get(DRAFT_KEY) or {"answers": {}, "asked": []}
    draft.setdefault("earlier", {})
    draft.setdefault("left", [])
    return draft


def _save_draft(request: HttpRequest, draft: dict[str, Any]) -> None:
    request.session[DRAFT_KEY] = draft


@require_http_methods(["GET", "POST"])
def check_intro(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        _save_draft(request, {"answers": known_answers(owner_of(request), local_today()), "asked": []})
        return HttpResponseRedirect(reverse("check_question"))
    return render(
        request,
        "web/check_intro.html",
        {"in_progress": bool(_draft(request)["asked"]), "most": questions_left_at_most({}, set())},
    )


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
    earlier: dict[str, Answer] = draft["earlier"]
    error = None
    typed = detail = ""
    if request.method == "POST":
        items = questionnaire_items()
        item_id = request.POST.get("item", "")
        if "back" in request.POST:
            if asked:
                previous = asked.pop()
                # Out of the answers (the result never rests on it) but kept to show as chosen.
                if previous in answers:
                    earlier[previous] = answers.pop(previous)
        elif item_id in items and flow.is_applicable(item_id, answers):
            if "dont_know" in request.POST:
                answers.pop(item_id, None)
            else:
                value = answer_from_text(items[item_id], request.POST.get("value", ""))
                # In the context of the earlier answers: e.g. a duration longer than the age given.
                problems = [p for p in find_problems({**answers, item_id: value}) if p.item_id == item_id]
                if problems or request.POST.get("value", "") == "":
                    typed = request.POST.get("value", "")
                    detail = problems[0].message if problems else ""
                    error = lay_error(item_id, detail, typed) if problems else _empty_answer(items[item_id])
                else:
                    answers[item_id] = value
                    earlier.pop(item_id, None)
            if error is None:
                if item_id not in asked:
                    asked.append(item_id)
                answers = flow.prune(answers)
                asked = [item for item in asked if flow.is_applicable(item, answers)]
        draft = {**draft, "answers": answers, "asked": asked, "earlier": earlier}
        _save_draft(request, draft)
        if flow.emergency_found(answers):
            return _finish(request, answers, completed=False)
    next_id = flow.next_item(answers, set(asked))
    if next_id is None:
        if not asked:
            return HttpResponseRedirect(reverse("check_intro"))
        return _finish(request, answers, completed=True)
    draft["left"] = stable_questions_left(answers, asked, draft["left"])
    _save_draft(request, draft)
    chosen = typed if error else earlier.get(next_id)
    context = _question_context(next_id, answers, set(asked), error, chosen, draft["left"][-1])
    context["error_detail"] = detail if error and detail != error else ""
    template = "web/_question.html" if request.headers.get("HX-Request") else "web/question.html"
    return render(request, template, context, status=400 if error else 200)


def _empty_answer(item: Any) -> str:
    if item.type == "number":
        return f"Please type a number, or choose “{skip_label(item)}”."
    return "Please choose one of the answers below."


def _question_context(
    item_id: str, answers: dict[str, Any], asked: set[str], error: str | None, chosen: Any, left: int
) -> dict[str, Any]:
    from backstride.services.questions import answer_options, question_text

    item = questionnaire_items()[item_id]
    done = len(asked)
    total = done + left
    chosen_value = None if chosen is None or chosen == "" else form_value(chosen)
    options = [
        {"value": form_value(value), "label": label, "chosen": form_value(value) == chosen_value}
        for value, label in answer_options(item)
    ]
    section = flow.SECTION_OF[item_id]
    return {
        "item": item,
        "text": question_text(item),
        "options": options,
        "is_scale": item.type == "scale_0_10",
        "is_number": item.type == "number",
        "scale": [{"value": str(n), "chosen": str(n) == chosen_value} for n in range(11)],
        "section": section,
        "is_startback": item_id.startswith("sb_"),
        "startback": catalog.startback() if item_id.startswith("sb_") else None,
        "is_ces": "not_sure" in item.also_accepts,
        "note": item.note,
        "skip_label": skip_label(item),
        "number": done + 1,
        "total": total,
        "left": left,
        "chosen": chosen_value or "",
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
    is_emergency = report["urgency"] == "emergency"
    # An emergency page shows only the emergency: no pattern, no run-today rules, even in the folds.
    reasons = [
        {**reason, "answers_in_words": answers_in_words(reason["answers"])}
        for reason in report["reasons"]
        if not is_emergency or reason["kind"] in ("urgency", "inflammatory")
    ]
    urgency_rules = [reason for reason in reasons if reason["kind"] in ("urgency", "inflammatory")]
    run_rules = [reason for reason in reasons if reason["kind"] == "run_today"]
    pattern_rules = [reason for reason in reasons if reason["kind"] == "pattern"]
    return render(
        request,
        "web/result.html",
        {
            "check": check,
            "report": report,
            "reasons": reasons,
            "urgency_rules": urgency_rules,
            "emergency_rules": [reason for reason in urgency_rules if reason["outcome"] == "emergency"],
            "run_rules": run_rules,
            "pattern_rules": pattern_rules,
            "is_emergency": is_emergency,
            # The summary says the first sentence ("An app cannot diagnose."); the fold says it all.
            "not_a_diagnosis": report["pattern_disclaimer"].split(". ", 1)[0].rstrip(".") + ".",
            "startback_shown": check.completed and report["startback"]["risk"] != "not_asked",
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
