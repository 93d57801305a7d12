"""parse_answers / find_problems: one test per problem type, and a file with many problems.

The contract (spec/README.md, questionnaire.json): a JSON object id -> value; yes/no as true/false
("not_sure" also for the four cauda equina items), scales as integers 0-10, numbers as numbers in a
plausible range, choices as the listed strings, null = unanswered.
"""

from __future__ import annotations

import json

import pytest

from backstride.core.triage import InvalidAnswers, evaluate, find_problems, parse_answers

from .conftest import CES_ITEMS, ITEMS, PACKAGED_QUESTIONNAIRE, QUIET, SPEC_QUESTIONNAIRE

YES_NO = [i for i, item in ITEMS.items() if item["type"] == "yes_no"]
SCALES = [i for i, item in ITEMS.items() if item["type"] == "scale_0_10"]
NUMBERS = [i for i, item in ITEMS.items() if item["type"] == "number"]
CHOICES = [i for i, item in ITEMS.items() if item["type"] == "choice"]


def _problem_ids(raw: object) -> list[str]:
    with pytest.raises(InvalidAnswers) as caught:
        parse_answers(raw)
    problems = caught.value.problems
    assert [(p.item_id, p.message) for p in problems] == [(p.item_id, p.message) for p in find_problems(raw)]
    assert all(p.message for p in problems)
    return [p.item_id for p in problems]


def test_packaged_questionnaire_is_the_spec_questionnaire():
    assert json.loads(PACKAGED_QUESTIONNAIRE.read_text("utf-8")) == json.loads(
        SPEC_QUESTIONNAIRE.read_text("utf-8")
    )


def test_item_types_are_the_four_known_types():
    assert {item["type"] for item in ITEMS.values()} == {"yes_no", "scale_0_10", "number", "choice"}
    assert set(NUMBERS) == {"age", "duration_days", "shoe_km", "sitting_hours", "weeks_since_birth"}


# --- valid input ------------------------------------------------------------------------------


def test_a_complete_valid_file_parses_unchanged():
    assert find_problems(QUIET) == []
    assert parse_answers(QUIET) == QUIET


def test_empty_object_is_valid():
    assert parse_answers({}) == {}


def test_null_means_unanswered():
    raw = {"age": None, "pain_now": None, "trauma": None, "saddle_numbness": None, "trend_week": "same"}
    assert find_problems(raw) == []
    assert parse_answers(raw) == {"trend_week": "same"}
    assert evaluate(parse_answers(raw)) == evaluate({"trend_week": "same"})


@pytest.mark.parametrize("item_id", CES_ITEMS)
def test_cauda_equina_items_accept_not_sure(item_id):
    assert parse_answers({item_id: "not_sure"}) == {item_id: "not_sure"}


@pytest.mark.parametrize(
    ("item_id", "value"),
    [
        ("pain_now", 0),
        ("pain_now", 10),
        ("age", 0),
        ("age", 120),
        ("age", 45.9),
        ("duration_days", 0),
        ("duration_days", 365.25),
        ("shoe_km", 0),
        ("shoe_km", 20_000),
        ("sitting_hours", 0),
        ("sitting_hours", 24),
        ("sitting_hours", 7.5),
    ],
)
def test_boundary_values_are_accepted(item_id, value):
    assert parse_answers({item_id: value}) == {item_id: value}


@pytest.mark.parametrize("item_id", CHOICES)
def test_every_listed_choice_is_accepted(item_id):
    for choice in ITEMS[item_id]["choices"]:
        assert find_problems({item_id: choice}) == []


# --- one test per problem type -------------------------------------------------------------


@pytest.mark.parametrize("raw", [[], ["age", 30], "age=30", 30, None, True])
def test_not_an_object(raw):
    ids = _problem_ids(raw)
    assert len(ids) == 1


@pytest.mark.parametrize("key", ["agee", "Age", "pain", "", "E1"])
def test_unknown_item_id(key):
    assert _problem_ids({key: True}) == [key]


@pytest.mark.parametrize("item_id", YES_NO)
@pytest.mark.parametrize("value", ["yes", "true", 1, 0, 1.0, [True]])
def test_yes_no_needs_true_or_false(item_id, value):
    assert _problem_ids({item_id: value}) == [item_id]


@pytest.mark.parametrize("item_id", sorted(set(YES_NO) - set(CES_ITEMS)))
def test_not_sure_only_for_cauda_equina_items(item_id):
    assert _problem_ids({item_id: "not_sure"}) == [item_id]


@pytest.mark.parametrize("item_id", SCALES)
@pytest.mark.parametrize("value", [True, False, 5.5, 5.0, "5", -1, 11, 100])
def test_scale_needs_an_integer_0_to_10(item_id, value):
    assert _problem_ids({item_id: value}) == [item_id]


@pytest.mark.parametrize("item_id", NUMBERS)
@pytest.mark.parametrize("value", [True, False, "30", [30], float("nan"), float("inf"), float("-inf")])
def test_number_needs_a_finite_number(item_id, value):
    assert _problem_ids({item_id: value}) == [item_id]


@pytest.mark.parametrize(
    ("item_id", "value"),
    [
        ("age", -1),
        ("age", 121),
        ("age", 120.5),
        ("duration_days", -1),
        ("duration_days", 36_501),
        ("shoe_km", -0.5),
        ("shoe_km", 20_001),
        ("sitting_hours", -1),
        ("sitting_hours", 24.5),
    ],
)
def test_number_out_of_range(item_id, value):
    assert _problem_ids({item_id: value}) == [item_id]


@pytest.mark.parametrize("item_id", CHOICES)
@pytest.mark.parametrize("value", ["maybe", True, 1, None])
def test_choice_must_be_a_listed_string(item_id, value):
    raw = {item_id: value}
    if value is None:  # null is "unanswered", never a problem
        assert find_problems(raw) == []
    else:
        assert _problem_ids(raw) == [item_id]


@pytest.mark.parametrize(
    ("item_id", "value"), [("trauma", "Major"), ("pain_extent", "below knee"), ("onset", "")]
)
def test_choice_is_exact(item_id, value):
    assert _problem_ids({item_id: value}) == [item_id]


@pytest.mark.parametrize(("age", "days"), [(30, 40 * 365.25), (0, 800), (10, 36_500), (20, 25 * 365)])
def test_duration_longer_than_age(age, days):
    assert _problem_ids({"age": age, "duration_days": days}) == ["duration_days"]


@pytest.mark.parametrize(("age", "days"), [(30, 30 * 365), (30, 29 * 365.25), (80, 36_500 * 0.8), (1, 200)])
def test_duration_up_to_the_age_is_fine(age, days):
    assert find_problems({"age": age, "duration_days": days}) == []


def test_invalid_answers_is_a_value_error_with_readable_message():
    with pytest.raises(ValueError, match="pain_now"):
        parse_answers({"pain_now": 11})


# --- many problems at once ------------------------------------------------------------------


def test_every_problem_is_reported_with_its_item_id():
    raw = {
        "age": 20,
        "duration_days": 40 * 365,  # longer than the age
        "nonsense": True,  # unknown id
        "first_episode": "yes",  # yes/no
        "osteoporosis": "not_sure",  # not a CES item
        "pain_now": 11,  # scale out of range
        "pain_next_morning": 4.5,  # scale not an integer
        "pain_during_last_run": True,  # scale as bool
        "shoe_km": -3,  # number out of range
        "sitting_hours": "eight",  # number as text
        "trauma": "huge",  # unlisted choice
        "trend_week": None,  # fine: unanswered
        "saddle_numbness": "not_sure",  # fine
        "weight_loss": False,  # fine
    }
    ids = _problem_ids(raw)
    assert sorted(ids) == sorted(
        [
            "duration_days",
            "nonsense",
            "first_episode",
            "osteoporosis",
            "pain_now",
            "pain_next_morning",
            "pain_during_last_run",
            "shoe_km",
            "sitting_hours",
            "trauma",
        ]
    )
    with pytest.raises(InvalidAnswers) as caught:
        parse_answers(raw)
    text = str(caught.value)
    for item_id in ids:
        assert item_id in text


def test_a_bad_age_and_a_bad_duration_are_each_reported():
    ids = _problem_ids({"age": 200, "duration_days": -5, "pain_now": "x"})
    assert {"age", "duration_days", "pain_now"} <= set(ids)
