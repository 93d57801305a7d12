"""FIT importer (backstride.importers.fit) on the shared real files and on FIT bytes built here.

Expected values come from an independent decode with fitdecode (session fields, record timestamps),
not from the importer's helpers. fitdecode reads ~0.5 MB/s, so that reference (a few numbers per file)
is computed in worker processes and kept in pytest's cache (.pytest_cache), keyed by the file's
SHA-256 and the fitdecode version: a cold run takes ~20 s, later runs a few seconds.

Documented rules the comparison relies on:
- records go to the session whose start is the latest at or before them (the first session also takes
  earlier records); a file without sessions gives one activity from its records;
- records without a timestamp (or with one later than next week: garbage) are not samples;
- a session without start_time starts at timestamp - total_elapsed_time, else at the first record, else
  at activity.timestamp, else at file_id.time_created;
- "system time" files (timestamps < 0x10000000, FR70 era) are shifted to activity.local_timestamp;
- transition legs are dropped.
"""

from __future__ import annotations

import concurrent.futures
import functools
import gzip
import hashlib
import io
import json
import os
import random
import struct
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from tests.conftest import SHARED

from backstride.core.activity import SPORTS, SUB_SPORTS, ActivityFileError, NotAnActivity, ParsedActivity
from backstride.importers import fit
from backstride.importers.fit import parse_fit

DATA = SHARED / "data" / "activities"
FIT_DIR = DATA / "fit"
BAD_DIR = DATA / "bad"
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
SYSTEM_TIME_MAX = 0x10000000

# Activity files the importer rejects, and why.
UNDATED = {"fitparse__DeveloperData.fit": "SDK developer-field sample: 3 records, no timestamps, no session"}
# The reference reads with ErrorHandling.WARN: fitparse__coros-pace-2-cycling-misaligned-fields.fit declares
# a uint32 field with size 1, which fitdecode's RAISE mode (the importer's fallback) stops at, WARN mode
# and the fast decoder read as bytes (as the FIT SDK does).
# Files whose record clock jumps (kept as recorded: cleaning elapsed_s is the pipeline's job).
TIME_JUMPS = {"gc__2013-04-11-17-32-50.fit": "14 records stamped 2 years ahead (a device clock glitch)"}
FIT_SPORTS = {"running": "running", "walking": "walking", "hiking": "hiking", "cycling": "cycling"}
FIT_SPORTS |= {"e_biking": "cycling", "swimming": "swimming"}

# A small, varied set for "fast path == fitdecode path": big-endian, compressed timestamps, compressed
# speed/distance, chained files, developer fields, multisport, gzip, summary-first, no session.
SAME_PATH_FILES = [
    "fitparse__Activity.fit",
    "fitparse__antfs-dump.63.fit",
    "fitparse__compressed-speed-distance.fit",
    "fitparse__activity-settings.fit",
    "fitparse__elemnt-bolt-no-application-id-inside-developer-data-id.fit",
    "muktihari__activity_multisport.fit",
    "muktihari__TestEncode.fit",
    "muktihari__activity_truncated.fit",
    "gc__GarminHRMswim.FIT",
    "gc__Morning_Swim.fit",
    "gap__12866632127.fit.gz",
    "gofit__unterminated-strings.fit",
    "gpsbabel__garmin-vivosmart-hr.fit",
    "sportstracker__Garmin_Fenix_6S_Pro-Running.fit",
    "al2__920xt-run.fit",
]


def _load(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


@functools.cache
def _manifest() -> dict[str, dict[str, Any]]:
    entries = json.loads((DATA / "manifest.json").read_text())
    return {Path(e["file"]).name: e for e in entries}


def _fit_files() -> list[str]:
    # Listed at collection time; if shared/ is missing, one bogus name makes the tests fail, not skip.
    if not FIT_DIR.is_dir():
        return ["<shared/data/activities/fit is missing>"]
    return sorted(p.name for p in FIT_DIR.iterdir())


def _bad_fits() -> list[str]:
    if not BAD_DIR.is_dir():
        return ["<shared/data/activities/bad is missing>"]
    return sorted(p.name for p in BAD_DIR.iterdir() if p.suffix == ".fit")


def test_shared_data_is_there() -> None:
    assert FIT_DIR.is_dir(), f"missing {FIT_DIR}"
    # Exactly the files the manifest lists (139 FIT files, 9 of them in bad/ being .fit).
    listed = {e["file"] for e in _manifest().values()}
    assert {f"fit/{p.name}" for p in FIT_DIR.iterdir()} == {f for f in listed if f.startswith("fit/")}
    assert [f"bad/{n}" for n in _bad_fits()] == sorted(
        f for f in listed if f.startswith("bad/") and f.endswith(".fit")
    )
    assert (len(list(FIT_DIR.iterdir())), len(_bad_fits())) == (139, 9)


# --------------------------------------------------------------------------------------------------
# The fitdecode reference
# --------------------------------------------------------------------------------------------------


def _runs(stamps: list[int | None]) -> list[list[Any]]:
    """Record timestamps as [first, step, count] runs (keeps the cached reference small)."""
    runs: list[list[Any]] = []
    for t in stamps:
        if runs:
            start, step, count = runs[-1]
            if t is None and start is None:
                runs[-1][2] += 1
                continue
            if t is not None and start is not None and (count == 1 or t == start + step * count):
                runs[-1][1:] = [t - start if count == 1 else step, count + 1]
                continue
        runs.append([t, 0, 1])
    return runs


def _stamps(runs: list[list[Any]]) -> list[int | None]:
    return [None if start is None else start + step * k for start, step, count in runs for k in range(count)]


def _reference(path_str: str) -> dict[str, Any]:
    """What fitdecode says about one file: per part, its type, sessions, record timestamps, activity."""
    data = _load(Path(path_str))
    parts: list[dict[str, Any]] = []
    error = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with fitdecode.FitReader(
                io.BytesIO(data),
                check_crc=fitdecode.CrcCheck.WARN,
                error_handling=fitdecode.ErrorHandling.WARN,
                processor=None,
            ) as reader:
                for frame in reader:
                    if isinstance(frame, fitdecode.FitHeader):
                        parts.append({"type": None, "sessions": [], "records": [], "activity": None})
                    if not isinstance(frame, fitdecode.FitDataMessage):
                        continue
                    raw = {
                        f.def_num: f.raw_value
                        for f in frame.fields
                        if f.def_num is not None and not getattr(f.field_def, "is_dev", False)
                    }
                    part = parts[-1]
                    if frame.name == "file_id" and part["type"] is None and "file_id" not in part:
                        part["file_id"] = {"type": raw.get(0), "time_created": raw.get(4)}
                        part["type"] = raw.get(0)
                    elif frame.name == "record":
                        part["records"].append(raw.get(253))
                    elif frame.name == "activity":
                        part["activity"] = {"timestamp": raw.get(253), "local": raw.get(5)}
                    elif frame.name == "session":
                        part["sessions"].append(
                            {
                                "start": raw.get(2),
                                "end": raw.get(253),
                                "sport": frame.get_value("sport", fallback=None),
                                "distance": None if raw.get(9) is None else raw[9] / 100,
                                "timer": None if raw.get(8) is None else raw[8] / 1000,
                                "elapsed": None if raw.get(7) is None else raw[7] / 1000,
                            }
                        )
        except fitdecode.FitError as exc:
            error = str(exc)
    for part in parts:
        part["records"] = _runs(part["records"])
    return {"parts": parts, "error": error}


@pytest.fixture(scope="module")
def references(request: pytest.FixtureRequest) -> dict[str, dict[str, Any]]:
    assert FIT_DIR.is_dir(), f"missing {FIT_DIR}"
    paths = sorted(FIT_DIR.iterdir())
    key = "backstride/fit-reference-v2/" + fitdecode.__version__
    cache = getattr(request.config, "cache", None)  # None under -p no:cacheprovider
    stored: dict[str, Any] = (cache.get(key, {}) if cache is not None else {}) or {}
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    missing = [p for p in paths if stored.get(p.name, {}).get("sha256") != digests[p.name]]
    if missing:
        # Biggest first so the two workers finish together.
        missing.sort(key=lambda p: -p.stat().st_size)
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
            for path, ref in zip(missing, pool.map(_reference, [str(p) for p in missing]), strict=True):
                stored[path.name] = {"sha256": digests[path.name], **ref}
        if cache is not None:
            cache.set(key, stored)
    return stored


def _expected_activities(ref: dict[str, Any]) -> list[dict[str, Any]]:
    """Per expected activity: start (FIT seconds), sport, distance, timer, sample count."""
    out: list[dict[str, Any]] = []
    for part in ref["parts"]:
        if part["type"] not in (None, 4):
            continue
        max_ts = (datetime.now(UTC) + timedelta(days=7) - FIT_EPOCH).total_seconds()
        stamps = [t for t in _stamps(part["records"]) if t is not None and 0 <= t <= max_ts]
        activity = part["activity"] or {}
        fallbacks = [stamps[0] if stamps else None, activity.get("timestamp")]
        fallbacks.append((part.get("file_id") or {}).get("time_created"))
        fallback = next((t for t in fallbacks if t is not None), None)
        sessions = []
        for s in part["sessions"]:
            start = s["start"]
            if start is None and s["end"] is not None and s["elapsed"] is not None:
                start = s["end"] - round(s["elapsed"])
            start = start if start is not None else fallback
            if start is not None:
                sessions.append({**s, "start": start})
        if not sessions:
            if stamps:
                sessions = [{"start": stamps[0], "sport": None, "distance": None, "timer": None}]
            else:
                continue
        sessions.sort(key=lambda s: s["start"])
        shift = 0
        local, utc = activity.get("local"), activity.get("timestamp")
        if sessions[0]["start"] < SYSTEM_TIME_MAX and local and local >= SYSTEM_TIME_MAX and utc is not None:
            shift = local - utc
        starts = [s["start"] for s in sessions]
        counts = [0] * len(sessions)
        for t in stamps:
            k = max([i for i, st in enumerate(starts) if st <= t] or [0])
            counts[k] += 1
        for s, n in zip(sessions, counts, strict=True):
            if s["sport"] != "transition":
                out.append({**s, "start": s["start"] + shift, "n": n})
    return out


# --------------------------------------------------------------------------------------------------
# Every shared FIT file
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", _fit_files())
def test_every_fit_file(name: str, references: dict[str, dict[str, Any]]) -> None:
    entry = _manifest()[name]
    data = _load(FIT_DIR / name)
    if entry["ftype"] not in (None, "activity"):
        with pytest.raises(NotAnActivity, match=f"is a {entry['ftype']} FIT file, not an activity"):
            parse_fit(data)
        return
    if name in UNDATED:
        with pytest.raises(ActivityFileError, match="no timestamps"):
            parse_fit(data)
        return
    activities = parse_fit(data)
    assert activities, name
    for a in activities:
        assert isinstance(a, ParsedActivity)
        assert a.source_format == "fit"
        assert a.sport in SPORTS and (a.sub_sport is None or a.sub_sport in SUB_SPORTS)
        assert a.start_time.tzinfo is not None and a.start_time.utcoffset() == timedelta(0)
        assert not a.partial, a.partial_reason
        n = len(a.samples)
        assert all(len(ch) == n for ch in vars(a.samples).values())
        if name not in TIME_JUMPS:
            assert all(-86400 < t < 5 * 86400 for t in a.samples.elapsed_s)
        assert all(lat is None or -90 <= lat <= 90 for lat in a.samples.latitude)
        assert all(lon is None or -180 <= lon <= 180 for lon in a.samples.longitude)
        if a.utc_offset_s is not None:
            assert a.utc_offset_s % 900 == 0 and abs(a.utc_offset_s) <= 14 * 3600

    ref = references[name]
    assert ref["error"] is None, ref["error"]
    expected = _expected_activities(ref)
    assert len(activities) == len(expected)
    for a, e in zip(activities, expected, strict=True):
        assert a.start_time == FIT_EPOCH + timedelta(seconds=e["start"])
        if e["sport"] is not None:
            assert a.sport == FIT_SPORTS.get(e["sport"], "other")
        if e["distance"] is None:
            assert a.summary.distance_m is None
        else:
            assert a.summary.distance_m == pytest.approx(e["distance"], rel=0.005, abs=0.01)
        if e["timer"] is None:
            assert a.summary.timer_time_s is None
        else:
            assert a.summary.timer_time_s == pytest.approx(e["timer"], abs=2)
        assert len(a.samples) == e["n"]


def test_timestamp_runs_round_trip() -> None:
    stamps = [None, None, 5, 6, 7, 9, 11, None, 3, 3, 3, 100]
    assert _stamps(_runs(stamps)) == stamps
    assert len(_runs(list(range(1000, 5000)))) == 1


def test_known_file_exactly() -> None:
    """Forerunner 920XT run: values read with fitdecode (session, activity, record #100)."""
    (a,) = parse_fit(_load(FIT_DIR / "al2__920xt-run.fit"))
    assert a.start_time == datetime(2014, 12, 28, 21, 38, 12, tzinfo=UTC)
    assert (a.sport, a.sub_sport, a.device, a.utc_offset_s) == (
        "running",
        "generic",
        "garmin fr920xt",
        8 * 3600,
    )
    s = a.summary
    assert (s.distance_m, s.elapsed_time_s, s.timer_time_s) == (12579.16, 3967.026, 3967.026)
    assert (s.ascent_m, s.descent_m, s.avg_heart_rate_bpm, s.calories) == (9, 11, 155, 853)
    assert s.avg_cadence_spm == 2 * (83 + 85 / 128)  # avg_running_cadence 83 + avg_fractional_cadence 0.664
    assert len(a.samples) == 658
    i = 100  # 2014-12-28T21:47:30Z
    assert a.samples.elapsed_s[i] == 558
    assert a.samples.distance_m[i] == 1693.5
    assert a.samples.altitude_m[i] == pytest.approx(15.2)
    assert a.samples.speed_mps[i] == 3.294
    assert a.samples.heart_rate_bpm[i] == 151
    assert a.samples.cadence_spm[i] == 2 * (85 + 64 / 128)
    assert a.samples.latitude[i] == pytest.approx(-401372521 * 180 / 2**31)
    assert a.samples.longitude[i] == pytest.approx(1376212077 * 180 / 2**31)


def test_running_cadence_is_steps_per_minute() -> None:
    manifest = _manifest()
    checked = 0
    running_with_cadence = 0
    for name, entry in manifest.items():
        if not entry["file"].startswith("fit/") or entry["running"] != "yes" or not entry["cad"]:
            continue
        running_with_cadence += 1
        for a in parse_fit(_load(FIT_DIR / name)):
            if a.sport != "running":
                continue
            values = sorted(c for c in a.samples.cadence_spm if c)
            cadence = a.summary.avg_cadence_spm or values[len(values) // 2]
            d, t = a.summary.distance_m, a.summary.timer_time_s
            # Slow uphill hikes / shuffles recorded as runs (Suunto uphill: 88 spm at 17 min/km) are real.
            low = 120 if not (d and t) or d / t > 1.85 else 60
            assert low <= cadence <= 220, (name, cadence)
            checked += 1
    # One running activity in each running file with cadence the manifest lists (23 of them).
    assert checked == running_with_cadence == 23


def test_cycling_cadence_is_not_doubled() -> None:
    (a,) = parse_fit(_load(FIT_DIR / "al2__310xt-bike.fit"))
    assert a.sport == "cycling" and a.summary.avg_cadence_spm == 80
    assert 60 <= sorted(c for c in a.samples.cadence_spm if c)[len(a.samples) // 4] <= 110


def test_multisport_gives_one_activity_per_leg() -> None:
    legs = parse_fit(_load(FIT_DIR / "al2__920xt-triathlon.fit"))
    assert [a.sport for a in legs] == ["swimming", "cycling", "running"]  # transitions dropped
    assert legs[0].start_time < legs[1].start_time < legs[2].start_time
    assert all(a.samples.elapsed_s[0] >= 0 for a in legs if len(a.samples))


def test_sub_sports_and_indoor_positions() -> None:
    (trail,) = parse_fit(_load(FIT_DIR / "sportslib__suunto-uphill.fit"))
    assert (trail.sport, trail.sub_sport) == ("running", "trail") and trail.has_gps
    (zwift,) = parse_fit(_load(FIT_DIR / "sportstracker__Zwift-Cycling_Indoor-Assioma_Uno.fit"))
    assert zwift.sub_sport == "virtual" and not zwift.has_gps


# --------------------------------------------------------------------------------------------------
# Fast path vs fitdecode path
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAME_PATH_FILES)
def test_fast_and_fallback_paths_agree(name: str) -> None:
    data = _load(FIT_DIR / name)
    assert fit.last_decoder_used(data) == "fast"
    assert parse_fit(data, decoder="fast") == parse_fit(data, decoder="fitdecode")


@pytest.mark.parametrize("name", [n for n in _bad_fits() if not n.startswith("sportslib")])
def test_paths_agree_on_damaged_files(name: str) -> None:
    data = (BAD_DIR / name).read_bytes()
    fast, slow = parse_fit(data, decoder="fast"), parse_fit(data, decoder="fitdecode")
    for a, b in zip(fast, slow, strict=True):
        assert a.partial == b.partial
        a.partial_reason = b.partial_reason = None  # the wording differs (fitdecode's own messages)
        if name.startswith("gpsbabel__lezyne"):
            continue  # fitdecode reads one garbage record more before it stops
        assert a == b


def test_misaligned_field_is_read_by_the_fast_path_only() -> None:
    data = _load(FIT_DIR / "fitparse__coros-pace-2-cycling-misaligned-fields.fit")
    (fast,) = parse_fit(data)
    (slow,) = parse_fit(data, decoder="fitdecode")  # RAISE mode stops at the odd field size
    assert not fast.partial and len(fast.samples) == 11272
    assert slow.partial and "invalid field size" in (slow.partial_reason or "") and len(slow.samples) < 11272


def test_unsupported_structure_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _load(FIT_DIR / "fitparse__Activity.fit")
    expected = parse_fit(data, decoder="fitdecode")
    calls: list[str] = []
    decode_fitdecode = fit.decode_fitdecode

    def fallback(raw: bytes) -> Any:
        calls.append("fitdecode")
        return decode_fitdecode(raw)

    monkeypatch.setattr(fit, "decode_fitdecode", fallback)
    # A base type the fast decoder does not know (0x1F) on a field nobody reads: fallback, same result.
    assert parse_fit(_with_unknown_base_type()) is not None
    assert calls == ["fitdecode"]

    def unsupported(raw: bytes) -> Any:
        raise fit.Unsupported("test")

    monkeypatch.setattr(fit, "decode_fast", unsupported)
    assert parse_fit(data) == expected
    with pytest.raises(ActivityFileError, match="unsupported"):
        parse_fit(data, decoder="fast")


# --------------------------------------------------------------------------------------------------
# Damaged files
# --------------------------------------------------------------------------------------------------

BAD_EXPECTED = {
    # name: ("partial" | "clean" | "error", reason pattern)
    "fitparse__activity-activity-filecrc.fit": ("partial", "bad CRC"),
    "fitparse__activity-filecrc.fit": ("clean", ""),
    "fitparse__activity-settings-corruptheader.fit": ("partial", "header"),
    "fitparse__activity-settings-nodata.fit": ("partial", "truncated"),
    "fitparse__activity-unexpected-eof.fit": ("partial", "truncated"),
    "fitparse__nick.fit": ("partial", "truncated"),
    "fitparse__strava-android-app-201.10-b1218918.fit": ("partial", "undefined local message 11"),
    "gpsbabel__lezyne_super_gps-garmin_fit-sample-bad-endian.fit": ("partial", "corrupt definition"),
    "sportslib__broken.fit": ("error", "empty FIT file"),
}


@pytest.mark.parametrize("name", _bad_fits())
def test_bad_files(name: str) -> None:
    assert name in BAD_EXPECTED, f"new bad file {name}: add its expected behaviour"
    outcome, pattern = BAD_EXPECTED[name]
    data = (BAD_DIR / name).read_bytes()
    if outcome == "error":
        with pytest.raises(ActivityFileError, match=pattern) as info:
            parse_fit(data)
        assert "\n" not in str(info.value)
        return
    activities = parse_fit(data)
    assert activities
    for a in activities:
        assert a.partial == (outcome == "partial")
        if a.partial:
            assert a.partial_reason and pattern in a.partial_reason and "\n" not in a.partial_reason
        assert len(a.samples) > 0
        # Sane values only: no garbage timestamps, distances or speeds.
        assert datetime(2000, 1, 1, tzinfo=UTC) < a.start_time < datetime.now(UTC)
        assert all(0 <= t <= 2 * 86400 for t in a.samples.elapsed_s)
        distance = a.summary.distance_m
        assert distance is None or 0 <= distance < 1_000_000
        assert all(d is None or d <= 1_000_000 for d in a.samples.distance_m)


def test_damaged_files_keep_their_records() -> None:
    (nick,) = parse_fit((BAD_DIR / "fitparse__nick.fit").read_bytes())
    assert nick.partial and len(nick.samples) == 14391  # as many as the Garmin SDK salvages
    (strava,) = parse_fit((BAD_DIR / "fitparse__strava-android-app-201.10-b1218918.fit").read_bytes())
    # fitdecode yields 473 records before the error; the last one is garbage (timestamp in 2085).
    assert strava.partial and len(strava.samples) == 472 and strava.sport == "running"
    (lezyne,) = parse_fit(
        (BAD_DIR / "gpsbabel__lezyne_super_gps-garmin_fit-sample-bad-endian.fit").read_bytes()
    )
    assert lezyne.summary.distance_m == 8074 and len(lezyne.samples) == 804
    assert max(d for d in lezyne.samples.distance_m if d is not None) <= 8074
    assert max(s for s in lezyne.samples.speed_mps if s is not None) < 30


# --------------------------------------------------------------------------------------------------
# Synthetic FIT bytes
# --------------------------------------------------------------------------------------------------

_SDK_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
                  0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)  # fmt: skip


def _sdk_crc(data: bytes) -> int:
    """The FIT SDK's nibble-wise CRC (independent of the importer's table)."""
    crc = 0
    for byte in data:
        for nibble in (byte & 0x0F, byte >> 4):
            tmp = _SDK_CRC_TABLE[crc & 0x0F]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _SDK_CRC_TABLE[nibble]
    return crc


def _fit(messages: bytes, *, good_crc: bool = True) -> bytes:
    body = struct.pack("<BBHI4s", 12, 0x20, 2132, len(messages), b".FIT") + messages
    crc = _sdk_crc(body) if good_crc else _sdk_crc(body) ^ 0x5A5A
    return body + struct.pack("<H", crc)


def _definition(
    local: int, gnum: int, fields: list[tuple[int, int, int]], *, big: bool = False, dev: int = 0
) -> bytes:
    out = bytes([0x40 | local | (0x20 if dev else 0), 0, int(big)])
    out += struct.pack(">H" if big else "<H", gnum) + bytes([len(fields)])
    out += b"".join(bytes(f) for f in fields)
    if dev:
        out += bytes([1, 0, dev, 0])  # one developer field of `dev` bytes
    return out


def _data(local: int, fmt: str, *values: Any) -> bytes:
    return bytes([local]) + struct.pack(fmt, *values)


T0 = 1_000_000_000  # FIT seconds: 2021-09-08T01:46:40Z
FILE_ID = _definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (4, 4, 0x86)]) + _data(
    0, "<BHHI", 4, 1, 1623, T0
)
FILE_ID_SETTINGS = _definition(0, 0, [(0, 1, 0x00)]) + _data(0, "<B", 2)


def _session(sport: int, sub_sport: int, start: int, seconds: int, metres: float, cadence: int) -> bytes:
    fields = [(253, 4, 0x86), (2, 4, 0x86), (5, 1, 0x00), (6, 1, 0x00), (7, 4, 0x86), (8, 4, 0x86)]
    fields += [(9, 4, 0x86), (18, 1, 0x02), (92, 1, 0x02), (16, 1, 0x02)]
    return _definition(3, 18, fields, big=True) + _data(
        3, ">IIBBIIIBBB", start + seconds, start, sport, sub_sport, seconds * 1000, seconds * 1000,
        round(metres * 100), cadence, 64, 0xFF,
    )  # fmt: skip


def _activity_file(*, big: bool = False) -> bytes:
    """A 3-sample run: normal + compressed-timestamp headers, enhanced/plain fields, invalid values,
    a developer field, and an activity message 2 h ahead of UTC."""
    e = ">" if big else "<"
    rec = [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (2, 2, 0x84), (78, 4, 0x86), (3, 1, 0x02)]
    rec += [(4, 1, 0x02), (53, 1, 0x02), (5, 4, 0x86), (6, 2, 0x84), (73, 4, 0x86)]
    rec_fmt = e + "IiiHIBBBIHI" + "BB"  # + 2 bytes of developer data
    lat = round(48.0 * 2**31 / 180)
    # developer_data_id + field_description for the 2-byte developer field (fitdecode needs them).
    out = FILE_ID + _definition(6, 207, [(3, 1, 0x02)]) + _data(6, "<B", 0)
    out += _definition(7, 206, [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 8, 0x07)])
    out += _data(7, "<BBB8s", 0, 0, 0x84, b"power")
    out += _definition(1, 20, rec, big=big, dev=2)
    out += _data(1, rec_fmt, T0, lat, -lat, 3000, 3000, 150, 85, 64, 0, 3000, 3000, 7, 7)
    # Invalid sentinels everywhere but the timestamp: all None (altitude falls back to plain altitude).
    out += _data(1, rec_fmt, T0 + 1, 0x7FFFFFFF, 0x7FFFFFFF, 3050, 0xFFFFFFFF, 0xFF, 0xFF, 0xFF,
                 0xFFFFFFFF, 0xFFFF, 0xFFFFFFFF, 0, 0)  # fmt: skip
    # Compressed-timestamp record (local 2, no timestamp field): T0 + 5.
    out += _definition(2, 20, [(3, 1, 0x02), (5, 4, 0x86)], big=big)
    out += bytes([0x80 | (2 << 5) | ((T0 + 5) & 0x1F)]) + struct.pack(e + "BI", 160, 2000)
    out += _session(1, 3, T0, 5, 20.0, 80)
    out += _definition(4, 34, [(253, 4, 0x86), (5, 4, 0x86)]) + _data(4, "<II", T0 + 5, T0 + 5 + 7200 + 20)
    return _fit(out)


def _with_unknown_base_type() -> bytes:
    return _fit(
        FILE_ID + _definition(5, 1234, [(0, 1, 0x1F)]) + _data(5, "<B", 1) + _session(1, 0, T0, 5, 9, 80)
    )


@pytest.mark.parametrize("big", [False, True])
def test_synthetic_activity(big: bool) -> None:
    data = _activity_file(big=big)
    (a,) = parse_fit(data)
    assert parse_fit(data, decoder="fitdecode") == [a]
    assert a.start_time == FIT_EPOCH + timedelta(seconds=T0)
    assert (a.sport, a.sub_sport, a.utc_offset_s, a.partial) == ("running", "trail", 7200, False)
    assert a.device == "garmin fr620"
    assert a.summary.distance_m == 20.0 and a.summary.timer_time_s == 5
    assert a.summary.avg_cadence_spm == 2 * (80 + 64 / 128) and a.summary.avg_heart_rate_bpm is None
    s = a.samples
    assert s.elapsed_s == [0, 1, 5]
    assert s.altitude_m == [100.0, 110.0, None]  # (3000 / 5) - 500; invalid enhanced -> plain altitude
    assert s.distance_m == [0.0, None, 20.0]
    assert s.speed_mps == [3.0, None, None]
    assert s.heart_rate_bpm == [150, None, 160]
    assert s.cadence_spm == [2 * 85.5, None, None]
    assert s.latitude[0] == pytest.approx(48.0) and s.longitude[0] == pytest.approx(-48.0)
    assert s.latitude[1:] == [None, None]


def test_synthetic_chained_and_crc() -> None:
    one = _activity_file()
    settings = _fit(FILE_ID_SETTINGS)
    assert len(parse_fit(one + one)) == 2
    (a,) = parse_fit(one + settings)
    assert not a.partial
    with pytest.raises(NotAnActivity, match="settings"):
        parse_fit(settings)
    # A wrong CRC on the only file is ignored; on a chained second file it stops there.
    bad_crc = one[:-2] + bytes([one[-2] ^ 0xFF, one[-1]])
    assert not parse_fit(bad_crc)[0].partial
    first, *rest = parse_fit(one + bad_crc)
    assert not rest and first.partial and "bad CRC" in (first.partial_reason or "")
    # Zero padding after the last file is fine; other trailing bytes are damage.
    assert not parse_fit(one + b"\x00" * 7)[0].partial
    assert parse_fit(one + b"junk-after-the-file")[0].partial


def test_synthetic_damage() -> None:
    one = _activity_file()
    cut = parse_fit(one[:-40])
    assert cut[0].partial and len(cut[0].samples) >= 2
    # A data message for a local type that was never defined, after the good messages.
    (a,) = parse_fit(_fit(one[12:-2] + bytes([0x09, 1, 2, 3])))
    assert a.partial and "undefined local message 9" in (a.partial_reason or "")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        random.Random(1).randbytes(12),
        struct.pack("<BBHI4s", 12, 0x10, 2132, 100, b".FIT") + random.Random(2).randbytes(100),
        struct.pack("<BBHI4s", 12, 0x10, 2132, 0, b".FIT"),
        _fit(FILE_ID),
        b"<?xml version='1.0'?><gpx/>",
    ],
    ids=["empty", "random-12", "header+garbage", "header-only", "file-id-only", "xml"],
)
def test_synthetic_rejects(data: bytes) -> None:
    with pytest.raises(ActivityFileError) as info:
        parse_fit(data)
    assert "\n" not in str(info.value)


def test_mutated_files_never_crash() -> None:
    """Random byte flips in small real files: either activities or ActivityFileError, nothing else."""
    rng = random.Random(7)
    originals = [_load(FIT_DIR / n) for n in ("fitparse__Activity.fit", "gpsbabel__garmin-vivosmart-hr.fit")]
    for i in range(300):
        data = bytearray(originals[i % 2])
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            result = parse_fit(bytes(data))
        except ActivityFileError:
            continue
        assert all(isinstance(a, ParsedActivity) for a in result)
