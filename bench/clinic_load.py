"""Clinic mode under load, and what survives a crash: 200 runners and 10 clinicians against waitress +
PostgreSQL + 2 `backstride worker` processes on this machine, with a worker and the web server killed
(kill -9) in the middle of the run (issue 15, item 7).

    scripts/with-postgres.sh .venv/bin/python bench/clinic_load.py [--minutes 5] [--runners 200]
        [--clinicians 10] [--think 10] [--imports-per-runner 2] [--spawn-rate N] [--no-fault]

1. Setup (in a child process, with the services, not over HTTP): clinic mode on the throwaway
   PostgreSQL in BACKSTRIDE_DB (it must be on 127.0.0.1 and hold no account yet), the runner and
   clinician accounts, each runner shared with one clinician (services.sharing: an invite made by
   the clinician, accepted by the runner), a first symptom check and --diary-days of check-ins each.
2. `backstride serve --clinic` on 127.0.0.1 (a free port) and 2 `backstride worker` processes
   (BACKSTRIDE_TASKS=procrastinate), all sharing one temporary data folder.
3. Load with Locust (bench/clinic_locustfile.py, headless, as a subprocess): first one runner alone,
   back to back, for --baseline-seconds (the baseline); then every runner and clinician at once for
   --minutes, each waiting 0.5-1.5 x --think seconds between tasks.
4. Prints requests/s, p50/p95/p99 per page (once every user is in: the ramp-up is sign-ins, each an
   Argon2 hash), errors, each page's p95 as a ratio of its p95 with the one runner alone, the
   server's CPU time per request (the figure a busy shared machine does not blur) and the load
   average. Goal: 0 errors, /today/ p95 under 300 ms.
5. Fault test: at 40% of the run one worker is killed (kill -9, its process group: the import's
   parser process too) and started again 10 s later; at 50% the web server is killed and started
   again at once. Errors while the server is down (from the kill until it answers again, plus 2 s)
   are counted apart: refused connections are expected then. At the end, once the queue is empty,
   the database is checked: every upload answered 302 is a job that is done, once (one activity per
   uploaded file, one queue row per job), no job left queued or running, every check-in and plan
   tick answered 302 has its row. PASS/FAIL lines; exit 1 when any check fails.

Bounded: only 127.0.0.1, a fixed number of users, a fixed duration (--minutes up to 30). Every
process it starts runs in its own process group, killed at the end whatever happens; the temporary
folder is deleted. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the bench folder is not a package
from clinic_load_report import Phases, Window, report
from peak_memory import describe_tree, process_tree_peaks_mb

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything else
LOOPBACK_DB_HOSTS = ("127.0.0.1", "localhost", "::1")
LOCUSTFILE = ROOT / "bench" / "clinic_locustfile.py"
GPX = ROOT.parent / "shared" / "data" / "activities" / "gpx" / "al2__ecc.gpx"  # 7.5 kB, 42 points
PASSWORD = "load-test-" + secrets.token_urlsafe(12)
START_TIMEOUT_S = 180.0
PROBE_TIMEOUT_S = 30.0  # under load a page may take seconds: the probe waits in line with the users
WORKER_RESTART_AFTER_S = 10.0
OUTAGE_GRACE_S = 2.0
DRAIN_TIMEOUT_S = 240.0  # a dead worker's job is retried after 30 s without heartbeat, checked each minute


# --- setup (in a child process: Django in clinic mode) ---------------------------------------------


def setup_child(out: str, runners: int, clinicians: int, diary_days: int, imports: int) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))  # tests.cases: the tests' green symptom check
    from backstride import bootstrap

    bootstrap.setup()
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.db import connections
    from django.utils import timezone
    from tests.cases import SELF_MANAGE

    from backstride.config import local_today
    from backstride.core import diary as core_diary
    from backstride.core.plan.progress import TICKABLE
    from backstride.knowledge.questionnaire import questionnaire_items
    from backstride.services import sharing
    from backstride.services.accounts import create_account
    from backstride.services.checks import check_symptoms
    from backstride.services.diary import log_check_in
    from backstride.services.plan import build_plan
    from backstride.storage.models import SymptomCheck

    if User.objects.exists():
        raise SystemExit(
            "the database holds accounts already: run on a throwaway one (scripts/with-postgres.sh)"
        )
    started = time.perf_counter()
    today = local_today()
    items = questionnaire_items()
    no_flags = {item: ("none" if items[item].type == "choice" else False) for item in core_diary.A8_ITEMS}
    staff = [create_account(f"clinician{n:02d}", "clinician", PASSWORD) for n in range(clinicians)]
    people = [create_account(f"runner{n:03d}", "runner", PASSWORD) for n in range(runners + 1)]
    shared_with: dict[int, list[int]] = {c.pk: [] for c in staff}
    for number, runner in enumerate(people[:runners]):
        clinician = staff[number % clinicians]
        invite = sharing.make_invite(clinician, f"http://{HOST}")
        sharing.accept(runner, invite.url.rstrip("/").rsplit("/", 1)[1])
        shared_with[clinician.pk].append(runner.pk)
    rows = []
    for number, runner in enumerate(people):
        check = check_symptoms(SELF_MANAGE, runner)  # a green check: the plan runs from it
        began = timezone.now() - timedelta(days=diary_days + 1)
        SymptomCheck.objects.filter(id=check.check_id).update(created_at=began)
        for back in range(diary_days, 0, -1):
            raw = {
                "day": today - timedelta(days=back),
                "pain_now": (number + back) % 4,
                "red_flags": no_flags,
            }
            log_check_in(runner, raw, today)
        plan = build_plan(runner, today, today)
        keys = []
        if not plan.blocked:
            keys = [i.key for d in plan.days if d.day == today for i in d.items if i.kind in TICKABLE]
        rows.append({"id": runner.pk, "username": runner.get_username(), "plan_keys": keys})
    from django.urls import NoReverseMatch, reverse

    pages = []
    for page, name in (("timeline", "clinic_runner"), ("report", "clinic_report"), ("plan", "clinic_plan")):
        try:
            reverse(name, args=[1])
            pages.append(page)
        except NoReverseMatch:
            pass  # not on this branch yet: the clinicians open the caseload only
    accounts = {
        "password": PASSWORD,
        "today": today.isoformat(),
        "runners": rows[:runners],
        "baseline_runner": rows[runners],
        "clinicians": [
            {"id": c.pk, "username": c.get_username(), "runner_ids": shared_with[c.pk]} for c in staff
        ],
        "clinician_pages": pages,
        "safety_answers": {f"rf_{k}": ("none" if v == "none" else "false") for k, v in no_flags.items()},
        "gpx": str(GPX),
        "imports_per_runner": imports,
        "setup_s": time.perf_counter() - started,
    }
    Path(out).write_text(json.dumps(accounts))
    connections.close_all()
    return 0


# --- processes -------------------------------------------------------------------------------------


class Processes:
    """Every process this bench starts, each in a process group of its own (a worker's import
    parser, a server's forked children): killed as groups, so none is left behind."""

    def __init__(self, env: dict[str, str], logs: Path):
        self.env, self.logs = env, logs
        self.started: list[subprocess.Popen[bytes]] = []
        self.server: subprocess.Popen[bytes] | None = None  # the web server running now

    def start(
        self, name: str, command: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command, env=env or self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.started.append(process)
        return process

    @staticmethod
    def kill(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
            os.killpg(process.pid, sig)
        if sig == signal.SIGKILL:
            process.wait()

    def stop_all(self) -> None:
        for process in self.started:
            self.kill(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            self.kill(process)  # the group too: a child may outlive its parent's SIGTERM


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "backstride.cli", *args]


def answers(port: int, timeout_s: float) -> bool:
    """The server answers a page (slowly, maybe: the machine may be busy with the load)."""
    import http.client

    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=timeout_s)
        connection.request("GET", "/login/", headers={"Host": HOST})
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False


def start_server(processes: Processes, port: int) -> subprocess.Popen[bytes]:
    server = processes.start("server", cli("serve", "--clinic", "--host", HOST, "--port", str(port)))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and server.poll() is None:
        if answers(port, PROBE_TIMEOUT_S):
            processes.server = server
            return server
        time.sleep(0.1)
    log = (processes.logs / "server.log").read_text(errors="replace")[-3000:]
    raise SystemExit(f"the server did not start on {HOST}:{port} (exit {server.poll()}):\n{log}")


def start_worker(processes: Processes, number: int) -> subprocess.Popen[bytes]:
    return processes.start(f"worker{number}", cli("worker"))


def run_locust(
    processes: Processes,
    port: int,
    accounts: Path,
    logs: Path,
    users: dict[str, int],
    seconds: float,
    think: float,
    spawn_rate: float,
) -> subprocess.Popen[bytes]:
    """Locust, headless, as a subprocess (gevent patches the whole process it runs in)."""
    baseline = users["clinicians"] == 0 and users["runners"] == 1
    env = {
        **processes.env,
        "BACKSTRIDE_LOAD_ACCOUNTS": str(accounts),
        "BACKSTRIDE_LOAD_LOG": str(logs / ("baseline" if baseline else "load")) + ".jsonl",
        "BACKSTRIDE_LOAD_FACTS": str(logs / "facts.jsonl"),
        "BACKSTRIDE_LOAD_RUNNERS": str(users["runners"]),
        "BACKSTRIDE_LOAD_CLINICIANS": str(users["clinicians"]),
        "BACKSTRIDE_LOAD_THINK": str(think),
        "BACKSTRIDE_LOAD_BASELINE": "1" if baseline else "0",
    }
    total = users["runners"] + users["clinicians"]
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "--host",
        f"http://{HOST}:{port}",
        "--users",
        str(total),
        "--spawn-rate",
        f"{spawn_rate:g}",  # each sign-in hashes a password (Argon2): a steady stream, not all at once
        "--run-time",
        f"{int(seconds)}s",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    if baseline:
        command.append("Runner")
    return processes.start("locust-baseline" if baseline else "locust", command, env)


def wait_for(process: subprocess.Popen[bytes], seconds: float) -> None:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        Processes.kill(process)


# --- the run -------------------------------------------------------------------------------------


def ancestors(pid: int, levels: int = 4) -> list[int]:
    """The process's parent, its parent's parent, ... (Linux /proc); short when one is gone."""
    found = []
    for _ in range(levels):
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            break
        found.append(pid)
    return found


def busy_worker(workers: list[subprocess.Popen[bytes]], wait_s: float) -> int | None:
    """The index of a worker in the middle of an import, waiting up to ``wait_s`` for one: a
    running job's parser process (its pid is on the job's row) descends from that worker."""
    from clinic_load_report import query

    deadline = time.monotonic() + wait_s
    running = (
        "SELECT parser_pid FROM backstride_importjob WHERE status = 'running' AND parser_pid IS NOT NULL"
    )
    while time.monotonic() < deadline:
        for (parser,) in query(running):
            line = ancestors(parser)
            for index, worker in enumerate(workers):
                if worker.pid in line:
                    return index
        time.sleep(0.02)
    return None


def server_cpu(processes: Processes) -> float:
    """CPU seconds the running server (its processes) has used so far."""
    from load import cpu_seconds  # bench/load.py

    assert processes.server is not None
    return cpu_seconds(processes.server.pid) or 0.0


def faults(
    processes: Processes, port: int, seconds: float, workers: list[subprocess.Popen[bytes]]
) -> dict[str, Any]:
    """Kill a worker in the middle of a job at 40% and the server at 50% of the load (kill -9, each
    with its process group); start the server again at once, the worker 10 s later."""
    from clinic_load_report import doing_jobs

    began = time.time()
    log: dict[str, Any] = {}
    time.sleep(max(0.0, began + 0.4 * seconds - time.time()))
    busy = busy_worker(workers, 0.08 * seconds)
    victim = 0 if busy is None else busy
    log["worker_doing"] = doing_jobs()
    log["worker_busy"] = busy is not None
    log["worker_killed"] = time.time()
    Processes.kill(workers[victim])
    worker_back = log["worker_killed"] + WORKER_RESTART_AFTER_S
    server_at = began + 0.5 * seconds
    if worker_back <= server_at:  # the worker comes back 10 s after its kill, whatever else happens
        time.sleep(max(0.0, worker_back - time.time()))
        workers[victim] = start_worker(processes, victim)
        log["worker_back"] = time.time()
    time.sleep(max(0.0, server_at - time.time()))
    assert processes.server is not None
    log["server_cpu_s"] = server_cpu(processes)  # the killed server's CPU is lost with it: add it up now
    log["server_killed"] = time.time()
    Processes.kill(processes.server)
    start_server(processes, port)
    log["server_back"] = time.time()
    log["server_cpu_at_start_s"] = server_cpu(processes)
    if "worker_back" not in log:
        time.sleep(max(0.0, worker_back - time.time()))
        workers[victim] = start_worker(processes, victim)
        log["worker_back"] = time.time()
    return log


def main() -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--minutes", type=float, default=5.0, help="minutes of full load (default 5)")
    parser.add_argument("--runners", type=int, default=200, help="simulated runners (default 200)")
    parser.add_argument("--clinicians", type=int, default=10, help="simulated clinicians (default 10)")
    parser.add_argument("--think", type=float, default=10.0, help="mean seconds between a user's tasks (10)")
    parser.add_argument(
        "--imports-per-runner", type=int, default=2, help="GPX uploads per runner (default 2)"
    )
    parser.add_argument("--diary-days", type=int, default=21, help="check-ins seeded per runner (default 21)")
    parser.add_argument("--baseline-seconds", type=float, default=20.0, help="one runner alone (default 20)")
    parser.add_argument(
        "--spawn-rate", type=float, help="users started per second (default: 5, more when the run is short)"
    )
    parser.add_argument("--no-fault", action="store_true", help="no kill -9 in the middle")
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        return setup_child(
            args.setup, args.runners, args.clinicians, args.diary_days, args.imports_per_runner
        )
    if not 0.1 <= args.minutes <= 30 or not 1 <= args.runners <= 500 or not 1 <= args.clinicians <= 50:
        parser.error("--minutes must be 0.1..30, --runners 1..500, --clinicians 1..50")
    if args.spawn_rate is None:  # all in within the first fifth of the run, at 5 a second or more
        args.spawn_rate = min(50.0, max(5.0, (args.runners + args.clinicians) / (12 * args.minutes)))
    if not 0.5 <= args.spawn_rate <= 50:
        parser.error("--spawn-rate must be 0.5..50 users a second")
    if (
        not 0 <= args.think <= 120
        or not 0 <= args.imports_per_runner <= 20
        or not 1 <= args.diary_days <= 365
    ):
        parser.error("--think must be 0..120 s, --imports-per-runner 0..20, --diary-days 1..365")
    database = os.environ.get("BACKSTRIDE_DB", "")
    if (
        not database.startswith(("postgresql://", "postgres://"))
        or urlsplit(database).hostname not in LOOPBACK_DB_HOSTS
    ):
        raise SystemExit(
            "needs a throwaway PostgreSQL on this machine: "
            "scripts/with-postgres.sh .venv/bin/python bench/clinic_load.py"
        )
    if not GPX.exists():
        raise SystemExit(f"the small GPX upload is missing: {GPX} (../shared/data)")

    scratch = Path(tempfile.mkdtemp(prefix="backstride-clinic-load-"))
    logs = scratch / "logs"
    logs.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
        "BACKSTRIDE_MODE": "clinic",
        "BACKSTRIDE_SECRET_KEY": secrets.token_urlsafe(50),
        "BACKSTRIDE_ALLOWED_HOSTS": HOST,
        "BACKSTRIDE_DATA_DIR": str(scratch / "data"),  # the media folder the server and workers share
        "BACKSTRIDE_TASKS": "procrastinate",
    }
    processes = Processes(env, logs)
    accounts = scratch / "accounts.json"
    # A SIGTERM (a timeout, a CI stop) unwinds through the finally below too, as Ctrl+C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    failed = False
    try:
        started = time.perf_counter()
        setup = [sys.executable, __file__, "--setup", str(accounts), "--runners", str(args.runners)]
        setup += ["--clinicians", str(args.clinicians), "--diary-days", str(args.diary_days)]
        setup += ["--imports-per-runner", str(args.imports_per_runner)]
        done = subprocess.run(setup, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stderr[-4000:])
            raise SystemExit(f"the setup failed (exit {done.returncode})")
        made = json.loads(accounts.read_text())
        print(
            f"setup: {args.runners + 1} runners (one for the baseline), {args.clinicians} clinicians, "
            f"every runner shared with one clinician, {args.diary_days} check-ins each, "
            f"in {made['setup_s']:.0f} s; "
            f"clinician pages: caseload{''.join(', ' + p for p in made['clinician_pages'])}"
        )
        port = free_port()
        start_server(processes, port)
        workers = [start_worker(processes, 0), start_worker(processes, 1)]
        print(
            f"server: backstride serve --clinic on {HOST}:{port} (2 processes), 2 backstride worker processes"
        )
        baseline = run_locust(
            processes, port, accounts, logs, {"runners": 1, "clinicians": 0}, args.baseline_seconds, 0, 1
        )
        wait_for(baseline, args.baseline_seconds + 60)
        load_before = os.getloadavg()
        seconds = args.minutes * 60
        users = {"runners": args.runners, "clinicians": args.clinicians}
        load_started = time.time()
        cpu_before = server_cpu(processes)
        load = run_locust(processes, port, accounts, logs, users, seconds, args.think, args.spawn_rate)
        fault_log: dict[str, Any] = {}
        if not args.no_fault:
            fault_log = faults(processes, port, seconds, workers)
        wait_for(load, max(0.0, load_started + seconds - time.time()) + 60)
        load_after = os.getloadavg()
        cpu = server_cpu(processes) - cpu_before
        if fault_log:  # two servers: the first until its kill, the second from when it answered
            cpu = (
                fault_log["server_cpu_s"]
                - cpu_before
                + server_cpu(processes)
                - fault_log["server_cpu_at_start_s"]
            )
        fault_log["load_server_cpu_s"] = cpu
        # Read while they run (the server killed mid-run is lost with its own peak: this is the second).
        server_peaks = process_tree_peaks_mb(processes.server.pid)
        worker_peaks = [process_tree_peaks_mb(worker.pid) for worker in workers]
        outage = None
        if "server_killed" in fault_log:
            outage = Window(fault_log["server_killed"], fault_log["server_back"] + OUTAGE_GRACE_S)
        ramp_end = load_started + (args.runners + args.clinicians) / args.spawn_rate
        failed = not report(
            logs,
            made,
            Phases(outage, ramp_end),
            fault_log,
            (load_before, load_after),
            args,
            DRAIN_TIMEOUT_S,
            time.perf_counter() - started,
        )
        print(f"server peak memory (VmHWM of each serving process): {describe_tree(server_peaks)}")
        for number, peaks in enumerate(worker_peaks, start=1):
            print(f"worker {number} peak memory (with its processes): {describe_tree(peaks)}")
    finally:
        processes.stop_all()
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failed else 0


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


if __name__ == "__main__":
    raise SystemExit(main())
