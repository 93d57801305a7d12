"""Dashboard and `backstride load` speed on ten years of history, against a 4-week baseline.

Fills a fresh SQLite database with ten years of one runner's life ending today (about 3,000 runs,
3,650 diary days, 6 shoes, 3 full symptom checks), then measures server-side, with Django's test
client: GET /today/ (the dashboard) and ``load_for(user, None, None, today)`` (what ``backstride
load`` runs), median and p95 over repeated calls and the SQL queries per call. The baseline is the
same measurement on a second fresh database holding only the last 4 weeks of the same runner (the
same generated history, cut). Prints the ratio of the p95s, whether the query count grew, and the
CPU time per request (this process's, so less swayed by other jobs on the machine than wall time).
The dashboard is measured twice: as on a repeat visit (its figures remembered per data version and
the chart's SVG from the cache) and as after new data (both forgotten before each call: the runs and
the diary are read and summed again and the chart rendered).
Goal (issue 17): /today/ p95 at most 50 ms remembered and 120 ms after new data, ten years at most
1.2x four weeks, the same query count; the plan, History, the latest run's page and the
latest check's result are measured the same way and held to 50 ms too.

    .venv/bin/python bench/dashboard_bench.py [--repeat N] [--profile]

Each dataset is measured in its own child process (one database per Django process); the parent
prints the comparison. Exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from peak_memory import own_peak_mb

ROOT = Path(__file__).resolve().parent.parent
GOAL_CACHED_MS = 50.0  # issue 17: p95 with the chart from the cache ...
GOAL_RENDERED_MS = 120.0  # ... and with it rendered
GOAL_RATIO = 1.2  # ten years against four weeks
YEARS_DAYS = 3650
BASELINE_DAYS = 28
SEED = 4
SHOE_NAMES = (
    "Pegasus 38",
    "Ghost 14",
    "Clifton 8",
    "Novablast 3",
    "Kinvara 13",
    "Endorphin Speed 2",
)
SHOE_KM = 700.0
WARM_UP = 2

CHECK_DAYS_AGO = (3300, 1100, 10)  # the three completed full checks
ESCALATION_DAYS_AGO = (2600, 1800)  # two old check-in escalations, cleared by a later check


# --- the runner's history (plain data; the same for both datasets) ------------------------------


def history(today: date) -> dict[str, Any]:
    """Ten years ending today: runs, diary days and shoe usage, deterministic (seeded)."""
    rng = random.Random(SEED)
    first = today - timedelta(days=YEARS_DAYS - 1)
    # Flare weeks: about one every ten weeks, 5-10 days of pain 3-6.
    flare_days: set[date] = set()
    day = first + timedelta(days=rng.randint(10, 60))
    while day <= today:
        flare_days.update(day + timedelta(days=i) for i in range(rng.randint(5, 10)))
        day += timedelta(days=rng.randint(45, 100))
    runs: list[dict[str, Any]] = []
    run_days: set[date] = set()
    km_total = 0.0
    week_start = first
    while week_start <= today:
        per_week = 6 if rng.random() < 0.75 else 5
        rest = set(rng.sample(range(7), 7 - per_week))
        for weekday in range(7):
            day = week_start + timedelta(days=weekday)
            if day > today or weekday in rest:
                continue
            long_run = weekday == 6
            km = rng.uniform(15, 25) if long_run else rng.uniform(5, 14)
            if day in flare_days:
                km *= 0.6
            pace_s = rng.uniform(270, 390)  # 4:30-6:30 min/km
            moving = km * pace_s
            summer = 4 <= day.month <= 9
            offset = 7200 if summer else 3600
            start = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
                hours=rng.uniform(5.0, 8.5) - offset / 3600
            )
            gain = km * rng.uniform(2, 25)
            runs.append(
                {
                    "day": day,
                    "start_time": start,
                    "utc_offset_s": offset,
                    "distance_m": round(km * 1000, 1),
                    "moving_time_s": round(moving, 1),
                    "elapsed_time_s": round(moving * rng.uniform(1.0, 1.08), 1),
                    "elevation_gain_m": round(gain, 1),
                    "elevation_loss_m": round(gain * rng.uniform(0.9, 1.1), 1),
                    "uphill_share": round(rng.uniform(0.2, 0.5), 3),
                    "downhill_share": round(rng.uniform(0.2, 0.5), 3),
                    "rpe": None if rng.random() < 0.15 else float(rng.randint(3, 8)),
                    "shoe": SHOE_NAMES[int(km_total // SHOE_KM) % len(SHOE_NAMES)],
                    "long": long_run,
                }
            )
            run_days.add(day)
            km_total += km
        week_start += timedelta(days=7)
    escalation_days = {today - timedelta(days=ago) for ago in ESCALATION_DAYS_AGO}
    diary: list[dict[str, Any]] = []
    for i in range(YEARS_DAYS):
        day = first + timedelta(days=i)
        flare = day in flare_days
        pain = rng.randint(3, 6) if flare else rng.choice((0, 0, 1, 1, 1, 2, 2, 3))
        locations = sorted(rng.sample(("central", "left", "buttock"), rng.randint(1, 2))) if pain else []
        if flare and pain >= 5 and rng.random() < 0.4:
            locations.append("thigh")
        ran = day in run_days
        rated = ran and rng.random() < 0.6
        diary.append(
            {
                "day": day,
                "pain_now": pain,
                "locations": locations,
                "stiffness": rng.randint(0, 5) if rng.random() < 0.7 else None,
                "sitting_hours": round(rng.uniform(2, 9), 1) if rng.random() < 0.5 else None,
                "sleep_hours": round(rng.uniform(5.5, 9), 1) if rng.random() < 0.7 else None,
                "note": "flare: stiff getting out of bed" if flare and rng.random() < 0.2 else "",
                "ran": ran,
                "pain_before_run": max(0, pain + rng.randint(-1, 0)) if rated else None,
                "pain_during_run": pain + rng.randint(0, 2) if rated else None,
                "pain_after_run": pain + rng.randint(0, 1) if rated else None,
                # the next morning has not come yet for today's run
                "pain_next_morning": max(0, pain + rng.randint(-1, 1)) if rated and day < today else None,
                "exercises_done": rng.random() < 0.6 if rng.random() < 0.8 else None,
                "escalated": day in escalation_days,
            }
        )
    return {"runs": runs, "diary": diary}


# --- filling the database ---------------------------------------------------------------------


def fill(user: Any, today: date, days: int) -> dict[str, int]:
    """Store the last ``days`` days of the history for ``user`` with bulk_create."""
    from django.db import transaction
    from django.utils import timezone
    from tests.cases import SELF_MANAGE

    from backstride.core import diary as core_diary
    from backstride.knowledge.questionnaire import questionnaire_items
    from backstride.services.checks import check_symptoms
    from backstride.storage.models import Activity, DiaryEntry, Shoe, SymptomCheck

    items = questionnaire_items()
    no_flags = {item: ("none" if items[item].type == "choice" else False) for item in core_diary.A8_ITEMS}
    flagged = {**no_flags, "leg_weakness": "one_leg", "leg_pain_side": "one_leg"}
    flagged_result = core_diary.escalation(
        core_diary.CheckIn(day=today, pain_now=5, locations=frozenset({"left", "thigh"}), red_flags=flagged)
    )
    if flagged_result is None:  # should not happen; fall back to a cauda equina "yes"
        flagged = {**no_flags, "bladder_change": True}
        flagged_result = core_diary.escalation(core_diary.CheckIn(day=today, pain_now=5, red_flags=flagged))
    assert flagged_result is not None

    data = history(today)
    cut = today - timedelta(days=days - 1)
    runs = [run for run in data["runs"] if run["day"] >= cut]
    before_km = {name: 0.0 for name in SHOE_NAMES}
    for run in data["runs"]:
        if run["day"] < cut:
            before_km[run["shoe"]] += run["distance_m"] / 1000
    used = {run["shoe"] for run in runs}
    first_use: dict[str, date] = {}
    for run in data["runs"]:
        first_use.setdefault(run["shoe"], run["day"])

    with transaction.atomic():
        shoes = Shoe.objects.bulk_create(
            Shoe(
                owner=user,
                name=name,
                brand=name.split()[0],
                model=name,
                start_km=round(before_km[name], 1),  # km done before this database's history
                replacement_km=SHOE_KM,
                bought=first_use.get(name),
                is_default=index == 0,
            )
            for index, name in enumerate(SHOE_NAMES)
            if days >= YEARS_DAYS or name in used
        )
        shoe_by_name = {shoe.name: shoe for shoe in shoes}
        Activity.objects.bulk_create(
            (
                Activity(
                    owner=user,
                    start_time=run["start_time"],
                    utc_offset_s=run["utc_offset_s"],
                    sport="running",
                    name="Long run" if run["long"] else "Morning run",
                    distance_m=run["distance_m"],
                    moving_time_s=run["moving_time_s"],
                    elapsed_time_s=run["elapsed_time_s"],
                    elevation_gain_m=run["elevation_gain_m"],
                    elevation_loss_m=run["elevation_loss_m"],
                    uphill_share=run["uphill_share"],
                    downhill_share=run["downhill_share"],
                    rpe=run["rpe"],
                    gear_name=run["shoe"],
                    shoe=shoe_by_name[run["shoe"]],
                    terrain="hilly" if run["elevation_gain_m"] > 15 * run["distance_m"] / 1000 else "flat",
                    surface="road",
                    source_format="manual",
                )
                for run in runs
            ),
            batch_size=500,
        )
        entries = []
        for entry in data["diary"]:
            if entry["day"] < cut:
                continue
            fields = {key: value for key, value in entry.items() if key != "escalated"}
            if entry["escalated"]:
                fields.update(
                    pain_now=5,
                    locations=["left", "thigh"],
                    red_flags=flagged,
                    escalation=flagged_result.urgency.code,
                    escalation_rules=list(flagged_result.red_flags),
                    escalation_cleared=True,
                )
            else:
                fields["red_flags"] = no_flags
            entries.append(DiaryEntry(owner=user, **fields))
        DiaryEntry.objects.bulk_create(entries, batch_size=500)

    checks = 0
    for ago in CHECK_DAYS_AGO:
        if ago >= days:
            continue
        outcome = check_symptoms(SELF_MANAGE, user)  # the tests' green, pain-2/10 runner
        when = timezone.now() - timedelta(days=ago)
        SymptomCheck.objects.filter(id=outcome.check_id).update(created_at=when)
        checks += 1
    return {"runs": len(runs), "days": len(entries), "shoes": len(shoes), "checks": checks}


# --- measuring ----------------------------------------------------------------------------------


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(call: Any, repeat: int, before: Any = None) -> dict[str, Any]:
    """``call`` timed ``repeat`` times (``before`` runs untimed before each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        call()
    times, cpu = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    counts = []
    for _ in range(2):  # counted outside the timed calls; twice to show the count is stable
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            call()
        counts.append(len(captured.captured_queries))
    return {
        "median": statistics.median(times),
        "p95": p95(times),
        "cpu": statistics.median(cpu),
        "queries": max(counts),
        "counts": counts,
    }


def child(span: str, repeat: int, profile: bool) -> int:
    scratch = Path(tempfile.mkdtemp(prefix=f"backstride-dash-{span}-"))
    os.environ["BACKSTRIDE_DATA_DIR"] = str(scratch)
    os.environ["BACKSTRIDE_DB"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))  # for tests.cases: one definition of the sample answers
    from backstride import bootstrap

    bootstrap.setup()
    from django.test import Client

    from backstride.services.load import load_for
    from backstride.services.users import local_user

    today = date.today()
    user = local_user()
    started = time.perf_counter()
    counts = fill(user, today, YEARS_DAYS if span == "years" else BASELINE_DAYS)
    fill_s = time.perf_counter() - started

    client = Client(REMOTE_ADDR="127.0.0.1")

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    def get_dashboard() -> None:
        get("/today/")

    from backstride.services.charts import forget_rendered
    from backstride.services.data_version import forget_all

    def forget_figures() -> None:
        forget_rendered()  # as after new data: the chart is rendered again ...
        forget_all()  # ... and the figures remembered per data version are read and summed again

    from django.db.models import F

    from backstride.storage.models import DiaryEntry

    def check_in() -> None:  # today's check-in saved again with another pain: a new diary version
        latest = DiaryEntry.objects.filter(owner=user).order_by("-day")[:1].values_list("id", flat=True)
        DiaryEntry.objects.filter(id__in=list(latest)).update(pain_now=(F("pain_now") + 1) % 10)

    result = {
        **counts,
        "fill_s": fill_s,
        "dashboard": measure(get_dashboard, repeat),
        "dashboard_cold": measure(get_dashboard, repeat, before=forget_figures),
        "dashboard_checkin": measure(get_dashboard, max(5, repeat // 3), before=check_in),
        "load": measure(lambda: load_for(user, None, None, today), repeat),
        "pages": {name: measure(partial(get, url), repeat) for name, url in other_pages(user).items()},
    }
    if profile:
        result["profile"] = profile_dashboard(get_dashboard)
    result["peak_mb"] = own_peak_mb()
    from django.db import connections

    connections.close_all()
    shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps(result))
    return 0


def other_pages(user: Any) -> dict[str, str]:
    """The other pages issue 17 holds to the dashboard's goal: the plan, History, the latest run and
    the latest check's result."""
    from backstride.storage.models import Activity, SymptomCheck

    run = Activity.objects.filter(owner=user).order_by("-start_time").values_list("id", flat=True).first()
    check = (
        SymptomCheck.objects.filter(owner=user, completed=True)
        .order_by("-created_at")
        .values_list("id", flat=True)
        .first()
    )
    return {
        "plan": "/plan/",
        "history": "/history/",
        "activity": f"/activities/{run}/",
        "check": f"/checks/{check}/",
    }


def profile_dashboard(get_dashboard: Any, calls: int = 10) -> str:
    """cProfile over a few dashboard GETs: the top functions by cumulative and by own time."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        get_dashboard()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(f"profile over {calls} GET /today/ (times are totals; divide by {calls} per request)\n")
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)
    return out.getvalue()


# --- the parent: run both datasets and compare ---------------------------------------------------


def run_child(span: str, repeat: int, profile: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", span, "--repeat", str(repeat)]
    if profile:
        command.append("--profile")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the {span} measurement failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def describe(figures: dict[str, Any]) -> str:
    return (
        f"median {figures['median']:.1f} ms, p95 {figures['p95']:.1f} ms, "
        f"CPU {figures['cpu']:.1f} ms (median), {figures['queries']} queries"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per measurement (default 30)")
    parser.add_argument("--profile", action="store_true", help="cProfile the 10-year dashboard too")
    parser.add_argument("--child", choices=("years", "weeks"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.child:
        return child(args.child, args.repeat, args.profile)

    started = time.perf_counter()
    years = run_child("years", args.repeat, args.profile)
    weeks = run_child("weeks", args.repeat, False)
    big = f"10 years: {years['runs']:,} runs, {years['days']:,} days, {years['shoes']} shoes"
    small = f"4 weeks: {weeks['runs']:,} runs, {weeks['days']:,} days, {weeks['shoes']} shoes"
    print(f"{args.repeat} timed calls each after {WARM_UP} warm-up; server-side (Django test client)")
    for key, label in (
        ("dashboard", "dashboard GET /today/ (figures and chart remembered)"),
        ("dashboard_cold", "dashboard GET /today/ (figures read again, chart rendered)"),
        ("load", "backstride load (load_for)"),
    ):
        ours, base = years[key], weeks[key]
        grew = "GROWS" if ours["queries"] > base["queries"] else "does not grow"
        print(f"{label} ({big}): {describe(ours)}")
        print(f"{label} baseline ({small}): {describe(base)}")
        print(
            f"  ratio p95: {ours['p95'] / base['p95']:.1f}x the baseline; "
            f"query count 10y vs 4w: {ours['queries']} vs {base['queries']} ({grew})"
        )
    ours, base = years["dashboard_checkin"], weeks["dashboard_checkin"]
    print(
        f"dashboard GET /today/ (the first visit after a check-in; not an issue-17 goal: the year's trigger"
        f" analysis runs again once ready) (10 years): {describe(ours)}; 4 weeks: {describe(base)}"
    )
    for name, ours in years["pages"].items():
        base = weeks["pages"][name]
        print(f"{name} page (10 years): {describe(ours)}; 4 weeks: {describe(base)}")
    print(f"load average {' '.join(f'{value:.2f}' for value in os.getloadavg())} (1, 5, 15 min)")
    print(
        f"peak memory (max RSS of each measuring process): 10 years {years['peak_mb']:.0f} MB, "
        f"4 weeks {weeks['peak_mb']:.0f} MB ({years['peak_mb'] / weeks['peak_mb']:.1f}x)"
    )
    reasons = []
    for key, goal in (("dashboard", GOAL_CACHED_MS), ("dashboard_cold", GOAL_RENDERED_MS)):
        ours, base = years[key], weeks[key]
        if ours["p95"] > goal:
            reasons.append(f"{key} p95 {ours['p95']:.1f} ms > {goal:.0f} ms")
        if ours["p95"] > GOAL_RATIO * base["p95"]:
            reasons.append(f"{key} p95 {ours['p95'] / base['p95']:.2f}x four weeks > {GOAL_RATIO}x")
        if ours["queries"] != base["queries"]:
            reasons.append(f"{key} query count {base['queries']} -> {ours['queries']}")
    for name, ours in years["pages"].items():
        if ours["p95"] > GOAL_CACHED_MS:
            reasons.append(f"{name} page p95 {ours['p95']:.1f} ms > {GOAL_CACHED_MS:.0f} ms")
        if ours["queries"] != weeks["pages"][name]["queries"]:
            reasons.append(f"{name} page query count {weeks['pages'][name]['queries']} -> {ours['queries']}")
    if reasons:
        print(f"GOAL NOT MET: {'; '.join(reasons)}")
    else:
        print(
            f"GOAL MET: p95 <= {GOAL_CACHED_MS:.0f} ms cached (and every other page) and "
            f"<= {GOAL_RENDERED_MS:.0f} ms rendered, "
            f"ten years <= {GOAL_RATIO}x four weeks, the same query count"
        )
    print(
        f"(fill: {years['fill_s']:.1f} s for 10 years, {weeks['fill_s']:.1f} s for 4 weeks; "
        f"total {time.perf_counter() - started:.1f} s)"
    )
    if "profile" in years:
        print(years["profile"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
