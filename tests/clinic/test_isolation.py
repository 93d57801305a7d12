"""Two runners on one clinic server: each sees only their own records, through owner_of."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User

from backstride.storage.models import Activity, Shoe

from .conftest import account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]


def _shoe_and_run(owner: User, shoe_name: str) -> Activity:
    shoe = Shoe.objects.create(owner=owner, name=shoe_name)
    return Activity.objects.create(
        owner=owner,
        start_time=datetime(2026, 11, 1, 7, tzinfo=UTC),
        sport="running",
        distance_m=5000,
        moving_time_s=1800,
        source_format="manual",
        shoe=shoe,
    )


def test_each_runner_sees_only_their_own_dashboard_shoes_and_runs(clinic):
    anna_run = _shoe_and_run(account("anna"), "Anna's Pegasus")
    ben_run = _shoe_and_run(account("ben"), "Ben's Clifton")
    anna, ben = signed_in("anna"), signed_in("ben")
    for client, mine, theirs in ((anna, "Anna", "Ben"), (ben, "Ben", "Anna")):
        for page in ["/today/", "/shoes/"]:
            html = client.get(page).content.decode()
            assert f"{mine}&#x27;s" in html, page
            assert f"{theirs}&#x27;s" not in html, page
    assert anna.get(f"/activities/{anna_run.id}/").status_code == 200
    assert anna.get(f"/activities/{ben_run.id}/").status_code == 404
    assert ben.get(f"/activities/{anna_run.id}/").status_code == 404
    assert ben.post(f"/activities/{anna_run.id}/delete/").status_code == 404
    assert Activity.objects.filter(id=anna_run.id).exists()


def test_the_local_user_is_still_the_owner_in_local_mode():
    from django.test import Client

    from backstride.services.users import local_user

    _shoe_and_run(local_user(), "Local Ghost")
    assert "Local Ghost" in Client().get("/today/").content.decode()


def test_an_export_never_carries_the_clinic_role_so_a_restore_cannot_set_it():
    from backstride.services.data_kinds import KINDS

    settings_kind = next(kind for kind in KINDS if kind.name == "settings")
    assert "role" not in settings_kind.columns()
    assert {"country", "units"} <= set(settings_kind.columns())
