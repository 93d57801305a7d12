"""What a full check leaves in force until the next one (spec K): the daily run-today colour keeps R7
after a painful hop and R8 after a birth (PN-1 lifting by itself 12 weeks after the birth date the
check stored), and a check-in's safety screen reads the check's answers about the person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.cases import NO_RED_FLAGS, SELF_MANAGE
from tests.factories import backdate_check

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.services.checks import check_symptoms
from backstride.services.diary import log_check_in
from backstride.services.errors import BadCheckIn
from backstride.services.standing import standing
from backstride.services.today import run_today
from backstride.services.users import local_user
from backstride.storage.models import SymptomCheck

pytestmark = pytest.mark.django_db

QUIET_FLAGS = {
    item: NO_RED_FLAGS.get(item, "none" if item == "leg_pain_side" else False) for item in A8_ITEMS
}
QUIET_FLAGS = {
    key: value for key, value in QUIET_FLAGS.items() if key not in ("neuro_worsening", "pregnancy_warning")
}


def _check(answers: dict, days_ago: int = 0) -> SymptomCheck:
    outcome = check_symptoms(answers, local_user())
    return backdate_check(SymptomCheck.objects.get(id=outcome.check_id), days_ago)


def _log_today(pain: int = 1, **flags: object) -> None:
    raw = {
        "day": local_today().isoformat(),
        "pain_now": pain,
        "locations": ["central"],
        "red_flags": {**QUIET_FLAGS, **flags},
    }
    log_check_in(local_user(), raw, local_today())


def _rules() -> list[str]:
    return [reason["rule"] for reason in run_today(local_user(), local_today())["reasons"]]


def test_a_painful_hop_keeps_running_red_until_a_new_full_check():
    _check({**SELF_MANAGE, "hop_pain": "yes"}, days_ago=3)
    _log_today(pain=1)
    today = run_today(local_user(), local_today())
    assert today["run_today"] == "red" and "R7" in _rules()
    _check({**SELF_MANAGE, "hop_pain": "no"})
    assert run_today(local_user(), local_today())["run_today"] == "green"


def test_no_running_until_twelve_weeks_after_the_birth_then_it_lifts_by_itself():
    postnatal = {**SELF_MANAGE, "sex": "female", "pregnant": False, "weeks_since_birth": 11}
    check = _check(postnatal)
    assert check.report["birth_date"] == (local_today() - timedelta(days=77)).isoformat()
    _log_today(pain=1)
    assert "R8" in _rules()
    backdate_check(check, 8)  # eight days later: 12 weeks and 1 day since the birth
    assert "R8" not in _rules() and run_today(local_user(), local_today())["run_today"] == "green"


def test_a_young_runners_extension_pain_caps_the_day_at_amber():
    _check({**SELF_MANAGE, "age": 17, "duration_days": 20, "worse_bending_backward": True}, days_ago=2)
    _log_today(pain=0)
    assert run_today(local_user(), local_today())["run_today"] == "amber" and "A7" in _rules()


def test_the_check_in_asks_the_pregnancy_warning_signs_while_the_check_says_pregnant():
    _check({**SELF_MANAGE, "sex": "female", "pregnant": True, "pregnancy_warning": False}, days_ago=1)
    assert standing(local_user(), local_today()).pregnant
    with pytest.raises(BadCheckIn) as missing:
        _log_today()
    assert [field for field, _ in missing.value.problems] == ["red_flags.pregnancy_warning"]
    outcome = log_check_in(
        local_user(),
        {
            "day": local_today().isoformat(),
            "pain_now": 1,
            "red_flags": {**QUIET_FLAGS, "pregnancy_warning": True},
        },
        local_today(),
    )
    assert outcome.escalation is not None and "E13" in outcome.escalation.rule_ids
    alert = run_today(local_user(), local_today())["escalation"]
    assert alert["urgency_when"] == "now" and "maternity unit" in alert["headline"]


def test_loin_colic_at_a_check_in_reads_the_checks_age_and_sex():
    _check({**SELF_MANAGE, "age": 66, "sex": "male", "first_episode": False}, days_ago=1)
    outcome = log_check_in(
        local_user(),
        {"day": local_today().isoformat(), "pain_now": 2, "red_flags": {**QUIET_FLAGS, "loin_colic": True}},
        local_today(),
    )
    assert outcome.escalation is not None and outcome.escalation.urgency.code == "emergency"
    assert "E14" in outcome.escalation.rule_ids


def test_a_same_day_escalation_says_today_on_the_dashboard():
    _check(SELF_MANAGE, days_ago=1)
    _log_today(loin_colic=True)
    alert = run_today(local_user(), local_today())["escalation"]
    assert alert["urgency"] == "doctor_soon" and alert["urgency_when"] == "today"
    assert alert["headline"] == "Contact a doctor today" and "24" not in alert["headline"]
