"""What the check's pages say, worked out from the stored report and the questionnaire: the answers
behind a rule in words, and a stable "about N questions left" estimate. Presentation only: the
report itself (its JSON) is not changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from backstride.core.triage import flow
from backstride.knowledge.questionnaire import questionnaire_items
from backstride.services.questions import answer_words, question_text


class AnswerInWords(TypedDict):
    question: str
    answer: str


def answers_in_words(answers: Mapping[str, Any]) -> list[AnswerInWords]:
    """The answers behind a rule, each as its question and the answer given."""
    items = questionnaire_items()
    words: list[AnswerInWords] = []
    for item_id, value in answers.items():
        item = items.get(item_id)
        question = question_text(item) if item else item_id.replace("_", " ").capitalize()
        words.append({"question": question, "answer": answer_words(item_id, value)})
    return words


# Answers that open the most follow-up questions. Each scenario fills only what is still unanswered,
# and the longest path over them is the estimate: an upper bound of what is left (checked against
# thousands of random paths in tests/web/test_check_estimate.py). Several scenarios because
# pregnancy, "gave birth in the last year" and the hop test open different questions.
_OPENING: dict[str, Any] = {
    "weeks_since_birth": 4,
    "pelvic_floor_symptoms": True,
    "stress_leak": True,
    "pain_extent": "below_knee",
    "numbness_tingling": "one_leg",
    "leg_weakness": "one_leg",
    "pain_side": "left",
    "morning_stiffness_over_30min": True,
    "ran_since_onset": True,
    "worse_sitting": True,
    "pain_builds_each_run": True,
}
_SCENARIOS: tuple[dict[str, Any], ...] = (
    {**_OPENING, "pregnant": False},
    {**_OPENING, "pregnant": True},
    # The hop test is asked only for low pain and no bone stress signs.
    {"pregnant": False, "pain_now": 0, "pain_builds_each_run": False, "hop_pain": "yes"},
)


def questions_left_at_most(answers: Mapping[str, Any], asked: set[str]) -> int:
    """How many questions may still be asked (the current one included), at most."""
    remaining = [item for item in flow.ORDER if item not in answers and item not in asked]
    worlds = [dict(answers)] + [{**scenario, **answers} for scenario in _SCENARIOS]
    return max(sum(1 for item in remaining if flow.is_applicable(item, world)) for world in worlds)


def stable_questions_left(answers: Mapping[str, Any], asked: list[str], shown: list[int]) -> list[int]:
    """The "about N left" shown at each step so far, this step's last. `shown` holds what earlier
    steps showed (one per question asked); the new figure never rises above the last one minus the
    question just answered, so the count only falls as the check goes on, and Back shows again
    what that step showed."""
    shown = shown[: len(asked)]
    left = questions_left_at_most(answers, set(asked))
    if shown:
        left = min(left, shown[-1] - 1)
    return [*shown, max(left, 1)]


def lay_error(item_id: str, message: str, typed: str) -> str:
    """The validator's message, said as what to do next (the original goes one tap away)."""
    item = questionnaire_items().get(item_id)
    shown = f" You typed “{typed}”." if typed else ""
    if message.startswith("must be a number"):
        return f"Please type your answer as a number, in digits (for example 42).{shown}"
    if message.startswith("must be between"):
        low_high = message.removeprefix("must be between ").split(" (", 1)[0].replace(" and ", " to ")
        return f"Please type a number from {low_high}.{shown}"
    if message.startswith("must be one of") or (item is not None and item.type != "number"):
        return "Please choose one of the answers below."
    return message[:1].upper() + message[1:]
