"""The daily safety questions on the one-page check-in (spec A.8), kept short: the warning signs are
listed in a few words under one question, answered "None of these" in one tap or one by one with
their full wording ("Yes, or not sure"). The leg questions that depend on the page's own answers
are asked on their own. Every sign is still answered every day: "None of these" answers each "no"
(as the CLI's --no-red-flags), and an answer given one by one always wins over it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from django.contrib.auth.models import User

from backstride.config import local_today
from backstride.knowledge.diary_texts import none_of_these_question, short_safety_words
from backstride.knowledge.questionnaire import questionnaire_items
from backstride.services.questions import answer_options, question_text
from backstride.services.safety import (
    NONE_OF_THESE,
    filled_by_none_of_these,
    form_questions,
    none_of_these_answers,
)

from .common import form_value

CHOICE_FIELD = "safety"  # the form's "None of these" / "Yes, or not sure" answer
NONE, EACH = "none", "each"
CHOOSE_ONE = "choose “None of these”, or “Yes, or not sure” and answer each one"


class AnswerOption(TypedDict):
    value: str  # as the form posts it
    label: str


class RedFlagQuestion(TypedDict):
    """A safety question as web/check_in.html shows it."""

    id: str
    text: str
    short: str  # the few words of the "any of these?" list ("" for a question asked on its own)
    options: list[AnswerOption]
    chosen: str  # the value chosen, "" before any
    error: str  # what to do about its answer, "" when none


class SafetySection(TypedDict):
    question: str  # "Have you noticed any of these, ...?"
    listed: list[RedFlagQuestion]  # the signs "None of these" answers
    own: list[RedFlagQuestion]  # asked on their own (leg pain side, numbness getting worse)
    choice: str  # NONE, EACH or "" before any
    error: str  # what to do about the choice, "" when none


def safety_section(user: User, values: Mapping[str, Any], errors: Mapping[str, str]) -> SafetySection:
    """The safety questions of the form, with what was chosen (``values``: the form's strings) and
    what to do about each answer (``errors`` by form field, "rf_<item>")."""
    items = questionnaire_items()
    short = short_safety_words()
    questions: list[RedFlagQuestion] = [
        {
            "id": item_id,
            "text": question_text(items[item_id]),
            "short": short.get(item_id, "") if item_id in NONE_OF_THESE else "",
            "options": [
                {"value": form_value(value), "label": label}
                for value, label in answer_options(items[item_id])
            ],
            "chosen": str(values.get(f"rf_{item_id}", "")),
            "error": errors.get(f"rf_{item_id}", ""),
        }
        for item_id in form_questions(user, local_today())
    ]
    listed = [question for question in questions if question["short"]]
    return {
        "question": none_of_these_question(),
        "listed": listed,
        "own": [question for question in questions if not question["short"]],
        "choice": str(values.get(CHOICE_FIELD, "")) or _choice_from_answers(listed),
        "error": errors.get(CHOICE_FIELD, ""),
    }


def _choice_from_answers(listed: list[RedFlagQuestion]) -> str:
    """A day being edited: "None of these" when every listed sign was answered no, else one by one."""
    chosen = [question["chosen"] for question in listed]
    if not chosen or "" in chosen:
        return EACH if any(chosen) else ""
    none = {
        form_value(answer) for answer in none_of_these_answers(question["id"] for question in listed).values()
    }
    return NONE if set(chosen) <= none else EACH


def with_none_of_these(user: User, post: Mapping[str, Any], flags: dict[str, object]) -> dict[str, object]:
    """The safety answers of a posted form: "None of these" fills every listed sign not answered one
    by one (an answer given one by one, a "yes" above all, is never overwritten)."""
    if post.get(CHOICE_FIELD) != NONE:
        return flags
    return filled_by_none_of_these(form_questions(user, local_today()), flags)


def one_problem_for_the_list(
    post: Mapping[str, Any], problems: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """With neither "None of these" nor "Yes, or not sure" chosen, one sentence for the whole list
    instead of one per unanswered sign (the signs' own questions are folded away until then). A sign
    already answered one by one (a browser showing every question) means one by one: each is named."""
    if post.get(CHOICE_FIELD) in (NONE, EACH) or any(post.get(f"rf_{item}") for item in NONE_OF_THESE):
        return problems
    listed = {f"red_flags.{item_id}" for item_id in NONE_OF_THESE}
    kept = [(field, message) for field, message in problems if field not in listed]
    if len(kept) == len(problems):
        return problems
    return [(CHOICE_FIELD, CHOOSE_ONE), *kept]
