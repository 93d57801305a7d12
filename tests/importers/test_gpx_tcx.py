"""GPX and TCX importers on the shared real files (shared/data/activities) and on files built here.

Expected values are computed independently in the test with xml.etree (times, lap sums, distances),
not by calling the importers' helpers.

Sample counts differ from the manifest `n` (which counts every trkpt/Trackpoint) where points are
dropped by the documented rules; each such file is listed in COUNT_DIFFERENCES with why.
"""

from __future__ import annotations

import functools
import json
import math
import statistics
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.conftest import SHARED

from backstride.core.activity import SPORTS, ActivityFileError, NotAnActivity, ParsedActivity
from backstride.importers.gpx import apply_running_cadence_rule, parse_gpx
from backstride.importers.tcx import parse_tcx

DATA = SHARED / "data" / "activities"
BAD_GPX = DATA / "bad" / "gpsbabel__trackfilter_discard_err.gpx"
GPS_EPOCH = datetime(1980, 1, 6, tzinfo=UTC)

# Files that hold no recorded activity, and why (checked against the XML itself below).
NOT_ACTIVITIES = {
    "gc__MetadataOnly.gpx": "metadata only",
    "gpsbabel__empty.gpx": "empty <gpx>",
    "gpxpy__custom_schema_locations.gpx": "empty <gpx>",
    "gpxpy__default_schema_locations.gpx": "empty <gpx>",
    "gpxpy__gpx1.1_with_extensions.gpx": "one waypoint",
    "gpxpy__gpx1.1_with_extensions_without_namespaces.gpx": "one waypoint",
    "gpxpy__gpx_with_garmin_extension.gpx": "one waypoint (with an HR extension)",
    "gpxpy__unicode.gpx": "waypoints only",
    "gpxpy__unicode_with_bom.gpx": "one waypoint",
    "gpxpy__unicode_with_bom_noencoding.gpx": "one waypoint",
    "gpxpy__route.gpx": "a route (<rte>)",
    "gpxpy__unicode2.gpx": "a track with an empty segment",
    "gc__A_ride_mapped_on_11_22_2011.gpx": "9722 track points, none with a time: a mapped route",
    "gpxpy__track-with-extremes.gpx": "track without times",
    "gpxpy__track-with-small-floats.gpx": "track without times",
    "gpxpy__track_with_dilution_errors.gpx": "track without times",
    "sportstracker__bike-tour-track_only.gpx": "track without times",
    "gpxpy__Mojstrovka.gpx": "every track point has the junk time 1901-12-13T20:45:52",
}

# Files whose sample count is not the manifest's `n` (= every point in the file), and why.
COUNT_DIFFERENCES = {
    "gpxpy__cerknicko-jezero-without-elevations.gpx": "the last point has no time",
    "gpxpy__cerknicko-without-times.gpx": "only 5 of 296 points have a time (flagged partial)",
    "gpxpy__first_and_last_elevation.gpx": "one point goes back in time (flagged partial: 1 of 10)",
    "gpxpy__korita-zbevnica.gpx": "its first track (358 points) has no times",
    "gc__2009_01_09_11_13_14.tcx": "12 points step back 1 s",
    "gc__OWswim.tcx": "the second lap repeats the first lap's 1435 trackpoints",
    "sportslib__garmin.tcx": "11 trackpoints are written twice (lap boundaries)",
    "sportslib__unknown_example.tcx": "3 trackpoints are written twice",
}

# The manifest says HR, but every HeartRateBpm is 255: the "no reading" marker (checked below).
NO_REAL_HR = {"gpsbabel__gtrnctr-lap_s.tcx"}

# A running file whose median cadence is a walk: run/walk intervals (the running quarter is checked).
RUN_WALK = {"sportslib__20181021_run_3106033902.tcx"}


def ln(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def kids(elem: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in elem if ln(c.tag) == name]


def text_of(elem: ET.Element, name: str) -> str | None:
    for c in elem:
        if ln(c.tag) == name:
            return (c.text or "").strip() or None
    return None


def iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.strip()[:19]).replace(tzinfo=UTC)  # the shared files are all UTC


def longest_nondecreasing(values: list[float]) -> int:
    """Length only (patience piles), written apart from the importer's version."""
    piles: list[float] = []
    for v in values:
        lo, hi = 0, len(piles)
        while lo < hi:
            mid = (lo + hi) // 2
            if piles[mid] <= v:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(piles):
            piles.append(v)
        else:
            piles[lo] = v
    return len(piles)


def point_key(point: ET.Element, extra: object) -> tuple[object, ...]:
    return (
        extra,
        *((ln(e.tag), (e.text or "").strip(), tuple(sorted(e.attrib.items()))) for e in point.iter()),
    )


def expected_count(groups: list[list[tuple[ET.Element, object]]], time_name: str) -> int:
    """Per activity: points with a plausible time, exact duplicates removed, longest run in time order."""
    total = 0
    for points in groups:
        by_time: dict[float, list[tuple[ET.Element, object]]] = {}
        times = []
        for point, extra in points:
            when = iso(text_of(point, time_name))
            if when is None or when < GPS_EPOCH:
                continue
            same = by_time.setdefault(when.timestamp(), [])
            if any(point_key(p, e) == point_key(point, extra) for p, e in same):  # only when times repeat
                continue
            same.append((point, extra))
            times.append(when.timestamp())
        total += longest_nondecreasing(times)
    return total


def gpx_groups(root: ET.Element) -> list[list[tuple[ET.Element, object]]]:
    return [
        [(pt, seg_no) for seg_no, seg in enumerate(kids(trk, "trkseg")) for pt in kids(seg, "trkpt")]
        for trk in kids(root, "trk")
    ]


def tcx_activities(root: ET.Element) -> list[ET.Element]:
    out = []
    for acts in kids(root, "Activities"):
        for item in acts:
            if ln(item.tag) == "Activity":
                out.append(item)
            elif ln(item.tag) == "MultiSportSession":
                out += [a for leg in item for a in kids(leg, "Activity")]
    return out


def tcx_groups(root: ET.Element) -> list[list[tuple[ET.Element, object]]]:
    return [
        [
            (tp, None)
            for lap in kids(act, "Lap")
            for trk in kids(lap, "Track")
            for tp in kids(trk, "Trackpoint")
        ]
        for act in tcx_activities(root)
    ]


@pytest.fixture(scope="module")
def manifest() -> dict[str, dict]:
    assert DATA.is_dir(), f"shared data missing: {DATA} (the shared/ folder must sit next to the repo)"
    entries = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    return {Path(e["file"]).name: e for e in entries if e["file"].startswith(("gpx/", "tcx/"))}


def files(kind: str) -> list[Path]:
    found = sorted((DATA / kind).glob(f"*.{kind}"))
    assert len(found) == {"gpx": 50, "tcx": 25}[kind], f"expected the shared {kind}/ files in {DATA}"
    return found


@functools.cache
def parsed(path: Path) -> list[ParsedActivity] | ActivityFileError:
    """Each shared file parsed once per test run (several tests look at the same files)."""
    try:
        return (parse_gpx if path.suffix == ".gpx" else parse_tcx)(path.read_bytes())
    except ActivityFileError as exc:
        return exc


def check_activity(activity: ParsedActivity, fmt: str) -> list[str]:
    """Invariants every parsed activity keeps."""
    s = activity.samples
    problems = []
    if activity.source_format != fmt:
        problems.append(f"source_format {activity.source_format}")
    if activity.start_time.tzinfo is None or activity.start_time.utcoffset().total_seconds() != 0:
        problems.append("start_time not UTC")
    if activity.utc_offset_s is not None:
        problems.append("utc_offset_s set")
    if activity.sport not in SPORTS:
        problems.append(f"sport {activity.sport}")
    lengths = {len(getattr(s, f)) for f in ("elapsed_s", "distance_m", "altitude_m", "speed_mps")} | {
        len(getattr(s, f)) for f in ("heart_rate_bpm", "cadence_spm", "latitude", "longitude")
    }
    if len(lengths) != 1:
        problems.append(f"channel lengths differ: {lengths}")
    if s.elapsed_s and (
        s.elapsed_s[0] < 0 or any(b < a for a, b in zip(s.elapsed_s, s.elapsed_s[1:], strict=False))
    ):
        problems.append("elapsed_s negative or decreasing")
    return problems


@pytest.mark.parametrize("kind", ["gpx", "tcx"])
def test_every_shared_file(kind: str, manifest: dict[str, dict]) -> None:
    problems: list[str] = []
    for path in files(kind):
        entry = manifest[path.name]
        data = path.read_bytes()
        root = ET.fromstring(data.lstrip(b"\xef\xbb\xbf \r\n\t"))
        expected = expected_count(
            gpx_groups(root) if kind == "gpx" else tcx_groups(root), "time" if kind == "gpx" else "Time"
        )
        activities = parsed(path)
        if expected == 0 or entry["n"] == 0:
            if path.name not in NOT_ACTIVITIES:
                problems.append(f"{path.name}: no timed points, not listed in NOT_ACTIVITIES")
            if not isinstance(activities, NotAnActivity) or "\n" in str(activities):
                problems.append(f"{path.name}: expected NotAnActivity, got {activities!r:.100}")
            continue
        if path.name in NOT_ACTIVITIES:
            problems.append(f"{path.name}: listed in NOT_ACTIVITIES but has {expected} timed points")
        if isinstance(activities, ActivityFileError):
            problems.append(f"{path.name}: {type(activities).__name__}: {activities}")
            continue
        assert activities, path.name
        n = sum(len(a.samples) for a in activities)
        if n != expected:
            problems.append(f"{path.name}: {n} samples, expected {expected} (independent count)")
        if entry["n"] is not None and n != entry["n"] and path.name not in COUNT_DIFFERENCES:
            problems.append(f"{path.name}: {n} samples, manifest n={entry['n']}, not in COUNT_DIFFERENCES")
        if path.name in COUNT_DIFFERENCES and n == entry["n"]:
            problems.append(f"{path.name}: listed in COUNT_DIFFERENCES but matches the manifest")
        for activity in activities:
            problems += [f"{path.name}: {p}" for p in check_activity(activity, kind)]
        hr = [v for a in activities for v in a.samples.heart_rate_bpm if v is not None]
        cad = [v for a in activities for v in a.samples.cadence_spm if v is not None and v > 0]
        if path.name in NO_REAL_HR:
            values = {(v.text or "").strip() for v in root.iter() if ln(v.tag) == "Value"}
            assert values == {"255"} and not hr, path.name
        elif entry["hr"] and not hr:
            problems.append(f"{path.name}: manifest says HR, none parsed")
        if entry["cad"] and not cad:
            problems.append(f"{path.name}: manifest says cadence, none parsed")
        if any(not 20 <= v <= 250 for v in hr):
            problems.append(f"{path.name}: heart rate out of range")
        runs = [a for a in activities if a.sport == "running"]
        if entry["running"] == "yes" and not runs:
            problems.append(f"{path.name}: a running file parsed as {[a.sport for a in activities]}")
        run_cad = sorted(v for a in runs for v in a.samples.cadence_spm if v is not None and v > 0)
        if run_cad:
            mid = statistics.median(run_cad)
            upper = run_cad[3 * len(run_cad) // 4]
            if path.name in RUN_WALK:
                if not (100 <= mid <= 220 and 140 <= upper <= 220):
                    problems.append(f"{path.name}: run/walk cadence median {mid}, upper quartile {upper}")
            elif not 120 <= mid <= 220:
                problems.append(f"{path.name}: running cadence median {mid} spm outside 120-220")
    assert not problems, "\n".join(problems)


def test_tcx_summary_is_the_sum_of_the_laps() -> None:
    checked = 0
    for path in files("tcx"):
        acts = tcx_activities(ET.fromstring(path.read_bytes()))
        activities = parsed(path)
        assert isinstance(activities, list) and len(activities) == len(acts), path.name
        for act, activity in zip(acts, activities, strict=True):
            laps = kids(act, "Lap")
            timer = sum(float(text_of(lap, "TotalTimeSeconds") or 0) for lap in laps)
            distance = [float(d) for lap in laps if (d := text_of(lap, "DistanceMeters")) is not None]
            assert activity.summary.timer_time_s == pytest.approx(timer), path.name
            if distance:
                assert activity.summary.distance_m == pytest.approx(sum(distance)), path.name
            else:
                assert activity.summary.distance_m is None
            calories = [float(c) for lap in laps if (c := text_of(lap, "Calories")) is not None]
            assert activity.summary.calories == (pytest.approx(sum(calories)) if calories else None)
            assert activity.sport == {"Running": "running", "Biking": "cycling"}.get(
                act.get("Sport", ""), "other"
            )
            checked += 1
    assert checked == 28  # 24 single-activity files + the 4-leg multisport file


def test_tcx_elapsed_hr_and_cadence_summary() -> None:
    data = (DATA / "tcx" / "sportslib__garmin.tcx").read_bytes()
    (activity,) = parse_tcx(data)
    root = ET.fromstring(data)
    laps = [lap for act in tcx_activities(root) for lap in kids(act, "Lap")]
    times = [
        iso(text_of(tp, "Time"))
        for lap in laps
        for trk in kids(lap, "Track")
        for tp in kids(trk, "Trackpoint")
    ]
    start = iso(text_of(tcx_activities(root)[0], "Id"))
    assert activity.start_time == start
    assert activity.summary.elapsed_time_s == pytest.approx(
        (max(t for t in times if t) - start).total_seconds()
    )
    weights = [float(text_of(lap, "TotalTimeSeconds") or 0) for lap in laps]
    hrs = [float(next(v.text for v in lap.iter() if ln(v.tag) == "Value")) for lap in laps]
    assert activity.summary.avg_heart_rate_bpm == pytest.approx(
        sum(h * w for h, w in zip(hrs, weights, strict=True)) / sum(weights)
    )
    run_cads = [float(next(v.text for v in lap.iter() if ln(v.tag) == "AvgRunCadence")) for lap in laps]
    avg_per_leg = sum(c * w for c, w in zip(run_cads, weights, strict=True)) / sum(weights)
    assert activity.summary.avg_cadence_spm == pytest.approx(2 * avg_per_leg)  # per leg -> steps/min
    assert 150 <= activity.summary.avg_cadence_spm <= 200
    assert activity.has_gps and activity.sport == "running"


def test_tcx_multisport_gives_one_activity_per_leg() -> None:
    parsed = parse_tcx((DATA / "tcx" / "gc__activity_165850259_multi-session.tcx").read_bytes())
    assert [a.sport for a in parsed] == ["running", "cycling", "running", "cycling"]
    assert [a.start_time.date().isoformat() for a in parsed] == [
        "2011-11-29",
        "2011-12-01",
        "2011-12-04",
        "2011-12-07",
    ]


def _activity_block(text: str) -> str:
    start = text.index("<Activity ")
    end = text.index("</Activity>") + len("</Activity>")
    return text[start:end]


def test_tcx_with_several_activities_and_courses() -> None:
    text = (DATA / "tcx" / "tcxparser__test.tcx").read_text(encoding="utf-8")
    block = _activity_block(text)
    second = block.replace('Sport="Running"', 'Sport="Biking"')
    course = (
        "<Courses><Course><Name>x</Name><Track><Trackpoint><Time>2012-12-26T21:29:53Z</Time>"
        "</Trackpoint></Track></Course></Courses>"
    )
    doubled = text.replace(block, block + second).replace("</Activities>", "</Activities>" + course)
    parsed = parse_tcx(doubled.encode())
    assert [a.sport for a in parsed] == ["running", "cycling"]
    assert len(parsed[0].samples) == len(parsed[1].samples) == 384

    head = text[: text.index("<Activities>")]
    with pytest.raises(NotAnActivity, match="course"):
        parse_tcx((head + course + "</TrainingCenterDatabase>").encode())


def test_strava_style_tcx_with_bom_and_leading_whitespace() -> None:
    data = (DATA / "tcx" / "sportslib__20181021_run_3106033902.tcx").read_bytes()
    plain = parse_tcx(data)
    for wrapped in (
        b"\xef\xbb\xbf" + b"          \n" + data,
        b"\n\t   " + data,
        b"  \r\n\xef\xbb\xbf" + data,
    ):
        (activity,) = parse_tcx(wrapped)
        assert activity.samples == plain[0].samples and activity.summary == plain[0].summary


def test_tcx_indoor_run_without_gps_uses_device_distance() -> None:
    tcx = """<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
  xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities><Activity Sport="Running"><Id>2024-03-01T07:00:00Z</Id>
  <Lap StartTime="2024-03-01T07:00:00Z">
   <TotalTimeSeconds>20</TotalTimeSeconds><DistanceMeters>60</DistanceMeters>
   <Track>
    <Trackpoint><Time>2024-03-01T07:00:00Z</Time></Trackpoint>
    <Trackpoint><Time>2024-03-01T07:00:10Z</Time><DistanceMeters>30</DistanceMeters>
     <HeartRateBpm><Value>140</Value></HeartRateBpm>
     <Extensions><ns3:TPX><ns3:Speed>3.0</ns3:Speed><ns3:RunCadence>85</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>
    <Trackpoint><Time>2024-03-01T07:00:05Z</Time><DistanceMeters>15</DistanceMeters></Trackpoint>
    <Trackpoint><Time>2024-03-01T07:00:20Z</Time><DistanceMeters>60</DistanceMeters>
     <Extensions><ns3:TPX><ns3:RunCadence>87</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>
   </Track></Lap></Activity></Activities></TrainingCenterDatabase>"""
    (activity,) = parse_tcx(tcx.encode())
    s = activity.samples
    assert not activity.has_gps
    assert s.elapsed_s == [0.0, 10.0, 20.0]  # the point that went back in time is dropped
    assert s.distance_m == [None, 30.0, 60.0]
    assert s.cadence_spm == [None, 170.0, 174.0]
    assert s.speed_mps == [None, 3.0, None] and s.heart_rate_bpm == [None, 140.0, None]
    assert activity.summary.distance_m == 60 and activity.summary.elapsed_time_s == 20
    assert activity.partial  # 1 of 4 dropped is more than a few %
    assert activity.partial_reason and "\n" not in activity.partial_reason


TCX_HEAD = (
    '<?xml version="1.0"?><TrainingCenterDatabase '
    'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
)


def test_tcx_start_when_id_disagrees_with_the_track() -> None:
    def tcx(activity_id: str) -> bytes:
        points = "".join(f"<Trackpoint><Time>2024-03-01T07:00:{s:02d}Z</Time></Trackpoint>" for s in (0, 30))
        return (
            f'{TCX_HEAD}<Activity Sport="Running"><Id>{activity_id}</Id><Lap StartTime="{activity_id}">'
            f"<TotalTimeSeconds>30</TotalTimeSeconds><Track>{points}</Track></Lap></Activity>"
            "</Activities></TrainingCenterDatabase>"
        ).encode()

    first_point = datetime(2024, 3, 1, 7, 0, tzinfo=UTC)
    for activity_id, start in [
        ("2024-03-01T06:59:50Z", datetime(2024, 3, 1, 6, 59, 50, tzinfo=UTC)),  # lap started before the fix
        ("2024-03-01T07:00:05Z", first_point),  # Id after the first point: start moves back
        ("2024-03-01T06:00:00Z", first_point),  # an hour off: a wrong-timezone Id
    ]:
        (activity,) = parse_tcx(tcx(activity_id))
        assert activity.start_time == start, activity_id
        assert activity.samples.elapsed_s[0] >= 0
        assert activity.summary.elapsed_time_s == (first_point - start).total_seconds() + 30


def test_tcx_laps_without_trackpoints_give_a_summary_only_activity() -> None:
    lap = '<Lap StartTime="2024-03-01T07:00:00Z"><TotalTimeSeconds>{}</TotalTimeSeconds>{}</Lap>'
    dist = "<DistanceMeters>5000</DistanceMeters><Calories>300</Calories>"
    head = f'{TCX_HEAD}<Activity Sport="Running"><Id>2024-03-01T07:00:00Z</Id>'
    tail = "</Activity></Activities></TrainingCenterDatabase>"
    (activity,) = parse_tcx((head + lap.format(1500, dist) + tail).encode())
    assert len(activity.samples) == 0 and activity.summary.timer_time_s == 1500
    assert activity.summary.distance_m == 5000 and activity.summary.calories == 300
    with pytest.raises(NotAnActivity, match="empty"):
        parse_tcx((head + lap.format(0, "") + tail).encode())


def _equirectangular_total(path: Path) -> float:
    """Independent distance: flat-earth steps (exact enough for 1-10 s GPS steps), per segment."""
    root = ET.fromstring(path.read_bytes())
    total = 0.0
    for trk in kids(root, "trk"):
        for seg in kids(trk, "trkseg"):
            prev = None
            for pt in kids(seg, "trkpt"):
                lat, lon = math.radians(float(pt.get("lat"))), math.radians(float(pt.get("lon")))
                if prev is not None:
                    x = (lon - prev[1]) * math.cos((lat + prev[0]) / 2)
                    total += 6_371_000 * math.hypot(x, lat - prev[0])
                prev = (lat, lon)
    return total


@pytest.mark.parametrize(
    ("name", "metres"), [("sportslib__garmin.gpx", 3875), ("sportslib__strava.gpx", 21118)]
)
def test_gpx_distance_matches_an_independent_computation(name: str, metres: int) -> None:
    path = DATA / "gpx" / name
    (activity,) = parse_gpx(path.read_bytes())
    expected = _equirectangular_total(path)
    assert round(expected) == metres  # the independent sum itself, to the metre
    assert activity.samples.distance_m[-1] == pytest.approx(expected, rel=0.005)
    assert activity.samples.distance_m[0] == 0


GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" '
    'xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
)


def _gpx(points: str, gpx_type: str | None = None, head: str = GPX_HEAD) -> bytes:
    type_el = f"<type>{gpx_type}</type>" if gpx_type is not None else ""
    return f"{head}<trk><name>t</name>{type_el}<trkseg>{points}</trkseg></trk></gpx>".encode()


def _pt(sec: int, extra: str = "", pos: str = "") -> str:
    return f"<trkpt{pos}><time>2024-05-01T06:00:{sec:02d}Z</time>{extra}</trkpt>"


def test_gpx_without_positions_but_with_times() -> None:
    hr = (
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{}</gpxtpx:hr><gpxtpx:cad>{}</gpxtpx:cad>"
        "</gpxtpx:TrackPointExtension></extensions>"
    )
    points = "".join(_pt(s, hr.format(120 + s, 85)) for s in range(0, 30, 5))
    (activity,) = parse_gpx(_gpx(points, "running"))
    s = activity.samples
    assert activity.start_time == datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
    assert s.elapsed_s == [0, 5, 10, 15, 20, 25]
    assert not activity.has_gps and set(s.distance_m) == {None} and set(s.latitude) == {None}
    assert s.heart_rate_bpm == [120, 125, 130, 135, 140, 145]
    assert s.cadence_spm == [170] * 6  # per-leg 85 doubled for a run
    assert activity.sport == "running" and activity.name == "t"
    assert activity.summary.distance_m is None and activity.summary.timer_time_s is None


@pytest.mark.parametrize(
    ("code", "sport"),
    [("9", "running"), ("1", "cycling"), ("Run", "running"), ("biking", "cycling"), ("hiking", "hiking"),
     ("walking", "walking"), ("cycling", "cycling"), ("99", "other"), ("t", "other"), (None, "other")],
)  # fmt: skip
def test_gpx_type(code: str | None, sport: str) -> None:
    (activity,) = parse_gpx(_gpx(_pt(0) + _pt(1), code))
    assert activity.sport == sport


def test_gpx_strava_numeric_type_on_a_real_file() -> None:
    (activity,) = parse_gpx((DATA / "gpx" / "sportslib__20170319_run_906581465.gpx").read_bytes())
    assert activity.sport == "running"  # <type>9</type>
    (ride,) = parse_gpx((DATA / "gpx" / "sportslib__20190721_ride_2551623996.gpx").read_bytes())
    assert ride.sport == "cycling"  # <type>1</type>
    assert 60 <= statistics.median(v for v in ride.samples.cadence_spm if v) <= 100  # rpm, not doubled


def test_gpx_time_order_rules() -> None:
    pos = ' lat="46.0" lon="14.0"'
    points = _pt(0, pos=pos) + _pt(3, pos=pos) + _pt(2, pos=pos) + _pt(4, pos=pos)
    points += "<trkpt><time>2031-01-01T00:00:00Z</time></trkpt>" + "".join(
        _pt(s, pos=pos) for s in range(5, 59)
    )
    points += "<trkpt><ele>3</ele></trkpt>"  # no time
    (activity,) = parse_gpx(_gpx(points))
    s = activity.samples
    assert s.elapsed_s == [0, 3, 4, *range(5, 59)]  # back-step and far-future outlier dropped
    assert not activity.partial  # 3 of 61 dropped (incl. the no-time point): within 5 %
    naive = _gpx(
        "<trkpt><time>2024-05-01T06:00:00</time></trkpt><trkpt><time>2024-05-01T08:00:01+02:00</time></trkpt>"
    )
    (activity,) = parse_gpx(naive)
    assert activity.start_time == datetime(2024, 5, 1, 6, 0, tzinfo=UTC) and activity.samples.elapsed_s == [
        0,
        1,
    ]


def test_gpx_point_far_from_the_rest_is_dropped() -> None:
    rollover = "<trkpt><time>2004-09-19T06:00:00Z</time></trkpt>"  # GPS week rollover: 1024 weeks early
    points = rollover + "".join(_pt(s) for s in range(0, 59))
    (activity,) = parse_gpx(_gpx(points))
    assert activity.start_time == datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
    assert len(activity.samples) == 59 and not activity.partial


def test_trailing_nul_padding_is_not_damage() -> None:
    data = (DATA / "gpx" / "sportslib__garmin.gpx").read_bytes()
    (activity,) = parse_gpx(data + b"\x00" * 512)
    assert not activity.partial and len(activity.samples) == 217


def test_gpx_without_type_gets_running_cadence_after_the_sport_is_set() -> None:
    (activity,) = parse_gpx((DATA / "gpx" / "sportslib__movescount.gpx").read_bytes())
    assert activity.sport == "other"  # no <type>: cadence left as written (per leg)
    before = statistics.median(v for v in activity.samples.cadence_spm if v)
    activity.sport = "running"
    assert apply_running_cadence_rule(activity)
    assert statistics.median(v for v in activity.samples.cadence_spm if v) == 2 * before
    assert not apply_running_cadence_rule(activity)  # already steps/min: not doubled twice


def test_gpx_prefix_without_namespace_declaration() -> None:
    head = '<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
    points = _pt(
        0,
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>99</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>",
    )
    (activity,) = parse_gpx(_gpx(points, head=head))
    assert activity.samples.heart_rate_bpm == [99]


def test_gpx_cut_off_part_way_is_partial() -> None:
    data = (DATA / "gpx" / "sportslib__garmin.gpx").read_bytes()
    (full,) = parse_gpx(data)
    (cut,) = parse_gpx(data[: len(data) * 6 // 10])
    assert cut.partial and cut.partial_reason and "cut off" in cut.partial_reason
    assert 0.5 * len(full.samples) < len(cut.samples) < 0.7 * len(full.samples)
    assert cut.samples.elapsed_s == full.samples.elapsed_s[: len(cut.samples)]


def test_gpx_summary_from_extensions() -> None:
    (holux,) = parse_gpx(
        (DATA / "gpx" / "sportstracker__bike-tour-holux-funtrek-130-pro-with-heartrate.gpx").read_bytes()
    )
    assert holux.summary.distance_m == pytest.approx(14104.6) and holux.summary.elapsed_time_s == 2344
    assert holux.summary.moving_time_s == 2245 and holux.summary.ascent_m == pytest.approx(112.3)
    (plus,) = parse_gpx((DATA / "gpx" / "pytrainer__gpxplus_sample.gpx").read_bytes())
    root = ET.fromstring((DATA / "gpx" / "pytrainer__gpxplus_sample.gpx").read_bytes())
    laps = [e for e in root.iter() if ln(e.tag) == "lap"]
    assert plus.summary.distance_m == pytest.approx(sum(float(text_of(lap, "distance")) for lap in laps))
    assert plus.summary.timer_time_s == pytest.approx(sum(float(text_of(lap, "elapsedTime")) for lap in laps))
    (moves,) = parse_gpx((DATA / "gpx" / "sportslib__movescount.gpx").read_bytes())
    assert moves.summary.distance_m is None  # its laps have zero distances: not trusted


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx><trk><name>&lol9;</name><trkseg><trkpt><time>2024-05-01T06:00:00Z</time></trkpt></trkseg></trk></gpx>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<gpx><trk><name>&xxe;</name><trkseg><trkpt><time>2024-05-01T06:00:00Z</time></trkpt></trkseg></trk></gpx>"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>
<TrainingCenterDatabase/>"""


@pytest.mark.parametrize(
    ("doc", "root"),
    [(BILLION_LAUGHS, "gpx"), (EXTERNAL_ENTITY, "gpx"), (PARAMETER_ENTITY, "TrainingCenterDatabase")],
)
@pytest.mark.parametrize(
    ("parse", "fmt", "own_root"), [(parse_gpx, "GPX", "gpx"), (parse_tcx, "TCX", "TrainingCenterDatabase")]
)
def test_entities_and_dtds_are_refused_without_expansion(
    doc: str, root: str, parse, fmt: str, own_root: str
) -> None:
    """Refused at the DOCTYPE, before any entity is declared or expanded (how fast the refusal is:
    bench/refusal_bench.py)."""
    started = time.monotonic()
    with pytest.raises(ActivityFileError) as info:
        parse(("\ufeff  " + doc).encode())
    # Not a speed limit: expanding the bomb (10^9 "lol"s, 3 GB) would take minutes or run out of memory.
    assert time.monotonic() - started < 30
    message = str(info.value)
    assert message == (
        f"{fmt} file refused: it contains a DOCTYPE declaration (DTDs and entities are not allowed)"
        if root == own_root
        else f"not a {fmt} file: it is a <!DOCTYPE {root}> document"
    )
    assert "\n" not in message and "lol" not in message and "root:" not in message
    assert not isinstance(info.value, NotAnActivity)


def test_bad_and_wrong_files_are_rejected_on_one_line() -> None:
    with pytest.raises(ActivityFileError) as info:
        parse_gpx(BAD_GPX.read_bytes())
    assert not isinstance(info.value, NotAnActivity)
    assert "\n" not in str(info.value) and str(info.value).startswith("not a GPX file")
    cases = {
        b"": "not a GPX file",
        b"<html><body>404</body></html>": "root element is <html>",
        b"<!DOCTYPE html><html></html>": "not a GPX file",
        b"<gpx><trk><trkseg><trkpt></tr": "GPX",
        (DATA / "tcx" / "tcxparser__test.tcx").read_bytes(): "root element is <TrainingCenterDatabase>",
    }
    for data, expected in cases.items():
        with pytest.raises(ActivityFileError, match=expected) as info:
            parse_gpx(data)
        assert "\n" not in str(info.value)
    with pytest.raises(ActivityFileError, match="not a TCX file"):
        parse_tcx((DATA / "gpx" / "sportslib__garmin.gpx").read_bytes())
    with pytest.raises(ActivityFileError, match="not a TCX file"):
        parse_tcx(b"\x1f\x8b\x08\x00gzip")
