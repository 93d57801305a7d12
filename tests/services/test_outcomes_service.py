"""My activities and the global rating of change stored and read back: one transaction each, nothing
stored from bad input, series kept across renames and restarted by replacements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from tests.cases import SELF_MANAGE

from backstride.config import local_day
from backstride.services import outcomes
from backstride.services.checks import check_symptoms
from backstride.services.errors import BadRatings
from backstride.services.users import local_user
from backstride.storage.models import OutcomeActivity, OutcomeRating, OutcomeRatingItem, SymptomCheck

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]

FIRST = [("run 5 km", 4), ("sit through a meeting", 6)]


def stored() -> tuple[int, int, int]:
    return OutcomeActivity.objects.count(), OutcomeRating.objects.count(), OutcomeRatingItem.objects.count()


def problem_fields(error: pytest.ExceptionInfo[BadRatings]) -> list[str]:
    return [field for field, _ in error.value.problems]


def test_first_rating_names_the_activities_and_round_trips():
    user = local_user()
    row = outcomes.record_rating(user, FIRST, source="cli")
    assert [a.name for a in outcomes.current_activities(user)] == ["run 5 km", "sit through a meeting"]
    assert row["mean"] == 5.0 and row["change_from_first"] is None and row["source"] == "cli"
    assert [(item["name"], item["rating"]) for item in row["activities"]] == FIRST
    rating = OutcomeRating.objects.get()
    assert rating.owner == user and rating.mean == 5.0 and rating.global_change == ""
    assert sorted(rating.items.values_list("value", flat=True)) == [4, 6]


def test_a_re_rating_is_compared_with_the_first_against_the_thresholds():
    user = local_user()
    outcomes.record_rating(user, FIRST, source="web")
    row = outcomes.record_rating(user, [("Run 5 km", 7), ("sit through a meeting", 7)], source="diary")
    assert row["mean"] == 7.0 and row["change_from_first"] == 2.0
    assert row["real_change"] is True and row["direction"] == "better"
    run, sit = row["activities"]
    assert (run["change_from_first"], run["real_change"]) == (3, True)
    assert (sit["change_from_first"], sit["real_change"]) == (1, False)
    data = outcomes.history(user)
    assert [r["mean"] for r in data["ratings"]] == [5.0, 7.0]
    assert data["thresholds"]["mean"] == 2 and data["thresholds"]["single_activity"] == 3
    assert data["activities"][0]["ratings"][-1]["rating"] == 7


def test_bad_input_stores_nothing_and_names_every_field():
    user = local_user()
    with pytest.raises(BadRatings) as error:
        outcomes.record_rating(user, [("run 5 km", 11), ("", 3)], source="web", global_change="great")
    assert problem_fields(error) == ["activity_2", "rating_1", "global_change"]
    assert stored() == (0, 0, 0)


def test_a_re_rating_of_other_activities_is_refused_and_stores_nothing():
    user = local_user()
    outcomes.record_rating(user, FIRST, source="cli")
    before = stored()
    with pytest.raises(BadRatings) as error:
        outcomes.record_rating(user, [("run 5 km", 5), ("swim", 5)], source="cli")
    assert problem_fields(error) == ["activity_2", "activities"]
    assert stored() == before


def test_replacing_starts_a_new_series_and_keeps_the_old_one_in_history():
    user = local_user()
    outcomes.record_rating(user, FIRST, source="cli")
    row = outcomes.record_rating(user, [("run 5 km", 8), ("lift my child", 3)], source="cli", replace=True)
    assert row["change_from_first"] is None  # a new set of activities: a new baseline for the average
    run, lift = row["activities"]
    assert run["change_from_first"] == 4 and lift["change_from_first"] is None
    names = [(a["name"], a["current"]) for a in outcomes.history(user)["activities"]]
    assert names == [("run 5 km", True), ("lift my child", True), ("sit through a meeting", False)]


def test_renaming_keeps_the_series():
    user = local_user()
    outcomes.record_rating(user, FIRST, source="cli")
    outcomes.rename_activity(user, "run 5 km", "run 5 km without stopping")
    row = outcomes.record_rating(
        user, [("run 5 km without stopping", 7), ("sit through a meeting", 6)], source="cli"
    )
    assert row["activities"][0]["change_from_first"] == 3
    assert OutcomeActivity.objects.count() == 2


def test_set_activities_with_a_rename_by_position_and_a_replacement():
    user = local_user()
    outcomes.record_rating(user, FIRST, source="web")
    run, sit = outcomes.current_activities(user)
    outcomes.set_activities(user, ["run 10 km", "lift my child"], {1: run.id})
    current = outcomes.current_activities(user)
    assert (current[0].id, current[0].name) == (run.id, "run 10 km")
    assert current[1].id not in (run.id, sit.id)
    assert OutcomeActivity.objects.get(id=sit.id).retired_at is not None


def test_set_activities_refuses_bad_names_and_changes_nothing():
    user = local_user()
    outcomes.record_rating(user, FIRST, source="web")
    with pytest.raises(BadRatings) as error:
        outcomes.set_activities(user, ["run 5 km", "RUN 5 KM", "x" * 81])
    assert problem_fields(error) == ["activity_2", "activity_3"]
    assert [a.name for a in outcomes.current_activities(user)] == ["run 5 km", "sit through a meeting"]


def test_global_change_is_asked_from_the_second_full_check_on():
    user = local_user()
    first = check_symptoms(SELF_MANAGE, user).check_id
    assert outcomes.is_first_check(user) and not outcomes.global_change_applies(user)
    with pytest.raises(BadRatings) as error:
        outcomes.record_rating(user, FIRST, source="check", check_id=first, global_change="better")
    assert problem_fields(error) == ["global_change"] and stored() == (0, 0, 0)
    second = check_symptoms(SELF_MANAGE, user).check_id
    SymptomCheck.objects.create(  # an emergency-stopped check does not count
        owner=user, answers={}, report={}, engine_version="x", urgency="emergency", run_today="red",
        likely_pattern="x", startback_total=0, startback_risk="low", completed=False,
    )  # fmt: skip
    assert not outcomes.is_first_check(user) and outcomes.global_change_applies(user)
    assert outcomes.global_change_applies(user, second) and not outcomes.global_change_applies(user, first)
    row = outcomes.record_rating(
        user, FIRST, source="check", check_id=second, global_change="a_little_better"
    )
    assert row["global_change"] == "a_little_better" and row["global_change_text"] == "a little better"
    assert row["check_id"] == second
    assert outcomes.history(user)["global_change"][0]["answer"] == "a_little_better"


def test_a_rating_cannot_go_with_an_emergency_stopped_or_anothers_check():
    user = local_user()
    other = get_user_model().objects.create(username="clinic-runner-2")
    theirs = check_symptoms(SELF_MANAGE, other).check_id
    stopped = check_symptoms(SELF_MANAGE, user, completed=False).check_id
    for check_id in (theirs, stopped):
        with pytest.raises(BadRatings) as error:
            outcomes.record_rating(user, FIRST, source="check", check_id=check_id)
        assert problem_fields(error) == ["check"]
    assert stored() == (0, 0, 0)


def test_records_belong_to_their_owner():
    other = get_user_model().objects.create(username="clinic-runner-2")
    outcomes.record_rating(other, FIRST, source="web")
    me = local_user()
    assert outcomes.history(me)["ratings"] == [] and outcomes.current_activities(me) == []
    outcomes.record_rating(me, [("lift my child", 2)], source="web")  # a first rating of my own
    assert [a["name"] for a in outcomes.history(me)["activities"]] == ["lift my child"]


def test_a_re_rating_is_due_14_days_after_the_last_not_13():
    user = local_user()
    assert not outcomes.due(user, local_day(timezone.now())).is_due  # nothing rated yet
    outcomes.record_rating(user, FIRST, source="web")
    rated_on = local_day(OutcomeRating.objects.get().created_at)
    assert not outcomes.due(user, rated_on + timedelta(days=13)).is_due
    due = outcomes.due(user, rated_on + timedelta(days=14))
    assert due.is_due and due.last_rated_on == rated_on
    assert due.as_dict()["next_rating_due"] == (rated_on + timedelta(days=14)).isoformat()
