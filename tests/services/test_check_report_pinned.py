"""The full report of a check, every key and value in its order, pinned for five answer sets: the
stored report and `backstride check --format json` must not change when the code that builds it
moves (issue 12 item 5 moved it from core/triage/report.py to services/check_report.py).

The expected reports are in tests/services/pinned/, written by the code before the move."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cases import EMERGENCY, NO_RED_FLAGS, SEE_A_DOCTOR, SELF_MANAGE

from backstride.services.checks import check_symptoms

PINNED = Path(__file__).resolve().parent / "pinned"
# An inflammatory back (IBP-1, its reasons and onset age), with a medium STarT Back score.
INFLAMMATORY = {
    **SELF_MANAGE,
    "age": 29,
    "duration_days": 120,
    "onset": "gradual",
    "morning_stiffness_over_30min": True,
    "improves_with_movement": True,
    "not_better_with_rest": True,
    "nsaid_helps_48h": True,
    "spa_family_history": True,
    "sb_worry": True,
    "sb_no_enjoy": True,
    "sb_never_better": True,
    "sb_leg_pain": True,
}
CASES = {
    "self_manage": (SELF_MANAGE, None, True),
    "see_a_doctor": (SEE_A_DOCTOR, "AU", True),
    "emergency": (EMERGENCY, "GB", True),
    "inflammatory": (INFLAMMATORY, "US", True),
    # Stopped at the emergency answer (H.3): no pattern named, STarT Back not asked.
    "stopped": ({**NO_RED_FLAGS, "saddle_numbness": True, "pain_extent": "back_only"}, "DE", False),
}


def printed(answers: dict[str, object], country: str | None, completed: bool) -> str:
    report = check_symptoms(answers, None, save=False, completed=completed, country=country).report
    return json.dumps(report, indent=2) + "\n"


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_whole_report_is_exactly_as_before(case):
    answers, country, completed = CASES[case]
    expected = (PINNED / f"check_report_{case}.json").read_text()
    assert printed(answers, country, completed) == expected
