"""TCX importer: `parse_tcx(bytes) -> list[ParsedActivity]`, one activity per `<Activity>`.

Rules (spec/activity.md §6 items 4 and 5):

- Activities come from `Activities/Activity` and from `Activities/MultiSportSession/(FirstSport|
  NextSport)/Activity` (each leg is one activity), in file order. `<Courses>` and `<Workouts>` are
  ignored: a file with only those raises `NotAnActivity`.
- Elements are matched by local name (`ns3:TPX`, `ns3:RunCadence`, default or prefixed TCX namespace).
- Sport from the `Sport` attribute (Running, Biking, Other).
- `start_time` is `<Id>` (else the first Lap `StartTime`), except when the track disagrees: if the first
  kept trackpoint is earlier, the start moves back to it (elapsed_s never negative); if it is 30 min or
  more later (a wrong-timezone `<Id>`, as Polar exports have shown), the first trackpoint is the start.
- Summary from the laps: `TotalTimeSeconds` summed -> timer_time_s, `DistanceMeters` summed ->
  distance_m, `Calories` summed, average heart rate weighted by lap time, average cadence from the lap
  extension `AvgRunCadence` or the lap `Cadence` (weighted by lap time). elapsed_time_s = last kept
  trackpoint time - start.
- Trackpoints: `Time` (required; a trackpoint with only a time is kept), `Position`, `AltitudeMeters`,
  `DistanceMeters` (device distance, also for indoor runs without GPS), `HeartRateBpm/Value`,
  `Cadence`, extension `RunCadence` and `Speed`. Trackpoints whose time goes backwards are dropped (the
  longest run whose times never decrease is kept); when more than 5 % are dropped the activity is
  flagged `partial` with the reason.
- Distance: the trackpoints' `DistanceMeters`; when no trackpoint has one, cumulative haversine.
- Cadence: `RunCadence` (TPX) is per leg -> doubled; the trackpoint `Cadence` of a running activity
  (Polar, Movescount) is per leg too -> doubled. Both only when the channel's median positive value is
  <= 120 (already steps/min otherwise). Lap `AvgRunCadence` / running lap `Cadence` follow the same
  rule. A bike's `Cadence` (rpm) is left as written.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from backstride.core.activity import ActivityFileError, DeviceSummary, NotAnActivity, ParsedActivity, Samples
from backstride.importers.xmlutil import (
    PER_LEG_MAX,
    child,
    child_float,
    child_text,
    children,
    chronological_indices,
    clock_problem,
    drop_reason,
    haversine_m,
    heart_rate,
    local,
    parse_document,
    parse_time,
    per_leg_to_steps,
    plausible_epoch,
    sport_from_label,
    to_float,
    valid_position,
)

START_MISMATCH_S = 30 * 60  # <Id> this far before the first trackpoint is not trusted

# (t_epoch, lat, lon, altitude, distance, hr, cadence, run_cadence, speed)
_Row = tuple[float, float | None, float | None, float | None, float | None, float | None, float | None,
             float | None, float | None]  # fmt: skip


def parse_tcx(data: bytes) -> list[ParsedActivity]:
    """Activities in a TCX file (plain bytes; the caller gunzips). Raises ActivityFileError when the file
    cannot be read, NotAnActivity when it holds no activity (courses or workouts only, empty)."""
    doc = parse_document(data, "TCX", "TrainingCenterDatabase")
    root = doc.root
    elements: list[Element] = []
    for container in children(root, "Activities"):
        for item in container:
            name = local(item.tag)
            if name == "Activity":
                elements.append(item)
            elif name == "MultiSportSession":
                for leg in item:
                    if local(leg.tag) in ("FirstSport", "NextSport"):
                        elements.extend(children(leg, "Activity"))
    activities = [a for a in (_read_activity(e) for e in elements) if a is not None]
    if not activities:
        if doc.damage:
            raise ActivityFileError(f"TCX file unreadable: {doc.damage}, before any recorded point")
        if elements:
            wrong_clock = clock_problem(root, "Time") or clock_problem(root, "Id")
            if wrong_clock:
                raise NotAnActivity(f"TCX activity {wrong_clock}")
            raise NotAnActivity("TCX activity is empty: no laps with times or trackpoints")
        if children(root, "Courses"):
            raise NotAnActivity("TCX file holds only a course (a planned route), not an activity")
        if children(root, "Workouts"):
            raise NotAnActivity("TCX file holds only workouts (training plans), not an activity")
        raise NotAnActivity("TCX file holds no activity")
    if doc.damage:
        for activity in activities:
            activity.partial = True
            activity.partial_reason = "; ".join(filter(None, [doc.damage, activity.partial_reason]))
    return activities


def _read_trackpoint(tp: Element) -> _Row | None:
    when = None
    lat = lon = alt = dist = hr = cad = run_cad = speed = None
    for c in tp:
        name = local(c.tag)
        if name == "Time":
            when = parse_time(c.text)
        elif name == "Position":
            lat, lon = child_float(c, "LatitudeDegrees"), child_float(c, "LongitudeDegrees")
        elif name == "AltitudeMeters":
            alt = to_float(c.text)
        elif name == "DistanceMeters":
            dist = to_float(c.text)
        elif name == "HeartRateBpm":
            hr = child_float(c, "Value")
            if hr is None:
                hr = to_float(c.text)
        elif name == "Cadence":
            cad = to_float(c.text)
        elif name == "Extensions":
            for e in c.iter():
                ename = local(e.tag)
                if ename == "Speed":
                    speed = to_float(e.text)
                elif ename == "RunCadence":
                    run_cad = to_float(e.text)
    if when is None or not plausible_epoch(t := when.timestamp()):
        return None
    if not valid_position(lat, lon):
        lat = lon = None
    return (t, lat, lon, alt, dist, heart_rate(hr), cad, run_cad, speed)


def _read_activity(act: Element) -> ParsedActivity | None:
    sport, sub_sport = sport_from_label(act.get("Sport"))
    laps = children(act, "Lap")
    declared = _epoch(parse_time(child_text(act, "Id")))
    if declared is None and laps:
        declared = _epoch(parse_time(laps[0].get("StartTime")))
    rows: list[_Row] = []
    total = 0
    for lap in laps:
        for track in children(lap, "Track"):
            for tp in track:
                if local(tp.tag) != "Trackpoint":
                    continue
                total += 1
                row = _read_trackpoint(tp)
                if row is not None:
                    rows.append(row)
    timed = len(rows)
    rows = list(dict.fromkeys(rows))  # exact duplicates (a lap written twice) are not data
    keep = chronological_indices([row[0] for row in rows])
    summary = _lap_summary(laps, sport)
    if not keep and not summary.timer_time_s:
        return None
    start_t = _start(declared, rows[keep[0]][0] if keep else None)
    if start_t is None:
        return None

    run_cadence, _ = per_leg_to_steps([rows[i][7] for i in keep])
    cadence = [rows[i][6] for i in keep]
    if sport == "running":
        cadence, _ = per_leg_to_steps(cadence)
    use_device_distance = any(rows[i][4] is not None for i in keep)
    samples = Samples()
    cumulative = 0.0
    prev: tuple[float, float] | None = None
    for n, i in enumerate(keep):
        t, lat, lon, alt, dist, hr, _cad, _run_cad, speed = rows[i]
        distance = dist
        if not use_device_distance:
            distance = None
            if lat is not None and lon is not None:
                if prev is not None:
                    cumulative += haversine_m(prev[0], prev[1], lat, lon)
                prev = (lat, lon)
                distance = cumulative
        cad_spm = run_cadence[n] if run_cadence[n] is not None else cadence[n]
        samples.append(round(t - start_t, 3), distance, alt, speed, hr, cad_spm, lat, lon)
    if keep:
        summary.elapsed_time_s = round(rows[keep[-1]][0] - start_t, 3)

    activity = ParsedActivity(
        source_format="tcx",
        start_time=datetime.fromtimestamp(start_t, UTC),
        sport=sport,
        sub_sport=sub_sport,
        device=child_text(act, "Creator", "Name"),
        summary=summary,
        samples=samples,
    )
    activity.partial_reason = drop_reason(total, timed, len(rows), len(keep), "trackpoints")
    activity.partial = activity.partial_reason is not None
    return activity


def _epoch(value: datetime | None) -> float | None:
    if value is None:
        return None
    t = value.timestamp()
    return t if plausible_epoch(t) else None


def _start(declared: float | None, first_point: float | None) -> float | None:
    if declared is None or first_point is None:
        return declared if first_point is None else first_point
    if first_point < declared or first_point - declared >= START_MISMATCH_S:
        return first_point
    return declared


def _weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    if not pairs:
        return None
    weight = sum(w for _, w in pairs)
    if weight <= 0:
        return sum(v for v, _ in pairs) / len(pairs)
    return sum(v * w for v, w in pairs) / weight


def _steps(value: float) -> float:
    return value * 2 if value <= PER_LEG_MAX else value


def _lap_summary(laps: list[Element], sport: str) -> DeviceSummary:
    summary = DeviceSummary()
    times: list[float] = []
    distances: list[float] = []
    calories: list[float] = []
    hr: list[tuple[float, float]] = []
    cadence: list[tuple[float, float]] = []
    for lap in laps:
        lap_time = child_float(lap, "TotalTimeSeconds")
        weight = lap_time or 0.0
        if lap_time is not None:
            times.append(lap_time)
        distance = child_float(lap, "DistanceMeters")
        if distance is not None:
            distances.append(distance)
        kcal = child_float(lap, "Calories")
        if kcal is not None:
            calories.append(kcal)
        avg_hr = child_float(lap, "AverageHeartRateBpm", "Value")
        if avg_hr is not None and avg_hr > 0:
            hr.append((avg_hr, weight))
        avg_cad = _lap_avg_run_cadence(lap)
        if avg_cad is not None:
            cadence.append((_steps(avg_cad), weight))
        else:
            lap_cad = child_float(lap, "Cadence")
            if lap_cad is not None and lap_cad > 0:
                cadence.append((_steps(lap_cad) if sport == "running" else lap_cad, weight))
    summary.timer_time_s = sum(times) if times else None
    summary.distance_m = sum(distances) if distances else None
    summary.calories = sum(calories) if calories else None
    summary.avg_heart_rate_bpm = _weighted_mean(hr)
    summary.avg_cadence_spm = _weighted_mean(cadence)
    return summary


def _lap_avg_run_cadence(lap: Element) -> float | None:
    ext = child(lap, "Extensions")
    if ext is None:
        return None
    for e in ext.iter():
        if local(e.tag) == "AvgRunCadence":
            value = to_float(e.text)
            if value is not None and value > 0:
                return value
    return None
