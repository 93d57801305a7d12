"""The local web server: waitress in a few processes that share one listening socket.

Why processes and not threads: every page is Python work, and the threads of one process take turns
on one interpreter lock, so a slow page holds up the quick ones behind it. Measured with
bench/load.py (20 clients back to back, 10 of them saving diary days, 2 cores): 1 process of 4
threads served 48 requests/s with /today/ p95 636 ms; 2 processes of 1 thread 92 requests/s and
364 ms; 2 of 2 threads 70 requests/s and 700 ms (the lock again). Waitress still reads each request
(an upload too) before a thread sees it, so a slow client never holds a process.

The first process binds the port and only looks after the others: it starts them, starts a new one
if one dies, and stops them all on Ctrl+C or SIGTERM. Each serving process ends itself if the first
one is killed outright (`lifelines.die_with`), so nothing is left holding the port. Where there is
no fork (Windows) one process serves with threads, as before.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from backstride.lifelines import die_with

PROCESSES = 2  # the measured best on 2 cores; more only add memory on a one-person machine
THREADS_ALONE = 4  # one process (no fork): threads, so one slow page does not block the others
QUICK_EXIT_S = 5.0  # a serving process that dies this soon after starting is not restarted again
STOP_WAIT_S = 5.0


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before any process serves (so the port is taken once)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host.strip("[]"), port), family=family, backlog=1024)


def can_fork() -> bool:
    return hasattr(os, "fork")


def serve(
    application: Callable[..., Any],
    sock: socket.socket,
    processes: int,
    before_fork: Callable[[], None],
    **waitress_options: Any,
) -> None:
    """Serve `application` on `sock` until stopped. `before_fork` closes what a child must not share
    (database connections)."""
    from waitress import serve as waitress_serve

    if processes <= 1 or not can_fork():
        waitress_serve(application, sockets=[sock], threads=THREADS_ALONE, **waitress_options)
        return

    def run_child() -> None:
        waitress_serve(application, sockets=[sock], threads=1, **waitress_options)

    before_fork()
    _supervise(processes, run_child)


def _supervise(processes: int, run_child: Callable[[], None]) -> None:
    parent = os.getpid()
    children: dict[int, float] = {}

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:  # the serving process: never returns into the supervisor's code
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the supervisor, which stops us
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                die_with(parent)
                run_child()
            except BaseException:  # a child must exit here, whatever happened, and say why
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children[pid] = time.monotonic()

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(0)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for _ in range(processes):
            spawn()
        while children:
            pid, _status = os.wait()
            started = children.pop(pid, None)
            if started is None:
                continue
            if time.monotonic() - started < QUICK_EXIT_S:
                # Dying at once again and again (a broken setup) would be a busy loop: stop instead.
                print("backstride: a server process stopped at start (see above)", file=sys.stderr)
                raise SystemExit(1)
            spawn()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _stop_all(children)


def _stop_all(children: dict[int, float]) -> None:
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT_S
    while children and time.monotonic() < deadline:
        for pid in list(children):
            with contextlib.suppress(ChildProcessError):
                done, _ = os.waitpid(pid, os.WNOHANG)
                if not done:
                    continue
            children.pop(pid)
        time.sleep(0.05)
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
