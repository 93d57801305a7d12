"""My activities and the global rating of change (spec K.8): validation, thresholds, when to re-rate."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.core import outcomes
from backstride.core.outcomes import InvalidOutcome


def fields_of(error: pytest.ExceptionInfo[InvalidOutcome]) -> list[str]:
    return [problem.field for problem in error.value.problems]


# --- names ------------------------------------------------------------------------------------------


def test_names_are_cleaned_and_kept_in_order():
    assert outcomes.validate_names(["  run 5 km ", "sit  through a meeting"]) == (
        "run 5 km",
        "sit through a meeting",
    )


@pytest.mark.parametrize(
    ("names", "fields"),
    [
        ([], ["activities"]),
        (["a", "b", "c", "d"], ["activities"]),
        (["run 5 km", "   "], ["activity_2"]),
        (["x" * 81], ["activity_1"]),
        (["run 5 km", "Run  5 KM"], ["activity_2"]),
        ([None, 7], ["activity_1", "activity_2"]),
    ],
)
def test_each_bad_name_is_reported_with_its_field(names, fields):
    with pytest.raises(InvalidOutcome) as error:
        outcomes.validate_names(names)
    assert fields_of(error) == fields


def test_a_name_of_exactly_80_characters_is_fine():
    assert outcomes.validate_names(["x" * 80]) == ("x" * 80,)


# --- ratings ----------------------------------------------------------------------------------------


def test_ratings_from_0_to_10_are_accepted():
    assert outcomes.validate_ratings([("run 5 km", 0), ("lift my child", 10)]) == (
        ("run 5 km", 0),
        ("lift my child", 10),
    )


def test_every_problem_in_a_rating_is_reported_at_once():
    with pytest.raises(InvalidOutcome) as error:
        outcomes.validate_ratings([("run 5 km", 11), ("", 4), ("lift my child", "six"), ("d", True)])
    assert fields_of(error) == ["activities", "activity_2", "rating_1", "rating_3", "rating_4"]
    assert "0 (can't do it) to 10" in str(error.value)


def test_global_change_takes_the_seven_codes_or_nothing():
    assert outcomes.GLOBAL_CHANGE_CODES == (
        "much_worse",
        "worse",
        "a_little_worse",
        "about_the_same",
        "a_little_better",
        "better",
        "much_better",
    )
    assert outcomes.validate_global_change("a_little_better") == "a_little_better"
    assert outcomes.validate_global_change("") is None and outcomes.validate_global_change(None) is None
    with pytest.raises(InvalidOutcome) as error:
        outcomes.validate_global_change("great")
    assert fields_of(error) == ["global_change"]


def test_a_re_rating_must_rate_every_current_activity_and_nothing_else():
    current = ["run 5 km", "sit through a meeting"]
    assert outcomes.rated_against_current(["Run 5 km", "sit through a meeting"], current) == []
    problems = outcomes.rated_against_current(["run 5 km", "swim"], current)
    assert [p.field for p in problems] == ["activity_2", "activities"]
    assert "'sit through a meeting' has no rating" in problems[1].message


# --- thresholds (Stratford 1995) --------------------------------------------------------------------


def test_a_change_of_exactly_2_in_the_mean_is_real_and_1_9_is_not():
    assert outcomes.change_in_mean(4.0, 6.0).is_real
    assert outcomes.change_in_mean(6.0, 4.0).direction == "worse"
    assert not outcomes.change_in_mean(4.0, 5.9).is_real
    assert outcomes.change_in_mean(4.0, 5.9).direction == "within_variation"


def test_thirds_that_add_up_to_2_count_as_2():
    assert outcomes.change_in_mean(13 / 3, 19 / 3).is_real


def test_one_activity_needs_3_points():
    assert outcomes.change_in_activity(4, 7).direction == "better"
    assert outcomes.change_in_activity(7, 4).direction == "worse"
    assert not outcomes.change_in_activity(4, 6).is_real


def test_messages_say_real_or_within_day_to_day_variation():
    assert "a real improvement" in outcomes.change_in_mean(4, 6.5).message()
    assert "within day-to-day variation" in outcomes.change_in_mean(4, 5).message()
    assert "real change for the worse" in outcomes.change_in_mean(6, 3).message()
    assert "the same as at your first rating" in outcomes.change_in_activity(6, 6).message("rating")


def test_compare_with_first_restarts_the_mean_when_the_activities_change():
    events = [{1: 4, 2: 6}, {1: 7, 2: 6}, {1: 8, 3: 2}, {1: 8, 3: 5}]
    first, second, replaced, after = outcomes.compare_with_first(events)
    assert first.mean is None and first.activities == {1: None, 2: None}
    assert second.mean is not None and second.mean.points == 1.5 and not second.mean.is_real
    assert second.activities[1] is not None and second.activities[1].is_real  # 4 -> 7
    assert replaced.mean is None  # a new set of activities: a new baseline for the mean
    assert replaced.activities[1] is not None and replaced.activities[1].points == 4  # its own series goes on
    assert replaced.activities[3] is None
    assert after.mean is not None and after.mean.points == 1.5


@given(st.lists(st.integers(0, 10), min_size=1, max_size=3))
def test_the_mean_stays_in_range(ratings):
    assert 0 <= outcomes.mean_of(ratings) <= 10


# --- when to ask again ------------------------------------------------------------------------------


def test_a_re_rating_is_due_after_14_days_not_13():
    last = date(2026, 3, 1)
    assert not outcomes.is_rerating_due(last, last + timedelta(days=13))
    assert outcomes.is_rerating_due(last, last + timedelta(days=14))
    assert outcomes.rerating_due_on(last) == date(2026, 3, 15)


def test_nothing_is_due_before_the_first_rating():
    assert not outcomes.is_rerating_due(None, date(2026, 3, 1))
    assert outcomes.rerating_due_on(None) is None
