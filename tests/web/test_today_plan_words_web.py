"""Today and Plan read in words (issue 13 item 4 and its words): no rule id outside a "For your
clinician" fold (<details>), plurals right, and a sentence when today's plan cannot be ticked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from tests.cases import SELF_MANAGE
from tests.web.pages import seed_every_page

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.knowledge import catalog
from backstride.knowledge.plan_rules import plan_rules
from backstride.services.checks import check_symptoms
from backstride.services.diary import log_check_in
from backstride.services.users import local_user
from backstride.storage.models import DiaryEntry

pytestmark = pytest.mark.django_db
RULE_IDS = sorted(set(catalog.rules()) | set(plan_rules().rules), key=len, reverse=True)
ANY_RULE = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, RULE_IDS)) + r")(?![\w-])")
NO = {
    item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else False)
    for item in A8_ITEMS
}


def words_outside_folds(page: str) -> str:
    """The text a runner reads first: no <details> folds, no scripts, no tags."""
    page = re.sub(r"<details.*?</details>", " ", page, flags=re.S)
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def rule_ids_shown(page: str) -> list[str]:
    return ANY_RULE.findall(words_outside_folds(page))


@pytest.mark.parametrize("url", ["/today/", "/plan/"])
def test_no_rule_id_outside_the_folds_with_every_page_seeded(client, url):
    seed_every_page()
    page = client.get(url).content.decode()
    assert "For your clinician" in page
    assert rule_ids_shown(page) == []


@pytest.mark.parametrize("url", ["/today/", "/plan/"])
def test_no_rule_id_outside_the_folds_on_an_amber_day_in_the_graded_return(client, url):
    """A runner back in the graded return (the stage box) on an amber day (the run-today reasons)."""
    seed_every_page()
    check_symptoms({**SELF_MANAGE, "ran_since_onset": False}, local_user())
    DiaryEntry.objects.filter(day=local_today()).update(pain_now=4)
    page = client.get(url).content.decode()
    if url == "/plan/":
        assert 'id="stage"' in page and "Starting at stage 1" in page
    else:
        assert "Amber: run, but easier" in page
        assert "keep today" in words_outside_folds(page)  # A1's words
        assert "A1" in page  # one tap away
    assert rule_ids_shown(page) == []


def test_the_weeks_count_says_item_for_one(client):
    user = local_user()
    check_symptoms(SELF_MANAGE, user)
    page = client.get("/plan/").content.decode()
    assert not re.search(r"\b1 items\b|\b1 planned items\b", words_outside_folds(page))


def test_the_plan_says_why_ticking_is_off_when_it_is(client):
    """The plan restarts the day after a result that said to see a doctor: shown, with the reason."""
    user = local_user()
    check_symptoms(SELF_MANAGE, user)
    log_check_in(
        user,
        {"day": local_today(), "pain_now": 2, "red_flags": {**NO, "saddle_numbness": True}},
        local_today(),
    )
    check_symptoms(SELF_MANAGE, user)  # clears the escalation...
    # ...but the escalation was saved after it (as when a day is logged again): ticking starts tomorrow.
    DiaryEntry.objects.update(updated_at=timezone.now() + timedelta(minutes=5))
    for url in ("/plan/", "/today/"):
        page = client.get(url).content.decode()
        assert 'id="ticking-off"' in page and "Ticking is off today because" in page, url
        assert "Done ✓" not in page
