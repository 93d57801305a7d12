"""GPX importer: `parse_gpx(bytes) -> list[ParsedActivity]`, one activity per `<trk>`.

Rules (spec/activity.md §6 items 3 and 5):

- The file is streamed (xmlstream.walk): points become compact rows as they are read, so a 150 MB file
  never becomes a tree.
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
- GPS jumps (core.plausibility rule 1, per the track's sport): a point far out of reach of the track and
  back is dropped (its position and distance become None); a jump after which the track goes on from
  the new place adds no distance. Either flags the activity `partial` with the reason.
- Distance per sample: cumulative haversine between consecutive GPS points, not bridged across
  `<trkseg>` breaks or GPS jumps (None where a point has no GPS). A track with no GPS at all uses the device's
  extension `distance` instead (Movescount/gpxdata), when the file has it. (0, 0) counts as no GPS.
- Sport from the track's `<type>`: a word (`running`, `Run`, `biking`...) or a Strava numeric code
  (9 = Run, 1 = Ride); none -> "other" (the bulk-export CSV or the user fills it in later).
- Cadence: GPX writers store a running cadence per leg (Strava, Garmin: ~80-95). For a running track
  whose median positive cadence is <= 120 the channel is doubled to steps/min (`per_leg_to_steps`).
  For other sports cadence is left as written (bike rpm). A file without `<type>` is "other", so its
  cadence is left as written: call `apply_running_cadence_rule` after setting the sport to running.
- Past `sample_cap(file size)` kept points (at most MAX_SAMPLES) the samples are thinned to
  every 2nd, 4th... (the last kept); distance is added up over every point first.
- `summary` stays empty (GPX has no device totals) except what an extensions summary gives: Holux
  track extensions (tripdist/triptime/movetime/ascent/descent) and gpxdata laps (pytrainer,
  Movescount), the latter only when every lap has a positive distance and duration.
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
    LOCAL_NAMES_MAX,
    child_text,
    chronological_indices,
    clock_problem,
    drop_reason,
    heart_rate,
    latest_epoch,
    local,
    mark_damaged,
    parse_duration,
    parse_epoch,
    parse_time,
    per_leg_to_steps,
    sport_from_label,
    to_float,
    valid_position,
)

_HR_NAMES = frozenset({"hr", "heartrate", "heart_rate", "heartratebpm", "bpm"})
_CAD_NAMES = frozenset({"cad", "cadence", "runcadence", "rpm"})
_HOLUX = ("tripdist", "triptime", "movetime", "ascent", "descent")
NAME_MAX = 200  # characters of a name kept (what is stored)

# Columns of a track point row: (t_epoch, segment, lat, lon, ele, hr, cad, speed, device_distance)
T, SEG, LAT, LON, ELE, HR, CAD, SPEED, DIST = range(9)


def parse_gpx(data: bytes) -> list[ParsedActivity]:
    """Activities in a GPX file (plain bytes; the caller gunzips). Raises ActivityFileError when the file
    cannot be read, NotAnActivity when it holds no recorded track."""
    reader, damage = walk(data, "GPX", "gpx", lambda: _GpxReader(sample_cap(len(data))))
    activities = reader.activities
    file_name = reader.metadata_name or reader.root_name
    for activity in activities:
        activity.name = (activity.name or file_name or "")[:NAME_MAX] or None
    if not activities:
        if damage:
            raise ActivityFileError(f"GPX file unreadable: {damage}, before any recorded point")
        raise NotAnActivity(reader.why_no_activity())
    if len(activities) == 1 and reader.laps:
        _fill_from_gpxdata_laps(activities[0].summary, reader.laps)
    mark_damaged(activities, damage)
    return activities


def apply_running_cadence_rule(activity: ParsedActivity) -> bool:
    """Double a per-leg cadence channel to steps/min (see the module rules). For a GPX whose sport was
    set to running after import (no `<type>` in the file). Returns True when it doubled."""
    if activity.sport != "running":
        return False
    cadence, doubled = per_leg_to_steps(list(activity.samples.cadence_spm))
    if doubled:
        activity.samples.cadence_spm = Channel(cadence)
    return doubled


_Row = tuple[float, ...]
_NAN = math.nan
_LOWER_NAMES: dict[str, str] = {}  # tag -> local name in lower case (bounded as LOCAL_NAMES is)


def _lower_local(tag: str) -> str:
    name = _LOWER_NAMES.get(tag)
    if name is None:
        name = local(tag).lower()
        if len(_LOWER_NAMES) < LOCAL_NAMES_MAX:
            _LOWER_NAMES[tag] = name
    return name


def _read_point(pt: Element, segment: int, latest: float) -> _Row | None:
    """A <trkpt> (with its children) as a row, NaN for a missing value, or None without a usable time
    (`latest`: the latest plausible one)."""
    t = None
    ele = speed = ext_speed = hr = cad = dist = None
    names = LOCAL_NAMES
    for c in pt:
        tag = c.tag
        name = names.get(tag) or local(tag)
        if name == "time":
            t = parse_epoch(c.text)
        elif name == "ele":
            ele = to_float(c.text)
        elif name == "speed":
            speed = to_float(c.text)
        elif name == "extensions":
            for e in c.iter():
                if e.text is None:
                    continue
                ename = _lower_local(e.tag)
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
    if t is None or not EARLIEST_EPOCH <= t <= latest:
        return None
    lat, lon = to_float(pt.get("lat")), to_float(pt.get("lon"))
    if not valid_position(lat, lon) or (lat == 0 and lon == 0):
        lat = lon = None
    hr = heart_rate(hr)
    if speed is None:
        speed = ext_speed
    return (
        t,
        segment,
        _NAN if lat is None else lat,
        _NAN if lon is None else lon,
        _NAN if ele is None else ele,
        _NAN if hr is None else hr,
        _NAN if cad is None else cad,
        _NAN if speed is None else speed,
        _NAN if dist is None else dist,
    )


@dataclass
class _Track:
    name: str | None = None
    named: bool = False
    kind: str | None = None
    typed: bool = False
    segment: int = -1
    points: int = 0
    table: PointTable = field(default_factory=lambda: PointTable(9))
    extensions: int = 0  # <extensions> children seen: only the first holds the Holux totals
    holux: dict[str, float | None] = field(default_factory=dict)


@dataclass
class _Lap:
    distance: float | None = None
    elapsed: str | None = None
    calories: float | None = None
    seen: set[str] = field(default_factory=set)
    hr: float | None = None
    hr_decided: bool = False
    summary_hr: float | None = None  # the current <summary>'s first AverageHeartRateBpm child
    summary_hr_seen: bool = False


class _GpxReader:
    """Reads the stream of a GPX document (see xmlstream.walk) into activities, one track at a time."""

    records = frozenset({"trkpt"})

    def __init__(self, cap: int = MAX_SAMPLES) -> None:
        self.sample_cap = cap  # samples kept per activity (thinned past it)
        self.creator: str | None = None
        self.metadata_name: str | None = None
        self.metadatas = 0
        self.metadata_named = False
        self.root_name: str | None = None
        self.root_named = False
        self.activities: list[ParsedActivity] = []
        self.tracks = self.untimed_tracks = self.routes = self.waypoints = 0
        self.root_extensions = 0
        self.laps: list[_Lap] = []
        self.track: _Track | None = None
        self.lap: _Lap | None = None
        self.wrong_clock: str | None = None  # why the first refused time was refused, when it was there
        self.latest = latest_epoch()  # the latest plausible time, taken once per file

    def start(self, elem: Element, path: list[str]) -> None:
        depth = len(path)
        if depth == 1:
            self.creator = (elem.get("creator") or "").strip() or None
        elif depth == 2:
            if path[1] == "trk":
                self.tracks += 1
                self.track = _Track()
            elif path[1] == "metadata":
                self.metadatas += 1
            elif path[1] == "extensions":
                self.root_extensions += 1
        elif self.track is not None and path[1] == "trk":
            if depth == 3:
                if path[2] == "trkseg":
                    self.track.segment += 1
                elif path[2] == "extensions":
                    self.track.extensions += 1
            elif depth == 4 and path[2] == "trkseg" and path[3] == "trkpt":
                self.track.points += 1
        elif depth == 3 and path[1] == "extensions" and path[2] == "lap" and self.root_extensions == 1:
            self.lap = _Lap()

    def end(self, elem: Element, path: list[str]) -> None:
        depth = len(path)
        if depth == 1:
            return
        if depth == 4 and self.track is not None and path[1] == "trk" and path[2] == "trkseg":
            if path[3] == "trkpt":
                row = _read_point(elem, self.track.segment, self.latest)
                if row is not None:
                    self.track.table.append(row)
                elif self.wrong_clock is None:
                    self.wrong_clock = clock_problem(parse_time(child_text(elem, "time")))
        elif depth == 2:
            self._top_end(elem, path[1])
        elif path[1] == "trk" and self.track is not None and depth == 3:
            self._track_child(elem, path[2])
        elif path[1] == "trk" and self.track is not None and depth == 4 and path[2] == "extensions":
            track = self.track
            if track.extensions == 1 and path[3] in _HOLUX and path[3] not in track.holux:
                track.holux[path[3]] = to_float(child_text(elem))
        elif path[1] == "metadata" and depth == 3 and path[2] == "name" and self.metadatas == 1:
            if not self.metadata_named:
                self.metadata_named = True
                self.metadata_name = child_text(elem)
        elif path[1] == "extensions" and self.lap is not None and depth >= 4:
            self._lap_child(elem, path, depth)
        elif depth == 3 and path[1] == "extensions" and path[2] == "lap" and self.lap is not None:
            self.laps.append(self.lap)
            self.lap = None

    def read_records(self, elems: list[Element], path: list[str]) -> None:
        track = self.track
        if track is None or len(path) != 4 or path[1] != "trk" or path[2] != "trkseg":
            for elem in elems:  # not a track's points: whatever start and end make of them
                self.start(elem, path)
                self.end(elem, path)
            return
        track.points += len(elems)  # what `start` counts, and `end` reads, for each
        segment, latest, table = track.segment, self.latest, track.table
        for elem in elems:
            row = _read_point(elem, segment, latest)
            if row is not None:
                table.append(row)
            elif self.wrong_clock is None:
                self.wrong_clock = clock_problem(parse_time(child_text(elem, "time")))

    def _top_end(self, elem: Element, name: str) -> None:
        if name == "trk" and self.track is not None:
            activity = _build_track(self.track, self.creator, self.sample_cap)
            if activity is not None:
                self.activities.append(activity)
            elif self.track.points:
                self.untimed_tracks += 1
            self.track = None
        elif name == "name" and not self.root_named:
            self.root_named = True
            self.root_name = child_text(elem)
        elif name == "rte":
            self.routes += 1
        elif name == "wpt":
            self.waypoints += 1

    def _track_child(self, elem: Element, name: str) -> None:
        track = self.track
        assert track is not None
        if name == "name" and not track.named:
            track.named = True
            track.name = child_text(elem)
        elif name == "type" and not track.typed:
            track.typed = True
            track.kind = child_text(elem)

    def _lap_child(self, elem: Element, path: list[str], depth: int) -> None:
        lap = self.lap
        assert lap is not None
        name = path[3]
        if depth == 4:
            if name in ("distance", "elapsedTime", "calories") and name not in lap.seen:
                lap.seen.add(name)
                if name == "distance":
                    lap.distance = to_float(child_text(elem))
                elif name == "calories":
                    lap.calories = to_float(child_text(elem))
                else:
                    lap.elapsed = child_text(elem)
            elif name == "summary":
                if not lap.hr_decided:
                    if elem.get("name") == "AverageHeartRateBpm":
                        lap.hr, lap.hr_decided = to_float(elem.text), True
                    elif lap.summary_hr is not None:
                        lap.hr, lap.hr_decided = lap.summary_hr, True
                lap.summary_hr, lap.summary_hr_seen = None, False
        elif (
            depth == 5 and name == "summary" and path[4] == "AverageHeartRateBpm" and not lap.summary_hr_seen
        ):
            lap.summary_hr_seen = True
            lap.summary_hr = to_float(child_text(elem))

    def why_no_activity(self) -> str:
        if self.untimed_tracks and self.wrong_clock:
            return f"GPX track {self.wrong_clock}"
        if self.untimed_tracks:
            return "GPX track has no usable timestamps: a drawn or planned route, not a recorded activity"
        if self.tracks:
            return "GPX track is empty: no track points"
        if self.routes:
            return "GPX file holds a route (<rte>), not a recorded activity"
        if self.waypoints:
            return "GPX file holds only waypoints, not a recorded activity"
        return "GPX file holds no track: nothing was recorded"


def _build_track(track: _Track, device: str | None, cap: int) -> ParsedActivity | None:
    table = track.table
    if not len(table):
        return None
    columns = table.columns
    times, lats, lons, segments = columns[T], columns[LAT], columns[LON], columns[SEG]
    keep = chronological_indices(times)
    sport, sub_sport = sport_from_label(track.kind)
    with_position = array("q", (i for i in keep if lats[i] == lats[i]))
    jumps = find_position_jumps(times, lats, lons, with_position, sport)
    off_track, jumped = set(jumps.dropped), set(jumps.breaks)
    start_t = times[keep[0]]
    # Distance and position of every kept point (distance is added up over all of them), then the
    # samples at the positions `thinned` keeps. NaN stands for None throughout, as in the table.
    if with_position:
        distances, out_lats, out_lons = array("d"), array("d"), array("d")
        cumulative = 0.0
        prev_lat = prev_lon = prev_segment = _NAN
        for i in keep:
            lat = lats[i]
            if lat == lat and i not in off_track:
                lon, segment = lons[i], segments[i]
                if prev_segment == segment and i not in jumped:  # NaN: no point before
                    cumulative += haversine_m(prev_lat, prev_lon, lat, lon)
                prev_lat, prev_lon, prev_segment = lat, lon, segment
                distances.append(cumulative)
                out_lats.append(lat)
                out_lons.append(lon)
            else:
                distances.append(_NAN)
                out_lats.append(_NAN)
                out_lons.append(_NAN)
    else:
        distances, out_lats, out_lons = take(columns[DIST], keep), take(lats, keep), take(lons, keep)
    picked = thinned(len(keep), cap).positions()
    rows = keep if len(picked) == len(keep) else [keep[n] for n in picked]
    samples = Samples(
        elapsed_s=Channel(array("d", [round(times[i] - start_t, 3) for i in rows])),
        distance_m=Channel(take(distances, picked)),
        altitude_m=Channel(take(columns[ELE], rows)),
        speed_mps=Channel(take(columns[SPEED], rows)),
        heart_rate_bpm=Channel(take(columns[HR], rows)),
        cadence_spm=Channel(take(columns[CAD], rows)),
        latitude=Channel(take(out_lats, picked)),
        longitude=Channel(take(out_lons, picked)),
    )
    activity = ParsedActivity(
        source_format="gpx",
        start_time=datetime.fromtimestamp(start_t, UTC),
        sport=sport,
        sub_sport=sub_sport,
        device=device[:NAME_MAX] if device else None,
        name=track.name,
        samples=samples,
    )
    apply_running_cadence_rule(activity)
    if track.extensions:
        _fill_from_track_extensions(activity.summary, track.holux)
    reasons = [drop_reason(track.points, table.appended, len(table), len(keep), "track points")]
    if jumps:
        reasons.append("GPS: " + describe_jump(jumps, "point", sport))
    activity.partial_reason = "; ".join(r for r in reasons if r) or None
    activity.partial = activity.partial_reason is not None
    return activity


def _fill_from_track_extensions(summary: DeviceSummary, holux: dict[str, float | None]) -> None:
    """Holux-style totals in `<trk><extensions>`: tripdist (m), triptime/movetime (s), ascent/descent (m)."""
    summary.distance_m = holux.get("tripdist")
    summary.elapsed_time_s = holux.get("triptime")
    summary.moving_time_s = holux.get("movetime")
    summary.ascent_m = holux.get("ascent")
    descent = holux.get("descent")
    summary.descent_m = abs(descent) if descent is not None else None


def _fill_from_gpxdata_laps(summary: DeviceSummary, laps: list[_Lap]) -> None:
    """gpxdata laps (cluetrust schema) in the file's `<extensions>`: summed into distance/timer/calories and
    a time-weighted average heart rate. Ignored unless every lap has a positive distance and duration
    (Movescount writes zero-length placeholder laps)."""
    distances = [lap.distance for lap in laps]
    times = [parse_duration(lap.elapsed) for lap in laps]
    if any(d is None or d <= 0 for d in distances) or any(t is None or t <= 0 for t in times):
        return
    summary.distance_m = sum(d for d in distances if d is not None)
    summary.timer_time_s = sum(t for t in times if t is not None)
    calories = [lap.calories for lap in laps]
    if all(c is not None for c in calories):
        summary.calories = sum(c for c in calories if c is not None)
    weighted = [(lap.hr, t) for lap, t in zip(laps, times, strict=True) if lap.hr]
    if weighted:
        summary.avg_heart_rate_bpm = sum(hr * (t or 0) for hr, t in weighted if hr) / sum(
            t or 0 for _, t in weighted
        )
