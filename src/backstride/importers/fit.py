"""FIT activity importer: `parse_fit(data)` turns the bytes of a (gunzipped) FIT file into one
`ParsedActivity` per session.

Decoding lives in `fit_decode` (our fast decoder, `fitdecode` as the fallback); both give the same raw
form, and the one builder here makes activities from it, so the fast path and the fallback give
identical activities on files both can read. A damaged file keeps what was read before the damage and
its activities are flagged `partial`. A wrong CRC on the first (or only) file is ignored when the file
decodes cleanly.
"""

from __future__ import annotations

import bisect
import logging
from array import array
from datetime import UTC, datetime
from itertools import repeat
from operator import sub, truediv
from typing import Any, TypeGuard

from backstride.core.activity import (
    MISSING,
    ActivityFileError,
    Channel,
    DeviceSummary,
    NotAnActivity,
    ParsedActivity,
    Samples,
)
from backstride.importers import fit_profile as P
from backstride.importers.fit_decode import (
    Decoded,
    Part,
    RawMessage,
    Unsupported,
    decode_fast,
    decode_fitdecode,
)
from backstride.importers.fit_records import RecordColumns, max_fit_timestamp

__all__ = ["decode_fast", "decode_fitdecode", "parse_fit"]

_log = logging.getLogger(__name__)

_UTC = UTC


def _to_datetime(fit_ts: int) -> datetime:
    return datetime.fromtimestamp(fit_ts + P.FIT_EPOCH_S, tz=_UTC)


def _plausible_ts(fit_ts: Any) -> TypeGuard[int]:
    """A FIT timestamp no later than a week from now (garbage values fail; system time passes)."""
    return isinstance(fit_ts, int) and 0 <= fit_ts <= _max_ts()


def _sport_names(sport: Any, sub_sport: Any) -> tuple[str, str | None]:
    name = P.SPORT_MAP.get(sport, "other") if isinstance(sport, int) else "other"
    sub = P.SUB_SPORT_MAP.get(sub_sport) if isinstance(sub_sport, int) else None
    return name, sub


_DEVICE_NAMES: dict[tuple[Any, Any, Any], str | None] = {}


def _device_name(file_id: RawMessage | None) -> str | None:
    if file_id is None:
        return None
    manufacturer = file_id.get(P.FILE_ID_MANUFACTURER)
    product = file_id.get(P.FILE_ID_PRODUCT)
    product_name = file_id.get(P.FILE_ID_PRODUCT_NAME)
    key = (manufacturer, product, product_name)
    if key in _DEVICE_NAMES:
        return _DEVICE_NAMES[key]
    words: list[str] = []
    try:
        from fitdecode import profile

        enums = {name: ft.enum for name, ft in profile.FIELD_TYPES.items() if ft.enum}
    except Exception:  # pragma: no cover - fitdecode is a dependency; names are a nicety
        enums = {}
    if isinstance(manufacturer, int) and manufacturer != 0:
        words.append(str(enums.get("manufacturer", {}).get(manufacturer, manufacturer)))
    if isinstance(product_name, str) and product_name.strip():
        words.append(product_name.strip())
    elif isinstance(product, int) and product != 0:
        if manufacturer in P.GARMIN_PRODUCT_MANUFACTURERS:
            words.append(str(enums.get("garmin_product", {}).get(product, product)))
        else:
            words.append(str(product))
    name = " ".join(words) or None
    _DEVICE_NAMES[key] = name
    return name


def _utc_offset(activity: RawMessage | None) -> int | None:
    if not activity:
        return None
    local, utc = activity.get(P.ACTIVITY_LOCAL_TIMESTAMP), activity.get(P.FIELD_TIMESTAMP)
    if not isinstance(local, int) or not isinstance(utc, int):
        return None
    offset = round((local - utc) / 900) * 900
    return offset if abs(offset) <= 14 * 3600 else None


def _scaled(msg: RawMessage, num: int, scale: float) -> float | None:
    value = msg.get(num)
    return None if value is None else value / scale


def _summary(session: RawMessage, stride_sport: bool) -> DeviceSummary:
    cadence = session.get(P.SESSION_AVG_CADENCE)
    avg_cadence: float | None = None
    if cadence is not None:
        avg_cadence = cadence + session.get(P.SESSION_AVG_FRACTIONAL_CADENCE, 0) / 128
        if stride_sport:
            avg_cadence *= 2
    return DeviceSummary(
        distance_m=_scaled(session, P.SESSION_TOTAL_DISTANCE, 100),
        elapsed_time_s=_scaled(session, P.SESSION_TOTAL_ELAPSED_TIME, 1000),
        timer_time_s=_scaled(session, P.SESSION_TOTAL_TIMER_TIME, 1000),
        moving_time_s=_scaled(session, P.SESSION_TOTAL_MOVING_TIME, 1000),
        ascent_m=_scaled(session, P.SESSION_TOTAL_ASCENT, 1),
        descent_m=_scaled(session, P.SESSION_TOTAL_DESCENT, 1),
        avg_heart_rate_bpm=_scaled(session, P.SESSION_AVG_HEART_RATE, 1),
        avg_cadence_spm=avg_cadence,
        calories=_scaled(session, P.SESSION_TOTAL_CALORIES, 1),
    )


def _max_ts() -> int:
    return max_fit_timestamp()


def _samples(cols: RecordColumns, idx: array[int] | None, start: int, stride: bool, gps: bool) -> Samples:
    """The samples of one session: all of `cols` (handed over, not copied) or those at `idx`.
    Column-wise in C (map over arrays): no Python frame per value."""

    def pick(values: array[float]) -> array[float]:
        return values if idx is None else array("d", map(values.__getitem__, idx))

    ts = cols.ts if idx is None else array("q", map(cols.ts.__getitem__, idx))
    cadence = pick(cols.cadence)
    if stride:
        cadence = array("d", map(truediv, cadence, repeat(0.5)))  # per leg -> steps/min (NaN stays NaN)
    n = len(ts)
    samples = Samples()
    samples.elapsed_s = Channel(array("d", map(float, map(sub, ts, repeat(start)))))
    samples.distance_m = Channel(pick(cols.distance))
    samples.altitude_m = Channel(pick(cols.altitude))
    samples.speed_mps = Channel(pick(cols.speed))
    samples.heart_rate_bpm = Channel(pick(cols.heart_rate))
    samples.cadence_spm = Channel(cadence)
    samples.latitude = Channel(pick(cols.lat) if gps else array("d", [MISSING]) * n)
    samples.longitude = Channel(pick(cols.lon) if gps else array("d", [MISSING]) * n)
    return samples


def _session_start(session: RawMessage) -> int | None:
    start = session.get(P.SESSION_START_TIME)
    if _plausible_ts(start):
        return int(start)
    end, elapsed = session.get(P.FIELD_TIMESTAMP), session.get(P.SESSION_TOTAL_ELAPSED_TIME)
    if _plausible_ts(end) and isinstance(elapsed, int):
        start = int(end - round(elapsed / 1000))
        return start if _plausible_ts(start) else None
    return None


def _system_time_shift(part: Part, first_start: int) -> int:
    """Old devices (FR405 era) wrote "system time" (seconds since power-up, < 0x10000000) instead of UTC.
    The activity message's local_timestamp then dates them: shift everything to that local time."""
    if first_start >= P.FIT_MIN_DATETIME or not part.activity:
        return 0
    local, ts = part.activity.get(P.ACTIVITY_LOCAL_TIMESTAMP), part.activity.get(P.FIELD_TIMESTAMP)
    if (
        _plausible_ts(local)
        and local >= P.FIT_MIN_DATETIME
        and isinstance(ts, int)
        and ts < P.FIT_MIN_DATETIME
    ):
        return int(local - ts)
    return 0


def _part_activities(part: Part, device: str | None) -> list[ParsedActivity]:
    cols = part.records.finish()
    utc_offset = _utc_offset(part.activity)
    default_sport = part.sports[0] if part.sports else {}
    # When a session says nothing about its start: first record, then the activity message, then file_id.
    fallback: int | None = cols.ts[0] if cols.ts else None
    for msg, num in ((part.activity, P.FIELD_TIMESTAMP), (part.file_id, P.FILE_ID_TIME_CREATED)):
        if fallback is None and msg is not None and _plausible_ts(msg.get(num)):
            fallback = int(msg[num])
    sessions: list[RawMessage] = []
    starts: list[int] = []
    for session in part.sessions:
        start = _session_start(session)
        if start is None:
            start = fallback
        if start is not None:
            sessions.append(session)
            starts.append(start)
    from_session = bool(sessions)
    if not sessions:
        if not cols.ts:
            return []
        sessions = [{}]
        starts = [cols.ts[0]]
    order = sorted(range(len(sessions)), key=lambda i: starts[i])
    sessions = [sessions[i] for i in order]
    starts = [starts[i] for i in order]
    shift = _system_time_shift(part, starts[0])
    if shift:
        starts = [t + shift for t in starts]
        cols.ts = array("q", (t + shift for t in cols.ts))
        utc_offset = None
    # Records go to the session whose start is the latest at or before them (the first takes earlier ones).
    windows: list[array[int] | None]
    if len(sessions) == 1:
        windows = [None]
    else:
        groups: list[array[int]] = [array("q") for _ in sessions]
        for i, t in enumerate(cols.ts):
            groups[max(bisect.bisect_right(starts, t) - 1, 0)].append(i)
        windows = list(groups)
    out: list[ParsedActivity] = []
    for session, start, window in zip(sessions, starts, windows, strict=True):
        sport_num = session.get(P.SESSION_SPORT, default_sport.get(P.SPORT_SPORT))
        if sport_num == P.SPORT_TRANSITION:
            continue
        sub_num = session.get(P.SESSION_SUB_SPORT, default_sport.get(P.SPORT_SUB_SPORT))
        sport, sub_sport = _sport_names(sport_num, sub_num)
        stride = sport in P.STRIDE_SPORTS
        out.append(
            ParsedActivity(
                source_format="fit",
                start_time=_to_datetime(start),
                sport=sport,
                sub_sport=sub_sport,
                utc_offset_s=utc_offset,
                device=device,
                summary=_summary(session, stride) if from_session else DeviceSummary(),
                samples=_samples(cols, window, start, stride, sub_sport not in P.NO_GPS_SUB_SPORTS),
            )
        )
    return out


def _build(decoded: Decoded) -> list[ParsedActivity]:
    activities: list[ParsedActivity] = []
    other_types: list[str] = []
    undated = False
    device: str | None = None
    for part in decoded.parts:
        ftype = part.file_type
        if ftype is not None and ftype != P.FILE_TYPE_ACTIVITY:
            other_types.append(P.FILE_TYPES.get(ftype, f"type {ftype}"))
            continue
        if device is None:
            device = _device_name(part.file_id)
        built = _part_activities(part, device)
        undated = undated or (not built and bool(part.records.raw_count or part.sessions))
        activities.extend(built)
    if decoded.damage is not None:
        if not activities:
            raise ActivityFileError(f"damaged FIT file with nothing usable: {decoded.damage}")
        for activity in activities:
            activity.partial = True
            activity.partial_reason = f"damaged FIT file, kept what was read before: {decoded.damage}"
        return activities
    if not activities:
        if other_types:
            raise NotAnActivity(f"this is a {other_types[0]} FIT file, not an activity")
        if undated:
            raise ActivityFileError("this FIT activity has no timestamps at all: nothing to date it by")
        raise NotAnActivity("this FIT file holds no activity (no records and no session)")
    return activities


def parse_fit(data: bytes, *, decoder: str = "auto") -> list[ParsedActivity]:
    """One ParsedActivity per session of a (gunzipped) FIT file.

    `decoder`: "auto" (fast decoder, fitdecode when it meets something it does not handle), "fast"
    (never fall back; raises ActivityFileError instead) or "fitdecode" (the fallback only).
    Raises NotAnActivity for valid non-activity files, ActivityFileError when nothing is usable.
    """
    if decoder not in ("auto", "fast", "fitdecode"):
        raise ValueError(f"unknown FIT decoder {decoder!r}")
    data = bytes(data)
    if decoder == "fitdecode":
        return _build(decode_fitdecode(data))
    try:
        decoded = decode_fast(data)
    except ActivityFileError:
        raise
    except Unsupported as exc:
        if decoder == "fast" or len(data) > FALLBACK_MAX_BYTES:
            raise ActivityFileError(f"unsupported FIT structure: {exc}{_too_big_for_fallback(data)}") from exc
        return _build(decode_fitdecode(data))
    except Exception as exc:  # a fast-decoder bug must not lose the file: fitdecode reads it instead
        if decoder == "fast":
            raise
        _log.exception("fast FIT decoder failed; falling back to fitdecode")
        if len(data) > FALLBACK_MAX_BYTES:
            raise ActivityFileError(f"could not decode this FIT file{_too_big_for_fallback(data)}") from exc
        return _build(decode_fitdecode(data))
    return _build(decoded)


# fitdecode reads about 0.5 MB/s: past this size the fallback would take minutes, so such a file fails
# with its reason instead (no real file needs the fallback; bench/fit_decode_bench.py counts them).
FALLBACK_MAX_BYTES = 20 * 1024**2


def _too_big_for_fallback(data: bytes) -> str:
    if len(data) <= FALLBACK_MAX_BYTES:
        return ""
    return (
        f" (and at {len(data) / 1024**2:.0f} MB it is too big for the slow decoder: over "
        f"{FALLBACK_MAX_BYTES // 1024**2} MB); export it as GPX or TCX from the device's app and import that"
    )


def last_decoder_used(data: bytes) -> str:
    """Which decoder `parse_fit(data)` uses: "fast" or "fitdecode" (for benchmarks and tests)."""
    try:
        decode_fast(bytes(data))
    except ActivityFileError:
        return "fast"
    except Exception:
        return "fitdecode"
    return "fast"
