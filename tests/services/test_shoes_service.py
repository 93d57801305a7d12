"""Shoes: mileage from linked foot activities, the replacement alert, default, retire, assign."""

from __future__ import annotations

from datetime import date

import pytest
from tests.factories import make_run

from backstride.services.errors import BadShoe, NotFound
from backstride.services.shoes import (
    add_shoe,
    assign_run,
    list_shoes,
    retire_shoe,
    set_default,
    shoe_row,
    update_shoe,
)
from backstride.services.users import local_user
from backstride.storage.models import Activity, Shoe

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 21)


def run(shoe: Shoe | None, km: float, sport: str = "running") -> Activity:
    return make_run(km, shoe, sport)


def by_name() -> dict[str, dict]:
    return {row["name"]: row for row in map(shoe_row, list_shoes(local_user(), TODAY))}


def test_km_is_start_km_plus_linked_foot_runs_and_a_bike_ride_does_not_count():
    shoe = add_shoe(local_user(), {"name": "Pegasus", "brand": "Nike", "start_km": "100"}, TODAY)
    run(shoe, 10)
    run(shoe, 5.5, sport="walking")
    run(shoe, 60, sport="cycling")  # linked by mistake
    run(None, 8)
    row = by_name()["Pegasus"]
    assert row["km"] == 115.5 and row["runs"] == 2 and row["brand"] == "Nike"
    assert row["replacement_km"] == 700 and row["alert"] is None and not row["new_shoe"]


def test_a_shoe_without_runs_is_new_and_shows_its_start_km():
    add_shoe(local_user(), {"name": "Fresh", "start_km": 12}, TODAY)
    row = by_name()["Fresh"]
    assert (row["km"], row["runs"], row["new_shoe"], row["percent"]) == (12, 0, True, 1)


LEVELS = [(629, None), (630, "nearing"), (699.9, "nearing"), (700, "passed")]


@pytest.mark.parametrize(("km", "level"), LEVELS)
def test_alert_nears_at_90_percent_and_passes_at_100(km, level):
    shoe = add_shoe(local_user(), {"name": "Old", "replacement_km": "700"}, TODAY)
    run(shoe, km)
    alert = by_name()["Old"]["alert"]
    assert (alert and alert["level"]) == level
    if alert:
        assert alert["advice_id"] == "shoe-mileage" and "cook-1985" in alert["sources"]


def test_a_retired_shoe_gets_no_alert_and_is_listed_last():
    shoe = add_shoe(local_user(), {"name": "A old", "replacement_km": 100}, TODAY)
    add_shoe(local_user(), {"name": "B new"}, TODAY)
    run(shoe, 150)
    retire_shoe(local_user(), "A old", "2026-11-20", today=TODAY)
    rows = [row["name"] for row in map(shoe_row, list_shoes(local_user(), TODAY))]
    assert rows == ["B new", "A old"] and by_name()["A old"]["alert"] is None


def test_every_problem_is_listed_and_nothing_is_saved():
    with pytest.raises(BadShoe) as caught:
        add_shoe(
            local_user(),
            {"name": " ", "start_km": "-3", "replacement_km": "lots", "bought": "2027-01-01"},
            TODAY,
        )
    fields = {field for field, _ in caught.value.problems}
    assert fields == {"name", "start_km", "replacement_km", "bought"}
    assert Shoe.objects.count() == 0


def test_duplicate_name_is_refused_whatever_the_case():
    add_shoe(local_user(), {"name": "Pegasus"}, TODAY)
    with pytest.raises(BadShoe, match="problem") as caught:
        add_shoe(local_user(), {"name": "pegasus "}, TODAY)
    assert caught.value.problems == [("name", "you already have a shoe named 'pegasus'")]
    add_shoe(local_user(), {"name": "Other"}, TODAY)
    with pytest.raises(BadShoe):
        update_shoe(local_user(), "Other", {"name": "PEGASUS"}, TODAY)
    assert sorted(Shoe.objects.values_list("name", flat=True)) == ["Other", "Pegasus"]


def test_retire_before_bought_is_refused_and_nothing_is_saved():
    add_shoe(local_user(), {"name": "Pegasus", "bought": "2026-06-01"}, TODAY)
    with pytest.raises(BadShoe) as caught:
        retire_shoe(local_user(), "Pegasus", "2026-05-01", today=TODAY)
    assert [field for field, _ in caught.value.problems] == ["retired"]
    with pytest.raises(BadShoe):
        retire_shoe(local_user(), "Pegasus", "2026-12-01", today=TODAY)  # in the future
    assert Shoe.objects.get().retired is None


def test_exactly_one_default_and_retiring_it_clears_it():
    add_shoe(local_user(), {"name": "A", "default": True}, TODAY)
    add_shoe(local_user(), {"name": "B", "default": "on"}, TODAY)
    set_default(local_user(), "A")
    set_default(local_user(), "A")
    assert list(Shoe.objects.filter(is_default=True).values_list("name", flat=True)) == ["A"]
    retire_shoe(local_user(), "A", TODAY, today=TODAY)
    assert not Shoe.objects.filter(is_default=True).exists()
    with pytest.raises(BadShoe, match="problem"):
        set_default(local_user(), "A")  # retired
    with pytest.raises(NotFound):
        set_default(local_user(), "Nope")


def test_edit_renames_and_changes_the_replacement_distance_keeping_the_rest():
    add_shoe(local_user(), {"name": "Pegasus", "start_km": 40, "bought": "2026-01-02"}, TODAY)
    update_shoe(local_user(), "Pegasus", {"name": "Peg 40", "replacement_km": "500", "bought": ""}, TODAY)
    shoe = Shoe.objects.get()
    assert (shoe.name, shoe.replacement_km, shoe.start_km) == ("Peg 40", 500, 40)
    assert shoe.bought == date(2026, 1, 2)  # a blank keeps the value
    with pytest.raises(BadShoe):
        update_shoe(local_user(), "Peg 40", {"replacement_km": "0", "start_km": "x"}, TODAY)
    assert Shoe.objects.get().replacement_km == 500
    with pytest.raises(NotFound):
        update_shoe(local_user(), "Pegasus", {"replacement_km": 600}, TODAY)


def test_assign_and_unassign_a_run():
    shoe = add_shoe(local_user(), {"name": "Pegasus"}, TODAY)
    activity = run(None, 10)
    assert assign_run(local_user(), activity.id, "Pegasus").shoe == shoe
    assert by_name()["Pegasus"]["km"] == 10
    assert assign_run(local_user(), activity.id, None).shoe is None
    assert by_name()["Pegasus"]["km"] == 0
    ride = run(None, 40, sport="cycling")
    with pytest.raises(BadShoe):
        assign_run(local_user(), ride.id, "Pegasus")
    with pytest.raises(NotFound):
        assign_run(local_user(), activity.id, "Nope")
    with pytest.raises(NotFound):
        assign_run(local_user(), 999_999, "Pegasus")
    assert Activity.objects.filter(shoe__isnull=False).count() == 0


def test_mileage_of_many_shoes_is_one_query(django_assert_max_num_queries):
    user = local_user()
    for index in range(6):
        shoe = Shoe.objects.create(owner=user, name=f"Shoe {index}")
        run(shoe, 10 + index)
        run(shoe, 1)
    with django_assert_max_num_queries(1):
        summaries = list_shoes(user, TODAY)
    assert [summary.km for summary in summaries] == [11 + index for index in range(6)]
