"""`check --answers` fuzzed (issue 11, item 10): random JSON values for the questionnaire's item ids, with
NaN, Infinity, huge numbers, nesting and strange keys. The command never crashes; invalid input always
exits 2 naming each offending item; valid input always gives a report. Fixed seeds (derandomize)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.cli import main
from backstride.core.triage.answers import NUMBER_RANGES, find_problems
from backstride.knowledge.questionnaire import Item, questionnaire_items

pytestmark = pytest.mark.django_db

ITEMS = questionnaire_items()
FUZZ = settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**15, max_value=10**500),
    st.floats(),  # NaN and Infinity too: written as the NaN/Infinity literals JSON does not allow
    st.text(max_size=12),
    st.sampled_from([choice for item in ITEMS.values() for choice in item.choices] + ["not_sure"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
)
keys = st.one_of(
    st.sampled_from(sorted(ITEMS)),
    st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=6),
)


def run_check(tmp: Path, text: str) -> tuple[int, dict[str, Any]]:
    path = tmp / "answers.json"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--answers", str(path), "--format", "json", "--no-save"], catch_exceptions=False
    )
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2), result.output
    return result.exit_code, json.loads(result.stdout)


def holds_an_impossible_number(value: object) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return len(str(abs(value))) > 15
    if isinstance(value, list):
        return any(holds_an_impossible_number(v) for v in value)
    if isinstance(value, dict):
        return any(holds_an_impossible_number(v) for v in value.values())
    return False


@FUZZ
@given(st.dictionaries(keys, json_values, max_size=8))
def test_random_answers_never_crash_and_every_bad_item_is_named(answers):
    with TemporaryDirectory() as tmp:
        code, output = run_check(Path(tmp), json.dumps(answers))
    impossible = {key for key, value in answers.items() if holds_an_impossible_number(value)}
    expected = {p.item_id for p in find_problems({k: v for k, v in answers.items() if k not in impossible})}
    expected |= impossible
    if code == 0:
        assert not expected and {"urgency", "run_today", "reasons", "sources"} <= set(output)
    else:
        named = {problem["item_id"] for problem in output["problems"]}
        assert expected and named <= set(answers) | {"duration_days"}
        assert {key for key in expected if key in answers} <= named


NUMBER_ITEMS = sorted(item.id for item in ITEMS.values() if item.type in ("number", "scale_0_10"))


# Decimals as a JSON reader may turn them into floats; a signaling NaN cannot become a float at all.
DECIMALS_AS_FLOATS = st.decimals().filter(lambda d: not d.is_snan()).map(float)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(NUMBER_ITEMS),
        st.one_of(st.integers(), st.integers(10**300, 10**600), st.floats(), DECIMALS_AS_FLOATS),
        min_size=1,
        max_size=4,
    )
)
def test_numbers_of_any_size_or_kind_are_refused_by_name_or_accepted(answers):
    """A 400-digit integer once crashed the engine (formatted as a float); NaN is not JSON."""
    with TemporaryDirectory() as tmp:
        code, output = run_check(Path(tmp), json.dumps(answers))
    if code == 2:
        assert {problem["item_id"] for problem in output["problems"]} <= set(answers)
    else:
        assert not any(holds_an_impossible_number(value) for value in answers.values())


def valid_answer(item: Item) -> st.SearchStrategy[object]:
    if item.type == "yes_no":
        return st.one_of(st.booleans(), *(st.just(extra) for extra in item.also_accepts))
    if item.type == "scale_0_10":
        return st.integers(0, 10)
    if item.type == "choice":
        return st.sampled_from(item.choices)
    low, high = NUMBER_RANGES.get(item.id, (0, 1000))
    low = item.minimum if item.minimum is not None else low
    high = item.maximum if item.maximum is not None else high
    return st.one_of(st.integers(math.ceil(low), math.floor(high)), st.floats(low, high))


@st.composite
def valid_answers(draw: st.DrawFn) -> dict[str, object]:
    chosen = draw(st.lists(st.sampled_from(sorted(ITEMS)), unique=True, max_size=25))
    answers = {item_id: draw(valid_answer(ITEMS[item_id])) for item_id in chosen}
    age, days = answers.get("age"), answers.get("duration_days")
    if isinstance(age, int | float) and isinstance(days, int | float) and days / 365.25 > age + 1:
        del answers["duration_days"]  # a pain older than the person is refused, rightly
    return answers


@FUZZ
@given(valid_answers())
def test_valid_answers_always_give_a_report(answers):
    with TemporaryDirectory() as tmp:
        code, report = run_check(Path(tmp), json.dumps(answers))
    assert code == 0, report
    assert report["urgency"] in ("emergency", "doctor_soon", "clinician_if_no_better", "self_manage")
    assert report["run_today"] in ("red", "amber", "green") and report["sources"]
