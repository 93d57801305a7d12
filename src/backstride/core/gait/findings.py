"""What a gait analysis means, in plain words with sources (knowledge/gait_findings.yaml). Pure.

Metrics without a validated cut-off are compared with the runner's own earlier analyses of the same
view; the few flags there are name their threshold and say whose choice it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from backstride.knowledge.gait import gait_knowledge

from .analysis import GaitAnalysis

# Metrics compared with earlier clips: name -> (label, unit, decimals).
COMPARED: Mapping[str, tuple[str, str, int]] = {
    "cadence_spm": ("Step rate", " steps/min", 0),
    "overstride_pct_leg": ("Heel ahead of pelvis", "% of leg", 0),
    "shank_angle_deg": ("Shin angle at foot strike", "°", 0),
    "knee_flexion_ic_deg": ("Knee bend at foot strike", "°", 0),
    "trunk_lean_deg": ("Trunk lean", "°", 0),
    "neck_flexion_deg": ("Neck bend", "°", 0),
    "vertical_oscillation_pct_leg": ("Bounce", "% of leg", 1),
    "pelvic_drop_deg": ("Pelvic drop", "°", 1),
}


@dataclass(frozen=True)
class Finding:
    id: str
    title: str
    text: str
    sources: tuple[str, ...]
    kind: str  # "flag" (worth acting on), "info", "change" or "limits"


@dataclass(frozen=True)
class EarlierAnalysis:
    """The medians of one earlier analysis (as stored), for comparison. Give only analyses of other
    clips: the same clip analysed again (another person picked) is not an earlier clip."""

    day: date
    view: str
    medians: Mapping[str, float | None]

    def is_running(self) -> bool:
        cadence = self.medians.get("cadence_spm")
        return cadence is not None and cadence >= gait_knowledge().thresholds["running_min_spm"]


def medians_of(analysis: GaitAnalysis) -> dict[str, float | None]:
    """The values compared over time: cadence and each metric's median."""
    values: dict[str, float | None] = {"cadence_spm": analysis.cadence_spm}
    values.update({name: metric.median for name, metric in analysis.metrics.items()})
    return values


def _finding(finding_id: str, kind: str, **values: object) -> Finding:
    text = gait_knowledge().findings[finding_id]
    return Finding(finding_id, text.title.format(**values), text.text.format(**values), text.sources, kind)


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _changes(analysis: GaitAnalysis, earlier: EarlierAnalysis) -> list[str]:
    """One line per metric measured both times; says whether the change exceeds the clip's own
    step-to-step spread (or the method's known error, where one is published)."""
    limits = gait_knowledge().thresholds
    known_error = {
        "pelvic_drop_deg": limits["pelvic_drop_sdd_deg"],
        "knee_flexion_ic_deg": limits["knee_flexion_change_deg"],
    }
    if analysis.cadence_spm is not None:
        known_error["cadence_spm"] = analysis.cadence_spm * limits["cadence_change_pct"] / 100
    now = medians_of(analysis)
    lines = []
    for name, (label, unit, decimals) in COMPARED.items():
        before, current = earlier.medians.get(name), now.get(name)
        if before is None or current is None:
            continue
        diff = current - before
        metric = analysis.metrics.get(name)
        noise = known_error.get(name, metric.iqr if metric is not None and metric.iqr else 0.0)
        verdict = "a real change" if abs(diff) > noise else "within the normal variation"
        lines.append(
            f"{label}: {_fmt(before, decimals)}{unit} then, {_fmt(current, decimals)}{unit} now "
            f"({'+' if diff >= 0 else ''}{_fmt(diff, decimals)}; {verdict})."
        )
    return lines


def findings(analysis: GaitAnalysis, earlier: Sequence[EarlierAnalysis] = ()) -> list[Finding]:
    """Flags first, then the baseline numbers, the comparison with the latest earlier clip of the
    same view, and always the limits of 2D video."""
    limits = gait_knowledge().thresholds
    out: list[Finding] = []
    cadence = analysis.cadence_spm
    walking = analysis.view == "side" and cadence is not None and cadence < limits["running_min_spm"]
    if walking and cadence is not None and cadence < limits["slowed_max_spm"]:
        out.append(_finding("GAIT-SLOWED", "info", cadence=round(cadence)))
    elif walking:
        out.append(_finding("GAIT-WALKING", "info", cadence=round(cadence or 0)))
    elif analysis.view == "side":
        overstride, shank = analysis.overstride_pct_leg, analysis.shank_angle_deg
        overstriding = (overstride is not None and overstride >= limits["overstride_pct_leg"]) or (
            shank is not None and shank >= limits["shank_angle_deg"]
        )
        if overstriding:
            out.append(
                _finding(
                    "GAIT-OVERSTRIDE",
                    "flag",
                    overstride="?" if overstride is None else round(overstride),
                    shank="?" if shank is None else round(shank),
                )
            )
        target = cadence_target(analysis)
        if cadence is not None and target is not None and overstriding:
            low, high = target
            out.append(_finding("GAIT-CADENCE-RETRAIN", "flag", cadence=round(cadence), low=low, high=high))
        elif cadence is not None:
            out.append(_finding("GAIT-CADENCE", "info", cadence=round(cadence)))
        neck, pitch = analysis.median("neck_flexion_deg"), analysis.median("head_pitch_deg")
        if (neck is not None and neck >= limits["neck_flexion_deg"]) or (
            pitch is not None and pitch >= limits["head_pitch_deg"]
        ):
            out.append(
                _finding(
                    "GAIT-NECK-FLEXED",
                    "flag",
                    neck="?" if neck is None else round(neck),
                    pitch="?" if pitch is None else round(pitch),
                )
            )
        lean = analysis.trunk_lean_deg
        if lean is not None and lean >= limits["trunk_lean_marked_deg"]:
            out.append(_finding("GAIT-TRUNK-LEAN", "flag", lean=round(lean)))
    else:
        drop = analysis.median("pelvic_drop_deg")
        if drop is not None:
            out.append(_finding("GAIT-PELVIC-DROP", "info", drop=f"{drop:.1f}"))
    if not walking and not any(f.kind == "flag" for f in out):
        out.append(_finding("GAIT-NOTHING-FLAGGED", "info"))
    # Walking clips are no baseline for running (side view; the rear view has no walking check).
    same_view = [e for e in earlier if e.view == analysis.view and (e.view == "rear" or e.is_running())]
    if same_view and not walking:
        latest = max(same_view, key=lambda e: e.day)
        lines = _changes(analysis, latest)
        if lines:
            out.append(
                _finding(
                    "GAIT-CHANGE", "change", previous_day=latest.day.isoformat(), changes=" ".join(lines)
                )
            )
    out.append(_finding("GAIT-LIMITS", "limits"))
    return out


def cadence_target(analysis: GaitAnalysis) -> tuple[int, int] | None:
    """The +5 % to +10 % step-rate range (Heiderscheit 2011), when a running cadence is known."""
    limits = gait_knowledge().thresholds
    cadence = analysis.cadence_spm
    if cadence is None or cadence < limits["running_min_spm"]:
        return None
    return round(cadence * (1 + limits["cadence_raise_low"])), round(
        cadence * (1 + limits["cadence_raise_high"])
    )
