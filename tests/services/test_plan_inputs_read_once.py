"""The plan's return-to-run sessions come from the diary the plan has already read when it reaches
back to the episode's start (one query less per page), the same sessions as reading them apart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.cases import SELF_MANAGE

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.services import plan as plan_service
from backstride.services.checks import check_symptoms
from backstride.services.diary import log_check_in
from backstride.services.plan import plan_inputs
from backstride.services.users import local_user

pytestmark = pytest.mark.django_db
NO = {
    item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else False)
    for item in A8_ITEMS
}


def _run_day(back: int, during: int) -> dict[str, object]:
    day = local_today() - timedelta(days=back)
    return {
        "day": day,
        "pain_now": 1,
        "ran": True,
        "pain_before_run": 1,
        "pain_during_run": during,
        "pain_after_run": 1,
        "pain_next_morning": 1,
        "red_flags": NO,
    }


@pytest.mark.parametrize("duration_days", [10, 300, 900])  # in reach, far back, beyond the diary read
def test_the_sessions_are_the_ones_read_apart(duration_days: int):
    user, today = local_user(), local_today()
    check_symptoms({**SELF_MANAGE, "ran_since_onset": True, "duration_days": duration_days}, user)
    for back, during in ((12, 2), (8, 2), (6, 5), (4, 1), (2, 1), (1, 3)):
        log_check_in(user, _run_day(back, during), today)
    inputs = plan_inputs(user, today)
    assert inputs.sessions == plan_service._stage_sessions(user, inputs.episode_start, today)
    assert len(inputs.sessions) == (5 if duration_days == 10 else 6)
