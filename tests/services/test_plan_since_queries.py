"""plan_since reads a fixed number of queries whatever the runner's history holds: with only a
check, after an urgent result, after an escalation cleared by a later check (issue 17: the
dashboard's query count must not depend on the data)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.cases import EMERGENCY, SELF_MANAGE

from backstride.config import local_today
from backstride.services.checks import check_symptoms
from backstride.services.plan import plan_since
from backstride.services.users import local_user
from backstride.storage.models import DiaryEntry

pytestmark = pytest.mark.django_db
QUERIES = 3


def test_no_check_no_plan_in_one_query(django_assert_num_queries):
    user = local_user()
    with django_assert_num_queries(1):
        assert plan_since(user) is None


def test_the_same_queries_with_a_check_an_urgent_result_and_a_cleared_escalation(django_assert_num_queries):
    user, today = local_user(), local_today()
    check_symptoms(SELF_MANAGE, user)
    with django_assert_num_queries(QUERIES):
        assert plan_since(user) == today
    DiaryEntry.objects.create(
        owner=user,
        day=today - timedelta(days=40),
        pain_now=5,
        escalation="doctor_soon",
        escalation_cleared=True,
    )
    with django_assert_num_queries(QUERIES):
        assert plan_since(user) == today  # the check came later
    check_symptoms(EMERGENCY, user, completed=False)  # stopped by an emergency answer, today
    with django_assert_num_queries(QUERIES):
        assert plan_since(user) == today + timedelta(days=1)
    check_symptoms(SELF_MANAGE, user)  # a new full check the same day starts the plan again today
    with django_assert_num_queries(QUERIES):
        assert plan_since(user) == today
