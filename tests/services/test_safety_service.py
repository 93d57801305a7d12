"""What the command line and the web share (issue 12): the check-in's safety questions, the urgent
warning an answer raises, and the reading of typed answers, each in one service used by both."""

from __future__ import annotations

import html

import pytest
from click.testing import CliRunner
from django.test import Client
from tests.cases import SELF_MANAGE

from backstride.cli import main
from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.core.triage import evaluate
from backstride.knowledge.questionnaire import questionnaire_items
from backstride.services.check_report import build_check_report
from backstride.services.checks import check_symptoms
from backstride.services.questions import answer_from_text
from backstride.services.safety import SAME_PAGE, form_questions, is_asked, safety_screen, urgent_warning
from backstride.services.users import local_user, set_country

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]
ITEMS = questionnaire_items()
WOMAN = {**SELF_MANAGE, "sex": "female", "age": 31, "pregnant": False}


@pytest.mark.parametrize(
    ("item_id", "typed", "answer"),
    [
        ("bladder_change", "true", True),
        ("bladder_change", " Yes ", True),
        ("bladder_change", "false", False),
        ("bladder_change", "no", False),
        ("bladder_change", "not_sure", "not_sure"),
        ("sb_leg_pain", "agree", True),
        ("sb_leg_pain", "disagree", False),
        ("pain_now", "4", 4),
        ("pain_now", " 4.0 ", 4),
        ("age", "42.5", 42.5),
        ("age", "²", "²"),  # not a number: passed on for the validator to name
        ("age", "nan", "nan"),
        ("leg_pain_side", "none", "none"),
    ],
)
def test_typed_text_becomes_the_same_answer_in_the_terminal_and_on_the_web(item_id, typed, answer):
    read = answer_from_text(ITEMS[item_id], typed)
    assert read == answer and type(read) is type(answer)


def test_an_item_not_in_the_questionnaire_keeps_yes_no_words_for_the_validator_to_name():
    assert answer_from_text(None, "yes") is True
    assert answer_from_text(None, "maybe") == "maybe"


def test_the_form_shows_the_pregnancy_warning_signs_only_while_the_last_check_says_pregnant():
    user, today = local_user(), local_today()
    assert form_questions(user, today) == [item for item in A8_ITEMS if item != "pregnancy_warning"]
    check_symptoms({**WOMAN, "pregnant": True, "pregnancy_warning": False}, user)
    assert form_questions(user, today) == list(A8_ITEMS)


def test_the_terminal_skips_what_the_full_check_skips_and_the_form_shows_what_may_apply():
    user, today = local_user(), local_today()
    back_only = safety_screen(user, today, ["central"])
    leg = safety_screen(user, today, ["central", "below_knee"])
    assert not is_asked("leg_pain_side", back_only, {})
    assert is_asked("leg_pain_side", leg, {})
    assert not is_asked("neuro_worsening", back_only, {"numbness_tingling": "none", "leg_weakness": "none"})
    assert is_asked("neuro_worsening", back_only, {"numbness_tingling": "one_leg", "leg_weakness": "none"})
    # Everything else is asked at every check-in (A.8, K.7), the same on both sides.
    for item in A8_ITEMS:
        if item not in SAME_PAGE and item != "pregnancy_warning":
            assert is_asked(item, back_only, {}) and item in form_questions(user, today)
    assert set(SAME_PAGE) <= set(form_questions(user, today))


def test_the_urgent_warning_has_the_words_of_a_full_check_and_the_users_emergency_number():
    user = local_user()
    set_country(user, "US")
    answers = {"bladder_change": True, "pain_extent": "back_only"}
    result = evaluate(answers)
    said = urgent_warning(user, result)
    report = build_check_report(result, answers, "US")
    assert (said.headline, said.action) == (report["urgency_headline"], report["urgency_action"])
    assert "911" in said.headline + said.action


def test_the_cli_and_the_web_print_the_same_urgent_warning(client: Client):
    user = local_user()
    set_country(user, "DE")
    flags = {item: ("none" if ITEMS[item].type == "choice" else False) for item in A8_ITEMS}
    flags.pop("pregnancy_warning")
    flags.pop("neuro_worsening")
    flags.pop("leg_pain_side")
    flags["bladder_change"] = True
    options = [f"--red-flag={item}={str(value).lower()}" for item, value in flags.items()]
    done = CliRunner().invoke(main, ["log", "pain", "--pain", "3", "--where", "central", *options])
    assert done.exit_code == 0, done.output
    said = urgent_warning(user, evaluate({**flags, "pain_extent": "back_only"}))
    assert said.headline in done.output and said.action in done.output
    form = {f"rf_{item}": str(value).lower() for item, value in flags.items()}
    page = client.post("/diary/", {**form, "pain_now": "x", "locations": ["central"]})
    assert page.status_code == 400  # a mistake elsewhere: the warning is shown all the same
    text = html.unescape(page.content.decode())
    assert said.headline in text and said.action in text
