"""Processes that die with the process they serve.

A child that outlives its parent holds memory and, for a web server, the port; after `kill -9` nothing
tells it. `die_with(pid)` starts a thread that waits for `pid` to exit (a pidfd on Linux 5.3+, else a
poll) and ends this process at once. Used by the importer's worker pool and the web server's processes.
"""

from __future__ import annotations

import os
import select
import threading
import time

POLL_S = 0.5  # without a pidfd: how often the watcher checks that the watched process is still there


def alive(pid: int) -> bool:
    """Whether process `pid` still runs (a killed one not yet reaped, a zombie, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def wait_for_exit(pid: int) -> None:
    """Return once process `pid` has exited (killed or not)."""
    try:
        fd = os.pidfd_open(pid)  # readable once the process has exited
    except (AttributeError, OSError):
        while alive(pid):
            time.sleep(POLL_S)
        return
    try:
        select.select([fd], [], [])
    finally:
        os.close(fd)


def die_with(pid: int) -> None:
    """Exit this process as soon as process `pid` is gone (at once if it already is)."""

    def watch() -> None:
        wait_for_exit(pid)
        os._exit(1)

    if not alive(pid):
        os._exit(1)
    threading.Thread(target=watch, name="die-with", daemon=True).start()
