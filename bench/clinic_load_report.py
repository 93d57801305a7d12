"""The figures and the database checks of bench/clinic_load.py (imported by it; not run alone).

The figures come from the request logs the Locust users wrote (bench/clinic_locustfile.py); the checks
read the database straight (psycopg, past the app), once the job queue is empty."""

from __future__ import annotations

import json
import math
import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOAL_ROUTE, GOAL_P95_MS = "GET /today/", 300.0
ORDER = (
    "POST /login/",
    "GET /today/",
    "GET /diary/",
    "POST /diary/",
    "POST /plan/done/",
    "POST /activities/upload/",
    "GET /imports/<id>/",
    "GET /caseload/",
    "GET /caseload/<id>/",
    "GET /caseload/<id>/report/",
    "GET /caseload/<id>/plan/",
)


@dataclass(frozen=True)
class Window:
    start: float
    end: float

    def holds(self, moment: float) -> bool:
        return self.start <= moment <= self.end


@dataclass(frozen=True)
class Phases:
    outage: Window | None  # from the server's kill until it answered again (plus a grace)
    ramp_end: float  # when the last user was started (each signs in first: Argon2 takes CPU)


def ended(line: dict[str, Any]) -> float:
    """When the request ended: one cut off by the kill ends in the outage, though it began before."""
    return float(line["t"]) + float(line["ms"]) / 1000


SIGN_IN = ("GET /login/", "POST /login/")
QUIET_S = 15.0


def query(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(os.environ["BACKSTRIDE_DB"], autocommit=True) as db:
        return db.execute(sql, params).fetchall()


def doing_jobs() -> int:
    """Jobs a worker is running now (when one is killed: how many it may have held)."""
    return int(query("SELECT COUNT(*) FROM procrastinate_jobs WHERE status = 'doing'")[0][0])


def read_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def percentile(samples: list[float], share: float) -> float:
    """Nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# --- figures -------------------------------------------------------------------------------------


def by_page(lines: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    pages: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        pages[line["name"]].append(line)
    return pages


def print_figures(
    baseline: list[dict[str, Any]], load: list[dict[str, Any]], phases: Phases, users: str
) -> tuple[int, float | None]:
    """The table; returns the errors outside the outage and the dashboard's p95."""
    outage = phases.outage
    solo = by_page(baseline)
    # Timings once every user is in (the sign-ins themselves are all in the ramp-up); errors of all.
    steady = [x for x in load if x["t"] >= phases.ramp_end or x["name"] in SIGN_IN]
    pages = by_page(steady)
    seconds = (max(x["t"] for x in load) - min(x["t"] for x in load)) if load else 0.0
    steady_s = (max(x["t"] for x in load) - phases.ramp_end) if load else 0.0
    steady_n = sum(1 for x in load if x["t"] >= phases.ramp_end)
    down = [x for x in load if x["error"] and outage is not None and outage.holds(ended(x))]
    real = [x for x in load if x["error"] and not (outage is not None and outage.holds(ended(x)))]
    base_seconds = (max(x["t"] for x in baseline) - min(x["t"] for x in baseline)) if baseline else 0.0
    print(
        f"baseline, one runner alone back to back: {len(baseline)} requests in {base_seconds:.0f} s "
        f"({len(baseline) / max(base_seconds, 1e-9):.1f}/s), {sum(1 for x in baseline if x['error'])} errors"
    )
    print(
        f"load, {users}: {len(load)} requests in {seconds:.0f} s ({len(load) / max(seconds, 1e-9):.1f} "
        f"requests/s; {steady_n / max(steady_s, 1e-9):.1f}/s once all were in), {len(real)} errors"
        + (f" + {len(down)} while the server was down (expected, counted apart)" if outage else "")
    )
    ramp_s = max(0.0, phases.ramp_end - min((x["t"] for x in load), default=phases.ramp_end))
    print(
        f"timings below: after the ramp-up ({ramp_s:.0f} s of sign-ins), sign-ins from the ramp-up; "
        "errors: the whole run"
    )
    header = f"{'page':<28} {'n':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'down':>5}"
    print(header + f"   {'alone p95':>9}  ratio p95")
    names = [n for n in ORDER if n in pages] + sorted(set(pages) - set(ORDER))
    for name in names:
        times = [x["ms"] for x in pages[name] if not x["error"]]
        errors = sum(1 for x in real if x["name"] == name)
        downs = sum(1 for x in down if x["name"] == name)
        figures = "".join(f" {percentile(times, s):>7.0f}" for s in (0.5, 0.95, 0.99)) if times else " " * 24
        alone = [x["ms"] for x in solo.get(name, []) if not x["error"]]
        ratio = "        -      -"
        if alone and times:
            base = percentile(alone, 0.95)
            ratio = f"{base:>9.0f}  {percentile(times, 0.95) / max(base, 1e-9):>5.1f}x"
        print(f"{name:<28} {len(pages[name]):>6}{figures} {errors:>6} {downs:>5}   {ratio}")
    for (name, error), count in Counter((x["name"], x["error"]) for x in real).most_common(8):
        print(f"  error: {name}: {error}: {count}")
    for (name, error), count in Counter((x["name"], x["error"]) for x in down).most_common(4):
        print(f"  while down: {name}: {error}: {count}")
    dashboard = [x["ms"] for x in pages.get(GOAL_ROUTE, []) if not x["error"]]
    return len(real), (percentile(dashboard, 0.95) if dashboard else None)


# --- the database checks -------------------------------------------------------------------------


def drain(timeout_s: float) -> float:
    """Wait until no import job is queued or running, or until the queue has had nothing to do for
    QUIET_S (then a job still "queued" has no queue row: nothing will ever run it)."""
    started = time.monotonic()
    quiet_since = started
    while time.monotonic() - started < timeout_s:
        left = query("SELECT COUNT(*) FROM backstride_importjob WHERE status IN ('queued', 'running')")[0][0]
        if not left:
            break
        waiting = query("SELECT COUNT(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')")[0][0]
        if waiting:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > QUIET_S:
            break
        time.sleep(1)
    return time.monotonic() - started


def verdict(ok: bool, text: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'} {text}")
    return ok


def check_imports(facts: list[dict[str, Any]]) -> list[bool]:
    uploads = [f for f in facts if f["kind"] == "import"]
    jobs = {
        row[0]: row[1:] for row in query("SELECT id, owner_id, status, message FROM backstride_importjob")
    }
    answered = [f for f in uploads if f["job"] in jobs and jobs[f["job"]][0] == f["runner"]]
    done = [f for f in answered if jobs[f["job"]][1] == "done"]
    results = [
        verdict(
            len(done) == len(uploads),
            f"every upload answered 302 is a job that is done: {len(done)}/{len(uploads)}",
        )
    ]
    activities: dict[int, list[str]] = defaultdict(list)
    for owner, source in query("SELECT owner_id, source_file FROM backstride_activity"):
        activities[owner].append(source)

    def stored(owner: int, name: str) -> int:
        return sum(1 for s in activities[owner] if s == name or s.endswith(("/" + name, "-" + name)))

    counts = Counter(stored(f["runner"], f["file"]) for f in uploads)
    total = sum(len(v) for v in activities.values())
    results.append(
        verdict(
            set(counts) <= {1} and total == len(jobs),
            "no lost or duplicated import: each uploaded file is one activity "
            f"({len(uploads)} files acknowledged, {len(jobs)} jobs in the database, {total} activities; "
            "files stored 0/1/2+ times: "
            f"{counts.get(0, 0)}/{counts.get(1, 0)}/{sum(c for n, c in counts.items() if n > 1)})",
        )
    )
    states = Counter(status for _, status, _ in jobs.values())
    reasons = Counter(message[:240] for _, status, message in jobs.values() if status == "failed")
    imports = "SELECT (args->>'job_id')::int FROM procrastinate_jobs WHERE args->>'kind' = 'import'"
    queued = {row[0] for row in query(imports)}
    acknowledged = {f["job"] for f in uploads}
    stuck = [
        f"  job {job} {status}: {'a' if job in queued else 'no'} queue row, the upload was "
        f"{'answered 302' if job in acknowledged else 'not answered (cut off by the kill)'}"
        for job, (_, status, _) in sorted(jobs.items())
        if status != "done"
    ]
    results.append(
        verdict(
            not states.get("queued") and not states.get("running") and not states.get("failed"),
            f"no job stuck or failed: {dict(states)}"
            + "".join(f"\n  failed: {r} ({n})" for r, n in reasons.items())
            + "".join(f"\n{line}" for line in stuck[:10]),
        )
    )
    queue = query(
        "SELECT (j.args->>'job_id')::int, j.status, "
        "(SELECT COUNT(*) FROM procrastinate_events e WHERE e.job_id = j.id AND e.type = 'started') "
        "FROM procrastinate_jobs j WHERE j.task_name = 'backstride.run' AND j.args->>'kind' = 'import'"
    )
    rows = Counter(job for job, _, _ in queue)
    runs_again = sum(1 for _, _, starts in queue if starts > 1)
    unfinished = [status for _, status, _ in queue if status != "succeeded"]
    results.append(
        verdict(
            set(rows) == set(jobs) and set(rows.values()) <= {1} and not unfinished,
            f"the queue: one row per import job ({len(rows)} for {len(jobs)} jobs), all succeeded "
            f"(not: {dict(Counter(unfinished))}); {runs_again} run again after their worker was killed",
        )
    )
    return results


def check_records(facts: list[dict[str, Any]]) -> list[bool]:
    """Every check-in and tick the server acknowledged (302) is in the database."""
    entries = {
        (o, d.isoformat()): p
        for o, d, p in query("SELECT owner_id, day, pain_now FROM backstride_diaryentry")
    }
    wanted: dict[tuple[int, str], set[int]] = {}
    for fact in facts:  # in the order sent: the last acknowledged value, or a later one sent but unanswered
        key = (fact["runner"], fact["day"]) if fact["kind"] in ("diary", "diary_sent") else None
        if key is None:
            continue
        if fact["kind"] == "diary":
            wanted[key] = {fact["pain"]}
        elif key in wanted:
            wanted[key].add(fact["pain"])
    missing = [key for key in wanted if key not in entries]
    wrong = [key for key in wanted if key in entries and entries[key] not in wanted[key]]
    results = [
        verdict(
            not missing and not wrong,
            f"every check-in answered 302 has its row, with a value that was sent: {len(wanted)} days "
            f"({len(missing)} missing, {len(wrong)} with another value)",
        )
    ]
    ticks = {
        (o, d.isoformat(), k)
        for o, d, k in query("SELECT owner_id, day, item_key FROM backstride_planitemdone")
    }
    sent = {(f["runner"], f["day"], f["key"]) for f in facts if f["kind"] == "tick"}
    results.append(
        verdict(
            not sent - ticks, f"every plan tick answered 302 has its row: {len(sent & ticks)}/{len(sent)}"
        )
    )
    return results


def report(
    logs: Path,
    made: dict[str, Any],
    phases: Phases,
    fault_log: dict[str, Any],
    load_average: tuple[tuple[float, ...], tuple[float, ...]],
    args: Any,
    drain_timeout_s: float,
    elapsed_s: float,
) -> bool:
    """Print everything; True when every check passed."""
    users = f"{args.runners} runners + {args.clinicians} clinicians, {args.think:g} s mean think time"
    errors, dashboard_p95 = print_figures(
        read_lines(logs / "baseline.jsonl"), read_lines(logs / "load.jsonl"), phases, users
    )
    before, after = load_average
    print(
        f"load average (1, 5, 15 min) before the load: {', '.join(f'{v:.2f}' for v in before)}; after: "
        f"{', '.join(f'{v:.2f}' for v in after)} ({os.cpu_count()} CPUs, shared with other work)"
    )
    if dashboard_p95 is not None:
        met = errors == 0 and dashboard_p95 < GOAL_P95_MS
        print(
            f"GOAL {'MET' if met else 'NOT MET'}: {errors} errors, {GOAL_ROUTE} p95 {dashboard_p95:.0f} ms "
            f"(goal: 0 errors, under {GOAL_P95_MS:.0f} ms)"
        )
    cpu = fault_log.get("load_server_cpu_s")
    load_lines = read_lines(logs / "load.jsonl")
    if cpu and load_lines:
        seconds = max(x["t"] for x in load_lines) - min(x["t"] for x in load_lines)
        print(
            f"server CPU during the load: {cpu:.0f} s for {len(load_lines)} requests, "
            f"{1000 * cpu / len(load_lines):.0f} ms per request "
            f"({100 * cpu / max(seconds, 1e-9):.0f}% of one core)"
        )
    if "server_killed" in fault_log:
        start = fault_log["worker_killed"]
        when = (
            "in the middle of an import"
            if fault_log["worker_busy"]
            else "while idle (no import seen running)"
        )
        print(
            f"faults: a worker killed (kill -9) {when}, "
            f"{fault_log['worker_doing']} job(s) running in the queue then, "
            f"started again {fault_log['worker_back'] - start:.0f} s later; the web server killed "
            f"{fault_log['server_killed'] - start:.0f} s after the worker and answering again "
            f"{fault_log['server_back'] - fault_log['server_killed']:.1f} s after its kill"
        )
    waited = drain(drain_timeout_s)
    print(f"the queue emptied {waited:.0f} s after the load ended")
    facts = read_lines(logs / "facts.jsonl")
    results = check_imports(facts) + check_records(facts)
    print(f"(total {elapsed_s + waited:.0f} s)")
    return all(results)
