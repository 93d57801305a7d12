"""Pace and distance as runners read them, and the name a run without one gets (core.pace)."""

from __future__ import annotations

import pytest

from backstride.core.pace import activity_name, clock_text, distance_text, pace_s_per_km, pace_text


def test_pace_is_minutes_and_seconds_per_km_or_per_mile():
    assert pace_text(303) == "5:03 /km"
    assert pace_text(303, "mile") == "8:08 /mi"  # 303 s x 1.609344 = 487.6 s
    assert pace_text(359.6) == "6:00 /km"  # rounded to the second, never "5:60"
    assert pace_text(None) == "–"


def test_average_pace_over_the_moving_time():
    assert pace_s_per_km(10_000, 3000) == 300
    assert pace_s_per_km(None, 3000) is None and pace_s_per_km(5000, 0) is None
    assert pace_s_per_km(100, 3600) is None  # 10 h per km: standing, not a pace


def test_distances_in_the_chosen_unit():
    assert distance_text(5030) == "5.03 km"
    assert distance_text(5030, "mile") == "3.13 mi"
    assert distance_text(None, "mile") == "–"


def test_clock_text_of_a_chart_value():
    assert clock_text(5.05) == "5:03" and clock_text(4.999) == "5:00"


@pytest.mark.parametrize(
    ("hour", "name"),
    [
        (4, "Night run"),
        (5, "Morning run"),
        (10, "Morning run"),
        (11, "Lunch run"),
        (13, "Lunch run"),
        (14, "Afternoon run"),
        (18, "Evening run"),
        (21, "Evening run"),
        (22, "Night run"),
        (0, "Night run"),
    ],
)
def test_a_run_without_a_name_is_named_from_its_local_start_hour(hour, name):
    assert activity_name("", "running", hour) == name


def test_the_files_name_wins_and_other_sports_have_their_own_word():
    assert activity_name("  Parkrun  ", "running", 9) == "Parkrun"
    assert activity_name(None, "cycling", 19) == "Evening ride"
    assert activity_name("", "rowing", 7) == "Morning activity"
    assert activity_name("", "running", None) == "Run"  # entered by hand: no time of day
