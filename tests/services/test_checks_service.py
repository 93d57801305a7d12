"""check_symptoms and record_rmdq: one transaction each, nothing stored from bad input, owners kept apart."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from tests.cases import EMERGENCY, SEE_A_DOCTOR, SELF_MANAGE

from backstride.core.triage import evaluate, parse_answers
from backstride.services.check_report import CheckReport, build_check_report
from backstride.services.checks import check_symptoms, get_check, list_checks
from backstride.services.errors import BadAnswers, BadRatings, NotFound
from backstride.services.rmdq import record_rmdq, rmdq_history
from backstride.services.users import local_user, profile_for, set_country
from backstride.storage.models import RmdqResponse, SymptomCheck

pytestmark = pytest.mark.django_db


def test_saved_check_keeps_answers_report_and_headline_fields():
    user = local_user()
    outcome = check_symptoms(SEE_A_DOCTOR, user)
    check = get_check(user, outcome.check_id)
    assert check.answers == SEE_A_DOCTOR
    assert check.report["urgency"] == check.urgency == "doctor_soon"
    assert check.run_today == "red" and check.likely_pattern == "bone_or_serious"
    assert check.pain_now == SEE_A_DOCTOR["pain_now"]
    assert check.startback_total == 0 and check.startback_risk == "low"


def test_invalid_answers_store_nothing_and_list_every_problem():
    user = local_user()
    check_symptoms(SELF_MANAGE, user)
    with pytest.raises(BadAnswers) as error:
        check_symptoms({**SELF_MANAGE, "pain_now": 12, "age": "old", "nope": 1}, user)
    assert sorted(item for item, _ in error.value.problems) == ["age", "nope", "pain_now"]
    assert SymptomCheck.objects.count() == 1


def test_unsaved_check_returns_the_report_only():
    outcome = check_symptoms(EMERGENCY, local_user(), save=False)
    assert outcome.check_id is None and outcome.report["urgency"] == "emergency"
    assert SymptomCheck.objects.count() == 0


def test_records_belong_to_their_owner():
    me = local_user()
    other = get_user_model().objects.create(username="clinic-runner-2")
    mine = check_symptoms(SELF_MANAGE, me).check_id
    theirs = check_symptoms(EMERGENCY, other).check_id
    assert [check.id for check in list_checks(me)] == [mine]
    with pytest.raises(NotFound):
        get_check(me, theirs)
    record_rmdq(other, [1, 2])
    assert rmdq_history(me) == []


def test_country_drives_the_emergency_number_in_the_report():
    user = local_user()
    set_country(user, "au")
    assert profile_for(user).country == "AU"
    report = check_symptoms(EMERGENCY, user, save=False).report
    assert "000" in report["urgency_action"]
    with pytest.raises(ValueError):
        set_country(user, "XX")


def test_rmdq_history_reports_change_against_the_first_score():
    user = local_user()
    assert record_rmdq(user, list(range(1, 13))).change is None  # 12: the baseline
    assert record_rmdq(user, list(range(1, 11))).change.direction == "no_important_change"  # -2
    assert record_rmdq(user, list(range(1, 8))).change.direction == "better"  # -5
    assert [row["score"] for row in rmdq_history(user)] == [12, 10, 7]
    with pytest.raises(BadRatings):
        record_rmdq(user, [0, 5])
    assert RmdqResponse.objects.count() == 3


@pytest.mark.parametrize("answers", [SELF_MANAGE, SEE_A_DOCTOR, EMERGENCY])
def test_the_typed_report_keeps_every_declared_key_in_its_order(answers):
    """services.check_report builds the CheckReport itself: every key it declares is in the JSON and
    the stored report, in the declared order (id and created_at once saved)."""
    result = evaluate(parse_answers(answers))
    built = build_check_report(result, parse_answers(answers))
    report = check_symptoms(answers, None, save=False).report
    declared = [key for key in CheckReport.__annotations__ if key not in ("id", "created_at")]
    assert list(report) == list(built) == declared
    assert set(report) | {"id", "created_at"} == set(CheckReport.__annotations__)  # those two once saved
