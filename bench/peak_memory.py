"""Peak memory for the benchmarks' reports (issue 17: every benchmark prints it)."""

from __future__ import annotations

import resource
from pathlib import Path


def own_peak_mb() -> float:
    """This process's peak resident set (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_tree_peaks_mb(pid: int) -> list[float]:
    """The peak resident set (VmHWM) of a running process and of each process under it, parent first;
    empty when /proc cannot tell (the process is gone, or not Linux). Read before the process ends."""
    peaks: list[float] = []
    pending = [pid]
    while pending:
        current = pending.pop(0)
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return peaks


def describe_tree(peaks: list[float]) -> str:
    """ "212 MB" for one process, "180 MB (main) + 2 more: 150, 149 MB" for a tree."""
    if not peaks:
        return "not known (/proc unreadable)"
    if len(peaks) == 1:
        return f"{peaks[0]:.0f} MB"
    rest = ", ".join(f"{peak:.0f}" for peak in peaks[1:])
    return f"{peaks[0]:.0f} MB (main) + {len(peaks) - 1} more: {rest} MB"
