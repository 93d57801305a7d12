"""The plausibility rules on whole files, through the importer's pipeline (read, parse, check, summarise):
the two impossible activities issue 11 found, and the real files, which must not move."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from tests.conftest import SHARED

from backstride.core.activity import ActivityFileError
from backstride.core.activity_summary import summarize
from backstride.core.plausibility import haversine_m
from backstride.importers.formats import decompressed, parse_activity_bytes
from backstride.importers.pipeline import parse_source

from .filegen import (  # fmt: skip
    FILE_ID,
    RECORD_FIELDS,
    T0,
    fit_crc,
    fit_definition,
    fit_header,
    fit_session,
    gpx,
    gpx_point,
    run_records,
    tcx,
    tcx_point,
)

DATA = SHARED / "data" / "activities"

# Real files the rules change, and why. Nothing else may change: not a distance, not a partial flag.
CHANGED_ON_PURPOSE = {
    # Distance moves:
    "gpx/al2__ecc.gpx": "a Garmin Connect course (a drawn route) timed 28 ms a point: 1.2 km in 1.2 s",
    "gpx/al2__ecc-no-alt.gpx": "the same course without altitudes",
    "tcx/sportstracker__Forerunner305-Running-NoHeartrate-1Lap.tcx": (
        "a run whose last 5 minutes go at 55-70 km/h (the watch kept recording in a car): 3.6 km not counted"
    ),
    # Only flagged partial (distance kept):
    "fit/gc__2013-04-11-17-32-50.fit": "14 records stamped 2 years ahead (a clock glitch)",
    "fit/gc__FR55-loaded-and-saved-via-GC.fit": "every altitude is -487 to -500 m (an altitude field of 0)",
    "fit/garminsdk__WithGearChangeData.fit": "the SDK's sample: altitudes from -400 to 12,600 m",
}
DISTANCE_MOVES = {name for name in CHANGED_ON_PURPOSE if not name.startswith("fit/")}


def _fit(records: bytes, session: bytes) -> bytes:
    body = FILE_ID + fit_definition(1, 20, RECORD_FIELDS) + records + session
    data = fit_header(len(body)) + body
    return data + struct.pack("<H", fit_crc(data))


def test_a_damaged_fit_no_longer_gives_41807_km() -> None:
    """The session's total distance damaged to 41,807 km (issue 11): the records give 5.4 km."""
    data = _fit(b"".join(run_records(1801)), fit_session(T0, 1800, 41_807_000.0))
    (unchecked,) = parse_activity_bytes(data)
    assert summarize(unchecked).distance_m == 41_807_000.0  # what was stored before
    parsed = parse_source("damaged.fit", None, data)
    assert parsed.error is None
    (part,) = parsed.parts
    assert part.summary.distance_m == pytest.approx(5400.0)
    assert part.activity.partial
    assert part.activity.partial_reason == (
        "the device's total distance (41,807 km in 30 min) ignored: faster than the running limit of "
        "45 km/h; distance from the samples"
    )


def test_a_damaged_fit_record_is_dropped() -> None:
    records = list(run_records(601))
    garbage = bytearray(records[300])
    garbage[-8:-4] = struct.pack("<I", 0xFFFFFFF0)  # that record's distance: 42,950 km
    records[300] = bytes(garbage)
    (part,) = parse_source("record.fit", None, _fit(b"".join(records), fit_session(T0, 600, 1800.0))).parts
    assert part.summary.distance_m == pytest.approx(1800.0)
    assert part.activity.partial_reason == (
        "distance: 1 reading dropped (a jump of 42,949 km in 1 s; the running limit is 45 km/h)"
    )


def test_the_three_point_gpx_teleport() -> None:
    """39,744 km in 20 s before (issue 11); now the point on the other side of the Earth is dropped."""
    data = gpx([gpx_point(48.0, 11.0, 0), gpx_point(-48.0, -169.0, 10), gpx_point(48.0001, 11.0001, 20)])
    (unchecked,) = parse_activity_bytes(data)
    parsed = parse_source("teleport.gpx", None, data)
    (part,) = parsed.parts
    assert part.summary.distance_m == pytest.approx(13.4, abs=0.1)
    assert part.activity.partial and part.activity.partial_reason == (
        "GPS: 1 point dropped (a jump of 20,015 km in 10 s; the running limit is 45 km/h)"
    )
    assert summarize(unchecked).distance_m == pytest.approx(13.4, abs=0.1)  # the GPX importer drops it


def test_a_gpx_track_that_jumps_and_goes_on_adds_no_distance_for_the_jump() -> None:
    here = [gpx_point(48.0, 11.0 + i * 4e-5, i) for i in range(30)]
    there = [gpx_point(52.0, 13.0 + i * 4e-5, 30 + i) for i in range(30)]  # 470 km away, a second later
    (part,) = parse_source("moved.gpx", None, gpx(here + there)).parts
    step_here, step_there = haversine_m(48, 11, 48, 11.00004), haversine_m(52, 13, 52, 13.00004)
    assert part.summary.distance_m == pytest.approx(29 * step_here + 29 * step_there)
    assert "GPS: 1 jump not counted (a jump of 4" in (part.activity.partial_reason or "")


def test_a_tcx_teleport_without_device_distance() -> None:
    points = [tcx_point(48.0, 11.0 + i * 4e-5, i) for i in range(20)]
    points[10] = tcx_point(-48.0, -169.0, 10)
    (part,) = parse_source("teleport.tcx", None, tcx(points)).parts
    assert part.summary.distance_m == pytest.approx(19 * haversine_m(48, 11, 48, 11.00004))
    assert "GPS: 1 point dropped" in (part.activity.partial_reason or "")


def test_nothing_plausible_is_refused_in_one_line() -> None:
    session = fit_session(T0, 0, 41_807_000.0)  # a session and nothing else: no time, a garbage total
    parsed = parse_source("nothing.fit", None, _fit(b"", session))
    assert parsed.error is not None and not parsed.parts
    assert parsed.error.startswith(
        "nothing plausible in this activity: the device's total distance (41,807 km)"
    )
    assert "\n" not in parsed.error


def _real_files() -> list[Path]:
    return sorted(p for sub in ("fit", "gpx", "tcx", "bad") for p in (DATA / sub).iterdir())


def test_real_files_do_not_move() -> None:
    """Distances and partial flags of every shared file, with and without the rules: equal, but for the
    files in CHANGED_ON_PURPOSE (each with the reason checked here)."""
    changed: dict[str, str] = {}
    for path in _real_files():
        name = f"{path.parent.name}/{path.name}"
        try:
            unchecked = parse_activity_bytes(decompressed(path.read_bytes()))
        except ActivityFileError:  # refused (one line) without the rules too; anything else is a bug
            unchecked = []
        parsed = parse_source(name, str(path), None)
        if not unchecked:
            assert not parsed.parts, name
            continue
        assert parsed.error is None and len(parsed.parts) == len(unchecked), name
        for before, part in zip(unchecked, parsed.parts, strict=True):
            distance_before = summarize(before).distance_m
            if part.summary.distance_m != distance_before:
                changed[name] = f"distance {distance_before} -> {part.summary.distance_m}"
            elif part.activity.partial != before.partial:
                changed[name] = f"partial: {part.activity.partial_reason}"
    assert set(changed) == set(CHANGED_ON_PURPOSE), changed
    assert {name for name, what in changed.items() if what.startswith("distance")} == DISTANCE_MOVES
