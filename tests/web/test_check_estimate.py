"""The check's "about N questions left": an upper bound of what is really left, and it never rises."""

from __future__ import annotations

import itertools
import random
import re

import pytest
from django.test import Client
from tests.cases import SEE_A_DOCTOR, SELF_MANAGE

from backstride.core.triage import flow
from backstride.knowledge.questionnaire import Item, questionnaire_items
from backstride.web.views.check_words import questions_left_at_most


def _random_answer(item: Item, rng: random.Random) -> object:
    if item.type == "yes_no":
        return rng.random() < 0.3
    if item.type == "choice":
        return rng.choice(item.choices)
    if item.type == "scale_0_10":
        return rng.randint(0, 10)
    if item.id == "age":
        return rng.choice([14, 25, 34, 45, 58, 70])
    if item.id == "weeks_since_birth":
        return rng.choice([None, 4, 20, 60])
    return rng.choice([None, 3, 30, 200])


def test_the_estimate_is_never_below_the_questions_really_left():
    rng = random.Random(13)
    items = questionnaire_items()
    for _ in range(400):
        answers: dict[str, object] = {}
        asked: list[str] = []
        estimates: list[int] = []
        while (next_id := flow.next_item(answers, set(asked))) is not None:
            estimates.append(questions_left_at_most(answers, set(asked)))
            value = _random_answer(items[next_id], rng)
            asked.append(next_id)
            if value is not None:
                answers[next_id] = value
            answers = flow.prune(answers)
        for step, estimate in enumerate(estimates):
            assert estimate >= len(asked) - step, (asked, step, estimate)


def _walk(client: Client, answers: dict) -> list[int]:
    """Answer the web check from `answers`; the "questions left" shown at each step."""
    items = questionnaire_items()
    client.post("/check/")
    response = client.get("/check/question/")
    shown: list[int] = []
    while response.status_code == 200:
        html = response.content.decode()
        shown.append(int(re.search(r"about (\d+) questions? left", html).group(1)))
        item_id = html.split('name="item" value="', 1)[1].split('"', 1)[0]
        value = answers.get(item_id)
        if value is None and items[item_id].type == "number":
            data = {"item": item_id, "dont_know": "1"}
        else:
            if value is None:
                kind = items[item_id].type
                value = (
                    False if kind == "yes_no" else 0 if kind == "scale_0_10" else items[item_id].choices[0]
                )
            text = {True: "true", False: "false"}[value] if isinstance(value, bool) else str(value)
            data = {"item": item_id, "value": text}
        response = client.post("/check/question/", data)
    return shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answers",
    [
        SELF_MANAGE,
        SEE_A_DOCTOR,
        {**SELF_MANAGE, "sex": "female", "age": 30, "pregnant": False, "pain_extent": "below_knee"},
        {
            **SELF_MANAGE,
            "sex": "female",
            "age": 31,
            "pregnant": False,
            "weeks_since_birth": 8,
            "stress_leak": True,
        },
    ],
)
def test_questions_left_only_falls_during_a_check(client, answers):
    shown = _walk(client, answers)
    assert len(shown) > 30
    assert all(later < earlier for earlier, later in itertools.pairwise(shown)), shown
    assert shown[-1] >= 1
