"""TCX importer: `parse_tcx(bytes) -> list[ParsedActivity]`, one activity per `<Activity>`.

Rules (spec/activity.md §6 items 4 and 5):

- Activities come from `Activities/Activity` and from `Activities/MultiSportSession/(FirstSport|
  NextSport)/Activity` (each leg is one activity), in file order. `<Courses>` and `<Workouts>` are
  ignored: a file with only those raises `NotAnActivity`.
- The file is streamed (xmlstream.walk): trackpoints become compact rows as they are read, so a big
  file never becomes a tree.
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
- Distance: the trackpoints' `DistanceMeters`; when no trackpoint has one, cumulative haversine, where
  GPS jumps (core.plausibility rule 1) are dropped or not counted, flagging the activity `partial`.
- Past `sample_cap(file size)` kept trackpoints (at most MAX_SAMPLES) the samples are thinned to
  every 2nd, 4th... (the last kept); distance is added up over every trackpoint first.
- Cadence: `RunCadence` (TPX) is per leg -> doubled; the trackpoint `Cadence` of a running activity
  (Polar, Movescount) is per leg too -> doubled. Both only when the channel's median positive value is
  <= 120 (already steps/min otherwise). Lap `AvgRunCadence` / running lap `Cadence` follow the same
  rule. A bike's `Cadence` (rpm) is left as written.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from backstride.core.activity import (
    MAX_SAMPLES,
    ActivityFileError,
    Channel,
    DeviceSummary,
    NotAnActivity,
    ParsedActivity,
    Samples,
    sample_cap,
)
from backstride.core.plausibility import describe_jump, find_position_jumps, haversine_m
from backstride.importers.xmlstream import PointTable, take, thinned, walk
from backstride.importers.xmlutil import (
    EARLIEST_EPOCH,
    LOCAL_NAMES,
    PER_LEG_MAX,
    child_text,
    chronological_indices,
    clock_problem,
    drop_reason,
    heart_rate,
    latest_epoch,
    local,
    mark_damaged,
    parse_epoch,
    parse_time,
    per_leg_to_steps,
    plausible_epoch,
    sport_from_label,
    to_float,
    valid_position,
)

START_MISMATCH_S = 30 * 60  # <Id> this far before the first trackpoint is not trusted
NAME_MAX = 200  # characters of a device name kept (what is stored)

# Columns of a trackpoint row: (t_epoch, lat, lon, altitude, distance, hr, cadence, run_cadence, speed)
T, LAT, LON, ALT, DIST, HR, CAD, RUN_CAD, SPEED = range(9)
_LAP_FIELDS = ("TotalTimeSeconds", "DistanceMeters", "Calories", "Cadence")


def parse_tcx(data: bytes) -> list[ParsedActivity]:
    """Activities in a TCX file (plain bytes; the caller gunzips). Raises ActivityFileError when the file
    cannot be read, NotAnActivity when it holds no activity (courses or workouts only, empty)."""
    reader, damage = walk(data, "TCX", "TrainingCenterDatabase", lambda: _TcxReader(sample_cap(len(data))))
    activities = reader.activities
    if not activities:
        if damage:
            raise ActivityFileError(f"TCX file unreadable: {damage}, before any recorded point")
        if reader.activity_elements and reader.wrong_clock:
            raise NotAnActivity(f"TCX activity {reader.wrong_clock}")
        if reader.activity_elements:
            raise NotAnActivity("TCX activity is empty: no laps with times or trackpoints")
        if reader.courses:
            raise NotAnActivity("TCX file holds only a course (a planned route), not an activity")
        if reader.workouts:
            raise NotAnActivity("TCX file holds only workouts (training plans), not an activity")
        raise NotAnActivity("TCX file holds no activity")
    mark_damaged(activities, damage)
    return activities


_Row = tuple[float, ...]
_NAN = math.nan


def _read_trackpoint(tp: Element, latest: float) -> _Row | None:
    """A <Trackpoint> (with its children) as a row, NaN for a missing value, or None without a usable
    time (`latest`: the latest plausible one)."""
    t = None
    lat = lon = alt = dist = hr = cad = run_cad = speed = None
    names = LOCAL_NAMES
    for c in tp:
        tag = c.tag
        name = names.get(tag) or local(tag)
        if name == "Time":
            t = parse_epoch(c.text)
        elif name == "Position":
            lat = lon = None
            lat_seen = lon_seen = False  # the first of each counts
            for g in c:
                gname = names.get(g.tag) or local(g.tag)
                if gname == "LatitudeDegrees" and not lat_seen:
                    lat_seen, lat = True, to_float(g.text)
                elif gname == "LongitudeDegrees" and not lon_seen:
                    lon_seen, lon = True, to_float(g.text)
        elif name == "AltitudeMeters":
            alt = to_float(c.text)
        elif name == "DistanceMeters":
            dist = to_float(c.text)
        elif name == "HeartRateBpm":
            hr = None
            for g in c:
                if (names.get(g.tag) or local(g.tag)) == "Value":
                    hr = to_float(g.text)
                    break
            if hr is None:
                hr = to_float(c.text)
        elif name == "Cadence":
            cad = to_float(c.text)
        elif name == "Extensions":
            for e in c.iter():
                ename = names.get(e.tag) or local(e.tag)
                if ename == "Speed":
                    speed = to_float(e.text)
                elif ename == "RunCadence":
                    run_cad = to_float(e.text)
    if t is None or not EARLIEST_EPOCH <= t <= latest:
        return None
    if not valid_position(lat, lon):
        lat = lon = None
    hr = heart_rate(hr)
    return (
        t,
        _NAN if lat is None else lat,
        _NAN if lon is None else lon,
        _NAN if alt is None else alt,
        _NAN if dist is None else dist,
        _NAN if hr is None else hr,
        _NAN if cad is None else cad,
        _NAN if run_cad is None else run_cad,
        _NAN if speed is None else speed,
    )


@dataclass
class _Lap:
    values: dict[str, float | None] = field(default_factory=dict)  # the first of each _LAP_FIELDS
    avg_hr: float | None = None
    avg_hr_seen: bool = False
    hr_elements: int = 0  # <AverageHeartRateBpm> children seen: the first one counts
    extensions: int = 0  # <Extensions> children seen: the first one counts
    # The first positive AvgRunCadence in the first Extensions, in document order: (order, value).
    avg_run_cadence: tuple[int, float] | None = None


@dataclass
class _Activity:
    sport: str
    sub_sport: str | None
    declared: float | None = None  # from <Id>
    id_seen: bool = False
    first_lap_start: float | None = None
    laps: list[_Lap] = field(default_factory=list)
    points: int = 0
    table: PointTable = field(default_factory=lambda: PointTable(9))
    device: str | None = None
    creators: int = 0
    device_seen: bool = False


class _TcxReader:
    """Reads the stream of a TCX document (see xmlstream.walk) into activities, one at a time."""

    records = frozenset({"Trackpoint"})

    def __init__(self, cap: int = MAX_SAMPLES) -> None:
        self.sample_cap = cap  # samples kept per activity (thinned past it)
        self.activities: list[ParsedActivity] = []
        self.activity_elements = self.courses = self.workouts = 0
        self.act: _Activity | None = None
        self.at = 0  # index of the <Activity> in the path
        self.lap: _Lap | None = None
        self.order = 0  # document order inside a trackpoint's or lap's <Extensions>
        self.orders: list[int] = []
        self.wrong_clock: str | None = None  # why the first refused time was refused, when it was there
        self.latest = latest_epoch()  # the latest plausible time, taken once per file

    def _is_activity(self, path: list[str]) -> bool:
        depth = len(path)
        if depth == 3:
            return path[1] == "Activities" and path[2] == "Activity"
        return (
            depth == 5
            and path[1] == "Activities"
            and path[2] == "MultiSportSession"
            and path[3] in ("FirstSport", "NextSport")
            and path[4] == "Activity"
        )

    def start(self, elem: Element, path: list[str]) -> None:
        act = self.act
        if act is None:
            if self._is_activity(path):
                self.activity_elements += 1
                self.act = _Activity(*sport_from_label(elem.get("Sport")))
                self.at = len(path) - 1
            return
        rel = len(path) - 1 - self.at  # depth below the activity
        name = path[-1]
        if rel == 1 and name == "Lap":
            self.lap = _Lap()
            if not act.laps and act.first_lap_start is None:
                act.first_lap_start = _epoch(parse_time(elem.get("StartTime")))
            act.laps.append(self.lap)
        elif rel == 1 and name == "Creator":
            act.creators += 1
        elif self.lap is not None and rel == 2:
            if name == "AverageHeartRateBpm":
                self.lap.hr_elements += 1
            elif name == "Extensions":
                self.lap.extensions += 1
                self.order += 1
                self.orders.append(self.order)
        elif self.lap is not None and rel >= 3 and path[self.at + 2] == "Extensions":
            self.order += 1
            self.orders.append(self.order)
        elif (
            rel == 3 and name == "Trackpoint" and path[self.at + 1] == "Lap" and path[self.at + 2] == "Track"
        ):
            act.points += 1

    def end(self, elem: Element, path: list[str]) -> None:
        act = self.act
        if act is None:
            if len(path) == 2 and path[1] == "Courses":
                self.courses += 1
            elif len(path) == 2 and path[1] == "Workouts":
                self.workouts += 1
            return
        rel = len(path) - 1 - self.at
        if rel == 0:
            activity = _build_activity(act, self.sample_cap)
            if activity is not None:
                self.activities.append(activity)
            self.act = self.lap = None
            return
        name = path[-1]
        if rel == 3 and name == "Trackpoint":
            if path[self.at + 1] == "Lap" and path[self.at + 2] == "Track":
                row = _read_trackpoint(elem, self.latest)
                if row is not None:
                    act.table.append(row)
                elif self.wrong_clock is None:
                    self.wrong_clock = clock_problem(parse_time(child_text(elem, "Time")))
            return
        if rel == 1 and name == "Id" and not act.id_seen:
            act.id_seen = True
            when = parse_time(child_text(elem))
            act.declared = _epoch(when)
            if self.wrong_clock is None:
                self.wrong_clock = clock_problem(when)
        elif rel == 2 and path[self.at + 1] == "Creator" and name == "Name" and act.creators == 1:
            if not act.device_seen:
                act.device_seen = True
                act.device = child_text(elem)
        elif self.lap is not None and rel >= 2 and path[self.at + 1] == "Lap":
            self._lap_child(elem, path, rel, name)
        if rel == 1 and name == "Lap":
            self.lap = None

    def read_records(self, elems: list[Element], path: list[str]) -> None:
        act, at = self.act, self.at
        if act is None or len(path) - 1 - at != 3 or path[at + 1] != "Lap" or path[at + 2] != "Track":
            for elem in elems:  # not a lap's trackpoints: whatever start and end make of them
                self.start(elem, path)
                self.end(elem, path)
            return
        act.points += len(elems)  # what `start` counts, and `end` reads, for each
        latest, table = self.latest, act.table
        for elem in elems:
            row = _read_trackpoint(elem, latest)
            if row is not None:
                table.append(row)
            elif self.wrong_clock is None:
                self.wrong_clock = clock_problem(parse_time(child_text(elem, "Time")))

    def _lap_child(self, elem: Element, path: list[str], rel: int, name: str) -> None:
        lap = self.lap
        assert lap is not None
        child = path[self.at + 2]
        if child == "Extensions":
            order = self.orders.pop()
            if lap.extensions == 1 and name == "AvgRunCadence":
                value = to_float(elem.text)
                earlier = lap.avg_run_cadence is not None and lap.avg_run_cadence[0] < order
                if value is not None and value > 0 and not earlier:
                    lap.avg_run_cadence = (order, value)
        elif rel == 2 and name in _LAP_FIELDS and name not in lap.values:
            lap.values[name] = to_float(child_text(elem))
        elif rel == 3 and child == "AverageHeartRateBpm" and name == "Value" and lap.hr_elements == 1:
            if lap.avg_hr_seen:
                return
            lap.avg_hr_seen = True
            lap.avg_hr = to_float(child_text(elem))


def _build_activity(act: _Activity, cap: int) -> ParsedActivity | None:
    table = act.table
    columns = table.columns
    times = columns[T]
    keep = chronological_indices(times) if len(table) else range(0)
    summary = _lap_summary(act.laps, act.sport)
    if not keep and not summary.timer_time_s:
        return None
    declared = act.declared if act.declared is not None else act.first_lap_start
    start_t = _start(declared, times[keep[0]] if keep else None)
    if start_t is None:
        return None
    lats, lons = columns[LAT], columns[LON]
    device_distances = columns[DIST]
    use_device_distance = any(device_distances[i] == device_distances[i] for i in keep)
    jumps = None
    # Distance and position of every kept point (distance is added up over all of them), then the
    # samples at the positions `thinned` keeps. NaN stands for None throughout, as in the table.
    if use_device_distance:
        distances, out_lats, out_lons = take(device_distances, keep), take(lats, keep), take(lons, keep)
    else:
        with_position = array("q", (i for i in keep if lats[i] == lats[i]))
        jumps = find_position_jumps(times, lats, lons, with_position, act.sport)
        off_track, jumped = set(jumps.dropped), set(jumps.breaks)
        distances, out_lats, out_lons = array("d"), array("d"), array("d")
        cumulative = 0.0
        prev_lat = prev_lon = _NAN
        for i in keep:
            lat = lats[i]
            if lat == lat and i not in off_track:
                lon = lons[i]
                if prev_lat == prev_lat and i not in jumped:  # NaN: no point before
                    cumulative += haversine_m(prev_lat, prev_lon, lat, lon)
                prev_lat, prev_lon = lat, lon
                distances.append(cumulative)
                out_lats.append(lat)
                out_lons.append(lon)
            else:
                distances.append(_NAN)
                out_lats.append(_NAN)
                out_lons.append(_NAN)
    picked = thinned(len(keep), cap).positions()
    rows = keep if len(picked) == len(keep) else [keep[n] for n in picked]
    samples = Samples(
        elapsed_s=Channel(array("d", [round(times[i] - start_t, 3) for i in rows])),
        distance_m=Channel(take(distances, picked)),
        altitude_m=Channel(take(columns[ALT], rows)),
        speed_mps=Channel(take(columns[SPEED], rows)),
        heart_rate_bpm=Channel(take(columns[HR], rows)),
        latitude=Channel(take(out_lats, picked)),
        longitude=Channel(take(out_lons, picked)),
    )
    samples.cadence_spm = _cadence(
        Channel(take(columns[RUN_CAD], rows)), Channel(take(columns[CAD], rows)), act.sport
    )
    if keep:
        summary.elapsed_time_s = round(times[keep[-1]] - start_t, 3)
    activity = ParsedActivity(
        source_format="tcx",
        start_time=datetime.fromtimestamp(start_t, UTC),
        sport=act.sport,
        sub_sport=act.sub_sport,
        device=act.device[:NAME_MAX] if act.device else None,
        summary=summary,
        samples=samples,
    )
    reasons = [drop_reason(act.points, table.appended, len(table), len(keep), "trackpoints")]
    if jumps:
        reasons.append("GPS: " + describe_jump(jumps, "point", act.sport))
    activity.partial_reason = "; ".join(r for r in reasons if r) or None
    activity.partial = activity.partial_reason is not None
    return activity


def _cadence(run_cadence: Channel, cadence: Channel, sport: str) -> Channel:
    """Steps/min: RunCadence (TPX, per leg) where there is one, else Cadence (per leg for a run)."""
    run_values, _ = per_leg_to_steps(list(run_cadence))
    values = list(cadence)
    if sport == "running":
        values, _ = per_leg_to_steps(values)
    return Channel(r if r is not None else c for r, c in zip(run_values, values, strict=True))


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


def _lap_summary(laps: list[_Lap], sport: str) -> DeviceSummary:
    summary = DeviceSummary()
    times: list[float] = []
    distances: list[float] = []
    calories: list[float] = []
    hr: list[tuple[float, float]] = []
    cadence: list[tuple[float, float]] = []
    for lap in laps:
        lap_time = lap.values.get("TotalTimeSeconds")
        weight = lap_time or 0.0
        if lap_time is not None:
            times.append(lap_time)
        distance = lap.values.get("DistanceMeters")
        if distance is not None:
            distances.append(distance)
        kcal = lap.values.get("Calories")
        if kcal is not None:
            calories.append(kcal)
        if lap.avg_hr is not None and lap.avg_hr > 0:
            hr.append((lap.avg_hr, weight))
        if lap.avg_run_cadence is not None:
            cadence.append((_steps(lap.avg_run_cadence[1]), weight))
        else:
            lap_cad = lap.values.get("Cadence")
            if lap_cad is not None and lap_cad > 0:
                cadence.append((_steps(lap_cad) if sport == "running" else lap_cad, weight))
    summary.timer_time_s = sum(times) if times else None
    summary.distance_m = sum(distances) if distances else None
    summary.calories = sum(calories) if calories else None
    summary.avg_heart_rate_bpm = _weighted_mean(hr)
    summary.avg_cadence_spm = _weighted_mean(cadence)
    return summary
