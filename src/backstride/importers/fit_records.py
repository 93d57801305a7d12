"""FIT record messages -> compact columns, a chunk at a time.

The decoders hand every raw record (a tuple of REC_SLOTS raw values, see fit_profile) to
`RecordColumns`, which keeps at most CHUNK of them as Python objects: each full chunk is turned into
scaled columns and appended to arrays of C doubles (8 bytes a value, NaN when missing). A 150 MB FIT
file of 5.5 million records therefore never becomes 5.5 million tuples (about 300 bytes each).

Rules applied per record (as `fit.py` documents): records without a timestamp, or stamped later than
a week from now (garbage), are not samples; enhanced altitude and speed win over the plain fields
record by record; compressed speed/distance fills speed and distance where the plain fields are
missing (its 12-bit distance accumulates across chunks); cadence gets its fractional part.

Bounded: past `sample_cap(file size)` usable records (at most MAX_SAMPLES, 11.5 days at one per
second; the largest real file in the corpus has 100,000) the columns are thinned to every 2nd record,
then every 4th..., always keeping the first and the last. Totals come from the device summary or the
cumulative distance, which thinning does not change; climbing and moving time computed from samples
see the thinned series.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Iterator, Sequence
from itertools import repeat
from operator import sub, truediv
from typing import Any

from backstride.core.activity import MAX_SAMPLES, MISSING, sample_cap
from backstride.importers import fit_profile as P

CHUNK = 8192  # raw records held as tuples at once
_DEG_DIV = 2**31 / 180.0  # semicircles -> degrees: value / _DEG_DIV

RawRecord = tuple[Any, ...]


def max_fit_timestamp() -> int:
    """The latest plausible FIT timestamp: a week from now."""
    return int(time.time()) - P.FIT_EPOCH_S + 7 * 86400


def _scaled_column(values: Sequence[Any], div: float, offset: float = 0) -> tuple[list[Any], bool]:
    """(value / div - offset with None kept, whether nothing is missing). Column-wise in C (map) first;
    a None makes that raise TypeError, and the per-value loop takes over."""
    try:
        out: Iterator[Any] = map(truediv, values, repeat(div))
        if offset:
            out = map(sub, out, repeat(offset))
        return list(out), True
    except TypeError:
        return [None if v is None else v / div - offset for v in values], False


def _preferred(first: Sequence[Any], second: Sequence[Any], div: float, offset: float = 0) -> list[Any]:
    """Scaled `first` (enhanced_*), or the scaled `second` where `first` is missing."""
    if first.count(None) == len(first):  # no enhanced field in this chunk (identity checks: cheap)
        return _scaled_column(second, div, offset)[0]
    values, complete = _scaled_column(first, div, offset)
    if complete:
        return values
    fallback, _ = _scaled_column(second, div, offset)
    return [f if f is not None else s for f, s in zip(values, fallback, strict=True)]


def _doubles(values: list[Any]) -> array[float]:
    try:
        return array("d", values)
    except TypeError:  # a None: stored as NaN
        return array("d", [MISSING if v is None else v for v in values])


class RecordColumns:
    """The usable records of one FIT file as columns: `ts` (FIT seconds, ints) and scaled doubles
    (`distance` m, `altitude` m, `speed` m/s, `heart_rate`, `cadence` per leg as written, `lat`/`lon`
    degrees)."""

    NAMES = ("distance", "altitude", "speed", "heart_rate", "cadence", "lat", "lon")

    def __init__(
        self, max_samples: int | None = None, max_ts: int | None = None, file_bytes: int | None = None
    ) -> None:
        self.pending: list[RawRecord] = []  # the decoders append here; `flush` empties it in place
        self.raw_count = 0  # records seen, usable or not
        if max_samples is None:
            max_samples = MAX_SAMPLES if file_bytes is None else min(MAX_SAMPLES, sample_cap(file_bytes))
        self.max_samples = max_samples
        self.max_ts = max_fit_timestamp() if max_ts is None else max_ts
        self.ts: array[int] = array("q")
        self.distance: array[float] = array("d")
        self.altitude: array[float] = array("d")
        self.speed: array[float] = array("d")
        self.heart_rate: array[float] = array("d")
        self.cadence: array[float] = array("d")
        self.lat: array[float] = array("d")
        self.lon: array[float] = array("d")
        self.stride = 1  # every stride-th usable record is kept
        self._usable = 0  # usable records seen
        self._csd_accumulated = 0
        self._last: tuple[Any, ...] | None = None  # the last usable record, when thinning skipped it
        self._finished = False

    def __len__(self) -> int:
        return len(self.ts)

    def append(self, record: RawRecord) -> None:
        self.pending.append(record)
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        records = self.pending
        if not records:
            return
        self.raw_count += len(records)
        try:
            clean = min(r[0] for r in records) >= 0 and max(r[0] for r in records) <= self.max_ts
        except TypeError:  # a None
            clean = False
        if not clean:
            hi = self.max_ts
            records = [r for r in records if r[0] is not None and 0 <= r[0] <= hi]
        if records:
            self._add(records)
        self.pending.clear()  # in place: the decoder appends to this same list

    def _add(self, records: list[RawRecord]) -> None:
        (ts, lat, lon, alt, ealt, hr, cad, frac, dist, speed, espeed, csd) = zip(*records, strict=True)
        altitude = _preferred(ealt, alt, 5, 500)
        speeds = _preferred(espeed, speed, 1000)
        distance, _ = _scaled_column(dist, 100)
        if any(csd):
            self._expand_compressed(csd, speeds, distance)
        cadence: list[Any]
        if not any(frac):  # no fractional part anywhere (None or 0)
            cadence, _ = _scaled_column(cad, 1)
        else:
            cadence = [
                None if c is None else (c / 1 if f is None else c + f / 128)
                for c, f in zip(cad, frac, strict=True)
            ]
        columns = (
            distance,
            altitude,
            speeds,
            _scaled_column(hr, 1)[0],
            cadence,
            _scaled_column(lat, _DEG_DIV)[0],
            _scaled_column(lon, _DEG_DIV)[0],
        )
        count = len(ts)
        while len(self.ts) + -(-count // self.stride) > self.max_samples:
            self._thin()
        first = (-self._usable) % self.stride  # the first record here whose usable index is a multiple
        self._usable += count
        self.ts.extend(ts[first :: self.stride])
        for name, column in zip(self.NAMES, columns, strict=True):
            getattr(self, name).extend(_doubles(column[first :: self.stride]))
        kept_last = (count - 1 - first) % self.stride == 0 and first < count
        self._last = None if kept_last else (ts[-1], *(column[-1] for column in columns))

    def _expand_compressed(self, csd: Sequence[Any], speeds: list[Any], distance: list[Any]) -> None:
        """compressed_speed_distance: 12 bits of speed (/100) and 12 bits of distance (/16) that wrap,
        accumulated over the whole file."""
        accumulated = self._csd_accumulated
        for i, c in enumerate(csd):
            if c is None:
                continue
            raw_speed = c[0] | ((c[1] & 0x0F) << 8)
            raw_dist = (c[1] >> 4) | (c[2] << 4)
            base = raw_dist + (accumulated & ~0xFFF)
            if raw_dist < (accumulated & 0xFFF):
                base += 0x1000
            accumulated = base
            if speeds[i] is None:
                speeds[i] = raw_speed / 100
            if distance[i] is None:
                distance[i] = accumulated / 16
        self._csd_accumulated = accumulated

    def _thin(self) -> None:
        """Keep every other kept record (usable indices that are multiples of 2 x stride)."""
        self.stride *= 2
        self.ts = self.ts[::2]
        for name in self.NAMES:
            setattr(self, name, getattr(self, name)[::2])

    def finish(self) -> RecordColumns:
        """Flush what is pending and add the last usable record if thinning skipped it. Idempotent."""
        if not self._finished:
            self.flush()
            if self._last is not None:
                self.ts.append(self._last[0])
                for name, value in zip(self.NAMES, self._last[1:], strict=True):
                    getattr(self, name).append(MISSING if value is None else value)
            self._finished = True
        return self
