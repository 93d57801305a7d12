"""The run form in miles: the distance is typed, shown and refused in the runner's unit (settings),
and stored in metres as always."""

from __future__ import annotations

import pytest

from backstride.core.pace import km_said_in, typed_distance_in_km
from backstride.services.users import local_user, set_units
from backstride.storage.models import Activity

pytestmark = pytest.mark.django_db


def test_typed_miles_become_kilometres_and_words_stay_as_typed():
    assert typed_distance_in_km("5", "mile") == "8.0467"
    assert typed_distance_in_km("3,1", "mile") == "4.9890"
    assert typed_distance_in_km("five", "mile") == "five" and typed_distance_in_km("nan", "mile") == "nan"
    assert typed_distance_in_km("5", "km") == "5"
    assert km_said_in("at most 400 km", "mile") == "at most 248 miles"  # never more than 400 km
    assert km_said_in("at most 400 km", "km") == "at most 400 km"


def test_a_run_in_miles_is_saved_in_metres_shown_in_miles_and_refused_in_miles(client):
    set_units(local_user(), "mile")
    form = client.get("/activities/new-run/").content.decode()
    assert "Distance (miles)" in form and "Distance (km)" not in form
    response = client.post(
        "/activities/new-run/", {"day": "2026-12-01", "distance_km": "5", "duration_min": "45"}
    )
    assert response.status_code == 302
    run = Activity.objects.get()
    assert run.distance_m == pytest.approx(8046.7, abs=0.1)
    toast = client.get(response["Location"]).content.decode()
    assert "Saved: the run of 1 December, 5.0 miles." in toast
    edit = client.get(f"/activities/{run.id}/edit/").content.decode()
    assert 'value="5"' in edit
    refused = client.post(
        "/activities/new-run/", {"day": "2026-12-01", "distance_km": "300", "duration_min": "45"}
    )
    page = refused.content.decode()
    assert refused.status_code == 400 and "Distance (miles)" in page and "248 miles" in page
    assert 'value="300"' in page  # what was typed, in miles
    assert Activity.objects.count() == 1
