"""A form check's result as stored and printed (`backstride gait --format json`, a public contract,
issue 6), shaped here from the core's gait analysis and findings: the core returns values."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

from backstride.core.gait.analysis import GaitAnalysis
from backstride.core.gait.findings import EarlierAnalysis, cadence_target, findings
from backstride.core.gait.metrics import MetricSummary

from .citations import source_refs
from .gait_types import GaitResult, MetricJson, VideoJson

if TYPE_CHECKING:  # the pose package needs the optional video extra at run time
    from backstride.pose.extract import Extraction


def gait_result(analysis: GaitAnalysis, extraction: Extraction, earlier: list[EarlierAnalysis]) -> GaitResult:
    """The stored result: the analysis first (without its keypoint series), then what this check
    adds: the findings compared with the earlier analyses, their sources and the clip."""
    target = cadence_target(analysis)
    found = findings(analysis, earlier)
    return {
        "view": analysis.view,
        "fps": analysis.fps,
        "steps": analysis.steps,
        "cadence_spm": analysis.cadence_spm,
        "direction": analysis.direction,
        "overstride_pct_leg": analysis.overstride_pct_leg,
        "shank_angle_deg": analysis.shank_angle_deg,
        "trunk_lean_deg": analysis.trunk_lean_deg,
        "contacts": analysis.contacts,
        "toe_offs": analysis.toe_offs,
        "metrics": {name: metric_json(metric) for name, metric in analysis.metrics.items()},
        "warnings": list(analysis.warnings),
        "leg_length_px": analysis.leg_length_px,
        "camera_roll_deg": analysis.camera_roll_deg,
        "cutoff_hz": analysis.cutoff_hz,
        "label_swaps_fixed": analysis.label_swaps_fixed,
        "treadmill": analysis.treadmill,
        "knee_flexion_ic_deg": analysis.median("knee_flexion_ic_deg"),
        "cadence_target_spm": None if target is None else list(target),
        "findings": [
            {"id": f.id, "kind": f.kind, "title": f.title, "text": f.text, "sources": list(f.sources)}
            for f in found
        ],
        "sources": source_refs(s for f in found for s in f.sources),
        "video": video_json(extraction),
    }


def metric_json(metric: MetricSummary) -> MetricJson:
    """One metric, a value per step and its summary; JSON has no NaN, so a step that could not be
    measured is None."""
    return {
        "name": metric.name,
        "unit": metric.unit,
        "frames": metric.frames,
        "sides": metric.sides,
        "values": [value if math.isfinite(value) else None for value in metric.values],
        "n": metric.n,
        "median": metric.median,
        "q25": metric.q25,
        "q75": metric.q75,
        "confidence": metric.confidence,
        "note": metric.note,
        "iqr": metric.iqr,
    }


def video_json(extraction: Extraction) -> VideoJson:
    # The pose package describes the clip it decoded (Extraction.to_dict); VideoJson names its keys.
    return cast(VideoJson, extraction.to_dict())
