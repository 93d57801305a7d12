"""Run-today and urgent answers over time: an escalation from a check-in or a check stays until a full
check clears it, the most urgent one is shown, and it keeps run-today red (diary, checks, today)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.cases import SELF_MANAGE
from tests.factories import backdate_check

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.core.triage import Urgency
from backstride.services.checks import check_symptoms
from backstride.services.diary import delete_entry, log_check_in
from backstride.services.errors import BadCheckIn
from backstride.services.today import current_alert, run_today
from backstride.services.users import local_user
from backstride.storage.models import DiaryEntry, SymptomCheck

pytestmark = pytest.mark.django_db
TODAY = local_today()
NO = {
    item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else False)
    for item in A8_ITEMS
}


def check_in(day: date, **red_flags: object) -> None:
    log_check_in(local_user(), {"day": day, "pain_now": 1, "red_flags": {**NO, **red_flags}}, TODAY)


def test_a_check_stopped_by_an_emergency_answer_keeps_run_today_red():
    check_symptoms({"trauma": "major"}, local_user(), completed=False)
    check_in(TODAY)
    data = run_today(local_user(), TODAY)
    assert data["run_today"] == "red" and data["escalation"]["urgency"] == "emergency"


def test_a_full_check_after_a_stopped_one_supersedes_it_and_only_the_newest_stopped_count():
    user = local_user()
    stopped = check_symptoms({"trauma": "major"}, user, completed=False)
    backdate_check(SymptomCheck.objects.get(id=stopped.check_id), 2)
    check_symptoms(SELF_MANAGE, user)  # a full check since: the stopped one no longer counts
    check_in(TODAY)
    urgency, alert, latest = current_alert(user)
    assert urgency == Urgency.SELF_MANAGE and alert is None and latest is not None
    assert run_today(user, TODAY)["escalation"] is None
    again = check_symptoms({"trauma": "major"}, user, completed=False)  # stopped after the full check
    assert again.check_id is not None
    urgency, alert, _ = current_alert(user)
    assert urgency == Urgency.EMERGENCY and alert is not None and alert["source"] == "check"


def test_saving_the_day_again_cannot_erase_an_escalation_and_it_cannot_be_deleted():
    check_in(TODAY, bladder_change=True)
    check_in(TODAY)  # same day, all "no"
    assert DiaryEntry.objects.get().escalation == "emergency"
    assert run_today(local_user(), TODAY)["run_today"] == "red"
    with pytest.raises(BadCheckIn):
        delete_entry(local_user(), TODAY)
    check_symptoms(SELF_MANAGE, local_user())  # a full check clears it ...
    check_in(TODAY)  # ... and an unchanged edit does not bring it back
    assert run_today(local_user(), TODAY)["escalation"] is None


def test_the_most_urgent_escalation_is_shown_not_the_latest():
    check_in(TODAY - timedelta(days=2), saddle_numbness=True)
    check_in(TODAY - timedelta(days=1), bladder_change="not_sure")
    assert run_today(local_user(), TODAY)["escalation"]["urgency"] == "emergency"


def test_an_urgent_full_check_keeps_the_alert_after_clearing_check_in_escalations():
    check_in(TODAY, saddle_numbness=True)
    check_symptoms({**SELF_MANAGE, "saddle_numbness": True}, local_user())
    data = run_today(local_user(), TODAY)
    assert data["escalation"]["source"] == "check" and data["escalation"]["urgency"] == "emergency"


def test_an_escalation_without_an_entry_today_is_red_not_log_first():
    check_in(TODAY - timedelta(days=1), saddle_numbness=True)
    data = run_today(local_user(), TODAY)
    assert data["run_today"] == "red" and data["reasons"][0]["rule"] == "R1"
