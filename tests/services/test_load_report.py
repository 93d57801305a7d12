"""The load report's JSON (`backstride load --format json`, the dashboard's load figures) is a public
contract: its keys, their order and a few exact values on a fixed input are pinned here, so moving the
shaping and the wording out of the core cannot change a byte of it."""

from __future__ import annotations

import json
from datetime import date, timedelta

from backstride.core.load import Session
from backstride.services.load_json import load_report

MON = date(2025, 3, 3)  # a Monday

DAY_KEYS = [
    "day",
    "distance_m",
    "duration_s",
    "srpe_au",
    "sessions",
    "unrated_sessions",
    "elevation_gain_m",
    "elevation_distance_m",
    "uphill_s",
    "uphill_measured_s",
]
WEEK_KEYS = [
    "week_start",
    "distance_m",
    "duration_s",
    "srpe_au",
    "sessions",
    "unrated_sessions",
    "days_in_range",
    "complete",
    "monotony",
    "monotony_reason",
    "strain",
    "elevation_gain_m",
    "elevation_per_km",
    "uphill_share",
]
SPIKE_KEYS = [
    "run_day",
    "distance_m",
    "longest_previous_m",
    "longest_previous_day",
    "ratio",
    "band",
    "reason",
    "flagged",
]
PROGRESSION_KEYS = ["today", "recent_m", "previous_m", "ratio", "percent", "flagged", "category", "reason"]
ACWR_KEYS = [
    "metric",
    "today",
    "rolling_uncoupled",
    "rolling_coupled",
    "ewma",
    "acute_7d",
    "chronic_28d",
    "coverage_days",
    "reason",
    "note",
]
ACWR_NOTE = (
    "A descriptive 'how unusual is this week for you' number, not an injury-risk score: ACWR is a "
    "rescaling of the last week's load (Impellizzeri et al. 2021), and in 5,205 runners a higher ACWR "
    "was not linked to more injuries (Frandsen et al. 2025)."
)
UNRATED = "1 of 3 sessions this week have no RPE (or no duration); monotony needs every session's load"


def day_n(n: int) -> date:
    return MON + timedelta(days=n)


def run(day: date, km: float, minutes: float, rpe: float | None = None, **kw: float) -> Session:
    return Session(day=day, sport="running", distance_m=km * 1000, duration_s=minutes * 60, rpe=rpe, **kw)


def fixed_report() -> dict:
    sessions = [run(day_n(i), 5 + (i % 3), 30, rpe=4, elevation_gain_m=40.0) for i in range(0, 60, 2)]
    sessions.append(run(day_n(60), 15, 80, uphill_share=0.25))
    return load_report(sessions, day_n(56), day_n(62), today=day_n(60))


def test_the_report_keys_and_their_order_are_pinned():
    report = fixed_report()
    assert list(report) == [
        "today",
        "range",
        "sports",
        "daily",
        "weekly",
        "spike",
        "progression",
        "acwr",
        "sources",
    ]
    assert report["range"] == {"start": "2025-04-28", "end": "2025-05-04"}
    assert report["sports"] == ["running"]
    for row in report["daily"]:
        assert list(row) == DAY_KEYS + (["reasons"] if row["elevation_gain_m"] is None else [])
    (week,) = report["weekly"]
    assert list(week) == [*WEEK_KEYS, "reasons"]
    assert list(report["spike"]) == SPIKE_KEYS
    assert list(report["progression"]) == PROGRESSION_KEYS
    assert list(report["acwr"]) == ACWR_KEYS
    assert [list(source) for source in report["sources"]] == [["id", "citation", "used_for"]] * 7
    assert [source["id"] for source in report["sources"]] == [
        "foster2001",
        "nielsen2014",
        "frandsen2025",
        "gabbett2016",
        "windt2019",
        "williams2017",
        "impellizzeri2021",
    ]


def test_exact_values_on_a_fixed_input():
    report = fixed_report()
    rest, run_day = report["daily"][3], report["daily"][4]
    assert rest["reasons"] == {"elevation_gain_m": "rest day"}
    assert run_day["distance_m"] == 15000.0 and run_day["sessions"] == 1 and run_day["uphill_s"] == 1200.0
    assert run_day["reasons"] == {"elevation_gain_m": "no session this day reports elevation gain"}
    (week,) = report["weekly"]
    assert week["distance_m"] == 28000.0 and week["srpe_au"] == 240.0 and week["elevation_per_km"] == 6.1538
    assert week["monotony"] is None and week["monotony_reason"] == UNRATED
    assert week["reasons"] == {"monotony": UNRATED, "strain": UNRATED}
    assert report["spike"] == {
        "run_day": "2025-05-02",
        "distance_m": 15000.0,
        "longest_previous_m": 7000.0,
        "longest_previous_day": "2025-04-04",
        "ratio": 2.143,
        "band": "large",
        "reason": "15.0 km is 214.3 % of your longest run in the previous 30 days (7.0 km on "
        "2025-04-04): a large spike (over 200 %) (Frandsen 2025: runs over 110 % of the longest "
        "recent run came with more overuse injuries)",
        "flagged": True,
    }
    assert report["progression"] == {
        "today": "2025-05-02",
        "recent_m": 33000.0,
        "previous_m": 18000.0,
        "ratio": 1.833,
        "percent": 83.3,
        "flagged": True,
        "category": "over_30_percent",
        "reason": "33.0 km in the last 7 days vs 18.0 km in the 7 days before: +83.3 %, more than 30 % "
        "up. Novice runners progressing > 30 % over 2 weeks had more distance-related injuries "
        "(Nielsen 2014; borderline, HR 1.59, 95 % CI 0.96-2.66): consider a smaller step.",
    }
    assert report["acwr"] == {
        "metric": "distance_m",
        "today": "2025-05-02",
        "rolling_uncoupled": 1.65,
        "rolling_coupled": 1.4194,
        "ewma": 1.5157,
        "acute_7d": 33000.0,
        "chronic_28d": 93000.0,
        "coverage_days": 61,
        "reason": None,
        "note": ACWR_NOTE,
    }


def test_an_empty_history_explains_itself_in_the_same_words():
    report = load_report([], MON, day_n(6), today=day_n(6), sports=None)
    assert list(report)[-1] == "reasons"
    assert report["reasons"] == {
        "spike": "no run with a distance on or before today",
        "sports": "every sport counted",
    }
    assert report["sports"] is None and report["spike"] is None
    assert report["progression"]["reason"] == "no running recorded in the last 14 days"
    assert report["acwr"]["reason"] == "not enough data: no session recorded"
    (week,) = report["weekly"]
    assert week["reasons"] == {
        "monotony": "no sessions this week",
        "strain": "no sessions this week",
        "elevation_gain_m": "no session this week reports elevation gain",
        "elevation_per_km": "no distance from sessions that report elevation gain",
        "uphill_share": "no session this week reports an uphill share with a moving time",
    }
    json.dumps(report)
