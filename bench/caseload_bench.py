"""The clinician's caseload (`/caseload/`, `backstride clinic caseload`): its cost per runner.

Fills a fresh SQLite database with one clinician and 30 runners who share with them, each with a
green symptom check five weeks ago and a check-in on each of the last 35 days (a few with a run), as
the clinic load test does; then measures ``services.caseload.caseload`` (what the page and the
command show) with 1 runner shared and with 30, median and p95 over repeated calls, queries per
call. The baseline is the 1-runner caseload in the same run: the ratio says what each further runner
costs (30 runners at 30x the one-runner time would mean nothing is shared between rows).

    .venv/bin/python bench/caseload_bench.py [--repeat N] [--runners N]

Exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DIARY_DAYS = 35


def fill(runners: int) -> tuple[Any, list[Any]]:
    from django.utils import timezone
    from tests.cases import SELF_MANAGE

    from backstride.config import local_today
    from backstride.core import diary as core_diary
    from backstride.knowledge.questionnaire import questionnaire_items
    from backstride.services.accounts import create_account
    from backstride.services.checks import check_symptoms
    from backstride.services.diary import log_check_in
    from backstride.storage.models import CareLink, SymptomCheck

    today = local_today()
    items = questionnaire_items()
    no_flags = {item: ("none" if items[item].type == "choice" else False) for item in core_diary.A8_ITEMS}
    clinician = create_account("dr-bench", "clinician", "amber-kestrel-river-42")
    people = []
    for number in range(runners):
        runner = create_account(f"runner{number:03d}", "runner", "amber-kestrel-river-42")
        check = check_symptoms(SELF_MANAGE, runner)
        SymptomCheck.objects.filter(id=check.check_id).update(
            created_at=timezone.now() - timedelta(days=DIARY_DAYS + 1)
        )
        for back in range(DIARY_DAYS, -1, -1):
            raw = {
                "day": today - timedelta(days=back),
                "pain_now": (number + back) % 4,
                "red_flags": no_flags,
            }
            log_check_in(runner, raw, today)
        people.append(runner)
    CareLink.objects.create(runner=people[0], clinician=clinician)
    return clinician, people


def measure(call: Any, repeat: int) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    with CaptureQueriesContext(connection) as queries:
        call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    times.sort()
    return {
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] * 1000,
        "queries": len(queries),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per measurement (default 20)")
    parser.add_argument("--runners", type=int, default=30, help="runners in the full caseload (default 30)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="backstride-caseload-"))
    os.environ["BACKSTRIDE_DATA_DIR"] = str(scratch)
    os.environ["BACKSTRIDE_DB"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))  # tests.cases: the tests' green symptom check
    from backstride import bootstrap

    bootstrap.setup()
    from backstride.config import local_today
    from backstride.services.caseload import caseload
    from backstride.storage.models import CareLink

    started = time.perf_counter()
    clinician, people = fill(args.runners)
    fill_s = time.perf_counter() - started
    today = local_today()
    one = measure(lambda: caseload(clinician, today), args.repeat)
    for runner in people[1:]:
        CareLink.objects.create(runner=runner, clinician=clinician)
    full = measure(lambda: caseload(clinician, today), args.repeat)
    load = os.getloadavg()
    for name, figures in (("1 runner (baseline)", one), (f"{args.runners} runners", full)):
        print(
            f"caseload, {name}: median {figures['median_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, "
            f"{figures['queries']} queries"
        )
    extra = (full["median_ms"] - one["median_ms"]) / (args.runners - 1)
    print(
        f"ratio p95 {args.runners} runners / 1 runner: {full['p95_ms'] / one['p95_ms']:.1f}x; "
        f"each further runner: {extra:.1f} ms (median), "
        f"{(full['queries'] - one['queries']) / (args.runners - 1):.1f} queries"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"peak memory {peak:.0f} MB; fill {fill_s:.1f} s"
    )
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
