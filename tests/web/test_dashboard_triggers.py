"""The dashboard's one line about what goes with the runner's flare-ups (issue 16 item 5): the top
finding in short words with a link to the Triggers page, on the demo runner (shared activity files
plus a diary planted to hurt after hilly runs); nothing before there are enough days; always below
the run-today answer, and below the red flag on a day that has one; at most the trigger report's
four reads more than without it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.triggers_demo import make_demo_runner

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.core.triggers import Finding
from backstride.services import dashboard
from backstride.services.trigger_line import finding_words
from backstride.services.users import local_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]
LINE = "Your pain has tended to be higher the morning after hilly runs."
ALL_NO = {
    "rf_" + item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else "false")
    for item in A8_ITEMS
}


def demo(weeks: int) -> None:
    make_demo_runner(local_user(), local_today(), weeks=weeks)


def test_sixteen_weeks_show_the_top_finding_in_words_below_the_run_today_answer(client):
    demo(16)
    client.post("/diary/", {**ALL_NO, "pain_now": "2", "ran": "no"})  # today's answer is given
    page = client.get("/today/").content.decode()
    assert 'id="trigger-line"' in page and LINE in page
    assert 'href="/triggers/">See what goes with your flare-ups</a>' in page
    box = page.index('id="run-today"')
    answer = page.index("<h2>", box)
    assert page[answer:].startswith(("<h2>Green", "<h2>Amber", "<h2>Red"))
    assert box < answer < page.index(LINE)
    assert "points" not in page[page.index('id="trigger-line"') :].split("</section>", 1)[0]  # no numbers


def test_two_weeks_show_no_line(client):
    demo(2)
    page = client.get("/today/").content.decode()
    assert 'id="trigger-line"' not in page and "See what goes with your flare-ups" not in page


def test_an_empty_diary_shows_no_line(client):
    assert 'id="trigger-line"' not in client.get("/today/").content.decode()


def test_a_red_flag_day_keeps_the_banner_and_the_answer_above_the_line(client):
    demo(16)
    response = client.post("/diary/", {**ALL_NO, "rf_bladder_change": "true", "pain_now": "3", "ran": "no"})
    assert response["Location"] == "/today/#escalation"
    page = client.get("/today/").content.decode()
    banner, answer = page.index('id="escalation"'), page.index("Red: no running today")
    assert banner < page.index('id="run-today"') < answer < page.index(LINE)


def test_the_line_costs_no_query_of_its_own_when_nothing_changed(client, monkeypatch):
    demo(16)
    client.get("/today/")  # warm: the report is remembered for this data version

    def queries() -> int:
        with CaptureQueriesContext(connection) as done:
            client.get("/today/")
        return len(done)

    with_line = queries()
    monkeypatch.setattr(dashboard, "trigger_line", lambda user, today, version=None: None)
    # The dashboard's one read of the data version serves the line too: no day is read again.
    assert with_line - queries() == 0


@pytest.mark.parametrize(
    ("outcome", "factor", "lag", "effect", "words"),
    [
        ("next_morning", "hilly_run", 0, 1.4, LINE[:-1]),
        ("next_morning", "sleep_hours", 1, -0.5, "Your pain has tended to be lower two mornings after days "
         "with more sleep"),
        ("run_pain", "surface_trail", 0, 1.0, "Your pain on runs has tended to be higher on runs on trail"),
        ("run_pain", "km_7d", 0, -0.5, "Your pain on runs has tended to be lower in weeks with more km"),
        ("run_pain", "days_since_rest", 1, 0.5, "Your pain on runs has tended to be higher the day after "
         "longer stretches without a rest day"),
        ("flare", "km_7d", 2, 12.0, "Flare-ups have tended to come more often three mornings after weeks "
         "with more km"),
        ("next_morning", "terrain_hilly", 0, 1.0, "Your pain has tended to be higher the morning after runs "
         "on hilly terrain"),
        ("next_morning", "in_shoe_Pegasus 40", 0, 1.0, "Your pain has tended to be higher the morning after "
         "runs in Pegasus 40"),
        ("next_morning", "speed_kmh", 0, 0.6, "Your pain has tended to be higher the morning after faster "
         "runs"),
    ],
)  # fmt: skip
def test_each_kind_of_finding_reads_as_one_plain_sentence(outcome, factor, lag, effect, words):
    finding = Finding(outcome, factor, lag, effect, effect - 0.5, effect + 0.5, 90, 0.001, 0.01, True, "")
    assert finding_words(finding) == words


def test_the_line_follows_the_diary_it_is_worked_out_from(client):
    """A new day of records is a new analysis (the remembered one is for the old days)."""
    demo(16)
    assert LINE in client.get("/today/").content.decode()
    from backstride.storage.models import DiaryEntry

    DiaryEntry.objects.filter(day__gte=local_today() - timedelta(weeks=16)).delete()
    assert 'id="trigger-line"' not in client.get("/today/").content.decode()
