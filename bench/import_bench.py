"""Import speed against a baseline measured in the same run.

Imports every valid file in ../shared/data/activities/{fit,gpx,tcx} into a fresh SQLite database
(end to end: read, decompress, parse, summarise, deduplicate, store), and times the baseline:
fitdecode decoding the same FIT files, sequentially, with default settings. Prints files/s, MB/s
and the ratio on the FIT files, then checks every stored FIT activity against fitdecode's session
totals (distance within 0.5%, timer time within 2 s).

    .venv/bin/python bench/import_bench.py [--workers N]
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "activities"


def fit_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def baseline_fitdecode(paths: list[Path]) -> float:
    import io

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


def sessions_by_fitdecode(path: Path) -> list[tuple[object, float | None, float | None]]:
    import io

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # fitdecode warns about odd field sizes in some real files
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="backstride-bench-"))
    os.environ["BACKSTRIDE_DATA_DIR"] = str(scratch)
    os.environ["BACKSTRIDE_DB"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT / "src"))
    from backstride import bootstrap

    bootstrap.setup()
    from backstride.services.imports import import_paths
    from backstride.services.users import local_user
    from backstride.storage.models import Activity

    fit_files = sorted(p for p in (DATA / "fit").iterdir() if p.is_file())
    fit_mb = sum(p.stat().st_size for p in fit_files) / 1e6
    base_s = baseline_fitdecode(fit_files)

    user = local_user()
    started = time.perf_counter()
    fit_report = import_paths(user, [DATA / "fit"], workers=args.workers)
    ours_fit_s = time.perf_counter() - started
    started = time.perf_counter()
    xml_report = import_paths(user, [DATA / "gpx", DATA / "tcx"], workers=args.workers)
    ours_xml_s = time.perf_counter() - started
    xml_files = [p for folder in ("gpx", "tcx") for p in (DATA / folder).iterdir() if p.is_file()]
    xml_mb = sum(p.stat().st_size for p in xml_files) / 1e6

    print(f"FIT files: {len(fit_files)}, {fit_mb:.1f} MB")
    for label, seconds in (
        ("baseline fitdecode (sequential)", base_s),
        ("backstride import (end to end) ", ours_fit_s),
    ):
        print(
            f"  {label}: {seconds:.2f} s  {len(fit_files) / seconds:.1f} files/s  {fit_mb / seconds:.2f} MB/s"
        )
    print(f"  ratio: {base_s / ours_fit_s:.1f}x the baseline")
    print(
        f"  imported {fit_report['imported']}, duplicates {fit_report['skipped_duplicates']}, "
        f"not imported {len(fit_report['failed'])}"
    )
    print(
        f"GPX+TCX files: {len(xml_files)}, {xml_mb:.1f} MB in {ours_xml_s:.2f} s "
        f"({xml_mb / ours_xml_s:.2f} MB/s); "
        f"imported {xml_report['imported']}, not imported {len(xml_report['failed'])}"
    )

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
    print(f"agreement with fitdecode session totals: {agree}/{checked} activities")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
