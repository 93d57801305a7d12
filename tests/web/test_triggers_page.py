"""The Triggers page, "What goes with my flare-ups" (issue 16 item 5): what is missing before anything is
said; on the demo runner (the shared activity files plus a diary with a planted "hilly run" effect) the
ranked findings with intervals, day counts, a chart and the raw numbers in a fold; the button that
starts the experiment a finding suggests, and its refusals in words; another runner's data never shown."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from tests.triggers_demo import make_demo_runner
from tests.web.words import RULE_ID, SNAKE_CASE, main_text

from backstride.config import local_today
from backstride.services import triggers
from backstride.services.users import local_user
from backstride.storage.models import Experiment

pytestmark = pytest.mark.django_db

URL = "/triggers/"
START = "/triggers/experiment/"


@pytest.fixture
def demo_runner() -> User:
    user = local_user()
    make_demo_runner(user, local_today(), weeks=16)
    return user


def test_with_two_weeks_it_says_what_is_still_missing(client):
    make_demo_runner(local_user(), local_today(), weeks=2)
    page = client.get(URL).content.decode()
    text = main_text(page)
    assert "Not enough data yet" in text
    assert "These are associations in your own data, not proof of cause." in text
    assert re.search(
        r"So far: \d+ mornings with a pain rating, \d+ runs with pain rated, \d+ flares?\b", text
    )
    assert "<li>7 more weeks of check-ins with a morning pain rating" in page
    assert "Why we said this" not in page and "<svg" not in page.split("<main", 1)[1]


def test_with_no_data_at_all_the_counts_say_none_yet(client):
    text = main_text(client.get(URL).content.decode())
    assert "Not enough data yet" in text and "So far: 0 mornings with a pain rating, 0 runs" in text


def test_the_demo_runner_sees_ranked_findings_with_intervals_days_and_a_chart(client, demo_runner):
    result = triggers.report(demo_runner, local_today())
    top = result.findings[0]
    page = client.get(URL).content.decode()
    text = main_text(page)
    assert text.index("not proof of cause") < text.index("Hilly runs")  # the caution comes first
    assert "After a run with over 15 m climb per km, next-morning pain was on average" in text
    assert "likely between" in text and f"Based on {top.days} days." in text
    assert page.count('class="card trigger-card"') == len(result.findings)
    assert page.count('<figure class="chart trigger-chart"><svg') == len(result.findings)
    assert "Each dot is one of your days" in text and "Fitted pain: without it" in text
    # One button per experiment: a later finding the same experiment tests says so.
    assert text.count("Start \u201cTwo weeks without hills\u201d for two weeks") == 1
    assert "The same two-week experiment as above tests this" in text
    # The raw numbers, one tap away for a clinician.
    fold = page.split('<details class="clinician trigger-why">', 1)[1].split("</details>", 1)[0]
    for words in ("Outcome", "Lag", "same day", "Effect", "95% interval", "Holm-adjusted p", "Days",
                  "points", "with a linear trend and AR(1) errors", "Holm correction at 2% across",
                  f"{len(result.tests)} comparisons"):  # fmt: skip
        assert words in fold, words
    assert f"{top.low:+.2f} to {top.high:+.2f} points" in fold
    together = [effect.sentence for effect in result.joint.effects if effect.sentence]
    assert ("Taken together" in text) == bool(together) and all(line in text for line in together)
    assert "Factors left out (" in page and "Shoe mileage: known on only 0 days" in page
    # Plain words: no factor key, field name or rule id where a runner reads.
    assert not SNAKE_CASE.findall(text), SNAKE_CASE.findall(text)
    assert not RULE_ID.findall(text), RULE_ID.findall(text)
    assert "<script" not in page.split("<main", 1)[1] and "style=" not in page


def test_the_page_asks_for_the_report_once(client, demo_runner, monkeypatch):
    from backstride.web.views import triggers as view

    calls = []

    def counted(user, today):
        calls.append(today)
        return triggers.report(user, today)

    monkeypatch.setattr(view, "report", counted)
    assert client.get(URL).status_code == 200 and len(calls) == 1


def test_the_button_starts_the_suggested_experiment_then_a_second_is_refused_in_words(client, demo_runner):
    response = client.post(START, {"kind": "no_hills"})
    assert response.status_code == 302 and response["Location"] == "/experiments/"
    made = Experiment.objects.get()
    assert (made.owner, made.kind, made.param, made.start) == (demo_runner, "no_hills", "15", local_today())
    page = client.get("/experiments/").content.decode()
    assert "Started: \u201cTwo weeks without hills\u201d for two weeks" in page
    assert "Running now: Two weeks without hills" in page
    # While it runs the findings say so instead of offering a second one.
    text = main_text(client.get(URL).content.decode())
    assert "You are testing this now: \u201cTwo weeks without hills\u201d is running" in text
    assert "Start \u201c" not in text
    refused = client.post(START, {"kind": "break_up_sitting"})
    body = main_text(refused.content.decode())
    assert refused.status_code == 400 and "The experiment was not started" in body
    assert "\u201cTwo weeks without hills\u201d is still running until" in body and "stop it first" in body
    assert Experiment.objects.count() == 1


def test_switching_shoes_opens_the_experiment_form_filled_in(client):
    response = client.post(START, {"kind": "switch_shoes"})
    assert response.status_code == 302 and response["Location"] == "/experiments/?kind=switch_shoes#start"
    page = client.get("/experiments/?kind=switch_shoes").content.decode()
    assert 'value="switch_shoes" checked' in page
    assert (
        " checked"
        not in client.get("/experiments/?kind=<b>").content.decode().split('name="kind"', 1)[1][:60]
    )
    assert not Experiment.objects.exists()


@pytest.mark.parametrize("kind", ["", "\x00", "<script>alert(1)</script>", "x" * 3000, "NO_HILLS"])
def test_a_hostile_kind_is_refused_in_words_and_nothing_is_stored(client, kind):
    response = client.post(START, {"kind": kind})
    page = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in page
    assert "Choose one of the experiments offered." in main_text(page)
    assert "<script>alert" not in page and not Experiment.objects.exists()


def test_a_get_to_the_start_address_is_not_allowed(client):
    assert client.get(START).status_code == 405


def test_another_runners_findings_are_never_shown(client):
    other = User.objects.create_user("other-runner")
    make_demo_runner(other, local_today(), weeks=16)
    assert triggers.report(other, local_today()).findings  # they have findings; the acting runner none
    text = main_text(client.get(URL).content.decode())
    assert "Not enough data yet" in text and "Hilly runs" not in text and "So far: 0 mornings" in text
    client.post(START, {"kind": "no_hills"})
    assert not Experiment.objects.filter(owner=other).exists()


def test_without_a_clear_finding_it_says_nothing_stands_out(client, monkeypatch):
    from backstride.web.views import triggers as view

    make_demo_runner(local_user(), local_today(), weeks=16, effect=0.0)
    result = triggers.report(local_user(), local_today())
    monkeypatch.setattr(view, "report", lambda user, today: replace(result, findings=[]))
    text = main_text(client.get(URL).content.decode())
    assert "Nothing stands out clearly" in text and "corrected for their number" in text
    assert f"We made {len(result.tests)} comparisons" in text and "Start \u201c" not in text


def test_the_more_page_lists_triggers_after_experiments(client):
    page = client.get("/more/").content.decode()
    assert 'href="/triggers/"' in page and page.index('href="/experiments/"') < page.index(
        'href="/triggers/"'
    )
    assert "What went with your flare-ups" in page


def test_an_experiment_over_finished_days_is_not_running(client, demo_runner):
    Experiment.objects.create(
        owner=demo_runner, kind="no_hills", param="15", start=local_today() - timedelta(days=20)
    )
    text = main_text(client.get(URL).content.decode())
    assert "Start \u201cTwo weeks without hills\u201d for two weeks" in text
