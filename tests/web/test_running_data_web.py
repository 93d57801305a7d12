"""Running data as runners read it (issue 13 item 5): names, local times, pace and distance in the
runner's unit, the route trace, the unit setting on the page and on the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from tests.conftest import SHARED

from backstride.cli import main
from backstride.services.imports import import_paths
from backstride.services.users import local_user, profile_for, set_units
from backstride.storage.models import Activity

pytestmark = pytest.mark.django_db

RUN_WITH_GPS = SHARED / "data" / "activities" / "fit" / "fitparse__garmin-fenix-5-run.fit"


def _run(**fields) -> Activity:
    values = {
        "owner": local_user(),
        "start_time": datetime(2026, 3, 2, 6, 30, tzinfo=UTC),
        "sport": "running",
        "source_format": "fit",
        "distance_m": 10_000.0,
        "moving_time_s": 3030.0,
        **fields,
    }
    return Activity.objects.create(**values)


def test_a_run_logged_by_hand_shows_its_day_not_noon_utc(client):
    response = client.post(
        "/activities/new-run/", {"day": "2026-03-02", "distance_km": "5", "duration_min": "30"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "UTC" not in page and "12:00" not in page
    assert "<h1>Run</h1>" in page and "Mon 2 Mar 2026" in page and "entered by hand" in page
    assert "6:00 /km" in page and "5.00 km" in page


def test_an_imported_run_shows_the_local_time_it_was_run_and_a_name_from_its_hour(client, monkeypatch):
    monkeypatch.setenv("BACKSTRIDE_TZ", "America/New_York")
    no_offset = _run()  # 06:30 UTC is 01:30 in New York: a night run there
    with_offset = _run(utc_offset_s=2 * 3600, start_time=datetime(2026, 3, 3, 16, 0, tzinfo=UTC))
    named = _run(name="Parkrun", start_time=datetime(2026, 3, 4, 9, 0, tzinfo=UTC))
    first = client.get(f"/activities/{no_offset.id}/").content.decode()
    assert "<h1>Night run</h1>" in first and "Mon 2 Mar 2026, 01:30" in first
    second = client.get(f"/activities/{with_offset.id}/").content.decode()
    assert "<h1>Evening run</h1>" in second and "Tue 3 Mar 2026, 18:00" in second  # the file's own offset
    assert "<h1>Parkrun</h1>" in client.get(f"/activities/{named.id}/").content.decode()
    listing = client.get("/activities/").content.decode()
    assert "Night run" in listing and "Evening run" in listing and "Parkrun" in listing
    assert Activity.objects.get(id=no_offset.id).name == ""  # the stored name is unchanged


def test_pace_and_distance_follow_the_unit_setting(client):
    run = _run(stream={"time_s": [0, 60, 120], "speed_mps": [3.3, 3.2, 3.4]})
    page = client.get(f"/activities/{run.id}/").content.decode()
    assert "10.00 km" in page and "5:03 /km" in page and "Pace (min/km)" in page
    response = client.post("/settings/", {"country": "", "units": "mile"})
    assert response.status_code == 200 and profile_for(local_user()).units == "mile"
    page = client.get(f"/activities/{run.id}/").content.decode()
    assert "6.21 mi" in page and "8:08 /mi" in page and "Pace (min/mi)" in page
    listing = client.get("/activities/").content.decode()
    assert "6.21 mi" in listing and "8:08 /mi" in listing


def test_an_unknown_unit_is_refused_and_the_setting_kept(client):
    response = client.post("/settings/", {"country": "", "units": "furlong"})
    assert response.status_code == 400
    assert "Distances and pace: choose kilometres or miles" in response.content.decode()
    assert profile_for(local_user()).units == "km"


def test_a_run_with_gps_shows_its_route_as_a_trace_with_legend_and_words(client):
    activity_id = import_paths(local_user(), [RUN_WITH_GPS], workers=1)["activities"][0]["id"]
    page = client.get(f"/activities/{activity_id}/").content.decode()
    route = page[page.index('id="route"') : page.index("</figure>", page.index('id="route"'))]
    assert "<svg" in route and "<polyline" in route and 'viewBox="0 0 ' in route
    assert "slowest:" in route and "fastest:" in route and "/km" in route
    assert "The route covers an area" in route and "east to west" in route
    assert "http" not in route.replace("http://www.w3.org/2000/svg", "")  # nothing from the network


def test_a_run_without_gps_has_no_route(client):
    run = _run(stream={"time_s": [0, 60], "speed_mps": [3.0, 3.1]})
    assert 'id="route"' not in client.get(f"/activities/{run.id}/").content.decode()


def test_json_keeps_metres_and_seconds_and_adds_pace_name_and_local_start():
    _run(utc_offset_s=3600)
    set_units(local_user(), "mile")
    result = CliRunner().invoke(main, ["activities", "--format", "json"])
    row = json.loads(result.stdout)["activities"][0]
    assert row["distance_m"] == 10_000.0 and row["moving_time_s"] == 3030.0
    assert row["pace_s_per_km"] == 303.0 and row["display_name"] == "Morning run"
    assert row["local_start"] == "2026-03-02T07:30:00+01:00"
    text = CliRunner().invoke(main, ["activities"]).stdout
    assert "6.21 mi" in text and "8:08 /mi" in text and "Morning run" in text


def test_the_settings_command_sets_the_unit():
    result = CliRunner().invoke(main, ["settings", "--units", "mile", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["units"] == "mile"
    assert CliRunner().invoke(main, ["settings", "--units", "furlong"]).exit_code == 2
    assert profile_for(local_user()).units == "mile"
