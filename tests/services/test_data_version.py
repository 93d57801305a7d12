"""The data version that remembered results are keyed on: every kind of write moves it, and a result
remembered before a write is never served after it (the write may come from another process)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tests.factories import make_run

from backstride.services.dashboard import dashboard
from backstride.services.data_version import Version, data_version, forget_all, remembered
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, Shoe

pytestmark = pytest.mark.django_db

TABLES = (Activity, DiaryEntry, Shoe)


def version() -> object:
    return data_version(local_user(), *TABLES)


def test_each_kind_of_write_moves_the_version():
    shoe = Shoe.objects.create(owner=local_user(), name="Daily")
    run = make_run(5, shoe)
    seen = [version()]

    def changed() -> bool:
        now = version()
        fresh = now not in seen
        seen.append(now)
        return fresh

    run.rpe = 4
    run.save()  # an edit through save(): auto_now
    assert changed()
    Activity.objects.filter(id=run.id).update(rpe=6)  # a bulk update: auto_now does not run there
    assert changed()
    Shoe.objects.filter(id=shoe.id).update(replacement_km=600)
    assert changed()
    DiaryEntry.objects.create(owner=local_user(), day=date(2026, 11, 2), pain_now=3)
    assert changed()
    DiaryEntry.objects.filter(owner=local_user()).update(pain_now=4)
    assert changed()
    Activity.objects.bulk_create(
        [Activity(owner=local_user(), start_time=datetime(2026, 11, 3, tzinfo=UTC), sport="running",
                  source_format="manual")]
    )  # fmt: skip
    assert changed()
    run.delete()
    assert changed()
    shoe.delete()  # its runs lose the link by SET NULL, which bypasses update(): the shoes' count moves
    assert changed()


def test_delete_then_insert_is_still_a_new_version():
    first, second = make_run(5), make_run(6)
    before = version()
    first.delete()
    make_run(5)  # the same count again, but never the same id
    assert version() != before
    assert second.id is not None


def test_other_runners_writes_leave_the_version_alone():
    from django.contrib.auth.models import User

    make_run(5)
    before = version()
    other = User.objects.create(username="someone-else")
    Activity.objects.create(owner=other, start_time=datetime(2026, 11, 1, tzinfo=UTC), sport="running",
                            source_format="manual")  # fmt: skip
    assert version() == before


def test_a_remembered_result_is_read_again_after_any_write():
    calls: list[date] = []

    @remembered()
    def total_km_at(user: object, day: date, version: Version) -> float:
        calls.append(day)
        return sum(a.distance_m or 0 for a in Activity.objects.filter(owner=user)) / 1000

    def total_km(day: date) -> float:  # as the dashboard calls them: with the version just read
        return total_km_at(local_user(), day, data_version(local_user(), Activity))

    run = make_run(5)
    day = date(2026, 12, 1)
    assert total_km(day) == 5
    assert total_km(day) == 5
    assert calls == [day]  # the second call was remembered
    Activity.objects.filter(id=run.id).update(distance_m=7000)
    assert total_km(day) == 7
    assert total_km(day + timedelta(days=1)) == 7  # another day: its own result
    assert len(calls) == 3
    forget_all()
    assert total_km(day) == 7 and len(calls) == 4  # forgotten: computed again


def test_the_dashboard_follows_a_bulk_update_of_a_run():
    shoe = Shoe.objects.create(owner=local_user(), name="Daily trainer", start_km=0, replacement_km=700)
    today = date(2026, 11, 3)
    run = make_run(10, shoe)
    assert [row["km"] for row in dashboard(local_user(), today)["shoes"]] == [10.0]
    Activity.objects.filter(id=run.id).update(distance_m=12_000)
    assert [row["km"] for row in dashboard(local_user(), today)["shoes"]] == [12.0]
    Shoe.objects.filter(id=shoe.id).update(name="Old trainer")
    assert [row["name"] for row in dashboard(local_user(), today)["shoes"]] == ["Old trainer"]


def test_the_remembered_figures_are_not_changed_by_a_caller():
    make_run(10)
    today = date(2026, 11, 3)
    page = dashboard(local_user(), today)
    page["weeks"].clear()
    assert dashboard(local_user(), today)["weeks"]
