"""The plan reads in words (issue 13 item 2): each item says why in a sentence; its rule ids and sources
are one tap away in a "For your clinician" fold, never in the text a runner reads first."""

from __future__ import annotations

import re

import pytest
from tests.cases import SELF_MANAGE

from backstride.services.checks import check_symptoms
from backstride.services.users import local_user

pytestmark = pytest.mark.django_db
RULE_ID = re.compile(r"\b(?:G-[A-Z0-9-]+|G-all|DOSE-[A-Z]+)\b")


def outside_folds(page: str) -> str:
    return re.sub(r"<details.*?</details>", "", page, flags=re.S)


@pytest.mark.parametrize("url", ["/plan/", "/today/"])
def test_rule_ids_and_sources_sit_in_the_clinician_fold(client, url):
    check_symptoms(SELF_MANAGE, local_user())
    page = client.get(url).content.decode()
    folds = re.findall(r'<details class="plan-item-why">.*?</details>', page, flags=re.S)
    assert folds, "every plan item has its fold"
    ids = {rule for fold in folds for rule in re.findall(r"Rules: ([^.<]+)\.", fold)[0].split(", ")}
    assert all("For your clinician" in fold and "Sources: " in fold for fold in folds)
    assert RULE_ID.search(" ".join(ids)), ids  # the plan's own ids are there, one tap away
    text = re.sub(r"<[^>]+>", " ", outside_folds(page))
    assert [rule for rule in ids if re.search(rf"(?<![\w-]){re.escape(rule)}(?![\w-])", text)] == []
