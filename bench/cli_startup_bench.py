"""How fast the `backstride` command starts (issue 17, item 4: `backstride today` under 0.3 s).

Makes a fresh data folder with two weeks of check-ins and runs (today's included, so `today` gives its
full answer), then runs each command below as a new process, ``--repeat`` times, in turn (so a burst of
load on the machine hits them all alike), after one warm-up each:

- the baselines, measured in the same run: ``python -c pass`` (the interpreter alone) and ``python -c
  "import django, click"`` (the two libraries every command sits on, imported only);
- ``backstride --help``, ``backstride today`` and ``backstride today --format json``.

Prints the median and the fastest wall time of each, each command's median as a ratio to both
baselines, the CPU time (user + system, the figure to compare on a machine shared with other jobs) and
the peak memory (max RSS) of the children. By default the bytecode is cached as after `pip install`
(in a folder of its own, so the source tree gets no __pycache__); ``--no-bytecode`` keeps this
environment's PYTHONDONTWRITEBYTECODE, so every backstride module is compiled at each start.

    .venv/bin/python bench/cli_startup_bench.py [--repeat 15] [--no-bytecode]

Exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_TODAY_S = 0.3
DAYS = 14


def backstride() -> list[str]:
    """The installed `backstride` script beside this Python, else `python -m backstride.cli`."""
    script = Path(sys.executable).with_name("backstride")
    return [str(script)] if script.exists() else [sys.executable, "-m", "backstride.cli"]


def fill(env: dict[str, str]) -> None:
    """Two weeks of check-ins (rest days and run days) and runs, today's check-in last."""
    today = date.today()
    for back in range(DAYS, -1, -1):
        day = (today - timedelta(days=back)).isoformat()
        ran = back % 2 == 1
        pain = [*backstride(), "log", "pain", "--pain", "2", "--date", day, "--no-red-flags"]
        pain += ["--ran", "--before", "1", "--during", "2", "--after", "2"] if ran else ["--rest"]
        subprocess.run(pain, env=env, check=True, capture_output=True)
        if ran:
            run = [*backstride(), "log", "run", "--date", day, "--distance", "6", "--duration", "36"]
            subprocess.run(run, env=env, check=True, capture_output=True)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``command``, which must succeed."""
    started, started_cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall, cpu = time.perf_counter() - started, children_cpu() - started_cpu
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')}")
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each command")
    parser.add_argument(
        "--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE (compile at each start)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cli-startup-") as scratch:
        env = {key: value for key, value in os.environ.items() if key != "BACKSTRIDE_DB"}
        env["BACKSTRIDE_DATA_DIR"] = str(Path(scratch) / "data")
        if not args.no_bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
        bytecode = "compiled at each start" if args.no_bytecode else "cached"
        print(f"filling a data folder with {DAYS + 1} days of check-ins ...", flush=True)
        fill(env)

        python = [sys.executable]
        commands = {
            "python -c pass (baseline)": [*python, "-c", "pass"],
            "import django, click (baseline)": [*python, "-c", "import django, click"],
            "backstride --help": [*backstride(), "--help"],
            "backstride today": [*backstride(), "today"],
            "backstride today --format json": [*backstride(), "today", "--format", "json"],
        }
        for command in commands.values():  # warm-up: caches bytecode, the page cache, the database
            run_once(command, env)
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):  # interleaved: a burst of load hits every command alike
            for name, command in commands.items():
                seconds, cpu_seconds = run_once(command, env)
                wall[name].append(seconds)
                cpu[name].append(cpu_seconds)

    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    python_s = statistics.median(wall["python -c pass (baseline)"])
    libraries_s = statistics.median(wall["import django, click (baseline)"])
    print(f"\n{args.repeat} runs each, bytecode {bytecode}, load average {os.getloadavg()[0]:.2f}")
    print(f"{'command':34} {'median':>8} {'fastest':>8} {'CPU':>8} {'x python':>9} {'x django+click':>15}")
    for name in commands:
        median = statistics.median(wall[name])
        print(
            f"{name:34} {median * 1000:6.0f}ms {min(wall[name]) * 1000:6.0f}ms "
            f"{statistics.median(cpu[name]) * 1000:6.0f}ms {median / python_s:8.1f}x "
            f"{median / libraries_s:14.2f}x"
        )
    print(f"peak memory (max RSS of any child): {peak_mb:.0f} MB")
    today_s = statistics.median(wall["backstride today"])
    verdict = "met" if today_s < GOAL_TODAY_S else "NOT met"
    print(f"goal `backstride today` < {GOAL_TODAY_S:.1f} s wall (median): {verdict} ({today_s:.3f} s)")


if __name__ == "__main__":
    main()
