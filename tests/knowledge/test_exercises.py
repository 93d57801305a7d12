"""Checks on the exercise library: every exercise the seeds name is present, every record is valid,
sourced and drawn, the cautions spec G requires are there, and no text copies a seed sentence."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.knowledge import catalog
from backstride.knowledge import exercises as lib

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"

# Every exercise, stretch, self-check and activity the seeds name, plus the physiotherapist's additions.
SEED_IDS = (
    "front-plank",
    "side-plank",
    "glute-bridge",
    "hip-thrust",
    "pelvic-drop",
    "dead-bug",
    "lumbar-rotation-stretch",
    "side-flexion-stretch",
    "locust-pose",
    "stability-ball-back-extension",
    "stability-ball-reverse-leg-raise",
    "banded-row",
    "deadlifts",
    "squats",
    "lunges",
    "crunches",
    "sit-ups",
    "hamstring-stretch",
    "hip-flexor-stretch",
    "quadriceps-stretch",
    "calf-stretch",
    "pigeon-pose",
    "spinal-twist",
    "leg-swings",
    "walking-lunges",
    "foam-rolling",
    "glute-activation-warm-up",
    "one-leg-stand-check",
    "hamstring-asymmetry-check",
    "pilates",
    "yoga",
    "swimming",
    "cycling",
    "walking",
)
ADDED_IDS = ("bird-dog", "curl-up", "cat-camel", "knee-to-chest", "clamshell")
PLAN_IDS = (
    "pelvic-floor-training",
    "side-lying-leg-lift",
    "side-plank-knees",
    "single-leg-bridge",
    "walk-run",
)

LOADED_FLEXION = ("crunches", "sit-ups", "deadlifts")
EXTENSION_WORK = ("locust-pose", "stability-ball-back-extension", "stability-ball-reverse-leg-raise")
SINGLE_LEG = ("pelvic-drop", "single-leg-bridge", "lunges", "walking-lunges")


def _raw() -> Any:
    text = resources.files("backstride.knowledge").joinpath(lib.FILENAME).read_text("utf-8")
    return yaml.safe_load(text)


# --- Presence and validity -------------------------------------------------------------------------


def test_every_required_exercise_is_present() -> None:
    missing = [exercise_id for exercise_id in (*SEED_IDS, *ADDED_IDS) if exercise_id not in lib.exercises()]
    assert not missing
    # And the ones the plan adds (issue 4 onwards); nothing else.
    assert set(lib.exercises()) == {*SEED_IDS, *ADDED_IDS, *PLAN_IDS}


def test_ids_are_kebab_case_and_lookup_works() -> None:
    for exercise_id, item in lib.exercises().items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", exercise_id), exercise_id
        assert item.id == exercise_id
        assert lib.exercise(exercise_id) is item
    with pytest.raises(KeyError):
        lib.exercise("no-such-exercise")


def test_every_record_is_complete_and_sourced() -> None:
    known = catalog.sources()
    for item in lib.exercises().values():
        assert item.name and item.muscles and item.equipment, item.id
        assert 3 <= len(item.steps) <= 6, item.id
        assert item.category in lib.CATEGORIES and item.level in lib.LEVELS, item.id
        assert set(item.equipment) <= lib.EQUIPMENT, item.id
        assert item.sources, item.id
        assert all(source_id in known for source_id in item.sources), item.id
        assert any(known[source_id].kind != "app_policy" for source_id in item.sources), item.id
        dose = item.dosage
        assert dose.sets >= 1 and dose.rest_s >= 0 and dose.frequency, item.id
        assert dose.reps or dose.hold_s or dose.duration_min, item.id


def test_every_category_is_used_and_by_category_filters() -> None:
    total = 0
    for category in lib.CATEGORIES:
        items = lib.by_category(category)
        assert items, category
        assert all(item.category == category for item in items)
        total += len(items)
    assert total == len(lib.exercises())
    with pytest.raises(ValueError, match="unknown exercise category"):
        lib.by_category("cardio")


# Patterns with no exercise list of their own: bone_or_serious and not_from_the_back (a doctor
# first), not_assessed (the check stopped at an emergency answer), and bone_stress and
# pregnancy_related, whose plans spec K.4 and K.6 describe as restrictions on the library
# (no impact or loaded single-leg work; pregnancy swaps) rather than as a pattern list.
NO_EXERCISE_LIST = {
    "bone_or_serious",
    "not_from_the_back",
    "not_assessed",
    "bone_stress",
    "pregnancy_related",
}


def test_pattern_codes_match_the_knowledge_base() -> None:
    assert set(catalog.patterns()) >= NO_EXERCISE_LIST
    assert set(lib.PATTERN_CODES) - {"all"} == set(catalog.patterns()) - NO_EXERCISE_LIST
    assert lib.for_pattern("disc")
    with pytest.raises(ValueError, match="unknown pattern code"):
        lib.for_pattern("bone_or_serious")


def test_seeds_named_in_notes_are_cited() -> None:
    pattern = re.compile(r"\bseeds?\s+(\d{3}(?:\s*(?:,|and)\s*\d{3})*)", re.IGNORECASE)
    for item in lib.exercises().values():
        for match in pattern.finditer(item.evidence_note or ""):
            for number in re.findall(r"\d{3}", match.group(1)):
                assert f"seed-{number}" in item.sources, f"{item.id} names seed {number} but does not cite it"


def test_seed_exercises_cite_a_seed_and_additions_cite_evidence() -> None:
    for exercise_id in SEED_IDS:
        kinds = {catalog.source(source_id).kind for source_id in lib.exercise(exercise_id).sources}
        assert "seed" in kinds, exercise_id
    for exercise_id in ADDED_IDS:
        kinds = {catalog.source(source_id).kind for source_id in lib.exercise(exercise_id).sources}
        assert kinds & {"paper", "guideline"}, exercise_id


# --- Progression graph -----------------------------------------------------------------------------


def test_progression_graph_has_no_self_links_or_cycles_and_levels_make_sense() -> None:
    items = lib.exercises()
    for item in items.values():
        for field, target in (("progression", item.progression), ("regression", item.regression)):
            if target is None:
                continue
            assert target != item.id, f"{item.id} {field} points to itself"
            assert target in items, f"{item.id} {field} {target!r} does not exist"
        if item.progression:
            assert items[item.progression].level >= item.level, item.id
        if item.regression:
            assert items[item.regression].level <= item.level, item.id
    for field in ("progression", "regression"):
        for start in items:
            seen = {start}
            current = getattr(items[start], field)
            while current is not None:
                assert current not in seen, f"{field} chain from {start} loops at {current}"
                seen.add(current)
                current = getattr(items[current], field)


# --- Spec G mapping, cautions and seed numbers ---------------------------------------------------


def test_spec_g_mapping() -> None:
    def planned(code: str) -> set[str]:
        return {item.id for item in lib.for_pattern(code)}

    everyone = {
        "front-plank",
        "side-plank",
        "glute-bridge",
        "dead-bug",
        "hip-thrust",
        "pelvic-drop",
        "banded-row",
        "deadlifts",
        "squats",
        "locust-pose",
        "stability-ball-back-extension",
        "walking",
    }
    assert everyone <= {item.id for item in lib.exercises().values() if "all" in item.patterns}
    muscular = {"lumbar-rotation-stretch", "side-flexion-stretch", "hip-flexor-stretch", "hamstring-stretch"}
    assert muscular <= planned("muscular")
    assert {"knee-to-chest", "lumbar-rotation-stretch"} <= planned("facet")
    assert {"glute-bridge", "side-plank", "pelvic-drop"} <= {
        item.id for item in lib.exercises().values() if "sacroiliac" in item.patterns
    }
    assert "walking" in planned("disc") and "walking" in planned("nerve_root")


def test_loaded_flexion_carries_disc_and_nerve_root_cautions() -> None:
    for exercise_id in LOADED_FLEXION:
        cautions = lib.exercise(exercise_id).cautions
        assert "disc" in cautions and "nerve_root" in cautions, exercise_id
        assert "gradual" in cautions["disc"].lower(), exercise_id
    assert "centralis" in lib.exercise("deadlifts").cautions["nerve_root"]


def test_extension_work_carries_a_facet_caution() -> None:
    for exercise_id in EXTENSION_WORK:
        assert "facet" in lib.exercise(exercise_id).cautions, exercise_id


def test_single_leg_loading_carries_a_sacroiliac_caution() -> None:
    for exercise_id in SINGLE_LEG:
        caution = lib.exercise(exercise_id).cautions.get("sacroiliac", "")
        assert "pain rule" in caution, exercise_id


# --- Plan attributes (what the plan's rules read; the cautions are for people) ----------------------


def test_loaded_flexion_is_avoided_for_nerve_root_and_gradual_for_disc() -> None:
    for exercise_id in LOADED_FLEXION:
        item = lib.exercise(exercise_id)
        assert "loaded_flexion" in item.loads, exercise_id
        assert item.avoid_for == {"nerve_root"} and item.gradual_for == {"disc"}, exercise_id


def test_extension_work_is_tagged_and_gradual_for_facet() -> None:
    for exercise_id in EXTENSION_WORK:
        item = lib.exercise(exercise_id)
        assert "extension" in item.loads and item.gradual_for == {"facet"}, exercise_id


def test_single_leg_and_impact_are_tagged() -> None:
    for exercise_id in (*SINGLE_LEG, "one-leg-stand-check", "glute-activation-warm-up", "leg-swings"):
        assert "single_leg" in lib.exercise(exercise_id).loads, exercise_id
    assert "impact" in lib.exercise("walk-run").loads
    assert {"squats", "deadlifts", "lunges", "walking-lunges"} <= {
        item.id for item in lib.exercises().values() if "standing_load" in item.loads
    }


def test_pregnancy_flags_follow_the_position() -> None:
    lying_on_the_back = {"dead-bug", "curl-up", "crunches", "sit-ups", "glute-bridge", "single-leg-bridge"}
    lying_on_the_back |= {"lumbar-rotation-stretch", "knee-to-chest", "hamstring-stretch"}
    face_down = {"front-plank", "locust-pose", "stability-ball-back-extension"}
    for exercise_id in lying_on_the_back | face_down:
        assert not lib.exercise(exercise_id).pregnancy_ok, exercise_id
    for exercise_id in ("side-plank-knees", "clamshell", "bird-dog", "cat-camel", "walking", "swimming"):
        assert lib.exercise(exercise_id).pregnancy_ok, exercise_id
    for item in lib.exercises().values():
        assert not (item.pregnancy_ok and item.loads & lib.NOT_IN_PREGNANCY), item.id
        if item.pregnancy_swap is not None:
            swap = lib.exercise(item.pregnancy_swap)
            assert swap.pregnancy_ok and swap.category == item.category, item.id


def test_pelvic_floor_training_record() -> None:
    item = lib.exercise("pelvic-floor-training")
    assert (item.category, item.level, item.pregnancy_ok) == ("strength", 1, True)
    assert {"dumoulin-2018", "goom-2019"} <= set(item.sources)
    assert not item.loads & lib.NOT_IN_PREGNANCY and "bench" in item.pose_start.props  # drawn sitting


def test_caution_keys_are_pattern_codes_and_lookup_falls_back_to_all() -> None:
    for item in lib.exercises().values():
        assert set(item.cautions) <= set(lib.PATTERN_CODES), item.id
    rolling = lib.exercise("foam-rolling")
    assert rolling.caution_for("disc") == rolling.cautions["all"]
    assert lib.exercise("front-plank").caution_for("disc") is None


def test_dosage_follows_the_seeds() -> None:
    assert lib.exercise("glute-bridge").dosage.hold_s == 3  # seed 003
    assert lib.exercise("locust-pose").dosage.hold_s == 30  # seed 003
    for exercise_id in ("hamstring-stretch", "hip-flexor-stretch", "quadriceps-stretch", "calf-stretch"):
        hold = lib.exercise(exercise_id).dosage.hold_s
        assert hold is not None and 20 <= hold <= 30, exercise_id  # seed 002
    for exercise_id in ("leg-swings", "walking-lunges", "glute-activation-warm-up"):
        assert lib.exercise(exercise_id).dosage.frequency == "before runs", exercise_id


def test_core_claims_carry_an_evidence_note() -> None:
    for exercise_id in ("front-plank", "side-plank", "sit-ups", "crunches"):
        note = lib.exercise(exercise_id).evidence_note or ""
        assert "Saragiotto" in note or "Owen" in note, exercise_id


# --- Poses -----------------------------------------------------------------------------------------


def test_raw_poses_have_every_key_and_numeric_angles() -> None:
    for record in _raw()["exercises"]:
        for field in ("pose_start", "pose_end"):
            pose = record[field]
            assert set(lib.POSE_KEYS) <= set(pose), f"{record['id']} {field}"
            for key in ("trunk", "head"):
                assert isinstance(pose[key], int | float) and not isinstance(pose[key], bool)
            for key, size in (("near_arm", 2), ("far_arm", 2), ("near_leg", 3), ("far_leg", 3)):
                assert len(pose[key]) == size, f"{record['id']} {field}.{key}"
                assert all(isinstance(angle, int | float) for angle in pose[key])
            assert set(pose.get("props") or []) <= lib.PROPS


def test_poses_are_loaded_as_floats_and_movements_move() -> None:
    for item in lib.exercises().values():
        for pose in (item.pose_start, item.pose_end):
            assert isinstance(pose.trunk, float) and len(pose.near_leg) == 3 and len(pose.far_arm) == 2
        assert item.pose_start != item.pose_end, item.id


# --- Wording ---------------------------------------------------------------------------------------


# The seed-copy check for exercises.yaml is in test_catalog.py (OWN_WORDS_FILES), with the other files.


def test_no_diagnosis_claims() -> None:
    allowed = re.compile(r"\b(cannot|can't|can not|never|does not|doesn't) diagnose\b")
    for item in lib.exercises().values():
        for text in (item.name, *item.steps, *item.cautions.values(), item.evidence_note or ""):
            cleaned = allowed.sub("", text.lower())
            assert not re.search(r"\bdiagnos\w*", cleaned), f"{item.id}: {text!r}"


# --- Validation on load ----------------------------------------------------------------------------


def _valid_record() -> dict[str, Any]:
    record = copy.deepcopy(next(r for r in _raw()["exercises"] if r["id"] == "glute-bridge"))
    record["progression"] = None  # the one-record test file has no hip-thrust
    record["pregnancy_swap"] = None  # ... to swap to either
    return record


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(record: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = record
        for key in parents:
            target = target[key]
        target[last] = value

    return apply


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def apply(record: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = record
        for key in parents:
            target = target[key]
        del target[last]

    return apply


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_set("category", "cardio"), r"'category'.*cardio"),
        (_set("equipment", ["kettlebell"]), r"'equipment'.*kettlebell"),
        (_set("level", 4), r"'level'"),
        (_set("level", True), r"'level'"),
        (_set("patterns", ["all", "hamstring"]), r"'patterns'.*hamstring"),
        (_set("progression", "no-such-exercise"), r"'progression'.*no-such-exercise"),
        (_set("regression", "glute-bridge"), r"'regression'.*itself"),
        (_set("sources", []), r"'sources'"),
        (_set("sources", ["no-such-source"]), r"'sources'.*no-such-source"),
        (_set("sources", ["app-policy"]), r"'sources'.*app-policy alone"),
        (_drop("pose_start.head"), r"'pose_start'.*head"),
        (_set("pose_end.trunk", "up"), r"'pose_end\.trunk'"),
        (_set("pose_end.near_leg", [10, "x", 0]), r"'pose_end\.near_leg'"),
        (_set("pose_end.far_arm", [10]), r"'pose_end\.far_arm'"),
        (_set("pose_end.props", ["trampoline"]), r"'pose_end\.props'.*trampoline"),
        (_set("cautions", {"knee": "careful"}), r"'cautions'.*knee"),
        (_set("steps", ["one", "two"]), r"'steps'"),
        (_drop("dosage.frequency"), r"'dosage\.frequency'"),
        (_drop("dosage.reps"), None),  # hold_s still given: valid
        (_set("dosage.per_side", "yes"), r"'dosage\.per_side'"),
        (_set("dosage", {"sets": 1, "rest_s": 0, "per_side": False, "frequency": "daily"}), r"needs reps"),
        (_drop("name"), r"'name'"),
        (_drop("loads"), r"'loads' is required"),
        (_set("loads", ["twisting"]), r"'loads'.*twisting"),
        (_set("loads", ["supine", "supine"]), r"'loads'.*duplicates"),
        (_set("loads", []), None),  # an empty list: loads none of them
        (_set("avoid_for", ["all"]), r"'avoid_for'.*all"),
        (_set("gradual_for", ["bone_stress"]), r"'gradual_for'.*bone_stress"),
        (_set("avoid_for", ["disc"]), None),
        (lambda r: r.update(avoid_for=["disc"], gradual_for=["disc"]), r"'gradual_for' repeats"),
        (_drop("pregnancy_ok"), r"'pregnancy_ok'"),
        (_set("pregnancy_ok", "yes"), r"'pregnancy_ok'"),
        (_set("pregnancy_ok", True), r"'pregnancy_ok' cannot be true with \['supine'\]"),
        (_set("pregnancy_swap", "no-such-exercise"), r"'pregnancy_swap'.*no-such-exercise"),
        (_set("pregnancy_swap", "glute-bridge"), r"'pregnancy_swap'.*itself"),
        (lambda r: r.update(loads=[], pregnancy_ok=True, pregnancy_swap="x"), r"'pregnancy_swap' is only"),
    ],
)
def test_invalid_records_raise_value_error_naming_record_and_field(
    monkeypatch: pytest.MonkeyPatch, mutate: Callable[[dict[str, Any]], None], message: str | None
) -> None:
    record = _valid_record()
    mutate(record)
    monkeypatch.setattr(lib, "_load", lambda filename: {"exercises": [record]})
    if message is None:
        assert "glute-bridge" in lib.exercises.__wrapped__()
        return
    with pytest.raises(ValueError, match=rf"exercises\.yaml: exercise 'glute-bridge'.*{message}"):
        lib.exercises.__wrapped__()


def test_duplicate_ids_and_missing_list_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    record = _valid_record()
    monkeypatch.setattr(lib, "_load", lambda filename: {"exercises": [record, record]})
    with pytest.raises(ValueError, match="duplicate id 'glute-bridge'"):
        lib.exercises.__wrapped__()
    monkeypatch.setattr(lib, "_load", lambda filename: {"exercises": []})
    with pytest.raises(ValueError, match="'exercises'"):
        lib.exercises.__wrapped__()
