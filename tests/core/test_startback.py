"""Keele STarT Back scoring (spec B.2) and what the app does with it (C5; never stops running)."""

from __future__ import annotations

import itertools

import pytest

from backstride.core.triage import RunToday, Urgency

from .conftest import STARTBACK_ITEMS, STARTBACK_SUBSCALE, triage

AGREE_ITEMS = STARTBACK_ITEMS[:8]
NON_SUBSCALE = ("sb_leg_pain", "sb_shoulder_neck", "sb_walk_short", "sb_dress_slow")
SUBSCALE_AGREE = ("sb_unsafe_active", "sb_worry", "sb_never_better", "sb_no_enjoy")


def _answers(non_subscale: int, subscale_agree: int, bothersome: str = "not_at_all") -> dict:
    """STarT answers with the first n items of each group agreed, the rest disagreed."""
    answers: dict[str, object] = {item: i < non_subscale for i, item in enumerate(NON_SUBSCALE)}
    answers.update({item: i < subscale_agree for i, item in enumerate(SUBSCALE_AGREE)})
    answers["sb_bothersome"] = bothersome
    return answers


def test_items_and_subscale_match_the_spec():
    assert STARTBACK_SUBSCALE == (
        "sb_unsafe_active",
        "sb_worry",
        "sb_never_better",
        "sb_no_enjoy",
        "sb_bothersome",
    )


@pytest.mark.parametrize("item", AGREE_ITEMS)
def test_each_agree_item_scores_one(item):
    score = triage({item: True}).startback
    assert score.total == 1
    assert score.psychosocial == (1 if item in STARTBACK_SUBSCALE else 0)
    assert score.items_answered == 1


@pytest.mark.parametrize("item", AGREE_ITEMS)
def test_each_disagree_item_scores_zero(item):
    score = triage({item: False}).startback
    assert (score.total, score.psychosocial, score.items_answered) == (0, 0, 1)


@pytest.mark.parametrize(
    ("answer", "points"),
    [("not_at_all", 0), ("slightly", 0), ("moderately", 0), ("very_much", 1), ("extremely", 1)],
)
def test_item_9_only_very_much_or_extremely_scores(answer, points):
    score = triage(sb_bothersome=answer).startback
    assert score.total == points
    assert score.psychosocial == points


def test_all_agree_scores_9_and_5():
    score = triage(_answers(4, 4, "extremely")).startback
    assert (score.total, score.psychosocial, score.risk) == (9, 5, "high")
    assert score.items_answered == 9
    assert score.complete


def test_nothing_answered_is_not_asked_rather_than_low():
    # Issue 10: a check stopped before STarT Back shows "not asked", never "low (0)".
    score = triage({}).startback
    assert (score.total, score.psychosocial, score.risk, score.items_answered) == (0, 0, "not_asked", 0)
    assert not score.complete and not score.asked


def test_one_answered_item_is_scored():
    score = triage(sb_leg_pain=False).startback
    assert (score.risk, score.asked) == ("low", True)


def test_unanswered_items_score_zero():
    score = triage(sb_leg_pain=True, sb_worry=True).startback
    assert (score.total, score.psychosocial, score.items_answered) == (2, 1, 2)


@pytest.mark.parametrize(
    ("non_subscale", "subscale_agree", "bothersome", "total", "subscale", "risk"),
    [
        (0, 3, "not_at_all", 3, 3, "low"),  # total 3 with subscale 3: low
        (1, 3, "not_at_all", 4, 3, "medium"),  # total 4, subscale 3: medium
        (0, 3, "very_much", 4, 4, "high"),  # total 4, subscale 4: high
        (0, 4, "not_at_all", 4, 4, "high"),
        (4, 0, "not_at_all", 4, 0, "medium"),
        (4, 3, "moderately", 7, 3, "medium"),
        (4, 4, "moderately", 8, 4, "high"),
        (0, 2, "extremely", 3, 3, "low"),
        (0, 0, "not_at_all", 0, 0, "low"),
        (3, 0, "not_at_all", 3, 0, "low"),
        (1, 4, "very_much", 6, 5, "high"),
    ],
)
def test_risk_boundaries(non_subscale, subscale_agree, bothersome, total, subscale, risk):
    score = triage(_answers(non_subscale, subscale_agree, bothersome)).startback
    assert (score.total, score.psychosocial, score.risk) == (total, subscale, risk)


def test_a_high_subscale_with_total_3_or_less_stays_low():
    # the subscale can only reach 4 when the total is >= 4, so "stays low" is checked at its maximum:
    # subscale 3 of total 3
    score = triage(sb_unsafe_active=True, sb_worry=True, sb_bothersome="extremely").startback
    assert (score.total, score.psychosocial, score.risk) == (3, 3, "low")


def test_risk_of_every_combination_follows_the_keele_flowchart():
    bothersome_points = {"not_at_all": 0, "slightly": 0, "moderately": 0, "very_much": 1, "extremely": 1}
    for non_sub, sub_agree, bothersome in itertools.product(range(5), range(5), bothersome_points):
        score = triage(_answers(non_sub, sub_agree, bothersome)).startback
        subscale = sub_agree + bothersome_points[bothersome]
        total = non_sub + subscale
        expected = "low" if total <= 3 else ("medium" if subscale <= 3 else "high")
        assert (score.total, score.psychosocial, score.risk) == (total, subscale, expected)


@pytest.mark.parametrize(
    ("answers", "c5"),
    [
        (_answers(1, 3), True),  # medium
        (_answers(0, 4, "extremely"), True),  # high
        (_answers(0, 3), False),  # low (total 3)
        (_answers(3, 0), False),
    ],
)
def test_c5_fires_for_medium_and_high(answers, c5):
    result = triage(answers)
    assert ("C5" in result.rule_ids) is c5
    assert result.urgency is (Urgency.CLINICIAN_IF_NO_BETTER if c5 else Urgency.SELF_MANAGE)


@pytest.mark.parametrize(
    ("answers", "risk"),
    [
        (_answers(4, 4, "extremely"), "high"),
        (_answers(1, 3), "medium"),
        (_answers(0, 4, "very_much"), "high"),
    ],
)
def test_startback_alone_never_makes_run_today_red(answers, risk):
    result = triage(answers)
    assert result.startback.risk == risk
    assert result.run_today is RunToday.GREEN
    assert result.red_flags == ()


def test_startback_dressing_item_is_not_the_socks_rule():
    result = triage(sb_dress_slow=True)
    assert result.run_today is RunToday.GREEN
    assert "R3" not in result.rule_ids
