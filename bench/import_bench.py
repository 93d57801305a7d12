"""Import speed against baselines measured in the same run, and peak memory on a 1 GB export.

Imports every file in ../shared/data/activities/{fit,gpx,tcx} into a fresh SQLite database (end to
end: read, decompress, parse, summarise, deduplicate, store; the activities are deleted between
runs) and times, in the same run:
- our FIT decoder alone (`decode_fast` on the same files already in memory, one process, best of 3):
  the end-to-end import should run at >= 60% of its speed;
- fitdecode decoding the same FIT files, sequentially, with default settings (timed once: it takes
  half a minute): the import should be >= 30x faster in every run.
GPX + TCX should import at >= 30 MB/s. Then checks every stored FIT activity against fitdecode's
session totals (distance within 0.5%, timer time within 2 s), and imports a generated ~1 GB export
(copies of the shared files in a temp folder, deleted after) with `backstride import` in a child
process, printing the peak resident memory of that process and its workers together.

    .venv/bin/python bench/import_bench.py [--runs 3] [--workers N] [--export-mb 1000]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "activities"
GOAL_SHARE_OF_DECODER = 0.60
GOAL_FITDECODE_RATIO = 30.0
GOAL_XML_MB_S = 30.0
GOAL_EXPORT_PEAK_MB = 1024.0  # bounded: under the export's own size, whatever that size


def fit_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def baseline_fitdecode(paths: list[Path]) -> float:
    import fitdecode

    started = time.perf_counter()
    for path in paths:
        try:
            with fitdecode.FitReader(io.BytesIO(fit_bytes(path))) as reader:
                for _frame in reader:
                    pass
        except Exception:  # the baseline decodes what it can, as our importer does
            pass
    return time.perf_counter() - started


def decoder_alone(paths: list[Path], repeat: int = 3) -> float:
    """Our FIT decoder on the same files, bytes already in memory, one process: best of `repeat`."""
    from backstride.importers.fit import decode_fast

    files = [fit_bytes(path) for path in paths]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for data in files:
            with contextlib.suppress(Exception):
                decode_fast(data)
        best = min(best, time.perf_counter() - started)
    return best


def sessions_by_fitdecode(path: Path) -> list[tuple[object, float | None, float | None]]:
    import fitdecode

    sessions = []
    try:
        with fitdecode.FitReader(io.BytesIO(fit_bytes(path))) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                    distance = frame.get_value("total_distance", fallback=None)
                    timer = frame.get_value("total_timer_time", fallback=None)
                    sessions.append((frame.get_value("start_time", fallback=None), distance, timer))
    except Exception:
        pass
    return sessions


def agreement(user: object) -> tuple[int, int]:
    from backstride.storage.models import Activity

    checked = agree = 0
    for activity in Activity.objects.filter(owner=user, source_format="fit").order_by("id"):
        # Match by start time: transition legs of multisport files are not imported as activities.
        sessions = [
            (distance, timer)
            for start, distance, timer in sessions_by_fitdecode(Path(activity.source_file))
            if isinstance(start, datetime)
            and abs((start.replace(tzinfo=start.tzinfo or UTC) - activity.start_time).total_seconds()) <= 1
        ]
        if not sessions:
            continue
        distance, timer = sessions[0]
        if distance is None or timer is None or activity.distance_m is None or activity.moving_time_s is None:
            continue
        checked += 1
        close_distance = abs(activity.distance_m - distance) <= 0.005 * max(distance, 1.0)
        close_time = abs(activity.moving_time_s - timer) <= 2
        agree += close_distance and close_time
        if not (close_distance and close_time):
            print(
                f"  disagrees: {activity.source_file}: {activity.distance_m:.1f} m / "
                f"{activity.moving_time_s:.1f} s vs fitdecode {distance:.1f} m / {timer:.1f} s"
            )
    return agree, checked


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def build_export(folder: Path, megabytes: int) -> tuple[int, int]:
    """Copies of the shared FIT, GPX and TCX files, in subfolders, up to `megabytes`: (files, bytes)."""
    sources = [p for kind in ("fit", "gpx", "tcx") for p in sorted((DATA / kind).iterdir()) if p.is_file()]
    files = size = 0
    copy = 0
    while size < megabytes * 1_000_000:
        target = folder / f"copy-{copy:03d}"
        target.mkdir()
        for source in sources:
            shutil.copyfile(source, target / source.name)
            files += 1
            size += source.stat().st_size
        copy += 1
    return files, size


def _tree_rss_kb(root: int) -> int:
    """Resident memory of process `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


class _PeakSampler:
    """Samples the resident memory of process `root` and its descendants every 0.2 s until stopped."""

    def __init__(self, root: int) -> None:
        self.root, self.peak_kb = root, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(0.2):
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.root))

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


def export_peak(megabytes: int, workers: int | None) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="backstride-export-"))
    try:
        export = scratch / "export"
        export.mkdir()
        files, size = build_export(export, megabytes)
        command = [sys.executable, "-m", "backstride.cli", "--db", f"sqlite:///{scratch / 'x.sqlite3'}"]
        env = {key: value for key, value in os.environ.items() if key != "BACKSTRIDE_DB"}
        env["BACKSTRIDE_DATA_DIR"] = str(scratch)
        args = [*command, "import", str(export), "--format", "json"]
        if workers:
            args += ["--workers", str(workers)]
        started = time.perf_counter()
        child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sampler = _PeakSampler(child.pid)
        child.wait()
        sampler.stop()
        seconds = time.perf_counter() - started
        peak_mb = sampler.peak_mb
        print(
            f"{size / 1e6:.0f} MB export ({files} files, copies of the shared ones) in {seconds:.1f} s "
            f"({size / 1e6 / seconds:.1f} MB/s; exit status {child.returncode}: 1 = some files were not "
            f"imported: an undated FIT file of the shared set, in each copy): peak RSS of the import and its "
            f"workers {peak_mb:.0f} MB (goal: bounded, under {GOAL_EXPORT_PEAK_MB:.0f} MB): "
            f"{met(peak_mb < GOAL_EXPORT_PEAK_MB)}"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3, help="end-to-end imports (each into an empty table)")
    parser.add_argument("--export-mb", type=int, default=1000, help="size of the generated export; 0: skip")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # fitdecode warns about odd field sizes in some real files
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    print(f"load average before: {load()} ({os.cpu_count()} cores)")
    scratch = Path(tempfile.mkdtemp(prefix="backstride-bench-"))
    os.environ["BACKSTRIDE_DATA_DIR"] = str(scratch)
    os.environ["BACKSTRIDE_DB"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT / "src"))
    from backstride import bootstrap

    bootstrap.setup()
    import resource

    from backstride.services.imports import import_paths
    from backstride.services.users import local_user
    from backstride.storage.models import Activity

    fit_files = sorted(p for p in (DATA / "fit").iterdir() if p.is_file())
    xml_files = [p for folder in ("gpx", "tcx") for p in sorted((DATA / folder).iterdir()) if p.is_file()]
    fit_mb = sum(p.stat().st_size for p in fit_files) / 1e6
    xml_mb = sum(p.stat().st_size for p in xml_files) / 1e6
    base_s = baseline_fitdecode(fit_files)
    decoder_s = decoder_alone(fit_files)
    print(f"FIT files: {len(fit_files)}, {fit_mb:.1f} MB")
    print(f"  baseline fitdecode (sequential, once): {base_s:.2f} s  {fit_mb / base_s:.2f} MB/s")
    print(f"  our decoder alone (one process, best of 3): {decoder_s:.2f} s  {fit_mb / decoder_s:.1f} MB/s")
    print(f"GPX+TCX files: {len(xml_files)}, {xml_mb:.1f} MB")

    user = local_user()
    all_met = True
    tree_peak = _PeakSampler(os.getpid())
    for run in range(1, args.runs + 1):
        Activity.objects.filter(owner=user).delete()
        started = time.perf_counter()
        fit_report = import_paths(user, [DATA / "fit"], workers=args.workers)
        fit_s = time.perf_counter() - started
        started = time.perf_counter()
        xml_report = import_paths(user, [DATA / "gpx", DATA / "tcx"], workers=args.workers)
        xml_s = time.perf_counter() - started
        share, ratio, xml_speed = decoder_s / fit_s, base_s / fit_s, xml_mb / xml_s
        goals = (
            share >= GOAL_SHARE_OF_DECODER,
            ratio >= GOAL_FITDECODE_RATIO,
            xml_speed >= GOAL_XML_MB_S,
        )
        all_met = all_met and all(goals)
        print(
            f"run {run}: FIT end to end {fit_s:.2f} s {fit_mb / fit_s:.1f} MB/s = {share:.0%} of the decoder "
            f"alone (goal >= {GOAL_SHARE_OF_DECODER:.0%}: {met(goals[0])}), {ratio:.1f}x fitdecode "
            f"(goal >= {GOAL_FITDECODE_RATIO:.0f}x: {met(goals[1])}); GPX+TCX {xml_s:.2f} s "
            f"{xml_speed:.1f} MB/s (goal >= {GOAL_XML_MB_S:.0f}: {met(goals[2])})"
        )
        print(
            f"  imported {fit_report['imported']} FIT, duplicates {fit_report['skipped_duplicates']}, "
            f"not imported {len(fit_report['failed'])}; GPX+TCX imported {xml_report['imported']}, "
            f"duplicates {xml_report['skipped_duplicates']}, not imported {len(xml_report['failed'])}"
        )
    tree_peak.stop()
    agree, checked = agreement(user)
    print(f"agreement with fitdecode session totals: {agree}/{checked} activities")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak RSS during the runs: this process and its workers together {tree_peak.peak_mb:.0f} MB "
        f"(this process alone, whole bench: {own:.0f} MB)"
    )
    print(f"speed goals in every run: {met(all_met)}")
    if args.export_mb:
        export_peak(args.export_mb, args.workers)
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
