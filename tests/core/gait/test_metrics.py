"""Form metrics on synthetic gaits with known overstride, shank angle, lean, head and bounce."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tests.core.gait.synthetic import rear_gait, rotated, side_gait

from backstride.core.gait.analysis import analyse
from backstride.core.gait.metrics import summarise
from backstride.services.gait_json import gait_result, metric_json


class NoClip:
    """Stands in for the pose package's description of a clip, which these keypoints never had."""

    def to_dict(self):
        return {}


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize("overstride", [0.10, 0.30])
def test_overstride_shank_and_knee_at_contact(fps, direction, overstride):
    syn = side_gait(fps=fps, direction=direction, overstride=overstride, treadmill=direction == 1)
    result = analyse(syn.series)
    truth = syn.truth
    assert result.overstride_pct_leg == pytest.approx(truth.overstride_pct_leg, abs=1.0)
    # The 8 Hz filter rounds off the knee's sharp extension at contact: allow a degree or two.
    assert result.shank_angle_deg == pytest.approx(truth.shank_angle_deg, abs=1.5)
    assert result.median("knee_flexion_ic_deg") == pytest.approx(truth.knee_flexion_deg, abs=2.5)
    overstride_metric = result.metrics["overstride_pct_leg"]
    assert overstride_metric.n == result.steps
    assert overstride_metric.iqr is not None and overstride_metric.iqr < 1.0


def test_more_overstride_gives_a_larger_shank_angle():
    small = analyse(side_gait(overstride=0.10).series)
    large = analyse(side_gait(overstride=0.30).series)
    assert large.overstride_pct_leg > small.overstride_pct_leg + 15
    assert large.shank_angle_deg > small.shank_angle_deg


@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize("lean", [8.0, -4.0])
def test_trunk_lean_sign_and_value(direction, lean):
    result = analyse(side_gait(direction=direction, trunk_lean_deg=lean, noise_px=1.0).series)
    assert result.trunk_lean_deg == pytest.approx(lean, abs=0.5)
    assert np.sign(result.trunk_lean_deg) == np.sign(lean)


@pytest.mark.parametrize("direction", [1, -1])
def test_neck_flexion_and_head_pitch(direction):
    result = analyse(side_gait(direction=direction, neck_deg=30.0, head_pitch_deg=25.0).series)
    assert result.median("neck_flexion_deg") == pytest.approx(30.0, abs=0.5)
    assert result.median("head_pitch_deg") == pytest.approx(25.0, abs=0.5)


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_vertical_oscillation_from_the_head(fps):
    result = analyse(side_gait(fps=fps, bounce=0.10).series, height_cm=180.0)
    assert result.median("vertical_oscillation_pct_leg") == pytest.approx(10.0, abs=1.0)
    # 10 % of a leg of 0.491 x 180 cm
    assert result.median("vertical_oscillation_cm") == pytest.approx(8.8, abs=0.9)
    assert result.metrics["vertical_oscillation_cm"].note == ""


def test_vertical_oscillation_cm_says_when_the_height_is_assumed():
    result = analyse(side_gait().series)
    assert "170 cm" in result.metrics["vertical_oscillation_cm"].note


def test_camera_roll_is_corrected_from_the_heel_strikes_overground():
    syn = side_gait(treadmill=False, trunk_lean_deg=8.0, speed_ll_s=1.5)
    result = analyse(rotated(syn.series, 4.0))
    assert result.camera_roll_deg == pytest.approx(4.0, abs=0.5)
    assert result.trunk_lean_deg == pytest.approx(8.0, abs=0.7)
    level = analyse(syn.series)
    # Contacts are found again on the levelled picture: the angles at contact match the level clip.
    assert result.shank_angle_deg == pytest.approx(level.shank_angle_deg, abs=1.0)
    assert result.overstride_pct_leg == pytest.approx(level.overstride_pct_leg, abs=1.5)
    assert any("tilted" in w for w in result.warnings)
    uncorrected = analyse(rotated(side_gait(treadmill=True).series, 4.0))
    assert uncorrected.camera_roll_deg == 0.0  # a treadmill gives no ground line


@pytest.mark.parametrize("drop", [3.0, 7.0])
def test_rear_view_pelvic_drop_is_measured_and_marked_low_confidence(drop):
    syn = rear_gait(pelvic_drop_deg=drop)
    result = analyse(syn.series, "rear")
    metric = result.metrics["pelvic_drop_deg"]
    assert metric.median == pytest.approx(drop, abs=0.5)
    assert metric.confidence == "low"
    assert "reliability" in metric.note
    assert result.cadence_spm == pytest.approx(170.0, rel=0.01)
    assert "overstride_pct_leg" not in result.metrics
    assert result.overstride_pct_leg is None


def test_summary_ignores_missing_values_and_reports_the_spread():
    s = summarise("x", "deg", [1, 2, 3, 4, 5], ["left", "right"] * 2 + ["left"], [1, 2, np.nan, 3, 4])
    assert s.n == 4
    assert s.median == pytest.approx(2.5)
    assert s.iqr == pytest.approx(1.5)
    assert np.isnan(s.values[2]) and metric_json(s)["values"][2] is None  # JSON has no NaN
    empty = summarise("x", "deg", [], [], [])
    assert (empty.n, empty.median, empty.iqr) == (0, None, None)


def test_result_serialises_to_json_with_the_cli_fields():
    result = analyse(side_gait(fps=30.0).series)
    data = json.loads(json.dumps(gait_result(result, NoClip(), [])))  # stored as services shape it
    for key in ("view", "fps", "steps", "cadence_spm", "overstride_pct_leg", "shank_angle_deg"):
        assert data[key] is not None
    assert data["trunk_lean_deg"] == pytest.approx(8.0, abs=0.5)
    assert isinstance(data["warnings"], list)
