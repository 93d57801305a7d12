"""One call from keypoints to a gait analysis: ``analyse(series, view)``.

Pipeline: even rows -> checks (person present, clip long enough) -> L/R swap repair (side) -> gap fill
and zero-lag filter (6 Hz walking / 8 Hz running, chosen from a first stride estimate) -> view check ->
events -> at least 7 steps -> cadence -> camera-roll correction (overground side view) -> metrics.

Bad input raises ``GaitInputError`` with a ``code`` and a ``how_to_film`` hint. Plain-language findings
are not made here; everything they need is on ``GaitAnalysis``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Literal

import numpy as np

from backstride.core.gait import metrics as m
from backstride.core.gait.events import (
    FEET,
    HEEL,
    GaitEvents,
    ToeOffMethod,
    cadence_spm,
    detect_rear_events,
    detect_side_events,
    leg_length,
    leg_lengths,
    pelvis,
    stride_period_rows,
)
from backstride.core.gait.keypoints import Landmark, PoseSeries
from backstride.core.gait.sides import repair_label_swaps
from backstride.core.gait.smoothing import (
    MAX_GAP_S,
    RUNNING_CUTOFF_HZ,
    WALKING_CUTOFF_HZ,
    effective_cutoff,
    fill_gaps,
    regularise,
    smooth_series,
)

View = Literal["side", "rear"]
ErrorCode = Literal["no_person", "too_short", "too_few_steps", "looks_like_rear", "looks_like_side"]

MIN_STEPS = 7  # Dingenen 2018: use >= 7 steps
BEHIND_PELVIS_MAX = 0.10  # a heel more than 10% of leg length behind the pelvis is not a foot strike
MIN_STEP_SHARE = 0.3  # two foot strikes less than 0.3 of a stride apart: the second is not real
UNEVEN_STEPS_CV = 0.25  # step times varying more than this (coefficient of variation) get a warning
MIN_HIP_WIDTH_PX = 40  # rear view: below this, pixel error swamps pelvic drop (1 px ~ 1.4 deg)
MIN_DURATION_S = 2.0
MIN_LEG_COVERAGE = 0.5  # legs must be found in at least half the frames
RUNNING_CADENCE_SPM = 140.0  # above this the 8 Hz running cutoff is used
FEW_STEPS_WARNING = 10
LOW_FPS_WARNING = 50.0
MAX_ROLL_CORRECTION_DEG = 10.0
# View check, in leg lengths: hips/shoulders overlap from the side; the heel swings far ahead of and
# behind the pelvis from the side but hardly at all from behind.
REAR_MIN_SEPARATION = 0.15
REAR_MAX_EXCURSION = 0.25
SIDE_MAX_SEPARATION = 0.12
SIDE_MIN_EXCURSION = 0.35

LEG_POINTS = tuple(
    int(p)
    for p in (
        Landmark.LEFT_HIP,
        Landmark.RIGHT_HIP,
        Landmark.LEFT_KNEE,
        Landmark.RIGHT_KNEE,
        Landmark.LEFT_ANKLE,
        Landmark.RIGHT_ANKLE,
        Landmark.LEFT_HEEL,
        Landmark.RIGHT_HEEL,
    )
)

HOW_TO_FILM: dict[View, str] = {
    "side": (
        "Film from the side, 3-5 m away, with the phone held still in landscape at hip height, so the "
        "whole body including the feet is in frame. Use 60 fps if your phone can, and keep at least 10 "
        "steps (about 4 seconds of running) in view; a treadmill works well."
    ),
    "rear": (
        "Film from straight behind, 3-5 m away, with the phone held still in landscape at hip height, so "
        "the whole body including the feet is in frame. Use 60 fps if your phone can, and keep at least "
        "10 steps (about 4 seconds) in view; on a treadmill the distance stays constant."
    ),
}


class GaitInputError(ValueError):
    """The clip cannot be analysed; ``code`` says why and ``how_to_film`` what to film instead."""

    def __init__(self, code: ErrorCode, message: str, how_to_film: str) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
        self.how_to_film = how_to_film

    def __reduce__(self) -> tuple[type[GaitInputError], tuple[ErrorCode, str, str]]:
        # keeps the code and hint when the error crosses a process boundary (spawned workers pickle it)
        return (GaitInputError, (self.code, self.message, self.how_to_film))


@dataclass(frozen=True)
class ViewEvidence:
    """Median hip/shoulder horizontal separation and heel fore-aft excursion, both in leg lengths."""

    separation: float
    heel_excursion: float

    def looks_like_rear(self) -> bool:
        return self.separation >= REAR_MIN_SEPARATION and self.heel_excursion < REAR_MAX_EXCURSION

    def looks_like_side(self) -> bool:
        return self.separation < SIDE_MAX_SEPARATION and self.heel_excursion > SIDE_MIN_EXCURSION


@dataclass(frozen=True)
class Prepared:
    """A series ready for events, and what was done to it."""

    series: PoseSeries
    cutoff_hz: float
    swapped_rows: int
    stride_rows: float | None


@dataclass
class GaitAnalysis:
    """The result of ``analyse``. Frames are original frame numbers; angles in degrees."""

    view: View
    fps: float
    steps: int
    cadence_spm: float | None
    direction: int  # +1 running towards image right, -1 towards left, 0 rear view
    contacts: dict[str, list[float]]  # per foot, original frames (IC; rear view: ~mid-stance)
    toe_offs: dict[str, list[float]]  # per foot (empty in rear view)
    metrics: dict[str, m.MetricSummary]
    warnings: list[str]
    leg_length_px: float
    camera_roll_deg: float  # corrected roll (0 if none was applied)
    cutoff_hz: float
    label_swaps_fixed: int  # rows whose L/R leg labels were swapped back
    treadmill: bool  # pelvis hardly moved across the frame
    series: PoseSeries = field(repr=False, compare=False)  # filtered, repaired, roll-corrected

    def median(self, name: str) -> float | None:
        """Median of a metric, None if the metric is absent or has no values."""
        metric = self.metrics.get(name)
        return None if metric is None else metric.median

    @property
    def overstride_pct_leg(self) -> float | None:
        return self.median("overstride_pct_leg")

    @property
    def shank_angle_deg(self) -> float | None:
        return self.median("shank_angle_deg")

    @property
    def trunk_lean_deg(self) -> float | None:
        return self.median("trunk_lean_deg")

    def step_list(self) -> list[tuple[float, str]]:
        """All contacts in time order as (frame, foot)."""
        return sorted((f, foot) for foot, frames in self.contacts.items() for f in frames)


def analyse(
    series: PoseSeries,
    view: View = "side",
    *,
    toe_off: ToeOffMethod = "zeni",
    height_cm: float | None = None,
    cutoff_hz: float | None = None,
) -> GaitAnalysis:
    """Analyse one runner's keypoints from a side or rear video. Raises GaitInputError on bad input."""
    if view not in HOW_TO_FILM:
        raise ValueError(f"view must be 'side' or 'rear', not {view!r}")
    hint = HOW_TO_FILM[view]
    series = regularise(series)
    check_coverage(series, hint)
    prep = prepare(series, view, cutoff_hz)
    s = prep.series
    evidence = view_evidence(s)
    if view == "side" and evidence.looks_like_rear():
        raise GaitInputError(
            "looks_like_rear",
            "This looks like a video from behind (or in front), but a side view was asked for: the hips "
            "are side by side and the feet do not swing ahead of the body.",
            hint,
        )
    if view == "rear" and evidence.looks_like_side():
        raise GaitInputError(
            "looks_like_side",
            "This looks like a video from the side, but a rear view was asked for: the hips overlap and "
            "the feet swing ahead of and behind the body.",
            hint,
        )
    dropped = 0
    if view == "side":
        events = detect_side_events(s, toe_off=toe_off, stride_rows=prep.stride_rows)
        events, dropped = plausible_contacts(s, events)
    else:
        events = detect_rear_events(s, stride_rows=prep.stride_rows)
    n_steps = len(events.steps())
    if n_steps < MIN_STEPS:
        raise GaitInputError(
            "too_few_steps",
            f"Only {n_steps} step{'' if n_steps == 1 else 's'} {'was' if n_steps == 1 else 'were'} found;"
            f" at least {MIN_STEPS} are needed for steady measures.",
            hint,
        )
    leg = leg_length(s)
    centre_x = pelvis(s)[:, 0]
    treadmill = bool(np.nanpercentile(centre_x, 95) - np.nanpercentile(centre_x, 5) < 0.5 * leg)
    warnings = _common_warnings(series, prep, events)
    if dropped:
        warnings.append(
            f"{dropped} foot strike{'s' if dropped > 1 else ''} that could not be real (the heel behind the "
            "body, or too soon after the previous step) were left out."
        )
    intervals = np.diff([frame for frame, _ in events.steps()])
    if len(intervals) >= 3 and np.std(intervals) > UNEVEN_STEPS_CV * np.mean(intervals):
        warnings.append(
            "The time between steps varied a lot, so a step may have been missed or found twice; film "
            "again from a steadier position if the numbers look wrong."
        )
    roll = 0.0
    if view == "side":
        if not treadmill:
            roll, roll_warning = _camera_roll(s, events, leg)
            if roll_warning:
                warnings.append(roll_warning)
            if roll:
                s = rotate(s, -roll)
                # Contacts were found on the tilted picture; find them again on the levelled one,
                # so the angles at contact are read at the right moment.
                levelled, _ = plausible_contacts(
                    s, detect_side_events(s, toe_off=toe_off, stride_rows=prep.stride_rows)
                )
                if len(levelled.steps()) >= MIN_STEPS:
                    events, n_steps = levelled, len(levelled.steps())
        found = side_metrics(s, events, leg, height_cm)
    else:
        found = {"pelvic_drop_deg": m.pelvic_drop_deg(s, events)}
        warnings.append(
            "From behind, steps and cadence come from the feet's alternating heights, so step timing is "
            "approximate and the step rate can be well off: use a side view for step rate. "
            + m.PELVIC_DROP_NOTE
        )
        hip_px = float(
            np.nanmedian(np.abs(s.point(Landmark.LEFT_HIP)[:, 0] - s.point(Landmark.RIGHT_HIP)[:, 0]))
        )
        if np.isfinite(hip_px) and hip_px < MIN_HIP_WIDTH_PX:
            warnings.append(
                f"The runner is small in the frame (hips about {hip_px:.0f} pixels apart), so one pixel of "
                f"error moves the pelvic drop by about {np.degrees(np.arctan(1 / max(hip_px, 1))):.0f} "
                "degrees: treat it as a rough guess, and film from closer (3-5 m) next time."
            )
    if view == "side" and found["neck_flexion_deg"].n == 0:
        warnings.append("The head was not visible enough for the head, neck and bounce measures.")
    return GaitAnalysis(
        view=view,
        fps=series.fps,
        steps=n_steps,
        cadence_spm=cadence_spm(events, series.fps),
        direction=events.direction,
        contacts={f: [float(x) for x in events.contacts[f]] for f in FEET},
        toe_offs={f: [float(x) for x in events.toe_offs[f]] for f in FEET},
        metrics=found,
        warnings=warnings,
        leg_length_px=leg,
        camera_roll_deg=roll,
        cutoff_hz=prep.cutoff_hz,
        label_swaps_fixed=prep.swapped_rows,
        treadmill=treadmill,
        series=s,
    )


def plausible_contacts(s: PoseSeries, events: GaitEvents) -> tuple[GaitEvents, int]:
    """Drop side-view contacts that cannot be foot strikes: the heel well behind the pelvis, or a
    contact too soon after the previous one (either foot). Returns the events and how many went."""
    leg = leg_length(s)
    stride = events.stride_period_frames
    min_gap = MIN_STEP_SHARE * stride if stride else 0.0
    kept: dict[str, list[float]] = {foot: [] for foot in FEET}
    dropped, last = 0, -np.inf
    for frame, foot in events.steps():
        points = s.at_frames(np.array([frame]))[0]
        hip_mid = (points[int(Landmark.LEFT_HIP)] + points[int(Landmark.RIGHT_HIP)]) / 2
        ahead = events.direction * (points[int(HEEL[foot])][0] - hip_mid[0])
        if (np.isfinite(ahead) and np.isfinite(leg) and ahead < -BEHIND_PELVIS_MAX * leg) or (
            frame - last < min_gap
        ):
            dropped += 1
            continue
        kept[foot].append(frame)
        last = frame
    if not dropped:
        return events, 0
    contacts = {foot: np.array(kept[foot]) for foot in FEET}
    return replace(events, contacts=contacts), dropped


def side_metrics(
    s: PoseSeries, events: GaitEvents, leg: float, height_cm: float | None = None
) -> dict[str, m.MetricSummary]:
    """All side-view metrics, keyed by name."""
    d = events.direction
    vo_pct, vo_cm = m.vertical_oscillation(s, events, leg, height_cm)
    found = [
        m.overstride_pct_leg(s, events, leg),
        m.shank_angle_deg(s, events),
        m.knee_flexion_deg(s, events),
        m.per_step_mean("trunk_lean_deg", "deg", m.trunk_lean_series(s, d), s, events),
        m.per_step_mean("neck_flexion_deg", "deg", m.neck_flexion_series(s, d), s, events),
        m.per_step_mean("head_pitch_deg", "deg", m.head_pitch_series(s, d), s, events),
        vo_pct,
        vo_cm,
    ]
    return {x.name: x for x in found}


def check_coverage(series: PoseSeries, hint: str) -> None:
    """Raise no_person / too_short when the legs are mostly missing or the clip is too short."""
    present = np.isfinite(series.xy[:, list(LEG_POINTS), :]).all(axis=(1, 2))
    if not present.any():
        raise GaitInputError("no_person", "No person was found in the video.", hint)
    # Judge coverage over the span the runner is in view: an overground runner crossing the frame
    # is absent before and after, which is fine.
    rows = np.flatnonzero(present)
    share = float(present[rows[0] : rows[-1] + 1].mean())
    if share < MIN_LEG_COVERAGE:
        raise GaitInputError(
            "no_person",
            f"The runner's legs and feet were found in only {100 * share:.0f}% of the video.",
            hint,
        )
    seconds = present.sum() / series.sample_rate
    if seconds < MIN_DURATION_S:
        raise GaitInputError(
            "too_short",
            f"The runner is in view for only {seconds:.1f} s; at least {MIN_DURATION_S:.0f} s are needed.",
            hint,
        )


def prepare(series: PoseSeries, view: View, cutoff_hz: float | None = None) -> Prepared:
    """Swap repair (side view), then gap filling and a zero-lag low-pass whose cutoff (unless given)
    follows a first stride estimate: 6 Hz for walking cadences, 8 Hz for running."""
    swapped = 0
    if view == "side":
        series, mask = repair_label_swaps(series)
        swapped = int(mask.sum())
    filled = fill_gaps(series.xy, max(1, round(MAX_GAP_S * series.sample_rate)))
    stride = stride_period_rows(_stride_signals(series.with_xy(filled), view), series.sample_rate)
    if cutoff_hz is None:
        cadence = None if stride is None else 120.0 * series.sample_rate / stride
        walking = cadence is not None and cadence < RUNNING_CADENCE_SPM
        cutoff_hz = WALKING_CUTOFF_HZ if walking else RUNNING_CUTOFF_HZ
    smoothed = smooth_series(series, cutoff_hz)
    stride = stride_period_rows(_stride_signals(smoothed, view), series.sample_rate) or stride
    return Prepared(smoothed, effective_cutoff(cutoff_hz, series.sample_rate), swapped, stride)


def view_evidence(series: PoseSeries) -> ViewEvidence:
    """How side-on the clip looks: hip/shoulder separation and heel excursion, in leg lengths."""
    both = leg_lengths(series)
    count = np.isfinite(both).sum(axis=1)
    leg = np.where(count > 0, np.nansum(both, axis=1) / np.maximum(count, 1), np.nan)

    def gap(a: Landmark, b: Landmark) -> np.ndarray:
        return np.asarray(np.abs(series.point(a)[:, 0] - series.point(b)[:, 0]) / leg)

    sep = (
        gap(Landmark.LEFT_HIP, Landmark.RIGHT_HIP) + gap(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    ) / 2.0
    centre = pelvis(series)[:, 0]
    excursions = []
    for foot in FEET:
        rel = (series.point(HEEL[foot])[:, 0] - centre) / leg
        if np.isfinite(rel).any():
            excursions.append(float(np.nanpercentile(rel, 90) - np.nanpercentile(rel, 10)))
    separation = float(np.nanmedian(sep)) if np.isfinite(sep).any() else float("nan")
    excursion = float(np.mean(excursions)) if excursions else float("nan")
    return ViewEvidence(separation, excursion)


def rotate(series: PoseSeries, degrees: float) -> PoseSeries:
    """Rotate all keypoints about the image centre (positive = clockwise on screen, as y is down)."""
    a = np.radians(degrees)
    c, s = np.cos(a), np.sin(a)
    centre = np.array([series.width / 2.0, series.height / 2.0])
    p = series.xy - centre
    x = c * p[..., 0] - s * p[..., 1]
    y = s * p[..., 0] + c * p[..., 1]
    return series.with_xy(np.stack([x, y], axis=-1) + centre)


def _stride_signals(series: PoseSeries, view: View) -> list[np.ndarray]:
    if view == "rear":
        diff = series.point(Landmark.LEFT_HEEL)[:, 1] - series.point(Landmark.RIGHT_HEEL)[:, 1]
        return [diff]
    centre = pelvis(series)[:, 0]
    return [series.point(HEEL[f])[:, 0] - centre for f in FEET]


def _camera_roll(s: PoseSeries, events: GaitEvents, leg: float) -> tuple[float, str | None]:
    """Camera roll from the line through the heels at contact (overground only): (degrees, warning)."""
    pts = []
    for foot in FEET:
        if len(events.contacts[foot]):
            pts.append(s.at_frames(events.contacts[foot])[:, int(HEEL[foot])])
    heels = np.concatenate(pts) if pts else np.empty((0, 2))
    heels = heels[np.isfinite(heels).all(axis=1)]
    if len(heels) < 4 or np.ptp(heels[:, 0]) < 1.5 * leg:
        return 0.0, None
    slope = float(np.polyfit(heels[:, 0], heels[:, 1], 1)[0])
    roll = float(np.degrees(np.arctan(slope)))
    if abs(roll) > MAX_ROLL_CORRECTION_DEG:
        return 0.0, (
            f"The ground line through the heel strikes is tilted by {abs(roll):.0f} degrees (a tilted "
            "camera or a slope); angles were not corrected. Hold the phone level."
        )
    if abs(roll) < 0.5:
        return 0.0, None
    return roll, (
        f"The camera was tilted by about {abs(roll):.1f} degrees; angles were corrected using the line "
        "through the heel strikes."
    )


def _common_warnings(raw: PoseSeries, prep: Prepared, events: GaitEvents) -> list[str]:
    warnings = []
    if prep.swapped_rows:
        warnings.append(
            f"Left and right legs were mixed up in {prep.swapped_rows} frames and were swapped back."
        )
    if raw.sample_rate < LOW_FPS_WARNING:
        warnings.append(
            f"The video was analysed at {raw.sample_rate:.0f} frames per second, so contact timing is "
            f"only precise to about {1000 / raw.sample_rate:.0f} ms. Film at 60 fps if your phone can."
        )
    n = len(events.steps())
    if n < FEW_STEPS_WARNING:
        found = f"{n} step was" if n == 1 else f"{n} steps were"
        warnings.append(f"Only {found} found; medians are steadier with {FEW_STEPS_WARNING} or more.")
    feet = [foot for _, foot in events.steps()]
    if any(a == b for a, b in pairwise(feet)):
        warnings.append(
            "Some contacts were missed (the feet did not always alternate); cadence uses the other steps."
        )
    return warnings
