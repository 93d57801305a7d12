"""Locust users for bench/clinic_load.py (started by it; not run alone): runners and clinicians of a
clinic-mode server on 127.0.0.1.

Reads the accounts bench/clinic_load.py made from the JSON file in BACKSTRIDE_LOAD_ACCOUNTS, and writes
two logs of JSON lines: BACKSTRIDE_LOAD_LOG (every request: when, page, milliseconds, error) and
BACKSTRIDE_LOAD_FACTS (what the server said it stored: a check-in, a plan tick or an upload answered
302), which clinic_load.py checks in the database at the end.

- A runner signs in, then in random order: the dashboard (/today/), a check-in (GET /diary/, POST
  /diary/ with the CSRF token), a plan tick (POST /plan/done/) and, at most --imports-per-runner
  times, a small GPX upload (POST /activities/upload/, which becomes a worker job).
- A clinician signs in, then opens the caseload and, where the server has them, a runner's timeline,
  report and plan page.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant, events, task

ACCOUNTS: dict[str, Any] = json.loads(Path(os.environ["BACKSTRIDE_LOAD_ACCOUNTS"]).read_text())
THINK_S = float(os.environ.get("BACKSTRIDE_LOAD_THINK", "10"))
BASELINE = os.environ.get("BACKSTRIDE_LOAD_BASELINE") == "1"  # one runner, its own account
LOG = Path(os.environ["BACKSTRIDE_LOAD_LOG"]).open("a", buffering=1)  # noqa: SIM115 - open for the run
FACTS = Path(os.environ["BACKSTRIDE_LOAD_FACTS"]).open("a", buffering=1)  # noqa: SIM115
GPX = Path(ACCOUNTS["gpx"]).read_text()
TIME = re.compile(r"<time>([^<]+)</time>")
SIGN_IN_TRIES = 30

_runner_numbers = itertools.count()
_clinician_numbers = itertools.count()


def think() -> Any:
    """Wait 0.5-1.5 x THINK_S between tasks, as people do (0: back to back)."""
    return between(0.5 * THINK_S, 1.5 * THINK_S) if THINK_S else constant(0)


def log_request(
    request_type: str,
    name: str,
    response_time: float,
    response_length: int,
    exception: BaseException | None = None,
    start_time: float | None = None,
    response: Any = None,
    **_: Any,
) -> None:
    status = getattr(response, "status_code", 0) or 0
    error = None if exception is None else f"{type(exception).__name__}: {str(exception)[:120]}"
    line = {
        "t": start_time or time.time(),
        "name": name,
        "ms": response_time,
        "status": status,
        "error": error,
    }
    LOG.write(json.dumps(line) + "\n")


events.request.add_listener(log_request)  # type: ignore[no-untyped-call]


def fact(**values: Any) -> None:
    FACTS.write(json.dumps({"t": time.time(), **values}) + "\n")


def shifted_gpx(hours: int) -> bytes:
    """The small GPX with every time moved ``hours`` back: a new file (its own hash and start), so
    each upload is one new activity, never a duplicate of another."""

    def move(match: re.Match[str]) -> str:
        moment = datetime.fromisoformat(match.group(1).replace("Z", "+00:00")) - timedelta(hours=hours)
        return f"<time>{moment.strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3]}Z</time>"

    return TIME.sub(move, GPX).encode()


class SignedIn(HttpUser):
    abstract = True
    wait_time = think()

    def sign_in(self, username: str) -> None:
        """Sign in, again until it works (bounded): a sign-in cut off by the server's kill is tried
        again, as a person would, rather than leaving a user that is sent to /login/ ever after."""
        for _ in range(SIGN_IN_TRIES):
            self.client.get("/login/", name="GET /login/")
            form = {
                "username": username,
                "password": ACCOUNTS["password"],
                "csrfmiddlewaretoken": self.csrf(),
            }
            if self.expect("POST", "/login/", 302, data=form) is not None:
                return
            time.sleep(1)

    def csrf(self) -> str:
        return str(self.client.cookies.get("csrftoken", ""))

    def expect(
        self, method: str, path: str, status: int, name: str | None = None, to: str = "", **kwargs: Any
    ) -> Any:
        """One request that fails (in Locust's figures and the log) unless it answers ``status`` (and,
        for a redirect, to a path starting with ``to``: a POST sent to /login/ saved nothing)."""
        with self.client.request(
            method,
            path,
            name=name or f"{method} {path}",
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as response:
            where = response.headers.get("Location", "") if response.status_code else ""
            if not response.status_code:
                response.failure(f"no answer ({response.error})")
            elif response.status_code != status:
                response.failure(f"answered {response.status_code} {where}, not {status}".replace("  ", " "))
            elif not where.startswith(to):
                response.failure(f"sent to {where}, not {to}")
            else:
                response.success()
                return response
            return None


class Runner(SignedIn):
    fixed_count = int(os.environ.get("BACKSTRIDE_LOAD_RUNNERS", "1"))

    def on_start(self) -> None:
        runners = ACCOUNTS["runners"]
        self.account = (
            ACCOUNTS["baseline_runner"] if BASELINE else runners[next(_runner_numbers) % len(runners)]
        )
        self.uploads = 0
        self.rng = random.Random(self.account["id"])
        self.sign_in(self.account["username"])

    @task(4)
    def dashboard(self) -> None:
        self.expect("GET", "/today/", 200)

    @task(2)
    def check_in(self) -> None:
        self.expect("GET", "/diary/", 200)
        day = (datetime.now().date() - timedelta(days=self.rng.randrange(7))).isoformat()
        pain = self.rng.choice((0, 1, 1, 2, 2, 3))
        form = {
            "csrfmiddlewaretoken": self.csrf(),
            "day": day,
            "pain_now": str(pain),
            "locations": ["central"],
            "ran": "no",
            **ACCOUNTS["safety_answers"],
        }
        fact(kind="diary_sent", runner=self.account["id"], day=day, pain=pain)
        if self.expect("POST", "/diary/", 302, to="/today/", data=form) is not None:
            fact(kind="diary", runner=self.account["id"], day=day, pain=pain)

    @task(2)
    def plan_tick(self) -> None:
        keys = self.account["plan_keys"]
        if not keys:
            return
        key, day = self.rng.choice(keys), ACCOUNTS["today"]
        form = {"csrfmiddlewaretoken": self.csrf(), "day": day, "key": key, "done": "1", "next": "/plan/"}
        if self.expect("POST", "/plan/done/", 302, to="/plan/", data=form) is not None:
            fact(kind="tick", runner=self.account["id"], day=day, key=key)

    @task(1)
    def upload(self) -> None:
        if self.uploads >= ACCOUNTS["imports_per_runner"]:
            return
        self.uploads += 1
        # Hours back: unique per runner and upload (one process per phase: the baseline runner apart).
        number = self.uploads + (1000 if BASELINE else 0)
        name = f"load-r{self.account['id']}-{number}.gpx"
        files = {"files": (name, shifted_gpx(24 * number), "application/gpx+xml")}
        form = {"csrfmiddlewaretoken": self.csrf()}
        response = self.expect("POST", "/activities/upload/", 302, to="/imports/", data=form, files=files)
        if response is None:
            return
        job = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        fact(kind="import", runner=self.account["id"], job=job, file=name)
        self.expect("GET", f"/imports/{job}/", 200, name="GET /imports/<id>/")


class Clinician(SignedIn):
    fixed_count = int(os.environ.get("BACKSTRIDE_LOAD_CLINICIANS", "0"))

    def on_start(self) -> None:
        clinicians = ACCOUNTS["clinicians"]
        self.account = clinicians[next(_clinician_numbers) % len(clinicians)]
        self.rng = random.Random(-self.account["id"])
        self.sign_in(self.account["username"])

    @task(2)
    def caseload(self) -> None:
        self.expect("GET", "/caseload/", 200)

    @task(2)
    def timeline(self) -> None:
        if "timeline" in ACCOUNTS["clinician_pages"] and self.account["runner_ids"]:
            runner = self.rng.choice(self.account["runner_ids"])
            self.expect("GET", f"/caseload/{runner}/", 200, name="GET /caseload/<id>/")

    @task(1)
    def report(self) -> None:
        if "report" in ACCOUNTS["clinician_pages"] and self.account["runner_ids"]:
            runner = self.rng.choice(self.account["runner_ids"])
            self.expect("GET", f"/caseload/{runner}/report/", 200, name="GET /caseload/<id>/report/")

    @task(1)
    def plan(self) -> None:
        if "plan" in ACCOUNTS["clinician_pages"] and self.account["runner_ids"]:
            runner = self.rng.choice(self.account["runner_ids"])
            self.expect("GET", f"/caseload/{runner}/plan/", 200, name="GET /caseload/<id>/plan/")
