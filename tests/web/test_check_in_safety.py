"""The check-in's safety questions in short: the warning signs listed under one question, "None of
these" answering each of them "no" in one tap, an answer given one by one always counting, and the
leg pain's side never assumed."""

from __future__ import annotations

import re

import pytest

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.knowledge.diary_texts import short_safety_words
from backstride.services.diary import log_check_in
from backstride.services.safety import NONE_OF_THESE, SAME_PAGE
from backstride.services.users import local_user
from backstride.storage.models import DiaryEntry

pytestmark = pytest.mark.django_db


def test_every_sign_one_tap_answers_has_its_short_words_and_the_leg_questions_are_asked_alone():
    assert set(short_safety_words()) == set(NONE_OF_THESE)
    assert set(NONE_OF_THESE) | set(SAME_PAGE) == set(A8_ITEMS)
    assert "leg_pain_side" not in NONE_OF_THESE and "neuro_worsening" not in NONE_OF_THESE


def test_none_of_these_answers_every_listed_sign_no(client):
    response = client.post(
        "/diary/", {"safety": "none", "pain_now": "2", "locations": ["central"], "ran": "no"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    flags = DiaryEntry.objects.get().red_flags
    assert flags["bladder_change"] is False and flags["chest_pain_breathless"] is False
    assert flags["numbness_tingling"] == "none" and flags["leg_weakness"] == "none"
    assert flags["neuro_worsening"] is False  # no numbness nor weakness: nothing getting worse
    assert "pregnancy_warning" not in flags  # not asked of someone the full check did not find pregnant
    assert "leg_pain_side" not in flags


def test_a_yes_given_one_by_one_wins_over_none_of_these(client):
    post = {"safety": "none", "rf_bladder_change": "true", "pain_now": "2", "locations": ["central"]}
    response = client.post("/diary/", post)
    assert response["Location"] == "/today/#escalation"
    assert DiaryEntry.objects.get().red_flags["bladder_change"] is True


def test_not_sure_one_by_one_counts_too(client):
    post = {"safety": "none", "rf_saddle_numbness": "not_sure", "pain_now": "2", "locations": ["central"]}
    assert client.post("/diary/", post)["Location"] == "/today/#escalation"


def test_the_leg_pain_side_is_never_assumed(client):
    response = client.post("/diary/", {"safety": "none", "pain_now": "4", "locations": ["below_knee"]})
    assert response.status_code == 400
    assert 'id="rf_leg_pain_side-error"' in response.content.decode()
    assert not DiaryEntry.objects.exists()
    post = {"safety": "none", "rf_leg_pain_side": "one_leg", "pain_now": "4", "locations": ["below_knee"]}
    assert client.post("/diary/", post).status_code == 302


def test_one_by_one_names_each_unanswered_sign(client):
    response = client.post("/diary/", {"safety": "each", "rf_bladder_change": "false", "pain_now": "2"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="rf_bowel_change-error"' in page and 'id="rf_bladder_change-error"' not in page
    # What was chosen stays chosen.
    assert re.search(r'value="each"\s+checked', page) and re.search(
        r'rf_bladder_change" value="false"\s+checked', page
    )


def _chosen(page: str) -> str | None:
    found = re.search(r'name="safety" value="(\w+)"\s+checked', page)
    return found.group(1) if found else None


def test_editing_a_day_shows_how_its_signs_were_answered(client):
    day = "2026-12-01"
    user = local_user()
    no = {item: "none" if item in ("numbness_tingling", "leg_weakness") else False for item in NONE_OF_THESE}
    no.pop("pregnancy_warning")
    log_check_in(user, {"day": day, "pain_now": 2, "locations": ["central"], "red_flags": no}, local_today())
    assert _chosen(client.get(f"/diary/?day={day}").content.decode()) == "none"
    assert _chosen(client.get("/diary/").content.decode()) is None  # a new day: nothing chosen for the runner
    other = "2026-12-02"
    log_check_in(
        user,
        {"day": other, "pain_now": 2, "locations": ["central"], "red_flags": {**no, "loin_colic": True}},
        local_today(),
    )
    assert _chosen(client.get(f"/diary/?day={other}").content.decode()) == "each"
