"""A shared runner's report for their clinician (issue 15 item 4) carries the "What went with the pain"
section of issue 16 through the same service as the runner's own report: the findings by default,
and none when the clinician leaves the section out."""

from __future__ import annotations

import pytest
from tests.triggers_demo import make_demo_runner

from backstride.config import local_today

from .caseload_world import share
from .conftest import account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]
TITLE = "What went with the pain"


@pytest.fixture
def anna(clinic):
    runner = account("anna")
    share(runner, account("dr-lee", role="clinician"))
    make_demo_runner(runner, local_today(), weeks=16)
    return runner


def test_the_clinicians_report_shows_what_went_with_the_runners_pain(anna):
    client = signed_in("dr-lee")
    page = client.get(f"/caseload/{anna.pk}/report/").content.decode()
    assert 'id="report-triggers"' in page and TITLE in page
    assert "After a run with over 15 m climb per km, next-morning pain was on average" in page
    assert "an association, not proof of cause" in page
    chosen = client.get(f"/caseload/{anna.pk}/report/", {"shown": "1", "sections": ["pain"]}).content.decode()
    assert 'id="report-pain"' in chosen and 'id="report-triggers"' not in chosen


def test_another_shared_runners_section_is_their_own(anna):
    """A second runner with two weeks of days: their report says what is missing, never anna's findings."""
    ben = account("ben")
    share(ben, account("dr-kay", role="clinician"))
    make_demo_runner(ben, local_today(), weeks=2)
    page = signed_in("dr-kay").get(f"/caseload/{ben.pk}/report/").content.decode()
    assert 'id="report-triggers"' in page and "Not analysed yet: too few days" in page
    assert "Hilly runs" not in page
