"""The shapes services.gait returns: a form check's result (stored with the check, printed by
`backstride gait --format json`: a public contract, issue 6) and the runner's list of checks. The
form-check page, its charts and the CLI read them by key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NotRequired, TypedDict

from backstride.core.gait.analysis import View
from backstride.core.gait.metrics import Confidence

from .citations import SourceRef


class MetricJson(TypedDict):
    """gait_json.metric_json(MetricSummary): a value per step and its summary."""

    name: str
    unit: str
    frames: Sequence[float]  # a tuple when made, a list once stored
    sides: Sequence[str]  # "left"/"right", the foot of each step
    values: list[float | None]  # None where the step could not be measured
    n: int
    median: float | None
    q25: float | None
    q75: float | None
    confidence: Confidence
    note: str
    iqr: float | None


class FindingJson(TypedDict):
    id: str
    kind: str  # "flag", "info", "change" or "limits"
    title: str
    text: str
    sources: list[str]  # source ids


class SelectionJson(TypedDict):
    """pose.runner.Selection.to_dict(): who was analysed and why."""

    method: str  # "travel", "persistence", "roi" or "only"
    frame: int
    box: list[float]  # x0, y0, x1, y1 in video pixels
    others: list[list[float]]
    n_people: int
    roi: list[float] | None


class VideoJson(TypedDict):
    """pose.extract.Extraction.to_dict(): the clip and the pick (the page reads the size and pick)."""

    fps: float
    declared_fps: float
    duration_s: float
    width: int
    height: int
    analysis_width: int
    analysis_height: int
    rotation: int
    n_video_frames: int
    first_frame: int
    last_frame: int
    frames_found: int
    selection: SelectionJson
    seconds: dict[str, float]  # time per stage of the extraction


class GaitResult(TypedDict):
    """A form check's result, in the order `backstride gait --format json` prints it."""

    view: View
    fps: float
    steps: int
    cadence_spm: float | None
    direction: int  # +1 running towards image right, -1 towards left, 0 rear view
    overstride_pct_leg: float | None
    shank_angle_deg: float | None
    trunk_lean_deg: float | None
    contacts: dict[str, list[float]]  # per foot, frames
    toe_offs: dict[str, list[float]]
    metrics: dict[str, MetricJson]
    warnings: list[str]
    leg_length_px: float
    camera_roll_deg: float
    cutoff_hz: float
    label_swaps_fixed: int
    treadmill: bool
    knee_flexion_ic_deg: NotRequired[float | None]  # missing from checks stored before it was measured
    cadence_target_spm: list[int] | None  # the +5 % to +10 % range, when a running cadence is known
    findings: list[FindingJson]
    sources: list[SourceRef]
    video: VideoJson


class GaitReport(GaitResult):
    """`backstride gait VIDEO --format json`: the result and the id it was saved as."""

    id: int


class GaitHistoryRow(TypedDict):
    """One form check in the runner's list (`backstride gait --list --format json`)."""

    id: int
    day: str  # ISO date
    filename: str
    view: str
    status: str  # "queued", "running", "done" or "failed"
    message: str  # why it failed
    cadence_spm: float | None
    overstride_pct_leg: float | None
    trunk_lean_deg: float | None
    pelvic_drop_deg: float | None
