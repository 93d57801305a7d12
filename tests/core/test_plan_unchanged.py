"""The plan of every pattern that had one before section K stays exactly as it was (issue 10, item 4).

The weeks below were built on the code that chose exercises by matching caution texts, and frozen
into plan_before_section_k.json; the attribute rules (G-AVOID, G-GRADUAL on `avoid_for` and
`gradual_for`) must build the same weeks. Regenerate the file only on purpose:
``PYTHONPATH=src python -m tests.core.test_plan_unchanged`` (and say why in the commit).
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from backstride.core.diary import CheckIn
from backstride.core.plan import PlanInput, PlanItem, StageSession, WeekPlan, build_week
from backstride.core.triage.model import RunToday, Urgency
from backstride.core.triage.standing import Standing
from backstride.knowledge import exercises as lib

FROZEN = Path(__file__).with_name("plan_before_section_k.json")
MONDAY = date(2024, 5, 6)
TUESDAY, THURSDAY = MONDAY + timedelta(days=1), MONDAY + timedelta(days=3)
PATTERNS = ("muscular", "facet", "disc", "sacroiliac", "nerve_root", "nonspecific")
BLOCKED_PATTERNS = ("bone_or_serious", "not_from_the_back", "not_assessed")


def _good(day: date, stage: int) -> StageSession:
    return StageSession(day, stage, pain_during=2, pain_after=2, pain_next_morning=1, pain_before=2)


# Every exercise slot several steps up, so progressions, switches and the gradual swaps all show.
_ALL_STEPS = {
    "dead-bug": 4,
    "curl-up": 3,
    "side-plank-knees": 2,
    "locust-pose": 3,
    "glute-bridge": 2,
    "clamshell": 2,
    "squats": 3,
    "banded-row": 1,
    "deadlifts": 2,
    "bird-dog": 2,
}

VARIANTS: dict[str, dict[str, Any]] = {
    "own-running": {},
    "returning-stage-1": {"returning": True},
    "returning-stage-4": {
        "returning": True,
        "stage_sessions": (_good(MONDAY - timedelta(days=5), 3), _good(MONDAY - timedelta(days=3), 3)),
    },
    "steps-earned": {"exercise_steps": _ALL_STEPS},
    "pain-rose": {
        "exercise_steps": _ALL_STEPS,
        "check_ins": (CheckIn(MONDAY - timedelta(days=2), pain_now=7), CheckIn(MONDAY, pain_now=2)),
    },
    "red-tuesday": {"today": TUESDAY, "check_ins": (CheckIn(TUESDAY, pain_now=7),)},
    "amber-tuesday": {"today": TUESDAY, "returning": True, "check_ins": (CheckIn(TUESDAY, pain_now=4),)},
    "unknown-thursday": {"today": THURSDAY, "check_ins": (CheckIn(TUESDAY, pain_now=4),)},
    "hills-and-high-risk": {"worse_uphill": True, "worse_downhill": True, "startback_risk": "high"},
    "review": {"urgency": Urgency.CLINICIAN_IF_NO_BETTER, "worse_uphill": True},
    "urgent": {"urgency": Urgency.DOCTOR_SOON},
}


def _inputs(pattern: str | None, variant: str) -> PlanInput:
    values: dict[str, Any] = {"week_start": MONDAY, "today": MONDAY, "pattern": pattern}
    values.update(VARIANTS[variant])
    return PlanInput(**values)


def _digest(value: Any) -> str:
    """A short fingerprint (the frozen file stays small; any change to what it covers shows)."""
    return hashlib.sha256(json.dumps(value).encode()).hexdigest()[:12]


def _row(item: PlanItem) -> list[Any]:
    fields = [item.key, item.title, item.dose, item.minutes, list(item.rule_ids), item.terrain]
    fields += [item.step_key, item.step, item.hold_s, item.sets, item.per_side, item.alternative]
    return [*fields, _digest(item.why), _digest(item.caution)]


def signature(plan: WeekPlan, table: dict[str, list[Any]]) -> dict[str, Any]:
    """Everything a runner sees of a week, except the source lists (they may grow); each item is a
    fingerprint of its row, and ``table`` collects the rows by fingerprint."""
    days = []
    for day in plan.days:
        rows = [_row(item) for item in day.items]
        table.update({_digest(row): row for row in rows})
        days.append([_digest(row) for row in rows])
    return {
        "blocked_rule": plan.blocked_rule,
        "stage": plan.stage,
        "decision": plan.stage_decision.rule_id if plan.stage_decision else None,
        "run_today": plan.run_today.code if isinstance(plan.run_today, RunToday) else None,
        "days": days,
        "notes": [[_digest(n.text), list(n.rule_ids)] for n in plan.notes],
    }


CASES = [(p, v) for p in PATTERNS for v in VARIANTS] + [(p, "own-running") for p in BLOCKED_PATTERNS]


def frozen() -> dict[str, Any]:
    return json.loads(FROZEN.read_text("utf-8"))


@pytest.mark.parametrize(("pattern", "variant"), CASES)
def test_week_is_unchanged(pattern: str, variant: str) -> None:
    table: dict[str, list[Any]] = {}
    now = signature(build_week(_inputs(pattern, variant)), table)
    before = frozen()
    expected = before["cases"][f"{pattern}/{variant}"]
    readable = [[table.get(d) or before["items"].get(d) for d in day] for day in now["days"]]
    assert readable == [[before["items"][d] for d in day] for day in expected["days"]]
    assert now == expected


def _write() -> None:
    table: dict[str, list[Any]] = {}
    cases = {f"{p}/{v}": signature(build_week(_inputs(p, v)), table) for p, v in CASES}
    lines = [f"  {json.dumps(k)}: {json.dumps(table[k])}" for k in sorted(table)]
    cases_lines = [f"  {json.dumps(k)}: {json.dumps(cases[k])}" for k in sorted(cases)]
    text = '{"items": {\n' + ",\n".join(lines) + '\n}, "cases": {\n' + ",\n".join(cases_lines) + "\n}}\n"
    FROZEN.write_text(text, "utf-8")


if __name__ == "__main__":
    _write()


# --- no plan reads a caution text -----------------------------------------------------------------


def _choices(plan: WeekPlan) -> list[list[list[Any]]]:
    """What was planned, without the texts that quote a caution (``why``, ``caution``)."""
    return [
        [[i.key, i.dose, list(i.rule_ids), i.terrain, i.step, i.alternative] for i in day.items]
        for day in plan.days
    ]


def _gibberish_cautions(raw: Any) -> Any:
    data = copy.deepcopy(raw)
    for record in data["exercises"]:
        record["cautions"] = {
            code: "zq " + ("skip until, gradual, only after, leave it out" if index % 2 == 0 else "blorp")
            for index, code in enumerate(record.get("cautions") or {})
        }
    return data


def _k_inputs() -> list[PlanInput]:
    """Weeks under the section K limits, so their choices are covered too."""
    birth = MONDAY - timedelta(weeks=14)
    standings = [
        Standing(rules=frozenset({"BS-2", "R7"})),
        Standing(rules=frozenset({"Y-1"}), answers={"age": 16, "worse_bending_backward": True}),
        Standing(rules=frozenset({"PG-1"}), answers={"pregnant": True}),
        Standing(rules=frozenset({"PN-1"}), birth_day=MONDAY - timedelta(weeks=10)),
        Standing(birth_day=birth),
        Standing(rules=frozenset({"PN-2"}), birth_day=birth),
    ]
    return [
        PlanInput(week_start=MONDAY, today=MONDAY, pattern=pattern, standing=standing, returning=True)
        for standing in standings
        for pattern in ("facet", "disc", "nerve_root", "nonspecific")
    ]


def test_rewording_every_caution_changes_no_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every caution replaced by gibberish (with the phrases the old code matched, in the wrong
    places): every week, section K ones included, plans the same items, doses and rules."""
    inputs = [_inputs(p, v) for p, v in CASES] + _k_inputs()
    original = [_choices(build_week(inp)) for inp in inputs]
    raw = lib._load(lib.FILENAME)
    monkeypatch.setattr(lib, "_load", lambda filename: _gibberish_cautions(raw))
    lib.exercises.cache_clear()
    try:
        assert all("zq" in text for item in lib.exercises().values() for text in item.cautions.values())
        reworded = [_choices(build_week(inp)) for inp in inputs]
    finally:
        lib.exercises.cache_clear()  # the real library again once the patch is undone
    assert reworded == original
