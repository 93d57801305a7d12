"""Plain-language findings from a gait analysis (issue 6, 'What it means'), on synthetic gaits."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tests.core.gait.synthetic import rear_gait, side_gait

from backstride.core.gait.analysis import analyse
from backstride.core.gait.findings import EarlierAnalysis, cadence_target, findings, medians_of
from backstride.knowledge import catalog


def ids(found) -> list[str]:
    return [f.id for f in found]


def test_an_overstriding_runner_gets_the_cadence_retraining_target_with_sources():
    analysis = analyse(side_gait(cadence_spm=160, overstride=0.40).series, "side")
    found = findings(analysis)
    assert ids(found)[:2] == ["GAIT-OVERSTRIDE", "GAIT-CADENCE-RETRAIN"]
    low, high = cadence_target(analysis)
    assert (low, high) == (round(analysis.cadence_spm * 1.05), round(analysis.cadence_spm * 1.10))
    assert 166 <= low <= 170 and 174 <= high <= 178  # 160 spm +5-10 %
    retrain = found[1]
    assert f"{low}-{high} steps per minute" in retrain.title and "metronome" in retrain.text
    assert "heiderscheit-2011" in retrain.sources
    assert "seed-004" in found[0].sources and "app-policy" in found[0].sources
    assert ids(found)[-1] == "GAIT-LIMITS"
    known = catalog.sources()
    assert all(source in known for f in found for source in f.sources)


def test_a_runner_landing_under_the_body_is_not_flagged_and_gets_a_baseline():
    analysis = analyse(side_gait(cadence_spm=175, overstride=0.10).series, "side")
    found = findings(analysis)
    assert "GAIT-OVERSTRIDE" not in ids(found) and "GAIT-CADENCE-RETRAIN" not in ids(found)
    assert {"GAIT-CADENCE", "GAIT-NOTHING-FLAGGED", "GAIT-LIMITS"} <= set(ids(found))


def test_a_flexed_neck_brings_the_uphill_caution_and_marked_lean_is_named():
    analysis = analyse(side_gait(neck_deg=45, head_pitch_deg=40, trunk_lean_deg=18).series, "side")
    found = {f.id: f for f in findings(analysis)}
    assert "GAIT-NECK-FLEXED" in found and "uphill" in found["GAIT-NECK-FLEXED"].text.lower()
    assert "GAIT-TRUNK-LEAN" in found


def test_walking_is_said_to_be_walking_not_judged_as_running():
    analysis = analyse(side_gait(cadence_spm=100, fps=30, seconds=9).series, "side")
    found = ids(findings(analysis))
    assert found[0] == "GAIT-WALKING" and "GAIT-OVERSTRIDE" not in found
    assert cadence_target(analysis) is None


def test_rear_view_reports_pelvic_drop_as_low_confidence_reading():
    analysis = analyse(rear_gait(pelvic_drop_deg=6).series, "rear")
    found = {f.id: f for f in findings(analysis)}
    assert "low confidence" in found["GAIT-PELVIC-DROP"].title
    assert "dingenen-2018" in found["GAIT-PELVIC-DROP"].sources


def test_a_second_clip_is_compared_with_the_latest_earlier_clip_of_the_same_view():
    first = analyse(side_gait(cadence_spm=160, overstride=0.40).series, "side")
    second = analyse(side_gait(cadence_spm=176, overstride=0.25).series, "side")
    earlier = [
        EarlierAnalysis(date(2026, 1, 1), "side", {"cadence_spm": 150.0}),
        EarlierAnalysis(date(2026, 3, 1), "side", medians_of(first)),
        EarlierAnalysis(date(2026, 4, 1), "rear", {"pelvic_drop_deg": 9.0}),
    ]
    change = next(f for f in findings(second, earlier) if f.id == "GAIT-CHANGE")
    assert "2026-03-01" in change.title
    assert "Step rate: 160 steps/min then, 176 steps/min now (+16; a real change)" in change.text
    assert "Pelvic drop" not in change.text  # the rear clip is not compared with a side clip


def test_small_changes_are_within_variation_and_walking_clips_are_no_baseline():
    now = analyse(side_gait(cadence_spm=170, overstride=0.20).series, "side")
    earlier = [EarlierAnalysis(date(2026, 3, 1), "side", {**medians_of(now), "cadence_spm": 168.0})]
    change = next(f for f in findings(now, earlier) if f.id == "GAIT-CHANGE")
    assert "Step rate: 168 steps/min then" in change.text
    assert "(+2; within the normal variation)" in change.text  # about 1 %: below the 3 % threshold
    walk = [EarlierAnalysis(date(2026, 3, 2), "side", {"cadence_spm": 98.0, "trunk_lean_deg": -8.0})]
    assert "GAIT-CHANGE" not in ids(findings(now, walk))


def test_a_slowed_down_clip_is_named_not_judged():
    analysis = analyse(side_gait(cadence_spm=170, fps=60, seconds=12).series, "side")
    slowed = replace(analysis, cadence_spm=60.0, fps=analysis.fps)
    found = ids(findings(slowed))
    assert found[0] == "GAIT-SLOWED" and "GAIT-WALKING" not in found and found[-1] == "GAIT-LIMITS"
