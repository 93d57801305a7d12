"""The one loader (knowledge/schema.py): every knowledge file has a declared schema, and a broken file
is refused with a message that names the file, the entry, the field and what is wrong."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest

from backstride.knowledge import catalog, diary_texts, gait, plan_rules, questionnaire, schema
from backstride.knowledge import exercises as lib
from backstride.knowledge.poses import pose_from_mapping


def _raw(filename: str) -> Any:
    return copy.deepcopy(schema.read(filename))


def _refused(model: type, filename: str, data: Any) -> str:
    with pytest.raises(schema.KnowledgeError) as error:
        schema.validate(model, filename, data)
    assert isinstance(error.value, ValueError)  # callers that catch ValueError still do
    return str(error.value)


def test_every_knowledge_file_in_the_package_is_read_through_a_schema() -> None:
    files = {
        path.name
        for path in resources.files("backstride.knowledge").iterdir()
        if path.name.endswith((".yaml", ".json"))
    }
    assert files == {
        "sources.yaml",
        "patterns.yaml",
        "advice.yaml",
        "rules.yaml",
        "tiers.yaml",
        "emergency_numbers.yaml",
        "startback.yaml",
        "rmdq.yaml",
        "gait_findings.yaml",
        "plan_rules.yaml",
        "plan_texts.yaml",
        "diary_texts.yaml",
        "exercises.yaml",
        "questionnaire.json",
    }
    loaded = [
        catalog.sources(),
        catalog.patterns(),
        catalog.advice_cards(),
        catalog.rules(),
        catalog.tiers(),
        catalog.countries(),
        catalog.startback().items,
        catalog.rmdq().items,
        gait.gait_knowledge().findings,
        plan_rules.plan_rules().rules,
        lib.exercises(),
        questionnaire.questionnaire_items(),
        diary_texts.recheck_messages(),
    ]
    assert all(loaded)


def test_an_unknown_key_is_refused_naming_the_file_the_entry_and_the_keys_it_takes() -> None:
    data = _raw("advice.yaml")
    data["cards"][2]["colour"] = "red"
    card = data["cards"][2]["id"]
    message = _refused(catalog.AdviceFile, "advice.yaml", data)
    assert message.startswith(f"advice.yaml: card {card!r}: has unknown key(s) ['colour']")
    assert "expected a mapping of id, title, body" in message


def test_an_unknown_top_level_key_is_refused() -> None:
    data = _raw("tiers.yaml")
    data["tier"] = []
    assert "tiers.yaml: top level: field 'tier'" in _refused(catalog.TiersFile, "tiers.yaml", data)


def test_a_wrong_type_is_refused_with_the_value_it_got() -> None:
    data = _raw("startback.yaml")
    data["items"][0]["number"] = "one"
    item = data["items"][0]["app_id"]
    message = _refused(catalog.StartBackFile, "startback.yaml", data)
    assert f"startback.yaml: item {item!r}: field 'number'" in message and "'one'" in message


def test_a_nested_wrong_type_names_the_whole_path() -> None:
    data = _raw("exercises.yaml")
    data["exercises"][0]["dosage"]["sets"] = 0
    name = data["exercises"][0]["id"]
    message = _refused(lib.ExercisesFile, "exercises.yaml", data)
    assert message.startswith(f"exercises.yaml: exercise {name!r}: field 'dosage.sets'")
    assert "got 0" in message


def test_every_problem_gets_its_own_line() -> None:
    data = _raw("rules.yaml")
    data["rules"][0]["title"] = ""
    data["rules"][1]["sources"] = ["no-such-source"]
    lines = _refused(catalog.RulesFile, "rules.yaml", data).splitlines()
    assert len(lines) == 2 and all(line.startswith("rules.yaml: rule ") for line in lines)
    assert "'title' must be a non-empty string" in lines[0]
    assert "'sources' has unknown source id(s) ['no-such-source']" in lines[1]


@pytest.mark.parametrize(
    ("filename", "model", "records", "entry"),
    [
        ("patterns.yaml", catalog.PatternsFile, "patterns", "pattern"),
        ("tiers.yaml", catalog.TiersFile, "tiers", "tier"),
        ("gait_findings.yaml", gait.GaitFile, "findings", "finding"),
        ("plan_rules.yaml", plan_rules.PlanRulesFile, "rules", "rule"),
        ("exercises.yaml", lib.ExercisesFile, "exercises", "exercise"),
    ],
)
def test_a_dangling_source_id_is_refused(filename: str, model: type, records: str, entry: str) -> None:
    data = _raw(filename)
    data[records][-1]["sources"] = ["nice-ng59", "no-such-source"]
    message = _refused(model, filename, data)
    assert (
        f"{filename}: {entry} " in message
        and "'sources' has unknown source id(s) ['no-such-source']" in message
    )


def test_a_dangling_source_id_outside_a_list_names_its_place() -> None:
    data = _raw("emergency_numbers.yaml")
    data["countries"]["IE"]["sources"] = ["nowhere"]
    message = _refused(catalog.EmergencyFile, "emergency_numbers.yaml", data)
    assert message.startswith(
        "emergency_numbers.yaml: country 'IE': field 'sources' has unknown source id(s)"
    )
    data = _raw("rmdq.yaml")
    data["minimal_important_change"]["sources"] = ["nowhere"]
    message = _refused(catalog.RmdqFile, "rmdq.yaml", data)
    assert "field 'minimal_important_change.sources' has unknown source id(s) ['nowhere']" in message


def test_a_dangling_exercise_link_is_refused() -> None:
    data = _raw("exercises.yaml")
    record = next(r for r in data["exercises"] if r.get("regression"))
    record["regression"] = "no-such-exercise"
    message = _refused(lib.ExercisesFile, "exercises.yaml", data)
    assert message == (
        f"exercises.yaml: exercise {record['id']!r}: "
        "field 'regression' names unknown exercise 'no-such-exercise'"
    )


def test_a_missing_stage_rule_and_a_missing_stage_are_refused() -> None:
    data = _raw("plan_rules.yaml")
    data["rules"] = [rule for rule in data["rules"] if rule["id"] != "D3-stage-4"]
    message = _refused(plan_rules.PlanRulesFile, "plan_rules.yaml", data)
    assert "plan_rules.yaml: top level: field 'rules' missing rule D3-stage-4" in message
    data = _raw("plan_rules.yaml")
    del data["stages"][6]
    assert "must define stages 1..7" in _refused(plan_rules.PlanRulesFile, "plan_rules.yaml", data)


def test_duplicate_ids_are_refused_naming_the_entry() -> None:
    data = _raw("sources.yaml")
    data["sources"].append(dict(data["sources"][0]))
    first = data["sources"][0]["id"]
    message = _refused(catalog.SourcesFile, "sources.yaml", data)
    assert message == f"sources.yaml: source {first!r}: duplicate id {first!r}"


def test_a_country_key_that_is_not_an_iso_code_is_refused() -> None:
    data = _raw("emergency_numbers.yaml")
    data["countries"]["uk"] = data["countries"].pop("GB")
    message = _refused(catalog.EmergencyFile, "emergency_numbers.yaml", data)
    assert message == "emergency_numbers.yaml: country 'uk': is not an ISO 3166-1 alpha-2 code (the key)"


def test_cross_field_rules_of_a_record_are_kept() -> None:
    data = _raw("rules.yaml")
    data["rules"][0]["headline"] = "Only a headline"
    data["rules"][0].pop("action", None)
    message = _refused(catalog.RulesFile, "rules.yaml", data)
    assert "give both 'headline' and 'action', or neither" in message
    data = _raw("sources.yaml")
    seed = next(s for s in data["sources"] if s["kind"] == "seed")
    del seed["path"]
    message = _refused(catalog.SourcesFile, "sources.yaml", data)
    assert f"source {seed['id']!r}: field 'path' is required for a seed" in message


def test_the_questionnaire_is_validated_too() -> None:
    data = _raw("questionnaire.json")
    data[0]["type"] = "free_text"
    data[1]["hint"] = "x"
    lines = _refused(questionnaire.QuestionnaireFile, "questionnaire.json", {"items": data}).splitlines()
    assert lines[0].startswith(f"questionnaire.json: item {data[0]['id']!r}: field 'type' input should be")
    assert lines[1].startswith(f"questionnaire.json: item {data[1]['id']!r}: has unknown key(s) ['hint']")


def test_a_missing_nested_key_names_the_key_and_its_parent() -> None:
    data = _raw("exercises.yaml")
    del data["exercises"][0]["pose_start"]["trunk"]
    name = data["exercises"][0]["id"]
    message = _refused(lib.ExercisesFile, "exercises.yaml", data)
    assert message == (
        f"exercises.yaml: exercise {name!r}: "
        "field 'pose_start.trunk' is required ('pose_start' has no key 'trunk')"
    )


def test_figures_and_library_read_poses_with_one_schema() -> None:
    from backstride.core import figures

    assert figures.Pose is lib.Pose and figures.pose_from_mapping is pose_from_mapping
    with pytest.raises(ValueError, match=r"^pose: field 'near_arm' \(item 2\) must be a number"):
        pose_from_mapping(
            {
                "trunk": 90,
                "head": 90,
                "near_arm": [0, "x"],
                "far_arm": [0, 0],
                "near_leg": [0, 0, 0],
                "far_leg": [0, 0, 0],
            }
        )
