"""Every validator reports problems in one shape (core.problems), so callers handle them alike."""

from __future__ import annotations

from datetime import date

import pytest

from backstride.core.diary import InvalidCheckIn, validate_check_in
from backstride.core.problems import InvalidInput, Problem
from backstride.core.runs import InvalidRun, validate_run
from backstride.core.shoes import InvalidShoe, validate_shoe
from backstride.core.triage.answers import InvalidAnswers, parse_answers

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("call", "error_type", "field"),
    [
        (lambda: parse_answers({"age": "old"}), InvalidAnswers, "age"),
        (lambda: validate_check_in({"day": TODAY, "pain_now": 11}, TODAY), InvalidCheckIn, "pain_now"),
        (
            lambda: validate_run({"day": TODAY, "distance_km": -1, "duration_min": 30}, TODAY),
            InvalidRun,
            "distance_km",
        ),
        (lambda: validate_shoe({"name": ""}, TODAY), InvalidShoe, "name"),
    ],
)
def test_each_validator_raises_its_error_with_problems_that_name_the_field(call, error_type, field):
    with pytest.raises(error_type) as caught:
        call()
    assert isinstance(caught.value, InvalidInput)
    problems = caught.value.problems
    assert problems and all(isinstance(p, Problem) for p in problems)
    assert field in [p.field for p in problems]
    name, message = next(p for p in problems if p.field == field)  # unpacks as (field, message)
    assert name == field and message and str(caught.value).startswith(problems[0].field)
