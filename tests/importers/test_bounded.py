"""Bounded memory: compact sample channels, FIT records decoded a chunk at a time, thinning past
the sample cap, and (in a child process) the peak memory of big generated FIT and GPX files."""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
from array import array
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import REPO_ROOT

from backstride.core.activity import Channel, Samples
from backstride.core.activity_summary import summarize
from backstride.importers import files, fit_records
from backstride.importers.fit import parse_fit
from backstride.importers.fit_records import CHUNK, RecordColumns

from .filegen import T0, small_fit, write_dense_fit, write_fit, write_gpx


def test_a_channel_stores_doubles_and_reads_none_for_missing() -> None:
    channel = Channel([1.0, None, 3])
    assert channel.values.typecode == "d" and channel.values.itemsize == 8
    assert math.isnan(channel.values[1])
    assert channel == [1.0, None, 3.0] and list(channel) == [1.0, None, 3.0]
    assert channel[1] is None and channel[-1] == 3.0 and channel[1:] == [None, 3.0]
    assert channel == Channel([1, None, 3]) and channel != Channel([1, 2, 3])
    channel.append(None)
    channel[0] = None
    assert channel == [None, None, 3.0, None] and list(channel.known()) == [3.0]


def test_samples_cost_8_bytes_per_reading() -> None:
    samples = Samples()
    for t in range(1000):
        samples.append(float(t), t * 3.0, None, 3.0, 150, 170, 48.0, 11.0)
    assert samples.nbytes() == 8 * 8 * 1000
    samples.distance_m = [1.0] * 1000  # a list given later becomes a channel too
    assert isinstance(samples.distance_m, Channel)


def _record(ts: int | None, metres: float = 0.0) -> tuple[object, ...]:
    return (ts, None, None, None, None, 150, None, None, round(metres * 100), None, None, None)


@pytest.mark.parametrize("count", [1, 99, 100, 101, 1000, 3 * CHUNK + 7])
def test_thinning_keeps_first_last_and_a_regular_stride(count: int) -> None:
    columns = RecordColumns(max_samples=100)
    for i in range(count):
        columns.append(_record(T0 + i, i * 3.0))
    columns.finish()
    kept = [t - T0 for t in columns.ts]
    assert len(kept) <= 101  # at most max_samples, plus the last record
    assert kept[0] == 0 and kept[-1] == count - 1
    stride = columns.stride
    assert stride & (stride - 1) == 0  # a power of two
    assert all(t % stride == 0 for t in kept[:-1])
    assert kept[:-1] == list(range(0, count - 1, stride))[: len(kept) - 1]
    assert columns.distance[-1] == (count - 1) * 3.0  # the cumulative distance at the end is kept
    assert columns.raw_count == count


def test_records_without_a_usable_timestamp_are_not_samples() -> None:
    columns = RecordColumns()
    for ts in (T0, None, T0 + 2, 2**32 - 2, T0 + 4):
        columns.append(_record(ts))
    columns.finish()
    assert list(columns.ts) == [T0, T0 + 2, T0 + 4] and columns.raw_count == 5


def test_a_thinned_fit_keeps_its_totals(monkeypatch: pytest.MonkeyPatch) -> None:
    data = small_fit(5000)
    (full,) = parse_fit(data)
    monkeypatch.setattr(fit_records, "MAX_SAMPLES", 1000)
    (thin,) = parse_fit(data)
    assert len(full.samples) == 5001 and 500 < len(thin.samples) <= 1001
    assert thin.samples.elapsed_s[-1] == 5000 and thin.samples.distance_m[-1] == full.samples.distance_m[-1]
    a, b = summarize(full), summarize(thin)
    assert (a.distance_m, a.moving_time_s) == (b.distance_m, b.moving_time_s)
    assert a.elapsed_time_s == b.elapsed_time_s
    assert isinstance(thin.samples.distance_m.values, array)


# --------------------------------------------------------------------------------------------------
# Peak memory of one big file, measured in a child process (as the importer's workers parse)
# --------------------------------------------------------------------------------------------------

MEASURE = r"""
import json, resource, sys
from backstride.importers import pipeline
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
parsed = pipeline.parse_source(sys.argv[1], sys.argv[1], None)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth": (peak - before) * 1024, "error": parsed.error,
                  "distance": [p.summary.distance_m for p in parsed.parts]}))
"""


def _import_in_a_child(path: Path) -> dict[str, Any]:
    """Peak resident memory above the child's own baseline (Python with the importer loaded), in bytes.
    The child runs under a 2 GB address-space limit: a regression fails the test, not the machine."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")},
        preexec_fn=limit,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_50_mb_fit_stays_under_5_bytes_per_byte(tmp_path: Path) -> None:
    """Before: about 28 bytes per byte (a 150 MB file peaked at 4 GB)."""
    path = tmp_path / "big.fit"
    records = write_fit(path, 50_000_000)
    size = path.stat().st_size
    result = _import_in_a_child(path)
    assert result["error"] is None and result["distance"] == [pytest.approx((records - 1) * 3.0)]
    assert result["growth"] < files.MEMORY_PER_FILE_BYTE * size, result["growth"] / size


def test_a_30_mb_gpx_stays_under_5_bytes_per_byte(tmp_path: Path) -> None:
    """Before: about 9 bytes per byte (the whole tree was built)."""
    path = tmp_path / "big.gpx"
    write_gpx(path, 30_000_000)
    size = path.stat().st_size
    result = _import_in_a_child(path)
    assert result["error"] is None and result["distance"][0] > 100_000
    assert result["growth"] < files.MEMORY_PER_FILE_BYTE * size, result["growth"] / size


def test_a_fit_packed_with_2_byte_records_is_thinned_not_exploded(tmp_path: Path) -> None:
    """The worst case per byte: 3 million 2-byte records in 6 MB. Before: about 150 bytes per byte."""
    path = tmp_path / "dense.fit"
    records = write_dense_fit(path, 6_000_000)
    size = path.stat().st_size
    assert records > 2_900_000
    result = _import_in_a_child(path)
    assert result["error"] is None
    assert result["growth"] < files.MEMORY_PER_FILE_BYTE * size + files.MEMORY_FIXED_BYTES, (
        result["growth"] / size
    )
