"""The web app under load: N concurrent clients, reads and diary writes, against one client alone.

Starts ``backstride serve`` itself on 127.0.0.1 (a free port) over a fresh temporary data folder
holding ten years of one runner's life (the history of bench/dashboard_bench.py: about 3,000 runs,
3,650 diary days, 6 shoes, 3 full symptom checks; and the plan's items ticked off over the last
eight weeks), then measures two phases against that server:

1. baseline: one client alone, each route in turn, ``--rounds`` times (after one warm-up round);
2. load: ``--clients`` clients (default 20) for ``--duration`` seconds (default 30), back to back
   (``--think S`` makes each client wait 0.5-1.5 x S seconds between requests, as people do).
   ``--writers`` of them (default 10) save diary check-ins (GET /diary/ once for the CSRF cookie, then
   POST /diary/ for a day in the last four weeks and follow the redirect to /today/, as a browser
   does); the others GET /today/, /plan/, /history/ and /activities/ in random order.

Prints requests per second, the error count (a refused connection, a timeout or an unexpected
status), p50 and p95 per route, the machine's load average, and each route's p95 under load as a
ratio of its p95 with one client alone. Goal (issue 11): 0 errors and /today/ p95 under 400 ms.

    .venv/bin/python bench/load.py [--clients 20] [--writers 10] [--duration 30] [--think 0]
                                   [--processes N] [--profile]

``--processes`` is passed to ``backstride serve`` (default: its own default).

``--profile`` runs every request in the server under cProfile (CPU time of its thread) and prints
the totals. Bounded: the load stops after --duration seconds or --max-requests requests, whichever
is first; it only ever talks to 127.0.0.1; the server is stopped and the temporary folder deleted at
the end. Exits 0: it is a measurement, not a test (1 when the data or the server cannot be set up).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from peak_memory import describe_tree, process_tree_peaks_mb

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything else
READS = ("/today/", "/plan/", "/history/", "/activities/")
WRITE = "POST /diary/"
GOAL_ROUTE, GOAL_P95_MS = "/today/", 400.0
REQUEST_TIMEOUT_S = 30.0
START_TIMEOUT_S = 120.0
WRITE_DAYS = 28  # writers save a day among the last four weeks
TICK_DAYS = 56  # plan items ticked off over the last eight weeks
SEED = 11


# --- the data set (in a child process: one database per Django process) ---------------------------


def fill_child(data_dir: str) -> int:
    os.environ["BACKSTRIDE_DATA_DIR"] = data_dir
    os.environ["BACKSTRIDE_DB"] = f"sqlite:///{Path(data_dir) / 'backstride.sqlite3'}"
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))  # tests.cases, used by the dashboard bench's history
    sys.path.insert(0, str(ROOT / "bench"))
    from backstride import bootstrap

    bootstrap.setup()
    from django.db import connections

    from backstride.services.users import local_user
    from dashboard_bench import YEARS_DAYS, fill

    started = time.perf_counter()
    user, today = local_user(), date.today()
    counts = fill(user, today, YEARS_DAYS)
    counts["ticks"] = tick_plan(user, today)
    connections.close_all()
    print(json.dumps({**counts, "fill_s": time.perf_counter() - started}))
    return 0


def tick_plan(user: Any, today: date) -> int:
    """Tick off what the plan held on four days of five over the last TICK_DAYS (exercises, runs,
    mobility), as a runner using the plan does: dose steps and adherence then have ticks to read."""
    from backstride.core.plan.progress import TICKABLE
    from backstride.services.plan import build_plan, set_done

    rng = random.Random(SEED)
    ticks = 0
    for back in range(TICK_DAYS, 0, -1):
        day = today - timedelta(days=back)
        if rng.random() < 0.2:
            continue
        plan = build_plan(user, day, today)
        if plan.blocked:
            continue
        items = next(d for d in plan.days if d.day == day).items
        for item in items:
            if item.kind in TICKABLE:
                set_done(user, day, item.key, today)
                ticks += 1
    return ticks


def build_data(data_dir: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--fill", str(data_dir)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"filling the database failed (exit {done.returncode})")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- the server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def environment(data_dir: Path, profile_dir: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["BACKSTRIDE_DATA_DIR"] = str(data_dir)
    env["BACKSTRIDE_DB"] = f"sqlite:///{data_dir / 'backstride.sqlite3'}"
    if profile_dir is not None:
        env["BACKSTRIDE_BENCH_PROFILE"] = str(profile_dir)
    return env


def start_server(
    data_dir: Path, port: int, profile_dir: Path | None, processes: int | None = None
) -> subprocess.Popen[bytes]:
    if profile_dir is None:
        command = [sys.executable, "-m", "backstride.cli", "serve", "--host", HOST, "--port", str(port)]
        if processes is not None:
            command += ["--processes", str(processes)]
    else:  # the same server inside cProfile, written out when it is stopped
        command = [sys.executable, __file__, "--profiled-serve", str(port)]
    server = subprocess.Popen(
        command,
        env=environment(data_dir, profile_dir),
        stdout=subprocess.DEVNULL,
        stderr=open(data_dir / "server.log", "wb"),  # noqa: SIM115 - closed with the process
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/static/css/backstride.css")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    log = (data_dir / "server.log").read_text(errors="replace")[-2000:]
    raise SystemExit(f"the server did not start on {HOST}:{port}\n{log}")


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system, all threads) the server has used so far: the process and every
    process under it (its serving processes); None off Linux."""
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        child = int(stat.parent.name)
        parents[child] = int(fields[1])
        used[child] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    if pid not in used:
        return None
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(used[member] for member in tree)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()  # waitress stops on SIGTERM; the profiled server writes its profile first
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def profiled_serve(port: int) -> int:
    """``backstride serve`` with every request run under cProfile (in waitress's worker threads) and
    the statistics added up; SIGTERM writes them to BACKSTRIDE_BENCH_PROFILE."""
    import cProfile
    import pstats
    import signal

    from backstride import bootstrap

    bootstrap.setup()
    import backstride.web.wsgi as wsgi
    from backstride.cli import main

    app = wsgi.application
    lock = threading.Lock()
    total: list[pstats.Stats] = []
    out = Path(os.environ["BACKSTRIDE_BENCH_PROFILE"]) / "server.prof"

    def profiled(environ: Any, start_response: Any) -> Any:
        profiler = cProfile.Profile(time.thread_time)  # CPU time: not the waits for the GIL
        try:
            return profiler.runcall(app, environ, start_response)
        finally:
            with lock:
                if total:
                    total[0].add(profiler)
                else:
                    total.append(pstats.Stats(profiler))

    def finish(*_: object) -> None:
        with lock:
            if total:
                total[0].dump_stats(str(out))
        os._exit(0)

    wsgi.application = profiled  # serve() imports it from there
    signal.signal(signal.SIGTERM, finish)
    try:
        # One process: the profile adds up the requests of this one (the CPU per request is the same).
        main(["serve", "--host", HOST, "--port", str(port), "--processes", "1"], standalone_mode=False)
    finally:
        finish()
    return 0


# --- one client ------------------------------------------------------------------------------------


class Client:
    """One browser: a kept-alive connection, its cookies (session and CSRF), its own timings."""

    def __init__(self, port: int, samples: dict[str, list[float]], errors: dict[str, int]):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.samples = samples
        self.errors = errors

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, str]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT_S)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        response.read()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.connection.close()
            self.connection = None
        return response.status, response.headers.get("Location", "")

    def call(
        self, route: str, method: str, path: str, expect: int, body: dict[str, Any] | None = None
    ) -> str:
        """One timed request; returns the Location header (for a redirect), "" on an error."""
        headers = {"Host": f"{HOST}:{self.port}"}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
        started = time.perf_counter()
        try:
            status, location = self._send(method, path, data, headers)
        except (OSError, http.client.HTTPException):
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            status, location = -1, ""
        elapsed_ms = (time.perf_counter() - started) * 1000
        self.samples.setdefault(route, []).append(elapsed_ms)
        if status != expect:
            key = f"{route} -> {status if status > 0 else 'no answer'}"
            self.errors[key] = self.errors.get(key, 0) + 1
            return ""
        return location or "ok"

    def read(self, path: str) -> None:
        self.call(path, "GET", path, 200)

    def write_day(self, rng: random.Random, today: date) -> None:
        """A diary check-in as the form sends it, then the page the browser is sent to."""
        if "csrftoken" not in self.cookies:
            self.call("GET /diary/", "GET", "/diary/", 200)
        day = today - timedelta(days=rng.randrange(WRITE_DAYS))
        ran = rng.random() < 0.5
        form: dict[str, Any] = {
            "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            "day": day.isoformat(),
            "pain_now": str(rng.choice((0, 1, 1, 2, 2, 3))),
            "locations": ["central"],
            "ran": "yes" if ran else "no",
            **NO_FLAGS,
        }
        if ran:
            form.update(pain_during_run="2", pain_after_run="2")
        location = self.call(WRITE, "POST", "/diary/", 302, form)
        if location.startswith("/today/"):
            self.read("/today/")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


NO_FLAGS: dict[str, str] = {}  # the A.8 safety answers, all "no" (filled in main from the knowledge)


def safety_answers() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "src"))
    from backstride.core.diary import A8_ITEMS
    from backstride.knowledge.questionnaire import questionnaire_items

    items = questionnaire_items()
    return {f"rf_{item}": ("none" if items[item].type == "choice" else "false") for item in A8_ITEMS}


# --- the two phases --------------------------------------------------------------------------------


@dataclass
class Phase:
    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    server_cpu_s: float | None = None  # CPU time the server process used during the phase

    def requests(self) -> int:
        return sum(len(times) for times in self.samples.values())


def alone(port: int, rounds: int, today: date) -> Phase:
    phase = Phase()
    rng = random.Random(SEED)
    warm = Client(port, {}, {})
    for path in READS:  # warm-up: knowledge files, chart cache, the session
        warm.read(path)
    warm.write_day(rng, today)
    warm.close()
    client = Client(port, phase.samples, phase.errors)
    started = time.perf_counter()
    for _ in range(rounds):
        for path in READS:
            client.read(path)
        client.write_day(rng, today)
    phase.seconds = time.perf_counter() - started
    client.close()
    return phase


def loaded(
    port: int, clients: int, writers: int, duration: float, max_requests: int, today: date, think: float
) -> Phase:
    phase = Phase()
    lock = threading.Lock()
    stop = threading.Event()
    start = threading.Barrier(clients + 1)
    counted = [0]

    def worker(index: int) -> None:
        rng = random.Random(SEED * 1000 + index)
        samples: dict[str, list[float]] = {}
        errors: dict[str, int] = {}
        client = Client(port, samples, errors)
        client.read("/today/")  # sign-in and cookies, as a browser's first page (not counted)
        samples.clear()
        errors.clear()
        writer = index < writers
        start.wait()
        while not stop.is_set():
            if writer:
                client.write_day(rng, today)
            else:
                client.read(rng.choice(READS))
            if think:
                stop.wait(rng.uniform(0.5, 1.5) * think)
            with lock:
                counted[0] += 1 if not writer else 2
                if counted[0] >= max_requests:
                    stop.set()
        client.close()
        with lock:
            for route, times in samples.items():
                phase.samples.setdefault(route, []).extend(times)
            for key, count in errors.items():
                phase.errors[key] = phase.errors.get(key, 0) + count

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    stop.wait(duration)
    stop.set()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT_S + 5)
    phase.seconds = time.perf_counter() - started
    return phase


# --- figures ---------------------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    """Nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def report(
    base: Phase, load: Phase, clients: int, writers: int, load_before: tuple[float, ...], think: float
) -> None:
    routes = [*READS, WRITE, "GET /diary/"]
    print(
        f"one client alone: {base.requests()} requests in {base.seconds:.1f} s "
        f"({base.requests() / base.seconds:.1f}/s), {sum(base.errors.values())} errors"
    )
    print(
        f"{clients} clients ({writers} writing diary days), "
        f"{f'{think:g} s mean think time' if think else 'back to back'}, {load.seconds:.1f} s: "
        f"{load.requests()} requests, {load.requests() / load.seconds:.1f} requests/s, "
        f"{sum(load.errors.values())} errors"
    )
    for key, count in sorted(load.errors.items()):
        print(f"  error: {key}: {count}")
    print(
        f"{'route':<14} {'n':>6} {'p50 ms':>8} {'p95 ms':>8}   {'alone p50':>9} {'alone p95':>9}   ratio p95"
    )
    for route in routes:
        times = load.samples.get(route)
        if not times:
            continue
        solo = base.samples.get(route)
        solo_text, ratio = f"{'-':>9} {'-':>9}", "-"
        if solo:
            solo_text = f"{percentile(solo, 0.5):>9.1f} {percentile(solo, 0.95):>9.1f}"
            ratio = f"{percentile(times, 0.95) / percentile(solo, 0.95):.1f}x"
        print(
            f"{route:<14} {len(times):>6} {percentile(times, 0.5):>8.1f} {percentile(times, 0.95):>8.1f}   "
            f"{solo_text}   {ratio}"
        )
    if load.server_cpu_s is not None and load.requests():
        per_request = 1000 * load.server_cpu_s / load.requests()
        print(
            f"server CPU during the load: {load.server_cpu_s:.1f} s in {load.seconds:.1f} s "
            f"({100 * load.server_cpu_s / load.seconds:.0f}% of one core), {per_request:.1f} ms per request"
        )
    after = os.getloadavg()
    print(
        f"load average (1, 5, 15 min) before: {', '.join(f'{v:.2f}' for v in load_before)}; "
        f"after: {', '.join(f'{v:.2f}' for v in after)} ({os.cpu_count()} CPUs)"
    )
    goal = load.samples.get(GOAL_ROUTE, [])
    errors = sum(load.errors.values())
    if goal:
        p95 = percentile(goal, 0.95)
        met = errors == 0 and p95 < GOAL_P95_MS
        print(
            f"GOAL {'MET' if met else 'NOT MET'}: {errors} errors, {GOAL_ROUTE} p95 {p95:.0f} ms "
            f"(goal: 0 errors, under {GOAL_P95_MS:.0f} ms); median of all requests "
            f"{statistics.median(t for times in load.samples.values() for t in times):.0f} ms"
        )


def print_profile(profile_dir: Path) -> None:
    import pstats

    path = profile_dir / "server.prof"
    if not path.exists():
        print("(no profile written)")
        return
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--writers", type=int, default=10, help="of them, writing diary days (default 10)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="stop the load after this many")
    parser.add_argument("--rounds", type=int, default=20, help="rounds of the one-client baseline")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds a client waits between requests (default 0)"
    )
    parser.add_argument(
        "--processes", type=int, help="server processes (default: what `backstride serve` starts)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the server during the load")
    parser.add_argument("--fill", help=argparse.SUPPRESS)
    parser.add_argument("--profiled-serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        return fill_child(args.fill)
    if args.profiled_serve:
        return profiled_serve(args.profiled_serve)
    if not 1 <= args.clients <= 200 or not 0 <= args.writers <= args.clients:
        parser.error("--clients must be 1..200 and --writers 0..clients")
    if not 1 <= args.duration <= 600 or args.rounds < 1 or args.max_requests < 1 or not 0 <= args.think <= 60:
        parser.error("--duration must be 1..600 s, --think 0..60 s, --rounds and --max-requests at least 1")

    NO_FLAGS.update(safety_answers())
    scratch = Path(tempfile.mkdtemp(prefix="backstride-load-"))
    server = None
    try:
        started = time.perf_counter()
        counts = build_data(scratch)
        print(
            f"data: {counts['runs']:,} runs, {counts['days']:,} diary days, {counts['shoes']} shoes, "
            f"{counts['checks']} checks, {counts['ticks']} plan items ticked off "
            f"(filled in {counts['fill_s']:.1f} s)"
        )
        port = free_port()
        profile_dir = scratch if args.profile else None
        server = start_server(scratch, port, profile_dir, args.processes)
        today = date.today()
        print(f"server: backstride serve --processes {args.processes or 'default'}")
        base = alone(port, args.rounds, today)
        load_before = os.getloadavg()
        cpu_before = cpu_seconds(server.pid)
        load = loaded(port, args.clients, args.writers, args.duration, args.max_requests, today, args.think)
        cpu_after = cpu_seconds(server.pid)
        if cpu_before is not None and cpu_after is not None:
            load.server_cpu_s = cpu_after - cpu_before
        server_peaks = process_tree_peaks_mb(server.pid)
        stop_server(server)
        server = None
        report(base, load, args.clients, args.writers, load_before, args.think)
        print(f"server peak memory (VmHWM of each serving process): {describe_tree(server_peaks)}")
        print(f"(total {time.perf_counter() - started:.0f} s)")
        if args.profile:
            print_profile(scratch)
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
