"""Throughput of the FIT importer: `parse_fit` (fast decoder) vs fitdecode, on every shared FIT file.

    .venv/bin/python bench/fit_decode_bench.py [--repeat N]

Both are measured in the same run on the same (already gunzipped, in-memory) bytes. "fitdecode" is a
plain FitReader pass over all frames (what an importer built on it would at least pay); "parse_fit"
is the whole importer: decoding plus building the ParsedActivity objects.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import time
import warnings
from pathlib import Path

import fitdecode

from backstride.core.activity import ActivityFileError
from backstride.importers.fit import decode_fast, last_decoder_used, parse_fit

FIT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "activities" / "fit"


def load() -> dict[str, bytes]:
    files = {}
    for path in sorted(FIT_DIR.iterdir()):
        data = path.read_bytes()
        files[path.name] = gzip.decompress(data) if path.name.endswith(".gz") else data
    return files


def run_parse_fit(files: dict[str, bytes]) -> None:
    for data in files.values():
        with contextlib.suppress(ActivityFileError):
            parse_fit(data)


def run_decode_fast(files: dict[str, bytes]) -> None:
    for data in files.values():
        with contextlib.suppress(Exception):
            decode_fast(data)


def run_fitdecode(files: dict[str, bytes]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for data in files.values():
            try:
                with fitdecode.FitReader(
                    io.BytesIO(data),
                    check_crc=fitdecode.CrcCheck.WARN,
                    error_handling=fitdecode.ErrorHandling.RAISE,
                ) as reader:
                    for _frame in reader:
                        pass
            except fitdecode.FitError:
                pass


def best_of(fn, files: dict[str, bytes], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(files)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs for the fast paths")
    args = parser.parse_args()
    files = load()
    megabytes = sum(len(d) for d in files.values()) / 1e6
    paths = [last_decoder_used(d) for d in files.values()]
    fast, fallback = paths.count("fast"), paths.count("fitdecode")
    print(f"{len(files)} files, {megabytes:.1f} MB: fast path {fast}, fallback {fallback}")
    run_parse_fit(files)  # warm-up (definition cache, fitdecode profile import for device names)
    t_fast = best_of(run_parse_fit, files, args.repeat)
    t_decode = best_of(run_decode_fast, files, args.repeat)
    t_fitdecode = best_of(run_fitdecode, files, 1)
    print(f"parse_fit    {megabytes / t_fast:7.1f} MB/s  ({t_fast:6.2f} s)")
    print(f"decode_fast  {megabytes / t_decode:7.1f} MB/s  ({t_decode:6.2f} s)  (decoder only)")
    print(f"fitdecode    {megabytes / t_fitdecode:7.1f} MB/s  ({t_fitdecode:6.2f} s)")
    print(f"ratio parse_fit / fitdecode: {t_fitdecode / t_fast:.1f}x")


if __name__ == "__main__":
    main()
