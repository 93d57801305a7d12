"""The shoes page: km and a progress bar, the alert with its sources, and the add/retire/default/edit
forms; a bad form comes back with every problem (400) and nothing saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.factories import make_run

from backstride.config import local_today
from backstride.services.users import local_user
from backstride.storage.models import Activity, Shoe

pytestmark = pytest.mark.django_db

URL = "/shoes/"  # the lead adds path("shoes/", shoes.shoes_page, name="shoes") to web/urls.py


def shoe(name: str = "Pegasus", **fields) -> Shoe:
    return Shoe.objects.create(owner=local_user(), name=name, **fields)


def run(km: float, on: Shoe, sport: str = "running") -> Activity:
    return make_run(km, on, sport)


def test_empty_page_offers_the_add_form(client):
    page = client.get(URL).content.decode()
    assert "No shoes yet" in page and 'name="action" value="add"' in page


def test_add_a_shoe_then_see_its_km_and_progress(client):
    response = client.post(
        URL, {"action": "add", "name": "Pegasus", "brand": "Nike", "start_km": "50", "default": "on"}
    )
    assert response.status_code == 302 and response["Location"] == URL
    added = Shoe.objects.get()
    assert (added.brand, added.start_km, added.replacement_km, added.is_default) == ("Nike", 50, 700, True)
    run(20, added)
    run(100, added, sport="cycling")  # does not count
    page = client.get(URL).content.decode()
    assert "70 km" in page and 'aria-valuenow="10"' in page and "default" in page


def test_nearing_and_passed_alerts_link_to_the_sources(client):
    run(640, shoe("Nearly"))
    run(720, shoe("Worn"))
    page = client.get(URL).content.decode()
    assert "nearing the 700 km" in page and "past the 700 km" in page
    assert 'href="#about-shoes"' in page and "/sources/#cook-1985" in page
    assert 'aria-valuenow="100"' in page  # the bar stops at full


def test_bad_add_form_lists_every_problem_with_status_400_and_saves_nothing(client):
    form = {"action": "add", "name": "", "start_km": "-2", "replacement_km": "abc", "bought": "2999-01-01"}
    response = client.post(URL, form)
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("name", "start_km", "replacement_km", "bought"):  # each problem beside its field
        assert f'aria-describedby="{field}-error"' in page
        assert f'class="field-error" id="{field}-error"' in page
    assert "Name is needed" in page and "Bought on: 2999-01-01 is in the future" in page
    assert 'value="abc"' in page  # the form keeps what was typed
    assert Shoe.objects.count() == 0


def test_duplicate_name_is_refused_on_the_form(client):
    shoe("Pegasus")
    response = client.post(URL, {"action": "add", "name": "Pegasus"})
    assert response.status_code == 400 and "already have a shoe" in response.content.decode()
    assert Shoe.objects.count() == 1


def test_retire_set_default_and_edit_the_replacement_distance(client):
    first, second = shoe("A", is_default=True), shoe("B", bought=date(2026, 3, 1))
    assert client.post(URL, {"action": "default", "shoe": "B"}).status_code == 302
    assert list(Shoe.objects.filter(is_default=True)) == [second]
    assert client.post(URL, {"action": "edit", "shoe": "A", "replacement_km": "550"}).status_code == 302
    first.refresh_from_db()
    assert first.replacement_km == 550
    assert client.post(URL, {"action": "retire", "shoe": "B"}).status_code == 302
    second.refresh_from_db()
    assert second.retired == local_today() and not second.is_default


def test_bad_retire_and_edit_are_refused_with_nothing_saved(client):
    shoe("B", bought=date(2026, 3, 1))
    response = client.post(URL, {"action": "retire", "shoe": "B", "retired": "2026-01-01"})
    assert response.status_code == 400 and "before the purchase date" in response.content.decode()
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    assert client.post(URL, {"action": "retire", "shoe": "B", "retired": tomorrow}).status_code == 400
    assert client.post(URL, {"action": "edit", "shoe": "B", "replacement_km": "0"}).status_code == 400
    assert client.post(URL, {"action": "edit", "shoe": "B", "replacement_km": ""}).status_code == 400
    assert client.post(URL, {"action": "frobnicate"}).status_code == 400
    assert client.post(URL, {"action": "default", "shoe": "Nope"}).status_code == 404
    saved = Shoe.objects.get()
    assert (saved.retired, saved.replacement_km) == (None, 700)
