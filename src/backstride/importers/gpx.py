"""GPX importer: `parse_gpx(bytes) -> list[ParsedActivity]`, one activity per `<trk>`.

Rules (spec/activity.md §6 items 3 and 5):

- Elements are matched by local name, so any namespace prefix works for the extensions: heart rate
  from `hr`/`heartrate`/`bpm` (Garmin TrackPointExtension, gpxdata, Amazfit, Holux), cadence from
  `cad`/`cadence`/`rpm`, speed from `<speed>` or an extension `speed`, device distance from `distance`.
- A track's `<trkseg>`s are merged. A track point needs a `<time>`; its lat/lon may be missing (indoor
  runs). Points without a time are dropped; so are points whose time goes backwards (the longest run
  of points whose times never decrease is kept). When more than 5 % of a track's points are dropped
  the activity is flagged `partial` with the reason; fewer are dropped silently.
- A track with no timed point at all is a drawn/planned route, not a recording: skipped. A file with no
  recorded track (waypoints, routes, metadata only, empty or untimed tracks) raises `NotAnActivity`.
- `start_time` = the first kept point (UTC); `elapsed_s` is counted from it.
- Distance per sample: cumulative haversine between consecutive GPS points, not bridged across
  `<trkseg>` breaks (None where a point has no GPS). A track with no GPS at all uses the device's
  extension `distance` instead (Movescount/gpxdata), when the file has it. (0, 0) counts as no GPS.
- Sport from the track's `<type>`: a word (`running`, `Run`, `biking`...) or a Strava numeric code
  (9 = Run, 1 = Ride); none -> "other" (the bulk-export CSV or the user fills it in later).
- Cadence: GPX writers store a running cadence per leg (Strava, Garmin: ~80-95). For a running track
  whose median positive cadence is <= 120 the channel is doubled to steps/min (`per_leg_to_steps`).
  For other sports cadence is left as written (bike rpm). A file without `<type>` is "other", so its
  cadence is left as written: call `apply_running_cadence_rule` after setting the sport to running.
- `summary` stays empty (GPX has no device totals) except what an extensions summary gives: Holux
  track extensions (tripdist/triptime/movetime/ascent/descent) and gpxdata laps (pytrainer,
  Movescount), the latter only when every lap has a positive distance and duration.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from backstride.core.activity import (
    ActivityFileError,
    Channel,
    DeviceSummary,
    NotAnActivity,
    ParsedActivity,
    Samples,
)
from backstride.importers.xmlutil import (
    child,
    child_float,
    child_text,
    children,
    chronological_indices,
    drop_reason,
    haversine_m,
    heart_rate,
    local,
    parse_document,
    parse_duration,
    parse_time,
    per_leg_to_steps,
    plausible_epoch,
    sport_from_label,
    to_float,
    valid_position,
)

_HR_NAMES = frozenset({"hr", "heartrate", "heart_rate", "heartratebpm", "bpm"})
_CAD_NAMES = frozenset({"cad", "cadence", "runcadence", "rpm"})

# (t_epoch, segment, lat, lon, ele, hr, cad, speed, device_distance)
_Row = tuple[float, int, float | None, float | None, float | None, float | None, float | None, float | None,
             float | None]  # fmt: skip


def parse_gpx(data: bytes) -> list[ParsedActivity]:
    """Activities in a GPX file (plain bytes; the caller gunzips). Raises ActivityFileError when the file
    cannot be read, NotAnActivity when it holds no recorded track."""
    doc = parse_document(data, "GPX", "gpx")
    root = doc.root
    device = (root.get("creator") or "").strip() or None
    file_name = child_text(root, "metadata", "name") or child_text(root, "name")
    tracks = children(root, "trk")
    activities: list[ParsedActivity] = []
    untimed_tracks = 0
    for trk in tracks:
        activity, untimed = _read_track(trk, device, file_name)
        if activity is not None:
            activities.append(activity)
        untimed_tracks += untimed
    if not activities:
        if doc.damage:
            raise ActivityFileError(f"GPX file unreadable: {doc.damage}, before any recorded point")
        raise NotAnActivity(_why_no_activity(root, tracks, untimed_tracks))
    if len(activities) == 1:
        _fill_from_gpxdata_laps(activities[0].summary, child(root, "extensions"))
    if doc.damage:
        for activity in activities:
            activity.partial = True
            activity.partial_reason = "; ".join(filter(None, [doc.damage, activity.partial_reason]))
    return activities


def apply_running_cadence_rule(activity: ParsedActivity) -> bool:
    """Double a per-leg cadence channel to steps/min (see the module rules). For a GPX whose sport was
    set to running after import (no `<type>` in the file). Returns True when it doubled."""
    if activity.sport != "running":
        return False
    cadence, doubled = per_leg_to_steps(list(activity.samples.cadence_spm))
    activity.samples.cadence_spm = Channel(cadence)
    return doubled


def _why_no_activity(root: Element, tracks: list[Element], untimed_tracks: int) -> str:
    if untimed_tracks:
        return "GPX track has no usable timestamps: a drawn or planned route, not a recorded activity"
    if tracks:
        return "GPX track is empty: no track points"
    if children(root, "rte"):
        return "GPX file holds a route (<rte>), not a recorded activity"
    if children(root, "wpt"):
        return "GPX file holds only waypoints, not a recorded activity"
    return "GPX file holds no track: nothing was recorded"


def _read_point(pt: Element, segment: int) -> _Row | None:
    when = None
    ele = speed = ext_speed = hr = cad = dist = None
    for c in pt:
        name = local(c.tag)
        if name == "time":
            when = parse_time(c.text)
        elif name == "ele":
            ele = to_float(c.text)
        elif name == "speed":
            speed = to_float(c.text)
        elif name == "extensions":
            for e in c.iter():
                if e.text is None:
                    continue
                ename = local(e.tag).lower()
                if ename in _HR_NAMES:
                    if hr is None:
                        hr = to_float(e.text)
                elif ename in _CAD_NAMES:
                    if cad is None:
                        cad = to_float(e.text)
                elif ename == "speed":
                    if ext_speed is None:
                        ext_speed = to_float(e.text)
                elif ename == "distance" and dist is None:
                    dist = to_float(e.text)
    if when is None or not plausible_epoch(t := when.timestamp()):
        return None
    lat, lon = to_float(pt.get("lat")), to_float(pt.get("lon"))
    if not valid_position(lat, lon) or (lat == 0 and lon == 0):
        lat = lon = None
    return (t, segment, lat, lon, ele, heart_rate(hr), cad, speed if speed is not None else ext_speed, dist)


def _read_track(trk: Element, device: str | None, file_name: str | None) -> tuple[ParsedActivity | None, int]:
    """(activity, 1 if the track had points but none with a time)."""
    rows: list[_Row] = []
    total = 0
    for segment, seg in enumerate(children(trk, "trkseg")):
        for pt in seg:
            if local(pt.tag) != "trkpt":
                continue
            total += 1
            row = _read_point(pt, segment)
            if row is not None:
                rows.append(row)
    if not rows:
        return None, 1 if total else 0
    timed = len(rows)
    rows = list(dict.fromkeys(rows))  # exact duplicates (a lap written twice) are not data
    keep = chronological_indices([row[0] for row in rows])
    sport, sub_sport = sport_from_label(child_text(trk, "type"))
    start_t = rows[keep[0]][0]
    samples = Samples()
    has_gps = any(rows[i][2] is not None for i in keep)
    cumulative = 0.0
    prev: tuple[float, float, int] | None = None
    for i in keep:
        t, segment, lat, lon, ele, hr, cad, speed, device_dist = rows[i]
        distance: float | None
        if not has_gps:
            distance = device_dist
        elif lat is not None and lon is not None:
            if prev is not None and prev[2] == segment:
                cumulative += haversine_m(prev[0], prev[1], lat, lon)
            prev = (lat, lon, segment)
            distance = cumulative
        else:
            distance = None
        samples.append(round(t - start_t, 3), distance, ele, speed, hr, cad, lat, lon)
    activity = ParsedActivity(
        source_format="gpx",
        start_time=datetime.fromtimestamp(start_t, UTC),
        sport=sport,
        sub_sport=sub_sport,
        device=device,
        name=child_text(trk, "name") or file_name,
        samples=samples,
    )
    apply_running_cadence_rule(activity)
    _fill_from_track_extensions(activity.summary, child(trk, "extensions"))
    activity.partial_reason = drop_reason(total, timed, len(rows), len(keep), "track points")
    activity.partial = activity.partial_reason is not None
    return activity, 0


def _fill_from_track_extensions(summary: DeviceSummary, ext: Element | None) -> None:
    """Holux-style totals in `<trk><extensions>`: tripdist (m), triptime/movetime (s), ascent/descent (m)."""
    if ext is None:
        return
    summary.distance_m = child_float(ext, "tripdist")
    summary.elapsed_time_s = child_float(ext, "triptime")
    summary.moving_time_s = child_float(ext, "movetime")
    summary.ascent_m = child_float(ext, "ascent")
    descent = child_float(ext, "descent")
    summary.descent_m = abs(descent) if descent is not None else None


def _fill_from_gpxdata_laps(summary: DeviceSummary, ext: Element | None) -> None:
    """gpxdata laps (cluetrust schema) in the file's `<extensions>`: summed into distance/timer/calories and
    a time-weighted average heart rate. Ignored unless every lap has a positive distance and duration
    (Movescount writes zero-length placeholder laps)."""
    laps = children(ext, "lap") if ext is not None else []
    if not laps:
        return
    distances = [child_float(lap, "distance") for lap in laps]
    times = [parse_duration(child_text(lap, "elapsedTime")) for lap in laps]
    if any(d is None or d <= 0 for d in distances) or any(t is None or t <= 0 for t in times):
        return
    summary.distance_m = sum(d for d in distances if d is not None)
    summary.timer_time_s = sum(t for t in times if t is not None)
    calories = [child_float(lap, "calories") for lap in laps]
    if all(c is not None for c in calories):
        summary.calories = sum(c for c in calories if c is not None)
    weighted = [(hr, t) for hr, t in zip((_lap_avg_hr(lap) for lap in laps), times, strict=True) if hr]
    if weighted:
        summary.avg_heart_rate_bpm = sum(hr * (t or 0) for hr, t in weighted) / sum(
            t or 0 for _, t in weighted
        )


def _lap_avg_hr(lap: Element) -> float | None:
    for s in children(lap, "summary"):
        if s.get("name") == "AverageHeartRateBpm":
            return to_float(s.text)
        value = child_float(s, "AverageHeartRateBpm")
        if value is not None:
            return value
    return None
