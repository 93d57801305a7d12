"""Peak memory of importing one big activity file, against a baseline measured in the same run.

    .venv/bin/python bench/import_memory.py [--sizes 150,300] [--gpx-sizes 150] [--dense-sizes 50]
                                            [--keep DIR]

Generates FIT and GPX runs of the given sizes (MB) in a temporary folder (and "dense" FIT files of
2-byte records, the worst case per byte), then imports each one in a
fresh child process, the way the importer's workers do (`pipeline.parse_source`: read with the size cap,
decompress, parse, check plausibility, summarise). Each child reports its peak resident memory
(`ru_maxrss`) above what it held before the import (Python with the importer loaded). The baseline
is a child that only reads the same file into memory (1 MB per file MB, by definition): the ratio
"x baseline" is the importer's memory per file byte. Children run under an address-space limit (8 GB),
so the bench stays bounded even on code that would run away.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD_ADDRESS_SPACE = 8 * 1024**3

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, path = sys.argv[1], sys.argv[2]
from backstride.importers import pipeline  # loaded before the baseline is taken
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
outcome = ""
try:
    if mode == "read":
        data = Path(path).read_bytes()
        outcome = f"read {len(data)} bytes"
        del data
    else:
        parsed = pipeline.parse_source(path, path, None)
        if parsed.error:
            outcome = parsed.error
        else:
            outcome = "; ".join(
                f"{part.summary.sport} {(part.summary.distance_m or 0) / 1000:.1f} km, "
                f"{(part.summary.elapsed_time_s or 0) / 3600:.0f} h"
                + (" (partial)" if part.activity.partial else "")
                for part in parsed.parts
            )
except MemoryError:
    outcome = "MemoryError"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kb": before, "peak_kb": peak, "seconds": time.perf_counter() - started,
                  "outcome": outcome}))
"""


def _limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))


def measure(mode: str, path: Path) -> dict[str, float | str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path)],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=_limit,
        timeout=1800,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {
            "growth_mb": float("nan"),
            "peak_mb": float("nan"),
            "seconds": 0.0,
            "outcome": f"died: {tail}",
        }
    result = json.loads(lines[-1])
    return {
        "growth_mb": (result["peak_kb"] - result["before_kb"]) / 1024,
        "peak_mb": result["peak_kb"] / 1024,
        "seconds": result["seconds"],
        "outcome": result["outcome"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="150,300", help="FIT sizes in MB (comma-separated)")
    parser.add_argument("--gpx-sizes", default="150", help="GPX sizes in MB (comma-separated)")
    parser.add_argument("--dense-sizes", default="50", help="FIT files of 2-byte records, sizes in MB")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them (default: a temp dir)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # tests.importers.filegen: the same generators the tests use
    from tests.importers.filegen import write_dense_fit, write_fit, write_gpx

    writers = {"fit": write_fit, "gpx": write_gpx, "dense.fit": write_dense_fit}
    cases = [("fit", int(s)) for s in args.sizes.split(",") if s]
    cases += [("gpx", int(s)) for s in args.gpx_sizes.split(",") if s]
    cases += [("dense.fit", int(s)) for s in args.dense_sizes.split(",") if s]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="backstride-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'file':<18} {'MB':>7} {'read (baseline)':>16} {'import peak':>12} {'MB/file MB':>11} "
          f"{'x baseline':>10} {'s':>6}  outcome")  # fmt: skip
    try:
        for kind, megabytes in cases:
            path = folder / f"run-{megabytes}mb.{kind}"
            if not path.exists():
                writers[kind](path, megabytes * 1_000_000)
            size_mb = path.stat().st_size / 1024**2
            base = measure("read", path)
            run = measure("import", path)
            per_mb = float(run["growth_mb"]) / size_mb
            ratio = float(run["growth_mb"]) / max(float(base["growth_mb"]), 1e-9)
            seconds = float(run["seconds"])
            print(f"{path.name:<18} {size_mb:7.1f} {float(base['growth_mb']):13.0f} MB "
                  f"{float(run['growth_mb']):9.0f} MB {per_mb:11.2f} {ratio:10.2f} {seconds:6.1f}"
                  f"  {run['outcome']}")  # fmt: skip
            sys.stdout.flush()
    finally:
        if args.keep is None:
            for file in folder.iterdir():
                file.unlink()
            folder.rmdir()
    started = time.strftime("%Y-%m-%d %H:%M")
    print(f"({started}; peak = ru_maxrss above the child's own baseline after loading the importer)")


if __name__ == "__main__":
    main()
