"""The result and history pages in plain words (issue 13 item 2): a summary first, rule ids and raw
answers only inside the folds, tap-to-call numbers, and no STarT Back score a check never asked."""

from __future__ import annotations

import re

import pytest
from tests.cases import SELF_MANAGE

from backstride.services.checks import check_symptoms
from backstride.services.users import local_user
from backstride.storage.models import SymptomCheck
from backstride.web.templatetags.check_tags import dial_links

pytestmark = pytest.mark.django_db
SCIATICA = {
    **SELF_MANAGE,
    "pain_extent": "below_knee",
    "leg_pain_side": "one_leg",
    "leg_vs_back": "leg_worse",
}


def _outside_folds(html: str) -> str:
    """The page without its <details> folds: what shows before anything is opened."""
    return re.sub(r"<details.*?</details>", "", html, flags=re.S)


def test_the_result_leads_with_a_summary_and_folds_the_evidence(client):
    check_id = check_symptoms(SCIATICA, local_user()).check_id
    html = client.get(f"/checks/{check_id}/").content.decode()
    summary = html[html.index('id="summary"') : html.index('id="reasons"')]
    for part in ('id="urgency"', 'id="run-today"', 'id="pattern"', 'id="next"'):
        assert part in summary
    assert "Amber: run, but easier" in summary and "An app cannot diagnose." in summary
    shown = _outside_folds(html)
    assert "App policy" not in shown and "pain_extent" not in shown and "<code>P2</code>" not in shown
    assert "<code>P2</code>" in html and "<code>pain_extent</code> = below_knee" in html
    # The answers behind a rule, in words, in "Why we said this".
    why = html[html.index('id="why"') : html.index("</details>", html.index('id="why"'))]
    assert "Below knee" in why and "Because you said" in why


def test_an_emergency_result_shows_no_pattern_and_links_the_number(client):
    client.post("/settings/", {"country": "GB"})
    check_id = check_symptoms(
        {**SELF_MANAGE, "saddle_numbness": True}, local_user(), completed=False
    ).check_id
    html = client.get(f"/checks/{check_id}/").content.decode()
    assert 'id="pattern"' not in html and 'id="run-today"' not in html and 'id="advice"' not in html
    assert "pattern" not in html.split('<main id="main"', 1)[1].split("</main>", 1)[0].lower()
    assert 'href="tel:999"' in html.split("<footer", 1)[1]
    assert "<code>E1</code>" in html and "<code>E1</code>" not in _outside_folds(html)


def test_history_says_not_asked_for_a_startback_never_asked(client):
    user = local_user()
    asked = check_symptoms(SELF_MANAGE, user).check_id
    never = check_symptoms(SELF_MANAGE, user).check_id
    # An older stored row: completed, "low (0)" stored, but the report says no item was answered.
    row = SymptomCheck.objects.get(id=never)
    row.report = {**row.report, "startback": {**row.report["startback"], "asked": False, "items_answered": 0}}
    row.startback_risk, row.startback_total = "low", 0
    row.save()
    html = client.get("/history/").content.decode()
    assert asked in _rows(html) and never in _rows(html)
    cells = {check_id: re.findall(r"<td>([^<]*)</td></tr>", chunk) for check_id, chunk in _rows(html).items()}
    assert cells[never] == ["not asked"]
    assert cells[asked] == ["low risk (0 of 9)"]


def _rows(html: str) -> dict[int, str]:
    return {int(m.group(1)): m.group(0) for m in re.finditer(r'href="/checks/(\d+)/".*?</tr>', html, re.S)}


def test_dial_links_make_each_number_a_tap_to_call_link():
    contact = {"country": "GB", "emergency": "999", "urgent": "111"}
    assert str(dial_links("Call 999 now, or 111 <today>", contact)) == (
        'Call <a href="tel:999">999</a> now, or <a href="tel:111">111</a> &lt;today&gt;'
    )
    assert str(dial_links("Call 9990 now", contact)) == "Call 9990 now"
    spaced = {"emergency": "112", "urgent": "0800 611 116"}
    assert 'href="tel:0800611116"' in str(dial_links("Ring 0800 611 116", spaced))


def test_history_reads_every_check_in_one_query_however_many(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as done:
            assert client.get("/history/").status_code == 200
        return len(done)

    check_symptoms(SELF_MANAGE, local_user())
    one = queries()
    for _ in range(4):
        check_symptoms(SELF_MANAGE, local_user())
    assert queries() == one  # each row's STarT Back cell reads the stored report: never a query per row
