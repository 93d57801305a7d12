"""Shoe mileage and the replacement prompt (spec clinical.md F "Worn shoes", activity.md 4.7):
mileage with the km done before tracking, alert boundaries (nearing from 90%, passed at 100%),
km on the shoe at each run (cumulative, in day order), and validation."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.core.shoes import (
    ADVICE_ID,
    DEFAULT_REPLACEMENT_KM,
    InvalidShoe,
    ShoeState,
    is_new_shoe,
    km_at_each_run,
    shoe_alert,
    shoe_mileage,
    validate_runs,
    validate_shoe,
)
from backstride.knowledge.catalog import advice_cards, sources

PROPERTY = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
TODAY = date(2025, 3, 31)
SHOE = ShoeState(name="Pegasus", start_km=120.0)


# --- mileage --------------------------------------------------------------------------------


def test_mileage_adds_the_km_done_before_tracking():
    runs = [(date(2025, 3, 1), 5000.0), (date(2025, 3, 3), 10_000.0), (date(2025, 3, 2), 2500.0)]
    assert shoe_mileage(SHOE, runs) == pytest.approx(137.5)
    assert shoe_mileage(ShoeState("New"), runs) == pytest.approx(17.5)
    assert shoe_mileage(SHOE, []) == 120.0


def test_purchase_and_retirement_dates_do_not_filter_linked_runs():
    shoe = ShoeState("Old", bought=date(2025, 3, 2), retired=date(2025, 3, 2))
    assert shoe_mileage(shoe, [(date(2025, 3, 1), 1000.0), (date(2025, 3, 5), 1000.0)]) == pytest.approx(2.0)


def test_default_replacement_distance_is_in_the_conventional_range():
    assert ShoeState("x").replacement_km == DEFAULT_REPLACEMENT_KM == 700
    assert 500 <= DEFAULT_REPLACEMENT_KM <= 800  # spec F / 4.7: about 480-800 km, a convention


# --- km at each run ---------------------------------------------------------------------------


def test_km_at_each_run_is_cumulative_and_in_day_order():
    runs = [
        (date(2025, 3, 10), 8000.0),  # 0
        (date(2025, 3, 1), 5000.0),  # 1
        (date(2025, 3, 5), 10_000.0),  # 2
        (date(2025, 3, 5), 3000.0),  # 3: same day as 2, after it in the input
    ]
    assert km_at_each_run(SHOE, runs) == [
        (1, pytest.approx(120.0)),
        (2, pytest.approx(125.0)),
        (3, pytest.approx(135.0)),
        (0, pytest.approx(138.0)),
    ]
    assert km_at_each_run(SHOE, []) == []


def test_new_shoe_covariate():
    assert is_new_shoe(0) and is_new_shoe(49.9)
    assert not is_new_shoe(50)


# --- alerts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("replacement", "km", "level"),
    [
        (700, 0, None),
        (700, 629.9, None),
        (700, 630, "nearing"),  # exactly 90%
        (700, 699.99, "nearing"),
        (700, 700, "passed"),  # exactly 100%
        (700, 1500, "passed"),
        (500, 449.9, None),
        (500, 450, "nearing"),
        (500, 500, "passed"),
        (800, 719.99, None),
        (800, 720, "nearing"),
        (333.3, 300, "nearing"),  # 90% of a non-round target is 299.97
        (333.3, 299.9, None),
    ],
)
def test_alert_boundaries(replacement, km, level):
    alert = shoe_alert(ShoeState("Pegasus", replacement_km=replacement), km)
    if level is None:
        assert alert is None
    else:
        assert alert is not None and alert.level == level
        assert alert.km == km and alert.replacement_km == replacement
        assert "Pegasus" in alert.message and f"{replacement:.0f} km" in alert.message


def test_alert_message_is_general_advice_with_sources():
    alert = shoe_alert(SHOE, 750)
    assert alert is not None
    assert "500-800 km" in alert.message and "custom" in alert.message
    assert "back pain" in alert.message  # no claimed link to back pain
    known = sources()
    assert alert.sources and all(source_id in known for source_id in alert.sources)
    assert "cook-1985" in alert.sources
    assert alert.advice_id == ADVICE_ID and ADVICE_ID in advice_cards()


def test_a_retired_shoe_gets_no_alert():
    assert shoe_alert(ShoeState("Old", bought=date(2024, 1, 1), retired=date(2025, 1, 1)), 900) is None


# --- validation -----------------------------------------------------------------------------


def _fields(raw: dict, today: date | None = TODAY) -> list[str]:
    with pytest.raises(InvalidShoe) as caught:
        validate_shoe(raw, today)
    assert str(caught.value) == "; ".join(str(p) for p in caught.value.problems)
    return [problem.field for problem in caught.value.problems]


def test_a_valid_shoe_and_defaults():
    shoe = validate_shoe(
        {"name": " Pegasus 40 ", "start_km": 120, "replacement_km": 650, "bought": "2024-11-02"}, TODAY
    )
    assert shoe == ShoeState("Pegasus 40", 120.0, 650.0, date(2024, 11, 2), None)
    assert validate_shoe({"name": "x"}) == ShoeState("x", 0.0, DEFAULT_REPLACEMENT_KM)
    same_day = validate_shoe({"name": "x", "bought": date(2025, 1, 1), "retired": date(2025, 1, 1)}, TODAY)
    assert same_day.retired == same_day.bought


def test_retired_before_bought_is_refused():
    assert _fields({"name": "x", "bought": "2025-02-01", "retired": "2025-01-31"}) == ["retired"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"start_km": -1}, "start_km"),
        ({"start_km": "twelve"}, "start_km"),
        ({"start_km": float("inf")}, "start_km"),
        ({"replacement_km": 0}, "replacement_km"),
        ({"replacement_km": -700}, "replacement_km"),
        ({"replacement_km": True}, "replacement_km"),
        ({"bought": "2025-04-01"}, "bought"),  # the future
        ({"retired": "2025-04-01"}, "retired"),
        ({"bought": "last spring"}, "bought"),
        ({"bought": datetime(2025, 1, 1, 9, 0)}, "bought"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_each_problem_names_its_field(change, field):
    assert _fields({"name": "Pegasus", **change}) == [field]


def test_every_problem_is_listed():
    raw = {"name": "", "start_km": -5, "replacement_km": 0, "bought": "2025-03-01", "retired": "2025-02-01"}
    assert _fields(raw) == ["name", "start_km", "replacement_km", "retired"]


def test_the_future_is_only_checked_with_a_today():
    assert validate_shoe({"name": "x", "bought": "2030-01-01"}, None).bought == date(2030, 1, 1)


def test_runs_are_validated():
    assert validate_runs([("2025-03-01", 5000), (date(2025, 3, 2), 0.0)]) == [
        (date(2025, 3, 1), 5000.0),
        (date(2025, 3, 2), 0.0),
    ]
    with pytest.raises(InvalidShoe) as caught:
        validate_runs([(date(2025, 3, 1), -1.0), ("soon", 100.0), (date(2025, 3, 2), float("nan"))])
    assert [p.field for p in caught.value.problems] == ["runs[0]", "runs[1]", "runs[2]"]


# --- properties -----------------------------------------------------------------------------

runs_strategy = st.lists(
    st.tuples(st.dates(date(2020, 1, 1), date(2025, 12, 31)), st.floats(0, 100_000, allow_nan=False)),
    max_size=30,
)
shoes = st.builds(
    ShoeState,
    name=st.just("Shoe"),
    start_km=st.floats(0, 2000, allow_nan=False),
    replacement_km=st.floats(1, 2000, allow_nan=False),
)


@PROPERTY
@given(shoes, runs_strategy, runs_strategy)
def test_mileage_never_decreases_as_runs_are_added(shoe, runs, more):
    assert shoe_mileage(shoe, runs + more) >= shoe_mileage(shoe, runs)
    assert shoe_mileage(shoe, runs) >= shoe.start_km


@PROPERTY
@given(shoes, runs_strategy)
def test_km_at_each_run_is_ordered_cumulative_and_ends_at_the_mileage(shoe, runs):
    rows = km_at_each_run(shoe, runs)
    assert sorted(index for index, _ in rows) == list(range(len(runs)))
    days = [runs[index][0] for index, _ in rows]
    assert days == sorted(days)
    kms = [km for _, km in rows]
    assert kms == sorted(kms)
    if rows:
        assert kms[0] == shoe.start_km
        last_index, last_km = rows[-1]
        assert last_km + runs[last_index][1] / 1000 == pytest.approx(shoe_mileage(shoe, runs))


LEVEL = {None: 0, "nearing": 1, "passed": 2}


@PROPERTY
@given(shoes, st.floats(0, 5000, allow_nan=False), st.floats(0, 5000, allow_nan=False))
def test_the_alert_level_never_drops_as_km_grow(shoe, km, extra):
    low, high = shoe_alert(shoe, km), shoe_alert(shoe, km + extra)
    assert LEVEL[high.level if high else None] >= LEVEL[low.level if low else None]
